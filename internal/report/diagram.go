package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/topology"
)

// Drawing formats of `vpcreach diagram` and `vpcreach path`.
const (
	DOT     Format = "dot"
	Mermaid Format = "mermaid"
)

// nodeStyle is how a kind of node looks: fill and border colours and a
// short word for its kind, the same in every format.
type nodeStyle struct {
	fill, border, word string
}

var kindStyles = map[topology.Kind]nodeStyle{
	topology.KindVPC:              {"#f5f7fb", "#5b6b86", "VPC"},
	topology.KindSubnet:           {"#eef1f6", "#7d8aa3", "subnet"},
	topology.KindInstance:         {"#ffffff", "#5b6b86", "instance"},
	topology.KindInterface:        {"#ffffff", "#8a94a8", "interface"},
	topology.KindGroup:            {"#ffffff", "#5b6b86", "group"},
	topology.KindNATGateway:       {"#fff4d6", "#b8860b", "NAT gateway"},
	topology.KindInternetGateway:  {"#ffe8d6", "#d2691e", "internet gateway"},
	topology.KindEgressOnlyIGW:    {"#ffe8d6", "#d2691e", "egress-only internet gateway"},
	topology.KindVPNGateway:       {"#efe4f7", "#7b4fa0", "VPN gateway"},
	topology.KindTransitGateway:   {"#efe4f7", "#7b4fa0", "transit gateway"},
	topology.KindPeering:          {"#dff3f1", "#2a8c82", "peering"},
	topology.KindEndpoint:         {"#e3eefc", "#3869b8", "endpoint"},
	topology.KindFirewall:         {"#fde8e8", "#b03a2e", "Network Firewall"},
	topology.KindLoadBalancer:     {"#e3eefc", "#3869b8", "load balancer"},
	topology.KindClientVPN:        {"#efe4f7", "#7b4fa0", "Client VPN"},
	topology.KindResolverEndpoint: {"#e3eefc", "#3869b8", "Resolver endpoint"},
	topology.KindCustomerGateway:  {"#f0f0f0", "#666666", "on-premises"},
	topology.KindDirectConnect:    {"#efe4f7", "#7b4fa0", "Direct Connect gateway"},
	topology.KindInternet:         {"#fff0f0", "#c0392b", "internet"},
	topology.KindExternal:         {"#fafafa", "#999999", "not in the sources"},
}

// Subnet fills: green for public, grey-blue for private, white for unknown.
const (
	publicFill  = "#e4f4e6"
	privateFill = "#eaeef5"
	unknownFill = "#ffffff"
)

// Path drawing colours: the blocking component red, the rest neutral.
const (
	blockedFill   = "#fde2e1"
	blockedBorder = "#c0392b"
	hopFill       = "#ffffff"
	hopBorder     = "#5b6b86"
)

func styleOf(n *topology.Node) nodeStyle {
	s, ok := kindStyles[n.Kind]
	if !ok {
		s = kindStyles[topology.KindExternal]
	}
	if n.Kind == topology.KindSubnet {
		switch n.Visibility {
		case topology.Public:
			s.fill = publicFill
		case topology.Private:
			s.fill = privateFill
		default:
			s.fill = unknownFill
		}
	}
	return s
}

// NodeLines are the lines that label a node: its ID and Name tag, what it
// is, its CIDRs or addresses and details.
func NodeLines(n *topology.Node) []string {
	first := shortID(n.ID)
	if n.Kind == topology.KindGroup || n.Kind == topology.KindInternet {
		first = n.Name
	} else if n.Name != "" && n.Name != n.ID && n.Name != first {
		first += " (" + n.Name + ")"
	}
	lines := []string{first}
	word := styleOf(n).word
	switch n.Kind {
	case topology.KindSubnet:
		word = string(n.Visibility) + " subnet"
		if n.Visibility == topology.Unknown {
			word = "subnet (route table not in the sources)"
		}
	case topology.KindGroup:
		word = shortType(n.Type)
	case topology.KindInternet:
		word = ""
	case topology.KindExternal:
		word = shortType(n.Type) + ", not in the sources"
	}
	if n.Detail != "" && n.Kind != topology.KindExternal {
		word = strings.TrimSpace(word + " · " + n.Detail)
	}
	if word != "" {
		lines = append(lines, word)
	}
	if len(n.CIDRs) > 0 {
		c := n.CIDRs
		more := ""
		if len(c) > 3 {
			c, more = c[:3], fmt.Sprintf(" +%d", len(n.CIDRs)-3)
		}
		lines = append(lines, strings.Join(c, ", ")+more)
	}
	return lines
}

// renderer holds what both drawing formats need of a graph.
type renderer struct {
	g *topology.Graph
	// kids are each container's children, in graph order.
	kids map[string][]*topology.Node
	// leaf is, for a container drawn as a cluster, a node inside it that
	// edges to the container attach to.
	leaf map[string]string
}

func newRenderer(g *topology.Graph) *renderer {
	r := &renderer{g: g, kids: map[string][]*topology.Node{}, leaf: map[string]string{}}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.Parent != "" {
			r.kids[n.Parent] = append(r.kids[n.Parent], n)
		}
	}
	return r
}

// cluster reports whether a node is drawn as a cluster: a container with
// something in it (an empty one is a plain box).
func (r *renderer) cluster(n *topology.Node) bool { return n.IsContainer() && len(r.kids[n.ID]) > 0 }

// anchor is a plain node inside a cluster (or the node itself).
func (r *renderer) anchor(id string) string {
	if a, ok := r.leaf[id]; ok {
		return a
	}
	n, ok := r.g.Node(id)
	if !ok || !r.cluster(n) {
		return id
	}
	a := id
	for _, k := range r.kids[id] {
		if !r.cluster(k) {
			a = k.ID
			break
		}
	}
	if a == id {
		a = r.anchor(r.kids[id][0].ID)
	}
	r.leaf[id] = a
	return a
}

// inside reports whether node id is drawn inside container c.
func (r *renderer) inside(id, c string) bool {
	for n, ok := r.g.Node(id); ok && n.Parent != ""; n, ok = r.g.Node(n.Parent) {
		if n.Parent == c || n.ID == c {
			return true
		}
	}
	return false
}

func (r *renderer) roots() []*topology.Node {
	var out []*topology.Node
	for i := range r.g.Nodes {
		if n := &r.g.Nodes[i]; n.Parent == "" {
			out = append(out, n)
		} else if _, ok := r.g.Node(n.Parent); !ok {
			out = append(out, n)
		}
	}
	return out
}

// dotQuote quotes a DOT string.
func dotQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return `"` + s + `"`
}

// WriteDiagramDOT draws the topology for Graphviz (`dot -Tsvg`).
func WriteDiagramDOT(w io.Writer, g *topology.Graph) error {
	r := newRenderer(g)
	var b strings.Builder
	b.WriteString("digraph vpcreach {\n")
	b.WriteString("  graph [compound=true, rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.6];\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5b6b86\"];\n")
	clusters := 0
	var write func(n *topology.Node, indent string)
	write = func(n *topology.Node, indent string) {
		st := styleOf(n)
		label := strings.Join(NodeLines(n), "\n")
		if r.cluster(n) {
			clusters++
			fmt.Fprintf(&b, "%ssubgraph %s {\n", indent, dotQuote(clusterName(n.ID)))
			style := "rounded,filled"
			if n.Kind == topology.KindSubnet && n.Visibility == topology.Unknown {
				style = "rounded,dashed"
			}
			fmt.Fprintf(&b, "%s  label=%s; labeljust=l; style=%s; fillcolor=%s; color=%s;\n", indent, dotQuote(label), dotQuote(style), dotQuote(st.fill), dotQuote(st.border))
			for _, k := range r.kids[n.ID] {
				write(k, indent+"  ")
			}
			fmt.Fprintf(&b, "%s}\n", indent)
			return
		}
		shape := "box"
		switch n.Kind {
		case topology.KindInternet, topology.KindCustomerGateway:
			shape = "ellipse"
		case topology.KindGroup:
			shape = "box3d"
		case topology.KindExternal:
			shape = "box"
		}
		style := "rounded,filled"
		if n.Kind == topology.KindExternal || (n.Kind == topology.KindSubnet && n.Visibility == topology.Unknown) {
			style = "rounded,dashed"
		}
		if shape != "box" {
			style = "filled"
		}
		fmt.Fprintf(&b, "%s%s [label=%s, shape=%s, style=%s, fillcolor=%s, color=%s];\n", indent, dotQuote(n.ID), dotQuote(label), shape, dotQuote(style), dotQuote(st.fill), dotQuote(st.border))
	}
	for _, n := range r.roots() {
		write(n, "  ")
	}
	for _, e := range g.Edges {
		from, to := r.anchor(e.From), r.anchor(e.To)
		var attrs []string
		if from != e.From && !r.inside(e.To, e.From) {
			attrs = append(attrs, "ltail="+dotQuote(clusterName(e.From)))
		}
		if to != e.To && !r.inside(e.From, e.To) {
			attrs = append(attrs, "lhead="+dotQuote(clusterName(e.To)))
		}
		if from == to {
			continue // a container's edge to something drawn inside it
		}
		if e.Label != "" {
			attrs = append(attrs, "label="+dotQuote(edgeLabel(e.Label)))
		}
		switch {
		case e.Blackhole:
			attrs = append(attrs, `color="#c0392b"`, `fontcolor="#c0392b"`, `style=dashed`)
		case e.Kind == topology.EdgeRoute:
			attrs = append(attrs, `color="#3869b8"`, `fontcolor="#3869b8"`)
		case e.Kind == topology.EdgePeering:
			attrs = append(attrs, `color="#2a8c82"`, `dir=none`, `penwidth=1.6`)
		case e.Kind == topology.EdgeTarget:
			attrs = append(attrs, `style=dotted`)
		case e.Kind == topology.EdgeAttachment:
			attrs = append(attrs, `dir=none`)
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotQuote(from), dotQuote(to), strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func clusterName(id string) string { return "cluster_" + id }

// edgeLabel shortens a long list of destinations.
func edgeLabel(s string) string {
	parts := strings.Split(s, ", ")
	if len(parts) > 3 {
		return strings.Join(parts[:3], ", ") + fmt.Sprintf(" +%d", len(parts)-3)
	}
	return s
}

// mermaidText escapes text for a quoted Mermaid label.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>")
	return r.Replace(s)
}

// WriteDiagramMermaid draws the topology as a Mermaid flowchart.
func WriteDiagramMermaid(w io.Writer, g *topology.Graph) error {
	r := newRenderer(g)
	ids := make(map[string]string, len(g.Nodes))
	for i := range g.Nodes {
		ids[g.Nodes[i].ID] = fmt.Sprintf("n%d", i)
	}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	classes := map[string][]string{}
	var write func(n *topology.Node, indent string)
	write = func(n *topology.Node, indent string) {
		label := mermaidText(strings.Join(NodeLines(n), "\n"))
		id := ids[n.ID]
		classes[mermaidClass(n)] = append(classes[mermaidClass(n)], id)
		if r.cluster(n) {
			fmt.Fprintf(&b, "%ssubgraph %s[\"%s\"]\n", indent, id, label)
			for _, k := range r.kids[n.ID] {
				write(k, indent+"  ")
			}
			fmt.Fprintf(&b, "%send\n", indent)
			return
		}
		open, closing := `["`, `"]`
		switch n.Kind {
		case topology.KindInternet, topology.KindCustomerGateway:
			open, closing = `(["`, `"])`
		case topology.KindTransitGateway, topology.KindPeering:
			open, closing = `{{"`, `"}}`
		}
		fmt.Fprintf(&b, "%s%s%s%s%s\n", indent, id, open, label, closing)
	}
	for _, n := range r.roots() {
		write(n, "  ")
	}
	var blackholes []int
	for i, e := range g.Edges {
		arrow := "-->"
		switch e.Kind {
		case topology.EdgePeering, topology.EdgeAttachment:
			arrow = "---"
		case topology.EdgeTarget:
			arrow = "-.->"
		}
		if e.Blackhole {
			blackholes = append(blackholes, i)
		}
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", ids[e.From], arrow, mermaidText(edgeLabel(e.Label)), ids[e.To])
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", ids[e.From], arrow, ids[e.To])
		}
	}
	for _, c := range nodeClasses {
		fmt.Fprintf(&b, "  classDef %s %s\n", c.name, c.mermaidStyle())
	}
	for _, c := range nodeClasses {
		if members := classes[c.name]; len(members) > 0 {
			fmt.Fprintf(&b, "  class %s %s\n", strings.Join(members, ","), c.name)
		}
	}
	for _, i := range blackholes {
		fmt.Fprintf(&b, "  linkStyle %d stroke:%s,stroke-dasharray:4\n", i, blockedBorder)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// classDef is one class of node, the same in Mermaid and in the HTML
// drawing: its fill and border, dashed or not.
type classDef struct {
	name, fill, border string
	dashed             bool
}

func (c classDef) mermaidStyle() string {
	s := "fill:" + c.fill + ",stroke:" + c.border
	if c.dashed {
		s += ",stroke-dasharray:4"
	}
	return s
}

var nodeClasses = func() []classDef {
	k := func(name string, kind topology.Kind) classDef {
		return classDef{name: name, fill: kindStyles[kind].fill, border: kindStyles[kind].border}
	}
	sub := kindStyles[topology.KindSubnet].border
	return []classDef{
		k("vpc", topology.KindVPC),
		{name: "public", fill: publicFill, border: sub},
		{name: "private", fill: privateFill, border: sub},
		{name: "unknownsubnet", fill: unknownFill, border: sub, dashed: true},
		k("resource", topology.KindInstance),
		k("gateway", topology.KindInternetGateway),
		k("nat", topology.KindNATGateway),
		k("transit", topology.KindTransitGateway),
		k("peering", topology.KindPeering),
		k("service", topology.KindEndpoint),
		k("firewall", topology.KindFirewall),
		k("outside", topology.KindInternet),
		{name: "external", fill: kindStyles[topology.KindExternal].fill, border: kindStyles[topology.KindExternal].border, dashed: true},
	}
}()

// palette is every node class's fill and border, for the HTML drawing.
func palette() map[string][2]string {
	out := map[string][2]string{}
	for _, c := range nodeClasses {
		out[c.name] = [2]string{c.fill, c.border}
	}
	return out
}

func mermaidClass(n *topology.Node) string {
	switch n.Kind {
	case topology.KindVPC:
		return "vpc"
	case topology.KindSubnet:
		switch n.Visibility {
		case topology.Public:
			return "public"
		case topology.Private:
			return "private"
		}
		return "unknownsubnet"
	case topology.KindInternetGateway, topology.KindEgressOnlyIGW:
		return "gateway"
	case topology.KindNATGateway:
		return "nat"
	case topology.KindTransitGateway, topology.KindVPNGateway, topology.KindClientVPN, topology.KindDirectConnect:
		return "transit"
	case topology.KindPeering:
		return "peering"
	case topology.KindEndpoint, topology.KindLoadBalancer, topology.KindResolverEndpoint:
		return "service"
	case topology.KindFirewall:
		return "firewall"
	case topology.KindInternet, topology.KindCustomerGateway:
		return "outside"
	case topology.KindExternal:
		return "external"
	}
	return "resource"
}

// Diagram is `vpcreach diagram --format json`: the graph the drawings are
// made of.
type Diagram struct {
	SchemaVersion int             `json:"schemaVersion"`
	Nodes         []topology.Node `json:"nodes"`
	Edges         []topology.Edge `json:"edges"`
	Warnings      []string        `json:"warnings"`
}

// NewDiagram shapes a graph for JSON output.
func NewDiagram(g *topology.Graph, warnings []string) Diagram {
	if warnings == nil {
		warnings = []string{}
	}
	return Diagram{SchemaVersion: SchemaVersion, Nodes: g.Nodes, Edges: g.Edges, Warnings: warnings}
}

// WriteDiagramText writes the topology for people: every container with
// what it holds, indented, then the edges.
func WriteDiagramText(w io.Writer, g *topology.Graph) error {
	r := newRenderer(g)
	var b strings.Builder
	var write func(n *topology.Node, indent string)
	write = func(n *topology.Node, indent string) {
		lines := NodeLines(n)
		fmt.Fprintf(&b, "%s%s", indent, lines[0])
		if len(lines) > 1 {
			fmt.Fprintf(&b, "  [%s]", strings.Join(lines[1:], "; "))
		}
		b.WriteString("\n")
		for _, k := range r.kids[n.ID] {
			write(k, indent+"  ")
		}
	}
	for _, n := range r.roots() {
		write(n, "")
	}
	if len(g.Edges) > 0 {
		b.WriteString("\nedges:\n")
		t := NewTable(&b, "  FROM", "KIND", "TO", "LABEL")
		for _, e := range g.Edges {
			kind := string(e.Kind)
			if e.Blackhole {
				kind += " (blackhole)"
			}
			t.Row("  "+shortID(e.From), kind, shortID(e.To), e.Label)
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
