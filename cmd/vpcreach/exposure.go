package main

import "github.com/spf13/cobra"

func newExposureCmd() *cobra.Command {
	var p sourceParams
	cmd := &cobra.Command{
		Use:   "exposure SOURCE...",
		Short: "Every resource, protocol and port range reachable from outside",
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return notBuilt("exposure")
		},
	}
	addSourceFlags(cmd, &p)
	return cmd
}
