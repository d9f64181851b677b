package main

import "github.com/spf13/cobra"

func newCollectCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collect --out DIR",
		Short: "Write a read-only snapshot of a live account in the snapshot layout",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("collect")
		},
	}
	return cmd
}
