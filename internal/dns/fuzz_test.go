package dns_test

import (
	"context"
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
)

// FuzzResolve resolves arbitrary names and types from inside seed 003's
// VPC: never a panic, always a known rcode and a trace, and a reason
// whenever the answer is not a DNS answer. Seeds are in
// testdata/fuzz/FuzzResolve.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{dnstest.PrivateName, dnstest.RegionalName, "www.corp.example.", "10.130.20.172.in-addr.arpa.",
		"ip-172-20-130-10.ap-northeast-1.compute.internal.", "ec2-203-0-113-10.ap-northeast-1.compute.amazonaws.com.", ".", "", "..", "a..b"} {
		f.Add(s, uint16(1))
	}
	n := dnstest.Seed003()
	v, err := dns.VantageFor(n, dnstest.AppInstance)
	if err != nil {
		f.Fatal(err)
	}
	s := dns.New(n, nil, dns.Options{}).Session(context.Background(), v)
	valid := map[dns.Rcode]bool{dns.NoError: true, dns.NXDomain: true, dns.ServFail: true, dns.Refused: true, dns.Timeout: true, dns.Unknown: true}
	f.Fuzz(func(t *testing.T, name string, qtype uint16) {
		res := s.Resolve(context.Background(), name, dns.Type(qtype))
		if !valid[res.Rcode] || len(res.Trace) == 0 {
			t.Fatalf("%q %d: rcode %q, trace %v", name, qtype, res.Rcode, res.Trace)
		}
		if (res.Rcode == dns.Unknown || res.Rcode == dns.ServFail || res.Rcode == dns.Timeout) && res.Reason == "" {
			t.Fatalf("%q %d: %s without a reason", name, qtype, res.Rcode)
		}
	})
}
