package model

import "net/netip"

// PeerKind says what an SG rule's peer is.
type PeerKind string

// SG peer kinds.
const (
	PeerCIDR          PeerKind = "cidr"
	PeerPrefixList    PeerKind = "prefix-list"
	PeerSecurityGroup PeerKind = "security-group"
	// PeerUnknown is a peer the sources could not fix; analyses read it as
	// "any address" and answer possibly-reachable.
	PeerUnknown PeerKind = "unknown"
)

// Peer is the other side of a security-group rule.
type Peer struct {
	Kind PeerKind     `json:"kind"`
	CIDR netip.Prefix `json:"cidr,omitempty"`
	// ID is the prefix list or security group ID.
	ID string `json:"id,omitempty"`
	// Account and VPCID qualify a referenced group in another account or a
	// peered VPC.
	Account string `json:"account,omitempty"`
	VPCID   string `json:"vpcId,omitempty"`
	// Unknown says why the peer is unknown (PeerUnknown).
	Unknown string `json:"unknown,omitempty"`
	// Candidates, for an unknown peer, are the CIDRs it may be (a template
	// parameter's AllowedValues): the peer is one of them.
	Candidates []netip.Prefix `json:"candidates,omitempty"`
}

// SGRule is one normalised security-group rule: protocol, port or ICMP range, peer.
type SGRule struct {
	Egress   bool     `json:"egress"`
	Protocol Protocol `json:"protocol"`
	// Ports applies to tcp and udp; all other protocols ignore it.
	Ports PortRange `json:"ports"`
	// ICMP applies to icmp and icmpv6.
	ICMP        ICMPMatch `json:"icmp"`
	Peer        Peer      `json:"peer"`
	Description string    `json:"description,omitempty"`
	// RuleID is the AWS rule ID (sgr-…) when known.
	RuleID string `json:"ruleId,omitempty"`
	// Default marks a rule AWS added and the source did not state (the
	// allow-all egress of a new group).
	Default bool `json:"default,omitempty"`
	// PortsIgnored marks a rule whose source gave a port range that AWS
	// ignores: protocol -1, or a protocol other than tcp, udp, icmp and
	// icmpv6 (R8.6). Ports then holds AllPorts.
	PortsIgnored bool   `json:"portsIgnored,omitempty"`
	Origin       Origin `json:"origin"`
}

// SecurityGroup is a VPC security group.
type SecurityGroup struct {
	Meta
	GroupName   string   `json:"groupName,omitempty"`
	Description string   `json:"description,omitempty"`
	VPCID       string   `json:"vpcId"`
	OwnerID     string   `json:"ownerId,omitempty"`
	Ingress     []SGRule `json:"ingress"`
	Egress      []SGRule `json:"egress"`
}

// Type implements Element.
func (*SecurityGroup) Type() string { return TypeSecurityGroup }

// IsDefault reports whether the group is its VPC's default group.
func (sg *SecurityGroup) IsDefault() bool { return sg.GroupName == "default" }

// NACLAction is allow or deny.
type NACLAction string

// NACL actions.
const (
	NACLAllow NACLAction = "allow"
	NACLDeny  NACLAction = "deny"
)

// NACLEntry is one numbered network ACL rule. Rule number 32767 is the
// final "*" deny.
type NACLEntry struct {
	RuleNumber int          `json:"ruleNumber"`
	Egress     bool         `json:"egress"`
	Protocol   Protocol     `json:"protocol"`
	Action     NACLAction   `json:"action"`
	CIDR       netip.Prefix `json:"cidr"` // IPv4 or IPv6
	// CIDRUnknown says why the CIDR is unknown; such an entry matches any
	// address and makes the verdict possibly-reachable.
	CIDRUnknown string    `json:"cidrUnknown,omitempty"`
	Ports       PortRange `json:"ports"`
	ICMP        ICMPMatch `json:"icmp"`
	Origin      Origin    `json:"origin"`
}

// NetworkACL is a stateless subnet filter.
type NetworkACL struct {
	Meta
	VPCID     string `json:"vpcId"`
	IsDefault bool   `json:"isDefault,omitempty"`
	// Entries in both directions, sorted by rule number by Finalize.
	Entries []NACLEntry `json:"entries"`
	// SubnetIDs are the subnets explicitly associated with the ACL.
	SubnetIDs []string `json:"subnetIds,omitempty"`
}

// Type implements Element.
func (*NetworkACL) Type() string { return TypeNetworkACL }
