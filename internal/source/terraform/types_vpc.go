package terraform

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"aws_vpc":                             {0, (*builder).vpc},
		"aws_default_vpc":                     {0, (*builder).defaultVPC},
		"aws_default_subnet":                  {1, (*builder).defaultSubnet},
		"aws_vpc_ipv4_cidr_block_association": {1, (*builder).vpcCIDR},
		"aws_subnet":                          {1, (*builder).subnet},
		"aws_internet_gateway":                {1, (*builder).igw},
		"aws_internet_gateway_attachment":     {2, (*builder).igwAttachment},
		"aws_egress_only_internet_gateway":    {1, (*builder).eigw},
		"aws_route_table":                     {1, (*builder).routeTable},
		"aws_default_route_table":             {2, (*builder).defaultRouteTable},
		"aws_route":                           {3, (*builder).route},
		"aws_route_table_association":         {3, (*builder).rtAssociation},
		"aws_main_route_table_association":    {3, (*builder).mainRTAssociation},
		"aws_eip":                             {1, (*builder).eip},
		"aws_nat_gateway":                     {2, (*builder).natGateway},
		"aws_eip_association":                 {4, (*builder).eipAssociation},
		"aws_vpc_peering_connection":          {1, (*builder).peering},
		"aws_vpc_peering_connection_accepter": {2, (*builder).peeringAccepter},
	} {
		handlers[t] = h
	}
}

// vpc reads aws_vpc and what AWS creates with it: the default security
// group, network ACL and main route table. For a VPC the plan creates,
// their rules are AWS's defaults; for one that exists, the sources do not
// say what they hold unless an aws_default_* resource manages them.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc
func (b *builder) vpc(in *inst) error {
	f := b.top(in)
	v := &model.VPC{Meta: b.meta(in), DHCPOptionsID: model.DHCPOptionsDefault}
	c, why, err := f.prefix("cidr_block")
	if err != nil {
		return err
	}
	switch {
	case c.IsValid():
		v.CIDRs = append(v.CIDRs, c)
	case why != "":
		v.AddUnknown("CidrBlock", why+" (allocated from an IPAM pool)")
	default:
		v.AddUnknown("CidrBlock", "no cidr_block: allocated from an IPAM pool at apply")
	}
	if c6, why, err := f.prefix("ipv6_cidr_block"); err != nil {
		return err
	} else if c6.IsValid() {
		v.IPv6CIDRs = append(v.IPv6CIDRs, c6)
	} else if why != "" && (f.flag("assign_generated_ipv6_cidr_block", false).MayBeTrue() || f.stated("ipv6_ipam_pool_id") || f.stated("ipv6_cidr_block")) {
		w := "the IPv6 block is picked by AWS at apply"
		v.AddUnknown("Ipv6CidrBlock", w)
		b.vpcIPv6[v.ID] = w
	}
	// The provider's defaults: DNS support on, hostnames off.
	v.EnableDNSSupport = f.flag("enable_dns_support", true)
	v.EnableDNSHostnames = f.flag("enable_dns_hostnames", false)
	if s, ok := f.str("dhcp_options_id"); ok && s != "" {
		v.DHCPOptionsID = s
	}
	v.DefaultSecurityGroupID = b.derived(in, "default_security_group_id", defaultSGSuffix)
	v.DefaultNetworkACLID = b.derived(in, "default_network_acl_id", defaultACLSuffix)
	rtID := b.derived(in, "main_route_table_id", mainRTSuffix)
	b.n.VPCs.Put(v)

	implicit := func(id, why string) model.Meta {
		return model.Meta{ID: id, LogicalID: in.addr + strings.ReplaceAll(strings.TrimPrefix(id, v.ID), "/", "."), Account: v.Account, Region: v.Region, Origin: in.origin, Defaults: []string{why}}
	}
	if _, ok := b.n.SecurityGroups.Get(v.DefaultSecurityGroupID); !ok {
		b.n.SecurityGroups.Put(&model.SecurityGroup{Meta: implicit(v.DefaultSecurityGroupID, "default security group created with the VPC"),
			GroupName: "default", Description: "default VPC security group", VPCID: v.ID, Ingress: []model.SGRule{}, Egress: []model.SGRule{}})
	}
	if _, ok := b.n.NetworkACLs.Get(v.DefaultNetworkACLID); !ok {
		b.n.NetworkACLs.Put(&model.NetworkACL{Meta: implicit(v.DefaultNetworkACLID, "default network ACL created with the VPC"), VPCID: v.ID, IsDefault: true})
	}
	b.mainRT[v.ID] = rtID
	if _, ok := b.n.RouteTables.Get(rtID); !ok {
		b.implicitRT[rtID] = true
		rt := &model.RouteTable{Meta: implicit(rtID, "main route table created with the VPC"), VPCID: v.ID,
			Associations: []model.RouteTableAssociation{{Main: true, Origin: in.origin}}}
		b.n.RouteTables.Put(rt)
		b.localRTs = append(b.localRTs, rt)
	}
	if in.create {
		b.newVPCs = append(b.newVPCs, v)
	} else {
		b.oldVPCs = append(b.oldVPCs, v)
	}
	return nil
}

// defaultVPC reads aws_default_vpc: Terraform adopts the region's default
// VPC, which exists already (DNS hostnames on); its default group, ACL and
// main table keep rules the sources do not show.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_vpc
func (b *builder) defaultVPC(in *inst) error {
	in.create = false
	if _, ok := in.vals["enable_dns_hostnames"]; !ok && !isUnknown(in.unk, "enable_dns_hostnames") {
		in.vals["enable_dns_hostnames"] = true
	}
	if err := b.vpc(in); err != nil {
		return err
	}
	if v, ok := b.n.VPCs.Get(in.id); ok {
		v.IsDefault = true
		if len(v.CIDRs) == 0 {
			kept := v.Unknowns[:0]
			for _, u := range v.Unknowns {
				if u.Field != "CidrBlock" {
					kept = append(kept, u)
				}
			}
			v.Unknowns = append(kept, model.Unknown{Field: "CidrBlock", Reason: "the default VPC's CIDR is known only after apply"})
		}
	}
	return nil
}

// defaultSubnet reads aws_default_subnet: the default subnet of an
// availability zone, which maps public IPs on launch unless stated.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_subnet
func (b *builder) defaultSubnet(in *inst) error {
	in.create = false
	if _, ok := in.vals["map_public_ip_on_launch"]; !ok && !isUnknown(in.unk, "map_public_ip_on_launch") {
		in.vals["map_public_ip_on_launch"] = true
	}
	return b.subnet(in)
}

// derived is the ID of something AWS creates with a resource: the
// attribute's value when known, else the resource's ID and a suffix.
func (b *builder) derived(in *inst, attr, suffix string) string {
	if s, ok := in.vals[attr].(string); ok && s != "" && !isUnknown(in.unk, attr) {
		return s
	}
	return in.id + suffix
}

func (b *builder) vpcCIDR(in *inst) error {
	f := b.top(in)
	id, why := f.ref("vpc_id")
	v, ok := b.n.VPCs.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "adds a CIDR block to a VPC not in the sources (%s)", orWhy(id, why))
		return nil
	}
	c, w, err := f.prefix("cidr_block")
	if err != nil {
		return err
	}
	if c.IsValid() {
		v.CIDRs = append(v.CIDRs, c)
	} else {
		v.AddUnknown(in.addr+".cidr_block", orStr(w, "allocated from an IPAM pool at apply"))
	}
	return nil
}

func orWhy(id, why string) string {
	if why != "" {
		return why
	}
	if id == "" {
		return "none named"
	}
	return id
}

func orStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// subnet reads aws_subnet; map_public_ip_on_launch and
// assign_ipv6_address_on_creation default to false.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/subnet
func (b *builder) subnet(in *inst) error {
	f := b.top(in)
	s := &model.Subnet{Meta: b.meta(in)}
	vpc, why := f.ref("vpc_id")
	s.VPCID = vpc
	if why != "" {
		s.AddUnknown("VpcId", why)
	}
	c, w, err := f.prefix("cidr_block")
	if err != nil {
		return err
	}
	if c.IsValid() {
		s.CIDR = c
	} else if w != "" || !f.flag("ipv6_native", false).IsTrue() {
		s.AddUnknown("CidrBlock", orStr(w, "allocated from an IPAM pool at apply"))
	}
	if c6, w6, err := f.prefix("ipv6_cidr_block"); err != nil {
		return err
	} else if c6.IsValid() {
		s.IPv6CIDRs = append(s.IPv6CIDRs, c6)
	} else if w6 != "" && f.stated("ipv6_cidr_block") {
		s.AddUnknown("Ipv6CidrBlock", w6)
	}
	s.AvailabilityZone, _ = f.str("availability_zone")
	s.AZID, _ = f.str("availability_zone_id")
	s.MapPublicIPOnLaunch = f.flag("map_public_ip_on_launch", false)
	s.AssignIPv6AddressOnCreation = f.flag("assign_ipv6_address_on_creation", false)
	s.EnableDNS64 = f.flag("enable_dns64", false).IsTrue()
	s.IPv6Native = f.flag("ipv6_native", false).IsTrue()
	b.n.Subnets.Put(s)
	return nil
}

func (b *builder) igw(in *inst) error {
	f := b.top(in)
	g := &model.InternetGateway{Meta: b.meta(in), VPCIDs: []string{}}
	if id, why := f.ref("vpc_id"); id != "" {
		g.VPCIDs = append(g.VPCIDs, id)
	} else if why != "" {
		g.AddUnknown("VpcId", why)
	}
	b.n.InternetGateways.Put(g)
	return nil
}

func (b *builder) igwAttachment(in *inst) error {
	f := b.top(in)
	gid, gwhy := f.ref("internet_gateway_id")
	vid, vwhy := f.ref("vpc_id")
	g, ok := b.n.InternetGateways.Get(gid)
	if !ok {
		b.warnf(in, "unresolved-reference", "attaches an internet gateway not in the sources (%s)", orWhy(gid, gwhy))
		return nil
	}
	if vid == "" {
		g.AddUnknown("VpcId", orWhy(vid, vwhy))
		return nil
	}
	g.VPCIDs = append(g.VPCIDs, vid)
	return nil
}

func (b *builder) eigw(in *inst) error {
	f := b.top(in)
	g := &model.EgressOnlyInternetGateway{Meta: b.meta(in), VPCIDs: []string{}}
	if id, why := f.ref("vpc_id"); id != "" {
		g.VPCIDs = append(g.VPCIDs, id)
	} else if why != "" {
		g.AddUnknown("VpcId", why)
	}
	b.n.EgressOnlyIGWs.Put(g)
	return nil
}

// routeTable reads aws_route_table. Its inline route blocks are the whole
// table when stated; when not, a table the plan creates holds only its
// local routes and those of aws_route resources, and one that exists
// keeps routes the plan does not show.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route_table
func (b *builder) routeTable(in *inst) error {
	f := b.top(in)
	rt := &model.RouteTable{Meta: b.meta(in), Routes: []model.Route{}}
	vpc, why := f.ref("vpc_id")
	rt.VPCID = vpc
	if why != "" {
		rt.AddUnknown("VpcId", why)
	}
	if err := b.inlineRoutes(in, f, rt, "route"); err != nil {
		return err
	}
	b.n.RouteTables.Put(rt)
	b.localRTs = append(b.localRTs, rt)
	return nil
}

func (b *builder) inlineRoutes(in *inst, f *fields, rt *model.RouteTable, key string) error {
	v := f.get(key)
	if v.unknown {
		if !in.create && !f.stated(key) {
			rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "the routes of an existing table are known only after apply",
				TargetKind: model.TargetUnknown, State: model.RouteActive, Origin: in.origin})
			rt.AddUnknown("Routes", "the routes of an existing table are known only after apply")
		} else if f.stated(key) {
			rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "the inline routes are known only after apply",
				TargetKind: model.TargetUnknown, State: model.RouteActive, Origin: in.origin})
		}
		return nil
	}
	var blocks []map[string]*tfjsonExpr
	if f.exprs != nil {
		if e := f.exprs[key]; e != nil && e.ExpressionData != nil {
			blocks = e.NestedBlocks
		}
	}
	for i, e := range v.elems() {
		vals, unk := e.obj()
		if e.unknown || vals == nil {
			rt.Routes = append(rt.Routes, model.Route{DestinationUnknown: "an inline route is known only after apply",
				TargetKind: model.TargetUnknown, State: model.RouteActive, Origin: in.origin})
			continue
		}
		bf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("%s[%d].", key, i), exprs: matchBlock(blocks, vals, "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id")}
		r, why, err := b.routeOf(bf, false)
		if err != nil {
			return err
		}
		if why != "" {
			rt.AddUnknown(bf.path+"target", why)
		}
		r.CreatedBy = "CreateRoute"
		rt.Routes = append(rt.Routes, r)
	}
	return nil
}

// routeOf reads a route's destination and target, inline (cidr_block) or
// aws_route (destination_cidr_block).
func (b *builder) routeOf(f *fields, standalone bool) (model.Route, string, error) {
	r := model.Route{State: model.RouteActive, Origin: f.in.origin}
	d4, d6, dpl := "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"
	if standalone {
		d4, d6 = "destination_cidr_block", "destination_ipv6_cidr_block"
	}
	for _, k := range []string{d4, d6} {
		p, why, err := f.prefix(k)
		if err != nil {
			return r, "", err
		}
		if p.IsValid() {
			r.Destination = p
		} else if why != "" && !r.Destination.IsValid() {
			r.DestinationUnknown = why
		}
	}
	if !r.Destination.IsValid() {
		if id, why := f.ref(dpl); id != "" {
			r.DestinationPrefixListID, r.DestinationUnknown = id, ""
		} else if why != "" {
			r.DestinationUnknown = why
		}
	}
	if !r.Destination.IsValid() && r.DestinationPrefixListID == "" && r.DestinationUnknown == "" {
		r.DestinationUnknown = "the route states no destination"
	}
	targets := []struct {
		key  string
		kind model.TargetKind
	}{
		{"gateway_id", ""}, {"nat_gateway_id", model.TargetNATGateway}, {"transit_gateway_id", model.TargetTransitGateway},
		{"vpc_peering_connection_id", model.TargetPeering}, {"network_interface_id", model.TargetNetworkInterface},
		{"egress_only_gateway_id", model.TargetEgressOnlyIGW}, {"vpc_endpoint_id", model.TargetGatewayEndpoint},
		{"instance_id", model.TargetInstance},
		{"local_gateway_id", model.TargetUnmodelled}, {"carrier_gateway_id", model.TargetUnmodelled}, {"core_network_arn", model.TargetUnmodelled},
	}
	r.TargetKind = model.TargetUnknown
	for _, t := range targets {
		v := f.get(t.key)
		if v.null() || v.v == "" {
			continue
		}
		id, why := f.ref(t.key)
		kind := t.kind
		if t.key == "gateway_id" {
			kind = gatewayKind(id, f.refType(t.key))
		}
		if kind == model.TargetUnmodelled {
			r.TargetUnmodelledType = t.key
		}
		if why != "" && t.key == "vpc_endpoint_id" {
			if fw := b.routeFirewall(f, t.key); fw != nil {
				r.TargetKind, r.TargetID, r.Firewall = model.TargetGatewayEndpoint, "", fw
				return r, "", nil
			}
		}
		if why != "" {
			// The kind may be known (a referenced NAT gateway), the
			// instance not: the target is unknown.
			r.TargetKind, r.TargetID = model.TargetUnknown, ""
			return r, why, nil
		}
		r.TargetKind, r.TargetID = kind, id
		if kind == model.TargetInstance {
			r.TargetKind, r.TargetID = model.TargetNetworkInterface, id+primaryENISuffix
			if in, ok := b.n.Instances.Get(id); ok && len(in.NetworkInterfaceIDs) > 0 {
				r.TargetID = in.NetworkInterfaceIDs[0]
			}
		}
		break
	}
	if r.TargetKind == model.TargetUnknown {
		return r, "the route states no target vpcreach reads", nil
	}
	return r, "", nil
}

// gatewayKind tells what gateway_id names: by ID prefix, else by the type
// of the referenced resource.
func gatewayKind(id, refType string) model.TargetKind {
	switch {
	case id == "local":
		return model.TargetLocal
	case strings.HasPrefix(id, "igw-") || refType == "aws_internet_gateway":
		return model.TargetInternetGateway
	case strings.HasPrefix(id, "vgw-") || refType == "aws_vpn_gateway":
		return model.TargetVPNGateway
	case strings.HasPrefix(id, "vpce-") || refType == "aws_vpc_endpoint":
		return model.TargetGatewayEndpoint
	case strings.HasPrefix(id, "eigw-") || refType == "aws_egress_only_internet_gateway":
		return model.TargetEgressOnlyIGW
	}
	return model.TargetUnknown
}

// defaultRouteTable reads aws_default_route_table: Terraform adopts the
// VPC's main route table and replaces its routes with those stated.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_route_table
func (b *builder) defaultRouteTable(in *inst) error {
	f := b.top(in)
	id, why := f.ref("default_route_table_id")
	rt, ok := b.n.RouteTables.Get(id)
	if !ok {
		if why != "" {
			b.warnf(in, "unresolved-reference", "manages a main route table not in the sources: %s", why)
			return nil
		}
		rt = &model.RouteTable{Meta: b.meta(in), Associations: []model.RouteTableAssociation{{Main: true, Origin: in.origin}}}
		rt.ID = id
		vpc, _ := f.ref("vpc_id")
		rt.VPCID = vpc
		b.n.RouteTables.Put(rt)
		b.localRTs = append(b.localRTs, rt)
	}
	rt.Origin = in.origin
	rt.Routes = []model.Route{}
	rt.Unknowns = nil
	if tags := b.meta(in); tags.Name != "" {
		rt.Name, rt.Tags = tags.Name, tags.Tags
	}
	rt.Defaults = append(rt.Defaults, "the VPC's main route table, routes replaced by "+in.addr)
	b.managedDefault[rt.ID] = true
	return b.inlineRoutes(in, f, rt, "route")
}

// route reads aws_route into its table.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route
func (b *builder) route(in *inst) error {
	f := b.top(in)
	id, why := f.ref("route_table_id")
	rt, ok := b.n.RouteTables.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "adds a route to a route table not in the sources (%s)", orWhy(id, why))
		return nil
	}
	r, twhy, err := b.routeOf(f, true)
	if err != nil {
		return err
	}
	if twhy != "" {
		rt.AddUnknown(in.addr+".target", twhy)
	}
	r.CreatedBy = "CreateRoute"
	rt.Routes = append(rt.Routes, r)
	return nil
}

func (b *builder) rtAssociation(in *inst) error {
	f := b.top(in)
	id, why := f.ref("route_table_id")
	rt, ok := b.n.RouteTables.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "associates a route table not in the sources (%s)", orWhy(id, why))
		return nil
	}
	a := model.RouteTableAssociation{Origin: in.origin}
	if in.idKnown {
		a.ID = in.id
	}
	sub, swhy := f.ref("subnet_id")
	gw, gwhy := f.ref("gateway_id")
	switch {
	case sub != "":
		a.SubnetID = sub
	case gw != "":
		a.GatewayID = gw
	default:
		rt.AddUnknown(in.addr, "the subnet or gateway associated is unknown: "+orStr(swhy, gwhy))
		return nil
	}
	rt.Associations = append(rt.Associations, a)
	return nil
}

// mainRTAssociation makes a table its VPC's main one, in place of the
// table created with the VPC.
func (b *builder) mainRTAssociation(in *inst) error {
	f := b.top(in)
	id, why := f.ref("route_table_id")
	rt, ok := b.n.RouteTables.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "makes main a route table not in the sources (%s)", orWhy(id, why))
		return nil
	}
	for _, o := range b.n.RouteTables.All() {
		if o.VPCID == rt.VPCID && o != rt {
			kept := o.Associations[:0]
			for _, a := range o.Associations {
				if !a.Main {
					kept = append(kept, a)
				}
			}
			o.Associations = kept
		}
	}
	rt.Associations = append(rt.Associations, model.RouteTableAssociation{Main: true, Origin: in.origin})
	return nil
}

// eip reads aws_eip; its ID is the allocation ID. instance or
// network_interface associate it.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eip
func (b *builder) eip(in *inst) error {
	f := b.top(in)
	ip := &model.ElasticIP{Meta: b.meta(in)}
	if a, ok, err := f.addr("public_ip"); err != nil {
		return err
	} else if ok {
		ip.PublicIP = a
	}
	ip.AllocationID = ip.ID
	if s, ok := f.str("allocation_id"); ok && s != "" {
		ip.AllocationID = s
	}
	if id, _ := f.ref("instance"); id != "" {
		ip.InstanceID = id
	}
	if id, _ := f.ref("network_interface"); id != "" {
		ip.NetworkInterfaceID = id
	}
	if a, ok, err := f.addr("associate_with_private_ip"); err != nil {
		return err
	} else if ok {
		ip.PrivateIP = a
	}
	b.n.ElasticIPs.Put(ip)
	b.eips = append(b.eips, ip)
	return nil
}

func (b *builder) eipAssociation(in *inst) error {
	f := b.top(in)
	id, why := f.ref("allocation_id")
	ip, ok := b.n.ElasticIPs.Get(id)
	if !ok {
		for _, e := range b.n.ElasticIPs.All() {
			if e.AllocationID == id && id != "" {
				ip, ok = e, true
			}
		}
	}
	if !ok {
		b.warnf(in, "unresolved-reference", "associates an elastic IP not in the sources (%s)", orWhy(id, why))
		return nil
	}
	if id, _ := f.ref("instance_id"); id != "" {
		ip.InstanceID = id
	}
	if id, _ := f.ref("network_interface_id"); id != "" {
		ip.NetworkInterfaceID = id
	}
	if a, ok, err := f.addr("private_ip_address"); err != nil {
		return err
	} else if ok {
		ip.PrivateIP = a
	}
	return nil
}

// natGateway reads aws_nat_gateway and its interface.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/nat_gateway
func (b *builder) natGateway(in *inst) error {
	f := b.top(in)
	ng := &model.NATGateway{Meta: b.meta(in), State: "available"}
	sub, why := f.ref("subnet_id")
	ng.SubnetID = sub
	if why != "" {
		ng.AddUnknown("SubnetId", why)
	}
	ng.VPCID = b.vpcOfSubnet(sub)
	ng.ConnectivityType, _ = f.str("connectivity_type")
	if ng.ConnectivityType == "" {
		ng.ConnectivityType = "public"
	}
	eniID := b.derived(in, "network_interface_id", primaryENISuffix)
	eni := b.newENI(in, eniID, sub, model.OwnerNATGateway, ng.ID, "nat_gateway")
	eni.SourceDestCheck, eni.RequesterManaged = false, true
	addr := model.NATAddress{NetworkInterfaceID: eni.ID}
	if a, ok, err := f.addr("private_ip"); err != nil {
		return err
	} else if ok {
		addr.PrivateIP = a
		eni.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
	} else {
		eni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
	}
	if ng.IsPublic() {
		alloc, awhy := f.ref("allocation_id")
		addr.AllocationID = alloc
		pub, ok, err := f.addr("public_ip")
		if err != nil {
			return err
		}
		if ip, found := b.n.ElasticIPs.Get(alloc); found {
			ip.NetworkInterfaceID, ip.AssociationID = eni.ID, ng.ID
			if ip.PublicIP.IsValid() && !ok {
				pub, ok = ip.PublicIP, true
			}
		}
		if ok {
			addr.PublicIP = pub
			if len(eni.PrivateIPs) > 0 {
				eni.PrivateIPs[0].PublicIP, eni.PrivateIPs[0].ElasticIP = pub, alloc
			} else {
				b.markPublic(eni, "the NAT gateway's public IP "+pub.String()+" maps to a private address picked at apply", true)
			}
		} else {
			ng.AddUnknown("PublicIp", orStr(awhy, "the elastic IP is allocated at apply"))
			b.markPublic(eni, "the NAT gateway's elastic IP is allocated at apply", true)
		}
	}
	ng.Addresses = []model.NATAddress{addr}
	b.n.NATGateways.Put(ng)
	return nil
}

// peering reads aws_vpc_peering_connection. Without accept_status, a
// connection is active when auto_accept is true or an accepter resource
// accepts it, else pending acceptance.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_peering_connection
func (b *builder) peering(in *inst) error {
	f := b.top(in)
	pc := &model.PeeringConnection{Meta: b.meta(in)}
	req, rwhy := f.ref("vpc_id")
	acc, awhy := f.ref("peer_vpc_id")
	pc.Requester.VPCID, pc.Accepter.VPCID = req, acc
	if rwhy != "" {
		pc.AddUnknown("RequesterVpcId", rwhy)
	}
	if awhy != "" {
		pc.AddUnknown("AccepterVpcId", awhy)
	}
	pc.Requester.Account = pc.Account
	pc.Accepter.Account, _ = f.str("peer_owner_id")
	if pc.Accepter.Account == "" {
		pc.Accepter.Account = pc.Account
	}
	pc.Requester.Region = pc.Region
	pc.Accepter.Region, _ = f.str("peer_region")
	if pc.Accepter.Region == "" {
		pc.Accepter.Region = pc.Region
	}
	st, _ := f.str("accept_status")
	switch {
	case st != "":
		pc.Status = st
	case f.flag("auto_accept", false).IsTrue():
		pc.Status = "active"
	default:
		pc.Status = "pending-acceptance"
	}
	b.n.PeeringConnections.Put(pc)
	b.peerings = append(b.peerings, pc)
	return nil
}

func (b *builder) peeringAccepter(in *inst) error {
	f := b.top(in)
	id, why := f.ref("vpc_peering_connection_id")
	pc, ok := b.n.PeeringConnections.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "accepts a peering connection not in the sources (%s)", orWhy(id, why))
		return nil
	}
	if f.flag("auto_accept", false).MayBeTrue() {
		pc.Status = "active"
	}
	return nil
}

// newENI makes an interface owned by an element.
func (b *builder) newENI(in *inst, id, subnet string, owner model.OwnerKind, ownerID, ifType string) *model.NetworkInterface {
	m := model.Meta{ID: id, LogicalID: in.addr + strings.ReplaceAll(strings.TrimPrefix(id, in.id), "/", "."), Account: b.r.opts.Account, Region: b.r.opts.Region, Origin: in.origin}
	if m.LogicalID == in.addr {
		m.LogicalID = in.addr + ".eni"
	}
	e := &model.NetworkInterface{Meta: m, SubnetID: subnet, VPCID: b.vpcOfSubnet(subnet), PrivateIPs: []model.PrivateIP{},
		SecurityGroupIDs: []string{}, SourceDestCheck: true, InterfaceType: ifType, OwnerKind: owner, OwnerID: ownerID, Status: "in-use"}
	if ifType == "" {
		e.InterfaceType = "interface"
	}
	if subnet == "" {
		e.AddUnknown("SubnetId", "the subnet is unknown")
	}
	b.n.NetworkInterfaces.Put(e)
	return e
}

// markPublic records a public IPv4 of unknown value; assigned says AWS
// gives one for certain.
func (b *builder) markPublic(e *model.NetworkInterface, why string, assigned bool) {
	if len(e.PrivateIPs) == 0 {
		for i, u := range e.Unknowns {
			if u.Field == "PublicIp" {
				if assigned && !e.PublicIPAssigned {
					e.Unknowns[i].Reason, e.PublicIPAssigned = why, true
				}
				return
			}
		}
		e.AddUnknown("PublicIp", why)
		e.PublicIPAssigned = assigned
		return
	}
	pi := &e.PrivateIPs[0]
	if pi.PublicIP.IsValid() || (pi.PublicAssigned && !assigned) {
		return
	}
	pi.PublicUnknown, pi.PublicAssigned = why, assigned
}

var _ = netip.Addr{}
