package snapshot

import (
	"path/filepath"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// coverageKinds maps the list keys of API output to the kinds of resource
// whose listing they are. A listing read in a scope, even an empty one,
// says that what it does not hold does not exist there; a kind whose
// listing was never read is unknown in that scope.
var coverageKinds = map[string]string{
	"Vpcs":                         model.TypeVPC,
	"Subnets":                      model.TypeSubnet,
	"DhcpOptions":                  model.TypeDHCPOptions,
	"RouteTables":                  model.TypeRouteTable,
	"SecurityGroups":               model.TypeSecurityGroup,
	"NetworkAcls":                  model.TypeNetworkACL,
	"NetworkInterfaces":            model.TypeNetworkInterface,
	"Reservations":                 model.TypeInstance,
	"InternetGateways":             model.TypeInternetGateway,
	"EgressOnlyInternetGateways":   model.TypeEgressOnlyIGW,
	"NatGateways":                  model.TypeNATGateway,
	"Addresses":                    model.TypeEIP,
	"VpcPeeringConnections":        model.TypePeering,
	"TransitGateways":              model.TypeTransitGateway,
	"TransitGatewayAttachments":    model.TypeTGWAttachment,
	"TransitGatewayVpcAttachments": model.TypeTGWAttachment,
	"TransitGatewayRouteTables":    model.TypeTGWRouteTable,
	"VpnGateways":                  model.TypeVPNGateway,
	"VpcEndpoints":                 model.TypeVPCEndpoint,
	"PrefixLists":                  model.TypePrefixList,
	"ManagedPrefixLists":           model.TypePrefixList,
	"LoadBalancers":                model.TypeLoadBalancerV2,
	"LoadBalancerDescriptions":     model.TypeLoadBalancerClassic,
	"TargetGroups":                 model.TypeTargetGroup,
	"ClientVpnEndpoints":           model.TypeClientVPNEndpoint,
	"HostedZones":                  model.TypeHostedZone,
	"ResolverEndpoints":            model.TypeResolverEndpoint,
	"ResolverRules":                model.TypeResolverRule,
	vpcAttributesKey:               model.KindVPCAttributes,
	"Listeners":                    model.KindListeners,
}

// vpcAttributesKey stands for describe-vpc-attribute output, which has no
// list key of its own.
const vpcAttributesKey = "(describe-vpc-attribute)"

// operationKinds maps the describe calls collect makes (without the
// service prefix) whose list key is not the call's name without
// "Describe".
var operationKinds = map[string]string{
	"DescribeInstances":          model.TypeInstance,
	"DescribeVpcAttribute":       model.KindVPCAttributes,
	"DescribeLoadBalancers":      model.TypeLoadBalancerV2,
	"DescribeManagedPrefixLists": model.TypePrefixList,
	"DescribeListeners":          model.KindListeners,
	"ListHostedZones":            model.TypeHostedZone,
	"ListResolverEndpoints":      model.TypeResolverEndpoint,
	"ListResolverRules":          model.TypeResolverRule,
}

// kindOfOperation returns the kind an IAM action such as
// ec2:DescribeInternetGateways lists, or "".
func kindOfOperation(action string) string {
	_, op, ok := strings.Cut(action, ":")
	if !ok {
		op = action
	}
	if k, ok := operationKinds[op]; ok {
		return k
	}
	return coverageKinds[strings.TrimPrefix(op, "Describe")]
}

// coverage records what each folder's listings say about its scope. A
// folder's scope is the one its path names, else the one its elements
// agree on, else the one the whole Read agrees on (as fillScopes gives
// elements).
func (r *reader) coverage(dirScope func(dir string) model.Scope) {
	if len(r.seen) == 0 {
		return
	}
	if r.n.Coverage == nil {
		r.n.Coverage = &model.Coverage{}
	}
	for dir, keys := range r.seen {
		s := dirScope(dir)
		for key := range keys {
			if k, ok := coverageKinds[key]; ok {
				r.n.Coverage.Mark(s, k, model.CoverageRead, "")
			}
		}
	}
	r.seen = map[string]map[string]bool{}
}

// pathScope is the scope a folder's path names.
func pathScope(dir string) model.Scope {
	a, reg := scopeOf(filepath.Join(dir, "x"))
	return model.Scope{Account: a, Region: reg}
}
