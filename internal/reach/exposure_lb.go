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

// A load balancer accepts connections only on its listeners' ports and
// opens its own connections to its targets, from its nodes' private
// addresses, on the target port
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-register-targets.html).
// Exposure reports the listener ports on the load balancer and, for each
// target a reachable listener forwards to, the target port on the target
// with the load balancer in `via`, never every port the target's groups
// allow.

// Markers of the stand-ins for load balancer nodes the sources do not list.
const (
	lbPublicMarker = "assigned by Elastic Load Balancing"
	lbNoSGPrefix   = "sg-none-"
)

// listenerCubes is the packets a load balancer's listeners accept.
func listenerCubes(lb *model.LoadBalancer) Space {
	var s Space
	for _, l := range lb.Listeners {
		for _, p := range lbProtocols(l.Protocol) {
			c := AllPackets()
			c.Proto = ProtoOf(p)
			c.DstPorts = RangeOf(model.PortRange{From: l.Port, To: l.Port})
			s = append(s, c)
		}
	}
	return s
}

// lbProtocols maps a listener or target group protocol to IP protocols.
func lbProtocols(p string) []model.Protocol {
	switch strings.ToUpper(p) {
	case "UDP", "GENEVE":
		return []model.Protocol{model.ProtoUDP}
	case "TCP_UDP":
		return []model.Protocol{model.ProtoTCP, model.ProtoUDP}
	case "":
		return []model.Protocol{model.ProtoTCP}
	}
	return []model.Protocol{model.ProtoTCP}
}

// lbNodes returns the interfaces a load balancer's traffic arrives at and
// leaves from. When the sources do not list them, one stand-in per subnet:
// its private addresses are the subnet's, its public address (internet
// facing) is Elastic Load Balancing's to pick.
func (x *exposer) lbNodes(lb *model.LoadBalancer) (in, out []*model.NetworkInterface, standIn bool) {
	sgs := lb.SecurityGroupIDs
	if len(sgs) == 0 {
		// Nothing filters at a load balancer without security groups (a
		// network load balancer): a group that is not in the sources lets
		// everything through as "possibly", and its reason is dropped.
		sgs = []string{lbNoSGPrefix + lb.ID}
	}
	if enis := x.lbENIs[lb.ID]; len(enis) > 0 {
		for _, ni := range enis {
			if len(ni.SecurityGroupIDs) == 0 {
				c := *ni
				c.SecurityGroupIDs = sgs
				ni = &c
			}
			in = append(in, ni)
			out = append(out, ni)
		}
		return in, out, false
	}
	for _, sid := range lb.SubnetIDs {
		s, ok := x.e.Net.Subnets.Get(sid)
		if !ok {
			continue
		}
		base := model.NetworkInterface{Meta: model.Meta{ID: lb.ID, Origin: lb.Origin}, SubnetID: s.ID, VPCID: s.VPCID,
			SecurityGroupIDs: sgs, OwnerKind: model.OwnerLoadBalancer, OwnerID: lb.ID, Prefixes: subnetSet(s).Prefixes()}
		if base.VPCID == "" {
			base.VPCID = lb.VPCID
		}
		o := base
		out = append(out, &o)
		i := base
		if lb.IsInternetFacing() {
			i.PrivateIPs = []model.PrivateIP{{PublicUnknown: lbPublicMarker}}
		}
		in = append(in, &i)
	}
	return in, out, true
}

// seedLBMembers makes the security groups of load balancers whose
// interfaces are not in the sources stand for their subnets' addresses
// (where the nodes are), so that a target rule allowing the load
// balancer's group matches its traffic.
func (x *exposer) seedLBMembers() {
	e := x.e
	for _, lb := range e.Net.LoadBalancers.All() {
		if len(x.lbENIs[lb.ID]) > 0 {
			continue
		}
		var b ipset.Builder
		for _, sid := range lb.SubnetIDs {
			if s, ok := e.Net.Subnets.Get(sid); ok {
				b.AddSet(subnetSet(s))
			}
		}
		nodes := b.Set()
		for _, g := range lb.SecurityGroupIDs {
			cur, ok := e.memberSet(g)
			if !ok {
				continue
			}
			e.mu.Lock()
			e.sgMembers[g] = cur.Union(nodes)
			e.mu.Unlock()
		}
	}
}

// cleanReasons drops the reasons that only the stand-ins produce.
func cleanReasons(rs []string, lb *model.LoadBalancer) []string {
	var out []string
	for _, r := range rs {
		if strings.Contains(r, lbPublicMarker) || strings.Contains(r, lbNoSGPrefix+lb.ID) {
			continue
		}
		if strings.Contains(r, "public address of") && lb.IsInternetFacing() {
			// An internet-facing load balancer's public addresses are
			// unknown until deployed, not whether it has them.
			continue
		}
		out = append(out, r)
	}
	return out
}

// loadBalancerFindings reports a load balancer's listener ports from every
// edge of its VPC (the internet only when internet facing) and its targets
// through it.
func (x *exposer) loadBalancerFindings(lb *model.LoadBalancer) ([]ExposureFinding, []string) {
	keep := listenerCubes(lb)
	listenersWhy := ""
	if len(lb.Listeners) == 0 && lb.LBType != "classic" {
		if why := x.e.Net.NotCovered(model.KindListeners, lb); why != "" {
			// Its listeners were not collected: any port may listen.
			listenersWhy = why + ": " + lb.Label() + " may listen on any port"
			c := AllPackets()
			c.Proto = portProtos
			keep = Space{c}
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	if listenersWhy != "" {
		fs, ws := x.loadBalancerFindingsOn(lb, keep)
		for i := range fs {
			fs[i].Verdict = PossiblyReachable
			fs[i].Reason = strings.TrimPrefix(fs[i].Reason+"; "+listenersWhy, "; ")
		}
		return fs, ws
	}
	return x.loadBalancerFindingsOn(lb, keep)
}

// loadBalancerFindingsOn is loadBalancerFindings for the packets keep
// (what the listeners accept).
func (x *exposer) loadBalancerFindingsOn(lb *model.LoadBalancer, keep Space) ([]ExposureFinding, []string) {
	in, out, standIn := x.lbNodes(lb)
	if len(in) == 0 {
		warn := fmt.Sprintf("%s: no subnet or interface of the load balancer is in the sources: its path from outside is not examined", lb.ID)
		// Its listeners are possibly open: to the internet when internet
		// facing, and to private networks through an edge that cannot be
		// named either way.
		from := ExposureFrom{Kind: EdgeUnknown, ID: "(not in the sources)", Sources: privateSources()}
		reason := "the subnets of the load balancer are not in the sources: which gateways, routes and network ACLs lead to it cannot be examined"
		if lb.IsInternetFacing() {
			from = ExposureFrom{Kind: EdgeInternet, ID: "(unknown)", Sources: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}}
			reason = "the load balancer is internet facing but its subnets are not in the sources: which gateways, routes and network ACLs lead to it cannot be examined"
		}
		var fs []ExposureFinding
		listeners := lb.Listeners
		if len(listeners) == 0 {
			// Not collected: one row for any TCP port.
			listeners = []model.Listener{{Protocol: "TCP"}}
		}
		for _, l := range listeners {
			for _, p := range lbProtocols(l.Protocol) {
				f := ExposureFinding{Resource: ExposedResource{ID: lb.ID, Type: lb.Type(), Origin: lb.Origin},
					From:     from,
					Protocol: p.String(), Ports: listenerPorts(lb, l), Verdict: PossiblyReachable,
					Via:    []Hop{{ID: lb.ID, Type: lb.Type()}},
					Reason: reason}
				f.Severity = SeverityOf(f.From.Kind, f.Protocol, f.Ports)
				fs = append(fs, f)
			}
		}
		return fs, []string{warn}
	}
	vpcID := in[0].VPCID
	var listeners []ExposureFinding
	seen := map[string]bool{}
	for _, ni := range in {
		res := ExposedResource{ID: lb.ID, Type: lb.Type(), Origin: lb.Origin}
		if !standIn {
			res = x.resourceOf(ni)
			res.ID, res.Type = lb.ID, lb.Type()
		}
		for _, ed := range x.e.Edges(vpcID) {
			if ed.Kind == EdgeInternet && !lb.IsInternetFacing() {
				continue
			}
			for _, f := range x.edgeFindings(res, ni, ed, keep, SeverityOf) {
				f = x.lbClean(f, lb)
				// One row per listener port and edge, whichever node.
				k := fmt.Sprintf("%s|%s|%s|%d-%d|%s|%v", f.From.Kind, f.From.ID, f.Protocol, f.Ports.From, f.Ports.To, f.Verdict, f.From.Sources)
				if seen[k] {
					continue
				}
				seen[k] = true
				listeners = append(listeners, f)
			}
		}
	}
	findings := slices.Clone(listeners)
	var warns []string
	for _, l := range lb.Listeners {
		fs, ws := x.targetFindings(lb, l, listeners, out)
		findings = append(findings, fs...)
		warns = append(warns, ws...)
	}
	return findings, warns
}

// lbClean removes the stand-ins' traces from a finding.
func (x *exposer) lbClean(f ExposureFinding, lb *model.LoadBalancer) ExposureFinding {
	var via []Hop
	for _, h := range f.Via {
		if strings.HasPrefix(h.ID, lbNoSGPrefix) {
			continue
		}
		if h.ID == lb.ID {
			h.Type = lb.Type()
		}
		via = append(via, h)
	}
	f.Via = via
	var rs []string
	for _, r := range strings.Split(f.Reason, "; ") {
		if r != "" {
			rs = append(rs, r)
		}
	}
	rs = cleanReasons(rs, lb)
	f.Reason = strings.Join(rs, "; ")
	if f.Verdict == PossiblyReachable && !hasDoubt(rs) {
		f.Verdict = Reachable
	}
	if len(lb.SecurityGroupIDs) == 0 {
		f.Reason = strings.TrimPrefix(strings.TrimPrefix(f.Reason, "allowed by "), "; ")
		if f.Reason == "" {
			f.Reason = "the load balancer has no security groups"
		}
	}
	return f
}

// hasDoubt reports whether some reason is a doubt (not a statement of
// which rules allow the traffic or which source ports work).
func hasDoubt(rs []string) bool {
	for _, r := range rs {
		if !strings.HasPrefix(r, "allowed by ") && !strings.HasPrefix(r, "replies get back only") && !strings.HasPrefix(r, "through ") && !strings.HasPrefix(r, "ICMP type ") {
			return true
		}
	}
	return false
}

// lbTarget is one registered target resolved to interfaces.
type lbTarget struct {
	id   string
	port uint16
	enis []*model.NetworkInterface
	why  string // the target is not a modelled interface
}

// targetsOf lists where a listener forwards: its target groups' targets
// (ELBv2) or the registered instances (classic).
func (x *exposer) targetsOf(lb *model.LoadBalancer, l model.Listener) ([]lbTarget, []model.Protocol, []string) {
	all, protos, warns := x.allTargetsOf(lb, l)
	// A target instance that is not running answers nothing: no finding
	// (the instance's own warning says so).
	out := all[:0:0]
	for _, t := range all {
		if len(t.enis) == 1 && x.e.silentInstance(t.enis[0]) != nil {
			continue
		}
		out = append(out, t)
	}
	return out, protos, warns
}

// allTargetsOf is targetsOf with the targets that are not running.
func (x *exposer) allTargetsOf(lb *model.LoadBalancer, l model.Listener) ([]lbTarget, []model.Protocol, []string) {
	n := x.e.Net
	var out []lbTarget
	var warns []string
	protos := lbProtocols(l.Protocol)

	resolveInstance := func(id string) []*model.NetworkInterface {
		in, ok := n.Instances.Get(id)
		if !ok {
			return nil
		}
		for _, eid := range in.NetworkInterfaceIDs {
			if ni, ok := n.NetworkInterfaces.Get(eid); ok {
				return []*model.NetworkInterface{ni} // the primary interface
			}
		}
		if ni := instanceStandIn(n, in); ni != nil {
			return []*model.NetworkInterface{ni}
		}
		return nil
	}
	if lb.LBType == "classic" {
		port := l.InstancePort
		if port == 0 {
			port = l.Port
		}
		if l.InstanceProtocol != "" {
			protos = lbProtocols(l.InstanceProtocol)
		}
		for _, id := range lb.InstanceIDs {
			t := lbTarget{id: id, port: port, enis: resolveInstance(id)}
			if len(t.enis) == 0 {
				t.why = "instance " + id + " is not in the sources"
			}
			out = append(out, t)
		}
		return out, protos, nil
	}
	for _, arn := range l.TargetGroupARNs {
		tg, ok := n.TargetGroups.Get(arn)
		if !ok {
			if el, ok2 := n.Lookup(arn); ok2 {
				tg, ok = el.(*model.TargetGroup)
			}
		}
		if !ok {
			out = append(out, lbTarget{id: arn, why: "target group " + arn + " is not in the sources"})
			continue
		}
		if tg.Protocol != "" {
			protos = lbProtocols(tg.Protocol)
		}
		if !tg.TargetsKnown {
			out = append(out, lbTarget{id: tg.ID, port: tg.Port, why: "the targets of " + tg.ID + " are not in the sources"})
			continue
		}
		for _, t := range tg.Targets {
			port := t.Port
			if port == 0 {
				port = tg.Port
			}
			lt := lbTarget{id: t.ID, port: port}
			switch tg.TargetType {
			case "lambda":
				continue // invoked by the load balancer, not a network destination
			case "alb":
				warns = append(warns, fmt.Sprintf("%s forwards to load balancer %s: its exposure through %s is reported with that load balancer's own listeners", lb.ID, t.ID, lb.ID))
				continue
			case "ip":
				if a, err := netip.ParseAddr(t.ID); err == nil {
					lt.enis = n.InterfacesByAddress(a)
				}
				if len(lt.enis) == 0 {
					lt.why = "no modelled interface holds target address " + t.ID
				}
			default:
				lt.enis = resolveInstance(t.ID)
				if len(lt.enis) == 0 {
					lt.why = "instance " + t.ID + " is not in the sources"
				}
			}
			out = append(out, lt)
		}
	}
	return out, protos, warns
}

// targetFindings reports, for one listener, each target reachable through
// it: the sources that reach the listener (per edge), the target port, and
// the path from the load balancer's nodes to the target.
func (x *exposer) targetFindings(lb *model.LoadBalancer, l model.Listener, listeners []ExposureFinding, nodes []*model.NetworkInterface) ([]ExposureFinding, []string) {
	// Which edges reach this listener, from which sources.
	type edgeSrc struct {
		f   ExposureFinding
		src []netip.Prefix
	}
	var edges []edgeSrc
	idx := map[string]int{}
	for _, f := range listeners {
		if !f.Ports.Contains(l.Port) || (f.Protocol != "all" && !slices.ContainsFunc(lbProtocols(l.Protocol), func(p model.Protocol) bool { return p.String() == f.Protocol })) {
			continue
		}
		k := string(f.From.Kind) + "|" + f.From.ID
		if i, ok := idx[k]; ok {
			edges[i].src = append(edges[i].src, f.From.Sources...)
			if f.Verdict == Reachable {
				edges[i].f.Verdict = Reachable
			}
			continue
		}
		idx[k] = len(edges)
		edges = append(edges, edgeSrc{f: f, src: slices.Clone(f.From.Sources)})
	}
	if len(edges) == 0 {
		return nil, nil
	}
	targets, protos, warns := x.targetsOf(lb, l)
	type tracedTarget struct {
		f  ExposureFinding
		ok bool
	}
	traced := map[string]tracedTarget{}
	var out []ExposureFinding
	lbHop := Hop{ID: lb.ID, Type: lb.Type()}
	for _, t := range targets {
		for _, ed := range edges {
			base := ExposureFinding{From: ExposureFrom{Kind: ed.f.From.Kind, ID: ed.f.From.ID, Sources: mergePrefixes(ed.src)}, LoadBalancer: lb.ID}
			through := fmt.Sprintf("through %s listener %s:%d to port %d", lb.ID, strings.ToUpper(orDefault(l.Protocol, "TCP")), l.Port, t.port)
			if t.why != "" || t.port == 0 {
				why := t.why
				if t.port == 0 {
					why = strings.TrimPrefix(why+"; the target port is unknown", "; ")
				}
				f := base
				f.Resource = ExposedResource{ID: t.id, Type: "Target"}
				f.Protocol = protos[0].String()
				f.Ports = model.PortRange{From: t.port, To: t.port}
				if t.port == 0 {
					f.Ports = model.AllPorts
				}
				f.Verdict = PossiblyReachable
				f.Severity = SeverityOf(f.From.Kind, f.Protocol, f.Ports)
				f.Via = append([]Hop{lbHop}, ed.f.Via...)
				f.Reason = through + "; " + why
				out = append(out, f)
				continue
			}
			for _, ni := range t.enis {
				for _, p := range protos {
					// The load balancer's own connection does not depend
					// on the edge the client came from: traced once.
					k := fmt.Sprintf("%s|%d|%d", ni.ID, p, t.port)
					c, seen := traced[k]
					if !seen {
						c.f, c.ok = x.lbToTarget(lb, nodes, ni, p, t.port)
						traced[k] = c
					}
					f, ok := c.f, c.ok
					if lb.LBType == "network" {
						// A network load balancer keeps the client's
						// address: the target's groups and network ACL see
						// the clients, not the load balancer's nodes.
						var nf ExposureFinding
						nf, ok = x.nlbTarget(ni, p, t.port, ed.src, f, ok, base.From.Kind)
						f = nf
					}
					if !ok {
						continue
					}
					if lb.LBType != "network" {
						f.From = base.From
					} else {
						f.From.ID = base.From.ID
					}
					f.LoadBalancer = lb.ID
					f.Severity = SeverityOf(f.From.Kind, f.Protocol, f.Ports)
					f.Via = append([]Hop{lbHop}, f.Via...)
					rs := []string{through}
					if f.Reason != "" {
						rs = append(rs, f.Reason)
					}
					if ed.f.Verdict == PossiblyReachable {
						f.Verdict = PossiblyReachable
						rs = append(rs, "the listener is only possibly reachable: "+ed.f.Reason)
					}
					f.Reason = strings.Join(rs, "; ")
					out = append(out, f)
				}
			}
		}
	}
	return out, warns
}

// nlbTarget is a network load balancer's target finding: the sources are
// the clients the target's groups allow on the target port (client
// address preservation), possibly-reachable because whether the target
// group preserves client addresses, and what the target subnet's network
// ACL says of the clients, are read from the load balancer's side only.
func (x *exposer) nlbTarget(ni *model.NetworkInterface, p model.Protocol, port uint16, sources []netip.Prefix, viaNode ExposureFinding, nodeOK bool, kind EdgeKind) (ExposureFinding, bool) {
	var b ipset.Builder
	for _, q := range sources {
		b.AddPrefix(q)
	}
	clients := b.Set()
	var peers ipset.Builder
	if len(ni.SecurityGroupIDs) == 0 && noGroupsByNature(ni) {
		peers.AddSet(fullSet)
	}
	for _, gid := range ni.SecurityGroupIDs {
		if _, ok := x.e.Net.SecurityGroups.Get(gid); !ok {
			peers.AddSet(fullSet)
			continue
		}
		rules := x.ingressRules(gid)
		for i := range rules {
			if r := &rules[i]; r.cube.Proto.Has(p) && r.cube.DstPorts.Contains(port) {
				peers.AddSet(r.cube.Src)
			}
		}
	}
	ps := peers.Set()
	allowed := clients.Intersect(ps)
	if allowed.Empty() && !nodeOK {
		return ExposureFinding{}, false
	}
	f := viaNode
	if !nodeOK {
		f = ExposureFinding{Resource: x.resourceOf(ni), Protocol: p.String(), Ports: model.PortRange{From: port, To: port}, Via: []Hop{{ID: ni.ID, Type: model.TypeNetworkInterface}}}
	}
	if !allowed.Empty() {
		f.From.Sources = x.sourcesOf(kind, allowed, x.publicOf(ni.VPCID))
		pp := part{protos: ProtoOf(p), keys: RangeOf(model.PortRange{From: port, To: port}), hasPorts: true, src: allowed}
		f.Reason = "allowed by " + x.allowingRules(ni, pp)
	} else {
		f.From.Sources = sources
	}
	f.From.Kind = kind
	f.Verdict = PossiblyReachable
	f.Reason = strings.TrimPrefix(f.Reason+"; a network load balancer keeps the client's address when the target group preserves it: the target's security groups and network ACL then see the clients, not the load balancer", "; ")
	return f, true
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// lbToTarget traces the load balancer's own connection from its nodes to
// a target on one port: the nodes' egress rules, routes, network ACLs and
// the target's groups, and the replies back.
func (x *exposer) lbToTarget(lb *model.LoadBalancer, nodes []*model.NetworkInterface, ni *model.NetworkInterface, p model.Protocol, port uint16) (ExposureFinding, bool) {
	e := x.e
	to := e.eniEndpoint(Endpoint{}, ni)
	c := AllPackets()
	c.Proto = ProtoOf(p)
	c.DstPorts = RangeOf(model.PortRange{From: port, To: port})
	c.SrcPorts = RangeOf(model.Ephemeral)
	var best *Outcome
	for _, node := range nodes {
		from := e.eniEndpoint(Endpoint{}, node)
		for _, o := range e.Trace(context.Background(), from, to, c) {
			if o.Verdict == Unreachable {
				continue
			}
			o.Reasons = cleanReasons(o.Reasons, lb)
			if len(o.Reasons) == 0 {
				o.Verdict = Reachable
			}
			if best == nil || (best.Verdict != Reachable && o.Verdict == Reachable) {
				oc := o
				best = &oc
			}
		}
		if best != nil && best.Verdict == Reachable {
			break
		}
	}
	if best == nil {
		return ExposureFinding{}, false
	}
	f := ExposureFinding{Resource: x.resourceOf(ni), Protocol: p.String(), Ports: model.PortRange{From: port, To: port}, Verdict: best.Verdict}
	for _, h := range viaOf(*best) {
		if h.ID == lb.ID || strings.HasPrefix(h.ID, lbNoSGPrefix) {
			continue
		}
		f.Via = append(f.Via, h)
	}
	pp := part{protos: ProtoOf(p), keys: c.DstPorts, hasPorts: true, src: best.Space.Sources()}
	var rs []string
	if rules := x.allowingRules(ni, pp); rules != "" {
		rs = append(rs, "allowed by "+rules)
	}
	rs = append(rs, best.Reasons...)
	f.Reason = strings.Join(rs, "; ")
	return f, true
}

// mergePrefixes merges overlapping and adjacent prefixes.
func mergePrefixes(ps []netip.Prefix) []netip.Prefix {
	var b ipset.Builder
	for _, p := range ps {
		b.AddPrefix(p)
	}
	s := b.Set()
	return s.Prefixes()
}

// privateSources are the addresses outside the public internet, from
// which peered VPCs, transit gateways and on-premises networks send.
func privateSources() []netip.Prefix { return nonPublicSet.Prefixes() }

// listenerPorts is a listener's port, or every port for the stand-in of
// listeners that were not collected.
func listenerPorts(lb *model.LoadBalancer, l model.Listener) model.PortRange {
	if len(lb.Listeners) == 0 {
		return model.AllPorts
	}
	return model.PortRange{From: l.Port, To: l.Port}
}
