package reach

import (
	"math/rand/v2"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

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
