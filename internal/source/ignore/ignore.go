// Package ignore reads an ignore file (--ignore FILE): a YAML list of
// deliberate suppressions, each naming a resource and a reason.
//
//   - resource: sg-0123456789abcdef0   # AWS ID, logical ID or Name tag (required)
//     rule: internet-admin-port        # lint rule ID or exposure kind (optional)
//     edge: internet                   # edge kind or ID (optional, exposure only)
//     ports: 22                        # N or "N-M" (optional, exposure only)
//     reason: the bastion is the way in (required)
//     expires: 2027-06-30              # last day it applies (optional)
//
// The file may also be a map with the list under "suppress". Every error
// names the file and line (docs/suppressions.md).
package ignore

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/suppress"
)

// Read reads an ignore file.
func Read(path string) ([]suppress.Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &diag.Error{File: path, Code: "unreadable", Message: "cannot read the ignore file", Err: err}
	}
	return Parse(path, b)
}

// Parse reads the text of an ignore file named path.
func Parse(path string, b []byte) ([]suppress.Entry, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &diag.Error{File: path, Code: "bad-ignore-file", Message: "not YAML", Err: err}
	}
	if len(doc.Content) == 0 {
		return nil, diag.Errorf(path, 0, "bad-ignore-file", "the ignore file is empty: want a list of entries, each with resource and reason")
	}
	list := doc.Content[0]
	if list.Kind == yaml.MappingNode {
		var found *yaml.Node
		for i := 0; i+1 < len(list.Content); i += 2 {
			if k := list.Content[i]; k.Value == "suppress" {
				found = list.Content[i+1]
			} else {
				return nil, diag.Errorf(path, k.Line, "bad-ignore-file", "unknown key %q: want suppress", k.Value)
			}
		}
		if found == nil {
			return nil, diag.Errorf(path, list.Line, "bad-ignore-file", "no suppress list")
		}
		list = found
	}
	if list.Kind != yaml.SequenceNode {
		return nil, diag.Errorf(path, list.Line, "bad-ignore-file", "want a list of entries, each with resource and reason")
	}
	var out []suppress.Entry
	for _, item := range list.Content {
		e, err := entry(path, item)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func entry(path string, n *yaml.Node) (suppress.Entry, error) {
	bad := func(line int, format string, args ...any) error {
		return diag.Errorf(path, line, "bad-ignore-file", format, args...)
	}
	if n.Kind != yaml.MappingNode {
		return suppress.Entry{}, bad(n.Line, "an entry must be a map with resource and reason")
	}
	e := suppress.Entry{Origin: model.Origin{File: path, Line: n.Line}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return e, bad(v.Line, "%s must be a single value", k.Value)
		}
		val := strings.TrimSpace(v.Value)
		switch k.Value {
		case "resource":
			e.Resource = val
		case "rule":
			if err := suppress.CheckRule(val); err != nil {
				return e, bad(v.Line, "%v", err)
			}
			e.Rule = val
		case "edge":
			e.Edge = val
		case "ports":
			pr, err := ports(val)
			if err != nil {
				return e, bad(v.Line, "%v", err)
			}
			e.Ports = &pr
		case "reason":
			e.Reason = val
		case "expires":
			if err := suppress.CheckExpires(val); err != nil {
				return e, bad(v.Line, "%v", err)
			}
			e.Expires = val
		default:
			return e, bad(k.Line, "unknown key %q: want resource, rule, edge, ports, reason, expires", k.Value)
		}
	}
	if e.Resource == "" {
		return e, bad(n.Line, "the entry names no resource")
	}
	if e.Reason == "" {
		return e, bad(n.Line, "the entry for %s has no reason: say why the finding is accepted", e.Resource)
	}
	return e, nil
}

// ports reads N or N-M.
func ports(s string) (model.PortRange, error) {
	lo, hi, found := strings.Cut(s, "-")
	if !found {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || a < 0 || b > 65535 || a > b {
		return model.PortRange{}, fmt.Errorf("ports %q: want N or N-M within 0-65535", s)
	}
	return model.PortRange{From: uint16(a), To: uint16(b)}, nil
}
