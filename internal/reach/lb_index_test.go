package reach

import (
	"slices"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// TestLoadBalancerInterfacesFoundInOnePassAreThoseItOwnsOrNames checks the
// index of load balancer interfaces against its definition (the interface
// is owned by the load balancer, or its description names it between two
// slashes), on descriptions of every shape, names shared across accounts
// and interfaces matching twice.
func TestLoadBalancerInterfacesFoundInOnePassAreThoseItOwnsOrNames(t *testing.T) {
	n := &model.Network{}
	lbs := []*model.LoadBalancer{
		{Meta: model.Meta{ID: "arn:alb/web/1", Name: "web"}},
		{Meta: model.Meta{ID: "arn:alb/web/2", Name: "web", Account: "222222222222"}},
		{Meta: model.Meta{ID: "arn:nlb/db/3", Name: "db"}},
		{Meta: model.Meta{ID: "arn:clb/4", Name: "legacy"}},
		{Meta: model.Meta{ID: "arn:odd/5", Name: "a/b"}},
		{Meta: model.Meta{ID: "arn:none/6"}},
	}
	for _, lb := range lbs {
		n.LoadBalancers.Put(lb)
	}
	enis := []*model.NetworkInterface{
		{Meta: model.Meta{ID: "eni-1"}, OwnerKind: model.OwnerLoadBalancer, Description: "ELB app/web/50dc6c495c0c9188"},
		{Meta: model.Meta{ID: "eni-2"}, OwnerKind: model.OwnerLoadBalancer, Description: "ELB net/db/0123"},
		{Meta: model.Meta{ID: "eni-3"}, OwnerKind: model.OwnerLoadBalancer, OwnerID: "arn:nlb/db/3", Description: "ELB net/db/4567"},
		{Meta: model.Meta{ID: "eni-4"}, OwnerKind: model.OwnerLoadBalancer, Description: "ELB legacy"},
		{Meta: model.Meta{ID: "eni-5"}, OwnerID: "arn:clb/4"},
		{Meta: model.Meta{ID: "eni-6"}, Description: "ELB app/web/99"},
		{Meta: model.Meta{ID: "eni-7"}, OwnerKind: model.OwnerLoadBalancer, Description: "x/a/b/y"},
		{Meta: model.Meta{ID: "eni-8"}, OwnerKind: model.OwnerLoadBalancer, Description: "//web//db/"},
		{Meta: model.Meta{ID: "eni-9"}, OwnerKind: model.OwnerLoadBalancer, OwnerID: "arn:none/6"},
	}
	for _, ni := range enis {
		n.NetworkInterfaces.Put(ni)
	}
	e := New(n)
	for _, lb := range lbs {
		var want []string
		for _, ni := range enis {
			if lbNamesInterface(lb, ni) {
				want = append(want, ni.ID)
			}
		}
		var got []string
		for _, ni := range e.lbInterfaces(lb) {
			got = append(got, ni.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", lb.ID, got, want)
		}
	}
}
