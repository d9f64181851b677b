package policy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/policy"
	"github.com/vpcreach/vpcreach/internal/policyfile"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// network: web (public, ssh and https open to the world) and db (private,
// 5432 from web only), tagged by tier.
func network() *model.Network {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.IGW("igw-1", "vpc-1")
	b.Subnet("subnet-pub", "vpc-1", "10.0.0.0/24", "us-east-1a")
	b.Subnet("subnet-priv", "vpc-1", "10.0.1.0/24", "us-east-1a")
	pub := b.RouteTable("rtb-pub", "vpc-1", "subnet-pub")
	b.Route(pub, "0.0.0.0/0", "igw-1")
	b.RouteTable("rtb-priv", "vpc-1", "subnet-priv")
	b.SG("sg-web", "vpc-1", "in tcp 22 0.0.0.0/0", "in tcp 443 0.0.0.0/0", "out -1 all 0.0.0.0/0")
	b.SG("sg-db", "vpc-1", "in tcp 5432 sg-web", "out -1 all 0.0.0.0/0")
	b.SG("sg-maybe", "vpc-1", "in tcp 5432 ?", "out -1 all 0.0.0.0/0")
	web := b.ENI("eni-web", "subnet-pub", "10.0.0.10", "sg-web")
	b.PublicIP(web, "54.0.0.10")
	w := b.Instance("i-web", web)
	w.Tags = map[string]string{"Tier": "web"}
	db := b.ENI("eni-db", "subnet-priv", "10.0.1.10", "sg-db")
	d := b.Instance("i-db", db)
	d.Tags = map[string]string{"Tier": "db"}
	m := b.ENI("eni-maybe", "subnet-priv", "10.0.1.11", "sg-maybe")
	mi := b.Instance("i-maybe", m)
	mi.Tags = map[string]string{"Tier": "db2"}
	return b.Build()
}

func check(t *testing.T, yaml string) *policy.Result {
	t.Helper()
	pol, err := policyfile.Parse("p.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	res, err := policy.Check(context.Background(), reach.New(network()), pol)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDenyAndRequireVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		status     policy.Status
		verdict    reach.Verdict // of the first violation
		reason     string
	}{
		{"deny holds when unreachable", "deny: {from: internet, to: {tag: {Tier: db}}}", policy.Pass, "", ""},
		{"deny fails when reachable", "deny: {from: internet, to: {tag: {Tier: web}}, protocol: tcp, ports: 22}", policy.Fail, reach.Reachable, "denied flow is reachable"},
		{"deny over a range fails when one port of it is open", "deny: {from: internet, to: i-web, protocol: tcp, ports: \"400-500\"}", policy.Fail, reach.Reachable, ""},
		{"deny over a range holds when none is", "deny: {from: internet, to: i-web, protocol: tcp, ports: \"23-442\"}", policy.Pass, "", ""},
		{"deny fails when possibly reachable", "deny: {from: i-web, to: {tag: {Tier: db2}}, protocol: tcp, ports: 5432}", policy.Fail, reach.PossiblyReachable, "may be reachable"},
		{"require holds when reachable", "require: {from: {tag: {Tier: web}}, to: {tag: {Tier: db}}, protocol: tcp, ports: 5432}", policy.Pass, "", ""},
		{"require fails when unreachable, with the blocking rule", "require: {from: i-web, to: i-db, protocol: tcp, ports: 22}", policy.Fail, reach.Unreachable, "required flow is unreachable"},
		{"require fails when only possibly reachable", "require: {from: i-web, to: i-maybe, protocol: tcp, ports: 5432}", policy.Fail, reach.PossiblyReachable, "possibly is never a pass"},
		{"a list matches any of its selectors", "deny: {from: internet, to: [i-db, {tag: {Tier: web}}], protocol: tcp, ports: 443}", policy.Fail, reach.Reachable, ""},
		{"every condition of a map must hold", "deny: {from: internet, to: {tag: {Tier: web}, subnet: subnet-pub, cidr: 10.0.0.0/24, type: AWS::EC2::Instance}, protocol: tcp, ports: 443}", policy.Fail, reach.Reachable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := check(t, "rules:\n  - id: r\n    "+tc.rule+"\n")
			rr := res.Rules[0]
			if rr.Status != tc.status {
				t.Fatalf("status %s, want %s: %+v", rr.Status, tc.status, rr.Violations)
			}
			if tc.status == policy.Pass {
				if len(rr.Violations) != 0 || rr.Pairs == 0 {
					t.Errorf("pass with %d violations over %d pairs", len(rr.Violations), rr.Pairs)
				}
				return
			}
			v := rr.Violations[0]
			if v.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s", v.Verdict, tc.verdict)
			}
			if !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("reason %q, want %q in it", v.Reason, tc.reason)
			}
			if len(v.Hops) == 0 && v.Verdict != reach.PossiblyReachable {
				t.Errorf("violation without hops: %+v", v)
			}
			if strings.Contains(tc.rule, "400-500") && strings.Join(v.Services, " ") != "tcp/443" {
				t.Errorf("a range violated by one port: services %v, want tcp/443", v.Services)
			}
			if v.Verdict == reach.Unreachable && v.BlockedBy == nil {
				t.Errorf("unreachable without the blocking component: %+v", v)
			}
		})
	}
}

func TestAListThatMatchesTwoPlacesChecksBothPairs(t *testing.T) {
	res := check(t, "rules:\n  - id: r\n    deny: {from: internet, to: [i-db, {tag: {Tier: web}}]}\n")
	if got := res.Rules[0].Pairs; got != 2 {
		t.Errorf("%d pairs, want 2", got)
	}
}

func TestSelectorMatchingNothingIsAnErrorAtItsLine(t *testing.T) {
	for _, yaml := range []string{
		"rules:\n  - id: r\n    deny:\n      from: internet\n      to: {tag: {Tier: dbx}}\n",
		"rules:\n  - id: r\n    deny:\n      from: internet\n      to: i-nothere\n",
		"rules:\n  - id: r\n    deny:\n      from: internet\n      to: [i-db, {vpc: vpc-2}]\n",
	} {
		pol, err := policyfile.Parse("p.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		_, err = policy.Check(context.Background(), reach.New(network()), pol)
		if err == nil || !strings.HasPrefix(err.Error(), "p.yaml:5: selector-matches-nothing: rule r to: ") {
			t.Errorf("%q: got %v", yaml, err)
		}
	}
}

func TestANameOfSeveralResourcesIsRefusedWithTheCandidates(t *testing.T) {
	n := network()
	for _, id := range []string{"i-web", "i-db"} {
		in, _ := n.Instances.Get(id)
		in.Name = "twin"
	}
	pol, err := policyfile.Parse("p.yaml", []byte("rules:\n  - id: r\n    deny: {from: internet, to: twin}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = policy.Check(context.Background(), reach.New(n), pol)
	if err == nil || !strings.Contains(err.Error(), "p.yaml:3: ambiguous-ref: ") || !strings.Contains(err.Error(), "i-db, i-web") {
		t.Errorf("got %v", err)
	}
}
