package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/source"
)

// Verdicts are monotone in evidence: removing one file of a snapshot may
// turn an answer into possibly-reachable, never into unreachable, and
// never makes a finding disappear. Each snapshot is read whole, then once
// without each of its files in turn, and the exposure and a set of paths
// are compared.
func TestRemovingAFileNeverTurnsAnAnswerIntoNo(t *testing.T) {
	snaps := []string{filepath.Join("..", "..", "examples", "two-tier")}
	for _, d := range []string{"path/shop", "lint/private-ssh", "dns/seed003", "clientvpn/splittunnel", "clientvpn/fulltunnel"} {
		snaps = append(snaps, filepath.Join("testdata", d))
	}
	if c := corpustest.Find("describe"); c != "" {
		entries, _ := os.ReadDir(filepath.Join(c, "batfish"))
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(c, "batfish", e.Name(), "aws_configs")); err == nil {
				snaps = append(snaps, filepath.Join(c, "batfish", e.Name()))
			}
		}
		snaps = append(snaps, filepath.Join(c, "pybatfish", "docs", "networks", "hybrid-cloud"),
			filepath.Join(c, "cloudmapper", "account-data"))
	}
	for _, snap := range snaps {
		t.Run(filepath.Base(snap), func(t *testing.T) {
			full := evidenceOf(t, snap, "")
			if full == nil {
				t.Fatalf("%s: cannot be read", snap)
			}
			for _, f := range snapshotFiles(t, snap) {
				less := evidenceOf(t, snap, f)
				if less == nil {
					continue // the rest is not a snapshot on its own: an error, not an answer
				}
				for _, v := range full.violations(less) {
					t.Errorf("without %s: %s", f, v)
				}
			}
		})
	}
}

// evidence is what the property compares: the (resource, protocol, port)
// points exposure reports, and the verdicts of some paths.
type evidence struct {
	exposed map[string][]span // by resource
	paths   map[string]reach.Verdict
	net     *model.Network
}

// span is one finding's protocol and ports.
type span struct {
	proto    string
	from, to uint16
	verdict  reach.Verdict
}

// covers reports whether some span holds proto/port.
func covers(ss []span, proto string, port uint16) bool {
	for _, s := range ss {
		if (s.proto == proto || s.proto == "all") && s.from <= port && port <= s.to {
			return true
		}
	}
	return false
}

func (full *evidence) violations(less *evidence) []string {
	var out []string
	for res, ss := range full.exposed {
		if _, ok := less.net.Lookup(res); !ok {
			// Nothing left says the resource exists: the file removed was
			// the only one to name it.
			continue
		}
		for _, s := range ss {
			protos := []string{s.proto}
			if s.proto == "all" {
				// Less evidence may split all protocols into rows.
				protos = []string{"tcp", "udp"}
			}
			for _, proto := range protos {
				for _, port := range []uint16{s.from, s.to} {
					if !covers(less.exposed[res], proto, port) {
						out = append(out, fmt.Sprintf("exposure of %s %s/%d (%s) is gone", res, proto, port, s.verdict))
					}
				}
			}
		}
	}
	for k, v := range full.paths {
		if got, ok := less.paths[k]; ok && v != reach.Unreachable && got == reach.Unreachable {
			out = append(out, fmt.Sprintf("path %s: %s became unreachable", k, v))
		}
	}
	sort.Strings(out)
	return out
}

// snapshotFiles lists a snapshot's JSON files relative to its root.
func snapshotFiles(t *testing.T, root string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// evidenceOf reads the snapshot at root without the file skip (relative
// to root; "" skips none) and computes its evidence; nil when what is left
// cannot be read.
func evidenceOf(t *testing.T, root, skip string) *evidence {
	t.Helper()
	dir := root
	if skip != "" {
		dir = filepath.Join(t.TempDir(), "snap")
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dir, rel), 0o755)
			}
			if rel == skip {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := source.Load(context.Background(), []string{dir}, source.Options{})
	if err != nil {
		return nil
	}
	e := reach.New(n)
	ev := &evidence{exposed: map[string][]span{}, paths: map[string]reach.Verdict{}, net: n}
	res := e.Exposure(context.Background(), reach.ExposureOptions{})
	for _, f := range res.Findings {
		ports := f.Ports
		if f.Protocol != "tcp" && f.Protocol != "udp" {
			ports = model.AllPorts
		}
		ev.exposed[f.Resource.ID] = append(ev.exposed[f.Resource.ID], span{f.Protocol, ports.From, ports.To, f.Verdict})
	}
	// Paths from the internet and between instances on a few ports.
	var insts []*model.Instance
	for _, in := range n.Instances.All() {
		insts = append(insts, in)
	}
	if len(insts) > 6 {
		insts = insts[:6]
	}
	for _, to := range insts {
		for _, port := range []uint16{22, 443} {
			froms := []string{"internet"}
			for _, from := range insts {
				if from != to {
					froms = append(froms, from.ID)
				}
			}
			for _, from := range froms {
				src, err1 := e.Resolve(from)
				dst, err2 := e.Resolve(to.ID)
				if err1 != nil || err2 != nil {
					continue
				}
				r := e.Flow(context.Background(), reach.Query{From: src, To: dst, Protocol: model.ProtoTCP, DstPort: port})
				ev.paths[fmt.Sprintf("%s->%s tcp/%d", from, to.ID, port)] = r.Verdict
			}
		}
	}
	return ev
}
