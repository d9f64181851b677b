// Package dnstest builds small model networks for DNS tests: the network
// of seed 003 (an interface endpoint with private DNS in two AZs, a peered
// VPC, a VPC without DNS hostnames, a private hosted zone, EC2 names).
package dnstest

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Names and addresses of the seed 003 network.
const (
	Region  = "ap-northeast-1"
	Account = "111111111111"

	AppVPC    = "vpc-0a1b2c3d4e5f60001"
	PeerVPC   = "vpc-0a1b2c3d4e5f60002"
	NoHostVPC = "vpc-0a1b2c3d4e5f60003"

	AppSubnetA = "subnet-0aaa0000000000001"
	AppSubnetC = "subnet-0ccc0000000000001"
	PeerSubnet = "subnet-0bbb0000000000001"
	NoHostSub  = "subnet-0ddd0000000000001"

	Endpoint       = "vpce-0bb20377a387ade86"
	RegionalName   = "vpce-0bb20377a387ade86-njczioek.ssm.ap-northeast-1.vpce.amazonaws.com."
	ZonalNameA     = "vpce-0bb20377a387ade86-njczioek-ap-northeast-1a.ssm.ap-northeast-1.vpce.amazonaws.com."
	ZonalNameC     = "vpce-0bb20377a387ade86-njczioek-ap-northeast-1c.ssm.ap-northeast-1.vpce.amazonaws.com."
	PrivateName    = "ssm.ap-northeast-1.amazonaws.com."
	EndpointENIA   = "eni-0e0000000000000a1"
	EndpointENIC   = "eni-0e0000000000000c1"
	EndpointIPA    = "172.20.128.22"
	EndpointIPC    = "172.20.144.169"
	NoHostEndpoint = "vpce-0ddd0000000000001"

	AppInstance  = "i-0a00000000000aaa1"
	AppENI       = "eni-0a00000000000aaa1"
	AppIP        = "172.20.130.10"
	AppPublicIP  = "203.0.113.10"
	PeerInstance = "i-0b00000000000bbb1"
	PeerENI      = "eni-0b00000000000bbb1"
	PeerIP       = "10.1.0.10"
	PeerPublicIP = "203.0.113.20"
	NoHostENI    = "eni-0d00000000000ddd1"

	Peering = "pcx-0ab0000000000001"
	Zone    = "Z0CORP0000000001"
	ZoneApp = "corp.example."
	LBName  = "internal-web-1234567890.ap-northeast-1.elb.amazonaws.com."
)

func meta(id string) model.Meta {
	return model.Meta{ID: id, Account: Account, Region: Region, Origin: model.Origin{File: "seed003"}}
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// VPC adds a VPC with both DNS attributes as given and the default DHCP set.
func VPC(n *model.Network, id, cidr string, support, hostnames bool) *model.VPC {
	v := &model.VPC{Meta: meta(id), CIDRs: []netip.Prefix{pfx(cidr)}, EnableDNSSupport: model.FlagOf(support),
		EnableDNSHostnames: model.FlagOf(hostnames), DHCPOptionsID: "default"}
	n.VPCs.Put(v)
	return v
}

// Subnet adds a subnet.
func Subnet(n *model.Network, id, vpc, cidr, az string) *model.Subnet {
	s := &model.Subnet{Meta: meta(id), VPCID: vpc, CIDR: pfx(cidr), AvailabilityZone: az}
	n.Subnets.Put(s)
	return s
}

// ENI adds a network interface with one private (and optionally public) address.
func ENI(n *model.Network, id, subnet, vpc, addr, public string, owner model.OwnerKind, ownerID string) *model.NetworkInterface {
	p := model.PrivateIP{Address: ip(addr), Primary: true}
	if public != "" {
		p.PublicIP = ip(public)
	}
	e := &model.NetworkInterface{Meta: meta(id), SubnetID: subnet, VPCID: vpc, PrivateIPs: []model.PrivateIP{p}, OwnerKind: owner, OwnerID: ownerID}
	n.NetworkInterfaces.Put(e)
	return e
}

// Instance adds an instance with one ENI.
func Instance(n *model.Network, id, eni, subnet, vpc, addr, public string) *model.Instance {
	ENI(n, eni, subnet, vpc, addr, public, model.OwnerInstance, id)
	i := &model.Instance{Meta: meta(id), SubnetID: subnet, VPCID: vpc, NetworkInterfaceIDs: []string{eni}, PrivateIP: ip(addr), HostnameType: "ip-name"}
	if public != "" {
		i.PublicIP = ip(public)
	}
	n.Instances.Put(i)
	return i
}

// Seed003 returns the finalized seed 003 network.
func Seed003() *model.Network {
	n := &model.Network{}
	VPC(n, AppVPC, "172.20.0.0/16", true, true)
	Subnet(n, AppSubnetA, AppVPC, "172.20.128.0/20", "ap-northeast-1a")
	Subnet(n, AppSubnetC, AppVPC, "172.20.144.0/20", "ap-northeast-1c")
	ENI(n, EndpointENIA, AppSubnetA, AppVPC, EndpointIPA, "", model.OwnerVPCEndpoint, Endpoint)
	ENI(n, EndpointENIC, AppSubnetC, AppVPC, EndpointIPC, "", model.OwnerVPCEndpoint, Endpoint)
	n.VPCEndpoints.Put(&model.VPCEndpoint{
		Meta: meta(Endpoint), EndpointType: "Interface", ServiceName: "com.amazonaws.ap-northeast-1.ssm", VPCID: AppVPC,
		SubnetIDs: []string{AppSubnetA, AppSubnetC}, NetworkInterfaceIDs: []string{EndpointENIA, EndpointENIC},
		PrivateDNSEnabled: model.True, PrivateDNSName: "ssm.ap-northeast-1.amazonaws.com",
		DNSEntries: []model.EndpointDNSEntry{{DNSName: RegionalName[:len(RegionalName)-1]}, {DNSName: ZonalNameA[:len(ZonalNameA)-1]}, {DNSName: ZonalNameC[:len(ZonalNameC)-1]}, {DNSName: "ssm.ap-northeast-1.amazonaws.com"}},
	})
	Instance(n, AppInstance, AppENI, AppSubnetA, AppVPC, AppIP, AppPublicIP)

	VPC(n, PeerVPC, "10.1.0.0/16", true, true)
	Subnet(n, PeerSubnet, PeerVPC, "10.1.0.0/24", "ap-northeast-1a")
	Instance(n, PeerInstance, PeerENI, PeerSubnet, PeerVPC, PeerIP, PeerPublicIP)
	n.PeeringConnections.Put(&model.PeeringConnection{Meta: meta(Peering), Status: "active",
		Requester: model.PeeringSide{VPCID: AppVPC, Region: Region, CIDRs: []netip.Prefix{pfx("172.20.0.0/16")}, AllowDNSResolutionFromRemoteVPC: true},
		Accepter:  model.PeeringSide{VPCID: PeerVPC, Region: Region, CIDRs: []netip.Prefix{pfx("10.1.0.0/16")}},
	})

	VPC(n, NoHostVPC, "172.30.0.0/16", true, false)
	Subnet(n, NoHostSub, NoHostVPC, "172.30.1.0/24", "ap-northeast-1a")
	ENI(n, NoHostENI, NoHostSub, NoHostVPC, "172.30.1.5", "", model.OwnerVPCEndpoint, NoHostEndpoint)
	n.VPCEndpoints.Put(&model.VPCEndpoint{
		Meta: meta(NoHostEndpoint), EndpointType: "Interface", ServiceName: "com.amazonaws.ap-northeast-1.ssm", VPCID: NoHostVPC,
		SubnetIDs: []string{NoHostSub}, NetworkInterfaceIDs: []string{NoHostENI}, PrivateDNSEnabled: model.True,
	})
	Instance(n, "i-0d00000000000ddd1", "eni-0d00000000000ddd2", NoHostSub, NoHostVPC, "172.30.1.10", "")

	n.LoadBalancers.Put(&model.LoadBalancer{Meta: meta("arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/app/internal-web/0123456789abcdef"),
		LBType: "application", Scheme: "internal", DNSName: LBName, VPCID: AppVPC, SubnetIDs: []string{AppSubnetA, AppSubnetC}})
	n.HostedZones.Put(&model.HostedZone{Meta: meta(Zone), ZoneName: ZoneApp, Private: true, RecordsKnown: true,
		VPCs: []model.ZoneVPC{{VPCID: AppVPC, Region: Region}, {VPCID: PeerVPC, Region: Region}},
		Records: []model.Record{
			{Name: "corp.example.", Type: "SOA", TTL: 900, Values: []string{"ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}},
			{Name: "app.corp.example.", Type: "A", TTL: 300, Values: []string{AppIP}},
			{Name: "www.corp.example.", Type: "CNAME", TTL: 300, Values: []string{"app.corp.example."}},
			{Name: "ssm-alias.corp.example.", Type: "A", Alias: &model.AliasTarget{DNSName: RegionalName}},
			{Name: "web.corp.example.", Type: "A", Alias: &model.AliasTarget{DNSName: "dualstack." + LBName}},
			{Name: "note.corp.example.", Type: "TXT", TTL: 300, Values: []string{`"v=spf1 -all"`}},
			{Name: "mail.corp.example.", Type: "MX", TTL: 300, Values: []string{"10 app.corp.example."}},
			{Name: `\052.wild.corp.example.`, Type: "A", TTL: 60, Values: []string{"172.20.130.99"}},
			{Name: "deep.sub.corp.example.", Type: "A", TTL: 60, Values: []string{"172.20.130.98"}},
			{Name: "dangling.corp.example.", Type: "CNAME", TTL: 60, Values: []string{"missing.corp.example."}},
			{Name: "loop1.corp.example.", Type: "CNAME", TTL: 60, Values: []string{"loop2.corp.example."}},
			{Name: "loop2.corp.example.", Type: "CNAME", TTL: 60, Values: []string{"loop1.corp.example."}},
		}})
	n.Finalize()
	return n
}
