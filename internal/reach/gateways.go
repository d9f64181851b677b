package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

func vpcID(v *model.VPC) string {
	if v == nil {
		return "(unknown VPC)"
	}
	return v.ID
}

var internetHop = Hop{ID: "internet", Type: "Internet", Action: "leaves AWS to the internet"}

// igwEgress sends packets out through an internet gateway: IPv4 needs a
// public or elastic IP (1:1 NAT, shown as a translation) or a public NAT
// gateway's address; IPv6 needs a global address.
// https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
func (t *tracer) igwEgress(b *branch, igw *model.InternetGateway) {
	atGoal := t.g.kind == goalComponent && t.g.id == igw.ID
	if !atGoal {
		priv := pick(b.space, dstCube(nonPublic), b.rw)
		if !priv.Empty() {
			t.blocked(b, priv, hopOf(igw, "destination not on the internet"), &Block{ID: igw.ID, Type: igw.Type(), Code: CodeIGWDstRFC1918,
				Reason: "internet gateways do not forward to private, shared or reserved addresses"})
			b = b.with(b.space.Subtract(priv))
			if b.space.Empty() {
				return
			}
		}
	}
	if len(b.fw) > 0 {
		t.fwReplyCheck(b, t.e.Net.EdgeRouteTable(igw.ID), "the internet gateway "+igw.ID)
	}
	next := func(nb *branch) {
		if atGoal {
			t.deliver(nb, hopOf(igw, "reached the internet gateway"))
			return
		}
		t.onInternet(nb, igw)
	}
	// Translated by a NAT gateway already.
	if b.nat != nil {
		if !b.nat.IsPublic() {
			t.blocked(b, b.space, hopOf(igw, "private NAT gateway"), &Block{ID: b.nat.ID, Type: b.nat.Type(), Code: CodeIGWPublicIPEgress,
				Reason: b.nat.ID + " is a private NAT gateway: its traffic cannot use an internet gateway"})
			return
		}
		pub := natPublic(b.nat)
		if !pub.IsValid() {
			nb := b.with(b.space, hopOf(igw, "NAT gateway public address unknown"))
			nb.possible("public address of " + b.nat.ID + " is unknown")
			next(nb)
			return
		}
		nb := b.with(b.space, Hop{ID: igw.ID, Type: igw.Type(), Action: "to the internet", Translation: fmt.Sprintf("source %s -> %s (elastic IP of %s)", natPrivate(b.nat), pub, b.nat.ID)})
		nb.rw = nb.rw.then(rewrite{src: SetOf(nil, pub)})
		nb.onReply(reverseHop(Hop{ID: igw.ID, Type: igw.Type(), Action: "reply from the internet", Translation: fmt.Sprintf("destination %s -> %s", pub, natPrivate(b.nat))}))
		next(nb)
		return
	}
	ni := b.srcENI
	if b.entered == fromInstance && ni == nil && b.rw == nil {
		// A subnet as source: whether its hosts have public addresses is unknown.
		nb := b.with(b.space, hopOf(igw, "to the internet (public address of the host unknown)"))
		nb.possible("hosts of the source subnet need a public or elastic IP to use " + igw.ID)
		next(nb)
		return
	}
	if b.entered != fromInstance || ni == nil || b.rw != nil {
		t.blocked(b, b.space, hopOf(igw, "source is not an interface of the VPC"), &Block{ID: igw.ID, Type: igw.Type(), Code: CodeIGWPublicIPEgress,
			Reason: fmt.Sprintf("packets that entered %s through %s cannot leave through %s (no transitive routing)", vpcID(b.vpc), b.entered, igw.ID)})
		return
	}
	rest := b.space
	for _, p := range ni.PrivateIPs {
		part := rest.IntersectCube(srcCube(SetOf(nil, p.Address)))
		if part.Empty() {
			continue
		}
		switch {
		case p.PublicIP.IsValid():
			rest = rest.Subtract(part)
			kind := "public IPv4"
			if p.ElasticIP != "" {
				kind = "elastic IP " + p.ElasticIP
			}
			nb := b.with(part, Hop{ID: igw.ID, Type: igw.Type(), Action: "to the internet", Translation: fmt.Sprintf("source %s -> %s (%s, 1:1 NAT)", p.Address, p.PublicIP, kind)})
			nb.rw = nb.rw.then(rewrite{src: SetOf(nil, p.PublicIP)})
			nb.onReply(reverseHop(Hop{ID: igw.ID, Type: igw.Type(), Action: "reply from the internet", Translation: fmt.Sprintf("destination %s -> %s", p.PublicIP, p.Address)}))
			next(nb)
		case p.PublicUnknown != "" && p.PublicAssigned:
			// A public address AWS assigns for certain: the source is
			// one of every public IPv4 address, and filters downstream
			// decide only if they agree for all of them.
			rest = rest.Subtract(part)
			nb := b.with(part, Hop{ID: igw.ID, Type: igw.Type(), Action: "to the internet", Translation: fmt.Sprintf("source %s -> its public IPv4 (%s, 1:1 NAT)", p.Address, p.PublicUnknown)})
			nb.rw = nb.rw.then(rewrite{src: publicV4})
			nb.onReply(reverseHop(Hop{ID: igw.ID, Type: igw.Type(), Action: "reply from the internet", Translation: fmt.Sprintf("destination its public IPv4 -> %s", p.Address)}))
			next(nb)
		case p.PublicUnknown != "":
			rest = rest.Subtract(part)
			nb := b.with(part, Hop{ID: igw.ID, Type: igw.Type(), Action: "to the internet (public address unknown)"})
			nb.possible(fmt.Sprintf("public address of %s %s is unknown (%s)", ni.ID, p.Address, p.PublicUnknown))
			next(nb)
		}
	}
	// IPv6: global addresses need no translation.
	var v6 []netip.Addr
	for _, a := range ni.IPv6 {
		if IsPublic(a) {
			v6 = append(v6, a)
		}
	}
	if len(v6) > 0 {
		part := rest.IntersectCube(srcCube(SetOf(nil, v6...)))
		if !part.Empty() {
			rest = rest.Subtract(part)
			next(b.with(part, hopOf(igw, "to the internet (global IPv6)")))
		}
	}
	if !rest.Empty() {
		if why, assigned := t.e.publicUnknown(ni); why != "" && !hasAddress(ni) {
			if assigned {
				nb := b.with(rest, Hop{ID: igw.ID, Type: igw.Type(), Action: "to the internet", Translation: fmt.Sprintf("source -> its public IPv4 (%s, 1:1 NAT)", why)})
				nb.rw = nb.rw.then(rewrite{src: publicV4})
				nb.onReply(reverseHop(Hop{ID: igw.ID, Type: igw.Type(), Action: "reply from the internet", Translation: "destination its public IPv4 -> its private address"}))
				next(nb)
				return
			}
			nb := b.with(rest, hopOf(igw, "to the internet (public address unknown)"))
			nb.possible(fmt.Sprintf("public address of %s is unknown (%s)", ni.ID, why))
			next(nb)
			return
		}
		t.blocked(b, rest, hopOf(igw, "no public address"), &Block{ID: igw.ID, Type: igw.Type(), Code: CodeIGWPublicIPEgress,
			Reason: fmt.Sprintf("%s has no public IPv4 or elastic IP (nor global IPv6) for its source address", ni.ID)})
	}
}

// publicUnknown says why an interface may have a public IPv4 address the
// sources do not know: on one of its addresses, on the interface itself
// (an address picked at deploy time in a subnet that maps public IPs), or
// an elastic IP associated with it whose address is allocated at deploy
// time. Empty when there is none.
//
// assigned says AWS gives the interface that address for certain (an
// elastic IP, a subnet or setting that assigns one): only its value is
// unknown, and the internet reaches the interface the same way whatever it
// is, so the answer need not be widened for it.
func (e *Engine) publicUnknown(ni *model.NetworkInterface) (why string, assigned bool) {
	if why := ni.UnknownPublicIP(); why != "" {
		return why, ni.PublicIPValueOnly()
	}
	e.unknownEIPsOnce.Do(func() {
		e.unknownEIPs = map[string]*model.ElasticIP{}
		for _, eip := range e.Net.ElasticIPs.All() {
			if _, seen := e.unknownEIPs[eip.NetworkInterfaceID]; !seen && !eip.PublicIP.IsValid() {
				e.unknownEIPs[eip.NetworkInterfaceID] = eip
			}
		}
	})
	if eip, ok := e.unknownEIPs[ni.ID]; ok {
		return "elastic IP " + eip.ID + " is allocated at deploy time", true
	}
	return "", false
}

// assignedAddrs lists the private addresses whose public IPv4 AWS assigns
// for certain at deploy time.
func assignedAddrs(ni *model.NetworkInterface) []netip.Addr {
	var out []netip.Addr
	for _, p := range ni.PrivateIPs {
		if p.PublicUnknown != "" && p.PublicAssigned && p.Address.IsValid() {
			out = append(out, p.Address)
		}
	}
	return out
}

func addrList(as []netip.Addr) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

func natPublic(n *model.NATGateway) netip.Addr {
	for _, a := range n.Addresses {
		if a.PublicIP.IsValid() {
			return a.PublicIP
		}
	}
	return netip.Addr{}
}

func natPrivate(n *model.NATGateway) netip.Addr {
	for _, a := range n.Addresses {
		if a.PrivateIP.IsValid() {
			return a.PrivateIP
		}
	}
	return netip.Addr{}
}

// onInternet continues packets that left through an internet gateway: to
// the goal outside AWS, or back in through another public address.
func (t *tracer) onInternet(b *branch, via model.Element) {
	switch t.g.kind {
	case goalExternal:
		t.deliver(b, internetHop)
	case goalENI:
		t.internetIngress(b.with(b.space, internetHop), t.g.eni)
	default:
		t.blocked(b, b.space, internetHop, &Block{ID: via.Base().ID, Type: via.Type(), Code: CodeNoPossibleDestination, Reason: "the packets leave to the internet, away from the destination"})
	}
}

// internetIngress brings packets from the internet to an interface: the
// destination must be a public or elastic IP (or global IPv6) of the
// interface, its VPC needs an internet gateway, the gateway route table
// (if any) routes the private address, the subnet ACL and the groups allow
// it, and the subnet routes replies back to the gateway.
func (t *tracer) internetIngress(b *branch, ni *model.NetworkInterface) {
	e := t.e
	igw, ok := e.Net.InternetGatewayOf(ni.VPCID)
	if !ok {
		if id, why := e.missingIGW(ni.VPCID); why != "" {
			// Follow the packets through a stand-in for the gateway a
			// route names, so every other check still applies.
			igw = &model.InternetGateway{Meta: model.Meta{ID: id}, VPCIDs: []string{ni.VPCID}}
			b = b.with(b.space)
			b.possible(why)
			ok = true
		}
	}
	if !ok {
		t.blocked(b, b.space, eniHop(ni, "no internet gateway"), &Block{ID: ni.VPCID, Type: model.TypeVPC, Code: CodeNoRoute, Reason: ni.VPCID + " has no internet gateway: nothing from the internet reaches " + ni.ID})
		return
	}
	vpc, _ := e.Net.VPCs.Get(ni.VPCID)
	rest := b.space
	var branches []*branch
	for _, p := range ni.PrivateIPs {
		if !p.PublicIP.IsValid() {
			continue
		}
		part := pick(rest, dstCube(SetOf(nil, p.PublicIP)), b.rw)
		if part.Empty() {
			continue
		}
		rest = rest.Subtract(part)
		nb := b.with(part, Hop{ID: igw.ID, Type: igw.Type(), Action: "from the internet", Translation: fmt.Sprintf("destination %s -> %s (public IPv4 of %s)", p.PublicIP, p.Address, ni.ID)})
		nb.rw = nb.rw.then(rewrite{dst: SetOf(nil, p.Address)})
		nb.onReply(reverseHop(Hop{ID: igw.ID, Type: igw.Type(), Action: "reply to the internet", Translation: fmt.Sprintf("source %s -> %s", p.Address, p.PublicIP)}))
		branches = append(branches, nb)
	}
	var v6 []netip.Addr
	for _, a := range ni.IPv6 {
		if IsPublic(a) {
			v6 = append(v6, a)
		}
	}
	if len(v6) > 0 {
		if part := pick(rest, dstCube(SetOf(nil, v6...)), b.rw); !part.Empty() {
			rest = rest.Subtract(part)
			branches = append(branches, b.with(part, hopOf(igw, "from the internet (global IPv6)")))
		}
	}
	if !rest.Empty() {
		unknown, assigned := e.publicUnknown(ni)
		switch {
		case unknown != "" && assigned:
			// Whatever public address AWS assigns, the gateway maps it
			// 1:1 to the private address: everything after it sees the
			// private address, so the value cannot change the answer.
			priv := e.eniAddrs(ni, false)
			if as := assignedAddrs(ni); len(as) > 0 {
				priv = SetOf(nil, as...)
			}
			nb := b.with(rest, Hop{ID: igw.ID, Type: igw.Type(), Action: "from the internet", Translation: fmt.Sprintf("destination its public IPv4 -> %s (%s)", describeSet(priv), unknown)})
			nb.rw = nb.rw.then(rewrite{dst: priv})
			nb.onReply(reverseHop(Hop{ID: igw.ID, Type: igw.Type(), Action: "reply to the internet", Translation: fmt.Sprintf("source %s -> its public IPv4", describeSet(priv))}))
			branches = append(branches, nb)
		case unknown != "":
			nb := b.with(rest, hopOf(igw, "from the internet (public address unknown)"))
			nb.possible(fmt.Sprintf("public address of %s is unknown (%s)", ni.ID, unknown))
			nb.rw = nb.rw.then(rewrite{dst: e.eniAddrs(ni, false)})
			branches = append(branches, nb)
		default:
			reason := fmt.Sprintf("%s has no public or elastic IP: the internet gateway forwards nothing to it", ni.ID)
			if len(ni.PublicIPs()) > 0 {
				reason = fmt.Sprintf("the internet gateway forwards only to public or elastic IPs (%s has %s), not to private addresses", ni.ID, addrList(ni.PublicIPs()))
			}
			t.blocked(b, rest, hopOf(igw, "destination is not a public address"), &Block{ID: igw.ID, Type: igw.Type(), Code: CodeIGWPrivateIPIngress, Reason: reason})
		}
	}
	for _, nb := range branches {
		nb.vpc = vpc
		nb.entered = fromInternet
		nb.nat = nil
		t.gatewayIngress(nb, igw.ID, ni)
	}
}

// gatewayIngress delivers packets entering a VPC through an IGW or VGW:
// the gateway route table (edge association) decides, else the local route.
func (t *tracer) gatewayIngress(b *branch, gwID string, ni *model.NetworkInterface) {
	e := t.e
	if rt := e.Net.EdgeRouteTable(gwID); rt != nil {
		regs, unknown := e.regions(rt)
		if unknown != "" {
			b.possible(unknown)
		}
		rest := b.space
		for _, rg := range regs {
			part := pick(rest, dstCube(rg.region), b.rw)
			if part.Empty() {
				continue
			}
			rest = rest.Subtract(part)
			h := hopOf(rt, fmt.Sprintf("route %s -> %s (gateway route table of %s)", rg.dest, routeTargetName(rg.route), gwID))
			nb := b.with(part, h)
			switch {
			case rg.route.State == model.RouteBlackhole:
				t.blocked(nb, part, hopOf(rt, "blackhole route"), &Block{ID: rt.ID, Type: rt.Type(), Code: CodeBadStateRoute, Reason: "blackhole route in the gateway route table " + rt.ID})
			case rg.route.TargetKind == model.TargetLocal:
				t.local(nb, nil)
			case rg.route.TargetKind == model.TargetNetworkInterface || rg.route.TargetKind == model.TargetInstance:
				t.appliance(nb, rg.route)
			case rg.route.TargetKind == model.TargetGatewayEndpoint:
				if fw, eps, idx, ok := e.firewallTarget(rg.route); ok {
					t.firewallEndpoint(nb, nil, rg.route, fw, eps, idx)
					continue
				}
				if ep, ok := e.Net.VPCEndpoints.Get(rg.route.TargetID); ok && ep.EndpointType == "GatewayLoadBalancer" {
					t.maybe(nb, part, hopOf(ep, "Gateway Load Balancer endpoint for "+ep.ServiceName),
						"the packets are inspected by "+e.gwlbAppliances(ep)+", whose verdict no source holds")
					continue
				}
				t.maybe(nb, part, h, fmt.Sprintf("gateway route table %s sends the packets to %s, which vpcreach does not follow", rt.ID, orNone(rg.route.TargetID)))
			default:
				t.maybe(nb, part, h, fmt.Sprintf("gateway route table %s sends the packets to %s, which vpcreach does not follow", rt.ID, orNone(rg.route.TargetID)))
			}
		}
		if !rest.Empty() {
			if unknown != "" {
				t.maybe(b, rest, hopOf(rt, "no known route matches"), unknown)
			} else {
				t.blocked(b, rest, hopOf(rt, "no route matches"), &Block{ID: rt.ID, Type: rt.Type(), Code: CodeNoRoute, Reason: "the gateway route table " + rt.ID + " has no route to the destination"})
			}
		}
		return
	}
	t.local(b, nil)
}

// eigwEgress sends IPv6 packets out through an egress-only internet gateway.
func (t *tracer) eigwEgress(b *branch, id string) {
	h := Hop{ID: id, Type: model.TypeEgressOnlyIGW, Action: "to the internet (IPv6, outbound only)"}
	if b.entered != fromInstance {
		t.blocked(b, b.space, h, &Block{ID: id, Type: model.TypeEgressOnlyIGW, Code: CodeIGWPublicIPEgress, Reason: "only interfaces of the VPC can use an egress-only internet gateway"})
		return
	}
	if t.g.kind == goalComponent && t.g.id == id {
		t.deliver(b, h)
		return
	}
	if t.g.kind == goalExternal {
		t.deliver(b, h)
		return
	}
	if t.g.kind == goalENI {
		t.internetIngress(b.with(b.space, h, internetHop), t.g.eni)
		return
	}
	t.blocked(b, b.space, h, &Block{ID: id, Type: model.TypeEgressOnlyIGW, Code: CodeNoPossibleDestination, Reason: "the packets leave to the internet, away from the destination"})
}

// natGateway translates the source (SNAT, source port remapped) and
// forwards by the NAT gateway's subnet. NAT gateways serve only traffic
// from their own VPC's interfaces (or a transit gateway).
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
func (t *tracer) natGateway(b *branch, sub *model.Subnet, nat *model.NATGateway) {
	e := t.e
	h := hopOf(nat, "NAT gateway")
	switch b.entered {
	case fromPeering, fromVGW, fromInternet:
		t.blocked(b, b.space, h, &Block{ID: nat.ID, Type: nat.Type(), Code: CodeNATSourceInVPC, Reason: fmt.Sprintf("packets that entered %s through %s cannot use %s", vpcID(b.vpc), b.entered, nat.ID)})
		return
	}
	if b.nat != nil {
		t.maybe(b, b.space, h, "packets pass two NAT gateways ("+b.nat.ID+", "+nat.ID+")")
		return
	}
	// NAT gateways translate TCP, UDP and ICMP only.
	// https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
	natProtos := ProtoOf(model.ProtoTCP).Or(ProtoOf(model.ProtoUDP)).Or(ProtoOf(model.ProtoICMP))
	in := b.space.IntersectCube(Cube{Src: fullSet, Dst: fullSet, Proto: natProtos, SrcPorts: AllRanges(), DstPorts: AllRanges()})
	if out := b.space.Subtract(in); !out.Empty() {
		t.blocked(b, out, h, &Block{ID: nat.ID, Type: nat.Type(), Code: CodeProtocolRestriction, Reason: nat.ID + " translates only TCP, UDP and ICMP"})
	}
	if in.Empty() {
		return
	}
	b = b.with(in)
	if nat.State != "" && nat.State != "available" {
		t.blocked(b, b.space, h, &Block{ID: nat.ID, Type: nat.Type(), Code: CodeBadState, Reason: nat.ID + " is " + nat.State})
		return
	}
	if nat.HasUnknowns() {
		b.possible(fmt.Sprintf("%s has unknown values (%s)", nat.ID, unknownsOf(nat)))
	}
	nsub, ok := e.Net.Subnets.Get(nat.SubnetID)
	if !ok {
		t.maybe(b, b.space, h, "subnet "+nat.SubnetID+" of "+nat.ID+" is not in the sources")
		return
	}
	translate := func(nb *branch) {
		if t.g.kind == goalComponent && t.g.id == nat.ID {
			t.deliver(nb, hopOf(nat, "reached the NAT gateway"))
			return
		}
		priv := natPrivate(nat)
		src := SetOf(nil, priv)
		label := priv.String()
		if !priv.IsValid() {
			src = SetOf([]netip.Prefix{nsub.CIDR})
			label = "an address of " + nsub.ID
		}
		tb := nb.with(nb.space, Hop{ID: nat.ID, Type: nat.Type(), Action: "source NAT (" + map[bool]string{true: "public", false: "private"}[nat.IsPublic()] + ")",
			Translation: fmt.Sprintf("source -> %s, source port remapped to 1024-65535", label)})
		tb.rw = tb.rw.then(rewrite{src: src, remapPorts: true})
		tb.nat = nat
		tb.onReply(func(s Space) []piece {
			return []piece{{space: s, pass: true, hop: Hop{ID: nat.ID, Type: nat.Type(), Action: "reply translated back", Translation: "destination " + label + " -> original source"}}}
		})
		t.route(tb, nsub)
	}
	if nsub.ID == sub.ID {
		translate(b)
		return
	}
	t.leaveSubnet(b, sub, func(lb *branch) { t.enterSubnet(lb, nsub, translate) })
}

// peering crosses a VPC peering connection: active, not transitive (the
// source must be in the local VPC and the destination in the peer's CIDRs).
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
func (t *tracer) peering(b *branch, sub *model.Subnet, pcx *model.PeeringConnection) {
	e := t.e
	h := hopOf(pcx, "VPC peering connection")
	if !pcx.IsActive() {
		t.blocked(b, b.space, h, &Block{ID: pcx.ID, Type: pcx.Type(), Code: CodeBadState, Reason: pcx.ID + " is " + pcx.Status})
		return
	}
	if b.vpc == nil {
		t.maybe(b, b.space, h, "VPC of "+sub.ID+" is not in the sources")
		return
	}
	local, remote, ok := pcx.Side(b.vpc.ID)
	if !ok {
		t.blocked(b, b.space, h, &Block{ID: pcx.ID, Type: pcx.Type(), Code: CodeNoRoute, Reason: pcx.ID + " does not connect " + b.vpc.ID})
		return
	}
	rvpc, haveRemote := e.Net.VPCs.Get(remote.VPCID)
	remoteCIDRs := append(slices.Clip(remote.CIDRs), remote.IPv6CIDRs...)
	if haveRemote {
		remoteCIDRs = append(slices.Clip(rvpc.CIDRs), rvpc.IPv6CIDRs...)
	}
	localCIDRs := append(slices.Clip(b.vpc.CIDRs), b.vpc.IPv6CIDRs...)
	_ = local
	if len(remoteCIDRs) == 0 {
		t.maybe(b, b.space, h, "CIDRs of the peer VPC "+remote.VPCID+" are unknown")
		return
	}
	ok1 := Cube{Src: SetOf(localCIDRs), Dst: SetOf(remoteCIDRs), Proto: AllProtos(), SrcPorts: AllRanges(), DstPorts: AllRanges()}
	in := pick(b.space, ok1, b.rw)
	if out := b.space.Subtract(in); !out.Empty() {
		t.blocked(b, out, h, &Block{ID: pcx.ID, Type: pcx.Type(), Code: CodePCXAddressInVPC,
			Reason: fmt.Sprintf("%s carries only packets from %s's CIDRs to %s's CIDRs (peering is not transitive)", pcx.ID, b.vpc.ID, remote.VPCID)})
	}
	if in.Empty() {
		return
	}
	nb := b.with(in, h)
	if t.g.kind == goalComponent && t.g.id == pcx.ID {
		t.deliver(nb, hopOf(pcx, "reached the peering connection"))
		return
	}
	if !haveRemote {
		t.maybe(nb, in, h, "peer VPC "+remote.VPCID+" is not in the sources")
		return
	}
	nb.vpc = rvpc
	nb.entered = fromPeering
	nb.nat = nil
	t.local(nb, nil)
}

// vgwEgress leaves the VPC through a virtual private gateway toward
// on-premises networks (outside the model).
func (t *tracer) vgwEgress(b *branch, id string) {
	h := Hop{ID: id, Type: model.TypeVPNGateway, Action: "to on-premises (VPN / Direct Connect)"}
	if b.entered == fromPeering || b.entered == fromInternet {
		t.blocked(b, b.space, h, &Block{ID: id, Type: model.TypeVPNGateway, Code: "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS", Reason: "packets that entered through " + string(b.entered) + " cannot leave through " + id})
		return
	}
	if t.g.kind == goalComponent && t.g.id == id {
		t.deliver(b, h)
		return
	}
	if t.g.kind != goalExternal {
		t.maybe(b, b.space, h, "the packets leave through "+id+" to networks outside the sources")
		return
	}
	// Destinations the VPN connections route statically are on-premises;
	// others depend on routes (BGP) the sources do not show.
	var routes []netip.Prefix
	var vpns []string
	for _, c := range t.e.Net.VPNConnections.All() {
		if c.VPNGatewayID == id && (c.State == "" || c.State == "available") {
			routes = append(routes, c.Routes...)
			vpns = append(vpns, c.ID)
		}
	}
	known := pick(b.space, dstCube(SetOf(routes)), b.rw)
	if !known.Empty() {
		t.deliver(b.with(known), Hop{ID: id, Type: model.TypeVPNGateway, Action: "to on-premises through " + strings.Join(vpns, ",") + " (static route)"})
	}
	if rest := b.space.Subtract(known); !rest.Empty() {
		t.maybe(b.with(rest), rest, h, "the packets leave through "+id+"; whether on-premises networks route them on is outside the sources")
	}
}

// gatewayEndpoint sends packets to an AWS service through a gateway
// endpoint (route to the service's prefix list). Gateway endpoints carry
// TCP and ICMP echo only.
func (t *tracer) gatewayEndpoint(b *branch, id string) {
	h := Hop{ID: id, Type: model.TypeVPCEndpoint, Action: "gateway endpoint"}
	ep, ok := t.e.Net.VPCEndpoints.Get(id)
	if !ok {
		// A route to an endpoint the sources do not list: a gateway
		// endpoint, or a Gateway Load Balancer or Network Firewall endpoint
		// whose appliances decide; what it does is unknown.
		h.Action = "endpoint not in the sources"
		if t.g.kind == goalComponent && t.g.id == id {
			t.deliver(b, h)
			return
		}
		t.maybe(b, b.space, h, "the route targets "+id+", an endpoint that is not in the sources: whether it is a gateway endpoint, a Gateway Load Balancer endpoint or a firewall endpoint, and what it lets through, is unknown")
		return
	}
	{
		h.Action = "gateway endpoint for " + ep.ServiceName
		if ep.EndpointType == "GatewayLoadBalancer" {
			// Packets go to the appliances behind the Gateway Load
			// Balancer and come back through the endpoint: what the
			// appliances let through is outside the sources.
			h.Action = "Gateway Load Balancer endpoint for " + ep.ServiceName
			if t.g.kind == goalComponent && t.g.id == id {
				t.deliver(b, h)
				return
			}
			t.maybe(b, b.space, h, "the packets are inspected by "+t.e.gwlbAppliances(ep)+" behind "+id+", whose verdict and onward route no source holds")
			return
		}
	}
	allowed := Space{
		{Src: fullSet, Dst: fullSet, Proto: ProtoOf(model.ProtoTCP), SrcPorts: AllRanges(), DstPorts: AllRanges()},
		{Src: fullSet, Dst: fullSet, Proto: ProtoOf(model.ProtoICMP), SrcPorts: AllRanges(), DstPorts: Ranges{{From: ICMPKey(8, 0), To: ICMPKey(8, 255)}}},
	}
	in := b.space.Intersect(allowed)
	if out := b.space.Subtract(allowed); !out.Empty() {
		t.blocked(b, out, h, &Block{ID: id, Type: model.TypeVPCEndpoint, Code: CodeVPCEGatewayProtocol, Reason: "gateway endpoints carry only TCP and ICMP echo"})
	}
	if in.Empty() {
		return
	}
	switch {
	case t.g.kind == goalComponent && t.g.id == id, t.g.kind == goalExternal:
		t.deliver(b.with(in), h)
	default:
		t.maybe(b.with(in), in, h, "the packets go to an AWS service through "+id)
	}
}

// appliance handles routes to an interface or instance (firewalls, NAT
// instances): source/destination check drops forwarded packets; otherwise
// what the appliance does is outside the model.
func (t *tracer) appliance(b *branch, r *model.Route) {
	e := t.e
	var ni *model.NetworkInterface
	if r.TargetKind == model.TargetInstance {
		if in, ok := e.Net.Instances.Get(r.TargetID); ok && len(in.NetworkInterfaceIDs) > 0 {
			ni, _ = e.Net.NetworkInterfaces.Get(in.NetworkInterfaceIDs[0])
		}
	} else {
		ni, _ = e.Net.NetworkInterfaces.Get(r.TargetID)
	}
	if ni == nil {
		t.maybe(b, b.space, Hop{ID: r.TargetID, Type: model.TypeNetworkInterface, Action: "appliance not in the sources"}, r.TargetID+" is not in the sources")
		return
	}
	h := eniHop(ni, "appliance (route target)")
	if ni.SourceDestCheck {
		t.blocked(b, b.space, h, &Block{ID: ni.ID, Type: ni.Type(), Code: CodeSourceDestCheck, Reason: ni.ID + " has source/destination check enabled: it drops packets not addressed to it"})
		return
	}
	t.maybe(b, b.space, h, "the packets are forwarded through the appliance "+ni.ID+", whose own forwarding vpcreach does not model")
}

// tgwFromVPC sends packets from a VPC into a transit gateway: the VPC's
// attachment must have a subnet in the source's availability zone; the
// attachment's associated TGW route table routes them by longest prefix.
// https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
func (t *tracer) tgwFromVPC(b *branch, sub *model.Subnet, tgwID string) {
	e := t.e
	h := Hop{ID: tgwID, Type: model.TypeTransitGateway, Action: "transit gateway"}
	if b.vpc == nil {
		t.maybe(b, b.space, h, "VPC of "+sub.ID+" is not in the sources")
		return
	}
	var att *model.TGWAttachment
	for _, a := range e.Net.TGWAttachmentsOf(b.vpc.ID) {
		if a.TransitGatewayID == tgwID {
			att = a
			break
		}
	}
	if att == nil {
		t.maybe(b, b.space, h, "no attachment of "+b.vpc.ID+" to "+tgwID+" is in the sources")
		return
	}
	if att.State != "" && att.State != "available" {
		t.blocked(b, b.space, hopOf(att, "attachment"), &Block{ID: att.ID, Type: att.Type(), Code: CodeBadState, Reason: att.ID + " is " + att.State})
		return
	}
	for _, u := range sub.Unknowns {
		if u.Field == "AvailabilityZone" {
			b.possible(fmt.Sprintf("the availability zone of %s is unknown (%s): the transit gateway needs an attachment subnet in it", sub.ID, u.Reason))
		}
	}
	if az := sub.AvailabilityZone; az != "" && len(att.SubnetIDs) > 0 {
		inAZ, known := false, true
		for _, sid := range att.SubnetIDs {
			s, ok := e.Net.Subnets.Get(sid)
			if !ok || s.AvailabilityZone == "" {
				known = false
				continue
			}
			if s.AvailabilityZone == az {
				inAZ = true
			}
		}
		if !inAZ && known {
			t.blocked(b, b.space, hopOf(att, "attachment"), &Block{ID: att.ID, Type: att.Type(), Code: CodeTGWRouteAZ, Reason: fmt.Sprintf("%s has no subnet in %s, the availability zone of %s", att.ID, az, sub.ID)})
			return
		}
	}
	// Network ACLs toward the attachment's interface in the source's zone
	// (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html): in
	// another subnet, the source subnet's outbound then the attachment
	// subnet's inbound rules, and the reverse for replies; in the same
	// subnet, its outbound and inbound rules for the packets and none for
	// the replies.
	var asub *model.Subnet
	for _, sid := range att.SubnetIDs {
		if s, ok := e.Net.Subnets.Get(sid); ok && (asub == nil || (s.AvailabilityZone != "" && s.AvailabilityZone == sub.AvailabilityZone)) {
			asub = s
		}
	}
	onward := func(nb *branch) {
		nb = nb.with(nb.space, hopOf(att, "attachment of "+b.vpc.ID), h)
		if t.g.kind == goalComponent && (t.g.id == tgwID || t.g.id == att.ID) {
			t.deliver(nb, h)
			return
		}
		t.tgwRoute(nb, att)
	}
	switch {
	case asub == nil:
		t.leaveSubnet(b, sub, onward)
	case asub.ID == sub.ID:
		t.aclForwardOnly(b, sub, true, func(ob *branch) { t.aclForwardOnly(ob, sub, false, onward) })
	default:
		t.leaveSubnet(b, sub, func(lb *branch) { t.enterSubnet(lb, asub, onward) })
	}
}

// tgwRouteTable returns the TGW route table associated with an attachment.
func (e *Engine) tgwRouteTable(att *model.TGWAttachment) (*model.TGWRouteTable, string) {
	id := att.AssociatedRouteTableID
	if id == "" {
		for _, rt := range e.Net.TGWRouteTables.All() {
			if slices.Contains(rt.AssociationIDs, att.ID) {
				return rt, ""
			}
		}
		if att.HasUnknown("Association") {
			return nil, "the route table " + att.ID + " is associated with is unknown (" + unknownsExcept(att, func(f string) bool { return f != "Association" }) + ")"
		}
		if tgw, ok := e.Net.TransitGateways.Get(att.TransitGatewayID); ok && tgw.DefaultRouteTableAssociation && tgw.AssociationDefaultRouteTableID != "" {
			id = tgw.AssociationDefaultRouteTableID
		}
	}
	if id == "" {
		return nil, ""
	}
	rt, ok := e.Net.TGWRouteTables.Get(id)
	if !ok {
		return nil, "transit gateway route table " + id + " is not in the sources"
	}
	return rt, ""
}

type tgwRegion struct {
	route  *model.TGWRoute
	region *ipset.Set
	dest   string
}

// tgwRegionsOnce is a transit gateway route table's regions, worked out
// once.
type tgwRegionsOnce struct {
	once    sync.Once
	regs    []tgwRegion
	unknown string
}

// tgwRegions returns the destinations each route of a transit gateway
// route table takes (its prefix less the longer prefixes of other routes,
// in the order AWS evaluates them), and why routes may be unknown; the
// regions are shared and must not be changed.
func (e *Engine) tgwRegions(rt *model.TGWRouteTable) ([]tgwRegion, string) {
	v, _ := e.tgwRegs.LoadOrStore(rt, &tgwRegionsOnce{})
	c := v.(*tgwRegionsOnce)
	c.once.Do(func() { c.regs, c.unknown = e.computeTGWRegions(rt) })
	return c.regs, c.unknown
}

// computeTGWRegions works out tgwRegions.
func (e *Engine) computeTGWRegions(rt *model.TGWRouteTable) ([]tgwRegion, string) {
	type ent struct {
		p netip.Prefix
		i int
	}
	var ents []ent
	unknown := ""
	if u := unknownsExcept(rt, func(f string) bool { return f != "Routes" && f != "Propagations" }); u != "" {
		// Routes or propagations that were not collected may send any
		// destination anywhere.
		unknown = rt.ID + " has unknown routes (" + u + ")"
	}
	for i := range rt.Routes {
		r := &rt.Routes[i]
		switch {
		case r.DestinationPrefixListID != "":
			s, ok := e.prefixListSet(r.DestinationPrefixListID)
			if !ok {
				unknown = rt.ID + " routes a prefix list whose entries are unknown"
				continue
			}
			for _, p := range s.Prefixes() {
				ents = append(ents, ent{p, i})
			}
		case r.Destination.IsValid():
			ents = append(ents, ent{r.Destination.Masked(), i})
		}
	}
	// Propagations the route list does not show: a VPC attachment
	// propagates its VPC's CIDRs; VPN, Direct Connect and peering
	// attachments propagate routes (BGP) the sources do not hold.
	routes := rt.Routes
	for _, aid := range rt.PropagationIDs {
		listed := false
		for _, r := range rt.Routes {
			if r.Type == "propagated" && slices.Contains(r.AttachmentIDs, aid) {
				listed = true
			}
		}
		if listed {
			continue
		}
		att, ok := e.Net.TGWAttachments.Get(aid)
		if !ok {
			unknown = rt.ID + " has a propagation from " + aid + ", which is not in the sources"
			continue
		}
		vpc, ok := e.Net.VPCs.Get(att.ResourceID)
		if att.ResourceType != "vpc" || !ok {
			unknown = fmt.Sprintf("routes %s propagates from %s (%s) are not in the sources", rt.ID, aid, att.ResourceType)
			continue
		}
		for _, c := range append(slices.Clip(vpc.CIDRs), vpc.IPv6CIDRs...) {
			routes = append(slices.Clip(routes), model.TGWRoute{Destination: c, AttachmentIDs: []string{aid}, Type: "propagated", State: model.RouteActive})
		}
	}
	for i := len(rt.Routes); i < len(routes); i++ {
		ents = append(ents, ent{routes[i].Destination.Masked(), i})
	}
	// Longest prefix; for the same prefix, AWS's route evaluation order,
	// whatever order the sources list the routes in: static routes,
	// prefix-list routes, then routes propagated by VPC, Direct Connect
	// gateway, Connect, VPN and peering attachments.
	// https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html#tgw-route-evaluation-overview
	rank := func(r *model.TGWRoute) int {
		if r.Type != "propagated" {
			if r.DestinationPrefixListID != "" {
				return 1
			}
			return 0
		}
		kind := ""
		if len(r.AttachmentIDs) > 0 {
			if a, ok := e.Net.TGWAttachments.Get(r.AttachmentIDs[0]); ok {
				kind = a.ResourceType
			}
		}
		switch kind {
		case "vpc":
			return 2
		case "direct-connect-gateway":
			return 3
		case "connect":
			return 4
		case "vpn":
			return 5
		case "peering":
			return 6
		}
		return 7
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].p.Bits() != ents[b].p.Bits() {
			return ents[a].p.Bits() > ents[b].p.Bits()
		}
		return rank(&routes[ents[a].i]) < rank(&routes[ents[b].i])
	})
	var out []tgwRegion
	seenPrefix := map[netip.Prefix]bool{}
	for _, en := range ents {
		if seenPrefix[en.p] {
			continue
		}
		seenPrefix[en.p] = true
		var bld ipset.Builder
		bld.AddPrefix(en.p)
		for _, o := range ents {
			if o.p.Bits() > en.p.Bits() && en.p.Overlaps(o.p) {
				bld.RemovePrefix(o.p)
			}
		}
		s := bld.Set()
		if s.Empty() {
			continue
		}
		r := &routes[en.i]
		d := r.Destination.String()
		if r.DestinationPrefixListID != "" {
			d = r.DestinationPrefixListID
		}
		out = append(out, tgwRegion{route: r, region: s, dest: d})
	}
	return out, unknown
}

// tgwRoute forwards packets inside a transit gateway from an attachment.
func (t *tracer) tgwRoute(b *branch, from *model.TGWAttachment) {
	e := t.e
	rt, why := e.tgwRouteTable(from)
	if rt == nil {
		if why != "" {
			t.maybe(b, b.space, hopOf(from, "route table unknown"), why)
			return
		}
		t.blocked(b, b.space, hopOf(from, "no route table association"), &Block{ID: from.ID, Type: from.Type(), Code: CodeTGWMissingAssociation, Reason: from.ID + " is associated with no transit gateway route table"})
		return
	}
	regs, unknown := e.tgwRegions(rt)
	if unknown != "" {
		b.possible(unknown)
	}
	// Unknown routes and propagations are in unknown (tgwRegions).
	otherUnknowns := unknownsExcept(rt, func(f string) bool { return f == "Routes" || f == "Propagations" })
	if otherUnknowns != "" {
		b.possible(fmt.Sprintf("%s has unknown values (%s)", rt.ID, otherUnknowns))
	}
	rest := b.space
	for _, rg := range regs {
		part := pick(rest, dstCube(rg.region), b.rw)
		if part.Empty() {
			continue
		}
		rest = rest.Subtract(part)
		r := rg.route
		if r.State == model.RouteBlackhole {
			t.blocked(b, part, hopOf(rt, "blackhole route "+rg.dest), &Block{ID: rt.ID, Type: rt.Type(), Code: CodeTGWBadStateRoute, Reason: fmt.Sprintf("the route to %s in %s is a blackhole", rg.dest, rt.ID)})
			continue
		}
		if len(r.AttachmentIDs) == 0 {
			t.maybe(b, part, hopOf(rt, "route "+rg.dest), "the route to "+rg.dest+" in "+rt.ID+" names no attachment")
			continue
		}
		// ECMP over several attachments: each is a possible next hop.
		for _, aid := range r.AttachmentIDs {
			nb := b.with(part, hopOf(rt, fmt.Sprintf("route %s -> %s (%s, longest prefix)", rg.dest, aid, orNone(r.Type))))
			t.tgwOut(nb, from, aid)
		}
	}
	if !rest.Empty() {
		if unknown != "" || otherUnknowns != "" {
			why := unknown
			if why == "" {
				why = fmt.Sprintf("%s has unknown values (%s)", rt.ID, otherUnknowns)
			}
			t.maybe(b, rest, hopOf(rt, "no known route matches"), why)
			return
		}
		t.blocked(b, rest, hopOf(rt, "no route matches"), &Block{ID: rt.ID, Type: rt.Type(), Code: CodeTGWNoRoute, Reason: rt.ID + " has no route to the destination"})
	}
}

// tgwOut leaves a transit gateway through an attachment.
func (t *tracer) tgwOut(b *branch, from *model.TGWAttachment, aid string) {
	e := t.e
	att, ok := e.Net.TGWAttachments.Get(aid)
	if !ok {
		t.maybe(b, b.space, Hop{ID: aid, Type: model.TypeTGWAttachment, Action: "not in the sources"}, "attachment "+aid+" is not in the sources")
		return
	}
	h := hopOf(att, "attachment to "+att.ResourceType+" "+att.ResourceID)
	if t.g.kind == goalComponent && t.g.id == att.ID {
		t.deliver(b, h)
		return
	}
	switch att.ResourceType {
	case "vpn", "direct-connect-gateway":
		if t.g.kind == goalExternal {
			t.deliver(b, h)
			return
		}
		t.maybe(b, b.space, h, "the packets leave through "+att.ID+" to networks outside the sources")
	case "vpc":
		vpc, ok := e.Net.VPCs.Get(att.ResourceID)
		if !ok {
			t.maybe(b, b.space, h, "VPC "+att.ResourceID+" is not in the sources")
			return
		}
		// The attachment subnet in the destination's zone, else the first.
		var asub *model.Subnet
		for _, sid := range att.SubnetIDs {
			s, ok := e.Net.Subnets.Get(sid)
			if !ok {
				continue
			}
			if asub == nil || (t.g.kind == goalENI && t.g.eni != nil && t.subnetAZ(t.g.eni.SubnetID) == s.AvailabilityZone && s.AvailabilityZone != "") {
				asub = s
			}
		}
		if asub == nil {
			t.maybe(b, b.space, h, "subnets of "+att.ID+" are not in the sources")
			return
		}
		nb := b.with(b.space, h)
		nb.vpc = vpc
		nb.entered = fromTGW
		nb.tgwAtt = att
		// Replies go back through the destination attachment's TGW route
		// table to the attachment they came from.
		nb.onReply(t.tgwReplyCheck(att, from, b.rw))
		t.route(nb, asub)
	default:
		t.maybe(b, b.space, h, "transit gateway "+att.ResourceType+" attachments are not modelled")
	}
}

func (t *tracer) subnetAZ(id string) string {
	if s, ok := t.e.Net.Subnets.Get(id); ok {
		return s.AvailabilityZone
	}
	return ""
}

// tgwReplyCheck checks that the route table of the attachment the packets
// left through routes replies back to the attachment they entered by.
func (t *tracer) tgwReplyCheck(out, in *model.TGWAttachment, rw *rewrite) replyStep {
	e := t.e
	return func(s Space) []piece {
		rt, why := e.tgwRouteTable(out)
		if rt == nil {
			if why == "" {
				return []piece{{space: s, hop: hopOf(out, "no route table association"), block: &Block{ID: out.ID, Type: out.Type(), Code: CodeTGWMissingAssociation, Reason: out.ID + " is associated with no transit gateway route table: replies cannot return"}}}
			}
			return []piece{{space: s, pass: true, reason: why, hop: hopOf(out, "reply route table unknown")}}
		}
		regs, unknown := e.tgwRegions(rt)
		var res []piece
		rest := s
		for _, rg := range regs {
			part := pick(rest, srcCube(rg.region), rw)
			if part.Empty() {
				continue
			}
			rest = rest.Subtract(part)
			h := hopOf(rt, fmt.Sprintf("reply route %s -> %s", rg.dest, orNone(strings.Join(rg.route.AttachmentIDs, ","))))
			if rg.route.State != model.RouteBlackhole && slices.Contains(rg.route.AttachmentIDs, in.ID) {
				res = append(res, piece{space: part, pass: true, hop: h})
				continue
			}
			res = append(res, piece{space: part, hop: h, block: &Block{ID: rt.ID, Type: rt.Type(), Code: CodeTGWNoRoute, Reason: fmt.Sprintf("%s does not route replies back to %s", rt.ID, in.ID)}})
		}
		if !rest.Empty() {
			if unknown != "" {
				res = append(res, piece{space: rest, pass: true, reason: unknown, hop: hopOf(rt, "reply route unknown")})
			} else {
				res = append(res, piece{space: rest, hop: hopOf(rt, "no reply route"), block: &Block{ID: rt.ID, Type: rt.Type(), Code: CodeTGWNoRoute, Reason: rt.ID + " has no route for the replies"}})
			}
		}
		return res
	}
}

// missingIGW says why a VPC with no known internet gateway may still have
// one: a route of its tables sends traffic to an internet gateway (or an
// unknown target) that is not in the sources. id is the gateway's ID when
// a route names it; why is "" when nothing suggests a gateway.
func (e *Engine) missingIGW(vpcID string) (id, why string) {
	tables, routesUnknown := e.tablesInUse(vpcID)
	if routesUnknown {
		// The routes are not known and neither are the gateways: the VPC
		// may have one, and routes to it. The VPC's scope is where the
		// gateways would have been listed (its subnets' when the VPC
		// itself is not in the sources).
		var where model.Element
		if vpc, ok := e.Net.VPCs.Get(vpcID); ok {
			where = vpc
		} else if subs := e.Net.SubnetsOf(vpcID); len(subs) > 0 {
			where = subs[0]
		}
		if why := e.Net.NotCovered(model.TypeInternetGateway, where); where != nil && why != "" {
			return "(not collected)", why + ": " + vpcID + " may have an internet gateway"
		}
	}
	for _, rt := range tables {
		if rt == nil {
			continue
		}
		for _, r := range rt.Routes {
			if r.State == model.RouteBlackhole {
				continue
			}
			switch r.TargetKind {
			case model.TargetInternetGateway:
				if _, ok := e.Net.InternetGateways.Get(r.TargetID); !ok {
					return r.TargetID, fmt.Sprintf("%s routes to internet gateway %s, which is not in the sources: it may be attached to %s", rt.ID, r.TargetID, vpcID)
				}
			case model.TargetUnknown:
				return "(unknown)", fmt.Sprintf("%s has a route whose target is unknown: it may be an internet gateway of %s", rt.ID, vpcID)
			}
		}
	}
	return "", ""
}

// tablesInUse returns the route tables a VPC's subnets use (its main
// table and the subnets' own, each once; only those matter), and whether
// some subnet's table is not known.
func (e *Engine) tablesInUse(vpcID string) (tables []*model.RouteTable, unknown bool) {
	seen := map[*model.RouteTable]bool{}
	add := func(rt *model.RouteTable) {
		if rt != nil && !seen[rt] {
			seen[rt] = true
			tables = append(tables, rt)
		}
	}
	add(e.Net.MainRouteTable(vpcID))
	for _, sub := range e.Net.SubnetsOf(vpcID) {
		rt, explicit := e.Net.RouteTableFor(sub.ID)
		switch {
		case rt == nil:
			unknown = true
		case explicit:
			add(rt)
		}
	}
	return tables, unknown
}
