// Package corpustest finds, for tests, the public corpus of real inputs that
// lies beside the repository (../shared/corpus). Tests that read it skip
// when it is absent, so the project's own tests run anywhere.
package corpustest

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the repository root: the nearest folder above the
// working directory that holds go.mod.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	root := repoRoot()
	if root == "" {
		tb.Fatal("go.mod not found above the test directory")
	}
	return root
}

// Dir returns ../shared/corpus/<sub> beside the repository, or skips the
// test when it is absent.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	p := Find(sub)
	if p == "" {
		tb.Skipf("shared corpus %q is not beside the repository", sub)
	}
	return p
}

// Find returns ../shared/corpus/<sub> beside the repository, or "" when it
// is absent.
func Find(sub string) string {
	root := repoRoot()
	if root == "" {
		return ""
	}
	p := filepath.Join(root, "..", "shared", "corpus", filepath.FromSlash(sub))
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return filepath.Clean(p)
}

func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
