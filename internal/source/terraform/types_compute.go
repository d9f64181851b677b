package terraform

import (
	"fmt"
	"net/netip"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"aws_network_interface":            {2, (*builder).networkInterface},
		"aws_instance":                     {3, (*builder).instance},
		"aws_network_interface_attachment": {4, (*builder).eniAttachment},
	} {
		handlers[t] = h
	}
}

// networkInterface reads aws_network_interface; no security_groups means
// the VPC's default group.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_interface
func (b *builder) networkInterface(in *inst) error {
	f := b.top(in)
	sub, why := f.ref("subnet_id")
	e := b.newENI(in, in.id, sub, model.OwnerNone, "", "")
	e.Meta = mergeMeta(b.meta(in), e.Meta)
	if why != "" {
		e.AddUnknown("SubnetId", why)
	}
	if err := b.privateIPs(f, e, "private_ip", "private_ips"); err != nil {
		return err
	}
	b.groups(f, e, "security_groups")
	e.SourceDestCheck = f.flag("source_dest_check", true) != model.False
	if v := f.get("attachment"); !v.null() {
		for _, a := range v.elems() {
			vals, unk := a.obj()
			af := &fields{b: b, in: in, vals: vals, unk: unk, path: "attachment."}
			if id, _ := af.ref("instance"); id != "" {
				e.OwnerKind, e.OwnerID = model.OwnerInstance, id
			}
			if n, ok, _ := af.intv("device_index"); ok {
				e.DeviceIndex = n
			}
		}
	}
	return nil
}

func mergeMeta(m, from model.Meta) model.Meta {
	m.Unknowns = append(from.Unknowns, m.Unknowns...)
	return m
}

// privateIPs reads an interface's private addresses.
func (b *builder) privateIPs(f *fields, e *model.NetworkInterface, primaryKey, listKey string) error {
	if a, ok, err := f.addr(primaryKey); err != nil {
		return err
	} else if ok {
		e.PrivateIPs = append(e.PrivateIPs, model.PrivateIP{Address: a, Primary: true})
	}
	if listKey != "" {
		ips, _ := f.strs(listKey)
		for _, s := range ips {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return b.r.errf(f.in, "bad-value", "%s%s %q is not an IP address", f.path, listKey, s)
			}
			dup := false
			for _, p := range e.PrivateIPs {
				dup = dup || p.Address == a
			}
			if !dup {
				e.PrivateIPs = append(e.PrivateIPs, model.PrivateIP{Address: a, Primary: len(e.PrivateIPs) == 0})
			}
		}
	}
	if len(e.PrivateIPs) == 0 {
		e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
	}
	for _, k := range []string{"ipv6_addresses"} {
		ips, _ := f.strs(k)
		for _, s := range ips {
			if a, err := netip.ParseAddr(s); err == nil {
				e.IPv6 = append(e.IPv6, a)
			}
		}
	}
	if n, ok, _ := f.intv("ipv6_address_count"); ok && n > 0 && len(e.IPv6) == 0 {
		e.AddUnknown("PublicIpv6Address", fmt.Sprintf("%d IPv6 addresses (global) picked by AWS at apply", n))
	}
	return nil
}

// groups sets an interface's security groups; none means the VPC's
// default group, decided once every group is read.
func (b *builder) groups(f *fields, e *model.NetworkInterface, key string) {
	if f.get(key).unknown && !f.stated(key) && f.in.create {
		// Not set: computed by AWS, the VPC's default group.
		b.defaultSGs = append(b.defaultSGs, e)
		return
	}
	ids, why := f.refs(key)
	if why != "" {
		e.AddUnknown("SecurityGroupIds", why)
	}
	if len(ids) == 0 && why == "" {
		b.defaultSGs = append(b.defaultSGs, e)
		return
	}
	e.SecurityGroupIDs = append([]string{}, ids...)
}

// instance reads aws_instance and its primary interface: a
// network_interface block at device_index 0 names it; else the instance
// creates one in subnet_id with vpc_security_group_ids. A public IPv4 comes
// from associate_public_ip_address when stated, else from the subnet's
// map_public_ip_on_launch.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance
func (b *builder) instance(in *inst) error {
	f := b.top(in)
	i := &model.Instance{Meta: b.meta(in), NetworkInterfaceIDs: []string{}}
	i.State, _ = f.str("instance_state")
	// Attached interfaces by device index.
	var attached []string
	if v := f.get("network_interface"); !v.null() && !v.unknown {
		for _, a := range v.elems() {
			vals, unk := a.obj()
			af := &fields{b: b, in: in, vals: vals, unk: unk, path: "network_interface.", exprs: nil}
			if in.cfg != nil {
				if ex := in.cfg.Expressions["network_interface"]; ex != nil && ex.ExpressionData != nil {
					af.exprs = matchBlock(ex.NestedBlocks, vals, "device_index")
				}
			}
			id, why := af.ref("network_interface_id")
			if id == "" {
				i.AddUnknown("NetworkInterfaces", orWhy(id, why))
				continue
			}
			idx, _, _ := af.intv("device_index")
			if e, ok := b.n.NetworkInterfaces.Get(id); ok {
				e.OwnerKind, e.OwnerID, e.DeviceIndex = model.OwnerInstance, i.ID, idx
			}
			if idx == 0 {
				attached = append([]string{id}, attached...)
			} else {
				attached = append(attached, id)
			}
		}
	}
	if len(attached) > 0 {
		i.NetworkInterfaceIDs = attached
		if e, ok := b.n.NetworkInterfaces.Get(attached[0]); ok {
			i.SubnetID, i.VPCID = e.SubnetID, e.VPCID
			if a, ok := e.PrimaryIP(); ok {
				i.PrivateIP = a
			}
		}
		b.n.Instances.Put(i)
		b.instances = append(b.instances, i)
		return nil
	}
	sub, why := f.ref("subnet_id")
	i.SubnetID = sub
	if why != "" {
		i.AddUnknown("SubnetId", why)
	} else if sub == "" {
		i.AddUnknown("SubnetId", "no subnet_id: the instance is in a subnet of the region's default VPC")
	}
	i.VPCID = b.vpcOfSubnet(sub)
	eniID := b.derived(in, "primary_network_interface_id", primaryENISuffix)
	e := b.newENI(in, eniID, sub, model.OwnerInstance, i.ID, "interface")
	if err := b.privateIPs(f, e, "private_ip", "secondary_private_ips"); err != nil {
		return err
	}
	if a, ok := e.PrimaryIP(); ok {
		i.PrivateIP = a
	}
	e.SourceDestCheck = f.flag("source_dest_check", true) != model.False
	b.groups(f, e, "vpc_security_group_ids")
	if len(e.SecurityGroupIDs) == 0 {
		if names, _ := f.strs("security_groups"); len(names) > 0 {
			e.SecurityGroupIDs = b.groupsByName(names)
			if len(b.defaultSGs) > 0 && b.defaultSGs[len(b.defaultSGs)-1] == e {
				b.defaultSGs = b.defaultSGs[:len(b.defaultSGs)-1]
			}
		}
	}
	i.NetworkInterfaceIDs = []string{e.ID}
	pub, known, err := f.addr("public_ip")
	if err != nil {
		return err
	}
	switch {
	case known:
		i.PublicIP = pub
		if len(e.PrivateIPs) > 0 {
			e.PrivateIPs[0].PublicIP = pub
		}
	case f.get("public_ip").unknown:
		// Known after apply: stated by associate_public_ip_address, else
		// the subnet decides.
		av := f.get("associate_public_ip_address")
		pc := publicCheck{eni: e}
		if !av.unknown {
			if bv, ok := av.v.(bool); ok {
				pc.stated, pc.assoc = true, model.FlagOf(bv)
			}
		} else if f.stated("associate_public_ip_address") {
			pc.stated, pc.assoc = true, model.UnknownFlag
		}
		b.publicENIs = append(b.publicENIs, pc)
	}
	b.n.Instances.Put(i)
	b.instances = append(b.instances, i)
	return nil
}

func (b *builder) groupsByName(names []string) []string {
	var out []string
	for _, nm := range names {
		id := nm
		for _, g := range b.n.SecurityGroups.All() {
			if g.GroupName == nm {
				id = g.ID
			}
		}
		out = append(out, id)
	}
	return out
}

func (b *builder) eniAttachment(in *inst) error {
	f := b.top(in)
	eid, why := f.ref("network_interface_id")
	iid, iwhy := f.ref("instance_id")
	e, ok := b.n.NetworkInterfaces.Get(eid)
	if !ok || iid == "" {
		b.warnf(in, "unresolved-reference", "attaches an interface and instance it cannot tell (%s)", orStr(why, orStr(iwhy, eid)))
		return nil
	}
	e.OwnerKind, e.OwnerID = model.OwnerInstance, iid
	if n, ok, _ := f.intv("device_index"); ok {
		e.DeviceIndex = n
	}
	if i, ok := b.n.Instances.Get(iid); ok {
		i.NetworkInterfaceIDs = append(i.NetworkInterfaceIDs, e.ID)
	}
	return nil
}
