package synth_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// TestGeneratedOrganisationLoadsCleanly reads a generated organisation the
// way every command does and checks that nothing was skipped, left
// unknown or dangling, and that the model holds what was written.
func TestGeneratedOrganisationLoadsCleanly(t *testing.T) {
	dir := t.TempDir()
	stats, err := synth.GenerateStats(dir, synth.Small)
	if err != nil {
		t.Fatal(err)
	}
	n, err := source.Load(context.Background(), []string{dir}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range n.Warnings {
		t.Errorf("warning %s %s: %s (%s)", w.Code, w.Resource, w.Message, w.Origin.File)
	}
	if len(n.NotModelled) > 0 {
		t.Errorf("not modelled: %v", n.NotModelled)
	}
	counts := n.Counts()
	rules, records, publics := 0, 0, 0
	for _, sg := range n.SecurityGroups.All() {
		rules += len(sg.Ingress) + len(sg.Egress)
	}
	for _, z := range n.HostedZones.All() {
		if !z.RecordsKnown {
			t.Errorf("%s: records not read", z.ID)
		}
		records += len(z.Records)
	}
	for _, e := range n.NetworkInterfaces.All() {
		for _, p := range e.PrivateIPs {
			if p.PublicIP.IsValid() {
				publics++
			}
		}
	}
	for _, pl := range n.PrefixLists.All() {
		if !pl.EntriesKnown || len(pl.Entries) == 0 {
			t.Errorf("%s: entries not read", pl.ID)
		}
	}
	for _, tg := range n.TargetGroups.All() {
		if !tg.TargetsKnown || len(tg.Targets) == 0 {
			t.Errorf("%s: targets not read", tg.ID)
		}
	}
	for _, lb := range n.LoadBalancers.All() {
		if len(lb.Listeners) == 0 {
			t.Errorf("%s: listeners not read", lb.ID)
		}
	}
	for _, rt := range n.TGWRouteTables.All() {
		if len(rt.Routes) == 0 || len(rt.AssociationIDs) == 0 || len(rt.PropagationIDs) == 0 {
			t.Errorf("%s: routes, associations or propagations not read", rt.ID)
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"VPCs", counts[model.TypeVPC], synth.Small.VPCs},
		{"interfaces", counts[model.TypeNetworkInterface], synth.Small.ENIs},
		{"instances", counts[model.TypeInstance], stats["Instances"]},
		{"security group rules", rules, synth.Small.SGRules},
		{"records", records, stats["ResourceRecordSets"]},
		{"load balancers", counts[model.TypeLoadBalancerV2], stats["LoadBalancers"]},
		{"transit gateway route tables", counts[model.TypeTGWRouteTable], stats["TransitGatewayRouteTables"]},
		{"peering connections", counts[model.TypePeering], stats["VpcPeeringConnections"]},
	} {
		if c.got != c.want {
			t.Errorf("%s: model holds %d, want %d", c.what, c.got, c.want)
		}
	}
	if publics == 0 {
		t.Error("no public address read")
	}
}

// sizes are the benchmark presets; Large only with VPCREACH_BENCH_LARGE=1.
func sizes() []struct {
	name string
	cfg  synth.Config
} {
	out := []struct {
		name string
		cfg  synth.Config
	}{{"Small", synth.Small}, {"Medium", synth.Medium}}
	if large, _ := strconv.ParseBool(os.Getenv("VPCREACH_BENCH_LARGE")); large {
		out = append(out, struct {
			name string
			cfg  synth.Config
		}{"Large", synth.Large})
	}
	return out
}

func BenchmarkGenerate(b *testing.B) {
	for _, s := range sizes() {
		b.Run(s.name, func(b *testing.B) {
			root := b.TempDir()
			i := 0
			for b.Loop() {
				dir := filepath.Join(root, strconv.Itoa(i))
				i++
				if err := synth.Generate(dir, s.cfg); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				os.RemoveAll(dir)
				b.StartTimer()
			}
			b.ReportMetric(float64(s.cfg.ENIs), "ENIs")
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, s := range sizes() {
		b.Run(s.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.Generate(dir, s.cfg); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := source.Load(context.Background(), []string{dir}, source.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.cfg.ENIs), "ENIs")
		})
	}
}
