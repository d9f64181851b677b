package terraform

import (
	"encoding/json"
	"fmt"
)

// GeneratePlan returns a synthetic plan, as terraform show -json prints
// it, of about resources resource instances: one VPC with an internet
// gateway and a public route table, then subnets, route table
// associations, security groups, ingress rules and instances, each with
// count, linked only by the configuration's references (every ID is
// known only after apply). For benchmarks; the same size gives the same
// bytes.
func GeneratePlan(resources int) ([]byte, error) {
	units := max(1, (resources-3)/5)
	var changes, planned []map[string]any
	add := func(typ, name string, index any, after, unknown map[string]any) {
		addr := typ + "." + name
		if index != nil {
			addr += indexString(index)
		}
		rc := map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name,
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change":        map[string]any{"actions": []string{"create"}, "before": nil, "after": after, "after_unknown": unknown}}
		sv := map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name, "schema_version": 0, "values": after, "sensitive_values": map[string]any{}}
		if index != nil {
			rc["index"], sv["index"] = index, index
		}
		changes = append(changes, rc)
		planned = append(planned, sv)
	}
	t := true
	add("aws_vpc", "main", nil, map[string]any{"cidr_block": "10.0.0.0/8", "tags": map[string]any{"Name": "main"}},
		map[string]any{"id": t, "default_security_group_id": t, "default_network_acl_id": t, "main_route_table_id": t})
	add("aws_internet_gateway", "gw", nil, map[string]any{}, map[string]any{"id": t, "vpc_id": t})
	add("aws_route_table", "public", nil, map[string]any{"route": []any{map[string]any{"cidr_block": "0.0.0.0/0"}}},
		map[string]any{"id": t, "vpc_id": t, "route": []any{map[string]any{"gateway_id": t}}})
	for i := 0; i < units; i++ {
		ix := float64(i)
		cidr := fmt.Sprintf("10.%d.%d.0/24", (i/256)%256, i%256)
		add("aws_subnet", "s", ix, map[string]any{"cidr_block": cidr, "map_public_ip_on_launch": i%2 == 0, "tags": map[string]any{"Name": fmt.Sprintf("s-%d", i)}},
			map[string]any{"id": t, "vpc_id": t})
		add("aws_route_table_association", "a", ix, map[string]any{}, map[string]any{"id": t, "subnet_id": t, "route_table_id": t})
		add("aws_security_group", "g", ix, map[string]any{"name": fmt.Sprintf("g-%d", i), "egress": []any{map[string]any{
			"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": []any{"0.0.0.0/0"}, "ipv6_cidr_blocks": []any{}, "prefix_list_ids": []any{}, "security_groups": []any{}, "self": false}}},
			map[string]any{"id": t, "vpc_id": t, "ingress": t})
		add("aws_vpc_security_group_ingress_rule", "r", ix, map[string]any{"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"},
			map[string]any{"id": t, "security_group_id": t})
		add("aws_instance", "i", ix, map[string]any{"instance_type": "t3.micro"},
			map[string]any{"id": t, "subnet_id": t, "vpc_security_group_ids": t, "private_ip": t, "public_ip": t, "associate_public_ip_address": t, "primary_network_interface_id": t})
	}
	ref := func(r ...string) map[string]any { return map[string]any{"references": r} }
	res := func(typ, name string, count bool, ex map[string]any) map[string]any {
		m := map[string]any{"address": typ + "." + name, "mode": "managed", "type": typ, "name": name, "provider_config_key": "aws", "expressions": ex, "schema_version": 0}
		if count {
			m["count_expression"] = map[string]any{"constant_value": units}
		}
		return m
	}
	cfg := map[string]any{"root_module": map[string]any{"resources": []any{
		res("aws_vpc", "main", false, map[string]any{"cidr_block": map[string]any{"constant_value": "10.0.0.0/8"}}),
		res("aws_internet_gateway", "gw", false, map[string]any{"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main")}),
		res("aws_route_table", "public", false, map[string]any{"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main"),
			"route": []any{map[string]any{"cidr_block": map[string]any{"constant_value": "0.0.0.0/0"}, "gateway_id": ref("aws_internet_gateway.gw.id", "aws_internet_gateway.gw")}}}),
		res("aws_subnet", "s", true, map[string]any{"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main")}),
		res("aws_route_table_association", "a", true, map[string]any{"subnet_id": ref("aws_subnet.s", "count.index"), "route_table_id": ref("aws_route_table.public.id", "aws_route_table.public")}),
		res("aws_security_group", "g", true, map[string]any{"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main")}),
		res("aws_vpc_security_group_ingress_rule", "r", true, map[string]any{"security_group_id": ref("aws_security_group.g", "count.index")}),
		res("aws_instance", "i", true, map[string]any{"subnet_id": ref("aws_subnet.s", "count.index"), "vpc_security_group_ids": ref("aws_security_group.g", "count.index")}),
	}}}
	plan := map[string]any{"format_version": "1.2", "terraform_version": "1.9.5",
		"planned_values": map[string]any{"root_module": map[string]any{"resources": planned}}, "resource_changes": changes, "configuration": cfg}
	return json.MarshalIndent(plan, "", " ")
}
