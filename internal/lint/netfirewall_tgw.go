package lint

import (
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// checkApplianceMode: in a VPC whose firewall has endpoints in more than
// one Availability Zone, a transit gateway VPC attachment whose subnets
// route to those endpoints needs appliance mode, or the transit gateway
// may return a flow's replies in another zone, to another endpoint, which
// drops them.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-tgw-multi-az.html
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html
func checkApplianceMode(n *model.Network, out *findings) {
	for _, a := range n.TGWAttachments.All() {
		if a.ApplianceModeSupport || a.ResourceType != "vpc" && a.ResourceType != "" {
			continue
		}
		vpc := a.ResourceID
		var fw *model.NetworkFirewall
		for _, sid := range a.SubnetIDs {
			rt, _ := n.RouteTableFor(sid)
			if rt == nil {
				continue
			}
			for i := range rt.Routes {
				if f, _, ok := routeEndpoint(n, &rt.Routes[i]); ok && (vpc == "" || f.VPCID == vpc) {
					fw = f
				}
			}
		}
		if fw == nil {
			continue
		}
		list := n.FirewallZones(fw)
		if len(list) < 2 {
			continue
		}
		out.add(RuleNFWApplianceMode, a, a.Origin,
			"%s attaches %s, whose subnets route to %s with endpoints in %d zones (%s), without appliance mode: the transit gateway may send a flow's replies to another zone's endpoint, which drops them",
			a.Label(), orDefault(vpc, "its VPC"), fw.Label(), len(list), strings.Join(list, ", "))
	}
}
