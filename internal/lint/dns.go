package lint

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// allowsDNSTo reports whether an egress rule may let udp/53 reach addr
// (an unknown peer or a prefix list counts as may).
func allowsDNSTo(r model.SGRule, addr netip.Addr) bool {
	if r.Protocol != model.ProtoAll && r.Protocol != model.ProtoUDP {
		return false
	}
	if r.Protocol == model.ProtoUDP && !r.Ports.Contains(53) {
		return false
	}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		if !addr.IsValid() {
			return isWorld(r.Peer.CIDR) || !isLoopback(r)
		}
		return r.Peer.CIDR.Contains(addr)
	case model.PeerSecurityGroup:
		return false
	default:
		return true
	}
}

// checkAmazonDNSEgress finds groups whose egress leaves out DNS: the Amazon
// DNS server answers their members anyway (R1.8), so the only way to
// control DNS is DNS Firewall.
func checkAmazonDNSEgress(n *model.Network, out *findings) {
	firewalled := map[string]bool{}
	for _, a := range n.FirewallAssociations.All() {
		firewalled[a.VPCID] = true
	}
	for _, sg := range n.SecurityGroups.All() {
		if _, egressUnknown := unknownAbout(&sg.Meta, "egress"); loopbackOnly(sg) || firewalled[sg.VPCID] || egressUnknown {
			continue
		}
		var resolver netip.Addr
		vpc, known := n.VPCs.Get(sg.VPCID)
		if known {
			if vpc.EnableDNSSupport == model.False {
				continue
			}
			resolver, _ = vpc.DNSServerAddr()
		}
		allowed := false
		for _, r := range sg.Egress {
			if allowsDNSTo(r, resolver) {
				allowed = true
				break
			}
		}
		if allowed {
			continue
		}
		at := "the Amazon DNS server (VPC base + 2, 169.254.169.253)"
		if resolver.IsValid() {
			at = fmt.Sprintf("the Amazon DNS server (%s, 169.254.169.253)", resolver)
		}
		uses := ""
		if known {
			switch amazonDNS(n, vpc) {
			case dnsCustom:
				// Members resolve through custom servers, which the group
				// does filter: the egress rules do stop their DNS.
				continue
			case dnsAmazon:
				uses = ", and use it for every name through AmazonProvidedDNS"
			}
		}
		out.add(RuleSGCannotBlockDNS, sg, sg.Origin,
			"%s allows no udp/53 egress to %s, but that does not stop DNS: security groups never filter that server, so members can still query it%s; use Route 53 Resolver DNS Firewall to control DNS",
			sg.Label(), at, uses)
	}
}

// dnsSource says where a VPC's instances send DNS queries by DHCP.
type dnsSource int

const (
	dnsUnknown dnsSource = iota // the option set is not in the sources
	dnsAmazon                   // AmazonProvidedDNS (the default set, or listed)
	dnsCustom                   // custom servers only
)

// amazonDNS tells which servers the VPC's DHCP options hand out (R7.1,
// R7.2). A template VPC without an association gets the region's default
// set (AmazonProvidedDNS, model.DHCPOptionsDefault); a snapshot's
// "no DHCP options" is model.DHCPOptionsNone.
func amazonDNS(n *model.Network, vpc *model.VPC) dnsSource {
	switch {
	case vpc.DHCPOptionsID == model.DHCPOptionsDefault:
		return dnsAmazon
	case fromTemplate(vpc) && vpc.DHCPOptionsID == "":
		return dnsAmazon
	case vpc.DHCPOptionsID == "" || vpc.DHCPOptionsID == model.DHCPOptionsNone:
		return dnsUnknown
	}
	d, ok := n.DHCPOptions.Get(vpc.DHCPOptionsID)
	if !ok {
		return dnsUnknown
	}
	for _, s := range d.DomainNameServers {
		if strings.EqualFold(s, "AmazonProvidedDNS") {
			return dnsAmazon
		}
	}
	if len(d.DomainNameServers) == 0 {
		return dnsUnknown
	}
	return dnsCustom
}

// checkDNSAttributes finds interface endpoints with private DNS and private
// hosted zones in VPCs whose DNS attributes are off (R1.7, R4.2).
func checkDNSAttributes(n *model.Network, out *findings) {
	off := func(v *model.VPC) string {
		var attrs []string
		if v.EnableDNSSupport == model.False {
			attrs = append(attrs, "enableDnsSupport")
		}
		if v.EnableDNSHostnames == model.False {
			attrs = append(attrs, "enableDnsHostnames")
		}
		return strings.Join(attrs, " and ")
	}
	for _, e := range n.VPCEndpoints.All() {
		if !strings.EqualFold(e.EndpointType, "Interface") || !e.PrivateDNSEnabled.IsTrue() {
			continue
		}
		v, ok := n.VPCs.Get(e.VPCID)
		if !ok {
			continue
		}
		if attrs := off(v); attrs != "" {
			name := e.PrivateDNSName
			if name == "" {
				name = e.ServiceName
			}
			out.add(RuleDNSAttributesOff, e, e.Origin,
				"%s has private DNS enabled for %s, but %s of %s is false: the name resolves to the public service addresses",
				e.Label(), name, attrs, v.Label())
		}
	}
	for _, z := range n.HostedZones.All() {
		if !z.Private {
			continue
		}
		for _, zv := range z.VPCs {
			v, ok := n.VPCs.Get(zv.VPCID)
			if !ok {
				continue
			}
			if attrs := off(v); attrs != "" {
				out.add(RuleDNSAttributesOff, z, z.Origin,
					"private hosted zone %s is associated with %s, whose %s is false: the zone does not answer there",
					z.ZoneName, v.Label(), attrs)
			}
		}
	}
}

// checkDHCPServers finds custom DNS servers of DHCP option sets that a
// subnet cannot query: the path engine follows udp/53 and tcp/53 from any
// host of the subnet (routes, network ACLs, the replies), then from the
// subnet's instances, whose security groups and the server's may stop the
// queries too.
func checkDHCPServers(n *model.Network, out *findings) {
	for _, v := range n.VPCs.All() {
		if v.DHCPOptionsID == "" || v.DHCPOptionsID == model.DHCPOptionsDefault || v.DHCPOptionsID == model.DHCPOptionsNone {
			continue
		}
		d, ok := n.DHCPOptions.Get(v.DHCPOptionsID)
		if !ok {
			continue
		}
		amazon, _ := v.DNSServerAddr()
		for _, s := range d.DomainNameServers {
			addr, err := netip.ParseAddr(strings.TrimSpace(s))
			if err != nil || addr == amazon || addr == netip.AddrFrom4([4]byte{169, 254, 169, 253}) {
				continue
			}
			var blocked []string
			for _, sub := range n.SubnetsOf(v.ID) {
				// The path engine first (any host of the subnet, routes
				// and network ACLs); the model's own reading when it
				// cannot take the question.
				why, answered := out.dnsQueryBlocked(sub, addr)
				if !answered {
					why = dnsServerBlocked(n, v, sub, addr)
				}
				if why != "" {
					blocked = append(blocked, sub.ID+" ("+why+")")
					continue
				}
				// The subnet has a way there; its instances' security
				// groups and the server's may still stop the queries.
				for _, why := range out.instancesCannotQuery(n, sub, addr) {
					blocked = append(blocked, sub.ID+" ("+why+")")
				}
			}
			if len(blocked) == 0 {
				continue
			}
			out.add(RuleDHCPDNSUnreachable, d, d.Origin,
				"%s gives %s the DNS server %s, which these subnets cannot reach: %s",
				d.Label(), v.Label(), addr, strings.Join(blocked, "; "))
		}
	}
}

// maxProbes bounds the instances asked about per subnet.
const maxProbes = 16

// instancesCannotQuery asks the path engine, for the instance interfaces
// of a subnet, whether a DNS query over udp/53 or tcp/53 reaches the
// server and its answer comes back; it returns why for each interface
// where both are stopped. Interfaces the engine answers "possibly" for are
// not reported.
func (f *findings) instancesCannotQuery(n *model.Network, sub *model.Subnet, addr netip.Addr) (out []string) {
	probes := 0
	for _, eni := range n.InterfacesInSubnet(sub.ID) {
		if eni.OwnerKind != model.OwnerInstance || probes >= maxProbes {
			continue
		}
		probes++
		if why, _ := f.dnsQueryBlocked(eni, addr); why != "" {
			out = append(out, "from "+eni.ID+": "+why)
		}
	}
	return out
}

// dnsQueryBlocked returns why the path engine stops every DNS query from
// an interface or a subnet to a server, or "" when one gets through or
// may; answered is false when the engine could not take the question.
func (f *findings) dnsQueryBlocked(from model.Element, addr netip.Addr) (why string, answered bool) {
	defer func() {
		if r := recover(); r != nil {
			m := from.Base()
			f.notes = append(f.notes, model.Warning{Code: "lint-incomplete", Severity: model.SevWarning, Origin: m.Origin, Resource: m.ID,
				Message: fmt.Sprintf("the path engine failed on DNS queries to %s (%v): %s checked from the model alone", addr, r, RuleDHCPDNSUnreachable)})
			why, answered = "", false
		}
	}()
	eng := f.engine(f.net)
	src, err := eng.Resolve(from.Base().ID)
	if err != nil {
		return "", false
	}
	to, err := eng.Resolve(addr.String())
	if err != nil {
		return "", false
	}
	var reasons []string
	for _, proto := range []model.Protocol{model.ProtoUDP, model.ProtoTCP} {
		r := eng.Flow(context.Background(), reach.Query{From: src, To: to, Protocol: proto, DstPort: 53})
		if r.Verdict != reach.Unreachable {
			return "", true
		}
		if r.Best != nil && r.Best.BlockedBy != nil {
			b := r.Best.BlockedBy
			reasons = append(reasons, fmt.Sprintf("%s stops it: %s (%s)", b.ID, b.Reason, b.Code))
		} else if r.Reason != "" {
			reasons = append(reasons, r.Reason)
		}
	}
	return strings.Join(dedupe(reasons), "; "), true
}

// dnsServerBlocked says why a subnet cannot send DNS queries to addr, or
// "" when it can or the model cannot tell.
func dnsServerBlocked(n *model.Network, v *model.VPC, sub *model.Subnet, addr netip.Addr) string {
	rt, _ := n.RouteTableFor(sub.ID)
	if rt == nil {
		return ""
	}
	if sub.CIDR.IsValid() && sub.CIDR.Contains(addr) {
		return "" // same subnet: no route table and no network ACL on the way
	}
	l := routeFor(n, rt, v, addr)
	switch {
	case l.Unknown != "":
		return ""
	case l.Route == nil && !l.Local:
		return "no route in " + rt.ID
	case l.Route != nil && l.Route.State == model.RouteBlackhole:
		return "route " + routeDest(l.Route) + " in " + rt.ID + " is a blackhole"
	case l.Route != nil && addr.IsPrivate() && toInternet(n, l.Route):
		// The internet does not route private addresses.
		return "route " + routeDest(l.Route) + " in " + rt.ID + " sends the private address to " +
			string(l.Route.TargetKind) + " " + l.Route.TargetID
	}
	acl := n.NetworkACLFor(sub.ID)
	if acl == nil {
		return ""
	}
	peer := addrSet(addr)
	udpOut := naclAllowsAny(acl, true, model.ProtoUDP, peer, model.PortRange{From: 53, To: 53})
	tcpOut := naclAllowsAny(acl, true, model.ProtoTCP, peer, model.PortRange{From: 53, To: 53})
	if !udpOut && !tcpOut {
		return "network ACL " + acl.ID + " denies outbound udp/53 and tcp/53 to it"
	}
	udpBack := udpOut && naclAllowsAny(acl, false, model.ProtoUDP, peer, model.Ephemeral)
	tcpBack := tcpOut && naclAllowsAny(acl, false, model.ProtoTCP, peer, model.Ephemeral)
	if !udpBack && !tcpBack {
		return "network ACL " + acl.ID + " denies the replies from it on ports 1024-65535"
	}
	return ""
}

// toInternet reports whether a route hands packets to the internet: an
// internet gateway, or a public NAT gateway.
func toInternet(n *model.Network, r *model.Route) bool {
	switch r.TargetKind {
	case model.TargetInternetGateway:
		return true
	case model.TargetNATGateway:
		g, ok := n.NATGateways.Get(r.TargetID)
		return ok && g.IsPublic()
	}
	return false
}

func addrSet(a netip.Addr) *netipx.IPSet {
	var b netipx.IPSetBuilder
	b.Add(a)
	s, _ := b.IPSet()
	return s
}

func routeDest(r *model.Route) string {
	switch {
	case r.Destination.IsValid():
		return r.Destination.String()
	case r.DestinationPrefixListID != "":
		return r.DestinationPrefixListID
	}
	return "?"
}
