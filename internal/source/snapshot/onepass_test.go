package snapshot_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/snapshot"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// readDump reads a snapshot and returns the network's dump, or the error.
func readDump(path string, onePass bool) (string, error) {
	snapshot.SetOnePass(onePass)
	defer snapshot.SetOnePass(true)
	n := &model.Network{}
	if err := snapshot.Read(path, n); err != nil {
		return "", err
	}
	n.Finalize()
	b, err := model.Dump(n)
	return string(b), err
}

// sameRead fails when reading path with the one-pass decoder gives another
// network, or another error, than reading it with encoding/json alone.
func sameRead(t *testing.T, path string) {
	t.Helper()
	fast, ferr := readDump(path, true)
	exact, eerr := readDump(path, false)
	if describe(ferr) != describe(eerr) {
		t.Errorf("%s: one pass: %s\nencoding/json: %s", path, describe(ferr), describe(eerr))
		return
	}
	if fast != exact {
		t.Errorf("%s: the networks differ", path)
	}
}

func describe(err error) string {
	if err == nil {
		return "no error"
	}
	var de *diag.Error
	if errors.As(err, &de) {
		return fmt.Sprintf("%s line %d code %s resource %q: %s", de.File, de.Line, de.Code, de.Resource, err)
	}
	return err.Error()
}

// The examples, the shared corpus and a synthetic organisation read to the
// same network with and without the one-pass decoder.
func TestOnePassReadsAsEncodingJSON(t *testing.T) {
	root := corpustest.RepoRoot(t)
	paths, _ := filepath.Glob(filepath.Join(root, "examples", "*", "aws_configs"))
	if c := corpustest.Find("describe"); c != "" {
		more, _ := filepath.Glob(filepath.Join(c, "batfish", "*"))
		paths = append(paths, more...)
	}
	dir := t.TempDir()
	if err := synth.Generate(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, dir)
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			sameRead(t, p)
		}
	}
}
