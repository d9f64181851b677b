package snapshot

import (
	"encoding/json"
	"testing"
)

// TestFlexIntReadsLikeStrconv checks the allocation-free path against the
// general one: the same value, the same "set", the same error.
func TestFlexIntReadsLikeStrconv(t *testing.T) {
	for _, in := range []string{`0`, `-1`, `65535`, `007`, `-0`, `123456789012345678`, `1234567890123456789`,
		`-9223372036854775808`, `99999999999999999999`, `1.5`, `1e3`, `"443"`, `""`, `"-1"`, `"x"`, `null`, `true`, ` 22 `, `-`, `+5`} {
		var fast flexInt
		errFast := fast.UnmarshalJSON([]byte(in))
		var slow flexInt
		errSlow := slow.slowUnmarshal([]byte(in))
		if fast != slow || (errFast == nil) != (errSlow == nil) || (errFast != nil && errFast.Error() != errSlow.Error()) {
			t.Errorf("%s: got %+v, %v; want %+v, %v", in, fast, errFast, slow, errSlow)
		}
	}
}

// slowUnmarshal is flexInt.UnmarshalJSON without the fast path.
func (f *flexInt) slowUnmarshal(b []byte) error {
	if _, ok := plainInt(b); ok {
		b = append([]byte(`"`), append(b, '"')...) // force the strconv path
	}
	return f.UnmarshalJSON(b)
}

// TestOptIntIsLikeAPointer checks that a port held by value reads as a
// *flexInt did: absent and null leave it unset, a later null unsets it.
func TestOptIntIsLikeAPointer(t *testing.T) {
	for _, c := range []struct {
		in   string
		want flexInt
	}{
		{`{}`, flexInt{}},
		{`{"FromPort": null}`, flexInt{}},
		{`{"FromPort": 22}`, flexInt{V: 22, Set: true}},
		{`{"FromPort": "22"}`, flexInt{V: 22, Set: true}},
		{`{"FromPort": 22, "FromPort": null}`, flexInt{}},
		{`{"FromPort": 22, "FromPort": ""}`, flexInt{V: 22, Set: true}},
	} {
		var byValue struct{ FromPort optInt }
		var byPointer struct{ FromPort *flexInt }
		if err := json.Unmarshal([]byte(c.in), &byValue); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(c.in), &byPointer); err != nil {
			t.Fatal(err)
		}
		if byValue.FromPort.flexInt != c.want || optIntOf(byPointer.FromPort) != byValue.FromPort {
			t.Errorf("%s: by value %+v, by pointer %+v, want %+v", c.in, byValue.FromPort, byPointer.FromPort, c.want)
		}
	}
}
