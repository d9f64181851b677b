package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// TestReadNetworkFirewallOutputs reads the AWS CLI's network-firewall
// outputs of examples/network-firewall into the model, field for field.
func TestReadNetworkFirewallOutputs(t *testing.T) {
	n := &model.Network{}
	if err := Read(filepath.Join("..", "..", "..", "examples", "network-firewall"), n); err != nil {
		t.Fatal(err)
	}
	n.Finalize()
	fwARN := "arn:aws:network-firewall:us-east-1:123456789012:firewall/inspection"
	fw, ok := n.NetworkFirewalls.Get(fwARN)
	if !ok {
		t.Fatalf("firewall not read; have %d", n.NetworkFirewalls.Len())
	}
	if fw.Name != "inspection" || fw.VPCID != "vpc-0f1000000000000f1" || !fw.EndpointsKnown || len(fw.Endpoints) != 1 ||
		fw.Endpoints[0] != (model.FirewallEndpoint{AvailabilityZone: "us-east-1a", SubnetID: "subnet-0f100000000000fw", EndpointID: "vpce-0f1000000000000f1", Status: "READY"}) {
		t.Errorf("firewall %+v", fw)
	}
	if got, _, ok := n.FirewallByEndpoint("vpce-0f1000000000000f1"); !ok || got != fw {
		t.Error("the endpoint does not lead to its firewall")
	}
	pol, ok := n.NetworkFirewallPolicies.Get(fw.FirewallPolicyARN)
	if !ok || !pol.StatefulEngineOptions.IsStrict() || len(pol.StatefulDefaultActions) != 1 || len(pol.StatelessRuleGroupReferences) != 1 {
		t.Errorf("policy %+v", pol)
	}
	sl, ok := n.NetworkFirewallRuleGroups.Get(pol.StatelessRuleGroupReferences[0].ResourceARN)
	if !ok || !sl.IsStateless() || !sl.RulesKnown || sl.RulesSource.StatelessRulesAndCustomActions.StatelessRules[0].MatchAttributes.DestinationPorts[0] != (model.PortRange{From: 23, To: 23}) {
		t.Errorf("stateless group %+v", sl)
	}
	for _, k := range []string{model.TypeNetworkFirewall, model.TypeNetworkFirewallPolicy, model.TypeNetworkFirewallRuleGroup} {
		if why := n.NotCovered(k, fw); why != "" {
			t.Errorf("%s: %s", k, why)
		}
	}
	for _, w := range n.Warnings {
		t.Errorf("warning %s", w)
	}
}

// A firewall a list names but no describe output details is kept, its
// behaviour unknown; values AWS would never hold are errors at their line.
func TestReadNetworkFirewallListedOnlyAndBadValues(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ListFirewalls.json"), []byte(`{"Firewalls": [{"FirewallName": "x", "FirewallArn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/x"}]}`), 0o644)
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatal(err)
	}
	fw, ok := n.NetworkFirewalls.Get("arn:aws:network-firewall:eu-west-1:111122223333:firewall/x")
	if !ok || !fw.HasUnknown("FirewallStatus") || fw.Account != "111122223333" || fw.Region != "eu-west-1" {
		t.Fatalf("listed firewall %+v", fw)
	}
	bad := "{\"RuleGroupResponse\": {\"RuleGroupArn\": \"arn:aws:network-firewall:eu-west-1:1:stateless-rulegroup/g\", \"Type\": \"STATELESS\", \"Capacity\": 10},\n" +
		" \"RuleGroup\": {\"RulesSource\": {\"StatelessRulesAndCustomActions\": {\"StatelessRules\": [\n" +
		"  {\"Priority\": 1, \"RuleDefinition\": {\"Actions\": [\"aws:drop\"], \"MatchAttributes\": {\"Sources\": [{\"AddressDefinition\": \"10.0.0.0/33\"}]}}}]}}}}\n"
	os.WriteFile(filepath.Join(dir, "DescribeRuleGroup.json"), []byte(bad), 0o644)
	err := Read(dir, &model.Network{})
	var de *diag.Error
	if !errors.As(err, &de) || de.Code != "bad-value" || de.Line != 3 || !strings.Contains(de.Message, `"10.0.0.0/33" is not a CIDR block`) {
		t.Fatalf("err = %v", err)
	}
}

// TestFirewallWithoutSyncStatesHasUnknownEndpoints: a describe-firewall
// output whose status lists no endpoint for a firewall subnet (a firewall
// still provisioning, or an emulator's output) does not claim the firewall
// has no endpoints: its endpoints are unknown.
func TestFirewallWithoutSyncStatesHasUnknownEndpoints(t *testing.T) {
	dir := t.TempDir()
	arn := "arn:aws:network-firewall:eu-west-1:111122223333:firewall/x"
	os.WriteFile(filepath.Join(dir, "DescribeFirewall.json"), []byte(`[{"Firewall": {"FirewallName": "x", "FirewallArn": "`+arn+`",
  "VpcId": "vpc-1", "FirewallPolicyArn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/p",
  "SubnetMappings": [{"SubnetId": "subnet-1"}]}, "FirewallStatus": {"Status": "PROVISIONING"}}]`), 0o644)
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatal(err)
	}
	fw, ok := n.NetworkFirewalls.Get(arn)
	if !ok {
		t.Fatal("firewall not read")
	}
	if fw.EndpointsKnown || !fw.HasUnknown("FirewallStatus.SyncStates") {
		t.Errorf("endpoints read as known: %+v", fw)
	}
}
