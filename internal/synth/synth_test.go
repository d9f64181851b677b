package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSameConfigGivesSameBytes(t *testing.T) {
	cfg := Small
	cfg.Workers = 1
	a := t.TempDir()
	if err := Generate(a, cfg); err != nil {
		t.Fatal(err)
	}
	// More workers than VPCs in flight must not change the order.
	cfg.Workers = 7
	b := t.TempDir()
	if err := Generate(b, cfg); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) || len(ta) == 0 {
		t.Fatalf("file counts differ: %d vs %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between runs", name)
		}
	}

	cfg.Seed = 2
	c := t.TempDir()
	if err := Generate(c, cfg); err != nil {
		t.Fatal(err)
	}
	same := 0
	for name, data := range readTree(t, c) {
		if bytes.Equal(data, ta[name]) {
			same++
		}
	}
	if same == len(ta) {
		t.Error("another seed gave the same organisation")
	}
}

// parsed is a generated organisation read back with encoding/json.
type parsed struct {
	// items by top-level key (or merged file name), over every scope.
	items map[string][]map[string]any
	// scopes are the account/region folders.
	scopes []string
}

func parseTree(t *testing.T, dir string) *parsed {
	t.Helper()
	p := &parsed{items: map[string][]map[string]any{}}
	seen := map[string]bool{}
	for rel, data := range readTree(t, dir) {
		parts := strings.Split(rel, string(filepath.Separator))
		if len(parts) != 4 || parts[0] != "aws_configs" {
			t.Fatalf("%s: not in aws_configs/<account>/<region>/", rel)
		}
		scope := parts[1] + "/" + parts[2]
		if !seen[scope] {
			seen[scope] = true
			p.scopes = append(p.scopes, scope)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		switch x := v.(type) {
		case map[string]any:
			if len(x) != 1 {
				t.Fatalf("%s: want one top-level key, got %d", rel, len(x))
			}
			for k, arr := range x {
				for _, it := range arr.([]any) {
					p.items[k] = append(p.items[k], it.(map[string]any))
				}
			}
		case []any:
			for _, it := range x {
				p.items[parts[3]] = append(p.items[parts[3]], it.(map[string]any))
			}
		default:
			t.Fatalf("%s: neither object nor array", rel)
		}
	}
	return p
}

func (p *parsed) instances() []map[string]any {
	var out []map[string]any
	for _, r := range p.items["Reservations"] {
		for _, i := range r["Instances"].([]any) {
			out = append(out, i.(map[string]any))
		}
	}
	return out
}

func (p *parsed) sgRules() int {
	n := 0
	for _, sg := range p.items["SecurityGroups"] {
		for _, dir := range []string{"IpPermissions", "IpPermissionsEgress"} {
			for _, perm := range sg[dir].([]any) {
				m := perm.(map[string]any)
				for _, k := range []string{"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"} {
					if l, ok := m[k].([]any); ok {
						n += len(l)
					}
				}
			}
		}
	}
	return n
}

func TestCountsAskedForAreCountsWritten(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"small preset", Small},
		{"one VPC, no interfaces, no rules", Config{Seed: 3, VPCs: 1}},
		{"uneven shares", Config{Seed: 4, Accounts: 3, Regions: 2, VPCs: 7, ENIs: 1001, SGRules: 333}},
		{"fewer rules than the roles use", Config{Seed: 5, VPCs: 5, ENIs: 50, SGRules: 17}},
		{"more scopes than VPCs", Config{Seed: 6, Accounts: 4, Regions: 3, VPCs: 5, ENIs: 40, SGRules: 100}},
		{"default rule count", Config{Seed: 7, VPCs: 3, ENIs: 90, SGRules: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			stats, err := GenerateStats(dir, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			p := parseTree(t, dir)
			wantRules := tc.cfg.SGRules
			if wantRules < 0 {
				wantRules = 2 * tc.cfg.ENIs
			}
			checks := []struct {
				what      string
				got, want int
			}{
				{"VPCs", len(p.items["Vpcs"]), tc.cfg.VPCs},
				{"network interfaces", len(p.items["NetworkInterfaces"]), tc.cfg.ENIs},
				{"security group rules", p.sgRules(), wantRules},
				{"stats: interfaces", stats["NetworkInterfaces"], tc.cfg.ENIs},
				{"stats: rules", stats["SecurityGroupRules"], wantRules},
				{"stats: instances", stats["Instances"], len(p.instances())},
				{"VPC attribute records", len(p.items["VpcAttributes.json"]), tc.cfg.VPCs},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
				}
			}
			for key, items := range p.items {
				if stats[key] != len(items) {
					t.Errorf("stats[%s] = %d, files hold %d", key, stats[key], len(items))
				}
			}
		})
	}
}

var awsID = regexp.MustCompile(`^(vpc|subnet|sg|eni|igw|nat|pcx|tgw|tgw-attach|tgw-rtb|rtb|acl|i|pl|dopt|eipalloc)-[0-9a-f]{17}$`)

// definers name, per kind, the field that holds an item's own identifier.
var definers = map[string]string{
	"Vpcs": "VpcId", "Subnets": "SubnetId", "SecurityGroups": "GroupId", "NetworkInterfaces": "NetworkInterfaceId",
	"InternetGateways": "InternetGatewayId", "NatGateways": "NatGatewayId", "VpcPeeringConnections": "VpcPeeringConnectionId",
	"TransitGateways": "TransitGatewayId", "TransitGatewayAttachments": "TransitGatewayAttachmentId",
	"TransitGatewayRouteTables": "TransitGatewayRouteTableId", "RouteTables": "RouteTableId", "NetworkAcls": "NetworkAclId",
	"PrefixLists": "PrefixListId", "DhcpOptions": "DhcpOptionsId", "Addresses": "AllocationId",
	"LoadBalancers": "LoadBalancerArn", "TargetGroups": "TargetGroupArn",
}

func walkStrings(v any, fn func(key, s string), key string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkStrings(e, fn, k)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, fn, key)
		}
	case string:
		fn(key, x)
	}
}

func TestEveryReferencedIDExists(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Seed: 9, Accounts: 2, Regions: 2, VPCs: 12, ENIs: 1500, SGRules: 3000}
	if err := Generate(dir, cfg); err != nil {
		t.Fatal(err)
	}
	p := parseTree(t, dir)
	defined := map[string]bool{}
	for kind, field := range definers {
		for _, it := range p.items[kind] {
			id, _ := it[field].(string)
			if id == "" {
				t.Fatalf("%s item without %s", kind, field)
			}
			if defined[id] {
				t.Errorf("%s %s defined twice", kind, id)
			}
			defined[id] = true
		}
	}
	for _, i := range p.instances() {
		defined[i["InstanceId"].(string)] = true
	}
	refs := 0
	for kind, items := range p.items {
		for _, it := range items {
			walkStrings(it, func(key, s string) {
				isARN := strings.HasPrefix(s, "arn:aws:elasticloadbalancing:") &&
					(strings.Contains(s, ":loadbalancer/") || strings.Contains(s, ":targetgroup/"))
				if !awsID.MatchString(s) && !isARN {
					return
				}
				refs++
				if !defined[s] {
					t.Errorf("%s: %s %s is not defined", kind, key, s)
				}
			}, "")
		}
	}
	if refs < 10000 {
		t.Errorf("only %d references checked", refs)
	}
}

func TestAddressesAreUniqueAndInTheirSubnets(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, Config{Seed: 11, Accounts: 1, Regions: 2, VPCs: 6, ENIs: 900, SGRules: 100}); err != nil {
		t.Fatal(err)
	}
	p := parseTree(t, dir)
	subnets := map[string]netip.Prefix{}
	for _, s := range p.items["Subnets"] {
		subnets[s["SubnetId"].(string)] = netip.MustParsePrefix(s["CidrBlock"].(string))
	}
	private, public := map[string]bool{}, map[string]bool{}
	for _, e := range p.items["NetworkInterfaces"] {
		ip := e["PrivateIpAddress"].(string)
		if private[ip] {
			t.Errorf("private address %s used twice", ip)
		}
		private[ip] = true
		if !subnets[e["SubnetId"].(string)].Contains(netip.MustParseAddr(ip)) {
			t.Errorf("%s: %s outside its subnet", e["NetworkInterfaceId"], ip)
		}
		if a, ok := e["Association"].(map[string]any); ok {
			pub := a["PublicIp"].(string)
			if public[pub] {
				t.Errorf("public address %s used twice", pub)
			}
			public[pub] = true
		}
	}
	if len(public) == 0 {
		t.Error("no interface has a public address")
	}
}

func TestRefusesWhatCannotBeWritten(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want error
	}{
		{"no VPC", Config{VPCs: 0, ENIs: 10}, nil},
		{"negative interfaces", Config{VPCs: 1, ENIs: -1}, nil},
		{"too many regions", Config{VPCs: 1, Regions: 99}, nil},
		{"interfaces beyond the subnets", Config{VPCs: 1, ENIs: 200_000}, errCapacity},
		{"interfaces beyond the private subnets", Config{VPCs: 1, ENIs: 45_000}, errCapacity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			err := Generate(dir, tc.cfg)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "aws_configs")); err == nil {
				t.Error("a partial organisation was left behind")
			}
		})
	}
	dir := t.TempDir()
	if err := Generate(dir, Config{VPCs: 1, ENIs: 5}); err != nil {
		t.Fatal(err)
	}
	if err := Generate(dir, Config{VPCs: 1, ENIs: 5}); err == nil {
		t.Error("generating over an earlier organisation: no error")
	}
}

func TestSampleNamesWhatWasWritten(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Seed: 13, Accounts: 2, Regions: 1, VPCs: 4, ENIs: 200, SGRules: 300}
	if err := Generate(dir, cfg); err != nil {
		t.Fatal(err)
	}
	s, err := SampleOf(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s.PublicInstance == "" || s.PrivateInstance == "" || s.PrivateName == "" {
		t.Fatalf("incomplete sample: %+v", s)
	}
	p := parseTree(t, dir)
	found := 0
	for _, i := range p.instances() {
		switch i["InstanceId"] {
		case s.PublicInstance:
			found++
			if i["PublicIpAddress"] != s.PublicAddress || i["PrivateIpAddress"] != s.PublicInstanceIP {
				t.Errorf("public instance: %v / %v, sample says %s / %s", i["PublicIpAddress"], i["PrivateIpAddress"], s.PublicAddress, s.PublicInstanceIP)
			}
		case s.PrivateInstance:
			found++
			if i["PrivateIpAddress"] != s.PrivateInstanceIP || i["PublicIpAddress"] != nil {
				t.Errorf("private instance: %v / %v", i["PrivateIpAddress"], i["PublicIpAddress"])
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of the 2 sample instances", found)
	}
	resolved := false
	for _, z := range p.items["HostedZones.json"] {
		for _, r := range z["ResourceRecordSets"].([]any) {
			rec := r.(map[string]any)
			if rec["Name"] == s.PrivateName {
				v := rec["ResourceRecords"].([]any)[0].(map[string]any)["Value"]
				resolved = v == s.PrivateInstanceIP
			}
		}
	}
	if !resolved {
		t.Errorf("%s does not resolve to %s", s.PrivateName, s.PrivateInstanceIP)
	}
}
