package fuzztime

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRecordedReadsTheSlowestSoFar: a restarted worker starts from the
// time a previous one wrote.
func TestRecordedReadsTheSlowestSoFar(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.slowest")
	if got := recorded(p); got != 0 {
		t.Errorf("no file: %s", got)
	}
	os.WriteFile(p, []byte("x.FuzzRead 3 bytes 250ms CPU (1.2s wall)\nabc"), 0o644)
	if got := recorded(p); got != 250*time.Millisecond {
		t.Errorf("got %s", got)
	}
}
