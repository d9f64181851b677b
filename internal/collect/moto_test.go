package collect

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	rslvrtypes "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source"
)

// startMoto runs moto_server on a free loopback port, seeded for
// deterministic IDs, and stops it when the test ends. It skips the test
// when moto_server is not installed.
func startMoto(t *testing.T) string {
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

// built is what the test network holds, by role.
type built struct {
	vpc, peerVPC, pubSubnet, privSubnet, igw, nat, pcx string
	webSG, dbSG, pubInstance, privInstance             string
	zoneID, resolverEndpoint, lbARN, tgARN             string
}

// buildNetwork creates, with the SDK, a small network: a VPC with a public
// and a private subnet, an internet and a NAT gateway, two security
// groups, an instance in each subnet, a peered VPC, a private hosted zone
// with a record, a Resolver inbound endpoint and an application load
// balancer forwarding to the private instance.
func buildNetwork(t *testing.T, ctx context.Context, cfg aws.Config) built {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var b built
	e := ec2.NewFromConfig(cfg)
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16")})
	must(err)
	b.vpc = *vpc.Vpc.VpcId
	_, err = e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(err)
	subnet := func(cidr, az string) string {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		must(err)
		return *s.Subnet.SubnetId
	}
	b.pubSubnet = subnet("10.20.1.0/24", "ap-northeast-1a")
	b.privSubnet = subnet("10.20.2.0/24", "ap-northeast-1c")

	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(err)
	b.igw = *igw.InternetGateway.InternetGatewayId
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(b.igw), VpcId: aws.String(b.vpc)})
	must(err)
	routeTable := func(subnet string, route ec2.CreateRouteInput) {
		rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(b.vpc)})
		must(err)
		route.RouteTableId = rt.RouteTable.RouteTableId
		route.DestinationCidrBlock = aws.String("0.0.0.0/0")
		_, err = e.CreateRoute(ctx, &route)
		must(err)
		_, err = e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: aws.String(subnet)})
		must(err)
	}
	routeTable(b.pubSubnet, ec2.CreateRouteInput{GatewayId: aws.String(b.igw)})
	eip, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(err)
	nat, err := e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(b.pubSubnet), AllocationId: eip.AllocationId})
	must(err)
	b.nat = *nat.NatGateway.NatGatewayId
	routeTable(b.privSubnet, ec2.CreateRouteInput{NatGatewayId: aws.String(b.nat)})

	sg := func(name string, perm ec2types.IpPermission) string {
		g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: aws.String(b.vpc)})
		must(err)
		_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{perm}})
		must(err)
		return *g.GroupId
	}
	b.webSG = sg("web", ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}})
	b.dbSG = sg("db", ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(b.webSG)}}})

	images, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}})
	must(err)
	if len(images.Images) == 0 {
		t.Fatal("moto has no AMI")
	}
	ami := images.Images[0].ImageId
	pub, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: ami, InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: aws.String(b.pubSubnet), AssociatePublicIpAddress: aws.Bool(true), Groups: []string{b.webSG}}}})
	must(err)
	b.pubInstance = *pub.Instances[0].InstanceId
	priv, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: ami, InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: aws.String(b.privSubnet), SecurityGroupIds: []string{b.dbSG}, PrivateIpAddress: aws.String("10.20.2.10")})
	must(err)
	b.privInstance = *priv.Instances[0].InstanceId

	peer, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")})
	must(err)
	b.peerVPC = *peer.Vpc.VpcId
	pcx, err := e.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(b.vpc), PeerVpcId: aws.String(b.peerVPC)})
	must(err)
	b.pcx = *pcx.VpcPeeringConnection.VpcPeeringConnectionId
	_, err = e.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(b.pcx)})
	must(err)

	r53 := route53.NewFromConfig(cfg)
	zone, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("vpcreach-test"),
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true}, VPC: &r53types.VPC{VPCId: aws.String(b.vpc), VPCRegion: r53types.VPCRegionApNortheast1}})
	must(err)
	b.zoneID = *zone.HostedZone.Id
	_, err = r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone.HostedZone.Id, ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{
		Action: r53types.ChangeActionUpsert,
		ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String("db.corp.internal."), Type: r53types.RRTypeA, TTL: aws.Int64(60),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.20.2.10")}}},
	}}}})
	must(err)

	rs := route53resolver.NewFromConfig(cfg)
	ep, err := rs.CreateResolverEndpoint(ctx, &route53resolver.CreateResolverEndpointInput{CreatorRequestId: aws.String("vpcreach-test"), Name: aws.String("inbound"),
		Direction: rslvrtypes.ResolverEndpointDirectionInbound, SecurityGroupIds: []string{b.webSG},
		IpAddresses: []rslvrtypes.IpAddressRequest{{SubnetId: aws.String(b.pubSubnet), Ip: aws.String("10.20.1.53")}, {SubnetId: aws.String(b.privSubnet), Ip: aws.String("10.20.2.53")}}})
	must(err)
	b.resolverEndpoint = *ep.ResolverEndpoint.Id

	lb := elbv2.NewFromConfig(cfg)
	alb, err := lb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{b.pubSubnet, b.privSubnet}, SecurityGroups: []string{b.webSG}})
	must(err)
	b.lbARN = *alb.LoadBalancers[0].LoadBalancerArn
	tg, err := lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("db"), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(5432), VpcId: aws.String(b.vpc)})
	must(err)
	b.tgARN = *tg.TargetGroups[0].TargetGroupArn
	_, err = lb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(b.tgARN), Targets: []elbv2types.TargetDescription{{Id: aws.String(b.privInstance)}}})
	must(err)
	_, err = lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(b.lbARN), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumForward, TargetGroupArn: aws.String(b.tgARN)}}})
	must(err)
	return b
}

func TestMotoSnapshotAgreesWithWhatWasBuilt(t *testing.T) {
	url := startMoto(t)
	isolateAWSEnv(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("ap-northeast-1"), config.WithBaseEndpoint(url))
	if err != nil {
		t.Fatal(err)
	}
	b := buildNetwork(t, ctx, cfg)

	out := filepath.Join(t.TempDir(), "snap")
	m, err := Run(ctx, Options{Out: out, Regions: []string{"ap-northeast-1"}, EndpointURL: url, NoServerErrorRetry: true})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("manifest names the identity and what moto cannot answer", func(t *testing.T) {
		if len(m.Accounts) != 1 || m.Accounts[0].AccountID != "123456789012" || !strings.HasPrefix(m.Accounts[0].ARN, "arn:aws:") {
			t.Fatalf("accounts: %+v", m.Accounts)
		}
		failed := failedFiles(m)
		if !slices.Contains(failed, "DescribeClientVpnEndpoints") {
			t.Errorf("Client VPN (HTTP 500 on moto) not recorded as failed: %v", failed)
		}
		for _, f := range []string{"DescribeVpcs", "DescribeVpcAttribute", "DescribeInstances", "GetHostedZone", "ListResolverEndpointIpAddresses", "DescribeListeners", "DescribeTargetHealth"} {
			if slices.Contains(failed, f) {
				t.Errorf("%s failed: %v", f, m.Warnings())
			}
		}
		if _, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil {
			t.Error(err)
		}
	})

	t.Run("only allowed read-only operations were called", func(t *testing.T) {
		allowed := Operations()
		for _, op := range m.Operations {
			if !slices.Contains(allowed, op) {
				t.Errorf("called %s, outside the allowed set", op)
			}
			_, name, _ := strings.Cut(op, ":")
			if !slices.ContainsFunc(readOnlyPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) && op != "sts:GetCallerIdentity" {
				t.Errorf("called %s, not a read", op)
			}
		}
		if len(m.Operations) < 30 {
			t.Errorf("only %d operations recorded: %v", len(m.Operations), m.Operations)
		}
	})

	t.Run("files have the CLI's top-level keys", func(t *testing.T) {
		dir := filepath.Join(out, "aws_configs", "123456789012", "ap-northeast-1")
		for file, key := range map[string]string{"DescribeVpcs": "Vpcs", "DescribeInstances": "Reservations", "DescribeSecurityGroups": "SecurityGroups", "DescribeLoadBalancers": "LoadBalancers"} {
			v := readJSON(t, filepath.Join(dir, file+".json"))
			if _, ok := dig(v, key).([]any); !ok {
				t.Errorf("%s.json has no %q list", file, key)
			}
			if _, ok := dig(v, "ResultMetadata").(map[string]any); ok {
				t.Errorf("%s.json carries ResultMetadata", file)
			}
		}
	})

	n, err := source.Load(ctx, []string{out}, source.Options{})
	if err != nil {
		t.Fatalf("reading the snapshot back: %v", err)
	}
	t.Run("the snapshot reads back as the network that was built", func(t *testing.T) {
		has := func(kind string, ok bool, id string) {
			t.Helper()
			if !ok {
				t.Errorf("%s %s not in the snapshot", kind, id)
			}
		}
		vpc, ok := n.VPCs.Get(b.vpc)
		has("VPC", ok, b.vpc)
		if ok {
			if vpc.EnableDNSHostnames != model.True || vpc.EnableDNSSupport != model.True {
				t.Errorf("VPC DNS attributes: support %v hostnames %v, want true true", vpc.EnableDNSSupport, vpc.EnableDNSHostnames)
			}
			if vpc.Account != "123456789012" || vpc.Region != "ap-northeast-1" {
				t.Errorf("VPC placed in %s/%s", vpc.Account, vpc.Region)
			}
		}
		_, ok = n.VPCs.Get(b.peerVPC)
		has("VPC", ok, b.peerVPC)
		for _, id := range []string{b.pubSubnet, b.privSubnet} {
			_, ok := n.Subnets.Get(id)
			has("subnet", ok, id)
		}
		_, ok = n.InternetGateways.Get(b.igw)
		has("internet gateway", ok, b.igw)
		_, ok = n.NATGateways.Get(b.nat)
		has("NAT gateway", ok, b.nat)
		_, ok = n.PeeringConnections.Get(b.pcx)
		has("peering", ok, b.pcx)
		for _, id := range []string{b.webSG, b.dbSG} {
			_, ok := n.SecurityGroups.Get(id)
			has("security group", ok, id)
		}
		pub, ok := n.Instances.Get(b.pubInstance)
		has("instance", ok, b.pubInstance)
		if ok && !pub.PublicIP.IsValid() {
			t.Errorf("public instance %s has no public IP in the snapshot", b.pubInstance)
		}
		priv, ok := n.Instances.Get(b.privInstance)
		has("instance", ok, b.privInstance)
		if ok && priv.PrivateIP.String() != "10.20.2.10" {
			t.Errorf("private instance address %v", priv.PrivateIP)
		}
		var zone *model.HostedZone
		for _, z := range n.HostedZones.All() {
			if z.ZoneName == "corp.internal." {
				zone = z
			}
		}
		if zone == nil {
			t.Fatalf("hosted zone corp.internal. not in the snapshot")
		}
		if !zone.Private || !zone.RecordsKnown || len(zone.VPCs) != 1 {
			t.Errorf("zone: private %v recordsKnown %v VPCs %v", zone.Private, zone.RecordsKnown, zone.VPCs)
		}
		found := false
		for _, r := range zone.Records {
			if r.Name == "db.corp.internal." && r.Type == "A" && slices.Equal(r.Values, []string{"10.20.2.10"}) {
				found = true
			}
		}
		if !found {
			t.Errorf("record db.corp.internal. A 10.20.2.10 missing: %+v", zone.Records)
		}
		ep, ok := n.ResolverEndpoints.Get(b.resolverEndpoint)
		has("Resolver endpoint", ok, b.resolverEndpoint)
		if ok {
			var ips []string
			for _, ip := range ep.IPAddresses {
				ips = append(ips, ip.IP.String())
			}
			slices.Sort(ips)
			if !ep.IsInbound() || !slices.Equal(ips, []string{"10.20.1.53", "10.20.2.53"}) {
				t.Errorf("Resolver endpoint: direction %s, addresses %v", ep.Direction, ips)
			}
		}
		_, ok = n.LoadBalancers.Get(b.lbARN)
		has("load balancer", ok, b.lbARN)
		_, ok = n.TargetGroups.Get(b.tgARN)
		has("target group", ok, b.tgARN)
	})
}
