// Package cloudformation evaluates a CloudFormation template the way
// CloudFormation would deploy it and fills the model with the result.
//
// The template is parsed into a Value tree that keeps line numbers and the
// YAML short forms (!Ref, !GetAtt, ...); an evaluator resolves parameters,
// pseudo parameters, mappings, conditions and every intrinsic function.
// Values the template alone cannot fix (a parameter without value, an
// Fn::ImportValue, an address AWS picks at deploy time) are Unknown values:
// they flow through every function and land in the model as
// Meta.Unknowns, PeerUnknown, NACLEntry.CIDRUnknown, Route.DestinationUnknown,
// PrivateIP.PublicUnknown or model.UnknownFlag, so that analyses widen them.
//
// Assumptions, documented because a template does not say:
//   - AWS::Region is Options.Region, else us-east-1.
//   - AWS::AccountId is Options.Account, else unknown.
//   - AWS::StackName is the file name without its extension.
//   - Fn::GetAZs returns the zones of availabilityZones (three, a to c,
//     for most regions).
//   - A resource whose Condition is unknown is read as deployed, with a
//     Meta.Unknowns entry naming the condition; an Fn::If on an unknown
//     condition is unknown, or the union of its branches where a list of
//     groups, subnets or rules is read.
//
// Element IDs are logical IDs (Parent/Child inside nested stacks). What AWS
// creates along with a resource is named after it: VPC/DefaultSecurityGroup,
// VPC/DefaultNetworkAcl, VPC/MainRouteTable, TGW/DefaultRouteTable, and
// Instance/eni0 (one interface per device index, subnet or address for
// instances, Auto Scaling groups, endpoints, load balancers and services).
// When another source already holds one of a template's logical IDs, the
// template's IDs are prefixed with its file name.
package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
	"github.com/vpcreach/vpcreach/internal/source/srcfile"
)

// Options are the values a template takes from outside.
type Options struct {
	// Params are parameter values (--param, --params), by name.
	Params map[string]string
	// Region and Account are the pseudo parameters when given.
	Region  string
	Account string
	// DefaultEgressIPv6 also adds the ::/0 allow-all egress rule to a
	// security group that states no egress, as CloudFormation's
	// documentation says; observed behaviour (and the default here) is
	// IPv4 only (aws-behaviour.md R8.2).
	DefaultEgressIPv6 bool
	// Limits bound the evaluation (nested stacks, resources, file size);
	// unset fields take their defaults.
	Limits limits.Limits
}

// DefaultRegion is AWS::Region when Options.Region is empty.
const DefaultRegion = "us-east-1"

// maxStackDepth bounds nested stacks.
const maxStackDepth = 8

// Read evaluates the template at path and adds its resources to n.
// Input that cannot be read is a *diag.Error.
func Read(path string, opts Options, n *model.Network) error {
	return ReadContext(context.Background(), path, opts, n)
}

// ReadContext is Read stopping with ctx's error soon after ctx is
// cancelled.
func ReadContext(ctx context.Context, path string, opts Options, n *model.Network) (err error) {
	defer func() {
		// A bug here must not take the command down: report it as input
		// that could not be read, naming the file.
		if p := recover(); p != nil {
			err = diag.Errorf(path, 0, "internal-error", "reading the template failed: %v", p)
		}
	}()
	opts.Limits = opts.Limits.WithDefaults()
	r := &reader{ctx: ctx, opts: opts, n: n, region: opts.Region, b: newBuilder(n)}
	if r.region == "" {
		r.region = DefaultRegion
	}
	r.b.r = r
	top, err := r.load(path, "", nil, 0)
	if err != nil {
		return err
	}
	_ = top
	return r.b.run()
}

type reader struct {
	ctx    context.Context
	opts   Options
	n      *model.Network
	region string
	b      *builder
	stacks []*stack
	// children are the nested stacks read, by their prefix.
	children map[string]*stack
	// open are the templates being read, outermost first, with the
	// resource that nests the next one: a loop is reported as this chain.
	open  []nesting
	tried map[string]bool // nested stacks read on demand
	// nestedRead and resources count what the evaluation read, against
	// Options.Limits.
	nestedRead, resources int
	// evals counts evaluations, to look at ctx every few of them.
	evals int
}

// errNestedLoop marks the error of a nested-stack loop, which names its
// whole chain already.
var errNestedLoop = errors.New("nested stack")

// nesting is a template being read and, once it nests another, the
// resource that does, at its line.
type nesting struct {
	file, abs string
	line      int
	id        string
}

// chain writes the nesting from the outermost template to the one at i.
func (r *reader) chain(from int, last string) string {
	var b strings.Builder
	for _, o := range r.open[from:] {
		fmt.Fprintf(&b, "%s:%d (%s) -> ", o.file, o.line, o.id)
	}
	b.WriteString(last)
	return b.String()
}

// cancelled returns ctx's error, looking at it every few calls.
func (r *reader) cancelled() error {
	r.evals++
	if r.evals%256 != 0 {
		return nil
	}
	return r.ctxErr()
}

// ctxErr is ctx's error; a reader without a context is never cancelled.
func (r *reader) ctxErr() error {
	if r.ctx == nil {
		return nil
	}
	return r.ctx.Err()
}

// load parses a template file and prepares its stack.
func (r *reader) load(path, prefix string, params map[string]*Value, depth int) (*stack, error) {
	if err := r.ctxErr(); err != nil {
		return nil, err
	}
	if depth > maxStackDepth {
		return nil, diag.Errorf(path, 0, "bad-template", "nested stacks deeper than %d levels: %s", maxStackDepth, r.chain(0, path))
	}
	abs, _ := filepath.Abs(path)
	for i, o := range r.open {
		if o.abs == abs {
			top := r.open[len(r.open)-1]
			what := "nested stacks include each other in a loop: "
			if i == len(r.open)-1 {
				what = "the template includes itself as a nested stack: "
			}
			return nil, &diag.Error{File: top.file, Line: top.line, Resource: top.id, Code: "bad-template",
				Message: what + r.chain(i, path), Err: errNestedLoop}
		}
	}
	r.open = append(r.open, nesting{file: path, abs: abs})
	defer func() { r.open = r.open[:len(r.open)-1] }()

	data, err := srcfile.Read(path, limits.TemplateBytes)
	if err != nil {
		if diag.IsInput(err) {
			return nil, err
		}
		return nil, &diag.Error{File: path, Code: "unreadable", Message: "cannot read template", Err: err}
	}
	// A template states everything its stack creates: what it leaves out
	// is AWS's default, not unknown.
	if r.n.Coverage == nil {
		r.n.Coverage = &model.Coverage{}
	}
	r.n.Coverage.MarkTemplate(path)
	root, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	if root.Kind != Map {
		return nil, diag.Errorf(path, root.Line, "bad-template", "not a CloudFormation template: the top level is %s, not a map", root.describe())
	}
	res := root.Get("Resources")
	if res == nil {
		if root.Get("AWSTemplateFormatVersion") == nil {
			return nil, diag.Errorf(path, root.Line, "bad-template", "not a CloudFormation template: no Resources section")
		}
		res = newMap(root.Line)
	}
	if res.Kind != Map {
		return nil, diag.Errorf(path, res.Line, "bad-template", "Resources must be a map, got %s", res.describe())
	}
	r.resources += len(res.Keys)
	if max := r.opts.Limits.WithDefaults().TemplateResources; r.resources > max {
		return nil, limits.Errorf(path, res.Line, "", "--max-template-resources", "more than %d resources in one evaluation, nested stacks included", max)
	}
	if prefix == "" && depth == 0 && r.collides(res.Keys) {
		// Another source already holds elements with these IDs (two
		// templates with the same logical IDs): keep both apart.
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		prefix = name + "/"
		r.n.Warn(model.Warning{Code: "id-prefixed", Severity: model.SevInfo, Origin: model.Origin{File: path},
			Message: "another source has elements with this template's logical IDs: its resources are named " + prefix + "<LogicalID>"})
	}
	for _, k := range root.Keys {
		switch k {
		case "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
			"Conditions", "Transform", "Resources", "Outputs", "Hooks", "Globals":
		default:
			r.n.Warnf("unknown-key", model.Origin{File: path, Line: root.M[k].Line}, "", "top-level section %s is not CloudFormation; ignored", k)
		}
	}
	s := &stack{
		file: path, prefix: prefix, region: r.region, depth: depth, r: r,
		name:       strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		mappings:   root.Get("Mappings"),
		conditions: root.Get("Conditions"),
		outputs:    root.Get("Outputs"),
		condCache:  map[string]tri{},
		condBusy:   map[string]bool{},
		resources:  map[string]*resource{},
		params:     map[string]*Value{},
	}
	if prefix != "" && depth > 0 {
		s.name = strings.TrimSuffix(prefix, "/")
	}
	if r.opts.Account != "" {
		s.account = scalar(r.opts.Account, 0)
	} else {
		s.account = unknown(0, "", "AWS::AccountId: no --account given")
	}
	if tr := root.Get("Transform"); tr != nil {
		r.transforms(s, tr)
	}
	if err := s.readParams(root.Get("Parameters"), params, r.opts.Params); err != nil {
		return nil, err
	}
	for _, k := range res.Keys {
		raw := res.M[k]
		if strings.HasPrefix(k, "Fn::ForEach") {
			r.n.Warnf("not-expanded", model.Origin{File: path, Path: "Resources." + k, Line: raw.Line}, k,
				"Fn::ForEach (AWS::LanguageExtensions) is not expanded: the resources it makes are not read")
			continue
		}
		if raw.Kind != Map {
			return nil, &diag.Error{File: path, Line: raw.Line, Resource: prefix + k, Code: "bad-template", Message: "a resource must be a map"}
		}
		t := raw.Get("Type")
		if t == nil || t.Kind != Scalar || t.S == "" {
			return nil, &diag.Error{File: path, Line: raw.Line, Resource: prefix + k, Code: "bad-template", Message: "the resource has no Type"}
		}
		rs := &resource{logical: k, id: prefix + k, typ: t.S, line: raw.Line, raw: raw, cond: triTrue}
		sup, err := suppressions(path, rs)
		if err != nil {
			return nil, err
		}
		rs.suppress = sup
		s.resources[k] = rs
		s.order = append(s.order, rs)
	}
	if s.conditions != nil && s.conditions.Kind != Map {
		return nil, diag.Errorf(path, s.conditions.Line, "bad-template", "Conditions must be a map")
	}
	if s.conditions == nil {
		s.conditions = newMap(0)
	}
	if s.mappings == nil {
		s.mappings = newMap(0)
	}
	for _, rs := range s.order {
		c := rs.raw.Get("Condition")
		if c == nil {
			continue
		}
		if c.Kind != Scalar {
			return nil, &diag.Error{File: path, Line: c.Line, Resource: rs.id, Code: "bad-template", Message: "Condition must be a condition name"}
		}
		s.cur = rs.logical
		v, err := s.condition(c.S, c.Line, 0)
		s.cur = ""
		if err != nil {
			return nil, err
		}
		rs.cond, rs.condWhy = v, c.S
	}
	if err := s.checkDependencies(); err != nil {
		return nil, err
	}
	r.stacks = append(r.stacks, s)
	if prefix != "" {
		if r.children == nil {
			r.children = map[string]*stack{}
		}
		r.children[prefix] = s
	}
	// Nested stacks are read now so that their resources join the same phases.
	for _, rs := range s.order {
		if rs.typ == "AWS::CloudFormation::Stack" && rs.cond != triFalse && r.child(rs) == nil {
			if err := r.nested(s, rs); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// collides reports whether the network already holds an element whose ID
// is one of the logical IDs.
func (r *reader) collides(ids []string) bool {
	if len(ids) == 0 {
		return false
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	found := false
	r.n.Elements(func(e model.Element) {
		if want[e.Base().ID] {
			found = true
		}
	})
	return found
}

// transforms warns about macros that are not applied.
func (r *reader) transforms(s *stack, tr *Value) {
	var names []string
	switch tr.Kind {
	case Scalar:
		names = []string{tr.S}
	case List:
		for _, x := range tr.L {
			if x.Kind == Scalar {
				names = append(names, x.S)
			} else {
				names = append(names, "AWS::Include")
			}
		}
	case Map:
		names = []string{"AWS::Include"}
	}
	for _, n := range names {
		switch {
		case n == "AWS::LanguageExtensions":
			// Fn::Length, Fn::ToJsonString and FindInMap defaults are evaluated;
			// Fn::ForEach is reported where it appears.
		case strings.HasPrefix(n, "AWS::Serverless"):
			r.n.Warnf("transform", model.Origin{File: s.file, Line: tr.Line}, "", "transform %s is not applied: serverless resources are counted as not modelled", n)
		default:
			r.n.Warnf("transform", model.Origin{File: s.file, Line: tr.Line}, "", "transform %s is not applied: what it adds is not read", n)
		}
	}
}

// nested reads an AWS::CloudFormation::Stack with a local TemplateURL.
func (r *reader) nested(parent *stack, rs *resource) error {
	props, err := parent.props(rs, 0)
	if err != nil {
		return err
	}
	origin := model.Origin{File: parent.file, Path: "Resources." + rs.logical, Line: rs.line}
	u := props.Get("TemplateURL")
	if u == nil || u.Kind != Scalar {
		r.n.Warnf("nested-stack", origin, rs.id, "nested stack with an unknown TemplateURL is not read")
		return nil
	}
	url := u.S
	if strings.Contains(url, "://") && !strings.HasPrefix(url, "file://") {
		r.n.Warnf("nested-stack", origin, rs.id, "nested stack %s is not a local file and is not read", url)
		return nil
	}
	p := strings.TrimPrefix(url, "file://")
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(parent.file), p)
	}
	if _, err := os.Stat(p); err != nil {
		r.n.Warnf("nested-stack", origin, rs.id, "nested stack template %s is not at hand and is not read", url)
		return nil
	}
	params := map[string]*Value{}
	if pv := props.Get("Parameters"); pv != nil && pv.Kind == Map {
		for _, k := range pv.Keys {
			x := pv.M[k]
			if x.Kind == List {
				// A list passed to a nested stack is a comma-delimited string.
				parts := make([]string, 0, len(x.L))
				var unk *Value
				for _, e := range x.L {
					if e.Kind == Unknown {
						unk = e
					}
					parts = append(parts, e.S)
				}
				if unk != nil {
					x = unk
				} else {
					x = scalar(strings.Join(parts, ","), x.Line)
				}
			}
			params[k] = x
		}
	}
	r.nestedRead++
	if max := r.opts.Limits.WithDefaults().NestedStacks; r.nestedRead > max {
		return limits.Errorf(parent.file, rs.line, rs.id, "--max-nested-stacks", "more than %d nested stacks in one evaluation (templates that nest each other several times multiply)", max)
	}
	// A sibling's outputs may be asked for after its parent was read: the
	// parent is then not the template being read.
	if k := len(r.open); k == 0 || r.open[k-1].file != parent.file {
		abs, _ := filepath.Abs(parent.file)
		r.open = append(r.open, nesting{file: parent.file, abs: abs})
		defer func() { r.open = r.open[:len(r.open)-1] }()
	}
	top := &r.open[len(r.open)-1]
	top.line, top.id = rs.line, rs.id
	_, err = r.load(p, rs.id+"/", params, parent.depth+1)
	var de *diag.Error
	if errors.As(err, &de) && de.File != parent.file && !errors.Is(err, errNestedLoop) && de.Code != limits.Code {
		// Say where the template in error is nested: the parent's line.
		de.Message += fmt.Sprintf(" (in nested stack %s, %s:%d)", rs.id, parent.file, rs.line)
	}
	return err
}

func (r *reader) nestedOutput(s *stack, rs *resource, name string, line, depth int) (*Value, error) {
	child := r.child(rs)
	if child == nil && !r.tried[rs.id] {
		// A sibling stack asks for its outputs before it was read: read it now.
		if r.tried == nil {
			r.tried = map[string]bool{}
		}
		r.tried[rs.id] = true
		if err := r.nested(s, rs); err != nil {
			return nil, err
		}
		child = r.child(rs)
	}
	if child == nil {
		return unknown(line, rs.id, "output %s of nested stack %s, which is not read", name, rs.id), nil
	}
	o := child.outputs.Get(name)
	if o == nil || o.Get("Value") == nil {
		return nil, s.errf(line, "unresolved-reference", "nested stack %s has no output %s", rs.id, name)
	}
	if c := o.Get("Condition"); c != nil && c.Kind == Scalar {
		v, err := child.condition(c.S, c.Line, depth)
		if err != nil {
			return nil, err
		}
		if v != triTrue {
			return unknown(line, rs.id, "output %s of %s depends on condition %s", name, rs.id, c.S), nil
		}
	}
	return child.eval(o.Get("Value"), depth+1)
}

func (r *reader) child(rs *resource) *stack {
	return r.children[rs.id+"/"]
}

// readParams fixes each parameter's value: given (by the parent stack or
// Options.Params), else the Default, else unknown.
func (s *stack) readParams(decl *Value, given map[string]*Value, flags map[string]string) error {
	if decl == nil {
		return nil
	}
	if decl.Kind != Map {
		return diag.Errorf(s.file, decl.Line, "bad-template", "Parameters must be a map")
	}
	for _, name := range decl.Keys {
		d := decl.M[name]
		if d.Kind != Map {
			return &diag.Error{File: s.file, Line: d.Line, Resource: name, Code: "bad-template", Message: "a parameter must be a map"}
		}
		typ := "String"
		if t := d.Get("Type"); t != nil && t.Kind == Scalar {
			typ = strings.TrimSpace(t.S)
		}
		var v *Value
		from := "its Default"
		if g, ok := given[name]; ok && given != nil {
			v, from = g, "the parent stack"
		} else if f, ok := flags[name]; ok && s.prefix == "" {
			v, from = scalar(f, d.Line), "--param"
		} else if def := d.Get("Default"); def != nil && def.Kind != Null {
			v = def
			if def.Kind == List {
				parts := make([]string, 0, len(def.L))
				for _, x := range def.L {
					parts = append(parts, x.S)
				}
				v = scalar(strings.Join(parts, ","), def.Line)
			}
		} else {
			u := unknown(d.Line, "", "parameter %s has no value (no Default, no --param)", name)
			if av := d.Get("AllowedValues"); av != nil && av.Kind == List && len(av.L) > 0 {
				// It will be one of its AllowedValues: an answer that is
				// the same for each of them does not depend on it.
				for _, a := range av.L {
					if a.Kind != Scalar {
						u.Alts = nil
						break
					}
					u.Alts = append(u.Alts, scalar(a.S, a.Line))
				}
				if len(u.Alts) > 0 {
					u.S = sprintf("parameter %s has no value (no Default, no --param); it is one of its AllowedValues %s", name, strings.Join(valueStrings(u.Alts), ", "))
				}
			}
			s.params[name] = u
			continue
		}
		if v.Kind != Scalar && v.Kind != Unknown {
			return &diag.Error{File: s.file, Line: d.Line, Resource: name, Code: "bad-parameter", Message: "the value must be a string"}
		}
		if v.Kind == Scalar {
			if err := s.checkParam(name, typ, d, v, from); err != nil {
				return err
			}
		}
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
			s.params[name] = unknown(d.Line, "", "parameter %s is read from SSM parameter %q at deploy time", name, v.S)
			continue
		}
		if isListType(typ) {
			if v.Kind == Unknown {
				s.params[name] = v
				continue
			}
			l := &Value{Kind: List, Line: d.Line}
			// An empty value is a list of one empty string, as in CloudFormation.
			for _, p := range strings.Split(v.S, ",") {
				l.L = append(l.L, scalar(strings.TrimSpace(p), d.Line))
			}
			s.params[name] = l
			continue
		}
		x := *v
		x.Line = d.Line
		s.params[name] = &x
	}
	return nil
}

func isListType(t string) bool {
	return t == "CommaDelimitedList" || strings.HasPrefix(t, "List<")
}

// checkParam applies AllowedValues, AllowedPattern, lengths and bounds.
func (s *stack) checkParam(name, typ string, d, v *Value, from string) error {
	bad := func(format string, args ...any) error {
		return &diag.Error{File: s.file, Line: d.Line, Resource: name, Code: "bad-parameter",
			Message: "value " + strconv.Quote(v.S) + " from " + from + ": " + sprintf(format, args...)}
	}
	values := []string{v.S}
	if isListType(typ) {
		values = strings.Split(v.S, ",")
		for i := range values {
			values[i] = strings.TrimSpace(values[i])
		}
	}
	for _, val := range values {
		if av := d.Get("AllowedValues"); av != nil && av.Kind == List && len(av.L) > 0 {
			ok := false
			var allowed []string
			for _, a := range av.L {
				allowed = append(allowed, a.S)
				if a.S == val {
					ok = true
				}
			}
			if !ok {
				return bad("not one of the AllowedValues (%s)", strings.Join(allowed, ", "))
			}
		}
		if ap := d.Get("AllowedPattern"); ap != nil && ap.Kind == Scalar {
			if re, err := regexp.Compile("^(?:" + ap.S + ")$"); err == nil && !re.MatchString(val) {
				return bad("does not match AllowedPattern %s", ap.S)
			}
		}
	}
	if typ == "Number" || typ == "List<Number>" {
		for _, val := range values {
			f, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return bad("not a number")
			}
			if mv := d.Get("MinValue"); mv != nil {
				if m, err := strconv.ParseFloat(mv.S, 64); err == nil && f < m {
					return bad("less than MinValue %s", mv.S)
				}
			}
			if mv := d.Get("MaxValue"); mv != nil {
				if m, err := strconv.ParseFloat(mv.S, 64); err == nil && f > m {
					return bad("greater than MaxValue %s", mv.S)
				}
			}
		}
	}
	if ml := d.Get("MinLength"); ml != nil {
		if m, ok := intOf(ml.S); ok && len(v.S) < m {
			return bad("shorter than MinLength %d", m)
		}
	}
	if ml := d.Get("MaxLength"); ml != nil {
		if m, ok := intOf(ml.S); ok && len(v.S) > m {
			return bad("longer than MaxLength %d", m)
		}
	}
	return nil
}

// suppressions reads a resource's Metadata "vpcreach: suppress" list
// (docs/suppressions.md): each entry a map with rule and reason, and
// optionally expires (YYYY-MM-DD). An entry without a reason, or a value
// that is not a plain string, is a bad-template error at its line.
func suppressions(path string, rs *resource) ([]model.Suppression, error) {
	v := rs.raw.Get("Metadata").Get("vpcreach")
	if v == nil {
		return nil, nil
	}
	bad := func(line int, format string, args ...any) error {
		return &diag.Error{File: path, Line: line, Resource: rs.id, Code: "bad-template", Message: fmt.Sprintf(format, args...)}
	}
	if v.Kind != Map {
		return nil, bad(v.Line, "Metadata vpcreach must be a map with a suppress list")
	}
	for _, k := range v.Keys {
		if k != "suppress" {
			return nil, bad(v.M[k].Line, "Metadata vpcreach: unknown key %q: want suppress", k)
		}
	}
	list := v.Get("suppress")
	if list == nil {
		return nil, bad(v.Line, "Metadata vpcreach has no suppress list")
	}
	if list.Kind != List {
		return nil, bad(list.Line, "Metadata vpcreach suppress must be a list of {rule, reason, expires}")
	}
	var out []model.Suppression
	for _, item := range list.L {
		if item.Kind != Map {
			return nil, bad(item.Line, "a Metadata vpcreach suppress entry must be a map with rule and reason")
		}
		s := model.Suppression{Origin: model.Origin{File: path, Line: item.Line, Path: "Resources." + rs.logical + ".Metadata.vpcreach.suppress"}}
		for _, k := range item.Keys {
			x := item.M[k]
			if x.Kind != Scalar {
				return nil, bad(x.Line, "Metadata vpcreach suppress %s must be a plain string", k)
			}
			switch k {
			case "rule":
				s.Rule = strings.TrimSpace(x.S)
			case "reason":
				s.Reason = strings.TrimSpace(x.S)
			case "expires":
				s.Expires = strings.TrimSpace(x.S)
				if _, err := time.Parse(time.DateOnly, s.Expires); err != nil {
					return nil, bad(x.Line, "Metadata vpcreach suppress expires %q is not a YYYY-MM-DD date", x.S)
				}
			default:
				return nil, bad(x.Line, "Metadata vpcreach suppress: unknown key %q: want rule, reason, expires", k)
			}
		}
		if s.Rule == "" {
			return nil, bad(item.Line, "a Metadata vpcreach suppress entry names no rule: name the lint rule ID or exposure kind it accepts")
		}
		if s.Reason == "" {
			return nil, bad(item.Line, "the Metadata vpcreach suppress entry for %s has no reason: say why the finding is accepted", s.Rule)
		}
		out = append(out, s)
	}
	return out, nil
}

// valueStrings returns the scalars' texts.
func valueStrings(vs []*Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.S
	}
	return out
}
