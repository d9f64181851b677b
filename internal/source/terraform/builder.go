package terraform

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vpcreach/vpcreach/internal/model"
)

// IDs of what AWS creates with a VPC, after the VPC's ID, when the plan
// does not know them yet.
const (
	defaultSGSuffix  = "/DefaultSecurityGroup"
	defaultACLSuffix = "/DefaultNetworkAcl"
	mainRTSuffix     = "/MainRouteTable"
	primaryENISuffix = "/eni0"
)

var (
	anyV4 = netip.MustParsePrefix("0.0.0.0/0")
	anyV6 = netip.MustParsePrefix("::/0")
)

// handler reads one resource type; phases order them so that what a
// resource changes exists when it is read.
type handler struct {
	phase int
	fn    func(b *builder, in *inst) error
}

const phases = 5

var handlers = map[string]handler{}

// notModelled are AWS network types read for references but not modelled.
func modelType(typ string) bool { _, ok := handlers[typ]; return ok }

type builder struct {
	r              *reader
	n              *model.Network
	newVPCs        []*model.VPC
	oldVPCs        []*model.VPC
	localRTs       []*model.RouteTable
	customACLs     []*model.NetworkACL
	publicENIs     []publicCheck
	eips           []*model.ElasticIP
	defaultSGs     []*model.NetworkInterface
	aclAssoc       []aclAssoc
	peerings       []*model.PeeringConnection
	instances      []*model.Instance
	tgwRTs         []*model.TGWRouteTable
	tgwAttachments []tgwAttach
	clientVPNs     []*model.ClientVPNEndpoint
	clientVPNENIs  []*model.NetworkInterface
	// managedDefault marks default groups and ACLs an aws_default_* resource
	// manages: Terraform removes every rule and adds those stated.
	managedDefault map[string]bool
	vpcIPv6        map[string]string
	mainRT         map[string]string // VPC ID -> its main route table's ID
	implicitRT     map[string]bool   // main route tables made here, not read
	scopes         map[string]model.Scope
}

type aclAssoc struct {
	acl, subnet string
	origin      model.Origin
}

type publicCheck struct {
	eni    *model.NetworkInterface
	assoc  model.Flag
	stated bool
}

func (r *reader) build() error {
	b := &builder{r: r, n: r.n, managedDefault: map[string]bool{}, vpcIPv6: map[string]string{}, mainRT: map[string]string{}, implicitRT: map[string]bool{}}
	r.b = b
	// Elements read before (a snapshot of the account the plan changes)
	// lend their account and region to the resources of the same ID.
	b.scopes = map[string]model.Scope{}
	r.n.Elements(func(e model.Element) {
		m := e.Base()
		b.scopes[m.ID] = model.Scope{Account: m.Account, Region: m.Region}
	})
	for phase := 0; phase < phases; phase++ {
		for _, in := range r.insts {
			if in.data {
				continue
			}
			h, ok := handlers[in.typ]
			if !ok {
				if phase == 0 {
					b.n.CountNotModelled(in.typ)
				}
				continue
			}
			if h.phase != phase {
				continue
			}
			if err := h.fn(b, in); err != nil {
				return err
			}
		}
	}
	b.finish()
	return nil
}

// meta is an element's metadata: its ID, address, scope, Name tag.
func (b *builder) meta(in *inst) model.Meta {
	m := model.Meta{ID: in.id, LogicalID: in.addr, Account: b.r.opts.Account, Region: b.r.opts.Region, Origin: in.origin}
	if arn, ok := in.vals["arn"].(string); ok {
		if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
			if parts[3] != "" {
				m.Region = parts[3]
			}
			if parts[4] != "" {
				m.Account = parts[4]
			}
		}
	}
	if o, ok := in.vals["owner_id"].(string); ok && o != "" {
		m.Account = o
	}
	if sc, ok := b.scopes[m.ID]; ok && in.idKnown {
		if m.Account == "" {
			m.Account = sc.Account
		}
		if m.Region == "" {
			m.Region = sc.Region
		}
	}
	if tags, ok := in.vals["tags"].(map[string]any); ok && len(tags) > 0 {
		m.Tags = map[string]string{}
		for k, v := range tags {
			if s, ok := v.(string); ok {
				m.Tags[k] = s
			}
		}
		m.Name = m.Tags["Name"]
	}
	if m.Name == "" {
		if s, ok := in.vals["name"].(string); ok {
			m.Name = s
		}
	}
	if !in.idKnown && in.create {
		m.Defaults = append(m.Defaults, "created by the plan: ID known after apply, named by its address")
	}
	return m
}

// fields reads attributes of a resource or of one nested block.
type fields struct {
	b     *builder
	in    *inst
	vals  map[string]any
	unk   map[string]any
	exprs map[string]*tfjson.Expression
	path  string // prefix of noted fields, e.g. "ingress[0]."
}

func (b *builder) top(in *inst) *fields {
	f := &fields{b: b, in: in, vals: in.vals, unk: in.unk}
	if in.cfg != nil {
		f.exprs = in.cfg.Expressions
	}
	return f
}

func (f *fields) get(key string) val { return get(f.vals, f.unk, key) }

// stated reports whether the configuration sets key (for optional,
// computed attributes whose plan value is unknown when not set).
func (f *fields) stated(key string) bool {
	if f.exprs == nil {
		return false
	}
	_, ok := f.exprs[key]
	return ok
}

func (f *fields) str(key string) (string, bool) {
	v := f.get(key)
	if v.unknown {
		return "", false
	}
	switch x := v.v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", true
}

func (f *fields) flag(key string, def bool) model.Flag {
	v := f.get(key)
	if v.unknown {
		return model.UnknownFlag
	}
	if x, ok := v.v.(bool); ok {
		return model.FlagOf(x)
	}
	return model.FlagOf(def)
}

func (f *fields) intv(key string) (int, bool, bool) {
	v := f.get(key)
	if v.unknown {
		return 0, false, true
	}
	switch x := v.v.(type) {
	case float64:
		return int(x), true, false
	case string:
		if n, err := strconv.Atoi(x); err == nil {
			return n, true, false
		}
	}
	return 0, false, false
}

func (f *fields) strs(key string) (out []string, complete bool) {
	v := f.get(key)
	if v.unknown {
		return nil, false
	}
	complete = true
	for _, e := range v.elems() {
		if e.unknown {
			complete = false
			continue
		}
		if s, ok := e.v.(string); ok {
			out = append(out, s)
		}
	}
	return out, complete
}

func (f *fields) note(m *model.Meta, field, why string) { m.AddUnknown(f.path+field, why) }

// ref reads an attribute holding one ID: its value when known, else the
// ID of the single instance its expression references. why says what is
// unknown when neither tells; both empty is an attribute not set.
func (f *fields) ref(key string) (id, why string) {
	v := f.get(key)
	if !v.unknown {
		s, _ := v.v.(string)
		return s, ""
	}
	ts, why := f.b.r.resolve(f.b.r.scopeOf(f.in), exprOf(f.exprs, key), 0)
	if why != "" {
		return "", fmt.Sprintf("%s is known only after apply and %s", key, why)
	}
	ids := map[string]bool{}
	var first string
	for _, t := range ts {
		id, w := f.b.targetID(t)
		if w != "" {
			return "", key + " is known only after apply: " + w
		}
		if !ids[id] {
			ids[id] = true
			first = id
		}
	}
	if len(ids) != 1 {
		names := make([]string, 0, len(ts))
		for _, t := range ts {
			names = append(names, t.in.addr)
		}
		sort.Strings(names)
		return "", fmt.Sprintf("%s is known only after apply and references %d instances (%s)", key, len(ids), strings.Join(names, ", "))
	}
	return first, ""
}

// refType is the type of the resource key references, "" when unknown.
func (f *fields) refType(key string) string {
	ts, why := f.b.r.resolve(f.b.r.scopeOf(f.in), exprOf(f.exprs, key), 0)
	if why != "" || len(ts) == 0 {
		return ""
	}
	return ts[0].in.typ
}

// refs reads an attribute holding a list of IDs: the known elements, and
// for unknown ones the instances its expression references. why is set
// when some element cannot be told.
func (f *fields) refs(key string) (ids []string, why string) {
	v := f.get(key)
	if !v.hasUnknown() {
		out, _ := f.strs(key)
		return out, ""
	}
	ts, w := f.b.r.resolve(f.b.r.scopeOf(f.in), exprOf(f.exprs, key), 0)
	if w != "" {
		return nil, fmt.Sprintf("%s is known only after apply and %s", key, w)
	}
	seen := map[string]bool{}
	for _, e := range v.elems() {
		if s, ok := e.v.(string); ok && !e.unknown && !seen[s] {
			seen[s] = true
			ids = append(ids, s)
		}
	}
	for _, t := range ts {
		id, w := f.b.targetID(t)
		if w != "" {
			return ids, key + " is known only after apply: " + w
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, ""
}

// targetID is the model ID of what a reference names: the instance's
// element, or an attribute naming another (a VPC's default security
// group).
func (b *builder) targetID(t target) (string, string) {
	in := t.in
	switch t.attr {
	case "", "id", "arn", "allocation_id":
		return in.id, ""
	case "zone_id":
		if in.typ == "aws_route53_zone" {
			return in.id, ""
		}
	}
	if s, ok := in.vals[t.attr].(string); ok && s != "" && !isUnknown(in.unk, t.attr) {
		return s, ""
	}
	switch in.typ + "." + t.attr {
	case "aws_vpc.default_security_group_id":
		return in.id + defaultSGSuffix, ""
	case "aws_vpc.default_network_acl_id":
		return in.id + defaultACLSuffix, ""
	case "aws_vpc.main_route_table_id", "aws_vpc.default_route_table_id":
		return in.id + mainRTSuffix, ""
	case "aws_instance.primary_network_interface_id":
		return in.id + primaryENISuffix, ""
	case "aws_nat_gateway.network_interface_id":
		return in.id + primaryENISuffix, ""
	case "aws_eip.public_ip", "aws_eip.private_ip":
	}
	return "", fmt.Sprintf("%s.%s is known only after apply", in.addr, t.attr)
}

// vpcOfSubnet returns the VPC of a subnet read so far.
func (b *builder) vpcOfSubnet(id string) string {
	if s, ok := b.n.Subnets.Get(id); ok {
		return s.VPCID
	}
	return ""
}

func parsePrefix(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// prefix reads a CIDR attribute; a value that is not one is an error.
func (f *fields) prefix(key string) (netip.Prefix, string, error) {
	s, known := f.str(key)
	if !known {
		return netip.Prefix{}, key + " is known only after apply", nil
	}
	if s == "" {
		return netip.Prefix{}, "", nil
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, "", f.b.r.errf(f.in, "bad-value", "%s%s %q is not a CIDR block", f.path, key, s)
	}
	return p.Masked(), "", nil
}

func (f *fields) addr(key string) (netip.Addr, bool, error) {
	s, known := f.str(key)
	if !known || s == "" {
		return netip.Addr{}, false, nil
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, false, f.b.r.errf(f.in, "bad-value", "%s%s %q is not an IP address", f.path, key, s)
	}
	return a, true, nil
}

func (b *builder) warnf(in *inst, code, format string, args ...any) {
	b.n.Warnf(code, in.origin, in.addr, format, args...)
}
