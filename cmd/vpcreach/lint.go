package main

import "github.com/spf13/cobra"

func newLintCmd() *cobra.Command {
	var p sourceParams
	cmd := &cobra.Command{
		Use:   "lint SOURCE...",
		Short: "Configuration pitfalls: defaults that surprise, rules that cannot work",
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return notBuilt("lint")
		},
	}
	addSourceFlags(cmd, &p)
	return cmd
}
