package reach

import (
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// memoEntry is the findings computed for one interface, to be reused for
// interfaces with the same memoKey.
type memoEntry struct {
	eni      string
	findings []ExposureFinding
}

// memoKey says everything an inbound traversal's findings depend on
// besides the interface's own ID and addresses: the edge and its
// sources, the subnet (routes, network ACL), the groups, which kinds of
// address the interface has (public IPv4 known or not, IPv6), its unknown
// values, and, when the gateway has its own route table (which routes by
// destination), the addresses themselves.
func (x *exposer) memoKey(ni, target *model.NetworkInterface, ed Edge, extra []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s|", ed.Kind, ed.ID, ni.SubnetID, strings.Join(ni.SecurityGroupIDs, ","))
	if ed.Sources != nil {
		for _, r := range ed.Sources.Ranges() {
			b.WriteString(r.String())
			b.WriteByte(',')
		}
	}
	b.WriteString("|" + strings.Join(extra, ";") + "|")
	v4, v6, pub, pubUnknown, pub6 := false, false, 0, "", false
	for _, p := range target.PrivateIPs {
		if p.Address.IsValid() {
			v4 = true
		}
		if p.PublicIP.IsValid() {
			pub++
		}
		if p.PublicUnknown != "" {
			pubUnknown = p.PublicUnknown
		}
	}
	for _, a := range target.IPv6 {
		v6 = true
		if IsPublic(a) {
			pub6 = true
		}
	}
	for _, p := range target.Prefixes {
		if p.Addr().Is4() {
			v4 = true
		} else {
			v6 = true
		}
	}
	fmt.Fprintf(&b, "%v|%v|%d|%s|%v|%v|", v4, v6, pub, pubUnknown, pub6, len(target.PrivateIPs) == 0)
	for _, u := range ni.Unknowns {
		b.WriteString(u.String() + ";")
	}
	if x.e.Net.EdgeRouteTable(ed.ID) != nil || ni.OwnerKind == model.OwnerLoadBalancer {
		for _, r := range x.e.eniAddrs(target, false).Ranges() {
			b.WriteString("|" + r.String())
		}
	}
	return b.String()
}

// rename returns the memoised findings for another interface.
func (m memoEntry) rename(res ExposedResource, eni string) []ExposureFinding {
	out := make([]ExposureFinding, len(m.findings))
	for i, f := range m.findings {
		f.Resource = res
		if eni != m.eni {
			via := make([]Hop, len(f.Via))
			for j, h := range f.Via {
				if h.ID == m.eni {
					h.ID = eni
				}
				via[j] = h
			}
			f.Via = via
			f.Reason = replaceID(f.Reason, m.eni, eni)
		}
		out[i] = f
	}
	return out
}

// replaceID replaces whole occurrences of an ID in a text (not where it is
// the start of a longer name).
func replaceID(s, old, repl string) string {
	if old == "" || !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(old)
		whole := end == len(s) || !isIDChar(s[end])
		whole = whole && (i == 0 || !isIDChar(s[i-1]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(repl)
		} else {
			b.WriteString(old)
		}
		s = s[end:]
	}
}

func isIDChar(c byte) bool {
	return c == '-' || c == '_' || c == '/' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
