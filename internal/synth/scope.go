package synth

import "fmt"

// buildScope writes what one account and region share: DHCP options,
// managed prefix lists, the transit gateway and its route tables, and a
// private hosted zone associated with every VPC of the scope.
func (o *org) buildScope(s *scope) *batch {
	b := newBatch()
	b.add(kDHCPOptions, &jsonDHCPOptions{
		DhcpConfigurations: []dhcpConfig{
			{Key: "domain-name", Values: []resourceRecord{{regionDomain(s.region)}}},
			{Key: "domain-name-servers", Values: []resourceRecord{{"AmazonProvidedDNS"}}},
		},
		DhcpOptionsID: s.doptDefault, OwnerID: s.account, Tags: nameTag("default"),
	})
	b.add(kDHCPOptions, &jsonDHCPOptions{
		DhcpConfigurations: []dhcpConfig{
			{Key: "domain-name", Values: []resourceRecord{{"corp.internal"}}},
			{Key: "domain-name-servers", Values: []resourceRecord{{s.customDNS.String()}, {"AmazonProvidedDNS"}}},
			{Key: "ntp-servers", Values: []resourceRecord{{"169.254.169.123"}}},
		},
		DhcpOptionsID: s.doptCustm, OwnerID: s.account, Tags: nameTag("corp-dns"),
	})

	lists := []struct {
		id, name string
		cidrs    []string
	}{
		{s.plCorp, "corp-offices", []string{"198.51.100.0/24", "203.0.113.0/25", "203.0.113.128/26", "192.0.2.0/27"}},
		{s.plPartner, "partners", []string{"100.20.0.0/16", "52.94.0.0/22", "35.80.12.0/24"}},
	}
	for _, l := range lists {
		b.add(kPrefixLists, &jsonPrefixList{
			AddressFamily: "IPv4", MaxEntries: 20, OwnerID: s.account,
			PrefixListArn: fmt.Sprintf("arn:aws:ec2:%s:%s:prefix-list/%s", s.region, s.account, l.id),
			PrefixListID:  l.id, PrefixListName: l.name, State: "create-complete", Version: 1,
		})
		e := prefixListEntries{PrefixListID: l.id}
		for _, c := range l.cidrs {
			e.Entries = append(e.Entries, plEntry{Cidr: c, Description: l.name})
		}
		b.add(kPrefixListEntries, &e)
	}

	if s.tgw != "" {
		o.transitGateway(s, b)
	}

	// A zone every VPC of the scope resolves.
	name := "corp.internal."
	recs := append(zoneApex(name),
		recordSet{Name: "dns." + name, Type: "A", TTL: 300, ResourceRecords: []resourceRecord{{s.customDNS.String()}}})
	var vpcs []zoneVPC
	for _, v := range s.vpcs {
		vpcs = append(vpcs, zoneVPC{VPCID: v.id, VPCRegion: s.region})
		recs = append(recs, recordSet{Name: v.name + "-resolver." + name, Type: "A", TTL: 300,
			ResourceRecords: []resourceRecord{{u32Addr(addrU32(v.cidr.Addr()) + 2).String()}}})
	}
	b.extra["ResourceRecordSets"] += len(recs)
	b.add(kHostedZones, &hostedZone{
		HostedZone: zoneInfo{
			CallerReference: fmt.Sprintf("synth-corp-%d", s.idx), Config: zoneConfig{Comment: "shared names", PrivateZone: true},
			ID: "/hostedzone/" + s.sharedZone, Name: name, ResourceRecordSetCount: len(recs),
		},
		ResourceRecordSets: recs,
		VPCs:               vpcs,
	})
	return b
}

func regionDomain(region string) string {
	if region == "us-east-1" {
		return "ec2.internal"
	}
	return region + ".compute.internal"
}

// transitGateway writes a hub with two route tables: spokes are associated
// with the spoke table (every VPC propagated, 0.0.0.0/0 to the egress VPC,
// a blackhole for a retired range); the egress VPC with the egress table
// (spokes propagated).
func (o *org) transitGateway(s *scope, b *batch) {
	b.add(kTransitGateways, &jsonTGW{
		Description: "hub",
		Options: tgwOptions{
			AmazonSideAsn: 64512, AssociationDefaultRouteTableID: s.tgwSpoke, AutoAcceptSharedAttachments: "disable",
			DefaultRouteTableAssociation: "enable", DefaultRouteTablePropagation: "enable", DNSSupport: "enable",
			PropagationDefaultRouteTableID: s.tgwSpoke, VpnEcmpSupport: "enable",
		},
		OwnerID: s.account, State: "available", Tags: nameTag("hub"),
		TransitGatewayArn: fmt.Sprintf("arn:aws:ec2:%s:%s:transit-gateway/%s", s.region, s.account, s.tgw),
		TransitGatewayID:  s.tgw,
	})
	b.add(kTGWRouteTables, &jsonTGWRouteTable{DefaultAssociationRouteTable: true, DefaultPropagationRouteTable: true,
		State: "available", TransitGatewayID: s.tgw, TransitGatewayRouteTableID: s.tgwSpoke, Tags: nameTag("spokes")})
	if s.egress != nil {
		b.add(kTGWRouteTables, &jsonTGWRouteTable{State: "available", TransitGatewayID: s.tgw,
			TransitGatewayRouteTableID: s.tgwEgr, Tags: nameTag("egress")})
	}
	var spokeAssoc, egrAssoc, spokeProp, egrProp []tgwAssocItem
	var spokeRoutes, egrRoutes []tgwRoute
	for _, v := range s.vpcs {
		rt := s.tgwSpoke
		item := tgwAssocItem{ResourceID: v.id, ResourceType: "vpc", State: "associated", TransitGatewayAttachmentID: v.tgwAttach}
		prop := item
		prop.State = "enabled"
		r := tgwRoute{DestinationCidrBlock: v.cidr.String(), State: "active", Type: "propagated",
			TransitGatewayAttachments: []tgwRouteAttach{{ResourceID: v.id, ResourceType: "vpc", TransitGatewayAttachmentID: v.tgwAttach}}}
		spokeProp = append(spokeProp, prop)
		spokeRoutes = append(spokeRoutes, r)
		if v == s.egress {
			rt = s.tgwEgr
			egrAssoc = append(egrAssoc, item)
		} else {
			spokeAssoc = append(spokeAssoc, item)
			if s.egress != nil {
				egrProp = append(egrProp, prop)
				egrRoutes = append(egrRoutes, r)
			}
		}
		b.add(kTGWAttachments, &jsonTGWAttachment{
			Association: &tgwAssocRef{State: "associated", TransitGatewayRouteTableID: rt},
			ResourceID:  v.id, ResourceOwnerID: v.sc.account, ResourceType: "vpc", State: "available",
			Tags: nameTag(v.name), TransitGatewayAttachmentID: v.tgwAttach, TransitGatewayID: s.tgw, TransitGatewayOwnerID: s.account,
		})
		var subnets []string // the attachment uses the private subnets
		for slot := slotPrivate; slot < numSlots; slot++ {
			subnets = append(subnets, o.vpcID(v, "subnet", uint64(slot)))
		}
		b.add(kTGWVPCAttachments, &jsonTGWVPCAttachment{
			Options: tgwVPCAttachOptions{ApplianceModeSupport: "disable", DNSSupport: "enable", Ipv6Support: "disable"},
			State:   "available", SubnetIDs: subnets, Tags: nameTag(v.name), TransitGatewayAttachmentID: v.tgwAttach,
			TransitGatewayID: s.tgw, VpcID: v.id, VpcOwnerID: v.sc.account,
		})
	}
	if s.egress != nil {
		spokeRoutes = append(spokeRoutes, tgwRoute{DestinationCidrBlock: "0.0.0.0/0", State: "active", Type: "static",
			TransitGatewayAttachments: []tgwRouteAttach{{ResourceID: s.egress.id, ResourceType: "vpc", TransitGatewayAttachmentID: s.egress.tgwAttach}}})
	}
	spokeRoutes = append(spokeRoutes, tgwRoute{DestinationCidrBlock: "192.168.0.0/16", State: "blackhole", Type: "static"})
	b.add(kTGWAssociations, &tgwAssociations{Associations: orEmpty(spokeAssoc), TransitGatewayRouteTableID: s.tgwSpoke})
	b.add(kTGWPropagations, &tgwPropagations{TransitGatewayRouteTableID: s.tgwSpoke, TransitGatewayRouteTablePropagations: orEmpty(spokeProp)})
	b.add(kTGWRoutes, &tgwRoutes{Routes: spokeRoutes, TransitGatewayRouteTableID: s.tgwSpoke})
	if s.egress != nil {
		b.add(kTGWAssociations, &tgwAssociations{Associations: orEmpty(egrAssoc), TransitGatewayRouteTableID: s.tgwEgr})
		b.add(kTGWPropagations, &tgwPropagations{TransitGatewayRouteTableID: s.tgwEgr, TransitGatewayRouteTablePropagations: orEmpty(egrProp)})
		b.add(kTGWRoutes, &tgwRoutes{Routes: orEmpty(egrRoutes), TransitGatewayRouteTableID: s.tgwEgr})
	}
}
