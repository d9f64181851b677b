package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/topology"
)

// TestEmbeddedLibrariesArePinned: every embedded library is the file
// scripts/refresh-js.sh fetched at the version VERSIONS pins, with its
// licence beside it.
func TestEmbeddedLibrariesArePinned(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("htmlassets", "VERSIONS"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"cytoscape": "cytoscape.min.js", "layout-base": "layout-base.js", "cose-base": "cose-base.js", "cytoscape-fcose": "cytoscape-fcose.js"}
	seen := 0
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if strings.HasPrefix(l, "#") || len(f) != 3 {
			continue
		}
		seen++
		name, version, sum := f[0], f[1], f[2]
		if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(version) {
			t.Errorf("%s: version %q is not pinned", name, version)
		}
		js, err := os.ReadFile(filepath.Join("htmlassets", files[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := sha256.Sum256(js); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s changed since scripts/refresh-js.sh fetched %s", files[name], version)
		}
		lic, err := os.ReadFile(filepath.Join("htmlassets", name+".LICENSE"))
		if err != nil || !bytes.Contains(lic, []byte("Permission is hereby granted")) {
			t.Errorf("%s: no MIT licence beside it (%v)", name, err)
		}
	}
	if seen != len(files) || len(HTMLLibraries) != len(files) {
		t.Errorf("VERSIONS pins %d libraries, the page embeds %d", seen, len(HTMLLibraries))
	}
}

// TestHTMLIsOneFileThatRequestsNothing: the page holds its scripts and
// styles, loads nothing by URL, and forbids requests in its policy.
func TestHTMLIsOneFileThatRequestsNothing(t *testing.T) {
	n := &model.Network{}
	n.VPCs.Put(&model.VPC{Meta: model.Meta{ID: "vpc-1", Name: "a </script> b"}})
	n.Finalize()
	g := topology.Build(n, topology.Options{})
	var buf bytes.Buffer
	stats, err := Style{}.WriteHTML(&buf, HTMLReport{Title: "t", Network: n, Graph: g, Exposure: &reach.ExposureResult{}, Lint: &lint.Result{}})
	if err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if stats.Bytes != len(page) || stats.Nodes != 1 {
		t.Errorf("stats %+v for a page of %d bytes", stats, len(page))
	}
	if !strings.Contains(page, `content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:"`) {
		t.Error("no Content-Security-Policy that forbids requests")
	}
	for _, bad := range []string{"<script src", "<link", "@import", "url(http", "a </script> b"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	if c := strings.Count(page, "<script"); c != 2+len(HTMLLibraries) {
		t.Errorf("%d scripts, want the data, %d libraries and the page's own", c, len(HTMLLibraries))
	}
}
