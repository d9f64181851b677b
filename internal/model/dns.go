package model

import "net/netip"

// AliasTarget is a Route 53 alias record's target.
type AliasTarget struct {
	DNSName              string `json:"dnsName"`
	HostedZoneID         string `json:"hostedZoneId,omitempty"`
	EvaluateTargetHealth bool   `json:"evaluateTargetHealth,omitempty"`
}

// Record is one Route 53 resource record set.
type Record struct {
	// Name is fully qualified, lower case, with the trailing dot.
	Name   string       `json:"name"`
	Type   string       `json:"type"`
	TTL    uint32       `json:"ttl,omitempty"`
	Values []string     `json:"values,omitempty"`
	Alias  *AliasTarget `json:"alias,omitempty"`
	// SetIdentifier and the routing policy fields (weighted, latency,
	// failover, geolocation, multivalue) when present.
	SetIdentifier string `json:"setIdentifier,omitempty"`
	RoutingPolicy string `json:"routingPolicy,omitempty"`
	Origin        Origin `json:"origin"`
}

// ZoneVPC is a VPC associated with a private hosted zone.
type ZoneVPC struct {
	VPCID  string `json:"vpcId"`
	Region string `json:"region,omitempty"`
}

// HostedZone is a Route 53 hosted zone, public or private.
type HostedZone struct {
	Meta
	// ZoneName is fully qualified, lower case, with the trailing dot.
	ZoneName string    `json:"zoneName"`
	Private  bool      `json:"private"`
	VPCs     []ZoneVPC `json:"vpcs,omitempty"`
	Records  []Record  `json:"records,omitempty"`
	// RecordsKnown is false when the record sets were not read.
	RecordsKnown bool `json:"recordsKnown"`
}

// Type implements Element.
func (*HostedZone) Type() string { return TypeHostedZone }

// ResolverEndpointIP is one address of a Resolver endpoint.
type ResolverEndpointIP struct {
	IP                 netip.Addr `json:"ip,omitempty"`
	IPv6               netip.Addr `json:"ipv6,omitempty"`
	SubnetID           string     `json:"subnetId"`
	IPID               string     `json:"ipId,omitempty"`
	NetworkInterfaceID string     `json:"networkInterfaceId,omitempty"`
}

// ResolverEndpoint is a Route 53 Resolver inbound or outbound endpoint.
type ResolverEndpoint struct {
	Meta
	Direction        string               `json:"direction"` // INBOUND or OUTBOUND
	VPCID            string               `json:"vpcId"`
	SecurityGroupIDs []string             `json:"securityGroupIds,omitempty"`
	IPAddresses      []ResolverEndpointIP `json:"ipAddresses,omitempty"`
	Protocols        []string             `json:"protocols,omitempty"` // Do53, DoH, ...
	Status           string               `json:"status,omitempty"`
}

// Type implements Element.
func (*ResolverEndpoint) Type() string { return TypeResolverEndpoint }

// IsInbound reports the endpoint direction.
func (e *ResolverEndpoint) IsInbound() bool { return e.Direction == "INBOUND" }

// ResolverTarget is a forwarding rule's target server.
type ResolverTarget struct {
	IP   netip.Addr `json:"ip"`
	Port uint16     `json:"port"` // 53 when not given
}

// ResolverRule is a FORWARD, SYSTEM or RECURSIVE rule.
type ResolverRule struct {
	Meta
	// DomainName is fully qualified, lower case, with the trailing dot.
	DomainName         string           `json:"domainName"`
	RuleType           string           `json:"ruleType"` // FORWARD, SYSTEM, RECURSIVE
	ResolverEndpointID string           `json:"resolverEndpointId,omitempty"`
	TargetIPs          []ResolverTarget `json:"targetIps,omitempty"`
	OwnerID            string           `json:"ownerId,omitempty"`
	ShareStatus        string           `json:"shareStatus,omitempty"`
}

// Type implements Element.
func (*ResolverRule) Type() string { return TypeResolverRule }

// ResolverRuleAssociation associates a rule with a VPC.
type ResolverRuleAssociation struct {
	Meta
	ResolverRuleID string `json:"resolverRuleId"`
	VPCID          string `json:"vpcId"`
	Status         string `json:"status,omitempty"`
}

// Type implements Element.
func (*ResolverRuleAssociation) Type() string { return TypeResolverRuleAssoc }

// FirewallRule is one DNS Firewall rule.
type FirewallRule struct {
	Name                 string `json:"name,omitempty"`
	Priority             int    `json:"priority"`
	Action               string `json:"action"` // ALLOW, ALERT, BLOCK
	FirewallDomainListID string `json:"firewallDomainListId"`
	BlockResponse        string `json:"blockResponse,omitempty"` // NODATA, NXDOMAIN, OVERRIDE
	BlockOverrideDomain  string `json:"blockOverrideDomain,omitempty"`
	BlockOverrideTTL     uint32 `json:"blockOverrideTtl,omitempty"`
	// RedirectionAction is INSPECT_REDIRECTION_DOMAIN (default) or TRUST_REDIRECTION_DOMAIN.
	RedirectionAction string `json:"redirectionAction,omitempty"`
}

// FirewallRuleGroup is a DNS Firewall rule group.
type FirewallRuleGroup struct {
	Meta
	Rules []FirewallRule `json:"rules,omitempty"`
	// RulesKnown is false when only the group's association was read.
	RulesKnown bool `json:"rulesKnown"`
}

// Type implements Element.
func (*FirewallRuleGroup) Type() string { return TypeFirewallRuleGroup }

// FirewallDomainList is a DNS Firewall domain list.
type FirewallDomainList struct {
	Meta
	Domains []string `json:"domains,omitempty"`
}

// Type implements Element.
func (*FirewallDomainList) Type() string { return TypeFirewallDomainList }

// FirewallRuleGroupAssociation associates a DNS Firewall rule group with a VPC.
type FirewallRuleGroupAssociation struct {
	Meta
	FirewallRuleGroupID string `json:"firewallRuleGroupId"`
	VPCID               string `json:"vpcId"`
	Priority            int    `json:"priority"`
	Status              string `json:"status,omitempty"`
}

// Type implements Element.
func (*FirewallRuleGroupAssociation) Type() string { return TypeFirewallRuleGroupAssoc }
