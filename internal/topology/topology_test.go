package topology

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// network is a VPC with a public subnet (two instances, a NAT gateway), a
// private one (six instances and a Lambda interface), a subnet no route
// table applies to, and a route to a peering the sources do not hold.
func network() *model.Network {
	n := &model.Network{}
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-1", Name: "main"}, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}})
	for _, s := range []struct{ id, cidr string }{{"subnet-pub", "10.0.1.0/24"}, {"subnet-priv", "10.0.2.0/24"}, {"subnet-none", "10.0.3.0/24"}} {
		n.Subnets.Put(&model.Subnet{Meta: model.Meta{ID: s.id}, VPCID: "vpc-1", CIDR: netip.MustParsePrefix(s.cidr)})
	}
	n.InternetGateways.Put(&model.InternetGateway{Meta: model.Meta{ID: "igw-1"}, VPCIDs: []string{"vpc-1"}})
	n.NATGateways.Put(&model.NATGateway{Meta: model.Meta{ID: "nat-1"}, VPCID: "vpc-1", SubnetID: "subnet-pub",
		Addresses: []model.NATAddress{{NetworkInterfaceID: "eni-nat"}}})
	n.RouteTables.Put(&model.RouteTable{Meta: model.Meta{ID: "rtb-pub"}, VPCID: "vpc-1",
		Associations: []model.RouteTableAssociation{{SubnetID: "subnet-pub"}},
		Routes:       []model.Route{{Destination: netip.MustParsePrefix("0.0.0.0/0"), TargetKind: model.TargetInternetGateway, TargetID: "igw-1", State: model.RouteActive}}})
	n.RouteTables.Put(&model.RouteTable{Meta: model.Meta{ID: "rtb-priv"}, VPCID: "vpc-1",
		Associations: []model.RouteTableAssociation{{SubnetID: "subnet-priv"}},
		Routes: []model.Route{
			{Destination: netip.MustParsePrefix("0.0.0.0/0"), TargetKind: model.TargetNATGateway, TargetID: "nat-1", State: model.RouteActive},
			{Destination: netip.MustParsePrefix("10.9.0.0/16"), TargetKind: model.TargetPeering, TargetID: "pcx-gone", State: model.RouteBlackhole},
		}})
	add := func(id, subnet string) {
		eni := "eni-" + id
		n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: model.Meta{ID: eni}, SubnetID: subnet, VPCID: "vpc-1", OwnerKind: model.OwnerInstance, OwnerID: id})
		n.Instances.Put(&model.Instance{Meta: model.Meta{ID: id}, SubnetID: subnet, VPCID: "vpc-1", NetworkInterfaceIDs: []string{eni}})
	}
	add("i-pub1", "subnet-pub")
	add("i-pub2", "subnet-pub")
	for i := range 6 {
		add(fmt.Sprintf("i-priv%d", i), "subnet-priv")
	}
	n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: model.Meta{ID: "eni-nat"}, SubnetID: "subnet-pub", VPCID: "vpc-1", OwnerKind: model.OwnerNATGateway, OwnerID: "nat-1"})
	n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: model.Meta{ID: "eni-fn"}, SubnetID: "subnet-priv", VPCID: "vpc-1", OwnerKind: model.OwnerLambda})
	n.Finalize()
	return n
}

func TestSubnetsArePublicPrivateOrUnknown(t *testing.T) {
	g := Build(network(), Options{})
	for id, want := range map[string]Visibility{"subnet-pub": Public, "subnet-priv": Private, "subnet-none": Unknown} {
		n, ok := g.Node(id)
		if !ok || n.Visibility != want || n.Parent != "vpc-1" {
			t.Errorf("%s: %+v, want %s inside vpc-1", id, n, want)
		}
	}
}

func TestCrowdedSubnetsCollapseWithCounts(t *testing.T) {
	g := Build(network(), Options{Collapse: 4})
	grp, ok := g.Node("subnet-priv/instances")
	if !ok || grp.Count != 6 || grp.Kind != KindGroup || grp.Parent != "subnet-priv" || grp.Name != "6 instances" {
		t.Fatalf("group: %+v", grp)
	}
	for _, id := range []string{"i-priv0", "eni-i-priv5"} {
		if node, _ := g.NodeOf(id); node != "subnet-priv/instances" {
			t.Errorf("%s is drawn as %q, want the group", id, node)
		}
	}
	// Two instances stay boxes of their own; a NAT gateway's interface is
	// the NAT gateway; a Lambda interface is a box of its own kind.
	for id, want := range map[string]string{"i-pub1": "i-pub1", "eni-i-pub2": "i-pub2", "eni-nat": "nat-1", "eni-fn": "eni-fn", "rtb-priv": "subnet-priv"} {
		if node, _ := g.NodeOf(id); node != want {
			t.Errorf("%s is drawn as %q, want %q", id, node, want)
		}
	}
	if _, ok := g.Node("i-priv0"); ok {
		t.Error("a collapsed instance has a box of its own")
	}
	never := Build(network(), Options{Collapse: -1})
	if _, ok := never.Node("i-priv5"); !ok {
		t.Error("Collapse -1 collapsed")
	}
}

func TestRoutesAndWhatTheSourcesLack(t *testing.T) {
	g := Build(network(), Options{})
	want := map[Edge]bool{
		{From: "subnet-pub", To: "igw-1", Kind: EdgeRoute, Label: "0.0.0.0/0"}:                        true,
		{From: "subnet-priv", To: "nat-1", Kind: EdgeRoute, Label: "0.0.0.0/0"}:                       true,
		{From: "subnet-priv", To: "pcx-gone", Kind: EdgeRoute, Label: "10.9.0.0/16", Blackhole: true}: true,
		{From: "internet", To: "igw-1", Kind: EdgeAttachment}:                                         true,
	}
	for _, e := range g.Edges {
		delete(want, e)
	}
	for e := range want {
		t.Errorf("no edge %+v in %+v", e, g.Edges)
	}
	if n, ok := g.Node("pcx-gone"); !ok || n.Kind != KindExternal {
		t.Errorf("a route's target the sources lack: %+v", n)
	}
	// Containers come before what they hold.
	pos := map[string]int{}
	for i, n := range g.Nodes {
		pos[n.ID] = i
		if n.Parent != "" {
			if p, ok := pos[n.Parent]; !ok || p > i {
				t.Errorf("%s comes before its parent %s", n.ID, n.Parent)
			}
		}
	}
}

// TestFirewallEndpointsEndAtTheFirewall: routes to a Network Firewall's
// endpoint (from a subnet, from the internet gateway's route table, or a
// template's route that names only the firewall) are drawn to the firewall,
// never to an endpoint "not in the sources".
func TestFirewallEndpointsEndAtTheFirewall(t *testing.T) {
	n := network()
	n.Subnets.Put(&model.Subnet{Meta: model.Meta{ID: "subnet-fw"}, VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.0.9.0/28")})
	n.NetworkFirewalls.Put(&model.NetworkFirewall{Meta: model.Meta{ID: "arn:fw", Name: "inspection"}, VPCID: "vpc-1", EndpointsKnown: true,
		Endpoints: []model.FirewallEndpoint{{SubnetID: "subnet-fw", EndpointID: "vpce-fw"}}})
	n.RouteTables.Put(&model.RouteTable{Meta: model.Meta{ID: "rtb-edge"}, VPCID: "vpc-1",
		Associations: []model.RouteTableAssociation{{GatewayID: "igw-1"}},
		Routes:       []model.Route{{Destination: netip.MustParsePrefix("10.0.1.0/24"), TargetKind: model.TargetGatewayEndpoint, TargetID: "vpce-fw", State: model.RouteActive}}})
	n.RouteTables.Put(&model.RouteTable{Meta: model.Meta{ID: "rtb-none"}, VPCID: "vpc-1",
		Associations: []model.RouteTableAssociation{{SubnetID: "subnet-none"}},
		Routes: []model.Route{{Destination: netip.MustParsePrefix("0.0.0.0/0"), TargetKind: model.TargetGatewayEndpoint,
			Firewall: &model.RouteFirewallTarget{FirewallID: "arn:fw", Index: 0}, State: model.RouteActive}}})
	n.Finalize()
	g := Build(n, Options{})
	fw, ok := g.Node("arn:fw")
	if !ok || fw.Kind != KindFirewall || fw.Parent != "vpc-1" {
		t.Fatalf("firewall node %+v", fw)
	}
	want := map[[2]string]bool{{"igw-1", "arn:fw"}: false, {"subnet-none", "arn:fw"}: false, {"arn:fw", "subnet-fw"}: false}
	for _, e := range g.Edges {
		if _, ok := want[[2]string{e.From, e.To}]; ok {
			want[[2]string{e.From, e.To}] = true
		}
		if e.To == "vpce-fw" {
			t.Errorf("edge to the endpoint, not the firewall: %+v", e)
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("no edge %s -> %s", k[0], k[1])
		}
	}
	if nd, ok := g.Node("vpce-fw"); ok {
		t.Errorf("the endpoint is drawn on its own: %+v", nd)
	}
}
