package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// maxNodes bounds the size of a parsed template, aliases expanded, so that
// a hostile file (YAML "billion laughs") cannot exhaust memory; maxAlias
// bounds the part aliases add.
const (
	maxNodes = limits.TemplateNodes
	maxAlias = limits.AliasNodes
)

// maxDepth bounds the nesting of a template.
const maxDepth = limits.TemplateDepth

// shortForms maps the YAML short-form tags to the long names.
var shortForms = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!Base64":       "Fn::Base64",
	"!Cidr":         "Fn::Cidr",
	"!FindInMap":    "Fn::FindInMap",
	"!GetAtt":       "Fn::GetAtt",
	"!GetAZs":       "Fn::GetAZs",
	"!ImportValue":  "Fn::ImportValue",
	"!Join":         "Fn::Join",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!Sub":          "Fn::Sub",
	"!Transform":    "Fn::Transform",
	"!And":          "Fn::And",
	"!Equals":       "Fn::Equals",
	"!If":           "Fn::If",
	"!Not":          "Fn::Not",
	"!Or":           "Fn::Or",
	"!Length":       "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
	// Rule functions (Rules section only; never evaluated here).
	"!Contains":         "Fn::Contains",
	"!EachMemberEquals": "Fn::EachMemberEquals",
	"!EachMemberIn":     "Fn::EachMemberIn",
	"!RefAll":           "Fn::RefAll",
	"!ValueOf":          "Fn::ValueOf",
	"!ValueOfAll":       "Fn::ValueOfAll",
}

// parse reads a YAML or JSON template into a Value tree with line numbers.
func parse(file string, data []byte) (*Value, error) {
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		v, err := parseJSON(file, data)
		if err == nil {
			return v, nil
		}
		// Not valid JSON: YAML flow syntax is a superset, try it.
		if y, yerr := parseYAML(file, data); yerr == nil {
			return y, nil
		}
		return nil, err
	}
	return parseYAML(file, data)
}

type yamlWalker struct {
	file  string
	nodes int
	// inAlias is how many aliases the node being walked is under, and
	// aliased how many nodes were walked under one.
	inAlias, aliased int
}

func parseYAML(file string, data []byte) (*Value, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, diag.Errorf(file, 0, "bad-template", "the file is empty")
		}
		return nil, &diag.Error{File: file, Line: yamlErrLine(err), Code: "bad-template", Message: "not valid YAML or JSON", Err: err}
	}
	w := &yamlWalker{file: file}
	return w.walk(&doc, 0)
}

// yamlErrLine pulls "line N" out of a yaml.v3 error message.
func yamlErrLine(err error) int {
	var n int
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		fmt.Sscanf(s[i+5:], "%d", &n)
	}
	return n
}

func (w *yamlWalker) walk(n *yaml.Node, depth int) (*Value, error) {
	w.nodes++
	if w.nodes > maxNodes {
		return nil, limits.Errorf(w.file, n.Line, "", "", "the template is too large: more than %d values, YAML aliases expanded", maxNodes)
	}
	if w.inAlias > 0 {
		w.aliased++
		if w.aliased > maxAlias {
			return nil, limits.Errorf(w.file, n.Line, "", "", "YAML aliases expand to more than %d values (an alias bomb?)", maxAlias)
		}
	}
	if depth > maxDepth {
		return nil, limits.Errorf(w.file, n.Line, "", "", "the template nests deeper than %d levels", maxDepth)
	}
	if n.Kind == yaml.ScalarNode && len(n.Value) > limits.StringBytes {
		return nil, limits.Errorf(w.file, n.Line, "", "", "a string longer than %s", limits.Size(limits.StringBytes))
	}
	var v *Value
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &Value{Kind: Null, Line: n.Line}, nil
		}
		return w.walk(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, diag.Errorf(w.file, n.Line, "bad-template", "unresolved YAML alias")
		}
		w.inAlias++
		v, err := w.walk(n.Alias, depth+1)
		w.inAlias--
		return v, err
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			v = &Value{Kind: Null, Line: n.Line}
		case "!!int", "!!float", "!!bool":
			v = scalar(n.Value, n.Line)
			v.Tag = n.Tag
		default:
			v = scalar(n.Value, n.Line)
		}
	case yaml.SequenceNode:
		v = &Value{Kind: List, Line: n.Line, L: make([]*Value, 0, len(n.Content))}
		for _, c := range n.Content {
			x, err := w.walk(c, depth+1)
			if err != nil {
				return nil, err
			}
			v.L = append(v.L, x)
		}
	case yaml.MappingNode:
		v = newMap(n.Line)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
				m, err := w.walk(val, depth+1)
				if err != nil {
					return nil, err
				}
				for _, x := range mergeSources(m) {
					for _, mk := range x.Keys {
						if _, ok := v.M[mk]; !ok {
							v.set(mk, x.M[mk])
						}
					}
				}
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, diag.Errorf(w.file, k.Line, "bad-template", "a map key must be a string")
			}
			x, err := w.walk(val, depth+1)
			if err != nil {
				return nil, err
			}
			v.set(k.Value, x)
		}
	default:
		return nil, diag.Errorf(w.file, n.Line, "bad-template", "unexpected YAML node")
	}
	if n.Tag != "" && strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		long, ok := shortForms[n.Tag]
		if !ok && strings.HasPrefix(n.Tag, "!Rain::") {
			return nil, diag.Errorf(w.file, n.Line, "bad-template", "%s is a Rain directive, not CloudFormation: package the template with `rain pkg` first", n.Tag)
		}
		if !ok {
			return nil, diag.Errorf(w.file, n.Line, "bad-template", "unknown tag %s: not a CloudFormation intrinsic function", n.Tag)
		}
		if long == "Fn::GetAtt" && v.Kind == Scalar {
			// !GetAtt A.B is the string form; keep it, the evaluator splits it.
		}
		if long == "Fn::GetAZs" && v.Kind == Null {
			v = scalar("", n.Line)
		}
		m := newMap(n.Line)
		m.Tag = n.Tag
		m.set(long, v)
		return m, nil
	}
	return v, nil
}

func mergeSources(m *Value) []*Value {
	switch m.Kind {
	case Map:
		return []*Value{m}
	case List:
		var out []*Value
		for _, x := range m.L {
			if x.Kind == Map {
				out = append(out, x)
			}
		}
		return out
	}
	return nil
}

// jsonParser reads JSON with encoding/json's tokenizer and maps offsets to lines.
type jsonParser struct {
	file  string
	dec   *json.Decoder
	lines []int // offsets of line starts
	nodes int
}

func parseJSON(file string, data []byte) (*Value, error) {
	p := &jsonParser{file: file, dec: json.NewDecoder(bytes.NewReader(data)), lines: []int{0}}
	p.dec.UseNumber()
	for i, c := range data {
		if c == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, diag.Errorf(file, p.line(), "bad-template", "unexpected data after the JSON template")
	}
	return v, nil
}

func (p *jsonParser) line() int {
	off := int(p.dec.InputOffset())
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

func (p *jsonParser) fail(err error) error {
	var se *json.SyntaxError
	line := p.line()
	if errors.As(err, &se) {
		off := int(se.Offset)
		line = sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &diag.Error{File: p.file, Line: line, Code: "bad-template", Message: "not valid JSON", Err: err}
}

func (p *jsonParser) value(depth int) (*Value, error) {
	p.nodes++
	if p.nodes > maxNodes {
		return nil, limits.Errorf(p.file, p.line(), "", "", "the template is too large: more than %d values", maxNodes)
	}
	if depth > maxDepth {
		return nil, limits.Errorf(p.file, p.line(), "", "", "the template nests deeper than %d levels", maxDepth)
	}
	// The line of a token is the line where it ends; for the tokens read
	// here (short scalars and brackets) that is where it starts.
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.fail(err)
	}
	line := p.line()
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := newMap(line)
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.fail(err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, diag.Errorf(p.file, p.line(), "bad-template", "a map key must be a string")
				}
				kl := p.line()
				x, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				if x.Kind == Map || x.Kind == List {
					x.Line = kl
				}
				m.set(k, x)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.fail(err)
			}
			return m, nil
		case '[':
			l := &Value{Kind: List, Line: line}
			for p.dec.More() {
				x, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				l.L = append(l.L, x)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.fail(err)
			}
			return l, nil
		}
	case string:
		if len(t) > limits.StringBytes {
			return nil, limits.Errorf(p.file, line, "", "", "a string longer than %s", limits.Size(limits.StringBytes))
		}
		return scalar(t, line), nil
	case json.Number:
		v := scalar(t.String(), line)
		v.Tag = "!!float"
		return v, nil
	case bool:
		v := scalar("false", line)
		if t {
			v.S = "true"
		}
		v.Tag = "!!bool"
		return v, nil
	case nil:
		return &Value{Kind: Null, Line: line}, nil
	}
	return nil, diag.Errorf(p.file, line, "bad-template", "unexpected JSON token")
}
