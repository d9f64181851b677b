package terraform

import (
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func refExpr(refs ...string) *tfjson.Expression {
	return &tfjson.Expression{ExpressionData: &tfjson.ExpressionData{References: refs}}
}

func constExpr(v any) *tfjson.Expression {
	return &tfjson.Expression{ExpressionData: &tfjson.ExpressionData{ConstantValue: v}}
}

// Sets reorder repeated blocks: a value gets a configuration block only
// when that pairing cannot change what the values say.
func TestPairBlocksPairsOnlyWhatCannotMatter(t *testing.T) {
	same := []val{{v: map[string]any{}}, {v: map[string]any{}}}
	alike := []map[string]*tfjsonExpr{
		{"resource_arn": refExpr("aws_networkfirewall_rule_group.a.arn", "aws_networkfirewall_rule_group.a")},
		{"resource_arn": refExpr("aws_networkfirewall_rule_group.b.arn", "aws_networkfirewall_rule_group.b")},
	}
	got := pairBlocks(alike, same, []string{"priority"})
	if got[0] == nil || got[1] == nil || got[0]["resource_arn"] == got[1]["resource_arn"] {
		t.Errorf("two alike blocks without a priority: each value gets one of them once, got %v", got)
	}

	prio := []val{{v: map[string]any{"priority": 2.0}}, {v: map[string]any{"priority": 1.0}}}
	byPrio := []map[string]*tfjsonExpr{
		{"priority": constExpr(1.0), "resource_arn": refExpr("aws_networkfirewall_rule_group.a.arn")},
		{"priority": constExpr(2.0), "resource_arn": refExpr("aws_networkfirewall_rule_group.b.arn")},
	}
	got = pairBlocks(byPrio, prio, []string{"priority"})
	if got[0]["priority"].ConstantValue != 2.0 || got[1]["priority"].ConstantValue != 1.0 {
		t.Errorf("blocks are paired by their priority, not their order: %v", got)
	}

	differ := []map[string]*tfjsonExpr{
		{"resource_arn": refExpr("aws_networkfirewall_rule_group.a.arn"), "override": constExpr("DROP_TO_ALERT")},
		{"resource_arn": refExpr("aws_networkfirewall_rule_group.b.arn")},
	}
	got = pairBlocks(differ, same, []string{"priority"})
	if got[0] != nil || got[1] != nil {
		t.Errorf("blocks that differ in more than their references are not paired by order: %v", got)
	}
}
