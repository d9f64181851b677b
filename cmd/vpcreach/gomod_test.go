package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestGoModIsTidy keeps go.mod as `go mod tidy` writes it: the modules the
// code imports listed as direct requirements, nothing unused. It runs
// offline against the module cache and skips when that cannot answer.
func TestGoModIsTidy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command(goBin, "mod", "tidy", "-diff")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if err == nil {
		return
	}
	if out.Len() == 0 {
		t.Skipf("go mod tidy -diff could not run offline: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	t.Errorf("go.mod or go.sum is not tidy; run go mod tidy:\n%s", out.String())
}
