package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// writeTree writes files (relative path -> content) under a new folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const terraformPlan = `{"format_version": "1.2", "terraform_version": "1.5.7",
  "planned_values": {"root_module": {}}, "resource_changes": [], "configuration": {}}`

// Reading nothing is an error: a CI gate on an empty exposure must not pass
// because the SOURCE held no AWS API output.
func TestReadNothingIsAnError(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		file  string // read this file of the tree instead of the folder
		code  string
		want  string
	}{
		{"an empty folder", nil, "", "empty-folder", "empty folder"},
		{"a folder of other files", map[string]string{"README.md": "# notes"}, "", "no-aws-output", "holds no .json file, only README.md"},
		{"a folder of unrelated JSON", map[string]string{"a.json": `{"foo": 1}`, "b/c.json": `[{"bar": 2}]`}, "", "no-aws-output", "JSON without AWS API output: a.json, b/c.json"},
		{"a file of unrelated JSON", map[string]string{"a.json": `{"foo": 1}`}, "a.json", "no-aws-output", "JSON without AWS API output"},
		{"only response metadata", map[string]string{"a.json": `{"ResponseMetadata": {"RequestId": "x"}}`}, "", "no-aws-output", "JSON without AWS API output"},
		{"a Terraform plan", map[string]string{"plan.json": terraformPlan}, "plan.json", "terraform-as-snapshot", "Terraform plan or state"},
		{"Terraform state", map[string]string{"state.json": `{"format_version": "1.0", "terraform_version": "1.5.7", "values": {"root_module": {}}}`}, "state.json", "terraform-as-snapshot", "name it as a SOURCE"},
		{"a folder holding a Terraform plan", map[string]string{"tf/plan.json": terraformPlan}, "", "terraform-folder", "a folder of Terraform JSON, not a snapshot: name the files as SOURCEs: tf/plan.json"},
		{"a folder of Terraform JSON and templates", map[string]string{"tf/plan.json": terraformPlan, "vpc.yaml": "Resources: {}"}, "", "terraform-folder", "Terraform JSON (tf/plan.json) to name as SOURCEs, and CloudFormation templates to name as SOURCEs, each its own stack (vpc.yaml)"},
		{"a folder of CloudFormation templates", map[string]string{"vpc.yaml": "Resources: {}", "sg.template": "Resources: {}", "x.json": `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`}, "",
			"templates-folder", "name the templates as SOURCEs (each is its own stack): sg.template, vpc.yaml, x.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			path := dir
			if tt.file != "" {
				path = filepath.Join(dir, tt.file)
			}
			err := Read(path, &model.Network{})
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("Read: %v; want a *diag.Error", err)
			}
			if de.Code != tt.code || !strings.Contains(de.Message, tt.want) || de.File != path {
				t.Errorf("got %q; want %s at %s with %q", de.Error(), tt.code, path, tt.want)
			}
		})
	}
}

// An empty list is AWS API output saying there is nothing: read, no error.
func TestReadEmptyListIsOutput(t *testing.T) {
	dir := writeTree(t, map[string]string{"vpcs.json": `{"Vpcs": []}`})
	if err := Read(dir, &model.Network{}); err != nil {
		t.Fatal(err)
	}
}

// Templates and Terraform files beside AWS API output are named in a
// warning, not skipped without a word.
func TestReadWarnsOfOtherFormatsBesideOutput(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"vpcs.json":  `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
		"stack.yaml": "Resources: {}", "stack.json": `{"Resources": {}}`, "plan.json": terraformPlan,
	})
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range warningsWith(n, "not-read") {
		got[filepath.Base(w.Origin.File)] = w.Message
	}
	for file, want := range map[string]string{"stack.yaml": "CloudFormation template", "stack.json": "CloudFormation template", "plan.json": "Terraform"} {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s: warning %q; want one saying %q (all: %v)", file, got[file], want, n.Warnings)
		}
	}
	if len(warningsWith(n, "unknown-key")) != 0 {
		t.Errorf("a skipped file's keys were warned of one by one: %v", n.Warnings)
	}
}

// Symbolic links in a snapshot folder are followed, to files and folders;
// a link back to a folder already read is not walked again, and a link
// that leads nowhere is named in a warning.
func TestReadFollowsSymlinks(t *testing.T) {
	outside := writeTree(t, map[string]string{
		"vpcs.json":           `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
		"more/subnets.json":   `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "eu-west-1a"}]}`,
		"more/eu-west-1/.txt": "",
	})
	dir := writeTree(t, map[string]string{"sgs.json": `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "GroupName": "web"}]}`})
	for link, target := range map[string]string{
		"vpcs.json":   filepath.Join(outside, "vpcs.json"),
		"linked":      filepath.Join(outside, "more"),
		"loop":        dir,
		"broken.json": filepath.Join(outside, "missing.json"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	// Read as given on a command line: a relative path.
	t.Chdir(filepath.Dir(dir))
	n := &model.Network{}
	if err := Read(filepath.Base(dir), n); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Base(dir)
	mustGet(t, &n.VPCs, "vpc-1")
	mustGet(t, &n.Subnets, "subnet-1")
	mustGet(t, &n.SecurityGroups, "sg-1")
	if w := warningsWith(n, "symlink-loop"); len(w) != 1 || w[0].Origin.File != filepath.Join(dir, "loop") {
		t.Errorf("symlink-loop warnings %v; want one naming %s", w, filepath.Join(dir, "loop"))
	}
	if w := warningsWith(n, "broken-symlink"); len(w) != 1 || w[0].Origin.File != filepath.Join(dir, "broken.json") {
		t.Errorf("broken-symlink warnings %v; want one naming broken.json", w)
	}
}
