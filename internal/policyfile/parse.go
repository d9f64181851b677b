// Package policyfile reads vpcreach policy files (docs/policy.md) into
// policy.Policy with go.yaml.in/yaml/v3 nodes, so every error names the
// file, the line and a stable code.
package policyfile

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/policy"
)

// ParseFile reads and parses a policy file.
func ParseFile(file string) (*policy.Policy, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &diag.Error{File: file, Code: "unreadable-policy", Message: "cannot read the policy", Err: err}
	}
	return Parse(file, data)
}

// Parse parses a policy; file names it in errors.
func Parse(file string, data []byte) (*policy.Policy, error) {
	p := &parser{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		line := 0
		msg := err.Error()
		// yaml.v3 says "yaml: line N: ...".
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if i := strings.Index(rest, ":"); i > 0 {
				if n, err := strconv.Atoi(rest[:i]); err == nil {
					line, msg = n, strings.TrimSpace(rest[i+1:])
				}
			}
		}
		if err.Error() == "EOF" {
			msg = "the file is empty: want a map with rules"
		}
		return nil, diag.Errorf(file, line, policy.CodeSyntax, "%s", msg)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	pol := &policy.Policy{File: file}
	if err := p.policy(root, pol); err != nil {
		return nil, err
	}
	return pol, nil
}

type parser struct{ file string }

func (p *parser) errf(n *yaml.Node, code, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return diag.Errorf(p.file, line, code, format, args...)
}

// fields walks a mapping node, rejecting keys outside allowed.
func (p *parser) fields(n *yaml.Node, what string, allowed []string, fn func(key string, k, v *yaml.Node) error) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return p.errf(n, policy.CodeShape, "%s: want a map, got %s", what, kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		key := k.Value
		ok := false
		for _, a := range allowed {
			if a == key {
				ok = true
			}
		}
		if !ok {
			return p.errf(k, policy.CodeUnknownKey, "%s: unknown key %q (want one of %s)", what, key, strings.Join(allowed, ", "))
		}
		if seen[key] {
			return p.errf(k, policy.CodeShape, "%s: key %q given twice", what, key)
		}
		seen[key] = true
		if err := fn(key, k, v); err != nil {
			return err
		}
	}
	return nil
}

// deref follows YAML aliases (*x) to the node they name; an alias of an
// alias is followed a few times, never expanded.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

func (p *parser) scalar(n *yaml.Node, what string) (string, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
		return "", p.errf(n, policy.CodeShape, "%s: want a value, got %s", what, kindName(n))
	}
	return n.Value, nil
}

func (p *parser) policy(root *yaml.Node, pol *policy.Policy) error {
	var rules *yaml.Node
	err := p.fields(root, "policy", []string{"rules"}, func(_ string, _, v *yaml.Node) error {
		rules = v
		return nil
	})
	if err != nil {
		return err
	}
	if rules == nil || rules.Kind != yaml.SequenceNode || len(rules.Content) == 0 {
		return p.errf(root, policy.CodeShape, "policy: want rules, a list of at least one rule")
	}
	ids := map[string]int{}
	for _, rn := range rules.Content {
		r, err := p.rule(rn)
		if err != nil {
			return err
		}
		if first, dup := ids[r.ID]; dup {
			return p.errf(rn, policy.CodeDuplicateID, "rule id %q is already the id of the rule at line %d", r.ID, first)
		}
		ids[r.ID] = r.Line
		pol.Rules = append(pol.Rules, r)
	}
	return nil
}

func (p *parser) rule(n *yaml.Node) (policy.Rule, error) {
	r := policy.Rule{Line: n.Line}
	var body, bodyKey *yaml.Node
	err := p.fields(n, "rule", []string{"id", "description", "deny", "require"}, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "id":
			r.ID, err = p.scalar(v, "id")
		case "description":
			r.Description, err = p.scalar(v, "description")
		case "deny", "require":
			if body != nil {
				return p.errf(k, policy.CodeDenyAndRequire, "rule %s: has both deny and require: a rule is exactly one of them", orLine(r.ID, n))
			}
			body, bodyKey, r.Kind = v, k, policy.Kind(key)
		}
		return err
	})
	if err != nil {
		return r, err
	}
	if r.ID == "" {
		return r, p.errf(n, policy.CodeMissingID, "rule without id: every rule needs a unique id")
	}
	if body == nil {
		return r, p.errf(n, policy.CodeNoDenyOrRequire, "rule %s: needs deny or require", r.ID)
	}
	r.Protocol = model.ProtoAll
	var from, to *yaml.Node
	var portsNode *yaml.Node
	what := "rule " + r.ID + " " + string(r.Kind)
	err = p.fields(body, what, []string{"from", "to", "protocol", "ports"}, func(key string, _, v *yaml.Node) error {
		switch key {
		case "from":
			from = v
		case "to":
			to = v
		case "protocol":
			s, err := p.scalar(v, what+" protocol")
			if err != nil {
				return err
			}
			switch strings.ToLower(s) {
			case "tcp":
				r.Protocol = model.ProtoTCP
			case "udp":
				r.Protocol = model.ProtoUDP
			case "icmp":
				r.Protocol = model.ProtoICMP
			case "all", "-1":
				r.Protocol = model.ProtoAll
			default:
				return p.errf(v, policy.CodeBadProtocol, "%s: protocol %q: want tcp, udp, icmp or all", what, s)
			}
		case "ports":
			portsNode = v
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	if from == nil || to == nil {
		return r, p.errf(bodyKey, policy.CodeShape, "%s: needs from and to", what)
	}
	if r.From, err = p.selector(from, what+" from"); err != nil {
		return r, err
	}
	if r.To, err = p.selector(to, what+" to"); err != nil {
		return r, err
	}
	if portsNode != nil {
		if r.Protocol == model.ProtoICMP {
			return r, p.errf(portsNode, policy.CodeBadPorts, "%s: ports: icmp has no ports", what)
		}
		pr, err := p.ports(portsNode, what)
		if err != nil {
			return r, err
		}
		r.Ports = &pr
	}
	return r, nil
}

func orLine(id string, n *yaml.Node) string {
	if id != "" {
		return id
	}
	return fmt.Sprintf("at line %d", n.Line)
}

func (p *parser) ports(n *yaml.Node, what string) (model.PortRange, error) {
	s, err := p.scalar(n, what+" ports")
	if err != nil {
		return model.PortRange{}, err
	}
	bad := func() (model.PortRange, error) {
		return model.PortRange{}, p.errf(n, policy.CodeBadPorts, "%s: ports %q: want a port 0-65535 or a range \"N-M\" with N <= M", what, s)
	}
	lo, hi, isRange := strings.Cut(s, "-")
	a, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil || a < 0 || a > 65535 {
		return bad()
	}
	b := a
	if isRange {
		if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil || b < a || b > 65535 {
			return bad()
		}
	}
	return model.PortRange{From: uint16(a), To: uint16(b)}, nil
}

func (p *parser) selector(n *yaml.Node, what string) (policy.Selector, error) {
	n = deref(n)
	sel := policy.Selector{Line: n.Line}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		if len(n.Content) == 0 {
			return sel, p.errf(n, policy.CodeBadSelector, "%s: an empty list selects nothing", what)
		}
		items = n.Content
	}
	for _, it := range items {
		t, err := p.term(it, what)
		if err != nil {
			return sel, err
		}
		sel.Terms = append(sel.Terms, t)
	}
	return sel, nil
}

func (p *parser) term(n *yaml.Node, what string) (policy.Term, error) {
	n = deref(n)
	t := policy.Term{Line: n.Line}
	if n.Kind == yaml.ScalarNode {
		s, err := p.scalar(n, what)
		if err != nil {
			return t, err
		}
		t.Ref = s
		return t, nil
	}
	if n.Kind != yaml.MappingNode {
		return t, p.errf(n, policy.CodeBadSelector, "%s: want a REF or a map of id, tag, type, vpc, subnet, cidr; got %s", what, kindName(n))
	}
	err := p.fields(n, what, []string{"id", "tag", "type", "vpc", "subnet", "cidr"}, func(key string, _, v *yaml.Node) error {
		if key == "tag" {
			return p.tags(v, what, &t)
		}
		s, err := p.scalar(v, what+" "+key)
		if err != nil {
			return err
		}
		switch key {
		case "id":
			t.ID = s
		case "type":
			t.Type = s
		case "vpc":
			t.VPC = s
		case "subnet":
			t.Subnet = s
		case "cidr":
			pfx, err := netip.ParsePrefix(s)
			if err != nil {
				return p.errf(v, policy.CodeBadSelector, "%s: cidr %q: %v", what, s, err)
			}
			t.CIDR = pfx.Masked()
		}
		return nil
	})
	if err != nil {
		return t, err
	}
	if len(n.Content) == 0 {
		return t, p.errf(n, policy.CodeBadSelector, "%s: an empty map selects nothing: give id, tag, type, vpc, subnet or cidr", what)
	}
	return t, nil
}

// tags reads `tag: {Key: Value, ...}`: every pair must hold.
func (p *parser) tags(n *yaml.Node, what string, t *policy.Term) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return p.errf(n, policy.CodeBadSelector, "%s tag: want a map of tag keys to values, got %s", what, kindName(n))
	}
	t.Tags = map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if _, dup := t.Tags[k.Value]; dup {
			return p.errf(k, policy.CodeBadSelector, "%s tag: key %q given twice", what, k.Value)
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return p.errf(v, policy.CodeBadSelector, "%s tag %s: want a value, got %s", what, k.Value, kindName(v))
		}
		t.Tags[k.Value] = v.Value
	}
	return nil
}
