package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/vpcreach/vpcreach/internal/collect/mototest"
)

func TestCollectRefusesBadUsage(t *testing.T) {
	mototest.Env(t)
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"without --out", []string{"collect", "--region", "ap-northeast-1"}, "needs --out"},
		{"with a SOURCE argument", []string{"collect", "--out", filepath.Join(dir, "a"), "snap"}, "unknown command"},
		{"with --region and --all-regions", []string{"collect", "--out", filepath.Join(dir, "b"), "--region", "us-east-1", "--all-regions"}, "not both"},
		{"with an unknown format", []string{"collect", "--out", filepath.Join(dir, "c"), "--format", "sarif"}, "unknown --format"},
		{"into a folder that holds files", []string{"collect", "--out", full, "--region", "ap-northeast-1"}, "not empty"},
		{"without any region", []string{"collect", "--out", filepath.Join(dir, "d")}, "no region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestCollectFromMotoThenExposureAndDNSAgree(t *testing.T) {
	url := mototest.Start(t)
	mototest.Env(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("ap-northeast-1"), config.WithBaseEndpoint(url))
	if err != nil {
		t.Fatal(err)
	}
	b := mototest.Build(ctx, t, cfg)
	out := filepath.Join(t.TempDir(), "snap")

	// moto answers HTTP 500 for Client VPN: the call fails for real, the
	// snapshot is partial. It is written, the manifest names the failure,
	// and the exit status says so to CI.
	code, stdout, stderr := runCLI(t, "collect", "--endpoint-url", url, "--region", "ap-northeast-1", "--out", out)
	if code != exitGate || !strings.Contains(stderr, "vpcreach: the snapshot in "+out+" is partial: ") || !strings.Contains(stderr, "--allow-partial accepts it") {
		t.Fatalf("collect of a partial snapshot: exit %d; want 1 saying it is partial\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "wrote "+out) || !strings.Contains(stdout, "123456789012 (ap-northeast-1)") {
		t.Errorf("collect summary: %q", stdout)
	}
	if !strings.Contains(stderr, "vpcreach: warning:") || !strings.Contains(stderr, "DescribeClientVpnEndpoints") {
		t.Errorf("no warning for Client VPN in %q", stderr)
	}
	if man, err := os.ReadFile(filepath.Join(out, "manifest.json")); err != nil || !strings.Contains(string(man), `"operation": "ec2:DescribeClientVpnEndpoints"`) {
		t.Errorf("manifest.json does not name the failed call (%v):\n%s", err, man)
	}
	// Not a terminal: plain progress lines.
	if !strings.Contains(stderr, "collect: 123456789012/ap-northeast-1:") || strings.Contains(stderr, "\x1b[") {
		t.Errorf("progress: %q", stderr)
	}

	t.Run("exposure finds the public instance and only it", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "exposure", out, "--format", "json")
		if code != exitOK {
			t.Fatalf("exposure: exit %d\n%s", code, stderr)
		}
		var rep struct {
			Findings []struct {
				Resource struct{ ID string }
				From     struct{ Kind string }
				Protocol string
				Ports    struct{ From, To int }
				Verdict  string
			}
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range rep.Findings {
			if f.Resource.ID == b.PubInstance && f.From.Kind == "internet" && f.Protocol == "tcp" && f.Ports.From <= 443 && f.Ports.To >= 443 && f.Verdict == "reachable" {
				found = true
			}
			if f.Resource.ID == b.PrivInstance && f.From.Kind == "internet" {
				t.Errorf("private instance exposed to the internet: %+v", f)
			}
		}
		if !found {
			t.Errorf("public instance %s on tcp/443 not reachable from the internet: %s", b.PubInstance, stdout)
		}
	})

	t.Run("dns answers from the private hosted zone", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "dns", out, "--from", b.PubInstance, "db.corp.internal", "--format", "json")
		if code != exitOK {
			t.Fatalf("dns: exit %d\n%s", code, stderr)
		}
		var rep struct {
			Rcode   string
			Answers []struct{ Value string }
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Rcode != "NOERROR" || len(rep.Answers) != 1 || rep.Answers[0].Value != "10.20.2.10" {
			t.Errorf("dns db.corp.internal: %s", stdout)
		}
	})

	t.Run("--allow-partial accepts a partial snapshot with a warning", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "snap")
		code, _, stderr := runCLI(t, "collect", "--endpoint-url", url, "--region", "ap-northeast-1", "--out", out, "--quiet", "--no-server-error-retry", "--allow-partial")
		if code != exitOK || !strings.Contains(stderr, "vpcreach: warning: the snapshot in "+out+" is partial: ") || !strings.Contains(stderr, "accepted under --allow-partial") {
			t.Errorf("exit %d; want 0 with a warning that the snapshot is partial\n%s", code, stderr)
		}
	})

	t.Run("a region moto does not serve gives nothing: exit 1, the rest written", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "snap")
		code, _, stderr := runCLI(t, "collect", "--endpoint-url", url, "--region", "ap-northeast-1", "--region", "xx-nowhere-1", "--out", out, "--quiet", "--no-server-error-retry")
		if code != exitGate || !strings.Contains(stderr, "123456789012/xx-nowhere-1 gave nothing") {
			t.Errorf("exit %d; want 1 naming the region that gave nothing\n%s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, "aws_configs", "123456789012", "ap-northeast-1", "DescribeVpcs.json")); err != nil {
			t.Errorf("the regions that answered are not written: %v", err)
		}
		man, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err != nil || !strings.Contains(string(man), `"region": "xx-nowhere-1"`) {
			t.Errorf("manifest.json does not list the region (%v)", err)
		}
	})

	t.Run("--format json prints the manifest", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "snap")
		code, stdout, stderr := runCLI(t, "collect", "--endpoint-url", url, "--region", "ap-northeast-1", "--out", out, "--format", "json", "--quiet", "--no-server-error-retry", "--allow-partial")
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		if strings.Contains(stderr, "collect: 123456789012") {
			t.Errorf("--quiet still shows progress: %q", stderr)
		}
		var m struct {
			Accounts []struct {
				AccountID string
				Regions   []struct {
					Region    string
					Collected []struct{ File string }
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatal(err)
		}
		written, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err != nil || string(written) != stdout {
			t.Errorf("printed manifest differs from manifest.json (%v)", err)
		}
		if len(m.Accounts) != 1 || m.Accounts[0].AccountID != "123456789012" || len(m.Accounts[0].Regions) != 2 {
			t.Errorf("manifest: %s", stdout)
		}
	})

	t.Run("collect never overwrites", func(t *testing.T) {
		code, _, stderr := runCLI(t, "collect", "--endpoint-url", url, "--region", "ap-northeast-1", "--out", out, "--quiet")
		if code != exitUsage || !strings.Contains(stderr, "not empty") {
			t.Errorf("second collect into %s: exit %d, %q", out, code, stderr)
		}
	})
}
