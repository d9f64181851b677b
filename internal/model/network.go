package model

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Network is the whole modelled network: every account and region read
// from every source, merged.
type Network struct {
	VPCs                  Collection[*VPC]
	Subnets               Collection[*Subnet]
	DHCPOptions           Collection[*DHCPOptions]
	RouteTables           Collection[*RouteTable]
	SecurityGroups        Collection[*SecurityGroup]
	NetworkACLs           Collection[*NetworkACL]
	NetworkInterfaces     Collection[*NetworkInterface]
	Instances             Collection[*Instance]
	InternetGateways      Collection[*InternetGateway]
	EgressOnlyIGWs        Collection[*EgressOnlyInternetGateway]
	NATGateways           Collection[*NATGateway]
	ElasticIPs            Collection[*ElasticIP]
	PeeringConnections    Collection[*PeeringConnection]
	TransitGateways       Collection[*TransitGateway]
	TGWAttachments        Collection[*TGWAttachment]
	TGWRouteTables        Collection[*TGWRouteTable]
	VPNGateways           Collection[*VPNGateway]
	VPNConnections        Collection[*VPNConnection]
	CustomerGateways      Collection[*CustomerGateway]
	DirectConnectGateways Collection[*DirectConnectGateway]
	VirtualInterfaces     Collection[*VirtualInterface]
	VPCEndpoints          Collection[*VPCEndpoint]
	PrefixLists           Collection[*PrefixList]
	LoadBalancers         Collection[*LoadBalancer]
	TargetGroups          Collection[*TargetGroup]
	ClientVPNEndpoints    Collection[*ClientVPNEndpoint]
	HostedZones           Collection[*HostedZone]
	ResolverEndpoints     Collection[*ResolverEndpoint]
	ResolverRules         Collection[*ResolverRule]
	ResolverRuleAssocs    Collection[*ResolverRuleAssociation]
	FirewallRuleGroups    Collection[*FirewallRuleGroup]
	FirewallDomainLists   Collection[*FirewallDomainList]
	FirewallAssociations  Collection[*FirewallRuleGroupAssociation]
	// NetworkFirewalls, NetworkFirewallPolicies and
	// NetworkFirewallRuleGroups are AWS Network Firewall (netfirewall.go).
	NetworkFirewalls          Collection[*NetworkFirewall]
	NetworkFirewallPolicies   Collection[*NetworkFirewallPolicy]
	NetworkFirewallRuleGroups Collection[*NetworkFirewallRuleGroup]

	// Sources are the paths read, in order.
	Sources []string
	// NotModelled counts resources of types vpcreach reads but does not
	// model (CloudFormation types outside the network, snapshot files of
	// services it ignores), by type name.
	NotModelled map[string]int
	// Warnings collects what sources and Finalize noticed.
	Warnings []Warning
	// Coverage says which kinds of resource the sources described in
	// each scope; nil for a network built whole.
	Coverage *Coverage

	idx *indexes
}

// Warn records a warning.
func (n *Network) Warn(w Warning) {
	if w.Severity == "" {
		w.Severity = SevWarning
	}
	n.Warnings = append(n.Warnings, w)
}

// Warnf records a warning with a formatted message.
func (n *Network) Warnf(code string, origin Origin, resource, format string, args ...any) {
	n.Warn(Warning{Code: code, Origin: origin, Resource: resource, Message: fmt.Sprintf(format, args...)})
}

// CountNotModelled records one resource of a type that is read but not modelled.
func (n *Network) CountNotModelled(typ string) {
	if n.NotModelled == nil {
		n.NotModelled = make(map[string]int)
	}
	n.NotModelled[typ]++
}

// elementSet is a collection of one kind of element, as Elements and
// elementByID read it.
type elementSet interface {
	eachElement(fn func(Element))
	element(id string) (Element, bool)
}

func (c *Collection[T]) eachElement(fn func(Element)) {
	for _, e := range c.All() {
		fn(e)
	}
}

func (c *Collection[T]) element(id string) (Element, bool) {
	e, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	return e, true
}

// kinds lists the network's collections, in the order Elements visits
// them.
func (n *Network) kinds() [36]elementSet {
	return [...]elementSet{
		&n.VPCs,
		&n.Subnets,
		&n.DHCPOptions,
		&n.RouteTables,
		&n.SecurityGroups,
		&n.NetworkACLs,
		&n.NetworkInterfaces,
		&n.Instances,
		&n.InternetGateways,
		&n.EgressOnlyIGWs,
		&n.NATGateways,
		&n.ElasticIPs,
		&n.PeeringConnections,
		&n.TransitGateways,
		&n.TGWAttachments,
		&n.TGWRouteTables,
		&n.VPNGateways,
		&n.VPNConnections,
		&n.CustomerGateways,
		&n.DirectConnectGateways,
		&n.VirtualInterfaces,
		&n.VPCEndpoints,
		&n.PrefixLists,
		&n.LoadBalancers,
		&n.TargetGroups,
		&n.ClientVPNEndpoints,
		&n.HostedZones,
		&n.ResolverEndpoints,
		&n.ResolverRules,
		&n.ResolverRuleAssocs,
		&n.FirewallRuleGroups,
		&n.FirewallDomainLists,
		&n.FirewallAssociations,
		&n.NetworkFirewalls,
		&n.NetworkFirewallPolicies,
		&n.NetworkFirewallRuleGroups,
	}
}

// Elements calls fn for every element of every kind, kinds in a fixed
// order and elements sorted by ID.
func (n *Network) Elements(fn func(Element)) {
	for _, c := range n.kinds() {
		c.eachElement(fn)
	}
}

// elementByID returns the element with that ID; when elements of several
// kinds have it, the one of the kind Elements visits last.
func (n *Network) elementByID(id string) (Element, bool) {
	ks := n.kinds()
	for i := len(ks) - 1; i >= 0; i-- {
		if e, ok := ks[i].element(id); ok {
			return e, true
		}
	}
	return nil, false
}

// Counts returns how many elements of each type the network holds.
func (n *Network) Counts() map[string]int {
	out := make(map[string]int)
	n.Elements(func(e Element) { out[e.Type()]++ })
	return out
}

// Scope is one account and region.
type Scope struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

// Scopes returns the (account, region) pairs present, sorted.
func (n *Network) Scopes() []Scope {
	seen := map[Scope]bool{}
	n.Elements(func(e Element) {
		m := e.Base()
		seen[Scope{m.Account, m.Region}] = true
	})
	out := make([]Scope, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sortScopes(out)
	return out
}

// sortScopes orders scopes by account, then region.
func sortScopes(ss []Scope) {
	sort.Slice(ss, func(i, j int) bool {
		if ss[i].Account != ss[j].Account {
			return ss[i].Account < ss[j].Account
		}
		return ss[i].Region < ss[j].Region
	})
}

// CountsByScope returns element counts by type for each scope.
func (n *Network) CountsByScope() map[Scope]map[string]int {
	out := map[Scope]map[string]int{}
	n.Elements(func(e Element) {
		m := e.Base()
		s := Scope{m.Account, m.Region}
		if out[s] == nil {
			out[s] = map[string]int{}
		}
		out[s][e.Type()]++
	})
	return out
}

// indexes are built by Finalize.
type indexes struct {
	// refs, the elements by logical ID and name, is built when first
	// asked for (refIndex): an analysis that looks up no such reference
	// needs no index of every element.
	refsOnce       sync.Once
	refs           *refIndex
	subnetRT       map[string]*RouteTable // subnet ID -> effective route table
	gatewayRT      map[string]*RouteTable // IGW/VGW ID -> edge-associated route table
	mainRT         map[string]*RouteTable // VPC ID -> main route table
	enisBySubnet   map[string][]*NetworkInterface
	enisByAddr     map[netip.Addr][]*NetworkInterface
	enisByPublic   map[netip.Addr]*NetworkInterface
	sgMembers      map[string][]*NetworkInterface
	subnetsByVPC   map[string][]*Subnet
	igwByVPC       map[string]*InternetGateway
	eigwByVPC      map[string]*EgressOnlyInternetGateway
	vgwByVPC       map[string]*VPNGateway
	peeringsByVPC  map[string][]*PeeringConnection
	tgwAttachByVPC map[string][]*TGWAttachment
	endpointsByVPC map[string][]*VPCEndpoint
	// firewallByEndpoint: Network Firewall endpoint ID -> its firewall.
	firewallByEndpoint map[string]firewallEndpointRef
	// vpcByCIDR: a VPC CIDR (masked) -> the place in VPCs.All() of the
	// first VPC that has it; cidrBits4 and cidrBits6 are the prefix
	// lengths it holds (see VPCContaining).
	vpcByCIDR            map[netip.Prefix]int
	cidrBits4, cidrBits6 []int
}

// refIndex holds the elements by the references Lookup takes besides
// their IDs (which elementByID finds in each kind's own index).
type refIndex struct {
	byLogicalID map[string]Element
	// byName holds the element of each Name tag (or load balancer name)
	// that one element carries, nil for a name several carry.
	byName map[string]Element
}

// refIndex returns the network's index of references, built once.
func (n *Network) refIndex() *refIndex {
	ix := n.index()
	ix.refsOnce.Do(func() {
		r := &refIndex{byLogicalID: map[string]Element{}, byName: map[string]Element{}}
		n.Elements(func(e Element) {
			m := e.Base()
			if m.LogicalID != "" {
				r.byLogicalID[m.LogicalID] = e
			}
			if m.Name != "" {
				if _, seen := r.byName[m.Name]; seen {
					r.byName[m.Name] = nil
				} else {
					r.byName[m.Name] = e
				}
			}
		})
		// ELB names are REFs too (cli.md); the loop above has indexed
		// them already through Meta.Name, so a name is ambiguous only
		// when another element carries it as well.
		ix.refs = r
	})
	return ix.refs
}

// Finalize links the network: derives defaults the sources leave implicit
// (subnet NACLs, main route tables), reports dangling references as
// warnings, and builds the indexes. Call it once after the last source;
// the network is read-only afterwards.
func (n *Network) Finalize() {
	enis := n.NetworkInterfaces.Len()
	ix := &indexes{
		subnetRT:       map[string]*RouteTable{},
		gatewayRT:      map[string]*RouteTable{},
		mainRT:         map[string]*RouteTable{},
		enisBySubnet:   make(map[string][]*NetworkInterface, n.Subnets.Len()),
		enisByAddr:     make(map[netip.Addr][]*NetworkInterface, enis),
		enisByPublic:   map[netip.Addr]*NetworkInterface{},
		sgMembers:      make(map[string][]*NetworkInterface, n.SecurityGroups.Len()),
		subnetsByVPC:   make(map[string][]*Subnet, n.VPCs.Len()),
		igwByVPC:       map[string]*InternetGateway{},
		eigwByVPC:      map[string]*EgressOnlyInternetGateway{},
		vgwByVPC:       map[string]*VPNGateway{},
		peeringsByVPC:  map[string][]*PeeringConnection{},
		tgwAttachByVPC: map[string][]*TGWAttachment{},
		endpointsByVPC: map[string][]*VPCEndpoint{},
	}
	n.idx = ix

	ix.vpcByCIDR = map[netip.Prefix]int{}
	for i, v := range n.VPCs.All() {
		if v.DHCPOptionsID != "" && v.DHCPOptionsID != DHCPOptionsDefault && v.DHCPOptionsID != DHCPOptionsNone {
			checkRefIn(n, &n.DHCPOptions, v, "DhcpOptionsId", v.DHCPOptionsID)
		}
		for _, cidrs := range [2][]netip.Prefix{v.CIDRs, v.IPv6CIDRs} {
			for _, c := range cidrs {
				if !c.IsValid() {
					continue
				}
				p := c.Masked()
				if _, ok := ix.vpcByCIDR[p]; ok {
					continue
				}
				ix.vpcByCIDR[p] = i
				bits := &ix.cidrBits6
				if p.Addr().Is4() {
					bits = &ix.cidrBits4
				}
				if !slices.Contains(*bits, p.Bits()) {
					*bits = append(*bits, p.Bits())
				}
			}
		}
	}
	for _, s := range n.Subnets.All() {
		checkRefIn(n, &n.VPCs, s, "VpcId", s.VPCID)
		ix.subnetsByVPC[s.VPCID] = append(ix.subnetsByVPC[s.VPCID], s)
	}

	// Default security groups and network ACLs.
	for _, sg := range n.SecurityGroups.All() {
		checkRefIn(n, &n.VPCs, sg, "VpcId", sg.VPCID)
		if v, ok := n.VPCs.Get(sg.VPCID); ok && sg.IsDefault() && v.DefaultSecurityGroupID == "" {
			v.DefaultSecurityGroupID = sg.ID
		}
	}
	for _, acl := range n.NetworkACLs.All() {
		checkRefIn(n, &n.VPCs, acl, "VpcId", acl.VPCID)
		sort.SliceStable(acl.Entries, func(i, j int) bool { return acl.Entries[i].RuleNumber < acl.Entries[j].RuleNumber })
		if v, ok := n.VPCs.Get(acl.VPCID); ok && acl.IsDefault && v.DefaultNetworkACLID == "" {
			v.DefaultNetworkACLID = acl.ID
		}
		for _, sid := range acl.SubnetIDs {
			if s, ok := n.Subnets.Get(sid); ok {
				s.NetworkACLID = acl.ID
			} else {
				n.dangling(acl, "SubnetId", sid)
			}
		}
	}
	for _, s := range n.Subnets.All() {
		if s.NetworkACLID == "" {
			if v, ok := n.VPCs.Get(s.VPCID); ok {
				s.NetworkACLID = v.DefaultNetworkACLID
			}
		}
	}

	// Route tables: main, explicit and edge associations.
	for _, rt := range n.RouteTables.All() {
		checkRefIn(n, &n.VPCs, rt, "VpcId", rt.VPCID)
		for _, a := range rt.Associations {
			switch {
			case a.Main:
				ix.mainRT[rt.VPCID] = rt
			case a.SubnetID != "":
				ix.subnetRT[a.SubnetID] = rt
				checkRefIn(n, &n.Subnets, rt, "SubnetId", a.SubnetID)
			case a.GatewayID != "":
				ix.gatewayRT[a.GatewayID] = rt
			}
		}
		for _, r := range rt.Routes {
			if r.DestinationPrefixListID != "" {
				checkRefIn(n, &n.PrefixLists, rt, "DestinationPrefixListId", r.DestinationPrefixListID)
			}
		}
	}

	for _, g := range n.InternetGateways.All() {
		for _, v := range g.VPCIDs {
			ix.igwByVPC[v] = g
		}
	}
	for _, g := range n.EgressOnlyIGWs.All() {
		for _, v := range g.VPCIDs {
			ix.eigwByVPC[v] = g
		}
	}
	for _, g := range n.VPNGateways.All() {
		for _, v := range g.VPCIDs {
			ix.vgwByVPC[v] = g
		}
	}
	for _, p := range n.PeeringConnections.All() {
		ix.peeringsByVPC[p.Requester.VPCID] = append(ix.peeringsByVPC[p.Requester.VPCID], p)
		if p.Accepter.VPCID != p.Requester.VPCID {
			ix.peeringsByVPC[p.Accepter.VPCID] = append(ix.peeringsByVPC[p.Accepter.VPCID], p)
		}
	}
	for _, a := range n.TGWAttachments.All() {
		if a.ResourceType == "vpc" && a.ResourceID != "" {
			ix.tgwAttachByVPC[a.ResourceID] = append(ix.tgwAttachByVPC[a.ResourceID], a)
		}
	}
	for _, e := range n.VPCEndpoints.All() {
		ix.endpointsByVPC[e.VPCID] = append(ix.endpointsByVPC[e.VPCID], e)
	}
	n.finalizeFirewalls(ix)

	// Interfaces. Neighbours often refer to the same element: the last
	// one found is not looked up again.
	var found string
	for _, e := range n.NetworkInterfaces.All() {
		if e.SubnetID != "" && e.SubnetID != found && checkRefIn(n, &n.Subnets, e, "SubnetId", e.SubnetID) {
			found = e.SubnetID
		}
		ix.enisBySubnet[e.SubnetID] = append(ix.enisBySubnet[e.SubnetID], e)
		for _, p := range e.PrivateIPs {
			ix.enisByAddr[p.Address] = append(ix.enisByAddr[p.Address], e)
			if p.PublicIP.IsValid() {
				ix.enisByPublic[p.PublicIP] = e
			}
		}
		for _, a := range e.IPv6 {
			ix.enisByAddr[a] = append(ix.enisByAddr[a], e)
		}
		for _, g := range e.SecurityGroupIDs {
			ix.sgMembers[g] = append(ix.sgMembers[g], e)
			if g != found && checkRefIn(n, &n.SecurityGroups, e, "SecurityGroupId", g) {
				found = g
			}
		}
	}
	for _, i := range n.Instances.All() {
		for _, id := range i.NetworkInterfaceIDs {
			if id != found && checkRefIn(n, &n.NetworkInterfaces, i, "NetworkInterfaceId", id) {
				found = id
			}
		}
	}
	for _, sg := range n.SecurityGroups.All() {
		for _, rules := range [2][]SGRule{sg.Ingress, sg.Egress} {
			for i := range rules {
				r := &rules[i]
				if r.Peer.ID == found {
					continue
				}
				switch r.Peer.Kind {
				case PeerPrefixList:
					if checkRefIn(n, &n.PrefixLists, sg, "PrefixListId", r.Peer.ID) {
						found = r.Peer.ID
					}
				case PeerSecurityGroup:
					// A group of another account or a peered VPC may be absent
					// from the sources; that is not an error of the input.
					if a := r.Peer.Account(); a == "" || a == sg.Account || a == sg.OwnerID {
						if checkRefIn(n, &n.SecurityGroups, sg, "GroupId", r.Peer.ID) {
							found = r.Peer.ID
						}
					}
				}
			}
		}
	}
}

// checkRef warns when id names no element; it reports whether id names one
// (or is empty).
func (n *Network) checkRef(from Element, field, id string) bool {
	if id == "" || n.idx == nil {
		return true
	}
	if _, ok := n.elementByID(id); !ok {
		n.dangling(from, field, id)
		return false
	}
	return true
}

// checkRefIn is checkRef looking in c, the elements of the type the field
// names, first: the kind a reference names is most often that one.
func checkRefIn[T Element](n *Network, c *Collection[T], from Element, field, id string) bool {
	if _, ok := c.Get(id); ok {
		return true
	}
	return n.checkRef(from, field, id)
}

func (n *Network) dangling(from Element, field, id string) {
	m := from.Base()
	n.Warn(Warning{
		Code:     "dangling-reference",
		Origin:   m.Origin,
		Resource: m.ID,
		Message:  fmt.Sprintf("%s %s refers to %s, which is not in the sources", from.Type(), field, id),
	})
}

func (n *Network) index() *indexes {
	if n.idx == nil {
		n.Finalize()
	}
	return n.idx
}

// Lookup finds an element by AWS ID, ARN, CloudFormation logical ID, or
// (when unique) Name tag or load balancer name.
func (n *Network) Lookup(ref string) (Element, bool) {
	if e, ok := n.elementByID(ref); ok {
		return e, true
	}
	ix := n.refIndex()
	if e, ok := ix.byLogicalID[ref]; ok {
		return e, true
	}
	if e := ix.byName[ref]; e != nil {
		return e, true
	}
	return nil, false
}

// RouteTableFor returns the route table that applies to a subnet: its
// explicit association, else its VPC's main table. explicit tells which.
func (n *Network) RouteTableFor(subnetID string) (rt *RouteTable, explicit bool) {
	ix := n.index()
	if rt, ok := ix.subnetRT[subnetID]; ok {
		return rt, true
	}
	if s, ok := n.Subnets.Get(subnetID); ok && n.Covers(TypeRouteTable, s) {
		// Without a listing of the route tables, an explicit association
		// may be missing: the main table is not known to apply.
		return ix.mainRT[s.VPCID], false
	}
	return nil, false
}

// MainRouteTable returns a VPC's main route table.
func (n *Network) MainRouteTable(vpcID string) *RouteTable { return n.index().mainRT[vpcID] }

// EdgeRouteTable returns the gateway route table associated with an IGW or
// VGW (ingress routing), or nil.
func (n *Network) EdgeRouteTable(gatewayID string) *RouteTable { return n.index().gatewayRT[gatewayID] }

// NetworkACLFor returns the NACL of a subnet, or nil when the sources do not say.
func (n *Network) NetworkACLFor(subnetID string) *NetworkACL {
	s, ok := n.Subnets.Get(subnetID)
	if !ok || s.NetworkACLID == "" {
		return nil
	}
	if !n.Covers(TypeNetworkACL, s) {
		// Without a listing of the network ACLs, the subnet's association
		// is not known.
		if acl, ok := n.NetworkACLs.Get(s.NetworkACLID); !ok || !slices.Contains(acl.SubnetIDs, subnetID) {
			return nil
		}
	}
	acl, _ := n.NetworkACLs.Get(s.NetworkACLID)
	return acl
}

// InterfacesInSubnet returns the ENIs of a subnet, sorted by ID.
func (n *Network) InterfacesInSubnet(subnetID string) []*NetworkInterface {
	return n.index().enisBySubnet[subnetID]
}

// InterfacesByAddress returns the ENIs holding a private IPv4 or IPv6
// address (several when VPCs overlap).
func (n *Network) InterfacesByAddress(a netip.Addr) []*NetworkInterface {
	return n.index().enisByAddr[a]
}

// InterfaceByPublicIP returns the ENI a public or elastic IPv4 maps to.
func (n *Network) InterfaceByPublicIP(a netip.Addr) (*NetworkInterface, bool) {
	e, ok := n.index().enisByPublic[a]
	return e, ok
}

// SecurityGroupMembers returns the ENIs a security group is attached to.
func (n *Network) SecurityGroupMembers(sgID string) []*NetworkInterface {
	return n.index().sgMembers[sgID]
}

// SubnetsOf returns a VPC's subnets, sorted by ID.
func (n *Network) SubnetsOf(vpcID string) []*Subnet { return n.index().subnetsByVPC[vpcID] }

// InternetGatewayOf returns the IGW attached to a VPC.
func (n *Network) InternetGatewayOf(vpcID string) (*InternetGateway, bool) {
	g, ok := n.index().igwByVPC[vpcID]
	return g, ok
}

// EgressOnlyIGWOf returns the egress-only IGW attached to a VPC.
func (n *Network) EgressOnlyIGWOf(vpcID string) (*EgressOnlyInternetGateway, bool) {
	g, ok := n.index().eigwByVPC[vpcID]
	return g, ok
}

// VPNGatewayOf returns the VGW attached to a VPC.
func (n *Network) VPNGatewayOf(vpcID string) (*VPNGateway, bool) {
	g, ok := n.index().vgwByVPC[vpcID]
	return g, ok
}

// PeeringsOf returns the peering connections a VPC is an end of.
func (n *Network) PeeringsOf(vpcID string) []*PeeringConnection {
	return n.index().peeringsByVPC[vpcID]
}

// TGWAttachmentsOf returns the transit gateway VPC attachments of a VPC.
func (n *Network) TGWAttachmentsOf(vpcID string) []*TGWAttachment {
	return n.index().tgwAttachByVPC[vpcID]
}

// EndpointsOf returns the VPC endpoints of a VPC.
func (n *Network) EndpointsOf(vpcID string) []*VPCEndpoint { return n.index().endpointsByVPC[vpcID] }

// VPCContaining returns the first VPC, in the order of VPCs.All(), one of
// whose CIDRs holds addr (VPCs in different accounts may share CIDRs).
// It looks up each prefix length a VPC CIDR has, not every VPC.
func (n *Network) VPCContaining(addr netip.Addr) (*VPC, bool) {
	if !addr.IsValid() || addr.Zone() != "" {
		return nil, false // as netip.Prefix.Contains: a zoned address is in no prefix
	}
	ix := n.index()
	bits := ix.cidrBits6
	if addr.Is4() {
		bits = ix.cidrBits4
	}
	first := -1
	for _, b := range bits {
		p, err := addr.Prefix(b)
		if err != nil {
			continue
		}
		if i, ok := ix.vpcByCIDR[p]; ok && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		return nil, false
	}
	return n.VPCs.All()[first], true
}

// VPCOf returns the VPC holding a subnet.
func (n *Network) VPCOf(subnetID string) (*VPC, bool) {
	s, ok := n.Subnets.Get(subnetID)
	if !ok {
		return nil, false
	}
	return n.VPCs.Get(s.VPCID)
}

// SubnetContaining returns the subnet of a VPC whose CIDR holds addr.
func (n *Network) SubnetContaining(vpcID string, addr netip.Addr) (*Subnet, bool) {
	for _, s := range n.SubnetsOf(vpcID) {
		if s.CIDR.IsValid() && s.CIDR.Contains(addr) {
			return s, true
		}
		for _, p := range s.IPv6CIDRs {
			if p.Contains(addr) {
				return s, true
			}
		}
	}
	return nil, false
}

// Describe returns "type id" for messages.
func Describe(e Element) string {
	t := e.Type()
	if i := strings.LastIndex(t, "::"); i >= 0 {
		t = t[i+2:]
	}
	return t + " " + e.Base().Label()
}
