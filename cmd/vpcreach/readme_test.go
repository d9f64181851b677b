package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeOutput matches an output block of the README: a comment naming the
// command line, then a text block with what it prints.
var readmeOutput = regexp.MustCompile("(?s)<!-- output: vpcreach ([^>]*?) -->\n```text\n(.*?)```\n")

// TestREADMEShowsRealOutput runs every command line the README shows the
// output of, from the repository root, and compares; -update rewrites the
// blocks.
func TestREADMEShowsRealOutput(t *testing.T) {
	readme := filepath.Join(repoRoot, "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(abs)
	blocks := readmeOutput.FindAllStringSubmatchIndex(text, -1)
	if len(blocks) < 2 {
		t.Fatalf("the README shows %d outputs, want the exposure table and a path", len(blocks))
	}
	var out strings.Builder
	last := 0
	for _, m := range blocks {
		cmdline, shown := text[m[2]:m[3]], text[m[4]:m[5]]
		code, got, errs := runCLI(t, strings.Fields(cmdline)...)
		if code != exitOK {
			t.Errorf("vpcreach %s: exit %d: %s", cmdline, code, errs)
		}
		if got != shown && !*update {
			t.Errorf("README shows for vpcreach %s (go test -update rewrites it):\n%s\n--- but it prints\n%s", cmdline, shown, got)
		}
		out.WriteString(text[last:m[4]])
		out.WriteString(got)
		last = m[5]
	}
	out.WriteString(text[last:])
	if *update && out.String() != text {
		if err := os.WriteFile("README.md", []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
