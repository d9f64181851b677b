package snapshot

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func itoa(i int) string { return strconv.Itoa(i) }

func errMissing(field string) error {
	return &fieldError{msg: "the object has no " + field + " (want AWS API output with resource IDs)"}
}

// finish runs after every file of a Read: applies merged objects, creates
// interfaces known only from instances, maps elastic IPs, and fills the
// account and region of elements whose path and content did not say.
func (r *reader) finish() {
	for _, f := range r.deferred {
		f()
	}
	r.deferred = nil
	for _, x := range r.instanceENIs {
		if old, ok := r.n.NetworkInterfaces.Get(x.id); ok {
			if old.OwnerKind == model.OwnerNone {
				old.OwnerKind, old.OwnerID = x.kind, x.owner
			}
			continue
		}
		e := x.e // never nil: elements are not removed
		if r.sawENIs[filepath.Dir(e.Origin.File)] {
			// describe-network-interfaces was read and does not hold it:
			// the snapshots disagree; keep the instance's view.
			r.n.Warnf("inconsistent-snapshot", e.Origin, e.ID, "network interface %s is attached to an instance but missing from the network interfaces output; read from the instance", e.ID)
		}
		put(r, &r.n.NetworkInterfaces, e)
	}
	r.instanceENIs = nil
	r.applyEIPs()
	r.linkOwners()
	r.endpointStandIns()
	r.linkTGW()
	r.tgwTablesKnown()
	r.fillScopes()
}

// fillScopes gives elements without account or region the one their
// folder's other elements agree on, else the one the whole Read agrees on.
func (r *reader) fillScopes() {
	type sets struct{ acc, reg map[string]bool }
	byDir := map[string]*sets{}
	// Elements come file by file: the last folder's sets serve the next.
	lastDir, last := "", (*sets)(nil)
	setsOf := func(dir string) *sets {
		if last == nil || dir != lastDir {
			lastDir, last = dir, byDir[dir]
		}
		return last
	}
	all := &sets{map[string]bool{}, map[string]bool{}}
	for _, a := range r.added {
		s := setsOf(a.dir)
		if s == nil {
			s = &sets{map[string]bool{}, map[string]bool{}}
			byDir[a.dir] = s
			lastDir, last = a.dir, s
		}
		if a.meta.Account != "" {
			s.acc[a.meta.Account] = true
			all.acc[a.meta.Account] = true
		}
		if a.meta.Region != "" {
			s.reg[a.meta.Region] = true
			all.reg[a.meta.Region] = true
		}
	}
	only := func(m map[string]bool) string {
		if len(m) != 1 {
			return ""
		}
		for k := range m {
			return k
		}
		return ""
	}
	dirScope := func(dir string) model.Scope {
		sc := pathScope(dir)
		s := byDir[dir]
		if s == nil {
			s = &sets{}
		}
		if sc.Account == "" {
			if sc.Account = only(s.acc); sc.Account == "" {
				sc.Account = only(all.acc)
			}
		}
		if sc.Region == "" {
			if sc.Region = only(s.reg); sc.Region == "" {
				sc.Region = only(all.reg)
			}
		}
		return sc
	}
	for _, a := range r.added {
		s := setsOf(a.dir)
		if a.meta.Account == "" {
			if v := only(s.acc); v != "" {
				a.meta.Account = v
			} else {
				a.meta.Account = only(all.acc)
			}
		}
		if a.meta.Region == "" {
			if v := only(s.reg); v != "" {
				a.meta.Region = v
			} else {
				a.meta.Region = only(all.reg)
			}
		}
	}
	// What a folder lists covers the scope its path names (or its
	// elements agree on), and the scope of every element read there.
	scopes := map[string]map[model.Scope]bool{}
	for dir := range r.seen {
		scopes[dir] = map[model.Scope]bool{dirScope(dir): true}
	}
	var prevDir string
	var prev model.Scope
	for i, a := range r.added {
		sc := model.Scope{Account: a.meta.Account, Region: a.meta.Region}
		if i > 0 && a.dir == prevDir && sc == prev {
			continue // already there
		}
		prevDir, prev = a.dir, sc
		if m := scopes[a.dir]; m != nil {
			m[sc] = true
		}
	}
	r.coverage(scopes)
	r.added = nil
}

// linkOwners names load balancer interfaces by the balancer's ARN (their
// description holds only "app/name/id"), and lists on each instance the
// interfaces attached to it when the instance output did not.
func (r *reader) linkOwners() {
	byTail := map[string]string{}
	for _, lb := range r.n.LoadBalancers.All() {
		if i := strings.Index(lb.ID, ":loadbalancer/"); i >= 0 {
			byTail[lb.ID[i+len(":loadbalancer/"):]] = lb.ID
		}
	}
	// Instances whose output did not list their interfaces.
	bare := map[string]bool{}
	for _, in := range r.n.Instances.All() {
		if len(in.NetworkInterfaceIDs) == 0 {
			bare[in.ID] = true
		}
	}
	attached := map[string][]*model.NetworkInterface{}
	for _, e := range r.n.NetworkInterfaces.All() {
		switch e.OwnerKind {
		case model.OwnerLoadBalancer:
			if arn, ok := byTail[e.OwnerID]; ok {
				e.OwnerID = arn
			}
		case model.OwnerInstance:
			if bare[e.OwnerID] {
				attached[e.OwnerID] = append(attached[e.OwnerID], e)
			}
		}
	}
	for id, enis := range attached {
		in, _ := r.n.Instances.Get(id)
		sort.SliceStable(enis, func(i, j int) bool { return enis[i].DeviceIndex < enis[j].DeviceIndex })
		for _, e := range enis {
			in.NetworkInterfaceIDs = append(in.NetworkInterfaceIDs, e.ID)
		}
	}
}
