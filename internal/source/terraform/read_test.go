package terraform

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

func load(t *testing.T, path string) *model.Network {
	t.Helper()
	n := &model.Network{}
	if err := Read(path, Options{}, n); err != nil {
		t.Fatal(err)
	}
	n.Finalize()
	return n
}

func loadString(t *testing.T, js string) (*model.Network, error) {
	t.Helper()
	n := &model.Network{}
	err := ReadBytes("inline.json", []byte(js), Options{}, n)
	if err == nil {
		n.Finalize()
	}
	return n, err
}

// TestPlanLinksByReferences: a plan leaves every ID unknown; the links come
// from the configuration's references, across count, for_each and a module.
func TestPlanLinksByReferences(t *testing.T) {
	n := load(t, "testdata/plan.json")
	eni := func(id string) *model.NetworkInterface {
		e, ok := n.NetworkInterfaces.Get(id)
		if !ok {
			t.Fatalf("no interface %s", id)
		}
		return e
	}
	tests := []struct{ name, got, want string }{
		{"instance in aws_subnet.public[count.index]", eni("aws_instance.web[1]/eni0").SubnetID, "aws_subnet.public[1]"},
		{"instance's group from vpc_security_group_ids", strings.Join(eni("aws_instance.web[0]/eni0").SecurityGroupIDs, ","), "aws_security_group.web"},
		{"instance in a module, subnet by for_each key", eni("module.net.aws_instance.db/eni0").SubnetID, `module.net.aws_subnet.private["a"]`},
		{"NAT gateway in aws_subnet.public[0]", eni("aws_nat_gateway.nat/eni0").SubnetID, "aws_subnet.public[0]"},
	}
	sg, _ := n.SecurityGroups.Get("aws_security_group.web")
	if len(sg.Ingress) > 0 {
		tests = append(tests, struct{ name, got, want string }{"inline ingress from aws_security_group.lb.id", sg.Ingress[0].Peer.ID, "aws_security_group.lb"})
	}
	db, _ := n.SecurityGroups.Get("module.net.aws_security_group.db")
	for _, r := range db.Ingress {
		tests = append(tests, struct{ name, got, want string }{"rule through a module variable", r.Peer.ID, "aws_security_group.web"})
	}
	rt, _ := n.RouteTables.Get("module.net.aws_route_table.private")
	for _, r := range rt.Routes {
		if r.Destination.String() == "0.0.0.0/0" {
			tests = append(tests, struct{ name, got, want string }{"aws_route to a NAT gateway through a module variable", r.TargetID, "aws_nat_gateway.nat"})
		}
	}
	s, _ := n.Subnets.Get(`module.net.aws_subnet.private["b"]`)
	tests = append(tests, struct{ name, got, want string }{"subnet_ids = aws_subnet.private (every instance)", s.NetworkACLID, "module.net.aws_network_acl.private"})
	s, _ = n.Subnets.Get("aws_subnet.public[0]")
	tests = append(tests, struct{ name, got, want string }{"subnet vpc_id", s.VPCID, "aws_vpc.main"})
	if r, explicit := n.RouteTableFor("aws_subnet.public[1]"); r != nil && explicit {
		tests = append(tests, struct{ name, got, want string }{"association by count.index", r.ID, "aws_route_table.public"})
	} else {
		t.Error("aws_subnet.public[1] has no explicit route table")
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if len(db.Ingress) != 1 {
		t.Errorf("db ingress: %+v", db.Ingress)
	}
	if _, ok := n.Lookup(`module.net.aws_subnet.private["a"]`); !ok {
		t.Error("an address is not a REF")
	}
	if n.NotModelled["aws_availability_zones"] != 0 {
		t.Error("a data source counted as a resource")
	}
}

// TestSecurityGroupHasNoDefaultEgress: Terraform removes the allow-all
// egress rule AWS adds to a new group, unlike CloudFormation: "When
// creating a new Security Group inside a VPC, Terraform will remove this
// default rule, and require you specifically re-create it if you desire
// that rule."
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
func TestSecurityGroupHasNoDefaultEgress(t *testing.T) {
	n := load(t, "testdata/plan.json")
	for id, want := range map[string]int{"aws_security_group.web": 0, "aws_security_group.lb": 0, "module.net.aws_security_group.db": 1} {
		sg, ok := n.SecurityGroups.Get(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		if len(sg.Egress) != want {
			t.Errorf("%s: %d egress rules, want %d: %+v", id, len(sg.Egress), want, sg.Egress)
		}
		for _, r := range sg.Egress {
			if r.Default {
				t.Errorf("%s: a default egress rule", id)
			}
		}
	}
}

// TestNetworkACLRules: inline rules, aws_network_acl_rule, and the final deny.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl_rule
func TestNetworkACLRules(t *testing.T) {
	n := load(t, "testdata/plan.json")
	acl, _ := n.NetworkACLs.Get("module.net.aws_network_acl.private")
	var got []string
	for _, e := range acl.Entries {
		got = append(got, strconv.Itoa(e.RuleNumber)+string(e.Action)+map[bool]string{true: "-out", false: "-in"}[e.Egress])
	}
	want := "90deny-in 100allow-in 100allow-out 32767deny-in 32767deny-out"
	if strings.Join(got, " ") != want {
		t.Errorf("entries %q, want %q", strings.Join(got, " "), want)
	}
}

// TestPublicIPUnknownOnlyInValue: an instance in a subnet that maps public
// IPs on launch has a public address whose value the plan does not know.
func TestPublicIPUnknownOnlyInValue(t *testing.T) {
	n := load(t, "testdata/plan.json")
	e, _ := n.NetworkInterfaces.Get("aws_instance.web[0]/eni0")
	if e.UnknownPublicIP() == "" || !e.PublicIPValueOnly() {
		t.Errorf("web[0]: public %q assigned %v", e.UnknownPublicIP(), e.PublicIPValueOnly())
	}
	db, _ := n.NetworkInterfaces.Get("module.net.aws_instance.db/eni0")
	if db.UnknownPublicIP() != "" {
		t.Errorf("db (associate_public_ip_address false) may be public: %s", db.UnknownPublicIP())
	}
}

const planHead = `{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[`

// TestAmbiguousReferenceIsUnknown: a reference that does not name one
// instance leaves the value unknown, naming why.
func TestAmbiguousReferenceIsUnknown(t *testing.T) {
	js := planHead + `
 {"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","index":0,"change":{"actions":["create"],"after":{"cidr_block":"10.0.0.0/16"},"after_unknown":{"id":true}}},
 {"address":"aws_vpc.a[1]","mode":"managed","type":"aws_vpc","name":"a","index":1,"change":{"actions":["create"],"after":{"cidr_block":"10.1.0.0/16"},"after_unknown":{"id":true}}},
 {"address":"aws_subnet.s","mode":"managed","type":"aws_subnet","name":"s","change":{"actions":["create"],"after":{"cidr_block":"10.0.1.0/24"},"after_unknown":{"id":true,"vpc_id":true}}}],
 "configuration":{"root_module":{"resources":[
 {"address":"aws_subnet.s","mode":"managed","type":"aws_subnet","name":"s","expressions":{"vpc_id":{"references":["local.vpc","aws_vpc.a"]}}}]}}}`
	js = strings.Replace(js, `"address":"aws_vpc.a",`, `"address":"aws_vpc.a[0]",`, 1)
	n, err := loadString(t, js)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := n.Subnets.Get("aws_subnet.s")
	if !s.HasUnknown("VpcId") || s.VPCID != "" {
		t.Fatalf("vpc %q unknowns %v", s.VPCID, s.Unknowns)
	}
	if !strings.Contains(s.Unknowns[0].Reason, "local.vpc") {
		t.Errorf("reason %q does not name local.vpc", s.Unknowns[0].Reason)
	}
}

// TestStateKeepsRealIDs: state knows every ID; a VPC that exists keeps a
// default group whose rules the state does not say.
func TestStateKeepsRealIDs(t *testing.T) {
	n := load(t, "testdata/state.json")
	if _, ok := n.Subnets.Get("subnet-0a1b2c3d"); !ok {
		t.Fatal("no subnet-0a1b2c3d")
	}
	e, ok := n.Lookup("aws_instance.app")
	if !ok || e.Base().ID != "i-0123456789abcdef0" {
		t.Fatalf("aws_instance.app: %v", e)
	}
	eni, _ := n.NetworkInterfaces.Get("eni-0aaa")
	if ip, _ := eni.PrimaryIP(); ip.String() != "10.0.1.10" || len(eni.PublicIPs()) != 1 || eni.PublicIPs()[0].String() != "198.51.100.7" {
		t.Errorf("eni addresses %+v", eni.PrivateIPs)
	}
	sg, _ := n.SecurityGroups.Get("sg-default")
	if len(sg.Ingress) != 1 || sg.Ingress[0].Peer.Kind != model.PeerUnknown {
		t.Errorf("default group of an existing VPC: %+v", sg.Ingress)
	}
	rt := n.MainRouteTable("vpc-0123")
	if rt == nil || rt.ID != "rtb-main" || len(rt.Routes) != 2 || rt.Routes[1].TargetKind != model.TargetUnknown {
		t.Errorf("main route table of an existing VPC: %+v", rt)
	}
	if r, explicit := n.RouteTableFor("subnet-0a1b2c3d"); !explicit || r.ID != "rtb-app" || r.Routes[1].TargetID != "igw-0123" {
		t.Errorf("subnet's table %+v", r)
	}
}

// TestBadValueNamesFileAndAddress: a CIDR that is not one is an error
// naming the file, line and address.
func TestBadValueNamesFileAndAddress(t *testing.T) {
	js := planHead + "\n" + `{"address":"aws_vpc.x","mode":"managed","type":"aws_vpc","name":"x","change":{"actions":["create"],"after":{"cidr_block":"10.0.0.0/33"},"after_unknown":{"id":true}}}]}`
	_, err := loadString(t, js)
	var de *diag.Error
	if !errors.As(err, &de) || de.Line != 2 || de.Resource != "aws_vpc.x" || de.Code != "bad-value" {
		t.Fatalf("got %v", err)
	}
	for _, bad := range []string{`{"format_version":"1.2","values":`, `{"format_version":"1.2","planned_values":[]}`, `{"x":1}`,
		`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{},"resource_changes":[]}`,
		`{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`} {
		if _, err := loadString(t, bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestCorpusPlans: every plan of the shared corpus loads with one element
// per resource instance the plan creates or keeps, of every type its
// manifest lists (which counts occurrences in planned_values,
// resource_changes and configuration alike).
func TestCorpusPlans(t *testing.T) {
	dir := corpustest.Dir(t, "terraform")
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	types := map[string]string{"aws_vpc": model.TypeVPC, "aws_subnet": model.TypeSubnet, "aws_internet_gateway": model.TypeInternetGateway,
		"aws_nat_gateway": model.TypeNATGateway, "aws_eip": model.TypeEIP, "aws_egress_only_internet_gateway": model.TypeEgressOnlyIGW,
		"aws_vpn_gateway": model.TypeVPNGateway, "aws_customer_gateway": model.TypeCustomerGateway, "aws_lb": model.TypeLoadBalancerV2}
	sc := bufio.NewScanner(f)
	sc.Scan()
	seen := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			continue
		}
		path := filepath.Join(dir, strings.SplitN(cols[0], "/", 2)[0], cols[2])
		t.Run(cols[2], func(t *testing.T) {
			n := load(t, path)
			counts := n.Counts()
			instances := changes(t, path)
			for _, kv := range strings.Split(strings.TrimSuffix(cols[4], ";"), ";") {
				k, v, _ := strings.Cut(kv, "=")
				typ, ok := types[k]
				if !ok {
					continue
				}
				if m, _ := strconv.Atoi(v); m == 0 || counts[typ] != instances[k] {
					t.Errorf("%s: %d, want %d (manifest %s)", k, counts[typ], instances[k], v)
				}
			}
		})
		seen++
	}
	if seen == 0 {
		t.Fatal("no plan in the manifest")
	}
}

// changes counts a plan's resource instances by type, deletions aside.
func changes(t *testing.T, path string) map[string]int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		ResourceChanges []struct {
			Type   string
			Change struct{ Actions []string }
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, rc := range p.ResourceChanges {
		if len(rc.Change.Actions) == 1 && rc.Change.Actions[0] == "delete" {
			continue
		}
		out[rc.Type]++
	}
	return out
}

// TestGeneratedPlan: the benchmark plan loads whole, every reference resolved.
func TestGeneratedPlan(t *testing.T) {
	data, err := GeneratePlan(103)
	if err != nil {
		t.Fatal(err)
	}
	n := &model.Network{}
	if err := ReadBytes("gen.json", data, Options{}, n); err != nil {
		t.Fatal(err)
	}
	n.Finalize()
	if c := n.Counts(); c[model.TypeInstance] != 20 || c[model.TypeSubnet] != 20 {
		t.Errorf("counts %v", c)
	}
	for _, e := range n.NetworkInterfaces.All() {
		if e.SubnetID == "" || len(e.SecurityGroupIDs) != 1 {
			t.Errorf("%s: subnet %q groups %v", e.ID, e.SubnetID, e.SecurityGroupIDs)
		}
	}
	for _, w := range n.Warnings {
		t.Errorf("warning %s", w)
	}
}

// TestLoadBalancerAndEndpoint: aws_lb (internal false: internet-facing),
// a listener forwarding to a target group, an attachment registering an
// instance, a gateway endpoint routing from the main route table.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb
func TestLoadBalancerAndEndpoint(t *testing.T) {
	n := load(t, "testdata/lb.json")
	lb, ok := n.LoadBalancers.Get("aws_lb.web")
	if !ok || !lb.IsInternetFacing() || len(lb.Listeners) != 1 || lb.Listeners[0].Port != 443 {
		t.Fatalf("lb %+v", lb)
	}
	if got := strings.Join(lb.Listeners[0].TargetGroupARNs, ","); got != "aws_lb_target_group.app" {
		t.Errorf("listener forwards to %q", got)
	}
	if got := strings.Join(lb.SecurityGroupIDs, ","); got != "aws_security_group.lb" {
		t.Errorf("lb groups %q", got)
	}
	tg, _ := n.TargetGroups.Get("aws_lb_target_group.app")
	if !tg.TargetsKnown || len(tg.Targets) != 1 || tg.Targets[0].ID != "aws_instance.app" || tg.Targets[0].Port != 8080 {
		t.Errorf("targets %+v known %v", tg.Targets, tg.TargetsKnown)
	}
	rt := n.MainRouteTable("aws_vpc.v")
	var kinds []string
	for _, r := range rt.Routes {
		kinds = append(kinds, string(r.TargetKind)+":"+r.TargetID)
	}
	if got := strings.Join(kinds, " "); got != "local:local internet-gateway:aws_internet_gateway.gw vpc-endpoint:aws_vpc_endpoint.s3" {
		t.Errorf("main routes %q", got)
	}
}

// TestRecordsOfAPrivateZone: a record names its zone by zone_id; its
// relative name is the zone's, as the provider reads it. A record whose
// zone cannot be told leaves every zone of the plan with unknown records,
// never a wrong NXDOMAIN.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record
func TestRecordsOfAPrivateZone(t *testing.T) {
	n := load(t, "testdata/lb.json")
	z, ok := n.HostedZones.Get("aws_route53_zone.internal")
	if !ok || !z.Private || len(z.VPCs) != 1 || z.VPCs[0].VPCID != "aws_vpc.v" || !z.RecordsKnown {
		t.Fatalf("zone %+v", z)
	}
	if len(z.Records) != 1 || z.Records[0].Name != "db.corp.internal." || z.Records[0].Values[0] != "10.9.1.50" {
		t.Errorf("records %+v", z.Records)
	}
	data, err := os.ReadFile("testdata/lb.json")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), `"aws_route53_zone.internal.zone_id",`, `"local.zone",`, 1)
	n, err = loadString(t, broken)
	if err != nil {
		t.Fatal(err)
	}
	z, _ = n.HostedZones.Get("aws_route53_zone.internal")
	if z.RecordsKnown {
		t.Error("a record of an unknown zone left the zone's records known")
	}
}

// TestRegionFromProvider: the root aws provider's region scopes resources.
func TestRegionFromProvider(t *testing.T) {
	n := load(t, "testdata/plan.json")
	v, _ := n.VPCs.Get("aws_vpc.main")
	if v.Region != "eu-west-1" {
		t.Errorf("region %q", v.Region)
	}
}
