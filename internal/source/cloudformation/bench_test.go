package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// largeTemplate writes a template with n subnets, each with a security
// group (an ingress rule naming the previous group) and an instance.
func largeTemplate(tb testing.TB, n int) string {
	var b strings.Builder
	b.WriteString("Parameters:\n  Env: {Type: String, Default: prod}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\nResources:\n")
	b.WriteString("  VPC:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/8}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  Subnet%d:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref VPC, CidrBlock: !Select [%d, !Cidr [!GetAtt VPC.CidrBlock, 256, 8]]}\n", i, i%256)
		// Each group admits the one before; the first, the VPC's default
		// group (a group naming itself inline is a circle CloudFormation
		// rejects).
		src := fmt.Sprintf("!Ref SG%d", i-1)
		if i == 0 {
			src = "!GetAtt VPC.DefaultSecurityGroup"
		}
		fmt.Fprintf(&b, "  SG%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${Env}-%d\"\n      VpcId: !Ref VPC\n      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: %s}]\n", i, i, src)
		fmt.Fprintf(&b, "  Instance%d:\n    Type: AWS::EC2::Instance\n    Condition: Prod\n    Properties: {SubnetId: !Ref Subnet%d, SecurityGroupIds: [!GetAtt SG%d.GroupId]}\n", i, i, i)
	}
	f := filepath.Join(tb.TempDir(), "large.yaml")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return f
}

// BenchmarkReadLarge reads a template of 3,000 resources.
func BenchmarkReadLarge(b *testing.B) {
	f := largeTemplate(b, 1000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		n := &model.Network{}
		if err := Read(f, Options{}, n); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReadLarge(t *testing.T) {
	n := &model.Network{}
	if err := Read(largeTemplate(t, 300), Options{}, n); err != nil {
		t.Fatal(err)
	}
	if n.Instances.Len() != 300 || n.SecurityGroups.Len() != 301 || n.NetworkInterfaces.Len() != 300 {
		t.Errorf("instances %d, groups %d, interfaces %d", n.Instances.Len(), n.SecurityGroups.Len(), n.NetworkInterfaces.Len())
	}
}
