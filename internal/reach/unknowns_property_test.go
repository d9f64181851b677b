package reach_test

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// unknownSite is a value of a random network made unknown, with the way to
// put a concrete value back.
type unknownSite struct {
	what   string
	forget func(n *model.Network)
	pick   func(n *model.Network, r *rand.Rand) string // sets a concrete value, says which
}

// publicCandidates are values a public IPv4 AWS assigns could take; some
// fall in the random networks' rules and routes (8.0.0.0/8, 1.0.0.0/8).
var publicCandidates = []string{"54.200.1.1", "8.8.8.8", "1.2.3.4", "203.0.113.9", "3.5.7.9"}

// unknownSites picks some values of the network to forget: public IPv4
// addresses AWS assigns at deploy time (value unknown, presence certain),
// private addresses AWS picks from the subnet, a NAT gateway's private
// address.
func unknownSites(n *model.Network, r *rand.Rand) []unknownSite {
	var out []unknownSite
	for _, ni := range n.NetworkInterfaces.All() {
		id := ni.ID
		switch {
		case len(ni.PublicIPs()) > 0 && r.IntN(2) == 0:
			out = append(out, unknownSite{what: "public IPv4 of " + id,
				forget: func(n *model.Network) {
					ni, _ := n.NetworkInterfaces.Get(id)
					ni.PrivateIPs[0].PublicIP = netip.Addr{}
					ni.PrivateIPs[0].PublicUnknown, ni.PrivateIPs[0].PublicAssigned = "elastic IP allocated at deploy time", true
				},
				pick: func(n *model.Network, r *rand.Rand) string {
					ni, _ := n.NetworkInterfaces.Get(id)
					a := netip.MustParseAddr(pickOne(r, publicCandidates))
					ni.PrivateIPs[0].PublicIP = a
					return a.String()
				}})
		case len(ni.PublicIPs()) == 0 && r.IntN(3) == 0:
			out = append(out, unknownSite{what: "private address of " + id,
				forget: func(n *model.Network) {
					ni, _ := n.NetworkInterfaces.Get(id)
					ni.PrivateIPs = nil
					ni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
				},
				pick: func(n *model.Network, r *rand.Rand) string {
					ni, _ := n.NetworkInterfaces.Get(id)
					s, _ := n.Subnets.Get(ni.SubnetID)
					b := s.CIDR.Addr().As4()
					b[3] = byte(100 + r.IntN(150)) // clear of the other interfaces
					a := netip.AddrFrom4(b)
					ni.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
					return a.String()
				}})
		}
	}
	for _, nat := range n.NATGateways.All() {
		id := nat.ID
		if r.IntN(2) == 0 {
			continue
		}
		out = append(out, unknownSite{what: "private address of " + id,
			forget: func(n *model.Network) {
				nat, _ := n.NATGateways.Get(id)
				nat.Addresses[0].PrivateIP = netip.Addr{}
			},
			pick: func(n *model.Network, r *rand.Rand) string {
				nat, _ := n.NATGateways.Get(id)
				s, _ := n.Subnets.Get(nat.SubnetID)
				b := s.CIDR.Addr().As4()
				b[3] = byte(100 + r.IntN(150))
				nat.Addresses[0].PrivateIP = netip.AddrFrom4(b)
				return nat.Addresses[0].PrivateIP.String()
			}})
	}
	return out
}

// checkDefiniteHoldsForEveryValue: on a random network with some values
// unknown, every reachable or unreachable answer must be the answer for
// concrete values of the unknowns too (substituted into the model, asked
// again); possibly-reachable answers are not checked.
func checkDefiniteHoldsForEveryValue(t *testing.T, seed uint64, queries int) (definite int) {
	t.Helper()
	build := func() (*model.Network, []unknownSite) {
		n := randomNetwork(rand.New(rand.NewPCG(seed, 1)))
		sites := unknownSites(n, rand.New(rand.NewPCG(seed, 2)))
		for _, s := range sites {
			s.forget(n)
		}
		return n, sites
	}
	n, sites := build()
	if len(sites) == 0 {
		return 0
	}
	e := reach.New(n)
	var refs []string
	for _, ni := range n.NetworkInterfaces.All() {
		refs = append(refs, ni.ID)
	}
	r := rand.New(rand.NewPCG(seed, 3))
	ctx := context.Background()
	for q := 0; q < queries; q++ {
		from := pickOne(r, append(refs, "internet", "internet"))
		to := pickOne(r, append(refs, "8.8.4.4", "1.1.1.1"))
		if from == to {
			continue
		}
		proto := pickOne(r, []model.Protocol{model.ProtoTCP, model.ProtoUDP, model.ProtoTCP})
		port := pickOne(r, samplePorts)
		ask := func(e *reach.Engine) reach.Result {
			f, err1 := e.Resolve(from)
			d, err2 := e.Resolve(to)
			if err1 != nil || err2 != nil {
				t.Fatalf("seed %d: resolve %s / %s: %v %v", seed, from, to, err1, err2)
			}
			return e.Flow(ctx, reach.Query{From: f, To: d, Protocol: proto, DstPort: port, ICMPCode: -1})
		}
		got := ask(e)
		if got.Verdict == reach.PossiblyReachable {
			continue
		}
		definite++
		for k := 0; k < 4; k++ {
			cn, cs := build()
			pr := rand.New(rand.NewPCG(seed, uint64(100+q*10+k)))
			var vals []string
			for _, s := range cs {
				vals = append(vals, s.what+"="+s.pick(cn, pr))
			}
			want := ask(reach.New(cn))
			if want.Verdict != got.Verdict {
				t.Fatalf("seed %d: %s -> %s %s/%d: %s with unknowns, %s with %v\nwith unknowns: %s\nconcrete: %s",
					seed, from, to, proto, port, got.Verdict, want.Verdict, vals, describe(got), describe(want))
			}
		}
	}
	return definite
}

// TestDefiniteAnswersHoldForEveryValueOfTheUnknowns: an answer made exact
// over a set of unknown values must be the answer for each value of it.
func TestDefiniteAnswersHoldForEveryValueOfTheUnknowns(t *testing.T) {
	definite := 0
	for seed := uint64(1); seed <= 150; seed++ {
		definite += checkDefiniteHoldsForEveryValue(t, seed, 20)
	}
	if definite < 200 {
		t.Errorf("only %d definite answers with unknowns: the property says little", definite)
	}
	t.Logf("%d definite answers checked against concrete values", definite)
}

func FuzzDefiniteAnswersHoldForEveryValueOfTheUnknowns(f *testing.F) {
	f.Add(uint64(7), uint8(20))
	f.Fuzz(func(t *testing.T, seed uint64, queries uint8) {
		checkDefiniteHoldsForEveryValue(t, seed, int(queries%32)+1)
	})
}
