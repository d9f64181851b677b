package reach_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// A security group rule that references a group of another VPC attached
// to the same transit gateway matches its members only when security
// group referencing support is enabled on the gateway and on both VPC
// attachments; disabled on any of them, it matches nothing; unknown only
// when the sources do not say.
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-security
func TestTransitGatewaySecurityGroupReferencing(t *testing.T) {
	cases := []struct {
		name          string
		tgw, src, dst string // SecurityGroupReferencingSupport of the gateway and the two attachments
		verdict       reach.Verdict
		code          string
		contains      string
	}{
		{name: "enabled everywhere: the reference matches", tgw: "enable", src: "enable", dst: "enable", verdict: reach.Reachable},
		{name: "disabled on the gateway: it matches nothing", tgw: "disable", src: "enable", dst: "enable", verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		{name: "disabled on the source's attachment", tgw: "enable", src: "disable", dst: "enable", verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		{name: "disabled on the destination's attachment", tgw: "enable", src: "enable", dst: "disable", verdict: reach.Unreachable, code: reach.CodeSGMismatch},
		{name: "the gateway's setting not in the sources", tgw: "", src: "enable", dst: "enable", verdict: reach.PossiblyReachable, contains: "transit gateway tgw-1 not in the sources"},
		{name: "an attachment's setting not in the sources", tgw: "enable", src: "", dst: "enable", verdict: reach.PossiblyReachable, contains: "tgw-attach-1 not in the sources"},
	}
	build := func(tgw, src, dst string) *reachtest.Builder {
		b := withTGW()
		sg, _ := b.N.SecurityGroups.Get("sg-t")
		sg.Ingress = []model.SGRule{reachtest.Rule("in tcp 443 sg-web")}
		g, _ := b.N.TransitGateways.Get("tgw-1")
		g.SecurityGroupReferencingSupport = tgw
		a, _ := b.N.TGWAttachments.Get("tgw-attach-1")
		a.SecurityGroupReferencingSupport = src
		a, _ = b.N.TGWAttachments.Get("tgw-attach-t")
		a.SecurityGroupReferencingSupport = dst
		return b
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := build(c.tgw, c.src, c.dst).Build()
			r := flow(t, n, "eni-web", "eni-t", model.ProtoTCP, 443)
			expect(t, r, c.verdict, c.code)
			if c.contains != "" && !strings.Contains(describe(r), c.contains) {
				t.Errorf("explanation lacks %q:\n%s", c.contains, describe(r))
			}
			// Exposure through the attachment agrees.
			var got []reach.Verdict
			for _, f := range reach.New(n).Exposure(context.Background(), reach.ExposureOptions{}).Findings {
				if f.Resource.ENI == "eni-t" && f.From.Kind == reach.EdgeTransitGateway {
					got = append(got, f.Verdict)
				}
			}
			switch {
			case c.verdict == reach.Unreachable && len(got) != 0:
				t.Errorf("exposure findings %v, want none", got)
			case c.verdict != reach.Unreachable && (len(got) != 1 || got[0] != c.verdict):
				t.Errorf("exposure findings %v, want one %s", got, c.verdict)
			}
		})
	}
}
