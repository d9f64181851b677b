package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/topology"
)

// HTML is the format of `vpcreach report`.
const HTML Format = "html"

// The page and the JavaScript libraries it embeds: cytoscape draws the
// graph, cytoscape-fcose (with cose-base and layout-base) lays it out.
// Their versions and licences are in htmlassets/ beside them
// (htmlassets/VERSIONS, *.LICENSE); scripts/refresh-js.sh refreshes them
// from the npm registry.
//
//go:embed htmlassets/cytoscape.min.js htmlassets/layout-base.js htmlassets/cose-base.js htmlassets/cytoscape-fcose.js htmlassets/report.js htmlassets/report.css htmlassets/report.html htmlassets/VERSIONS
var htmlAssets embed.FS

// HTMLLibraries are the embedded library files, in the order the page
// loads them.
var HTMLLibraries = []string{"cytoscape.min.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js"}

// HTMLReport is everything one report page shows.
type HTMLReport struct {
	// Title heads the page; Sources are the SOURCEs read.
	Title   string
	Sources []string
	Version string
	Network *model.Network
	Graph   *topology.Graph
	// Exposure and Lint are the findings in the tables.
	Exposure *reach.ExposureResult
	Lint     *lint.Result
	// Warnings are the sources' warnings.
	Warnings []string
}

// HTMLStats says what a page holds, for the command's summary.
type HTMLStats struct {
	Nodes    int `json:"nodes"`
	Edges    int `json:"edges"`
	Exposure int `json:"exposureFindings"`
	Lint     int `json:"lintFindings"`
	Bytes    int `json:"bytes"`
}

// pageData is the JSON the page script reads. Findings are arrays of
// indexes into the string table S, which keeps a page of tens of
// thousands of findings small.
type pageData struct {
	Title    string   `json:"title"`
	Sources  []string `json:"sources"`
	Version  string   `json:"version"`
	Warnings []string `json:"warnings"`
	// NotCollected names what the sources did not list: no finding there
	// is no evidence.
	NotCollected []string `json:"notCollected"`
	Suppressed   int      `json:"suppressed"`
	Baselined    int      `json:"baselined"`
	S            []string `json:"s"`
	// Palette is each node class's fill and border colour.
	Palette map[string][2]string `json:"palette"`
	// Nodes: id, parent (node index or -1), kind, label, class, severity
	// of the worst exposure finding on it (0 none, 3 high).
	Nodes [][]any `json:"nodes"`
	// Edges: from, to (node indexes), kind, label, blackhole (0/1).
	Edges [][]any `json:"edges"`
	// Paths are lists of node indexes a finding highlights, in order.
	Paths [][]int `json:"paths"`
	// Vias are lists of string indexes: a finding's components, labelled.
	Vias [][]int `json:"vias"`
	// Exposure rows: resource, address, edge, protocol, port from, port
	// to, sources, severity (1-3), verdict, reason, via, path.
	Exposure [][]int `json:"exposure"`
	// Lint rows: rule, severity (0 info - 3 high), title, resource,
	// message, location, path, doc URL.
	Lint [][]int `json:"lint"`
}

type pageBuilder struct {
	st      Style
	r       HTMLReport
	d       *pageData
	strs    map[string]int
	nodeIdx map[string]int
	paths   map[string]int
	vias    map[string]int
}

func (b *pageBuilder) str(s string) int {
	if i, ok := b.strs[s]; ok {
		return i
	}
	i := len(b.d.S)
	b.d.S = append(b.d.S, s)
	b.strs[s] = i
	return i
}

func (b *pageBuilder) path(nodes []int) int {
	key := fmt.Sprint(nodes)
	if i, ok := b.paths[key]; ok {
		return i
	}
	i := len(b.d.Paths)
	b.d.Paths = append(b.d.Paths, nodes)
	b.paths[key] = i
	return i
}

func (b *pageBuilder) via(labels []string) int {
	key := strings.Join(labels, "\x00")
	if i, ok := b.vias[key]; ok {
		return i
	}
	ids := make([]int, len(labels))
	for j, l := range labels {
		ids[j] = b.str(l)
	}
	i := len(b.d.Vias)
	b.d.Vias = append(b.d.Vias, ids)
	b.vias[key] = i
	return i
}

// node is the drawing index of a resource, -1 when it is not drawn.
func (b *pageBuilder) node(id string) int {
	if n, ok := b.r.Graph.NodeOf(id); ok {
		return b.nodeIdx[n]
	}
	return -1
}

// subnetOf is the drawing index of the subnet an interface is in.
func (b *pageBuilder) subnetOf(eni string) int {
	if ni, ok := b.r.Network.NetworkInterfaces.Get(eni); ok {
		if i, ok := b.nodeIdx[ni.SubnetID]; ok {
			return i
		}
	}
	return -1
}

// exposurePath is the drawing's path of a finding: where the
// connections come from, the gateway, the subnet (whose network ACL and
// route table the hops name), the resource.
func (b *pageBuilder) exposurePath(f *reach.ExposureFinding) []int {
	var out []int
	seen := map[int]bool{}
	add := func(i int) {
		if i >= 0 && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	if f.From.Kind == reach.EdgeInternet || f.From.Kind == reach.EdgeClientVPN {
		add(b.nodeIdx["internet"])
	}
	add(b.node(f.From.ID))
	for _, h := range f.Via {
		switch h.Type {
		case model.TypeNetworkACL, model.TypeRouteTable, model.TypeSecurityGroup:
			// Filters and tables apply at the subnet or interface of the
			// resource: drawn as its subnet.
			add(b.subnetOf(f.Resource.ENI))
		default:
			if i := b.node(h.ID); i >= 0 {
				add(i)
			} else if strings.HasPrefix(h.ID, "eni-") {
				add(b.subnetOf(h.ID))
			}
		}
	}
	add(b.subnetOf(f.Resource.ENI))
	add(b.node(f.Resource.ENI))
	add(b.node(f.Resource.ID))
	return out
}

// lintPath is what a lint finding highlights: its resource's node, or
// for a security group the nodes of the interfaces it is attached to.
func (b *pageBuilder) lintPath(f *lint.Finding) []int {
	if i := b.node(f.Resource.ID); i >= 0 {
		return []int{i}
	}
	var out []int
	seen := map[int]bool{}
	for _, ni := range b.r.Network.SecurityGroupMembers(f.Resource.ID) {
		if i := b.node(ni.ID); i >= 0 && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

func edgeText(st Style, f *reach.ExposureFinding) string {
	return string(f.From.Kind) + " " + st.label(f.From.ID)
}

// newPageData gathers what the page shows.
func (st Style) newPageData(r HTMLReport) *pageData {
	d := &pageData{Title: r.Title, Sources: r.Sources, Version: r.Version, Warnings: r.Warnings,
		S: []string{}, Palette: palette(), Nodes: [][]any{}, Edges: [][]any{}, Paths: [][]int{}, Vias: [][]int{}, Exposure: [][]int{}, Lint: [][]int{}}
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	b := &pageBuilder{st: st, r: r, d: d, strs: map[string]int{}, nodeIdx: map[string]int{}, paths: map[string]int{}, vias: map[string]int{}}
	g := r.Graph
	for i := range g.Nodes {
		b.nodeIdx[g.Nodes[i].ID] = i
	}
	worst := make([]int, len(g.Nodes))
	if r.Exposure != nil {
		d.NotCollected = r.Exposure.NotCollected
		d.Suppressed += r.Exposure.Suppressed
		d.Baselined += r.Exposure.Baselined
		d.Warnings = append(d.Warnings, r.Exposure.Warnings...)
		for i := range r.Exposure.Findings {
			f := &r.Exposure.Findings[i]
			p := b.exposurePath(f)
			if n := b.node(f.Resource.ID); n >= 0 {
				worst[n] = max(worst[n], int(f.Severity))
			} else if n := b.node(f.Resource.ENI); n >= 0 {
				worst[n] = max(worst[n], int(f.Severity))
			}
			sources := make([]string, len(f.From.Sources))
			for j, s := range f.From.Sources {
				sources[j] = s.String()
			}
			via := make([]string, len(f.Via))
			for j, h := range f.Via {
				via[j] = st.label(h.ID)
			}
			addr := addrString(f.Resource.Address)
			if pub := addrString(f.Resource.PublicAddress); pub != "" {
				addr += " / " + pub
			}
			d.Exposure = append(d.Exposure, []int{
				b.str(st.label(shortID(f.Resource.ID))), b.str(addr), b.str(edgeText(st, f)), b.str(f.Protocol),
				int(f.Ports.From), int(f.Ports.To), b.str(strings.Join(sources, ", ")), int(f.Severity),
				b.str(string(f.Verdict)), b.str(st.annotate(f.Reason)), b.via(via), b.path(p),
			})
		}
	}
	if r.Lint != nil {
		d.Suppressed += r.Lint.Suppressed
		d.Baselined += r.Lint.Baselined
		for _, w := range r.Lint.Warnings {
			d.Warnings = append(d.Warnings, w.String())
		}
		for i := range r.Lint.Findings {
			f := &r.Lint.Findings[i]
			loc := f.Origin.File
			if f.Origin.Line > 0 {
				loc += fmt.Sprintf(":%d", f.Origin.Line)
			}
			d.Lint = append(d.Lint, []int{
				b.str(f.Rule.ID), int(f.Rule.Severity), b.str(f.Rule.Title), b.str(st.label(shortID(f.Resource.ID))),
				b.str(st.annotate(f.Message)), b.str(loc), b.path(b.lintPath(f)), b.str(f.Rule.DocURL),
			})
		}
	}
	d.Warnings = uniqueStrings(d.Warnings)
	for i := range g.Nodes {
		n := &g.Nodes[i]
		parent := -1
		if p, ok := b.nodeIdx[n.Parent]; ok && n.Parent != "" {
			parent = p
		}
		d.Nodes = append(d.Nodes, []any{n.ID, parent, string(n.Kind), strings.Join(NodeLines(n), "\n"), mermaidClass(n), worst[i]})
	}
	for _, e := range g.Edges {
		from, okf := b.nodeIdx[e.From]
		to, okt := b.nodeIdx[e.To]
		if !okf || !okt {
			continue
		}
		bh := 0
		if e.Blackhole {
			bh = 1
		}
		d.Edges = append(d.Edges, []any{from, to, string(e.Kind), edgeLabel(e.Label), bh})
	}
	return d
}

func uniqueStrings(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// WriteHTML writes the report page: one file that holds its scripts,
// styles and data, and asks for nothing when opened (its
// Content-Security-Policy forbids every request).
func (st Style) WriteHTML(w io.Writer, r HTMLReport) (HTMLStats, error) {
	d := st.newPageData(r)
	data, err := json.Marshal(d) // escapes <, > and &: safe inside <script>
	if err != nil {
		return HTMLStats{}, err
	}
	var libs strings.Builder
	for _, name := range HTMLLibraries {
		b, err := htmlAssets.ReadFile("htmlassets/" + name)
		if err != nil {
			return HTMLStats{}, err
		}
		libs.WriteString("<script>")
		libs.Write(b)
		libs.WriteString("</script>\n")
	}
	page, err := htmlAssets.ReadFile("htmlassets/report.html")
	if err != nil {
		return HTMLStats{}, err
	}
	css, _ := htmlAssets.ReadFile("htmlassets/report.css")
	js, _ := htmlAssets.ReadFile("htmlassets/report.js")
	versions, _ := htmlAssets.ReadFile("htmlassets/VERSIONS")
	t, err := template.New("report").Parse(string(page))
	if err != nil {
		return HTMLStats{}, err
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, map[string]any{
		"Title":     r.Title,
		"Style":     template.CSS(css),
		"Libraries": template.HTML(libs.String()),
		"Data":      template.HTML(`<script type="application/json" id="vpcreach-data">` + string(data) + `</script>`),
		"Script":    template.HTML("<script>" + string(js) + "</script>"),
		"Credits":   libraryCredits(string(versions)),
	})
	if err != nil {
		return HTMLStats{}, err
	}
	n, err := w.Write(buf.Bytes())
	return HTMLStats{Nodes: len(d.Nodes), Edges: len(d.Edges), Exposure: len(d.Exposure), Lint: len(d.Lint), Bytes: n}, err
}

// libraryCredits names the embedded libraries and versions, for the page's footer.
func libraryCredits(versions string) string {
	var parts []string
	for _, l := range strings.Split(versions, "\n") {
		f := strings.Split(l, "\t")
		if len(f) >= 2 && !strings.HasPrefix(l, "#") {
			parts = append(parts, f[0]+" "+f[1])
		}
	}
	return strings.Join(parts, ", ") + " (MIT licence)"
}
