package reach

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// suricataRule is one rule of a stateful rule group, from its Suricata
// text or from a 5-tuple StatefulRule (which AWS turns into the same
// text).
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-limitations-caveats.html
type suricataRule struct {
	action string // pass, drop, reject, alert (lower case)
	proto  string // ip, tcp, udp, icmp, or an application protocol
	src    string
	sport  string
	bidir  bool // <>
	dst    string
	dport  string
	opts   []ruleOpt
	label  string // "sid:123" or "rule 4", for messages
	line   int
}

type ruleOpt struct{ key, val string }

// parseSuricata splits rules text into rules; lines that are empty or
// comments are skipped. A line that is not a rule is returned as an
// error naming its line.
func parseSuricata(text string, firstLine int) ([]suricataRule, []error) {
	var out []suricataRule
	var errs []error
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		ln := firstLine + i
		for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, "\\") + strings.TrimSpace(lines[i])
		}
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		r, err := parseSuricataLine(l)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", ln, err))
			continue
		}
		r.line = ln
		if r.label == "" {
			r.label = fmt.Sprintf("rule on line %d", ln)
		}
		out = append(out, r)
	}
	return out, errs
}

func parseSuricataLine(l string) (suricataRule, error) {
	var r suricataRule
	head, opts, ok := strings.Cut(l, "(")
	if !ok {
		return r, fmt.Errorf("%q: no rule options", l)
	}
	opts = strings.TrimSpace(opts)
	opts = strings.TrimSuffix(opts, ")")
	f := splitHeader(head)
	if len(f) != 7 {
		return r, fmt.Errorf("%q: want action protocol source port direction destination port", strings.TrimSpace(head))
	}
	r.action, r.proto, r.src, r.sport = strings.ToLower(f[0]), strings.ToLower(f[1]), f[2], f[3]
	switch f[4] {
	case "->":
	case "<>":
		r.bidir = true
	default:
		return r, fmt.Errorf("direction %q is neither -> nor <>", f[4])
	}
	r.dst, r.dport = f[5], f[6]
	switch r.action {
	case "pass", "drop", "reject", "alert", "rejectsrc", "rejectdst", "rejectboth":
	default:
		return r, fmt.Errorf("action %q is not pass, drop, reject or alert", r.action)
	}
	for _, o := range splitOptions(opts) {
		k, v, _ := strings.Cut(o, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			continue
		}
		r.opts = append(r.opts, ruleOpt{k, v})
		if k == "sid" {
			r.label = "sid:" + v
		}
	}
	return r, nil
}

// splitHeader splits on spaces outside brackets.
func splitHeader(s string) []string {
	var out []string
	depth, start := 0, -1
	for i, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		}
		if (c == ' ' || c == '\t') && depth == 0 {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// splitOptions splits "a; b:c; d:\"x;y\"" on semicolons outside quotes.
func splitOptions(s string) []string {
	var out []string
	var b strings.Builder
	quoted, esc := false, false
	for _, c := range s {
		switch {
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
			quoted = !quoted
		case c == ';' && !quoted:
			out = append(out, strings.TrimSpace(b.String()))
			b.Reset()
			continue
		}
		b.WriteRune(c)
	}
	if t := strings.TrimSpace(b.String()); t != "" {
		out = append(out, t)
	}
	return out
}

// headerOnly are the options that do not look at a packet's content or at
// other flows: a rule with only these decides by its header alone.
var headerOnly = map[string]bool{
	"sid": true, "rev": true, "msg": true, "gid": true, "classtype": true, "priority": true, "reference": true,
	"metadata": true, "noalert": true, "flow": true, "ip_proto": true, "target": true,
}

// ruleView is what the engine reads of a rule: where it matches (in the
// forward direction of a connection), and whether that is all it looks at.
type ruleView struct {
	space   Space
	partial bool   // matches only some packets of a connection (flow:established, ...)
	content string // "" when the header decides; else the keyword that inspects content
	err     string // the rule could not be read: it may match anything
}

// remaker returns how to read the rule again for another HOME_NET, or nil
// when its addresses do not use it.
func (r *suricataRule) remaker() func(*vars) ruleView {
	if !strings.Contains(r.src+r.dst, "HOME_NET") && !strings.Contains(r.src+r.dst, "EXTERNAL_NET") {
		return nil
	}
	c := *r
	return func(v *vars) ruleView { return c.view(v) }
}

// vars resolves rule variables and port sets.
type vars struct {
	ip    map[string]*ipset.Set
	ports map[string][]string
	home  *ipset.Set
}

func (r *suricataRule) view(v *vars) ruleView {
	var rv ruleView
	protos, appProto, err := suricataProto(r.proto)
	if err != nil {
		rv.err = err.Error()
		rv.space = Space{AllPackets()}
		return rv
	}
	if appProto != "" {
		rv.content = "application protocol " + appProto + " (detected from the payload)"
	}
	src, err1 := v.addr(r.src, 0)
	dst, err2 := v.addr(r.dst, 0)
	sp, err3 := v.port(r.sport, 0)
	dp, err4 := v.port(r.dport, 0)
	for _, e := range []error{err1, err2, err3, err4} {
		if e != nil {
			rv.err = e.Error()
			rv.space = Space{AllPackets()}
			return rv
		}
	}
	toServer, toClient := true, true
	for _, o := range r.opts {
		switch o.key {
		case "flow":
			for _, f := range strings.Split(o.val, ",") {
				switch strings.TrimSpace(f) {
				case "to_server", "from_client":
					toClient = false
				case "to_client", "from_server":
					toServer = false
				case "established", "not_established", "only_stream", "no_stream", "only_frag", "no_frag":
					rv.partial = true
				case "stateless":
				}
			}
		case "ip_proto":
			ps, ok := ipProto(o.val)
			if !ok {
				rv.err = "ip_proto:" + o.val + " is not understood"
				rv.space = Space{AllPackets()}
				return rv
			}
			protos = protos.And(ps)
		default:
			if !headerOnly[o.key] && rv.content == "" {
				rv.content = o.key
			}
		}
	}
	fwd := Cube{Src: src, Dst: dst, Proto: protos, SrcPorts: sp, DstPorts: dp}
	rev := Cube{Src: dst, Dst: src, Proto: protos, SrcPorts: dp, DstPorts: sp}
	if !protos.And(icmpProtos).Empty() {
		// ICMP has no ports: the rule's ports do not restrict it.
		ic := fwd
		ic.Proto = protos.And(icmpProtos)
		ic.SrcPorts, ic.DstPorts = AllRanges(), AllRanges()
		fwd.Proto = fwd.Proto.AndNot(icmpProtos)
		rc := ic
		rc.Src, rc.Dst = dst, src
		rev.Proto = rev.Proto.AndNot(icmpProtos)
		addCubes(&rv.space, toServer || r.bidir, ic)
		addCubes(&rv.space, toClient || r.bidir, rc)
	}
	if r.bidir {
		addCubes(&rv.space, true, fwd, rev)
	} else {
		// A header matches packets in its direction: the connection's
		// requests (forward) when its source is the client, its replies
		// when its source is the server.
		addCubes(&rv.space, toServer, fwd)
		addCubes(&rv.space, toClient, rev)
	}
	return rv
}

func addCubes(s *Space, ok bool, cs ...Cube) {
	if !ok {
		return
	}
	for _, c := range cs {
		if !c.Empty() {
			*s = append(*s, c)
		}
	}
}

// suricataProto maps a rule's protocol; application protocols match TCP
// or UDP traffic Suricata recognises from the payload.
func suricataProto(p string) (ProtoSet, string, error) {
	switch p {
	case "ip", "any":
		return AllProtos(), "", nil
	case "tcp":
		return protoTCP, "", nil
	case "udp":
		return protoUDP, "", nil
	case "icmp":
		return icmpProtos, "", nil
	case "tcp-pkt", "tcp-stream":
		return protoTCP, "", nil
	case "dns", "ntp", "dhcp", "snmp", "tftp", "ikev2", "krb5", "nfs", "sip":
		return protoTCP.Or(protoUDP), p, nil
	case "http", "http2", "tls", "ssh", "ftp", "smtp", "smb", "dcerpc", "imap", "pop3", "rdp", "mqtt", "modbus", "dnp3", "enip", "quic":
		if p == "quic" {
			return protoUDP, p, nil
		}
		return protoTCP, p, nil
	}
	return ProtoSet{}, "", fmt.Errorf("protocol %q is not understood", p)
}

func ipProto(v string) (ProtoSet, bool) {
	neg := strings.HasPrefix(v, "!")
	v = strings.TrimPrefix(v, "!")
	var ps ProtoSet
	switch strings.ToUpper(v) {
	case "TCP":
		ps = protoTCP
	case "UDP":
		ps = protoUDP
	case "ICMP":
		ps = ProtoOf(model.ProtoICMP)
	case "IPV6-ICMP", "ICMPV6":
		ps = ProtoOf(model.ProtoICMPv6)
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 255 {
			return ps, false
		}
		ps = ProtoOf(model.Protocol(n))
	}
	if neg {
		return AllProtos().AndNot(ps), true
	}
	return ps, true
}

// addr resolves a Suricata address: any, an address, a CIDR, $VAR, a
// [list] and !negations.
func (v *vars) addr(s string, depth int) (*ipset.Set, error) {
	s = strings.TrimSpace(s)
	if depth > 8 {
		return nil, fmt.Errorf("address %q nests too deep", s)
	}
	if strings.HasPrefix(s, "!") {
		in, err := v.addr(s[1:], depth+1)
		if err != nil {
			return nil, err
		}
		return fullSet.Minus(in), nil
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		var pos, neg []*ipset.Set
		for _, e := range splitList(s[1 : len(s)-1]) {
			if strings.HasPrefix(e, "!") {
				x, err := v.addr(e[1:], depth+1)
				if err != nil {
					return nil, err
				}
				neg = append(neg, x)
				continue
			}
			x, err := v.addr(e, depth+1)
			if err != nil {
				return nil, err
			}
			pos = append(pos, x)
		}
		out := emptySet
		if len(pos) == 0 {
			out = fullSet
		}
		for _, p := range pos {
			out = out.Union(p)
		}
		for _, n := range neg {
			out = out.Minus(n)
		}
		return out, nil
	}
	switch strings.ToLower(s) {
	case "any":
		return fullSet, nil
	}
	if strings.HasPrefix(s, "$") {
		name := s[1:]
		if set, ok := v.ip[name]; ok {
			return set, nil
		}
		switch name {
		case "HOME_NET":
			return v.home, nil
		case "EXTERNAL_NET":
			if set, ok := v.ip["HOME_NET"]; ok {
				return fullSet.Minus(set), nil
			}
			return fullSet.Minus(v.home), nil
		}
		return nil, fmt.Errorf("variable %s is not defined", s)
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return SetOf([]netip.Prefix{p.Masked()}), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return SetOf(nil, a), nil
	}
	return nil, fmt.Errorf("address %q is not understood", s)
}

// port resolves a Suricata port: any, 80, 1024:65535, :1024, 1024:,
// $VAR, [list] and !negations.
func (v *vars) port(s string, depth int) (Ranges, error) {
	s = strings.TrimSpace(s)
	if depth > 8 {
		return nil, fmt.Errorf("port %q nests too deep", s)
	}
	if strings.HasPrefix(s, "!") {
		in, err := v.port(s[1:], depth+1)
		if err != nil {
			return nil, err
		}
		return AllRanges().Subtract(in), nil
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		var pos, neg Ranges
		havePos := false
		for _, e := range splitList(s[1 : len(s)-1]) {
			if strings.HasPrefix(e, "!") {
				x, err := v.port(e[1:], depth+1)
				if err != nil {
					return nil, err
				}
				neg = neg.Union(x)
				continue
			}
			x, err := v.port(e, depth+1)
			if err != nil {
				return nil, err
			}
			pos, havePos = pos.Union(x), true
		}
		if !havePos {
			pos = AllRanges()
		}
		return pos.Subtract(neg), nil
	}
	if strings.EqualFold(s, "any") {
		return AllRanges(), nil
	}
	if strings.HasPrefix(s, "$") {
		defs, ok := v.ports[s[1:]]
		if !ok {
			return nil, fmt.Errorf("port variable %s is not defined", s)
		}
		return v.port("["+strings.Join(defs, ",")+"]", depth+1)
	}
	lo, hi, isRange := strings.Cut(s, ":")
	from, to := 0, 65535
	var err error
	if lo != "" {
		if from, err = strconv.Atoi(lo); err != nil {
			return nil, fmt.Errorf("port %q is not understood", s)
		}
	}
	if !isRange {
		to = from
	} else if hi != "" {
		if to, err = strconv.Atoi(hi); err != nil {
			return nil, fmt.Errorf("port %q is not understood", s)
		}
	}
	if from < 0 || to > 65535 || from > to {
		return nil, fmt.Errorf("port %q is outside 0-65535", s)
	}
	return Ranges{{From: uint16(from), To: uint16(to)}}, nil
}

func splitList(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}
