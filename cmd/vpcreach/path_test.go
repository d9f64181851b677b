package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// shop is a hand-written snapshot: VPC shop (10.20.0.0/16) with web
// (public, IGW), app (private, NAT gateway, S3 gateway endpoint) and data
// (custom ACL: tcp/5432 from app only, replies to 32768-65535) subnets,
// peered with VPC partner (10.30.0.0/16).
const shop = "testdata/path/shop"

func TestPathGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"internet-to-web-https", []string{"--from", "internet", "--to", "i-0web", "--port", "443"}},
		{"internet-to-web-ssh-some-sources", []string{"--from", "internet", "--to", "i-0web", "--port", "22"}},
		{"app-to-internet-through-nat", []string{"--from", "i-0app", "--to", "internet", "--port", "443"}},
		{"app-to-db-reply-ports", []string{"--from", "i-0app", "--to", "i-0db", "--port", "5432"}},
		{"web-to-db-acl", []string{"--from", "i-0web", "--to", "i-0db", "--port", "5432"}},
		{"app-to-amazon-dns", []string{"--from", "i-0app", "--to", "10.20.0.2", "--protocol", "udp", "--port", "53"}},
		{"partner-to-web-sg", []string{"--from", "i-0partner", "--to", "i-0web", "--port", "22"}},
		{"db-no-egress", []string{"--from", "i-0db", "--to", "8.8.8.8", "--port", "443"}},
		{"app-to-s3-endpoint", []string{"--from", "i-0app", "--to", "52.218.1.1", "--port", "443"}},
		{"web-to-partner-peering", []string{"--from", "i-0web", "--to", "i-0partner", "--port", "22"}},
		{"partner-no-route", []string{"--from", "i-0partner", "--to", "8.8.8.8", "--port", "443"}},
		{"internet-to-nat", []string{"--from", "internet", "--to", "203.0.113.50", "--port", "80"}},
		{"internet-to-web-every-port", []string{"--from", "internet", "--to", "i-0web", "--protocol", "all"}},
		{"app-to-db-low-source-port", []string{"--from", "i-0app", "--to", "i-0db", "--port", "5432", "--src-port", "2000"}},
		{"subnet-source", []string{"--from", "subnet-0app", "--to", "i-0db", "--port", "5432"}},
	}
	for _, c := range cases {
		for _, format := range []string{"text", "json"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				args := append([]string{"path", shop, "--format", format}, c.args...)
				code, out, errs := runCLI(t, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errs)
				}
				if format == "json" {
					var v map[string]any
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatalf("not JSON: %v\n%s", err, out)
					}
					for _, k := range []string{"verdict", "flow", "hops", "returnHops", "reason"} {
						if _, ok := v[k]; !ok {
							t.Errorf("JSON lacks %q", k)
						}
					}
				}
				checkGolden(t, filepath.Join("testdata/path", c.name+"."+format+".golden"), []byte(out))
			})
		}
	}
}

func TestPathExpectGatesCI(t *testing.T) {
	code, _, errs := runCLI(t, "path", shop, "--from", "i-0web", "--to", "i-0db", "--port", "5432", "--expect", "reachable")
	if code != exitGate || !strings.Contains(errs, "expected reachable, got unreachable") {
		t.Errorf("exit %d, stderr %q; want %d and the mismatch", code, errs, exitGate)
	}
	code, _, errs = runCLI(t, "path", shop, "--from", "i-0web", "--to", "i-0db", "--port", "5432", "--expect", "unreachable")
	if code != 0 {
		t.Errorf("exit %d (%s), want 0", code, errs)
	}
}

func TestPathBadUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"path", shop, "--to", "i-0db"}, "--from"},
		{[]string{"path", shop, "--from", "i-nope", "--to", "i-0db"}, "i-nope"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--protocol", "bogus"}, "protocol"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--port", "70000"}, "--port"},
		// Checked as ports in files are: -1 is not a port, on either end.
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--port", "65536"}, "--port 65536: want 0-65535"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--port", "-1"}, "--port -1: want 0-65535"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--port", "-2"}, "--port -2: want 0-65535"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--src-port", "0"}, "--src-port 0: want 1-65535"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--src-port", "-1"}, "--src-port -1"},
		{[]string{"path", shop, "--from", "i-0web", "--to", "i-0db", "--expect", "maybe"}, "--expect"},
		{[]string{"path", "testdata/path/missing", "--from", "i-0web", "--to", "i-0db"}, "missing"},
		{[]string{"path", shop, "--from", "vpc-0shop", "--to", "i-0db"}, "VPC"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", c.args, code, errs, exitUsage, c.want)
		}
	}
}
