package main

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
)

// A public IPv4 address AWS assigns at deploy time (an elastic IP, a
// subnet that maps public IPs on launch) is unknown only in value: the
// internet gateway maps whichever address AWS picks 1:1 to the private
// address, so the internet reaches the instance the same way for every
// value, and exposure says reachable.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html#vpc-public-ipv4-addresses
func TestExposureDeployTimePublicAddressIsReachable(t *testing.T) {
	dir := corpustest.Dir(t, "cfn")
	for _, c := range []struct {
		template string
		want     []string
	}{
		{"awslabs+aws-cloudformation-templates/community/services/VPC/vpc_template.json",
			[]string{"WebServerInstance tcp 22 reachable", "WebServerInstance tcp 80 reachable"}},
		{"aws-cloudformation+aws-cloudformation-templates/Solutions/CloudFormationEndpointSignals/cfn-endpoint-creationpolicy.yaml",
			[]string{"BastionInstance tcp 22 reachable"}},
	} {
		t.Run(filepath.Base(c.template), func(t *testing.T) {
			code, out, errs := runCLI(t, "exposure", filepath.Join(dir, filepath.FromSlash(c.template)), "--format", "json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var doc exposureDoc
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range doc.Findings {
				if f.From.Kind == "internet" {
					got = append(got, f.Resource.ID+" "+f.Protocol+" "+itoa(f.Ports.From)+" "+f.Verdict)
				}
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("internet findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
