package cloudformation

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"AWS::EC2::VPCPeeringConnection":                {1, (*builder).peering},
		"AWS::EC2::TransitGateway":                      {0, (*builder).transitGateway},
		"AWS::EC2::TransitGatewayRouteTable":            {1, (*builder).tgwRouteTable},
		"AWS::EC2::TransitGatewayAttachment":            {3, (*builder).tgwAttachment},
		"AWS::EC2::TransitGatewayVpcAttachment":         {3, (*builder).tgwAttachment},
		"AWS::EC2::TransitGatewayRoute":                 {4, (*builder).tgwRoute},
		"AWS::EC2::TransitGatewayRouteTableAssociation": {4, (*builder).tgwAssociation},
		"AWS::EC2::TransitGatewayRouteTablePropagation": {4, (*builder).tgwPropagation},
		"AWS::EC2::VPNGateway":                          {0, (*builder).vpnGateway},
		"AWS::EC2::CustomerGateway":                     {0, (*builder).customerGateway},
		"AWS::EC2::VPNConnection":                       {1, (*builder).vpnConnection},
		"AWS::EC2::VPNConnectionRoute":                  {3, (*builder).vpnConnectionRoute},
		"AWS::EC2::VPNGatewayRoutePropagation":          {4, (*builder).vgwRoutePropagation},
	} {
		handlers[t] = h
	}
}

func (b *builder) peering(p *props) error {
	pc := &model.PeeringConnection{Meta: p.meta(), Status: "active"}
	p.bind(&pc.Meta)
	pc.Requester = model.PeeringSide{VPCID: p.str("VpcId"), Account: b.r.opts.Account, Region: b.r.region}
	pc.Accepter = model.PeeringSide{VPCID: p.str("PeerVpcId"), Account: b.r.opts.Account, Region: b.r.region}
	if o := p.str("PeerOwnerId"); o != "" {
		pc.Accepter.Account = o
	}
	if r := p.str("PeerRegion"); r != "" {
		pc.Accepter.Region = r
	}
	b.n.PeeringConnections.Put(pc)
	b.peerings = append(b.peerings, pc)
	return nil
}

// peeringFinish copies each side's CIDRs from the VPCs the sources hold.
func (b *builder) peeringFinish() {
	for _, pc := range b.peerings {
		for _, side := range []*model.PeeringSide{&pc.Requester, &pc.Accepter} {
			if v, ok := b.n.VPCs.Get(side.VPCID); ok {
				side.CIDRs = append([]netip.Prefix(nil), v.CIDRs...)
				side.IPv6CIDRs = append([]netip.Prefix(nil), v.IPv6CIDRs...)
				if why, ok := b.vpcsIPv6[v.ID]; ok {
					pc.AddUnknown("IPv6 CIDRs of "+v.ID, why)
				}
				continue
			}
			pc.AddUnknown("CIDRs of "+side.VPCID, "VPC "+side.VPCID+" is not in the sources: its CIDRs are unknown")
		}
	}
}

func (b *builder) transitGateway(p *props) error {
	g := &model.TransitGateway{Meta: p.meta(), State: "available", OwnerID: b.r.opts.Account}
	p.bind(&g.Meta)
	enabled := func(k string) bool {
		v := strings.ToLower(p.str(k))
		if v == "" {
			g.Defaults = append(g.Defaults, k+" enable")
			return true
		}
		return v == "enable"
	}
	g.DefaultRouteTableAssociation = enabled("DefaultRouteTableAssociation")
	g.DefaultRouteTablePropagation = enabled("DefaultRouteTablePropagation")
	g.DNSSupport = enabled("DnsSupport")
	// Disabled unless stated, at the gateway level.
	// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayRequestOptions.html
	sgr, u := p.strU("SecurityGroupReferencingSupport")
	switch v := strings.ToLower(sgr); {
	case u != nil:
		// From a parameter without value: unknown.
	case v == "enable" || v == "disable":
		g.SecurityGroupReferencingSupport = v
	case v == "":
		g.SecurityGroupReferencingSupport = "disable"
		g.Defaults = append(g.Defaults, "SecurityGroupReferencingSupport disable")
	}
	if g.DefaultRouteTableAssociation || g.DefaultRouteTablePropagation {
		rt := &model.TGWRouteTable{Meta: p.implicit("/DefaultRouteTable", "default route table created with the transit gateway"),
			TransitGatewayID: g.ID, DefaultAssociation: g.DefaultRouteTableAssociation, DefaultPropagation: g.DefaultRouteTablePropagation}
		b.n.TGWRouteTables.Put(rt)
		b.tgwDefaults[g.ID] = rt.ID
		if g.DefaultRouteTableAssociation {
			g.AssociationDefaultRouteTableID = rt.ID
		}
		if g.DefaultRouteTablePropagation {
			g.PropagationDefaultRouteTableID = rt.ID
		}
		b.tgwRTs = append(b.tgwRTs, rt)
	}
	b.n.TransitGateways.Put(g)
	return nil
}

func (b *builder) tgwRouteTable(p *props) error {
	rt := &model.TGWRouteTable{Meta: p.meta()}
	p.bind(&rt.Meta)
	rt.TransitGatewayID = p.str("TransitGatewayId")
	b.n.TGWRouteTables.Put(rt)
	b.tgwRTs = append(b.tgwRTs, rt)
	return nil
}

func (b *builder) tgwAttachment(p *props) error {
	a := &model.TGWAttachment{Meta: p.meta(), ResourceType: "vpc", State: "available"}
	p.bind(&a.Meta)
	a.TransitGatewayID = p.str("TransitGatewayId")
	a.ResourceID = p.str("VpcId")
	a.ResourceOwnerID = b.r.opts.Account
	a.SubnetIDs, _ = p.strs("SubnetIds")
	if o := p.obj("Options"); o != nil {
		a.ApplianceModeSupport = strings.EqualFold(o.str("ApplianceModeSupport"), "enable")
		// Unstated, it stays unknown: AWS's pages disagree on the
		// attachment's default.
		switch v := strings.ToLower(o.str("SecurityGroupReferencingSupport")); v {
		case "enable", "disable":
			a.SecurityGroupReferencingSupport = v
		}
	}
	for i, s := range a.SubnetIDs {
		e := b.newENI(p, fmt.Sprintf("%s/eni%d", a.ID, i), s, model.OwnerTGWAttachment, a.ID, "transit_gateway")
		e.SourceDestCheck = false
		e.RequesterManaged = true
		e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
	}
	b.n.TGWAttachments.Put(a)
	b.tgwAttachments = append(b.tgwAttachments, a)
	return nil
}

func (b *builder) tgwRTOf(p *props) *model.TGWRouteTable {
	rt, _ := attachTo(p, &b.n.TGWRouteTables, "TransitGatewayRouteTableId", "transit gateway route table %q is not in the sources")
	return rt
}

func (b *builder) tgwRoute(p *props) error {
	rt := b.tgwRTOf(p)
	if rt == nil {
		return nil
	}
	r := model.TGWRoute{Type: "static", State: model.RouteActive, Origin: p.origin}
	if c, ok := p.prefix("DestinationCidrBlock"); ok {
		r.Destination = c
	} else {
		p.note("DestinationCidrBlock", "the route's destination is unknown: read as any address")
		r.Destination = anyV4
	}
	if p.boolean("Blackhole", false) {
		r.State = model.RouteBlackhole
	} else if a := p.str("TransitGatewayAttachmentId"); a != "" {
		r.AttachmentIDs = []string{a}
	}
	rt.Routes = append(rt.Routes, r)
	return nil
}

func (b *builder) tgwAssociation(p *props) error {
	rt := b.tgwRTOf(p)
	if rt == nil {
		return nil
	}
	a := p.str("TransitGatewayAttachmentId")
	if a == "" {
		return nil
	}
	rt.AssociationIDs = dedupe(append(rt.AssociationIDs, a))
	if att, ok := b.n.TGWAttachments.Get(a); ok {
		att.AssociatedRouteTableID = rt.ID
	}
	return nil
}

func (b *builder) tgwPropagation(p *props) error {
	rt := b.tgwRTOf(p)
	if rt == nil {
		return nil
	}
	if a := p.str("TransitGatewayAttachmentId"); a != "" {
		rt.PropagationIDs = dedupe(append(rt.PropagationIDs, a))
	}
	return nil
}

// tgwFinish applies default association and propagation, and adds the
// routes that propagation gives each route table.
func (b *builder) tgwFinish() {
	for _, a := range b.tgwAttachments {
		def, ok := b.tgwDefaults[a.TransitGatewayID]
		if !ok {
			continue
		}
		g, _ := b.n.TransitGateways.Get(a.TransitGatewayID)
		rt, _ := b.n.TGWRouteTables.Get(def)
		if g == nil || rt == nil {
			continue
		}
		if g.DefaultRouteTableAssociation && a.AssociatedRouteTableID == "" {
			a.AssociatedRouteTableID = rt.ID
			rt.AssociationIDs = dedupe(append(rt.AssociationIDs, a.ID))
		}
		if g.DefaultRouteTablePropagation {
			rt.PropagationIDs = dedupe(append(rt.PropagationIDs, a.ID))
		}
	}
	for _, rt := range b.tgwRTs {
		for _, id := range rt.PropagationIDs {
			a, ok := b.n.TGWAttachments.Get(id)
			if !ok {
				rt.AddUnknown("PropagatedRoutes", "attachment "+id+" is not in the sources: the routes it propagates are unknown")
				continue
			}
			if a.ResourceType != "vpc" {
				rt.AddUnknown("PropagatedRoutes", "attachment "+id+" ("+a.ResourceType+") propagates routes learned at run time")
				continue
			}
			v, ok := b.n.VPCs.Get(a.ResourceID)
			if !ok {
				rt.AddUnknown("PropagatedRoutes", "VPC "+a.ResourceID+" is not in the sources: the routes attachment "+id+" propagates are unknown")
				continue
			}
			for _, c := range append(append([]netip.Prefix(nil), v.CIDRs...), v.IPv6CIDRs...) {
				rt.Routes = append(rt.Routes, model.TGWRoute{Destination: c, AttachmentIDs: []string{id}, Type: "propagated",
					State: model.RouteActive, Origin: a.Origin})
			}
			if why, ok := b.vpcsIPv6[v.ID]; ok {
				rt.AddUnknown("PropagatedRoutes", why)
			}
		}
	}
}

func (b *builder) vpnGateway(p *props) error {
	g := &model.VPNGateway{Meta: p.meta(), VPCIDs: []string{}, State: "available"}
	p.bind(&g.Meta)
	if n, ok := p.int("AmazonSideAsn"); ok {
		g.ASN = int64(n)
	}
	b.n.VPNGateways.Put(g)
	return nil
}

func (b *builder) customerGateway(p *props) error {
	g := &model.CustomerGateway{Meta: p.meta()}
	p.bind(&g.Meta)
	if a, ok := p.addr("IpAddress"); ok {
		g.IPAddress = a
	}
	if n, ok := p.int("BgpAsn"); ok {
		g.ASN = int64(n)
	}
	b.n.CustomerGateways.Put(g)
	return nil
}

func (b *builder) vpnConnection(p *props) error {
	c := &model.VPNConnection{Meta: p.meta(), State: "available"}
	p.bind(&c.Meta)
	c.CustomerGatewayID = p.str("CustomerGatewayId")
	c.VPNGatewayID = p.str("VpnGatewayId")
	c.TransitGatewayID = p.str("TransitGatewayId")
	c.StaticRoutesOnly = p.boolean("StaticRoutesOnly", false)
	c.AddUnknown("TunnelOutsideIps", "AWS picks the tunnel endpoints at deploy time")
	if c.TransitGatewayID != "" {
		a := &model.TGWAttachment{Meta: p.implicit("/TransitGatewayAttachment", "attachment created with the VPN connection"),
			TransitGatewayID: c.TransitGatewayID, ResourceType: "vpn", ResourceID: c.ID, State: "available"}
		b.n.TGWAttachments.Put(a)
		b.tgwAttachments = append(b.tgwAttachments, a)
	}
	b.n.VPNConnections.Put(c)
	b.vpnConns = append(b.vpnConns, c)
	return nil
}

func (b *builder) vpnConnectionRoute(p *props) error {
	c, ok := attachTo(p, &b.n.VPNConnections, "VpnConnectionId", "VPNConnectionRoute names VPN connection %q, which is not in the sources")
	if !ok {
		return nil
	}
	if d, ok := p.prefix("DestinationCidrBlock"); ok {
		c.Routes = append(c.Routes, d)
	} else {
		c.AddUnknown("Routes", "a static route's destination is unknown")
	}
	return nil
}

func (b *builder) vgwRoutePropagation(p *props) error {
	vgw := p.str("VpnGatewayId")
	rts, complete := p.strs("RouteTableIds")
	if !complete {
		p.warnf("unknown-value", "some route tables that get routes from %s are unknown", vgw)
	}
	for _, id := range rts {
		rt, ok := b.n.RouteTables.Get(id)
		if !ok {
			p.warnf("dangling-reference", "route table %q is not in the sources", id)
			continue
		}
		b.vgwPropagations = append(b.vgwPropagations, vgwPropagation{rt: rt, vgw: vgw, origin: p.origin})
	}
	p.flush()
	return nil
}

// propagate adds the routes a VGW propagates into a route table: the
// static routes of its VPN connections when all are static, else routes
// of unknown destination (learned over BGP at run time).
func (b *builder) propagate(vp vgwPropagation) {
	route := func(d netip.Prefix, unknown string) model.Route {
		return model.Route{Destination: d, DestinationUnknown: unknown, TargetKind: model.TargetVPNGateway, TargetID: vp.vgw,
			State: model.RouteActive, CreatedBy: "EnableVgwRoutePropagation", Origin: vp.origin}
	}
	static := true
	var dests []netip.Prefix
	n := 0
	for _, c := range b.n.VPNConnections.All() {
		if c.VPNGatewayID != vp.vgw {
			continue
		}
		n++
		if !c.StaticRoutesOnly || c.HasUnknowns() && hasField(c.Unknowns, "Routes") {
			static = false
		}
		dests = append(dests, c.Routes...)
	}
	if n == 0 {
		vp.rt.Routes = append(vp.rt.Routes, route(netip.Prefix{}, "routes propagated by "+vp.vgw+" from VPN or Direct Connect links not in the sources"))
		return
	}
	for _, d := range dests {
		vp.rt.Routes = append(vp.rt.Routes, route(d, ""))
	}
	if !static {
		vp.rt.Routes = append(vp.rt.Routes, route(netip.Prefix{}, "routes learned over BGP by "+vp.vgw+" at run time"))
	}
}

func hasField(us []model.Unknown, f string) bool {
	for _, u := range us {
		if u.Field == f {
			return true
		}
	}
	return false
}
