//go:build unix

package snapshot_test

import (
	"io/fs"
	"os"
	"path/filepath"
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
// varies much less than wall time on a shared machine, and the JSON read
// per CPU second (MB/cpu-s).
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
			benchRead(b, dir)
		})
	}
}

// BenchmarkReadDir is BenchmarkReadOrganisation on the snapshot folder
// VPCREACH_BENCH_DIR (for instance `vpcreach generate --preset large`):
// the profile of loading at a size of one's choosing.
func BenchmarkReadDir(b *testing.B) {
	dir := os.Getenv("VPCREACH_BENCH_DIR")
	if dir == "" {
		b.Skip("set VPCREACH_BENCH_DIR to a snapshot folder")
	}
	benchRead(b, dir)
}

// benchRead reads and finalizes the snapshot dir b.N times.
func benchRead(b *testing.B, dir string) {
	size := folderBytes(b, dir)
	b.SetBytes(size)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		n := &model.Network{}
		if err := snapshot.Read(dir, n); err != nil {
			b.Fatal(err)
		}
		n.Finalize()
	}
	cpu := cpuTime() - start
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(size)*float64(b.N)/1e6/(float64(cpu)/1e9), "MB/cpu-s")
}

// folderBytes is the size of the files under dir.
func folderBytes(b *testing.B, dir string) int64 {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			size += fi.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return size
}

// cpuTime is the user and system CPU time the process has used, in ns.
func cpuTime() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}
