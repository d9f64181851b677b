// Package terraform reads the JSON that `terraform show -json` writes, of
// a saved plan or of state, into the model, with the AWS provider's
// semantics (not CloudFormation's).
//
// Resources keep their real ID where the plan or state knows it and are
// otherwise named by their address (module.net.aws_subnet.private[0]);
// Meta.LogicalID always holds the address, so a REF may name either. A
// value a plan leaves unknown until apply is resolved through the
// configuration's expression references (vpc_id = aws_vpc.main.id), and
// is unknown (Meta.Unknowns, model.PeerUnknown, ...) when no single
// instance answers.
//
// Types read: aws_vpc (with its default security group, network ACL and
// main route table), aws_default_vpc, aws_default_subnet,
// aws_vpc_ipv4_cidr_block_association, aws_subnet,
// aws_internet_gateway(_attachment), aws_egress_only_internet_gateway,
// aws_route_table, aws_default_route_table, aws_route,
// aws_route_table_association, aws_main_route_table_association, aws_eip,
// aws_eip_association, aws_nat_gateway, aws_vpc_peering_connection(_accepter),
// aws_security_group, aws_default_security_group, aws_security_group_rule,
// aws_vpc_security_group_ingress_rule / _egress_rule, aws_network_acl,
// aws_default_network_acl, aws_network_acl_rule, aws_network_acl_association,
// aws_network_interface(_attachment), aws_instance, aws_lb / aws_alb,
// aws_lb_listener, aws_lb_target_group(_attachment), aws_vpc_endpoint,
// aws_vpc_endpoint_route_table_association, aws_vpc_dhcp_options(_association),
// aws_route53_zone(_association), aws_route53_record,
// aws_route53_resolver_endpoint, aws_route53_resolver_rule(_association),
// aws_ec2_transit_gateway, its _vpc_attachment, _route_table, _route,
// _route_table_association and _propagation, aws_vpn_gateway(_attachment),
// aws_vpn_gateway_route_propagation, aws_customer_gateway,
// aws_ec2_client_vpn_endpoint, _network_association, _route and
// _authorization_rule, aws_networkfirewall_firewall, _firewall_policy,
// _rule_group and _vpc_endpoint_association. Other types are
// counted as not modelled; data sources only answer references.
package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Shape tells a plan from state by the top-level keys terraform show -json
// writes: a plan has planned_values, resource_changes, prior_state or
// configuration; state has values. "" is neither.
func Shape(keys map[string]json.RawMessage) string {
	_, fv := keys["format_version"]
	_, tv := keys["terraform_version"]
	for _, k := range []string{"planned_values", "resource_changes", "prior_state", "configuration"} {
		if _, ok := keys[k]; ok && (fv || tv) {
			return "plan"
		}
	}
	if _, ok := keys["values"]; ok && (fv || tv) {
		return "state"
	}
	return ""
}

// Looks reports whether data (the head of a file) is terraform show -json
// output: an object with format_version or terraform_version beside
// planned_values, resource_changes, prior_state, configuration or values.
func Looks(head []byte) bool {
	t := bytes.TrimSpace(head)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	hasVer := bytes.Contains(head, []byte(`"format_version"`)) || bytes.Contains(head, []byte(`"terraform_version"`))
	if !hasVer {
		return false
	}
	for _, k := range []string{`"planned_values"`, `"resource_changes"`, `"prior_state"`, `"configuration"`, `"values"`} {
		if bytes.Contains(head, []byte(k)) {
			return true
		}
	}
	return false
}

// Options of a Terraform source.
type Options struct {
	// Region and Account name the scope of resources whose ARN does not say.
	Region, Account string
}

// inst is one resource instance of a plan or state.
type inst struct {
	addr    string // full address, module.net.aws_subnet.private[0]
	mod     string // module instance address, module.net or ""
	typ     string
	name    string
	data    bool
	index   any // nil, float64 (count) or string (for_each)
	vals    map[string]any
	unk     map[string]any // after_unknown
	cfg     *tfjson.ConfigResource
	cfgMod  *tfjson.ConfigModule
	id      string // model ID: the real ID when known, else addr
	idKnown bool
	line    int
	origin  model.Origin
	el      model.Element
	create  bool // created by the plan
}

// reader holds one file being read.
type reader struct {
	file   string
	opts   Options
	n      *model.Network
	insts  []*inst
	byAddr map[string]*inst
	// byRes lists the instances of one resource (address without index).
	byRes map[string][]*inst
	lines map[string]int
	cfg   *tfjson.Config
	b     *builder
}

// Read reads one terraform show -json file into n.
func Read(path string, opts Options, n *model.Network) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &diag.Error{File: path, Code: "unreadable", Message: "cannot read source", Err: err}
	}
	return ReadBytes(path, data, opts, n)
}

// ReadBytes reads terraform show -json output held in data; path names it
// in origins and errors.
func ReadBytes(path string, data []byte, opts Options, n *model.Network) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return &diag.Error{File: path, Line: jsonErrLine(data, err), Code: "malformed-json", Message: "not valid JSON", Err: err}
	}
	r := &reader{file: path, opts: opts, n: n, byAddr: map[string]*inst{}, byRes: map[string][]*inst{}}
	r.lines = addressLines(data)
	// A plan or state states everything its resources are: what it leaves
	// out is the provider's or AWS's default, not unknown (as a template).
	if n.Coverage == nil {
		n.Coverage = &model.Coverage{}
	}
	n.Coverage.MarkTemplate(path)
	switch Shape(keys) {
	case "plan":
		var p tfjson.Plan
		if err := json.Unmarshal(data, &p); err != nil {
			return &diag.Error{File: path, Line: jsonErrLine(data, err), Code: "bad-terraform", Message: "not a Terraform plan as terraform show -json writes it", Err: err}
		}
		if err := p.Validate(); err != nil {
			return &diag.Error{File: path, Line: 1, Code: "bad-terraform", Message: "Terraform plan JSON", Err: err}
		}
		r.cfg = p.Config
		if r.opts.Region == "" {
			r.opts.Region = providerRegion(p.Config)
		}
		r.fromPlan(&p)
	case "state":
		var s tfjson.State
		if err := json.Unmarshal(data, &s); err != nil {
			return &diag.Error{File: path, Line: jsonErrLine(data, err), Code: "bad-terraform", Message: "not Terraform state as terraform show -json writes it", Err: err}
		}
		if s.Values != nil {
			r.fromModule(s.Values.RootModule, false, nil)
		}
	default:
		return &diag.Error{File: path, Line: 1, Code: "bad-terraform", Message: "not terraform show -json output: no planned_values, resource_changes, configuration or values beside format_version"}
	}
	if len(r.insts) == 0 {
		// Reading nothing is an error, never an empty network.
		return &diag.Error{File: path, Line: 1, Code: "empty-terraform", Message: "terraform show -json output without resources: a plan that creates or keeps none, or empty state"}
	}
	r.attachConfig()
	return r.build()
}

// fromPlan collects the instances the plan leaves after apply: resource
// changes that are not deletions, and data sources of the prior state the
// changes do not read again.
func (r *reader) fromPlan(p *tfjson.Plan) {
	for _, rc := range p.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.DeposedKey != "" {
			continue
		}
		if rc.Change.Actions.Delete() || rc.Change.After == nil {
			continue
		}
		vals, _ := rc.Change.After.(map[string]any)
		unk, _ := rc.Change.AfterUnknown.(map[string]any)
		in := &inst{addr: rc.Address, mod: rc.ModuleAddress, typ: rc.Type, name: rc.Name, data: rc.Mode == tfjson.DataResourceMode,
			index: rc.Index, vals: vals, unk: unk, create: rc.Change.Actions.Create() || rc.Change.Actions.Replace()}
		r.add(in)
	}
	if p.PriorState != nil && p.PriorState.Values != nil {
		r.fromModule(p.PriorState.Values.RootModule, true, nil)
	}
	if len(p.ResourceChanges) == 0 && p.PlannedValues != nil {
		// A plan without changes still says what exists.
		r.fromModule(p.PlannedValues.RootModule, false, nil)
	}
}

// fromModule collects a state module's resources; dataOnly keeps data
// sources only (a plan's prior state: managed resources come from the
// changes).
func (r *reader) fromModule(m *tfjson.StateModule, dataOnly bool, _ any) {
	if m == nil {
		return
	}
	for _, rs := range m.Resources {
		if rs == nil || rs.DeposedKey != "" {
			continue
		}
		data := rs.Mode == tfjson.DataResourceMode
		if dataOnly && !data {
			continue
		}
		if _, dup := r.byAddr[rs.Address]; dup {
			continue
		}
		r.add(&inst{addr: rs.Address, mod: m.Address, typ: rs.Type, name: rs.Name, data: data, index: rs.Index, vals: rs.AttributeValues})
	}
	for _, c := range m.ChildModules {
		r.fromModule(c, dataOnly, nil)
	}
}

func (r *reader) add(in *inst) {
	if in.vals == nil {
		in.vals = map[string]any{}
	}
	if _, dup := r.byAddr[in.addr]; dup {
		return
	}
	in.line = r.lines[in.addr]
	in.origin = model.Origin{File: r.file, Path: in.addr, Line: in.line}
	in.id = in.addr
	if id, ok := in.vals["id"].(string); ok && id != "" && !isUnknown(in.unk, "id") {
		in.id, in.idKnown = id, true
	}
	r.insts = append(r.insts, in)
	r.byAddr[in.addr] = in
	res := resourceOf(in.addr)
	r.byRes[res] = append(r.byRes[res], in)
}

// resourceOf strips the instance key of the last step of an address:
// module.a[0].aws_subnet.x["k"] -> module.a[0].aws_subnet.x.
func resourceOf(addr string) string {
	if !strings.HasSuffix(addr, "]") {
		return addr
	}
	depth := 0
	for i := len(addr) - 1; i >= 0; i-- {
		switch addr[i] {
		case ']':
			depth++
		case '[':
			depth--
			if depth == 0 {
				return addr[:i]
			}
		}
	}
	return addr
}

// attachConfig finds each instance's configuration block.
func (r *reader) attachConfig() {
	if r.cfg == nil || r.cfg.RootModule == nil {
		return
	}
	for _, in := range r.insts {
		m := r.configModule(in.mod)
		if m == nil {
			continue
		}
		in.cfgMod = m
		local := strings.TrimPrefix(strings.TrimPrefix(resourceOf(in.addr), in.mod), ".")
		for _, c := range m.Resources {
			if c != nil && c.Address == local {
				in.cfg = c
				break
			}
		}
	}
}

// configModule returns the configuration of a module instance address
// (module.a[0].module.b).
func (r *reader) configModule(mod string) *tfjson.ConfigModule {
	if r.cfg == nil {
		return nil
	}
	m := r.cfg.RootModule
	for _, step := range moduleSteps(mod) {
		if m == nil {
			return nil
		}
		call := m.ModuleCalls[step.name]
		if call == nil {
			return nil
		}
		m = call.Module
	}
	return m
}

type modStep struct{ name, key string }

// moduleSteps splits module.a[0].module.b["x"] into its calls.
func moduleSteps(mod string) []modStep {
	var out []modStep
	s := mod
	for strings.HasPrefix(s, "module.") {
		s = s[len("module."):]
		end := strings.IndexAny(s, ".[")
		if end < 0 {
			out = append(out, modStep{name: s})
			break
		}
		st := modStep{name: s[:end]}
		s = s[end:]
		if strings.HasPrefix(s, "[") {
			close := closingBracket(s)
			if close < 0 {
				break
			}
			st.key = s[:close+1]
			s = s[close+1:]
		}
		out = append(out, st)
		s = strings.TrimPrefix(s, ".")
	}
	return out
}

func closingBracket(s string) int {
	inStr := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"' && (i == 0 || s[i-1] != '\\'):
			inStr = !inStr
		case s[i] == ']' && !inStr:
			return i
		}
	}
	return -1
}

// addressLines maps each "address" value to the line of its first
// occurrence in resource_changes (else anywhere), for origins.
func addressLines(data []byte) map[string]int {
	out := map[string]int{}
	rcStart := bytes.Index(data, []byte(`"resource_changes"`))
	rcLine := 0
	if rcStart >= 0 {
		rcLine = lineAt(data, rcStart)
	}
	key := []byte(`"address"`)
	line, last := 1, 0
	for off := 0; ; {
		i := bytes.Index(data[off:], key)
		if i < 0 {
			break
		}
		pos := off + i
		line += bytes.Count(data[last:pos], []byte{'\n'})
		last = pos
		off = pos + len(key)
		j := off
		for j < len(data) && (data[j] == ' ' || data[j] == ':' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		if j >= len(data) || data[j] != '"' {
			continue
		}
		var s string
		end := j + 1
		for end < len(data) && (data[end] != '"' || data[end-1] == '\\') {
			end++
		}
		if end >= len(data) || json.Unmarshal(data[j:end+1], &s) != nil {
			continue
		}
		if prev, ok := out[s]; !ok || (rcStart >= 0 && pos > rcStart && prev < rcLine) {
			out[s] = line
		}
	}
	return out
}

func lineAt(data []byte, off int) int { return 1 + bytes.Count(data[:off], []byte{'\n'}) }

func jsonErrLine(data []byte, err error) int {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return 1
	}
	return lineAt(data, int(off))
}

// isUnknown reports whether after_unknown marks key (wholly) unknown.
func isUnknown(unk map[string]any, key string) bool {
	if unk == nil {
		return false
	}
	b, _ := unk[key].(bool)
	return b
}

// indexString renders an instance key as Terraform writes it: [0], ["a"].
func indexString(ix any) string {
	switch v := ix.(type) {
	case float64:
		return "[" + strconv.FormatFloat(v, 'f', -1, 64) + "]"
	case string:
		return "[" + strconv.Quote(v) + "]"
	case json.Number:
		return "[" + v.String() + "]"
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (r *reader) errf(in *inst, code, format string, args ...any) error {
	return &diag.Error{File: r.file, Line: in.line, Resource: in.addr, Code: code, Message: fmt.Sprintf(format, args...)}
}

// providerRegion is the region the root module's aws provider states, ""
// when it is not a constant.
func providerRegion(c *tfjson.Config) string {
	if c == nil {
		return ""
	}
	for _, k := range []string{"aws", "registry.terraform.io/hashicorp/aws"} {
		pc := c.ProviderConfigs[k]
		if pc == nil || pc.Alias != "" || pc.ModuleAddress != "" {
			continue
		}
		if e := pc.Expressions["region"]; e != nil && e.ExpressionData != nil {
			if s, ok := e.ConstantValue.(string); ok {
				return s
			}
		}
	}
	return ""
}
