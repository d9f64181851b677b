package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcreach/vpcreach/internal/model"
)

func TestNoColourUnlessATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]any{"a file": f, "/dev/null": null, "a pipe": w, "a buffer": &bytes.Buffer{}} {
		if wantColor(out.(interface{ Write([]byte) (int, error) })) {
			t.Errorf("colour on %s", name)
		}
	}
	t.Setenv("NO_COLOR", "1")
	if wantColor(os.Stdout) {
		t.Error("colour although NO_COLOR is set")
	}
}

func TestTextOutputHasNoColourInAPipe(t *testing.T) {
	code, out, _ := runCLI(t, "exposure", exposureTwoTier)
	if code != exitOK || strings.Contains(out, "\x1b[") {
		t.Errorf("exit %d, colour codes in %q", code, out)
	}
}

// lockedBuffer is a buffer written by one goroutine and read by another.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressLineAppearsWhenLoadingIsSlowAndIsCleared(t *testing.T) {
	var out lockedBuffer
	stop := startProgress(context.Background(), &out, "snapshot", 0, time.Hour)
	for i := 0; i < 1000 && !strings.Contains(out.String(), "reading snapshot"); i++ {
		time.Sleep(time.Millisecond)
	}
	stop()
	got := out.String()
	if !strings.Contains(got, "vpcreach: reading snapshot (0s)") {
		t.Fatalf("no progress line: %q", got)
	}
	if !strings.HasSuffix(got, "\r") {
		t.Errorf("progress line not cleared: %q", got)
	}

	var quiet lockedBuffer
	stop = startProgress(context.Background(), &quiet, "snapshot", time.Hour, time.Hour)
	stop()
	if quiet.String() != "" {
		t.Errorf("progress line for a quick load: %q", quiet.String())
	}
	// Not a terminal: nothing at all.
	var pipe bytes.Buffer
	progress(context.Background(), &pipe, "snapshot")()
	if pipe.Len() != 0 {
		t.Errorf("progress on a non-terminal: %q", pipe.String())
	}
}

func TestNamesOfANetwork(t *testing.T) {
	n := &model.Network{}
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-1", Name: "prod"}})
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-2"}})
	names := namesOf(n)
	if names("vpc-1") != "prod" || names("vpc-2") != "" || names("vpc-3") != "" {
		t.Errorf("names: %q %q %q", names("vpc-1"), names("vpc-2"), names("vpc-3"))
	}
}

// TestColourOnATerminal runs the built command under script(1), which gives
// it a terminal, with and without NO_COLOR.
func TestColourOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to give the command a terminal")
	}
	bin := filepath.Join(t.TempDir(), "vpcreach")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	run := func(env ...string) string {
		cmd := exec.Command(script, "-qec", bin+" exposure "+exposureTwoTier, os.DevNull)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("script(1) cannot run here: %v", err)
		}
		return string(out)
	}
	if out := run("NO_COLOR=", "TERM=xterm"); !strings.Contains(out, "\x1b[32mreachable") {
		t.Errorf("no colour on a terminal:\n%q", out)
	}
	if out := run("NO_COLOR=1"); strings.Contains(out, "\x1b[") {
		t.Errorf("colour on a terminal although NO_COLOR is set:\n%q", out)
	}
}
