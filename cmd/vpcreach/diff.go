package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/diff"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/suppress"
)

// diffParams are the flags of `vpcreach diff`. The common source flags
// (--param, --region, ...) apply to both sides.
type diffParams struct {
	sourceParams
	filterParams
	// Before and After are the sources of each side: BEFORE and AFTER,
	// then those of --before and --after.
	Before, After []string
	// FailOn is the lowest severity of an added or changed finding that
	// makes the run exit 1 ("" never).
	FailOn string
}

func newDiffCmd() *cobra.Command {
	var p diffParams
	cmd := &cobra.Command{
		Use:   "diff BEFORE AFTER",
		Short: "What a change opens and closes: the exposure of two networks compared",
		Long: `diff compares the exposure of two networks: two snapshots, two templates, or a
template and the snapshot it will change. BEFORE and AFTER are one SOURCE each;
--before SOURCE and --after SOURCE (repeatable) add sources to a side, and may
stand for BEFORE and AFTER. The common flags (--param, --region, ...) apply to
both sides.

A finding's identity is its resource, the kind and ID of the edge it comes
from, its protocol and ports. A finding only after is added (the change opens
it), only before is removed (it closes it), on both sides with another
verdict, severity or sources is changed. Each is shown with its path and the
reason it is reachable. --fail-on SEVERITY exits with status 1 when an added
or changed finding is at or above SEVERITY after the change; a
possibly-reachable one counts.

--baseline FILE leaves out the differences an earlier --format json output of
diff holds; --ignore FILE and the templates' Metadata "vpcreach: suppress"
leave out suppressed findings; both are counted (docs/diff.md).`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return usagef("diff wants BEFORE and AFTER, or --before and --after")
			}
			if len(args) == 2 {
				p.Before = append([]string{args[0]}, p.Before...)
				p.After = append([]string{args[1]}, p.After...)
			}
			return runDiff(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	cmd.Flags().StringArrayVar(&p.Before, "before", nil, "add `SOURCE` to the before side (repeatable)")
	cmd.Flags().StringArrayVar(&p.After, "after", nil, "add `SOURCE` to the after side (repeatable)")
	cmd.Flags().StringVar(&p.FailOn, "fail-on", "", "exit 1 when an added or changed finding is at or above `SEVERITY` (high, medium, low) after the change")
	addFilterFlags(cmd, &p.filterParams, "differences")
	return cmd
}

// diffSide is one side of a comparison, computed.
type diffSide struct {
	net      *model.Network
	res      *reach.ExposureResult
	sup      *suppress.Set
	warnings []string
}

// runDiff computes the exposure of both sides, compares them and writes
// the differences.
func runDiff(ctx context.Context, p diffParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON)
	if err != nil {
		return err
	}
	if len(p.Before) == 0 || len(p.After) == 0 {
		return usagef("diff wants BEFORE and AFTER, or --before and --after")
	}
	var failOn reach.Severity
	if p.FailOn != "" {
		if failOn, err = reach.ParseSeverity(p.FailOn); err != nil {
			return usagef("--fail-on: %v", err)
		}
	}
	var base *report.DiffBaseline
	if p.Baseline != "" {
		if base, err = report.ReadDiffBaseline(p.Baseline); err != nil {
			return err
		}
	}
	fromFile, err := p.ignoreEntries()
	if err != nil {
		return err
	}
	side := func(label string, sources []string) (*diffSide, error) {
		sp := p.sourceParams
		sp.Sources = sources
		n, err := sp.loadShowing(ctx, stderr)
		if err != nil {
			return nil, err
		}
		sup, err := p.suppressions(n, fromFile)
		if err != nil {
			return nil, err
		}
		res, err := exposureOf(ctx, n)
		if err != nil {
			return nil, err
		}
		s := &diffSide{net: n, res: res, sup: sup}
		var ws []string
		ws = append(ws, res.Warnings...)
		ws = append(ws, sourceWarnings(n)...)
		ws = append(ws, warningStrings(sup.Warnings)...)
		for _, g := range res.NotCollected {
			ws = append(ws, "not in the sources, so what depends on it is possibly-reachable and resources of these kinds are not examined: "+g)
		}
		for _, w := range ws {
			s.warnings = append(s.warnings, label+": "+w)
		}
		return s, nil
	}
	before, err := side("before", p.Before)
	if err != nil {
		return err
	}
	after, err := side("after", p.After)
	if err != nil {
		return err
	}
	res := diff.Compare(before.res, after.res)
	res.Suppressed = res.Filter(
		func(f *reach.ExposureFinding) bool { _, ok := before.sup.MatchExposure(f); return ok },
		func(f *reach.ExposureFinding) bool { _, ok := after.sup.MatchExposure(f); return ok })
	if base != nil {
		res.Baselined = res.Filter(base.Closed.Has, base.Opened.Has)
	}
	warnings := append(before.warnings, after.warnings...)
	if err := report.Diff(stdout, format, textStyle(before.net, stdout), textStyle(after.net, stdout), res, warnings); err != nil {
		return err
	}
	if failOn != 0 {
		if c := res.AtLeast(failOn); c > 0 {
			return &gateError{msg: fmt.Sprintf("%d added or changed exposure finding(s) at or above severity %s", c, failOn)}
		}
	}
	return nil
}
