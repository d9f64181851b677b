package model

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestParseProtocolAcceptsAWSForms(t *testing.T) {
	tests := []struct {
		in   string
		want Protocol
	}{
		{"-1", ProtoAll}, {"all", ProtoAll}, {"tcp", ProtoTCP}, {"TCP", ProtoTCP}, {"6", ProtoTCP},
		{"udp", ProtoUDP}, {"17", ProtoUDP}, {"icmp", ProtoICMP}, {"1", ProtoICMP},
		{"icmpv6", ProtoICMPv6}, {"58", ProtoICMPv6}, {"50", Protocol(50)},
	}
	for _, tt := range tests {
		got, err := ParseProtocol(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseProtocol(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"tcpx", "256", "-2"} {
		if _, err := ParseProtocol(bad); err == nil {
			t.Errorf("ParseProtocol(%q) accepted a protocol AWS does not know", bad)
		}
	}
}

func TestAmazonDNSServerIsPrimaryCIDRBasePlusTwo(t *testing.T) {
	// R1.1: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#AmazonDNS
	v := &VPC{CIDRs: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("100.64.0.0/16")}}
	got, ok := v.DNSServerAddr()
	if !ok || got != netip.MustParseAddr("10.1.0.2") {
		t.Fatalf("DNSServerAddr = %v, %v; want 10.1.0.2", got, ok)
	}
	if _, ok := (&VPC{}).DNSServerAddr(); ok {
		t.Fatal("a VPC without IPv4 CIDR has no Amazon DNS address")
	}
}

func TestSubnetUsesExplicitRouteTableElseMain(t *testing.T) {
	n := &Network{}
	n.VPCs.Put(&VPC{Meta: Meta{ID: "vpc-1"}, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}})
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-a"}, VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.0.1.0/24")})
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-b"}, VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.0.2.0/24")})
	n.RouteTables.Put(&RouteTable{Meta: Meta{ID: "rtb-main"}, VPCID: "vpc-1", Associations: []RouteTableAssociation{{Main: true}}})
	n.RouteTables.Put(&RouteTable{Meta: Meta{ID: "rtb-a"}, VPCID: "vpc-1", Associations: []RouteTableAssociation{{SubnetID: "subnet-a"}}})
	n.Finalize()

	if rt, explicit := n.RouteTableFor("subnet-a"); rt == nil || rt.ID != "rtb-a" || !explicit {
		t.Errorf("subnet-a: got %v explicit=%v; want rtb-a explicit", rt, explicit)
	}
	if rt, explicit := n.RouteTableFor("subnet-b"); rt == nil || rt.ID != "rtb-main" || explicit {
		t.Errorf("subnet-b: got %v explicit=%v; want the main table", rt, explicit)
	}
}

func TestSubnetWithoutExplicitACLGetsVPCDefault(t *testing.T) {
	n := &Network{}
	n.VPCs.Put(&VPC{Meta: Meta{ID: "vpc-1"}})
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-a"}, VPCID: "vpc-1"})
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-b"}, VPCID: "vpc-1"})
	n.NetworkACLs.Put(&NetworkACL{Meta: Meta{ID: "acl-default"}, VPCID: "vpc-1", IsDefault: true})
	n.NetworkACLs.Put(&NetworkACL{Meta: Meta{ID: "acl-custom"}, VPCID: "vpc-1", SubnetIDs: []string{"subnet-b"},
		Entries: []NACLEntry{{RuleNumber: 200}, {RuleNumber: 100}, {RuleNumber: 32767}}})
	n.Finalize()

	if acl := n.NetworkACLFor("subnet-a"); acl == nil || acl.ID != "acl-default" {
		t.Errorf("subnet-a ACL = %v; want acl-default", acl)
	}
	acl := n.NetworkACLFor("subnet-b")
	if acl == nil || acl.ID != "acl-custom" {
		t.Fatalf("subnet-b ACL = %v; want acl-custom", acl)
	}
	if acl.Entries[0].RuleNumber != 100 || acl.Entries[2].RuleNumber != 32767 {
		t.Errorf("entries not sorted lowest rule number first: %+v", acl.Entries)
	}
}

func TestDanglingReferenceIsAWarningNotAnError(t *testing.T) {
	n := &Network{}
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-a", Origin: Origin{File: "Subnets.json", Line: 3}}, VPCID: "vpc-missing"})
	n.Finalize()
	if len(n.Warnings) != 1 || n.Warnings[0].Code != "dangling-reference" {
		t.Fatalf("warnings = %v; want one dangling-reference", n.Warnings)
	}
	if got, want := n.Warnings[0].String(), "Subnets.json:3: dangling-reference: subnet-a: AWS::EC2::Subnet VpcId refers to vpc-missing, which is not in the sources"; got != want {
		t.Errorf("warning = %q; want %q", got, want)
	}
}

// TestReferenceToAnotherTypeIsNotDangling: a reference is dangling only
// when no element of any type has the ID, as before the references were
// looked up in their own type's elements first.
func TestReferenceToAnotherTypeIsNotDangling(t *testing.T) {
	n := &Network{}
	n.SecurityGroups.Put(&SecurityGroup{Meta: Meta{ID: "sg-1"}, VPCID: "vpc-1"})
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-a"}, VPCID: "sg-1"})
	n.RouteTables.Put(&RouteTable{Meta: Meta{ID: "rtb-1"}, VPCID: "vpc-1", Associations: []RouteTableAssociation{{SubnetID: "vpc-1"}}})
	n.VPCs.Put(&VPC{Meta: Meta{ID: "vpc-1"}})
	n.Finalize()
	if len(n.Warnings) != 0 {
		t.Fatalf("warnings = %v; want none (every ID names some element)", n.Warnings)
	}
}

// TestLookupOfASharedIDIsTheLastKind: an ID that elements of two kinds
// carry resolves to the one of the kind Elements visits last.
func TestLookupOfASharedIDIsTheLastKind(t *testing.T) {
	n := &Network{}
	n.VPCs.Put(&VPC{Meta: Meta{ID: "dup-1"}})
	n.Instances.Put(&Instance{Meta: Meta{ID: "dup-1"}})
	n.Finalize()
	var last Element
	n.Elements(func(e Element) {
		if e.Base().ID == "dup-1" {
			last = e
		}
	})
	if e, ok := n.Lookup("dup-1"); !ok || e != last || e.Type() != TypeInstance {
		t.Fatalf("Lookup(dup-1) = %v, %v; want the instance", e, ok)
	}
}

// TestEveryCollectionIsAKind: Elements and the lookups by ID read every
// collection of the network.
func TestEveryCollectionIsAKind(t *testing.T) {
	n := &Network{}
	collections := 0
	typ := reflect.TypeOf(n).Elem()
	for i := range typ.NumField() {
		if strings.HasPrefix(typ.Field(i).Type.Name(), "Collection[") {
			collections++
		}
	}
	if got := len(n.kinds()); got != collections || collections == 0 {
		t.Fatalf("kinds() lists %d collections; Network has %d", got, collections)
	}
}

func TestLookupFindsIDsLogicalIDsAndUniqueNames(t *testing.T) {
	n := &Network{}
	n.Instances.Put(&Instance{Meta: Meta{ID: "i-1", Name: "bastion"}})
	n.Instances.Put(&Instance{Meta: Meta{ID: "WebServer", LogicalID: "WebServer"}})
	n.Instances.Put(&Instance{Meta: Meta{ID: "i-2", Name: "twin"}})
	n.Instances.Put(&Instance{Meta: Meta{ID: "i-3", Name: "twin"}})
	n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-1", Name: "twin"}})
	n.Finalize()
	for ref, want := range map[string]string{"i-1": "i-1", "bastion": "i-1", "WebServer": "WebServer"} {
		if e, ok := n.Lookup(ref); !ok || e.Base().ID != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", ref, e, ok, want)
		}
	}
	if _, ok := n.Lookup("twin"); ok {
		t.Error("an ambiguous Name tag must not resolve")
	}
}

func TestCollectionAllIsSortedByID(t *testing.T) {
	var c Collection[*VPC]
	for _, id := range []string{"vpc-c", "vpc-a", "vpc-b"} {
		c.Put(&VPC{Meta: Meta{ID: id}})
	}
	all := c.All()
	if len(all) != 3 || all[0].ID != "vpc-a" || all[2].ID != "vpc-c" {
		t.Fatalf("All() = %v", all)
	}
	if !c.Put(&VPC{Meta: Meta{ID: "vpc-a"}}) {
		t.Error("Put of an existing ID must report the replacement")
	}
}

func TestLoadBalancerNameIsARef(t *testing.T) {
	n := &Network{}
	n.LoadBalancers.Put(&LoadBalancer{Meta: Meta{ID: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/abc", Name: "web"}, LBType: "application"})
	n.Finalize()
	if e, ok := n.Lookup("web"); !ok || e.Type() != TypeLoadBalancerV2 {
		t.Fatalf("Lookup(load balancer name) = %v, %v", e, ok)
	}
}

// TestVPCContainingIsTheFirstVPCInOrder: the index answers what a scan of
// VPCs.All() with VPC.Contains answers, the first VPC in that order when
// VPCs of different accounts share CIDRs, on random networks and
// addresses (IPv4, IPv6, zoned, invalid).
func TestVPCContainingIsTheFirstVPCInOrder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	v4 := func() netip.Prefix {
		a := netip.AddrFrom4([4]byte{10, byte(rnd.IntN(4)), byte(rnd.IntN(4)), 0})
		p, _ := a.Prefix(8 + rnd.IntN(17))
		return p
	}
	v6 := func() netip.Prefix {
		b := [16]byte{0x20, 0x01, 0x0d, 0xb8, byte(rnd.IntN(3))}
		p, _ := netip.AddrFrom16(b).Prefix(32 + 8*rnd.IntN(4))
		return p
	}
	for round := range 200 {
		n := &Network{}
		for i := range 1 + rnd.IntN(12) {
			v := &VPC{Meta: Meta{ID: fmt.Sprintf("vpc-%02d", i)}}
			for range rnd.IntN(3) {
				v.CIDRs = append(v.CIDRs, v4())
			}
			if rnd.IntN(3) == 0 {
				v.IPv6CIDRs = append(v.IPv6CIDRs, v6())
			}
			n.VPCs.Put(v)
		}
		n.Finalize()
		for range 50 {
			var a netip.Addr
			switch rnd.IntN(4) {
			case 0:
				b := [16]byte{0x20, 0x01, 0x0d, 0xb8, byte(rnd.IntN(3)), byte(rnd.IntN(256))}
				a = netip.AddrFrom16(b)
				if rnd.IntN(4) == 0 {
					a = a.WithZone("eth0")
				}
			case 1:
				// the zero address
			default:
				a = netip.AddrFrom4([4]byte{10, byte(rnd.IntN(5)), byte(rnd.IntN(5)), byte(rnd.IntN(256))})
			}
			var want *VPC
			for _, v := range n.VPCs.All() {
				if v.Contains(a) {
					want = v
					break
				}
			}
			got, ok := n.VPCContaining(a)
			if ok != (want != nil) || got != want {
				t.Fatalf("round %d: VPCContaining(%v) = %v, %v; a scan finds %v", round, a, got, ok, want)
			}
		}
	}
}
