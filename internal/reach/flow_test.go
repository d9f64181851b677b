package reach_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// flow runs one path query by REF.
func flow(t *testing.T, n *model.Network, from, to string, proto model.Protocol, port uint16) reach.Result {
	t.Helper()
	e := reach.New(n)
	f, err := e.Resolve(from)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Resolve(to)
	if err != nil {
		t.Fatal(err)
	}
	return e.Flow(context.Background(), reach.Query{From: f, To: d, Protocol: proto, DstPort: port, ICMPCode: -1})
}

func describe(r reach.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "verdict %s: %s\n", r.Verdict, r.Reason)
	if r.Best != nil {
		for _, h := range r.Best.Hops {
			fmt.Fprintf(&b, "  %s %s %s %s\n", h.ID, h.Type, h.Action, h.Translation)
		}
		for _, h := range r.Best.ReturnHops {
			fmt.Fprintf(&b, "  <- %s %s %s %s\n", h.ID, h.Type, h.Action, h.Translation)
		}
		if r.Best.BlockedBy != nil {
			fmt.Fprintf(&b, "  blocked %+v\n", *r.Best.BlockedBy)
		}
	}
	return b.String()
}

func expect(t *testing.T, r reach.Result, v reach.Verdict, code string) {
	t.Helper()
	if r.Verdict != v {
		t.Fatalf("verdict %s, want %s\n%s", r.Verdict, v, describe(r))
	}
	if code != "" {
		if r.Best == nil || r.Best.BlockedBy == nil || r.Best.BlockedBy.Code != code {
			t.Fatalf("want blocked by %s\n%s", code, describe(r))
		}
	}
}

// publicPrivate is the classic two-tier VPC: a public subnet routed to an
// IGW with a NAT gateway, a private subnet routed to the NAT.
func publicPrivate() *reachtest.Builder {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.IGW("igw-1", "vpc-1")
	b.Subnet("subnet-pub", "vpc-1", "10.0.0.0/24", "us-east-1a")
	b.Subnet("subnet-priv", "vpc-1", "10.0.1.0/24", "us-east-1a")
	pub := b.RouteTable("rtb-pub", "vpc-1", "subnet-pub")
	b.Route(pub, "0.0.0.0/0", "igw-1")
	priv := b.RouteTable("rtb-priv", "vpc-1", "subnet-priv")
	b.NAT("nat-1", "subnet-pub", "10.0.0.9", "3.3.3.3")
	b.Route(priv, "0.0.0.0/0", "nat-1")
	b.SG("sg-web", "vpc-1", "in tcp 22 0.0.0.0/0", "in tcp 443 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	b.SG("sg-app", "vpc-1", "in tcp 8080 sg-web", "out tcp 443 0.0.0.0/0")
	web := b.ENI("eni-web", "subnet-pub", "10.0.0.10", "sg-web")
	b.PublicIP(web, "54.0.0.10")
	b.Instance("i-web", web)
	app := b.ENI("eni-app", "subnet-priv", "10.0.1.10", "sg-app")
	b.Instance("i-app", app)
	return b
}

func TestInternetReachesPublicInstanceOnOpenPort(t *testing.T) {
	r := flow(t, publicPrivate().Build(), "internet", "i-web", model.ProtoTCP, 22)
	expect(t, r, reach.Reachable, "")
	if !strings.Contains(describe(r), "54.0.0.10 -> 10.0.0.10") {
		t.Errorf("no translation hop:\n%s", describe(r))
	}
}

func TestInternetBlockedBySecurityGroup(t *testing.T) {
	r := flow(t, publicPrivate().Build(), "internet", "i-web", model.ProtoTCP, 3389)
	expect(t, r, reach.Unreachable, reach.CodeSGMismatch)
}

func TestPrivateInstanceNotReachableFromInternet(t *testing.T) {
	r := flow(t, publicPrivate().Build(), "internet", "i-app", model.ProtoTCP, 8080)
	expect(t, r, reach.Unreachable, reach.CodeIGWPrivateIPIngress)
}

func TestPrivateInstanceReachesInternetThroughNAT(t *testing.T) {
	r := flow(t, publicPrivate().Build(), "i-app", "internet", model.ProtoTCP, 443)
	expect(t, r, reach.Reachable, "")
	d := describe(r)
	for _, want := range []string{"nat-1", "3.3.3.3", "igw-1"} {
		if !strings.Contains(d, want) {
			t.Errorf("missing %s in\n%s", want, d)
		}
	}
}

func TestPrivateInstanceEgressSGBlocksOtherPorts(t *testing.T) {
	r := flow(t, publicPrivate().Build(), "i-app", "internet", model.ProtoTCP, 80)
	expect(t, r, reach.Unreachable, reach.CodeSGMismatch)
}

func TestReferencedGroupAllowsMembers(t *testing.T) {
	n := publicPrivate().Build()
	expect(t, flow(t, n, "i-web", "i-app", model.ProtoTCP, 8080), reach.Reachable, "")
	expect(t, flow(t, n, "i-web", "i-app", model.ProtoTCP, 8081), reach.Unreachable, reach.CodeSGMismatch)
}

func TestInstanceWithoutPublicIPCannotUseIGW(t *testing.T) {
	b := publicPrivate()
	b.ENI("eni-nopub", "subnet-pub", "10.0.0.20", "sg-web")
	r := flow(t, b.Build(), "eni-nopub", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.Unreachable, reach.CodeIGWPublicIPEgress)
}

// Seed 000: an SG allowing only tcp/443 egress still reaches the Amazon DNS
// server on udp/53; 8.8.8.8 udp/53 is blocked by that SG.
func TestAmazonDNSNotFilteredBySecurityGroups(t *testing.T) {
	b := publicPrivate()
	b.SG("sg-443", "vpc-1", "out tcp 443 0.0.0.0/0")
	ni := b.ENI("eni-dns", "subnet-pub", "10.0.0.30", "sg-443")
	b.PublicIP(ni, "54.0.0.30")
	n := b.Build()
	expect(t, flow(t, n, "eni-dns", "10.0.0.2", model.ProtoUDP, 53), reach.Reachable, "")
	expect(t, flow(t, n, "eni-dns", "169.254.169.253", model.ProtoUDP, 53), reach.Reachable, "")
	expect(t, flow(t, n, "eni-dns", "169.254.169.254", model.ProtoTCP, 80), reach.Reachable, "")
	expect(t, flow(t, n, "eni-dns", "8.8.8.8", model.ProtoUDP, 53), reach.Unreachable, reach.CodeSGMismatch)
}

// TestFlowOverAPortRangeIsOneQuestion: DstPort-DstPortTo asks for every
// port of the range at once; the answer says which of them get through.
func TestFlowOverAPortRangeIsOneQuestion(t *testing.T) {
	e := reach.New(publicPrivate().Build())
	from, _ := e.Resolve("internet")
	to, _ := e.Resolve("i-web")
	for _, tc := range []struct {
		lo, hi   uint16
		verdict  reach.Verdict
		services string
	}{
		{400, 500, reach.Reachable, "tcp/443"},
		{20, 500, reach.Reachable, "tcp/22,443"},
		{23, 442, reach.Unreachable, ""},
	} {
		r := e.Flow(context.Background(), reach.Query{From: from, To: to, Protocol: model.ProtoTCP, DstPort: tc.lo, DstPortTo: tc.hi, ICMPCode: -1})
		if r.Verdict != tc.verdict {
			t.Errorf("%d-%d: %s, want %s (%s)", tc.lo, tc.hi, r.Verdict, tc.verdict, r.Reason)
		}
		if got := strings.Join(r.Services, " "); tc.services != "" && !strings.Contains(got, tc.services) {
			t.Errorf("%d-%d: services %q, want %q", tc.lo, tc.hi, got, tc.services)
		}
	}
}
