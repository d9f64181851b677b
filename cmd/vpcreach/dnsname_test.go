package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestReverseNameIsWhatDigAsks(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.1.10":   "10.1.0.10.in-addr.arpa.",
		"192.0.2.255": "255.2.0.192.in-addr.arpa.",
		"2001:db8::1": "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
	} {
		if got := reverseName(netip.MustParseAddr(in)); got != want {
			t.Errorf("reverseName(%s) = %s, want %s", in, got, want)
		}
	}
}

// dnsJSON runs `vpcreach dns --format json` and reads the answer back.
func dnsJSON(t *testing.T, args ...string) (name, rcode string, values, trace []string) {
	t.Helper()
	code, out, errs := runCLI(t, append(append([]string{"dns"}, args...), "--format", "json")...)
	if code != exitOK {
		t.Fatalf("dns %v: exit %d: %s", args, code, errs)
	}
	var doc struct {
		Name, Rcode string
		Answers     []struct{ Value string }
		Trace       []string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Answers {
		values = append(values, a.Value)
	}
	return doc.Name, doc.Rcode, values, doc.Trace
}

func TestPTRForAnAddressAnswersLikeDigX(t *testing.T) {
	name, rcode, values, trace := dnsJSON(t, exposureTwoTier, "--from", "app", "--type", "PTR", "10.0.1.10")
	if name != "10.1.0.10.in-addr.arpa." || rcode != "NOERROR" || len(values) != 1 || values[0] != "ip-10-0-1-10.ec2.internal." {
		t.Errorf("got %s %s %v", name, rcode, values)
	}
	if !strings.Contains(strings.Join(trace, "\n"), "as dig -x does") {
		t.Errorf("the trace does not say the address was reversed: %v", trace)
	}

	// The same question to serve-dns with the real dig -x.
	dig, err := exec.LookPath("dig")
	if err != nil {
		t.Skip("dig is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- execute(ctx, []string{"serve-dns", exposureTwoTier, "--from", "app", "--listen", addr}, io.Discard, io.Discard)
	}()
	defer func() { cancel(); <-done }()
	host, port, _ := net.SplitHostPort(addr)
	var out []byte
	for i := 0; i < 50; i++ {
		out, err = exec.Command(dig, "@"+host, "-p", port, "+time=1", "+tries=1", "+short", "-x", "10.0.1.10").Output()
		if err == nil && len(out) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := strings.TrimSpace(string(out)); got != values[0] {
		t.Errorf("dig -x 10.0.1.10 answers %q, vpcreach dns --type PTR %q", got, values[0])
	}
}

func TestShortNamesGoThroughTheSearchList(t *testing.T) {
	// The example's option set says domain-name ec2.internal.
	name, rcode, values, trace := dnsJSON(t, exposureTwoTier, "--from", "app", "ip-10-0-1-10")
	if name != "ip-10-0-1-10.ec2.internal." || rcode != "NOERROR" || len(values) != 1 || values[0] != "10.0.1.10" {
		t.Errorf("got %s %s %v", name, rcode, values)
	}
	if !strings.HasPrefix(trace[0], "search list ec2.internal (domain-name of DHCP option set dopt-0a10000000000000a") {
		t.Errorf("the search is not in the trace: %v", trace)
	}
	// A name the first domain lacks falls through to the next try, named
	// in the trace.
	_, _, _, trace = dnsJSON(t, exposureTwoTier, "--from", "app", "nosuchhost")
	joined := strings.Join(trace, "\n")
	if !strings.Contains(joined, "nosuchhost.ec2.internal.: NXDOMAIN, next in the search list") {
		t.Errorf("no fall-through in the trace:\n%s", joined)
	}
	// A fully qualified name is asked as it is.
	name, _, _, trace = dnsJSON(t, exposureTwoTier, "--from", "app", "ip-10-0-1-10.ec2.internal.")
	if name != "ip-10-0-1-10.ec2.internal." || strings.Contains(strings.Join(trace, "\n"), "search list") {
		t.Errorf("a fully qualified name went through the search list: %s %v", name, trace)
	}
}
