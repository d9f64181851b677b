package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dnsserver"
)

// serveDNSParams are the flags of `vpcreach serve-dns`.
type serveDNSParams struct {
	sourceParams
	From          string
	Listen        string
	MaxConcurrent int
	ClientDNS     []string
	Client        clientFlags
	// started, when set, is called with the bound address (tests).
	started func(addr string)
}

func newServeDNSCmd() *cobra.Command {
	var p serveDNSParams
	cmd := &cobra.Command{
		Use:   "serve-dns SOURCE... --from REF --listen ADDR",
		Short: "A real DNS server answering the way the resolver seen from --from would",
		Long: `serve-dns answers DNS queries over UDP and TCP on --listen (host:port; port 0
picks a free port, printed at start) the way the resolver seen from --from
would, so dig, nslookup or an application can be pointed at it.

Names the sources cannot answer (public DNS, a server outside the model, no
reachable server) get SERVFAIL with an extended DNS error saying why;
non-recursive queries get REFUSED, as the Amazon DNS server does. It stops
cleanly on SIGINT or SIGTERM.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runServeDNS(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	f := cmd.Flags()
	onceStringVar(f, &p.From, "from", "the vantage point whose resolver answers (REF)")
	f.StringVar(&p.Listen, "listen", "127.0.0.1:5353", "address to serve UDP and TCP on (host:port)")
	f.StringArrayVar(&p.ClientDNS, "client-dns", nil, "a Client VPN device's own DNS server `IP`, used when the endpoint pushes none (repeatable)")
	addClientFlags(cmd, &p.Client)
	f.IntVar(&p.MaxConcurrent, "max-concurrent", dnsserver.DefaultMaxConcurrent, "queries answered at once")
	return cmd
}

// runServeDNS reads the sources and serves DNS until ctx is cancelled.
func runServeDNS(ctx context.Context, p serveDNSParams, stdout, stderr io.Writer) error {
	if p.From == "" {
		return usagef("serve-dns needs --from REF")
	}
	if p.MaxConcurrent <= 0 {
		return usagef("--max-concurrent %d: want at least 1", p.MaxConcurrent)
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
	session := dns.New(n, reacher, dns.Options{}).Session(ctx, v)
	l, err := dnsserver.Listen(p.Listen)
	if err != nil {
		return usagef("%v", err)
	}
	started := func() {
		signalIsNormalStop(ctx)
		srv := "no DNS server"
		if s := session.Server(); s != nil {
			srv = fmt.Sprintf("%s %s (%s)", s.Kind, s.Address, s.Verdict)
		}
		fmt.Fprintf(stdout, "serving DNS on %s (udp and tcp) as seen from %s, server %s\n", l.Addr(), v, srv)
		if p.started != nil {
			p.started(l.Addr())
		}
	}
	return dnsserver.Serve(ctx, dnsserver.NewHandler(session, p.MaxConcurrent), l, started)
}
