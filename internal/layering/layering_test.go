// Package layering guards the pipeline's direction: the model and the
// analyses know nothing of input formats, the AWS SDK or the DNS wire library.
package layering

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// forbidden maps a package prefix of ours to the import prefixes it must
// never depend on, directly or not.
var forbidden = map[string][]string{
	"github.com/vpcreach/vpcreach/internal/model":    {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "github.com/vpcreach/vpcreach/internal/report", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/reach":    {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/dns":      {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/policy":   {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "github.com/vpcreach/vpcreach/internal/report"},
	"github.com/vpcreach/vpcreach/internal/lint":     {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/report":   {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/diff":     {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "github.com/vpcreach/vpcreach/internal/report", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/topology": {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "github.com/vpcreach/vpcreach/internal/report", "go.yaml.in/yaml"},
	"github.com/vpcreach/vpcreach/internal/suppress": {"github.com/aws/", "github.com/miekg/dns", "github.com/vpcreach/vpcreach/internal/source", "github.com/vpcreach/vpcreach/internal/report", "go.yaml.in/yaml"},
}

type pkg struct {
	ImportPath string
	Deps       []string
}

func TestAnalysesDoNotImportFormatsOrSDKs(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-json", "github.com/vpcreach/vpcreach/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		for prefix, bans := range forbidden {
			if p.ImportPath != prefix && !strings.HasPrefix(p.ImportPath, prefix+"/") {
				continue
			}
			checked++
			for _, d := range p.Deps {
				for _, ban := range bans {
					if strings.HasPrefix(d, ban) {
						t.Errorf("%s depends on %s: the model and analyses must not know input formats, the AWS SDK or miekg/dns", p.ImportPath, d)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no guarded package found")
	}
}
