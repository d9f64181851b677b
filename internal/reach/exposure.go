package reach

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// More edge kinds (cli.md exposure "from.kind"): a virtual private gateway
// that only Direct Connect reaches, and Client VPN clients.
const (
	EdgeDirectConnect EdgeKind = "direct-connect"
	EdgeClientVPN     EdgeKind = "client-vpn"
	// EdgeUnknown is an edge the sources cannot name: an interface whose
	// subnet or VPC they do not hold may be reached from private networks
	// through any of them.
	EdgeUnknown EdgeKind = "unknown"
)

// Severity ranks an exposure finding the way Amazon Inspector ranks
// network reachability findings
// (https://docs.aws.amazon.com/inspector/latest/user/findings-types.html#findings-types-network):
// see ExposureSeverity and docs/exposure.md.
type Severity int

// Severities, lowest first.
const (
	SeverityLow Severity = iota + 1
	SeverityMedium
	SeverityHigh
)

func (s Severity) String() string {
	switch s {
	case SeverityHigh:
		return "high"
	case SeverityMedium:
		return "medium"
	case SeverityLow:
		return "low"
	}
	return "none"
}

// ParseSeverity reads high, medium or low.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "high":
		return SeverityHigh, nil
	case "medium":
		return SeverityMedium, nil
	case "low":
		return SeverityLow, nil
	}
	return 0, fmt.Errorf("severity %q: want high, medium or low", s)
}

// ExposedResource is what a finding is about: the resource that owns the
// interface (instance, load balancer, endpoint, ...) and the interface.
type ExposedResource struct {
	ID   string
	Type string
	// ENI is the interface traffic arrives at (empty for a load balancer
	// whose interfaces are not in the sources).
	ENI           string
	Address       netip.Addr
	PublicAddress netip.Addr
	// Origin is where the resource was read (template line or snapshot file).
	Origin model.Origin
}

// ExposureFrom is the edge a finding's connections come from.
type ExposureFrom struct {
	Kind EdgeKind
	// ID is the igw-, pcx-, tgw-attach- or vgw- ID.
	ID string
	// Sources are the remote addresses that can open the connection, merged.
	Sources []netip.Prefix
}

// ExposureFinding is one (resource, edge, protocol, port range, sources)
// that can open a connection and get the replies back.
type ExposureFinding struct {
	Resource ExposedResource
	From     ExposureFrom
	// Protocol is tcp, udp, icmp, icmpv6, all, an IP protocol number, or
	// "other" (every IP protocol but tcp, udp, icmp and icmpv6).
	Protocol string
	// Ports are the destination ports (tcp, udp), the ICMP types (icmp,
	// icmpv6), or 0-65535 for protocols without ports.
	Ports    model.PortRange
	Verdict  Verdict
	Severity Severity
	// Via is the path evidence: the components crossed in order, then
	// those the replies cross on their way back.
	Via []Hop
	// Reason says what lets the traffic in (security group rules), why
	// the verdict is only possibly-reachable, and through which load
	// balancer a target is reached.
	Reason string
	// LoadBalancer is set on a target's finding: the load balancer that
	// forwards to it.
	LoadBalancer string
}

// ExposureResult is everything reachable from outside.
type ExposureResult struct {
	Findings []ExposureFinding
	// NotCollected names, per account and region, the kinds of resource
	// the sources did not list: the answers that depend on them are
	// possibly-reachable, and resources of those kinds that are not in
	// the sources could not be examined, so no finding is no evidence.
	NotCollected []string
	// Warnings name what could not be examined (load balancer targets
	// that are not in the sources, ...).
	Warnings []string
	// Suppressed and Baselined count the findings left out of Findings
	// by reasoned suppressions and by a baseline of accepted findings:
	// left out, never silently gone.
	Suppressed, Baselined int
}

// ExposureOptions tune the computation.
type ExposureOptions struct {
	// Workers bounds the goroutines (0: GOMAXPROCS).
	Workers int
}

// Exposure computes, for every interface of the network, every
// (protocol, port range, source addresses) that can open a connection to
// it from each edge of its VPC and get the replies back: the internet
// through the internet gateway, peered VPCs, transit gateway attachments,
// VPN gateways; and for load balancers their listener ports and, through
// them, their targets. Each edge is one set-valued traversal of the engine
// (InboundFrom), never one port at a time.
func (e *Engine) Exposure(ctx context.Context, opt ExposureOptions) *ExposureResult {
	var results [][]ExposureFinding
	res := e.exposure(ctx, opt, func(n int) { results = make([][]ExposureFinding, n) }, func(i int, fs []ExposureFinding) {
		if cap(fs) > len(fs)+len(fs)/8 {
			// Held until every job is done: without the room append
			// left.
			fs = slices.Clone(fs)
		}
		results[i] = fs
	})
	if ctx.Err() != nil {
		return res
	}
	// Sort pointers to the findings (cheap to move) and copy each finding
	// once, into its place.
	total := 0
	for _, fs := range results {
		total += len(fs)
	}
	ptrs := make([]*ExposureFinding, 0, total)
	for i := range results {
		for j := range results[i] {
			ptrs = append(ptrs, &results[i][j])
		}
	}
	slices.SortStableFunc(ptrs, compareFindings)
	res.Findings = make([]ExposureFinding, total)
	for i, f := range ptrs {
		res.Findings[i] = *f
	}
	return res
}

// ExposureEach computes what Exposure does, but hands the findings over
// as they are computed instead of holding them: each is called once per
// unit of work (an interface, an instance, a load balancer with its
// targets) with that unit's number and its findings, in no particular
// order. Exposure's order is that of AppendExposureKey, findings with
// equal keys in the order of their units' numbers and then as each gave
// them. each may be called from several goroutines at once, and must not
// keep fs (its findings may be kept). The result holds the warnings and
// NotCollected, no findings. A cancelled run calls each no more and says
// so in its warnings.
func (e *Engine) ExposureEach(ctx context.Context, opt ExposureOptions, each func(unit int, fs []ExposureFinding)) *ExposureResult {
	return e.exposure(ctx, opt, func(int) {}, each)
}

// exposure runs the jobs, telling start how many there are before any
// result, and each the findings of job i as it is done.
func (e *Engine) exposure(ctx context.Context, opt ExposureOptions, start func(jobs int), each func(i int, fs []ExposureFinding)) *ExposureResult {
	x := newExposer(e)
	jobs := x.jobs()
	start(len(jobs))
	warns := make([][]string, len(jobs))
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(1, len(jobs)))
	// Jobs run one VPC after the other (their numbers keep the output
	// order), so what is cached for a VPC is dropped once the next VPC
	// starts: memory holds the caches of about one VPC, not of all.
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(jobs[a].vpc, jobs[b].vpc) })
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				k := next
				next++
				if k > 0 && k < len(order) && jobs[order[k]].vpc != jobs[order[k-1]].vpc {
					x.dropVPCCaches()
				}
				mu.Unlock()
				if k >= len(order) {
					return
				}
				i := order[k]
				fs, ws := jobs[i].run()
				warns[i] = ws
				if ctx.Err() != nil {
					return
				}
				each(i, fs)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		// Stopped: what was found is no answer.
		return &ExposureResult{Warnings: []string{"exposure stopped before every interface was examined: " + err.Error()}}
	}
	res := &ExposureResult{}
	for i := range jobs {
		res.Warnings = append(res.Warnings, warns[i]...)
	}
	res.Warnings = uniq(res.Warnings)
	res.NotCollected = e.Net.Gaps(model.ExposureCoverageKinds)
	return res
}

// exposer holds what is computed once per exposure: the memoised findings
// and the load balancers' interfaces.
type exposer struct {
	e  *Engine
	mu sync.Mutex
	// memo holds the findings of one interface per memoKey.
	memo   map[string]memoEntry
	subnet map[string][]Outcome
	rules  map[string][]describedRule
	public map[string]*publicSets
	sgSets map[string]*sgAllowed
	// admitted holds what each group lets in of each subnet's outcomes
	// (see withGroupsFast).
	admitted map[admittedKey][]Space
	// rendered holds the sources of findings as written (see sourcesOf).
	rendered map[renderedKey][]netip.Prefix
	tgwRegs  map[*model.TGWRouteTable]*tgwRegionsCache
	tgwPlans map[string]*tgwPlan
	sources  map[string]edgeSrc
	// lbENIs are the interfaces of each load balancer, by its ID.
	lbENIs map[string][]*model.NetworkInterface
	// lbOf maps a load balancer interface to its load balancer.
	lbOf map[*model.NetworkInterface]*model.LoadBalancer
}

func newExposer(e *Engine) *exposer {
	x := &exposer{e: e, memo: map[string]memoEntry{}, subnet: map[string][]Outcome{}, rules: map[string][]describedRule{}, public: map[string]*publicSets{}, sgSets: map[string]*sgAllowed{}, admitted: map[admittedKey][]Space{}, rendered: map[renderedKey][]netip.Prefix{}, tgwRegs: map[*model.TGWRouteTable]*tgwRegionsCache{}, tgwPlans: map[string]*tgwPlan{}, sources: map[string]edgeSrc{}, lbENIs: map[string][]*model.NetworkInterface{}, lbOf: map[*model.NetworkInterface]*model.LoadBalancer{}}
	n := e.Net
	// Load balancer interfaces name their owner in several ways: the
	// template's logical ID, "app/name/id" from the interface description,
	// the classic load balancer's name.
	owners := map[string]*model.LoadBalancer{}
	for _, lb := range n.LoadBalancers.All() {
		owners[lb.ID] = lb
		if i := strings.Index(lb.ID, ":loadbalancer/"); i >= 0 {
			owners[lb.ID[i+len(":loadbalancer/"):]] = lb
		}
		if lb.LBType == "classic" && lb.Name != "" {
			owners[lb.Name] = lb
		}
	}
	for _, ni := range n.NetworkInterfaces.All() {
		if ni.OwnerKind != model.OwnerLoadBalancer {
			continue
		}
		if lb, ok := owners[ni.OwnerID]; ok {
			x.lbENIs[lb.ID] = append(x.lbENIs[lb.ID], ni)
			x.lbOf[ni] = lb
		}
	}
	x.seedLBMembers()
	return x
}

// exposureJob is one unit of work and the VPC whose caches it uses.
type exposureJob struct {
	vpc string
	run func() ([]ExposureFinding, []string)
}

// dropVPCCaches forgets what was cached for the VPCs examined so far
// (findings per memoKey, traversals per subnet, edge sources, groups'
// rules and allowed sets): every key of these caches names a subnet, a
// VPC or one of its groups, so the next VPC finds nothing in them it could
// use, and a job that still needs an entry computes it again, the same.
func (x *exposer) dropVPCCaches() {
	x.mu.Lock()
	defer x.mu.Unlock()
	clear(x.memo)
	clear(x.subnet)
	clear(x.sources)
	clear(x.public)
	clear(x.rules)
	clear(x.sgSets)
	clear(x.admitted)
	clear(x.rendered)
}

// jobs lists the units of work, in output order.
func (x *exposer) jobs() []exposureJob {
	n := x.e.Net
	var out []exposureJob
	withENI := map[string]bool{}
	silent := map[string]bool{}
	for _, ni := range n.NetworkInterfaces.All() {
		if ni.OwnerKind == model.OwnerInstance {
			withENI[ni.OwnerID] = true
		}
		if in := x.e.silentInstance(ni); in != nil {
			// Not running: nothing reaches it now. Say so once per
			// instance rather than list what would reach it if started.
			if !silent[in.ID] {
				silent[in.ID] = true
				out = append(out, exposureJob{in.VPCID, func() ([]ExposureFinding, []string) { return nil, []string{silentWarning(in)} }})
			}
			continue
		}
		switch {
		case x.lbOf[ni] != nil:
			continue // with its load balancer
		case ni.OwnerKind == model.OwnerTGWAttachment:
			continue // not a destination: the attachment forwards
		}
		out = append(out, exposureJob{ni.VPCID, func() ([]ExposureFinding, []string) { return x.interfaceFindings(ni), nil }})
	}
	for _, in := range n.Instances.All() {
		if withENI[in.ID] || len(in.NetworkInterfaceIDs) > 0 {
			continue
		}
		if !in.Answers() {
			out = append(out, exposureJob{in.VPCID, func() ([]ExposureFinding, []string) { return nil, []string{silentWarning(in)} }})
			continue
		}
		ni := instanceStandIn(n, in)
		if ni == nil {
			continue
		}
		out = append(out, exposureJob{ni.VPCID, func() ([]ExposureFinding, []string) { return x.interfaceFindings(ni), nil }})
	}
	for _, lb := range n.LoadBalancers.All() {
		out = append(out, exposureJob{lb.VPCID, func() ([]ExposureFinding, []string) { return x.loadBalancerFindings(lb) }})
	}
	return out
}

// silentWarning says that an instance that is not running is left out of
// the exposure, and why.
func silentWarning(in *model.Instance) string {
	return fmt.Sprintf("instance %s is %s: it answers nothing, so it has no findings; once running, its security groups and routes decide again", in.Label(), in.State)
}

// instanceStandIn is an interface for an instance the sources list without
// one (its subnet, groups and addresses come from the instance).
func instanceStandIn(n *model.Network, in *model.Instance) *model.NetworkInterface {
	// An instance whose subnet is unknown (an Auto Scaling group in
	// imported subnets) stays: its groups say what may reach it.
	ni := &model.NetworkInterface{Meta: model.Meta{ID: in.ID, Origin: in.Origin, Unknowns: in.Unknowns, LogicalID: in.LogicalID},
		SubnetID: in.SubnetID, VPCID: in.VPCID, SecurityGroupIDs: in.SecurityGroupIDs, OwnerKind: model.OwnerInstance, OwnerID: in.ID}
	if ni.VPCID == "" {
		if v, ok := n.VPCOf(in.SubnetID); ok {
			ni.VPCID = v.ID
		}
	}
	if in.PrivateIP.IsValid() {
		ni.PrivateIPs = []model.PrivateIP{{Address: in.PrivateIP, Primary: true, PublicIP: in.PublicIP}}
	}
	return ni
}

// edgeKind is how a finding names an edge: a VPN gateway reached only by
// Direct Connect is direct-connect.
func (x *exposer) edgeKind(ed Edge) EdgeKind {
	if ed.Kind != EdgeVPNGateway {
		return ed.Kind
	}
	n := x.e.Net
	for _, c := range n.VPNConnections.All() {
		if c.VPNGatewayID == ed.ID {
			return EdgeVPNGateway
		}
	}
	for _, d := range n.DirectConnectGateways.All() {
		if slices.Contains(d.AssociatedGatewayIDs, ed.ID) {
			return EdgeDirectConnect
		}
	}
	return EdgeVPNGateway
}

// resourceOf names the resource an interface belongs to.
func (x *exposer) resourceOf(ni *model.NetworkInterface) ExposedResource {
	n := x.e.Net
	r := ExposedResource{ID: ni.ID, Type: model.TypeNetworkInterface, ENI: ni.ID, Origin: ni.Origin}
	if a, ok := ni.PrimaryIP(); ok {
		r.Address = a
	} else if len(ni.IPv6) > 0 {
		r.Address = ni.IPv6[0]
	}
	if pubs := ni.PublicIPs(); len(pubs) > 0 {
		r.PublicAddress = pubs[0]
	}
	if ni.OwnerID == "" {
		return r
	}
	if el, ok := n.Lookup(ni.OwnerID); ok {
		r.ID, r.Type = el.Base().ID, el.Type()
		if el.Base().Origin.File != "" {
			r.Origin = el.Base().Origin
		}
		return r
	}
	switch ni.OwnerKind {
	case model.OwnerInstance:
		r.ID, r.Type = ni.OwnerID, model.TypeInstance
	case model.OwnerNATGateway:
		r.ID, r.Type = ni.OwnerID, model.TypeNATGateway
	case model.OwnerVPCEndpoint:
		r.ID, r.Type = ni.OwnerID, model.TypeVPCEndpoint
	case model.OwnerResolverEndpoint:
		r.ID, r.Type = ni.OwnerID, model.TypeResolverEndpoint
	}
	return r
}

// interfaceFindings is every exposure of one interface, edge by edge.
func (x *exposer) interfaceFindings(ni *model.NetworkInterface) []ExposureFinding {
	res := x.resourceOf(ni)
	if why := x.unplaced(ni); why != "" {
		return x.unplacedFindings(res, ni, why)
	}
	var out []ExposureFinding
	for _, ed := range x.e.Edges(ni.VPCID) {
		out = x.appendEdgeFindings(out, res, ni, ed, SeverityOf)
	}
	return out
}

// unplaced says why an interface's subnet or VPC is not in the sources.
func (x *exposer) unplaced(ni *model.NetworkInterface) string {
	n := x.e.Net
	if ni.SubnetID == "" {
		return "the subnet of " + ni.ID + " is unknown"
	}
	if _, ok := n.Subnets.Get(ni.SubnetID); !ok {
		return "subnet " + ni.SubnetID + " of " + ni.ID + " is not in the sources"
	}
	if _, ok := n.VPCs.Get(ni.VPCID); !ok {
		return "the VPC of " + ni.ID + " is not in the sources"
	}
	return ""
}

// unplacedFindings are the exposure of an interface whose subnet or VPC
// the sources do not give: whatever its groups let in from anywhere
// outside, possibly, from an edge that cannot be named.
func (x *exposer) unplacedFindings(res ExposedResource, ni *model.NetworkInterface, why string) []ExposureFinding {
	var out []ExposureFinding
	// From the internet, and from private networks (peered VPCs, transit
	// gateways, on-premises) through an edge the sources cannot name.
	for _, ed := range []Edge{{Kind: EdgeInternet, ID: "(unknown)", Sources: internetSet}, {Kind: EdgeUnknown, ID: "(not in the sources)", Sources: nonPublicSet}} {
		c := AllPackets()
		c.Src = ed.Sources
		// One outcome whose packets depend on the edge alone: what the
		// groups admit of it is shared by edge.
		outs := []Outcome{{Verdict: PossiblyReachable, Space: Space{c}, Hops: []Hop{eniHop(ni, "destination interface")},
			Reasons: []string{why + ": which gateways, routes and network ACLs lead to it cannot be examined"}}}
		out = append(out, x.findingsOf(res, ni, ed, x.withGroups("unplaced|"+ed.ID, outs, ni, ed), nil, SeverityOf, nil)...)
	}
	return out
}

// edgeFindings runs one inbound traversal from an edge to an interface and
// turns what can open a connection into findings. keep, when set, narrows
// the packets (a load balancer's listeners).
func (x *exposer) edgeFindings(res ExposedResource, ni *model.NetworkInterface, ed Edge, keep Space, sev func(EdgeKind, string, model.PortRange) Severity) []ExposureFinding {
	if keep == nil {
		return x.appendEdgeFindings(nil, res, ni, ed, sev)
	}
	target, extra, ok := x.edgeTarget(ni, &ed)
	if !ok {
		return nil
	}
	return x.findingsOf(res, ni, ed, x.e.InboundFrom(ed, target), keep, sev, extra)
}

// edgeTarget is the interface to trace from an edge to ni (a stand-in
// with an unknown public address, see mayBePublic) and why its findings
// are only possible; it sets the edge's sources for ni (a peering's or a
// transit gateway's, see edgeSources). It reports false when nothing of
// the edge can reach ni.
func (x *exposer) edgeTarget(ni *model.NetworkInterface, ed *Edge) (*model.NetworkInterface, []string, bool) {
	var extra []string
	target := ni
	switch ed.Kind {
	case EdgeInternet:
		var why string
		target, why = x.mayBePublic(ni)
		if target == nil {
			return nil, nil, false
		}
		if why != "" {
			extra = append(extra, why)
		}
	case EdgePeering, EdgeTransitGateway:
		if ed.Unknown != "" {
			// A gateway the sources lack: its sources were set with the
			// edge, and the traversal says possibly, and why.
			break
		}
		src, why := x.edgeSources(*ed, ni)
		if src.Empty() {
			return nil, nil, false
		}
		ed.Sources = src
		if why != "" {
			extra = append(extra, why)
		}
	}
	return target, extra, true
}

// appendEdgeFindings appends edgeFindings(res, ni, ed, nil, sev) to dst.
func (x *exposer) appendEdgeFindings(dst []ExposureFinding, res ExposedResource, ni *model.NetworkInterface, ed Edge, sev func(EdgeKind, string, model.PortRange) Severity) []ExposureFinding {
	target, extra, ok := x.edgeTarget(ni, &ed)
	if !ok {
		return dst
	}
	return x.memoFindings(dst, res, ni, target, ed, sev, extra)
}

// memoFindings appends the findings of an inbound traversal from ed to
// target, the interface ni's, to dst. Interfaces in the same subnet with
// the same kind of addresses and the same sources share one traversal
// (groups left open, see subnetOutcomes); those with the same groups too
// share findings.
func (x *exposer) memoFindings(dst []ExposureFinding, res ExposedResource, ni, target *model.NetworkInterface, ed Edge, sev func(EdgeKind, string, model.PortRange) Severity, extra []string) []ExposureFinding {
	base := x.memoKey(ni, target, ed, extra)
	key := base + "|" + strings.Join(ni.SecurityGroupIDs, ",")
	x.mu.Lock()
	m, ok := x.memo[key]
	x.mu.Unlock()
	if ok {
		return m.appendRenamed(dst, res, ni.ID)
	}
	outs := x.withGroups(base, x.subnetOutcomes(base, target, ed), ni, ed)
	fs := x.findingsOf(res, ni, ed, outs, nil, sev, extra)
	var rn renamer
	for i := range fs {
		fs[i] = rn.rename(fs[i], placeholderENI, ni.ID)
	}
	x.mu.Lock()
	if _, ok := x.memo[key]; !ok {
		x.memo[key] = memoEntry{eni: ni.ID, findings: fs}
	}
	x.mu.Unlock()
	if dst == nil {
		return fs
	}
	return append(dst, fs...)
}

// findingsOf turns the outcomes of an inbound traversal into findings.
func (x *exposer) findingsOf(res ExposedResource, ni *model.NetworkInterface, ed Edge, outs []Outcome, keep Space, sev func(EdgeKind, string, model.PortRange) Severity, extra []string) []ExposureFinding {
	kind := x.edgeKind(ed)
	var own *publicSets
	if kind == EdgeInternet {
		own = x.publicOf(ni.VPCID)
	}
	groups := groupOutcomes(outs, keep)
	// Every group's parts first, so that the findings take one slice.
	parts := make([][]part, len(groups))
	n := 0
	for i := range groups {
		parts[i] = decompose(groups[i].space)
		n += len(parts[i])
	}
	fs := make([]ExposureFinding, 0, n)
	for gi, g := range groups {
		reasons := append(slices.Clip(g.reasons), extra...)
		verdict := g.verdict
		if len(reasons) > 0 {
			verdict = PossiblyReachable
		}
		for _, p := range parts[gi] {
			if kind == EdgeInternet && !x.e.internetFacing(p.src) {
				continue
			}
			f := ExposureFinding{
				Resource: res,
				From:     ExposureFrom{Kind: kind, ID: ed.ID, Sources: x.sourcesOf(kind, p.src, own)},
				Protocol: p.proto,
				Ports:    p.ports,
				Verdict:  verdict,
				Via:      g.via,
			}
			f.Severity = sev(kind, p.proto, p.ports)
			var why []string
			if rules := x.allowingRules(ni, p); rules != "" {
				why = append(why, "allowed by "+rules)
			}
			if !p.srcPorts.Covers(ephemeralRanges) && p.hasPorts {
				why = append(why, "replies get back only to client source ports "+p.srcPorts.String())
			}
			if p.note != "" {
				why = append(why, p.note)
			}
			why = append(why, reasons...)
			f.Reason = strings.Join(uniq(why), "; ")
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return nil // as when nothing was appended
	}
	return fs
}

// mayBePublic returns the interface to trace from the internet: the
// interface itself when it has a public address (or one the sources leave
// unknown); a stand-in holding the unknown public address when the
// sources record it only as an unknown value of the interface (a template
// that lets AWS pick both addresses, or a subnet that maps public IPs on
// launch); nil when it has no public address.
func (x *exposer) mayBePublic(ni *model.NetworkInterface) (*model.NetworkInterface, string) {
	if len(ni.PublicIPs()) > 0 {
		return ni, ""
	}
	for _, a := range ni.IPv6 {
		if IsPublic(a) {
			return ni, ""
		}
	}
	for _, p := range ni.PrivateIPs {
		if p.PublicUnknown != "" {
			return ni, ""
		}
	}
	why, assigned := "", false
	for _, u := range ni.Unknowns {
		if strings.Contains(strings.ToLower(u.Field), "public") {
			why = u.Reason
			assigned = u.Field == "PublicIp" && ni.PublicIPAssigned
		}
	}
	if why == "" && ni.LogicalID != "" && ni.DeviceIndex == 0 && ni.OwnerKind == model.OwnerInstance {
		// A template's instance in a subnet that maps public IPv4
		// addresses on launch gets one.
		if s, ok := x.e.Net.Subnets.Get(ni.SubnetID); ok && s.MapPublicIPOnLaunch.MayBeTrue() {
			why = fmt.Sprintf("subnet %s maps a public IPv4 address on launch (MapPublicIpOnLaunch %s)", s.ID, s.MapPublicIPOnLaunch)
			assigned = s.MapPublicIPOnLaunch == model.True
		}
	}
	if why == "" {
		return nil, ""
	}
	// Stand-in: the private addresses as known (the subnet when unknown),
	// the public one unknown.
	c := *ni
	c.Prefixes = x.e.eniAddrs(ni, false).Prefixes()
	c.PrivateIPs = []model.PrivateIP{{PublicUnknown: why, PublicAssigned: assigned}}
	return &c, ""
}

// internetFacing reports whether some of the sources are on the internet.
func (e *Engine) internetFacing(src *ipset.Set) bool { return src.Overlaps(internetSet) }

// peerSources are the addresses of a peered VPC that can send to an
// interface through a peering connection: the peer's subnets whose route
// tables send the interface's addresses to the connection. When the peer
// VPC or its routes are not in the sources, every address of the peer's
// CIDRs, with the reason.
func (x *exposer) peerSources(pcxID string, ni *model.NetworkInterface) (*ipset.Set, string) {
	n := x.e.Net
	pcx, ok := n.PeeringConnections.Get(pcxID)
	if !ok {
		return nil, ""
	}
	_, remote, ok := pcx.Side(ni.VPCID)
	if !ok {
		return nil, ""
	}
	cidrs := append(slices.Clip(remote.CIDRs), remote.IPv6CIDRs...)
	rv, ok := n.VPCs.Get(remote.VPCID)
	if ok {
		cidrs = append(slices.Clip(rv.CIDRs), rv.IPv6CIDRs...)
	}
	subnets := n.SubnetsOf(remote.VPCID)
	if !ok || len(subnets) == 0 {
		return SetOf(cidrs), fmt.Sprintf("the routes of peer VPC %s are not in the sources: every address of its CIDRs may send through %s", remote.VPCID, pcxID)
	}
	dst := x.e.eniAddrs(ni, false)
	var b ipset.Builder
	var unknown []string
	for _, s := range subnets {
		rt, _ := n.RouteTableFor(s.ID)
		if rt == nil {
			unknown = append(unknown, "no route table is known for peer subnet "+s.ID)
			b.AddSet(subnetSet(s))
			continue
		}
		regs, why := x.e.regions(rt)
		routed := slices.ContainsFunc(regs, func(rg routeRegion) bool {
			return rg.route.TargetID == pcxID && rg.route.State != model.RouteBlackhole && rg.region.Overlaps(dst)
		})
		if routed {
			b.AddSet(subnetSet(s))
			continue
		}
		if why != "" {
			// The unknown route may be the one that sends to the peering.
			var covered ipset.Builder
			for _, rg := range regs {
				covered.AddSet(rg.region)
			}
			cs := covered.Set()
			if !dst.Minus(cs).Equal(emptySet) {
				unknown = append(unknown, why)
				b.AddSet(subnetSet(s))
			}
		}
	}
	src := b.Set()
	return src.Intersect(SetOf(cidrs)), strings.Join(uniq(unknown), "; ")
}

func subnetSet(s *model.Subnet) *ipset.Set {
	return SetOf(append([]netip.Prefix{s.CIDR}, s.IPv6CIDRs...))
}

// renderSources lists the sources as merged prefixes; from the internet,
// every public IPv4 (IPv6) address is written 0.0.0.0/0 (::/0), the way
// security group rules say it. pub holds, per family, every public address
// and every public address outside the VPC (whose local route keeps
// replies to its own CIDRs, so they never count among internet sources).
func renderSources(kind EdgeKind, s *ipset.Set, pub *publicSets) []netip.Prefix {
	if kind != EdgeInternet {
		return s.Prefixes()
	}
	if pub == nil {
		pub = publicOutside(emptySet)
	}
	var out []netip.Prefix
	v4 := s.Intersect(fullV4)
	v6 := s.Intersect(fullV6)
	if !v4.Empty() && (v4.Equal(pub.all4) || v4.Equal(pub.out4)) {
		out = append(out, netip.MustParsePrefix("0.0.0.0/0"))
	} else {
		out = append(out, v4.Prefixes()...)
	}
	if !v6.Empty() && (v6.Equal(pub.all6) || v6.Equal(pub.out6)) {
		out = append(out, netip.MustParsePrefix("::/0"))
	} else {
		out = append(out, v6.Prefixes()...)
	}
	return out
}

// renderedKey names one rendering of sources: the kind of edge, the
// public sets and the addresses of the set, written as bytes.
type renderedKey struct {
	kind  EdgeKind
	pub   *publicSets
	addrs string
}

// sourcesOf is renderSources computed once per set of sources: the
// findings of one VPC's interfaces mostly share their sources, and so
// share one list of prefixes. Findings' sources are never changed in
// place.
func (x *exposer) sourcesOf(kind EdgeKind, s *ipset.Set, pub *publicSets) []netip.Prefix {
	buf := make([]byte, 0, 34*s.Len())
	for _, r := range s.Ranges() {
		for _, a := range [2]netip.Addr{r.From(), r.To()} {
			b := a.As16()
			buf = append(buf, byte(a.BitLen()))
			buf = append(buf, b[:]...)
		}
	}
	k := renderedKey{kind, pub, string(buf)}
	x.mu.Lock()
	out, ok := x.rendered[k]
	x.mu.Unlock()
	if ok {
		return out
	}
	out = renderSources(kind, s, pub)
	x.mu.Lock()
	x.rendered[k] = out
	x.mu.Unlock()
	return out
}

// publicSets are the public addresses of each family, all of them and
// those outside one VPC.
type publicSets struct {
	all4, all6, out4, out6 *ipset.Set
}

func publicOutside(own *ipset.Set) *publicSets {
	all4 := internetSet.Intersect(fullV4)
	all6 := internetSet.Intersect(fullV6)
	return &publicSets{all4: all4, all6: all6, out4: all4.Minus(own), out6: all6.Minus(own)}
}

// publicOf returns (once per VPC) its publicSets.
func (x *exposer) publicOf(vpcID string) *publicSets {
	x.mu.Lock()
	p, ok := x.public[vpcID]
	x.mu.Unlock()
	if ok {
		return p
	}
	p = publicOutside(x.vpcSet(vpcID))
	x.mu.Lock()
	x.public[vpcID] = p
	x.mu.Unlock()
	return p
}

// vpcSet is a VPC's CIDRs.
func (x *exposer) vpcSet(vpcID string) *ipset.Set {
	v, ok := x.e.Net.VPCs.Get(vpcID)
	if !ok {
		return emptySet
	}
	return x.e.vpcCIDRs(v)
}

// allowingRules names the security group rules of an interface that let a
// part in.
func (x *exposer) allowingRules(ni *model.NetworkInterface, p part) string {
	var out []string
	for _, gid := range ni.SecurityGroupIDs {
		rules := x.ingressRules(gid)
		for i := range rules {
			r := &rules[i]
			if p.protos.And(r.cube.Proto).Empty() {
				continue
			}
			if (p.hasPorts || p.isICMP) && r.cube.DstPorts.Intersect(p.keys).Empty() {
				continue
			}
			if p.src != nil && !r.cube.Src.Overlaps(p.src) {
				continue
			}
			out = append(out, r.describe())
		}
	}
	return strings.Join(uniq(out), ", ")
}

// allowingRules names the security group rules of an interface that let a
// part in (without the exposer's cache).
func (e *Engine) allowingRules(ni *model.NetworkInterface, p part) string {
	x := &exposer{e: e, rules: map[string][]describedRule{}}
	return x.allowingRules(ni, p)
}

// describedRule is an ingress rule's packets and the rule, described
// once, when a finding first names it.
type describedRule struct {
	cube Cube
	gid  string
	rule *model.SGRule
	// why is why the rule's peers are not all known (peerSet's reason).
	why  string
	desc atomic.Pointer[string]
	// ports holds the cube's destination ports of a tcp or udp rule.
	ports [1]model.PortRange
}

// describe names the rule as findings do.
func (r *describedRule) describe() string {
	if d := r.desc.Load(); d != nil {
		return *d
	}
	d := r.gid + " " + describeSGRule(*r.rule)
	r.desc.Store(&d)
	return d
}

// ingressRules returns a group's ingress rules as packets, computed once.
func (x *exposer) ingressRules(gid string) []describedRule {
	x.mu.Lock()
	out, ok := x.rules[gid]
	x.mu.Unlock()
	if ok {
		return out
	}
	e := x.e
	if sg, ok := e.Net.SecurityGroups.Get(gid); ok {
		out = make([]describedRule, len(sg.Ingress))
		for i := range sg.Ingress {
			r := &sg.Ingress[i]
			peer, why := e.peerSet(r.Peer)
			d := &out[i]
			d.cube, d.gid, d.rule, d.why = ruleCubeIn(r.Protocol, r.Ports, r.ICMP, peer, false, &d.ports), gid, r, why
		}
	}
	x.mu.Lock()
	x.rules[gid] = out
	x.mu.Unlock()
	return out
}

// sortFindings orders findings by resource, interface, edge, protocol and
// ports, so output is the same on every run.
func sortFindings(fs []ExposureFinding) {
	ptrs := make([]*ExposureFinding, len(fs))
	for i := range fs {
		ptrs[i] = &fs[i]
	}
	slices.SortStableFunc(ptrs, compareFindings)
	sorted := make([]ExposureFinding, len(fs))
	for i, f := range ptrs {
		sorted[i] = *f
	}
	copy(fs, sorted)
}

func edgeRank(k EdgeKind) int {
	switch k {
	case EdgeInternet:
		return 0
	case EdgePeering:
		return 1
	case EdgeTransitGateway:
		return 2
	case EdgeVPNGateway:
		return 3
	case EdgeDirectConnect:
		return 4
	case EdgeClientVPN:
		return 5
	case EdgeUnknown:
		return 6
	}
	return 0
}

// protoRank orders protocols: all, tcp, udp, icmp, icmpv6, then the
// others by name.
func protoRank(p string) (int, string) {
	switch p {
	case "all":
		return 0, ""
	case "tcp":
		return 1, ""
	case "udp":
		return 2, ""
	case "icmp":
		return 3, ""
	case "icmpv6":
		return 4, ""
	}
	return 5, p
}

// compareFindings orders findings by resource, interface, edge, protocol
// and ports.
func compareFindings(a, b *ExposureFinding) int {
	if c := strings.Compare(a.Resource.ID, b.Resource.ID); c != 0 {
		return c
	}
	if c := strings.Compare(a.Resource.ENI, b.Resource.ENI); c != 0 {
		return c
	}
	if (a.LoadBalancer == "") != (b.LoadBalancer == "") {
		if a.LoadBalancer == "" {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.LoadBalancer, b.LoadBalancer); c != 0 {
		return c
	}
	if c := cmp.Compare(edgeRank(a.From.Kind), edgeRank(b.From.Kind)); c != 0 {
		return c
	}
	if c := strings.Compare(a.From.ID, b.From.ID); c != 0 {
		return c
	}
	ra, na := protoRank(a.Protocol)
	rb, nb := protoRank(b.Protocol)
	if c := cmp.Compare(ra, rb); c != 0 {
		return c
	}
	if c := strings.Compare(na, nb); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Ports.From, b.Ports.From); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Ports.To, b.Ports.To); c != 0 {
		return c
	}
	return cmp.Compare(a.Verdict, b.Verdict)
}

// AppendExposureKey appends to dst the key of a finding in Exposure's
// order: bytes.Compare of two findings' keys is their order by resource,
// interface, load balancer, edge, protocol, ports and verdict
// (compareFindings).
func AppendExposureKey(dst []byte, f *ExposureFinding) []byte {
	dst = appendKeyString(dst, f.Resource.ID)
	dst = appendKeyString(dst, f.Resource.ENI)
	if f.LoadBalancer == "" {
		dst = append(dst, 0)
	} else {
		dst = append(dst, 1)
	}
	dst = appendKeyString(dst, f.LoadBalancer)
	dst = append(dst, byte(edgeRank(f.From.Kind)))
	dst = appendKeyString(dst, f.From.ID)
	rank, name := protoRank(f.Protocol)
	dst = append(dst, byte(rank))
	dst = appendKeyString(dst, name)
	dst = binary.BigEndian.AppendUint16(dst, f.Ports.From)
	dst = binary.BigEndian.AppendUint16(dst, f.Ports.To)
	return appendKeyString(dst, string(f.Verdict))
}

// appendKeyString appends s so that the bytes compare as the strings do
// and nothing after them takes part unless the strings are equal: every
// zero byte is written 0 0xff, and the string ends with 0 1.
func appendKeyString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			dst = append(dst, 0, 0xff)
			continue
		}
		dst = append(dst, s[i])
	}
	return append(dst, 0, 1)
}

// ExposureKinds name the kinds of exposure finding, by the edge they come
// from (SARIF rule IDs, and what a suppression may name).
var ExposureKinds = []string{"internet-admin-port", "internet-exposure", "peering-exposure", "transit-gateway-exposure",
	"on-premises-exposure", "client-vpn-exposure"}

// ExposureKind is the kind of a finding: from the internet (high severity
// as internet-admin-port), a peering, a transit gateway, a Client VPN, or
// else on-premises.
func ExposureKind(f *ExposureFinding) string {
	switch f.From.Kind {
	case EdgeInternet:
		if f.Severity == SeverityHigh {
			return "internet-admin-port"
		}
		return "internet-exposure"
	case EdgePeering:
		return "peering-exposure"
	case EdgeTransitGateway:
		return "transit-gateway-exposure"
	case EdgeClientVPN:
		return "client-vpn-exposure"
	}
	return "on-premises-exposure"
}
