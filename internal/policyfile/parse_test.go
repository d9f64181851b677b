package policyfile_test

import (
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/policy"
	"github.com/vpcreach/vpcreach/internal/policyfile"
)

func TestBadPolicyIsNamedByFileLineAndCode(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"empty file", "", "p.yaml: bad-policy-yaml: "},
		{"not yaml", "rules:\n  - id: a\n\tdeny: x\n", "p.yaml:2: bad-policy-yaml: found a tab character"},
		{"unknown top key", "rule:\n  - id: a\n", "p.yaml:1: unknown-key: policy: unknown key \"rule\""},
		{"unknown rule key", "rules:\n  - id: a\n    dney: {from: internet, to: x}\n", "p.yaml:3: unknown-key: rule: unknown key \"dney\""},
		{"unknown flow key", "rules:\n  - id: a\n    deny:\n      from: internet\n      to: x\n      protcol: tcp\n", "p.yaml:6: unknown-key: rule a deny: unknown key \"protcol\""},
		{"unknown selector key", "rules:\n  - id: a\n    deny:\n      from: internet\n      to: {tags: {A: b}}\n", "p.yaml:5: unknown-key: rule a deny to: unknown key \"tags\""},
		{"deny and require", "rules:\n  - id: a\n    deny: {from: internet, to: x}\n    require: {from: internet, to: x}\n", "p.yaml:4: deny-and-require: rule a: has both deny and require"},
		{"neither", "rules:\n  - id: a\n    description: x\n", "p.yaml:2: no-deny-or-require: rule a"},
		{"duplicate id", "rules:\n  - id: a\n    deny: {from: internet, to: x}\n  - id: a\n    deny: {from: internet, to: y}\n", "p.yaml:4: duplicate-id: rule id \"a\" is already the id of the rule at line 2"},
		{"missing id", "rules:\n  - deny: {from: internet, to: x}\n", "p.yaml:2: missing-id: "},
		{"ports out of range", "rules:\n  - id: a\n    deny: {from: internet, to: x, protocol: tcp, ports: 70000}\n", "p.yaml:3: bad-ports: rule a deny: ports \"70000\""},
		{"ports reversed", "rules:\n  - id: a\n    deny: {from: internet, to: x, protocol: tcp, ports: \"90-80\"}\n", "p.yaml:3: bad-ports: "},
		{"ports not a number", "rules:\n  - id: a\n    deny: {from: internet, to: x, ports: ssh}\n", "p.yaml:3: bad-ports: "},
		{"ports with icmp", "rules:\n  - id: a\n    deny: {from: internet, to: x, protocol: icmp, ports: 8}\n", "p.yaml:3: bad-ports: rule a deny: ports: icmp has no ports"},
		{"bad protocol", "rules:\n  - id: a\n    deny: {from: internet, to: x, protocol: sctp}\n", "p.yaml:3: bad-protocol: "},
		{"no to", "rules:\n  - id: a\n    deny: {from: internet}\n", "p.yaml:3: bad-policy: rule a deny: needs from and to"},
		{"bad cidr", "rules:\n  - id: a\n    deny: {from: internet, to: {cidr: 10.0.0.0/33}}\n", "p.yaml:3: bad-selector: "},
		{"empty list", "rules:\n  - id: a\n    deny: {from: internet, to: []}\n", "p.yaml:3: bad-selector: "},
		{"no rules", "rules: []\n", "p.yaml:1: bad-policy: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policyfile.Parse("p.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got  %q\nwant %q...", err, tc.want)
			}
		})
	}
}

func TestAliasesStandForWhatTheyName(t *testing.T) {
	pol, err := policyfile.Parse("p.yaml", []byte(`rules:
  - id: a
    deny: {from: &web {tag: {Tier: web}}, to: &db [i-1, i-2], protocol: tcp, ports: 22}
  - id: b
    require: {from: *web, to: *db}
`))
	if err != nil {
		t.Fatal(err)
	}
	if r := pol.Rules[1]; r.From.Terms[0].Tags["Tier"] != "web" || len(r.To.Terms) != 2 || r.To.Terms[1].Ref != "i-2" {
		t.Errorf("%+v", r)
	}
}

func TestPolicyParsesTheDocumentedShape(t *testing.T) {
	pol, err := policyfile.Parse("p.yaml", []byte(`rules:
  - id: no-internet-to-db
    description: databases are never reachable from the internet
    deny:
      from: internet
      to: {tag: {Tier: db}}
      protocol: tcp
      ports: 5432
  - id: web-reaches-db
    require:
      from: [{tag: {Tier: web}}, i-1]
      to: {tag: {Tier: db}, vpc: vpc-1, cidr: 10.0.0.0/8}
      protocol: udp
      ports: "1000-2000"
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(pol.Rules) != 2 {
		t.Fatalf("%d rules", len(pol.Rules))
	}
	r0, r1 := pol.Rules[0], pol.Rules[1]
	if r0.Kind != policy.Deny || r0.Protocol != model.ProtoTCP || *r0.Ports != (model.PortRange{From: 5432, To: 5432}) || r0.Line != 2 {
		t.Errorf("rule 0: %+v", r0)
	}
	if r1.Kind != policy.Require || r1.Protocol != model.ProtoUDP || *r1.Ports != (model.PortRange{From: 1000, To: 2000}) {
		t.Errorf("rule 1: %+v", r1)
	}
	if len(r1.From.Terms) != 2 || r1.From.Terms[1].Ref != "i-1" || r1.To.Terms[0].Tags["Tier"] != "db" || r1.To.Terms[0].VPC != "vpc-1" {
		t.Errorf("rule 1 selectors: %+v %+v", r1.From, r1.To)
	}
}

// FuzzParse: any bytes give a policy or a file:line error, never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("rules:\n  - id: a\n    deny: {from: internet, to: {tag: {Tier: db}}, protocol: tcp, ports: 5432}\n"))
	f.Add([]byte("rules:\n  - id: a\n    require:\n      from: [i-1, {cidr: 10.0.0.0/8}]\n      to: x\n      ports: \"1-2\"\n"))
	f.Add([]byte("rules: [{id: a, deny: {from: &x internet, to: *x}}]"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pol, err := policyfile.Parse("p.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "p.yaml") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for _, r := range pol.Rules {
			if r.ID == "" || (r.Kind != policy.Deny && r.Kind != policy.Require) || len(r.From.Terms) == 0 || len(r.To.Terms) == 0 {
				t.Fatalf("incomplete rule accepted: %+v", r)
			}
		}
	})
}
