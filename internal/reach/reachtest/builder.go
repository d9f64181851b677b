// Package reachtest builds small model networks in a few lines for tests
// and benchmarks of the reachability engine and of analyses built on it.
//
// Every VPC gets, like in AWS, a main route table with its local route
// (rtb-main-<vpc>), a default network ACL allowing everything in and out
// (acl-default-<vpc>) and a default security group (sg-default-<vpc>)
// allowing all egress and ingress from its own members.
package reachtest

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Builder accumulates elements; Build finalizes the network.
type Builder struct {
	N *model.Network
}

// New starts an empty network.
func New() *Builder { return &Builder{N: &model.Network{}} }

// Build finalizes and returns the network.
func (b *Builder) Build() *model.Network {
	b.N.Finalize()
	return b.N
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// VPC adds a VPC with its main route table, default NACL and default SG.
// The first CIDR is the primary; IPv6 CIDRs (with ':') go to IPv6CIDRs.
func (b *Builder) VPC(id string, cidrs ...string) *model.VPC {
	v := &model.VPC{Meta: model.Meta{ID: id}, EnableDNSSupport: model.True}
	for _, c := range cidrs {
		if strings.Contains(c, ":") {
			v.IPv6CIDRs = append(v.IPv6CIDRs, pfx(c))
		} else {
			v.CIDRs = append(v.CIDRs, pfx(c))
		}
	}
	b.N.VPCs.Put(v)
	rt := &model.RouteTable{Meta: model.Meta{ID: "rtb-main-" + id}, VPCID: id, Associations: []model.RouteTableAssociation{{Main: true}}}
	for _, c := range append(append([]netip.Prefix{}, v.CIDRs...), v.IPv6CIDRs...) {
		rt.Routes = append(rt.Routes, model.Route{Destination: c, TargetKind: model.TargetLocal, TargetID: "local", State: model.RouteActive})
	}
	b.N.RouteTables.Put(rt)
	acl := &model.NetworkACL{Meta: model.Meta{ID: "acl-default-" + id}, VPCID: id, IsDefault: true}
	for _, eg := range []bool{false, true} {
		acl.Entries = append(acl.Entries,
			model.NACLEntry{RuleNumber: 100, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLAllow, CIDR: pfx("0.0.0.0/0"), Ports: model.AllPorts, ICMP: model.AnyICMP},
			model.NACLEntry{RuleNumber: 101, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLAllow, CIDR: pfx("::/0"), Ports: model.AllPorts, ICMP: model.AnyICMP},
			model.NACLEntry{RuleNumber: 32767, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLDeny, CIDR: pfx("0.0.0.0/0"), Ports: model.AllPorts, ICMP: model.AnyICMP},
			model.NACLEntry{RuleNumber: 32767, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLDeny, CIDR: pfx("::/0"), Ports: model.AllPorts, ICMP: model.AnyICMP},
		)
	}
	b.N.NetworkACLs.Put(acl)
	sg := &model.SecurityGroup{Meta: model.Meta{ID: "sg-default-" + id}, GroupName: "default", VPCID: id,
		Ingress: []model.SGRule{{Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Peer: model.Peer{Kind: model.PeerSecurityGroup, ID: "sg-default-" + id}}},
		Egress:  []model.SGRule{{Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}}},
	}
	b.N.SecurityGroups.Put(sg)
	return v
}

// Subnet adds a subnet (cidr may be "10.0.1.0/24" or "10.0.1.0/24,2600::/64").
func (b *Builder) Subnet(id, vpcID, cidr, az string) *model.Subnet {
	s := &model.Subnet{Meta: model.Meta{ID: id}, VPCID: vpcID, AvailabilityZone: az}
	for _, c := range strings.Split(cidr, ",") {
		if strings.Contains(c, ":") {
			s.IPv6CIDRs = append(s.IPv6CIDRs, pfx(c))
		} else {
			s.CIDR = pfx(c)
		}
	}
	b.N.Subnets.Put(s)
	return s
}

// MainRouteTable returns a VPC's main route table.
func (b *Builder) MainRouteTable(vpcID string) *model.RouteTable {
	rt, _ := b.N.RouteTables.Get("rtb-main-" + vpcID)
	return rt
}

// RouteTable adds a route table with its VPC's local routes, explicitly
// associated with the subnets.
func (b *Builder) RouteTable(id, vpcID string, subnetIDs ...string) *model.RouteTable {
	v, _ := b.N.VPCs.Get(vpcID)
	rt := &model.RouteTable{Meta: model.Meta{ID: id}, VPCID: vpcID}
	if v != nil {
		for _, c := range append(append([]netip.Prefix{}, v.CIDRs...), v.IPv6CIDRs...) {
			rt.Routes = append(rt.Routes, model.Route{Destination: c, TargetKind: model.TargetLocal, TargetID: "local", State: model.RouteActive})
		}
	}
	for _, s := range subnetIDs {
		rt.Associations = append(rt.Associations, model.RouteTableAssociation{SubnetID: s})
	}
	b.N.RouteTables.Put(rt)
	return rt
}

// EdgeAssociate associates a route table with a gateway (ingress routing).
func (b *Builder) EdgeAssociate(rt *model.RouteTable, gatewayID string) {
	rt.Associations = append(rt.Associations, model.RouteTableAssociation{GatewayID: gatewayID})
}

// targetKind guesses a route target's kind from its ID prefix.
func targetKind(id string) model.TargetKind {
	switch {
	case id == "local":
		return model.TargetLocal
	case strings.HasPrefix(id, "igw-"):
		return model.TargetInternetGateway
	case strings.HasPrefix(id, "eigw-"):
		return model.TargetEgressOnlyIGW
	case strings.HasPrefix(id, "nat-"):
		return model.TargetNATGateway
	case strings.HasPrefix(id, "pcx-"):
		return model.TargetPeering
	case strings.HasPrefix(id, "tgw-"):
		return model.TargetTransitGateway
	case strings.HasPrefix(id, "vgw-"):
		return model.TargetVPNGateway
	case strings.HasPrefix(id, "eni-"):
		return model.TargetNetworkInterface
	case strings.HasPrefix(id, "i-"):
		return model.TargetInstance
	case strings.HasPrefix(id, "vpce-"):
		return model.TargetGatewayEndpoint
	case strings.HasPrefix(id, "cagw-"), strings.HasPrefix(id, "lgw-"):
		return model.TargetUnmodelled
	}
	return model.TargetUnknown
}

// Route adds a route; dest is a CIDR or a prefix list ID (pl-…); the
// target kind follows from the target ID's prefix.
func (b *Builder) Route(rt *model.RouteTable, dest, target string) *model.Route {
	r := model.Route{TargetKind: targetKind(target), TargetID: target, State: model.RouteActive}
	if strings.HasPrefix(dest, "pl-") {
		r.DestinationPrefixListID = dest
	} else {
		r.Destination = pfx(dest)
	}
	rt.Routes = append(rt.Routes, r)
	return &rt.Routes[len(rt.Routes)-1]
}

// Blackhole adds a blackhole route.
func (b *Builder) Blackhole(rt *model.RouteTable, dest, target string) {
	r := b.Route(rt, dest, target)
	r.State = model.RouteBlackhole
}

// IGW adds an internet gateway attached to a VPC.
func (b *Builder) IGW(id, vpcID string) *model.InternetGateway {
	g := &model.InternetGateway{Meta: model.Meta{ID: id}, VPCIDs: []string{vpcID}}
	b.N.InternetGateways.Put(g)
	return g
}

// EIGW adds an egress-only internet gateway.
func (b *Builder) EIGW(id, vpcID string) {
	b.N.EgressOnlyIGWs.Put(&model.EgressOnlyInternetGateway{Meta: model.Meta{ID: id}, VPCIDs: []string{vpcID}})
}

// VGW adds a virtual private gateway attached to a VPC.
func (b *Builder) VGW(id, vpcID string) {
	b.N.VPNGateways.Put(&model.VPNGateway{Meta: model.Meta{ID: id}, VPCIDs: []string{vpcID}, State: "available"})
}

// NAT adds a NAT gateway (public when publicIP is not empty).
func (b *Builder) NAT(id, subnetID, privateIP, publicIP string) *model.NATGateway {
	s, _ := b.N.Subnets.Get(subnetID)
	n := &model.NATGateway{Meta: model.Meta{ID: id}, SubnetID: subnetID, State: "available", ConnectivityType: "public"}
	if s != nil {
		n.VPCID = s.VPCID
	}
	a := model.NATAddress{PrivateIP: netip.MustParseAddr(privateIP)}
	if publicIP != "" {
		a.PublicIP = netip.MustParseAddr(publicIP)
	} else {
		n.ConnectivityType = "private"
	}
	a.NetworkInterfaceID = "eni-" + id
	n.Addresses = []model.NATAddress{a}
	b.N.NATGateways.Put(n)
	ni := b.ENI(a.NetworkInterfaceID, subnetID, privateIP)
	ni.OwnerKind, ni.OwnerID, ni.InterfaceType, ni.RequesterManaged = model.OwnerNATGateway, id, "nat_gateway", true
	if publicIP != "" {
		b.PublicIP(ni, publicIP)
	}
	return n
}

// Peering adds an active peering connection between two VPCs of the network.
func (b *Builder) Peering(id, requester, accepter string) *model.PeeringConnection {
	side := func(v string) model.PeeringSide {
		s := model.PeeringSide{VPCID: v}
		if x, ok := b.N.VPCs.Get(v); ok {
			s.CIDRs = x.CIDRs
			s.IPv6CIDRs = x.IPv6CIDRs
		}
		return s
	}
	p := &model.PeeringConnection{Meta: model.Meta{ID: id}, Requester: side(requester), Accepter: side(accepter), Status: "active"}
	b.N.PeeringConnections.Put(p)
	return p
}

// TGW adds a transit gateway with one route table (tgw-rtb-<id>) that
// every attachment is associated with.
func (b *Builder) TGW(id string) *model.TGWRouteTable {
	b.N.TransitGateways.Put(&model.TransitGateway{Meta: model.Meta{ID: id}, State: "available"})
	rt := &model.TGWRouteTable{Meta: model.Meta{ID: "tgw-rtb-" + id}, TransitGatewayID: id}
	b.N.TGWRouteTables.Put(rt)
	return rt
}

// TGWAttach attaches a VPC through subnets, associated with the TGW's route table.
func (b *Builder) TGWAttach(id, tgwID, vpcID string, subnetIDs ...string) *model.TGWAttachment {
	a := &model.TGWAttachment{Meta: model.Meta{ID: id}, TransitGatewayID: tgwID, ResourceType: "vpc", ResourceID: vpcID, SubnetIDs: subnetIDs,
		AssociatedRouteTableID: "tgw-rtb-" + tgwID, State: "available"}
	b.N.TGWAttachments.Put(a)
	return a
}

// TGWRoute adds a route to a TGW route table.
func (b *Builder) TGWRoute(rt *model.TGWRouteTable, dest string, attachments ...string) {
	r := model.TGWRoute{Destination: pfx(dest), AttachmentIDs: attachments, Type: "static", State: model.RouteActive}
	if len(attachments) == 0 {
		r.State = model.RouteBlackhole
	}
	rt.Routes = append(rt.Routes, r)
}

// PrefixList adds a prefix list with known entries.
func (b *Builder) PrefixList(id string, cidrs ...string) {
	pl := &model.PrefixList{Meta: model.Meta{ID: id}, EntriesKnown: true}
	for _, c := range cidrs {
		pl.Entries = append(pl.Entries, pfx(c))
	}
	b.N.PrefixLists.Put(pl)
}

// SG adds a security group with rules written compactly (see Rule).
func (b *Builder) SG(id, vpcID string, rules ...string) *model.SecurityGroup {
	sg := &model.SecurityGroup{Meta: model.Meta{ID: id}, GroupName: id, VPCID: vpcID}
	for _, r := range rules {
		rule := Rule(r)
		if rule.Egress {
			sg.Egress = append(sg.Egress, rule)
		} else {
			sg.Ingress = append(sg.Ingress, rule)
		}
	}
	b.N.SecurityGroups.Put(sg)
	return sg
}

// Rule parses "in tcp 22 0.0.0.0/0", "out -1 all sg-1", "in icmp 8:-1
// pl-1", "out udp 53-53 10.0.0.0/16", "in 50 - ?": direction, protocol,
// ports (N, N-M, all, or for ICMP type:code), peer (CIDR, sg-…, pl-…, or
// ? for unknown).
func Rule(s string) model.SGRule {
	f := strings.Fields(s)
	if len(f) != 4 {
		panic("rule needs 4 fields: " + s)
	}
	p, err := model.ParseProtocol(f[1])
	if err != nil {
		panic(err)
	}
	r := model.SGRule{Egress: f[0] == "out", Protocol: p, Ports: model.AllPorts, ICMP: model.AnyICMP}
	switch {
	case p.IsICMP() && strings.Contains(f[2], ":"):
		t, c, _ := strings.Cut(f[2], ":")
		ti, _ := strconv.Atoi(t)
		ci, _ := strconv.Atoi(c)
		r.ICMP = model.ICMPMatch{Type: int16(ti), Code: int16(ci)}
	case p.HasPorts():
		r.Ports = ports(f[2])
	}
	switch peer := f[3]; {
	case peer == "?":
		r.Peer = model.UnknownPeer("parameter without value")
	case strings.HasPrefix(peer, "sg-"):
		r.Peer = model.Peer{Kind: model.PeerSecurityGroup, ID: peer}
	case strings.HasPrefix(peer, "pl-"):
		r.Peer = model.Peer{Kind: model.PeerPrefixList, ID: peer}
	default:
		r.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: pfx(peer)}
	}
	return r
}

func ports(s string) model.PortRange {
	if s == "all" || s == "-" {
		return model.AllPorts
	}
	a, c, ok := strings.Cut(s, "-")
	from, err := strconv.Atoi(a)
	if err != nil {
		panic(err)
	}
	to := from
	if ok {
		to, _ = strconv.Atoi(c)
	}
	return model.PortRange{From: uint16(from), To: uint16(to)}
}

// ACL adds a network ACL associated with subnets; entries are written
// "100 in allow tcp 22 0.0.0.0/0" (rule, direction, action, protocol,
// ports or ICMP type:code, CIDR or ? for unknown). The final * denies are added.
func (b *Builder) ACL(id, vpcID string, subnetIDs []string, entries ...string) *model.NetworkACL {
	acl := &model.NetworkACL{Meta: model.Meta{ID: id}, VPCID: vpcID, SubnetIDs: subnetIDs}
	for _, s := range entries {
		f := strings.Fields(s)
		if len(f) != 6 {
			panic("ACL entry needs 6 fields: " + s)
		}
		n, _ := strconv.Atoi(f[0])
		p, err := model.ParseProtocol(f[3])
		if err != nil {
			panic(err)
		}
		en := model.NACLEntry{RuleNumber: n, Egress: f[1] == "out", Action: model.NACLAction(f[2]), Protocol: p, Ports: model.AllPorts, ICMP: model.AnyICMP}
		switch {
		case p.IsICMP() && strings.Contains(f[4], ":"):
			t, c, _ := strings.Cut(f[4], ":")
			ti, _ := strconv.Atoi(t)
			ci, _ := strconv.Atoi(c)
			en.ICMP = model.ICMPMatch{Type: int16(ti), Code: int16(ci)}
		case p.HasPorts():
			en.Ports = ports(f[4])
		}
		if f[5] == "?" {
			en.CIDRUnknown = "parameter without value"
		} else {
			en.CIDR = pfx(f[5])
		}
		acl.Entries = append(acl.Entries, en)
	}
	for _, eg := range []bool{false, true} {
		acl.Entries = append(acl.Entries,
			model.NACLEntry{RuleNumber: 32767, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLDeny, CIDR: pfx("0.0.0.0/0"), Ports: model.AllPorts, ICMP: model.AnyICMP},
			model.NACLEntry{RuleNumber: 32767, Egress: eg, Protocol: model.ProtoAll, Action: model.NACLDeny, CIDR: pfx("::/0"), Ports: model.AllPorts, ICMP: model.AnyICMP})
	}
	b.N.NetworkACLs.Put(acl)
	return acl
}

// ENI adds an interface with one private address (IPv6 if it has ':')
// in a subnet, with security groups; source/destination check is on.
func (b *Builder) ENI(id, subnetID, addr string, sgs ...string) *model.NetworkInterface {
	s, _ := b.N.Subnets.Get(subnetID)
	ni := &model.NetworkInterface{Meta: model.Meta{ID: id}, SubnetID: subnetID, SecurityGroupIDs: sgs, SourceDestCheck: true, InterfaceType: "interface"}
	if s != nil {
		ni.VPCID = s.VPCID
	}
	for _, a := range strings.Split(addr, ",") {
		if a == "" {
			continue
		}
		ip := netip.MustParseAddr(a)
		if ip.Is6() {
			ni.IPv6 = append(ni.IPv6, ip)
		} else {
			ni.PrivateIPs = append(ni.PrivateIPs, model.PrivateIP{Address: ip, Primary: len(ni.PrivateIPs) == 0})
		}
	}
	b.N.NetworkInterfaces.Put(ni)
	return ni
}

// PublicIP maps a public address to the interface's primary private IP.
func (b *Builder) PublicIP(ni *model.NetworkInterface, public string) {
	ni.PrivateIPs[0].PublicIP = netip.MustParseAddr(public)
}

// Instance adds an instance owning the interfaces.
func (b *Builder) Instance(id string, enis ...*model.NetworkInterface) *model.Instance {
	in := &model.Instance{Meta: model.Meta{ID: id}, State: "running"}
	for _, ni := range enis {
		in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, ni.ID)
		ni.OwnerKind = model.OwnerInstance
		ni.OwnerID = id
		in.SubnetID, in.VPCID = ni.SubnetID, ni.VPCID
	}
	b.N.Instances.Put(in)
	return in
}

// GatewayEndpoint adds a gateway endpoint with its prefix list route in
// the given route tables.
func (b *Builder) GatewayEndpoint(id, vpcID, service, prefixList string, rts ...*model.RouteTable) {
	ep := &model.VPCEndpoint{Meta: model.Meta{ID: id}, EndpointType: "Gateway", ServiceName: service, VPCID: vpcID, PrefixListID: prefixList, State: "available"}
	for _, rt := range rts {
		ep.RouteTableIDs = append(ep.RouteTableIDs, rt.ID)
		b.Route(rt, prefixList, id)
	}
	b.N.VPCEndpoints.Put(ep)
}

// Name sets an element's Name tag.
func Name(el model.Element, name string) { el.Base().Name = name }

// Must panics on error (for fixtures).
func Must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return v
}

// VPN adds a site-to-site VPN connection on a VPN gateway with static routes.
func (b *Builder) VPN(id, vgwID string, routes ...string) {
	c := &model.VPNConnection{Meta: model.Meta{ID: id}, VPNGatewayID: vgwID, State: "available", StaticRoutesOnly: true}
	for _, r := range routes {
		c.Routes = append(c.Routes, pfx(r))
	}
	b.N.VPNConnections.Put(c)
}

// LB adds a load balancer (typ application, network or classic; scheme
// internet-facing or internal) with one interface per "subnet=address"
// node; internet-facing nodes get the public address "public" maps them to.
func (b *Builder) LB(arn, name, typ, scheme string, sgs []string, nodes ...string) *model.LoadBalancer {
	lb := &model.LoadBalancer{Meta: model.Meta{ID: arn, Name: name}, LBType: typ, Scheme: scheme, SecurityGroupIDs: sgs}
	for i, n := range nodes {
		sub, addr, _ := strings.Cut(n, "=")
		priv, pub, _ := strings.Cut(addr, "/")
		ni := b.ENI(fmt.Sprintf("eni-lb-%s-%d", name, i), sub, priv, sgs...)
		ni.OwnerKind, ni.OwnerID, ni.RequesterManaged = model.OwnerLoadBalancer, arn, true
		if typ == "network" {
			ni.InterfaceType = "network_load_balancer"
		}
		if pub != "" {
			b.PublicIP(ni, pub)
		}
		lb.SubnetIDs = append(lb.SubnetIDs, sub)
		lb.VPCID = ni.VPCID
	}
	b.N.LoadBalancers.Put(lb)
	return lb
}

// Listener adds a listener forwarding to target groups.
func (b *Builder) Listener(lb *model.LoadBalancer, proto string, port uint16, targetGroups ...string) {
	lb.Listeners = append(lb.Listeners, model.Listener{Protocol: proto, Port: port, TargetGroupARNs: targetGroups})
}

// TargetGroup adds a target group; targets are "i-…" or "i-…:port".
func (b *Builder) TargetGroup(arn string, port uint16, targets ...string) {
	tg := &model.TargetGroup{Meta: model.Meta{ID: arn}, Port: port, Protocol: "HTTP", TargetType: "instance", TargetsKnown: true}
	for _, t := range targets {
		id, p, _ := strings.Cut(t, ":")
		n, _ := strconv.Atoi(p)
		tg.Targets = append(tg.Targets, model.Target{ID: id, Port: uint16(n)})
	}
	b.N.TargetGroups.Put(tg)
}
