package synth

import (
	"encoding/json"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDescribe finds ../shared/corpus/describe beside the repository.
func corpusDescribe(t *testing.T) string {
	t.Helper()
	return corpustest.Dir(t, "describe")
}

// keyPaths adds the dotted key paths of v (arrays are transparent) to set.
func keyPaths(v any, prefix string, set map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := prefix + "." + k
			set[p] = true
			keyPaths(e, p, set)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix, set)
		}
	}
}

// corpusKey maps a merged file of ours to the key under which recorders
// that wrap it (Batfish) store the same objects.
var corpusKey = map[string]string{
	"LoadBalancerListeners.json":                "LoadBalancerListeners",
	"LoadBalancerTargetHealth.json":             "LoadBalancerTargetHealth",
	"TransitGatewayRoutes.json":                 "TransitGatewayStaticRoutes",
	"TransitGatewayRouteTablePropagations.json": "TransitGatewayPropagations",
}

// notInCorpus are fields AWS prints that none of the recorded snapshots
// happens to hold (newer fields, or features the recordings do not use).
var notInCorpus = map[string]bool{
	// describe-managed-prefix-lists; the corpus holds describe-prefix-lists.
	"PrefixLists": true,
	// Fields of the documented output shapes that no recording uses.
	"NatGateways.ConnectivityType":                                              true,
	"NatGateways.NatGatewayAddresses.AssociationId":                             true,
	"NatGateways.NatGatewayAddresses.IsPrimary":                                 true,
	"NatGateways.NatGatewayAddresses.Status":                                    true,
	"TransitGatewayVpcAttachments.Options.ApplianceModeSupport":                 true,
	"Addresses.NetworkBorderGroup":                                              true,
	"DhcpOptions.OwnerId":                                                       true,
	"DhcpOptions.Tags":                                                          true,
	"DhcpOptions.Tags.Key":                                                      true,
	"DhcpOptions.Tags.Value":                                                    true,
	"SecurityGroups.IpPermissions.PrefixListIds.PrefixListId":                   true,
	"SecurityGroups.IpPermissionsEgress.PrefixListIds.PrefixListId":             true,
	"LoadBalancerListeners.Listeners.Certificates":                              true,
	"LoadBalancerListeners.Listeners.Certificates.CertificateArn":               true,
	"LoadBalancerListeners.Listeners.SslPolicy":                                 true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig":             true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig.Host":        true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig.Path":        true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig.Port":        true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig.Protocol":    true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig.Query":       true,
	"LoadBalancerListeners.Listeners.DefaultActions.RedirectConfig.StatusCode":  true,
	"LoadBalancerTargetHealth.TargetHealthDescriptions.Target.AvailabilityZone": true,
}

// TestShapesMatchRealOutput checks every field name we write against the
// recorded AWS output in the corpus: a misspelt or invented field would be
// read by nothing.
func TestShapesMatchRealOutput(t *testing.T) {
	corpus := corpusDescribe(t)
	real := map[string]map[string]bool{}
	err := filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var v map[string]any
		if json.Unmarshal(data, &v) != nil {
			return nil
		}
		if inner, ok := v["data"].(map[string]any); ok {
			v = inner
		}
		for k, e := range v {
			if real[k] == nil {
				real[k] = map[string]bool{}
			}
			keyPaths(e, k, real[k])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	if err := Generate(dir, Small); err != nil {
		t.Fatal(err)
	}
	p := parseTree(t, dir)
	compared := 0
	for kind, items := range p.items {
		key := kind
		if k, ok := corpusKey[kind]; ok {
			key = k
		}
		known := real[key]
		if known == nil || notInCorpus[key] {
			continue
		}
		compared++
		ours := map[string]bool{}
		for _, it := range items {
			keyPaths(it, key, ours)
		}
		var unknown []string
		for path := range ours {
			if !known[path] && !notInCorpus[path] {
				unknown = append(unknown, path)
			}
		}
		sort.Strings(unknown)
		for _, u := range unknown {
			t.Errorf("%s: field %s appears in no recorded AWS output", kind, u)
		}
	}
	if compared < 15 {
		t.Errorf("only %d kinds compared with the corpus", compared)
	}
}
