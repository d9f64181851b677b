package main

import "github.com/spf13/cobra"

func newDNSCmd() *cobra.Command {
	var p sourceParams
	cmd := &cobra.Command{
		Use:   "dns SOURCE...",
		Short: "What a name resolves to from --from, which server answers, and whether it is reachable",
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return notBuilt("dns")
		},
	}
	addSourceFlags(cmd, &p)
	return cmd
}
