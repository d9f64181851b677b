package dns

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// fwRule is one DNS Firewall rule in the order the VPC evaluates it:
// associations by priority, then rules by priority (R2.10).
type fwRule struct {
	assoc *model.FirewallRuleGroupAssociation
	group string
	rule  model.FirewallRule
	list  *domainList
	// unknown says why the rule cannot be evaluated (group rules or domain
	// list not in the sources).
	unknown string
	// maybe says why the rule may or may not apply to this VPC (its
	// association names a VPC the sources cannot fix).
	maybe string
}

// domainList matches query names against a DNS Firewall domain list:
// "example.com" matches only itself, "*.example.com" its subdomains only,
// "*" everything (R2.10; wildcard semantics believed).
type domainList struct {
	id    string
	exact map[string]bool
	wild  map[string]bool
	all   bool
}

func newDomainList(l *model.FirewallDomainList) *domainList {
	d := &domainList{id: l.ID, exact: map[string]bool{}, wild: map[string]bool{}}
	for _, s := range l.Domains {
		s = strings.TrimSpace(s)
		switch {
		case s == "*" || s == "*.":
			d.all = true
		case strings.HasPrefix(s, "*."):
			d.wild[Canonical(s[2:])] = true
		case s != "":
			d.exact[Canonical(s)] = true
		}
	}
	return d
}

func (d *domainList) match(name string) bool {
	if d.all || d.exact[name] {
		return true
	}
	if len(d.wild) == 0 {
		return false
	}
	for p := parent(name); ; p = parent(p) {
		if d.wild[p] {
			return true
		}
		if p == "." {
			return false
		}
	}
}

func (r *Resolver) indexFirewall(v *view) {
	var assocs []*model.FirewallRuleGroupAssociation
	for _, a := range r.n.FirewallAssociations.All() {
		if (a.VPCID == v.vpc.ID || a.VPCID == "") && activeStatus(a.Status) {
			assocs = append(assocs, a)
		}
	}
	sort.SliceStable(assocs, func(i, j int) bool { return assocs[i].Priority < assocs[j].Priority })
	lists := map[string]*domainList{}
	for _, a := range assocs {
		maybe := ""
		if a.VPCID == "" {
			maybe = fmt.Sprintf("DNS Firewall association %s names a VPC the sources cannot fix", a.ID)
		}
		g, ok := r.n.FirewallRuleGroups.Get(a.FirewallRuleGroupID)
		if !ok || !g.RulesKnown {
			v.firewall = append(v.firewall, fwRule{assoc: a, group: a.FirewallRuleGroupID, maybe: maybe,
				unknown: fmt.Sprintf("the rules of DNS Firewall rule group %s are not in the sources", a.FirewallRuleGroupID)})
			continue
		}
		rules := append([]model.FirewallRule(nil), g.Rules...)
		sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
		for _, fr := range rules {
			e := fwRule{assoc: a, group: g.ID, rule: fr, maybe: maybe}
			if d, ok := lists[fr.FirewallDomainListID]; ok {
				e.list = d
			} else if l, ok := r.n.FirewallDomainLists.Get(fr.FirewallDomainListID); ok {
				e.list = newDomainList(l)
				lists[l.ID] = e.list
			} else {
				e.unknown = fmt.Sprintf("domain list %s of DNS Firewall rule group %s is not in the sources", fr.FirewallDomainListID, g.ID)
			}
			v.firewall = append(v.firewall, e)
		}
	}
}

// firewall runs the VPC's DNS Firewall on a name. done is true when the
// firewall decided the response (BLOCK) or cannot be evaluated.
func (r *Resolver) firewall(q *query, name string, t Type, res *Result) (done bool) {
	maybeAllowed := ""
	for _, f := range q.v.firewall {
		if f.maybe != "" && (f.unknown != "" || f.list.match(name)) {
			if f.unknown == "" && strings.ToUpper(f.rule.Action) != "BLOCK" {
				// If it applies it lets the query through; a later BLOCK
				// then decides only if it does not.
				maybeAllowed = f.maybe
				continue
			}
			res.tracef("DNS Firewall: %s, and its rule group %s may block %s (R2.10)", f.maybe, f.group, name)
			q.unknownf(res, "%s", f.maybe)
			return true
		}
		if f.maybe != "" {
			continue
		}
		if f.unknown != "" {
			res.tracef("DNS Firewall: %s (association priority %d): it may block this query (R2.10)", f.unknown, f.assoc.Priority)
			q.unknownf(res, "%s", f.unknown)
			return true
		}
		if !f.list.match(name) {
			continue
		}
		if q.depth > 0 && len(q.chain) > 0 && strings.EqualFold(f.rule.RedirectionAction, "TRUST_REDIRECTION_DOMAIN") {
			// The rule checks only the first name of a redirection chain
			// (R2.10).
			res.tracef("DNS Firewall: rule priority %d of %s matches %s, a CNAME target, but trusts redirection domains: not applied", f.rule.Priority, f.group, name)
			continue
		}
		id := f.group
		if f.rule.Name != "" {
			id += "/" + f.rule.Name
		}
		action := strings.ToUpper(f.rule.Action)
		res.tracef("DNS Firewall: rule group %s (association priority %d), rule priority %d matches %s in domain list %s: %s (first match ends the evaluation, R2.10)",
			f.group, f.assoc.Priority, f.rule.Priority, name, f.list.id, action)
		if action != "BLOCK" {
			return false
		}
		if maybeAllowed != "" {
			res.tracef("DNS Firewall: this BLOCK applies unless an earlier rule allows the query: %s", maybeAllowed)
			q.unknownf(res, "%s", maybeAllowed)
			return true
		}
		q.decide(res, ByFirewall, id)
		switch strings.ToUpper(f.rule.BlockResponse) {
		case "NXDOMAIN":
			res.Rcode = NXDomain
			res.tracef("DNS Firewall BLOCK answers NXDOMAIN")
		case "OVERRIDE":
			target := Canonical(f.rule.BlockOverrideDomain)
			res.Rcode = NoError
			res.Answers = append(res.Answers, Answer{Name: name, Type: "CNAME", TTL: f.rule.BlockOverrideTTL, Value: target, RRType: TypeCNAME})
			res.tracef("DNS Firewall BLOCK answers OVERRIDE: CNAME %s (TTL %d)", target, f.rule.BlockOverrideTTL)
			if t != TypeCNAME {
				r.follow(q, target, t, res)
			}
		default: // NODATA is the default block response
			res.Rcode = NoError
			res.tracef("DNS Firewall BLOCK answers NODATA (NOERROR, no records)")
		}
		return true
	}
	return false
}
