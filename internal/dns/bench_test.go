package dns_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
	"github.com/vpcreach/vpcreach/internal/model"
)

// bigNetwork is seed 003 plus zones private hosted zones of perZone
// records each, all associated with the application VPC, and a few
// forwarding rules.
func bigNetwork(zones, perZone int) *model.Network {
	n := dnstest.Seed003()
	for z := 0; z < zones; z++ {
		hz := &model.HostedZone{Meta: model.Meta{ID: fmt.Sprintf("ZBENCH%05d", z)}, ZoneName: fmt.Sprintf("z%d.bench.internal.", z),
			Private: true, RecordsKnown: true, VPCs: []model.ZoneVPC{{VPCID: dnstest.AppVPC}}}
		hz.Records = make([]model.Record, perZone)
		for i := range hz.Records {
			hz.Records[i] = model.Record{Name: fmt.Sprintf("host%d.z%d.bench.internal.", i, z), Type: "A", TTL: 60,
				Values: []string{netip.AddrFrom4([4]byte{10, byte(z >> 8), byte(z), byte(i)}).String()}}
		}
		n.HostedZones.Put(hz)
	}
	for i := 0; i < 20; i++ {
		id := fmt.Sprintf("rslvr-rr-bench%02d", i)
		n.ResolverRules.Put(&model.ResolverRule{Meta: model.Meta{ID: id}, DomainName: fmt.Sprintf("onprem%d.example.", i), RuleType: "FORWARD",
			TargetIPs: []model.ResolverTarget{{IP: netip.MustParseAddr("192.168.0.53"), Port: 53}}})
		n.ResolverRuleAssocs.Put(&model.ResolverRuleAssociation{Meta: model.Meta{ID: "assoc-" + id}, ResolverRuleID: id, VPCID: dnstest.AppVPC})
	}
	n.Finalize()
	return n
}

func TestBigNetworkAnswers(t *testing.T) {
	n := bigNetwork(50, 100)
	check(t, resolve(t, n, nil, dnstest.AppInstance, "host7.z42.bench.internal.", "A"), want{rcode: dns.NoError, values: []string{"10.0.42.7"}, byID: "ZBENCH00042"})
	check(t, resolve(t, n, nil, dnstest.AppInstance, "host700.z42.bench.internal.", "A"), want{rcode: dns.NXDomain})
}

// BenchmarkResolve is one resolution on 1,000 private hosted zones and
// 100,000 records (the target is at most 100 µs per resolution).
func BenchmarkResolve(b *testing.B) {
	n := bigNetwork(1000, 100)
	r := dns.New(n, nil, dns.Options{})
	v, err := dns.VantageFor(n, dnstest.AppInstance)
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, 1024)
	for i := range names {
		names[i] = fmt.Sprintf("host%d.z%d.bench.internal.", (i*7)%100, (i*13)%1000)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := r.Resolve(ctx, v, names[i%len(names)], dns.TypeA)
		if res.Rcode != dns.NoError || len(res.Answers) != 1 {
			b.Fatalf("%s: %s %v", res.Name, res.Rcode, res.Answers)
		}
	}
}

// BenchmarkNew is indexing the same network once.
func BenchmarkNew(b *testing.B) {
	n := bigNetwork(1000, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dns.New(n, nil, dns.Options{})
	}
}
