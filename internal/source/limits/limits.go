// Package limits holds the bounds every source reader applies, so that a
// hostile or broken input ends in an error naming the bound instead of
// exhausting time or memory. docs/limits.md lists them with the flags that
// raise the ones a real network can reach.
package limits

import (
	"fmt"

	"github.com/vpcreach/vpcreach/internal/diag"
)

// Limits are the bounds that a flag can raise. The zero value of a field
// means its default.
type Limits struct {
	// FileBytes bounds the size of one file read (--max-file-size).
	FileBytes int64
	// NestedStacks bounds the nested stacks one evaluation reads, counted
	// each time a template is nested, so that templates nesting each other
	// many times cannot multiply (--max-nested-stacks).
	NestedStacks int
	// TemplateResources bounds the resources of one evaluation, nested
	// stacks included (--max-template-resources).
	TemplateResources int
}

// Defaults of the bounds a flag raises.
const (
	// DefaultFileBytes is far above what one describe-* call returns for
	// the largest accounts known (tens of MB) and below what the memory of
	// a CI runner holds once decoded.
	DefaultFileBytes int64 = 2 << 30
	// DefaultNestedStacks: CloudFormation counts nested stacks against the
	// 2000 stacks per region quota.
	DefaultNestedStacks = 2000
	// DefaultTemplateResources: 500 resources per stack (CloudFormation's
	// quota) in 200 stacks.
	DefaultTemplateResources = 100_000
)

// Bounds no flag raises: inputs beyond them are not AWS output or
// templates CloudFormation accepts.
const (
	// TemplateBytes bounds a template file. CloudFormation accepts 1 MB
	// from S3 (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
	TemplateBytes = 16 << 20
	// StringBytes bounds one string: a template scalar, or one an
	// intrinsic function builds (Fn::Join, Fn::Sub, ...), and one JSON
	// string of a snapshot.
	StringBytes = 1 << 20
	// JSONDepth bounds the nesting of arrays and objects in a snapshot
	// file. AWS output nests about ten levels.
	JSONDepth = 100
	// TemplateNodes bounds the values of one template file, YAML aliases
	// expanded ("billion laughs").
	TemplateNodes = 1_000_000
	// AliasNodes bounds the values YAML aliases add to one template file.
	AliasNodes = 100_000
	// TemplateDepth bounds the nesting of a template's maps and lists.
	TemplateDepth = 200
)

// WithDefaults returns l with every unset bound at its default.
func (l Limits) WithDefaults() Limits {
	if l.FileBytes <= 0 {
		l.FileBytes = DefaultFileBytes
	}
	if l.NestedStacks <= 0 {
		l.NestedStacks = DefaultNestedStacks
	}
	if l.TemplateResources <= 0 {
		l.TemplateResources = DefaultTemplateResources
	}
	return l
}

// Code is the diag code of every error of this package's bounds.
const Code = "limit-exceeded"

// Errorf is an input error for a bound passed: what was passed, and how
// to raise the bound when a flag can ("raise it with --flag").
func Errorf(file string, line int, resource, flag, format string, args ...any) *diag.Error {
	msg := fmt.Sprintf(format, args...)
	if flag != "" {
		msg += " (raise the limit with " + flag + ")"
	}
	msg += "; see docs/limits.md"
	return &diag.Error{File: file, Line: line, Resource: resource, Code: Code, Message: msg}
}

// Size writes a byte count for a message: 16 MiB, 2 GiB, 1300 bytes.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}
