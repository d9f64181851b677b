package reach

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/model"
)

// randomSet is a small set of random IPv4 and IPv6 ranges packed in a few
// addresses, so that sets overlap, touch and nest often.
func randomSet(r *rand.Rand) *netipx.IPSet {
	var b netipx.IPSetBuilder
	for range r.IntN(5) {
		if r.IntN(4) == 0 {
			hi := netip.AddrFrom16([16]byte{0x20, 1, 15: byte(r.IntN(64))})
			lo := netip.AddrFrom16([16]byte{0x20, 1, 15: byte(r.IntN(64))})
			if hi.Less(lo) {
				lo, hi = hi, lo
			}
			b.AddRange(netipx.IPRangeFrom(lo, hi))
			continue
		}
		lo := netip.AddrFrom4([4]byte{10, 0, 0, byte(r.IntN(64))})
		hi := netip.AddrFrom4([4]byte{10, 0, 0, byte(r.IntN(64))})
		if hi.Less(lo) {
			lo, hi = hi, lo
		}
		if r.IntN(3) == 0 {
			b.Remove(lo)
		} else {
			b.AddRange(netipx.IPRangeFrom(lo, hi))
		}
	}
	if r.IntN(20) == 0 {
		return fullSet
	}
	s, _ := b.IPSet()
	return s
}

func TestIPSetOperationsAgreeWithTheBuilder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randomSet(r), randomSet(r)
		var want netipx.IPSetBuilder
		want.AddSet(a)
		want.Intersect(b)
		and, _ := want.IPSet()
		if got := ipAnd(a, b); !got.Equal(and) {
			t.Fatalf("%v ∩ %v = %v, want %v", a.Ranges(), b.Ranges(), got.Ranges(), and.Ranges())
		}
		var wm netipx.IPSetBuilder
		wm.AddSet(a)
		wm.RemoveSet(b)
		minus, _ := wm.IPSet()
		if got := ipMinus(a, b); !got.Equal(minus) {
			t.Fatalf("%v \\ %v = %v, want %v", a.Ranges(), b.Ranges(), got.Ranges(), minus.Ranges())
		}
		if ipEmpty(a) != (len(a.Ranges()) == 0) {
			t.Fatalf("ipEmpty(%v) = %v", a.Ranges(), ipEmpty(a))
		}
	}
}

// mapICMPByType is mapICMP written type by type.
func mapICMPByType(keys Ranges, m map[uint8]uint8) Ranges {
	var out Ranges
	for t := 0; t < 256; t++ {
		part := keys.Intersect(Ranges{{From: ICMPKey(uint8(t), 0), To: ICMPKey(uint8(t), 255)}})
		if part.Empty() {
			continue
		}
		shift := 0
		if to, ok := m[uint8(t)]; ok {
			shift = int(to) - t
		}
		var moved Ranges
		for _, r := range part {
			moved = append(moved, model.PortRange{From: uint16(int(r.From) + shift<<8), To: uint16(int(r.To) + shift<<8)})
		}
		out = out.Union(moved)
	}
	return out
}

func TestMapICMPAgreesTypeByType(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var keys Ranges
		for range r.IntN(4) {
			a, b := uint16(r.IntN(20)<<8|r.IntN(256)), uint16(r.IntN(20)<<8|r.IntN(256))
			keys = keys.Union(Ranges{{From: min(a, b), To: max(a, b)}})
		}
		if r.IntN(10) == 0 {
			keys = AllRanges()
		}
		for _, m := range []map[uint8]uint8{icmpReplyType, icmp6ReplyType} {
			got, want := mapICMP(keys, m), mapICMPByType(keys, m)
			if got.String() != want.String() {
				t.Fatalf("mapICMP(%v) = %v, want %v", keys, got, want)
			}
		}
	}
}

func TestIPSetRangesRoundTrip(t *testing.T) {
	s := SetOf([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")})
	if got := rangesOf(s); len(got) != 2 || got[0] != netipx.RangeOfPrefix(netip.MustParsePrefix("10.0.0.0/8")) {
		t.Fatalf("rangesOf = %v", got)
	}
	m := setOfRanges(slices.Clone(rangesOf(s)))
	if !m.Equal(s) || !m.Contains(netip.MustParseAddr("10.1.2.3")) || m.Contains(netip.MustParseAddr("11.0.0.0")) {
		t.Fatalf("setOfRanges = %v", m.Prefixes())
	}
}
