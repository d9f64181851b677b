package model

import "net/netip"

// ClientVPNTargetNetwork is a subnet associated with a Client VPN endpoint.
type ClientVPNTargetNetwork struct {
	AssociationID string `json:"associationId,omitempty"`
	SubnetID      string `json:"subnetId"`
	VPCID         string `json:"vpcId,omitempty"`
	Status        string `json:"status,omitempty"`
	Origin        Origin `json:"origin"`
}

// ClientVPNRoute is one route of a Client VPN endpoint's route table.
type ClientVPNRoute struct {
	Destination  netip.Prefix `json:"destination"`
	TargetSubnet string       `json:"targetSubnet"`   // subnet ID, or "local" for client-to-client
	Type         string       `json:"type,omitempty"` // Nat, Local, ...
	Status       string       `json:"status,omitempty"`
	Origin       Origin       `json:"origin"`
}

// ClientVPNAuthorizationRule lets users (all, or one group) reach a CIDR.
type ClientVPNAuthorizationRule struct {
	Destination netip.Prefix `json:"destination"`
	AccessAll   bool         `json:"accessAll"`
	GroupID     string       `json:"groupId,omitempty"`
	Status      string       `json:"status,omitempty"`
	Origin      Origin       `json:"origin"`
}

// ClientVPNEndpoint is an AWS Client VPN endpoint.
type ClientVPNEndpoint struct {
	Meta
	ClientCIDR netip.Prefix `json:"clientCidr"`
	// DNSServers are pushed to clients (0-2); none means the device keeps its own.
	DNSServers         []netip.Addr                 `json:"dnsServers,omitempty"`
	SplitTunnel        bool                         `json:"splitTunnel"`
	VPCID              string                       `json:"vpcId,omitempty"`
	SecurityGroupIDs   []string                     `json:"securityGroupIds,omitempty"`
	TransportProtocol  string                       `json:"transportProtocol"` // udp (default) or tcp
	VPNPort            uint16                       `json:"vpnPort"`           // 443 (default) or 1194
	DNSName            string                       `json:"dnsName,omitempty"`
	Status             string                       `json:"status,omitempty"`
	TargetNetworks     []ClientVPNTargetNetwork     `json:"targetNetworks,omitempty"`
	Routes             []ClientVPNRoute             `json:"routes,omitempty"`
	AuthorizationRules []ClientVPNAuthorizationRule `json:"authorizationRules,omitempty"`
}

// Type implements Element.
func (*ClientVPNEndpoint) Type() string { return TypeClientVPNEndpoint }
