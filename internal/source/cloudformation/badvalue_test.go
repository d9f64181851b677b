package cloudformation

import (
	"errors"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// sgIngress is a template of one security group whose one ingress rule
// holds the given properties, one a line from line 7.
func sgIngress(props ...string) string {
	return "Resources:\n  S:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - " +
		strings.Join(props, "\n          ") + "\n"
}

// naclEntry is a template of one network ACL entry with the given
// properties besides NetworkAclId, one a line from line 7.
func naclEntry(props ...string) string {
	return "Resources:\n  A:\n    Type: AWS::EC2::NetworkAcl\n  E:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      " +
		strings.Join(append(props, "NetworkAclId: !Ref A"), "\n      ") + "\n"
}

// Values CloudFormation would refuse are errors at their line, never
// clamped, swapped or read as unknown.
func TestBadValues(t *testing.T) {
	for _, tc := range []struct {
		name, text, resource string
		line                 int
		msg                  string
	}{
		{"a port past 65535", sgIngress("IpProtocol: tcp", "FromPort: 3389", "ToPort: 65536", "CidrIp: 0.0.0.0/0"), "S", 9, "ToPort 65536 is outside 0-65535"},
		{"a reversed range", sgIngress("IpProtocol: tcp", "FromPort: 100", "ToPort: 50", "CidrIp: 0.0.0.0/0"), "S", 8, "FromPort 100 is greater than ToPort 50"},
		{"-1 with a port", sgIngress("IpProtocol: udp", "FromPort: -1", "ToPort: 53", "CidrIp: 0.0.0.0/0"), "S", 8, "FromPort -1 is outside 0-65535 (-1 with ToPort -1 means every port)"},
		{"a negative port", sgIngress("IpProtocol: tcp", "FromPort: -5", "ToPort: 22", "CidrIp: 0.0.0.0/0"), "S", 8, "FromPort -5 is outside 0-65535"},
		{"one bound only", sgIngress("IpProtocol: tcp", "FromPort: 22", "CidrIp: 0.0.0.0/0"), "S", 8, "tcp needs both FromPort and ToPort"},
		{"a port that is not a number", sgIngress("IpProtocol: tcp", "FromPort: ssh", "ToPort: 22", "CidrIp: 0.0.0.0/0"), "S", 8, `FromPort "ssh" is not an integer`},
		{"an ICMP type past 255", sgIngress("IpProtocol: icmp", "FromPort: 256", "ToPort: -1", "CidrIp: 0.0.0.0/0"), "S", 8, "ICMP type (FromPort) 256"},
		{"every ICMP type with one code", sgIngress("IpProtocol: icmp", "FromPort: -1", "ToPort: 3", "CidrIp: 0.0.0.0/0"), "S", 9, "all types need all codes"},
		{"an IPv4 prefix past /32", sgIngress("IpProtocol: tcp", "FromPort: 22", "ToPort: 22", "CidrIp: 10.0.0.0/33"), "S", 10, `CidrIp "10.0.0.0/33" is not a CIDR block`},
		{"an IPv6 prefix past /128", sgIngress("IpProtocol: tcp", "FromPort: 22", "ToPort: 22", "CidrIpv6: ::/129"), "S", 10, `CidrIpv6 "::/129" is not a CIDR block`},
		{"an unknown protocol", sgIngress("IpProtocol: tcpx", "CidrIp: 0.0.0.0/0"), "S", 7, `protocol "tcpx"`},
		{"a network ACL range past 65535", naclEntry("RuleNumber: 100", "Protocol: 6", "RuleAction: allow", "CidrBlock: 0.0.0.0/0", "PortRange: {From: 1, To: 70000}"), "E", 11, "PortRange To 70000 is outside 0-65535"},
		{"a reversed network ACL range", naclEntry("RuleNumber: 100", "Protocol: 6", "RuleAction: allow", "CidrBlock: 0.0.0.0/0", "PortRange: {From: 443, To: 80}"), "E", 11, "PortRange From 443 is greater than To 80"},
		{"a network ACL rule number past 32766", naclEntry("RuleNumber: 40000", "Protocol: -1", "RuleAction: allow", "CidrBlock: 0.0.0.0/0"), "E", 7, "RuleNumber 40000 is outside 1-32766"},
		{"a network ACL prefix past /32", naclEntry("RuleNumber: 100", "Protocol: -1", "RuleAction: allow", "CidrBlock: 0.0.0.0/40"), "E", 10, `CidrBlock "0.0.0.0/40" is not a CIDR block`},
		{"a network ACL ICMP type past 255", naclEntry("RuleNumber: 100", "Protocol: 1", "RuleAction: allow", "CidrBlock: 0.0.0.0/0", "Icmp: {Type: 300, Code: -1}"), "E", 11, "Icmp Type 300"},
		{"a VPC prefix past /32", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/33\n", "V", 5, `CidrBlock "10.0.0.0/33" is not a CIDR block`},
		{"a route to a prefix past /128", "Resources:\n  T:\n    Type: AWS::EC2::RouteTable\n  R:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref T\n      DestinationIpv6CidrBlock: ::/130\n      GatewayId: igw-1\n", "R", 8, `DestinationIpv6CidrBlock "::/130" is not a CIDR block`},
		{"a record TTL below 0", "Resources:\n  Z:\n    Type: AWS::Route53::HostedZone\n    Properties:\n      Name: corp.internal\n  R:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: !Ref Z\n      Name: db.corp.internal\n      Type: A\n      TTL: -1\n      ResourceRecords: [10.0.0.1]\n", "R", 12, "TTL -1 is outside 0-2147483647"},
		{"a listener port past 65535", "Resources:\n  L:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n  R:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref L\n      Port: 70000\n", "R", 8, "Port 70000 is outside 1-65535"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := write(t, "t.yaml", tc.text)
			err := Read(f, Options{}, &model.Network{})
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("want a *diag.Error, got %v", err)
			}
			if de.Code != "bad-value" || de.File != f || de.Resource != tc.resource || de.Line != tc.line || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("got %q (line %d, resource %q); want bad-value at line %d on %s with %q", de.Error(), de.Line, de.Resource, tc.line, tc.resource, tc.msg)
			}
		})
	}
}

// AWS's -1 conventions, absent ranges and ignored ranges stay readable.
func TestGoodValues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props []string
		check func(model.SGRule) bool
	}{
		{"-1 to -1 is every port", []string{"IpProtocol: tcp", "FromPort: -1", "ToPort: -1"}, func(r model.SGRule) bool { return r.Ports.IsAll() }},
		{"no range is every port", []string{"IpProtocol: tcp"}, func(r model.SGRule) bool { return r.Ports.IsAll() }},
		{"a range", []string{"IpProtocol: tcp", "FromPort: 80", "ToPort: 443"}, func(r model.SGRule) bool { return r.Ports == model.PortRange{From: 80, To: 443} }},
		{"every ICMP type", []string{"IpProtocol: icmp", "FromPort: -1", "ToPort: -1"}, func(r model.SGRule) bool { return r.ICMP == model.AnyICMP }},
		{"one ICMP type", []string{"IpProtocol: icmp", "FromPort: 8", "ToPort: -1"}, func(r model.SGRule) bool { return r.ICMP.Type == 8 && r.ICMP.Code == -1 }},
		{"all protocols ignore ports", []string{"IpProtocol: -1", "FromPort: 22", "ToPort: 22"}, func(r model.SGRule) bool { return r.Ports.IsAll() && r.PortsIgnored }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := write(t, "t.yaml", sgIngress(append(tc.props, "CidrIp: 0.0.0.0/0")...))
			n := &model.Network{}
			if err := Read(f, Options{}, n); err != nil {
				t.Fatal(err)
			}
			sg, ok := n.SecurityGroups.Get("S")
			if !ok || len(sg.Ingress) != 1 || !tc.check(sg.Ingress[0]) {
				t.Errorf("ingress %+v", sg)
			}
		})
	}
}
