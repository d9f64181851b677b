package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// statLine finds "  Name   N" in generate's summary.
func statLine(t *testing.T, out, name string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(name) + `\s+(\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s line in:\n%s", name, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestGenerateWritesWhatTheFlagsAsk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "org")
	code, out, errs := runCLI(t, "generate", "--out", dir, "--vpcs", "6", "--enis", "321", "--sg-rules", "777",
		"--accounts", "2", "--regions", "2", "--seed", "42")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got := statLine(t, out, "NetworkInterfaces"); got != 321 {
		t.Errorf("NetworkInterfaces = %d, want 321", got)
	}
	if got := statLine(t, out, "SecurityGroupRules"); got != 777 {
		t.Errorf("SecurityGroupRules = %d, want 777", got)
	}
	if got := statLine(t, out, "Vpcs"); got != 6 {
		t.Errorf("Vpcs = %d, want 6", got)
	}
	// What generate writes is a SOURCE like any other.
	if code, _, errs := runCLI(t, "inventory", dir); code != exitOK {
		t.Errorf("inventory of the generated organisation: exit %d: %s", code, errs)
	}
}

func TestGeneratePresetTakesExplicitFlagsOverIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "org")
	code, out, errs := runCLI(t, "generate", "--preset", "small", "--enis", "300", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got := statLine(t, out, "NetworkInterfaces"); got != 300 {
		t.Errorf("NetworkInterfaces = %d, want 300", got)
	}
	if got := statLine(t, out, "Vpcs"); got != 16 {
		t.Errorf("Vpcs = %d, want the small preset's 16", got)
	}
}

func TestGenerateRejectsBadUsage(t *testing.T) {
	tmp := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no --out", []string{"generate"}, "--out"},
		{"unknown preset", []string{"generate", "--out", filepath.Join(tmp, "a"), "--preset", "huge"}, "preset"},
		{"no VPC", []string{"generate", "--out", filepath.Join(tmp, "b"), "--vpcs", "0"}, "VPC count"},
		{"more interfaces than one VPC holds", []string{"generate", "--out", filepath.Join(tmp, "c"), "--vpcs", "1", "--enis", "100000"}, "raise the VPC count"},
		{"a SOURCE argument", []string{"generate", "--out", filepath.Join(tmp, "d"), "extra"}, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errs, tc.want) {
				t.Errorf("stderr %q does not mention %q", errs, tc.want)
			}
		})
	}
}
