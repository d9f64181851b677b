package report

import (
	"bytes"
	"testing"

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
