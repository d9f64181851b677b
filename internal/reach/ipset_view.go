package reach

import (
	"net/netip"
	"slices"
	"unsafe"

	"go4.org/netipx"
)

// netipx.IPSet holds its sorted, disjoint, non-adjacent ranges in one
// slice, and offers them only as a copy (Ranges) or through a builder
// that sorts and merges again. The set operations of this package are
// merges of sorted range lists, called millions of times by exposure, so
// they read the ranges in place and wrap their results directly. The
// layout is checked once, at start-up, against netipx's own API; if a
// netipx version ever lays IPSet out differently, both fall back to the
// public API.

// ipsetLayout mirrors netipx.IPSet.
type ipsetLayout struct {
	rr []netipx.IPRange
}

var ipsetInPlace = func() bool {
	if unsafe.Sizeof(netipx.IPSet{}) != unsafe.Sizeof(ipsetLayout{}) {
		return false
	}
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.MustParsePrefix("10.0.0.0/8"))
	b.AddPrefix(netip.MustParsePrefix("192.168.0.0/16"))
	b.AddPrefix(netip.MustParsePrefix("fd00::/8"))
	s, err := b.IPSet()
	if err != nil {
		return false
	}
	view := (*ipsetLayout)(unsafe.Pointer(s)).rr
	if !slices.Equal(view, s.Ranges()) {
		return false
	}
	made := (*netipx.IPSet)(unsafe.Pointer(&ipsetLayout{rr: slices.Clone(view)}))
	return made.Equal(s) && slices.Equal(made.Prefixes(), s.Prefixes())
}()

// rangesOf returns the ranges of s; the caller must not modify them.
func rangesOf(s *netipx.IPSet) []netipx.IPRange {
	if ipsetInPlace {
		return (*ipsetLayout)(unsafe.Pointer(s)).rr
	}
	return s.Ranges()
}

// setOfRanges is the set of rr, which must be sorted, disjoint and never
// adjacent (netipx's normal form); it keeps rr.
func setOfRanges(rr []netipx.IPRange) *netipx.IPSet {
	if ipsetInPlace {
		return (*netipx.IPSet)(unsafe.Pointer(&ipsetLayout{rr: rr}))
	}
	var sb netipx.IPSetBuilder
	for _, r := range rr {
		sb.AddRange(r)
	}
	s, _ := sb.IPSet()
	return s
}
