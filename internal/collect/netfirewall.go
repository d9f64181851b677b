package collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	nfw "github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	nfwtypes "github.com/aws/aws-sdk-go-v2/service/networkfirewall/types"
)

// AWS Network Firewall: each list call, then the describe call of every
// resource it lists, written as the CLI prints them (ListFirewalls.json,
// and DescribeFirewall.json as an array of describe-firewall outputs; the
// same for policies and rule groups). Every call is a List or Describe.
//
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_ListFirewalls.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeFirewall.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeFirewallPolicy.html
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeRuleGroup.html

func nfwCall(name string) Call { return Call{"network-firewall", name} }

func firewalls(ctx context.Context, c *clients, emit emitFunc) {
	p := nfw.NewListFirewallsPaginator(c.NFW, &nfw.ListFirewallsInput{})
	fws, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *nfw.ListFirewallsOutput) []nfwtypes.FirewallMetadata { return o.Firewalls })
	if err != nil {
		emit("ListFirewalls", nil, err)
		emit("DescribeFirewall", nil, err)
		return
	}
	emit("ListFirewalls", object{{"Firewalls", fws}}, nil)
	arns := idsOf(fws, func(f nfwtypes.FirewallMetadata) *string { return f.FirewallArn })
	out, err := perSubject(ctx, arns, func(ctx context.Context, arn string) (object, error) {
		o, err := c.NFW.DescribeFirewall(ctx, &nfw.DescribeFirewallInput{FirewallArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		return object{{"UpdateToken", o.UpdateToken}, {"Firewall", o.Firewall}, {"FirewallStatus", o.FirewallStatus}}, nil
	})
	emit("DescribeFirewall", out, err)
}

func firewallPolicies(ctx context.Context, c *clients, emit emitFunc) {
	p := nfw.NewListFirewallPoliciesPaginator(c.NFW, &nfw.ListFirewallPoliciesInput{})
	ps, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *nfw.ListFirewallPoliciesOutput) []nfwtypes.FirewallPolicyMetadata {
		return o.FirewallPolicies
	})
	if err != nil {
		emit("ListFirewallPolicies", nil, err)
		emit("DescribeFirewallPolicy", nil, err)
		return
	}
	emit("ListFirewallPolicies", object{{"FirewallPolicies", ps}}, nil)
	arns := idsOf(ps, func(m nfwtypes.FirewallPolicyMetadata) *string { return m.Arn })
	out, err := perSubject(ctx, arns, func(ctx context.Context, arn string) (object, error) {
		o, err := c.NFW.DescribeFirewallPolicy(ctx, &nfw.DescribeFirewallPolicyInput{FirewallPolicyArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		return object{{"UpdateToken", o.UpdateToken}, {"FirewallPolicyResponse", o.FirewallPolicyResponse}, {"FirewallPolicy", o.FirewallPolicy}}, nil
	})
	emit("DescribeFirewallPolicy", out, err)
}

// ruleGroups lists the account's own rule groups, stateless and stateful
// (no Type filter, the default ACCOUNT scope). AWS managed groups a
// policy references are known by their ARN only.
func ruleGroups(ctx context.Context, c *clients, emit emitFunc) {
	p := nfw.NewListRuleGroupsPaginator(c.NFW, &nfw.ListRuleGroupsInput{})
	gs, err := drain(ctx, p.HasMorePages, p.NextPage, func(o *nfw.ListRuleGroupsOutput) []nfwtypes.RuleGroupMetadata { return o.RuleGroups })
	if err != nil {
		emit("ListRuleGroups", nil, err)
		emit("DescribeRuleGroup", nil, err)
		return
	}
	emit("ListRuleGroups", object{{"RuleGroups", gs}}, nil)
	arns := idsOf(gs, func(m nfwtypes.RuleGroupMetadata) *string { return m.Arn })
	out, err := perSubject(ctx, arns, func(ctx context.Context, arn string) (object, error) {
		o, err := c.NFW.DescribeRuleGroup(ctx, &nfw.DescribeRuleGroupInput{RuleGroupArn: aws.String(arn)})
		if err != nil {
			return nil, err
		}
		return object{{"UpdateToken", o.UpdateToken}, {"RuleGroupResponse", o.RuleGroupResponse}, {"RuleGroup", o.RuleGroup}}, nil
	})
	emit("DescribeRuleGroup", out, err)
}
