package terraform

import (
	"fmt"
	"net/netip"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vpcreach/vpcreach/internal/model"
)

type tfjsonExpr = tfjson.Expression

func init() {
	for t, h := range map[string]handler{
		"aws_security_group":                  {1, (*builder).securityGroup},
		"aws_default_security_group":          {2, (*builder).defaultSecurityGroup},
		"aws_security_group_rule":             {3, (*builder).securityGroupRule},
		"aws_vpc_security_group_ingress_rule": {3, (*builder).vpcSGRule},
		"aws_vpc_security_group_egress_rule":  {3, (*builder).vpcSGRule},
		"aws_network_acl":                     {1, (*builder).networkACL},
		"aws_default_network_acl":             {2, (*builder).defaultNetworkACL},
		"aws_network_acl_rule":                {3, (*builder).networkACLRule},
		"aws_network_acl_association":         {3, (*builder).networkACLAssociation},
	} {
		handlers[t] = h
	}
}

// matchBlock picks the configuration block of a nested value: the only
// block, or the only one whose constant values of keys equal the value's.
// Sets reorder blocks, so position does not tell.
func matchBlock(blocks []map[string]*tfjson.Expression, vals map[string]any, keys ...string) map[string]*tfjson.Expression {
	if len(blocks) == 1 {
		return blocks[0]
	}
	var found map[string]*tfjson.Expression
	n := 0
	for _, bl := range blocks {
		ok := true
		for _, k := range keys {
			e := bl[k]
			want, has := vals[k]
			if e == nil || e.ExpressionData == nil || e.ConstantValue == nil {
				continue
			}
			if !has || fmt.Sprint(e.ConstantValue) != fmt.Sprint(want) {
				ok = false
			}
		}
		if ok {
			found, n = bl, n+1
		}
	}
	if n == 1 {
		return found
	}
	return nil
}

func unknownRule(egress bool, o model.Origin, why string) model.SGRule {
	return model.SGRule{Egress: egress, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP,
		Peer: model.UnknownPeer(why), Origin: o}
}

// securityGroup reads aws_security_group with the AWS provider's
// semantics: Terraform removes the allow-all egress rule AWS adds to a new
// group, so the group has no egress unless stated. Inline ingress and
// egress blocks are the whole rule set when stated; when not, a group the
// plan creates holds only the rules of aws_security_group_rule and
// aws_vpc_security_group_*_rule resources.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
func (b *builder) securityGroup(in *inst) error {
	f := b.top(in)
	sg := &model.SecurityGroup{Meta: b.meta(in), Ingress: []model.SGRule{}, Egress: []model.SGRule{}}
	sg.GroupName, _ = f.str("name")
	sg.Description, _ = f.str("description")
	vpc, why := f.ref("vpc_id")
	sg.VPCID = vpc
	switch {
	case why != "":
		sg.AddUnknown("VpcId", why)
	case vpc == "":
		sg.AddUnknown("VpcId", "no vpc_id: the group is in the region's default VPC")
	}
	if in.create {
		sg.Defaults = append(sg.Defaults, "no allow-all egress: Terraform removes the rule AWS adds to a new group")
	}
	for _, dir := range []string{"ingress", "egress"} {
		rules, err := b.inlineSGRules(in, f, sg, dir)
		if err != nil {
			return err
		}
		if dir == "ingress" {
			sg.Ingress = append(sg.Ingress, rules...)
		} else {
			sg.Egress = append(sg.Egress, rules...)
		}
	}
	b.n.SecurityGroups.Put(sg)
	return nil
}

func (b *builder) inlineSGRules(in *inst, f *fields, sg *model.SecurityGroup, dir string) ([]model.SGRule, error) {
	egress := dir == "egress"
	v := f.get(dir)
	if v.unknown {
		if f.stated(dir) {
			return []model.SGRule{unknownRule(egress, in.origin, "the inline "+dir+" rules are known only after apply")}, nil
		}
		if !in.create {
			return []model.SGRule{unknownRule(egress, in.origin, "the "+dir+" rules of an existing group are known only after apply")}, nil
		}
		return nil, nil
	}
	var blocks []map[string]*tfjson.Expression
	if f.exprs != nil {
		if e := f.exprs[dir]; e != nil && e.ExpressionData != nil {
			blocks = e.NestedBlocks
		}
	}
	var out []model.SGRule
	for i, e := range v.elems() {
		vals, unk := e.obj()
		if e.unknown || vals == nil {
			out = append(out, unknownRule(egress, in.origin, fmt.Sprintf("%s[%d] is known only after apply", dir, i)))
			continue
		}
		bf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("%s[%d].", dir, i),
			exprs: matchBlock(blocks, vals, "from_port", "to_port", "protocol", "description")}
		rs, err := b.sgRules(bf, egress, sg.ID, "protocol", "cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups", "self")
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// sgRules reads one rule block (inline or aws_security_group_rule) into
// one model rule per peer.
func (b *builder) sgRules(f *fields, egress bool, self, protoKey, cidrKey, cidr6Key, plKey, sgKey, selfKey string) ([]model.SGRule, error) {
	base := model.SGRule{Egress: egress, Ports: model.AllPorts, ICMP: model.AnyICMP, Origin: f.in.origin}
	base.Description, _ = f.str("description")
	proto, known := f.str(protoKey)
	if !known {
		base.Protocol = model.ProtoAll
		return []model.SGRule{unknownRule(egress, f.in.origin, f.path+protoKey+" is known only after apply")}, nil
	}
	p, err := model.ParseProtocol(proto)
	if err != nil {
		return nil, f.b.r.errf(f.in, "bad-value", "%s%s: %v", f.path, protoKey, err)
	}
	base.Protocol = p
	if err := f.portsInto(&base.Ports, &base.ICMP, &base.PortsIgnored, p); err != nil {
		return nil, err
	}
	var out []model.SGRule
	add := func(peer model.Peer) {
		r := base
		r.Peer = peer
		out = append(out, r)
	}
	for _, k := range []string{cidrKey, cidr6Key} {
		if k == "" {
			continue
		}
		v := f.get(k)
		if v.hasUnknown() {
			add(model.UnknownPeer(f.path + k + " is known only after apply"))
		}
		for _, e := range v.elems() {
			s, ok := e.v.(string)
			if !ok || e.unknown {
				continue
			}
			c, ok := parsePrefix(s)
			if !ok {
				return nil, f.b.r.errf(f.in, "bad-value", "%s%s %q is not a CIDR block", f.path, k, s)
			}
			add(model.Peer{Kind: model.PeerCIDR, CIDR: c})
		}
		if s, ok := v.v.(string); ok && s != "" {
			c, ok := parsePrefix(s)
			if !ok {
				return nil, f.b.r.errf(f.in, "bad-value", "%s%s %q is not a CIDR block", f.path, k, s)
			}
			add(model.Peer{Kind: model.PeerCIDR, CIDR: c})
		}
	}
	for _, pk := range []struct {
		key  string
		kind model.PeerKind
	}{{plKey, model.PeerPrefixList}, {sgKey, model.PeerSecurityGroup}} {
		if pk.key == "" {
			continue
		}
		v := f.get(pk.key)
		if v.null() {
			continue
		}
		if _, scalar := v.v.(string); scalar || (v.unknown && !isList(f, pk.key)) {
			id, why := f.ref(pk.key)
			switch {
			case why != "":
				add(model.UnknownPeer(why))
			case id != "":
				add(model.Peer{Kind: pk.kind, ID: id})
			}
			continue
		}
		ids, why := f.refs(pk.key)
		for _, id := range ids {
			add(model.Peer{Kind: pk.kind, ID: id})
		}
		if why != "" {
			add(model.UnknownPeer(why))
		}
	}
	if selfKey != "" && f.flag(selfKey, false) != model.False {
		if f.flag(selfKey, false) == model.UnknownFlag {
			add(model.UnknownPeer(f.path + selfKey + " is known only after apply"))
		} else {
			add(model.Peer{Kind: model.PeerSecurityGroup, ID: self})
		}
	}
	return out, nil
}

// isList reports whether a key's configuration looks like a list of
// references (security_groups = [...]); plain aws_security_group_rule
// fields are scalars.
func isList(f *fields, key string) bool {
	switch key {
	case "security_groups", "prefix_list_ids", "cidr_blocks", "ipv6_cidr_blocks":
		return true
	}
	return false
}

// portsInto reads from_port and to_port: a port range for tcp and udp,
// ICMP type and code for icmp, ignored otherwise (R8.6).
func (f *fields) portsInto(ports *model.PortRange, icmp *model.ICMPMatch, ignored *bool, p model.Protocol) error {
	from, fromOK, fromU := f.intv("from_port")
	to, toOK, toU := f.intv("to_port")
	switch {
	case p.HasPorts():
		switch {
		case fromU || toU:
			*ports = model.AllPorts
		case !fromOK && !toOK, from == -1 && to == -1:
			*ports = model.AllPorts
		case from < 0 || from > 65535:
			return f.b.r.errf(f.in, "bad-value", "%sfrom_port %d is outside 0-65535", f.path, from)
		case to < 0 || to > 65535:
			return f.b.r.errf(f.in, "bad-value", "%sto_port %d is outside 0-65535", f.path, to)
		case from > to:
			return f.b.r.errf(f.in, "bad-value", "%sfrom_port %d is above to_port %d", f.path, from, to)
		default:
			*ports = model.PortRange{From: uint16(from), To: uint16(to)}
		}
	case p.IsICMP():
		// from_port is the ICMP type, to_port the code; -1 is any.
		if fromOK && !fromU {
			icmp.Type = int16(from)
		}
		if toOK && !toU {
			icmp.Code = int16(to)
		}
		if icmp.Type < 0 {
			icmp.Code = -1
		}
	default:
		*ports = model.AllPorts
		if (fromOK && from != 0 && from != -1) || (toOK && to != 0 && to != -1) {
			*ignored = true
		}
	}
	return nil
}

// groupOf finds the group a standalone rule belongs to.
func (b *builder) groupOf(in *inst, f *fields) *model.SecurityGroup {
	id, why := f.ref("security_group_id")
	sg, ok := b.n.SecurityGroups.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "adds a rule to a security group not in the sources (%s)", orWhy(id, why))
		return nil
	}
	return sg
}

// securityGroupRule reads aws_security_group_rule (type ingress or egress).
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group_rule
func (b *builder) securityGroupRule(in *inst) error {
	f := b.top(in)
	sg := b.groupOf(in, f)
	if sg == nil {
		return nil
	}
	typ, _ := f.str("type")
	egress := typ == "egress"
	if typ != "ingress" && typ != "egress" {
		return b.r.errf(in, "bad-value", "type %q: want ingress or egress", typ)
	}
	rs, err := b.sgRules(f, egress, sg.ID, "protocol", "cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "source_security_group_id", "self")
	if err != nil {
		return err
	}
	b.addRules(sg, rs)
	return nil
}

// vpcSGRule reads aws_vpc_security_group_ingress_rule / _egress_rule: one
// peer each, ip_protocol "-1" for all.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_security_group_ingress_rule
func (b *builder) vpcSGRule(in *inst) error {
	f := b.top(in)
	sg := b.groupOf(in, f)
	if sg == nil {
		return nil
	}
	egress := strings.HasSuffix(in.typ, "_egress_rule")
	rs, err := b.sgRules(f, egress, sg.ID, "ip_protocol", "cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id", "")
	if err != nil {
		return err
	}
	for i := range rs {
		if in.idKnown {
			rs[i].RuleID = in.id
		}
	}
	b.addRules(sg, rs)
	return nil
}

func (b *builder) addRules(sg *model.SecurityGroup, rs []model.SGRule) {
	for _, r := range rs {
		if r.Egress {
			sg.Egress = append(sg.Egress, r)
		} else {
			sg.Ingress = append(sg.Ingress, r)
		}
	}
}

// defaultSecurityGroup reads aws_default_security_group: Terraform adopts
// the VPC's default group, removes every rule and adds those stated.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group
func (b *builder) defaultSecurityGroup(in *inst) error {
	f := b.top(in)
	vpc, why := f.ref("vpc_id")
	id := ""
	if in.idKnown {
		id = in.id
	} else if v, ok := b.n.VPCs.Get(vpc); ok {
		id = v.DefaultSecurityGroupID
	}
	sg, ok := b.n.SecurityGroups.Get(id)
	if !ok {
		if id == "" {
			b.warnf(in, "unresolved-reference", "manages the default security group of a VPC not in the sources (%s)", orWhy(vpc, why))
			return nil
		}
		sg = &model.SecurityGroup{Meta: b.meta(in), GroupName: "default", VPCID: vpc}
		sg.ID = id
		b.n.SecurityGroups.Put(sg)
	}
	m := b.meta(in)
	sg.Origin, sg.LogicalID = in.origin, in.addr
	if m.Name != "" {
		sg.Name, sg.Tags = m.Name, m.Tags
	}
	sg.Ingress, sg.Egress, sg.Unknowns = []model.SGRule{}, []model.SGRule{}, nil
	sg.Defaults = []string{"the VPC's default group: " + in.addr + " removes its rules and adds those stated"}
	b.managedDefault[sg.ID] = true
	for _, dir := range []string{"ingress", "egress"} {
		rules, err := b.inlineSGRules(in, f, sg, dir)
		if err != nil {
			return err
		}
		b.addRules(sg, rules)
	}
	return nil
}

// networkACL reads aws_network_acl: inline rules, the subnets it is
// associated with, and the final deny every NACL ends with.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl
func (b *builder) networkACL(in *inst) error {
	f := b.top(in)
	acl := &model.NetworkACL{Meta: b.meta(in)}
	vpc, why := f.ref("vpc_id")
	acl.VPCID = vpc
	if why != "" {
		acl.AddUnknown("VpcId", why)
	}
	if err := b.inlineACLRules(in, f, acl); err != nil {
		return err
	}
	subs, swhy := f.refs("subnet_ids")
	for _, s := range subs {
		b.aclAssoc = append(b.aclAssoc, aclAssoc{acl: acl.ID, subnet: s, origin: in.origin})
	}
	if swhy != "" {
		acl.AddUnknown("SubnetIds", swhy)
	}
	b.n.NetworkACLs.Put(acl)
	b.customACLs = append(b.customACLs, acl)
	return nil
}

func (b *builder) inlineACLRules(in *inst, f *fields, acl *model.NetworkACL) error {
	for _, dir := range []string{"ingress", "egress"} {
		egress := dir == "egress"
		v := f.get(dir)
		if v.unknown {
			if f.stated(dir) || !in.create {
				acl.Entries = append(acl.Entries, model.NACLEntry{RuleNumber: 1, Egress: egress, Protocol: model.ProtoAll, Action: model.NACLAllow,
					CIDRUnknown: "the " + dir + " rules are known only after apply", Ports: model.AllPorts, ICMP: model.AnyICMP, Origin: in.origin})
			}
			continue
		}
		for i, e := range v.elems() {
			vals, unk := e.obj()
			if vals == nil {
				continue
			}
			bf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("%s[%d].", dir, i)}
			en, err := b.aclEntry(bf, egress, "rule_no", "action")
			if err != nil {
				return err
			}
			acl.Entries = append(acl.Entries, en)
		}
	}
	return nil
}

func (b *builder) aclEntry(f *fields, egress bool, numKey, actionKey string) (model.NACLEntry, error) {
	en := model.NACLEntry{Egress: egress, Ports: model.AllPorts, ICMP: model.AnyICMP, Origin: f.in.origin}
	n, ok, _ := f.intv(numKey)
	if !ok || n < 1 || n > 32766 {
		return en, f.b.r.errf(f.in, "bad-value", "%s%s: want a rule number 1-32766", f.path, numKey)
	}
	en.RuleNumber = n
	act, _ := f.str(actionKey)
	switch strings.ToLower(act) {
	case "allow":
		en.Action = model.NACLAllow
	case "deny":
		en.Action = model.NACLDeny
	default:
		return en, f.b.r.errf(f.in, "bad-value", "%s%s %q: want allow or deny", f.path, actionKey, act)
	}
	proto, known := f.str("protocol")
	if !known {
		en.Protocol = model.ProtoAll
		en.CIDRUnknown = "the protocol is known only after apply"
	} else {
		p, err := model.ParseProtocol(proto)
		if err != nil {
			return en, f.b.r.errf(f.in, "bad-value", "%sprotocol: %v", f.path, err)
		}
		en.Protocol = p
	}
	if en.Protocol.HasPorts() {
		var ign bool
		if err := f.portsInto(&en.Ports, &en.ICMP, &ign, en.Protocol); err != nil {
			return en, err
		}
	}
	if en.Protocol.IsICMP() {
		if t, ok, _ := f.intv("icmp_type"); ok {
			en.ICMP.Type = int16(t)
		}
		if c, ok, _ := f.intv("icmp_code"); ok {
			en.ICMP.Code = int16(c)
		}
	}
	for _, k := range []string{"cidr_block", "ipv6_cidr_block"} {
		p, why, err := f.prefix(k)
		if err != nil {
			return en, err
		}
		if p.IsValid() {
			en.CIDR = p
		} else if why != "" && !en.CIDR.IsValid() {
			en.CIDRUnknown = why
		}
	}
	if !en.CIDR.IsValid() && en.CIDRUnknown == "" {
		return en, f.b.r.errf(f.in, "bad-value", "%sthe rule states no cidr_block or ipv6_cidr_block", f.path)
	}
	return en, nil
}

// networkACLRule reads aws_network_acl_rule into its ACL.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl_rule
func (b *builder) networkACLRule(in *inst) error {
	f := b.top(in)
	id, why := f.ref("network_acl_id")
	acl, ok := b.n.NetworkACLs.Get(id)
	if !ok {
		b.warnf(in, "unresolved-reference", "adds a rule to a network ACL not in the sources (%s)", orWhy(id, why))
		return nil
	}
	en, err := b.aclEntry(f, f.flag("egress", false).IsTrue(), "rule_number", "rule_action")
	if err != nil {
		return err
	}
	acl.Entries = append(acl.Entries, en)
	return nil
}

func (b *builder) networkACLAssociation(in *inst) error {
	f := b.top(in)
	id, why := f.ref("network_acl_id")
	sub, swhy := f.ref("subnet_id")
	if id == "" || sub == "" {
		b.warnf(in, "unresolved-reference", "associates a network ACL and subnet it cannot tell (%s)", orStr(why, swhy))
		return nil
	}
	b.aclAssoc = append(b.aclAssoc, aclAssoc{acl: id, subnet: sub, origin: in.origin})
	return nil
}

// defaultNetworkACL reads aws_default_network_acl: Terraform adopts the
// VPC's default ACL, removes every rule and adds those stated.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_network_acl
func (b *builder) defaultNetworkACL(in *inst) error {
	f := b.top(in)
	id, why := f.ref("default_network_acl_id")
	acl, ok := b.n.NetworkACLs.Get(id)
	if !ok {
		if id == "" {
			b.warnf(in, "unresolved-reference", "manages a default network ACL not in the sources (%s)", why)
			return nil
		}
		acl = &model.NetworkACL{Meta: b.meta(in), IsDefault: true}
		acl.ID = id
		b.n.NetworkACLs.Put(acl)
	}
	acl.Origin, acl.LogicalID, acl.Unknowns = in.origin, in.addr, nil
	acl.Entries = nil
	acl.Defaults = []string{"the VPC's default network ACL: " + in.addr + " removes its rules and adds those stated"}
	b.managedDefault[acl.ID] = true
	if err := b.inlineACLRules(in, f, acl); err != nil {
		return err
	}
	subs, _ := f.refs("subnet_ids")
	for _, s := range subs {
		b.aclAssoc = append(b.aclAssoc, aclAssoc{acl: acl.ID, subnet: s, origin: in.origin})
	}
	b.customACLs = append(b.customACLs, acl)
	return nil
}

var _ = netip.Prefix{}
