package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
)

// pathParams are the flags of `vpcreach path`.
type pathParams struct {
	sourceParams
	From     string
	To       string
	Protocol string
	Port     int
	// PortGiven is whether --port was given: without it Port is -1,
	// every port.
	PortGiven bool
	SrcPort   int
	// SrcPortGiven is whether --src-port was given: without it SrcPort is
	// 0, any ephemeral port.
	SrcPortGiven bool
	Expect       string
	Client       clientFlags
}

func newPathCmd() *cobra.Command {
	var p pathParams
	cmd := &cobra.Command{
		Use:   "path SOURCE... --from REF --to REF [--protocol P] [--port N]",
		Short: "Can a flow get from --from to --to, by which hops, and what stops it",
		Long: `path follows one flow through the network the way AWS forwards it: security
groups (stateful), network ACLs (stateless, checked again for the reply),
route tables (longest prefix), gateways and their address translations, and
prints every hop, the return hops, the verdict and what stops the flow, with
VPC Reachability Analyzer explanation codes.

REF is a resource ID (i-, eni-, subnet-, igw-, nat-, pcx-, tgw-, tgw-attach-,
vgw-, vpce-, rslvr-in-...), a load balancer ARN or name, a CloudFormation
logical ID, a Name tag, an IP address, or "internet". --from cvpn-endpoint-...
is a Client VPN client (--client-ip, --client-route, --client-group).

Without --src-port the client's source port is any ephemeral port
(1024-65535); when network ACLs let only some of them back, the answer says
which. Anything the sources leave unknown on the way makes the verdict
possibly-reachable, with the reason.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			p.PortGiven = cmd.Flags().Changed("port")
			p.SrcPortGiven = cmd.Flags().Changed("src-port")
			return runPath(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	f := cmd.Flags()
	onceStringVar(f, &p.From, "from", "where the flow starts (REF)")
	onceStringVar(f, &p.To, "to", "where the flow goes (REF)")
	f.StringVar(&p.Protocol, "protocol", "tcp", "tcp, udp, icmp, icmpv6, all (-1) or a protocol number")
	f.IntVar(&p.Port, "port", -1, "destination port (tcp/udp; with --protocol all, tcp and udp) or ICMP type (icmp); default: every port")
	f.IntVar(&p.SrcPort, "src-port", 0, "the client's source port (default: any ephemeral port 1024-65535)")
	f.StringVar(&p.Expect, "expect", "", "reachable or unreachable: exit with status 1 when the verdict differs")
	addClientFlags(cmd, &p.Client)
	f.Lookup("format").Usage = "output format: text, json, dot or mermaid (the hops drawn)"
	return cmd
}

// runPath reads the sources and answers one flow.
func runPath(ctx context.Context, p pathParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON, report.DOT, report.Mermaid)
	if err != nil {
		return err
	}
	if p.From == "" || p.To == "" {
		return usagef("path needs --from REF and --to REF")
	}
	proto, err := model.ParseProtocol(p.Protocol)
	if err != nil {
		return usagef("--protocol: %v", err)
	}
	// A port given is checked as ports in files are: 0-65535 (-1 is no
	// port, AWS's "every port", which only leaving --port out means here).
	if p.Port < -1 || p.Port > 65535 || (p.PortGiven && p.Port < 0) {
		return usagef("--port %d: want 0-65535 (leave --port out for every port)", p.Port)
	}
	if p.SrcPort < 0 || p.SrcPort > 65535 || (p.SrcPortGiven && p.SrcPort == 0) {
		return usagef("--src-port %d: want 1-65535", p.SrcPort)
	}
	if proto.IsICMP() && p.Port > 255 {
		return usagef("--port %d: for ICMP it is the type, 0-255", p.Port)
	}
	switch p.Expect {
	case "", string(reach.Reachable), string(reach.Unreachable), string(reach.PossiblyReachable):
	default:
		return usagef("--expect %q: want reachable or unreachable", p.Expect)
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	for _, r := range []struct{ flag, ref string }{{"--from", p.From}, {"--to", p.To}} {
		if err := checkUnambiguous(n, r.flag, r.ref); err != nil {
			return err
		}
	}
	e := reach.New(n)
	from, err := e.Resolve(p.From)
	if err != nil {
		return usagef("--from %v", err)
	}
	to, err := e.Resolve(p.To)
	if err != nil {
		return usagef("--to %v", err)
	}
	if from.Kind == reach.EndpointVPC || to.Kind == reach.EndpointVPC {
		return usagef("a VPC is not a place a flow starts or ends: name a subnet, an instance, an interface or an address in it")
	}
	q := reach.Query{From: from, To: to, Protocol: proto, SrcPort: uint16(p.SrcPort), ICMPCode: -1}
	flow := report.PathFlow{From: p.From, To: p.To, FromID: resolvedID(from), ToID: resolvedID(to), Protocol: proto.String()}
	if p.Port >= 0 {
		q.DstPort = uint16(p.Port)
		port := p.Port
		flow.Port = &port
	} else {
		q.AnyDstPort = true
	}
	if p.SrcPort > 0 {
		sp := p.SrcPort
		flow.SrcPort = &sp
	}
	var res reach.Result
	if cep, ok := clientOf(from); ok {
		cl, err := p.Client.client(cep)
		if err != nil {
			return err
		}
		res = e.ClientFlow(ctx, cl, q)
	} else {
		if p.Client.set() {
			return usagef("--client-ip, --client-route and --client-group apply to a Client VPN endpoint (--from cvpn-endpoint-...), not to %s", p.From)
		}
		res = e.Flow(ctx, q)
	}
	if res.Verdict == reach.Unreachable && (res.Best == nil || len(res.Best.Hops) == 0) {
		if why := familyMismatch(from, to); why != "" {
			res.Reason = why
		}
	}
	out := report.NewPath(flow, res)
	// The warnings about components on the path bear on the answer; the
	// others are for `vpcreach inventory`.
	onPath := map[string]bool{}
	for _, h := range append(append([]reach.Hop{}, out.Hops...), out.ReturnHops...) {
		for _, id := range strings.Split(h.ID, ",") {
			if f := strings.Fields(id); len(f) > 0 {
				onPath[f[0]] = true
			}
		}
	}
	if out.BlockedBy != nil {
		onPath[out.BlockedBy.ID] = true
	}
	for _, w := range n.Warnings {
		if w.Severity != model.SevInfo && onPath[w.Resource] {
			out.Warnings = append(out.Warnings, w.String())
		}
	}
	st := textStyle(n, stdout)
	st.AddNames(&out)
	switch format {
	case report.JSON:
		err = report.WriteJSON(stdout, out)
	case report.DOT:
		err = st.WritePathDOT(stdout, out)
	case report.Mermaid:
		err = st.WritePathMermaid(stdout, out)
	default:
		err = st.WritePathText(stdout, out)
	}
	if err != nil {
		return err
	}
	if p.Expect != "" && string(res.Verdict) != p.Expect {
		return &gateError{msg: fmt.Sprintf("expected %s, got %s: %s", p.Expect, res.Verdict, res.Reason)}
	}
	return nil
}

// resolvedID is the ID of the resource a REF named, "" when the REF is
// that ID already or names no resource (an address, the internet).
func resolvedID(ep reach.Endpoint) string {
	id := ""
	switch {
	case ep.Element != nil:
		id = ep.Element.Base().ID
	case ep.ENI != nil:
		id = ep.ENI.ID
	case ep.Subnet != nil && ep.Kind == reach.EndpointSubnet:
		id = ep.Subnet.ID
	}
	if id == ep.Ref {
		return ""
	}
	return id
}
