// Package fuzztime times the inputs of fuzz targets, so that a fuzzing run
// finds inputs slow to handle as well as inputs that crash. It asserts
// nothing unless asked: regression runs of the seeds (go test) never
// depend on how fast the machine is.
//
//	VPCREACH_FUZZ_MAX=1s      fail an input that takes longer (the fuzzer
//	                          then keeps it in testdata/fuzz)
//	VPCREACH_FUZZ_SLOWEST=DIR write the slowest input seen so far, and its
//	                          time, to DIR/<target>.slowest
//
// The time is the CPU time the process spent on the input (user and
// system, garbage collection included), not the wall time, so that a
// machine busy with other work does not make inputs look slow; with
// -parallel 1 a worker handles one input at a time.
package fuzztime

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// MaxInput is the largest input timed: larger ones are skipped.
const MaxInput = 64 << 10

var (
	mu      sync.Mutex
	slowest = map[string]time.Duration{}
)

// Start skips inputs above MaxInput and returns the function to call when
// the input is handled.
func Start(t *testing.T, target string, data []byte) (done func()) {
	t.Helper()
	if len(data) > MaxInput {
		t.Skip("input above 64 KiB")
	}
	start, wall := cpuTime(), time.Now()
	return func() {
		t.Helper()
		took := cpuTime() - start
		elapsed := time.Since(wall)
		if dir := os.Getenv("VPCREACH_FUZZ_SLOWEST"); dir != "" {
			mu.Lock()
			if took > slowest[target] {
				slowest[target] = took
				head := fmt.Sprintf("%s %d bytes %s CPU (%s wall)\n", target, len(data), took, elapsed)
				_ = os.WriteFile(filepath.Join(dir, target+".slowest"), append([]byte(head), data...), 0o644)
			}
			mu.Unlock()
		}
		if max := os.Getenv("VPCREACH_FUZZ_MAX"); max != "" {
			limit, err := time.ParseDuration(strings.TrimSpace(max))
			if err == nil && took > limit {
				t.Fatalf("%d bytes took %s of CPU (%s wall), more than %s", len(data), took, elapsed, limit)
			}
		}
	}
}
