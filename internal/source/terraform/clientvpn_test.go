package terraform

import (
	"testing"
)

// clientVPNPlan is a VPC with an app subnet and a Client VPN endpoint
// associated with it, split tunnel, with one authorization rule.
func clientVPNPlan(t *testing.T, sgs bool) string {
	endpoint := res{addr: "aws_ec2_client_vpn_endpoint.vpn", after: map[string]any{"client_cidr_block": "172.16.0.0/22", "split_tunnel": true,
		"dns_servers": []any{"10.0.0.2"}}, unknown: []string{"vpc_id", "dns_name"},
		exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}}
	if sgs {
		endpoint.unknown = append(endpoint.unknown, "security_group_ids")
		endpoint.exprs["security_group_ids"] = ref("aws_security_group.vpn.id", "aws_security_group.vpn")
	}
	return buildPlan(t, vpcRes,
		res{addr: "aws_subnet.app", after: map[string]any{"cidr_block": "10.0.1.0/24"}, unknown: []string{"vpc_id"}, exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		res{addr: "aws_security_group.vpn", after: map[string]any{"name": "vpn", "egress": []any{rule(0, 0, "-1", "0.0.0.0/0")}}, unknown: []string{"vpc_id", "ingress"},
			exprs: map[string]any{"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v")}},
		endpoint,
		res{addr: "aws_ec2_client_vpn_network_association.app", unknown: []string{"client_vpn_endpoint_id", "subnet_id"},
			exprs: map[string]any{"client_vpn_endpoint_id": ref("aws_ec2_client_vpn_endpoint.vpn.id", "aws_ec2_client_vpn_endpoint.vpn"),
				"subnet_id": ref("aws_subnet.app.id", "aws_subnet.app")}},
		res{addr: "aws_ec2_client_vpn_authorization_rule.all", after: map[string]any{"target_network_cidr": "10.0.0.0/16", "authorize_all_groups": true},
			unknown: []string{"client_vpn_endpoint_id"},
			exprs:   map[string]any{"client_vpn_endpoint_id": ref("aws_ec2_client_vpn_endpoint.vpn.id", "aws_ec2_client_vpn_endpoint.vpn")}},
		res{addr: "aws_ec2_client_vpn_route.onprem", after: map[string]any{"destination_cidr_block": "192.168.0.0/16"},
			unknown: []string{"client_vpn_endpoint_id", "target_vpc_subnet_id"},
			exprs: map[string]any{"client_vpn_endpoint_id": ref("aws_ec2_client_vpn_endpoint.vpn.id", "aws_ec2_client_vpn_endpoint.vpn"),
				"target_vpc_subnet_id": ref("aws_subnet.app.id", "aws_subnet.app")}},
	)
}

// TestClientVPNEndpoint: the endpoint, its target network (with the route
// AWS adds for the VPC's CIDR and a source-NAT interface carrying its
// groups), its route and authorization rule, linked by references; with no
// security_group_ids the VPC's default group applies.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_endpoint
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_network_association
func TestClientVPNEndpoint(t *testing.T) {
	for _, withGroups := range []bool{true, false} {
		n, err := loadString(t, clientVPNPlan(t, withGroups))
		if err != nil {
			t.Fatal(err)
		}
		c, ok := n.ClientVPNEndpoints.Get("aws_ec2_client_vpn_endpoint.vpn")
		if !ok {
			t.Fatal("no endpoint")
		}
		if c.ClientCIDR.String() != "172.16.0.0/22" || !c.SplitTunnel || c.TransportProtocol != "udp" || c.VPNPort != 443 || c.VPCID != "aws_vpc.v" {
			t.Errorf("endpoint %+v", c)
		}
		if len(c.TargetNetworks) != 1 || c.TargetNetworks[0].SubnetID != "aws_subnet.app" {
			t.Errorf("target networks %+v", c.TargetNetworks)
		}
		var routes []string
		for _, r := range c.Routes {
			routes = append(routes, r.Destination.String()+"->"+r.TargetSubnet)
		}
		if len(routes) != 2 || routes[0] != "10.0.0.0/16->aws_subnet.app" || routes[1] != "192.168.0.0/16->aws_subnet.app" {
			t.Errorf("routes %v", routes)
		}
		if len(c.AuthorizationRules) != 1 || !c.AuthorizationRules[0].AccessAll || c.AuthorizationRules[0].Destination.String() != "10.0.0.0/16" {
			t.Errorf("authorization %+v", c.AuthorizationRules)
		}
		want := "aws_security_group.vpn"
		if !withGroups {
			v, _ := n.VPCs.Get("aws_vpc.v")
			want = v.DefaultSecurityGroupID
		}
		if len(c.SecurityGroupIDs) != 1 || c.SecurityGroupIDs[0] != want {
			t.Errorf("groups %v, want %s", c.SecurityGroupIDs, want)
		}
		found := false
		for _, e := range n.NetworkInterfaces.All() {
			if e.OwnerID == c.ID && e.SubnetID == "aws_subnet.app" {
				found = len(e.SecurityGroupIDs) == 1 && e.SecurityGroupIDs[0] == want
			}
		}
		if !found {
			t.Errorf("no source-NAT interface with the endpoint's groups in the target subnet")
		}
	}
}
