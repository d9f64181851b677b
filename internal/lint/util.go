package lint

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// fromTemplate reports whether the element was read from a CloudFormation template.
func fromTemplate(e model.Element) bool { return e.Base().LogicalID != "" }

// isWorld reports whether a prefix is 0.0.0.0/0 or ::/0.
func isWorld(p netip.Prefix) bool { return p.IsValid() && p.Bits() == 0 }

// joinIDs renders a list for messages.
func joinIDs(ids []string) string { return strings.Join(ids, ", ") }

// lookup is the outcome of a route table lookup for one address.
type lookup struct {
	// Route is the most specific matching route (nil when none matches).
	Route *model.Route
	// Local is true when the address lies in the VPC's own CIDRs.
	Local bool
	// Unknown names why the answer cannot be trusted (a destination the
	// sources could not fix, a prefix list with unknown entries).
	Unknown string
}

// routeFor finds the route a packet to addr takes from a subnet using rt
// in vpc: longest prefix first; the VPC's own CIDRs are always local.
// Prefix-list routes with unknown entries make the answer unknown, except
// for private addresses, which AWS-managed service prefix lists never hold.
func routeFor(n *model.Network, rt *model.RouteTable, vpc *model.VPC, addr netip.Addr) lookup {
	if vpc != nil && vpc.Contains(addr) {
		return lookup{Local: true}
	}
	var best *model.Route
	bestBits := -1
	unknown := tableUnknown(rt)
	for i := range rt.Routes {
		r := &rt.Routes[i]
		switch {
		case r.DestinationUnknown != "":
			unknown = r.DestinationUnknown
		case r.DestinationPrefixListID != "":
			pl, ok := n.PrefixLists.Get(r.DestinationPrefixListID)
			if !ok || !pl.EntriesKnown {
				if !addr.IsPrivate() {
					unknown = "prefix list " + r.DestinationPrefixListID + " has unknown entries"
				}
				continue
			}
			for _, p := range pl.Entries {
				if p.Contains(addr) && p.Bits() > bestBits {
					best, bestBits = r, p.Bits()
				}
			}
		case r.Destination.IsValid() && r.Destination.Contains(addr):
			if r.Destination.Bits() > bestBits {
				best, bestBits = r, r.Destination.Bits()
			}
		}
	}
	if best != nil && best.TargetKind == model.TargetLocal {
		return lookup{Route: best, Local: true, Unknown: unknown}
	}
	return lookup{Route: best, Unknown: unknown}
}

// internetRoute reports whether rt has an active route to an internet
// gateway for the address family (ipv6 or not), and whether an unknown
// route could be one.
func internetRoute(rt *model.RouteTable, ipv6 bool) (found bool, unknown string) {
	unknown = tableUnknown(rt)
	for _, r := range rt.Routes {
		if r.State == model.RouteBlackhole {
			continue
		}
		switch {
		case r.DestinationUnknown != "":
			if r.TargetKind == model.TargetInternetGateway || r.TargetKind == model.TargetUnknown {
				unknown = r.DestinationUnknown
			}
			continue
		case r.DestinationPrefixListID != "":
			// Prefix-list routes to an internet gateway reach only the
			// listed ranges; they still are a way in and out.
		case r.Destination.Addr().Is6() != ipv6:
			continue
		}
		switch r.TargetKind {
		case model.TargetInternetGateway:
			return true, ""
		case model.TargetUnknown, model.TargetUnmodelled:
			unknown = "route with a target the sources do not fix"
		}
	}
	return false, unknown
}

// defaultEgressRoute reports whether rt sends 0.0.0.0/0 (or any public
// destination) to an internet or NAT gateway, and whether an unknown route
// could.
func defaultEgressRoute(rt *model.RouteTable) (found bool, unknown string) {
	unknown = tableUnknown(rt)
	for _, r := range rt.Routes {
		if r.State == model.RouteBlackhole {
			continue
		}
		if r.DestinationUnknown != "" {
			unknown = r.DestinationUnknown
			continue
		}
		if !r.Destination.IsValid() || !r.Destination.Addr().Is4() || r.Destination.Bits() != 0 {
			continue
		}
		switch r.TargetKind {
		case model.TargetInternetGateway, model.TargetNATGateway:
			return true, ""
		case model.TargetLocal, model.TargetGatewayEndpoint, model.TargetEgressOnlyIGW:
		default:
			// Peering, transit gateway, VPN, appliances: the internet may
			// lie beyond; the model cannot tell.
			unknown = fmt.Sprintf("0.0.0.0/0 goes to %s %s", r.TargetKind, r.TargetID)
		}
	}
	return false, unknown
}

// tableUnknown says why a route table's routes may be incomplete (routes
// the sources could not read, propagated routes), or "".
func tableUnknown(rt *model.RouteTable) string {
	if u, ok := unknownAbout(&rt.Meta, "route"); ok {
		return model.Describe(rt) + ": " + u
	}
	return ""
}

// unknownAbout returns the first unknown value of an element whose field
// name mentions one of the words (case-insensitive).
func unknownAbout(m *model.Meta, words ...string) (string, bool) {
	for _, u := range m.Unknowns {
		f := strings.ToLower(u.Field)
		for _, w := range words {
			if strings.Contains(f, w) {
				return u.String(), true
			}
		}
	}
	return "", false
}

// originOr returns o, or the fallback when o says nothing.
func originOr(o, fallback model.Origin) model.Origin {
	if o == (model.Origin{}) {
		return fallback
	}
	return o
}
