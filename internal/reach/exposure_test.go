package reach_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// seed004 is the network of seed 004: a public and a private subnet, the
// same wide group (SSH from anywhere, RDP from one address) on an instance
// in each, a NAT gateway for the private subnet, and a peered partner VPC
// whose subnet routes back through the peering.
func seed004() *reachtest.Builder {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.IGW("igw-1", "vpc-1")
	b.Subnet("subnet-pub", "vpc-1", "10.0.0.0/24", "ap-northeast-1a")
	b.Subnet("subnet-priv", "vpc-1", "10.0.1.0/24", "ap-northeast-1a")
	pub := b.RouteTable("rtb-pub", "vpc-1", "subnet-pub")
	b.Route(pub, "0.0.0.0/0", "igw-1")
	b.Route(pub, "10.1.0.0/16", "pcx-1")
	priv := b.RouteTable("rtb-priv", "vpc-1", "subnet-priv")
	b.NAT("nat-1", "subnet-pub", "10.0.0.9", "3.3.3.3")
	b.Route(priv, "0.0.0.0/0", "nat-1")
	b.Route(priv, "10.1.0.0/16", "pcx-1")
	b.SG("sg-wide", "vpc-1", "in tcp 22 0.0.0.0/0", "in tcp 3389 203.0.113.5/32", "out -1 all 0.0.0.0/0")
	web := b.ENI("eni-pub", "subnet-pub", "10.0.0.10", "sg-wide")
	b.PublicIP(web, "54.0.0.10")
	b.Instance("i-pub", web)
	b.Instance("i-priv", b.ENI("eni-priv", "subnet-priv", "10.0.1.10", "sg-wide"))

	b.VPC("vpc-2", "10.1.0.0/16")
	b.Subnet("subnet-partner", "vpc-2", "10.1.1.0/24", "ap-northeast-1a")
	b.Subnet("subnet-isolated", "vpc-2", "10.1.2.0/24", "ap-northeast-1a")
	b.RouteTable("rtb-isolated", "vpc-2", "subnet-isolated")
	b.Route(b.MainRouteTable("vpc-2"), "10.0.0.0/16", "pcx-1")
	b.Peering("pcx-1", "vpc-1", "vpc-2")
	return b
}

func exposure(t *testing.T, n *model.Network) *reach.ExposureResult {
	t.Helper()
	return reach.New(n).Exposure(context.Background(), reach.ExposureOptions{})
}

// row renders a finding in one line for comparisons.
func row(f reach.ExposureFinding) string {
	var src []string
	for _, p := range f.From.Sources {
		src = append(src, p.String())
	}
	lb := ""
	if f.LoadBalancer != "" {
		lb = " via " + f.LoadBalancer
	}
	return fmt.Sprintf("%s %s %s %s %d-%d %s %s %s%s", f.Resource.ID, f.From.Kind, f.From.ID, f.Protocol, f.Ports.From, f.Ports.To,
		strings.Join(src, ","), f.Verdict, f.Severity, lb)
}

func rowsOf(res *reach.ExposureResult, resource string) []string {
	var out []string
	for _, f := range res.Findings {
		if resource == "" || f.Resource.ID == resource {
			out = append(out, row(f))
		}
	}
	return out
}

func wantRows(t *testing.T, res *reach.ExposureResult, resource string, want ...string) {
	t.Helper()
	got := rowsOf(res, resource)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings for %s:\n got:\n  %s\nwant:\n  %s\nall:\n  %s", resource, strings.Join(got, "\n  "), strings.Join(want, "\n  "),
			strings.Join(rowsOf(res, ""), "\n  "))
	}
}

func TestSeed004PrivateInstanceHasOnlyPeeringFindings(t *testing.T) {
	res := exposure(t, seed004().Build())
	// The private instance: nothing from the internet (its subnet routes
	// to a NAT gateway, which accepts no inbound connection), SSH from the
	// partner subnet that routes back through the peering (the isolated
	// subnet has no route to it); RDP's only source is a public address,
	// which the peering never carries.
	wantRows(t, res, "i-priv",
		"i-priv vpc-peering pcx-1 tcp 22-22 10.1.1.0/24 reachable low")
	// The public instance: SSH from the whole internet and RDP from one
	// address, both high; SSH from the partner too.
	wantRows(t, res, "i-pub",
		"i-pub internet igw-1 tcp 22-22 0.0.0.0/0 reachable high",
		"i-pub internet igw-1 tcp 3389-3389 203.0.113.5/32 reachable high",
		"i-pub vpc-peering pcx-1 tcp 22-22 10.1.1.0/24 reachable low")
	for _, f := range res.Findings {
		if f.Resource.ID == "i-pub" && f.From.Kind == reach.EdgeInternet {
			ids := viaIDs(f)
			for _, want := range []string{"igw-1", "acl-default-vpc-1", "sg-wide", "eni-pub", "rtb-pub"} {
				if !strings.Contains(ids, want) {
					t.Errorf("via %s lacks %s", ids, want)
				}
			}
			if !strings.Contains(f.Reason, "allowed by sg-wide tcp/") {
				t.Errorf("reason %q does not name the rule", f.Reason)
			}
			if f.Resource.ENI != "eni-pub" || f.Resource.Address.String() != "10.0.0.10" || f.Resource.PublicAddress.String() != "54.0.0.10" {
				t.Errorf("resource %+v", f.Resource)
			}
		}
	}
}

func viaIDs(f reach.ExposureFinding) string {
	var ids []string
	for _, h := range f.Via {
		ids = append(ids, h.ID)
	}
	return strings.Join(ids, " ")
}

func TestNetworkACLDenyingAPortRemovesIt(t *testing.T) {
	b := seed004()
	b.SG("sg-web", "vpc-1", "in tcp 20-30 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	ni := b.ENI("eni-web", "subnet-pub", "10.0.0.20", "sg-web")
	b.PublicIP(ni, "54.0.0.20")
	b.Instance("i-web", ni)
	b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"},
		"90 in deny tcp 22 0.0.0.0/0", "100 in allow -1 all 0.0.0.0/0", "100 out allow -1 all 0.0.0.0/0")
	res := exposure(t, b.Build())
	wantRows(t, res, "i-web",
		"i-web internet igw-1 tcp 20-21 0.0.0.0/0 reachable high",
		"i-web internet igw-1 tcp 23-30 0.0.0.0/0 reachable high",
		"i-web vpc-peering pcx-1 tcp 20-21 10.1.1.0/24 reachable low",
		"i-web vpc-peering pcx-1 tcp 23-30 10.1.1.0/24 reachable low")
}

func TestNetworkACLDroppingRepliesLeavesNoFinding(t *testing.T) {
	b := seed004()
	// Requests come in; replies may only go to well-known ports, which
	// clients never use as source ports.
	b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"},
		"100 in allow -1 all 0.0.0.0/0", "100 out allow tcp 0-1023 0.0.0.0/0")
	res := exposure(t, b.Build())
	wantRows(t, res, "i-pub")
}

func TestNetworkACLNarrowingRepliesIsSaid(t *testing.T) {
	b := seed004()
	b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"},
		"100 in allow -1 all 0.0.0.0/0", "100 out allow tcp 32768-65535 0.0.0.0/0")
	res := exposure(t, b.Build())
	found := false
	for _, f := range res.Findings {
		if f.Resource.ID == "i-pub" && f.From.Kind == reach.EdgeInternet && f.Ports.From == 22 {
			found = true
			if !strings.Contains(f.Reason, "client source ports 32768-65535") {
				t.Errorf("reason %q", f.Reason)
			}
		}
	}
	if !found {
		t.Errorf("no SSH finding:\n%s", strings.Join(rowsOf(res, ""), "\n"))
	}
}

func TestPublicIPWithoutInternetRouteIsNotExposed(t *testing.T) {
	b := seed004()
	ni := b.ENI("eni-lost", "subnet-priv", "10.0.1.30", "sg-wide")
	b.PublicIP(ni, "54.0.0.30")
	b.Instance("i-lost", ni)
	res := exposure(t, b.Build())
	wantRows(t, res, "i-lost",
		"i-lost vpc-peering pcx-1 tcp 22-22 10.1.1.0/24 reachable low")
}

// albFixture puts an internet-facing application load balancer in the
// public subnet, listening on HTTPS 443 and forwarding to port 8080 of two
// private instances whose group also opens SSH to the world.
func albFixture(withENIs bool) *reachtest.Builder {
	b := seed004()
	b.Subnet("subnet-pub-b", "vpc-1", "10.0.2.0/24", "ap-northeast-1c")
	rt, _ := b.N.RouteTables.Get("rtb-pub")
	rt.Associations = append(rt.Associations, model.RouteTableAssociation{SubnetID: "subnet-pub-b"})
	b.SG("sg-alb", "vpc-1", "in tcp 443 0.0.0.0/0", "out tcp 8080 10.0.1.0/24")
	b.SG("sg-app", "vpc-1", "in tcp 8080 sg-alb", "in tcp 22 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	b.Instance("i-app1", b.ENI("eni-app1", "subnet-priv", "10.0.1.21", "sg-app"))
	b.Instance("i-app2", b.ENI("eni-app2", "subnet-priv", "10.0.1.22", "sg-app"))
	arn := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/0123456789abcdef"
	tgARN := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/app/0123456789abcdef"
	b.N.LoadBalancers.Put(&model.LoadBalancer{Meta: model.Meta{ID: arn, Name: "web"}, LBType: "application", Scheme: "internet-facing",
		VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub", "subnet-pub-b"}, SecurityGroupIDs: []string{"sg-alb"},
		Listeners: []model.Listener{{Protocol: "HTTPS", Port: 443, TargetGroupARNs: []string{tgARN}}}})
	b.N.TargetGroups.Put(&model.TargetGroup{Meta: model.Meta{ID: tgARN}, Protocol: "HTTP", Port: 8080, VPCID: "vpc-1", TargetType: "instance",
		LoadBalancerARNs: []string{arn}, TargetsKnown: true, Targets: []model.Target{{ID: "i-app1"}, {ID: "i-app2"}}})
	if withENIs {
		for i, s := range []string{"subnet-pub", "subnet-pub-b"} {
			ni := b.ENI(fmt.Sprintf("eni-alb%d", i), s, fmt.Sprintf("10.0.%d.100", []int{0, 2}[i]), "sg-alb")
			b.PublicIP(ni, fmt.Sprintf("52.0.0.%d", i+1))
			ni.OwnerKind, ni.OwnerID = model.OwnerLoadBalancer, "app/web/0123456789abcdef"
		}
	}
	return b
}

func TestInternetFacingALBExposesListenerAndTargetsThroughIt(t *testing.T) {
	for _, withENIs := range []bool{false, true} {
		t.Run(fmt.Sprintf("interfaces-in-sources=%v", withENIs), func(t *testing.T) {
			res := exposure(t, albFixture(withENIs).Build())
			arn := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/0123456789abcdef"
			// The listener port, from the internet and from the peer.
			wantRows(t, res, arn,
				arn+" internet igw-1 tcp 443-443 0.0.0.0/0 reachable medium",
				arn+" vpc-peering pcx-1 tcp 443-443 10.1.1.0/24 reachable low")
			// The targets: port 8080 through the load balancer only; the
			// SSH their group opens to the world is not reachable from the
			// internet (private subnet), only from the peer.
			for _, id := range []string{"i-app1", "i-app2"} {
				wantRows(t, res, id,
					id+" vpc-peering pcx-1 tcp 22-22 10.1.1.0/24 reachable low",
					id+" internet igw-1 tcp 8080-8080 0.0.0.0/0 reachable medium via "+arn,
					id+" vpc-peering pcx-1 tcp 8080-8080 10.1.1.0/24 reachable low via "+arn)
			}
			for _, f := range res.Findings {
				if f.LoadBalancer != "" {
					if f.Via[0].ID != arn || f.Via[0].Type != model.TypeLoadBalancerV2 {
						t.Errorf("via %v does not start with the load balancer", f.Via)
					}
					if !strings.Contains(f.Reason, "listener HTTPS:443 to port 8080") || !strings.Contains(f.Reason, "sg-app tcp/8080 from sg-alb") {
						t.Errorf("reason %q", f.Reason)
					}
				}
			}
		})
	}
}

func TestInternalLoadBalancerIsNotExposedToTheInternet(t *testing.T) {
	b := albFixture(false)
	for _, lb := range b.N.LoadBalancers.All() {
		lb.Scheme = "internal"
	}
	res := exposure(t, b.Build())
	for _, f := range res.Findings {
		if f.From.Kind == reach.EdgeInternet && (f.LoadBalancer != "" || strings.Contains(f.Resource.ID, "loadbalancer")) {
			t.Errorf("internal load balancer exposed: %s", row(f))
		}
	}
}

func TestUnknownPeerInRuleGivesPossiblyReachable(t *testing.T) {
	b := seed004()
	sg := b.SG("sg-maybe", "vpc-1", "in tcp 5432 ?", "out -1 all 0.0.0.0/0")
	_ = sg
	ni := b.ENI("eni-db", "subnet-pub", "10.0.0.40", "sg-maybe")
	b.PublicIP(ni, "54.0.0.40")
	b.Instance("i-db", ni)
	res := exposure(t, b.Build())
	got := rowsOf(res, "i-db")
	if len(got) == 0 || !strings.Contains(got[0], "tcp 5432-5432 0.0.0.0/0 possibly-reachable high") {
		t.Fatalf("got %v", got)
	}
	for _, f := range res.Findings {
		if f.Resource.ID == "i-db" && f.Reason == "" {
			t.Errorf("possibly-reachable without a reason: %s", row(f))
		}
	}
}

func TestAllProtocolsOpenIsOneRow(t *testing.T) {
	b := seed004()
	b.SG("sg-open", "vpc-1", "in -1 all 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	ni := b.ENI("eni-open", "subnet-pub", "10.0.0.50", "sg-open")
	b.PublicIP(ni, "54.0.0.50")
	b.Instance("i-open", ni)
	res := exposure(t, b.Build())
	wantRows(t, res, "i-open",
		"i-open internet igw-1 all 0-65535 0.0.0.0/0 reachable high",
		"i-open vpc-peering pcx-1 all 0-65535 10.1.1.0/24 reachable low")
}

func TestExposureIsDeterministicWithWorkers(t *testing.T) {
	n := albFixture(false).Build()
	a := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{Workers: 1})
	b := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{Workers: 4})
	if strings.Join(rowsOf(a, ""), "\n") != strings.Join(rowsOf(b, ""), "\n") {
		t.Errorf("1 worker:\n%s\n4 workers:\n%s", strings.Join(rowsOf(a, ""), "\n"), strings.Join(rowsOf(b, ""), "\n"))
	}
}

func TestSeverityTable(t *testing.T) {
	for _, tc := range []struct {
		kind  reach.EdgeKind
		proto string
		from  uint16
		to    uint16
		want  reach.Severity
	}{
		{reach.EdgeInternet, "tcp", 22, 22, reach.SeverityHigh},
		{reach.EdgeInternet, "tcp", 3000, 3400, reach.SeverityHigh},
		{reach.EdgeInternet, "tcp", 443, 443, reach.SeverityMedium},
		{reach.EdgeInternet, "tcp", 0, 65535, reach.SeverityHigh},
		{reach.EdgeInternet, "udp", 11211, 11211, reach.SeverityHigh},
		{reach.EdgeInternet, "icmp", 8, 8, reach.SeverityMedium},
		{reach.EdgeInternet, "all", 0, 65535, reach.SeverityHigh},
		{reach.EdgePeering, "tcp", 22, 22, reach.SeverityLow},
		{reach.EdgeVPNGateway, "all", 0, 65535, reach.SeverityLow},
	} {
		if got := reach.SeverityOf(tc.kind, tc.proto, model.PortRange{From: tc.from, To: tc.to}); got != tc.want {
			t.Errorf("%s %s %d-%d: %s, want %s", tc.kind, tc.proto, tc.from, tc.to, got, tc.want)
		}
	}
}

var _ = netip.Addr{}

// Through a transit gateway, the sources are the attached VPCs the
// gateway routes replies to (and whose requests it routes here): VPC C is
// attached but its CIDR has no route in the gateway's table.
func TestTransitGatewaySourcesAreTheRoutedVPCs(t *testing.T) {
	res := exposure(t, tgwFixture().Build())
	wantRows(t, res, "i-a",
		"i-a transit-gateway tgw-attach-a tcp 22-22 10.1.0.0/16 reachable low")
}

// A rule that references a group of another VPC matches its members
// across a transit gateway only when the gateway's security group
// referencing support is on, which snapshots do not show: possibly.
func TestTransitGatewayGroupReferenceIsPossible(t *testing.T) {
	b := tgwFixture()
	b.SG("sg-b", "vpc-b", "out -1 all 0.0.0.0/0")
	b.Instance("i-b", b.ENI("eni-b", "subnet-vpc-b", "10.1.1.10", "sg-b"))
	b.SG("sg-ref", "vpc-a", "in tcp 5432 sg-b", "out -1 all 0.0.0.0/0")
	b.Instance("i-db", b.ENI("eni-db", "subnet-vpc-a", "10.0.1.20", "sg-ref"))
	res := exposure(t, b.Build())
	got := rowsOf(res, "i-db")
	if len(got) != 1 || !strings.Contains(got[0], "tcp 5432-5432 10.1.1.10/32 possibly-reachable low") {
		t.Fatalf("got %v", got)
	}
	for _, f := range res.Findings {
		if f.Resource.ID == "i-db" && !strings.Contains(f.Reason, "security group referencing") {
			t.Errorf("reason %q", f.Reason)
		}
	}
}

func tgwFixture() *reachtest.Builder {
	b := reachtest.New()
	for i, c := range []string{"10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"} {
		v := fmt.Sprintf("vpc-%c", 'a'+i)
		b.VPC(v, c)
		b.Subnet("subnet-"+v, v, strings.Replace(c, "0.0/16", "1.0/24", 1), "us-east-1a")
		rt := b.RouteTable("rtb-"+v, v, "subnet-"+v)
		b.Route(rt, "10.0.0.0/8", "tgw-1")
	}
	tgw := b.TGW("tgw-1")
	b.TGWAttach("tgw-attach-a", "tgw-1", "vpc-a", "subnet-vpc-a")
	b.TGWAttach("tgw-attach-b", "tgw-1", "vpc-b", "subnet-vpc-b")
	b.TGWAttach("tgw-attach-c", "tgw-1", "vpc-c", "subnet-vpc-c")
	b.TGWRoute(tgw, "10.0.0.0/16", "tgw-attach-a")
	b.TGWRoute(tgw, "10.1.0.0/16", "tgw-attach-b")
	b.SG("sg-ssh", "vpc-a", "in tcp 22 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	b.Instance("i-a", b.ENI("eni-a", "subnet-vpc-a", "10.0.1.10", "sg-ssh"))
	return b
}

// A network load balancer without security groups keeps the clients'
// addresses: its target is exposed to the clients its own group allows,
// possibly (whether the target group preserves addresses is not read).
func TestNetworkLoadBalancerTargetSeesClients(t *testing.T) {
	b := seed004()
	b.SG("sg-svc", "vpc-1", "in tcp 8080 203.0.113.0/24", "out -1 all 0.0.0.0/0")
	b.Instance("i-svc", b.ENI("eni-svc", "subnet-priv", "10.0.1.40", "sg-svc"))
	arn := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/svc/0123456789abcdef"
	tgARN := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/svc/0123456789abcdef"
	b.N.LoadBalancers.Put(&model.LoadBalancer{Meta: model.Meta{ID: arn, Name: "svc"}, LBType: "network", Scheme: "internet-facing",
		VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"},
		Listeners: []model.Listener{{Protocol: "TCP", Port: 80, TargetGroupARNs: []string{tgARN}}}})
	b.N.TargetGroups.Put(&model.TargetGroup{Meta: model.Meta{ID: tgARN}, Protocol: "TCP", Port: 8080, VPCID: "vpc-1", TargetType: "instance",
		LoadBalancerARNs: []string{arn}, TargetsKnown: true, Targets: []model.Target{{ID: "i-svc"}}})
	res := exposure(t, b.Build())
	wantRows(t, res, arn,
		arn+" internet igw-1 tcp 80-80 0.0.0.0/0 reachable medium",
		arn+" vpc-peering pcx-1 tcp 80-80 10.1.1.0/24 reachable low")
	wantRows(t, res, "i-svc",
		"i-svc internet igw-1 tcp 8080-8080 203.0.113.0/24 possibly-reachable medium via "+arn)
}

// A global IPv6 address needs no translation: the internet reaches it
// through the internet gateway when the subnet routes ::/0 there.
func TestIPv6InstanceExposedToTheInternet(t *testing.T) {
	b := reachtest.New()
	b.VPC("vpc-6", "10.6.0.0/16", "2600:1f18:1:100::/56")
	b.IGW("igw-6", "vpc-6")
	b.Subnet("subnet-6", "vpc-6", "10.6.0.0/24,2600:1f18:1:100::/64", "us-east-1a")
	rt := b.RouteTable("rtb-6", "vpc-6", "subnet-6")
	b.Route(rt, "::/0", "igw-6")
	b.SG("sg-6", "vpc-6", "in tcp 443 ::/0", "in tcp 22 10.0.0.0/8", "out -1 all ::/0")
	b.Instance("i-6", b.ENI("eni-6", "subnet-6", "10.6.0.10,2600:1f18:1:100::10", "sg-6"))
	res := exposure(t, b.Build())
	wantRows(t, res, "i-6",
		"i-6 internet igw-6 tcp 443-443 ::/0 reachable medium")
}

// An interface whose subnet is not in the sources (a template parameter
// without a value) is not silently safe: what its groups let in is
// possibly reachable, with the reason.
func TestInterfaceWithUnknownSubnetIsPossiblyExposed(t *testing.T) {
	b := seed004()
	ni := b.ENI("eni-lost", "subnet-gone", "10.9.0.10", "sg-wide")
	ni.VPCID = "vpc-1"
	b.Instance("i-lost", ni)
	res := exposure(t, b.Build())
	got := rowsOf(res, "i-lost")
	want := []string{
		"i-lost internet (unknown) tcp 22-22 0.0.0.0/0 possibly-reachable high",
		"i-lost internet (unknown) tcp 3389-3389 203.0.113.5/32 possibly-reachable high",
		// From private networks too: a peering, a transit gateway or a VPN
		// the sources cannot name.
		"i-lost unknown (not in the sources) tcp 22-22 0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,172.16.0.0/12,192.168.0.0/16,224.0.0.0/3 possibly-reachable low",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
	for _, f := range res.Findings {
		if f.Resource.ID == "i-lost" && !strings.Contains(f.Reason, "subnet subnet-gone of eni-lost is not in the sources") {
			t.Errorf("reason %q", f.Reason)
		}
	}
}

func TestLoadBalancerWithUnknownSubnetsIsPossiblyExposed(t *testing.T) {
	b := seed004()
	b.N.LoadBalancers.Put(&model.LoadBalancer{Meta: model.Meta{ID: "lb-x"}, LBType: "application", Scheme: "internet-facing",
		SubnetIDs: []string{"subnet-missing"}, Listeners: []model.Listener{{Protocol: "HTTP", Port: 80}}})
	res := exposure(t, b.Build())
	wantRows(t, res, "lb-x", "lb-x internet (unknown) tcp 80-80 0.0.0.0/0 possibly-reachable medium")
	if len(res.Warnings) == 0 {
		t.Errorf("no warning")
	}
}

// A route to an internet gateway the sources lack keeps the internet as a
// possible edge: exposure must not go silent because a file was missing.
func TestExposureWithInternetGatewayMissingFromSources(t *testing.T) {
	b := publicPrivate()
	b.N.InternetGateways.Delete("igw-1")
	n := b.Build()
	fs := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{})
	found := false
	for _, f := range fs.Findings {
		if f.Resource.ID == "i-web" && f.From.Kind == reach.EdgeInternet {
			found = true
			if f.Verdict != reach.PossiblyReachable {
				t.Errorf("verdict %s; want possibly-reachable", f.Verdict)
			}
		}
	}
	if !found {
		t.Fatalf("no internet finding for i-web: %+v", fs)
	}
}
