package cloudformation

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"AWS::EC2::LaunchTemplate":              {0, (*builder).launchTemplate},
		"AWS::AutoScaling::LaunchConfiguration": {0, (*builder).launchConfiguration},
		"AWS::EC2::NetworkInterface":            {2, (*builder).networkInterface},
		"AWS::EC2::Instance":                    {3, (*builder).instance},
		"AWS::EC2::NetworkInterfaceAttachment":  {4, (*builder).eniAttachment},
		"AWS::AutoScaling::AutoScalingGroup":    {4, (*builder).autoScalingGroup},
	} {
		handlers[t] = h
	}
}

// newENI makes an interface of an element: in subnet, with its private
// address unknown until set, owned by owner.
func (b *builder) newENI(p *props, id, subnet string, owner model.OwnerKind, ownerID, ifType string) *model.NetworkInterface {
	m := model.Meta{ID: id, LogicalID: id, Account: b.r.opts.Account, Region: b.r.region, Origin: p.origin}
	e := &model.NetworkInterface{Meta: m, SubnetID: subnet, VPCID: b.vpcOfSubnet(subnet), PrivateIPs: []model.PrivateIP{},
		SecurityGroupIDs: []string{}, SourceDestCheck: true, InterfaceType: ifType, OwnerKind: owner, OwnerID: ownerID,
		Status: "in-use"}
	if ifType == "" {
		e.InterfaceType = "interface"
	}
	if p.r.cond == triUnknown {
		e.AddUnknown("Condition", fmt.Sprintf("condition %s is unknown: the resource may not be deployed", p.r.condWhy))
	}
	if subnet == "" {
		e.AddUnknown("SubnetId", "the subnet is unknown")
	}
	b.n.NetworkInterfaces.Put(e)
	return e
}

// setSGs sets an interface's groups; none given means the VPC's default
// group (R8.7), resolved once every group is read.
func (b *builder) setSGs(e *model.NetworkInterface, sgs []string, complete bool, why string) {
	if !complete {
		e.AddUnknown("SecurityGroupIds", why)
	}
	if len(sgs) == 0 && complete {
		b.defaultSGs = append(b.defaultSGs, e)
		return
	}
	e.SecurityGroupIDs = append([]string{}, dedupe(sgs)...)
}

// addresses fills an interface's private addresses from the properties
// of an ENI or an instance's NetworkInterfaces entry.
func (b *builder) addresses(p *props, e *model.NetworkInterface, primaryKey string) {
	if a, ok := p.addr(primaryKey); ok {
		e.PrivateIPs = append(e.PrivateIPs, model.PrivateIP{Address: a, Primary: true})
	}
	list, _ := p.list("PrivateIpAddresses")
	for _, x := range list {
		a, ok := x.addr("PrivateIpAddress")
		if !ok {
			continue
		}
		primary := x.boolean("Primary", false)
		dup := false
		for i := range e.PrivateIPs {
			if e.PrivateIPs[i].Address == a {
				dup = true
			}
		}
		if dup {
			continue
		}
		if primary && len(e.PrivateIPs) == 0 {
			e.PrivateIPs = append([]model.PrivateIP{{Address: a, Primary: true}}, e.PrivateIPs...)
		} else {
			e.PrivateIPs = append(e.PrivateIPs, model.PrivateIP{Address: a, Primary: primary && len(e.PrivateIPs) == 0})
		}
	}
	if len(e.PrivateIPs) == 0 {
		e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
	}
	if n, ok := p.int("SecondaryPrivateIpAddressCount"); ok && n > 0 {
		e.AddUnknown("SecondaryPrivateIpAddresses", fmt.Sprintf("%d more addresses picked by AWS at deploy time", n))
	}
	if ips, _ := p.strs("Ipv6Addresses"); len(ips) > 0 {
		for _, s := range ips {
			if a, err := netip.ParseAddr(s); err == nil {
				e.IPv6 = append(e.IPv6, a)
			}
		}
	}
	if list, _ := p.list("Ipv6Addresses"); len(list) > 0 {
		for _, x := range list {
			if a, ok := x.addr("Ipv6Address"); ok {
				e.IPv6 = append(e.IPv6, a)
			}
		}
	}
	if n, ok := p.int("Ipv6AddressCount"); ok && n > 0 {
		e.AddUnknown("PublicIpv6Address", fmt.Sprintf("%d IPv6 addresses (global, so reachable through an internet gateway) picked by AWS at deploy time", n))
	}
}

func (b *builder) networkInterface(p *props) error {
	e := b.newENI(p, p.r.id, "", model.OwnerNone, "", "")
	e.Meta = mergeMeta(p.meta(), e.Meta)
	p.bind(&e.Meta)
	e.SubnetID = p.str("SubnetId")
	e.VPCID = b.vpcOfSubnet(e.SubnetID)
	e.Unknowns = dropUnknown(e.Unknowns, "SubnetId")
	if e.SubnetID == "" {
		e.AddUnknown("SubnetId", "the subnet is unknown")
	}
	e.Description = p.str("Description")
	if t := p.str("InterfaceType"); t != "" {
		e.InterfaceType = t
	}
	e.SourceDestCheck = p.boolean("SourceDestCheck", true)
	sgs, complete := p.strs("GroupSet")
	b.setSGs(e, sgs, complete, "some groups are unknown")
	b.addresses(p, e, "PrivateIpAddress")
	e.Status = "available"
	b.n.NetworkInterfaces.Put(e)
	return nil
}

func mergeMeta(m, from model.Meta) model.Meta {
	m.Unknowns = append(m.Unknowns, from.Unknowns...)
	return m
}

func dropUnknown(us []model.Unknown, field string) []model.Unknown {
	out := us[:0]
	for _, u := range us {
		if u.Field != field {
			out = append(out, u)
		}
	}
	return out
}

func (b *builder) launchTemplate(p *props) error {
	if d := p.obj("LaunchTemplateData"); d != nil {
		b.launchTemplates[p.r.id] = d
		if n, _ := p.strU("LaunchTemplateName"); n != "" {
			b.launchTemplates["name:"+n] = d
		}
	}
	p.flush()
	return nil
}

func (b *builder) launchConfiguration(p *props) error {
	b.launchConfigs[p.r.id] = p
	return nil
}

// launchData finds the LaunchTemplateData a LaunchTemplate specification names.
func (b *builder) launchData(spec *props) (*props, string) {
	if spec == nil {
		return nil, ""
	}
	id, u := spec.strU("LaunchTemplateId")
	if u != nil {
		return nil, u.S
	}
	if id != "" {
		if d, ok := b.launchTemplates[id]; ok {
			return d, ""
		}
		return nil, "launch template " + id + " is not in the template"
	}
	name, u := spec.strU("LaunchTemplateName")
	if u != nil {
		return nil, u.S
	}
	if d, ok := b.launchTemplates["name:"+name]; ok {
		return d, ""
	}
	return nil, "launch template " + name + " is not in the template"
}

// nicSpec is one network interface an instance or group launches with.
type nicSpec struct {
	p        *props
	index    int
	subnet   string
	sgs      []string
	complete bool
	assoc    model.Flag
	stated   bool
}

func (b *builder) instance(p *props) error {
	in := &model.Instance{Meta: p.meta(), State: "running", NetworkInterfaceIDs: []string{}}
	p.bind(&in.Meta)
	var lt *props
	if spec := p.obj("LaunchTemplate"); spec != nil {
		var why string
		lt, why = b.launchData(spec)
		if lt == nil && why != "" {
			p.note("LaunchTemplate", why+": its network settings are unknown")
		}
	}
	src := p
	if !p.has("NetworkInterfaces") && !p.has("SubnetId") && lt != nil && lt.has("NetworkInterfaces") {
		src = lt
	}
	if o := p.obj("PrivateDnsNameOptions"); o != nil {
		in.HostnameType = o.str("HostnameType")
		in.EnableResourceNameDNSARecord = o.boolean("EnableResourceNameDnsARecord", false)
		in.EnableResourceNameDNSAAAARecord = o.boolean("EnableResourceNameDnsAAAARecord", false)
	}
	if in.HostnameType == "" {
		in.HostnameType = "ip-name"
	}
	nics, complete := src.list("NetworkInterfaces")
	if !complete {
		p.note("NetworkInterfaces", "some network interfaces are unknown")
	}
	if len(nics) == 0 {
		sgs, ok1 := p.strs("SecurityGroupIds")
		names, ok2 := p.strs("SecurityGroups")
		sgs = append(sgs, b.groupsByName(p, names)...)
		if len(sgs) == 0 && ok1 && ok2 && lt != nil {
			sgs, ok1 = lt.strs("SecurityGroupIds")
			names, ok2 = lt.strs("SecurityGroups")
			sgs = append(sgs, b.groupsByName(lt, names)...)
		}
		subnet := p.str("SubnetId")
		e := b.newENI(p, in.ID+"/eni0", subnet, model.OwnerInstance, in.ID, "interface")
		if subnet == "" && !p.has("SubnetId") {
			e.Unknowns = dropUnknown(e.Unknowns, "SubnetId")
			e.AddUnknown("SubnetId", "no SubnetId: a default subnet of the region's default VPC")
		}
		b.setSGs(e, sgs, ok1 && ok2, "some groups are unknown")
		e.SourceDestCheck = p.boolean("SourceDestCheck", true)
		b.addresses(p, e, "PrivateIpAddress")
		in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, e.ID)
		b.publicENIs = append(b.publicENIs, publicCheck{eni: e})
	}
	for i, nic := range nics {
		idx, ok := nic.int("DeviceIndex")
		if !ok {
			idx = i
		}
		var e *model.NetworkInterface
		if ex := nic.str("NetworkInterfaceId"); ex != "" {
			got, ok := b.n.NetworkInterfaces.Get(ex)
			if !ok {
				p.warnf("dangling-reference", "instance attaches network interface %s, which is not in the sources", ex)
				in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, ex)
				continue
			}
			e = got
			e.OwnerKind, e.OwnerID, e.Status = model.OwnerInstance, in.ID, "in-use"
		} else {
			subnet := nic.str("SubnetId")
			e = b.newENI(p, fmt.Sprintf("%s/eni%d", in.ID, idx), subnet, model.OwnerInstance, in.ID, "interface")
			sgs, ok := nic.strs("Groups")
			if !nic.has("Groups") {
				sgs, ok = nic.strs("GroupSet")
			}
			b.setSGs(e, sgs, ok, "some groups are unknown")
			e.Description = nic.str("Description")
			b.addresses(nic, e, "PrivateIpAddress")
			e.SourceDestCheck = p.boolean("SourceDestCheck", true)
		}
		e.DeviceIndex = idx
		in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, e.ID)
		if idx == 0 {
			pc := publicCheck{eni: e}
			if nic.has("AssociatePublicIpAddress") {
				pc.assoc, pc.stated = nic.flag("AssociatePublicIpAddress", false), true
			}
			b.publicENIs = append(b.publicENIs, pc)
		}
	}
	if len(in.NetworkInterfaceIDs) > 0 {
		if e, ok := b.n.NetworkInterfaces.Get(in.NetworkInterfaceIDs[0]); ok {
			in.SubnetID, in.VPCID = e.SubnetID, e.VPCID
			if a, ok := e.PrimaryIP(); ok {
				in.PrivateIP = a
			}
			in.SecurityGroupIDs = e.SecurityGroupIDs
		}
	}
	b.instances = append(b.instances, in)
	b.n.Instances.Put(in)
	return nil
}

// groupsByName turns the SecurityGroups property (names in the default
// VPC, but often Refs to groups in the template) into group IDs.
func (b *builder) groupsByName(p *props, names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := b.n.SecurityGroups.Get(n); ok || strings.HasPrefix(n, "sg-") {
			out = append(out, n)
			continue
		}
		if id := b.sgByName(n); id != "" {
			out = append(out, id)
			continue
		}
		p.note("SecurityGroups", "security group named "+n+" is not in the sources")
	}
	return out
}

func (b *builder) eniAttachment(p *props) error {
	inID := p.str("InstanceId")
	eniID := p.str("NetworkInterfaceId")
	in, ok := b.n.Instances.Get(inID)
	if !ok {
		p.warnf("dangling-reference", "NetworkInterfaceAttachment names instance %q, which is not in the sources", inID)
		p.flush()
		return nil
	}
	p.bindAs(&in.Meta)
	if eniID == "" {
		return nil
	}
	in.NetworkInterfaceIDs = dedupe(append(in.NetworkInterfaceIDs, eniID))
	if e, ok := b.n.NetworkInterfaces.Get(eniID); ok {
		e.OwnerKind, e.OwnerID, e.Status = model.OwnerInstance, in.ID, "in-use"
		if d, ok := p.int("DeviceIndex"); ok {
			e.DeviceIndex = d
		}
	}
	return nil
}

// autoScalingGroup is modelled as one instance of unknown count and
// address, with one interface per subnet of VPCZoneIdentifier.
func (b *builder) autoScalingGroup(p *props) error {
	in := &model.Instance{Meta: p.meta(), State: "running", AutoScalingGroup: true, NetworkInterfaceIDs: []string{}}
	p.bind(&in.Meta)
	in.AddUnknown("DesiredCapacity", "the group launches instances of unknown count and address at run time")
	// Network settings: launch template, mixed instances policy, or launch configuration.
	var sgs []string
	sgsOK := true
	assoc, stated := model.False, false
	var spec *props
	if s := p.obj("LaunchTemplate"); s != nil {
		spec = s
	} else if mip := p.obj("MixedInstancesPolicy"); mip != nil {
		if lt := mip.obj("LaunchTemplate"); lt != nil {
			spec = lt.obj("LaunchTemplateSpecification")
		}
	}
	switch {
	case spec != nil:
		lt, why := b.launchData(spec)
		if lt == nil {
			p.note("LaunchTemplate", why+": the instances' groups and public IPs are unknown")
			sgsOK, assoc, stated = false, model.UnknownFlag, true
			break
		}
		nics, _ := lt.list("NetworkInterfaces")
		if len(nics) > 0 {
			sgs, sgsOK = nics[0].strs("Groups")
			if nics[0].has("AssociatePublicIpAddress") {
				assoc, stated = nics[0].flag("AssociatePublicIpAddress", false), true
			}
		} else {
			var ok2 bool
			sgs, sgsOK = lt.strs("SecurityGroupIds")
			names, ok2b := lt.strs("SecurityGroups")
			ok2 = ok2b
			sgs = append(sgs, b.groupsByName(lt, names)...)
			sgsOK = sgsOK && ok2
		}
	case p.has("LaunchConfigurationName"):
		name := p.str("LaunchConfigurationName")
		lc, ok := b.launchConfigs[name]
		if !ok {
			p.note("LaunchConfigurationName", "launch configuration "+name+" is not in the template")
			sgsOK, assoc, stated = false, model.UnknownFlag, true
			break
		}
		names, ok1 := lc.strs("SecurityGroups")
		sgs = b.groupsByName(lc, names)
		sgsOK = ok1
		if lc.has("AssociatePublicIpAddress") {
			assoc, stated = lc.flag("AssociatePublicIpAddress", false), true
		}
	}
	subnets, complete := p.strs("VPCZoneIdentifier")
	if !complete {
		p.note("VPCZoneIdentifier", "some subnets are unknown")
	}
	if len(subnets) == 0 && complete {
		p.note("VPCZoneIdentifier", "no subnets: instances launch in default subnets of the region's default VPC")
	}
	for i, sub := range subnets {
		e := b.newENI(p, fmt.Sprintf("%s/eni%d", in.ID, i), sub, model.OwnerInstance, in.ID, "interface")
		b.setSGs(e, append([]string(nil), sgs...), sgsOK, "the launch settings' groups are unknown")
		e.AddUnknown("PrivateIpAddress", "instances of an Auto Scaling group get addresses at run time")
		in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, e.ID)
		b.publicENIs = append(b.publicENIs, publicCheck{eni: e, assoc: assoc, stated: stated})
	}
	if len(subnets) > 0 {
		in.SubnetID = subnets[0]
		in.VPCID = b.vpcOfSubnet(subnets[0])
	}
	in.SecurityGroupIDs = dedupe(sgs)
	tgs, _ := p.strs("TargetGroupARNs")
	for _, tg := range tgs {
		if g, ok := b.n.TargetGroups.Get(tg); ok {
			g.Targets = append(g.Targets, model.Target{ID: in.ID})
		}
	}
	lbs, _ := p.strs("LoadBalancerNames")
	for _, name := range lbs {
		for _, lb := range b.n.LoadBalancers.All() {
			if lb.LBType == "classic" && (lb.ID == name || lb.Name == name) {
				lb.InstanceIDs = append(lb.InstanceIDs, in.ID)
			}
		}
	}
	b.n.Instances.Put(in)
	return nil
}
