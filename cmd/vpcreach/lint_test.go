package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lintPrivateSSH is seed 004's network as a snapshot: an instance in a private
// subnet and one in a public subnet share a group open to SSH from
// anywhere; a full-tunnel Client VPN endpoint pushes no DNS servers and
// gives clients no internet (seed 001, scenario 1, example 2).
const lintPrivateSSH = "testdata/lint/private-ssh"

func TestLintSnapshotGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := runCLI(t, "lint", lintPrivateSSH, "--format", format)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			checkGolden(t, filepath.Join("testdata", "lint", "private-ssh."+format+".golden"), []byte(out))
		})
	}
}

func TestLintReportsSeed004And001Findings(t *testing.T) {
	code, out, errs := runCLI(t, "lint", lintPrivateSSH, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Findings []struct {
			Rule     string
			Severity string
			Resource struct{ ID, Type string }
			Location struct {
				File string
				Line int
			}
			Message string
		}
		Warnings []string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sg-admin-port-open-to-world":                     "sg-0ssh",
		"sg-open-but-not-internet-reachable":              "i-0private",
		"clientvpn-full-tunnel-resolver-without-internet": "cvpn-endpoint-0a1",
	}
	for _, f := range doc.Findings {
		if id, ok := want[f.Rule]; ok && f.Resource.ID == id {
			delete(want, f.Rule)
			if f.Location.File == "" || f.Location.Line == 0 {
				t.Errorf("%s: no file and line: %+v", f.Rule, f.Location)
			}
		}
		if f.Rule == "sg-open-but-not-internet-reachable" && f.Resource.ID == "i-0public" {
			t.Errorf("the public instance is exposed, yet reported as not: %s", f.Message)
		}
	}
	for rule, id := range want {
		t.Errorf("missing %s on %s", rule, id)
	}
}

func TestLintFailOnGate(t *testing.T) {
	cases := []struct {
		failOn string
		want   int
	}{
		{"", exitOK},
		{"high", exitGate},
		{"medium", exitGate},
		{"info", exitGate},
		{"HIGH", exitGate},
	}
	// Skipping the only high rule lets a high gate pass.
	if code, _, errs := runCLI(t, "lint", lintPrivateSSH, "--fail-on", "high", "--skip", "sg-admin-port-open-to-world"); code != exitOK {
		t.Errorf("--skip the high rule: exit %d (%s)", code, errs)
	}
	for _, c := range cases {
		args := []string{"lint", lintPrivateSSH, "--format", "json"}
		if c.failOn != "" {
			args = append(args, "--fail-on", c.failOn)
		}
		code, out, errs := runCLI(t, args...)
		if code != c.want {
			t.Errorf("--fail-on %q: exit %d, want %d (%s)", c.failOn, code, c.want, errs)
		}
		if !strings.Contains(out, `"findings"`) {
			t.Errorf("--fail-on %q: the report must still be written", c.failOn)
		}
		if c.want == exitGate && !strings.Contains(errs, "at or above severity") {
			t.Errorf("--fail-on %q: stderr %q", c.failOn, errs)
		}
	}
}

func TestLintFailOnPassesBelowThreshold(t *testing.T) {
	dir := t.TempDir()
	// A VPC alone has nothing to report.
	if err := os.WriteFile(filepath.Join(dir, "vpcs.json"), []byte(`{"Vpcs":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "lint", dir, "--fail-on", "info")
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if !strings.HasPrefix(out, "No findings.") {
		t.Errorf("output %q", out)
	}
}

func TestLintBadUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown format", []string{"lint", lintPrivateSSH, "--format", "yaml"}, "--format"},
		{"unknown severity", []string{"lint", lintPrivateSSH, "--fail-on", "critical"}, "--fail-on"},
		{"unknown rule to skip", []string{"lint", lintPrivateSSH, "--skip", "sg-everything"}, "--skip"},
		{"no source", []string{"lint"}, "no SOURCE"},
		{"missing source", []string{"lint", "testdata/lint/does-not-exist"}, "does-not-exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errs, c.msg) {
				t.Errorf("stderr %q does not mention %q", errs, c.msg)
			}
		})
	}
}

// TestLintTemplates lints templates of our own: seed 002's two groups
// (no egress stated: implicit allow-all; the loopback rule: only the
// suppression note) and a network with one of each template pitfall.
func TestLintTemplates(t *testing.T) {
	type hit struct {
		rule, resource string
		line           int
	}
	cases := []struct {
		file    string
		want    []hit
		notWant []hit
	}{
		{"egress-unstated.yaml",
			[]hit{{"sg-implicit-allow-all-egress", "EndpointSecurityGroup", 19}},
			[]hit{{"sg-implicit-allow-all-egress", "FunctionSecurityGroup", 0}, {"sg-egress-loopback-only", "EndpointSecurityGroup", 0}}},
		{"egress-loopback.yaml",
			[]hit{{"sg-egress-loopback-only", "EndpointSecurityGroup", 30}},
			[]hit{{"sg-implicit-allow-all-egress", "EndpointSecurityGroup", 0}, {"sg-egress-cannot-block-amazon-dns", "EndpointSecurityGroup", 0}}},
		{"pitfalls.yaml",
			[]hit{
				{"sg-admin-port-open-to-world", "AdminSecurityGroup", 105},
				{"nacl-no-ephemeral-return", "WebAcl", 67},
				{"public-ip-without-igw-route", "LegacySubnet", 56},
				{"sg-open-but-not-internet-reachable", "AppServer", 130},
				{"sg-standalone-egress-replaced-default", "AppSecurityGroup", 122},
				{"sg-egress-cannot-block-amazon-dns", "AppSecurityGroup", 117},
				// Seed 001, scenario 1, example 2.
				{"clientvpn-full-tunnel-resolver-without-internet", "ClientVpnEndpoint", 139},
			},
			[]hit{{"public-ip-without-igw-route", "PublicSubnet", 0}, {"sg-implicit-allow-all-egress", "AppSecurityGroup", 0}}},
		// Seed 001, scenario 2, with the private hosted zone associated
		// with the Client VPN's VPC instead of the resolver's.
		{"clientvpn-resolver",
			[]hit{{"clientvpn-private-zone-not-seen-by-resolver", "cvpn-endpoint-0split", 3}},
			[]hit{{"clientvpn-dns-server-not-covered", "cvpn-endpoint-0split", 0}, {"clientvpn-full-tunnel-resolver-without-internet", "cvpn-endpoint-0split", 0}}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			code, out, errs := runCLI(t, "lint", filepath.Join("testdata", "lint", c.file), "--format", "json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var doc struct {
				Findings []struct {
					Rule     string
					Resource struct{ ID string }
					Location struct {
						File string
						Line int
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			got := map[hit]bool{}
			for _, f := range doc.Findings {
				got[hit{f.Rule, f.Resource.ID, f.Location.Line}] = true
				got[hit{f.Rule, f.Resource.ID, 0}] = true
			}
			for _, h := range c.want {
				if !got[h] {
					t.Errorf("missing %s on %s at line %d in %s", h.rule, h.resource, h.line, out)
				}
			}
			for _, h := range c.notWant {
				if got[h] {
					t.Errorf("unexpected %s on %s", h.rule, h.resource)
				}
			}
		})
	}
}

func TestLintListRules(t *testing.T) {
	code, out, errs := runCLI(t, "lint", "--list-rules")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, id := range []string{"sg-implicit-allow-all-egress", "resolver-forwarding-loop", "nacl-no-ephemeral-return"} {
		if !strings.Contains(out, id) {
			t.Errorf("rule %s not listed", id)
		}
	}
	code, out, _ = runCLI(t, "lint", "--list-rules", "--format", "json")
	var doc struct {
		SchemaVersion int
		Rules         []map[string]string
	}
	if code != exitOK || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Rules) < 17 || doc.SchemaVersion != 1 {
		t.Fatalf("exit %d, schema %d, %d rules: %s", code, doc.SchemaVersion, len(doc.Rules), out)
	}
	for _, r := range doc.Rules {
		if r["id"] == "" || r["severity"] == "" || r["docUrl"] == "" || r["fix"] == "" {
			t.Errorf("incomplete rule %v", r)
		}
	}
}

func TestLintEachSourceOnItsOwn(t *testing.T) {
	egress := filepath.Join("testdata", "lint", "egress-unstated.yaml")
	loopback := filepath.Join("testdata", "lint", "egress-loopback.yaml")
	code, out, errs := runCLI(t, "lint", "--each", egress, loopback, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Both templates name their group EndpointSecurityGroup: merged, one
	// would replace the other; linted one by one, both are reported.
	for _, want := range []string{"egress-unstated.yaml", "egress-loopback.yaml", "sg-implicit-allow-all-egress", "sg-egress-loopback-only"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	code, out, errs = runCLI(t, "lint", "--each", egress, filepath.Join("testdata", "lint", "missing.yaml"), "--format", "json")
	if code != exitUsage {
		t.Errorf("an unreadable source: exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errs, "missing.yaml") || !strings.Contains(out, "sg-implicit-allow-all-egress") || !strings.Contains(out, "not-linted") {
		t.Errorf("the readable source must still be linted and the other named: stdout %s stderr %s", out, errs)
	}
}
