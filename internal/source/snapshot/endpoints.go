package snapshot

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	listKeys["VpcEndpoints"] = handle("VPC endpoints (describe-vpc-endpoints)", (*reader).vpcEndpoint)
	listKeys["PrefixLists"] = handle("prefix lists (describe-prefix-lists)", (*reader).prefixList)
	listKeys["ManagedPrefixLists"] = handle("managed prefix lists (describe-managed-prefix-lists)", (*reader).managedPrefixList)
	mergedHandlers = append(mergedHandlers, mergedPrefixListEntries)
}

type vpcEndpointJSON struct {
	VpcEndpointId       string
	VpcEndpointType     string
	ServiceName         string
	VpcId               string
	State               string
	OwnerId             string
	RouteTableIds       []string
	SubnetIds           []string
	NetworkInterfaceIds []string
	Groups              []groupRef
	PrivateDnsEnabled   *bool
	DnsEntries          []struct {
		DnsName      string
		HostedZoneId string
	}
	DnsOptions *struct {
		PrivateDnsOnlyForInboundResolverEndpoint bool
	}
	Tags []tag
}

func (r *reader) vpcEndpoint(v *vpcEndpointJSON, o model.Origin) error {
	if v.VpcEndpointId == "" {
		return r.shapeErr(o, "", errMissing("VpcEndpointId"))
	}
	e := &model.VPCEndpoint{Meta: r.meta(v.VpcEndpointId, o, v.Tags, v.OwnerId, ""),
		EndpointType: v.VpcEndpointType, ServiceName: v.ServiceName, VPCID: v.VpcId, State: v.State,
		RouteTableIDs: v.RouteTableIds, SubnetIDs: v.SubnetIds, NetworkInterfaceIDs: v.NetworkInterfaceIds,
		SecurityGroupIDs: groupIDs(v.Groups)}
	if e.EndpointType == "" {
		e.EndpointType = "Gateway"
	}
	if v.PrivateDnsEnabled != nil {
		e.PrivateDNSEnabled = model.FlagOf(*v.PrivateDnsEnabled)
	}
	if v.DnsOptions != nil {
		e.PrivateDNSOnlyForInboundResolverEndpoint = v.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint
	}
	for _, d := range v.DnsEntries {
		name := normName(d.DnsName)
		e.DNSEntries = append(e.DNSEntries, model.EndpointDNSEntry{DNSName: name, HostedZoneID: d.HostedZoneId})
		// With private DNS on, AWS lists the service's own name among the
		// entries (the one not under vpce.amazonaws.com).
		if e.PrivateDNSEnabled.IsTrue() && e.PrivateDNSName == "" && !strings.HasPrefix(name, "vpce-") && !strings.HasPrefix(name, "*.") {
			e.PrivateDNSName = name
		}
	}
	if e.Region == "" {
		e.Region = serviceRegion(v.ServiceName)
	}
	put(r, &r.n.VPCEndpoints, e)
	return nil
}

// serviceRegion reads the region from com.amazonaws.<region>.<service>.
func serviceRegion(svc string) string {
	parts := strings.Split(svc, ".")
	for _, p := range parts {
		if regionRe.MatchString(p) {
			return p
		}
	}
	return ""
}

// serviceDetails reads describe-vpc-endpoint-services details: the private
// DNS name of each service, for endpoints whose entries do not show it.
func (r *reader) serviceDetails(raw json.RawMessage) {
	var details []struct {
		ServiceName    string
		PrivateDnsName string
	}
	if json.Unmarshal(raw, &details) != nil {
		return
	}
	names := map[string]string{}
	for _, d := range details {
		if d.PrivateDnsName != "" {
			names[d.ServiceName] = normName(d.PrivateDnsName)
		}
		r.n.CountNotModelled("AWS::EC2::VPCEndpointService")
	}
	r.deferred = append(r.deferred, func() {
		for _, e := range r.n.VPCEndpoints.All() {
			if e.PrivateDNSName == "" && names[e.ServiceName] != "" {
				e.PrivateDNSName = names[e.ServiceName]
			}
		}
	})
}

type prefixListJSON struct {
	PrefixListId   string
	PrefixListName string
	Cidrs          []string
	AddressFamily  string
	OwnerId        string
	State          string
	Tags           []tag
}

func (r *reader) prefixList(v *prefixListJSON, o model.Origin) error {
	if v.PrefixListId == "" {
		return r.shapeErr(o, "", errMissing("PrefixListId"))
	}
	if v.Cidrs == nil {
		// describe-managed-prefix-lists prints its lists under
		// "PrefixLists" too, without entries: they stay unknown until
		// get-managed-prefix-list-entries output says otherwise.
		return r.managedPrefixList(v, o)
	}
	p := &model.PrefixList{Meta: r.meta(v.PrefixListId, o, v.Tags, v.OwnerId, ""), PrefixListName: v.PrefixListName,
		AddressFamily: v.AddressFamily, OwnerID: v.OwnerId, Entries: []netip.Prefix{}, EntriesKnown: true}
	if p.Name == "" {
		p.Name = v.PrefixListName
	}
	if p.Region == "" {
		p.Region = serviceRegion(v.PrefixListName)
	}
	for _, c := range v.Cidrs {
		pr, err := parsePrefix("Cidrs", c)
		if err != nil {
			return r.shapeErr(o, p.ID, err)
		}
		p.Entries = append(p.Entries, pr)
	}
	r.linkGatewayEndpoint(p)
	put(r, &r.n.PrefixLists, p)
	return nil
}

func (r *reader) managedPrefixList(v *prefixListJSON, o model.Origin) error {
	if v.PrefixListId == "" {
		return r.shapeErr(o, "", errMissing("PrefixListId"))
	}
	p := &model.PrefixList{Meta: r.meta(v.PrefixListId, o, v.Tags, v.OwnerId, ""), PrefixListName: v.PrefixListName,
		AddressFamily: v.AddressFamily, OwnerID: v.OwnerId, Entries: nil}
	if p.Name == "" {
		p.Name = v.PrefixListName
	}
	if p.Region == "" {
		p.Region = serviceRegion(v.PrefixListName)
	}
	r.linkGatewayEndpoint(p)
	put(r, &r.n.PrefixLists, p)
	return nil
}

// linkGatewayEndpoint records, at the end of the read, the prefix list of
// gateway endpoints whose service the list is named after.
func (r *reader) linkGatewayEndpoint(p *model.PrefixList) {
	id, name := p.ID, p.PrefixListName
	if name == "" {
		return
	}
	r.deferred = append(r.deferred, func() {
		for _, e := range r.n.VPCEndpoints.All() {
			if e.PrefixListID == "" && e.ServiceName == name && !strings.EqualFold(e.EndpointType, "Interface") {
				e.PrefixListID = id
			}
		}
	})
}

// mergedPrefixListEntries reads {"PrefixListId", "Entries": [{"Cidr"}]}
// (get-managed-prefix-list-entries merged with the list ID).
func mergedPrefixListEntries(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	id := str(m, "PrefixListId")
	if id == "" {
		return nil
	}
	var entries []struct{ Cidr string }
	ok, err := r.take(m, "Entries", &entries, o)
	if err != nil || !ok {
		return err
	}
	delete(m, "PrefixListId")
	var ps []netip.Prefix
	for _, e := range entries {
		pr, err := parsePrefix("Cidr", e.Cidr)
		if err != nil {
			return r.shapeErr(o, id, err)
		}
		ps = append(ps, pr)
	}
	r.deferred = append(r.deferred, func() {
		p, ok := r.n.PrefixLists.Get(id)
		if !ok {
			// Entries without the list's description: still a list.
			p = &model.PrefixList{Meta: model.Meta{ID: id, Origin: o}}
			p.Account, p.Region = scopeOf(o.File)
			put(r, &r.n.PrefixLists, p)
		}
		p.Entries = append([]netip.Prefix{}, ps...)
		p.EntriesKnown = true
	})
	return nil
}

// normName lower-cases a DNS name and makes it fully qualified; Route 53's
// escaped "\052" is the wildcard "*".
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, `\052`, "*")
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
