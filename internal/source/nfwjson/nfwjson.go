// Package nfwjson holds the JSON shapes of AWS Network Firewall (the
// FirewallPolicy and RuleGroup objects of describe-firewall-policy and
// describe-rule-group, which CloudFormation's AWS::NetworkFirewall
// properties repeat key for key) and turns them into the model. The
// snapshot and CloudFormation readers share it, so that both read a
// policy or a rule group the same way.
//
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_FirewallPolicy.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_RuleGroup.html
package nfwjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Num is a number AWS writes as a number and CloudFormation as text.
type Num struct {
	V   int
	Set bool
}

// UnmarshalJSON reads 100 or "100".
func (n *Num) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	if uq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(uq)
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return &ValueError{Value: s, Msg: fmt.Sprintf("want an integer, got %s", string(b))}
	}
	n.V, n.Set = v, true
	return nil
}

// ValueError is a value AWS would never hold; Value is the value as
// written, for readers to find its line.
type ValueError struct {
	Value string
	Msg   string
}

func (e *ValueError) Error() string { return e.Msg }

func bad(v, format string, args ...any) error {
	return &ValueError{Value: v, Msg: fmt.Sprintf(format, args...)}
}

// UnknownMark starts a string that stands for a value the source does not
// fix (a CloudFormation parameter without value); the rest is the reason.
const UnknownMark = "\x00unknown:"

// Definition is {"Definition": [...]}.
type Definition struct {
	Definition []string
}

// RuleVariables is RuleVariables.
type RuleVariables struct {
	IPSets   map[string]Definition
	PortSets map[string]Definition
}

// Policy is the FirewallPolicy object.
type Policy struct {
	StatelessDefaultActions         []string
	StatelessFragmentDefaultActions []string
	StatelessCustomActions          []CustomAction
	StatelessRuleGroupReferences    []struct {
		ResourceArn string
		Priority    Num
	}
	StatefulRuleGroupReferences []struct {
		ResourceArn string
		Priority    Num
		Override    *struct{ Action string }
	}
	StatefulDefaultActions []string
	StatefulEngineOptions  *struct {
		RuleOrder             string
		StreamExceptionPolicy string
	}
	PolicyVariables *struct {
		RuleVariables map[string]Definition
	}
	TLSInspectionConfigurationArn string
}

// CustomAction is a custom action definition.
type CustomAction struct {
	ActionName       string
	ActionDefinition struct {
		PublishMetricAction *struct {
			Dimensions []struct{ Value string }
		}
	}
}

// RuleGroup is the RuleGroup object.
type RuleGroup struct {
	RuleVariables *RuleVariables
	ReferenceSets *struct {
		IPSetReferences map[string]struct{ ReferenceArn string }
	}
	RulesSource *struct {
		RulesString     string
		RulesSourceList *struct {
			Targets            []string
			TargetTypes        []string
			GeneratedRulesType string
		}
		StatefulRules []struct {
			Action string
			Header struct {
				Protocol        string
				Source          string
				SourcePort      string
				Direction       string
				Destination     string
				DestinationPort string
			}
			RuleOptions []struct {
				Keyword  string
				Settings []string
			}
		}
		StatelessRulesAndCustomActions *struct {
			StatelessRules []struct {
				RuleDefinition struct {
					MatchAttributes struct {
						Sources          []struct{ AddressDefinition string }
						Destinations     []struct{ AddressDefinition string }
						SourcePorts      []portRange
						DestinationPorts []portRange
						Protocols        []Num
						TCPFlags         []struct {
							Flags []string
							Masks []string
						}
					}
					Actions []string
				}
				Priority Num
			}
			CustomActions []CustomAction
		}
	}
	StatefulRuleOptions *struct{ RuleOrder string }
}

type portRange struct {
	FromPort Num
	ToPort   Num
}

// Unknowns collects the values a source left unknown, by field.
type Unknowns []model.Unknown

func (u *Unknowns) check(field, s string) bool {
	if r, ok := strings.CutPrefix(s, UnknownMark); ok {
		*u = append(*u, model.Unknown{Field: field, Reason: r})
		return true
	}
	return false
}

var actions = []string{model.NFWPass, model.NFWDrop, model.NFWForwardToSFE}

// FillPolicy fills p from the FirewallPolicy object. An action, order or
// CIDR AWS would not accept is an error (*ValueError); unknown values are
// returned.
func FillPolicy(p *model.NetworkFirewallPolicy, j *Policy) (Unknowns, error) {
	var u Unknowns
	p.StatelessDefaultActions = j.StatelessDefaultActions
	p.StatelessFragmentDefaultActions = j.StatelessFragmentDefaultActions
	for _, field := range [][]string{j.StatelessDefaultActions, j.StatelessFragmentDefaultActions} {
		if err := checkStatelessActions(field, j.StatelessCustomActions, nil); err != nil {
			return u, err
		}
	}
	p.StatelessCustomActions = customActions(j.StatelessCustomActions)
	for _, r := range j.StatelessRuleGroupReferences {
		if r.Priority.V < 1 || r.Priority.V > 65535 {
			return u, bad(strconv.Itoa(r.Priority.V), "StatelessRuleGroupReferences Priority %d is not in 1-65535", r.Priority.V)
		}
		p.StatelessRuleGroupReferences = append(p.StatelessRuleGroupReferences, model.StatelessRuleGroupReference{ResourceARN: r.ResourceArn, Priority: r.Priority.V})
	}
	for _, r := range j.StatefulRuleGroupReferences {
		ref := model.StatefulRuleGroupReference{ResourceARN: r.ResourceArn, Priority: r.Priority.V}
		if r.Override != nil {
			ref.Override = r.Override.Action
		}
		p.StatefulRuleGroupReferences = append(p.StatefulRuleGroupReferences, ref)
	}
	p.StatefulDefaultActions = j.StatefulDefaultActions
	for _, a := range j.StatefulDefaultActions {
		switch a {
		case model.NFWDropStrict, model.NFWDropEstablish, model.NFWAlertStrict, model.NFWAlertEstablish:
		default:
			if !u.check("StatefulDefaultActions", a) {
				return u, bad(a, "StatefulDefaultActions %q is not aws:drop_strict, aws:drop_established, aws:alert_strict or aws:alert_established", a)
			}
		}
	}
	if o := j.StatefulEngineOptions; o != nil {
		p.StatefulEngineOptions = model.StatefulEngineOptions{RuleOrder: o.RuleOrder, StreamExceptionPolicy: o.StreamExceptionPolicy}
		switch o.RuleOrder {
		case "", model.NFWDefaultActionOrder, model.NFWStrictOrder:
		default:
			if !u.check("StatefulEngineOptions.RuleOrder", o.RuleOrder) {
				return u, bad(o.RuleOrder, "RuleOrder %q is not DEFAULT_ACTION_ORDER or STRICT_ORDER", o.RuleOrder)
			}
		}
	}
	if len(p.StatefulDefaultActions) > 0 && !p.StatefulEngineOptions.IsStrict() {
		return u, bad(p.StatefulDefaultActions[0], "StatefulDefaultActions are allowed only with STRICT_ORDER")
	}
	if v := j.PolicyVariables; v != nil {
		vars, err := ipSets("PolicyVariables", v.RuleVariables, &u)
		if err != nil {
			return u, err
		}
		p.PolicyVariables = vars
	}
	p.TLSInspectionConfigurationARN = j.TLSInspectionConfigurationArn
	return u, nil
}

func customActions(cs []CustomAction) []model.NFWCustomAction {
	var out []model.NFWCustomAction
	for _, c := range cs {
		a := model.NFWCustomAction{ActionName: c.ActionName}
		if m := c.ActionDefinition.PublishMetricAction; m != nil {
			for _, d := range m.Dimensions {
				a.Dimensions = append(a.Dimensions, d.Value)
			}
		}
		out = append(out, a)
	}
	return out
}

// checkStatelessActions wants exactly one of aws:pass, aws:drop,
// aws:forward_to_sfe, the other entries naming custom actions.
func checkStatelessActions(as []string, policyCustom, groupCustom []CustomAction) error {
	if len(as) == 0 {
		return nil
	}
	n := 0
	for _, a := range as {
		if slices.Contains(actions, a) {
			n++
			continue
		}
		if strings.HasPrefix(a, UnknownMark) {
			n++
			continue
		}
		known := false
		for _, c := range append(slices.Clip(policyCustom), groupCustom...) {
			known = known || c.ActionName == a
		}
		if !known {
			return bad(a, "stateless action %q is neither aws:pass, aws:drop, aws:forward_to_sfe nor a custom action defined here", a)
		}
	}
	if n != 1 {
		return bad(strings.Join(as, ","), "stateless actions %q must hold exactly one of aws:pass, aws:drop, aws:forward_to_sfe", strings.Join(as, ", "))
	}
	return nil
}

func ipSets(field string, m map[string]Definition, u *Unknowns) (map[string][]netip.Prefix, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string][]netip.Prefix, len(m))
	for name, d := range m {
		var ps []netip.Prefix
		for _, s := range d.Definition {
			if u.check(field+"."+name, s) {
				continue
			}
			p, err := netip.ParsePrefix(strings.TrimSpace(s))
			if err != nil {
				if a, err2 := netip.ParseAddr(strings.TrimSpace(s)); err2 == nil {
					p = netip.PrefixFrom(a, a.BitLen())
				} else {
					return nil, bad(s, "%s %s: %q is not a CIDR block", field, name, s)
				}
			}
			ps = append(ps, p.Masked())
		}
		out[name] = ps
	}
	return out, nil
}

// FillRuleGroup fills g from the RuleGroup object (g.RuleGroupType and
// the capacity come from the reader).
func FillRuleGroup(g *model.NetworkFirewallRuleGroup, j *RuleGroup) (Unknowns, error) {
	var u Unknowns
	switch g.RuleGroupType {
	case model.NFWStateless, model.NFWStateful:
	default:
		if !u.check("Type", g.RuleGroupType) {
			return u, bad(g.RuleGroupType, "rule group Type %q is not STATELESS or STATEFUL", g.RuleGroupType)
		}
	}
	if j == nil {
		return u, nil
	}
	if v := j.RuleVariables; v != nil {
		sets, err := ipSets("RuleVariables.IPSets", v.IPSets, &u)
		if err != nil {
			return u, err
		}
		g.RuleVariables.IPSets = sets
		for name, d := range v.PortSets {
			if g.RuleVariables.PortSets == nil {
				g.RuleVariables.PortSets = map[string][]string{}
			}
			g.RuleVariables.PortSets[name] = d.Definition
		}
	}
	if rs := j.ReferenceSets; rs != nil {
		for name, r := range rs.IPSetReferences {
			if g.IPSetReferences == nil {
				g.IPSetReferences = map[string]string{}
			}
			g.IPSetReferences[name] = r.ReferenceArn
		}
	}
	if o := j.StatefulRuleOptions; o != nil {
		g.StatefulRuleOrder = o.RuleOrder
	}
	src := j.RulesSource
	if src == nil {
		return u, nil
	}
	g.RulesKnown = true
	g.RulesSource.RulesString = src.RulesString
	if u.check("RulesSource.RulesString", src.RulesString) {
		g.RulesKnown = false
		g.RulesSource.RulesString = ""
	}
	if l := src.RulesSourceList; l != nil {
		g.RulesSource.RulesSourceList = &model.RulesSourceList{Targets: l.Targets, TargetTypes: l.TargetTypes, GeneratedRulesType: l.GeneratedRulesType}
	}
	for _, r := range src.StatefulRules {
		switch r.Action {
		case model.NFWStatefulPass, model.NFWStatefulDrop, model.NFWStatefulAlert, model.NFWStatefulReject:
		default:
			if !u.check("StatefulRules.Action", r.Action) {
				return u, bad(r.Action, "stateful rule Action %q is not PASS, DROP, ALERT or REJECT", r.Action)
			}
		}
		h := r.Header
		sr := model.StatefulRule{Action: r.Action, Header: model.StatefulRuleHeader{Protocol: h.Protocol, Source: h.Source, SourcePort: h.SourcePort,
			Direction: h.Direction, Destination: h.Destination, DestinationPort: h.DestinationPort}}
		for _, o := range r.RuleOptions {
			sr.RuleOptions = append(sr.RuleOptions, model.NFWRuleOption{Keyword: o.Keyword, Settings: o.Settings})
		}
		g.RulesSource.StatefulRules = append(g.RulesSource.StatefulRules, sr)
	}
	if sl := src.StatelessRulesAndCustomActions; sl != nil {
		out := &model.StatelessRulesAndCustomActions{CustomActions: customActions(sl.CustomActions)}
		seen := map[int]bool{}
		for _, r := range sl.StatelessRules {
			d := r.RuleDefinition
			if err := checkStatelessActions(d.Actions, nil, sl.CustomActions); err != nil {
				return u, err
			}
			if r.Priority.V < 1 || r.Priority.V > 65535 {
				return u, bad(strconv.Itoa(r.Priority.V), "stateless rule Priority %d is not in 1-65535", r.Priority.V)
			}
			if seen[r.Priority.V] {
				return u, bad(strconv.Itoa(r.Priority.V), "two stateless rules have Priority %d: priorities are unique in a rule group", r.Priority.V)
			}
			seen[r.Priority.V] = true
			m := d.MatchAttributes
			sr := model.StatelessRule{Priority: r.Priority.V, Actions: d.Actions}
			for _, a := range m.Sources {
				p, err := address(a.AddressDefinition, &u, "Sources")
				if err != nil {
					return u, err
				}
				if p.IsValid() {
					sr.MatchAttributes.Sources = append(sr.MatchAttributes.Sources, p)
				} else {
					sr.Unknown = "a source address of the rule is not known"
				}
			}
			for _, a := range m.Destinations {
				p, err := address(a.AddressDefinition, &u, "Destinations")
				if err != nil {
					return u, err
				}
				if p.IsValid() {
					sr.MatchAttributes.Destinations = append(sr.MatchAttributes.Destinations, p)
				} else {
					sr.Unknown = "a destination address of the rule is not known"
				}
			}
			var err error
			if sr.MatchAttributes.SourcePorts, err = ports(m.SourcePorts); err != nil {
				return u, err
			}
			if sr.MatchAttributes.DestinationPorts, err = ports(m.DestinationPorts); err != nil {
				return u, err
			}
			for _, p := range m.Protocols {
				if p.V < 0 || p.V > 255 {
					return u, bad(strconv.Itoa(p.V), "protocol %d is not in 0-255", p.V)
				}
				sr.MatchAttributes.Protocols = append(sr.MatchAttributes.Protocols, p.V)
			}
			for _, f := range m.TCPFlags {
				sr.MatchAttributes.TCPFlags = append(sr.MatchAttributes.TCPFlags, model.NFWTCPFlags{Flags: f.Flags, Masks: f.Masks})
			}
			out.StatelessRules = append(out.StatelessRules, sr)
		}
		g.RulesSource.StatelessRulesAndCustomActions = out
	}
	return u, nil
}

func address(s string, u *Unknowns, field string) (netip.Prefix, error) {
	if u.check("MatchAttributes."+field, s) {
		return netip.Prefix{}, nil
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, bad(s, "AddressDefinition %q is not a CIDR block", s)
	}
	return p.Masked(), nil
}

func ports(rs []portRange) ([]model.PortRange, error) {
	var out []model.PortRange
	for _, r := range rs {
		if r.FromPort.V < 0 || r.FromPort.V > 65535 || r.ToPort.V < 0 || r.ToPort.V > 65535 || r.FromPort.V > r.ToPort.V {
			return nil, bad(strconv.Itoa(r.FromPort.V), "port range %d-%d is not within 0-65535 in order", r.FromPort.V, r.ToPort.V)
		}
		out = append(out, model.PortRange{From: uint16(r.FromPort.V), To: uint16(r.ToPort.V)})
	}
	return out, nil
}

// Decode unmarshals raw JSON into v, for readers holding the objects as
// json.RawMessage.
func Decode(raw []byte, v any) error { return json.Unmarshal(raw, v) }
