package cloudformation

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/internal/model"
)

var (
	anyV4 = netip.MustParsePrefix("0.0.0.0/0")
	anyV6 = netip.MustParsePrefix("::/0")
)

// finish applies what AWS derives once every resource exists.
func (b *builder) finish() {
	for _, v := range b.templateVPCs {
		b.vpcDefaults(v)
	}
	for _, rt := range b.localRTs {
		b.localRoutes(rt)
	}
	for _, acl := range b.customACLs {
		// A new custom NACL denies everything until rules are added (R8.8).
		model.AppendFinalDeny(acl, b.hasIPv6(acl.VPCID))
	}
	for _, c := range b.clientVPNs {
		if len(c.SecurityGroupIDs) == 0 && c.VPCID != "" {
			// No group stated: the VPC's default group (aws-behaviour.md R6.8).
			if v, ok := b.n.VPCs.Get(c.VPCID); ok && v.DefaultSecurityGroupID != "" {
				c.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
				c.Defaults = append(c.Defaults, "the VPC's default security group: none stated")
			} else {
				c.AddUnknown("SecurityGroupIds", "none stated: the VPC's default security group, which is not in the sources")
			}
		}
	}
	for _, e := range b.clientVPNENIs {
		if c, ok := b.n.ClientVPNEndpoints.Get(e.OwnerID); ok {
			e.SecurityGroupIDs = append([]string{}, c.SecurityGroupIDs...)
		}
	}
	for _, e := range b.defaultSGs {
		b.useDefaultSG(e)
	}
	for _, e := range b.endpointsDefaultSG {
		if v, ok := b.n.VPCs.Get(e.VPCID); ok && v.DefaultSecurityGroupID != "" {
			e.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
		}
	}
	for _, rc := range b.rdsPublic {
		b.rdsPublicIP(rc)
	}
	for _, in := range b.instances {
		if len(in.NetworkInterfaceIDs) > 0 {
			if e, ok := b.n.NetworkInterfaces.Get(in.NetworkInterfaceIDs[0]); ok {
				in.SecurityGroupIDs = e.SecurityGroupIDs
			}
		}
	}
	for _, pc := range b.publicENIs {
		b.publicIP(pc)
	}
	for _, e := range b.eips {
		b.eipTarget(e)
	}
	for _, vp := range b.vgwPropagations {
		b.propagate(vp)
	}
	b.tgwFinish()
	b.peeringFinish()
}

func (b *builder) hasIPv6(vpcID string) bool {
	if v, ok := b.n.VPCs.Get(vpcID); ok && len(v.IPv6CIDRs) > 0 {
		return true
	}
	_, ok := b.vpcsIPv6[vpcID]
	return ok
}

// vpcDefaults fills the rules of what AWS creates with a VPC: the default
// security group (R8.7) and network ACL (R8.8).
// https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
// https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
func (b *builder) vpcDefaults(v *model.VPC) {
	ipv6 := b.hasIPv6(v.ID)
	if sg, ok := b.n.SecurityGroups.Get(v.ID + defaultSGSuffix); ok {
		model.ApplyDefaultSecurityGroupRules(sg, ipv6)
	}
	if acl, ok := b.n.NetworkACLs.Get(v.ID + defaultACLSuffix); ok {
		model.ApplyDefaultNetworkACLEntries(acl, ipv6)
	}
}

// localRoutes adds the local route for each CIDR of the table's VPC.
func (b *builder) localRoutes(rt *model.RouteTable) {
	v, _ := b.n.VPCs.Get(rt.VPCID)
	rs := model.LocalRoutes(v, rt.VPCID, rt.Origin, b.vpcsIPv6[rt.VPCID])
	rt.Routes = append(rs, rt.Routes...)
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
	for _, g := range b.n.SecurityGroups.All() {
		if g.VPCID == e.VPCID && g.IsDefault() && e.VPCID != "" {
			e.SecurityGroupIDs = []string{g.ID}
			e.Defaults = append(e.Defaults, "the VPC's default security group: none stated")
			return
		}
	}
	e.AddUnknown("SecurityGroupIds", "none stated: the VPC's default security group, which is not in the sources")
}

// publicIP decides whether an instance's primary interface gets a public
// IPv4: AssociatePublicIpAddress when stated, else the subnet's
// MapPublicIpOnLaunch. The address itself is always picked at deploy time.
func (b *builder) publicIP(pc publicCheck) {
	e := pc.eni
	if s, ok := b.n.Subnets.Get(e.SubnetID); ok && s.AssignIPv6AddressOnCreation.MayBeTrue() && len(e.IPv6) == 0 {
		// A global IPv6 address from the subnet: public, value unknown.
		e.AddUnknown("PublicIpv6Address", "subnet "+s.ID+" assigns an IPv6 address on creation (AssignIpv6AddressOnCreation "+
			s.AssignIPv6AddressOnCreation.String()+"): AWS picks it at deploy time")
	}
	if pc.stated {
		switch pc.assoc {
		case model.True:
			b.markAssigned(e, "AssociatePublicIpAddress is true: AWS picks the public IP at deploy time")
		case model.UnknownFlag:
			b.markPublic(e, netip.Addr{}, "AssociatePublicIpAddress is unknown: the interface may have a public IP")
		}
		return
	}
	s, ok := b.n.Subnets.Get(e.SubnetID)
	switch {
	case !ok:
		b.markPublic(e, netip.Addr{}, "the subnet is not in the sources: its MapPublicIpOnLaunch may give a public IP")
	case s.MapPublicIPOnLaunch == model.True:
		b.markAssigned(e, "subnet "+s.ID+" maps a public IP on launch: AWS picks it at deploy time")
	case s.MapPublicIPOnLaunch == model.UnknownFlag:
		b.markPublic(e, netip.Addr{}, "subnet "+s.ID+"'s MapPublicIpOnLaunch is unknown: the interface may have a public IP")
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
	if eniID == "" {
		return
	}
	e, ok := b.n.NetworkInterfaces.Get(eniID)
	if !ok {
		return
	}
	if ip.NetworkInterfaceID == "" {
		ip.NetworkInterfaceID = eniID
	}
	why := "elastic IP " + ip.ID + " is allocated at deploy time"
	if ip.PrivateIP.IsValid() {
		for i := range e.PrivateIPs {
			if e.PrivateIPs[i].Address == ip.PrivateIP {
				if ip.PublicIP.IsValid() {
					e.PrivateIPs[i].PublicIP, e.PrivateIPs[i].ElasticIP = ip.PublicIP, ip.AllocationID
				} else {
					e.PrivateIPs[i].PublicUnknown, e.PrivateIPs[i].PublicAssigned = why, true
				}
				return
			}
		}
	}
	if ip.PublicIP.IsValid() && len(e.PrivateIPs) > 0 {
		e.PrivateIPs[0].PublicIP, e.PrivateIPs[0].ElasticIP, e.PrivateIPs[0].PublicUnknown = ip.PublicIP, ip.AllocationID, ""
		return
	}
	b.markAssigned(e, why)
	if len(e.PrivateIPs) > 0 && e.PrivateIPs[0].PublicUnknown == why {
		e.PrivateIPs[0].ElasticIP = ip.AllocationID
	}
}

// rdsPublicIP applies RDS's default for PubliclyAccessible: public when the
// subnets' VPC has an internet gateway attached.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
func (b *builder) rdsPublicIP(rc rdsCheck) {
	why, assigned := "", false
	if _, ok := b.n.VPCs.Get(rc.vpc); !ok {
		why = "PubliclyAccessible is not stated and the VPC is not in the sources: the instance may be public"
	}
	for _, g := range b.n.InternetGateways.All() {
		for _, v := range g.VPCIDs {
			if v == rc.vpc && rc.vpc != "" {
				why = "PubliclyAccessible is not stated and the VPC has internet gateway " + g.ID + ": AWS makes the instance public"
				assigned = true
			}
		}
	}
	if why == "" {
		return
	}
	for _, e := range rc.enis {
		b.markPublicAs(e, netip.Addr{}, why, assigned)
	}
}
