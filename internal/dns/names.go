package dns

import (
	"net/netip"
	"strconv"
	"strings"
)

// Canonical returns a name fully qualified and lower case, with Route 53's
// octal escape for "*" undone ("\052.example.com" is "*.example.com.").
func Canonical(name string) string {
	name = strings.TrimSpace(name)
	if strings.Contains(name, `\052`) {
		name = strings.ReplaceAll(name, `\052`, "*")
	}
	if !isLower(name) {
		name = strings.ToLower(name)
	}
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	return name
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// parent returns the name without its first label ("b.c." for "a.b.c.",
// "." for "a." and for ".").
func parent(name string) string {
	if name == "." {
		return "."
	}
	i := strings.IndexByte(name, '.')
	if i < 0 || i == len(name)-1 {
		return "."
	}
	return name[i+1:]
}

// firstLabel returns the first label of a name.
func firstLabel(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}

// isSubdomain reports whether name equals zone or lies under it, label by
// label (R2.3).
func isSubdomain(name, zone string) bool {
	if zone == "." {
		return true
	}
	if !strings.HasSuffix(name, zone) {
		return false
	}
	return len(name) == len(zone) || name[len(name)-len(zone)-1] == '.'
}

// reverseName returns the in-addr.arpa or ip6.arpa name of an address.
func reverseName(a netip.Addr) string {
	if a.Is4() {
		b := a.As4()
		return strconv.Itoa(int(b[3])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[0])) + ".in-addr.arpa."
	}
	b := a.As16()
	const hex = "0123456789abcdef"
	var sb strings.Builder
	for i := 15; i >= 0; i-- {
		sb.WriteByte(hex[b[i]&0xf])
		sb.WriteByte('.')
		sb.WriteByte(hex[b[i]>>4])
		sb.WriteByte('.')
	}
	sb.WriteString("ip6.arpa.")
	return sb.String()
}

// parseReverse reads an in-addr.arpa or ip6.arpa name with a full address.
func parseReverse(name string) (netip.Addr, bool) {
	if rest, ok := strings.CutSuffix(name, ".in-addr.arpa."); ok {
		parts := strings.Split(rest, ".")
		if len(parts) != 4 {
			return netip.Addr{}, false
		}
		var b [4]byte
		for i, p := range parts {
			v, err := strconv.ParseUint(p, 10, 8)
			if err != nil || (len(p) > 1 && p[0] == '0') {
				return netip.Addr{}, false
			}
			b[3-i] = byte(v)
		}
		return netip.AddrFrom4(b), true
	}
	if rest, ok := strings.CutSuffix(name, ".ip6.arpa."); ok {
		parts := strings.Split(rest, ".")
		if len(parts) != 32 {
			return netip.Addr{}, false
		}
		var b [16]byte
		for i, p := range parts {
			v, err := strconv.ParseUint(p, 16, 8)
			if err != nil || len(p) != 1 {
				return netip.Addr{}, false
			}
			j := 31 - i
			if j%2 == 0 {
				b[j/2] |= byte(v) << 4
			} else {
				b[j/2] |= byte(v)
			}
		}
		return netip.AddrFrom16(b), true
	}
	return netip.Addr{}, false
}

// reverseZones returns the in-addr.arpa zones (whole octets) covering an
// IPv4 prefix: a /23 gives two /24-style zones (R2.2). Prefixes shorter
// than /8 are not split.
func reverseZones(p netip.Prefix) []string {
	if !p.Addr().Is4() || p.Bits() < 8 {
		return nil
	}
	p = p.Masked()
	octets := (p.Bits() + 7) / 8
	count := 1 << (octets*8 - p.Bits())
	out := make([]string, 0, count)
	b := p.Addr().As4()
	for i := 0; i < count; i++ {
		bb := b
		bb[octets-1] += byte(i)
		var sb strings.Builder
		for j := octets - 1; j >= 0; j-- {
			sb.WriteString(strconv.Itoa(int(bb[j])))
			sb.WriteByte('.')
		}
		sb.WriteString("in-addr.arpa.")
		out = append(out, sb.String())
	}
	return out
}

// ipFromDashed reads "10-0-0-5" (the IP part of ip-… and ec2-… names).
func ipFromDashed(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.ReplaceAll(s, "-", "."))
	if err != nil || !a.Is4() {
		return netip.Addr{}, false
	}
	return a, true
}

func dashed(a netip.Addr) string { return strings.ReplaceAll(a.String(), ".", "-") }
