package snapshot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// readDump reads path with the given number of decoding workers and
// renders everything a command could see: the model's dump, the warnings
// and every collection in the order it was filled, or the error.
func readDump(t *testing.T, path string, workers int) []byte {
	t.Helper()
	n := &model.Network{}
	if err := read(context.Background(), path, n, workers, limits.Limits{}); err != nil {
		return []byte("error: " + err.Error())
	}
	n.Finalize()
	d, err := model.Dump(n)
	if err != nil {
		t.Fatal(err)
	}
	var order bytes.Buffer
	n.Elements(func(e model.Element) { fmt.Fprintln(&order, e.Type(), e.Base().ID, e.Base().Account, e.Base().Region) })
	ws, err := json.Marshal(n.Warnings)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Join([][]byte{d, order.Bytes(), ws}, []byte("\n"))
}

// TestParallelReadIsSequentialRead reads the same snapshots decoding one
// file at a time and several at once: the networks must be identical, as
// must the error when a file in the middle is broken.
func TestParallelReadIsSequentialRead(t *testing.T) {
	org := t.TempDir()
	if err := synth.Generate(org, synth.Config{Seed: 3, Accounts: 2, Regions: 2, VPCs: 8, ENIs: 400, SGRules: 1200}); err != nil {
		t.Fatal(err)
	}
	dirs := []string{org, filepath.Join("..", "..", "..", "examples", "two-tier")}

	// The same organisation with one file broken halfway through the
	// files, and another with a dangling reference and unknown keys.
	broken := t.TempDir()
	if err := os.CopyFS(broken, os.DirFS(org)); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(broken, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 8 {
		t.Fatalf("only %d files generated", len(files))
	}
	mid := files[len(files)/2]
	data, err := os.ReadFile(mid)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mid, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	warned := t.TempDir()
	if err := os.CopyFS(warned, os.DirFS(org)); err != nil {
		t.Fatal(err)
	}
	extra := `{"VpcId": "vpc-0000000000000dead", "EnableDnsSupport": {"Value": true}, "Frobnicate": 1}`
	if err := os.WriteFile(filepath.Join(warned, "aws_configs", "extra.json"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, broken, warned)

	for _, dir := range dirs {
		want := readDump(t, dir, 1)
		for _, w := range []int{2, 3, 8} {
			if got := readDump(t, dir, w); !bytes.Equal(got, want) {
				t.Errorf("%s: reading with %d workers differs from reading one file at a time:\n%.300s\nwant\n%.300s", dir, w, got, want)
			}
		}
		if dir == broken && !bytes.HasPrefix(want, []byte("error: ")) {
			t.Errorf("%s: no error for the broken file %s", dir, mid)
		}
		if dir == warned && (!bytes.Contains(want, []byte("dangling-reference")) || !bytes.Contains(want, []byte("unknown-key"))) {
			t.Errorf("%s: want a dangling-reference and an unknown-key warning:\n%s", dir, want[len(want)-min(len(want), 600):])
		}
	}
}

// TestParallelReadIsSequentialReadOnCorpus does the same on every real
// snapshot of the corpus.
func TestParallelReadIsSequentialReadOnCorpus(t *testing.T) {
	for _, dir := range corpusSnapshots(t) {
		want := readDump(t, dir, 1)
		if got := readDump(t, dir, 3); !bytes.Equal(got, want) {
			t.Errorf("%s: reading with 3 workers differs from reading one file at a time", dir)
		}
	}
}
