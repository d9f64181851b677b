package lint

import (
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// domainMatches reports whether name equals domain or lies under it,
// label by label (R2.3). Both are lower case with the trailing dot.
func domainMatches(name, domain string) bool {
	name, domain = fqdn(name), fqdn(domain)
	return domain == "." || name == domain || strings.HasSuffix(name, "."+domain)
}

func fqdn(s string) string {
	s = strings.ToLower(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// checkResolverLoops follows FORWARD rules from every VPC they are
// associated with: a rule's targets that are inbound endpoints hand the
// query to the endpoint's VPC, which applies its own most specific rule for
// the name (R2.9). Coming back to a VPC already on the way is a loop (R5.7).
// Loops through on-premises resolvers are outside the model.
func checkResolverLoops(n *model.Network, out *findings) {
	inbound := map[netip.Addr]*model.ResolverEndpoint{}
	for _, r := range n.ResolverEndpoints.All() {
		if !r.IsInbound() {
			continue
		}
		for _, ip := range r.IPAddresses {
			if ip.IP.IsValid() {
				inbound[ip.IP] = r
			}
			if ip.IPv6.IsValid() {
				inbound[ip.IPv6] = r
			}
		}
	}
	if len(inbound) == 0 {
		return
	}
	rulesOf := map[string][]*model.ResolverRule{}
	for _, a := range n.ResolverRuleAssocs.All() {
		if r, ok := n.ResolverRules.Get(a.ResolverRuleID); ok {
			rulesOf[a.VPCID] = append(rulesOf[a.VPCID], r)
		}
	}
	// chosen is the rule a VPC applies to a name: the most specific
	// FORWARD or SYSTEM rule associated with it.
	chosen := func(vpcID, name string) *model.ResolverRule {
		var best *model.ResolverRule
		for _, r := range rulesOf[vpcID] {
			if r.RuleType != "FORWARD" && r.RuleType != "SYSTEM" {
				continue
			}
			if domainMatches(name, r.DomainName) && (best == nil || len(fqdn(r.DomainName)) > len(fqdn(best.DomainName))) {
				best = r
			}
		}
		return best
	}
	reported := map[string]bool{}
	for _, a := range n.ResolverRuleAssocs.All() {
		start, ok := n.ResolverRules.Get(a.ResolverRuleID)
		if !ok || start.RuleType != "FORWARD" || reported[start.ID] {
			continue
		}
		name := fqdn(start.DomainName)
		visited := map[string]bool{a.VPCID: true}
		hops := []string{a.VPCID}
		var walk func(rule *model.ResolverRule) bool
		walk = func(rule *model.ResolverRule) bool {
			for _, t := range rule.TargetIPs {
				ep, ok := inbound[t.IP]
				if !ok || ep.VPCID == "" {
					continue
				}
				hop := rule.ID + " -> " + t.IP.String() + " (" + ep.ID + ") -> " + ep.VPCID
				if visited[ep.VPCID] {
					hops = append(hops, hop)
					return true
				}
				next := chosen(ep.VPCID, name)
				if next == nil || next.RuleType != "FORWARD" {
					continue
				}
				visited[ep.VPCID] = true
				hops = append(hops, hop)
				if walk(next) {
					return true
				}
				hops = hops[:len(hops)-1]
				delete(visited, ep.VPCID)
			}
			return false
		}
		// The start rule applies in a.VPCID only when it is the chosen one.
		if chosen(a.VPCID, name) != start {
			continue
		}
		if walk(start) {
			reported[start.ID] = true
			out.add(RuleResolverLoop, start, start.Origin,
				"queries for %s loop: %s", name, strings.Join(hops, " -> "))
		}
	}
}
