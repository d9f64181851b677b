package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// onceFlag is a string flag that may be given once: a flow has one start
// and one end, so a second --from is a mistake, not an override.
type onceFlag struct {
	name string
	val  *string
	set  bool
}

func (f *onceFlag) String() string { return *f.val }
func (f *onceFlag) Type() string   { return "REF" }
func (f *onceFlag) Set(s string) error {
	if f.set {
		return fmt.Errorf("given twice (%q and %q): name one REF", *f.val, s)
	}
	*f.val, f.set = s, true
	return nil
}

// onceStringVar registers a string flag that errors when repeated.
func onceStringVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&onceFlag{name: name, val: p}, name, usage)
}

// checkUnambiguous refuses a REF that is the Name tag of several resources,
// listing every candidate (ID, type, state, VPC) so the user can pick one by
// ID. A REF that is an ID or logical ID is never ambiguous.
func checkUnambiguous(n *model.Network, flag, ref string) error {
	if ref == "" {
		return nil
	}
	if el, ok := n.Lookup(ref); ok && (el.Base().ID == ref || el.Base().LogicalID == ref) {
		return nil
	}
	seen := map[string]bool{}
	var cands []model.Element
	n.Elements(func(e model.Element) {
		if m := e.Base(); m.Name == ref && !seen[m.ID] {
			seen[m.ID] = true
			cands = append(cands, e)
		}
	})
	if len(cands) < 2 {
		return nil
	}
	lines := make([]string, len(cands))
	for i, e := range cands {
		lines[i] = "  " + candidateText(e)
	}
	sort.Strings(lines)
	return usagef("%s %q: %d resources have this Name tag; name one by ID:\n%s", flag, ref, len(cands), strings.Join(lines, "\n"))
}

// candidateText is one candidate of an ambiguous REF: ID, type, state and
// VPC where the resource has them.
func candidateText(e model.Element) string {
	parts := []string{e.Base().ID, shortTypeName(e.Type())}
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		for _, f := range []string{"State", "Status"} {
			if fv := v.FieldByName(f); fv.IsValid() && fv.Kind() == reflect.String && fv.String() != "" {
				parts = append(parts, fv.String())
				break
			}
		}
		if fv := v.FieldByName("VPCID"); fv.IsValid() && fv.Kind() == reflect.String && fv.String() != "" {
			parts = append(parts, "in "+fv.String())
		}
	}
	return strings.Join(parts, "  ")
}

func shortTypeName(t string) string {
	if i := strings.LastIndex(t, "::"); i >= 0 {
		return t[i+2:]
	}
	return t
}

// families says which IP versions an endpoint has addresses in.
func families(ep reach.Endpoint) (v4, v6 bool) {
	switch {
	case ep.Kind == reach.EndpointInternet:
		return true, true
	case ep.Addr.IsValid():
		return ep.Addr.Is4(), ep.Addr.Is6()
	case ep.ENI != nil:
		v6 = len(ep.ENI.IPv6) > 0
		for _, p := range ep.ENI.Prefixes {
			v4, v6 = v4 || p.Addr().Is4(), v6 || p.Addr().Is6()
		}
		return v4 || len(ep.ENI.PrivateIPs) > 0 || ep.ENI.HasUnknowns(), v6 || ep.ENI.HasUnknowns()
	case ep.Subnet != nil:
		return ep.Subnet.CIDR.IsValid(), len(ep.Subnet.IPv6CIDRs) > 0
	}
	return true, true
}

// familyMismatch explains, when the two ends of a flow share no IP version,
// which end lacks which: an IPv6 address against an IPv4-only host.
func familyMismatch(from, to reach.Endpoint) string {
	f4, f6 := families(from)
	t4, t6 := families(to)
	if (f4 && t4) || (f6 && t6) {
		return ""
	}
	end := func(ep reach.Endpoint, v4 bool) string {
		what := ep.Label()
		if ep.ENI != nil && ep.ENI.ID != what {
			what += " (" + ep.ENI.ID + ")"
		}
		if v4 {
			return what + " has IPv4 addresses only"
		}
		return what + " has IPv6 addresses only"
	}
	if from.Addr.IsValid() {
		return fmt.Sprintf("%s is an IPv%d address and %s: no packet of one version reaches the other", from.Addr, ipVersion(from.Addr.Is4()), end(to, t4))
	}
	if to.Addr.IsValid() {
		return fmt.Sprintf("%s is an IPv%d address and %s: no packet of one version reaches the other", to.Addr, ipVersion(to.Addr.Is4()), end(from, f4))
	}
	return fmt.Sprintf("%s and %s: they share no IP version", end(from, f4), end(to, t4))
}

func ipVersion(is4 bool) int {
	if is4 {
		return 4
	}
	return 6
}
