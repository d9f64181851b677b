package report

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/suppress"
)

// TestSuppressionKindsAreTheSARIFRules: the exposure kind a suppression
// names is the rule ID the finding has in SARIF, for every edge and
// severity, and every SARIF rule is a kind a suppression may name.
func TestSuppressionKindsAreTheSARIFRules(t *testing.T) {
	kinds := map[string]bool{}
	for _, k := range suppress.ExposureKinds {
		kinds[k] = true
	}
	for _, r := range exposureRules {
		if !kinds[r.id] {
			t.Errorf("SARIF rule %s is not in suppress.ExposureKinds", r.id)
		}
	}
	for _, kind := range []reach.EdgeKind{reach.EdgeInternet, reach.EdgePeering, reach.EdgeTransitGateway, reach.EdgeVPNGateway,
		reach.EdgeDirectConnect, reach.EdgeClientVPN, reach.EdgeUnknown} {
		for _, sev := range []reach.Severity{reach.SeverityLow, reach.SeverityMedium, reach.SeverityHigh} {
			f := reach.ExposureFinding{From: reach.ExposureFrom{Kind: kind}, Severity: sev}
			if got, want := suppress.KindOf(&f), exposureRuleOf(f); got != want {
				t.Errorf("%s %s: suppression kind %s, SARIF rule %s", kind, sev, got, want)
			}
		}
	}
}
