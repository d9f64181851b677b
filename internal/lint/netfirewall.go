package lint

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Network Firewall pitfalls (docs/aws-behaviour.md R9.1-R9.6).

// endpointRef names one firewall endpoint the way routes name it.
type endpointRef struct {
	fw    *model.NetworkFirewall
	ep    model.FirewallEndpoint
	index int // EndpointIds index in a template, -1 else
}

// routeEndpoint returns the firewall endpoint a route targets, if any.
func routeEndpoint(n *model.Network, r *model.Route) (*model.NetworkFirewall, string, bool) {
	if r.TargetKind != model.TargetGatewayEndpoint || r.State == model.RouteBlackhole {
		return nil, "", false
	}
	if r.Firewall != nil {
		fw, ok := n.NetworkFirewalls.Get(r.Firewall.FirewallID)
		key := fmt.Sprintf("%s#%d#%s", r.Firewall.FirewallID, r.Firewall.Index, r.Firewall.AssociationID)
		return fw, key, ok
	}
	fw, _, ok := n.FirewallByEndpoint(r.TargetID)
	return fw, r.TargetID, ok
}

// fwRouteFor is the longest-prefix route of rt for a, among CIDR routes
func fwRouteFor(rt *model.RouteTable, a netip.Addr) *model.Route {
	var best *model.Route
	for i := range rt.Routes {
		r := &rt.Routes[i]
		if !r.Destination.IsValid() || !r.Destination.Contains(a) {
			continue
		}
		if best == nil || r.Destination.Bits() > best.Destination.Bits() {
			best = r
		}
	}
	return best
}

func checkNetworkFirewalls(n *model.Network, out *findings) {
	probe := netip.MustParseAddr("8.8.8.8")
	fwSubnets := map[string]*model.NetworkFirewall{}
	for _, fw := range n.NetworkFirewalls.All() {
		for _, m := range fw.SubnetMappings {
			fwSubnets[m.SubnetID] = fw
		}
		for _, ep := range fw.Endpoints {
			fwSubnets[ep.SubnetID] = fw
		}
	}
	// A firewall subnet routed through its own firewall loops.
	for sid, fw := range fwSubnets {
		rt, _ := n.RouteTableFor(sid)
		if rt == nil {
			continue
		}
		for _, r := range rt.Routes {
			if f, _, ok := routeEndpoint(n, &r); ok && f == fw {
				out.add(RuleNFWSubnetOwnEndpoint, rt, originOr(r.Origin, rt.Origin),
					"%s, the route table of firewall subnet %s, sends %s to an endpoint of %s itself: the inspected traffic comes back to the firewall instead of going on",
					rt.Label(), sid, routeDestOf(&r), fw.Label())
			}
		}
	}
	// Internet egress through an endpoint: the internet gateway must send
	// the replies back to it (an edge route table), and ingress through
	// an endpoint needs the subnet to route its replies there.
	for _, s := range n.Subnets.All() {
		if fwSubnets[s.ID] != nil || !s.CIDR.IsValid() {
			continue
		}
		rt, _ := n.RouteTableFor(s.ID)
		if rt == nil {
			continue
		}
		igw, hasIGW := n.InternetGatewayOf(s.VPCID)
		if !hasIGW {
			continue
		}
		edge := n.EdgeRouteTable(igw.ID)
		var in *model.Route
		if edge != nil {
			in = fwRouteFor(edge, s.CIDR.Addr())
		}
		out1 := fwRouteFor(rt, probe)
		outFW, outKey, outIsFW := (*model.NetworkFirewall)(nil), "", false
		if out1 != nil {
			outFW, outKey, outIsFW = routeEndpoint(n, out1)
		}
		inFW, inKey, inIsFW := (*model.NetworkFirewall)(nil), "", false
		if in != nil {
			inFW, inKey, inIsFW = routeEndpoint(n, in)
		}
		switch {
		case outIsFW && !firewallReachesIGW(n, out1, igw.ID):
			// Egress that does not go on to this internet gateway is
			// not this check's.
		case outIsFW && (!inIsFW || inKey != outKey):
			where := "has no edge route table"
			if edge != nil {
				where = fmt.Sprintf("routes %s to %s in %s", s.CIDR, targetOf(in), edge.Label())
			}
			out.add(RuleNFWAsymmetric, rt, originOr(out1.Origin, rt.Origin),
				"%s sends %s's internet traffic through %s, but the internet gateway %s %s: the replies bypass the endpoint and the stateful engine drops the flows",
				rt.Label(), s.Label(), outFW.Label(), igw.ID, where)
		case inIsFW && out1 != nil && (!outIsFW || outKey != inKey):
			out.add(RuleNFWAsymmetric, edge, originOr(in.Origin, edge.Origin),
				"%s sends internet traffic for %s through %s, but %s routes the subnet's replies to %s: the stateful engine sees one direction only and drops the flows",
				edge.Label(), s.Label(), inFW.Label(), rt.Label(), targetOf(out1))
		}
	}
	checkEastWestFirewallRoutes(n, fwSubnets, out)
	checkApplianceMode(n, out)
	for _, p := range n.NetworkFirewallPolicies.All() {
		checkPolicyDefaults(n, p, out)
	}
	for _, g := range n.NetworkFirewallRuleGroups.All() {
		checkCapacity(g, out)
	}
}

// routeEndpoints are the firewall endpoints a route may name.
func routeEndpoints(n *model.Network, r *model.Route) []model.FirewallEndpoint {
	if r.Firewall != nil {
		fw, ok := n.NetworkFirewalls.Get(r.Firewall.FirewallID)
		if !ok {
			return nil
		}
		var out []model.FirewallEndpoint
		for _, ep := range fw.Endpoints {
			if ep.AssociationID == r.Firewall.AssociationID && (r.Firewall.AvailabilityZone == "" || ep.AvailabilityZone == r.Firewall.AvailabilityZone) {
				out = append(out, ep)
			}
		}
		return out
	}
	if _, ep, ok := n.FirewallByEndpoint(r.TargetID); ok {
		return []model.FirewallEndpoint{*ep}
	}
	return nil
}

// endpointsReach reports whether every endpoint the route may name sends
// internet traffic on to the internet gateway (all), and whether one does
// (any).
func endpointsReach(n *model.Network, r *model.Route, igwID string) (all, any bool) {
	eps := routeEndpoints(n, r)
	all = len(eps) > 0
	for _, ep := range eps {
		ok := false
		if rt, _ := n.RouteTableFor(ep.SubnetID); rt != nil {
			if x := fwRouteFor(rt, netip.MustParseAddr("8.8.8.8")); x != nil && x.TargetKind == model.TargetInternetGateway && (igwID == "" || x.TargetID == igwID) {
				ok = true
			}
		}
		all = all && ok
		any = any || ok
	}
	return all, any
}

func firewallReachesIGW(n *model.Network, r *model.Route, igwID string) bool {
	all, _ := endpointsReach(n, r, igwID)
	return all
}

func targetOf(r *model.Route) string {
	if r == nil {
		return "nothing"
	}
	if r.Firewall != nil {
		return "an endpoint of " + r.Firewall.FirewallID
	}
	if r.TargetKind == model.TargetLocal {
		return "local"
	}
	return strings.TrimSpace(r.TargetID)
}

func routeDestOf(r *model.Route) string {
	if r.DestinationPrefixListID != "" {
		return r.DestinationPrefixListID
	}
	if r.Destination.IsValid() {
		return r.Destination.String()
	}
	return "(unknown)"
}

// checkPolicyDefaults: a strict-order policy whose default drops
// established traffic, with no rule that passes anything, drops every
// connection it inspects.
func checkPolicyDefaults(n *model.Network, p *model.NetworkFirewallPolicy, out *findings) {
	drop := ""
	for _, a := range p.StatefulDefaultActions {
		if a == model.NFWDropStrict || a == model.NFWDropEstablish {
			drop = a
		}
	}
	if drop == "" || len(p.StatelessDefaultActions) > 0 && !slices.Contains(p.StatelessDefaultActions, model.NFWForwardToSFE) {
		return
	}
	for _, ref := range p.StatefulRuleGroupReferences {
		g, ok := n.NetworkFirewallRuleGroups.Get(ref.ResourceARN)
		if !ok || !g.RulesKnown {
			return // a group no source describes may pass traffic
		}
		if groupPasses(g) {
			return
		}
	}
	out.add(RuleNFWDropsEstablished, p, p.Origin,
		"%s forwards traffic to the stateful engine, whose default %s drops established connections, and none of its stateful rule groups passes anything: every inspected connection is dropped",
		p.Label(), drop)
}

func groupPasses(g *model.NetworkFirewallRuleGroup) bool {
	src := g.RulesSource
	if l := src.RulesSourceList; l != nil && l.GeneratedRulesType == "ALLOWLIST" {
		return true
	}
	for _, r := range src.StatefulRules {
		if strings.EqualFold(r.Action, "PASS") {
			return true
		}
	}
	for _, l := range strings.Split(src.RulesString, "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.EqualFold(f[0], "pass") {
			return true
		}
	}
	return false
}

// checkCapacity compares what a rule group's rules use with its fixed
// capacity: AWS refuses to add rules past it. A stateless rule uses the
// product of its match settings; a stateful rule one; a domain list one
// per domain and protocol.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/rule-group-managing.html
func checkCapacity(g *model.NetworkFirewallRuleGroup, out *findings) {
	if g.Capacity <= 0 || !g.RulesKnown {
		return
	}
	used := g.ConsumedCapacity
	if used == 0 {
		used = capacityOf(g)
	}
	if used > g.Capacity {
		out.add(RuleNFWOverCapacity, g, g.Origin,
			"%s's rules need a capacity of %d, more than the %d it was created with: AWS refuses the rules past it", g.Label(), used, g.Capacity)
	}
}

func capacityOf(g *model.NetworkFirewallRuleGroup) int {
	src := g.RulesSource
	n := 0
	if sl := src.StatelessRulesAndCustomActions; sl != nil {
		for _, r := range sl.StatelessRules {
			m := r.MatchAttributes
			c := 1
			for _, k := range []int{len(m.Sources), len(m.Destinations), len(m.SourcePorts), len(m.DestinationPorts), len(m.Protocols), len(m.TCPFlags)} {
				c *= max(k, 1)
			}
			n += c
		}
	}
	n += len(src.StatefulRules)
	for _, l := range strings.Split(src.RulesString, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			n++
		}
	}
	if l := src.RulesSourceList; l != nil {
		n += len(l.Targets) * max(len(l.TargetTypes), 1)
	}
	return n
}
