package dns_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
	"github.com/vpcreach/vpcreach/internal/model"
)

func TestServerChoice(t *testing.T) {
	cases := []struct {
		name   string
		change func(n *model.Network)
		reach  pathTable
		want   want
		server string // server address
		kind   string
	}{
		{"default DHCP set: Amazon DNS at VPC+2, never filtered (R1.8)", nil, nil,
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, trace: "never filtered"}, "172.20.0.2", dns.KindAmazonProvided},
		{"enableDnsSupport false: no answer (R1.5)", func(n *model.Network) {
			v, _ := n.VPCs.Get(dnstest.AppVPC)
			v.EnableDNSSupport, v.EnableDNSHostnames = model.False, model.False
		}, nil, want{rcode: dns.Timeout, trace: "R1.5"}, "172.20.0.2", dns.KindAmazonProvided},
		{"no DHCP option set: no DNS server (R7.2)", func(n *model.Network) {
			v, _ := n.VPCs.Get(dnstest.AppVPC)
			v.DHCPOptionsID = model.DHCPOptionsNone
		}, nil, want{rcode: dns.Timeout}, "", ""},
		{"DHCP option set not stated: the region's default is assumed (R7.1)", func(n *model.Network) {
			v, _ := n.VPCs.Get(dnstest.AppVPC)
			v.DHCPOptionsID = ""
		}, nil, want{rcode: dns.NoError, values: []string{dnstest.AppIP}, trace: "assuming the region's default"}, "172.20.0.2", dns.KindAmazonProvided},
		{"custom DNS server unreachable: TIMEOUT", customDHCP("10.50.0.53"), pathTable{},
			want{rcode: dns.Timeout, trace: "NO_ROUTE_TO_DESTINATION"}, "10.50.0.53", dns.KindCustom},
		{"custom DNS server reachable: its answer is outside the sources (R7.3)", customDHCP("10.50.0.53"), pathTable{"10.50.0.53": dns.Reachable},
			want{rcode: dns.Unknown, by: dns.ByPublic}, "10.50.0.53", dns.KindCustom},
		{"unreachable custom server, then AmazonProvidedDNS answers", customDHCP("10.50.0.53", "AmazonProvidedDNS"), pathTable{},
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}}, "172.20.0.2", dns.KindAmazonProvided},
		{"custom server possibly reachable is reported as such", customDHCP("10.50.0.53"), pathTable{"10.50.0.53": dns.Possibly},
			want{rcode: dns.Unknown}, "10.50.0.53", dns.KindCustom},
		{"another VPC's +2 does not serve this VPC (R1.4)", customDHCP("10.1.0.2"), pathTable{"10.1.0.2": dns.Reachable},
			want{rcode: dns.Timeout, trace: "R1.4"}, "10.1.0.2", dns.KindAmazonProvided},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := dnstest.Seed003()
			if c.change != nil {
				c.change(n)
			}
			var r dns.Reacher
			if c.reach != nil {
				r = c.reach
			}
			res := resolve(t, n, r, dnstest.AppInstance, "app.corp.example.", "A")
			check(t, res, c.want)
			if c.server == "" {
				if res.Server != nil {
					t.Errorf("server %+v, want none", res.Server)
				}
				return
			}
			if res.Server == nil || res.Server.Address != c.server || res.Server.Kind != c.kind {
				t.Errorf("server %+v, want %s %s", res.Server, c.server, c.kind)
			}
		})
	}
}

func customDHCP(servers ...string) func(n *model.Network) {
	return func(n *model.Network) {
		n.DHCPOptions.Put(&model.DHCPOptions{Meta: model.Meta{ID: "dopt-0custom"}, DomainNameServers: servers})
		v, _ := n.VPCs.Get(dnstest.AppVPC)
		v.DHCPOptionsID = "dopt-0custom"
	}
}

func TestInboundEndpointVantage(t *testing.T) {
	n := dnstest.Seed003()
	n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: model.Meta{ID: "rslvr-in-0seed003"}, Direction: "INBOUND", VPCID: dnstest.AppVPC,
		IPAddresses: []model.ResolverEndpointIP{{IP: netip.MustParseAddr("172.20.128.53"), SubnetID: dnstest.AppSubnetA}}})
	// R4.5: an S3 interface endpoint whose private DNS serves only inbound
	// endpoint queries.
	n.NetworkInterfaces.Put(&model.NetworkInterface{Meta: model.Meta{ID: "eni-0s3"}, SubnetID: dnstest.AppSubnetA, VPCID: dnstest.AppVPC,
		PrivateIPs: []model.PrivateIP{{Address: netip.MustParseAddr("172.20.128.33"), Primary: true}}})
	n.VPCEndpoints.Put(&model.VPCEndpoint{Meta: model.Meta{ID: "vpce-0s3"}, EndpointType: "Interface", ServiceName: "com.amazonaws.ap-northeast-1.s3",
		VPCID: dnstest.AppVPC, NetworkInterfaceIDs: []string{"eni-0s3"}, PrivateDNSEnabled: model.True, PrivateDNSOnlyForInboundResolverEndpoint: true})
	n.Finalize()
	cases := []struct {
		name, from, qname string
		reach             pathTable
		want              want
	}{
		{"on-premises sees the VPC's private hosted zone (R2.9)", "rslvr-in-0seed003", "app.corp.example.", pathTable{"172.20.128.53": dns.Reachable},
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, by: dns.ByPrivateHostedZone, trace: "R2.9"}},
		{"on-premises sees the endpoint private DNS", "rslvr-in-0seed003", dnstest.PrivateName, pathTable{"172.20.128.53": dns.Reachable},
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPA, dnstest.EndpointIPC}, by: dns.ByEndpointPrivate}},
		{"inbound endpoint unreachable from on-premises: TIMEOUT", "rslvr-in-0seed003", "app.corp.example.", pathTable{},
			want{rcode: dns.Timeout}},
		{"inbound-only private DNS answers inbound queries (R4.5)", "rslvr-in-0seed003", "s3.ap-northeast-1.amazonaws.com.", pathTable{"172.20.128.53": dns.Reachable},
			want{rcode: dns.NoError, values: []string{"172.20.128.33"}, by: dns.ByEndpointPrivate}},
		{"inbound-only private DNS answers bucket names through inbound endpoints", "rslvr-in-0seed003", "my-bucket.s3.ap-northeast-1.amazonaws.com.", pathTable{"172.20.128.53": dns.Reachable},
			want{rcode: dns.NoError, values: []string{"172.20.128.33"}}},
		{"inbound-only private DNS is skipped inside the VPC (R4.5)", dnstest.AppInstance, "s3.ap-northeast-1.amazonaws.com.", nil,
			want{rcode: dns.Unknown, by: dns.ByPublic, trace: "PrivateDnsOnlyForInboundResolverEndpoint"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r dns.Reacher
			if c.reach != nil {
				r = c.reach
			}
			check(t, resolve(t, n, r, c.from, c.qname, "A"), c.want)
		})
	}
}

func TestFirewall(t *testing.T) {
	build := func(rules ...model.FirewallRule) *model.Network {
		n := dnstest.Seed003()
		n.FirewallDomainLists.Put(&model.FirewallDomainList{Meta: model.Meta{ID: "rslvr-fdl-bad"}, Domains: []string{"*.corp.example", "bad.example"}})
		n.FirewallDomainLists.Put(&model.FirewallDomainList{Meta: model.Meta{ID: "rslvr-fdl-app"}, Domains: []string{"app.corp.example."}})
		n.FirewallDomainLists.Put(&model.FirewallDomainList{Meta: model.Meta{ID: "rslvr-fdl-all"}, Domains: []string{"*"}})
		n.FirewallRuleGroups.Put(&model.FirewallRuleGroup{Meta: model.Meta{ID: "rslvr-frg-1"}, RulesKnown: true, Rules: rules})
		n.FirewallAssociations.Put(&model.FirewallRuleGroupAssociation{Meta: model.Meta{ID: "rslvr-frgassoc-1"}, FirewallRuleGroupID: "rslvr-frg-1", VPCID: dnstest.AppVPC, Priority: 101})
		n.Finalize()
		return n
	}
	cases := []struct {
		name  string
		rules []model.FirewallRule
		qname string
		want  want
	}{
		{"BLOCK NXDOMAIN", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-bad", BlockResponse: "NXDOMAIN"}},
			"app.corp.example.", want{rcode: dns.NXDomain, by: dns.ByFirewall}},
		{"BLOCK NODATA", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-bad", BlockResponse: "NODATA"}},
			"app.corp.example.", want{rcode: dns.NoError, by: dns.ByFirewall}},
		{"BLOCK OVERRIDE answers a CNAME and follows it", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-app", BlockResponse: "OVERRIDE", BlockOverrideDomain: "ssm-alias.corp.example"}},
			"app.corp.example.", want{rcode: dns.NoError, values: []string{"ssm-alias.corp.example.", dnstest.EndpointIPA, dnstest.EndpointIPC}, by: dns.ByFirewall, trace: "OVERRIDE"}},
		{"*.domain does not match the domain itself", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-bad", BlockResponse: "NXDOMAIN"}},
			"corp.example.", want{rcode: dns.NoError, by: dns.ByPrivateHostedZone}},
		{"first match ends evaluation: ALLOW before BLOCK", []model.FirewallRule{
			{Priority: 2, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-all", BlockResponse: "NXDOMAIN"},
			{Priority: 1, Action: "ALLOW", FirewallDomainListID: "rslvr-fdl-app"}},
			"app.corp.example.", want{rcode: dns.NoError, values: []string{dnstest.AppIP}, by: dns.ByPrivateHostedZone, trace: "ALLOW"}},
		{"a CNAME target is inspected too (INSPECT_REDIRECTION_DOMAIN, the default)", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-app", BlockResponse: "NXDOMAIN"}},
			"www.corp.example.", want{rcode: dns.NXDomain, values: []string{"app.corp.example."}, by: dns.ByPrivateHostedZone}},
		{"TRUST_REDIRECTION_DOMAIN lets a CNAME target through", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-app", BlockResponse: "NXDOMAIN", RedirectionAction: "TRUST_REDIRECTION_DOMAIN"}},
			"www.corp.example.", want{rcode: dns.NoError, values: []string{"app.corp.example.", dnstest.AppIP}, trace: "trusts redirection domains"}},
		{"a missing domain list makes the answer UNKNOWN", []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-missing"}},
			"app.corp.example.", want{rcode: dns.Unknown}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, resolve(t, build(c.rules...), nil, dnstest.AppInstance, c.qname, "A"), c.want)
		})
	}
}

func TestDNS64(t *testing.T) {
	n := dnstest.Seed003()
	s, _ := n.Subnets.Get(dnstest.AppSubnetA)
	s.EnableDNS64 = true
	check(t, resolve(t, n, nil, dnstest.AppInstance, "app.corp.example.", "AAAA"),
		want{rcode: dns.NoError, values: []string{"64:ff9b::ac14:820a"}, trace: "R7.5"})
	// Another subnet of the VPC has DNS64 off: NODATA.
	check(t, resolve(t, n, nil, dnstest.AppSubnetC, "app.corp.example.", "AAAA"), want{rcode: dns.NoError})
}

func TestClientVPNServers(t *testing.T) {
	build := func(servers ...string) *model.Network {
		n := dnstest.Seed003()
		e := &model.ClientVPNEndpoint{Meta: model.Meta{ID: "cvpn-endpoint-0seed"}, VPCID: dnstest.AppVPC, ClientCIDR: netip.MustParsePrefix("10.100.0.0/22")}
		for _, s := range servers {
			e.DNSServers = append(e.DNSServers, netip.MustParseAddr(s))
		}
		n.ClientVPNEndpoints.Put(e)
		n.Finalize()
		return n
	}
	tunnel := pathTable{"172.20.0.2": dns.Reachable}
	cases := []struct {
		name    string
		servers []string
		reach   pathTable
		qname   string
		want    want
	}{
		{"VPC+2 through the tunnel: resolved as the VPC, private DNS answers (R6.2)", []string{"172.20.0.2"}, tunnel, dnstest.PrivateName,
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPA, dnstest.EndpointIPC}, by: dns.ByEndpointPrivate}},
		{"VPC+2 not routed through the tunnel: TIMEOUT", []string{"172.20.0.2"}, pathTable{}, dnstest.PrivateName,
			want{rcode: dns.Timeout}},
		{"the link-local address does not work from a client (R1.3)", []string{"169.254.169.253"}, tunnel, dnstest.PrivateName,
			want{rcode: dns.Timeout, trace: "R1.3"}},
		{"no pushed servers: the device's own, unknown (R6.1)", nil, tunnel, dnstest.PrivateName,
			want{rcode: dns.Unknown, trace: "R6.1"}},
		{"first server unreachable, second answers", []string{"10.99.0.53", "172.20.0.2"}, tunnel, "app.corp.example.",
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, resolve(t, build(c.servers...), c.reach, "cvpn-endpoint-0seed", c.qname, "A"), c.want)
		})
	}
}

func TestPublicNamesFromTheSources(t *testing.T) {
	n := dnstest.Seed003()
	n.HostedZones.Put(&model.HostedZone{Meta: model.Meta{ID: "ZPUBLIC"}, ZoneName: "example.net.", RecordsKnown: true,
		Records: []model.Record{{Name: "www.example.net.", Type: "A", TTL: 300, Values: []string{"198.51.100.7"}}}})
	n.LoadBalancers.Put(&model.LoadBalancer{Meta: model.Meta{ID: "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/net/nlb/1"},
		LBType: "network", Scheme: "internet-facing", DNSName: "nlb-1.elb.ap-northeast-1.amazonaws.com",
		Addresses: []netip.Addr{netip.MustParseAddr("198.51.100.20"), netip.MustParseAddr("2001:db8::20")}})
	n.Finalize()
	cases := []struct {
		name, qname, qtype string
		want               want
	}{
		{"public hosted zone record", "www.example.net.", "A", want{rcode: dns.NoError, values: []string{"198.51.100.7"}, by: dns.ByPublic, byID: "ZPUBLIC"}},
		{"public hosted zone: missing name", "nope.example.net.", "A", want{rcode: dns.NXDomain, by: dns.ByPublic}},
		{"load balancer name with known addresses", "nlb-1.elb.ap-northeast-1.amazonaws.com.", "A", want{rcode: dns.NoError, values: []string{"198.51.100.20"}, by: dns.ByPublic}},
		{"dualstack load balancer name, AAAA", "dualstack.nlb-1.elb.ap-northeast-1.amazonaws.com.", "AAAA", want{rcode: dns.NoError, values: []string{"2001:db8::20"}}},
		{"load balancer name with unknown addresses", dnstest.LBName, "A", want{rcode: dns.Unknown}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, resolve(t, n, nil, dnstest.AppInstance, c.qname, c.qtype), c.want)
		})
	}
}

func TestNXDomainForOtherTypesOption(t *testing.T) {
	n := dnstest.Seed003()
	v, err := dns.VantageFor(n, dnstest.AppInstance)
	if err != nil {
		t.Fatal(err)
	}
	r := dns.New(n, nil, dns.Options{NXDomainForOtherTypes: true})
	check(t, r.Resolve(context.Background(), v, "app.corp.example.", dns.TypeTXT), want{rcode: dns.NXDomain, trace: "as AWS documents"})
}

func TestInboundEndpointWithoutAddresses(t *testing.T) {
	n := dnstest.Seed003()
	n.ResolverEndpoints.Put(&model.ResolverEndpoint{Meta: model.Meta{ID: "rslvr-in-0noaddr"}, Direction: "INBOUND", VPCID: dnstest.AppVPC})
	n.Finalize()
	check(t, resolve(t, n, nil, "rslvr-in-0noaddr", "app.corp.example.", "A"), want{rcode: dns.Unknown})
}

func TestUnknownRecordValuesAreNotNoData(t *testing.T) {
	n := dnstest.Seed003()
	hz, _ := n.HostedZones.Get(dnstest.Zone)
	hz.Records = append(hz.Records, model.Record{Name: "later.corp.example.", Type: "A", TTL: 60})
	hz.AddUnknown("Records.later.corp.example. A", "some values are known only after deployment")
	n.Finalize()
	check(t, resolve(t, n, nil, dnstest.AppInstance, "later.corp.example.", "A"), want{rcode: dns.Unknown, trace: "not known"})
	// Other names are unaffected.
	check(t, resolve(t, n, nil, dnstest.AppInstance, "app.corp.example.", "A"), want{rcode: dns.NoError, values: []string{dnstest.AppIP}})

	hz.AddUnknown("Records. A", "the record name is a parameter without value")
	n.Finalize()
	check(t, resolve(t, n, nil, dnstest.AppInstance, "nope.corp.example.", "A"), want{rcode: dns.Unknown, trace: "record names of the zone are not known"})
}

func TestFirewallAssociationOfUnknownVPC(t *testing.T) {
	n := dnstest.Seed003()
	n.FirewallDomainLists.Put(&model.FirewallDomainList{Meta: model.Meta{ID: "rslvr-fdl-app"}, Domains: []string{"app.corp.example"}})
	n.FirewallRuleGroups.Put(&model.FirewallRuleGroup{Meta: model.Meta{ID: "rslvr-frg-x"}, RulesKnown: true,
		Rules: []model.FirewallRule{{Priority: 1, Action: "BLOCK", FirewallDomainListID: "rslvr-fdl-app", BlockResponse: "NXDOMAIN"}}})
	n.FirewallAssociations.Put(&model.FirewallRuleGroupAssociation{Meta: model.Meta{ID: "rslvr-frgassoc-x"}, FirewallRuleGroupID: "rslvr-frg-x", Priority: 200})
	n.Finalize()
	check(t, resolve(t, n, nil, dnstest.AppInstance, "app.corp.example.", "A"), want{rcode: dns.Unknown, trace: "may block"})
	check(t, resolve(t, n, nil, dnstest.AppInstance, "www.corp.example.", "A"), want{rcode: dns.Unknown, values: []string{"app.corp.example."}})
	check(t, resolve(t, n, nil, dnstest.AppInstance, "note.corp.example.", "TXT"), want{rcode: dns.NoError, values: []string{`"v=spf1 -all"`}})
}

func TestPrivateZoneOfUnknownVPC(t *testing.T) {
	n := dnstest.Seed003()
	n.HostedZones.Put(&model.HostedZone{Meta: model.Meta{ID: "ZMAYBE"}, ZoneName: "maybe.internal.", Private: true, RecordsKnown: true,
		VPCs: []model.ZoneVPC{{VPCID: ""}}, Records: []model.Record{{Name: "a.maybe.internal.", Type: "A", TTL: 60, Values: []string{"10.0.0.1"}}}})
	n.Finalize()
	check(t, resolve(t, n, nil, dnstest.AppInstance, "a.maybe.internal.", "A"), want{rcode: dns.Unknown, trace: "maybe this one"})
}
