package reach_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// first moves a table's last route to the front: the sources may list
// routes in any order, and AWS's priority does not depend on it.
func first(rt *model.RouteTable) {
	n := len(rt.Routes)
	rt.Routes = append([]model.Route{rt.Routes[n-1]}, rt.Routes[:n-1]...)
}

// TestRoutePriorityIsAWSsNotTheFileOrder: longest prefix, then for the
// same prefix the local route, static routes, prefix-list routes and
// propagated routes, whatever order the describe output lists them in.
// https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
// https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html
func TestRoutePriorityIsAWSsNotTheFileOrder(t *testing.T) {
	propagated := func(b *reachtest.Builder, rt *model.RouteTable, dest string) {
		b.VGW("vgw-1", "vpc-1")
		r := b.Route(rt, dest, "vgw-1")
		r.CreatedBy = "EnableVgwRoutePropagation"
		first(rt)
	}
	cases := []struct {
		name     string
		edit     func(b *reachtest.Builder, pub *model.RouteTable)
		from, to string
		verdict  reach.Verdict
		code     string
		contains string
	}{
		{name: "static route beats a propagated route to the same prefix listed before it", edit: func(b *reachtest.Builder, pub *model.RouteTable) {
			propagated(b, pub, "10.1.0.0/16")
		}, from: "eni-web", to: "eni-b", verdict: reach.Reachable, contains: "pcx-12"},
		{name: "more specific propagated route still wins outside the VPC", edit: func(b *reachtest.Builder, pub *model.RouteTable) {
			propagated(b, pub, "10.1.0.0/24")
		}, from: "eni-web", to: "eni-b", contains: "vgw-1"},
		{name: "local route beats a more specific propagated route inside the VPC", edit: func(b *reachtest.Builder, pub *model.RouteTable) {
			propagated(b, pub, "10.0.1.0/24")
		}, from: "i-web", to: "i-app", verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		{name: "static route beats a prefix-list route to the same prefix listed before it", edit: func(b *reachtest.Builder, pub *model.RouteTable) {
			b.PrefixList("pl-peer", "10.1.0.0/16")
			r := b.Route(pub, "pl-peer", "pcx-gone")
			r.State = model.RouteBlackhole
			first(pub)
		}, from: "eni-web", to: "eni-b", verdict: reach.Reachable, contains: "pcx-12"},
		{name: "prefix-list route beats a propagated route to the same prefix listed before it", edit: func(b *reachtest.Builder, pub *model.RouteTable) {
			// Replace the static peering route by a prefix-list route.
			for i := range pub.Routes {
				if pub.Routes[i].Destination.String() == "10.1.0.0/16" {
					pub.Routes = append(pub.Routes[:i], pub.Routes[i+1:]...)
					break
				}
			}
			b.PrefixList("pl-peer", "10.1.0.0/16")
			b.Route(pub, "pl-peer", "pcx-12")
			first(pub)
			propagated(b, pub, "10.1.0.0/16")
		}, from: "eni-web", to: "eni-b", verdict: reach.Reachable, contains: "pcx-12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := twoVPCs()
			pub, _ := b.N.RouteTables.Get("rtb-pub")
			c.edit(b, pub)
			r := flow(t, b.Build(), c.from, c.to, model.ProtoTCP, 22)
			if c.verdict != "" {
				expect(t, r, c.verdict, c.code)
			}
			if c.contains != "" && !strings.Contains(describe(r), c.contains) {
				t.Errorf("explanation lacks %q:\n%s", c.contains, describe(r))
			}
		})
	}
}

// TestTransitGatewayRoutePriorityIsAWSsNotTheFileOrder: for the same
// prefix, static routes, then prefix-list routes, then routes propagated
// by VPC, Direct Connect gateway, Connect, VPN and peering attachments.
// https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html#tgw-route-evaluation-overview
func TestTransitGatewayRoutePriorityIsAWSsNotTheFileOrder(t *testing.T) {
	vpnRoute := func(b *reachtest.Builder) {
		b.N.TGWAttachments.Put(&model.TGWAttachment{Meta: model.Meta{ID: "tgw-attach-vpn"}, TransitGatewayID: "tgw-1", ResourceType: "vpn",
			ResourceID: "vpn-1", AssociatedRouteTableID: "tgw-rtb-tgw-1", State: "available"})
		rt, _ := b.N.TGWRouteTables.Get("tgw-rtb-tgw-1")
		rt.Routes = append([]model.TGWRoute{{Destination: netip.MustParsePrefix("10.5.0.0/16"), AttachmentIDs: []string{"tgw-attach-vpn"},
			Type: "propagated", State: model.RouteActive}}, rt.Routes...)
	}
	cases := []struct {
		name string
		edit func(b *reachtest.Builder)
	}{
		{"static route beats a VPN-propagated route listed before it", vpnRoute},
		{"VPC-propagated route beats a VPN-propagated route listed before it", func(b *reachtest.Builder) {
			rt, _ := b.N.TGWRouteTables.Get("tgw-rtb-tgw-1")
			for i := range rt.Routes {
				if rt.Routes[i].Destination.String() == "10.5.0.0/16" {
					rt.Routes[i].Type = "propagated"
				}
			}
			vpnRoute(b)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := withTGW()
			c.edit(b)
			r := flow(t, b.Build(), "eni-web", "eni-t", model.ProtoTCP, 443)
			expect(t, r, reach.Reachable, "")
			if !strings.Contains(describe(r), "tgw-attach-t") {
				t.Errorf("not through tgw-attach-t:\n%s", describe(r))
			}
		})
	}
}

// TestNetworkACLRulesByNumberNotFileOrder: a network ACL evaluates its
// rules from the lowest number up, whatever order the sources list them.
// https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
func TestNetworkACLRulesByNumberNotFileOrder(t *testing.T) {
	b := publicPrivate()
	b.ACL("acl-priv", "vpc-1", []string{"subnet-priv"}, "200 in allow -1 all 0.0.0.0/0", "100 in deny tcp 8080 10.0.0.0/24", "100 out allow -1 all 0.0.0.0/0")
	r := flow(t, b.Build(), "i-web", "i-app", model.ProtoTCP, 8080)
	expect(t, r, reach.Unreachable, reach.CodeSubnetACL)
	if !strings.Contains(describe(r), "rule 100 deny") {
		t.Errorf("not stopped by rule 100:\n%s", describe(r))
	}
}

// TestSecurityGroupsAreAUnionWhateverTheirOrder: the rules of all the
// groups of an interface are aggregated; the order the groups are listed
// in does not matter.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
func TestSecurityGroupsAreAUnionWhateverTheirOrder(t *testing.T) {
	for _, order := range [][]string{{"sg-app", "sg-extra"}, {"sg-extra", "sg-app"}} {
		b := publicPrivate()
		b.SG("sg-extra", "vpc-1", "in tcp 9090 10.0.0.0/16")
		app, _ := b.N.NetworkInterfaces.Get("eni-app")
		app.SecurityGroupIDs = order
		n := b.Build()
		expect(t, flow(t, n, "i-web", "i-app", model.ProtoTCP, 8080), reach.Reachable, "")
		expect(t, flow(t, n, "i-web", "i-app", model.ProtoTCP, 9090), reach.Reachable, "")
		expect(t, flow(t, n, "i-web", "i-app", model.ProtoTCP, 22), reach.Unreachable, reach.CodeSGMismatch)
	}
}
