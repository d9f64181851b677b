package snapshot

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestTwoTierGolden compares the normalised model of examples/two-tier
// with testdata/two-tier.golden.json (refresh with -update).
func TestTwoTierGolden(t *testing.T) {
	src := filepath.Join("..", "..", "..", "examples", "two-tier")
	n := &model.Network{}
	if err := Read(src, n); err != nil {
		t.Fatal(err)
	}
	n.Finalize()
	got, err := model.Dump(n)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "two-tier.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("model of %s differs from %s; run go test ./internal/source/snapshot -run TestTwoTierGolden -update and review the diff", src, golden)
	}
	// What the example promises.
	if n.Warnings != nil {
		t.Errorf("warnings: %v", n.Warnings)
	}
	bastion, _ := n.NetworkInterfaces.Get("eni-0a1000000000000a1")
	if bastion == nil || len(bastion.PublicIPs()) != 1 {
		t.Errorf("bastion interface has no public IP: %+v", bastion)
	}
	if rt, explicit := n.RouteTableFor("subnet-0a1000000000000a2"); rt == nil || !explicit || rt.Routes[1].TargetKind != model.TargetNATGateway {
		t.Errorf("private subnet route table = %+v", rt)
	}
}
