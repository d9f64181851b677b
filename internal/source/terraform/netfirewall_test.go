package terraform

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// TestNetworkFirewallPlan: testdata/netfirewall.json plans a distributed
// firewall (the internet gateway's edge route table and the protected
// subnet both route to the firewall's endpoint; the firewall subnet routes
// to the gateway), as in
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
// Every ID is known only after apply; the links come from references.
func TestNetworkFirewallPlan(t *testing.T) {
	n := load(t, "testdata/netfirewall.json")
	fw, ok := n.NetworkFirewalls.Get("aws_networkfirewall_firewall.inspection")
	if !ok {
		t.Fatal("no firewall")
	}
	t.Run("the firewall's VPC, policy and subnet come from its references", func(t *testing.T) {
		if fw.VPCID != "aws_vpc.inspected" || fw.FirewallPolicyARN != "aws_networkfirewall_firewall_policy.inspection" || fw.Name != "inspection" {
			t.Errorf("firewall: VPC %q policy %q name %q", fw.VPCID, fw.FirewallPolicyARN, fw.Name)
		}
		want := []model.FirewallSubnetMapping{{SubnetID: "aws_subnet.firewall", IPAddressType: "IPV4"}}
		if !slices.Equal(fw.SubnetMappings, want) {
			t.Errorf("subnet mappings %+v, want %+v", fw.SubnetMappings, want)
		}
	})
	t.Run("a planned firewall has one endpoint per subnet, its ID unknown", func(t *testing.T) {
		want := []model.FirewallEndpoint{{AvailabilityZone: "ap-northeast-1a", SubnetID: "aws_subnet.firewall"},
			{AvailabilityZone: "ap-northeast-1a", SubnetID: "aws_subnet.spoke_fw", AssociationID: "aws_networkfirewall_vpc_endpoint_association.spoke"}}
		if !slices.Equal(fw.Endpoints, want) || fw.EndpointsKnown || !fw.HasUnknown("FirewallStatus.SyncStates") || len(fw.Unknowns) != 1 {
			t.Errorf("endpoints %+v known %v unknowns %+v", fw.Endpoints, fw.EndpointsKnown, fw.Unknowns)
		}
	})
	t.Run("a route to the firewall's sync_states names the firewall, not an endpoint", func(t *testing.T) {
		for _, rtID := range []string{"aws_route_table.public", "aws_route_table.ingress"} {
			rt, _ := n.RouteTables.Get(rtID)
			var got *model.Route
			for i := range rt.Routes {
				if rt.Routes[i].TargetKind != model.TargetLocal {
					got = &rt.Routes[i]
				}
			}
			if got == nil || got.TargetKind != model.TargetGatewayEndpoint || got.TargetID != "" || got.Firewall == nil ||
				*got.Firewall != (model.RouteFirewallTarget{FirewallID: fw.ID, Index: -1}) {
				t.Errorf("%s: route %+v", rtID, got)
			}
			if len(rt.Unknowns) != 0 {
				t.Errorf("%s: unknowns %+v", rtID, rt.Unknowns)
			}
		}
	})
	t.Run("a route to an association's sync state names the association's endpoint", func(t *testing.T) {
		rt, _ := n.RouteTables.Get("aws_route_table.spoke_app")
		r := rt.Routes[len(rt.Routes)-1]
		want := model.RouteFirewallTarget{FirewallID: fw.ID, Index: -1, AssociationID: "aws_networkfirewall_vpc_endpoint_association.spoke"}
		if r.TargetKind != model.TargetGatewayEndpoint || r.TargetID != "" || r.Firewall == nil || *r.Firewall != want {
			t.Errorf("route %+v firewall %+v, want %+v", r, r.Firewall, want)
		}
	})
	t.Run("the policy references its rule groups by address, in AWS's terms", func(t *testing.T) {
		p, ok := n.NetworkFirewallPolicies.Get("aws_networkfirewall_firewall_policy.inspection")
		if !ok {
			t.Fatal("no policy")
		}
		if len(p.Unknowns) != 0 {
			t.Errorf("unknowns %+v", p.Unknowns)
		}
		if !slices.Equal(p.StatelessDefaultActions, []string{model.NFWForwardToSFE}) || !slices.Equal(p.StatelessFragmentDefaultActions, []string{model.NFWForwardToSFE}) {
			t.Errorf("stateless defaults %v %v", p.StatelessDefaultActions, p.StatelessFragmentDefaultActions)
		}
		if want := []model.StatelessRuleGroupReference{{ResourceARN: "aws_networkfirewall_rule_group.no_ssh", Priority: 10}}; !slices.Equal(p.StatelessRuleGroupReferences, want) {
			t.Errorf("stateless references %+v", p.StatelessRuleGroupReferences)
		}
		if want := []model.StatefulRuleGroupReference{{ResourceARN: "aws_networkfirewall_rule_group.https_only", Priority: 100}}; !slices.Equal(p.StatefulRuleGroupReferences, want) {
			t.Errorf("stateful references %+v", p.StatefulRuleGroupReferences)
		}
		if !p.StatefulEngineOptions.IsStrict() || p.StatefulEngineOptions.StreamExceptionPolicy != "DROP" || !slices.Equal(p.StatefulDefaultActions, []string{model.NFWDropEstablish}) {
			t.Errorf("engine %+v defaults %v", p.StatefulEngineOptions, p.StatefulDefaultActions)
		}
	})
	t.Run("a stateless rule group's rules", func(t *testing.T) {
		g, _ := n.NetworkFirewallRuleGroups.Get("aws_networkfirewall_rule_group.no_ssh")
		if g == nil || !g.RulesKnown || !g.IsStateless() || g.Capacity != 10 || g.RulesSource.StatelessRulesAndCustomActions == nil {
			t.Fatalf("group %+v", g)
		}
		rs := g.RulesSource.StatelessRulesAndCustomActions.StatelessRules
		if len(rs) != 1 || rs[0].Priority != 1 || !slices.Equal(rs[0].Actions, []string{model.NFWDrop}) ||
			!slices.Equal(rs[0].MatchAttributes.Protocols, []int{6}) || !slices.Equal(rs[0].MatchAttributes.DestinationPorts, []model.PortRange{{From: 22, To: 22}}) ||
			len(rs[0].MatchAttributes.Sources) != 1 || rs[0].MatchAttributes.Sources[0].String() != "0.0.0.0/0" || len(rs[0].MatchAttributes.SourcePorts) != 0 {
			t.Errorf("rules %+v", rs)
		}
	})
	t.Run("a stateful rule group's 5-tuple rules", func(t *testing.T) {
		g, _ := n.NetworkFirewallRuleGroups.Get("aws_networkfirewall_rule_group.https_only")
		if g == nil || !g.RulesKnown || g.RuleGroupType != model.NFWStateful || g.StatefulRuleOrder != model.NFWStrictOrder {
			t.Fatalf("group %+v", g)
		}
		want := []model.StatefulRule{{Action: "PASS", Header: model.StatefulRuleHeader{Protocol: "TCP", Source: "ANY", SourcePort: "ANY", Direction: "FORWARD", Destination: "ANY", DestinationPort: "443"},
			RuleOptions: []model.NFWRuleOption{{Keyword: "sid", Settings: []string{"1"}}}}}
		got := g.RulesSource.StatefulRules
		if len(got) != 1 || got[0].Action != want[0].Action || got[0].Header != want[0].Header || len(got[0].RuleOptions) != 1 ||
			got[0].RuleOptions[0].Keyword != "sid" || !slices.Equal(got[0].RuleOptions[0].Settings, []string{"1"}) {
			t.Errorf("rules %+v, want %+v", got, want)
		}
	})
	t.Run("a value known only after apply makes the rule group unknown, not guessed", func(t *testing.T) {
		g, _ := n.NetworkFirewallRuleGroups.Get("aws_networkfirewall_rule_group.admin")
		if g == nil || g.RulesKnown || g.RuleGroupType != model.NFWStateful || !g.HasUnknown("RuleGroup") {
			t.Fatalf("group %+v", g)
		}
		if u := g.Unknowns[0].Reason; !strings.Contains(u, "ip_sets[0].ip_set[0].definition is known only after apply") {
			t.Errorf("reason %q", u)
		}
	})
}

// TestNetworkFirewallState: in state the firewall's sync states give its
// endpoint IDs, and a route's vpc_endpoint_id finds the firewall by them.
func TestNetworkFirewallState(t *testing.T) {
	n, err := loadString(t, nfwState)
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:network-firewall:eu-west-1:111122223333:firewall/edge"
	fw, ok := n.NetworkFirewalls.Get(arn)
	if !ok {
		t.Fatal("no firewall by its ARN")
	}
	want := []model.FirewallEndpoint{
		{AvailabilityZone: "eu-west-1a", SubnetID: "subnet-fa", EndpointID: "vpce-0aaa", Status: "READY"},
		{AvailabilityZone: "eu-west-1b", SubnetID: "subnet-fb", EndpointID: "vpce-0bbb", Status: "READY"},
	}
	if !fw.EndpointsKnown || !slices.Equal(fw.Endpoints[:2], want) || fw.Account != "111122223333" || fw.Region != "eu-west-1" {
		t.Errorf("firewall %+v", fw)
	}
	if f, ep, ok := n.FirewallByEndpoint("vpce-0bbb"); !ok || f != fw || ep.SubnetID != "subnet-fb" {
		t.Errorf("FirewallByEndpoint(vpce-0bbb) = %v %+v %v", f, ep, ok)
	}
	assoc := model.FirewallEndpoint{AvailabilityZone: "eu-west-1c", SubnetID: "subnet-sp", EndpointID: "vpce-0ccc", Status: "READY",
		AssociationID: "arn:aws:network-firewall:eu-west-1:111122223333:vpc-endpoint-association/spoke"}
	if f, ep, ok := n.FirewallByEndpoint("vpce-0ccc"); !ok || f != fw || *ep != assoc {
		t.Errorf("FirewallByEndpoint(vpce-0ccc) = %v %+v %v, want the association's endpoint %+v", f, ep, ok, assoc)
	}
	rt, _ := n.RouteTables.Get("rtb-app")
	if r := rt.Routes[len(rt.Routes)-1]; r.TargetKind != model.TargetGatewayEndpoint || r.TargetID != "vpce-0bbb" || r.Firewall != nil {
		t.Errorf("route %+v", r)
	}
	p, _ := n.NetworkFirewallPolicies.Get("arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/edge")
	if p == nil || len(p.StatefulRuleGroupReferences) != 1 || !model.IsManagedRuleGroup(p.StatefulRuleGroupReferences[0].ResourceARN) {
		t.Errorf("policy %+v", p)
	}
	g, _ := n.NetworkFirewallRuleGroups.Get("arn:aws:network-firewall:eu-west-1:111122223333:stateful-rulegroup/deny-list")
	if g == nil || !g.RulesKnown || g.RulesSource.RulesSourceList == nil || g.RulesSource.RulesSourceList.GeneratedRulesType != "DENYLIST" {
		t.Errorf("rule group %+v", g)
	}
	g, _ = n.NetworkFirewallRuleGroups.Get("arn:aws:network-firewall:eu-west-1:111122223333:stateful-rulegroup/suricata")
	if g == nil || !g.RulesKnown || g.RulesSource.RulesString != "drop tcp any any -> any 23 (sid:5;)" {
		t.Errorf("rules attribute: group %+v", g)
	}
}

// TestNetworkFirewallBadValues: a value AWS refuses is an error naming the
// file, the resource and its line (exit 2), never repaired.
func TestNetworkFirewallBadValues(t *testing.T) {
	data, err := os.ReadFile("testdata/netfirewall.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to, resource, msg string }{
		{"unknown stateless action", `("actions": \[\s*)"aws:drop"`, `$1"aws:allow"`, "aws_networkfirewall_rule_group.no_ssh", `"aws:allow" is neither aws:pass, aws:drop, aws:forward_to_sfe nor a custom action`},
		{"port range out of order", `("destination_port": \[\s*\{\s*"from_port": )22`, `${1}220`, "aws_networkfirewall_rule_group.no_ssh", "port range 220-22"},
		{"stateful action", `"action": "PASS"`, `"action": "ALLOW"`, "aws_networkfirewall_rule_group.https_only", `Action "ALLOW" is not PASS, DROP, ALERT or REJECT`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			js := regexp.MustCompile(tc.from).ReplaceAllString(string(data), tc.to)
			if js == string(data) {
				t.Fatalf("fixture has no %q", tc.from)
			}
			_, err := loadString(t, js)
			var de *diag.Error
			if !errors.As(err, &de) || de.Code != "bad-value" || de.Resource != tc.resource || de.Line == 0 || de.File != "inline.json" || !strings.Contains(de.Message, tc.msg) {
				t.Fatalf("error %#v, want bad-value at %s: %s", err, tc.resource, tc.msg)
			}
		})
	}
}

const nfwState = `{
  "format_version": "1.0",
  "terraform_version": "1.9.5",
  "values": {"root_module": {"resources": [
    {"address": "aws_vpc.edge", "mode": "managed", "type": "aws_vpc", "name": "edge",
     "values": {"id": "vpc-0e", "arn": "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0e", "cidr_block": "10.1.0.0/16", "owner_id": "111122223333",
                "main_route_table_id": "rtb-main", "default_security_group_id": "sg-d", "default_network_acl_id": "acl-d"}},
    {"address": "aws_subnet.fa", "mode": "managed", "type": "aws_subnet", "name": "fa",
     "values": {"id": "subnet-fa", "vpc_id": "vpc-0e", "cidr_block": "10.1.0.0/28", "availability_zone": "eu-west-1a"}},
    {"address": "aws_subnet.fb", "mode": "managed", "type": "aws_subnet", "name": "fb",
     "values": {"id": "subnet-fb", "vpc_id": "vpc-0e", "cidr_block": "10.1.0.16/28", "availability_zone": "eu-west-1b"}},
    {"address": "aws_subnet.app", "mode": "managed", "type": "aws_subnet", "name": "app",
     "values": {"id": "subnet-app", "vpc_id": "vpc-0e", "cidr_block": "10.1.1.0/24", "availability_zone": "eu-west-1b"}},
    {"address": "aws_route_table.app", "mode": "managed", "type": "aws_route_table", "name": "app",
     "values": {"id": "rtb-app", "vpc_id": "vpc-0e", "route": [
       {"cidr_block": "0.0.0.0/0", "vpc_endpoint_id": "vpce-0bbb", "gateway_id": "", "nat_gateway_id": "", "transit_gateway_id": "",
        "network_interface_id": "", "vpc_peering_connection_id": "", "egress_only_gateway_id": "", "carrier_gateway_id": "",
        "core_network_arn": "", "local_gateway_id": "", "ipv6_cidr_block": "", "destination_prefix_list_id": ""}]}},
    {"address": "aws_networkfirewall_rule_group.deny", "mode": "managed", "type": "aws_networkfirewall_rule_group", "name": "deny",
     "values": {"id": "arn:aws:network-firewall:eu-west-1:111122223333:stateful-rulegroup/deny-list",
                "arn": "arn:aws:network-firewall:eu-west-1:111122223333:stateful-rulegroup/deny-list",
                "name": "deny-list", "type": "STATEFUL", "capacity": 100, "rules": "",
                "rule_group": [{"rules_source": [{"rules_string": "", "stateful_rule": [], "stateless_rules_and_custom_actions": [],
                  "rules_source_list": [{"generated_rules_type": "DENYLIST", "target_types": ["TLS_SNI", "HTTP_HOST"], "targets": [".example.com"]}]}],
                  "rule_variables": [], "reference_sets": [], "stateful_rule_options": []}]}},
    {"address": "aws_networkfirewall_rule_group.suricata", "mode": "managed", "type": "aws_networkfirewall_rule_group", "name": "suricata",
     "values": {"id": "arn:aws:network-firewall:eu-west-1:111122223333:stateful-rulegroup/suricata",
                "arn": "arn:aws:network-firewall:eu-west-1:111122223333:stateful-rulegroup/suricata",
                "name": "suricata", "type": "STATEFUL", "capacity": 10, "rules": "drop tcp any any -> any 23 (sid:5;)", "rule_group": []}},
    {"address": "aws_networkfirewall_firewall_policy.edge", "mode": "managed", "type": "aws_networkfirewall_firewall_policy", "name": "edge",
     "values": {"id": "arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/edge",
                "arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/edge", "name": "edge",
                "firewall_policy": [{"stateless_default_actions": ["aws:forward_to_sfe"], "stateless_fragment_default_actions": ["aws:forward_to_sfe"],
                  "stateful_rule_group_reference": [{"resource_arn": "arn:aws:network-firewall:eu-west-1:aws-managed:stateful-rulegroup/ThreatSignaturesBotnetStrictOrder", "priority": 0, "override": []}],
                  "stateless_rule_group_reference": [], "stateless_custom_action": [], "policy_variables": [], "stateful_engine_options": []}]}},
    {"address": "aws_networkfirewall_firewall.edge", "mode": "managed", "type": "aws_networkfirewall_firewall", "name": "edge",
     "values": {"id": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/edge",
                "arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/edge", "name": "edge", "vpc_id": "vpc-0e",
                "firewall_policy_arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/edge",
                "subnet_mapping": [{"subnet_id": "subnet-fa", "ip_address_type": "IPV4"}, {"subnet_id": "subnet-fb", "ip_address_type": "IPV4"}],
                "firewall_status": [{"sync_states": [
                  {"availability_zone": "eu-west-1b", "attachment": [{"endpoint_id": "vpce-0bbb", "subnet_id": "subnet-fb", "status": "READY"}]},
                  {"availability_zone": "eu-west-1a", "attachment": [{"endpoint_id": "vpce-0aaa", "subnet_id": "subnet-fa", "status": "READY"}]}],
                  "transit_gateway_attachment_sync_states": []}]}},
    {"address": "aws_subnet.spoke", "mode": "managed", "type": "aws_subnet", "name": "spoke",
     "values": {"id": "subnet-sp", "vpc_id": "vpc-0e", "cidr_block": "10.1.2.0/28", "availability_zone": "eu-west-1c"}},
    {"address": "aws_networkfirewall_vpc_endpoint_association.spoke", "mode": "managed", "type": "aws_networkfirewall_vpc_endpoint_association", "name": "spoke",
     "values": {"vpc_endpoint_association_arn": "arn:aws:network-firewall:eu-west-1:111122223333:vpc-endpoint-association/spoke",
                "firewall_arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/edge", "vpc_id": "vpc-0e",
                "subnet_mapping": [{"subnet_id": "subnet-sp", "ip_address_type": "IPV4"}],
                "vpc_endpoint_association_status": [{"association_sync_state": [
                  {"availability_zone": "eu-west-1c", "attachment": [{"endpoint_id": "vpce-0ccc", "subnet_id": "subnet-sp", "status": "READY", "status_message": ""}]}]}]}}
  ]}}
}`

// TestGatewayLoadBalancerState: a Gateway Load Balancer has no scheme
// and no public address whatever internal says; its endpoint, listener and
// GENEVE target group are read so that a path through the endpoint names
// the appliance fleet.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
func TestGatewayLoadBalancerState(t *testing.T) {
	n := load(t, "testdata/gwlb-state.json")
	arn := "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/inspection/0123456789abcdef"
	lb, ok := n.LoadBalancers.Get(arn)
	if !ok {
		t.Fatal("no gateway load balancer")
	}
	if lb.LBType != "gateway" || lb.IsInternetFacing() || len(lb.Listeners) != 1 || lb.Listeners[0].Protocol != "GENEVE" {
		t.Errorf("load balancer: type %q scheme %q listeners %+v", lb.LBType, lb.Scheme, lb.Listeners)
	}
	for _, eni := range n.NetworkInterfaces.All() {
		public := eni.PublicIPAssigned || eni.HasUnknown("PublicIp")
		for _, ip := range eni.PrivateIPs {
			public = public || ip.PublicIP.IsValid() || ip.PublicUnknown != "" || ip.PublicAssigned
		}
		if eni.OwnerID == arn && public {
			t.Errorf("gateway load balancer interface %s may have a public address: %+v", eni.ID, eni.Unknowns)
		}
	}
	tg, _ := n.TargetGroups.Get("arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/appliances/0123456789abcdef")
	if tg == nil || tg.Protocol != "GENEVE" || !slices.Contains(tg.LoadBalancerARNs, arn) {
		t.Errorf("target group %+v", tg)
	}
	ep, _ := n.VPCEndpoints.Get("vpce-0gwlb")
	if ep == nil || ep.EndpointType != "GatewayLoadBalancer" || ep.ServiceName != "com.amazonaws.vpce.eu-west-1.vpce-svc-0123" {
		t.Errorf("endpoint %+v", ep)
	}
}

// TestNetworkFirewallRouteExpressions: what a route's vpc_endpoint_id
// expression says about the endpoint, and nothing more.
func TestNetworkFirewallRouteExpressions(t *testing.T) {
	data, err := os.ReadFile("testdata/netfirewall.json")
	if err != nil {
		t.Fatal(err)
	}
	fwRefs := `"aws_networkfirewall_firewall.inspection.firewall_status[0].sync_states",` + "\n" + strings.Repeat(" ", 16) +
		`"aws_networkfirewall_firewall.inspection.firewall_status",` + "\n" + strings.Repeat(" ", 16) + `"aws_networkfirewall_firewall.inspection"`
	if !strings.Contains(string(data), fwRefs) {
		t.Fatal("fixture changed: no reference to the firewall's sync_states")
	}
	for _, tc := range []struct {
		name, refs string
		want       *model.RouteFirewallTarget
		unknown    string
	}{
		{"a for expression on one subnet's zone picks that zone's endpoint",
			fwRefs + `, "aws_subnet.public.availability_zone", "aws_subnet.public"`,
			&model.RouteFirewallTarget{FirewallID: "aws_networkfirewall_firewall.inspection", Index: -1, AvailabilityZone: "ap-northeast-1a"}, ""},
		{"another resource in the expression: the target is unknown",
			fwRefs + `, "aws_instance.web.primary_network_interface_id", "aws_instance.web"`, nil, "vpc_endpoint_id is known only after apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := loadString(t, strings.ReplaceAll(string(data), fwRefs, tc.refs))
			if err != nil {
				t.Fatal(err)
			}
			rt, _ := n.RouteTables.Get("aws_route_table.public")
			r := rt.Routes[len(rt.Routes)-1]
			switch {
			case tc.want != nil && (r.Firewall == nil || *r.Firewall != *tc.want || r.TargetKind != model.TargetGatewayEndpoint):
				t.Errorf("route %+v firewall %+v, want %+v", r, r.Firewall, tc.want)
			case tc.want == nil && (r.Firewall != nil || r.TargetKind != model.TargetUnknown || len(rt.Unknowns) == 0 || !strings.Contains(rt.Unknowns[0].Reason, tc.unknown)):
				t.Errorf("route %+v firewall %+v unknowns %+v", r, r.Firewall, rt.Unknowns)
			}
		})
	}
}

// TestNetworkFirewallPolicyReferencePairing: a plan's stateful references
// are a set, so their values come in any order. Blocks alike but for their
// reference pair with values alike; blocks told apart only by values the
// configuration does not show leave the policy unknown, never mispaired.
func TestNetworkFirewallPolicyReferencePairing(t *testing.T) {
	group := func(name string) map[string]any {
		return map[string]any{"address": "aws_networkfirewall_rule_group." + name, "mode": "managed", "type": "aws_networkfirewall_rule_group", "name": name,
			"change": map[string]any{"actions": []string{"create"}, "after": map[string]any{"name": name, "type": "STATEFUL", "capacity": 10,
				"rules": "pass tcp any any -> any 443 (sid:1;)", "rule_group": []any{}}, "after_unknown": map[string]any{"id": true, "arn": true}}}
	}
	plan := func(priorities []any, priorityExpr func(i int) map[string]any) string {
		var refs, unk, cfg []any
		for i, p := range priorities {
			ref := map[string]any{"override": []any{}}
			if p != nil {
				ref["priority"] = p
			}
			refs = append(refs, ref)
			unk = append(unk, map[string]any{"resource_arn": true})
			name := []string{"a", "b"}[i]
			c := map[string]any{"resource_arn": map[string]any{"references": []string{"aws_networkfirewall_rule_group." + name + ".arn", "aws_networkfirewall_rule_group." + name}}}
			if priorityExpr != nil {
				c["priority"] = priorityExpr(i)
			}
			cfg = append(cfg, c)
		}
		order := "DEFAULT_ACTION_ORDER"
		if priorities[0] != nil {
			order = "STRICT_ORDER"
		}
		policy := map[string]any{"address": "aws_networkfirewall_firewall_policy.p", "mode": "managed", "type": "aws_networkfirewall_firewall_policy", "name": "p",
			"change": map[string]any{"actions": []string{"create"}, "after": map[string]any{"name": "p", "firewall_policy": []any{map[string]any{
				"stateless_default_actions": []string{"aws:forward_to_sfe"}, "stateless_fragment_default_actions": []string{"aws:forward_to_sfe"},
				"stateful_engine_options": []any{map[string]any{"rule_order": order}}, "stateful_rule_group_reference": refs}}},
				"after_unknown": map[string]any{"id": true, "arn": true, "firewall_policy": []any{map[string]any{"stateful_rule_group_reference": unk}}}}}
		conf := map[string]any{"address": "aws_networkfirewall_firewall_policy.p", "mode": "managed", "type": "aws_networkfirewall_firewall_policy", "name": "p",
			"expressions": map[string]any{"firewall_policy": []any{map[string]any{"stateful_rule_group_reference": cfg}}}}
		js, _ := json.Marshal(map[string]any{"format_version": "1.2", "resource_changes": []any{group("a"), group("b"), policy},
			"configuration": map[string]any{"root_module": map[string]any{"resources": []any{conf}}}})
		return string(js)
	}
	refsOf := func(t *testing.T, js string) *model.NetworkFirewallPolicy {
		t.Helper()
		n, err := loadString(t, js)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := n.NetworkFirewallPolicies.Get("aws_networkfirewall_firewall_policy.p")
		return p
	}
	t.Run("default action order: both groups, whatever the order", func(t *testing.T) {
		p := refsOf(t, plan([]any{nil, nil}, nil))
		var got []string
		for _, r := range p.StatefulRuleGroupReferences {
			got = append(got, r.ResourceARN)
		}
		slices.Sort(got)
		if len(p.Unknowns) != 0 || !slices.Equal(got, []string{"aws_networkfirewall_rule_group.a", "aws_networkfirewall_rule_group.b"}) {
			t.Errorf("references %v unknowns %+v", got, p.Unknowns)
		}
	})
	t.Run("constant priorities pair each reference with its block", func(t *testing.T) {
		p := refsOf(t, plan([]any{2, 1}, func(i int) map[string]any { return map[string]any{"constant_value": []int{2, 1}[i]} }))
		want := []model.StatefulRuleGroupReference{{ResourceARN: "aws_networkfirewall_rule_group.a", Priority: 2}, {ResourceARN: "aws_networkfirewall_rule_group.b", Priority: 1}}
		if len(p.Unknowns) != 0 || !slices.Equal(p.StatefulRuleGroupReferences, want) {
			t.Errorf("references %+v unknowns %+v", p.StatefulRuleGroupReferences, p.Unknowns)
		}
	})
	t.Run("priorities from variables cannot be paired: the policy is unknown", func(t *testing.T) {
		p := refsOf(t, plan([]any{2, 1}, func(i int) map[string]any {
			return map[string]any{"references": []string{"var.p" + string(rune('a'+i))}}
		}))
		if !p.HasUnknown("FirewallPolicy") || len(p.StatefulRuleGroupReferences) != 0 {
			t.Errorf("references %+v unknowns %+v", p.StatefulRuleGroupReferences, p.Unknowns)
		}
	})
}
