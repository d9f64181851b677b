package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileInputsExitTwoNamingTheProblem: inputs that are not what
// they seem end with status 2 and one line that names the real problem.
func TestHostileInputsExitTwoNamingTheProblem(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	utf16 := []byte{0xFF, 0xFE}
	for _, c := range `{"Vpcs": []}` {
		utf16 = append(utf16, byte(c), 0)
	}
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	write("a.yaml", []byte("Resources:\n  ToB:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: b.yaml}\n"))
	write("b.yaml", []byte("Resources:\n  BackToA:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: a.yaml}\n"))
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"UTF-16 snapshot", []string{"inventory", write("u16.json", utf16)}, []string{"u16.json:1: bad-encoding: the file is UTF-16LE text"}},
		{"named pipe", []string{"inventory", fifo}, []string{"pipe.json: not-a-file: a named pipe (FIFO), not a regular file"}},
		{"circular DependsOn", []string{"inventory", write("c.yaml", []byte("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: A\n"))},
			[]string{"c.yaml:4: circular-dependency: A: circular dependency between resources [A, B]"}},
		{"nested-stack loop", []string{"inventory", filepath.Join(dir, "a.yaml")},
			[]string{"b.yaml:3: bad-template: ToB/BackToA: nested stacks include each other in a loop: ", "a.yaml:3 (ToB) -> ", "b.yaml:3 (ToB/BackToA) -> "}},
		{"nested stacks above the bound", []string{"inventory", filepath.Join(dir, "a.yaml"), "--max-nested-stacks", "1"},
			[]string{"limit-exceeded", "more than 1 nested stacks", "--max-nested-stacks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tc.args...)
			if code != exitUsage || out != "" || strings.Count(errs, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
		})
	}
}
