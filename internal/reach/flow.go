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

// EndpointKind says what an Endpoint is.
type EndpointKind string

// Endpoint kinds.
const (
	EndpointENI       EndpointKind = "interface" // an ENI (instances, endpoints, resolver endpoints resolve to theirs)
	EndpointSubnet    EndpointKind = "subnet"    // any address of a subnet
	EndpointVPC       EndpointKind = "vpc"       // a VPC (as destination: any address in its subnets)
	EndpointAddress   EndpointKind = "address"   // an address of a VPC that no modelled interface holds, or outside the model
	EndpointInternet  EndpointKind = "internet"  // an arbitrary public address
	EndpointComponent EndpointKind = "component" // a gateway: igw, nat, pcx, tgw, tgw-attach, vgw, gateway vpce
	EndpointLB        EndpointKind = "load-balancer"
	EndpointUnmodeled EndpointKind = "unmodelled" // a place vpcreach does not model yet (Client VPN)
)

// Endpoint is where a flow starts or ends (cli.md's REF, resolved).
type Endpoint struct {
	Kind EndpointKind
	// Ref is what the user wrote.
	Ref string
	// ENI is the interface (EndpointENI).
	ENI *model.NetworkInterface
	// Subnet and VPC locate subnets, VPC addresses and interfaces.
	Subnet *model.Subnet
	VPC    *model.VPC
	// Element is the resource named (instance, gateway, load balancer, ...).
	Element model.Element
	// Addr is an explicit address (an IP REF); for an interface reached by
	// its public IP, that public IP.
	Addr netip.Addr
}

// Label is how the endpoint is named in output.
func (ep Endpoint) Label() string {
	if ep.Ref != "" {
		return ep.Ref
	}
	switch {
	case ep.Element != nil:
		return ep.Element.Base().ID
	case ep.ENI != nil:
		return ep.ENI.ID
	case ep.Addr.IsValid():
		return ep.Addr.String()
	}
	return string(ep.Kind)
}

// Resolve turns a REF (cli.md) into an endpoint: a resource ID, ARN,
// CloudFormation logical ID or unique name; an IP address; or "internet".
func (e *Engine) Resolve(ref string) (Endpoint, error) {
	ep := Endpoint{Ref: ref}
	if strings.EqualFold(ref, "internet") {
		ep.Kind = EndpointInternet
		return ep, nil
	}
	if a, err := netip.ParseAddr(ref); err == nil {
		a = a.Unmap()
		ep.Addr = a
		if nis := e.Net.InterfacesByAddress(a); len(nis) > 0 {
			return e.eniEndpoint(ep, nis[0]), nil
		}
		if ni, ok := e.Net.InterfaceByPublicIP(a); ok {
			return e.eniEndpoint(ep, ni), nil
		}
		if v, ok := e.Net.VPCContaining(a); ok {
			ep.Kind = EndpointAddress
			ep.VPC = v
			ep.Subnet, _ = e.Net.SubnetContaining(v.ID, a)
			return ep, nil
		}
		ep.Kind = EndpointAddress
		return ep, nil
	}
	el, ok := e.Net.Lookup(ref)
	if !ok {
		// A load balancer's name (its Name is indexed twice by the model).
		for _, lb := range e.Net.LoadBalancers.All() {
			if lb.Name == ref {
				el, ok = lb, true
			}
		}
	}
	if !ok {
		return ep, fmt.Errorf("%q: no such resource, logical ID or name in the sources, and not an IP address or \"internet\"", ref)
	}
	ep.Element = el
	switch x := el.(type) {
	case *model.NetworkInterface:
		return e.eniEndpoint(ep, x), nil
	case *model.Instance:
		for _, id := range x.NetworkInterfaceIDs {
			if ni, ok := e.Net.NetworkInterfaces.Get(id); ok {
				return e.eniEndpoint(ep, ni), nil
			}
		}
		for _, ni := range e.Net.NetworkInterfaces.All() {
			if ni.OwnerID == x.ID {
				return e.eniEndpoint(ep, ni), nil
			}
		}
		return ep, fmt.Errorf("%s: %s has no network interface in the sources", ref, model.Describe(x))
	case *model.Subnet:
		ep.Kind = EndpointSubnet
		ep.Subnet = x
		ep.VPC, _ = e.Net.VPCs.Get(x.VPCID)
		return ep, nil
	case *model.VPC:
		ep.Kind = EndpointVPC
		ep.VPC = x
		return ep, nil
	case *model.VPCEndpoint:
		if x.EndpointType == "Gateway" {
			ep.Kind = EndpointComponent
			return ep, nil
		}
		for _, id := range x.NetworkInterfaceIDs {
			if ni, ok := e.Net.NetworkInterfaces.Get(id); ok {
				return e.eniEndpoint(ep, ni), nil
			}
		}
		return ep, fmt.Errorf("%s: the interfaces of %s are not in the sources", ref, x.ID)
	case *model.ResolverEndpoint:
		for _, ip := range x.IPAddresses {
			if ni, ok := e.Net.NetworkInterfaces.Get(ip.NetworkInterfaceID); ok {
				return e.eniEndpoint(ep, ni), nil
			}
			if nis := e.Net.InterfacesByAddress(ip.IP); ip.IP.IsValid() && len(nis) > 0 {
				return e.eniEndpoint(ep, nis[0]), nil
			}
		}
		return ep, fmt.Errorf("%s: the interfaces of %s are not in the sources", ref, x.ID)
	case *model.LoadBalancer:
		ep.Kind = EndpointLB
		ep.VPC, _ = e.Net.VPCs.Get(x.VPCID)
		return ep, nil
	case *model.ElasticIP:
		// An elastic IP stands for the interface it is associated with,
		// reached at the public address.
		if ni, ok := e.Net.NetworkInterfaces.Get(x.NetworkInterfaceID); ok {
			ep = e.eniEndpoint(ep, ni)
			ep.Addr = x.PublicIP
			return ep, nil
		}
		if in, ok := e.Net.Instances.Get(x.InstanceID); ok && len(in.NetworkInterfaceIDs) > 0 {
			if ni, ok := e.Net.NetworkInterfaces.Get(in.NetworkInterfaceIDs[0]); ok {
				ep = e.eniEndpoint(ep, ni)
				ep.Addr = x.PublicIP
				return ep, nil
			}
		}
		return ep, fmt.Errorf("%s: %s is not associated with an interface in the sources", ref, x.Label())
	case *model.ClientVPNEndpoint:
		ep.Kind = EndpointUnmodeled
		return ep, nil
	case *model.InternetGateway, *model.NATGateway, *model.PeeringConnection, *model.TransitGateway, *model.TGWAttachment,
		*model.VPNGateway, *model.EgressOnlyInternetGateway:
		ep.Kind = EndpointComponent
		return ep, nil
	}
	return ep, fmt.Errorf("%s: %s cannot be the end of a path", ref, model.Describe(el))
}

func (e *Engine) eniEndpoint(ep Endpoint, ni *model.NetworkInterface) Endpoint {
	ep.Kind = EndpointENI
	ep.ENI = ni
	ep.Subnet, _ = e.Net.Subnets.Get(ni.SubnetID)
	ep.VPC, _ = e.Net.VPCs.Get(ni.VPCID)
	return ep
}

// Query is one flow: from, to, protocol and ports. DstPort is the
// destination port (tcp/udp) or, for ICMP, the type (code in ICMPCode).
// SrcPort 0 means "any ephemeral port" (1024-65535): the result then says
// which source ports work.
type Query struct {
	From, To Endpoint
	Protocol model.Protocol
	DstPort  uint16
	// DstPortTo, when above DstPort, makes the destination ports the
	// range DstPort-DstPortTo (tcp/udp), answered in one traversal.
	DstPortTo uint16
	// AnyDstPort asks for every destination port (protocol -1 or ports not given).
	AnyDstPort bool
	SrcPort    uint16
	ICMPCode   int16 // -1: any code
}

// Result is the answer to a Query: the verdict, the outcome that explains
// it, and every outcome found.
type Result struct {
	Verdict Verdict
	// Best is the outcome shown: a reachable one if any, else a possibly
	// reachable one, else the blocked one that got furthest.
	Best *Outcome
	// Outcomes are all parts of the flow's packets and what happened to them.
	Outcomes []Outcome
	// SourcePorts are the client source ports that work (reachable
	// outcomes), when the query left the source port open.
	SourcePorts Ranges
	// Reason sums up the verdict in one sentence.
	Reason string
	// Services are the protocols and destination ports that work
	// (reachable outcomes) when the query asked for several.
	Services []string
	// Sources are the source addresses that work (reachable outcomes) when
	// only some of the queried ones do (from the internet, say); nil when
	// every queried source works or none does.
	Sources *ipset.Set
}

// Flow answers one single-flow question: can From open a connection to To
// with this protocol and port, and get the replies back.
func (e *Engine) Flow(ctx context.Context, q Query) Result {
	start, err := e.flowSpace(q)
	if err != nil {
		return Result{Verdict: PossiblyReachable, Reason: err.Error()}
	}
	switch {
	case q.To.Kind == EndpointLB:
		if lb, ok := q.To.Element.(*model.LoadBalancer); ok {
			return e.flowToLB(ctx, q, lb, e.lbInterfaces(lb), start)
		}
	case q.To.Kind == EndpointENI:
		if lb, ok := e.lbOf(q.To.ENI); ok {
			return e.flowToLB(ctx, q, lb, []*model.NetworkInterface{q.To.ENI}, start)
		}
	}
	var outs []Outcome
	if lb, ok := q.From.Element.(*model.LoadBalancer); ok && q.From.Kind == EndpointLB {
		// From a load balancer: from any of its interfaces.
		nodes := e.lbInterfaces(lb)
		if len(nodes) == 0 {
			return Result{Verdict: PossiblyReachable, Reason: "the interfaces of " + lb.Label() + " are not in the sources"}
		}
		for _, ni := range nodes {
			outs = append(outs, e.Trace(ctx, e.eniEndpoint(Endpoint{Ref: ni.ID}, ni), q.To, start)...)
		}
	} else {
		outs = e.Trace(ctx, q.From, q.To, start)
	}
	r := summarize(outs, q.SrcPort == 0 && q.Protocol.HasPorts() || q.Protocol == model.ProtoAll && q.SrcPort == 0)
	// Addresses AWS picks at deploy time were widened to the subnet: the
	// answer is definite only if every one of them works.
	if r.Verdict == Reachable {
		for i, ep := range []Endpoint{q.From, q.To} {
			if ep.Kind != EndpointENI || hasAddress(ep.ENI) || ep.Addr.IsValid() {
				continue
			}
			want := e.eniAddrs(ep.ENI, false)
			var got ipset.Builder
			for _, o := range outs {
				if o.Verdict == Reachable {
					for _, c := range o.Space {
						if i == 0 {
							got.AddSet(c.Src)
						} else {
							got.AddSet(c.Dst)
						}
					}
				}
			}
			g := got.Set()
			// Packets addressed to a public address reach the private
			// ones through a translation, whose filters already
			// answered for every address it may map to.
			if !want.Equal(g.Intersect(want)) && g.Overlaps(want) {
				r.Verdict = PossiblyReachable
				r.Reason = fmt.Sprintf("only some of the addresses %s may get (picked by AWS at deploy time) can reach", ep.ENI.ID)
			}
		}
	}
	// A public IPv4 AWS assigns at deploy time: the packets were sent to
	// every value it can take, and the answer holds only if every one
	// of them is reached (a route for some public prefixes may decide).
	if r.Verdict == Reachable && q.To.Kind == EndpointENI && !q.To.Addr.IsValid() {
		if _, dst, err := e.goalOf(q.From, q.To); err == nil && covers(dst, publicV4) {
			var got ipset.Builder
			for _, o := range outs {
				if o.Verdict == Reachable {
					for _, c := range o.Space {
						got.AddSet(c.Dst)
					}
				}
			}
			if g := got.Set(); !covers(g, publicV4) {
				why, _ := e.publicUnknown(q.To.ENI)
				r.Verdict = PossiblyReachable
				r.Reason = fmt.Sprintf("reachable only when the public IPv4 of %s (%s) is one of %s", q.To.ENI.ID, why, describeSet(g.Intersect(publicV4)))
			}
		}
	}
	if r.Verdict == Reachable && (q.AnyDstPort || q.Protocol == model.ProtoAll || q.DstPortTo > q.DstPort) {
		var ok Space
		for _, o := range outs {
			if o.Verdict == Reachable {
				ok = append(ok, o.Space...)
			}
		}
		r.Services = ok.Services()
	}
	if r.Verdict == Reachable {
		var all, ok ipset.Builder
		for _, o := range outs {
			all.AddSet(o.Space.Sources())
			if o.Verdict == Reachable {
				ok.AddSet(o.Space.Sources())
			}
		}
		a := all.Set()
		k := ok.Set()
		if !a.Equal(k) {
			r.Sources = k
		}
	}
	return r
}

// flowSpace builds the packets of a query (addresses are filled by Trace).
func (e *Engine) flowSpace(q Query) (Cube, error) {
	c := AllPackets()
	c.Proto = ProtoOf(q.Protocol)
	switch {
	case q.Protocol.HasPorts() || q.Protocol == model.ProtoAll:
		if !q.AnyDstPort {
			c.DstPorts = RangeOf(model.PortRange{From: q.DstPort, To: max(q.DstPort, q.DstPortTo)})
		}
		if q.SrcPort != 0 {
			c.SrcPorts = RangeOf(model.PortRange{From: q.SrcPort, To: q.SrcPort})
		} else {
			c.SrcPorts = RangeOf(model.Ephemeral)
		}
		if q.Protocol == model.ProtoAll {
			// Every protocol; a port narrows it to tcp and udp, the
			// protocols that have ports.
			c.Proto = AllProtos()
			if !q.AnyDstPort {
				c.Proto = portProtos
			}
		}
	case q.Protocol.IsICMP():
		if q.AnyDstPort {
			c.DstPorts = AllRanges()
		} else {
			typ := int16(q.DstPort)
			c.DstPorts = ICMPRanges(model.ICMPMatch{Type: typ, Code: q.ICMPCode})
		}
	}
	return c, nil
}

// Trace follows a set of packets (the cube's protocol and ports; its
// addresses are narrowed to the endpoints') from one endpoint toward
// another and returns what happens to every part of them.
func (e *Engine) Trace(ctx context.Context, from, to Endpoint, packets Cube) []Outcome {
	if ep, ok := from.Element.(*model.ClientVPNEndpoint); ok {
		// A Client VPN endpoint as a source is one of its clients: the
		// default one (first address of the client CIDR, no device
		// routes, in no group). ClientTrace takes any other client.
		c, err := NewClient(ep, netip.Addr{}, nil, nil)
		if err != nil {
			return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{err.Error()}}}
		}
		return e.ClientTrace(ctx, c, to, packets)
	}
	for _, ep := range []Endpoint{from, to} {
		if why := e.unplaced(ep); why != "" {
			return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{why}}}
		}
	}
	for i, ep := range []Endpoint{from, to} {
		if in := e.silentInstance(ep.ENI); in != nil {
			what := "answers nothing"
			if i == 0 {
				what = "sends nothing"
			}
			return []Outcome{{Verdict: Unreachable, Space: Space{packets},
				Hops: []Hop{hopOf(in, "instance "+in.State)},
				BlockedBy: &Block{ID: in.ID, Type: in.Type(), Code: CodeBadState,
					Reason: fmt.Sprintf("instance %s is %s: an instance that is not running %s", in.Label(), in.State, what)}}}
		}
	}
	g, dst, err := e.goalOf(from, to)
	if err != nil {
		return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{err.Error()}}}
	}
	t := &tracer{e: e, g: g}
	c := packets
	c.Dst = c.Dst.Intersect(dst)
	c.Src = c.Src.Intersect(familiesOf(c.Dst))
	switch from.Kind {
	case EndpointENI:
		ni := from.ENI
		c.Src = c.Src.Intersect(e.sourceAddrs(ni, c.Dst))
		t.fromENI(&branch{space: Space{c}}, ni)
	case EndpointInternet, EndpointAddress:
		if from.Kind == EndpointAddress && from.VPC != nil {
			// An address of a VPC no interface holds: behaves like a host
			// in that subnet without security groups.
			return []Outcome{{Verdict: PossiblyReachable, Hops: []Hop{{ID: from.Label(), Type: "Address", Action: "source address"}},
				Reasons: []string{"no modelled interface holds " + from.Label() + ": its security groups are unknown"}}}
		}
		src := internetSet
		if from.Kind == EndpointAddress {
			src = SetOf(nil, from.Addr)
		}
		c.Src = c.Src.Intersect(src)
		e.fromOutside(t, from, Space{c})
	case EndpointComponent:
		e.fromComponent(t, from, c)
	case EndpointSubnet:
		// Any host of the subnet: its groups are unknown, so only the
		// network (routes, ACLs, gateways, the destination's groups) decides.
		sub := from.Subnet
		c.Src = c.Src.Intersect(SetOf(append([]netip.Prefix{sub.CIDR}, sub.IPv6CIDRs...)))
		b := &branch{space: Space{c}, hops: []Hop{hopOf(sub, "source: any address of the subnet")}, vpc: from.VPC, entered: fromInstance}
		b.possible("a subnet as source stands for any host in it, whose security groups are not known: name an interface or instance for a definite answer")
		t.route(b, sub)
	case EndpointVPC:
		return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{"a VPC as source is ambiguous: name a subnet, an interface or an instance of " + from.VPC.ID}}}
	case EndpointLB:
		return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{"load balancers as source are not modelled yet"}}}
	default:
		return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{from.Label() + " is not modelled yet as a source (Client VPN)"}}}
	}
	return t.outs
}

// silentInstance returns the instance an interface belongs to when that
// instance is not running (pending, stopping, stopped, shutting-down or
// terminated), and nil otherwise.
func (e *Engine) silentInstance(ni *model.NetworkInterface) *model.Instance {
	if ni == nil || ni.OwnerKind != model.OwnerInstance || ni.OwnerID == "" {
		return nil
	}
	in, ok := e.Net.Instances.Get(ni.OwnerID)
	if !ok || in.Answers() {
		return nil
	}
	return in
}

// familiesOf is every address of the families (IPv4, IPv6) present in s.
func familiesOf(s *ipset.Set) *ipset.Set {
	v4 := s.Overlaps(fullV4)
	v6 := s.Overlaps(fullV6)
	switch {
	case v4 && v6:
		return fullSet
	case v4:
		return fullV4
	case v6:
		return fullV6
	}
	return emptySet
}

// sourceAddrs is the address a flow from an interface leaves with: the
// primary IPv4 for IPv4 destinations, the first IPv6 for IPv6 ones.
func (e *Engine) sourceAddrs(ni *model.NetworkInterface, dst *ipset.Set) *ipset.Set {
	var addrs []netip.Addr
	if p, ok := ni.PrimaryIP(); ok && p.IsValid() {
		addrs = append(addrs, p)
	}
	if len(ni.IPv6) > 0 {
		addrs = append(addrs, ni.IPv6[0])
	}
	if len(addrs) == 0 {
		return e.eniAddrs(ni, false)
	}
	return SetOf(nil, addrs...)
}

// goalOf turns the destination endpoint into a goal and its address set.
func (e *Engine) goalOf(from, to Endpoint) (goal, *ipset.Set, error) {
	switch to.Kind {
	case EndpointENI:
		g := goal{kind: goalENI, eni: to.ENI, label: to.Label()}
		if to.Addr.IsValid() {
			return g, SetOf(nil, to.Addr), nil
		}
		if from.Kind == EndpointInternet || (from.Kind == EndpointAddress && from.VPC == nil && IsPublic(from.Addr)) ||
			(from.Kind == EndpointComponent && isType(from.Element, model.TypeInternetGateway)) ||
			(from.Kind == EndpointENI && from.ENI.VPCID != to.ENI.VPCID && !e.privatelyConnected(from.ENI.VPCID, to.ENI.VPCID)) {
			// From outside, the interface is reached at its public addresses.
			var pubs []netip.Addr
			pubs = append(pubs, to.ENI.PublicIPs()...)
			for _, a := range to.ENI.IPv6 {
				if IsPublic(a) {
					pubs = append(pubs, a)
				}
			}
			var pub *ipset.Set
			if len(pubs) > 0 {
				pub = SetOf(nil, pubs...)
			} else if why, assigned := e.publicUnknown(to.ENI); why != "" {
				pub = internetSet
				if assigned {
					pub = publicV4 // a public IPv4 of unknown value
				}
			}
			if pub != nil {
				if from.Kind == EndpointENI && e.mayConnectPrivately(from.ENI.VPCID) {
					// The source's VPC is not in the sources, or routes to a
					// gateway the sources lack, which may connect it
					// privately: both addresses.
					return g, pub.Union(e.eniAddrs(to.ENI, false)), nil
				}
				return g, pub, nil
			}
		}
		if p, ok := to.ENI.PrimaryIP(); ok && p.IsValid() {
			return g, SetOf(nil, p), nil
		}
		return g, e.eniAddrs(to.ENI, false), nil
	case EndpointSubnet:
		return goal{kind: goalSubnet, subnet: to.Subnet, vpc: to.VPC, label: to.Label()}, SetOf(append([]netip.Prefix{to.Subnet.CIDR}, to.Subnet.IPv6CIDRs...)), nil
	case EndpointVPC:
		return goal{}, nil, fmt.Errorf("a VPC as destination is ambiguous: name a subnet, an interface or an address of %s", to.VPC.ID)
	case EndpointAddress:
		if to.VPC != nil {
			return goal{kind: goalAddress, vpc: to.VPC, subnet: to.Subnet, id: to.Addr.String(), label: to.Label()}, SetOf(nil, to.Addr), nil
		}
		return goal{kind: goalExternal, label: to.Label()}, SetOf(nil, to.Addr), nil
	case EndpointInternet:
		return goal{kind: goalExternal, label: "internet"}, internetSet, nil
	case EndpointComponent:
		dst := fullSet
		if isType(to.Element, model.TypeInternetGateway) {
			dst = internetSet
		}
		return goal{kind: goalComponent, id: to.Element.Base().ID, typ: to.Element.Type(), label: to.Label()}, dst, nil
	case EndpointLB:
		return goal{}, nil, fmt.Errorf("a load balancer as destination is answered by Flow, not Trace: name one of its interfaces")
	}
	return goal{}, nil, fmt.Errorf("%s is not modelled yet as a destination (Client VPN)", to.Label())
}

func isType(el model.Element, typ string) bool { return el != nil && el.Type() == typ }

// unplaced says why an interface endpoint cannot be placed in the network:
// its subnet is unknown (a template parameter without value) or not in the
// sources. Nothing can then be concluded about its paths, either way.
func (e *Engine) unplaced(ep Endpoint) string {
	if ep.Kind != EndpointENI || ep.ENI == nil {
		return ""
	}
	ni := ep.ENI
	if ni.SubnetID == "" {
		why := "its subnet is not known"
		for _, u := range ni.Unknowns {
			if u.Field == "SubnetId" {
				why = "its subnet is unknown (" + u.Reason + ")"
			}
		}
		return ni.ID + ": " + why + ", so where it sits in the network cannot be told"
	}
	if _, ok := e.Net.Subnets.Get(ni.SubnetID); !ok {
		return fmt.Sprintf("%s: its subnet %s is not in the sources, so where it sits in the network cannot be told", ni.ID, ni.SubnetID)
	}
	return ""
}

// privatelyConnected reports whether two VPCs are joined by a peering or a
// common transit gateway (then private addresses are used).
func (e *Engine) privatelyConnected(a, b string) bool {
	for _, p := range e.Net.PeeringsOf(a) {
		if _, r, ok := p.Side(a); ok && r.VPCID == b {
			return true
		}
	}
	tg := map[string]bool{}
	for _, at := range e.Net.TGWAttachmentsOf(a) {
		tg[at.TransitGatewayID] = true
	}
	for _, at := range e.Net.TGWAttachmentsOf(b) {
		if tg[at.TransitGatewayID] {
			return true
		}
	}
	return false
}

// fromOutside starts packets outside AWS: from the internet through the
// destination VPC's internet gateway, or from on-premises (a private
// address) through its VPN gateway.
func (e *Engine) fromOutside(t *tracer, from Endpoint, s Space) {
	b := &branch{space: s, hops: []Hop{{ID: from.Label(), Type: "Internet", Action: "source outside AWS"}}, entered: fromInternet}
	if t.g.kind != goalENI {
		t.blocked(b, s, Hop{ID: t.g.label, Type: "Address", Action: "not an address of the sources"}, &Block{ID: t.g.label, Type: "Address", Code: CodeNoRoute,
			Reason: t.g.label + " is not the public address of an interface in the sources: traffic from outside AWS to it never enters them"})
		return
	}
	if from.Kind == EndpointAddress && !IsPublic(from.Addr) {
		e.fromOnPremises(t, b)
		return
	}
	t.internetIngress(b, t.g.eni)
}

// fromOnPremises starts packets at a private address outside the model:
// they can come in through the destination VPC's VPN gateway or a transit
// gateway attachment to a VPN or Direct Connect.
func (e *Engine) fromOnPremises(t *tracer, b *branch) {
	ni := t.g.eni
	found := false
	if vgw, ok := e.Net.VPNGatewayOf(ni.VPCID); ok {
		found = true
		nb := b.with(b.space, hopOf(vgw, "from on-premises"))
		nb.vpc, _ = e.Net.VPCs.Get(ni.VPCID)
		nb.entered = fromVGW
		t.gatewayIngress(nb, vgw.ID, ni)
	}
	for _, a := range e.Net.TGWAttachmentsOf(ni.VPCID) {
		found = true
		t.maybe(b, b.space, hopOf(a, "transit gateway attachment"), "packets from on-premises may come through "+a.TransitGatewayID+"; its VPN and Direct Connect routes are outside the sources")
	}
	if !found {
		t.blocked(b, b.space, b.hops[0], &Block{ID: ni.VPCID, Type: model.TypeVPC, Code: CodeNoRoute, Reason: ni.VPCID + " has no VPN gateway or transit gateway: private addresses outside AWS cannot reach it"})
	}
}

// fromComponent starts packets at a gateway: they enter the destination's
// VPC through it.
func (e *Engine) fromComponent(t *tracer, from Endpoint, c Cube) {
	if t.g.kind != goalENI {
		t.outs = append(t.outs, Outcome{Verdict: PossiblyReachable, Reasons: []string{"from a gateway, name an interface or instance as destination"}})
		return
	}
	edge := Edge{ID: from.Element.Base().ID}
	switch from.Element.(type) {
	case *model.InternetGateway:
		edge.Kind = EdgeInternet
	case *model.PeeringConnection:
		edge.Kind = EdgePeering
	case *model.VPNGateway:
		edge.Kind = EdgeVPNGateway
	case *model.TGWAttachment, *model.TransitGateway:
		edge.Kind = EdgeTransitGateway
	default:
		t.outs = append(t.outs, Outcome{Verdict: PossiblyReachable, Reasons: []string{"traffic entering from " + from.Label() + " is not modelled"}})
		return
	}
	e.enterFrom(t, edge, t.g.eni, c)
}

// summarize turns outcomes into a verdict.
func summarize(outs []Outcome, wantPorts bool) Result {
	r := Result{Outcomes: outs, Verdict: Unreachable}
	var reach, maybe, block []int
	for i, o := range outs {
		switch o.Verdict {
		case Reachable:
			reach = append(reach, i)
		case PossiblyReachable:
			maybe = append(maybe, i)
		default:
			block = append(block, i)
		}
	}
	switch {
	case len(reach) > 0:
		r.Verdict = Reachable
		r.Best = &outs[reach[0]]
		if wantPorts {
			for _, i := range reach {
				r.SourcePorts = r.SourcePorts.Union(outs[i].Space.SrcPorts())
			}
		}
		r.Reason = "the flow reaches its destination and the replies come back"
	case len(maybe) > 0:
		r.Verdict = PossiblyReachable
		r.Best = &outs[maybe[0]]
		r.Reason = strings.Join(r.Best.Reasons, "; ")
	case len(block) > 0:
		// The blocked part that got furthest explains best.
		best := block[0]
		for _, i := range block[1:] {
			if len(outs[i].Hops)+len(outs[i].ReturnHops) > len(outs[best].Hops)+len(outs[best].ReturnHops) {
				best = i
			}
		}
		r.Best = &outs[best]
		if r.Best.BlockedBy != nil {
			r.Reason = r.Best.BlockedBy.Reason
		}
	default:
		r.Reason = "no packet of the flow can be sent (empty flow)"
	}
	return r
}

// EdgeKind is where packets enter a VPC from.
type EdgeKind string

// Edge kinds (cli.md exposure "from.kind").
const (
	EdgeInternet       EdgeKind = "internet"
	EdgePeering        EdgeKind = "vpc-peering"
	EdgeTransitGateway EdgeKind = "transit-gateway"
	EdgeVPNGateway     EdgeKind = "vpn-gateway"
)

// Edge is a place packets enter a VPC from: the internet through an
// internet gateway, a peering connection, a transit gateway attachment,
// a virtual private gateway.
type Edge struct {
	Kind EdgeKind
	// ID is the igw-, pcx-, tgw-attach- or vgw- ID.
	ID string
	// Sources are the addresses packets may come from; nil means the
	// natural set (every public address for the internet, the peer VPC's
	// CIDRs for a peering, every address for TGW and VGW).
	Sources *ipset.Set
	// Unknown, when set, says why the edge may exist although the sources
	// do not hold its gateway: a route names a gateway that is not in
	// them, or neither the routes nor that kind of gateway were
	// collected. Everything through it is possibly-reachable.
	Unknown string
}

// Edges lists the edges through which packets can enter a VPC.
func (e *Engine) Edges(vpcID string) []Edge {
	if es, ok := e.edges.Load(vpcID); ok {
		return es.([]Edge)
	}
	es := e.edgesOf(vpcID)
	e.edges.Store(vpcID, es)
	return es
}

// edgesOf computes Edges.
func (e *Engine) edgesOf(vpcID string) []Edge {
	var out []Edge
	if g, ok := e.Net.InternetGatewayOf(vpcID); ok {
		out = append(out, Edge{Kind: EdgeInternet, ID: g.ID})
	} else if id, why := e.missingIGW(vpcID); why != "" {
		// A route names a gateway the sources lack: the internet may
		// come in through it (its outcomes say possibly, and why).
		out = append(out, Edge{Kind: EdgeInternet, ID: id})
	}
	for _, p := range e.Net.PeeringsOf(vpcID) {
		out = append(out, Edge{Kind: EdgePeering, ID: p.ID})
	}
	for _, a := range e.Net.TGWAttachmentsOf(vpcID) {
		out = append(out, Edge{Kind: EdgeTransitGateway, ID: a.ID})
	}
	if g, ok := e.Net.VPNGatewayOf(vpcID); ok {
		out = append(out, Edge{Kind: EdgeVPNGateway, ID: g.ID})
	}
	return append(out, e.missingEdges(vpcID, out)...)
}

// missingEdges are the private edges a VPC may have although the sources
// do not hold them: a route in use names a peering, VPN gateway or
// transit gateway that is not in the sources (the packets it routes there
// may come back from there), or the VPC's routes are unknown and that kind
// of gateway was not collected. known are the edges the sources hold.
func (e *Engine) missingEdges(vpcID string, known []Edge) []Edge {
	vpc, ok := e.Net.VPCs.Get(vpcID)
	if !ok {
		return nil
	}
	have := map[string]bool{}
	for _, ed := range known {
		have[ed.ID] = true
		if ed.Kind == EdgeTransitGateway {
			if a, ok := e.Net.TGWAttachments.Get(ed.ID); ok {
				have[a.TransitGatewayID] = true
			}
		}
	}
	type missing struct {
		kind  EdgeKind
		id    string
		dests []netip.Prefix
		why   string
	}
	var order []string
	found := map[string]*missing{}
	add := func(id string, kind EdgeKind, dest netip.Prefix, why string) {
		m := found[id]
		if m == nil {
			m = &missing{kind: kind, id: id, why: why}
			found[id] = m
			order = append(order, id)
		}
		if dest.IsValid() {
			m.dests = append(m.dests, dest)
		}
	}
	tables, routesUnknown := e.tablesInUse(vpcID)
	for _, rt := range tables {
		for _, r := range rt.Routes {
			if r.State == model.RouteBlackhole || have[r.TargetID] {
				continue
			}
			dest := r.Destination
			if !dest.IsValid() {
				dest = netip.Prefix{} // a prefix list or unknown destination: any address
			}
			switch r.TargetKind {
			case model.TargetPeering:
				if _, ok := e.Net.PeeringConnections.Get(r.TargetID); !ok {
					add(r.TargetID, EdgePeering, dest, fmt.Sprintf("%s routes to peering %s, which is not in the sources", rt.ID, r.TargetID))
				}
			case model.TargetVPNGateway:
				if _, ok := e.Net.VPNGateways.Get(r.TargetID); !ok {
					add(r.TargetID, EdgeVPNGateway, dest, fmt.Sprintf("%s routes to VPN gateway %s, which is not in the sources", rt.ID, r.TargetID))
				}
			case model.TargetTransitGateway:
				add(r.TargetID, EdgeTransitGateway, dest, fmt.Sprintf("%s routes to transit gateway %s, but no attachment of %s to it is in the sources", rt.ID, r.TargetID, vpcID))
			}
		}
	}
	if routesUnknown {
		for _, k := range []struct {
			kind EdgeKind
			typ  string
		}{{EdgePeering, model.TypePeering}, {EdgeTransitGateway, model.TypeTGWAttachment}, {EdgeVPNGateway, model.TypeVPNGateway}} {
			if why := e.Net.NotCovered(k.typ, vpc); why != "" {
				key := string(k.kind) + "|(not collected)"
				found[key] = &missing{kind: k.kind, id: "(not collected)", why: why + " and the routes of " + vpcID + " are unknown: it may have one"}
				order = append(order, key)
			}
		}
	}
	own := e.vpcCIDRs(vpc)
	var out []Edge
	for _, key := range order {
		m := found[key]
		src := fullSet.Minus(own)
		if len(m.dests) > 0 && !slices.Contains(m.dests, netip.Prefix{}) {
			// Replies go back only to what the routes send there.
			src = src.Intersect(SetOf(m.dests))
		}
		out = append(out, Edge{Kind: m.kind, ID: m.id, Sources: src, Unknown: m.why})
	}
	return out
}

// Reach is one set of packets from an edge that can open a connection to
// an interface and get the replies back, with the evidence.
type Reach = Outcome

// InboundFrom answers, in one traversal, which packets arriving from an
// edge can open a connection to an interface and get the replies back:
// every (source address × protocol × destination port) at once. It returns
// the reachable and possibly-reachable outcomes; each one's Space holds
// the packets (Src: the remote addresses; Dst: the interface's public or
// private addresses; Proto and DstPorts: what is open) and Hops/ReturnHops
// the evidence. Source ports are left open (all).
func (e *Engine) InboundFrom(edge Edge, eni *model.NetworkInterface) []Reach {
	t := &tracer{e: e, g: goal{kind: goalENI, eni: eni, label: eni.ID}}
	e.enterFrom(t, edge, eni, AllPackets())
	var out []Reach
	for _, o := range t.outs {
		if o.Verdict != Unreachable {
			out = append(out, o)
		}
	}
	return out
}

// InboundAll is InboundFrom returning the blocked outcomes too.
func (e *Engine) InboundAll(edge Edge, eni *model.NetworkInterface, packets Cube) []Outcome {
	t := &tracer{e: e, g: goal{kind: goalENI, eni: eni, label: eni.ID}}
	e.enterFrom(t, edge, eni, packets)
	return t.outs
}

// enterFrom starts packets at an edge toward an interface of its VPC.
func (e *Engine) enterFrom(t *tracer, edge Edge, ni *model.NetworkInterface, c Cube) {
	vpc, _ := e.Net.VPCs.Get(ni.VPCID)
	switch edge.Kind {
	case EdgeInternet:
		src := internetSet
		if edge.Sources != nil {
			src = edge.Sources
		}
		var dsts []netip.Addr
		dsts = append(dsts, ni.PublicIPs()...)
		for _, a := range ni.IPv6 {
			if IsPublic(a) {
				dsts = append(dsts, a)
			}
		}
		c.Src = c.Src.Intersect(src)
		dst := SetOf(nil, dsts...)
		if why, assigned := e.publicUnknown(ni); why != "" {
			dst = internetSet
			if assigned {
				dst = SetOf(nil, dsts...).Union(publicV4) // a public IPv4 of unknown value
			}
		}
		if dst.Empty() {
			dst = e.eniAddrs(ni, false) // blocked at the gateway with the reason
		}
		c.Dst = c.Dst.Intersect(dst)
		c.Src = c.Src.Intersect(familiesOf(c.Dst))
		b := &branch{space: Space{c}, hops: []Hop{{ID: "internet", Type: "Internet", Action: "source on the internet"}}, entered: fromInternet}
		t.internetIngress(b, ni)
	case EdgePeering:
		pcx, ok := e.Net.PeeringConnections.Get(edge.ID)
		if !ok {
			if edge.Unknown != "" {
				e.enterUnknown(t, edge, ni, vpc, c, model.TypePeering, fromPeering, "from a peer VPC")
			}
			return
		}
		_, remote, ok := pcx.Side(ni.VPCID)
		if !ok {
			return
		}
		src := edge.Sources
		if src == nil {
			cidrs := append(slices.Clip(remote.CIDRs), remote.IPv6CIDRs...)
			if rv, ok := e.Net.VPCs.Get(remote.VPCID); ok {
				cidrs = append(slices.Clip(rv.CIDRs), rv.IPv6CIDRs...)
			}
			src = SetOf(cidrs)
		}
		c.Src = c.Src.Intersect(src)
		c.Dst = c.Dst.Intersect(e.eniAddrs(ni, false))
		b := &branch{space: Space{c}, hops: []Hop{hopOf(pcx, "from the peer VPC "+remote.VPCID)}, vpc: vpc, entered: fromPeering}
		if !pcx.IsActive() {
			t.blocked(b, b.space, b.hops[0], &Block{ID: pcx.ID, Type: pcx.Type(), Code: CodeBadState, Reason: pcx.ID + " is " + pcx.Status})
			return
		}
		t.local(b, nil)
	case EdgeTransitGateway:
		att, ok := e.Net.TGWAttachments.Get(edge.ID)
		if !ok {
			for _, a := range e.Net.TGWAttachmentsOf(ni.VPCID) {
				if a.TransitGatewayID == edge.ID {
					att, ok = a, true
				}
			}
		}
		if !ok {
			if edge.Unknown != "" {
				e.enterUnknown(t, edge, ni, vpc, c, model.TypeTransitGateway, fromTGW, "from a transit gateway")
			}
			return
		}
		c = e.edgePackets(edge, vpc, ni, c)
		b := &branch{space: Space{c}, hops: []Hop{hopOf(att, "from transit gateway "+att.TransitGatewayID), {ID: att.TransitGatewayID, Type: model.TypeTransitGateway, Action: "transit gateway"}}, vpc: vpc, entered: fromTGW, tgwAtt: att}
		var asub *model.Subnet
		for _, sid := range att.SubnetIDs {
			if s, ok := e.Net.Subnets.Get(sid); ok {
				if asub == nil || s.AvailabilityZone == t.subnetAZ(ni.SubnetID) {
					asub = s
				}
			}
		}
		if asub == nil {
			t.local(b, nil)
			return
		}
		t.route(b, asub)
	case EdgeVPNGateway:
		c = e.edgePackets(edge, vpc, ni, c)
		b := &branch{space: Space{c}, hops: []Hop{{ID: edge.ID, Type: model.TypeVPNGateway, Action: "from on-premises"}}, vpc: vpc, entered: fromVGW}
		if edge.Unknown != "" {
			b.hops[0].Action = "from on-premises (not in the sources)"
			b.possible(edge.Unknown)
		}
		t.gatewayIngress(b, edge.ID, ni)
	}
}

// enterUnknown starts packets at an edge whose gateway is not in the
// sources: they arrive in the VPC from edge.Sources, possibly, and meet
// the subnet's network ACL, the groups and the reply route as any other.
func (e *Engine) enterUnknown(t *tracer, edge Edge, ni *model.NetworkInterface, vpc *model.VPC, c Cube, typ string, entered entry, action string) {
	if vpc == nil {
		return
	}
	c = e.edgePackets(edge, vpc, ni, c)
	b := &branch{space: Space{c}, hops: []Hop{{ID: edge.ID, Type: typ, Action: action + " (not in the sources)"}}, vpc: vpc, entered: entered}
	b.possible(edge.Unknown)
	t.local(b, nil)
}

// mayConnectPrivately reports whether a VPC may reach others privately
// through what the sources do not hold: the VPC itself is not in them, or
// its routes name a gateway they lack.
func (e *Engine) mayConnectPrivately(vpcID string) bool {
	if _, ok := e.Net.VPCs.Get(vpcID); !ok {
		return true
	}
	for _, ed := range e.Edges(vpcID) {
		if ed.Unknown != "" {
			return true
		}
	}
	return false
}

// edgePackets narrows packets entering a VPC at an edge to those from the
// edge's sources (every address outside the VPC when it names none) to the
// interface's addresses.
func (e *Engine) edgePackets(edge Edge, vpc *model.VPC, ni *model.NetworkInterface, c Cube) Cube {
	src := edge.Sources
	if src == nil {
		src = fullSet.Minus(e.vpcCIDRs(vpc))
	}
	c.Src = c.Src.Intersect(src)
	c.Dst = c.Dst.Intersect(e.eniAddrs(ni, false))
	return c
}
