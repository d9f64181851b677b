package dns_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
	"github.com/vpcreach/vpcreach/internal/model"
)

type want struct {
	rcode  dns.Rcode
	values []string // answer values, in any order
	by     string   // answeredBy.kind
	byID   string   // answeredBy.id, when checked
	trace  string   // a substring of the trace, when checked
}

func check(t *testing.T, res *dns.Result, w want) {
	t.Helper()
	var got []string
	for _, a := range res.Answers {
		got = append(got, a.Value)
	}
	slices.Sort(got)
	wv := slices.Clone(w.values)
	slices.Sort(wv)
	trace := strings.Join(res.Trace, "\n")
	if res.Rcode != w.rcode || !slices.Equal(got, wv) {
		t.Errorf("%s %s: got %s %v, want %s %v\nreason: %s\ntrace:\n%s", res.Name, res.Type, res.Rcode, got, w.rcode, wv, res.Reason, trace)
	}
	if w.by != "" && (res.AnsweredBy == nil || res.AnsweredBy.Kind != w.by) {
		t.Errorf("%s: answeredBy %+v, want kind %s\ntrace:\n%s", res.Name, res.AnsweredBy, w.by, trace)
	}
	if w.byID != "" && (res.AnsweredBy == nil || res.AnsweredBy.ID != w.byID) {
		t.Errorf("%s: answeredBy %+v, want id %s", res.Name, res.AnsweredBy, w.byID)
	}
	if w.trace != "" && !strings.Contains(trace, w.trace) {
		t.Errorf("%s: trace lacks %q:\n%s", res.Name, w.trace, trace)
	}
}

func resolve(t *testing.T, n *model.Network, r dns.Reacher, from, name, typ string) *dns.Result {
	t.Helper()
	v, err := dns.VantageFor(n, from)
	if err != nil {
		t.Fatal(err)
	}
	qt, err := dns.ParseType(typ)
	if err != nil {
		t.Fatal(err)
	}
	return dns.New(n, r, dns.Options{}).Resolve(context.Background(), v, name, qt)
}

// TestSeed003EndpointNames reproduces seed 003: an ssm interface endpoint
// with private DNS in two AZs, seen from its VPC, a peered VPC and a VPC
// without DNS hostnames.
func TestSeed003EndpointNames(t *testing.T) {
	n := dnstest.Seed003()
	both := []string{dnstest.EndpointIPA, dnstest.EndpointIPC}
	cases := []struct {
		name, from, qname, qtype string
		want                     want
	}{
		{"regional name inside the VPC answers both ENIs (R4.1)", dnstest.AppInstance, dnstest.RegionalName, "A",
			want{rcode: dns.NoError, values: both, by: dns.ByEndpointDNS, byID: dnstest.Endpoint}},
		{"zonal name answers the ENI of its AZ (R4.1)", dnstest.AppInstance, dnstest.ZonalNameA, "A",
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPA}, by: dns.ByEndpointDNS}},
		{"other zonal name answers the other ENI", dnstest.AppInstance, dnstest.ZonalNameC, "A",
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPC}, by: dns.ByEndpointDNS}},
		{"private name inside the VPC answers the ENIs (R4.2)", dnstest.AppInstance, dnstest.PrivateName, "A",
			want{rcode: dns.NoError, values: both, by: dns.ByEndpointPrivate, byID: dnstest.Endpoint}},
		{"private name is case-insensitive and needs no final dot", dnstest.AppSubnetC, "SSM.ap-northeast-1.amazonaws.com", "A",
			want{rcode: dns.NoError, values: both, by: dns.ByEndpointPrivate}},
		{"private name has no AAAA: NODATA", dnstest.AppInstance, dnstest.PrivateName, "AAAA",
			want{rcode: dns.NoError, by: dns.ByEndpointPrivate}},
		{"regional name from the peered VPC answers the ENIs (public DNS, R4.1)", dnstest.PeerInstance, dnstest.RegionalName, "A",
			want{rcode: dns.NoError, values: both, by: dns.ByEndpointDNS}},
		{"zonal name from the peered VPC", dnstest.PeerInstance, dnstest.ZonalNameC, "A",
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPC}, by: dns.ByEndpointDNS}},
		{"private name from the peered VPC is public DNS: UNKNOWN (R4.3)", dnstest.PeerInstance, dnstest.PrivateName, "A",
			want{rcode: dns.Unknown, by: dns.ByPublic}},
		{"regional name from a VPC without DNS hostnames", dnstest.NoHostVPC, dnstest.RegionalName, "A",
			want{rcode: dns.NoError, values: both, by: dns.ByEndpointDNS}},
		{"private name without DNS hostnames is public DNS (R4.2)", dnstest.NoHostVPC, dnstest.PrivateName, "A",
			want{rcode: dns.Unknown, by: dns.ByPublic, trace: "both must be true (R4.2)"}},
		{"endpoint IP name from the VPC (EC2 name of the ENI)", dnstest.AppInstance, "ip-172-20-128-22.ap-northeast-1.compute.internal", "A",
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPA}, by: dns.ByEC2Hostname}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, resolve(t, n, nil, c.from, c.qname, c.qtype), c.want)
		})
	}
}

func TestSeed003EC2Names(t *testing.T) {
	n := dnstest.Seed003()
	cases := []struct {
		name, from, qname, qtype string
		want                     want
	}{
		{"IP name in the region's compute.internal domain (R3.1)", dnstest.AppInstance, "ip-172-20-130-10.ap-northeast-1.compute.internal.", "A",
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, by: dns.ByEC2Hostname, byID: dnstest.AppInstance}},
		{"IP name answers A only (R3.1)", dnstest.AppInstance, "ip-172-20-130-10.ap-northeast-1.compute.internal.", "AAAA",
			want{rcode: dns.NoError, by: dns.ByEC2Hostname}},
		{"IP name of a peer instance, RFC 1918 (R3.3)", dnstest.AppInstance, "ip-10-1-0-10.ap-northeast-1.compute.internal.", "A",
			want{rcode: dns.NoError, values: []string{dnstest.PeerIP}}},
		{"malformed IP name is NXDOMAIN", dnstest.AppInstance, "ip-300-1-0-10.ap-northeast-1.compute.internal.", "A",
			want{rcode: dns.NXDomain}},
		{"resource name without the A flag is NODATA (R3.2)", dnstest.AppInstance, dnstest.AppInstance + ".ap-northeast-1.compute.internal.", "A",
			want{rcode: dns.NoError, by: dns.ByEC2Hostname}},
		{"resource name of an instance outside the sources is UNKNOWN", dnstest.AppInstance, "i-0ffffffffffffffff.ap-northeast-1.compute.internal.", "A",
			want{rcode: dns.Unknown, by: dns.ByEC2Hostname}},
		{"public name inside the VPC answers the private IP (R3.4)", dnstest.AppInstance, "ec2-203-0-113-10.ap-northeast-1.compute.amazonaws.com", "A",
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, by: dns.ByEC2Hostname, byID: dnstest.AppInstance}},
		{"public name from the peer whose remote side allows DNS answers the private IP (R3.5)", dnstest.PeerInstance, "ec2-203-0-113-10.ap-northeast-1.compute.amazonaws.com", "A",
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, trace: "allows DNS resolution"}},
		{"public name across the peering without the option answers the public IP (R3.5)", dnstest.AppInstance, "ec2-203-0-113-20.ap-northeast-1.compute.amazonaws.com", "A",
			want{rcode: dns.NoError, values: []string{dnstest.PeerPublicIP}, trace: "does not allow DNS resolution"}},
		{"public name from a VPC without hostnames is public DNS: the public IP", dnstest.NoHostVPC, "ec2-203-0-113-10.ap-northeast-1.compute.amazonaws.com", "A",
			want{rcode: dns.NoError, values: []string{dnstest.AppPublicIP}, by: dns.ByEC2Hostname}},
		{"IP name without DNS hostnames falls to public DNS (R1.7)", dnstest.NoHostVPC, "ip-172-30-1-10.ap-northeast-1.compute.internal.", "A",
			want{rcode: dns.Unknown, by: dns.ByPublic, trace: "enableDnsHostnames=false"}},
		{"PTR of an instance (R2.2 reverse zones)", dnstest.AppInstance, "10.130.20.172.in-addr.arpa.", "PTR",
			want{rcode: dns.NoError, values: []string{"ip-172-20-130-10.ap-northeast-1.compute.internal."}, by: dns.ByAutodefined}},
		{"PTR of a peer instance", dnstest.AppInstance, "10.0.1.10.in-addr.arpa.", "PTR",
			want{rcode: dns.NoError, values: []string{"ip-10-1-0-10.ap-northeast-1.compute.internal."}}},
		{"PTR of an address no VPC holds is UNKNOWN", dnstest.AppInstance, "1.0.0.192.in-addr.arpa.", "PTR",
			want{rcode: dns.Unknown}},
		{"localhost", dnstest.AppInstance, "localhost.", "A",
			want{rcode: dns.NoError, values: []string{"127.0.0.1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, resolve(t, n, nil, c.from, c.qname, c.qtype), c.want)
		})
	}
}

func TestSeed003PrivateHostedZone(t *testing.T) {
	n := dnstest.Seed003()
	cases := []struct {
		name, from, qname, qtype string
		want                     want
	}{
		{"A record", dnstest.AppInstance, "app.corp.example.", "A",
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, by: dns.ByPrivateHostedZone, byID: dnstest.Zone}},
		{"associated peer VPC sees the zone too", dnstest.PeerInstance, "app.corp.example.", "A",
			want{rcode: dns.NoError, values: []string{dnstest.AppIP}, by: dns.ByPrivateHostedZone}},
		{"unassociated VPC resolves publicly (R2.8b)", dnstest.NoHostVPC, "app.corp.example.", "A",
			want{rcode: dns.Unknown, by: dns.ByPublic}},
		{"CNAME is followed", dnstest.AppInstance, "www.corp.example.", "A",
			want{rcode: dns.NoError, values: []string{"app.corp.example.", dnstest.AppIP}}},
		{"CNAME query returns the CNAME only", dnstest.AppInstance, "www.corp.example.", "CNAME",
			want{rcode: dns.NoError, values: []string{"app.corp.example."}}},
		{"missing name is NXDOMAIN without fallback (R2.6)", dnstest.AppInstance, "nope.corp.example.", "A",
			want{rcode: dns.NXDomain, by: dns.ByPrivateHostedZone, trace: "no fallback"}},
		{"existing name of another type is NODATA, made explicit (R2.6)", dnstest.AppInstance, "app.corp.example.", "TXT",
			want{rcode: dns.NoError, trace: "NODATA"}},
		{"empty non-terminal is NODATA", dnstest.AppInstance, "sub.corp.example.", "A",
			want{rcode: dns.NoError, trace: "parent of other records"}},
		{"wildcard answers", dnstest.AppInstance, "x.y.wild.corp.example.", "A",
			want{rcode: dns.NoError, values: []string{"172.20.130.99"}, trace: "wildcard"}},
		{"TXT", dnstest.AppInstance, "note.corp.example.", "TXT",
			want{rcode: dns.NoError, values: []string{`"v=spf1 -all"`}}},
		{"MX", dnstest.AppInstance, "mail.corp.example.", "MX",
			want{rcode: dns.NoError, values: []string{"10 app.corp.example."}}},
		{"alias to an endpoint's regional name", dnstest.AppInstance, "ssm-alias.corp.example.", "A",
			want{rcode: dns.NoError, values: []string{dnstest.EndpointIPA, dnstest.EndpointIPC}}},
		{"alias to a load balancer whose addresses are unknown", dnstest.AppInstance, "web.corp.example.", "A",
			want{rcode: dns.Unknown, trace: "alias to load balancer"}},
		{"dangling CNAME gives the CNAME and NXDOMAIN", dnstest.AppInstance, "dangling.corp.example.", "A",
			want{rcode: dns.NXDomain, values: []string{"missing.corp.example."}}},
		{"CNAME loop ends in SERVFAIL", dnstest.AppInstance, "loop1.corp.example.", "A",
			want{rcode: dns.ServFail, values: []string{"loop1.corp.example.", "loop2.corp.example."}, trace: "CNAME loop"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, resolve(t, n, nil, c.from, c.qname, c.qtype), c.want)
		})
	}
}

func TestEndpointServicePrivateDNSIsACNAME(t *testing.T) {
	n := dnstest.Seed003()
	dnstest.ENI(n, "eni-0svc", dnstest.AppSubnetA, dnstest.AppVPC, "172.20.128.77", "", model.OwnerVPCEndpoint, "vpce-0svc")
	n.VPCEndpoints.Put(&model.VPCEndpoint{Meta: model.Meta{ID: "vpce-0svc"}, EndpointType: "Interface",
		ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0", VPCID: dnstest.AppVPC,
		SubnetIDs: []string{dnstest.AppSubnetA}, NetworkInterfaceIDs: []string{"eni-0svc"}, PrivateDNSEnabled: model.True,
		PrivateDNSName: "api.partner.example.com",
		DNSEntries:     []model.EndpointDNSEntry{{DNSName: "vpce-0svc-abcd1234.vpce-svc-0123456789abcdef0.ap-northeast-1.vpce.amazonaws.com"}}})
	n.Finalize()
	check(t, resolve(t, n, nil, dnstest.AppInstance, "api.partner.example.com.", "A"), want{rcode: dns.NoError,
		values: []string{"vpce-0svc-abcd1234.vpce-svc-0123456789abcdef0.ap-northeast-1.vpce.amazonaws.com.", "172.20.128.77"}, by: dns.ByEndpointPrivate})
	// From the peered VPC the provider's name is public DNS.
	check(t, resolve(t, n, nil, dnstest.PeerInstance, "api.partner.example.com.", "A"), want{rcode: dns.Unknown, by: dns.ByPublic})
}
