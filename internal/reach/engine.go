package reach

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/model"
)

// Verdict is the answer for a set of packets.
type Verdict string

// Verdicts, as cli.md spells them.
const (
	Reachable         Verdict = "reachable"
	Unreachable       Verdict = "unreachable"
	PossiblyReachable Verdict = "possibly-reachable"
)

// Explanation codes of VPC Reachability Analyzer that the engine emits
// (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html).
const (
	CodeNoRoute               = "NO_ROUTE_TO_DESTINATION"
	CodeSubnetACL             = "SUBNET_ACL_RESTRICTION"
	CodeSGMismatch            = "ENI_SG_RULES_MISMATCH"
	CodeSGNoRules             = "SG_HAS_NO_RULES"
	CodeIGWPublicIPEgress     = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
	CodeIGWPrivateIPIngress   = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
	CodeIGWDstRFC1918         = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
	CodePCXAddressInVPC       = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
	CodeTGWNoRoute            = "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT"
	CodeTGWBadStateRoute      = "TGW_RTB_BAD_STATE_ROUTE"
	CodeTGWMissingAssociation = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
	CodeTGWRouteAZ            = "TGW_ROUTE_AZ_RESTRICTION"
	CodeBadState              = "BAD_STATE"
	CodeBadStateRoute         = "BAD_STATE_ROUTE"
	CodeSourceDestCheck       = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
	CodeNATSourceInVPC        = "NGW_REQUIRES_SOURCE_IN_VPC"
	CodeVPCEGatewayProtocol   = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
	CodeNoPossibleDestination = "NO_POSSIBLE_DESTINATION"
	CodeELBListeners          = "ELBV2_LISTENERS_MISMATCH"
	CodeELBNoTargets          = "ELBV2_LISTENER_HAS_NO_TG"
	CodeProtocolRestriction   = "PROTOCOL_RESTRICTION"
)

// Hop is one component on a path and what it did to the packets: the
// route that matched, the rule number, the security-group rule, an
// address translation.
type Hop struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Action      string `json:"action"`
	Translation string `json:"translation,omitempty"`
}

// Block says where and why packets stop.
type Block struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Outcome is what happens to one part of the queried packets: delivered
// (Reachable), stopped (Unreachable, BlockedBy says where), or not
// decidable from the sources (PossiblyReachable, Reasons say why). Space
// holds the packets as the source sent them (before any translation), so
// their source ports and addresses are the client's.
type Outcome struct {
	Verdict    Verdict  `json:"verdict"`
	Space      Space    `json:"-"`
	Hops       []Hop    `json:"hops"`
	ReturnHops []Hop    `json:"returnHops,omitempty"`
	BlockedBy  *Block   `json:"blockedBy,omitempty"`
	Reasons    []string `json:"reasons,omitempty"`
	// Return is true when the packets were stopped on the reply path.
	Return bool `json:"return,omitempty"`
}

// Engine answers reachability questions over one finalized network. It
// is safe for concurrent use; caches fill on first use.
type Engine struct {
	Net *model.Network

	mu        sync.Mutex
	sgMembers map[string]*ipset.Set
	rtRegions map[*model.RouteTable][]routeRegion
	plSets    map[string]*ipset.Set

	// lbsOfSG lists the load balancers that use each security group
	// (built once, on first use).
	lbsOfSGOnce sync.Once
	lbsOfSG     map[string][]*model.LoadBalancer
	// lbENIs holds each load balancer's interfaces (see lbInterfaces),
	// found once, on first use.
	lbENIsOnce sync.Once
	lbENIs     map[*model.LoadBalancer][]*model.NetworkInterface
	// edges holds each VPC's edges ([]Edge by VPC ID), computed once.
	edges sync.Map
	// vpcSets holds each VPC's CIDRs as a set (*ipset.Set by *model.VPC),
	// made once: paths and exposure ask for them per attachment, peering
	// and group reference.
	vpcSets sync.Map
	// tgwRegs holds each transit gateway route table's longest-prefix
	// regions (*tgwRegionsOnce by table), worked out once: every path
	// through a gateway reads its table, which has a route per attachment.
	tgwRegs sync.Map
	// nfw holds each Network Firewall's compiled policy (*fwCompiled by
	// firewall ID), compiled once.
	nfw sync.Map
	// nfwGroups holds each stateful rule group's rules as read for a
	// policy ([]sfRule by group and policy ID).
	nfwGroups sync.Map
	// unknownEIPs holds, by interface ID, the first elastic IP associated
	// with it whose address the sources leave to deploy time, found once.
	unknownEIPsOnce sync.Once
	unknownEIPs     map[string]*model.ElasticIP
	// cuts are the starts of the address intervals no set of the sources
	// or the engine divides (addrclass.go), built once.
	cutsOnce sync.Once
	cuts     []netip.Addr
}

// New returns an engine over a finalized network.
func New(n *model.Network) *Engine {
	return &Engine{
		Net:       n,
		sgMembers: map[string]*ipset.Set{},
		rtRegions: map[*model.RouteTable][]routeRegion{},
		plSets:    map[string]*ipset.Set{},
	}
}

// vpcCIDRs returns a VPC's IPv4 and IPv6 CIDRs as one set, shared (not to
// be changed).
func (e *Engine) vpcCIDRs(v *model.VPC) *ipset.Set {
	if s, ok := e.vpcSets.Load(v); ok {
		return s.(*ipset.Set)
	}
	s, _ := e.vpcSets.LoadOrStore(v, SetOf(append(slices.Clip(v.CIDRs), v.IPv6CIDRs...)))
	return s.(*ipset.Set)
}

// memberSet returns the private addresses of a security group's members;
// ok is false when the group is not in the sources.
func (e *Engine) memberSet(sgID string) (*ipset.Set, bool) {
	if _, ok := e.Net.SecurityGroups.Get(sgID); !ok {
		return nil, false
	}
	e.mu.Lock()
	s, ok := e.sgMembers[sgID]
	e.mu.Unlock()
	if ok {
		return s, true
	}
	// Computed without the lock, so that other groups' sets and the
	// engine's other caches stay available meanwhile; the result does not
	// depend on who computes it.
	var b ipset.Builder
	for _, ni := range e.Net.SecurityGroupMembers(sgID) {
		e.addENIAddrs(&b, ni)
	}
	// Load balancers whose interfaces the sources do not hold: their
	// nodes are somewhere in their subnets.
	for _, lb := range e.loadBalancersOfSG(sgID) {
		if len(e.lbInterfaces(lb)) > 0 {
			continue
		}
		for _, sid := range lb.SubnetIDs {
			if sub, ok := e.Net.Subnets.Get(sid); ok {
				b.AddSet(SetOf(append([]netip.Prefix{sub.CIDR}, sub.IPv6CIDRs...)))
			}
		}
	}
	s = b.Set()
	e.mu.Lock()
	if prev, ok := e.sgMembers[sgID]; ok {
		s = prev
	} else {
		e.sgMembers[sgID] = s
	}
	e.mu.Unlock()
	return s, true
}

// loadBalancersOfSG returns the load balancers that use a security group,
// in the network's order.
func (e *Engine) loadBalancersOfSG(sgID string) []*model.LoadBalancer {
	e.lbsOfSGOnce.Do(func() {
		e.lbsOfSG = map[string][]*model.LoadBalancer{}
		for _, lb := range e.Net.LoadBalancers.All() {
			for _, id := range slices.Compact(slices.Sorted(slices.Values(lb.SecurityGroupIDs))) {
				e.lbsOfSG[id] = append(e.lbsOfSG[id], lb)
			}
		}
	})
	return e.lbsOfSG[sgID]
}

// prefixListSet returns a prefix list's entries; ok is false when the list
// or its entries are unknown.
func (e *Engine) prefixListSet(id string) (*ipset.Set, bool) {
	pl, ok := e.Net.PrefixLists.Get(id)
	if !ok || !pl.EntriesKnown {
		return nil, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.plSets[id]; ok {
		return s, true
	}
	s := SetOf(pl.Entries)
	e.plSets[id] = s
	return s, true
}

// eniAddrs returns an interface's private addresses (IPv4, IPv6, delegated
// prefixes). When the addresses are unknown, the subnet's CIDRs stand in
// for them (widen is then true through unknownAddrs).
func (e *Engine) eniAddrs(ni *model.NetworkInterface, _ bool) *ipset.Set {
	var b ipset.Builder
	e.addENIAddrs(&b, ni)
	return b.Set()
}

// addENIAddrs adds the addresses eniAddrs gives to b.
func (e *Engine) addENIAddrs(b *ipset.Builder, ni *model.NetworkInterface) {
	for _, p := range ni.PrivateIPs {
		if p.Address.IsValid() {
			b.Add(p.Address)
		}
	}
	for _, a := range ni.IPv6 {
		b.Add(a)
	}
	for _, p := range ni.Prefixes {
		b.AddPrefix(p.Masked())
	}
	if !hasAddress(ni) {
		if s, ok := e.Net.Subnets.Get(ni.SubnetID); ok {
			if s.CIDR.IsValid() {
				b.AddPrefix(s.CIDR.Masked())
			}
			for _, p := range s.IPv6CIDRs {
				b.AddPrefix(p.Masked())
			}
		}
	}
}

// hasAddress reports whether any private address of an interface is known.
func hasAddress(ni *model.NetworkInterface) bool {
	for _, p := range ni.PrivateIPs {
		if p.Address.IsValid() {
			return true
		}
	}
	return len(ni.IPv6) > 0 || len(ni.Prefixes) > 0
}

// ruleCube builds the packets a rule selects in the forward direction:
// peer is the source set for ingress rules, the destination for egress.
func ruleCube(proto model.Protocol, ports model.PortRange, icmp model.ICMPMatch, peer *ipset.Set, egress bool) Cube {
	return ruleCubeIn(proto, ports, icmp, peer, egress, nil)
}

// ruleCubeIn is ruleCube, holding the destination ports of a tcp or udp
// rule in store when it is given (a Ranges is never changed in place, so
// the cube may point into the storage of whatever holds it).
func ruleCubeIn(proto model.Protocol, ports model.PortRange, icmp model.ICMPMatch, peer *ipset.Set, egress bool, store *[1]model.PortRange) Cube {
	c := AllPackets()
	c.Proto = ProtoOf(proto)
	switch {
	case proto.HasPorts() && store != nil && ports.From <= ports.To:
		store[0] = ports
		c.DstPorts = store[:]
	case proto.HasPorts():
		c.DstPorts = RangeOf(ports)
	case proto.IsICMP():
		c.DstPorts = ICMPRanges(icmp)
	}
	if egress {
		c.Dst = peer
	} else {
		c.Src = peer
	}
	return c
}

// piece is one part of a filter's result.
type piece struct {
	space  Space
	pass   bool
	hop    Hop
	block  *Block
	reason string // non-empty: possibly (an unknown was on the way)
}

// sgFilter applies the union of the groups of an interface in one
// direction. Rules whose peer is unknown open a possibly-reachable part.
func (e *Engine) sgFilter(space Space, ni *model.NetworkInterface, egress bool, rw *rewrite) []piece {
	return e.sgFilterVia(space, ni, egress, rw, nil, nil)
}

// paramOf finds the template parameter an unknown value comes from.
var paramOf = regexp.MustCompile(`parameter (\S+) has no value`)

// unknownRuleWhy says why a rule whose peer is unknown may match, with the
// condition when a parameter holds it: "reachable when SSHLocation
// contains the source" (ingress) or "the destination" (egress).
func unknownRuleWhy(gid, dir string, r model.SGRule, why string) string {
	if m := paramOf.FindStringSubmatch(why); m != nil && r.Peer.Kind != model.PeerSecurityGroup {
		end := "source"
		if dir == "egress" {
			end = "destination"
		}
		return fmt.Sprintf("%s %s rule %s: reachable when %s contains the %s (%s)", gid, dir, describeSGRule(r), m[1], end, why)
	}
	return fmt.Sprintf("%s %s rule %s: %s", gid, dir, describeSGRule(r), why)
}

// tgwReferenced splits the members of a referenced group that are outside
// the destination's VPC (remote), for packets that came through the
// transit gateway attachment via: those that match (security group
// referencing enabled on the gateway and on both VPC attachments), those
// that may (some of the three settings are not in the sources, why says
// which); the rest match nothing (disabled, or in a VPC not attached to
// this gateway, since references work only across VPC attachments of one
// gateway, which are all in its region).
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-security
func (e *Engine) tgwReferenced(via *model.TGWAttachment, remote *ipset.Set) (match, maybe *ipset.Set, why string) {
	match, maybe = emptySet, emptySet
	setting := func(what, v string) (on, known bool, desc string) {
		return v == "enable", v != "", fmt.Sprintf("%s %s", what, orDefault(v, "not in the sources"))
	}
	tgw, ok := e.Net.TransitGateways.Get(via.TransitGatewayID)
	if !ok || via.TransitGatewayID == "" {
		return emptySet, remote, "members in other VPCs match across a transit gateway only with its security group referencing support, and the gateway is not in the sources"
	}
	tgwOn, tgwKnown, tgwDesc := setting("transit gateway "+tgw.ID, tgw.SecurityGroupReferencingSupport)
	viaOn, viaKnown, viaDesc := setting(via.ID, via.SecurityGroupReferencingSupport)
	if tgwKnown && !tgwOn || viaKnown && !viaOn {
		return // disabled where the packets arrive: nothing remote matches
	}
	rest := remote
	for _, a := range e.Net.TGWAttachments.All() {
		if a.TransitGatewayID != via.TransitGatewayID || a.ResourceType != "vpc" || a.ID == via.ID || a.ResourceID == via.ResourceID {
			continue
		}
		v, ok := e.Net.VPCs.Get(a.ResourceID)
		if !ok {
			continue
		}
		part := remote.Intersect(e.vpcCIDRs(v))
		if part.Empty() {
			continue
		}
		rest = rest.Minus(part)
		on, known, desc := setting(a.ID, a.SecurityGroupReferencingSupport)
		switch {
		case known && !on:
		case on && tgwOn && viaOn:
			match = match.Union(part)
		default:
			maybe = maybe.Union(part)
			why = fmt.Sprintf("members in %s match across the transit gateway only with security group referencing support on the gateway and both attachments (%s; %s; %s)", v.ID, tgwDesc, viaDesc, desc)
		}
	}
	if !rest.Empty() {
		// Members in VPCs with no attachment to this gateway in the
		// sources: one the sources lack may hold them.
		maybe = maybe.Union(rest)
		if why == "" {
			why = "members in VPCs without an attachment to " + tgw.ID + " in the sources match only through one with security group referencing support"
		}
	}
	return match, maybe, why
}

// sgFilterVia is sgFilter for packets that crossed a transit gateway
// into the VPC through the attachment viaTGW (nil: they did not): rules
// that reference a group match its members in other VPCs as the gateway's
// and attachments' security group referencing support says
// (tgwReferenced).
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-security
//
// from, when set, is the interface the packets come from with their
// source address untranslated: an ingress rule that references a group
// then matches by its membership, as AWS matches the private addresses of
// the group's interfaces, rather than by the addresses of every member,
// some of which may be unknown (an address AWS picks stands for its whole
// subnet, and would otherwise match a non-member in that subnet).
func (e *Engine) sgFilterVia(space Space, ni *model.NetworkInterface, egress bool, rw *rewrite, viaTGW *model.TGWAttachment, from *model.NetworkInterface) []piece {
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	var known, unknown Space
	var matched []string
	var unknownWhy []string
	var partialWhy string
	nrules := 0
	if why := groupsUnknown(ni); why != "" {
		// The sources do not say which groups the interface carries.
		unknown = space
		unknownWhy = append(unknownWhy, why)
	}
	for _, gid := range ni.SecurityGroupIDs {
		sg, ok := e.Net.SecurityGroups.Get(gid)
		if !ok {
			c := AllPackets()
			unknown = unknown.Union(space.IntersectCube(c))
			unknownWhy = append(unknownWhy, fmt.Sprintf("security group %s is not in the sources", gid))
			continue
		}
		rules := sg.Ingress
		if egress {
			rules = sg.Egress
		}
		nrules += len(rules)
		if u := ruleUnknowns(sg); u != "" {
			// Rules the sources could not read may allow more.
			unknown = unknown.Union(space)
			unknownWhy = append(unknownWhy, fmt.Sprintf("%s has unknown values (%s)", gid, u))
		}
		for _, r := range rules {
			peer, why := e.peerSet(r.Peer)
			if !egress && from != nil && (rw == nil || rw.src == nil) && r.Peer.Kind == model.PeerSecurityGroup && why == "" && groupsUnknown(from) == "" {
				if slices.Contains(from.SecurityGroupIDs, r.Peer.ID) {
					peer = e.eniAddrs(from, false)
				} else {
					peer = emptySet
				}
			}
			if viaTGW != nil && !egress && r.Peer.Kind == model.PeerSecurityGroup && why == "" {
				if v, ok := e.Net.VPCs.Get(ni.VPCID); ok {
					local := peer.Intersect(e.vpcCIDRs(v))
					if remote := peer.Minus(local); !remote.Empty() {
						match, maybe, mwhy := e.tgwReferenced(viaTGW, remote)
						c := ruleCube(r.Protocol, r.Ports, r.ICMP, maybe, egress)
						if pre, ok, _ := rw.preimage(c); ok && !maybe.Empty() {
							if hit := space.IntersectCube(pre); !hit.Empty() {
								unknown = unknown.Union(hit)
								unknownWhy = append(unknownWhy, fmt.Sprintf("%s %s rule %s: %s", gid, dir, describeSGRule(r), mwhy))
							}
						}
						local = local.Union(match)
					}
					peer = local
				}
			}
			parts := []peerPart{{peer, why}}
			if sure, maybe, ok := candidatePeers(r.Peer); ok {
				// A peer that is one of a few known values: what all of
				// them hold matches, what only some hold may.
				parts = []peerPart{{sure, ""}, {maybe, why}}
			}
			for _, pp := range parts {
				if pp.peer.Empty() {
					continue
				}
				c := ruleCube(r.Protocol, r.Ports, r.ICMP, pp.peer, egress)
				pre, ok, partial := rw.preimage(c)
				if !ok {
					continue
				}
				hit := space.IntersectCube(pre)
				if hit.Empty() {
					continue
				}
				if partial != "" {
					partialWhy = partial
				}
				if pp.why != "" {
					unknown = unknown.Union(hit)
					unknownWhy = append(unknownWhy, unknownRuleWhy(gid, dir, r, pp.why))
					continue
				}
				known = known.Union(hit)
				matched = append(matched, fmt.Sprintf("%s %s %s", gid, dir, describeSGRule(r)))
			}
		}
	}
	groups := strings.Join(ni.SecurityGroupIDs, ",")
	if len(ni.SecurityGroupIDs) == 0 && noGroupsByNature(ni) {
		return []piece{{space: space, pass: true}} // nothing to check: no hop
	}
	var out []piece
	if !known.Empty() {
		out = append(out, piece{space: known, pass: true, reason: partialWhy,
			hop: Hop{ID: groups, Type: model.TypeSecurityGroup, Action: "allow: " + strings.Join(uniq(matched), "; ")}})
	}
	rest := space.Subtract(known)
	if u := rest.Intersect(unknown); !u.Empty() {
		out = append(out, piece{space: u, pass: true, reason: strings.Join(uniq(unknownWhy), "; "),
			hop: Hop{ID: groups, Type: model.TypeSecurityGroup, Action: "possibly allowed: " + strings.Join(uniq(unknownWhy), "; ")}})
		rest = rest.Subtract(unknown)
	}
	if !rest.Empty() {
		code := CodeSGMismatch
		reason := fmt.Sprintf("no %s rule of %s on %s allows the traffic", dir, orNone(groups), ni.ID)
		if nrules == 0 && len(unknownWhy) == 0 {
			code = CodeSGNoRules
			if len(ni.SecurityGroupIDs) == 0 {
				reason = fmt.Sprintf("%s has no security group", ni.ID)
			} else {
				reason = fmt.Sprintf("%s has no %s rules", groups, dir)
			}
		}
		id := groups
		if id == "" {
			id = ni.ID
		}
		out = append(out, piece{space: rest, hop: Hop{ID: id, Type: model.TypeSecurityGroup, Action: "deny: no " + dir + " rule matches"},
			block: &Block{ID: id, Type: model.TypeSecurityGroup, Code: code, Reason: reason}})
	}
	return out
}

// groupsUnknown says why the security groups of an interface are unknown
// (a template that names none in a VPC whose default group is not in the
// sources, a parameter without value), or "" when they are known.
func groupsUnknown(ni *model.NetworkInterface) string {
	for _, u := range ni.Unknowns {
		if u.Field == "SecurityGroupIds" || u.Field == "SecurityGroups" || u.Field == "GroupSet" {
			return fmt.Sprintf("security groups of %s: %s", ni.ID, u.Reason)
		}
	}
	return ""
}

// noGroupsByNature reports interfaces that carry no security groups by
// design: NAT gateways, transit gateway attachments, network load
// balancers created without groups, Gateway Load Balancer endpoints.
func noGroupsByNature(ni *model.NetworkInterface) bool {
	switch ni.InterfaceType {
	case "nat_gateway", "transit_gateway", "network_load_balancer", "gateway_load_balancer", "gateway_load_balancer_endpoint":
		return true
	}
	return ni.OwnerKind == model.OwnerNATGateway || ni.OwnerKind == model.OwnerTGWAttachment
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func uniq(ss []string) []string {
	if len(ss) <= 16 {
		// Few: compared with those kept, no map.
		var out []string
	next:
		for _, s := range ss {
			for _, o := range out {
				if o == s {
					continue next
				}
			}
			out = append(out, s)
		}
		return out
	}
	seen := make(map[string]bool, len(ss))
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// peerSet returns a rule peer's addresses, or every address with the
// reason when the peer is not known.
func (e *Engine) peerSet(p model.Peer) (*ipset.Set, string) {
	switch p.Kind {
	case model.PeerCIDR:
		return SetOf([]netip.Prefix{p.CIDR}), ""
	case model.PeerPrefixList:
		if s, ok := e.prefixListSet(p.ID); ok {
			return s, ""
		}
		if e.awsServiceList(p.ID) {
			// An AWS service's addresses are public ones.
			return internetSet, fmt.Sprintf("entries of prefix list %s are unknown", p.ID)
		}
		return fullSet, fmt.Sprintf("entries of prefix list %s are unknown", p.ID)
	case model.PeerSecurityGroup:
		if s, ok := e.memberSet(p.ID); ok {
			sg, _ := e.Net.SecurityGroups.Get(p.ID)
			if why := e.Net.NotCovered(model.TypeNetworkInterface, sg); why != "" {
				// Members the sources do not list may hold any address.
				return fullSet, fmt.Sprintf("members of security group %s are not all known (%s)", p.ID, why)
			}
			return s, ""
		}
		return fullSet, fmt.Sprintf("members of security group %s are not in the sources", p.ID)
	}
	why := p.Unknown()
	if why == "" {
		why = "unknown peer"
	}
	return fullSet, why
}

func describeSGRule(r model.SGRule) string {
	var b strings.Builder
	b.WriteString(r.Protocol.String())
	switch {
	case r.Protocol.HasPorts():
		b.WriteString("/" + r.Ports.String())
	case r.Protocol.IsICMP() && r.ICMP != model.AnyICMP:
		fmt.Fprintf(&b, " type %d code %d", r.ICMP.Type, r.ICMP.Code)
	}
	if r.Egress {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		b.WriteString(r.Peer.CIDR.String())
	case model.PeerUnknown:
		b.WriteString("(unknown)")
	default:
		b.WriteString(r.Peer.ID)
	}
	return b.String()
}

// naclFilter applies a network ACL in one direction, first match by rule
// number. reply says the packets are replies: rules are then read in the
// reply's orientation. Entries with unknown CIDRs make the parts they
// could change possibly-reachable.
func (e *Engine) naclFilter(space Space, acl *model.NetworkACL, where string, egress, reply bool, rw *rewrite) []piece {
	dir := "inbound"
	if egress {
		dir = "outbound"
	}
	label := dir
	if where != "" {
		label = where + " " + dir
	}
	if reply {
		label += " (reply)"
	}
	type acc struct {
		space Space
		rules []string
	}
	var allow, maybe acc
	var out []piece
	rest := space
	unkAllow, unkDeny := "", ""
	for _, en := range acl.Entries {
		if en.Egress != egress || len(rest) == 0 {
			continue
		}
		cidr := fullSet
		if en.CIDRUnknown == "" {
			cidr = SetOf([]netip.Prefix{en.CIDR})
		}
		c := ruleCube(en.Protocol, en.Ports, en.ICMP, cidr, egress)
		var fwd Space
		if reply {
			fwd = c.Reverse()
		} else {
			fwd = Space{c}
		}
		var pre Space
		partial := ""
		for _, x := range fwd {
			if p, ok, why := rw.preimage(x); ok {
				pre = append(pre, p)
				if why != "" {
					partial = why
				}
			}
		}
		hit := rest.Intersect(pre)
		if hit.Empty() {
			continue
		}
		rule := fmt.Sprintf("rule %d %s", en.RuleNumber, en.Action)
		if en.RuleNumber == 32767 {
			rule = fmt.Sprintf("rule * %s", en.Action)
		}
		if en.CIDRUnknown != "" || partial != "" {
			// The entry may or may not match: what follows is uncertain.
			why := fmt.Sprintf("%s rule %d has an unknown CIDR (%s)", acl.ID, en.RuleNumber, en.CIDRUnknown)
			if en.CIDRUnknown == "" {
				why = fmt.Sprintf("%s rule %d matches only some ports: %s", acl.ID, en.RuleNumber, partial)
			}
			if en.Action == model.NACLAllow {
				unkAllow = why
			} else {
				unkDeny = why
			}
			continue
		}
		rest = rest.Subtract(pre)
		if en.Action == model.NACLAllow {
			if unkDeny != "" {
				maybe.space = maybe.space.Union(hit)
				maybe.rules = append(maybe.rules, rule)
			} else {
				allow.space = allow.space.Union(hit)
				allow.rules = append(allow.rules, rule)
			}
			continue
		}
		if unkAllow != "" {
			maybe.space = maybe.space.Union(hit)
			maybe.rules = append(maybe.rules, rule)
			continue
		}
		out = append(out, piece{space: hit, hop: Hop{ID: acl.ID, Type: model.TypeNetworkACL, Action: label + " " + rule},
			block: &Block{ID: acl.ID, Type: model.TypeNetworkACL, Code: CodeSubnetACL, Reason: fmt.Sprintf("%s %s %s denies the traffic", acl.ID, dir, rule)}})
	}
	if !allow.space.Empty() {
		out = append([]piece{{space: allow.space, pass: true, hop: Hop{ID: acl.ID, Type: model.TypeNetworkACL, Action: label + " " + strings.Join(allow.rules, ", ")}}}, out...)
	}
	if !maybe.space.Empty() {
		why := unkDeny
		if why == "" {
			why = unkAllow
		}
		out = append(out, piece{space: maybe.space, pass: true, reason: why, hop: Hop{ID: acl.ID, Type: model.TypeNetworkACL, Action: label + " " + strings.Join(maybe.rules, ", ") + " (possibly)"}})
	}
	if !rest.Empty() {
		if unkAllow != "" {
			out = append(out, piece{space: rest, pass: true, reason: unkAllow, hop: Hop{ID: acl.ID, Type: model.TypeNetworkACL, Action: label + " possibly allowed by an entry with unknown CIDR"}})
		} else {
			out = append(out, piece{space: rest, hop: Hop{ID: acl.ID, Type: model.TypeNetworkACL, Action: label + " rule * deny"},
				block: &Block{ID: acl.ID, Type: model.TypeNetworkACL, Code: CodeSubnetACL, Reason: fmt.Sprintf("no %s rule of %s allows the traffic (rule * deny)", dir, acl.ID)}})
		}
	}
	return out
}

// rewrite is the source translation in force on a branch: packets keep
// their original headers in the Space; filters after the translation are
// read through it.
type rewrite struct {
	src        *ipset.Set // translated source addresses, or nil
	dst        *ipset.Set // translated destination addresses, or nil
	remapPorts bool       // source port remapped to an ephemeral port (NAT)
}

// then returns the rewrite followed by another translation.
func (rw *rewrite) then(n rewrite) *rewrite {
	out := n
	if rw != nil {
		if out.src == nil {
			out.src = rw.src
		}
		if out.dst == nil {
			out.dst = rw.dst
		}
		out.remapPorts = out.remapPorts || rw.remapPorts
	}
	return &out
}

// preimage returns the original-header packets that a filter cube c over
// translated headers selects. partial explains an approximation (a NAT
// whose remapped ports the rule only partly covers).
func (rw *rewrite) preimage(c Cube) (Cube, bool, string) {
	if rw == nil {
		return c, true, ""
	}
	out := c
	partial := ""
	// A translated address may be one of a set (an address AWS picks at
	// deploy time): the filter matches for certain only when it covers
	// every address of the set, and not at all when it covers none.
	if rw.src != nil {
		if !rw.src.Overlaps(c.Src) {
			return c, false, ""
		}
		if !covers(c.Src, rw.src) {
			partial = fmt.Sprintf("the translated source is one of %s, picked by AWS, and the rule matches only some of them", describeSet(rw.src))
		}
		out.Src = fullSet
	}
	if rw.dst != nil {
		if !rw.dst.Overlaps(c.Dst) {
			return c, false, ""
		}
		if !covers(c.Dst, rw.dst) {
			partial = fmt.Sprintf("the translated destination is one of %s, picked by AWS, and the rule matches only some of them", describeSet(rw.dst))
		}
		out.Dst = fullSet
	}
	if rw.remapPorts && !c.Proto.And(portProtos).Empty() {
		eph := RangeOf(model.Ephemeral)
		switch {
		case c.SrcPorts.Covers(eph):
			out.SrcPorts = AllRanges()
		case c.SrcPorts.Intersect(eph).Empty():
			return c, false, ""
		default:
			out.SrcPorts = AllRanges()
			partial = "the NAT gateway picks the source port and the rule allows only some ephemeral ports"
		}
	}
	return out, true, partial
}

// Route kinds in AWS's order of priority among routes of the same prefix.
const (
	rankLocal = iota
	rankStatic
	rankPrefixList
	rankPropagated
)

// routeRank ranks a route among routes to the same prefix.
func routeRank(r *model.Route) int {
	switch {
	case r.TargetKind == model.TargetLocal:
		return rankLocal
	case r.CreatedBy == "EnableVgwRoutePropagation":
		return rankPropagated
	case r.DestinationPrefixListID != "":
		return rankPrefixList
	default:
		return rankStatic
	}
}

// insideAny reports whether p lies within one of the prefixes.
func insideAny(p netip.Prefix, in []netip.Prefix) bool {
	for _, q := range in {
		if q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// routeRegion is the part of the address space a route wins by longest
// prefix match.
type routeRegion struct {
	route  *model.Route
	region *ipset.Set
	dest   string
}

// regions computes, once per table, which addresses each route wins.
// Prefix-list routes count each entry as a prefix. ok is false with the
// reason when a destination is unknown.
func (e *Engine) regions(rt *model.RouteTable) ([]routeRegion, string) {
	regs, why, _ := e.regionsScoped(rt)
	return regs, why
}

// awsServiceList reports a prefix list of an AWS service (S3, DynamoDB):
// its entries, even unknown, are public addresses.
func (e *Engine) awsServiceList(id string) bool {
	if strings.Contains(id, "com.amazonaws.") {
		return true
	}
	pl, ok := e.Net.PrefixLists.Get(id)
	return ok && strings.HasPrefix(pl.PrefixListName, "com.amazonaws.")
}

// regionsScoped is regions with the destinations the unknown reason can
// concern (every address, or only public ones when the unknown is an AWS
// service's prefix list).
func (e *Engine) regionsScoped(rt *model.RouteTable) ([]routeRegion, string, *ipset.Set) {
	type ent struct {
		p netip.Prefix
		i int
	}
	var ents []ent
	var unknown string
	scope := emptySet
	for i := range rt.Routes {
		r := &rt.Routes[i]
		switch {
		case r.DestinationUnknown != "":
			unknown = fmt.Sprintf("%s has a route with unknown destination (%s)", rt.ID, r.DestinationUnknown)
			scope = fullSet
		case r.DestinationPrefixListID != "":
			pl, ok := e.Net.PrefixLists.Get(r.DestinationPrefixListID)
			if !ok || !pl.EntriesKnown {
				unknown = fmt.Sprintf("%s routes prefix list %s whose entries are unknown", rt.ID, r.DestinationPrefixListID)
				if e.awsServiceList(r.DestinationPrefixListID) {
					scope = scope.Union(internetSet)
				} else {
					scope = fullSet
				}
				continue
			}
			for _, p := range pl.Entries {
				ents = append(ents, ent{p.Masked(), i})
			}
		case r.Destination.IsValid():
			ents = append(ents, ent{r.Destination.Masked(), i})
		}
	}
	e.mu.Lock()
	if rr, ok := e.rtRegions[rt]; ok {
		e.mu.Unlock()
		return rr, unknown, scope
	}
	e.mu.Unlock()
	// AWS's route priority, whatever order the sources list the routes
	// in: longest prefix first; for the same prefix the local route, then
	// static routes, then prefix-list routes, then propagated routes
	// (which all lead to the VPC's one virtual private gateway, where
	// Direct Connect BGP, VPN static and VPN BGP routes are ranked).
	// A propagated route inside the local route's CIDR loses to it even
	// when more specific.
	// https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
	// https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html
	var locals []netip.Prefix
	for _, en := range ents {
		if rt.Routes[en.i].TargetKind == model.TargetLocal {
			locals = append(locals, en.p)
		}
	}
	if len(locals) > 0 {
		kept := ents[:0:0]
		for _, en := range ents {
			if routeRank(&rt.Routes[en.i]) == rankPropagated && insideAny(en.p, locals) {
				continue
			}
			kept = append(kept, en)
		}
		ents = kept
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].p.Bits() != ents[b].p.Bits() {
			return ents[a].p.Bits() > ents[b].p.Bits()
		}
		return routeRank(&rt.Routes[ents[a].i]) < routeRank(&rt.Routes[ents[b].i])
	})
	byRoute := map[int]*ipset.Builder{}
	seenPrefix := map[netip.Prefix]bool{}
	for _, en := range ents {
		// Prefixes nest or are disjoint: a route wins its prefix minus
		// the more specific prefixes inside it; of equal prefixes the
		// first (sorted) wins.
		if seenPrefix[en.p] {
			continue
		}
		seenPrefix[en.p] = true
		var b ipset.Builder
		b.AddPrefix(en.p)
		for _, o := range ents {
			if o.p.Bits() > en.p.Bits() && en.p.Overlaps(o.p) {
				b.RemovePrefix(o.p)
			}
		}
		s := b.Set()
		if s.Empty() {
			continue
		}
		if byRoute[en.i] == nil {
			byRoute[en.i] = &ipset.Builder{}
		}
		byRoute[en.i].AddSet(s)
	}
	var out []routeRegion
	for i := range rt.Routes {
		b := byRoute[i]
		if b == nil {
			continue
		}
		s := b.Set()
		r := &rt.Routes[i]
		d := r.Destination.String()
		if r.DestinationPrefixListID != "" {
			d = r.DestinationPrefixListID
		}
		out = append(out, routeRegion{route: r, region: s, dest: d})
	}
	e.mu.Lock()
	e.rtRegions[rt] = out
	e.mu.Unlock()
	return out, unknown, scope
}

// Special addresses (R1.1, R1.8): reached from an instance with no
// security-group or network-ACL check.
var (
	amazonDNSLinkLocal = netip.MustParseAddr("169.254.169.253")
	imdsAddr           = netip.MustParseAddr("169.254.169.254")
	timeSyncAddr       = netip.MustParseAddr("169.254.169.123")
	amazonDNSv6        = netip.MustParseAddr("fd00:ec2::253")
	imdsv6             = netip.MustParseAddr("fd00:ec2::254")
	timeSyncv6         = netip.MustParseAddr("fd00:ec2::123")
)

// ServiceName names an Amazon-provided service address seen from a VPC:
// the Amazon DNS server (VPC base+2, 169.254.169.253, fd00:ec2::253),
// instance metadata and Amazon Time Sync. ok is false for other addresses.
func ServiceName(vpc *model.VPC, a netip.Addr) (string, bool) {
	switch a {
	case amazonDNSLinkLocal, amazonDNSv6:
		return "Amazon DNS server", true
	case imdsAddr, imdsv6:
		return "instance metadata service", true
	case timeSyncAddr, timeSyncv6:
		return "Amazon Time Sync Service", true
	}
	if vpc != nil {
		if d, ok := vpc.DNSServerAddr(); ok && d == a {
			return "Amazon DNS server", true
		}
	}
	return "", false
}

func serviceSet(vpc *model.VPC) *ipset.Set {
	addrs := []netip.Addr{amazonDNSLinkLocal, imdsAddr, timeSyncAddr, amazonDNSv6, imdsv6, timeSyncv6}
	if vpc != nil {
		if d, ok := vpc.DNSServerAddr(); ok {
			addrs = append(addrs, d)
		}
	}
	return SetOf(nil, addrs...)
}

// Address ranges that are never on the internet.
var nonPublic = SetOf([]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("224.0.0.0/3"),
	netip.MustParsePrefix("::/3"), netip.MustParsePrefix("4000::/2"), netip.MustParsePrefix("8000::/1"),
})

// InternetAddrs is every public address (IPv4 outside the private, shared,
// loopback, link-local and multicast ranges; IPv6 2000::/3).
func InternetAddrs() *ipset.Set { return internetSet }

// PrivateAddrs is every address that is not public: what private networks
// (peered VPCs, transit gateways, on-premises) send from.
func PrivateAddrs() *ipset.Set { return nonPublicSet }

var nonPublicSet = fullSet.Minus(internetSet)

var internetSet = fullSet.Minus(nonPublic)

// publicV4 is every public IPv4 address: the values an address AWS
// allocates at deploy time (an elastic or auto-assigned public IP) can take.
var publicV4 = internetSet.Intersect(SetOf([]netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}))

// covers reports whether every address of sub is in s.
func covers(s, sub *ipset.Set) bool { return sub.Minus(s).Empty() }

// IsPublic reports whether an address is routable on the internet.
func IsPublic(a netip.Addr) bool { return internetSet.Contains(a) }

var rfc1918 = SetOf([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16")})

// dstCube selects packets by destination only.
func dstCube(dst *ipset.Set) Cube {
	c := AllPackets()
	c.Dst = dst
	return c
}

// srcCube selects packets by source only.
func srcCube(src *ipset.Set) Cube {
	c := AllPackets()
	c.Src = src
	return c
}

// pick returns the packets of s whose headers, read through rw, fall in c.
func pick(s Space, c Cube, rw *rewrite) Space {
	pre, ok, _ := rw.preimage(c)
	if !ok {
		return nil
	}
	return s.IntersectCube(pre)
}

// ruleUnknowns lists a security group's unknowns that may hide rules: not
// its VPC, name, description or tags, which filter nothing (an unknown
// VPC of a group matters through the interfaces that carry it).
func ruleUnknowns(sg *model.SecurityGroup) string {
	return unknownsExcept(sg, func(f string) bool {
		switch f {
		case "VpcId", "GroupName", "GroupDescription", "Description", "Tags":
			return true
		}
		return false
	})
}

// peerPart is part of a rule's peer, matched definitely (why "") or
// possibly (why says why).
type peerPart struct {
	peer *ipset.Set
	why  string
}

// candidatePeers splits an unknown peer that is one of a few known CIDRs
// (a parameter's AllowedValues) into what every candidate holds (sure)
// and what only some do (maybe); ok is false for other peers.
func candidatePeers(p model.Peer) (sure, maybe *ipset.Set, ok bool) {
	cs := p.Candidates()
	if p.Kind != model.PeerUnknown || len(cs) == 0 {
		return nil, nil, false
	}
	sure = SetOf([]netip.Prefix{cs[0]})
	union := sure
	for _, c := range cs[1:] {
		one := SetOf([]netip.Prefix{c})
		sure = sure.Intersect(one)
		union = union.Union(one)
	}
	return sure, union.Minus(sure), true
}
