package lint

import (
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// withFirewall puts a firewall in subnet-fw whose route table goes to the
// internet gateway, and routes subnet-pub's internet traffic through it
// (the distributed model: https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html).
func withFirewall(n *model.Network, edge bool) {
	n.Subnets.Put(&model.Subnet{Meta: meta("subnet-fw"), VPCID: "vpc-1", CIDR: pfx("10.0.100.0/28")})
	local := model.Route{Destination: pfx("10.0.0.0/16"), TargetKind: model.TargetLocal, TargetID: "local", State: model.RouteActive}
	n.RouteTables.Put(&model.RouteTable{Meta: meta("rtb-fw"), VPCID: "vpc-1", Associations: []model.RouteTableAssociation{{SubnetID: "subnet-fw"}},
		Routes: []model.Route{local, {Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetInternetGateway, TargetID: "igw-1", State: model.RouteActive}}})
	pub, _ := n.RouteTables.Get("rtb-pub")
	pub.Routes = []model.Route{local, {Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetGatewayEndpoint, TargetID: "vpce-fw", State: model.RouteActive}}
	if edge {
		n.RouteTables.Put(&model.RouteTable{Meta: meta("rtb-edge"), VPCID: "vpc-1", Associations: []model.RouteTableAssociation{{GatewayID: "igw-1"}},
			Routes: []model.Route{local, {Destination: pfx("10.0.1.0/24"), TargetKind: model.TargetGatewayEndpoint, TargetID: "vpce-fw", State: model.RouteActive}}})
	}
	n.NetworkFirewallPolicies.Put(&model.NetworkFirewallPolicy{Meta: meta("pol"), StatelessDefaultActions: []string{model.NFWForwardToSFE}})
	n.NetworkFirewalls.Put(&model.NetworkFirewall{Meta: meta("fw"), VPCID: "vpc-1", FirewallPolicyARN: "pol",
		SubnetMappings: []model.FirewallSubnetMapping{{SubnetID: "subnet-fw"}}, EndpointsKnown: true,
		Endpoints: []model.FirewallEndpoint{{AvailabilityZone: "us-east-1a", SubnetID: "subnet-fw", EndpointID: "vpce-fw", Status: "READY"}}})
}

func TestNetworkFirewallAsymmetricRoute(t *testing.T) {
	runRule(t, RuleNFWAsymmetric, []ruleCase{
		{"egress through the endpoint, replies straight from the gateway", func(n *model.Network) { withFirewall(n, false) },
			1, []string{"rtb-pub sends subnet-pub's internet traffic through fw", "has no edge route table"}},
		{"edge route table back to the same endpoint", func(n *model.Network) { withFirewall(n, true) }, 0, nil},
		{"ingress through the endpoint, replies straight to the gateway", func(n *model.Network) {
			withFirewall(n, true)
			pub, _ := n.RouteTables.Get("rtb-pub")
			pub.Routes[1] = model.Route{Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetInternetGateway, TargetID: "igw-1", State: model.RouteActive}
		}, 1, []string{"rtb-edge sends internet traffic for subnet-pub through fw", "routes the subnet's replies to igw-1"}},
	})
}

func TestNetworkFirewallSubnetRoutedThroughItself(t *testing.T) {
	runRule(t, RuleNFWSubnetOwnEndpoint, []ruleCase{
		{"firewall subnet default route to its own endpoint", func(n *model.Network) {
			withFirewall(n, true)
			rt, _ := n.RouteTables.Get("rtb-fw")
			rt.Routes[1] = model.Route{Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetGatewayEndpoint, TargetID: "vpce-fw", State: model.RouteActive}
		}, 1, []string{"rtb-fw, the route table of firewall subnet subnet-fw, sends 0.0.0.0/0 to an endpoint of fw itself"}},
		{"firewall subnet routed to the gateway", func(n *model.Network) { withFirewall(n, true) }, 0, nil},
	})
}

func TestNetworkFirewallPolicyDropsEstablished(t *testing.T) {
	strict := func(n *model.Network, rules string) {
		withFirewall(n, true)
		p, _ := n.NetworkFirewallPolicies.Get("pol")
		p.StatefulEngineOptions.RuleOrder = model.NFWStrictOrder
		p.StatefulDefaultActions = []string{model.NFWDropEstablish}
		p.StatefulRuleGroupReferences = []model.StatefulRuleGroupReference{{ResourceARN: "sf", Priority: 1}}
		n.NetworkFirewallRuleGroups.Put(&model.NetworkFirewallRuleGroup{Meta: meta("sf"), RuleGroupType: model.NFWStateful, Capacity: 10, RulesKnown: true,
			RulesSource: model.RulesSource{RulesString: rules}})
	}
	runRule(t, RuleNFWDropsEstablished, []ruleCase{
		{"alert rules only", func(n *model.Network) { strict(n, "alert ip any any -> any any (sid:1;)") }, 1, []string{"aws:drop_established drops established connections"}},
		{"a pass rule", func(n *model.Network) { strict(n, "pass tcp $HOME_NET any -> any 443 (sid:1;)") }, 0, nil},
	})
}

func TestNetworkFirewallRuleGroupOverCapacity(t *testing.T) {
	runRule(t, RuleNFWOverCapacity, []ruleCase{
		{"a stateless rule's product of match settings", func(n *model.Network) {
			n.NetworkFirewallRuleGroups.Put(&model.NetworkFirewallRuleGroup{Meta: meta("sl"), RuleGroupType: model.NFWStateless, Capacity: 3, RulesKnown: true,
				RulesSource: model.RulesSource{StatelessRulesAndCustomActions: &model.StatelessRulesAndCustomActions{StatelessRules: []model.StatelessRule{{Priority: 1,
					Actions: []string{model.NFWDrop}, MatchAttributes: model.NFWMatchAttributes{Sources: []netip.Prefix{pfx("10.0.0.0/8"), pfx("172.16.0.0/12")}, Protocols: []int{6, 17}}}}}}})
		}, 1, []string{"need a capacity of 4, more than the 3"}},
		{"within capacity", func(n *model.Network) {
			n.NetworkFirewallRuleGroups.Put(&model.NetworkFirewallRuleGroup{Meta: meta("sf"), RuleGroupType: model.NFWStateful, Capacity: 2, RulesKnown: true,
				RulesSource: model.RulesSource{RulesString: "# comment\npass tcp any any -> any 443 (sid:1;)\ndrop ip any any -> any any (sid:2;)\n"}})
		}, 0, nil},
	})
}
