//go:build !unix

package fuzztime

import "time"

var epoch = time.Now()

// cpuTime is the wall time where the CPU time is not at hand.
func cpuTime() time.Duration { return time.Since(epoch) }
