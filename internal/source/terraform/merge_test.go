package terraform_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/source"
)

// TestPlanOnSnapshot: a plan read with a snapshot of the account it
// changes binds by ID: a data source's subnet and VPC are the snapshot's.
func TestPlanOnSnapshot(t *testing.T) {
	snap := filepath.Join("..", "..", "..", "examples", "two-tier")
	n, err := source.Load(context.Background(), []string{snap, "testdata/on-two-tier.json"}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, ok := n.NetworkInterfaces.Get("aws_instance.admin/eni0")
	if !ok {
		t.Fatal("no interface of aws_instance.admin")
	}
	if e.SubnetID != "subnet-0a1000000000000a1" || e.VPCID != "vpc-0a10000000000000a" {
		t.Errorf("subnet %s vpc %s", e.SubnetID, e.VPCID)
	}
	if len(e.SecurityGroupIDs) != 1 || e.SecurityGroupIDs[0] != "aws_security_group.admin" {
		t.Errorf("groups %v", e.SecurityGroupIDs)
	}
	if !e.PublicIPValueOnly() {
		t.Errorf("associate_public_ip_address true: public %q", e.UnknownPublicIP())
	}
	if _, ok := n.InternetGatewayOf(e.VPCID); !ok {
		t.Error("the snapshot's internet gateway is not the VPC's")
	}
}

// TestLintOnPlanHasNoImplicitEgress: the CloudFormation rule about the
// allow-all egress AWS adds does not fire on aws_security_group, which
// has none.
func TestLintOnPlanHasNoImplicitEgress(t *testing.T) {
	n, err := source.Load(context.Background(), []string{"testdata/plan.json"}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lint.Run(n).Findings {
		if f.Rule.ID == "sg-implicit-allow-all-egress" {
			t.Errorf("%s: %s", f.Resource, f.Message)
		}
	}
}
