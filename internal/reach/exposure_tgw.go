package reach

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// tgwSources are the addresses that can open a connection to an interface
// through a transit gateway attachment of its VPC
// (https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html):
// the destinations the attachment's own route table sends to another
// attachment (the replies must get there), kept only when that other
// attachment's route table sends the interface's addresses to this one
// (the requests must get here), and for a VPC attachment only its VPC's
// CIDRs. Routes the sources do not hold (propagations from VPN or Direct
// Connect) make every address they could cover a possible source, with
// the reason.
func (x *exposer) tgwSources(attID string, ni *model.NetworkInterface) (*ipset.Set, string) {
	p := x.tgwPlanOf(attID, ni.VPCID)
	if p == nil {
		return nil, ""
	}
	dst := x.e.eniAddrs(ni, false)
	var b ipset.Builder
	reasons := slices.Clone(p.reasons)
	cands := p.cands
	if !dst.Empty() && p.own.Covers(dst) {
		// Within the VPC: the attachments that route all of it here
		// send these addresses here too.
		b.AddSet(p.always)
		cands = p.partial
	}
	for _, c := range cands {
		switch {
		case c.toUs.Overlaps(dst):
			b.AddSet(c.src)
		case c.why != "" && c.unknownTo.Overlaps(dst):
			b.AddSet(c.src)
			reasons = append(reasons, c.why)
		}
	}
	if p.rest != nil {
		b.AddSet(p.rest)
	}
	s := b.Set()
	return s, strings.Join(uniq(reasons), "; ")
}

// tgwPlan is what one attachment's inbound sources depend on, computed
// once: each other attachment the replies can go to, with the sources it
// stands for and the addresses its own route table sends to this
// attachment.
type tgwPlan struct {
	cands   []tgwCand
	rest    *ipset.Set // sources behind routes the sources do not show
	reasons []string
	// own is the attachment's VPC's CIDRs; always the union of the
	// sources of the candidates whose route tables send all of own here,
	// and partial the other candidates, in order: for an interface of the
	// VPC, the first are sources whatever its addresses, so only the
	// others are read per interface.
	own     *ipset.Set
	always  *ipset.Set
	partial []tgwCand
}

type tgwCand struct {
	src       *ipset.Set
	toUs      *ipset.Set // destinations the other attachment routes here
	unknownTo *ipset.Set // destinations its unknown routes may cover
	why       string
}

func (x *exposer) tgwPlanOf(attID, vpcID string) *tgwPlan {
	x.mu.Lock()
	if p, ok := x.tgwPlans[attID]; ok {
		x.mu.Unlock()
		return p
	}
	x.mu.Unlock()
	p := x.buildTGWPlan(attID, vpcID)
	x.mu.Lock()
	x.tgwPlans[attID] = p
	x.mu.Unlock()
	return p
}

func (x *exposer) buildTGWPlan(attID, vpcID string) *tgwPlan {
	e := x.e
	n := e.Net
	att, ok := n.TGWAttachments.Get(attID)
	if !ok {
		return nil
	}
	own := x.vpcSet(vpcID)
	rt, why := e.tgwRouteTable(att)
	if rt == nil {
		if why == "" {
			// No association: replies cannot leave through the transit gateway.
			return nil
		}
		return &tgwPlan{rest: fullSet.Minus(own), reasons: []string{why}}
	}
	p := &tgwPlan{}
	ownRT := x.tgwRegionsOf(rt)
	unknown := ownRT.unknown
	cands := x.candidatesOf(ownRT)
	for i := range cands {
		b := &cands[i]
		if b.aid == att.ID {
			continue
		}
		if b.missing {
			p.cands = append(p.cands, tgwCand{src: b.src.Minus(own), toUs: emptySet, unknownTo: fullSet, why: b.why})
			continue
		}
		src := b.src.Minus(own) // b.src itself when it does not meet own
		if src.Empty() {
			continue
		}
		c := tgwCand{src: src, toUs: emptySet, unknownTo: b.unknownTo, why: b.why}
		if b.to != nil {
			if to, ok := b.to.to[att.ID]; ok {
				c.toUs = to
			}
		}
		p.cands = append(p.cands, c)
	}
	if unknown != "" {
		// Routes the sources do not show may send replies anywhere the
		// listed routes do not cover.
		p.rest = fullSet.Minus(ownRT.covered).Minus(own)
		p.reasons = append(p.reasons, unknown)
	}
	p.own = own
	var always ipset.Builder
	for _, c := range p.cands {
		if !own.Empty() && c.toUs.Covers(own) {
			always.AddSet(c.src)
		} else {
			p.partial = append(p.partial, c)
		}
	}
	p.always = always.Set()
	return p
}

// tgwRegionsOf returns (once per route table) a transit gateway route
// table's longest-prefix regions, what they cover, and, by attachment, the
// regions it sends to that attachment: every attachment's plan asks each
// other attachment's table what it routes back, so the answer is indexed
// once instead of read region by region per pair.
func (x *exposer) tgwRegionsOf(rt *model.TGWRouteTable) *tgwRegionsCache {
	x.mu.Lock()
	if c, ok := x.tgwRegs[rt]; ok {
		x.mu.Unlock()
		return c
	}
	x.mu.Unlock()
	c := &tgwRegionsCache{to: map[string]*ipset.Set{}}
	c.regs, c.unknown = x.e.tgwRegions(rt)
	var covered ipset.Builder
	to := map[string]*ipset.Builder{}
	for _, rg := range c.regs {
		covered.AddSet(rg.region)
		if rg.route.State == model.RouteBlackhole {
			continue
		}
		for _, aid := range rg.route.AttachmentIDs {
			b := to[aid]
			if b == nil {
				b = new(ipset.Builder)
				to[aid] = b
			}
			b.AddSet(rg.region)
		}
	}
	c.covered = covered.Set()
	for aid, b := range to {
		c.to[aid] = b.Set()
	}
	x.mu.Lock()
	x.tgwRegs[rt] = c
	x.mu.Unlock()
	return c
}

// tgwCandBase is one attachment a route table's region sends to, read as
// every attachment's plan reads it (buildTGWPlan): all of it but what
// depends on the attachment whose plan it is.
type tgwCandBase struct {
	aid string
	// missing: the attachment is not in the sources (src is the region).
	missing bool
	// src is the region, narrowed to the attachment's VPC's CIDRs.
	src *ipset.Set
	// to is the attachment's own route table's cache (nil without one);
	// unknownTo and why what that table's unknown routes may cover, and
	// why.
	to        *tgwRegionsCache
	unknownTo *ipset.Set
	why       string
}

// candidatesOf returns (once per route table) the attachments its regions
// send to, in order: every attachment associated with the table reads the
// same list for its plan.
func (x *exposer) candidatesOf(c *tgwRegionsCache) []tgwCandBase {
	c.candsOnce.Do(func() {
		n := x.e.Net
		for _, rg := range c.regs {
			if rg.route.State == model.RouteBlackhole {
				continue
			}
			for _, aid := range rg.route.AttachmentIDs {
				other, ok := n.TGWAttachments.Get(aid)
				if !ok {
					c.cands = append(c.cands, tgwCandBase{aid: aid, missing: true, src: rg.region, why: "attachment " + aid + " is not in the sources"})
					continue
				}
				b := tgwCandBase{aid: aid, src: rg.region, unknownTo: emptySet}
				if other.ResourceType == "vpc" {
					if ov, ok := n.VPCs.Get(other.ResourceID); ok {
						b.src = b.src.Intersect(x.e.vpcCIDRs(ov))
					}
				}
				ort, owhy := x.e.tgwRouteTable(other)
				switch {
				case ort == nil && owhy != "":
					b.unknownTo, b.why = fullSet, owhy
				case ort != nil:
					o := x.tgwRegionsOf(ort)
					b.to = o
					if o.unknown != "" {
						b.unknownTo = fullSet.Minus(o.covered)
						b.why = fmt.Sprintf("%s (of %s): %s", ort.ID, other.ID, o.unknown)
					}
				}
				c.cands = append(c.cands, b)
			}
		}
	})
	return c.cands
}

// tgwRegionsCache is what tgwRegionsOf keeps of one route table.
type tgwRegionsCache struct {
	regs    []tgwRegion
	unknown string
	// covered is every destination of the regions.
	covered *ipset.Set
	// to holds, by attachment ID, the destinations of the regions whose
	// route (not a blackhole) sends to that attachment.
	to map[string]*ipset.Set
	// cands are the attachments the regions send to (candidatesOf).
	candsOnce sync.Once
	cands     []tgwCandBase
}
