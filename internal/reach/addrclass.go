package reach

import (
	"net/netip"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// An inbound traversal depends on the destination's addresses only
// through the address sets it compares them with: route destinations
// (edge, subnet, transit gateway and Client VPN route tables, prefix
// lists), network and security group rules, Network Firewall rules and
// variables, VPC and subnet ranges, the addresses of other resources, and
// the fixed sets of the engine (service addresses, private ranges). Every
// such set is a union of ranges; the starts and ends of all of them cut
// the address space into intervals, and two addresses in one interval
// lie in exactly the same sets, so the traversal treats them alike.
//
// addrClass is the interval an address lies in. Interfaces behind an edge
// route table (whose routes, and the firewalls they lead to, decide by
// destination) share one traversal when their addresses lie, one for one,
// in the same intervals.

// addrCuts are the interval starts, sorted, built once.
func (e *Engine) addrCuts() []netip.Addr {
	e.cutsOnce.Do(func() {
		var cuts []netip.Addr
		addRange := func(from, to netip.Addr) {
			cuts = append(cuts, from)
			if n := to.Next(); n.IsValid() {
				cuts = append(cuts, n)
			}
		}
		// Rule groups shared by several firewalls' policies compile to the
		// same sets: each set is cut once.
		setSeen := map[*ipset.Set]bool{}
		addSet := func(s *ipset.Set) {
			if s == nil || setSeen[s] {
				return
			}
			setSeen[s] = true
			for _, r := range s.Ranges() {
				addRange(r.From(), r.To())
			}
		}
		addPrefix := func(p netip.Prefix) {
			if p.IsValid() {
				r := netipx.RangeOfPrefix(p.Masked())
				addRange(r.From(), r.To())
			}
		}
		// Every prefix and address the sources hold, but those of the
		// interfaces themselves (whose own addresses are what is
		// classified; a route or rule naming one is cut by its own set).
		seen := map[uintptr]bool{}
		e.Net.Elements(func(el model.Element) {
			if _, ok := el.(*model.NetworkInterface); ok {
				return
			}
			walkAddrs(reflect.ValueOf(el), seen, addPrefix, func(a netip.Addr) { addRange(a, a) })
		})
		// The engine's own sets.
		for _, s := range []*ipset.Set{fullSet, fullV4, fullV6, nonPublic, internetSet, nonPublicSet, publicV4, rfc1918, linkLocal, serviceSet(nil)} {
			addSet(s)
		}
		for _, v := range e.Net.VPCs.All() {
			addSet(serviceSet(v))
		}
		for _, s := range e.Net.Subnets.All() {
			// The addresses AWS reserves in each subnet.
			if p := s.CIDR.Masked(); p.IsValid() {
				r := netipx.RangeOfPrefix(p)
				a := r.From()
				for i := 0; i < 4 && a.IsValid(); i++ {
					addRange(a, a)
					a = a.Next()
				}
				addRange(r.To(), r.To())
			}
		}
		// The firewalls' rules as compiled (their Suricata addresses are
		// text in the sources), cube by cube.
		for _, fw := range e.Net.NetworkFirewalls.All() {
			c := e.firewallPolicy(fw)
			addSet(e.homeNet(fw))
			for _, p := range c.stateless {
				for _, cu := range p.space {
					addSet(cu.Src)
					addSet(cu.Dst)
				}
			}
			if c.sf == nil {
				continue
			}
			for _, en := range c.sf.rules {
				addSet(en.src)
				addSet(en.dst)
				for _, cu := range en.r.view.space {
					addSet(cu.Src)
					addSet(cu.Dst)
				}
			}
		}
		slices.SortFunc(cuts, func(a, b netip.Addr) int { return a.Compare(b) })
		e.cuts = slices.Compact(cuts)
	})
	return e.cuts
}

// addrClass is the index of the interval an address lies in.
func (e *Engine) addrClass(a netip.Addr) int {
	cuts := e.addrCuts()
	return sort.Search(len(cuts), func(i int) bool { return cuts[i].Compare(a) > 0 })
}

var (
	prefixType = reflect.TypeFor[netip.Prefix]()
	addrType   = reflect.TypeFor[netip.Addr]()
)

// walkAddrs calls fn for every prefix and address in a value's exported
// fields, following pointers, slices and maps.
func walkAddrs(v reflect.Value, seen map[uintptr]bool, pfx func(netip.Prefix), addr func(netip.Addr)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		walkAddrs(v.Elem(), seen, pfx, addr)
	case reflect.Struct:
		switch v.Type() {
		case prefixType:
			pfx(v.Interface().(netip.Prefix))
			return
		case addrType:
			if a := v.Interface().(netip.Addr); a.IsValid() {
				addr(a)
			}
			return
		}
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() {
				walkAddrs(v.Field(i), seen, pfx, addr)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkAddrs(v.Index(i), seen, pfx, addr)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			walkAddrs(it.Key(), seen, pfx, addr)
			walkAddrs(it.Value(), seen, pfx, addr)
		}
	}
}

// writeAddrClasses writes the intervals of an interface's addresses, one
// for one in the order it lists them (a private address with its public
// one).
func (e *Engine) writeAddrClasses(b *strings.Builder, ni *model.NetworkInterface) {
	class := func(a netip.Addr) {
		if a.IsValid() {
			b.WriteString(strconv.Itoa(e.addrClass(a)))
		}
		b.WriteByte(',')
	}
	for _, p := range ni.PrivateIPs {
		b.WriteString("|p")
		class(p.Address)
		class(p.PublicIP)
	}
	for _, a := range ni.IPv6 {
		b.WriteString("|6")
		class(a)
	}
}
