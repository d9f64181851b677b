package model

import "net/netip"

// Listener is a load balancer listener: port and protocol facing clients,
// forwarding to target groups (ELBv2) or to an instance port (classic).
type Listener struct {
	ARN      string `json:"arn,omitempty"`
	Protocol string `json:"protocol"` // HTTP, HTTPS, TCP, UDP, TLS, TCP_UDP, GENEVE
	Port     uint16 `json:"port"`
	// TargetGroupARNs are the groups the default and rule actions forward to.
	TargetGroupARNs []string `json:"targetGroupArns,omitempty"`
	// InstancePort and InstanceProtocol (classic ELB) say where traffic goes
	// on the registered instances.
	InstancePort     uint16 `json:"instancePort,omitempty"`
	InstanceProtocol string `json:"instanceProtocol,omitempty"`
	Origin           Origin `json:"origin"`
}

// LoadBalancer is an ELBv2 (application, network, gateway) or classic load balancer.
type LoadBalancer struct {
	Meta
	// LBType is application, network, gateway or classic.
	LBType string `json:"lbType"`
	// Scheme is internet-facing or internal.
	Scheme           string     `json:"scheme"`
	DNSName          string     `json:"dnsName,omitempty"`
	CanonicalZoneID  string     `json:"canonicalHostedZoneId,omitempty"`
	VPCID            string     `json:"vpcId"`
	SubnetIDs        []string   `json:"subnetIds,omitempty"`
	SecurityGroupIDs []string   `json:"securityGroupIds,omitempty"`
	IPAddressType    string     `json:"ipAddressType,omitempty"`
	Listeners        []Listener `json:"listeners,omitempty"`
	// InstanceIDs are a classic ELB's registered instances.
	InstanceIDs []string `json:"instanceIds,omitempty"`
	// Addresses are known static addresses (NLB EIPs, private IPs per subnet).
	Addresses []netip.Addr `json:"addresses,omitempty"`
}

// Type implements Element.
func (lb *LoadBalancer) Type() string {
	if lb.LBType == "classic" {
		return TypeLoadBalancerClassic
	}
	return TypeLoadBalancerV2
}

// IsInternetFacing reports the scheme.
//
// A Gateway Load Balancer takes no scheme and has no public addresses: it
// is reached only through its endpoints.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-load-balancers.html
func (lb *LoadBalancer) IsInternetFacing() bool {
	return lb.LBType != "gateway" && lb.Scheme != "internal"
}

// Target is one registered target of a target group.
type Target struct {
	// ID is an instance ID, an IP address, a Lambda ARN or an ALB ARN.
	ID               string `json:"id"`
	Port             uint16 `json:"port,omitempty"` // 0: the group's port
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	Health           string `json:"health,omitempty"`
}

// TargetGroup is an ELBv2 target group.
type TargetGroup struct {
	Meta
	Protocol         string   `json:"protocol,omitempty"`
	Port             uint16   `json:"port,omitempty"`
	VPCID            string   `json:"vpcId,omitempty"`
	TargetType       string   `json:"targetType,omitempty"` // instance, ip, lambda, alb
	LoadBalancerARNs []string `json:"loadBalancerArns,omitempty"`
	Targets          []Target `json:"targets,omitempty"`
	// TargetsKnown is false when the targets were not read (no
	// describe-target-health output): analyses then read them as unknown.
	TargetsKnown bool `json:"targetsKnown"`
}

// Type implements Element.
func (*TargetGroup) Type() string { return TypeTargetGroup }

// LinkTargetGroups keeps each of a listener's target groups once and
// records on every group in the network that lb forwards to it, so that a
// target knows the load balancers that reach it.
func (n *Network) LinkTargetGroups(lb *LoadBalancer, l *Listener) {
	l.TargetGroupARNs = uniqueStrings(l.TargetGroupARNs)
	for _, id := range l.TargetGroupARNs {
		if tg, ok := n.TargetGroups.Get(id); ok {
			tg.LoadBalancerARNs = uniqueStrings(append(tg.LoadBalancerARNs, lb.ID))
		}
	}
}

// uniqueStrings drops repeated strings, keeping the first of each in order.
func uniqueStrings(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
