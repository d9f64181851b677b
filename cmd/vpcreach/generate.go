package main

import "github.com/spf13/cobra"

func newGenerateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate --out DIR",
		Short: "Write a deterministic synthetic organisation in the snapshot layout (for benchmarks)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("generate")
		},
	}
	return cmd
}
