package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/source/terraform"
	"github.com/vpcreach/vpcreach/internal/synth"
)

// generateParams are the flags of generate.
type generateParams struct {
	Out      string
	VPCs     int
	ENIs     int
	Seed     uint64
	Accounts int
	Regions  int
	SGRules  int
	Preset   string
	// Format is snapshot (the default) or terraform-plan: one
	// terraform show -json plan file of Resources resource instances.
	Format    string
	Resources int
}

func newGenerateCmd() *cobra.Command {
	var p generateParams
	cmd := &cobra.Command{
		Use:   "generate --out DIR [--vpcs N] [--enis M] [--seed S] [--accounts A] [--regions R] [--sg-rules K]",
		Short: "Write a deterministic synthetic organisation in the snapshot layout (for benchmarks)",
		Long: `generate writes a synthetic AWS organisation as AWS CLI describe-* output in
the snapshot layout (DIR/aws_configs/<account>/<region>/*.json), ready to be
read by every other command. The same flags always give the same bytes.

--enis counts every network interface written (instances', NAT gateways',
load balancers' and standalone ones); --sg-rules counts security group
rules the way AWS does (one per CIDR, prefix list or group of a
permission), ingress and egress; by default it is twice --enis.
--preset small|medium|large starts from the benchmark sizes (about 1k,
10k and 100k interfaces); flags given explicitly override it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			return runGenerate(cmd.Context(), p, func(name string) bool { return f.Changed(name) }, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Out, "out", "", "folder to write (must not already hold aws_configs/)")
	f.IntVar(&p.VPCs, "vpcs", 10, "number of VPCs")
	f.IntVar(&p.ENIs, "enis", 1000, "number of network interfaces")
	f.Uint64Var(&p.Seed, "seed", 1, "seed of every random choice")
	f.IntVar(&p.Accounts, "accounts", 1, "number of accounts")
	f.IntVar(&p.Regions, "regions", 1, "number of regions per account")
	f.IntVar(&p.SGRules, "sg-rules", -1, "number of security group rules")
	f.Lookup("sg-rules").DefValue = "2 × --enis"
	f.StringVar(&p.Preset, "preset", "", "start from a benchmark size: small, medium or large")
	f.StringVar(&p.Format, "format", "snapshot", "snapshot, or terraform-plan: write --out FILE, a plan of --resources resource instances")
	f.IntVar(&p.Resources, "resources", 10000, "resource instances of a terraform-plan")
	return cmd
}

// runGenerate writes the organisation and prints what it wrote. changed
// tells which flags were given explicitly.
func runGenerate(ctx context.Context, p generateParams, changed func(string) bool, stdout io.Writer) error {
	if p.Out == "" {
		return usagef("generate needs --out DIR")
	}
	switch p.Format {
	case "", "snapshot":
	case "terraform-plan":
		data, err := terraform.GeneratePlan(p.Resources)
		if err != nil {
			return err
		}
		if err := os.WriteFile(p.Out, data, 0o644); err != nil {
			return usagef("generate: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s: a Terraform plan of about %d resources\n", p.Out, p.Resources)
		return nil
	default:
		return usagef("unknown --format %q: use snapshot or terraform-plan", p.Format)
	}
	cfg := synth.Config{Seed: p.Seed, Accounts: p.Accounts, Regions: p.Regions, VPCs: p.VPCs, ENIs: p.ENIs, SGRules: p.SGRules}
	if p.Preset != "" {
		var base synth.Config
		switch p.Preset {
		case "small":
			base = synth.Small
		case "medium":
			base = synth.Medium
		case "large":
			base = synth.Large
		default:
			return usagef("unknown --preset %q: use small, medium or large", p.Preset)
		}
		for _, o := range []struct {
			flag string
			set  func()
		}{
			{"seed", func() { base.Seed = cfg.Seed }},
			{"accounts", func() { base.Accounts = cfg.Accounts }},
			{"regions", func() { base.Regions = cfg.Regions }},
			{"vpcs", func() { base.VPCs = cfg.VPCs }},
			{"enis", func() { base.ENIs = cfg.ENIs }},
			{"sg-rules", func() { base.SGRules = cfg.SGRules }},
		} {
			if changed(o.flag) {
				o.set()
			}
		}
		cfg = base
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	start := time.Now()
	stats, err := synth.GenerateStats(p.Out, cfg)
	if err != nil {
		return usagef("generate: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s/aws_configs in %.2fs\n", p.Out, time.Since(start).Seconds())
	for _, k := range stats.Keys() {
		fmt.Fprintf(stdout, "  %-45s %d\n", k, stats[k])
	}
	s, err := synth.SampleOf(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sample REFs (first VPC %s, account %s, %s):\n", s.VPC, s.Account, s.Region)
	if s.PublicInstance != "" {
		fmt.Fprintf(stdout, "  public instance   %s (%s, public %s)\n", s.PublicInstance, s.PublicInstanceIP, s.PublicAddress)
	}
	if s.PrivateInstance != "" {
		fmt.Fprintf(stdout, "  private instance  %s (%s)\n", s.PrivateInstance, s.PrivateInstanceIP)
		fmt.Fprintf(stdout, "  private name      %s\n", s.PrivateName)
	}
	return nil
}
