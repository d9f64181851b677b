package reach_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// firewalled puts bigNetwork's VPCs behind AWS Network Firewall, the
// distributed way: each VPC's subnets route 0.0.0.0/0 to its firewall
// endpoint, the firewall subnet routes on to the internet gateway, and the
// gateway's edge route table routes the subnets back through the endpoint.
// All firewalls share one policy of rules stateful rules (header-only
// drops and passes of addresses and ports no interface uses, and a pass
// for tcp/443), in strict order.
func firewalled(n *model.Network, vpcs, rules int) *model.Network {
	var b strings.Builder
	for i := 0; i < rules; i++ {
		act := "drop"
		if i%3 == 0 {
			act = "pass"
		}
		fmt.Fprintf(&b, "%s tcp any any -> 198.18.%d.%d %d (flow:to_server; sid:%d;)\n", act, i/250, i%250, 1000+i%5000, i+1)
	}
	b.WriteString("pass tcp any any -> $HOME_NET 443 (flow:to_server; sid:999999;)\n")
	n.NetworkFirewallRuleGroups.Put(&model.NetworkFirewallRuleGroup{Meta: model.Meta{ID: "big"}, RuleGroupType: model.NFWStateful, Capacity: rules + 1, RulesKnown: true,
		RulesSource: model.RulesSource{RulesString: b.String()}})
	n.NetworkFirewallPolicies.Put(&model.NetworkFirewallPolicy{Meta: model.Meta{ID: "pol"}, StatelessDefaultActions: []string{model.NFWForwardToSFE},
		StatefulEngineOptions:       model.StatefulEngineOptions{RuleOrder: model.NFWStrictOrder},
		StatefulRuleGroupReferences: []model.StatefulRuleGroupReference{{ResourceARN: "big", Priority: 1}}})
	for v := 0; v < vpcs; v++ {
		vpc, igw, vpce := fmt.Sprintf("vpc-%d", v), fmt.Sprintf("igw-%d", v), fmt.Sprintf("vpce-fw-%d", v)
		fsub := fmt.Sprintf("subnet-fw-%d", v)
		n.Subnets.Put(&model.Subnet{Meta: model.Meta{ID: fsub}, VPCID: vpc, CIDR: mustPrefix(fmt.Sprintf("10.%d.200.0/28", v)), AvailabilityZone: "us-east-1a"})
		local := model.Route{Destination: mustPrefix(fmt.Sprintf("10.%d.0.0/16", v)), TargetKind: model.TargetLocal, State: model.RouteActive}
		n.RouteTables.Put(&model.RouteTable{Meta: model.Meta{ID: "rtb-fw-" + vpce}, VPCID: vpc, Associations: []model.RouteTableAssociation{{SubnetID: fsub}},
			Routes: []model.Route{local, {Destination: mustPrefix("0.0.0.0/0"), TargetKind: model.TargetInternetGateway, TargetID: igw, State: model.RouteActive}}})
		n.RouteTables.Put(&model.RouteTable{Meta: model.Meta{ID: "rtb-edge-" + vpce}, VPCID: vpc, Associations: []model.RouteTableAssociation{{GatewayID: igw}},
			Routes: []model.Route{local, {Destination: mustPrefix(fmt.Sprintf("10.%d.0.0/20", v)), TargetKind: model.TargetGatewayEndpoint, TargetID: vpce, State: model.RouteActive}}})
		for _, rt := range n.RouteTables.All() {
			if rt.VPCID != vpc || !rt.IsMain() {
				continue
			}
			for i := range rt.Routes {
				if rt.Routes[i].TargetID == igw && rt.Routes[i].Destination.Bits() == 0 {
					rt.Routes[i].TargetKind, rt.Routes[i].TargetID = model.TargetGatewayEndpoint, vpce
				}
			}
		}
		n.NetworkFirewalls.Put(&model.NetworkFirewall{Meta: model.Meta{ID: "fw-" + vpc}, VPCID: vpc, FirewallPolicyARN: "pol", EndpointsKnown: true,
			SubnetMappings: []model.FirewallSubnetMapping{{SubnetID: fsub}},
			Endpoints:      []model.FirewallEndpoint{{AvailabilityZone: "us-east-1a", SubnetID: fsub, EndpointID: vpce, Status: "READY"}}})
	}
	n.Finalize()
	return n
}

func benchExposure(b *testing.B, n *model.Network) {
	ctx := context.Background()
	var findings int
	for b.Loop() {
		res := reach.New(n).Exposure(ctx, reach.ExposureOptions{})
		findings = len(res.Findings)
	}
	b.ReportMetric(float64(findings), "findings")
}

// BenchmarkExposure10kENIs is the baseline: bigNetwork's 10,000
// interfaces, no firewall.
func BenchmarkExposure10kENIs(b *testing.B) { benchExposure(b, bigNetwork(10, 100)) }

// BenchmarkExposure10kENIsFirewallNoRules: every VPC behind a firewall
// whose policy has no stateful rule but the tcp/443 pass.
func BenchmarkExposure10kENIsFirewallNoRules(b *testing.B) {
	benchExposure(b, firewalled(bigNetwork(10, 100), 10, 0))
}

// BenchmarkExposure10kENIsFirewall10kRules: the same firewalls with a
// policy of 10,000 stateful rules.
func BenchmarkExposure10kENIsFirewall10kRules(b *testing.B) {
	benchExposure(b, firewalled(bigNetwork(10, 100), 10, 10000))
}

// TestFirewalledBigNetworkExposure: the policy drops only addresses no
// interface holds and has no drop default, so the internet reaches the
// same interfaces on the same ports as without the firewall.
func TestFirewalledBigNetworkExposure(t *testing.T) {
	plain := reach.New(bigNetwork(2, 8)).Exposure(context.Background(), reach.ExposureOptions{})
	fw := reach.New(firewalled(bigNetwork(2, 8), 2, 300)).Exposure(context.Background(), reach.ExposureOptions{})
	count := func(r *reach.ExposureResult) (n int) {
		for _, f := range r.Findings {
			if f.From.Kind == "internet" {
				n++
			}
		}
		return n
	}
	if count(plain) == 0 || count(plain) != count(fw) {
		t.Errorf("internet findings: %d without the firewall, %d with it", count(plain), count(fw))
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// TestFirewallRuleOnOneAddressSplitsSharedTraversal: interfaces behind an
// edge route table share a traversal only when their addresses lie in the
// same sets; a stateful rule that drops one interface's address keeps
// that interface out of the findings of its neighbours in the subnet,
// which have the same groups and still get theirs.
func TestFirewallRuleOnOneAddressSplitsSharedTraversal(t *testing.T) {
	n := firewalled(bigNetwork(1, 8), 1, 0)
	n.NetworkFirewallRuleGroups.Put(&model.NetworkFirewallRuleGroup{Meta: model.Meta{ID: "big"}, RuleGroupType: model.NFWStateful, Capacity: 2, RulesKnown: true,
		RulesSource: model.RulesSource{RulesString: "drop tcp any any -> 10.0.3.8 443 (sid:1;)\npass tcp any any -> $HOME_NET 443 (flow:to_server; sid:2;)\n"}})
	res := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{})
	open := map[string]bool{}
	for _, f := range res.Findings {
		if f.From.Kind == "internet" && f.Protocol == "tcp" && f.Ports.From <= 443 && f.Ports.To >= 443 {
			for _, h := range f.Via {
				if strings.HasPrefix(h.ID, "eni-") {
					open[h.ID] = true
				}
			}
		}
	}
	for eni, want := range map[string]bool{"eni-0-3-0": true, "eni-0-3-4": false, "eni-0-4-4": true, "eni-0-2-4": true} {
		if open[eni] != want {
			t.Errorf("%s open to the internet on tcp/443: %v, want %v", eni, open[eni], want)
		}
	}
}
