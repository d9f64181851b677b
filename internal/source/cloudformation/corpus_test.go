package cloudformation

import (
	"errors"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// corpusDir finds ../shared/corpus/cfn beside the repository, or "".
func corpusDir() string { return corpustest.Find("cfn") }

func corpusFiles(tb testing.TB) []string {
	dir := corpusDir()
	if dir == "" {
		tb.Skip("../shared/corpus/cfn is not at hand")
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
			files = append(files, p)
		}
		return nil
	})
	return files
}

// TestCorpus reads every real template of the shared corpus: each loads,
// or fails with a *diag.Error naming the file; never a panic or a hang.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	clean, rejected := 0, 0
	for _, f := range files {
		rel := strings.TrimPrefix(f, corpusDir()+"/")
		done := make(chan error, 1)
		go func() {
			done <- Read(f, Options{}, &model.Network{})
		}()
		select {
		case err := <-done:
			if err == nil {
				clean++
				continue
			}
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Errorf("%s: not a *diag.Error: %v", rel, err)
				continue
			}
			if de.Code == "internal-error" {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			if de.File == "" || de.Message == "" {
				t.Errorf("%s: error without file or message: %v", rel, err)
			}
			rejected++
			t.Logf("rejected: %v", err)
			// Only what is truly not CloudFormation may be rejected: files
			// that still need `rain pkg`.
			if !strings.Contains(de.Message, "Rain directive") {
				t.Errorf("%s: a real template is rejected: %v", rel, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: Read did not finish in 20s", rel)
		}
	}
	t.Logf("%d templates: %d load cleanly, %d rejected with a clear error", len(files), clean, rejected)
}

// BenchmarkCorpus reads the whole corpus once per iteration.
func BenchmarkCorpus(b *testing.B) {
	files := corpusFiles(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			_ = Read(f, Options{}, &model.Network{})
		}
	}
	b.ReportMetric(float64(len(files)), "templates/op")
}
