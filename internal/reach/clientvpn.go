package reach

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Client VPN (aws-behaviour.md §6): a device connected to a Client VPN
// endpoint sends some of its traffic into the tunnel (all of it for a full
// tunnel except its own routes, only the endpoint's routes for a split
// tunnel); the endpoint forwards it when a Client VPN route and an
// authorization rule cover the destination, source-NATs it to its
// interface in the route's target subnet, and from there it travels like
// any other flow from that subnet.
//
// Sources:
// https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/split-tunnel-vpn.html (R6.3, R6.4),
// https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-routes.html (R6.5),
// https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/auth-rule-example-scenarios.html (R6.6),
// https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/what-is.html (R6.7 source NAT).

// Explanation codes for Client VPN. Reachability Analyzer does not analyse
// Client VPN, so these are vpcreach's own, named in its style.
const (
	// CodeClientVPNNoAuthorization: no authorization rule of the longest
	// matching prefix admits the client's groups (R6.6).
	CodeClientVPNNoAuthorization = "CVPN_AUTHORIZATION_RULE_MISMATCH"
	// CodeClientVPNLinkLocal: a link-local service address (169.254.x.x)
	// answers only the instance itself, never a client (R1.3).
	CodeClientVPNLinkLocal = "CVPN_LINK_LOCAL_DESTINATION"
)

// Hop types for the client side of a Client VPN flow.
const (
	TypeClientVPNClient = "ClientVPNClient"
	TypeClientDevice    = "ClientDevice"
)

// Client is a device connected to a Client VPN endpoint.
type Client struct {
	Endpoint *model.ClientVPNEndpoint
	// Addr is the client's address in the client CIDR.
	Addr netip.Addr
	// Local are the device's routes that stay outside the tunnel (its LAN).
	Local []netip.Prefix
	// Groups are the user's groups, for group authorization rules; none
	// means a user in no group.
	Groups []string
}

// NewClient checks and completes a client of endpoint ep: addr defaults to
// the first usable address of the client CIDR.
func NewClient(ep *model.ClientVPNEndpoint, addr netip.Addr, local []netip.Prefix, groups []string) (Client, error) {
	c := Client{Endpoint: ep, Addr: addr, Local: local, Groups: groups}
	if !addr.IsValid() {
		if !ep.ClientCIDR.IsValid() {
			return c, fmt.Errorf("the client CIDR of %s is not in the sources: give the client's address", ep.ID)
		}
		c.Addr = ep.ClientCIDR.Masked().Addr().Next()
		return c, nil
	}
	if !addr.Is4() {
		return c, fmt.Errorf("client address %s: Client VPN gives clients IPv4 addresses (R6.9)", addr)
	}
	if ep.ClientCIDR.IsValid() && !ep.ClientCIDR.Contains(addr) {
		return c, fmt.Errorf("client address %s is not in the client CIDR %s of %s", addr, ep.ClientCIDR, ep.ID)
	}
	return c, nil
}

// Label names the client in output.
func (c Client) Label() string { return c.Endpoint.ID + " client " + c.Addr.String() }

// cvpnRouteGroup is the Client VPN routes of one destination.
type cvpnRouteGroup struct {
	dest    netip.Prefix
	subnets []string // target subnets ("local": client-to-client)
	implied bool     // the VPC route AWS adds on association, missing from the sources
}

// clientRoutes are the endpoint's route table: the listed routes, plus the
// VPC CIDR routes AWS adds for each target network (R6.5) when the sources
// leave them out.
func (e *Engine) clientRoutes(ep *model.ClientVPNEndpoint) []cvpnRouteGroup {
	byDest := map[netip.Prefix]*cvpnRouteGroup{}
	var order []netip.Prefix
	add := func(p netip.Prefix, subnet string, implied bool) {
		p = p.Masked()
		g := byDest[p]
		if g == nil {
			g = &cvpnRouteGroup{dest: p, implied: implied}
			byDest[p] = g
			order = append(order, p)
		}
		if !slices.Contains(g.subnets, subnet) {
			g.subnets = append(g.subnets, subnet)
		}
	}
	for _, r := range ep.Routes {
		if !r.Destination.IsValid() || strings.EqualFold(r.Status, "failed") || strings.EqualFold(r.Status, "deleting") {
			continue
		}
		add(r.Destination, r.TargetSubnet, false)
	}
	for _, tn := range ep.TargetNetworks {
		vpc, ok := e.Net.VPCOf(tn.SubnetID)
		if !ok {
			continue
		}
		for _, p := range vpc.CIDRs {
			if p.Addr().Is4() {
				if g, listed := byDest[p.Masked()]; !listed || g.implied {
					add(p, tn.SubnetID, true)
				}
			}
		}
	}
	out := make([]cvpnRouteGroup, 0, len(order))
	for _, p := range order {
		out = append(out, *byDest[p])
	}
	return out
}

// longestFirst splits set into the regions where each prefix is the
// longest match: f is called with each prefix's region, most specific
// first, and the rest (no prefix matches) is returned.
func longestFirst(set *ipset.Set, prefixes []netip.Prefix, f func(i int, region *ipset.Set)) *ipset.Set {
	idx := make([]int, len(prefixes))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(prefixes[b].Bits(), prefixes[a].Bits()) })
	rest := set
	for _, i := range idx {
		if !rest.OverlapsPrefix(prefixes[i]) {
			continue // cheap test first: most rules miss a single destination
		}
		region := rest.Intersect(SetOf([]netip.Prefix{prefixes[i]}))
		if region.Equal(emptySet) || len(region.Prefixes()) == 0 {
			continue
		}
		rest = rest.Minus(region)
		f(i, region)
	}
	return rest
}

// ClientTunnel splits addresses into those the client sends into the
// tunnel and those it sends on its own network: the device's routing is
// longest prefix over the pushed routes (a default route for a full
// tunnel, the endpoint's routes for a split tunnel, R6.3, R6.4) and its
// own routes outside the tunnel.
func (e *Engine) ClientTunnel(c Client, dst *ipset.Set) (tunnel, device *ipset.Set) {
	var pushed []netip.Prefix
	if !c.Endpoint.SplitTunnel {
		pushed = append(pushed, netip.MustParsePrefix("0.0.0.0/0"))
	}
	for _, g := range e.clientRoutes(c.Endpoint) {
		pushed = append(pushed, g.dest)
	}
	prefixes := append(slices.Clip(pushed), c.Local...)
	var tb, db ipset.Builder
	rest := longestFirst(dst, prefixes, func(i int, region *ipset.Set) {
		if i < len(pushed) {
			tb.AddSet(region)
		} else {
			db.AddSet(region)
		}
	})
	db.AddSet(rest)
	tunnel = tb.Set()
	device = db.Set()
	return tunnel, device
}

// ClientFlow answers a Query whose source is a Client VPN client (q.From
// is ignored): which packets enter the tunnel, the endpoint's route and
// authorization checks, source NAT to its interface in the target subnet,
// its security groups, then onward from that subnet.
func (e *Engine) ClientFlow(ctx context.Context, c Client, q Query) Result {
	start, err := e.flowSpace(q)
	if err != nil {
		return Result{Verdict: PossiblyReachable, Reason: err.Error()}
	}
	outs := e.ClientTrace(ctx, c, q.To, start)
	r := summarize(outs, q.SrcPort == 0 && q.Protocol.HasPorts() || q.Protocol == model.ProtoAll && q.SrcPort == 0)
	if r.Verdict == Reachable && (q.AnyDstPort || q.Protocol == model.ProtoAll) {
		var ok Space
		for _, o := range outs {
			if o.Verdict == Reachable {
				ok = append(ok, o.Space...)
			}
		}
		r.Services = ok.Services()
	}
	return r
}

// ClientTrace follows packets (the cube's protocol and ports) from a Client
// VPN client to an endpoint and returns what happens to every part.
func (e *Engine) ClientTrace(ctx context.Context, c Client, to Endpoint, packets Cube) []Outcome {
	ep := c.Endpoint
	g, dst, err := e.goalOf(Endpoint{Kind: EndpointUnmodeled, Ref: c.Label()}, to)
	if err != nil {
		return []Outcome{{Verdict: PossiblyReachable, Reasons: []string{err.Error()}}}
	}
	t := &tracer{e: e, g: g}
	first := Hop{ID: c.Addr.String(), Type: TypeClientVPNClient, Action: "client of " + ep.ID + " at " + c.Addr.String()}
	b := &branch{hops: []Hop{first}}
	if ep.HasUnknowns() {
		b.possible(fmt.Sprintf("%s has unknown values (%s)", ep.ID, unknownsOf(ep)))
	}
	cube := packets
	cube.Src = SetOf(nil, c.Addr)
	if v6 := dst.Minus(fullV4); len(v6.Prefixes()) > 0 {
		t.maybe(b, Space{withDst(cube, v6)}, Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: "IPv6 destination"},
			"IPv6 through "+ep.ID+" is not modelled: the sources describe an IPv4 Client VPN (R6.9)")
	}
	dst = dst.Intersect(fullV4)
	if len(dst.Prefixes()) == 0 {
		return t.outs
	}
	cube.Dst = dst
	b.space = Space{cube}

	tunnel, device := e.ClientTunnel(c, dst)
	if len(device.Prefixes()) > 0 {
		var own []string
		for _, p := range c.Local {
			if device.OverlapsPrefix(p) {
				own = append(own, p.String())
			}
		}
		where := func(set *ipset.Set) string {
			if ep.SplitTunnel {
				return "split tunnel: no route of " + ep.ID + " covers " + describeSet(set) + ", so the device sends it on its own network (R6.4)"
			}
			return "the device's own route " + strings.Join(own, ", ") + " (outside the tunnel, more specific than the pushed default route) sends " +
				describeSet(set) + " on its own network (R6.3)"
		}
		h := Hop{ID: "device-network", Type: TypeClientDevice, Action: "outside the tunnel"}
		// The device's own network reaches a VPC's private addresses only
		// over a VPN or Direct Connect into that VPC, like on-premises.
		if vpc := e.goalVPC(t.g); vpc != nil && !e.onPremisesPath(vpc.ID) {
			private := device.Minus(internetSet)
			if len(private.Prefixes()) > 0 {
				t.blocked(b, b.space.IntersectCube(dstCube(private)), h, &Block{ID: vpc.ID, Type: model.TypeVPC, Code: CodeNoRoute,
					Reason: where(private) + ", and " + vpc.ID + " has no VPN gateway and no transit gateway with a VPN or Direct Connect attachment through which a network outside AWS could reach it"})
				device = device.Minus(private)
			}
		}
		if len(device.Prefixes()) > 0 {
			t.maybe(b, b.space.IntersectCube(dstCube(device)), h, where(device)+", which the sources do not describe")
		}
	}
	if len(tunnel.Prefixes()) == 0 {
		return t.outs
	}
	mode := "full tunnel"
	if ep.SplitTunnel {
		mode = "split tunnel"
	}
	tb := b.with(b.space.IntersectCube(dstCube(tunnel)), Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: "into the tunnel (" + mode + ")"})
	e.clientRoute(t, tb, c)
	return t.outs
}

// goalVPC is the VPC a goal lies in, if any.
func (e *Engine) goalVPC(g goal) *model.VPC {
	switch {
	case g.eni != nil:
		v, _ := e.Net.VPCs.Get(g.eni.VPCID)
		if v == nil {
			v, _ = e.Net.VPCOf(g.eni.SubnetID)
		}
		return v
	case g.vpc != nil:
		return g.vpc
	case g.subnet != nil:
		v, _ := e.Net.VPCOf(g.subnet.ID)
		return v
	}
	return nil
}

// onPremisesPath reports whether anything could carry packets from a
// network outside AWS to the VPC's private addresses: a VPN gateway, or a
// transit gateway with a VPN, Direct Connect, Connect or peering
// attachment, or one whose attachments are not all in the sources.
// Peerings do not count: a peer's VPN gateway is no way in (edge-to-edge
// routing is not supported,
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html).
func (e *Engine) onPremisesPath(vpcID string) bool {
	if _, ok := e.Net.VPNGatewayOf(vpcID); ok {
		return true
	}
	for _, a := range e.Net.TGWAttachmentsOf(vpcID) {
		tgw, ok := e.Net.TransitGateways.Get(a.TransitGatewayID)
		if !ok || tgw.HasUnknowns() {
			return true
		}
		for _, o := range e.Net.TGWAttachments.All() {
			if o.TransitGatewayID == a.TransitGatewayID && o.ResourceType != "vpc" {
				return true
			}
		}
	}
	return false
}

// clientRoute applies the Client VPN route table (longest prefix, R6.5).
func (e *Engine) clientRoute(t *tracer, b *branch, c Client) {
	ep := c.Endpoint
	all := e.clientRoutes(ep)
	var landings []string
	for _, tn := range ep.TargetNetworks {
		if tn.SubnetID != "" && !slices.Contains(landings, tn.SubnetID) {
			landings = append(landings, tn.SubnetID)
		}
	}
	if len(landings) <= 1 {
		e.clientRouteVia(t, b, c, all)
		return
	}
	// A client lands on any associated subnet (DNS round-robin on the
	// endpoint's name) and uses the routes that target it (R6.5): follow
	// each, and when they differ no single answer holds for every client.
	var reached []Space
	var spans [][2]int
	for _, l := range landings {
		var groups []cvpnRouteGroup
		for _, g := range all {
			if slices.Contains(g.subnets, l) {
				g.subnets = []string{l}
				groups = append(groups, g)
			} else if slices.Contains(g.subnets, "local") {
				g.subnets = []string{"local"}
				groups = append(groups, g)
			}
		}
		start := len(t.outs)
		e.clientRouteVia(t, b.with(b.space, Hop{ID: l, Type: model.TypeSubnet, Action: "client connected through target network " + l}), c, groups)
		var ok Space
		for _, o := range t.outs[start:] {
			if o.Verdict == Reachable {
				ok = append(ok, o.Space...)
			}
		}
		reached = append(reached, withSrc(ok, SetOf(nil, c.Addr))) // compared before source NAT
		spans = append(spans, [2]int{start, len(t.outs)})
	}
	same := true
	for _, r := range reached[1:] {
		if !r.Subtract(reached[0]).Empty() || !reached[0].Subtract(r).Empty() {
			same = false
		}
	}
	if same {
		return
	}
	for i, sp := range spans {
		for j := sp[0]; j < sp[1]; j++ {
			if o := &t.outs[j]; o.Verdict == Reachable {
				o.Verdict = PossiblyReachable
				o.Reasons = uniq(append(slices.Clip(o.Reasons), "clients connect through any target network of "+ep.ID+
					" (R6.5): through "+landings[i]+" this works, through another it does not"))
			}
		}
	}
}

// clientRouteVia applies one landing subnet's Client VPN routes.
func (e *Engine) clientRouteVia(t *tracer, b *branch, c Client, groups []cvpnRouteGroup) {
	ep := c.Endpoint
	prefixes := make([]netip.Prefix, len(groups))
	for i, g := range groups {
		prefixes[i] = g.dest
	}
	dst := destinations(b.space)
	rest := longestFirst(dst, prefixes, func(i int, region *ipset.Set) {
		g := groups[i]
		action := "Client VPN route " + g.dest.String() + " → " + strings.Join(g.subnets, ", ")
		if g.implied {
			action += " (added with the target network, R6.5)"
		}
		nb := b.with(b.space.IntersectCube(dstCube(region)), Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: action})
		e.clientAuthorize(t, nb, c, g)
	})
	if len(rest.Prefixes()) > 0 {
		t.blocked(b, b.space.IntersectCube(dstCube(rest)), Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: "no Client VPN route"},
			&Block{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Code: CodeNoRoute,
				Reason: "no route in the Client VPN route table of " + ep.ID + " covers " + describeSet(rest) + ", so the endpoint drops it (R6.3, R6.5)"})
	}
}

// clientAuthorize applies the authorization rules: of the rules covering
// the destination only those of the longest prefix count, and one of them
// must admit every user or one of the client's groups (R6.6).
func (e *Engine) clientAuthorize(t *tracer, b *branch, c Client, rg cvpnRouteGroup) {
	ep := c.Endpoint
	var prefixes []netip.Prefix
	rules := map[netip.Prefix][]model.ClientVPNAuthorizationRule{}
	for _, r := range ep.AuthorizationRules {
		if !r.Destination.IsValid() || !r.Destination.Addr().Is4() || strings.EqualFold(r.Status, "failed") || strings.EqualFold(r.Status, "revoking") {
			continue
		}
		p := r.Destination.Masked()
		if rules[p] == nil {
			prefixes = append(prefixes, p)
		}
		rules[p] = append(rules[p], r)
	}
	rest := longestFirst(destinations(b.space), prefixes, func(i int, region *ipset.Set) {
		p := prefixes[i]
		part := b.space.IntersectCube(dstCube(region))
		var names []string
		ok := ""
		for _, r := range rules[p] {
			switch {
			case r.AccessAll:
				ok = "authorization rule " + p.String() + " allows every user"
			case slices.Contains(c.Groups, r.GroupID):
				if ok == "" {
					ok = "authorization rule " + p.String() + " allows group " + r.GroupID
				}
			default:
				names = append(names, r.GroupID)
			}
		}
		h := Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint}
		if ok == "" {
			who := "a user in no group"
			if len(c.Groups) > 0 {
				who = "a user in " + strings.Join(c.Groups, ", ")
			}
			h.Action = "authorization rule " + p.String() + " denies"
			t.blocked(b, part, h, &Block{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Code: CodeClientVPNNoAuthorization,
				Reason: fmt.Sprintf("the most specific authorization rules of %s for %s (%s) allow only group %s, not %s; rules for shorter prefixes do not count (R6.6)",
					ep.ID, describeSet(region), p, strings.Join(uniq(names), ", "), who)})
			return
		}
		h.Action = ok
		e.clientSNAT(t, b.with(part, h), c, rg)
	})
	if len(rest.Prefixes()) > 0 {
		t.blocked(b, b.space.IntersectCube(dstCube(rest)), Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: "no authorization rule"},
			&Block{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Code: CodeClientVPNNoAuthorization,
				Reason: "no authorization rule of " + ep.ID + " covers " + describeSet(rest) + ": access is denied by default (R6.6)"})
	}
}

// linkLocal are addresses only the instance itself reaches (R1.3).
var linkLocal = SetOf([]netip.Prefix{netip.MustParsePrefix("169.254.0.0/16")})

// clientSNAT source-NATs the packets to the endpoint's interface in each
// target subnet of the route (R6.7) and continues from that interface:
// its security groups (the endpoint's), the subnet's route table and
// network ACL.
func (e *Engine) clientSNAT(t *tracer, b *branch, c Client, rg cvpnRouteGroup) {
	ep := c.Endpoint
	if ll := b.space.IntersectCube(dstCube(linkLocal)); !ll.Empty() {
		t.blocked(b, ll, Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: "link-local destination"},
			&Block{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Code: CodeClientVPNLinkLocal,
				Reason: "169.254.x.x service addresses (Amazon DNS 169.254.169.253, instance metadata, Time Sync) answer only the instance itself, not a Client VPN client (R1.3, R6.2)"})
		b = b.with(b.space.SubtractCube(dstCube(linkLocal)))
		if b.space.Empty() {
			return
		}
	}
	for _, sid := range rg.subnets {
		if sid == "local" || sid == "" {
			t.maybe(b, b.space, Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Action: "client-to-client route"},
				"client-to-client traffic through "+ep.ID+" is not modelled")
			continue
		}
		sub, ok := e.Net.Subnets.Get(sid)
		if !ok {
			t.maybe(b, b.space, Hop{ID: sid, Type: model.TypeSubnet, Action: "target subnet"}, "target subnet "+sid+" of "+ep.ID+" is not in the sources")
			continue
		}
		ni := e.clientENI(ep, sub)
		src := e.sourceAddrs(ni, fullV4)
		nb := b.with(withSrc(b.space, src), Hop{ID: ni.ID, Type: model.TypeNetworkInterface,
			Action:      "Client VPN interface in target subnet " + sid,
			Translation: fmt.Sprintf("source NAT %s → %s, ports kept (R6.7)", c.Addr, describeSet(src))})
		nb.onReply(func(s Space) []piece {
			return []piece{{space: s, pass: true, hop: Hop{ID: ep.ID, Type: model.TypeClientVPNEndpoint,
				Action: "reply translated back to " + c.Addr.String() + " and sent through the tunnel"}}}
		})
		_, listed := e.Net.NetworkInterfaces.Get(ni.ID)
		first := len(t.outs)
		t.fromENI(nb, ni)
		if !listed {
			// The interface the sources lack has one address of the
			// subnet, unknown: the packets left from every address it
			// may have, and the answer is definite only where all of
			// them agree. Rules naming the endpoint's groups match it by
			// membership (sgFilterVia), whatever its address.
			t.agreeOverAddresses(first, src, "the interface of "+ep.ID+" in "+sid+" is not in the sources: its address is one of "+describeSet(src))
		}
	}
}

// agreeOverAddresses makes the outcomes from index first on, whose packets
// left from every address an interface of unknown address may have (src),
// possibly-reachable where they disagree: reachable ones when only some of
// those addresses get through (the blocked ones hold for the others).
func (t *tracer) agreeOverAddresses(first int, src *ipset.Set, why string) {
	var ok ipset.Builder
	for _, o := range t.outs[first:] {
		if o.Verdict == Reachable {
			for _, c := range o.Space {
				ok.AddSet(c.Src)
			}
		}
	}
	okSet := ok.Set()
	allReach := covers(okSet, src)
	for i := first; i < len(t.outs); i++ {
		o := &t.outs[i]
		if o.Verdict == Reachable && !allReach {
			o.Verdict = PossiblyReachable
			o.Reasons = uniq(append(slices.Clip(o.Reasons), why))
		}
	}
}

// clientENI is the endpoint's interface in a target subnet: the one in the
// sources, else one standing for it with the endpoint's security groups
// (the VPC's default group when it names none, R6.8) and an unknown
// address in the subnet.
func (e *Engine) clientENI(ep *model.ClientVPNEndpoint, sub *model.Subnet) *model.NetworkInterface {
	sgs := ep.SecurityGroupIDs
	if len(sgs) == 0 {
		if v, ok := e.Net.VPCs.Get(sub.VPCID); ok && v.DefaultSecurityGroupID != "" {
			sgs = []string{v.DefaultSecurityGroupID}
		}
	}
	// Snapshots name the endpoint's interfaces only "ClientVPN Endpoint
	// resource": prefer one that names the endpoint, then one with its groups.
	var found *model.NetworkInterface
	score := 0
	for _, ni := range e.Net.InterfacesInSubnet(sub.ID) {
		if ni.OwnerKind != model.OwnerClientVPN || (ni.OwnerID != "" && ni.OwnerID != ep.ID) {
			continue
		}
		sc := 1
		switch {
		case ni.OwnerID == ep.ID:
			sc = 3
		case len(sgs) > 0 && slices.Equal(slices.Sorted(slices.Values(ni.SecurityGroupIDs)), slices.Sorted(slices.Values(sgs))):
			sc = 2
		}
		if sc > score {
			found, score = ni, sc
		}
	}
	if found != nil {
		if len(found.SecurityGroupIDs) > 0 || len(sgs) == 0 {
			return found
		}
		cp := *found
		cp.SecurityGroupIDs = sgs
		return &cp
	}
	return &model.NetworkInterface{Meta: model.Meta{ID: ep.ID + "/" + sub.ID, Origin: ep.Origin}, SubnetID: sub.ID, VPCID: sub.VPCID,
		SecurityGroupIDs: sgs, OwnerKind: model.OwnerClientVPN, OwnerID: ep.ID, InterfaceType: "interface", RequesterManaged: true}
}

func withDst(c Cube, dst *ipset.Set) Cube {
	c.Dst = dst
	return c
}

// withSrc replaces the source addresses of every cube (a translation whose
// filters downstream see only the new source).
func withSrc(s Space, src *ipset.Set) Space {
	out := make(Space, 0, len(s))
	for _, c := range s {
		c.Src = src
		out = append(out, c)
	}
	return out
}

// describeSet renders an address set briefly.
func describeSet(s *ipset.Set) string {
	ps := s.Prefixes()
	var parts []string
	for i, p := range ps {
		if i == 4 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-4))
			break
		}
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
		} else {
			parts = append(parts, p.String())
		}
	}
	if s.Equal(fullV4) {
		return "every IPv4 address"
	}
	if s.Equal(publicV4) {
		return "every public IPv4 address"
	}
	if len(parts) == 0 {
		return "no address"
	}
	return strings.Join(parts, ", ")
}

// destinations is the union of the destination addresses of a space.
func destinations(s Space) *ipset.Set {
	var b ipset.Builder
	for _, c := range s {
		b.AddSet(c.Dst)
	}
	out := b.Set()
	return out
}
