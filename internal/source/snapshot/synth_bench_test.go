package snapshot_test

import (
	"os"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/snapshot"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// BenchmarkReadOrganisation reads generated organisations (synth presets)
// and finalizes the network, as every command does. The large preset
// (100k interfaces, 1M security group rules) runs only when
// VPCREACH_BENCH_LARGE=1.
func BenchmarkReadOrganisation(b *testing.B) {
	sizes := []struct {
		name string
		cfg  synth.Config
	}{{"Small", synth.Small}, {"Medium", synth.Medium}}
	if os.Getenv("VPCREACH_BENCH_LARGE") == "1" {
		sizes = append(sizes, struct {
			name string
			cfg  synth.Config
		}{"Large", synth.Large})
	}
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.Generate(dir, s.cfg); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				n := &model.Network{}
				if err := snapshot.Read(dir, n); err != nil {
					b.Fatal(err)
				}
				n.Finalize()
			}
		})
	}
}
