package reach_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// distributedFirewall is the distributed deployment model of the Network
// Firewall developer guide: an application subnet routed to the firewall
// endpoint, the firewall subnet routed to the internet gateway, and the
// gateway's edge route table sending the application subnet's traffic to
// the endpoint.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
func distributedFirewall(pol *model.NetworkFirewallPolicy, groups ...*model.NetworkFirewallRuleGroup) *reachtest.Builder {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.IGW("igw-1", "vpc-1")
	b.Subnet("subnet-app", "vpc-1", "10.0.0.0/24", "us-east-1a")
	b.Subnet("subnet-fw", "vpc-1", "10.0.100.0/28", "us-east-1a")
	app := b.RouteTable("rtb-app", "vpc-1", "subnet-app")
	b.Route(app, "0.0.0.0/0", "vpce-fw1")
	fwrt := b.RouteTable("rtb-fw", "vpc-1", "subnet-fw")
	b.Route(fwrt, "0.0.0.0/0", "igw-1")
	edge := b.RouteTable("rtb-edge", "vpc-1")
	b.EdgeAssociate(edge, "igw-1")
	b.Route(edge, "10.0.0.0/24", "vpce-fw1")
	b.SG("sg-web", "vpc-1", "in tcp 22 0.0.0.0/0", "in tcp 80 0.0.0.0/0", "in tcp 443 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	web := b.ENI("eni-web", "subnet-app", "10.0.0.10", "sg-web")
	b.PublicIP(web, "54.0.0.10")
	b.Instance("i-web", web)
	pol.ID = "pol"
	b.N.NetworkFirewallPolicies.Put(pol)
	for _, g := range groups {
		b.N.NetworkFirewallRuleGroups.Put(g)
	}
	b.N.NetworkFirewalls.Put(&model.NetworkFirewall{Meta: model.Meta{ID: "fw", Name: "inspection"}, VPCID: "vpc-1", FirewallPolicyARN: "pol",
		SubnetMappings: []model.FirewallSubnetMapping{{SubnetID: "subnet-fw"}}, EndpointsKnown: true,
		Endpoints: []model.FirewallEndpoint{{AvailabilityZone: "us-east-1a", SubnetID: "subnet-fw", EndpointID: "vpce-fw1", Status: "READY"}}})
	return b
}

func forwardAll() *model.NetworkFirewallPolicy {
	return &model.NetworkFirewallPolicy{StatelessDefaultActions: []string{model.NFWForwardToSFE}, StatelessFragmentDefaultActions: []string{model.NFWForwardToSFE}}
}

func statefulGroup(id string, rules string) *model.NetworkFirewallRuleGroup {
	return &model.NetworkFirewallRuleGroup{Meta: model.Meta{ID: id}, RuleGroupType: model.NFWStateful, Capacity: 100, RulesKnown: true,
		RulesSource: model.RulesSource{RulesString: rules}}
}

func withGroups(p *model.NetworkFirewallPolicy, strict bool, ids ...string) *model.NetworkFirewallPolicy {
	for i, id := range ids {
		ref := model.StatefulRuleGroupReference{ResourceARN: id}
		if strict {
			ref.Priority = 100 * (i + 1)
		}
		p.StatefulRuleGroupReferences = append(p.StatefulRuleGroupReferences, ref)
	}
	if strict {
		p.StatefulEngineOptions.RuleOrder = model.NFWStrictOrder
	}
	return p
}

// TestNetworkFirewallFiltersAsTheDeveloperGuideSays follows each rule of
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-policy-processing.html
// and
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html
func TestNetworkFirewallFiltersAsTheDeveloperGuideSays(t *testing.T) {
	tcp, udp := model.ProtoTCP, model.ProtoUDP
	statelessDrop22 := &model.NetworkFirewallRuleGroup{Meta: model.Meta{ID: "sl"}, RuleGroupType: model.NFWStateless, Capacity: 10, RulesKnown: true,
		RulesSource: model.RulesSource{StatelessRulesAndCustomActions: &model.StatelessRulesAndCustomActions{StatelessRules: []model.StatelessRule{
			{Priority: 10, Actions: []string{model.NFWDrop}, MatchAttributes: model.NFWMatchAttributes{Protocols: []int{6}, DestinationPorts: []model.PortRange{{From: 22, To: 22}}}},
			{Priority: 20, Actions: []string{model.NFWPass}, MatchAttributes: model.NFWMatchAttributes{Protocols: []int{6}, DestinationPorts: []model.PortRange{{From: 443, To: 443}}}},
		}}}}
	cases := []struct {
		name     string
		policy   *model.NetworkFirewallPolicy
		groups   []*model.NetworkFirewallRuleGroup
		from, to string
		proto    model.Protocol
		port     uint16
		verdict  reach.Verdict
		code     string
		contains string
	}{
		{name: "stateless rules decide in priority order", policy: func() *model.NetworkFirewallPolicy {
			p := forwardAll()
			p.StatelessRuleGroupReferences = []model.StatelessRuleGroupReference{{ResourceARN: "sl", Priority: 1}}
			return p
		}(), groups: []*model.NetworkFirewallRuleGroup{statelessDrop22}, from: "internet", to: "i-web", proto: tcp, port: 22,
			verdict: reach.Unreachable, code: reach.CodeNFWStatelessDrop, contains: "priority 10"},
		{name: "a stateless pass for requests only drops the replies at the stateless default", policy: func() *model.NetworkFirewallPolicy {
			p := forwardAll()
			p.StatelessDefaultActions = []string{model.NFWDrop}
			p.StatelessRuleGroupReferences = []model.StatelessRuleGroupReference{{ResourceARN: "sl", Priority: 1}}
			return p
		}(), groups: []*model.NetworkFirewallRuleGroup{statelessDrop22}, from: "internet", to: "i-web", proto: tcp, port: 443,
			verdict: reach.Unreachable, code: reach.CodeNFWStatelessDefault, contains: "on the replies"},
		{name: "stateless default forwards to a 5-tuple stateful drop", policy: withGroups(forwardAll(), false, "sf"),
			groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", "drop tcp any any -> any 22 (sid:1;)")},
			from:   "internet", to: "i-web", proto: tcp, port: 22, verdict: reach.Unreachable, code: reach.CodeNFWStatefulDrop, contains: "sid:1"},
		{name: "traffic no stateful rule matches passes in default action order", policy: withGroups(forwardAll(), false, "sf"),
			groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", "drop tcp any any -> any 22 (sid:1;)")},
			from:   "internet", to: "i-web", proto: tcp, port: 443, verdict: reach.Reachable},
		{name: "default action order evaluates pass before drop", policy: withGroups(forwardAll(), false, "sf"),
			groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", "drop tcp any any -> any any (sid:1;)\npass tcp any any -> $HOME_NET 443 (sid:2;)")},
			from:   "internet", to: "i-web", proto: tcp, port: 443, verdict: reach.Reachable, contains: "sid:2"},
		{name: "strict order evaluates rules as written", policy: withGroups(forwardAll(), true, "sf"),
			groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", "drop tcp any any -> any any (sid:1;)\npass tcp any any -> $HOME_NET 443 (sid:2;)")},
			from:   "internet", to: "i-web", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeNFWStatefulDrop, contains: "sid:1"},
		{name: "strict order drop_established drops what no rule passes", policy: func() *model.NetworkFirewallPolicy {
			p := withGroups(forwardAll(), true, "sf")
			p.StatefulDefaultActions = []string{model.NFWDropEstablish}
			return p
		}(), groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", "pass tcp any any -> $HOME_NET 443 (flow:to_server; sid:2;)")},
			from: "internet", to: "i-web", proto: tcp, port: 80, verdict: reach.Unreachable, code: reach.CodeNFWStatefulDefault, contains: "aws:drop_established"},
		{name: "strict order passes what a header rule passes", policy: func() *model.NetworkFirewallPolicy {
			p := withGroups(forwardAll(), true, "sf")
			p.StatefulDefaultActions = []string{model.NFWDropStrict}
			return p
		}(), groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", "pass tcp any any -> $HOME_NET 443 (flow:to_server; sid:2;)")},
			from: "internet", to: "i-web", proto: tcp, port: 443, verdict: reach.Reachable, contains: "sid:2"},
		{name: "a rule that inspects content is possibly-reachable naming it", policy: withGroups(forwardAll(), true, "sf"),
			groups: []*model.NetworkFirewallRuleGroup{statefulGroup("sf", `drop http any any -> $HOME_NET any (http.host; content:"bad.example"; sid:7;)`)},
			from:   "internet", to: "i-web", proto: tcp, port: 80, verdict: reach.PossiblyReachable, contains: "sid:7"},
		{name: "a domain allow list decides HTTP and TLS only by name", policy: withGroups(forwardAll(), false, "dl"),
			groups: []*model.NetworkFirewallRuleGroup{{Meta: model.Meta{ID: "dl"}, RuleGroupType: model.NFWStateful, RulesKnown: true,
				RulesSource: model.RulesSource{RulesSourceList: &model.RulesSourceList{Targets: []string{".example.com"}, TargetTypes: []string{"TLS_SNI", "HTTP_HOST"}, GeneratedRulesType: "ALLOWLIST"}}}},
			from: "i-web", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "domain list dl"},
		{name: "a domain list leaves other traffic to the policy", policy: withGroups(forwardAll(), false, "dl"),
			groups: []*model.NetworkFirewallRuleGroup{{Meta: model.Meta{ID: "dl"}, RuleGroupType: model.NFWStateful, RulesKnown: true,
				RulesSource: model.RulesSource{RulesSourceList: &model.RulesSourceList{Targets: []string{".example.com"}, TargetTypes: []string{"TLS_SNI"}, GeneratedRulesType: "ALLOWLIST"}}}},
			from: "i-web", to: "8.8.8.8", proto: udp, port: 53, verdict: reach.Reachable},
		{name: "a stateless drop rule with an address known only after deployment is possibly-reachable, not a drop", policy: func() *model.NetworkFirewallPolicy {
			p := forwardAll()
			p.StatelessRuleGroupReferences = []model.StatelessRuleGroupReference{{ResourceARN: "slu", Priority: 1}}
			return p
		}(), groups: []*model.NetworkFirewallRuleGroup{{Meta: model.Meta{ID: "slu"}, RuleGroupType: model.NFWStateless, Capacity: 10, RulesKnown: true,
			RulesSource: model.RulesSource{StatelessRulesAndCustomActions: &model.StatelessRulesAndCustomActions{StatelessRules: []model.StatelessRule{
				{Priority: 10, Actions: []string{model.NFWDrop}, Unknown: "a source address of the rule is not known",
					MatchAttributes: model.NFWMatchAttributes{Protocols: []int{6}, DestinationPorts: []model.PortRange{{From: 22, To: 22}}}},
			}}}}}, from: "internet", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "source address of the rule is not known"},
		{name: "an AWS managed rule group no source describes is possibly-reachable", policy: withGroups(forwardAll(), false, "arn:aws:network-firewall:us-east-1:aws-managed:stateful-rulegroup/ThreatSignaturesBotnet"),
			from: "internet", to: "i-web", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "AWS managed rule group"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := distributedFirewall(tc.policy, tc.groups...).Build()
			r := flow(t, n, tc.from, tc.to, tc.proto, tc.port)
			expect(t, r, tc.verdict, tc.code)
			if got := describe(r) + reasonsOf(r); tc.contains != "" && !strings.Contains(got, tc.contains) {
				t.Errorf("want %q in\n%s", tc.contains, got)
			}
			if !strings.Contains(describe(r), "fw "+model.TypeNetworkFirewall) {
				t.Errorf("the firewall is not a hop:\n%s", describe(r))
			}
		})
	}
}

// TestStatefulInspectionNeedsSymmetricRouting: without the internet
// gateway's edge route table, replies from the internet go straight to the
// subnet, around the endpoint that saw the requests.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html
func TestStatefulInspectionNeedsSymmetricRouting(t *testing.T) {
	b := distributedFirewall(withGroups(forwardAll(), false, "sf"), statefulGroup("sf", "pass tcp $HOME_NET any -> any 443 (sid:3;)"))
	edge, _ := b.N.RouteTables.Get("rtb-edge")
	edge.Associations = nil
	n := b.Build()
	r := flow(t, n, "i-web", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.Unreachable, reach.CodeNFWAsymmetric)
	if !strings.Contains(r.Best.BlockedBy.Reason, "vpce-fw1") {
		t.Errorf("the reason does not name the endpoint: %s", r.Best.BlockedBy.Reason)
	}
	// With the edge route table the same flow is symmetric.
	r = flow(t, distributedFirewall(withGroups(forwardAll(), false, "sf"), statefulGroup("sf", "pass tcp $HOME_NET any -> any 443 (sid:3;)")).Build(), "i-web", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.Reachable, "")
}

// TestRepliesThroughAFirewallTheRequestsDidNotCross: without the edge
// route table, requests from the internet reach the subnet directly while
// its replies go to the endpoint.
func TestRepliesThroughAFirewallTheRequestsDidNotCross(t *testing.T) {
	b := distributedFirewall(withGroups(forwardAll(), false, "sf"), statefulGroup("sf", "pass tcp any any -> any 443 (sid:3;)"))
	edge, _ := b.N.RouteTables.Get("rtb-edge")
	edge.Associations = nil
	r := flow(t, b.Build(), "internet", "i-web", model.ProtoTCP, 443)
	expect(t, r, reach.Unreachable, reach.CodeNFWAsymmetric)
}

// TestStatelessPassNeedsNoSymmetricRouting: traffic the stateless engine
// passes in both directions never reaches the stateful engine.
func TestStatelessPassNeedsNoSymmetricRouting(t *testing.T) {
	p := &model.NetworkFirewallPolicy{StatelessDefaultActions: []string{model.NFWPass}, StatelessFragmentDefaultActions: []string{model.NFWPass}}
	b := distributedFirewall(p)
	edge, _ := b.N.RouteTables.Get("rtb-edge")
	edge.Associations = nil
	r := flow(t, b.Build(), "i-web", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.Reachable, "")
}

// TestGatewayLoadBalancerEndpointNamesTheFleet: what the appliances do is
// in no source: possibly-reachable, naming them.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html
func TestGatewayLoadBalancerEndpointNamesTheFleet(t *testing.T) {
	b := publicPrivate()
	pub, _ := b.N.RouteTables.Get("rtb-pub")
	pub.Routes = nil
	b.Route(pub, "10.0.0.0/16", "local")
	b.Route(pub, "0.0.0.0/0", "vpce-gwlb1")
	b.N.VPCEndpoints.Put(&model.VPCEndpoint{Meta: model.Meta{ID: "vpce-gwlb1"}, EndpointType: "GatewayLoadBalancer", ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1", VPCID: "vpc-1"})
	lb := b.LB("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/gwy/appliances/1", "appliances", "gateway", "internal", nil)
	_ = lb
	b.TargetGroup("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/fleet/1", 6081, "i-appliance-1")
	b.Listener(lb, "GENEVE", 6081, "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/fleet/1")
	r := flow(t, b.Build(), "i-web", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.PossiblyReachable, "")
	if got := reasonsOf(r); !strings.Contains(got, "appliances") || !strings.Contains(got, "i-appliance-1") {
		t.Errorf("the reason does not name the fleet: %s", got)
	}
}

// TestExposureThroughAFirewallIsWhatItsRulesLetIn: the security group
// opens 22, 80 and 443; the firewall drops 22.
func TestExposureThroughAFirewallIsWhatItsRulesLetIn(t *testing.T) {
	n := distributedFirewall(withGroups(forwardAll(), false, "sf"), statefulGroup("sf", "drop tcp any any -> $HOME_NET 22 (sid:1;)")).Build()
	res := exposure(t, n)
	wantRows(t, res, "i-web",
		"i-web internet igw-1 tcp 80-80 0.0.0.0/0 reachable medium",
		"i-web internet igw-1 tcp 443-443 0.0.0.0/0 reachable medium")
}

// TestSuricataHeaderSyntax reads variables, lists, negations and port ranges.
func TestSuricataHeaderSyntax(t *testing.T) {
	g := statefulGroup("sf", "pass tcp [10.0.0.0/24,!10.0.0.128/25] any -> $EXTERNAL_NET [80,1024:2048,!1500] (sid:1;)")
	p := withGroups(forwardAll(), true, "sf")
	p.StatefulDefaultActions = []string{model.NFWDropStrict}
	n := distributedFirewall(p, g).Build()
	for _, tc := range []struct {
		port uint16
		want reach.Verdict
	}{{80, reach.Reachable}, {1024, reach.Reachable}, {1500, reach.Unreachable}, {443, reach.Unreachable}} {
		r := flow(t, n, "i-web", "8.8.8.8", model.ProtoTCP, tc.port)
		if r.Verdict != tc.want {
			t.Errorf("port %d: %s, want %s\n%s", tc.port, r.Verdict, tc.want, describe(r))
		}
	}
	_ = netip.Addr{}
}

func reasonsOf(r reach.Result) string {
	var out []string
	for _, o := range r.Outcomes {
		out = append(out, o.Reasons...)
	}
	return r.Reason + "; " + strings.Join(out, "; ")
}

// TestSymmetryUnknownWithoutRouteTables: when the sources did not list
// the route tables, a missing gateway route table may only be missing
// from the sources: the replies may come back through the endpoint, so
// the flow is possibly-reachable, not blocked as asymmetric.
func TestSymmetryUnknownWithoutRouteTables(t *testing.T) {
	b := distributedFirewall(withGroups(forwardAll(), false, "sf"), statefulGroup("sf", "pass tcp $HOME_NET any -> any 443 (sid:3;)"))
	edge, _ := b.N.RouteTables.Get("rtb-edge")
	edge.Associations = nil
	b.N.Coverage = &model.Coverage{}
	for _, k := range model.CoverageKinds {
		if k != model.TypeRouteTable {
			b.N.Coverage.Mark(model.Scope{}, k, model.CoverageRead, "")
		}
	}
	r := flow(t, b.Build(), "i-web", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.PossiblyReachable, "")
	if got := reasonsOf(r); !strings.Contains(got, "route tables") {
		t.Errorf("the reason does not say the route tables were not listed:\n%s", got)
	}
}

// TestUnknownValuesOfARuleGroupOrPolicyDecideNothing: a rule group or a
// policy with a value the sources leave unknown (an IP set entry, a
// default action) is evaluated as unknown, never as if the value were
// absent.
func TestUnknownValuesOfARuleGroupOrPolicyDecideNothing(t *testing.T) {
	g := statefulGroup("sf", "drop tcp $ADMIN any -> any 22 (sid:1;)")
	g.RuleVariables.IPSets = map[string][]netip.Prefix{"ADMIN": nil}
	g.AddUnknown("RuleVariables.IPSets.ADMIN", "known only after deployment")
	r := flow(t, distributedFirewall(withGroups(forwardAll(), false, "sf"), g).Build(), "internet", "i-web", model.ProtoTCP, 22)
	expect(t, r, reach.PossiblyReachable, "")
	if got := reasonsOf(r); !strings.Contains(got, "RuleVariables.IPSets.ADMIN") {
		t.Errorf("the reason does not name the unknown variable:\n%s", got)
	}

	p := withGroups(forwardAll(), true, "sf")
	p.AddUnknown("StatefulDefaultActions", "known only after deployment")
	r = flow(t, distributedFirewall(p, statefulGroup("sf", "pass tcp any any -> $HOME_NET 443 (sid:2;)")).Build(), "internet", "i-web", model.ProtoTCP, 80)
	expect(t, r, reach.PossiblyReachable, "")
	if got := reasonsOf(r); !strings.Contains(got, "StatefulDefaultActions") {
		t.Errorf("the reason does not name the unknown default:\n%s", got)
	}
}
