package snapshot

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/vpcreach/vpcreach/internal/model"
)

// A file is decoded in one pass, each value read once, by the streaming
// decoder of github.com/go-json-experiment/json (the upstream of
// encoding/json/v2). encoding/json reads each element twice, once to find
// its end and once to decode it, at about half the speed.
//
// The one-pass decoder accepts only input that encoding/json reads to the
// very same values: it refuses duplicate names and invalid UTF-8 (which
// encoding/json takes, last name winning, bad bytes replaced), and it
// matches names to fields as encoding/json does (an exact match first, then
// one that differs only in case). A file it refuses, or holding anything
// else that stops the read (a value of the wrong type, a bad value), is
// decoded again with encoding/json (see decodeExact), so every error, its
// message and its line stay those of encoding/json. The two agree on every
// file either reads without error (FuzzDecodeOnce).

// tokenDecoders are decoders of files done, with their storage and the
// strings they read lately: the files of a folder name the same IDs.
var tokenDecoders = sync.Pool{New: func() any { return &tokenDecoder{Decoder: new(jsontext.Decoder)} }}

// onePass turns the one-pass decoder on; tests turn it off to compare.
var onePass = true

// onceOptions make the one-pass decoder match names as encoding/json does.
// Names given twice are found by the readers of each object (onceObject,
// object in tokens.go) and, in the values decoded by reflection (read whole,
// then unmarshalled), by the unmarshaller (uniqueNames).
var onceOptions = jsonv2.JoinOptions(
	jsonv2.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsontext.AllowDuplicateNames(true),
)

// uniqueNames has the decoder refuse names given twice in a value.
var uniqueNames = jsontext.AllowDuplicateNames(false)

// decodeOnce decodes r.data into r.events in one pass. It reports false,
// with r's events and keys in any state, when the file has to be decoded
// with encoding/json to say what is wrong with it; ctx's error when the
// read is cancelled.
func (r *reader) decodeOnce() (bool, error) {
	if !onePass {
		return false, nil
	}
	dec := tokenDecoders.Get().(*tokenDecoder)
	defer func() {
		dec.Reset(bytes.NewBuffer(nil)) // holds no file
		tokenDecoders.Put(dec)
	}()
	dec.Reset(bytes.NewBuffer(r.data), onceOptions)
	ok, err := r.onceValue(dec, "")
	if !ok || err != nil {
		return false, err
	}
	// Only whitespace may follow.
	if _, err := dec.ReadToken(); err != io.EOF {
		return false, nil
	}
	return true, nil
}

// onceValue is value on the one-pass decoder.
func (r *reader) onceValue(dec *tokenDecoder, path string) (bool, error) {
	start := r.nextOffset(dec.InputOffset())
	if tooDeep(path) {
		return false, nil
	}
	tok, err := dec.ReadToken()
	if err != nil || !depthWithinBounds(dec) {
		return false, nil
	}
	switch tok.Kind() {
	case '{':
		return r.onceObject(dec, path, start)
	case '[':
		for i := 0; dec.PeekKind() != ']'; i++ {
			if ok, err := r.onceValue(dec, path+"["+strconv.Itoa(i)+"]"); !ok || err != nil {
				return false, err
			}
		}
		if _, err := dec.ReadToken(); err != nil {
			return false, nil
		}
		return true, nil
	case 'n':
		return true, nil
	}
	return false, nil
}

// onceObject is object on the one-pass decoder.
func (r *reader) onceObject(dec *tokenDecoder, path string, start int) (bool, error) {
	line := r.lineAt(start)
	rest := map[string]json.RawMessage{}
	var order []string
	hadList := false
	seen := map[string]bool{}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil || name.Kind() != '"' || !stringWithinBounds(name) {
			return false, nil
		}
		unquoted, err := jsontext.AppendUnquote(nil, name)
		if err != nil {
			return false, nil
		}
		key := string(unquoted)
		if seen[key] {
			return false, nil
		}
		seen[key] = true
		kpath := joinPath(path, key)
		if path == "" {
			r.topKeys = append(r.topKeys, key)
		}
		if h, ok := listKeys[key]; ok {
			if ok, err := r.onceList(dec, kpath, key, h); !ok || err != nil {
				return false, err
			}
			hadList = true
			continue
		}
		if key == "data" {
			if ok, err := r.onceValue(dec, kpath); !ok || err != nil {
				return false, err
			}
			continue
		}
		raw, err := dec.ReadValue()
		if err != nil || !withinBounds(raw, dec.StackDepth()) {
			return false, nil
		}
		order = append(order, key)
		rest[key] = append(json.RawMessage(nil), raw...)
	}
	if _, err := dec.ReadToken(); err != nil {
		return false, nil
	}
	if err := r.objectRead(rest, order, hadList, path, start, line); err != nil {
		return false, nil
	}
	return true, nil
}

// onceList is list on the one-pass decoder.
func (r *reader) onceList(dec *tokenDecoder, path, key string, h *listHandler) (bool, error) {
	r.sawList(key)
	tok, err := dec.ReadToken()
	if err != nil || !depthWithinBounds(dec) {
		return false, nil
	}
	switch tok.Kind() {
	case 'n':
		return true, nil // "Vpcs": null
	case '[':
	default:
		return false, nil
	}
	var raw jsontext.Value // the element decoded by reflection
	decode := func(v any) error { return jsonv2.Unmarshal(raw, v, onceOptions, uniqueNames) }
	var pathBuf []byte
	for i := 0; dec.PeekKind() != ']'; i++ {
		if err := r.cancelled(); err != nil {
			return false, err
		}
		off := r.nextOffset(dec.InputOffset())
		switch r.peek(off) {
		case 'n': // null element
			if err := dec.SkipValue(); err != nil {
				return false, nil
			}
			continue
		case '{':
		default:
			return false, nil
		}
		o := model.Origin{File: r.file, Path: indexPath(&pathBuf, path, i), Line: r.lineAt(off)}
		r.elemOff = off
		ev := event{h: h, elem: true, o: o, elemOff: off}
		var err error
		if h.tokens != nil {
			ev.v, err = h.tokens(r, dec, o)
			ev.converted = true
		} else {
			depth := dec.StackDepth()
			if raw, err = dec.ReadValue(); err == nil {
				if withinBounds(raw, depth) {
					ev.v, err = h.decode(decode)
				} else {
					err = errLeft
				}
			}
		}
		if err != nil {
			return false, nil
		}
		*r.events = append(*r.events, ev)
	}
	if _, err := dec.ReadToken(); err != nil {
		return false, nil
	}
	return true, nil
}

// unmarshalOnce decodes raw into the zero value *v in one pass, and
// reports whether it could; when not, *v is as it was, for encoding/json
// to decode raw (and say what is wrong with it).
func unmarshalOnce(raw []byte, v any) bool {
	if !onePass {
		return false
	}
	dst := reflect.ValueOf(v)
	if dst.Kind() != reflect.Pointer || dst.IsNil() || !dst.Elem().IsZero() {
		return false // encoding/json merges into what *v holds
	}
	fresh := reflect.New(dst.Type().Elem())
	if jsonv2.Unmarshal(raw, fresh.Interface(), onceOptions, uniqueNames) != nil {
		return false
	}
	dst.Elem().Set(fresh.Elem())
	return true
}

// indexPath is path+"["+i+"]", built in *buf.
func indexPath(buf *[]byte, path string, i int) string {
	b := append(append((*buf)[:0], path...), '[')
	b = append(strconv.AppendInt(b, int64(i), 10), ']')
	*buf = b
	return string(b)
}
