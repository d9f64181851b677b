package reach

import (
	"slices"
	"strings"

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
func (x *exposer) withGroups(outs []Outcome, ni *model.NetworkInterface, ed Edge) []Outcome {
	var res []Outcome
	for _, o := range outs {
		if o.Verdict == Unreachable {
			continue
		}
		var reasons []string
		for _, r := range o.Reasons {
			if !strings.Contains(r, placeholderSG) {
				reasons = append(reasons, r)
			}
		}
		for _, p := range x.e.sgFilterVia(o.Space, ni, false, nil, ed.Kind == EdgeTransitGateway) {
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
