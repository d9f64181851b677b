package lint

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// TestNetworkFirewallAttachmentWithoutApplianceMode: the centralized
// model's inspection VPC attachment needs appliance mode once the firewall
// has endpoints in more than one zone.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-tgw-multi-az.html
func TestNetworkFirewallAttachmentWithoutApplianceMode(t *testing.T) {
	build := func(zones int, appliance bool) func(n *model.Network) {
		return func(n *model.Network) {
			withFirewall(n, true)
			if zones > 1 {
				fw, _ := n.NetworkFirewalls.Get("fw")
				fw.Endpoints = append(fw.Endpoints, model.FirewallEndpoint{AvailabilityZone: "us-east-1b", SubnetID: "subnet-fw", EndpointID: "vpce-fw2"})
			}
			n.TGWAttachments.Put(&model.TGWAttachment{Meta: meta("tgw-attach-insp"), TransitGatewayID: "tgw-1", ResourceType: "vpc", ResourceID: "vpc-1",
				SubnetIDs: []string{"subnet-pub"}, ApplianceModeSupport: appliance})
		}
	}
	runRule(t, RuleNFWApplianceMode, []ruleCase{
		{"two zones without appliance mode", build(2, false), 1, []string{"tgw-attach-insp", "2 zones (us-east-1a, us-east-1b)"}},
		{"two zones with appliance mode", build(2, true), 0, nil},
		{"one zone", build(1, false), 0, nil},
	})
}
