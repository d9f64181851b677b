package main

import (
	"strings"
	"testing"
)

// TestNetworkFirewallExample reads examples/network-firewall end to end:
// the snapshot's Network Firewall outputs, the route to the endpoint, the
// edge route table back to it, and the policy's decisions
// (docs/aws-behaviour.md R9.1-R9.6).
func TestNetworkFirewallExample(t *testing.T) {
	runFirewallCases(t, "NetworkFirewall::", []firewallCase{
		{[]string{"exposure", "../../examples/network-firewall"}, []string{
			"tcp 80 0.0.0.0/0 medium possibly-reachable", "sid:200 (drop) may match", "tcp 443 0.0.0.0/0 medium reachable"}},
		{[]string{"path", "../../examples/network-firewall", "--from", "internet", "--to", "eni-0f1000000000000w1", "--port", "22"}, []string{
			"verdict: unreachable", "NFW_STATEFUL_DEFAULT_DROP", "aws:drop_established"}},
		{[]string{"path", "../../examples/network-firewall", "--from", "internet", "--to", "eni-0f1000000000000w1", "--port", "23"}, []string{
			"verdict: unreachable", "NFW_STATELESS_RULE_DROP", "priority 1 (aws:drop)"}},
		{[]string{"path", "../../examples/network-firewall", "--from", "eni-0f1000000000000w1", "--to", "8.8.8.8", "--port", "443"}, []string{
			"verdict: reachable", "passed by rule group", "sid:400", "reply route 10.0.1.0/24 -> vpce-0f1000000000000f1"}},
		{[]string{"inventory", "../../examples/network-firewall"}, []string{
			"AWS::NetworkFirewall::Firewall 1", "AWS::NetworkFirewall::FirewallPolicy 1", "AWS::NetworkFirewall::RuleGroup 2"}},
	})
}

// firewallCase is a command line and what its output holds (spaces
// collapsed).
type firewallCase struct {
	args []string
	want []string
}

// runFirewallCases runs each command, wants exit 0 and every want in its
// output, and no firewall resource (named by notModelled) among what the
// inventory reads but does not model.
func runFirewallCases(t *testing.T, notModelled string, cases []firewallCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errs := runCLI(t, c.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, w := range c.want {
				if !strings.Contains(flat, w) {
					t.Errorf("want %q in:\n%s", w, out)
				}
			}
			if i := strings.Index(out, "Read but not modelled"); i >= 0 && strings.Contains(out[i:], notModelled) {
				t.Errorf("Network Firewall resources listed as not modelled:\n%s", out)
			}
		})
	}
}
