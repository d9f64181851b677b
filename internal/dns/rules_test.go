package dns_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
	"github.com/vpcreach/vpcreach/internal/model"
)

// pathTable is a Reacher that answers from a table of destination
// addresses; every other destination is unreachable.
type pathTable map[string]dns.Verdict

func (p pathTable) Reach(_ context.Context, from dns.Vantage, to netip.Addr, proto model.Protocol, port uint16) (dns.Verdict, string) {
	if v, ok := p[to.String()]; ok {
		return v, "test path table"
	}
	return dns.Unreachable, "NO_ROUTE_TO_DESTINATION in the test path table"
}

const (
	hubVPC    = "vpc-0hub0000000000001"
	spokeVPC  = "vpc-0spoke00000000001"
	hubSubnet = "subnet-0hub000000001"
	spokeSub  = "subnet-0spoke0000001"
	outbound  = "rslvr-out-0000000000001"
	inbound   = "rslvr-in-00000000000001"
	onPremDNS = "192.168.50.10"
)

func meta(id string) model.Meta {
	return model.Meta{ID: id, Account: dnstest.Account, Region: "us-east-1"}
}

// hubAndSpoke builds a us-east-1 hub VPC with inbound and outbound
// endpoints, a spoke VPC, and rules on the spoke.
func hubAndSpoke(rules ...*model.ResolverRule) *model.Network {
	n := &model.Network{}
	for _, v := range []*model.VPC{
		{Meta: meta(hubVPC), CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}},
		{Meta: meta(spokeVPC), CIDRs: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}},
	} {
		v.EnableDNSSupport, v.EnableDNSHostnames, v.DHCPOptionsID = model.True, model.True, "default"
		n.VPCs.Put(v)
	}
	n.Subnets.Put(&model.Subnet{Meta: meta(hubSubnet), VPCID: hubVPC, CIDR: netip.MustParsePrefix("10.0.1.0/24"), AvailabilityZone: "us-east-1a"})
	n.Subnets.Put(&model.Subnet{Meta: meta(spokeSub), VPCID: spokeVPC, CIDR: netip.MustParsePrefix("10.9.1.0/24"), AvailabilityZone: "us-east-1a"})
	n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: meta(outbound), Direction: "OUTBOUND", VPCID: hubVPC,
		IPAddresses: []model.ResolverEndpointIP{{IP: netip.MustParseAddr("10.0.1.20"), SubnetID: hubSubnet}}})
	n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: meta(inbound), Direction: "INBOUND", VPCID: hubVPC,
		IPAddresses: []model.ResolverEndpointIP{{IP: netip.MustParseAddr("10.0.1.10"), SubnetID: hubSubnet}}})
	n.HostedZones.Put(&model.HostedZone{Meta: meta("ZHUB"), ZoneName: "hub.internal.", Private: true, RecordsKnown: true,
		VPCs:    []model.ZoneVPC{{VPCID: hubVPC}},
		Records: []model.Record{{Name: "db.hub.internal.", Type: "A", TTL: 60, Values: []string{"10.0.1.50"}}}})
	n.HostedZones.Put(&model.HostedZone{Meta: meta("ZCORP"), ZoneName: "corp.internal.", Private: true, RecordsKnown: true,
		VPCs: []model.ZoneVPC{{VPCID: spokeVPC}},
		Records: []model.Record{
			{Name: "app.corp.internal.", Type: "A", TTL: 60, Values: []string{"10.9.1.5"}},
			{Name: "x.svc.corp.internal.", Type: "A", TTL: 60, Values: []string{"10.9.1.6"}},
		}})
	n.HostedZones.Put(&model.HostedZone{Meta: meta("ZEXAMPLE"), ZoneName: "example.com.", Private: true, RecordsKnown: true,
		VPCs:    []model.ZoneVPC{{VPCID: spokeVPC}},
		Records: []model.Record{{Name: "www.example.com.", Type: "A", TTL: 60, Values: []string{"10.9.1.7"}}}})
	for i, r := range rules {
		r.Meta = meta(r.ID)
		n.ResolverRules.Put(r)
		vpc := spokeVPC
		if r.OwnerID == "hub" {
			vpc, r.OwnerID = hubVPC, ""
		}
		n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: meta("rslvr-rrassoc-" + string(rune('a'+i))), ResolverRuleID: r.ID, VPCID: vpc})
	}
	n.Finalize()
	return n
}

func forwardRule(id, domain, target string) *model.ResolverRule {
	return &model.ResolverRule{Meta: model.Meta{ID: id}, DomainName: domain, RuleType: "FORWARD", ResolverEndpointID: outbound,
		TargetIPs: []model.ResolverTarget{{IP: netip.MustParseAddr(target), Port: 53}}}
}

func systemRule(id, domain string) *model.ResolverRule {
	return &model.ResolverRule{Meta: model.Meta{ID: id}, DomainName: domain, RuleType: "SYSTEM"}
}

func TestRulePrecedence(t *testing.T) {
	reach := pathTable{onPremDNS: dns.Reachable, "10.0.1.10": dns.Reachable}
	cases := []struct {
		name  string
		rules []*model.ResolverRule
		qname string
		want  want
	}{
		{"forward \".\" does not capture a private hosted zone (R2.4 consequence)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-dot", ".", onPremDNS)}, "app.corp.internal.",
			want{rcode: dns.NoError, values: []string{"10.9.1.5"}, by: dns.ByPrivateHostedZone, byID: "ZCORP"}},
		{"forward \".\" does not capture EC2 names",
			[]*model.ResolverRule{forwardRule("rslvr-rr-dot", ".", onPremDNS)}, "ip-10-9-1-5.ec2.internal.",
			want{rcode: dns.NoError, values: []string{"10.9.1.5"}, by: dns.ByEC2Hostname}},
		{"forward \".\" takes public names: the answer is outside the sources",
			[]*model.ResolverRule{forwardRule("rslvr-rr-dot", ".", onPremDNS)}, "www.amazon.com.",
			want{rcode: dns.Unknown, by: dns.ByResolverRule, byID: "rslvr-rr-dot", trace: "most specific match"}},
		{"same-name tie: a forward rule beats the private hosted zone (R2.4)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-corp", "corp.internal", onPremDNS)}, "app.corp.internal.",
			want{rcode: dns.Unknown, by: dns.ByResolverRule, byID: "rslvr-rr-corp", trace: "custom rules win ties (R2.4)"}},
		{"a same-name forward rule takes the EC2 names too (R2.4)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-ec2", "ec2.internal", onPremDNS)}, "ip-10-9-1-5.ec2.internal.",
			want{rcode: dns.Unknown, by: dns.ByResolverRule, byID: "rslvr-rr-ec2", trace: "custom rules win ties (R2.4)"}},
		{"a system rule under a forward rule resolves locally: the zone answers (R2.5)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-corp", "corp.internal", onPremDNS), systemRule("rslvr-rr-svc", "svc.corp.internal")}, "x.svc.corp.internal.",
			want{rcode: dns.NoError, values: []string{"10.9.1.6"}, by: dns.ByPrivateHostedZone, trace: "ignored (R2.5)"}},
		{"outside the system rule's sub-tree the forward rule applies",
			[]*model.ResolverRule{forwardRule("rslvr-rr-corp", "corp.internal", onPremDNS), systemRule("rslvr-rr-svc", "svc.corp.internal")}, "app.corp.internal.",
			want{rcode: dns.Unknown, by: dns.ByResolverRule, byID: "rslvr-rr-corp"}},
		{"a system rule for amazonaws.com under forward \".\" sends AWS names to public recursion",
			[]*model.ResolverRule{forwardRule("rslvr-rr-dot", ".", onPremDNS), systemRule("rslvr-rr-aws", "amazonaws.com")}, "sqs.us-east-1.amazonaws.com.",
			want{rcode: dns.Unknown, by: dns.ByPublic}},
		{"the more specific forward rule wins (R2.3)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-dot", ".", "192.168.50.99"), forwardRule("rslvr-rr-ex", "example.com", onPremDNS)}, "a.b.example.com.",
			want{rcode: dns.Unknown, byID: "rslvr-rr-ex"}},
		{"matching is label by label: notexample.com is not under example.com",
			[]*model.ResolverRule{forwardRule("rslvr-rr-ex", "example.com", onPremDNS)}, "notexample.com.",
			want{rcode: dns.Unknown, by: dns.ByPublic}},
		{"forward targets all unreachable: SERVFAIL (R5.3)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-dot", ".", "192.168.50.99")}, "www.amazon.com.",
			want{rcode: dns.ServFail, by: dns.ByResolverRule, trace: "NO_ROUTE_TO_DESTINATION"}},
		{"forward to the hub's inbound endpoint resolves as the hub (R2.9)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-hub", "hub.internal", "10.0.1.10")}, "db.hub.internal.",
			want{rcode: dns.NoError, values: []string{"10.0.1.50"}, by: dns.ByResolverRule, trace: "resolved as " + hubVPC}},
		{"a rule also associated with the hub loops (R5.7)",
			[]*model.ResolverRule{forwardRule("rslvr-rr-hub", "hub.internal", "10.0.1.10"), {Meta: model.Meta{ID: "rslvr-rr-hub2"}, OwnerID: "hub", DomainName: "hub.internal", RuleType: "FORWARD", ResolverEndpointID: outbound, TargetIPs: []model.ResolverTarget{{IP: netip.MustParseAddr("10.0.1.10")}}}}, "db.hub.internal.",
			want{rcode: dns.ServFail, trace: "forwarding loop"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := hubAndSpoke(c.rules...)
			check(t, resolve(t, n, reach, spokeSub, c.qname, "A"), c.want)
		})
	}
}

func TestPossiblyReachableTargetIsNotSilent(t *testing.T) {
	n := hubAndSpoke(forwardRule("rslvr-rr-dot", ".", onPremDNS))
	res := resolve(t, n, dns.NoPathEngine, spokeSub, "www.amazon.com.", "A")
	check(t, res, want{rcode: dns.Unknown, by: dns.ByResolverRule})
	if res.Reason == "" || !strings.Contains(res.Reason, "path engine not available") {
		t.Errorf("reason %q should say the path is possibly-reachable and why", res.Reason)
	}
}

func TestRulesTheSourcesCannotFix(t *testing.T) {
	reach := pathTable{onPremDNS: dns.Reachable}
	t.Run("a rule of unknown domain may capture any name", func(t *testing.T) {
		r := forwardRule("rslvr-rr-unknown", "", onPremDNS)
		n := hubAndSpoke(r)
		check(t, resolve(t, n, reach, spokeSub, "app.corp.internal.", "A"), want{rcode: dns.Unknown, trace: "may capture"})
	})
	t.Run("a rule associated with an unknown VPC may apply", func(t *testing.T) {
		n := hubAndSpoke()
		n.ResolverRules.Put(&model.ResolverRule{Meta: meta("rslvr-rr-x"), DomainName: "corp.internal.", RuleType: "FORWARD",
			ResolverEndpointID: outbound, TargetIPs: []model.ResolverTarget{{IP: netip.MustParseAddr(onPremDNS)}}})
		n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: meta("rslvr-rrassoc-x"), ResolverRuleID: "rslvr-rr-x"})
		n.Finalize()
		check(t, resolve(t, n, reach, spokeSub, "app.corp.internal.", "A"), want{rcode: dns.Unknown, trace: "cannot fix"})
		// Names outside its domain are unaffected.
		check(t, resolve(t, n, reach, spokeSub, "www.example.com.", "A"), want{rcode: dns.NoError, values: []string{"10.9.1.7"}})
	})
}

func TestReverseAcrossTransitGateway(t *testing.T) {
	build := func(dnsSupport bool) *model.Network {
		n := hubAndSpoke()
		n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: meta("eni-0hub77"), SubnetID: hubSubnet, VPCID: hubVPC,
			PrivateIPs: []model.PrivateIP{{Address: netip.MustParseAddr("10.0.1.77"), Primary: true}}})
		n.TransitGateways.Put(&model.TransitGateway{Meta: meta("tgw-0dns"), DNSSupport: dnsSupport})
		n.TGWAttachments.Put(&model.TGWAttachment{Meta: meta("tgw-attach-hub"), TransitGatewayID: "tgw-0dns", ResourceType: "vpc", ResourceID: hubVPC})
		n.TGWAttachments.Put(&model.TGWAttachment{Meta: meta("tgw-attach-spoke"), TransitGatewayID: "tgw-0dns", ResourceType: "vpc", ResourceID: spokeVPC})
		n.Finalize()
		return n
	}
	check(t, resolve(t, build(true), nil, spokeSub, "77.1.0.10.in-addr.arpa.", "PTR"),
		want{rcode: dns.NoError, values: []string{"ip-10-0-1-77.ec2.internal."}, trace: "belongs to eni-0hub77"})
	check(t, resolve(t, build(false), nil, spokeSub, "77.1.0.10.in-addr.arpa.", "PTR"), want{rcode: dns.Unknown})
}
