package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/policy"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// CheckOutput is `vpcreach check --format json` (cli.md "check --policy").
type CheckOutput struct {
	SchemaVersion int               `json:"schemaVersion"`
	Policy        string            `json:"policy"`
	Rules         []CheckRule       `json:"rules"`
	Summary       CheckSummary      `json:"summary"`
	Warnings      []string          `json:"warnings"`
	Names         map[string]string `json:"names,omitempty"`
}

// CheckSummary counts the rules.
type CheckSummary struct {
	Rules  int `json:"rules"`
	Passed int `json:"passed"`
	Failed int `json:"failed"`
}

// CheckRule is one rule's answer.
type CheckRule struct {
	ID          string           `json:"id"`
	Description string           `json:"description,omitempty"`
	Kind        policy.Kind      `json:"kind"`
	Status      policy.Status    `json:"status"`
	Line        int              `json:"line"`
	Pairs       int              `json:"pairs"`
	Violations  []CheckViolation `json:"violations"`
}

// CheckViolation is one (from, to) pair that breaks a rule.
type CheckViolation struct {
	From string `json:"from"`
	To   string `json:"to"`
	// FromInterface and ToInterface are the network interfaces the ends
	// are, when they are interfaces.
	FromInterface string          `json:"fromInterface,omitempty"`
	ToInterface   string          `json:"toInterface,omitempty"`
	Protocol      string          `json:"protocol"`
	Ports         model.PortRange `json:"ports"`
	Verdict       reach.Verdict   `json:"verdict"`
	Hops          []reach.Hop     `json:"hops"`
	ReturnHops    []reach.Hop     `json:"returnHops"`
	BlockedBy     *reach.Block    `json:"blockedBy,omitempty"`
	Reason        string          `json:"reason"`
	// Services are the protocols and ports that get through, when the
	// rule covered several.
	Services []string `json:"services,omitempty"`
}

// NewCheck shapes a policy result for output.
func (st Style) NewCheck(file string, res *policy.Result, warnings []string) CheckOutput {
	out := CheckOutput{SchemaVersion: SchemaVersion, Policy: file, Rules: []CheckRule{}, Warnings: []string{}}
	if warnings != nil {
		out.Warnings = warnings
	}
	addName := func(id string) {
		for _, one := range strings.Split(id, ",") {
			one = strings.TrimSpace(one)
			if f := strings.Fields(one); len(f) > 0 {
				one = f[0]
			}
			if n := st.name(one); n != "" {
				if out.Names == nil {
					out.Names = map[string]string{}
				}
				out.Names[one] = n
			}
		}
	}
	for _, rr := range res.Rules {
		r := CheckRule{ID: rr.Rule.ID, Description: rr.Rule.Description, Kind: rr.Rule.Kind, Status: rr.Status,
			Line: rr.Rule.Line, Pairs: rr.Pairs, Violations: []CheckViolation{}}
		for _, v := range rr.Violations {
			r.Violations = append(r.Violations, CheckViolation{From: v.From.Label, To: v.To.Label,
				FromInterface: v.From.Interface, ToInterface: v.To.Interface, Protocol: v.Protocol,
				Ports: v.Ports, Verdict: v.Verdict, Hops: v.Hops, ReturnHops: v.ReturnHops, BlockedBy: v.BlockedBy, Reason: v.Reason, Services: v.Services})
			addName(v.From.ID)
			addName(v.To.ID)
			for _, h := range append(append([]reach.Hop{}, v.Hops...), v.ReturnHops...) {
				addName(h.ID)
			}
		}
		out.Summary.Rules++
		if rr.Status == policy.Pass {
			out.Summary.Passed++
		} else {
			out.Summary.Failed++
		}
		out.Rules = append(out.Rules, r)
	}
	return out
}

// CheckText writes a policy result as a review comment: one line per
// rule, and under each failing rule its violations with their paths.
func (st Style) CheckText(w io.Writer, file string, res *policy.Result, warnings []string) error {
	var b strings.Builder
	out := st.NewCheck(file, res, warnings)
	fmt.Fprintf(&b, "policy %s: %d rule(s), %d passed, %d failed\n", file, out.Summary.Rules, out.Summary.Passed, out.Summary.Failed)
	for i, r := range out.Rules {
		rr := res.Rules[i]
		mark := "PASS"
		if r.Status == policy.Fail {
			mark = "FAIL"
		}
		fmt.Fprintf(&b, "\n%s  %s (%s, %s:%d)", mark, r.ID, r.Kind, file, r.Line)
		if r.Description != "" {
			fmt.Fprintf(&b, ": %s", r.Description)
		}
		fmt.Fprintf(&b, "\n      %s %s -> %s, %s, %d pair(s) checked", rr.Rule.Kind, selectorText(rr.Rule.From), selectorText(rr.Rule.To),
			flowText(rr.Rule.Protocol.String(), rr.Rule.Ports), r.Pairs)
		if len(r.Violations) > 0 {
			fmt.Fprintf(&b, ", %d violation(s)", len(r.Violations))
		}
		b.WriteString("\n")
		for j, v := range rr.Violations {
			fmt.Fprintf(&b, "\n  %d. %s -> %s, %s: %s\n", j+1, st.placeText(v.From), st.placeText(v.To), flowText(v.Protocol, &v.Ports), v.Verdict)
			fmt.Fprintf(&b, "     reason: %s\n", v.Reason)
			if len(v.Services) > 0 {
				fmt.Fprintf(&b, "     open: %s\n", strings.Join(v.Services, ", "))
			}
			if len(v.Hops) > 0 {
				b.WriteString("     hops:\n")
				for k, h := range v.Hops {
					b.WriteString(st.hopLine(k+1, h))
				}
			}
			if len(v.ReturnHops) > 0 {
				b.WriteString("     return:\n")
				for k, h := range v.ReturnHops {
					b.WriteString(st.hopLine(k+1, h))
				}
			}
			if v.BlockedBy != nil {
				fmt.Fprintf(&b, "     blocked by: %s %s: %s\n", st.label(v.BlockedBy.ID), v.BlockedBy.Code, v.BlockedBy.Reason)
			}
		}
	}
	if len(out.Warnings) > 0 {
		b.WriteString("\nwarnings:\n")
		for _, s := range out.Warnings {
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (st Style) placeText(p policy.Place) string {
	if n := st.name(p.ID); n != "" && !strings.Contains(p.Label, n) {
		return p.Label + " (" + n + ")"
	}
	return p.Label
}

func (st Style) hopLine(i int, h reach.Hop) string {
	s := fmt.Sprintf("       %2d  %s  %s  %s", i, st.label(h.ID), h.Type, h.Action)
	if h.Translation != "" {
		s += " [" + h.Translation + "]"
	}
	return s + "\n"
}

// flowText is "tcp port 22", "all protocols, any port".
func flowText(proto string, ports *model.PortRange) string {
	p := proto
	if proto == "all" {
		p = "all protocols"
		if ports != nil && !(ports.From == 0 && ports.To == 65535) {
			p = "tcp and udp"
		}
	}
	if proto == "icmp" {
		return p
	}
	if ports == nil {
		return p + ", any port"
	}
	if proto == "all" {
		return p + ", " + portsRangeText(*ports)
	}
	return p + " " + portsRangeText(*ports)
}

func portsRangeText(p model.PortRange) string {
	switch {
	case p.From == 0 && p.To == 65535:
		return "any port"
	case p.From == p.To:
		return fmt.Sprintf("port %d", p.From)
	}
	return fmt.Sprintf("ports %d-%d", p.From, p.To)
}

// NewCheckSARIF builds the SARIF log of a policy result: one SARIF rule
// per policy rule, one result per violation, located at the resource the
// violation is about when the sources say where it is written, else at
// the policy rule.
func NewCheckSARIF(file string, res *policy.Result, loc *Locator) *SARIFLog {
	var rules []SARIFRule
	for _, rr := range res.Rules {
		short := rr.Rule.Description
		if short == "" {
			short = fmt.Sprintf("%s %s -> %s", rr.Rule.Kind, selectorText(rr.Rule.From), selectorText(rr.Rule.To))
		}
		rules = append(rules, SARIFRule{
			ID: rr.Rule.ID, Name: lintSARIFName(rr.Rule.ID),
			ShortDescription: SARIFMessage{Text: short},
			FullDescription: &SARIFMessage{Text: fmt.Sprintf("Policy rule %s (%s:%d): %s from %s to %s, %s.",
				rr.Rule.ID, file, rr.Rule.Line, rr.Rule.Kind, selectorText(rr.Rule.From), selectorText(rr.Rule.To), flowText(rr.Rule.Protocol.String(), rr.Rule.Ports))},
			Help:                 &SARIFMessage{Text: "A network policy rule of " + file + ". See docs/policy.md for the format."},
			DefaultConfiguration: &SARIFRuleConfig{Level: "error"},
			Properties: map[string]any{
				"security-severity": "7.0",
				"tags":              []string{"security", "aws", "vpc", "network-policy"},
			},
		})
	}
	log := NewSARIF(rules)
	run := &log.Runs[0]
	loc.prepare(run)
	for i, rr := range res.Rules {
		for _, v := range rr.Violations {
			msg := fmt.Sprintf("%s %s: %s -> %s, %s, is %s. %s", rr.Rule.Kind, rr.Rule.ID, v.From.String(), v.To.String(),
				flowText(v.Protocol, &v.Ports), v.Verdict, v.Reason)
			var hops []string
			for _, h := range v.Hops {
				hops = append(hops, h.ID)
			}
			where := v.To
			if where.Origin.File == "" {
				where = v.From
			}
			r := SARIFResult{
				RuleID: rr.Rule.ID, RuleIndex: i, Level: "error", Message: SARIFMessage{Text: msg},
				PartialFingerprints: Fingerprint(rr.Rule.ID, v.From.Label, v.To.Label, v.Protocol, portsRangeText(v.Ports)),
				Properties: map[string]any{
					"from": v.From.Label, "to": v.To.Label, "verdict": string(v.Verdict), "hops": hops,
				},
			}
			policyLoc := loc.Location(file, rr.Rule.Line)
			if where.Origin.File != "" {
				r.Locations = []SARIFLocation{loc.Location(where.Origin.File, where.Origin.Line)}
				r.RelatedLocations = []SARIFRelated{{ID: 1, PhysicalLocation: policyLoc.PhysicalLocation,
					Message: &SARIFMessage{Text: "policy rule " + rr.Rule.ID}}}
			} else {
				r.Locations = []SARIFLocation{policyLoc}
			}
			run.Results = append(run.Results, r)
		}
	}
	return log
}

func selectorText(s policy.Selector) string {
	var parts []string
	for _, t := range s.Terms {
		parts = append(parts, t.String())
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
