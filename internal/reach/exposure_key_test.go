package reach

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// TestExposureKeyOrdersAsTheFindings: comparing two findings' keys byte by
// byte gives the order compareFindings gives them, on findings whose IDs
// are prefixes of one another, hold zero bytes, or differ in any field.
func TestExposureKeyOrdersAsTheFindings(t *testing.T) {
	ids := []string{"", "a", "ab", "a\x00", "a\x00b", "a\x01", "b", "\x00", "\xff", "arn:aws:x/1", "eni-0a"}
	kinds := []EdgeKind{EdgeInternet, EdgePeering, EdgeTransitGateway, EdgeVPNGateway, EdgeDirectConnect, EdgeClientVPN, EdgeUnknown, "odd"}
	protos := []string{"all", "tcp", "udp", "icmp", "icmpv6", "50", "other", "6", ""}
	verdicts := []Verdict{Reachable, PossiblyReachable, Unreachable, ""}
	ports := []uint16{0, 1, 22, 255, 256, 65535}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(ss []string) string { return ss[r.IntN(len(ss))] }
	fs := make([]ExposureFinding, 400)
	for i := range fs {
		fs[i] = ExposureFinding{
			Resource:     ExposedResource{ID: pick(ids), ENI: pick(ids)},
			From:         ExposureFrom{Kind: kinds[r.IntN(len(kinds))], ID: pick(ids)},
			Protocol:     pick(protos),
			Ports:        model.PortRange{From: ports[r.IntN(len(ports))], To: ports[r.IntN(len(ports))]},
			Verdict:      verdicts[r.IntN(len(verdicts))],
			LoadBalancer: pick(ids),
		}
	}
	keys := make([][]byte, len(fs))
	for i := range fs {
		keys[i] = AppendExposureKey(nil, &fs[i])
	}
	sign := func(c int) int { return min(max(c, -1), 1) }
	for i := range fs {
		for j := range fs {
			want := sign(compareFindings(&fs[i], &fs[j]))
			if got := sign(bytes.Compare(keys[i], keys[j])); got != want {
				t.Fatalf("keys of %+v and %+v compare %d, findings %d", fs[i], fs[j], got, want)
			}
		}
	}
}
