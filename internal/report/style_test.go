package report

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// minus returns every address of all but the holes, as prefixes.
func minus(all string, holes ...string) []netip.Prefix {
	var b ipset.Builder
	b.AddPrefix(netip.MustParsePrefix(all))
	for _, h := range holes {
		b.RemovePrefix(netip.MustParsePrefix(h))
	}
	s := b.Set()
	return s.Prefixes()
}

func TestSourcesAsAPersonSaysThem(t *testing.T) {
	pfx := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	var public []netip.Prefix
	for _, p := range reach.InternetAddrs().Prefixes() {
		if p.Addr().Is4() {
			public = append(public, p)
		}
	}
	for _, tc := range []struct {
		name string
		kind reach.EdgeKind
		in   []netip.Prefix
		want string
	}{
		{"everything", reach.EdgeInternet, pfx("0.0.0.0/0"), "0.0.0.0/0"},
		{"everything but two private ranges", reach.EdgeInternet, minus("0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12"),
			"internet except 10.0.0.0/8 and 172.16.0.0/12"},
		{"a peer's view of everything but its VPC", reach.EdgeVPNGateway, minus("0.0.0.0/0", "10.0.0.0/16"), "any address except 10.0.0.0/16"},
		{"private networks through an edge the sources cannot name", reach.EdgeUnknown, reach.PrivateAddrs().Prefixes(), "any address that is not public; any address except 2000::/3"},
		{"every public address", reach.EdgeInternet, public, "internet"},
		{"a few ranges", reach.EdgePeering, pfx("10.0.1.0/24", "10.0.2.0/24"), "10.0.1.0/24, 10.0.2.0/24"},
		{"adjacent ranges merge", reach.EdgePeering, pfx("10.0.0.0/25", "10.0.0.128/25"), "10.0.0.0/24"},
		{"many ranges are counted", reach.EdgePeering, pfx("10.0.1.0/24", "10.0.3.0/24", "10.0.5.0/24", "10.0.7.0/24", "10.0.9.0/24", "10.0.11.0/24"),
			"10.0.1.0/24, 10.0.3.0/24, 10.0.5.0/24, 10.0.7.0/24 and 2 more ranges"},
		{"both families", reach.EdgeInternet, pfx("0.0.0.0/0", "::/0"), "0.0.0.0/0; ::/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sourcesText(tc.kind, tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestICMPTypeSlicesFoldIntoOneRow(t *testing.T) {
	f := func(from, to uint16, src string) reach.ExposureFinding {
		return reach.ExposureFinding{Resource: reach.ExposedResource{ID: "i-1", Type: model.TypeInstance, ENI: "eni-1"},
			From:     reach.ExposureFrom{Kind: reach.EdgeVPNGateway, ID: "vgw-1", Sources: []netip.Prefix{netip.MustParsePrefix(src)}},
			Protocol: "icmp", Ports: model.PortRange{From: from, To: to}, Verdict: reach.Reachable, Severity: reach.SeverityLow}
	}
	res := &reach.ExposureResult{Findings: []reach.ExposureFinding{
		f(0, 7, "0.0.0.0/1"), f(8, 8, "10.0.0.0/8"), f(9, 12, "0.0.0.0/1"), f(13, 13, "10.0.0.0/8"), f(14, 255, "0.0.0.0/1"),
	}}
	var b bytes.Buffer
	if err := ExposureText(&b, res, nil); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"types 0-7, 9-12, 14-255", "types 8, 13"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if n := strings.Count(out, "icmp"); n != 2 {
		t.Errorf("%d ICMP rows, want 2:\n%s", n, out)
	}
}

func TestTextStaysWithinTheWidth(t *testing.T) {
	long := strings.Repeat("the reason goes on and on, naming sg-0123456789abcdef0 and more; ", 8)
	var fs []reach.ExposureFinding
	var many []netip.Prefix
	for i := 0; i < 12; i++ {
		many = append(many, netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", 2*i)))
	}
	fs = append(fs, reach.ExposureFinding{Resource: reach.ExposedResource{ID: "i-0123456789abcdef0", Type: model.TypeInstance},
		From:     reach.ExposureFrom{Kind: reach.EdgeTransitGateway, ID: "tgw-attach-0123456789abcdef0", Sources: many},
		Protocol: "tcp", Ports: model.PortRange{From: 22, To: 22}, Verdict: reach.PossiblyReachable, Severity: reach.SeverityLow, Reason: long})
	names := func(id string) string {
		if strings.HasPrefix(id, "i-") {
			return "a rather long name tag for a bastion host"
		}
		return ""
	}
	var b bytes.Buffer
	st := Style{Names: names}
	if err := st.ExposureText(&b, &reach.ExposureResult{Findings: fs}, []string{long}); err != nil {
		t.Fatal(err)
	}
	p := Path{Verdict: reach.Unreachable, Reason: long, Possible: []string{long},
		Hops: []reach.Hop{{ID: "sg-0123456789abcdef0", Type: model.TypeSecurityGroup, Action: long}}}
	if err := st.WritePathText(&b, p); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if visibleLen(l) > DefaultWidth {
			t.Errorf("%d columns: %s", visibleLen(l), l)
		}
	}
	if !strings.Contains(b.String(), "i-0123456789abcdef0 (a rather long name tag for a bastion host)") {
		t.Errorf("no Name tag beside the ID:\n%s", b.String())
	}
}

func TestWarningsAreCountedOnce(t *testing.T) {
	var ws []string
	for i := 0; i < 10; i++ {
		ws = append(ws, fmt.Sprintf("file.json:%d: dangling-reference: x", i+1))
	}
	var b bytes.Buffer
	if err := ExposureText(&b, &reach.ExposureResult{}, ws); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "Warnings (10)") || !strings.Contains(out, "and 7 more: vpcreach inventory lists them all") {
		t.Errorf("warnings not counted:\n%s", out)
	}
	if strings.Count(out, "dangling-reference") != warningsShown {
		t.Errorf("want the first %d warnings only:\n%s", warningsShown, out)
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	var plain, coloured bytes.Buffer
	if err := (Style{}).ExposureText(&plain, exposureSample(), nil); err != nil {
		t.Fatal(err)
	}
	if err := (Style{Color: true}).ExposureText(&coloured, exposureSample(), nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("colour without asking:\n%q", plain.String())
	}
	if !strings.Contains(coloured.String(), ansiRed) {
		t.Errorf("no colour on high:\n%q", coloured.String())
	}
	// Colour does not move the columns.
	strip := func(s string) string {
		for _, c := range []string{ansiRed, ansiYellow, ansiGreen, ansiBold, ansiReset} {
			s = strings.ReplaceAll(s, c, "")
		}
		return s
	}
	if strip(coloured.String()) != plain.String() {
		t.Errorf("colour changed the layout:\n%s\n---\n%s", strip(coloured.String()), plain.String())
	}
}

func TestAnnotateNamesEachIDOnce(t *testing.T) {
	st := Style{Names: func(id string) string {
		return map[string]string{"sg-0a1000000000000a1": "web", "eni-0a1000000000000a2": ""}[id]
	}}
	for in, want := range map[string]string{
		"allowed by sg-0a1000000000000a1 tcp/22":      "allowed by sg-0a1000000000000a1 (web) tcp/22",
		"sg-0a1000000000000a1 (web) allows port 22":   "sg-0a1000000000000a1 (web) allows port 22",
		"eni-0a1000000000000a2 has no public address": "eni-0a1000000000000a2 has no public address",
		"i-0app is not a hex ID and is left as it is": "i-0app is not a hex ID and is left as it is",
	} {
		if got := st.annotate(in); got != want {
			t.Errorf("annotate(%q) = %q, want %q", in, got, want)
		}
	}
}
