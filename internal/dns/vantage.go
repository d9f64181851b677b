package dns

import (
	"fmt"
	"net/netip"

	"github.com/vpcreach/vpcreach/internal/model"
)

// VantageKind says where a query starts.
type VantageKind string

// Vantage kinds.
const (
	FromENI    VantageKind = "eni"
	FromSubnet VantageKind = "subnet"
	FromVPC    VantageKind = "vpc"
	// FromInboundEndpoint is a query from on-premises arriving at a Resolver
	// inbound endpoint (R2.9).
	FromInboundEndpoint VantageKind = "resolver-inbound-endpoint"
	// FromClientVPN is a Client VPN client; the caller fills Servers (R6.1).
	FromClientVPN VantageKind = "client-vpn"
	// FromOnPremises is the on-premises side of an inbound endpoint query,
	// as passed to a Reacher.
	FromOnPremises VantageKind = "on-premises"
)

// Candidate is one DNS server a client would try, in order.
type Candidate struct {
	Addr netip.Addr
	// Kind is one of the server kinds; empty lets the resolver classify
	// the address.
	Kind string
}

// Vantage is where a query starts.
type Vantage struct {
	Kind VantageKind
	// Ref is what the user named (an ID, a logical ID, ...).
	Ref    string
	VPC    *model.VPC
	Subnet *model.Subnet
	ENI    *model.NetworkInterface
	// Addr is the source address when known.
	Addr netip.Addr
	// Element is the resource named by Ref (instance, endpoint, ...).
	Element model.Element
	// InboundEndpoint is set for FromInboundEndpoint.
	InboundEndpoint *model.ResolverEndpoint
	// Servers, when not nil, replaces the DHCP option set's server list: a
	// Client VPN client's pushed or device DNS servers (R6.1). Each is tried
	// in order through the Reacher; the first reachable one answers.
	Servers []Candidate
}

// VPCID returns the vantage's VPC ID, or "".
func (v Vantage) VPCID() string {
	if v.VPC != nil {
		return v.VPC.ID
	}
	return ""
}

// String names the vantage for traces.
func (v Vantage) String() string {
	switch {
	case v.Kind == FromClientVPN && v.Ref != "":
		return v.Ref // the endpoint, not its VPC
	case v.ENI != nil:
		return v.ENI.ID
	case v.InboundEndpoint != nil:
		return v.InboundEndpoint.ID
	case v.Subnet != nil:
		return v.Subnet.ID
	case v.VPC != nil:
		return v.VPC.ID
	}
	return v.Ref
}

// VantageFor turns a REF (cli.md) into a vantage: an instance or ENI (its
// subnet and VPC), a subnet, a VPC, or a Resolver inbound endpoint. An IP
// address names the ENI that holds it. A Client VPN endpoint needs the
// client's settings, which the caller supplies through Vantage.Servers.
func VantageFor(n *model.Network, ref string) (Vantage, error) {
	v := Vantage{Ref: ref}
	if a, err := netip.ParseAddr(ref); err == nil {
		enis := n.InterfacesByAddress(a)
		switch len(enis) {
		case 0:
			return v, fmt.Errorf("--from %s: no network interface in the sources holds this address", ref)
		case 1:
			return eniVantage(n, v, enis[0], a)
		default:
			return v, fmt.Errorf("--from %s: %d network interfaces hold this address (overlapping VPCs); name one by ID", ref, len(enis))
		}
	}
	e, ok := n.Lookup(ref)
	if !ok {
		return v, fmt.Errorf("--from %s: no such resource in the sources", ref)
	}
	v.Element = e
	switch x := e.(type) {
	case *model.NetworkInterface:
		a, _ := x.PrimaryIP()
		return eniVantage(n, v, x, a)
	case *model.Instance:
		if len(x.NetworkInterfaceIDs) > 0 {
			if eni, ok := n.NetworkInterfaces.Get(x.NetworkInterfaceIDs[0]); ok {
				a, _ := eni.PrimaryIP()
				if x.PrivateIP.IsValid() {
					a = x.PrivateIP
				}
				return eniVantage(n, v, eni, a)
			}
		}
		if x.SubnetID == "" {
			return v, fmt.Errorf("--from %s: the instance's subnet is not in the sources", ref)
		}
		s, ok := n.Subnets.Get(x.SubnetID)
		if !ok {
			return v, fmt.Errorf("--from %s: subnet %s is not in the sources", ref, x.SubnetID)
		}
		v.Kind, v.Subnet, v.Addr = FromSubnet, s, x.PrivateIP
		return withVPC(n, v, s.VPCID)
	case *model.Subnet:
		v.Kind, v.Subnet = FromSubnet, x
		return withVPC(n, v, x.VPCID)
	case *model.VPC:
		v.Kind, v.VPC = FromVPC, x
		return v, nil
	case *model.ResolverEndpoint:
		if !x.IsInbound() {
			return v, fmt.Errorf("--from %s: an outbound Resolver endpoint sends queries, it does not receive them; name an inbound endpoint", ref)
		}
		v.Kind, v.InboundEndpoint = FromInboundEndpoint, x
		if len(x.IPAddresses) > 0 {
			ip := x.IPAddresses[0]
			v.Addr = ip.IP
			if s, ok := n.Subnets.Get(ip.SubnetID); ok {
				v.Subnet = s
			}
			if ip.NetworkInterfaceID != "" {
				v.ENI, _ = n.NetworkInterfaces.Get(ip.NetworkInterfaceID)
			}
		}
		return withVPC(n, v, x.VPCID)
	case *model.ClientVPNEndpoint:
		// The endpoint's DNS servers, else the device's own (R6.1): an
		// empty, non-nil list until the caller supplies them.
		v.Kind = FromClientVPN
		v.Servers = []Candidate{}
		for _, a := range x.DNSServers {
			v.Servers = append(v.Servers, Candidate{Addr: a})
		}
		if x.VPCID != "" {
			return withVPC(n, v, x.VPCID)
		}
		return v, nil
	}
	return v, fmt.Errorf("--from %s: a %s cannot send DNS queries; name an instance, ENI, subnet, VPC or Resolver inbound endpoint", ref, e.Type())
}

func eniVantage(n *model.Network, v Vantage, eni *model.NetworkInterface, a netip.Addr) (Vantage, error) {
	v.Kind, v.ENI, v.Addr = FromENI, eni, a
	if s, ok := n.Subnets.Get(eni.SubnetID); ok {
		v.Subnet = s
		if eni.VPCID == "" {
			return withVPC(n, v, s.VPCID)
		}
	}
	return withVPC(n, v, eni.VPCID)
}

func withVPC(n *model.Network, v Vantage, vpcID string) (Vantage, error) {
	vpc, ok := n.VPCs.Get(vpcID)
	if !ok {
		return v, fmt.Errorf("--from %s: VPC %q is not in the sources", v.Ref, vpcID)
	}
	v.VPC = vpc
	return v, nil
}
