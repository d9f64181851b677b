package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/report"
)

// inventoryParams are the flags of `vpcreach inventory`.
type inventoryParams struct {
	sourceParams
}

func newInventoryCmd() *cobra.Command {
	var p inventoryParams
	cmd := &cobra.Command{
		Use:   "inventory SOURCE...",
		Short: "What was read: resources by type, per account and region, warnings",
		Long: `inventory lists what vpcreach read from the SOURCEs: resources counted by
CloudFormation type name per account and region, AWS output read but not
modelled, warnings (keys not understood, references to resources missing from
the sources) and the values the sources could not fix.

Use it first on a new snapshot: a warning here explains a possibly-reachable
answer later.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runInventory(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	return cmd
}

// runInventory reads the sources and writes the inventory.
func runInventory(ctx context.Context, p inventoryParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON)
	if err != nil {
		return err
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	inv := report.NewInventory(n)
	if format == report.JSON {
		return report.WriteJSON(stdout, inv)
	}
	return report.WriteInventoryText(stdout, inv)
}
