package cloudformation

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// TestMetadataSuppressionsReachTheModel: a resource's Metadata vpcreach
// suppress entries are carried, vendor-neutrally, on its model element,
// with the line that declares each.
func TestMetadataSuppressionsReachTheModel(t *testing.T) {
	n := &model.Network{}
	if err := Read("../../../cmd/vpcreach/testdata/diff/web.yaml", Options{}, n); err != nil {
		t.Fatal(err)
	}
	sg, ok := n.SecurityGroups.Get("BastionSg")
	if !ok {
		t.Fatal("no BastionSg")
	}
	want := []model.Suppression{
		{Rule: "internet-admin-port", Reason: "the bastion is the one way in; access is logged and MFA-gated", Expires: "2999-12-31"},
		{Rule: "sg-admin-port-open-to-world", Reason: "the bastion is the one way in; access is logged and MFA-gated"},
	}
	if len(sg.Suppressions) != len(want) {
		t.Fatalf("suppressions %+v, want %+v", sg.Suppressions, want)
	}
	for i, s := range sg.Suppressions {
		if s.Rule != want[i].Rule || s.Reason != want[i].Reason || s.Expires != want[i].Expires || s.Origin.Line == 0 {
			t.Errorf("suppression %d: %+v, want %+v with a line", i, s, want[i])
		}
	}
	if web, _ := n.SecurityGroups.Get("WebSg"); len(web.Suppressions) != 0 {
		t.Errorf("WebSg has suppressions %+v", web.Suppressions)
	}
}
