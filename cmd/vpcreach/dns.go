package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
)

// dnsParams are the flags of `vpcreach dns`.
type dnsParams struct {
	sourceParams
	From string
	Name string
	Type string
	// ClientDNS are a Client VPN device's own DNS servers (cli.md).
	ClientDNS []string
	Client    clientFlags
}

func newDNSCmd() *cobra.Command {
	var p dnsParams
	cmd := &cobra.Command{
		Use:   "dns SOURCE... --from REF NAME [--type T]",
		Short: "What a name resolves to from --from, which server answers, and whether it is reachable",
		Long: `dns resolves NAME the way the DNS resolver seen from --from would: the server
comes from the VPC's DHCP option set (the Amazon DNS server needs no network
path; a custom server, an inbound endpoint or a forwarding target does), then
DNS Firewall, then the VPC's rule set: forwarding and system rules, private
hosted zones, interface endpoint names, EC2 names, reverse zones, and public
DNS for the rest.

REF is an instance, network interface, subnet, VPC or Resolver inbound
endpoint (rslvr-in-..., a query from on-premises), by ID, logical ID, Name
tag or address. The last argument is the NAME.

REF cvpn-endpoint-... is a Client VPN client: it asks the endpoint's DNS
servers, else the device's own (--client-dns), in order, trying the next only
when one cannot be reached; each through the tunnel (routes, authorization
rules for --client-group, source NAT, the endpoint's security groups) or, for
addresses the tunnel does not carry (split tunnel, --client-route), on the
device's own network, outside the sources.

NAME is typed as at the instance: with --type PTR an IP address asks for its
reverse name, as dig -x does; a name that is not fully qualified goes
through the search list, the domain-name of the VPC's DHCP option set, as
the instance's resolver would, and the trace shows each try.

rcode is UNKNOWN when the answer lies outside the sources (public DNS, a
server outside the model) and TIMEOUT when no listed server can be reached.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef("dns needs SOURCE... and a NAME to resolve")
			}
			p.Sources, p.Name = args[:len(args)-1], args[len(args)-1]
			return runDNS(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	f := cmd.Flags()
	onceStringVar(f, &p.From, "from", "where the query starts (REF)")
	f.StringVar(&p.Type, "type", "A", "record type: A, AAAA, CNAME, PTR, TXT, MX, SRV, NS, SOA, CAA, ANY or TYPEnnn")
	f.StringArrayVar(&p.ClientDNS, "client-dns", nil, "a Client VPN device's own DNS server `IP`, used when the endpoint pushes none (repeatable)")
	addClientFlags(cmd, &p.Client)
	return cmd
}

// dnsVantage resolves --from, with a Client VPN device's own DNS servers
// when the endpoint pushes none (R6.1).
func dnsVantage(n *model.Network, from string, clientDNS []string) (dns.Vantage, error) {
	v, err := dns.VantageFor(n, from)
	if err != nil {
		return v, usagef("%v", err)
	}
	if len(clientDNS) == 0 {
		return v, nil
	}
	if v.Kind != dns.FromClientVPN {
		return v, usagef("--client-dns applies to a Client VPN endpoint (--from cvpn-endpoint-...), not to %s", from)
	}
	if len(v.Servers) > 0 {
		// Pushed servers replace the device's (R6.1).
		return v, nil
	}
	for _, s := range clientDNS {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return v, usagef("--client-dns %q: not an IP address", s)
		}
		v.Servers = append(v.Servers, dns.Candidate{Addr: a, Kind: dns.KindDevice})
	}
	return v, nil
}

// runDNS reads the sources and resolves one name.
func runDNS(ctx context.Context, p dnsParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON)
	if err != nil {
		return err
	}
	if p.From == "" {
		return usagef("dns needs --from REF")
	}
	qt, err := dns.ParseType(p.Type)
	if err != nil {
		return usagef("--type: %v", err)
	}
	if p.Name == "" {
		return usagef("dns needs a NAME to resolve")
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	if err := checkUnambiguous(n, "--from", p.From); err != nil {
		return err
	}
	v, err := dnsVantage(n, p.From, p.ClientDNS)
	if err != nil {
		return err
	}
	reacher := newDNSReacher(n)
	if err := reacher.(*dnsReacher).withClient(v, p.Client); err != nil {
		return err
	}
	res := resolveAsTyped(ctx, n, dns.New(n, reacher, dns.Options{}), v, p.Name, qt)
	out := report.DNS{Result: res}
	for _, w := range n.Warnings {
		if w.Severity != model.SevInfo {
			out.Warnings = append(out.Warnings, w.String())
		}
	}
	return textStyle(n, stdout).WriteDNS(stdout, format, out)
}

// dnsReacher answers the DNS resolver's path questions with the path
// engine: udp or tcp to port 53 of a server, from an interface, from the
// ENIs of an outbound endpoint, or from on-premises to an inbound endpoint.
type dnsReacher struct {
	e *reach.Engine
	// onPrem is a private address outside every modelled VPC, standing for
	// an on-premises resolver.
	onPrem netip.Addr
	// client is the Client VPN client a FromClientVPN vantage stands for.
	client *reach.Client
}

func newDNSReacher(n *model.Network) dns.Reacher {
	r := &dnsReacher{e: reach.New(n)}
	for _, s := range []string{"10.255.255.254", "172.31.255.254", "192.168.255.254", "10.254.254.254"} {
		a := netip.MustParseAddr(s)
		if _, inVPC := n.VPCContaining(a); !inVPC {
			r.onPrem = a
			break
		}
	}
	return r
}

// Reach implements dns.Reacher.
func (r *dnsReacher) Reach(ctx context.Context, from dns.Vantage, to netip.Addr, proto model.Protocol, port uint16) (dns.Verdict, string) {
	var src reach.Endpoint
	switch {
	case from.ENI != nil:
		src = reach.Endpoint{Kind: reach.EndpointENI, Ref: from.ENI.ID, ENI: from.ENI, Subnet: from.Subnet, VPC: from.VPC}
	case from.Kind == dns.FromClientVPN:
		// The path engine decides what a Client VPN client reaches.
		if v, why, ok := r.clientReach(ctx, from, to, proto, port); ok {
			return v, why
		}
		ep, err := r.e.Resolve(from.Ref)
		if err != nil {
			return dns.Possibly, err.Error()
		}
		src = ep
	case from.Kind == dns.FromOnPremises:
		if !r.onPrem.IsValid() {
			return dns.Possibly, "no on-premises address outside the modelled VPCs to start from"
		}
		src = reach.Endpoint{Kind: reach.EndpointAddress, Ref: "on-premises", Addr: r.onPrem}
	case from.Subnet != nil:
		return dns.Possibly, fmt.Sprintf("from subnet %s the security groups of the client are unknown: name an instance or interface", from.Subnet.ID)
	case from.VPC != nil:
		return dns.Possibly, fmt.Sprintf("from VPC %s the client's subnet and security groups are unknown: name an instance or interface", from.VPC.ID)
	default:
		return dns.Possibly, "the path engine cannot start from " + from.String()
	}
	dst, err := r.e.Resolve(to.String())
	if err != nil {
		return dns.Possibly, err.Error()
	}
	if from.Kind == dns.FromOnPremises && dst.Kind != reach.EndpointENI {
		// The path engine reaches VPC addresses from outside only through
		// an interface it knows.
		return dns.Possibly, "no network interface of the sources holds " + to.String() + ", so its security groups are unknown"
	}
	res := r.e.Flow(ctx, reach.Query{From: src, To: dst, Protocol: proto, DstPort: port, ICMPCode: -1})
	why := res.Reason
	if res.Best != nil && res.Best.BlockedBy != nil && res.Verdict == reach.Unreachable {
		b := res.Best.BlockedBy
		why = fmt.Sprintf("%s at %s: %s", b.Code, b.ID, b.Reason)
	}
	switch res.Verdict {
	case reach.Reachable:
		return dns.Reachable, why
	case reach.Unreachable:
		return dns.Unreachable, why
	}
	return dns.Possibly, why
}
