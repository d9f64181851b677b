package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/topology"
	"github.com/vpcreach/vpcreach/internal/version"
)

// reportParams are the flags of `vpcreach report`.
type reportParams struct {
	sourceParams
	// Out is the HTML file to write.
	Out string
	// Title heads the page (default: the SOURCEs).
	Title string
	// Collapse is as for diagram.
	Collapse int
	// Ignore is an ignore file of reasoned suppressions.
	Ignore string
}

func newReportCmd() *cobra.Command {
	var p reportParams
	cmd := &cobra.Command{
		Use:   "report SOURCE... --out FILE.html",
		Short: "One self-contained HTML page: the topology drawn, exposure and lint findings, paths highlighted",
		Long: `report writes one HTML file that shows the network: the topology drawn as
vpcreach diagram draws it (VPCs, subnets, resources, gateways, routes), with
exposed resources outlined by their worst severity, and the exposure and lint
findings in tables that sort by any column and filter on any text. Selecting a
finding (click, or Enter on its row) highlights its path on the drawing and
lists its components in order.

The file holds its scripts, styles and data, and its Content-Security-Policy
forbids every request: it opens offline, from a mail attachment or an
artifact store, and shows nothing that is not in it. Findings are those of
vpcreach exposure and vpcreach lint with the sources' own suppressions and
--ignore FILE left out and counted.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Sources = args
			return runReport(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addSourceFlags(cmd, &p.sourceParams)
	f := cmd.Flags()
	f.Lookup("format").Usage = "format of the summary on stdout: text or json (the page is always HTML)"
	onceStringVar(f, &p.Out, "out", "the HTML `FILE` to write")
	f.StringVar(&p.Title, "title", "", "the page's title (default: vpcreach report of the SOURCEs)")
	f.IntVar(&p.Collapse, "collapse", topology.DefaultCollapse, "draw more than `N` resources of one kind in a subnet as one box with their count (-1: never)")
	f.StringVar(&p.Ignore, "ignore", "", "leave out (and count) the findings a YAML ignore `FILE` suppresses, each with its reason (docs/suppressions.md)")
	return cmd
}

// reportSummary is what `vpcreach report` prints once the page is written.
type reportSummary struct {
	SchemaVersion int    `json:"schemaVersion"`
	Out           string `json:"out"`
	report.HTMLStats
}

// runReport reads the sources, analyses them and writes the page.
func runReport(ctx context.Context, p reportParams, stdout, stderr io.Writer) error {
	format, err := p.format(report.Text, report.JSON)
	if err != nil {
		return err
	}
	if p.Out == "" {
		return usagef("report needs --out FILE.html")
	}
	if p.Collapse == 0 || p.Collapse < -1 {
		return usagef("--collapse %d: want 1 or more, or -1 to never collapse", p.Collapse)
	}
	fp := filterParams{Ignore: p.Ignore}
	fromFile, err := fp.ignoreEntries()
	if err != nil {
		return err
	}
	n, err := p.loadShowing(ctx, stderr)
	if err != nil {
		return err
	}
	sup, err := fp.suppressions(n, fromFile)
	if err != nil {
		return err
	}
	exp, err := exposureOf(ctx, n)
	if err != nil {
		return err
	}
	exp.Findings, exp.Suppressed = sup.Exposure(exp.Findings)
	lp := lintParams{sourceParams: p.sourceParams, filterParams: fp}
	lres, err := lp.lintOne(ctx, n, lintFilters{fromFile: fromFile})
	if err != nil {
		return err
	}
	g := topology.Build(n, topology.Options{Collapse: p.Collapse})
	title := p.Title
	if title == "" {
		title = "vpcreach report: " + strings.Join(p.Sources, ", ")
	}
	warnings := append(sourceWarnings(n), warningStrings(sup.Warnings)...)
	st := textStyle(n, io.Discard)
	st.Color = false
	// Written beside the target and renamed, so a failed run leaves no
	// half page under the name asked for.
	tmp, err := os.CreateTemp(filepath.Dir(p.Out), ".vpcreach-report-*")
	if err != nil {
		return usagef("--out %s: %v", p.Out, err)
	}
	defer os.Remove(tmp.Name())
	stats, err := st.WriteHTML(tmp, report.HTMLReport{Title: title, Sources: p.Sources, Version: version.String(), Network: n, Graph: g,
		Exposure: exp, Lint: lres, Warnings: warnings})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", p.Out, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), p.Out); err != nil {
		return usagef("--out %s: %v", p.Out, err)
	}
	if format == report.JSON {
		return report.WriteJSON(stdout, reportSummary{SchemaVersion: report.SchemaVersion, Out: p.Out, HTMLStats: stats})
	}
	_, err = fmt.Fprintf(stdout, "wrote %s (%d bytes): %d boxes and %d edges drawn, %d exposure and %d lint finding(s)\n",
		p.Out, stats.Bytes, stats.Nodes, stats.Edges, stats.Exposure, stats.Lint)
	return err
}
