package snapshot

import (
	"encoding/json"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// corpusDir returns ../shared/corpus/describe beside the repository, or
// skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	return corpustest.Dir(t, "describe")
}

// corpusSnapshots lists the snapshot folders to check: every Batfish
// folder holding aws_configs, and the pybatfish hybrid-cloud network.
func corpusSnapshots(t *testing.T) []string {
	c := corpusDir(t)
	var out []string
	entries, err := os.ReadDir(filepath.Join(c, "batfish"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(c, "batfish", e.Name(), "aws_configs")); err == nil {
			out = append(out, filepath.Join(c, "batfish", e.Name()))
		}
	}
	out = append(out, filepath.Join(c, "pybatfish", "docs", "networks", "hybrid-cloud"))
	if len(out) < 20 {
		t.Fatalf("only %d corpus snapshots found", len(out))
	}
	return out
}

// idKeys says, for each top-level key of API output, the model type its
// elements become and the field holding their ID.
var idKeys = map[string][2]string{
	"Vpcs":                             {model.TypeVPC, "VpcId"},
	"Subnets":                          {model.TypeSubnet, "SubnetId"},
	"DhcpOptions":                      {model.TypeDHCPOptions, "DhcpOptionsId"},
	"RouteTables":                      {model.TypeRouteTable, "RouteTableId"},
	"SecurityGroups":                   {model.TypeSecurityGroup, "GroupId"},
	"NetworkAcls":                      {model.TypeNetworkACL, "NetworkAclId"},
	"NetworkInterfaces":                {model.TypeNetworkInterface, "NetworkInterfaceId"},
	"InternetGateways":                 {model.TypeInternetGateway, "InternetGatewayId"},
	"EgressOnlyInternetGateways":       {model.TypeEgressOnlyIGW, "EgressOnlyInternetGatewayId"},
	"NatGateways":                      {model.TypeNATGateway, "NatGatewayId"},
	"Addresses":                        {model.TypeEIP, "AllocationId"},
	"VpcPeeringConnections":            {model.TypePeering, "VpcPeeringConnectionId"},
	"TransitGateways":                  {model.TypeTransitGateway, "TransitGatewayId"},
	"TransitGatewayAttachments":        {model.TypeTGWAttachment, "TransitGatewayAttachmentId"},
	"TransitGatewayVpcAttachments":     {model.TypeTGWAttachment, "TransitGatewayAttachmentId"},
	"TransitGatewayRouteTables":        {model.TypeTGWRouteTable, "TransitGatewayRouteTableId"},
	"VpnGateways":                      {model.TypeVPNGateway, "VpnGatewayId"},
	"VpnConnections":                   {model.TypeVPNConnection, "VpnConnectionId"},
	"CustomerGateways":                 {model.TypeCustomerGateway, "CustomerGatewayId"},
	"DirectConnectGateways":            {model.TypeDirectConnectGateway, "DirectConnectGatewayId"},
	"VirtualInterfaces":                {model.TypeVirtualInterface, "VirtualInterfaceId"},
	"VpcEndpoints":                     {model.TypeVPCEndpoint, "VpcEndpointId"},
	"PrefixLists":                      {model.TypePrefixList, "PrefixListId"},
	"LoadBalancers":                    {model.TypeLoadBalancerV2, "LoadBalancerArn"},
	"TargetGroups":                     {model.TypeTargetGroup, "TargetGroupArn"},
	"TransitGatewayPeeringAttachments": {model.TypeTGWAttachment, "TransitGatewayAttachmentId"},
}

// countIDs counts the distinct IDs per model type in a snapshot folder,
// reading the JSON files independently of the reader.
func countIDs(t *testing.T, root string) map[string]int {
	ids := map[string]map[string]bool{}
	add := func(typ, id string) {
		if id == "" {
			return
		}
		if ids[typ] == nil {
			ids[typ] = map[string]bool{}
		}
		ids[typ][id] = true
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for key, raw := range top {
			var items []map[string]any
			if json.Unmarshal(raw, &items) != nil {
				continue
			}
			if key == "Reservations" {
				for _, res := range items {
					insts, _ := res["Instances"].([]any)
					for _, in := range insts {
						m, _ := in.(map[string]any)
						if st, _ := m["State"].(map[string]any); st["Name"] == "terminated" {
							continue // gone: the reader leaves it out
						}
						id, _ := m["InstanceId"].(string)
						add(model.TypeInstance, id)
						enis, _ := m["NetworkInterfaces"].([]any)
						for _, e := range enis {
							em, _ := e.(map[string]any)
							eid, _ := em["NetworkInterfaceId"].(string)
							add(model.TypeNetworkInterface, eid)
						}
					}
				}
				continue
			}
			k, ok := idKeys[key]
			if !ok {
				continue
			}
			for _, it := range items {
				id, _ := it[k[1]].(string)
				add(k[0], id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for typ, set := range ids {
		out[typ] = len(set)
	}
	return out
}

// TestCorpusSnapshots reads every Batfish and pybatfish snapshot of the
// corpus and checks that the counts equal what the JSON files hold.
func TestCorpusSnapshots(t *testing.T) {
	for _, dir := range corpusSnapshots(t) {
		name := strings.TrimPrefix(dir, filepath.Dir(filepath.Dir(dir))+string(filepath.Separator))
		t.Run(name, func(t *testing.T) {
			n := &model.Network{}
			if err := Read(dir, n); err != nil {
				t.Fatalf("Read: %v", err)
			}
			n.Finalize()
			got := n.Counts()
			want := countIDs(t, dir)
			types := map[string]bool{}
			for k := range want {
				types[k] = true
			}
			for _, k := range idKeys {
				types[k[0]] = true
			}
			types[model.TypeInstance] = true
			var keys []string
			for k := range types {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, typ := range keys {
				if got[typ] != want[typ] {
					t.Errorf("%s: read %d, the files hold %d", typ, got[typ], want[typ])
				}
			}
			if len(got) == 0 {
				t.Error("nothing read")
			}
			for _, w := range n.Warnings {
				if w.Code == "unknown-key" {
					t.Errorf("unexpected warning: %v", w)
				}
			}
		})
	}
}

// TestCorpusOtherSnapshots reads CloudMapper's demo account and
// cloud-custodian's placebo recordings: no error, something read.
func TestCorpusOtherSnapshots(t *testing.T) {
	c := corpusDir(t)
	for _, dir := range []string{filepath.Join(c, "cloudmapper", "account-data"), filepath.Join(c, "cloud-custodian")} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			n := &model.Network{}
			if err := Read(dir, n); err != nil {
				t.Fatalf("Read: %v", err)
			}
			if n.VPCs.Len() == 0 || n.SecurityGroups.Len() == 0 {
				t.Errorf("counts = %v", n.Counts())
			}
		})
	}
}

// TestCorpusMultiAccountScopes checks that accounts and regions come from
// Batfish's accounts/<id>/<region> folders.
func TestCorpusMultiAccountScopes(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "batfish", "test-multi-account")
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatal(err)
	}
	got := n.Scopes()
	want := []model.Scope{{Account: "111", Region: "us-west-1"}, {Account: "222", Region: "us-west-2"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("scopes = %v, want %v", got, want)
	}
}

// TestCorpusTGWPeeringAssociations checks that both sides of a transit
// gateway peering attachment keep their route table association.
func TestCorpusTGWPeeringAssociations(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "batfish", "test-transit-gateway-peering")
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatal(err)
	}
	for _, rt := range []string{"tgw-rtb-05d2952671d1f460a", "tgw-rtb-00be87593fb2cd0ae"} {
		got, ok := n.TGWRouteTables.Get(rt)
		if !ok || !slices.Contains(got.AssociationIDs, "tgw-attach-012e5d602f859dd80") {
			t.Errorf("%s associations = %v", rt, got)
		}
	}
}
