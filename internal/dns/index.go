package dns

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Resolver answers DNS queries over one finalized network. Build it once
// with New; Resolve is then safe for concurrent use.
type Resolver struct {
	n       *model.Network
	reacher Reacher
	opts    Options

	views map[string]*view // by VPC ID
	// inbound maps the addresses of inbound endpoints to them.
	inbound map[netip.Addr]*model.ResolverEndpoint
	// amazonDNS maps each VPC's base+2 address to the VPC (R1.1).
	amazonDNS map[netip.Addr][]*model.VPC
	// public holds the public hosted zones of the sources by name.
	publicZones map[string]*zone
	// publicConflict says why the public zones of a name disagree.
	publicConflict map[string]string
	// endpointNames holds interface endpoints' regional and zonal names (R4.1).
	endpointNames map[string]*endpointName
	// lbs maps load balancer DNS names to them.
	lbs map[string]*model.LoadBalancer
	// reachCache holds the Reacher's answers (reachKey -> reachAnswer).
	reachCache sync.Map
}

// Options tune a Resolver.
type Options struct {
	// MaxDepth bounds CNAME chains, aliases and forwarding hops (default 8).
	MaxDepth int
	// NXDomainForOtherTypes answers NXDOMAIN, as the Route 53 documentation
	// says, instead of NODATA for a private hosted zone name that exists
	// with other record types only (R2.6, open question 4).
	NXDomainForOtherTypes bool
}

// endpointName is a regional or zonal endpoint DNS name and its addresses.
type endpointName struct {
	ep      *model.VPCEndpoint
	zonal   string // the AZ of a zonal name, "" for regional
	v4, v6  []netip.Addr
	unknown string
}

// ruleKind is the kind of a rule in a VPC's rule set.
type ruleKind int

const (
	ruleForward ruleKind = iota
	ruleSystem
	ruleRecursive
	rulePHZ
	ruleEndpoint
	ruleEC2Private
	ruleEC2Public
	ruleReverse
	ruleLocalhost
)

// autoRule is an autodefined rule (R2.2).
type autoRule struct {
	kind ruleKind
	zone *zone              // PHZ or endpoint managed zone
	ep   *model.VPCEndpoint // ruleEndpoint
	// inboundOnly is R4.5's option: the rule applies only to queries that
	// arrive through an inbound endpoint.
	inboundOnly bool
}

// slot holds the rules of one domain in a VPC's rule set.
type slot struct {
	custom *model.ResolverRule
	auto   *autoRule
	// inactive explains a rule that would exist here but does not (private
	// DNS without the VPC's DNS attributes, ...), for the trace.
	inactive string
	// maybe says why a custom rule may or may not be associated here (its
	// association names a VPC the sources cannot fix).
	maybe string
}

// view is one VPC's resolver: its rule set and firewall.
type view struct {
	vpc       *model.VPC
	region    string
	support   model.Flag
	hostnames model.Flag
	rules     map[string]*slot
	firewall  []fwRule
	// ec2Private and ec2Public are the EC2 domains of the VPC's region.
	ec2Private []string
	ec2Public  string
	notes      []string
	// anyDomain says why a custom rule of unknown domain is associated: it
	// may capture any name.
	anyDomain string
	// connected are the VPCs joined by an active peering or a transit
	// gateway with DNS support, whose reverse zones this VPC answers (R2.2).
	connected map[string]bool
}

// New indexes a finalized network. reacher answers the network paths DNS
// needs; nil means NoPathEngine.
func New(n *model.Network, reacher Reacher, opts Options) *Resolver {
	if reacher == nil {
		reacher = NoPathEngine
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 8
	}
	r := &Resolver{
		n: n, reacher: reacher, opts: opts,
		views:          map[string]*view{},
		inbound:        map[netip.Addr]*model.ResolverEndpoint{},
		amazonDNS:      map[netip.Addr][]*model.VPC{},
		publicZones:    map[string]*zone{},
		publicConflict: map[string]string{},
		endpointNames:  map[string]*endpointName{},
		lbs:            map[string]*model.LoadBalancer{},
	}
	for _, e := range n.ResolverEndpoints.All() {
		if e.IsInbound() {
			for _, ip := range e.IPAddresses {
				if ip.IP.IsValid() {
					r.inbound[ip.IP] = e
				}
				if ip.IPv6.IsValid() {
					r.inbound[ip.IPv6] = e
				}
			}
		}
	}
	for _, lb := range n.LoadBalancers.All() {
		if lb.DNSName != "" {
			r.lbs[Canonical(lb.DNSName)] = lb
		}
	}
	for _, ep := range n.VPCEndpoints.All() {
		r.indexEndpointNames(ep)
	}
	zones := map[string]*zone{}
	for _, hz := range n.HostedZones.All() {
		z := newZone(hz.ID, hz.ZoneName)
		for i := range hz.Records {
			z.add(&hz.Records[i])
		}
		if !hz.RecordsKnown {
			z.unknown = fmt.Sprintf("the records of hosted zone %s are not in the sources", hz.ID)
		}
		z.noteUnknowns(hz.Unknowns)
		zones[hz.ID] = z
		if !hz.Private {
			if old, ok := r.publicZones[z.name]; ok {
				// Public zones may share a name; the parent's delegation,
				// which the sources do not hold, picks the one that
				// answers: definite only when they agree.
				if o, ok2 := n.HostedZones.Get(old.id); ok2 && !sameRecords(o, hz) {
					r.publicConflict[z.name] = fmt.Sprintf("public hosted zones %s and %s have the same name %s and different records; the parent domain's delegation, which is not in the sources, decides which answers", min(old.id, hz.ID), max(old.id, hz.ID), z.name)
				}
			}
			if old, ok := r.publicZones[z.name]; !ok || hz.ID < old.id {
				r.publicZones[z.name] = z
			}
		}
	}
	for _, vpc := range n.VPCs.All() {
		v := r.newView(vpc)
		r.views[vpc.ID] = v
		if a, ok := vpc.DNSServerAddr(); ok {
			r.amazonDNS[a] = append(r.amazonDNS[a], vpc)
		}
	}
	// Private hosted zones: one autodefined rule per associated zone (R2.2).
	for _, hz := range n.HostedZones.All() {
		if !hz.Private {
			continue
		}
		z := zones[hz.ID]
		unknownVPC := false
		for _, a := range hz.VPCs {
			if a.VPCID == "" {
				unknownVPC = true
				continue
			}
			v := r.views[a.VPCID]
			if v == nil {
				continue
			}
			if !v.bothAttributes() {
				v.slot(z.name).inactive = fmt.Sprintf("private hosted zone %s is associated but the VPC's DNS attributes are enableDnsSupport=%s, enableDnsHostnames=%s; both must be true (R1.7)", hz.ID, v.support, v.hostnames)
				continue
			}
			s := v.slot(z.name)
			if s.auto != nil && s.auto.kind == rulePHZ {
				// Two zones of one name cannot be associated with one VPC
				// (R2.8a): AWS refused whichever came second, and the
				// sources do not say which that was. The first by ID
				// stands for both when their records agree; otherwise
				// the answer depends on it.
				v.notes = append(v.notes, fmt.Sprintf("private hosted zones %s and %s have the same name %s; AWS refuses the second association (ConflictingDomainExists, R2.8a)", s.auto.zone.id, hz.ID, z.name))
				if first, ok := n.HostedZones.Get(s.auto.zone.id); ok && !sameRecords(first, hz) && s.maybe == "" {
					s.maybe = fmt.Sprintf("private hosted zones %s and %s have the same name %s and different records; only the one associated first answers (R2.8a), and the sources do not say which", s.auto.zone.id, hz.ID, z.name)
				}
				continue
			}
			s.auto = &autoRule{kind: rulePHZ, zone: z}
		}
		if unknownVPC {
			for _, v := range r.views {
				if s := v.slot(z.name); s.auto == nil || s.auto.zone != z {
					s.maybe = fmt.Sprintf("private hosted zone %s is associated with a VPC the sources cannot fix, maybe this one", hz.ID)
				}
			}
		}
	}
	// Interface endpoints with private DNS (R4.2): a managed zone in the
	// endpoint's VPC only (R4.3).
	for _, ep := range n.VPCEndpoints.All() {
		r.indexPrivateDNS(ep)
	}
	// Custom rules associated with each VPC, shared ones too (R2.2, R5.5).
	for _, a := range n.ResolverRuleAssocs.All() {
		v := r.views[a.VPCID]
		rule, ok := n.ResolverRules.Get(a.ResolverRuleID)
		if !ok || !activeStatus(a.Status) {
			continue
		}
		if a.VPCID == "" {
			// The association's VPC is unknown: the rule may apply to any VPC.
			why := fmt.Sprintf("rule %s is associated with a VPC the sources cannot fix (%s)", rule.ID, a.ID)
			for _, w := range r.views {
				if rule.DomainName == "" {
					w.anyDomain = why
				} else {
					w.slot(Canonical(rule.DomainName)).maybe = why
				}
			}
			continue
		}
		if v == nil {
			continue
		}
		if rule.DomainName == "" {
			v.anyDomain = fmt.Sprintf("%s rule %s has a domain name the sources cannot fix", rule.RuleType, rule.ID)
			continue
		}
		s := v.slot(Canonical(rule.DomainName))
		if s.custom == nil || rule.ID < s.custom.ID {
			s.custom = rule
		}
	}
	for _, v := range r.views {
		r.indexFirewall(v)
	}
	return r
}

func activeStatus(s string) bool {
	switch strings.ToUpper(s) {
	case "", "COMPLETE", "CREATING", "UPDATING", "ACTIVE", "OPERATIONAL":
		return true
	}
	return false
}

func (v *view) slot(domain string) *slot {
	s := v.rules[domain]
	if s == nil {
		s = &slot{}
		v.rules[domain] = s
	}
	return s
}

// bothAttributes reports whether enableDnsSupport and enableDnsHostnames
// may both be true (unknown counts as possibly true).
func (v *view) bothAttributes() bool { return v.support.MayBeTrue() && v.hostnames.MayBeTrue() }

// ec2Domains returns the private and public EC2 domains of a region (R2.2, R3).
func ec2Domains(region string) (private []string, public string) {
	switch {
	case region == "":
		return nil, ""
	case region == "us-east-1":
		return []string{"ec2.internal.", "compute-1.internal."}, "compute-1.amazonaws.com."
	case strings.HasPrefix(region, "cn-"):
		return []string{region + ".compute.internal."}, region + ".compute.amazonaws.com.cn."
	}
	return []string{region + ".compute.internal."}, region + ".compute.amazonaws.com."
}

// ipName returns the IP-based hostname of an address in a region (R3.1).
func ipName(a netip.Addr, region string) string {
	if region == "us-east-1" {
		return "ip-" + dashed(a) + ".ec2.internal."
	}
	return "ip-" + dashed(a) + "." + region + ".compute.internal."
}

// rfc1918 are the private IPv4 ranges whose reverse zones are autodefined.
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

func (r *Resolver) newView(vpc *model.VPC) *view {
	v := &view{vpc: vpc, region: vpc.Region, support: vpc.EnableDNSSupport, hostnames: vpc.EnableDNSHostnames, rules: map[string]*slot{}, connected: map[string]bool{}}
	v.ec2Private, v.ec2Public = ec2Domains(vpc.Region)
	r.inferAttributes(v)
	if v.support == model.UnknownFlag || v.hostnames == model.UnknownFlag {
		v.notes = append(v.notes, fmt.Sprintf("%s's DNS attributes are not known (enableDnsSupport=%s, enableDnsHostnames=%s): the answers assume true; with false, private hosted zones, EC2 names and endpoint private DNS would not apply (R1.6, R1.7)", vpc.ID, v.support, v.hostnames))
	}
	if !v.bothAttributes() {
		why := fmt.Sprintf("enableDnsSupport=%s, enableDnsHostnames=%s: the EC2, reverse and localhost autodefined rules exist only when both are true (R1.6, R1.7)", v.support, v.hostnames)
		for _, d := range v.ec2Private {
			v.slot(d).inactive = why
		}
		if v.ec2Public != "" {
			v.slot(v.ec2Public).inactive = why
		}
		return v
	}
	if vpc.Region == "" {
		v.notes = append(v.notes, "the VPC's region is not known, so its EC2 names (R3) are not modelled")
	}
	for _, d := range v.ec2Private {
		v.slot(d).auto = &autoRule{kind: ruleEC2Private}
	}
	if v.ec2Public != "" {
		v.slot(v.ec2Public).auto = &autoRule{kind: ruleEC2Public}
	}
	rev := []string{"10.in-addr.arpa.", "168.192.in-addr.arpa.", "254.169.254.169.in-addr.arpa."}
	for i := 16; i <= 31; i++ {
		rev = append(rev, fmt.Sprintf("%d.172.in-addr.arpa.", i))
	}
	cidrs := append([]netip.Prefix(nil), vpc.CIDRs...)
	for _, p := range r.n.PeeringsOf(vpc.ID) {
		if _, remote, ok := p.Side(vpc.ID); ok && p.IsActive() {
			cidrs = append(cidrs, remote.CIDRs...)
			v.connected[remote.VPCID] = true
			if rv, ok := r.n.VPCs.Get(remote.VPCID); ok {
				cidrs = append(cidrs, rv.CIDRs...)
				if rv.Region != "" && rv.Region != vpc.Region {
					// A peer in another region brings its EC2 domains (R2.2).
					pd, _ := ec2Domains(rv.Region)
					for _, d := range pd {
						v.slot(d).auto = &autoRule{kind: ruleEC2Private}
					}
				}
			}
		}
	}
	// VPCs on the same transit gateway, when it has DNS support (R2.2).
	for _, a := range r.n.TGWAttachmentsOf(vpc.ID) {
		tgw, ok := r.n.TransitGateways.Get(a.TransitGatewayID)
		if !ok || !tgw.DNSSupport {
			continue
		}
		for _, other := range r.n.TGWAttachments.All() {
			if other.TransitGatewayID == tgw.ID && other.ResourceType == "vpc" && other.ResourceID != vpc.ID {
				v.connected[other.ResourceID] = true
				if ov, ok := r.n.VPCs.Get(other.ResourceID); ok {
					cidrs = append(cidrs, ov.CIDRs...)
				}
			}
		}
	}
	for _, c := range cidrs {
		private := false
		for _, p := range rfc1918 {
			if p.Overlaps(c) && c.Bits() >= p.Bits() {
				private = true
			}
		}
		if !private {
			rev = append(rev, reverseZones(c)...)
		}
	}
	for _, d := range rev {
		v.slot(d).auto = &autoRule{kind: ruleReverse}
	}
	for _, d := range []string{"localhost.", "localdomain.", "127.in-addr.arpa.", reverseName(netip.IPv6Loopback()), reverseName(netip.IPv6Unspecified())} {
		v.slot(d).auto = &autoRule{kind: ruleLocalhost}
	}
	return v
}

// inferAttributes fixes DNS attributes the sources did not state (the
// model holds AWS's defaults, listed in Meta.Defaults): an interface
// endpoint with private DNS enabled proves both are true, since AWS
// enables private DNS only then (R4.2). Otherwise the trace says that the
// value is a default.
func (r *Resolver) inferAttributes(v *view) {
	supportDefault, hostnamesDefault := false, false
	for _, d := range v.vpc.Defaults {
		switch {
		case strings.HasPrefix(d, "EnableDnsSupport"):
			supportDefault = true
		case strings.HasPrefix(d, "EnableDnsHostnames"):
			hostnamesDefault = true
		}
	}
	if !supportDefault && !hostnamesDefault {
		return
	}
	for _, ep := range r.n.EndpointsOf(v.vpc.ID) {
		if strings.EqualFold(ep.EndpointType, "Interface") && ep.PrivateDNSEnabled == model.True {
			v.support, v.hostnames = model.True, model.True
			v.notes = append(v.notes, fmt.Sprintf("the sources do not state %s's DNS attributes; %s has private DNS enabled, which AWS allows only when enableDnsSupport and enableDnsHostnames are both true (R4.2), so both are taken as true", v.vpc.ID, ep.ID))
			return
		}
	}
	if hostnamesDefault {
		v.notes = append(v.notes, fmt.Sprintf("the sources do not state %s's enableDnsHostnames; AWS's default (%s) is assumed (R1.6)", v.vpc.ID, v.hostnames))
	}
	if supportDefault {
		v.notes = append(v.notes, fmt.Sprintf("the sources do not state %s's enableDnsSupport; AWS's default (%s) is assumed (R1.5)", v.vpc.ID, v.support))
	}
}

// endpointAddrs returns the interface endpoint's ENI addresses, optionally
// only those in one availability zone.
func (r *Resolver) endpointAddrs(ep *model.VPCEndpoint, az string) (v4, v6 []netip.Addr, unknown string) {
	if len(ep.NetworkInterfaceIDs) == 0 {
		return nil, nil, fmt.Sprintf("the network interfaces of %s are not in the sources", ep.ID)
	}
	for _, id := range ep.NetworkInterfaceIDs {
		eni, ok := r.n.NetworkInterfaces.Get(id)
		if !ok {
			return nil, nil, fmt.Sprintf("network interface %s of %s is not in the sources", id, ep.ID)
		}
		if az != "" {
			s, ok := r.n.Subnets.Get(eni.SubnetID)
			if !ok || s.AvailabilityZone != az {
				continue
			}
		}
		if len(eni.PrivateIPs) == 0 {
			return nil, nil, fmt.Sprintf("the address of %s (%s) is assigned by AWS and not in the sources", id, ep.ID)
		}
		a, _ := eni.PrimaryIP()
		v4 = append(v4, a)
		if len(eni.IPv6) > 0 {
			v6 = append(v6, eni.IPv6[0])
		}
	}
	sortAddrs(v4)
	sortAddrs(v6)
	return v4, v6, ""
}

func sortAddrs(a []netip.Addr) { sort.Slice(a, func(i, j int) bool { return a[i].Less(a[j]) }) }

// indexEndpointNames records an interface endpoint's regional and zonal
// names, which public DNS answers from anywhere with the ENI addresses (R4.1).
func (r *Resolver) indexEndpointNames(ep *model.VPCEndpoint) {
	if !strings.EqualFold(ep.EndpointType, "Interface") {
		return
	}
	azs := map[string]bool{}
	for _, sid := range ep.SubnetIDs {
		if s, ok := r.n.Subnets.Get(sid); ok && s.AvailabilityZone != "" {
			azs[s.AvailabilityZone] = true
		}
	}
	private := ""
	if p := privateDNSName(ep); p != "" {
		private = Canonical(p)
	}
	for _, e := range ep.DNSEntries {
		name := Canonical(e.DNSName)
		if name == private || !strings.Contains(name, ".vpce.") {
			continue // the private name is not public (R4.2)
		}
		az := ""
		first := firstLabel(name)
		for a := range azs {
			if strings.HasSuffix(first, "-"+a) {
				az = a
			}
		}
		v4, v6, unk := r.endpointAddrs(ep, az)
		r.endpointNames[name] = &endpointName{ep: ep, zonal: az, v4: v4, v6: v6, unknown: unk}
	}
}

// privateDNSName is the service's private DNS name: the model's, or the
// AWS service's default name derived from com.amazonaws.<region>.<service>.
func privateDNSName(ep *model.VPCEndpoint) string {
	if ep.PrivateDNSName != "" {
		return ep.PrivateDNSName
	}
	rest, ok := strings.CutPrefix(ep.ServiceName, "com.amazonaws.")
	if !ok || strings.HasPrefix(rest, "vpce.") {
		// A partner's or one's own endpoint service: its private DNS name
		// is the provider's, known only when the sources say it.
		return ""
	}
	region, svc, ok := strings.Cut(rest, ".")
	if !ok || region == "" || svc == "" {
		return ""
	}
	if strings.HasPrefix(region, "cn-") {
		return svc + "." + region + ".amazonaws.com.cn"
	}
	return svc + "." + region + ".amazonaws.com"
}

// indexPrivateDNS adds the managed zone of an interface endpoint's private
// DNS name to its VPC's rule set (R4.2, R4.5).
func (r *Resolver) indexPrivateDNS(ep *model.VPCEndpoint) {
	if !strings.EqualFold(ep.EndpointType, "Interface") || ep.PrivateDNSEnabled == model.False {
		return
	}
	v := r.views[ep.VPCID]
	name := privateDNSName(ep)
	if v == nil || name == "" {
		return
	}
	name = Canonical(name)
	apex := strings.TrimPrefix(name, "*.")
	if !v.bothAttributes() {
		v.slot(apex).inactive = fmt.Sprintf("%s has private DNS enabled but the VPC's DNS attributes are enableDnsSupport=%s, enableDnsHostnames=%s; both must be true (R4.2)", ep.ID, v.support, v.hostnames)
		return
	}
	z := newZone(ep.ID, apex)
	v4, v6, unk := r.endpointAddrs(ep, "")
	z.unknown = unk
	if ep.PrivateDNSEnabled == model.UnknownFlag {
		z.unknown = fmt.Sprintf("whether %s has private DNS enabled is not known", ep.ID)
	}
	if isEndpointService(ep) {
		// The managed zone holds a CNAME to the endpoint's regional name (R4.2).
		regional := ""
		for n, en := range r.endpointNames {
			if en.ep == ep && en.zonal == "" && (regional == "" || n < regional) {
				regional = n
			}
		}
		if regional == "" {
			z.unknown = fmt.Sprintf("the regional DNS name of %s is not in the sources", ep.ID)
		}
		z.add(&model.Record{Name: name, Type: "CNAME", TTL: endpointTTL, Values: []string{regional}})
	} else {
		addrRecords(z, name, v4, v6)
	}
	if strings.HasPrefix(ep.ServiceName, "com.amazonaws.") && strings.HasSuffix(ep.ServiceName, ".s3") && !strings.HasPrefix(name, "*.") {
		// S3's private DNS covers bucket names under the service name.
		addrRecords(z, "*."+name, v4, v6)
	}
	s := v.slot(apex)
	if s.auto != nil && s.auto.kind == rulePHZ {
		v.notes = append(v.notes, fmt.Sprintf("%s: private DNS cannot be enabled while private hosted zone %s has the same name (R4.4a)", ep.ID, s.auto.zone.id))
		return
	}
	s.auto = &autoRule{kind: ruleEndpoint, zone: z, ep: ep, inboundOnly: ep.PrivateDNSOnlyForInboundResolverEndpoint}
}

// isEndpointService reports an endpoint to a partner's or one's own
// endpoint service rather than to an AWS service.
func isEndpointService(ep *model.VPCEndpoint) bool {
	rest, ok := strings.CutPrefix(ep.ServiceName, "com.amazonaws.")
	return !ok || strings.HasPrefix(rest, "vpce.")
}

// endpointTTL is the TTL AWS gives endpoint records (seed 003 shows 60).
const endpointTTL = 60

func addrRecords(z *zone, name string, v4, v6 []netip.Addr) {
	if len(v4) > 0 {
		rec := &model.Record{Name: name, Type: "A", TTL: endpointTTL}
		for _, a := range v4 {
			rec.Values = append(rec.Values, a.String())
		}
		z.add(rec)
	}
	if len(v6) > 0 {
		rec := &model.Record{Name: name, Type: "AAAA", TTL: endpointTTL}
		for _, a := range v6 {
			rec.Values = append(rec.Values, a.String())
		}
		z.add(rec)
	}
	if len(v4) == 0 && len(v6) == 0 {
		// The name exists even when its addresses are unknown.
		z.add(&model.Record{Name: name, Type: "A", TTL: endpointTTL})
	}
}

// sameRecords reports whether two hosted zones of one name answer alike:
// both record lists known and equal, the apex SOA and NS records (which
// name each zone's own servers) aside.
func sameRecords(a, b *model.HostedZone) bool {
	if !a.RecordsKnown || !b.RecordsKnown || a.HasUnknowns() || b.HasUnknowns() {
		return false
	}
	key := func(hz *model.HostedZone) []string {
		var out []string
		for _, r := range hz.Records {
			if (r.Type == "SOA" || r.Type == "NS") && Canonical(r.Name) == Canonical(hz.ZoneName) {
				continue
			}
			vals := slices.Sorted(slices.Values(r.Values))
			alias := ""
			if r.Alias != nil {
				alias = fmt.Sprintf("%+v", *r.Alias)
			}
			out = append(out, fmt.Sprintf("%s|%s|%d|%s|%s|%s|%s", Canonical(r.Name), r.Type, r.TTL, strings.Join(vals, ","), alias, r.SetIdentifier, r.RoutingPolicy))
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}
