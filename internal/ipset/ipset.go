// Package ipset holds sets of IP addresses as sorted lists of ranges: the
// address part of every set of packets the analyses compute.
//
// A Set is immutable, and safe to share between goroutines. Its ranges are
// kept in one normal form (sorted, disjoint, never adjacent, IPv4 before
// IPv6), so that two equal sets have equal ranges and every operation is a
// merge of two sorted lists: linear in the ranges, with no allocation when
// the answer is one of the operands. The ranges are netipx.IPRange values,
// read and built only through that package's public API.
package ipset

import (
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"
)

// Set is a set of IP addresses. The nil *Set, like the zero Set, is empty.
type Set struct {
	// rr is sorted, disjoint and has no two adjacent ranges.
	rr []netipx.IPRange
}

var (
	empty = &Set{}
	all   = &Set{rr: []netipx.IPRange{
		netipx.RangeOfPrefix(netip.PrefixFrom(netip.IPv4Unspecified(), 0)),
		netipx.RangeOfPrefix(netip.PrefixFrom(netip.IPv6Unspecified(), 0)),
	}}
)

// Empty returns the empty set.
func EmptySet() *Set { return empty }

// All returns the set of every IPv4 and IPv6 address.
func All() *Set { return all }

// OfPrefix returns the set of the addresses of p (masked); the empty set
// when p is not valid.
func OfPrefix(p netip.Prefix) *Set {
	return ofRange(netipx.RangeOfPrefix(p))
}

// oneRange is a set of one range and its range, allocated together.
type oneRange struct {
	s Set
	r [1]netipx.IPRange
}

// ofRange returns the set of the addresses of r; the empty set when r is
// not valid.
func ofRange(r netipx.IPRange) *Set {
	if !r.IsValid() {
		return empty
	}
	o := &oneRange{r: [1]netipx.IPRange{r}}
	o.s.rr = o.r[:]
	return &o.s
}

// ofSorted returns the set of rr, which must already be in the normal form
// (sorted, disjoint, never adjacent) and is not copied.
func ofSorted(rr []netipx.IPRange) *Set {
	if len(rr) == 0 {
		return empty
	}
	return &Set{rr: rr}
}

// Ranges returns the set's ranges in order. The slice is the set's own:
// it must not be changed.
func (s *Set) Ranges() []netipx.IPRange {
	if s == nil {
		return nil
	}
	return s.rr
}

// Len is the number of ranges of the set.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.rr)
}

// Empty reports whether the set holds no address.
func (s *Set) Empty() bool { return s == nil || len(s.rr) == 0 }

// IsAll reports whether the set holds every IPv4 and IPv6 address.
func (s *Set) IsAll() bool { return s.Equal(all) }

// Prefixes returns the fewest prefixes that cover exactly the set, in
// order.
func (s *Set) Prefixes() []netip.Prefix {
	rr := s.Ranges()
	out := make([]netip.Prefix, 0, len(rr))
	for _, r := range rr {
		out = r.AppendPrefixes(out)
	}
	return out
}

// String writes the set as its prefixes separated by commas.
func (s *Set) String() string {
	var b strings.Builder
	for i, p := range s.Prefixes() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Equal reports whether s and o hold the same addresses.
func (s *Set) Equal(o *Set) bool {
	if s == o {
		return true
	}
	return slices.Equal(s.Ranges(), o.Ranges())
}

// Contains reports whether ip is in the set. An address with a zone is in
// no set.
func (s *Set) Contains(ip netip.Addr) bool {
	if ip.Zone() != "" {
		return false
	}
	rr := s.Ranges()
	i := endingAtOrAfter(rr, ip)
	return i < len(rr) && rr[i].Contains(ip)
}

// ContainsRange reports whether every address of r is in the set.
func (s *Set) ContainsRange(r netipx.IPRange) bool {
	if !r.IsValid() {
		return false
	}
	rr := s.Ranges()
	i := endingAtOrAfter(rr, r.From())
	return i < len(rr) && rr[i].From().Compare(r.From()) <= 0 && rr[i].To().Compare(r.To()) >= 0
}

// ContainsPrefix reports whether every address of p is in the set.
func (s *Set) ContainsPrefix(p netip.Prefix) bool { return s.ContainsRange(netipx.RangeOfPrefix(p)) }

// OverlapsRange reports whether some address of r is in the set.
func (s *Set) OverlapsRange(r netipx.IPRange) bool {
	if !r.IsValid() {
		return false
	}
	rr := s.Ranges()
	i := endingAtOrAfter(rr, r.From())
	return i < len(rr) && rr[i].From().Compare(r.To()) <= 0
}

// OverlapsPrefix reports whether some address of p is in the set.
func (s *Set) OverlapsPrefix(p netip.Prefix) bool { return s.OverlapsRange(netipx.RangeOfPrefix(p)) }

// Overlaps reports whether s and o have an address in common.
func (s *Set) Overlaps(o *Set) bool {
	a, b := s.Ranges(), o.Ranges()
	switch {
	case len(b) == 1:
		return s.OverlapsRange(b[0])
	case len(a) == 1:
		return o.OverlapsRange(a[0])
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].To().Less(b[j].From()):
			i++
		case b[j].To().Less(a[i].From()):
			j++
		default:
			return true
		}
	}
	return false
}

// Covers reports whether every address of o is in s.
func (s *Set) Covers(o *Set) bool {
	a, b := s.Ranges(), o.Ranges()
	if len(b) == 1 {
		// One range (a prefix, most often): found by bisection.
		return s.ContainsRange(b[0])
	}
	i := 0
	for _, r := range b {
		for i < len(a) && a[i].To().Less(r.From()) {
			i++
		}
		if i == len(a) || r.From().Less(a[i].From()) || a[i].To().Less(r.To()) {
			return false
		}
	}
	return true
}

// Intersect returns s ∩ o. When the answer is s or o, it is returned as it
// is, without allocating.
func (s *Set) Intersect(o *Set) *Set {
	switch {
	case s.Empty() || o.Empty():
		return empty
	case s == o:
		return s
	case len(o.rr) == 1:
		return s.intersectRange(o, true)
	case len(s.rr) == 1:
		return o.intersectRange(s, false)
	case s.Covers(o):
		return o
	case o.Covers(s):
		return s
	}
	a, b := s.rr, o.rr
	var out []netipx.IPRange
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lo := maxAddr(a[i].From(), b[j].From())
		hi := minAddr(a[i].To(), b[j].To())
		if lo.Compare(hi) <= 0 {
			out = append(out, netipx.IPRangeFrom(lo, hi))
		}
		if a[i].To().Less(b[j].To()) {
			i++
		} else {
			j++
		}
	}
	return ofSorted(out)
}

// intersectRange returns s ∩ o for an o of one range, answering as
// Intersect does: o when s holds it (and when both hold each other, the
// second operand of Intersect: o when oSecond, else s), s when o holds s.
// The ranges of s that o may meet are found by bisection.
func (s *Set) intersectRange(o *Set, oSecond bool) *Set {
	r, a := o.rr[0], s.rr
	i := endingAtOrAfter(a, r.From())
	if i == len(a) || r.To().Less(a[i].From()) {
		return empty
	}
	sHoldsO := a[i].From().Compare(r.From()) <= 0 && r.To().Compare(a[i].To()) <= 0
	oHoldsS := i == 0 && r.From().Compare(a[0].From()) <= 0 && a[len(a)-1].To().Compare(r.To()) <= 0
	switch {
	case sHoldsO && oHoldsS:
		if oSecond {
			return o
		}
		return s
	case sHoldsO:
		return o
	case oHoldsS:
		return s
	}
	// a[i:j] are the ranges of s that r meets.
	j := i
	for j < len(a) && a[j].From().Compare(r.To()) <= 0 {
		j++
	}
	meet := func(x netipx.IPRange) netipx.IPRange {
		return netipx.IPRangeFrom(maxAddr(x.From(), r.From()), minAddr(x.To(), r.To()))
	}
	if j-i == 1 {
		return ofRange(meet(a[i])) // one allocation, as for any set of one range
	}
	out := make([]netipx.IPRange, 0, j-i)
	for _, x := range a[i:j] {
		out = append(out, meet(x))
	}
	return ofSorted(out)
}

// endingAtOrAfter returns the index of the first range of rr (in the
// normal form) whose end is at or past a, len(rr) when there is none.
func endingAtOrAfter(rr []netipx.IPRange, a netip.Addr) int {
	i, _ := slices.BinarySearchFunc(rr, a, func(x netipx.IPRange, a netip.Addr) int {
		return x.To().Compare(a)
	})
	return i
}

// Minus returns s \ o. When nothing of o is in s, s is returned as it is.
func (s *Set) Minus(o *Set) *Set {
	switch {
	case s.Empty():
		return empty
	case o.Empty() || !s.Overlaps(o):
		return s
	case o.Covers(s):
		return empty
	}
	return ofSorted(minus(s.rr, o.rr))
}

// minus returns a \ b for ranges in the normal form; the result is in the
// normal form too.
func minus(a, b []netipx.IPRange) []netipx.IPRange {
	var out []netipx.IPRange
	j := 0
	for _, x := range a {
		from, to := x.From(), x.To()
		for j < len(b) && b[j].To().Less(from) {
			j++
		}
		cut := false
		for k := j; k < len(b) && b[k].From().Compare(to) <= 0; k++ {
			y := b[k]
			if from.Less(y.From()) {
				out = append(out, netipx.IPRangeFrom(from, y.From().Prev()))
			}
			if !y.To().Less(to) {
				cut = true
				break
			}
			from = y.To().Next()
		}
		if !cut {
			out = append(out, netipx.IPRangeFrom(from, to))
		}
	}
	return out
}

// Union returns s ∪ o. When one holds the other, the larger is returned as
// it is.
func (s *Set) Union(o *Set) *Set {
	switch {
	case s.Empty():
		return nonNil(o)
	case o.Empty() || s == o:
		return s
	case s.Covers(o):
		return s
	case o.Covers(s):
		return o
	}
	out := make([]netipx.IPRange, 0, len(s.rr)+len(o.rr))
	a, b := s.rr, o.rr
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var r netipx.IPRange
		if j == len(b) || (i < len(a) && a[i].From().Less(b[j].From())) {
			r, i = a[i], i+1
		} else {
			r, j = b[j], j+1
		}
		out = appendMerged(out, r)
	}
	return ofSorted(out)
}

// appendMerged appends r, which starts at or after the start of the last
// range of out, merging it with that range when they overlap or touch.
func appendMerged(out []netipx.IPRange, r netipx.IPRange) []netipx.IPRange {
	if n := len(out); n > 0 {
		last := out[n-1]
		if !last.To().Less(r.From()) || last.To().Next() == r.From() {
			if last.To().Less(r.To()) {
				out[n-1] = netipx.IPRangeFrom(last.From(), r.To())
			}
			return out
		}
	}
	return append(out, r)
}

func nonNil(s *Set) *Set {
	if s == nil {
		return empty
	}
	return s
}

func maxAddr(a, b netip.Addr) netip.Addr {
	if a.Less(b) {
		return b
	}
	return a
}

func minAddr(a, b netip.Addr) netip.Addr {
	if a.Less(b) {
		return a
	}
	return b
}
