package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/nfwjson"
)

// AWS Network Firewall resources. The provider's nested blocks
// (firewall_policy, rule_group) are the API's FirewallPolicy and RuleGroup
// objects in snake case; they are rewritten into the API's shape and read
// by nfwjson, as the snapshot and CloudFormation readers do. A value known
// only after apply anywhere in them makes the whole policy or rule group
// unknown: a rule read without one of its values would be a guess.
//
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/networkfirewall_firewall
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/networkfirewall_firewall_policy
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/networkfirewall_rule_group
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/networkfirewall_vpc_endpoint_association
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_FirewallPolicy.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_RuleGroup.html
func init() {
	// Firewalls after subnets (phase 1) so that their endpoints get the
	// subnet's zone, before routes (phase 2) that may name them.
	handlers["aws_networkfirewall_rule_group"] = handler{1, (*builder).nfwRuleGroup}
	handlers["aws_networkfirewall_firewall_policy"] = handler{1, (*builder).nfwPolicy}
	handlers["aws_networkfirewall_firewall"] = handler{2, (*builder).nfwFirewall}
	handlers["aws_networkfirewall_vpc_endpoint_association"] = handler{3, (*builder).nfwEndpointAssociation}
}

// nfwKind is the shape of a provider attribute in the API's JSON.
type nfwKind int

const (
	nfwScalar nfwKind = iota // string, number or bool
	nfwList                  // list or set of scalars
	nfwRef                   // an ARN another resource's reference gives
	nfwOne                   // a block of at most one: an object
	nfwMany                  // repeated blocks: an array of objects
	nfwKeyed                 // repeated {key, <inner> {...}} blocks: an object by key
)

type nfwSpec struct {
	aws   string
	kind  nfwKind
	sub   map[string]nfwSpec
	inner string   // nfwKeyed: the block under each key
	match []string // nfwMany: attributes that pair plan values with configuration blocks
}

var nfwDimension = map[string]nfwSpec{"value": {aws: "Value"}}

var nfwCustomAction = map[string]nfwSpec{
	"action_name": {aws: "ActionName"},
	"action_definition": {aws: "ActionDefinition", kind: nfwOne, sub: map[string]nfwSpec{
		"publish_metric_action": {aws: "PublishMetricAction", kind: nfwOne, sub: map[string]nfwSpec{
			"dimension": {aws: "Dimensions", kind: nfwMany, sub: nfwDimension},
		}},
	}},
}

var nfwDefinition = map[string]nfwSpec{"definition": {aws: "Definition", kind: nfwList}}

var nfwPolicySpec = map[string]nfwSpec{
	"stateless_default_actions":          {aws: "StatelessDefaultActions", kind: nfwList},
	"stateless_fragment_default_actions": {aws: "StatelessFragmentDefaultActions", kind: nfwList},
	"stateless_custom_action":            {aws: "StatelessCustomActions", kind: nfwMany, sub: nfwCustomAction, match: []string{"action_name"}},
	"stateless_rule_group_reference": {aws: "StatelessRuleGroupReferences", kind: nfwMany, match: []string{"priority"}, sub: map[string]nfwSpec{
		"resource_arn": {aws: "ResourceArn", kind: nfwRef},
		"priority":     {aws: "Priority"},
	}},
	"stateful_rule_group_reference": {aws: "StatefulRuleGroupReferences", kind: nfwMany, match: []string{"priority"}, sub: map[string]nfwSpec{
		"resource_arn": {aws: "ResourceArn", kind: nfwRef},
		"priority":     {aws: "Priority"},
		"override":     {aws: "Override", kind: nfwOne, sub: map[string]nfwSpec{"action": {aws: "Action"}}},
	}},
	"stateful_default_actions": {aws: "StatefulDefaultActions", kind: nfwList},
	"stateful_engine_options": {aws: "StatefulEngineOptions", kind: nfwOne, sub: map[string]nfwSpec{
		"rule_order":              {aws: "RuleOrder"},
		"stream_exception_policy": {aws: "StreamExceptionPolicy"},
	}},
	"policy_variables": {aws: "PolicyVariables", kind: nfwOne, sub: map[string]nfwSpec{
		"rule_variables": {aws: "RuleVariables", kind: nfwKeyed, inner: "ip_set", sub: nfwDefinition},
	}},
	"tls_inspection_configuration_arn": {aws: "TLSInspectionConfigurationArn", kind: nfwRef},
}

var nfwPortRange = map[string]nfwSpec{"from_port": {aws: "FromPort"}, "to_port": {aws: "ToPort"}}
var nfwAddress = map[string]nfwSpec{"address_definition": {aws: "AddressDefinition"}}

var nfwRuleGroupSpec = map[string]nfwSpec{
	"rule_variables": {aws: "RuleVariables", kind: nfwOne, sub: map[string]nfwSpec{
		"ip_sets":   {aws: "IPSets", kind: nfwKeyed, inner: "ip_set", sub: nfwDefinition},
		"port_sets": {aws: "PortSets", kind: nfwKeyed, inner: "port_set", sub: nfwDefinition},
	}},
	"reference_sets": {aws: "ReferenceSets", kind: nfwOne, sub: map[string]nfwSpec{
		"ip_set_references": {aws: "IPSetReferences", kind: nfwKeyed, inner: "ip_set_reference", sub: map[string]nfwSpec{
			"reference_arn": {aws: "ReferenceArn", kind: nfwRef},
		}},
	}},
	"rules_source": {aws: "RulesSource", kind: nfwOne, sub: map[string]nfwSpec{
		"rules_string": {aws: "RulesString"},
		"rules_source_list": {aws: "RulesSourceList", kind: nfwOne, sub: map[string]nfwSpec{
			"generated_rules_type": {aws: "GeneratedRulesType"},
			"target_types":         {aws: "TargetTypes", kind: nfwList},
			"targets":              {aws: "Targets", kind: nfwList},
		}},
		"stateful_rule": {aws: "StatefulRules", kind: nfwMany, sub: map[string]nfwSpec{
			"action": {aws: "Action"},
			"header": {aws: "Header", kind: nfwOne, sub: map[string]nfwSpec{
				"protocol": {aws: "Protocol"}, "source": {aws: "Source"}, "source_port": {aws: "SourcePort"},
				"direction": {aws: "Direction"}, "destination": {aws: "Destination"}, "destination_port": {aws: "DestinationPort"},
			}},
			"rule_option": {aws: "RuleOptions", kind: nfwMany, sub: map[string]nfwSpec{
				"keyword": {aws: "Keyword"}, "settings": {aws: "Settings", kind: nfwList},
			}},
		}},
		"stateless_rules_and_custom_actions": {aws: "StatelessRulesAndCustomActions", kind: nfwOne, sub: map[string]nfwSpec{
			"custom_action": {aws: "CustomActions", kind: nfwMany, sub: nfwCustomAction, match: []string{"action_name"}},
			"stateless_rule": {aws: "StatelessRules", kind: nfwMany, match: []string{"priority"}, sub: map[string]nfwSpec{
				"priority": {aws: "Priority"},
				"rule_definition": {aws: "RuleDefinition", kind: nfwOne, sub: map[string]nfwSpec{
					"actions": {aws: "Actions", kind: nfwList},
					"match_attributes": {aws: "MatchAttributes", kind: nfwOne, sub: map[string]nfwSpec{
						"source":           {aws: "Sources", kind: nfwMany, sub: nfwAddress},
						"destination":      {aws: "Destinations", kind: nfwMany, sub: nfwAddress},
						"source_port":      {aws: "SourcePorts", kind: nfwMany, sub: nfwPortRange},
						"destination_port": {aws: "DestinationPorts", kind: nfwMany, sub: nfwPortRange},
						"protocols":        {aws: "Protocols", kind: nfwList},
						"tcp_flag": {aws: "TCPFlags", kind: nfwMany, sub: map[string]nfwSpec{
							"flags": {aws: "Flags", kind: nfwList}, "masks": {aws: "Masks", kind: nfwList},
						}},
					}},
				}},
			}},
		}},
	}},
	"stateful_rule_options": {aws: "StatefulRuleOptions", kind: nfwOne, sub: map[string]nfwSpec{"rule_order": {aws: "RuleOrder"}}},
}

// nfwConv rewrites provider blocks into the API's JSON, collecting what is
// known only after apply.
type nfwConv struct{ unknown []string }

func (c *nfwConv) block(f *fields, spec map[string]nfwSpec) map[string]any {
	out := map[string]any{}
	keys := make([]string, 0, len(spec))
	for k := range spec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := spec[k]
		v := f.get(k)
		if v.unknown && s.kind != nfwRef {
			c.unknown = append(c.unknown, f.path+k+" is known only after apply")
			continue
		}
		if v.null() {
			continue
		}
		switch s.kind {
		case nfwScalar:
			out[s.aws] = v.v
		case nfwList:
			xs, complete := f.strsAny(k)
			if !complete {
				c.unknown = append(c.unknown, "some of "+f.path+k+" are known only after apply")
				continue
			}
			out[s.aws] = xs
		case nfwRef:
			id, why := f.ref(k)
			if why != "" {
				c.unknown = append(c.unknown, f.path+why)
				continue
			}
			out[s.aws] = id
		case nfwOne:
			if sub := c.nested(f, k, v, nil); len(sub) > 0 {
				out[s.aws] = c.block(sub[0], s.sub)
			}
		case nfwMany:
			arr := []any{}
			for _, sf := range c.nested(f, k, v, s.match) {
				arr = append(arr, c.block(sf, s.sub))
			}
			out[s.aws] = arr
		case nfwKeyed:
			m := map[string]any{}
			for _, sf := range c.nested(f, k, v, []string{"key"}) {
				key, known := sf.str("key")
				if !known {
					c.unknown = append(c.unknown, sf.path+"key is known only after apply")
					continue
				}
				inner := c.nested(sf, s.inner, sf.get(s.inner), nil)
				if sf.get(s.inner).unknown {
					c.unknown = append(c.unknown, sf.path+s.inner+" is known only after apply")
					continue
				}
				if len(inner) == 0 {
					m[key] = map[string]any{}
					continue
				}
				m[key] = c.block(inner[0], s.sub)
			}
			out[s.aws] = m
		}
	}
	return out
}

// nested splits a block attribute into fields per block, each with the
// configuration block it came from (paired by match when there are many).
func (c *nfwConv) nested(f *fields, key string, v val, match []string) []*fields {
	blocks := exprBlocks(f, key)
	elems := v.elems()
	pairs := pairBlocks(blocks, elems, match)
	var out []*fields
	for i, e := range elems {
		path := fmt.Sprintf("%s%s[%d].", f.path, key, i)
		if e.unknown {
			c.unknown = append(c.unknown, strings.TrimSuffix(path, ".")+" is known only after apply")
			continue
		}
		vals, unk := e.obj()
		out = append(out, &fields{b: f.b, in: f.in, vals: vals, unk: unk, path: path, exprs: pairs[i]})
	}
	return out
}

// pairBlocks gives each value of a repeated block its configuration
// block. Sets reorder blocks: a value whose match attributes pick one
// block gets it (matchBlock). Values that several blocks fit are paired
// with them in order only when the values are alike and the blocks are
// written alike apart from their references (two
// stateful_rule_group_reference blocks without a priority, say): which
// value gets which reference then changes nothing the values say.
func pairBlocks(blocks []map[string]*tfjsonExpr, elems []val, match []string) []map[string]*tfjsonExpr {
	out := make([]map[string]*tfjsonExpr, len(elems))
	if len(blocks) == 0 {
		return out
	}
	if len(blocks) == 1 {
		for i := range out {
			out[i] = blocks[0]
		}
		return out
	}
	groups := map[string][]int{} // fitting blocks -> the values they fit
	fitOf := make([][]int, len(elems))
	for i, e := range elems {
		vals, unk := e.obj()
		for j, bl := range blocks {
			if fits(bl, vals, unk, match) {
				fitOf[i] = append(fitOf[i], j)
			}
		}
		key := fmt.Sprint(fitOf[i])
		groups[key] = append(groups[key], i)
	}
	for _, is := range groups {
		fit := fitOf[is[0]]
		if len(fit) == 0 || len(fit) != len(is) {
			continue
		}
		if len(fit) > 1 {
			first, sig := constantsOf(blocks[fit[0]]), valueSig(elems[is[0]])
			alike := true
			for _, j := range fit[1:] {
				alike = alike && constantsOf(blocks[j]) == first
			}
			for _, i := range is[1:] {
				alike = alike && valueSig(elems[i]) == sig
			}
			if !alike {
				continue
			}
		}
		for k, i := range is {
			out[i] = blocks[fit[k]]
		}
	}
	return out
}

// valueSig renders what a value knows: the attributes known before
// apply (those known only after apply are absent from it).
func valueSig(e val) string {
	vals, _ := e.obj()
	data, _ := json.Marshal(vals)
	return string(data)
}

// fits reports whether a configuration block's constant values of keys
// equal the value's (matchBlock's test for one block); a value known only
// after apply fits any.
func fits(bl map[string]*tfjsonExpr, vals, unk map[string]any, keys []string) bool {
	for _, k := range keys {
		e := bl[k]
		if e == nil || e.ExpressionData == nil || e.ConstantValue == nil || isUnknown(unk, k) {
			continue
		}
		if want, has := vals[k]; !has || fmt.Sprint(e.ConstantValue) != fmt.Sprint(want) {
			return false
		}
	}
	return true
}

// constantsOf renders a block's constant values and the shape of its
// nested blocks, leaving out references.
func constantsOf(bl map[string]*tfjsonExpr) string {
	keys := make([]string, 0, len(bl))
	for k := range bl {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		e := bl[k]
		if e == nil || e.ExpressionData == nil {
			continue
		}
		switch {
		case e.ConstantValue != nil:
			v, _ := json.Marshal(e.ConstantValue)
			fmt.Fprintf(&b, "%s=%s;", k, v)
		case len(e.NestedBlocks) > 0:
			fmt.Fprintf(&b, "%s{", k)
			for _, nb := range e.NestedBlocks {
				b.WriteString(constantsOf(nb) + "|")
			}
			b.WriteString("};")
		case len(e.References) > 0:
			fmt.Fprintf(&b, "%s=ref;", k)
		}
	}
	return b.String()
}

// strsAny reads a list of scalars (strings or numbers) as they are.
func (f *fields) strsAny(key string) ([]any, bool) {
	v := f.get(key)
	if v.unknown {
		return nil, false
	}
	out := []any{}
	for _, e := range v.elems() {
		if e.unknown {
			return nil, false
		}
		out = append(out, e.v)
	}
	return out, true
}

// nfwDecode turns a rewritten block into nfwjson's shape; a value AWS would
// refuse is an error at the resource.
func (b *builder) nfwDecode(in *inst, block string, raw map[string]any, v any) error {
	data, err := json.Marshal(raw)
	if err != nil {
		return b.r.errf(in, "bad-value", "%s: %v", block, err)
	}
	if err := nfwjson.Decode(data, v); err != nil {
		return b.nfwErr(in, block, err)
	}
	return nil
}

func (b *builder) nfwErr(in *inst, block string, err error) error {
	var ve *nfwjson.ValueError
	if errors.As(err, &ve) {
		return b.r.errf(in, "bad-value", "%s: %s", block, ve.Msg)
	}
	return b.r.errf(in, "bad-value", "%s does not have the shape the provider gives: %v", block, err)
}

// nfwPolicy reads aws_networkfirewall_firewall_policy.
func (b *builder) nfwPolicy(in *inst) error {
	f := b.top(in)
	p := &model.NetworkFirewallPolicy{Meta: b.meta(in)}
	v := f.get("firewall_policy")
	c := &nfwConv{}
	var blocks []*fields
	if v.unknown {
		c.unknown = append(c.unknown, "firewall_policy is known only after apply")
	} else {
		blocks = c.nested(f, "firewall_policy", v, nil)
	}
	if len(blocks) == 0 && len(c.unknown) == 0 {
		c.unknown = append(c.unknown, "the resource states no firewall_policy")
	}
	var raw map[string]any
	if len(blocks) > 0 {
		raw = c.block(blocks[0], nfwPolicySpec)
	}
	if len(c.unknown) > 0 {
		p.AddUnknown("FirewallPolicy", strings.Join(c.unknown, "; "))
		b.n.NetworkFirewallPolicies.Put(p)
		return nil
	}
	var j nfwjson.Policy
	if err := b.nfwDecode(in, "firewall_policy", raw, &j); err != nil {
		return err
	}
	us, err := nfwjson.FillPolicy(p, &j)
	if err != nil {
		return b.nfwErr(in, "firewall_policy", err)
	}
	for _, u := range us {
		p.AddUnknown(u.Field, u.Reason)
	}
	b.n.NetworkFirewallPolicies.Put(p)
	return nil
}

// nfwRuleGroup reads aws_networkfirewall_rule_group: its rules are in
// rule_group, or in rules (Suricata text) when rule_group has no
// rules_source.
func (b *builder) nfwRuleGroup(in *inst) error {
	f := b.top(in)
	g := &model.NetworkFirewallRuleGroup{Meta: b.meta(in)}
	c := &nfwConv{}
	typ, known := f.str("type")
	if !known {
		c.unknown = append(c.unknown, "type is known only after apply")
	}
	g.RuleGroupType = typ
	if n, ok, unk := f.intv("capacity"); ok {
		g.Capacity = n
	} else if unk {
		g.AddUnknown("Capacity", "capacity is known only after apply")
	}
	raw := map[string]any{}
	if v := f.get("rule_group"); v.unknown {
		c.unknown = append(c.unknown, "rule_group is known only after apply")
	} else if blocks := c.nested(f, "rule_group", v, nil); len(blocks) > 0 {
		raw = c.block(blocks[0], nfwRuleGroupSpec)
	}
	if _, ok := raw["RulesSource"]; !ok {
		switch s, known := f.str("rules"); {
		case !known:
			c.unknown = append(c.unknown, "rules is known only after apply")
		case s != "":
			raw["RulesSource"] = map[string]any{"RulesString": s}
		}
	}
	if len(c.unknown) > 0 {
		// The type may still be known: keep it, read no rule.
		if typ != model.NFWStateless && typ != model.NFWStateful {
			g.RuleGroupType = ""
		}
		g.AddUnknown("RuleGroup", strings.Join(c.unknown, "; "))
		g.RulesSource.Origin = in.origin
		b.n.NetworkFirewallRuleGroups.Put(g)
		return nil
	}
	j := new(nfwjson.RuleGroup)
	if err := b.nfwDecode(in, "rule_group", raw, j); err != nil {
		return err
	}
	us, err := nfwjson.FillRuleGroup(g, j)
	if err != nil {
		return b.nfwErr(in, "rule_group", err)
	}
	for _, u := range us {
		g.AddUnknown(u.Field, u.Reason)
	}
	if !g.RulesKnown {
		g.AddUnknown("RuleGroup", "the resource states no rules (rule_group.rules_source or rules)")
	}
	g.RulesSource.Origin = in.origin
	b.n.NetworkFirewallRuleGroups.Put(g)
	return nil
}

// nfwFirewall reads aws_networkfirewall_firewall. Its endpoints are
// firewall_status.sync_states, known in state and only after apply in a
// plan: then one endpoint per subnet mapping, its ID unknown.
func (b *builder) nfwFirewall(in *inst) error {
	f := b.top(in)
	fw := &model.NetworkFirewall{Meta: b.meta(in)}
	if s, ok := f.str("name"); ok && fw.Name == "" {
		fw.Name = s
	}
	var why string
	if fw.VPCID, why = f.ref("vpc_id"); why != "" {
		fw.AddUnknown("VpcId", why)
	}
	if fw.FirewallPolicyARN, why = f.ref("firewall_policy_arn"); why != "" {
		fw.AddUnknown("FirewallPolicyArn", why)
	}
	fw.TransitGatewayID, _ = f.ref("transit_gateway_id")
	if v := f.get("subnet_mapping"); v.unknown {
		fw.AddUnknown("SubnetMappings", "subnet_mapping is known only after apply")
	} else {
		blocks := exprBlocks(f, "subnet_mapping")
		for i, e := range v.elems() {
			if e.unknown {
				fw.AddUnknown(fmt.Sprintf("subnet_mapping[%d]", i), "known only after apply")
				continue
			}
			vals, unk := e.obj()
			mf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("subnet_mapping[%d].", i), exprs: matchBlock(blocks, vals, "subnet_id")}
			id, why := mf.ref("subnet_id")
			if id == "" {
				fw.AddUnknown(mf.path+"subnet_id", orWhy(id, why))
				continue
			}
			t, _ := mf.str("ip_address_type")
			fw.SubnetMappings = append(fw.SubnetMappings, model.FirewallSubnetMapping{SubnetID: id, IPAddressType: t})
		}
	}
	st := f.get("firewall_status")
	var states []val
	statusKnown := !st.unknown && !st.null()
	if statusKnown {
		for _, e := range st.elems() {
			vals, unk := e.obj()
			ss := get(vals, unk, "sync_states")
			if e.unknown || ss.unknown {
				statusKnown = false
				break
			}
			states = append(states, ss.elems()...)
		}
	}
	if statusKnown && len(states) > 0 {
		fw.EndpointsKnown = true
		for _, s := range states {
			vals, unk := s.obj()
			sf := &fields{b: b, in: in, vals: vals, unk: unk}
			ep := model.FirewallEndpoint{}
			ep.AvailabilityZone, _ = sf.str("availability_zone")
			for _, a := range sf.get("attachment").elems() {
				av, au := a.obj()
				af := &fields{b: b, in: in, vals: av, unk: au}
				ep.EndpointID, _ = af.str("endpoint_id")
				ep.SubnetID, _ = af.str("subnet_id")
				ep.Status, _ = af.str("status")
			}
			fw.EndpointsKnown = fw.EndpointsKnown && ep.EndpointID != ""
			fw.Endpoints = append(fw.Endpoints, ep)
		}
		sort.Slice(fw.Endpoints, func(i, j int) bool { return fw.Endpoints[i].AvailabilityZone < fw.Endpoints[j].AvailabilityZone })
	} else {
		// One endpoint per firewall subnet; its ID exists after apply.
		for _, m := range fw.SubnetMappings {
			az := ""
			if s, ok := b.n.Subnets.Get(m.SubnetID); ok {
				az = s.AvailabilityZone
			}
			fw.Endpoints = append(fw.Endpoints, model.FirewallEndpoint{AvailabilityZone: az, SubnetID: m.SubnetID})
		}
	}
	if !fw.EndpointsKnown {
		fw.AddUnknown("FirewallStatus.SyncStates", "the firewall's endpoint IDs are known only after apply")
	}
	for _, e := range st.elems() {
		vals, unk := e.obj()
		for _, a := range get(vals, unk, "transit_gateway_attachment_sync_states").elems() {
			av, _ := a.obj()
			if s, ok := av["attachment_id"].(string); ok {
				fw.TransitGatewayAttachmentID = s
			}
		}
	}
	b.n.NetworkFirewalls.Put(fw)
	return nil
}

// nfwAssociationID is the model ID of a VPC endpoint association: its
// ARN when known, else its address.
func nfwAssociationID(in *inst) string {
	if s, ok := in.vals["vpc_endpoint_association_arn"].(string); ok && s != "" && !isUnknown(in.unk, "vpc_endpoint_association_arn") {
		return s
	}
	return in.addr
}

// nfwEndpointAssociation reads aws_networkfirewall_vpc_endpoint_association:
// one more endpoint of the firewall, in its subnet (possibly another VPC's),
// with the ID vpc_endpoint_association_status gives in state.
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeVpcEndpointAssociation.html
func (b *builder) nfwEndpointAssociation(in *inst) error {
	f := b.top(in)
	fwID, why := f.ref("firewall_arn")
	fw, ok := b.n.NetworkFirewalls.Get(fwID)
	if !ok {
		b.warnf(in, "unresolved-reference", "adds an endpoint to a firewall not in the sources (%s)", orWhy(fwID, why))
		return nil
	}
	ep := model.FirewallEndpoint{AssociationID: nfwAssociationID(in)}
	c := &nfwConv{}
	for _, m := range c.nested(f, "subnet_mapping", f.get("subnet_mapping"), []string{"subnet_id"}) {
		id, why := m.ref("subnet_id")
		if id == "" {
			fw.AddUnknown(in.addr+".subnet_mapping", orWhy(id, why))
			return nil
		}
		ep.SubnetID = id
	}
	if s, ok := b.n.Subnets.Get(ep.SubnetID); ok {
		ep.AvailabilityZone = s.AvailabilityZone
	}
	for _, st := range f.get("vpc_endpoint_association_status").elems() {
		vals, unk := st.obj()
		for _, ss := range get(vals, unk, "association_sync_state").elems() {
			sv, su := ss.obj()
			sf := &fields{b: b, in: in, vals: sv, unk: su}
			if az, ok := sf.str("availability_zone"); ok && az != "" {
				ep.AvailabilityZone = az
			}
			for _, a := range sf.get("attachment").elems() {
				av, au := a.obj()
				af := &fields{b: b, in: in, vals: av, unk: au}
				ep.EndpointID, _ = af.str("endpoint_id")
				if s, _ := af.str("subnet_id"); s != "" {
					ep.SubnetID = s
				}
				ep.Status, _ = af.str("status")
			}
		}
	}
	// An endpoint ID known only after apply needs no unknown: routes name
	// the association itself (RouteFirewallTarget.AssociationID).
	fw.Endpoints = append(fw.Endpoints, ep)
	return nil
}

// routeFirewall tells whether a route's vpc_endpoint_id, unknown in the
// plan, is an endpoint of one firewall
// (aws_networkfirewall_firewall.x.firewall_status[0].sync_states...): the
// route then names that firewall, the endpoint not yet. A for expression
// that also reads one subnet's availability_zone picks the endpoint in
// that subnet's zone.
func (b *builder) routeFirewall(f *fields, key string) *model.RouteFirewallTarget {
	ts, why := b.r.resolve(b.r.scopeOf(f.in), exprOf(f.exprs, key), 0)
	if why != "" {
		return nil
	}
	var fwID, az, assoc string
	zones := 0
	for _, t := range ts {
		switch {
		case t.in.typ == "aws_networkfirewall_firewall":
			if fwID != "" && fwID != t.in.id {
				return nil
			}
			fwID = t.in.id
		case t.in.typ == "aws_networkfirewall_vpc_endpoint_association":
			// The association's own endpoint, in its subnet.
			id, _ := b.top(t.in).ref("firewall_arn")
			if id == "" || (fwID != "" && fwID != id) || (assoc != "" && assoc != nfwAssociationID(t.in)) {
				return nil
			}
			fwID, assoc = id, nfwAssociationID(t.in)
		case t.in.typ == "aws_subnet" && t.attr == "availability_zone":
			zones++
			if s, ok := b.n.Subnets.Get(t.in.id); ok {
				az = s.AvailabilityZone
			}
		default:
			return nil
		}
	}
	if fwID == "" {
		return nil
	}
	if zones != 1 || assoc != "" {
		az = ""
	}
	return &model.RouteFirewallTarget{FirewallID: fwID, Index: -1, AvailabilityZone: az, AssociationID: assoc}
}
