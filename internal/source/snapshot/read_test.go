package snapshot

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// readFiles writes files (relative path -> content) under a temporary
// snapshot folder and reads it.
func readFiles(t *testing.T, files map[string]string) (*model.Network, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatalf("Read: %v", err)
	}
	n.Finalize()
	return n, dir
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func warningsWith(n *model.Network, code string) []model.Warning {
	var out []model.Warning
	for _, w := range n.Warnings {
		if w.Code == code {
			out = append(out, w)
		}
	}
	return out
}

func TestReadKinds(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		check func(t *testing.T, n *model.Network)
	}{
		{
			name: "vpc with every CIDR association and default DNS attributes",
			files: map[string]string{"aws_configs/111122223333/eu-west-1/vpcs.json": `{"Vpcs": [{
				"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "IsDefault": false, "DhcpOptionsId": "default",
				"CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
					{"CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}},
					{"CidrBlock": "192.168.0.0/16", "CidrBlockState": {"State": "disassociated"}}],
				"Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18::/56", "Ipv6CidrBlockState": {"State": "associated"}}],
				"Tags": [{"Key": "Name", "Value": "main"}, {"Key": "team", "Value": "net"}]}]}`},
			check: func(t *testing.T, n *model.Network) {
				v := mustGet(t, &n.VPCs, "vpc-1")
				if !slices.Equal(v.CIDRs, []netip.Prefix{pfx("10.0.0.0/16"), pfx("100.64.0.0/16")}) {
					t.Errorf("CIDRs = %v", v.CIDRs)
				}
				if !slices.Equal(v.IPv6CIDRs, []netip.Prefix{pfx("2600:1f18::/56")}) {
					t.Errorf("IPv6CIDRs = %v", v.IPv6CIDRs)
				}
				// Not collected: unknown, not AWS's defaults.
				if v.EnableDNSSupport != model.UnknownFlag || v.EnableDNSHostnames != model.UnknownFlag || len(v.Defaults) != 2 {
					t.Errorf("DNS = %v %v defaults %v", v.EnableDNSSupport, v.EnableDNSHostnames, v.Defaults)
				}
				if v.Account != "111122223333" || v.Region != "eu-west-1" || v.Name != "main" || v.Tags["team"] != "net" {
					t.Errorf("meta = %+v", v.Meta)
				}
				if v.Origin.Line != 1 || v.Origin.Path != "Vpcs[0]" {
					t.Errorf("origin = %+v", v.Origin)
				}
			},
		},
		{
			name: "DNS attributes not collected are unknown, even for a default VPC; attribute files say",
			files: map[string]string{
				"a.json": `{"Vpcs": [{"VpcId": "vpc-d", "CidrBlock": "172.31.0.0/16", "IsDefault": true},
					{"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"}]}`,
				"attr.json": `[{"VpcId": "vpc-2", "EnableDnsSupport": {"Value": false}}, {"VpcId": "vpc-2", "EnableDnsHostnames": {"Value": true}}]`,
			},
			check: func(t *testing.T, n *model.Network) {
				d := mustGet(t, &n.VPCs, "vpc-d")
				if d.EnableDNSHostnames != model.UnknownFlag || d.EnableDNSSupport != model.UnknownFlag {
					t.Errorf("default VPC DNS = %v %v", d.EnableDNSSupport, d.EnableDNSHostnames)
				}
				v := mustGet(t, &n.VPCs, "vpc-2")
				if v.EnableDNSSupport != model.False || v.EnableDNSHostnames != model.True || len(v.Defaults) != 0 {
					t.Errorf("vpc-2 DNS = %v %v defaults %v", v.EnableDNSSupport, v.EnableDNSHostnames, v.Defaults)
				}
			},
		},
		{
			name: "subnet region from the availability zone, account from OwnerId",
			files: map[string]string{"Subnets.json": `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",
				"AvailabilityZone": "ap-northeast-1c", "AvailabilityZoneId": "apne1-az1", "MapPublicIpOnLaunch": true, "OwnerId": "123456789012",
				"Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:0:1::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}]}`},
			check: func(t *testing.T, n *model.Network) {
				s := mustGet(t, &n.Subnets, "subnet-1")
				if s.CIDR != pfx("10.0.1.0/24") || s.Region != "ap-northeast-1" || s.Account != "123456789012" ||
					!s.MapPublicIPOnLaunch.IsTrue() || len(s.IPv6CIDRs) != 1 || s.AZID != "apne1-az1" {
					t.Errorf("subnet = %+v", s)
				}
			},
		},
		{
			name: "route table with every target kind, blackhole and associations",
			files: map[string]string{"rt.json": `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
				{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active", "Origin": "CreateRouteTable"},
				{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"},
				{"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-1", "State": "active"},
				{"DestinationCidrBlock": "10.9.0.0/16", "NatGatewayId": "nat-1", "State": "blackhole"},
				{"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-1", "State": "active"},
				{"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1", "State": "active"},
				{"DestinationCidrBlock": "10.3.0.0/16", "GatewayId": "vgw-1", "State": "active"},
				{"DestinationCidrBlock": "10.4.0.0/16", "InstanceId": "i-1", "InstanceOwnerId": "1", "NetworkInterfaceId": "eni-1", "State": "active"},
				{"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1", "State": "active"},
				{"DestinationCidrBlock": "10.5.0.0/16", "CarrierGatewayId": "cagw-1", "State": "active"},
				{"DestinationCidrBlock": "10.6.0.0/16", "LocalGatewayId": "lgw-1", "State": "active"},
				{"DestinationCidrBlock": "10.7.0.0/16", "CoreNetworkArn": "arn:aws:networkmanager::1:core-network/c", "State": "active"}],
				"Associations": [{"Main": true, "RouteTableAssociationId": "rtbassoc-m"},
					{"Main": false, "SubnetId": "subnet-1", "RouteTableAssociationId": "rtbassoc-s"},
					{"Main": false, "GatewayId": "igw-1", "RouteTableAssociationId": "rtbassoc-g"},
					{"Main": false, "SubnetId": "subnet-old", "AssociationState": {"State": "disassociated"}}]}]}`},
			check: func(t *testing.T, n *model.Network) {
				rt := mustGet(t, &n.RouteTables, "rtb-1")
				want := []model.TargetKind{model.TargetLocal, model.TargetInternetGateway, model.TargetEgressOnlyIGW, model.TargetNATGateway,
					model.TargetPeering, model.TargetTransitGateway, model.TargetVPNGateway, model.TargetNetworkInterface,
					model.TargetGatewayEndpoint, model.TargetUnmodelled, model.TargetUnmodelled, model.TargetUnmodelled}
				if len(rt.Routes) != len(want) {
					t.Fatalf("%d routes", len(rt.Routes))
				}
				for i, k := range want {
					if rt.Routes[i].TargetKind != k {
						t.Errorf("route %d kind = %s, want %s", i, rt.Routes[i].TargetKind, k)
					}
				}
				if rt.Routes[3].State != model.RouteBlackhole || rt.Routes[8].DestinationPrefixListID != "pl-1" ||
					rt.Routes[2].Destination != pfx("::/0") || rt.Routes[7].TargetID != "eni-1" || rt.Routes[9].TargetUnmodelledType != "CarrierGatewayId" {
					t.Errorf("routes = %+v", rt.Routes)
				}
				if len(rt.Associations) != 3 || !rt.IsMain() || rt.Associations[2].GatewayID != "igw-1" {
					t.Errorf("associations = %+v", rt.Associations)
				}
				if got, _ := n.RouteTableFor("subnet-1"); got != rt {
					t.Errorf("RouteTableFor(subnet-1) = %v", got)
				}
			},
		},
		{
			name: "security group rules: one per peer, -1 ignores ports, ICMP type and code",
			files: map[string]string{"sg.json": `{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-1", "OwnerId": "111111111111",
				"IpPermissions": [
					{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8", "Description": "corp"}],
						"Ipv6Ranges": [{"CidrIpv6": "::/0"}], "PrefixListIds": [{"PrefixListId": "pl-1"}],
						"UserIdGroupPairs": [{"GroupId": "sg-2", "UserId": "222222222222", "VpcId": "vpc-9", "VpcPeeringConnectionId": "pcx-1"}]},
					{"IpProtocol": "-1", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "192.168.0.0/16"}]},
					{"IpProtocol": "icmp", "FromPort": 3, "ToPort": 4, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
					{"IpProtocol": "icmpv6", "FromPort": -1, "ToPort": -1, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
					{"IpProtocol": "udp", "FromPort": 1024, "ToPort": 2048, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
				"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}`},
			check: func(t *testing.T, n *model.Network) {
				sg := mustGet(t, &n.SecurityGroups, "sg-1")
				if len(sg.Ingress) != 9 || len(sg.Egress) != 1 {
					t.Fatalf("ingress %d egress %d", len(sg.Ingress), len(sg.Egress))
				}
				in := sg.Ingress
				if in[0].Protocol != model.ProtoTCP || in[0].Ports != (model.PortRange{From: 22, To: 22}) || in[0].Peer.CIDR != pfx("0.0.0.0/0") {
					t.Errorf("rule 0 = %+v", in[0])
				}
				if in[1].Description != "corp" || in[2].Peer.CIDR != pfx("::/0") || in[3].Peer.Kind != model.PeerPrefixList || in[3].Peer.ID != "pl-1" {
					t.Errorf("rules 1-3 = %+v", in[1:4])
				}
				if p := in[4].Peer; p.Kind != model.PeerSecurityGroup || p.ID != "sg-2" || p.Account() != "222222222222" || p.VPCID() != "vpc-9" {
					t.Errorf("sg peer = %+v", p)
				}
				if in[5].Protocol != model.ProtoAll || !in[5].Ports.IsAll() || !in[5].PortsIgnored {
					t.Errorf("all-protocol rule = %+v", in[5])
				}
				if in[6].ICMP != (model.ICMPMatch{Type: 3, Code: 4}) || in[7].ICMP != model.AnyICMP || in[7].Protocol != model.ProtoICMPv6 {
					t.Errorf("icmp rules = %+v %+v", in[6], in[7])
				}
				if in[8].Ports != (model.PortRange{From: 1024, To: 2048}) || in[8].Protocol != model.ProtoUDP {
					t.Errorf("udp rule = %+v", in[8])
				}
				if sg.Egress[0].Protocol != model.ProtoAll || sg.Egress[0].Peer.CIDR != pfx("0.0.0.0/0") || !sg.Egress[0].Egress {
					t.Errorf("egress = %+v", sg.Egress[0])
				}
				if sg.Ingress[4].Origin.Path != "SecurityGroups[0].IpPermissions[0]" {
					t.Errorf("origin path = %q", sg.Ingress[4].Origin.Path)
				}
			},
		},
		{
			name: "security group rules output: IDs for known rules, rules for groups read only there",
			files: map[string]string{
				"sg.json": `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
					"IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "IpPermissionsEgress": []}]}`,
				"rules.json": `{"SecurityGroupRules": [
					{"SecurityGroupRuleId": "sgr-1", "GroupId": "sg-1", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"},
					{"SecurityGroupRuleId": "sgr-2", "GroupId": "sg-2", "GroupOwnerId": "123456789012", "IsEgress": true, "IpProtocol": "-1", "FromPort": -1, "ToPort": -1, "CidrIpv4": "0.0.0.0/0"},
					{"SecurityGroupRuleId": "sgr-3", "GroupId": "sg-2", "IsEgress": false, "IpProtocol": "udp", "FromPort": 53, "ToPort": 53,
						"ReferencedGroupInfo": {"GroupId": "sg-1", "UserId": "123456789012"}}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				sg := mustGet(t, &n.SecurityGroups, "sg-1")
				if len(sg.Ingress) != 1 || sg.Ingress[0].RuleID != "sgr-1" {
					t.Errorf("sg-1 ingress = %+v", sg.Ingress)
				}
				g2 := mustGet(t, &n.SecurityGroups, "sg-2")
				if len(g2.Egress) != 1 || g2.Egress[0].RuleID != "sgr-2" || len(g2.Ingress) != 1 || g2.Ingress[0].Peer.ID != "sg-1" ||
					g2.Ingress[0].Ports != (model.PortRange{From: 53, To: 53}) || g2.Account != "123456789012" {
					t.Errorf("sg-2 = %+v", g2)
				}
			},
		},
		{
			name: "network ACL entries both directions, IPv6, ports, ICMP and associations",
			files: map[string]string{"acl.json": `{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true,
				"Entries": [
					{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}},
					{"RuleNumber": 110, "Protocol": "1", "RuleAction": "deny", "Egress": false, "CidrBlock": "10.0.0.0/8", "IcmpTypeCode": {"Type": 8, "Code": -1}},
					{"RuleNumber": 120, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "Ipv6CidrBlock": "::/0"},
					{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0"}],
				"Associations": [{"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "acl-1", "SubnetId": "subnet-1"}]}],
				"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]}`},
			check: func(t *testing.T, n *model.Network) {
				acl := mustGet(t, &n.NetworkACLs, "acl-1")
				if !acl.IsDefault || len(acl.Entries) != 4 || !slices.Equal(acl.SubnetIDs, []string{"subnet-1"}) {
					t.Fatalf("acl = %+v", acl)
				}
				e := acl.Entries
				if e[0].Protocol != model.ProtoTCP || e[0].Ports != (model.PortRange{From: 443, To: 443}) || e[0].Action != model.NACLAllow || e[0].Egress {
					t.Errorf("entry 0 = %+v", e[0])
				}
				if e[1].ICMP != (model.ICMPMatch{Type: 8, Code: -1}) || e[1].Action != model.NACLDeny {
					t.Errorf("entry 1 = %+v", e[1])
				}
				if e[2].CIDR != pfx("::/0") || !e[2].Egress || e[3].RuleNumber != 32767 {
					t.Errorf("entries 2-3 = %+v", e[2:])
				}
				if got := n.NetworkACLFor("subnet-1"); got != acl {
					t.Errorf("NetworkACLFor = %v", got)
				}
			},
		},
		{
			name: "interfaces: addresses, public and elastic IPs, IPv6, owners from descriptions",
			files: map[string]string{"enis.json": `{"NetworkInterfaces": [
				{"NetworkInterfaceId": "eni-i", "SubnetId": "subnet-1", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a", "InterfaceType": "interface",
					"PrivateIpAddress": "10.0.1.10", "PrivateIpAddresses": [
						{"PrivateIpAddress": "10.0.1.10", "Primary": true, "Association": {"PublicIp": "54.1.2.3", "IpOwnerId": "amazon"}},
						{"PrivateIpAddress": "10.0.1.11", "Primary": false, "Association": {"PublicIp": "3.3.3.3", "AllocationId": "eipalloc-1"}}],
					"Ipv6Addresses": [{"Ipv6Address": "2600:1f18::10"}], "Groups": [{"GroupId": "sg-1", "GroupName": "web"}], "SourceDestCheck": true,
					"Attachment": {"InstanceId": "i-1", "DeviceIndex": 0}, "TagSet": [{"Key": "Name", "Value": "web-eni"}]},
				{"NetworkInterfaceId": "eni-n", "SubnetId": "subnet-1", "VpcId": "vpc-1", "InterfaceType": "nat_gateway", "Description": "Interface for NAT Gateway nat-1",
					"PrivateIpAddress": "10.0.1.20", "SourceDestCheck": false, "RequesterManaged": true},
				{"NetworkInterfaceId": "eni-e", "InterfaceType": "vpc_endpoint", "Description": "VPC Endpoint Interface vpce-1", "PrivateIpAddress": "10.0.1.30"},
				{"NetworkInterfaceId": "eni-a", "InterfaceType": "interface", "Description": "ELB app/my-alb/50dc6c495c0c9188", "PrivateIpAddress": "10.0.1.40"},
				{"NetworkInterfaceId": "eni-l", "InterfaceType": "network_load_balancer", "Description": "ELB net/my-nlb/1234", "PrivateIpAddress": "10.0.1.41"},
				{"NetworkInterfaceId": "eni-r", "InterfaceType": "interface", "Description": "Route 53 Resolver: rslvr-in-abc:rni-xyz", "PrivateIpAddress": "10.0.1.50"},
				{"NetworkInterfaceId": "eni-c", "InterfaceType": "interface", "Description": "ClientVPN Endpoint cvpn-endpoint-1 for association cvpn-assoc-1", "PrivateIpAddress": "10.0.1.60"},
				{"NetworkInterfaceId": "eni-f", "InterfaceType": "lambda", "Description": "AWS Lambda VPC ENI-fn-abc", "PrivateIpAddress": "10.0.1.70"},
				{"NetworkInterfaceId": "eni-d", "InterfaceType": "interface", "Description": "RDSNetworkInterface", "RequesterManaged": true, "PrivateIpAddress": "10.0.1.80"},
				{"NetworkInterfaceId": "eni-x", "InterfaceType": "interface", "Description": "spare", "PrivateIpAddress": "10.0.1.90"}]}`},
			check: func(t *testing.T, n *model.Network) {
				e := mustGet(t, &n.NetworkInterfaces, "eni-i")
				if len(e.PrivateIPs) != 2 || e.PrivateIPs[0].PublicIP != addr("54.1.2.3") || e.PrivateIPs[0].ElasticIP != "" ||
					e.PrivateIPs[1].PublicIP != addr("3.3.3.3") || e.PrivateIPs[1].ElasticIP != "eipalloc-1" {
					t.Errorf("private IPs = %+v", e.PrivateIPs)
				}
				if !slices.Equal(e.IPv6, []netip.Addr{addr("2600:1f18::10")}) || !slices.Equal(e.SecurityGroupIDs, []string{"sg-1"}) ||
					!e.SourceDestCheck || e.OwnerKind != model.OwnerInstance || e.OwnerID != "i-1" || e.Name != "web-eni" || e.Region != "us-east-1" {
					t.Errorf("eni-i = %+v", e)
				}
				owners := map[string][2]string{
					"eni-n": {"nat-gateway", "nat-1"}, "eni-e": {"vpc-endpoint", "vpce-1"}, "eni-a": {"load-balancer", "app/my-alb/50dc6c495c0c9188"},
					"eni-l": {"load-balancer", "net/my-nlb/1234"}, "eni-r": {"resolver-endpoint", "rslvr-in-abc"},
					"eni-c": {"client-vpn-endpoint", "cvpn-endpoint-1"}, "eni-f": {"lambda", ""}, "eni-d": {"rds", ""}, "eni-x": {"", ""},
				}
				for id, want := range owners {
					x := mustGet(t, &n.NetworkInterfaces, id)
					if string(x.OwnerKind) != want[0] || x.OwnerID != want[1] {
						t.Errorf("%s owner = %q %q, want %q %q", id, x.OwnerKind, x.OwnerID, want[0], want[1])
					}
				}
				if x := mustGet(t, &n.NetworkInterfaces, "eni-n"); x.SourceDestCheck || !x.RequesterManaged || x.InterfaceType != "nat_gateway" {
					t.Errorf("eni-n = %+v", x)
				}
			},
		},
		{
			name: "instances without interface output: interfaces come from the instance",
			files: map[string]string{"us-west-2/instances.json": `{"Reservations": [{"OwnerId": "123456789012", "Instances": [{
				"InstanceId": "i-1", "State": {"Code": 16, "Name": "running"}, "SubnetId": "subnet-1", "VpcId": "vpc-1",
				"PrivateIpAddress": "10.0.1.5", "PublicIpAddress": "18.1.1.1", "SecurityGroups": [{"GroupId": "sg-1"}],
				"PrivateDnsNameOptions": {"HostnameType": "resource-name", "EnableResourceNameDnsARecord": true},
				"NetworkInterfaces": [
					{"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.6", "Attachment": {"DeviceIndex": 1}},
					{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.5",
						"PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5", "Primary": true, "Association": {"PublicIp": "18.1.1.1"}}],
						"Groups": [{"GroupId": "sg-1"}], "SourceDestCheck": true, "Attachment": {"DeviceIndex": 0}}]}]}]}`},
			check: func(t *testing.T, n *model.Network) {
				in := mustGet(t, &n.Instances, "i-1")
				if !slices.Equal(in.NetworkInterfaceIDs, []string{"eni-1", "eni-2"}) || in.State != "running" || in.PublicIP != addr("18.1.1.1") ||
					in.Account != "123456789012" || in.Region != "us-west-2" || in.HostnameType != "resource-name" || !in.EnableResourceNameDNSARecord {
					t.Errorf("instance = %+v", in)
				}
				e := mustGet(t, &n.NetworkInterfaces, "eni-1")
				if e.OwnerKind != model.OwnerInstance || e.OwnerID != "i-1" || len(e.PublicIPs()) != 1 || e.Account != "123456789012" {
					t.Errorf("eni-1 = %+v", e)
				}
				if _, ok := n.NetworkInterfaces.Get("eni-2"); !ok {
					t.Error("eni-2 not synthesised")
				}
			},
		},
		{
			name: "gateways, NAT gateway and elastic IP mapped onto its interface",
			files: map[string]string{"gw.json": `{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}],
				"EgressOnlyInternetGateways": [{"EgressOnlyInternetGatewayId": "eigw-1", "Attachments": [{"VpcId": "vpc-1", "State": "attached"}]}],
				"NatGateways": [{"NatGatewayId": "nat-1", "VpcId": "vpc-1", "SubnetId": "subnet-1", "State": "available",
					"NatGatewayAddresses": [{"AllocationId": "eipalloc-1", "NetworkInterfaceId": "eni-n", "PrivateIp": "10.0.1.20", "PublicIp": "3.3.3.3"}]},
					{"NatGatewayId": "nat-2", "VpcId": "vpc-1", "SubnetId": "subnet-2", "ConnectivityType": "private"}],
				"Addresses": [{"AllocationId": "eipalloc-2", "PublicIp": "4.4.4.4", "NetworkInterfaceId": "eni-x", "PrivateIpAddress": "10.0.1.9", "AssociationId": "eipassoc-2"}],
				"NetworkInterfaces": [{"NetworkInterfaceId": "eni-x", "PrivateIpAddress": "10.0.1.9"}]}`},
			check: func(t *testing.T, n *model.Network) {
				if g, ok := n.InternetGatewayOf("vpc-1"); !ok || g.ID != "igw-1" {
					t.Errorf("igw = %v", g)
				}
				if g, ok := n.EgressOnlyIGWOf("vpc-1"); !ok || g.ID != "eigw-1" {
					t.Errorf("eigw = %v", g)
				}
				g := mustGet(t, &n.NATGateways, "nat-1")
				if !g.IsPublic() || len(g.Addresses) != 1 || g.Addresses[0].PublicIP != addr("3.3.3.3") {
					t.Errorf("nat-1 = %+v", g)
				}
				if mustGet(t, &n.NATGateways, "nat-2").IsPublic() {
					t.Error("nat-2 should be private")
				}
				e := mustGet(t, &n.NetworkInterfaces, "eni-x")
				if e.PrivateIPs[0].PublicIP != addr("4.4.4.4") || e.PrivateIPs[0].ElasticIP != "eipalloc-2" {
					t.Errorf("eip not mapped: %+v", e.PrivateIPs)
				}
			},
		},
		{
			name: "DHCP options and peering connections",
			files: map[string]string{"x.json": `{"DhcpOptions": [{"DhcpOptionsId": "dopt-1", "DhcpConfigurations": [
					{"Key": "domain-name-servers", "Values": [{"Value": "10.0.0.53"}, {"Value": "AmazonProvidedDNS"}]},
					{"Key": "domain-name", "Values": [{"Value": "corp.example"}]}, {"Key": "ntp-servers", "Values": [{"Value": "169.254.169.123"}]}]}],
				"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
					"RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": "111111111111", "Region": "us-east-1", "CidrBlock": "10.0.0.0/16",
						"CidrBlockSet": [{"CidrBlock": "10.0.0.0/16"}, {"CidrBlock": "10.50.0.0/16"}], "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600::/56"}],
						"PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": true}},
					"AccepterVpcInfo": {"VpcId": "vpc-2", "OwnerId": "222222222222", "Region": "us-west-2", "CidrBlock": "10.1.0.0/16"}}]}`},
			check: func(t *testing.T, n *model.Network) {
				d := mustGet(t, &n.DHCPOptions, "dopt-1")
				if !slices.Equal(d.DomainNameServers, []string{"10.0.0.53", "AmazonProvidedDNS"}) || d.DomainName != "corp.example" || len(d.NTPServers) != 1 {
					t.Errorf("dhcp = %+v", d)
				}
				p := mustGet(t, &n.PeeringConnections, "pcx-1")
				if !p.IsActive() || len(p.Requester.CIDRs) != 2 || len(p.Requester.IPv6CIDRs) != 1 || !p.Requester.AllowDNSResolutionFromRemoteVPC ||
					p.Accepter.Account != "222222222222" || p.Accepter.Region != "us-west-2" || p.Account != "111111111111" {
					t.Errorf("peering = %+v", p)
				}
			},
		},
		{
			name: "transit gateway, attachments, route tables with routes, associations and propagations (Batfish files)",
			files: map[string]string{
				"TransitGateways.json": `{"TransitGateways": [{"TransitGatewayId": "tgw-1", "OwnerId": "111111111111", "State": "available",
					"Options": {"DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "disable",
						"AssociationDefaultRouteTableId": "tgw-rtb-1", "DnsSupport": "enable"}}]}`,
				"TransitGatewayAttachments.json": `{"TransitGatewayAttachments": [
					{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-1",
						"State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}},
					{"TransitGatewayAttachmentId": "tgw-attach-2", "TransitGatewayId": "tgw-1", "ResourceType": "peering", "ResourceId": "tgw-9", "State": "available"}]}`,
				"TransitGatewayVpcAttachments.json": `{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1",
					"VpcId": "vpc-1", "SubnetIds": ["subnet-1", "subnet-2"], "Options": {"ApplianceModeSupport": "enable"}}]}`,
				"TransitGatewayRouteTables.json": `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1",
					"DefaultAssociationRouteTable": true}]}`,
				"TransitGatewayStaticRoutes.json": `{"TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [
					{"DestinationCidrBlock": "192.168.0.0/16", "State": "active", "Type": "static",
						"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-2", "ResourceType": "peering"}]},
					{"DestinationCidrBlock": "10.99.0.0/16", "State": "blackhole", "Type": "static"}]}]}`,
				"TransitGatewayPropagations.json": `{"TransitGatewayPropagations": [{"TransitGatewayRouteTableId": "tgw-rtb-1",
					"TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-1", "State": "enabled"},
						{"TransitGatewayAttachmentId": "tgw-attach-3", "State": "disabled"}]}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				g := mustGet(t, &n.TransitGateways, "tgw-1")
				if !g.DefaultRouteTableAssociation || g.DefaultRouteTablePropagation || g.AssociationDefaultRouteTableID != "tgw-rtb-1" || !g.DNSSupport {
					t.Errorf("tgw = %+v", g)
				}
				a := mustGet(t, &n.TGWAttachments, "tgw-attach-1")
				if a.ResourceType != "vpc" || !slices.Equal(a.SubnetIDs, []string{"subnet-1", "subnet-2"}) || a.AssociatedRouteTableID != "tgw-rtb-1" || !a.ApplianceModeSupport {
					t.Errorf("attachment = %+v", a)
				}
				if p := mustGet(t, &n.TGWAttachments, "tgw-attach-2"); p.PeerTransitGatewayID != "tgw-9" {
					t.Errorf("peering attachment = %+v", p)
				}
				rt := mustGet(t, &n.TGWRouteTables, "tgw-rtb-1")
				if len(rt.Routes) != 2 || rt.Routes[0].Destination != pfx("192.168.0.0/16") || !slices.Equal(rt.Routes[0].AttachmentIDs, []string{"tgw-attach-2"}) ||
					rt.Routes[1].State != model.RouteBlackhole {
					t.Errorf("routes = %+v", rt.Routes)
				}
				if !slices.Equal(rt.PropagationIDs, []string{"tgw-attach-1"}) || !slices.Equal(rt.AssociationIDs, []string{"tgw-attach-1"}) || !rt.DefaultAssociation {
					t.Errorf("route table = %+v", rt)
				}
			},
		},
		{
			name: "transit gateway route table contents merged as search-transit-gateway-routes output",
			files: map[string]string{
				"rt.json":     `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1"}]}`,
				"routes.json": `{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [{"PrefixListId": "pl-1", "State": "active", "Type": "propagated", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1"}]}], "AdditionalRoutesAvailable": false}`,
				"assoc.json":  `{"TransitGatewayRouteTableId": "tgw-rtb-1", "Associations": [{"TransitGatewayAttachmentId": "tgw-attach-5", "ResourceType": "vpn", "State": "associated"}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				rt := mustGet(t, &n.TGWRouteTables, "tgw-rtb-1")
				if len(rt.Routes) != 1 || rt.Routes[0].DestinationPrefixListID != "pl-1" || rt.Routes[0].Type != "propagated" ||
					!slices.Equal(rt.AssociationIDs, []string{"tgw-attach-5"}) {
					t.Errorf("route table = %+v", rt)
				}
			},
		},
		{
			name: "VPN gateway, connection with static routes, customer gateway",
			files: map[string]string{"vpn.json": `{"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available", "AmazonSideAsn": 64512,
					"VpcAttachments": [{"VpcId": "vpc-1", "State": "attached"}, {"VpcId": "vpc-old", "State": "detached"}]}],
				"VpnConnections": [{"VpnConnectionId": "vpn-1", "VpnGatewayId": "vgw-1", "CustomerGatewayId": "cgw-1", "State": "available",
					"Options": {"StaticRoutesOnly": true, "TunnelOptions": [{"OutsideIpAddress": "3.1.1.1"}]},
					"Routes": [{"DestinationCidrBlock": "192.168.0.0/16", "State": "available"}], "VgwTelemetry": [{"OutsideIpAddress": "3.1.1.2"}]}],
				"CustomerGateways": [{"CustomerGatewayId": "cgw-1", "IpAddress": "203.0.113.1", "BgpAsn": "65000"}]}`},
			check: func(t *testing.T, n *model.Network) {
				if g, ok := n.VPNGatewayOf("vpc-1"); !ok || g.ASN != 64512 || len(g.VPCIDs) != 1 {
					t.Errorf("vgw = %+v", g)
				}
				c := mustGet(t, &n.VPNConnections, "vpn-1")
				if !c.StaticRoutesOnly || !slices.Equal(c.Routes, []netip.Prefix{pfx("192.168.0.0/16")}) || len(c.TunnelOutsideIPs) != 2 {
					t.Errorf("vpn = %+v", c)
				}
				if g := mustGet(t, &n.CustomerGateways, "cgw-1"); g.ASN != 65000 || g.IPAddress != addr("203.0.113.1") {
					t.Errorf("cgw = %+v", g)
				}
			},
		},
		{
			name: "Direct Connect gateway, association and virtual interface",
			files: map[string]string{
				"a.json": `{"DirectConnectGatewayAssociations": [{"DirectConnectGatewayId": "dx-1", "AssociationState": "associated",
					"AssociatedGateway": {"Id": "tgw-1", "Type": "transitGateway"}, "AllowedPrefixesToDirectConnectGateway": [{"Cidr": "10.0.0.0/8"}]}]}`,
				"b.json": `{"DirectConnectGateways": [{"DirectConnectGatewayId": "dx-1", "DirectConnectGatewayName": "dxgw", "AmazonSideAsn": 64513}],
					"VirtualInterfaces": [{"VirtualInterfaceId": "dxvif-1", "VirtualInterfaceType": "transit", "DirectConnectGatewayId": "dx-1",
						"VirtualInterfaceState": "available", "AmazonAddress": "169.254.10.1/30", "CustomerAddress": "169.254.10.2/30",
						"RouteFilterPrefixes": [{"Cidr": "10.0.0.0/8"}], "Region": "us-east-1"}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				g := mustGet(t, &n.DirectConnectGateways, "dx-1")
				if g.Name != "dxgw" || g.ASN != 64513 || !slices.Equal(g.AssociatedGatewayIDs, []string{"tgw-1"}) || len(g.AllowedPrefixes) != 1 {
					t.Errorf("dx gateway = %+v", g)
				}
				v := mustGet(t, &n.VirtualInterfaces, "dxvif-1")
				if v.InterfaceType != "transit" || v.AmazonAddress != pfx("169.254.10.1/30") || len(v.RouteFilterPrefixes) != 1 || v.Region != "us-east-1" {
					t.Errorf("vif = %+v", v)
				}
			},
		},
		{
			name: "VPC endpoints and prefix lists: gateway endpoint linked to its list, interface endpoint private DNS",
			files: map[string]string{"us-east-1/e.json": `{"VpcEndpoints": [
					{"VpcEndpointId": "vpce-g", "VpcEndpointType": "Gateway", "ServiceName": "com.amazonaws.us-east-1.s3", "VpcId": "vpc-1", "RouteTableIds": ["rtb-1"]},
					{"VpcEndpointId": "vpce-i", "VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.us-east-1.ssm", "VpcId": "vpc-1",
						"SubnetIds": ["subnet-1"], "NetworkInterfaceIds": ["eni-1"], "Groups": [{"GroupId": "sg-1"}], "PrivateDnsEnabled": true,
						"DnsEntries": [{"DnsName": "vpce-0abc-xyz.ssm.us-east-1.vpce.amazonaws.com", "HostedZoneId": "Z7HUB22UULQXV"}, {"DnsName": "SSM.us-east-1.amazonaws.com", "HostedZoneId": "Z1"}],
						"DnsOptions": {"PrivateDnsOnlyForInboundResolverEndpoint": true}}],
				"PrefixLists": [{"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.us-east-1.s3", "Cidrs": ["52.216.0.0/15", "3.5.0.0/19"]}],
				"ManagedPrefixLists": [{"PrefixListId": "pl-corp", "PrefixListName": "corp", "AddressFamily": "IPv4", "OwnerId": "111111111111"}]}`,
				"us-east-1/entries.json": `{"PrefixListId": "pl-corp", "Entries": [{"Cidr": "192.168.0.0/16", "Description": "office"}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				g := mustGet(t, &n.VPCEndpoints, "vpce-g")
				if g.PrefixListID != "pl-s3" || !slices.Equal(g.RouteTableIDs, []string{"rtb-1"}) {
					t.Errorf("gateway endpoint = %+v", g)
				}
				i := mustGet(t, &n.VPCEndpoints, "vpce-i")
				if !i.PrivateDNSEnabled.IsTrue() || i.PrivateDNSName != "ssm.us-east-1.amazonaws." && i.PrivateDNSName != "ssm.us-east-1.amazonaws.com." ||
					len(i.DNSEntries) != 2 || !i.PrivateDNSOnlyForInboundResolverEndpoint || !slices.Equal(i.SecurityGroupIDs, []string{"sg-1"}) {
					t.Errorf("interface endpoint = %+v", i)
				}
				p := mustGet(t, &n.PrefixLists, "pl-s3")
				if !p.EntriesKnown || len(p.Entries) != 2 {
					t.Errorf("pl-s3 = %+v", p)
				}
				c := mustGet(t, &n.PrefixLists, "pl-corp")
				if !c.EntriesKnown || !slices.Equal(c.Entries, []netip.Prefix{pfx("192.168.0.0/16")}) {
					t.Errorf("pl-corp = %+v", c)
				}
			},
		},
		{
			name:  "managed prefix list without entries stays unknown",
			files: map[string]string{"p.json": `{"ManagedPrefixLists": [{"PrefixListId": "pl-x", "PrefixListName": "x"}]}`},
			check: func(t *testing.T, n *model.Network) {
				if p := mustGet(t, &n.PrefixLists, "pl-x"); p.EntriesKnown {
					t.Errorf("pl-x = %+v", p)
				}
			},
		},
		{
			name: "ELBv2 load balancer, listeners and target health read in any order; classic ELB",
			files: map[string]string{
				"LoadBalancerListeners.json": `{"LoadBalancerListeners": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/net/lb/1",
					"Listeners": [{"ListenerArn": "arn:aws:elasticloadbalancing:us-east-2:111111111111:listener/net/lb/1/abc", "Port": 80, "Protocol": "TCP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:tg1"}]}]}]}`,
				"LoadBalancerTargetHealth.json": `{"LoadBalancerTargetHealth": [{"TargetGroupArn": "arn:tg1", "TargetHealthDescriptions": [
					{"Target": {"Id": "i-1", "Port": 22}, "TargetHealth": {"State": "healthy"}}]}]}`,
				"LoadBalancers.json": `{"LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/net/lb/1",
					"LoadBalancerName": "lb", "Type": "network", "Scheme": "internal", "VpcId": "vpc-1", "DNSName": "lb-1.elb.us-east-2.amazonaws.com",
					"AvailabilityZones": [{"ZoneName": "us-east-2a", "SubnetId": "subnet-1", "LoadBalancerAddresses": [{"IpAddress": "3.1.1.1", "AllocationId": "eipalloc-1"}]}]}]}`,
				"rules.json": `{"Rules": [{"RuleArn": "arn:aws:elasticloadbalancing:us-east-2:111111111111:listener-rule/net/lb/1/abc/r1", "Priority": "1",
					"Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "arn:tg2", "Weight": 1}]}}]},
					{"RuleArn": "arn:aws:elasticloadbalancing:us-east-2:111111111111:listener-rule/net/lb/1/abc/r0", "IsDefault": true, "Actions": [{"Type": "forward", "TargetGroupArn": "arn:tg1"}]}]}`,
				"tags.json":              `{"TagDescriptions": [{"ResourceArn": "arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/net/lb/1", "Tags": [{"Key": "env", "Value": "prod"}]}]}`,
				"NetworkInterfaces.json": `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-lb", "InterfaceType": "network_load_balancer", "Description": "ELB net/lb/1", "PrivateIpAddress": "10.0.1.4"}]}`,
				"TargetGroups.json": `{"TargetGroups": [{"TargetGroupArn": "arn:tg1", "TargetGroupName": "tg", "Protocol": "TCP", "Port": 22, "VpcId": "vpc-1", "TargetType": "instance"},
					{"TargetGroupArn": "arn:tg2", "TargetGroupName": "tg2", "Protocol": "HTTP", "Port": 80}]}`,
				"elb.json": `{"LoadBalancerDescriptions": [{"LoadBalancerName": "classic", "Scheme": "internet-facing", "VPCId": "vpc-1", "Subnets": ["subnet-1"],
					"SecurityGroups": ["sg-1"], "AvailabilityZones": ["us-east-2a"], "Instances": [{"InstanceId": "i-1"}],
					"ListenerDescriptions": [{"Listener": {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}}]}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				lb := mustGet(t, &n.LoadBalancers, "arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/net/lb/1")
				if lb.LBType != "network" || lb.IsInternetFacing() || len(lb.Listeners) != 1 || lb.Listeners[0].Port != 80 ||
					!slices.Equal(lb.Listeners[0].TargetGroupARNs, []string{"arn:tg1", "arn:tg2"}) || lb.Region != "us-east-2" || lb.Account != "111111111111" ||
					!slices.Equal(lb.Addresses, []netip.Addr{addr("3.1.1.1")}) || lb.Name != "lb" {
					t.Errorf("lb = %+v", lb)
				}
				tg := mustGet(t, &n.TargetGroups, "arn:tg1")
				if !tg.TargetsKnown || len(tg.Targets) != 1 || tg.Targets[0].ID != "i-1" || tg.Targets[0].Health != "healthy" {
					t.Errorf("tg = %+v", tg)
				}
				if mustGet(t, &n.TargetGroups, "arn:tg2").TargetsKnown {
					t.Error("tg2 targets should be unknown")
				}
				if e := mustGet(t, &n.NetworkInterfaces, "eni-lb"); e.OwnerKind != model.OwnerLoadBalancer || e.OwnerID != lb.ID {
					t.Errorf("load balancer interface owner = %q %q", e.OwnerKind, e.OwnerID)
				}
				if lb.Tags["env"] != "prod" {
					t.Errorf("lb tags = %v", lb.Tags)
				}
				c := mustGet(t, &n.LoadBalancers, "classic")
				if c.Type() != model.TypeLoadBalancerClassic || c.Listeners[0].InstancePort != 8080 || !slices.Equal(c.InstanceIDs, []string{"i-1"}) {
					t.Errorf("classic = %+v", c)
				}
			},
		},
		{
			name: "Client VPN endpoint, target networks, routes and authorization rules as collect writes them",
			files: map[string]string{
				"DescribeClientVpnEndpoints.json": `{"ClientVpnEndpoints": [{"ClientVpnEndpointId": "cvpn-endpoint-2", "ClientCidrBlock": "172.17.0.0/22"}]}`,
				"DescribeClientVpnTargetNetworks.json": `[{"ClientVpnEndpointId": "cvpn-endpoint-2", "ClientVpnTargetNetworks": [
					{"AssociationId": "cvpn-assoc-2", "ClientVpnEndpointId": "cvpn-endpoint-2", "TargetNetworkId": "subnet-2", "Status": {"Code": "associated"}}]}]`,
				"DescribeClientVpnRoutes.json":             `[{"ClientVpnEndpointId": "cvpn-endpoint-2", "Routes": [{"DestinationCidr": "0.0.0.0/0", "TargetSubnet": "subnet-2"}]}]`,
				"DescribeClientVpnAuthorizationRules.json": `[{"ClientVpnEndpointId": "cvpn-endpoint-2", "AuthorizationRules": []}]`,
			},
			check: func(t *testing.T, n *model.Network) {
				e := mustGet(t, &n.ClientVPNEndpoints, "cvpn-endpoint-2")
				if len(e.TargetNetworks) != 1 || len(e.Routes) != 1 || e.VPNPort != 443 || e.TransportProtocol != "udp" {
					t.Errorf("endpoint = %+v", e)
				}
				if len(n.Warnings) != 0 {
					t.Errorf("warnings = %v", n.Warnings)
				}
			},
		},
		{
			name: "Client VPN endpoint, target networks, routes and authorization rules",
			files: map[string]string{"cvpn.json": `[{"ClientVpnEndpoints": [{"ClientVpnEndpointId": "cvpn-endpoint-1", "ClientCidrBlock": "172.16.0.0/22",
					"DnsServers": ["10.0.0.2"], "SplitTunnel": true, "VpcId": "vpc-1", "SecurityGroupIds": ["sg-1"], "VpnPort": 443, "TransportProtocol": "udp",
					"Status": {"Code": "available"}}]},
				{"ClientVpnTargetNetworks": [{"AssociationId": "cvpn-assoc-1", "ClientVpnEndpointId": "cvpn-endpoint-1", "TargetNetworkId": "subnet-1", "VpcId": "vpc-1", "Status": {"Code": "associated"}}]},
				{"Routes": [{"ClientVpnEndpointId": "cvpn-endpoint-1", "DestinationCidr": "10.0.0.0/16", "TargetSubnet": "subnet-1", "Type": "Nat", "Status": {"Code": "active"}}]},
				{"AuthorizationRules": [{"ClientVpnEndpointId": "cvpn-endpoint-1", "DestinationCidr": "10.0.0.0/16", "AccessAll": true, "Status": {"Code": "active"}}]}]`},
			check: func(t *testing.T, n *model.Network) {
				e := mustGet(t, &n.ClientVPNEndpoints, "cvpn-endpoint-1")
				if e.ClientCIDR != pfx("172.16.0.0/22") || !e.SplitTunnel || len(e.DNSServers) != 1 || e.VPNPort != 443 ||
					len(e.TargetNetworks) != 1 || e.TargetNetworks[0].SubnetID != "subnet-1" || len(e.Routes) != 1 || e.Routes[0].Destination != pfx("10.0.0.0/16") ||
					len(e.AuthorizationRules) != 1 || !e.AuthorizationRules[0].AccessAll {
					t.Errorf("endpoint = %+v", e)
				}
			},
		},
		{
			name: "Route 53 hosted zones: list, and get-hosted-zone merged with record sets",
			files: map[string]string{
				"zones.json": `{"HostedZones": [{"Id": "/hostedzone/Z1", "Name": "Corp.Example.", "Config": {"PrivateZone": true}}, {"Id": "/hostedzone/Z2", "Name": "example.com."}]}`,
				"z1.json": `{"HostedZone": {"Id": "/hostedzone/Z1", "Name": "corp.example.", "Config": {"PrivateZone": true}},
					"VPCs": [{"VPCRegion": "us-east-1", "VPCId": "vpc-1"}],
					"ResourceRecordSets": [{"Name": "DB.corp.example.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "10.0.1.5"}]},
						{"Name": "\\052.corp.example", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "db.corp.example"}]},
						{"Name": "www.corp.example.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z35", "DNSName": "LB-1.elb.amazonaws.com.", "EvaluateTargetHealth": false}},
						{"Name": "w.corp.example.", "Type": "A", "SetIdentifier": "a", "Weight": 10, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.6"}]}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				z := mustGet(t, &n.HostedZones, "Z1")
				if !z.Private || z.ZoneName != "corp.example." || len(z.VPCs) != 1 || z.VPCs[0].VPCID != "vpc-1" || !z.RecordsKnown || len(z.Records) != 4 {
					t.Fatalf("zone = %+v", z)
				}
				if z.Records[0].Name != "db.corp.example." || z.Records[1].Name != "*.corp.example." || z.Records[2].Alias == nil ||
					z.Records[2].Alias.DNSName != "lb-1.elb.amazonaws.com." || z.Records[3].RoutingPolicy != "weighted" || z.Records[0].TTL != 300 {
					t.Errorf("records = %+v", z.Records)
				}
				if z2 := mustGet(t, &n.HostedZones, "Z2"); z2.Private || z2.RecordsKnown {
					t.Errorf("Z2 = %+v", z2)
				}
			},
		},
		{
			name: "Resolver endpoints with addresses, rules, associations, DNS Firewall",
			files: map[string]string{
				"r.json": `{"ResolverEndpoints": [{"Id": "rslvr-in-1", "Arn": "arn:aws:route53resolver:us-east-1:111111111111:resolver-endpoint/rslvr-in-1",
					"Direction": "INBOUND", "HostVPCId": "vpc-1", "SecurityGroupIds": ["sg-1"], "Status": "OPERATIONAL"}],
					"ResolverRules": [{"Id": "rslvr-rr-1", "DomainName": "Corp.Example", "RuleType": "FORWARD", "ResolverEndpointId": "rslvr-out-1",
						"TargetIps": [{"Ip": "192.168.0.2", "Port": 53}, {"Ip": "192.168.0.3"}], "OwnerId": "111111111111"}],
					"ResolverRuleAssociations": [{"Id": "rslvr-rrassoc-1", "ResolverRuleId": "rslvr-rr-1", "VPCId": "vpc-1", "Status": "COMPLETE"}],
					"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": "vpc-1", "Priority": 101}]}`,
				"ips.json":     `{"ResolverEndpointId": "rslvr-in-1", "IpAddresses": [{"IpId": "rni-1", "SubnetId": "subnet-1", "Ip": "10.0.1.53"}]}`,
				"rules.json":   `{"FirewallRules": [{"FirewallRuleGroupId": "rslvr-frg-1", "FirewallDomainListId": "rslvr-fdl-1", "Name": "block", "Priority": 1, "Action": "BLOCK", "BlockResponse": "NXDOMAIN"}]}`,
				"domains.json": `{"FirewallDomainListId": "rslvr-fdl-1", "Domains": ["Bad.Example"]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				e := mustGet(t, &n.ResolverEndpoints, "rslvr-in-1")
				if !e.IsInbound() || len(e.IPAddresses) != 1 || e.IPAddresses[0].IP != addr("10.0.1.53") || e.Region != "us-east-1" || e.Account != "111111111111" {
					t.Errorf("endpoint = %+v", e)
				}
				r := mustGet(t, &n.ResolverRules, "rslvr-rr-1")
				if r.DomainName != "corp.example." || len(r.TargetIPs) != 2 || r.TargetIPs[1].Port != 53 {
					t.Errorf("rule = %+v", r)
				}
				if a := mustGet(t, &n.ResolverRuleAssocs, "rslvr-rrassoc-1"); a.VPCID != "vpc-1" {
					t.Errorf("assoc = %+v", a)
				}
				if f := mustGet(t, &n.FirewallAssociations, "rslvr-frgassoc-1"); f.Priority != 101 {
					t.Errorf("firewall assoc = %+v", f)
				}
				g := mustGet(t, &n.FirewallRuleGroups, "rslvr-frg-1")
				if !g.RulesKnown || len(g.Rules) != 1 || g.Rules[0].Action != "BLOCK" {
					t.Errorf("rule group = %+v", g)
				}
				if d := mustGet(t, &n.FirewallDomainLists, "rslvr-fdl-1"); !slices.Equal(d.Domains, []string{"bad.example."}) {
					t.Errorf("domain list = %+v", d)
				}
			},
		},
		{
			name: "placebo wrappers are unwrapped; same ID twice is merged",
			files: map[string]string{
				"ec2.DescribeVpcs_1.json": `{"status_code": 200, "data": {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "ResponseMetadata": {}}}`,
				"ec2.DescribeVpcs_2.json": `{"status_code": 200, "data": {"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "123456789012", "DhcpOptionsId": "dopt-1",
					"Tags": [{"Key": "Name", "Value": "merged"}]}]}}`,
				"a.json": `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1"}, {"NetworkInterfaceId": "eni-2"}]}`,
				"b.json": `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.0.5"}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				if n.VPCs.Len() != 1 {
					t.Fatalf("%d VPCs", n.VPCs.Len())
				}
				if e := mustGet(t, &n.NetworkInterfaces, "eni-1"); len(e.Unknowns) != 0 || len(e.PrivateIPs) != 1 {
					t.Errorf("eni-1 = %+v", e)
				}
				if e := mustGet(t, &n.NetworkInterfaces, "eni-2"); len(e.Unknowns) != 1 {
					t.Errorf("eni-2 unknowns = %v", e.Unknowns)
				}
				v := mustGet(t, &n.VPCs, "vpc-1")
				if len(v.CIDRs) != 1 || v.DHCPOptionsID != "dopt-1" || v.Name != "merged" || v.Account != "123456789012" {
					t.Errorf("vpc = %+v", v)
				}
			},
		},
		{
			name: "unknown keys warn once per file; known outputs not modelled are counted",
			files: map[string]string{"x.json": `[{"Frobnicators": [1, 2]}, {"Frobnicators": []}, {"AvailabilityZones": [{"ZoneName": "us-east-1a"}, {"ZoneName": "us-east-1b"}]},
				{"NextToken": "abc", "InstanceStatuses": [{}]}]`},
			check: func(t *testing.T, n *model.Network) {
				ws := warningsWith(n, "unknown-key")
				if len(ws) != 1 || !strings.Contains(ws[0].Message, "Frobnicators") || ws[0].Origin.Line != 1 {
					t.Errorf("warnings = %v", ws)
				}
				if n.NotModelled["AWS::EC2::AvailabilityZone"] != 2 || n.NotModelled["AWS::EC2::InstanceStatus"] != 1 {
					t.Errorf("not modelled = %v", n.NotModelled)
				}
			},
		},
		{
			name: "account and region from Batfish multi-account folders; region from a file name suffix",
			files: map[string]string{
				"aws_configs/accounts/111/us-west-1/Vpcs.json": `{"Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"}]}`,
				"aws_configs/accounts/222/us-west-2/Vpcs.json": `{"Vpcs": [{"VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16"}]}`,
				"aws_configs/other/Vpcs-eu-central-1.json":     `{"Vpcs": [{"VpcId": "vpc-c", "CidrBlock": "10.2.0.0/16"}]}`,
			},
			check: func(t *testing.T, n *model.Network) {
				a, b, c := mustGet(t, &n.VPCs, "vpc-a"), mustGet(t, &n.VPCs, "vpc-b"), mustGet(t, &n.VPCs, "vpc-c")
				if a.Account != "111" || a.Region != "us-west-1" || b.Account != "222" || b.Region != "us-west-2" || c.Region != "eu-central-1" {
					t.Errorf("scopes = %+v / %+v / %+v", a.Meta, b.Meta, c.Meta)
				}
			},
		},
		{
			name: "a Batfish snapshot is read from aws_configs only",
			files: map[string]string{
				"aws_configs/Vpcs.json":   `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
				"hosts/host1.json":        `{"hostname": "host1", "hostInterfaces": {}}`,
				"batfish/isp_config.json": `{"borderInterfaces": []}`,
			},
			check: func(t *testing.T, n *model.Network) {
				if n.VPCs.Len() != 1 || len(n.Warnings) != 0 {
					t.Errorf("counts %v warnings %v", n.Counts(), n.Warnings)
				}
			},
		},
		{
			name: "region filled from the folder's other elements",
			files: map[string]string{"snap/x.json": `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012"}],
				"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "sa-east-1a"}]}`},
			check: func(t *testing.T, n *model.Network) {
				v, s := mustGet(t, &n.VPCs, "vpc-1"), mustGet(t, &n.Subnets, "subnet-1")
				if v.Region != "sa-east-1" || s.Account != "123456789012" {
					t.Errorf("vpc %+v subnet %+v", v.Meta, s.Meta)
				}
			},
		},
		{
			name: "describe-tags output tags the resources it names",
			files: map[string]string{"t.json": `{"Tags": [{"ResourceId": "vpc-1", "ResourceType": "vpc", "Key": "Name", "Value": "tagged"},
				{"ResourceId": "vol-1", "ResourceType": "volume", "Key": "Name", "Value": "disk"}]}`,
				"v.json": `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`},
			check: func(t *testing.T, n *model.Network) {
				if v := mustGet(t, &n.VPCs, "vpc-1"); v.Name != "tagged" || v.Tags["Name"] != "tagged" {
					t.Errorf("vpc = %+v", v.Meta)
				}
				if n.NotModelled["AWS::EC2::Tag"] != 1 {
					t.Errorf("not modelled = %v", n.NotModelled)
				}
			},
		},
		{
			name: "the collect manifest turns failed calls into warnings",
			files: map[string]string{"manifest.json": `{"tool": "vpcreach collect", "started": "2026-01-01T00:00:00Z", "operations": ["ec2:DescribeVpcs"],
				"accounts": [{"accountId": "123456789012", "folder": "aws_configs/123456789012", "regions": [{"region": "us-east-1",
					"collected": [{"file": "aws_configs/123456789012/us-east-1/DescribeVpcs.json", "items": 1}],
					"failed": [{"file": "DescribeVpnConnections", "operation": "ec2:DescribeVpnConnections", "code": "UnauthorizedOperation", "message": "denied"}]}]}]}`},
			check: func(t *testing.T, n *model.Network) {
				ws := warningsWith(n, "not-collected")
				if len(ws) != 1 || !strings.Contains(ws[0].Message, "123456789012/us-east-1: DescribeVpnConnections not collected: ec2:DescribeVpnConnections failed (UnauthorizedOperation)") {
					t.Errorf("warnings = %v", n.Warnings)
				}
				if len(n.Warnings) != 1 {
					t.Errorf("warnings = %v", n.Warnings)
				}
			},
		},
		{
			name: "resources printed without their list wrapper",
			files: map[string]string{
				"vpcs.json":   `[{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}]`,
				"subnet.json": `{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}`,
				"sg.json":     `{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [], "IpPermissionsEgress": []}`,
				"inst.json":   `[{"InstanceId": "i-3", "InstanceType": "t3.micro", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.3", "Placement": {"AvailabilityZone": "us-east-1a"}}]`,
				"eni.json":    `{"NetworkInterfaceId": "eni-9", "InterfaceType": "interface", "SubnetId": "subnet-1", "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0}}`,
				"res.json":    "{\"ReservationId\": \"r-1\", \"OwnerId\": \"123456789012\",\n \"Instances\": [{\"InstanceId\": \"i-1\"},\n {\"InstanceId\": \"i-2\"}]}",
			},
			check: func(t *testing.T, n *model.Network) {
				if n.VPCs.Len() != 2 || n.Subnets.Len() != 1 || n.SecurityGroups.Len() != 1 || n.Instances.Len() != 3 {
					t.Errorf("counts = %v", n.Counts())
				}
				if i := mustGet(t, &n.Instances, "i-1"); !slices.Equal(i.NetworkInterfaceIDs, []string{"eni-9"}) {
					t.Errorf("i-1 interfaces = %v", i.NetworkInterfaceIDs)
				}
				if i := mustGet(t, &n.Instances, "i-2"); i.Origin.Line != 3 || i.Account != "123456789012" {
					t.Errorf("i-2 = %+v", i.Meta)
				}
				if len(n.Warnings) != 0 {
					t.Errorf("warnings = %v", n.Warnings)
				}
			},
		},
		{
			name: "dangling merged objects warn and the run goes on",
			files: map[string]string{"x.json": `[{"VpcId": "vpc-missing", "EnableDnsSupport": {"Value": false}},
				{"TargetGroupArn": "arn:tg-missing", "TargetHealthDescriptions": []}]`},
			check: func(t *testing.T, n *model.Network) {
				if ws := warningsWith(n, "dangling-reference"); len(ws) != 2 {
					t.Errorf("warnings = %v", n.Warnings)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, _ := readFiles(t, tc.files)
			tc.check(t, n)
		})
	}
}

func mustGet[T model.Element](t *testing.T, c *model.Collection[T], id string) T {
	t.Helper()
	e, ok := c.Get(id)
	if !ok {
		t.Fatalf("%s not read", id)
	}
	return e
}

func TestReadSingleFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "vpcs.json")
	if err := os.WriteFile(p, []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	n := &model.Network{}
	if err := Read(p, n); err != nil {
		t.Fatal(err)
	}
	if n.VPCs.Len() != 1 {
		t.Errorf("%d VPCs", n.VPCs.Len())
	}
}

func TestReadBadInput(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		code     string
		line     int
		contains string
	}{
		{"truncated JSON", "{\n  \"Vpcs\": [\n    {\"VpcId\": \"vpc-1\",\n", "malformed-json", 4, "end of file"},
		{"syntax error", "{\n  \"Vpcs\": [\n    {\"VpcId\" \"vpc-1\"}\n  ]\n}\n", "malformed-json", 3, "invalid character"},
		{"empty file", "   \n", "malformed-json", 1, "empty file"},
		{"list key with a number", "{\n  \"Vpcs\": 3\n}\n", "bad-shape", 2, `"Vpcs": want an array`},
		{"element of the wrong type", "{\"Subnets\": [\n  \"subnet-1\"\n]}\n", "bad-shape", 2, "want an object"},
		{"field of the wrong type", "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\", \"CidrBlock\": 10}\n]}\n", "bad-shape", 2, "CidrBlock"},
		{"address that does not parse", "{\"Vpcs\": [\n\n  {\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/33\"}\n]}\n", "bad-value", 3, "not a CIDR block"},
		{"resource without ID", "{\"Subnets\": [{\"CidrBlock\": \"10.0.0.0/24\"}]}", "bad-shape", 1, "no SubnetId"},
		{"top-level scalar", "42", "bad-shape", 1, "want a JSON object or array"},
		{"trailing data", "{} {}", "malformed-json", 1, "after the top-level"},
		{"arrays nested without end", strings.Repeat("[", 5000) + strings.Repeat("]", 5000), "limit-exceeded", 1, "nested deeper than 100 levels"},
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
			if de.File != p || de.Line != tc.line || de.Code != tc.code || !strings.Contains(de.Error(), tc.contains) {
				t.Errorf("err = %q (file %s line %d code %s), want %s:%d %s containing %q", de.Error(), de.File, de.Line, de.Code, p, tc.line, tc.code, tc.contains)
			}
		})
	}
}

func TestReadMissingPath(t *testing.T) {
	err := Read(filepath.Join(t.TempDir(), "nope"), &model.Network{})
	var de *diag.Error
	if !errors.As(err, &de) || de.Code != "unreadable" {
		t.Errorf("err = %v", err)
	}
}

func TestReadTwiceKeepsVPCAttributes(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	b := filepath.Join(dir, "b")
	for p, content := range map[string]string{
		filepath.Join(a, "vpcs.json"): `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
		filepath.Join(a, "attr.json"): `{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}, "EnableDnsHostnames": {"Value": false}}`,
		filepath.Join(b, "vpcs.json"): `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "IsDefault": true}]}`,
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n := &model.Network{}
	if err := Read(a, n); err != nil {
		t.Fatal(err)
	}
	if err := Read(b, n); err != nil {
		t.Fatal(err)
	}
	v := mustGet(t, &n.VPCs, "vpc-1")
	if v.EnableDNSSupport != model.False || v.EnableDNSHostnames != model.False || len(v.Defaults) != 0 {
		t.Errorf("vpc = %v %v %v", v.EnableDNSSupport, v.EnableDNSHostnames, v.Defaults)
	}
}
