package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

// seed003 is seed 003's network as a snapshot: an ssm interface endpoint
// with private DNS in two AZs of the app VPC, a peered VPC, a VPC without
// DNS hostnames whose custom DNS server its security group cannot reach,
// and a private hosted zone.
const seed003 = "testdata/dns/seed003"

func TestDNSGolden(t *testing.T) {
	cases := []struct {
		golden string
		args   []string
		rcode  string
	}{
		{"private-name-inside", []string{"--from", "i-0a00000000000aaa1", "ssm.ap-northeast-1.amazonaws.com"}, "NOERROR"},
		{"private-name-from-peer", []string{"--from", "i-0b00000000000bbb1", "ssm.ap-northeast-1.amazonaws.com"}, "UNKNOWN"},
		{"zonal-name-from-peer", []string{"--from", "10.1.0.10", "vpce-0bb20377a387ade86-njczioek-ap-northeast-1c.ssm.ap-northeast-1.vpce.amazonaws.com"}, "NOERROR"},
		{"custom-server-blocked", []string{"--from", "i-0d00000000000ddd1", "app.corp.example"}, "TIMEOUT"},
		{"cname-in-private-zone", []string{"--from", "eni-0a00000000000aaa1", "www.corp.example"}, "NOERROR"},
		{"alias-to-endpoint", []string{"--from", "subnet-0ccc0000000000001", "ssm-alias.corp.example"}, "NOERROR"},
		{"public-name-from-peer", []string{"--from", "i-0b00000000000bbb1", "ec2-203-0-113-10.ap-northeast-1.compute.amazonaws.com"}, "NOERROR"},
		{"reverse", []string{"--from", "vpc-0a1b2c3d4e5f60001", "--type", "PTR", "10.130.20.172.in-addr.arpa"}, "NOERROR"},
		{"inbound-endpoint-without-vpn", []string{"--from", "rslvr-in-0seed003000000001", "ssm.ap-northeast-1.amazonaws.com"}, "TIMEOUT"},
		{"nxdomain-in-private-zone", []string{"--from", "i-0a00000000000aaa1", "nope.corp.example"}, "NXDOMAIN"},
	}
	for _, c := range cases {
		for _, format := range []string{"text", "json"} {
			t.Run(c.golden+"/"+format, func(t *testing.T) {
				args := append([]string{"dns", seed003, "--format", format}, c.args...)
				code, out, errs := runCLI(t, args...)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, errs)
				}
				checkGolden(t, filepath.Join("testdata/dns", c.golden+"."+format+".golden"), []byte(out))
				if format == "json" {
					var got struct {
						Rcode string   `json:"rcode"`
						Trace []string `json:"trace"`
					}
					if err := json.Unmarshal([]byte(out), &got); err != nil {
						t.Fatal(err)
					}
					if got.Rcode != c.rcode || len(got.Trace) == 0 {
						t.Errorf("rcode %s with %d trace lines, want %s", got.Rcode, len(got.Trace), c.rcode)
					}
				}
			})
		}
	}
}

func TestDNSUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no NAME", []string{"dns", seed003, "--from", "i-0a00000000000aaa1"}, "NAME"},
		{"no --from", []string{"dns", seed003, "app.corp.example"}, "--from"},
		{"bad type", []string{"dns", seed003, "--from", "i-0a00000000000aaa1", "--type", "BOGUS", "x.example"}, "--type"},
		{"unknown REF", []string{"dns", seed003, "--from", "i-0nothere", "x.example"}, "i-0nothere"},
		{"REF that cannot query", []string{"dns", seed003, "--from", "sg-0app", "x.example"}, "cannot send DNS queries"},
		{"missing source", []string{"dns", "testdata/dns/nothere", "--from", "i-0a00000000000aaa1", "x.example"}, "nothere"},
		{"--client-dns without a Client VPN endpoint", []string{"dns", seed003, "--from", "i-0a00000000000aaa1", "--client-dns", "10.0.0.2", "x.example"}, "--client-dns"},
		{"bad format", []string{"dns", seed003, "--from", "i-0a00000000000aaa1", "--format", "sarif", "x.example"}, "--format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d naming %q", code, errs, exitUsage, c.want)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("error is not one line: %q", errs)
			}
		})
	}
}

// serveFor starts serve-dns in the test and returns its address and a
// function that stops it and returns what it printed.
func serveFor(t *testing.T, p serveDNSParams) (string, func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	p.Listen, p.MaxConcurrent, p.started = "127.0.0.1:0", 8, func(a string) { addrc <- a }
	p.Format = "text"
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- runServeDNS(ctx, p, &out, &out) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatalf("serve-dns stopped: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve-dns did not start")
	}
	return addr, func() string {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("after cancel: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serve-dns did not stop on cancel")
		}
		return out.String()
	}
}

func TestServeDNSFromClientVPN(t *testing.T) {
	// Seed 001 scenario 2: the split-tunnel client's first DNS server is not
	// authorized for its group, the second (an inbound endpoint) answers
	// from the private hosted zone of its VPC.
	p := serveDNSParams{From: "cvpn-endpoint-0split"}
	p.Sources = []string{"testdata/clientvpn/splittunnel"}
	if _, err := os.Stat(p.Sources[0]); err != nil {
		t.Skip("Client VPN fixture absent")
	}
	addr, stop := serveFor(t, p)
	m := new(mdns.Msg)
	m.SetQuestion("test.example.local.", mdns.TypeA)
	r, _, err := (&mdns.Client{Timeout: 3 * time.Second}).Exchange(m, addr)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rcode != mdns.RcodeSuccess || len(r.Answer) == 0 {
		t.Errorf("%s %v", mdns.RcodeToString[r.Rcode], r.Answer)
	}
	if out := stop(); !strings.Contains(out, "resolver-inbound-endpoint") {
		t.Errorf("start line should name the inbound endpoint server: %q", out)
	}
}

func TestServeDNSCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	p := serveDNSParams{From: "i-0a00000000000aaa1", Listen: "127.0.0.1:0", MaxConcurrent: 8, started: func(a string) { addrc <- a }}
	p.Sources = []string{seed003}
	p.Format = "text"
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- runServeDNS(ctx, p, &out, &out) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve-dns stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve-dns did not start")
	}
	for _, netw := range []string{"udp", "tcp"} {
		m := new(mdns.Msg)
		m.SetQuestion("ssm.ap-northeast-1.amazonaws.com.", mdns.TypeA)
		r, _, err := (&mdns.Client{Net: netw, Timeout: 3 * time.Second}).Exchange(m, addr)
		if err != nil {
			t.Fatalf("%s: %v", netw, err)
		}
		if r.Rcode != mdns.RcodeSuccess || len(r.Answer) != 2 {
			t.Errorf("%s: %s %v", netw, mdns.RcodeToString[r.Rcode], r.Answer)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve-dns did not stop on cancel")
	}
	if !strings.Contains(out.String(), "serving DNS on "+addr) {
		t.Errorf("start line missing: %q", out.String())
	}
}

func TestServeDNSUsageErrors(t *testing.T) {
	code, _, errs := runCLI(t, "serve-dns", seed003, "--listen", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(errs, "--from") {
		t.Errorf("exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "serve-dns", seed003, "--from", "i-0a00000000000aaa1", "--listen", "not-an-address")
	if code != exitUsage || !strings.Contains(errs, "listen") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

// TestServeDNSStopsOnSignal runs serve-dns in a child process (this test
// binary, re-executed) and stops it with SIGINT and SIGTERM, as a shell or
// a service manager would.
func TestServeDNSStopsOnSignal(t *testing.T) {
	if os.Getenv("VPCREACH_SERVE_DNS_CHILD") == "1" {
		ctx, stop := signalContext(os.Stderr)
		code := execute(ctx, []string{"serve-dns", seed003, "--from", "i-0a00000000000aaa1", "--listen", "127.0.0.1:0"}, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestServeDNSStopsOnSignal$")
			cmd.Env = append(os.Environ(), "VPCREACH_SERVE_DNS_CHILD=1")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil {
				cmd.Process.Kill()
				t.Fatalf("no start line: %v (stderr %q)", err, stderr.String())
			}
			addr := strings.Fields(strings.TrimPrefix(line, "serving DNS on "))[0]
			m := new(mdns.Msg)
			m.SetQuestion("app.corp.example.", mdns.TypeA)
			if r, _, err := (&mdns.Client{Timeout: 3 * time.Second}).Exchange(m, addr); err != nil || len(r.Answer) != 1 {
				t.Errorf("query before the signal: %v %v", r, err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %s: %v (stderr %q)", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("serve-dns did not stop on %s", sig)
			}
		})
	}
}
