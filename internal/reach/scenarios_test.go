package reach_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// twoVPCs is publicPrivate plus a second VPC (10.1.0.0/16) peered with
// the first, and a third (10.2.0.0/16) peered with the second only.
func twoVPCs() *reachtest.Builder {
	b := publicPrivate()
	b.VPC("vpc-2", "10.1.0.0/16")
	b.Subnet("subnet-b", "vpc-2", "10.1.0.0/24", "us-east-1a")
	b.SG("sg-b", "vpc-2", "in -1 all 10.0.0.0/8", "out -1 all 0.0.0.0/0")
	b.ENI("eni-b", "subnet-b", "10.1.0.10", "sg-b")
	b.Peering("pcx-12", "vpc-1", "vpc-2")
	b.Route(b.MainRouteTable("vpc-2"), "10.0.0.0/16", "pcx-12")
	b.Route(b.MainRouteTable("vpc-2"), "10.2.0.0/16", "pcx-23")
	pub, _ := b.N.RouteTables.Get("rtb-pub")
	b.Route(pub, "10.1.0.0/16", "pcx-12")
	b.Route(pub, "10.2.0.0/16", "pcx-12")
	b.VPC("vpc-3", "10.2.0.0/16")
	b.Subnet("subnet-c", "vpc-3", "10.2.0.0/24", "us-east-1a")
	b.SG("sg-c", "vpc-3", "in -1 all 10.0.0.0/8", "out -1 all 0.0.0.0/0")
	b.ENI("eni-c", "subnet-c", "10.2.0.10", "sg-c")
	b.Peering("pcx-23", "vpc-2", "vpc-3")
	b.Route(b.MainRouteTable("vpc-3"), "10.0.0.0/8", "pcx-23")
	return b
}

// withTGW is publicPrivate plus a transit gateway to a second VPC.
func withTGW() *reachtest.Builder {
	b := publicPrivate()
	b.VPC("vpc-t", "10.5.0.0/16")
	b.Subnet("subnet-t", "vpc-t", "10.5.0.0/24", "us-east-1a")
	b.SG("sg-t", "vpc-t", "in tcp 443 10.0.0.0/8", "out -1 all 0.0.0.0/0")
	b.ENI("eni-t", "subnet-t", "10.5.0.10", "sg-t")
	rt := b.TGW("tgw-1")
	b.TGWAttach("tgw-attach-1", "tgw-1", "vpc-1", "subnet-pub")
	b.TGWAttach("tgw-attach-t", "tgw-1", "vpc-t", "subnet-t")
	b.TGWRoute(rt, "10.0.0.0/16", "tgw-attach-1")
	b.TGWRoute(rt, "10.5.0.0/16", "tgw-attach-t")
	pub, _ := b.N.RouteTables.Get("rtb-pub")
	b.Route(pub, "10.5.0.0/16", "tgw-1")
	b.Route(b.MainRouteTable("vpc-t"), "10.0.0.0/16", "tgw-1")
	return b
}

func TestScenarios(t *testing.T) {
	type tc struct {
		name     string
		build    func() *reachtest.Builder
		edit     func(b *reachtest.Builder)
		from, to string
		proto    model.Protocol
		port     uint16
		verdict  reach.Verdict
		code     string // blocked by
		contains string // in the explanation
	}
	tcp, udp := model.ProtoTCP, model.ProtoUDP
	cases := []tc{
		{name: "same subnet ignores network ACLs", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-deny", "vpc-1", []string{"subnet-pub"})
			b.ENI("eni-web2", "subnet-pub", "10.0.0.11", "sg-web")
		}, from: "eni-web2", to: "eni-web", proto: tcp, port: 22, verdict: reach.Reachable},
		{name: "network ACL denies on the way in", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-priv", "vpc-1", []string{"subnet-priv"}, "100 in deny tcp 8080 10.0.0.0/24", "200 in allow -1 all 0.0.0.0/0", "100 out allow -1 all 0.0.0.0/0")
		}, from: "i-web", to: "i-app", proto: tcp, port: 8080, verdict: reach.Unreachable, code: reach.CodeSubnetACL, contains: "rule 100 deny"},
		{name: "network ACL without return rule blocks the reply", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-priv", "vpc-1", []string{"subnet-priv"}, "100 in allow tcp 8080 10.0.0.0/16", "100 out allow tcp 0-1023 0.0.0.0/0")
		}, from: "i-web", to: "i-app", proto: tcp, port: 8080, verdict: reach.Unreachable, code: reach.CodeSubnetACL, contains: "outbound (reply)"},
		{name: "security group with no rules", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.SG("sg-empty", "vpc-1")
			b.ENI("eni-empty", "subnet-priv", "10.0.1.50", "sg-empty")
		}, from: "i-web", to: "eni-empty", proto: tcp, port: 22, verdict: reach.Unreachable, code: reach.CodeSGNoRules},
		{name: "no route to destination", build: twoVPCs, from: "eni-b", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeNoRoute},
		{name: "internet gateway refuses private destinations", build: publicPrivate, from: "i-web", to: "192.168.7.7", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeIGWDstRFC1918},
		{name: "blackhole route", build: publicPrivate, edit: func(b *reachtest.Builder) {
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Blackhole(priv, "8.8.8.0/24", "nat-gone")
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeBadStateRoute},
		{name: "more specific route wins over the default", build: publicPrivate, edit: func(b *reachtest.Builder) {
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Blackhole(priv, "8.8.8.0/24", "nat-gone")
		}, from: "i-app", to: "8.8.4.4", proto: tcp, port: 443, verdict: reach.Reachable, contains: "nat-1"},
		{name: "peering reaches the peer VPC", build: twoVPCs, from: "i-web", to: "eni-b", proto: tcp, port: 5432, verdict: reach.Reachable, contains: "pcx-12"},
		{name: "peering is not transitive", build: twoVPCs, from: "i-web", to: "eni-c", proto: tcp, port: 5432, verdict: reach.Unreachable, code: reach.CodePCXAddressInVPC},
		{name: "peering needs a route back", build: twoVPCs, edit: func(b *reachtest.Builder) {
			b.MainRouteTable("vpc-2").Routes = b.MainRouteTable("vpc-2").Routes[:1]
		}, from: "i-web", to: "eni-b", proto: tcp, port: 5432, verdict: reach.Unreachable, code: reach.CodeNoRoute, contains: "reply route"},
		{name: "peering not active", build: twoVPCs, edit: func(b *reachtest.Builder) {
			p, _ := b.N.PeeringConnections.Get("pcx-12")
			p.Status = "pending-acceptance"
		}, from: "i-web", to: "eni-b", proto: tcp, port: 5432, verdict: reach.Unreachable, code: reach.CodeBadState},
		{name: "referenced group across peering", build: twoVPCs, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-b")
			sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 5432 sg-web")}
		}, from: "i-web", to: "eni-b", proto: tcp, port: 5432, verdict: reach.Reachable},
		{name: "NAT gateway serves only its own VPC", build: twoVPCs, edit: func(b *reachtest.Builder) {
			b.Route(b.MainRouteTable("vpc-2"), "0.0.0.0/0", "pcx-12")
			pub, _ := b.N.RouteTables.Get("rtb-pub")
			b.Route(pub, "8.8.0.0/16", "nat-1")
		}, from: "eni-b", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodePCXAddressInVPC},
		{name: "transit gateway path", build: withTGW, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Reachable, contains: "tgw-rtb-tgw-1"},
		{name: "group reference across a transit gateway is only possible", build: withTGW, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-t")
			sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 443 sg-web")}
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "security group referencing"},
		{name: "transit gateway: the attachment subnet's inbound rules see the instances' packets", build: withTGW, edit: func(b *reachtest.Builder) {
			// eni-web and the attachment share subnet-pub.
			b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"}, "100 out allow -1 all 0.0.0.0/0", "100 in allow -1 all 10.5.0.0/16")
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeSubnetACL},
		{name: "transit gateway: nothing checks what it delivers into the attachment subnet", build: withTGW, edit: func(b *reachtest.Builder) {
			// eni-t and the attachment share subnet-t: inbound rules are not
			// evaluated for the gateway's packets, both directions are for
			// the replies (source eni-t).
			b.ACL("acl-t", "vpc-t", []string{"subnet-t"}, "100 out allow -1 all 0.0.0.0/0", "100 in allow -1 all 10.5.0.0/24")
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Reachable},
		{name: "transit gateway route table without route", build: withTGW, edit: func(b *reachtest.Builder) {
			rt, _ := b.N.TGWRouteTables.Get("tgw-rtb-tgw-1")
			rt.Routes = rt.Routes[:1]
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeTGWNoRoute},
		{name: "transit gateway blackhole", build: withTGW, edit: func(b *reachtest.Builder) {
			rt, _ := b.N.TGWRouteTables.Get("tgw-rtb-tgw-1")
			rt.Routes[1].State = model.RouteBlackhole
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeTGWBadStateRoute},
		{name: "transit gateway attachment without route table", build: withTGW, edit: func(b *reachtest.Builder) {
			a, _ := b.N.TGWAttachments.Get("tgw-attach-1")
			a.AssociatedRouteTableID = ""
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeTGWMissingAssociation},
		{name: "transit gateway needs a subnet in the source zone", build: withTGW, edit: func(b *reachtest.Builder) {
			s, _ := b.N.Subnets.Get("subnet-pub")
			s.AvailabilityZone = "us-east-1b"
			b.Subnet("subnet-tgw", "vpc-1", "10.0.9.0/24", "us-east-1a")
			a, _ := b.N.TGWAttachments.Get("tgw-attach-1")
			a.SubnetIDs = []string{"subnet-tgw"}
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeTGWRouteAZ},
		{name: "transit gateway reply needs the way back", build: withTGW, edit: func(b *reachtest.Builder) {
			b.MainRouteTable("vpc-t").Routes = b.MainRouteTable("vpc-t").Routes[:1]
		}, from: "i-web", to: "eni-t", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeNoRoute},
		{name: "appliance with source/destination check", build: publicPrivate, edit: func(b *reachtest.Builder) {
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "8.8.8.0/24", "eni-web")
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeSourceDestCheck},
		{name: "appliance without source/destination check is not followed", build: publicPrivate, edit: func(b *reachtest.Builder) {
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "8.8.8.0/24", "eni-web")
			ni, _ := b.N.NetworkInterfaces.Get("eni-web")
			ni.SourceDestCheck = false
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "appliance"},
		{name: "gateway endpoint carries TCP to the service", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.PrefixList("pl-s3", "52.216.0.0/15")
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.GatewayEndpoint("vpce-s3", "vpc-1", "com.amazonaws.us-east-1.s3", "pl-s3", priv)
		}, from: "i-app", to: "52.216.1.1", proto: tcp, port: 443, verdict: reach.Reachable, contains: "vpce-s3"},
		{name: "gateway endpoint refuses UDP", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.PrefixList("pl-s3", "52.216.0.0/15")
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.GatewayEndpoint("vpce-s3", "vpc-1", "com.amazonaws.us-east-1.s3", "pl-s3", priv)
			sg, _ := b.N.SecurityGroups.Get("sg-app")
			sg.Egress = append(sg.Egress, reachtest.Rule("out udp all 0.0.0.0/0"))
		}, from: "i-app", to: "52.216.1.1", proto: udp, port: 443, verdict: reach.Unreachable, code: reach.CodeVPCEGatewayProtocol},
		{name: "Gateway Load Balancer endpoint is not followed", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.N.VPCEndpoints.Put(&model.VPCEndpoint{Meta: model.Meta{ID: "vpce-gwlb"}, EndpointType: "GatewayLoadBalancer", ServiceName: "com.amazonaws.vpce.fw", VPCID: "vpc-1"})
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "8.8.8.0/24", "vpce-gwlb")
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "inspected"},
		{name: "prefix list with unknown entries makes it possible", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.N.PrefixLists.Put(&model.PrefixList{Meta: model.Meta{ID: "pl-x"}})
			sg, _ := b.N.SecurityGroups.Get("sg-app")
			sg.Egress = []model.SGRule{reachtest.Rule("out tcp 443 pl-x")}
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "pl-x"},
		{name: "unknown security group peer makes it possible", build: publicPrivate, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-web")
			sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 22 ?")}
		}, from: "internet", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "parameter without value"},
		{name: "network ACL entry with unknown CIDR makes it possible", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"}, "100 in allow tcp 22 ?", "100 out allow -1 all 0.0.0.0/0")
		}, from: "internet", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "unknown CIDR"},
		{name: "unmodelled route target makes it possible", build: publicPrivate, edit: func(b *reachtest.Builder) {
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "8.8.8.0/24", "cagw-1")
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "cagw-1"},
		{name: "public instance behind a NAT default route gets no replies", build: publicPrivate, edit: func(b *reachtest.Builder) {
			ni, _ := b.N.NetworkInterfaces.Get("eni-app")
			b.PublicIP(ni, "54.0.0.99")
			sg, _ := b.N.SecurityGroups.Get("sg-app")
			sg.Ingress = append(sg.Ingress, reachtest.Rule("in tcp 22 0.0.0.0/0"))
		}, from: "internet", to: "i-app", proto: tcp, port: 22, verdict: reach.Unreachable, code: reach.CodeNoRoute, contains: "nat-1"},
		{name: "private NAT gateway cannot use the internet gateway", build: publicPrivate, edit: func(b *reachtest.Builder) {
			n, _ := b.N.NATGateways.Get("nat-1")
			n.ConnectivityType = "private"
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeIGWPublicIPEgress},
		{name: "egress-only internet gateway for IPv6", build: func() *reachtest.Builder {
			b := reachtest.New()
			b.VPC("vpc-6", "10.6.0.0/16", "2600:1f18::/56")
			b.EIGW("eigw-1", "vpc-6")
			b.Subnet("subnet-6", "vpc-6", "10.6.0.0/24,2600:1f18::/64", "us-east-1a")
			b.Route(b.MainRouteTable("vpc-6"), "::/0", "eigw-1")
			b.SG("sg-6", "vpc-6", "out -1 all ::/0")
			b.ENI("eni-6", "subnet-6", "10.6.0.10,2600:1f18::10", "sg-6")
			return b
		}, from: "eni-6", to: "2606:4700::1111", proto: tcp, port: 443, verdict: reach.Reachable, contains: "eigw-1"},
		{name: "egress-only internet gateway lets nothing in", build: func() *reachtest.Builder {
			b := reachtest.New()
			b.VPC("vpc-6", "10.6.0.0/16", "2600:1f18::/56")
			b.EIGW("eigw-1", "vpc-6")
			b.Subnet("subnet-6", "vpc-6", "10.6.0.0/24,2600:1f18::/64", "us-east-1a")
			b.SG("sg-6", "vpc-6", "in -1 all ::/0")
			b.ENI("eni-6", "subnet-6", "10.6.0.10,2600:1f18::10", "sg-6")
			return b
		}, from: "internet", to: "eni-6", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeNoRoute},
		{name: "gateway route table sends internet traffic to an appliance", build: publicPrivate, edit: func(b *reachtest.Builder) {
			edge := b.RouteTable("rtb-edge", "vpc-1")
			b.EdgeAssociate(edge, "igw-1")
			b.Route(edge, "10.0.0.0/24", "eni-fw")
			b.ENI("eni-fw", "subnet-priv", "10.0.1.99")
		}, from: "internet", to: "i-web", proto: tcp, port: 22, verdict: reach.Unreachable, code: reach.CodeSourceDestCheck},
		{name: "VPN gateway to on-premises", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.VGW("vgw-1", "vpc-1")
			b.VPN("vpn-1", "vgw-1", "192.168.0.0/16")
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "192.168.0.0/16", "vgw-1")
		}, from: "i-app", to: "192.168.1.1", proto: tcp, port: 443, verdict: reach.Reachable, contains: "vpn-1"},
		{name: "VPN gateway without a route on-premises", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.VGW("vgw-1", "vpc-1")
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "192.168.0.0/16", "vgw-1")
		}, from: "i-app", to: "192.168.1.1", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "vgw-1"},
		{name: "nothing opens a connection to a NAT gateway", build: publicPrivate, from: "internet", to: "3.3.3.3", proto: tcp, port: 80, verdict: reach.Unreachable, code: reach.CodeNoPossibleDestination},
		{name: "nothing opens a connection to a NAT gateway from its subnet", build: publicPrivate, from: "i-web", to: "10.0.0.9", proto: tcp, port: 80, verdict: reach.Unreachable, code: reach.CodeNoPossibleDestination},
		{name: "NAT gateway replies to ports the ACL only partly opens", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"}, "100 in allow -1 all 10.0.0.0/16", "110 in allow tcp 30000-40000 0.0.0.0/0", "100 out allow -1 all 0.0.0.0/0")
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "only some ports"},
		{name: "NAT gateway replies to ports the ACL closes", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"}, "100 in allow -1 all 10.0.0.0/16", "110 in allow tcp 0-1023 0.0.0.0/0", "100 out allow -1 all 0.0.0.0/0")
		}, from: "i-app", to: "8.8.8.8", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeSubnetACL},
		{name: "NAT gateway refuses other protocols", build: publicPrivate, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-app")
			sg.Egress = append(sg.Egress, reachtest.Rule("out -1 all 0.0.0.0/0"))
		}, from: "i-app", to: "8.8.8.8", proto: 50, verdict: reach.Unreachable, code: reach.CodeProtocolRestriction},
		{name: "on-premises through the VPN gateway", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.VGW("vgw-1", "vpc-1")
			priv, _ := b.N.RouteTables.Get("rtb-priv")
			b.Route(priv, "192.168.0.0/16", "vgw-1")
			sg, _ := b.N.SecurityGroups.Get("sg-app")
			sg.Ingress = append(sg.Ingress, reachtest.Rule("in tcp 22 192.168.0.0/16"))
		}, from: "192.168.1.1", to: "i-app", proto: tcp, port: 22, verdict: reach.Reachable, contains: "vgw-1"},
		{name: "ICMP echo", build: publicPrivate, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-web")
			sg.Ingress = append(sg.Ingress, reachtest.Rule("in icmp 8:-1 0.0.0.0/0"))
		}, from: "internet", to: "i-web", proto: model.ProtoICMP, port: 8, verdict: reach.Reachable},
		{name: "ICMP echo not allowed", build: publicPrivate, from: "internet", to: "i-web", proto: model.ProtoICMP, port: 8, verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		{name: "an elastic IP stands for its interface", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.N.ElasticIPs.Put(&model.ElasticIP{Meta: model.Meta{ID: "eipalloc-1"}, PublicIP: netip.MustParseAddr("54.0.0.10"), NetworkInterfaceID: "eni-web"})
		}, from: "internet", to: "eipalloc-1", proto: tcp, port: 443, verdict: reach.Reachable, contains: "54.0.0.10 -> 10.0.0.10"},
		{name: "reach a gateway", build: publicPrivate, from: "i-app", to: "nat-1", proto: tcp, port: 443, verdict: reach.Reachable},
		{name: "DNS disabled in the VPC", build: publicPrivate, edit: func(b *reachtest.Builder) {
			v, _ := b.N.VPCs.Get("vpc-1")
			v.EnableDNSSupport = model.False
		}, from: "i-app", to: "10.0.0.2", proto: udp, port: 53, verdict: reach.Unreachable, code: reach.CodeBadState},
		{name: "address no interface holds", build: publicPrivate, from: "i-web", to: "10.0.1.77", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "no modelled interface"},
	}
	withALB := func() *reachtest.Builder {
		b := publicPrivate()
		b.Subnet("subnet-pub2", "vpc-1", "10.0.2.0/24", "us-east-1b")
		pub, _ := b.N.RouteTables.Get("rtb-pub")
		pub.Associations = append(pub.Associations, model.RouteTableAssociation{SubnetID: "subnet-pub2"})
		b.SG("sg-alb", "vpc-1", "in tcp 443 0.0.0.0/0", "out tcp 8080 sg-app")
		lb := b.LB("arn:lb/app/shop", "shop", "application", "internet-facing", []string{"sg-alb"}, "subnet-pub=10.0.0.100/54.0.0.100", "subnet-pub2=10.0.2.100/54.0.0.101")
		b.Listener(lb, "HTTPS", 443, "arn:tg/app")
		b.TargetGroup("arn:tg/app", 8080, "i-app")
		sg, _ := b.N.SecurityGroups.Get("sg-app")
		sg.Ingress = append(sg.Ingress, reachtest.Rule("in tcp 8080 sg-alb"))
		return b
	}
	deployTime := func(b *reachtest.Builder) {
		ni := b.ENI("eni-later", "subnet-priv", "", "sg-app")
		ni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
		sg, _ := b.N.SecurityGroups.Get("sg-app")
		sg.Egress = append(sg.Egress, reachtest.Rule("out tcp 22 0.0.0.0/0"))
	}
	cases = append(cases,
		tc{name: "subnet as source is only possibly reachable", build: publicPrivate, from: "subnet-priv", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "any host"},
		tc{name: "subnet as source stopped by its ACL", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.ACL("acl-priv", "vpc-1", []string{"subnet-priv"}, "100 in allow -1 all 0.0.0.0/0")
		}, from: "subnet-priv", to: "i-web", proto: tcp, port: 22, verdict: reach.Unreachable, code: reach.CodeSubnetACL},
		tc{name: "address picked at deploy time, every address works", build: publicPrivate, edit: deployTime,
			from: "eni-later", to: "i-web", proto: tcp, port: 22, verdict: reach.Reachable},
		tc{name: "address picked at deploy time, only some addresses work", build: publicPrivate, edit: func(b *reachtest.Builder) {
			deployTime(b)
			sg, _ := b.N.SecurityGroups.Get("sg-web")
			sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 22 10.0.1.0/25")}
		}, from: "eni-later", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "deploy time"},
		// Whatever address AWS allocates, the gateway maps it to the
		// private address: the answer does not depend on it.
		tc{name: "public address allocated at deploy time", build: publicPrivate, edit: func(b *reachtest.Builder) {
			ni := b.ENI("eni-later", "subnet-pub", "", "sg-web")
			ni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
			b.N.ElasticIPs.Put(&model.ElasticIP{Meta: model.Meta{ID: "eip-later"}, NetworkInterfaceID: "eni-later"})
		}, from: "internet", to: "eni-later", proto: tcp, port: 443, verdict: reach.Reachable, contains: "allocated at deploy time"},
		tc{name: "internet gateway a route names but the sources lack", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.N.InternetGateways.Delete("igw-1")
		}, from: "internet", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "igw-1, which is not in the sources"},
		tc{name: "interface whose subnet is unknown", build: publicPrivate, edit: func(b *reachtest.Builder) {
			ni := b.ENI("eni-nowhere", "subnet-pub", "", "sg-web")
			ni.SubnetID, ni.VPCID = "", ""
			ni.AddUnknown("SubnetId", "parameter SubnetId has no value")
		}, from: "i-web", to: "eni-nowhere", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "subnet is unknown"},
		tc{name: "interface whose subnet is not in the sources", build: publicPrivate, edit: func(b *reachtest.Builder) {
			ni := b.ENI("eni-elsewhere", "subnet-pub", "", "sg-web")
			ni.SubnetID = "subnet-elsewhere"
		}, from: "eni-elsewhere", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "not in the sources"},
		tc{name: "interface whose security groups are unknown", build: publicPrivate, edit: func(b *reachtest.Builder) {
			ni := b.ENI("eni-nogroups", "subnet-priv", "10.0.2.99")
			ni.SecurityGroupIDs = nil
			ni.AddUnknown("SecurityGroupIds", "none stated: the VPC's default security group, which is not in the sources")
		}, from: "i-web", to: "eni-nogroups", proto: tcp, port: 5432, verdict: reach.PossiblyReachable, contains: "security groups of eni-nogroups"},
		tc{name: "client VPN endpoint whose client CIDR is unknown", build: publicPrivate, edit: func(b *reachtest.Builder) {
			b.N.ClientVPNEndpoints.Put(&model.ClientVPNEndpoint{Meta: model.Meta{ID: "cvpn-endpoint-1"}})
		}, from: "cvpn-endpoint-1", to: "i-web", proto: tcp, port: 22, verdict: reach.PossiblyReachable, contains: "client CIDR"},
		tc{name: "internet-facing load balancer to its target", build: withALB, from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.Reachable, contains: "listener https/443 -> arn:tg/app -> i-app port 8080"},
		tc{name: "load balancer without a listener for the port", build: withALB, from: "internet", to: "shop", proto: tcp, port: 80, verdict: reach.Unreachable, code: reach.CodeELBListeners},
		tc{name: "load balancer group stops the target port", build: withALB, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-alb")
			sg.Egress = []model.SGRule{reachtest.Rule("out tcp 9090 0.0.0.0/0")}
		}, from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		tc{name: "target group stops traffic not from the load balancer", build: withALB, edit: func(b *reachtest.Builder) {
			sg, _ := b.N.SecurityGroups.Get("sg-app")
			sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 8080 sg-web")}
		}, from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		tc{name: "internal load balancer is not on the internet", build: withALB, edit: func(b *reachtest.Builder) {
			lb, _ := b.N.LoadBalancers.Get("arn:lb/app/shop")
			lb.Scheme = "internal"
			for _, ni := range b.N.NetworkInterfaces.All() {
				if ni.OwnerID == lb.ID {
					ni.PrivateIPs[0].PublicIP = netip.Addr{}
				}
			}
		}, from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeIGWPrivateIPIngress},
		tc{name: "from a load balancer to its target", build: withALB, from: "shop", to: "i-app", proto: tcp, port: 8080, verdict: reach.Reachable},
		tc{name: "from a load balancer, port its group does not open", build: withALB, from: "shop", to: "i-app", proto: tcp, port: 22, verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		tc{name: "load balancer interfaces not in the sources: stand-ins", build: withALB, edit: dropLBInterfaces,
			from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "stands in"},
		tc{name: "load balancer stand-ins still stopped by the balancer's group", build: withALB, edit: func(b *reachtest.Builder) {
			dropLBInterfaces(b)
			sg, _ := b.N.SecurityGroups.Get("sg-alb")
			sg.Egress = []model.SGRule{reachtest.Rule("out tcp 9090 0.0.0.0/0")}
		}, from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		tc{name: "targets unknown makes it possible", build: withALB, edit: func(b *reachtest.Builder) {
			tg, _ := b.N.TargetGroups.Get("arn:tg/app")
			tg.TargetsKnown = false
		}, from: "internet", to: "shop", proto: tcp, port: 443, verdict: reach.PossiblyReachable, contains: "targets of arn:tg/app"},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.build()
			if c.edit != nil {
				c.edit(b)
			}
			r := flow(t, b.Build(), c.from, c.to, c.proto, c.port)
			expect(t, r, c.verdict, c.code)
			if c.contains != "" && !strings.Contains(describe(r), c.contains) {
				t.Errorf("explanation lacks %q:\n%s", c.contains, describe(r))
			}
		})
	}
}

// dropLBInterfaces removes a load balancer's interfaces, as a template
// leaves them out.
func dropLBInterfaces(b *reachtest.Builder) {
	for _, ni := range b.N.NetworkInterfaces.All() {
		if ni.OwnerKind == model.OwnerLoadBalancer {
			b.N.NetworkInterfaces.Delete(ni.ID)
		}
	}
}

func TestReplyACLNarrowsSourcePorts(t *testing.T) {
	b := publicPrivate()
	b.ACL("acl-pub", "vpc-1", []string{"subnet-pub"}, "100 in allow tcp 22 0.0.0.0/0", "100 out allow tcp 32768-65535 0.0.0.0/0")
	r := flow(t, b.Build(), "internet", "i-web", model.ProtoTCP, 22)
	expect(t, r, reach.Reachable, "")
	if got := r.SourcePorts.String(); got != "32768-65535" {
		t.Errorf("source ports %s, want 32768-65535\n%s", got, describe(r))
	}
}

func TestInboundFromAnswersEveryPortAtOnce(t *testing.T) {
	n := twoVPCs().Build()
	e := reach.New(n)
	web, _ := n.NetworkInterfaces.Get("eni-web")
	edges := e.Edges("vpc-1")
	if len(edges) != 2 {
		t.Fatalf("edges %v", edges)
	}
	for _, edge := range edges {
		outs := e.InboundFrom(edge, web)
		var open reach.Ranges
		for _, o := range outs {
			if o.Verdict != reach.Reachable {
				t.Errorf("%s: %s %v", edge.ID, o.Verdict, o.Reasons)
			}
			for _, c := range o.Space {
				if c.Proto.Has(model.ProtoTCP) {
					open = open.Union(c.DstPorts)
				}
			}
		}
		switch edge.Kind {
		case reach.EdgeInternet:
			if open.String() != "22,443" {
				t.Errorf("internet: open tcp ports %s, want 22,443", open)
			}
		case reach.EdgePeering:
			// sg-web allows 22 and 443 from anywhere, and vpc-2 routes back.
			if open.String() != "22,443" {
				t.Errorf("peering: open tcp ports %s, want 22,443", open)
			}
		}
	}
	// Nothing reaches the private instance from the internet.
	app, _ := n.NetworkInterfaces.Get("eni-app")
	if outs := e.InboundFrom(reach.Edge{Kind: reach.EdgeInternet, ID: "igw-1"}, app); len(outs) != 0 {
		t.Errorf("private instance reachable from the internet: %+v", outs)
	}
	_ = context.Background()
}

func TestUnknownRoutesNeverAnswerUnreachable(t *testing.T) {
	// A route to a prefix list whose entries are unknown may carry any
	// destination (any public one, for an AWS service's list).
	b := twoVPCs()
	b.N.PrefixLists.Put(&model.PrefixList{Meta: model.Meta{ID: "pl-other"}})
	b.Route(b.MainRouteTable("vpc-2"), "pl-other", "pcx-12")
	r := flow(t, b.Build(), "eni-b", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.PossiblyReachable, "")

	b = twoVPCs()
	b.N.PrefixLists.Put(&model.PrefixList{Meta: model.Meta{ID: "pl-s3"}, PrefixListName: "com.amazonaws.us-east-1.s3"})
	b.Route(b.MainRouteTable("vpc-2"), "pl-s3", "pcx-12")
	n := b.Build()
	expect(t, flow(t, n, "eni-b", "8.8.8.8", model.ProtoTCP, 443), reach.PossiblyReachable, "")
	// A private destination cannot be in an AWS service's list.
	expect(t, flow(t, n, "eni-b", "192.168.1.1", model.ProtoTCP, 443), reach.Unreachable, reach.CodeNoRoute)
}
