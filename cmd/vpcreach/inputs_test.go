package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
)

const conflictDir = "testdata/conflict"

// A SOURCE that holds no AWS API output is an error, exit 2, never an
// empty answer a CI gate would pass on.
func TestNothingReadIsExit2(t *testing.T) {
	empty := t.TempDir()
	unrelated := t.TempDir()
	if err := os.WriteFile(filepath.Join(unrelated, "x.json"), []byte(`{"foo": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"exposure of an empty folder", []string{"exposure", empty, "--fail-on", "high"}, empty + ": empty-folder: empty folder"},
		{"lint of unrelated JSON", []string{"lint", unrelated}, unrelated + ": no-aws-output: JSON without AWS API output: x.json"},
		{"inventory of unrelated JSON", []string{"inventory", unrelated}, "JSON without AWS API output"},
	}
	if vpc := corpustest.Find("cfn/widdix+aws-cf-templates/vpc"); vpc != "" {
		tests = append(tests, struct {
			name string
			args []string
			want string
		}{"lint of a folder of templates", []string{"lint", vpc}, "templates-folder: a folder of CloudFormation templates, not a snapshot: name the templates as SOURCEs (each is its own stack): vpc-2azs.yaml, vpc-3azs.yaml"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// A security group read twice with different rules: the answer covers both
// versions, the rule one lacks as possibly-reachable, and the conflict is
// a warning naming both files and lines.
func TestExposureCoversBothVersionsOfAGroup(t *testing.T) {
	stale := filepath.Join(conflictDir, "web-sg-with-rdp")
	code, out, stderr := runCLI(t, "exposure", exposureTwoTier, stale)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkGolden(t, filepath.Join(conflictDir, "web-sg-with-rdp.exposure.golden"), []byte(out))
	if !regexp.MustCompile(`tcp +3389 +0\.0\.0\.0/0 +high +possibly-reachable`).MatchString(out) {
		t.Errorf("the internet on tcp/3389 is not possibly-reachable:\n%s", out)
	}
	code, out, _ = runCLI(t, "inventory", exposureTwoTier, stale)
	if code != exitOK || !strings.Contains(out, "conflicting-duplicate: sg-0a1000000000000a1: read twice with different rules: ../../examples/two-tier/aws_configs/123456789012/us-east-1/SecurityGroups.json:37 and "+filepath.Join(stale, "123456789012/us-east-1/SecurityGroups.json")+":3") {
		t.Errorf("inventory (exit %d) does not warn of the conflict:\n%s", code, out)
	}
}

// The same peering in two files merges: the answer is the one without the copy.
func TestIdenticalDuplicatesMerge(t *testing.T) {
	_, want, _ := runCLI(t, "exposure", exposureTwoTier)
	code, got, stderr := runCLI(t, "exposure", exposureTwoTier, filepath.Join(conflictDir, "peering-copy"))
	if code != exitOK || got != want {
		t.Errorf("exit %d (%s); output\n%s\nwant\n%s", code, stderr, got, want)
	}
}

// A route table read twice with different routes: exit 2 naming both.
func TestConflictingRoutesAreExit2(t *testing.T) {
	stale := filepath.Join(conflictDir, "route-table-without-default", "123456789012/us-east-1/RouteTables.json")
	code, _, stderr := runCLI(t, "path", exposureTwoTier, stale, "--from", "internet", "--to", "bastion", "--port", "22")
	want := stale + ":3: conflicting-duplicate: rtb-0a1000000000000a1: read twice with different Routes: ../../examples/two-tier/aws_configs/123456789012/us-east-1/RouteTables.json:33 and " + stale + ":3"
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, stderr, want)
	}
}

// A value AWS would never hold is exit 2 at its line, not repaired.
func TestBadValueIsExit2(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "sg.json")
	if err := os.WriteFile(f, []byte("{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"VpcId\": \"vpc-1\",\n \"IpPermissions\": [{\"IpProtocol\": \"tcp\",\n  \"FromPort\": 3389, \"ToPort\": 65536, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "exposure", dir)
	want := f + ":3: bad-value: sg-1: SecurityGroups[0]: IpPermissions[0].ToPort 65536 is outside 0-65535"
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, stderr, want)
	}
}
