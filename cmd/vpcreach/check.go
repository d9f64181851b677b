package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/policy"
	"github.com/vpcreach/vpcreach/internal/policyfile"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
)

// checkParams are the flags of `vpcreach check`.
type checkParams struct {
	sourceParams
	// Policy is the policy file (docs/policy.md).
	Policy string
}

func newCheckCmd() *cobra.Command {
	var p checkParams
	cmd := &cobra.Command{
		Use:   "check SOURCE... --policy FILE",
		Short: "Check the network against intent: deny and require rules between selected places",
		Long: `check answers every rule of a policy file (docs/policy.md) over the network:
a deny rule fails for every matched (from, to) pair that is reachable or
possibly-reachable, a require rule for every matched pair that is unreachable
or possibly-reachable (possibly is never a pass). Every violation carries its
path (the hops as path prints them) and the reason.

Exit status 0 when every rule holds, 1 when one is violated, 2 for a bad
policy file (file:line: code: message), including a selector that matches
nothing in the sources.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runCheck(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	cmd.Flags().Lookup("format").Usage = "output format: text, json or sarif"
	onceStringVar(cmd.Flags(), &p.Policy, "policy", "the policy `FILE` (YAML, docs/policy.md)")
	return cmd
}

// runCheck reads the policy and the sources and answers every rule.
func runCheck(ctx context.Context, p checkParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON, report.SARIF)
	if err != nil {
		return err
	}
	if p.Policy == "" {
		return usagef("check needs --policy FILE")
	}
	// The policy first: a bad file is reported before any source is read.
	pol, err := policyfile.ParseFile(p.Policy)
	if err != nil {
		return err
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	res, err := policy.Check(ctx, reach.New(n), pol)
	if err != nil {
		return err
	}
	var warnings []string
	for _, w := range n.Warnings {
		if w.Severity != model.SevInfo {
			warnings = append(warnings, w.String())
		}
	}
	st := textStyle(n, stdout)
	switch format {
	case report.JSON:
		err = report.WriteJSON(stdout, st.NewCheck(p.Policy, res, warnings))
	case report.SARIF:
		err = report.WriteJSON(stdout, report.NewCheckSARIF(p.Policy, res, st.Loc))
	default:
		err = st.CheckText(stdout, p.Policy, res, warnings)
	}
	if err != nil {
		return err
	}
	if v := res.Violated(); v > 0 {
		return &gateError{msg: fmt.Sprintf("%d of %d policy rule(s) violated", v, len(res.Rules))}
	}
	return nil
}
