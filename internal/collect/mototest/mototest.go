// Package mototest starts moto_server (an AWS emulator) for tests and
// builds a small network in it with the AWS SDK.
package mototest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	nfw "github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	nfwtypes "github.com/aws/aws-sdk-go-v2/service/networkfirewall/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	rslvrtypes "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"
)

// Start runs moto_server on a free loopback port, seeded for
// deterministic IDs, and stops it when the test ends. It skips the test
// when moto_server is not installed.
func Start(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logf, err := os.Create(filepath.Join(t.TempDir(), "moto.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The process group of the server started above, by its id.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		logf.Close()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("moto_server did not start: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	resp, err := http.Post(url+"/moto-api/seed?a=42", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return url
}

// Network is what Build created, by role.
type Network struct {
	VPC, PeerVPC, PubSubnet, PrivSubnet, IGW, NAT, PCX string
	WebSG, DBSG, PubInstance, PrivInstance             string
	ZoneID, ResolverEndpoint, LBARN, TGARN             string
	SSMEndpoint, TGW, TGWAttachment, TGWRouteTable     string
}

// Build creates, with the SDK, a small network: a VPC with a public
// and a private subnet, an internet and a NAT gateway, two security
// groups, an instance in each subnet, a peered VPC, a private hosted zone
// with a record, a Resolver inbound endpoint and an application load
// balancer forwarding to the private instance, an interface endpoint for
// SSM with private DNS, and a transit gateway with a static route.
func Build(ctx context.Context, t testing.TB, cfg aws.Config) Network {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var b Network
	e := ec2.NewFromConfig(cfg)
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16")})
	must(err)
	b.VPC = *vpc.Vpc.VpcId
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(err)
	// Real AWS gives every new VPC the region's default option set
	// (AmazonProvidedDNS); moto leaves "default", which the EC2 API uses
	// for "no DHCP options". Associate the set AWS would have.
	dopt, err := e.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []ec2types.NewDhcpConfiguration{
		{Key: aws.String("domain-name-servers"), Values: []string{"AmazonProvidedDNS"}},
		{Key: aws.String("domain-name"), Values: []string{"ap-northeast-1.compute.internal"}},
	}})
	must(err)
	_, err = e.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: dopt.DhcpOptions.DhcpOptionsId, VpcId: vpc.Vpc.VpcId})
	must(err)
	subnet := func(cidr, az string) string {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		must(err)
		return *s.Subnet.SubnetId
	}
	b.PubSubnet = subnet("10.20.1.0/24", "ap-northeast-1a")
	b.PrivSubnet = subnet("10.20.2.0/24", "ap-northeast-1c")

	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(err)
	b.IGW = *igw.InternetGateway.InternetGatewayId
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(b.IGW), VpcId: aws.String(b.VPC)})
	must(err)
	routeTable := func(subnet string, route ec2.CreateRouteInput) {
		rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(b.VPC)})
		must(err)
		route.RouteTableId = rt.RouteTable.RouteTableId
		route.DestinationCidrBlock = aws.String("0.0.0.0/0")
		_, err = e.CreateRoute(ctx, &route)
		must(err)
		_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: aws.String(subnet)})
		must(err)
	}
	routeTable(b.PubSubnet, ec2.CreateRouteInput{GatewayId: aws.String(b.IGW)})
	eip, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(err)
	nat, err := e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(b.PubSubnet), AllocationId: eip.AllocationId})
	must(err)
	b.NAT = *nat.NatGateway.NatGatewayId
	routeTable(b.PrivSubnet, ec2.CreateRouteInput{NatGatewayId: aws.String(b.NAT)})

	sg := func(name string, perm ec2types.IpPermission) string {
		g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: aws.String(b.VPC)})
		must(err)
		_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{perm}})
		must(err)
		return *g.GroupId
	}
	b.WebSG = sg("web", ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}})
	b.DBSG = sg("db", ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(b.WebSG)}}})

	images, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}})
	must(err)
	if len(images.Images) == 0 {
		t.Fatal("moto has no AMI")
	}
	ami := images.Images[0].ImageId
	pub, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: ami, InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: aws.String(b.PubSubnet), AssociatePublicIpAddress: aws.Bool(true), Groups: []string{b.WebSG}}}})
	must(err)
	b.PubInstance = *pub.Instances[0].InstanceId
	priv, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: ami, InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: aws.String(b.PrivSubnet), SecurityGroupIds: []string{b.DBSG}, PrivateIpAddress: aws.String("10.20.2.10")})
	must(err)
	b.PrivInstance = *priv.Instances[0].InstanceId

	peer, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")})
	must(err)
	b.PeerVPC = *peer.Vpc.VpcId
	pcx, err := e.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(b.VPC), PeerVpcId: aws.String(b.PeerVPC)})
	must(err)
	b.PCX = *pcx.VpcPeeringConnection.VpcPeeringConnectionId
	_, err = e.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(b.PCX)})
	must(err)

	r53 := route53.NewFromConfig(cfg)
	zone, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("vpcreach-test"),
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true}, VPC: &r53types.VPC{VPCId: aws.String(b.VPC), VPCRegion: r53types.VPCRegionApNortheast1}})
	must(err)
	b.ZoneID = *zone.HostedZone.Id
	_, err = r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone.HostedZone.Id, ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{
		Action: r53types.ChangeActionUpsert,
		ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("db.corp.internal."), Type: r53types.RRTypeA, TTL: aws.Int64(60),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.20.2.10")}}},
	}}}})
	must(err)

	rs := route53resolver.NewFromConfig(cfg)
	ep, err := rs.CreateResolverEndpoint(ctx, &route53resolver.CreateResolverEndpointInput{CreatorRequestId: aws.String("vpcreach-test"), Name: aws.String("inbound"),
		Direction: rslvrtypes.ResolverEndpointDirectionInbound, SecurityGroupIds: []string{b.WebSG},
		IpAddresses: []rslvrtypes.IpAddressRequest{{SubnetId: aws.String(b.PubSubnet), Ip: aws.String("10.20.1.53")}, {SubnetId: aws.String(b.PrivSubnet), Ip: aws.String("10.20.2.53")}}})
	must(err)
	b.ResolverEndpoint = *ep.ResolverEndpoint.Id

	lb := elbv2.NewFromConfig(cfg)
	alb, err := lb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{b.PubSubnet, b.PrivSubnet}, SecurityGroups: []string{b.WebSG}})
	must(err)
	b.LBARN = *alb.LoadBalancers[0].LoadBalancerArn
	tg, err := lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("db"), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(5432), VpcId: aws.String(b.VPC)})
	must(err)
	b.TGARN = *tg.TargetGroups[0].TargetGroupArn
	_, err = lb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(b.TGARN), Targets: []elbv2types.TargetDescription{{Id: aws.String(b.PrivInstance)}}})
	must(err)
	_, err = lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(b.LBARN), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumForward, TargetGroupArn: aws.String(b.TGARN)}}})
	must(err)

	ssm, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(b.VPC), ServiceName: aws.String("com.amazonaws.ap-northeast-1.ssm"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{b.PrivSubnet}, SecurityGroupIds: []string{b.WebSG}, PrivateDnsEnabled: aws.Bool(true)})
	must(err)
	b.SSMEndpoint = *ssm.VpcEndpoint.VpcEndpointId

	tgw, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Description: aws.String("hub")})
	must(err)
	b.TGW = *tgw.TransitGateway.TransitGatewayId
	att, err := e.CreateTransitGatewayVpcAttachment(ctx, &ec2.CreateTransitGatewayVpcAttachmentInput{TransitGatewayId: aws.String(b.TGW), VpcId: aws.String(b.VPC), SubnetIds: []string{b.PrivSubnet}})
	must(err)
	b.TGWAttachment = *att.TransitGatewayVpcAttachment.TransitGatewayAttachmentId
	rt, err := e.CreateTransitGatewayRouteTable(ctx, &ec2.CreateTransitGatewayRouteTableInput{TransitGatewayId: aws.String(b.TGW)})
	must(err)
	b.TGWRouteTable = *rt.TransitGatewayRouteTable.TransitGatewayRouteTableId
	_, err = e.CreateTransitGatewayRoute(ctx, &ec2.CreateTransitGatewayRouteInput{TransitGatewayRouteTableId: aws.String(b.TGWRouteTable),
		DestinationCidrBlock: aws.String("10.20.0.0/16"), TransitGatewayAttachmentId: aws.String(b.TGWAttachment)})
	must(err)
	return b
}

// AddFirewall creates an AWS Network Firewall in the built network's VPC,
// with its endpoint in the public subnet, and returns its ARN. moto 5.2.1
// creates firewalls but implements neither firewall policies nor rule
// groups (their calls answer HTTP 500), so the policy ARN names nothing.
func AddFirewall(ctx context.Context, t testing.TB, cfg aws.Config, b Network) string {
	t.Helper()
	c := nfw.NewFromConfig(cfg)
	out, err := c.CreateFirewall(ctx, &nfw.CreateFirewallInput{FirewallName: aws.String("inspection"), VpcId: aws.String(b.VPC),
		FirewallPolicyArn: aws.String("arn:aws:network-firewall:ap-northeast-1:123456789012:firewall-policy/inspection"),
		SubnetMappings:    []nfwtypes.SubnetMapping{{SubnetId: aws.String(b.PubSubnet)}},
		Tags:              []nfwtypes.Tag{{Key: aws.String("Name"), Value: aws.String("inspection")}}})
	if err != nil {
		t.Fatalf("building the firewall in moto: %v", err)
	}
	return aws.ToString(out.Firewall.FirewallArn)
}

// GWLB is a Gateway Load Balancer built in moto with its appliance target
// group, its endpoint service and an endpoint in the built VPC.
type GWLB struct{ LBARN, TGARN, ServiceName, Endpoint string }

// AddGWLB builds a Gateway Load Balancer in the private subnet, a GENEVE
// target group with the private instance as its appliance, the endpoint
// service and a Gateway Load Balancer endpoint in the public subnet.
func AddGWLB(ctx context.Context, t testing.TB, cfg aws.Config, b Network) GWLB {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("building the Gateway Load Balancer in moto: %v", err)
		}
	}
	var g GWLB
	lb := elbv2.NewFromConfig(cfg)
	out, err := lb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("inspection"), Type: elbv2types.LoadBalancerTypeEnumGateway, Subnets: []string{b.PrivSubnet}})
	must(err)
	g.LBARN = *out.LoadBalancers[0].LoadBalancerArn
	tg, err := lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("appliances"), Protocol: elbv2types.ProtocolEnumGeneve, Port: aws.Int32(6081),
		VpcId: aws.String(b.VPC), TargetType: elbv2types.TargetTypeEnumInstance})
	must(err)
	g.TGARN = *tg.TargetGroups[0].TargetGroupArn
	_, err = lb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(g.TGARN), Targets: []elbv2types.TargetDescription{{Id: aws.String(b.PrivInstance)}}})
	must(err)
	_, err = lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(g.LBARN),
		DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumForward, TargetGroupArn: aws.String(g.TGARN)}}})
	must(err)
	e := ec2.NewFromConfig(cfg)
	svc, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{GatewayLoadBalancerArns: []string{g.LBARN}, AcceptanceRequired: aws.Bool(false)})
	must(err)
	g.ServiceName = *svc.ServiceConfiguration.ServiceName
	ep, err := e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(b.VPC), ServiceName: aws.String(g.ServiceName),
		VpcEndpointType: ec2types.VpcEndpointTypeGatewayLoadBalancer, SubnetIds: []string{b.PubSubnet}})
	must(err)
	g.Endpoint = *ep.VpcEndpoint.VpcEndpointId
	return g
}

// Env gives the SDK static test credentials and nothing from the machine's
// own AWS configuration.
func Env(t testing.TB) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "", "AWS_REGION": "",
		"AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": "",
	} {
		t.Setenv(k, v)
	}
}
