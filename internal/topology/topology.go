// Package topology turns a model.Network into a graph to draw: VPCs and
// subnets as containers, the resources with interfaces inside their
// subnets, the gateways, peerings, transit gateways, endpoints and load
// balancers, and edges for attachments, routes, peerings and load
// balancer targets. It knows nothing of drawing formats: internal/report
// renders the graph as DOT, Mermaid or HTML.
//
// A real network holds thousands of instances: a subnet with more than
// Options.Collapse resources of one kind draws them as one node with their
// count, whose Members name every resource and interface it stands for.
package topology

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Kind is what a node stands for.
type Kind string

// Node kinds.
const (
	KindVPC             Kind = "vpc"    // a container
	KindSubnet          Kind = "subnet" // a container inside a VPC
	KindInstance        Kind = "instance"
	KindInterface       Kind = "interface" // an interface owned by no instance drawn otherwise (Lambda, RDS, ...)
	KindGroup           Kind = "group"     // several resources of one kind in a subnet, collapsed
	KindNATGateway      Kind = "nat-gateway"
	KindInternetGateway Kind = "internet-gateway"
	KindEgressOnlyIGW   Kind = "egress-only-internet-gateway"
	KindVPNGateway      Kind = "vpn-gateway"
	KindTransitGateway  Kind = "transit-gateway"
	KindPeering         Kind = "vpc-peering-connection"
	KindEndpoint        Kind = "vpc-endpoint"
	// KindFirewall is an AWS Network Firewall: its endpoints (one per
	// firewall subnet) are its members, so routes to them end at it.
	KindFirewall         Kind = "network-firewall"
	KindLoadBalancer     Kind = "load-balancer"
	KindClientVPN        Kind = "client-vpn-endpoint"
	KindResolverEndpoint Kind = "resolver-endpoint"
	KindCustomerGateway  Kind = "customer-gateway"
	KindDirectConnect    Kind = "direct-connect-gateway"
	KindInternet         Kind = "internet"
	// KindExternal is a component the network refers to that the sources
	// do not hold (a peer VPC of another account, a route's target).
	KindExternal Kind = "external"
)

// Visibility says whether a subnet is public: its route table has a route
// to an internet gateway ("The subnet has a direct route to an internet
// gateway", https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html).
type Visibility string

// Subnet visibilities.
const (
	Public  Visibility = "public"
	Private Visibility = "private"
	// Unknown: the sources do not say which route table applies.
	Unknown Visibility = "unknown"
)

// EdgeKind is what an edge stands for.
type EdgeKind string

// Edge kinds.
const (
	EdgeAttachment EdgeKind = "attachment" // a gateway attached to a VPC, a VPN to its gateway
	EdgeRoute      EdgeKind = "route"      // a subnet's route table sends these destinations there
	EdgePeering    EdgeKind = "peering"    // a VPC is an end of a peering connection
	EdgeTarget     EdgeKind = "target"     // a load balancer forwards to a target
)

// Node is one box of the drawing.
type Node struct {
	// ID is unique in the graph: the resource's ID, or for a collapsed
	// group the subnet's ID and the group's kind.
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Type is the resource's type name (AWS::EC2::Instance, ...); for a
	// group, the type of its members.
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
	// Parent is the container the node is drawn in: a VPC or a subnet.
	Parent string `json:"parent,omitempty"`
	// CIDRs of a VPC or subnet, addresses of a resource.
	CIDRs []string `json:"cidrs,omitempty"`
	// Visibility of a subnet.
	Visibility Visibility `json:"visibility,omitempty"`
	// Detail is a short description: a load balancer's scheme and type,
	// an endpoint's service, a state other than available.
	Detail string `json:"detail,omitempty"`
	// Count is how many resources a group stands for.
	Count int `json:"count,omitempty"`
	// Members are the IDs of the resources and interfaces drawn as this
	// node, the node's own ID left out.
	Members []string `json:"members,omitempty"`
}

// Edge joins two nodes (a container is a node too).
type Edge struct {
	From  string   `json:"from"`
	To    string   `json:"to"`
	Kind  EdgeKind `json:"kind"`
	Label string   `json:"label,omitempty"`
	// Blackhole marks a route whose target is gone.
	Blackhole bool `json:"blackhole,omitempty"`
}

// Graph is the drawing of a network: nodes with containers before what
// they hold, edges after.
type Graph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`

	index  map[string]int    // node ID -> position in Nodes
	member map[string]string // member ID -> node ID
}

// Options tune the graph.
type Options struct {
	// Collapse is the most resources of one kind a subnet draws one by
	// one; more are one node with their count. 0 means DefaultCollapse; a
	// negative value never collapses.
	Collapse int
}

// DefaultCollapse is Options.Collapse's default.
const DefaultCollapse = 4

// NodeOf returns the node a resource or interface ID is drawn as.
func (g *Graph) NodeOf(id string) (string, bool) {
	if _, ok := g.index[id]; ok {
		return id, true
	}
	n, ok := g.member[id]
	return n, ok
}

// Node returns the node of a drawing ID.
func (g *Graph) Node(id string) (*Node, bool) {
	i, ok := g.index[id]
	if !ok {
		return nil, false
	}
	return &g.Nodes[i], true
}

// Children returns the nodes drawn inside a container, in graph order.
func (g *Graph) Children(id string) []*Node {
	var out []*Node
	for i := range g.Nodes {
		if g.Nodes[i].Parent == id {
			out = append(out, &g.Nodes[i])
		}
	}
	return out
}

// IsContainer reports whether a node is drawn as a box holding others.
func (n *Node) IsContainer() bool { return n.Kind == KindVPC || n.Kind == KindSubnet }

// builder accumulates the graph.
type builder struct {
	n        *model.Network
	g        *Graph
	collapse int
	edges    map[Edge]bool
}

// Build draws a network.
func Build(n *model.Network, opt Options) *Graph {
	b := &builder{n: n, g: &Graph{Nodes: []Node{}, Edges: []Edge{}, index: map[string]int{}, member: map[string]string{}}, collapse: opt.Collapse, edges: map[Edge]bool{}}
	if b.collapse == 0 {
		b.collapse = DefaultCollapse
	}
	b.vpcs()
	b.gateways()
	b.resources()
	b.routes()
	b.targets()
	return b.g
}

func (b *builder) add(nd Node) {
	if _, dup := b.g.index[nd.ID]; dup {
		return
	}
	b.g.index[nd.ID] = len(b.g.Nodes)
	b.g.Nodes = append(b.g.Nodes, nd)
}

// addMember records that id is drawn as node.
func (b *builder) addMember(node, id string) {
	if id == "" || id == node {
		return
	}
	if _, ok := b.g.index[id]; ok {
		return
	}
	if _, ok := b.g.member[id]; ok {
		return
	}
	b.g.member[id] = node
	if i, ok := b.g.index[node]; ok {
		b.g.Nodes[i].Members = append(b.g.Nodes[i].Members, id)
	}
}

func (b *builder) edge(e Edge) {
	if e.From == "" || e.To == "" || e.From == e.To || b.edges[e] {
		return
	}
	b.edges[e] = true
	b.g.Edges = append(b.g.Edges, e)
}

// external makes sure a referenced component has a node: one the sources
// do not hold is drawn as such, never left out.
func (b *builder) external(id, typ string) string {
	if node, ok := b.g.NodeOf(id); ok {
		return node
	}
	b.add(Node{ID: id, Kind: KindExternal, Type: typ, Detail: "not in the sources"})
	return id
}

func prefixes(ps ...[]netip.Prefix) []string {
	var out []string
	for _, l := range ps {
		for _, p := range l {
			out = append(out, p.String())
		}
	}
	return out
}

func (b *builder) vpcs() {
	for _, v := range b.n.VPCs.All() {
		b.add(Node{ID: v.ID, Kind: KindVPC, Type: v.Type(), Name: v.Name, CIDRs: prefixes(v.CIDRs, v.IPv6CIDRs)})
	}
	for _, s := range b.n.Subnets.All() {
		parent := s.VPCID
		if _, ok := b.g.index[parent]; !ok {
			parent = ""
		}
		cidrs := prefixes(s.IPv6CIDRs)
		if s.CIDR.IsValid() {
			cidrs = append([]string{s.CIDR.String()}, cidrs...)
		}
		b.add(Node{ID: s.ID, Kind: KindSubnet, Type: s.Type(), Name: s.Name, Parent: parent, CIDRs: cidrs,
			Visibility: b.visibility(s), Detail: s.AvailabilityZone})
	}
	// The route table and network ACL of a subnet are drawn as the subnet
	// they apply to (the first one, when several share them).
	for _, s := range b.n.Subnets.All() {
		if rt, _ := b.n.RouteTableFor(s.ID); rt != nil {
			b.addMember(s.ID, rt.ID)
		}
		if s.NetworkACLID != "" {
			b.addMember(s.ID, s.NetworkACLID)
		}
	}
}

// visibility tells a public subnet from a private one by its route table.
func (b *builder) visibility(s *model.Subnet) Visibility {
	rt, _ := b.n.RouteTableFor(s.ID)
	if rt == nil {
		return Unknown
	}
	for _, r := range rt.Routes {
		if r.TargetKind == model.TargetInternetGateway && r.State != model.RouteBlackhole {
			return Public
		}
	}
	return Private
}

// inVPC is the parent of a node that belongs to a VPC: the VPC when it
// is drawn, else nothing.
func (b *builder) inVPC(vpcID string) string {
	if _, ok := b.g.index[vpcID]; ok {
		return vpcID
	}
	return ""
}

func (b *builder) internet() string {
	b.add(Node{ID: "internet", Kind: KindInternet, Name: "internet"})
	return "internet"
}

func (b *builder) gateways() {
	for _, g := range b.n.InternetGateways.All() {
		parent := ""
		if len(g.VPCIDs) == 1 {
			parent = b.inVPC(g.VPCIDs[0])
		}
		b.add(Node{ID: g.ID, Kind: KindInternetGateway, Type: g.Type(), Name: g.Name, Parent: parent})
		if len(g.VPCIDs) > 0 {
			b.edge(Edge{From: b.internet(), To: g.ID, Kind: EdgeAttachment})
		}
	}
	for _, g := range b.n.EgressOnlyIGWs.All() {
		parent := ""
		if len(g.VPCIDs) == 1 {
			parent = b.inVPC(g.VPCIDs[0])
		}
		b.add(Node{ID: g.ID, Kind: KindEgressOnlyIGW, Type: g.Type(), Name: g.Name, Parent: parent})
		if len(g.VPCIDs) > 0 {
			b.edge(Edge{From: g.ID, To: b.internet(), Kind: EdgeAttachment, Label: "IPv6 out"})
		}
	}
	for _, g := range b.n.VPNGateways.All() {
		parent := ""
		if len(g.VPCIDs) == 1 {
			parent = b.inVPC(g.VPCIDs[0])
		}
		b.add(Node{ID: g.ID, Kind: KindVPNGateway, Type: g.Type(), Name: g.Name, Parent: parent, Detail: notAvailable(g.State)})
	}
	for _, g := range b.n.NATGateways.All() {
		parent := g.SubnetID
		if _, ok := b.g.index[parent]; !ok {
			parent = b.inVPC(g.VPCID)
		}
		detail := g.ConnectivityType
		if s := notAvailable(g.State); s != "" {
			detail = strings.TrimSpace(detail + " " + s)
		}
		var addrs []string
		for _, a := range g.Addresses {
			if a.PublicIP.IsValid() {
				addrs = append(addrs, a.PublicIP.String())
			}
		}
		b.add(Node{ID: g.ID, Kind: KindNATGateway, Type: g.Type(), Name: g.Name, Parent: parent, Detail: detail, CIDRs: addrs})
		for _, a := range g.Addresses {
			b.addMember(g.ID, a.NetworkInterfaceID)
		}
	}
	for _, t := range b.n.TransitGateways.All() {
		b.add(Node{ID: t.ID, Kind: KindTransitGateway, Type: t.Type(), Name: t.Name, Detail: notAvailable(t.State)})
	}
	for _, a := range b.n.TGWAttachments.All() {
		tgw := b.external(a.TransitGatewayID, model.TypeTransitGateway)
		b.addMember(tgw, a.ID)
		switch a.ResourceType {
		case "vpc":
			b.edge(Edge{From: b.vpcNode(a.ResourceID), To: tgw, Kind: EdgeAttachment, Label: a.ID})
		case "peering":
			if a.PeerTransitGatewayID != "" {
				b.edge(Edge{From: tgw, To: b.external(a.PeerTransitGatewayID, model.TypeTransitGateway), Kind: EdgePeering, Label: a.ID})
			}
		case "direct-connect-gateway":
			if a.ResourceID != "" {
				b.edge(Edge{From: b.dxgw(a.ResourceID), To: tgw, Kind: EdgeAttachment, Label: a.ID})
			}
		}
	}
	for _, p := range b.n.PeeringConnections.All() {
		detail := ""
		if !p.IsActive() {
			detail = p.Status
		}
		b.add(Node{ID: p.ID, Kind: KindPeering, Type: p.Type(), Name: p.Name, Detail: detail})
		for _, side := range []model.PeeringSide{p.Requester, p.Accepter} {
			if side.VPCID != "" {
				b.edge(Edge{From: b.vpcNode(side.VPCID), To: p.ID, Kind: EdgePeering})
			}
		}
	}
	for _, c := range b.n.VPNConnections.All() {
		var gw string
		switch {
		case c.VPNGatewayID != "":
			gw = b.external(c.VPNGatewayID, model.TypeVPNGateway)
		case c.TransitGatewayID != "":
			gw = b.external(c.TransitGatewayID, model.TypeTransitGateway)
		default:
			continue
		}
		cgw := c.CustomerGatewayID
		if cgw == "" {
			cgw = c.ID
		}
		if g, ok := b.n.CustomerGateways.Get(cgw); ok {
			detail := ""
			if g.IPAddress.IsValid() {
				detail = g.IPAddress.String()
			}
			b.add(Node{ID: g.ID, Kind: KindCustomerGateway, Type: g.Type(), Name: g.Name, Detail: detail})
		} else {
			b.add(Node{ID: cgw, Kind: KindCustomerGateway, Type: model.TypeCustomerGateway, Detail: "on-premises"})
		}
		b.addMember(cgw, c.ID)
		b.edge(Edge{From: cgw, To: gw, Kind: EdgeAttachment, Label: "VPN " + c.ID})
	}
	for _, d := range b.n.DirectConnectGateways.All() {
		b.dxgw(d.ID)
		for _, gw := range d.AssociatedGatewayIDs {
			typ := model.TypeVPNGateway
			if strings.HasPrefix(gw, "tgw-") {
				typ = model.TypeTransitGateway
			}
			b.edge(Edge{From: d.ID, To: b.external(gw, typ), Kind: EdgeAttachment})
		}
	}
	for _, g := range b.n.VPNGateways.All() {
		if len(g.VPCIDs) > 1 { // drawn outside the VPCs it is attached to
			for _, v := range g.VPCIDs {
				b.edge(Edge{From: g.ID, To: b.vpcNode(v), Kind: EdgeAttachment})
			}
		}
	}
	for _, e := range b.n.VPCEndpoints.All() {
		detail := strings.TrimSpace(e.EndpointType + " " + shortService(e.ServiceName))
		if s := notAvailable(e.State); s != "" {
			detail += " " + s
		}
		b.add(Node{ID: e.ID, Kind: KindEndpoint, Type: e.Type(), Name: e.Name, Parent: b.inVPC(e.VPCID), Detail: detail})
		for _, ni := range e.NetworkInterfaceIDs {
			b.addMember(e.ID, ni)
		}
	}
	for _, fw := range b.n.NetworkFirewalls.All() {
		detail := ""
		if pol, ok := b.n.NetworkFirewallPolicies.Get(fw.FirewallPolicyARN); ok {
			name := pol.Name
			if name == "" {
				name = pol.ID
			}
			detail = "policy " + name
		} else if fw.FirewallPolicyARN != "" {
			detail = "policy not in the sources"
		}
		b.add(Node{ID: fw.ID, Kind: KindFirewall, Type: fw.Type(), Name: fw.Name, Parent: b.inVPC(fw.VPCID), Detail: detail})
		for _, ep := range fw.Endpoints {
			b.addMember(fw.ID, ep.EndpointID)
			if _, ok := b.g.index[ep.SubnetID]; ok {
				b.edge(Edge{From: fw.ID, To: ep.SubnetID, Kind: EdgeAttachment, Label: ep.EndpointID})
			}
		}
	}
	for _, lb := range b.n.LoadBalancers.All() {
		b.add(Node{ID: lb.ID, Kind: KindLoadBalancer, Type: lb.Type(), Name: lb.Name, Parent: b.inVPC(lb.VPCID),
			Detail: strings.TrimSpace(lb.Scheme + " " + lb.LBType)})
		if lb.IsInternetFacing() {
			b.edge(Edge{From: b.internet(), To: lb.ID, Kind: EdgeAttachment, Label: listeners(lb)})
		}
	}
	for _, r := range b.n.ResolverEndpoints.All() {
		b.add(Node{ID: r.ID, Kind: KindResolverEndpoint, Type: r.Type(), Name: r.Name, Parent: b.inVPC(r.VPCID), Detail: strings.ToLower(r.Direction)})
	}
	for _, c := range b.n.ClientVPNEndpoints.All() {
		b.add(Node{ID: c.ID, Kind: KindClientVPN, Type: c.Type(), Name: c.Name})
		b.edge(Edge{From: b.internet(), To: c.ID, Kind: EdgeAttachment, Label: "clients"})
		for _, t := range c.TargetNetworks {
			if _, ok := b.g.index[t.SubnetID]; ok {
				b.edge(Edge{From: c.ID, To: t.SubnetID, Kind: EdgeAttachment})
			}
		}
	}
}

// vpcNode is the node of a VPC, a placeholder when the sources do not hold it.
func (b *builder) vpcNode(id string) string {
	if id == "" {
		return ""
	}
	return b.external(id, model.TypeVPC)
}

func (b *builder) dxgw(id string) string {
	if _, ok := b.g.index[id]; !ok {
		name := ""
		if d, ok := b.n.DirectConnectGateways.Get(id); ok {
			name = d.Name
		}
		b.add(Node{ID: id, Kind: KindDirectConnect, Type: model.TypeDirectConnectGateway, Name: name})
	}
	return id
}

// notAvailable is a state worth showing: anything but available or active.
func notAvailable(state string) string {
	switch strings.ToLower(state) {
	case "", "available", "active", "attached":
		return ""
	}
	return state
}

// shortService drops the com.amazonaws.REGION. prefix of a service name.
func shortService(s string) string {
	parts := strings.Split(s, ".")
	if len(parts) > 3 && parts[0] == "com" && parts[1] == "amazonaws" {
		return strings.Join(parts[3:], ".")
	}
	return s
}

func listeners(lb *model.LoadBalancer) string {
	var ls []string
	for _, l := range lb.Listeners {
		ls = append(ls, fmt.Sprintf("%s/%d", strings.ToLower(l.Protocol), l.Port))
	}
	slices.Sort(ls)
	return strings.Join(slices.Compact(ls), ", ")
}

// item is one resource with interfaces to place in a subnet.
type item struct {
	id, typ, name string
	kind          Kind
	members       []string
	addrs         []string
}

// resources places instances and the interfaces no other node owns in
// their subnets, collapsing the crowded ones.
func (b *builder) resources() {
	bySubnet := map[string][]item{}
	var order []string
	place := func(subnet string, it item) {
		if _, ok := bySubnet[subnet]; !ok {
			order = append(order, subnet)
		}
		bySubnet[subnet] = append(bySubnet[subnet], it)
	}
	placed := map[string]bool{}
	for _, in := range b.n.Instances.All() {
		subnet := in.SubnetID
		it := item{id: in.ID, typ: in.Type(), name: in.Name, kind: KindInstance}
		for _, id := range in.NetworkInterfaceIDs {
			it.members = append(it.members, id)
			placed[id] = true
			if ni, ok := b.n.NetworkInterfaces.Get(id); ok {
				if subnet == "" {
					subnet = ni.SubnetID
				}
				it.addrs = append(it.addrs, addresses(ni)...)
			}
		}
		if in.AutoScalingGroup {
			it.kind = KindGroup
		}
		place(subnet, it)
	}
	for _, ni := range b.n.NetworkInterfaces.All() {
		if placed[ni.ID] {
			continue
		}
		if _, ok := b.g.NodeOf(ni.ID); ok {
			continue // a NAT gateway's or an endpoint's, drawn as its owner
		}
		if ni.OwnerID != "" {
			if node, ok := b.g.NodeOf(ni.OwnerID); ok {
				b.addMember(node, ni.ID)
				continue
			}
		}
		owner := string(ni.OwnerKind)
		switch ni.OwnerKind {
		case model.OwnerNone:
			owner = "detached"
		case model.OwnerInstance:
			owner = "instance"
		}
		place(ni.SubnetID, item{id: ni.ID, typ: ni.Type() + "/" + owner, name: ni.Name, kind: KindInterface, addrs: addresses(ni)})
	}
	for _, subnet := range order {
		items := bySubnet[subnet]
		parent := subnet
		if _, ok := b.g.index[subnet]; !ok {
			parent = ""
			if subnet != "" {
				parent = b.external(subnet, model.TypeSubnet)
			}
		}
		// Group by type: instances with instances, Lambda interfaces with
		// Lambda interfaces.
		byType := map[string][]item{}
		var types []string
		for _, it := range items {
			if _, ok := byType[it.typ]; !ok {
				types = append(types, it.typ)
			}
			byType[it.typ] = append(byType[it.typ], it)
		}
		for _, typ := range types {
			group := byType[typ]
			if b.collapse < 0 || len(group) <= b.collapse {
				for _, it := range group {
					t, _, _ := strings.Cut(it.typ, "/")
					b.add(Node{ID: it.id, Kind: it.kind, Type: t, Name: it.name, Parent: parent, CIDRs: it.addrs, Detail: ownerDetail(it.typ)})
					for _, m := range it.members {
						b.addMember(it.id, m)
					}
				}
				continue
			}
			t, _, _ := strings.Cut(typ, "/")
			id := cmp.Or(subnet, "no-subnet") + "/" + groupName(typ)
			b.add(Node{ID: id, Kind: KindGroup, Type: t, Name: fmt.Sprintf("%d %s", len(group), groupName(typ)), Parent: parent, Count: len(group)})
			for _, it := range group {
				b.addMember(id, it.id)
				for _, m := range it.members {
					b.addMember(id, m)
				}
			}
		}
	}
}

// ownerDetail says what owns an interface drawn alone.
func ownerDetail(typ string) string {
	_, kind, ok := strings.Cut(typ, "/")
	if !ok {
		return ""
	}
	return kind
}

// groupName names the members of a collapsed group.
func groupName(typ string) string {
	t, kind, _ := strings.Cut(typ, "/")
	switch {
	case kind != "":
		return kind + " interfaces"
	case t == model.TypeInstance:
		return "instances"
	case t == model.TypeAutoScalingGroup:
		return "auto scaling groups"
	}
	return strings.ToLower(t[strings.LastIndex(t, ":")+1:]) + "s"
}

func addresses(ni *model.NetworkInterface) []string {
	var out []string
	for _, p := range ni.PrivateIPs {
		out = append(out, p.Address.String())
		if p.PublicIP.IsValid() {
			out = append(out, p.PublicIP.String())
		}
	}
	for _, a := range ni.IPv6 {
		out = append(out, a.String())
	}
	return out
}

// routes draws, per subnet, one edge to each target of its route table,
// labelled with the destinations sent there.
func (b *builder) routes() {
	for _, s := range b.n.Subnets.All() {
		rt, _ := b.n.RouteTableFor(s.ID)
		if rt == nil {
			continue
		}
		b.tableRoutes(s.ID, rt)
	}
	// Gateway route tables (associated with an internet or virtual
	// private gateway) route what enters the VPC through the gateway.
	// https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html
	for _, rt := range b.n.RouteTables.All() {
		for _, a := range rt.Associations {
			if a.GatewayID == "" {
				continue
			}
			if from, ok := b.g.NodeOf(a.GatewayID); ok {
				b.tableRoutes(from, rt)
			}
		}
	}
}

// tableRoutes draws the routes of a table from the node that uses it, one
// edge per target labelled with its destinations.
func (b *builder) tableRoutes(from string, rt *model.RouteTable) {
	type key struct {
		to        string
		blackhole bool
	}
	dests := map[key][]string{}
	var keys []key
	for _, r := range rt.Routes {
		if r.TargetKind == model.TargetLocal || (r.TargetID == "" && r.Firewall == nil) {
			continue
		}
		to := b.routeTarget(r)
		if to == "" {
			continue
		}
		k := key{to, r.State == model.RouteBlackhole}
		if _, ok := dests[k]; !ok {
			keys = append(keys, k)
		}
		d := r.DestinationPrefixListID
		switch {
		case r.Destination.IsValid():
			d = r.Destination.String()
		case r.DestinationUnknown != "":
			d = "unknown destination"
		}
		dests[k] = append(dests[k], d)
	}
	for _, k := range keys {
		b.edge(Edge{From: from, To: k.to, Kind: EdgeRoute, Label: strings.Join(dests[k], ", "), Blackhole: k.blackhole})
	}
}

func (b *builder) routeTarget(r model.Route) string {
	if r.TargetID == "" && r.Firewall != nil {
		// A template's route to one of a firewall's endpoints.
		return b.external(r.Firewall.FirewallID, model.TypeNetworkFirewall)
	}
	if node, ok := b.g.NodeOf(r.TargetID); ok {
		return node
	}
	typ := ""
	switch r.TargetKind {
	case model.TargetInternetGateway:
		typ = model.TypeInternetGateway
	case model.TargetEgressOnlyIGW:
		typ = model.TypeEgressOnlyIGW
	case model.TargetNATGateway:
		typ = model.TypeNATGateway
	case model.TargetPeering:
		typ = model.TypePeering
	case model.TargetTransitGateway:
		typ = model.TypeTransitGateway
	case model.TargetVPNGateway:
		typ = model.TypeVPNGateway
	case model.TargetNetworkInterface:
		typ = model.TypeNetworkInterface
	case model.TargetInstance:
		typ = model.TypeInstance
	case model.TargetGatewayEndpoint:
		typ = model.TypeVPCEndpoint
	}
	return b.external(r.TargetID, typ)
}

// targets draws an edge from each load balancer to the nodes of its
// targets (once per node, however many targets a group holds).
func (b *builder) targets() {
	for _, lb := range b.n.LoadBalancers.All() {
		var ids []string
		ids = append(ids, lb.InstanceIDs...)
		for _, l := range lb.Listeners {
			for _, arn := range l.TargetGroupARNs {
				if tg, ok := b.n.TargetGroups.Get(arn); ok {
					for _, t := range tg.Targets {
						ids = append(ids, t.ID)
					}
				}
			}
		}
		for _, id := range ids {
			node, ok := b.g.NodeOf(id)
			if !ok {
				if a, err := netip.ParseAddr(id); err == nil {
					if nis := b.n.InterfacesByAddress(a); len(nis) == 1 {
						node, ok = b.g.NodeOf(nis[0].ID)
					}
				}
			}
			if ok {
				b.edge(Edge{From: lb.ID, To: node, Kind: EdgeTarget})
			}
		}
	}
}
