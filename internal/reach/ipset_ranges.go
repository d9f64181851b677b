package reach

import "go4.org/netipx"

// The set operations of this package (ipAnd, ipMinus) are merges of two
// sorted, disjoint, non-adjacent range lists. They read a set's ranges and
// build their result only through netipx's public API, so that no change
// of netipx's private layout can change what exposure computes.

// rangesOf returns the sorted, disjoint, non-adjacent ranges of s (a copy).
func rangesOf(s *netipx.IPSet) []netipx.IPRange { return s.Ranges() }

// setOfRanges is the set of rr, which must be sorted, disjoint and never
// adjacent (netipx's normal form).
func setOfRanges(rr []netipx.IPRange) *netipx.IPSet {
	var b netipx.IPSetBuilder
	for _, r := range rr {
		b.AddRange(r)
	}
	s, _ := b.IPSet()
	return s
}
