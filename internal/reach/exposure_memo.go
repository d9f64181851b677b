package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// memoEntry is the findings computed for one interface, to be reused for
// interfaces with the same memoKey.
type memoEntry struct {
	eni      string
	findings []ExposureFinding
}

// memoKey says everything an inbound traversal's findings depend on
// besides the interface's own ID and addresses: the edge and its
// sources, the subnet (routes, network ACL), the groups, which kinds of
// address the interface has (public IPv4 known or not, IPv6), its unknown
// values, what owns it (some owners accept no inbound connection), and, when the gateway has its own route table (which routes by
// destination, and may lead through firewalls that decide by destination),
// the address interval of each address (addrclass.go); a load balancer's
// interfaces and delegated prefixes by the addresses themselves.
func (x *exposer) memoKey(ni, target *model.NetworkInterface, ed Edge, extra []string) string {
	var b strings.Builder
	b.Grow(256)
	for _, f := range [...]string{string(ed.Kind), ed.ID, ni.SubnetID, ni.VPCID, string(ni.OwnerKind), ni.InterfaceType} {
		b.WriteString(f)
		b.WriteByte('|')
	}
	writeBool(&b, ni.RequesterManaged)
	writeBool(&b, ni.SourceDestCheck)
	b.WriteString(ni.Status)
	b.WriteByte('|')
	if ed.Sources != nil {
		var buf [96]byte
		for _, r := range ed.Sources.Ranges() {
			b.Write(r.AppendTo(buf[:0]))
			b.WriteByte(',')
		}
	}
	b.WriteByte('|')
	for i, e := range extra {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(e)
	}
	b.WriteByte('|')
	v4, v6, pub, pubUnknown, pubAssigned, pub6 := false, false, 0, "", false, false
	for _, p := range target.PrivateIPs {
		if p.Address.IsValid() {
			v4 = true
		}
		if p.PublicIP.IsValid() {
			pub++
		}
		if p.PublicUnknown != "" {
			pubUnknown, pubAssigned = p.PublicUnknown, p.PublicAssigned
		}
	}
	for _, a := range target.IPv6 {
		v6 = true
		if IsPublic(a) {
			pub6 = true
		}
	}
	for _, p := range target.Prefixes {
		if p.Addr().Is4() {
			v4 = true
		} else {
			v6 = true
		}
	}
	writeBool(&b, v4)
	writeBool(&b, v6)
	b.WriteString(strconv.Itoa(pub))
	b.WriteByte('|')
	if pubUnknown != "" {
		b.WriteString(pubUnknown)
		b.WriteByte('/')
		writeBool(&b, pubAssigned)
	} else {
		b.WriteByte('|')
	}
	writeBool(&b, pub6)
	writeBool(&b, len(target.PrivateIPs) == 0)
	for _, u := range ni.Unknowns {
		b.WriteString(u.Field)
		b.WriteString(": ")
		b.WriteString(u.Reason)
		b.WriteByte(';')
	}
	switch {
	case ni.OwnerKind == model.OwnerLoadBalancer || len(target.Prefixes) > 0:
		var buf [96]byte
		for _, r := range x.e.eniAddrs(target, false).Ranges() {
			b.WriteByte('|')
			b.Write(r.AppendTo(buf[:0]))
		}
	case x.e.Net.EdgeRouteTable(ed.ID) != nil:
		// The gateway's route table routes by destination: the address
		// intervals say all the traversal sees of the addresses.
		x.e.writeAddrClasses(&b, target)
	}
	return b.String()
}

// writeBool writes a flag of a memo key, and its separator.
func writeBool(b *strings.Builder, v bool) {
	if v {
		b.WriteString("t|")
	} else {
		b.WriteString("f|")
	}
}

// appendRenamed appends the memoised findings for another interface.
func (m memoEntry) appendRenamed(dst []ExposureFinding, res ExposedResource, eni string) []ExposureFinding {
	var rn renamer
	for _, f := range m.findings {
		f.Resource = res
		dst = append(dst, rn.rename(f, m.eni, eni))
	}
	return dst
}

// renamer replaces an interface ID in findings' paths and reasons. The
// findings of one outcome share their path: a path renamed is reused for
// the next finding that has the same one. Paths are never changed in
// place, only replaced, so findings may share one.
type renamer struct {
	from, to []Hop
}

// rename replaces old by eni in a finding's path and reason.
func (rn *renamer) rename(f ExposureFinding, old, eni string) ExposureFinding {
	if old == eni {
		return f
	}
	f.Via = rn.via(f.Via, old, eni)
	f.Reason = replaceID(f.Reason, old, eni)
	return f
}

// via is hs with old replaced by eni: hs itself when no hop is old.
func (rn *renamer) via(hs []Hop, old, eni string) []Hop {
	if len(hs) == 0 || !slices.ContainsFunc(hs, func(h Hop) bool { return h.ID == old }) {
		return hs
	}
	if len(rn.from) == len(hs) && &rn.from[0] == &hs[0] {
		return rn.to
	}
	out := make([]Hop, len(hs))
	for j, h := range hs {
		if h.ID == old {
			h.ID = eni
		}
		out[j] = h
	}
	rn.from, rn.to = hs, out
	return out
}

// replaceID replaces whole occurrences of an ID in a text (not where it is
// the start of a longer name).
func replaceID(s, old, repl string) string {
	if old == "" || !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(old)
		whole := end == len(s) || !isIDChar(s[end])
		whole = whole && (i == 0 || !isIDChar(s[i-1]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(repl)
		} else {
			b.WriteString(old)
		}
		s = s[end:]
	}
}

func isIDChar(c byte) bool {
	return c == '-' || c == '_' || c == '/' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// edgeSrc is the sources of a peering or transit gateway edge for a subnet.
type edgeSrc struct {
	src *ipset.Set
	why string
}

// edgeSources returns the sources of a peering or transit gateway edge for
// an interface. They depend on where the remote side routes the
// interface's addresses; the answer for a whole subnet is kept when it is
// the same for every address of it (checked on the first and last
// addresses and the subnet itself), which routes by VPC or subnet CIDR make
// the common case.
func (x *exposer) edgeSources(ed Edge, ni *model.NetworkInterface) (*ipset.Set, string) {
	compute := func(n *model.NetworkInterface) (*ipset.Set, string) {
		if ed.Kind == EdgePeering {
			return x.peerSources(ed.ID, n)
		}
		return x.tgwSources(ed.ID, n)
	}
	s, ok := x.e.Net.Subnets.Get(ni.SubnetID)
	if !ok || len(ni.PrivateIPs) == 0 && len(ni.IPv6) == 0 {
		return compute(ni)
	}
	key := string(ed.Kind) + "|" + ed.ID + "|" + s.ID
	x.mu.Lock()
	c, ok := x.sources[key]
	x.mu.Unlock()
	if ok {
		if c.src == nil {
			return compute(ni) // not uniform over the subnet
		}
		return c.src, c.why
	}
	whole := &model.NetworkInterface{Meta: model.Meta{ID: ni.ID}, SubnetID: s.ID, VPCID: ni.VPCID, Prefixes: subnetSet(s).Prefixes()}
	src, why := compute(whole)
	uniform := true
	for _, p := range whole.Prefixes {
		r := netipx.RangeOfPrefix(p)
		for _, a := range []netip.Addr{r.From(), r.To()} {
			one := &model.NetworkInterface{Meta: model.Meta{ID: ni.ID}, SubnetID: s.ID, VPCID: ni.VPCID, Prefixes: []netip.Prefix{netip.PrefixFrom(a, a.BitLen())}}
			os, ow := compute(one)
			if !setsEqual(os, src) || ow != why {
				uniform = false
			}
		}
	}
	if !uniform {
		src = nil
	}
	x.mu.Lock()
	x.sources[key] = edgeSrc{src: src, why: why}
	x.mu.Unlock()
	if src == nil {
		return compute(ni)
	}
	return src, why
}

// setsEqual compares address sets, nil being empty.
func setsEqual(a, b *ipset.Set) bool {
	if a == nil || b == nil {
		return a.Empty() && b.Empty()
	}
	return a.Equal(b)
}
