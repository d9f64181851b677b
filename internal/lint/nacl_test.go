package lint

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/model"
)

// naiveAllows evaluates one packet against a network ACL the way AWS
// does: entries by rule number, first match decides, default deny.
func naiveAllows(acl *model.NetworkACL, egress bool, proto model.Protocol, addr netip.Addr, port uint16) bool {
	best := -1
	allow := false
	for _, e := range acl.Entries {
		if e.Egress != egress || (e.Protocol != model.ProtoAll && e.Protocol != proto) {
			continue
		}
		if e.Protocol.HasPorts() && !e.Ports.Contains(port) {
			continue
		}
		if !e.CIDR.Contains(addr) {
			continue
		}
		if best < 0 || e.RuleNumber < best {
			best, allow = e.RuleNumber, e.Action == model.NACLAllow
		}
	}
	return allow
}

// TestNACLSetEvaluationMatchesPacketByPacket checks the set evaluation
// against the packet-by-packet reading on random ACLs. Every region the
// set evaluation cuts out is bounded by prefix edges and port edges, so
// probing those edges finds any packet that passes.
func TestNACLSetEvaluationMatchesPacketByPacket(t *testing.T) {
	pool := []netip.Prefix{
		pfx("0.0.0.0/0"), pfx("10.0.0.0/8"), pfx("10.0.0.0/16"), pfx("10.0.1.0/24"), pfx("10.0.1.128/25"),
		pfx("10.1.0.0/16"), pfx("192.168.0.0/16"), pfx("0.0.0.0/1"), pfx("128.0.0.0/1"), pfx("10.0.1.7/32"),
	}
	protos := []model.Protocol{model.ProtoAll, model.ProtoTCP, model.ProtoUDP}
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 2000; iter++ {
		acl := &model.NetworkACL{Meta: meta("acl-r")}
		for i := rng.IntN(6); i >= 0; i-- {
			from := uint16(rng.IntN(40))
			to := from + uint16(rng.IntN(40))
			action := model.NACLAllow
			if rng.IntN(2) == 0 {
				action = model.NACLDeny
			}
			acl.Entries = append(acl.Entries, model.NACLEntry{RuleNumber: 1 + rng.IntN(200), Egress: rng.IntN(2) == 0,
				Protocol: protos[rng.IntN(len(protos))], Action: action, CIDR: pool[rng.IntN(len(pool))],
				Ports: model.PortRange{From: from, To: to}})
		}
		egress := rng.IntN(2) == 0
		proto := protos[1+rng.IntN(2)]
		peer := pool[rng.IntN(len(pool))]
		from := uint16(rng.IntN(60))
		ports := model.PortRange{From: from, To: from + uint16(rng.IntN(30))}
		var b netipx.IPSetBuilder
		b.AddPrefix(peer)
		peers, _ := b.IPSet()

		got := naclAllowsAny(acl, egress, proto, peers, ports)

		want := false
		var probes []netip.Addr
		for _, p := range append(pool, peer) {
			r := netipx.RangeOfPrefix(p)
			probes = append(probes, r.From(), r.To(), r.From().Prev(), r.To().Next())
		}
		for _, a := range probes {
			if !a.IsValid() || !peer.Contains(a) {
				continue
			}
			for port := int(ports.From); port <= int(ports.To); port++ {
				if naiveAllows(acl, egress, proto, a, uint16(port)) {
					want = true
				}
			}
		}
		if got != want {
			t.Fatalf("iteration %d: set evaluation says %v, packets say %v\nacl %+v\negress %v proto %v peer %v ports %v",
				iter, got, want, acl.Entries, egress, proto, peer, ports)
		}
	}
}
