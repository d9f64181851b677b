package collect

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressDrawsABarPerRegionOnATerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true)
	p.add("111122223333/global", 2)
	p.add("111122223333/ap-northeast-1", 4)
	for i := 0; i < 4; i++ {
		p.step("111122223333/ap-northeast-1")
	}
	p.step("111122223333/global")
	p.step("111122223333/global")
	p.close()
	out := b.String()
	if !strings.Contains(out, "\x1b[2A") {
		t.Errorf("bars not redrawn in place: %q", out)
	}
	last := out[strings.LastIndex(out, "\x1b[2A"):]
	for _, want := range []string{"111122223333/global         [##############################] 2/2 calls", "111122223333/ap-northeast-1 [##############################] 4/4 calls"} {
		if !strings.Contains(last, want) {
			t.Errorf("final drawing lacks %q:\n%q", want, last)
		}
	}
}

func TestProgressPrintsPlainLinesElsewhere(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false)
	p.add("111122223333/ap-northeast-1", 2)
	p.step("111122223333/ap-northeast-1")
	p.step("111122223333/ap-northeast-1")
	p.close()
	if got := b.String(); got != "collect: 111122223333/ap-northeast-1: 2/2 calls done\n" {
		t.Errorf("got %q", got)
	}
	if strings.Contains(b.String(), "\x1b") {
		t.Error("escape sequences outside a terminal")
	}
}

func TestWarningsFoldARegionWhereEveryCallFailedAlike(t *testing.T) {
	m := &Manifest{Accounts: []*AccountResult{{AccountID: "111122223333", Regions: []*RegionResult{{
		Region: "ap-east-1",
		Failed: []Failure{
			{File: "DescribeVpcs", Operation: "ec2:DescribeVpcs", Code: "AuthFailure", HTTPStatus: 401, Message: "AWS was not able to validate the provided access credentials"},
			{File: "DescribeSubnets", Operation: "ec2:DescribeSubnets", Code: "AuthFailure", HTTPStatus: 401, Message: "AWS was not able to validate the provided access credentials"},
		},
	}}}}}
	w := m.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "ap-east-1: nothing collected: all 2 calls failed (HTTP 401 AuthFailure)") {
		t.Errorf("got %q", w)
	}
}
