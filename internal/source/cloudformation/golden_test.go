package cloudformation

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden model dumps in testdata")

// dump renders a network deterministically: every element with its type,
// then the not-modelled counts and the warnings.
func dump(n *model.Network) []byte {
	type elem struct {
		Type    string        `json:"type"`
		Element model.Element `json:"element"`
	}
	var out struct {
		Elements    []elem          `json:"elements"`
		NotModelled map[string]int  `json:"notModelled,omitempty"`
		Warnings    []model.Warning `json:"warnings,omitempty"`
	}
	n.Elements(func(e model.Element) { out.Elements = append(out.Elements, elem{e.Type(), e}) })
	out.NotModelled = n.NotModelled
	out.Warnings = n.Warnings
	model.SortWarnings(out.Warnings)
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// paramsFor reads testdata/<name>.params (Name=Value lines) when present.
func paramsFor(t *testing.T, tmpl string) Options {
	opts := Options{Params: map[string]string{}}
	data, err := os.ReadFile(strings.TrimSuffix(tmpl, filepath.Ext(tmpl)) + ".params")
	if err != nil {
		return opts
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			switch k {
			case "@region":
				opts.Region = v
			case "@account":
				opts.Account = v
			default:
				opts.Params[k] = v
			}
		}
	}
	return opts
}

// TestGolden reads every template in testdata and compares the model
// with its golden dump (refresh with go test -update).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*.json")
	files = append(files, more...)
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			n := &model.Network{}
			if err := Read(f, paramsFor(t, f), n); err != nil {
				t.Fatalf("Read: %v", err)
			}
			got := dump(n)
			golden := strings.TrimSuffix(f, filepath.Ext(f)) + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden dump (run go test -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("model differs from %s (run go test -update and review the diff)", golden)
			}
		})
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
