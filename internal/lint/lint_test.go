package lint

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

func meta(id string) model.Meta {
	return model.Meta{ID: id, Origin: model.Origin{File: "net.json", Path: id, Line: 1}}
}

// tmeta is the metadata of a resource read from a template.
func tmeta(id string, line int) model.Meta {
	return model.Meta{ID: id, LogicalID: id, Origin: model.Origin{File: "t.yaml", Path: id, Line: line}}
}

func allowAll(egress bool, num int) model.NACLEntry {
	return model.NACLEntry{RuleNumber: num, Egress: egress, Protocol: model.ProtoAll, Action: model.NACLAllow, CIDR: pfx("0.0.0.0/0"), Ports: model.AllPorts}
}

func nacl(egress bool, num int, action model.NACLAction, proto model.Protocol, cidr string, from, to uint16) model.NACLEntry {
	return model.NACLEntry{RuleNumber: num, Egress: egress, Protocol: proto, Action: action, CIDR: pfx(cidr), Ports: model.PortRange{From: from, To: to}}
}

func sgRule(egress bool, proto model.Protocol, from, to uint16, cidr string) model.SGRule {
	return model.SGRule{Egress: egress, Protocol: proto, Ports: model.PortRange{From: from, To: to}, ICMP: model.AnyICMP,
		Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx(cidr)}}
}

var egressAll = sgRule(true, model.ProtoAll, 0, 65535, "0.0.0.0/0")

// base is a VPC 10.0.0.0/16 with an internet gateway, a public subnet
// (10.0.1.0/24, route table rtb-pub with 0.0.0.0/0 to igw-1), a private
// subnet (10.0.2.0/24, main table rtb-main: local only), the default
// allow-all network ACL, and sg-web allowing egress everywhere.
func base() *model.Network {
	n := &model.Network{}
	n.VPCs.Put(&model.VPC{Meta: meta("vpc-1"), CIDRs: []netip.Prefix{pfx("10.0.0.0/16")},
		EnableDNSSupport: model.True, EnableDNSHostnames: model.True, DHCPOptionsID: "dopt-amazon"})
	n.DHCPOptions.Put(&model.DHCPOptions{Meta: meta("dopt-amazon"), DomainNameServers: []string{"AmazonProvidedDNS"}})
	n.Subnets.Put(&model.Subnet{Meta: meta("subnet-pub"), VPCID: "vpc-1", CIDR: pfx("10.0.1.0/24")})
	n.Subnets.Put(&model.Subnet{Meta: meta("subnet-priv"), VPCID: "vpc-1", CIDR: pfx("10.0.2.0/24")})
	n.InternetGateways.Put(&model.InternetGateway{Meta: meta("igw-1"), VPCIDs: []string{"vpc-1"}})
	local := model.Route{Destination: pfx("10.0.0.0/16"), TargetKind: model.TargetLocal, TargetID: "local", State: model.RouteActive}
	n.RouteTables.Put(&model.RouteTable{Meta: meta("rtb-main"), VPCID: "vpc-1", Routes: []model.Route{local},
		Associations: []model.RouteTableAssociation{{Main: true}}})
	n.RouteTables.Put(&model.RouteTable{Meta: meta("rtb-pub"), VPCID: "vpc-1", Routes: []model.Route{local,
		{Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetInternetGateway, TargetID: "igw-1", State: model.RouteActive}},
		Associations: []model.RouteTableAssociation{{SubnetID: "subnet-pub"}}})
	n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-default"), VPCID: "vpc-1", IsDefault: true,
		Entries: []model.NACLEntry{allowAll(false, 100), allowAll(true, 100)}})
	n.SecurityGroups.Put(&model.SecurityGroup{Meta: meta("sg-web"), GroupName: "web", VPCID: "vpc-1",
		Egress: []model.SGRule{egressAll}})
	return n
}

// instance puts i-1 with eni-1 (10.0.x.10) in a subnet, with the groups given.
func instance(n *model.Network, subnet string, public string, sgs ...string) {
	addr := "10.0.2.10"
	if subnet == "subnet-pub" {
		addr = "10.0.1.10"
	}
	p := model.PrivateIP{Address: ip(addr), Primary: true}
	if public != "" {
		p.PublicIP = ip(public)
	}
	n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-1"), SubnetID: subnet, VPCID: "vpc-1",
		PrivateIPs: []model.PrivateIP{p}, SecurityGroupIDs: sgs, OwnerKind: model.OwnerInstance, OwnerID: "i-1"})
	n.Instances.Put(&model.Instance{Meta: meta("i-1"), SubnetID: subnet, VPCID: "vpc-1", NetworkInterfaceIDs: []string{"eni-1"},
		SecurityGroupIDs: sgs})
}

func sg(n *model.Network, g *model.SecurityGroup) {
	if g.VPCID == "" {
		g.VPCID = "vpc-1"
	}
	n.SecurityGroups.Put(g)
}

type ruleCase struct {
	name  string
	build func(n *model.Network)
	// want is how many findings of the rule are expected, and what their
	// messages contain.
	want     int
	contains []string
}

func runRule(t *testing.T, rule string, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := base()
			c.build(n)
			n.Finalize()
			res := Run(n)
			var got []Finding
			for _, f := range res.Findings {
				if f.Rule.ID == rule {
					got = append(got, f)
				}
			}
			if len(got) != c.want {
				t.Fatalf("%s: got %d findings, want %d: %v", rule, len(got), c.want, got)
			}
			for _, s := range c.contains {
				found := false
				for _, f := range got {
					if strings.Contains(f.Message, s) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s message contains %q: %v", rule, s, got)
				}
			}
		})
	}
}

func TestRegistryIsComplete(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
	seen := map[string]bool{}
	for _, r := range Rules() {
		if !kebab.MatchString(r.ID) {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule ID %q registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Explanation == "" || r.Fix == "" {
			t.Errorf("%s: title, explanation and fix are required", r.ID)
		}
		if !strings.HasPrefix(r.DocURL, "https://docs.aws.amazon.com/") && !strings.HasPrefix(r.DocURL, "https://repost.aws/") {
			t.Errorf("%s: doc URL %q is not AWS documentation", r.ID, r.DocURL)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []Severity{Info, Low, Medium, High} {
		got, err := ParseSeverity(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSeverity("critical"); err == nil {
		t.Error("ParseSeverity(critical): want an error")
	}
}

func TestCleanNetworkHasNoFindings(t *testing.T) {
	n := base()
	n.Finalize()
	if res := Run(n); len(res.Findings) != 0 {
		t.Fatalf("findings on a clean network: %v", res.Findings)
	}
}

func TestImplicitAllowAllEgressOnTemplateGroups(t *testing.T) {
	def := egressAll
	def.Default = true
	runRule(t, RuleSGImplicitEgress, []ruleCase{
		{"template group without egress gets a finding", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("AppSG", 12), Egress: []model.SGRule{def}})
		}, 1, []string{"AppSG lists no SecurityGroupEgress", "all traffic to 0.0.0.0/0"}},
		{"snapshot group with the same rule is what the account states", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{def}})
		}, 0, nil},
		{"template group with explicit egress", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("AppSG", 12), Egress: []model.SGRule{sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
		}, 0, nil},
		{"the VPC's own default group is AWS's", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("VPCDefaultSG", 3), GroupName: "default", Egress: []model.SGRule{def}})
		}, 0, nil},
	})
}

func TestTerraformGroupWithoutEgressSendsNothing(t *testing.T) {
	tf := func(id string) model.Meta {
		m := meta(id)
		m.Defaults = []string{"no allow-all egress: Terraform removes the rule AWS adds to a new group"}
		return m
	}
	runRule(t, RuleSGNoEgressTerraform, []ruleCase{
		{"a Terraform group without egress", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tf("aws_security_group.app")})
		}, 1, []string{"states no egress and Terraform removes the allow-all egress"}},
		{"a Terraform group with egress", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tf("aws_security_group.app"), Egress: []model.SGRule{egressAll}})
		}, 0, nil},
		{"a snapshot group without egress is what the account states", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2")})
		}, 0, nil},
	})
}

func TestLoopbackEgressOnlySuppressesDefault(t *testing.T) {
	lo := sgRule(true, model.ProtoAll, 0, 65535, "127.0.0.1/32")
	lo.Origin = model.Origin{File: "t.yaml", Line: 20}
	runRule(t, RuleSGLoopbackEgress, []ruleCase{
		{"only a 127.0.0.1/32 rule", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("NoEgressSG", 15), Egress: []model.SGRule{lo}})
		}, 1, []string{"127.0.0.1/32", "still reach the Amazon DNS server"}},
		{"loopback group next to an allow-all group on one interface", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("NoEgressSG", 15), Egress: []model.SGRule{lo}})
			instance(n, "subnet-priv", "", "NoEgressSG", "sg-web")
		}, 1, []string{"eni-1 also carries sg-web, which allows all traffic to 0.0.0.0/0"}},
		{"loopback group whose VPC is a parameter", func(n *model.Network) {
			g := &model.SecurityGroup{Meta: tmeta("NoEgressSG", 15), Egress: []model.SGRule{lo}}
			g.AddUnknown("VpcId", "parameter VpcId has no value")
			sg(n, g)
		}, 1, nil},
		{"loopback group with egress the sources could not read", func(n *model.Network) {
			g := &model.SecurityGroup{Meta: tmeta("NoEgressSG", 15), Egress: []model.SGRule{lo}}
			g.AddUnknown("SecurityGroupEgress", "condition unknown")
			sg(n, g)
		}, 0, nil},
		{"loopback next to a real rule", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("NoEgressSG", 15), Egress: []model.SGRule{lo, sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
		}, 0, nil},
	})
}

func TestStandaloneEgressReplacesDefault(t *testing.T) {
	sa := sgRule(true, model.ProtoTCP, 443, 443, "10.0.0.0/8")
	sa.Origin = model.Origin{File: "t.yaml", Path: "AppSGEgress", Line: 40}
	inline := sa
	inline.Origin = model.Origin{File: "t.yaml", Path: "AppSG", Line: 14}
	runRule(t, RuleSGStandaloneEgress, []ruleCase{
		{"egress only from a standalone resource", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("AppSG", 12), Egress: []model.SGRule{sa}})
		}, 1, []string{"tcp/443 to 10.0.0.0/8 (AppSGEgress)"}},
		{"inline egress", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("AppSG", 12), Egress: []model.SGRule{inline, sa}})
		}, 0, nil},
	})
}

func TestPortsIgnoredOnAllProtocolRules(t *testing.T) {
	r := sgRule(false, model.ProtoAll, 0, 65535, "10.0.0.0/8")
	r.PortsIgnored = true
	runRule(t, RuleSGPortsIgnored, []ruleCase{
		{"-1 with ports", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: tmeta("AppSG", 12), Ingress: []model.SGRule{r}, Egress: []model.SGRule{egressAll}})
		}, 1, []string{"protocol -1 (all)", "every port"}},
		{"-1 without ports", func(n *model.Network) {
			r := r
			r.PortsIgnored = false
			sg(n, &model.SecurityGroup{Meta: tmeta("AppSG", 12), Ingress: []model.SGRule{r}, Egress: []model.SGRule{egressAll}})
		}, 0, nil},
	})
}

func TestAdminPortsOpenToTheWorld(t *testing.T) {
	with := func(rules ...model.SGRule) func(n *model.Network) {
		return func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Ingress: rules, Egress: []model.SGRule{egressAll}})
		}
	}
	runRule(t, RuleSGAdminPortOpen, []ruleCase{
		{"ssh from 0.0.0.0/0", with(sgRule(false, model.ProtoTCP, 22, 22, "0.0.0.0/0")), 1, []string{"22/SSH from 0.0.0.0/0"}},
		{"rdp from ::/0", with(sgRule(false, model.ProtoTCP, 3389, 3389, "::/0")), 1, []string{"3389/RDP from ::/0"}},
		{"a range covering databases", with(sgRule(false, model.ProtoTCP, 3000, 6000, "0.0.0.0/0")), 1, []string{"3306/MySQL", "5432/PostgreSQL"}},
		{"all traffic", with(sgRule(false, model.ProtoAll, 0, 65535, "0.0.0.0/0")), 1, []string{"all traffic, including 22/SSH"}},
		{"https is meant to be public", with(sgRule(false, model.ProtoTCP, 443, 443, "0.0.0.0/0")), 0, nil},
		{"ssh from a private range", with(sgRule(false, model.ProtoTCP, 22, 22, "10.0.0.0/8")), 0, nil},
		{"udp 22 is not ssh", with(sgRule(false, model.ProtoUDP, 22, 22, "0.0.0.0/0")), 0, nil},
		{"ssh from an unknown parameter", with(model.SGRule{Protocol: model.ProtoTCP, Ports: model.PortRange{From: 22, To: 22},
			Peer: model.UnknownPeer("parameter SSHLocation has no value")}), 1, []string{"SSHLocation", "if it is 0.0.0.0/0"}},
	})
}

func TestOpenGroupOnInstanceTheInternetCannotReach(t *testing.T) {
	open := func(n *model.Network) {
		sg(n, &model.SecurityGroup{Meta: meta("sg-ssh"), Ingress: []model.SGRule{sgRule(false, model.ProtoTCP, 22, 22, "0.0.0.0/0")}, Egress: []model.SGRule{egressAll}})
	}
	runRule(t, RuleSGOpenNotExposed, []ruleCase{
		{"private subnet without public address (seed 004)", func(n *model.Network) {
			open(n)
			instance(n, "subnet-priv", "", "sg-ssh")
		}, 1, []string{"sg-ssh allows tcp/22 from 0.0.0.0/0", "private subnet subnet-priv, no route to an internet gateway in rtb-main"}},
		{"public subnet with a public address is exposed", func(n *model.Network) {
			open(n)
			instance(n, "subnet-pub", "54.1.2.3", "sg-ssh")
		}, 0, nil},
		{"public subnet without a public address", func(n *model.Network) {
			open(n)
			instance(n, "subnet-pub", "", "sg-ssh")
		}, 1, []string{"no public IPv4 address on eni-1"}},
		{"behind a load balancer", func(n *model.Network) {
			open(n)
			instance(n, "subnet-priv", "", "sg-ssh")
			n.TargetGroups.Put(&model.TargetGroup{Meta: meta("tg-1"), VPCID: "vpc-1", TargetsKnown: true, Targets: []model.Target{{ID: "i-1"}}})
		}, 0, nil},
		{"behind a load balancer by address", func(n *model.Network) {
			open(n)
			instance(n, "subnet-priv", "", "sg-ssh")
			n.TargetGroups.Put(&model.TargetGroup{Meta: meta("tg-1"), VPCID: "vpc-1", TargetType: "ip", TargetsKnown: true, Targets: []model.Target{{ID: "10.0.2.10"}}})
		}, 0, nil},
		{"a route the sources cannot fix, but no public address", func(n *model.Network) {
			open(n)
			instance(n, "subnet-priv", "", "sg-ssh")
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "parameter", TargetKind: model.TargetUnknown, State: model.RouteActive})
		}, 1, []string{"IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"}},
		{"a public address and a route the sources cannot fix", func(n *model.Network) {
			open(n)
			instance(n, "subnet-priv", "54.1.2.3", "sg-ssh")
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "parameter", TargetKind: model.TargetUnknown, State: model.RouteActive})
		}, 0, nil},
		{"an interface whose public address is unknown with its private one", func(n *model.Network) {
			open(n)
			instance(n, "subnet-pub", "", "sg-ssh")
			eni, _ := n.NetworkInterfaces.Get("eni-1")
			eni.PrivateIPs = nil
			eni.AddUnknown("PrivateIpAddress", "picked by AWS")
			eni.AddUnknown("PublicIp", "subnet subnet-pub maps a public IP on launch")
		}, 0, nil},
		{"a public address the template cannot fix", func(n *model.Network) {
			open(n)
			instance(n, "subnet-pub", "", "sg-ssh")
			eni, _ := n.NetworkInterfaces.Get("eni-1")
			eni.PrivateIPs[0].PublicUnknown = "AssociatePublicIpAddress from a parameter without value"
		}, 0, nil},
		{"no internet route and a network ACL closed to the internet: the engine's evidence", func(n *model.Network) {
			open(n)
			instance(n, "subnet-priv", "54.1.2.3", "sg-ssh")
			n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-closed"), VPCID: "vpc-1", SubnetIDs: []string{"subnet-priv"}, Entries: []model.NACLEntry{
				nacl(false, 100, model.NACLAllow, model.ProtoAll, "10.0.0.0/8", 0, 65535), allowAll(true, 100)}})
		}, 1, []string{"private subnet subnet-priv", "stopped at acl-closed (SUBNET_ACL_RESTRICTION)"}},
		{"public address routed to the gateway is left to the exposure command", func(n *model.Network) {
			open(n)
			instance(n, "subnet-pub", "54.1.2.3", "sg-ssh")
			n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-closed"), VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"}, Entries: []model.NACLEntry{
				nacl(false, 100, model.NACLAllow, model.ProtoAll, "10.0.0.0/8", 0, 65535), allowAll(true, 100)}})
		}, 0, nil},
		{"group not open to the world", func(n *model.Network) {
			instance(n, "subnet-priv", "", "sg-web")
		}, 0, nil},
	})
}

func TestEgressThatCannotBlockAmazonDNS(t *testing.T) {
	https := sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")
	runRule(t, RuleSGCannotBlockDNS, []ruleCase{
		{"https-only egress", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{https}})
		}, 1, []string{"10.0.0.2", "through AmazonProvidedDNS", "DNS Firewall"}},
		{"VPC using custom DNS servers, which the group does stop", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{https}})
			n.DHCPOptions.Put(&model.DHCPOptions{Meta: meta("dopt-1"), DomainNameServers: []string{"10.0.2.53"}})
			v, _ := n.VPCs.Get("vpc-1")
			v.DHCPOptionsID = "dopt-1"
		}, 0, nil},
		{"no DHCP options in a snapshot (describe-vpcs says default)", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{https}})
			v, _ := n.VPCs.Get("vpc-1")
			v.DHCPOptionsID = model.DHCPOptionsNone
		}, 1, []string{"members can still query it;"}},
		{"DHCP options not in the sources", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{https}})
			v, _ := n.VPCs.Get("vpc-1")
			v.DHCPOptionsID = "dopt-elsewhere"
		}, 1, []string{"members can still query it;"}},
		{"no egress at all", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2")})
		}, 1, nil},
		{"udp 53 to the VPC", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{https, sgRule(true, model.ProtoUDP, 53, 53, "10.0.0.0/16")}})
		}, 0, nil},
		{"loopback-only groups are explained by their own rule", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{sgRule(true, model.ProtoAll, 0, 0, "127.0.0.1/32")}})
		}, 0, nil},
		{"VPC filtered by DNS Firewall", func(n *model.Network) {
			sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{https}})
			n.FirewallAssociations.Put(&model.FirewallRuleGroupAssociation{Meta: meta("rslvr-frgassoc-1"), VPCID: "vpc-1", FirewallRuleGroupID: "rslvr-frg-1"})
		}, 0, nil},
	})
}

func TestPublicAddressWithoutInternetRoute(t *testing.T) {
	runRule(t, RulePublicIPNoIGW, []ruleCase{
		{"subnet maps public addresses but routes only locally", func(n *model.Network) {
			s, _ := n.Subnets.Get("subnet-priv")
			s.MapPublicIPOnLaunch = model.True
		}, 1, []string{"subnet-priv maps a public IPv4 address", "rtb-main has no route to an internet gateway"}},
		{"public subnet", func(n *model.Network) {
			s, _ := n.Subnets.Get("subnet-pub")
			s.MapPublicIPOnLaunch = model.True
		}, 0, nil},
		{"elastic IP on an interface of a private subnet", func(n *model.Network) {
			instance(n, "subnet-priv", "3.3.3.3", "sg-web")
		}, 1, []string{"eni-1 (instance i-1) holds public address 3.3.3.3"}},
		{"route table with routes the sources could not read", func(n *model.Network) {
			s, _ := n.Subnets.Get("subnet-priv")
			s.MapPublicIPOnLaunch = model.True
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.AddUnknown("Routes", "a route's destination is unknown")
		}, 0, nil},
		{"VPC without an internet gateway", func(n *model.Network) {
			n.InternetGateways.Delete("igw-1")
			s, _ := n.Subnets.Get("subnet-priv")
			s.MapPublicIPOnLaunch = model.True
		}, 1, []string{"VPC vpc-1 has no internet gateway"}},
	})
}

func TestNetworkACLWithoutReturnPath(t *testing.T) {
	with := func(entries ...model.NACLEntry) func(n *model.Network) {
		return func(n *model.Network) {
			n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-web"), VPCID: "vpc-1", Entries: entries, SubnetIDs: []string{"subnet-pub"}})
		}
	}
	in443 := nacl(false, 100, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 443, 443)
	out443 := nacl(true, 100, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 443, 443)
	outEph := nacl(true, 110, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 1024, 65535)
	inEph := nacl(false, 110, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 1024, 65535)
	runRule(t, RuleNACLNoReturn, []ruleCase{
		{"443 both ways, no ephemeral rules", with(in443, out443), 2, []string{
			"rule 100 allows inbound tcp/443 from 0.0.0.0/0, but no outbound rule",
			"rule 100 allows outbound tcp/443 to 0.0.0.0/0, but no inbound rule",
			"subnets subnet-pub"}},
		{"return rules both ways", with(in443, out443, outEph, inEph), 0, nil},
		{"entries the sources could not read", func(n *model.Network) {
			with(in443, out443)(n)
			acl, _ := n.NetworkACLs.Get("acl-web")
			acl.AddUnknown("Entries", "an entry's CIDR is unknown")
		}, 0, nil},
		{"return rule for inbound only", with(in443, out443, outEph), 1, []string{"allows outbound tcp/443"}},
		{"an earlier deny shadows the return rule", with(in443, nacl(true, 90, model.NACLDeny, model.ProtoAll, "0.0.0.0/0", 0, 65535), outEph), 1, nil},
		{"return allowed for part of the peers is enough", with(in443,
			nacl(true, 90, model.NACLDeny, model.ProtoTCP, "0.0.0.0/1", 1024, 65535), outEph), 0, nil},
		{"an all-ports allow may be the return rule itself", with(nacl(false, 100, model.NACLAllow, model.ProtoUDP, "10.0.0.0/16", 0, 65535)), 0, nil},
		{"return on Linux's ephemeral range is enough", with(in443, nacl(true, 110, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 32768, 60999)), 0, nil},
		{"unknown CIDR may allow the return", with(in443, model.NACLEntry{RuleNumber: 110, Egress: true, Protocol: model.ProtoTCP,
			Action: model.NACLAllow, CIDRUnknown: "parameter", Ports: model.Ephemeral}), 0, nil},
		{"udp service with udp return denied", with(nacl(false, 100, model.NACLAllow, model.ProtoUDP, "10.0.0.0/8", 53, 53),
			nacl(true, 100, model.NACLAllow, model.ProtoTCP, "10.0.0.0/8", 1024, 65535)), 1, []string{"inbound udp/53 from 10.0.0.0/8"}},
	})
}

func TestPrivateDNSNeedsVPCDNSAttributes(t *testing.T) {
	hostnamesOff := func(n *model.Network) {
		v, _ := n.VPCs.Get("vpc-1")
		v.EnableDNSHostnames = model.False
	}
	endpoint := func(n *model.Network) {
		n.VPCEndpoints.Put(&model.VPCEndpoint{Meta: meta("vpce-1"), EndpointType: "Interface", ServiceName: "com.amazonaws.us-east-1.ssm",
			VPCID: "vpc-1", PrivateDNSEnabled: model.True, PrivateDNSName: "ssm.us-east-1.amazonaws.com"})
	}
	zone := func(n *model.Network) {
		n.HostedZones.Put(&model.HostedZone{Meta: meta("Z1"), ZoneName: "corp.internal.", Private: true, VPCs: []model.ZoneVPC{{VPCID: "vpc-1"}}})
	}
	runRule(t, RuleDNSAttributesOff, []ruleCase{
		{"endpoint private DNS with hostnames off", func(n *model.Network) { hostnamesOff(n); endpoint(n) }, 1,
			[]string{"ssm.us-east-1.amazonaws.com", "enableDnsHostnames of vpc-1 is false"}},
		{"private zone with hostnames off", func(n *model.Network) { hostnamesOff(n); zone(n) }, 1, []string{"corp.internal."}},
		{"both attributes on", func(n *model.Network) { endpoint(n); zone(n) }, 0, nil},
		{"unknown attribute is not reported", func(n *model.Network) {
			v, _ := n.VPCs.Get("vpc-1")
			v.EnableDNSHostnames = model.UnknownFlag
			endpoint(n)
		}, 0, nil},
	})
}

func TestCustomDHCPDNSServerReachability(t *testing.T) {
	custom := func(server string) func(n *model.Network) {
		return func(n *model.Network) {
			n.DHCPOptions.Put(&model.DHCPOptions{Meta: meta("dopt-1"), DomainNameServers: []string{server}})
			v, _ := n.VPCs.Get("vpc-1")
			v.DHCPOptionsID = "dopt-1"
		}
	}
	runRule(t, RuleDHCPDNSUnreachable, []ruleCase{
		{"on-premises server without a route", custom("192.168.10.10"), 1,
			[]string{"192.168.10.10", "subnet-priv (rtb-main stops it", "NO_ROUTE_TO_DESTINATION", "subnet-pub (igw-1 stops it", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}},
		{"on-premises server behind a VPN gateway", func(n *model.Network) {
			custom("192.168.10.10")(n)
			for _, id := range []string{"rtb-main", "rtb-pub"} {
				rt, _ := n.RouteTables.Get(id)
				rt.Routes = append(rt.Routes, model.Route{Destination: pfx("192.168.0.0/16"), TargetKind: model.TargetVPNGateway, TargetID: "vgw-1", State: model.RouteActive})
			}
		}, 0, nil},
		{"blackhole route", func(n *model.Network) {
			custom("192.168.10.10")(n)
			for _, id := range []string{"rtb-main", "rtb-pub"} {
				rt, _ := n.RouteTables.Get(id)
				rt.Routes = append(rt.Routes, model.Route{Destination: pfx("192.168.0.0/16"), TargetKind: model.TargetTransitGateway, TargetID: "tgw-1", State: model.RouteBlackhole})
			}
		}, 1, []string{"subnet-priv (rtb-main stops it", "BAD_STATE_ROUTE"}},
		{"server in the VPC behind a network ACL denying DNS", func(n *model.Network) {
			custom("10.0.2.53")(n)
			n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-pub"), VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"}, Entries: []model.NACLEntry{
				nacl(true, 100, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 443, 443), allowAll(false, 100)}})
		}, 1, []string{"subnet-pub (acl-pub stops it", "SUBNET_ACL_RESTRICTION"}},
		{"AmazonProvidedDNS", custom("AmazonProvidedDNS"), 0, nil},
		{"an instance whose group allows no DNS out", func(n *model.Network) {
			custom("10.0.2.53")(n)
			n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-dns"), SubnetID: "subnet-priv", VPCID: "vpc-1",
				PrivateIPs: []model.PrivateIP{{Address: ip("10.0.2.53"), Primary: true}}, SecurityGroupIDs: []string{"sg-dns"}, OwnerKind: model.OwnerInstance, OwnerID: "i-dns"})
			sg(n, &model.SecurityGroup{Meta: meta("sg-dns"), Ingress: []model.SGRule{sgRule(false, model.ProtoUDP, 53, 53, "10.0.0.0/16"), sgRule(false, model.ProtoTCP, 53, 53, "10.0.0.0/16")},
				Egress: []model.SGRule{egressAll}})
			sg(n, &model.SecurityGroup{Meta: meta("sg-https"), Egress: []model.SGRule{sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
			instance(n, "subnet-pub", "", "sg-https")
		}, 1, []string{"subnet-pub (from eni-1: ", "ENI_SG_RULES_MISMATCH"}},
		{"an instance that may query", func(n *model.Network) {
			custom("10.0.2.53")(n)
			n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-dns"), SubnetID: "subnet-priv", VPCID: "vpc-1",
				PrivateIPs: []model.PrivateIP{{Address: ip("10.0.2.53"), Primary: true}}, SecurityGroupIDs: []string{"sg-dns"}, OwnerKind: model.OwnerInstance, OwnerID: "i-dns"})
			sg(n, &model.SecurityGroup{Meta: meta("sg-dns"), Ingress: []model.SGRule{sgRule(false, model.ProtoUDP, 53, 53, "10.0.0.0/16")},
				Egress: []model.SGRule{egressAll}})
			instance(n, "subnet-pub", "", "sg-web")
		}, 0, nil},
	})
}

func clientVPN(n *model.Network, e *model.ClientVPNEndpoint) {
	e.Meta = meta("cvpn-endpoint-1")
	e.ClientCIDR = pfx("172.16.0.0/22")
	e.VPCID = "vpc-1"
	e.TargetNetworks = []model.ClientVPNTargetNetwork{{SubnetID: "subnet-priv", VPCID: "vpc-1"}}
	e.Routes = append(e.Routes, model.ClientVPNRoute{Destination: pfx("10.0.0.0/16"), TargetSubnet: "subnet-priv"})
	e.AuthorizationRules = append(e.AuthorizationRules, model.ClientVPNAuthorizationRule{Destination: pfx("10.0.0.0/16"), AccessAll: true})
	n.ClientVPNEndpoints.Put(e)
}

func hubVPC(n *model.Network) {
	n.VPCs.Put(&model.VPC{Meta: meta("vpc-hub"), CIDRs: []netip.Prefix{pfx("10.10.0.0/16")}, EnableDNSSupport: model.True, EnableDNSHostnames: model.True})
	n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: meta("rslvr-in-1"), Direction: "INBOUND", VPCID: "vpc-hub",
		IPAddresses: []model.ResolverEndpointIP{{IP: ip("10.10.1.228"), SubnetID: "subnet-hub-a"}, {IP: ip("10.10.0.43"), SubnetID: "subnet-hub-b"}}})
}

// dnsServer puts a DNS server at 10.0.2.53 (eni-dns in subnet-priv) whose
// group lets queries in from the VPC.
func dnsServer(n *model.Network) {
	n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-dns"), SubnetID: "subnet-priv", VPCID: "vpc-1",
		PrivateIPs: []model.PrivateIP{{Address: ip("10.0.2.53"), Primary: true}}, SecurityGroupIDs: []string{"sg-dns"}, OwnerKind: model.OwnerInstance, OwnerID: "i-dns"})
	sg(n, &model.SecurityGroup{Meta: meta("sg-dns"), Ingress: []model.SGRule{sgRule(false, model.ProtoUDP, 53, 53, "10.0.0.0/16"), sgRule(false, model.ProtoTCP, 53, 53, "10.0.0.0/16")},
		Egress: []model.SGRule{egressAll}})
}

func TestClientVPNDNSServerCoverage(t *testing.T) {
	runRule(t, RuleClientVPNDNSNotCovered, []ruleCase{
		{"split tunnel, resolver in a VPC without a route (seed 001 scenario 2 gone wrong)", func(n *model.Network) {
			hubVPC(n)
			clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.10.1.228"), ip("10.10.0.43")}})
		}, 2, []string{"10.10.1.228, but no Client VPN route covers it, so with split tunnel the queries leave on the client's own network, and no authorization rule covers it"}},

		{"VPC resolver is covered by the association's local route", func(n *model.Network) {
			e := &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.0.0.2")}}
			clientVPN(n, e)
			e.Routes = nil
		}, 0, nil},
		{"routed and authorized, but the target subnet has no route onward (seed 001 scenario 2 without the transit gateway route)", func(n *model.Network) {
			hubVPC(n)
			clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.10.1.228")},
				Routes:             []model.ClientVPNRoute{{Destination: pfx("10.10.0.0/16"), TargetSubnet: "subnet-priv"}},
				AuthorizationRules: []model.ClientVPNAuthorizationRule{{Destination: pfx("10.10.0.0/16"), AccessAll: true}}})
		}, 1, []string{"target subnet subnet-priv has no route to it in rtb-main"}},
		{"routed onward through a transit gateway", func(n *model.Network) {
			hubVPC(n)
			clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.10.1.228")},
				Routes:             []model.ClientVPNRoute{{Destination: pfx("10.10.0.0/16"), TargetSubnet: "subnet-priv"}},
				AuthorizationRules: []model.ClientVPNAuthorizationRule{{Destination: pfx("10.10.0.0/16"), AccessAll: true}}})
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{Destination: pfx("10.10.0.0/16"), TargetKind: model.TargetTransitGateway, TargetID: "tgw-1", State: model.RouteActive})
		}, 0, nil},
		{"routed and authorized, but the endpoint's group allows no DNS out", func(n *model.Network) {
			hubVPC(n)
			dnsServer(n)
			sg(n, &model.SecurityGroup{Meta: meta("sg-cvpn"), Egress: []model.SGRule{sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
			clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.0.2.53")}, SecurityGroupIDs: []string{"sg-cvpn"}})
			n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-cvpn"), SubnetID: "subnet-priv", VPCID: "vpc-1",
				PrivateIPs: []model.PrivateIP{{Address: ip("10.0.2.100"), Primary: true}}, SecurityGroupIDs: []string{"sg-cvpn"},
				OwnerKind: model.OwnerClientVPN, OwnerID: "cvpn-endpoint-1", InterfaceType: "interface"})
		}, 1, []string{"sg-cvpn stops the queries"}},
		{"routed and authorized, an endpoint group allowing all egress, through a transit gateway the sources do not hold", func(n *model.Network) {
			hubVPC(n)
			clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.10.1.228")}, SecurityGroupIDs: []string{"sg-web"},
				Routes:             []model.ClientVPNRoute{{Destination: pfx("10.10.0.0/16"), TargetSubnet: "subnet-priv"}},
				AuthorizationRules: []model.ClientVPNAuthorizationRule{{Destination: pfx("10.10.0.0/16"), AccessAll: true}}})
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{Destination: pfx("10.10.0.0/16"), TargetKind: model.TargetTransitGateway, TargetID: "tgw-1", State: model.RouteActive})
		}, 0, nil},
		{"routed but not authorized", func(n *model.Network) {
			hubVPC(n)
			clientVPN(n, &model.ClientVPNEndpoint{DNSServers: []netip.Addr{ip("10.10.1.228")},
				Routes: []model.ClientVPNRoute{{Destination: pfx("10.10.0.0/16"), TargetSubnet: "subnet-priv"}}})
		}, 1, []string{"but no authorization rule covers it"}},
	})
}

func TestClientVPNFullTunnelWithoutInternet(t *testing.T) {
	internet := func(n *model.Network, e *model.ClientVPNEndpoint) {
		e.Routes = append(e.Routes, model.ClientVPNRoute{Destination: pfx("0.0.0.0/0"), TargetSubnet: "subnet-pub"})
		e.AuthorizationRules = append(e.AuthorizationRules, model.ClientVPNAuthorizationRule{Destination: pfx("0.0.0.0/0"), AccessAll: true})
	}
	runRule(t, RuleClientVPNFullTunnelDNS, []ruleCase{
		{"no DNS servers and no internet route (seed 001 scenario 1 example 2)", func(n *model.Network) {
			clientVPN(n, &model.ClientVPNEndpoint{})
		}, 1, []string{"pushes no DNS servers", "no Client VPN route covers public addresses"}},
		{"internet through the public subnet", func(n *model.Network) {
			e := &model.ClientVPNEndpoint{}
			internet(n, e)
			clientVPN(n, e)
		}, 0, nil},
		{"0.0.0.0/0 route into a private subnet", func(n *model.Network) {
			e := &model.ClientVPNEndpoint{}
			internet(n, e)
			e.Routes[0].TargetSubnet = "subnet-priv"
			clientVPN(n, e)
		}, 1, []string{"target subnet subnet-priv has no 0.0.0.0/0 route to an internet or NAT gateway in rtb-main"}},
		{"pushes a public resolver", func(n *model.Network) {
			clientVPN(n, &model.ClientVPNEndpoint{DNSServers: []netip.Addr{ip("8.8.8.8")}})
		}, 1, []string{"pushes the public DNS server 8.8.8.8"}},
		{"pushes the VPC resolver", func(n *model.Network) {
			clientVPN(n, &model.ClientVPNEndpoint{DNSServers: []netip.Addr{ip("10.0.0.2")}})
		}, 0, nil},
		{"split tunnel keeps the device's resolver outside", func(n *model.Network) {
			clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true})
		}, 0, nil},
	})
}

func TestClientVPNPrivateZoneInTheWrongVPC(t *testing.T) {
	zone := func(n *model.Network, vpcs ...string) {
		z := &model.HostedZone{Meta: meta("Z1"), ZoneName: "example.local.", Private: true}
		for _, v := range vpcs {
			z.VPCs = append(z.VPCs, model.ZoneVPC{VPCID: v})
		}
		n.HostedZones.Put(z)
	}
	endpoint := func(n *model.Network) {
		hubVPC(n)
		clientVPN(n, &model.ClientVPNEndpoint{SplitTunnel: true, DNSServers: []netip.Addr{ip("10.10.1.228")},
			Routes:             []model.ClientVPNRoute{{Destination: pfx("10.10.0.0/16"), TargetSubnet: "subnet-priv"}},
			AuthorizationRules: []model.ClientVPNAuthorizationRule{{Destination: pfx("10.10.0.0/16"), AccessAll: true}}})
	}
	runRule(t, RuleClientVPNZoneElsewhere, []ruleCase{
		{"zone only on the Client VPN VPC", func(n *model.Network) { endpoint(n); zone(n, "vpc-1") }, 1,
			[]string{"example.local.", "rslvr-in-1", "not vpc-hub"}},
		{"zone on the resolver's VPC", func(n *model.Network) { endpoint(n); zone(n, "vpc-1", "vpc-hub") }, 0, nil},
	})
}

func TestResolverForwardingLoop(t *testing.T) {
	rules := func(n *model.Network, assocVPC string) {
		hubVPC(n)
		n.ResolverRules.Put(&model.ResolverRule{Meta: meta("rslvr-rr-1"), DomainName: "corp.example.", RuleType: "FORWARD",
			TargetIPs: []model.ResolverTarget{{IP: ip("10.10.1.228"), Port: 53}}})
		n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: meta("rslvr-rrassoc-1"), ResolverRuleID: "rslvr-rr-1", VPCID: assocVPC})
	}
	runRule(t, RuleResolverLoop, []ruleCase{
		{"rule associated with the inbound endpoint's own VPC", func(n *model.Network) { rules(n, "vpc-hub") }, 1,
			[]string{"corp.example.", "vpc-hub -> rslvr-rr-1 -> 10.10.1.228 (rslvr-in-1) -> vpc-hub"}},
		{"rule associated with a spoke only", func(n *model.Network) { rules(n, "vpc-1") }, 0, nil},
		{"two VPCs forwarding to each other", func(n *model.Network) {
			rules(n, "vpc-1")
			n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: meta("rslvr-in-2"), Direction: "INBOUND", VPCID: "vpc-1",
				IPAddresses: []model.ResolverEndpointIP{{IP: ip("10.0.2.53"), SubnetID: "subnet-priv"}}})
			n.ResolverRules.Put(&model.ResolverRule{Meta: meta("rslvr-rr-2"), DomainName: "example.", RuleType: "FORWARD",
				TargetIPs: []model.ResolverTarget{{IP: ip("10.0.2.53"), Port: 53}}})
			n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: meta("rslvr-rrassoc-2"), ResolverRuleID: "rslvr-rr-2", VPCID: "vpc-hub"})
		}, 1, []string{"vpc-1 -> rslvr-rr-1 -> 10.10.1.228 (rslvr-in-1) -> vpc-hub -> rslvr-rr-2 -> 10.0.2.53 (rslvr-in-2) -> vpc-1"}},
		{"a SYSTEM rule in the hub stops the chain", func(n *model.Network) {
			rules(n, "vpc-1")
			n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: meta("rslvr-in-2"), Direction: "INBOUND", VPCID: "vpc-1",
				IPAddresses: []model.ResolverEndpointIP{{IP: ip("10.0.2.53"), SubnetID: "subnet-priv"}}})
			n.ResolverRules.Put(&model.ResolverRule{Meta: meta("rslvr-rr-2"), DomainName: "example.", RuleType: "FORWARD",
				TargetIPs: []model.ResolverTarget{{IP: ip("10.0.2.53"), Port: 53}}})
			n.ResolverRules.Put(&model.ResolverRule{Meta: meta("rslvr-rr-3"), DomainName: "corp.example.", RuleType: "SYSTEM"})
			n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: meta("rslvr-rrassoc-2"), ResolverRuleID: "rslvr-rr-2", VPCID: "vpc-hub"})
			n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: meta("rslvr-rrassoc-3"), ResolverRuleID: "rslvr-rr-3", VPCID: "vpc-hub"})
		}, 0, nil},
	})
}

func TestOverlappingConnectedVPCs(t *testing.T) {
	second := func(n *model.Network, cidr string) {
		n.VPCs.Put(&model.VPC{Meta: meta("vpc-2"), CIDRs: []netip.Prefix{pfx(cidr)}, EnableDNSSupport: model.True})
	}
	runRule(t, RuleOverlappingCIDRs, []ruleCase{
		{"peered VPCs overlap", func(n *model.Network) {
			second(n, "10.0.128.0/17")
			n.PeeringConnections.Put(&model.PeeringConnection{Meta: meta("pcx-1"), Requester: model.PeeringSide{VPCID: "vpc-1"},
				Accepter: model.PeeringSide{VPCID: "vpc-2"}, Status: "active"})
		}, 1, []string{"10.0.0.0/16 overlaps 10.0.128.0/17"}},
		{"peered VPCs apart", func(n *model.Network) {
			second(n, "10.1.0.0/16")
			n.PeeringConnections.Put(&model.PeeringConnection{Meta: meta("pcx-1"), Requester: model.PeeringSide{VPCID: "vpc-1"},
				Accepter: model.PeeringSide{VPCID: "vpc-2"}, Status: "active"})
		}, 0, nil},
		{"same transit gateway", func(n *model.Network) {
			second(n, "10.0.0.0/16")
			n.TransitGateways.Put(&model.TransitGateway{Meta: meta("tgw-1")})
			for i, v := range []string{"vpc-1", "vpc-2"} {
				n.TGWAttachments.Put(&model.TGWAttachment{Meta: meta("tgw-attach-" + string(rune('a'+i))), TransitGatewayID: "tgw-1", ResourceType: "vpc", ResourceID: v})
			}
		}, 1, []string{"transit gateway tgw-1 attaches vpc-1 (tgw-attach-a) and vpc-2 (tgw-attach-b)"}},
	})
}

func TestBlackholeRoutes(t *testing.T) {
	runRule(t, RuleBlackholeRoute, []ruleCase{
		{"route to a deleted NAT gateway", func(n *model.Network) {
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{Destination: pfx("0.0.0.0/0"), TargetKind: model.TargetNATGateway, TargetID: "nat-1", State: model.RouteBlackhole})
		}, 1, []string{"rtb-main sends 0.0.0.0/0 to nat-gateway nat-1"}},
		{"transit gateway blackhole", func(n *model.Network) {
			n.TGWRouteTables.Put(&model.TGWRouteTable{Meta: meta("tgw-rtb-1"), TransitGatewayID: "tgw-1",
				Routes: []model.TGWRoute{{Destination: pfx("10.9.0.0/16"), Type: "static", State: model.RouteBlackhole}}})
		}, 1, []string{"tgw-rtb-1 drops traffic to 10.9.0.0/16"}},
	})
}

func TestFindingsAreSortedBySeverity(t *testing.T) {
	n := base()
	sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Ingress: []model.SGRule{sgRule(false, model.ProtoTCP, 22, 22, "0.0.0.0/0")},
		Egress: []model.SGRule{sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
	n.Finalize()
	res := Run(n)
	if len(res.Findings) < 2 {
		t.Fatalf("want several findings, got %v", res.Findings)
	}
	for i := 1; i < len(res.Findings); i++ {
		if res.Findings[i-1].Severity() < res.Findings[i].Severity() {
			t.Errorf("finding %d (%s) before a more severe one (%s)", i-1, res.Findings[i-1].Rule.ID, res.Findings[i].Rule.ID)
		}
	}
	if got := res.AtLeast(High); got != 1 {
		t.Errorf("AtLeast(High) = %d, want 1", got)
	}
}

func TestTypesReadButNotModelledAreWarnedAbout(t *testing.T) {
	n := base()
	n.CountNotModelled("AWS::EC2::ClientVpnEndpoint")
	n.CountNotModelled("AWS::IAM::Role")
	n.Finalize()
	res := Run(n)
	if len(res.Warnings) != 1 || res.Warnings[0].Code != "not-checked" || res.Warnings[0].Resource != "AWS::EC2::ClientVpnEndpoint" {
		t.Fatalf("warnings %v", res.Warnings)
	}
}

func TestMergeKeepsTheOrder(t *testing.T) {
	a := base()
	sg(a, &model.SecurityGroup{Meta: meta("sg-2"), Egress: []model.SGRule{sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
	a.Finalize()
	b := base()
	sg(b, &model.SecurityGroup{Meta: meta("sg-3"), Ingress: []model.SGRule{sgRule(false, model.ProtoTCP, 22, 22, "0.0.0.0/0")}, Egress: []model.SGRule{egressAll}})
	b.Finalize()
	m := Merge(Run(a), Run(b))
	if len(m.Findings) != 2 || m.Findings[0].Rule.ID != RuleSGAdminPortOpen || m.Findings[1].Rule.ID != RuleSGCannotBlockDNS {
		t.Fatalf("merged %v", m.Findings)
	}
}

func TestWithoutDropsTheNamedRules(t *testing.T) {
	n := base()
	sg(n, &model.SecurityGroup{Meta: meta("sg-2"), Ingress: []model.SGRule{sgRule(false, model.ProtoTCP, 22, 22, "0.0.0.0/0")},
		Egress: []model.SGRule{sgRule(true, model.ProtoTCP, 443, 443, "0.0.0.0/0")}})
	n.Finalize()
	res := Run(n).Without(RuleSGCannotBlockDNS)
	if len(res.Findings) != 1 || res.Findings[0].Rule.ID != RuleSGAdminPortOpen {
		t.Fatalf("findings %v", res.Findings)
	}
}

// TestModelOnlyDNSServerCheck covers the reading used when the path engine
// cannot take the question.
func TestModelOnlyDNSServerCheck(t *testing.T) {
	cases := []struct {
		name   string
		server string
		build  func(n *model.Network)
		subnet string
		want   string
	}{
		{"no route", "192.168.10.10", func(*model.Network) {}, "subnet-priv", "no route in rtb-main"},
		{"private address to the internet gateway", "192.168.10.10", func(*model.Network) {}, "subnet-pub",
			"route 0.0.0.0/0 in rtb-pub sends the private address to internet-gateway igw-1"},
		{"blackhole", "192.168.10.10", func(n *model.Network) {
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{Destination: pfx("192.168.0.0/16"), TargetKind: model.TargetTransitGateway, TargetID: "tgw-1", State: model.RouteBlackhole})
		}, "subnet-priv", "route 192.168.0.0/16 in rtb-main is a blackhole"},
		{"network ACL", "10.0.2.53", func(n *model.Network) {
			n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-pub"), VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"}, Entries: []model.NACLEntry{
				nacl(true, 100, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 443, 443), allowAll(false, 100)}})
		}, "subnet-pub", "network ACL acl-pub denies outbound udp/53 and tcp/53 to it"},
		{"replies denied", "10.0.2.53", func(n *model.Network) {
			n.NetworkACLs.Put(&model.NetworkACL{Meta: meta("acl-pub"), VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"}, Entries: []model.NACLEntry{
				allowAll(true, 100), nacl(false, 100, model.NACLAllow, model.ProtoTCP, "0.0.0.0/0", 22, 22)}})
		}, "subnet-pub", "network ACL acl-pub denies the replies from it on ports 1024-65535"},
		{"same subnet", "10.0.2.53", func(*model.Network) {}, "subnet-priv", ""},
		{"VPN route", "192.168.10.10", func(n *model.Network) {
			rt, _ := n.RouteTables.Get("rtb-main")
			rt.Routes = append(rt.Routes, model.Route{Destination: pfx("192.168.0.0/16"), TargetKind: model.TargetVPNGateway, TargetID: "vgw-1", State: model.RouteActive})
		}, "subnet-priv", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := base()
			c.build(n)
			n.Finalize()
			v, _ := n.VPCs.Get("vpc-1")
			s, _ := n.Subnets.Get(c.subnet)
			if got := dnsServerBlocked(n, v, s, ip(c.server)); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
