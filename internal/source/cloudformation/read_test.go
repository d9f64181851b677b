package cloudformation

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

func write(t *testing.T, name, text string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestBadInput: input that is not a deployable template is a *diag.Error
// naming the file, the line and, when there is one, the resource.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, file, text string
		opts             Options
		code, resource   string
		line             int
		msg              string
	}{
		{name: "not YAML", file: "t.yaml", text: "Resources:\n  A: [\n", code: "bad-template", line: 2, msg: "not valid YAML"},
		{name: "JSON syntax", file: "t.json", text: "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::EC2::VPC\" \"x\"}\n  }\n}\n", code: "bad-template", line: 3, msg: "not valid JSON"},
		{name: "empty", file: "t.yaml", text: "", code: "bad-template", msg: "empty"},
		{name: "a list", file: "t.yaml", text: "- a\n- b\n", code: "bad-template", line: 1, msg: "not a CloudFormation template"},
		{name: "no resources", file: "t.yaml", text: "name: x\nvalue: 1\n", code: "bad-template", line: 1, msg: "no Resources section"},
		{name: "no type", file: "t.yaml", text: "Resources:\n  A:\n    Properties: {}\n", code: "bad-template", line: 3, resource: "A", msg: "no Type"},
		{name: "unknown tag", file: "t.yaml", text: "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Bogus x\n", code: "bad-template", line: 5, msg: "unknown tag !Bogus"},
		{name: "rain", file: "t.yaml", text: "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Rain::Embed x.txt\n", code: "bad-template", line: 5, msg: "Rain directive"},
		{name: "allowed values", file: "t.yaml", text: "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [a, b]\nResources: {}\n",
			opts: Options{Params: map[string]string{"Env": "c"}}, code: "bad-parameter", line: 3, resource: "Env", msg: "not one of the AllowedValues (a, b)"},
		{name: "allowed pattern", file: "t.yaml", text: "Parameters:\n  Cidr:\n    Type: String\n    Default: nope\n    AllowedPattern: '\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+'\nResources: {}\n",
			code: "bad-parameter", line: 3, resource: "Cidr", msg: "AllowedPattern"},
		{name: "number", file: "t.yaml", text: "Parameters:\n  N:\n    Type: Number\n    MaxValue: 5\nResources: {}\n",
			opts: Options{Params: map[string]string{"N": "9"}}, code: "bad-parameter", line: 3, resource: "N", msg: "MaxValue"},
		{name: "dangling ref", file: "t.yaml", text: "Resources:\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Nope\n", code: "unresolved-reference", line: 5, resource: "A", msg: "Ref to Nope"},
		{name: "circular condition", file: "t.yaml", text: "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X:\n    Type: AWS::EC2::VPC\n    Condition: A\n", code: "bad-template", resource: "X", msg: "refers to itself"},
		{name: "bad protocol", file: "t.yaml", text: "Resources:\n  S:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress: [{IpProtocol: tcpx, CidrIp: 0.0.0.0/0}]\n", code: "bad-value", line: 6, resource: "S", msg: "protocol"},
		{name: "self nested", file: "t.yaml", text: "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: t.yaml}\n", code: "bad-template", line: 3, resource: "S", msg: "includes itself as a nested stack: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := write(t, tc.file, tc.text)
			err := Read(f, tc.opts, &model.Network{})
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("want a *diag.Error, got %v", err)
			}
			if de.Code != tc.code || de.File != f || de.Resource != tc.resource || (tc.line != 0 && de.Line != tc.line) || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("got %v (code %q, line %d, resource %q)", err, de.Code, de.Line, de.Resource)
			}
		})
	}
}

// TestSeed002 is the two templates of the seed article: no egress keeps
// AWS's allow-all IPv4 rule; a 127.0.0.1/32 rule replaces it, leaving no
// usable egress.
func TestSeed002(t *testing.T) {
	for _, tc := range []struct {
		file        string
		wantDefault bool
		wantCIDR    string
	}{
		{"testdata/seed002-no-egress.yaml", true, "0.0.0.0/0"},
		{"testdata/seed002-loopback-egress.yaml", false, "127.0.0.1/32"},
	} {
		n := &model.Network{}
		if err := Read(tc.file, Options{}, n); err != nil {
			t.Fatal(err)
		}
		sg, ok := n.SecurityGroups.Get("SampleSecurityGroup")
		if !ok {
			t.Fatalf("%s: no SampleSecurityGroup", tc.file)
		}
		if len(sg.Egress) != 1 {
			t.Fatalf("%s: %d egress rules, want 1", tc.file, len(sg.Egress))
		}
		r := sg.Egress[0]
		if r.Default != tc.wantDefault || r.Peer.CIDR.String() != tc.wantCIDR || r.Protocol != model.ProtoAll {
			t.Errorf("%s: egress %+v", tc.file, r)
		}
		if tc.wantDefault && len(sg.Defaults) == 0 {
			t.Errorf("%s: the default rule is not noted in Meta.Defaults", tc.file)
		}
		if len(sg.Ingress) != 1 || sg.Ingress[0].Peer.ID != "Lambda" || sg.Ingress[0].Ports != (model.PortRange{From: 443, To: 443}) {
			t.Errorf("%s: ingress %+v", tc.file, sg.Ingress)
		}
	}
}

// TestDefaultEgressIPv6 follows CloudFormation's documentation when asked.
func TestDefaultEgressIPv6(t *testing.T) {
	n := &model.Network{}
	if err := Read("testdata/seed002-no-egress.yaml", Options{DefaultEgressIPv6: true}, n); err != nil {
		t.Fatal(err)
	}
	sg, _ := n.SecurityGroups.Get("SampleSecurityGroup")
	if len(sg.Egress) != 2 || sg.Egress[1].Peer.CIDR.String() != "::/0" {
		t.Errorf("egress %+v", sg.Egress)
	}
}

// TestJoinsSnapshot: a template whose parameters name AWS IDs links to
// what another source already put in the network.
func TestJoinsSnapshot(t *testing.T) {
	n := &model.Network{}
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-0abc"}, CIDRs: []netip.Prefix{mustPrefix("10.9.0.0/16")}})
	n.Subnets.Put(&model.Subnet{Meta: model.Meta{ID: "subnet-01"}, VPCID: "vpc-0abc", CIDR: mustPrefix("10.9.1.0/24"), MapPublicIPOnLaunch: model.True})
	f := write(t, "t.yaml", `Parameters:
  VpcId: {Type: "AWS::EC2::VPC::Id"}
  SubnetId: {Type: "AWS::EC2::Subnet::Id"}
Resources:
  RT:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref VpcId}
  Web:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref SubnetId}
`)
	if err := Read(f, Options{Params: map[string]string{"VpcId": "vpc-0abc", "SubnetId": "subnet-01"}}, n); err != nil {
		t.Fatal(err)
	}
	rt, _ := n.RouteTables.Get("RT")
	if len(rt.Routes) != 1 || rt.Routes[0].Destination.String() != "10.9.0.0/16" {
		t.Errorf("local route %+v", rt.Routes)
	}
	e, _ := n.NetworkInterfaces.Get("Web/eni0")
	if e.VPCID != "vpc-0abc" || e.UnknownPublicIP() == "" {
		t.Errorf("interface %+v", e)
	}
	n.Finalize()
	if w := n.Warnings; len(w) != 0 {
		t.Errorf("warnings %v", w)
	}
}

// TestTwoTemplates: a second template with the same logical IDs gets its
// resources prefixed with its file name instead of replacing the first's.
func TestTwoTemplates(t *testing.T) {
	n := &model.Network{}
	if err := Read("testdata/seed002-no-egress.yaml", Options{}, n); err != nil {
		t.Fatal(err)
	}
	if err := Read("testdata/seed002-loopback-egress.yaml", Options{}, n); err != nil {
		t.Fatal(err)
	}
	a, okA := n.SecurityGroups.Get("SampleSecurityGroup")
	b, okB := n.SecurityGroups.Get("seed002-loopback-egress/SampleSecurityGroup")
	if !okA || !okB {
		t.Fatalf("groups: %v %v", okA, okB)
	}
	if !a.Egress[0].Default || b.Egress[0].Default || b.VPCID != "seed002-loopback-egress/VPC" {
		t.Errorf("a %+v\nb %+v", a.Egress, b)
	}
}

// TestGatewayLoadBalancerIsNeverInternetFacing: a Gateway Load Balancer
// takes no Scheme, and the CloudFormation default (internet-facing) does
// not apply to it: it has no public address of its own.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html
func TestGatewayLoadBalancerIsNeverInternetFacing(t *testing.T) {
	f := write(t, "gwlb.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Appliances:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Gwlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: gateway
      Subnets: [!Ref Appliances]
`)
	n := &model.Network{}
	if err := Read(f, Options{}, n); err != nil {
		t.Fatal(err)
	}
	lb, ok := n.LoadBalancers.Get("Gwlb")
	if !ok {
		t.Fatal("the load balancer was not read")
	}
	if lb.IsInternetFacing() {
		t.Errorf("a Gateway Load Balancer reads as internet-facing: scheme %q, defaults %v", lb.Scheme, lb.Defaults)
	}
	for _, d := range lb.Defaults {
		if strings.Contains(d, "internet-facing") {
			t.Errorf("default %q applied to a Gateway Load Balancer", d)
		}
	}
}
