package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/report"
	"github.com/vpcreach/vpcreach/internal/source"
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
// on a terminal stderr when that takes a while.
func (p *sourceParams) loadShowing(ctx context.Context, stderr io.Writer) (*model.Network, error) {
	stop := progress(ctx, stderr, strings.Join(p.Sources, " "))
	defer stop()
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
	return source.Load(ctx, p.Sources, source.Options{Params: params, Region: p.Region, Account: p.Account, DefaultEgressIPv6: p.DefaultEgressIPv6})
}
