package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
)

// TestNetworkFirewallBeforeNATSampleByHand: in the distributed sample with
// separate ingress and egress firewalls, PrivateSubnet (10.2.1.0/24)
// routes 0.0.0.0/0 to EgressNetworkFirewall's endpoint, the egress
// firewall subnet to NATGateway, and NATSubnet's route table sends
// 0.0.0.0/0 to the internet gateway and 10.2.1.0/24 back to the same
// endpoint: the replies, translated back by the NAT gateway, cross the
// firewall again. The policy's only group (LogOnlyRuleGroup) alerts, strict
// order with no stateful default passes. The flow is symmetric; it is only
// possibly reachable because the NAT gateway's elastic IP is allocated at
// deploy time.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
func TestNetworkFirewallBeforeNATSampleByHand(t *testing.T) {
	dir := filepath.Join(corpustest.Dir(t, "cfn"), "aws-samples+aws-networkfirewall-cfn-templates")
	tpl := filepath.Join(dir, "distributed_architecture", "single_az_deployment", "separate-ingress-and-egress-firewall", "anfw-distributed-1az-dual-firewall-template.yaml")
	code, out, errs := runCLI(t, "path", tpl, "--from", "PrivateInstance1", "--to", "internet", "--port", "443")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, w := range []string{"verdict: possibly-reachable", "EgressNetworkFirewall", "reply route 10.2.1.0/24 -> an endpoint of EgressNetworkFirewall", "NATGatewayEIP is allocated at deploy time"} {
		if !strings.Contains(flat, w) {
			t.Errorf("want %q in:\n%s", w, out)
		}
	}
	if strings.Contains(out, "NFW_ASYMMETRIC_ROUTING") {
		t.Errorf("the replies come back through the endpoint, not asymmetric:\n%s", out)
	}
}
