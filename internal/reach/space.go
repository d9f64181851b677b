package reach

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Ranges is a set of uint16 values (ports, or ICMP type<<8|code keys) kept
// as sorted, disjoint, non-adjacent inclusive ranges.
type Ranges []model.PortRange

// AllRanges is 0-65535. Like every Ranges, it is never changed in place,
// so one value is shared.
func AllRanges() Ranges { return allRanges }

var allRanges = Ranges{model.AllPorts}

// ephemeralRanges is the ephemeral ports, shared as allRanges is.
var ephemeralRanges = Ranges{model.Ephemeral}

// RangeOf is the set holding one range.
func RangeOf(r model.PortRange) Ranges {
	if r.From > r.To {
		return nil
	}
	return Ranges{r}
}

// Empty reports whether the set holds nothing.
func (r Ranges) Empty() bool { return len(r) == 0 }

// IsAll reports whether the set holds 0-65535.
func (r Ranges) IsAll() bool { return len(r) == 1 && r[0].IsAll() }

// Contains reports whether v is in the set.
func (r Ranges) Contains(v uint16) bool {
	for _, x := range r {
		if x.Contains(v) {
			return true
		}
	}
	return false
}

// Covers reports whether every value of o is in r.
func (r Ranges) Covers(o Ranges) bool { return o.Subtract(r).Empty() }

// Intersect returns r ∩ o.
func (r Ranges) Intersect(o Ranges) Ranges {
	if r.IsAll() {
		return o
	}
	if o.IsAll() {
		return r
	}
	if len(r) == 1 && len(o) == 1 {
		// The common case, answered with an operand when it is one.
		lo, hi := max(r[0].From, o[0].From), min(r[0].To, o[0].To)
		switch {
		case lo > hi:
			return nil
		case lo == r[0].From && hi == r[0].To:
			return r
		case lo == o[0].From && hi == o[0].To:
			return o
		}
		return Ranges{{From: lo, To: hi}}
	}
	var out Ranges
	i, j := 0, 0
	for i < len(r) && j < len(o) {
		lo := max(r[i].From, o[j].From)
		hi := min(r[i].To, o[j].To)
		if lo <= hi {
			out = append(out, model.PortRange{From: lo, To: hi})
		}
		if r[i].To < o[j].To {
			i++
		} else {
			j++
		}
	}
	return out
}

// Subtract returns r \ o.
func (r Ranges) Subtract(o Ranges) Ranges {
	if len(o) == 0 {
		return r
	}
	var out Ranges
	for _, x := range r {
		from := int(x.From)
		to := int(x.To)
		for _, y := range o {
			if int(y.To) < from || int(y.From) > to {
				continue
			}
			if int(y.From) > from {
				out = append(out, model.PortRange{From: uint16(from), To: y.From - 1})
			}
			from = int(y.To) + 1
			if from > to {
				break
			}
		}
		if from <= to {
			out = append(out, model.PortRange{From: uint16(from), To: uint16(to)})
		}
	}
	return out
}

// Union returns r ∪ o.
func (r Ranges) Union(o Ranges) Ranges {
	// One range and nothing, or one range twice: that range, as it is
	// (a Ranges is never changed in place).
	switch {
	case len(r) == 0 && len(o) == 1:
		return o
	case len(o) == 0 && len(r) == 1, len(r) == 1 && len(o) == 1 && r[0] == o[0]:
		return r
	}
	all := append(append(Ranges{}, r...), o...)
	if len(all) == 0 {
		return nil
	}
	// insertion sort: sets are small
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && all[j].From < all[j-1].From; j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	out := Ranges{all[0]}
	for _, x := range all[1:] {
		last := &out[len(out)-1]
		if int(x.From) <= int(last.To)+1 {
			if x.To > last.To {
				last.To = x.To
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

func (r Ranges) String() string {
	if r.IsAll() {
		return "all"
	}
	parts := make([]string, len(r))
	for i, x := range r {
		parts[i] = x.String()
	}
	return strings.Join(parts, ",")
}

// ProtoSet is a set of IP protocol numbers 0-255.
type ProtoSet [4]uint64

// AllProtos holds every protocol.
func AllProtos() ProtoSet { return ProtoSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }

// ProtoOf is the set matching a rule's protocol: -1 is every protocol.
func ProtoOf(p model.Protocol) ProtoSet {
	if p < 0 || p > 255 {
		return AllProtos()
	}
	var s ProtoSet
	s[p/64] |= 1 << (uint(p) % 64)
	return s
}

// Has reports whether protocol p is in the set.
func (s ProtoSet) Has(p model.Protocol) bool {
	if p < 0 || p > 255 {
		return s == AllProtos()
	}
	return s[p/64]&(1<<(uint(p)%64)) != 0
}

// And returns s ∩ o.
func (s ProtoSet) And(o ProtoSet) ProtoSet {
	return ProtoSet{s[0] & o[0], s[1] & o[1], s[2] & o[2], s[3] & o[3]}
}

// AndNot returns s \ o.
func (s ProtoSet) AndNot(o ProtoSet) ProtoSet {
	return ProtoSet{s[0] &^ o[0], s[1] &^ o[1], s[2] &^ o[2], s[3] &^ o[3]}
}

// Or returns s ∪ o.
func (s ProtoSet) Or(o ProtoSet) ProtoSet {
	return ProtoSet{s[0] | o[0], s[1] | o[1], s[2] | o[2], s[3] | o[3]}
}

// Empty reports whether the set holds nothing.
func (s ProtoSet) Empty() bool { return s[0]|s[1]|s[2]|s[3] == 0 }

// Len is the number of protocols in the set.
func (s ProtoSet) Len() int {
	return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) + bits.OnesCount64(s[2]) + bits.OnesCount64(s[3])
}

// List returns the protocols in the set, ascending.
func (s ProtoSet) List() []model.Protocol {
	var out []model.Protocol
	for i := 0; i < 256; i++ {
		if s[i/64]&(1<<(uint(i)%64)) != 0 {
			out = append(out, model.Protocol(i))
		}
	}
	return out
}

func (s ProtoSet) String() string {
	if s == AllProtos() {
		return "all"
	}
	var parts []string
	for _, p := range s.List() {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ",")
}

var (
	portProtos = ProtoOf(model.ProtoTCP).Or(ProtoOf(model.ProtoUDP))
	icmpProtos = ProtoOf(model.ProtoICMP).Or(ProtoOf(model.ProtoICMPv6))
)

// ICMPKey packs an ICMP type and code into the value the DstPorts dimension
// holds for icmp and icmpv6 packets.
func ICMPKey(typ, code uint8) uint16 { return uint16(typ)<<8 | uint16(code) }

// ICMPRanges is the key set an ICMP match selects (-1: every type or code).
func ICMPRanges(m model.ICMPMatch) Ranges {
	switch {
	case m.Type < 0 || m.Type > 255:
		return AllRanges()
	case m.Code < 0 || m.Code > 255:
		return Ranges{{From: ICMPKey(uint8(m.Type), 0), To: ICMPKey(uint8(m.Type), 255)}}
	default:
		k := ICMPKey(uint8(m.Type), uint8(m.Code))
		return Ranges{{From: k, To: k}}
	}
}

// Cube is one box of header space: every packet whose source address is
// in Src, destination in Dst, protocol in Proto, source port in SrcPorts
// and destination port in DstPorts. For icmp and icmpv6 DstPorts holds the
// ICMP key (type<<8|code, see ICMPKey) and SrcPorts is always all; for
// protocols without ports both are all.
type Cube struct {
	Src      *ipset.Set
	Dst      *ipset.Set
	Proto    ProtoSet
	SrcPorts Ranges
	DstPorts Ranges
}

// Space is a set of packets: a union of cubes (header space).
type Space []Cube

var (
	fullSet  = ipset.All()
	fullV4   = ipset.OfPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	fullV6   = ipset.OfPrefix(netip.MustParsePrefix("::/0"))
	emptySet = ipset.EmptySet()
)

// FullIPSet is every IPv4 and IPv6 address.
func FullIPSet() *ipset.Set { return fullSet }

// SetOf builds an IP set from prefixes and addresses.
func SetOf(prefixes []netip.Prefix, addrs ...netip.Addr) *ipset.Set {
	if len(prefixes) == 1 && len(addrs) == 0 {
		return ipset.OfPrefix(prefixes[0])
	}
	var b ipset.Builder
	for _, p := range prefixes {
		b.AddPrefix(p)
	}
	for _, a := range addrs {
		b.Add(a)
	}
	return b.Set()
}

// AllPackets is the whole header space.
func AllPackets() Cube {
	return Cube{Src: fullSet, Dst: fullSet, Proto: AllProtos(), SrcPorts: AllRanges(), DstPorts: AllRanges()}
}

// Empty reports whether the cube holds no packet.
func (c Cube) Empty() bool {
	return c.Proto.Empty() || c.SrcPorts.Empty() || c.DstPorts.Empty() || c.Src.Empty() || c.Dst.Empty()
}

// Intersect returns c ∩ o.
func (c Cube) Intersect(o Cube) (Cube, bool) { return c.intersect(&o) }

// intersect is Intersect, reading both cubes in place: most pairs that
// exposure intersects share no protocol, and are told apart by it alone.
func (c *Cube) intersect(o *Cube) (Cube, bool) {
	p := c.Proto.And(o.Proto)
	if p.Empty() {
		return Cube{}, false
	}
	r := Cube{Proto: p}
	if r.SrcPorts = c.SrcPorts.Intersect(o.SrcPorts); r.SrcPorts.Empty() {
		return r, false
	}
	if r.DstPorts = c.DstPorts.Intersect(o.DstPorts); r.DstPorts.Empty() {
		return r, false
	}
	if r.Src = c.Src.Intersect(o.Src); r.Src.Empty() {
		return r, false
	}
	if r.Dst = c.Dst.Intersect(o.Dst); r.Dst.Empty() {
		return r, false
	}
	return r, true
}

// Subtract returns c \ o as disjoint cubes.
func (c Cube) Subtract(o Cube) Space {
	in, ok := c.Intersect(o)
	if !ok {
		return Space{c}
	}
	var out Space
	rest := c
	// Peel one dimension at a time: the part of rest outside o in that
	// dimension is kept, the inside continues.
	if p := rest.Proto.AndNot(in.Proto); !p.Empty() {
		x := rest
		x.Proto = p
		out = append(out, x)
	}
	rest.Proto = in.Proto
	if s := rest.Src.Minus(in.Src); !s.Empty() {
		x := rest
		x.Src = s
		out = append(out, x)
	}
	rest.Src = in.Src
	if d := rest.Dst.Minus(in.Dst); !d.Empty() {
		x := rest
		x.Dst = d
		out = append(out, x)
	}
	rest.Dst = in.Dst
	if sp := rest.SrcPorts.Subtract(in.SrcPorts); !sp.Empty() {
		x := rest
		x.SrcPorts = sp
		out = append(out, x)
	}
	rest.SrcPorts = in.SrcPorts
	if dp := rest.DstPorts.Subtract(in.DstPorts); !dp.Empty() {
		x := rest
		x.DstPorts = dp
		out = append(out, x)
	}
	return out
}

// Empty reports whether the space holds no packet.
func (s Space) Empty() bool {
	for _, c := range s {
		if !c.Empty() {
			return false
		}
	}
	return true
}

// IntersectCube returns s ∩ c.
func (s Space) IntersectCube(c Cube) Space { return s.appendIntersectCube(nil, c) }

// appendIntersectCube appends the cubes of s ∩ c to dst.
func (s Space) appendIntersectCube(dst Space, c Cube) Space {
	for i := range s {
		if y, ok := s[i].intersect(&c); ok {
			dst = append(dst, y)
		}
	}
	return dst
}

// Intersect returns s ∩ o.
func (s Space) Intersect(o Space) Space {
	var out Space
	for _, c := range o {
		out = s.appendIntersectCube(out, c)
	}
	return out
}

// SubtractCube returns s \ c.
func (s Space) SubtractCube(c Cube) Space {
	var out Space
	for _, x := range s {
		out = append(out, x.Subtract(c)...)
	}
	return out
}

// Subtract returns s \ o.
func (s Space) Subtract(o Space) Space {
	out := s
	for _, c := range o {
		if len(out) == 0 {
			break
		}
		out = out.SubtractCube(c)
	}
	return out
}

// Union returns s ∪ o (cubes may overlap).
func (s Space) Union(o Space) Space {
	return append(append(Space{}, s...), o...)
}

// ContainsPacket reports whether one concrete packet is in the space.
func (s Space) ContainsPacket(p Packet) bool {
	for _, c := range s {
		if c.ContainsPacket(p) {
			return true
		}
	}
	return false
}

// ContainsPacket reports whether the packet is in the cube.
func (c Cube) ContainsPacket(p Packet) bool {
	return c.Proto.Has(p.Proto) && c.Src.Contains(p.Src) && c.Dst.Contains(p.Dst) &&
		c.SrcPorts.Contains(p.SrcPort) && c.DstPorts.Contains(p.DstPort)
}

// SrcPorts returns the union of source ports over the space's tcp/udp cubes.
func (s Space) SrcPorts() Ranges {
	var out Ranges
	for _, c := range s {
		if !c.Proto.And(portProtos).Empty() {
			out = out.Union(c.SrcPorts)
		}
	}
	return out
}

// Sources returns the union of source addresses.
func (s Space) Sources() *ipset.Set {
	var b ipset.Builder
	for _, c := range s {
		b.AddSet(c.Src)
	}
	r := b.Set()
	return r
}

// Packet is one concrete packet (the naive evaluator and tests use it).
type Packet struct {
	Src, Dst         netip.Addr
	Proto            model.Protocol
	SrcPort, DstPort uint16
}

func (p Packet) String() string {
	return fmt.Sprintf("%s:%d -> %s:%d %s", p.Src, p.SrcPort, p.Dst, p.DstPort, p.Proto)
}

// icmpReplyType maps request types to reply types and back (an involution).
var icmpReplyType = map[uint8]uint8{8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17}
var icmp6ReplyType = map[uint8]uint8{128: 129, 129: 128}

// Reverse returns the replies to the packets of the cube, in the reply's
// own orientation: addresses and ports swapped, ICMP requests answered by
// their reply type. Reverse is an involution.
func (c Cube) Reverse() Space {
	var out Space
	if p := c.Proto.And(portProtos); !p.Empty() {
		out = append(out, Cube{Src: c.Dst, Dst: c.Src, Proto: p, SrcPorts: c.DstPorts, DstPorts: c.SrcPorts})
	}
	for _, ip := range []struct {
		proto model.Protocol
		m     map[uint8]uint8
	}{{model.ProtoICMP, icmpReplyType}, {model.ProtoICMPv6, icmp6ReplyType}} {
		if !c.Proto.Has(ip.proto) {
			continue
		}
		out = append(out, Cube{Src: c.Dst, Dst: c.Src, Proto: ProtoOf(ip.proto), SrcPorts: c.SrcPorts, DstPorts: mapICMP(c.DstPorts, ip.m)})
	}
	if p := c.Proto.AndNot(portProtos).AndNot(icmpProtos); !p.Empty() {
		out = append(out, Cube{Src: c.Dst, Dst: c.Src, Proto: p, SrcPorts: c.DstPorts, DstPorts: c.SrcPorts})
	}
	return out
}

// mapICMP maps every type of the key set through m (types not in m stay).
// m is an involution, so it maps every type onto every type: all keys
// stay all keys.
func mapICMP(keys Ranges, m map[uint8]uint8) Ranges {
	if keys.IsAll() {
		return keys
	}
	var typed, moved Ranges
	for t, to := range m {
		typ := Ranges{{From: ICMPKey(t, 0), To: ICMPKey(t, 255)}}
		part := keys.Intersect(typ)
		if part.Empty() {
			continue
		}
		typed = typed.Union(typ)
		shift := int(to) - int(t)
		for _, r := range part {
			moved = append(moved, model.PortRange{From: uint16(int(r.From) + shift<<8), To: uint16(int(r.To) + shift<<8)})
		}
	}
	return keys.Subtract(typed).Union(moved)
}

// Reverse returns the replies to every packet of the space.
func (s Space) Reverse() Space {
	var out Space
	for _, c := range s {
		out = append(out, c.Reverse()...)
	}
	return out
}

// Services describes the protocols and destination ports of a space, one
// entry per protocol: "tcp/22,443", "udp/53", "icmp 8/0" (type/code),
// "50" (a protocol without ports), "all" (every protocol and port).
func (s Space) Services() []string {
	var all ProtoSet
	ports := map[model.Protocol]Ranges{}
	for _, c := range s {
		all = all.Or(c.Proto)
		for _, p := range c.Proto.And(portProtos.Or(icmpProtos)).List() {
			ports[p] = ports[p].Union(c.DstPorts)
		}
	}
	full := all == AllProtos()
	if full {
		every := true
		for _, p := range []model.Protocol{model.ProtoTCP, model.ProtoUDP, model.ProtoICMP, model.ProtoICMPv6} {
			if !ports[p].IsAll() {
				every = false
			}
		}
		if every {
			return []string{"all"}
		}
	}
	var out []string
	for _, p := range all.List() {
		switch {
		case p.HasPorts():
			out = append(out, p.String()+"/"+ports[p].String())
		case p.IsICMP():
			r := ports[p]
			if r.IsAll() {
				out = append(out, p.String())
				continue
			}
			var parts []string
			for _, x := range r {
				if x.From == x.To {
					parts = append(parts, fmt.Sprintf("%d/%d", x.From>>8, x.From&0xff))
				} else if x.From&0xff == 0 && x.To&0xff == 0xff && x.From>>8 == x.To>>8 {
					parts = append(parts, fmt.Sprintf("%d", x.From>>8))
				} else {
					parts = append(parts, fmt.Sprintf("%d/%d-%d/%d", x.From>>8, x.From&0xff, x.To>>8, x.To&0xff))
				}
			}
			out = append(out, p.String()+" "+strings.Join(parts, ","))
		default:
			if full && len(out) > 4 {
				continue
			}
			out = append(out, p.String())
		}
	}
	if full && len(out) > 8 {
		// Every protocol without ports is open: say so once.
		var short []string
		for _, o := range out {
			if strings.ContainsAny(o, "/ ") || o == "tcp" || o == "udp" || o == "icmp" || o == "icmpv6" {
				short = append(short, o)
			}
		}
		out = append(short, "every other protocol")
	}
	return out
}
