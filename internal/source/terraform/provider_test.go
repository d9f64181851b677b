package terraform

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// res is one resource of a plan built for a test: its address, values
// after apply, the attributes known only after apply, and the
// configuration's expressions.
type res struct {
	addr    string
	after   map[string]any
	unknown []string
	exprs   map[string]any
	// unkTree adds nested after_unknown marks.
	unkTree map[string]any
	// forEach is the configuration's for_each expression.
	forEach map[string]any
}

// ref is a configuration expression referencing addresses.
func ref(r ...string) map[string]any { return map[string]any{"references": r} }

// buildPlan writes res as terraform show -json prints a plan that creates them.
func buildPlan(t *testing.T, rs ...res) string {
	t.Helper()
	var changes, planned, cfg []any
	for _, r := range rs {
		typ, rest, _ := strings.Cut(r.addr, ".")
		name, _, _ := strings.Cut(rest, "[")
		unk := map[string]any{"id": true}
		for _, u := range r.unknown {
			unk[u] = true
		}
		for k, v := range r.unkTree {
			unk[k] = v
		}
		if r.after == nil {
			r.after = map[string]any{}
		}
		var index any
		if i := strings.Index(r.addr, "["); i > 0 {
			index = parseKey(r.addr[i:])
		}
		changes = append(changes, map[string]any{"address": r.addr, "mode": "managed", "type": typ, "name": name, "index": index,
			"change": map[string]any{"actions": []string{"create"}, "before": nil, "after": r.after, "after_unknown": unk}})
		planned = append(planned, map[string]any{"address": r.addr, "mode": "managed", "type": typ, "name": name, "values": r.after})
		c := map[string]any{"address": typ + "." + name, "mode": "managed", "type": typ, "name": name, "expressions": r.exprs}
		if r.forEach != nil {
			c["for_each_expression"] = r.forEach
		}
		if !strings.Contains(r.addr, "[") || strings.HasSuffix(r.addr, "[0]") || strings.HasSuffix(r.addr, `["a"]`) {
			cfg = append(cfg, c)
		}
	}
	b, err := json.MarshalIndent(map[string]any{"format_version": "1.2", "terraform_version": "1.9.5",
		"planned_values": map[string]any{"root_module": map[string]any{"resources": planned}}, "resource_changes": changes,
		"configuration": map[string]any{"root_module": map[string]any{"resources": cfg}}}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var vpcRes = res{addr: "aws_vpc.v", after: map[string]any{"cidr_block": "10.0.0.0/16"},
	unknown: []string{"default_security_group_id", "default_network_acl_id", "main_route_table_id", "default_route_table_id"}}

func rule(from, to int, proto string, cidrs ...string) map[string]any {
	cs := []any{}
	for _, c := range cidrs {
		cs = append(cs, c)
	}
	return map[string]any{"from_port": from, "to_port": to, "protocol": proto, "cidr_blocks": cs, "ipv6_cidr_blocks": []any{},
		"prefix_list_ids": []any{}, "security_groups": []any{}, "self": false, "description": ""}
}

// TestDefaultSecurityGroupReplacesRules: "When Terraform first adopts the
// default security group, it immediately removes all ingress and egress
// rules in the Security Group. It then creates any rules specified in the
// configuration." Without the resource, a new VPC's default group has
// AWS's rules (R8.7).
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group
func TestDefaultSecurityGroupReplacesRules(t *testing.T) {
	n, err := loadString(t, buildPlan(t, vpcRes,
		res{addr: "aws_default_security_group.d", after: map[string]any{"ingress": []any{rule(22, 22, "tcp", "10.0.0.0/8")}, "egress": []any{}},
			unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}}))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := n.VPCs.Get("aws_vpc.v")
	sg, ok := n.SecurityGroups.Get(v.DefaultSecurityGroupID)
	if !ok || len(sg.Ingress) != 1 || sg.Ingress[0].Ports.From != 22 || len(sg.Egress) != 0 || sg.LogicalID != "aws_default_security_group.d" {
		t.Fatalf("default group %+v", sg)
	}
	if _, ok := n.Lookup("aws_default_security_group.d"); !ok {
		t.Error("the managing address is not a REF")
	}

	n, err = loadString(t, buildPlan(t, vpcRes))
	if err != nil {
		t.Fatal(err)
	}
	sg, _ = n.SecurityGroups.Get("aws_vpc.v" + defaultSGSuffix)
	if len(sg.Ingress) != 1 || sg.Ingress[0].Peer.ID != sg.ID || len(sg.Egress) != 1 || !sg.Egress[0].Default {
		t.Errorf("AWS's default group: %+v", sg)
	}
}

// TestDefaultNetworkACLWithoutRulesDenies: aws_default_network_acl removes
// every rule and adds those stated; none stated leaves only the final deny.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_network_acl
func TestDefaultNetworkACLWithoutRulesDenies(t *testing.T) {
	n, err := loadString(t, buildPlan(t, vpcRes,
		res{addr: "aws_default_network_acl.d", after: map[string]any{"ingress": []any{}, "egress": []any{}},
			unknown: []string{"default_network_acl_id"}, exprs: map[string]any{"default_network_acl_id": ref("aws_vpc.v.default_network_acl_id", "aws_vpc.v")}}))
	if err != nil {
		t.Fatal(err)
	}
	acl, _ := n.NetworkACLs.Get("aws_vpc.v" + defaultACLSuffix)
	for _, e := range acl.Entries {
		if e.Action != model.NACLDeny || e.RuleNumber != 32767 {
			t.Errorf("entry %+v", e)
		}
	}
	if len(acl.Entries) != 2 {
		t.Errorf("%d entries", len(acl.Entries))
	}
}

// TestDefaultRouteTable: aws_default_route_table
// replaces the main table's routes (the local route stays).
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_route_table
func TestDefaultRouteTable(t *testing.T) {
	n, err := loadString(t, buildPlan(t, vpcRes,
		res{addr: "aws_internet_gateway.g", unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		res{addr: "aws_default_route_table.d", after: map[string]any{"route": []any{map[string]any{"cidr_block": "0.0.0.0/0"}}},
			unknown: []string{"default_route_table_id"}, unkTree: map[string]any{"route": []any{map[string]any{"gateway_id": true}}},
			exprs: map[string]any{"default_route_table_id": ref("aws_vpc.v.default_route_table_id", "aws_vpc.v"),
				"route": []any{map[string]any{"cidr_block": map[string]any{"constant_value": "0.0.0.0/0"}, "gateway_id": ref("aws_internet_gateway.g.id", "aws_internet_gateway.g")}}}}))
	if err != nil {
		t.Fatal(err)
	}
	rt := n.MainRouteTable("aws_vpc.v")
	if rt == nil || len(rt.Routes) != 2 || rt.Routes[0].TargetKind != model.TargetLocal ||
		rt.Routes[1].TargetKind != model.TargetInternetGateway || rt.Routes[1].TargetID != "aws_internet_gateway.g" {
		t.Fatalf("main table %+v", rt)
	}
}

// TestInstanceNetworkInterfaceAndEIPAssociation: an instance whose
// primary interface is an aws_network_interface (network_interface block,
// device_index 0), given an elastic IP by aws_eip_association.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eip_association
func TestInstanceNetworkInterfaceAndEIPAssociation(t *testing.T) {
	n, err := loadString(t, buildPlan(t, vpcRes,
		res{addr: "aws_subnet.s", after: map[string]any{"cidr_block": "10.0.1.0/24"}, unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		res{addr: "aws_network_interface.e", after: map[string]any{"private_ips": []any{"10.0.1.5"}}, unknown: []string{"subnet_id", "security_groups"},
			exprs: map[string]any{"subnet_id": ref("aws_subnet.s.id", "aws_subnet.s")}},
		res{addr: "aws_instance.i", after: map[string]any{"network_interface": []any{map[string]any{"device_index": 0}}},
			unknown: []string{"public_ip", "private_ip", "subnet_id"}, unkTree: map[string]any{"network_interface": []any{map[string]any{"network_interface_id": true}}},
			exprs: map[string]any{"network_interface": []any{map[string]any{"device_index": map[string]any{"constant_value": 0}, "network_interface_id": ref("aws_network_interface.e.id", "aws_network_interface.e")}}}},
		res{addr: "aws_eip.ip", after: map[string]any{"domain": "vpc"}, unknown: []string{"public_ip", "allocation_id"}},
		res{addr: "aws_eip_association.a", unknown: []string{"allocation_id", "instance_id"},
			exprs: map[string]any{"allocation_id": ref("aws_eip.ip.id", "aws_eip.ip"), "instance_id": ref("aws_instance.i.id", "aws_instance.i")}}))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := n.NetworkInterfaces.Get("aws_network_interface.e")
	if e.OwnerID != "aws_instance.i" || e.SubnetID != "aws_subnet.s" {
		t.Errorf("interface %+v", e)
	}
	if len(e.SecurityGroupIDs) != 1 || e.SecurityGroupIDs[0] != "aws_vpc.v"+defaultSGSuffix {
		t.Errorf("no security_groups: want the VPC's default group, got %v", e.SecurityGroupIDs)
	}
	if len(e.PrivateIPs) != 1 || !e.PrivateIPs[0].PublicAssigned || e.PrivateIPs[0].ElasticIP != "aws_eip.ip" {
		t.Errorf("elastic IP not on the interface: %+v", e.PrivateIPs)
	}
	i, _ := n.Instances.Get("aws_instance.i")
	if len(i.NetworkInterfaceIDs) != 1 || i.NetworkInterfaceIDs[0] != e.ID {
		t.Errorf("instance interfaces %v", i.NetworkInterfaceIDs)
	}
}

// TestCountIndexAcrossDifferentCounts: count.index into a resource with
// another number of instances does not say which: unknown, not a guess.
func TestCountIndexAcrossDifferentCounts(t *testing.T) {
	sub := func(i int) res {
		return res{addr: "aws_subnet.s[" + string(rune('0'+i)) + "]", after: map[string]any{"cidr_block": "10.0." + string(rune('1'+i)) + ".0/24"},
			unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}}
	}
	n, err := loadString(t, buildPlan(t, vpcRes, sub(0), sub(1),
		res{addr: "aws_instance.i[0]", after: map[string]any{}, unknown: []string{"subnet_id"},
			exprs: map[string]any{"subnet_id": ref("aws_subnet.s", "count.index", "var.n")}}))
	if err != nil {
		t.Fatal(err)
	}
	i, _ := n.Instances.Get("aws_instance.i[0]")
	if i.SubnetID != "" || !i.HasUnknown("SubnetId") {
		t.Errorf("subnet %q unknowns %v", i.SubnetID, i.Unknowns)
	}
}

// TestTransitGatewayDefaults: a VPC attachment joins the gateway's default
// route table for association and propagation unless it says otherwise,
// and propagation gives the table a route to the VPC's CIDR.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_transit_gateway_vpc_attachment
func TestTransitGatewayDefaults(t *testing.T) {
	n, err := loadString(t, transitPlan(t))
	if err != nil {
		t.Fatal(err)
	}
	g, _ := n.TransitGateways.Get("aws_ec2_transit_gateway.t")
	rt, ok := n.TGWRouteTables.Get(g.AssociationDefaultRouteTableID)
	if !ok {
		t.Fatal("no default route table")
	}
	a, _ := n.TGWAttachments.Get("aws_ec2_transit_gateway_vpc_attachment.a")
	if a.AssociatedRouteTableID != rt.ID || a.ResourceID != "aws_vpc.a" || len(a.SubnetIDs) != 1 {
		t.Errorf("attachment %+v", a)
	}
	b, _ := n.TGWAttachments.Get("aws_ec2_transit_gateway_vpc_attachment.b")
	if b.AssociatedRouteTableID != "" {
		t.Errorf("association false: associated with %s", b.AssociatedRouteTableID)
	}
	var dests []string
	for _, r := range rt.Routes {
		dests = append(dests, r.Destination.String()+">"+r.AttachmentIDs[0])
	}
	if got := strings.Join(dests, " "); got != "10.1.0.0/16>aws_ec2_transit_gateway_vpc_attachment.a 10.2.0.0/16>aws_ec2_transit_gateway_vpc_attachment.b" {
		t.Errorf("propagated %q", got)
	}
}

func transitPlan(t *testing.T) string {
	vpc := func(name, cidr string) res {
		return res{addr: "aws_vpc." + name, after: map[string]any{"cidr_block": cidr}, unknown: []string{"default_security_group_id", "default_network_acl_id", "main_route_table_id"}}
	}
	sub := func(name, cidr string) res {
		return res{addr: "aws_subnet." + name, after: map[string]any{"cidr_block": cidr}, unknown: []string{"vpc_id"},
			exprs: map[string]any{"vpc_id": ref("aws_vpc."+name+".id", "aws_vpc."+name)}}
	}
	att := func(name string, assoc bool) res {
		return res{addr: "aws_ec2_transit_gateway_vpc_attachment." + name, after: map[string]any{"transit_gateway_default_route_table_association": assoc},
			unknown: []string{"transit_gateway_id", "vpc_id", "subnet_ids"},
			exprs: map[string]any{"transit_gateway_id": ref("aws_ec2_transit_gateway.t.id", "aws_ec2_transit_gateway.t"),
				"vpc_id": ref("aws_vpc."+name+".id", "aws_vpc."+name), "subnet_ids": ref("aws_subnet."+name+".id", "aws_subnet."+name)}}
	}
	return buildPlan(t, vpc("a", "10.1.0.0/16"), vpc("b", "10.2.0.0/16"), sub("a", "10.1.1.0/24"), sub("b", "10.2.1.0/24"),
		res{addr: "aws_ec2_transit_gateway.t", unknown: []string{"association_default_route_table_id", "propagation_default_route_table_id"}},
		att("a", true), att("b", false))
}

// TestEachValueOfAResourceMap: for_each = aws_subnet.s, subnet_id =
// each.value.id is the instance of the same key.
func TestEachValueOfAResourceMap(t *testing.T) {
	sub := func(k string) res {
		return res{addr: `aws_subnet.s["` + k + `"]`, after: map[string]any{"cidr_block": map[string]string{"a": "10.0.1.0/24", "b": "10.0.2.0/24"}[k]},
			unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}}
	}
	assoc := func(k string) res {
		return res{addr: `aws_route_table_association.a["` + k + `"]`, unknown: []string{"subnet_id", "route_table_id"},
			exprs:   map[string]any{"subnet_id": ref("each.value.id", "each.value"), "route_table_id": ref("aws_route_table.r.id", "aws_route_table.r")},
			forEach: ref("aws_subnet.s")}
	}
	n, err := loadString(t, buildPlan(t, vpcRes, sub("a"), sub("b"),
		res{addr: "aws_route_table.r", unknown: []string{"vpc_id", "route"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		assoc("a"), assoc("b")))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b"} {
		rt, explicit := n.RouteTableFor(`aws_subnet.s["` + k + `"]`)
		if rt == nil || !explicit || rt.ID != "aws_route_table.r" {
			t.Errorf("%s: %v %v", k, rt, explicit)
		}
	}
}

func resolverPlan(t *testing.T) string {
	return buildPlan(t, vpcRes,
		res{addr: "aws_subnet.s", after: map[string]any{"cidr_block": "10.0.1.0/24"}, unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		res{addr: "aws_security_group.dns", after: map[string]any{"name": "dns", "egress": []any{rule(53, 53, "udp", "192.0.2.0/24")}}, unknown: []string{"vpc_id", "ingress"},
			exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		res{addr: "aws_route53_resolver_endpoint.out", after: map[string]any{"direction": "OUTBOUND", "ip_address": []any{map[string]any{}}},
			unknown: []string{"security_group_ids", "host_vpc_id"}, unkTree: map[string]any{"ip_address": []any{map[string]any{"subnet_id": true, "ip": true}}},
			exprs: map[string]any{"security_group_ids": ref("aws_security_group.dns.id", "aws_security_group.dns"),
				"ip_address": []any{map[string]any{"subnet_id": ref("aws_subnet.s.id", "aws_subnet.s")}}}},
		res{addr: "aws_route53_resolver_rule.onprem", after: map[string]any{"domain_name": "onprem.example", "rule_type": "FORWARD",
			"target_ip": []any{map[string]any{"ip": "192.0.2.10", "port": 53}}}, unknown: []string{"resolver_endpoint_id"},
			exprs: map[string]any{"resolver_endpoint_id": ref("aws_route53_resolver_endpoint.out.id", "aws_route53_resolver_endpoint.out")}},
		res{addr: "aws_route53_resolver_rule_association.a", unknown: []string{"resolver_rule_id", "vpc_id"},
			exprs: map[string]any{"resolver_rule_id": ref("aws_route53_resolver_rule.onprem.id", "aws_route53_resolver_rule.onprem"), "vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}})
}

// TestResolverForwardRule: an outbound endpoint, a forward rule and its
// association, linked by references.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_rule
func TestResolverForwardRule(t *testing.T) {
	n, err := loadString(t, resolverPlan(t))
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := n.ResolverEndpoints.Get("aws_route53_resolver_endpoint.out")
	if ep.VPCID != "aws_vpc.v" || len(ep.IPAddresses) != 1 || ep.IPAddresses[0].SubnetID != "aws_subnet.s" || ep.SecurityGroupIDs[0] != "aws_security_group.dns" {
		t.Errorf("endpoint %+v", ep)
	}
	r, _ := n.ResolverRules.Get("aws_route53_resolver_rule.onprem")
	if r.DomainName != "onprem.example." || r.ResolverEndpointID != ep.ID || len(r.TargetIPs) != 1 {
		t.Errorf("rule %+v", r)
	}
	a, _ := n.ResolverRuleAssocs.Get("aws_route53_resolver_rule_association.a")
	if a.ResolverRuleID != r.ID || a.VPCID != "aws_vpc.v" {
		t.Errorf("association %+v", a)
	}
	if os.Getenv("VPCREACH_WRITE_RESOLVER_PLAN") != "" {
		os.WriteFile(os.Getenv("VPCREACH_WRITE_RESOLVER_PLAN"), []byte(resolverPlan(t)), 0o644)
	}
}

// TestDefaultVPCExists: aws_default_vpc adopts a VPC that exists: its
// default group's rules are not in the sources, and its default subnets
// map public IPs on launch.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_vpc
func TestDefaultVPCExists(t *testing.T) {
	n, err := loadString(t, buildPlan(t,
		res{addr: "aws_default_vpc.d", unknown: []string{"cidr_block", "default_security_group_id", "default_network_acl_id", "main_route_table_id"}},
		res{addr: "aws_default_subnet.a", after: map[string]any{"availability_zone": "eu-west-1a"}, unknown: []string{"cidr_block", "vpc_id"}}))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := n.VPCs.Get("aws_default_vpc.d")
	if !v.IsDefault || v.EnableDNSHostnames != model.True || !v.HasUnknown("CidrBlock") {
		t.Errorf("vpc %+v", v)
	}
	sg, _ := n.SecurityGroups.Get(v.DefaultSecurityGroupID)
	if len(sg.Ingress) != 1 || sg.Ingress[0].Peer.Kind != model.PeerUnknown {
		t.Errorf("default group %+v", sg.Ingress)
	}
	s, _ := n.Subnets.Get("aws_default_subnet.a")
	if s.MapPublicIPOnLaunch != model.True {
		t.Errorf("default subnet maps %v", s.MapPublicIPOnLaunch)
	}
}
