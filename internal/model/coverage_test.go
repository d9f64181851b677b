package model

import (
	"strings"
	"testing"
)

func TestCoverageSaysWhatTheSourcesListed(t *testing.T) {
	s := Scope{"123456789012", "us-east-1"}
	var c Coverage
	c.Mark(s, TypeRouteTable, CoverageRead, "")
	c.Mark(s, TypeInternetGateway, CoverageFailed, "ec2:DescribeInternetGateways failed: AccessDenied")
	c.Mark(s, TypeInternetGateway, CoverageNotCollected, "") // a failure is not forgotten
	c.Mark(s, TypeRouteTable, CoverageFailed, "")            // nor is a listing read elsewhere
	c.MarkTemplate("stack.yaml")
	n := &Network{Coverage: &c}
	snapVPC := &VPC{Meta: Meta{ID: "vpc-1", Account: s.Account, Region: s.Region, Origin: Origin{File: "vpcs.json"}}}
	tmplVPC := &VPC{Meta: Meta{ID: "Vpc", Account: s.Account, Region: s.Region, Origin: Origin{File: "stack.yaml"}}}
	cases := []struct {
		name string
		kind string
		e    Element
		want string // "" covered, else in the reason
	}{
		{"a listing read covers its kind", TypeRouteTable, snapVPC, ""},
		{"a failed call is named", TypeInternetGateway, snapVPC, "could not be collected for 123456789012/us-east-1 (ec2:DescribeInternetGateways failed: AccessDenied)"},
		{"a kind never listed is not collected", TypePeering, snapVPC, "VPC peering connections were not collected for 123456789012/us-east-1"},
		{"a template states everything it creates", TypePeering, tmplVPC, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := n.NotCovered(tc.kind, tc.e)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("NotCovered = %q, want %q", got, tc.want)
			}
		})
	}
	if (&Network{}).NotCovered(TypePeering, snapVPC) != "" {
		t.Error("a network built whole must cover every kind")
	}
	gaps := n.Gaps([]string{TypeRouteTable, TypeNetworkInterface})
	if len(gaps) != 1 || gaps[0] != "123456789012/us-east-1: network interfaces not collected" {
		t.Errorf("Gaps = %q", gaps)
	}
}
