package lint

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// vpcCIDRs returns a VPC's IPv4 and IPv6 blocks, from the VPC itself or,
// when it is not in the sources, from what a peering connection says.
func vpcCIDRs(n *model.Network, vpcID string, side *model.PeeringSide) []netip.Prefix {
	if v, ok := n.VPCs.Get(vpcID); ok {
		return append(append([]netip.Prefix{}, v.CIDRs...), v.IPv6CIDRs...)
	}
	if side != nil {
		return append(append([]netip.Prefix{}, side.CIDRs...), side.IPv6CIDRs...)
	}
	return nil
}

// overlapping lists "a overlaps b" for every overlapping pair.
func overlapping(a, b []netip.Prefix) []string {
	var out []string
	for _, p := range a {
		for _, q := range b {
			if p.IsValid() && q.IsValid() && p.Overlaps(q) {
				out = append(out, p.String()+" overlaps "+q.String())
			}
		}
	}
	return out
}

// checkOverlaps finds overlapping address ranges between VPCs joined by a
// peering connection or attached to the same transit gateway.
func checkOverlaps(n *model.Network, out *findings) {
	for _, p := range n.PeeringConnections.All() {
		if !p.IsActive() || p.Requester.VPCID == p.Accepter.VPCID {
			continue
		}
		a := vpcCIDRs(n, p.Requester.VPCID, &p.Requester)
		b := vpcCIDRs(n, p.Accepter.VPCID, &p.Accepter)
		if ov := overlapping(a, b); len(ov) > 0 {
			out.add(RuleOverlappingCIDRs, p, p.Origin, "%s joins %s and %s, whose ranges overlap: %s",
				p.Label(), p.Requester.VPCID, p.Accepter.VPCID, strings.Join(ov, ", "))
		}
	}
	byTGW := map[string][]*model.TGWAttachment{}
	for _, a := range n.TGWAttachments.All() {
		if a.ResourceType == "vpc" && a.ResourceID != "" {
			byTGW[a.TransitGatewayID] = append(byTGW[a.TransitGatewayID], a)
		}
	}
	for _, tgwID := range sortedKeys(byTGW) {
		atts := byTGW[tgwID]
		for i := 0; i < len(atts); i++ {
			for j := i + 1; j < len(atts); j++ {
				a, b := atts[i], atts[j]
				if a.ResourceID == b.ResourceID {
					continue
				}
				if ov := overlapping(vpcCIDRs(n, a.ResourceID, nil), vpcCIDRs(n, b.ResourceID, nil)); len(ov) > 0 {
					var e model.Element = b
					if g, ok := n.TransitGateways.Get(tgwID); ok {
						e = g
					}
					out.add(RuleOverlappingCIDRs, e, b.Origin,
						"transit gateway %s attaches %s (%s) and %s (%s), whose ranges overlap: %s",
						tgwID, a.ResourceID, a.ID, b.ResourceID, b.ID, strings.Join(ov, ", "))
				}
			}
		}
	}
}

// checkBlackholes finds routes whose target is gone.
func checkBlackholes(n *model.Network, out *findings) {
	for _, rt := range n.RouteTables.All() {
		for _, r := range rt.Routes {
			if r.State != model.RouteBlackhole {
				continue
			}
			target := strings.TrimSpace(string(r.TargetKind) + " " + r.TargetID)
			out.add(RuleBlackholeRoute, rt, originOr(r.Origin, rt.Origin),
				"%s sends %s to %s, which no longer exists: the traffic is dropped", rt.Label(), routeDest(&r), target)
		}
	}
	for _, rt := range n.TGWRouteTables.All() {
		for _, r := range rt.Routes {
			if r.State != model.RouteBlackhole {
				continue
			}
			dest := r.DestinationPrefixListID
			if r.Destination.IsValid() {
				dest = r.Destination.String()
			}
			out.add(RuleBlackholeRoute, rt, originOr(r.Origin, rt.Origin),
				"%s drops traffic to %s (blackhole %s route)", rt.Label(), dest, orDefault(r.Type, "static"))
		}
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
