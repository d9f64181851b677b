package model

import "net/netip"

// TargetKind is what a route sends traffic to.
type TargetKind string

// Route target kinds. Carrier and local gateways (Wavelength, Outposts) and
// core networks are kept as TargetUnmodelled so analyses answer
// possibly-reachable for traffic routed there.
const (
	TargetLocal            TargetKind = "local"
	TargetInternetGateway  TargetKind = "internet-gateway"
	TargetEgressOnlyIGW    TargetKind = "egress-only-internet-gateway"
	TargetNATGateway       TargetKind = "nat-gateway"
	TargetPeering          TargetKind = "vpc-peering-connection"
	TargetTransitGateway   TargetKind = "transit-gateway"
	TargetVPNGateway       TargetKind = "vpn-gateway"
	TargetNetworkInterface TargetKind = "network-interface"
	TargetInstance         TargetKind = "instance"
	TargetGatewayEndpoint  TargetKind = "vpc-endpoint" // gateway endpoint (prefix-list route) or GWLB endpoint
	TargetUnmodelled       TargetKind = "unmodelled"   // carrier/local gateway, core network, ...
	TargetUnknown          TargetKind = "unknown"      // the source could not tell
)

// RouteState is active or blackhole.
type RouteState string

// Route states.
const (
	RouteActive    RouteState = "active"
	RouteBlackhole RouteState = "blackhole"
)

// Route is one entry of a VPC route table. Exactly one of Destination,
// DestinationIPv6 or DestinationPrefixListID is set, unless the destination
// is unknown (then DestinationUnknown holds why).
type Route struct {
	Destination             netip.Prefix `json:"destination,omitempty"`
	DestinationPrefixListID string       `json:"destinationPrefixListId,omitempty"`
	DestinationUnknown      string       `json:"destinationUnknown,omitempty"`
	TargetKind              TargetKind   `json:"targetKind"`
	TargetID                string       `json:"targetId,omitempty"`
	// TargetUnmodelledType names the AWS target field for unmodelled targets
	// (CarrierGatewayId, LocalGatewayId, CoreNetworkArn, ...).
	TargetUnmodelledType string     `json:"targetUnmodelledType,omitempty"`
	State                RouteState `json:"state"`
	// Firewall is set when the target is one of a Network Firewall's
	// endpoints that the source names only through the firewall (a
	// template's !GetAtt Firewall.EndpointIds); TargetKind is then
	// vpc-endpoint and TargetID "". A snapshot's route names the endpoint
	// in TargetID and leaves this nil (Network.FirewallByEndpoint).
	Firewall *RouteFirewallTarget `json:"firewall,omitempty"`
	// Origin of the route in AWS terms: CreateRouteTable, CreateRoute,
	// EnableVgwRoutePropagation.
	CreatedBy string `json:"createdBy,omitempty"`
	Origin    Origin `json:"origin"`
}

// RouteTableAssociation binds a route table to a subnet, a gateway (edge
// association: IGW or VGW), or marks it main.
type RouteTableAssociation struct {
	ID        string `json:"id,omitempty"`
	SubnetID  string `json:"subnetId,omitempty"`
	GatewayID string `json:"gatewayId,omitempty"`
	Main      bool   `json:"main,omitempty"`
	Origin    Origin `json:"origin"`
}

// RouteTable is a VPC route table.
type RouteTable struct {
	Meta
	VPCID        string                  `json:"vpcId"`
	Routes       []Route                 `json:"routes"`
	Associations []RouteTableAssociation `json:"associations,omitempty"`
}

// Type implements Element.
func (*RouteTable) Type() string { return TypeRouteTable }

// IsMain reports whether the table is its VPC's main route table.
func (rt *RouteTable) IsMain() bool {
	for _, a := range rt.Associations {
		if a.Main {
			return true
		}
	}
	return false
}
