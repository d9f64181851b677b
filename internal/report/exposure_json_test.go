package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// reflectedRecord is what encoding/json writes of v as the stream held
// records before they were appended by hand: HTML characters as they
// are, a SARIF result indented as a result of the log's run.
func reflectedRecord(t testing.TB, v any, sarif bool) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if sarif {
		enc.SetIndent(sarifResultIndent, "  ")
	}
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// oddStrings are strings whose JSON needs every escape encoding/json
// writes, and some that need none.
var oddStrings = []string{
	"", "plain", `"quoted"`, `back\slash`, "\x00\x01\x1f\x7f", "\b\f\n\r\t", "<script>a && b</script>", "\u2028 and \u2029",
	"\xff\xfe", "cut \xe2\x80", "\xed\xa0\x80 surrogate", "h\u00e9llo \u2603 \U0001d11e", "\ufffd", "tab\there", "/slash/",
	"eni-0123456789abcdef0", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/0123456789abcdef",
	"AWS::EC2::Instance", "AWS::EC2", "::", "sg-0123456789abcdef0 (R1.8)",
}

// oddString is one of oddStrings or random bytes.
func oddString(r *rand.Rand) string {
	if r.IntN(4) > 0 {
		return oddStrings[r.IntN(len(oddStrings))]
	}
	b := make([]byte, r.IntN(12))
	for i := range b {
		switch r.IntN(3) {
		case 0:
			b[i] = byte(r.IntN(0x20))
		case 1:
			b[i] = byte(0x80 + r.IntN(0x80))
		default:
			b[i] = byte(r.IntN(0x80))
		}
	}
	return string(b)
}

// oddAddr is a valid address of any kind (IPv4, IPv6, zoned, mapped), or
// none.
func oddAddr(r *rand.Rand) netip.Addr {
	switch r.IntN(6) {
	case 0:
		return netip.Addr{}
	case 1:
		return netip.AddrFrom4([4]byte{byte(r.IntN(256)), byte(r.IntN(256)), 0, 1})
	case 2:
		return netip.MustParseAddr("2001:db8::1")
	case 3:
		return netip.MustParseAddr("fe80::1").WithZone(oddString(r))
	case 4:
		return netip.MustParseAddr("::ffff:10.0.0.1")
	}
	return netip.MustParseAddr("::ffff:10.0.0.1").WithZone("eth0")
}

// oddPrefixes are sources of every kind: none, empty, IPv4, IPv6, mapped,
// the zero prefix and an invalid one.
func oddPrefixes(r *rand.Rand) []netip.Prefix {
	switch r.IntN(5) {
	case 0:
		return nil
	case 1:
		return []netip.Prefix{}
	case 2:
		return reach.InternetAddrs().Prefixes()
	}
	all := []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("::/0"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("::ffff:10.0.0.0/104"), {},
		netip.PrefixFrom(netip.MustParseAddr("10.0.0.0"), 40),
	}
	ps := make([]netip.Prefix, 1+r.IntN(4))
	for i := range ps {
		ps[i] = all[r.IntN(len(all))]
	}
	return ps
}

// oddFinding is a finding whose every field may be empty, unusual, or
// hold a string that needs escaping.
func oddFinding(r *rand.Rand, base reach.ExposureFinding) reach.ExposureFinding {
	f := base
	pick := func(s *string, kinds ...string) {
		switch n := r.IntN(3); {
		case n == 0 && len(kinds) > 0:
			*s = kinds[r.IntN(len(kinds))]
		case n == 1:
			*s = oddString(r)
		}
	}
	pick(&f.Resource.ID)
	pick(&f.Resource.Type)
	pick(&f.Resource.ENI, "")
	f.Resource.Address, f.Resource.PublicAddress = oddAddr(r), oddAddr(r)
	origins := []model.Origin{{}, {File: "template.yaml", Line: 12}, {File: "./a b/\"c\".json"}, {File: "/elsewhere/x.json", Line: -3},
		{File: oddString(r), Line: r.IntN(3)}}
	f.Resource.Origin = origins[r.IntN(len(origins))]
	kind := string(f.From.Kind)
	pick(&kind, string(reach.EdgeInternet), string(reach.EdgePeering), string(reach.EdgeTransitGateway), string(reach.EdgeClientVPN),
		string(reach.EdgeVPNGateway), string(reach.EdgeDirectConnect), string(reach.EdgeUnknown))
	f.From.Kind = reach.EdgeKind(kind)
	pick(&f.From.ID)
	f.From.Sources = oddPrefixes(r)
	pick(&f.Protocol, "tcp", "udp", "icmp", "icmpv6", "all", "other", "50")
	switch r.IntN(5) {
	case 0:
		f.Ports = model.PortRange{From: 0, To: 65535}
	case 1:
		f.Ports = model.PortRange{From: 0, To: 255}
	case 2:
		p := uint16(r.IntN(65536))
		f.Ports = model.PortRange{From: p, To: p}
	case 3:
		f.Ports = model.PortRange{From: uint16(r.IntN(65536)), To: uint16(r.IntN(65536))}
	}
	verdict := string(f.Verdict)
	pick(&verdict, string(reach.Reachable), string(reach.PossiblyReachable))
	f.Verdict = reach.Verdict(verdict)
	f.Severity = reach.Severity(r.IntN(6) - 1)
	switch r.IntN(4) {
	case 0:
		f.Via = nil
	case 1:
		f.Via = []reach.Hop{}
	case 2:
		f.Via = make([]reach.Hop, 1+r.IntN(6))
		for i := range f.Via {
			f.Via[i] = reach.Hop{ID: oddString(r), Type: oddString(r), Action: oddString(r)}
		}
	}
	pick(&f.Reason, "")
	pick(&f.LoadBalancer, "")
	return f
}

// oddStyles name IDs with odd names, with the ID itself (no name) or
// not at all, and locate results in several ways.
func oddStyles(t testing.TB) []Style {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	names := func(id string) string {
		switch len(id) % 4 {
		case 0:
			return id
		case 1:
			return ""
		}
		return oddStrings[len(id)%len(oddStrings)] + "-name"
	}
	owners := &Locator{Root: root, Fallback: filepath.Join(root, "fallback \"x\".json"),
		Origin: func(id string) (model.Origin, bool) {
			if len(id)%2 == 0 {
				return model.Origin{File: filepath.Join(root, id+".json"), Line: len(id)}, true
			}
			return model.Origin{}, false
		},
		Owner: func(id string) string {
			if id == "" {
				return ""
			}
			return id[1:]
		},
	}
	return []Style{{}, {Names: names, Color: true}, {Names: names, Loc: owners}, {Loc: &Locator{Root: root}}, {Loc: &Locator{Fallback: "template.yaml"}}}
}

// TestExposureRecordsAreWhatEncodingJSONWrites: the JSON record and the
// SARIF result of every finding, however odd its strings, addresses,
// sources and paths, are byte for byte what encoding/json writes of the
// views cli.md and the SARIF log describe.
func TestExposureRecordsAreWhatEncodingJSONWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	base := streamSample(r)
	styles := oddStyles(t)
	var tmp []byte
	for n := range 3000 {
		f := base[n%len(base)]
		if n >= len(base) {
			f = oddFinding(r, f)
		}
		for i, st := range styles {
			want := reflectedRecord(t, st.exposureFindingJSON(&f), false)
			if got := st.appendExposureFindingJSON(nil, &f, &tmp); !bytes.Equal(got, want) {
				t.Fatalf("finding %d, style %d: JSON\n%s\nwant\n%s\nof %#v", n, i, got, want, f)
			}
			s := st.NewExposureStream(SARIF)
			want = reflectedRecord(t, st.exposureResult(f), true)
			if got := s.appendExposureResult(&streamScratch{}, nil, &f); !bytes.Equal(got, want) {
				t.Fatalf("finding %d, style %d: SARIF\n%s\nwant\n%s\nof %#v", n, i, got, want, f)
			}
		}
	}
}

// TestExposureSARIFIsTheLogWriteJSONWrites: the streamed SARIF log is
// the one WriteJSON writes of NewExposureSARIF, odd findings included.
func TestExposureSARIFIsTheLogWriteJSONWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	fs := streamSample(r)
	for i := range fs {
		if i%3 == 0 {
			// Odd in what the records say, not in the key they are
			// ordered by.
			o := oddFinding(r, fs[i])
			o.Resource.ID, o.Resource.ENI, o.LoadBalancer = fs[i].Resource.ID, fs[i].Resource.ENI, fs[i].LoadBalancer
			o.From.Kind, o.From.ID, o.Protocol, o.Ports, o.Verdict = fs[i].From.Kind, fs[i].From.ID, fs[i].Protocol, fs[i].Ports, fs[i].Verdict
			fs[i] = o
		}
	}
	res := &reach.ExposureResult{Findings: fs, Suppressed: 1, Baselined: 2}
	for i, st := range oddStyles(t) {
		var want, got bytes.Buffer
		if err := WriteJSON(&want, st.NewExposureSARIF(res)); err != nil {
			t.Fatal(err)
		}
		if err := st.ExposureSARIF(&got, res); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("style %d: streamed SARIF log differs:\n%s\nwant\n%s", i, got.Bytes(), want.Bytes())
		}
	}
}

// TestJSONStringsAreEscapedAsEncodingJSONEscapes: every string, valid
// UTF-8 or not, is quoted as encoding/json quotes it with HTML escaping
// off.
func TestJSONStringsAreEscapedAsEncodingJSONEscapes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	cases := append([]string{}, oddStrings...)
	for c := range rune(0x80) {
		cases = append(cases, string(c), "a"+string(c)+"b")
	}
	for _, c := range []rune{0x7ff, 0x800, 0xfffd, 0xffff, 0x10000, 0x10ffff, 0x2027, 0x2028, 0x2029, 0x202a} {
		cases = append(cases, string(c), "x"+string(c))
	}
	for range 5000 {
		cases = append(cases, oddString(r))
	}
	for _, s := range cases {
		want := reflectedRecord(t, s, false)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
		if got := appendJSONString([]byte("keep"), []byte(s)); !bytes.Equal(got, append([]byte("keep"), want...)) {
			t.Errorf("%q as bytes: %s, want keep%s", s, got, want)
		}
	}
}

// FuzzExposureRecords: the hand-appended JSON and SARIF records of a
// finding built of arbitrary strings are what encoding/json writes.
func FuzzExposureRecords(f *testing.F) {
	f.Add("i-0aaaaaaaaaaaaaaaa", "AWS::EC2::Instance", "internet", "igw-1", "tcp", "allowed by sg-1", "web", "eth0", uint16(22), uint16(22))
	f.Add("\"<&>\u2028", "\xff", "\x00", "\u2029", "icmp", "\\", "", "", uint16(0), uint16(255))
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, id, typ, kind, from, proto, reason, name, zone string, lo, hi uint16) {
		fd := reach.ExposureFinding{
			Resource: reach.ExposedResource{ID: id, Type: typ, ENI: reason, Address: netip.MustParseAddr("fe80::1").WithZone(zone),
				PublicAddress: netip.AddrFrom4([4]byte{3, 0, byte(lo), byte(hi)}), Origin: model.Origin{File: name, Line: int(lo)}},
			From:     reach.ExposureFrom{Kind: reach.EdgeKind(kind), ID: from, Sources: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), {}}},
			Protocol: proto, Ports: model.PortRange{From: lo, To: hi}, Verdict: reach.Verdict(name), Severity: reach.Severity(int(lo) % 5),
			Via: []reach.Hop{{ID: from, Type: typ}, {ID: zone, Type: reason}}, Reason: reason, LoadBalancer: zone,
		}
		if !utf8.ValidString(zone) && len(zone)%2 == 0 {
			fd.Resource.Address = netip.Addr{}
		}
		st := Style{Names: func(string) string { return name }, Loc: &Locator{Root: root}}
		var tmp []byte
		if got, want := st.appendExposureFindingJSON(nil, &fd, &tmp), reflectedRecord(t, st.exposureFindingJSON(&fd), false); !bytes.Equal(got, want) {
			t.Fatalf("JSON\n%s\nwant\n%s", got, want)
		}
		s := st.NewExposureStream(SARIF)
		if got, want := s.appendExposureResult(&streamScratch{}, nil, &fd), reflectedRecord(t, st.exposureResult(fd), true); !bytes.Equal(got, want) {
			t.Fatalf("SARIF\n%s\nwant\n%s", got, want)
		}
	})
}

// realisticFindings are streamSample's findings as an organisation's
// look: internet sources of every public IPv4 address (about a hundred
// ranges), paths of five components, names on resources and gateways.
func realisticFindings(r *rand.Rand) []reach.ExposureFinding {
	var internet []netip.Prefix
	for _, p := range reach.InternetAddrs().Prefixes() {
		if p.Addr().Is4() {
			internet = append(internet, p)
		}
	}
	fs := streamSample(r)
	for i := range fs {
		f := &fs[i]
		if f.From.Kind == reach.EdgeInternet && f.From.Sources[0].Bits() == 0 {
			f.From.Sources = internet
		}
		f.Via = []reach.Hop{{ID: f.From.ID, Type: model.TypeInternetGateway}, {ID: "acl-056c22ce25366218f", Type: "AWS::EC2::NetworkAcl"},
			{ID: "sg-0eb248b844820154c", Type: "AWS::EC2::SecurityGroup"}, {ID: f.Resource.ENI, Type: model.TypeNetworkInterface},
			{ID: "rtb-0fb456d4fdacee604", Type: "AWS::EC2::RouteTable"}}
	}
	return fs
}

// BenchmarkExposureStreamAdd encodes realistic findings, handed over in
// units of about twenty-five as the engine computes them, in the formats
// whose records are JSON.
func BenchmarkExposureStreamAdd(b *testing.B) {
	fs := realisticFindings(rand.New(rand.NewPCG(1, 2)))
	names := map[string]string{"i-0aaaaaaaaaaaaaaaa": "web", "igw-0123456789abcdef0": "main-igw", "pcx-0123456789abcdef0": "to-shared"}
	st := Style{Names: func(id string) string { return names[id] }, Loc: &Locator{Fallback: "aws_configs"}}
	for _, format := range []Format{JSON, SARIF} {
		b.Run(string(format), func(b *testing.B) {
			for b.Loop() {
				s := st.NewExposureStream(format)
				for u := 0; u*25 < len(fs); u++ {
					s.Add(u, fs[u*25:min(len(fs), (u+1)*25)])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fs)), "ns/finding")
		})
	}
}

// BenchmarkAppendJSONString quotes the strings a finding's record holds.
func BenchmarkAppendJSONString(b *testing.B) {
	strs := []string{"arn:aws:elasticloadbalancing:ap-northeast-1:100001010101:loadbalancer/app/net0042-web/13767c4e8f6e76d5",
		"AWS::ElasticLoadBalancingV2::LoadBalancer", "net0042-web", "eni-0314ca32dec321f78", "internet", "igw-0657832bbee09ff98",
		"tcp", "reachable", "medium", "allowed by sg-0eb248b844820154c tcp/443 from 0.0.0.0/0", "AWS::EC2::NetworkAcl"}
	var dst []byte
	for b.Loop() {
		dst = dst[:0]
		for _, s := range strs {
			dst = appendJSONString(dst, s)
		}
	}
}

// TestNeedsEscapeFindsEveryByteToEscape: eight bytes at a time tell
// exactly whether one of them needs escaping, wherever it is and
// whatever surrounds it.
func TestNeedsEscapeFindsEveryByteToEscape(t *testing.T) {
	word := func(b [8]byte) uint64 {
		var x uint64
		for k, c := range b {
			x |= uint64(c) << (8 * k)
		}
		return x
	}
	needs := func(b [8]byte) bool {
		for _, c := range b {
			if c >= utf8.RuneSelf || !jsonSafe[c] {
				return true
			}
		}
		return false
	}
	for c := range 256 {
		for at := range 8 {
			for _, fill := range []byte{' ', '!', '#', '[', ']', 'a', '~', 0x7f, 0, '"', 0x80} {
				var b [8]byte
				for k := range b {
					b[k] = fill
				}
				b[at] = byte(c)
				if got := needsEscape(word(b)); got != needs(b) {
					t.Fatalf("%q: %v", b, got)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 200000 {
		var b [8]byte
		for k := range b {
			b[k] = byte(0x1e + r.IntN(0x64))
		}
		if got := needsEscape(word(b)); got != needs(b) {
			t.Fatalf("%q: %v", b, got)
		}
	}
}
