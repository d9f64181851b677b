package terraform_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
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

// TestPlanChangesSnapshotResource: a resource the plan updates replaces
// the snapshot's of the same ID, in the snapshot's account and region.
func TestPlanChangesSnapshotResource(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "update.json")
	js := `{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[{"address":"aws_subnet.public","mode":"managed","type":"aws_subnet","name":"public",
 "change":{"actions":["update"],"before":{},"after":{"id":"subnet-0a1000000000000a1","vpc_id":"vpc-0a10000000000000a","cidr_block":"10.0.1.0/24","map_public_ip_on_launch":true},"after_unknown":{}}}]}`
	if err := os.WriteFile(plan, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join("..", "..", "..", "examples", "two-tier")
	n, err := source.Load(context.Background(), []string{snap, plan}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, ok := n.Subnets.Get("subnet-0a1000000000000a1")
	if !ok || s.Account != "123456789012" || s.Region != "us-east-1" || s.MapPublicIPOnLaunch != model.True || s.LogicalID != "aws_subnet.public" {
		t.Errorf("subnet %+v", s)
	}
	if c := n.Counts()[model.TypeSubnet]; c != 3 {
		t.Errorf("%d subnets", c)
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
