package lint

import (
	"fmt"
	"strings"
)

// Severity ranks a finding: high, medium, low or info.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota
	Low
	Medium
	High
)

var severityNames = [...]string{Info: "info", Low: "low", Medium: "medium", High: "high"}

func (s Severity) String() string {
	if s < Info || s > High {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText renders the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads high, medium, low or info.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("severity %q: want high, medium, low or info", s)
}

// Rule is one kind of pitfall. Its ID is stable: users filter on it and
// code scanning tracks results by it.
type Rule struct {
	// ID is a readable kebab-case identifier, stable across versions.
	ID       string
	Severity Severity
	// Title is one line; Explanation one paragraph on why it matters.
	Title       string
	Explanation string
	// Fix says what to change.
	Fix string
	// DocURL is the AWS documentation the rule rests on.
	DocURL string
}

// Rule IDs.
const (
	RuleSGImplicitEgress       = "sg-implicit-allow-all-egress"
	RuleSGNoEgressTerraform    = "sg-terraform-no-egress"
	RuleSGLoopbackEgress       = "sg-egress-loopback-only"
	RuleSGStandaloneEgress     = "sg-standalone-egress-replaced-default"
	RuleSGPortsIgnored         = "sg-all-protocols-ports-ignored"
	RuleSGAdminPortOpen        = "sg-admin-port-open-to-world"
	RuleSGOpenNotExposed       = "sg-open-but-not-internet-reachable"
	RuleSGCannotBlockDNS       = "sg-egress-cannot-block-amazon-dns"
	RulePublicIPNoIGW          = "public-ip-without-igw-route"
	RuleNACLNoReturn           = "nacl-no-ephemeral-return"
	RuleDNSAttributesOff       = "vpc-dns-attributes-off"
	RuleDHCPDNSUnreachable     = "dhcp-dns-server-unreachable"
	RuleClientVPNDNSNotCovered = "clientvpn-dns-server-not-covered"
	RuleClientVPNFullTunnelDNS = "clientvpn-full-tunnel-resolver-without-internet"
	RuleClientVPNZoneElsewhere = "clientvpn-private-zone-not-seen-by-resolver"
	RuleResolverLoop           = "resolver-forwarding-loop"
	RuleOverlappingCIDRs       = "overlapping-connected-cidrs"
	RuleBlackholeRoute         = "route-to-blackhole"
	RuleNFWAsymmetric          = "nfw-asymmetric-route"
	RuleNFWSubnetOwnEndpoint   = "nfw-subnet-routed-through-own-endpoint"
	RuleNFWDropsEstablished    = "nfw-policy-drops-established"
	RuleNFWOverCapacity        = "nfw-rule-group-over-capacity"
	RuleNFWApplianceMode       = "nfw-tgw-attachment-without-appliance-mode"
)

var rules = []*Rule{
	{
		ID:       RuleSGImplicitEgress,
		Severity: Low,
		Title:    "Security group gets an implicit allow-all egress rule",
		Explanation: "A CloudFormation AWS::EC2::SecurityGroup that lists no SecurityGroupEgress is created with an " +
			"egress rule allowing all IPv4 traffic to 0.0.0.0/0. A group written with ingress rules only often means " +
			"\"nothing goes out\", yet every member can open connections anywhere.",
		Fix: "State the egress the group needs in SecurityGroupEgress. To allow no egress at all, list the single rule " +
			"IpProtocol -1 to CidrIp 127.0.0.1/32, which only removes the default.",
		DocURL: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html",
	},
	{
		ID:       RuleSGNoEgressTerraform,
		Severity: Low,
		Title:    "Terraform security group without egress sends nothing out",
		Explanation: "The AWS provider's aws_security_group removes the allow-all egress rule AWS adds to a new group, so a " +
			"group written without egress blocks or egress rule resources allows no outbound connection at all, the " +
			"opposite of CloudFormation and the console. Members still answer connections their ingress allows " +
			"(security groups are stateful) and still reach the Amazon DNS server, instance metadata and Time Sync, " +
			"but cannot reach package mirrors, AWS APIs or anything else.",
		Fix: "State the egress the members need (an egress block, aws_security_group_rule of type egress or " +
			"aws_vpc_security_group_egress_rule); leave it out only where no outbound connection is intended.",
		// The provider's behaviour:
		// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
	},
	{
		ID:       RuleSGLoopbackEgress,
		Severity: Info,
		Title:    "Egress rule only suppresses the default allow-all egress",
		Explanation: "An egress rule to 127.0.0.1/32 never matches traffic that leaves the interface: it exists to stop " +
			"CloudFormation adding the allow-all egress rule. The members can still answer connections their ingress " +
			"rules allow (security groups are stateful) and still reach the Amazon DNS server, the instance metadata " +
			"service and Amazon Time Sync, which security groups never filter. Other security groups on the same " +
			"interface add their own egress.",
		Fix:    "Nothing to fix if no egress is intended. To stop DNS queries too, use Route 53 Resolver DNS Firewall.",
		DocURL: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html",
	},
	{
		ID:       RuleSGStandaloneEgress,
		Severity: Info,
		Title:    "Standalone egress rule replaced the default allow-all egress",
		Explanation: "The group lists no inline SecurityGroupEgress, so it starts with the allow-all IPv4 egress rule, " +
			"but a separate AWS::EC2::SecurityGroupEgress resource adds a rule to it, and the default rule disappears " +
			"(reported behaviour): the group ends with only the standalone rules, which may be less than the author " +
			"of the group expected.",
		Fix: "Write the egress rules the group needs inline, or add them all as standalone resources, so the template " +
			"says what the group allows.",
		DocURL: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroupegress.html",
	},
	{
		ID:       RuleSGPortsIgnored,
		Severity: Low,
		Title:    "Port range ignored on an all-protocol rule",
		Explanation: "With IpProtocol -1, or a protocol number other than tcp (6), udp (17), icmp (1) and icmpv6 (58), " +
			"AWS ignores FromPort and ToPort: the rule allows every port. A rule written as \"-1 on port 443\" opens " +
			"everything to its peer.",
		Fix:    "Use IpProtocol tcp or udp with the port range meant, or drop the ports if all traffic is intended.",
		DocURL: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroupegress.html",
	},
	{
		ID:       RuleSGAdminPortOpen,
		Severity: High,
		Title:    "Administration or database port open to the whole internet",
		Explanation: "An ingress rule allows 0.0.0.0/0 or ::/0 to a port used for remote administration or a " +
			"database (SSH, RDP, MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Elasticsearch, Kibana, " +
			"Memcached, Docker, ...). Any interface carrying the group and holding a public address is scanned and " +
			"attacked within minutes.",
		Fix: "Restrict the source to known address ranges or a security group, or reach the hosts through AWS Systems " +
			"Manager Session Manager, a bastion, or a VPN.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
	},
	{
		ID:       RuleSGOpenNotExposed,
		Severity: Info,
		Title:    "Security group open to the world, but the interface is not reachable from the internet",
		Explanation: "The interface carries a security group that allows ingress from 0.0.0.0/0 or ::/0, but the " +
			"network gives the internet no way in (no public address, no route to an internet gateway, no internet " +
			"gateway on the VPC). Only the security group is permissive; the exposure would appear as soon as the " +
			"subnet or the address changes.",
		Fix:    "Narrow the security group to the sources that really connect, so the protection does not rest on routing alone.",
		DocURL: "https://docs.aws.amazon.com/inspector/latest/user/findings-types.html",
	},
	{
		ID:       RuleSGCannotBlockDNS,
		Severity: Low,
		Title:    "Security group egress does not allow DNS, but cannot block the Amazon DNS server",
		Explanation: "The group's egress rules allow no udp/53 to the VPC resolver, which reads like an intent to stop " +
			"DNS. Security groups and network ACLs never filter traffic to the Amazon DNS server (the VPC base " +
			"address plus two, 169.254.169.253), so members still resolve every name, and DNS can carry data out.",
		Fix:    "Filter DNS with Route 53 Resolver DNS Firewall rule groups associated with the VPC.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Security.html",
	},
	{
		ID:       RulePublicIPNoIGW,
		Severity: Medium,
		Title:    "Public IPv4 address in a subnet without a route to an internet gateway",
		Explanation: "The interface (or every instance the subnet launches) gets a public IPv4 address, but the " +
			"subnet's route table sends nothing to an internet gateway, so the address neither receives nor sends " +
			"internet traffic. The address is billed, and the configuration suggests a public subnet that is not one.",
		Fix: "Add a 0.0.0.0/0 route to the VPC's internet gateway in the subnet's route table, or stop assigning " +
			"public addresses there (MapPublicIpOnLaunch false, no EIP, AssociatePublicIpAddress false).",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
	},
	{
		ID:       RuleNACLNoReturn,
		Severity: Medium,
		Title:    "Network ACL allows a connection but denies its replies on ephemeral ports",
		Explanation: "Network ACLs are stateless: the reply to a connection allowed in one direction needs its own allow " +
			"rule in the other direction, to the client's ephemeral port (1024-65535). Here an allow rule for a service " +
			"port has no rule letting the replies through to the same peers, so the connections it allows hang.",
		Fix:    "Add a rule in the other direction allowing the protocol on ports 1024-65535 to the same peers.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
	},
	{
		ID:       RuleDNSAttributesOff,
		Severity: Medium,
		Title:    "Private DNS needs the VPC's DNS attributes",
		Explanation: "Interface endpoint private DNS and Route 53 private hosted zones answer only in a VPC whose " +
			"enableDnsSupport and enableDnsHostnames attributes are both true. With either off, the names resolve " +
			"publicly and traffic meant for the endpoint or the private records goes elsewhere or fails.",
		Fix:    "Set EnableDnsSupport and EnableDnsHostnames to true on the VPC.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-support",
	},
	{
		ID:       RuleDHCPDNSUnreachable,
		Severity: High,
		Title:    "Custom DNS server of the DHCP options cannot be reached from some subnets",
		Explanation: "The VPC's DHCP option set hands instances custom DNS servers instead of AmazonProvidedDNS. Those " +
			"servers are ordinary hosts, subject to routes, network ACLs and security groups; a subnet whose route " +
			"table has no usable route to a server leaves its instances without name resolution.",
		Fix:    "Route the subnets to the DNS servers (local, peering, transit gateway or VPN route), or use AmazonProvidedDNS.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSet.html",
	},
	{
		ID:       RuleClientVPNDNSNotCovered,
		Severity: High,
		Title:    "Client VPN DNS server not covered by a route or an authorization rule",
		Explanation: "Clients send their DNS queries to the endpoint's DNS servers. A query goes through the tunnel only " +
			"when a Client VPN route covers the server (with split tunnel it otherwise leaves on the client's own " +
			"network and never reaches a private address), and the endpoint forwards it only when an authorization " +
			"rule covers the server. The queries then leave from the endpoint's interface in the target subnet (source " +
			"NAT), where that subnet's routes, network ACL and the endpoint's security groups apply. Where any of these " +
			"stops them, name resolution on connected clients times out.",
		Fix: "Add a Client VPN route and an authorization rule for each DNS server address, a route onward from the " +
			"target subnet, and udp and tcp 53 egress to the servers in the endpoint's security groups.",
		DocURL: "https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-routes.html",
	},
	{
		ID:       RuleClientVPNFullTunnelDNS,
		Severity: Medium,
		Title:    "Full-tunnel Client VPN without internet while clients use a public resolver",
		Explanation: "A full-tunnel endpoint sends all client traffic, DNS included, into the tunnel. When it pushes no " +
			"DNS servers, clients keep their own, often a public resolver such as 8.8.8.8, and with a pushed public " +
			"server the same holds; those queries leave through the target subnet, which here has no way to the " +
			"internet, so every lookup times out.",
		Fix: "Push the VPC resolver (VPC base + 2) or a Resolver inbound endpoint as DNS servers, or give the target " +
			"subnets internet access (0.0.0.0/0 Client VPN route, authorization rule, and an internet or NAT gateway route).",
		DocURL: "https://repost.aws/knowledge-center/client-vpn-how-dns-works-with-endpoint",
	},
	{
		ID:       RuleClientVPNZoneElsewhere,
		Severity: Medium,
		Title:    "Private hosted zone associated with the Client VPN VPC is invisible to the pushed resolver",
		Explanation: "The endpoint pushes a Route 53 Resolver inbound endpoint of another VPC as DNS server. Queries are " +
			"resolved as that VPC sees them, so a private hosted zone associated only with the Client VPN's VPC never " +
			"answers the clients.",
		Fix:    "Associate the private hosted zone with the VPC of the Resolver inbound endpoint too.",
		DocURL: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zones-private.html",
	},
	{
		ID:       RuleResolverLoop,
		Severity: High,
		Title:    "Resolver forwarding rule loops back to an inbound endpoint",
		Explanation: "A Route 53 Resolver forwarding rule sends queries to an inbound endpoint, and the VPC that " +
			"endpoint resolves for is (directly or through further rules for the same domain) associated with a " +
			"rule that forwards them back. The queries circle until they time out.",
		Fix:    "Do not associate the forwarding rule with the VPC that holds the inbound endpoint it targets.",
		DocURL: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-resolver-endpoints.html",
	},
	{
		ID:       RuleOverlappingCIDRs,
		Severity: Medium,
		Title:    "Connected VPCs have overlapping CIDR blocks",
		Explanation: "VPCs joined by a peering connection or attached to the same transit gateway use address ranges " +
			"that overlap. Peering is refused for overlapping IPv4 blocks, and through a transit gateway only one of " +
			"the overlapping ranges can be routed: hosts in the other cannot be reached.",
		Fix:    "Re-address one of the VPCs, or route only non-overlapping subnets between them.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html",
	},
	{
		ID:       RuleBlackholeRoute,
		Severity: Low,
		Title:    "Route to a blackhole",
		Explanation: "The route's target (a deleted NAT gateway, a detached interface, a removed attachment, ...) no " +
			"longer exists, so traffic matching it is dropped, even when a less specific route would have carried it.",
		Fix:    "Delete the route or point it at a live target.",
		DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html",
	},
	{
		ID:       RuleNFWAsymmetric,
		Severity: High,
		Title:    "Traffic crosses a Network Firewall endpoint in one direction only",
		Explanation: "A subnet sends its internet traffic through a firewall endpoint but the internet gateway's edge route " +
			"table does not send the replies back through the same endpoint (or the reverse). Network Firewall does not " +
			"support asymmetric routing: the stateful engine sees one direction only and drops the flows.",
		Fix:    "Associate a route table with the internet gateway that routes the subnet's CIDR to the same endpoint, and route the subnet's default route to it.",
		DocURL: "https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html",
	},
	{
		ID:       RuleNFWSubnetOwnEndpoint,
		Severity: High,
		Title:    "A firewall subnet is routed through its own firewall",
		Explanation: "The route table of a Network Firewall subnet sends traffic to an endpoint of the same firewall: what " +
			"the firewall passes is sent back to it instead of to its destination.",
		Fix:    "Give the firewall subnet its own route table that routes onward (to the internet gateway, NAT gateway or transit gateway).",
		DocURL: "https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config.html",
	},
	{
		ID:       RuleNFWDropsEstablished,
		Severity: Medium,
		Title:    "A firewall policy drops every established connection",
		Explanation: "The policy forwards traffic to the stateful engine in strict order with aws:drop_strict or " +
			"aws:drop_established as its default, and none of its stateful rule groups passes anything: every " +
			"connection it inspects is dropped once established.",
		Fix:    "Add pass rules for the traffic the firewall should let through, or change the stateful default action.",
		DocURL: "https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html",
	},
	{
		ID:       RuleNFWOverCapacity,
		Severity: Medium,
		Title:    "A rule group's rules exceed its capacity",
		Explanation: "A rule group's capacity is fixed when it is created; rules that need more (a stateless rule needs the " +
			"product of its match settings, a stateful rule one, a domain list one per domain and protocol) are refused.",
		Fix:    "Create the rule group with a larger capacity, or split its rules.",
		DocURL: "https://docs.aws.amazon.com/network-firewall/latest/developerguide/rule-group-managing.html",
	},
	{
		ID:       RuleNFWApplianceMode,
		Severity: High,
		Title:    "Inspection VPC attachment without appliance mode",
		Explanation: "Without appliance mode a transit gateway keeps traffic in the Availability Zone it entered, so the two " +
			"directions of a flow between zones reach the inspection VPC in different zones and cross different firewall " +
			"endpoints; each endpoint sees half of the connection and the stateful engine drops it.",
		Fix:    "Enable ApplianceModeSupport on the transit gateway attachment of the VPC that holds the firewall endpoints.",
		DocURL: "https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-tgw-multi-az.html",
	},
}

var rulesByID = func() map[string]*Rule {
	m := make(map[string]*Rule, len(rules))
	for _, r := range rules {
		m[r.ID] = r
	}
	return m
}()

// Rules returns every rule, in a fixed order. Do not modify them.
func Rules() []*Rule { return rules }

// RuleByID returns the rule with that ID.
func RuleByID(id string) (*Rule, bool) {
	r, ok := rulesByID[id]
	return r, ok
}
