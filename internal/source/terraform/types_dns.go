package terraform

import (
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	for t, h := range map[string]handler{
		"aws_route53_zone":             {1, (*builder).hostedZone},
		"aws_route53_zone_association": {2, (*builder).zoneAssociation},
		"aws_route53_record":           {4, (*builder).record},
	} {
		handlers[t] = h
	}
}

func fqdn(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// hostedZone reads aws_route53_zone: private when it has vpc blocks. The
// records of a zone the plan creates are the plan's aws_route53_record
// resources; those of an existing zone are not all in the sources.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_zone
func (b *builder) hostedZone(in *inst) error {
	f := b.top(in)
	z := &model.HostedZone{Meta: b.meta(in), RecordsKnown: in.create}
	if s, ok := f.str("zone_id"); ok && s != "" {
		z.ID = s
	}
	name, _ := f.str("name")
	z.ZoneName = fqdn(name)
	for i, v := range f.get("vpc").elems() {
		vals, unk := v.obj()
		vf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("vpc[%d].", i), exprs: matchBlock(exprBlocks(f, "vpc"), vals, "vpc_region")}
		id, why := vf.ref("vpc_id")
		if id == "" {
			z.AddUnknown(vf.path+"vpc_id", orWhy(id, why))
			continue
		}
		region, _ := vf.str("vpc_region")
		z.VPCs = append(z.VPCs, model.ZoneVPC{VPCID: id, Region: region})
	}
	z.Private = len(z.VPCs) > 0 || z.HasUnknown("vpc[0].vpc_id")
	if !in.create {
		z.AddUnknown("Records", "the records of an existing zone are not all in the sources")
	}
	b.n.HostedZones.Put(z)
	return nil
}

func (b *builder) zoneByRef(in *inst, f *fields) *model.HostedZone {
	id, why := f.ref("zone_id")
	z, ok := b.n.HostedZones.Get(id)
	if !ok {
		for _, c := range b.n.HostedZones.All() {
			if c.LogicalID == id || c.ID == id {
				z, ok = c, true
			}
		}
	}
	if !ok {
		b.warnf(in, "unresolved-reference", "hosted zone not in the sources (%s): not read", orWhy(id, why))
		if why != "" {
			// The zone it belongs to is unknown: any zone the plan creates
			// may hold it.
			for _, c := range b.n.HostedZones.All() {
				if c.RecordsKnown {
					c.RecordsKnown = false
					c.AddUnknown("Records", in.addr+" may be a record of this zone: "+why)
				}
			}
		}
		return nil
	}
	return z
}

func (b *builder) zoneAssociation(in *inst) error {
	f := b.top(in)
	z := b.zoneByRef(in, f)
	if z == nil {
		return nil
	}
	id, why := f.ref("vpc_id")
	if id == "" {
		z.AddUnknown(in.addr, "the associated VPC is unknown: "+orWhy(id, why))
		return nil
	}
	region, _ := f.str("vpc_region")
	z.VPCs = append(z.VPCs, model.ZoneVPC{VPCID: id, Region: region})
	z.Private = true
	return nil
}

// record reads aws_route53_record; a name without the zone's is relative
// to it, as the provider reads it.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record
func (b *builder) record(in *inst) error {
	f := b.top(in)
	z := b.zoneByRef(in, f)
	if z == nil {
		return nil
	}
	name, _ := f.str("name")
	name = fqdn(name)
	if z.ZoneName != "" && name != z.ZoneName && !strings.HasSuffix(name, "."+z.ZoneName) {
		name = strings.TrimSuffix(name, ".") + "." + z.ZoneName
	}
	typ, _ := f.str("type")
	r := model.Record{Name: name, Type: strings.ToUpper(typ), Origin: in.origin}
	r.SetIdentifier, _ = f.str("set_identifier")
	if n, ok, _ := f.intv("ttl"); ok && n >= 0 {
		r.TTL = uint32(n)
	}
	vals, complete := f.strs("records")
	r.Values = vals
	if !complete {
		z.AddUnknown("Records."+r.Name+" "+r.Type, "some values are known only after apply")
	}
	for _, a := range f.get("alias").elems() {
		av, au := a.obj()
		af := &fields{b: b, in: in, vals: av, unk: au, path: "alias."}
		dn, known := af.str("name")
		zid, _ := af.str("zone_id")
		at := &model.AliasTarget{DNSName: fqdn(dn), HostedZoneID: zid, EvaluateTargetHealth: af.flag("evaluate_target_health", false).IsTrue()}
		if !known || dn == "" {
			z.AddUnknown("Records."+r.Name+" "+r.Type, "the alias target is known only after apply")
		}
		r.Alias = at
	}
	for _, k := range []string{"weighted_routing_policy", "latency_routing_policy", "failover_routing_policy", "geolocation_routing_policy", "geoproximity_routing_policy", "multivalue_answer_routing_policy", "cidr_routing_policy"} {
		if v := f.get(k); !v.null() && (len(v.elems()) > 0 || v.v == true) {
			r.RoutingPolicy = strings.TrimSuffix(k, "_routing_policy")
			break
		}
	}
	z.Records = append(z.Records, r)
	return nil
}

func init() {
	for t, h := range map[string]handler{
		"aws_route53_resolver_endpoint":         {3, (*builder).resolverEndpoint},
		"aws_route53_resolver_rule":             {4, (*builder).resolverRule},
		"aws_route53_resolver_rule_association": {4, (*builder).resolverRuleAssociation},
	} {
		handlers[t] = h
	}
}

// resolverEndpoint reads aws_route53_resolver_endpoint: one interface per
// ip_address block.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_endpoint
func (b *builder) resolverEndpoint(in *inst) error {
	f := b.top(in)
	e := &model.ResolverEndpoint{Meta: b.meta(in), Status: "OPERATIONAL"}
	d, _ := f.str("direction")
	e.Direction = strings.ToUpper(d)
	sgs, why := f.refs("security_group_ids")
	e.SecurityGroupIDs = sgs
	if why != "" {
		e.AddUnknown("SecurityGroupIds", why)
	}
	e.Protocols, _ = f.strs("protocols")
	blocks := exprBlocks(f, "ip_address")
	for i, x := range f.get("ip_address").elems() {
		vals, unk := x.obj()
		xf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("ip_address[%d].", i), exprs: matchBlock(blocks, vals, "ip")}
		sub, swhy := xf.ref("subnet_id")
		ip := model.ResolverEndpointIP{SubnetID: sub}
		eni := b.newENI(in, fmt.Sprintf("%s/eni%d", e.ID, i), sub, model.OwnerResolverEndpoint, e.ID, "interface")
		eni.LogicalID = fmt.Sprintf("%s.eni%d", in.addr, i)
		eni.RequesterManaged = true
		eni.SecurityGroupIDs = append([]string{}, sgs...)
		if swhy != "" {
			eni.AddUnknown("SubnetId", swhy)
		}
		if a, ok, err := xf.addr("ip"); err != nil {
			return err
		} else if ok {
			ip.IP = a
			eni.PrivateIPs = []model.PrivateIP{{Address: a, Primary: true}}
		} else {
			eni.AddUnknown("PrivateIpAddress", "picked by AWS from the subnet at apply")
			e.AddUnknown(xf.path+"ip", "picked by AWS from subnet "+sub+" at apply")
		}
		ip.NetworkInterfaceID = eni.ID
		e.IPAddresses = append(e.IPAddresses, ip)
		if e.VPCID == "" {
			e.VPCID = eni.VPCID
		}
	}
	b.n.ResolverEndpoints.Put(e)
	return nil
}

// resolverRule reads aws_route53_resolver_rule (FORWARD, SYSTEM, RECURSIVE).
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_rule
func (b *builder) resolverRule(in *inst) error {
	f := b.top(in)
	r := &model.ResolverRule{Meta: b.meta(in), OwnerID: b.r.opts.Account}
	d, _ := f.str("domain_name")
	r.DomainName = fqdn(d)
	t, _ := f.str("rule_type")
	r.RuleType = strings.ToUpper(t)
	ep, why := f.ref("resolver_endpoint_id")
	r.ResolverEndpointID = ep
	if why != "" {
		r.AddUnknown("ResolverEndpointId", why)
	}
	for i, x := range f.get("target_ip").elems() {
		vals, unk := x.obj()
		xf := &fields{b: b, in: in, vals: vals, unk: unk, path: fmt.Sprintf("target_ip[%d].", i)}
		a, ok, err := xf.addr("ip")
		if err != nil {
			return err
		}
		if !ok {
			r.AddUnknown(xf.path+"ip", "the target address is known only after apply")
			continue
		}
		tg := model.ResolverTarget{IP: a, Port: 53}
		if p, ok, _ := xf.intv("port"); ok && p > 0 && p < 65536 {
			tg.Port = uint16(p)
		}
		r.TargetIPs = append(r.TargetIPs, tg)
	}
	b.n.ResolverRules.Put(r)
	return nil
}

func (b *builder) resolverRuleAssociation(in *inst) error {
	f := b.top(in)
	a := &model.ResolverRuleAssociation{Meta: b.meta(in), Status: "COMPLETE"}
	rule, why := f.ref("resolver_rule_id")
	a.ResolverRuleID = rule
	if why != "" {
		a.AddUnknown("ResolverRuleId", why)
	}
	vpc, vwhy := f.ref("vpc_id")
	a.VPCID = vpc
	if vwhy != "" {
		a.AddUnknown("VpcId", vwhy)
	}
	b.n.ResolverRuleAssocs.Put(a)
	return nil
}
