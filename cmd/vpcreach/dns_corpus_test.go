package main

import (
	"context"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source"
)

var validRcodes = map[dns.Rcode]bool{dns.NoError: true, dns.NXDomain: true, dns.ServFail: true, dns.Refused: true, dns.Timeout: true, dns.Unknown: true}

// TestDNSDescribeCorpus resolves, on every snapshot of the describe corpus
// and from every interface (at most 25 per snapshot), the interface's own
// IP-based name, its reverse name and every interface endpoint name, and
// checks what must hold whatever the network.
func TestDNSDescribeCorpus(t *testing.T) {
	root := corpustest.Dir(t, "describe")
	var dirs []string
	groups, _ := os.ReadDir(root)
	for _, g := range groups {
		subs, _ := os.ReadDir(filepath.Join(root, g.Name()))
		for _, s := range subs {
			if g.IsDir() && s.IsDir() {
				dirs = append(dirs, filepath.Join(root, g.Name(), s.Name()))
			}
		}
	}
	ctx := context.Background()
	queried := 0
	for _, dir := range dirs {
		n, err := source.Load(ctx, []string{dir}, source.Options{})
		if err != nil {
			continue // the readers' tests own load errors
		}
		r := dns.New(n, newDNSReacher(n), dns.Options{})
		var names []string
		for _, ep := range n.VPCEndpoints.All() {
			for _, e := range ep.DNSEntries {
				names = append(names, e.DNSName)
			}
		}
		enis := n.NetworkInterfaces.All()
		if len(enis) > 25 {
			enis = enis[:25]
		}
		for _, eni := range enis {
			v, err := dns.VantageFor(n, eni.ID)
			if err != nil {
				continue
			}
			s := r.Session(ctx, v)
			qs := append([]string(nil), names...)
			a, ok := eni.PrimaryIP()
			if ok && a.Is4() && v.VPC != nil && v.VPC.Region != "" {
				qs = append(qs, "ip-"+strings.ReplaceAll(a.String(), ".", "-")+"."+ec2Suffix(v.VPC.Region))
			}
			for _, q := range qs {
				res := s.Resolve(ctx, q, dns.TypeA)
				queried++
				if !validRcodes[res.Rcode] || len(res.Trace) == 0 {
					t.Errorf("%s from %s: %s: rcode %q, %d trace lines", dir, eni.ID, q, res.Rcode, len(res.Trace))
				}
				if (res.Rcode == dns.Unknown || res.Rcode == dns.Timeout || res.Rcode == dns.ServFail) && res.Reason == "" {
					t.Errorf("%s from %s: %s: %s without a reason", dir, eni.ID, q, res.Rcode)
				}
			}
			if ok && a.Is4() && amazonDNSAnswers(v) {
				res := s.Resolve(ctx, "ip-"+strings.ReplaceAll(a.String(), ".", "-")+"."+ec2Suffix(v.VPC.Region), dns.TypeA)
				if res.Rcode != dns.NoError || len(res.Answers) != 1 || res.Answers[0].Value != a.String() {
					t.Errorf("%s from %s: its own IP name gives %s %v\n%s", dir, eni.ID, res.Rcode, res.Answers, strings.Join(res.Trace, "\n"))
				}
			}
		}
	}
	if queried == 0 {
		t.Skip("no snapshot of the corpus loads")
	}
	t.Logf("%d queries on %d snapshots", queried, len(dirs))
}

func ec2Suffix(region string) string {
	if region == "us-east-1" {
		return "ec2.internal"
	}
	return region + ".compute.internal"
}

// amazonDNSAnswers reports whether the vantage's VPC certainly uses the
// Amazon DNS server with both DNS attributes stated true.
func amazonDNSAnswers(v dns.Vantage) bool {
	vpc := v.VPC
	if vpc == nil || vpc.EnableDNSSupport != model.True || vpc.EnableDNSHostnames != model.True || vpc.Region == "" {
		return false
	}
	return vpc.DHCPOptionsID == "default" && len(vpc.CIDRs) > 0
}

// TestDNSCFNCorpus resolves, from every VPC of every template of the
// CloudFormation corpus, the names of its private hosted zones and
// interface endpoints and an EC2 name: templates leave many values unknown,
// and every answer must still be well formed.
func TestDNSCFNCorpus(t *testing.T) {
	root := corpustest.Dir(t, "cfn")
	ctx := context.Background()
	queried := 0
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		n, err := source.Load(ctx, []string{p}, source.Options{Region: "eu-west-1", Account: "123456789012"})
		if err != nil {
			return nil
		}
		r := dns.New(n, newDNSReacher(n), dns.Options{})
		names := []string{"ip-10-0-0-5.eu-west-1.compute.internal", "localhost", "www.example.com"}
		for _, hz := range n.HostedZones.All() {
			names = append(names, "www."+hz.ZoneName, hz.ZoneName)
			for _, rec := range hz.Records {
				names = append(names, rec.Name)
			}
		}
		for _, ep := range n.VPCEndpoints.All() {
			if ep.PrivateDNSName != "" {
				names = append(names, ep.PrivateDNSName)
			}
		}
		for _, vpc := range n.VPCs.All() {
			v, err := dns.VantageFor(n, vpc.ID)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			s := r.Session(ctx, v)
			for _, name := range names {
				for _, qt := range []dns.Type{dns.TypeA, dns.TypeAAAA, dns.TypeTXT} {
					res := s.Resolve(ctx, name, qt)
					queried++
					if !validRcodes[res.Rcode] || len(res.Trace) == 0 {
						t.Errorf("%s from %s: %s %s: rcode %q, %d trace lines", p, vpc.ID, name, qt, res.Rcode, len(res.Trace))
					}
				}
			}
		}
		return nil
	})
	if queried == 0 {
		t.Skip("no template of the corpus loads")
	}
	t.Logf("%d queries", queried)
}
