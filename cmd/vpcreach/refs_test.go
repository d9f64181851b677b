package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// duplicateNames is the example with the partner host renamed "app", so
// two instances carry that Name tag.
var duplicateNames = filepath.Join("testdata", "refs", "duplicate-names")

func TestAmbiguousNameListsEveryCandidate(t *testing.T) {
	for _, args := range [][]string{
		{"path", duplicateNames, "--from", "internet", "--to", "app", "--port", "22"},
		{"path", duplicateNames, "--from", "app", "--to", "bastion"},
		{"dns", duplicateNames, "--from", "app", "example.com"},
	} {
		code, out, errs := runCLI(t, args...)
		if code != exitUsage || out != "" {
			t.Errorf("%v: exit %d, printed %q; want exit 2 and nothing on stdout", args, code, out)
		}
		for _, want := range []string{`"app": 2 resources have this Name tag; name one by ID`,
			"i-0a1000000000000a2  Instance  running  in vpc-0a10000000000000a",
			"i-0b2000000000000b1  Instance  running  in vpc-0b20000000000000b"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, errs)
			}
		}
	}
	// By ID, each is fine.
	if code, _, errs := runCLI(t, "path", duplicateNames, "--from", "internet", "--to", "i-0a1000000000000a2", "--port", "22"); code != exitOK {
		t.Errorf("by ID: exit %d: %s", code, errs)
	}
}

func TestRepeatedFromIsAnError(t *testing.T) {
	for _, args := range [][]string{
		{"path", exposureTwoTier, "--from", "internet", "--from", "app", "--to", "bastion"},
		{"path", exposureTwoTier, "--from", "internet", "--to", "app", "--to", "bastion"},
		{"dns", exposureTwoTier, "--from", "app", "--from", "bastion", "example.com"},
	} {
		code, out, errs := runCLI(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, "given twice") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

func TestIPv6AgainstAnIPv4OnlyHostSaysSo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"path", exposureTwoTier, "--from", "bastion", "--to", "2600:1f18::1", "--port", "443"},
			"2600:1f18::1 is an IPv6 address and bastion (eni-0a1000000000000a1) has IPv4 addresses only"},
		{[]string{"path", exposureTwoTier, "--from", "2600:1f18::1", "--to", "bastion", "--port", "22"},
			"2600:1f18::1 is an IPv6 address and bastion (eni-0a1000000000000a1) has IPv4 addresses only"},
	} {
		code, out, errs := runCLI(t, tc.args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		if !strings.Contains(out, tc.want) || strings.Contains(out, "empty flow") {
			t.Errorf("%v: want %q, got\n%s", tc.args, tc.want, out)
		}
		if !strings.Contains(out, "verdict: unreachable") {
			t.Errorf("%v: verdict changed:\n%s", tc.args, out)
		}
	}
}
