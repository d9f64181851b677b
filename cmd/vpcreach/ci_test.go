package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/vpcreach/vpcreach/internal/sarifcheck"
)

// asMainEnv makes the test binary behave as vpcreach itself, so the shell
// of docs/ci.md runs the command line under test without a build.
const asMainEnv = "VPCREACH_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// ciCommand matches the vpcreach command lines the test runs.
var ciCommand = regexp.MustCompile(`\bvpcreach (check|exposure|lint|diff)\b`)

// ciBlock returns the n-th ```yaml block of docs/ci.md.
func ciBlock(t *testing.T, n int) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(b), "```yaml\n")
	if len(parts) <= n+1 {
		t.Fatalf("docs/ci.md has %d yaml blocks", len(parts)-1)
	}
	return []byte(strings.SplitN(parts[n+1], "```", 2)[0])
}

// ciShell runs one step's shell from the repository root with vpcreach
// on PATH (this test binary), as a runner would (bash -e).
func ciShell(t *testing.T, script string, env map[string]string) (int, string) {
	t.Helper()
	bin := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "vpcreach")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

func hasCommand(name string) bool {
	for _, c := range newRootCmd(nil, nil).Commands() {
		if c.Name() == name {
			return true
		}
	}
	return false
}

// TestGitHubWorkflowRunsOnTheExamples runs the shell of every step of the
// documented workflow that calls check, exposure, lint or diff, on the
// examples: with the passing policy every step succeeds; with the failing
// one the SARIF steps still succeed (so the alerts are uploaded) and the
// gate fails. Every SARIF file written must be one GitHub ingests.
func TestGitHubWorkflowRunsOnTheExamples(t *testing.T) {
	var wf struct {
		Env  map[string]string `yaml:"env"`
		Jobs map[string]struct {
			Steps []struct {
				Name string            `yaml:"name"`
				Run  string            `yaml:"run"`
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(ciBlock(t, 0), &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v", err)
	}
	job, ok := wf.Jobs["vpcreach"]
	if !ok || len(job.Steps) == 0 {
		t.Fatal("no vpcreach job")
	}
	uploads := map[string]bool{}
	for _, s := range job.Steps {
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads[s.With["sarif_file"]] = true
		}
	}
	for _, tc := range []struct {
		policy string
		gate   int
	}{
		{"examples/policies/two-tier.yaml", exitOK},
		{"examples/policies/two-tier-fails.yaml", exitGate},
	} {
		t.Run(filepath.Base(tc.policy), func(t *testing.T) {
			tmp := t.TempDir()
			env := map[string]string{"RUNNER_TEMP": tmp, "GITHUB_OUTPUT": filepath.Join(tmp, "out"), "GITHUB_ENV": filepath.Join(tmp, "env"),
				"BASE": mustAbs(t, repoRoot)}
			for k, v := range wf.Env {
				env[k] = v
			}
			env["POLICY"] = tc.policy
			ran := map[string]bool{}
			for _, s := range job.Steps {
				m := ciCommand.FindStringSubmatch(s.Run)
				if m == nil {
					continue
				}
				if m[1] == "diff" && !hasCommand("diff") {
					t.Logf("%s: skipped, diff is not a command of this build", s.Name)
					continue
				}
				// Write the SARIF into the temporary folder, not the checkout.
				script := regexp.MustCompile(`> (\w+\.sarif)`).ReplaceAllString(s.Run, "> "+tmp+"/$1")
				code, out := ciShell(t, script, env)
				want := exitOK
				if !strings.Contains(s.Run, "--format sarif") && strings.Contains(s.Run, "vpcreach check") {
					want = tc.gate
				}
				if code != want {
					t.Errorf("step %q: exit %d, want %d:\n%s", s.Name, code, want, out)
				}
				ran[m[1]] = true
			}
			for _, c := range []string{"check", "exposure", "lint"} {
				if !ran[c] {
					t.Errorf("no step runs %s", c)
				}
			}
			for f := range uploads {
				data, err := os.ReadFile(filepath.Join(tmp, f))
				if err != nil {
					t.Errorf("upload of %s: %v", f, err)
					continue
				}
				if err := sarifcheck.Validate(data); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
			if len(uploads) != 3 {
				t.Errorf("uploads %v, want exposure, lint and check", uploads)
			}
		})
	}
}

// TestGitLabJobRunsOnTheExamples runs the documented job's script lines
// that call check, exposure, lint or diff.
func TestGitLabJobRunsOnTheExamples(t *testing.T) {
	var jobs map[string]struct {
		Variables map[string]string `yaml:"variables"`
		Script    []string          `yaml:"script"`
	}
	if err := yaml.Unmarshal(ciBlock(t, 1), &jobs); err != nil {
		t.Fatalf("the job is not YAML: %v", err)
	}
	job := jobs["vpcreach"]
	tmp := t.TempDir()
	n := 0
	for _, line := range job.Script {
		m := ciCommand.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] == "diff" {
			if !hasCommand("diff") {
				continue
			}
			line = strings.ReplaceAll(line, "/tmp/base", mustAbs(t, repoRoot))
		}
		line = regexp.MustCompile(`> (\w+\.sarif)`).ReplaceAllString(line, "> "+tmp+"/$1")
		if code, out := ciShell(t, line, job.Variables); code != exitOK {
			t.Errorf("%q: exit %d:\n%s", line, code, out)
		}
		n++
	}
	if n < 4 {
		t.Errorf("ran %d lines", n)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
