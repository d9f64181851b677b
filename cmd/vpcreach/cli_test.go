package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/sarifcheck"
)

// update rewrites the golden files: go test ./cmd/vpcreach -update.
var update = flag.Bool("update", false, "rewrite golden files")

// runCLI runs the command line in-process, as main would, and returns its
// exit status and what it printed.
func runCLI(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(context.Background(), args, &out, &errb)
	// Every SARIF log the tests make must be one GitHub code scanning
	// ingests: the SARIF 2.1.0 schema and GitHub's rules.
	if (code == exitOK || code == exitGate) && out.Len() > 0 && wantsSARIF(args) {
		if err := sarifcheck.Validate(out.Bytes()); err != nil {
			t.Errorf("%v: the SARIF is not valid:\n%v", args, err)
		}
	}
	return code, out.String(), errb.String()
}

func wantsSARIF(args []string) bool {
	for i, a := range args {
		if a == "--format=sarif" || a == "--format" && i+1 < len(args) && args[i+1] == "sarif" {
			return true
		}
	}
	return false
}

// checkGolden compares got with the golden file at path, or rewrites the
// file under -update.
func checkGolden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
