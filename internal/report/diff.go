package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diff"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// DiffChange is a changed finding in JSON: both sides.
type DiffChange struct {
	Before ExposureFinding `json:"before"`
	After  ExposureFinding `json:"after"`
}

// DiffOutput is the JSON document of `vpcreach diff --format json`.
type DiffOutput struct {
	SchemaVersion int               `json:"schemaVersion"`
	Added         []ExposureFinding `json:"added"`
	Removed       []ExposureFinding `json:"removed"`
	Changed       []DiffChange      `json:"changed"`
	// Unchanged counts the findings alike on both sides.
	Unchanged int `json:"unchanged"`
	// Baselined counts the differences left out because a --baseline
	// file holds them; Suppressed those left out by reasoned suppressions.
	Baselined  int      `json:"baselined"`
	Suppressed int      `json:"suppressed"`
	Warnings   []string `json:"warnings"`
}

// NewDiffOutput converts a comparison to its JSON shape. before and after
// name the resources of each side (their Name tags).
func NewDiffOutput(before, after Style, res *diff.Result, warnings []string) DiffOutput {
	out := DiffOutput{SchemaVersion: SchemaVersion, Added: []ExposureFinding{}, Removed: []ExposureFinding{}, Changed: []DiffChange{},
		Unchanged: res.Unchanged, Baselined: res.Baselined, Suppressed: res.Suppressed, Warnings: []string{}}
	for i := range res.Added {
		out.Added = append(out.Added, after.exposureFindingJSON(&res.Added[i]))
	}
	for i := range res.Removed {
		out.Removed = append(out.Removed, before.exposureFindingJSON(&res.Removed[i]))
	}
	for i := range res.Changed {
		c := &res.Changed[i]
		out.Changed = append(out.Changed, DiffChange{Before: before.exposureFindingJSON(&c.Before), After: after.exposureFindingJSON(&c.After)})
	}
	out.Warnings = append(out.Warnings, warnings...)
	return out
}

// Diff writes a comparison in the given format (text or JSON); before
// and after are the styles of each side, text is written in after's
// colours.
func Diff(w io.Writer, f Format, before, after Style, res *diff.Result, warnings []string) error {
	if f == JSON {
		return DiffJSON(w, before, after, res, warnings)
	}
	return DiffText(w, before, after, res, warnings)
}

// DiffText writes a comparison as a review comment: a summary line, then
// what the change opens, what it closes and what it changes, each finding
// with its sources, severity and verdict, why it is reachable (the reason)
// and its path.
func DiffText(w io.Writer, before, after Style, res *diff.Result, warnings []string) error {
	ew := &lintWriter{w: w}
	st := after
	if len(res.Added)+len(res.Removed)+len(res.Changed) == 0 {
		if res.Suppressed+res.Baselined > 0 {
			ew.printf("No change in exposure but those left out below (%d finding(s) alike on both sides).\n", res.Unchanged)
		} else {
			ew.printf("No change in exposure (%d finding(s) alike on both sides).\n", res.Unchanged)
		}
	} else {
		counts := map[reach.Severity]int{}
		for _, f := range res.Added {
			counts[f.Severity]++
		}
		for _, c := range res.Changed {
			counts[c.After.Severity]++
		}
		ew.printf("This change opens %d, closes %d and changes %d exposure finding(s); %d alike on both sides.\n",
			len(res.Added), len(res.Removed), len(res.Changed), res.Unchanged)
		if len(res.Added)+len(res.Changed) > 0 {
			ew.printf("Opened or changed: %s high, %s medium, %d low.\n", st.severity(fmt.Sprint(counts[reach.SeverityHigh])),
				st.severity(fmt.Sprint(counts[reach.SeverityMedium])), counts[reach.SeverityLow])
		}
	}
	section := func(title string, fs []reach.ExposureFinding, sign string, s Style) {
		if len(fs) == 0 {
			return
		}
		ew.printf("\n%s (%d)\n", title, len(fs))
		for i := range fs {
			s.diffFinding(ew, sign, &fs[i])
		}
	}
	section("Opens", res.Added, "+", after)
	section("Closes", res.Removed, "-", before)
	if len(res.Changed) > 0 {
		ew.printf("\nChanges (%d)\n", len(res.Changed))
		for i := range res.Changed {
			c := &res.Changed[i]
			ew.printf("%s", st.wrapped("  ~ ", "      ", diffHead(st, &c.After)+": "+changeText(&c.Before, &c.After)))
			st.diffEvidence(ew, &c.After)
		}
	}
	var reasons []string
	for _, f := range res.Added {
		reasons = append(reasons, f.Reason)
	}
	for _, c := range res.Changed {
		reasons = append(reasons, c.After.Reason)
	}
	ew.printf("%s", codesNote(false, reasons...))
	ew.printf("%s", leftOutText(res.Suppressed, res.Baselined))
	st.writeWarnings(ew, warnings)
	return ew.err
}

// diffHead names a finding: resource, protocol and ports, edge.
func diffHead(st Style, f *reach.ExposureFinding) string {
	what := shortType(f.Resource.Type)
	if n := st.name(f.Resource.ID); n != "" {
		what = n
	}
	edge := string(f.From.Kind) + " " + st.label(f.From.ID)
	if f.LoadBalancer != "" {
		edge += " via " + st.label(shortID(f.LoadBalancer))
	}
	ports := portsText(*f)
	proto := f.Protocol
	if ports != "all" {
		proto += "/" + ports
	} else if f.Protocol != "all" {
		proto += " every port"
	} else {
		proto = "every protocol"
	}
	return fmt.Sprintf("%s (%s) %s from %s", shortID(f.Resource.ID), what, proto, edge)
}

// diffFinding writes one added or removed finding.
func (st Style) diffFinding(ew *lintWriter, sign string, f *reach.ExposureFinding) {
	line := fmt.Sprintf("%s, sources %s: %s, %s", diffHead(st, f), sourcesText(f.From.Kind, f.From.Sources),
		st.severity(f.Severity.String()), st.verdict(string(f.Verdict)))
	ew.printf("%s", st.wrapped("  "+sign+" ", "      ", line))
	st.diffEvidence(ew, f)
}

// diffEvidence writes a finding's reason and path.
func (st Style) diffEvidence(ew *lintWriter, f *reach.ExposureFinding) {
	if f.Reason != "" {
		ew.printf("%s", st.wrapped("      why: ", "           ", st.annotate(f.Reason)))
	}
	if len(f.Via) > 0 {
		hops := make([]string, len(f.Via))
		for i, h := range f.Via {
			hops[i] = st.label(shortID(h.ID))
		}
		// The path breaks between hops, never inside a hop's label.
		line := "      path: " + hops[0]
		for _, h := range hops[1:] {
			if visibleLen(line)+len(" -> ")+visibleLen(h) > st.width() {
				ew.printf("%s ->\n", line)
				line = "            " + h
				continue
			}
			line += " -> " + h
		}
		ew.printf("%s\n", line)
	}
}

// changeText says what differs between the two sides of a change.
func changeText(b, a *reach.ExposureFinding) string {
	var parts []string
	if b.Severity != a.Severity {
		parts = append(parts, fmt.Sprintf("severity %s -> %s", b.Severity, a.Severity))
	}
	if b.Verdict != a.Verdict {
		parts = append(parts, fmt.Sprintf("verdict %s -> %s", b.Verdict, a.Verdict))
	}
	if bs, as := sourcesText(b.From.Kind, b.From.Sources), sourcesText(a.From.Kind, a.From.Sources); bs != as || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("sources %s -> %s", bs, as))
	}
	return strings.Join(parts, ", ")
}

// DiffJSON writes a comparison as NewDiffOutput's document, one finding
// (or change) per line as exposure's JSON is written: two networks that
// share nothing give tens of thousands of each.
func DiffJSON(w io.Writer, before, after Style, res *diff.Result, warnings []string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var err error
	put := func(v any) {
		buf.Reset()
		if e := enc.Encode(v); e != nil && err == nil {
			err = e
		}
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	list := func(name string, n int, item func(i int) any) {
		fmt.Fprintf(bw, "  %q: [", name)
		for i := 0; i < n; i++ {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			put(item(i))
		}
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString("],\n")
	}
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n", SchemaVersion)
	list("added", len(res.Added), func(i int) any { return after.exposureFindingJSON(&res.Added[i]) })
	list("removed", len(res.Removed), func(i int) any { return before.exposureFindingJSON(&res.Removed[i]) })
	list("changed", len(res.Changed), func(i int) any {
		c := &res.Changed[i]
		return DiffChange{Before: before.exposureFindingJSON(&c.Before), After: after.exposureFindingJSON(&c.After)}
	})
	fmt.Fprintf(bw, "  \"unchanged\": %d,\n  \"baselined\": %d,\n  \"suppressed\": %d,\n  \"warnings\": ", res.Unchanged, res.Baselined, res.Suppressed)
	if warnings == nil {
		warnings = []string{}
	}
	put(warnings)
	bw.WriteString("\n}\n")
	if err != nil {
		return err
	}
	return bw.Flush()
}
