package reach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// fwCross records a Network Firewall endpoint the packets went through in
// the VPC they are in, for the check that the replies come back through
// it (stateful inspection needs both directions, R9.6).
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html
type fwCross struct {
	fw       *model.NetworkFirewall
	endpoint string // vpce ID, or "" when only the firewall is known
	index    int    // EndpointIds index a template selected, -1 unknown
	assoc    string // the VpcEndpointAssociation of the endpoint, if any
	stateful bool
	vpc      string
	// nat and rw are the branch's NAT gateway and rewrite when it crossed
	// the endpoint: a NAT gateway met later receives the replies and sends
	// them on to the addresses the firewall saw.
	nat *model.NATGateway
	rw  *rewrite
}

func (c fwCross) label() string {
	if c.endpoint != "" {
		return c.endpoint + " of " + c.fw.Label()
	}
	return "the endpoint of " + c.fw.Label()
}

// sameEndpoint reports whether a route sends packets to the firewall
// endpoint c went through: the same vpce ID, or in a template
// the same firewall and EndpointIds index.
func (c fwCross) sameEndpoint(r *model.Route, e *Engine) bool {
	if r.TargetKind != model.TargetGatewayEndpoint || r.State == model.RouteBlackhole {
		return false
	}
	if r.Firewall != nil {
		if r.Firewall.FirewallID != c.fw.ID || c.endpoint != "" || r.Firewall.AssociationID != c.assoc {
			return false
		}
		if c.assoc != "" {
			return true
		}
		own := 0
		for _, ep := range c.fw.Endpoints {
			if ep.AssociationID == "" {
				own++
			}
		}
		return (c.index >= 0 && r.Firewall.Index == c.index) || own <= 1
	}
	if c.endpoint != "" {
		return r.TargetID == c.endpoint
	}
	if fw, _, ok := e.Net.FirewallByEndpoint(r.TargetID); ok {
		return fw == c.fw && len(c.fw.Endpoints) <= 1
	}
	return false
}

// firewallTarget finds the Network Firewall a route's VpcEndpointId
// belongs to, with the endpoints it may be.
func (e *Engine) firewallTarget(r *model.Route) (*model.NetworkFirewall, []model.FirewallEndpoint, int, bool) {
	if r.Firewall != nil {
		fw, ok := e.Net.NetworkFirewalls.Get(r.Firewall.FirewallID)
		if !ok {
			return nil, nil, -1, false
		}
		var eps []model.FirewallEndpoint
		for _, ep := range fw.Endpoints {
			// EndpointIds lists the firewall's own endpoints; an
			// association's endpoint is named by the association.
			if ep.AssociationID == r.Firewall.AssociationID {
				eps = append(eps, ep)
			}
		}
		if r.Firewall.AvailabilityZone != "" {
			var in []model.FirewallEndpoint
			for _, ep := range eps {
				if ep.AvailabilityZone == r.Firewall.AvailabilityZone {
					in = append(in, ep)
				}
			}
			eps = in
		}
		return fw, eps, r.Firewall.Index, true
	}
	fw, ep, ok := e.Net.FirewallByEndpoint(r.TargetID)
	if !ok {
		return nil, nil, -1, false
	}
	return fw, []model.FirewallEndpoint{*ep}, -1, true
}

// firewallEndpoint sends packets through a Network Firewall endpoint: they
// leave their subnet (from is nil for packets an edge route table sends),
// enter the firewall subnet, are filtered by the policy, and what passes
// is routed by the firewall subnet's route table.
func (t *tracer) firewallEndpoint(b *branch, from *model.Subnet, r *model.Route, fw *model.NetworkFirewall, eps []model.FirewallEndpoint, index int) {
	e := t.e
	if len(eps) == 0 {
		t.maybe(b, b.space, hopOf(fw, "firewall endpoint"), fw.Label()+" has no endpoint the sources describe")
		return
	}
	if len(eps) > 1 && e.sameTables(eps) {
		// Every endpoint's subnet uses one route table: whichever the
		// route names, the packets go the same way.
		one := eps[0]
		one.EndpointID, one.AvailabilityZone = "", ""
		t.throughEndpoint(b, from, fw, one, index)
		return
	}
	for _, ep := range eps {
		nb := b.with(b.space)
		if len(eps) > 1 {
			nb.possible(fmt.Sprintf("the route names one of the endpoints of %s (EndpointIds index %d), which one is known only after deployment", fw.Label(), index))
		}
		t.throughEndpoint(nb, from, fw, ep, index)
	}
}

// sameTables reports whether the endpoints' subnets use one route table.
func (e *Engine) sameTables(eps []model.FirewallEndpoint) bool {
	var first *model.RouteTable
	for i, ep := range eps {
		rt, _ := e.Net.RouteTableFor(ep.SubnetID)
		if rt == nil {
			return false
		}
		if i == 0 {
			first = rt
		} else if rt != first {
			return false
		}
	}
	return true
}

func (t *tracer) throughEndpoint(b *branch, from *model.Subnet, fw *model.NetworkFirewall, ep model.FirewallEndpoint, index int) {
	e := t.e
	id := ep.EndpointID
	if id == "" {
		id = fw.ID
	}
	h := Hop{ID: fw.ID, Type: model.TypeNetworkFirewall, Action: "network firewall endpoint " + orNone(ep.EndpointID) + " in " + orNone(ep.SubnetID)}
	if t.g.kind == goalComponent && (t.g.id == fw.ID || (ep.EndpointID != "" && t.g.id == ep.EndpointID)) {
		t.deliver(b, h)
		return
	}
	fsub, ok := e.Net.Subnets.Get(ep.SubnetID)
	if !ok {
		t.maybe(b, b.space, h, "the firewall subnet "+orNone(ep.SubnetID)+" of "+fw.Label()+" is not in the sources")
		return
	}
	if ep.Status != "" && ep.Status != "READY" {
		b = b.with(b.space)
		b.possible(fmt.Sprintf("the endpoint %s of %s is %s, not READY", id, fw.Label(), ep.Status))
	}
	if u := unknownsExcept(fw, func(f string) bool { return f == "FirewallStatus.SyncStates" }); u != "" {
		b = b.with(b.space)
		b.possible(fmt.Sprintf("%s has unknown values (%s)", fw.ID, u))
	}
	inspect := func(nb *branch) {
		c := e.firewallPolicy(fw)
		pol := "policy unknown"
		if c.policy != nil {
			pol = "policy " + c.policy.Label()
		}
		for _, p := range c.filter(nb.space, nb.rw) {
			d := p.d
			hop := h
			switch d.verdict {
			case fwDrop:
				hop.Action += " (" + pol + "): dropped by " + d.rule
				t.blocked(nb, p.space, hop, &Block{ID: fw.ID, Type: model.TypeNetworkFirewall, Code: d.code,
					Reason: fmt.Sprintf("%s (%s) drops the packets: %s", fw.Label(), pol, d.rule)})
				continue
			case fwMaybe:
				hop.Action += " (" + pol + "): " + d.rule
			default:
				hop.Action += " (" + pol + "): passed by " + d.rule
			}
			pb := nb.with(p.space, hop)
			if d.verdict == fwMaybe {
				pb.possible(d.why)
			}
			if d.stateful {
				if why := e.applianceModeDoubt(pb, fw); why != "" {
					pb.possible(why)
				}
			}
			pb.fw = append(slices.Clip(pb.fw), fwCross{fw: fw, endpoint: ep.EndpointID, index: index, assoc: ep.AssociationID, stateful: d.stateful, vpc: vpcID(pb.vpc), nat: pb.nat, rw: pb.rw})
			t.route(pb, fsub)
		}
	}
	switch {
	case from == nil:
		t.enterSubnet(b, fsub, inspect)
	case from.ID == fsub.ID:
		inspect(b)
	default:
		t.leaveSubnet(b, from, func(lb *branch) { t.enterSubnet(lb, fsub, inspect) })
	}
}

// fwReplyCheck makes the replies of packets that crossed a firewall
// endpoint of this VPC statefully come back through it: rt routes the
// replies (toward the forward source). A reply that bypasses the
// endpoint is dropped by the stateful engine, which saw only one
// direction. via is the route table's role, for messages.
func (t *tracer) fwReplyCheck(b *branch, rt *model.RouteTable, where string) {
	var cross *fwCross
	for i := len(b.fw) - 1; i >= 0; i-- {
		if b.fw[i].vpc == vpcID(b.vpc) && b.fw[i].stateful {
			cross = &b.fw[i]
			break
		}
	}
	if cross == nil {
		return
	}
	c := *cross
	e := t.e
	rw := b.rw
	if b.nat != nil && b.nat != c.nat && b.nat.SubnetID != "" {
		// A NAT gateway translated the packets after the firewall: the
		// replies come back to it, and its subnet's route table sends
		// them, translated back, towards the firewall or around it.
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
		rt, _ = e.Net.RouteTableFor(b.nat.SubnetID)
		where = b.nat.SubnetID
		rw = c.rw
	}
	// Without a route table, the replies bypass the endpoint only if the
	// sources listed the route tables: otherwise the one that would send
	// them back through it may be missing.
	var notListed string
	if rt == nil {
		if b.vpc == nil {
			notListed = "the VPC of " + where + " is not in the sources"
		} else {
			notListed = e.Net.NotCovered(model.TypeRouteTable, b.vpc)
		}
	}
	b.onReply(func(s Space) []piece {
		if rt == nil && notListed != "" {
			return []piece{{space: s, pass: true, hop: Hop{ID: where, Type: model.TypeRouteTable, Action: "reply route unknown"},
				reason: "whether the replies come back through " + c.label() + " is unknown: " + notListed}}
		}
		if rt == nil {
			return []piece{{space: s, hop: Hop{ID: where, Type: model.TypeRouteTable, Action: "reply route"},
				block: &Block{ID: c.fw.ID, Type: model.TypeNetworkFirewall, Code: CodeNFWAsymmetric,
					Reason: fmt.Sprintf("replies through %s are not routed back to %s: no route table sends them there, and the stateful engine, which saw only the requests, drops the flow", where, c.label())}}}
		}
		regs, unknown := e.regions(rt)
		var out []piece
		rest := s
		for _, rg := range regs {
			part := pick(rest, srcCube(rg.region), rw)
			if part.Empty() {
				continue
			}
			rest = rest.Subtract(part)
			h := hopOf(rt, fmt.Sprintf("reply route %s -> %s", rg.dest, routeTargetName(rg.route)))
			if c.sameEndpoint(rg.route, e) {
				out = append(out, piece{space: part, pass: true, hop: h})
				continue
			}
			if rg.route.TargetKind == model.TargetUnknown || rg.route.TargetKind == model.TargetUnmodelled {
				out = append(out, piece{space: part, pass: true, hop: h, reason: rt.ID + " routes the replies to a target the sources do not fix"})
				continue
			}
			if rg.route.Firewall != nil && rg.route.Firewall.FirewallID == c.fw.ID {
				out = append(out, piece{space: part, pass: true, hop: h, reason: fmt.Sprintf("%s sends the replies to an endpoint of %s; whether it is the one the requests crossed is known only after deployment", rt.ID, c.fw.Label())})
				continue
			}
			out = append(out, piece{space: part, hop: h, block: &Block{ID: c.fw.ID, Type: model.TypeNetworkFirewall, Code: CodeNFWAsymmetric,
				Reason: fmt.Sprintf("%s routes the replies to %s, not back through %s: the stateful engine saw only the requests and drops the flow (asymmetric routing)", rt.ID, orNone(cmp.Or(rg.route.TargetID, string(rg.route.TargetKind))), c.label())}})
		}
		if !rest.Empty() {
			if unknown != "" {
				out = append(out, piece{space: rest, pass: true, reason: unknown, hop: hopOf(rt, "reply route unknown")})
			} else {
				out = append(out, piece{space: rest, hop: hopOf(rt, "no reply route"), block: &Block{ID: rt.ID, Type: rt.Type(), Code: CodeNoRoute, Reason: rt.ID + " has no route for the replies"}})
			}
		}
		return out
	})
}

// routeTargetName names a route's target for hops: its ID, or for a
// template's route to a firewall, the firewall whose endpoint it is.
func routeTargetName(r *model.Route) string {
	if r.TargetID == "" && r.Firewall != nil {
		return "an endpoint of " + r.Firewall.FirewallID
	}
	return orNone(r.TargetID)
}

// gwlbAppliances names (R9.7) the appliance fleet behind a Gateway Load Balancer
// endpoint: the gateway load balancers of its service and their targets.
func (e *Engine) gwlbAppliances(ep *model.VPCEndpoint) string {
	var lbs, targets []string
	for _, lb := range e.Net.LoadBalancers.All() {
		if lb.LBType != "gateway" {
			continue
		}
		lbs = append(lbs, lb.Label())
		var tgIDs []string
		for _, l := range lb.Listeners {
			tgIDs = append(tgIDs, l.TargetGroupARNs...)
		}
		for _, tg := range e.Net.TargetGroups.All() {
			if !slices.Contains(tg.LoadBalancerARNs, lb.ID) && !slices.Contains(tgIDs, tg.ID) {
				continue
			}
			if !tg.TargetsKnown {
				targets = append(targets, tg.Label()+" (targets not in the sources)")
				continue
			}
			for _, x := range tg.Targets {
				targets = append(targets, x.ID)
			}
		}
	}
	if len(lbs) == 0 {
		return "the appliances behind " + ep.ServiceName + " (no Gateway Load Balancer in the sources)"
	}
	s := "the appliances of " + strings.Join(lbs, ", ")
	if len(targets) > 0 {
		s += " (" + strings.Join(targets, ", ") + ")"
	}
	return s
}

// fwReplyLocal checks, for packets delivered in a subnet after a firewall
// endpoint of the same VPC, that the subnet routes the replies back
// through it.
func (t *tracer) fwReplyLocal(b *branch, dsub *model.Subnet) {
	if len(b.fw) == 0 {
		return
	}
	rt, _ := t.e.Net.RouteTableFor(dsub.ID)
	if rt == nil {
		return
	}
	t.fwReplyCheck(b, rt, dsub.ID)
}

// crossed reports whether a route sends packets to a firewall endpoint
// the branch went through.
func crossed(fws []fwCross, r *model.Route, e *Engine) bool {
	for _, c := range fws {
		if c.sameEndpoint(r, e) {
			return true
		}
	}
	return false
}

// applianceModeDoubt says why a stateful decision on packets that entered
// the VPC from a transit gateway may not hold: without appliance mode on
// the attachment, the transit gateway may send the replies into another
// Availability Zone, to another endpoint of the firewall, which saw none
// of the requests and drops them.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-tgw-multi-az.html
func (e *Engine) applianceModeDoubt(b *branch, fw *model.NetworkFirewall) string {
	att := b.viaTGW()
	if att == nil || att.ApplianceModeSupport {
		return ""
	}
	zones := e.Net.FirewallZones(fw)
	if len(zones) < 2 {
		return ""
	}
	name := "the transit gateway attachment"
	if att.ID != "" {
		name = att.Label()
	}
	return fmt.Sprintf("%s has no appliance mode and %s has endpoints in %d zones (%s): the replies may return through another zone's endpoint, which drops them", name, fw.Label(), len(zones), strings.Join(zones, ", "))
}
