package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Protocol is an IP protocol number; ProtoAll (-1) means every protocol.
type Protocol int16

// Protocols with their own port or ICMP semantics.
const (
	ProtoAll    Protocol = -1
	ProtoICMP   Protocol = 1
	ProtoTCP    Protocol = 6
	ProtoUDP    Protocol = 17
	ProtoICMPv6 Protocol = 58
)

// ParseProtocol reads the forms AWS uses: "-1", "all", "tcp", "udp",
// "icmp", "icmpv6", or a protocol number.
func ParseProtocol(s string) (Protocol, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-1", "all", "any", "":
		return ProtoAll, nil
	case "tcp":
		return ProtoTCP, nil
	case "udp":
		return ProtoUDP, nil
	case "icmp":
		return ProtoICMP, nil
	case "icmpv6", "58":
		return ProtoICMPv6, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < -1 || n > 255 {
		return 0, fmt.Errorf("protocol %q: want tcp, udp, icmp, icmpv6, -1 or a number 0-255", s)
	}
	return Protocol(n), nil
}

// String renders the protocol as cli.md's JSON does: tcp, udp, icmp,
// icmpv6, all, or the number.
func (p Protocol) String() string {
	switch p {
	case ProtoAll:
		return "all"
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	case ProtoICMP:
		return "icmp"
	case ProtoICMPv6:
		return "icmpv6"
	}
	return strconv.Itoa(int(p))
}

// HasPorts reports whether the protocol carries ports (tcp and udp).
func (p Protocol) HasPorts() bool { return p == ProtoTCP || p == ProtoUDP }

// IsICMP reports whether the protocol is ICMP or ICMPv6 (types and codes).
func (p Protocol) IsICMP() bool { return p == ProtoICMP || p == ProtoICMPv6 }

// PortRange is an inclusive range of ports, or for ICMP of types.
type PortRange struct {
	From uint16 `json:"from"`
	To   uint16 `json:"to"`
}

// AllPorts is 0-65535.
var AllPorts = PortRange{0, 65535}

// Ephemeral is the client port range a reply goes back to when the client's
// source port is not given (NACL return rules must allow it).
var Ephemeral = PortRange{1024, 65535}

// Contains reports whether p is in the range.
func (r PortRange) Contains(p uint16) bool { return r.From <= p && p <= r.To }

// IsAll reports whether the range covers every port.
func (r PortRange) IsAll() bool { return r.From == 0 && r.To == 65535 }

func (r PortRange) String() string {
	if r.From == r.To {
		return strconv.Itoa(int(r.From))
	}
	if r.IsAll() {
		return "all"
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// ICMPMatch selects ICMP messages: Type -1 means every type, Code -1 every
// code of the type.
type ICMPMatch struct {
	Type int16 `json:"type"`
	Code int16 `json:"code"`
}

// AnyICMP matches every ICMP type and code.
var AnyICMP = ICMPMatch{-1, -1}

// Matches reports whether the message (type, code) is selected.
func (m ICMPMatch) Matches(typ, code int16) bool {
	return (m.Type < 0 || m.Type == typ) && (m.Code < 0 || m.Code == code)
}
