package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/diff"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
)

// exposureParams are the flags of `vpcreach exposure`.
type exposureParams struct {
	sourceParams
	filterParams
	// FailOn is the lowest severity that makes the run exit 1 ("" never).
	FailOn string
}

func newExposureCmd() *cobra.Command {
	var p exposureParams
	cmd := &cobra.Command{
		Use:   "exposure SOURCE...",
		Short: "Every resource, protocol and port range reachable from outside",
		Long: `exposure lists, for every resource with a network interface (instances, load
balancers, endpoints, NAT gateways, Resolver endpoints, RDS, Lambda and ECS
interfaces), every protocol, port range and source addresses that can open a
connection to it from outside its VPC and get the replies back: the internet
through an internet gateway, peered VPCs, transit gateway attachments, VPN
gateways, Direct Connect, and the clients of Client VPN endpoints (whose
listeners are internet findings of their own). Load balancers are reported on their listener
ports, and their targets on the target port through them.

Each finding names its path (via) and is reachable, or possibly-reachable when
a value on the way is unknown (the reason says which). Severity follows Amazon
Inspector: administrative and database ports, every port or every protocol
open to the internet are high, other internet exposure medium, exposure to
peers, transit gateways and on-premises low. --fail-on makes the command exit
with status 1 when a finding at or above that severity exists.

--baseline FILE leaves out the findings an earlier --format json output holds
(accepted ones), --ignore FILE and a template resource's Metadata
"vpcreach: suppress" those suppressed with a reason; both are counted in the
output and left out of --fail-on (docs/suppressions.md).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runExposure(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	cmd.Flags().Lookup("format").Usage = "output format: text, json or sarif"
	cmd.Flags().StringVar(&p.FailOn, "fail-on", "", "exit 1 when a finding at or above `SEVERITY` (high, medium, low) exists")
	addFilterFlags(cmd, &p.filterParams, "findings")
	return cmd
}

// runExposure reads the sources, computes the exposure and writes it.
func runExposure(ctx context.Context, p exposureParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON, report.SARIF)
	if err != nil {
		return err
	}
	var failOn reach.Severity
	if p.FailOn != "" {
		if failOn, err = reach.ParseSeverity(p.FailOn); err != nil {
			return usagef("--fail-on: %v", err)
		}
	}
	var known diff.Known
	if p.Baseline != "" {
		if known, err = report.ReadExposureBaseline(p.Baseline); err != nil {
			return err
		}
	}
	fromFile, err := p.ignoreEntries()
	if err != nil {
		return err
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	sup, err := p.suppressions(n, fromFile)
	if err != nil {
		return err
	}
	// Each unit's findings are filtered and encoded for the output as
	// they are computed; nothing is written before the last is in.
	st := textStyle(n, stdout)
	if format != report.SARIF {
		// Only SARIF locates findings in files: without the locator,
		// nothing the output needs holds on to the network once the
		// findings are in, and the collector need not mark it again
		// while the output is written.
		st.Loc = nil
	}
	out := st.NewExposureStream(format)
	bound := boundHeap()
	defer bound.release()
	var suppressed, baselined atomic.Int64
	res, err := exposureEach(ctx, n, func(unit int, fs []reach.ExposureFinding) {
		fs, left := sup.Exposure(fs)
		suppressed.Add(int64(left))
		if len(known) > 0 {
			kept := fs[:0:0]
			for i := range fs {
				if known.Has(&fs[i]) {
					baselined.Add(1)
					continue
				}
				kept = append(kept, fs[i])
			}
			fs = kept
		}
		out.Add(unit, fs)
		bound.hold(out.Held())
	})
	if err != nil {
		return err
	}
	res.Suppressed, res.Baselined = int(suppressed.Load()), int(baselined.Load())
	warnings := sourceWarnings(n)
	warnings = append(warnings, warningStrings(sup.Warnings)...)
	if err := out.Write(stdout, res, warnings); err != nil {
		return err
	}
	if failOn != 0 {
		if c := out.CountAtLeast(failOn); c > 0 {
			return &gateError{msg: fmt.Sprintf("%d exposure finding(s) at or above severity %s", c, failOn)}
		}
	}
	return nil
}

// sourceWarnings are the network's warnings to show with an answer (info
// notes left out).
func sourceWarnings(n *model.Network) []string {
	var warnings []string
	for _, w := range n.Warnings {
		if w.Severity != model.SevInfo {
			warnings = append(warnings, w.String())
		}
	}
	return warnings
}
