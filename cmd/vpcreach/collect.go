package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/collect"
)

// collectParams are the flags of `vpcreach collect`.
type collectParams struct {
	Out         string
	Profile     string
	Regions     []string
	AllRegions  bool
	EndpointURL string
	RoleARNs    []string
	Quiet       bool
	Format      string
	Concurrency int
	// AllowPartial accepts a snapshot some calls or regions are missing
	// from: exit 0 with a warning instead of exit 1.
	AllowPartial bool
	// noServerErrorRetry (hidden flag) is for emulators whose
	// unimplemented calls answer HTTP 500 every time.
	noServerErrorRetry bool
}

func newCollectCmd() *cobra.Command {
	var p collectParams
	cmd := &cobra.Command{
		Use:   "collect --out DIR [--profile P] [--region R]... [--endpoint-url URL]",
		Short: "Write a read-only snapshot of a live account in the snapshot layout",
		Long: `collect reads the account (or, with --role-arn, each account) with read-only
Describe/List/Get/Search calls and writes what the AWS CLI would print for each
into DIR/aws_configs/<account>/<region>/, plus DIR/manifest.json saying what was
collected, when, by which identity and what failed. DIR is written beside itself
under a temporary name and renamed at the end: an interrupted run leaves none.

Credentials come from the standard chain (environment, shared config and
profiles, SSO, instance roles). docs/iam-policy.json is the minimal policy.

Exit status 0 when everything requested was collected; 1 when the snapshot is
partial (a call failed, or a requested region gave nothing): it is still
written, manifest.json names what failed, and each failure is a warning on
stderr; --allow-partial accepts a partial snapshot (exit 0, with a warning);
2 for bad usage, or when nothing could be collected (nothing is written).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCollect(cmd.Context(), p, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Out, "out", "", "snapshot `DIR` to create (must not exist, or be empty)")
	f.StringVar(&p.Profile, "profile", "", "shared config `PROFILE`")
	f.StringArrayVar(&p.Regions, "region", nil, "`REGION` to read (repeatable; default the profile's)")
	f.BoolVar(&p.AllRegions, "all-regions", false, "read every region enabled in the account")
	f.StringVar(&p.EndpointURL, "endpoint-url", "", "send every call to `URL` (moto, LocalStack)")
	f.StringArrayVar(&p.RoleARNs, "role-arn", nil, "assume `ARN` and read its account (repeatable: one folder per account)")
	f.BoolVar(&p.Quiet, "quiet", false, "no progress on stderr")
	f.StringVar(&p.Format, "format", "text", "summary format: text or json (the manifest)")
	f.IntVar(&p.Concurrency, "concurrency", 8, "calls in flight at most, across accounts, regions and services")
	f.BoolVar(&p.AllowPartial, "allow-partial", false, "exit 0 (with a warning) when some calls failed or a region gave nothing; without it such a snapshot is written but exits 1")
	f.BoolVar(&p.noServerErrorRetry, "no-server-error-retry", false, "do not retry HTTP 5xx answers (an emulator's unimplemented calls)")
	_ = f.MarkHidden("no-server-error-retry")
	return cmd
}

func runCollect(ctx context.Context, p collectParams, stdout, stderr io.Writer) error {
	if p.Out == "" {
		return usagef("collect needs --out DIR")
	}
	if p.Format != "text" && p.Format != "json" {
		return usagef("unknown --format %q for collect: text or json", p.Format)
	}
	if len(p.Regions) > 0 && p.AllRegions {
		return usagef("give --region or --all-regions, not both")
	}
	if p.Concurrency < 1 {
		return usagef("--concurrency must be at least 1")
	}
	opts := collect.Options{
		Out:                p.Out,
		Profile:            p.Profile,
		Regions:            p.Regions,
		AllRegions:         p.AllRegions,
		EndpointURL:        p.EndpointURL,
		RoleARNs:           p.RoleARNs,
		Concurrency:        p.Concurrency,
		NoServerErrorRetry: p.noServerErrorRetry,
	}
	if !p.Quiet {
		opts.Progress = stderr
		opts.Terminal = collect.IsTerminal(stderr)
	}
	m, err := collect.Run(ctx, opts)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("collect: interrupted: nothing was written to %s", p.Out)
	}
	if m != nil {
		for _, w := range m.Warnings() {
			fmt.Fprintln(stderr, "vpcreach: warning:", w)
		}
	}
	if err != nil {
		if errors.Is(err, collect.ErrNothingCollected) {
			return fmt.Errorf("collect: %w (see the warnings above)", err)
		}
		return fmt.Errorf("collect: %w", err)
	}
	if p.Format == "json" {
		data, err := collect.EncodeManifest(m)
		if err != nil {
			return err
		}
		if _, err = stdout.Write(data); err != nil {
			return err
		}
		return partial(p, m, stderr)
	}
	var accounts []string
	for _, a := range m.Accounts {
		regions := make([]string, 0, len(a.Regions))
		for _, r := range a.Regions {
			if r.Region != "global" {
				regions = append(regions, r.Region)
			}
		}
		accounts = append(accounts, fmt.Sprintf("%s (%s)", a.AccountID, strings.Join(regions, ", ")))
	}
	fmt.Fprintf(stdout, "wrote %s: %d files from %s", p.Out, m.Collected(), strings.Join(accounts, "; "))
	if n := m.FailedCount(); n > 0 {
		fmt.Fprintf(stdout, "; %d not collected (see manifest.json)", n)
	}
	fmt.Fprintln(stdout)
	return partial(p, m, stderr)
}

// partial is the answer on a snapshot that lacks something requested: a
// gate error (exit 1) for CI, or with --allow-partial a warning.
func partial(p collectParams, m *collect.Manifest, stderr io.Writer) error {
	gaps := m.Gaps()
	if len(gaps) == 0 {
		return nil
	}
	what := fmt.Sprintf("the snapshot in %s is partial: %s (manifest.json names each)", p.Out, strings.Join(gaps, "; "))
	if p.AllowPartial {
		fmt.Fprintf(stderr, "vpcreach: warning: %s; accepted under --allow-partial\n", what)
		return nil
	}
	return &gateError{what + "; --allow-partial accepts it"}
}
