package dns

import (
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// zone is an indexed hosted zone (user, or the managed zone of an
// interface endpoint's private DNS name).
type zone struct {
	id   string
	name string
	// names maps every owner name, and every empty non-terminal between an
	// owner and the apex, to its record sets.
	names map[string]*node
	// unknown says why the zone's records cannot be used (not read, ENI
	// addresses unknown), or "".
	unknown string
	// unknownSets says why the values of some record sets ("name TYPE")
	// are not known; unknownNames why some record names are not, so that
	// no name can be said to be missing.
	unknownSets  map[string]string
	unknownNames string
}

type node struct {
	sets []*rrset
}

// rrset is every record of one name and type (several with routing
// policies and set identifiers).
type rrset struct {
	typ     Type
	records []*model.Record
}

func (n *node) get(t Type) *rrset {
	for _, s := range n.sets {
		if s.typ == t {
			return s
		}
	}
	return nil
}

func (n *node) types() string {
	names := make([]string, 0, len(n.sets))
	for _, s := range n.sets {
		names = append(names, s.typ.String())
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// noteUnknowns reads the zone's Meta.Unknowns of the form
// "Records.<name> <TYPE>" (a source could not fix those values).
func (z *zone) noteUnknowns(us []model.Unknown) {
	for _, u := range us {
		rest, ok := strings.CutPrefix(u.Field, "Records.")
		if !ok {
			continue
		}
		name, typ, _ := strings.Cut(rest, " ")
		if name == "" || name == "." || strings.ContainsAny(name, "${}") {
			z.unknownNames = u.Reason
			continue
		}
		if z.unknownSets == nil {
			z.unknownSets = map[string]string{}
		}
		z.unknownSets[Canonical(name)+" "+strings.ToUpper(typ)] = u.Reason
	}
}

func newZone(id, name string) *zone {
	return &zone{id: id, name: Canonical(name), names: map[string]*node{Canonical(name): {}}}
}

func (z *zone) add(r *model.Record) {
	name := Canonical(r.Name)
	if !isSubdomain(name, z.name) {
		return
	}
	t, err := ParseType(r.Type)
	if err != nil {
		return
	}
	n := z.names[name]
	if n == nil {
		n = &node{}
		z.names[name] = n
	}
	if s := n.get(t); s != nil {
		s.records = append(s.records, r)
	} else {
		n.sets = append(n.sets, &rrset{typ: t, records: []*model.Record{r}})
	}
	for p := parent(name); p != z.name && isSubdomain(p, z.name); p = parent(p) {
		if _, ok := z.names[p]; ok {
			break
		}
		z.names[p] = &node{}
	}
}

// lookupStatus is what a zone says about a name.
type lookupStatus int

const (
	zoneAnswer lookupStatus = iota
	zoneCNAME
	zoneNoData
	zoneNXDomain
)

// lookup finds the records of name and type t in the zone, with wildcard
// records (RFC 4592) standing in for names that do not exist.
func (z *zone) lookup(name string, t Type) (lookupStatus, *node, *rrset, bool) {
	n, ok := z.names[name]
	wild := false
	if !ok {
		// Closest encloser, then its wildcard.
		for p := parent(name); isSubdomain(p, z.name); p = parent(p) {
			if _, ok := z.names[p]; ok {
				if w, ok := z.names["*."+p]; ok {
					n, wild = w, true
				}
				break
			}
			if p == z.name {
				break
			}
		}
		if n == nil {
			return zoneNXDomain, nil, nil, false
		}
	}
	if t == TypeANY && len(n.sets) > 0 {
		return zoneAnswer, n, nil, wild
	}
	if s := n.get(t); s != nil {
		return zoneAnswer, n, s, wild
	}
	if s := n.get(TypeCNAME); s != nil {
		return zoneCNAME, n, s, wild
	}
	return zoneNoData, n, nil, wild
}
