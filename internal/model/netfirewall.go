package model

import (
	"net/netip"
	"sort"
	"strings"
)

// AWS Network Firewall, in AWS's own vocabulary: the fields follow the
// JSON of describe-firewall, describe-firewall-policy and
// describe-rule-group (and the CloudFormation properties of
// AWS::NetworkFirewall::Firewall, FirewallPolicy and RuleGroup), so that a
// reader fills them one to one.
//
// References between the three (a firewall's policy, a policy's rule
// groups) hold the referenced element's model ID: its ARN when read from
// a snapshot or collect, its logical ID when read from a template (where
// Ref returns the ARN). Analyses look them up with Collection.Get.
//
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeFirewall.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_FirewallPolicy.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_RuleGroup.html

// Network Firewall action names (StatelessDefaultActions, stateless rule
// Actions, StatefulRule.Action, StatefulDefaultActions), as AWS spells them.
const (
	NFWPass           = "aws:pass"
	NFWDrop           = "aws:drop"
	NFWForwardToSFE   = "aws:forward_to_sfe"
	NFWDropStrict     = "aws:drop_strict"
	NFWDropEstablish  = "aws:drop_established"
	NFWAlertStrict    = "aws:alert_strict"
	NFWAlertEstablish = "aws:alert_established"
	// Stateful rule actions (StatefulRule.Action).
	NFWStatefulPass   = "PASS"
	NFWStatefulDrop   = "DROP"
	NFWStatefulAlert  = "ALERT"
	NFWStatefulReject = "REJECT"
	// Rule orders (StatefulEngineOptions.RuleOrder, StatefulRuleOptions.RuleOrder).
	NFWDefaultActionOrder = "DEFAULT_ACTION_ORDER"
	NFWStrictOrder        = "STRICT_ORDER"
	// Rule group types.
	NFWStateless = "STATELESS"
	NFWStateful  = "STATEFUL"
)

// NetworkFirewall is an AWS Network Firewall: one endpoint per firewall
// subnet, each a VPC endpoint that routes send traffic to, all filtering
// with the firewall's policy.
type NetworkFirewall struct {
	Meta
	// Meta.ID is the FirewallArn (snapshot, collect) or the logical ID
	// (template); Meta.Name is the FirewallName.

	// FirewallID is AWS's FirewallId (a UUID), when known.
	FirewallID string `json:"firewallId,omitempty"`
	VPCID      string `json:"vpcId"`
	// SubnetMappings are the firewall subnets, one per Availability Zone.
	SubnetMappings []FirewallSubnetMapping `json:"subnetMappings,omitempty"`
	// FirewallPolicyARN is the policy element's model ID (see above).
	FirewallPolicyARN string `json:"firewallPolicyArn"`
	// Endpoints are FirewallStatus.SyncStates, one per Availability Zone,
	// sorted by zone; a template's firewall has them with EndpointID "".
	Endpoints []FirewallEndpoint `json:"endpoints,omitempty"`
	// EndpointsKnown is true when Endpoints lists every endpoint with its
	// ID (describe-firewall's FirewallStatus was read).
	EndpointsKnown bool `json:"endpointsKnown"`
	// TransitGatewayID is set for a firewall attached to a transit gateway
	// instead of a VPC (TransitGatewayId), with its attachment.
	TransitGatewayID           string `json:"transitGatewayId,omitempty"`
	TransitGatewayAttachmentID string `json:"transitGatewayAttachmentId,omitempty"`
}

// Type implements Element.
func (*NetworkFirewall) Type() string { return TypeNetworkFirewall }

// FirewallSubnetMapping is one SubnetMappings entry.
type FirewallSubnetMapping struct {
	SubnetID string `json:"subnetId"`
	// IPAddressType is IPV4 (default), IPV6 or DUALSTACK.
	IPAddressType string `json:"ipAddressType,omitempty"`
}

// FirewallEndpoint is one FirewallStatus.SyncStates entry: the zone is the
// map key in AWS's JSON, Attachment gives the subnet, endpoint and status.
type FirewallEndpoint struct {
	AvailabilityZone string `json:"availabilityZone"`
	SubnetID         string `json:"subnetId"`
	// EndpointID is the VPC endpoint ID (vpce-…) routes name as
	// VpcEndpointId; "" when not known before deployment.
	EndpointID string `json:"endpointId,omitempty"`
	// Status is Attachment.Status: CREATING, READY, SCALING, ... ("" unknown).
	Status string `json:"status,omitempty"`
	// AssociationID is set for an endpoint a VpcEndpointAssociation adds
	// (AWS::NetworkFirewall::VpcEndpointAssociation, its ARN or logical
	// ID); such endpoints are not among the firewall's EndpointIds.
	AssociationID string `json:"associationId,omitempty"`
}

// RouteFirewallTarget says that a route's VpcEndpointId is one of a
// firewall's endpoints although the source does not give the endpoint's
// ID: a template's `!Select [n, !GetAtt Firewall.EndpointIds]`, whose
// values ("us-east-1a:vpce-…") exist only after deployment.
type RouteFirewallTarget struct {
	// FirewallID is the firewall element's model ID.
	FirewallID string `json:"firewallId"`
	// Index is the position selected in EndpointIds, -1 when not known.
	// AWS lists EndpointIds in no particular order, so the index does not
	// name a zone; two routes with the same index name the same endpoint.
	Index int `json:"index"`
	// AvailabilityZone is the zone when the source names it, else "".
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	// AssociationID names the VpcEndpointAssociation whose endpoint the
	// route targets (!GetAtt Association.EndpointId); Index is then -1.
	AssociationID string `json:"associationId,omitempty"`
}

// NetworkFirewallPolicy is a firewall policy: the stateless and stateful
// rule groups a firewall applies and what it does with traffic they do not
// decide.
type NetworkFirewallPolicy struct {
	Meta
	// Meta.ID is the FirewallPolicyArn or the logical ID; Meta.Name is
	// FirewallPolicyName.

	// FirewallPolicyID is AWS's FirewallPolicyId, when known.
	FirewallPolicyID string `json:"firewallPolicyId,omitempty"`
	// StatelessDefaultActions apply to full packets no stateless rule
	// matched: one of aws:pass, aws:drop, aws:forward_to_sfe, optionally
	// with custom action names.
	StatelessDefaultActions []string `json:"statelessDefaultActions"`
	// StatelessFragmentDefaultActions do the same for fragmented packets.
	StatelessFragmentDefaultActions []string                      `json:"statelessFragmentDefaultActions"`
	StatelessCustomActions          []NFWCustomAction             `json:"statelessCustomActions,omitempty"`
	StatelessRuleGroupReferences    []StatelessRuleGroupReference `json:"statelessRuleGroupReferences,omitempty"`
	StatefulRuleGroupReferences     []StatefulRuleGroupReference  `json:"statefulRuleGroupReferences,omitempty"`
	// StatefulDefaultActions apply in strict order only: aws:drop_strict or
	// aws:drop_established, optionally aws:alert_strict or
	// aws:alert_established.
	StatefulDefaultActions []string              `json:"statefulDefaultActions,omitempty"`
	StatefulEngineOptions  StatefulEngineOptions `json:"statefulEngineOptions"`
	// PolicyVariables are the policy's RuleVariables (HOME_NET), which
	// override the rule groups' own.
	PolicyVariables map[string][]netip.Prefix `json:"policyVariables,omitempty"`
	// TLSInspectionConfigurationARN is set when the policy decrypts TLS.
	TLSInspectionConfigurationARN string `json:"tlsInspectionConfigurationArn,omitempty"`
}

// Type implements Element.
func (*NetworkFirewallPolicy) Type() string { return TypeNetworkFirewallPolicy }

// StatefulEngineOptions is the policy's StatefulEngineOptions.
type StatefulEngineOptions struct {
	// RuleOrder is DEFAULT_ACTION_ORDER (also when "") or STRICT_ORDER.
	RuleOrder string `json:"ruleOrder,omitempty"`
	// StreamExceptionPolicy is DROP (default), CONTINUE or REJECT.
	StreamExceptionPolicy string `json:"streamExceptionPolicy,omitempty"`
}

// IsStrict reports whether the stateful engine evaluates in strict order.
func (o StatefulEngineOptions) IsStrict() bool { return o.RuleOrder == NFWStrictOrder }

// StatelessRuleGroupReference is one StatelessRuleGroupReferences entry.
type StatelessRuleGroupReference struct {
	// ResourceARN is the rule group element's model ID.
	ResourceARN string `json:"resourceArn"`
	// Priority orders the groups, lowest first (1..65535).
	Priority int `json:"priority"`
}

// StatefulRuleGroupReference is one StatefulRuleGroupReferences entry.
type StatefulRuleGroupReference struct {
	ResourceARN string `json:"resourceArn"`
	// Priority orders the groups in strict order, lowest first; 0 when not
	// set (default action order takes none).
	Priority int `json:"priority,omitempty"`
	// Override is Override.Action: DROP_TO_ALERT turns the group's drops
	// into alerts (managed groups), "" none.
	Override string `json:"override,omitempty"`
}

// NFWCustomAction is a custom action: it only publishes a metric
// (ActionDefinition.PublishMetricAction), it never decides.
type NFWCustomAction struct {
	ActionName string   `json:"actionName"`
	Dimensions []string `json:"dimensions,omitempty"`
}

// NetworkFirewallRuleGroup is a stateless or stateful rule group.
type NetworkFirewallRuleGroup struct {
	Meta
	// Meta.ID is the RuleGroupArn or the logical ID; Meta.Name is
	// RuleGroupName.

	// RuleGroupID is AWS's RuleGroupId, when known.
	RuleGroupID string `json:"ruleGroupId,omitempty"`
	// RuleGroupType is Type: STATELESS or STATEFUL.
	RuleGroupType string `json:"ruleGroupType"`
	// Capacity is the group's fixed capacity; ConsumedCapacity what its
	// rules use (describe-rule-group's RuleGroupResponse), 0 when unknown.
	Capacity         int `json:"capacity"`
	ConsumedCapacity int `json:"consumedCapacity,omitempty"`
	// RuleVariables are the group's IP sets and port sets.
	RuleVariables NFWRuleVariables `json:"ruleVariables"`
	// IPSetReferences are ReferenceSets.IPSetReferences: variable name to
	// the managed prefix list (or resource group) ARN it stands for.
	IPSetReferences map[string]string `json:"ipSetReferences,omitempty"`
	RulesSource     RulesSource       `json:"rulesSource"`
	// StatefulRuleOptions.RuleOrder: a stateful group's order, which must
	// match the policy's.
	StatefulRuleOrder string `json:"statefulRuleOrder,omitempty"`
	// RulesKnown is false when only the group's ARN is known (an AWS
	// managed group, or a group not described): analyses then read its
	// decision as unknown.
	RulesKnown bool `json:"rulesKnown"`
}

// Type implements Element.
func (*NetworkFirewallRuleGroup) Type() string { return TypeNetworkFirewallRuleGroup }

// IsStateless reports the rule group's type.
func (g *NetworkFirewallRuleGroup) IsStateless() bool { return g.RuleGroupType == NFWStateless }

// NFWRuleVariables are RuleVariables: IPSets and PortSets by name.
type NFWRuleVariables struct {
	// IPSets hold CIDR definitions.
	IPSets map[string][]netip.Prefix `json:"ipSets,omitempty"`
	// PortSets hold port definitions as AWS writes them: "80", "8000:8100".
	PortSets map[string][]string `json:"portSets,omitempty"`
}

// RulesSource is a rule group's RulesSource: exactly one of its fields is
// set, the one the group's author chose.
type RulesSource struct {
	// RulesString is Suricata-compatible rules text (stateful).
	RulesString string `json:"rulesString,omitempty"`
	// RulesSourceList is a domain list (stateful).
	RulesSourceList *RulesSourceList `json:"rulesSourceList,omitempty"`
	// StatefulRules are 5-tuple rules (stateful).
	StatefulRules []StatefulRule `json:"statefulRules,omitempty"`
	// StatelessRulesAndCustomActions (stateless).
	StatelessRulesAndCustomActions *StatelessRulesAndCustomActions `json:"statelessRulesAndCustomActions,omitempty"`
	// Origin locates RulesString (its first line) for messages.
	Origin Origin `json:"origin"`
}

// RulesSourceList is a domain list rule group.
type RulesSourceList struct {
	// Targets are domain names; ".example.com" matches its subdomains.
	Targets []string `json:"targets"`
	// TargetTypes are TLS_SNI and/or HTTP_HOST.
	TargetTypes []string `json:"targetTypes"`
	// GeneratedRulesType is ALLOWLIST, DENYLIST, ALERTLIST or REJECTLIST.
	GeneratedRulesType string `json:"generatedRulesType"`
}

// StatefulRule is one 5-tuple stateful rule.
type StatefulRule struct {
	// Action is PASS, DROP, ALERT or REJECT.
	Action string             `json:"action"`
	Header StatefulRuleHeader `json:"header"`
	// RuleOptions are Suricata keywords (sid, msg, ...).
	RuleOptions []NFWRuleOption `json:"ruleOptions,omitempty"`
	Origin      Origin          `json:"origin"`
}

// StatefulRuleHeader is a 5-tuple rule's Header, as strings the way AWS
// takes them: "ANY", a CIDR, "$VARIABLE"; ports "ANY", "80", "1024:65535".
type StatefulRuleHeader struct {
	// Protocol is IP, TCP, UDP, ICMP, HTTP, TLS, DNS, ... (Suricata names).
	Protocol        string `json:"protocol"`
	Source          string `json:"source"`
	SourcePort      string `json:"sourcePort"`
	Direction       string `json:"direction"` // FORWARD or ANY
	Destination     string `json:"destination"`
	DestinationPort string `json:"destinationPort"`
}

// NFWRuleOption is one RuleOptions entry.
type NFWRuleOption struct {
	Keyword  string   `json:"keyword"`
	Settings []string `json:"settings,omitempty"`
}

// StatelessRulesAndCustomActions is a stateless group's rules source.
type StatelessRulesAndCustomActions struct {
	StatelessRules []StatelessRule   `json:"statelessRules"`
	CustomActions  []NFWCustomAction `json:"customActions,omitempty"`
}

// StatelessRule is one stateless rule: RuleDefinition and Priority.
type StatelessRule struct {
	// Priority orders the group's rules, lowest first, unique in a group.
	Priority        int                `json:"priority"`
	MatchAttributes NFWMatchAttributes `json:"matchAttributes"`
	// Actions: one of aws:pass, aws:drop, aws:forward_to_sfe, optionally
	// with custom action names.
	Actions []string `json:"actions"`
	// Unknown says why some of the rule's addresses are not known (a
	// value known only after deployment): the rule may then match more or
	// fewer packets than its known attributes say.
	Unknown string `json:"unknown,omitempty"`
	Origin  Origin `json:"origin"`
}

// NFWMatchAttributes are a stateless rule's MatchAttributes. An empty
// list matches everything of that attribute.
type NFWMatchAttributes struct {
	Sources      []netip.Prefix `json:"sources,omitempty"`
	Destinations []netip.Prefix `json:"destinations,omitempty"`
	// SourcePorts and DestinationPorts: FromPort..ToPort.
	SourcePorts      []PortRange `json:"sourcePorts,omitempty"`
	DestinationPorts []PortRange `json:"destinationPorts,omitempty"`
	// Protocols are IANA protocol numbers.
	Protocols []int         `json:"protocols,omitempty"`
	TCPFlags  []NFWTCPFlags `json:"tcpFlags,omitempty"`
}

// NFWTCPFlags is one TCPFlags entry: Flags that must be set among Masks
// (Masks empty: all flags are considered).
type NFWTCPFlags struct {
	Flags []string `json:"flags"`
	Masks []string `json:"masks,omitempty"`
}

// FirewallZones are the Availability Zones of a firewall's endpoints,
// sorted: the endpoint's zone, else its subnet's; a subnet whose zone the
// sources leave unsaid stands for a zone of its own.
func (n *Network) FirewallZones(fw *NetworkFirewall) []string {
	seen := map[string]bool{}
	var out []string
	for _, ep := range fw.Endpoints {
		z := ep.AvailabilityZone
		if z == "" {
			if s, ok := n.Subnets.Get(ep.SubnetID); ok {
				z = s.AvailabilityZone
			}
		}
		if z == "" {
			z = ep.SubnetID
		}
		if !seen[z] {
			seen[z] = true
			out = append(out, z)
		}
	}
	sort.Strings(out)
	return out
}

// FirewallByEndpoint returns the Network Firewall that owns a VPC
// endpoint ID, with that endpoint.
func (n *Network) FirewallByEndpoint(vpceID string) (*NetworkFirewall, *FirewallEndpoint, bool) {
	ref, ok := n.index().firewallByEndpoint[vpceID]
	if !ok {
		return nil, nil, false
	}
	return ref.fw, &ref.fw.Endpoints[ref.i], true
}

type firewallEndpointRef struct {
	fw *NetworkFirewall
	i  int
}

// finalizeFirewalls indexes the firewall endpoints and reports dangling
// references between firewalls, policies and rule groups.
func (n *Network) finalizeFirewalls(ix *indexes) {
	ix.firewallByEndpoint = map[string]firewallEndpointRef{}
	for _, fw := range n.NetworkFirewalls.All() {
		checkRefIn(n, &n.VPCs, fw, "VpcId", fw.VPCID)
		checkRefIn(n, &n.NetworkFirewallPolicies, fw, "FirewallPolicyArn", fw.FirewallPolicyARN)
		for _, m := range fw.SubnetMappings {
			checkRefIn(n, &n.Subnets, fw, "SubnetId", m.SubnetID)
		}
		for i, ep := range fw.Endpoints {
			if ep.EndpointID != "" {
				ix.firewallByEndpoint[ep.EndpointID] = firewallEndpointRef{fw, i}
			}
		}
	}
	for _, p := range n.NetworkFirewallPolicies.All() {
		for _, r := range p.StatelessRuleGroupReferences {
			if !IsManagedRuleGroup(r.ResourceARN) {
				checkRefIn(n, &n.NetworkFirewallRuleGroups, p, "StatelessRuleGroupReferences.ResourceArn", r.ResourceARN)
			}
		}
		for _, r := range p.StatefulRuleGroupReferences {
			if !IsManagedRuleGroup(r.ResourceARN) {
				checkRefIn(n, &n.NetworkFirewallRuleGroups, p, "StatefulRuleGroupReferences.ResourceArn", r.ResourceARN)
			}
		}
	}
}

// IsManagedRuleGroup reports whether an ARN names an AWS managed rule
// group (arn:aws:network-firewall:REGION:aws-managed:stateful-rulegroup/…),
// whose rules no source describes.
func IsManagedRuleGroup(arn string) bool { return strings.Contains(arn, ":aws-managed:") }
