package cloudformation

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// IDs of the elements AWS creates with a VPC, after the VPC's logical ID.
const (
	defaultSGSuffix  = "/DefaultSecurityGroup"
	defaultACLSuffix = "/DefaultNetworkAcl"
	mainRTSuffix     = "/MainRouteTable"
)

// handler maps one resource type to the model. Handlers run in phases so
// that a resource's targets exist when it is read (a route after its
// table, an ingress rule after its group).
type handler struct {
	phase int
	fn    func(b *builder, p *props) error
}

const phases = 6

// builder fills the model from evaluated resources.
type builder struct {
	r     *reader
	n     *model.Network
	types map[string]string // template resource ID -> CloudFormation type
	// bad is the first bad value a reader without an error return met
	// (a CIDR that is not one); it stops the build after the resource.
	bad error

	launchTemplates    map[string]*props // LaunchTemplate ID -> its LaunchTemplateData
	launchConfigs      map[string]*props
	dbSubnetGroups     map[string][]string
	recordSetsNamed    map[string]string // zone name -> zone ID, template zones
	vpcsIPv6           map[string]string // VPC ID -> why its IPv6 CIDR is unknown
	publicENIs         []publicCheck
	vgwPropagations    []vgwPropagation
	tgwDefaults        map[string]string // TGW ID -> default route table ID
	tgwAttachments     []*model.TGWAttachment
	localRTs           []*model.RouteTable
	eips               []*model.ElasticIP
	customACLs         []*model.NetworkACL
	templateVPCs       []*model.VPC
	defaultSGs         []*model.NetworkInterface
	instances          []*model.Instance
	peerings           []*model.PeeringConnection
	tgwRTs             []*model.TGWRouteTable
	vpnConns           []*model.VPNConnection
	clientVPNs         []*model.ClientVPNEndpoint
	rdsPublic          []rdsCheck
	clientVPNENIs      []*model.NetworkInterface
	endpointsDefaultSG []*model.VPCEndpoint
}

// publicCheck is an ENI whose public IPv4 depends on its subnet's
// MapPublicIpOnLaunch, decided once every subnet is read.
type publicCheck struct {
	eni    *model.NetworkInterface
	assoc  model.Flag // AssociatePublicIpAddress as stated
	stated bool
	why    string
}

type vgwPropagation struct {
	rt     *model.RouteTable
	vgw    string
	origin model.Origin
}

func newBuilder(n *model.Network) *builder {
	return &builder{
		n: n, types: map[string]string{},
		launchTemplates: map[string]*props{}, launchConfigs: map[string]*props{},
		dbSubnetGroups: map[string][]string{}, recordSetsNamed: map[string]string{},
		vpcsIPv6: map[string]string{}, tgwDefaults: map[string]string{},
	}
}

func (b *builder) run() error {
	for _, s := range b.r.stacks {
		for _, rs := range s.order {
			b.types[rs.id] = rs.typ
		}
	}
	for phase := 0; phase < phases; phase++ {
		for _, s := range b.r.stacks {
			for _, rs := range s.order {
				if rs.cond == triFalse {
					continue
				}
				h, ok := handlers[rs.typ]
				if !ok {
					if phase == 0 {
						switch {
						case rs.typ == "AWS::CloudFormation::Stack":
						case strings.HasPrefix(rs.typ, "Custom::") || rs.typ == "AWS::CloudFormation::CustomResource":
							b.n.CountNotModelled(rs.typ)
						default:
							b.n.CountNotModelled(rs.typ)
						}
					}
					continue
				}
				if h.phase != phase {
					continue
				}
				if err := b.r.ctxErr(); err != nil {
					return err
				}
				v, err := s.props(rs, 0)
				if err != nil {
					return err
				}
				p := &props{b: b, s: s, r: rs, v: v, origin: model.Origin{File: s.file, Path: "Resources." + rs.logical, Line: rs.line}}
				if rs.cond == triUnknown {
					p.note("Condition", fmt.Sprintf("condition %s is unknown: the resource may not be deployed", rs.condWhy))
				}
				s.cur = rs.logical
				err = h.fn(b, p)
				s.cur = ""
				if err == nil {
					err = b.bad
				}
				if err != nil {
					return err
				}
				p.flush()
			}
		}
	}
	b.finish()
	return nil
}

// props reads one resource's evaluated properties and records what is
// unknown on the element being built.
type props struct {
	b      *builder
	s      *stack
	r      *resource
	v      *Value
	path   string // prefix of the fields noted, e.g. "NetworkInterfaces[0]."
	ppath  string // property path of a nested props, for origins
	origin model.Origin
	m      *model.Meta
	unk    []model.Unknown
	parent *props
}

// sub reads a nested map with the same element.
func (p *props) sub(v *Value, path string) *props {
	return &props{b: p.b, s: p.s, r: p.r, v: v, path: p.path + path + ".", ppath: p.ppath + path + ".", origin: p.origin, parent: p}
}

func (p *props) root() *props {
	for p.parent != nil {
		p = p.parent
	}
	return p
}

// note records an unknown value of the element.
func (p *props) note(field, reason string) {
	rt := p.root()
	u := model.Unknown{Field: p.path + field, Reason: reason}
	if rt.m != nil {
		rt.m.Unknowns = append(rt.m.Unknowns, u)
	} else {
		rt.unk = append(rt.unk, u)
	}
}

// bind attaches the element's Meta; unknowns noted before land there.
func (p *props) bind(m *model.Meta) {
	p.m = m
	m.Unknowns = append(m.Unknowns, p.unk...)
	p.unk = nil
}

// flush moves what was noted without an element to a warning.
func (p *props) flush() {
	for _, u := range p.unk {
		p.b.n.Warn(model.Warning{Code: "unknown-value", Severity: model.SevInfo, Origin: p.origin, Resource: p.r.id, Message: u.String()})
	}
	p.unk = nil
}

func (p *props) get(k string) *Value {
	x := p.v.Get(k)
	if x == nil {
		if u := p.v.Get("*"); u != nil && u.Kind == Unknown {
			return u
		}
	}
	if x != nil && x.Kind == Null {
		return nil
	}
	return x
}

func (p *props) has(k string) bool { return p.get(k) != nil }

// str returns a known string property; an unknown one is noted.
func (p *props) str(k string) string {
	s, u := p.strU(k)
	if u != nil {
		p.note(k, u.S)
	}
	return s
}

// strU returns a string property or the unknown value it is.
func (p *props) strU(k string) (string, *Value) {
	x := p.get(k)
	if x == nil {
		return "", nil
	}
	switch x.Kind {
	case Scalar:
		return x.S, nil
	case Unknown:
		return "", x
	case List:
		if len(x.L) == 1 && x.L[0].Kind == Scalar {
			return x.L[0].S, nil
		}
	}
	return "", unknown(x.Line, "", "%s is %s, not a string", k, x.describe())
}

// flag reads a Boolean property with its default.
func (p *props) flag(k string, def bool) model.Flag {
	x := p.get(k)
	if x == nil {
		return model.FlagOf(def)
	}
	if x.Kind == Unknown {
		// Every value it may take the same Boolean: that is the value.
		if alts := x.alternatives(); alts != nil {
			first, same := boolOf(alts[0].S)
			for _, a := range alts {
				v, ok := boolOf(a.S)
				same = same && ok && a.Kind == Scalar && v == first
			}
			if same {
				return model.FlagOf(first)
			}
		}
		p.note(k, x.S)
		return model.UnknownFlag
	}
	if x.Kind == Scalar {
		if v, ok := boolOf(x.S); ok {
			return model.FlagOf(v)
		}
	}
	p.note(k, fmt.Sprintf("%q is not a Boolean", x.S))
	return model.UnknownFlag
}

func (p *props) boolean(k string, def bool) bool { return p.flag(k, def) == model.True }

// int reads an Integer property; ok is false when absent or unknown.
func (p *props) int(k string) (int, bool) {
	x := p.get(k)
	if x == nil {
		return 0, false
	}
	if x.Kind == Unknown {
		p.note(k, x.S)
		return 0, false
	}
	if x.Kind == Scalar {
		if n, ok := intOf(x.S); ok {
			return n, true
		}
	}
	p.note(k, fmt.Sprintf("%q is not an integer", x.S))
	return 0, false
}

// strs reads a list of strings; unknown parts are noted and left out.
// complete is false when something was left out.
func (p *props) strs(k string) (out []string, complete bool) {
	x := p.get(k)
	if x == nil {
		return nil, true
	}
	complete = true
	switch x.Kind {
	case Unknown:
		if alts := x.alternatives(); alts != nil {
			// Every value it may take is known: read their union, the
			// wider reading for groups and subnets.
			var union []string
			for _, a := range alts {
				switch a.Kind {
				case Scalar:
					union = append(union, a.S)
				case List:
					for _, e := range a.L {
						if e.Kind != Scalar {
							goto unknownList
						}
						union = append(union, e.S)
					}
				case noValue, Null:
				default:
					goto unknownList
				}
			}
			p.note(k, x.S+": read as the union of its alternatives")
			return dedupe(union), true
		}
	unknownList:
		p.note(k, x.S)
		return nil, false
	case Scalar:
		return []string{x.S}, true
	case List:
		for _, e := range x.L {
			switch e.Kind {
			case Scalar:
				out = append(out, e.S)
			case Unknown:
				p.note(k, e.S)
				complete = false
			default:
				p.note(k, "an element is "+e.describe())
				complete = false
			}
		}
	}
	return out, complete
}

// list returns the maps of a list property; an unknown list is noted.
func (p *props) list(k string) (out []*props, complete bool) {
	x := p.get(k)
	if x == nil {
		return nil, true
	}
	if x.Kind == Unknown {
		if alts := x.alternatives(); alts != nil {
			var items []*Value
			ok := true
			for _, a := range alts {
				if a.Kind != List {
					ok = false
					break
				}
				items = append(items, a.L...)
			}
			if ok {
				p.note(k, x.S+": read as the union of its alternatives")
				x = &Value{Kind: List, Line: x.Line, L: items}
			}
		}
	}
	if x.Kind == Unknown {
		p.note(k, x.S)
		return nil, false
	}
	if x.Kind == Map {
		// One map where a list is due: read it as a list of one.
		x = &Value{Kind: List, Line: x.Line, L: []*Value{x}}
	}
	if x.Kind != List {
		p.note(k, "not a list")
		return nil, false
	}
	complete = true
	for i, e := range x.L {
		if e.Kind == Unknown {
			p.note(fmt.Sprintf("%s[%d]", k, i), e.S)
			complete = false
			continue
		}
		if e.Kind != Map {
			continue
		}
		c := p.sub(e, fmt.Sprintf("%s[%d]", k, i))
		c.origin.Line = lineOr(e.Line, p.origin.Line)
		c.origin.Path = p.root().origin.Path + ".Properties." + p.ppath + fmt.Sprintf("%s[%d]", k, i)
		out = append(out, c)
	}
	return out, complete
}

// obj returns a map property as nested props, or nil.
func (p *props) obj(k string) *props {
	x := p.get(k)
	if x == nil {
		return nil
	}
	if x.Kind == Unknown {
		p.note(k, x.S)
		return nil
	}
	if x.Kind != Map {
		return nil
	}
	return p.sub(x, k)
}

func lineOr(l, def int) int {
	if l > 0 {
		return l
	}
	return def
}

// line is the line of property k, or the resource's line.
func (p *props) line(k string) int {
	if x := p.v.Get(k); x != nil && x.Line > 0 {
		return x.Line
	}
	return p.origin.Line
}

// badf is a bad-value error on this resource: a value CloudFormation
// would refuse (a port past 65535, ...), never repaired.
func (p *props) badf(k, format string, args ...any) error {
	return &diag.Error{File: p.s.file, Line: p.line(k), Resource: p.r.id, Code: "bad-value", Message: fmt.Sprintf(format, args...)}
}

// namesResource reports whether s is the logical ID of a resource of the
// stack: what a Ref to a resource evaluates to here, a value AWS assigns at
// deploy time rather than one the template states.
func (p *props) namesResource(s string) bool {
	_, ok := p.s.resources[strings.TrimPrefix(s, p.s.prefix)]
	return ok
}

// intV reads an Integer property that must be one when known: ok is false
// when absent or unknown (noted), and a known value that is not an
// integer is a bad-value error.
func (p *props) intV(k string) (int, bool, error) {
	x := p.get(k)
	switch {
	case x == nil:
		return 0, false, nil
	case x.Kind == Unknown:
		p.note(k, x.S)
		return 0, false, nil
	case x.Kind == Scalar:
		if n, ok := intOf(x.S); ok {
			return n, true, nil
		}
	}
	return 0, false, p.badf(k, "%s %q is not an integer", k, x.S)
}

// port reads a port number property: ok is false when absent or unknown,
// and a known value outside 1-65535 is a bad-value error.
func (p *props) port(k string) (uint16, bool, error) {
	n, ok, err := p.intV(k)
	if err != nil || !ok {
		return 0, false, err
	}
	if n < 1 || n > 65535 {
		return 0, false, p.badf(k, "%s %d is outside 1-65535", k, n)
	}
	return uint16(n), true, nil
}

// errf is a bad-template error on this resource.
func (p *props) errf(k, format string, args ...any) error {
	return &diag.Error{File: p.s.file, Line: p.line(k), Resource: p.r.id, Code: "bad-template", Message: fmt.Sprintf(format, args...)}
}

// warnf records a warning on this resource. A reference to "" is an
// unknown value, not a dangling one.
func (p *props) warnf(code, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if code == "dangling-reference" && strings.Contains(msg, `""`) {
		code = "unknown-value"
		msg = strings.Replace(msg, `""`, "(unknown)", 1)
	}
	p.b.n.Warn(model.Warning{Code: code, Origin: p.origin, Resource: p.r.id, Message: msg})
}

// meta is the Meta of the element this resource becomes.
func (p *props) meta() model.Meta {
	m := model.Meta{
		ID: p.r.id, LogicalID: p.r.id, Account: p.b.r.opts.Account, Region: p.b.r.region,
		Origin: p.origin, Suppressions: p.r.suppress,
	}
	m.Tags = p.tags()
	if n, ok := m.Tags["Name"]; ok {
		m.Name = n
	}
	return m
}

func (p *props) tags() map[string]string {
	x := p.v.Get("Tags")
	if x == nil {
		return nil
	}
	out := map[string]string{}
	switch x.Kind {
	case List:
		for _, t := range x.L {
			k, v := t.Get("Key"), t.Get("Value")
			if k != nil && k.Kind == Scalar && v != nil && v.Kind == Scalar {
				out[k.S] = v.S
			}
		}
	case Map:
		for k, v := range x.M {
			if v.Kind == Scalar {
				out[k] = v.S
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// prefix parses a CIDR property; an unknown one is noted, and a known
// string that is not a CIDR block (a prefix past /32 or /128, ...) is a
// bad-value error (see badCIDR).
func (p *props) prefix(k string) (netip.Prefix, bool) {
	s, u := p.strU(k)
	if u != nil {
		p.note(k, u.S)
		return netip.Prefix{}, false
	}
	if s == "" {
		return netip.Prefix{}, false
	}
	pf, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		if a, err2 := netip.ParseAddr(strings.TrimSpace(s)); err2 == nil {
			return netip.PrefixFrom(a, a.BitLen()), true
		}
		p.badCIDR(k, s)
		return netip.Prefix{}, false
	}
	return pf.Masked(), true
}

// badCIDR reports a known value of k that is not a CIDR block: a bad-value
// error that stops the build, unless it is a Ref to a resource (whose
// value AWS assigns at deploy time), which is noted as unknown.
func (p *props) badCIDR(k, s string) {
	if p.namesResource(s) {
		p.note(k, fmt.Sprintf("a Ref to resource %s, not a CIDR block", s))
		return
	}
	p.b.fail(p.badf(k, "%s %q is not a CIDR block", k, s))
}

// fail records the first bad value met where no error can be returned;
// the build stops after the resource being read.
func (b *builder) fail(err error) {
	if b.bad == nil {
		b.bad = err
	}
}

// addr parses an IP address property.
func (p *props) addr(k string) (netip.Addr, bool) {
	s, u := p.strU(k)
	if u != nil {
		p.note(k, u.S)
		return netip.Addr{}, false
	}
	if s == "" {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		p.note(k, fmt.Sprintf("%q is not an IP address", s))
		return netip.Addr{}, false
	}
	return a, true
}

// typeOf is the CloudFormation type of a template resource ID, or the
// type an AWS ID's prefix says.
func (b *builder) typeOf(id string) string {
	if t, ok := b.types[id]; ok {
		return t
	}
	switch {
	case strings.HasPrefix(id, "igw-"):
		return "AWS::EC2::InternetGateway"
	case strings.HasPrefix(id, "vgw-"):
		return "AWS::EC2::VPNGateway"
	case strings.HasPrefix(id, "eigw-"):
		return "AWS::EC2::EgressOnlyInternetGateway"
	case strings.HasPrefix(id, "nat-"):
		return "AWS::EC2::NatGateway"
	case strings.HasPrefix(id, "pcx-"):
		return "AWS::EC2::VPCPeeringConnection"
	case strings.HasPrefix(id, "tgw-attach-"):
		return "AWS::EC2::TransitGatewayAttachment"
	case strings.HasPrefix(id, "tgw-rtb-"):
		return "AWS::EC2::TransitGatewayRouteTable"
	case strings.HasPrefix(id, "tgw-"):
		return "AWS::EC2::TransitGateway"
	case strings.HasPrefix(id, "eni-"):
		return "AWS::EC2::NetworkInterface"
	case strings.HasPrefix(id, "i-"):
		return "AWS::EC2::Instance"
	case strings.HasPrefix(id, "vpce-"):
		return "AWS::EC2::VPCEndpoint"
	case strings.HasPrefix(id, "sg-"):
		return "AWS::EC2::SecurityGroup"
	case strings.HasPrefix(id, "subnet-"):
		return "AWS::EC2::Subnet"
	case strings.HasPrefix(id, "vpc-"):
		return "AWS::EC2::VPC"
	}
	return ""
}

// vpcOfSubnet returns the VPC of a subnet in the network read so far.
func (b *builder) vpcOfSubnet(subnet string) string {
	if s, ok := b.n.Subnets.Get(subnet); ok {
		return s.VPCID
	}
	return ""
}

func dedupe(s []string) []string {
	if len(s) < 2 {
		return s
	}
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// attachTo finds the resource a standalone resource adds to (a route's
// table, an entry's network ACL, a listener's load balancer, ...) by the
// ID in property key, and binds the properties' unknowns to it. When that
// resource is not in the sources the standalone one adds nothing: a
// warning (missing, a format with one %q for the ID) says so.
func attachTo[T model.Element](p *props, c *model.Collection[T], key, missing string) (T, bool) {
	id := p.str(key)
	e, ok := c.Get(id)
	if !ok {
		p.warnf("dangling-reference", missing, id)
		p.flush()
		return e, false
	}
	p.bindAs(e.Base())
	return e, true
}
