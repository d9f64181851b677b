package dns_test

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Two private hosted zones of one name cannot both be associated with a
// VPC: AWS refuses whichever comes second (ConflictingDomainExists), and
// the sources do not say which came first. The answer is definite when
// both zones answer alike, unknown otherwise, never the first zone's by
// the order of the sources.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-creating.html
func TestSameNamePrivateZonesAnswerOnlyWhenTheyAgree(t *testing.T) {
	reach := pathTable{}
	for _, c := range []struct {
		name  string
		value string
		want  want
	}{
		{"same records: either zone answers the same", "10.9.1.5", want{rcode: dns.NoError, values: []string{"10.9.1.5"}, by: dns.ByPrivateHostedZone}},
		{"different records: it depends on which was associated first", "10.9.1.99", want{rcode: dns.Unknown, trace: "only the one associated first answers"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := hubAndSpoke()
			n.HostedZones.Put(&model.HostedZone{Meta: meta("ZCORP2"), ZoneName: "corp.internal.", Private: true, RecordsKnown: true,
				VPCs: []model.ZoneVPC{{VPCID: spokeVPC}},
				Records: []model.Record{
					{Name: "app.corp.internal.", Type: "A", TTL: 60, Values: []string{c.value}},
					{Name: "x.svc.corp.internal.", Type: "A", TTL: 60, Values: []string{"10.9.1.6"}},
				}})
			n.Finalize()
			check(t, resolve(t, n, reach, spokeSub, "app.corp.internal.", "A"), c.want)
		})
	}
}

// Public hosted zones may share a name; the parent domain's delegation
// picks the one that answers, and the sources do not hold it.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html (a zone may share a name; the registrar's name servers pick it)
func TestSameNamePublicZonesAnswerOnlyWhenTheyAgree(t *testing.T) {
	reach := pathTable{}
	for _, c := range []struct {
		name  string
		value string
		want  want
	}{
		{"same records", "198.51.100.1", want{rcode: dns.NoError, values: []string{"198.51.100.1"}, by: dns.ByPublic}},
		{"different records", "198.51.100.2", want{rcode: dns.Unknown, by: dns.ByPublic, trace: "delegation"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := hubAndSpoke()
			n.HostedZones.Put(&model.HostedZone{Meta: meta("ZPUB1"), ZoneName: "shop.example.org.", RecordsKnown: true,
				Records: []model.Record{{Name: "www.shop.example.org.", Type: "A", TTL: 60, Values: []string{"198.51.100.1"}}}})
			n.HostedZones.Put(&model.HostedZone{Meta: meta("ZPUB2"), ZoneName: "shop.example.org.", RecordsKnown: true,
				Records: []model.Record{{Name: "www.shop.example.org.", Type: "A", TTL: 60, Values: []string{c.value}}}})
			n.Finalize()
			check(t, resolve(t, n, reach, spokeSub, "www.shop.example.org.", "A"), c.want)
		})
	}
}
