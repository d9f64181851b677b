package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/synth"
)

var (
	policyPasses = filepath.Join(repoRoot, "examples", "policies", "two-tier.yaml")
	policyFails  = filepath.Join(repoRoot, "examples", "policies", "two-tier-fails.yaml")
)

// TestCheckExamplePolicies: the shipped policies pass and fail on
// examples/two-tier as they say, in every format.
func TestCheckExamplePolicies(t *testing.T) {
	for _, tc := range []struct {
		name, policy string
		code         int
	}{
		{"passes", policyPasses, exitOK},
		{"fails", policyFails, exitGate},
	} {
		for _, format := range []string{"text", "json", "sarif"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				code, out, errs := runCLI(t, "check", exposureTwoTier, "--policy", tc.policy, "--format", format)
				if code != tc.code {
					t.Fatalf("exit %d, want %d: %s", code, tc.code, errs)
				}
				checkGolden(t, filepath.Join("testdata", "check", tc.name+"."+format+".golden"), []byte(out))
			})
		}
	}
}

func TestCheckViolationCarriesPathAndReason(t *testing.T) {
	code, out, _ := runCLI(t, "check", exposureTwoTier, "--policy", policyFails, "--format", "json")
	if code != exitGate {
		t.Fatalf("exit %d", code)
	}
	var v struct {
		SchemaVersion int `json:"schemaVersion"`
		Rules         []struct {
			ID, Status string
			Violations []struct {
				From, To, Protocol, Verdict, Reason string
				Ports                               struct{ From, To int }
				Hops                                []struct{ ID, Type, Action string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.SchemaVersion != 1 || len(v.Rules) != 2 {
		t.Fatalf("%+v", v)
	}
	r := v.Rules[0]
	if r.ID != "no-internet-ssh" || r.Status != "fail" || len(r.Violations) != 1 {
		t.Fatalf("%+v", r)
	}
	x := r.Violations[0]
	if x.From != "internet" || x.To != "i-0a1000000000000a1" || x.Protocol != "tcp" || x.Ports.From != 22 || x.Ports.To != 22 ||
		x.Verdict != "reachable" || x.Reason == "" {
		t.Errorf("%+v", x)
	}
	var ids []string
	for _, h := range x.Hops {
		ids = append(ids, h.ID)
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "igw-0a10000000000000a") || !strings.Contains(got, "sg-0a1000000000000a1") {
		t.Errorf("hops %s", got)
	}
}

func TestCheckJSONIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "json.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pol := range []string{policyPasses, policyFails} {
		_, out, _ := runCLI(t, "check", exposureTwoTier, "--policy", pol, "--format", "json")
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		jsonKeys(v, keys)
		for k := range keys {
			if !strings.Contains(string(b), "`"+k+"`") && !strings.Contains(string(b), `"`+k+`"`) {
				t.Errorf("check writes %q, which docs/json.md does not describe", k)
			}
		}
	}
}

func TestCheckBadPolicyExits2WithFileLine(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ name, body, want string }{
		{"unknown key", "rules:\n  - id: a\n    deny: {from: internet, to: app, port: 22}\n", ":3: unknown-key: "},
		{"both", "rules:\n  - id: a\n    deny: {from: internet, to: app}\n    require: {from: internet, to: app}\n", ":4: deny-and-require: "},
		{"duplicate", "rules:\n  - id: a\n    deny: {from: internet, to: app}\n  - id: a\n    deny: {from: internet, to: app}\n", ":4: duplicate-id: "},
		{"bad ports", "rules:\n  - id: a\n    deny: {from: internet, to: app, protocol: tcp, ports: 0-70000}\n", ":3: bad-ports: "},
		{"matches nothing", "rules:\n  - id: a\n    deny:\n      from: internet\n      to: {tag: {Tier: nope}}\n", ":5: selector-matches-nothing: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tc.name, " ", "-")+".yaml", tc.body)
			code, out, errs := runCLI(t, "check", exposureTwoTier, "--policy", p)
			if code != exitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			if !strings.Contains(errs, p+tc.want) {
				t.Errorf("stderr %q, want %q", errs, p+tc.want)
			}
		})
	}
	if code, _, errs := runCLI(t, "check", exposureTwoTier); code != exitUsage || !strings.Contains(errs, "--policy") {
		t.Errorf("no --policy: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "check", exposureTwoTier, "--policy", filepath.Join(dir, "missing.yaml")); code != exitUsage || !strings.Contains(errs, "missing.yaml") {
		t.Errorf("missing policy: exit %d %s", code, errs)
	}
}

// TestCheckSARIFLocatesEveryViolation: results point at the resource's file,
// or at the policy rule when the resource has none, with fingerprints that
// stay the same from one run to the next.
func TestCheckSARIFLocatesEveryViolation(t *testing.T) {
	_, a, _ := runCLI(t, "check", exposureTwoTier, "--policy", policyFails, "--format", "sarif")
	_, b, _ := runCLI(t, "check", exposureTwoTier, "--policy", policyFails, "--format", "sarif")
	if a != b {
		t.Error("two runs differ")
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
					}
				}
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal([]byte(a), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs[0].Results) != 2 {
		t.Fatalf("%d results", len(log.Runs[0].Results))
	}
	for _, r := range log.Runs[0].Results {
		u := r.Locations[0].PhysicalLocation.ArtifactLocation
		if !strings.HasPrefix(u.URI, "examples/two-tier/aws_configs/") || u.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: located at %+v", r.RuleID, u)
		}
	}
}

// TestCheckAgreesWithExposure: on a generated organisation, a deny rule
// from the internet to every interface on one port is violated by exactly
// the resources exposure finds open to the internet on that port, with
// the same verdicts (exposure names a load balancer once; check names each
// of its interfaces).
func TestCheckAgreesWithExposure(t *testing.T) {
	if testing.Short() {
		t.Skip("generates an organisation")
	}
	dir := t.TempDir()
	if err := synth.Generate(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "policy.yaml")
	for _, port := range []int{22, 443, 5432} {
		body := fmt.Sprintf("rules:\n  - id: p\n    deny:\n      from: internet\n      to: {cidr: 10.0.0.0/8}\n      protocol: tcp\n      ports: %d\n", port)
		if err := os.WriteFile(pol, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, out, errs := runCLI(t, "check", dir, "--policy", pol, "--format", "json")
		var c struct {
			Rules []struct {
				Pairs      int
				Violations []struct{ To, Verdict string }
			}
		}
		if err := json.Unmarshal([]byte(out), &c); err != nil {
			t.Fatalf("%v: %s", err, errs)
		}
		_, out, _ = runCLI(t, "exposure", dir, "--format", "json")
		var e struct {
			Findings []struct {
				Resource struct{ ID, ENI string }
				From     struct{ Kind string }
				Protocol string
				Ports    struct{ From, To int }
				Verdict  string
			}
		}
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, f := range e.Findings {
			if f.From.Kind != "internet" || f.Protocol != "tcp" && f.Protocol != "all" || f.Ports.From > port || f.Ports.To < port {
				continue
			}
			id := f.Resource.ID
			if want[id] != "reachable" {
				want[id] = f.Verdict
			}
		}
		got := map[string]string{}
		for _, v := range c.Rules[0].Violations {
			id := strings.Fields(v.To)[0]
			if got[id] != "reachable" {
				got[id] = v.Verdict
			}
		}
		if c.Rules[0].Pairs < 900 || len(want) == 0 {
			t.Fatalf("port %d: %d pairs, %d exposed", port, c.Rules[0].Pairs, len(want))
		}
		n := 0
		for id, v := range want {
			if got[id] != v && n < 5 {
				t.Errorf("port %d: %s is %s in exposure, %q in check", port, id, v, got[id])
				n++
			}
		}
		for id, v := range got {
			if want[id] != v && n < 10 {
				t.Errorf("port %d: %s is %s in check, %q in exposure", port, id, v, want[id])
				n++
			}
		}
	}
}

// TestEverySARIFIsValidForCodeScanning runs each command that writes SARIF
// on the examples and fixtures; runCLI validates what they print.
func TestEverySARIFIsValidForCodeScanning(t *testing.T) {
	alb := filepath.Join("testdata", "exposure", "alb.yaml")
	for _, args := range [][]string{
		{"exposure", exposureTwoTier},
		{"exposure", alb},
		{"lint", exposureTwoTier},
		{"lint", "--each", exposureTwoTier, alb},
		{"check", exposureTwoTier, "--policy", policyFails},
		{"check", exposureTwoTier, "--policy", policyPasses},
	} {
		code, out, errs := runCLI(t, append(args, "--format", "sarif")...)
		if code > exitGate || !strings.Contains(out, `"2.1.0"`) {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
}
