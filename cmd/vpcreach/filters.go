package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/ignore"
	"github.com/vpcreach/vpcreach/internal/suppress"
)

// filterParams are the flags that leave accepted findings out of the
// findings and the gate, counted: --baseline and --ignore.
type filterParams struct {
	// Baseline is an earlier --format json output of the same command.
	Baseline string
	// Ignore is an ignore file of reasoned suppressions.
	Ignore string
	// today is the day expiry dates are compared with (zero: now).
	today time.Time
}

func addFilterFlags(cmd *cobra.Command, p *filterParams, what string) {
	cmd.Flags().StringVar(&p.Baseline, "baseline", "", "leave out (and count) the "+what+" an earlier --format json output `FILE` of this command holds")
	cmd.Flags().StringVar(&p.Ignore, "ignore", "", "leave out (and count) the findings a YAML ignore `FILE` suppresses, each with its reason (docs/suppressions.md)")
}

// ignoreEntries reads the ignore file, when one is given.
func (p filterParams) ignoreEntries() ([]suppress.Entry, error) {
	if p.Ignore == "" {
		return nil, nil
	}
	return ignore.Read(p.Ignore)
}

// suppressions are the suppressions in force over a network: its own
// (template Metadata) and the ignore file's.
func (p filterParams) suppressions(n *model.Network, fromFile []suppress.Entry) (*suppress.Set, error) {
	own, err := suppress.FromNetwork(n)
	if err != nil {
		return nil, err
	}
	today := p.today
	if today.IsZero() {
		today = time.Now()
	}
	return suppress.New(n, append(own, fromFile...), today), nil
}

// warningStrings renders warnings as file:line: code: message.
func warningStrings(ws []model.Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}
