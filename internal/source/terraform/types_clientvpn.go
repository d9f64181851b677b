package terraform

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"aws_ec2_client_vpn_endpoint":            {1, (*builder).clientVPNEndpoint},
		"aws_ec2_client_vpn_network_association": {3, (*builder).clientVPNAssociation},
		"aws_ec2_client_vpn_route":               {4, (*builder).clientVPNRoute},
		"aws_ec2_client_vpn_authorization_rule":  {4, (*builder).clientVPNAuthorization},
	} {
		handlers[t] = h
	}
}

// clientVPNEndpoint reads aws_ec2_client_vpn_endpoint: split_tunnel
// defaults to false, transport_protocol to udp, vpn_port to 443; with no
// security_group_ids the VPC's default group applies (R6.8).
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_endpoint
func (b *builder) clientVPNEndpoint(in *inst) error {
	f := b.top(in)
	c := &model.ClientVPNEndpoint{Meta: b.meta(in), Status: "available", TransportProtocol: "udp", VPNPort: 443}
	cidr, why, err := f.prefix("client_cidr_block")
	if err != nil {
		return err
	}
	if why != "" {
		c.AddUnknown("ClientCidrBlock", why)
	}
	c.ClientCIDR = cidr
	servers, complete := f.strs("dns_servers")
	if !complete {
		c.AddUnknown("DnsServers", "dns_servers is known only after apply")
	}
	for _, s := range servers {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return b.r.errf(in, "bad-value", "dns_servers: %q is not an IP address", s)
		}
		c.DNSServers = append(c.DNSServers, a)
	}
	switch f.flag("split_tunnel", false) {
	case model.True:
		c.SplitTunnel = true
	case model.UnknownFlag:
		c.AddUnknown("SplitTunnel", "split_tunnel is known only after apply")
	}
	if p, ok := f.str("transport_protocol"); ok && p != "" {
		c.TransportProtocol = strings.ToLower(p)
	}
	if n, ok, _ := f.intv("vpn_port"); ok {
		if n < 0 || n > 65535 {
			return b.r.errf(in, "bad-value", "vpn_port %d is outside 0-65535", n)
		}
		c.VPNPort = uint16(n)
	}
	c.VPCID, _ = f.ref("vpc_id")
	sgs, swhy := f.refs("security_group_ids")
	c.SecurityGroupIDs = sgs
	if swhy != "" {
		c.AddUnknown("SecurityGroupIds", swhy)
	}
	c.DNSName, _ = f.str("dns_name")
	b.n.ClientVPNEndpoints.Put(c)
	b.clientVPNs = append(b.clientVPNs, c)
	return nil
}

// clientVPNOf finds the endpoint an association, route or rule names.
func (b *builder) clientVPNOf(in *inst, f *fields) *model.ClientVPNEndpoint {
	id, why := f.ref("client_vpn_endpoint_id")
	if c, ok := b.n.ClientVPNEndpoints.Get(id); ok {
		return c
	}
	if why == "" {
		why = "Client VPN endpoint " + id + " is not in the sources"
	}
	b.n.Warnf("dangling-reference", in.origin, in.addr, "%s: %s", in.typ, why)
	return nil
}

// clientVPNAssociation adds a target network. AWS adds the route to the
// VPC's CIDR with it (R6.5) and source-NATs clients from an interface in
// the subnet (R6.7), which carries the endpoint's groups.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_network_association
func (b *builder) clientVPNAssociation(in *inst) error {
	f := b.top(in)
	c := b.clientVPNOf(in, f)
	if c == nil {
		return nil
	}
	sub, why := f.ref("subnet_id")
	if sub == "" {
		c.AddUnknown("TargetNetworks", orWhy(sub, why))
		return nil
	}
	vpc := b.vpcOfSubnet(sub)
	if c.VPCID == "" {
		c.VPCID = vpc
	}
	c.TargetNetworks = append(c.TargetNetworks, model.ClientVPNTargetNetwork{AssociationID: in.id, SubnetID: sub, VPCID: vpc,
		Status: "associated", Origin: in.origin})
	if v, ok := b.n.VPCs.Get(vpc); ok && len(v.CIDRs) > 0 {
		for _, cidr := range v.CIDRs {
			c.Routes = append(c.Routes, model.ClientVPNRoute{Destination: cidr, TargetSubnet: sub, Type: "Nat", Status: "active", Origin: in.origin})
		}
	} else {
		c.AddUnknown("Routes", "the route AWS adds for the VPC of "+sub+" has an unknown CIDR")
	}
	e := b.newENI(in, fmt.Sprintf("%s/eni0", in.id), sub, model.OwnerClientVPN, c.ID, "interface")
	e.RequesterManaged = true
	e.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
	b.clientVPNENIs = append(b.clientVPNENIs, e)
	return nil
}

// clientVPNRoute reads aws_ec2_client_vpn_route.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_route
func (b *builder) clientVPNRoute(in *inst) error {
	f := b.top(in)
	c := b.clientVPNOf(in, f)
	if c == nil {
		return nil
	}
	d, why, err := f.prefix("destination_cidr_block")
	if err != nil {
		return err
	}
	if why != "" || !d.IsValid() {
		c.AddUnknown("Routes", "a route's destination is unknown: "+orWhy("", why))
		return nil
	}
	sub, _ := f.ref("target_vpc_subnet_id")
	c.Routes = append(c.Routes, model.ClientVPNRoute{Destination: d, TargetSubnet: sub, Type: "Nat", Status: "active", Origin: in.origin})
	return nil
}

// clientVPNAuthorization reads aws_ec2_client_vpn_authorization_rule:
// authorize_all_groups, or one access_group_id.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_authorization_rule
func (b *builder) clientVPNAuthorization(in *inst) error {
	f := b.top(in)
	c := b.clientVPNOf(in, f)
	if c == nil {
		return nil
	}
	d, why, err := f.prefix("target_network_cidr")
	if err != nil {
		return err
	}
	if why != "" || !d.IsValid() {
		c.AddUnknown("AuthorizationRules", "a rule's network is unknown: "+orWhy("", why))
		return nil
	}
	r := model.ClientVPNAuthorizationRule{Destination: d, Status: "active", Origin: in.origin}
	switch f.flag("authorize_all_groups", false) {
	case model.True:
		r.AccessAll = true
	case model.UnknownFlag:
		c.AddUnknown("AuthorizationRules", "authorize_all_groups is known only after apply")
	}
	r.GroupID, _ = f.str("access_group_id")
	c.AuthorizationRules = append(c.AuthorizationRules, r)
	return nil
}

// clientVPNFinish gives endpoints without groups their VPC's default group
// (R6.8) and the association interfaces their endpoint's groups.
func (b *builder) clientVPNFinish() {
	for _, c := range b.clientVPNs {
		if len(c.SecurityGroupIDs) > 0 || c.HasUnknown("SecurityGroupIds") || c.VPCID == "" {
			continue
		}
		if v, ok := b.n.VPCs.Get(c.VPCID); ok && v.DefaultSecurityGroupID != "" {
			c.SecurityGroupIDs = []string{v.DefaultSecurityGroupID}
			c.Defaults = append(c.Defaults, "the VPC's default security group: none stated")
		} else {
			c.AddUnknown("SecurityGroupIds", "none stated: the VPC's default security group, which is not in the sources")
		}
	}
	for _, e := range b.clientVPNENIs {
		if c, ok := b.n.ClientVPNEndpoints.Get(e.OwnerID); ok {
			e.SecurityGroupIDs = append([]string{}, c.SecurityGroupIDs...)
			if c.HasUnknown("SecurityGroupIds") {
				e.AddUnknown("SecurityGroupIds", "the groups of "+c.ID+" are unknown")
			}
		}
	}
}
