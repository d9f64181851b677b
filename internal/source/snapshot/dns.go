package snapshot

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	listKeys["HostedZones"] = handle("hosted zones (route53 list-hosted-zones)", (*reader).hostedZoneItem)
	listKeys["ResolverEndpoints"] = handle("Resolver endpoints (list-resolver-endpoints)", (*reader).resolverEndpoint)
	listKeys["ResolverRules"] = handle("Resolver rules (list-resolver-rules)", (*reader).resolverRule)
	listKeys["ResolverRuleAssociations"] = handle("Resolver rule associations", (*reader).resolverRuleAssoc)
	listKeys["FirewallRuleGroupAssociations"] = handle("DNS Firewall rule group associations", (*reader).firewallAssoc)
	listKeys["FirewallRuleGroups"] = handle("DNS Firewall rule groups", (*reader).firewallRuleGroup)
	listKeys["FirewallDomainLists"] = handle("DNS Firewall domain lists", (*reader).firewallDomainList)
	mergedHandlers = append(mergedHandlers, mergedHostedZone, mergedResolverEndpointIPs, mergedFirewallRules, mergedFirewallDomains, mergedSingleResolver)
}

// ---- Route 53

type hostedZoneJSON struct {
	Id     string
	Name   string
	Config *struct {
		PrivateZone bool
	}
}

func zoneID(id string) string {
	id = strings.TrimPrefix(id, "/hostedzone/")
	return id
}

func (r *reader) hostedZoneItem(v *hostedZoneJSON, o model.Origin) error {
	_, err := r.hostedZone(v, o)
	return err
}

func (r *reader) hostedZone(v *hostedZoneJSON, o model.Origin) (*model.HostedZone, error) {
	if v.Id == "" {
		return nil, r.shapeErr(o, "", errMissing("Id"))
	}
	z := &model.HostedZone{Meta: r.meta(zoneID(v.Id), o, nil, "", ""), ZoneName: normName(v.Name)}
	z.Name = strings.TrimSuffix(z.ZoneName, ".")
	if v.Config != nil {
		z.Private = v.Config.PrivateZone
	}
	return put(r, &r.n.HostedZones, z), nil
}

type recordSetJSON struct {
	Name            string
	Type            string
	TTL             flexInt
	ResourceRecords []struct{ Value string }
	AliasTarget     *struct {
		HostedZoneId         string
		DNSName              string
		EvaluateTargetHealth bool
	}
	SetIdentifier    string
	Weight           *flexInt
	Region           string
	Failover         string
	GeoLocation      json.RawMessage
	MultiValueAnswer *bool
}

// mergedHostedZone reads get-hosted-zone output ({"HostedZone", "VPCs"})
// merged with list-resource-record-sets ({"ResourceRecordSets"}), or record
// sets merged with {"HostedZoneId"}.
func mergedHostedZone(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	_, hz := m["HostedZone"]
	_, rrs := m["ResourceRecordSets"]
	if !hz && !rrs {
		return nil
	}
	var zone hostedZoneJSON
	if _, err := r.take(m, "HostedZone", &zone, o); err != nil {
		return err
	}
	if zone.Id == "" {
		zone.Id = str(m, "HostedZoneId")
	}
	delete(m, "HostedZoneId")
	var vpcs []struct {
		VPCRegion string
		VPCId     string
	}
	hasVPCs, err := r.take(m, "VPCs", &vpcs, o)
	if err != nil {
		return err
	}
	var sets []recordSetJSON
	hasRecords, err := r.take(m, "ResourceRecordSets", &sets, o)
	if err != nil {
		return err
	}
	if zone.Id == "" {
		r.n.Warnf("missing-id", o, "", "record sets without the hosted zone they belong to (merge them with get-hosted-zone output or a HostedZoneId); skipped")
		return nil
	}
	var records []model.Record
	if len(sets) > 0 {
		records = make([]model.Record, 0, len(sets))
	}
	for i, s := range sets {
		ro := model.Origin{File: o.File, Path: joinPath(o.Path, "ResourceRecordSets["+itoa(i)+"]"), Line: o.Line}
		if s.TTL.V < 0 || s.TTL.V > math.MaxInt32 {
			return r.shapeErr(ro, zone.Id, badValue(fmt.Sprint(s.TTL.V), "TTL %d is outside 0-2147483647", s.TTL.V))
		}
		rec := model.Record{Name: normName(s.Name), Type: strings.ToUpper(s.Type), TTL: uint32(s.TTL.V),
			SetIdentifier: s.SetIdentifier, Origin: ro}
		for _, v := range s.ResourceRecords {
			rec.Values = append(rec.Values, v.Value)
		}
		if a := s.AliasTarget; a != nil {
			rec.Alias = &model.AliasTarget{DNSName: normName(a.DNSName), HostedZoneID: a.HostedZoneId, EvaluateTargetHealth: a.EvaluateTargetHealth}
		}
		switch {
		case s.Weight != nil:
			rec.RoutingPolicy = "weighted"
		case s.Failover != "":
			rec.RoutingPolicy = "failover"
		case len(s.GeoLocation) > 0 && string(s.GeoLocation) != "null":
			rec.RoutingPolicy = "geolocation"
		case s.Region != "":
			rec.RoutingPolicy = "latency"
		case s.MultiValueAnswer != nil && *s.MultiValueAnswer:
			rec.RoutingPolicy = "multivalue"
		}
		records = append(records, rec)
	}
	if zone.Name == "" && hasRecords {
		// The zone is named by its SOA record.
		for _, rec := range records {
			if rec.Type == "SOA" {
				zone.Name = rec.Name
			}
		}
	}
	z, err := r.hostedZone(&zone, o)
	if err != nil {
		return err
	}
	if zone.Config == nil && hasVPCs && len(vpcs) > 0 {
		z.Private = true
	}
	if hasVPCs {
		for _, v := range vpcs {
			z.VPCs = append(z.VPCs, model.ZoneVPC{VPCID: v.VPCId, Region: v.VPCRegion})
		}
		z.Private = z.Private || len(vpcs) > 0
	}
	if hasRecords {
		z.Records = records
		z.RecordsKnown = true
	}
	return nil
}

// ---- Resolver

type resolverEndpointJSON struct {
	Id               string
	Arn              string
	Name             string
	Direction        string
	HostVPCId        string
	SecurityGroupIds []string
	Status           string
	Protocols        []string
	CreatorRequestId string
}

func (r *reader) resolverEndpoint(v *resolverEndpointJSON, o model.Origin) error {
	if v.Id == "" {
		return r.shapeErr(o, "", errMissing("Id"))
	}
	e := &model.ResolverEndpoint{Meta: r.arnMeta(v.Id, v.Arn, o), Direction: strings.ToUpper(v.Direction), VPCID: v.HostVPCId,
		SecurityGroupIDs: v.SecurityGroupIds, Protocols: v.Protocols, Status: v.Status}
	e.Name = v.Name
	put(r, &r.n.ResolverEndpoints, e)
	return nil
}

// arnMeta is meta for resources named by ARN (Resolver): scope from the ARN.
func (r *reader) arnMeta(id, arn string, o model.Origin) model.Meta {
	m := r.meta(id, o, nil, "", "")
	region, account := arnScope(arn)
	if m.Region == "" {
		m.Region = region
	}
	if m.Account == "" {
		m.Account = account
	}
	return m
}

// mergedResolverEndpointIPs reads {"ResolverEndpointId", "IpAddresses"}
// (list-resolver-endpoint-ip-addresses merged with the endpoint ID).
func mergedResolverEndpointIPs(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	id := str(m, "ResolverEndpointId")
	if _, ok := m["IpAddresses"]; !ok || id == "" {
		return nil
	}
	var ips []struct {
		IpId     string
		SubnetId string
		Ip       string
		Ipv6     string
		Status   string
	}
	if _, err := r.take(m, "IpAddresses", &ips, o); err != nil {
		return err
	}
	delete(m, "ResolverEndpointId")
	var out []model.ResolverEndpointIP
	for _, x := range ips {
		ip, err := parseAddr("Ip", x.Ip)
		if err != nil {
			return r.shapeErr(o, id, err)
		}
		ip6, err := parseAddr("Ipv6", x.Ipv6)
		if err != nil {
			return r.shapeErr(o, id, err)
		}
		out = append(out, model.ResolverEndpointIP{IP: ip, IPv6: ip6, SubnetID: x.SubnetId, IPID: x.IpId})
	}
	r.deferred = append(r.deferred, func() {
		e, ok := r.n.ResolverEndpoints.Get(id)
		if !ok {
			r.n.Warnf("dangling-reference", o, id, "addresses of Resolver endpoint %s, which is not in the sources", id)
			return
		}
		e.IPAddresses = out
		// Link each address to the endpoint's interface in its subnet.
		for i := range e.IPAddresses {
			for _, eni := range r.n.NetworkInterfaces.All() {
				if eni.OwnerKind == model.OwnerResolverEndpoint && eni.OwnerID == id && eni.SubnetID == e.IPAddresses[i].SubnetID {
					e.IPAddresses[i].NetworkInterfaceID = eni.ID
				}
			}
		}
	})
	return nil
}

type resolverRuleJSON struct {
	Id                 string
	Arn                string
	Name               string
	DomainName         string
	RuleType           string
	ResolverEndpointId string
	TargetIps          []struct {
		Ip   string
		Ipv6 string
		Port flexInt
	}
	OwnerId     string
	ShareStatus string
}

func (r *reader) resolverRule(v *resolverRuleJSON, o model.Origin) error {
	if v.Id == "" {
		return r.shapeErr(o, "", errMissing("Id"))
	}
	rule := &model.ResolverRule{Meta: r.arnMeta(v.Id, v.Arn, o), DomainName: normName(v.DomainName), RuleType: strings.ToUpper(v.RuleType),
		ResolverEndpointID: v.ResolverEndpointId, OwnerID: v.OwnerId, ShareStatus: v.ShareStatus}
	rule.Name = v.Name
	if rule.DomainName == "" {
		rule.DomainName = "."
	}
	for _, t := range v.TargetIps {
		s := t.Ip
		if s == "" {
			s = t.Ipv6
		}
		ip, err := parseAddr("Ip", s)
		if err != nil {
			return r.shapeErr(o, v.Id, err)
		}
		port := uint16(53)
		if t.Port.Set && t.Port.V != 0 {
			if port, err = portOf("TargetIps.Port", t.Port); err != nil {
				return r.shapeErr(o, v.Id, err)
			}
		}
		rule.TargetIPs = append(rule.TargetIPs, model.ResolverTarget{IP: ip, Port: port})
	}
	put(r, &r.n.ResolverRules, rule)
	return nil
}

type resolverRuleAssocJSON struct {
	Id             string
	Name           string
	ResolverRuleId string
	VPCId          string
	Status         string
}

func (r *reader) resolverRuleAssoc(v *resolverRuleAssocJSON, o model.Origin) error {
	if v.Id == "" {
		return r.shapeErr(o, "", errMissing("Id"))
	}
	a := &model.ResolverRuleAssociation{Meta: r.meta(v.Id, o, nil, "", ""), ResolverRuleID: v.ResolverRuleId, VPCID: v.VPCId, Status: v.Status}
	a.Name = v.Name
	put(r, &r.n.ResolverRuleAssocs, a)
	return nil
}

type firewallAssocJSON struct {
	Id                  string
	Arn                 string
	Name                string
	FirewallRuleGroupId string
	VpcId               string
	Priority            flexInt
	Status              string
}

func (r *reader) firewallAssoc(v *firewallAssocJSON, o model.Origin) error {
	if v.Id == "" {
		return r.shapeErr(o, "", errMissing("Id"))
	}
	a := &model.FirewallRuleGroupAssociation{Meta: r.arnMeta(v.Id, v.Arn, o), FirewallRuleGroupID: v.FirewallRuleGroupId,
		VPCID: v.VpcId, Priority: int(v.Priority.V), Status: v.Status}
	a.Name = v.Name
	put(r, &r.n.FirewallAssociations, a)
	return nil
}

type firewallRuleGroupJSON struct {
	Id      string
	Arn     string
	Name    string
	OwnerId string
}

func (r *reader) firewallRuleGroup(v *firewallRuleGroupJSON, o model.Origin) error {
	if v.Id == "" {
		return r.shapeErr(o, "", errMissing("Id"))
	}
	g := &model.FirewallRuleGroup{Meta: r.arnMeta(v.Id, v.Arn, o)}
	g.Name = v.Name
	put(r, &r.n.FirewallRuleGroups, g)
	return nil
}

func (r *reader) firewallDomainList(v *firewallRuleGroupJSON, o model.Origin) error {
	if v.Id == "" {
		return r.shapeErr(o, "", errMissing("Id"))
	}
	d := &model.FirewallDomainList{Meta: r.arnMeta(v.Id, v.Arn, o)}
	d.Name = v.Name
	put(r, &r.n.FirewallDomainLists, d)
	return nil
}

// mergedFirewallRules reads list-firewall-rules output: rules naming their
// group (or merged with {"FirewallRuleGroupId"}).
func mergedFirewallRules(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	if _, ok := m["FirewallRules"]; !ok {
		return nil
	}
	group := str(m, "FirewallRuleGroupId")
	var rules []struct {
		FirewallRuleGroupId             string
		FirewallDomainListId            string
		Name                            string
		Priority                        flexInt
		Action                          string
		BlockResponse                   string
		BlockOverrideDomain             string
		BlockOverrideTtl                flexInt
		FirewallDomainRedirectionAction string
	}
	if _, err := r.take(m, "FirewallRules", &rules, o); err != nil {
		return err
	}
	delete(m, "FirewallRuleGroupId")
	byGroup := map[string][]model.FirewallRule{}
	var order []string
	for _, x := range rules {
		g := x.FirewallRuleGroupId
		if g == "" {
			g = group
		}
		if _, seen := byGroup[g]; !seen {
			order = append(order, g)
		}
		if x.BlockOverrideTtl.V < 0 || x.BlockOverrideTtl.V > 604800 {
			return r.shapeErr(o, g, badValue(fmt.Sprint(x.BlockOverrideTtl.V), "BlockOverrideTtl %d is outside 0-604800", x.BlockOverrideTtl.V))
		}
		byGroup[g] = append(byGroup[g], model.FirewallRule{Name: x.Name, Priority: int(x.Priority.V), Action: x.Action,
			FirewallDomainListID: x.FirewallDomainListId, BlockResponse: x.BlockResponse,
			BlockOverrideDomain: normName(x.BlockOverrideDomain), BlockOverrideTTL: uint32(x.BlockOverrideTtl.V),
			RedirectionAction: x.FirewallDomainRedirectionAction})
	}
	if len(rules) == 0 && group != "" {
		order = append(order, group)
	}
	for _, g := range order {
		rs := byGroup[g]
		if g == "" {
			r.n.Warnf("missing-id", o, "", "DNS Firewall rules without their rule group; skipped")
			continue
		}
		r.deferred = append(r.deferred, func() {
			grp, ok := r.n.FirewallRuleGroups.Get(g)
			if !ok {
				grp = &model.FirewallRuleGroup{Meta: model.Meta{ID: g, Origin: o}}
				grp.Account, grp.Region = scopeOf(o.File)
				grp = put(r, &r.n.FirewallRuleGroups, grp)
			}
			grp.Rules = append(grp.Rules, rs...)
			grp.RulesKnown = true
		})
	}
	return nil
}

// mergedFirewallDomains reads {"FirewallDomainListId", "Domains"}
// (list-firewall-domains merged with the list ID).
func mergedFirewallDomains(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	id := str(m, "FirewallDomainListId")
	if _, ok := m["Domains"]; !ok || id == "" {
		return nil
	}
	var domains []string
	if _, err := r.take(m, "Domains", &domains, o); err != nil {
		return err
	}
	delete(m, "FirewallDomainListId")
	for i := range domains {
		domains[i] = normName(domains[i])
	}
	r.deferred = append(r.deferred, func() {
		d, ok := r.n.FirewallDomainLists.Get(id)
		if !ok {
			d = &model.FirewallDomainList{Meta: model.Meta{ID: id, Origin: o}}
			d.Account, d.Region = scopeOf(o.File)
			d = put(r, &r.n.FirewallDomainLists, d)
		}
		d.Domains = append(d.Domains, domains...)
	})
	return nil
}

// mergedSingleResolver reads get-* outputs naming one resource:
// {"ResolverEndpoint": {...}}, {"ResolverRule": {...}},
// {"ResolverRuleAssociation": {...}}, {"FirewallRuleGroup": {...}},
// {"FirewallRuleGroupAssociation": {...}}, {"FirewallDomainList": {...}}.
func mergedSingleResolver(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	one := func(key string, h *listHandler) error {
		raw, ok := m[key]
		if !ok {
			return nil
		}
		delete(m, key)
		ko := model.Origin{File: o.File, Path: joinPath(o.Path, key), Line: o.Line}
		return h.fn(r, func(v any) error { return r.unmarshal(raw, v, ko.Path, key, ko) }, ko)
	}
	for _, k := range [][2]string{
		{"ResolverEndpoint", "ResolverEndpoints"},
		{"ResolverRule", "ResolverRules"},
		{"ResolverRuleAssociation", "ResolverRuleAssociations"},
		{"FirewallRuleGroup", "FirewallRuleGroups"},
		{"FirewallRuleGroupAssociation", "FirewallRuleGroupAssociations"},
		{"FirewallDomainList", "FirewallDomainLists"},
	} {
		if err := one(k[0], listKeys[k[1]]); err != nil {
			return err
		}
	}
	return nil
}
