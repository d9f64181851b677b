package reach_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// The oracle: a deliberately naive evaluator that looks at one concrete
// packet at a time, with AWS's rules written out plainly. The set engine
// must agree with it on every packet of many small random networks.

type oracle struct{ n *model.Network }

func (o oracle) sgAllows(ni *model.NetworkInterface, egress bool, p reach.Packet) bool {
	peerAddr := p.Src
	if egress {
		peerAddr = p.Dst
	}
	for _, gid := range ni.SecurityGroupIDs {
		sg, _ := o.n.SecurityGroups.Get(gid)
		rules := sg.Ingress
		if egress {
			rules = sg.Egress
		}
		for _, r := range rules {
			if !protoMatches(r.Protocol, r.Ports, r.ICMP, p) {
				continue
			}
			switch r.Peer.Kind {
			case model.PeerCIDR:
				if r.Peer.CIDR.Contains(peerAddr) {
					return true
				}
			case model.PeerSecurityGroup:
				for _, m := range o.n.SecurityGroupMembers(r.Peer.ID) {
					for _, a := range m.PrivateIPs {
						if a.Address == peerAddr {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

func protoMatches(proto model.Protocol, ports model.PortRange, icmp model.ICMPMatch, p reach.Packet) bool {
	if proto == model.ProtoAll {
		return true
	}
	if proto != p.Proto {
		return false
	}
	switch {
	case proto.HasPorts():
		return ports.Contains(p.DstPort)
	case proto.IsICMP():
		return icmp.Matches(int16(p.DstPort>>8), int16(p.DstPort&0xff))
	}
	return true
}

func (o oracle) naclAllows(sub *model.Subnet, egress bool, p reach.Packet) bool {
	acl := o.n.NetworkACLFor(sub.ID)
	for _, en := range acl.Entries {
		if en.Egress != egress {
			continue
		}
		addr := p.Src
		if egress {
			addr = p.Dst
		}
		if !en.CIDR.Contains(addr) || !protoMatches(en.Protocol, en.Ports, en.ICMP, p) {
			continue
		}
		return en.Action == model.NACLAllow
	}
	return false
}

// lookup is longest prefix match, one route at a time.
func (o oracle) lookup(sub *model.Subnet, dst netip.Addr) *model.Route {
	rt, _ := o.n.RouteTableFor(sub.ID)
	var best *model.Route
	for i := range rt.Routes {
		r := &rt.Routes[i]
		if !r.Destination.Contains(dst) {
			continue
		}
		if best == nil || r.Destination.Bits() > best.Destination.Bits() ||
			(r.Destination.Bits() == best.Destination.Bits() && r.TargetKind == model.TargetLocal) {
			best = r
		}
	}
	return best
}

func reply(p reach.Packet) (reach.Packet, bool) {
	r := reach.Packet{Src: p.Dst, Dst: p.Src, Proto: p.Proto, SrcPort: p.DstPort, DstPort: p.SrcPort}
	if p.Proto == model.ProtoICMP {
		switch p.DstPort >> 8 {
		case 8:
			r.DstPort = p.DstPort &^ 0xff00 // echo reply, same code
			r.SrcPort = p.SrcPort
		default:
			return r, false // no reply to other messages
		}
	}
	return r, true
}

func (o oracle) subnet(ni *model.NetworkInterface) *model.Subnet {
	s, _ := o.n.Subnets.Get(ni.SubnetID)
	return s
}

// eniToENI: a packet from one interface to another's private address.
func (o oracle) eniToENI(src, dst *model.NetworkInterface, p reach.Packet) bool {
	if !o.sgAllows(src, true, p) {
		return false
	}
	ss, ds := o.subnet(src), o.subnet(dst)
	r := o.lookup(ss, p.Dst)
	if r == nil || r.State == model.RouteBlackhole {
		return false
	}
	switch r.TargetKind {
	case model.TargetLocal:
		if src.VPCID != dst.VPCID {
			return false
		}
	case model.TargetPeering:
		pcx, _ := o.n.PeeringConnections.Get(r.TargetID)
		_, remote, ok := pcx.Side(src.VPCID)
		if !ok || !pcx.IsActive() || remote.VPCID != dst.VPCID {
			return false
		}
		// The reply (if any) must route back through the same connection.
		back := o.lookup(ds, p.Src)
		if _, replies := reply(p); replies && (back == nil || back.TargetID != pcx.ID || back.State == model.RouteBlackhole) {
			return false
		}
	default:
		return false
	}
	cross := ss.ID != ds.ID
	if cross && (!o.naclAllows(ss, true, p) || !o.naclAllows(ds, false, p)) {
		return false
	}
	if !o.sgAllows(dst, false, p) {
		return false
	}
	if rp, ok := reply(p); ok && cross {
		if !o.naclAllows(ds, true, rp) || !o.naclAllows(ss, false, rp) {
			return false
		}
	}
	return true
}

func publicOf(ni *model.NetworkInterface) (netip.Addr, bool) {
	if len(ni.PrivateIPs) > 0 && ni.PrivateIPs[0].PublicIP.IsValid() {
		return ni.PrivateIPs[0].PublicIP, true
	}
	return netip.Addr{}, false
}

// internetToENI: p.Dst is the interface's public address.
func (o oracle) internetToENI(dst *model.NetworkInterface, p reach.Packet) bool {
	if _, ok := o.n.InternetGatewayOf(dst.VPCID); !ok {
		return false
	}
	pub, ok := publicOf(dst)
	if !ok || pub != p.Dst {
		return false
	}
	priv := p
	priv.Dst = dst.PrivateIPs[0].Address
	ds := o.subnet(dst)
	if !o.naclAllows(ds, false, priv) || !o.sgAllows(dst, false, priv) {
		return false
	}
	back := o.lookup(ds, p.Src)
	if _, replies := reply(p); replies && (back == nil || back.TargetKind != model.TargetInternetGateway || back.State == model.RouteBlackhole) {
		return false
	}
	if rp, ok := reply(priv); ok && !o.naclAllows(ds, true, rp) {
		return false
	}
	return true
}

// eniToInternet: p.Dst is a public address outside the model. maybe is
// true when the answer depends on the source port a NAT gateway picks.
func (o oracle) eniToInternet(src *model.NetworkInterface, p reach.Packet) (ok, maybe bool) {
	if !o.sgAllows(src, true, p) {
		return false, false
	}
	ss := o.subnet(src)
	r := o.lookup(ss, p.Dst)
	if r != nil && r.TargetKind == model.TargetNATGateway {
		return o.viaNAT(src, p, r.TargetID)
	}
	return o.directToInternet(src, ss, r, p), false
}

// viaNAT: the NAT gateway translates the source to its private address
// and an ephemeral port of its choosing, then its subnet routes the packet.
func (o oracle) viaNAT(src *model.NetworkInterface, p reach.Packet, natID string) (ok, maybe bool) {
	nat, _ := o.n.NATGateways.Get(natID)
	if p.Proto != model.ProtoTCP && p.Proto != model.ProtoUDP && p.Proto != model.ProtoICMP {
		return false, false
	}
	ss := o.subnet(src)
	ns, _ := o.n.Subnets.Get(nat.SubnetID)
	cross := ss.ID != ns.ID
	if cross && (!o.naclAllows(ss, true, p) || !o.naclAllows(ns, false, p)) {
		return false, false
	}
	r := o.lookup(ns, p.Dst)
	if r == nil || r.TargetKind != model.TargetInternetGateway || r.State == model.RouteBlackhole {
		return false, false
	}
	p2 := p
	p2.Src = nat.Addresses[0].PrivateIP
	if !o.naclAllows(ns, true, p2) {
		return false, false
	}
	rp, has := reply(p2)
	if !has {
		return true, false
	}
	if p.Proto.HasPorts() {
		// The reply comes back to whichever port the NAT picked.
		yes, no := 0, 0
		for _, port := range []uint16{1024, 1025, 29999, 30000, 35000, 40000, 40001, 50000, 65535} {
			rp.DstPort = port
			if o.naclAllows(ns, false, rp) {
				yes++
			} else {
				no++
			}
		}
		if yes == 0 {
			return false, false
		}
		maybe = no > 0
	} else if !o.naclAllows(ns, false, rp) {
		return false, false
	}
	if back, _ := reply(p); cross && (!o.naclAllows(ns, true, back) || !o.naclAllows(ss, false, back)) {
		return false, false
	}
	return !maybe, maybe
}

func (o oracle) directToInternet(src *model.NetworkInterface, ss *model.Subnet, r *model.Route, p reach.Packet) bool {
	if r == nil || r.TargetKind != model.TargetInternetGateway || r.State == model.RouteBlackhole {
		return false
	}
	if _, ok := publicOf(src); !ok {
		return false
	}
	if !o.naclAllows(ss, true, p) {
		return false
	}
	if rp, ok := reply(p); ok && !o.naclAllows(ss, false, rp) {
		return false
	}
	return true
}

var (
	oCIDRs = []string{"0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16", "10.0.1.0/24", "10.1.2.0/24", "8.0.0.0/8", "10.0.2.16/28"}
	oPorts = []string{"22", "53", "80-443", "1024-65535", "0-1023", "30000-40000", "all"}
)

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randomProto(r *rand.Rand) string {
	return pickOne(r, []string{"tcp", "udp", "-1", "icmp", "tcp", "50"})
}

// randomNetwork builds two VPCs, maybe peered, with random routes, ACLs,
// groups and interfaces.
func randomNetwork(r *rand.Rand) *model.Network {
	b := reachtest.New()
	peered := r.IntN(3) > 0
	for v := 0; v < 2; v++ {
		vpc := fmt.Sprintf("vpc-%d", v)
		b.VPC(vpc, fmt.Sprintf("10.%d.0.0/16", v))
		hasIGW := r.IntN(3) > 0
		if hasIGW {
			b.IGW(fmt.Sprintf("igw-%d", v), vpc)
		}
		main := b.MainRouteTable(vpc)
		if hasIGW && r.IntN(4) > 0 {
			b.Route(main, "0.0.0.0/0", fmt.Sprintf("igw-%d", v))
		}
		if peered && r.IntN(4) > 0 {
			b.Route(main, fmt.Sprintf("10.%d.0.0/16", 1-v), "pcx-1")
		}
		if r.IntN(4) == 0 {
			b.Blackhole(main, fmt.Sprintf("10.%d.2.0/24", 1-v), "pcx-gone")
		}
		var sgs []string
		for g := 0; g < 3; g++ {
			id := fmt.Sprintf("sg-%d%d", v, g)
			var rules []string
			if r.IntN(2) == 0 {
				rules = append(rules, "out -1 all 0.0.0.0/0")
			}
			if r.IntN(2) == 0 {
				rules = append(rules, pickOne(r, []string{"in -1 all 0.0.0.0/0", "in tcp all 0.0.0.0/0", "in -1 all 10.0.0.0/8", "in udp 0-1023 0.0.0.0/0"}))
			}
			for k := r.IntN(4); k > 0; k-- {
				dir := pickOne(r, []string{"in", "out"})
				peer := pickOne(r, oCIDRs)
				if r.IntN(4) == 0 {
					peer = fmt.Sprintf("sg-%d%d", r.IntN(2), r.IntN(3))
				}
				proto := randomProto(r)
				ports := pickOne(r, oPorts)
				if proto == "icmp" {
					ports = pickOne(r, []string{"8:-1", "-1:-1", "3:-1"})
				}
				rules = append(rules, fmt.Sprintf("%s %s %s %s", dir, proto, ports, peer))
			}
			b.SG(id, vpc, rules...)
			sgs = append(sgs, id)
		}
		var rt2 *model.RouteTable
		for s := 0; s < 3; s++ {
			sub := fmt.Sprintf("subnet-%d%d", v, s)
			b.Subnet(sub, vpc, fmt.Sprintf("10.%d.%d.0/24", v, s), "az-a")
			if s == 2 {
				rt := b.RouteTable("rtb-"+sub, vpc, sub)
				rt2 = rt
				if peered && r.IntN(2) == 0 {
					b.Route(rt, fmt.Sprintf("10.%d.0.0/16", 1-v), "pcx-1")
				}
				if hasIGW && r.IntN(2) == 0 {
					b.Route(rt, "8.0.0.0/8", fmt.Sprintf("igw-%d", v))
				}
			}
			if r.IntN(2) == 0 {
				var entries []string
				for k := r.IntN(5); k > 0; k-- {
					proto := randomProto(r)
					ports := pickOne(r, oPorts)
					if proto == "icmp" {
						ports = pickOne(r, []string{"8:-1", "0:-1", "-1:-1"})
					}
					entries = append(entries, fmt.Sprintf("%d %s %s %s %s %s", 10*(1+r.IntN(20)), pickOne(r, []string{"in", "out"}),
						pickOne(r, []string{"allow", "allow", "deny"}), proto, ports, pickOne(r, oCIDRs)))
				}
				if r.IntN(2) == 0 {
					entries = append(entries, "300 in allow -1 all 0.0.0.0/0", "300 out allow -1 all 0.0.0.0/0")
				}
				// Rule numbers must be unique per direction.
				seen := map[string]bool{}
				var uniq []string
				for _, e := range entries {
					var n int
					var dir string
					fmt.Sscanf(e, "%d %s", &n, &dir)
					k := fmt.Sprint(n, dir)
					if !seen[k] {
						seen[k] = true
						uniq = append(uniq, e)
					}
				}
				b.ACL("acl-"+sub, vpc, []string{sub}, uniq...)
			}
			for i := 0; i < 2; i++ {
				ni := b.ENI(fmt.Sprintf("eni-%d%d%d", v, s, i), sub, fmt.Sprintf("10.%d.%d.%d", v, s, 10+i+r.IntN(2)*10), pickOne(r, sgs))
				if r.IntN(3) == 0 && len(ni.SecurityGroupIDs) > 0 {
					ni.SecurityGroupIDs = append(ni.SecurityGroupIDs, pickOne(r, sgs))
				}
				if r.IntN(2) == 0 {
					b.PublicIP(ni, fmt.Sprintf("54.%d.%d.%d", v, s, 10+i))
				}
			}
		}
		// A NAT gateway in the first subnet, used by the third for 1.0.0.0/8.
		if hasIGW && r.IntN(2) == 0 {
			nat := fmt.Sprintf("nat-%d", v)
			b.NAT(nat, fmt.Sprintf("subnet-%d0", v), fmt.Sprintf("10.%d.0.99", v), fmt.Sprintf("3.3.%d.99", v))
			if r.IntN(4) > 0 {
				b.Route(rt2, "1.0.0.0/8", nat)
			}
			if r.IntN(3) == 0 {
				// The NAT's own subnet may lack the way out.
				main.Routes = main.Routes[:1]
			}
		}
	}
	if peered {
		p := b.Peering("pcx-1", "vpc-0", "vpc-1")
		if r.IntN(5) == 0 {
			p.Status = "pending-acceptance"
		}
	}
	return b.Build()
}

var samplePorts = []uint16{22, 53, 80, 443, 1000, 1023, 1024, 8080, 33000, 65535}

func randomPacket(r *rand.Rand, src, dst netip.Addr) reach.Packet {
	p := reach.Packet{Src: src, Dst: dst}
	switch r.IntN(5) {
	case 0, 1:
		p.Proto = model.ProtoTCP
	case 2:
		p.Proto = model.ProtoUDP
	case 3:
		p.Proto = model.ProtoICMP
		p.DstPort = reach.ICMPKey(pickOne(r, []uint8{8, 3, 0}), 0)
		return p
	default:
		p.Proto = 50
		return p
	}
	p.SrcPort = pickOne(r, samplePorts)
	p.DstPort = pickOne(r, samplePorts)
	return p
}

func singleton(p reach.Packet) reach.Cube {
	c := reach.AllPackets()
	c.Src = reach.SetOf(nil, p.Src)
	c.Dst = reach.SetOf(nil, p.Dst)
	c.Proto = reach.ProtoOf(p.Proto)
	if p.Proto.HasPorts() {
		c.SrcPorts = reach.RangeOf(model.PortRange{From: p.SrcPort, To: p.SrcPort})
	}
	if p.Proto.HasPorts() || p.Proto.IsICMP() {
		c.DstPorts = reach.RangeOf(model.PortRange{From: p.DstPort, To: p.DstPort})
	}
	return c
}

func reachedBy(outs []reach.Outcome, p reach.Packet) (bool, reach.Verdict) {
	for _, o := range outs {
		if o.Space.ContainsPacket(p) && o.Verdict != reach.Unreachable {
			return true, o.Verdict
		}
	}
	return false, reach.Unreachable
}

// checkOracle compares the engine and the oracle on random packets of one
// network, both packet by packet and through one all-packets traversal.
var counts = map[string]int{}

func checkOracle(t *testing.T, seed uint64, packets int) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	n := randomNetwork(r)
	e := reach.New(n)
	var enis []*model.NetworkInterface
	for _, ni := range n.NetworkInterfaces.All() {
		if ni.OwnerKind != model.OwnerNATGateway {
			enis = append(enis, ni)
		}
	}
	o := oracle{n}
	ctx := context.Background()
	internet, _ := e.Resolve("internet")
	for i := 0; i < packets; i++ {
		kind := r.IntN(3)
		src, dst := pickOne(r, enis), pickOne(r, enis)
		var p reach.Packet
		var want, maybe bool
		var from, to reach.Endpoint
		switch kind {
		case 0:
			p = randomPacket(r, src.PrivateIPs[0].Address, dst.PrivateIPs[0].Address)
			want = src != dst && o.eniToENI(src, dst, p)
			from, _ = e.Resolve(src.ID)
			to, _ = e.Resolve(dst.PrivateIPs[0].Address.String())
			if src == dst {
				continue
			}
		case 1:
			pub, ok := publicOf(dst)
			if !ok {
				continue
			}
			p = randomPacket(r, pickOne(r, []netip.Addr{netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("1.2.3.4")}), pub)
			want = o.internetToENI(dst, p)
			from, to = internet, reach.Endpoint{Kind: reach.EndpointENI, ENI: dst, Addr: pub}
		default:
			p = randomPacket(r, src.PrivateIPs[0].Address, pickOne(r, []netip.Addr{netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("1.2.3.4")}))
			want, maybe = o.eniToInternet(src, p)
			from, _ = e.Resolve(src.ID)
			to = reach.Endpoint{Kind: reach.EndpointAddress, Addr: p.Dst}
		}
		counts[fmt.Sprint(kind, want)]++
		// One packet through the engine.
		got, v := reachedBy(e.Trace(ctx, from, to, singleton(p)), p)
		if maybe {
			counts["maybe"]++
			if v != reach.PossiblyReachable {
				t.Fatalf("seed %d: packet %s (%s -> %s): engine %v (%s), oracle: depends on the NAT's port", seed, p, from.Label(), to.Label(), got, v)
			}
			continue
		}
		if got != want || (got && v != reach.Reachable) {
			t.Fatalf("seed %d: packet %s (%s -> %s): engine %v (%s), oracle %v", seed, p, from.Label(), to.Label(), got, v, want)
		}
		// Every packet at once: the packet must be in a reachable outcome
		// exactly when the oracle says so.
		all := reach.AllPackets()
		all.Src = reach.SetOf(nil, p.Src)
		got2, _ := reachedBy(e.Trace(ctx, from, to, all), p)
		if got2 != want {
			t.Fatalf("seed %d: packet %s in the all-packets traversal: engine %v, oracle %v", seed, p, got2, want)
		}
	}
}

func TestEngineAgreesWithPacketOracle(t *testing.T) {
	for seed := uint64(1); seed <= 500; seed++ {
		checkOracle(t, seed, 40)
	}
	// The random networks must exercise both answers for every kind of query.
	for kind := 0; kind < 3; kind++ {
		if counts[fmt.Sprint(kind, true)] < 20 || counts[fmt.Sprint(kind, false)] < 20 {
			t.Errorf("random networks too one-sided: %v", counts)
		}
	}
}

func FuzzEngineAgreesWithPacketOracle(f *testing.F) {
	f.Add(uint64(7), uint8(20))
	f.Add(uint64(12345), uint8(50))
	f.Fuzz(func(t *testing.T, seed uint64, packets uint8) {
		checkOracle(t, seed, int(packets%64)+1)
	})
}
