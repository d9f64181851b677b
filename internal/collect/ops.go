package collect

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	nfw "github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	rslvrtypes "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"
	"github.com/aws/smithy-go"
)

// Call is one AWS API operation collect may invoke, named by its IAM
// service prefix and operation name.
type Call struct {
	Service string // IAM service prefix: ec2, elasticloadbalancing, route53, ...
	Name    string // API operation name: DescribeVpcs, ...
}

// Action is the IAM action that allows the call ("ec2:DescribeVpcs").
func (c Call) Action() string { return c.Service + ":" + c.Name }

func ec2Call(name string) Call      { return Call{"ec2", name} }
func elbCall(name string) Call      { return Call{"elasticloadbalancing", name} }
func r53Call(name string) Call      { return Call{"route53", name} }
func resolverCall(name string) Call { return Call{"route53resolver", name} }
func dxCall(name string) Call       { return Call{"directconnect", name} }

// clients are the SDK clients of one account in one region.
type clients struct {
	Region   string
	EC2      *ec2.Client
	ELBv2    *elbv2.Client
	ELB      *elb.Client
	Route53  *route53.Client
	Resolver *route53resolver.Client
	DX       *directconnect.Client
	NFW      *nfw.Client
}

// emitFunc hands over one output file: its value, or why it could not be
// collected.
type emitFunc func(file string, v any, err error)

// step is one unit of collection: a list call, and the per-resource calls
// that depend on it, producing one or more files.
type step struct {
	Name string
	// Global steps read account-wide data (Route 53, Direct Connect
	// gateways): collected once per account, written to the account folder.
	Global bool
	Calls  []Call
	Run    func(ctx context.Context, c *clients, emit emitFunc)
}

// regionCall is how --all-regions lists the account's enabled regions.
var regionCall = ec2Call("DescribeRegions")

// identityCalls are the STS calls made to learn and assume identities.
// GetCallerIdentity needs no permission; AssumeRole is what --role-arn
// means. Neither reads or changes resources.
var identityCalls = []Call{{"sts", "GetCallerIdentity"}, {"sts", "AssumeRole"}}

// list is a step for one paginated call written as the CLI prints it:
// {"Key": [items...]}.
func list[T any](file, key string, c Call, run func(ctx context.Context, c *clients) ([]T, error)) step {
	return step{Name: file, Calls: []Call{c}, Run: func(ctx context.Context, cl *clients, emit emitFunc) {
		items, err := run(ctx, cl)
		if err != nil {
			emit(file, nil, err)
			return
		}
		emit(file, object{{key, items}}, nil)
	}}
}

// perSubject calls one per-resource call for each id and keeps the merged
// objects; a subject deleted meanwhile is left out.
func perSubject(ctx context.Context, ids []string, one func(ctx context.Context, id string) (object, error)) ([]object, error) {
	out := []object{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o, err := one(ctx, id)
		if err != nil {
			if gone(err) {
				continue
			}
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// steps is every call collect makes. The set of operations the binary can
// call is exactly the Calls of these steps plus regionCall and
// identityCalls; the read-only guard refuses any other.
var steps = []step{
	{Name: "DescribeVpcs", Calls: []Call{ec2Call("DescribeVpcs"), ec2Call("DescribeVpcAttribute")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := ec2.NewDescribeVpcsPaginator(c.EC2, &ec2.DescribeVpcsInput{})
		vpcs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcsOutput) []ec2types.Vpc { return o.Vpcs })
		if err != nil {
			emit("DescribeVpcs", nil, err)
			emit("DescribeVpcAttribute", nil, err)
			return
		}
		emit("DescribeVpcs", object{{"Vpcs", vpcs}}, nil)
		ids := idsOf(vpcs, func(v ec2types.Vpc) *string { return v.VpcId })
		attrs, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
			sup, err := c.EC2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: ec2types.VpcAttributeNameEnableDnsSupport})
			if err != nil {
				return nil, err
			}
			host, err := c.EC2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: ec2types.VpcAttributeNameEnableDnsHostnames})
			if err != nil {
				return nil, err
			}
			return object{{"VpcId", id}, {"EnableDnsSupport", sup.EnableDnsSupport}, {"EnableDnsHostnames", host.EnableDnsHostnames}}, nil
		})
		emit("DescribeVpcAttribute", attrs, err)
	}},
	list("DescribeSubnets", "Subnets", ec2Call("DescribeSubnets"), func(ctx context.Context, c *clients) ([]ec2types.Subnet, error) {
		p := ec2.NewDescribeSubnetsPaginator(c.EC2, &ec2.DescribeSubnetsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeSubnetsOutput) []ec2types.Subnet { return o.Subnets })
	}),
	list("DescribeRouteTables", "RouteTables", ec2Call("DescribeRouteTables"), func(ctx context.Context, c *clients) ([]ec2types.RouteTable, error) {
		p := ec2.NewDescribeRouteTablesPaginator(c.EC2, &ec2.DescribeRouteTablesInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeRouteTablesOutput) []ec2types.RouteTable { return o.RouteTables })
	}),
	list("DescribeSecurityGroups", "SecurityGroups", ec2Call("DescribeSecurityGroups"), func(ctx context.Context, c *clients) ([]ec2types.SecurityGroup, error) {
		p := ec2.NewDescribeSecurityGroupsPaginator(c.EC2, &ec2.DescribeSecurityGroupsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeSecurityGroupsOutput) []ec2types.SecurityGroup { return o.SecurityGroups })
	}),
	list("DescribeNetworkAcls", "NetworkAcls", ec2Call("DescribeNetworkAcls"), func(ctx context.Context, c *clients) ([]ec2types.NetworkAcl, error) {
		p := ec2.NewDescribeNetworkAclsPaginator(c.EC2, &ec2.DescribeNetworkAclsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeNetworkAclsOutput) []ec2types.NetworkAcl { return o.NetworkAcls })
	}),
	list("DescribeNetworkInterfaces", "NetworkInterfaces", ec2Call("DescribeNetworkInterfaces"), func(ctx context.Context, c *clients) ([]ec2types.NetworkInterface, error) {
		p := ec2.NewDescribeNetworkInterfacesPaginator(c.EC2, &ec2.DescribeNetworkInterfacesInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeNetworkInterfacesOutput) []ec2types.NetworkInterface { return o.NetworkInterfaces })
	}),
	list("DescribeInstances", "Reservations", ec2Call("DescribeInstances"), func(ctx context.Context, c *clients) ([]ec2types.Reservation, error) {
		p := ec2.NewDescribeInstancesPaginator(c.EC2, &ec2.DescribeInstancesInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeInstancesOutput) []ec2types.Reservation { return o.Reservations })
	}),
	list("DescribeAddresses", "Addresses", ec2Call("DescribeAddresses"), func(ctx context.Context, c *clients) ([]ec2types.Address, error) {
		// Not paginated: one call returns every address.
		out, err := c.EC2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
		if err != nil {
			return nil, err
		}
		return nonNil(out.Addresses), nil
	}),
	list("DescribeInternetGateways", "InternetGateways", ec2Call("DescribeInternetGateways"), func(ctx context.Context, c *clients) ([]ec2types.InternetGateway, error) {
		p := ec2.NewDescribeInternetGatewaysPaginator(c.EC2, &ec2.DescribeInternetGatewaysInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeInternetGatewaysOutput) []ec2types.InternetGateway { return o.InternetGateways })
	}),
	list("DescribeEgressOnlyInternetGateways", "EgressOnlyInternetGateways", ec2Call("DescribeEgressOnlyInternetGateways"), func(ctx context.Context, c *clients) ([]ec2types.EgressOnlyInternetGateway, error) {
		p := ec2.NewDescribeEgressOnlyInternetGatewaysPaginator(c.EC2, &ec2.DescribeEgressOnlyInternetGatewaysInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeEgressOnlyInternetGatewaysOutput) []ec2types.EgressOnlyInternetGateway {
			return o.EgressOnlyInternetGateways
		})
	}),
	list("DescribeNatGateways", "NatGateways", ec2Call("DescribeNatGateways"), func(ctx context.Context, c *clients) ([]ec2types.NatGateway, error) {
		p := ec2.NewDescribeNatGatewaysPaginator(c.EC2, &ec2.DescribeNatGatewaysInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeNatGatewaysOutput) []ec2types.NatGateway { return o.NatGateways })
	}),
	list("DescribeVpcPeeringConnections", "VpcPeeringConnections", ec2Call("DescribeVpcPeeringConnections"), func(ctx context.Context, c *clients) ([]ec2types.VpcPeeringConnection, error) {
		p := ec2.NewDescribeVpcPeeringConnectionsPaginator(c.EC2, &ec2.DescribeVpcPeeringConnectionsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcPeeringConnectionsOutput) []ec2types.VpcPeeringConnection {
			return o.VpcPeeringConnections
		})
	}),
	{Name: "DescribeVpcEndpoints", Calls: []Call{ec2Call("DescribeVpcEndpoints"), ec2Call("DescribeVpcEndpointServices")}, Run: vpcEndpoints},
	list("DescribePrefixLists", "PrefixLists", ec2Call("DescribePrefixLists"), func(ctx context.Context, c *clients) ([]ec2types.PrefixList, error) {
		p := ec2.NewDescribePrefixListsPaginator(c.EC2, &ec2.DescribePrefixListsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribePrefixListsOutput) []ec2types.PrefixList { return o.PrefixLists })
	}),
	{Name: "DescribeManagedPrefixLists", Calls: []Call{ec2Call("DescribeManagedPrefixLists"), ec2Call("GetManagedPrefixListEntries")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := ec2.NewDescribeManagedPrefixListsPaginator(c.EC2, &ec2.DescribeManagedPrefixListsInput{})
		pls, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeManagedPrefixListsOutput) []ec2types.ManagedPrefixList { return o.PrefixLists })
		if err != nil {
			emit("DescribeManagedPrefixLists", nil, err)
			emit("GetManagedPrefixListEntries", nil, err)
			return
		}
		emit("DescribeManagedPrefixLists", object{{"PrefixLists", pls}}, nil)
		ids := idsOf(pls, func(pl ec2types.ManagedPrefixList) *string { return pl.PrefixListId })
		entries, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
			p := ec2.NewGetManagedPrefixListEntriesPaginator(c.EC2, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(id)})
			es, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.GetManagedPrefixListEntriesOutput) []ec2types.PrefixListEntry { return o.Entries })
			return object{{"PrefixListId", id}, {"Entries", es}}, err
		})
		emit("GetManagedPrefixListEntries", entries, err)
	}},
	list("DescribeTransitGateways", "TransitGateways", ec2Call("DescribeTransitGateways"), func(ctx context.Context, c *clients) ([]ec2types.TransitGateway, error) {
		p := ec2.NewDescribeTransitGatewaysPaginator(c.EC2, &ec2.DescribeTransitGatewaysInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeTransitGatewaysOutput) []ec2types.TransitGateway { return o.TransitGateways })
	}),
	list("DescribeTransitGatewayAttachments", "TransitGatewayAttachments", ec2Call("DescribeTransitGatewayAttachments"), func(ctx context.Context, c *clients) ([]ec2types.TransitGatewayAttachment, error) {
		p := ec2.NewDescribeTransitGatewayAttachmentsPaginator(c.EC2, &ec2.DescribeTransitGatewayAttachmentsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeTransitGatewayAttachmentsOutput) []ec2types.TransitGatewayAttachment {
			return o.TransitGatewayAttachments
		})
	}),
	list("DescribeTransitGatewayVpcAttachments", "TransitGatewayVpcAttachments", ec2Call("DescribeTransitGatewayVpcAttachments"), func(ctx context.Context, c *clients) ([]ec2types.TransitGatewayVpcAttachment, error) {
		p := ec2.NewDescribeTransitGatewayVpcAttachmentsPaginator(c.EC2, &ec2.DescribeTransitGatewayVpcAttachmentsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeTransitGatewayVpcAttachmentsOutput) []ec2types.TransitGatewayVpcAttachment {
			return o.TransitGatewayVpcAttachments
		})
	}),
	list("DescribeTransitGatewayPeeringAttachments", "TransitGatewayPeeringAttachments", ec2Call("DescribeTransitGatewayPeeringAttachments"), func(ctx context.Context, c *clients) ([]ec2types.TransitGatewayPeeringAttachment, error) {
		p := ec2.NewDescribeTransitGatewayPeeringAttachmentsPaginator(c.EC2, &ec2.DescribeTransitGatewayPeeringAttachmentsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeTransitGatewayPeeringAttachmentsOutput) []ec2types.TransitGatewayPeeringAttachment {
			return o.TransitGatewayPeeringAttachments
		})
	}),
	{Name: "DescribeTransitGatewayRouteTables", Calls: []Call{ec2Call("DescribeTransitGatewayRouteTables"), ec2Call("SearchTransitGatewayRoutes"),
		ec2Call("GetTransitGatewayRouteTableAssociations"), ec2Call("GetTransitGatewayRouteTablePropagations")}, Run: tgwRouteTables},
	list("DescribeVpnGateways", "VpnGateways", ec2Call("DescribeVpnGateways"), func(ctx context.Context, c *clients) ([]ec2types.VpnGateway, error) {
		out, err := c.EC2.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{})
		if err != nil {
			return nil, err
		}
		return nonNil(out.VpnGateways), nil
	}),
	list("DescribeVpnConnections", "VpnConnections", ec2Call("DescribeVpnConnections"), func(ctx context.Context, c *clients) ([]ec2types.VpnConnection, error) {
		out, err := c.EC2.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{})
		if err != nil {
			return nil, err
		}
		return nonNil(out.VpnConnections), nil
	}),
	list("DescribeCustomerGateways", "CustomerGateways", ec2Call("DescribeCustomerGateways"), func(ctx context.Context, c *clients) ([]ec2types.CustomerGateway, error) {
		out, err := c.EC2.DescribeCustomerGateways(ctx, &ec2.DescribeCustomerGatewaysInput{})
		if err != nil {
			return nil, err
		}
		return nonNil(out.CustomerGateways), nil
	}),
	list("DescribeDhcpOptions", "DhcpOptions", ec2Call("DescribeDhcpOptions"), func(ctx context.Context, c *clients) ([]ec2types.DhcpOptions, error) {
		p := ec2.NewDescribeDhcpOptionsPaginator(c.EC2, &ec2.DescribeDhcpOptionsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeDhcpOptionsOutput) []ec2types.DhcpOptions { return o.DhcpOptions })
	}),
	{Name: "DescribeClientVpnEndpoints", Calls: []Call{ec2Call("DescribeClientVpnEndpoints"), ec2Call("DescribeClientVpnTargetNetworks"),
		ec2Call("DescribeClientVpnRoutes"), ec2Call("DescribeClientVpnAuthorizationRules")}, Run: clientVPN},

	// Elastic Load Balancing.
	{Name: "DescribeLoadBalancers", Calls: []Call{elbCall("DescribeLoadBalancers"), elbCall("DescribeListeners")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := elbv2.NewDescribeLoadBalancersPaginator(c.ELBv2, &elbv2.DescribeLoadBalancersInput{})
		lbs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *elbv2.DescribeLoadBalancersOutput) []elbv2types.LoadBalancer { return o.LoadBalancers })
		if err != nil {
			emit("DescribeLoadBalancers", nil, err)
			emit("DescribeListeners", nil, err)
			return
		}
		emit("DescribeLoadBalancers", object{{"LoadBalancers", lbs}}, nil)
		arns := idsOf(lbs, func(lb elbv2types.LoadBalancer) *string { return lb.LoadBalancerArn })
		listeners, err := perSubject(ctx, arns, func(ctx context.Context, arn string) (object, error) {
			p := elbv2.NewDescribeListenersPaginator(c.ELBv2, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(arn)})
			ls, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *elbv2.DescribeListenersOutput) []elbv2types.Listener { return o.Listeners })
			return object{{"LoadBalancerArn", arn}, {"Listeners", ls}}, err
		})
		emit("DescribeListeners", listeners, err)
	}},
	{Name: "DescribeTargetGroups", Calls: []Call{elbCall("DescribeTargetGroups"), elbCall("DescribeTargetHealth")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := elbv2.NewDescribeTargetGroupsPaginator(c.ELBv2, &elbv2.DescribeTargetGroupsInput{})
		tgs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *elbv2.DescribeTargetGroupsOutput) []elbv2types.TargetGroup { return o.TargetGroups })
		if err != nil {
			emit("DescribeTargetGroups", nil, err)
			emit("DescribeTargetHealth", nil, err)
			return
		}
		emit("DescribeTargetGroups", object{{"TargetGroups", tgs}}, nil)
		arns := idsOf(tgs, func(tg elbv2types.TargetGroup) *string { return tg.TargetGroupArn })
		health, err := perSubject(ctx, arns, func(ctx context.Context, arn string) (object, error) {
			// Not paginated: one call returns every target of the group.
			out, err := c.ELBv2.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(arn)})
			if err != nil {
				return nil, err
			}
			return object{{"TargetGroupArn", arn}, {"TargetHealthDescriptions", nonNil(out.TargetHealthDescriptions)}}, nil
		})
		emit("DescribeTargetHealth", health, err)
	}},
	list("DescribeLoadBalancersClassic", "LoadBalancerDescriptions", elbCall("DescribeLoadBalancers"), func(ctx context.Context, c *clients) ([]elbtypes.LoadBalancerDescription, error) {
		p := elb.NewDescribeLoadBalancersPaginator(c.ELB, &elb.DescribeLoadBalancersInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *elb.DescribeLoadBalancersOutput) []elbtypes.LoadBalancerDescription {
			return o.LoadBalancerDescriptions
		})
	}),

	// Route 53 (account-wide).
	{Name: "ListHostedZones", Global: true, Calls: []Call{r53Call("ListHostedZones"), r53Call("GetHostedZone"), r53Call("ListResourceRecordSets")}, Run: hostedZones},

	// Route 53 Resolver.
	{Name: "ListResolverEndpoints", Calls: []Call{resolverCall("ListResolverEndpoints"), resolverCall("ListResolverEndpointIpAddresses")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := route53resolver.NewListResolverEndpointsPaginator(c.Resolver, &route53resolver.ListResolverEndpointsInput{})
		eps, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListResolverEndpointsOutput) []rslvrtypes.ResolverEndpoint {
			return o.ResolverEndpoints
		})
		if err != nil {
			emit("ListResolverEndpoints", nil, err)
			emit("ListResolverEndpointIpAddresses", nil, err)
			return
		}
		emit("ListResolverEndpoints", object{{"ResolverEndpoints", eps}}, nil)
		ids := idsOf(eps, func(ep rslvrtypes.ResolverEndpoint) *string { return ep.Id })
		ips, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
			p := route53resolver.NewListResolverEndpointIpAddressesPaginator(c.Resolver, &route53resolver.ListResolverEndpointIpAddressesInput{ResolverEndpointId: aws.String(id)})
			as, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListResolverEndpointIpAddressesOutput) []rslvrtypes.IpAddressResponse {
				return o.IpAddresses
			})
			return object{{"ResolverEndpointId", id}, {"IpAddresses", as}}, err
		})
		emit("ListResolverEndpointIpAddresses", ips, err)
	}},
	list("ListResolverRules", "ResolverRules", resolverCall("ListResolverRules"), func(ctx context.Context, c *clients) ([]rslvrtypes.ResolverRule, error) {
		p := route53resolver.NewListResolverRulesPaginator(c.Resolver, &route53resolver.ListResolverRulesInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListResolverRulesOutput) []rslvrtypes.ResolverRule { return o.ResolverRules })
	}),
	list("ListResolverRuleAssociations", "ResolverRuleAssociations", resolverCall("ListResolverRuleAssociations"), func(ctx context.Context, c *clients) ([]rslvrtypes.ResolverRuleAssociation, error) {
		p := route53resolver.NewListResolverRuleAssociationsPaginator(c.Resolver, &route53resolver.ListResolverRuleAssociationsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListResolverRuleAssociationsOutput) []rslvrtypes.ResolverRuleAssociation {
			return o.ResolverRuleAssociations
		})
	}),
	list("ListFirewallRuleGroupAssociations", "FirewallRuleGroupAssociations", resolverCall("ListFirewallRuleGroupAssociations"), func(ctx context.Context, c *clients) ([]rslvrtypes.FirewallRuleGroupAssociation, error) {
		p := route53resolver.NewListFirewallRuleGroupAssociationsPaginator(c.Resolver, &route53resolver.ListFirewallRuleGroupAssociationsInput{})
		return drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListFirewallRuleGroupAssociationsOutput) []rslvrtypes.FirewallRuleGroupAssociation {
			return o.FirewallRuleGroupAssociations
		})
	}),
	{Name: "ListFirewallRuleGroups", Calls: []Call{resolverCall("ListFirewallRuleGroups"), resolverCall("ListFirewallRules")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := route53resolver.NewListFirewallRuleGroupsPaginator(c.Resolver, &route53resolver.ListFirewallRuleGroupsInput{})
		groups, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListFirewallRuleGroupsOutput) []rslvrtypes.FirewallRuleGroupMetadata {
			return o.FirewallRuleGroups
		})
		if err != nil {
			emit("ListFirewallRuleGroups", nil, err)
			emit("ListFirewallRules", nil, err)
			return
		}
		emit("ListFirewallRuleGroups", object{{"FirewallRuleGroups", groups}}, nil)
		ids := idsOf(groups, func(g rslvrtypes.FirewallRuleGroupMetadata) *string { return g.Id })
		rules, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
			p := route53resolver.NewListFirewallRulesPaginator(c.Resolver, &route53resolver.ListFirewallRulesInput{FirewallRuleGroupId: aws.String(id)})
			rs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListFirewallRulesOutput) []rslvrtypes.FirewallRule { return o.FirewallRules })
			return object{{"FirewallRuleGroupId", id}, {"FirewallRules", rs}}, err
		})
		emit("ListFirewallRules", rules, err)
	}},
	{Name: "ListFirewallDomainLists", Calls: []Call{resolverCall("ListFirewallDomainLists"), resolverCall("ListFirewallDomains")}, Run: func(ctx context.Context, c *clients, emit emitFunc) {
		p := route53resolver.NewListFirewallDomainListsPaginator(c.Resolver, &route53resolver.ListFirewallDomainListsInput{})
		lists, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListFirewallDomainListsOutput) []rslvrtypes.FirewallDomainListMetadata {
			return o.FirewallDomainLists
		})
		if err != nil {
			emit("ListFirewallDomainLists", nil, err)
			emit("ListFirewallDomains", nil, err)
			return
		}
		emit("ListFirewallDomainLists", object{{"FirewallDomainLists", lists}}, nil)
		ids := idsOf(lists, func(l rslvrtypes.FirewallDomainListMetadata) *string { return l.Id })
		domains, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
			p := route53resolver.NewListFirewallDomainsPaginator(c.Resolver, &route53resolver.ListFirewallDomainsInput{FirewallDomainListId: aws.String(id)})
			ds, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53resolver.ListFirewallDomainsOutput) []string { return o.Domains })
			return object{{"FirewallDomainListId", id}, {"Domains", ds}}, err
		})
		emit("ListFirewallDomains", domains, err)
	}},

	// AWS Network Firewall (netfirewall.go).
	{Name: "ListFirewalls", Calls: []Call{nfwCall("ListFirewalls"), nfwCall("DescribeFirewall")}, Run: firewalls},
	{Name: "ListFirewallPolicies", Calls: []Call{nfwCall("ListFirewallPolicies"), nfwCall("DescribeFirewallPolicy")}, Run: firewallPolicies},
	{Name: "ListRuleGroups", Calls: []Call{nfwCall("ListRuleGroups"), nfwCall("DescribeRuleGroup")}, Run: ruleGroups},

	// Direct Connect. Gateways are account-wide; virtual interfaces belong
	// to the region of their connection.
	{Name: "DescribeDirectConnectGateways", Global: true, Calls: []Call{dxCall("DescribeDirectConnectGateways"), dxCall("DescribeDirectConnectGatewayAssociations")}, Run: dxGateways},
	list("DescribeVirtualInterfaces", "VirtualInterfaces", dxCall("DescribeVirtualInterfaces"), func(ctx context.Context, c *clients) ([]dxtypes.VirtualInterface, error) {
		return tokenLoop(ctx, func(ctx context.Context, token *string) ([]dxtypes.VirtualInterface, *string, error) {
			out, err := c.DX.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out.VirtualInterfaces, out.NextToken, nil
		})
	}),
}

// idsOf lists the identifiers of items.
func idsOf[T any](items []T, id func(T) *string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = aws.ToString(id(it))
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// vpcEndpoints writes the VPC endpoints and the details of the services
// they connect to: an interface endpoint's private DNS name (the name its
// private hosted zone answers, ssm.<region>.amazonaws.com) is only there.
func vpcEndpoints(ctx context.Context, c *clients, emit emitFunc) {
	p := ec2.NewDescribeVpcEndpointsPaginator(c.EC2, &ec2.DescribeVpcEndpointsInput{})
	eps, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcEndpointsOutput) []ec2types.VpcEndpoint { return o.VpcEndpoints })
	if err != nil {
		emit("DescribeVpcEndpoints", nil, err)
		emit("DescribeVpcEndpointServices", nil, err)
		return
	}
	emit("DescribeVpcEndpoints", object{{"VpcEndpoints", eps}}, nil)
	seen := map[string]bool{}
	var names []string
	for _, ep := range eps {
		if n := aws.ToString(ep.ServiceName); n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	details := []ec2types.ServiceDetail{}
	// One service at a time: a name AWS no longer lists (a partner
	// service withdrawn, say) fails the whole call with InvalidServiceName,
	// and is then only left out.
	for _, name := range names {
		ds, err := tokenLoop(ctx, func(ctx context.Context, token *string) ([]ec2types.ServiceDetail, *string, error) {
			out, err := c.EC2.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{name}, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out.ServiceDetails, out.NextToken, nil
		})
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "InvalidServiceName" {
			continue
		}
		if err != nil {
			emit("DescribeVpcEndpointServices", nil, err)
			return
		}
		details = append(details, ds...)
	}
	emit("DescribeVpcEndpointServices", object{{"ServiceDetails", details}}, nil)
}

// tgwRouteTables writes the route tables and, merged per table, their
// routes (static and propagated), associations and propagations.
func tgwRouteTables(ctx context.Context, c *clients, emit emitFunc) {
	files := []string{"DescribeTransitGatewayRouteTables", "SearchTransitGatewayRoutes", "GetTransitGatewayRouteTableAssociations", "GetTransitGatewayRouteTablePropagations"}
	p := ec2.NewDescribeTransitGatewayRouteTablesPaginator(c.EC2, &ec2.DescribeTransitGatewayRouteTablesInput{})
	rts, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeTransitGatewayRouteTablesOutput) []ec2types.TransitGatewayRouteTable {
		return o.TransitGatewayRouteTables
	})
	if err != nil {
		for _, f := range files {
			emit(f, nil, err)
		}
		return
	}
	emit(files[0], object{{"TransitGatewayRouteTables", rts}}, nil)
	ids := idsOf(rts, func(rt ec2types.TransitGatewayRouteTable) *string { return rt.TransitGatewayRouteTableId })
	routes, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		// The API needs a filter; these two types are every route.
		p := ec2.NewSearchTransitGatewayRoutesPaginator(c.EC2, &ec2.SearchTransitGatewayRoutesInput{
			TransitGatewayRouteTableId: aws.String(id),
			Filters:                    []ec2types.Filter{{Name: aws.String("type"), Values: []string{"static", "propagated"}}},
		})
		more := false
		rs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.SearchTransitGatewayRoutesOutput) []ec2types.TransitGatewayRoute {
			more = more || aws.ToBool(o.AdditionalRoutesAvailable) && o.NextToken == nil
			return o.Routes
		})
		if err == nil && more {
			// Sound before complete: a table whose routes were cut short
			// is not written as if it were whole.
			err = fmt.Errorf("%s has more routes than SearchTransitGatewayRoutes returns", id)
		}
		return object{{"TransitGatewayRouteTableId", id}, {"Routes", rs}}, err
	})
	emit(files[1], routes, err)
	assocs, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		p := ec2.NewGetTransitGatewayRouteTableAssociationsPaginator(c.EC2, &ec2.GetTransitGatewayRouteTableAssociationsInput{TransitGatewayRouteTableId: aws.String(id)})
		as, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.GetTransitGatewayRouteTableAssociationsOutput) []ec2types.TransitGatewayRouteTableAssociation {
			return o.Associations
		})
		return object{{"TransitGatewayRouteTableId", id}, {"Associations", as}}, err
	})
	emit(files[2], assocs, err)
	props, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		p := ec2.NewGetTransitGatewayRouteTablePropagationsPaginator(c.EC2, &ec2.GetTransitGatewayRouteTablePropagationsInput{TransitGatewayRouteTableId: aws.String(id)})
		ps, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.GetTransitGatewayRouteTablePropagationsOutput) []ec2types.TransitGatewayRouteTablePropagation {
			return o.TransitGatewayRouteTablePropagations
		})
		return object{{"TransitGatewayRouteTableId", id}, {"TransitGatewayRouteTablePropagations", ps}}, err
	})
	emit(files[3], props, err)
}

// clientVPN writes the Client VPN endpoints and, merged per endpoint, their
// target networks, routes and authorization rules.
func clientVPN(ctx context.Context, c *clients, emit emitFunc) {
	files := []string{"DescribeClientVpnEndpoints", "DescribeClientVpnTargetNetworks", "DescribeClientVpnRoutes", "DescribeClientVpnAuthorizationRules"}
	p := ec2.NewDescribeClientVpnEndpointsPaginator(c.EC2, &ec2.DescribeClientVpnEndpointsInput{})
	eps, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeClientVpnEndpointsOutput) []ec2types.ClientVpnEndpoint {
		return o.ClientVpnEndpoints
	})
	if err != nil {
		for _, f := range files {
			emit(f, nil, err)
		}
		return
	}
	emit(files[0], object{{"ClientVpnEndpoints", eps}}, nil)
	ids := idsOf(eps, func(ep ec2types.ClientVpnEndpoint) *string { return ep.ClientVpnEndpointId })
	nets, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		p := ec2.NewDescribeClientVpnTargetNetworksPaginator(c.EC2, &ec2.DescribeClientVpnTargetNetworksInput{ClientVpnEndpointId: aws.String(id)})
		ns, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeClientVpnTargetNetworksOutput) []ec2types.TargetNetwork {
			return o.ClientVpnTargetNetworks
		})
		return object{{"ClientVpnEndpointId", id}, {"ClientVpnTargetNetworks", ns}}, err
	})
	emit(files[1], nets, err)
	routes, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		p := ec2.NewDescribeClientVpnRoutesPaginator(c.EC2, &ec2.DescribeClientVpnRoutesInput{ClientVpnEndpointId: aws.String(id)})
		rs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeClientVpnRoutesOutput) []ec2types.ClientVpnRoute { return o.Routes })
		return object{{"ClientVpnEndpointId", id}, {"Routes", rs}}, err
	})
	emit(files[2], routes, err)
	rules, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		p := ec2.NewDescribeClientVpnAuthorizationRulesPaginator(c.EC2, &ec2.DescribeClientVpnAuthorizationRulesInput{ClientVpnEndpointId: aws.String(id)})
		rs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *ec2.DescribeClientVpnAuthorizationRulesOutput) []ec2types.AuthorizationRule {
			return o.AuthorizationRules
		})
		return object{{"ClientVpnEndpointId", id}, {"AuthorizationRules", rs}}, err
	})
	emit(files[3], rules, err)
}

// hostedZones writes ListHostedZones and, for each private zone, the
// GetHostedZone output (zone and associated VPCs) merged with every record
// set. Public zones answer only from outside the VPCs, so their records
// are not read.
func hostedZones(ctx context.Context, c *clients, emit emitFunc) {
	p := route53.NewListHostedZonesPaginator(c.Route53, &route53.ListHostedZonesInput{})
	zones, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53.ListHostedZonesOutput) []r53types.HostedZone { return o.HostedZones })
	if err != nil {
		emit("ListHostedZones", nil, err)
		emit("GetHostedZone", nil, err)
		return
	}
	emit("ListHostedZones", object{{"HostedZones", zones}}, nil)
	var ids []string
	for _, z := range zones {
		if z.Config != nil && z.Config.PrivateZone {
			ids = append(ids, aws.ToString(z.Id))
		}
	}
	sort.Strings(ids)
	merged, err := perSubject(ctx, ids, func(ctx context.Context, id string) (object, error) {
		hz, err := c.Route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
		if err != nil {
			return nil, err
		}
		p := route53.NewListResourceRecordSetsPaginator(c.Route53, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
		rrs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *route53.ListResourceRecordSetsOutput) []r53types.ResourceRecordSet {
			return o.ResourceRecordSets
		})
		if err != nil {
			return nil, err
		}
		return object{{"HostedZone", hz.HostedZone}, {"DelegationSet", hz.DelegationSet}, {"VPCs", hz.VPCs}, {"ResourceRecordSets", rrs}}, nil
	})
	emit("GetHostedZone", merged, err)
}

// dxGateways writes the Direct Connect gateways and their associations
// with virtual private gateways and transit gateways.
func dxGateways(ctx context.Context, c *clients, emit emitFunc) {
	gws, err := tokenLoop(ctx, func(ctx context.Context, token *string) ([]dxtypes.DirectConnectGateway, *string, error) {
		out, err := c.DX.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.DirectConnectGateways, out.NextToken, nil
	})
	if err != nil {
		emit("DescribeDirectConnectGateways", nil, err)
		emit("DescribeDirectConnectGatewayAssociations", nil, err)
		return
	}
	emit("DescribeDirectConnectGateways", object{{"DirectConnectGateways", gws}}, nil)
	var all []dxtypes.DirectConnectGatewayAssociation
	for _, gw := range gws {
		as, err := tokenLoop(ctx, func(ctx context.Context, token *string) ([]dxtypes.DirectConnectGatewayAssociation, *string, error) {
			out, err := c.DX.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{
				DirectConnectGatewayId: gw.DirectConnectGatewayId, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out.DirectConnectGatewayAssociations, out.NextToken, nil
		})
		if err != nil && !gone(err) {
			emit("DescribeDirectConnectGatewayAssociations", nil, err)
			return
		}
		all = append(all, as...)
	}
	emit("DescribeDirectConnectGatewayAssociations", object{{"DirectConnectGatewayAssociations", nonNil(all)}}, nil)
}
