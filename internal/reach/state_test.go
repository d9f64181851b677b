package reach_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/reach/reachtest"
)

// An instance that is not running (pending, stopping, stopped,
// shutting-down; terminated ones are not even read) sends and answers
// nothing: a path to or from it is unreachable, with its state, and
// exposure lists no finding for it but says why in a warning.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
func TestInstanceThatIsNotRunningAnswersNothing(t *testing.T) {
	for _, state := range []string{"pending", "stopping", "stopped", "shutting-down"} {
		t.Run(state, func(t *testing.T) {
			b := publicPrivate()
			in, _ := b.N.Instances.Get("i-web")
			in.State = state
			n := b.Build()
			r := flow(t, n, "internet", "i-web", model.ProtoTCP, 22)
			expect(t, r, reach.Unreachable, reach.CodeBadState)
			if !strings.Contains(r.Best.BlockedBy.Reason, "is "+state) {
				t.Errorf("reason %q does not give the state", r.Best.BlockedBy.Reason)
			}
			expect(t, flow(t, n, "i-web", "i-app", model.ProtoTCP, 8080), reach.Unreachable, reach.CodeBadState)
			res := reach.New(n).Exposure(context.Background(), reach.ExposureOptions{})
			for _, f := range res.Findings {
				if f.Resource.ID == "i-web" || f.Resource.ENI == "eni-web" {
					t.Errorf("finding on the %s instance: %+v", state, f)
				}
			}
			if !strings.Contains(strings.Join(res.Warnings, "\n"), "i-web is "+state) {
				t.Errorf("no warning for the %s instance: %v", state, res.Warnings)
			}
		})
	}
	// Running, or a state the sources do not give: as before.
	for _, state := range []string{"running", ""} {
		b := publicPrivate()
		in, _ := b.N.Instances.Get("i-web")
		in.State = state
		expect(t, flow(t, b.Build(), "internet", "i-web", model.ProtoTCP, 22), reach.Reachable, "")
	}
}

// A load balancer's target that is stopped gets no finding through it.
func TestStoppedTargetHasNoFindingThroughItsLoadBalancer(t *testing.T) {
	b := publicPrivate()
	b.Subnet("subnet-pub2", "vpc-1", "10.0.2.0/24", "us-east-1b")
	pub, _ := b.N.RouteTables.Get("rtb-pub")
	pub.Associations = append(pub.Associations, model.RouteTableAssociation{SubnetID: "subnet-pub2"})
	b.SG("sg-alb", "vpc-1", "in tcp 443 0.0.0.0/0", "out tcp 8080 sg-app")
	lb := b.LB("arn:lb/app/shop", "shop", "application", "internet-facing", []string{"sg-alb"}, "subnet-pub=10.0.0.100/54.0.0.100", "subnet-pub2=10.0.2.100/54.0.0.101")
	b.Listener(lb, "HTTPS", 443, "arn:tg/app")
	b.TargetGroup("arn:tg/app", 8080, "i-app")
	sg, _ := b.N.SecurityGroups.Get("sg-app")
	sg.Ingress = append(sg.Ingress, reachtest.Rule("in tcp 8080 sg-alb"))
	targets := func() int {
		n := 0
		for _, f := range reach.New(b.Build()).Exposure(context.Background(), reach.ExposureOptions{}).Findings {
			if f.LoadBalancer != "" && f.Resource.ID == "i-app" {
				n++
			}
		}
		return n
	}
	if targets() == 0 {
		t.Fatal("no target finding while running")
	}
	in, _ := b.N.Instances.Get("i-app")
	in.State = "stopped"
	if n := targets(); n != 0 {
		t.Errorf("%d target findings on a stopped instance", n)
	}
}
