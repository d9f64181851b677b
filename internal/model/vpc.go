package model

import "net/netip"

// Type names, CloudFormation style, used by inventory and in explanations.
const (
	TypeVPC                    = "AWS::EC2::VPC"
	TypeSubnet                 = "AWS::EC2::Subnet"
	TypeDHCPOptions            = "AWS::EC2::DHCPOptions"
	TypeRouteTable             = "AWS::EC2::RouteTable"
	TypeSecurityGroup          = "AWS::EC2::SecurityGroup"
	TypeNetworkACL             = "AWS::EC2::NetworkAcl"
	TypeNetworkInterface       = "AWS::EC2::NetworkInterface"
	TypeInstance               = "AWS::EC2::Instance"
	TypeInternetGateway        = "AWS::EC2::InternetGateway"
	TypeEgressOnlyIGW          = "AWS::EC2::EgressOnlyInternetGateway"
	TypeNATGateway             = "AWS::EC2::NatGateway"
	TypeEIP                    = "AWS::EC2::EIP"
	TypePeering                = "AWS::EC2::VPCPeeringConnection"
	TypeTransitGateway         = "AWS::EC2::TransitGateway"
	TypeTGWAttachment          = "AWS::EC2::TransitGatewayAttachment"
	TypeTGWRouteTable          = "AWS::EC2::TransitGatewayRouteTable"
	TypeVPNGateway             = "AWS::EC2::VPNGateway"
	TypeVPNConnection          = "AWS::EC2::VPNConnection"
	TypeCustomerGateway        = "AWS::EC2::CustomerGateway"
	TypeDirectConnectGateway   = "AWS::DirectConnect::Gateway"
	TypeVirtualInterface       = "AWS::DirectConnect::VirtualInterface"
	TypeVPCEndpoint            = "AWS::EC2::VPCEndpoint"
	TypePrefixList             = "AWS::EC2::PrefixList"
	TypeLoadBalancerV2         = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	TypeLoadBalancerClassic    = "AWS::ElasticLoadBalancing::LoadBalancer"
	TypeListener               = "AWS::ElasticLoadBalancingV2::Listener"
	TypeTargetGroup            = "AWS::ElasticLoadBalancingV2::TargetGroup"
	TypeClientVPNEndpoint      = "AWS::EC2::ClientVpnEndpoint"
	TypeHostedZone             = "AWS::Route53::HostedZone"
	TypeResolverEndpoint       = "AWS::Route53Resolver::ResolverEndpoint"
	TypeResolverRule           = "AWS::Route53Resolver::ResolverRule"
	TypeResolverRuleAssoc      = "AWS::Route53Resolver::ResolverRuleAssociation"
	TypeFirewallRuleGroupAssoc = "AWS::Route53Resolver::FirewallRuleGroupAssociation"
	TypeFirewallRuleGroup      = "AWS::Route53Resolver::FirewallRuleGroup"
	TypeFirewallDomainList     = "AWS::Route53Resolver::FirewallDomainList"
	TypeAutoScalingGroup       = "AWS::AutoScaling::AutoScalingGroup"
	// AWS Network Firewall.
	TypeNetworkFirewall          = "AWS::NetworkFirewall::Firewall"
	TypeNetworkFirewallPolicy    = "AWS::NetworkFirewall::FirewallPolicy"
	TypeNetworkFirewallRuleGroup = "AWS::NetworkFirewall::RuleGroup"
)

// DHCP option set markers for VPC.DHCPOptionsID.
const (
	// DHCPOptionsDefault is the region's default option set:
	// domain-name-servers=AmazonProvidedDNS (R7.1).
	DHCPOptionsDefault = "default"
	// DHCPOptionsNone is a VPC with no option set: instances get no DNS
	// server (R7.2). describe-vpcs prints it as "default", the value
	// AssociateDhcpOptions takes "to associate no DHCP options with the VPC"
	// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateDhcpOptions.html);
	// snapshot readers translate it.
	DHCPOptionsNone = "none"
)

// VPC is a virtual private cloud.
type VPC struct {
	Meta
	// CIDRs are the associated IPv4 blocks, primary first.
	CIDRs []netip.Prefix `json:"cidrs"`
	// IPv6CIDRs are the associated IPv6 blocks.
	IPv6CIDRs []netip.Prefix `json:"ipv6Cidrs,omitempty"`
	IsDefault bool           `json:"isDefault,omitempty"`
	// EnableDNSSupport and EnableDNSHostnames are the DNS attributes
	// (defaults: support true; hostnames true only for a default VPC).
	EnableDNSSupport   Flag `json:"enableDnsSupport"`
	EnableDNSHostnames Flag `json:"enableDnsHostnames"`
	// DHCPOptionsID is the associated option set: an ID, DHCPOptionsDefault
	// for the region's default set (AmazonProvidedDNS: what a VPC created by
	// a template gets), DHCPOptionsNone when the VPC has no option set, or
	// "" when the sources do not say.
	DHCPOptionsID string `json:"dhcpOptionsId,omitempty"`
	// DefaultSecurityGroupID and DefaultNetworkACLID are set by Finalize
	// when the sources do not name them.
	DefaultSecurityGroupID string `json:"defaultSecurityGroupId,omitempty"`
	DefaultNetworkACLID    string `json:"defaultNetworkAclId,omitempty"`
}

// Type implements Element.
func (*VPC) Type() string { return TypeVPC }

// DNSServerAddr is the Amazon DNS server's address in the VPC: the base of
// the primary IPv4 CIDR plus two (R1.1). ok is false without an IPv4 CIDR.
func (v *VPC) DNSServerAddr() (netip.Addr, bool) {
	if len(v.CIDRs) == 0 {
		return netip.Addr{}, false
	}
	a := v.CIDRs[0].Masked().Addr()
	return a.Next().Next(), true
}

// Contains reports whether addr lies in one of the VPC's CIDRs (v4 or v6).
func (v *VPC) Contains(addr netip.Addr) bool {
	for _, p := range v.CIDRs {
		if p.Contains(addr) {
			return true
		}
	}
	for _, p := range v.IPv6CIDRs {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Subnet is a subnet of a VPC in one availability zone.
type Subnet struct {
	Meta
	VPCID            string         `json:"vpcId"`
	CIDR             netip.Prefix   `json:"cidr"`
	IPv6CIDRs        []netip.Prefix `json:"ipv6Cidrs,omitempty"`
	AvailabilityZone string         `json:"availabilityZone,omitempty"`
	AZID             string         `json:"azId,omitempty"`
	// MapPublicIPOnLaunch gives instances launched here a public IPv4.
	MapPublicIPOnLaunch         Flag `json:"mapPublicIpOnLaunch"`
	AssignIPv6AddressOnCreation Flag `json:"assignIpv6AddressOnCreation"`
	EnableDNS64                 bool `json:"enableDns64,omitempty"`
	IPv6Native                  bool `json:"ipv6Native,omitempty"`
	// NetworkACLID is the associated NACL; Finalize fills it with the VPC's
	// default NACL when no association is known.
	NetworkACLID string `json:"networkAclId,omitempty"`
}

// Type implements Element.
func (*Subnet) Type() string { return TypeSubnet }

// DHCPOptions is a DHCP option set.
type DHCPOptions struct {
	Meta
	// DomainNameServers holds IP addresses or "AmazonProvidedDNS".
	DomainNameServers []string `json:"domainNameServers,omitempty"`
	DomainName        string   `json:"domainName,omitempty"`
	NTPServers        []string `json:"ntpServers,omitempty"`
}

// Type implements Element.
func (*DHCPOptions) Type() string { return TypeDHCPOptions }
