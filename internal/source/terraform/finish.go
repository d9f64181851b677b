package terraform

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/internal/model"
)

// finish applies what AWS derives once every resource exists.
func (b *builder) finish() {
	for _, v := range b.newVPCs {
		b.vpcDefaults(v)
	}
	for _, v := range b.oldVPCs {
		b.existingDefaults(v)
	}
	for _, rt := range b.localRTs {
		b.localRoutes(rt)
	}
	for _, acl := range b.customACLs {
		// Every NACL ends with the "*" deny (R8.8).
		model.AppendFinalDeny(acl, b.hasIPv6(acl.VPCID))
	}
	for _, a := range b.aclAssoc {
		acl, ok := b.n.NetworkACLs.Get(a.acl)
		s, sok := b.n.Subnets.Get(a.subnet)
		if ok {
			acl.SubnetIDs = append(acl.SubnetIDs, a.subnet)
		}
		if sok {
			s.NetworkACLID = a.acl
		}
	}
	for _, e := range b.defaultSGs {
		b.useDefaultSG(e)
	}
	b.clientVPNFinish()
	for _, i := range b.instances {
		if len(i.NetworkInterfaceIDs) > 0 {
			if e, ok := b.n.NetworkInterfaces.Get(i.NetworkInterfaceIDs[0]); ok {
				i.SecurityGroupIDs = e.SecurityGroupIDs
				if i.VPCID == "" {
					i.VPCID = e.VPCID
				}
			}
		}
	}
	for _, e := range b.n.NetworkInterfaces.All() {
		if e.VPCID == "" {
			e.VPCID = b.vpcOfSubnet(e.SubnetID)
		}
	}
	for _, pc := range b.publicENIs {
		b.publicIP(pc)
	}
	for _, ip := range b.eips {
		b.eipTarget(ip)
	}
	b.tgwFinish()
	for _, pc := range b.peerings {
		for _, side := range []*model.PeeringSide{&pc.Requester, &pc.Accepter} {
			if v, ok := b.n.VPCs.Get(side.VPCID); ok {
				side.CIDRs = append([]netip.Prefix{}, v.CIDRs...)
				side.IPv6CIDRs = append([]netip.Prefix{}, v.IPv6CIDRs...)
			}
		}
	}
}

func (b *builder) hasIPv6(vpcID string) bool {
	if v, ok := b.n.VPCs.Get(vpcID); ok && len(v.IPv6CIDRs) > 0 {
		return true
	}
	_, ok := b.vpcIPv6[vpcID]
	return ok
}

// vpcDefaults fills the default group (R8.7) and ACL (R8.8) of a VPC the
// plan creates, unless an aws_default_* resource manages them.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
// https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
func (b *builder) vpcDefaults(v *model.VPC) {
	ipv6 := b.hasIPv6(v.ID)
	if sg, ok := b.n.SecurityGroups.Get(v.DefaultSecurityGroupID); ok && !b.managedDefault[sg.ID] {
		model.ApplyDefaultSecurityGroupRules(sg, ipv6)
	}
	if acl, ok := b.n.NetworkACLs.Get(v.DefaultNetworkACLID); ok && !b.managedDefault[acl.ID] {
		model.ApplyDefaultNetworkACLEntries(acl, ipv6)
	}
}

// existingDefaults marks what the sources do not say about the defaults of
// a VPC that exists: its default group's and ACL's rules may have changed
// since it was created.
func (b *builder) existingDefaults(v *model.VPC) {
	why := "the default security group of existing VPC " + v.ID + " is not managed here: its rules are not in the sources"
	if sg, ok := b.n.SecurityGroups.Get(v.DefaultSecurityGroupID); ok && !b.managedDefault[sg.ID] && len(sg.Ingress)+len(sg.Egress) == 0 {
		sg.Ingress = append(sg.Ingress, unknownRule(false, sg.Origin, why))
		sg.Egress = append(sg.Egress, unknownRule(true, sg.Origin, why))
	}
	if acl, ok := b.n.NetworkACLs.Get(v.DefaultNetworkACLID); ok && !b.managedDefault[acl.ID] && len(acl.Entries) == 0 {
		w := "the default network ACL of existing VPC " + v.ID + " is not managed here: its rules are not in the sources"
		for _, eg := range []bool{false, true} {
			acl.Entries = append(acl.Entries, model.NACLEntry{RuleNumber: 1, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLAllow,
				CIDRUnknown: w, Ports: model.AllPorts, ICMP: model.AnyICMP, Origin: acl.Origin})
		}
	}
	if rt, ok := b.n.RouteTables.Get(b.mainRT[v.ID]); ok && b.implicitRT[rt.ID] && !b.managedDefault[rt.ID] {
		rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "the main route table of existing VPC " + v.ID + " is not managed here: its routes are not in the sources",
			TargetKind: model.TargetUnknown, State: model.RouteActive, Origin: rt.Origin})
	}
}

// localRoutes adds the local route for each CIDR of the table's VPC.
func (b *builder) localRoutes(rt *model.RouteTable) {
	v, _ := b.n.VPCs.Get(rt.VPCID)
	rs := model.LocalRoutes(v, rt.VPCID, rt.Origin, b.vpcIPv6[rt.VPCID])
	// Inline "local" routes restate the local route.
	kept := rt.Routes[:0]
	for _, r := range rt.Routes {
		if r.TargetKind != model.TargetLocal {
			kept = append(kept, r)
		}
	}
	rt.Routes = append(rs, kept...)
}

// useDefaultSG gives an interface with no groups its VPC's default group (R8.7).
func (b *builder) useDefaultSG(e *model.NetworkInterface) {
	if e.VPCID == "" {
		e.VPCID = b.vpcOfSubnet(e.SubnetID)
	}
	if v, ok := b.n.VPCs.Get(e.VPCID); ok && v.DefaultSecurityGroupID != "" {
		e.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
		e.Defaults = append(e.Defaults, "the VPC's default security group: none stated")
		return
	}
	e.AddUnknown("SecurityGroupIds", "none stated: the VPC's default security group, which is not in the sources")
}

// publicIP decides whether an instance's primary interface gets a public
// IPv4 the plan knows only after apply.
func (b *builder) publicIP(pc publicCheck) {
	e := pc.eni
	if pc.stated {
		switch pc.assoc {
		case model.True:
			b.markPublic(e, "associate_public_ip_address is true: AWS picks the public IP at apply", true)
		case model.UnknownFlag:
			b.markPublic(e, "associate_public_ip_address is known only after apply: the interface may have a public IP", false)
		}
		return
	}
	s, ok := b.n.Subnets.Get(e.SubnetID)
	switch {
	case !ok:
		b.markPublic(e, "the subnet is not in the sources: its map_public_ip_on_launch may give a public IP", false)
	case s.MapPublicIPOnLaunch == model.True:
		b.markPublic(e, "subnet "+s.ID+" maps a public IP on launch: AWS picks it at apply", true)
	case s.MapPublicIPOnLaunch == model.UnknownFlag:
		b.markPublic(e, "subnet "+s.ID+"'s map_public_ip_on_launch is known only after apply: the interface may have a public IP", false)
	}
}

// eipTarget maps an elastic IP to the interface it is associated with.
func (b *builder) eipTarget(ip *model.ElasticIP) {
	eniID := ip.NetworkInterfaceID
	if eniID == "" && ip.InstanceID != "" {
		if in, ok := b.n.Instances.Get(ip.InstanceID); ok && len(in.NetworkInterfaceIDs) > 0 {
			eniID = in.NetworkInterfaceIDs[0]
		}
	}
	e, ok := b.n.NetworkInterfaces.Get(eniID)
	if !ok || e.OwnerKind == model.OwnerNATGateway {
		return
	}
	ip.NetworkInterfaceID = eniID
	idx := 0
	if ip.PrivateIP.IsValid() {
		for i := range e.PrivateIPs {
			if e.PrivateIPs[i].Address == ip.PrivateIP {
				idx = i
			}
		}
	}
	if len(e.PrivateIPs) == 0 {
		if ip.PublicIP.IsValid() {
			b.markPublic(e, "elastic IP "+ip.PublicIP.String()+" maps to a private address picked at apply", true)
		} else {
			b.markPublic(e, "elastic IP "+ip.ID+" is allocated at apply", true)
		}
		return
	}
	pi := &e.PrivateIPs[idx]
	if ip.PublicIP.IsValid() {
		pi.PublicIP, pi.ElasticIP, pi.PublicUnknown, pi.PublicAssigned = ip.PublicIP, ip.AllocationID, "", false
		return
	}
	pi.PublicIP = netip.Addr{}
	pi.PublicUnknown, pi.PublicAssigned, pi.ElasticIP = "elastic IP "+ip.ID+" is allocated at apply", true, ip.AllocationID
}
