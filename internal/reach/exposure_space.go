package reach

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// outcomeGroup is the packets of outcomes that share a verdict, a path
// (component IDs) and reasons: one group gives one finding per protocol,
// port range and source set.
type outcomeGroup struct {
	verdict Verdict
	via     []Hop
	fwd     []Hop
	ret     []Hop
	reasons []string
	space   Space
}

// groupOutcomes merges the reachable and possibly-reachable outcomes of a
// traversal by forward path (the reply path differs between ICMP requests
// and other messages; a group's via holds every reply component); keep,
// when set, narrows their packets.
func groupOutcomes(outs []Outcome, keep Space) []outcomeGroup {
	var gs []outcomeGroup
	idx := map[string]int{}
	for _, o := range outs {
		if o.Verdict == Unreachable {
			continue
		}
		s := o.Space
		if keep != nil {
			s = s.Intersect(keep)
		}
		if s.Empty() {
			continue
		}
		fwd := viaOf(Outcome{Hops: o.Hops})
		reasons := slices.Clone(o.Reasons)
		sort.Strings(reasons)
		var k strings.Builder
		k.WriteString(string(o.Verdict))
		for _, h := range fwd {
			k.WriteString("|" + h.ID)
		}
		k.WriteString("#" + strings.Join(reasons, "#"))
		key := k.String()
		if i, ok := idx[key]; ok {
			gs[i].space = gs[i].space.Union(s)
			gs[i].ret = append(gs[i].ret, o.ReturnHops...)
			continue
		}
		idx[key] = len(gs)
		gs = append(gs, outcomeGroup{verdict: o.Verdict, fwd: o.Hops, ret: slices.Clone(o.ReturnHops), reasons: reasons, space: slices.Clip(s)})
	}
	for i := range gs {
		// Forward hops, then what the replies of any part cross.
		gs[i].via = viaOf(Outcome{Hops: gs[i].fwd, ReturnHops: gs[i].ret})
	}
	return gs
}

// viaOf is an outcome's evidence as component IDs and types: the forward
// hops, then the reply path's components not already on it (the route
// table that sends replies back). Joined security group IDs are split.
func viaOf(o Outcome) []Hop {
	out := make([]Hop, 0, len(o.Hops)+len(o.ReturnHops))
	// A path has a few dozen hops at most: seen is a scan of out.
	addID := func(id, typ string) {
		if !slices.ContainsFunc(out, func(h Hop) bool { return h.ID == id }) {
			out = append(out, Hop{ID: id, Type: typ})
		}
	}
	add := func(h Hop) {
		if h.Type == "Internet" || h.ID == "" {
			return
		}
		if !strings.Contains(h.ID, ",") {
			addID(h.ID, h.Type)
			return
		}
		for _, id := range strings.Split(h.ID, ",") {
			addID(id, h.Type)
		}
	}
	for _, h := range o.Hops {
		add(h)
	}
	for _, h := range o.ReturnHops {
		add(h)
	}
	if len(out) == 0 {
		return nil // as when nothing was appended
	}
	return out
}

// part is one row of an exposure: a protocol (or set of protocols), a
// contiguous range of destination ports or ICMP keys, the sources that
// can use it and the client source ports that get replies.
type part struct {
	proto    string
	protos   ProtoSet
	keys     Ranges // destination ports, or ICMP type<<8|code keys
	ports    model.PortRange
	src      *ipset.Set
	srcPorts Ranges
	hasPorts bool
	isICMP   bool
	note     string
}

var (
	protoTCP    = ProtoOf(model.ProtoTCP)
	protoUDP    = ProtoOf(model.ProtoUDP)
	protoICMP   = ProtoOf(model.ProtoICMP)
	protoICMPv6 = ProtoOf(model.ProtoICMPv6)
	protoOther  = AllProtos().AndNot(portProtos).AndNot(icmpProtos)
)

// decompose turns a set of packets into rows: protocols are split into
// the classes the cubes tell apart (tcp, udp, icmp, icmpv6 and the rest,
// refined further by any protocol a rule names), each class's port axis
// into the ranges where the same sources get in, adjacent ranges with the
// same sources merged. When every protocol on every port is open to the
// same sources, one "all" row.
func decompose(s Space) []part {
	// The classes are refined cube by cube, from one buffer to the other
	// (the classes of cube i are in bufs[i%2], or beyond them when they
	// outgrew it).
	var bufs [2][16]ProtoSet
	atoms := append(bufs[0][:0], protoTCP, protoUDP, protoICMP, protoICMPv6, protoOther)
	for ci, c := range s {
		next := bufs[(ci+1)%2][:0]
		for _, a := range atoms {
			in, out := a.And(c.Proto), a.AndNot(c.Proto)
			if !in.Empty() {
				next = append(next, in)
			}
			if !out.Empty() {
				next = append(next, out)
			}
		}
		atoms = next
	}
	var parts []part
	perAtom := make([][]part, len(atoms))
	withParts := 0
	cubes := make([]Cube, 0, len(s))
	for ai, a := range atoms {
		cubes = cubes[:0]
		for _, c := range s {
			if !c.Proto.And(a).Empty() {
				cubes = append(cubes, c)
			}
		}
		if len(cubes) == 0 {
			continue
		}
		ps := atomParts(a, cubes)
		perAtom[ai] = ps
		withParts++
		parts = append(parts, ps...)
	}
	// Everything open to the same sources: one row.
	if withParts == len(atoms) {
		var src *ipset.Set
		all := true
		for ai := range atoms {
			ps := perAtom[ai]
			if len(ps) != 1 || !ps[0].keys.IsAll() || (ps[0].hasPorts && !ps[0].srcPorts.Covers(ephemeralRanges)) {
				all = false
				break
			}
			if src == nil {
				src = ps[0].src
			} else if !src.Equal(ps[0].src) {
				all = false
				break
			}
		}
		if all && src != nil {
			return []part{{proto: "all", protos: AllProtos(), keys: AllRanges(), ports: model.AllPorts, src: src, srcPorts: AllRanges()}}
		}
	}
	// ICMP from the other address family means nothing. (Filtered in
	// place: out never passes the part being read.)
	out := parts[:0]
	for _, p := range parts {
		switch p.protos {
		case protoICMP:
			p.src = p.src.Intersect(fullV4)
		case protoICMPv6:
			p.src = p.src.Intersect(fullV6)
		}
		if !p.src.Empty() {
			out = append(out, p)
		}
	}
	return out
}

// unionOf is the union of sets: the set itself when there is one, merges
// of two when there are few (which return an operand that holds the
// other, as it is), a builder's sort otherwise.
func unionOf(sets []*ipset.Set) *ipset.Set {
	switch {
	case len(sets) == 0:
		return emptySet
	case len(sets) <= 8:
		u := sets[0]
		for _, s := range sets[1:] {
			u = u.Union(s)
		}
		return u
	}
	var b ipset.Builder
	for _, s := range sets {
		b.AddSet(s)
	}
	return b.Set()
}

// atomParts splits one protocol class's cubes along the port axis.
func atomParts(a ProtoSet, cubes []Cube) []part {
	hasPorts := a == protoTCP || a == protoUDP
	isICMP := a == protoICMP || a == protoICMPv6
	keysOf := func(c Cube) Ranges {
		if hasPorts || isICMP {
			return c.DstPorts
		}
		return AllRanges()
	}
	// Elementary intervals between every range boundary.
	bounds := make([]int, 2, 2+2*len(cubes))
	bounds[0], bounds[1] = 0, 65536
	for _, c := range cubes {
		for _, r := range keysOf(c) {
			bounds = append(bounds, int(r.From), int(r.To)+1)
		}
	}
	sort.Ints(bounds)
	bounds = slices.Compact(bounds)
	type seg struct {
		from, to int
		src      *ipset.Set
		sp       Ranges
	}
	var segs []seg
	var srcs []*ipset.Set
	for i := 0; i+1 < len(bounds); i++ {
		lo, hi := bounds[i], bounds[i+1]-1
		srcs = srcs[:0]
		var sp Ranges
		for _, c := range cubes {
			if !keysOf(c).Contains(uint16(lo)) {
				continue
			}
			cs := c.SrcPorts
			if hasPorts {
				// Clients open connections from ephemeral ports.
				cs = cs.Intersect(ephemeralRanges)
				if cs.Empty() {
					continue
				}
			} else {
				// Source ports mean nothing without ports.
				cs = AllRanges()
			}
			srcs = append(srcs, c.Src)
			sp = sp.Union(cs)
		}
		src := unionOf(srcs)
		if src.Empty() {
			continue
		}
		if n := len(segs); n > 0 && segs[n-1].to+1 == lo && segs[n-1].src.Equal(src) && rangesEqual(segs[n-1].sp, sp) {
			segs[n-1].to = hi
			continue
		}
		segs = append(segs, seg{from: lo, to: hi, src: src, sp: sp})
	}
	out := make([]part, 0, len(segs))
	// The parts' key ranges, one allocation for all.
	keys := make(Ranges, len(segs))
	for i, sg := range segs {
		keys[i] = model.PortRange{From: uint16(sg.from), To: uint16(sg.to)}
		p := part{protos: a, keys: keys[i : i+1 : i+1], src: sg.src, srcPorts: sg.sp, hasPorts: hasPorts, isICMP: isICMP}
		switch {
		case hasPorts:
			p.ports = model.PortRange{From: uint16(sg.from), To: uint16(sg.to)}
		case isICMP:
			p.ports = model.PortRange{From: uint16(sg.from >> 8), To: uint16(sg.to >> 8)}
			if sg.from&0xff != 0 || sg.to&0xff != 0xff {
				p.note = fmt.Sprintf("ICMP type %d code %d to type %d code %d", sg.from>>8, sg.from&0xff, sg.to>>8, sg.to&0xff)
			}
		default:
			p.ports = model.AllPorts
		}
		p.proto = protoLabel(a)
		out = append(out, p)
	}
	return out
}

func rangesEqual(a, b Ranges) bool { return slices.Equal(a, b) }

// protoLabel names a protocol class as cli.md's JSON does.
func protoLabel(a ProtoSet) string {
	if a == AllProtos() {
		return "all"
	}
	if a.Len() == 1 {
		return model.Protocol(a.List()[0]).String()
	}
	return "other"
}

// Recognised ports: administrative access, databases, caches, search and
// container engines, file transfer and Windows sharing. A finding from the
// internet that opens one of them is high (docs/exposure.md).
var riskyPorts = map[string][]uint16{
	"tcp": {20, 21, 22, 23, 135, 139, 445, 1433, 1434, 1521, 2049, 2375, 2376, 2379, 2380, 3306, 3389, 5432, 5601, 5900, 5984, 6379, 7000, 7001, 8020, 8086, 9042, 9160, 9200, 9300, 11211, 27017, 27018, 27019, 50070},
	"udp": {69, 111, 137, 138, 161, 623, 1434, 2049, 11211},
}

// RiskyPorts returns the recognised administrative and database ports of a
// protocol (tcp or udp).
func RiskyPorts(proto string) []uint16 { return slices.Clone(riskyPorts[proto]) }

// SeverityOf ranks a finding: from the internet, every protocol, every
// port, or a range holding a recognised administrative or database port is
// high, anything else medium; from peered VPCs, transit gateways, VPN,
// Direct Connect and Client VPN, low.
func SeverityOf(kind EdgeKind, proto string, ports model.PortRange) Severity {
	if kind != EdgeInternet {
		return SeverityLow
	}
	switch proto {
	case "all":
		return SeverityHigh
	case "tcp", "udp":
		if ports.IsAll() {
			return SeverityHigh
		}
		for _, p := range riskyPorts[proto] {
			if ports.Contains(p) {
				return SeverityHigh
			}
		}
	}
	return SeverityMedium
}
