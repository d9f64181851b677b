package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const twoTier = "../../examples/two-tier"

func TestInventoryTwoTierGolden(t *testing.T) {
	for _, tc := range []struct{ format, golden string }{
		{"text", "testdata/inventory/two-tier.txt"},
		{"json", "testdata/inventory/two-tier.json"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			code, out, errs := runCLI(t, "inventory", twoTier, "--format", tc.format)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			checkGolden(t, tc.golden, []byte(out))
		})
	}
}

func TestInventoryJSONFields(t *testing.T) {
	code, out, _ := runCLI(t, "inventory", twoTier, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Counts  map[string]int `json:"counts"`
		Regions []struct {
			Account string         `json:"account"`
			Region  string         `json:"region"`
			Counts  map[string]int `json:"counts"`
		} `json:"regions"`
		NotModelled map[string]int `json:"notModelled"`
		Warnings    []string       `json:"warnings"`
		Unknowns    []any          `json:"unknowns"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"AWS::EC2::VPC": 2, "AWS::EC2::Subnet": 3, "AWS::EC2::Instance": 3, "AWS::EC2::NetworkInterface": 4,
		"AWS::EC2::SecurityGroup": 4, "AWS::EC2::RouteTable": 4, "AWS::EC2::NetworkAcl": 2, "AWS::EC2::NatGateway": 1,
		"AWS::EC2::InternetGateway": 1, "AWS::EC2::VPCPeeringConnection": 1, "AWS::EC2::EIP": 1, "AWS::EC2::DHCPOptions": 1}
	for k, v := range want {
		if got.Counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d", k, got.Counts[k], v)
		}
	}
	if len(got.Regions) != 1 || got.Regions[0].Account != "123456789012" || got.Regions[0].Region != "us-east-1" || got.Regions[0].Counts["AWS::EC2::VPC"] != 2 {
		t.Errorf("regions = %+v", got.Regions)
	}
	if got.Warnings == nil || got.Unknowns == nil || got.NotModelled == nil {
		t.Error("warnings, unknowns and notModelled must be present (empty, not null)")
	}
}

func TestInventoryWarnsAndCountsNotModelled(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("vpcs.json", "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\", \"DhcpOptionsId\": \"dopt-missing\"}],\n \"Gizmos\": []}\n")
	write("azs.json", `{"AvailabilityZones": [{"ZoneName": "us-east-1a"}, {"ZoneName": "us-east-1b"}]}`)
	code, out, errs := runCLI(t, "inventory", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"AWS::EC2::VPC", "Read but not modelled", "AWS::EC2::AvailabilityZone  2",
		filepath.Join(dir, "vpcs.json") + ":1: unknown-key: key \"Gizmos\"",
		filepath.Join(dir, "vpcs.json") + ":1: dangling-reference: vpc-1: AWS::EC2::VPC DhcpOptionsId refers to dopt-missing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestInventoryBadInputExits2(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "Subnets.json")
	if err := os.WriteFile(bad, []byte("{\n  \"Subnets\": [\n    {\"SubnetId\": \"subnet-1\",,}\n  ]\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "inventory", dir)
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.HasPrefix(errs, "vpcreach: "+bad+":3: malformed-json: ") || strings.Count(errs, "\n") != 1 {
		t.Errorf("stderr = %q, want one line naming %s:3", errs, bad)
	}
	code, _, errs = runCLI(t, "inventory", filepath.Join(dir, "absent"))
	if code != 2 || !strings.Contains(errs, "unreadable") {
		t.Errorf("missing source: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "inventory", twoTier, "--format", "sarif")
	if code != 2 || !strings.Contains(errs, "--format") {
		t.Errorf("bad format: exit %d, stderr %q", code, errs)
	}
	code, _, _ = runCLI(t, "inventory")
	if code != 2 {
		t.Errorf("no source: exit %d", code)
	}
}
