package model

import "net/netip"

var (
	anyV4 = netip.MustParsePrefix("0.0.0.0/0")
	anyV6 = netip.MustParsePrefix("::/0")
)

// Notes on the defaults the functions below add, for Meta.Defaults.
const (
	DefaultSecurityGroupNote = "ingress from members of the group, egress to all addresses (aws-behaviour.md R8.7)"
	DefaultNetworkACLNote    = "allow all in and out (rule 100, 101 for IPv6), then deny (aws-behaviour.md R8.8)"
)

// ApplyDefaultSecurityGroupRules puts before sg's rules those AWS gives
// the default security group of a new VPC: all traffic from members of
// the group, all traffic out (to ::/0 too when the VPC has IPv6).
// https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
func ApplyDefaultSecurityGroupRules(sg *SecurityGroup, ipv6 bool) {
	all := func(egress bool, peer Peer) SGRule {
		return SGRule{Egress: egress, Protocol: ProtoAll, Ports: AllPorts, ICMP: AnyICMP, Peer: peer, Default: true, Origin: sg.Origin}
	}
	eg := []SGRule{all(true, Peer{Kind: PeerCIDR, CIDR: anyV4})}
	if ipv6 {
		eg = append(eg, all(true, Peer{Kind: PeerCIDR, CIDR: anyV6}))
	}
	sg.Ingress = append([]SGRule{all(false, Peer{Kind: PeerSecurityGroup, ID: sg.ID})}, sg.Ingress...)
	sg.Egress = append(eg, sg.Egress...)
	sg.Defaults = append(sg.Defaults, DefaultSecurityGroupNote)
}

// ApplyDefaultNetworkACLEntries puts before acl's entries those of the
// default network ACL of a new VPC: allow everything in and out (rule 100,
// 101 for IPv6), then the final deny.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
func ApplyDefaultNetworkACLEntries(acl *NetworkACL, ipv6 bool) {
	entry := func(n int, egress bool, p netip.Prefix, action NACLAction) NACLEntry {
		return NACLEntry{RuleNumber: n, Egress: egress, Protocol: ProtoAll, Action: action, CIDR: p,
			Ports: AllPorts, ICMP: AnyICMP, Origin: acl.Origin}
	}
	es := []NACLEntry{entry(100, false, anyV4, NACLAllow), entry(100, true, anyV4, NACLAllow)}
	if ipv6 {
		es = append(es, entry(101, false, anyV6, NACLAllow), entry(101, true, anyV6, NACLAllow))
	}
	acl.Entries = append(es, acl.Entries...)
	AppendFinalDeny(acl, ipv6)
	acl.Defaults = append(acl.Defaults, DefaultNetworkACLNote)
}

// AppendFinalDeny ends acl with the "*" rule every network ACL has: deny
// everything in and out that no numbered rule matched (::/0 too when the
// VPC has IPv6).
// https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
func AppendFinalDeny(acl *NetworkACL, ipv6 bool) {
	deny := func(egress bool, p netip.Prefix) NACLEntry {
		return NACLEntry{RuleNumber: 32767, Egress: egress, Protocol: ProtoAll, Action: NACLDeny, CIDR: p,
			Ports: AllPorts, ICMP: AnyICMP, Origin: acl.Origin}
	}
	acl.Entries = append(acl.Entries, deny(false, anyV4), deny(true, anyV4))
	if ipv6 {
		acl.Entries = append(acl.Entries, deny(false, anyV6), deny(true, anyV6))
	}
}

// LocalRoutes are the routes AWS puts in every route table of a VPC: one
// "local" route per CIDR of the VPC (vpc nil: the VPC of ID vpcID is not in
// the sources, so the destination is unknown). ipv6Unknown, when set, says
// why the VPC may have an IPv6 CIDR the sources do not give.
// https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-routes
func LocalRoutes(vpc *VPC, vpcID string, o Origin, ipv6Unknown string) []Route {
	local := func(p netip.Prefix, unknown string) Route {
		return Route{Destination: p, DestinationUnknown: unknown, TargetKind: TargetLocal, TargetID: "local",
			State: RouteActive, CreatedBy: "CreateRouteTable", Origin: o}
	}
	if vpc == nil {
		return []Route{local(netip.Prefix{}, "the CIDRs of VPC \""+vpcID+"\" are not in the sources")}
	}
	var rs []Route
	for _, c := range vpc.CIDRs {
		rs = append(rs, local(c, ""))
	}
	for _, c := range vpc.IPv6CIDRs {
		rs = append(rs, local(c, ""))
	}
	if len(vpc.CIDRs) == 0 {
		rs = append(rs, local(netip.Prefix{}, "the VPC's IPv4 CIDR is unknown"))
	}
	if ipv6Unknown != "" {
		rs = append(rs, local(netip.Prefix{}, ipv6Unknown))
	}
	return rs
}
