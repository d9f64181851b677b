package model

import "net/netip"

// InternetGateway connects VPCs to the internet.
type InternetGateway struct {
	Meta
	// VPCIDs are the attached VPCs (at most one in AWS).
	VPCIDs []string `json:"vpcIds"`
}

// Type implements Element.
func (*InternetGateway) Type() string { return TypeInternetGateway }

// EgressOnlyInternetGateway lets IPv6 traffic out, never in.
type EgressOnlyInternetGateway struct {
	Meta
	VPCIDs []string `json:"vpcIds"`
}

// Type implements Element.
func (*EgressOnlyInternetGateway) Type() string { return TypeEgressOnlyIGW }

// NATAddress is one address of a NAT gateway.
type NATAddress struct {
	PrivateIP          netip.Addr `json:"privateIp,omitempty"`
	PublicIP           netip.Addr `json:"publicIp,omitempty"`
	AllocationID       string     `json:"allocationId,omitempty"`
	NetworkInterfaceID string     `json:"networkInterfaceId,omitempty"`
}

// NATGateway translates sources for outbound connections.
type NATGateway struct {
	Meta
	VPCID    string `json:"vpcId"`
	SubnetID string `json:"subnetId"`
	// ConnectivityType is "public" (default) or "private".
	ConnectivityType string       `json:"connectivityType"`
	State            string       `json:"state,omitempty"`
	Addresses        []NATAddress `json:"addresses,omitempty"`
}

// Type implements Element.
func (*NATGateway) Type() string { return TypeNATGateway }

// IsPublic reports whether the NAT gateway translates to a public address.
func (n *NATGateway) IsPublic() bool { return n.ConnectivityType != "private" }

// ElasticIP is an allocated address, possibly associated.
type ElasticIP struct {
	Meta
	PublicIP           netip.Addr `json:"publicIp,omitempty"`
	AllocationID       string     `json:"allocationId,omitempty"`
	AssociationID      string     `json:"associationId,omitempty"`
	InstanceID         string     `json:"instanceId,omitempty"`
	NetworkInterfaceID string     `json:"networkInterfaceId,omitempty"`
	PrivateIP          netip.Addr `json:"privateIp,omitempty"`
}

// Type implements Element.
func (*ElasticIP) Type() string { return TypeEIP }

// PeeringSide is one end of a peering connection.
type PeeringSide struct {
	VPCID     string         `json:"vpcId"`
	Account   string         `json:"account,omitempty"`
	Region    string         `json:"region,omitempty"`
	CIDRs     []netip.Prefix `json:"cidrs,omitempty"`
	IPv6CIDRs []netip.Prefix `json:"ipv6Cidrs,omitempty"`
	// AllowDNSResolutionFromRemoteVPC is this side's peering DNS option (R3.5).
	AllowDNSResolutionFromRemoteVPC bool `json:"allowDnsResolutionFromRemoteVpc,omitempty"`
}

// PeeringConnection is a VPC peering connection: not transitive.
type PeeringConnection struct {
	Meta
	Requester PeeringSide `json:"requester"`
	Accepter  PeeringSide `json:"accepter"`
	// Status is AWS's status code: active, pending-acceptance, deleted, ...
	Status string `json:"status"`
}

// Type implements Element.
func (*PeeringConnection) Type() string { return TypePeering }

// IsActive reports whether traffic can flow.
func (p *PeeringConnection) IsActive() bool { return p.Status == "" || p.Status == "active" }

// Side returns this VPC's side and the remote side; ok is false when the
// VPC is not an end of the connection.
func (p *PeeringConnection) Side(vpcID string) (local, remote PeeringSide, ok bool) {
	switch vpcID {
	case p.Requester.VPCID:
		return p.Requester, p.Accepter, true
	case p.Accepter.VPCID:
		return p.Accepter, p.Requester, true
	}
	return PeeringSide{}, PeeringSide{}, false
}

// TransitGateway is a regional router between attachments.
type TransitGateway struct {
	Meta
	OwnerID                        string `json:"ownerId,omitempty"`
	State                          string `json:"state,omitempty"`
	DefaultRouteTableAssociation   bool   `json:"defaultRouteTableAssociation,omitempty"`
	DefaultRouteTablePropagation   bool   `json:"defaultRouteTablePropagation,omitempty"`
	AssociationDefaultRouteTableID string `json:"associationDefaultRouteTableId,omitempty"`
	PropagationDefaultRouteTableID string `json:"propagationDefaultRouteTableId,omitempty"`
	DNSSupport                     bool   `json:"dnsSupport,omitempty"`
	// SecurityGroupReferencingSupport is AWS's option, "enable" or
	// "disable"; "" when the sources do not say.
	SecurityGroupReferencingSupport string `json:"securityGroupReferencingSupport,omitempty"`
}

// Type implements Element.
func (*TransitGateway) Type() string { return TypeTransitGateway }

// TGWAttachment connects a VPC, VPN, Direct Connect gateway or peer TGW.
type TGWAttachment struct {
	Meta
	TransitGatewayID string `json:"transitGatewayId"`
	// ResourceType is vpc, vpn, direct-connect-gateway, peering, connect, ...
	ResourceType    string `json:"resourceType"`
	ResourceID      string `json:"resourceId,omitempty"`
	ResourceOwnerID string `json:"resourceOwnerId,omitempty"`
	// SubnetIDs are the VPC attachment's subnets, one per AZ.
	SubnetIDs []string `json:"subnetIds,omitempty"`
	// AssociatedRouteTableID is the TGW route table that routes traffic
	// arriving from this attachment.
	AssociatedRouteTableID string `json:"associatedRouteTableId,omitempty"`
	State                  string `json:"state,omitempty"`
	ApplianceModeSupport   bool   `json:"applianceModeSupport,omitempty"`
	// SecurityGroupReferencingSupport is a VPC attachment's option,
	// "enable" or "disable"; "" when the sources do not say.
	SecurityGroupReferencingSupport string `json:"securityGroupReferencingSupport,omitempty"`
	// PeerTransitGatewayID is the remote TGW of a peering attachment.
	PeerTransitGatewayID string `json:"peerTransitGatewayId,omitempty"`
}

// Type implements Element.
func (*TGWAttachment) Type() string { return TypeTGWAttachment }

// TGWRoute is one route of a transit gateway route table.
type TGWRoute struct {
	Destination             netip.Prefix `json:"destination,omitempty"`
	DestinationPrefixListID string       `json:"destinationPrefixListId,omitempty"`
	// AttachmentIDs are the next hops (several for ECMP over VPN).
	AttachmentIDs []string   `json:"attachmentIds,omitempty"`
	Type          string     `json:"type"` // static or propagated
	State         RouteState `json:"state"`
	Origin        Origin     `json:"origin"`
}

// TGWRouteTable is a transit gateway route table.
type TGWRouteTable struct {
	Meta
	TransitGatewayID string     `json:"transitGatewayId"`
	Routes           []TGWRoute `json:"routes"`
	// AssociationIDs and PropagationIDs are attachment IDs.
	AssociationIDs     []string `json:"associationIds,omitempty"`
	PropagationIDs     []string `json:"propagationIds,omitempty"`
	DefaultAssociation bool     `json:"defaultAssociation,omitempty"`
	DefaultPropagation bool     `json:"defaultPropagation,omitempty"`
}

// Type implements Element.
func (*TGWRouteTable) Type() string { return TypeTGWRouteTable }

// VPNGateway is a virtual private gateway.
type VPNGateway struct {
	Meta
	VPCIDs []string `json:"vpcIds"`
	State  string   `json:"state,omitempty"`
	ASN    int64    `json:"asn,omitempty"`
}

// Type implements Element.
func (*VPNGateway) Type() string { return TypeVPNGateway }

// VPNConnection is a site-to-site VPN to a customer gateway.
type VPNConnection struct {
	Meta
	VPNGatewayID      string `json:"vpnGatewayId,omitempty"`
	TransitGatewayID  string `json:"transitGatewayId,omitempty"`
	CustomerGatewayID string `json:"customerGatewayId,omitempty"`
	State             string `json:"state,omitempty"`
	StaticRoutesOnly  bool   `json:"staticRoutesOnly,omitempty"`
	// Routes are the static routes toward on-premises.
	Routes []netip.Prefix `json:"routes,omitempty"`
	// TunnelOutsideIPs are the AWS tunnel endpoints.
	TunnelOutsideIPs []netip.Addr `json:"tunnelOutsideIps,omitempty"`
}

// Type implements Element.
func (*VPNConnection) Type() string { return TypeVPNConnection }

// CustomerGateway is the on-premises end of a VPN.
type CustomerGateway struct {
	Meta
	IPAddress netip.Addr `json:"ipAddress,omitempty"`
	ASN       int64      `json:"asn,omitempty"`
}

// Type implements Element.
func (*CustomerGateway) Type() string { return TypeCustomerGateway }

// DirectConnectGateway joins virtual interfaces to VGWs or TGWs.
type DirectConnectGateway struct {
	Meta
	ASN int64 `json:"asn,omitempty"`
	// AssociatedGatewayIDs are the VGWs/TGWs it is associated with.
	AssociatedGatewayIDs []string `json:"associatedGatewayIds,omitempty"`
	// AllowedPrefixes are the prefixes advertised to on-premises.
	AllowedPrefixes []netip.Prefix `json:"allowedPrefixes,omitempty"`
}

// Type implements Element.
func (*DirectConnectGateway) Type() string { return TypeDirectConnectGateway }

// VirtualInterface is a Direct Connect virtual interface.
type VirtualInterface struct {
	Meta
	InterfaceType          string         `json:"interfaceType,omitempty"` // private, public, transit
	VirtualGatewayID       string         `json:"virtualGatewayId,omitempty"`
	DirectConnectGatewayID string         `json:"directConnectGatewayId,omitempty"`
	State                  string         `json:"state,omitempty"`
	AmazonAddress          netip.Prefix   `json:"amazonAddress,omitempty"`
	CustomerAddress        netip.Prefix   `json:"customerAddress,omitempty"`
	RouteFilterPrefixes    []netip.Prefix `json:"routeFilterPrefixes,omitempty"`
}

// Type implements Element.
func (*VirtualInterface) Type() string { return TypeVirtualInterface }

// EndpointDNSEntry is one DNS name of an interface endpoint.
type EndpointDNSEntry struct {
	DNSName      string `json:"dnsName"`
	HostedZoneID string `json:"hostedZoneId,omitempty"`
}

// VPCEndpoint is a gateway, interface or Gateway Load Balancer endpoint.
type VPCEndpoint struct {
	Meta
	// EndpointType is Gateway, Interface or GatewayLoadBalancer.
	EndpointType string `json:"endpointType"`
	ServiceName  string `json:"serviceName"`
	VPCID        string `json:"vpcId"`
	State        string `json:"state,omitempty"`
	// RouteTableIDs (gateway endpoints) get a route to the service prefix list.
	RouteTableIDs []string `json:"routeTableIds,omitempty"`
	// SubnetIDs and NetworkInterfaceIDs (interface endpoints).
	SubnetIDs           []string `json:"subnetIds,omitempty"`
	NetworkInterfaceIDs []string `json:"networkInterfaceIds,omitempty"`
	SecurityGroupIDs    []string `json:"securityGroupIds,omitempty"`
	PrivateDNSEnabled   Flag     `json:"privateDnsEnabled"`
	// PrivateDNSName is the service's private DNS name (e.g.
	// ssm.us-east-1.amazonaws.com) when known.
	PrivateDNSName string             `json:"privateDnsName,omitempty"`
	DNSEntries     []EndpointDNSEntry `json:"dnsEntries,omitempty"`
	// PrivateDNSOnlyForInboundResolverEndpoint is R4.5's option.
	PrivateDNSOnlyForInboundResolverEndpoint bool `json:"privateDnsOnlyForInboundResolverEndpoint,omitempty"`
	// PrefixListID is the gateway endpoint service's managed prefix list.
	PrefixListID string `json:"prefixListId,omitempty"`
}

// Type implements Element.
func (*VPCEndpoint) Type() string { return TypeVPCEndpoint }

// PrefixList is a managed prefix list (AWS-managed or customer).
type PrefixList struct {
	Meta
	PrefixListName string         `json:"prefixListName,omitempty"`
	AddressFamily  string         `json:"addressFamily,omitempty"`
	OwnerID        string         `json:"ownerId,omitempty"`
	Entries        []netip.Prefix `json:"entries"`
	// EntriesKnown is false when only the list's ID and name were read:
	// analyses treat its contents as unknown.
	EntriesKnown bool `json:"entriesKnown"`
}

// Type implements Element.
func (*PrefixList) Type() string { return TypePrefixList }
