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
// twice what is live (the network, and what the analysis holds, held),
// as GOGC=100 means, plus heapHeadroom. Go's collector, left alone
// (GOGC=100), lets the heap grow to twice what it marked, and it marks as
// live whatever is allocated while it marks: on a large network, whose
// marking takes a while, and a busy analysis, the heap reached about 3
// times the live heap. A soft memory limit bounds it; it is raised
// whenever the analysis holds more, and, should the collector find most
// of the limit live (caches of one very large VPC), set to twice what it
// finds, which is the default's bound. A GOGC or GOMEMLIMIT of the
// environment is left as it is.
type heapBound struct {
	mu      sync.Mutex
	base    int64 // the live heap after loading
	limit   int64 // the limit in force
	prev    int64 // the limit before
	prevGC  int   // the GOGC before
	samples []metrics.Sample
	calls   int
}

// minHeapLimit is the least limit set: below it the collector's own
// minimum heap decides.
const minHeapLimit = 64 << 20

// heapHeadroom is what the bound allows beyond twice the live heap. Each
// collection marks the live heap, and collections come once per bound
// less live heap allocated: a fixed headroom spares a small network's
// analysis a third of its collections (4-7 % of exposure's CPU at 100k
// interfaces, for about 180 MB of peak) and costs a large one little
// memory in proportion (docs/performance.md, "Text at the cost of JSON,
// and exposure a fifth cheaper").
const heapHeadroom = 256 << 20

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
	b.raise(max(2*b.base+heapHeadroom, minHeapLimit))
	// The limit decides when to collect; GOGC must not come first.
	b.prevGC = debug.SetGCPercent(gcPercent)
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
	want := 2*(b.base+held) + heapHeadroom
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
	debug.SetGCPercent(b.prevGC)
	b.limit = math.MaxInt64
}

// gcPercent is the GOGC vpcreach reads sources with, unless the
// environment sets one. Reading allocates scratch that dies at once
// (decoded values converted to the model) while the network it builds
// only grows, so the collector, at the default GOGC=100, marks the growing
// network again and again. At 200 the heap may reach three times what was
// live at the last collection: loading 100k interfaces costs about 4 %
// less CPU for a few per cent more peak memory (docs/performance.md, "Text
// at the cost of JSON, and exposure a fifth cheaper"). Once the network is
// read, an analysis allocates on top of a live heap that no longer grows,
// and at 200 its heap could reach three times the network for little
// speed (lint of 1M interfaces: 18 GB; report of 100k: 2.8 GB): analyses
// run at the default again, and exposure bounds its heap itself
// (heapBound; docs/performance.md, "Square terms at a million
// interfaces, and the heap after reading").
const gcPercent = 200

// readers counts the reads of sources under way (readingCollector): the
// first sets gcPercent, the last sets back the setting before, so that
// reads that overlap (tests, a server that reloads) leave it as it was.
var readers struct {
	sync.Mutex
	n    int
	prev int
}

// readingCollector sets gcPercent while sources are read, unless the
// environment sets GOGC; the function it returns sets back the setting
// before, once every read under way has ended.
func readingCollector() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	readers.Lock()
	if readers.n == 0 {
		readers.prev = debug.SetGCPercent(gcPercent)
	}
	readers.n++
	readers.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			readers.Lock()
			defer readers.Unlock()
			if readers.n--; readers.n == 0 {
				debug.SetGCPercent(readers.prev)
			}
		})
	}
}
