package collect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// object is a JSON object whose keys keep their order, the way the AWS CLI
// prints a response: used for the merged files (inputs.md §1) and for the
// top-level wrapper of a list call ({"Vpcs": [...]}).
type object []field

type field struct {
	Key   string
	Value any
}

// MarshalJSON writes the fields in order, each value in the CLI's shape.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, f := range o {
		v, ok := cliValue(reflect.ValueOf(f.Value))
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(f.Key)
		b.Write(k)
		b.WriteByte(':')
		enc, err := marshalPlain(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Key, err)
		}
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encodeCLI renders v (SDK output structs, slices of them, objects) as the
// AWS CLI prints it with --output json: the API's member names as keys,
// absent members left out, timestamps in ISO 8601, four-space indent.
func encodeCLI(v any) ([]byte, error) {
	cv, ok := cliValue(reflect.ValueOf(v))
	if !ok {
		cv = nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(cv); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

var (
	timeType     = reflect.TypeOf(time.Time{})
	metadataType = reflect.TypeOf(middleware.Metadata{})
	objectType   = reflect.TypeOf(object(nil))
)

// cliValue converts an SDK value to plain JSON-ready values (maps with
// ordered keys are kept as object). ok is false for an absent value: a nil
// pointer, slice, map or interface, or an unset enum (empty named string).
func cliValue(v reflect.Value) (any, bool) {
	if !v.IsValid() {
		return nil, false
	}
	if v.Type() == objectType {
		if v.IsNil() {
			return nil, false
		}
		return v.Interface(), true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return cliValue(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return formatTime(v.Interface().(time.Time)), true
		}
		if v.Type() == metadataType {
			return nil, false
		}
		return structValue(v), true
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, false
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v.Bytes(), true // a blob: base64, like the CLI
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			e, ok := cliValue(v.Index(i))
			if !ok {
				e = nil
			}
			out = append(out, e)
		}
		return out, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		o := make(object, 0, len(keys))
		for _, k := range keys {
			e, ok := cliValue(v.MapIndex(k))
			if !ok {
				continue
			}
			o = append(o, field{k.String(), e})
		}
		return o, true
	case reflect.String:
		// Enums are named string types and are absent when empty; plain
		// strings reach here only through a pointer, so an empty one is a
		// real empty value.
		if v.Type().Name() != "string" && v.Type().PkgPath() != "" && v.String() == "" {
			return nil, false
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	return nil, false
}

// structValue keeps the exported fields in declaration order. A union
// member (types.XxxMemberYyy{Value: v}) prints as {"Yyy": v}, as the CLI does.
func structValue(v reflect.Value) object {
	t := v.Type()
	if base, member, ok := strings.Cut(t.Name(), "Member"); ok && base != "" && member != "" && t.NumField() >= 1 && t.Field(0).Name == "Value" {
		e, ok := cliValue(v.Field(0))
		if !ok {
			return object{}
		}
		return object{{member, e}}
	}
	o := make(object, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Anonymous || sf.Name == "ResultMetadata" {
			continue
		}
		e, ok := cliValue(v.Field(i))
		if !ok {
			continue
		}
		o = append(o, field{sf.Name, e})
	}
	return o
}

// formatTime prints a timestamp the way the AWS CLI does: ISO 8601 in UTC
// with an explicit +00:00 offset.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999999") + "+00:00"
}

// countItems is how many resources a written value holds: the length of
// the first list in an object, or of a top-level list.
func countItems(v any) int {
	switch x := v.(type) {
	case object:
		for _, f := range x {
			rv := reflect.ValueOf(f.Value)
			if rv.Kind() == reflect.Slice {
				return rv.Len()
			}
		}
		return 1
	case []object:
		return len(x)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		return rv.Len()
	}
	return 1
}
