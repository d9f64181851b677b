package main

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/source"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// benchNetworkDir writes the benchmark network, synth's medium preset
// (about 10,000 interfaces and 20,000 security group rules over 100 VPCs,
// 4 accounts and 2 regions, with internet and NAT gateways, peering,
// transit gateways and load balancers), into a temporary folder.
func benchNetworkDir(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := synth.Generate(dir, synth.Medium); err != nil {
		b.Fatal(err)
	}
	return dir
}

func loadBench(b *testing.B, dir string) *model.Network {
	n, err := source.Load(context.Background(), []string{dir}, source.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkExposureLoad is the time to read the benchmark network, the
// yardstick for BenchmarkExposure (which must stay within twice this).
func BenchmarkExposureLoad(b *testing.B) {
	dir := benchNetworkDir(b)
	b.ResetTimer()
	for b.Loop() {
		loadBench(b, dir)
	}
}

// BenchmarkExposure is the full exposure of the benchmark network on a
// fresh engine each time (no cache carried over).
func BenchmarkExposure(b *testing.B) {
	n := loadBench(b, benchNetworkDir(b))
	var findings int
	b.ResetTimer()
	for b.Loop() {
		res := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{})
		findings = len(res.Findings)
	}
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(float64(n.NetworkInterfaces.Len()), "ENIs")
}

// BenchmarkExposureOneWorker is BenchmarkExposure on one goroutine: the
// work itself, without the worker pool.
func BenchmarkExposureOneWorker(b *testing.B) {
	n := loadBench(b, benchNetworkDir(b))
	b.ResetTimer()
	for b.Loop() {
		reach.New(n).Exposure(context.Background(), reach.ExposureOptions{Workers: 1})
	}
}

// BenchmarkExposureRender is the writing of the benchmark network's
// exposure, for machines (JSON) and for people (text); the text must cost
// about as much as the JSON.
func BenchmarkExposureRender(b *testing.B) {
	n := loadBench(b, benchNetworkDir(b))
	res := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{})
	for _, format := range []string{"json", "text"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				var err error
				if format == "json" {
					err = report.ExposureJSON(io.Discard, res, nil)
				} else {
					err = report.ExposureText(io.Discard, res, nil)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExposureOfDir is the exposure, written as JSON, of the snapshot
// folder VPCREACH_BENCH_DIR (for instance `vpcreach generate --preset
// large`), loaded once: the profile of exposure at a size of one's choosing.
func BenchmarkExposureOfDir(b *testing.B) {
	dir := os.Getenv("VPCREACH_BENCH_DIR")
	if dir == "" {
		b.Skip("set VPCREACH_BENCH_DIR to a snapshot folder")
	}
	n := loadBench(b, dir)
	b.ResetTimer()
	for b.Loop() {
		res, err := exposureOf(context.Background(), n)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.ExposureJSON(io.Discard, res, nil); err != nil {
			b.Fatal(err)
		}
	}
}
