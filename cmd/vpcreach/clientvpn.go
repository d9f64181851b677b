package main

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// clientFlags describe a Client VPN client when --from names a Client VPN
// endpoint (cli.md REF): its address, the device's routes outside the
// tunnel and the user's groups.
type clientFlags struct {
	IP     string
	Routes []string
	Groups []string
}

// addClientFlags registers --client-ip, --client-route and --client-group.
func addClientFlags(cmd *cobra.Command, c *clientFlags) {
	f := cmd.Flags()
	f.StringVar(&c.IP, "client-ip", "", "with --from cvpn-endpoint-...: the client's `IP` in the client CIDR (default: the first usable address)")
	f.StringArrayVar(&c.Routes, "client-route", nil, "with --from cvpn-endpoint-...: a device route `CIDR` that stays outside the tunnel, such as its LAN (repeatable)")
	f.StringArrayVar(&c.Groups, "client-group", nil, "with --from cvpn-endpoint-...: a `GROUP` ID the user belongs to, for group authorization rules (repeatable; default: no group)")
}

// set reports whether any client flag was given.
func (c clientFlags) set() bool { return c.IP != "" || len(c.Routes) > 0 || len(c.Groups) > 0 }

// client builds the Client VPN client of endpoint ep from the flags.
func (c clientFlags) client(ep *model.ClientVPNEndpoint) (reach.Client, error) {
	var addr netip.Addr
	if c.IP != "" {
		a, err := netip.ParseAddr(c.IP)
		if err != nil {
			return reach.Client{}, usagef("--client-ip %q: not an IP address", c.IP)
		}
		addr = a
	}
	var local []netip.Prefix
	for _, s := range c.Routes {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return reach.Client{}, usagef("--client-route %q: not a CIDR", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		local = append(local, p.Masked())
	}
	cl, err := reach.NewClient(ep, addr, local, c.Groups)
	if err != nil {
		return cl, usagef("--from %s: %v", ep.ID, err)
	}
	return cl, nil
}

// clientOf returns the Client VPN endpoint an endpoint names, if any.
func clientOf(ep reach.Endpoint) (*model.ClientVPNEndpoint, bool) {
	c, ok := ep.Element.(*model.ClientVPNEndpoint)
	return c, ok
}

// withClient sets the Client VPN client a --from cvpn-endpoint-... query
// stands for; client flags on any other vantage are a usage error.
func (r *dnsReacher) withClient(v dns.Vantage, c clientFlags) error {
	cep, ok := v.Element.(*model.ClientVPNEndpoint)
	if !ok || v.Kind != dns.FromClientVPN {
		if c.set() {
			return usagef("--client-ip, --client-route and --client-group apply to a Client VPN endpoint (--from cvpn-endpoint-...), not to %s", v.Ref)
		}
		return nil
	}
	cl, err := c.client(cep)
	if err != nil {
		return err
	}
	r.client = &cl
	return nil
}

// clientReach answers a path question from a Client VPN client: through
// the tunnel or on the device's own network (R6.3, R6.4, §9.4). ok is false
// when the vantage names no Client VPN endpoint.
func (r *dnsReacher) clientReach(ctx context.Context, from dns.Vantage, to netip.Addr, proto model.Protocol, port uint16) (dns.Verdict, string, bool) {
	cl := r.client
	if cl == nil || cl.Endpoint == nil || from.Element != model.Element(cl.Endpoint) {
		cep, ok := from.Element.(*model.ClientVPNEndpoint)
		if !ok {
			return "", "", false
		}
		c, err := reach.NewClient(cep, netip.Addr{}, nil, nil)
		if err != nil {
			return dns.Possibly, err.Error(), true
		}
		cl = &c
	}
	dst, err := r.e.Resolve(to.String())
	if err != nil {
		return dns.Possibly, err.Error(), true
	}
	res := r.e.ClientFlow(ctx, *cl, reach.Query{To: dst, Protocol: proto, DstPort: port, ICMPCode: -1})
	why := res.Reason
	if res.Best != nil && res.Best.BlockedBy != nil && res.Verdict == reach.Unreachable {
		b := res.Best.BlockedBy
		why = fmt.Sprintf("%s at %s: %s", b.Code, b.ID, b.Reason)
	}
	switch res.Verdict {
	case reach.Reachable:
		return dns.Reachable, why, true
	case reach.Unreachable:
		return dns.Unreachable, why, true
	}
	return dns.Possibly, why, true
}
