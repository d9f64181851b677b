package model

import (
	"fmt"
	"sort"
	"strings"
)

// Origin says where an element was read: the file, a JSON path or
// CloudFormation logical ID inside it, and the line when known.
type Origin struct {
	File string `json:"file,omitempty"`
	Path string `json:"path,omitempty"`
	Line int    `json:"line,omitempty"`
}

// String renders the origin as file:line (path), omitting what is unknown.
func (o Origin) String() string {
	var b strings.Builder
	b.WriteString(o.File)
	if o.Line > 0 {
		fmt.Fprintf(&b, ":%d", o.Line)
	}
	if o.Path != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(o.Path)
	}
	return b.String()
}

// Unknown is a value that the sources could not fix. Field names the
// property (for example "PrivateIpAddress"), Reason says why it is unknown.
type Unknown struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (u Unknown) String() string { return u.Field + ": " + u.Reason }

// Meta is embedded in every model element.
type Meta struct {
	// ID is the AWS identifier (vpc-…, an ARN for load balancers) or, for
	// resources from a template, the CloudFormation logical ID.
	ID string `json:"id"`
	// LogicalID is the CloudFormation logical ID (Parent/Child for nested
	// stacks) when the element comes from a template.
	LogicalID string            `json:"logicalId,omitempty"`
	Account   string            `json:"account,omitempty"`
	Region    string            `json:"region,omitempty"`
	Name      string            `json:"name,omitempty"` // the Name tag, or the resource's own name
	Tags      map[string]string `json:"tags,omitempty"`
	Origin    Origin            `json:"origin"`
	// Unknowns lists the values of this element the sources could not fix.
	Unknowns []Unknown `json:"unknowns,omitempty"`
	// Defaults lists the AWS defaults applied to this element because the
	// source did not state them (for example the allow-all egress rule).
	Defaults []string `json:"defaults,omitempty"`
	// Suppressions are the findings on this element its source declares
	// accepted, each with its reason (a template resource's Metadata
	// "vpcreach: suppress" entries, docs/suppressions.md).
	Suppressions []Suppression `json:"suppressions,omitempty"`
}

// Suppression is a finding a source declares accepted, deliberately and
// with a reason: analyses leave out the matching findings and count them.
type Suppression struct {
	// Rule is a lint rule ID or an exposure kind (internet-exposure,
	// internet-admin-port, peering-exposure, ...).
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
	// Expires is the last day (YYYY-MM-DD, UTC) the suppression applies;
	// "" never expires.
	Expires string `json:"expires,omitempty"`
	Origin  Origin `json:"origin"`
}

// Base returns the element's metadata; every element implements Element through it.
func (m *Meta) Base() *Meta { return m }

// AddUnknown records a value the sources could not fix.
func (m *Meta) AddUnknown(field, reason string) {
	m.Unknowns = append(m.Unknowns, Unknown{Field: field, Reason: reason})
}

// HasUnknown reports whether the field is among the element's unknowns.
func (m *Meta) HasUnknown(field string) bool {
	for _, u := range m.Unknowns {
		if u.Field == field {
			return true
		}
	}
	return false
}

// HasUnknowns reports whether anything about the element is unknown.
func (m *Meta) HasUnknowns() bool { return len(m.Unknowns) > 0 }

// Label is the element's ID followed by its Name tag when it has one.
func (m *Meta) Label() string {
	if m.Name != "" && m.Name != m.ID {
		return m.ID + " (" + m.Name + ")"
	}
	return m.ID
}

// Element is any model element.
type Element interface {
	Base() *Meta
	// Type is the CloudFormation-style type name, e.g. "AWS::EC2::VPC".
	Type() string
}

// Severity of a warning.
type Severity string

// Warning severities.
const (
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// Warning is something a source or Finalize noticed that does not stop the
// run: a key not understood, a reference to a missing resource, a type not
// modelled, an unknown value.
type Warning struct {
	Code     string   `json:"code"` // stable identifier, e.g. "unknown-key", "dangling-reference"
	Severity Severity `json:"severity"`
	Origin   Origin   `json:"origin"`
	Resource string   `json:"resource,omitempty"`
	Message  string   `json:"message"`
}

// String renders the warning as "file:line: code: message" (OPA style).
func (w Warning) String() string {
	loc := w.Origin.File
	if w.Origin.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, w.Origin.Line)
	}
	msg := w.Message
	if w.Resource != "" {
		msg = w.Resource + ": " + msg
	}
	if loc == "" {
		return w.Code + ": " + msg
	}
	return loc + ": " + w.Code + ": " + msg
}

// SortWarnings orders warnings by file, line, code and message, for stable output.
func SortWarnings(ws []Warning) {
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := ws[i], ws[j]
		if a.Origin.File != b.Origin.File {
			return a.Origin.File < b.Origin.File
		}
		if a.Origin.Line != b.Origin.Line {
			return a.Origin.Line < b.Origin.Line
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// Flag is a boolean that may be unknown (a template parameter without value).
type Flag int8

// Flag values.
const (
	False Flag = iota
	True
	UnknownFlag
)

// FlagOf converts a bool.
func FlagOf(b bool) Flag {
	if b {
		return True
	}
	return False
}

// IsTrue reports whether the flag is known to be true.
func (f Flag) IsTrue() bool { return f == True }

// MayBeTrue reports whether the flag is true or unknown: the reading to use
// when a true value opens a path.
func (f Flag) MayBeTrue() bool { return f != False }

func (f Flag) String() string {
	switch f {
	case True:
		return "true"
	case False:
		return "false"
	default:
		return "unknown"
	}
}

// MarshalText renders true, false or unknown.
func (f Flag) MarshalText() ([]byte, error) { return []byte(f.String()), nil }
