package diff

import (
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

func finding(res, eni string, port uint16, sev reach.Severity, v reach.Verdict, sources ...string) reach.ExposureFinding {
	f := reach.ExposureFinding{
		Resource: reach.ExposedResource{ID: res, ENI: eni},
		From:     reach.ExposureFrom{Kind: reach.EdgeInternet, ID: "igw-1"},
		Protocol: "tcp", Ports: model.PortRange{From: port, To: port}, Severity: sev, Verdict: v,
	}
	for _, s := range sources {
		f.From.Sources = append(f.From.Sources, netip.MustParsePrefix(s))
	}
	return f
}

func TestCompareClassifiesByIdentity(t *testing.T) {
	high, low := reach.SeverityHigh, reach.SeverityLow
	r, p := reach.Reachable, reach.PossiblyReachable
	for _, tc := range []struct {
		name                               string
		before, after                      []reach.ExposureFinding
		added, removed, changed, unchanged int
		gate                               int // at or above high
	}{
		{"nothing", nil, nil, 0, 0, 0, 0, 0},
		{"alike", []reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")},
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")}, 0, 0, 0, 1, 0},
		{"opened", nil, []reach.ExposureFinding{finding("i-1", "eni-1", 3389, high, r, "0.0.0.0/0")}, 1, 0, 0, 0, 1},
		{"opened possibly counts at the gate", nil, []reach.ExposureFinding{finding("i-1", "eni-1", 3389, high, p, "0.0.0.0/0")}, 1, 0, 0, 0, 1},
		{"closed never gates", []reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")}, nil, 0, 1, 0, 0, 0},
		{"sources in another order are alike",
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, low, r, "10.0.0.0/8", "192.168.0.0/16")},
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, low, r, "192.168.0.0/16", "10.0.0.0/8")}, 0, 0, 0, 1, 0},
		{"other sources", []reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")},
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "198.51.100.0/24")}, 0, 0, 1, 0, 1},
		{"other verdict", []reach.ExposureFinding{finding("i-1", "eni-1", 22, low, r, "10.0.0.0/8")},
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, low, p, "10.0.0.0/8")}, 0, 0, 1, 0, 0},
		{"other interface is the same identity",
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")},
			[]reach.ExposureFinding{finding("i-1", "eni-2", 22, high, r, "0.0.0.0/0")}, 0, 0, 0, 1, 0},
		{"two interfaces, one changed: paired by interface",
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0"), finding("i-1", "eni-2", 22, low, r, "10.0.0.0/8")},
			[]reach.ExposureFinding{finding("i-1", "eni-2", 22, low, r, "10.0.0.0/8"), finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")}, 0, 0, 0, 2, 0},
		{"a second interface opens",
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0")},
			[]reach.ExposureFinding{finding("i-1", "eni-1", 22, high, r, "0.0.0.0/0"), finding("i-1", "eni-2", 22, high, r, "0.0.0.0/0")}, 1, 0, 0, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Compare(&reach.ExposureResult{Findings: tc.before}, &reach.ExposureResult{Findings: tc.after})
			if len(res.Added) != tc.added || len(res.Removed) != tc.removed || len(res.Changed) != tc.changed || res.Unchanged != tc.unchanged {
				t.Errorf("added %d removed %d changed %d unchanged %d; want %d %d %d %d", len(res.Added), len(res.Removed), len(res.Changed), res.Unchanged,
					tc.added, tc.removed, tc.changed, tc.unchanged)
			}
			if g := res.AtLeast(reach.SeverityHigh); g != tc.gate {
				t.Errorf("gate counts %d, want %d", g, tc.gate)
			}
		})
	}
}

func TestFilterCountsWhatItLeavesOut(t *testing.T) {
	before := []reach.ExposureFinding{finding("i-1", "eni-1", 22, reach.SeverityHigh, reach.Reachable, "0.0.0.0/0"), finding("i-2", "eni-2", 80, reach.SeverityMedium, reach.Reachable, "0.0.0.0/0")}
	after := []reach.ExposureFinding{finding("i-1", "eni-1", 22, reach.SeverityHigh, reach.Reachable, "198.51.100.0/24"), finding("i-3", "eni-3", 3389, reach.SeverityHigh, reach.Reachable, "0.0.0.0/0")}
	res := Compare(&reach.ExposureResult{Findings: before}, &reach.ExposureResult{Findings: after})
	known := Known{KeyOf(&after[0]): true, KeyOf(&after[1]): true}
	if n := res.Filter(func(*reach.ExposureFinding) bool { return false }, known.Has); n != 2 {
		t.Errorf("left out %d, want 2 (the change and the added finding)", n)
	}
	if len(res.Added)+len(res.Changed) != 0 || len(res.Removed) != 1 {
		t.Errorf("after filtering: %+v", res)
	}
	exp := &reach.ExposureResult{Findings: after}
	WithoutKnown(exp, Known{KeyOf(&after[1]): true})
	if len(exp.Findings) != 1 || exp.Baselined != 1 {
		t.Errorf("WithoutKnown: %d findings, %d baselined", len(exp.Findings), exp.Baselined)
	}
}
