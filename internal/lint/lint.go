// Package lint finds configuration pitfalls in a model.Network: AWS defaults
// that surprise (the allow-all egress CloudFormation adds), rules that cannot
// work (a port range on an all-protocol rule, a network ACL without a return
// path, a security group that cannot stop DNS), and DNS servers nobody can
// reach. Each finding names a rule with a stable ID, the resource, and the
// origin (file and line) of what triggers it.
//
// Rule IDs are readable kebab-case names (sg-implicit-allow-all-egress,
// resolver-forwarding-loop, ...), stable across versions: users filter on
// them and code scanning tracks results by them.
//
// The checks read the model, and ask the path engine (internal/reach) where
// a finding rests on reachability: an instance behind a group open to the
// world is reported as not exposed only when the engine stops every packet
// from the internet, and a custom DNS server as unreachable from a subnet
// or an instance only when the engine stops every query. The network ACL
// return-path and public-address routing checks read the model alone,
// like the rest. Every check stays silent when
// anything on the way is unknown, so a finding is always backed by the
// sources; when the engine cannot answer, the result carries a warning.
package lint

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// Resource names the element a finding is about.
type Resource struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Finding is one pitfall found in the network.
type Finding struct {
	Rule     *Rule
	Resource Resource
	Message  string
	// Origin is where the resource or the rule that triggers the finding
	// was read (template line, snapshot file).
	Origin model.Origin
}

// Severity is the rule's severity.
func (f Finding) Severity() Severity { return f.Rule.Severity }

// Result is what a lint run found.
type Result struct {
	// Findings are sorted by severity (highest first), rule, file, line
	// and resource.
	Findings []Finding
	// Warnings are the sources' warnings (keys not understood, dangling
	// references, unknown values), which may hide pitfalls.
	Warnings []model.Warning
	// Suppressed and Baselined count the findings left out of Findings
	// by reasoned suppressions and by a baseline of accepted findings.
	Suppressed, Baselined int
}

// Fired returns the rules that have at least one finding, in the order
// of their first finding.
func (r *Result) Fired() []*Rule {
	seen := map[string]bool{}
	var out []*Rule
	for _, f := range r.Findings {
		if !seen[f.Rule.ID] {
			seen[f.Rule.ID] = true
			out = append(out, f.Rule)
		}
	}
	return out
}

// AtLeast counts the findings at or above a severity.
func (r *Result) AtLeast(s Severity) int {
	c := 0
	for _, f := range r.Findings {
		if f.Rule.Severity >= s {
			c++
		}
	}
	return c
}

// check is one family of rules.
type check func(n *model.Network, out *findings)

var checks = []check{
	checkSecurityGroups,
	checkOpenButNotExposed,
	checkAmazonDNSEgress,
	checkPublicIPs,
	checkNACLReturns,
	checkDNSAttributes,
	checkDHCPServers,
	checkClientVPN,
	checkResolverLoops,
	checkOverlaps,
	checkBlackholes,
	checkNetworkFirewalls,
}

// Without returns the result less the findings of the given rules.
func (r *Result) Without(ruleIDs ...string) *Result {
	if len(ruleIDs) == 0 {
		return r
	}
	skip := map[string]bool{}
	for _, id := range ruleIDs {
		skip[id] = true
	}
	out := &Result{Warnings: r.Warnings, Suppressed: r.Suppressed, Baselined: r.Baselined}
	for _, f := range r.Findings {
		if !skip[f.Rule.ID] {
			out.Findings = append(out.Findings, f)
		}
	}
	return out
}

// Run lints a finalized network.
func Run(n *model.Network) *Result {
	res, _ := RunContext(context.Background(), n)
	return res
}

// RunContext is Run stopping with ctx's error, between checks, once ctx is
// cancelled.
func RunContext(ctx context.Context, n *model.Network) (*Result, error) {
	out := &findings{net: n}
	for _, c := range checks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c(n, out)
	}
	fs := out.list
	sortFindings(fs)
	ws := slices.Clone(n.Warnings)
	ws = append(ws, notChecked(n)...)
	ws = append(ws, out.notes...)
	model.SortWarnings(ws)
	return &Result{Findings: fs, Warnings: ws}, nil
}

// sortFindings orders findings by severity (highest first), rule, file,
// line, resource and message.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(b.Rule.Severity, a.Rule.Severity); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Rule.ID, b.Rule.ID); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Origin.File, b.Origin.File); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Origin.Line, b.Origin.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Resource.ID, b.Resource.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
}

// Merge joins the results of networks linted one by one (templates of
// different stacks) into one result, in the same order Run uses.
func Merge(rs ...*Result) *Result {
	out := &Result{}
	for _, r := range rs {
		out.Findings = append(out.Findings, r.Findings...)
		out.Warnings = append(out.Warnings, r.Warnings...)
		out.Suppressed += r.Suppressed
		out.Baselined += r.Baselined
	}
	sortFindings(out.Findings)
	model.SortWarnings(out.Warnings)
	return out
}

// checkedTypes are resource types whose pitfalls lint looks for: when a
// source reads them without modelling them, the silence of the matching
// rules means nothing, and the result says so.
var checkedTypes = []string{
	"AWS::EC2::ClientVpn", "AWS::EC2::DHCPOptions", "AWS::EC2::VPCDHCPOptionsAssociation", "AWS::EC2::VPCPeeringConnection",
	"AWS::EC2::TransitGateway", "AWS::EC2::VPCEndpoint", "AWS::EC2::NetworkAcl", "AWS::EC2::SecurityGroup",
	"AWS::EC2::Route", "AWS::Route53::HostedZone", "AWS::Route53Resolver::",
}

func notChecked(n *model.Network) []model.Warning {
	var out []model.Warning
	for _, t := range sortedKeys(n.NotModelled) {
		for _, prefix := range checkedTypes {
			if strings.HasPrefix(t, prefix) {
				out = append(out, model.Warning{Code: "not-checked", Severity: model.SevWarning, Resource: t,
					Message: fmt.Sprintf("%d resource(s) of this type were read but not modelled: lint cannot check their pitfalls", n.NotModelled[t])})
				break
			}
		}
	}
	return out
}

// findings collects what the checks report.
type findings struct {
	list []Finding
	// notes are warnings about the run itself (a question the path
	// engine could not answer).
	notes []model.Warning
	net   *model.Network
	eng   *reach.Engine
}

// engine returns the path engine over n, built on first use.
func (f *findings) engine(n *model.Network) *reach.Engine {
	if f.eng == nil {
		f.eng = reach.New(n)
	}
	return f.eng
}

// internetBlocked asks the path engine whether any packet from the internet
// can open a connection to the interface. ok is true only when every part
// is stopped; blocks then say where and why (Reachability Analyzer codes),
// or noIGW is set when the VPC has no internet gateway at all.
func (f *findings) internetBlocked(n *model.Network, eni *model.NetworkInterface) (blocks []reach.Block, noIGW, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			f.notes = append(f.notes, model.Warning{Code: "lint-incomplete", Severity: model.SevWarning, Origin: eni.Origin, Resource: eni.ID,
				Message: fmt.Sprintf("the path engine failed on this interface (%v): %s not checked", r, RuleSGOpenNotExposed)})
			blocks, noIGW, ok = nil, false, false
		}
	}()
	eng := f.engine(n)
	var edge *reach.Edge
	for _, e := range eng.Edges(eni.VPCID) {
		if e.Kind == reach.EdgeInternet {
			edge = &e
			break
		}
	}
	if edge == nil {
		_, known := n.VPCs.Get(eni.VPCID)
		return nil, known, known
	}
	outs := eng.InboundAll(*edge, eni, reach.AllPackets())
	if len(outs) == 0 {
		return nil, false, false
	}
	for _, o := range outs {
		if o.Verdict != reach.Unreachable {
			return nil, false, false
		}
		if b := o.BlockedBy; b != nil && !slices.Contains(blocks, *b) {
			blocks = append(blocks, *b)
		}
	}
	return blocks, false, true
}

// add records a finding about e. origin falls back to e's own origin.
func (f *findings) add(ruleID string, e model.Element, origin model.Origin, format string, args ...any) {
	rule, ok := rulesByID[ruleID]
	if !ok {
		panic("lint: unregistered rule " + ruleID)
	}
	if origin == (model.Origin{}) {
		origin = e.Base().Origin
	}
	f.list = append(f.list, Finding{
		Rule:     rule,
		Resource: Resource{ID: e.Base().ID, Type: e.Type()},
		Message:  sprintf(format, args...),
		Origin:   origin,
	})
}
