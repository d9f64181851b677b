package main

import "github.com/spf13/cobra"

func newPathCmd() *cobra.Command {
	var p sourceParams
	cmd := &cobra.Command{
		Use:   "path SOURCE...",
		Short: "Can a flow get from --from to --to, by which hops, and what stops it",
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return notBuilt("path")
		},
	}
	addSourceFlags(cmd, &p)
	return cmd
}
