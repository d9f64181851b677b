package terraform

import (
	"fmt"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// A value of a resource attribute: known, unknown until apply, or absent
// (null).
type val struct {
	v       any
	unknown bool
	// unkTree is after_unknown below this value (a map or list of marks).
	unkTree any
}

func (v val) null() bool { return v.v == nil && !v.unknown }

// get reads key of an object (a resource's values, a nested block).
func get(vals map[string]any, unk map[string]any, key string) val {
	u := unk[key]
	if b, ok := u.(bool); ok && b {
		return val{unknown: true}
	}
	return val{v: vals[key], unkTree: u}
}

// elems splits a list or set value into its elements with their unknown
// marks.
func (v val) elems() []val {
	xs, _ := v.v.([]any)
	us, _ := v.unkTree.([]any)
	out := make([]val, 0, len(xs)+len(us))
	for i, x := range xs {
		e := val{v: x}
		if i < len(us) {
			if b, ok := us[i].(bool); ok && b {
				e = val{unknown: true}
			} else {
				e.unkTree = us[i]
			}
		}
		out = append(out, e)
	}
	// after_unknown may mark elements past the known ones.
	for i := len(xs); i < len(us); i++ {
		if b, ok := us[i].(bool); ok && b {
			out = append(out, val{unknown: true})
		}
	}
	return out
}

// obj returns a nested object's values and unknown marks.
func (v val) obj() (map[string]any, map[string]any) {
	m, _ := v.v.(map[string]any)
	u, _ := v.unkTree.(map[string]any)
	return m, u
}

// hasUnknown reports whether anything in the value is unknown.
func (v val) hasUnknown() bool {
	if v.unknown {
		return true
	}
	return anyTrue(v.unkTree)
}

func anyTrue(u any) bool {
	switch x := u.(type) {
	case bool:
		return x
	case []any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}

// target is the instance (and attribute) an expression refers to.
type target struct {
	in   *inst
	attr string
}

// parsedRef is one reference string of a configuration expression:
// aws_subnet.public[0].id -> res aws_subnet.public, key [0], attr id.
type parsedRef struct {
	root string // aws_subnet.public, data.aws_vpc.x, var.x, module.m.out, local.x, count.index, each.key
	key  string
	attr string
}

func parseRef(s string) parsedRef {
	parts := splitTraversal(s)
	if len(parts) == 0 {
		return parsedRef{}
	}
	n := 2
	switch parts[0] {
	case "data":
		n = 3
	case "var", "local", "count", "each", "path", "terraform", "self":
		return parsedRef{root: strings.Join(parts[:min(2, len(parts))], ".")}
	case "module":
		if len(parts) < 2 {
			return parsedRef{root: s}
		}
		p := parsedRef{root: "module." + parts[1]}
		i := 2
		if i < len(parts) && strings.HasPrefix(parts[i], "[") {
			p.key = parts[i]
			i++
		}
		if i < len(parts) {
			p.attr = parts[i]
		}
		return p
	}
	if len(parts) < n {
		return parsedRef{root: s}
	}
	p := parsedRef{root: strings.Join(parts[:n], ".")}
	i := n
	if i < len(parts) && strings.HasPrefix(parts[i], "[") {
		p.key = parts[i]
		i++
	}
	if i < len(parts) && !strings.HasPrefix(parts[i], "[") {
		p.attr = parts[i]
	}
	return p
}

// splitTraversal splits a.b[0].c["x"] into a, b, [0], c, ["x"].
func splitTraversal(s string) []string {
	var out []string
	for len(s) > 0 {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			c := closingBracket(s)
			if c < 0 {
				return append(out, s)
			}
			out = append(out, s[:c+1])
			s = s[c+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				return append(out, s)
			}
			out = append(out, s[:end])
			s = s[end:]
		}
	}
	return out
}

// scope is where an expression is evaluated: a module instance, its
// configuration, and the instance key count.index / each.key stand for.
type scope struct {
	mod string
	cfg *tfjson.ConfigModule
	key any
	// peers is how many instances the referring resource has: an index by
	// count.index or each.key is read as the same key only in a resource
	// of as many instances.
	peers int
	// forEach is the referring resource's for_each expression: each.value
	// of for_each = aws_subnet.x is the instance aws_subnet.x[each.key].
	forEach *tfjson.Expression
}

func (r *reader) scopeOf(in *inst) scope {
	sc := scope{mod: in.mod, cfg: in.cfgMod, key: in.index, peers: len(r.byRes[resourceOf(in.addr)])}
	if in.cfg != nil {
		sc.forEach = in.cfg.ForEachExpression
	}
	return sc
}

// resolve returns the instances an expression's references name, or why
// they cannot be told.
func (r *reader) resolve(sc scope, e *tfjson.Expression, depth int) ([]target, string) {
	if e == nil || e.ExpressionData == nil {
		return nil, "the configuration does not show the expression"
	}
	if depth > 8 {
		return nil, "references nest too deep"
	}
	refs := e.References
	if len(refs) == 0 {
		return nil, "the expression names no resource"
	}
	usesCount, usesEach := false, false
	best := map[string]parsedRef{}
	var order []string
	for _, s := range refs {
		p := parseRef(s)
		switch p.root {
		case "count.index":
			usesCount = true
			continue
		case "each.key":
			usesEach = true
			continue
		case "each.value":
			usesEach = true
			if res := forEachResource(sc.forEach); res != "" {
				// each.value.id of for_each = aws_subnet.x.
				q := parsedRef{root: res}
				if parts := splitTraversal(s); len(parts) > 2 && !strings.HasPrefix(parts[2], "[") {
					q.attr = parts[2]
				}
				if sc.key != nil {
					q.key = indexString(sc.key)
				}
				p = q
				break
			}
			continue
		}
		prev, ok := best[p.root]
		if !ok {
			order = append(order, p.root)
		}
		if !ok || len(p.key)+len(p.attr) > len(prev.key)+len(prev.attr) {
			best[p.root] = p
		}
	}
	var out []target
	for _, root := range order {
		p := best[root]
		switch {
		case strings.HasPrefix(root, "var."):
			ts, why := r.resolveVar(sc, strings.TrimPrefix(root, "var."), depth)
			if why != "" {
				return nil, why
			}
			out = append(out, ts...)
		case strings.HasPrefix(root, "module."):
			ts, why := r.resolveOutput(sc, p, depth)
			if why != "" {
				return nil, why
			}
			out = append(out, ts...)
		case strings.HasPrefix(root, "local."), strings.HasPrefix(root, "path."), strings.HasPrefix(root, "terraform."), strings.HasPrefix(root, "self."):
			return nil, "it goes through " + root + ", which terraform show -json does not expand"
		default:
			t, why := r.resolveResource(sc, p, usesCount, usesEach)
			if why != "" {
				return nil, why
			}
			out = append(out, t...)
		}
	}
	if len(out) == 0 {
		return nil, "the expression names no resource"
	}
	return out, ""
}

func (r *reader) resolveResource(sc scope, p parsedRef, usesCount, usesEach bool) ([]target, string) {
	res := p.root
	if sc.mod != "" {
		res = sc.mod + "." + p.root
	}
	insts := r.byRes[res]
	if len(insts) == 0 {
		return nil, fmt.Sprintf("%s is not in the plan", res)
	}
	pick := func(in *inst) []target { return []target{{in: in, attr: p.attr}} }
	if p.key != "" {
		if in, ok := r.byAddr[res+p.key]; ok {
			return pick(in), ""
		}
		return nil, fmt.Sprintf("%s%s is not in the plan", res, p.key)
	}
	if len(insts) == 1 && insts[0].index == nil {
		return pick(insts[0]), ""
	}
	// Indexed by count.index or each.key: the instance of the same key, when
	// the referenced resource has exactly the referring resource's keys.
	if (usesCount || usesEach) && sc.key != nil && (sc.peers == 0 || sc.peers == len(insts)) {
		if in, ok := r.byAddr[res+indexString(sc.key)]; ok {
			return pick(in), ""
		}
	}
	if p.attr == "" && !usesCount && !usesEach {
		// The whole resource (a splat, for_each over it): every instance.
		out := make([]target, 0, len(insts))
		for _, in := range insts {
			out = append(out, target{in: in})
		}
		return out, ""
	}
	return nil, fmt.Sprintf("%s has %d instances and the reference does not say which", res, len(insts))
}

// resolveVar follows a module variable to the expression its module call
// passes.
func (r *reader) resolveVar(sc scope, name string, depth int) ([]target, string) {
	steps := moduleSteps(sc.mod)
	if len(steps) == 0 {
		// A root variable is known at plan time: it names no resource.
		return nil, ""
	}
	parentMod := parentModule(sc.mod)
	parent := r.configModule(parentMod)
	if parent == nil {
		return nil, "the configuration of " + sc.mod + " is not in the plan"
	}
	last := steps[len(steps)-1]
	call := parent.ModuleCalls[last.name]
	if call == nil {
		return nil, "the call of " + sc.mod + " is not in the plan"
	}
	e := call.Expressions[name]
	if e == nil {
		// Its default, known at plan time.
		return nil, ""
	}
	var key any
	if last.key != "" {
		key = parseKey(last.key)
	}
	return r.resolve(scope{mod: parentMod, cfg: parent, key: key}, e, depth+1)
}

// resolveOutput follows module.m.out to the output's expression.
func (r *reader) resolveOutput(sc scope, p parsedRef, depth int) ([]target, string) {
	name := strings.TrimPrefix(p.root, "module.")
	if sc.cfg == nil {
		return nil, "the configuration is not in the plan"
	}
	call := sc.cfg.ModuleCalls[name]
	if call == nil || call.Module == nil {
		return nil, p.root + " is not in the configuration"
	}
	if p.attr == "" {
		return nil, p.root + " is used whole"
	}
	out := call.Module.Outputs[p.attr]
	if out == nil {
		return nil, p.root + "." + p.attr + " is not an output of the module"
	}
	child := p.root
	if sc.mod != "" {
		child = sc.mod + "." + p.root
	}
	child += p.key
	if p.key == "" && (call.CountExpression != nil || call.ForEachExpression != nil) {
		return nil, p.root + " has several instances and the reference does not say which"
	}
	return r.resolve(scope{mod: child, cfg: call.Module}, out.Expression, depth+1)
}

func parentModule(mod string) string {
	steps := moduleSteps(mod)
	var b strings.Builder
	for _, s := range steps[:len(steps)-1] {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module." + s.name + s.key)
	}
	return b.String()
}

func parseKey(k string) any {
	k = strings.TrimSuffix(strings.TrimPrefix(k, "["), "]")
	if s, err := strconv.Unquote(k); err == nil {
		return s
	}
	if f, err := strconv.ParseFloat(k, 64); err == nil {
		return f
	}
	return nil
}

// exprAt finds the configuration expression of key under a nested block
// path; nil when not shown.
func exprOf(m map[string]*tfjson.Expression, key string) *tfjson.Expression {
	if m == nil {
		return nil
	}
	return m[key]
}

// forEachResource is the one resource a for_each expression iterates
// over (for_each = aws_subnet.x), or "".
func forEachResource(e *tfjson.Expression) string {
	if e == nil || e.ExpressionData == nil {
		return ""
	}
	root := ""
	for _, s := range e.References {
		p := parseRef(s)
		switch {
		case strings.HasPrefix(p.root, "var."), strings.HasPrefix(p.root, "local."), strings.HasPrefix(p.root, "module."),
			strings.HasPrefix(p.root, "each."), strings.HasPrefix(p.root, "count."), p.root == "":
			return ""
		case p.key != "" || p.attr != "":
			return ""
		case root != "" && root != p.root:
			return ""
		}
		root = p.root
	}
	return root
}
