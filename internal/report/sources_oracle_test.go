package report

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// familySourcesByBuilders is familySources as first written: every
// difference of sets through a builder. It is the oracle of the version
// that uses the sets' own operations.
func familySourcesByBuilders(kind reach.EdgeKind, set *ipset.Set, all netip.Prefix) string {
	minus := func(a, b *ipset.Set) *ipset.Set {
		var sb ipset.Builder
		sb.AddSet(a)
		sb.RemoveSet(b)
		return sb.Set()
	}
	lacking := func(name string, universe, set *ipset.Set) (string, bool) {
		if !minus(set, universe).Empty() {
			return "", false
		}
		mp := minus(universe, set).Prefixes()
		if len(mp) > 4 || len(set.Prefixes()) <= len(mp) {
			return "", false
		}
		if len(mp) == 0 {
			return name, true
		}
		return name + " except " + andList(prefixStrings(mp)), true
	}
	everything := "any address"
	if kind == reach.EdgeInternet {
		everything = "internet"
	}
	if set.ContainsPrefix(all) {
		return all.String()
	}
	u := universesOf(all)
	publicName := "every public address"
	if kind == reach.EdgeInternet {
		publicName = everything
	}
	for _, u := range []struct {
		name     string
		universe *ipset.Set
	}{{everything, u.family}, {publicName, u.public}, {"any address that is not public", u.private}} {
		if text, ok := lacking(u.name, u.universe, set); ok {
			return text
		}
	}
	list := prefixStrings(set.Prefixes())
	if len(list) > 4 {
		return strings.Join(list[:4], ", ") + fmt.Sprintf(" and %d more ranges", len(list)-4)
	}
	return strings.Join(list, ", ")
}

// TestSourcesTextAgreesWithBuilders compares familySources with its
// oracle on random sets near the universes it names: a universe less a
// few holes, a few ranges, with and without the private ranges.
func TestSourcesTextAgreesWithBuilders(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	v4 := netip.MustParsePrefix("0.0.0.0/0")
	v6 := netip.MustParsePrefix("::/0")
	randPrefix4 := func() netip.Prefix {
		a := netip.AddrFrom4([4]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
		return netip.PrefixFrom(a, 1+r.IntN(32)).Masked()
	}
	randPrefix6 := func() netip.Prefix {
		var b [16]byte
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		if r.IntN(2) == 0 {
			b[0] = 0x20 | byte(r.IntN(16))
		}
		return netip.PrefixFrom(netip.AddrFrom16(b), 1+r.IntN(64)).Masked()
	}
	for i := 0; i < 20000; i++ {
		all, rp := v4, randPrefix4
		if i%3 == 2 {
			all, rp = v6, randPrefix6
		}
		u := universesOf(all)
		var b ipset.Builder
		switch r.IntN(4) {
		case 0:
			b.AddSet(u.family)
		case 1:
			b.AddSet(u.public)
		case 2:
			b.AddSet(u.private)
		}
		for k := r.IntN(4); k > 0; k-- {
			b.RemovePrefix(rp())
		}
		for k := r.IntN(3); k > 0; k-- {
			b.AddPrefix(rp())
		}
		set := b.Set()
		if set.Empty() {
			continue
		}
		for _, kind := range []reach.EdgeKind{reach.EdgeInternet, reach.EdgePeering} {
			if got, want := familySources(kind, set, all), familySourcesByBuilders(kind, set, all); got != want {
				t.Fatalf("sources %s from %s: got %q, want %q", set, kind, got, want)
			}
		}
	}
}
