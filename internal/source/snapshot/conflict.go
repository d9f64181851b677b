package snapshot

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Merging an element read twice: see the package documentation.

// softFields differ between duplicates without changing any answer.
var softFields = map[string]bool{"Name": true, "Tags": true}

// merge merges e, read again, into old, the element with the same ID read
// before, and reports a conflict as a warning or as r.fatal.
func (r *reader) merge(old, e model.Element) {
	var diffs []string
	mergeFields(reflect.ValueOf(old).Elem(), reflect.ValueOf(e).Elem(), &diffs)
	if len(diffs) == 0 || mirrorPeering(old, e) {
		return
	}
	ob, eb := old.Base(), e.Base()
	where := fmt.Sprintf("%s and %s", place(ob.Origin), place(eb.Origin))
	var soft, rules, hard []string
	sg, isSG := old.(*model.SecurityGroup)
	// Tags are each account's own on a resource two accounts see (a
	// peering connection, a shared subnet): copies from two accounts'
	// folders may differ in them.
	twoAccounts := ob.Account != "" && eb.Account != "" && ob.Account != eb.Account
	for _, d := range diffs {
		switch {
		case softFields[d] && twoAccounts:
		case softFields[d]:
			soft = append(soft, d)
		case isSG && (d == "Ingress" || d == "Egress"):
			rules = append(rules, d)
		default:
			hard = append(hard, d)
		}
	}
	if len(hard) > 0 {
		if r.fatal == nil {
			r.fatal = &diag.Error{File: eb.Origin.File, Line: eb.Origin.Line, Code: "conflicting-duplicate", Resource: eb.ID,
				Message: fmt.Sprintf("read twice with different %s: %s; vpcreach does not choose between two versions of a resource: remove the stale file, or analyse each version in its own run",
					strings.Join(hard, ", "), where)}
		}
		return
	}
	if len(soft) > 0 {
		r.n.Warnf("conflicting-duplicate", eb.Origin, eb.ID, "read twice with different %s: %s; the first is kept", strings.Join(soft, ", "), where)
	}
	if len(rules) > 0 {
		esg := e.(*model.SecurityGroup)
		widened := false
		for _, d := range rules {
			var changed bool
			if d == "Ingress" {
				sg.Ingress, changed = unionRules(sg.Ingress, esg.Ingress, ob.Origin, eb.Origin)
			} else {
				sg.Egress, changed = unionRules(sg.Egress, esg.Egress, ob.Origin, eb.Origin)
			}
			widened = widened || changed
		}
		if widened {
			r.n.Warnf("conflicting-duplicate", eb.Origin, eb.ID, "read twice with different rules: %s; the rules of both versions are read, those in one version only as possibly-reachable from any address", where)
		} else {
			r.n.Warnf("conflicting-duplicate", eb.Origin, eb.ID, "read twice with the same rules described differently: %s; the first descriptions are kept", where)
		}
	}
}

// mirrorPeering reports whether two records of a transit gateway peering
// attachment are its two sides: the attachment has one ID, and each
// gateway's describe-transit-gateway-attachments shows it with itself as
// TransitGatewayId and the other as the resource. Both sides' route table
// associations are kept apart (tgwAssocs); the first record stays.
func mirrorPeering(old, e model.Element) bool {
	a, ok1 := old.(*model.TGWAttachment)
	b, ok2 := e.(*model.TGWAttachment)
	return ok1 && ok2 && a.ResourceType == "peering" && b.ResourceType == "peering" &&
		a.TransitGatewayID != b.TransitGatewayID &&
		a.PeerTransitGatewayID == b.TransitGatewayID && b.PeerTransitGatewayID == a.TransitGatewayID
}

// place renders an origin as file:line.
func place(o model.Origin) string {
	if o.Line > 0 {
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return o.File
}

// unionRules merges two versions of a group's rules in one direction:
// a rule in both (the same protocol, ports and peer) is kept as it is; a
// rule in one version only keeps its protocol and ports but its peer
// becomes unknown, so that what it allows is possibly-reachable from any
// address, never reachable nor a silent no. changed reports whether the
// versions allow different things.
func unionRules(a, b []model.SGRule, fa, fb model.Origin) (out []model.SGRule, changed bool) {
	key := func(x model.SGRule) string {
		x.Origin, x.RuleID, x.Description = model.Origin{}, "", ""
		p := x.Peer
		x.Peer = model.Peer{}
		return fmt.Sprintf("%+v %s %s %s %q %q %q %v", x, p.Kind, p.CIDR, p.ID, p.Account(), p.VPCID(), p.Unknown(), p.Candidates())
	}
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, x := range a {
		inA[key(x)] = true
	}
	for _, x := range b {
		inB[key(x)] = true
	}
	disputed := func(x model.SGRule, in model.Origin) model.SGRule {
		changed = true
		x.Peer = model.UnknownPeer(fmt.Sprintf("two versions of the group disagree: only the one read at %s has this rule, from %s", place(in), x.Peer.Describe()))
		return x
	}
	for _, x := range a {
		if inB[key(x)] {
			out = append(out, x)
		} else {
			out = append(out, disputed(x, fa))
		}
	}
	for _, x := range b {
		if k := key(x); !inA[k] {
			inA[k] = true
			out = append(out, disputed(x, fb))
		}
	}
	return out, changed
}

var (
	originType = reflect.TypeFor[model.Origin]()
	metaType   = reflect.TypeFor[model.Meta]()
)

// mergeFields fills the empty fields of dst with src's and appends to
// diffs the names of the fields both set to different values.
func mergeFields(dst, src reflect.Value, diffs *[]string) {
	t := dst.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		d, s := dst.Field(i), src.Field(i)
		if f.Type == metaType {
			mergeMeta(d.Addr().Interface().(*model.Meta), s.Addr().Interface().(*model.Meta), diffs)
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			mergeFields(d, s, diffs)
			continue
		}
		if f.Type == originType {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Map:
			switch {
			case s.Len() == 0:
			case d.Len() == 0:
				d.Set(s)
			case !sameValue(d, s):
				*diffs = append(*diffs, f.Name)
			}
		default:
			switch {
			case s.IsZero():
			case d.IsZero():
				d.Set(s)
			case !sameValue(d, s):
				*diffs = append(*diffs, f.Name)
			}
		}
	}
}

// mergeMeta merges the metadata of two records of one element. The
// account, region and logical ID are filled when missing: the account and
// region may come from the folder, which differs for a resource listed in
// two accounts. Unknowns are the union of both; defaults stay those of the
// first record that has any.
func mergeMeta(d, s *model.Meta, diffs *[]string) {
	if d.Account == "" {
		d.Account = s.Account
	}
	if d.Region == "" {
		d.Region = s.Region
	}
	if d.LogicalID == "" {
		d.LogicalID = s.LogicalID
	}
	switch {
	case s.Name == "":
	case d.Name == "":
		d.Name = s.Name
	case d.Name != s.Name:
		*diffs = append(*diffs, "Name")
	}
	tagDiff := false
	for k, v := range s.Tags {
		if d.Tags == nil {
			d.Tags = map[string]string{}
		}
		if old, ok := d.Tags[k]; !ok {
			d.Tags[k] = v
		} else if old != v && k != "Name" {
			tagDiff = true
		}
	}
	if tagDiff {
		*diffs = append(*diffs, "Tags")
	}
	for _, u := range s.Unknowns {
		if !hasUnknown(d.Unknowns, u) {
			d.Unknowns = append(d.Unknowns, u)
		}
	}
	if len(d.Defaults) == 0 && len(s.Defaults) > 0 {
		d.Defaults = s.Defaults
	}
}

func hasUnknown(us []model.Unknown, u model.Unknown) bool {
	for _, x := range us {
		if x == u {
			return true
		}
	}
	return false
}

// sameValue compares two values of one type, leaving out every Origin
// (where a value was read) and the order of slices.
func sameValue(a, b reflect.Value) bool {
	t := a.Type()
	if t == originType {
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				if !sameValue(a.Field(i), b.Field(i)) {
					return false
				}
			} else if t.Field(i).Type.Comparable() && !a.Field(i).Equal(b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		ordered := true
		for i := 0; i < a.Len() && ordered; i++ {
			ordered = sameValue(a.Index(i), b.Index(i))
		}
		if ordered {
			return true
		}
		return sameSet(a, b)
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !sameValue(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Func, reflect.Chan:
		return true
	}
	return a.Equal(b)
}

// sameSet reports whether two slices of one length hold the same elements
// in another order.
func sameSet(a, b reflect.Value) bool {
	used := make([]bool, b.Len())
	idx := make([]int, b.Len())
	for i := range idx {
		idx[i] = i
	}
	sort.Ints(idx)
	for i := 0; i < a.Len(); i++ {
		found := false
		for _, j := range idx {
			if !used[j] && sameValue(a.Index(i), b.Index(j)) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
