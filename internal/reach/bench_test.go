package reach_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// bigNetwork builds vpcs VPCs of 10 subnets × perSubnet interfaces each,
// all peered with VPC 0, with custom ACLs of 20 entries, 50 routes per
// table and groups that reference each other.
func bigNetwork(vpcs, perSubnet int) *model.Network {
	b := reachtest.New()
	for v := 0; v < vpcs; v++ {
		vpc := fmt.Sprintf("vpc-%d", v)
		b.VPC(vpc, fmt.Sprintf("10.%d.0.0/16", v))
		b.IGW(fmt.Sprintf("igw-%d", v), vpc)
		main := b.MainRouteTable(vpc)
		b.Route(main, "0.0.0.0/0", fmt.Sprintf("igw-%d", v))
		for r := 0; r < 48; r++ {
			b.Route(main, fmt.Sprintf("172.%d.%d.0/24", 16+r%16, r), fmt.Sprintf("igw-%d", v))
		}
		if v > 0 {
			b.Peering(fmt.Sprintf("pcx-%d", v), "vpc-0", vpc)
			b.Route(main, "10.0.0.0/16", fmt.Sprintf("pcx-%d", v))
			b.Route(b.MainRouteTable("vpc-0"), fmt.Sprintf("10.%d.0.0/16", v), fmt.Sprintf("pcx-%d", v))
		}
		for g := 0; g < 10; g++ {
			b.SG(fmt.Sprintf("sg-%d-%d", v, g), vpc,
				fmt.Sprintf("in tcp %d sg-%d-%d", 8000+g, v, (g+1)%10),
				"in tcp 22 10.0.0.0/8", "in tcp 443 0.0.0.0/0", "in udp 53 10.0.0.0/8",
				fmt.Sprintf("in tcp 5432 sg-0-%d", g),
				"out -1 all 0.0.0.0/0")
		}
		for s := 0; s < 10; s++ {
			sub := fmt.Sprintf("subnet-%d-%d", v, s)
			b.Subnet(sub, vpc, fmt.Sprintf("10.%d.%d.0/24", v, s), "us-east-1a")
			var entries []string
			for k := 0; k < 9; k++ {
				entries = append(entries, fmt.Sprintf("%d in deny tcp %d 192.0.2.0/24", 10+k, 1000+k), fmt.Sprintf("%d out deny udp %d 198.51.100.0/24", 10+k, 2000+k))
			}
			entries = append(entries, "100 in allow -1 all 0.0.0.0/0", "100 out allow -1 all 0.0.0.0/0")
			b.ACL("acl-"+sub, vpc, []string{sub}, entries...)
			for i := 0; i < perSubnet; i++ {
				ni := b.ENI(fmt.Sprintf("eni-%d-%d-%d", v, s, i), sub, fmt.Sprintf("10.%d.%d.%d", v, s, 4+i), fmt.Sprintf("sg-%d-%d", v, i%10))
				if i%4 == 0 {
					b.PublicIP(ni, fmt.Sprintf("54.%d.%d.%d", v, s, 4+i))
				}
			}
		}
	}
	return b.Build()
}

// BenchmarkPathOn10kENIs is one path query on a 10,000-interface network,
// after loading (the engine is built once).
func BenchmarkPathOn10kENIs(b *testing.B) {
	n := bigNetwork(10, 100)
	if got := n.NetworkInterfaces.Len(); got != 10000 {
		b.Fatalf("%d interfaces", got)
	}
	e := reach.New(n)
	ctx := context.Background()
	from, _ := e.Resolve("eni-0-7-42")
	to, _ := e.Resolve("eni-3-4-12")
	q := reach.Query{From: from, To: to, Protocol: model.ProtoTCP, DstPort: 5432}
	if r := e.Flow(ctx, q); r.Verdict != reach.Reachable {
		b.Fatalf("verdict %s: %s", r.Verdict, r.Reason)
	}
	b.ResetTimer()
	for b.Loop() {
		e.Flow(ctx, q)
	}
}

// BenchmarkPathOn10kENIsColdEngine includes building the engine's caches
// (security-group member sets, route regions) for the query.
func BenchmarkPathOn10kENIsColdEngine(b *testing.B) {
	n := bigNetwork(10, 100)
	ctx := context.Background()
	for b.Loop() {
		e := reach.New(n)
		from, _ := e.Resolve("eni-0-7-42")
		to, _ := e.Resolve("eni-3-4-12")
		e.Flow(ctx, reach.Query{From: from, To: to, Protocol: model.ProtoTCP, DstPort: 5432})
	}
}

// BenchmarkInboundFromInternet asks every port from the internet at once.
func BenchmarkInboundFromInternet(b *testing.B) {
	n := bigNetwork(10, 100)
	e := reach.New(n)
	ni, _ := n.NetworkInterfaces.Get("eni-2-3-8")
	edge := reach.Edge{Kind: reach.EdgeInternet, ID: "igw-2"}
	for b.Loop() {
		e.InboundFrom(edge, ni)
	}
}

func TestBigNetworkQueryIsReachable(t *testing.T) {
	n := bigNetwork(3, 20)
	r := flow(t, n, "eni-0-7-12", "eni-2-4-12", model.ProtoTCP, 5432)
	expect(t, r, reach.Reachable, "")
	r = flow(t, n, "eni-0-7-12", "eni-2-4-12", model.ProtoTCP, 5433)
	expect(t, r, reach.Unreachable, reach.CodeSGMismatch)
}
