package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// repoRoot is the repository root, seen from this package.
const repoRoot = "../.."

// goSources returns every Go file of the repository (tests included: a
// code a test expects is a code the program prints).
func goSources(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != filepath.Join(repoRoot, dir) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files[path] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// docHeadings returns the "### X" headings of a document in docs/.
func docHeadings(t *testing.T, name string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	hs := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "### ") {
			hs[strings.TrimSpace(strings.TrimPrefix(l, "### "))] = true
		}
	}
	return hs
}

// missing lists the wanted keys a document lacks, with one file using each.
func missing(want map[string]string, have map[string]bool) []string {
	var out []string
	for k, where := range want {
		if !have[k] {
			out = append(out, k+" (used in "+where+")")
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryRuleCodeIsExplained: every (R1.8)-style code the sources cite
// has its entry in docs/aws-behaviour.md.
func TestEveryRuleCodeIsExplained(t *testing.T) {
	code := regexp.MustCompile(`\bR[0-9]+\.[0-9]+\b`)
	want := map[string]string{}
	for path, src := range goSources(t, ".") {
		for _, c := range code.FindAllString(src, -1) {
			want[c] = path
		}
	}
	if len(want) < 40 {
		t.Fatalf("found only %d rule codes: is the scan broken?", len(want))
	}
	if m := missing(want, docHeadings(t, "aws-behaviour.md")); len(m) > 0 {
		t.Errorf("docs/aws-behaviour.md has no entry for:\n  %s", strings.Join(m, "\n  "))
	}
}

// TestEveryExplanationCodeIsExplained: every explanation code the engine
// can put in blockedBy.code has its entry in docs/aws-behaviour.md.
func TestEveryExplanationCodeIsExplained(t *testing.T) {
	lit := regexp.MustCompile(`(?:\bCode\w*\s*=|\bCode:|\bcode\s*=)\s*"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"`)
	want := map[string]string{}
	for path, src := range goSources(t, "internal/reach") {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		for _, m := range lit.FindAllStringSubmatch(src, -1) {
			want[m[1]] = path
		}
	}
	for _, c := range []string{"NO_ROUTE_TO_DESTINATION", "ENI_SG_RULES_MISMATCH", "CVPN_AUTHORIZATION_RULE_MISMATCH"} {
		if want[c] == "" {
			t.Fatalf("the scan did not find %s: is it broken?", c)
		}
	}
	if m := missing(want, docHeadings(t, "aws-behaviour.md")); len(m) > 0 {
		t.Errorf("docs/aws-behaviour.md has no entry for:\n  %s", strings.Join(m, "\n  "))
	}
}

// TestDocumentLinksResolve: every relative link and every docs/… or
// examples/… path the README and docs/ name exists in the repository.
func TestDocumentLinksResolve(t *testing.T) {
	docs, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	docs = append(docs, filepath.Join(repoRoot, "README.md"), filepath.Join(repoRoot, "examples", "two-tier", "README.md"))
	link := regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)
	named := regexp.MustCompile("(?:^|[\\s`(])((?:docs|examples|scripts|internal|cmd)/[A-Za-z0-9_./-]*[A-Za-z0-9_])")
	bare := regexp.MustCompile("(?:^|[\\s(`])([A-Za-z][A-Za-z0-9-]*\\.md)\\b")
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		check := func(target, base string) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.ContainsAny(target, "*<>{}…") {
				return
			}
			if _, err := os.Stat(filepath.Join(base, target)); err != nil {
				t.Errorf("%s names %s, which does not exist", doc, target)
			}
		}
		for _, m := range link.FindAllStringSubmatch(text, -1) {
			check(m[1], filepath.Dir(doc))
		}
		for _, m := range named.FindAllStringSubmatch(text, -1) {
			check(m[1], repoRoot)
		}
		for _, m := range bare.FindAllStringSubmatch(text, -1) {
			if _, err := os.Stat(filepath.Join(repoRoot, "docs", m[1])); err != nil {
				if _, err := os.Stat(filepath.Join(filepath.Dir(doc), m[1])); err != nil && m[1] != "README.md" {
					t.Errorf("%s names %s, which is neither in docs/ nor beside it", doc, m[1])
				}
			}
		}
	}
}

// TestCLIReferenceNamesEveryCommandAndFlag keeps docs/cli.md up with the
// commands: every command and every one of its flags is named there.
func TestCLIReferenceNamesEveryCommandAndFlag(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	root := newRootCmd(io.Discard, io.Discard)
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if !strings.Contains(doc, "### "+c.Name()) {
			t.Errorf("docs/cli.md has no section for %s", c.Name())
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" || f.Hidden {
				return
			}
			if !strings.Contains(doc, "--"+f.Name) {
				t.Errorf("docs/cli.md does not name %s --%s", c.Name(), f.Name)
			}
		})
	}
}

// jsonKeys collects the object keys of a JSON document, leaving out the
// keys of maps keyed by data (types, IDs).
func jsonKeys(v any, keys map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			keys[k] = true
			switch k {
			case "counts", "notModelled", "names":
				continue
			}
			jsonKeys(e, keys)
		}
	case []any:
		for _, e := range x {
			jsonKeys(e, keys)
		}
	}
}

// TestJSONOutputIsDocumented: every command's JSON starts with
// schemaVersion 1, and every field it writes is named in docs/json.md.
func TestJSONOutputIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "json.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	cvpn := filepath.Join("testdata", "clientvpn", "fulltunnel")
	for _, args := range [][]string{
		{"inventory", exposureTwoTier},
		{"exposure", exposureTwoTier},
		{"exposure", cvpn},
		{"diff", exposureTwoTier, twoTierRDP},
		{"diff", exposureTwoTier, twoTierTight},
		{"path", exposureTwoTier, "--from", "internet", "--to", "app", "--port", "22"},
		{"path", exposureTwoTier, "--from", "internet", "--to", "bastion"},
		{"path", exposureTwoTier, "--from", "internet", "--to", "bastion", "--port", "22"},
		{"dns", exposureTwoTier, "--from", "app", "ip-10-0-1-10.ec2.internal"},
		{"lint", exposureTwoTier},
		{"lint", "--list-rules"},
		{"diagram", exposureTwoTier},
		{"diagram", cvpn},
		{"report", exposureTwoTier, "--out", filepath.Join(t.TempDir(), "report.html")},
	} {
		code, out, errs := runCLI(t, append(args, "--format", "json")...)
		if code != exitOK {
			t.Errorf("%v: exit %d: %s", args, code, errs)
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		if v["schemaVersion"] != float64(1) {
			t.Errorf("%v: schemaVersion %v, want 1", args, v["schemaVersion"])
		}
		keys := map[string]bool{}
		jsonKeys(v, keys)
		for k := range keys {
			if !strings.Contains(doc, "`"+k+"`") && !strings.Contains(doc, `"`+k+`"`) {
				t.Errorf("%v writes %q, which docs/json.md does not describe", args, k)
			}
		}
	}
}
