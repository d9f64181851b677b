// Package source turns SOURCE arguments (snapshot folders, AWS API output
// files, CloudFormation templates, Terraform plans and state) into one
// model.Network.
package source

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/cloudformation"
	"github.com/vpcreach/vpcreach/internal/source/limits"
	"github.com/vpcreach/vpcreach/internal/source/snapshot"
	"github.com/vpcreach/vpcreach/internal/source/srcfile"
	"github.com/vpcreach/vpcreach/internal/source/terraform"
)

// Options apply to every source.
type Options struct {
	// Params are CloudFormation parameter values by name.
	Params map[string]string
	// Region and Account are CloudFormation's pseudo parameters when a
	// template does not say.
	Region  string
	Account string
	// DefaultEgressIPv6 follows CloudFormation's documentation, which says a
	// security group without SecurityGroupEgress also gets ::/0 egress;
	// field reports say only 0.0.0.0/0 is added, the default (R8.2).
	DefaultEgressIPv6 bool
	// Limits bound what is read (docs/limits.md); unset fields take their
	// defaults.
	Limits limits.Limits
}

// Kind is the format of a source.
type Kind string

// Source kinds.
const (
	KindSnapshot       Kind = "snapshot"
	KindCloudFormation Kind = "cloudformation"
	KindTerraform      Kind = "terraform"
)

// Detect tells a source's format: a folder is a snapshot; a .yaml, .yml or
// .template file is a template; a .json file is a template when it has
// "Resources" or "AWSTemplateFormatVersion" at top level, else AWS API output.
func Detect(path string) (Kind, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", &diag.Error{File: path, Code: "unreadable", Message: "cannot read source", Err: err}
	}
	if fi.IsDir() {
		return KindSnapshot, nil
	}
	if !fi.Mode().IsRegular() {
		// A named pipe would block here, or lose what this first look reads.
		return "", srcfile.NotRegular(path, fi.Mode())
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".template":
		return KindCloudFormation, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", &diag.Error{File: path, Code: "unreadable", Message: "cannot read source", Err: err}
	}
	defer f.Close()
	head, _ := io.ReadAll(io.LimitReader(bufio.NewReader(f), 1<<20))
	if _, err := srcfile.Check(path, head[:len(head)-utf8Tail(head)]); err != nil {
		return "", err
	}
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if terraform.Looks(head) {
		// terraform show -json output, of a plan or of state, whatever its name.
		return KindTerraform, nil
	}
	if bytes.Contains(head, []byte(`"AWSTemplateFormatVersion"`)) || bytes.Contains(head, []byte(`"Resources"`)) {
		return KindCloudFormation, nil
	}
	if t := bytes.TrimSpace(head); len(t) > 0 && t[0] != '{' && t[0] != '[' {
		// Not JSON: a YAML template with another extension.
		return KindCloudFormation, nil
	}
	return KindSnapshot, nil
}

// Load reads every source into one network and finalizes it. Input that
// cannot be read is a *diag.Error.
func Load(ctx context.Context, paths []string, opts Options) (*model.Network, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no SOURCE given: name a snapshot folder or a CloudFormation template")
	}
	n := &model.Network{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		kind, err := Detect(p)
		if err != nil {
			return nil, err
		}
		switch kind {
		case KindSnapshot:
			err = snapshot.ReadContext(ctx, p, n, opts.Limits)
		case KindCloudFormation:
			err = cloudformation.ReadContext(ctx, p, cloudformation.Options{Params: opts.Params, Region: opts.Region, Account: opts.Account, DefaultEgressIPv6: opts.DefaultEgressIPv6, Limits: opts.Limits}, n)
		case KindTerraform:
			err = terraform.Read(p, terraform.Options{Region: opts.Region, Account: opts.Account}, n)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		n.Sources = append(n.Sources, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	n.Finalize()
	model.SortWarnings(n.Warnings)
	return n, nil
}

// utf8Tail is how many bytes at the end of head may be a character cut in
// two by the 1 MiB first look, not invalid UTF-8.
func utf8Tail(head []byte) int {
	for k := 1; k <= 3 && k <= len(head); k++ {
		if c := head[len(head)-k]; c&0xC0 != 0x80 {
			if c >= 0xC0 {
				return k
			}
			return 0
		}
	}
	return 0
}
