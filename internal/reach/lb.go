package reach

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// A flow to a load balancer is two legs: the client to one of the load
// balancer's interfaces (its nodes, one per subnet) on a listener's port,
// then the node to a registered target on the target's port. Application
// and classic load balancers open a new connection from the node's
// address; network load balancers keep the client's address for instance
// targets (client IP preservation), so the target's groups and ACLs see
// the client.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#client-ip-preservation

// lbInterfaces returns the interfaces of a load balancer, in the network's
// order: those it owns, and those whose description names it
// ("ELB app/<name>/<id>"). The interfaces of every load balancer are found
// in one pass over the network's interfaces, on first use.
func (e *Engine) lbInterfaces(lb *model.LoadBalancer) []*model.NetworkInterface {
	e.lbENIsOnce.Do(e.indexLBInterfaces)
	if strings.Contains(lb.Name, "/") {
		// Not a name AWS allows, so not in the index: looked for as the
		// index would.
		var out []*model.NetworkInterface
		for _, ni := range e.Net.NetworkInterfaces.All() {
			if lbNamesInterface(lb, ni) {
				out = append(out, ni)
			}
		}
		return out
	}
	return e.lbENIs[lb]
}

// lbNamesInterface reports whether ni belongs to lb: lb owns it, or its
// description names lb between two slashes.
func lbNamesInterface(lb *model.LoadBalancer, ni *model.NetworkInterface) bool {
	return ni.OwnerID == lb.ID || (ni.OwnerKind == model.OwnerLoadBalancer && lb.Name != "" && strings.Contains(ni.Description, "/"+lb.Name+"/"))
}

// indexLBInterfaces fills lbENIs. A name without a slash appears as
// "/<name>/" in a description exactly when it is the text between two
// consecutive slashes, so each description is cut at its slashes.
func (e *Engine) indexLBInterfaces() {
	byID := map[string][]*model.LoadBalancer{}
	byName := map[string][]*model.LoadBalancer{}
	for _, lb := range e.Net.LoadBalancers.All() {
		byID[lb.ID] = append(byID[lb.ID], lb)
		if lb.Name != "" && !strings.Contains(lb.Name, "/") {
			byName[lb.Name] = append(byName[lb.Name], lb)
		}
	}
	e.lbENIs = map[*model.LoadBalancer][]*model.NetworkInterface{}
	var found []*model.LoadBalancer
	for _, ni := range e.Net.NetworkInterfaces.All() {
		found = append(found[:0], byID[ni.OwnerID]...)
		if ni.OwnerKind == model.OwnerLoadBalancer {
			d := ni.Description
			for i := strings.IndexByte(d, '/'); i >= 0; {
				j := strings.IndexByte(d[i+1:], '/')
				if j < 0 {
					break
				}
				found = append(found, byName[d[i+1:i+1+j]]...)
				i += 1 + j
			}
		}
		for k, lb := range found {
			if !slices.Contains(found[:k], lb) {
				e.lbENIs[lb] = append(e.lbENIs[lb], ni)
			}
		}
	}
}

// lbOf returns the load balancer an interface belongs to.
func (e *Engine) lbOf(ni *model.NetworkInterface) (*model.LoadBalancer, bool) {
	if ni.OwnerKind != model.OwnerLoadBalancer && ni.InterfaceType != "network_load_balancer" {
		return nil, false
	}
	for _, lb := range e.Net.LoadBalancers.All() {
		if ni.OwnerID == lb.ID || (lb.Name != "" && strings.Contains(ni.Description, "/"+lb.Name+"/")) {
			return lb, true
		}
	}
	return nil, false
}

func listenerProtos(l model.Listener) ProtoSet {
	switch strings.ToUpper(l.Protocol) {
	case "UDP":
		return ProtoOf(model.ProtoUDP)
	case "TCP_UDP":
		return ProtoOf(model.ProtoTCP).Or(ProtoOf(model.ProtoUDP))
	case "GENEVE":
		return ProtoOf(model.ProtoUDP)
	}
	return ProtoOf(model.ProtoTCP)
}

type lbDest struct {
	ni    *model.NetworkInterface
	port  uint16
	label string
	tg    string
}

// targets returns where a listener sends traffic; why says what is unknown.
func (e *Engine) lbDests(lb *model.LoadBalancer, l model.Listener) ([]lbDest, []string) {
	var out []lbDest
	var why []string
	if lb.LBType == "classic" {
		for _, id := range lb.InstanceIDs {
			in, ok := e.Net.Instances.Get(id)
			if !ok || len(in.NetworkInterfaceIDs) == 0 {
				why = append(why, "instance "+id+" of "+lb.Name+" is not in the sources")
				continue
			}
			if ni, ok := e.Net.NetworkInterfaces.Get(in.NetworkInterfaceIDs[0]); ok {
				out = append(out, lbDest{ni: ni, port: l.InstancePort, label: id})
			}
		}
		return out, why
	}
	for _, arn := range l.TargetGroupARNs {
		tg, ok := e.Net.TargetGroups.Get(arn)
		if !ok {
			why = append(why, "target group "+arn+" is not in the sources")
			continue
		}
		if !tg.TargetsKnown {
			why = append(why, "the targets of "+tg.Label()+" are not in the sources")
			continue
		}
		for _, tt := range tg.Targets {
			port := tt.Port
			if port == 0 {
				port = tg.Port
			}
			var ni *model.NetworkInterface
			if in, ok := e.Net.Instances.Get(tt.ID); ok && len(in.NetworkInterfaceIDs) > 0 {
				ni, _ = e.Net.NetworkInterfaces.Get(in.NetworkInterfaceIDs[0])
			} else if a, err := netip.ParseAddr(tt.ID); err == nil {
				if nis := e.Net.InterfacesByAddress(a); len(nis) > 0 {
					ni = nis[0]
				}
			}
			if ni == nil {
				why = append(why, "target "+tt.ID+" of "+tg.Label()+" is not in the sources")
				continue
			}
			out = append(out, lbDest{ni: ni, port: port, label: tt.ID, tg: tg.Label()})
		}
	}
	return out, why
}

// flowToLB answers a query whose destination is a load balancer (or one
// of its interfaces).
func (e *Engine) flowToLB(ctx context.Context, q Query, lb *model.LoadBalancer, nodes []*model.NetworkInterface, start Cube) Result {
	lbHop := Hop{ID: lb.Label(), Type: lb.Type(), Action: lb.LBType + " load balancer (" + lb.Scheme + ")"}
	var standInWhy []string
	if len(nodes) == 0 {
		nodes = e.lbStandIns(lb)
		standInWhy = []string{"the interfaces of " + lb.Label() + " are not in the sources: one stands in for each of its subnets, at any address of it"}
	}
	if len(nodes) == 0 {
		return Result{Verdict: PossiblyReachable, Best: &Outcome{Verdict: PossiblyReachable, Hops: []Hop{lbHop}}, Reason: "the interfaces and subnets of " + lb.Label() + " are not in the sources"}
	}
	// Listeners that accept the flow.
	var listeners []model.Listener
	for _, l := range lb.Listeners {
		if c, ok := start.Intersect(Cube{Src: fullSet, Dst: fullSet, Proto: listenerProtos(l), SrcPorts: AllRanges(), DstPorts: RangeOf(model.PortRange{From: l.Port, To: l.Port})}); ok && !c.Empty() {
			listeners = append(listeners, l)
		}
	}
	if len(listeners) == 0 {
		code := CodeELBListeners
		if lb.LBType == "classic" {
			code = "ELB_LISTENERS_MISMATCH"
		}
		var ports []string
		for _, l := range lb.Listeners {
			ports = append(ports, fmt.Sprintf("%s/%d", strings.ToLower(l.Protocol), l.Port))
		}
		b := &Block{ID: lb.ID, Type: lb.Type(), Code: code, Reason: fmt.Sprintf("%s has no listener for the flow (listeners: %s)", lb.Label(), orNone(strings.Join(ports, ", ")))}
		return Result{Verdict: Unreachable, Best: &Outcome{Verdict: Unreachable, Hops: []Hop{lbHop}, BlockedBy: b}, Reason: b.Reason}
	}
	var outs []Outcome
	lbWhy := standInWhy
	if lb.HasUnknowns() {
		lbWhy = append(lbWhy, fmt.Sprintf("%s has unknown values (%s)", lb.Label(), unknownsOf(lb)))
	}
	for _, node := range nodes {
		leg1 := e.Trace(ctx, q.From, e.eniEndpoint(Endpoint{Ref: node.ID}, node), start)
		if len(standInWhy) > 0 {
			for i := range leg1 {
				if leg1[i].Verdict == Reachable {
					leg1[i].Verdict = PossiblyReachable
					leg1[i].Reasons = uniq(append(slices.Clip(leg1[i].Reasons), standInWhy...))
				}
			}
		}
		r1 := summarize(leg1, false)
		if r1.Verdict == Unreachable {
			outs = append(outs, leg1...)
			continue
		}
		clients := emptySet
		for _, o := range leg1 {
			if o.Verdict != Unreachable {
				clients = clients.Union(o.Space.Sources())
			}
		}
		for _, l := range listeners {
			targets, why := e.lbDests(lb, l)
			why = append(slices.Clip(lbWhy), why...)
			lh := lbHop
			lh.Action = fmt.Sprintf("listener %s/%d", strings.ToLower(l.Protocol), l.Port)
			if len(targets) == 0 {
				o := Outcome{Verdict: Unreachable, Space: r1.Best.Space, Hops: append(slices.Clip(r1.Best.Hops), lh), ReturnHops: r1.Best.ReturnHops,
					BlockedBy: &Block{ID: lb.ID, Type: lb.Type(), Code: CodeELBNoTargets, Reason: fmt.Sprintf("listener %d of %s has no target", l.Port, lb.Label())}}
				if len(why) > 0 {
					o.Verdict, o.BlockedBy, o.Reasons = PossiblyReachable, nil, why
				}
				outs = append(outs, o)
				continue
			}
			for _, tgt := range targets {
				th := lh
				th.Action += fmt.Sprintf(" -> %s -> %s port %d", orNone(tgt.tg), tgt.label, tgt.port)
				c := AllPackets()
				c.Proto = start.Proto.And(listenerProtos(l))
				c.DstPorts = RangeOf(model.PortRange{From: tgt.port, To: tgt.port})
				var src *ipset.Set
				if lb.LBType == "network" && !isIPTarget(tgt.label) {
					// Client IP preservation: the target sees the client.
					src = clients
					th.Translation = "destination -> " + tgt.label + fmt.Sprintf(":%d (client address preserved)", tgt.port)
				} else {
					th.Translation = fmt.Sprintf("source -> %s, destination -> %s:%d", addrOf(node), tgt.label, tgt.port)
				}
				leg2 := e.traceFrom(ctx, node, e.eniEndpoint(Endpoint{Ref: tgt.ni.ID}, tgt.ni), c, src)
				for _, o2 := range leg2 {
					o := Outcome{Verdict: o2.Verdict, Space: r1.Best.Space, BlockedBy: o2.BlockedBy, Return: o2.Return,
						Hops:       append(append(slices.Clip(r1.Best.Hops), th), o2.Hops...),
						ReturnHops: append(slices.Clip(o2.ReturnHops), r1.Best.ReturnHops...),
						Reasons:    uniq(append(append(slices.Clip(r1.Best.Reasons), why...), o2.Reasons...))}
					if o.Verdict == Reachable && (r1.Verdict == PossiblyReachable || len(why) > 0) {
						o.Verdict = PossiblyReachable
					}
					outs = append(outs, o)
				}
			}
		}
	}
	return summarize(outs, false)
}

// lbStandIns returns, for a load balancer whose interfaces the sources do
// not hold (a template), one interface per subnet standing for its node:
// any address of the subnet, the balancer's groups, and for an
// internet-facing one a public address Elastic Load Balancing picks.
func (e *Engine) lbStandIns(lb *model.LoadBalancer) []*model.NetworkInterface {
	var out []*model.NetworkInterface
	for _, sid := range lb.SubnetIDs {
		s, ok := e.Net.Subnets.Get(sid)
		if !ok {
			continue
		}
		ni := &model.NetworkInterface{Meta: model.Meta{ID: lb.Label() + " node in " + s.ID, Origin: lb.Origin}, SubnetID: s.ID, VPCID: s.VPCID,
			SecurityGroupIDs: lb.SecurityGroupIDs, OwnerKind: model.OwnerLoadBalancer, OwnerID: lb.ID,
			Prefixes: append([]netip.Prefix{s.CIDR}, s.IPv6CIDRs...)}
		if len(lb.SecurityGroupIDs) == 0 && lb.LBType == "network" {
			ni.InterfaceType = "network_load_balancer"
		}
		if ni.VPCID == "" {
			ni.VPCID = lb.VPCID
		}
		if lb.IsInternetFacing() {
			ni.PrivateIPs = []model.PrivateIP{{PublicUnknown: "the load balancer's public address is picked by Elastic Load Balancing", PublicAssigned: true}}
		}
		out = append(out, ni)
	}
	return out
}

func isIPTarget(id string) bool {
	_, err := netip.ParseAddr(id)
	return err == nil
}

func addrOf(ni *model.NetworkInterface) string {
	if a, ok := ni.PrimaryIP(); ok && a.IsValid() {
		return a.String()
	}
	return ni.ID
}

// traceFrom is Trace from an interface whose packets may carry other
// source addresses (src, when not nil): a load balancer node forwarding
// with the client's address.
func (e *Engine) traceFrom(ctx context.Context, from *model.NetworkInterface, to Endpoint, packets Cube, src *ipset.Set) []Outcome {
	if src == nil {
		return e.Trace(ctx, e.eniEndpoint(Endpoint{Ref: from.ID}, from), to, packets)
	}
	g, dst, err := e.goalOf(Endpoint{Kind: EndpointENI, ENI: from}, to)
	if err != nil {
		return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{err.Error()}}}
	}
	t := &tracer{e: e, g: g}
	c := packets
	c.Dst = c.Dst.Intersect(dst)
	c.Src = src.Intersect(familiesOf(c.Dst))
	t.fromENI(&branch{space: Space{c}}, from)
	return t.outs
}
