package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const nfwPlan = "../../internal/source/terraform/testdata/netfirewall.json"

// TestNetworkFirewallTerraformPlan reads a planned distributed firewall end
// to end: the internet gateway's edge route table and the web subnet route
// to the firewall by its sync_states (no endpoint ID before apply, one
// subnet: one endpoint), the stateless group drops SSH, the strict-order
// stateful group passes HTTPS and the default aws:drop_established drops
// the rest the security group allows (22, 443, 8080).
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
func TestNetworkFirewallTerraformPlan(t *testing.T) {
	runFirewallCases(t, "aws_networkfirewall", []firewallCase{
		{[]string{"exposure", nfwPlan}, []string{
			"1 finding(s) on 1 resource(s)", "aws_instance.web (web) internet aws_internet_gateway.gw (edge) tcp 443 0.0.0.0/0 medium reachable"}},
		{[]string{"path", nfwPlan, "--from", "internet", "--to", "aws_instance.web", "--port", "443"}, []string{
			"verdict: reachable", "passed by rule group aws_networkfirewall_rule_group.https_only (https-only) sid:1",
			"reply route 0.0.0.0/0 -> an endpoint of aws_networkfirewall_firewall.inspection"}},
		{[]string{"path", nfwPlan, "--from", "internet", "--to", "aws_instance.web", "--port", "22"}, []string{
			"verdict: unreachable", "NFW_STATELESS_RULE_DROP", "aws_networkfirewall_rule_group.no_ssh (no-ssh) priority 1 (aws:drop)"}},
		{[]string{"path", nfwPlan, "--from", "internet", "--to", "aws_instance.web", "--port", "8080"}, []string{
			"verdict: unreachable", "NFW_STATEFUL_DEFAULT_DROP", "aws:drop_established"}},
		// The spoke subnet's route reaches the firewall's policy at the
		// endpoint a VPC endpoint association adds in the spoke VPC.
		{[]string{"path", nfwPlan, "--from", "aws_subnet.spoke_app", "--to", "8.8.8.8", "--port", "80"}, []string{
			"network firewall endpoint (none) in aws_subnet.spoke_fw", "verdict: unreachable", "NFW_STATEFUL_DEFAULT_DROP"}},
		{[]string{"inventory", nfwPlan}, []string{
			"AWS::NetworkFirewall::Firewall 1", "AWS::NetworkFirewall::FirewallPolicy 1", "AWS::NetworkFirewall::RuleGroup 3",
			"aws_networkfirewall_rule_group.admin RuleGroup: rule_group[0].rule_variables[0].ip_sets[0].ip_set[0].definition is known only after apply"}},
	})
}

// TestNetworkFirewallTerraformBadValue: a rule AWS would refuse stops the
// command with exit 2, naming the file, the resource and its line.
func TestNetworkFirewallTerraformBadValue(t *testing.T) {
	data, err := os.ReadFile(nfwPlan)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(bad, []byte(strings.ReplaceAll(string(data), `"action": "PASS"`, `"action": "ALLOW"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "exposure", bad)
	if code != exitUsage || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, w := range []string{bad + ":", "aws_networkfirewall_rule_group.https_only", `Action "ALLOW" is not PASS, DROP, ALERT or REJECT`} {
		if !strings.Contains(errs, w) {
			t.Errorf("want %q in stderr %q", w, errs)
		}
	}
}

// TestGatewayLoadBalancerTerraformState: the internet gateway's edge route
// table sends the web subnet's traffic to a Gateway Load Balancer
// endpoint; what the appliances do is in no source, so the only finding is
// possibly-reachable, naming the load balancer and its target group, and
// the load balancer itself (no public address) is no finding.
// https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html
func TestGatewayLoadBalancerTerraformState(t *testing.T) {
	code, out, errs := runCLI(t, "exposure", "../../internal/source/terraform/testdata/gwlb-state.json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, w := range []string{"1 finding(s) on 1 resource(s)", "i-0web (web) internet igw-0a (edge) tcp 443 0.0.0.0/0 medium possibly-reachable",
		"the packets are inspected by the appliances of arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/inspection/0123456789abcdef (inspection)",
		"targetgroup/appliances/0123456789abcdef (appliances)"} {
		if !strings.Contains(flat, w) {
			t.Errorf("want %q in:\n%s", w, out)
		}
	}
}
