package cloudformation

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// SecurityGroupReferencingSupport: stated, as stated; unstated on the
// gateway, AWS's default "disable"; unstated on an attachment, unknown
// (AWS's pages disagree on its default); from a parameter without value,
// unknown.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-transitgateway.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-transitgatewayattachment-options.html
func TestTransitGatewaySecurityGroupReferencingSupport(t *testing.T) {
	f := write(t, "t.yaml", `Parameters:
  Ref:
    Type: String
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}
  On: {Type: AWS::EC2::TransitGateway, Properties: {SecurityGroupReferencingSupport: enable}}
  Default: {Type: AWS::EC2::TransitGateway}
  Param: {Type: AWS::EC2::TransitGateway, Properties: {SecurityGroupReferencingSupport: !Ref Ref}}
  AttOff:
    Type: AWS::EC2::TransitGatewayVpcAttachment
    Properties: {TransitGatewayId: !Ref On, VpcId: !Ref Vpc, SubnetIds: [!Ref Sub], Options: {SecurityGroupReferencingSupport: disable}}
  AttUnstated:
    Type: AWS::EC2::TransitGatewayVpcAttachment
    Properties: {TransitGatewayId: !Ref On, VpcId: !Ref Vpc, SubnetIds: [!Ref Sub]}
`)
	n := &model.Network{}
	if err := Read(f, Options{}, n); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"On": "enable", "Default": "disable", "Param": ""} {
		g, ok := n.TransitGateways.Get(id)
		if !ok || g.SecurityGroupReferencingSupport != want {
			t.Errorf("%s: %q, want %q", id, g.SecurityGroupReferencingSupport, want)
		}
	}
	for id, want := range map[string]string{"AttOff": "disable", "AttUnstated": ""} {
		a, ok := n.TGWAttachments.Get(id)
		if !ok || a.SecurityGroupReferencingSupport != want {
			t.Errorf("%s: %q, want %q", id, a.SecurityGroupReferencingSupport, want)
		}
	}
}
