package reach

import (
	"fmt"
	"math/bits"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Security groups are stateful and only filter the packets arriving at
// the interface: they change neither the route nor the network ACLs, nor
// the replies (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html).
// So the engine's traversal from an edge into a subnet is run once per
// subnet with a placeholder interface whose group is not in the sources
// (which lets every packet through as "possibly", with a reason that is
// then dropped), and each interface's own groups are applied to its
// outcomes with the engine's security group filter.

const (
	placeholderENI = "eni-exposure-placeholder"
	placeholderSG  = "sg-exposure-placeholder"
)

// subnetOutcomes runs (once per key) the inbound traversal to a
// placeholder of the interface that has no known group.
func (x *exposer) subnetOutcomes(key string, target *model.NetworkInterface, ed Edge) []Outcome {
	x.mu.Lock()
	outs, ok := x.subnet[key]
	x.mu.Unlock()
	if ok {
		return outs
	}
	c := *target
	c.ID = placeholderENI
	c.SecurityGroupIDs = []string{placeholderSG}
	outs = x.e.InboundFrom(ed, &c)
	x.mu.Lock()
	x.subnet[key] = outs
	x.mu.Unlock()
	return outs
}

// withGroups applies an interface's groups to the placeholder's outcomes
// with the engine's own security group filter (ingress, read as for
// packets that came through a transit gateway when they did).
func (x *exposer) withGroups(base string, outs []Outcome, ni *model.NetworkInterface, ed Edge) []Outcome {
	if a := x.groupsAllowed(ni, ed); a != nil {
		return x.withGroupsFast(base, outs, ni, a)
	}
	var res []Outcome
	for _, o := range outs {
		if o.Verdict == Unreachable {
			continue
		}
		reasons := withoutPlaceholder(o.Reasons)
		for _, p := range x.e.sgFilterVia(o.Space, ni, false, nil, x.e.edgeAttachment(ed), nil) {
			if !p.pass || p.space.Empty() {
				continue
			}
			swap := func(hs []Hop) []Hop {
				var out []Hop
				for _, h := range hs {
					if h.ID == placeholderSG {
						if p.hop.ID == "" {
							continue // no groups by nature: no hop
						}
						h = Hop{ID: p.hop.ID, Type: p.hop.Type, Action: p.hop.Action}
					}
					out = append(out, h)
				}
				return out
			}
			rs := reasons
			if p.reason != "" {
				rs = append(slices.Clip(reasons), p.reason)
			}
			v := Reachable
			if len(rs) > 0 {
				v = PossiblyReachable
			}
			res = append(res, Outcome{Verdict: v, Space: p.space, Hops: swap(o.Hops), ReturnHops: swap(o.ReturnHops), Reasons: rs})
		}
	}
	return res
}

// sgAllowed is what a set of groups lets in: packets a rule with known
// peers allows, and packets only rules with unknown peers (or groups not
// in the sources) may allow, with why.
type sgAllowed struct {
	known, unknown Space
	why            []string // why[i] is why unknown[i] only may be allowed
	// classes, when known has at most 64 cubes, are its protocol sets,
	// each with the bits of the cubes that have it (see knownMeeting).
	classes []protoClass
}

// protoClass is the cubes of a group's known packets that have one
// protocol set, as bits of their indexes.
type protoClass struct {
	proto ProtoSet
	bits  uint64
}

// classify sets a.classes.
func (a *sgAllowed) classify() {
	if len(a.known) > 64 {
		return
	}
	for i, c := range a.known {
		k := slices.IndexFunc(a.classes, func(pc protoClass) bool { return pc.proto == c.Proto })
		if k < 0 {
			k = len(a.classes)
			a.classes = append(a.classes, protoClass{proto: c.Proto})
		}
		a.classes[k].bits |= 1 << i
	}
}

// knownMeeting returns, for each cube of s, the bits of the known cubes
// that share a protocol with it (the others meet nothing of it), in buf;
// false when known is not classified or s has more cubes than buf.
func (a *sgAllowed) knownMeeting(s Space, buf *[8]uint64) ([]uint64, bool) {
	if a.classes == nil && len(a.known) > 0 || len(s) > len(buf) {
		return nil, false
	}
	ms := buf[:len(s)]
	for i := range s {
		ms[i] = 0
		for _, pc := range a.classes {
			if !pc.proto.And(s[i].Proto).Empty() {
				ms[i] |= pc.bits
			}
		}
	}
	return ms, true
}

// groupsAllowed returns what each of the interface's groups lets in, the
// way the engine's security group filter reads rules (each group computed
// once; the interface admits what any of them admits, read in order);
// nil when the filter must be run as the engine runs it (groups with
// unknown values, group references read across a transit gateway).
func (x *exposer) groupsAllowed(ni *model.NetworkInterface, ed Edge) []*sgAllowed {
	ids := ni.SecurityGroupIDs
	if len(ids) == 0 && noGroupsByNature(ni) {
		return []*sgAllowed{{known: Space{AllPackets()}}}
	}
	if groupsUnknown(ni) != "" {
		return nil
	}
	for _, gid := range ids {
		sg, ok := x.e.Net.SecurityGroups.Get(gid)
		if !ok {
			continue
		}
		if ruleUnknowns(sg) != "" {
			return nil
		}
	}
	tgwVPC := ""
	att := x.e.edgeAttachment(ed)
	if att != nil {
		tgwVPC = ni.VPCID
	}
	groups := make([]*sgAllowed, len(ids))
	for i, gid := range ids {
		groups[i] = x.groupAllowed(gid, tgwVPC, att)
	}
	return groups
}

// edgeAttachment is the transit gateway attachment of an edge (a stand-in
// when the sources lack it), or nil for other edges.
func (e *Engine) edgeAttachment(ed Edge) *model.TGWAttachment {
	if ed.Kind != EdgeTransitGateway {
		return nil
	}
	if a, ok := e.Net.TGWAttachments.Get(ed.ID); ok {
		return a
	}
	return &model.TGWAttachment{Meta: model.Meta{ID: ed.ID}}
}

// groupAllowed is what one group lets in (cached); tgwVPC, when set,
// reads its group references as for packets that came through a transit
// gateway into that VPC.
func (x *exposer) groupAllowed(gid, tgwVPC string, att *model.TGWAttachment) *sgAllowed {
	e := x.e
	key := "1:" + tgwVPC + ":" + gid
	if tgwVPC != "" && att != nil {
		key += ":" + att.ID
	}
	x.mu.Lock()
	a, ok := x.sgSets[key]
	x.mu.Unlock()
	if ok {
		return a
	}
	sg, found := e.Net.SecurityGroups.Get(gid)
	if found && tgwVPC != "" && !x.readAcrossTGW(gid, sg, tgwVPC) {
		// Read the same either way: the reading of any other edge, kept
		// under this key too, so that the question is asked once.
		a = x.groupAllowed(gid, "", nil)
		x.mu.Lock()
		x.sgSets[key] = a
		x.mu.Unlock()
		return a
	}
	a = &sgAllowed{}
	if !found {
		a.unknown = append(a.unknown, AllPackets())
		a.why = append(a.why, fmt.Sprintf("security group %s is not in the sources", gid))
	} else {
		vpcSet := x.vpcSet(tgwVPC)
		// Rules with the same protocol and ports are one set of packets
		// whose sources are the union of their peers.
		// Buckets are held by value, found by index: one allocation for
		// all of a group's rules.
		// The scratch of the buckets is reused from group to group: only
		// the allowed cubes are kept.
		sc := bucketScratchPool.Get().(*bucketScratch)
		defer sc.release()
		byRule := sc.byRule
		// The rules' peers as findings describe them: each set once.
		described := x.ingressRules(gid)
		add := func(ri int, cidr netip.Prefix, set *ipset.Set) {
			r := &sg.Ingress[ri]
			w := writtenRule{r.Protocol, r.Ports, r.ICMP}
			i, ok := byRule[w]
			if !ok {
				// The rule's packets from anywhere (the sources are the
				// bucket's, set at the end).
				c := described[ri].cube
				c.Src = fullSet
				i = sc.bucketOf(w.proto, c)
				byRule[w] = i
			}
			bk := &sc.buckets[i]
			bk.n++
			if bk.n == 1 {
				bk.set, bk.cidr = set, cidr
				return
			}
			if bk.b == nil {
				first := bk.sources()
				bk.b = new(ipset.Builder)
				bk.b.AddSet(first)
			}
			if set != nil {
				bk.b.AddSet(set)
			} else {
				bk.b.AddPrefix(cidr.Masked())
			}
		}
		for ri, r := range sg.Ingress {
			if r.Peer.Kind == model.PeerCIDR {
				if r.Peer.CIDR.IsValid() {
					add(ri, r.Peer.CIDR, described[ri].cube.Src)
				}
				continue
			}
			peer, why := described[ri].cube.Src, described[ri].why
			if tgwVPC != "" && r.Peer.Kind == model.PeerSecurityGroup && why == "" {
				// As the engine reads it: members in other VPCs match
				// across a transit gateway only with its security group
				// referencing support, which the sources do not show.
				local := peer.Intersect(vpcSet)
				if remote := peer.Minus(local); !remote.Empty() {
					match, maybe, mwhy := e.tgwReferenced(att, remote)
					if !maybe.Empty() {
						a.unknown = append(a.unknown, ruleCube(r.Protocol, r.Ports, r.ICMP, maybe, false))
						a.why = append(a.why, fmt.Sprintf("%s ingress rule %s: %s", gid, describeSGRule(r), mwhy))
					}
					local = local.Union(match)
				}
				peer = local
			}
			if sure, maybe, ok := candidatePeers(r.Peer); ok {
				if !maybe.Empty() {
					a.unknown = append(a.unknown, ruleCube(r.Protocol, r.Ports, r.ICMP, maybe, false))
					a.why = append(a.why, unknownRuleWhy(gid, "ingress", r, why))
				}
				if !sure.Empty() {
					add(ri, netip.Prefix{}, sure)
				}
				continue
			}
			if why != "" {
				a.unknown = append(a.unknown, ruleCube(r.Protocol, r.Ports, r.ICMP, peer, false))
				a.why = append(a.why, unknownRuleWhy(gid, "ingress", r, why))
				continue
			}
			add(ri, netip.Prefix{}, peer)
		}
		a.known = make(Space, 0, len(sc.buckets))
		for i := range sc.buckets {
			bk := &sc.buckets[i]
			src := bk.sources()
			if src.Empty() {
				continue
			}
			c := bk.c
			c.Src = src
			a.known = append(a.known, c)
		}
		a.classify()
	}
	x.mu.Lock()
	x.sgSets[key] = a
	x.mu.Unlock()
	return a
}

// readAcrossTGW reports whether a group's ingress rules read differently
// for packets that came through a transit gateway into the VPC vpcID: only
// a rule that references a group with known members some of which are
// outside that VPC does (see groupAllowed).
func (x *exposer) readAcrossTGW(gid string, sg *model.SecurityGroup, vpcID string) bool {
	var described []describedRule
	var local *ipset.Set
	for i := range sg.Ingress {
		if sg.Ingress[i].Peer.Kind != model.PeerSecurityGroup {
			continue
		}
		if described == nil {
			described, local = x.ingressRules(gid), x.vpcSet(vpcID)
		}
		if described[i].why == "" && !local.Covers(described[i].cube.Src) {
			return true
		}
	}
	return false
}

// admittedKey names the outcomes of one subnet's traversal (by its
// subnetOutcomes key) and one group's rules as read for them.
type admittedKey struct {
	base string
	g    *sgAllowed
}

// admittedBy returns, for each of the outcomes (of the traversal keyed
// base), the packets that g's known rules let in, in the order of its
// rules; computed once per subnet and group, as interfaces of a subnet
// share their groups.
func (x *exposer) admittedBy(base string, outs []Outcome, g *sgAllowed) []Space {
	k := admittedKey{base, g}
	x.mu.Lock()
	parts, ok := x.admitted[k]
	x.mu.Unlock()
	if ok {
		return parts
	}
	parts = make([]Space, len(outs))
	var scratch [8]uint64
	for i, o := range outs {
		if o.Verdict == Unreachable {
			continue
		}
		if ms, ok := g.knownMeeting(o.Space, &scratch); ok {
			// Only the pairs of a rule and a traversal cube that share
			// a protocol, in the order appendIntersectCube takes them:
			// rule by rule, then cube by cube.
			var all uint64
			for _, m := range ms {
				all |= m
			}
			for all != 0 {
				k := bits.TrailingZeros64(all)
				all &= all - 1
				c := &g.known[k]
				for j := range o.Space {
					if ms[j]>>k&1 == 0 {
						continue
					}
					if y, ok := o.Space[j].intersect(c); ok {
						parts[i] = append(parts[i], y)
					}
				}
			}
			continue
		}
		for _, c := range g.known {
			parts[i] = o.Space.appendIntersectCube(parts[i], c)
		}
	}
	x.mu.Lock()
	x.admitted[k] = parts
	x.mu.Unlock()
	return parts
}

// writtenRule is a security group rule's protocol, ports and ICMP match
// as written.
type writtenRule struct {
	proto model.Protocol
	ports model.PortRange
	icmp  model.ICMPMatch
}

// withGroupsFast applies an interface's groups as the intersection with
// what they admit, computed once per group (and per subnet, see
// admittedBy).
func (x *exposer) withGroupsFast(base string, outs []Outcome, ni *model.NetworkInterface, groups []*sgAllowed) []Outcome {
	names := strings.Join(ni.SecurityGroupIDs, ",")
	anyUnknown := false
	for _, g := range groups {
		anyUnknown = anyUnknown || len(g.unknown) > 0
	}
	admitted := make([][]Space, len(groups))
	for i, g := range groups {
		admitted[i] = x.admittedBy(base, outs, g)
	}
	var res []Outcome
	for oi, o := range outs {
		if o.Verdict == Unreachable {
			continue
		}
		reasons := withoutPlaceholder(o.Reasons)
		// The placeholder's group hop named by the interface's groups;
		// the hops are shared as they are when there is none.
		hops := slices.Clip(o.Hops)
		if slices.ContainsFunc(o.Hops, isPlaceholderSG) {
			hops = make([]Hop, 0, len(o.Hops))
			for _, h := range o.Hops {
				if h.ID == placeholderSG {
					if names == "" {
						continue
					}
					h.ID = names
				}
				hops = append(hops, h)
			}
		}
		ret := slices.Clip(o.ReturnHops)
		if slices.ContainsFunc(ret, isPlaceholderSG) {
			ret = slices.Clone(ret)
			for i := range ret {
				if ret[i].ID == placeholderSG {
					ret[i].ID = names
				}
			}
		}
		// What the groups admit: one group's own slice when only it
		// admits anything (clipped: an append copies it).
		var known Space
		contributing := 0
		for i := range groups {
			if len(admitted[i][oi]) > 0 {
				contributing++
				known = slices.Clip(admitted[i][oi])
			}
		}
		if contributing > 1 {
			known = nil
			for i := range groups {
				known = append(known, admitted[i][oi]...)
			}
		}
		if !known.Empty() {
			v := Reachable
			if len(reasons) > 0 {
				v = PossiblyReachable
			}
			res = append(res, Outcome{Verdict: v, Space: known, Hops: hops, ReturnHops: ret, Reasons: reasons})
		}
		if anyUnknown {
			var maybe Space
			for _, g := range groups {
				for _, c := range g.unknown {
					maybe = o.Space.appendIntersectCube(maybe, c)
				}
			}
		subtract:
			for _, g := range groups {
				for _, c := range g.known {
					if len(maybe) == 0 {
						break subtract
					}
					maybe = maybe.SubtractCube(c)
				}
			}
			if !maybe.Empty() {
				// The reasons of the rules that may let these packets in
				// (g.why[i] goes with g.unknown[i]).
				rs := slices.Clip(reasons)
				for _, g := range groups {
					for i, c := range g.unknown {
						if !maybe.IntersectCube(c).Empty() {
							rs = append(rs, g.why[i])
						}
					}
				}
				rs = uniq(rs)
				res = append(res, Outcome{Verdict: PossiblyReachable, Space: maybe, Hops: hops, ReturnHops: ret, Reasons: rs})
			}
		}
	}
	return res
}

func isPlaceholderSG(h Hop) bool { return h.ID == placeholderSG }

// withoutPlaceholder is the reasons that do not name the placeholder's
// group: rs itself (its capacity clipped, so that an append copies it)
// when none does.
func withoutPlaceholder(rs []string) []string {
	if !slices.ContainsFunc(rs, func(r string) bool { return strings.Contains(r, placeholderSG) }) {
		if len(rs) == 0 {
			return nil
		}
		return slices.Clip(rs)
	}
	var out []string
	for _, r := range rs {
		if !strings.Contains(r, placeholderSG) {
			out = append(out, r)
		}
	}
	return out
}

// sgBucket is the rules of a group with the same protocol and ports: one
// set of packets whose sources are the union of their peers. Most buckets
// hold one rule, whose set (or CIDR) is the bucket's sources as it is; a
// builder takes the others.
type sgBucket struct {
	c    Cube
	set  *ipset.Set
	cidr netip.Prefix
	n    int
	b    *ipset.Builder
}

// sources is the union of the bucket's peers.
func (bk *sgBucket) sources() *ipset.Set {
	switch {
	case bk.b != nil:
		s := bk.b.Set()
		return s
	case bk.n == 0:
		return emptySet
	case bk.set != nil:
		return bk.set
	case !bk.cidr.IsValid():
		return emptySet
	}
	return ipset.OfPrefix(bk.cidr)
}

// bucketScratch is what groupAllowed sorts one group's rules in.
type bucketScratch struct {
	// idx finds a bucket by the packets it stands for (appendRangesKey);
	// small finds those of at most one range of ports each way.
	idx   map[string]int32
	small map[smallBucketKey]int32
	// byRule finds the bucket of a (protocol, ports, ICMP match) as
	// written, looked up once through the packets it stands for.
	byRule  map[writtenRule]int32
	buckets []sgBucket
	key     []byte
}

var bucketScratchPool = sync.Pool{New: func() any {
	return &bucketScratch{idx: map[string]int32{}, small: map[smallBucketKey]int32{}, byRule: map[writtenRule]int32{}}
}}

// release empties the scratch (so that it holds no set) and returns it to
// the pool.
func (sc *bucketScratch) release() {
	clear(sc.idx)
	clear(sc.small)
	clear(sc.byRule)
	clear(sc.buckets)
	sc.buckets = sc.buckets[:0]
	bucketScratchPool.Put(sc)
}

// bucketOf returns the index of the bucket of the packets c (of a rule
// of protocol proto) stands for, added when there is none yet.
func (sc *bucketScratch) bucketOf(proto model.Protocol, c Cube) int32 {
	add := func() int32 {
		sc.buckets = append(sc.buckets, sgBucket{c: c})
		return int32(len(sc.buckets) - 1)
	}
	if k, small := smallBucketKeyOf(proto, c); small {
		// Most rules: one range of ports each way, a key the map holds
		// by value.
		i, ok := sc.small[k]
		if !ok {
			i = add()
			sc.small[k] = i
		}
		return i
	}
	sc.key = appendRangesKey(append(sc.key[:0], byte(proto+1), byte((proto+1)>>8)), c.DstPorts, c.SrcPorts)
	i, ok := sc.idx[string(sc.key)]
	if !ok {
		i = add()
		sc.idx[string(sc.key)] = i
	}
	return i
}

// smallBucketKey names the packets of a bucket whose destination and
// source ports are each at most one range: the protocol, how many ranges
// each way, and the ranges.
type smallBucketKey struct {
	proto    model.Protocol
	nd, ns   int8
	dst, src model.PortRange
}

// smallBucketKeyOf is the small key of a rule's cube, if it has one.
func smallBucketKeyOf(proto model.Protocol, c Cube) (smallBucketKey, bool) {
	if len(c.DstPorts) > 1 || len(c.SrcPorts) > 1 {
		return smallBucketKey{}, false
	}
	k := smallBucketKey{proto: proto, nd: int8(len(c.DstPorts)), ns: int8(len(c.SrcPorts))}
	if k.nd == 1 {
		k.dst = c.DstPorts[0]
	}
	if k.ns == 1 {
		k.src = c.SrcPorts[0]
	}
	return k, true
}

// appendRangesKey appends two range sets, written as a map key (the
// number of ranges of a first, so that no two pairs write the same).
func appendRangesKey(buf []byte, a, b Ranges) []byte {
	buf = append(buf, byte(len(a)>>8), byte(len(a)))
	for _, r := range a {
		buf = append(buf, byte(r.From>>8), byte(r.From), byte(r.To>>8), byte(r.To))
	}
	for _, r := range b {
		buf = append(buf, byte(r.From>>8), byte(r.From), byte(r.To>>8), byte(r.To))
	}
	return buf
}
