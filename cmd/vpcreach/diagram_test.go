package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// diagramSources are networks of every shape the tests hold: the example,
// Client VPN, Terraform plans, Network Firewalls, templates with load balancers and
// endpoints, a generated organisation.
func diagramSources(t *testing.T) []string {
	t.Helper()
	srcs := []string{
		exposureTwoTier,
		filepath.Join("testdata", "clientvpn", "fulltunnel"),
		filepath.Join("testdata", "diff", "two-tier-rdp"),
		filepath.Join(repoRoot, "examples", "terraform", "plan.json"),
		filepath.Join(repoRoot, "examples", "network-firewall"),
		filepath.Join(repoRoot, "internal", "source", "terraform", "testdata", "netfirewall.json"),
		filepath.Join("testdata", "diff", "web.yaml"),
		filepath.Join("testdata", "coverage", "asg-imported-subnets.yaml"),
	}
	org := filepath.Join(t.TempDir(), "org")
	if code, _, errs := runCLI(t, "generate", "--out", org, "--enis", "300", "--vpcs", "6", "--seed", "3"); code != exitOK {
		t.Fatalf("generate: %s", errs)
	}
	srcs = append(srcs, org)
	// Real snapshots written by other tools, when the corpus is beside the repository.
	for _, d := range []string{"test-load-balancer", "test-direct-connect-gateway", "hybrid-cloud-aws", "test-multi-account"} {
		p := filepath.Join(repoRoot, "..", "shared", "corpus", "describe", "batfish", d)
		if _, err := os.Stat(p); err == nil {
			srcs = append(srcs, p)
		}
	}
	return srcs
}

// dotChecks runs Graphviz on a DOT document: it must render, with
// nothing on stderr (no warning about a cluster, an edge or a label).
func dotChecks(t *testing.T, name, doc string) {
	t.Helper()
	dot, err := exec.LookPath("dot")
	if err != nil {
		return
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(doc)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || errb.Len() > 0 {
		t.Errorf("%s: dot -Tsvg: %v\n%s", name, err, errb.String())
		return
	}
	if !bytes.Contains(out.Bytes(), []byte("<svg")) {
		t.Errorf("%s: dot wrote no SVG", name)
	}
}

var (
	mermaidNode    = regexp.MustCompile(`^(\w+)(\["|\(\["|\{\{")([^"]*)("\]|"\]\)|"\}\})$`)
	mermaidSub     = regexp.MustCompile(`^subgraph (\w+)\["([^"]*)"\]$`)
	mermaidEdge    = regexp.MustCompile(`^(\w+) (-->|---|-\.->)(?:\|"?([^"|]*)"?\|)? (\w+)$`)
	mermaidClassDf = regexp.MustCompile(`^classDef (\w+) [\w#:,.-]+$`)
	mermaidClass   = regexp.MustCompile(`^class ([\w,]+) (\w+)$`)
	mermaidLink    = regexp.MustCompile(`^linkStyle (\d+) [\w#:,.-]+$`)
)

// mermaidChecks reads a Mermaid flowchart line by line as Mermaid's
// grammar would: every line is a node, a subgraph, its end, an edge
// between defined nodes or subgraphs, or a class; subgraphs balance, IDs
// are defined once, labels hold no raw quote.
func mermaidChecks(t *testing.T, name, doc string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "flowchart LR" {
		t.Errorf("%s: does not start with flowchart LR", name)
		return
	}
	defined := map[string]bool{}
	classes := map[string]bool{}
	depth, edges := 0, 0
	var uses [][2]string
	define := func(i int, id string) {
		if defined[id] {
			t.Errorf("%s:%d: %s defined twice", name, i+1, id)
		}
		defined[id] = true
	}
	for i, raw := range lines[1:] {
		i++
		l := strings.TrimSpace(raw)
		switch {
		case l == "end":
			depth--
			if depth < 0 {
				t.Errorf("%s:%d: end without subgraph", name, i+1)
			}
		case l == "direction LR":
		case mermaidSub.MatchString(l):
			define(i, mermaidSub.FindStringSubmatch(l)[1])
			depth++
		case mermaidNode.MatchString(l):
			define(i, mermaidNode.FindStringSubmatch(l)[1])
		case mermaidEdge.MatchString(l):
			m := mermaidEdge.FindStringSubmatch(l)
			uses = append(uses, [2]string{m[1], fmt.Sprint(i + 1)}, [2]string{m[4], fmt.Sprint(i + 1)})
			edges++
		case mermaidClassDf.MatchString(l):
			classes[mermaidClassDf.FindStringSubmatch(l)[1]] = true
		case mermaidClass.MatchString(l):
			m := mermaidClass.FindStringSubmatch(l)
			for _, id := range strings.Split(m[1], ",") {
				uses = append(uses, [2]string{id, fmt.Sprint(i + 1)})
			}
			if !classes[m[2]] {
				t.Errorf("%s:%d: class %s not defined before", name, i+1, m[2])
			}
		case mermaidLink.MatchString(l):
			var n int
			fmt.Sscan(mermaidLink.FindStringSubmatch(l)[1], &n)
			if n >= edges {
				t.Errorf("%s:%d: linkStyle %d of %d edges", name, i+1, n, edges)
			}
		default:
			t.Errorf("%s:%d: not Mermaid flowchart syntax: %q", name, i+1, l)
		}
	}
	if depth != 0 {
		t.Errorf("%s: %d subgraph(s) not closed", name, depth)
	}
	for _, u := range uses {
		if !defined[u[0]] {
			t.Errorf("%s:%s: %s is not defined", name, u[1], u[0])
		}
	}
}

// TestDiagramRendersWithGraphviz draws every test network in both formats:
// Graphviz renders the DOT without a warning, the Mermaid reads as a
// flowchart, and the JSON holds every VPC and subnet of the network.
func TestDiagramRendersWithGraphviz(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		t.Log("Graphviz dot is not installed: the DOT is checked for shape only")
	}
	for _, src := range diagramSources(t) {
		for _, collapse := range []string{"4", "-1"} {
			name := filepath.Base(src) + "/collapse=" + collapse
			code, out, errs := runCLI(t, "diagram", src, "--collapse", collapse)
			if code != exitOK {
				t.Errorf("%s: exit %d: %s", name, code, errs)
				continue
			}
			if !strings.HasPrefix(out, "digraph vpcreach {") {
				t.Errorf("%s: not a DOT digraph:\n%.200s", name, out)
			}
			dotChecks(t, name+".dot", out)
			code, out, errs = runCLI(t, "diagram", src, "--collapse", collapse, "--format", "mermaid")
			if code != exitOK {
				t.Errorf("%s mermaid: exit %d: %s", name, code, errs)
				continue
			}
			mermaidChecks(t, name+".mmd", out)
		}
		code, out, errs := runCLI(t, "diagram", src, "--format", "json")
		if code != exitOK {
			t.Errorf("%s json: exit %d: %s", src, code, errs)
			continue
		}
		var d struct {
			Nodes []struct{ ID, Kind, Parent string }
		}
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		_, inv, _ := runCLI(t, "inventory", src, "--format", "json")
		var counts struct {
			Counts map[string]int `json:"counts"`
		}
		json.Unmarshal([]byte(inv), &counts)
		kinds := map[string]int{}
		for _, n := range d.Nodes {
			kinds[n.Kind]++
		}
		if counts.Counts != nil && (kinds["vpc"] < counts.Counts["AWS::EC2::VPC"] || kinds["subnet"] < counts.Counts["AWS::EC2::Subnet"]) {
			t.Errorf("%s: drew %d VPCs and %d subnets of %d and %d", src, kinds["vpc"], kinds["subnet"], counts.Counts["AWS::EC2::VPC"], counts.Counts["AWS::EC2::Subnet"])
		}
	}
}

// TestDiagramOfTheExample: the example's drawing, in both formats, is what
// a reader of the README expects (golden files, refreshed by -update).
func TestDiagramOfTheExample(t *testing.T) {
	for _, f := range []string{"dot", "mermaid", "json", "text"} {
		code, out, errs := runCLI(t, "diagram", exposureTwoTier, "--format", f)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		checkGolden(t, filepath.Join("testdata", "diagram", "two-tier."+f+".golden"), []byte(out))
		for _, want := range []string{"vpc-0a10000000000000a", "two-tier", "10.0.0.0/16", "public subnet", "private subnet", "igw-0a10000000000000a", "nat-0a10000000000000a", "pcx-0ab0000000000000a", "bastion"} {
			if f == "json" && strings.HasSuffix(want, " subnet") {
				want = `"` + strings.TrimSuffix(want, " subnet") + `"`
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q", f, want)
			}
		}
	}
}

// TestDiagramCollapsesCrowdedSubnets: a subnet of many instances is one box
// with their count, in a drawing that stays small.
func TestDiagramCollapsesCrowdedSubnets(t *testing.T) {
	org := filepath.Join(t.TempDir(), "org")
	if code, _, errs := runCLI(t, "generate", "--out", org, "--enis", "2000", "--vpcs", "4", "--seed", "5"); code != exitOK {
		t.Fatal(errs)
	}
	code, out, errs := runCLI(t, "diagram", org, "--format", "json")
	if code != exitOK {
		t.Fatal(errs)
	}
	var d struct {
		Nodes []struct {
			Kind    string
			Count   int
			Members []string
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	groups, members := 0, 0
	for _, n := range d.Nodes {
		if n.Kind == "group" {
			groups++
			members += n.Count
			if n.Count <= 4 || len(n.Members) < n.Count {
				t.Errorf("a group of %d with %d members", n.Count, len(n.Members))
			}
		}
	}
	if groups == 0 || members < 1000 {
		t.Errorf("%d groups of %d resources: want the instances collapsed", groups, members)
	}
	if len(d.Nodes) > 400 {
		t.Errorf("%d boxes for 2000 interfaces", len(d.Nodes))
	}
}

// TestPathDrawn: path --format dot and mermaid draw the hops there and
// back with the rule that decided each, and the blocking component marked.
func TestPathDrawn(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"reachable", []string{"--from", "internet", "--to", "bastion", "--port", "22"},
			[]string{"forward", "return", "allow: sg-0a1000000000000a1 (web) ingress", "tcp/22 from 0.0.0.0/0", "rule 100 allow", "reply route 0.0.0.0/0", "tcp/22: reachable"}},
		{"blocked", []string{"--from", "internet", "--to", "app", "--port", "22"},
			[]string{"BLOCKED: IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "unreachable, blocked by igw-0a10000000000000a", blockedBorder()}},
		{"to-internet", []string{"--from", "app", "--to", "8.8.8.8", "--protocol", "udp", "--port", "53"}, []string{"nat-0a10000000000000a"}},
	} {
		for _, f := range []string{"dot", "mermaid"} {
			code, out, errs := runCLI(t, append([]string{"path", exposureTwoTier, "--format", f}, c.args...)...)
			if code != exitOK {
				t.Errorf("%s %s: exit %d: %s", c.name, f, code, errs)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) && !(f == "mermaid" && strings.Contains(out, strings.ReplaceAll(w, ">", "#gt;"))) {
					t.Errorf("%s %s: no %q in\n%s", c.name, f, w, out)
				}
			}
			if f == "dot" {
				dotChecks(t, c.name+".dot", out)
			} else {
				mermaidChecks(t, c.name+".mmd", out)
			}
			checkGolden(t, filepath.Join("testdata", "diagram", "path-"+c.name+"."+f+".golden"), []byte(out))
		}
	}
}

// blockedBorder is the colour the blocking component is drawn in.
func blockedBorder() string { return "#c0392b" }
