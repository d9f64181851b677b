// Package diff compares the exposure of two networks: what a change opens
// (added findings), what it closes (removed) and what it changes (the same
// resource, edge, protocol and ports with another verdict, severity or set
// of sources). It works on reach's exposure results and knows no format.
package diff

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// Key is a finding's identity (cli.md "vpcreach diff"): the resource, the
// kind and ID of the edge it is reached from, the protocol and the ports.
type Key struct {
	Resource string
	FromKind reach.EdgeKind
	FromID   string
	Protocol string
	Ports    model.PortRange
}

// KeyOf is the identity of a finding.
func KeyOf(f *reach.ExposureFinding) Key {
	return Key{Resource: f.Resource.ID, FromKind: f.From.Kind, FromID: f.From.ID, Protocol: f.Protocol, Ports: f.Ports}
}

// Change is a finding present on both sides whose verdict, severity or
// sources differ.
type Change struct {
	Before, After reach.ExposureFinding
}

// Result is the comparison of two exposures.
type Result struct {
	// Added are the findings of the after side without a finding of the
	// same identity before: what the change opens.
	Added []reach.ExposureFinding
	// Removed are the findings of the before side without a finding of
	// the same identity after: what the change closes.
	Removed []reach.ExposureFinding
	// Changed pairs findings of the same identity that differ.
	Changed []Change
	// Unchanged counts the findings present and alike on both sides.
	Unchanged int
	// Suppressed and Baselined count the findings left out by reasoned
	// suppressions and by a baseline of accepted differences.
	Suppressed, Baselined int
}

// Compare compares two exposure results. Findings are matched by identity;
// when one side holds several findings of the same identity (a resource
// reached on several interfaces, or directly and through a load balancer),
// those of the same interface and load balancer are paired first, then
// the rest in order. Cost is linear in the findings (one map per side).
func Compare(before, after *reach.ExposureResult) *Result {
	type slot struct {
		idx  []int
		used []bool
	}
	index := make(map[Key]*slot, len(before.Findings))
	for i := range before.Findings {
		k := KeyOf(&before.Findings[i])
		s := index[k]
		if s == nil {
			s = &slot{}
			index[k] = s
		}
		s.idx = append(s.idx, i)
		s.used = append(s.used, false)
	}
	res := &Result{}
	var pending []int // after findings whose key exists but no same-place partner was free
	match := func(j int, strict bool) bool {
		a := &after.Findings[j]
		s := index[KeyOf(a)]
		if s == nil {
			return false
		}
		for n, i := range s.idx {
			b := &before.Findings[i]
			if s.used[n] || (strict && (b.Resource.ENI != a.Resource.ENI || b.LoadBalancer != a.LoadBalancer)) {
				continue
			}
			s.used[n] = true
			if Differs(b, a) {
				res.Changed = append(res.Changed, Change{Before: *b, After: *a})
			} else {
				res.Unchanged++
			}
			return true
		}
		return false
	}
	for j := range after.Findings {
		if !match(j, true) {
			pending = append(pending, j)
		}
	}
	for _, j := range pending {
		if !match(j, false) {
			res.Added = append(res.Added, after.Findings[j])
		}
	}
	for i := range before.Findings {
		s := index[KeyOf(&before.Findings[i])]
		for n, bi := range s.idx {
			if bi == i && !s.used[n] {
				res.Removed = append(res.Removed, before.Findings[i])
			}
		}
	}
	slices.SortStableFunc(res.Changed, func(a, b Change) int { return compareKeys(KeyOf(&a.After), KeyOf(&b.After)) })
	return res
}

// compareKeys orders changes as the findings are ordered: by resource,
// edge, protocol and ports.
func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.FromKind, b.FromKind), cmp.Compare(a.FromID, b.FromID),
		cmp.Compare(a.Protocol, b.Protocol), cmp.Compare(a.Ports.From, b.Ports.From), cmp.Compare(a.Ports.To, b.Ports.To))
}

// Differs reports whether two findings of the same identity differ in
// verdict, severity or sources (the sources compared as sets of ranges).
func Differs(a, b *reach.ExposureFinding) bool {
	if a.Verdict != b.Verdict || a.Severity != b.Severity {
		return true
	}
	return !samePrefixes(a.From.Sources, b.From.Sources)
}

func samePrefixes(a, b []netip.Prefix) bool {
	if len(a) != len(b) {
		return false
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	less := func(x, y netip.Prefix) int {
		return cmp.Or(x.Addr().Compare(y.Addr()), cmp.Compare(x.Bits(), y.Bits()))
	}
	slices.SortFunc(sa, less)
	slices.SortFunc(sb, less)
	return slices.Equal(sa, sb)
}

// AtLeast counts the added and changed findings whose after side is at or
// above a severity: what a gate on the change fails on. A possibly-reachable
// finding counts like a reachable one.
func (r *Result) AtLeast(s reach.Severity) int {
	n := 0
	for _, f := range r.Added {
		if f.Severity >= s {
			n++
		}
	}
	for _, c := range r.Changed {
		if c.After.Severity >= s {
			n++
		}
	}
	return n
}

// Filter leaves out the findings drop reports true for (before for the
// removed findings and the before side of a change, after for the others)
// and returns how many it left out. A change is left out when its after
// side is.
func (r *Result) Filter(dropBefore, dropAfter func(*reach.ExposureFinding) bool) int {
	n := 0
	keep := func(fs []reach.ExposureFinding, drop func(*reach.ExposureFinding) bool) []reach.ExposureFinding {
		out := fs[:0:0]
		for i := range fs {
			if drop(&fs[i]) {
				n++
				continue
			}
			out = append(out, fs[i])
		}
		return out
	}
	r.Added = keep(r.Added, dropAfter)
	r.Removed = keep(r.Removed, dropBefore)
	changed := r.Changed[:0:0]
	for i := range r.Changed {
		if dropAfter(&r.Changed[i].After) {
			n++
			continue
		}
		changed = append(changed, r.Changed[i])
	}
	r.Changed = changed
	return n
}

// Known is a set of finding identities: the findings of a baseline.
type Known map[Key]bool

// Has reports whether the set holds the finding's identity.
func (k Known) Has(f *reach.ExposureFinding) bool { return k[KeyOf(f)] }

// WithoutKnown leaves out of an exposure result the findings whose
// identity known holds, counting them in Baselined.
func WithoutKnown(res *reach.ExposureResult, known Known) {
	if len(known) == 0 {
		return
	}
	kept := res.Findings[:0:0]
	for i := range res.Findings {
		if known.Has(&res.Findings[i]) {
			res.Baselined++
			continue
		}
		kept = append(kept, res.Findings[i])
	}
	res.Findings = kept
}
