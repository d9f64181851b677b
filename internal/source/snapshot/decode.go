package snapshot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
	"github.com/vpcreach/vpcreach/internal/source/srcfile"
)

// reader holds the state of one Read call.
type reader struct {
	n *model.Network

	// ctx stops reading when cancelled; nil is context.Background.
	ctx context.Context
	// ticks counts elements read, to look at ctx every few of them.
	ticks int
	// limits bound what a file may hold.
	limits limits.Limits

	// current file
	file    string
	dir     string
	data    []byte
	account string // from the path
	region  string // from the path
	lineOff int    // byte offset lineNum was counted up to
	lineNum int    // line at lineOff
	elemOff int    // offset of the list element being read

	// events, when set, receives what a file holds instead of the network:
	// the reader is decoding a file ahead of applying it (see parseFile).
	events *[]event
	// keys, when set, receives the list keys a file holds (even empty
	// lists), for coverage: what a listing does not hold does not exist.
	keys *[]string
	// seen holds, by folder, the list keys read there.
	seen map[string]map[string]bool

	warned map[string]bool // file + key of unknown-key warnings already given

	// topKeys are the keys of the top-level object of the file being
	// decoded: they tell a template or Terraform JSON from AWS API output
	// (see classify).
	topKeys []string
	// fileRead is set when the file being applied held something read;
	// filesRead counts such files, and notRead lists the files skipped
	// as another format (a template, a Terraform plan), with their kind.
	fileRead  bool
	filesRead int
	notRead   []skippedFile
	// fatal is the first conflict between two files that cannot be
	// merged (see conflict.go); it stops the read.
	fatal error

	// added lists the elements this Read created, with their folder, so
	// that finish can fill accounts and regions from their neighbours.
	added []addedElem
	// deferred runs after every file is read: merged objects that refer to
	// elements possibly read later (listeners before load balancers, ...).
	deferred []func()
	// instanceENIs are interfaces described inside instances; they become
	// elements only when no describe-network-interfaces output was read.
	instanceENIs []instanceENI
	sawENIs      map[string]bool // folders holding describe-network-interfaces output
	sgWithPerms  map[string]bool // groups read from describe-security-groups
	tgwAssocs    [][2]string     // transit gateway attachment and associated route table
	// tgwTables are the transit gateway route tables this Read listed;
	// tgwRead says which had their routes and propagations read.
	tgwTables []string
	tgwRead   map[string]tgwOutputs
	// tgwAtts are the attachments this Read listed; tgwAssocRead those
	// whose association an output stated.
	tgwAtts      []string
	tgwAssocRead map[string]bool
	// sgRuleIDs and others are extras applied at the end.
	eips []*model.ElasticIP
}

type addedElem struct {
	meta *model.Meta
	dir  string
}

func newReader(n *model.Network) *reader {
	return &reader{n: n, warned: map[string]bool{}, sawENIs: map[string]bool{}, sgWithPerms: map[string]bool{}, seen: map[string]map[string]bool{}}
}

// readFile reads one file of API output.
func (r *reader) readFile(path string) error {
	return r.apply(parseFile(r.context(), r.limits, path, nil))
}

func (r *reader) context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// cancelled returns ctx's error every checkEvery elements once it is
// cancelled, so that a large file stops soon after a signal.
func (r *reader) cancelled() error {
	r.ticks++
	if r.ticks%checkEvery != 0 || r.ctx == nil {
		return nil
	}
	return r.ctx.Err()
}

// checkEvery is how many elements are read between looks at the context:
// a few microseconds of work.
const checkEvery = 64

// event is one element of a list, or one object of other keys, decoded from
// a file and waiting to be added to the network.
type event struct {
	h    *listHandler // the element's list; unset for a merged object
	elem bool
	// converted says v is what h.add adds, not a decoded element.
	converted bool
	v         any // the decoded element, or the *mergedObject
	o         model.Origin
	elemOff   int
}

// mergedObject is an object's keys that were not lists of resources, in
// the order given.
type mergedObject struct {
	rest  map[string]json.RawMessage
	order []string
}

// parsed is a file decoded into events, not yet applied to a network.
type parsed struct {
	path   string
	data   []byte
	events []event
	keys   []string // the list keys the file holds
	err    error    // what stopped decoding, reported after the events
	// kind is set when the file is another format, not AWS API output.
	kind string
}

// parseFile reads and decodes one file of API output, reading into buf
// when it is large enough. It touches no shared state, so files may be
// parsed in parallel; apply then adds them to the network one after
// another. Nothing parsed refers to the file's bytes, so once applied its
// buffer may be reused.
func parseFile(ctx context.Context, lim limits.Limits, path string, buf []byte) *parsed {
	p := &parsed{path: path}
	data, err := readInto(path, buf, lim.WithDefaults().FileBytes)
	if err != nil {
		var de *diag.Error
		if errors.As(err, &de) {
			p.err = err
		} else {
			p.err = &diag.Error{File: path, Code: "unreadable", Message: "cannot read file", Err: err}
		}
		return p
	}
	if data, err = srcfile.Check(path, data); err != nil {
		p.err = err
		return p
	}
	p.data = data
	pr := &reader{ctx: ctx, file: path, data: data, lineNum: 1, events: &p.events, keys: &p.keys}
	pr.account, pr.region = scopeOf(path) // for the elements converted as they are read
	if len(bytes.TrimSpace(data)) == 0 {
		p.err = diag.Errorf(path, 1, "malformed-json", "empty file: want a JSON object or array of AWS API output")
		return p
	}
	// The one-pass decoder refuses files past the bounds checkBounds
	// checks (see bounds.go).
	ok, err := pr.decodeOnce()
	if err != nil {
		p.err = err // cancelled
		return p
	}
	read := true
	if !ok {
		// Something is wrong with the file: checkBounds and encoding/json
		// say what (see once.go).
		p.events, p.keys = nil, nil
		pr = &reader{ctx: ctx, file: path, data: data, lineNum: 1, events: &p.events, keys: &p.keys}
		if off, bound := checkBounds(data); off >= 0 {
			if bound == "depth" {
				p.err = limits.Errorf(path, pr.lineAt(off), "", "", "JSON nested deeper than %d levels: not AWS API output", limits.JSONDepth)
			} else {
				p.err = limits.Errorf(path, pr.lineAt(off), "", "", "a JSON string longer than %s: not AWS API output", limits.Size(limits.StringBytes))
			}
			return p
		}
		read, err = pr.decodeExact()
	}
	if read {
		if p.kind = classify(pr.topKeys); p.kind != "" {
			p.events, p.keys = nil, nil
		}
	}
	p.err = err
	return p
}

// decodeExact decodes r.data into r.events with encoding/json. It reports
// whether the top-level value was read, and what stopped the decoding.
func (r *reader) decodeExact() (read bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(r.data))
	dec.UseNumber()
	if err := r.value(dec, ""); err != nil {
		return false, err
	}
	// Only whitespace may follow.
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return true, r.jsonError(err, "")
		}
		return true, r.errAt(int(dec.InputOffset()), "malformed-json", "", "unexpected data after the top-level JSON value")
	}
	return true, nil
}

// readInto reads a snapshot file into buf's storage when it has room
// (srcfile.ReadInto, bounded by --max-file-size).
func readInto(path string, buf []byte, maxBytes int64) ([]byte, error) {
	return srcfile.ReadInto(path, buf, maxBytes, "--max-file-size")
}

// apply adds a parsed file's elements to the network in the order the file
// holds them, then returns the error that stopped its decoding, if any.
func (r *reader) apply(p *parsed) error {
	if p.data == nil {
		return p.err
	}
	r.file = p.path
	r.dir = filepath.Dir(p.path)
	r.data = p.data
	r.lineOff, r.lineNum = 0, 1
	r.account, r.region = scopeOf(p.path)
	defer func() { r.data = nil }()
	if p.kind != "" && p.err == nil {
		r.skip(p.path, p.kind)
		return nil
	}
	// A file naming a list of resources, even an empty one, is AWS API
	// output; others count once they give something read.
	r.fileRead = len(p.keys) > 0
	defer func() {
		if r.fileRead {
			r.filesRead++
		}
	}()
	for _, k := range p.keys {
		r.sawList(k)
	}
	for i := range p.events {
		if err := r.cancelled(); err != nil {
			return err
		}
		ev := &p.events[i]
		r.elemOff = ev.elemOff
		var err error
		if ev.converted {
			ev.h.add(r, ev.v)
		} else if ev.elem {
			err = ev.h.conv(r, ev.v, ev.o)
		} else {
			m := ev.v.(*mergedObject)
			err = r.merged(m.rest, m.order, ev.o)
		}
		if err == nil {
			err = r.fatal
		}
		if err != nil {
			return err
		}
		*ev = event{} // let the decoded value go
	}
	return p.err
}

// value reads a top-level value: an object of API output, or an array of them.
func (r *reader) value(dec *json.Decoder, path string) error {
	start := r.nextValueOffset(dec)
	if tooDeep(path) {
		return r.errAt(start, "bad-shape", "", "%s: API output nested deeper than %d levels", path[:min(len(path), 40)]+"...", maxNesting)
	}
	tok, err := dec.Token()
	if err != nil {
		return r.jsonError(err, path)
	}
	switch tok {
	case json.Delim('{'):
		return r.object(dec, path, start)
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := r.value(dec, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return r.jsonError(err, path)
		}
		return nil
	case nil:
		return nil
	}
	return r.errAt(start, "bad-shape", "", "%s: want a JSON object or array of AWS API output, got %s", pathOrTop(path), describeToken(tok))
}

// maxNesting bounds arrays of arrays and placebo wrappers around API output.
const maxNesting = 32

// tooDeep reports whether a value at path is nested past maxNesting.
func tooDeep(path string) bool {
	return strings.Count(path, "[")+strings.Count(path, "data") > maxNesting
}

func pathOrTop(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}

// object reads an object of API output whose '{' was consumed. Keys naming
// a list of resources (Vpcs, Subnets, ...) are streamed element by element;
// the other keys are gathered and read at the end as a merged object.
func (r *reader) object(dec *json.Decoder, path string, start int) error {
	line := r.lineAt(start)
	rest := map[string]json.RawMessage{}
	var order []string
	hadList := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return r.jsonError(err, path)
		}
		key, _ := tok.(string)
		kpath := joinPath(path, key)
		if path == "" {
			r.topKeys = append(r.topKeys, key)
		}
		if h, ok := listKeys[key]; ok {
			if err := r.list(dec, kpath, key, h); err != nil {
				return err
			}
			hadList = true
			continue
		}
		if key == "data" {
			// placebo recording: {"status_code": 200, "data": {...}}
			if err := r.value(dec, kpath); err != nil {
				return err
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return r.jsonError(err, kpath)
		}
		if _, dup := rest[key]; !dup {
			order = append(order, key)
		}
		rest[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return r.jsonError(err, path)
	}
	return r.objectRead(rest, order, hadList, path, start, line)
}

// objectRead keeps the keys of an object read that were not lists of
// resources (rest, in the order given) as a merged object.
func (r *reader) objectRead(rest map[string]json.RawMessage, order []string, hadList bool, path string, start, line int) error {
	if hadList {
		// {"ClientVpnEndpointId": ..., "ClientVpnTargetNetworks": [...]}:
		// the subject's ID beside a list whose elements name it too.
		for k, v := range rest {
			if (strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "Arn")) && len(v) > 0 && v[0] == '"' {
				delete(rest, k)
			}
		}
	}
	if len(rest) == 0 {
		return nil
	}
	o := model.Origin{File: r.file, Path: path, Line: line}
	if r.events != nil {
		*r.events = append(*r.events, event{v: &mergedObject{rest, order}, o: o, elemOff: start})
		return nil
	}
	r.elemOff = start
	return r.merged(rest, order, o)
}

// sawList records that the current file's folder holds a listing of key.
func (r *reader) sawList(key string) {
	if r.keys != nil {
		*r.keys = append(*r.keys, key)
		return
	}
	if r.seen == nil {
		return
	}
	m := r.seen[r.dir]
	if m == nil {
		m = map[string]bool{}
		r.seen[r.dir] = m
	}
	m[key] = true
}

// list streams the array under key, decoding each element with h.
func (r *reader) list(dec *json.Decoder, path, key string, h *listHandler) error {
	r.sawList(key)
	start := r.nextValueOffset(dec)
	tok, err := dec.Token()
	if err != nil {
		return r.jsonError(err, path)
	}
	if tok == nil {
		return nil // "Vpcs": null
	}
	if tok != json.Delim('[') {
		return r.errAt(start, "bad-shape", "", "%q: want an array of %s, got %s", key, h.what, describeToken(tok))
	}
	for i := 0; dec.More(); i++ {
		off := r.nextValueOffset(dec)
		if err := r.element(dec, path+"["+strconv.Itoa(i)+"]", key, h, off); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return r.jsonError(err, path)
	}
	return nil
}

// element decodes one element of a list, which starts at off.
func (r *reader) element(dec *json.Decoder, path, key string, h *listHandler, off int) error {
	if err := r.cancelled(); err != nil {
		return err
	}
	o := model.Origin{File: r.file, Path: path, Line: r.lineAt(off)}
	r.elemOff = off
	if b := r.peek(off); b != '{' {
		if b == 'n' { // null element
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return r.jsonError(err, path)
			}
			return nil
		}
		return r.errAt(off, "bad-shape", "", "%s: want an object (%s), got %s", path, h.what, describeByte(b))
	}
	decode := func(v any) error {
		if err := dec.Decode(v); err != nil {
			return r.decodeError(err, path, key, o)
		}
		return nil
	}
	if r.events != nil {
		v, err := h.decode(decode)
		if err != nil {
			return err
		}
		*r.events = append(*r.events, event{h: h, elem: true, v: v, o: o, elemOff: off})
		return nil
	}
	return h.fn(r, decode, o)
}

func (r *reader) unmarshal(raw []byte, v any, path, key string, o model.Origin) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return r.decodeError(err, path, key, o)
	}
	return nil
}

// decodeError turns a decoding error into a *diag.Error.
func (r *reader) decodeError(err error, path, key string, o model.Origin) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = key
		}
		return &diag.Error{File: r.file, Line: o.Line, Code: "bad-shape",
			Message: fmt.Sprintf("%s: field %s: want %s, got JSON %s", path, field, goKind(te.Type.String()), te.Value)}
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return r.valueErr(model.Origin{File: r.file, Path: path, Line: o.Line}, "", fe)
	}
	return r.jsonError(err, path)
}

func goKind(t string) string {
	switch t {
	case "string", "snapshot.str":
		return "a string"
	case "bool", "snapshot.flexBool":
		return "a boolean"
	case "int", "int32", "int64", "float64", "snapshot.flexInt":
		return "a number"
	}
	if len(t) > 2 && t[:2] == "[]" {
		return "an array"
	}
	return "an object"
}

// jsonError turns a syntax error into a malformed-json *diag.Error with the line.
func (r *reader) jsonError(err error, path string) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return r.errAt(int(se.Offset), "malformed-json", "", "%s (want valid JSON: AWS API output)", se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return r.errAt(len(r.data), "malformed-json", "", "unexpected end of file (want the rest of the JSON value)")
	}
	var de *diag.Error
	if errors.As(err, &de) {
		return err
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return r.errAt(0, "bad-shape", "", "%s: %s", pathOrTop(path), fe.msg)
	}
	return &diag.Error{File: r.file, Code: "malformed-json", Message: pathOrTop(path), Err: err}
}

func (r *reader) errAt(off int, code, resource, format string, args ...any) error {
	return &diag.Error{File: r.file, Line: r.lineAt(off), Code: code, Resource: resource, Message: fmt.Sprintf(format, args...)}
}

// nextValueOffset is the offset of the next token: the decoder's position
// past whitespace, commas and colons.
func (r *reader) nextValueOffset(dec *json.Decoder) int {
	return r.nextOffset(dec.InputOffset())
}

// nextOffset is the offset of the next token after a decoder's offset off.
func (r *reader) nextOffset(off64 int64) int {
	off := int(off64)
	for off < len(r.data) {
		switch r.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (r *reader) peek(off int) byte {
	if off < len(r.data) {
		return r.data[off]
	}
	return 0
}

// lineAt returns the 1-based line of a byte offset. Offsets mostly grow
// while a file is read, so lines are counted incrementally.
func (r *reader) lineAt(off int) int {
	if off > len(r.data) {
		off = len(r.data)
	}
	if off < r.lineOff {
		r.lineOff, r.lineNum = 0, 1
	}
	r.lineNum += bytes.Count(r.data[r.lineOff:off], []byte{'\n'})
	r.lineOff = off
	return r.lineNum
}

// lineOf returns the line of the first occurrence of needle at or after
// *from (within the current file), and moves *from past it; 0 when absent.
func (r *reader) lineOf(from *int, needle string) int {
	if r.data == nil || *from < 0 || *from > len(r.data) {
		return 0
	}
	i := bytes.Index(r.data[*from:], []byte(needle))
	if i < 0 {
		return 0
	}
	at := *from + i
	*from = at + len(needle)
	return r.lineAt(at)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

func describeByte(b byte) string {
	switch {
	case b == '{':
		return "an object"
	case b == '[':
		return "an array"
	case b == '"':
		return "a string"
	case b == 't' || b == 'f':
		return "a boolean"
	case b == '-' || (b >= '0' && b <= '9'):
		return "a number"
	}
	return "something else"
}

// fieldError is a value of the right JSON type that cannot be read (an
// address that does not parse, ...).
type fieldError struct {
	msg string
	// code, when set, replaces bad-shape: bad-value for a value of the
	// right type AWS would never hold (a port past 65535, ...). needle is
	// the value as written, to find its line within the element.
	code, needle string
}

// badValue is a value AWS would never hold: read as an error, never
// repaired.
func badValue(needle, format string, args ...any) *fieldError {
	return &fieldError{msg: fmt.Sprintf(format, args...), code: "bad-value", needle: needle}
}

func (e *fieldError) Error() string { return e.msg }

// warnUnknownKey reports a key not understood, once per file and key.
func (r *reader) warnUnknownKey(key string, o model.Origin) {
	k := r.file + "\x00" + key
	if r.warned[k] {
		return
	}
	r.warned[k] = true
	r.n.Warnf("unknown-key", o, "", "key %q is not understood; its content was skipped", key)
}

// flexInt is a number that AWS output sometimes writes as a string.
type flexInt struct {
	V   int64
	Set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	if v, ok := plainInt(bytes.TrimSpace(b)); ok {
		f.V, f.Set = v, true
		return nil
	}
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' {
		uq, err := strconv.Unquote(s)
		if err != nil {
			return &fieldError{msg: fmt.Sprintf("cannot read number %s", s)}
		}
		s = uq
		if s == "" {
			return nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// 80.0 or 8e1 is the integer 80; 80.5 is not an integer and is
		// not rounded.
		fv, err2 := strconv.ParseFloat(s, 64)
		if err2 != nil || fv != math.Trunc(fv) || math.Abs(fv) > 1<<53 {
			return badValue(s, "want an integer, got %s", string(b))
		}
		v = int64(fv)
	}
	f.V, f.Set = v, true
	return nil
}

// plainInt reads an optional minus sign and up to 18 decimal digits, the
// common case, without allocating; anything else is left to strconv.
func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// optInt is a flexInt held by value where a *flexInt would do: JSON null
// unsets it, as it would set the pointer to nil. It saves an allocation
// per port of every security group rule.
type optInt struct{ flexInt }

func (f *optInt) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		f.flexInt = flexInt{}
		return nil
	}
	return f.flexInt.UnmarshalJSON(b)
}

// optIntOf is the optInt of a *flexInt.
func optIntOf(f *flexInt) optInt {
	if f == nil {
		return optInt{}
	}
	return optInt{*f}
}

// flexBool is a boolean that may be written as a string ("true"), or as an
// attribute {"Value": true}.
type flexBool struct {
	V   bool
	Set bool
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	switch s {
	case "null":
		return nil
	case "true", `"true"`, `"True"`, `"enable"`, `"enabled"`:
		f.V, f.Set = true, true
		return nil
	case "false", `"false"`, `"False"`, `"disable"`, `"disabled"`:
		f.V, f.Set = false, true
		return nil
	}
	if len(s) > 0 && s[0] == '{' {
		var attr struct {
			Value *flexBool
		}
		if err := json.Unmarshal(b, &attr); err != nil {
			return err
		}
		if attr.Value != nil {
			*f = *attr.Value
		}
		return nil
	}
	return &fieldError{msg: fmt.Sprintf("want true or false, got %s", s)}
}
