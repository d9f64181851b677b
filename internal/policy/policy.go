// Package policy checks a network against intent written as data: rules
// that deny or require reachability between selected places, in the spirit
// of Network Access Analyzer scopes and Batfish assertions (docs/policy.md).
//
// internal/policyfile reads a policy file keeping every value's line, so
// a bad file is reported as file:line: code: message; Check answers every
// rule over a reach.Engine with one set-valued traversal per matched (from, to) pair:
// all the rule's ports and protocols at once, never port by port.
package policy

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Kind says what a rule asks of its pairs.
type Kind string

// Rule kinds.
const (
	// Deny: no matched pair may be reachable or possibly-reachable.
	Deny Kind = "deny"
	// Require: every matched pair must be reachable (possibly is a failure).
	Require Kind = "require"
)

// Policy is a parsed policy file.
type Policy struct {
	File  string
	Rules []Rule
}

// Rule is one deny or require rule.
type Rule struct {
	ID          string
	Description string
	Kind        Kind
	From, To    Selector
	// Protocol is tcp, udp, icmp or all (model.ProtoAll, the default).
	Protocol model.Protocol
	// Ports are the destination ports; nil means every port.
	Ports *model.PortRange
	// Line is the line of the rule's first key.
	Line int
}

// PortsText renders the rule's ports as the file would ("any" when unset).
func (r Rule) PortsText() string {
	if r.Ports == nil {
		return "any"
	}
	if r.Ports.From == r.Ports.To {
		return strconv.Itoa(int(r.Ports.From))
	}
	return fmt.Sprintf("%d-%d", r.Ports.From, r.Ports.To)
}

// Selector picks places: it matches what any of its terms matches.
type Selector struct {
	Terms []Term
	Line  int
}

// Term is one selector: a REF string, or conditions that must all hold.
type Term struct {
	// Ref is a REF as `vpcreach path` takes it ("internet" included).
	Ref    string
	ID     string
	Tags   map[string]string
	Type   string
	VPC    string
	Subnet string
	CIDR   netip.Prefix
	Line   int
}

// String renders the term as the policy file wrote it, for messages.
func (t Term) String() string {
	if t.Ref != "" {
		return t.Ref
	}
	var parts []string
	if t.ID != "" {
		parts = append(parts, "id: "+t.ID)
	}
	if len(t.Tags) > 0 {
		keys := make([]string, 0, len(t.Tags))
		for k := range t.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var kv []string
		for _, k := range keys {
			kv = append(kv, k+": "+t.Tags[k])
		}
		parts = append(parts, "tag: {"+strings.Join(kv, ", ")+"}")
	}
	if t.Type != "" {
		parts = append(parts, "type: "+t.Type)
	}
	if t.VPC != "" {
		parts = append(parts, "vpc: "+t.VPC)
	}
	if t.Subnet != "" {
		parts = append(parts, "subnet: "+t.Subnet)
	}
	if t.CIDR.IsValid() {
		parts = append(parts, "cidr: "+t.CIDR.String())
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// Error codes of a bad policy file (policyfile) and of a selector that
// matches nothing (Check).
const (
	CodeSyntax          = "bad-policy-yaml"
	CodeUnknownKey      = "unknown-key"
	CodeShape           = "bad-policy"
	CodeMissingID       = "missing-id"
	CodeDuplicateID     = "duplicate-id"
	CodeDenyAndRequire  = "deny-and-require"
	CodeNoDenyOrRequire = "no-deny-or-require"
	CodeBadProtocol     = "bad-protocol"
	CodeBadPorts        = "bad-ports"
	CodeBadSelector     = "bad-selector"
	CodeMatchesNothing  = "selector-matches-nothing"
	CodeAmbiguousRef    = "ambiguous-ref"
)
