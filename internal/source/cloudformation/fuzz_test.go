package cloudformation

import (
	"errors"
	"github.com/vpcreach/vpcreach/internal/fuzztime"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// FuzzRead feeds arbitrary bytes as a template: Read either fills the
// network or returns a *diag.Error; it never panics or hangs. Seeds are
// testdata/fuzz/FuzzRead and the templates in testdata.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*.json")
	for _, s := range append(seeds, more...) {
		if data, err := os.ReadFile(s); err == nil && filepath.Ext(filepath.Base(s[:len(s)-len(filepath.Ext(s))])) != ".golden" {
			f.Add(data)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzztime.Start(t, "cloudformation.FuzzRead", data)()
		p := filepath.Join(dir, "t.yaml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := Read(p, Options{Params: map[string]string{"VpcId": "vpc-1"}}, &model.Network{})
		if err == nil {
			return
		}
		var de *diag.Error
		if !errors.As(err, &de) {
			t.Fatalf("not a *diag.Error: %v", err)
		}
		if de.Code == "internal-error" {
			t.Fatalf("%v", err)
		}
	})
}
