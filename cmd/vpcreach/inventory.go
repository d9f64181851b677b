package main

import "github.com/spf13/cobra"

func newInventoryCmd() *cobra.Command {
	var p sourceParams
	cmd := &cobra.Command{
		Use:   "inventory SOURCE...",
		Short: "What was read: resources by type, per account and region, warnings",
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return notBuilt("inventory")
		},
	}
	addSourceFlags(cmd, &p)
	return cmd
}
