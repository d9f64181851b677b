package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/source"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// sourceParams are the flags every command that reads SOURCEs takes.
type sourceParams struct {
	Sources    []string
	Params     []string
	ParamsFile string
	Region     string
	Account    string
	Format     string
	// DefaultEgressIPv6 is --cfn-default-egress-ipv6.
	DefaultEgressIPv6 bool
	// MaxFileSize, MaxNestedStacks and MaxTemplateResources raise the
	// bounds of docs/limits.md.
	MaxFileSize          string
	MaxNestedStacks      int
	MaxTemplateResources int
}

// addSourceFlags registers the common flags (cli.md "Common flags").
func addSourceFlags(cmd *cobra.Command, p *sourceParams) {
	f := cmd.Flags()
	f.StringVar(&p.Format, "format", "text", "output format: text or json")
	f.StringArrayVar(&p.Params, "param", nil, "CloudFormation parameter `Name=Value` (repeatable)")
	f.StringVar(&p.ParamsFile, "params", "", "CloudFormation parameters `FILE` (ParameterKey/ParameterValue JSON)")
	f.StringVar(&p.Region, "region", "", "AWS::Region for templates that do not say")
	f.StringVar(&p.Account, "account", "", "AWS::AccountId for templates that do not say")
	f.BoolVar(&p.DefaultEgressIPv6, "cfn-default-egress-ipv6", false,
		"give a template security group without SecurityGroupEgress a ::/0 allow-all egress rule too, as CloudFormation's documentation says (observed AWS behaviour, the default, adds 0.0.0.0/0 only)")
	f.StringVar(&p.MaxFileSize, "max-file-size", limits.Size(limits.DefaultFileBytes), "largest `SIZE` of one snapshot file (bytes, or with KiB, MiB, GiB)")
	f.IntVar(&p.MaxNestedStacks, "max-nested-stacks", limits.DefaultNestedStacks, "most nested stacks read in one template's evaluation")
	f.IntVar(&p.MaxTemplateResources, "max-template-resources", limits.DefaultTemplateResources, "most resources in one template's evaluation, nested stacks included")
}

// limits reads the flags that raise the bounds of docs/limits.md; unset
// (zero) fields are the defaults.
func (p *sourceParams) limits() (limits.Limits, error) {
	var size int64
	if p.MaxFileSize != "" {
		var err error
		if size, err = parseSize(p.MaxFileSize); err != nil {
			return limits.Limits{}, usagef("--max-file-size %q: %v", p.MaxFileSize, err)
		}
	}
	if p.MaxNestedStacks < 0 {
		return limits.Limits{}, usagef("--max-nested-stacks %d: want at least 1", p.MaxNestedStacks)
	}
	if p.MaxTemplateResources < 0 {
		return limits.Limits{}, usagef("--max-template-resources %d: want at least 1", p.MaxTemplateResources)
	}
	return limits.Limits{FileBytes: size, NestedStacks: p.MaxNestedStacks, TemplateResources: p.MaxTemplateResources}, nil
}

// parseSize reads a byte count: 1048576, 512KiB, 64MiB, 4GiB (KB, MB and
// GB are read as the same powers of two).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("want a positive number of bytes, e.g. 4GiB")
	}
	if v > math.MaxInt64/mult {
		return 0, fmt.Errorf("too large")
	}
	return v * mult, nil
}

// format checks --format against what the command offers.
func (p *sourceParams) format(allowed ...report.Format) (report.Format, error) {
	f, err := report.ParseFormat(p.Format, allowed...)
	if err != nil {
		return "", &usageError{err}
	}
	return f, nil
}

// loadShowing reads the SOURCEs into one finalized network, with a progress line
// on a terminal stderr when that takes a while, and the collector set for
// reading meanwhile (readingCollector).
func (p *sourceParams) loadShowing(ctx context.Context, stderr io.Writer) (*model.Network, error) {
	stop := progress(ctx, stderr, strings.Join(p.Sources, " "))
	defer stop()
	defer readingCollector()()
	return p.load(ctx)
}

// load reads the SOURCEs into one finalized network.
func (p *sourceParams) load(ctx context.Context) (*model.Network, error) {
	if len(p.Sources) == 0 {
		return nil, usagef("no SOURCE given: name a snapshot folder or a CloudFormation template")
	}
	params, err := source.ParseParams(p.ParamsFile, p.Params)
	if err != nil {
		return nil, err
	}
	lim, err := p.limits()
	if err != nil {
		return nil, err
	}
	return source.Load(ctx, p.Sources, source.Options{Params: params, Region: p.Region, Account: p.Account, DefaultEgressIPv6: p.DefaultEgressIPv6, Limits: lim})
}

// exposureOf is what exposure reports of a network: every interface's
// exposure with the Client VPN users' findings added. A cancelled run is
// an error, never a partial result.
func exposureOf(ctx context.Context, n *model.Network) (*reach.ExposureResult, error) {
	eng := reach.New(n)
	res := eng.Exposure(ctx, reach.ExposureOptions{})
	res.AddFindings(eng.ClientVPNExposure(ctx))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// exposureEach computes what exposureOf does without holding the findings:
// each gets every unit's findings as they are computed (from several
// goroutines at once), the Client VPN users' findings last, as the unit
// after every other. A cancelled run is an error, and each is then called
// no more.
func exposureEach(ctx context.Context, n *model.Network, each func(unit int, fs []reach.ExposureFinding)) (*reach.ExposureResult, error) {
	eng := reach.New(n)
	res := eng.ExposureEach(ctx, reach.ExposureOptions{}, each)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fs, warnings := eng.ClientVPNExposure(ctx)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.AddFindings(nil, warnings)
	each(math.MaxInt, fs)
	return res, nil
}
