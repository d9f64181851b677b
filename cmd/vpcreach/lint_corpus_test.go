package main

import (
	"context"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/source"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// lintCFNCorpusFiles lists the templates of the CloudFormation corpus.
func lintCFNCorpusFiles(tb testing.TB) []string {
	root := corpustest.Dir(tb, "cfn")
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// lintDescribeCorpusSnapshots lists the snapshot folders of the describe corpus:
// every folder holding an aws_configs folder, else the second level.
func lintDescribeCorpusSnapshots(tb testing.TB) []string {
	root := corpustest.Dir(tb, "describe")
	var dirs []string
	groups, _ := os.ReadDir(root)
	for _, g := range groups {
		if !g.IsDir() {
			continue
		}
		subs, _ := os.ReadDir(filepath.Join(root, g.Name()))
		for _, s := range subs {
			if s.IsDir() {
				dirs = append(dirs, filepath.Join(root, g.Name(), s.Name()))
			}
		}
	}
	return dirs
}

// lintOne loads one source and lints it; load errors are the sources' to
// report and are returned, lint itself must never fail.
func lintOne(path string) (*lint.Result, error) {
	n, err := source.Load(context.Background(), []string{path}, source.Options{})
	if err != nil {
		return nil, err
	}
	return lint.Run(n), nil
}

func lintCheckFindings(t *testing.T, path string, res *lint.Result) {
	for _, f := range res.Findings {
		if f.Rule == nil || f.Resource.ID == "" || f.Resource.Type == "" || f.Message == "" {
			t.Errorf("%s: incomplete finding %+v", path, f)
		}
	}
	for _, w := range res.Warnings {
		if w.Code == "lint-incomplete" {
			t.Errorf("%s: %s", path, w)
		}
	}
}

func TestLintDescribeCorpus(t *testing.T) {
	loaded := 0
	for _, dir := range lintDescribeCorpusSnapshots(t) {
		res, err := lintOne(dir)
		if err != nil {
			t.Logf("%s: not loaded: %v", dir, err)
			continue
		}
		loaded++
		lintCheckFindings(t, dir, res)
	}
	t.Logf("linted %d snapshots", loaded)
}

func TestLintCFNCorpus(t *testing.T) {
	files := lintCFNCorpusFiles(t)
	loaded := 0
	for _, f := range files {
		res, err := lintOne(f)
		if err != nil {
			continue
		}
		loaded++
		lintCheckFindings(t, f, res)
	}
	if loaded == 0 {
		t.Skip("no template of the corpus loads yet")
	}
	t.Logf("linted %d of %d templates", loaded, len(files))
}

// BenchmarkLintCFNCorpus loads and lints every template of the corpus, one
// network per template, as a CI job would. Compare with
// `time cfn-lint <the same files>`.
func BenchmarkLintCFNCorpus(b *testing.B) {
	files := lintCFNCorpusFiles(b)
	if _, err := lintOne(files[0]); err != nil {
		ok := false
		for _, f := range files[1:] {
			if _, err := lintOne(f); err == nil {
				ok = true
				break
			}
		}
		if !ok {
			b.Skip("no template of the corpus loads yet")
		}
	}
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			_, _ = lintOne(f)
		}
	}
	b.ReportMetric(float64(len(files)), "templates/op")
}

// BenchmarkLintDescribeCorpus loads and lints every snapshot of the corpus.
func BenchmarkLintDescribeCorpus(b *testing.B) {
	dirs := lintDescribeCorpusSnapshots(b)
	b.ResetTimer()
	for range b.N {
		for _, d := range dirs {
			_, _ = lintOne(d)
		}
	}
	b.ReportMetric(float64(len(dirs)), "snapshots/op")
}

// BenchmarkLintOnly times the lint pass alone over the largest snapshot.
func BenchmarkLintOnly(b *testing.B) {
	var biggest string
	var size int64
	for _, d := range lintDescribeCorpusSnapshots(b) {
		var s int64
		_ = filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if fi, err := e.Info(); err == nil {
					s += fi.Size()
				}
			}
			return nil
		})
		if s > size {
			biggest, size = d, s
		}
	}
	n, err := source.Load(context.Background(), []string{biggest}, source.Options{})
	if err != nil {
		b.Skip(err)
	}
	b.ResetTimer()
	for range b.N {
		lint.Run(n)
	}
}

// BenchmarkLintSynthetic times the lint pass alone (the network already
// loaded) on generated organisations of about 1k and 10k interfaces.
func BenchmarkLintSynthetic(b *testing.B) {
	for _, s := range []struct {
		name string
		cfg  synth.Config
	}{{"1k", synth.Small}, {"10k", synth.Medium}} {
		b.Run(s.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.Generate(dir, s.cfg); err != nil {
				b.Fatal(err)
			}
			n, err := source.Load(context.Background(), []string{dir}, source.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				lint.Run(n)
			}
			b.ReportMetric(float64(s.cfg.ENIs), "ENIs")
		})
	}
}

// TestLintSyntheticRunsClean lints a generated organisation of about 1k
// interfaces: every finding complete, and no question the path engine
// failed to answer.
func TestLintSyntheticRunsClean(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	res, err := lintOne(dir)
	if err != nil {
		t.Fatal(err)
	}
	lintCheckFindings(t, dir, res)
}
