package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestHeapBoundLeavesTheEnvironmentAlone: with GOGC or GOMEMLIMIT in the
// environment, exposure sets no memory limit of its own.
func TestHeapBoundLeavesTheEnvironmentAlone(t *testing.T) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv(v, "100")
			if b := boundHeap(); b != nil {
				b.release()
				t.Fatalf("%s set: want no bound", v)
			}
		})
	}
}

// TestHeapBoundGrowsAndIsReleased: the limit is at least twice the live
// heap, grows with what the analysis holds, never shrinks, and the limit
// before is restored.
func TestHeapBoundGrowsAndIsReleased(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	gogc := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gogc)
	b := boundHeap()
	if b == nil {
		t.Fatal("no bound")
	}
	if got := debug.SetMemoryLimit(-1); got < 2*b.base || got < minHeapLimit || got == math.MaxInt64 {
		t.Errorf("limit %d, want at least twice the live heap %d", got, b.base)
	}
	held := int64(1 << 30)
	for range 64 {
		b.hold(held)
	}
	if got := debug.SetMemoryLimit(-1); got < 2*(b.base+held) {
		t.Errorf("limit %d after holding %d, want at least %d", got, held, 2*(b.base+held))
	}
	high := debug.SetMemoryLimit(-1)
	for range 64 {
		b.hold(0)
	}
	if got := debug.SetMemoryLimit(-1); got != high {
		t.Errorf("limit %d after holding less, want it kept at %d", got, high)
	}
	gogcIs(t, gcPercent, "while bound")
	b.release()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after release, want %d", got, before)
	}
	gogcIs(t, 100, "after release")
}

// TestReadingCollectorIsScoped: sources are read at gcPercent, and the
// analysis after them runs at the GOGC of before (reads that overlap set
// it back when the last ends); a GOGC of the environment is left as it
// is.
func TestReadingCollectorIsScoped(t *testing.T) {
	gogc := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gogc)
	t.Run("reading", func(t *testing.T) {
		t.Setenv("GOGC", "")
		restore := readingCollector()
		gogcIs(t, gcPercent, "while reading")
		restore()
		gogcIs(t, 100, "after reading")
	})
	t.Run("overlapping reads", func(t *testing.T) {
		t.Setenv("GOGC", "")
		first, second := readingCollector(), readingCollector()
		first()
		gogcIs(t, gcPercent, "while a second read is under way")
		second()
		gogcIs(t, 100, "after both reads")
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv("GOGC", "100")
		restore := readingCollector()
		gogcIs(t, 100, "with GOGC=100 in the environment")
		restore()
	})
}

// gogcIs checks that GOGC is want (and leaves it there).
func gogcIs(t *testing.T, want int, when string) {
	t.Helper()
	if got := debug.SetGCPercent(want); got != want {
		t.Errorf("GOGC %d %s, want %d", got, when, want)
	}
}
