package snapshot

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	listKeys["VpcPeeringConnections"] = handle("VPC peering connections (describe-vpc-peering-connections)", (*reader).peering)
	listKeys["TransitGateways"] = handle("transit gateways (describe-transit-gateways)", (*reader).transitGateway)
	listKeys["TransitGatewayAttachments"] = handle("transit gateway attachments", (*reader).tgwAttachment)
	listKeys["TransitGatewayVpcAttachments"] = handle("transit gateway VPC attachments", (*reader).tgwVPCAttachment)
	listKeys["TransitGatewayPeeringAttachments"] = handle("transit gateway peering attachments", (*reader).tgwPeeringAttachment)
	listKeys["TransitGatewayRouteTables"] = handle("transit gateway route tables", (*reader).tgwRouteTable)
	// Batfish's files: one merged object per route table.
	listKeys["TransitGatewayStaticRoutes"] = mergedList("transit gateway route table routes")
	listKeys["TransitGatewayPropagations"] = mergedList("transit gateway route table propagations")
	listKeys["TransitGatewayAssociations"] = mergedList("transit gateway route table associations")
	listKeys["VpnGateways"] = handle("virtual private gateways (describe-vpn-gateways)", (*reader).vpnGateway)
	listKeys["VpnConnections"] = handle("VPN connections (describe-vpn-connections)", (*reader).vpnConnection)
	listKeys["CustomerGateways"] = handle("customer gateways (describe-customer-gateways)", (*reader).customerGateway)
	listKeys["DirectConnectGateways"] = handle("Direct Connect gateways", (*reader).dxGateway)
	listKeys["DirectConnectGatewayAssociations"] = handle("Direct Connect gateway associations", (*reader).dxAssociation)
	listKeys["VirtualInterfaces"] = handle("Direct Connect virtual interfaces", (*reader).virtualInterface)
	mergedHandlers = append(mergedHandlers, mergedTGWRouteTable)
}

// mergedList is a list whose elements are merged objects.
func mergedList(what string) *listHandler {
	return &listHandler{
		what: what,
		decode: func(decode func(any) error) (any, error) {
			var m map[string]json.RawMessage
			if err := decode(&m); err != nil {
				return nil, err
			}
			return m, nil
		},
		conv: func(r *reader, v any, o model.Origin) error { return r.merged(v.(map[string]json.RawMessage), nil, o) },
	}
}

// ---- peering

type peeringSideJSON struct {
	VpcId            string
	OwnerId          string
	Region           string
	CidrBlock        string
	CidrBlockSet     []struct{ CidrBlock string }
	Ipv6CidrBlockSet []struct{ Ipv6CidrBlock string }
	PeeringOptions   *struct{ AllowDnsResolutionFromRemoteVpc bool }
}

type peeringJSON struct {
	VpcPeeringConnectionId string
	RequesterVpcInfo       peeringSideJSON
	AccepterVpcInfo        peeringSideJSON
	Status                 *statusCode
	Tags                   []tag
}

func (s *peeringSideJSON) convert() (model.PeeringSide, error) {
	side := model.PeeringSide{VPCID: s.VpcId, Account: s.OwnerId, Region: s.Region}
	add := func(c string) error {
		if c == "" {
			return nil
		}
		p, err := parsePrefix("CidrBlock", c)
		if err != nil {
			return err
		}
		if !slices.Contains(side.CIDRs, p) {
			side.CIDRs = append(side.CIDRs, p)
		}
		return nil
	}
	if err := add(s.CidrBlock); err != nil {
		return side, err
	}
	for _, c := range s.CidrBlockSet {
		if err := add(c.CidrBlock); err != nil {
			return side, err
		}
	}
	for _, c := range s.Ipv6CidrBlockSet {
		p, err := parsePrefix("Ipv6CidrBlock", c.Ipv6CidrBlock)
		if err != nil {
			return side, err
		}
		side.IPv6CIDRs = append(side.IPv6CIDRs, p)
	}
	if s.PeeringOptions != nil {
		side.AllowDNSResolutionFromRemoteVPC = s.PeeringOptions.AllowDnsResolutionFromRemoteVpc
	}
	return side, nil
}

func (r *reader) peering(v *peeringJSON, o model.Origin) error {
	if v.VpcPeeringConnectionId == "" {
		return r.shapeErr(o, "", errMissing("VpcPeeringConnectionId"))
	}
	p := &model.PeeringConnection{Meta: r.meta(v.VpcPeeringConnectionId, o, v.Tags, v.RequesterVpcInfo.OwnerId, "")}
	if p.Region == "" {
		p.Region = v.RequesterVpcInfo.Region
	}
	var err error
	if p.Requester, err = v.RequesterVpcInfo.convert(); err != nil {
		return r.shapeErr(o, p.ID, err)
	}
	if p.Accepter, err = v.AccepterVpcInfo.convert(); err != nil {
		return r.shapeErr(o, p.ID, err)
	}
	if v.Status != nil {
		p.Status = v.Status.Code
	}
	put(r, &r.n.PeeringConnections, p)
	return nil
}

// ---- transit gateways

type tgwJSON struct {
	TransitGatewayId  string
	TransitGatewayArn string
	OwnerId           string
	State             string
	Options           *struct {
		AmazonSideAsn                   flexInt
		DefaultRouteTableAssociation    string
		DefaultRouteTablePropagation    string
		AssociationDefaultRouteTableId  string
		PropagationDefaultRouteTableId  string
		DnsSupport                      string
		SecurityGroupReferencingSupport string
	}
	Tags []tag
}

func (r *reader) transitGateway(v *tgwJSON, o model.Origin) error {
	if v.TransitGatewayId == "" {
		return r.shapeErr(o, "", errMissing("TransitGatewayId"))
	}
	g := &model.TransitGateway{Meta: r.meta(v.TransitGatewayId, o, v.Tags, v.OwnerId, ""), OwnerID: v.OwnerId, State: v.State}
	if g.Region == "" {
		g.Region, _ = arnScope(v.TransitGatewayArn)
	}
	if op := v.Options; op != nil {
		g.DefaultRouteTableAssociation = op.DefaultRouteTableAssociation == "enable"
		g.DefaultRouteTablePropagation = op.DefaultRouteTablePropagation == "enable"
		g.AssociationDefaultRouteTableID = op.AssociationDefaultRouteTableId
		g.PropagationDefaultRouteTableID = op.PropagationDefaultRouteTableId
		g.DNSSupport = op.DnsSupport == "enable"
		g.SecurityGroupReferencingSupport = op.SecurityGroupReferencingSupport
	}
	put(r, &r.n.TransitGateways, g)
	return nil
}

type tgwAttachmentJSON struct {
	TransitGatewayAttachmentId string
	TransitGatewayId           string
	TransitGatewayOwnerId      string
	ResourceType               string
	ResourceId                 string
	ResourceOwnerId            string
	State                      string
	Association                *struct {
		TransitGatewayRouteTableId string
		State                      string
	}
	// VPC attachments
	VpcId      string
	VpcOwnerId string
	SubnetIds  []string
	Options    *struct {
		ApplianceModeSupport            string
		SecurityGroupReferencingSupport string
	}
	// peering attachments
	RequesterTgwInfo *tgwInfo
	AccepterTgwInfo  *tgwInfo
	Status           *statusCode
	Tags             []tag
}

type tgwInfo struct {
	TransitGatewayId string
	OwnerId          string
	Region           string
}

// tgwAttachment reads describe-transit-gateway-attachments output, which
// states each attachment's association (absent: none).
func (r *reader) tgwAttachment(v *tgwAttachmentJSON, o model.Origin) error {
	if r.tgwAssocRead == nil {
		r.tgwAssocRead = map[string]bool{}
	}
	r.tgwAssocRead[v.TransitGatewayAttachmentId] = true
	return r.tgwAttachmentOf(v, o)
}

func (r *reader) tgwAttachmentOf(v *tgwAttachmentJSON, o model.Origin) error {
	if v.TransitGatewayAttachmentId == "" {
		return r.shapeErr(o, "", errMissing("TransitGatewayAttachmentId"))
	}
	a := &model.TGWAttachment{Meta: r.meta(v.TransitGatewayAttachmentId, o, v.Tags, v.TransitGatewayOwnerId, ""),
		TransitGatewayID: v.TransitGatewayId, ResourceType: v.ResourceType, ResourceID: v.ResourceId,
		ResourceOwnerID: v.ResourceOwnerId, State: v.State, SubnetIDs: v.SubnetIds}
	if v.Association != nil && v.Association.State != "disassociated" && v.Association.TransitGatewayRouteTableId != "" {
		a.AssociatedRouteTableID = v.Association.TransitGatewayRouteTableId
		// A peering attachment has the same ID on both gateways, each side
		// with its own association: keep both on the route tables.
		r.tgwAssocs = append(r.tgwAssocs, [2]string{a.ID, a.AssociatedRouteTableID})
	}
	if v.VpcId != "" {
		a.ResourceType, a.ResourceID = "vpc", v.VpcId
		if a.ResourceOwnerID == "" {
			a.ResourceOwnerID = v.VpcOwnerId
		}
	}
	if v.Options != nil {
		a.ApplianceModeSupport = v.Options.ApplianceModeSupport == "enable"
		a.SecurityGroupReferencingSupport = v.Options.SecurityGroupReferencingSupport
	}
	if a.ResourceType == "peering" && strings.HasPrefix(a.ResourceID, "tgw-") {
		a.PeerTransitGatewayID = a.ResourceID
	}
	if v.RequesterTgwInfo != nil && v.AccepterTgwInfo != nil {
		a.ResourceType = "peering"
		// The peer is the side that is not this attachment's gateway.
		mine := v.TransitGatewayId
		if mine == "" {
			mine = v.RequesterTgwInfo.TransitGatewayId
			a.TransitGatewayID = mine
		}
		if v.AccepterTgwInfo.TransitGatewayId != mine {
			a.PeerTransitGatewayID = v.AccepterTgwInfo.TransitGatewayId
		} else {
			a.PeerTransitGatewayID = v.RequesterTgwInfo.TransitGatewayId
		}
		if a.ResourceID == "" {
			a.ResourceID = a.PeerTransitGatewayID
		}
		if v.State == "" && v.Status != nil {
			a.State = v.Status.Code
		}
	}
	put(r, &r.n.TGWAttachments, a)
	r.tgwAtts = append(r.tgwAtts, a.ID)
	return nil
}

// tgwVPCAttachment reads describe-transit-gateway-vpc-attachments output,
// which does not say which route table an attachment is associated with.
func (r *reader) tgwVPCAttachment(v *tgwAttachmentJSON, o model.Origin) error {
	return r.tgwAttachmentOf(v, o)
}

func (r *reader) tgwPeeringAttachment(v *tgwAttachmentJSON, o model.Origin) error {
	return r.tgwAttachmentOf(v, o)
}

type tgwRouteTableJSON struct {
	TransitGatewayRouteTableId   string
	TransitGatewayId             string
	DefaultAssociationRouteTable bool
	DefaultPropagationRouteTable bool
	State                        string
	Tags                         []tag
}

func (r *reader) tgwRouteTable(v *tgwRouteTableJSON, o model.Origin) error {
	if v.TransitGatewayRouteTableId == "" {
		return r.shapeErr(o, "", errMissing("TransitGatewayRouteTableId"))
	}
	rt := &model.TGWRouteTable{Meta: r.meta(v.TransitGatewayRouteTableId, o, v.Tags, "", ""),
		TransitGatewayID: v.TransitGatewayId, Routes: []model.TGWRoute{},
		DefaultAssociation: v.DefaultAssociationRouteTable, DefaultPropagation: v.DefaultPropagationRouteTable}
	put(r, &r.n.TGWRouteTables, rt)
	r.tgwTables = append(r.tgwTables, rt.ID)
	return nil
}

// tgwTablesKnown marks the transit gateway route tables this Read listed
// whose routes or propagations no output held: describe-transit-gateway-
// route-tables lists neither, so they are unknown, not absent.
func (r *reader) tgwTablesKnown() {
	for _, id := range r.tgwTables {
		rt, ok := r.n.TGWRouteTables.Get(id)
		if !ok {
			continue
		}
		got := r.tgwRead[id]
		if !got.routes && len(rt.Routes) == 0 {
			rt.AddUnknown("Routes", "no search-transit-gateway-routes output was read for it")
		}
		// search-transit-gateway-routes lists propagated routes too unless
		// filtered to static ones (as Batfish snapshots are): routes that
		// include a propagated one leave nothing for the propagations to add.
		if !got.propagated && !got.props && len(rt.PropagationIDs) == 0 {
			rt.AddUnknown("Propagations", "no get-transit-gateway-route-table-propagations output was read for it")
		}
	}
	r.tgwTables = nil
	// Attachments whose association no output stated.
	listed := map[string]bool{}
	for _, rt := range r.n.TGWRouteTables.All() {
		for _, id := range rt.AssociationIDs {
			listed[id] = true
		}
	}
	for _, id := range r.tgwAtts {
		a, ok := r.n.TGWAttachments.Get(id)
		if !ok || r.tgwAssocRead[id] || a.AssociatedRouteTableID != "" || listed[id] || a.HasUnknown("Association") {
			continue
		}
		a.AddUnknown("Association", "no describe-transit-gateway-attachments output was read for it: its route table is unknown")
	}
	r.tgwAtts = nil
}

type tgwRouteJSON struct {
	DestinationCidrBlock       string
	PrefixListId               string
	TransitGatewayAttachments  []struct{ TransitGatewayAttachmentId string }
	TransitGatewayAttachmentId string
	Type                       string
	State                      string
}

type tgwRTLink struct {
	TransitGatewayAttachmentId string
	State                      string
}

// mergedTGWRouteTable reads {"TransitGatewayRouteTableId", "Routes": [...]}
// (search-transit-gateway-routes), "Associations" and
// "TransitGatewayRouteTablePropagations" merged with the route table ID.
func mergedTGWRouteTable(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	id := str(m, "TransitGatewayRouteTableId")
	if id == "" {
		return nil
	}
	var routes []tgwRouteJSON
	var assocs, props []tgwRTLink
	hasRoutes, err := r.take(m, "Routes", &routes, o)
	if err != nil {
		return err
	}
	hasAssoc, err := r.take(m, "Associations", &assocs, o)
	if err != nil {
		return err
	}
	hasProp, err := r.take(m, "TransitGatewayRouteTablePropagations", &props, o)
	if err != nil {
		return err
	}
	if !hasRoutes && !hasAssoc && !hasProp {
		return nil
	}
	if r.tgwRead == nil {
		r.tgwRead = map[string]tgwOutputs{}
	}
	got := r.tgwRead[id]
	got.routes = got.routes || hasRoutes
	got.props = got.props || hasProp
	for _, x := range routes {
		got.propagated = got.propagated || x.Type == "propagated"
	}
	r.tgwRead[id] = got
	delete(m, "TransitGatewayRouteTableId")
	var conv []model.TGWRoute
	for i, x := range routes {
		ro := model.Origin{File: o.File, Path: joinPath(o.Path, "Routes["+itoa(i)+"]"), Line: o.Line}
		rt := model.TGWRoute{Type: x.Type, State: model.RouteActive, DestinationPrefixListID: x.PrefixListId, Origin: ro}
		if rt.Type == "" {
			rt.Type = "static"
		}
		if x.State == "blackhole" {
			rt.State = model.RouteBlackhole
		}
		if x.DestinationCidrBlock != "" {
			p, err := parsePrefix("DestinationCidrBlock", x.DestinationCidrBlock)
			if err != nil {
				return r.shapeErr(ro, id, err)
			}
			rt.Destination = p
		}
		for _, a := range x.TransitGatewayAttachments {
			rt.AttachmentIDs = append(rt.AttachmentIDs, a.TransitGatewayAttachmentId)
		}
		if x.TransitGatewayAttachmentId != "" && !slices.Contains(rt.AttachmentIDs, x.TransitGatewayAttachmentId) {
			rt.AttachmentIDs = append(rt.AttachmentIDs, x.TransitGatewayAttachmentId)
		}
		conv = append(conv, rt)
	}
	r.deferred = append(r.deferred, func() {
		t, ok := r.n.TGWRouteTables.Get(id)
		if !ok {
			r.n.Warnf("dangling-reference", o, id, "routes for transit gateway route table %s, which is not in the sources", id)
			return
		}
		t.Routes = append(t.Routes, conv...)
		for _, a := range assocs {
			if a.State != "disassociated" && a.State != "disassociating" {
				t.AssociationIDs = appendNew(t.AssociationIDs, a.TransitGatewayAttachmentId)
			}
		}
		for _, p := range props {
			if p.State != "disabled" && p.State != "disabling" {
				t.PropagationIDs = appendNew(t.PropagationIDs, p.TransitGatewayAttachmentId)
			}
		}
	})
	return nil
}

func appendNew(ss []string, s string) []string {
	if s == "" || slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// linkTGW completes transit gateway route table associations from the
// attachments' own association, and the other way round. For a peering
// attachment (one ID, two gateways) each side's association is on that
// side's route table; AssociatedRouteTableID holds the first side read.
func (r *reader) linkTGW() {
	for _, p := range r.tgwAssocs {
		if t, ok := r.n.TGWRouteTables.Get(p[1]); ok {
			t.AssociationIDs = appendNew(t.AssociationIDs, p[0])
		}
	}
	r.tgwAssocs = nil
	for _, a := range r.n.TGWAttachments.All() {
		if a.AssociatedRouteTableID == "" {
			continue
		}
		if t, ok := r.n.TGWRouteTables.Get(a.AssociatedRouteTableID); ok {
			t.AssociationIDs = appendNew(t.AssociationIDs, a.ID)
		}
	}
	for _, t := range r.n.TGWRouteTables.All() {
		for _, id := range t.AssociationIDs {
			if a, ok := r.n.TGWAttachments.Get(id); ok && a.AssociatedRouteTableID == "" {
				a.AssociatedRouteTableID = t.ID
			}
		}
	}
}

// ---- VPN

type vpnGatewayJSON struct {
	VpnGatewayId   string
	State          string
	AmazonSideAsn  flexInt
	VpcAttachments []struct {
		VpcId string
		State string
	}
	Tags []tag
}

func (r *reader) vpnGateway(v *vpnGatewayJSON, o model.Origin) error {
	if v.VpnGatewayId == "" {
		return r.shapeErr(o, "", errMissing("VpnGatewayId"))
	}
	g := &model.VPNGateway{Meta: r.meta(v.VpnGatewayId, o, v.Tags, "", ""), State: v.State, ASN: v.AmazonSideAsn.V, VPCIDs: []string{}}
	for _, a := range v.VpcAttachments {
		if a.VpcId != "" && a.State != "detached" && a.State != "detaching" {
			g.VPCIDs = append(g.VPCIDs, a.VpcId)
		}
	}
	put(r, &r.n.VPNGateways, g)
	return nil
}

type vpnConnectionJSON struct {
	VpnConnectionId   string
	VpnGatewayId      string
	TransitGatewayId  string
	CustomerGatewayId string
	State             string
	Options           *struct {
		StaticRoutesOnly bool
		TunnelOptions    []struct{ OutsideIpAddress string }
	}
	Routes []struct {
		DestinationCidrBlock string
		State                string
	}
	VgwTelemetry []struct{ OutsideIpAddress string }
	Tags         []tag
}

func (r *reader) vpnConnection(v *vpnConnectionJSON, o model.Origin) error {
	if v.VpnConnectionId == "" {
		return r.shapeErr(o, "", errMissing("VpnConnectionId"))
	}
	c := &model.VPNConnection{Meta: r.meta(v.VpnConnectionId, o, v.Tags, "", ""), VPNGatewayID: v.VpnGatewayId,
		TransitGatewayID: v.TransitGatewayId, CustomerGatewayID: v.CustomerGatewayId, State: v.State}
	addIP := func(s string) error {
		a, err := parseAddr("OutsideIpAddress", s)
		if err != nil || !a.IsValid() {
			return err
		}
		if !slices.Contains(c.TunnelOutsideIPs, a) {
			c.TunnelOutsideIPs = append(c.TunnelOutsideIPs, a)
		}
		return nil
	}
	if v.Options != nil {
		c.StaticRoutesOnly = v.Options.StaticRoutesOnly
		for _, t := range v.Options.TunnelOptions {
			if err := addIP(t.OutsideIpAddress); err != nil {
				return r.shapeErr(o, c.ID, err)
			}
		}
	}
	for _, t := range v.VgwTelemetry {
		if err := addIP(t.OutsideIpAddress); err != nil {
			return r.shapeErr(o, c.ID, err)
		}
	}
	for _, rt := range v.Routes {
		if rt.State == "deleted" || rt.State == "deleting" || rt.DestinationCidrBlock == "" {
			continue
		}
		p, err := parsePrefix("DestinationCidrBlock", rt.DestinationCidrBlock)
		if err != nil {
			return r.shapeErr(o, c.ID, err)
		}
		c.Routes = append(c.Routes, p)
	}
	put(r, &r.n.VPNConnections, c)
	return nil
}

type customerGatewayJSON struct {
	CustomerGatewayId string
	IpAddress         string
	BgpAsn            flexInt
	State             string
	Tags              []tag
}

func (r *reader) customerGateway(v *customerGatewayJSON, o model.Origin) error {
	if v.CustomerGatewayId == "" {
		return r.shapeErr(o, "", errMissing("CustomerGatewayId"))
	}
	g := &model.CustomerGateway{Meta: r.meta(v.CustomerGatewayId, o, v.Tags, "", ""), ASN: v.BgpAsn.V}
	var err error
	if g.IPAddress, err = parseAddr("IpAddress", v.IpAddress); err != nil {
		return r.shapeErr(o, g.ID, err)
	}
	put(r, &r.n.CustomerGateways, g)
	return nil
}

// ---- Direct Connect

type dxGatewayJSON struct {
	DirectConnectGatewayId    string
	DirectConnectGatewayName  string
	AmazonSideAsn             flexInt
	OwnerAccount              string
	DirectConnectGatewayState string
	Tags                      []tag
}

func (r *reader) dxGateway(v *dxGatewayJSON, o model.Origin) error {
	if v.DirectConnectGatewayId == "" {
		return r.shapeErr(o, "", errMissing("DirectConnectGatewayId"))
	}
	g := &model.DirectConnectGateway{Meta: r.meta(v.DirectConnectGatewayId, o, v.Tags, v.OwnerAccount, ""), ASN: v.AmazonSideAsn.V}
	if g.Name == "" {
		g.Name = v.DirectConnectGatewayName
	}
	put(r, &r.n.DirectConnectGateways, g)
	return nil
}

type dxAssociationJSON struct {
	DirectConnectGatewayId string
	AssociationState       string
	VirtualGatewayId       string
	AssociatedGateway      *struct {
		Id           string
		Type         string
		OwnerAccount string
		Region       string
	}
	AllowedPrefixesToDirectConnectGateway []struct{ Cidr string }
}

// dxAssociation adds an association to its Direct Connect gateway (read
// at the end: the gateway may come from a later file).
func (r *reader) dxAssociation(v *dxAssociationJSON, o model.Origin) error {
	if v.DirectConnectGatewayId == "" {
		return r.shapeErr(o, "", errMissing("DirectConnectGatewayId"))
	}
	if v.AssociationState == "disassociated" || v.AssociationState == "disassociating" {
		return nil
	}
	gw := v.VirtualGatewayId
	if v.AssociatedGateway != nil && v.AssociatedGateway.Id != "" {
		gw = v.AssociatedGateway.Id
	}
	var prefixes []netip.Prefix
	for _, p := range v.AllowedPrefixesToDirectConnectGateway {
		pr, err := parsePrefix("Cidr", p.Cidr)
		if err != nil {
			return r.shapeErr(o, v.DirectConnectGatewayId, err)
		}
		prefixes = append(prefixes, pr)
	}
	id := v.DirectConnectGatewayId
	r.deferred = append(r.deferred, func() {
		g, ok := r.n.DirectConnectGateways.Get(id)
		if !ok {
			r.n.Warnf("dangling-reference", o, id, "association of Direct Connect gateway %s, which is not in the sources", id)
			return
		}
		g.AssociatedGatewayIDs = appendNew(g.AssociatedGatewayIDs, gw)
		for _, p := range prefixes {
			if !slices.Contains(g.AllowedPrefixes, p) {
				g.AllowedPrefixes = append(g.AllowedPrefixes, p)
			}
		}
	})
	return nil
}

type virtualInterfaceJSON struct {
	VirtualInterfaceId     string
	VirtualInterfaceName   string
	VirtualInterfaceType   string
	VirtualGatewayId       string
	DirectConnectGatewayId string
	VirtualInterfaceState  string
	AmazonAddress          string
	CustomerAddress        string
	OwnerAccount           string
	Region                 string
	RouteFilterPrefixes    []struct{ Cidr string }
	Tags                   []tag
}

func (r *reader) virtualInterface(v *virtualInterfaceJSON, o model.Origin) error {
	if v.VirtualInterfaceId == "" {
		return r.shapeErr(o, "", errMissing("VirtualInterfaceId"))
	}
	vi := &model.VirtualInterface{Meta: r.meta(v.VirtualInterfaceId, o, v.Tags, v.OwnerAccount, ""),
		InterfaceType: v.VirtualInterfaceType, VirtualGatewayID: v.VirtualGatewayId,
		DirectConnectGatewayID: v.DirectConnectGatewayId, State: v.VirtualInterfaceState}
	if vi.Name == "" {
		vi.Name = v.VirtualInterfaceName
	}
	if vi.Region == "" {
		vi.Region = v.Region
	}
	var err error
	if v.AmazonAddress != "" {
		if vi.AmazonAddress, err = parsePrefix("AmazonAddress", v.AmazonAddress); err != nil {
			return r.shapeErr(o, vi.ID, err)
		}
	}
	if v.CustomerAddress != "" {
		if vi.CustomerAddress, err = parsePrefix("CustomerAddress", v.CustomerAddress); err != nil {
			return r.shapeErr(o, vi.ID, err)
		}
	}
	for _, p := range v.RouteFilterPrefixes {
		pr, err := parsePrefix("Cidr", p.Cidr)
		if err != nil {
			return r.shapeErr(o, vi.ID, err)
		}
		vi.RouteFilterPrefixes = append(vi.RouteFilterPrefixes, pr)
	}
	put(r, &r.n.VirtualInterfaces, vi)
	return nil
}

// tgwOutputs says which outputs about one transit gateway route table
// were read.
type tgwOutputs struct{ routes, props, propagated bool }
