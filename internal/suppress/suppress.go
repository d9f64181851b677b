// Package suppress applies deliberate, reasoned suppressions to exposure
// and lint findings: those a template declares on a resource (Metadata
// "vpcreach: suppress", carried in model.Meta.Suppressions) and those of an
// ignore file. A suppressed finding is left out of the findings and of the
// gates but counted, never silently gone; an expired suppression stops
// applying and says so in a warning. docs/suppressions.md describes both.
package suppress

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// Entry is one suppression.
type Entry struct {
	// Resource is the resource's AWS ID, CloudFormation logical ID or
	// Name tag. An exposure finding matches an entry on its resource, on
	// the interface it arrives at, or on a security group of that interface.
	Resource string
	// Rule is a lint rule ID or an exposure kind ("" every finding).
	Rule string
	// Edge is an edge kind (internet, vpc-peering, ...) or an edge ID
	// (igw-..., pcx-...); "" every edge. Set, it applies to exposure only.
	Edge string
	// Ports, when set, is the range a finding's ports must lie within
	// (exposure only).
	Ports *model.PortRange
	// Reason says why the finding is accepted: required.
	Reason string
	// Expires is the last day the entry applies ("" never), YYYY-MM-DD.
	Expires string
	// Origin is the file and line that declares it.
	Origin model.Origin
}

// ExposureKinds are the kinds of exposure an entry's Rule may name: the
// rule IDs of exposure's SARIF output.
var ExposureKinds = reach.ExposureKinds

// KindOf is the exposure kind of a finding.
func KindOf(f *reach.ExposureFinding) string { return reach.ExposureKind(f) }

// CheckRule reports an error when rule is neither "" nor a lint rule ID
// nor an exposure kind: a misspelt rule would otherwise never match.
func CheckRule(rule string) error {
	if rule == "" || slices.Contains(ExposureKinds, rule) {
		return nil
	}
	if _, ok := lint.RuleByID(rule); ok {
		return nil
	}
	return fmt.Errorf("rule %q is neither a lint rule ID (vpcreach lint --list-rules) nor an exposure kind (%s)", rule, strings.Join(ExposureKinds, ", "))
}

// CheckExpires reports an error when s is neither "" nor a YYYY-MM-DD date.
func CheckExpires(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("expires %q is not a YYYY-MM-DD date", s)
	}
	return nil
}

// FromNetwork returns the suppressions the network's elements carry,
// each on its element. A rule that names nothing is an error.
func FromNetwork(n *model.Network) ([]Entry, error) {
	var out []Entry
	var err error
	n.Elements(func(e model.Element) {
		m := e.Base()
		for _, s := range m.Suppressions {
			if err == nil {
				if cerr := CheckRule(s.Rule); cerr != nil {
					err = &diag.Error{File: s.Origin.File, Line: s.Origin.Line, Resource: m.ID, Code: "bad-suppression", Message: cerr.Error()}
				}
			}
			out = append(out, Entry{Resource: m.ID, Rule: s.Rule, Reason: s.Reason, Expires: s.Expires, Origin: s.Origin})
		}
	})
	return out, err
}

// Set is the entries in force on a day, over one network.
type Set struct {
	active []Entry
	net    *model.Network
	// Warnings name the expired entries, which no longer apply.
	Warnings []model.Warning
}

// New keeps the entries in force on today (UTC date) and warns of the
// others. n resolves a finding's resource to its logical ID and Name tag.
func New(n *model.Network, entries []Entry, today time.Time) *Set {
	s := &Set{net: n}
	day := today.UTC().Format(time.DateOnly)
	for _, e := range entries {
		if e.Expires != "" && e.Expires < day {
			s.Warnings = append(s.Warnings, model.Warning{Code: "suppression-expired", Severity: model.SevWarning, Origin: e.Origin,
				Resource: e.Resource, Message: fmt.Sprintf("the suppression of %s expired on %s and no longer applies (reason was: %s)", ruleText(e.Rule), e.Expires, e.Reason)})
			continue
		}
		s.active = append(s.active, e)
	}
	return s
}

func ruleText(r string) string {
	if r == "" {
		return "every finding"
	}
	return r
}

// Empty reports whether no entry is in force.
func (s *Set) Empty() bool { return s == nil || len(s.active) == 0 }

// names returns the IDs, logical IDs and Name tags an element is known by.
func (s *Set) names(id string, into map[string]bool) {
	if id == "" {
		return
	}
	into[id] = true
	if s.net == nil {
		return
	}
	if e, ok := s.net.Lookup(id); ok {
		m := e.Base()
		into[m.ID] = true
		if m.LogicalID != "" {
			into[m.LogicalID] = true
		}
		if m.Name != "" {
			into[m.Name] = true
		}
	}
}

// exposureNames are the names a finding may be suppressed under: its
// resource, its interface and the interface's security groups.
func (s *Set) exposureNames(f *reach.ExposureFinding) map[string]bool {
	ns := map[string]bool{}
	s.names(f.Resource.ID, ns)
	s.names(f.Resource.ENI, ns)
	if s.net != nil && f.Resource.ENI != "" {
		if e, ok := s.net.Lookup(f.Resource.ENI); ok {
			if ni, ok := e.(*model.NetworkInterface); ok {
				for _, g := range ni.SecurityGroupIDs {
					s.names(g, ns)
				}
			}
		}
	}
	return ns
}

// MatchExposure returns the entry that suppresses an exposure finding.
func (s *Set) MatchExposure(f *reach.ExposureFinding) (Entry, bool) {
	if s.Empty() {
		return Entry{}, false
	}
	var ns map[string]bool
	kind := KindOf(f)
	for _, e := range s.active {
		if e.Rule != "" && e.Rule != kind {
			continue
		}
		if e.Edge != "" && e.Edge != string(f.From.Kind) && e.Edge != f.From.ID {
			continue
		}
		if e.Ports != nil && (f.Ports.From < e.Ports.From || f.Ports.To > e.Ports.To) {
			continue
		}
		if ns == nil {
			ns = s.exposureNames(f)
		}
		if ns[e.Resource] {
			return e, true
		}
	}
	return Entry{}, false
}

// MatchLint returns the entry that suppresses a lint finding. Entries
// with an edge or ports are about exposure and never match one.
func (s *Set) MatchLint(f *lint.Finding) (Entry, bool) {
	if s.Empty() {
		return Entry{}, false
	}
	var ns map[string]bool
	for _, e := range s.active {
		if e.Edge != "" || e.Ports != nil || (e.Rule != "" && e.Rule != f.Rule.ID) {
			continue
		}
		if ns == nil {
			ns = map[string]bool{}
			s.names(f.Resource.ID, ns)
		}
		if ns[e.Resource] {
			return e, true
		}
	}
	return Entry{}, false
}

// Exposure leaves the suppressed findings out of fs and returns the rest
// and how many were left out.
func (s *Set) Exposure(fs []reach.ExposureFinding) ([]reach.ExposureFinding, int) {
	if s.Empty() {
		return fs, 0
	}
	kept := fs[:0:0]
	for i := range fs {
		if _, ok := s.MatchExposure(&fs[i]); !ok {
			kept = append(kept, fs[i])
		}
	}
	return kept, len(fs) - len(kept)
}

// Lint leaves the suppressed findings out of fs and returns the rest and
// how many were left out.
func (s *Set) Lint(fs []lint.Finding) ([]lint.Finding, int) {
	if s.Empty() {
		return fs, 0
	}
	kept := fs[:0:0]
	for i := range fs {
		if _, ok := s.MatchLint(&fs[i]); !ok {
			kept = append(kept, fs[i])
		}
	}
	return kept, len(fs) - len(kept)
}
