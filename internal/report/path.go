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
	From     string `json:"from"`
	To       string `json:"to"`
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
	var b strings.Builder
	fmt.Fprintf(&b, "flow: %s -> %s %s", p.Flow.From, p.Flow.To, p.Flow.Protocol)
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
		if err := hopTable(w, p.Hops); err != nil {
			return err
		}
	}
	if len(p.ReturnHops) > 0 {
		fmt.Fprintln(w, "\nreturn:")
		if err := hopTable(w, p.ReturnHops); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nverdict: %s\n", p.Verdict)
	if p.BlockedBy != nil {
		where := ""
		if p.BlockedOnReturn {
			where = " on the way back"
		}
		fmt.Fprintf(w, "blocked by: %s (%s) %s%s\n", p.BlockedBy.ID, shortType(p.BlockedBy.Type), p.BlockedBy.Code, where)
	}
	if p.Reason != "" {
		fmt.Fprintf(w, "reason: %s\n", p.Reason)
	}
	for _, r := range p.Possible {
		if r != p.Reason {
			fmt.Fprintf(w, "possibly: %s\n", r)
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
	for _, s := range p.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	return nil
}

func hopTable(w io.Writer, hops []reach.Hop) error {
	t := NewTable(w)
	for i, h := range hops {
		action := h.Action
		if h.Translation != "" {
			action += " [" + h.Translation + "]"
		}
		t.Row(fmt.Sprintf("  %d", i+1), h.ID, shortType(h.Type), action)
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
