package lint

import (
	"fmt"
	"slices"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/model"
)

// naclAllowsAny reports whether a network ACL lets through any packet of
// protocol proto in one direction (egress or not) whose peer address lies
// in peers and whose destination port lies in ports. Rules are evaluated
// lowest number first, the first match deciding, over sets of addresses
// and port intervals rather than packet by packet. An entry whose CIDR is
// unknown is read in the permissive way (an allow matching everything, a
// deny matching nothing), so a "no" is always backed by the sources.
func naclAllowsAny(acl *model.NetworkACL, egress bool, proto model.Protocol, peers *netipx.IPSet, ports model.PortRange) bool {
	if _, ok := unknownAbout(&acl.Meta, "entr", "rule"); ok {
		return true // entries the sources could not read may allow it
	}
	var entries []model.NACLEntry
	for _, e := range acl.Entries {
		if e.Egress == egress && (e.Protocol == model.ProtoAll || e.Protocol == proto) {
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(a, b model.NACLEntry) int { return a.RuleNumber - b.RuleNumber })

	// Cut the port range where any entry's range starts or ends, so that
	// within each piece every entry matches all ports or none.
	cuts := []uint32{uint32(ports.From), uint32(ports.To) + 1}
	for _, e := range entries {
		if !e.Protocol.HasPorts() {
			continue
		}
		for _, c := range []uint32{uint32(e.Ports.From), uint32(e.Ports.To) + 1} {
			if c > uint32(ports.From) && c <= uint32(ports.To) {
				cuts = append(cuts, c)
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)

	for i := 0; i+1 < len(cuts); i++ {
		lo, hi := uint16(cuts[i]), uint16(cuts[i+1]-1)
		remaining := peers
		for _, e := range entries {
			if e.Protocol.HasPorts() && !(e.Ports.From <= lo && hi <= e.Ports.To) {
				continue
			}
			if e.CIDRUnknown != "" || !e.CIDR.IsValid() {
				if e.Action == model.NACLAllow {
					return true
				}
				continue
			}
			if !remaining.OverlapsPrefix(e.CIDR.Masked()) {
				continue
			}
			if e.Action == model.NACLAllow {
				return true
			}
			var b netipx.IPSetBuilder
			b.AddSet(remaining)
			b.RemovePrefix(e.CIDR.Masked())
			remaining, _ = b.IPSet()
			if len(remaining.Ranges()) == 0 {
				break
			}
		}
	}
	return false
}

func prefixSet(p ...model.NACLEntry) *netipx.IPSet {
	var b netipx.IPSetBuilder
	for _, e := range p {
		b.AddPrefix(e.CIDR.Masked())
	}
	s, _ := b.IPSet()
	return s
}

// looksLikeReturnRule reports whether an entry's ports are a client port
// range (it lets replies through rather than offering a service).
func looksLikeReturnRule(e model.NACLEntry) bool {
	if !e.Protocol.HasPorts() {
		return true
	}
	if e.Ports.From <= model.Ephemeral.From && e.Ports.To >= model.Ephemeral.To {
		return true // covers every client port: it may well be there for replies
	}
	return e.Ports.From >= 1024 && int(e.Ports.To)-int(e.Ports.From) >= 1000
}

// checkNACLReturns finds allow rules for a service port whose replies the
// other direction denies on every ephemeral port (1024-65535) to the same
// peers: the connections they allow cannot complete.
func checkNACLReturns(n *model.Network, out *findings) {
	subnetsOf := map[string][]string{}
	for _, s := range n.Subnets.All() {
		if s.NetworkACLID != "" {
			subnetsOf[s.NetworkACLID] = append(subnetsOf[s.NetworkACLID], s.ID)
		}
	}
	for _, acl := range n.NetworkACLs.All() {
		for _, e := range acl.Entries {
			if e.Action != model.NACLAllow || e.CIDRUnknown != "" || !e.CIDR.IsValid() || looksLikeReturnRule(e) {
				continue
			}
			if naclAllowsAny(acl, !e.Egress, e.Protocol, prefixSet(e), model.Ephemeral) {
				continue
			}
			where := ""
			if ss := subnetsOf[acl.ID]; len(ss) > 0 {
				where = " (subnets " + joinIDs(ss) + ")"
			}
			var what string
			if e.Egress {
				what = fmt.Sprintf("rule %d allows outbound %s/%s to %s, but no inbound rule lets the replies from %s back to ports 1024-65535",
					e.RuleNumber, e.Protocol, e.Ports, e.CIDR, e.CIDR)
			} else {
				what = fmt.Sprintf("rule %d allows inbound %s/%s from %s, but no outbound rule lets the replies to %s out on ports 1024-65535",
					e.RuleNumber, e.Protocol, e.Ports, e.CIDR, e.CIDR)
			}
			out.add(RuleNACLNoReturn, acl, originOr(e.Origin, acl.Origin), "%s%s: %s", acl.Label(), where, what)
		}
	}
}
