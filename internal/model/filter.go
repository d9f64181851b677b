package model

import (
	"encoding/json"
	"net/netip"
	"strconv"
)

// PeerKind says what an SG rule's peer is. It is one byte, so that the
// millions of rules of a large organisation stay small; its text (in JSON
// and in messages) is its name.
type PeerKind uint8

// SG peer kinds. The zero PeerKind is no kind, written as "".
const (
	PeerCIDR PeerKind = iota + 1
	PeerPrefixList
	PeerSecurityGroup
	// PeerUnknown is a peer the sources could not fix; analyses read it as
	// "any address" and answer possibly-reachable.
	PeerUnknown
)

var peerKindNames = [...]string{"", "cidr", "prefix-list", "security-group", "unknown"}

// String returns the kind's name: cidr, prefix-list, security-group or
// unknown ("" for the zero kind).
func (k PeerKind) String() string {
	if int(k) < len(peerKindNames) {
		return peerKindNames[k]
	}
	return "PeerKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText writes the kind's name.
func (k PeerKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Peer is the other side of a security-group rule.
//
// What only some peers have (a referenced group's account and VPC, an
// unknown peer's reason and candidates) is held behind one pointer, read
// with the methods of the same names and set with the constructors and
// With methods: a CIDR rule, by far the most common, does not carry it.
// A Peer is a value: the methods that change it return a new one and never
// touch what another copy shares.
type Peer struct {
	// CIDR is the peer of a CIDR rule.
	CIDR netip.Prefix
	// ID is the prefix list or security group ID.
	ID   string
	more *peerMore
	Kind PeerKind
}

// peerMore is what only some peers have.
type peerMore struct {
	account, vpcID, unknown string
	candidates              []netip.Prefix
}

// GroupPeer is a reference to the security group id, qualified by the
// account and the peered VPC it is in when they are given.
func GroupPeer(id, account, vpcID string) Peer {
	p := Peer{Kind: PeerSecurityGroup, ID: id}
	if account != "" || vpcID != "" {
		p.more = &peerMore{account: account, vpcID: vpcID}
	}
	return p
}

// UnknownPeer is a peer the sources could not fix, with why.
func UnknownPeer(why string) Peer {
	return Peer{Kind: PeerUnknown, more: &peerMore{unknown: why}}
}

// Account is the account of a referenced group, when the rule names one.
func (p Peer) Account() string {
	if p.more == nil {
		return ""
	}
	return p.more.account
}

// VPCID is the peered VPC of a referenced group, when the rule names one.
func (p Peer) VPCID() string {
	if p.more == nil {
		return ""
	}
	return p.more.vpcID
}

// Unknown says why the peer is unknown (PeerUnknown).
func (p Peer) Unknown() string {
	if p.more == nil {
		return ""
	}
	return p.more.unknown
}

// Candidates, for an unknown peer, are the CIDRs it may be (a template
// parameter's AllowedValues): the peer is one of them.
func (p Peer) Candidates() []netip.Prefix {
	if p.more == nil {
		return nil
	}
	return p.more.candidates
}

// WithCandidates returns the peer with the CIDRs it may be.
func (p Peer) WithCandidates(cs []netip.Prefix) Peer {
	if len(cs) == 0 && p.more == nil {
		return p
	}
	m := p.moreCopy()
	m.candidates = cs
	p.more = m
	return p
}

// WithAccount returns the peer with the account of the group it references.
func (p Peer) WithAccount(account string) Peer {
	if account == "" && p.more == nil {
		return p
	}
	m := p.moreCopy()
	m.account = account
	p.more = m
	return p
}

func (p Peer) moreCopy() *peerMore {
	if p.more == nil {
		return &peerMore{}
	}
	m := *p.more
	return &m
}

// Describe names the peer as messages write it: its CIDR, its prefix list
// or group ID, or "an unknown peer" with why.
func (p Peer) Describe() string {
	switch p.Kind {
	case PeerCIDR:
		return p.CIDR.String()
	case PeerUnknown:
		if why := p.Unknown(); why != "" {
			return "an unknown peer (" + why + ")"
		}
		return "an unknown peer"
	}
	return p.ID
}

// peerJSON is a Peer as JSON: the fields it had when all were its own.
type peerJSON struct {
	Kind       PeerKind       `json:"kind"`
	CIDR       netip.Prefix   `json:"cidr,omitempty"`
	ID         string         `json:"id,omitempty"`
	Account    string         `json:"account,omitempty"`
	VPCID      string         `json:"vpcId,omitempty"`
	Unknown    string         `json:"unknown,omitempty"`
	Candidates []netip.Prefix `json:"candidates,omitempty"`
}

// MarshalJSON writes the peer with every field by name.
func (p Peer) MarshalJSON() ([]byte, error) {
	return json.Marshal(peerJSON{Kind: p.Kind, CIDR: p.CIDR, ID: p.ID, Account: p.Account(), VPCID: p.VPCID(),
		Unknown: p.Unknown(), Candidates: p.Candidates()})
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
