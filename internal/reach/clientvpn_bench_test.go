package reach_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// cvpnBigNetwork is one VPC of 10 subnets × perSubnet interfaces with a
// Client VPN endpoint (50 routes, 200 authorization rules over group
// CIDRs) whose target network is subnet-0.
func cvpnBigNetwork(perSubnet int) (*model.Network, *model.ClientVPNEndpoint) {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.SG("sg-cvpn", "vpc-1", "out -1 all 0.0.0.0/0")
	for g := 0; g < 10; g++ {
		b.SG(fmt.Sprintf("sg-%d", g), "vpc-1", "in tcp 22 sg-cvpn", fmt.Sprintf("in tcp %d 10.0.0.0/16", 8000+g), "in udp 53 10.0.0.0/8", "out -1 all 0.0.0.0/0")
	}
	for s := 0; s < 10; s++ {
		sub := fmt.Sprintf("subnet-%d", s)
		b.Subnet(sub, "vpc-1", fmt.Sprintf("10.0.%d.0/24", s), "us-east-1a")
		for i := 0; i < perSubnet; i++ {
			b.ENI(fmt.Sprintf("eni-%d-%d", s, i), sub, fmt.Sprintf("10.0.%d.%d", s, 4+i), fmt.Sprintf("sg-%d", i%10))
		}
	}
	ni := b.ENI("eni-cvpn", "subnet-0", "10.0.0.250", "sg-cvpn")
	ni.OwnerKind = model.OwnerClientVPN
	ep := &model.ClientVPNEndpoint{Meta: model.Meta{ID: "cvpn-endpoint-1"}, ClientCIDR: netip.MustParsePrefix("172.16.0.0/22"),
		VPCID: "vpc-1", SecurityGroupIDs: []string{"sg-cvpn"}, TransportProtocol: "udp", VPNPort: 443,
		TargetNetworks: []model.ClientVPNTargetNetwork{{SubnetID: "subnet-0", VPCID: "vpc-1"}}}
	for r := 0; r < 50; r++ {
		ep.Routes = append(ep.Routes, model.ClientVPNRoute{Destination: netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", r)), TargetSubnet: "subnet-0"})
	}
	for a := 0; a < 200; a++ {
		ep.AuthorizationRules = append(ep.AuthorizationRules, model.ClientVPNAuthorizationRule{
			Destination: netip.MustParsePrefix(fmt.Sprintf("10.0.%d.%d/30", a%10, (a/10)*4)), GroupID: fmt.Sprintf("group-%d", a%7)})
	}
	ep.AuthorizationRules = append(ep.AuthorizationRules, model.ClientVPNAuthorizationRule{Destination: netip.MustParsePrefix("10.0.0.0/16"), AccessAll: true})
	b.N.ClientVPNEndpoints.Put(ep)
	return b.Build(), ep
}

func BenchmarkClientFlow(b *testing.B) {
	n, ep := cvpnBigNetwork(100)
	e := reach.New(n)
	to, err := e.Resolve("eni-7-42")
	if err != nil {
		b.Fatal(err)
	}
	c, _ := reach.NewClient(ep, netip.Addr{}, nil, []string{"group-5"})
	q := reach.Query{To: to, Protocol: model.ProtoTCP, DstPort: 22}
	if r := e.ClientFlow(context.Background(), c, q); r.Verdict != reach.Reachable {
		b.Fatalf("verdict %s: %s", r.Verdict, r.Reason)
	}
	b.ResetTimer()
	for b.Loop() {
		e.ClientFlow(context.Background(), c, q)
	}
}

func BenchmarkClientVPNExposure(b *testing.B) {
	n, _ := cvpnBigNetwork(100) // 1,001 interfaces
	for b.Loop() {
		fs, _ := reach.New(n).ClientVPNExposure(context.Background())
		if len(fs) < 1000 {
			b.Fatalf("%d findings", len(fs))
		}
	}
}
