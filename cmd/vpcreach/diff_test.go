package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	diffData      = "testdata/diff"
	twoTierRDP    = diffData + "/two-tier-rdp"       // two-tier with tcp/3389 from 0.0.0.0/0 on the web group
	twoTierTight  = diffData + "/two-tier-tightened" // two-tier with ssh from one office range and no https
	webTemplate   = diffData + "/web.yaml"           // a bastion whose ssh is suppressed in Metadata, a web server
	webRDP        = diffData + "/web-rdp.yaml"       // the same, the web server open on tcp/3389 to the world
	diffTightText = "two-tier-tightened"
)

// diffDoc is cli.md's diff JSON, read back.
type diffDoc struct {
	SchemaVersion int
	Added         []exposureFindingDoc
	Removed       []exposureFindingDoc
	Changed       []struct{ Before, After exposureFindingDoc }
	Unchanged     int
	Baselined     int
	Suppressed    int
	Warnings      []string
}

type exposureFindingDoc struct {
	Resource struct{ ID string }
	From     struct {
		Kind, ID string
		Sources  []string
	}
	Protocol string
	Ports    struct{ From, To int }
	Verdict  string
	Severity string
	Via      []struct{ ID, Type string }
	Reason   string
}

func (f exposureFindingDoc) String() string {
	return f.Resource.ID + " " + f.From.Kind + " " + f.Protocol + "/" + itoa(f.Ports.From) + " " + f.Severity
}

func decodeDiff(t *testing.T, out string) diffDoc {
	t.Helper()
	var d diffDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if d.SchemaVersion != 1 {
		t.Errorf("schemaVersion %d, want 1", d.SchemaVersion)
	}
	return d
}

func TestDiffGolden(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after string
	}{
		{"two-tier-rdp", exposureTwoTier, twoTierRDP},
		{diffTightText, exposureTwoTier, twoTierTight},
		{"web-rdp", webTemplate, webRDP},
		{"same", exposureTwoTier, exposureTwoTier},
	} {
		for _, format := range []string{"text", "json"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				code, out, errs := runCLI(t, "diff", tc.before, tc.after, "--format", format)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, errs)
				}
				checkGolden(t, filepath.Join(diffData, tc.name+"."+format+".golden"), []byte(out))
			})
		}
	}
}

// TestDiffOpeningRDPIsAddedHighAndGates: a security group that opens
// tcp/3389 to 0.0.0.0/0 on the public bastion is an added high finding,
// with its path and reason, and fails a --fail-on high gate.
func TestDiffOpeningRDPIsAddedHighAndGates(t *testing.T) {
	code, out, errs := runCLI(t, "diff", exposureTwoTier, twoTierRDP, "--format", "json", "--fail-on", "high")
	if code != exitGate {
		t.Fatalf("exit %d, want %d: %s", code, exitGate, errs)
	}
	if !strings.Contains(errs, "at or above severity high") {
		t.Errorf("stderr %q does not say why the gate failed", errs)
	}
	d := decodeDiff(t, out)
	var got []string
	for _, f := range d.Added {
		got = append(got, f.String())
		if len(f.Via) == 0 || f.Reason == "" {
			t.Errorf("added finding without evidence: %+v", f)
		}
	}
	want := "i-0a1000000000000a1 internet tcp/3389 high"
	if len(got) == 0 || got[0] != want {
		t.Errorf("added %v, want first %s", got, want)
	}
	if len(d.Removed) != 0 || len(d.Changed) != 0 || d.Unchanged != 7 {
		t.Errorf("removed %d changed %d unchanged %d, want 0 0 7", len(d.Removed), len(d.Changed), d.Unchanged)
	}
	// Under a gate the new finding's after side is not, nothing fails.
	if code, _, errs := runCLI(t, "diff", twoTierRDP, exposureTwoTier, "--fail-on", "low"); code != exitOK {
		t.Errorf("closing the port: exit %d: %s", code, errs)
	}
}

// TestDiffChangedSourcesGateOnTheAfterSide: ssh narrowed from 0.0.0.0/0
// to one range is a change (same identity, other sources), still high
// after, so a --fail-on high gate fails; --fail-on is about what is open
// after the change, not about whether it got better.
func TestDiffChangedSourcesGateOnTheAfterSide(t *testing.T) {
	code, out, _ := runCLI(t, "diff", exposureTwoTier, twoTierTight, "--format", "json", "--fail-on", "high")
	if code != exitGate {
		t.Fatalf("exit %d, want %d", code, exitGate)
	}
	d := decodeDiff(t, out)
	if len(d.Changed) != 1 {
		t.Fatalf("changed %d, want 1: %+v", len(d.Changed), d.Changed)
	}
	c := d.Changed[0]
	if strings.Join(c.Before.From.Sources, ",") != "0.0.0.0/0" || strings.Join(c.After.From.Sources, ",") != "198.51.100.0/24" {
		t.Errorf("change sources %v -> %v", c.Before.From.Sources, c.After.From.Sources)
	}
	if len(d.Removed) != 5 {
		t.Errorf("removed %d, want 5 (https from the internet and everything from the peer)", len(d.Removed))
	}
	if code, _, _ := runCLI(t, "diff", exposureTwoTier, twoTierTight, "--fail-on", "high", "--baseline", writeTemp(t, "base.json", out)); code != exitOK {
		t.Errorf("with the change in the baseline: exit %d, want 0", code)
	}
}

// TestDiffBeforeAndAfterFlagsAddSources: --before and --after stand for
// BEFORE and AFTER and add sources to a side.
func TestDiffBeforeAndAfterFlagsAddSources(t *testing.T) {
	_, positional, _ := runCLI(t, "diff", exposureTwoTier, twoTierRDP, "--format", "json")
	code, flags, errs := runCLI(t, "diff", "--before", exposureTwoTier, "--after", twoTierRDP, "--format", "json")
	if code != exitOK || flags != positional {
		t.Errorf("--before/--after: exit %d %s; output differs from BEFORE AFTER:\n%s\n%s", code, errs, flags, positional)
	}
	// Adding the template to both sides adds its findings to neither.
	code, out, errs := runCLI(t, "diff", exposureTwoTier, twoTierRDP, "--before", webTemplate, "--after", webTemplate, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	d := decodeDiff(t, out)
	// 7 two-tier findings and the web server's and bastion's, whose
	// suppression hides differences, not what is alike.
	if len(d.Added) != 3 || d.Unchanged != 9 || d.Suppressed != 0 {
		t.Errorf("added %d unchanged %d suppressed %d, want 3 9 0", len(d.Added), d.Unchanged, d.Suppressed)
	}
}

func TestDiffBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"diff", exposureTwoTier},
		{"diff", "--before", exposureTwoTier},
		{"diff", exposureTwoTier, twoTierRDP, "--fail-on", "critical"},
		{"diff", exposureTwoTier, twoTierRDP, "--format", "sarif"},
		{"diff", exposureTwoTier, "testdata/diff/nothing-here"},
	} {
		if code, _, errs := runCLI(t, args...); code != exitUsage || errs == "" {
			t.Errorf("%v: exit %d (%q), want %d with a message", args, code, errs, exitUsage)
		}
	}
}

// TestDiffTemplateSuppression: the bastion's ssh, suppressed in its
// group's Metadata, is on neither side's differences; the web server's
// new tcp/3389 is added; --param applies to both sides.
func TestDiffTemplateSuppression(t *testing.T) {
	code, out, errs := runCLI(t, "diff", webTemplate, webRDP, "--format", "json", "--param", "AdminCidr=203.0.113.0/24")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	d := decodeDiff(t, out)
	if len(d.Added) != 1 || d.Added[0].String() != "Web internet tcp/3389 high" {
		t.Errorf("added %v, want Web internet tcp/3389 high", d.Added)
	}
	// An ignore file entry accepts the new port, with a reason: it is
	// counted, not shown, and the gate passes.
	ignore := writeTemp(t, "ignore.yaml", "- resource: web\n  rule: internet-admin-port\n  ports: 3389\n  reason: the migration needs RDP until June\n")
	code, out, errs = runCLI(t, "diff", webTemplate, webRDP, "--format", "json", "--ignore", ignore, "--fail-on", "high")
	if d := decodeDiff(t, out); code != exitOK || len(d.Added) != 0 || d.Suppressed != 1 {
		t.Errorf("exit %d (%s), added %v, suppressed %d; want 0, none, 1", code, errs, d.Added, d.Suppressed)
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
