package snapshot

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/vpcreach/vpcreach/internal/model"
)

// ignoredKeys are paging and response metadata: read and dropped.
var ignoredKeys = map[string]bool{
	"ResponseMetadata": true, "ResultMetadata": true, "NextToken": true, "MaxResults": true, "MaxItems": true, "IsTruncated": true,
	"Marker": true, "NextMarker": true, "status_code": true, "AdditionalRoutesAvailable": true,
	"DelegationSet": true, "NextRecordName": true, "NextRecordType": true, "NextRecordIdentifier": true,
	"ChangeInfo": true, "Return": true, "RequestId": true,
}

// notModelledKeys are AWS outputs vpcreach reads but does not model (they
// do not change what can reach what): their resources are counted under
// the type name given here.
var notModelledKeys = map[string]string{
	"AvailabilityZones":              "AWS::EC2::AvailabilityZone",
	"Regions":                        "AWS::EC2::Region",
	"InstanceStatuses":               "AWS::EC2::InstanceStatus",
	"Tags":                           "AWS::EC2::Tag",
	"DBInstances":                    "AWS::RDS::DBInstance",
	"DomainStatusList":               "AWS::Elasticsearch::Domain",
	"Hosts":                          "AWS::EC2::Host",
	"PlacementGroups":                "AWS::EC2::PlacementGroup",
	"MovingAddressStatuses":          "AWS::EC2::MovingAddressStatus",
	"Instances":                      "AWS::EC2::ClassicLinkInstance",
	"ServiceNames":                   "AWS::EC2::VPCEndpointServiceName",
	"LoadBalancerAttributes":         "AWS::ElasticLoadBalancingV2::LoadBalancerAttributes",
	"Attributes":                     "AWS::ElasticLoadBalancingV2::LoadBalancerAttributes",
	"HostedZoneSummaries":            "AWS::Route53::HostedZoneSummary",
	"GroupId":                        "AWS::EC2::SecurityGroup (create output)",
	"Vpc":                            "AWS::EC2::VPC (create output)",
	"KeyPairs":                       "AWS::EC2::KeyPair",
	"Images":                         "AWS::EC2::Image",
	"Volumes":                        "AWS::EC2::Volume",
	"Snapshots":                      "AWS::EC2::Snapshot",
	"FlowLogs":                       "AWS::EC2::FlowLog",
	"Account":                        "AWS::STS::CallerIdentity",
	"Arn":                            "AWS::STS::CallerIdentity",
	"UserId":                         "AWS::STS::CallerIdentity",
	"ResolverEndpointType":           "AWS::Route53Resolver::ResolverEndpoint (attribute)",
	"TransitGatewayMulticastDomains": "AWS::EC2::TransitGatewayMulticastDomain",
}

// mergedHandlers read objects that name their subject by ID next to the
// subject's extra data (describe-vpc-attribute, search-transit-gateway-routes,
// describe-listeners, ...). Each consumes the keys it understands from m.
var mergedHandlers []func(r *reader, m map[string]json.RawMessage, o model.Origin) error

// merged reads an object's keys that were not lists of resources.
func (r *reader) merged(m map[string]json.RawMessage, order []string, o model.Origin) error {
	before := len(m)
	for _, h := range mergedHandlers {
		if err := h(r, m, o); err != nil {
			return err
		}
		if len(m) < before {
			r.fileRead = true
		}
		if len(m) == 0 {
			return nil
		}
	}
	if len(m) > 0 {
		handled, err := r.bareResource(m, o)
		if handled {
			r.fileRead = true
		}
		if err != nil || handled {
			return err
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.SliceStable(keys, func(i, j int) bool { return indexOf(order, keys[i]) < indexOf(order, keys[j]) })
	for _, k := range keys {
		switch {
		case ignoredKeys[k]:
		case notModelledKeys[k] != "":
			r.fileRead = true
			cnt := 1
			var arr []json.RawMessage
			if json.Unmarshal(m[k], &arr) == nil {
				cnt = len(arr)
			}
			for i := 0; i < cnt; i++ {
				r.n.CountNotModelled(notModelledKeys[k])
			}
		case k == "ServiceDetails":
			r.fileRead = true
			r.serviceDetails(m[k])
		default:
			r.warnUnknownKey(k, model.Origin{File: o.File, Path: joinPath(o.Path, k), Line: o.Line})
		}
	}
	return nil
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return len(ss)
}

// take decodes m[key] into v and removes it; it reports whether the key was there.
func (r *reader) take(m map[string]json.RawMessage, key string, v any, o model.Origin) (bool, error) {
	raw, ok := m[key]
	if !ok {
		return false, nil
	}
	delete(m, key)
	if unmarshalOnce(raw, v) {
		return true, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, r.decodeError(err, joinPath(o.Path, key), key, o)
	}
	return true, nil
}

func str(m map[string]json.RawMessage, key string) string {
	var s string
	if raw, ok := m[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

func init() {
	mergedHandlers = append(mergedHandlers, mergedVPCAttributes, mergedTags, mergedTagDescriptions, collectManifest)
}

// collectManifest reads the manifest.json `vpcreach collect` writes: each
// call that failed becomes a "not-collected" warning, since what it would
// have read is missing from the snapshot.
func collectManifest(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	if _, ok := m["operations"]; !ok {
		return nil
	}
	if _, ok := m["tool"]; !ok {
		return nil
	}
	type failure struct {
		File      string
		Operation string
		Code      string
		Message   string
		RoleArn   string
	}
	var man struct {
		Failed   []failure
		Accounts []struct {
			AccountId string
			Failed    []failure
			Regions   []struct {
				Region string
				Failed []failure
			}
		}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		return r.decodeError(err, o.Path, "accounts", o)
	}
	for k := range m {
		delete(m, k)
	}
	warn := func(scope string, f failure) {
		what := f.File
		if what == "" {
			what = "the account"
		}
		msg := fmt.Sprintf("%s: %s not collected: %s failed", scope, what, f.Operation)
		if f.Code != "" {
			msg += " (" + f.Code + ")"
		}
		if f.Message != "" {
			msg += ": " + f.Message
		}
		r.n.Warnf("not-collected", o, "", "%s; what it reads is missing from the snapshot", msg)
	}
	failed := func(sc model.Scope, f failure) {
		k := kindOfOperation(f.Operation)
		if k == "" {
			return
		}
		if r.n.Coverage == nil {
			r.n.Coverage = &model.Coverage{}
		}
		why := f.Operation + " failed"
		if f.Code != "" {
			why += ": " + f.Code
		}
		r.n.Coverage.Mark(sc, k, model.CoverageFailed, why)
	}
	for _, f := range man.Failed {
		warn("collect", f)
	}
	for _, a := range man.Accounts {
		for _, f := range a.Failed {
			warn(a.AccountId, f)
		}
		for _, reg := range a.Regions {
			for _, f := range reg.Failed {
				warn(a.AccountId+"/"+reg.Region, f)
				failed(model.Scope{Account: a.AccountId, Region: reg.Region}, f)
			}
		}
	}
	return nil
}

// mergedTagDescriptions reads elb/elbv2 describe-tags output
// ({"TagDescriptions": [{"ResourceArn" or "LoadBalancerName", "Tags"}]}).
func mergedTagDescriptions(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	var descs []struct {
		ResourceArn      string
		LoadBalancerName string
		Tags             []tag
	}
	ok, err := r.take(m, "TagDescriptions", &descs, o)
	if err != nil || !ok {
		return err
	}
	r.deferred = append(r.deferred, func() {
		byID := map[string]*model.Meta{}
		r.n.Elements(func(e model.Element) { byID[e.Base().ID] = e.Base() })
		for _, d := range descs {
			id := d.ResourceArn
			if id == "" {
				id = d.LoadBalancerName
			}
			meta, ok := byID[id]
			if !ok {
				continue
			}
			for _, t := range d.Tags {
				if meta.Tags == nil {
					meta.Tags = map[string]string{}
				}
				if _, set := meta.Tags[t.Key]; !set {
					meta.Tags[t.Key] = t.Value
				}
			}
		}
	})
	return nil
}

// mergedTags reads describe-tags output ({"Tags": [{"ResourceId", "Key",
// "Value"}]}): the tags are added to the resources they name.
func mergedTags(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	raw, ok := m["Tags"]
	if !ok {
		return nil
	}
	var tags []struct {
		ResourceId string
		Key        string
		Value      string
	}
	if json.Unmarshal(raw, &tags) != nil || len(tags) == 0 || tags[0].ResourceId == "" {
		return nil
	}
	delete(m, "Tags")
	r.deferred = append(r.deferred, func() {
		byID := map[string]*model.Meta{}
		r.n.Elements(func(e model.Element) { byID[e.Base().ID] = e.Base() })
		for _, t := range tags {
			meta, ok := byID[t.ResourceId]
			if !ok {
				r.n.CountNotModelled("AWS::EC2::Tag")
				continue
			}
			if meta.Tags == nil {
				meta.Tags = map[string]string{}
			}
			if _, set := meta.Tags[t.Key]; !set {
				meta.Tags[t.Key] = t.Value
			}
			if t.Key == "Name" && meta.Name == "" {
				meta.Name = t.Value
			}
		}
	})
	return nil
}

// mergedVPCAttributes reads {"VpcId", "EnableDnsSupport": {"Value": b},
// "EnableDnsHostnames": {"Value": b}} (describe-vpc-attribute outputs merged).
func mergedVPCAttributes(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	_, s := m["EnableDnsSupport"]
	_, h := m["EnableDnsHostnames"]
	if !s && !h {
		return nil
	}
	vpcID := str(m, "VpcId")
	r.sawList(vpcAttributesKey)
	var support, hostnames *flexBool
	if _, err := r.take(m, "EnableDnsSupport", &support, o); err != nil {
		return err
	}
	if _, err := r.take(m, "EnableDnsHostnames", &hostnames, o); err != nil {
		return err
	}
	if vpcID == "" {
		r.n.Warnf("missing-id", o, "", "VPC attributes without VpcId; skipped")
		return nil
	}
	delete(m, "VpcId")
	r.deferred = append(r.deferred, func() {
		v, ok := r.n.VPCs.Get(vpcID)
		if !ok {
			r.n.Warnf("dangling-reference", o, vpcID, "VPC attributes for %s, which is not in the sources", vpcID)
			return
		}
		r.vpcAttributes(v, support, hostnames)
	})
	return nil
}

// bareKinds recognise a resource printed without its list wrapper (aws
// ec2 describe-vpcs --query 'Vpcs[0]', or an array of such objects): the
// ID key and one key only that resource has.
var bareKinds = []struct{ id, with, list string }{
	{"InstanceId", "InstanceType", "Instances"},
	{"NetworkInterfaceId", "PrivateIpAddresses", "NetworkInterfaces"},
	{"NetworkInterfaceId", "InterfaceType", "NetworkInterfaces"},
	{"SubnetId", "AvailabilityZone", "Subnets"},
	{"RouteTableId", "Routes", "RouteTables"},
	{"NetworkAclId", "Entries", "NetworkAcls"},
	{"GroupId", "IpPermissions", "SecurityGroups"},
	{"ReservationId", "Instances", "Reservations"},
	{"InternetGatewayId", "Attachments", "InternetGateways"},
	{"EgressOnlyInternetGatewayId", "Attachments", "EgressOnlyInternetGateways"},
	{"NatGatewayId", "SubnetId", "NatGateways"},
	{"VpcPeeringConnectionId", "RequesterVpcInfo", "VpcPeeringConnections"},
	{"VpcEndpointId", "ServiceName", "VpcEndpoints"},
	{"DhcpOptionsId", "DhcpConfigurations", "DhcpOptions"},
	{"TransitGatewayRouteTableId", "TransitGatewayId", "TransitGatewayRouteTables"},
	{"TransitGatewayAttachmentId", "TransitGatewayId", "TransitGatewayAttachments"},
	{"VpnConnectionId", "CustomerGatewayId", "VpnConnections"},
	{"VpnGatewayId", "VpcAttachments", "VpnGateways"},
	{"CustomerGatewayId", "IpAddress", "CustomerGateways"},
	{"PrefixListId", "Cidrs", "PrefixLists"},
	{"LoadBalancerArn", "Scheme", "LoadBalancers"},
	{"TargetGroupArn", "TargetType", "TargetGroups"},
	{"ClientVpnEndpointId", "ClientCidrBlock", "ClientVpnEndpoints"},
	{"AllocationId", "PublicIp", "Addresses"},
	{"TransitGatewayId", "Options", "TransitGateways"},
	{"VpcId", "CidrBlock", "Vpcs"},
}

// bareResource reads an object that is one resource without its wrapper.
func (r *reader) bareResource(m map[string]json.RawMessage, o model.Origin) (bool, error) {
	for _, k := range bareKinds {
		if _, ok := m[k.id]; !ok {
			continue
		}
		if _, ok := m[k.with]; !ok {
			continue
		}
		raw, err := json.Marshal(m)
		if err != nil {
			return false, nil
		}
		h, list := listKeys[k.list], k.list
		if k.list == "Instances" {
			// An instance alone (--query 'Reservations[].Instances[]'):
			// read as a reservation of one.
			raw = append(append([]byte(`{"Instances": [`), raw...), "]}"...)
			h, list = listKeys["Reservations"], "Reservations"
		}
		for key := range m {
			delete(m, key)
		}
		return true, h.fn(r, func(v any) error { return r.unmarshal(raw, v, o.Path, list, o) }, o)
	}
	return false, nil
}
