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
			if _, ok := slowest[target]; !ok {
				// A worker process restarts often: start from the
				// slowest a previous one wrote.
				slowest[target] = recorded(filepath.Join(dir, target+".slowest"))
			}
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

// recorded is the CPU time in the first line of a .slowest file, or 0.
func recorded(path string) time.Duration {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 4 {
		return 0
	}
	d, err := time.ParseDuration(f[3])
	if err != nil {
		return 0
	}
	return d
}
