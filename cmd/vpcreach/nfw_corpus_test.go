package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
)

// The AWS Network Firewall samples, answered by hand from the templates.
//
//   - distributed, one zone, one firewall: TestInstance's subnet routes
//     0.0.0.0/0 to the firewall endpoint (!Select [0, EndpointIds]), the
//     firewall subnet to the internet gateway, and the gateway's edge route
//     table routes 10.2.1.0/24 back to the same endpoint: symmetric. The
//     policy forwards everything to the stateful engine in strict order
//     with no stateful default action; its only group (LogOnlyRuleGroup)
//     has alert rules only, so everything passes. Egress on tcp/443 is
//     reachable through the firewall; ICMP from the internet passes the
//     firewall and stops at InstanceSecurityGroup (ICMP from 10.0.0.0/8
//     only); exposure is empty.
//   - multiple endpoints: the edge route table sends the load balancer's
//     subnet to the secondary endpoint (a VpcEndpointAssociation) and the
//     load balancer's subnet routes 0.0.0.0/0 back through it: tcp/80 from
//     the internet to the load balancer's listener is reachable; the policy's default
//     aws:alert_established drops nothing.
//   - centralized egress and east-west, one zone: spoke A to spoke B over
//     the transit gateway crosses the inspection VPC's firewall, whose
//     strict-order policy again only alerts: ICMP is reachable.
//
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/architectures.html
func TestNetworkFirewallSamplesByHand(t *testing.T) {
	dir := filepath.Join(corpustest.Dir(t, "cfn"), "aws-samples+aws-networkfirewall-cfn-templates")
	for _, c := range []struct {
		name     string
		args     []string
		want     []string
		wantCode int
	}{
		{"distributed egress through the firewall",
			[]string{"path", "distributed_architecture/single_az_deployment/combined-ingress-and-egress-firewall/anfw-distributed-1az-single-firewall-template.yaml", "--from", "TestInstance", "--to", "internet", "--port", "443"},
			[]string{"verdict: reachable", "NetworkFirewall", "network firewall endpoint", "passed by no stateful rule matches", "reply route 10.2.1.0/24 -> an endpoint of NetworkFirewall"}, exitOK},
		{"distributed ingress stops at the security group after the firewall",
			[]string{"path", "distributed_architecture/single_az_deployment/combined-ingress-and-egress-firewall/anfw-distributed-1az-single-firewall-template.yaml", "--from", "internet", "--to", "TestInstance", "--protocol", "icmp"},
			[]string{"verdict: unreachable", "network firewall endpoint", "ENI_SG_RULES_MISMATCH"}, exitOK},
		{"distributed exposure is empty",
			[]string{"exposure", "distributed_architecture/single_az_deployment/combined-ingress-and-egress-firewall/anfw-distributed-1az-single-firewall-template.yaml"},
			[]string{"Nothing is reachable from outside."}, exitOK},
		{"secondary endpoint of a multi-endpoint firewall",
			[]string{"exposure", "multi_endpoint/nfw-multi-endpoint.yaml"},
			[]string{"NetworkLoadBalancer (multi-endpoint-nlb) internet InternetGateway (nfw-multi-endpoint-igw) tcp 80 0.0.0.0/0 medium reachable"}, exitOK},
		{"centralized east-west through the inspection VPC",
			[]string{"path", "centralized_architecture/centralized_egress_east_west/single_az/anfw-centralized-egress-east-west-1az-template.yaml", "--from", "EC2SubnetA", "--to", "EC2SubnetB", "--protocol", "icmp"},
			[]string{"verdict: reachable", "EgressFirewall", "network firewall endpoint"}, exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string(nil), c.args...)
			args[1] = filepath.Join(dir, filepath.FromSlash(args[1]))
			code, out, errs := runCLI(t, args...)
			if code != c.wantCode {
				t.Fatalf("exit %d: %s", code, errs)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, w := range c.want {
				if !strings.Contains(flat, w) {
					t.Errorf("want %q in:\n%s", w, out)
				}
			}
		})
	}
}

// TestNetworkFirewallWithoutApplianceModeSampleByHand: the centralized
// two-zone sample with appliance mode turned off on its inspection VPC
// attachment. The transit gateway may then return a flow's replies in the
// other zone, to the endpoint that saw none of the requests: whatever the
// policy passes is only possibly-reachable, naming the attachment.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-tgw-multi-az.html
func TestNetworkFirewallWithoutApplianceModeSampleByHand(t *testing.T) {
	src := filepath.Join(corpustest.Dir(t, "cfn"), "aws-samples+aws-networkfirewall-cfn-templates", "centralized_architecture",
		"centralized_egress_east_west", "two_az", "anfw-centralized-egress-east-west-2az-template.yaml")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	off := filepath.Join(t.TempDir(), "no-appliance-mode.yaml")
	if err := os.WriteFile(off, []byte(strings.ReplaceAll(string(data), "ApplianceModeSupport: enable", "ApplianceModeSupport: disable")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "path", off, "--from", "EC2SubnetA1", "--to", "EC2SubnetB1", "--protocol", "icmp")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, w := range []string{"verdict: possibly-reachable", "AttachVPCC", "has no appliance mode", "endpoints in 2 zones"} {
		if !strings.Contains(flat, w) {
			t.Errorf("want %q in:\n%s", w, out)
		}
	}
	code, out, _ = runCLI(t, "path", src, "--from", "EC2SubnetA1", "--to", "EC2SubnetB1", "--protocol", "icmp")
	if code != exitOK || strings.Contains(out, "appliance mode") {
		t.Errorf("with appliance mode on, exit %d:\n%s", code, out)
	}
}
