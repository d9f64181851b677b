package cloudformation

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Notes in Meta.Defaults about the allow-all egress rule.
const (
	noteDefaultEgress  = "allow-all IPv4 egress (0.0.0.0/0, all protocols) added by AWS: the template states no SecurityGroupEgress (aws-behaviour.md R8.2)"
	noteDefaultEgress6 = "allow-all IPv6 egress (::/0, all protocols) added as CloudFormation's documentation says (aws-behaviour.md R8.2)"
)

func defaultEgress(o model.Origin, cidr string) model.SGRule {
	return model.SGRule{Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP,
		Peer: model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(cidr)}, Default: true, Origin: o}
}

// securityGroup reads AWS::EC2::SecurityGroup with CloudFormation's egress
// semantics: no SecurityGroupEgress (or an empty list) keeps AWS's
// allow-all IPv4 egress rule; any inline egress rule replaces it (R8.2-R8.4).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html
func (b *builder) securityGroup(p *props) error {
	sg := &model.SecurityGroup{Meta: p.meta(), Ingress: []model.SGRule{}, Egress: []model.SGRule{}}
	p.bind(&sg.Meta)
	sg.GroupName = p.str("GroupName")
	if sg.GroupName == "" && !p.has("GroupName") {
		sg.GroupName = p.s.name + "-" + p.r.logical
	}
	sg.Description = p.str("GroupDescription")
	sg.VPCID = p.str("VpcId")
	if !p.has("VpcId") {
		p.note("VpcId", "no VpcId: the group is in the region's default VPC")
	}
	ing, complete := p.list("SecurityGroupIngress")
	if !complete {
		sg.Ingress = append(sg.Ingress, unknownRule(false, p.origin, "some SecurityGroupIngress rules are unknown"))
	}
	for _, rp := range ing {
		r, ok, err := b.sgRule(rp, false)
		if err != nil {
			return err
		}
		if ok {
			sg.Ingress = append(sg.Ingress, r)
		}
	}
	eg, complete := p.list("SecurityGroupEgress")
	if !complete {
		sg.Egress = append(sg.Egress, unknownRule(true, p.origin, "some SecurityGroupEgress rules are unknown"))
	}
	for _, rp := range eg {
		r, ok, err := b.sgRule(rp, true)
		if err != nil {
			return err
		}
		if ok {
			sg.Egress = append(sg.Egress, r)
		}
	}
	if len(eg) == 0 && complete {
		// Absent or an empty list: AWS's default rule stays (R8.2).
		sg.Egress = append(sg.Egress, defaultEgress(p.origin, "0.0.0.0/0"))
		sg.Defaults = append(sg.Defaults, noteDefaultEgress)
		if b.r.opts.DefaultEgressIPv6 {
			sg.Egress = append(sg.Egress, defaultEgress(p.origin, "::/0"))
			sg.Defaults = append(sg.Defaults, noteDefaultEgress6)
		}
	}
	b.n.SecurityGroups.Put(sg)
	return nil
}

func unknownRule(egress bool, o model.Origin, why string) model.SGRule {
	return model.SGRule{Egress: egress, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP,
		Peer: model.UnknownPeer(why), Origin: o}
}

// sgRule reads one rule, inline or standalone. ok is false when the rule
// names no peer: CloudFormation then adds nothing (R8.5).
func (b *builder) sgRule(p *props, egress bool) (model.SGRule, bool, error) {
	r := model.SGRule{Egress: egress, Ports: model.AllPorts, ICMP: model.AnyICMP, Origin: p.origin}
	r.Description = p.str("Description")
	proto, u := p.strU("IpProtocol")
	switch {
	case u != nil:
		p.note("IpProtocol", u.S+": read as all protocols")
		r.Protocol = model.ProtoAll
	default:
		pr, err := model.ParseProtocol(proto)
		if err != nil {
			return r, false, p.badf("IpProtocol", "%v", err)
		}
		r.Protocol = pr
	}
	from, fromOK, err := p.intV("FromPort")
	if err != nil {
		return r, false, err
	}
	to, toOK, err := p.intV("ToPort")
	if err != nil {
		return r, false, err
	}
	switch {
	case r.Protocol.HasPorts():
		// R8.6: tcp and udp need a range; -1 to -1, or no range, reads as
		// all. A known value outside 0-65535, or a reversed range, is an
		// error, never clamped or swapped.
		switch {
		case p.has("FromPort") && !fromOK || p.has("ToPort") && !toOK:
			p.note("FromPort", "unknown port range: read as all ports")
		case fromOK && from == -1 && (!toOK || to == -1):
		case fromOK && (from < 0 || from > 65535):
			return r, false, p.badf("FromPort", "FromPort %d is outside 0-65535 (-1 with ToPort -1 means every port)", from)
		case toOK && (to < 0 || to > 65535):
			return r, false, p.badf("ToPort", "ToPort %d is outside 0-65535 (-1 with FromPort -1 means every port)", to)
		case fromOK && toOK && from > to:
			return r, false, p.badf("FromPort", "FromPort %d is greater than ToPort %d", from, to)
		case fromOK && toOK:
			r.Ports = model.PortRange{From: uint16(from), To: uint16(to)}
		case fromOK || toOK:
			return r, false, p.badf("FromPort", "%s needs both FromPort and ToPort (R8.6)", strings.ToLower(r.Protocol.String()))
		}
	case r.Protocol.IsICMP():
		// icmp: FromPort is the type, ToPort the code, -1 all; all types
		// need all codes.
		if fromOK && (from < -1 || from > 255) {
			return r, false, p.badf("FromPort", "ICMP type (FromPort) %d is outside 0-255 (-1 means all)", from)
		}
		if toOK && (to < -1 || to > 255) {
			return r, false, p.badf("ToPort", "ICMP code (ToPort) %d is outside 0-255 (-1 means all)", to)
		}
		if fromOK {
			r.ICMP.Type = int16(from)
		}
		if toOK {
			r.ICMP.Code = int16(to)
		}
		if r.ICMP.Type < 0 && r.ICMP.Code >= 0 {
			return r, false, p.badf("ToPort", "ICMP code (ToPort) %d with every type (FromPort -1): all types need all codes (-1)", to)
		}
	default:
		// R8.6: -1 and every other protocol ignore ports; note a range
		// the template gave anyway, for lint to point at.
		if fromOK && toOK && from >= 0 && !(from == 0 && to == 65535) {
			r.PortsIgnored = true
		}
	}
	var peer model.Peer
	set := false
	var bad error
	try := func(key string, kind model.PeerKind) {
		if set || !p.has(key) {
			return
		}
		set = true
		s, u := p.strU(key)
		if u != nil {
			peer = model.UnknownPeer(key + ": " + u.S)
			if kind == model.PeerCIDR {
				peer = peer.WithCandidates(cidrAlternatives(u))
			}
			return
		}
		switch kind {
		case model.PeerCIDR:
			pf, err := netip.ParsePrefix(strings.TrimSpace(s))
			if err != nil {
				if a, err2 := netip.ParseAddr(strings.TrimSpace(s)); err2 == nil {
					pf = netip.PrefixFrom(a, a.BitLen())
				} else if p.namesResource(s) {
					peer = model.UnknownPeer(fmt.Sprintf("%s is a Ref to resource %s, not a CIDR block", key, s))
					return
				} else {
					bad = p.badf(key, "%s %q is not a CIDR block", key, s)
					return
				}
			}
			peer = model.Peer{Kind: model.PeerCIDR, CIDR: pf.Masked()}
		default:
			peer = model.Peer{Kind: kind, ID: s}
		}
	}
	try("CidrIp", model.PeerCIDR)
	try("CidrIpv6", model.PeerCIDR)
	if egress {
		try("DestinationPrefixListId", model.PeerPrefixList)
		try("DestinationSecurityGroupId", model.PeerSecurityGroup)
	} else {
		try("SourcePrefixListId", model.PeerPrefixList)
		try("SourceSecurityGroupId", model.PeerSecurityGroup)
		if !set && p.has("SourceSecurityGroupName") {
			set = true
			name, u := p.strU("SourceSecurityGroupName")
			if u != nil {
				peer = model.UnknownPeer("SourceSecurityGroupName: " + u.S)
			} else if g := b.sgByName(name); g != "" {
				peer = model.Peer{Kind: model.PeerSecurityGroup, ID: g}
			} else {
				peer = model.UnknownPeer("security group named " + name + " is not in the sources")
			}
		}
		if peer.Kind == model.PeerSecurityGroup {
			if o, u := p.strU("SourceSecurityGroupOwnerId"); u == nil {
				peer = peer.WithAccount(o)
			}
		}
	}
	if bad != nil {
		return r, false, bad
	}
	if !set {
		return r, false, nil
	}
	r.Peer = peer
	return r, true, nil
}

func (b *builder) sgByName(name string) string {
	for _, g := range b.n.SecurityGroups.All() {
		if g.GroupName == name || g.ID == name {
			return g.ID
		}
	}
	return ""
}

// groupOf finds the group a standalone rule belongs to.
func (b *builder) groupOf(p *props) *model.SecurityGroup {
	id, u := p.strU("GroupId")
	if u != nil {
		p.warnf("unknown-value", "the rule's group is unknown (%s): the rule is not read", u.S)
		return nil
	}
	if id == "" {
		if name, u := p.strU("GroupName"); u == nil && name != "" {
			id = b.sgByName(name)
		}
	}
	g, ok := b.n.SecurityGroups.Get(id)
	if !ok {
		p.warnf("dangling-reference", "the rule belongs to security group %q, which is not in the sources", id)
		return nil
	}
	return g
}

func (b *builder) securityGroupIngress(p *props) error {
	g := b.groupOf(p)
	if g == nil {
		p.flush()
		return nil
	}
	p.bindAs(&g.Meta)
	r, ok, err := b.sgRule(p, false)
	if err != nil {
		return err
	}
	if !ok {
		p.warnf("no-rule", "SecurityGroupIngress names no source (CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId): no rule is added")
		return nil
	}
	g.Ingress = append(g.Ingress, r)
	return nil
}

// securityGroupEgress adds one rule (R8.5). A group whose only egress rule
// is AWS's untouched default loses that rule; a resource naming no
// destination adds nothing.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroupegress.html
func (b *builder) securityGroupEgress(p *props) error {
	g := b.groupOf(p)
	if g == nil {
		p.flush()
		return nil
	}
	p.bindAs(&g.Meta)
	r, ok, err := b.sgRule(p, true)
	if err != nil {
		return err
	}
	if !ok {
		p.warnf("no-rule", "SecurityGroupEgress names no destination (CidrIp, CidrIpv6, DestinationPrefixListId, DestinationSecurityGroupId): the stack succeeds but no rule is added")
		return nil
	}
	onlyDefaults := len(g.Egress) > 0
	for _, e := range g.Egress {
		if !e.Default {
			onlyDefaults = false
		}
	}
	// A rule whose condition is unknown may not exist: then the default
	// stays, so keep it (the wider reading).
	if onlyDefaults && !g.IsDefault() && p.r.cond != triUnknown {
		g.Egress = g.Egress[:0]
		kept := g.Defaults[:0]
		for _, d := range g.Defaults {
			if d != noteDefaultEgress && d != noteDefaultEgress6 {
				kept = append(kept, d)
			}
		}
		g.Defaults = append(kept, "AWS's allow-all egress rule removed by the standalone SecurityGroupEgress "+p.r.id+" (aws-behaviour.md R8.5)")
	}
	g.Egress = append(g.Egress, r)
	return nil
}

// cidrAlternatives returns the CIDRs an unknown value may be (a
// parameter's AllowedValues, the branches of an Fn::If on an unknown
// condition), or nil when one of them is not a CIDR.
func cidrAlternatives(u *Value) []netip.Prefix {
	alts := u.alternatives()
	if len(alts) == 0 {
		return nil
	}
	out := make([]netip.Prefix, 0, len(alts))
	for _, a := range alts {
		if a.Kind != Scalar {
			return nil
		}
		pf, err := netip.ParsePrefix(strings.TrimSpace(a.S))
		if err != nil {
			return nil
		}
		out = append(out, pf.Masked())
	}
	return out
}
