package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// sampleJSON writes JSON setting every field of a value of type t, each to
// a value of its own (n counts them), with names written by name.
func sampleJSON(b *strings.Builder, t reflect.Type, n *int, name func(string) string) {
	*n++
	switch t {
	case reflect.TypeFor[flexInt](), reflect.TypeFor[optInt]():
		fmt.Fprintf(b, "%d", *n)
		return
	case reflect.TypeFor[flexBool]():
		b.WriteString("true")
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		b.WriteString("{")
		for i := range t.NumField() {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%q: ", name(t.Field(i).Name))
			sampleJSON(b, t.Field(i).Type, n, name)
		}
		b.WriteString("}")
	case reflect.Slice:
		b.WriteString("[")
		sampleJSON(b, t.Elem(), n, name)
		b.WriteString(", ")
		sampleJSON(b, t.Elem(), n, name)
		b.WriteString("]")
	case reflect.Pointer:
		sampleJSON(b, t.Elem(), n, name)
	case reflect.String:
		fmt.Fprintf(b, `"s%d"`, *n)
	case reflect.Bool:
		fmt.Fprintf(b, "%v", *n%2 == 0)
	default:
		panic(t.String())
	}
}

// tokenCase reads JSON into a new T with encoding/json and with the token
// reader.
type tokenCase struct {
	name  string
	typ   reflect.Type
	exact func(data []byte) (any, error)
	read  func(data []byte) (any, error)
}

func caseOf[T any](name string, read func(*tokenDecoder, *T) error) tokenCase {
	return tokenCase{
		name: name, typ: reflect.TypeFor[T](),
		exact: func(data []byte) (any, error) {
			v := new(T)
			err := json.Unmarshal(data, v)
			return v, err
		},
		read: func(data []byte) (any, error) {
			v := new(T)
			dec := &tokenDecoder{Decoder: jsontext.NewDecoder(bytes.NewBuffer(data), onceOptions)}
			if err := read(dec, v); err != nil {
				return nil, err
			}
			if _, err := dec.ReadToken(); err == nil {
				return nil, fmt.Errorf("value not read whole")
			}
			return v, nil
		},
	}
}

var tokenCases = []tokenCase{
	caseOf("security group", readSecurityGroup),
	caseOf("network interface", readENI),
	caseOf("reservation", readReservation),
	caseOf("tag", readTag),
	caseOf("group reference", readGroupRef),
}

// The token readers read every field of their types, in any case, to what
// encoding/json reads, and leave what they cannot read so to encoding/json.
func TestTokenReadersAgree(t *testing.T) {
	names := map[string]func(string) string{
		"as declared": func(s string) string { return s },
		"lower case":  strings.ToLower,
		"upper case":  strings.ToUpper,
		"escaped":     func(s string) string { return s[:1] + `\u00` + fmt.Sprintf("%02x", s[1]) + s[2:] },
	}
	for _, tc := range tokenCases {
		for how, name := range names {
			t.Run(tc.name+" "+how, func(t *testing.T) {
				var b strings.Builder
				n := 0
				sampleJSON(&b, tc.typ, &n, name)
				data := []byte(b.String())
				if how == "escaped" {
					data = bytes.ReplaceAll(data, []byte(`\\u00`), []byte(`\u00`))
				}
				want, err := tc.exact(data)
				if err != nil {
					t.Fatalf("encoding/json: %v\n%s", err, data)
				}
				got, err := tc.read(data)
				if err != nil {
					t.Fatalf("token reader: %v\n%s", err, data)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("token reader: %+v\nencoding/json: %+v\n%s", got, want, data)
				}
			})
		}
	}
}

// Values the token readers leave to encoding/json.
func TestTokenReadersLeave(t *testing.T) {
	for _, data := range []string{
		`{"GroupId": "sg-1", "GroupId": "sg-2"}`,
		`{"GroupId": "sg-1", "groupid": "sg-2"}`,
		`{"GroupId": 1}`,
		`{"GroupId": "sg-1", "Tags": {}}`,
		`{"GroupId": "sg-1", "IpPermissions": [{"FromPort": 1.5}]}`,
		`{"GroupId": "sg-1", "IpPermissions": [{"FromPort": true}]}`,
		`{"GroupId": "sg-1", "IpPermissions": ["tcp"]}`,
		`["sg-1"]`,
		`{"GroupId": "sg-\ud800"}`,
	} {
		if _, err := tokenCases[0].read([]byte(data)); err == nil {
			t.Errorf("%s: read, want left to encoding/json", data)
		}
	}
	// Unknown names, even repeated, are skipped as encoding/json skips them.
	got, err := tokenCases[0].read([]byte(`{"GroupId": "sg-1", "X": 1, "X": [2], "Y": {"GroupId": 3}}`))
	if err != nil || got.(*securityGroupJSON).GroupId != "sg-1" {
		t.Errorf("got %+v, %v", got, err)
	}
}
