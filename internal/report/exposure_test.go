package report

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

func exposureSample() *reach.ExposureResult {
	pfx := netip.MustParsePrefix
	// Every public IPv4 address but 203.0.113.0/24.
	var internetBut []netip.Prefix
	for _, p := range reach.InternetAddrs().Prefixes() {
		if !p.Addr().Is4() {
			continue
		}
		if p.Contains(netip.MustParseAddr("203.0.113.1")) {
			// Split around the hole.
			continue
		}
		internetBut = append(internetBut, p)
	}
	return &reach.ExposureResult{
		Findings: []reach.ExposureFinding{
			{Resource: reach.ExposedResource{ID: "i-1", Type: model.TypeInstance, ENI: "eni-1", Address: netip.MustParseAddr("10.0.0.1")},
				From: reach.ExposureFrom{Kind: reach.EdgeInternet, ID: "igw-1", Sources: []netip.Prefix{pfx("0.0.0.0/0")}}, Protocol: "tcp",
				Ports: model.PortRange{From: 22, To: 22}, Verdict: reach.Reachable, Severity: reach.SeverityHigh,
				Via: []reach.Hop{{ID: "igw-1", Type: model.TypeInternetGateway}}, Reason: "allowed by sg-1 tcp/22 from 0.0.0.0/0"},
			{Resource: reach.ExposedResource{ID: "i-1", Type: model.TypeInstance, ENI: "eni-1"},
				From: reach.ExposureFrom{Kind: reach.EdgeInternet, ID: "igw-1", Sources: internetBut}, Protocol: "icmp",
				Ports: model.PortRange{From: 0, To: 255}, Verdict: reach.PossiblyReachable, Severity: reach.SeverityMedium,
				Reason: "entries of prefix list pl-1 are unknown"},
		},
		Warnings: []string{"lb-1: targets unknown"},
	}
}

func TestExposureTextGroupsByResourceAndExplainsPossibly(t *testing.T) {
	var b bytes.Buffer
	if err := ExposureText(&b, exposureSample(), []string{"file.json:3: dangling-reference: x"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"2 finding(s) on 1 resource(s): 1 high, 1 medium, 0 low",
		"i-1 (Instance)  internet igw-1",
		"possibly-reachable [1]",
		"[1] i-1 icmp all types from internet igw-1: entries of prefix list pl-1 are unknown",
		"Warnings (2)",
		"internet except 200.0.0.0/5",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Count(out, "i-1 (Instance)") != 1 {
		t.Errorf("resource named on every row:\n%s", out)
	}
}

func TestExposureTextSaysNothingIsReachable(t *testing.T) {
	var b bytes.Buffer
	if err := ExposureText(&b, &reach.ExposureResult{}, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "Nothing is reachable from outside.\n" {
		t.Errorf("%q", b.String())
	}
}

func TestExposureJSONIsCLIShape(t *testing.T) {
	var b bytes.Buffer
	if err := ExposureJSON(&b, exposureSample(), nil); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"resource", "from", "protocol", "ports", "verdict", "via", "reason", "severity"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q: %v", k, f)
		}
	}
	if doc["warnings"].([]any)[0] != "lb-1: targets unknown" {
		t.Errorf("warnings %v", doc["warnings"])
	}
}

func TestExposureSARIFRulesAndLevels(t *testing.T) {
	log := NewExposureSARIF(exposureSample())
	run := log.Runs[0]
	if got := []string{run.Results[0].RuleID, run.Results[0].Level, run.Results[1].RuleID, run.Results[1].Level}; strings.Join(got, " ") != "internet-admin-port error internet-exposure warning" {
		t.Errorf("results %v", got)
	}
	if len(run.Tool.Driver.Rules) != 6 {
		t.Errorf("%d rules", len(run.Tool.Driver.Rules))
	}
}
