package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// goalKind says what a trace tries to reach.
type goalKind int

const (
	goalENI       goalKind = iota // an interface (its SGs apply)
	goalSubnet                    // any address of a subnet (arriving in it)
	goalAddress                   // an address of a VPC no modelled interface holds
	goalComponent                 // a gateway: reached when the packets cross it
	goalExternal                  // the internet or an address outside the model
)

type goal struct {
	kind   goalKind
	eni    *model.NetworkInterface
	subnet *model.Subnet
	vpc    *model.VPC
	id     string // component ID (goalComponent)
	typ    string
	label  string
}

// entry says how packets entered the VPC they are in.
type entry string

const (
	fromInstance entry = "instance"
	fromInternet entry = "internet"
	fromPeering  entry = "peering"
	fromTGW      entry = "transit-gateway"
	fromVGW      entry = "vpn-gateway"
	fromNAT      entry = "nat-gateway"
)

// replyStep is a check the reply makes on its way back; steps run in
// reverse order once the packets are delivered.
type replyStep func(s Space) []piece

// branch is a set of packets travelling together with its evidence.
type branch struct {
	space   Space
	hops    []Hop
	replies []replyStep
	reasons []string
	rw      *rewrite
	vpc     *model.VPC
	entered entry
	srcENI  *model.NetworkInterface
	nat     *model.NATGateway    // the NAT gateway that translated the source
	tgwAtt  *model.TGWAttachment // the VPC attachment the packets entered through (entered == fromTGW)
	seen    []string             // route tables and gateways crossed (loop guard)
	fw      []fwCross            // Network Firewall endpoints crossed
}

func (b *branch) with(s Space, h ...Hop) *branch {
	nb := *b
	nb.space = s
	nb.hops = slices.Clip(b.hops)
	for _, x := range h {
		if x.ID != "" { // a filter that had nothing to check leaves no hop
			nb.hops = append(nb.hops, x)
		}
	}
	return &nb
}

// viaTGW returns the transit gateway attachment the packets entered the
// VPC through, or nil when they did not come through one.
func (b *branch) viaTGW() *model.TGWAttachment {
	if b.entered != fromTGW {
		return nil
	}
	if b.tgwAtt == nil {
		// Through a transit gateway the sources do not detail.
		return &model.TGWAttachment{}
	}
	return b.tgwAtt
}

func (b *branch) possible(why string) {
	if why != "" && !slices.Contains(b.reasons, why) {
		b.reasons = append(slices.Clip(b.reasons), why)
	}
}

func (b *branch) onReply(r replyStep) {
	b.replies = append(slices.Clip(b.replies), r)
}

// tracer runs one traversal toward a goal and collects outcomes.
type tracer struct {
	e    *Engine
	g    goal
	outs []Outcome
}

func (t *tracer) blocked(b *branch, s Space, h Hop, blk *Block) {
	if s.Empty() {
		return
	}
	t.outs = append(t.outs, Outcome{Verdict: Unreachable, Space: s, Hops: append(slices.Clip(b.hops), h), BlockedBy: blk, Reasons: b.reasons})
}

func (t *tracer) maybe(b *branch, s Space, h Hop, why string) {
	if s.Empty() {
		return
	}
	rs := append(slices.Clip(b.reasons), why)
	t.outs = append(t.outs, Outcome{Verdict: PossiblyReachable, Space: s, Hops: append(slices.Clip(b.hops), h), Reasons: uniq(rs)})
}

// apply runs a filter's pieces: passing parts continue, blocked parts end.
func (t *tracer) apply(b *branch, ps []piece, cont func(*branch)) {
	for _, p := range ps {
		if !p.pass {
			t.blocked(b, p.space, p.hop, p.block)
			continue
		}
		nb := b.with(p.space, p.hop)
		nb.possible(p.reason)
		cont(nb)
	}
}

// deliver ends a branch at the goal: the reply checks run backwards.
func (t *tracer) deliver(b *branch, h Hop) {
	if b.space.Empty() {
		return
	}
	hops := append(slices.Clip(b.hops), h)
	t.replyFrom(b, hops, len(b.replies)-1, b.space, nil, b.reasons)
}

func (t *tracer) replyFrom(b *branch, hops []Hop, i int, s Space, ret []Hop, reasons []string) {
	if s.Empty() {
		return
	}
	if i < 0 {
		v := Reachable
		if len(reasons) > 0 {
			v = PossiblyReachable
		}
		t.outs = append(t.outs, Outcome{Verdict: v, Space: s, Hops: hops, ReturnHops: ret, Reasons: reasons})
		return
	}
	// ICMP messages that are not requests get no reply to check.
	needs, none := splitNeedsReply(s)
	if !none.Empty() {
		t.replyFrom(b, hops, -1, none, ret, reasons)
	}
	for _, p := range b.replies[i](needs) {
		r := slices.Clip(ret)
		if p.hop.ID != "" {
			r = append(r, p.hop)
		}
		if !p.pass {
			if !p.space.Empty() {
				t.outs = append(t.outs, Outcome{Verdict: Unreachable, Space: p.space, Hops: hops, ReturnHops: r, BlockedBy: p.block, Reasons: reasons, Return: true})
			}
			continue
		}
		rs := reasons
		if p.reason != "" && !slices.Contains(rs, p.reason) {
			rs = append(slices.Clip(rs), p.reason)
		}
		t.replyFrom(b, hops, i-1, p.space, r, rs)
	}
}

var requestICMP = func() Ranges {
	var r Ranges
	for _, typ := range []uint8{8, 13, 15, 17, 128} {
		r = r.Union(Ranges{{From: ICMPKey(typ, 0), To: ICMPKey(typ, 255)}})
	}
	return r
}()

// splitNeedsReply separates ICMP messages that are not requests (they get
// no reply) from everything else.
func splitNeedsReply(s Space) (needs, none Space) {
	for _, c := range s {
		ic := c.Proto.And(icmpProtos)
		if ic.Empty() {
			needs = append(needs, c)
			continue
		}
		if rest := c.Proto.AndNot(icmpProtos); !rest.Empty() {
			x := c
			x.Proto = rest
			needs = append(needs, x)
		}
		x := c
		x.Proto = ic
		if req := c.DstPorts.Intersect(requestICMP); !req.Empty() {
			y := x
			y.DstPorts = req
			needs = append(needs, y)
		}
		if other := c.DstPorts.Subtract(requestICMP); !other.Empty() {
			y := x
			y.DstPorts = other
			none = append(none, y)
		}
	}
	return needs, none
}

func eniHop(ni *model.NetworkInterface, action string) Hop {
	return Hop{ID: ni.ID, Type: model.TypeNetworkInterface, Action: action}
}

func hopOf(el model.Element, action string) Hop {
	return Hop{ID: el.Base().ID, Type: el.Type(), Action: action}
}

// fromENI starts packets at an interface: Amazon services first (no SG or
// NACL), then the interface's security groups and its subnet's routes.
func (t *tracer) fromENI(b *branch, ni *model.NetworkInterface) {
	e := t.e
	vpc, _ := e.Net.VPCs.Get(ni.VPCID)
	if vpc == nil {
		vpc, _ = e.Net.VPCOf(ni.SubnetID)
	}
	b.vpc = vpc
	b.srcENI = ni
	b.entered = fromInstance
	b.hops = append(slices.Clip(b.hops), eniHop(ni, "source interface "+describeAddrs(b.space)))
	if u := relevantUnknowns(ni); u != "" {
		b.possible(fmt.Sprintf("%s has unknown values (%s)", ni.ID, u))
	}
	svc := Cube{Src: fullSet, Dst: serviceSet(vpc), Proto: AllProtos(), SrcPorts: AllRanges(), DstPorts: AllRanges()}
	if s := b.space.IntersectCube(svc); !s.Empty() {
		t.toService(b.with(s), vpc)
		b = b.with(b.space.SubtractCube(svc))
	}
	if b.space.Empty() {
		return
	}
	if t.g.kind == goalENI && t.g.eni == ni {
		t.deliver(b, eniHop(ni, "destination is the source interface itself"))
		return
	}
	t.apply(b, e.sgFilter(b.space, ni, true, b.rw), func(nb *branch) {
		nb.onReply(func(s Space) []piece {
			return []piece{{space: s, pass: true, hop: Hop{ID: joinIDs(ni.SecurityGroupIDs), Type: model.TypeSecurityGroup, Action: "reply allowed (stateful)"}}}
		})
		sub, ok := e.Net.Subnets.Get(ni.SubnetID)
		if !ok {
			t.maybe(nb, nb.space, eniHop(ni, "subnet "+ni.SubnetID+" is not in the sources"), "subnet "+ni.SubnetID+" of "+ni.ID+" is not in the sources")
			return
		}
		t.route(nb, sub)
	})
}

func describeAddrs(s Space) string {
	src := s.Sources()
	var parts []string
	for _, p := range src.Prefixes() {
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
		} else {
			parts = append(parts, p.String())
		}
	}
	if len(parts) > 4 {
		parts = append(parts[:4], "...")
	}
	return strings.Join(parts, ",")
}

// reverseHop is a reply-path hop that passes everything.
func reverseHop(h Hop) replyStep {
	return func(s Space) []piece { return []piece{{space: s, pass: true, hop: h}} }
}

// isNATInterface reports whether an interface belongs to a NAT gateway.
func isNATInterface(ni *model.NetworkInterface) bool {
	return ni.OwnerKind == model.OwnerNATGateway || ni.InterfaceType == "nat_gateway"
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ","
		}
		out += id
	}
	return out
}

// relevantUnknowns lists an interface's unknown values, leaving out the
// addresses AWS picks from the subnet: the engine widens those to the
// subnet's CIDR and Flow says possibly-reachable when only some of them work.
func relevantUnknowns(ni *model.NetworkInterface) string {
	// A public address picked at deploy time is carried by the address
	// itself (PrivateIP.PublicUnknown) and matters only at the gateway.
	return unknownsExcept(ni, func(f string) bool {
		return f == "PrivateIpAddress" || f == "SecondaryPrivateIpAddresses" || f == "PublicIp"
	})
}

// unknownsExcept lists an element's unknown values but those whose field
// skip says are accounted for elsewhere.
func unknownsExcept(el model.Element, skip func(string) bool) string {
	out := ""
	for _, u := range el.Base().Unknowns {
		if skip(u.Field) {
			continue
		}
		if out != "" {
			out += "; "
		}
		out += u.String()
	}
	return out
}

func unknownsOf(el model.Element) string {
	us := el.Base().Unknowns
	out := ""
	for i, u := range us {
		if i > 0 {
			out += "; "
		}
		out += u.String()
	}
	return out
}

// toService delivers packets to an Amazon-provided service address (R1.8:
// security groups and network ACLs do not filter them).
func (t *tracer) toService(b *branch, vpc *model.VPC) {
	// Deliver per address so the hop names the service.
	for _, r := range serviceSet(vpc).Ranges() {
		for a := r.From(); ; a = a.Next() {
			if part := b.space.IntersectCube(dstCube(SetOf(nil, a))); !part.Empty() {
				name, _ := ServiceName(vpc, a)
				t.serviceHit(b.with(part), vpc, a, name)
			}
			if a == r.To() {
				break
			}
		}
	}
}

func (t *tracer) serviceHit(b *branch, vpc *model.VPC, a netip.Addr, name string) {
	if b.space.Empty() {
		return
	}
	ok := t.g.kind == goalExternal || (t.g.kind == goalAddress && t.g.vpc == vpc)
	h := Hop{ID: a.String(), Type: "AmazonProvidedService", Action: name + " reached without security-group or network-ACL check (R1.8)"}
	if name == "Amazon DNS server" && vpc != nil && vpc.EnableDNSSupport == model.False {
		t.blocked(b, b.space, h, &Block{ID: vpc.ID, Type: model.TypeVPC, Code: CodeBadState, Reason: "enableDnsSupport is false: the Amazon DNS server does not answer in " + vpc.ID})
		return
	}
	if !ok {
		return
	}
	if vpc != nil && vpc.EnableDNSSupport == model.UnknownFlag && name == "Amazon DNS server" {
		b.possible("enableDnsSupport of " + vpc.ID + " is unknown")
	}
	t.outs = append(t.outs, Outcome{Verdict: verdictOf(b), Space: b.space, Hops: append(slices.Clip(b.hops), h), Reasons: b.reasons})
}

func verdictOf(b *branch) Verdict {
	if len(b.reasons) > 0 {
		return PossiblyReachable
	}
	return Reachable
}

// route forwards packets by the route table of a subnet (explicit
// association, else the main table), longest prefix first.
func (t *tracer) route(b *branch, sub *model.Subnet) {
	e := t.e
	rt, explicit := e.Net.RouteTableFor(sub.ID)
	if rt == nil {
		t.maybe(b, b.space, hopOf(sub, "no route table known"), e.noRouteTable(sub))
		return
	}
	if slices.Contains(b.seen, rt.ID+"@"+sub.ID) || len(b.seen) > 24 {
		t.maybe(b, b.space, hopOf(rt, "routing loop"), "routing loop through "+rt.ID)
		return
	}
	b.seen = append(slices.Clip(b.seen), rt.ID+"@"+sub.ID)
	// Unknowns about one route are carried by the route itself (unknown
	// target or destination); a subnet's unknown zone matters only at a
	// transit gateway.
	if u := unknownsExcept(sub, func(f string) bool { return f == "AvailabilityZone" || f == "AvailabilityZoneId" }); u != "" {
		b.possible(fmt.Sprintf("%s has unknown values (%s)", sub.ID, u))
	}
	if u := unknownsExcept(rt, func(f string) bool { return strings.Contains(f, ".") }); u != "" {
		b.possible(fmt.Sprintf("%s has unknown values (%s)", rt.ID, u))
	}
	how := "main"
	if explicit {
		how = "explicit association"
	}
	regs, unknown, scope := e.regionsScoped(rt)
	if unknown != "" {
		// Only the packets whose destination the unknown could concern.
		if in := pick(b.space, dstCube(scope), b.rw); !in.Empty() {
			if out := b.space.Subtract(in); !out.Empty() {
				t.route2(b.with(out), sub, rt, regs, how, "")
				b = b.with(in)
			}
			b.possible(unknown)
			t.route2(b, sub, rt, regs, how, unknown)
			return
		}
	}
	t.route2(b, sub, rt, regs, how, "")
}

// route2 partitions packets by the routes of a table.
// unknown, when set, is why the packets no known route matches may still
// match a route whose destination is unknown.
func (t *tracer) route2(b *branch, sub *model.Subnet, rt *model.RouteTable, regs []routeRegion, how, unknown string) {
	rest := b.space
	for _, rg := range regs {
		part := pick(rest, dstCube(rg.region), b.rw)
		if part.Empty() {
			continue
		}
		rest = rest.Subtract(part)
		r := rg.route
		target := r.TargetID
		if target == "" {
			target = string(r.TargetKind)
		}
		if r.Firewall != nil && r.TargetID == "" {
			target = "an endpoint of " + r.Firewall.FirewallID
		}
		h := hopOf(rt, fmt.Sprintf("route %s -> %s (longest prefix, %s table of %s)", rg.dest, target, how, sub.ID))
		nb := b.with(part, h)
		t.target(nb, sub, rt, r)
	}
	if !rest.Empty() {
		if unknown != "" {
			t.maybe(b, rest, hopOf(rt, "no known route matches"), unknown)
			return
		}
		t.blocked(b, rest, hopOf(rt, "no route matches"), &Block{ID: rt.ID, Type: rt.Type(), Code: CodeNoRoute, Reason: fmt.Sprintf("%s (%s table of %s) has no route to the destination", rt.ID, how, sub.ID)})
	}
}

// target sends packets to a route's target.
func (t *tracer) target(b *branch, sub *model.Subnet, rt *model.RouteTable, r *model.Route) {
	e := t.e
	if r.State == model.RouteBlackhole {
		t.blocked(b, b.space, hopOf(rt, "blackhole route"), &Block{ID: rt.ID, Type: rt.Type(), Code: CodeBadStateRoute, Reason: fmt.Sprintf("the route to %s in %s is a blackhole (target %s is gone)", routeDest(r), rt.ID, r.TargetID)})
		return
	}
	switch r.TargetKind {
	case model.TargetLocal:
		t.local(b, sub)
	case model.TargetInternetGateway:
		igw, ok := e.Net.InternetGateways.Get(r.TargetID)
		if !ok {
			t.maybe(b, b.space, Hop{ID: r.TargetID, Type: model.TypeInternetGateway, Action: "not in the sources"}, r.TargetID+" is not in the sources")
			return
		}
		t.leaveSubnet(b, sub, func(nb *branch) { t.igwEgress(nb, igw) })
	case model.TargetNATGateway:
		nat, ok := e.Net.NATGateways.Get(r.TargetID)
		if !ok {
			t.maybe(b, b.space, Hop{ID: r.TargetID, Type: model.TypeNATGateway, Action: "not in the sources"}, r.TargetID+" is not in the sources")
			return
		}
		t.natGateway(b, sub, nat)
	case model.TargetEgressOnlyIGW:
		t.leaveSubnet(b, sub, func(nb *branch) { t.eigwEgress(nb, r.TargetID) })
	case model.TargetPeering:
		pcx, ok := e.Net.PeeringConnections.Get(r.TargetID)
		if !ok {
			t.maybe(b, b.space, Hop{ID: r.TargetID, Type: model.TypePeering, Action: "not in the sources"}, r.TargetID+" is not in the sources")
			return
		}
		t.leaveSubnet(b, sub, func(nb *branch) { t.peering(nb, sub, pcx) })
	case model.TargetTransitGateway:
		// tgwFromVPC applies the network ACLs: where they apply depends
		// on the attachment's subnet.
		t.tgwFromVPC(b, sub, r.TargetID)
	case model.TargetVPNGateway:
		t.leaveSubnet(b, sub, func(nb *branch) { t.vgwEgress(nb, r.TargetID) })
	case model.TargetGatewayEndpoint:
		if fw, eps, idx, ok := e.firewallTarget(r); ok {
			t.firewallEndpoint(b, sub, r, fw, eps, idx)
			return
		}
		if r.Firewall != nil {
			t.maybe(b, b.space, hopOf(rt, "route to a firewall endpoint"), fmt.Sprintf("%s routes %s to an endpoint of %s, which is not in the sources", rt.ID, routeDest(r), r.Firewall.FirewallID))
			return
		}
		t.leaveSubnet(b, sub, func(nb *branch) { t.gatewayEndpoint(nb, r.TargetID) })
	case model.TargetNetworkInterface, model.TargetInstance:
		t.appliance(b, r)
	default:
		what := r.TargetUnmodelledType
		if what == "" {
			what = string(r.TargetKind)
		}
		t.maybe(b, b.space, hopOf(rt, fmt.Sprintf("route %s -> %s (%s, not modelled)", routeDest(r), r.TargetID, what)),
			fmt.Sprintf("%s routes %s to %s (%s), which vpcreach does not model", rt.ID, routeDest(r), orNone(r.TargetID), what))
	}
}

func routeDest(r *model.Route) string {
	if r.DestinationPrefixListID != "" {
		return r.DestinationPrefixListID
	}
	if r.DestinationUnknown != "" {
		return "(unknown)"
	}
	return r.Destination.String()
}

// leaveSubnet applies the subnet's network ACL outbound (and inbound for
// the reply) as packets leave it.
func (t *tracer) leaveSubnet(b *branch, sub *model.Subnet, cont func(*branch)) {
	t.crossACL(b, sub, true, cont)
}

// enterSubnet applies the subnet's network ACL inbound (and outbound for
// the reply) as packets enter it.
func (t *tracer) enterSubnet(b *branch, sub *model.Subnet, cont func(*branch)) {
	t.crossACL(b, sub, false, cont)
}

// aclForwardOnly applies a subnet's ACL in one direction to the packets,
// with no check for their replies (a transit gateway attachment in the
// same subnet as the instance).
func (t *tracer) aclForwardOnly(b *branch, sub *model.Subnet, egress bool, cont func(*branch)) {
	acl := t.e.Net.NetworkACLFor(sub.ID)
	if acl == nil {
		nb := b.with(b.space, hopOf(sub, "network ACL unknown"))
		nb.possible(t.e.noNetworkACL(sub))
		cont(nb)
		return
	}
	t.apply(b, t.e.naclFilter(b.space, acl, sub.ID, egress, false, b.rw), cont)
}

// aclReplyOnly makes the replies meet a subnet's ACL in one direction.
func (t *tracer) aclReplyOnly(b *branch, sub *model.Subnet, egress bool) {
	acl := t.e.Net.NetworkACLFor(sub.ID)
	rw := b.rw
	if acl == nil {
		b.onReply(func(s Space) []piece {
			return []piece{{space: s, pass: true, reason: t.e.noNetworkACL(sub), hop: hopOf(sub, "network ACL unknown")}}
		})
		return
	}
	b.onReply(func(s Space) []piece { return t.e.naclFilter(s, acl, sub.ID, egress, true, rw) })
}

func (t *tracer) crossACL(b *branch, sub *model.Subnet, egress bool, cont func(*branch)) {
	acl := t.e.Net.NetworkACLFor(sub.ID)
	if acl == nil {
		nb := b.with(b.space, hopOf(sub, "network ACL unknown"))
		nb.possible(t.e.noNetworkACL(sub))
		cont(nb)
		return
	}
	rw := b.rw
	if acl.HasUnknowns() {
		b = b.with(b.space)
		b.possible(fmt.Sprintf("%s has unknown values (%s)", acl.ID, unknownsOf(acl)))
	}
	t.apply(b, t.e.naclFilter(b.space, acl, sub.ID, egress, false, rw), func(nb *branch) {
		nb.onReply(func(s Space) []piece { return t.e.naclFilter(s, acl, sub.ID, !egress, true, rw) })
		cont(nb)
	})
}

// local delivers packets inside the VPC: the destination subnet's ACL
// (when the subnet changes) and the destination interface's groups.
func (t *tracer) local(b *branch, from *model.Subnet) {
	e := t.e
	g := t.g
	vpc := b.vpc
	switch g.kind {
	case goalENI:
		switch {
		case vpc == nil && g.eni.VPCID != "" && (from == nil || from.VPCID == g.eni.VPCID):
			// The packets are in the destination's VPC, which the sources
			// do not describe: the local route may well deliver there.
			b = b.with(b.space)
			b.possible("VPC " + g.eni.VPCID + " is not in the sources")
		case vpc == nil || g.eni.VPCID != vpc.ID:
			t.noDest(b, from)
			return
		}
		dst := e.eniAddrs(g.eni, false)
		part := pick(b.space, dstCube(dst), b.rw)
		t.noDest(b.with(b.space.Subtract(part)), from)
		if part.Empty() {
			return
		}
		nb := b.with(part)
		dsub, ok := e.Net.Subnets.Get(g.eni.SubnetID)
		if !ok {
			t.maybe(nb, part, eniHop(g.eni, "subnet not in the sources"), "subnet "+g.eni.SubnetID+" is not in the sources")
			return
		}
		arrive := func(nb *branch) {
			if isNATInterface(g.eni) {
				t.blocked(nb, nb.space, eniHop(g.eni, "NAT gateway interface"), &Block{ID: g.eni.OwnerID, Type: model.TypeNATGateway, Code: CodeNoPossibleDestination,
					Reason: "a NAT gateway accepts only replies to connections it opened: nothing can open a connection to it"})
				return
			}
			if u := relevantUnknowns(g.eni); u != "" {
				nb.possible(fmt.Sprintf("%s has unknown values (%s)", g.eni.ID, u))
			}
			t.replyRoute(nb, dsub)
			t.fwReplyLocal(nb, dsub)
			t.apply(nb, e.sgFilterVia(nb.space, g.eni, false, nb.rw, nb.viaTGW(), nb.srcENI), func(fb *branch) {
				fb.onReply(func(s Space) []piece {
					return []piece{{space: s, pass: true, hop: Hop{ID: joinIDs(g.eni.SecurityGroupIDs), Type: model.TypeSecurityGroup, Action: "reply allowed (stateful)"}}}
				})
				t.deliver(fb, eniHop(g.eni, "destination interface"))
			})
		}
		switch {
		case from == nil:
			t.enterSubnet(nb, dsub, arrive)
		case dsub.ID == from.ID && nb.entered == fromTGW:
			// From the transit gateway's interface in the same subnet: no
			// rule applies to what the gateway delivers; the reply, from
			// the instance to the gateway, meets the outbound then the
			// inbound rules.
			// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html
			t.aclReplyOnly(nb, dsub, false)
			t.aclReplyOnly(nb, dsub, true)
			arrive(nb)
		case dsub.ID == from.ID:
			// Same subnet: no network ACL between the two interfaces.
			arrive(nb)
		default:
			t.leaveSubnet(nb, from, func(lb *branch) { t.enterSubnet(lb, dsub, arrive) })
		}
	case goalSubnet, goalAddress:
		if vpc == nil || g.vpc == nil || g.vpc.ID != vpc.ID {
			t.noDest(b, from)
			return
		}
		var dst *ipset.Set
		if g.kind == goalSubnet {
			dst = SetOf(append([]netip.Prefix{g.subnet.CIDR}, g.subnet.IPv6CIDRs...))
		} else {
			dst = SetOf(nil, netip.MustParseAddr(g.id))
		}
		part := pick(b.space, dstCube(dst), b.rw)
		t.noDest(b.with(b.space.Subtract(part)), from)
		if part.Empty() || g.subnet == nil {
			t.maybe(b.with(part), part, hopOf(vpc, "address not in any modelled subnet"), "no modelled subnet holds "+g.label)
			return
		}
		nb := b.with(part)
		done := func(nb *branch) {
			t.replyRoute(nb, g.subnet)
			t.fwReplyLocal(nb, g.subnet)
			if g.kind == goalAddress {
				t.maybe(nb, nb.space, hopOf(g.subnet, "arrives in the subnet"), "no modelled interface holds "+g.label)
				return
			}
			t.deliver(nb, hopOf(g.subnet, "arrives in the subnet"))
		}
		switch {
		case from == nil:
			t.enterSubnet(nb, g.subnet, done)
		case g.subnet.ID == from.ID:
			done(nb)
		default:
			t.leaveSubnet(nb, from, func(lb *branch) { t.enterSubnet(lb, g.subnet, done) })
		}
	default:
		t.noDest(b, from)
	}
}

// noDest ends packets that a local route delivers somewhere other than the goal.
func (t *tracer) noDest(b *branch, from *model.Subnet) {
	if b.space.Empty() {
		return
	}
	id, typ := "", model.TypeVPC
	if from != nil {
		id, typ = from.ID, from.Type()
	} else if b.vpc != nil {
		id = b.vpc.ID
	}
	t.blocked(b, b.space, Hop{ID: id, Type: typ, Action: "local route: the destination is elsewhere"}, &Block{ID: id, Type: typ, Code: CodeNoPossibleDestination, Reason: "the packets are delivered inside " + vpcID(b.vpc) + ", where the destination is not"})
}

// replyRoute checks that the destination subnet routes replies back the
// way the packets came (through the same gateway), for packets that
// entered the VPC through a gateway.
func (t *tracer) replyRoute(b *branch, dsub *model.Subnet) {
	if b.entered == fromInstance {
		return
	}
	via := b.viaID()
	if via == "" {
		return
	}
	e := t.e
	rw := b.rw
	b.onReply(func(s Space) []piece {
		rt, _ := e.Net.RouteTableFor(dsub.ID)
		if rt == nil {
			return []piece{{space: s, pass: true, reason: e.noRouteTable(dsub), hop: hopOf(dsub, "reply route unknown")}}
		}
		regs, unknown := e.regions(rt)
		var out []piece
		rest := s
		for _, rg := range regs {
			// Replies go to the original source: the forward Src.
			part := pick(rest, srcCube(rg.region), rw)
			if part.Empty() {
				continue
			}
			rest = rest.Subtract(part)
			h := hopOf(rt, fmt.Sprintf("reply route %s -> %s", rg.dest, routeTargetName(rg.route)))
			if rg.route.TargetID == via && rg.route.State != model.RouteBlackhole {
				if att, ok := e.tgwAttachmentMissingAZ(dsub, via); ok {
					out = append(out, piece{space: part, hop: h, block: &Block{ID: att, Type: model.TypeTGWAttachment, Code: CodeTGWRouteAZ,
						Reason: fmt.Sprintf("%s has no subnet in %s, the availability zone of %s: replies cannot reach the transit gateway", att, dsub.AvailabilityZone, dsub.ID)}})
					continue
				}
				out = append(out, piece{space: part, pass: true, hop: h})
				continue
			}
			if rg.route.TargetKind == model.TargetUnmodelled || rg.route.TargetKind == model.TargetUnknown {
				out = append(out, piece{space: part, pass: true, hop: h, reason: rt.ID + " routes the reply to an unmodelled target"})
				continue
			}
			if crossed(b.fw, rg.route, e) {
				// Back through the firewall endpoint the packets came
				// through, which routes them on (fwReplyCheck checks it).
				out = append(out, piece{space: part, pass: true, hop: h})
				continue
			}
			if (rg.route.TargetKind == model.TargetNetworkInterface || rg.route.TargetKind == model.TargetInstance) && rg.route.State != model.RouteBlackhole {
				out = append(out, piece{space: part, pass: true, hop: h, reason: fmt.Sprintf("%s sends the reply through the appliance %s, which may forward it back through %s", rt.ID, rg.route.TargetID, via)})
				continue
			}
			if fw, _, _, ok := e.firewallTarget(rg.route); ok {
				// The replies meet a firewall that never saw the requests
				// (R9.6).
				out = append(out, piece{space: part, hop: h, block: &Block{ID: fw.ID, Type: model.TypeNetworkFirewall, Code: CodeNFWAsymmetric,
					Reason: fmt.Sprintf("replies from %s are routed through %s, which the requests did not cross (they came through %s): its stateful engine drops the flow (asymmetric routing)", dsub.ID, fw.Label(), via)}})
				continue
			}
			out = append(out, piece{space: part, hop: h, block: &Block{ID: rt.ID, Type: rt.Type(), Code: CodeNoRoute,
				Reason: fmt.Sprintf("replies from %s are routed to %s, not back to %s the packets came through", dsub.ID, orNone(rg.route.TargetID), via)}})
		}
		if !rest.Empty() {
			if unknown != "" {
				out = append(out, piece{space: rest, pass: true, reason: unknown, hop: hopOf(rt, "reply route unknown")})
			} else {
				out = append(out, piece{space: rest, hop: hopOf(rt, "no reply route"), block: &Block{ID: rt.ID, Type: rt.Type(), Code: CodeNoRoute, Reason: fmt.Sprintf("%s has no route for replies back to the source", rt.ID)}})
			}
		}
		return out
	})
}

// tgwAttachmentMissingAZ reports the attachment of a subnet's VPC to a
// transit gateway when it has no subnet in that subnet's zone.
func (e *Engine) tgwAttachmentMissingAZ(sub *model.Subnet, tgwID string) (string, bool) {
	if sub.AvailabilityZone == "" {
		return "", false
	}
	for _, a := range e.Net.TGWAttachmentsOf(sub.VPCID) {
		if a.TransitGatewayID != tgwID || len(a.SubnetIDs) == 0 {
			continue
		}
		for _, sid := range a.SubnetIDs {
			s, ok := e.Net.Subnets.Get(sid)
			if !ok || s.AvailabilityZone == "" || s.AvailabilityZone == sub.AvailabilityZone {
				return "", false
			}
		}
		return a.ID, true
	}
	return "", false
}

// viaID is the gateway the packets entered the current VPC through.
func (b *branch) viaID() string {
	for i := len(b.hops) - 1; i >= 0; i-- {
		switch b.hops[i].Type {
		case model.TypeInternetGateway, model.TypePeering, model.TypeVPNGateway, model.TypeTransitGateway:
			return b.hops[i].ID
		}
	}
	return ""
}

// noRouteTable says why no route table is known for a subnet, naming the
// listing that was not collected when that is the cause.
func (e *Engine) noRouteTable(sub *model.Subnet) string {
	if why := e.Net.NotCovered(model.TypeRouteTable, sub); why != "" {
		return "no route table is known for " + sub.ID + " (" + why + ")"
	}
	return "no route table is known for " + sub.ID
}

// noNetworkACL says why no network ACL is known for a subnet.
func (e *Engine) noNetworkACL(sub *model.Subnet) string {
	if why := e.Net.NotCovered(model.TypeNetworkACL, sub); why != "" {
		return "no network ACL is known for " + sub.ID + " (" + why + ")"
	}
	return "no network ACL is known for " + sub.ID
}
