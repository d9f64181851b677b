package collect

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/vpcreach/vpcreach/internal/collect/mototest"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source"
)

func TestMotoSnapshotAgreesWithWhatWasBuilt(t *testing.T) {
	url := mototest.Start(t)
	isolateAWSEnv(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("ap-northeast-1"), config.WithBaseEndpoint(url))
	if err != nil {
		t.Fatal(err)
	}
	b := mototest.Build(ctx, t, cfg)
	fwARN := mototest.AddFirewall(ctx, t, cfg, b)
	gwlb := mototest.AddGWLB(ctx, t, cfg, b)

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
		// moto implements neither firewall policies nor rule groups.
		for _, f := range []string{"ListFirewallPolicies", "DescribeFirewallPolicy", "ListRuleGroups", "DescribeRuleGroup"} {
			if !slices.Contains(failed, f) {
				t.Errorf("%s (HTTP 500 on moto) not recorded as failed: %v", f, failed)
			}
		}
		for _, f := range []string{"DescribeVpcs", "DescribeVpcAttribute", "DescribeInstances", "GetHostedZone", "ListResolverEndpointIpAddresses", "DescribeListeners", "DescribeTargetHealth",
			"ListFirewalls", "DescribeFirewall"} {
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
		for file, key := range map[string]string{"DescribeVpcs": "Vpcs", "DescribeInstances": "Reservations", "DescribeSecurityGroups": "SecurityGroups", "DescribeLoadBalancers": "LoadBalancers",
			"ListFirewalls": "Firewalls"} {
			v := readJSON(t, filepath.Join(dir, file+".json"))
			if _, ok := dig(v, key).([]any); !ok {
				t.Errorf("%s.json has no %q list", file, key)
			}
			if _, ok := dig(v, "ResultMetadata").(map[string]any); ok {
				t.Errorf("%s.json carries ResultMetadata", file)
			}
		}
	})

	t.Run("each assumed role gets its own account folder", func(t *testing.T) {
		roles := filepath.Join(t.TempDir(), "roles")
		m, err := Run(ctx, Options{Out: roles, Regions: []string{"ap-northeast-1"}, EndpointURL: url, NoServerErrorRetry: true,
			RoleARNs: []string{"arn:aws:iam::111111111111:role/reader", "arn:aws:iam::222222222222:role/reader"}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range m.Accounts {
			got = append(got, a.AccountID+" "+a.RoleARN)
			if _, err := os.Stat(filepath.Join(roles, "aws_configs", a.AccountID, "ap-northeast-1", "DescribeVpcs.json")); err != nil {
				t.Error(err)
			}
		}
		want := []string{"111111111111 arn:aws:iam::111111111111:role/reader", "222222222222 arn:aws:iam::222222222222:role/reader"}
		if !slices.Equal(got, want) {
			t.Errorf("accounts %v, want %v", got, want)
		}
		if !slices.Contains(m.Operations, "sts:AssumeRole") {
			t.Errorf("AssumeRole not recorded: %v", m.Operations)
		}
		// The network built in the caller's account is not in theirs.
		data, err := os.ReadFile(filepath.Join(roles, "aws_configs", "111111111111", "ap-northeast-1", "DescribeVpcs.json"))
		if err != nil || strings.Contains(string(data), b.VPC) {
			t.Errorf("account 111111111111 shows %s (err %v)", b.VPC, err)
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
		vpc, ok := n.VPCs.Get(b.VPC)
		has("VPC", ok, b.VPC)
		if ok {
			if vpc.EnableDNSHostnames != model.True || vpc.EnableDNSSupport != model.True {
				t.Errorf("VPC DNS attributes: support %v hostnames %v, want true true", vpc.EnableDNSSupport, vpc.EnableDNSHostnames)
			}
			if vpc.Account != "123456789012" || vpc.Region != "ap-northeast-1" {
				t.Errorf("VPC placed in %s/%s", vpc.Account, vpc.Region)
			}
		}
		_, ok = n.VPCs.Get(b.PeerVPC)
		has("VPC", ok, b.PeerVPC)
		for _, id := range []string{b.PubSubnet, b.PrivSubnet} {
			_, ok := n.Subnets.Get(id)
			has("subnet", ok, id)
		}
		_, ok = n.InternetGateways.Get(b.IGW)
		has("internet gateway", ok, b.IGW)
		_, ok = n.NATGateways.Get(b.NAT)
		has("NAT gateway", ok, b.NAT)
		_, ok = n.PeeringConnections.Get(b.PCX)
		has("peering", ok, b.PCX)
		for _, id := range []string{b.WebSG, b.DBSG} {
			_, ok := n.SecurityGroups.Get(id)
			has("security group", ok, id)
		}
		pub, ok := n.Instances.Get(b.PubInstance)
		has("instance", ok, b.PubInstance)
		if ok && !pub.PublicIP.IsValid() {
			t.Errorf("public instance %s has no public IP in the snapshot", b.PubInstance)
		}
		priv, ok := n.Instances.Get(b.PrivInstance)
		has("instance", ok, b.PrivInstance)
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
		ep, ok := n.ResolverEndpoints.Get(b.ResolverEndpoint)
		has("Resolver endpoint", ok, b.ResolverEndpoint)
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
		vpce, ok := n.VPCEndpoints.Get(b.SSMEndpoint)
		has("VPC endpoint", ok, b.SSMEndpoint)
		if ok && vpce.PrivateDNSName != "ssm.ap-northeast-1.amazonaws.com." && vpce.PrivateDNSName != "ssm.ap-northeast-1.amazonaws.com" {
			t.Errorf("endpoint private DNS name %q (from DescribeVpcEndpointServices)", vpce.PrivateDNSName)
		}
		_, ok = n.TransitGateways.Get(b.TGW)
		has("transit gateway", ok, b.TGW)
		_, ok = n.TGWAttachments.Get(b.TGWAttachment)
		has("transit gateway attachment", ok, b.TGWAttachment)
		rt, ok := n.TGWRouteTables.Get(b.TGWRouteTable)
		has("transit gateway route table", ok, b.TGWRouteTable)
		if ok && len(rt.Routes) != 1 {
			t.Errorf("transit gateway route table routes: %+v", rt.Routes)
		}
		_, ok = n.LoadBalancers.Get(b.LBARN)
		has("load balancer", ok, b.LBARN)
		_, ok = n.TargetGroups.Get(b.TGARN)
		has("target group", ok, b.TGARN)
		fw, ok := n.NetworkFirewalls.Get(fwARN)
		has("network firewall", ok, fwARN)
		if ok {
			if fw.Name != "inspection" || fw.VPCID != b.VPC || len(fw.SubnetMappings) != 1 || fw.SubnetMappings[0].SubnetID != b.PubSubnet {
				t.Errorf("firewall: name %q VPC %s subnets %+v", fw.Name, fw.VPCID, fw.SubnetMappings)
			}
			if !strings.HasSuffix(fw.FirewallPolicyARN, ":firewall-policy/inspection") {
				t.Errorf("firewall policy %q", fw.FirewallPolicyARN)
			}
			// moto's describe-firewall has no SyncStates: no endpoint
			// is made up.
			if len(fw.Endpoints) != 0 {
				t.Errorf("firewall endpoints without sync states: %+v", fw.Endpoints)
			}
		}
	})

	t.Run("the Gateway Load Balancer, its appliances and its endpoint read back", func(t *testing.T) {
		lb, ok := n.LoadBalancers.Get(gwlb.LBARN)
		if !ok || lb.LBType != "gateway" {
			t.Fatalf("gateway load balancer %s: %+v", gwlb.LBARN, lb)
		}
		tg, ok := n.TargetGroups.Get(gwlb.TGARN)
		if !ok || tg.Protocol != "GENEVE" || !slices.Contains(tg.LoadBalancerARNs, gwlb.LBARN) || !tg.TargetsKnown || len(tg.Targets) != 1 || tg.Targets[0].ID != b.PrivInstance {
			t.Errorf("appliance target group: %+v", tg)
		}
		ep, ok := n.VPCEndpoints.Get(gwlb.Endpoint)
		if !ok || ep.EndpointType != "GatewayLoadBalancer" || ep.ServiceName != gwlb.ServiceName || ep.VPCID != b.VPC {
			t.Errorf("Gateway Load Balancer endpoint: %+v", ep)
		}
	})

	t.Run("describe-firewall is written as an array of CLI outputs", func(t *testing.T) {
		v := readJSON(t, filepath.Join(out, "aws_configs", "123456789012", "ap-northeast-1", "DescribeFirewall.json"))
		list, ok := v.([]any)
		if !ok || len(list) != 1 {
			t.Fatalf("DescribeFirewall.json: %v", v)
		}
		if dig(list[0], "Firewall", "FirewallArn") != fwARN || dig(list[0], "FirewallStatus", "Status") == nil {
			t.Errorf("DescribeFirewall.json[0]: %v", list[0])
		}
	})
}
