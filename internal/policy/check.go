package policy

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// Status is a rule's answer.
type Status string

// Rule statuses.
const (
	Pass Status = "pass"
	Fail Status = "fail"
)

// Result is the answer for a whole policy.
type Result struct {
	Rules []RuleResult
}

// Violated counts the rules that fail.
func (r *Result) Violated() int {
	n := 0
	for _, rr := range r.Rules {
		if rr.Status == Fail {
			n++
		}
	}
	return n
}

// RuleResult is the answer for one rule: every matched pair examined,
// the violating ones listed with their evidence.
type RuleResult struct {
	Rule   Rule
	Status Status
	// Pairs counts the (from, to) pairs examined.
	Pairs      int
	Violations []Violation
}

// Place is one end of a pair: what a selector matched.
type Place struct {
	// Label is how messages name it: the resource ID (with the interface
	// when the resource has several), or the REF as written.
	Label string
	// ID is the resource's own ID, "" for the internet or an address.
	ID string
	// Interface is the network interface the place is, when it is one.
	Interface string
	Name      string
	Type      string
	Origin    model.Origin
	ep        reach.Endpoint
}

// Violation is one (from, to) pair that breaks a rule, with its path.
type Violation struct {
	From, To   Place
	Protocol   string
	Ports      model.PortRange
	Verdict    reach.Verdict
	Hops       []reach.Hop
	ReturnHops []reach.Hop
	BlockedBy  *reach.Block
	Reason     string
	// Services are the protocols and ports that get through when the rule
	// asked for several and only some do.
	Services []string
}

// Check answers every rule of the policy over the engine's network. It
// returns an error (a diag.Error at the policy's line) when a selector
// names nothing in the network: a rule about nothing would pass without
// having checked anything.
func Check(ctx context.Context, e *reach.Engine, pol *Policy) (*Result, error) {
	m := newMatcher(e)
	type job struct {
		rule     int
		from, to *Place
	}
	res := &Result{Rules: make([]RuleResult, len(pol.Rules))}
	var jobs []job
	for i, r := range pol.Rules {
		res.Rules[i] = RuleResult{Rule: r, Status: Pass, Violations: []Violation{}}
		froms, err := m.places(pol.File, r.ID, "from", r.From)
		if err != nil {
			return nil, err
		}
		tos, err := m.places(pol.File, r.ID, "to", r.To)
		if err != nil {
			return nil, err
		}
		for _, f := range froms {
			for _, t := range tos {
				if f.Label == t.Label {
					continue
				}
				jobs = append(jobs, job{i, f, t})
			}
		}
	}
	verdicts := make([]reach.Result, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				j := jobs[k]
				verdicts[k] = e.Flow(ctx, query(pol.Rules[j.rule], j.from.ep, j.to.ep))
			}
		}()
	}
	for k := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for k, j := range jobs {
		rr := &res.Rules[j.rule]
		rr.Pairs++
		v := verdicts[k]
		if !violates(rr.Rule.Kind, v.Verdict) {
			continue
		}
		rr.Status = Fail
		rr.Violations = append(rr.Violations, violation(rr.Rule, *j.from, *j.to, v))
	}
	return res, nil
}

func violates(k Kind, v reach.Verdict) bool {
	if k == Deny {
		return v != reach.Unreachable
	}
	return v != reach.Reachable
}

// query is the one set-valued flow question of a pair: every port and
// protocol of the rule at once.
func query(r Rule, from, to reach.Endpoint) reach.Query {
	q := reach.Query{From: from, To: to, Protocol: r.Protocol, ICMPCode: -1}
	if r.Ports == nil {
		q.AnyDstPort = true
	} else {
		q.DstPort, q.DstPortTo = r.Ports.From, r.Ports.To
	}
	return q
}

func violation(r Rule, from, to Place, res reach.Result) Violation {
	v := Violation{From: from, To: to, Protocol: r.Protocol.String(), Ports: model.PortRange{From: 0, To: 65535},
		Verdict: res.Verdict, Reason: res.Reason, Hops: []reach.Hop{}, ReturnHops: []reach.Hop{}, Services: res.Services}
	if r.Ports != nil {
		v.Ports = *r.Ports
	}
	if b := res.Best; b != nil {
		v.Hops = append(v.Hops, b.Hops...)
		v.ReturnHops = append(v.ReturnHops, b.ReturnHops...)
		v.BlockedBy = b.BlockedBy
		if res.Verdict == reach.PossiblyReachable && len(b.Reasons) > 0 && !strings.Contains(v.Reason, b.Reasons[0]) {
			v.Reason = strings.TrimSuffix(v.Reason, ".")
			if v.Reason != "" {
				v.Reason += ": "
			}
			v.Reason += strings.Join(b.Reasons, "; ")
		}
	}
	switch {
	case r.Kind == Deny && res.Verdict == reach.Reachable:
		v.Reason = "denied flow is reachable: " + v.Reason
	case r.Kind == Deny:
		v.Reason = "denied flow may be reachable (possibly is not unreachable): " + v.Reason
	case res.Verdict == reach.Unreachable:
		v.Reason = "required flow is unreachable: " + v.Reason
		if v.BlockedBy != nil && !strings.Contains(v.Reason, v.BlockedBy.Reason) {
			v.Reason += ": " + v.BlockedBy.Reason
		}
	default:
		v.Reason = "required flow is only possibly reachable (possibly is never a pass): " + v.Reason
	}
	return v
}

// matcher resolves selectors to places over one network.
type matcher struct {
	e      *reach.Engine
	enis   []*model.NetworkInterface
	owners map[string]model.Element
	perOwn map[string]int
}

func newMatcher(e *reach.Engine) *matcher {
	m := &matcher{e: e, owners: map[string]model.Element{}, perOwn: map[string]int{}}
	m.enis = e.Net.NetworkInterfaces.All()
	sort.Slice(m.enis, func(i, j int) bool { return m.enis[i].ID < m.enis[j].ID })
	for _, ni := range m.enis {
		if ni.OwnerID == "" {
			continue
		}
		if _, ok := m.owners[ni.OwnerID]; !ok {
			if el, ok := e.Net.Lookup(ni.OwnerID); ok {
				m.owners[ni.OwnerID] = el
			} else {
				m.owners[ni.OwnerID] = nil
			}
		}
		m.perOwn[ni.OwnerID]++
	}
	return m
}

// places lists what a selector matches, each place once.
func (m *matcher) places(file, rule, side string, sel Selector) ([]*Place, error) {
	var out []*Place
	seen := map[string]bool{}
	add := func(p *Place) {
		if !seen[p.Label] {
			seen[p.Label] = true
			out = append(out, p)
		}
	}
	for _, t := range sel.Terms {
		n := len(out)
		if t.Ref != "" {
			ep, err := m.e.Resolve(t.Ref)
			if err != nil {
				if ids := m.named(t.Ref); len(ids) > 1 {
					if len(ids) > 5 {
						ids = append(ids[:5], "…")
					}
					return nil, diag.Errorf(file, t.Line, CodeAmbiguousRef,
						"rule %s %s: %q is the Name tag of several resources (%s): name one by ID, or select them all with {tag: {Name: %s}}",
						rule, side, t.Ref, strings.Join(ids, ", "), t.Ref)
				}
				return nil, diag.Errorf(file, t.Line, CodeMatchesNothing, "rule %s %s: %v", rule, side, err)
			}
			if ep.Kind == reach.EndpointVPC {
				// A VPC stands for every interface in it.
				for _, ni := range m.enis {
					if ni.VPCID == ep.VPC.ID {
						add(m.eniPlace(ni))
					}
				}
			} else {
				add(m.refPlace(t.Ref, ep))
			}
		} else {
			for _, ni := range m.enis {
				if m.matches(t, ni) {
					add(m.eniPlace(ni))
				}
			}
		}
		if len(out) == n && !anySeen(m, t, seen) {
			return nil, diag.Errorf(file, t.Line, CodeMatchesNothing,
				"rule %s %s: %s matches nothing in the sources (a rule about nothing would pass unchecked)", rule, side, t)
		}
	}
	return out, nil
}

// anySeen tells a term that matched only places an earlier term of the
// list matched already (fine) from one that matched nothing.
func anySeen(m *matcher, t Term, seen map[string]bool) bool {
	if t.Ref != "" {
		return true // resolved, hence matched something
	}
	for _, ni := range m.enis {
		if m.matches(t, ni) {
			return true
		}
	}
	return false
}

// named lists the IDs of the resources whose Name tag is name, sorted.
func (m *matcher) named(name string) []string {
	var ids []string
	m.e.Net.Elements(func(el model.Element) {
		if b := el.Base(); b.Name == name {
			ids = append(ids, b.ID)
		}
	})
	sort.Strings(ids)
	return ids
}

func (m *matcher) refPlace(ref string, ep reach.Endpoint) *Place {
	p := &Place{Label: ref, ep: ep}
	var el model.Element
	switch {
	case ep.Element != nil:
		el = ep.Element
	case ep.ENI != nil:
		el = ep.ENI
		if o := m.owners[ep.ENI.OwnerID]; o != nil {
			el = o
		}
	case ep.Subnet != nil && ep.Kind == reach.EndpointSubnet:
		el = ep.Subnet
	}
	if ep.ENI != nil {
		p.Interface = ep.ENI.ID
	}
	if el != nil {
		b := el.Base()
		p.ID, p.Name, p.Type, p.Origin = b.ID, b.Name, el.Type(), b.Origin
		p.Label = b.ID
		if ep.ENI != nil && b.ID != ep.ENI.ID && m.perOwn[ep.ENI.OwnerID] > 1 {
			p.Label = b.ID + " " + ep.ENI.ID
		}
	}
	return p
}

func (m *matcher) eniPlace(ni *model.NetworkInterface) *Place {
	ep, err := m.e.Resolve(ni.ID)
	if err != nil {
		ep = reach.Endpoint{Kind: reach.EndpointENI, Ref: ni.ID, ENI: ni}
	}
	var el model.Element = ni
	if o := m.owners[ni.OwnerID]; o != nil {
		el = o
	}
	b := el.Base()
	p := &Place{Label: b.ID, ID: b.ID, Interface: ni.ID, Name: b.Name, Type: el.Type(), Origin: b.Origin, ep: ep}
	if el != model.Element(ni) && m.perOwn[ni.OwnerID] > 1 {
		p.Label = b.ID + " " + ni.ID
	}
	if p.Origin.File == "" {
		p.Origin = ni.Origin
	}
	return p
}

// matches says whether every condition of a map term holds for an
// interface (its tags, ID and type are its own or its owner's).
func (m *matcher) matches(t Term, ni *model.NetworkInterface) bool {
	owner := m.owners[ni.OwnerID]
	if t.ID != "" && t.ID != ni.ID && (owner == nil || t.ID != owner.Base().ID && t.ID != owner.Base().LogicalID) && t.ID != ni.LogicalID {
		return false
	}
	if t.Type != "" && t.Type != ni.Type() && (owner == nil || t.Type != owner.Type()) {
		return false
	}
	if t.VPC != "" && t.VPC != ni.VPCID {
		return false
	}
	if t.Subnet != "" && t.Subnet != ni.SubnetID {
		return false
	}
	for k, v := range t.Tags {
		if ni.Tags[k] == v && hasKey(ni.Tags, k) {
			continue
		}
		if owner != nil && hasKey(owner.Base().Tags, k) && owner.Base().Tags[k] == v {
			continue
		}
		return false
	}
	if t.CIDR.IsValid() && !m.inCIDR(t, ni) {
		return false
	}
	return true
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

// inCIDR: one of the interface's addresses is in the prefix; an interface
// whose addresses AWS picks at deploy time is in it when its whole subnet is.
func (m *matcher) inCIDR(t Term, ni *model.NetworkInterface) bool {
	for _, a := range ni.PrivateIPs {
		if a.Address.IsValid() && t.CIDR.Contains(a.Address) {
			return true
		}
	}
	for _, a := range ni.IPv6 {
		if t.CIDR.Contains(a) {
			return true
		}
	}
	if len(ni.PrivateIPs) == 0 {
		if sub, ok := m.e.Net.Subnets.Get(ni.SubnetID); ok && sub.CIDR.Bits() >= t.CIDR.Bits() && t.CIDR.Contains(sub.CIDR.Addr()) {
			return true
		}
	}
	return false
}

// String renders a place for messages: its label and Name tag.
func (p Place) String() string {
	if p.Name != "" && p.Name != p.ID && !strings.Contains(p.Label, p.Name) {
		return fmt.Sprintf("%s (%s)", p.Label, p.Name)
	}
	return p.Label
}
