package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// AWS Network Firewall (docs/aws-behaviour.md R9.1-R9.5), compiled once per firewall into a partition of
// header space: each part says what the policy does to the connections
// whose packets lie in it, and which rule decides.
//
// The order is AWS's: the stateless engine first (rule groups by
// priority, rules by priority, then the stateless default actions), then
// for what it forwards the stateful engine (rule groups and rules in
// strict order, or by action — pass, drop, reject, alert — in default
// action order), then the stateful default actions.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-policy-processing.html
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html
//
// Spaces are in the forward direction of a connection (the client's
// request); a rule matching replies is turned around. A connection
// passes only when its requests and its replies pass.

// Explanation codes of Network Firewall decisions (docs/aws-behaviour.md).
const (
	CodeNFWStatelessDrop    = "NFW_STATELESS_RULE_DROP"
	CodeNFWStatelessDefault = "NFW_STATELESS_DEFAULT_DROP"
	CodeNFWStatefulDrop     = "NFW_STATEFUL_RULE_DROP"
	CodeNFWStatefulDefault  = "NFW_STATEFUL_DEFAULT_DROP"
	CodeNFWAsymmetric       = "NFW_ASYMMETRIC_ROUTING"
	// DetailNFWUnsupportedRules is Reachability Analyzer's additional
	// detail code for a rule whose options it does not evaluate.
	// https://docs.aws.amazon.com/vpc/latest/reachability/additional-detail-codes.html
	DetailNFWUnsupportedRules = "FIREWALL_UNSUPPORTED_HIGHER_PRIORITY_RULES"
)

type fwVerdict uint8

const (
	fwPass fwVerdict = iota
	fwDrop
	fwMaybe
)

// fwDecision is what the policy does to one part of header space.
type fwDecision struct {
	verdict fwVerdict
	code    string // for drops
	rule    string // the deciding rule, or default action
	why     string // for maybe: the rules whose content decides
	// stateful is true when the stateful engine inspects the connection:
	// it then needs both directions through the same endpoint.
	stateful bool
}

type fwPart struct {
	space Space
	d     *fwDecision
}

// fwCompiled is a firewall's policy as a partition of header space.
type fwCompiled struct {
	fw     *model.NetworkFirewall
	policy *model.NetworkFirewallPolicy
	// stateless partitions header space by the stateless engine; a part
	// whose rule is "forward" goes on to the stateful engine.
	stateless []fwPart
	// sf are the stateful rules in evaluation order, with the default.
	sf *sfCompiled
	// unknown is set when the policy itself is not known: every packet
	// is possibly passed.
	unknown string
	// rules counts the rules compiled, for the hop.
	rules int
}

// firewallPolicy compiles a firewall's policy once.
func (e *Engine) firewallPolicy(fw *model.NetworkFirewall) *fwCompiled {
	if v, ok := e.nfw.Load(fw.ID); ok {
		return v.(*fwCompiled)
	}
	c := e.compileFirewall(fw)
	v, _ := e.nfw.LoadOrStore(fw.ID, c)
	return v.(*fwCompiled)
}

func (e *Engine) compileFirewall(fw *model.NetworkFirewall) *fwCompiled {
	c := &fwCompiled{fw: fw}
	pol, ok := e.Net.NetworkFirewallPolicies.Get(fw.FirewallPolicyARN)
	switch {
	case fw.FirewallPolicyARN == "":
		c.unknown = "the policy of " + fw.ID + " is not known"
		return c
	case !ok:
		c.unknown = "the policy " + fw.FirewallPolicyARN + " of " + fw.ID + " is not in the sources"
		return c
	case pol.HasUnknown("FirewallPolicy"):
		c.unknown = "the rules of policy " + pol.Label() + " are not in the sources"
		return c
	case unknownsOf(pol) != "":
		// A default action, a rule order or a variable the sources do
		// not fix may change every decision of the policy.
		c.unknown = "policy " + pol.Label() + " has values the sources do not fix (" + unknownsOf(pol) + ")"
		return c
	}
	c.policy = pol
	home := e.homeNet(fw)
	c.stateless = e.statelessParts(pol, home, c)
	c.sf = e.statefulRules(pol, home, c)
	return c
}

// groupUnknowns lists a rule group's values the sources leave unknown
// that may change what it decides: all but its capacity and the
// addresses of stateless rules, which each rule accounts for itself
// (StatelessRule.Unknown).
func groupUnknowns(g *model.NetworkFirewallRuleGroup) string {
	return unknownsExcept(g, func(f string) bool { return f == "Capacity" || strings.HasPrefix(f, "MatchAttributes.") })
}

// homeNet is HOME_NET when no variable defines it: the CIDR of the VPC
// the firewall is in.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/rule-groups-variables.html
func (e *Engine) homeNet(fw *model.NetworkFirewall) *ipset.Set {
	if v, ok := e.Net.VPCs.Get(fw.VPCID); ok && len(v.CIDRs)+len(v.IPv6CIDRs) > 0 {
		return e.vpcCIDRs(v)
	}
	return fullSet
}

// statelessParts partitions header space by the stateless engine. A part
// whose decision is pass with rule "forward" goes on to the stateful
// engine.
func (e *Engine) statelessParts(pol *model.NetworkFirewallPolicy, home *ipset.Set, c *fwCompiled) []fwPart {
	type srule struct {
		group, label string
		actions      []string
		fwd, rev     Space
		partial      bool
		unknown      string
	}
	var rules []srule
	refs := slices.Clone(pol.StatelessRuleGroupReferences)
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].Priority < refs[j].Priority })
	for _, ref := range refs {
		g, ok := e.Net.NetworkFirewallRuleGroups.Get(ref.ResourceARN)
		if !ok || !g.RulesKnown || g.RulesSource.StatelessRulesAndCustomActions == nil || groupUnknowns(g) != "" {
			why := "the stateless rule group " + ref.ResourceARN + " is not in the sources"
			if ok && g.RulesKnown && g.RulesSource.StatelessRulesAndCustomActions != nil {
				why = "the stateless rule group " + g.Label() + " has values the sources do not fix (" + groupUnknowns(g) + ")"
			} else if ok {
				why = "the rules of the stateless rule group " + g.Label() + " are not in the sources"
			}
			rules = append(rules, srule{group: ref.ResourceARN, label: ref.ResourceARN, unknown: why, fwd: Space{AllPackets()}})
			continue
		}
		rs := slices.Clone(g.RulesSource.StatelessRulesAndCustomActions.StatelessRules)
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].Priority < rs[j].Priority })
		for _, r := range rs {
			c.rules++
			m := r.MatchAttributes
			if r.Unknown != "" {
				// Some addresses are unknown: the rule may match any
				// address, and what it decides there is unknown.
				m.Sources, m.Destinations = nil, nil
			}
			fwd := statelessCube(m)
			rev := make(Space, 0, len(fwd))
			for _, x := range fwd {
				rev = append(rev, reverseCube(x))
			}
			label := fmt.Sprintf("stateless rule group %s priority %d (%s)", g.Label(), r.Priority, strings.Join(r.Actions, ","))
			sr := srule{group: g.Label(), label: label, actions: r.Actions, fwd: fwd, rev: rev, partial: len(r.MatchAttributes.TCPFlags) > 0}
			if r.Unknown != "" {
				sr.unknown = label + ": " + r.Unknown
			}
			rules = append(rules, sr)
		}
	}
	def := standardAction(pol.StatelessDefaultActions)
	// Evaluate requests and replies each by the first matching rule.
	type dirPart struct {
		space  Space
		action string
		label  string
		maybe  string
	}
	eval := func(rev bool) []dirPart {
		rest := Space{AllPackets()}
		var out []dirPart
		var maybes []string
		for _, r := range rules {
			m := r.fwd
			if rev && r.rev != nil {
				m = r.rev
			}
			in := rest.Intersect(m)
			if in.Empty() {
				continue
			}
			if r.unknown != "" {
				out = append(out, dirPart{space: in, action: "unknown", label: r.label, maybe: r.unknown})
				rest = rest.Subtract(in)
				continue
			}
			a := standardAction(r.actions)
			if r.partial {
				// TCP flags: the rule acts on some packets of the
				// connection only.
				maybes = append(maybes, r.label+" matches only some TCP packets (TCP flags)")
				continue
			}
			out = append(out, dirPart{space: in, action: a, label: r.label, maybe: strings.Join(maybes, "; ")})
			rest = rest.Subtract(in)
		}
		if !rest.Empty() {
			out = append(out, dirPart{space: rest, action: def, label: "stateless default action " + def, maybe: strings.Join(maybes, "; ")})
		}
		return out
	}
	fwd, rev := eval(false), eval(true)
	var parts []fwPart
	for _, f := range fwd {
		for _, r := range rev {
			in := f.space.Intersect(r.space)
			if in.Empty() {
				continue
			}
			parts = append(parts, fwPart{space: in, d: combineStateless(f.action, f.label, f.maybe, r.action, r.label, r.maybe)})
		}
	}
	return parts
}

func combineStateless(fa, fl, fm, ra, rl, rm string) *fwDecision {
	drop := func(a, l string) *fwDecision {
		code := CodeNFWStatelessDrop
		if strings.HasPrefix(l, "stateless default") {
			code = CodeNFWStatelessDefault
		}
		return &fwDecision{verdict: fwDrop, code: code, rule: l}
	}
	switch {
	case fa == model.NFWDrop:
		return drop(fa, fl)
	case ra == model.NFWDrop:
		d := drop(ra, rl)
		d.rule += " on the replies"
		return d
	case fa == "unknown" || ra == "unknown":
		why := fm
		if fa != "unknown" {
			why = rm
		}
		return &fwDecision{verdict: fwMaybe, rule: fl, why: why}
	case fa == model.NFWForwardToSFE || ra == model.NFWForwardToSFE:
		return &fwDecision{verdict: fwPass, rule: "forward", why: joinNonEmpty(fm, rm)}
	}
	d := &fwDecision{verdict: fwPass, rule: fl}
	if why := joinNonEmpty(fm, rm); why != "" {
		d.verdict, d.why = fwMaybe, why
	}
	return d
}

func joinNonEmpty(ss ...string) string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

// standardAction is the one of aws:pass, aws:drop, aws:forward_to_sfe in
// a list of actions (the others are custom actions, which only publish
// metrics). An empty list forwards (AWS requires one; a template that
// states none is read as the safe reading for exposure: inspected).
func standardAction(as []string) string {
	for _, a := range as {
		switch a {
		case model.NFWPass, model.NFWDrop, model.NFWForwardToSFE:
			return a
		}
	}
	return model.NFWForwardToSFE
}

func statelessCube(m model.NFWMatchAttributes) Space {
	c := AllPackets()
	if len(m.Sources) > 0 {
		c.Src = SetOf(m.Sources)
	}
	if len(m.Destinations) > 0 {
		c.Dst = SetOf(m.Destinations)
	}
	if len(m.Protocols) > 0 {
		var ps ProtoSet
		for _, p := range m.Protocols {
			ps = ps.Or(ProtoOf(model.Protocol(p)))
		}
		c.Proto = ps
	}
	ported := Cube{Src: c.Src, Dst: c.Dst, Proto: c.Proto.And(protoTCP.Or(protoUDP)), SrcPorts: AllRanges(), DstPorts: AllRanges()}
	if len(m.SourcePorts) > 0 {
		ported.SrcPorts = portRanges(m.SourcePorts)
	}
	if len(m.DestinationPorts) > 0 {
		ported.DstPorts = portRanges(m.DestinationPorts)
	}
	var out Space
	if !ported.Empty() {
		out = append(out, ported)
	}
	if len(m.SourcePorts) == 0 && len(m.DestinationPorts) == 0 {
		if other := (Cube{Src: c.Src, Dst: c.Dst, Proto: c.Proto.AndNot(protoTCP.Or(protoUDP)), SrcPorts: AllRanges(), DstPorts: AllRanges()}); !other.Empty() {
			out = append(out, other)
		}
	}
	return out
}

func portRanges(rs []model.PortRange) Ranges {
	var out Ranges
	for _, r := range rs {
		out = out.Union(RangeOf(r))
	}
	return out
}

func reverseCube(c Cube) Cube {
	r := c
	r.Src, r.Dst = c.Dst, c.Src
	if c.Proto.And(icmpProtos).Empty() {
		r.SrcPorts, r.DstPorts = c.DstPorts, c.SrcPorts
	}
	return r
}

// sfRule is one stateful rule as the engine reads it.
type sfRule struct {
	action string // pass, drop, reject, alert
	label  string
	view   ruleView
	// remake reads the rule again for another HOME_NET; nil when the rule
	// does not depend on it.
	remake func(*vars) ruleView
}

// sfEntry is one stateful rule with the sets its cubes span, to skip it
// cheaply for packets it cannot match.
type sfEntry struct {
	r        sfRule
	src, dst *ipset.Set
	protos   ProtoSet
	dports   Ranges
	all      bool // matches anything (an unknown group, a rule not read)
}

// sfCompiled is the stateful engine of a policy: its rules in the order
// it evaluates them, and its default.
type sfCompiled struct {
	rules      []sfEntry
	defVerdict fwVerdict
	defRule    string
	// wide are the rules whose destinations are too wide to index (in
	// order); narrow indexes the others by IPv4 destination range.
	wide     []int
	narrow   []dstRange // sorted by from
	maxWidth uint32
}

// dstRange is one IPv4 destination range of a rule.
type dstRange struct {
	from, to uint32
	rule     int
}

func v4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// index sorts the rules into those to try for every packet and those to
// find by destination.
func (sc *sfCompiled) index() {
	for i := range sc.rules {
		en := &sc.rules[i]
		var rs []dstRange
		ok := !en.all
		if ok {
			for _, r := range en.dst.Ranges() {
				if !r.From().Is4() || !r.To().Is4() {
					ok = false
					break
				}
				f, t := v4(r.From()), v4(r.To())
				if t-f > 1<<16 {
					ok = false
					break
				}
				rs = append(rs, dstRange{from: f, to: t, rule: i})
			}
		}
		if !ok || len(rs) == 0 {
			sc.wide = append(sc.wide, i)
			continue
		}
		for _, r := range rs {
			sc.maxWidth = max(sc.maxWidth, r.to-r.from)
		}
		sc.narrow = append(sc.narrow, rs...)
	}
	sort.Slice(sc.narrow, func(i, j int) bool { return sc.narrow[i].from < sc.narrow[j].from })
}

// candidates are the rules that may match packets of the span, in
// evaluation order.
func (sc *sfCompiled) candidates(sp span) []int {
	if len(sc.narrow) == 0 {
		return sc.wide
	}
	out := slices.Clone(sc.wide)
	{
		for _, r := range sp.dst.Ranges() {
			if !r.From().Is4() {
				continue
			}
			a, b := v4(r.From()), uint32(0xffffffff)
			if r.To().Is4() {
				b = v4(r.To())
			}
			lo := uint32(0)
			if a > sc.maxWidth {
				lo = a - sc.maxWidth
			}
			i := sort.Search(len(sc.narrow), func(i int) bool { return sc.narrow[i].from >= lo })
			for ; i < len(sc.narrow) && sc.narrow[i].from <= b; i++ {
				if x := sc.narrow[i]; x.to >= a {
					out = append(out, x.rule)
				}
			}
		}
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

func (e *Engine) statefulRules(pol *model.NetworkFirewallPolicy, home *ipset.Set, c *fwCompiled) *sfCompiled {
	strict := pol.StatefulEngineOptions.IsStrict()
	refs := slices.Clone(pol.StatefulRuleGroupReferences)
	if strict {
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].Priority < refs[j].Priority })
	}
	var rules []sfEntry
	for _, ref := range refs {
		g, ok := e.Net.NetworkFirewallRuleGroups.Get(ref.ResourceARN)
		if !ok || !g.RulesKnown || groupUnknowns(g) != "" {
			why := "the stateful rule group " + ref.ResourceARN + " is not in the sources"
			switch {
			case ok && g.RulesKnown:
				why = "the stateful rule group " + g.Label() + " has values the sources do not fix (" + groupUnknowns(g) + ")"
			case model.IsManagedRuleGroup(ref.ResourceARN):
				why = "the AWS managed rule group " + ref.ResourceARN + " is not described by any source"
			case ok:
				why = "the rules of the stateful rule group " + g.Label() + " are not in the sources"
			}
			rules = append(rules, entryOf(sfRule{action: "unknown", label: ref.ResourceARN, view: ruleView{space: Space{AllPackets()}, err: why}}))
			continue
		}
		v := e.groupVars(g, pol, home)
		for _, en := range e.cachedGroupRules(g, pol, v) {
			c.rules++
			if ref.Override == "DROP_TO_ALERT" && (en.r.action == "drop" || en.r.action == "reject") {
				en.r.action = "alert"
			}
			if en.r.action == "alert" {
				continue // alerts decide nothing
			}
			rules = append(rules, en)
		}
	}
	if !strict {
		// Default action order: all pass rules first, then drop, reject,
		// alert; the order of the groups does not matter.
		rank := map[string]int{"pass": 0, "drop": 1, "reject": 2, "unknown": 0}
		sort.SliceStable(rules, func(i, j int) bool { return rank[rules[i].r.action] < rank[rules[j].r.action] })
	}
	sc := &sfCompiled{defVerdict: fwPass, defRule: "no stateful rule matches (stateful default: pass)"}
	for _, a := range pol.StatefulDefaultActions {
		switch a {
		case model.NFWDropStrict:
			sc.defVerdict, sc.defRule = fwDrop, "stateful default action aws:drop_strict"
		case model.NFWDropEstablish:
			// Lets the handshake through, drops the established
			// connection: nothing is exchanged.
			sc.defVerdict, sc.defRule = fwDrop, "stateful default action aws:drop_established"
		}
	}
	sc.rules = rules
	sc.index()
	return sc
}

// spanOf is what a query's packets span once translated: the sets the
// rules are matched against.
type span struct {
	src, dst *ipset.Set
	protos   ProtoSet
	ports    Ranges // destination and source ports (a rule may match either way)
}

func spanOf(s Space, rw *rewrite) span {
	sp := span{src: emptySet, dst: emptySet}
	for _, c := range s {
		sp.src, sp.dst = sp.src.Union(c.Src), sp.dst.Union(c.Dst)
		sp.protos = sp.protos.Or(c.Proto)
		sp.ports = sp.ports.Union(c.DstPorts).Union(c.SrcPorts)
	}
	if rw != nil {
		if rw.src != nil {
			sp.src = sp.src.Union(rw.src)
		}
		if rw.dst != nil {
			sp.dst = sp.dst.Union(rw.dst)
		}
		if rw.remapPorts {
			sp.ports = AllRanges()
		}
	}
	return sp
}

// mayMatch is the cheap test: false when the rule cannot match any packet
// of the span, in either direction.
func (en *sfEntry) mayMatch(sp span) bool {
	if en.all {
		return true
	}
	if en.protos.And(sp.protos).Empty() || en.dports.Intersect(sp.ports).Empty() {
		return false
	}
	// The rule's cubes are in the connection's forward direction
	// already (a rule on replies is turned around).
	return en.src.Overlaps(sp.src) && en.dst.Overlaps(sp.dst)
}

type fwOut = struct {
	space Space
	d     *fwDecision
}

// eval runs the stateful engine over packets: each part with the rule
// that decides it.
func (sc *sfCompiled) eval(s Space, rw *rewrite) []fwOut {
	type pending struct {
		space            Space
		maybe            []string // rules that may decide otherwise, by content
		mayPass, mayDrop bool
	}
	sp := spanOf(s, rw)
	rest := []pending{{space: s}}
	var parts []fwOut
	for _, i := range sc.candidates(sp) {
		en := &sc.rules[i]
		if len(rest) == 0 {
			break
		}
		if !en.mayMatch(sp) {
			continue
		}
		r := en.r
		var next []pending
		for _, p := range rest {
			var in Space
			for _, cu := range r.view.space {
				in = append(in, pick(p.space.Subtract(in), cu, rw)...)
			}
			if in.Empty() {
				next = append(next, p)
				continue
			}
			if out := p.space.Subtract(in); !out.Empty() {
				next = append(next, pending{space: out, maybe: p.maybe, mayPass: p.mayPass, mayDrop: p.mayDrop})
			}
			switch {
			case r.action == "unknown" || r.view.err != "":
				why := r.view.err
				if r.action != "unknown" {
					why = r.label + ": " + r.view.err
				}
				next = append(next, pending{space: in, maybe: appendUniq(p.maybe, why), mayPass: true, mayDrop: true})
			case r.view.content != "":
				why := fmt.Sprintf("%s (%s) may match by %s, which vpcreach does not evaluate (%s)", r.label, r.action, r.view.content, DetailNFWUnsupportedRules)
				np := pending{space: in, maybe: appendUniq(p.maybe, why), mayPass: p.mayPass, mayDrop: p.mayDrop}
				if r.action == "pass" {
					np.mayPass = true
				} else {
					np.mayDrop = true
				}
				next = append(next, np)
			case r.view.partial && r.action == "pass":
				// Passes some packets of the connection (the handshake,
				// say); the others go on to the next rules.
				next = append(next, pending{space: in, maybe: p.maybe, mayPass: p.mayPass, mayDrop: p.mayDrop})
			default:
				d := &fwDecision{stateful: true, rule: r.label}
				if r.action == "pass" {
					d.verdict = fwPass
					if p.mayDrop {
						d.verdict, d.why = fwMaybe, strings.Join(p.maybe, "; ")
					}
				} else {
					d.verdict, d.code = fwDrop, CodeNFWStatefulDrop
					if p.mayPass {
						d.verdict, d.why = fwMaybe, strings.Join(p.maybe, "; ")
					}
				}
				parts = append(parts, fwOut{space: in, d: d})
			}
		}
		rest = next
	}
	for _, p := range rest {
		d := &fwDecision{stateful: true, verdict: sc.defVerdict, rule: sc.defRule}
		if sc.defVerdict == fwDrop {
			d.code = CodeNFWStatefulDefault
			if p.mayPass {
				d.verdict, d.why = fwMaybe, strings.Join(p.maybe, "; ")
			}
		} else if p.mayDrop {
			d.verdict, d.why = fwMaybe, strings.Join(p.maybe, "; ")
		}
		parts = append(parts, fwOut{space: p.space, d: d})
	}
	return parts
}

func appendUniq(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(slices.Clip(ss), s)
}

// groupVars are a group's variables, the policy's overriding them.
func (e *Engine) groupVars(g *model.NetworkFirewallRuleGroup, pol *model.NetworkFirewallPolicy, home *ipset.Set) *vars {
	v := &vars{ip: map[string]*ipset.Set{}, ports: g.RuleVariables.PortSets, home: home}
	for k, ps := range g.RuleVariables.IPSets {
		v.ip[k] = SetOf(ps)
	}
	for k, ps := range pol.PolicyVariables {
		v.ip[k] = SetOf(ps)
	}
	for k, arn := range g.IPSetReferences {
		if set, ok := e.prefixListSet(arn); ok {
			v.ip[k] = set
		}
	}
	return v
}

// entryOf is a rule with the sets its cubes span.
func entryOf(r sfRule) sfEntry {
	en := sfEntry{r: r, src: emptySet, dst: emptySet}
	if r.action == "unknown" || r.view.err != "" {
		en.all = true
	}
	for _, cu := range r.view.space {
		en.src, en.dst = en.src.Union(cu.Src), en.dst.Union(cu.Dst)
		en.protos = en.protos.Or(cu.Proto)
		en.dports = en.dports.Union(cu.DstPorts)
	}
	return en
}

// cachedGroupRules reads a group's rules once per policy (the policy's
// variables override the group's): firewalls in other VPCs re-read only
// the rules that use HOME_NET, whose default is the firewall's VPC.
func (e *Engine) cachedGroupRules(g *model.NetworkFirewallRuleGroup, pol *model.NetworkFirewallPolicy, v *vars) []sfEntry {
	key := g.ID + "\x00" + pol.ID
	if x, ok := e.nfwGroups.Load(key); ok {
		cached := x.([]sfEntry)
		out := make([]sfEntry, len(cached))
		for i, en := range cached {
			if en.r.remake != nil {
				r := en.r
				r.view = r.remake(v)
				en = entryOf(r)
			}
			out[i] = en
		}
		return out
	}
	rs := groupRules(g, v)
	out := make([]sfEntry, len(rs))
	for i, r := range rs {
		out[i] = entryOf(r)
	}
	e.nfwGroups.Store(key, out)
	return out
}

// groupRules reads a stateful group's rules, in the order they are written.
func groupRules(g *model.NetworkFirewallRuleGroup, v *vars) []sfRule {
	var out []sfRule
	src := g.RulesSource
	name := g.Label()
	if src.RulesString != "" {
		rs, errs := parseSuricata(src.RulesString, src.Origin.Line+1)
		for _, err := range errs {
			out = append(out, sfRule{action: "unknown", label: name, view: ruleView{space: Space{AllPackets()}, err: "a rule of " + name + " cannot be read (" + err.Error() + ")"}})
		}
		for i := range rs {
			r := &rs[i]
			out = append(out, sfRule{action: normAction(r.action), label: "rule group " + name + " " + r.label, view: r.view(v), remake: r.remaker()})
		}
	}
	for i, sr := range src.StatefulRules {
		h := sr.Header
		arrow := "->"
		if strings.EqualFold(h.Direction, "ANY") {
			arrow = "<>"
		}
		r := suricataRule{action: strings.ToLower(sr.Action), proto: strings.ToLower(h.Protocol), src: h.Source, sport: h.SourcePort,
			bidir: arrow == "<>", dst: h.Destination, dport: h.DestinationPort, label: fmt.Sprintf("rule %d", i+1)}
		for _, o := range sr.RuleOptions {
			r.opts = append(r.opts, ruleOpt{key: o.Keyword, val: strings.Join(o.Settings, ",")})
			if o.Keyword == "sid" && len(o.Settings) > 0 {
				r.label = "sid:" + o.Settings[0]
			}
		}
		out = append(out, sfRule{action: normAction(r.action), label: "rule group " + name + " " + r.label, view: r.view(v), remake: r.remaker()})
	}
	if l := src.RulesSourceList; l != nil {
		out = append(out, domainListRules(name, l, v)...)
	}
	return out
}

func normAction(a string) string {
	if strings.HasPrefix(a, "reject") {
		return "reject"
	}
	return a
}

// domainListRules: a domain list decides only HTTP and TLS traffic, by
// the host name or SNI it carries, which no source holds; other traffic
// goes on to the next rules.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html
func domainListRules(name string, l *model.RulesSourceList, v *vars) []sfRule {
	space := Space{{Src: v.homeOr(), Dst: fullSet, Proto: protoTCP, SrcPorts: AllRanges(), DstPorts: AllRanges()}}
	what := fmt.Sprintf("the domain list %s (%s of %s)", name, strings.ToLower(l.GeneratedRulesType), strings.Join(l.TargetTypes, "/"))
	view := ruleView{space: space, content: "the HTTP host or TLS SNI name"}
	remake := func(v *vars) ruleView {
		return ruleView{space: Space{{Src: v.homeOr(), Dst: fullSet, Proto: protoTCP, SrcPorts: AllRanges(), DstPorts: AllRanges()}}, content: view.content}
	}
	switch l.GeneratedRulesType {
	case "ALLOWLIST":
		return []sfRule{
			{action: "pass", label: what, view: view, remake: remake},
			{action: "drop", label: what + ", for other names", view: view, remake: remake},
		}
	case "DENYLIST", "REJECTLIST":
		return []sfRule{{action: "drop", label: what, view: view, remake: remake}}
	}
	return nil
}

func (v *vars) homeOr() *ipset.Set {
	if s, ok := v.ip["HOME_NET"]; ok {
		return s
	}
	return v.home
}

// filter applies a compiled firewall to packets: each part of the space
// with the decision that covers it. The stateless partition is small;
// the stateful rules are walked in order, skipping at once those that
// cannot match the packets, so a policy of many rules costs little for
// packets few of them concern.
func (c *fwCompiled) filter(s Space, rw *rewrite) []fwOut {
	if c.unknown != "" {
		return []fwOut{{space: s, d: &fwDecision{verdict: fwMaybe, why: c.unknown, rule: "policy unknown"}}}
	}
	var res []fwOut
	rest := s
	for _, p := range c.stateless {
		if rest.Empty() {
			break
		}
		var in Space
		for _, cube := range p.space {
			in = append(in, pick(rest.Subtract(in), cube, rw)...)
		}
		if in.Empty() {
			continue
		}
		rest = rest.Subtract(in)
		if p.d.verdict == fwPass && p.d.rule == "forward" {
			for _, o := range c.sf.eval(in, rw) {
				if p.d.why != "" && o.d.verdict == fwPass {
					d := *o.d
					d.verdict, d.why = fwMaybe, p.d.why
					o.d = &d
				}
				res = append(res, o)
			}
			continue
		}
		res = append(res, fwOut{space: in, d: p.d})
	}
	return res
}
