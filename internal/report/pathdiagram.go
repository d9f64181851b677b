package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/reach"
)

// pathNode is one hop of a path drawing.
type pathNode struct {
	id      string // drawing ID: f1, f2, ... forward, r1, ... return
	lines   []string
	blocked bool
}

// pathNodes lays out a path answer: the forward hops, then the return
// hops, each labelled with its component, its type and what it decided;
// the component that stops the flow is marked.
func (st Style) pathNodes(p Path) (fwd, ret []pathNode) {
	blockAt, blockRet := -1, false
	if p.BlockedBy != nil {
		hops := p.Hops
		if p.BlockedOnReturn {
			hops, blockRet = p.ReturnHops, true
		}
		for i := len(hops) - 1; i >= 0; i-- {
			if hops[i].ID == p.BlockedBy.ID {
				blockAt = i
				break
			}
		}
	}
	mk := func(prefix string, i int, h reach.Hop, blocked bool) pathNode {
		lines := []string{fmt.Sprintf("%d. %s", i+1, st.label(h.ID))}
		if t := shortType(h.Type); t != "" && !strings.EqualFold(t, h.ID) {
			lines = append(lines, t)
		}
		lines = append(lines, wrapLine(st.annotate(h.Action), 44)...)
		if h.Translation != "" {
			lines = append(lines, wrapLine("["+st.annotate(h.Translation)+"]", 44)...)
		}
		if blocked {
			lines = append(lines, "BLOCKED: "+p.BlockedBy.Code)
		}
		return pathNode{id: fmt.Sprintf("%s%d", prefix, i+1), lines: lines, blocked: blocked}
	}
	for i, h := range p.Hops {
		fwd = append(fwd, mk("f", i, h, !blockRet && i == blockAt))
	}
	for i, h := range p.ReturnHops {
		ret = append(ret, mk("r", i, h, blockRet && i == blockAt))
	}
	if p.BlockedBy != nil && blockAt < 0 {
		// The component that stops the flow is not among the hops: draw it
		// after them.
		n := pathNode{id: "blocked", blocked: true, lines: []string{st.label(p.BlockedBy.ID), shortType(p.BlockedBy.Type), "BLOCKED: " + p.BlockedBy.Code}}
		if blockRet {
			ret = append(ret, n)
		} else {
			fwd = append(fwd, n)
		}
	}
	return fwd, ret
}

// pathTitle is the flow and its verdict in one line.
func (st Style) pathTitle(p Path) string {
	s := fmt.Sprintf("%s -> %s %s", st.endText(p.Flow.From, p.Flow.FromID), st.endText(p.Flow.To, p.Flow.ToID), p.Flow.Protocol)
	if p.Flow.Port != nil {
		s += fmt.Sprintf("/%d", *p.Flow.Port)
	}
	s += ": " + string(p.Verdict)
	if p.BlockedBy != nil {
		where := ""
		if p.BlockedOnReturn {
			where = " on the way back"
		}
		s += fmt.Sprintf(", blocked by %s %s%s", p.BlockedBy.ID, p.BlockedBy.Code, where)
	}
	if p.Verdict != reach.Reachable && p.Reason != "" {
		// Why it stops, or why it is only possibly reachable.
		s += "\n" + strings.Join(wrapLine(st.annotate(p.Reason), 110), "\n")
	}
	return s
}

// wrapLine breaks text into lines of at most width characters at spaces.
func wrapLine(s string, width int) []string {
	words := strings.Fields(s)
	var out []string
	cur := ""
	for _, w := range words {
		if cur != "" && len(cur)+1+len(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// WritePathDOT draws a path answer for Graphviz: the hops left to right,
// the return hops below them, dashed, the blocking component in red.
func (st Style) WritePathDOT(w io.Writer, p Path) error {
	fwd, ret := st.pathNodes(p)
	var b strings.Builder
	b.WriteString("digraph path {\n")
	fmt.Fprintf(&b, "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=%s];\n", dotQuote(st.pathTitle(p)))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	node := func(n pathNode) {
		fill, border, width := hopFill, hopBorder, "1"
		if n.blocked {
			fill, border, width = blockedFill, blockedBorder, "2.5"
		}
		fmt.Fprintf(&b, "    %s [label=%s, fillcolor=%s, color=%s, penwidth=%s];\n", n.id, dotQuote(strings.Join(n.lines, "\n")), dotQuote(fill), dotQuote(border), width)
	}
	if len(fwd) > 0 {
		b.WriteString("  subgraph cluster_forward {\n    label=\"forward\"; labeljust=l; style=\"rounded\"; color=\"#b0b8c8\";\n")
		for _, n := range fwd {
			node(n)
		}
		b.WriteString("  }\n")
	}
	if len(ret) > 0 {
		b.WriteString("  subgraph cluster_return {\n    label=\"return\"; labeljust=l; style=\"rounded,dashed\"; color=\"#b0b8c8\";\n")
		for _, n := range ret {
			node(n)
		}
		b.WriteString("  }\n")
	}
	for i := 1; i < len(fwd); i++ {
		color := "#5b6b86"
		if fwd[i].blocked {
			color = blockedBorder
		}
		fmt.Fprintf(&b, "  %s -> %s [color=%s];\n", fwd[i-1].id, fwd[i].id, dotQuote(color))
	}
	if len(fwd) > 0 && len(ret) > 0 {
		fmt.Fprintf(&b, "  %s -> %s [style=dashed, color=\"#3869b8\", label=\"reply\", constraint=false];\n", fwd[len(fwd)-1].id, ret[0].id)
	}
	for i := 1; i < len(ret); i++ {
		color := "#3869b8"
		if ret[i].blocked {
			color = blockedBorder
		}
		fmt.Fprintf(&b, "  %s -> %s [style=dashed, color=%s];\n", ret[i-1].id, ret[i].id, dotQuote(color))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePathMermaid draws a path answer as a Mermaid flowchart.
func (st Style) WritePathMermaid(w io.Writer, p Path) error {
	fwd, ret := st.pathNodes(p)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  title[\"%s\"]\n", mermaidText(st.pathTitle(p)))
	var blocked, hops []string
	block := func(name, label string, ns []pathNode) {
		if len(ns) == 0 {
			return
		}
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n    direction LR\n", name, label)
		for _, n := range ns {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.id, mermaidText(strings.Join(n.lines, "\n")))
			if n.blocked {
				blocked = append(blocked, n.id)
			} else {
				hops = append(hops, n.id)
			}
		}
		b.WriteString("  end\n")
	}
	block("forward", "forward", fwd)
	block("return", "return", ret)
	for i := 1; i < len(fwd); i++ {
		fmt.Fprintf(&b, "  %s --> %s\n", fwd[i-1].id, fwd[i].id)
	}
	if len(fwd) > 0 && len(ret) > 0 {
		fmt.Fprintf(&b, "  %s -.->|reply| %s\n", fwd[len(fwd)-1].id, ret[0].id)
	}
	for i := 1; i < len(ret); i++ {
		fmt.Fprintf(&b, "  %s -.-> %s\n", ret[i-1].id, ret[i].id)
	}
	fmt.Fprintf(&b, "  classDef hop fill:%s,stroke:%s\n", hopFill, hopBorder)
	fmt.Fprintf(&b, "  classDef blocked fill:%s,stroke:%s,stroke-width:3px\n", blockedFill, blockedBorder)
	b.WriteString("  classDef title fill:none,stroke:none\n")
	b.WriteString("  class title title\n")
	if len(hops) > 0 {
		fmt.Fprintf(&b, "  class %s hop\n", strings.Join(hops, ","))
	}
	if len(blocked) > 0 {
		fmt.Fprintf(&b, "  class %s blocked\n", strings.Join(blocked, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
