package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exposureTwoTier is the README's first example: a public bastion, a
// private app behind a NAT gateway, and a peered partner VPC.
const exposureTwoTier = "../../examples/two-tier"

func TestExposureTwoTierGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := runCLI(t, "exposure", exposureTwoTier, "--format", format)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			checkGolden(t, filepath.Join("testdata", "exposure", "two-tier."+format+".golden"), []byte(out))
		})
	}
}

// exposureDoc is cli.md's exposure JSON, read back.
type exposureDoc struct {
	Findings []struct {
		Resource struct {
			ID, Type, ENI, Address, PublicAddress string
		}
		From struct {
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
	Warnings []string
}

func TestExposureTwoTierAnswersTheREADME(t *testing.T) {
	code, out, errs := runCLI(t, "exposure", exposureTwoTier, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc exposureDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	bastion, app := "i-0a1000000000000a1", "i-0a1000000000000a2"
	seen := map[string]bool{}
	for _, f := range doc.Findings {
		key := f.Resource.ID + " " + f.From.Kind + " " + f.Protocol + " " + strings.Join(f.From.Sources, ",")
		seen[key+" "+itoa(f.Ports.From)] = true
		if f.Resource.ID == app && f.From.Kind == "internet" {
			t.Errorf("the private app is exposed to the internet: %+v", f)
		}
		if len(f.Via) == 0 || f.Reason == "" {
			t.Errorf("finding without evidence: %+v", f)
		}
	}
	for _, want := range []string{
		bastion + " internet tcp 0.0.0.0/0 22",
		bastion + " internet tcp 0.0.0.0/0 443",
		app + " vpc-peering tcp 10.1.1.0/24 22",
		app + " vpc-peering tcp 10.1.1.0/24 443",
	} {
		if !seen[want] {
			t.Errorf("missing %s in %v", want, seen)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestExposureFailOnGate(t *testing.T) {
	for _, tc := range []struct {
		sev  string
		want int
	}{{"high", exitGate}, {"medium", exitGate}, {"low", exitGate}} {
		code, _, errs := runCLI(t, "exposure", exposureTwoTier, "--fail-on", tc.sev)
		if code != tc.want {
			t.Errorf("--fail-on %s: exit %d (%s), want %d", tc.sev, code, errs, tc.want)
		}
		if !strings.Contains(errs, "at or above severity "+tc.sev) {
			t.Errorf("--fail-on %s: stderr %q", tc.sev, errs)
		}
	}
	code, _, errs := runCLI(t, "exposure", exposureTwoTier, "--fail-on", "bogus")
	if code != exitUsage || !strings.Contains(errs, "--fail-on") {
		t.Errorf("bad --fail-on: exit %d %q", code, errs)
	}
}

func TestExposureGateQuietWithoutFindings(t *testing.T) {
	dir := t.TempDir()
	tpl := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(tpl, []byte("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "exposure", tpl, "--fail-on", "low")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Nothing is reachable from outside.") {
		t.Errorf("output %q", out)
	}
}

func TestExposureBadFormat(t *testing.T) {
	code, _, errs := runCLI(t, "exposure", exposureTwoTier, "--format", "xml")
	if code != exitUsage || !strings.Contains(errs, "--format") {
		t.Errorf("exit %d %q", code, errs)
	}
}

// A template: an internet-facing load balancer whose interfaces AWS
// creates at deploy time, in front of private instances whose group also
// opens SSH to the world. The load balancer is exposed on 443, the
// instances on 8080 through it only, and every SARIF result points at the
// template line of its resource.
func TestExposureTemplateLoadBalancer(t *testing.T) {
	tpl := filepath.Join("testdata", "exposure", "alb.yaml")
	for _, format := range []string{"text", "sarif"} {
		code, out, errs := runCLI(t, "exposure", tpl, "--format", format)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		checkGolden(t, filepath.Join("testdata", "exposure", "alb."+format+".golden"), []byte(out))
	}
	code, out, errs := runCLI(t, "exposure", tpl, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc exposureDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, f := range doc.Findings {
		rows = append(rows, f.Resource.ID+" "+f.From.Kind+" "+f.Protocol+" "+itoa(f.Ports.From)+" "+f.Verdict)
		if f.Resource.ID == "App1" || f.Resource.ID == "App2" {
			if len(f.Via) == 0 || f.Via[0].ID != "Alb" {
				t.Errorf("%s: via %v does not start with the load balancer", f.Resource.ID, f.Via)
			}
		}
	}
	want := []string{
		"Alb internet tcp 443 reachable",
		"App1 internet tcp 8080 reachable",
		"App2 internet tcp 8080 reachable",
		"Bastion internet tcp 22 reachable", // AssociatePublicIpAddress true: whatever address AWS picks
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	_, sarif, _ := runCLI(t, "exposure", tpl, "--format", "sarif")
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Runs[0].Results {
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.Region.StartLine == 0 || !strings.HasSuffix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "alb.yaml") {
			t.Errorf("result not located at a template line: %+v", r.Locations)
		}
	}
}
