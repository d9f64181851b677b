package collect

import (
	"bytes"
	"encoding/json"
	"flag"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/iam-policy.json from the operation table")

// readOnlyPrefixes are the verbs of operations that only read.
var readOnlyPrefixes = []string{"Describe", "List", "Get", "Search"}

func TestEveryTableOperationOnlyReads(t *testing.T) {
	calls := []Call{regionCall}
	for _, tk := range steps {
		if len(tk.Calls) == 0 {
			t.Errorf("step %s declares no call", tk.Name)
		}
		calls = append(calls, tk.Calls...)
	}
	for _, c := range calls {
		if !slices.ContainsFunc(readOnlyPrefixes, func(p string) bool { return strings.HasPrefix(c.Name, p) }) {
			t.Errorf("%s is not a Describe/List/Get/Search operation", c.Action())
		}
		if _, ok := serviceIAMPrefixes()[c.Service]; !ok {
			t.Errorf("%s: unknown IAM service prefix %q", c.Action(), c.Service)
		}
	}
	// The identity calls are the only others, and neither touches resources.
	for _, c := range identityCalls {
		if c.Action() != "sts:GetCallerIdentity" && c.Action() != "sts:AssumeRole" {
			t.Errorf("unexpected identity call %s", c.Action())
		}
	}
}

func serviceIAMPrefixes() map[string]bool {
	out := map[string]bool{}
	for _, p := range serviceIAM {
		out[p] = true
	}
	return out
}

func TestStepNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, tk := range steps {
		if seen[tk.Name] {
			t.Errorf("two steps named %s", tk.Name)
		}
		seen[tk.Name] = true
	}
}

// policy is the shape of docs/iam-policy.json.
type policy struct {
	Version   string
	Statement []struct {
		Sid      string
		Effect   string
		Action   []string
		Resource string
	}
}

func repoRoot(t *testing.T) string { return corpustest.RepoRoot(t) }

func renderPolicy() []byte {
	type statement struct {
		Sid      string
		Effect   string
		Action   []string
		Resource string
	}
	p := struct {
		Version   string
		Statement []statement
	}{"2012-10-17", []statement{{"VpcreachCollectReadOnly", "Allow", PolicyActions(), "*"}}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	_ = enc.Encode(p)
	return b.Bytes()
}

func TestIAMPolicyListsExactlyTheTableActions(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "iam-policy.json")
	if *update {
		if err := os.WriteFile(path, renderPolicy(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/collect -run IAMPolicy -update)", err)
	}
	var p policy
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var got []string
	for _, s := range p.Statement {
		if s.Effect != "Allow" || s.Resource != "*" {
			t.Errorf("statement %s: want Allow on *, got %s on %s", s.Sid, s.Effect, s.Resource)
		}
		got = append(got, s.Action...)
	}
	slices.Sort(got)
	want := PolicyActions()
	if !slices.Equal(got, want) {
		t.Errorf("%s lists\n  %v\nthe operation table needs\n  %v\n(run with -update)", path, got, want)
	}
	for _, a := range got {
		_, name, _ := strings.Cut(a, ":")
		if strings.Contains(a, "*") || !slices.ContainsFunc(readOnlyPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			t.Errorf("policy action %s is not a read-only action", a)
		}
	}
}
