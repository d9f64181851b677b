package report

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// streamSample is a few hundred findings with distinct keys, in order:
// resources with one or two interfaces, load balancer targets, ICMP types
// to fold, possibly-reachable findings (some citing a rule code),
// sources long enough to wrap, private and public addresses, and the
// files and lines they were read from.
func streamSample(r *rand.Rand) []reach.ExposureFinding {
	resources := []struct{ id, typ string }{
		{"i-0aaaaaaaaaaaaaaaa", model.TypeInstance},
		{"i-0bbbbbbbbbbbbbbbb", model.TypeInstance},
		{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0123456789abcdef", "AWS::ElasticLoadBalancingV2::LoadBalancer"},
		{"eni-0cccccccccccccccc", model.TypeNetworkInterface},
		{"nat-0dddddddddddddddd", model.TypeNATGateway},
	}
	edges := []reach.ExposureFrom{
		{Kind: reach.EdgeInternet, ID: "igw-0123456789abcdef0"},
		{Kind: reach.EdgePeering, ID: "pcx-0123456789abcdef0"},
		{Kind: reach.EdgeTransitGateway, ID: "tgw-attach-0123456789abcdef0"},
		{Kind: reach.EdgeClientVPN, ID: "cvpn-endpoint-0123456789abcdef0"},
	}
	sources := [][]netip.Prefix{
		{netip.MustParsePrefix("0.0.0.0/0")},
		{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("10.3.0.0/16")},
		{netip.MustParsePrefix("0.0.0.0/5"), netip.MustParsePrefix("11.0.0.0/8"), netip.MustParsePrefix("12.0.0.0/6"),
			netip.MustParsePrefix("16.0.0.0/4"), netip.MustParsePrefix("32.0.0.0/3"), netip.MustParsePrefix("64.0.0.0/2")},
		{netip.MustParsePrefix("::/0")},
	}
	reasons := []string{"allowed by sg-0123456789abcdef0 tcp 22 from 0.0.0.0/0", "the route table of subnet-0123456789abcdef0 is unknown (R1.8)",
		"network ACL acl-0123456789abcdef0 has an unknown rule; replies get back only to client source ports 1024-65535"}
	seen := map[string]bool{}
	var fs []reach.ExposureFinding
	for len(fs) < 300 {
		res := resources[r.IntN(len(resources))]
		f := reach.ExposureFinding{
			Resource: reach.ExposedResource{ID: res.id, Type: res.typ, ENI: fmt.Sprintf("eni-0%016x", r.IntN(2)),
				Address: netip.AddrFrom4([4]byte{10, 1, byte(r.IntN(4)), byte(r.IntN(256))}),
				Origin:  model.Origin{File: "aws_configs/111122223333/us-east-1/Reservations.json", Line: 1 + r.IntN(40)}},
			From:     edges[r.IntN(len(edges))],
			Verdict:  reach.Reachable,
			Severity: reach.Severity(1 + r.IntN(3)),
			Via:      []reach.Hop{{ID: "igw-0123456789abcdef0", Type: "internet-gateway"}, {ID: res.id, Type: "destination"}},
			Reason:   reasons[r.IntN(len(reasons))],
		}
		f.From.Sources = sources[r.IntN(len(sources))]
		switch p := r.IntN(5); p {
		case 0, 1:
			f.Protocol = []string{"tcp", "udp"}[p]
			port := uint16(r.IntN(4) * 1000)
			f.Ports = model.PortRange{From: port, To: port + uint16(r.IntN(2))}
		case 2:
			f.Protocol = "icmp"
			t := uint16(r.IntN(12))
			f.Ports = model.PortRange{From: t, To: t}
		case 3:
			f.Protocol = "all"
			f.Ports = model.PortRange{From: 0, To: 65535}
		default:
			f.Protocol = "50"
			f.Ports = model.PortRange{From: 0, To: 65535}
		}
		if r.IntN(3) == 0 {
			f.Verdict = reach.PossiblyReachable
		}
		if f.Protocol == "icmp" && r.IntN(2) == 0 {
			// Alike but for the type: folded into one row.
			f.Severity, f.Verdict, f.From.Sources, f.Reason = reach.SeverityLow, reach.Reachable, sources[0], reasons[0]
		}
		if r.IntN(6) == 0 {
			f.LoadBalancer = resources[2].id
		}
		if r.IntN(3) == 0 {
			f.Resource.PublicAddress = netip.AddrFrom4([4]byte{3, 0, byte(r.IntN(256)), byte(r.IntN(256))})
		}
		k := string(reach.AppendExposureKey(nil, &f))
		if seen[k] {
			continue
		}
		seen[k] = true
		fs = append(fs, f)
	}
	slices.SortStableFunc(fs, func(a, b reach.ExposureFinding) int {
		return bytes.Compare(reach.AppendExposureKey(nil, &a), reach.AppendExposureKey(nil, &b))
	})
	return fs
}

// TestExposureStreamWritesTheSameWhateverTheUnits: however the findings
// are cut into units, in whatever order the units come, from several
// goroutines, and in whatever order each unit gives its findings, the
// stream writes what the whole result writes, in every format.
func TestExposureStreamWritesTheSameWhateverTheUnits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	fs := streamSample(r)
	names := map[string]string{"i-0aaaaaaaaaaaaaaaa": "web", "igw-0123456789abcdef0": "main-igw"}
	st := Style{Names: func(id string) string { return names[id] }, Width: 120}
	res := &reach.ExposureResult{Findings: fs, Warnings: []string{"a warning"}, NotCollected: []string{"111122223333/us-east-1: Client VPN endpoints"}, Suppressed: 2}
	for _, format := range []Format{JSON, Text, SARIF} {
		var whole bytes.Buffer
		if err := st.Exposure(&whole, format, res, []string{"file.json:3: dangling-reference: x"}); err != nil {
			t.Fatal(err)
		}
		if format == Text && !strings.Contains(whole.String(), "types ") {
			t.Fatalf("the sample folds no ICMP types:\n%s", whole.String())
		}
		for round := range 5 {
			shuffled := append([]reach.ExposureFinding(nil), fs...)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			var units [][]reach.ExposureFinding
			for len(shuffled) > 0 {
				n := min(len(shuffled), 1+r.IntN(40))
				units = append(units, shuffled[:n])
				shuffled = shuffled[n:]
			}
			s := st.NewExposureStream(format)
			var wg sync.WaitGroup
			for _, u := range r.Perm(len(units)) {
				wg.Go(func() { s.Add(u, units[u]) })
			}
			wg.Wait()
			var streamed bytes.Buffer
			if err := s.Write(&streamed, res, []string{"file.json:3: dangling-reference: x"}); err != nil {
				t.Fatal(err)
			}
			if streamed.String() != whole.String() {
				t.Fatalf("%s, round %d: streamed output differs from the whole result's:\n%s\nwant\n%s", format, round, streamed.String(), whole.String())
			}
		}
	}
}

// TestExposureStreamOrdersEqualKeysByUnit: findings with the same key
// (resource, interface, edge, protocol, ports, verdict) are written in
// the order of their units, whichever unit is added first, and within a
// unit in the order given.
func TestExposureStreamOrdersEqualKeysByUnit(t *testing.T) {
	f := func(reason string) reach.ExposureFinding {
		return reach.ExposureFinding{Resource: reach.ExposedResource{ID: "i-0aaaaaaaaaaaaaaaa", ENI: "eni-0aaaaaaaaaaaaaaaa"},
			From: reach.ExposureFrom{Kind: reach.EdgeInternet, ID: "igw-0123456789abcdef0"}, Protocol: "tcp",
			Ports: model.PortRange{From: 22, To: 22}, Verdict: reach.Reachable, Severity: reach.SeverityHigh, Reason: reason}
	}
	other := f("other resource")
	other.Resource.ID = "i-0000000000000000a"
	s := Style{}.NewExposureStream(JSON)
	s.Add(7, []reach.ExposureFinding{f("unit 7, first"), f("unit 7, second")})
	s.Add(2, []reach.ExposureFinding{f("unit 2"), other})
	s.Add(math.MaxInt, []reach.ExposureFinding{f("last unit")})
	var b bytes.Buffer
	if err := s.Write(&b, &reach.ExposureResult{}, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(b.String(), "\n") {
		if i := strings.Index(line, `"reason":"`); i >= 0 {
			got = append(got, strings.SplitN(line[i+len(`"reason":"`):], `"`, 2)[0])
		}
	}
	want := []string{"other resource", "unit 2", "unit 7, first", "unit 7, second", "last unit"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order %q, want %q", got, want)
	}
}
