package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
)

// -update rewrites the golden files. Other test files of the package may
// define the same flag; it is registered once.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with testdata/lint/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "lint", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// lintNetwork is a template-like network that trips several rules: seed
// 002's two groups, an SSH rule open to the world, a blackhole route.
func lintNetwork() *model.Network {
	pfx := netip.MustParsePrefix
	tm := func(id string, line int) model.Meta {
		return model.Meta{ID: id, LogicalID: id, Origin: model.Origin{File: "stack.yaml", Path: id, Line: line}}
	}
	n := &model.Network{}
	n.VPCs.Put(&model.VPC{Meta: tm("VPC", 4), CIDRs: []netip.Prefix{pfx("10.0.0.0/16")},
		EnableDNSSupport: model.True, EnableDNSHostnames: model.False, DHCPOptionsID: "default"})
	n.RouteTables.Put(&model.RouteTable{Meta: tm("PrivateRouteTable", 30), VPCID: "VPC", Routes: []model.Route{
		{Destination: pfx("10.0.0.0/16"), TargetKind: model.TargetLocal, TargetID: "local", State: model.RouteActive},
		{Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetNATGateway, TargetID: "nat-0dead", State: model.RouteBlackhole,
			Origin: model.Origin{File: "stack.yaml", Path: "PrivateRoute", Line: 36}},
	}})
	def := model.SGRule{Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP,
		Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}, Default: true, Origin: model.Origin{File: "stack.yaml", Path: "SampleSecurityGroup", Line: 12}}
	https := model.SGRule{Protocol: model.ProtoTCP, Ports: model.PortRange{From: 443, To: 443},
		Peer: model.Peer{Kind: model.PeerSecurityGroup, ID: "Lambda"}, Origin: model.Origin{File: "stack.yaml", Path: "SampleSecurityGroup", Line: 17}}
	n.SecurityGroups.Put(&model.SecurityGroup{Meta: tm("SampleSecurityGroup", 12), GroupName: "sample-sg", VPCID: "VPC",
		Ingress: []model.SGRule{https}, Egress: []model.SGRule{def}})
	lo := model.SGRule{Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP,
		Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("127.0.0.1/32")}, Origin: model.Origin{File: "stack.yaml", Path: "NoEgressSecurityGroup", Line: 27}}
	n.SecurityGroups.Put(&model.SecurityGroup{Meta: tm("NoEgressSecurityGroup", 20), VPCID: "VPC",
		Ingress: []model.SGRule{https}, Egress: []model.SGRule{lo}})
	ssh := model.SGRule{Protocol: model.ProtoTCP, Ports: model.PortRange{From: 22, To: 22},
		Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}, Origin: model.Origin{File: "snapshot/sg.json", Path: "SecurityGroups[0].IpPermissions[0]", Line: 9}}
	n.SecurityGroups.Put(&model.SecurityGroup{Meta: model.Meta{ID: "sg-0bastion", Origin: model.Origin{File: "snapshot/sg.json", Line: 3}}, VPCID: "VPC",
		Ingress: []model.SGRule{ssh}, Egress: []model.SGRule{{Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts,
			Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}}}})
	n.SecurityGroups.Put(&model.SecurityGroup{Meta: tm("Lambda", 60), VPCID: "VPC", Egress: []model.SGRule{{Egress: true,
		Protocol: model.ProtoTCP, Ports: model.PortRange{From: 443, To: 443}, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")},
		Origin: model.Origin{File: "stack.yaml", Path: "Lambda", Line: 64}}}})
	n.VPCEndpoints.Put(&model.VPCEndpoint{Meta: tm("SSMEndpoint", 50), EndpointType: "Interface", VPCID: "VPC",
		ServiceName: "com.amazonaws.ap-northeast-1.ssm", PrivateDNSName: "ssm.ap-northeast-1.amazonaws.com", PrivateDNSEnabled: model.True})
	n.Warn(model.Warning{Code: "unknown-value", Origin: model.Origin{File: "stack.yaml", Line: 8}, Resource: "VPC", Message: "parameter Env has no value"})
	n.Finalize()
	return n
}

func render(t *testing.T, f Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Lint(&b, f, lint.Run(lintNetwork())); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLintTextGolden(t *testing.T)  { golden(t, "findings.txt", render(t, Text)) }
func TestLintJSONGolden(t *testing.T)  { golden(t, "findings.json", render(t, JSON)) }
func TestLintSARIFGolden(t *testing.T) { golden(t, "findings.sarif", render(t, SARIF)) }

func TestLintTextWithoutFindings(t *testing.T) {
	var b bytes.Buffer
	if err := LintText(&b, &lint.Result{}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "No findings.\n" {
		t.Errorf("got %q", got)
	}
}

func TestLintJSONHasTheContractFields(t *testing.T) {
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Warnings []string         `json:"warnings"`
	}
	if err := json.Unmarshal(render(t, JSON), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) == 0 || len(doc.Warnings) != 1 {
		t.Fatalf("findings %d, warnings %d", len(doc.Findings), len(doc.Warnings))
	}
	for _, f := range doc.Findings {
		for _, k := range []string{"rule", "severity", "resource", "location", "message"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding without %q: %v", k, f)
			}
		}
		res := f["resource"].(map[string]any)
		if res["id"] == "" || res["type"] == "" {
			t.Errorf("resource without id or type: %v", f)
		}
	}
}

// TestLintSARIFIsStructurallyValid checks what SARIF 2.1.0 requires (and
// GitHub code scanning reads): version and schema, a driver with a name
// and uniquely identified rules, and results whose ruleId names a driver
// rule, with a level, a message text and, when located, an artifact URI
// and a positive start line.
func TestLintSARIFIsStructurallyValid(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(render(t, SARIF), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != "2.1.0" || !strings.Contains(doc["$schema"].(string), "sarif") {
		t.Fatalf("version %v, schema %v", doc["version"], doc["$schema"])
	}
	runs := doc["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "vpcreach" {
		t.Errorf("driver name %v", driver["name"])
	}
	ruleIDs := map[string]bool{}
	for _, r := range driver["rules"].([]any) {
		rule := r.(map[string]any)
		id, _ := rule["id"].(string)
		if id == "" || ruleIDs[id] {
			t.Errorf("rule id %q missing or repeated", id)
		}
		ruleIDs[id] = true
		if sd, _ := rule["shortDescription"].(map[string]any); sd == nil || sd["text"] == "" {
			t.Errorf("rule %s without shortDescription.text", id)
		}
		lvl := rule["defaultConfiguration"].(map[string]any)["level"]
		if lvl != "error" && lvl != "warning" && lvl != "note" {
			t.Errorf("rule %s level %v", id, lvl)
		}
	}
	if len(ruleIDs) != len(lint.Rules()) {
		t.Errorf("%d driver rules, %d lint rules", len(ruleIDs), len(lint.Rules()))
	}
	results := run["results"].([]any)
	if len(results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range results {
		res := r.(map[string]any)
		if !ruleIDs[res["ruleId"].(string)] {
			t.Errorf("result for unknown rule %v", res["ruleId"])
		}
		if msg, _ := res["message"].(map[string]any); msg == nil || msg["text"] == "" {
			t.Errorf("result without message text: %v", res)
		}
		switch res["level"] {
		case "error", "warning", "note":
		default:
			t.Errorf("result level %v", res["level"])
		}
		locs, _ := res["locations"].([]any)
		for _, l := range locs {
			pl := l.(map[string]any)["physicalLocation"].(map[string]any)
			if uri, _ := pl["artifactLocation"].(map[string]any)["uri"].(string); uri == "" || strings.Contains(uri, "\\") {
				t.Errorf("bad artifact URI in %v", res)
			}
			if reg, ok := pl["region"].(map[string]any); ok && reg["startLine"].(float64) < 1 {
				t.Errorf("bad start line in %v", res)
			}
		}
	}
}
