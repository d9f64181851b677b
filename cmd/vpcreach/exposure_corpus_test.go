package main

import (
	"encoding/json"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The hybrid-cloud network of Batfish's notebook "Analyzing public and
// hybrid cloud networks" (pybatfish jupyter_notebooks): two regions, each
// with a public and a private VPC joined by a transit gateway, and IPSec
// tunnels from a datacenter to both transit gateways. The notebook finds:
//   - reachable from the internet: east2_public (i-01602d9efaed4409a) and
//     west2_public (i-02cae6eaa9edeed70); not the two private instances;
//   - reachable from the internet with TCP other than SSH: east2_public
//     only (a forgotten rule opens 3306, MySQL);
//   - reachable from the datacenter host (203.0.113.12): all four.
//
// vpcreach agrees on all three. Two differences of form, not of answer:
// the datacenter arrives through the transit gateways' VPN attachments, so
// its findings are transit-gateway findings whose sources include
// 203.0.113.0/24; and they are possibly-reachable because the routes the
// VPN attachments propagate (BGP) are not in the snapshot, which Batfish
// reads from the datacenter routers' configurations instead.
//
// One difference of answer: the notebook's last traceroute has srv-101
// (203.0.113.12) reach east2_public's public address over the internet.
// vpcreach's internet sources for that instance exclude 203.0.113.0/24:
// the subnet's route table sends 203.0.113.0/24 to the transit gateway,
// so the replies would leave through the VPN from the private address
// instead of back through the internet gateway from the public one, and
// the connection cannot open (the traceroute checks only the forward path).
func TestExposureAgreesWithBatfishOnHybridCloud(t *testing.T) {
	dir := corpustest.Dir(t, "describe/pybatfish/docs/networks/hybrid-cloud")
	code, out, errs := runCLI(t, "exposure", dir, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc exposureDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	hosts := map[string]string{
		"i-04cd3db5124a05ee6": "east2_private",
		"i-01602d9efaed4409a": "east2_public",
		"i-0a5d64b8b58c6dd09": "west2_private",
		"i-02cae6eaa9edeed70": "west2_public",
	}
	fromInternet := map[string]bool{}
	nonSSH := map[string]bool{}
	fromDC := map[string]bool{}
	for _, f := range doc.Findings {
		name, ok := hosts[f.Resource.ID]
		if !ok {
			continue
		}
		switch f.From.Kind {
		case "internet":
			fromInternet[name] = true
			if f.Protocol == "tcp" && (f.Ports.From != 22 || f.Ports.To != 22) || f.Protocol == "all" {
				nonSSH[name] = true
			}
			if f.Resource.PublicAddress == "" {
				t.Errorf("%s: internet finding without public address", name)
			}
		case "transit-gateway", "vpn-gateway":
			for _, s := range f.From.Sources {
				if s == "203.0.113.0/24" || strings.HasPrefix(s, "0.0.0.0/") {
					fromDC[name] = true
				}
			}
		}
	}
	check := func(what string, got map[string]bool, want ...string) {
		t.Helper()
		var names []string
		for n := range got {
			names = append(names, n)
		}
		sort.Strings(names)
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, Batfish says %v", what, names, want)
		}
	}
	check("reachable from the internet", fromInternet, "east2_public", "west2_public")
	check("reachable from the internet with TCP other than SSH", nonSSH, "east2_public")
	check("reachable from the datacenter", fromDC, "east2_private", "east2_public", "west2_private", "west2_public")
	for _, f := range doc.Findings {
		if f.Resource.ID == "i-01602d9efaed4409a" && f.From.Kind == "internet" {
			for _, src := range f.From.Sources {
				if src == "203.0.113.0/24" || src == "0.0.0.0/0" {
					t.Errorf("internet sources %v include the datacenter range, whose replies go to the transit gateway", f.From.Sources)
				}
			}
		}
	}
	var port3306 bool
	for _, f := range doc.Findings {
		if f.Resource.ID == "i-01602d9efaed4409a" && f.From.Kind == "internet" && f.Protocol == "tcp" && f.Ports.From <= 3306 && 3306 <= f.Ports.To {
			port3306 = f.Severity == "high"
		}
	}
	if !port3306 {
		t.Errorf("east2_public: MySQL 3306 from the internet is not a high finding")
	}
}

// Every snapshot of the shared corpus: exposure runs, every finding is
// reachable or possibly-reachable with a reason, names its path, and the
// output order is the same twice.
func TestExposureDescribeCorpus(t *testing.T) {
	root := corpustest.Dir(t, "describe")
	var dirs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "aws_configs" {
			dirs = append(dirs, filepath.Dir(p))
			return filepath.SkipDir
		}
		return nil
	})
	if len(dirs) == 0 {
		t.Skip("no snapshot in the corpus")
	}
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		t.Run(rel, func(t *testing.T) {
			code, out, errs := runCLI(t, "exposure", dir, "--format", "json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var doc exposureDoc
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Findings {
				switch {
				case f.Verdict != "reachable" && f.Verdict != "possibly-reachable":
					t.Errorf("verdict %q: %+v", f.Verdict, f)
				case f.Verdict == "possibly-reachable" && f.Reason == "":
					t.Errorf("possibly-reachable without reason: %+v", f)
				case len(f.Via) == 0 || len(f.From.Sources) == 0:
					t.Errorf("finding without path or sources: %+v", f)
				}
			}
			_, again, _ := runCLI(t, "exposure", dir, "--format", "json")
			if again != out {
				t.Errorf("two runs differ")
			}
		})
	}
}
