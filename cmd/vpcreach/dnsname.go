package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/model"
)

// reverseName is the PTR question for an address, as `dig -x` asks it:
// 10.0.1.10 is 10.1.0.10.in-addr.arpa., an IPv6 address its nibbles under
// ip6.arpa.
func reverseName(a netip.Addr) string {
	a = a.Unmap()
	var b strings.Builder
	if a.Is4() {
		o := a.As4()
		fmt.Fprintf(&b, "%d.%d.%d.%d.in-addr.arpa.", o[3], o[2], o[1], o[0])
		return b.String()
	}
	o := a.As16()
	for i := len(o) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%x.%x.", o[i]&0xf, o[i]>>4)
	}
	b.WriteString("ip6.arpa.")
	return b.String()
}

// searchList returns the domains an instance of the vantage's VPC appends
// to a name that is not fully qualified: the domain-name of the VPC's DHCP
// option set (several, space-separated, as Linux resolvers read it), the
// region's default for the default set (R7.1, R7.2). why says where the
// list comes from, or why there is none.
func searchList(n *model.Network, v dns.Vantage) (domains []string, why string) {
	if v.VPC == nil {
		return nil, "no VPC, so no DHCP option set and no search list"
	}
	vpc := v.VPC
	regional := func(region string) string {
		if region == "us-east-1" {
			return "ec2.internal"
		}
		return region + ".compute.internal"
	}
	switch vpc.DHCPOptionsID {
	case model.DHCPOptionsNone:
		return nil, vpc.ID + " has no DHCP option set, so no search list (R7.2)"
	case model.DHCPOptionsDefault, "":
		if vpc.Region == "" {
			return nil, "the region of " + vpc.ID + " is unknown, so its default search domain is too (R7.1)"
		}
		what := "the default DHCP option set of " + vpc.ID
		if vpc.DHCPOptionsID == "" {
			what = "the default DHCP option set the sources leave " + vpc.ID + " with"
		}
		return []string{regional(vpc.Region)}, "domain-name of " + what + " (R7.1)"
	}
	opts, ok := n.DHCPOptions.Get(vpc.DHCPOptionsID)
	if !ok {
		return nil, "DHCP option set " + vpc.DHCPOptionsID + " of " + vpc.ID + " is not in the sources, so its search list is unknown"
	}
	domains = strings.Fields(opts.DomainName)
	if len(domains) == 0 {
		return nil, "DHCP option set " + opts.ID + " of " + vpc.ID + " sets no domain-name, so no search list (R7.2)"
	}
	return domains, "domain-name of DHCP option set " + opts.ID + " of " + vpc.ID + " (R7.2)"
}

// resolveAsTyped resolves a name the way a person types it at an instance:
// an address asked for PTR becomes its reverse name (dig -x); a name that
// is not fully qualified goes through the VPC's search list as the
// instance's resolver would (ndots 1: a name without a dot tries the
// search domains first, one with dots tries itself first), each try in the
// trace, stopping at the first answer that is not NXDOMAIN.
func resolveAsTyped(ctx context.Context, n *model.Network, r *dns.Resolver, v dns.Vantage, name string, qt dns.Type) *dns.Result {
	if a, err := netip.ParseAddr(name); err == nil && qt == dns.TypePTR {
		res := r.Resolve(ctx, v, reverseName(a), qt)
		res.Trace = append([]string{fmt.Sprintf("%s is an address: asking PTR for its reverse name %s, as dig -x does", name, reverseName(a))}, res.Trace...)
		return res
	}
	if strings.HasSuffix(name, ".") || v.Kind == dns.FromClientVPN || v.Kind == dns.FromInboundEndpoint || v.Kind == dns.FromOnPremises {
		return r.Resolve(ctx, v, name, qt)
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return r.Resolve(ctx, v, name, qt)
	}
	domains, why := searchList(n, v)
	if len(domains) == 0 {
		res := r.Resolve(ctx, v, name, qt)
		if !strings.Contains(name, ".") {
			res.Trace = append([]string{"search list: " + why + "; asking " + name + " as it is"}, res.Trace...)
		}
		return res
	}
	var search []string
	for _, d := range domains {
		search = append(search, name+"."+strings.TrimSuffix(d, ".")+".")
	}
	list := fmt.Sprintf("search list %s (%s)", strings.Join(domains, " "), why)
	if strings.Contains(name, ".") {
		// A name with dots is asked as it is first; the search list
		// matters only when that is NXDOMAIN.
		first := r.Resolve(ctx, v, name+".", qt)
		if first.Rcode != dns.NXDomain {
			return first
		}
		for _, q := range search {
			res := r.Resolve(ctx, v, q, qt)
			if res.Rcode != dns.NXDomain {
				res.Trace = append([]string{fmt.Sprintf("%s.: NXDOMAIN, so the %s gives %s", name, list, q)}, res.Trace...)
				return res
			}
		}
		first.Trace = append(first.Trace, fmt.Sprintf("the %s gives %s: NXDOMAIN too, so the answer is that of %s.", list, strings.Join(search, ", "), name))
		return first
	}
	// A name without a dot goes through the search list first, then is
	// asked as it is.
	tries := append(search, name+".")
	pre := []string{fmt.Sprintf("%s: %s is tried as %s", list, name, strings.Join(tries, ", then "))}
	var res *dns.Result
	for i, q := range tries {
		res = r.Resolve(ctx, v, q, qt)
		if res.Rcode != dns.NXDomain || i == len(tries)-1 {
			if res.Rcode == dns.Unknown && i < len(tries)-1 {
				res.Trace = append(res.Trace, fmt.Sprintf("if the public DNS has no %s, the resolver goes on with %s", q, tries[i+1]))
			}
			break
		}
		pre = append(pre, fmt.Sprintf("%s: NXDOMAIN, next in the search list", q))
	}
	res.Trace = append(pre, res.Trace...)
	return res
}
