package dns

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// query is the state of one resolution inside a VPC's resolver.
type query struct {
	ctx     context.Context
	v       *view
	inbound bool // arrived through an inbound endpoint (R2.9, R4.5)
	depth   int
	// forwardedBy lists the VPCs whose resolvers already forwarded the
	// query to an inbound endpoint, to catch loops (R5.7).
	forwardedBy []string
	// chain lists the names already visited through CNAMEs and aliases.
	chain []string
	// alias marks the inside of an alias record's resolution: Route 53
	// answers it itself, so DNS Firewall does not see the target name.
	alias bool
}

func (q *query) decide(res *Result, kind, id string) {
	if res.AnsweredBy == nil {
		res.AnsweredBy = &AnsweredBy{Kind: kind, ID: id}
	}
}

func (q *query) unknownf(res *Result, format string, args ...any) {
	res.Rcode = Unknown
	if res.Reason == "" {
		res.Reason = fmt.Sprintf(format, args...)
	}
}

func (q *query) failf(res *Result, rcode Rcode, format string, args ...any) {
	res.Rcode = rcode
	if res.Reason == "" {
		res.Reason = fmt.Sprintf(format, args...)
	}
}

// Resolve answers a query for name and type t as the resolver seen from v
// would (§9.1, §9.2). It never fails: what it cannot tell is UNKNOWN with
// a reason, and every decision is in the trace.
func (r *Resolver) Resolve(ctx context.Context, v Vantage, name string, t Type) *Result {
	return r.Session(ctx, v).Resolve(ctx, name, t)
}

// Session is a vantage whose DNS server has been chosen once (DHCP options,
// path to the server): the way to answer many queries from one place.
// It is safe for concurrent use.
type Session struct {
	r *Resolver
	// NoTrace leaves Result.Trace empty, for servers that only need the
	// answer.
	NoTrace bool
	// pre holds the server choice: its trace, server and, when the choice
	// already decided the outcome, the rcode and reason.
	pre     Result
	decided bool
	vw      *view
	inbound bool
	// dns64 is the querying subnet when it has DNS64 on (R7.5).
	dns64 *model.Subnet
}

// Session chooses the server a client at v uses and checks the path to it.
func (r *Resolver) Session(ctx context.Context, v Vantage) *Session {
	s := &Session{r: r}
	vw, inbound, ok := r.chooseServer(ctx, v, &s.pre)
	s.decided, s.vw, s.inbound = !ok, vw, inbound
	if ok && v.Subnet != nil && v.Subnet.EnableDNS64 && (v.Kind == FromENI || v.Kind == FromSubnet) && vw.vpc.ID == v.Subnet.VPCID {
		s.dns64 = v.Subnet
	}
	if ok {
		for _, n := range vw.notes {
			s.pre.tracef("note: %s", n)
		}
	}
	return s
}

// Server returns the chosen DNS server, or nil when there is none.
func (s *Session) Server() *Server { return s.pre.Server }

// Resolve answers one query from the session's vantage.
func (s *Session) Resolve(ctx context.Context, name string, t Type) *Result {
	name = Canonical(name)
	res := &Result{Name: name, Type: t.String(), Answers: []Answer{}, Server: s.pre.Server, noTrace: s.NoTrace}
	if !s.NoTrace {
		res.Trace = make([]string, len(s.pre.Trace), len(s.pre.Trace)+8)
		copy(res.Trace, s.pre.Trace)
	}
	if s.decided {
		res.Rcode, res.Reason = s.pre.Rcode, s.pre.Reason
		if s.pre.AnsweredBy != nil {
			by := *s.pre.AnsweredBy
			res.AnsweredBy = &by
		}
		return res
	}
	q := &query{ctx: ctx, v: s.vw, inbound: s.inbound}
	s.r.resolveIn(q, name, t, res)
	if res.Rcode == "" {
		res.Rcode = NoError
	}
	if t == TypeAAAA && s.dns64 != nil && res.Rcode == NoError && !hasType(res.Answers, TypeAAAA) {
		s.synthesize64(ctx, res)
	}
	return res
}

func hasType(as []Answer, t Type) bool {
	for _, a := range as {
		if a.RRType == t {
			return true
		}
	}
	return false
}

// synthesize64 adds DNS64 answers (64:ff9b::/96 + the IPv4 address) for a
// name without AAAA records, from a subnet with DNS64 on (R7.5).
func (s *Session) synthesize64(ctx context.Context, res *Result) {
	a := &Result{Answers: []Answer{}, noTrace: res.noTrace}
	s.r.resolveIn(&query{ctx: ctx, v: s.vw, inbound: s.inbound}, res.Name, TypeA, a)
	n := 0
	for _, ans := range a.Answers {
		if ans.RRType != TypeA {
			continue
		}
		v4, err := netip.ParseAddr(ans.Value)
		if err != nil || !v4.Is4() {
			continue
		}
		b := v4.As4()
		v6 := netip.AddrFrom16([16]byte{0, 0x64, 0xff, 0x9b, 10: 0, 11: 0, 12: b[0], 13: b[1], 14: b[2], 15: b[3]})
		res.Answers = append(res.Answers, Answer{Name: ans.Name, Type: "AAAA", TTL: ans.TTL, Value: v6.String(), RRType: TypeAAAA})
		n++
	}
	if n > 0 {
		res.tracef("DNS64 is on for %s: %d AAAA record(s) synthesized from the A answer in 64:ff9b::/96 (R7.5)", s.dns64.ID, n)
	}
}

var (
	linkLocalDNS = netip.MustParseAddr("169.254.169.253")
	ipv6DNS      = netip.MustParseAddr("fd00:ec2::253")
)

// candidates lists the servers a client in v tries, from its VPC's DHCP
// option set (R7) unless the vantage gives them.
func (r *Resolver) candidates(v Vantage, res *Result) ([]Candidate, bool) {
	if v.Servers != nil {
		if len(v.Servers) == 0 {
			res.tracef("%s gives its clients no DNS servers: the device keeps its own (R6.1)", v)
			res.Rcode, res.Reason = Unknown, fmt.Sprintf("%s pushes no DNS servers, so the device's own servers answer, and they are not known (R6.1)", v)
			return nil, false
		}
		names := make([]string, len(v.Servers))
		for i, c := range v.Servers {
			names[i] = c.Addr.String()
		}
		res.tracef("DNS servers of %s: %s", v, strings.Join(names, ", "))
		return v.Servers, true
	}
	if v.VPC == nil {
		res.Rcode, res.Reason = Unknown, fmt.Sprintf("%s is in no VPC of the sources", v)
		return nil, false
	}
	vpc := v.VPC
	plus2, hasPlus2 := vpc.DNSServerAddr()
	amazon := func() []Candidate {
		if !hasPlus2 {
			return []Candidate{{Addr: linkLocalDNS, Kind: KindAmazonProvided}}
		}
		return []Candidate{{Addr: plus2, Kind: KindAmazonProvided}}
	}
	switch vpc.DHCPOptionsID {
	case model.DHCPOptionsNone:
		res.tracef("%s has no DHCP option set: instances get no DNS server (R7.2)", vpc.ID)
		res.Rcode, res.Reason = Timeout, fmt.Sprintf("%s has no DHCP option set, so there is no DNS server to ask (R7.2)", vpc.ID)
		return nil, false
	case model.DHCPOptionsDefault:
		res.tracef("%s uses the default DHCP option set: domain-name-servers=AmazonProvidedDNS (R7.1)", vpc.ID)
		return amazon(), true
	case "":
		res.tracef("the sources do not say which DHCP option set %s uses: assuming the region's default, domain-name-servers=AmazonProvidedDNS (R7.1)", vpc.ID)
		return amazon(), true
	}
	opts, ok := r.n.DHCPOptions.Get(vpc.DHCPOptionsID)
	if !ok {
		res.tracef("DHCP option set %s of %s is not in the sources: assuming domain-name-servers=AmazonProvidedDNS", vpc.DHCPOptionsID, vpc.ID)
		return amazon(), true
	}
	var out []Candidate
	for _, s := range opts.DomainNameServers {
		if strings.EqualFold(strings.TrimSpace(s), "AmazonProvidedDNS") {
			out = append(out, amazon()...)
			continue
		}
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			res.tracef("DHCP option set %s: domain-name-servers entry %q is not an address: skipped", opts.ID, s)
			continue
		}
		out = append(out, Candidate{Addr: a})
	}
	res.tracef("DHCP option set %s of %s: domain-name-servers=%s (R7.2)", opts.ID, vpc.ID, strings.Join(opts.DomainNameServers, ","))
	if len(out) == 0 {
		res.Rcode, res.Reason = Timeout, fmt.Sprintf("DHCP option set %s lists no DNS server (R7.2)", opts.ID)
		return nil, false
	}
	return out, true
}

// reachKey identifies a path question, for the cache.
type reachKey struct {
	from string
	addr netip.Addr
	to   netip.Addr
	port uint16
}

type reachAnswer struct {
	verdict Verdict
	why     string
}

// reach asks the Reacher for udp/port, then tcp/port. Answers are cached:
// the network does not change while a Resolver lives.
func (r *Resolver) reach(ctx context.Context, from Vantage, to netip.Addr, port uint16) (Verdict, string) {
	key := reachKey{from: string(from.Kind) + "/" + from.String() + "/" + from.Ref, addr: from.Addr, to: to, port: port}
	if a, ok := r.reachCache.Load(key); ok {
		ans := a.(reachAnswer)
		return ans.verdict, ans.why
	}
	v, why := r.reachUncached(ctx, from, to, port)
	if ctx.Err() == nil {
		r.reachCache.Store(key, reachAnswer{v, why})
	}
	return v, why
}

func (r *Resolver) reachUncached(ctx context.Context, from Vantage, to netip.Addr, port uint16) (Verdict, string) {
	vu, ru := r.reacher.Reach(ctx, from, to, model.ProtoUDP, port)
	if vu == Reachable {
		return Reachable, fmt.Sprintf("udp/%d: %s", port, ru)
	}
	vt, rt := r.reacher.Reach(ctx, from, to, model.ProtoTCP, port)
	switch {
	case vt == Reachable:
		return Reachable, fmt.Sprintf("tcp/%d: %s (udp/%d: %s)", port, rt, port, ru)
	case vu == Possibly:
		return Possibly, fmt.Sprintf("udp/%d: %s", port, ru)
	case vt == Possibly:
		return Possibly, fmt.Sprintf("tcp/%d: %s", port, rt)
	}
	return Unreachable, fmt.Sprintf("udp/%d: %s; tcp/%d: %s", port, ru, port, rt)
}

// chooseServer picks the first server the vantage can reach and the view
// that answers for it. ok is false when the result is already decided
// (no server, none reachable, a server outside the model).
func (r *Resolver) chooseServer(ctx context.Context, v Vantage, res *Result) (vw *view, inbound, ok bool) {
	if v.Kind == FromInboundEndpoint && v.InboundEndpoint != nil {
		ep := v.InboundEndpoint
		if !v.Addr.IsValid() {
			res.Rcode, res.Reason = Unknown, fmt.Sprintf("the addresses of inbound endpoint %s are not in the sources", ep.ID)
			return nil, false, false
		}
		// On-premises forwarders list every address of the endpoint; any
		// one that can be reached will do (R5.1).
		addrs := []netip.Addr{v.Addr}
		for _, ip := range ep.IPAddresses {
			if ip.IP.IsValid() && ip.IP != v.Addr {
				addrs = append(addrs, ip.IP)
			}
		}
		var first *Server
		for _, a := range addrs {
			srv := &Server{Address: a.String(), Kind: KindInboundEndpoint}
			verdict, why := r.reach(ctx, Vantage{Kind: FromOnPremises, Ref: "on-premises"}, a, 53)
			srv.Verdict, srv.Reason, srv.Reachable = verdict, why, verdict != Unreachable
			res.tracef("query from on-premises to inbound endpoint %s at %s: %s (%s) (R5.1, R5.2)", ep.ID, a, verdict, why)
			if first == nil {
				first = srv
			}
			if srv.Reachable {
				res.Server = srv
				break
			}
		}
		if res.Server == nil {
			res.Server = first
			res.Rcode, res.Reason = Timeout, fmt.Sprintf("no address of inbound endpoint %s can be reached from on-premises: %s", ep.ID, first.Reason)
			return nil, false, false
		}
		vw = r.views[ep.VPCID]
		if vw == nil {
			res.Rcode, res.Reason = Unknown, fmt.Sprintf("VPC %s of inbound endpoint %s is not in the sources", ep.VPCID, ep.ID)
			return nil, false, false
		}
		res.tracef("resolved as %s, the inbound endpoint's VPC: its private hosted zones, rules and DNS Firewall apply (R2.9)", ep.VPCID)
		return vw, true, true
	}
	cands, ok := r.candidates(v, res)
	if !ok {
		return nil, false, false
	}
	for i, c := range cands {
		srv, w, viaInbound, decided := r.tryServer(ctx, v, c, res)
		if i == 0 || srv.Reachable {
			res.Server = srv
		}
		if !srv.Reachable {
			continue
		}
		if decided {
			return nil, false, false
		}
		return w, viaInbound, true
	}
	res.Rcode = Timeout
	res.Reason = "no listed DNS server can be reached"
	res.tracef("no DNS server answers: TIMEOUT")
	return nil, false, false
}

// tryServer classifies one candidate server and checks the path to it.
// decided is true when the answer is settled without a view (a custom
// server: UNKNOWN).
func (r *Resolver) tryServer(ctx context.Context, v Vantage, c Candidate, res *Result) (srv *Server, w *view, viaInbound, decided bool) {
	a := c.Addr
	srv = &Server{Address: a.String(), Kind: c.Kind}
	inVPC := v.VPC != nil && (v.Kind == FromENI || v.Kind == FromSubnet || v.Kind == FromVPC)
	set := func(verdict Verdict, why string) {
		srv.Verdict, srv.Reason, srv.Reachable = verdict, why, verdict != Unreachable
	}
	if inVPC {
		plus2, _ := v.VPC.DNSServerAddr()
		if a == plus2 || a == linkLocalDNS || a == ipv6DNS {
			srv.Kind = KindAmazonProvided
			own := r.views[v.VPC.ID]
			switch own.support {
			case model.False:
				set(Unreachable, "enableDnsSupport is false: the Amazon DNS server of "+v.VPC.ID+" does not answer (R1.5)")
			case model.UnknownFlag:
				set(Possibly, "enableDnsSupport of "+v.VPC.ID+" is not known (R1.5)")
			default:
				set(Reachable, "the Amazon DNS server is never filtered by security groups or network ACLs (R1.8)")
			}
			res.tracef("server %s: Amazon DNS of %s, %s: %s", a, v.VPC.ID, srv.Verdict, srv.Reason)
			return srv, own, false, false
		}
	}
	if a == linkLocalDNS || a == ipv6DNS {
		srv.Kind = KindAmazonProvided
		set(Unreachable, "the link-local Amazon DNS address works only from an instance itself (R1.3)")
		res.tracef("server %s: %s", a, srv.Reason)
		return srv, nil, false, false
	}
	if ep := r.inbound[a]; ep != nil {
		srv.Kind = KindInboundEndpoint
		set(r.reach(ctx, v, a, 53))
		res.tracef("server %s: inbound endpoint %s of %s, path from %s: %s (%s) (R5.2)", a, ep.ID, ep.VPCID, v, srv.Verdict, srv.Reason)
		w = r.views[ep.VPCID]
		if srv.Reachable && w == nil {
			res.Rcode, res.Reason = Unknown, fmt.Sprintf("VPC %s of inbound endpoint %s is not in the sources", ep.VPCID, ep.ID)
			return srv, nil, false, true
		}
		if srv.Reachable {
			res.tracef("resolved as %s, the inbound endpoint's VPC (R2.9)", ep.VPCID)
		}
		return srv, w, true, false
	}
	if vpcs := r.amazonDNS[a]; len(vpcs) > 0 {
		srv.Kind = KindAmazonProvided
		target := vpcs[0]
		if v.Kind == FromClientVPN && v.VPC != nil {
			for _, x := range vpcs {
				if x.ID == v.VPC.ID {
					target = x
				}
			}
		}
		if v.Kind == FromClientVPN && v.VPC != nil && target.ID == v.VPC.ID {
			// Through the tunnel into the VPC: the path decides; the
			// query is resolved as the VPC, not as an inbound endpoint
			// query (R6.2, R4.5 edge).
			set(r.reach(ctx, v, a, 53))
			res.tracef("server %s: Amazon DNS of %s, path from %s: %s (%s) (R6.2)", a, target.ID, v, srv.Verdict, srv.Reason)
			w = r.views[target.ID]
			if srv.Reachable && w.support == model.False {
				set(Unreachable, "enableDnsSupport is false: the Amazon DNS server of "+target.ID+" does not answer (R1.5)")
			}
			return srv, w, false, false
		}
		set(Unreachable, fmt.Sprintf("%s is the Amazon DNS server of %s, which serves only that VPC; other networks must use an inbound endpoint (R1.4)", a, target.ID))
		res.tracef("server %s: %s", a, srv.Reason)
		return srv, nil, false, false
	}
	if srv.Kind == "" {
		srv.Kind = KindCustom
	}
	set(r.reach(ctx, v, a, 53))
	res.tracef("server %s (%s), path from %s: %s (%s) (R7.3)", a, srv.Kind, v, srv.Verdict, srv.Reason)
	if srv.Reachable {
		what := "a DNS server outside the sources"
		if enis := r.n.InterfacesByAddress(a); len(enis) > 0 {
			what = "a DNS server on " + enis[0].ID + ", whose configuration is not in the sources"
		}
		res.Rcode = Unknown
		res.Reason = fmt.Sprintf("%s answers: %s; private hosted zones, EC2 names and endpoint private DNS are visible only if it forwards them to an Amazon DNS server (R7.3)", a, what)
		if srv.Verdict == Possibly {
			res.Reason += "; the path to it is possibly-reachable: " + srv.Reason
		}
		res.AnsweredBy = &AnsweredBy{Kind: ByPublic, ID: a.String()}
		return srv, nil, false, true
	}
	return srv, nil, false, false
}

// resolveIn runs a VPC's resolver on a name: DNS Firewall, then the most
// specific rule (R2.3, R2.4, R2.5).
func (r *Resolver) resolveIn(q *query, name string, t Type, res *Result) {
	if err := q.ctx.Err(); err != nil {
		q.failf(res, ServFail, "cancelled: %v", err)
		return
	}
	if !q.alias && r.firewall(q, name, t, res) {
		return
	}
	if q.v.anyDomain != "" {
		res.tracef("%s rule set: %s, so it may capture %s", q.v.vpc.ID, q.v.anyDomain, name)
		q.unknownf(res, "%s", q.v.anyDomain)
		return
	}
	system := ""
	for d := name; ; d = parent(d) {
		if s := q.v.rules[d]; s != nil {
			if s.inactive != "" && s.auto == nil {
				res.tracef("no rule for %s: %s", d, s.inactive)
			}
			if s.maybe != "" && system == "" {
				res.tracef("%s rule set: %s; it would be the most specific match for %s", q.v.vpc.ID, s.maybe, d)
				q.unknownf(res, "%s", s.maybe)
				return
			}
			if c := s.custom; c != nil {
				switch strings.ToUpper(c.RuleType) {
				case "FORWARD":
					if system == "" {
						tie := ""
						if s.auto != nil {
							tie = "; it has the same name as an autodefined rule and custom rules win ties (R2.4)"
						}
						res.tracef("%s rule set: FORWARD rule %s for %s is the most specific match (R2.3)%s", q.v.vpc.ID, c.ID, d, tie)
						r.forward(q, c, name, t, res)
						return
					}
					res.tracef("FORWARD rule %s for %s is less specific than SYSTEM rule for %s: ignored (R2.5)", c.ID, d, system)
				case "SYSTEM":
					if system == "" {
						system = d
						res.tracef("%s rule set: SYSTEM rule %s for %s: the resolver answers this sub-tree itself, ignoring less specific FORWARD rules (R2.5)", q.v.vpc.ID, c.ID, d)
					}
				case "RECURSIVE":
					if system == "" {
						res.tracef("%s rule set: RECURSIVE rule %s for %s: public recursion (R5.4)", q.v.vpc.ID, c.ID, d)
						r.public(q, name, t, res)
						return
					}
				}
			}
			if a := s.auto; a != nil {
				if a.inboundOnly && !q.inbound {
					res.tracef("private DNS of %s for %s applies only to queries through an inbound endpoint (PrivateDnsOnlyForInboundResolverEndpoint, R4.5): skipped", a.ep.ID, d)
				} else {
					r.auto(q, d, a, name, t, res)
					return
				}
			}
		}
		if d == "." {
			break
		}
	}
	res.tracef("%s rule set: no more specific rule matches %s, so the \".\" rule (Internet Resolver) applies (R2.2)", q.v.vpc.ID, name)
	r.public(q, name, t, res)
}

func (r *Resolver) auto(q *query, d string, a *autoRule, name string, t Type, res *Result) {
	switch a.kind {
	case rulePHZ:
		res.tracef("%s rule set: autodefined rule of private hosted zone %s (%s) is the most specific match (R2.3); only this zone is searched (R2.6)", q.v.vpc.ID, a.zone.id, d)
		q.decide(res, ByPrivateHostedZone, a.zone.id)
		r.zoneAnswer(q, a.zone, name, t, res, true)
	case ruleEndpoint:
		via := "from inside the VPC"
		if q.inbound {
			via = "through an inbound endpoint"
		}
		res.tracef("%s rule set: managed private hosted zone of %s for %s (private DNS, %s) is the most specific match (R4.2)", q.v.vpc.ID, a.ep.ID, d, via)
		q.decide(res, ByEndpointPrivate, a.ep.ID)
		r.zoneAnswer(q, a.zone, name, t, res, true)
	case ruleEC2Private, ruleEC2Public:
		r.ec2(q, d, a.kind, name, t, res)
	case ruleReverse:
		r.reverse(q, d, name, t, res)
	case ruleLocalhost:
		r.localhost(q, name, t, res)
	}
}

// zoneAnswer looks a name up in one zone and answers from it alone.
func (r *Resolver) zoneAnswer(q *query, z *zone, name string, t Type, res *Result, private bool) {
	if z.unknown != "" {
		res.tracef("%s", z.unknown)
		q.unknownf(res, "%s", z.unknown)
		return
	}
	st, n, set, wild := z.lookup(name, t)
	if (st == zoneNXDomain || st == zoneNoData) && z.unknownNames != "" {
		res.tracef("%s: no %s record for %s in the sources, but some record names of the zone are not known: %s", z.id, t, name, z.unknownNames)
		q.unknownf(res, "%s: some record names are not known (%s)", z.id, z.unknownNames)
		return
	}
	if wild {
		res.tracef("%s: no record named %s, the wildcard record answers", z.id, name)
	}
	switch st {
	case zoneNXDomain:
		res.Rcode = NXDomain
		if private {
			res.tracef("%s has no record named %s: NXDOMAIN, with no fallback to public DNS or to a less specific zone (R2.6)", z.id, name)
		} else {
			res.tracef("%s has no record named %s: NXDOMAIN", z.id, name)
		}
	case zoneNoData:
		res.Rcode = NoError
		if private && r.opts.NXDomainForOtherTypes && len(n.sets) > 0 {
			res.Rcode = NXDomain
			res.tracef("%s: %s exists with %s but has no %s record: NXDOMAIN, as AWS documents (R2.6)", z.id, name, n.types(), t)
			return
		}
		if len(n.sets) == 0 {
			res.tracef("%s: %s exists only as a parent of other records and has no %s record: NODATA (NOERROR, no records)", z.id, name, t)
		} else {
			res.tracef("%s: %s exists with %s but has no %s record: NODATA (NOERROR, no records); AWS documents NXDOMAIN for this case (R2.6, open question)", z.id, name, n.types(), t)
		}
	case zoneCNAME:
		rec := set.records[0]
		if why, ok := z.unknownSets[Canonical(rec.Name)+" CNAME"]; ok || len(rec.Values) == 0 {
			if why == "" {
				why = "no value in the sources"
			}
			res.tracef("%s: %s is a CNAME whose target is not known: %s", z.id, name, why)
			q.unknownf(res, "the CNAME target of %s in %s is not known: %s", name, z.id, why)
			return
		}
		if len(rec.Values) == 0 {
			q.failf(res, ServFail, "CNAME record %s in %s has no value", name, z.id)
			return
		}
		target := Canonical(rec.Values[0])
		res.Rcode = NoError
		res.Answers = append(res.Answers, Answer{Name: name, Type: "CNAME", TTL: rec.TTL, Value: target, RRType: TypeCNAME})
		res.tracef("%s: %s is a CNAME to %s", z.id, name, target)
		r.follow(q, target, t, res)
	case zoneAnswer:
		sets := n.sets
		if set != nil {
			sets = []*rrset{set}
		}
		res.Rcode = NoError
		for _, s := range sets {
			r.records(q, z, name, s, res)
		}
	}
}

// records adds one record set's answers, following alias records.
func (r *Resolver) records(q *query, z *zone, owner string, s *rrset, res *Result) {
	if len(s.records) > 1 {
		res.tracef("%s: %d record sets for %s %s (routing policy %s): the live answer picks among them; all are listed", z.id, len(s.records), owner, s.typ, s.records[0].RoutingPolicy)
	}
	for _, rec := range s.records {
		if why, ok := z.unknownSets[Canonical(rec.Name)+" "+s.typ.String()]; ok || (rec.Alias == nil && len(rec.Values) == 0) {
			if why == "" {
				why = "the record has no value in the sources"
			}
			res.tracef("%s: %s %s record found, but its values are not known: %s", z.id, owner, s.typ, why)
			q.unknownf(res, "the values of %s %s in %s are not known: %s", owner, s.typ, z.id, why)
			continue
		}
		if rec.Alias != nil {
			r.alias(q, owner, rec, s.typ, res)
			continue
		}
		for _, val := range rec.Values {
			res.Answers = append(res.Answers, Answer{Name: owner, Type: s.typ.String(), TTL: rec.TTL, Value: val, RRType: s.typ})
		}
		if len(rec.Values) > 0 {
			res.tracef("%s: %s %s record found (%d value(s))", z.id, owner, s.typ, len(rec.Values))
		}
	}
}

// alias resolves a Route 53 alias record to resources the model knows.
func (r *Resolver) alias(q *query, owner string, rec *model.Record, t Type, res *Result) {
	target := Canonical(rec.Alias.DNSName)
	lbName := strings.TrimPrefix(target, "dualstack.")
	if lb := r.lbs[lbName]; lb != nil {
		res.tracef("%s is an alias to load balancer %s (%s)", owner, lb.Label(), lbName)
		r.lbAnswer(q, owner, lb, t, res)
		return
	}
	if en := r.endpointNames[target]; en != nil {
		res.tracef("%s is an alias to the DNS name of %s (R4.1)", owner, en.ep.ID)
		r.endpointAnswer(q, owner, en, t, res)
		return
	}
	if q.depth >= r.opts.MaxDepth {
		q.failf(res, ServFail, "alias chain longer than %d", r.opts.MaxDepth)
		return
	}
	res.tracef("%s is an alias to %s: resolving the target", owner, target)
	sub := &Result{Answers: []Answer{}, noTrace: res.noTrace}
	q2 := *q
	q2.depth++
	q2.alias = true
	r.resolveIn(&q2, target, t, sub)
	for _, l := range sub.Trace {
		res.Trace = append(res.Trace, "  "+l)
	}
	for _, a := range sub.Answers {
		if a.RRType == t {
			a.Name = owner
			res.Answers = append(res.Answers, a)
		}
	}
	if sub.Rcode != NoError && sub.Rcode != "" {
		res.Rcode = sub.Rcode
		if res.Reason == "" {
			res.Reason = sub.Reason
		}
	}
}

// lbAnswer answers with a load balancer's addresses, when the sources
// know them (NLB static and private addresses).
func (r *Resolver) lbAnswer(q *query, owner string, lb *model.LoadBalancer, t Type, res *Result) {
	if len(lb.Addresses) == 0 {
		q.unknownf(res, "the addresses of load balancer %s are assigned by AWS and not in the sources", lb.ID)
		return
	}
	if res.Rcode == "" {
		res.Rcode = NoError
	}
	for _, a := range lb.Addresses {
		if (t == TypeA && a.Is4()) || (t == TypeAAAA && a.Is6()) {
			res.Answers = append(res.Answers, Answer{Name: owner, Type: t.String(), TTL: endpointTTL, Value: a.String(), RRType: t})
		}
	}
}

// follow resolves a CNAME target from the same resolver; DNS Firewall
// inspects it again (INSPECT_REDIRECTION_DOMAIN, the default, R2.10).
func (r *Resolver) follow(q *query, target string, t Type, res *Result) {
	if q.depth >= r.opts.MaxDepth {
		q.failf(res, ServFail, "CNAME chain longer than %d", r.opts.MaxDepth)
		res.tracef("CNAME chain longer than %d: SERVFAIL", r.opts.MaxDepth)
		return
	}
	if slices.Contains(q.chain, target) || target == res.Name {
		q.failf(res, ServFail, "CNAME loop through %s", target)
		res.tracef("CNAME loop: %s was already visited: SERVFAIL", target)
		return
	}
	q2 := *q
	q2.depth++
	q2.chain = append(slices.Clip(q.chain), target)
	res.tracef("following the CNAME to %s", target)
	r.resolveIn(&q2, target, t, res)
}

// endpointAnswer answers with an interface endpoint's ENI addresses.
func (r *Resolver) endpointAnswer(q *query, owner string, en *endpointName, t Type, res *Result) {
	if en.unknown != "" {
		q.unknownf(res, "%s", en.unknown)
		res.tracef("%s", en.unknown)
		return
	}
	res.Rcode = NoError
	var addrs []netip.Addr
	switch t {
	case TypeA:
		addrs = en.v4
	case TypeAAAA:
		addrs = en.v6
	}
	for _, a := range addrs {
		res.Answers = append(res.Answers, Answer{Name: owner, Type: t.String(), TTL: endpointTTL, Value: a.String(), RRType: t})
	}
	if len(addrs) == 0 {
		res.tracef("%s has no %s address: NODATA", en.ep.ID, t)
	}
}

// public answers what public DNS would, from what the sources hold:
// endpoint names (R4.1), EC2 public names (R3.4), public hosted zones;
// anything else is UNKNOWN.
func (r *Resolver) public(q *query, name string, t Type, res *Result) {
	for d := name; d != "."; d = parent(d) {
		en := r.endpointNames[d]
		if en == nil {
			continue
		}
		if d != name && (en.zonal != "" || !strings.HasSuffix(en.ep.ServiceName, ".s3")) {
			break
		}
		kind := "regional"
		if en.zonal != "" {
			kind = "zonal (" + en.zonal + ")"
		}
		res.tracef("public DNS: %s is the %s DNS name of interface endpoint %s, which answers the ENI addresses from any network (R4.1)", d, kind, en.ep.ID)
		q.decide(res, ByEndpointDNS, en.ep.ID)
		r.endpointAnswer(q, name, en, t, res)
		return
	}
	if r.ec2PublicOutside(q, name, t, res) {
		return
	}
	if lb := r.lbs[strings.TrimPrefix(name, "dualstack.")]; lb != nil {
		res.tracef("public DNS: %s is the DNS name of load balancer %s", name, lb.Label())
		q.decide(res, ByPublic, lb.ID)
		r.lbAnswer(q, name, lb, t, res)
		return
	}
	for d := name; ; d = parent(d) {
		if why := r.publicConflict[d]; why != "" {
			res.tracef("public DNS: %s", why)
			q.decide(res, ByPublic, "")
			q.unknownf(res, "%s", why)
			return
		}
		if z := r.publicZones[d]; z != nil {
			res.tracef("public DNS: public hosted zone %s (%s) in the sources answers (assuming it is the delegated zone)", z.id, z.name)
			q.decide(res, ByPublic, z.id)
			r.zoneAnswer(q, z, name, t, res, false)
			return
		}
		if d == "." {
			break
		}
	}
	q.decide(res, ByPublic, "")
	q.unknownf(res, "%s is resolved by public DNS, which lies outside the sources", name)
	res.tracef("public DNS: no source describes %s: UNKNOWN", name)
}

// ec2PublicOutside answers an EC2 public name queried where no autodefined
// EC2 rule applies: public DNS answers the public IP (R3.4).
func (r *Resolver) ec2PublicOutside(q *query, name string, t Type, res *Result) bool {
	label := firstLabel(name)
	rest, ok := strings.CutPrefix(label, "ec2-")
	if !ok || !isEC2PublicDomain(parent(name)) {
		return false
	}
	p, ok := ipFromDashed(rest)
	if !ok {
		return false
	}
	eni, ok := r.n.InterfaceByPublicIP(p)
	if !ok {
		return false
	}
	q.decide(res, ByEC2Hostname, ownerOf(eni))
	w := r.views[eni.VPCID]
	if w != nil && (w.support == model.False || w.hostnames == model.False) {
		res.Rcode = NXDomain
		res.tracef("public DNS: %s would be the public name of %s, but its VPC %s has enableDnsSupport=%s, enableDnsHostnames=%s, so no public name exists (R3.4)", name, eni.ID, eni.VPCID, w.support, w.hostnames)
		return true
	}
	res.Rcode = NoError
	res.tracef("public DNS: %s is the public name of %s: outside its VPC it answers the public IP (R3.4)", name, eni.ID)
	if t == TypeA {
		res.Answers = append(res.Answers, Answer{Name: name, Type: "A", TTL: endpointTTL, Value: p.String(), RRType: TypeA})
	}
	return true
}

func isEC2PublicDomain(d string) bool {
	if d == "compute-1.amazonaws.com." {
		return true
	}
	rest, ok := strings.CutSuffix(d, ".compute.amazonaws.com.")
	if !ok {
		rest, ok = strings.CutSuffix(d, ".compute.amazonaws.com.cn.")
	}
	return ok && rest != "" && !strings.Contains(rest, ".")
}

func ownerOf(eni *model.NetworkInterface) string {
	if eni.OwnerID != "" {
		return eni.OwnerID
	}
	return eni.ID
}

// forward sends the query through a FORWARD rule's outbound endpoint to
// its targets (§9.3).
func (r *Resolver) forward(q *query, rule *model.ResolverRule, name string, t Type, res *Result) {
	q.decide(res, ByResolverRule, rule.ID)
	if len(rule.TargetIPs) == 0 {
		q.unknownf(res, "the targets of FORWARD rule %s are not in the sources", rule.ID)
		res.tracef("FORWARD rule %s lists no target", rule.ID)
		return
	}
	var froms []Vantage
	ep, ok := r.n.ResolverEndpoints.Get(rule.ResolverEndpointID)
	if ok {
		for _, ip := range ep.IPAddresses {
			f := Vantage{Kind: FromENI, Ref: ep.ID, Addr: ip.IP}
			f.ENI, _ = r.n.NetworkInterfaces.Get(ip.NetworkInterfaceID)
			if f.ENI == nil && ip.IP.IsValid() {
				for _, e := range r.n.InterfacesByAddress(ip.IP) {
					if e.VPCID == ep.VPCID {
						f.ENI = e
					}
				}
			}
			f.Subnet, _ = r.n.Subnets.Get(ip.SubnetID)
			f.VPC, _ = r.n.VPCs.Get(ep.VPCID)
			if f.ENI == nil {
				f.Kind = FromSubnet
			}
			froms = append(froms, f)
		}
	}
	if len(froms) == 0 {
		res.tracef("outbound endpoint %q of rule %s is not in the sources: paths to the targets cannot be checked", rule.ResolverEndpointID, rule.ID)
	}
	for _, tgt := range rule.TargetIPs {
		port := tgt.Port
		if port == 0 {
			port = 53
		}
		verdict, why := Possibly, "outbound endpoint not in the sources"
		if len(froms) > 0 {
			verdict, why = Unreachable, ""
			// The targets see the endpoint's addresses as the source; any
			// endpoint address that gets through will do (R5.3).
			for _, f := range froms {
				v, w := r.reach(q.ctx, f, tgt.IP, port)
				if v == Reachable || (v == Possibly && verdict == Unreachable) {
					verdict, why = v, fmt.Sprintf("from %s (%s): %s", f.Addr, f, w)
				} else if verdict == Unreachable {
					why += fmt.Sprintf("from %s: %s; ", f.Addr, w)
				}
				if verdict == Reachable {
					break
				}
			}
		}
		res.tracef("target %s:%d via outbound endpoint %s: %s (%s) (R5.3)", tgt.IP, port, rule.ResolverEndpointID, verdict, strings.TrimSuffix(why, "; "))
		if verdict == Unreachable {
			continue
		}
		if ie := r.inbound[tgt.IP]; ie != nil {
			w := r.views[ie.VPCID]
			chain := append(slices.Clip(q.forwardedBy), q.v.vpc.ID)
			if w != nil && slices.Contains(chain, w.vpc.ID) {
				q.failf(res, ServFail, "forwarding loop: rule %s sends %s to inbound endpoint %s in %s, whose resolver already forwarded it (R5.7)", rule.ID, name, ie.ID, w.vpc.ID)
				res.tracef("%s", res.Reason)
				return
			}
			if w == nil {
				q.unknownf(res, "VPC %s of inbound endpoint %s is not in the sources", ie.VPCID, ie.ID)
				return
			}
			if q.depth >= r.opts.MaxDepth {
				q.failf(res, ServFail, "forwarding chain longer than %d", r.opts.MaxDepth)
				return
			}
			res.tracef("target %s is inbound endpoint %s: resolved as %s (R2.9)", tgt.IP, ie.ID, w.vpc.ID)
			q2 := &query{ctx: q.ctx, v: w, inbound: true, depth: q.depth + 1, forwardedBy: chain}
			r.resolveIn(q2, name, t, res)
			return
		}
		q.unknownf(res, "forwarded by rule %s to %s:%d, a server outside the sources (§9.3)", rule.ID, tgt.IP, port)
		if verdict == Possibly {
			res.Reason += "; the path there is possibly-reachable: " + why
		}
		return
	}
	q.failf(res, ServFail, "no target of FORWARD rule %s can be reached from its outbound endpoint (R5.3)", rule.ID)
	res.tracef("no forwarding target answers: SERVFAIL")
}
