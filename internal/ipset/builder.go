package ipset

import (
	"net/netip"
	"slices"

	"go4.org/netipx"
)

// Builder builds a Set by adding and removing addresses, in the order the
// calls are made. The zero Builder is empty and ready to use. Invalid
// addresses, prefixes and ranges are ignored, as they hold no address.
type Builder struct {
	// in holds ranges added since the last normalisation, in any order;
	// cur is the set as normalised so far.
	in  []netipx.IPRange
	cur []netipx.IPRange
}

// Add adds one address.
func (b *Builder) Add(ip netip.Addr) {
	if ip.IsValid() {
		b.in = append(b.in, netipx.IPRangeFrom(ip, ip))
	}
}

// AddPrefix adds the addresses of p (masked).
func (b *Builder) AddPrefix(p netip.Prefix) { b.AddRange(netipx.RangeOfPrefix(p)) }

// AddRange adds the addresses of r.
func (b *Builder) AddRange(r netipx.IPRange) {
	if r.IsValid() {
		b.in = append(b.in, r)
	}
}

// AddSet adds the addresses of s.
func (b *Builder) AddSet(s *Set) { b.in = append(b.in, s.Ranges()...) }

// Remove removes one address.
func (b *Builder) Remove(ip netip.Addr) {
	if ip.IsValid() {
		b.RemoveSet(ofRange(netipx.IPRangeFrom(ip, ip)))
	}
}

// RemovePrefix removes the addresses of p (masked).
func (b *Builder) RemovePrefix(p netip.Prefix) { b.RemoveSet(OfPrefix(p)) }

// RemoveSet removes the addresses of s.
func (b *Builder) RemoveSet(s *Set) {
	if s.Empty() {
		return
	}
	b.normalize()
	b.cur = minus(b.cur, s.rr)
}

// Intersect keeps only the addresses that are also in s.
func (b *Builder) Intersect(s *Set) {
	b.normalize()
	b.cur = slices.Clone(ofSorted(b.cur).Intersect(s).Ranges())
}

// Set returns the set built so far. The builder stays usable.
func (b *Builder) Set() *Set {
	b.normalize()
	if len(b.cur) == 0 {
		return empty
	}
	return &Set{rr: slices.Clone(b.cur)}
}

// normalize merges the ranges added into cur.
func (b *Builder) normalize() {
	if len(b.in) == 0 {
		return
	}
	rr := append(b.in, b.cur...)
	slices.SortFunc(rr, func(x, y netipx.IPRange) int { return x.From().Compare(y.From()) })
	out := make([]netipx.IPRange, 0, len(rr))
	for _, r := range rr {
		out = appendMerged(out, r)
	}
	b.in, b.cur = b.in[:0], out
}
