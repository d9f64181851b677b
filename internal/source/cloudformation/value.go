package cloudformation

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of a template value.
type Kind uint8

// Value kinds. Unknown is a value the template alone cannot fix (a
// parameter without value, an Fn::ImportValue, an attribute AWS picks at
// deploy time); it flows through every function. noValue is AWS::NoValue,
// which removes the property or list element holding it.
const (
	Null Kind = iota
	Scalar
	List
	Map
	Unknown
	noValue
)

// Value is one node of a template: a scalar (kept as text, the way
// CloudFormation reads numbers and booleans), a list, a map with its keys
// in document order, or an unknown value with the reason it is unknown.
type Value struct {
	Kind Kind
	// S is the scalar text, or the reason of an Unknown.
	S    string
	L    []*Value
	Keys []string
	M    map[string]*Value
	// Tag is the YAML tag of a short-form intrinsic (!Ref ...), kept for messages.
	Tag string
	// Line is the line in the template, 0 when the value was computed.
	Line int
	// Of names the resource whose attribute an unknown value is (for
	// example the public IP of an EIP), so that references still link.
	Of string
	// Alts are the values an unknown may take (the branches of an Fn::If
	// on an unknown condition), when known.
	Alts []*Value
	// fw marks an unknown that is a Network Firewall's EndpointIds, or an
	// element of it (see fwSelect).
	fw *fwSelect
}

// alternatives returns the values an unknown may take, flattened, or nil
// when one of them is not known.
func (v *Value) alternatives() []*Value {
	if v == nil || v.Kind != Unknown || len(v.Alts) == 0 {
		return nil
	}
	var out []*Value
	for _, a := range v.Alts {
		switch {
		case a == nil:
			return nil
		case a.Kind == Unknown:
			sub := a.alternatives()
			if sub == nil {
				return nil
			}
			out = append(out, sub...)
		default:
			out = append(out, a)
		}
	}
	return out
}

func scalar(s string, line int) *Value { return &Value{Kind: Scalar, S: s, Line: line} }

func unknown(line int, of, format string, args ...any) *Value {
	r := format
	if len(args) > 0 {
		r = sprintf(format, args...)
	}
	return &Value{Kind: Unknown, S: r, Line: line, Of: of}
}

func newMap(line int) *Value { return &Value{Kind: Map, M: map[string]*Value{}, Line: line} }

func (v *Value) set(k string, x *Value) {
	if _, ok := v.M[k]; !ok {
		v.Keys = append(v.Keys, k)
	}
	v.M[k] = x
}

// Get returns a map entry, nil when absent or when v is not a map.
func (v *Value) Get(k string) *Value {
	if v == nil || v.Kind != Map {
		return nil
	}
	return v.M[k]
}

// IsUnknown reports whether the value is unknown.
func (v *Value) IsUnknown() bool { return v != nil && v.Kind == Unknown }

// firstUnknown returns the first unknown value inside v, or nil.
func (v *Value) firstUnknown() *Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Unknown:
		return v
	case List:
		for _, x := range v.L {
			if u := x.firstUnknown(); u != nil {
				return u
			}
		}
	case Map:
		for _, k := range v.Keys {
			if u := v.M[k].firstUnknown(); u != nil {
				return u
			}
		}
	}
	return nil
}

// single returns the only key of a one-key map.
func (v *Value) single() (string, *Value, bool) {
	if v == nil || v.Kind != Map || len(v.Keys) != 1 {
		return "", nil, false
	}
	return v.Keys[0], v.M[v.Keys[0]], true
}

// boolOf reads a scalar the way CloudFormation reads a Boolean.
func boolOf(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// intOf reads a scalar the way CloudFormation reads an Integer.
func intOf(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
		return int(f), true
	}
	return 0, false
}

// equal compares two known values the way Fn::Equals does: scalars as text.
func equal(a, b *Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Scalar, Unknown:
		return a.S == b.S
	case List:
		if len(a.L) != len(b.L) {
			return false
		}
		for i := range a.L {
			if !equal(a.L[i], b.L[i]) {
				return false
			}
		}
		return true
	case Map:
		if len(a.Keys) != len(b.Keys) {
			return false
		}
		for k, x := range a.M {
			if !equal(x, b.M[k]) {
				return false
			}
		}
		return true
	}
	return true
}

// toJSON renders a known value as JSON (Fn::ToJsonString).
func (v *Value) toJSON() any {
	switch v.Kind {
	case Scalar:
		switch v.Tag {
		case "!!int", "!!float":
			if _, err := strconv.ParseFloat(v.S, 64); err == nil {
				return json.Number(v.S)
			}
		case "!!bool":
			if b, ok := boolOf(v.S); ok {
				return b
			}
		}
		return v.S
	case List:
		out := make([]any, 0, len(v.L))
		for _, x := range v.L {
			out = append(out, x.toJSON())
		}
		return out
	case Map:
		out := make(map[string]any, len(v.M))
		for k, x := range v.M {
			out[k] = x.toJSON()
		}
		return out
	}
	return nil
}

func jsonString(v *Value) string {
	b, _ := json.Marshal(v.toJSON())
	return string(b)
}

// describe names a value's kind for messages.
func (v *Value) describe() string {
	if v == nil {
		return "nothing"
	}
	switch v.Kind {
	case Null:
		return "null"
	case Scalar:
		return "a string"
	case List:
		return "a list"
	case Map:
		return "a map"
	case Unknown:
		return "an unknown value"
	}
	return "no value"
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
