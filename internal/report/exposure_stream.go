package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/vpcreach/vpcreach/internal/reach"
)

// ExposureStream writes an exposure in one format from findings handed
// over unit by unit as they are computed (reach.Engine.ExposureEach).
// Each unit's findings are encoded for the output at once and held
// compressed, the counts the output gives are kept on the way, and the
// whole is written in the output's order once every unit is in: the
// findings themselves are not held.
type ExposureStream struct {
	st     Style
	format Format
	held   heldRecords

	mu     sync.Mutex
	counts exposureCounts

	sources sharedSourcesText
	scratch sync.Pool
	// files are the SARIF artifact locations of the files results are
	// located in, by file: finding one asks the file system where the
	// working directory and its repository are.
	files sync.Map
}

// exposureCounts are what an exposure output says of its findings as a
// whole.
type exposureCounts struct {
	findings int
	// severities counts the findings by severity.
	severities [reach.SeverityHigh + 1]int
	// ruleCodes is set when a possibly-reachable finding's reason cites
	// a rule code.
	ruleCodes bool
}

func (c *exposureCounts) add(o exposureCounts) {
	c.findings += o.findings
	for i, n := range o.severities {
		c.severities[i] += n
	}
	c.ruleCodes = c.ruleCodes || o.ruleCodes
}

// streamScratch is one Add's reusable buffers.
type streamScratch struct {
	keys    []byte
	at      []int
	order   []int
	block   blockBuilder
	payload []byte
	srcKey  []byte
	// text and tmp are the JSON and SARIF records' buffers.
	text, tmp []byte
}

// NewExposureStream starts an exposure output in format f (text in this
// style).
func (st Style) NewExposureStream(f Format) *ExposureStream {
	s := &ExposureStream{st: st, format: f}
	s.scratch.New = func() any { return &streamScratch{} }
	return s
}

// sarifResultIndent is how deep WriteJSON indents a result of the log's
// run.
const sarifResultIndent = "        "

// Add encodes the findings of one unit of work, given in any order: they
// are written by key (reach.AppendExposureKey), findings of equal keys by
// unit, then in the order given. It may be called from several goroutines
// at once, and keeps nothing of fs.
func (s *ExposureStream) Add(unit int, fs []reach.ExposureFinding) {
	if len(fs) == 0 {
		return
	}
	sc := s.scratch.Get().(*streamScratch)
	defer s.scratch.Put(sc)
	sc.keys, sc.at, sc.order = sc.keys[:0], sc.at[:0], sc.order[:0]
	for i := range fs {
		sc.at = append(sc.at, len(sc.keys))
		sc.keys = reach.AppendExposureKey(sc.keys, &fs[i])
		sc.order = append(sc.order, i)
	}
	sc.at = append(sc.at, len(sc.keys))
	key := func(i int) []byte { return sc.keys[sc.at[i]:sc.at[i+1]] }
	for i := 1; i < len(fs); i++ {
		if bytes.Compare(key(i-1), key(i)) > 0 {
			slices.SortStableFunc(sc.order, func(a, b int) int { return bytes.Compare(key(a), key(b)) })
			break
		}
	}
	var c exposureCounts
	no := 0
	for lo := 0; lo < len(sc.order); no++ {
		// A block: the findings of one resource, interface and load
		// balancer.
		f0 := &fs[sc.order[lo]]
		hi := lo + 1
		for hi < len(sc.order) {
			f := &fs[sc.order[hi]]
			if f.Resource.ID != f0.Resource.ID || f.Resource.ENI != f0.Resource.ENI || f.LoadBalancer != f0.LoadBalancer {
				break
			}
			hi++
		}
		sc.block.reset()
		s.encode(sc, fs, sc.order[lo:hi], key, &c)
		s.held.put(unit, no, &sc.block)
		lo = hi
	}
	s.mu.Lock()
	s.counts.add(c)
	s.mu.Unlock()
}

// encode adds the records of one block's findings (fs[i] for i in idx,
// in order) to sc.block.
func (s *ExposureStream) encode(sc *streamScratch, fs []reach.ExposureFinding, idx []int, key func(int) []byte, c *exposureCounts) {
	for _, i := range idx {
		f := &fs[i]
		c.findings++
		if f.Severity >= 0 && int(f.Severity) < len(c.severities) {
			c.severities[f.Severity]++
		}
		if f.Verdict == reach.PossiblyReachable && !c.ruleCodes && ruleCode.MatchString(f.Reason) {
			c.ruleCodes = true
		}
	}
	switch s.format {
	case JSON:
		for _, i := range idx {
			sc.payload = s.st.appendExposureFindingJSON(sc.payload[:0], &fs[i], &sc.tmp)
			sc.block.record(key(i), sc.payload)
		}
	case SARIF:
		for _, i := range idx {
			sc.payload = s.appendExposureResult(sc, sc.payload[:0], &fs[i])
			sc.block.record(key(i), sc.payload)
		}
	default:
		for _, i := range idx {
			r := s.textFinding(sc, &fs[i])
			sc.payload = r.appendTo(sc.payload[:0])
			sc.block.record(key(i), sc.payload)
		}
	}
}

// Held is about how many bytes of memory the findings added take.
func (s *ExposureStream) Held() int64 { return s.held.held() }

// CountAtLeast counts the findings added at or above a severity.
func (s *ExposureStream) CountAtLeast(sev reach.Severity) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i, c := range s.counts.severities {
		if reach.Severity(i) >= sev {
			n += c
		}
	}
	return n
}

// Write writes the exposure: the findings added, and of res its warnings,
// what was not collected and the counts of findings left out (res's own
// findings are not read); warnings are the sources' warnings to show with
// it. Nothing may be added any more.
func (s *ExposureStream) Write(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	switch s.format {
	case JSON:
		return s.writeJSON(w, res, warnings)
	case SARIF:
		return s.writeSARIF(w, res)
	default:
		return s.writeText(w, res, warnings)
	}
}

// writeJSON writes cli.md's JSON document, one finding per line (an
// organisation has tens of thousands: indenting each would double the
// time and the size).
func (s *ExposureStream) writeJSON(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n  \"findings\": [", SchemaVersion)
	n := 0
	err := s.held.each(func(_, line []byte) error {
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		bw.WriteString("\n    ")
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	fmt.Fprintf(bw, "],\n  \"baselined\": %d,\n  \"suppressed\": %d,\n  \"warnings\": ", res.Baselined, res.Suppressed)
	// As the findings: HTML characters as they are.
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(append(append([]string{}, res.Warnings...), warnings...)); err != nil {
		return err
	}
	bw.Write(bytes.TrimSuffix(compact.Bytes(), []byte("\n")))
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// writeSARIF writes the SARIF 2.1.0 log WriteJSON writes of
// NewExposureSARIF, result by result.
func (s *ExposureStream) writeSARIF(w io.Writer, res *reach.ExposureResult) error {
	var skel bytes.Buffer
	if err := WriteJSON(&skel, s.st.exposureSARIFLog(res)); err != nil {
		return err
	}
	const empty = `"results": []`
	head, tail, ok := bytes.Cut(skel.Bytes(), []byte(empty))
	if !ok || bytes.Contains(tail, []byte(empty)) {
		return fmt.Errorf("SARIF log: no single place for the results")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(head)
	bw.WriteString(`"results": [`)
	n := 0
	err := s.held.each(func(_, result []byte) error {
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		bw.WriteString("\n" + sarifResultIndent)
		_, err := bw.Write(result)
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n" + sarifResultIndent[2:])
	}
	bw.WriteString("]")
	bw.Write(tail)
	return bw.Flush()
}

// textFinding is what the text table says of one finding, as held.
type textFinding struct {
	resID, eni, resType, lb, kind, fromID string
	// edge, proto, portText, sources, severity and verdict are its cells;
	// types are an ICMP finding's types without the word.
	edge, proto, portText, types, sources, severity, verdict string
	// reason is an ICMP or possibly-reachable finding's reason, "" for
	// the others (whose rows neither fold nor explain).
	reason string
}

func appendField(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func (r *textFinding) fields() [14]*string {
	return [14]*string{&r.resID, &r.eni, &r.resType, &r.lb, &r.kind, &r.fromID, &r.edge, &r.proto, &r.portText, &r.types, &r.sources,
		&r.severity, &r.verdict, &r.reason}
}

func (r *textFinding) appendTo(dst []byte) []byte {
	for _, s := range r.fields() {
		dst = appendField(dst, *s)
	}
	return dst
}

// readTextFinding reads what appendTo wrote. Its fields share one
// string.
func readTextFinding(b []byte) textFinding {
	var r textFinding
	all := string(b)
	off := 0
	for _, p := range r.fields() {
		n, k := binary.Uvarint(b[off:])
		off += k
		*p = all[off : off+int(n)]
		off += int(n)
	}
	return r
}

// textFinding is what the text table needs of f.
func (s *ExposureStream) textFinding(sc *streamScratch, f *reach.ExposureFinding) textFinding {
	edge := string(f.From.Kind) + " " + s.st.label(f.From.ID)
	if f.LoadBalancer != "" {
		edge += " via " + s.st.label(shortID(f.LoadBalancer))
	}
	r := textFinding{resID: f.Resource.ID, eni: f.Resource.ENI, resType: f.Resource.Type, lb: f.LoadBalancer, kind: string(f.From.Kind),
		fromID: f.From.ID, edge: edge, proto: f.Protocol, portText: portsText(*f), sources: s.sources.text(&sc.srcKey, f.From.Kind, f.From.Sources),
		severity: f.Severity.String(), verdict: string(f.Verdict)}
	icmp := f.Protocol == "icmp" || f.Protocol == "icmpv6"
	if icmp {
		r.types = icmpTypes(*f)
	}
	if icmp || f.Verdict == reach.PossiblyReachable {
		r.reason = f.Reason
	}
	return r
}

// textRow is one line of the exposure table: a finding, or ICMP findings
// that differ only in their types, folded.
type textRow struct {
	textFinding
	// ports are the row's ports, folded.
	ports string
}

// rows calls fn with every row of the table in order. The findings of
// one resource, interface and load balancer come together: each such
// group is folded as a whole.
func (s *ExposureStream) rows(fn func(r *textRow) error) error {
	var group []textFinding
	flush := func() error {
		for _, r := range foldICMP(group) {
			if err := fn(&r); err != nil {
				return err
			}
		}
		group = group[:0]
		return nil
	}
	err := s.held.each(func(_, p []byte) error {
		f := readTextFinding(p)
		if len(group) > 0 && (f.resID != group[0].resID || f.eni != group[0].eni || f.lb != group[0].lb) {
			if err := flush(); err != nil {
				return err
			}
		}
		group = append(group, f)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// foldICMP folds the ICMP findings of one resource, edge, sources,
// verdict and reason into one row listing their types.
func foldICMP(fs []textFinding) []textRow {
	rows := make([]textRow, 0, len(fs))
	var ports [][]string
	var at map[string]int
	for _, f := range fs {
		if f.types != "" {
			key := strings.Join([]string{f.resID, f.eni, f.kind, f.fromID, f.lb, f.proto, f.sources, f.severity, f.verdict, f.reason}, "|")
			if at == nil {
				at = map[string]int{}
			}
			if i, ok := at[key]; ok {
				ports[i] = append(ports[i], f.types)
				continue
			}
			at[key] = len(rows)
		}
		rows = append(rows, textRow{textFinding: f})
		ports = append(ports, []string{f.portText})
	}
	for i := range rows {
		if len(ports[i]) > 1 {
			first := strings.TrimPrefix(strings.TrimPrefix(ports[i][0], "types "), "type ")
			ports[i][0] = first
			ports[i] = []string{"types " + strings.Join(ports[i], ", ")}
		}
		rows[i].ports = strings.Join(ports[i], ",")
	}
	return rows
}

// sharedSourcesText remembers sourcesText's answers for every Add: most
// findings share their sources with many others (0.0.0.0/0, a VPC's
// range, a peer's), and describing them builds several address sets.
type sharedSourcesText struct {
	mu    sync.Mutex
	known map[string]string
}

// text is sourcesText(kind, ps); key is a buffer of the caller's.
func (m *sharedSourcesText) text(key *[]byte, kind reach.EdgeKind, ps []netip.Prefix) string {
	k := append((*key)[:0], kind...)
	k = append(k, 0)
	for _, p := range ps {
		k, _ = p.AppendBinary(k)
	}
	*key = k
	m.mu.Lock()
	t, ok := m.known[string(k)]
	m.mu.Unlock()
	if ok {
		return t
	}
	t = sourcesText(kind, ps)
	m.mu.Lock()
	if m.known == nil {
		m.known = map[string]string{}
	}
	m.known[string(k)] = t
	m.mu.Unlock()
	return t
}

// exposureHeader is the text table's header.
var exposureHeader = []string{"RESOURCE", "EDGE", "PROTOCOL", "PORTS", "SOURCES", "SEVERITY", "VERDICT"}

// Columns of the exposure table.
const (
	colResource = iota
	colEdge
	colProtocol
	colPorts
	colSources
	colSeverity
	colVerdict
	exposureColumns
)

// exposureLayout is what the text table's shape depends on, read from
// every row before the first is written: each column's width, and how
// its cells wrap.
type exposureLayout struct {
	resources int
	// notes counts the possibly-reachable rows.
	notes int
	// multiENI holds the resources whose findings name several
	// interfaces (their rows name the interface).
	multiENI map[string]bool
	// texts are the distinct cells of each wrappable column; widest the
	// widest cell of the others.
	texts  [exposureColumns]map[string]cellText
	widest [exposureColumns]int
	// wrapped are the lines of each cell of a column that was wrapped,
	// at width target, but for the cells that stay one line as they are.
	wrapped [exposureColumns]map[string][]string
	target  [exposureColumns]int
	widths  [exposureColumns]int
	// last is the last text added to each column (when it has any).
	last [exposureColumns]string
}

// cellText is what the layout knows of a cell's text: its visible width,
// and whether wrapping leaves it as it is when it fits (its words are
// separated by single spaces, with none before or after).
type cellText struct {
	width  int
	normal bool
}

// cellTextOf measures t.
func cellTextOf(t string) cellText {
	normal, space := true, true // at the start, as after a space
	for _, r := range t {
		switch {
		case r == ' ' && !space:
			space = true
		case unicode.IsSpace(r):
			normal = false
		default:
			space = false
		}
	}
	return cellText{width: visibleLen(t), normal: normal && (t == "" || !space)}
}

// oneLine reports whether wrapping at width leaves the text as it is.
func (ct cellText) oneLine(width int) bool { return ct.normal && ct.width <= width }

// addText records a cell of column c (rows in a row often share one:
// the last is not looked up again).
func (l *exposureLayout) addText(c int, t string) {
	if len(l.texts[c]) > 0 && l.last[c] == t {
		return
	}
	l.last[c] = t
	if _, ok := l.texts[c][t]; !ok {
		l.texts[c][t] = cellTextOf(t)
	}
}

// resourceCell names a row's resource: the first row of each resource
// and interface.
func (st Style) resourceCell(r *textFinding, multiENI bool) string {
	what := shortType(r.resType)
	if n := st.name(r.resID); n != "" {
		what = n
	}
	name := shortID(r.resID) + " (" + what + ")"
	if r.eni != "" && r.eni != r.resID && multiENI {
		name += " " + r.eni
	}
	return name
}

// layout reads every row once.
func (s *ExposureStream) layout() (*exposureLayout, error) {
	l := &exposureLayout{multiENI: map[string]bool{}}
	for c := range l.texts {
		l.texts[c] = map[string]cellText{}
	}
	// A resource's rows come together: its interfaces are known once
	// its last row is read, and with them the names of its first rows.
	var cur string
	var firsts []textFinding
	enis := map[string]bool{}
	endResource := func() {
		multi := len(enis) > 1
		if multi {
			l.multiENI[cur] = true
		}
		for i := range firsts {
			l.addText(colResource, s.st.resourceCell(&firsts[i], multi))
		}
	}
	lastRes, lastENI, first := "", "", true
	err := s.rows(func(r *textRow) error {
		if l.resources == 0 || r.resID != cur {
			if l.resources > 0 {
				endResource()
			}
			cur, firsts = r.resID, firsts[:0]
			clear(enis)
			l.resources++
		}
		enis[r.eni] = true
		if first || r.resID != lastRes || r.eni != lastENI {
			firsts = append(firsts, r.textFinding)
			lastRes, lastENI, first = r.resID, r.eni, false
		}
		l.addText(colEdge, r.edge)
		l.addText(colPorts, r.ports)
		l.addText(colSources, r.sources)
		verdict := r.verdict
		if r.verdict == string(reach.PossiblyReachable) {
			l.notes++
			verdict = numbered(verdict, l.notes)
		}
		l.widest[colProtocol] = max(l.widest[colProtocol], visibleLen(r.proto))
		l.widest[colSeverity] = max(l.widest[colSeverity], visibleLen(r.severity))
		l.widest[colVerdict] = max(l.widest[colVerdict], visibleLen(verdict))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if l.resources > 0 {
		endResource()
	}
	l.fit(s.st.width())
	return l, nil
}

// wrappable are the columns whose cells wrap onto more lines.
var wrappable = []int{colResource, colEdge, colPorts, colSources}

// appendCellLines appends the lines of a cell of column c.
func (l *exposureLayout) appendCellLines(dst []string, c int, text string) []string {
	if l.wrapped[c] == nil {
		return append(dst, text)
	}
	if ls, ok := l.wrapped[c][text]; ok {
		return append(dst, ls...)
	}
	ct, ok := l.texts[c][text]
	if !ok {
		ct = cellTextOf(text)
	}
	if ct.oneLine(l.target[c]) {
		return append(dst, text)
	}
	return append(dst, (Style{Width: l.target[c]}).wrap("", "  ", text)...)
}

// colWidth is the width of column c's widest cell, unwrapped (fit finds
// a wrapped column's width as it wraps it).
func (l *exposureLayout) colWidth(c int) int {
	wd := visibleLen(exposureHeader[c])
	if l.texts[c] == nil || !slices.Contains(wrappable, c) {
		return max(wd, l.widest[c])
	}
	for _, ct := range l.texts[c] {
		wd = max(wd, ct.width)
	}
	return wd
}

// fit sets the columns' widths: when the table would pass the width, the
// widest of the resource, edge, ports and sources cells wrap onto more
// lines, a little at a time, until the table fits or every one is at its
// minimum.
func (l *exposureLayout) fit(width int) {
	const minWidth = 24
	for c := range l.widths {
		l.widths[c] = l.colWidth(c)
	}
	total := func() int {
		t := 0
		for _, wd := range l.widths {
			t += wd + 2
		}
		return t - 2
	}
	for excess := total() - width; excess > 0; excess = total() - width {
		widest, wd, second := -1, minWidth, minWidth
		for _, c := range wrappable {
			switch cw := l.widths[c]; {
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
		// text once, and only those that wrapping changes; the column's
		// width is that of its widest line (colWidth), found on the way.
		wrapped := map[string][]string{}
		newWidth := visibleLen(exposureHeader[widest])
		for t, ct := range l.texts[widest] {
			if ct.oneLine(target) {
				newWidth = max(newWidth, ct.width)
				continue
			}
			ls := (Style{Width: target}).wrap("", "  ", t)
			wrapped[t] = ls
			for _, line := range ls {
				newWidth = max(newWidth, visibleLen(line))
			}
		}
		l.wrapped[widest], l.target[widest] = wrapped, target
		l.widths[widest] = newWidth
		if l.widths[widest] >= wd {
			break // a word longer than the target: no progress
		}
	}
}

// writeText writes the exposure for people: a summary, one table grouped
// by resource (resource, edge, protocol, ports, sources, severity,
// verdict), why each possibly-reachable row is only possibly reachable,
// then warnings.
func (s *ExposureStream) writeText(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	st := s.st
	ew := &lintWriter{w: w}
	counts := s.counts
	switch {
	case counts.findings == 0 && len(res.NotCollected) > 0:
		ew.printf("%s", st.wrapped("", "", "No finding among what was read; but the sources do not list everything, so this is no evidence that nothing is reachable:"))
		for _, g := range res.NotCollected {
			ew.printf("%s", st.wrapped("  ", "      ", g))
		}
	case counts.findings == 0 && res.Suppressed+res.Baselined > 0:
		ew.printf("No finding but those left out below.\n")
	case counts.findings == 0:
		ew.printf("Nothing is reachable from outside.\n")
	default:
		l, err := s.layout()
		if err != nil {
			return err
		}
		ew.printf("%d finding(s) on %d resource(s): %s high, %s medium, %d low\n\n", counts.findings, l.resources,
			st.severity(fmt.Sprint(counts.severities[reach.SeverityHigh])), st.severity(fmt.Sprint(counts.severities[reach.SeverityMedium])), counts.severities[reach.SeverityLow])
		notes, err := s.writeTable(ew, l)
		if err != nil {
			return err
		}
		if len(notes) > 0 {
			ew.printf("\nPossibly reachable because\n")
			for _, note := range notes {
				ew.printf("%s", note)
			}
		}
	}
	if counts.findings > 0 && len(res.NotCollected) > 0 {
		ew.printf("\nNot in the sources (what depends on it is possibly-reachable; resources of these kinds that were not listed are not examined)\n")
		for _, g := range res.NotCollected {
			ew.printf("%s", st.wrapped("  ", "      ", g))
		}
	}
	ew.printf("%s", codesLine(counts.ruleCodes, false))
	ew.printf("%s", leftOutText(res.Suppressed, res.Baselined))
	st.writeWarnings(ew, append(append([]string{}, res.Warnings...), warnings...))
	return ew.err
}

// writeTable writes the table's rows as the layout says, and returns the
// notes that say why each possibly-reachable row is only possibly
// reachable, as they are to be written after it.
func (s *ExposureStream) writeTable(w io.Writer, l *exposureLayout) ([]string, error) {
	st := s.st
	bw := bufio.NewWriterSize(w, 1<<16)
	var line []byte
	writeLine := func(cells []string) error {
		line = line[:0]
		for c, v := range cells {
			line = append(line, v...)
			if c < len(cells)-1 {
				line = appendSpaces(line, l.widths[c]+2-visibleLen(v))
			}
		}
		bw.Write(bytes.TrimRight(line, " "))
		_, err := bw.WriteString("\n")
		return err
	}
	if err := writeLine(exposureHeader); err != nil {
		return nil, err
	}
	var notesText []string
	lastRes, lastENI, first := "", "", true
	notes := 0
	var cells [exposureColumns][]string
	out := make([]string, exposureColumns)
	err := s.rows(func(r *textRow) error {
		name := ""
		if first || r.resID != lastRes || r.eni != lastENI {
			name = st.resourceCell(&r.textFinding, l.multiENI[r.resID])
			lastRes, lastENI, first = r.resID, r.eni, false
		}
		verdict := r.verdict
		if r.verdict == string(reach.PossiblyReachable) {
			notes++
			verdict = numbered(verdict, notes)
			notesText = append(notesText, st.wrapped("  ", "      ", fmt.Sprintf("[%d] %s %s %s from %s: %s", notes, st.label(shortID(r.resID)), r.proto, r.ports, r.edge, st.annotate(r.reason))))
		}
		for c, v := range [exposureColumns]string{name, r.edge, r.proto, r.ports, r.sources, r.severity, verdict} {
			if slices.Contains(wrappable, c) {
				cells[c] = l.appendCellLines(cells[c][:0], c, v)
			} else {
				cells[c] = append(cells[c][:0], v)
			}
		}
		n := 0
		for _, c := range cells {
			n = max(n, len(c))
		}
		for k := 0; k < n; k++ {
			for c := range cells {
				out[c] = ""
				if k < len(cells[c]) {
					out[c] = cells[c][k]
				}
			}
			if k == 0 {
				out[colSeverity], out[colVerdict] = st.severity(out[colSeverity]), st.verdict(out[colVerdict])
			}
			if err := writeLine(out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return notesText, bw.Flush()
}

// numbered is a possibly-reachable row's verdict with the number of the
// note that says why.
func numbered(verdict string, note int) string {
	return verdict + " [" + strconv.Itoa(note) + "]"
}

// appendSpaces appends n spaces (none when n is not positive).
func appendSpaces(dst []byte, n int) []byte {
	const spaces = "                                                                "
	for ; n > len(spaces); n -= len(spaces) {
		dst = append(dst, spaces...)
	}
	return append(dst, spaces[:max(n, 0)]...)
}
