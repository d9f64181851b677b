package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

func TestInventoryListsScopesNotModelledWarningsAndUnknowns(t *testing.T) {
	n := &model.Network{Sources: []string{"snap", "stack.yaml"}}
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-1", Account: "111111111111", Region: "us-east-1"}})
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-2", Account: "222222222222", Region: "eu-west-1"}})
	eni := &model.NetworkInterface{Meta: model.Meta{ID: "AppEni", Origin: model.Origin{File: "stack.yaml", Line: 12}}}
	eni.AddUnknown("PrivateIpAddress", "picked by AWS at deploy time")
	n.NetworkInterfaces.Put(eni)
	n.CountNotModelled("AWS::RDS::DBInstance")
	n.Warnf("unknown-key", model.Origin{File: "snap/x.json", Line: 3}, "", "key %q is not understood", "Gizmos")
	n.Finalize()

	inv := NewInventory(n)
	if inv.Counts[model.TypeVPC] != 2 || len(inv.Regions) != 3 || inv.Regions[0].Account != "" {
		t.Errorf("inventory = %+v", inv)
	}
	if len(inv.Unknowns) != 1 || inv.Unknowns[0].Resource != "AppEni" || inv.Unknowns[0].Origin != "stack.yaml:12" {
		t.Errorf("unknowns = %+v", inv.Unknowns)
	}
	var b bytes.Buffer
	if err := WriteInventoryText(&b, inv); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"3 resources read from 2 source(s)",
		"-             -          AWS::EC2::NetworkInterface  1",
		"111111111111  us-east-1  AWS::EC2::VPC               1",
		"Totals:",
		"AWS::RDS::DBInstance  1",
		"Warnings (1):\n  snap/x.json:3: unknown-key: key \"Gizmos\" is not understood",
		"Unknown values (1)",
		"AppEni PrivateIpAddress: picked by AWS at deploy time (stack.yaml:12)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
