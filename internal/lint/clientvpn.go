package lint

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// cvpnVPC returns the VPC of a Client VPN endpoint: its own field, else the
// VPC of a target network.
func cvpnVPC(n *model.Network, e *model.ClientVPNEndpoint) (*model.VPC, bool) {
	if e.VPCID != "" {
		return n.VPCs.Get(e.VPCID)
	}
	for _, t := range e.TargetNetworks {
		if t.VPCID != "" {
			return n.VPCs.Get(t.VPCID)
		}
		if v, ok := n.VPCOf(t.SubnetID); ok {
			return v, true
		}
	}
	return nil, false
}

// cvpnRouted reports whether a Client VPN route covers addr. Associating a
// target network adds a route for the VPC's CIDR (R6.5), which sources may
// leave out.
func cvpnRouted(e *model.ClientVPNEndpoint, vpc *model.VPC, addr netip.Addr) bool {
	for _, r := range e.Routes {
		if r.Destination.IsValid() && r.Destination.Contains(addr) {
			return true
		}
	}
	return vpc != nil && len(e.TargetNetworks) > 0 && vpc.Contains(addr)
}

// cvpnRoute returns the most specific Client VPN route covering addr.
func cvpnRoute(e *model.ClientVPNEndpoint, addr netip.Addr) *model.ClientVPNRoute {
	var best *model.ClientVPNRoute
	for i := range e.Routes {
		r := &e.Routes[i]
		if r.Destination.IsValid() && r.Destination.Contains(addr) && (best == nil || r.Destination.Bits() > best.Destination.Bits()) {
			best = r
		}
	}
	return best
}

// cvpnAuthorized reports whether the longest-prefix authorization rules
// covering addr exist (R6.6); groups lists the groups they are limited to
// when none allows every user.
func cvpnAuthorized(e *model.ClientVPNEndpoint, addr netip.Addr) (ok bool, groups []string) {
	best := -1
	for _, a := range e.AuthorizationRules {
		if a.Destination.IsValid() && a.Destination.Contains(addr) && a.Destination.Bits() > best {
			best = a.Destination.Bits()
		}
	}
	if best < 0 {
		return false, nil
	}
	for _, a := range e.AuthorizationRules {
		if a.Destination.IsValid() && a.Destination.Contains(addr) && a.Destination.Bits() == best {
			if a.AccessAll {
				return true, nil
			}
			groups = append(groups, a.GroupID)
		}
	}
	return true, groups
}

func checkClientVPN(n *model.Network, out *findings) {
	inbound := map[netip.Addr]*model.ResolverEndpoint{}
	for _, r := range n.ResolverEndpoints.All() {
		if !r.IsInbound() {
			continue
		}
		for _, ip := range r.IPAddresses {
			if ip.IP.IsValid() {
				inbound[ip.IP] = r
			}
		}
	}
	for _, e := range n.ClientVPNEndpoints.All() {
		if e.HasUnknowns() {
			continue
		}
		vpc, _ := cvpnVPC(n, e)

		// DNS servers that the tunnel does not carry or the endpoint does not authorize.
		for _, s := range e.DNSServers {
			var problems []string
			if !cvpnRouted(e, vpc, s) {
				if e.SplitTunnel {
					problems = append(problems, "no Client VPN route covers it, so with split tunnel the queries leave on the client's own network")
				} else {
					problems = append(problems, "no Client VPN route covers it, so the endpoint drops the queries")
				}
			}
			if ok, _ := cvpnAuthorized(e, s); !ok {
				problems = append(problems, "no authorization rule covers it")
			}
			if why := cvpnOnwardBlocked(n, e, vpc, s); why != "" {
				problems = append(problems, why)
			}
			if len(problems) == 0 {
				// Routed and authorized: the path engine follows the
				// queries through source NAT, the endpoint's groups, and
				// onward from the target subnet.
				if why := out.clientDNSBlocked(e, s); why != "" {
					problems = append(problems, why)
				}
			}
			if len(problems) > 0 {
				out.add(RuleClientVPNDNSNotCovered, e, e.Origin, "%s pushes DNS server %s, but %s",
					e.Label(), s, strings.Join(problems, ", and "))
			}
		}

		// Full tunnel, public or device resolvers, no internet from the target subnets.
		if !e.SplitTunnel {
			var public []string
			for _, s := range e.DNSServers {
				if !s.IsPrivate() && !s.IsLoopback() && !s.IsLinkLocalUnicast() && (vpc == nil || !vpc.Contains(s)) {
					public = append(public, s.String())
				}
			}
			if len(e.DNSServers) == 0 || len(public) > 0 {
				if why, ok := cvpnNoInternet(n, e); ok {
					who := "it pushes no DNS servers, so clients keep their own; a public resolver such as 8.8.8.8 is sent into the tunnel"
					if len(public) > 0 {
						who = "it pushes the public DNS server " + strings.Join(public, ", ") + ", which is reached through the tunnel"
					}
					out.add(RuleClientVPNFullTunnelDNS, e, e.Origin,
						"%s is a full tunnel: %s, where lookups time out because %s", e.Label(), who, why)
				}
			}
		}

		// A private zone of the Client VPN VPC, while the pushed resolver lives elsewhere.
		if vpc == nil {
			continue
		}
		var resolvers []*model.ResolverEndpoint
		servers := map[string][]string{}
		for _, s := range e.DNSServers {
			r, ok := inbound[s]
			if !ok || r.VPCID == vpc.ID || r.VPCID == "" {
				continue
			}
			if servers[r.ID] == nil {
				resolvers = append(resolvers, r)
			}
			servers[r.ID] = append(servers[r.ID], s.String())
		}
		for _, r := range resolvers {
			for _, z := range n.HostedZones.All() {
				if !z.Private || !zoneIn(z, vpc.ID) || zoneIn(z, r.VPCID) {
					continue
				}
				what := "DNS server"
				if len(servers[r.ID]) > 1 {
					what = "DNS servers"
				}
				out.add(RuleClientVPNZoneElsewhere, e, e.Origin,
					"%s pushes %s %s of Resolver inbound endpoint %s in %s, so private hosted zone %s, associated with %s but not %s, never answers its clients",
					e.Label(), what, strings.Join(servers[r.ID], " and "), r.ID, r.VPCID, z.ZoneName, vpc.ID, r.VPCID)
			}
		}
	}
}

// cvpnOnwardBlocked says why the queries, once source-NATed into the
// target subnet of the Client VPN route (R6.7), find no route to the
// server there; "" when they do or the model cannot tell.
func cvpnOnwardBlocked(n *model.Network, e *model.ClientVPNEndpoint, vpc *model.VPC, s netip.Addr) string {
	r := cvpnRoute(e, s)
	if r == nil || r.TargetSubnet == "" || r.TargetSubnet == "local" || (vpc != nil && vpc.Contains(s)) {
		return ""
	}
	rt, _ := n.RouteTableFor(r.TargetSubnet)
	if rt == nil {
		return ""
	}
	l := routeFor(n, rt, vpc, s)
	switch {
	case l.Unknown != "" || l.Local:
		return ""
	case l.Route == nil:
		return "target subnet " + r.TargetSubnet + " has no route to it in " + rt.ID
	case l.Route.State == model.RouteBlackhole:
		return "target subnet " + r.TargetSubnet + " sends it to a blackhole (" + routeDest(l.Route) + " in " + rt.ID + ")"
	case s.IsPrivate() && toInternet(n, l.Route):
		return "target subnet " + r.TargetSubnet + " sends the private address to " + string(l.Route.TargetKind) + " " + l.Route.TargetID
	}
	return ""
}

// clientDNSBlocked asks the path engine whether a client of the endpoint,
// in every group the authorization rules name, can query a DNS server over
// udp/53 or tcp/53 and get the answer. It returns why both are stopped, or
// "" when one gets through, may, or the engine cannot answer.
func (f *findings) clientDNSBlocked(e *model.ClientVPNEndpoint, s netip.Addr) (why string) {
	defer func() {
		if r := recover(); r != nil {
			f.notes = append(f.notes, model.Warning{Code: "lint-incomplete", Severity: model.SevWarning, Origin: e.Origin, Resource: e.ID,
				Message: fmt.Sprintf("the path engine failed on DNS queries to %s (%v): %s not fully checked", s, r, RuleClientVPNDNSNotCovered)})
			why = ""
		}
	}()
	// Without groups of its own the endpoint uses the VPC's default group
	// (R6.8); ask only when every group it uses is in the sources.
	if len(e.SecurityGroupIDs) == 0 {
		return ""
	}
	for _, id := range e.SecurityGroupIDs {
		if _, ok := f.net.SecurityGroups.Get(id); !ok {
			return ""
		}
	}
	var groups []string
	for _, a := range e.AuthorizationRules {
		if a.GroupID != "" && !slices.Contains(groups, a.GroupID) {
			groups = append(groups, a.GroupID)
		}
	}
	c, err := reach.NewClient(e, netip.Addr{}, nil, groups)
	if err != nil {
		return ""
	}
	eng := f.engine(f.net)
	to, err := eng.Resolve(s.String())
	if err != nil {
		return ""
	}
	var reasons []string
	for _, proto := range []model.Protocol{model.ProtoUDP, model.ProtoTCP} {
		r := eng.ClientFlow(context.Background(), c, reach.Query{To: to, Protocol: proto, DstPort: 53})
		if r.Verdict != reach.Unreachable {
			return ""
		}
		if r.Best != nil && r.Best.BlockedBy != nil {
			b := r.Best.BlockedBy
			reasons = append(reasons, fmt.Sprintf("%s stops the queries: %s (%s)", b.ID, b.Reason, b.Code))
		} else if r.Reason != "" {
			reasons = append(reasons, r.Reason)
		}
	}
	return strings.Join(dedupe(reasons), "; ")
}

func zoneIn(z *model.HostedZone, vpcID string) bool {
	for _, v := range z.VPCs {
		if v.VPCID == vpcID {
			return true
		}
	}
	return false
}

// cvpnNoInternet says why clients of a full tunnel cannot reach a public
// address; ok is false when they can or the model cannot tell (R6.3: a
// 0.0.0.0/0 Client VPN route, an authorization rule, and an internet or NAT
// gateway route in the target subnet's route table are all needed).
func cvpnNoInternet(n *model.Network, e *model.ClientVPNEndpoint) (string, bool) {
	probe := netip.AddrFrom4([4]byte{8, 8, 8, 8})
	r := cvpnRoute(e, probe)
	if r == nil {
		return "no Client VPN route covers public addresses", true
	}
	if ok, _ := cvpnAuthorized(e, probe); !ok {
		return "no authorization rule covers public addresses", true
	}
	if r.TargetSubnet == "" || r.TargetSubnet == "local" {
		return "", false
	}
	rt, _ := n.RouteTableFor(r.TargetSubnet)
	if rt == nil {
		return "", false
	}
	found, unknown := defaultEgressRoute(rt)
	if found || unknown != "" {
		return "", false
	}
	return "target subnet " + r.TargetSubnet + " has no 0.0.0.0/0 route to an internet or NAT gateway in " + rt.ID, true
}
