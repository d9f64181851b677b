//go:build unix

package snapshot_test

import (
	"os"
	"syscall"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/snapshot"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// BenchmarkReadOrganisation reads generated organisations (synth presets)
// and finalizes the network, as every command does. The large preset
// (100k interfaces, 1M security group rules) runs only when
// VPCREACH_BENCH_LARGE=1. Beside the wall time it reports the process's CPU
// time per read (cpu-ns/op, both cores and the garbage collector), which
// varies much less than wall time on a shared machine.
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
			start := cpuTime()
			for b.Loop() {
				n := &model.Network{}
				if err := snapshot.Read(dir, n); err != nil {
					b.Fatal(err)
				}
				n.Finalize()
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the user and system CPU time the process has used, in ns.
func cpuTime() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}
