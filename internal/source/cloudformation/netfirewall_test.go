package cloudformation

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

const nfwTemplate = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  FwSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/28, AvailabilityZone: us-east-1a}
  Fw2Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.16/28, AvailabilityZone: us-east-1a}
  Group:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: g
      Type: STATEFUL
      Capacity: 10
      RuleGroup:
        RulesSource:
          RulesString: |
            pass tcp any any -> $HOME_NET 443 (sid:1;)
  Policy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: p
      FirewallPolicy:
        StatelessDefaultActions: [aws:forward_to_sfe]
        StatelessFragmentDefaultActions: [aws:forward_to_sfe]
        StatefulRuleGroupReferences:
          - ResourceArn: !Ref Group
            Priority: 100
        StatefulEngineOptions: {RuleOrder: STRICT_ORDER}
        StatefulDefaultActions: [aws:drop_established]
  Fw:
    Type: AWS::NetworkFirewall::Firewall
    Properties:
      FirewallName: fw
      FirewallPolicyArn: !Ref Policy
      VpcId: !Ref Vpc
      SubnetMappings: [{SubnetId: !Ref FwSubnet}]
  Second:
    Type: AWS::NetworkFirewall::VpcEndpointAssociation
    Properties:
      FirewallArn: !Ref Fw
      VpcId: !Ref Vpc
      SubnetMapping: {SubnetId: !Ref Fw2Subnet}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ToFw:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: 0.0.0.0/0
      VpcEndpointId: !Select [1, !Split [":", !Select [0, !GetAtt Fw.EndpointIds]]]
  ToSecond:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: 10.9.0.0/16
      VpcEndpointId: !GetAtt Second.EndpointId
`

// A route to !Select [n, !GetAtt Fw.EndpointIds] resolves to the firewall
// and the index, nothing more; an association's EndpointId to the
// association.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-networkfirewall-firewall.html
func TestReadNetworkFirewallTemplate(t *testing.T) {
	n := &model.Network{}
	if err := Read(write(t, "t.yaml", nfwTemplate), Options{}, n); err != nil {
		t.Fatal(err)
	}
	fw, ok := n.NetworkFirewalls.Get("Fw")
	if !ok || fw.FirewallPolicyARN != "Policy" || len(fw.Endpoints) != 2 || fw.Endpoints[0].SubnetID != "FwSubnet" ||
		fw.Endpoints[0].AvailabilityZone != "us-east-1a" || fw.Endpoints[1].AssociationID != "Second" || fw.EndpointsKnown {
		t.Fatalf("firewall %+v", fw)
	}
	pol, _ := n.NetworkFirewallPolicies.Get("Policy")
	if pol == nil || pol.StatefulRuleGroupReferences[0].ResourceARN != "Group" || pol.StatefulRuleGroupReferences[0].Priority != 100 || !pol.StatefulEngineOptions.IsStrict() {
		t.Fatalf("policy %+v", pol)
	}
	g, _ := n.NetworkFirewallRuleGroups.Get("Group")
	if g == nil || !g.RulesKnown || !strings.Contains(g.RulesSource.RulesString, "sid:1") || g.RulesSource.Origin.Line != 19 {
		t.Fatalf("rule group %+v", g)
	}
	rt, _ := n.RouteTables.Get("Rt")
	var got []string
	for _, r := range rt.Routes {
		if r.Firewall != nil {
			got = append(got, r.Destination.String()+" "+r.Firewall.FirewallID+" "+fmt.Sprint(r.Firewall.Index)+" "+r.Firewall.AssociationID)
		}
	}
	if strings.Join(got, "; ") != "0.0.0.0/0 Fw 0 ; 10.9.0.0/16 Fw -1 Second" {
		t.Errorf("routes %q", got)
	}
}

// StatefulDefaultActions without strict order is refused by AWS: an error
// at the property, not a repair.
func TestReadNetworkFirewallBadPolicy(t *testing.T) {
	bad := strings.Replace(nfwTemplate, "        StatefulEngineOptions: {RuleOrder: STRICT_ORDER}\n", "", 1)
	err := Read(write(t, "t.yaml", bad), Options{}, &model.Network{})
	var de *diag.Error
	if !errors.As(err, &de) || de.Code != "bad-value" || de.Resource != "Policy" || !strings.Contains(de.Message, "only with STRICT_ORDER") {
		t.Fatalf("err = %v", err)
	}
}
