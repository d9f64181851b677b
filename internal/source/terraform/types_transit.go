package terraform

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"aws_ec2_transit_gateway":                         {0, (*builder).transitGateway},
		"aws_ec2_transit_gateway_route_table":             {1, (*builder).tgwRouteTable},
		"aws_ec2_transit_gateway_vpc_attachment":          {3, (*builder).tgwAttachment},
		"aws_ec2_transit_gateway_route":                   {4, (*builder).tgwRoute},
		"aws_ec2_transit_gateway_route_table_association": {4, (*builder).tgwAssociation},
		"aws_ec2_transit_gateway_route_table_propagation": {4, (*builder).tgwPropagation},
		"aws_vpn_gateway":                                 {1, (*builder).vpnGateway},
		"aws_vpn_gateway_attachment":                      {2, (*builder).vpnGatewayAttachment},
		"aws_vpn_gateway_route_propagation":               {4, (*builder).vgwPropagation},
		"aws_customer_gateway":                            {0, (*builder).customerGateway},
	} {
		handlers[t] = h
	}
}

// transitGateway reads aws_ec2_transit_gateway: default route table
// association and propagation, and DNS support, are enabled unless
// stated; security group referencing is disabled.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_transit_gateway
func (b *builder) transitGateway(in *inst) error {
	f := b.top(in)
	g := &model.TransitGateway{Meta: b.meta(in), State: "available", OwnerID: b.r.opts.Account}
	enabled := func(k string) bool {
		v, _ := f.str(k)
		return v == "" || strings.EqualFold(v, "enable")
	}
	g.DefaultRouteTableAssociation = enabled("default_route_table_association")
	g.DefaultRouteTablePropagation = enabled("default_route_table_propagation")
	g.DNSSupport = enabled("dns_support")
	g.SecurityGroupReferencingSupport = "disable"
	if v, _ := f.str("security_group_referencing_support"); strings.EqualFold(v, "enable") {
		g.SecurityGroupReferencingSupport = "enable"
	}
	if g.DefaultRouteTableAssociation || g.DefaultRouteTablePropagation {
		id := b.derived(in, "association_default_route_table_id", "/DefaultRouteTable")
		rt := &model.TGWRouteTable{Meta: model.Meta{ID: id, LogicalID: in.addr + ".DefaultRouteTable", Account: g.Account, Region: g.Region,
			Origin: in.origin, Defaults: []string{"default route table created with the transit gateway"}},
			TransitGatewayID: g.ID, DefaultAssociation: g.DefaultRouteTableAssociation, DefaultPropagation: g.DefaultRouteTablePropagation}
		if !in.create {
			rt.AddUnknown("Routes", "the routes of an existing transit gateway's default route table are not all in the sources")
		}
		b.n.TGWRouteTables.Put(rt)
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

func (b *builder) tgwRouteTable(in *inst) error {
	f := b.top(in)
	rt := &model.TGWRouteTable{Meta: b.meta(in)}
	id, why := f.ref("transit_gateway_id")
	rt.TransitGatewayID = id
	if why != "" {
		rt.AddUnknown("TransitGatewayId", why)
	}
	b.n.TGWRouteTables.Put(rt)
	b.tgwRTs = append(b.tgwRTs, rt)
	return nil
}

// tgwAttachment reads aws_ec2_transit_gateway_vpc_attachment; it joins the
// default route table for association and propagation unless
// transit_gateway_default_route_table_association / _propagation is false.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_transit_gateway_vpc_attachment
func (b *builder) tgwAttachment(in *inst) error {
	f := b.top(in)
	a := &model.TGWAttachment{Meta: b.meta(in), ResourceType: "vpc", State: "available", ResourceOwnerID: b.r.opts.Account}
	tgw, twhy := f.ref("transit_gateway_id")
	a.TransitGatewayID = tgw
	if twhy != "" {
		a.AddUnknown("TransitGatewayId", twhy)
	}
	vpc, vwhy := f.ref("vpc_id")
	a.ResourceID = vpc
	if vwhy != "" {
		a.AddUnknown("VpcId", vwhy)
	}
	subs, swhy := f.refs("subnet_ids")
	a.SubnetIDs = subs
	if swhy != "" {
		a.AddUnknown("SubnetIds", swhy)
	}
	a.ApplianceModeSupport = strings.EqualFold(strOf(f, "appliance_mode_support"), "enable")
	if v := strings.ToLower(strOf(f, "security_group_referencing_support")); v == "enable" || v == "disable" {
		a.SecurityGroupReferencingSupport = v
	}
	for i, s := range subs {
		e := b.newENI(in, fmt.Sprintf("%s/eni%d", a.ID, i), s, model.OwnerTGWAttachment, a.ID, "transit_gateway")
		e.LogicalID = fmt.Sprintf("%s.eni%d", in.addr, i)
		e.SourceDestCheck, e.RequesterManaged = false, true
		e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
	}
	b.n.TGWAttachments.Put(a)
	b.tgwAttachments = append(b.tgwAttachments, tgwAttach{a: a,
		assoc: f.flag("transit_gateway_default_route_table_association", true) != model.False,
		prop:  f.flag("transit_gateway_default_route_table_propagation", true) != model.False})
	return nil
}

func strOf(f *fields, k string) string { s, _ := f.str(k); return s }

type tgwAttach struct {
	a           *model.TGWAttachment
	assoc, prop bool
}

func (b *builder) tgwRTOf(in *inst, f *fields) *model.TGWRouteTable {
	id, why := f.ref("transit_gateway_route_table_id")
	rt, ok := b.n.TGWRouteTables.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "transit gateway route table not in the sources (%s)", orWhy(id, why))
		return nil
	}
	return rt
}

func (b *builder) tgwRoute(in *inst) error {
	f := b.top(in)
	rt := b.tgwRTOf(in, f)
	if rt == nil {
		return nil
	}
	r := model.TGWRoute{Type: "static", State: model.RouteActive, Origin: in.origin}
	c, why, err := f.prefix("destination_cidr_block")
	if err != nil {
		return err
	}
	if c.IsValid() {
		r.Destination = c
	} else {
		rt.AddUnknown(in.addr+".destination_cidr_block", orStr(why, "no destination")+": read as any address")
		r.Destination = anyV4
	}
	if f.flag("blackhole", false).IsTrue() {
		r.State = model.RouteBlackhole
	} else if a, awhy := f.ref("transit_gateway_attachment_id"); a != "" {
		r.AttachmentIDs = []string{a}
	} else if awhy != "" {
		rt.AddUnknown(in.addr+".transit_gateway_attachment_id", awhy)
	}
	rt.Routes = append(rt.Routes, r)
	return nil
}

func (b *builder) tgwAssociation(in *inst) error {
	f := b.top(in)
	rt := b.tgwRTOf(in, f)
	if rt == nil {
		return nil
	}
	a, why := f.ref("transit_gateway_attachment_id")
	if a == "" {
		rt.AddUnknown("AssociationIds", orWhy(a, why))
		return nil
	}
	rt.AssociationIDs = dedupe(append(rt.AssociationIDs, a))
	if att, ok := b.n.TGWAttachments.Get(a); ok {
		att.AssociatedRouteTableID = rt.ID
	}
	return nil
}

func (b *builder) tgwPropagation(in *inst) error {
	f := b.top(in)
	rt := b.tgwRTOf(in, f)
	if rt == nil {
		return nil
	}
	a, why := f.ref("transit_gateway_attachment_id")
	if a == "" {
		rt.AddUnknown("PropagatedRoutes", orWhy(a, why))
		return nil
	}
	rt.PropagationIDs = dedupe(append(rt.PropagationIDs, a))
	return nil
}

// tgwFinish applies default association and propagation, and adds the
// routes propagation gives each route table.
func (b *builder) tgwFinish() {
	for _, t := range b.tgwAttachments {
		a := t.a
		g, ok := b.n.TransitGateways.Get(a.TransitGatewayID)
		if !ok {
			continue
		}
		if rt, ok := b.n.TGWRouteTables.Get(g.AssociationDefaultRouteTableID); ok && t.assoc && a.AssociatedRouteTableID == "" {
			a.AssociatedRouteTableID = rt.ID
			rt.AssociationIDs = dedupe(append(rt.AssociationIDs, a.ID))
		}
		if rt, ok := b.n.TGWRouteTables.Get(g.PropagationDefaultRouteTableID); ok && t.prop {
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
			v, ok := b.n.VPCs.Get(a.ResourceID)
			if !ok {
				rt.AddUnknown("PropagatedRoutes", "VPC "+a.ResourceID+" is not in the sources: the routes attachment "+id+" propagates are unknown")
				continue
			}
			for _, c := range append(append([]netip.Prefix(nil), v.CIDRs...), v.IPv6CIDRs...) {
				rt.Routes = append(rt.Routes, model.TGWRoute{Destination: c, AttachmentIDs: []string{id}, Type: "propagated", State: model.RouteActive, Origin: a.Origin})
			}
			if len(v.CIDRs) == 0 {
				rt.AddUnknown("PropagatedRoutes", "the CIDRs of "+v.ID+" are unknown")
			}
		}
	}
}

func (b *builder) vpnGateway(in *inst) error {
	f := b.top(in)
	g := &model.VPNGateway{Meta: b.meta(in), VPCIDs: []string{}, State: "available"}
	if id, why := f.ref("vpc_id"); id != "" {
		g.VPCIDs = append(g.VPCIDs, id)
	} else if why != "" {
		g.AddUnknown("VpcId", why)
	}
	if n, ok, _ := f.intv("amazon_side_asn"); ok {
		g.ASN = int64(n)
	}
	b.n.VPNGateways.Put(g)
	return nil
}

func (b *builder) vpnGatewayAttachment(in *inst) error {
	f := b.top(in)
	id, why := f.ref("vpn_gateway_id")
	g, ok := b.n.VPNGateways.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "attaches a VPN gateway not in the sources (%s)", orWhy(id, why))
		return nil
	}
	if v, vwhy := f.ref("vpc_id"); v != "" {
		g.VPCIDs = dedupe(append(g.VPCIDs, v))
	} else {
		g.AddUnknown("VpcId", orWhy(v, vwhy))
	}
	return nil
}

// vgwPropagation: a route table learns routes from the VPN gateway at run
// time: their destinations are unknown.
func (b *builder) vgwPropagation(in *inst) error {
	f := b.top(in)
	id, why := f.ref("route_table_id")
	rt, ok := b.n.RouteTables.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "propagates routes to a route table not in the sources (%s)", orWhy(id, why))
		return nil
	}
	g, _ := f.ref("vpn_gateway_id")
	rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "routes propagated by VPN gateway " + g + " are learned at run time",
		TargetKind: model.TargetVPNGateway, TargetID: g, State: model.RouteActive, CreatedBy: "EnableVgwRoutePropagation", Origin: in.origin})
	return nil
}

func (b *builder) customerGateway(in *inst) error {
	f := b.top(in)
	g := &model.CustomerGateway{Meta: b.meta(in)}
	if a, ok, err := f.addr("ip_address"); err != nil {
		return err
	} else if ok {
		g.IPAddress = a
	}
	if n, ok, _ := f.intv("bgp_asn"); ok {
		g.ASN = int64(n)
	}
	b.n.CustomerGateways.Put(g)
	return nil
}
