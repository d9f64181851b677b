package cloudformation

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/nfwjson"
)

// AWS Network Firewall resources. Their properties repeat the API's
// FirewallPolicy and RuleGroup objects key for key, which nfwjson reads.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-networkfirewall-firewall.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-networkfirewall-firewallpolicy.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-networkfirewall-rulegroup.html
func init() {
	handlers["AWS::NetworkFirewall::Firewall"] = handler{1, (*builder).networkFirewall}
	handlers["AWS::NetworkFirewall::FirewallPolicy"] = handler{1, (*builder).networkFirewallPolicy}
	handlers["AWS::NetworkFirewall::RuleGroup"] = handler{1, (*builder).networkFirewallRuleGroup}
	handlers["AWS::NetworkFirewall::VpcEndpointAssociation"] = handler{2, (*builder).firewallEndpointAssociation}
}

// firewallEndpointAssociation adds the endpoint a VpcEndpointAssociation
// creates for a firewall in another subnet.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-networkfirewall-vpcendpointassociation.html
func (b *builder) firewallEndpointAssociation(p *props) error {
	fwID := p.str("FirewallArn")
	fw, ok := b.n.NetworkFirewalls.Get(fwID)
	if !ok {
		p.warnf("dangling-reference", "VpcEndpointAssociation names firewall %q, which is not in the sources", fwID)
		p.flush()
		return nil
	}
	sub := ""
	if m := p.obj("SubnetMapping"); m != nil {
		sub = m.str("SubnetId")
	}
	az := ""
	if s, ok := b.n.Subnets.Get(sub); ok {
		az = s.AvailabilityZone
	}
	fw.Endpoints = append(fw.Endpoints, model.FirewallEndpoint{AvailabilityZone: az, SubnetID: sub, AssociationID: p.r.id})
	p.flush()
	return nil
}

// fwSelect marks an unknown value that is (part of) a firewall's
// EndpointIds: Index is the element Fn::Select picked, -1 before a
// Select.
type fwSelect struct {
	Firewall    string
	Index       int
	Association string // a VpcEndpointAssociation's EndpointId
}

func (b *builder) networkFirewall(p *props) error {
	fw := &model.NetworkFirewall{Meta: p.meta()}
	p.bind(&fw.Meta)
	if fw.Name == "" {
		fw.Name = p.str("FirewallName")
	}
	fw.VPCID = p.str("VpcId")
	fw.FirewallPolicyARN = p.str("FirewallPolicyArn")
	fw.TransitGatewayID = p.str("TransitGatewayId")
	maps, complete := p.list("SubnetMappings")
	if !complete {
		p.note("SubnetMappings", "some firewall subnets are unknown")
	}
	for _, m := range maps {
		sm := model.FirewallSubnetMapping{SubnetID: m.str("SubnetId"), IPAddressType: m.str("IPAddressType")}
		fw.SubnetMappings = append(fw.SubnetMappings, sm)
		az := ""
		if s, ok := b.n.Subnets.Get(sm.SubnetID); ok {
			az = s.AvailabilityZone
		}
		// One endpoint per subnet; its ID exists only after deployment.
		fw.Endpoints = append(fw.Endpoints, model.FirewallEndpoint{AvailabilityZone: az, SubnetID: sm.SubnetID})
	}
	b.n.NetworkFirewalls.Put(fw)
	return nil
}

// toJSON turns template values into JSON for nfwjson: scalars as text,
// unknown values as nfwjson.UnknownMark and their reason.
func toJSON(v *Value) any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Scalar:
		return v.S
	case Unknown:
		return nfwjson.UnknownMark + v.S
	case List:
		out := make([]any, 0, len(v.L))
		for _, e := range v.L {
			if e.Kind == noValue {
				continue
			}
			out = append(out, toJSON(e))
		}
		return out
	case Map:
		out := make(map[string]any, len(v.Keys))
		for _, k := range v.Keys {
			if x := v.M[k]; x != nil && x.Kind != noValue {
				out[k] = toJSON(x)
			}
		}
		return out
	}
	return nil
}

// decodeProp reads property k into v through JSON.
func (p *props) decodeProp(k string, v any) (bool, error) {
	x := p.get(k)
	if x == nil {
		return false, nil
	}
	if x.Kind == Unknown {
		p.note(k, x.S)
		return false, nil
	}
	raw, err := json.Marshal(toJSON(x))
	if err != nil {
		return false, p.errf(k, "%s: %v", k, err)
	}
	if err := nfwjson.Decode(raw, v); err != nil {
		var ve *nfwjson.ValueError
		if errors.As(err, &ve) {
			return false, p.badf(k, "%s: %s", k, ve.Msg)
		}
		return false, p.errf(k, "%s does not have the shape AWS::NetworkFirewall expects: %v", k, err)
	}
	return true, nil
}

func (p *props) nfwErr(k string, err error) error {
	var ve *nfwjson.ValueError
	if errors.As(err, &ve) {
		return p.badf(k, "%s", ve.Msg)
	}
	return &diag.Error{File: p.s.file, Line: p.line(k), Resource: p.r.id, Code: "bad-template", Message: err.Error()}
}

func (p *props) noteAll(us nfwjson.Unknowns) {
	for _, u := range us {
		p.note(u.Field, u.Reason)
	}
}

func (b *builder) networkFirewallPolicy(p *props) error {
	pol := &model.NetworkFirewallPolicy{Meta: p.meta()}
	p.bind(&pol.Meta)
	if pol.Name == "" {
		pol.Name = p.str("FirewallPolicyName")
	}
	var j nfwjson.Policy
	ok, err := p.decodeProp("FirewallPolicy", &j)
	if err != nil {
		return err
	}
	if ok {
		us, err := nfwjson.FillPolicy(pol, &j)
		if err != nil {
			return p.nfwErr("FirewallPolicy", err)
		}
		p.noteAll(us)
	} else {
		p.note("FirewallPolicy", "the policy is not stated")
	}
	b.n.NetworkFirewallPolicies.Put(pol)
	return nil
}

func (b *builder) networkFirewallRuleGroup(p *props) error {
	g := &model.NetworkFirewallRuleGroup{Meta: p.meta()}
	p.bind(&g.Meta)
	if g.Name == "" {
		g.Name = p.str("RuleGroupName")
	}
	g.RuleGroupType = p.str("Type")
	if c, ok, err := p.intV("Capacity"); err != nil {
		return err
	} else if ok {
		g.Capacity = c
	}
	var j *nfwjson.RuleGroup
	if p.has("RuleGroup") {
		j = new(nfwjson.RuleGroup)
		ok, err := p.decodeProp("RuleGroup", j)
		if err != nil {
			return err
		}
		if !ok {
			j = nil
		}
	}
	us, err := nfwjson.FillRuleGroup(g, j)
	if err != nil {
		return p.nfwErr("RuleGroup", err)
	}
	p.noteAll(us)
	if !g.RulesKnown {
		if p.has("RuleGroup") {
			p.note("RuleGroup", "the rules are not known")
		} else {
			p.note("RuleGroup", "the template states no rules (RulesSourceList, RulesString or StatefulRules in RuleGroup, or RuleGroup itself, is missing)")
		}
	}
	g.RulesSource.Origin = p.origin
	if rg := p.obj("RuleGroup"); rg != nil {
		if src := rg.obj("RulesSource"); src != nil {
			if x := src.v.Get("RulesString"); x != nil && x.Line > 0 {
				g.RulesSource.Origin.Line = x.Line
				g.RulesSource.Origin.Path = fmt.Sprintf("%s.Properties.RuleGroup.RulesSource.RulesString", p.r.id)
			}
		}
	}
	b.n.NetworkFirewallRuleGroups.Put(g)
	return nil
}
