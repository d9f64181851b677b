package reach_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// Small universes keep random cubes overlapping often.
var (
	uAddrs  = []string{"10.0.0.0", "10.0.0.1", "10.0.0.7", "10.0.1.1", "192.168.0.1", "8.8.8.8", "2600::1"}
	uPfx    = []string{"10.0.0.0/24", "10.0.0.0/30", "10.0.0.0/8", "0.0.0.0/0", "192.168.0.0/16", "8.8.8.8/32", "2600::/16", "::/0"}
	uPorts  = []uint16{0, 1, 22, 53, 443, 1023, 1024, 40000, 65535}
	uProtos = []model.Protocol{model.ProtoTCP, model.ProtoUDP, model.ProtoICMP, 50}
)

func randomCube(r *rand.Rand) reach.Cube {
	c := reach.AllPackets()
	if r.IntN(3) > 0 {
		c.Src = reach.SetOf([]netip.Prefix{netip.MustParsePrefix(pickOne(r, uPfx))})
	}
	if r.IntN(3) > 0 {
		c.Dst = reach.SetOf([]netip.Prefix{netip.MustParsePrefix(pickOne(r, uPfx))})
	}
	if r.IntN(2) == 0 {
		c.Proto = reach.ProtoOf(pickOne(r, uProtos)).Or(reach.ProtoOf(pickOne(r, uProtos)))
	}
	ports := func() reach.Ranges {
		a, b := pickOne(r, uPorts), pickOne(r, uPorts)
		if a > b {
			a, b = b, a
		}
		return reach.RangeOf(model.PortRange{From: a, To: b})
	}
	if r.IntN(2) == 0 {
		c.SrcPorts = ports()
	}
	if r.IntN(2) == 0 {
		c.DstPorts = ports().Union(ports())
	}
	return c
}

func randomPacketOf(r *rand.Rand) reach.Packet {
	return reach.Packet{Src: netip.MustParseAddr(pickOne(r, uAddrs)), Dst: netip.MustParseAddr(pickOne(r, uAddrs)),
		Proto: pickOne(r, uProtos), SrcPort: pickOne(r, uPorts), DstPort: pickOne(r, uPorts)}
}

// The set operations must agree with membership of single packets.
func TestSpaceAlgebraAgreesWithPackets(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		a := reach.Space{randomCube(r), randomCube(r)}
		b := reach.Space{randomCube(r)}
		inter, diff, union := a.Intersect(b), a.Subtract(b), a.Union(b)
		for j := 0; j < 20; j++ {
			p := randomPacketOf(r)
			ina, inb := a.ContainsPacket(p), b.ContainsPacket(p)
			if got := inter.ContainsPacket(p); got != (ina && inb) {
				t.Fatalf("intersect: %s in a=%v b=%v, got %v", p, ina, inb, got)
			}
			if got := diff.ContainsPacket(p); got != (ina && !inb) {
				t.Fatalf("subtract: %s in a=%v b=%v, got %v", p, ina, inb, got)
			}
			if got := union.ContainsPacket(p); got != (ina || inb) {
				t.Fatalf("union: %s", p)
			}
		}
	}
}

func TestReverseIsAnInvolution(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		c := randomCube(r)
		back := c.Reverse().Reverse()
		for j := 0; j < 20; j++ {
			p := randomPacketOf(r)
			if p.Proto.IsICMP() {
				p.SrcPort = 0
				p.DstPort = reach.ICMPKey(pickOne(r, []uint8{0, 3, 8, 128, 129}), uint8(p.DstPort))
			}
			if c.ContainsPacket(p) != back.ContainsPacket(p) {
				t.Fatalf("reverse twice changed %s", p)
			}
		}
	}
}

func TestReverseAnswersEchoWithEchoReply(t *testing.T) {
	c := reach.AllPackets()
	c.Proto = reach.ProtoOf(model.ProtoICMP)
	c.DstPorts = reach.ICMPRanges(model.ICMPMatch{Type: 8, Code: -1})
	rev := c.Reverse()
	reply := reach.Packet{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Proto: model.ProtoICMP, DstPort: reach.ICMPKey(0, 0)}
	if !rev.ContainsPacket(reply) {
		t.Errorf("echo request's reverse lacks the echo reply: %v", rev)
	}
}

func TestRangesOperations(t *testing.T) {
	rg := func(a, b uint16) reach.Ranges { return reach.RangeOf(model.PortRange{From: a, To: b}) }
	cases := []struct {
		name string
		got  reach.Ranges
		want string
	}{
		{"union merges adjacent", rg(1, 5).Union(rg(6, 9)), "1-9"},
		{"union keeps gaps", rg(1, 5).Union(rg(7, 9)), "1-5,7-9"},
		{"subtract splits", rg(0, 65535).Subtract(rg(22, 22)), "0-21,23-65535"},
		{"intersect", rg(0, 100).Union(rg(200, 300)).Intersect(rg(50, 250)), "50-100,200-250"},
		{"subtract all", rg(5, 6).Subtract(reach.AllRanges()), ""},
	}
	for _, c := range cases {
		if fmt.Sprint(c.got) != c.want {
			t.Errorf("%s: %s, want %q", c.name, c.got, c.want)
		}
	}
}

func TestServicesDescribesProtocolsAndPorts(t *testing.T) {
	c := func(p model.Protocol, from, to uint16) reach.Cube {
		x := reach.AllPackets()
		x.Proto = reach.ProtoOf(p)
		x.DstPorts = reach.RangeOf(model.PortRange{From: from, To: to})
		return x
	}
	cases := []struct {
		name  string
		space reach.Space
		want  string
	}{
		{"everything", reach.Space{reach.AllPackets()}, "[all]"},
		{"ports merged per protocol", reach.Space{c(model.ProtoTCP, 22, 22), c(model.ProtoTCP, 443, 443), c(model.ProtoUDP, 53, 53)}, "[tcp/22,443 udp/53]"},
		{"icmp type", reach.Space{c(model.ProtoICMP, reach.ICMPKey(8, 0), reach.ICMPKey(8, 255))}, "[icmp 8]"},
		{"protocol without ports", reach.Space{c(50, 0, 65535)}, "[50]"},
	}
	for _, k := range cases {
		if got := fmt.Sprint(k.space.Services()); got != k.want {
			t.Errorf("%s: %s, want %s", k.name, got, k.want)
		}
	}
}
