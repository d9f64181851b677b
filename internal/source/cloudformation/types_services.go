package cloudformation

import (
	"fmt"
	"math"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"AWS::EC2::VPCEndpoint":                         {3, (*builder).vpcEndpoint},
		"AWS::EC2::ClientVpnEndpoint":                   {1, (*builder).clientVPNEndpoint},
		"AWS::EC2::ClientVpnTargetNetworkAssociation":   {3, (*builder).clientVPNAssociation},
		"AWS::EC2::ClientVpnRoute":                      {4, (*builder).clientVPNRoute},
		"AWS::EC2::ClientVpnAuthorizationRule":          {4, (*builder).clientVPNAuthorization},
		"AWS::ElasticLoadBalancingV2::LoadBalancer":     {3, (*builder).loadBalancerV2},
		"AWS::ElasticLoadBalancingV2::TargetGroup":      {1, (*builder).targetGroup},
		"AWS::ElasticLoadBalancingV2::Listener":         {4, (*builder).listener},
		"AWS::ElasticLoadBalancing::LoadBalancer":       {3, (*builder).classicELB},
		"AWS::Route53::HostedZone":                      {0, (*builder).hostedZone},
		"AWS::Route53::RecordSet":                       {3, (*builder).recordSet},
		"AWS::Route53::RecordSetGroup":                  {3, (*builder).recordSetGroup},
		"AWS::Route53Resolver::ResolverEndpoint":        {3, (*builder).resolverEndpoint},
		"AWS::Route53Resolver::ResolverRule":            {3, (*builder).resolverRule},
		"AWS::Route53Resolver::ResolverRuleAssociation": {4, (*builder).resolverRuleAssociation},
		"AWS::RDS::DBSubnetGroup":                       {0, (*builder).dbSubnetGroup},
		"AWS::RDS::DBInstance":                          {3, (*builder).dbInstance},
		"AWS::Lambda::Function":                         {3, (*builder).lambdaFunction},
		"AWS::ECS::Service":                             {3, (*builder).ecsService},
	} {
		handlers[t] = h
	}
}

// privateDNSName is the default DNS name of an AWS service
// (com.amazonaws.us-east-1.ecr.api -> api.ecr.us-east-1.amazonaws.com).
func privateDNSName(service, region string) string {
	prefix := "com.amazonaws." + region + "."
	if !strings.HasPrefix(service, prefix) {
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(service, prefix), ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".") + "." + region + ".amazonaws.com"
}

// vpcEndpoint reads AWS::EC2::VPCEndpoint. In CloudFormation
// PrivateDnsEnabled defaults to false (aws-behaviour.md R4.2).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html
func (b *builder) vpcEndpoint(p *props) error {
	e := &model.VPCEndpoint{Meta: p.meta(), State: "available"}
	p.bind(&e.Meta)
	e.EndpointType = p.str("VpcEndpointType")
	if e.EndpointType == "" {
		e.EndpointType = "Gateway"
		e.Defaults = append(e.Defaults, "VpcEndpointType Gateway")
	}
	e.ServiceName = p.str("ServiceName")
	e.VPCID = p.str("VpcId")
	e.PrivateDNSEnabled = p.flag("PrivateDnsEnabled", false)
	if !p.has("PrivateDnsEnabled") && !strings.EqualFold(e.EndpointType, "Gateway") {
		e.Defaults = append(e.Defaults, "PrivateDnsEnabled false (CloudFormation default, aws-behaviour.md R4.2)")
	}
	if e.PrivateDNSEnabled.MayBeTrue() {
		e.PrivateDNSName = privateDNSName(e.ServiceName, b.r.region)
	}
	if o := p.obj("DnsOptions"); o != nil {
		e.PrivateDNSOnlyForInboundResolverEndpoint = o.boolean("PrivateDnsOnlyForInboundResolverEndpoint", false)
	}
	switch strings.ToLower(e.EndpointType) {
	case "gateway":
		e.RouteTableIDs, _ = p.strs("RouteTableIds")
		if e.ServiceName != "" {
			pl := b.servicePrefixList(p, e.ServiceName)
			e.PrefixListID = pl
			for _, id := range e.RouteTableIDs {
				rt, ok := b.n.RouteTables.Get(id)
				if !ok {
					p.warnf("dangling-reference", "route table %q is not in the sources", id)
					continue
				}
				rt.Routes = append(rt.Routes, model.Route{DestinationPrefixListID: pl, TargetKind: model.TargetGatewayEndpoint,
					TargetID: e.ID, State: model.RouteActive, CreatedBy: "CreateRoute", Origin: p.origin})
			}
		} else {
			p.note("ServiceName", "unknown service: the routes to its prefix list are not known")
		}
	default:
		subnets, complete := p.strs("SubnetIds")
		if !complete {
			p.note("SubnetIds", "some subnets are unknown")
		}
		e.SubnetIDs = subnets
		sgs, ok := p.strs("SecurityGroupIds")
		for i, s := range subnets {
			n := b.newENI(p, fmt.Sprintf("%s/eni%d", e.ID, i), s, model.OwnerVPCEndpoint, e.ID, "vpc_endpoint")
			n.RequesterManaged = true
			n.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
			if strings.EqualFold(e.EndpointType, "GatewayLoadBalancer") {
				n.InterfaceType = "gateway_load_balancer_endpoint"
				n.SourceDestCheck = false
			} else {
				b.setSGs(n, append([]string(nil), sgs...), ok, "some groups are unknown")
			}
			e.NetworkInterfaceIDs = append(e.NetworkInterfaceIDs, n.ID)
		}
		if len(sgs) > 0 || !ok {
			e.SecurityGroupIDs = sgs
		} else if !strings.EqualFold(e.EndpointType, "GatewayLoadBalancer") {
			b.endpointsDefaultSG = append(b.endpointsDefaultSG, e)
		}
	}
	b.n.VPCEndpoints.Put(e)
	return nil
}

// servicePrefixList is the AWS-managed prefix list of a gateway endpoint's
// service: its ID and entries are known only in the account.
func (b *builder) servicePrefixList(p *props, service string) string {
	id := "prefix-list:" + service
	if _, ok := b.n.PrefixLists.Get(id); !ok {
		pl := &model.PrefixList{Meta: model.Meta{ID: id, Account: b.r.opts.Account, Region: b.r.region, Origin: p.origin,
			Defaults: []string{"AWS-managed prefix list of " + service}}, PrefixListName: service, AddressFamily: "IPv4", OwnerID: "AWS"}
		pl.AddUnknown("Entries", "the addresses of "+service+" are known only in the account")
		b.n.PrefixLists.Put(pl)
	}
	return id
}

func (b *builder) clientVPNEndpoint(p *props) error {
	c := &model.ClientVPNEndpoint{Meta: p.meta(), Status: "available"}
	p.bind(&c.Meta)
	if cidr, ok := p.prefix("ClientCidrBlock"); ok {
		c.ClientCIDR = cidr
	}
	servers, _ := p.strs("DnsServers")
	for _, s := range servers {
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
			c.DNSServers = append(c.DNSServers, a)
		} else {
			p.note("DnsServers", fmt.Sprintf("%q is not an IP address", s))
		}
	}
	c.SplitTunnel = p.boolean("SplitTunnel", false)
	c.VPCID = p.str("VpcId")
	c.SecurityGroupIDs, _ = p.strs("SecurityGroupIds")
	c.TransportProtocol = strings.ToLower(p.str("TransportProtocol"))
	if c.TransportProtocol == "" {
		c.TransportProtocol = "udp"
	}
	c.VPNPort = 443
	if n, ok, err := p.port("VpnPort"); err != nil {
		return err
	} else if ok {
		c.VPNPort = n
	}
	b.n.ClientVPNEndpoints.Put(c)
	b.clientVPNs = append(b.clientVPNs, c)
	return nil
}

func (b *builder) clientVPNOf(p *props) *model.ClientVPNEndpoint {
	c, _ := attachTo(p, &b.n.ClientVPNEndpoints, "ClientVpnEndpointId", "Client VPN endpoint %q is not in the sources")
	return c
}

// clientVPNAssociation adds a target network; AWS adds the route to the
// VPC's CIDR with it (aws-behaviour.md R6.5) and source-NATs clients from
// an interface in the subnet (R6.7).
func (b *builder) clientVPNAssociation(p *props) error {
	c := b.clientVPNOf(p)
	if c == nil {
		return nil
	}
	sub := p.str("SubnetId")
	if sub == "" {
		return nil
	}
	vpc := b.vpcOfSubnet(sub)
	if c.VPCID == "" {
		c.VPCID = vpc
	}
	c.TargetNetworks = append(c.TargetNetworks, model.ClientVPNTargetNetwork{AssociationID: p.r.id, SubnetID: sub, VPCID: vpc,
		Status: "associated", Origin: p.origin})
	if v, ok := b.n.VPCs.Get(vpc); ok {
		for _, cidr := range v.CIDRs {
			c.Routes = append(c.Routes, model.ClientVPNRoute{Destination: cidr, TargetSubnet: sub, Type: "Nat", Status: "active", Origin: p.origin})
		}
	} else {
		c.AddUnknown("Routes", "the route AWS adds for the VPC of "+sub+" has an unknown CIDR")
	}
	e := b.newENI(p, p.r.id+"/eni0", sub, model.OwnerClientVPN, c.ID, "interface")
	e.RequesterManaged = true
	e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
	b.clientVPNENIs = append(b.clientVPNENIs, e)
	return nil
}

func (b *builder) clientVPNRoute(p *props) error {
	c := b.clientVPNOf(p)
	if c == nil {
		return nil
	}
	d, ok := p.prefix("DestinationCidrBlock")
	if !ok {
		c.AddUnknown("Routes", "a route's destination is unknown")
		return nil
	}
	c.Routes = append(c.Routes, model.ClientVPNRoute{Destination: d, TargetSubnet: p.str("TargetVpcSubnetId"), Type: "Nat", Status: "active", Origin: p.origin})
	return nil
}

func (b *builder) clientVPNAuthorization(p *props) error {
	c := b.clientVPNOf(p)
	if c == nil {
		return nil
	}
	d, ok := p.prefix("TargetNetworkCidr")
	if !ok {
		c.AddUnknown("AuthorizationRules", "a rule's network is unknown")
		return nil
	}
	r := model.ClientVPNAuthorizationRule{Destination: d, AccessAll: p.boolean("AuthorizeAllGroups", false), Status: "active", Origin: p.origin}
	r.GroupID = p.str("AccessGroupId")
	c.AuthorizationRules = append(c.AuthorizationRules, r)
	return nil
}

// lbENIs makes one interface per subnet of a load balancer.
func (b *builder) lbENIs(p *props, lb *model.LoadBalancer, ifType string, mappings []*props) {
	for i, s := range lb.SubnetIDs {
		e := b.newENI(p, fmt.Sprintf("%s/eni%d", lb.ID, i), s, model.OwnerLoadBalancer, lb.ID, ifType)
		e.RequesterManaged = true
		e.SecurityGroupIDs = append([]string{}, lb.SecurityGroupIDs...)
		var alloc string
		for _, m := range mappings {
			if m.str("SubnetId") == s {
				if a, ok := m.addr("PrivateIPv4Address"); ok {
					e.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
					lb.Addresses = append(lb.Addresses, a)
				}
				alloc = m.str("AllocationId")
			}
		}
		if len(e.PrivateIPs) == 0 {
			e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
		}
		if lb.IsInternetFacing() {
			why := "the load balancer is internet-facing: AWS picks its public IPs"
			if alloc != "" {
				why = "elastic IP " + alloc + " is allocated at deploy time"
			}
			b.markAssigned(e, why)
		}
		if lb.VPCID == "" {
			lb.VPCID = e.VPCID
		}
	}
}

func (b *builder) loadBalancerV2(p *props) error {
	lb := &model.LoadBalancer{Meta: p.meta()}
	p.bind(&lb.Meta)
	if n := p.str("Name"); n != "" {
		lb.Name = n
	}
	lb.LBType = strings.ToLower(p.str("Type"))
	if lb.LBType == "" {
		lb.LBType = "application"
		lb.Defaults = append(lb.Defaults, "Type application")
	}
	lb.Scheme = p.str("Scheme")
	if lb.LBType == "gateway" {
		// A Gateway Load Balancer takes no scheme: it is reached only
		// through its endpoints.
		// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html
		if lb.Scheme == "" {
			lb.Scheme = "internal"
		}
	} else if lb.Scheme == "" && !p.has("Scheme") {
		lb.Scheme = "internet-facing"
		lb.Defaults = append(lb.Defaults, "Scheme internet-facing (CloudFormation default)")
	} else if lb.Scheme == "" {
		lb.Scheme = "internet-facing"
		lb.AddUnknown("Scheme", "unknown scheme: read as internet-facing")
	}
	lb.IPAddressType = p.str("IpAddressType")
	subnets, complete := p.strs("Subnets")
	if !complete {
		p.note("Subnets", "some subnets are unknown")
	}
	mappings, _ := p.list("SubnetMappings")
	for _, m := range mappings {
		if s := m.str("SubnetId"); s != "" {
			subnets = append(subnets, s)
		}
	}
	lb.SubnetIDs = dedupe(subnets)
	sgs, ok := p.strs("SecurityGroups")
	lb.SecurityGroupIDs = sgs
	if !ok {
		lb.AddUnknown("SecurityGroups", "some groups are unknown")
	}
	ifType := "interface"
	switch lb.LBType {
	case "network":
		ifType = "network_load_balancer"
	case "gateway":
		ifType = "gateway_load_balancer"
	}
	if len(lb.SubnetIDs) > 0 {
		lb.VPCID = b.vpcOfSubnet(lb.SubnetIDs[0])
	}
	if lb.LBType == "application" && len(sgs) == 0 && ok {
		if v, found := b.n.VPCs.Get(lb.VPCID); found && v.DefaultSecurityGroupID != "" {
			lb.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
			lb.Defaults = append(lb.Defaults, "the VPC's default security group: none stated")
		} else {
			lb.AddUnknown("SecurityGroups", "none stated: the VPC's default security group, which is not in the sources")
		}
	}
	b.lbENIs(p, lb, ifType, mappings)
	b.n.LoadBalancers.Put(lb)
	return nil
}

func (b *builder) targetGroup(p *props) error {
	tg := &model.TargetGroup{Meta: p.meta()}
	p.bind(&tg.Meta)
	if n := p.str("Name"); n != "" {
		tg.Name = n
	}
	tg.Protocol = p.str("Protocol")
	if n, ok, err := p.port("Port"); err != nil {
		return err
	} else if ok {
		tg.Port = n
	}
	tg.VPCID = p.str("VpcId")
	tg.TargetType = p.str("TargetType")
	if tg.TargetType == "" {
		tg.TargetType = "instance"
	}
	targets, complete := p.list("Targets")
	tg.TargetsKnown = p.has("Targets") && complete
	for _, t := range targets {
		x := model.Target{ID: t.str("Id"), AvailabilityZone: t.str("AvailabilityZone")}
		if n, ok, err := t.port("Port"); err != nil {
			return err
		} else if ok {
			x.Port = n
		}
		if x.ID == "" {
			tg.TargetsKnown = false
			continue
		}
		tg.Targets = append(tg.Targets, x)
	}
	b.n.TargetGroups.Put(tg)
	return nil
}

func (b *builder) listener(p *props) error {
	lb, ok := attachTo(p, &b.n.LoadBalancers, "LoadBalancerArn", "listener of load balancer %q, which is not in the sources")
	if !ok {
		return nil
	}
	l := model.Listener{ARN: p.r.id, Protocol: p.str("Protocol"), Origin: p.origin}
	if n, ok, err := p.port("Port"); err != nil {
		return err
	} else if ok {
		l.Port = n
	}
	if l.Protocol == "" {
		switch lb.LBType {
		case "application":
			l.Protocol = "HTTP"
		case "network":
			l.Protocol = "TCP"
		case "gateway":
			l.Protocol = "GENEVE"
		}
	}
	actions, _ := p.list("DefaultActions")
	for _, a := range actions {
		if tg := a.str("TargetGroupArn"); tg != "" {
			l.TargetGroupARNs = append(l.TargetGroupARNs, tg)
		}
		if fc := a.obj("ForwardConfig"); fc != nil {
			tgs, _ := fc.list("TargetGroups")
			for _, t := range tgs {
				if tg := t.str("TargetGroupArn"); tg != "" {
					l.TargetGroupARNs = append(l.TargetGroupARNs, tg)
				}
			}
		}
	}
	b.n.LinkTargetGroups(lb, &l)
	lb.Listeners = append(lb.Listeners, l)
	return nil
}

func (b *builder) classicELB(p *props) error {
	lb := &model.LoadBalancer{Meta: p.meta(), LBType: "classic"}
	p.bind(&lb.Meta)
	if n := p.str("LoadBalancerName"); n != "" {
		lb.Name = n
	}
	lb.Scheme = p.str("Scheme")
	if lb.Scheme == "" {
		lb.Scheme = "internet-facing"
		lb.Defaults = append(lb.Defaults, "Scheme internet-facing (CloudFormation default)")
	}
	subnets, complete := p.strs("Subnets")
	if !complete {
		p.note("Subnets", "some subnets are unknown")
	}
	if len(subnets) == 0 && complete {
		p.note("Subnets", "no subnets: the load balancer is in the region's default VPC")
	}
	lb.SubnetIDs = subnets
	sgs, sgsOK := p.strs("SecurityGroups")
	lb.SecurityGroupIDs = sgs
	lb.InstanceIDs, _ = p.strs("Instances")
	if len(lb.SubnetIDs) > 0 {
		lb.VPCID = b.vpcOfSubnet(lb.SubnetIDs[0])
	}
	if len(sgs) == 0 && sgsOK && len(lb.SubnetIDs) > 0 {
		// In a nondefault VPC, no group stated means the VPC's default group.
		// https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-vpc-security-groups.html
		if v, found := b.n.VPCs.Get(lb.VPCID); found && v.DefaultSecurityGroupID != "" {
			lb.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
			lb.Defaults = append(lb.Defaults, "the VPC's default security group: none stated")
		} else {
			lb.AddUnknown("SecurityGroups", "none stated: the VPC's default security group, which is not in the sources")
		}
	}
	ls, _ := p.list("Listeners")
	for _, l := range ls {
		x := model.Listener{Protocol: strings.ToUpper(l.str("Protocol")), InstanceProtocol: strings.ToUpper(l.str("InstanceProtocol")), Origin: l.origin}
		if n, ok, err := l.port("LoadBalancerPort"); err != nil {
			return err
		} else if ok {
			x.Port = n
		}
		if n, ok, err := l.port("InstancePort"); err != nil {
			return err
		} else if ok {
			x.InstancePort = n
		}
		lb.Listeners = append(lb.Listeners, x)
	}
	b.lbENIs(p, lb, "interface", nil)
	b.n.LoadBalancers.Put(lb)
	return nil
}

func fqdn(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func (b *builder) hostedZone(p *props) error {
	z := &model.HostedZone{Meta: p.meta(), RecordsKnown: true}
	p.bind(&z.Meta)
	z.ZoneName = fqdn(p.str("Name"))
	vpcs, _ := p.list("VPCs")
	for _, v := range vpcs {
		zv := model.ZoneVPC{VPCID: v.str("VPCId"), Region: v.str("VPCRegion")}
		z.VPCs = append(z.VPCs, zv)
	}
	z.Private = len(vpcs) > 0 || p.has("VPCs") && len(z.VPCs) == 0 && z.HasUnknowns()
	b.n.HostedZones.Put(z)
	if z.ZoneName != "" {
		b.recordSetsNamed[z.ZoneName] = z.ID
	}
	return nil
}

// zoneOf finds the zone a record set goes into.
func (b *builder) zoneOf(p *props) *model.HostedZone {
	id, u := p.strU("HostedZoneId")
	if u != nil {
		p.warnf("unknown-value", "the record's hosted zone is unknown (%s): the record is not read", u.S)
		return nil
	}
	if id == "" {
		name, u := p.strU("HostedZoneName")
		if u != nil {
			p.warnf("unknown-value", "the record's hosted zone is unknown (%s): the record is not read", u.S)
			return nil
		}
		id = b.recordSetsNamed[fqdn(name)]
		if id == "" {
			for _, z := range b.n.HostedZones.All() {
				if z.ZoneName == fqdn(name) {
					id = z.ID
				}
			}
		}
		if id == "" {
			p.warnf("dangling-reference", "hosted zone %q is not in the sources: the record is not read", name)
			return nil
		}
	}
	z, ok := b.n.HostedZones.Get(id)
	if !ok {
		p.warnf("dangling-reference", "hosted zone %q is not in the sources: the record is not read", id)
		return nil
	}
	return z
}

func (b *builder) record(p *props, z *model.HostedZone) {
	r := model.Record{Name: fqdn(p.str("Name")), Type: strings.ToUpper(p.str("Type")), Origin: p.origin, SetIdentifier: p.str("SetIdentifier")}
	// record returns nothing: a bad TTL stops the build through b.bad.
	if n, ok, err := p.intV("TTL"); err != nil {
		p.b.fail(err)
	} else if ok && (n < 0 || n > math.MaxInt32) {
		p.b.fail(p.badf("TTL", "TTL %d is outside 0-2147483647", n))
	} else if ok {
		r.TTL = uint32(n)
	}
	vals, complete := p.strs("ResourceRecords")
	r.Values = vals
	if !complete {
		z.AddUnknown("Records."+r.Name+" "+r.Type, "some values are known only after deployment")
	}
	if a := p.obj("AliasTarget"); a != nil {
		at := &model.AliasTarget{DNSName: fqdn(a.str("DNSName")), HostedZoneID: a.str("HostedZoneId"),
			EvaluateTargetHealth: a.boolean("EvaluateTargetHealth", false)}
		if at.DNSName == "" {
			z.AddUnknown("Records."+r.Name+" "+r.Type, "the alias target is known only after deployment")
		}
		r.Alias = at
	}
	for _, k := range []string{"Weight", "Region", "Failover", "GeoLocation", "GeoProximityLocation", "MultiValueAnswer", "CidrRoutingConfig"} {
		if p.has(k) {
			r.RoutingPolicy = strings.ToLower(k)
			break
		}
	}
	z.Records = append(z.Records, r)
}

func (b *builder) recordSet(p *props) error {
	z := b.zoneOf(p)
	if z == nil {
		p.flush()
		return nil
	}
	p.bindAs(&z.Meta)
	b.record(p, z)
	return nil
}

func (b *builder) recordSetGroup(p *props) error {
	z := b.zoneOf(p)
	if z == nil {
		p.flush()
		return nil
	}
	p.bindAs(&z.Meta)
	sets, _ := p.list("RecordSets")
	for _, s := range sets {
		b.record(s, z)
	}
	return nil
}

func (b *builder) resolverEndpoint(p *props) error {
	e := &model.ResolverEndpoint{Meta: p.meta(), Status: "OPERATIONAL"}
	p.bind(&e.Meta)
	if n := p.str("Name"); n != "" && e.Name == "" {
		e.Name = n
	}
	e.Direction = strings.ToUpper(p.str("Direction"))
	e.SecurityGroupIDs, _ = p.strs("SecurityGroupIds")
	e.Protocols, _ = p.strs("Protocols")
	ips, complete := p.list("IpAddresses")
	if !complete {
		p.note("IpAddresses", "some addresses are unknown")
	}
	for i, x := range ips {
		ip := model.ResolverEndpointIP{SubnetID: x.str("SubnetId")}
		eni := b.newENI(p, fmt.Sprintf("%s/eni%d", e.ID, i), ip.SubnetID, model.OwnerResolverEndpoint, e.ID, "interface")
		eni.RequesterManaged = true
		eni.SecurityGroupIDs = append([]string{}, e.SecurityGroupIDs...)
		if a, ok := x.addr("Ip"); ok {
			ip.IP = a
			eni.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
		} else {
			eni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
			e.AddUnknown(fmt.Sprintf("IpAddresses[%d].Ip", i), "picked by AWS from subnet "+ip.SubnetID+" at deploy time")
		}
		if a, ok := x.addr("Ipv6"); ok {
			ip.IPv6 = a
			eni.IPv6 = []netip.Addr{a}
		}
		ip.NetworkInterfaceID = eni.ID
		e.IPAddresses = append(e.IPAddresses, ip)
		if e.VPCID == "" {
			e.VPCID = eni.VPCID
		}
	}
	b.n.ResolverEndpoints.Put(e)
	return nil
}

func (b *builder) resolverRule(p *props) error {
	r := &model.ResolverRule{Meta: p.meta(), OwnerID: b.r.opts.Account}
	p.bind(&r.Meta)
	if n := p.str("Name"); n != "" && r.Name == "" {
		r.Name = n
	}
	r.DomainName = fqdn(p.str("DomainName"))
	r.RuleType = strings.ToUpper(p.str("RuleType"))
	r.ResolverEndpointID = p.str("ResolverEndpointId")
	targets, _ := p.list("TargetIps")
	for _, t := range targets {
		x := model.ResolverTarget{Port: 53}
		if a, ok := t.addr("Ip"); ok {
			x.IP = a
		} else if a, ok := t.addr("Ipv6"); ok {
			x.IP = a
		} else {
			continue
		}
		if n, ok, err := t.port("Port"); err != nil {
			return err
		} else if ok {
			x.Port = n
		}
		r.TargetIPs = append(r.TargetIPs, x)
	}
	b.n.ResolverRules.Put(r)
	return nil
}

func (b *builder) resolverRuleAssociation(p *props) error {
	a := &model.ResolverRuleAssociation{Meta: p.meta(), Status: "COMPLETE"}
	p.bind(&a.Meta)
	if n := p.str("Name"); n != "" && a.Name == "" {
		a.Name = n
	}
	a.ResolverRuleID = p.str("ResolverRuleId")
	a.VPCID = p.str("VPCId")
	b.n.ResolverRuleAssocs.Put(a)
	return nil
}

func (b *builder) dbSubnetGroup(p *props) error {
	subnets, complete := p.strs("SubnetIds")
	if !complete {
		subnets = append(subnets, "")
	}
	b.dbSubnetGroups[p.r.id] = subnets
	if n, u := p.strU("DBSubnetGroupName"); u == nil && n != "" {
		b.dbSubnetGroups[strings.ToLower(n)] = subnets
	}
	p.flush()
	return nil
}

// rdsCheck is a DB instance whose public accessibility follows its VPC.
type rdsCheck struct {
	enis []*model.NetworkInterface
	vpc  string
}

// serviceENIs makes the interfaces of a service placed in subnets (RDS,
// Lambda, ECS): one per subnet, address unknown.
func (b *builder) serviceENIs(p *props, subnets []string, sgs []string, sgsOK bool, owner model.OwnerKind, ifType, why string) []*model.NetworkInterface {
	var out []*model.NetworkInterface
	for i, s := range subnets {
		e := b.newENI(p, fmt.Sprintf("%s/eni%d", p.r.id, i), s, owner, p.r.id, ifType)
		e.RequesterManaged = true
		e.Tags = p.tags()
		e.Name = e.Tags["Name"]
		e.Unknowns = append(e.Unknowns, p.unk...)
		e.AddUnknown("PrivateIpAddress", why)
		b.setSGs(e, append([]string(nil), sgs...), sgsOK, "some groups are unknown")
		out = append(out, e)
	}
	p.unk = nil
	return out
}

// dbInstance models an RDS instance as interfaces of unknown address in
// the subnets of its DB subnet group (it lives in one of them).
func (b *builder) dbInstance(p *props) error {
	group := p.str("DBSubnetGroupName")
	subnets, ok := b.dbSubnetGroups[group]
	if !ok {
		subnets, ok = b.dbSubnetGroups[strings.ToLower(group)]
	}
	sgs, sgsOK := p.strs("VPCSecurityGroups")
	if !ok && !p.has("DBSubnetGroupName") && p.has("DBClusterIdentifier") {
		// An Aurora instance: the cluster holds the subnet group and groups.
		if c := b.resourceProps(p.str("DBClusterIdentifier")); c != nil {
			group = c.str("DBSubnetGroupName")
			subnets, ok = b.dbSubnetGroups[group]
			if !ok {
				subnets, ok = b.dbSubnetGroups[strings.ToLower(group)]
			}
			if len(sgs) == 0 {
				sgs, sgsOK = c.strs("VpcSecurityGroupIds")
			}
		}
	}
	if !ok {
		if group == "" && !p.has("DBSubnetGroupName") {
			if p.has("DBClusterIdentifier") {
				p.note("DBSubnetGroupName", "the cluster's subnets and groups are not read")
			} else {
				p.note("DBSubnetGroupName", "no DB subnet group: the instance is in the region's default VPC")
			}
		} else {
			p.note("DBSubnetGroupName", "DB subnet group "+group+" is not in the template")
		}
		subnets = []string{""}
	}
	known := subnets[:0:0]
	for _, s := range subnets {
		if s != "" {
			known = append(known, s)
		} else {
			p.note("DBSubnetGroupName", "some subnets of the group are unknown")
		}
	}
	if len(known) == 0 {
		known = []string{""}
	}
	enis := b.serviceENIs(p, known, sgs, sgsOK, model.OwnerRDS, "interface", "the DB instance is in one of its subnet group's subnets, at an address AWS picks")
	switch p.flag("PubliclyAccessible", false) {
	case model.True:
		for _, e := range enis {
			b.markAssigned(e, "PubliclyAccessible is true: AWS picks the public IP")
		}
	case model.UnknownFlag:
		for _, e := range enis {
			b.markPublic(e, netip.Addr{}, "PubliclyAccessible is unknown")
		}
	default:
		if !p.has("PubliclyAccessible") && len(enis) > 0 {
			// Not stated: public when the subnets' VPC has an internet gateway.
			// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
			b.rdsPublic = append(b.rdsPublic, rdsCheck{enis: enis, vpc: enis[0].VPCID})
		}
	}
	return nil
}

func (b *builder) lambdaFunction(p *props) error {
	vc := p.obj("VpcConfig")
	if vc == nil {
		b.n.CountNotModelled(p.r.typ)
		p.flush()
		return nil
	}
	subnets, complete := vc.strs("SubnetIds")
	if !complete {
		p.note("VpcConfig.SubnetIds", "some subnets are unknown")
		if len(subnets) == 0 {
			// In a VPC, in subnets the sources do not give: kept, with
			// its subnet unknown, never dropped.
			subnets = []string{""}
		}
	}
	if len(subnets) == 0 {
		b.n.CountNotModelled(p.r.typ)
		p.flush()
		return nil
	}
	sgs, ok := vc.strs("SecurityGroupIds")
	b.serviceENIs(p, subnets, sgs, ok, model.OwnerLambda, "lambda", "AWS picks the function's interface address")
	return nil
}

func (b *builder) ecsService(p *props) error {
	var aws *props
	if nc := p.obj("NetworkConfiguration"); nc != nil {
		aws = nc.obj("AwsvpcConfiguration")
	}
	if aws == nil {
		b.n.CountNotModelled(p.r.typ)
		p.flush()
		return nil
	}
	subnets, complete := aws.strs("Subnets")
	if !complete {
		p.note("Subnets", "some subnets are unknown")
		if len(subnets) == 0 {
			subnets = []string{""}
		}
	}
	sgs, ok := aws.strs("SecurityGroups")
	enis := b.serviceENIs(p, subnets, sgs, ok, model.OwnerECS, "interface", "tasks get addresses at run time, in unknown number")
	pub, u := aws.strU("AssignPublicIp")
	for _, e := range enis {
		switch {
		case u != nil:
			b.markPublic(e, netip.Addr{}, "AssignPublicIp is unknown")
		case strings.EqualFold(pub, "ENABLED"):
			b.markAssigned(e, "AssignPublicIp is ENABLED: AWS picks each task's public IP")
		}
	}
	lbs, _ := p.list("LoadBalancers")
	for _, l := range lbs {
		if tg, ok := b.n.TargetGroups.Get(l.str("TargetGroupArn")); ok {
			t := model.Target{ID: p.r.id}
			if n, ok, err := l.port("ContainerPort"); err != nil {
				return err
			} else if ok {
				t.Port = n
			}
			tg.Targets = append(tg.Targets, t)
		}
	}
	return nil
}

// resourceProps returns the evaluated properties of a template resource by
// ID, or nil.
func (b *builder) resourceProps(id string) *props {
	for _, s := range b.r.stacks {
		for _, r := range s.order {
			if r.id == id && r.cond != triFalse {
				v, err := s.props(r, 0)
				if err != nil {
					return nil
				}
				return &props{b: b, s: s, r: r, v: v, origin: model.Origin{File: s.file, Path: "Resources." + r.logical, Line: r.line}}
			}
		}
	}
	return nil
}

func (b *builder) efsMountTarget(p *props) error {
	sub := p.str("SubnetId")
	sgs, ok := p.strs("SecurityGroups")
	e := b.newENI(p, p.r.id+"/eni0", sub, model.OwnerEFS, p.r.id, "interface")
	e.RequesterManaged = true
	if a, found := p.addr("IpAddress"); found {
		e.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
	} else {
		e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at deploy time")
	}
	e.Unknowns = append(e.Unknowns, p.unk...)
	p.unk = nil
	b.setSGs(e, sgs, ok, "some groups are unknown")
	return nil
}

// listenerRule adds the target groups a rule forwards to its listener.
func (b *builder) listenerRule(p *props) error {
	arn := p.str("ListenerArn")
	var lb *model.LoadBalancer
	var l *model.Listener
	for _, x := range b.n.LoadBalancers.All() {
		for i := range x.Listeners {
			if x.Listeners[i].ARN == arn && arn != "" {
				lb, l = x, &x.Listeners[i]
			}
		}
	}
	if l == nil {
		p.warnf("dangling-reference", "listener rule of listener %q, which is not in the sources", arn)
		p.flush()
		return nil
	}
	p.bindAs(&lb.Meta)
	actions, _ := p.list("Actions")
	for _, a := range actions {
		if tg := a.str("TargetGroupArn"); tg != "" {
			l.TargetGroupARNs = append(l.TargetGroupARNs, tg)
		}
		if fc := a.obj("ForwardConfig"); fc != nil {
			tgs, _ := fc.list("TargetGroups")
			for _, t := range tgs {
				if tg := t.str("TargetGroupArn"); tg != "" {
					l.TargetGroupARNs = append(l.TargetGroupARNs, tg)
				}
			}
		}
	}
	b.n.LinkTargetGroups(lb, l)
	return nil
}
