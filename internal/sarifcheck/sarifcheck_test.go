package sarifcheck

import (
	"strings"
	"testing"
)

func TestValidateCatchesWhatGitHubRejects(t *testing.T) {
	ok := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","version":"1","rules":[{"id":"r"}]}},
"originalUriBaseIds":{"%SRCROOT%":{}},
"results":[{"ruleId":"r","ruleIndex":0,"message":{"text":"m"},"partialFingerprints":{"k":"v"},
"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a/b.yaml","uriBaseId":"%SRCROOT%"},"region":{"startLine":3}}}]}]}]}`
	if err := Validate([]byte(ok)); err != nil {
		t.Fatalf("a good log: %v", err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"schema", `"version":"2.1.0"`, `"version":"2.1.0","bogus":1`, "schema"},
		{"rule not in driver", `"ruleId":"r"`, `"ruleId":"q"`, "not among tool.driver.rules"},
		{"no location", `"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a/b.yaml","uriBaseId":"%SRCROOT%"},"region":{"startLine":3}}}]`, `"locations":[]`, "at least one"},
		{"line 0", `"startLine":3`, `"startLine":0`, "startLine"},
		{"escaping uri", `"uri":"a/b.yaml"`, `"uri":"../b.yaml"`, "below it"},
		{"undeclared base", `"originalUriBaseIds":{"%SRCROOT%":{}},`, ``, "not declared"},
		{"no fingerprint", `"partialFingerprints":{"k":"v"},`, ``, "partialFingerprints"},
	} {
		bad := strings.Replace(ok, tc.from, tc.to, 1)
		err := Validate([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}
