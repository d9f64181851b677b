package model

import "net/netip"

// OwnerKind says what a network interface belongs to.
type OwnerKind string

// ENI owner kinds.
const (
	OwnerInstance         OwnerKind = "instance"
	OwnerNATGateway       OwnerKind = "nat-gateway"
	OwnerVPCEndpoint      OwnerKind = "vpc-endpoint"
	OwnerLoadBalancer     OwnerKind = "load-balancer"
	OwnerResolverEndpoint OwnerKind = "resolver-endpoint"
	OwnerClientVPN        OwnerKind = "client-vpn-endpoint"
	OwnerTGWAttachment    OwnerKind = "transit-gateway-attachment"
	OwnerLambda           OwnerKind = "lambda"
	OwnerRDS              OwnerKind = "rds"
	OwnerECS              OwnerKind = "ecs"
	OwnerEFS              OwnerKind = "efs"
	OwnerOther            OwnerKind = "other"
	OwnerNone             OwnerKind = "" // detached
)

// PrivateIP is one private IPv4 address of an interface, with the public
// (auto-assigned or elastic) address mapped to it, if any.
type PrivateIP struct {
	Address  netip.Addr `json:"address"`
	Primary  bool       `json:"primary,omitempty"`
	PublicIP netip.Addr `json:"publicIp,omitempty"`
	// ElasticIP is the allocation ID (eipalloc-…) when PublicIP is elastic.
	ElasticIP string `json:"elasticIp,omitempty"`
	// PublicUnknown says why the public address is unknown (for example a
	// template with AssociatePublicIpAddress from a parameter): analyses
	// treat the address as possibly public.
	PublicUnknown string `json:"publicUnknown,omitempty"`
	// PublicAssigned says, with PublicUnknown, that AWS gives the address
	// a public IPv4 for certain (an elastic IP, a subnet that maps public
	// IPs on launch, AssociatePublicIpAddress true) and only its value is
	// picked at deploy time. Without it the address may have none.
	PublicAssigned bool `json:"publicAssigned,omitempty"`
}

// NetworkInterface is an ENI: the place traffic starts and ends in a VPC.
type NetworkInterface struct {
	Meta
	SubnetID string `json:"subnetId"`
	VPCID    string `json:"vpcId"`
	// PrivateIPs holds every private IPv4 address, primary first. Empty
	// with an Unknowns entry when AWS picks the address at deploy time:
	// analyses then use the subnet's CIDR.
	PrivateIPs []PrivateIP    `json:"privateIps"`
	IPv6       []netip.Addr   `json:"ipv6,omitempty"`
	Prefixes   []netip.Prefix `json:"prefixes,omitempty"` // delegated IPv4/IPv6 prefixes
	// SecurityGroupIDs are the groups attached to the interface.
	SecurityGroupIDs []string `json:"securityGroupIds"`
	SourceDestCheck  bool     `json:"sourceDestCheck"`
	// InterfaceType is AWS's: interface, nat_gateway, vpc_endpoint,
	// network_load_balancer, gateway_load_balancer, transit_gateway, lambda, ...
	InterfaceType    string    `json:"interfaceType,omitempty"`
	Description      string    `json:"description,omitempty"`
	RequesterManaged bool      `json:"requesterManaged,omitempty"`
	OwnerKind        OwnerKind `json:"ownerKind,omitempty"`
	// OwnerID is the instance, NAT gateway, endpoint, load balancer, ...
	// the interface belongs to.
	OwnerID string `json:"ownerId,omitempty"`
	// DeviceIndex is the attachment's device index (0 is the primary interface).
	DeviceIndex int    `json:"deviceIndex,omitempty"`
	Status      string `json:"status,omitempty"`
	// PublicIPAssigned is PrivateIP.PublicAssigned for an interface whose
	// private addresses are unknown too (its Unknowns entry "PublicIp"):
	// AWS gives it a public IPv4 for certain, of unknown value.
	PublicIPAssigned bool `json:"publicIpAssigned,omitempty"`
}

// Type implements Element.
func (*NetworkInterface) Type() string { return TypeNetworkInterface }

// PrimaryIP returns the primary private IPv4 address, if known.
func (e *NetworkInterface) PrimaryIP() (netip.Addr, bool) {
	for _, p := range e.PrivateIPs {
		if p.Primary {
			return p.Address, true
		}
	}
	if len(e.PrivateIPs) > 0 {
		return e.PrivateIPs[0].Address, true
	}
	return netip.Addr{}, false
}

// PublicIPs returns the public IPv4 addresses mapped to the interface.
func (e *NetworkInterface) PublicIPs() []netip.Addr {
	var out []netip.Addr
	for _, p := range e.PrivateIPs {
		if p.PublicIP.IsValid() {
			out = append(out, p.PublicIP)
		}
	}
	return out
}

// Instance is an EC2 instance (or, from a template, an Auto Scaling group's
// instances of unknown count and address).
type Instance struct {
	Meta
	State    string `json:"state,omitempty"`
	SubnetID string `json:"subnetId,omitempty"`
	VPCID    string `json:"vpcId,omitempty"`
	// NetworkInterfaceIDs lists the attached ENIs, primary first.
	NetworkInterfaceIDs []string   `json:"networkInterfaceIds"`
	PrivateIP           netip.Addr `json:"privateIp,omitempty"`
	PublicIP            netip.Addr `json:"publicIp,omitempty"`
	PrivateDNSName      string     `json:"privateDnsName,omitempty"`
	PublicDNSName       string     `json:"publicDnsName,omitempty"`
	SecurityGroupIDs    []string   `json:"securityGroupIds,omitempty"`
	// HostnameType is ip-name or resource-name; the two flags say whether
	// the resource name answers A and AAAA queries (R3.2).
	HostnameType                    string `json:"hostnameType,omitempty"`
	EnableResourceNameDNSARecord    bool   `json:"enableResourceNameDnsARecord,omitempty"`
	EnableResourceNameDNSAAAARecord bool   `json:"enableResourceNameDnsAAAARecord,omitempty"`
	// AutoScalingGroup marks a template's ASG modelled as one instance of
	// unknown count and address.
	AutoScalingGroup bool `json:"autoScalingGroup,omitempty"`
}

// Type implements Element.
func (i *Instance) Type() string {
	if i.AutoScalingGroup {
		return TypeAutoScalingGroup
	}
	return TypeInstance
}

// Answers reports whether an instance in this state sends and answers
// traffic: running, or a state the sources do not give. A pending,
// stopping, stopped, shutting-down or terminated instance does not.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
func (i *Instance) Answers() bool {
	switch i.State {
	case "pending", "stopping", "stopped", "shutting-down", "terminated":
		return false
	}
	return true
}
