package ipset

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"go4.org/netipx"
)

// randomPrefix draws prefixes from a small space of each family, so that
// sets overlap, nest and touch often, with the extremes of each family.
func randomPrefix(r *rand.Rand) netip.Prefix {
	if r.IntN(4) == 0 {
		var a [16]byte
		a[0] = byte(r.IntN(2)) * 0xff
		a[15] = byte(r.IntN(256))
		return netip.PrefixFrom(netip.AddrFrom16(a), 120+r.IntN(9)).Masked()
	}
	var a [4]byte
	a[0] = []byte{0, 10, 255}[r.IntN(3)]
	a[3] = byte(r.IntN(256))
	bits := 24 + r.IntN(9)
	if r.IntN(20) == 0 {
		bits = r.IntN(3)
	}
	return netip.PrefixFrom(netip.AddrFrom4(a), bits).Masked()
}

// randomSets builds the same random set with this package and with netipx,
// adding and removing in the same order.
func randomSets(r *rand.Rand) (*Set, *netipx.IPSet) {
	var b Builder
	var x netipx.IPSetBuilder
	for range r.IntN(8) {
		p := randomPrefix(r)
		if r.IntN(3) == 0 {
			b.RemovePrefix(p)
			x.RemovePrefix(p)
		} else {
			b.AddPrefix(p)
			x.AddPrefix(p)
		}
	}
	xs, _ := x.IPSet()
	return b.Set(), xs
}

func sameSet(t *testing.T, what string, got *Set, want *netipx.IPSet) {
	t.Helper()
	if !slices.Equal(got.Ranges(), want.Ranges()) {
		t.Fatalf("%s: got %v, want %v", what, got.Ranges(), want.Ranges())
	}
	if !slices.Equal(got.Prefixes(), want.Prefixes()) {
		t.Fatalf("%s: prefixes %v, want %v", what, got.Prefixes(), want.Prefixes())
	}
}

func oracle(fill func(*netipx.IPSetBuilder)) *netipx.IPSet {
	var b netipx.IPSetBuilder
	fill(&b)
	s, _ := b.IPSet()
	return s
}

// TestOperationsAgreeWithNetipx checks every operation against netipx's
// own set on random sets.
func TestOperationsAgreeWithNetipx(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		a, xa := randomSets(r)
		b, xb := randomSets(r)
		sameSet(t, "build", a, xa)
		sameSet(t, "intersect", a.Intersect(b), oracle(func(o *netipx.IPSetBuilder) { o.AddSet(xa); o.Intersect(xb) }))
		// An answer equal to an operand is that operand: b when a holds
		// it, else a when b holds a (whatever the number of ranges).
		if !a.Empty() && !b.Empty() && a != b {
			switch got := a.Intersect(b); {
			case a.Covers(b) && got != b:
				t.Fatalf("%d: %v ∩ %v is a new set, not the second operand", i, a, b)
			case !a.Covers(b) && b.Covers(a) && got != a:
				t.Fatalf("%d: %v ∩ %v is a new set, not the first operand", i, a, b)
			}
		}
		sameSet(t, "minus", a.Minus(b), oracle(func(o *netipx.IPSetBuilder) { o.AddSet(xa); o.RemoveSet(xb) }))
		sameSet(t, "union", a.Union(b), oracle(func(o *netipx.IPSetBuilder) { o.AddSet(xa); o.AddSet(xb) }))
		var bi Builder
		bi.AddSet(a)
		bi.Intersect(b)
		sameSet(t, "builder intersect", bi.Set(), oracle(func(o *netipx.IPSetBuilder) { o.AddSet(xa); o.Intersect(xb) }))
		if got, want := a.Overlaps(b), xa.Overlaps(xb); got != want {
			t.Fatalf("%d: overlaps %v, want %v", i, got, want)
		}
		if got, want := a.Covers(b), oracle(func(o *netipx.IPSetBuilder) { o.AddSet(xb); o.RemoveSet(xa) }).Equal(&netipx.IPSet{}); got != want {
			t.Fatalf("%d: %v covers %v: %v, want %v", i, a, b, got, want)
		}
		if got, want := a.Equal(b), xa.Equal(xb); got != want {
			t.Fatalf("%d: equal %v, want %v", i, got, want)
		}
		p := randomPrefix(r)
		if got, want := a.ContainsPrefix(p), xa.ContainsPrefix(p); got != want {
			t.Fatalf("%d: %v contains %v: %v, want %v", i, a, p, got, want)
		}
		if got, want := a.OverlapsPrefix(p), xa.OverlapsPrefix(p); got != want {
			t.Fatalf("%d: %v overlaps %v: %v, want %v", i, a, p, got, want)
		}
		for _, ip := range []netip.Addr{p.Addr(), netipx.PrefixLastIP(p), p.Addr().Prev(), netipx.PrefixLastIP(p).Next()} {
			if got, want := a.Contains(ip), ip.IsValid() && xa.Contains(ip); got != want {
				t.Fatalf("%d: %v contains %v: %v, want %v", i, a, ip, got, want)
			}
		}
	}
}

// TestAnOperandIsReturnedAsItIs checks that an answer equal to an operand
// is that operand, so that no set is allocated for it.
func TestAnOperandIsReturnedAsItIs(t *testing.T) {
	ten := OfPrefix(netip.MustParsePrefix("10.0.0.0/8"))
	sub := OfPrefix(netip.MustParsePrefix("10.1.0.0/16"))
	other := OfPrefix(netip.MustParsePrefix("192.168.0.0/16"))
	for _, tc := range []struct {
		name      string
		got, want *Set
	}{
		{"intersect with a superset", sub.Intersect(ten), sub},
		{"intersect with everything", All().Intersect(ten), ten},
		{"union with a subset", ten.Union(sub), ten},
		{"minus a disjoint set", ten.Minus(other), ten},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got a new set %v, want the operand %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestNilIsEmpty(t *testing.T) {
	var s *Set
	if !s.Empty() || s.Contains(netip.MustParseAddr("10.0.0.1")) || s.Len() != 0 || !s.Equal(EmptySet()) {
		t.Fatal("nil set is not empty")
	}
	if got := s.Union(All()); !got.IsAll() {
		t.Fatalf("nil ∪ all = %v", got)
	}
}
