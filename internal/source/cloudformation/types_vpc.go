package cloudformation

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// handlers maps every modelled resource type to its reader.
var handlers = map[string]handler{}

func init() {
	for t, h := range map[string]handler{
		"AWS::EC2::VPC":                          {0, (*builder).vpc},
		"AWS::EC2::InternetGateway":              {0, (*builder).igw},
		"AWS::EC2::DHCPOptions":                  {0, (*builder).dhcpOptions},
		"AWS::EC2::PrefixList":                   {0, (*builder).prefixList},
		"AWS::EC2::VPCCidrBlock":                 {1, (*builder).vpcCidrBlock},
		"AWS::EC2::Subnet":                       {1, (*builder).subnet},
		"AWS::EC2::RouteTable":                   {1, (*builder).routeTable},
		"AWS::EC2::NetworkAcl":                   {1, (*builder).networkACL},
		"AWS::EC2::EgressOnlyInternetGateway":    {1, (*builder).eigw},
		"AWS::EC2::VPCGatewayAttachment":         {1, (*builder).gatewayAttachment},
		"AWS::EC2::VPCDHCPOptionsAssociation":    {1, (*builder).dhcpAssociation},
		"AWS::EC2::EIP":                          {1, (*builder).eip},
		"AWS::EC2::Route":                        {3, (*builder).route},
		"AWS::EC2::SubnetRouteTableAssociation":  {3, (*builder).subnetRTAssociation},
		"AWS::EC2::GatewayRouteTableAssociation": {3, (*builder).gatewayRTAssociation},
		"AWS::EC2::NatGateway":                   {3, (*builder).natGateway},
		"AWS::EC2::NetworkAclEntry":              {3, (*builder).networkACLEntry},
		"AWS::EC2::SubnetNetworkAclAssociation":  {3, (*builder).subnetACLAssociation},
		"AWS::EC2::EIPAssociation":               {4, (*builder).eipAssociation},
		"AWS::EC2::SecurityGroup":                {1, (*builder).securityGroup},
		"AWS::EC2::SecurityGroupIngress":         {3, (*builder).securityGroupIngress},
		"AWS::EC2::SecurityGroupEgress":          {3, (*builder).securityGroupEgress},
	} {
		handlers[t] = h
	}
}

func (b *builder) vpc(p *props) error {
	v := &model.VPC{Meta: p.meta(), DHCPOptionsID: "default"}
	p.bind(&v.Meta)
	if c, ok := p.prefix("CidrBlock"); ok {
		v.CIDRs = append(v.CIDRs, c)
	} else if !p.has("CidrBlock") {
		p.note("CidrBlock", "allocated from an IPAM pool at deploy time")
	}
	v.EnableDNSSupport = p.flag("EnableDnsSupport", true)
	v.EnableDNSHostnames = p.flag("EnableDnsHostnames", false)
	if !p.has("EnableDnsSupport") {
		v.Defaults = append(v.Defaults, "EnableDnsSupport true (CloudFormation default)")
	}
	if !p.has("EnableDnsHostnames") {
		v.Defaults = append(v.Defaults, "EnableDnsHostnames false (CloudFormation default)")
	}
	v.DefaultSecurityGroupID = v.ID + defaultSGSuffix
	v.DefaultNetworkACLID = v.ID + defaultACLSuffix
	b.n.VPCs.Put(v)

	// What AWS creates with every VPC (aws-behaviour.md R8.7, R8.8, R8.10):
	// the default security group, the default network ACL and the main
	// route table. Their rules are filled in once the VPC's CIDRs are known.
	sg := &model.SecurityGroup{Meta: p.implicit(defaultSGSuffix, "default security group created with the VPC"),
		GroupName: "default", Description: "default VPC security group", VPCID: v.ID}
	b.n.SecurityGroups.Put(sg)
	acl := &model.NetworkACL{Meta: p.implicit(defaultACLSuffix, "default network ACL created with the VPC"), VPCID: v.ID, IsDefault: true}
	b.n.NetworkACLs.Put(acl)
	rt := &model.RouteTable{Meta: p.implicit(mainRTSuffix, "main route table created with the VPC"), VPCID: v.ID,
		Associations: []model.RouteTableAssociation{{Main: true, Origin: p.origin}}}
	b.n.RouteTables.Put(rt)
	b.localRTs = append(b.localRTs, rt)
	b.templateVPCs = append(b.templateVPCs, v)
	return nil
}

// implicit is the Meta of an element AWS creates along with this resource.
func (p *props) implicit(suffix, why string) model.Meta {
	return model.Meta{ID: p.r.id + suffix, LogicalID: p.r.id + suffix, Account: p.b.r.opts.Account, Region: p.b.r.region,
		Origin: p.origin, Defaults: []string{why}}
}

func (b *builder) vpcCidrBlock(p *props) error {
	id := p.str("VpcId")
	v, ok := b.n.VPCs.Get(id)
	if !ok {
		p.flush()
		if id != "" {
			p.warnf("dangling-reference", "VPCCidrBlock adds a block to VPC %s, which is not in the sources", id)
		}
		return nil
	}
	p.bindAs(&v.Meta)
	if p.has("CidrBlock") {
		if c, ok := p.prefix("CidrBlock"); ok {
			v.CIDRs = append(v.CIDRs, c)
		}
	} else if p.has("Ipv6CidrBlock") {
		if c, ok := p.prefix("Ipv6CidrBlock"); ok {
			v.IPv6CIDRs = append(v.IPv6CIDRs, c)
		}
	} else if p.boolean("AmazonProvidedIpv6CidrBlock", false) || p.has("Ipv6IpamPoolId") || p.has("Ipv6Pool") {
		why := fmt.Sprintf("the IPv6 block added by %s is picked by AWS at deploy time", p.r.id)
		p.note("Ipv6CidrBlock", why)
		b.vpcsIPv6[v.ID] = why
	} else {
		p.note("CidrBlock", fmt.Sprintf("the IPv4 block added by %s comes from an IPAM pool at deploy time", p.r.id))
	}
	return nil
}

// bindAs attaches notes to another element's Meta, prefixed with this
// resource's logical ID (a route noted on its route table).
func (p *props) bindAs(m *model.Meta) {
	for i := range p.unk {
		p.unk[i].Field = p.r.id + "." + p.unk[i].Field
	}
	p.path = p.r.id + "."
	p.bind(m)
}

func (b *builder) subnet(p *props) error {
	s := &model.Subnet{Meta: p.meta()}
	p.bind(&s.Meta)
	s.VPCID = p.str("VpcId")
	if c, ok := p.prefix("CidrBlock"); ok {
		s.CIDR = c
	} else if !p.has("CidrBlock") && !p.boolean("Ipv6Native", false) {
		p.note("CidrBlock", "allocated from an IPAM pool at deploy time")
	}
	if p.has("Ipv6CidrBlock") {
		if c, ok := p.prefix("Ipv6CidrBlock"); ok {
			s.IPv6CIDRs = append(s.IPv6CIDRs, c)
		}
	}
	if cs, _ := p.strs("Ipv6CidrBlocks"); len(cs) > 0 {
		for _, c := range cs {
			if pf, err := netip.ParsePrefix(c); err == nil {
				s.IPv6CIDRs = append(s.IPv6CIDRs, pf.Masked())
			}
		}
	}
	s.AvailabilityZone = p.str("AvailabilityZone")
	s.AZID = p.str("AvailabilityZoneId")
	if s.AvailabilityZone == "" && s.AZID == "" && !p.has("AvailabilityZone") {
		s.Defaults = append(s.Defaults, "AvailabilityZone picked by AWS")
	}
	s.MapPublicIPOnLaunch = p.flag("MapPublicIpOnLaunch", false)
	s.AssignIPv6AddressOnCreation = p.flag("AssignIpv6AddressOnCreation", false)
	s.EnableDNS64 = p.boolean("EnableDns64", false)
	s.IPv6Native = p.boolean("Ipv6Native", false)
	b.n.Subnets.Put(s)
	return nil
}

func (b *builder) routeTable(p *props) error {
	rt := &model.RouteTable{Meta: p.meta()}
	p.bind(&rt.Meta)
	rt.VPCID = p.str("VpcId")
	b.n.RouteTables.Put(rt)
	b.localRTs = append(b.localRTs, rt)
	return nil
}

// routeTarget reads a route's target properties.
var routeTargets = []struct {
	key  string
	kind model.TargetKind
}{
	{"GatewayId", ""},
	{"EgressOnlyInternetGatewayId", model.TargetEgressOnlyIGW},
	{"NatGatewayId", model.TargetNATGateway},
	{"VpcPeeringConnectionId", model.TargetPeering},
	{"TransitGatewayId", model.TargetTransitGateway},
	{"NetworkInterfaceId", model.TargetNetworkInterface},
	{"InstanceId", model.TargetInstance},
	{"VpcEndpointId", model.TargetGatewayEndpoint},
	{"CarrierGatewayId", model.TargetUnmodelled},
	{"LocalGatewayId", model.TargetUnmodelled},
	{"CoreNetworkArn", model.TargetUnmodelled},
}

func (b *builder) route(p *props) error {
	rtID := p.str("RouteTableId")
	rt, ok := b.n.RouteTables.Get(rtID)
	if !ok {
		if rtID != "" {
			p.warnf("dangling-reference", "Route is in route table %s, which is not in the sources", rtID)
		} else {
			p.warnf("unknown-value", "Route is in a route table that is unknown: the route is not read")
		}
		p.flush()
		return nil
	}
	p.bindAs(&rt.Meta)
	r := model.Route{State: model.RouteActive, CreatedBy: "CreateRoute", Origin: p.origin}
	switch {
	case p.has("DestinationCidrBlock"):
		r.Destination, r.DestinationUnknown = p.routeDest("DestinationCidrBlock")
	case p.has("DestinationIpv6CidrBlock"):
		r.Destination, r.DestinationUnknown = p.routeDest("DestinationIpv6CidrBlock")
	case p.has("DestinationPrefixListId"):
		id, u := p.strU("DestinationPrefixListId")
		if u != nil {
			r.DestinationUnknown = u.S
		} else {
			r.DestinationPrefixListID = id
		}
	default:
		r.DestinationUnknown = "the route states no destination"
	}
	if p.r.cond == triUnknown && r.DestinationUnknown == "" {
		// The route may or may not exist: keep it, and say so on the table.
	}
	r.TargetKind = model.TargetUnknown
	for _, t := range routeTargets {
		if !p.has(t.key) {
			continue
		}
		id, u := p.strU(t.key)
		if u != nil && u.fw != nil && t.key == "VpcEndpointId" {
			// A firewall endpoint the template names only through the
			// firewall: the route resolves to that firewall.
			r.TargetKind = model.TargetGatewayEndpoint
			r.Firewall = &model.RouteFirewallTarget{FirewallID: u.fw.Firewall, Index: u.fw.Index, AssociationID: u.fw.Association}
			break
		}
		if u != nil {
			p.note(t.key, u.S)
			r.TargetKind = model.TargetUnknown
			break
		}
		r.TargetID = id
		r.TargetKind = t.kind
		if t.kind == model.TargetUnmodelled {
			r.TargetUnmodelledType = t.key
		}
		if t.key == "GatewayId" {
			r.TargetKind = b.gatewayKind(id)
			if r.TargetKind == model.TargetLocal {
				r.TargetID = "local"
			}
		}
		break
	}
	if r.TargetKind == model.TargetUnknown && r.TargetID == "" && len(rt.Unknowns) == 0 {
		p.note("Target", "the route states no target")
	}
	rt.Routes = append(rt.Routes, r)
	return nil
}

func (p *props) routeDest(k string) (netip.Prefix, string) {
	s, u := p.strU(k)
	if u != nil {
		return netip.Prefix{}, u.S
	}
	pf, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		p.badCIDR(k, s)
		return netip.Prefix{}, fmt.Sprintf("%s %q is not a CIDR block", k, s)
	}
	return pf.Masked(), ""
}

// gatewayKind tells what a route's GatewayId names.
func (b *builder) gatewayKind(id string) model.TargetKind {
	if id == "local" {
		return model.TargetLocal
	}
	switch b.typeOf(id) {
	case "AWS::EC2::InternetGateway":
		return model.TargetInternetGateway
	case "AWS::EC2::VPNGateway":
		return model.TargetVPNGateway
	case "AWS::EC2::EgressOnlyInternetGateway":
		return model.TargetEgressOnlyIGW
	case "AWS::EC2::VPCEndpoint":
		return model.TargetGatewayEndpoint
	}
	if _, ok := b.n.InternetGateways.Get(id); ok {
		return model.TargetInternetGateway
	}
	if _, ok := b.n.VPNGateways.Get(id); ok {
		return model.TargetVPNGateway
	}
	return model.TargetUnknown
}

func (b *builder) subnetRTAssociation(p *props) error {
	rt, ok := attachTo(p, &b.n.RouteTables, "RouteTableId", "SubnetRouteTableAssociation names route table %q, which is not in the sources")
	if !ok {
		return nil
	}
	sub := p.str("SubnetId")
	if sub == "" {
		return nil
	}
	rt.Associations = append(rt.Associations, model.RouteTableAssociation{ID: p.r.id, SubnetID: sub, Origin: p.origin})
	return nil
}

func (b *builder) gatewayRTAssociation(p *props) error {
	rt, ok := attachTo(p, &b.n.RouteTables, "RouteTableId", "GatewayRouteTableAssociation names route table %q, which is not in the sources")
	if !ok {
		return nil
	}
	gw := p.str("GatewayId")
	if gw != "" {
		rt.Associations = append(rt.Associations, model.RouteTableAssociation{ID: p.r.id, GatewayID: gw, Origin: p.origin})
	}
	return nil
}

func (b *builder) igw(p *props) error {
	g := &model.InternetGateway{Meta: p.meta(), VPCIDs: []string{}}
	p.bind(&g.Meta)
	b.n.InternetGateways.Put(g)
	return nil
}

func (b *builder) eigw(p *props) error {
	g := &model.EgressOnlyInternetGateway{Meta: p.meta()}
	p.bind(&g.Meta)
	if v := p.str("VpcId"); v != "" {
		g.VPCIDs = []string{v}
	}
	b.n.EgressOnlyIGWs.Put(g)
	return nil
}

func (b *builder) gatewayAttachment(p *props) error {
	vpc := p.str("VpcId")
	switch {
	case p.has("InternetGatewayId"):
		id := p.str("InternetGatewayId")
		g, ok := b.n.InternetGateways.Get(id)
		if !ok {
			p.warnf("dangling-reference", "VPCGatewayAttachment attaches internet gateway %q, which is not in the sources", id)
			break
		}
		p.bindAs(&g.Meta)
		if vpc != "" {
			g.VPCIDs = dedupe(append(g.VPCIDs, vpc))
		}
	case p.has("VpnGatewayId"):
		id := p.str("VpnGatewayId")
		g, ok := b.n.VPNGateways.Get(id)
		if !ok {
			p.warnf("dangling-reference", "VPCGatewayAttachment attaches VPN gateway %q, which is not in the sources", id)
			break
		}
		p.bindAs(&g.Meta)
		if vpc != "" {
			g.VPCIDs = dedupe(append(g.VPCIDs, vpc))
		}
	default:
		p.warnf("bad-template", "VPCGatewayAttachment names no gateway")
	}
	p.flush()
	return nil
}

func (b *builder) natGateway(p *props) error {
	ng := &model.NATGateway{Meta: p.meta(), State: "available"}
	p.bind(&ng.Meta)
	ng.SubnetID = p.str("SubnetId")
	ng.VPCID = b.vpcOfSubnet(ng.SubnetID)
	ng.ConnectivityType = strings.ToLower(p.str("ConnectivityType"))
	if ng.ConnectivityType == "" {
		ng.ConnectivityType = "public"
		ng.Defaults = append(ng.Defaults, "ConnectivityType public")
	}
	eni := b.newENI(p, ng.ID+"/eni0", ng.SubnetID, model.OwnerNATGateway, ng.ID, "nat_gateway")
	eni.SecurityGroupIDs = []string{}
	eni.SourceDestCheck = false
	eni.RequesterManaged = true
	addr := model.NATAddress{NetworkInterfaceID: eni.ID}
	if a, ok := p.addr("PrivateIpAddress"); ok {
		addr.PrivateIP = a
		eni.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
	} else {
		eni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
	}
	if ng.IsPublic() {
		alloc, u := p.strU("AllocationId")
		switch {
		case u != nil:
			addr.AllocationID = u.Of
			ng.AddUnknown("PublicIp", u.S)
		case alloc != "":
			addr.AllocationID = alloc
			ng.AddUnknown("PublicIp", "the elastic IP "+alloc+" is allocated at deploy time")
			if ip, ok := b.n.ElasticIPs.Get(alloc); ok {
				ip.NetworkInterfaceID, ip.AssociationID = eni.ID, ng.ID
				if ip.PublicIP.IsValid() {
					addr.PublicIP = ip.PublicIP
				}
			}
		default:
			ng.AddUnknown("PublicIp", "no AllocationId given")
		}
		b.markAssigned(eni, "the NAT gateway's elastic IP is allocated at deploy time")
	}
	ng.Addresses = []model.NATAddress{addr}
	b.n.NATGateways.Put(ng)
	return nil
}

// markPublic records that an ENI has a public IPv4: known (pub valid) or
// of unknown value.
func (b *builder) markPublic(eni *model.NetworkInterface, pub netip.Addr, why string) {
	b.markPublicAs(eni, pub, why, false)
}

// markAssigned records a public IPv4 AWS assigns for certain, whose value
// is picked at deploy time.
func (b *builder) markAssigned(eni *model.NetworkInterface, why string) {
	b.markPublicAs(eni, netip.Addr{}, why, true)
}

// markPublicAs records a public address: known (pub), or unknown with why;
// assigned says AWS gives one for certain. A certain one overrides a
// possible one recorded before.
func (b *builder) markPublicAs(eni *model.NetworkInterface, pub netip.Addr, why string, assigned bool) {
	if len(eni.PrivateIPs) == 0 {
		// The private address is unknown too: say both on the interface.
		for i, u := range eni.Unknowns {
			if u.Field == "PublicIp" {
				if assigned && !eni.PublicIPAssigned {
					eni.Unknowns[i].Reason, eni.PublicIPAssigned = why, true
				}
				return
			}
		}
		eni.AddUnknown("PublicIp", why)
		eni.PublicIPAssigned = assigned
		return
	}
	pi := &eni.PrivateIPs[0]
	if pub.IsValid() {
		pi.PublicIP = pub
		pi.PublicUnknown, pi.PublicAssigned = "", false
		return
	}
	if pi.PublicIP.IsValid() {
		return
	}
	if pi.PublicUnknown == "" || assigned && !pi.PublicAssigned {
		pi.PublicUnknown, pi.PublicAssigned = why, assigned
	}
}

func (b *builder) eip(p *props) error {
	e := &model.ElasticIP{Meta: p.meta(), AllocationID: p.r.id}
	p.bind(&e.Meta)
	if a, ok := p.addr("Address"); ok {
		e.PublicIP = a
	} else {
		e.AddUnknown("PublicIp", "allocated by AWS at deploy time")
	}
	e.InstanceID = p.str("InstanceId")
	b.n.ElasticIPs.Put(e)
	b.eips = append(b.eips, e)
	return nil
}

func (b *builder) eipAssociation(p *props) error {
	var e *model.ElasticIP
	id, u := p.strU("AllocationId")
	if u != nil {
		id = u.Of
	}
	if id == "" {
		if x := p.get("EIP"); x != nil {
			if x.Kind == Unknown {
				id = x.Of
			} else if x.Kind == Scalar {
				if a, err := netip.ParseAddr(x.S); err == nil {
					for _, c := range b.n.ElasticIPs.All() {
						if c.PublicIP == a {
							e = c
						}
					}
					if e == nil {
						e = &model.ElasticIP{Meta: p.meta(), PublicIP: a}
						b.n.ElasticIPs.Put(e)
						b.eips = append(b.eips, e)
					}
				}
			}
		}
	}
	if e == nil && id != "" {
		e, _ = b.n.ElasticIPs.Get(id)
	}
	if e == nil {
		// An allocation the sources do not hold: the address is public
		// but unknown.
		e = &model.ElasticIP{Meta: p.meta(), AllocationID: id}
		e.AddUnknown("PublicIp", "the elastic IP "+id+" is not in the sources")
		b.n.ElasticIPs.Put(e)
		b.eips = append(b.eips, e)
	}
	p.bindAs(&e.Meta)
	e.AssociationID = p.r.id
	if i := p.str("InstanceId"); i != "" {
		e.InstanceID = i
	}
	if n := p.str("NetworkInterfaceId"); n != "" {
		e.NetworkInterfaceID = n
	}
	if a, ok := p.addr("PrivateIpAddress"); ok {
		e.PrivateIP = a
	}
	return nil
}

func (b *builder) networkACL(p *props) error {
	acl := &model.NetworkACL{Meta: p.meta()}
	p.bind(&acl.Meta)
	acl.VPCID = p.str("VpcId")
	b.n.NetworkACLs.Put(acl)
	b.customACLs = append(b.customACLs, acl)
	return nil
}

func (b *builder) networkACLEntry(p *props) error {
	acl, ok := attachTo(p, &b.n.NetworkACLs, "NetworkAclId", "NetworkAclEntry is in network ACL %q, which is not in the sources")
	if !ok {
		return nil
	}
	e := model.NACLEntry{Origin: p.origin, Ports: model.AllPorts, ICMP: model.AnyICMP, Action: model.NACLAllow}
	if n, ok, err := p.intV("RuleNumber"); err != nil {
		return err
	} else if ok {
		if n < 1 || n > 32766 {
			return p.badf("RuleNumber", "RuleNumber %d is outside 1-32766", n)
		}
		e.RuleNumber = n
	} else {
		e.RuleNumber = 1
		p.note("RuleNumber", "unknown rule number: read as rule 1, first to match")
	}
	e.Egress = p.boolean("Egress", false)
	proto, u := p.strU("Protocol")
	if u != nil {
		p.note("Protocol", u.S+": read as all protocols")
		e.Protocol = model.ProtoAll
	} else {
		pr, err := model.ParseProtocol(proto)
		if err != nil {
			return p.badf("Protocol", "%v", err)
		}
		e.Protocol = pr
	}
	act, u := p.strU("RuleAction")
	switch {
	case u != nil:
		p.note("RuleAction", u.S+": read as allow")
	case strings.EqualFold(act, "deny"):
		e.Action = model.NACLDeny
	case strings.EqualFold(act, "allow"):
	default:
		return p.errf("RuleAction", "RuleAction %q: want allow or deny", act)
	}
	key := "CidrBlock"
	if !p.has(key) && p.has("Ipv6CidrBlock") {
		key = "Ipv6CidrBlock"
	}
	s, u := p.strU(key)
	switch {
	case u != nil:
		e.CIDRUnknown = u.S
	case s == "":
		e.CIDRUnknown = "the entry states no CidrBlock or Ipv6CidrBlock"
	default:
		pf, err := netip.ParsePrefix(strings.TrimSpace(s))
		switch {
		case err == nil:
			e.CIDR = pf.Masked()
		case p.namesResource(s):
			e.CIDRUnknown = fmt.Sprintf("%s is a Ref to resource %s, not a CIDR block", key, s)
		default:
			return p.badf(key, "%s %q is not a CIDR block", key, s)
		}
	}
	if pr := p.obj("PortRange"); pr != nil && e.Protocol.HasPorts() {
		from, okf, err := pr.intV("From")
		if err != nil {
			return err
		}
		to, okt, err := pr.intV("To")
		if err != nil {
			return err
		}
		switch {
		case okf && (from < 0 || from > 65535):
			return pr.badf("From", "PortRange From %d is outside 0-65535", from)
		case okt && (to < 0 || to > 65535):
			return pr.badf("To", "PortRange To %d is outside 0-65535", to)
		case okf && okt && from > to:
			return pr.badf("From", "PortRange From %d is greater than To %d", from, to)
		case okf && okt:
			e.Ports = model.PortRange{From: uint16(from), To: uint16(to)}
		}
	}
	if ic := p.obj("Icmp"); ic != nil && e.Protocol.IsICMP() {
		for _, k := range []string{"Type", "Code"} {
			n, ok, err := ic.intV(k)
			if err != nil {
				return err
			}
			if ok && (n < -1 || n > 255) {
				return ic.badf(k, "Icmp %s %d is outside 0-255 (-1 means all)", k, n)
			}
			if ok && k == "Type" {
				e.ICMP.Type = int16(n)
			}
			if ok && k == "Code" {
				e.ICMP.Code = int16(n)
			}
		}
	}
	acl.Entries = append(acl.Entries, e)
	return nil
}

func (b *builder) subnetACLAssociation(p *props) error {
	acl, ok := attachTo(p, &b.n.NetworkACLs, "NetworkAclId", "SubnetNetworkAclAssociation names network ACL %q, which is not in the sources")
	if !ok {
		return nil
	}
	sub := p.str("SubnetId")
	if sub != "" {
		acl.SubnetIDs = dedupe(append(acl.SubnetIDs, sub))
	}
	return nil
}

func (b *builder) dhcpOptions(p *props) error {
	d := &model.DHCPOptions{Meta: p.meta()}
	p.bind(&d.Meta)
	d.DomainName = p.str("DomainName")
	d.DomainNameServers, _ = p.strs("DomainNameServers")
	d.NTPServers, _ = p.strs("NtpServers")
	b.n.DHCPOptions.Put(d)
	return nil
}

func (b *builder) dhcpAssociation(p *props) error {
	vpc := p.str("VpcId")
	d := p.str("DhcpOptionsId")
	v, ok := b.n.VPCs.Get(vpc)
	if !ok {
		p.warnf("dangling-reference", "VPCDHCPOptionsAssociation names VPC %q, which is not in the sources", vpc)
		p.flush()
		return nil
	}
	p.bindAs(&v.Meta)
	if d != "" {
		v.DHCPOptionsID = d
	}
	return nil
}

func (b *builder) prefixList(p *props) error {
	pl := &model.PrefixList{Meta: p.meta(), EntriesKnown: true, Entries: []netip.Prefix{}}
	p.bind(&pl.Meta)
	pl.PrefixListName = p.str("PrefixListName")
	pl.AddressFamily = p.str("AddressFamily")
	entries, complete := p.list("Entries")
	if !complete {
		pl.EntriesKnown = false
	}
	for _, e := range entries {
		if c, ok := e.prefix("Cidr"); ok {
			pl.Entries = append(pl.Entries, c)
		} else {
			pl.EntriesKnown = false
		}
	}
	b.n.PrefixLists.Put(pl)
	return nil
}

func (b *builder) subnetCidrBlock(p *props) error {
	sub, ok := attachTo(p, &b.n.Subnets, "SubnetId", "SubnetCidrBlock adds a block to subnet %q, which is not in the sources")
	if !ok {
		return nil
	}
	if c, ok := p.prefix("Ipv6CidrBlock"); ok {
		sub.IPv6CIDRs = append(sub.IPv6CIDRs, c)
	} else if !p.has("Ipv6CidrBlock") {
		p.note("Ipv6CidrBlock", "allocated from an IPAM pool at deploy time")
	}
	return nil
}
