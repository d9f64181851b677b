package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
)

// twoTierWithout copies examples/two-tier without the named files of its
// one account and region, after applying edit (file name -> new content
// transformer) to the others.
func twoTierWithout(t *testing.T, drop []string, edit map[string]func(string) string) string {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "two-tier", "aws_configs", "123456789012", "us-east-1")
	root := t.TempDir()
	dst := filepath.Join(root, "aws_configs", "123456789012", "us-east-1")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
next:
	for _, e := range entries {
		for _, d := range drop {
			if e.Name() == d {
				continue next
			}
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if f := edit[e.Name()]; f != nil {
			s = f(s)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// What the sources do not list is unknown, not absent: answers that
// depend on it are possibly-reachable and say what was not collected.
func TestWhatWasNotCollectedIsUnknownNotAbsent(t *testing.T) {
	endpointRoute := func(s string) string {
		// Every table sends 8.8.8.0/24 to an endpoint no listing
		// holds (as firewall and Gateway Load Balancer endpoints appear).
		return strings.Replace(s, `"Routes": [`, `"Routes": [{"DestinationCidrBlock": "8.8.8.0/24", "GatewayId": "vpce-0f1e2d3c4b5a69788", "Origin": "CreateRoute", "State": "active"},`, -1)
	}
	cases := []struct {
		name     string
		drop     []string
		edit     map[string]func(string) string
		args     []string
		want     []string // in stdout
		wantCode int
	}{
		{name: "no gateways and no routes collected: the internet may reach the bastion",
			drop: []string{"InternetGateways.json", "RouteTables.json"},
			args: []string{"path", "--from", "internet", "--to", "bastion", "--port", "22"},
			want: []string{"verdict: possibly-reachable", "internet gateways were not collected for 123456789012/us-east-1", "route tables were not collected"}},
		{name: "no gateways and no routes collected: exposure keeps the bastion and says what is missing",
			drop: []string{"InternetGateways.json", "RouteTables.json"},
			args: []string{"exposure"},
			want: []string{"internet (not collected)", "possibly-reachable", "123456789012/us-east-1: route tables, internet gateways, transit gateway attachments, VPN gateways not collected"}},
		{name: "no peering listed: the partner still possibly reaches the bastion through the peering its routes name",
			drop: []string{"VpcPeeringConnections.json"},
			args: []string{"path", "--from", "i-0b2000000000000b1", "--to", "i-0a1000000000000a1", "--port", "22"},
			want: []string{"verdict: possibly-reachable", "pcx-0ab0000000000000a is not in the sources"}},
		{name: "no peering listed: exposure from the peering a route names",
			drop: []string{"VpcPeeringConnections.json"},
			args: []string{"exposure"},
			want: []string{"vpc-peering pcx-0ab0000000000000a", "routes to peering pcx-0ab0000000000000a, which is not in the sources"}},
		{name: "no VPCs listed: the subnet's routes still deliver, possibly",
			drop: []string{"Vpcs.json"},
			args: []string{"path", "--from", "internet", "--to", "bastion", "--port", "22"},
			want: []string{"verdict: possibly-reachable", "VPC vpc-0a10000000000000a is not in the sources"}},
		{name: "a route to an endpoint no listing holds leads to something unknown",
			edit: map[string]func(string) string{"RouteTables.json": endpointRoute},
			args: []string{"path", "--from", "bastion", "--to", "8.8.8.8", "--port", "443"},
			want: []string{"verdict: possibly-reachable", "vpce-0f1e2d3c4b5a69788, an endpoint that is not in the sources"}},
		{name: "only VPCs listed: no finding is no evidence",
			drop: []string{"Addresses.json", "DhcpOptions.json", "InternetGateways.json", "NatGateways.json", "NetworkAcls.json", "NetworkInterfaces.json",
				"Reservations.json", "RouteTables.json", "SecurityGroups.json", "Subnets.json", "VpcAttributes-two-tier.json", "VpcPeeringConnections.json", "LoadBalancers.json"},
			args: []string{"exposure"},
			want: []string{"No finding among what was read", "this is no evidence that nothing is reachable", "network interfaces, load balancers, route tables"}},
		{name: "inventory shows what was not collected",
			drop: []string{"InternetGateways.json"},
			args: []string{"inventory"},
			want: []string{"Coverage", "123456789012/us-east-1:", "not collected: ", "internet gateways"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := twoTierWithout(t, c.drop, c.edit)
			args := append([]string{c.args[0], dir}, c.args[1:]...)
			code, out, errOut := runCLI(t, args...)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.wantCode, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// Resources whose subnets a template imports or leaves to a parameter
// without value are in exposure, possibly, with the rules that let
// traffic in: never dropped.
func TestResourcesInUnknownSubnetsAreNotDropped(t *testing.T) {
	code, out, errOut := runCLI(t, "exposure", filepath.Join("testdata", "coverage", "asg-imported-subnets.yaml"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, w := range []string{
		"Bastions (AutoScalingGroup)", "allowed by SshGroup tcp/22 from 0.0.0.0/0; the subnet of Bastions is unknown",
		"InternalLB (LoadBalancer)", "tcp       5432", "the subnets of the load balancer are not in the sources",
		"Worker/eni0", "Tasks/eni0", // a Lambda function and an ECS service in unknown subnets
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// The group's unknown VPC hides no rule: only tcp/22 is open.
	if strings.Contains(out, "0-21") || strings.Contains(out, "SshGroup has unknown values") {
		t.Errorf("an unknown VpcId widened the group's rules:\n%s", out)
	}
}

// The corpus's CloudMapper account holds no route tables, internet
// gateways, network ACLs or listeners: they were never collected.
func TestCloudMapperAccountWithoutGatewaysIsPossiblyExposed(t *testing.T) {
	dir := filepath.Join(corpustest.Dir(t, "describe"), "cloudmapper", "account-data")
	_, out, _ := runCLI(t, "exposure", dir)
	for _, w := range []string{"i-00000000000000000", "internet (not collected)", "tcp       22", "possibly-reachable"} {
		if !strings.Contains(out, w) {
			t.Errorf("exposure lacks %q:\n%s", w, out)
		}
	}
	_, out, _ = runCLI(t, "path", dir, "--from", "internet", "--to", "i-00000000000000000", "--port", "22")
	if !strings.Contains(out, "verdict: possibly-reachable") || !strings.Contains(out, "internet gateways were not collected") {
		t.Errorf("path:\n%s", out)
	}
}

// A parameter without value that has AllowedValues is one of them: the
// answer is computed over every allowed value. Sources every allowed CIDR
// holds are reachable, those only some hold possibly, and a flag every
// allowed value sets alike is that value.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
func TestParameterAllowedValuesDecideWhatTheyAgreeOn(t *testing.T) {
	code, out, errOut := runCLI(t, "exposure", filepath.Join("testdata", "coverage", "allowed-values.yaml"), "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var doc struct {
		Findings []struct {
			From struct {
				Sources []string `json:"sources"`
			} `json:"from"`
			Verdict string `json:"verdict"`
			Reason  string `json:"reason"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range doc.Findings {
		got[strings.Join(f.From.Sources, ",")] = f.Verdict
		if f.Verdict == "possibly-reachable" && !strings.Contains(f.Reason, "it is one of its AllowedValues 203.0.113.0/24, 203.0.113.0/25") {
			t.Errorf("reason %q", f.Reason)
		}
	}
	want := map[string]string{"203.0.113.0/25": "reachable", "203.0.113.128/25": "possibly-reachable"}
	if len(got) != len(want) || got["203.0.113.0/25"] != want["203.0.113.0/25"] || got["203.0.113.128/25"] != want["203.0.113.128/25"] {
		t.Errorf("findings by sources = %v, want %v", got, want)
	}
}

// Two Terraform plans compare like any two sources: the second widens the
// web tier's ssh rule to the world, and the gate says so.
func TestDiffOfTwoTerraformPlans(t *testing.T) {
	before := filepath.Join("..", "..", "examples", "terraform", "plan.json")
	data, err := os.ReadFile(before)
	if err != nil {
		t.Fatal(err)
	}
	after := filepath.Join(t.TempDir(), "after.json")
	if err := os.WriteFile(after, []byte(strings.ReplaceAll(string(data), "203.0.113.0/24", "0.0.0.0/0")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "diff", before, after, "--fail-on", "high")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "aws_instance.web[0]") || !strings.Contains(out, "sources 203.0.113.0/24 -> 0.0.0.0/0") {
		t.Errorf("diff:\n%s", out)
	}
}
