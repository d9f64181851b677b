package reach_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// TestUnknownsDecideOnlyWhenTheAnswerDependsOnThem: an unknown value
// ranges over a set; the answer is definite when every value gives the
// same one, possibly-reachable (naming the condition) otherwise.
func TestUnknownsDecideOnlyWhenTheAnswerDependsOnThem(t *testing.T) {
	tcp := model.ProtoTCP
	// eni-later in the public subnet gets a public IPv4 at deploy time.
	assigned := func(b *reachtest.Builder, sure bool) {
		ni := b.ENI("eni-later", "subnet-pub", "10.0.0.50", "sg-web")
		why := "AssociatePublicIpAddress is true: AWS picks the public IP at deploy time"
		if !sure {
			why = "AssociatePublicIpAddress is unknown: the interface may have a public IP"
		}
		ni.PrivateIPs[0].PublicUnknown, ni.PrivateIPs[0].PublicAssigned = why, sure
	}
	// A second VPC with a public instance whose group lets in src.
	remote := func(b *reachtest.Builder, src string) {
		b.VPC("vpc-r", "10.9.0.0/16")
		b.IGW("igw-r", "vpc-r")
		b.Subnet("subnet-r", "vpc-r", "10.9.0.0/24", "us-east-1a")
		b.Route(b.RouteTable("rtb-r", "vpc-r", "subnet-r"), "0.0.0.0/0", "igw-r")
		b.SG("sg-r", "vpc-r", "in tcp 443 "+src, "out -1 all 0.0.0.0/0")
		ni := b.ENI("eni-r", "subnet-r", "10.9.0.10", "sg-r")
		b.PublicIP(ni, "54.9.0.10")
	}
	cases := []struct {
		name     string
		edit     func(b *reachtest.Builder)
		from, to string
		port     uint16
		verdict  reach.Verdict
		contains string
	}{
		{name: "public address AWS assigns: every value reaches", edit: func(b *reachtest.Builder) { assigned(b, true) },
			from: "internet", to: "eni-later", port: 22, verdict: reach.Reachable, contains: "destination its public IPv4 -> 10.0.0.50"},
		{name: "public address that may not be assigned stays possible", edit: func(b *reachtest.Builder) { assigned(b, false) },
			from: "internet", to: "eni-later", port: 22, verdict: reach.PossiblyReachable, contains: "may have a public IP"},
		{name: "public address AWS assigns, to a group open to the world", edit: func(b *reachtest.Builder) { assigned(b, true); remote(b, "0.0.0.0/0") },
			from: "eni-later", to: "54.9.0.10", port: 443, verdict: reach.Reachable},
		{name: "public address AWS assigns, to a group open to one address: depends on it", edit: func(b *reachtest.Builder) { assigned(b, true); remote(b, "198.51.100.7/32") },
			from: "eni-later", to: "54.9.0.10", port: 443, verdict: reach.PossiblyReachable, contains: "one of every public IPv4 address, picked by AWS"},
		{name: "public address AWS assigns, to a group open to private addresses only: none matches", edit: func(b *reachtest.Builder) { assigned(b, true); remote(b, "10.0.0.0/8") },
			from: "eni-later", to: "54.9.0.10", port: 443, verdict: reach.Unreachable},
		{name: "NAT gateway address unknown, group allows the whole subnet", edit: func(b *reachtest.Builder) {
			nat, _ := b.N.NATGateways.Get("nat-1")
			nat.Addresses[0].PrivateIP = netip.Addr{}
			remote(b, "3.3.3.3/32")
		}, from: "i-app", to: "54.9.0.10", port: 443, verdict: reach.Reachable},
		// A group's VPC left unknown (a parameter without value) does not
		// change what its rules allow; an unknown rule does.
		{name: "group whose VPC is unknown, rules known", edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-web")
			sg.AddUnknown("VpcId", "parameter VpcId has no value")
		}, from: "internet", to: "i-web", port: 22, verdict: reach.Reachable},
		{name: "group with an unknown rule", edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-web")
			sg.AddUnknown("SecurityGroupIngress", "parameter Rules has no value")
		}, from: "internet", to: "i-web", port: 3389, verdict: reach.PossiblyReachable, contains: "Rules has no value"},
		// A rule's CIDR from a parameter without value: the answer
		// depends on it, and the reason says how.
		{name: "rule from a parameter without value names the condition", edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-web")
			sg.Ingress = append(sg.Ingress, model.SGRule{Protocol: model.ProtoTCP, Ports: model.PortRange{From: 3389, To: 3389},
				Peer: model.UnknownPeer("CidrIp: parameter SSHLocation has no value (no Default, no --param)")})
		}, from: "internet", to: "i-web", port: 3389, verdict: reach.PossiblyReachable, contains: "reachable when SSHLocation contains the source"},
		// sg-app lets in sg-web: a member whose address AWS picks stands
		// for its whole subnet, yet a non-member beside it is no member.
		{name: "group reference: non-member beside a member of unknown address", edit: func(b *reachtest.Builder) {
			ni := b.ENI("eni-member", "subnet-pub", "", "sg-web")
			ni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
			b.SG("sg-other", "vpc-1", "out -1 all 0.0.0.0/0")
			b.ENI("eni-other", "subnet-pub", "10.0.0.77", "sg-other")
		}, from: "eni-other", to: "i-app", port: 8080, verdict: reach.Unreachable},
		{name: "group reference: member of unknown address", edit: func(b *reachtest.Builder) {
			ni := b.ENI("eni-member", "subnet-pub", "", "sg-web")
			ni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
		}, from: "eni-member", to: "i-app", port: 8080, verdict: reach.Reachable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := publicPrivate()
			c.edit(b)
			r := flow(t, b.Build(), c.from, c.to, tcp, c.port)
			expect(t, r, c.verdict, "")
			if c.contains != "" && !strings.Contains(describe(r), c.contains) {
				t.Errorf("explanation lacks %q:\n%s", c.contains, describe(r))
			}
		})
	}
}
