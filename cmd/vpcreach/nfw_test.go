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
	for _, c := range []struct {
		args []string
		want []string
	}{
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
	} {
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
			if strings.Contains(out, "Read but not modelled") && strings.Contains(out[strings.Index(out, "Read but not modelled"):], "NetworkFirewall::") {
				t.Errorf("Network Firewall resources listed as not modelled:\n%s", out)
			}
		})
	}
}
