package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// heapBound keeps the heap of an analysis of a loaded network within
// twice what is live, as GOGC=100 means: the network, and what the
// analysis holds (held). Go's collector, left alone (GOGC=100), lets the heap grow
// to twice what it marked, and it marks as live whatever is allocated
// while it marks: on a large network, whose marking takes a while, and a
// busy analysis, the heap reached about 3 times the live heap. A soft
// memory limit bounds it; it is raised whenever the analysis holds more,
// and, should the collector find most of the limit live (caches of one
// very large VPC), set to twice what it finds, which is the default's
// bound. A GOGC or GOMEMLIMIT of the environment is left as it is.
type heapBound struct {
	mu      sync.Mutex
	base    int64 // the live heap after loading
	limit   int64 // the limit in force
	prev    int64 // the limit before
	samples []metrics.Sample
	calls   int
}

// minHeapLimit is the least limit set: below it the collector's own
// minimum heap decides.
const minHeapLimit = 64 << 20

// boundHeap measures the live heap (one collection) and sets the limit;
// nil when the environment sets the collector.
func boundHeap() *heapBound {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	runtime.GC()
	b := &heapBound{samples: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	metrics.Read(b.samples)
	if b.samples[0].Value.Kind() != metrics.KindUint64 {
		return nil
	}
	b.base = int64(b.samples[0].Value.Uint64())
	b.prev = debug.SetMemoryLimit(-1)
	b.raise(max(2*b.base, minHeapLimit))
	return b
}

// hold says the analysis holds held bytes besides the network; it is
// called often, and looks at the collector's findings once in a while.
func (b *heapBound) hold(held int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.calls%64 != 0 {
		return
	}
	want := 2 * (b.base + held)
	metrics.Read(b.samples)
	if live := int64(b.samples[0].Value.Uint64()); 5*live > 4*b.limit {
		// Most of the limit is live: collecting more often would only
		// cost time.
		want = max(want, 2*live)
	}
	b.raise(want)
}

// raise sets the limit to at least want.
func (b *heapBound) raise(want int64) {
	if want > b.limit {
		b.limit = want
		debug.SetMemoryLimit(want)
	}
}

// release restores the limit that was in force.
func (b *heapBound) release() {
	if b == nil {
		return
	}
	debug.SetMemoryLimit(b.prev)
	b.limit = math.MaxInt64
}
