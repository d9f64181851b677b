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

// sgWith is describe-security-groups output of one group whose ingress is
// the given IpPermissions element, on line 3.
func sgWith(perm string) string {
	return "{\"SecurityGroups\": [\n  {\"GroupId\": \"sg-1\", \"VpcId\": \"vpc-1\", \"GroupName\": \"web\", \"IpPermissions\": [\n    " + perm + "\n  ]}\n]}\n"
}

// Values AWS would never hold are errors at their line, never clamped,
// swapped or read as something else.
func TestReadRefusesBadValues(t *testing.T) {
	cidr := `"IpRanges": [{"CidrIp": "0.0.0.0/0"}]`
	tests := []struct {
		name     string
		content  string
		line     int
		contains string
	}{
		{"a port past 65535", sgWith(`{"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 65536, ` + cidr + `}`), 3, "IpPermissions[0].ToPort 65536 is outside 0-65535"},
		{"a reversed port range", sgWith(`{"IpProtocol": "tcp", "FromPort": 100, "ToPort": 50, ` + cidr + `}`), 3, "FromPort 100 is greater than IpPermissions[0].ToPort 50"},
		{"a negative port other than -1", sgWith(`{"IpProtocol": "udp", "FromPort": -2, "ToPort": 53, ` + cidr + `}`), 3, "FromPort -2 is outside 0-65535"},
		{"-1 with a port", sgWith(`{"IpProtocol": "tcp", "FromPort": -1, "ToPort": 80, ` + cidr + `}`), 3, "FromPort -1 is outside 0-65535 (-1 with IpPermissions[0].ToPort -1 means every port)"},
		{"a ToPort without FromPort", sgWith(`{"IpProtocol": "tcp", "ToPort": 80, ` + cidr + `}`), 3, "ToPort 80 without a IpPermissions[0].FromPort"},
		{"a port that is not an integer", sgWith(`{"IpProtocol": "tcp", "FromPort": 80.5, "ToPort": 81, ` + cidr + `}`), 3, "want an integer"},
		{"an unknown protocol", sgWith(`{"IpProtocol": "tcpx", "FromPort": 80, "ToPort": 80, ` + cidr + `}`), 3, `protocol "tcpx"`},
		{"a protocol number past 255", sgWith(`{"IpProtocol": "300", ` + cidr + `}`), 3, `protocol "300"`},
		{"an ICMP type past 255", sgWith(`{"IpProtocol": "icmp", "FromPort": 300, "ToPort": -1, ` + cidr + `}`), 3, "ICMP IpPermissions[0].FromPort 300 is outside 0-255"},
		{"every ICMP type with one code", sgWith(`{"IpProtocol": "icmp", "FromPort": -1, "ToPort": 4, ` + cidr + `}`), 3, "all ICMP types need all codes"},
		{"an IPv4 prefix past /32", sgWith(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/33"}]}`), 3, `CidrIp "0.0.0.0/33" is not a CIDR block`},
		{"an IPv6 prefix past /128", sgWith(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/129"}]}`), 3, `CidrIpv6 "::/129" is not a CIDR block`},
		{"a security group rule port past 65535", "{\"SecurityGroupRules\": [\n{\"SecurityGroupRuleId\": \"sgr-1\", \"GroupId\": \"sg-1\",\n \"IpProtocol\": \"tcp\", \"FromPort\": 1, \"ToPort\": 70000, \"CidrIpv4\": \"0.0.0.0/0\"}]}", 3, "ToPort 70000 is outside 0-65535"},
		{"a reversed network ACL range", "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"VpcId\": \"vpc-1\", \"Entries\": [\n{\"RuleNumber\": 100, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\",\n \"PortRange\": {\"From\": 443, \"To\": 80}}]}]}", 3, "PortRange.From 443 is greater than PortRange.To 80"},
		{"a network ACL rule number past 32767", "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"VpcId\": \"vpc-1\", \"Entries\": [\n{\"RuleNumber\": 40000, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\"}]}]}", 2, "RuleNumber 40000 is outside 1-32767"},
		{"a network ACL ICMP code past 255", "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"VpcId\": \"vpc-1\", \"Entries\": [\n{\"RuleNumber\": 100, \"Protocol\": \"1\", \"RuleAction\": \"allow\", \"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\",\n \"IcmpTypeCode\": {\"Type\": 3, \"Code\": 256}}]}]}", 3, "IcmpTypeCode.Code 256 is outside 0-255"},
		{"a listener port past 65535", "{\"Listeners\": [\n{\"ListenerArn\": \"arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/a/1/2\",\n \"Port\": 99999, \"Protocol\": \"HTTP\"}], \"LoadBalancerArn\": \"arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/a/1\"}", 3, "Port 99999 is outside 0-65535"},
		{"a record TTL below 0", "{\"HostedZone\": {\"Id\": \"/hostedzone/Z1\", \"Name\": \"corp.internal.\", \"Config\": {\"PrivateZone\": true}},\n \"ResourceRecordSets\": [\n{\"Name\": \"db.corp.internal.\", \"Type\": \"A\", \"TTL\": -5, \"ResourceRecords\": [{\"Value\": \"10.0.0.1\"}]}]}", 3, "TTL -5 is outside 0-2147483647"},
		{"a target group port below 0", "{\"TargetGroups\": [\n{\"TargetGroupArn\": \"arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/1\", \"TargetType\": \"instance\",\n \"Port\": -5}]}", 3, "Port -5 is outside 0-65535"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "bad.json")
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			err := Read(dir, &model.Network{})
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *diag.Error", err, err)
			}
			if de.File != p || de.Line != tc.line || de.Code != "bad-value" || !strings.Contains(de.Error(), tc.contains) {
				t.Errorf("err = %q (line %d code %s), want %s:%d bad-value containing %q", de.Error(), de.Line, de.Code, p, tc.line, tc.contains)
			}
		})
	}
}

// AWS's -1 conventions and ignored ranges stay readable.
func TestReadKeepsAWSConventions(t *testing.T) {
	cidr := `"IpRanges": [{"CidrIp": "0.0.0.0/0"}]`
	tests := []struct {
		name  string
		perm  string
		check func(r model.SGRule) bool
	}{
		{"tcp -1 to -1 is every port", `{"IpProtocol": "tcp", "FromPort": -1, "ToPort": -1, ` + cidr + `}`, func(r model.SGRule) bool { return r.Ports.IsAll() }},
		{"tcp without a range is every port", `{"IpProtocol": "tcp", ` + cidr + `}`, func(r model.SGRule) bool { return r.Ports.IsAll() }},
		{"one port", `{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, ` + cidr + `}`, func(r model.SGRule) bool { return r.Ports == model.PortRange{From: 22, To: 22} }},
		{"ports as strings", `{"IpProtocol": "tcp", "FromPort": "0", "ToPort": "65535", ` + cidr + `}`, func(r model.SGRule) bool { return r.Ports.IsAll() }},
		{"every ICMP type and code", `{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, ` + cidr + `}`, func(r model.SGRule) bool { return r.ICMP == model.AnyICMP }},
		{"one ICMP type, every code", `{"IpProtocol": "icmp", "FromPort": 3, "ToPort": -1, ` + cidr + `}`, func(r model.SGRule) bool { return r.ICMP.Type == 3 && r.ICMP.Code == -1 }},
		{"all protocols ignore ports", `{"IpProtocol": "-1", "FromPort": 22, "ToPort": 22, ` + cidr + `}`, func(r model.SGRule) bool { return r.Ports.IsAll() && r.PortsIgnored }},
		{"ESP ignores ports", `{"IpProtocol": "50", "FromPort": 0, "ToPort": 65535, ` + cidr + `}`, func(r model.SGRule) bool { return r.Ports.IsAll() && !r.PortsIgnored }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := readFiles(t, map[string]string{"sg.json": sgWith(tt.perm)})
			sg := mustGet(t, &n.SecurityGroups, "sg-1")
			if len(sg.Ingress) != 1 || !tt.check(sg.Ingress[0]) {
				t.Errorf("ingress %+v", sg.Ingress)
			}
		})
	}
}
