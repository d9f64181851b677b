package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// Seed 001's scenarios as hand-written snapshots in the describe-client-vpn-*
// output shapes:
//
//   - fulltunnel: cvpn-endpoint-0full, full tunnel, no DNS servers, client
//     CIDR 172.16.0.0/22, target subnet subnet-0vpn of vpc-0corp
//     (10.123.0.0/16) whose route table has no way to the internet, although
//     the Client VPN route table and authorization rules cover 0.0.0.0/0.
//   - splittunnel: cvpn-endpoint-0split, split tunnel, DNS servers
//     10.10.1.228 and 10.10.0.43 (Resolver inbound endpoint rslvr-in-0a1 in
//     vpc-0dns, reached from vpc-0cvpn through transit gateway tgw-0hub),
//     private hosted zone example.local associated with vpc-0dns, an ec2
//     interface endpoint with private DNS and an instance with a public
//     name in vpc-0dns. The authorization rule for 10.10.1.0/24 (where the
//     first DNS server lives) admits only group S-1-5-21-admins.
const (
	cvpnFull  = "testdata/clientvpn/fulltunnel"
	cvpnSplit = "testdata/clientvpn/splittunnel"
	// cvpnTemplate is a CloudFormation template: split tunnel, no groups
	// (the VPC's default group), the VPC resolver as DNS server.
	cvpnTemplate = "testdata/clientvpn/template.yaml"
)

// clientFrom returns the arguments after the source, with the fixture's
// main endpoint as --from unless they name one.
func clientFrom(args []string) []string {
	for _, a := range args {
		if a == "--from" {
			return args[1:]
		}
	}
	from := map[string]string{cvpnFull: "cvpn-endpoint-0full", cvpnSplit: "cvpn-endpoint-0split"}[args[0]]
	return append([]string{"--from", from}, args[1:]...)
}

func TestClientVPNPathGolden(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		verdict string
		code    string
	}{
		{"full-to-app", []string{cvpnFull, "--to", "i-0app", "--port", "443"}, "reachable", ""},
		{"full-to-public-dns-no-internet", []string{cvpnFull, "--to", "8.8.8.8", "--protocol", "udp", "--port", "53"}, "unreachable", "NO_ROUTE_TO_DESTINATION"},
		{"full-to-lan-outside-tunnel", []string{cvpnFull, "--client-route", "192.168.1.0/24", "--to", "192.168.1.1", "--protocol", "udp", "--port", "53"}, "possibly-reachable", ""},
		{"full-to-vpc-dns", []string{cvpnFull, "--to", "10.123.0.2", "--protocol", "udp", "--port", "53"}, "reachable", ""},
		{"full-to-link-local-dns", []string{cvpnFull, "--to", "169.254.169.253", "--protocol", "udp", "--port", "53"}, "unreachable", "CVPN_LINK_LOCAL_DESTINATION"},
		{"split-to-first-dns-not-authorized", []string{cvpnSplit, "--to", "10.10.1.228", "--protocol", "udp", "--port", "53"}, "unreachable", "CVPN_AUTHORIZATION_RULE_MISMATCH"},
		{"split-to-web-as-admin", []string{cvpnSplit, "--client-group", "S-1-5-21-admins", "--to", "i-0web", "--port", "443"}, "reachable", ""},
		{"split-to-internet-outside-tunnel", []string{cvpnSplit, "--to", "8.8.8.8", "--protocol", "udp", "--port", "53"}, "possibly-reachable", ""},
		{"split-client-ip", []string{cvpnSplit, "--client-ip", "192.168.3.254", "--to", "i-0app", "--port", "22"}, "reachable", ""},
		// cvpn-endpoint-0vpcdns: its only group allows egress to 127.0.0.1/32 (none at all).
		{"vpcdns-group-stops-app", []string{cvpnFull, "--from", "cvpn-endpoint-0vpcdns", "--to", "i-0app", "--port", "443"}, "unreachable", "ENI_SG_RULES_MISMATCH"},
		// A template: the target network association's interface has an address AWS picks (any of the subnet).
		{"template-default-group", []string{cvpnTemplate, "--region", "us-east-1", "--from", "Endpoint", "--to", "App", "--port", "22"}, "reachable", ""},
		{"template-outside-split-tunnel", []string{cvpnTemplate, "--region", "us-east-1", "--from", "Endpoint", "--to", "10.99.0.1", "--port", "22"}, "possibly-reachable", ""},
		{"vpcdns-to-vpc-dns-exempt", []string{cvpnFull, "--from", "cvpn-endpoint-0vpcdns", "--to", "10.123.0.2", "--protocol", "udp", "--port", "53"}, "reachable", ""},
	}
	for _, c := range cases {
		for _, format := range []string{"text", "json"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				args := append([]string{"path", c.args[0], "--format", format}, clientFrom(c.args)...)
				code, out, errs := runCLI(t, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errs)
				}
				if format == "json" {
					var v struct {
						Verdict   string
						BlockedBy *struct{ Code string }
					}
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatalf("not JSON: %v\n%s", err, out)
					}
					if v.Verdict != c.verdict {
						t.Errorf("verdict %s, want %s", v.Verdict, c.verdict)
					}
					if c.code != "" && (v.BlockedBy == nil || v.BlockedBy.Code != c.code) {
						t.Errorf("blockedBy %+v, want code %s", v.BlockedBy, c.code)
					}
				}
				checkGolden(t, filepath.Join("testdata/clientvpn", "path-"+c.name+"."+format+".golden"), []byte(out))
			})
		}
	}
}

func TestClientVPNDNSGolden(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		rcode      string
		server     string // address
		kind       string // server kind
		answer     string // first answer value
		answeredBy string
	}{
		// Seed 001 scenario 1: full tunnel, no DNS servers pushed.
		{"full-no-servers", []string{cvpnFull, "amazon.com"}, "UNKNOWN", "", "", "", ""},
		{"full-lan-resolver", []string{cvpnFull, "--client-dns", "192.168.1.1", "--client-route", "192.168.1.1/32", "amazon.com"}, "UNKNOWN", "192.168.1.1", "device", "", ""},
		{"full-public-resolver-times-out", []string{cvpnFull, "--client-dns", "8.8.8.8", "amazon.com"}, "TIMEOUT", "8.8.8.8", "device", "", ""},
		// Seed 001 scenario 2: split tunnel, Resolver inbound endpoint in another VPC.
		{"split-private-zone-failover", []string{cvpnSplit, "test.example.local"}, "NOERROR", "10.10.0.43", "resolver-inbound-endpoint", "10.123.2.1", "private-hosted-zone"},
		{"split-private-zone-first-server", []string{cvpnSplit, "--client-group", "S-1-5-21-admins", "test.example.local"}, "NOERROR", "10.10.1.228", "resolver-inbound-endpoint", "10.123.2.1", "private-hosted-zone"},
		{"split-endpoint-private-dns", []string{cvpnSplit, "ec2.ap-southeast-2.amazonaws.com"}, "NOERROR", "10.10.0.43", "resolver-inbound-endpoint", "10.10.0.33", "vpc-endpoint-private-dns"},
		{"split-ec2-public-name", []string{cvpnSplit, "ec2-13-211-254-134.ap-southeast-2.compute.amazonaws.com"}, "NOERROR", "10.10.0.43", "resolver-inbound-endpoint", "10.10.1.11", "ec2-hostname"},
		{"split-public-name", []string{cvpnSplit, "amazon.com"}, "UNKNOWN", "10.10.0.43", "resolver-inbound-endpoint", "", "public"},
		// No Client VPN route covers the servers: with split tunnel the queries leave on the device's network,
		// which cannot reach vpc-0dns (its transit gateway has no VPN or Direct Connect attachment).
		{"noroute-servers-outside-tunnel-time-out", []string{cvpnSplit, "--from", "cvpn-endpoint-0noroute", "test.example.local"}, "TIMEOUT", "10.10.1.228", "resolver-inbound-endpoint", "", ""},
		// A zone associated only with the Client VPN VPC is not seen by the inbound endpoint's VPC.
		{"split-zone-of-client-vpn-vpc", []string{cvpnSplit, "app.corp.internal"}, "UNKNOWN", "10.10.0.43", "resolver-inbound-endpoint", "", "public"},
		// The VPC resolver pushed: the VPC's own private zone answers (R6.2), although the endpoint's group allows no egress (R1.8).
		{"template-ec2-name", []string{cvpnTemplate, "--region", "us-east-1", "--from", "Endpoint", "ip-10-50-2-10.ec2.internal"}, "NOERROR", "10.50.0.2", "amazon-provided", "10.50.2.10", "ec2-hostname"},
		{"vpcdns-private-zone", []string{cvpnFull, "--from", "cvpn-endpoint-0vpcdns", "app.corp.internal"}, "NOERROR", "10.123.0.2", "amazon-provided", "10.123.2.10", "private-hosted-zone"},
	}
	for _, c := range cases {
		for _, format := range []string{"text", "json"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				args := append([]string{"dns", c.args[0], "--format", format}, clientFrom(c.args)...)
				code, out, errs := runCLI(t, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errs)
				}
				if format == "json" {
					var v struct {
						Rcode  string
						Server *struct {
							Address, Kind string
						}
						Answers    []struct{ Value string }
						AnsweredBy *struct{ Kind string }
					}
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatalf("not JSON: %v\n%s", err, out)
					}
					if v.Rcode != c.rcode {
						t.Errorf("rcode %s, want %s", v.Rcode, c.rcode)
					}
					if c.server != "" && (v.Server == nil || v.Server.Address != c.server || v.Server.Kind != c.kind) {
						t.Errorf("server %+v, want %s (%s)", v.Server, c.server, c.kind)
					}
					if c.answer != "" && (len(v.Answers) == 0 || v.Answers[0].Value != c.answer) {
						t.Errorf("answers %+v, want %s", v.Answers, c.answer)
					}
					if c.answeredBy != "" && (v.AnsweredBy == nil || v.AnsweredBy.Kind != c.answeredBy) {
						t.Errorf("answeredBy %+v, want %s", v.AnsweredBy, c.answeredBy)
					}
				}
				checkGolden(t, filepath.Join("testdata/clientvpn", "dns-"+c.name+"."+format+".golden"), []byte(out))
			})
		}
	}
}

func TestClientVPNBadUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"path", cvpnFull, "--from", "cvpn-endpoint-0full", "--client-ip", "10.0.0.1", "--to", "i-0app"}, "client CIDR"},
		{[]string{"path", cvpnFull, "--from", "cvpn-endpoint-0full", "--client-ip", "nope", "--to", "i-0app"}, "--client-ip"},
		{[]string{"path", cvpnFull, "--from", "cvpn-endpoint-0full", "--client-route", "300.0.0.0/8", "--to", "i-0app"}, "--client-route"},
		{[]string{"path", cvpnFull, "--from", "i-0app", "--client-group", "g", "--to", "10.123.0.2"}, "Client VPN endpoint"},
		{[]string{"dns", cvpnFull, "--from", "i-0app", "--client-ip", "172.16.0.9", "amazon.com"}, "Client VPN endpoint"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", c.args, code, errs, exitUsage, c.want)
		}
	}
}

func TestClientVPNExposureGolden(t *testing.T) {
	for _, c := range []struct{ name, dir string }{{"full", cvpnFull}, {"split", cvpnSplit}} {
		for _, format := range []string{"text", "json"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				code, out, errs := runCLI(t, "exposure", c.dir, "--format", format)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errs)
				}
				if format == "json" {
					var v struct {
						Findings []struct {
							Resource struct{ ID string }
							From     struct {
								Kind, ID string
								Sources  []string
							}
							Protocol string
							Ports    struct{ From, To int }
						}
					}
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatalf("not JSON: %v", err)
					}
					listener, clients := false, false
					for _, f := range v.Findings {
						if strings.HasPrefix(f.Resource.ID, "cvpn-endpoint-") && f.From.Kind == "internet" && f.Protocol == "udp" && f.Ports.From == 443 {
							listener = true
						}
						if f.Resource.ID == "i-0app" && f.From.Kind == "client-vpn" && len(f.From.Sources) == 1 && strings.HasSuffix(f.From.Sources[0], "/22") {
							clients = true
						}
					}
					if !listener || !clients {
						t.Errorf("listener finding %v, client finding for i-0app %v; want both", listener, clients)
					}
				}
				checkGolden(t, filepath.Join("testdata/clientvpn", "exposure-"+c.name+"."+format+".golden"), []byte(out))
			})
		}
	}
}
