package terraform

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"aws_lb":                                   {3, (*builder).loadBalancer},
		"aws_alb":                                  {3, (*builder).loadBalancer},
		"aws_lb_target_group":                      {3, (*builder).targetGroup},
		"aws_alb_target_group":                     {3, (*builder).targetGroup},
		"aws_lb_listener":                          {4, (*builder).listener},
		"aws_alb_listener":                         {4, (*builder).listener},
		"aws_lb_target_group_attachment":           {4, (*builder).targetAttachment},
		"aws_alb_target_group_attachment":          {4, (*builder).targetAttachment},
		"aws_vpc_endpoint":                         {3, (*builder).vpcEndpoint},
		"aws_vpc_endpoint_route_table_association": {4, (*builder).endpointRTAssociation},
		"aws_vpc_dhcp_options":                     {0, (*builder).dhcpOptions},
		"aws_vpc_dhcp_options_association":         {2, (*builder).dhcpAssociation},
	} {
		handlers[t] = h
	}
}

// loadBalancer reads aws_lb: internal defaults to false (internet-facing;
// a Gateway Load Balancer is never internet-facing),
// load_balancer_type to application; one interface per subnet.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb
func (b *builder) loadBalancer(in *inst) error {
	f := b.top(in)
	lb := &model.LoadBalancer{Meta: b.meta(in)}
	lb.LBType, _ = f.str("load_balancer_type")
	if lb.LBType == "" {
		lb.LBType = "application"
	}
	switch flag := f.flag("internal", false); {
	case lb.LBType == "gateway":
		// A Gateway Load Balancer takes no scheme and has no public
		// address: traffic reaches it only through its endpoints.
		// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
		// https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html
		lb.Scheme = "internal"
		lb.Defaults = append(lb.Defaults, "a Gateway Load Balancer has no scheme: reached only through its endpoints")
	case flag == model.True:
		lb.Scheme = "internal"
	case flag == model.UnknownFlag:
		lb.Scheme = "internet-facing"
		lb.AddUnknown("Scheme", "internal is known only after apply: read as internet-facing")
	default:
		lb.Scheme = "internet-facing"
	}
	lb.IPAddressType, _ = f.str("ip_address_type")
	lb.DNSName, _ = f.str("dns_name")
	subnets, why := f.refs("subnets")
	if why != "" {
		lb.AddUnknown("Subnets", why)
	}
	type mapping struct{ subnet, alloc, private string }
	var maps []mapping
	if v := f.get("subnet_mapping"); !v.null() && !v.unknown {
		var blocks = exprBlocks(f, "subnet_mapping")
		for i, e := range v.elems() {
			vals, unk := e.obj()
			mf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("subnet_mapping[%d].", i), exprs: matchBlock(blocks, vals, "private_ipv4_address")}
			s, w := mf.ref("subnet_id")
			if s == "" {
				lb.AddUnknown(mf.path+"subnet_id", orWhy(s, w))
				continue
			}
			m := mapping{subnet: s}
			m.alloc, _ = mf.ref("allocation_id")
			m.private, _ = mf.str("private_ipv4_address")
			maps = append(maps, m)
			subnets = append(subnets, s)
		}
	}
	lb.SubnetIDs = dedupe(subnets)
	sgs, swhy := f.refs("security_groups")
	lb.SecurityGroupIDs = sgs
	if swhy != "" {
		lb.AddUnknown("SecurityGroups", swhy)
	}
	if len(lb.SubnetIDs) > 0 {
		lb.VPCID = b.vpcOfSubnet(lb.SubnetIDs[0])
	}
	if lb.LBType == "application" && len(sgs) == 0 && swhy == "" {
		if v, ok := b.n.VPCs.Get(lb.VPCID); ok && v.DefaultSecurityGroupID != "" {
			lb.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
			lb.Defaults = append(lb.Defaults, "the VPC's default security group: none stated")
		} else {
			lb.AddUnknown("SecurityGroups", "none stated: the VPC's default security group, which is not in the sources")
		}
	}
	ifType := "interface"
	switch lb.LBType {
	case "network":
		ifType = "network_load_balancer"
	case "gateway":
		ifType = "gateway_load_balancer"
	}
	for i, s := range lb.SubnetIDs {
		e := b.newENI(in, fmt.Sprintf("%s/eni%d", lb.ID, i), s, model.OwnerLoadBalancer, lb.ID, ifType)
		e.LogicalID = fmt.Sprintf("%s.eni%d", in.addr, i)
		e.RequesterManaged = true
		e.SecurityGroupIDs = append([]string{}, lb.SecurityGroupIDs...)
		alloc := ""
		for _, m := range maps {
			if m.subnet == s {
				alloc = m.alloc
				if a, err := parseAddr(m.private); err == nil {
					e.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
					lb.Addresses = append(lb.Addresses, a)
				}
			}
		}
		if len(e.PrivateIPs) == 0 {
			e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
		}
		if lb.IsInternetFacing() {
			why := "the load balancer is internet-facing: AWS picks its public IPs"
			if alloc != "" {
				why = "elastic IP " + alloc + " is allocated at apply"
			}
			b.markPublic(e, why, true)
		}
		if lb.VPCID == "" {
			lb.VPCID = e.VPCID
		}
	}
	b.n.LoadBalancers.Put(lb)
	return nil
}

func exprBlocks(f *fields, key string) []map[string]*tfjsonExpr {
	if f.exprs == nil {
		return nil
	}
	if e := f.exprs[key]; e != nil && e.ExpressionData != nil {
		return e.NestedBlocks
	}
	return nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// targetGroup reads aws_lb_target_group. Its targets are known when the
// plan creates it and nothing the plan holds registers targets vpcreach
// does not read (an Auto Scaling group, an ECS service).
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group
func (b *builder) targetGroup(in *inst) error {
	f := b.top(in)
	tg := &model.TargetGroup{Meta: b.meta(in)}
	tg.Protocol, _ = f.str("protocol")
	if n, ok, _ := f.intv("port"); ok && n > 0 && n < 65536 {
		tg.Port = uint16(n)
	}
	vpc, why := f.ref("vpc_id")
	tg.VPCID = vpc
	if why != "" {
		tg.AddUnknown("VpcId", why)
	}
	tg.TargetType, _ = f.str("target_type")
	if tg.TargetType == "" {
		tg.TargetType = "instance"
	}
	tg.TargetsKnown = in.create
	for _, t := range []string{"aws_autoscaling_group", "aws_autoscaling_attachment", "aws_ecs_service", "aws_autoscaling_traffic_source_attachment"} {
		if b.r.hasType(t) {
			tg.TargetsKnown = false
			tg.AddUnknown("Targets", "the plan holds "+t+", which may register targets vpcreach does not read")
			break
		}
	}
	if !in.create {
		tg.AddUnknown("Targets", "the targets of an existing group are not in the sources")
	}
	b.n.TargetGroups.Put(tg)
	return nil
}

func (r *reader) hasType(t string) bool {
	for _, in := range r.insts {
		if in.typ == t {
			return true
		}
	}
	return false
}

func (b *builder) targetAttachment(in *inst) error {
	f := b.top(in)
	id, why := f.ref("target_group_arn")
	tg, ok := b.n.TargetGroups.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "registers a target in a group not in the sources (%s)", orWhy(id, why))
		return nil
	}
	tid, twhy := f.ref("target_id")
	if tid == "" {
		tg.TargetsKnown = false
		tg.AddUnknown(in.addr, "the target is unknown: "+orWhy(tid, twhy))
		return nil
	}
	t := model.Target{ID: tid}
	t.AvailabilityZone, _ = f.str("availability_zone")
	if n, ok, _ := f.intv("port"); ok && n > 0 && n < 65536 {
		t.Port = uint16(n)
	}
	tg.Targets = append(tg.Targets, t)
	return nil
}

// listener reads aws_lb_listener: port, protocol, the groups its default
// actions forward to.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener
func (b *builder) listener(in *inst) error {
	f := b.top(in)
	id, why := f.ref("load_balancer_arn")
	lb, ok := b.n.LoadBalancers.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "a listener of a load balancer not in the sources (%s)", orWhy(id, why))
		return nil
	}
	l := model.Listener{ARN: in.id, Origin: in.origin}
	l.Protocol, _ = f.str("protocol")
	if n, ok, _ := f.intv("port"); ok && n > 0 && n < 65536 {
		l.Port = uint16(n)
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
	blocks := exprBlocks(f, "default_action")
	for i, a := range f.get("default_action").elems() {
		vals, unk := a.obj()
		af := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("default_action[%d].", i)}
		if i < len(blocks) {
			af.exprs = blocks[i]
		}
		if tg, _ := af.ref("target_group_arn"); tg != "" {
			l.TargetGroupARNs = append(l.TargetGroupARNs, tg)
		}
		for _, fw := range af.get("forward").elems() {
			fv, fu := fw.obj()
			for _, tgv := range get(fv, fu, "target_group").elems() {
				tv, tu := tgv.obj()
				tf := &fields{b: b, in: in, vals: tv, unk: tu, path: af.path + "forward.target_group."}
				if tg, _ := tf.ref("arn"); tg != "" {
					l.TargetGroupARNs = append(l.TargetGroupARNs, tg)
				}
			}
		}
	}
	b.n.LinkTargetGroups(lb, &l)
	lb.Listeners = append(lb.Listeners, l)
	return nil
}

// vpcEndpoint reads aws_vpc_endpoint: vpc_endpoint_type defaults to
// Gateway, private_dns_enabled to false.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint
func (b *builder) vpcEndpoint(in *inst) error {
	f := b.top(in)
	e := &model.VPCEndpoint{Meta: b.meta(in), State: "available"}
	e.EndpointType, _ = f.str("vpc_endpoint_type")
	if e.EndpointType == "" {
		e.EndpointType = "Gateway"
	}
	e.ServiceName, _ = f.str("service_name")
	vpc, why := f.ref("vpc_id")
	e.VPCID = vpc
	if why != "" {
		e.AddUnknown("VpcId", why)
	}
	e.PrivateDNSEnabled = f.flag("private_dns_enabled", false)
	if e.PrivateDNSEnabled.MayBeTrue() {
		e.PrivateDNSName = privateDNSName(e.ServiceName, e.Region)
	}
	switch strings.ToLower(e.EndpointType) {
	case "gateway":
		rts, rwhy := f.refs("route_table_ids")
		if rwhy != "" {
			e.AddUnknown("RouteTableIds", rwhy)
		}
		for _, id := range rts {
			b.endpointRoute(in, e, id)
		}
	default:
		subnets, swhy := f.refs("subnet_ids")
		if swhy != "" {
			e.AddUnknown("SubnetIds", swhy)
		}
		e.SubnetIDs = subnets
		sgs, gwhy := f.refs("security_group_ids")
		for i, s := range subnets {
			n := b.newENI(in, fmt.Sprintf("%s/eni%d", e.ID, i), s, model.OwnerVPCEndpoint, e.ID, "vpc_endpoint")
			n.LogicalID = fmt.Sprintf("%s.eni%d", in.addr, i)
			n.RequesterManaged = true
			n.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
			if strings.EqualFold(e.EndpointType, "GatewayLoadBalancer") {
				n.InterfaceType, n.SourceDestCheck = "gateway_load_balancer_endpoint", false
			} else if gwhy != "" {
				n.AddUnknown("SecurityGroupIds", gwhy)
			} else if len(sgs) == 0 {
				b.defaultSGs = append(b.defaultSGs, n)
			} else {
				n.SecurityGroupIDs = append([]string{}, sgs...)
			}
			e.NetworkInterfaceIDs = append(e.NetworkInterfaceIDs, n.ID)
		}
		e.SecurityGroupIDs = sgs
	}
	b.n.VPCEndpoints.Put(e)
	return nil
}

// endpointRoute adds a gateway endpoint's route to its service's prefix
// list, whose addresses are known only in the account.
func (b *builder) endpointRoute(in *inst, e *model.VPCEndpoint, rtID string) {
	rt, ok := b.n.RouteTables.Get(rtID)
	if !ok {
		b.warnf(in, "unresolved-reference", "route table %q is not in the sources", rtID)
		return
	}
	pl := "prefix-list:" + e.ServiceName
	if _, ok := b.n.PrefixLists.Get(pl); !ok && e.ServiceName != "" {
		p := &model.PrefixList{Meta: model.Meta{ID: pl, Account: e.Account, Region: e.Region, Origin: in.origin,
			Defaults: []string{"AWS-managed prefix list of " + e.ServiceName}}, PrefixListName: e.ServiceName, AddressFamily: "IPv4", OwnerID: "AWS"}
		p.AddUnknown("Entries", "the addresses of "+e.ServiceName+" are known only in the account")
		b.n.PrefixLists.Put(p)
	}
	e.PrefixListID = pl
	e.RouteTableIDs = dedupe(append(e.RouteTableIDs, rtID))
	rt.Routes = append(rt.Routes, model.Route{DestinationPrefixListID: pl, TargetKind: model.TargetGatewayEndpoint,
		TargetID: e.ID, State: model.RouteActive, CreatedBy: "CreateRoute", Origin: in.origin})
}

func (b *builder) endpointRTAssociation(in *inst) error {
	f := b.top(in)
	id, why := f.ref("vpc_endpoint_id")
	e, ok := b.n.VPCEndpoints.Get(id)
	rt, rwhy := f.ref("route_table_id")
	if !ok || rt == "" {
		b.warnf(in, "unresolved-reference", "associates an endpoint and route table it cannot tell (%s)", orStr(why, orStr(rwhy, id)))
		return nil
	}
	b.endpointRoute(in, e, rt)
	return nil
}

// privateDNSName is the private DNS name of an AWS service endpoint:
// com.amazonaws.us-east-1.ssm -> ssm.us-east-1.amazonaws.com.
func privateDNSName(service, region string) string {
	if region == "" {
		if parts := strings.Split(service, "."); len(parts) >= 4 && parts[0] == "com" && parts[1] == "amazonaws" {
			region = parts[2]
		}
	}
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

// dhcpOptions reads aws_vpc_dhcp_options.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_dhcp_options
func (b *builder) dhcpOptions(in *inst) error {
	f := b.top(in)
	d := &model.DHCPOptions{Meta: b.meta(in)}
	d.DomainNameServers, _ = f.strs("domain_name_servers")
	d.DomainName, _ = f.str("domain_name")
	d.NTPServers, _ = f.strs("ntp_servers")
	if f.get("domain_name_servers").hasUnknown() {
		d.AddUnknown("DomainNameServers", "domain_name_servers is known only after apply")
	}
	b.n.DHCPOptions.Put(d)
	return nil
}

func (b *builder) dhcpAssociation(in *inst) error {
	f := b.top(in)
	vpc, why := f.ref("vpc_id")
	v, ok := b.n.VPCs.Get(vpc)
	if !ok {
		b.warnf(in, "unresolved-reference", "associates DHCP options with a VPC not in the sources (%s)", orWhy(vpc, why))
		return nil
	}
	id, dwhy := f.ref("dhcp_options_id")
	switch {
	case dwhy != "":
		v.DHCPOptionsID = ""
		v.AddUnknown("DhcpOptionsId", dwhy)
	case id == "default":
		v.DHCPOptionsID = model.DHCPOptionsNone
	default:
		v.DHCPOptionsID = id
	}
	return nil
}

func parseAddr(s string) (netip.Addr, error) { return netip.ParseAddr(strings.TrimSpace(s)) }
