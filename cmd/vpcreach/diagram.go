package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/topology"
)

// diagramParams are the flags of `vpcreach diagram`.
type diagramParams struct {
	sourceParams
	// Collapse is the most resources of one kind a subnet draws one by one.
	Collapse int
}

func newDiagramCmd() *cobra.Command {
	var p diagramParams
	cmd := &cobra.Command{
		Use:   "diagram SOURCE... [--format dot|mermaid|json|text]",
		Short: "Draw the topology: VPCs, subnets, resources, gateways, peerings and routes",
		Long: `diagram draws the network: one cluster per VPC (its ID, Name tag and CIDRs),
its subnets inside it (public ones green: their route table has a route to an
internet gateway; private ones grey; dashed when the sources do not say which
route table applies), the resources with interfaces inside their subnets, the
gateways (internet, egress-only, NAT, VPN, transit), peerings, endpoints, load
balancers and Client VPN endpoints, with edges for attachments, routes
(labelled with their destinations; blackhole routes red and dashed), peerings
and load balancer targets. A component the network refers to that the sources
do not hold is drawn dashed, "not in the sources".

A subnet with more than --collapse resources of one kind draws them as one box
with their count.

--format dot (the default) is for Graphviz: vpcreach diagram SRC | dot -Tsvg >
net.svg. --format mermaid is a Mermaid flowchart; --format json the graph
itself (docs/json.md); --format text an indented outline and the edges.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runDiagram(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	f := cmd.Flags()
	f.Lookup("format").Usage = "output format: dot, mermaid, json or text (an indented outline)"
	f.Lookup("format").DefValue = "dot"
	p.Format = "dot"
	f.IntVar(&p.Collapse, "collapse", topology.DefaultCollapse, "draw more than `N` resources of one kind in a subnet as one box with their count (-1: never)")
	return cmd
}

// runDiagram reads the sources and draws the topology.
func runDiagram(ctx context.Context, p diagramParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.DOT, report.Mermaid, report.JSON, report.Text)
	if err != nil {
		return err
	}
	if p.Collapse == 0 || p.Collapse < -1 {
		return usagef("--collapse %d: want 1 or more, or -1 to never collapse", p.Collapse)
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	g := topology.Build(n, topology.Options{Collapse: p.Collapse})
	switch format {
	case report.Mermaid:
		return report.WriteDiagramMermaid(stdout, g)
	case report.JSON:
		return report.WriteJSON(stdout, report.NewDiagram(g, sourceWarnings(n)))
	case report.Text:
		return report.WriteDiagramText(stdout, g)
	}
	return report.WriteDiagramDOT(stdout, g)
}
