package report

import (
	"bytes"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/sarifcheck"
)

// TestSARIFLogsAreOnesGitHubIngests validates every SARIF log the report
// tests build against the SARIF 2.1.0 schema and GitHub's rules.
func TestSARIFLogsAreOnesGitHubIngests(t *testing.T) {
	var exp bytes.Buffer
	// The commands always locate at least at the first SOURCE read.
	st := Style{Loc: &Locator{Fallback: "template.yaml"}}
	if err := st.ExposureSARIF(&exp, exposureSample()); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"exposure": exp.Bytes(),
		"lint":     render(t, SARIF),
	} {
		if err := sarifcheck.Validate(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFingerprintsDoNotDependOnLines(t *testing.T) {
	a := Fingerprint("internet-exposure", "i-1", "internet", "igw-1", "tcp", "22")
	b := Fingerprint("internet-exposure", "i-1", "internet", "igw-1", "tcp", "22")
	c := Fingerprint("internet-exposure", "i-1", "internet", "igw-1", "tcp", "23")
	if a[FingerprintKey] != b[FingerprintKey] || a[FingerprintKey] == c[FingerprintKey] {
		t.Errorf("fingerprints: %v %v %v", a, b, c)
	}
}

func TestLocatorPlacesAResourceWithoutAFileAtWhatBroughtItIn(t *testing.T) {
	origins := map[string]model.Origin{
		"arn:lb":  {File: "stack.yaml", Line: 40},
		"i-1":     {File: "snap/Reservations.json"},
		"eni-own": {File: "snap/NetworkInterfaces.json", Line: 7},
	}
	owners := map[string]string{"eni-lb": "arn:lb", "eni-i": "i-1", "eni-orphan": "nat-gone"}
	l := &Locator{
		Root:     "/repo",
		Origin:   func(id string) (model.Origin, bool) { o, ok := origins[id]; return o, ok },
		Owner:    func(id string) string { return owners[id] },
		Fallback: "stack.yaml",
	}
	for _, tc := range []struct {
		id   string
		own  model.Origin
		want model.Origin
	}{
		{"eni-own", origins["eni-own"], origins["eni-own"]},
		{"eni-lb", model.Origin{}, origins["arn:lb"]},
		{"eni-i", model.Origin{}, origins["i-1"]},
		{"eni-orphan", model.Origin{}, model.Origin{File: "stack.yaml"}},
	} {
		if got := l.Where(tc.id, tc.own); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.id, got, tc.want)
		}
	}
	loc := l.Location("/repo/net/stack.yaml", 0)
	if a := loc.PhysicalLocation.ArtifactLocation; a.URI != "net/stack.yaml" || a.URIBaseID != SrcRoot || loc.PhysicalLocation.Region.StartLine != 1 {
		t.Errorf("%+v %+v", a, loc.PhysicalLocation.Region)
	}
	loc = l.Location("/elsewhere/x.json", 3)
	if a := loc.PhysicalLocation.ArtifactLocation; a.URI != "file:///elsewhere/x.json" || a.URIBaseID != "" {
		t.Errorf("outside the root: %+v", a)
	}
}
