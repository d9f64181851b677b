package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/policy"
	"github.com/vpcreach/vpcreach/internal/policyfile"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// benchPolicy is the 20-rule policy of docs/performance.md over the
// benchmark network: one deny from the internet to every interface, twelve
// from the internet to one VPC each, four require rules from an instance
// to a VPC each, three single pairs.
func benchPolicy(vpcs []string, web, db string) string {
	var b strings.Builder
	b.WriteString("rules:\n")
	rule := func(id, kind, from, to, proto, ports string) {
		fmt.Fprintf(&b, "  - id: %s\n    %s:\n      from: %s\n      to: %s\n      protocol: %s\n      ports: %s\n", id, kind, from, to, proto, ports)
	}
	rule("no-internet-ssh-anywhere", "deny", "internet", "{cidr: 10.0.0.0/8}", "tcp", "22")
	for i, v := range vpcs[:12] {
		rule(fmt.Sprintf("vpc-%d-db-closed", i), "deny", "internet", "{vpc: "+v+"}", "tcp", `"5432-5433"`)
	}
	for i, v := range vpcs[12:16] {
		rule(fmt.Sprintf("web-reaches-vpc-%d", i), "require", web, "{vpc: "+v+"}", "tcp", "443")
	}
	rule("web-to-db", "deny", web, db, "tcp", "5432")
	rule("web-https", "require", "internet", web, "tcp", "443")
	rule("no-rdp", "deny", "internet", "{vpc: "+vpcs[20]+"}", "tcp", "3389")
	return b.String()
}

// BenchmarkCheck20Rules checks the 20-rule policy on the benchmark network
// with a fresh engine each time; compare with BenchmarkExposure.
func BenchmarkCheck20Rules(b *testing.B) {
	n := loadBench(b, benchNetworkDir(b))
	var vpcs []string
	for _, v := range n.VPCs.All() {
		vpcs = append(vpcs, v.ID)
	}
	sort.Strings(vpcs)
	var web, db string
	for _, in := range n.Instances.All() {
		if strings.HasSuffix(in.Name, "host-00000") && web == "" {
			web = in.ID
		}
	}
	for _, ni := range n.NetworkInterfaces.All() {
		if db == "" && ni.OwnerID != "" && ni.OwnerID != web && strings.HasPrefix(ni.OwnerID, "i-") {
			db = ni.OwnerID
		}
	}
	pol, err := policyfile.Parse("bench.yaml", []byte(benchPolicy(vpcs, web, db)))
	if err != nil {
		b.Fatal(err)
	}
	var res *policy.Result
	b.ResetTimer()
	for b.Loop() {
		if res, err = policy.Check(context.Background(), reach.New(n), pol); err != nil {
			b.Fatal(err)
		}
	}
	pairs := 0
	for _, r := range res.Rules {
		pairs += r.Pairs
	}
	b.ReportMetric(float64(pairs), "pairs")
}
