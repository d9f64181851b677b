package cloudformation

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
)

// checkDependencies rejects what CloudFormation rejects before creating
// anything: a DependsOn naming no resource of the template, and resources
// that depend on each other in a circle, through DependsOn or through
// Ref, Fn::GetAtt and Fn::Sub in their properties ("Template format error:
// Circular dependency between resources"). The implicit dependencies are
// those of
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html;
// they count in every branch of an Fn::If, as CloudFormation validates the
// template before it knows the conditions.
func (s *stack) checkDependencies() error {
	deps := make(map[string][]dep, len(s.order))
	for _, rs := range s.order {
		var ds []dep
		if d := rs.raw.Get("DependsOn"); d != nil {
			var names []*Value
			switch d.Kind {
			case Scalar:
				names = []*Value{d}
			case List:
				names = d.L
			default:
				return &diag.Error{File: s.file, Line: d.Line, Resource: rs.id, Code: "bad-template", Message: "DependsOn must be a resource name or a list of them"}
			}
			for _, n := range names {
				if n.Kind != Scalar {
					return &diag.Error{File: s.file, Line: n.Line, Resource: rs.id, Code: "bad-template", Message: "DependsOn must be a resource name or a list of them"}
				}
				if _, ok := s.resources[n.S]; !ok {
					return &diag.Error{File: s.file, Line: n.Line, Resource: rs.id, Code: "unresolved-reference",
						Message: "DependsOn names " + n.S + ", which is not a resource of the template"}
				}
				ds = append(ds, dep{to: n.S, line: n.Line, how: "DependsOn"})
			}
		}
		ds = s.refsIn(rs.raw.Get("Properties"), ds, 0)
		deps[rs.logical] = ds
	}
	// Depth-first search for a circle, in the template's order so that the
	// one reported is always the same.
	const (
		unseen = iota
		open
		closed
	)
	state := make(map[string]int, len(s.order))
	var path []dep
	var visit func(name string) []dep
	visit = func(name string) []dep {
		state[name] = open
		for _, d := range deps[name] {
			switch state[d.to] {
			case open:
				// The circle is the part of the path from d.to on (none
				// of it when name depends on itself).
				start := len(path)
				for i, p := range path {
					if p.from == d.to {
						start = i
						break
					}
				}
				d.from = name
				return append(append([]dep{}, path[start:]...), d)
			case unseen:
				d.from = name
				path = append(path, d)
				if c := visit(d.to); c != nil {
					return c
				}
				path = path[:len(path)-1]
			}
		}
		state[name] = closed
		return nil
	}
	for _, rs := range s.order {
		if state[rs.logical] != unseen {
			continue
		}
		path = path[:0]
		if c := visit(rs.logical); c != nil {
			return s.circle(c)
		}
	}
	return nil
}

// dep is one resource's dependency on another, where it is written.
type dep struct {
	from, to string
	line     int
	how      string // DependsOn, Ref, Fn::GetAtt, Fn::Sub
}

// circle is the error of resources depending on each other in a circle.
func (s *stack) circle(c []dep) error {
	names := make([]string, 0, len(c))
	var b strings.Builder
	for i, d := range c {
		names = append(names, s.prefix+d.from)
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.prefix + d.from + " -> " + s.prefix + d.to + " (" + d.how + ", line " + itoa(d.line) + ")")
	}
	sorted := append([]string{}, names...)
	sort.Strings(sorted)
	return &diag.Error{File: s.file, Line: c[0].line, Resource: s.prefix + c[0].from, Code: "circular-dependency",
		Message: "circular dependency between resources [" + strings.Join(sorted, ", ") + "]: " + b.String() + "; CloudFormation rejects the template"}
}

func itoa(n int) string {
	if n <= 0 {
		return "?"
	}
	return strconv.Itoa(n)
}

// refsIn adds to ds the resources v refers to with Ref, Fn::GetAtt and
// Fn::Sub (parameters and pseudo parameters are not resources).
func (s *stack) refsIn(v *Value, ds []dep, depth int) []dep {
	if v == nil || depth > maxDepth {
		return ds
	}
	switch v.Kind {
	case List:
		for _, x := range v.L {
			ds = s.refsIn(x, ds, depth+1)
		}
	case Map:
		if k, arg, ok := v.single(); ok {
			switch k {
			case "Ref":
				if arg.Kind == Scalar {
					ds = s.resourceDep(ds, arg.S, v.Line, "Ref")
				}
				return ds
			case "Fn::GetAtt":
				switch {
				case arg.Kind == Scalar:
					name, _, _ := strings.Cut(arg.S, ".")
					ds = s.resourceDep(ds, name, v.Line, "Fn::GetAtt")
				case arg.Kind == List && len(arg.L) > 0 && arg.L[0].Kind == Scalar:
					ds = s.resourceDep(ds, arg.L[0].S, v.Line, "Fn::GetAtt")
				}
				return ds
			case "Fn::Sub":
				tmpl, vars := arg, (*Value)(nil)
				if arg.Kind == List && len(arg.L) > 0 {
					tmpl = arg.L[0]
					if len(arg.L) > 1 {
						vars = arg.L[1]
						ds = s.refsIn(vars, ds, depth+1)
					}
				}
				if tmpl.Kind == Scalar {
					for _, name := range subNames(tmpl.S) {
						if vars != nil && vars.Kind == Map && vars.M[name] != nil {
							continue
						}
						res, _, _ := strings.Cut(name, ".")
						ds = s.resourceDep(ds, res, v.Line, "Fn::Sub")
					}
				} else {
					ds = s.refsIn(tmpl, ds, depth+1)
				}
				return ds
			}
		}
		for _, k := range v.Keys {
			ds = s.refsIn(v.M[k], ds, depth+1)
		}
	}
	return ds
}

// resourceDep adds a dependency on name when it is a resource of the
// stack and not a parameter (a parameter hides a resource of its name).
func (s *stack) resourceDep(ds []dep, name string, line int, how string) []dep {
	if _, ok := s.resources[name]; !ok {
		return ds
	}
	if _, isParam := s.params[name]; isParam {
		return ds
	}
	return append(ds, dep{to: name, line: line, how: how})
}

// subNames lists the ${Name} and ${Name.Attr} variables of an Fn::Sub
// template, leaving out the ${!Literal} ones.
func subNames(str string) []string {
	var out []string
	for {
		i := strings.Index(str, "${")
		if i < 0 {
			return out
		}
		j := strings.IndexByte(str[i:], '}')
		if j < 0 {
			return out
		}
		name := strings.TrimSpace(str[i+2 : i+j])
		str = str[i+j+1:]
		if name != "" && !strings.HasPrefix(name, "!") {
			out = append(out, name)
		}
	}
}
