package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/suppress"
)

// lintParams are the flags of `vpcreach lint`.
type lintParams struct {
	sourceParams
	filterParams
	// FailOn is the lowest severity that makes the run exit 1 ("" never).
	FailOn string
	// ListRules prints the rules instead of linting.
	ListRules bool
	// Each lints every SOURCE as its own network instead of merging them.
	Each bool
	// Skip names rules whose findings are left out.
	Skip []string
}

func newLintCmd() *cobra.Command {
	var p lintParams
	cmd := &cobra.Command{
		Use:   "lint SOURCE...",
		Short: "Configuration pitfalls: defaults that surprise, rules that cannot work",
		Long: `lint finds configuration pitfalls: the allow-all egress CloudFormation adds to a
security group without egress rules, rules whose ports AWS ignores, admin and
database ports open to the internet, network ACLs without a return path,
security groups that cannot stop DNS, DNS servers clients or subnets cannot
reach, Resolver forwarding loops, overlapping connected VPCs, blackhole routes.

Each finding names a rule with a stable ID, its severity (high, medium, low,
info), the resource and the file and line that trigger it. --fail-on makes the
command exit with status 1 when a finding at or above that severity exists.

--baseline FILE leaves out the findings (same rule and resource) an earlier
--format json output holds, --ignore FILE and a template resource's Metadata
"vpcreach: suppress" those suppressed with a reason; both are counted in the
output and left out of --fail-on (docs/suppressions.md).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runLint(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	cmd.Flags().Lookup("format").Usage = "output format: text, json or sarif"
	cmd.Flags().StringVar(&p.FailOn, "fail-on", "", "exit 1 when a finding at or above `SEVERITY` (high, medium, low, info) exists")
	cmd.Flags().StringArrayVar(&p.Skip, "skip", nil, "leave out the findings of rule `ID` (repeatable; see --list-rules)")
	cmd.Flags().BoolVar(&p.Each, "each", false, "lint every SOURCE on its own (templates of different stacks) instead of merging them into one network")
	cmd.Flags().BoolVar(&p.ListRules, "list-rules", false, "list the rules (ID, severity, title) and exit; no SOURCE needed")
	addFilterFlags(cmd, &p.filterParams, "findings")
	return cmd
}

// runLint reads the sources, lints the network and writes the findings.
func runLint(ctx context.Context, p lintParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON, report.SARIF)
	if err != nil {
		return err
	}
	if p.ListRules {
		if format == report.SARIF {
			return usagef("--list-rules: --format text or json")
		}
		return report.LintRules(stdout, format)
	}
	failOn, gate, err := p.failOn()
	if err != nil {
		return err
	}
	for _, id := range p.Skip {
		if _, ok := lint.RuleByID(id); !ok {
			return usagef("--skip %q: no such rule (see vpcreach lint --list-rules)", id)
		}
	}
	var f lintFilters
	if p.Baseline != "" {
		if f.known, err = report.ReadLintBaseline(p.Baseline); err != nil {
			return err
		}
	}
	if f.fromFile, err = p.ignoreEntries(); err != nil {
		return err
	}
	if p.Each {
		return lintEach(ctx, p, f, format, failOn, gate, stdout, stderr)
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	res, err := p.lintOne(ctx, n, f)
	if err != nil {
		return err
	}
	res = res.WithoutKnown(f.known)
	if err := textStyle(n, stdout).Lint(stdout, format, res); err != nil {
		return err
	}
	return gateOn(res, failOn, gate)
}

// lintFilters are what leaves accepted findings out: the baseline's
// identities and the ignore file's entries.
type lintFilters struct {
	known    map[lint.Key]bool
	fromFile []suppress.Entry
}

// lintOne lints a network less the skipped rules and the suppressed
// findings (counted, with a warning for each expired suppression).
func (p lintParams) lintOne(ctx context.Context, n *model.Network, f lintFilters) (*lint.Result, error) {
	sup, err := p.suppressions(n, f.fromFile)
	if err != nil {
		return nil, err
	}
	all, err := lint.RunContext(ctx, n)
	if err != nil {
		return nil, err
	}
	res := all.Without(p.Skip...)
	res.Findings, res.Suppressed = sup.Lint(res.Findings)
	res.Warnings = append(res.Warnings, sup.Warnings...)
	return res, nil
}

// lintEach lints every source on its own and reports the merged findings.
// A source that cannot be read is named on stderr and in the warnings,
// the others are still linted, and the run ends with exit status 2, so a
// partial answer is never taken for a whole one.
func lintEach(ctx context.Context, p lintParams, f lintFilters, format report.Format, failOn lint.Severity, gate bool, stdout, stderr io.Writer) error {
	if len(p.Sources) == 0 {
		return usagef("no SOURCE given: name a snapshot folder or a CloudFormation template")
	}
	var results []*lint.Result
	failed := 0
	for _, src := range p.Sources {
		one := p.sourceParams
		one.Sources = []string{src}
		n, err := one.loadShowing(ctx, stderr)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed++
			fmt.Fprintf(stderr, "vpcreach: not linted: %v\n", err)
			results = append(results, &lint.Result{Warnings: []model.Warning{{Code: "not-linted", Severity: model.SevWarning,
				Origin: model.Origin{File: src}, Message: "cannot be read: " + err.Error()}}})
			continue
		}
		res, err := p.lintOne(ctx, n, f)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	res := lint.Merge(results...).WithoutKnown(f.known)
	// A SARIF result needs a file: a finding the sources place nowhere is
	// located at the first SOURCE.
	st := report.Style{Loc: &report.Locator{Fallback: p.Sources[0]}}
	if err := st.Lint(stdout, format, res); err != nil {
		return err
	}
	if failed > 0 {
		return usagef("%d of %d sources could not be read (named above); the findings cover the others", failed, len(p.Sources))
	}
	return gateOn(res, failOn, gate)
}

// gateOn turns findings at or above failOn into exit status 1 when gate is set.
func gateOn(res *lint.Result, failOn lint.Severity, gate bool) error {
	if gate {
		if c := res.AtLeast(failOn); c > 0 {
			return &gateError{msg: fmt.Sprintf("%d finding(s) at or above severity %s", c, failOn)}
		}
	}
	return nil
}

// failOn parses --fail-on; gate is false when it is not given.
func (p lintParams) failOn() (s lint.Severity, gate bool, err error) {
	if p.FailOn == "" {
		return 0, false, nil
	}
	s, err = lint.ParseSeverity(p.FailOn)
	if err != nil {
		return 0, false, usagef("--fail-on: %v", err)
	}
	return s, true, nil
}
