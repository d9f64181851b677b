package model

import (
	"fmt"
	"slices"
	"strings"
)

// CoverageState says what the sources said about one kind of resource in
// one scope.
type CoverageState string

// Coverage states.
const (
	// CoverageRead: an output listing that kind was read (even an empty
	// one): what is not in it does not exist.
	CoverageRead CoverageState = "read"
	// CoverageFailed: the call that lists that kind failed (collect's
	// manifest says so): nothing is known about it.
	CoverageFailed CoverageState = "failed"
	// CoverageNotCollected: no output of that kind was read.
	CoverageNotCollected CoverageState = "not-collected"
)

// Kinds of coverage that are not element types: what one describe call
// lists when it is not a resource of its own.
const (
	// KindVPCAttributes is describe-vpc-attribute (enableDnsSupport,
	// enableDnsHostnames).
	KindVPCAttributes = "VPC attributes"
	// KindListeners is describe-listeners (ELBv2): a classic load
	// balancer's listeners come with the load balancer itself.
	KindListeners = "listeners"
)

// CoverageKinds are the kinds whose absence changes answers, in the order
// inventory shows them. A snapshot that lists none of one kind in a scope
// leaves it unknown there.
var CoverageKinds = []string{
	TypeVPC, TypeSubnet, TypeRouteTable, TypeSecurityGroup, TypeNetworkACL, TypeNetworkInterface, TypeInstance,
	TypeInternetGateway, TypeEgressOnlyIGW, TypeNATGateway, TypeEIP, TypePeering,
	TypeTransitGateway, TypeTGWAttachment, TypeTGWRouteTable, TypeVPNGateway, TypeVPCEndpoint, TypePrefixList,
	TypeLoadBalancerV2, KindListeners, TypeTargetGroup, TypeClientVPNEndpoint, TypeHostedZone, TypeResolverEndpoint, TypeResolverRule,
	TypeDHCPOptions, KindVPCAttributes,
	TypeNetworkFirewall, TypeNetworkFirewallPolicy, TypeNetworkFirewallRuleGroup,
}

// Coverage records, per scope (account and region), which kinds of
// resource the sources described, and which files are templates, whose
// stacks state everything they create (AWS's defaults fill the rest).
// A nil *Coverage is a network built whole (in code or tests): every kind
// is covered everywhere.
type Coverage struct {
	scopes    map[Scope]map[string]CoverageState
	why       map[Scope]map[string]string
	templates map[string]bool
}

// Mark records what the sources said about kind in scope. A kind read
// once in a scope stays read: several folders may describe one scope.
func (c *Coverage) Mark(s Scope, kind string, st CoverageState, why string) {
	if c.scopes == nil {
		c.scopes = map[Scope]map[string]CoverageState{}
		c.why = map[Scope]map[string]string{}
	}
	m := c.scopes[s]
	if m == nil {
		m = map[string]CoverageState{}
		c.scopes[s] = m
		c.why[s] = map[string]string{}
	}
	if m[kind] == CoverageRead {
		return
	}
	if st == CoverageNotCollected && m[kind] == CoverageFailed {
		return
	}
	m[kind] = st
	if why != "" {
		c.why[s][kind] = why
	}
}

// MarkTemplate records that file is a CloudFormation template, or a
// Terraform plan or state: what its resources do not state is AWS's (or
// the provider's) default, not unknown.
func (c *Coverage) MarkTemplate(file string) {
	if c.templates == nil {
		c.templates = map[string]bool{}
	}
	c.templates[file] = true
}

// State returns what the sources said about kind in scope s.
func (c *Coverage) State(s Scope, kind string) CoverageState {
	if c == nil {
		return CoverageRead
	}
	if st, ok := c.scopes[s][kind]; ok {
		return st
	}
	return CoverageNotCollected
}

// Scopes returns the scopes coverage was recorded for, sorted.
func (c *Coverage) Scopes() []Scope {
	if c == nil {
		return nil
	}
	out := make([]Scope, 0, len(c.scopes))
	for s := range c.scopes {
		out = append(out, s)
	}
	sortScopes(out)
	return out
}

// Covers reports whether the sources say everything about kind around
// element e: e comes from a template, or the network was built whole, or
// an output listing kind was read in e's scope.
func (n *Network) Covers(kind string, e Element) bool { return n.NotCovered(kind, e) == "" }

// NotCovered is "" when the sources say everything about kind around e
// (see Covers), else why they do not, for a reason shown to the user:
// "internet gateways were not collected for 123456789012/us-east-1".
func (n *Network) NotCovered(kind string, e Element) string {
	c := n.Coverage
	if c == nil || e == nil {
		return ""
	}
	m := e.Base()
	if c.templates[m.Origin.File] {
		return ""
	}
	s := Scope{m.Account, m.Region}
	switch c.State(s, kind) {
	case CoverageRead:
		return ""
	case CoverageFailed:
		why := c.why[s][kind]
		if why != "" {
			why = " (" + why + ")"
		}
		return fmt.Sprintf("%s could not be collected for %s%s", KindPlural(kind), s, why)
	}
	return fmt.Sprintf("%s were not collected for %s", KindPlural(kind), s)
}

// String renders a scope as account/region, "?" for what is unknown.
func (s Scope) String() string {
	a, r := s.Account, s.Region
	if a == "" {
		a = "?"
	}
	if r == "" {
		r = "?"
	}
	return a + "/" + r
}

// KindPlural names a kind for messages: "internet gateways".
func KindPlural(kind string) string {
	if p, ok := plurals[kind]; ok {
		return p
	}
	t := kind
	if i := strings.LastIndex(t, "::"); i >= 0 {
		t = t[i+2:]
	}
	return t + "s"
}

var plurals = map[string]string{
	TypeVPC: "VPCs", TypeSubnet: "subnets", TypeRouteTable: "route tables", TypeSecurityGroup: "security groups",
	TypeNetworkACL: "network ACLs", TypeNetworkInterface: "network interfaces", TypeInstance: "instances",
	TypeInternetGateway: "internet gateways", TypeEgressOnlyIGW: "egress-only internet gateways",
	TypeNATGateway: "NAT gateways", TypeEIP: "elastic IPs", TypePeering: "VPC peering connections",
	TypeTransitGateway: "transit gateways", TypeTGWAttachment: "transit gateway attachments",
	TypeTGWRouteTable: "transit gateway route tables", TypeVPNGateway: "VPN gateways", TypeVPCEndpoint: "VPC endpoints",
	TypePrefixList: "prefix lists", TypeLoadBalancerV2: "load balancers", TypeTargetGroup: "target groups",
	TypeClientVPNEndpoint: "Client VPN endpoints", TypeHostedZone: "hosted zones", TypeResolverEndpoint: "Resolver endpoints",
	TypeResolverRule: "Resolver rules", TypeDHCPOptions: "DHCP option sets", KindVPCAttributes: "VPC DNS attributes", KindListeners: "load balancer listeners",
	TypeNetworkFirewall: "network firewalls", TypeNetworkFirewallPolicy: "network firewall policies",
	TypeNetworkFirewallRuleGroup: "network firewall rule groups",
}

// ExposureCoverageKinds are the kinds without which an exposure cannot be whole:
// the resources it examines, and the route tables that decide which
// gateways matter.
var ExposureCoverageKinds = []string{TypeNetworkInterface, TypeLoadBalancerV2, TypeRouteTable}

// RoutedKinds are the gateways whose listing matters only when the route
// tables are not known: a known table names every gateway it uses.
var RoutedKinds = []string{TypeInternetGateway, TypePeering, TypeTGWAttachment, TypeVPNGateway}

// Gaps lists, for each scope the sources described, the kinds of want
// they did not cover: "123456789012/us-east-1: internet gateways, route
// tables not collected". Scopes only templates describe have none.
func (n *Network) Gaps(want []string) []string {
	c := n.Coverage
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range c.Scopes() {
		var missing, failed []string
		kinds := want
		if slices.Contains(want, TypeRouteTable) && c.State(s, TypeRouteTable) != CoverageRead {
			kinds = append(slices.Clip(want), RoutedKinds...)
		}
		for _, k := range kinds {
			switch c.State(s, k) {
			case CoverageNotCollected:
				missing = append(missing, KindPlural(k))
			case CoverageFailed:
				failed = append(failed, KindPlural(k))
			}
		}
		var parts []string
		if len(missing) > 0 {
			parts = append(parts, strings.Join(missing, ", ")+" not collected")
		}
		if len(failed) > 0 {
			parts = append(parts, strings.Join(failed, ", ")+" could not be collected")
		}
		if len(parts) > 0 {
			out = append(out, s.String()+": "+strings.Join(parts, "; "))
		}
	}
	return out
}
