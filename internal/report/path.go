package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// PathFlow is the flow a path answer is about.
type PathFlow struct {
	From string `json:"from"`
	To   string `json:"to"`
	// FromID and ToID are the resources the REFs named, when a REF is a
	// name or logical ID rather than the resource's own ID.
	FromID   string `json:"fromId,omitempty"`
	ToID     string `json:"toId,omitempty"`
	Protocol string `json:"protocol"`
	Port     *int   `json:"port,omitempty"`
	SrcPort  *int   `json:"srcPort,omitempty"`
}

// Path is the answer of `vpcreach path` in cli.md's JSON shape.
type Path struct {
	SchemaVersion int           `json:"schemaVersion"`
	Verdict       reach.Verdict `json:"verdict"`
	Flow          PathFlow      `json:"flow"`
	Hops          []reach.Hop   `json:"hops"`
	ReturnHops    []reach.Hop   `json:"returnHops"`
	BlockedBy     *reach.Block  `json:"blockedBy,omitempty"`
	// BlockedOnReturn says the replies, not the packets, are stopped.
	BlockedOnReturn bool   `json:"blockedOnReturn,omitempty"`
	Reason          string `json:"reason"`
	// SourcePorts are the client source ports that work, when the flow
	// left them open and only some do (network ACLs on the reply path).
	SourcePorts []model.PortRange `json:"sourcePorts,omitempty"`
	// Services are the protocols and ports that work, when the flow asked
	// for several (no --port, or --protocol all).
	Services []string `json:"services,omitempty"`
	// SourceAddresses are the source addresses that work, when only some
	// of the queried ones do (a flow from the internet, say).
	SourceAddresses []string `json:"sourceAddresses,omitempty"`
	// Possible lists why the verdict is only possibly-reachable.
	Possible []string `json:"possibleReasons,omitempty"`
	// Warnings the sources produced that bear on the answer.
	Warnings []string `json:"warnings,omitempty"`
	// Names are the Name tags of the components the answer names, by ID.
	Names map[string]string `json:"names,omitempty"`
}

// AddNames fills p.Names with the style's Name tags of the hops and of the
// blocking component.
func (st Style) AddNames(p *Path) {
	add := func(id string) {
		for _, one := range strings.Split(id, ",") {
			one = strings.TrimSpace(one)
			if n := st.name(one); n != "" {
				if p.Names == nil {
					p.Names = map[string]string{}
				}
				p.Names[one] = n
			}
		}
	}
	for _, h := range p.Hops {
		add(h.ID)
	}
	for _, h := range p.ReturnHops {
		add(h.ID)
	}
	if p.BlockedBy != nil {
		add(p.BlockedBy.ID)
	}
}

// NewPath shapes an engine result for output.
func NewPath(flow PathFlow, r reach.Result) Path {
	p := Path{SchemaVersion: SchemaVersion, Verdict: r.Verdict, Flow: flow, Reason: r.Reason, Hops: []reach.Hop{}, ReturnHops: []reach.Hop{}}
	if r.Best != nil {
		p.Hops = append(p.Hops, r.Best.Hops...)
		p.ReturnHops = append(p.ReturnHops, r.Best.ReturnHops...)
		p.BlockedBy = r.Best.BlockedBy
		p.BlockedOnReturn = r.Best.BlockedBy != nil && r.Best.Return
		if r.Verdict == reach.PossiblyReachable {
			p.Possible = r.Best.Reasons
		}
	}
	if len(r.SourcePorts) > 0 && !(len(r.SourcePorts) == 1 && r.SourcePorts[0] == model.Ephemeral) {
		p.SourcePorts = r.SourcePorts
	}
	p.Services = r.Services
	if r.Sources != nil {
		for _, pf := range r.Sources.Prefixes() {
			p.SourceAddresses = append(p.SourceAddresses, pf.String())
		}
	}
	return p
}

// WritePathText writes a path answer for people: the flow, one line per
// hop, the return hops, the verdict and where and why it stops.
func WritePathText(w io.Writer, p Path) error {
	return Style{}.WritePathText(w, p)
}

// endText is a flow end as typed, with the resource it named.
func (st Style) endText(ref, id string) string {
	if id == "" || id == ref {
		return st.label(ref)
	}
	if n := st.name(id); n != "" && n != ref {
		return ref + " (" + id + ", " + n + ")"
	}
	return ref + " (" + id + ")"
}

// WritePathText writes a path answer for people in this style.
func (st Style) WritePathText(w io.Writer, p Path) error {
	var b strings.Builder
	fmt.Fprintf(&b, "flow: %s -> %s %s", st.endText(p.Flow.From, p.Flow.FromID), st.endText(p.Flow.To, p.Flow.ToID), p.Flow.Protocol)
	if p.Flow.Port != nil {
		fmt.Fprintf(&b, "/%d", *p.Flow.Port)
	}
	if p.Flow.SrcPort != nil {
		fmt.Fprintf(&b, " (source port %d)", *p.Flow.SrcPort)
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if len(p.Hops) > 0 {
		fmt.Fprintln(w, "\nhops:")
		if err := st.hopTable(w, p.Hops); err != nil {
			return err
		}
	}
	if len(p.ReturnHops) > 0 {
		fmt.Fprintln(w, "\nreturn:")
		if err := st.hopTable(w, p.ReturnHops); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nverdict: %s\n", st.verdict(string(p.Verdict)))
	if p.BlockedBy != nil {
		where := ""
		if p.BlockedOnReturn {
			where = " on the way back"
		}
		what := shortType(p.BlockedBy.Type)
		if n := st.name(p.BlockedBy.ID); n != "" {
			what = n + ", " + what
		}
		fmt.Fprintf(w, "blocked by: %s (%s) %s%s\n", p.BlockedBy.ID, what, p.BlockedBy.Code, where)
	}
	if p.Reason != "" {
		fmt.Fprint(w, st.wrapped("reason:", "  ", st.annotate(p.Reason)))
	}
	for _, r := range p.Possible {
		if r != p.Reason {
			fmt.Fprint(w, st.wrapped("possibly:", "  ", st.annotate(r)))
		}
	}
	if len(p.SourcePorts) > 0 {
		parts := make([]string, len(p.SourcePorts))
		for i, r := range p.SourcePorts {
			parts[i] = r.String()
		}
		fmt.Fprintf(w, "source ports that work: %s\n", strings.Join(parts, ", "))
	}
	if len(p.Services) > 0 {
		fmt.Fprintf(w, "protocols and ports that work: %s\n", strings.Join(p.Services, ", "))
	}
	if len(p.SourceAddresses) > 0 {
		fmt.Fprintf(w, "source addresses that work: %s\n", strings.Join(p.SourceAddresses, ", "))
	}
	ew := &lintWriter{w: w}
	texts := append([]string{p.Reason}, p.Possible...)
	for _, h := range append(append([]reach.Hop{}, p.Hops...), p.ReturnHops...) {
		texts = append(texts, h.Action)
	}
	ew.printf("%s", codesNote(p.BlockedBy != nil && p.BlockedBy.Code != "", texts...))
	st.writeWarnings(ew, p.Warnings)
	return ew.err
}

// hopTable writes hops, one a line: number, ID with its Name tag, type,
// what the component did; a long action wraps under itself.
func (st Style) hopTable(w io.Writer, hops []reach.Hop) error {
	rows := make([][]string, len(hops))
	idW, typeW := 0, 0
	for i, h := range hops {
		rows[i] = []string{fmt.Sprintf("  %d", i+1), st.label(h.ID), shortType(h.Type)}
		idW = max(idW, visibleLen(rows[i][1]))
		typeW = max(typeW, visibleLen(rows[i][2]))
	}
	numW := visibleLen(fmt.Sprintf("  %d", len(hops)))
	lead := numW + 2 + idW + 2 + typeW + 2
	t := NewTable(w)
	for i, h := range hops {
		action := st.annotate(h.Action)
		if h.Translation != "" {
			action += " [" + st.annotate(h.Translation) + "]"
		}
		lines := []string{action}
		if avail := st.width() - lead; visibleLen(action) > avail && avail >= 40 {
			lines = Style{Width: avail}.wrap("", "  ", action)
		}
		t.Row(append(rows[i], lines[0])...)
		for _, l := range lines[1:] {
			t.Row("", "", "", l)
		}
	}
	return t.Flush()
}

// shortType drops the AWS::Service:: prefix of a type name.
func shortType(t string) string {
	if i := strings.LastIndex(t, "::"); i >= 0 {
		return t[i+2:]
	}
	return t
}
