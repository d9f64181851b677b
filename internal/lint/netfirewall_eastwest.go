package lint

import (
	"github.com/vpcreach/vpcreach/internal/model"
)

// checkEastWestFirewallRoutes: inside a VPC, a route more specific than
// the local route can send one subnet's traffic for another through a
// firewall endpoint; the other subnet must route its replies back through
// the same endpoint, or the stateful engine sees half of each connection
// and drops it.
// https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html
func checkEastWestFirewallRoutes(n *model.Network, fwSubnets map[string]*model.NetworkFirewall, out *findings) {
	for _, rt := range n.RouteTables.All() {
		for i := range rt.Routes {
			r := &rt.Routes[i]
			fw, key, ok := routeEndpoint(n, r)
			if !ok || !r.Destination.IsValid() {
				continue
			}
			for _, dst := range n.SubnetsOf(rt.VPCID) {
				if fwSubnets[dst.ID] != nil || !dst.CIDR.IsValid() || !r.Destination.Contains(dst.CIDR.Addr()) || r.Destination.Bits() > dst.CIDR.Bits() {
					continue
				}
				if fwRouteFor(rt, dst.CIDR.Addr()) != r {
					continue // a more specific route carries this subnet
				}
				drt, _ := n.RouteTableFor(dst.ID)
				if drt == nil || drt == rt {
					continue
				}
				for _, a := range rt.Associations {
					src, ok := n.Subnets.Get(a.SubnetID)
					if !ok || !src.CIDR.IsValid() || src.ID == dst.ID || fwSubnets[src.ID] != nil || natOnly(n, src.ID) {
						continue
					}
					back := fwRouteFor(drt, src.CIDR.Addr())
					if back == nil || back.TargetKind != model.TargetLocal {
						if back != nil {
							if _, bkey, isFW := routeEndpoint(n, back); isFW && surelyOther(r, back, key, bkey) {
								out.add(RuleNFWAsymmetric, drt, originOr(back.Origin, drt.Origin),
									"%s sends traffic from %s to %s through %s, but %s returns it through another endpoint (%s): the stateful engine sees one direction only and drops the flows",
									rt.Label(), src.Label(), dst.Label(), fw.Label(), drt.Label(), targetOf(back))
							}
						}
						continue
					}
					out.add(RuleNFWAsymmetric, drt, originOr(back.Origin, drt.Origin),
						"%s sends traffic from %s to %s through %s, but %s returns it to %s by the local route: the stateful engine sees one direction only and drops the flows",
						rt.Label(), src.Label(), dst.Label(), fw.Label(), drt.Label(), src.CIDR)
				}
			}
		}
	}
}

// surelyOther reports whether two routes to firewall endpoints surely name
// different endpoints: two endpoint IDs that differ, or two EndpointIds
// elements of one firewall at different indexes. A template route that
// names a firewall without selecting an element could be either.
func surelyOther(a, b *model.Route, akey, bkey string) bool {
	if akey == bkey {
		return false
	}
	if a.Firewall == nil && b.Firewall == nil {
		return true
	}
	if a.Firewall != nil && b.Firewall != nil {
		return a.Firewall.FirewallID != b.Firewall.FirewallID || a.Firewall.AssociationID != b.Firewall.AssociationID ||
			a.Firewall.Index >= 0 && b.Firewall.Index >= 0
	}
	return false
}

// natOnly reports whether a subnet holds NAT gateways and nothing else
// that opens connections: its routes through a firewall carry the
// replies the NAT gateways translate back, the firewall-before-NAT
// deployment, not flows of their own.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
func natOnly(n *model.Network, subnetID string) bool {
	nat := false
	for _, g := range n.NATGateways.All() {
		if g.SubnetID == subnetID {
			nat = true
		}
	}
	if !nat {
		return false
	}
	for _, ni := range n.InterfacesInSubnet(subnetID) {
		if ni.OwnerKind != model.OwnerNATGateway {
			return false
		}
	}
	return true
}
