package reach_test

import (
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// firewallBeforeNAT is the developer guide's firewall between the
// workloads and a NAT gateway: the private subnet routes 0.0.0.0/0 to the
// firewall endpoint, the firewall subnet to the NAT gateway, the NAT
// subnet to the internet gateway and, when back is true, the private
// subnet's CIDR back to the endpoint.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
func firewallBeforeNAT(back bool) *model.Network {
	b := reachtest.New()
	b.VPC("vpc-1", "10.0.0.0/16")
	b.IGW("igw-1", "vpc-1")
	b.Subnet("subnet-priv", "vpc-1", "10.0.1.0/24", "us-east-1a")
	b.Subnet("subnet-fw", "vpc-1", "10.0.100.0/28", "us-east-1a")
	b.Subnet("subnet-nat", "vpc-1", "10.0.0.0/24", "us-east-1a")
	b.NAT("nat-1", "subnet-nat", "10.0.0.5", "54.0.0.5")
	priv := b.RouteTable("rtb-priv", "vpc-1", "subnet-priv")
	b.Route(priv, "0.0.0.0/0", "vpce-fw1")
	fwrt := b.RouteTable("rtb-fw", "vpc-1", "subnet-fw")
	b.Route(fwrt, "0.0.0.0/0", "nat-1")
	natrt := b.RouteTable("rtb-nat", "vpc-1", "subnet-nat")
	b.Route(natrt, "0.0.0.0/0", "igw-1")
	if back {
		b.Route(natrt, "10.0.1.0/24", "vpce-fw1")
	}
	b.SG("sg-app", "vpc-1", "out -1 all 0.0.0.0/0")
	b.Instance("i-app", b.ENI("eni-app", "subnet-priv", "10.0.1.10", "sg-app"))
	b.N.NetworkFirewallPolicies.Put(withGroups(&model.NetworkFirewallPolicy{Meta: model.Meta{ID: "pol"},
		StatelessDefaultActions: []string{model.NFWForwardToSFE}, StatelessFragmentDefaultActions: []string{model.NFWForwardToSFE}}, false, "sf"))
	b.N.NetworkFirewallRuleGroups.Put(statefulGroup("sf", "drop tcp $HOME_NET any -> any 25 (sid:1;)"))
	b.N.NetworkFirewalls.Put(&model.NetworkFirewall{Meta: model.Meta{ID: "fw"}, VPCID: "vpc-1", FirewallPolicyARN: "pol",
		SubnetMappings: []model.FirewallSubnetMapping{{SubnetID: "subnet-fw"}}, EndpointsKnown: true,
		Endpoints: []model.FirewallEndpoint{{AvailabilityZone: "us-east-1a", SubnetID: "subnet-fw", EndpointID: "vpce-fw1", Status: "READY"}}})
	return b.Build()
}

// TestRepliesThroughANATGatewayAfterTheFirewall: the replies come back to
// the NAT gateway, not to the subnet that sent the requests; the NAT
// subnet's route table decides whether they cross the firewall again.
func TestRepliesThroughANATGatewayAfterTheFirewall(t *testing.T) {
	r := flow(t, firewallBeforeNAT(true), "i-app", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.Reachable, "")
	r = flow(t, firewallBeforeNAT(true), "i-app", "8.8.8.8", model.ProtoTCP, 25)
	expect(t, r, reach.Unreachable, reach.CodeNFWStatefulDrop)
	r = flow(t, firewallBeforeNAT(false), "i-app", "8.8.8.8", model.ProtoTCP, 443)
	expect(t, r, reach.Unreachable, reach.CodeNFWAsymmetric)
	if !strings.Contains(r.Best.BlockedBy.Reason, "rtb-nat") {
		t.Errorf("the reason does not name the NAT subnet's route table: %s", r.Best.BlockedBy.Reason)
	}
}
