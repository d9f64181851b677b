package main

import "github.com/spf13/cobra"

func newServeDNSCmd() *cobra.Command {
	var p sourceParams
	cmd := &cobra.Command{
		Use:   "serve-dns SOURCE...",
		Short: "A real DNS server answering the way the resolver seen from --from would",
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return notBuilt("serve-dns")
		},
	}
	addSourceFlags(cmd, &p)
	return cmd
}
