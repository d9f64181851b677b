package snapshot

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/nfwjson"
)

// AWS Network Firewall outputs:
//
//	aws network-firewall list-firewalls          {"Firewalls": [{"FirewallName", "FirewallArn"}]}
//	aws network-firewall describe-firewall       {"Firewall": {...}, "FirewallStatus": {...}, "UpdateToken"}
//	aws network-firewall list-firewall-policies  {"FirewallPolicies": [{"Name", "Arn"}]}
//	aws network-firewall describe-firewall-policy {"FirewallPolicyResponse": {...}, "FirewallPolicy": {...}}
//	aws network-firewall list-rule-groups        {"RuleGroups": [{"Name", "Arn"}]}
//	aws network-firewall describe-rule-group     {"RuleGroupResponse": {...}, "RuleGroup": {...}}
//
// A list-* output covers its kind in its scope; a resource it lists that
// no describe-* output details is kept with what the list says, its
// behaviour unknown.
func init() {
	listKeys["Firewalls"] = handle("firewalls (network-firewall list-firewalls)", (*reader).listedFirewall)
	listKeys["FirewallPolicies"] = handle("firewall policies (network-firewall list-firewall-policies)", (*reader).listedFirewallPolicy)
	listKeys["RuleGroups"] = handle("rule groups (network-firewall list-rule-groups)", (*reader).listedRuleGroup)
	mergedHandlers = append(mergedHandlers, mergedFirewall, mergedFirewallPolicy, mergedRuleGroup)
}

type nfwListed struct {
	FirewallName string
	FirewallArn  string
	Name         string
	Arn          string
}

// nfwARNScope reads the account and region of a Network Firewall ARN:
// arn:aws:network-firewall:us-east-1:123456789012:firewall/name.
func nfwARNScope(arn string) (account, region string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "network-firewall" {
		return "", "", false
	}
	return parts[4], parts[3], true
}

func (r *reader) nfwMeta(arn, name string, o model.Origin, tags []tag) model.Meta {
	acct, region, _ := nfwARNScope(arn)
	m := r.meta(arn, o, tags, acct, "")
	if m.Region == "" {
		m.Region = region
	}
	if m.Name == "" {
		m.Name = name
	}
	return m
}

// listed remembers resources a list-* output names, created at the end
// when no describe-* output gave them.
func (r *reader) listedNFW(arn string, mk func() model.Element, has func() bool) {
	r.deferred = append(r.deferred, func() {
		if has() {
			return
		}
		e := mk()
		switch x := e.(type) {
		case *model.NetworkFirewall:
			x.AddUnknown("FirewallStatus", "describe-firewall output for "+arn+" was not read: its endpoints and policy are unknown")
			put(r, &r.n.NetworkFirewalls, x)
		case *model.NetworkFirewallPolicy:
			x.AddUnknown("FirewallPolicy", "describe-firewall-policy output for "+arn+" was not read")
			put(r, &r.n.NetworkFirewallPolicies, x)
		case *model.NetworkFirewallRuleGroup:
			x.AddUnknown("RuleGroup", "describe-rule-group output for "+arn+" was not read")
			put(r, &r.n.NetworkFirewallRuleGroups, x)
		}
	})
}

func (r *reader) listedFirewall(v *nfwListed, o model.Origin) error {
	if v.FirewallArn == "" {
		return r.shapeErr(o, "", errMissing("FirewallArn"))
	}
	meta := r.nfwMeta(v.FirewallArn, v.FirewallName, o, nil)
	r.listedNFW(v.FirewallArn, func() model.Element { return &model.NetworkFirewall{Meta: meta} },
		func() bool { _, ok := r.n.NetworkFirewalls.Get(v.FirewallArn); return ok })
	return nil
}

func (r *reader) listedFirewallPolicy(v *nfwListed, o model.Origin) error {
	if v.Arn == "" {
		return r.shapeErr(o, "", errMissing("Arn"))
	}
	meta := r.nfwMeta(v.Arn, v.Name, o, nil)
	r.listedNFW(v.Arn, func() model.Element { return &model.NetworkFirewallPolicy{Meta: meta} },
		func() bool { _, ok := r.n.NetworkFirewallPolicies.Get(v.Arn); return ok })
	return nil
}

func (r *reader) listedRuleGroup(v *nfwListed, o model.Origin) error {
	if v.Arn == "" {
		return r.shapeErr(o, "", errMissing("Arn"))
	}
	if _, _, ok := nfwARNScope(v.Arn); !ok {
		// RuleGroups is also the key of WAF's list-rule-groups.
		return nil
	}
	meta := r.nfwMeta(v.Arn, v.Name, o, nil)
	typ := ""
	if strings.Contains(v.Arn, ":stateless-rulegroup/") {
		typ = model.NFWStateless
	} else if strings.Contains(v.Arn, ":stateful-rulegroup/") {
		typ = model.NFWStateful
	}
	r.listedNFW(v.Arn, func() model.Element { return &model.NetworkFirewallRuleGroup{Meta: meta, RuleGroupType: typ} },
		func() bool { _, ok := r.n.NetworkFirewallRuleGroups.Get(v.Arn); return ok })
	return nil
}

type firewallJSON struct {
	FirewallName      string
	FirewallArn       string
	FirewallId        string
	FirewallPolicyArn string
	VpcId             string
	SubnetMappings    []struct {
		SubnetId      string
		IPAddressType string
	}
	TransitGatewayId string
	Tags             []tag
}

type firewallStatusJSON struct {
	SyncStates map[string]struct {
		Attachment *struct {
			SubnetId   string
			EndpointId string
			Status     string
		}
	}
	TransitGatewayAttachmentSyncState *struct{ AttachmentId string }
}

// nfwErr turns a shape error into a reader error at the value's line.
func (r *reader) nfwErr(o model.Origin, resource string, err error) error {
	var ve *nfwjson.ValueError
	if errors.As(err, &ve) {
		return r.valueErr(o, resource, badValue(ve.Value, "%s", ve.Msg))
	}
	return r.shapeErr(o, resource, err)
}

func mergedFirewall(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	raw, ok := m["Firewall"]
	if !ok {
		return nil
	}
	var fw firewallJSON
	if err := r.unmarshal(raw, &fw, joinPath(o.Path, "Firewall"), "Firewall", o); err != nil {
		return err
	}
	if fw.FirewallArn == "" {
		return r.shapeErr(o, "", errMissing("Firewall.FirewallArn"))
	}
	delete(m, "Firewall")
	delete(m, "UpdateToken")
	e := &model.NetworkFirewall{Meta: r.nfwMeta(fw.FirewallArn, fw.FirewallName, o, fw.Tags), FirewallID: fw.FirewallId,
		VPCID: fw.VpcId, FirewallPolicyARN: fw.FirewallPolicyArn, TransitGatewayID: fw.TransitGatewayId}
	for _, s := range fw.SubnetMappings {
		e.SubnetMappings = append(e.SubnetMappings, model.FirewallSubnetMapping{SubnetID: s.SubnetId, IPAddressType: s.IPAddressType})
	}
	if raw, ok := m["FirewallStatus"]; ok {
		delete(m, "FirewallStatus")
		var st firewallStatusJSON
		if err := r.unmarshal(raw, &st, joinPath(o.Path, "FirewallStatus"), "FirewallStatus", o); err != nil {
			return err
		}
		for az, s := range st.SyncStates {
			ep := model.FirewallEndpoint{AvailabilityZone: az}
			if s.Attachment != nil {
				ep.SubnetID, ep.EndpointID, ep.Status = s.Attachment.SubnetId, s.Attachment.EndpointId, s.Attachment.Status
			}
			e.Endpoints = append(e.Endpoints, ep)
		}
		sort.Slice(e.Endpoints, func(i, j int) bool { return e.Endpoints[i].AvailabilityZone < e.Endpoints[j].AvailabilityZone })
		// Every firewall subnet has its endpoint once the firewall is
		// in sync; fewer sync states than subnets (or none, as some
		// emulators print) leave the endpoints unknown.
		e.EndpointsKnown = len(e.Endpoints) > 0 && len(e.Endpoints) >= len(e.SubnetMappings)
		for _, ep := range e.Endpoints {
			e.EndpointsKnown = e.EndpointsKnown && ep.EndpointID != ""
		}
		if a := st.TransitGatewayAttachmentSyncState; a != nil {
			e.TransitGatewayAttachmentID = a.AttachmentId
		}
	}
	if !e.EndpointsKnown {
		e.AddUnknown("FirewallStatus.SyncStates", "the firewall's endpoint IDs are not in the output")
	}
	put(r, &r.n.NetworkFirewalls, e)
	return nil
}

func mergedFirewallPolicy(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	resp, ok := m["FirewallPolicyResponse"]
	if !ok {
		return nil
	}
	var h struct {
		FirewallPolicyName string
		FirewallPolicyArn  string
		FirewallPolicyId   string
		Tags               []tag
	}
	if err := r.unmarshal(resp, &h, joinPath(o.Path, "FirewallPolicyResponse"), "FirewallPolicyResponse", o); err != nil {
		return err
	}
	if h.FirewallPolicyArn == "" {
		return r.shapeErr(o, "", errMissing("FirewallPolicyResponse.FirewallPolicyArn"))
	}
	delete(m, "FirewallPolicyResponse")
	delete(m, "UpdateToken")
	p := &model.NetworkFirewallPolicy{Meta: r.nfwMeta(h.FirewallPolicyArn, h.FirewallPolicyName, o, h.Tags), FirewallPolicyID: h.FirewallPolicyId}
	raw, ok := m["FirewallPolicy"]
	if !ok {
		p.AddUnknown("FirewallPolicy", "the output holds the policy's metadata only")
		put(r, &r.n.NetworkFirewallPolicies, p)
		return nil
	}
	delete(m, "FirewallPolicy")
	var j nfwjson.Policy
	if err := r.unmarshal(raw, &j, joinPath(o.Path, "FirewallPolicy"), "FirewallPolicy", o); err != nil {
		return err
	}
	if _, err := nfwjson.FillPolicy(p, &j); err != nil {
		return r.nfwErr(o, p.ID, err)
	}
	put(r, &r.n.NetworkFirewallPolicies, p)
	return nil
}

func mergedRuleGroup(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	resp, ok := m["RuleGroupResponse"]
	if !ok {
		return nil
	}
	var h struct {
		RuleGroupArn     string
		RuleGroupName    string
		RuleGroupId      string
		Type             string
		Capacity         nfwjson.Num
		ConsumedCapacity nfwjson.Num
		Tags             []tag
	}
	if err := r.unmarshal(resp, &h, joinPath(o.Path, "RuleGroupResponse"), "RuleGroupResponse", o); err != nil {
		return err
	}
	if h.RuleGroupArn == "" {
		return r.shapeErr(o, "", errMissing("RuleGroupResponse.RuleGroupArn"))
	}
	delete(m, "RuleGroupResponse")
	delete(m, "UpdateToken")
	g := &model.NetworkFirewallRuleGroup{Meta: r.nfwMeta(h.RuleGroupArn, h.RuleGroupName, o, h.Tags), RuleGroupID: h.RuleGroupId,
		RuleGroupType: h.Type, Capacity: h.Capacity.V, ConsumedCapacity: h.ConsumedCapacity.V}
	var j *nfwjson.RuleGroup
	if raw, ok := m["RuleGroup"]; ok {
		delete(m, "RuleGroup")
		j = new(nfwjson.RuleGroup)
		if err := r.unmarshal(raw, j, joinPath(o.Path, "RuleGroup"), "RuleGroup", o); err != nil {
			return err
		}
	}
	if _, err := nfwjson.FillRuleGroup(g, j); err != nil {
		return r.nfwErr(o, g.ID, err)
	}
	if !g.RulesKnown {
		g.AddUnknown("RuleGroup", "the output holds the rule group's metadata only")
	}
	g.RulesSource.Origin = o
	put(r, &r.n.NetworkFirewallRuleGroups, g)
	return nil
}
