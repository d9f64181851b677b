package snapshot

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	listKeys["Vpcs"] = handle("VPCs (describe-vpcs)", (*reader).vpc)
	listKeys["Subnets"] = handle("subnets (describe-subnets)", (*reader).subnet)
	listKeys["DhcpOptions"] = handle("DHCP option sets (describe-dhcp-options)", (*reader).dhcp)
	listKeys["RouteTables"] = handle("route tables (describe-route-tables)", (*reader).routeTable)
	listKeys["SecurityGroups"] = handleTokens("security groups (describe-security-groups)", (*reader).securityGroup,
		readSecurityGroupScratch, (*reader).convertSecurityGroup, (*reader).addSecurityGroup)
	listKeys["SecurityGroupRules"] = handle("security group rules (describe-security-group-rules)", (*reader).securityGroupRule)
	listKeys["NetworkAcls"] = handle("network ACLs (describe-network-acls)", (*reader).networkACL)
	listKeys["NetworkInterfaces"] = handleTokens("network interfaces (describe-network-interfaces)", (*reader).networkInterface,
		readENIScratch, (*reader).convertENI, (*reader).addENI)
	listKeys["Reservations"] = handleTokens("reservations (describe-instances)", (*reader).reservation,
		readReservationScratch, (*reader).convertReservation, (*reader).addReservation)
	listKeys["InternetGateways"] = handle("internet gateways (describe-internet-gateways)", (*reader).internetGateway)
	listKeys["EgressOnlyInternetGateways"] = handle("egress-only internet gateways", (*reader).egressOnlyIGW)
	listKeys["NatGateways"] = handle("NAT gateways (describe-nat-gateways)", (*reader).natGateway)
	listKeys["Addresses"] = handle("elastic IPs (describe-addresses)", (*reader).address)
}

// ---- VPCs

type vpcJSON struct {
	VpcId                       string
	CidrBlock                   string
	CidrBlockAssociationSet     []cidrAssoc
	Ipv6CidrBlockAssociationSet []cidrAssoc
	IsDefault                   bool
	DhcpOptionsId               string
	OwnerId                     string
	State                       string
	Tags                        []tag
	// present when attributes are merged into the VPC object
	EnableDnsSupport   *flexBool
	EnableDnsHostnames *flexBool
}

type cidrAssoc struct {
	CidrBlock          string
	Ipv6CidrBlock      string
	CidrBlockState     *assocState
	Ipv6CidrBlockState *assocState
}

type assocState struct{ State string }

func gone(s *assocState) bool {
	return s != nil && (s.State == "disassociated" || s.State == "disassociating" || s.State == "failed" || s.State == "failing")
}

func (r *reader) vpc(v *vpcJSON, o model.Origin) error {
	if v.VpcId == "" {
		return r.shapeErr(o, "", errMissing("VpcId"))
	}
	m := r.meta(v.VpcId, o, v.Tags, v.OwnerId, "")
	vpc := &model.VPC{Meta: m, IsDefault: v.IsDefault, DHCPOptionsID: v.DhcpOptionsId}
	if v.DhcpOptionsId == "default" {
		// The EC2 API prints "default" for a VPC with no DHCP options.
		vpc.DHCPOptionsID = model.DHCPOptionsNone
	}
	add := func(s string) error {
		p, err := parsePrefix("CidrBlock", s)
		if err != nil {
			return r.shapeErr(o, v.VpcId, err)
		}
		for _, q := range vpc.CIDRs {
			if q == p {
				return nil
			}
		}
		vpc.CIDRs = append(vpc.CIDRs, p)
		return nil
	}
	if v.CidrBlock != "" {
		if err := add(v.CidrBlock); err != nil {
			return err
		}
	}
	for _, a := range v.CidrBlockAssociationSet {
		if a.CidrBlock == "" || gone(a.CidrBlockState) {
			continue
		}
		if err := add(a.CidrBlock); err != nil {
			return err
		}
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlock == "" || gone(a.Ipv6CidrBlockState) {
			continue
		}
		p, err := parsePrefix("Ipv6CidrBlock", a.Ipv6CidrBlock)
		if err != nil {
			return r.shapeErr(o, v.VpcId, err)
		}
		vpc.IPv6CIDRs = append(vpc.IPv6CIDRs, p)
	}
	// DNS attributes: describe-vpcs does not show them; AWS defaults are
	// enableDnsSupport true and enableDnsHostnames true only for a default
	// VPC (R1.5, R1.6: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-support).
	// Without that output they are unknown, not their defaults: a snapshot
	// that did not collect them does not say (the analyses name the
	// default they would have).
	vpc.EnableDNSSupport = model.UnknownFlag
	vpc.EnableDNSHostnames = model.UnknownFlag
	vpc.Defaults = []string{defaultDNSSupport, defaultDNSHostnames}
	if old, ok := r.n.VPCs.Get(vpc.ID); ok {
		// Already read: its DNS attributes (defaults or read) stay.
		vpc.EnableDNSSupport, vpc.EnableDNSHostnames, vpc.Defaults = old.EnableDNSSupport, old.EnableDNSHostnames, old.Defaults
		if len(old.Defaults) == 0 {
			vpc.Defaults = nil
		}
	}
	got := put(r, &r.n.VPCs, vpc)
	r.vpcAttributes(got, v.EnableDnsSupport, v.EnableDnsHostnames)
	return nil
}

const (
	defaultDNSSupport   = "EnableDnsSupport: unknown (no describe-vpc-attribute output read; AWS's default is true)"
	defaultDNSHostnames = "EnableDnsHostnames: unknown (no describe-vpc-attribute output read; AWS's default is true only for a default VPC)"
)

// vpcAttributes applies describe-vpc-attribute values.
func (r *reader) vpcAttributes(v *model.VPC, support, hostnames *flexBool) {
	if support != nil && support.Set {
		v.EnableDNSSupport = model.FlagOf(support.V)
		v.Defaults = remove(v.Defaults, defaultDNSSupport)
	}
	if hostnames != nil && hostnames.Set {
		v.EnableDNSHostnames = model.FlagOf(hostnames.V)
		v.Defaults = remove(v.Defaults, defaultDNSHostnames)
	}
}

func remove(ss []string, s string) []string {
	out := ss[:0]
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ---- subnets

type subnetJSON struct {
	SubnetId                    string
	VpcId                       string
	CidrBlock                   string
	Ipv6CidrBlockAssociationSet []cidrAssoc
	AvailabilityZone            string
	AvailabilityZoneId          string
	MapPublicIpOnLaunch         flexBool
	AssignIpv6AddressOnCreation flexBool
	EnableDns64                 bool
	Ipv6Native                  bool
	OwnerId                     string
	State                       string
	Tags                        []tag
}

func (r *reader) subnet(v *subnetJSON, o model.Origin) error {
	if v.SubnetId == "" {
		return r.shapeErr(o, "", errMissing("SubnetId"))
	}
	s := &model.Subnet{
		Meta:                        r.meta(v.SubnetId, o, v.Tags, v.OwnerId, v.AvailabilityZone),
		VPCID:                       v.VpcId,
		AvailabilityZone:            v.AvailabilityZone,
		AZID:                        v.AvailabilityZoneId,
		MapPublicIPOnLaunch:         model.FlagOf(v.MapPublicIpOnLaunch.V),
		AssignIPv6AddressOnCreation: model.FlagOf(v.AssignIpv6AddressOnCreation.V),
		EnableDNS64:                 v.EnableDns64,
		IPv6Native:                  v.Ipv6Native,
	}
	if v.CidrBlock != "" {
		p, err := parsePrefix("CidrBlock", v.CidrBlock)
		if err != nil {
			return r.shapeErr(o, v.SubnetId, err)
		}
		s.CIDR = p
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlock == "" || gone(a.Ipv6CidrBlockState) {
			continue
		}
		p, err := parsePrefix("Ipv6CidrBlock", a.Ipv6CidrBlock)
		if err != nil {
			return r.shapeErr(o, v.SubnetId, err)
		}
		s.IPv6CIDRs = append(s.IPv6CIDRs, p)
	}
	put(r, &r.n.Subnets, s)
	return nil
}

// ---- DHCP options

type dhcpJSON struct {
	DhcpOptionsId      string
	DhcpConfigurations []struct {
		Key    string
		Values []struct{ Value string }
	}
	OwnerId string
	Tags    []tag
}

func (r *reader) dhcp(v *dhcpJSON, o model.Origin) error {
	if v.DhcpOptionsId == "" {
		return r.shapeErr(o, "", errMissing("DhcpOptionsId"))
	}
	d := &model.DHCPOptions{Meta: r.meta(v.DhcpOptionsId, o, v.Tags, v.OwnerId, "")}
	for _, c := range v.DhcpConfigurations {
		var vals []string
		for _, x := range c.Values {
			vals = append(vals, x.Value)
		}
		switch c.Key {
		case "domain-name-servers":
			d.DomainNameServers = vals
		case "domain-name":
			d.DomainName = strings.Join(vals, " ")
		case "ntp-servers":
			d.NTPServers = vals
		}
	}
	put(r, &r.n.DHCPOptions, d)
	return nil
}

// ---- route tables

type routeJSON struct {
	DestinationCidrBlock        string
	DestinationIpv6CidrBlock    string
	DestinationPrefixListId     string
	GatewayId                   string
	EgressOnlyInternetGatewayId string
	NatGatewayId                string
	VpcPeeringConnectionId      string
	TransitGatewayId            string
	NetworkInterfaceId          string
	InstanceId                  string
	CarrierGatewayId            string
	LocalGatewayId              string
	CoreNetworkArn              string
	// VpcEndpointId is CreateRoute's name for the target: describe-route-
	// tables prints a route to a Gateway Load Balancer or Network Firewall
	// endpoint as GatewayId vpce-…, some collectors keep the other name.
	VpcEndpointId string
	State         string
	Origin        string
}

type routeTableJSON struct {
	RouteTableId string
	VpcId        string
	OwnerId      string
	Routes       []routeJSON
	Associations []struct {
		RouteTableAssociationId string
		SubnetId                string
		GatewayId               string
		Main                    bool
		AssociationState        *assocState
	}
	Tags []tag
}

func (r *reader) routeTable(v *routeTableJSON, o model.Origin) error {
	if v.RouteTableId == "" {
		return r.shapeErr(o, "", errMissing("RouteTableId"))
	}
	rt := &model.RouteTable{Meta: r.meta(v.RouteTableId, o, v.Tags, v.OwnerId, ""), VPCID: v.VpcId, Routes: []model.Route{}}
	for i, x := range v.Routes {
		ro := model.Origin{File: o.File, Path: o.Path + ".Routes[" + itoa(i) + "]", Line: o.Line}
		route, err := convertRoute(&x, ro)
		if err != nil {
			return r.shapeErr(ro, v.RouteTableId, err)
		}
		rt.Routes = append(rt.Routes, route)
	}
	for i, a := range v.Associations {
		if gone(a.AssociationState) {
			continue
		}
		rt.Associations = append(rt.Associations, model.RouteTableAssociation{
			ID: a.RouteTableAssociationId, SubnetID: a.SubnetId, GatewayID: a.GatewayId, Main: a.Main,
			Origin: model.Origin{File: o.File, Path: o.Path + ".Associations[" + itoa(i) + "]", Line: o.Line},
		})
	}
	put(r, &r.n.RouteTables, rt)
	return nil
}

func convertRoute(x *routeJSON, o model.Origin) (model.Route, error) {
	rt := model.Route{State: model.RouteActive, CreatedBy: x.Origin, Origin: o}
	if x.State == "blackhole" {
		rt.State = model.RouteBlackhole
	}
	var err error
	switch {
	case x.DestinationCidrBlock != "":
		rt.Destination, err = parsePrefix("DestinationCidrBlock", x.DestinationCidrBlock)
	case x.DestinationIpv6CidrBlock != "":
		rt.Destination, err = parsePrefix("DestinationIpv6CidrBlock", x.DestinationIpv6CidrBlock)
	case x.DestinationPrefixListId != "":
		rt.DestinationPrefixListID = x.DestinationPrefixListId
	default:
		rt.DestinationUnknown = "the route names no destination"
	}
	if err != nil {
		return rt, err
	}
	switch {
	case x.NatGatewayId != "":
		rt.TargetKind, rt.TargetID = model.TargetNATGateway, x.NatGatewayId
	case x.EgressOnlyInternetGatewayId != "":
		rt.TargetKind, rt.TargetID = model.TargetEgressOnlyIGW, x.EgressOnlyInternetGatewayId
	case x.VpcPeeringConnectionId != "":
		rt.TargetKind, rt.TargetID = model.TargetPeering, x.VpcPeeringConnectionId
	case x.TransitGatewayId != "":
		rt.TargetKind, rt.TargetID = model.TargetTransitGateway, x.TransitGatewayId
	case x.NetworkInterfaceId != "":
		rt.TargetKind, rt.TargetID = model.TargetNetworkInterface, x.NetworkInterfaceId
	case x.InstanceId != "":
		rt.TargetKind, rt.TargetID = model.TargetInstance, x.InstanceId
	case x.CarrierGatewayId != "":
		rt.TargetKind, rt.TargetID, rt.TargetUnmodelledType = model.TargetUnmodelled, x.CarrierGatewayId, "CarrierGatewayId"
	case x.LocalGatewayId != "":
		rt.TargetKind, rt.TargetID, rt.TargetUnmodelledType = model.TargetUnmodelled, x.LocalGatewayId, "LocalGatewayId"
	case x.CoreNetworkArn != "":
		rt.TargetKind, rt.TargetID, rt.TargetUnmodelledType = model.TargetUnmodelled, x.CoreNetworkArn, "CoreNetworkArn"
	case x.VpcEndpointId != "":
		rt.TargetKind, rt.TargetID = model.TargetGatewayEndpoint, x.VpcEndpointId
	case x.GatewayId != "":
		rt.TargetID = x.GatewayId
		switch {
		case x.GatewayId == "local":
			rt.TargetKind, rt.TargetID = model.TargetLocal, ""
		case strings.HasPrefix(x.GatewayId, "igw-"):
			rt.TargetKind = model.TargetInternetGateway
		case strings.HasPrefix(x.GatewayId, "vgw-"):
			rt.TargetKind = model.TargetVPNGateway
		case strings.HasPrefix(x.GatewayId, "vpce-"):
			rt.TargetKind = model.TargetGatewayEndpoint
		case strings.HasPrefix(x.GatewayId, "eigw-"):
			rt.TargetKind = model.TargetEgressOnlyIGW
		case strings.HasPrefix(x.GatewayId, "nat-"):
			rt.TargetKind = model.TargetNATGateway
		case strings.HasPrefix(x.GatewayId, "tgw-"):
			rt.TargetKind = model.TargetTransitGateway
		case strings.HasPrefix(x.GatewayId, "cagw-"), strings.HasPrefix(x.GatewayId, "lgw-"):
			rt.TargetKind, rt.TargetUnmodelledType = model.TargetUnmodelled, "GatewayId"
		default:
			rt.TargetKind = model.TargetUnknown
		}
	default:
		rt.TargetKind = model.TargetUnknown
	}
	return rt, nil
}

// ---- security groups

type ipPermission struct {
	IpProtocol       string
	FromPort         optInt
	ToPort           optInt
	IpRanges         []ipRange
	Ipv6Ranges       []ipv6Range
	PrefixListIds    []prefixListRef
	UserIdGroupPairs []groupPair
}

type ipRange struct {
	CidrIp      string
	Description string
}

type ipv6Range struct {
	CidrIpv6    string
	Description string
}

type prefixListRef struct {
	PrefixListId string
	Description  string
}

type groupPair struct {
	GroupId                string
	GroupName              string
	UserId                 string
	VpcId                  string
	VpcPeeringConnectionId string
	PeeringStatus          string
	Description            string
}

type securityGroupJSON struct {
	GroupId             string
	GroupName           string
	Description         string
	VpcId               string
	OwnerId             string
	IpPermissions       []ipPermission
	IpPermissionsEgress []ipPermission
	Tags                []tag
}

func (r *reader) securityGroup(v *securityGroupJSON, o model.Origin) error {
	sg, err := r.convertSecurityGroup(v, o)
	if err != nil {
		return err
	}
	r.addSecurityGroup(sg)
	return nil
}

// convertSecurityGroup turns describe-security-groups output into a group,
// touching nothing else.
func (r *reader) convertSecurityGroup(v *securityGroupJSON, o model.Origin) (*model.SecurityGroup, error) {
	if v.GroupId == "" {
		return nil, r.shapeErr(o, "", errMissing("GroupId"))
	}
	sg := &model.SecurityGroup{
		Meta:      r.meta(v.GroupId, o, v.Tags, v.OwnerId, ""),
		GroupName: v.GroupName, Description: v.Description, VPCID: v.VpcId, OwnerID: v.OwnerId,
		Ingress: make([]model.SGRule, 0, countRules(v.IpPermissions)),
		Egress:  make([]model.SGRule, 0, countRules(v.IpPermissionsEgress)),
	}
	var err error
	if sg.Ingress, err = sgRules(v.IpPermissions, false, o, "IpPermissions", sg.Ingress); err != nil {
		return nil, r.valueErr(o, v.GroupId, err)
	}
	if sg.Egress, err = sgRules(v.IpPermissionsEgress, true, o, "IpPermissionsEgress", sg.Egress); err != nil {
		return nil, r.valueErr(o, v.GroupId, err)
	}
	return sg, nil
}

// addSecurityGroup adds a converted group to the network.
func (r *reader) addSecurityGroup(sg *model.SecurityGroup) {
	put(r, &r.n.SecurityGroups, sg)
	r.sgWithPerms[sg.ID] = true
}

type sgRuleJSON struct {
	SecurityGroupRuleId string
	GroupId             string
	GroupOwnerId        string
	IsEgress            bool
	IpProtocol          string
	FromPort            *flexInt
	ToPort              *flexInt
	CidrIpv4            string
	CidrIpv6            string
	PrefixListId        string
	Description         string
	ReferencedGroupInfo *struct {
		GroupId string
		UserId  string
		VpcId   string
	}
	Tags []tag
}

// securityGroupRule reads describe-security-group-rules output. For a
// group read from describe-security-groups the rule only gives its ID to
// the same rule there; otherwise it adds the rule to the group.
func (r *reader) securityGroupRule(v *sgRuleJSON, o model.Origin) error {
	if v.GroupId == "" {
		return r.shapeErr(o, v.SecurityGroupRuleId, errMissing("GroupId"))
	}
	p := ipPermission{IpProtocol: v.IpProtocol, FromPort: optIntOf(v.FromPort), ToPort: optIntOf(v.ToPort)}
	switch {
	case v.CidrIpv4 != "":
		p.IpRanges = append(p.IpRanges, struct {
			CidrIp      string
			Description string
		}{v.CidrIpv4, v.Description})
	case v.CidrIpv6 != "":
		p.Ipv6Ranges = append(p.Ipv6Ranges, struct {
			CidrIpv6    string
			Description string
		}{v.CidrIpv6, v.Description})
	case v.PrefixListId != "":
		p.PrefixListIds = append(p.PrefixListIds, prefixListRef{v.PrefixListId, v.Description})
	case v.ReferencedGroupInfo != nil:
		g := v.ReferencedGroupInfo
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, groupPair{GroupId: g.GroupId, UserId: g.UserId, VpcId: g.VpcId, Description: v.Description})
	default:
		return r.shapeErr(o, v.SecurityGroupRuleId, &fieldError{msg: "the rule names no peer (CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo)"})
	}
	rules, err := sgRules([]ipPermission{p}, v.IsEgress, o, "", nil)
	if err != nil {
		return r.valueErr(o, v.SecurityGroupRuleId, err)
	}
	rule := rules[0]
	rule.Origin = o
	rule.RuleID = v.SecurityGroupRuleId
	meta := r.meta(v.GroupId, o, nil, v.GroupOwnerId, "")
	r.deferred = append(r.deferred, func() {
		sg, ok := r.n.SecurityGroups.Get(v.GroupId)
		if !ok {
			sg = put(r, &r.n.SecurityGroups, &model.SecurityGroup{Meta: meta, OwnerID: v.GroupOwnerId, Ingress: []model.SGRule{}, Egress: []model.SGRule{}})
		}
		list := &sg.Ingress
		if rule.Egress {
			list = &sg.Egress
		}
		if r.sgWithPerms[sg.ID] {
			for i := range *list {
				x := &(*list)[i]
				if x.RuleID == "" && x.Protocol == rule.Protocol && x.Ports == rule.Ports && x.ICMP == rule.ICMP &&
					x.Peer.Kind == rule.Peer.Kind && x.Peer.CIDR == rule.Peer.CIDR && x.Peer.ID == rule.Peer.ID {
					x.RuleID = rule.RuleID
					return
				}
			}
		}
		*list = append(*list, rule)
	})
	return nil
}

// sgRules normalises IpPermissions into one rule per peer. Protocol -1
// (and any protocol but tcp, udp, icmp, icmpv6) ignores ports; for ICMP,
// FromPort is the type and ToPort the code, -1 meaning all (R8.6:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html).
// countRules is how many rules sgRules makes of perms.
func countRules(perms []ipPermission) int {
	k := 0
	for _, p := range perms {
		k += len(p.IpRanges) + len(p.Ipv6Ranges) + len(p.PrefixListIds) + len(p.UserIdGroupPairs)
	}
	return k
}

func sgRules(perms []ipPermission, egress bool, o model.Origin, field string, out []model.SGRule) ([]model.SGRule, error) {
	// The permissions' paths, in one string.
	var endsBuf [64]int
	ends := endsBuf[:0]
	var b strings.Builder
	b.Grow(len(perms) * (len(o.Path) + len(field) + 8))
	var digits [20]byte
	for i := range perms {
		b.WriteString(o.Path)
		b.WriteByte('.')
		b.WriteString(field)
		b.WriteByte('[')
		b.Write(strconv.AppendInt(digits[:0], int64(i), 10))
		b.WriteByte(']')
		ends = append(ends, b.Len())
	}
	paths := b.String()
	// A group's references usually share their account and VPC: they
	// share one peer of that scope too.
	var scope model.Peer
	scoped := false
	for i := range perms {
		p := &perms[i]
		// Field names are for messages: built when one is written.
		at := func(k string) string {
			if field == "" {
				return k
			}
			return field + "[" + itoa(i) + "]." + k
		}
		proto, err := model.ParseProtocol(p.IpProtocol)
		if err != nil {
			return nil, badValue(p.IpProtocol, "%s: %v", at("IpProtocol"), err)
		}
		start := 0
		if i > 0 {
			start = ends[i-1]
		}
		base := model.SGRule{Egress: egress, Protocol: proto, Ports: model.AllPorts, ICMP: model.AnyICMP,
			Origin: model.Origin{File: o.File, Path: paths[start:ends[i]], Line: o.Line}}
		switch {
		case proto.HasPorts():
			if base.Ports, err = portRange(&p.FromPort.flexInt, &p.ToPort.flexInt, "", ""); err != nil {
				_, err = portRange(&p.FromPort.flexInt, &p.ToPort.flexInt, at("FromPort"), at("ToPort"))
				return nil, err
			}
		case proto.IsICMP():
			if base.ICMP, err = icmpMatch(&p.FromPort.flexInt, &p.ToPort.flexInt, "", ""); err != nil {
				_, err = icmpMatch(&p.FromPort.flexInt, &p.ToPort.flexInt, at("FromPort"), at("ToPort"))
				return nil, err
			}
		default:
			// AWS ignores the ports of other protocols (R8.6); keep a note
			// when the output gave some.
			from, to := p.FromPort.flexInt, p.ToPort.flexInt
			if from.Set && from.V >= 0 && !(from.V == 0 && to.Set && to.V == 65535) {
				base.PortsIgnored = true
			}
		}
		for _, x := range p.IpRanges {
			pr, err := parsePrefix("CidrIp", x.CidrIp)
			if err != nil {
				return nil, err
			}
			out = append(out, base)
			rule := &out[len(out)-1]
			rule.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: pr}
			rule.Description = x.Description
		}
		for _, x := range p.Ipv6Ranges {
			pr, err := parsePrefix("CidrIpv6", x.CidrIpv6)
			if err != nil {
				return nil, err
			}
			out = append(out, base)
			rule := &out[len(out)-1]
			rule.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: pr}
			rule.Description = x.Description
		}
		for _, x := range p.PrefixListIds {
			out = append(out, base)
			rule := &out[len(out)-1]
			rule.Peer = model.Peer{Kind: model.PeerPrefixList, ID: x.PrefixListId}
			rule.Description = x.Description
		}
		for _, x := range p.UserIdGroupPairs {
			out = append(out, base)
			rule := &out[len(out)-1]
			rule.Description = x.Description
			if x.GroupId == "" {
				rule.Peer = model.UnknownPeer("security group " + x.GroupName + " referenced by name only")
				continue
			}
			if !scoped || scope.Account() != x.UserId || scope.VPCID() != x.VpcId {
				scope, scoped = model.GroupPeer("", x.UserId, x.VpcId), true
			}
			rule.Peer = scope
			rule.Peer.ID = x.GroupId
		}
	}
	return out, nil
}

// portRange reads the port range of a tcp or udp rule. No range, or
// FromPort -1 with ToPort -1 or none, is every port (AWS's convention for
// all ports); a FromPort alone is that one port. Anything else outside
// 0-65535, or a FromPort greater than the ToPort, is a bad-value error:
// never clamped, never swapped.
func portRange(from, to *flexInt, fromField, toField string) (model.PortRange, error) {
	fset, tset := from != nil && from.Set, to != nil && to.Set
	switch {
	case !fset && !tset:
		return model.AllPorts, nil
	case !fset:
		return model.PortRange{}, badValue(fmt.Sprint(to.V), "%s %d without a %s", toField, to.V, fromField)
	case from.V == -1 && (!tset || to.V == -1):
		return model.AllPorts, nil
	}
	if from.V < 0 || from.V > 65535 {
		return model.PortRange{}, badValue(fmt.Sprint(from.V), "%s %d is outside 0-65535 (-1 with %s -1 means every port)", fromField, from.V, toField)
	}
	t := from.V
	if tset {
		t = to.V
		if t < 0 || t > 65535 {
			return model.PortRange{}, badValue(fmt.Sprint(t), "%s %d is outside 0-65535", toField, t)
		}
	}
	if from.V > t {
		return model.PortRange{}, badValue(fmt.Sprint(from.V), "%s %d is greater than %s %d", fromField, from.V, toField, t)
	}
	return model.PortRange{From: uint16(from.V), To: uint16(t)}, nil
}

// portOf reads a port number (a listener's, a target's); 0 when absent.
// A number outside 0-65535 is a bad-value error.
func portOf(field string, v flexInt) (uint16, error) {
	if v.Set && (v.V < 0 || v.V > 65535) {
		return 0, badValue(fmt.Sprint(v.V), "%s %d is outside 0-65535", field, v.V)
	}
	return uint16(v.V), nil
}

// icmpMatch reads the ICMP type and code of a rule: -1 (or none) means
// all, and all types needs all codes (R8.6:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html).
// Anything outside -1-255 is a bad-value error.
func icmpMatch(typ, code *flexInt, typeField, codeField string) (model.ICMPMatch, error) {
	m := model.AnyICMP
	for _, x := range []struct {
		v     *flexInt
		field string
	}{{typ, typeField}, {code, codeField}} {
		if x.v != nil && x.v.Set && (x.v.V < -1 || x.v.V > 255) {
			return m, badValue(fmt.Sprint(x.v.V), "ICMP %s %d is outside 0-255 (-1 means all)", x.field, x.v.V)
		}
	}
	if typ == nil || !typ.Set || typ.V == -1 {
		if code != nil && code.Set && code.V != -1 {
			return m, badValue(fmt.Sprint(code.V), "ICMP %s %d with every type: all ICMP types need all codes (-1)", codeField, code.V)
		}
		return m, nil
	}
	m.Type = int16(typ.V)
	if code != nil && code.Set {
		m.Code = int16(code.V)
	}
	return m, nil
}

// ---- network ACLs

type naclJSON struct {
	NetworkAclId string
	VpcId        string
	IsDefault    bool
	OwnerId      string
	Entries      []struct {
		RuleNumber    flexInt
		Protocol      string
		RuleAction    string
		Egress        bool
		CidrBlock     string
		Ipv6CidrBlock string
		PortRange     *struct{ From, To *flexInt }
		IcmpTypeCode  *struct{ Type, Code *flexInt }
	}
	Associations []struct {
		NetworkAclAssociationId string
		SubnetId                string
	}
	Tags []tag
}

func (r *reader) networkACL(v *naclJSON, o model.Origin) error {
	if v.NetworkAclId == "" {
		return r.shapeErr(o, "", errMissing("NetworkAclId"))
	}
	acl := &model.NetworkACL{Meta: r.meta(v.NetworkAclId, o, v.Tags, v.OwnerId, ""), VPCID: v.VpcId, IsDefault: v.IsDefault, Entries: []model.NACLEntry{}}
	for i, e := range v.Entries {
		eo := model.Origin{File: o.File, Path: o.Path + ".Entries[" + itoa(i) + "]", Line: o.Line}
		proto, err := model.ParseProtocol(e.Protocol)
		if err != nil {
			return r.shapeErr(eo, v.NetworkAclId, err)
		}
		ent := model.NACLEntry{RuleNumber: int(e.RuleNumber.V), Egress: e.Egress, Protocol: proto,
			Action: model.NACLDeny, Ports: model.AllPorts, ICMP: model.AnyICMP, Origin: eo}
		if strings.EqualFold(e.RuleAction, "allow") {
			ent.Action = model.NACLAllow
		}
		cidr, field := e.CidrBlock, "CidrBlock"
		if cidr == "" {
			cidr, field = e.Ipv6CidrBlock, "Ipv6CidrBlock"
		}
		if cidr == "" {
			ent.CIDRUnknown = "the entry names no CIDR block"
		} else if ent.CIDR, err = parsePrefix(field, cidr); err != nil {
			return r.shapeErr(eo, v.NetworkAclId, err)
		}
		if proto.HasPorts() && e.PortRange != nil {
			if ent.Ports, err = portRange(e.PortRange.From, e.PortRange.To, "PortRange.From", "PortRange.To"); err != nil {
				return r.valueErr(eo, v.NetworkAclId, err)
			}
		}
		if proto.IsICMP() && e.IcmpTypeCode != nil {
			if ent.ICMP, err = icmpMatch(e.IcmpTypeCode.Type, e.IcmpTypeCode.Code, "IcmpTypeCode.Type", "IcmpTypeCode.Code"); err != nil {
				return r.valueErr(eo, v.NetworkAclId, err)
			}
		}
		if ent.RuleNumber < 1 || ent.RuleNumber > 32767 {
			return r.valueErr(eo, v.NetworkAclId, badValue(fmt.Sprint(ent.RuleNumber), "RuleNumber %d is outside 1-32767", ent.RuleNumber))
		}
		acl.Entries = append(acl.Entries, ent)
	}
	for _, a := range v.Associations {
		if a.SubnetId != "" {
			acl.SubnetIDs = append(acl.SubnetIDs, a.SubnetId)
		}
	}
	put(r, &r.n.NetworkACLs, acl)
	return nil
}

// ---- network interfaces

type eniAssoc struct {
	PublicIp      string
	AllocationId  string
	AssociationId string
	IpOwnerId     string
	CarrierIp     string
}

type eniJSON struct {
	NetworkInterfaceId string
	SubnetId           string
	VpcId              string
	AvailabilityZone   string
	OwnerId            string
	PrivateIpAddress   string
	PrivateIpAddresses []eniPrivateIP
	Association        *eniAssoc
	Ipv6Addresses      []ipv6Address
	Ipv4Prefixes       []ipv4Prefix
	Ipv6Prefixes       []ipv6Prefix
	Groups             []groupRef
	SourceDestCheck    *bool
	InterfaceType      string
	Description        string
	RequesterManaged   bool
	RequesterId        string
	Attachment         *eniAttachment
	Status             string
	TagSet             []tag
	Tags               []tag
}

type ipv6Address struct{ Ipv6Address string }

type ipv4Prefix struct{ Ipv4Prefix string }

type ipv6Prefix struct{ Ipv6Prefix string }

type eniPrivateIP struct {
	PrivateIpAddress string
	Primary          bool
	Association      *eniAssoc
}

type eniAttachment struct {
	InstanceId      string
	InstanceOwnerId string
	DeviceIndex     flexInt
	Status          string
}

func (r *reader) networkInterface(v *eniJSON, o model.Origin) error {
	r.sawENIs[r.dir] = true
	e, err := r.convertENI(v, o)
	if err != nil {
		return err
	}
	r.addENI(e)
	return nil
}

// addENI adds an interface converted from describe-network-interfaces
// output to the network.
func (r *reader) addENI(e *model.NetworkInterface) {
	r.sawENIs[r.dir] = true
	put(r, &r.n.NetworkInterfaces, e)
}

func (r *reader) convertENI(v *eniJSON, o model.Origin) (*model.NetworkInterface, error) {
	if v.NetworkInterfaceId == "" {
		return nil, r.shapeErr(o, "", errMissing("NetworkInterfaceId"))
	}
	tags := v.TagSet
	if len(tags) == 0 {
		tags = v.Tags
	}
	e := &model.NetworkInterface{
		Meta:     r.meta(v.NetworkInterfaceId, o, tags, v.OwnerId, v.AvailabilityZone),
		SubnetID: v.SubnetId, VPCID: v.VpcId,
		PrivateIPs: make([]model.PrivateIP, 0, len(v.PrivateIpAddresses)), SecurityGroupIDs: groupIDs(v.Groups),
		SourceDestCheck: v.SourceDestCheck == nil || *v.SourceDestCheck,
		InterfaceType:   v.InterfaceType, Description: v.Description, RequesterManaged: v.RequesterManaged,
		Status: v.Status,
	}
	if e.SecurityGroupIDs == nil {
		e.SecurityGroupIDs = []string{}
	}
	fail := func(err error) (*model.NetworkInterface, error) { return nil, r.shapeErr(o, v.NetworkInterfaceId, err) }
	for _, p := range v.PrivateIpAddresses {
		a, err := parseAddr("PrivateIpAddress", p.PrivateIpAddress)
		if err != nil {
			return fail(err)
		}
		if !a.IsValid() {
			continue
		}
		pip := model.PrivateIP{Address: a, Primary: p.Primary}
		if err := applyAssoc(&pip, p.Association); err != nil {
			return fail(err)
		}
		e.PrivateIPs = append(e.PrivateIPs, pip)
	}
	if len(e.PrivateIPs) == 0 && v.PrivateIpAddress != "" {
		a, err := parseAddr("PrivateIpAddress", v.PrivateIpAddress)
		if err != nil {
			return fail(err)
		}
		e.PrivateIPs = append(e.PrivateIPs, model.PrivateIP{Address: a, Primary: true})
	}
	if v.Association != nil && v.Association.PublicIp != "" {
		// The interface-level association belongs to the primary address.
		for i := range e.PrivateIPs {
			if e.PrivateIPs[i].Primary && !e.PrivateIPs[i].PublicIP.IsValid() {
				if err := applyAssoc(&e.PrivateIPs[i], v.Association); err != nil {
					return fail(err)
				}
			}
		}
	}
	for _, x := range v.Ipv6Addresses {
		a, err := parseAddr("Ipv6Address", x.Ipv6Address)
		if err != nil {
			return fail(err)
		}
		if a.IsValid() {
			e.IPv6 = append(e.IPv6, a)
		}
	}
	for _, x := range v.Ipv4Prefixes {
		p, err := parsePrefix("Ipv4Prefix", x.Ipv4Prefix)
		if err != nil {
			return fail(err)
		}
		e.Prefixes = append(e.Prefixes, p)
	}
	for _, x := range v.Ipv6Prefixes {
		p, err := parsePrefix("Ipv6Prefix", x.Ipv6Prefix)
		if err != nil {
			return fail(err)
		}
		e.Prefixes = append(e.Prefixes, p)
	}
	if v.Attachment != nil {
		e.DeviceIndex = int(v.Attachment.DeviceIndex.V)
	}
	if len(e.PrivateIPs) == 0 && len(e.IPv6) == 0 {
		e.AddUnknown("PrivateIpAddress", "the output names no address for this interface")
	}
	e.OwnerKind, e.OwnerID = eniOwner(v)
	return e, nil
}

func applyAssoc(p *model.PrivateIP, a *eniAssoc) error {
	if a == nil || a.PublicIp == "" {
		return nil
	}
	ip, err := parseAddr("PublicIp", a.PublicIp)
	if err != nil {
		return err
	}
	p.PublicIP = ip
	if a.AllocationId != "" {
		p.ElasticIP = a.AllocationId
	}
	return nil
}

// eniOwner tells what an interface belongs to from its attachment, its
// interface type and the description AWS writes for managed interfaces.
func eniOwner(v *eniJSON) (model.OwnerKind, string) {
	d := v.Description
	word := func(prefix string) string {
		rest := strings.TrimSpace(strings.TrimPrefix(d, prefix))
		if i := strings.IndexAny(rest, " \t"); i >= 0 {
			rest = rest[:i]
		}
		return rest
	}
	switch {
	case strings.HasPrefix(d, "Interface for NAT Gateway "):
		return model.OwnerNATGateway, word("Interface for NAT Gateway ")
	case strings.HasPrefix(d, "VPC Endpoint Interface "):
		return model.OwnerVPCEndpoint, word("VPC Endpoint Interface ")
	case strings.HasPrefix(d, "ELB "):
		// "ELB app/name/id", "ELB net/name/id", "ELB gwy/...", "ELB name" (classic)
		return model.OwnerLoadBalancer, word("ELB ")
	case strings.HasPrefix(d, "Route 53 Resolver: "):
		id := word("Route 53 Resolver: ")
		if i := strings.Index(id, ":"); i >= 0 {
			id = id[:i]
		}
		return model.OwnerResolverEndpoint, id
	case strings.HasPrefix(d, "ClientVPN Endpoint "), strings.HasPrefix(d, "Client VPN Endpoint "):
		id := ""
		for _, f := range strings.Fields(d) {
			if strings.HasPrefix(f, "cvpn-endpoint-") {
				id = strings.TrimRight(f, ",.;:")
			}
		}
		return model.OwnerClientVPN, id
	case strings.HasPrefix(d, "Network Interface for Transit Gateway Attachment "):
		return model.OwnerTGWAttachment, word("Network Interface for Transit Gateway Attachment ")
	case strings.HasPrefix(d, "AWS Lambda VPC ENI"):
		return model.OwnerLambda, ""
	case d == "RDSNetworkInterface":
		return model.OwnerRDS, ""
	case strings.HasPrefix(d, "EFS mount target for "):
		return model.OwnerEFS, word("EFS mount target for ")
	case strings.HasPrefix(d, "arn:aws:ecs:"):
		return model.OwnerECS, d
	}
	if v.Attachment != nil && v.Attachment.InstanceId != "" {
		return model.OwnerInstance, v.Attachment.InstanceId
	}
	switch v.InterfaceType {
	case "nat_gateway":
		return model.OwnerNATGateway, ""
	case "vpc_endpoint", "gateway_load_balancer_endpoint":
		return model.OwnerVPCEndpoint, ""
	case "network_load_balancer", "gateway_load_balancer":
		return model.OwnerLoadBalancer, ""
	case "transit_gateway":
		return model.OwnerTGWAttachment, ""
	case "lambda":
		return model.OwnerLambda, ""
	case "interface", "":
		if v.RequesterManaged || v.RequesterId != "" {
			return model.OwnerOther, ""
		}
		return model.OwnerNone, ""
	}
	return model.OwnerOther, ""
}

// ---- instances

type instanceJSON struct {
	InstanceId            string
	State                 *instanceState
	SubnetId              string
	VpcId                 string
	PrivateIpAddress      string
	PublicIpAddress       string
	PrivateDnsName        string
	PublicDnsName         string
	SecurityGroups        []groupRef
	NetworkInterfaces     []eniJSON
	Placement             *placement
	PrivateDnsNameOptions *dnsNameOptions
	Tags                  []tag
}

type instanceState struct{ Name string }

type placement struct{ AvailabilityZone string }

type dnsNameOptions struct {
	HostnameType                    string
	EnableResourceNameDnsARecord    bool
	EnableResourceNameDnsAAAARecord bool
}

type reservationJSON struct {
	ReservationId string
	OwnerId       string
	Instances     []instanceJSON
}

func (r *reader) reservation(v *reservationJSON, o model.Origin) error {
	from := r.elemOff
	for i := range v.Instances {
		io := model.Origin{File: o.File, Path: o.Path + ".Instances[" + itoa(i) + "]", Line: o.Line}
		if l := r.lineOf(&from, `"`+v.Instances[i].InstanceId+`"`); l > 0 && v.Instances[i].InstanceId != "" {
			io.Line = l
		}
		in, err := r.convertInstance(&v.Instances[i], v.OwnerId, io)
		if err != nil {
			return err
		}
		r.addInstance(in)
	}
	return nil
}

// convertReservation turns describe-instances output into its instances,
// touching nothing else.
func (r *reader) convertReservation(v *reservationJSON, o model.Origin) ([]convertedInstance, error) {
	from := r.elemOff
	out := make([]convertedInstance, 0, len(v.Instances))
	for i := range v.Instances {
		io := model.Origin{File: o.File, Path: subPath(o.Path, ".Instances[", i), Line: o.Line}
		if l := r.lineOf(&from, `"`+v.Instances[i].InstanceId+`"`); l > 0 && v.Instances[i].InstanceId != "" {
			io.Line = l
		}
		in, err := r.convertInstance(&v.Instances[i], v.OwnerId, io)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// addReservation adds the converted instances of a reservation.
func (r *reader) addReservation(ins []convertedInstance) {
	for _, in := range ins {
		r.addInstance(in)
	}
}

// convertedInstance is an instance and the interfaces it describes; a
// terminated instance is none.
type convertedInstance struct {
	in   *model.Instance
	enis []*model.NetworkInterface
}

// addInstance adds a converted instance to the network.
func (r *reader) addInstance(c convertedInstance) {
	if c.in == nil {
		return
	}
	for _, e := range c.enis {
		if _, ok := r.n.NetworkInterfaces.Get(e.ID); ok {
			// Read already from describe-network-interfaces: only the
			// owner may be needed (see finish).
			r.instanceENIs = append(r.instanceENIs, instanceENI{id: e.ID, kind: e.OwnerKind, owner: e.OwnerID})
		} else {
			r.instanceENIs = append(r.instanceENIs, instanceENI{e: e, id: e.ID, kind: e.OwnerKind, owner: e.OwnerID})
		}
	}
	put(r, &r.n.Instances, c.in)
}

// instanceENI is an interface described inside an instance: the whole
// interface, or only its owner when the interface was read already.
type instanceENI struct {
	e     *model.NetworkInterface
	id    string
	kind  model.OwnerKind
	owner string
}

// convertInstance turns an instance of describe-instances output into an
// instance and its interfaces, touching nothing else.
func (r *reader) convertInstance(v *instanceJSON, owner string, o model.Origin) (convertedInstance, error) {
	if v.InstanceId == "" {
		return convertedInstance{}, r.shapeErr(o, "", errMissing("InstanceId"))
	}
	if v.State != nil && v.State.Name == "terminated" {
		// Gone: describe-instances lists a terminated instance for
		// about an hour, without interfaces.
		// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html
		return convertedInstance{}, nil
	}
	az := ""
	if v.Placement != nil {
		az = v.Placement.AvailabilityZone
	}
	in := &model.Instance{
		Meta:     r.meta(v.InstanceId, o, v.Tags, owner, az),
		SubnetID: v.SubnetId, VPCID: v.VpcId,
		PrivateDNSName: v.PrivateDnsName, PublicDNSName: v.PublicDnsName,
		SecurityGroupIDs:    groupIDs(v.SecurityGroups),
		NetworkInterfaceIDs: []string{},
	}
	if v.State != nil {
		in.State = v.State.Name
	}
	var err error
	if in.PrivateIP, err = parseAddr("PrivateIpAddress", v.PrivateIpAddress); err != nil {
		return convertedInstance{}, r.shapeErr(o, v.InstanceId, err)
	}
	if in.PublicIP, err = parseAddr("PublicIpAddress", v.PublicIpAddress); err != nil {
		return convertedInstance{}, r.shapeErr(o, v.InstanceId, err)
	}
	if p := v.PrivateDnsNameOptions; p != nil {
		in.HostnameType = p.HostnameType
		in.EnableResourceNameDNSARecord = p.EnableResourceNameDnsARecord
		in.EnableResourceNameDNSAAAARecord = p.EnableResourceNameDnsAAAARecord
	}
	type eniIdx struct {
		id  string
		idx int
	}
	var enis []eniIdx
	var converted []*model.NetworkInterface
	for i := range v.NetworkInterfaces {
		x := &v.NetworkInterfaces[i]
		if x.NetworkInterfaceId == "" {
			continue
		}
		eo := model.Origin{File: o.File, Path: subPath(o.Path, ".NetworkInterfaces[", i), Line: o.Line}
		if x.Attachment == nil {
			x.Attachment = &eniAttachment{}
		}
		x.Attachment.InstanceId = v.InstanceId
		if x.AvailabilityZone == "" {
			x.AvailabilityZone = az
		}
		if x.OwnerId == "" {
			x.OwnerId = owner
		}
		e, err := r.convertENI(x, eo)
		if err != nil {
			return convertedInstance{}, err
		}
		if e.SubnetID == "" {
			e.SubnetID = v.SubnetId
		}
		if e.VPCID == "" {
			e.VPCID = v.VpcId
		}
		if x.Attachment.DeviceIndex.V == 0 {
			// What the instance says of itself is its primary interface's
			// when the interface entry leaves it out.
			if len(e.PrivateIPs) == 0 && in.PrivateIP.IsValid() {
				e.PrivateIPs = []model.PrivateIP{{Address: in.PrivateIP, Primary: true}}
			}
			if len(e.SecurityGroupIDs) == 0 {
				e.SecurityGroupIDs = in.SecurityGroupIDs
			}
		}
		if x.Attachment.DeviceIndex.V == 0 && in.PublicIP.IsValid() {
			// The instance's public address is its primary interface's,
			// on the instance's primary private address.
			for i := range e.PrivateIPs {
				p := &e.PrivateIPs[i]
				if p.Primary && !p.PublicIP.IsValid() && (!in.PrivateIP.IsValid() || p.Address == in.PrivateIP) {
					p.PublicIP = in.PublicIP
				}
			}
		}
		converted = append(converted, e)
		enis = append(enis, eniIdx{x.NetworkInterfaceId, int(x.Attachment.DeviceIndex.V)})
	}
	slices.SortStableFunc(enis, func(a, b eniIdx) int { return cmp.Compare(a.idx, b.idx) })
	for _, e := range enis {
		in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, e.id)
	}
	return convertedInstance{in: in, enis: converted}, nil
}

// ---- gateways and addresses

type igwJSON struct {
	InternetGatewayId           string
	EgressOnlyInternetGatewayId string
	OwnerId                     string
	Attachments                 []struct {
		VpcId string
		State string
	}
	Tags []tag
}

func (v *igwJSON) vpcs() []string {
	out := []string{}
	for _, a := range v.Attachments {
		if a.VpcId != "" && a.State != "detached" && a.State != "detaching" {
			out = append(out, a.VpcId)
		}
	}
	return out
}

func (r *reader) internetGateway(v *igwJSON, o model.Origin) error {
	if v.InternetGatewayId == "" {
		return r.shapeErr(o, "", errMissing("InternetGatewayId"))
	}
	put(r, &r.n.InternetGateways, &model.InternetGateway{Meta: r.meta(v.InternetGatewayId, o, v.Tags, v.OwnerId, ""), VPCIDs: v.vpcs()})
	return nil
}

func (r *reader) egressOnlyIGW(v *igwJSON, o model.Origin) error {
	if v.EgressOnlyInternetGatewayId == "" {
		return r.shapeErr(o, "", errMissing("EgressOnlyInternetGatewayId"))
	}
	put(r, &r.n.EgressOnlyIGWs, &model.EgressOnlyInternetGateway{Meta: r.meta(v.EgressOnlyInternetGatewayId, o, v.Tags, v.OwnerId, ""), VPCIDs: v.vpcs()})
	return nil
}

type natJSON struct {
	NatGatewayId        string
	VpcId               string
	SubnetId            string
	State               string
	ConnectivityType    string
	NatGatewayAddresses []struct {
		AllocationId       string
		NetworkInterfaceId string
		PrivateIp          string
		PublicIp           string
	}
	Tags []tag
}

func (r *reader) natGateway(v *natJSON, o model.Origin) error {
	if v.NatGatewayId == "" {
		return r.shapeErr(o, "", errMissing("NatGatewayId"))
	}
	g := &model.NATGateway{Meta: r.meta(v.NatGatewayId, o, v.Tags, "", ""), VPCID: v.VpcId, SubnetID: v.SubnetId,
		ConnectivityType: v.ConnectivityType, State: v.State}
	if g.ConnectivityType == "" {
		g.ConnectivityType = "public"
	}
	for _, a := range v.NatGatewayAddresses {
		priv, err := parseAddr("PrivateIp", a.PrivateIp)
		if err != nil {
			return r.shapeErr(o, v.NatGatewayId, err)
		}
		pub, err := parseAddr("PublicIp", a.PublicIp)
		if err != nil {
			return r.shapeErr(o, v.NatGatewayId, err)
		}
		g.Addresses = append(g.Addresses, model.NATAddress{PrivateIP: priv, PublicIP: pub, AllocationID: a.AllocationId, NetworkInterfaceID: a.NetworkInterfaceId})
	}
	put(r, &r.n.NATGateways, g)
	return nil
}

type addressJSON struct {
	AllocationId            string
	PublicIp                string
	AssociationId           string
	InstanceId              string
	NetworkInterfaceId      string
	NetworkInterfaceOwnerId string
	PrivateIpAddress        string
	Domain                  string
	Tags                    []tag
}

func (r *reader) address(v *addressJSON, o model.Origin) error {
	id := v.AllocationId
	if id == "" {
		id = v.PublicIp
	}
	if id == "" {
		return r.shapeErr(o, "", errMissing("AllocationId"))
	}
	e := &model.ElasticIP{Meta: r.meta(id, o, v.Tags, v.NetworkInterfaceOwnerId, ""), AllocationID: v.AllocationId,
		AssociationID: v.AssociationId, InstanceID: v.InstanceId, NetworkInterfaceID: v.NetworkInterfaceId}
	var err error
	if e.PublicIP, err = parseAddr("PublicIp", v.PublicIp); err != nil {
		return r.shapeErr(o, id, err)
	}
	if e.PrivateIP, err = parseAddr("PrivateIpAddress", v.PrivateIpAddress); err != nil {
		return r.shapeErr(o, id, err)
	}
	r.eips = append(r.eips, put(r, &r.n.ElasticIPs, e))
	return nil
}

// applyEIPs maps associated elastic IPs onto the private addresses of
// their interfaces when the interface output did not show them.
func (r *reader) applyEIPs() {
	for _, e := range r.eips {
		if e.NetworkInterfaceID == "" || !e.PublicIP.IsValid() {
			continue
		}
		eni, ok := r.n.NetworkInterfaces.Get(e.NetworkInterfaceID)
		if !ok {
			continue
		}
		for i := range eni.PrivateIPs {
			p := &eni.PrivateIPs[i]
			if (e.PrivateIP.IsValid() && p.Address == e.PrivateIP) || (!e.PrivateIP.IsValid() && p.Primary) {
				if !p.PublicIP.IsValid() {
					p.PublicIP = e.PublicIP
				}
				if p.PublicIP == e.PublicIP && p.ElasticIP == "" {
					p.ElasticIP = e.AllocationID
				}
			}
		}
	}
}

// subPath is path+key+i+"]" (key ending in "["), in one allocation.
func subPath(path, key string, i int) string {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(i), 10)
	var b strings.Builder
	b.Grow(len(path) + len(key) + len(d) + 1)
	b.WriteString(path)
	b.WriteString(key)
	b.Write(d)
	b.WriteByte(']')
	return b.String()
}
