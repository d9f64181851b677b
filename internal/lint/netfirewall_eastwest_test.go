package lint

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// TestNetworkFirewallEastWestAsymmetricRoute: subnet-pub reaches
// subnet-priv through the endpoint by a route more specific than the
// local one; subnet-priv must send its replies back the same way (through
// another endpoint, each direction of each flow is half seen: two findings).
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html
func TestNetworkFirewallEastWestAsymmetricRoute(t *testing.T) {
	local := model.Route{Destination: pfx("10.0.0.0/16"), TargetKind: model.TargetLocal, TargetID: "local", State: model.RouteActive}
	toFW := func(dest, vpce string) model.Route {
		return model.Route{Destination: pfx(dest), TargetKind: model.TargetGatewayEndpoint, TargetID: vpce, State: model.RouteActive}
	}
	build := func(privRoutes ...model.Route) func(n *model.Network) {
		return func(n *model.Network) {
			withFirewall(n, true)
			pub, _ := n.RouteTables.Get("rtb-pub")
			pub.Routes = append(pub.Routes, toFW("10.0.2.0/24", "vpce-fw"))
			n.RouteTables.Put(&model.RouteTable{Meta: meta("rtb-priv"), VPCID: "vpc-1", Routes: append([]model.Route{local}, privRoutes...),
				Associations: []model.RouteTableAssociation{{SubnetID: "subnet-priv"}}})
		}
	}
	runRule(t, RuleNFWAsymmetric, []ruleCase{
		{"replies by the local route", build(), 1, []string{"rtb-pub sends traffic from subnet-pub to subnet-priv through fw", "by the local route"}},
		{"replies through the same endpoint", build(toFW("10.0.1.0/24", "vpce-fw")), 0, nil},
		{"a NAT subnet's route for the replies it translates back", func(n *model.Network) {
			build()(n)
			n.NATGateways.Put(&model.NATGateway{Meta: meta("nat-1"), VPCID: "vpc-1", SubnetID: "subnet-pub", ConnectivityType: "public"})
			n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-nat"), SubnetID: "subnet-pub", VPCID: "vpc-1", OwnerKind: model.OwnerNATGateway})
		}, 0, nil},
		{"replies through another endpoint", func(n *model.Network) {
			build(toFW("10.0.1.0/24", "vpce-fw2"))(n)
			fw, _ := n.NetworkFirewalls.Get("fw")
			fw.Endpoints = append(fw.Endpoints, model.FirewallEndpoint{AvailabilityZone: "us-east-1b", SubnetID: "subnet-fw", EndpointID: "vpce-fw2"})
		}, 2, []string{"another endpoint (vpce-fw2)", "another endpoint (vpce-fw)"}},
	})
}
