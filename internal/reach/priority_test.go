package reach_test

import (
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
