package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpcreach/vpcreach/internal/synth"
)

// buildBinary builds the vpcreach command into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command and a large snapshot")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build the command with")
	}
	bin := filepath.Join(t.TempDir(), "vpcreach")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSignalStopsTheRunWithoutAnAnswer runs the built command on a large
// generated snapshot, signals it while it reads or analyses, and checks it
// ends with the shell's status for the signal (130 for SIGINT, 143 for
// SIGTERM), with nothing on stdout and a message saying no answer was
// written: a cancelled CI job or `timeout` must not leave an answer that
// looks whole.
func TestSignalStopsTheRunWithoutAnAnswer(t *testing.T) {
	bin := buildBinary(t)
	snap := t.TempDir()
	if err := synth.Generate(snap, synth.Config{Seed: 1, Accounts: 1, Regions: 1, VPCs: 40, ENIs: 15000, SGRules: -1}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		command []string
		sig     syscall.Signal
		code    int
	}{
		{[]string{"inventory", snap}, syscall.SIGINT, 130},
		{[]string{"exposure", snap}, syscall.SIGTERM, 143},
		{[]string{"lint", snap}, syscall.SIGINT, 130},
		{[]string{"exposure", snap, "--format", "json"}, syscall.SIGINT, 130},
	} {
		t.Run(strings.Join(tc.command[:1], " ")+"/"+signalName(tc.sig), func(t *testing.T) {
			cmd := exec.Command(bin, tc.command...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Reading this snapshot takes far longer than this.
			time.Sleep(150 * time.Millisecond)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("%s did not stop on %s", tc.command[0], signalName(tc.sig))
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Errorf("exit %v, want status %d (stderr %q)", err, tc.code, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout holds %d bytes of an answer: %.200q", stdout.Len(), stdout.String())
			}
			msg := stderr.String()
			if !strings.Contains(msg, "interrupted by "+signalName(tc.sig)+": no answer was written") {
				t.Errorf("stderr %q: want it to say the run was interrupted before any answer", msg)
			}
		})
	}
}

// TestSignalWhileAServerLoads: serve-dns, once serving, stops on a signal
// with status 0 (TestServeDNSStopsOnSignal); a signal before it serves is
// an interruption like any other.
func TestSignalWhileAServerLoads(t *testing.T) {
	bin := buildBinary(t)
	snap := t.TempDir()
	if err := synth.Generate(snap, synth.Config{Seed: 1, Accounts: 1, Regions: 1, VPCs: 40, ENIs: 15000, SGRules: -1}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve-dns", snap, "--from", "internet", "--listen", "127.0.0.1:0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("exit %v, want 130 (stderr %q)", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("serve-dns did not stop while loading")
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q", stdout.String())
	}
}

// TestInterruptedContextExitStatus runs in-process with a context a
// signal would have cancelled: the status is the shell's, never 0 or 2.
func TestInterruptedContextExitStatus(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(&interrupted{sig: tc.sig})
		var out, errb bytes.Buffer
		code := execute(ctx, []string{"inventory", "../../examples/two-tier"}, &out, &errb)
		if code != tc.code || out.Len() != 0 || !strings.Contains(errb.String(), "interrupted by "+signalName(tc.sig)) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", signalName(tc.sig), code, out.String(), errb.String())
		}
	}
}

// TestInventoryMemoryFollowsInput runs the built command on a generated
// snapshot and checks its peak memory (the child's maximum resident set
// size) stays under 10 times the size of what it reads.
func TestInventoryMemoryFollowsInput(t *testing.T) {
	bin := buildBinary(t)
	snap := t.TempDir()
	if err := synth.Generate(snap, synth.Config{Seed: 1, Accounts: 1, Regions: 1, VPCs: 40, ENIs: 15000, SGRules: -1}); err != nil {
		t.Fatal(err)
	}
	var size int64
	filepath.Walk(snap, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			size += fi.Size()
		}
		return nil
	})
	cmd := exec.Command(bin, "inventory", snap)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("inventory: %v\n%.500s", err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on this system")
	}
	peak := ru.Maxrss * 1024 // kilobytes on Linux
	t.Logf("input %d MiB, peak %d MiB (%.1f×)", size>>20, peak>>20, float64(peak)/float64(size))
	if peak > 10*size {
		t.Errorf("peak memory %d MiB is more than 10 × the input (%d MiB)", peak>>20, size>>20)
	}
}

// TestParseSize: --max-file-size takes bytes or binary units.
func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "512KiB": 512 << 10, "64 MiB": 64 << 20, "4GiB": 4 << 30, "2G": 2 << 30, "2 GiB": 2 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "lots", "1TiB", "9999999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	code, _, errs := runCLI(t, "inventory", "../../examples/two-tier", "--max-file-size", "lots")
	if code != exitUsage || !strings.Contains(errs, "--max-file-size") {
		t.Errorf("exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "inventory", "../../examples/two-tier", "--max-file-size", "100")
	if code != exitUsage || !strings.Contains(errs, "limit-exceeded") || !strings.Contains(errs, "--max-file-size") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
