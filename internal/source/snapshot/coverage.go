package snapshot

import (
	"fmt"
	"net/netip"
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
	"Firewalls":                    model.TypeNetworkFirewall,
	"FirewallPolicies":             model.TypeNetworkFirewallPolicy,
	"RuleGroups":                   model.TypeNetworkFirewallRuleGroup,
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
	"ListFirewalls":              model.TypeNetworkFirewall,
	"DescribeFirewall":           model.TypeNetworkFirewall,
	"ListFirewallPolicies":       model.TypeNetworkFirewallPolicy,
	"DescribeFirewallPolicy":     model.TypeNetworkFirewallPolicy,
	"ListRuleGroups":             model.TypeNetworkFirewallRuleGroup,
	"DescribeRuleGroup":          model.TypeNetworkFirewallRuleGroup,
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

// coverage records what each folder's listings say about the scopes the
// folder covers (scopes by folder).
func (r *reader) coverage(scopes map[string]map[model.Scope]bool) {
	if len(r.seen) == 0 {
		return
	}
	if r.n.Coverage == nil {
		r.n.Coverage = &model.Coverage{}
	}
	for dir, keys := range r.seen {
		for s := range scopes[dir] {
			for key := range keys {
				if k, ok := coverageKinds[key]; ok {
					r.n.Coverage.Mark(s, k, model.CoverageRead, "")
				}
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

// endpointStandIns gives interface VPC endpoints and Resolver endpoints
// whose interfaces no describe-network-interfaces output holds one
// interface per subnet, from what the endpoint itself says (its subnets,
// groups and, for Resolver endpoints, addresses), so that they are
// examined like any other interface instead of dropped.
func (r *reader) endpointStandIns() {
	n := r.n
	have := func(id string) bool { _, ok := n.NetworkInterfaces.Get(id); return ok }
	for _, ep := range n.VPCEndpoints.All() {
		if ep.EndpointType != "Interface" || len(ep.SubnetIDs) == 0 {
			continue
		}
		missing := len(ep.NetworkInterfaceIDs) == 0
		for _, id := range ep.NetworkInterfaceIDs {
			missing = missing || !have(id)
		}
		if !missing {
			continue
		}
		for i, sid := range ep.SubnetIDs {
			id := fmt.Sprintf("%s/eni%d", ep.ID, i)
			if len(ep.NetworkInterfaceIDs) == len(ep.SubnetIDs) {
				id = ep.NetworkInterfaceIDs[i]
			}
			if have(id) {
				continue
			}
			e := &model.NetworkInterface{Meta: model.Meta{ID: id, Account: ep.Account, Region: ep.Region, Origin: ep.Origin},
				SubnetID: sid, VPCID: ep.VPCID, SecurityGroupIDs: ep.SecurityGroupIDs, SourceDestCheck: true,
				InterfaceType: "vpc_endpoint", RequesterManaged: true, OwnerKind: model.OwnerVPCEndpoint, OwnerID: ep.ID}
			e.AddUnknown("PrivateIpAddress", "the interface of "+ep.ID+" in "+sid+" is not in the sources: any address of the subnet stands for it")
			n.NetworkInterfaces.Put(e)
		}
	}
	if n.ResolverEndpoints.Len() == 0 {
		return
	}
	// Subnets where each Resolver endpoint already has an interface.
	resolverENIs := map[[2]string]bool{}
	for _, e := range n.NetworkInterfaces.All() {
		if e.OwnerKind == model.OwnerResolverEndpoint {
			resolverENIs[[2]string{e.OwnerID, e.SubnetID}] = true
		}
	}
	for _, ep := range n.ResolverEndpoints.All() {
		for i, ip := range ep.IPAddresses {
			id := ip.NetworkInterfaceID
			if id == "" {
				id = fmt.Sprintf("%s/eni%d", ep.ID, i)
			}
			if have(id) || ip.SubnetID == "" || resolverENIs[[2]string{ep.ID, ip.SubnetID}] {
				continue
			}
			e := &model.NetworkInterface{Meta: model.Meta{ID: id, Account: ep.Account, Region: ep.Region, Origin: ep.Origin},
				SubnetID: ip.SubnetID, VPCID: ep.VPCID, SecurityGroupIDs: ep.SecurityGroupIDs, SourceDestCheck: true,
				InterfaceType: "interface", RequesterManaged: true, OwnerKind: model.OwnerResolverEndpoint, OwnerID: ep.ID}
			if ip.IP.IsValid() {
				e.PrivateIPs = []model.PrivateIP{{Address: ip.IP, Primary: true}}
			} else {
				e.AddUnknown("PrivateIpAddress", "the address of "+ep.ID+" in "+ip.SubnetID+" is not in the sources")
			}
			if ip.IPv6.IsValid() {
				e.IPv6 = []netip.Addr{ip.IPv6}
			}
			n.NetworkInterfaces.Put(e)
		}
	}
}
