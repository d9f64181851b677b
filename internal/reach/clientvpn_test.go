package reach_test

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// cvpnNet is vpc-1 (10.0.0.0/16) with target subnet subnet-vpn
// (10.0.1.0/24, the endpoint's interface 10.0.1.10 in sg-cvpn) and
// subnet-app (10.0.5.0/24, eni-app 10.0.5.5 allowing tcp/22 from sg-cvpn).
// The endpoint's authorization rules are the example of
// https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/auth-rule-example-scenarios.html:
// group managers has 0.0.0.0/0, group engineers 10.0.0.0/16 (R6.6).
func cvpnNet(split bool, withENI bool) (*model.Network, *model.ClientVPNEndpoint) {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.Subnet("subnet-vpn", "vpc-1", "10.0.1.0/24", "us-east-1a")
	b.Subnet("subnet-app", "vpc-1", "10.0.5.0/24", "us-east-1a")
	b.SG("sg-cvpn", "vpc-1", "out -1 all 0.0.0.0/0")
	b.SG("sg-app", "vpc-1", "in tcp 22 sg-cvpn", "out -1 all 0.0.0.0/0")
	b.ENI("eni-app", "subnet-app", "10.0.5.5", "sg-app")
	if withENI {
		ni := b.ENI("eni-cvpn", "subnet-vpn", "10.0.1.10", "sg-cvpn")
		ni.OwnerKind, ni.RequesterManaged = model.OwnerClientVPN, true
	}
	ep := &model.ClientVPNEndpoint{Meta: model.Meta{ID: "cvpn-endpoint-1"}, ClientCIDR: netip.MustParsePrefix("172.16.0.0/22"),
		SplitTunnel: split, VPCID: "vpc-1", SecurityGroupIDs: []string{"sg-cvpn"}, TransportProtocol: "udp", VPNPort: 443,
		TargetNetworks: []model.ClientVPNTargetNetwork{{SubnetID: "subnet-vpn", VPCID: "vpc-1"}},
		Routes: []model.ClientVPNRoute{
			{Destination: netip.MustParsePrefix("10.0.0.0/16"), TargetSubnet: "subnet-vpn"},
			{Destination: netip.MustParsePrefix("0.0.0.0/0"), TargetSubnet: "subnet-vpn"},
		},
		AuthorizationRules: []model.ClientVPNAuthorizationRule{
			{Destination: netip.MustParsePrefix("0.0.0.0/0"), GroupID: "managers"},
			{Destination: netip.MustParsePrefix("10.0.0.0/16"), GroupID: "engineers"},
		}}
	b.N.ClientVPNEndpoints.Put(ep)
	return b.Build(), ep
}

func TestClientFlowAuthorizationLongestPrefix(t *testing.T) {
	n, ep := cvpnNet(false, true)
	e := reach.New(n)
	to, err := e.Resolve("eni-app")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		groups  []string
		verdict reach.Verdict
		code    string
	}{
		{"engineers reach the VPC", []string{"engineers"}, reach.Reachable, ""},
		{"managers lose it to the more specific rule", []string{"managers"}, reach.Unreachable, reach.CodeClientVPNNoAuthorization},
		{"a user in both groups", []string{"managers", "engineers"}, reach.Reachable, ""},
		{"a user in no group", nil, reach.Unreachable, reach.CodeClientVPNNoAuthorization},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl, err := reach.NewClient(ep, netip.Addr{}, nil, c.groups)
			if err != nil {
				t.Fatal(err)
			}
			r := e.ClientFlow(context.Background(), cl, reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22})
			if r.Verdict != c.verdict {
				t.Fatalf("verdict %s (%s), want %s", r.Verdict, r.Reason, c.verdict)
			}
			if c.code != "" && (r.Best.BlockedBy == nil || r.Best.BlockedBy.Code != c.code) {
				t.Errorf("blocked by %+v, want %s", r.Best.BlockedBy, c.code)
			}
			if c.verdict == reach.Reachable {
				var snat bool
				for _, h := range r.Best.Hops {
					if h.ID == "eni-cvpn" && strings.Contains(h.Translation, "172.16.0.1 → 10.0.1.10") {
						snat = true
					}
				}
				if !snat {
					t.Errorf("no source NAT hop to the endpoint's interface: %+v", r.Best.Hops)
				}
			}
		})
	}
}

func TestClientTunnelSplitsByLongestPrefix(t *testing.T) {
	_, full := cvpnNet(false, true)
	_, split := cvpnNet(true, true)
	split.Routes = split.Routes[:1] // 10.0.0.0/16 only
	e := reach.New(&model.Network{})
	set := func(ps ...string) *ipset.Set {
		var b ipset.Builder
		for _, p := range ps {
			b.AddPrefix(netip.MustParsePrefix(p))
		}
		s := b.Set()
		return s
	}
	cases := []struct {
		name           string
		ep             *model.ClientVPNEndpoint
		local          []string
		dst            *ipset.Set
		tunnel, device *ipset.Set
	}{
		{"full tunnel takes everything", full, nil, set("0.0.0.0/0"), set("0.0.0.0/0"), set()},
		{"full tunnel leaves the LAN route", full, []string{"192.168.1.0/24"}, set("0.0.0.0/0"),
			reachtestMinus(set("0.0.0.0/0"), set("192.168.1.0/24")), set("192.168.1.0/24")},
		{"split tunnel carries only pushed routes", split, nil, set("10.0.5.5/32", "8.8.8.8/32"), set("10.0.5.5/32"), set("8.8.8.8/32")},
		{"a more specific device route wins over a pushed one", split, []string{"10.0.5.0/24"}, set("10.0.5.5/32", "10.0.6.6/32"), set("10.0.6.6/32"), set("10.0.5.5/32")},
		{"a pushed route wins over a less specific device route", split, []string{"10.0.0.0/8"}, set("10.0.5.5/32", "10.1.0.1/32"), set("10.0.5.5/32"), set("10.1.0.1/32")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var local []netip.Prefix
			for _, l := range c.local {
				local = append(local, netip.MustParsePrefix(l))
			}
			cl, err := reach.NewClient(c.ep, netip.Addr{}, local, nil)
			if err != nil {
				t.Fatal(err)
			}
			tun, dev := e.ClientTunnel(cl, c.dst)
			if !tun.Equal(c.tunnel) || !dev.Equal(c.device) {
				t.Errorf("tunnel %v device %v, want %v and %v", tun.Prefixes(), dev.Prefixes(), c.tunnel.Prefixes(), c.device.Prefixes())
			}
		})
	}
}

func reachtestMinus(a, b *ipset.Set) *ipset.Set {
	var s ipset.Builder
	s.AddSet(a)
	s.RemoveSet(b)
	out := s.Set()
	return out
}

func TestClientFlowEdges(t *testing.T) {
	ctx := context.Background()
	t.Run("no route in the Client VPN route table", func(t *testing.T) {
		n, ep := cvpnNet(false, true)
		ep.Routes = ep.Routes[:1]
		e := reach.New(n)
		to, _ := e.Resolve("8.8.8.8")
		cl, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"managers"})
		r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoUDP, DstPort: 53})
		if r.Verdict != reach.Unreachable || r.Best.BlockedBy == nil || r.Best.BlockedBy.Code != reach.CodeNoRoute || r.Best.BlockedBy.ID != "cvpn-endpoint-1" {
			t.Errorf("got %s %+v, want unreachable at the endpoint with %s", r.Verdict, r.Best.BlockedBy, reach.CodeNoRoute)
		}
	})
	t.Run("target subnet without internet route", func(t *testing.T) {
		n, ep := cvpnNet(false, true)
		e := reach.New(n)
		to, _ := e.Resolve("8.8.8.8")
		cl, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"managers"})
		r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoUDP, DstPort: 53})
		if r.Verdict != reach.Unreachable || r.Best.BlockedBy == nil || r.Best.BlockedBy.Type != model.TypeRouteTable {
			t.Errorf("got %s %+v, want unreachable at the target subnet's route table", r.Verdict, r.Best.BlockedBy)
		}
	})
	t.Run("split tunnel leaves the rest on the device's network", func(t *testing.T) {
		n, ep := cvpnNet(true, true)
		ep.Routes = ep.Routes[:1]
		e := reach.New(n)
		to, _ := e.Resolve("8.8.8.8")
		cl, _ := reach.NewClient(ep, netip.Addr{}, nil, nil)
		r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoUDP, DstPort: 53})
		if r.Verdict != reach.PossiblyReachable || !strings.Contains(r.Reason, "own network") {
			t.Errorf("got %s (%s), want possibly-reachable outside the tunnel", r.Verdict, r.Reason)
		}
	})
	t.Run("the device's own network cannot reach a VPC without VPN or transit gateway", func(t *testing.T) {
		n, ep := cvpnNet(true, true)
		e := reach.New(n)
		to, _ := e.Resolve("eni-app")
		cl, _ := reach.NewClient(ep, netip.Addr{}, []netip.Prefix{netip.MustParsePrefix("10.0.5.0/24")}, []string{"engineers"})
		r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22})
		if r.Verdict != reach.Unreachable || r.Best.BlockedBy == nil || r.Best.BlockedBy.ID != "vpc-1" {
			t.Errorf("got %s %+v (%s), want unreachable at vpc-1", r.Verdict, r.Best.BlockedBy, r.Reason)
		}
	})
	t.Run("Amazon DNS of the VPC needs no security group", func(t *testing.T) {
		n, ep := cvpnNet(false, true)
		sg, _ := n.SecurityGroups.Get("sg-cvpn")
		sg.Egress = nil // no egress at all (R1.8 exempts VPC+2)
		e := reach.New(n)
		to, _ := e.Resolve("10.0.0.2")
		cl, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"engineers"})
		r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoUDP, DstPort: 53})
		if r.Verdict != reach.Reachable {
			t.Errorf("got %s (%s), want reachable", r.Verdict, r.Reason)
		}
	})
	t.Run("link-local Amazon DNS is not for clients", func(t *testing.T) {
		n, ep := cvpnNet(false, true)
		e := reach.New(n)
		to, _ := e.Resolve("169.254.169.253")
		cl, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"managers"})
		r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoUDP, DstPort: 53})
		if r.Verdict != reach.Unreachable || r.Best.BlockedBy == nil || r.Best.BlockedBy.Code != reach.CodeClientVPNLinkLocal {
			t.Errorf("got %s %+v, want unreachable (link-local)", r.Verdict, r.Best.BlockedBy)
		}
	})
	// The endpoint's interface the sources lack has some address of the
	// target subnet and the endpoint's groups: the answer is definite
	// when every address it may have gets the same one.
	for _, c := range []struct {
		name, rule string
		verdict    reach.Verdict
	}{
		{"endpoint interface missing from the sources, group reference", "in tcp 22 sg-cvpn", reach.Reachable},
		{"endpoint interface missing from the sources, whole subnet allowed", "in tcp 22 10.0.1.0/24", reach.Reachable},
		{"endpoint interface missing from the sources, part of the subnet allowed", "in tcp 22 10.0.1.0/25", reach.PossiblyReachable},
		{"endpoint interface missing from the sources, other subnet allowed", "in tcp 22 10.0.9.0/24", reach.Unreachable},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, ep := cvpnNet(false, false)
			sg, _ := n.SecurityGroups.Get("sg-app")
			sg.Ingress = []model.SGRule{reachtest.Rule(c.rule)}
			e := reach.New(n)
			to, _ := e.Resolve("eni-app")
			cl, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"engineers"})
			r := e.ClientFlow(ctx, cl, reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22})
			if r.Verdict != c.verdict {
				t.Errorf("got %s (%s), want %s", r.Verdict, r.Reason, c.verdict)
			}
		})
	}
	t.Run("client address outside the client CIDR", func(t *testing.T) {
		_, ep := cvpnNet(false, true)
		if _, err := reach.NewClient(ep, netip.MustParseAddr("10.9.9.9"), nil, nil); err == nil {
			t.Error("no error")
		}
	})
}

func TestClientVPNExposure(t *testing.T) {
	n, _ := cvpnNet(false, true)
	fs, warns := reach.New(n).ClientVPNExposure(context.Background())
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	var listener, app bool
	for _, f := range fs {
		switch {
		case f.Resource.ID == "cvpn-endpoint-1" && f.From.Kind == reach.EdgeInternet && f.Protocol == "udp" && f.Ports == (model.PortRange{From: 443, To: 443}):
			listener = true
		case f.Resource.ENI == "eni-app" && f.From.Kind == reach.EdgeClientVPN && f.Protocol == "tcp" && f.Ports == (model.PortRange{From: 22, To: 22}):
			app = f.From.Sources[0] == netip.MustParsePrefix("172.16.0.0/22") && strings.Contains(f.Reason, "engineers")
		case f.Resource.ENI == "eni-cvpn":
			t.Errorf("the endpoint's own interface is listed: %+v", f)
		}
	}
	if !listener || !app {
		t.Errorf("listener %v, eni-app tcp/22 from the client CIDR through the engineers rule %v; findings %+v", listener, app, fs)
	}
}

func TestClientFlowTwoTargetNetworks(t *testing.T) {
	build := func(sameRoutes bool) (*reach.Engine, reach.Client) {
		n, ep := cvpnNet(false, true)
		b := &reachtest.Builder{N: n}
		b.Subnet("subnet-vpn2", "vpc-1", "10.0.2.0/24", "us-east-1b")
		ni := b.ENI("eni-cvpn2", "subnet-vpn2", "10.0.2.10", "sg-cvpn")
		ni.OwnerKind = model.OwnerClientVPN
		ep.TargetNetworks = append(ep.TargetNetworks, model.ClientVPNTargetNetwork{SubnetID: "subnet-vpn2", VPCID: "vpc-1"})
		ep.Routes = ep.Routes[1:] // 0.0.0.0/0 through subnet-vpn only; the VPC routes are implied
		if sameRoutes {
			ep.Routes = append(ep.Routes, model.ClientVPNRoute{Destination: netip.MustParsePrefix("0.0.0.0/0"), TargetSubnet: "subnet-vpn2"})
		}
		n.Finalize()
		c, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"engineers", "managers"})
		return reach.New(n), c
	}
	ctx := context.Background()
	t.Run("the same routes on both: one answer", func(t *testing.T) {
		e, c := build(true)
		to, _ := e.Resolve("eni-app")
		if r := e.ClientFlow(ctx, c, reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22}); r.Verdict != reach.Reachable {
			t.Errorf("got %s (%s), want reachable", r.Verdict, r.Reason)
		}
	})
	t.Run("a route on one target network only: it depends where the client lands", func(t *testing.T) {
		e, c := build(false)
		to, _ := e.Resolve("eni-app")
		if r := e.ClientFlow(ctx, c, reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22}); r.Verdict != reach.Reachable {
			t.Errorf("VPC route implied on both: got %s (%s), want reachable", r.Verdict, r.Reason)
		}
		to, _ = e.Resolve("8.8.8.8")
		r := e.ClientFlow(ctx, c, reach.Query{To: to, Protocol: model.ProtoUDP, DstPort: 53})
		if r.Verdict != reach.Unreachable {
			t.Errorf("no internet anywhere: got %s (%s), want unreachable", r.Verdict, r.Reason)
		}
	})
	t.Run("a group that admits one target network's interface only", func(t *testing.T) {
		e, c := build(true)
		sg, _ := e.Net.SecurityGroups.Get("sg-app")
		sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 22 10.0.1.0/24")}
		to, _ := e.Resolve("eni-app")
		r := e.ClientFlow(ctx, c, reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22})
		if r.Verdict != reach.PossiblyReachable || !strings.Contains(r.Reason, "target network") {
			t.Errorf("got %s (%s), want possibly-reachable: it depends on the target network", r.Verdict, r.Reason)
		}
	})
}

// TestClientTunnelAgreesWithPerAddressLPM checks the set computation
// against the device's routing one address at a time: the longest prefix
// among pushed and device routes decides; on a tie the pushed route wins
// (a device route is kept only when strictly longer).
func TestClientTunnelAgreesWithPerAddressLPM(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	randPrefix := func() netip.Prefix {
		bits := 8 + rng.IntN(21)
		a := netip.AddrFrom4([4]byte{10, byte(rng.IntN(4)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		return netip.PrefixFrom(a, bits).Masked()
	}
	for trial := 0; trial < 200; trial++ {
		ep := &model.ClientVPNEndpoint{Meta: model.Meta{ID: "cvpn-endpoint-r"}, ClientCIDR: netip.MustParsePrefix("172.16.0.0/22"), SplitTunnel: rng.IntN(2) == 0}
		for i := rng.IntN(5); i > 0; i-- {
			ep.Routes = append(ep.Routes, model.ClientVPNRoute{Destination: randPrefix(), TargetSubnet: "subnet-1"})
		}
		var local []netip.Prefix
		for i := rng.IntN(4); i > 0; i-- {
			local = append(local, randPrefix())
		}
		c, err := reach.NewClient(ep, netip.Addr{}, local, nil)
		if err != nil {
			t.Fatal(err)
		}
		dst := reach.SetOf([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/14")})
		tun, dev := reach.New(&model.Network{}).ClientTunnel(c, dst)
		for k := 0; k < 50; k++ {
			a := netip.AddrFrom4([4]byte{10, byte(rng.IntN(4)), byte(rng.IntN(256)), byte(rng.IntN(256))})
			best, inTunnel := -1, false
			if !ep.SplitTunnel {
				best, inTunnel = 0, true
			}
			for _, r := range ep.Routes {
				if r.Destination.Contains(a) && r.Destination.Bits() > best {
					best, inTunnel = r.Destination.Bits(), true
				}
			}
			for _, l := range local {
				if l.Contains(a) && l.Bits() > best {
					best, inTunnel = l.Bits(), false
				}
			}
			if tun.Contains(a) != inTunnel || dev.Contains(a) == inTunnel {
				t.Fatalf("trial %d: %s: tunnel %v device %v, want tunnel %v (routes %v, local %v, split %v)",
					trial, a, tun.Contains(a), dev.Contains(a), inTunnel, ep.Routes, local, ep.SplitTunnel)
			}
		}
	}
}

func TestClientVPNExposureSkipsEndpointsClientsCannotUse(t *testing.T) {
	n, ep := cvpnNet(false, true)
	ep.Status = "pending-associate"
	if fs, _ := reach.New(n).ClientVPNExposure(context.Background()); len(fs) != 0 {
		t.Errorf("a pending-associate endpoint has findings: %+v", fs)
	}
}

// Flow from a Client VPN endpoint asks for its default client, the same
// answer ClientFlow gives for that client.
func TestFlowFromClientVPNEndpointIsItsDefaultClient(t *testing.T) {
	n, ep := cvpnNet(false, true)
	e := reach.New(n)
	from, err := e.Resolve("cvpn-endpoint-1")
	if err != nil {
		t.Fatal(err)
	}
	to, err := e.Resolve("eni-app")
	if err != nil {
		t.Fatal(err)
	}
	q := reach.Query{From: from, To: to, Protocol: model.ProtoTCP, DstPort: 22}
	c, err := reach.NewClient(ep, netip.Addr{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, want := e.Flow(context.Background(), q), e.ClientFlow(context.Background(), c, q)
	if got.Verdict != want.Verdict || got.Reason != want.Reason {
		t.Fatalf("Flow = %s (%s); ClientFlow = %s (%s)", got.Verdict, got.Reason, want.Verdict, want.Reason)
	}
}
