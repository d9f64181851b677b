package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
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

// emptyAWSEnv leaves the credential chain nothing to find: no keys, no
// profile, shared files that do not exist, no instance metadata.
func emptyAWSEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "", "AWS_REGION": "",
		"AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
	} {
		t.Setenv(k, v)
	}
}

func TestCollectWithoutCredentialsSaysWhatToSetInOneLine(t *testing.T) {
	emptyAWSEnv(t)
	endpoint := []string{}
	if _, err := exec.LookPath("moto_server"); err == nil {
		// Against a real AWS emulator: the answer must come before any call.
		endpoint = []string{"--endpoint-url", mototest.Start(t)}
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"nothing at all", nil, nil,
			"vpcreach: collect: no AWS credentials found: set AWS_PROFILE or pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{"a profile that does not exist", nil, []string{"--profile", "prod"},
			`vpcreach: collect: profile "prod" is not in ~/.aws/config or ~/.aws/credentials`},
		{"AWS_PROFILE that does not exist", map[string]string{"AWS_PROFILE": "dev"}, nil,
			`vpcreach: collect: profile "dev" is not in ~/.aws/config or ~/.aws/credentials`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out := filepath.Join(t.TempDir(), "snap")
			args := append(append([]string{"collect", "--out", out, "--region", "us-east-1", "--quiet"}, endpoint...), tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != exitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and nothing", code, stdout)
			}
			if !strings.HasPrefix(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("want one line starting %q, got:\n%s", tc.want, stderr)
			}
			for _, chain := range []string{"operation error", "failed to refresh", "ec2imds", "SDK"} {
				if strings.Contains(stderr, chain) {
					t.Errorf("the SDK's error chain leaks (%q):\n%s", chain, stderr)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}
