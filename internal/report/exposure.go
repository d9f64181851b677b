package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// ExposureResource is a finding's resource in JSON.
type ExposureResource struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Name          string `json:"name,omitempty"`
	ENI           string `json:"eni,omitempty"`
	Address       string `json:"address,omitempty"`
	PublicAddress string `json:"publicAddress,omitempty"`
}

// ExposureFrom is where a finding's connections come from, in JSON.
type ExposureFrom struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Sources []string `json:"sources"`
}

// ExposurePorts is a port range (ICMP: type range) in JSON.
type ExposurePorts struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// ExposureVia is one component of a finding's path in JSON.
type ExposureVia struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// ExposureFinding is one finding in cli.md's JSON shape.
type ExposureFinding struct {
	Resource ExposureResource `json:"resource"`
	From     ExposureFrom     `json:"from"`
	Protocol string           `json:"protocol"`
	Ports    ExposurePorts    `json:"ports"`
	Verdict  string           `json:"verdict"`
	Severity string           `json:"severity"`
	Via      []ExposureVia    `json:"via"`
	Reason   string           `json:"reason"`
	// LoadBalancer is set on a target reached through a load balancer.
	LoadBalancer string `json:"loadBalancer,omitempty"`
}

// ExposureOutput is the JSON document of `vpcreach exposure --format json`.
type ExposureOutput struct {
	SchemaVersion int               `json:"schemaVersion"`
	Findings      []ExposureFinding `json:"findings"`
	Warnings      []string          `json:"warnings"`
	// NotCollected names, per account and region, the kinds of resource
	// the sources did not list.
	NotCollected []string `json:"notCollected,omitempty"`
	// Baselined counts the findings left out because a --baseline file
	// holds them; Suppressed those left out by reasoned suppressions.
	Baselined  int `json:"baselined"`
	Suppressed int `json:"suppressed"`
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// NewExposureOutput converts an exposure result to its JSON shape;
// warnings are the sources' warnings to show with it.
func NewExposureOutput(res *reach.ExposureResult, warnings []string) ExposureOutput {
	return Style{}.NewExposureOutput(res, warnings)
}

// NewExposureOutput converts an exposure result to its JSON shape, with the
// style's Name tags.
func (st Style) NewExposureOutput(res *reach.ExposureResult, warnings []string) ExposureOutput {
	out := ExposureOutput{SchemaVersion: SchemaVersion, Findings: make([]ExposureFinding, 0, len(res.Findings)), Warnings: []string{}}
	for i := range res.Findings {
		out.Findings = append(out.Findings, st.exposureFindingJSON(&res.Findings[i]))
	}
	out.NotCollected = res.NotCollected
	out.Baselined, out.Suppressed = res.Baselined, res.Suppressed
	out.Warnings = append(out.Warnings, res.Warnings...)
	out.Warnings = append(out.Warnings, warnings...)
	return out
}

// exposureFindingJSON converts one finding to its JSON shape.
func (st Style) exposureFindingJSON(f *reach.ExposureFinding) ExposureFinding {
	j := ExposureFinding{
		Resource: ExposureResource{ID: f.Resource.ID, Type: f.Resource.Type, Name: st.name(f.Resource.ID), ENI: f.Resource.ENI,
			Address: addrString(f.Resource.Address), PublicAddress: addrString(f.Resource.PublicAddress)},
		From:         ExposureFrom{Kind: string(f.From.Kind), ID: f.From.ID, Name: st.name(f.From.ID), Sources: make([]string, 0, len(f.From.Sources))},
		Protocol:     f.Protocol,
		Ports:        ExposurePorts{From: int(f.Ports.From), To: int(f.Ports.To)},
		Verdict:      string(f.Verdict),
		Severity:     f.Severity.String(),
		Via:          make([]ExposureVia, 0, len(f.Via)),
		Reason:       f.Reason,
		LoadBalancer: f.LoadBalancer,
	}
	for _, p := range f.From.Sources {
		j.From.Sources = append(j.From.Sources, p.String())
	}
	for _, h := range f.Via {
		j.Via = append(j.Via, ExposureVia{ID: h.ID, Type: h.Type})
	}
	return j
}

// ExposureJSON writes an exposure result as JSON, one finding per line
// (an organisation has tens of thousands: indenting each would double the
// time and the size).
func ExposureJSON(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	return Style{}.ExposureJSON(w, res, warnings)
}

// ExposureJSON writes an exposure result as JSON with the style's Name tags.
func (st Style) ExposureJSON(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	// Each finding is converted as it is written, so the whole document
	// is never held twice.
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	compact := func(v any) ([]byte, error) {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
	}
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n  \"findings\": [", SchemaVersion)
	for i := range res.Findings {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		b, err := compact(st.exposureFindingJSON(&res.Findings[i]))
		if err != nil {
			return err
		}
		bw.Write(b)
	}
	if len(res.Findings) > 0 {
		bw.WriteString("\n  ")
	}
	fmt.Fprintf(bw, "],\n  \"baselined\": %d,\n  \"suppressed\": %d,\n  \"warnings\": ", res.Baselined, res.Suppressed)
	ws := append(append([]string{}, res.Warnings...), warnings...)
	b, err := compact(ws)
	if err != nil {
		return err
	}
	bw.Write(b)
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// shortID shortens a load balancer ARN to its type/name/id.
func shortID(id string) string {
	if i := strings.Index(id, ":loadbalancer/"); i >= 0 {
		return id[i+len(":loadbalancer/"):]
	}
	if i := strings.Index(id, ":targetgroup/"); i >= 0 {
		return "targetgroup/" + id[i+len(":targetgroup/"):]
	}
	if strings.HasPrefix(id, "arn:") && strings.Contains(id, ":network-firewall:") {
		// arn:aws:network-firewall:REGION:ACCOUNT:firewall/NAME
		return id[strings.LastIndex(id, ":")+1:]
	}
	return id
}

// portsText renders a finding's ports for people.
func portsText(f reach.ExposureFinding) string {
	switch {
	case f.Protocol == "all" || f.Protocol == "other":
		return "all"
	case (f.Protocol == "icmp" || f.Protocol == "icmpv6") && f.Ports.From == 0 && f.Ports.To == 255:
		return "all types"
	case f.Protocol == "icmp" || f.Protocol == "icmpv6":
		if f.Ports.From == f.Ports.To {
			return fmt.Sprintf("type %d", f.Ports.From)
		}
		return fmt.Sprintf("types %d-%d", f.Ports.From, f.Ports.To)
	case f.Ports.IsAll():
		return "all"
	}
	return f.Ports.String()
}

// sourcesText renders sources as a person says them: "0.0.0.0/0",
// "internet except 10.0.0.0/8 and 172.16.0.0/12" (from the internet),
// "any address except 10.0.0.0/16" (from elsewhere), else the ranges
// merged, at most four then a count. IPv4 and IPv6 are described apart.
func sourcesText(kind reach.EdgeKind, ps []netip.Prefix) string {
	var v4, v6 ipset.Builder
	for _, p := range ps {
		if p.Addr().Is4() {
			v4.AddPrefix(p)
		} else {
			v6.AddPrefix(p)
		}
	}
	var parts []string
	for _, fam := range []struct {
		b   *ipset.Builder
		all netip.Prefix
	}{{&v4, netip.MustParsePrefix("0.0.0.0/0")}, {&v6, netip.MustParsePrefix("::/0")}} {
		set := fam.b.Set()
		if len(set.Prefixes()) > 0 {
			parts = append(parts, familySources(kind, set, fam.all))
		}
	}
	return strings.Join(parts, "; ")
}

// familySources describes one address family's sources.
func familySources(kind reach.EdgeKind, set *ipset.Set, all netip.Prefix) string {
	everything := "any address"
	if kind == reach.EdgeInternet {
		everything = "internet"
	}
	if set.ContainsPrefix(all) {
		return all.String()
	}
	// Every address, every public one, every one that is not public, each
	// less at most four ranges.
	u := universesOf(all)
	publicName := "every public address"
	if kind == reach.EdgeInternet {
		publicName = everything
	}
	for _, u := range []struct {
		name     string
		universe *ipset.Set
	}{{everything, u.family}, {publicName, u.public}, {"any address that is not public", u.private}} {
		if text, ok := lacking(u.name, u.universe, set); ok {
			return text
		}
	}
	list := prefixStrings(set.Prefixes())
	if len(list) > 4 {
		return strings.Join(list[:4], ", ") + fmt.Sprintf(" and %d more ranges", len(list)-4)
	}
	return strings.Join(list, ", ")
}

// lacking says set as name, less at most four ranges of universe, when set
// lies within universe and that is shorter than its own ranges.
func lacking(name string, universe, set *ipset.Set) (string, bool) {
	if !ipsetEmpty(ipsetMinus(set, universe)) {
		return "", false
	}
	mp := ipsetMinus(universe, set).Prefixes()
	if len(mp) > 4 || len(set.Prefixes()) <= len(mp) {
		return "", false
	}
	if len(mp) == 0 {
		return name, true
	}
	return name + " except " + andList(prefixStrings(mp)), true
}

// familyUniverses are the three sets familySources says sources within:
// one address family, its public addresses and the rest.
type familyUniverses struct{ family, public, private *ipset.Set }

func newUniverses(all netip.Prefix) familyUniverses {
	family := familySet(all)
	var pubB ipset.Builder
	pubB.AddSet(reach.InternetAddrs())
	pubB.Intersect(family)
	public := pubB.Set()
	return familyUniverses{family: family, public: public, private: ipsetMinus(family, public)}
}

// The universes are the same for every finding: built once, never changed.
var (
	universesV4 = sync.OnceValue(func() familyUniverses { return newUniverses(netip.MustParsePrefix("0.0.0.0/0")) })
	universesV6 = sync.OnceValue(func() familyUniverses { return newUniverses(netip.MustParsePrefix("::/0")) })
)

func universesOf(all netip.Prefix) familyUniverses {
	if all.Addr().Is4() {
		return universesV4()
	}
	return universesV6()
}

// sourcesMemo remembers sourcesText's answers within one rendering: most
// findings share their sources with many others (0.0.0.0/0, a VPC's
// range, a peer's), and describing them builds several address sets.
type sourcesMemo struct {
	text map[string]string
	key  []byte
}

func (m *sourcesMemo) sourcesText(kind reach.EdgeKind, ps []netip.Prefix) string {
	if m.text == nil {
		m.text = map[string]string{}
	}
	k := append(m.key[:0], kind...)
	k = append(k, 0)
	for _, p := range ps {
		k, _ = p.AppendBinary(k)
	}
	m.key = k
	if t, ok := m.text[string(k)]; ok {
		return t
	}
	t := sourcesText(kind, ps)
	m.text[string(k)] = t
	return t
}

func ipsetMinus(a, b *ipset.Set) *ipset.Set {
	var sb ipset.Builder
	sb.AddSet(a)
	sb.RemoveSet(b)
	s := sb.Set()
	return s
}

func ipsetEmpty(s *ipset.Set) bool { return len(s.Ranges()) == 0 }

// familySet is the set of one prefix.
func familySet(p netip.Prefix) *ipset.Set {
	var b ipset.Builder
	b.AddPrefix(p)
	s := b.Set()
	return s
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// exposureRow is one line of the exposure table: a finding, or ICMP
// findings that differ only in their types, folded.
type exposureRow struct {
	f     reach.ExposureFinding
	ports []string
}

// foldICMP folds the ICMP findings of one resource, edge, sources, verdict
// and reason into one row listing their types.
func foldICMP(fs []reach.ExposureFinding, memo *sourcesMemo) []exposureRow {
	var rows []exposureRow
	at := map[string]int{}
	for _, f := range fs {
		if f.Protocol != "icmp" && f.Protocol != "icmpv6" {
			rows = append(rows, exposureRow{f: f, ports: []string{portsText(f)}})
			continue
		}
		key := strings.Join([]string{f.Resource.ID, f.Resource.ENI, string(f.From.Kind), f.From.ID, f.LoadBalancer, f.Protocol,
			memo.sourcesText(f.From.Kind, f.From.Sources), f.Severity.String(), string(f.Verdict), f.Reason}, "|")
		if i, ok := at[key]; ok {
			rows[i].ports = append(rows[i].ports, icmpTypes(f))
			continue
		}
		at[key] = len(rows)
		rows = append(rows, exposureRow{f: f, ports: []string{portsText(f)}})
	}
	for i := range rows {
		if len(rows[i].ports) > 1 {
			first := strings.TrimPrefix(strings.TrimPrefix(rows[i].ports[0], "types "), "type ")
			rows[i].ports[0] = first
			rows[i].ports = []string{"types " + strings.Join(rows[i].ports, ", ")}
		}
	}
	return rows
}

// icmpTypes is an ICMP finding's types without the word.
func icmpTypes(f reach.ExposureFinding) string {
	if f.Ports.From == f.Ports.To {
		return fmt.Sprintf("%d", f.Ports.From)
	}
	return fmt.Sprintf("%d-%d", f.Ports.From, f.Ports.To)
}

// ExposureText writes an exposure result for people: a summary, one table
// grouped by resource (resource, edge, protocol, ports, sources, severity,
// verdict), why each possibly-reachable row is only possibly reachable,
// then warnings.
func ExposureText(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	return Style{}.ExposureText(w, res, warnings)
}

// ExposureText writes an exposure result for people in this style.
func (st Style) ExposureText(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	ew := &lintWriter{w: w}
	counts := map[reach.Severity]int{}
	resources := map[string]bool{}
	for _, f := range res.Findings {
		counts[f.Severity]++
		resources[f.Resource.ID] = true
	}
	switch {
	case len(res.Findings) == 0 && len(res.NotCollected) > 0:
		ew.printf("%s", st.wrapped("", "", "No finding among what was read; but the sources do not list everything, so this is no evidence that nothing is reachable:"))
		for _, g := range res.NotCollected {
			ew.printf("%s", st.wrapped("  ", "      ", g))
		}
	case len(res.Findings) == 0 && res.Suppressed+res.Baselined > 0:
		ew.printf("No finding but those left out below.\n")
	case len(res.Findings) == 0:
		ew.printf("Nothing is reachable from outside.\n")
	default:
		ew.printf("%d finding(s) on %d resource(s): %s high, %s medium, %d low\n\n", len(res.Findings), len(resources),
			st.severity(fmt.Sprint(counts[reach.SeverityHigh])), st.severity(fmt.Sprint(counts[reach.SeverityMedium])), counts[reach.SeverityLow])
		header := []string{"RESOURCE", "EDGE", "PROTOCOL", "PORTS", "SOURCES", "SEVERITY", "VERDICT"}
		var rows [][]string
		var sources []string
		last := ""
		var notes []string
		// The interface is named only for a resource with several.
		enis := map[string]map[string]bool{}
		for _, f := range res.Findings {
			if enis[f.Resource.ID] == nil {
				enis[f.Resource.ID] = map[string]bool{}
			}
			enis[f.Resource.ID][f.Resource.ENI] = true
		}
		var memo sourcesMemo
		for _, r := range foldICMP(res.Findings, &memo) {
			f := r.f
			key := f.Resource.ID + "|" + f.Resource.ENI
			name := ""
			if key != last {
				what := shortType(f.Resource.Type)
				if n := st.name(f.Resource.ID); n != "" {
					what = n
				}
				name = shortID(f.Resource.ID) + " (" + what + ")"
				if f.Resource.ENI != "" && f.Resource.ENI != f.Resource.ID && len(enis[f.Resource.ID]) > 1 {
					name += " " + f.Resource.ENI
				}
				last = key
			}
			edge := string(f.From.Kind) + " " + st.label(f.From.ID)
			if f.LoadBalancer != "" {
				edge += " via " + st.label(shortID(f.LoadBalancer))
			}
			ports := strings.Join(r.ports, ",")
			verdict := string(f.Verdict)
			if f.Verdict == reach.PossiblyReachable {
				notes = append(notes, fmt.Sprintf("[%d] %s %s %s from %s: %s", len(notes)+1, st.label(shortID(f.Resource.ID)), f.Protocol, ports, edge, st.annotate(f.Reason)))
				verdict += fmt.Sprintf(" [%d]", len(notes))
			}
			rows = append(rows, []string{name, edge, f.Protocol, ports, "", f.Severity.String(), verdict})
			sources = append(sources, memo.sourcesText(f.From.Kind, f.From.Sources))
		}
		if err := st.exposureTable(ew, header, rows, sources); err != nil {
			return err
		}
		if len(notes) > 0 {
			ew.printf("\nPossibly reachable because\n")
			for _, n := range notes {
				ew.printf("%s", st.wrapped("  ", "      ", n))
			}
		}
	}
	if len(res.Findings) > 0 && len(res.NotCollected) > 0 {
		ew.printf("\nNot in the sources (what depends on it is possibly-reachable; resources of these kinds that were not listed are not examined)\n")
		for _, g := range res.NotCollected {
			ew.printf("%s", st.wrapped("  ", "      ", g))
		}
	}
	reasons := make([]string, 0, len(res.Findings))
	for _, f := range res.Findings {
		if f.Verdict == reach.PossiblyReachable {
			reasons = append(reasons, f.Reason)
		}
	}
	ew.printf("%s", codesNote(false, reasons...))
	ew.printf("%s", leftOutText(res.Suppressed, res.Baselined))
	st.writeWarnings(ew, append(append([]string{}, res.Warnings...), warnings...))
	return ew.err
}

// exposureTable writes the exposure rows. When they would pass the width,
// the widest of the resource, edge, ports and sources cells wrap onto more
// lines, a little at a time, until the table fits or every one is at its
// minimum.
func (st Style) exposureTable(w io.Writer, header []string, rows [][]string, sources []string) error {
	const srcCol, minWidth = 4, 24
	wrappable := []int{0, 1, 3, srcCol}
	cells := make([][][]string, len(rows))
	for i, r := range rows {
		r[srcCol] = sources[i]
		cells[i] = make([][]string, len(r))
		for c, v := range r {
			cells[i][c] = []string{v}
		}
	}
	// Each column's width is measured once, and again only when its cells
	// are wrapped anew.
	colWidth := func(c int) int {
		wd := visibleLen(header[c])
		for _, r := range cells {
			for _, l := range r[c] {
				wd = max(wd, visibleLen(l))
			}
		}
		return wd
	}
	widths := make([]int, len(header))
	for c := range header {
		widths[c] = colWidth(c)
	}
	total := func() int {
		t := 0
		for _, wd := range widths {
			t += wd + 2
		}
		return t - 2
	}
	for excess := total() - st.width(); excess > 0; excess = total() - st.width() {
		widest, wd, second := -1, minWidth, minWidth
		for _, c := range wrappable {
			switch cw := widths[c]; {
			case cw > wd:
				widest, wd, second = c, cw, wd
			case cw > second:
				second = cw
			}
		}
		if widest < 0 {
			break
		}
		// Shrink the widest no further than the next: wide cells share the cut.
		target := max(wd-excess, second, minWidth)
		if target >= wd {
			target = wd - 1
		}
		// Many rows share a cell's text (an edge, a source): wrap each
		// text once.
		wrapped := map[string][]string{}
		for i, r := range rows {
			ls, ok := wrapped[r[widest]]
			if !ok {
				ls = (Style{Width: target}).wrap("", "  ", r[widest])
				wrapped[r[widest]] = ls
			}
			cells[i][widest] = ls
		}
		widths[widest] = colWidth(widest)
		if widths[widest] >= wd {
			break // a word longer than the target: no progress
		}
	}
	t := NewTable(w, header...)
	for _, r := range cells {
		n := 0
		for _, c := range r {
			n = max(n, len(c))
		}
		for k := 0; k < n; k++ {
			line := make([]string, len(r))
			for c := range r {
				if k < len(r[c]) {
					line[c] = r[c][k]
				}
			}
			if k == 0 {
				line[5], line[6] = st.severity(line[5]), st.verdict(line[6])
			}
			t.Row(line...)
		}
	}
	return t.Flush()
}

// warningsShown is how many warnings text output lists before counting the rest.
const warningsShown = 3

// writeWarnings writes the sources' warnings once, as a count and the first few.
func (st Style) writeWarnings(ew *lintWriter, all []string) {
	if len(all) == 0 {
		return
	}
	ew.printf("\nWarnings (%d)\n", len(all))
	for i, s := range all {
		if i == warningsShown {
			ew.printf("  ... and %d more: vpcreach inventory lists them all\n", len(all)-warningsShown)
			break
		}
		ew.printf("%s", st.wrapped("  ", "      ", s))
	}
}

// exposureRule is one SARIF rule: a kind of exposure.
type exposureRule struct {
	id, name, short, full string
	severity              reach.Severity
}

var exposureRules = []exposureRule{
	{"internet-admin-port", "InternetAdminPort", "Administrative, database or every port reachable from the internet",
		"A resource accepts connections from the internet on a recognised administrative or database port, on every port or on every protocol. Restrict the security group rule's sources, or move the resource to a private subnet.", reach.SeverityHigh},
	{"internet-exposure", "InternetExposure", "Port reachable from the internet",
		"A resource accepts connections from the internet on this port and the replies get back.", reach.SeverityMedium},
	{"peering-exposure", "PeeringExposure", "Port reachable from a peered VPC",
		"A resource accepts connections from a peered VPC whose route tables send traffic to it through the peering connection.", reach.SeverityLow},
	{"transit-gateway-exposure", "TransitGatewayExposure", "Port reachable through a transit gateway",
		"A resource accepts connections arriving through a transit gateway attachment.", reach.SeverityLow},
	{"on-premises-exposure", "OnPremisesExposure", "Port reachable from on-premises",
		"A resource accepts connections from on-premises networks through a VPN gateway or Direct Connect.", reach.SeverityLow},
	{"client-vpn-exposure", "ClientVPNExposure", "Port reachable from Client VPN clients",
		"A resource accepts connections from AWS Client VPN clients.", reach.SeverityLow},
}

// exposureRuleOf picks the rule of a finding.
func exposureRuleOf(f reach.ExposureFinding) string { return reach.ExposureKind(&f) }

func exposureLevel(s reach.Severity) string {
	switch s {
	case reach.SeverityHigh:
		return "error"
	case reach.SeverityMedium:
		return "warning"
	}
	return "note"
}

func exposureSecuritySeverity(s reach.Severity) string {
	switch s {
	case reach.SeverityHigh:
		return "8.0"
	case reach.SeverityMedium:
		return "5.5"
	}
	return "3.0"
}

// NewExposureSARIF builds the SARIF 2.1.0 log of an exposure result: one
// rule per kind of exposure, one result per finding located at the
// resource's template line, else its snapshot file.
func NewExposureSARIF(res *reach.ExposureResult) *SARIFLog { return Style{}.NewExposureSARIF(res) }

// NewExposureSARIF builds the SARIF log of an exposure result, locating
// results with the style's Locator.
func (st Style) NewExposureSARIF(res *reach.ExposureResult) *SARIFLog {
	var rules []SARIFRule
	index := map[string]int{}
	for i, r := range exposureRules {
		index[r.id] = i
		rules = append(rules, SARIFRule{
			ID: r.id, Name: r.name,
			ShortDescription:     SARIFMessage{Text: r.short},
			FullDescription:      &SARIFMessage{Text: r.full},
			Help:                 &SARIFMessage{Text: r.full + " See docs/exposure.md for the severity table."},
			DefaultConfiguration: &SARIFRuleConfig{Level: exposureLevel(r.severity)},
			Properties: map[string]any{
				"severity":          r.severity.String(),
				"security-severity": exposureSecuritySeverity(r.severity),
				"tags":              []string{"security", "aws", "vpc", "network-exposure"},
			},
		})
	}
	log := NewSARIF(rules)
	run := &log.Runs[0]
	st.Loc.prepare(run)
	for _, f := range res.Findings {
		rule := exposureRuleOf(f)
		var src []string
		for _, p := range f.From.Sources {
			src = append(src, p.String())
		}
		msg := fmt.Sprintf("%s (%s) is %s from %s %s on %s %s from %s", f.Resource.ID, shortType(f.Resource.Type), f.Verdict,
			f.From.Kind, f.From.ID, f.Protocol, portsText(f), strings.Join(src, ","))
		if f.Reason != "" {
			msg += ": " + f.Reason
		}
		var via []string
		for _, h := range f.Via {
			via = append(via, h.ID)
		}
		o := st.Loc.Where(f.Resource.ID, f.Resource.Origin)
		r := SARIFResult{
			RuleID:    rule,
			RuleIndex: index[rule],
			Level:     exposureLevel(f.Severity),
			Message:   SARIFMessage{Text: msg},
			Locations: []SARIFLocation{st.Loc.Location(o.File, o.Line)},
			PartialFingerprints: Fingerprint(rule, f.Resource.ID, string(f.From.Kind), f.From.ID, f.Protocol,
				portsText(f)),
			Properties: map[string]any{
				"resourceId":   f.Resource.ID,
				"resourceType": f.Resource.Type,
				"severity":     f.Severity.String(),
				"verdict":      string(f.Verdict),
				"via":          via,
			},
		}
		run.Results = append(run.Results, r)
	}
	run.Properties = leftOutProperties(res.Suppressed, res.Baselined)
	return log
}

// ExposureSARIF writes an exposure result as SARIF 2.1.0.
func ExposureSARIF(w io.Writer, res *reach.ExposureResult) error {
	return WriteJSON(w, NewExposureSARIF(res))
}

// ExposureSARIF writes an exposure result as SARIF 2.1.0 located by the style's Locator.
func (st Style) ExposureSARIF(w io.Writer, res *reach.ExposureResult) error {
	return WriteJSON(w, st.NewExposureSARIF(res))
}

// Exposure writes an exposure result in the given format.
func Exposure(w io.Writer, f Format, res *reach.ExposureResult, warnings []string) error {
	return Style{}.Exposure(w, f, res, warnings)
}

// Exposure writes an exposure result in the given format, text in this style.
func (st Style) Exposure(w io.Writer, f Format, res *reach.ExposureResult, warnings []string) error {
	switch f {
	case JSON:
		return st.ExposureJSON(w, res, warnings)
	case SARIF:
		return st.ExposureSARIF(w, res)
	default:
		return st.ExposureText(w, res, warnings)
	}
}

// CountAtLeast counts the findings at or above a severity.
func CountAtLeast(res *reach.ExposureResult, s reach.Severity) int {
	n := 0
	for _, f := range res.Findings {
		if f.Severity >= s {
			n++
		}
	}
	return n
}

// leftOutText is the line that counts the findings left out by
// suppressions and a baseline, "" when none was.
func leftOutText(suppressed, baselined int) string {
	var parts []string
	if suppressed > 0 {
		parts = append(parts, fmt.Sprintf("%d suppressed with a reason (docs/suppressions.md)", suppressed))
	}
	if baselined > 0 {
		parts = append(parts, fmt.Sprintf("%d already in the baseline", baselined))
	}
	if len(parts) == 0 {
		return ""
	}
	return "\nLeft out: " + strings.Join(parts, ", ") + ".\n"
}
