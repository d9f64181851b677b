package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

const sgWithoutEgress = `Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref VPC
`

// R8.2: observed AWS adds only 0.0.0.0/0 egress; --cfn-default-egress-ipv6
// follows CloudFormation's documentation and adds ::/0 too.
func TestDefaultEgressIPv6ReachesTheTemplateReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sg.yaml")
	if err := os.WriteFile(path, []byte(sgWithoutEgress), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ipv6 bool
		want int
	}{{false, 1}, {true, 2}} {
		n, err := Load(context.Background(), []string{path}, Options{DefaultEgressIPv6: tt.ipv6})
		if err != nil {
			t.Fatal(err)
		}
		sg, ok := n.SecurityGroups.Get("Web")
		if !ok {
			t.Fatal("security group Web not read")
		}
		if len(sg.Egress) != tt.want {
			t.Errorf("DefaultEgressIPv6=%v: %d egress rules %+v; want %d", tt.ipv6, len(sg.Egress), sg.Egress, tt.want)
		}
	}
}

// Terraform JSON is told by its content, whatever its name.
func TestDetectTellsTemplatesFromSnapshots(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"t.yaml":     sgWithoutEgress,
		"t.json":     `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`,
		"vpcs.json":  `{"Vpcs": []}`,
		"noext":      "Resources: {}\n",
		"array.json": `[{"VpcId": "vpc-1"}]`,
		"tfplan":     `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{},"resource_changes":[]}`,
		"state.json": `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`,
	}
	want := map[string]Kind{"t.yaml": KindCloudFormation, "t.json": KindCloudFormation, "vpcs.json": KindSnapshot, "noext": KindCloudFormation, "array.json": KindSnapshot,
		"tfplan": KindTerraform, "state.json": KindTerraform}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, k := range want {
		got, err := Detect(filepath.Join(dir, name))
		if err != nil || got != k {
			t.Errorf("Detect(%s) = %v, %v; want %v", name, got, err, k)
		}
	}
	if got, err := Detect(dir); err != nil || got != KindSnapshot {
		t.Errorf("Detect(folder) = %v, %v; want snapshot", got, err)
	}
	if _, err := Detect(filepath.Join(dir, "missing")); err == nil {
		t.Error("Detect of a missing path must fail")
	}
}
