package cloudformation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

const evalHeader = `Parameters:
  Env: {Type: String, Default: prod}
  Missing: {Type: String}
  List: {Type: CommaDelimitedList, Default: "a,b,c"}
  Empty: {Type: CommaDelimitedList, Default: ""}
Mappings:
  M:
    k1: {k2: v}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Unknowable: !Equals [!Ref Missing, x]
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  EIP:
    Type: AWS::EC2::EIP
  Inst:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: s, PrivateIpAddress: 10.0.0.5}
  Inst2:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: s}
  R:
    Type: AWS::S3::Bucket
    Properties:
      X: `

// evalExpr evaluates one YAML expression inside a small template.
func evalExpr(t *testing.T, expr string) (*Value, error) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(f, []byte(evalHeader+expr+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &reader{opts: Options{}, n: &model.Network{}, region: DefaultRegion, b: newBuilder(&model.Network{})}
	s, err := r.load(f, "", nil, 0)
	if err != nil {
		return nil, err
	}
	p, err := s.props(s.resources["R"], 0)
	if err != nil {
		return nil, err
	}
	return p.Get("X"), nil
}

func render(v *Value) string {
	switch {
	case v == nil:
		return "<absent>"
	case v.Kind == Unknown:
		return "unknown: " + v.S
	case v.Kind == List:
		parts := make([]string, 0, len(v.L))
		for _, x := range v.L {
			parts = append(parts, render(x))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case v.Kind == Map:
		return "map"
	}
	return v.S
}

func TestIntrinsicFunctions(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`!Ref Env`, "prod"},
		{`!Ref VPC`, "VPC"},
		{`!Ref "AWS::Region"`, "us-east-1"},
		{`!Ref "AWS::Partition"`, "aws"},
		{`!Ref "AWS::URLSuffix"`, "amazonaws.com"},
		{`!Ref "AWS::StackName"`, "t"},
		{`!Ref "AWS::AccountId"`, "unknown: AWS::AccountId: no --account given"},
		{`!Ref "AWS::NoValue"`, "<absent>"},
		{`!Ref Missing`, "unknown: parameter Missing has no value (no Default, no --param)"},
		{`!Ref EIP`, "unknown: the public IP of EIP is allocated at deploy time"},
		{`!Ref List`, "[a b c]"},
		{`!Ref Empty`, "[]"},
		{`!Select [0, !Ref Empty]`, ""},
		{`!GetAtt VPC.CidrBlock`, "10.0.0.0/16"},
		{`!GetAtt [VPC, DefaultNetworkAcl]`, "VPC/DefaultNetworkAcl"},
		{`!GetAtt Inst.PrivateIp`, "10.0.0.5"},
		{`!GetAtt Inst2.PrivateIp`, "unknown: Inst2.PrivateIp is known only after deployment"},
		{`!GetAtt Inst.PublicIp`, "unknown: Inst.PublicIp is known only after deployment"},
		{`!GetAtt EIP.AllocationId`, "EIP"},
		{`!Sub "${Env}-${AWS::Region}-${!Keep}-${VPC}-${VPC.CidrBlock}"`, "prod-us-east-1-${Keep}-VPC-10.0.0.0/16"},
		{`!Sub ["${A}/${Env}", {A: x}]`, "x/prod"},
		{`!Sub "${Missing}"`, "unknown: parameter Missing has no value (no Default, no --param)"},
		{`!Join [",", [a, !Ref Env]]`, "a,prod"},
		{`!Join [",", !Ref List]`, "a,b,c"},
		{`!Join ["", [a, !Ref Missing]]`, "unknown: parameter Missing has no value (no Default, no --param)"},
		{`!Select [1, [a, b]]`, "b"},
		{`!Select ["2", !Ref List]`, "c"},
		{`!Select [0, !Split [",", !Ref Missing]]`, "unknown: Fn::Select from an unknown list: Fn::Split of an unknown string: parameter Missing has no value (no Default, no --param)"},
		{`!Split ["/", "a/b"]`, "[a b]"},
		{`!If [IsProd, a, b]`, "a"},
		{`!If [Unknowable, a, b]`, "unknown: Fn::If on condition Unknowable, which is unknown"},
		{`!If [Unknowable, a, a]`, "a"},
		{`!FindInMap [M, k1, k2]`, "v"},
		{`!FindInMap [M, k1, nope, {DefaultValue: d}]`, "d"},
		{`!FindInMap [M, !Ref Missing, k2]`, "unknown: Fn::FindInMap with an unknown key: parameter Missing has no value (no Default, no --param)"},
		{`!GetAZs ""`, "[us-east-1a us-east-1b us-east-1c us-east-1d us-east-1e us-east-1f]"},
		{`!GetAZs ap-northeast-1`, "[ap-northeast-1a ap-northeast-1c ap-northeast-1d]"},
		{`!Base64 abc`, "YWJj"},
		{`!Cidr [10.0.0.0/16, 2, 8]`, "[10.0.0.0/24 10.0.1.0/24]"},
		{`!Cidr ["2001:db8::/56", 2, 64]`, "[2001:db8::/64 2001:db8:0:1::/64]"},
		{`!Cidr [!Ref Missing, 2, 8]`, "unknown: Fn::Cidr of an unknown value: parameter Missing has no value (no Default, no --param)"},
		{`!ImportValue shared`, "unknown: Fn::ImportValue shared: exported by another stack"},
		{`!Length [a, b]`, "2"},
		{`{"Fn::Length": !Ref Missing}`, "unknown: Fn::Length of an unknown list: parameter Missing has no value (no Default, no --param)"},
		{`!ToJsonString {a: 1, b: [true, x]}`, `{"a":1,"b":[true,"x"]}`},
		{`{"Fn::Transform": {Name: m}}`, "unknown: Fn::Transform: a macro runs at deploy time"},
		{`[a, !Ref "AWS::NoValue", b]`, "[a b]"},
		{`{"Fn::Equals": [a, a]}`, "true"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			v, err := evalExpr(t, tc.expr)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got := render(v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIntrinsicErrors(t *testing.T) {
	for _, tc := range []struct{ expr, code, msg string }{
		{`!Ref Nope`, "unresolved-reference", "Ref to Nope, which is neither a parameter nor a resource"},
		{`!GetAtt Nope.Attr`, "unresolved-reference", "no resource Nope"},
		{`!Select [5, [a]]`, "bad-template", "out of range"},
		{`!Cidr [10.0.0.0/24, 300, 4]`, "bad-template", "count"},
		{`!Cidr [10.0.0.0/24, 32, 4]`, "bad-template", "cannot make 32 subnets"},
		{`!Cidr [10.0.0.0/24, 2, 12]`, "bad-template", "does not fit"},
		{`!FindInMap [M, k1, nope]`, "unresolved-reference", "no M > k1 > nope"},
		{`!If [NoSuchCondition, a, b]`, "unresolved-reference", "no condition named NoSuchCondition"},
		{`{"Fn::Nope": 1}`, "bad-template", "unknown intrinsic function Fn::Nope"},
		{`!Join [",", a]`, "bad-template", "wants a list"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := evalExpr(t, tc.expr)
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("want a *diag.Error, got %v", err)
			}
			if de.Code != tc.code || !strings.Contains(de.Message, tc.msg) || de.Line == 0 || de.Resource != "R" {
				t.Errorf("got %v (code %s, line %d, resource %q)", err, de.Code, de.Line, de.Resource)
			}
		})
	}
}

func TestCidrSubnets(t *testing.T) {
	got, err := cidrSubnets(mustPrefix("192.168.0.0/24"), 6, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"192.168.0.0/27", "192.168.0.32/27", "192.168.0.64/27", "192.168.0.96/27", "192.168.0.128/27", "192.168.0.160/27"}
	for i, p := range got {
		if p.String() != want[i] {
			t.Errorf("subnet %d: got %s want %s", i, p, want[i])
		}
	}
}
