package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/lint"
)

// LintResource is a finding's resource in JSON.
type LintResource struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// LintLocation is where a finding points in JSON: file and line, when known.
type LintLocation struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Path string `json:"path,omitempty"`
}

// LintFinding is one finding in JSON.
type LintFinding struct {
	Rule     string       `json:"rule"`
	Severity string       `json:"severity"`
	Title    string       `json:"title"`
	Resource LintResource `json:"resource"`
	Location LintLocation `json:"location"`
	Message  string       `json:"message"`
	DocURL   string       `json:"docUrl"`
}

// LintOutput is the JSON document of `vpcreach lint --format json`.
type LintOutput struct {
	SchemaVersion int           `json:"schemaVersion"`
	Findings      []LintFinding `json:"findings"`
	// Baselined counts the findings left out because a --baseline file
	// holds them; Suppressed those left out by reasoned suppressions.
	Baselined  int      `json:"baselined"`
	Suppressed int      `json:"suppressed"`
	Warnings   []string `json:"warnings"`
}

// NewLintOutput converts a lint result to its JSON shape.
func NewLintOutput(res *lint.Result) LintOutput {
	out := LintOutput{SchemaVersion: SchemaVersion, Findings: []LintFinding{}, Warnings: []string{}, Baselined: res.Baselined, Suppressed: res.Suppressed}
	for _, f := range res.Findings {
		out.Findings = append(out.Findings, LintFinding{
			Rule:     f.Rule.ID,
			Severity: f.Rule.Severity.String(),
			Title:    f.Rule.Title,
			Resource: LintResource{ID: f.Resource.ID, Type: f.Resource.Type},
			Location: LintLocation{File: f.Origin.File, Line: f.Origin.Line, Path: f.Origin.Path},
			Message:  f.Message,
			DocURL:   f.Rule.DocURL,
		})
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	return out
}

// LintJSON writes a lint result as JSON.
func LintJSON(w io.Writer, res *lint.Result) error {
	return WriteJSON(w, NewLintOutput(res))
}

// LintText writes a lint result for people: one table per severity
// (rule, resource, file:line, message), then what each rule that fired
// means and how to fix it, then the sources' warnings.
func LintText(w io.Writer, res *lint.Result) error {
	return Style{}.LintText(w, res)
}

// LintText writes a lint result for people in this style: each finding's
// rule, resource (with its Name tag) and location on one line, its message
// wrapped under it.
func (st Style) LintText(w io.Writer, res *lint.Result) error {
	ew := &lintWriter{w: w}
	switch {
	case len(res.Findings) == 0 && res.Suppressed+res.Baselined > 0:
		ew.printf("No findings but those left out below.\n")
	case len(res.Findings) == 0:
		ew.printf("No findings.\n")
	}
	for s := lint.High; s >= lint.Info; s-- {
		var rows []lint.Finding
		for _, f := range res.Findings {
			if f.Rule.Severity == s {
				rows = append(rows, f)
			}
		}
		if len(rows) == 0 {
			continue
		}
		ew.printf("%s (%d)\n", st.severity(strings.ToUpper(s.String())), len(rows))
		ruleW, resW := len("  RULE"), len("RESOURCE")
		for _, f := range rows {
			ruleW = max(ruleW, visibleLen("  "+f.Rule.ID))
			resW = max(resW, visibleLen(st.label(f.Resource.ID)))
		}
		t := NewTable(ew, "  RULE", "RESOURCE", "LOCATION")
		for _, f := range rows {
			loc := lintLocationText(f)
			if ruleW+2+resW+2+visibleLen(loc) > st.width() {
				// A deep path goes on a line of its own.
				t.Row("  "+f.Rule.ID, st.label(f.Resource.ID), "")
				t.Row("    " + loc)
			} else {
				t.Row("  "+f.Rule.ID, st.label(f.Resource.ID), loc)
			}
			for _, l := range st.wrap("    ", "      ", st.annotate(f.Message)) {
				t.Row(l)
			}
		}
		if err := t.Flush(); err != nil {
			return err
		}
		ew.printf("\n")
	}
	if fired := res.Fired(); len(fired) > 0 {
		ew.printf("Rules\n")
		for _, r := range fired {
			ew.printf("%s", st.wrapped("  ", "    ", fmt.Sprintf("%s (%s): %s", r.ID, r.Severity, r.Title)))
			ew.printf("%s", st.wrapped("    ", "    ", r.Explanation))
			ew.printf("%s", st.wrapped("    Fix:", "    ", r.Fix))
			ew.printf("    See: %s\n", r.DocURL)
		}
	}
	msgs := make([]string, 0, len(res.Findings))
	code := false
	for _, f := range res.Findings {
		msgs = append(msgs, f.Message)
		code = code || strings.Contains(f.Message, "_RESTRICTION") || strings.Contains(f.Message, "_MISMATCH") || strings.Contains(f.Message, "_FOR_INGRESS") || strings.Contains(f.Message, "_FOR_EGRESS")
	}
	ew.printf("%s", codesNote(code, msgs...))
	ew.printf("%s", leftOutText(res.Suppressed, res.Baselined))
	ws := make([]string, len(res.Warnings))
	for i, wn := range res.Warnings {
		ws[i] = wn.String()
	}
	st.writeWarnings(ew, ws)
	return ew.err
}

func lintLocationText(f lint.Finding) string {
	o := f.Origin
	switch {
	case o.File == "":
		return "-"
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	default:
		return o.File
	}
}

// lintWriter remembers the first write error.
type lintWriter struct {
	w   io.Writer
	err error
}

func (e *lintWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *lintWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// lintSARIFLevel maps a severity to a SARIF level.
func lintSARIFLevel(s lint.Severity) string {
	switch s {
	case lint.High:
		return "error"
	case lint.Medium:
		return "warning"
	default:
		return "note"
	}
}

// lintSecuritySeverity is the score GitHub code scanning ranks security results by.
func lintSecuritySeverity(s lint.Severity) string {
	switch s {
	case lint.High:
		return "8.0"
	case lint.Medium:
		return "5.5"
	case lint.Low:
		return "3.0"
	default:
		return "0.0"
	}
}

// NewLintSARIF builds the SARIF 2.1.0 log of a lint result: every lint
// rule in the driver, one result per finding located at the template line
// or snapshot file.
func NewLintSARIF(res *lint.Result) *SARIFLog { return Style{}.NewLintSARIF(res) }

// NewLintSARIF builds the SARIF log of a lint result, locating results
// with the style's Locator.
func (st Style) NewLintSARIF(res *lint.Result) *SARIFLog {
	var rules []SARIFRule
	index := map[string]int{}
	for i, r := range lint.Rules() {
		index[r.ID] = i
		rules = append(rules, SARIFRule{
			ID:                   r.ID,
			Name:                 lintSARIFName(r.ID),
			ShortDescription:     SARIFMessage{Text: r.Title},
			FullDescription:      &SARIFMessage{Text: r.Explanation},
			Help:                 &SARIFMessage{Text: r.Fix + " See " + r.DocURL},
			DefaultConfiguration: &SARIFRuleConfig{Level: lintSARIFLevel(r.Severity)},
			Properties: map[string]any{
				"severity":          r.Severity.String(),
				"security-severity": lintSecuritySeverity(r.Severity),
				"helpUri":           r.DocURL,
				"tags":              []string{"security", "aws", "vpc"},
			},
		})
	}
	log := NewSARIF(rules)
	run := &log.Runs[0]
	st.Loc.prepare(run)
	for _, f := range res.Findings {
		o := st.Loc.Where(f.Resource.ID, f.Origin)
		r := SARIFResult{
			RuleID:              f.Rule.ID,
			RuleIndex:           index[f.Rule.ID],
			Level:               lintSARIFLevel(f.Rule.Severity),
			Message:             SARIFMessage{Text: f.Message},
			Locations:           []SARIFLocation{st.Loc.Location(o.File, o.Line)},
			PartialFingerprints: Fingerprint(f.Rule.ID, f.Resource.ID, f.Message),
			Properties: map[string]any{
				"resourceId":   f.Resource.ID,
				"resourceType": f.Resource.Type,
			},
		}
		run.Results = append(run.Results, r)
	}
	log.Runs[0].Properties = leftOutProperties(res.Suppressed, res.Baselined)
	return log
}

// LintSARIF writes a lint result as SARIF 2.1.0.
func LintSARIF(w io.Writer, res *lint.Result) error {
	return WriteJSON(w, NewLintSARIF(res))
}

// LintSARIF writes a lint result as SARIF 2.1.0 located by the style's Locator.
func (st Style) LintSARIF(w io.Writer, res *lint.Result) error {
	return WriteJSON(w, st.NewLintSARIF(res))
}

// lintSARIFName turns a kebab-case rule ID into the PascalCase name SARIF viewers show.
func lintSARIFName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// Lint writes a lint result in the given format.
func Lint(w io.Writer, f Format, res *lint.Result) error {
	return Style{}.Lint(w, f, res)
}

// Lint writes a lint result in the given format, text in this style.
func (st Style) Lint(w io.Writer, f Format, res *lint.Result) error {
	switch f {
	case JSON:
		return LintJSON(w, res)
	case SARIF:
		return st.LintSARIF(w, res)
	default:
		return st.LintText(w, res)
	}
}

// LintRule is one rule of the registry in JSON.
type LintRule struct {
	ID          string `json:"id"`
	Severity    string `json:"severity"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	Fix         string `json:"fix"`
	DocURL      string `json:"docUrl"`
}

// LintRulesOutput is the JSON document of `vpcreach lint --list-rules`.
type LintRulesOutput struct {
	SchemaVersion int        `json:"schemaVersion"`
	Rules         []LintRule `json:"rules"`
}

// LintRules writes the rule registry: a table for people, or JSON.
func LintRules(w io.Writer, f Format) error {
	if f == JSON {
		out := LintRulesOutput{SchemaVersion: SchemaVersion, Rules: []LintRule{}}
		for _, r := range lint.Rules() {
			out.Rules = append(out.Rules, LintRule{ID: r.ID, Severity: r.Severity.String(), Title: r.Title,
				Explanation: r.Explanation, Fix: r.Fix, DocURL: r.DocURL})
		}
		return WriteJSON(w, out)
	}
	t := NewTable(w, "RULE", "SEVERITY", "TITLE")
	for _, r := range lint.Rules() {
		t.Row(r.ID, r.Severity.String(), r.Title)
	}
	return t.Flush()
}
