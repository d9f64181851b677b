package dnsserver_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
	"github.com/vpcreach/vpcreach/internal/dnsserver"
	"github.com/vpcreach/vpcreach/internal/model"
)

// bigName has 200 A records: more than fits in 512 bytes of UDP.
const bigName = "big.corp.example."

func network() *model.Network {
	n := dnstest.Seed003()
	hz, _ := n.HostedZones.Get(dnstest.Zone)
	big := model.Record{Name: bigName, Type: "A", TTL: 60}
	for i := 0; i < 200; i++ {
		big.Values = append(big.Values, fmt.Sprintf("172.20.%d.%d", 160+i/250, 1+i%250))
	}
	hz.Records = append(hz.Records, big)
	n.Finalize()
	return n
}

func handler(t testing.TB) *dnsserver.Handler {
	n := network()
	v, err := dns.VantageFor(n, dnstest.AppInstance)
	if err != nil {
		t.Fatal(err)
	}
	return dnsserver.NewHandler(dns.New(n, nil, dns.Options{}).Session(context.Background(), v), 0)
}

// start runs a server on 127.0.0.1:0 until the test ends.
func start(t testing.TB) string {
	t.Helper()
	h := handler(t)
	l, err := dnsserver.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- dnsserver.Serve(ctx, h, l, func() { close(started) }) }()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shutdown: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("server did not shut down")
		}
	})
	return l.Addr()
}

func query(t *testing.T, addr, network, name string, qtype uint16, edns bool, rd bool) *mdns.Msg {
	t.Helper()
	m := new(mdns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = rd
	if edns {
		m.SetEdns0(4096, false)
	}
	c := &mdns.Client{Net: network, Timeout: 3 * time.Second}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s %s: %v", network, name, err)
	}
	return r
}

func values(r *mdns.Msg) []string {
	var out []string
	for _, rr := range r.Answer {
		switch x := rr.(type) {
		case *mdns.A:
			out = append(out, x.A.String())
		case *mdns.CNAME:
			out = append(out, x.Target)
		default:
			out = append(out, strings.TrimPrefix(rr.String(), rr.Header().String()))
		}
	}
	return out
}

func TestServerAnswersLikeTheResolver(t *testing.T) {
	addr := start(t)
	cases := []struct {
		name    string
		network string
		qname   string
		qtype   uint16
		rd      bool
		rcode   int
		answers int
		first   string
	}{
		{"private DNS name over UDP", "udp", dnstest.PrivateName, mdns.TypeA, true, mdns.RcodeSuccess, 2, ""},
		{"zonal name over TCP", "tcp", dnstest.ZonalNameA, mdns.TypeA, true, mdns.RcodeSuccess, 1, dnstest.EndpointIPA},
		{"CNAME chain", "udp", "www.corp.example.", mdns.TypeA, true, mdns.RcodeSuccess, 2, "app.corp.example."},
		{"NXDOMAIN from a private hosted zone", "udp", "nope.corp.example.", mdns.TypeA, true, mdns.RcodeNameError, 0, ""},
		{"NODATA: NOERROR with no answer", "udp", "app.corp.example.", mdns.TypeAAAA, true, mdns.RcodeSuccess, 0, ""},
		{"public name outside the sources: SERVFAIL", "udp", "www.example.org.", mdns.TypeA, true, mdns.RcodeServerFailure, 0, ""},
		{"non-recursive query: REFUSED (R1.2)", "udp", dnstest.PrivateName, mdns.TypeA, false, mdns.RcodeRefused, 0, ""},
		{"TXT", "tcp", "note.corp.example.", mdns.TypeTXT, true, mdns.RcodeSuccess, 1, ""},
		{"MX", "udp", "mail.corp.example.", mdns.TypeMX, true, mdns.RcodeSuccess, 1, ""},
		{"PTR", "udp", "10.130.20.172.in-addr.arpa.", mdns.TypePTR, true, mdns.RcodeSuccess, 1, ""},
		{"mixed case question", "udp", "App.CORP.example.", mdns.TypeA, true, mdns.RcodeSuccess, 1, dnstest.AppIP},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := query(t, addr, c.network, c.qname, c.qtype, false, c.rd)
			if r.Rcode != c.rcode || len(r.Answer) != c.answers {
				t.Fatalf("got %s with %d answers %v, want %s with %d", mdns.RcodeToString[r.Rcode], len(r.Answer), values(r), mdns.RcodeToString[c.rcode], c.answers)
			}
			if c.first != "" && values(r)[0] != c.first {
				t.Errorf("first answer %s, want %s", values(r)[0], c.first)
			}
			if !r.RecursionAvailable {
				t.Errorf("RA not set")
			}
			if c.answers > 0 && r.Answer[0].Header().Name != mdns.Fqdn(c.qname) {
				t.Errorf("owner %q, want the question's spelling %q", r.Answer[0].Header().Name, c.qname)
			}
		})
	}
}

func TestTruncationAndTCPRetry(t *testing.T) {
	addr := start(t)
	udp := query(t, addr, "udp", bigName, mdns.TypeA, false, true)
	if !udp.Truncated || len(udp.Answer) >= 200 {
		t.Errorf("UDP without EDNS0: TC=%v with %d answers, want TC and fewer than 200", udp.Truncated, len(udp.Answer))
	}
	tcp := query(t, addr, "tcp", bigName, mdns.TypeA, false, true)
	if tcp.Truncated || len(tcp.Answer) != 200 {
		t.Errorf("TCP: TC=%v with %d answers, want 200", tcp.Truncated, len(tcp.Answer))
	}
	// EDNS0 with 4096 bytes: 200 A records fit, and the OPT is echoed.
	e := query(t, addr, "udp", bigName, mdns.TypeA, true, true)
	if e.Truncated || len(e.Answer) != 200 || e.IsEdns0() == nil {
		t.Errorf("UDP with EDNS0 4096: TC=%v, %d answers, OPT=%v", e.Truncated, len(e.Answer), e.IsEdns0())
	}
}

func TestEDNS0(t *testing.T) {
	addr := start(t)
	r := query(t, addr, "udp", "www.example.org.", mdns.TypeA, true, true)
	opt := r.IsEdns0()
	if opt == nil {
		t.Fatal("no OPT in the response to an EDNS0 query")
	}
	found := false
	for _, o := range opt.Option {
		if e, ok := o.(*mdns.EDNS0_EDE); ok && strings.Contains(e.ExtraText, "UNKNOWN") {
			found = true
		}
	}
	if !found {
		t.Errorf("SERVFAIL should carry an extended DNS error saying why: %v", opt)
	}
	// EDNS version 1 is answered BADVERS (RFC 6891).
	m := new(mdns.Msg)
	m.SetQuestion(dnstest.PrivateName, mdns.TypeA)
	m.SetEdns0(1232, false)
	m.IsEdns0().SetVersion(1)
	resp, _, err := (&mdns.Client{Timeout: 3 * time.Second}).Exchange(m, addr)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Rcode != mdns.RcodeBadVers {
		t.Errorf("EDNS version 1: rcode %s, want BADVERS", mdns.RcodeToString[resp.Rcode])
	}
}

func TestMalformedPacketsDoNotStopTheServer(t *testing.T) {
	addr := start(t)
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	garbage := [][]byte{
		{},
		{0x12},
		{0x12, 0x34, 0x01, 0x00, 0x00, 0x01},
		[]byte("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xff\xff\xff"),
		[]byte("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01"), // compression loop
		[]byte(strings.Repeat("\xff", 600)),
	}
	for _, g := range garbage {
		if _, err := conn.Write(g); err != nil {
			t.Fatal(err)
		}
	}
	// A readable header with an unreadable body gets FORMERR with its ID.
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := conn.Write([]byte("\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xff\xff\xff")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no FORMERR reply: %v", err)
		}
		var m mdns.Msg
		if m.Unpack(buf[:n]) == nil && m.Id == 0xabcd {
			if m.Rcode != mdns.RcodeFormatError || !m.Response {
				t.Errorf("reply to an unreadable message: %v", m)
			}
			break
		}
	}
	tc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	tc.Write([]byte{0x00, 0x05, 1, 2, 3, 4, 5})
	tc.Close()
	r := query(t, addr, "udp", dnstest.PrivateName, mdns.TypeA, false, true)
	if r.Rcode != mdns.RcodeSuccess || len(r.Answer) != 2 {
		t.Errorf("after malformed packets: %s %v", mdns.RcodeToString[r.Rcode], values(r))
	}
}

func TestGracefulShutdown(t *testing.T) {
	h := handler(t)
	l, err := dnsserver.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- dnsserver.Serve(ctx, h, l, func() { close(started) }) }()
	<-started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	c := &mdns.Client{Net: "tcp", Timeout: 500 * time.Millisecond}
	m := new(mdns.Msg)
	m.SetQuestion(dnstest.PrivateName, mdns.TypeA)
	if _, _, err := c.Exchange(m, l.Addr()); err == nil {
		t.Error("the TCP listener still answers after shutdown")
	}
}

func TestDig(t *testing.T) {
	dig, err := exec.LookPath("dig")
	if err != nil {
		t.Skip("dig is not installed (Debian: bind9-dnsutils)")
	}
	addr := start(t)
	host, port, _ := net.SplitHostPort(addr)
	run := func(args ...string) string {
		t.Helper()
		args = append([]string{"@" + host, "-p", port, "+time=3", "+tries=1"}, args...)
		out, err := exec.Command(dig, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("dig %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"private DNS name", []string{dnstest.PrivateName, "A"},
			[]string{"status: NOERROR", "ANSWER: 2", dnstest.EndpointIPA, dnstest.EndpointIPC}},
		{"regional name", []string{dnstest.RegionalName},
			[]string{"status: NOERROR", `60\s+IN\s+A\s+` + regexp.QuoteMeta(dnstest.EndpointIPA)}},
		{"NXDOMAIN", []string{"nope.corp.example"}, []string{"status: NXDOMAIN"}},
		{"non-recursive is REFUSED", []string{"+norecurse", dnstest.PrivateName}, []string{"status: REFUSED"}},
		{"public name is SERVFAIL with a reason", []string{"www.example.org"}, []string{"status: SERVFAIL", "EDE"}},
		{"truncated UDP answer retried over TCP", []string{"+noedns", bigName}, []string{"status: NOERROR", "ANSWER: 200"}},
		{"TCP", []string{"+tcp", "app.corp.example"}, []string{"status: NOERROR", dnstest.AppIP}},
		{"EDNS0 echoed", []string{"+edns=0", "+bufsize=1232", "app.corp.example"}, []string{"EDNS: version: 0", "udp: 4096"}},
		{"reverse lookup", []string{"-x", dnstest.AppIP}, []string{"ip-172-20-130-10.ap-northeast-1.compute.internal."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := run(c.args...)
			for _, w := range c.want {
				if !regexp.MustCompile(w).MatchString(out) {
					t.Errorf("dig %v lacks %q:\n%s", c.args, w, out)
				}
			}
		})
	}
}

func TestIPv6Loopback(t *testing.T) {
	l, err := dnsserver.Listen("[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- dnsserver.Serve(ctx, handler(t), l, func() { close(started) }) }()
	<-started
	for _, netw := range []string{"udp", "tcp"} {
		r := query(t, l.Addr(), netw, dnstest.PrivateName, mdns.TypeA, true, true)
		if r.Rcode != mdns.RcodeSuccess || len(r.Answer) != 2 {
			t.Errorf("%s over IPv6: %s %v", netw, mdns.RcodeToString[r.Rcode], values(r))
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}
