package source

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
)

// ParseParams merges --params FILE (the `aws cloudformation`
// ParameterKey/ParameterValue array, or a plain {"Name": "Value"} object)
// with --param Name=Value flags; flags win.
func ParseParams(file string, flags []string) (map[string]string, error) {
	out := map[string]string{}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, &diag.Error{File: file, Code: "unreadable", Message: "cannot read parameters file", Err: err}
		}
		var list []struct {
			ParameterKey     string
			ParameterValue   *string
			UsePreviousValue bool
		}
		if err := json.Unmarshal(data, &list); err == nil {
			for _, p := range list {
				if p.ParameterKey == "" {
					return nil, diag.Errorf(file, 0, "bad-parameters", "an entry has no ParameterKey")
				}
				if p.ParameterValue != nil {
					out[p.ParameterKey] = *p.ParameterValue
				}
			}
		} else {
			var obj map[string]any
			if err2 := json.Unmarshal(data, &obj); err2 != nil {
				return nil, &diag.Error{File: file, Code: "bad-parameters", Message: "want a JSON array of {ParameterKey, ParameterValue}", Err: err}
			}
			for k, v := range obj {
				out[k] = fmt.Sprint(v)
			}
		}
	}
	for _, f := range flags {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--param %q: want Name=Value", f)
		}
		out[k] = v
	}
	return out, nil
}
