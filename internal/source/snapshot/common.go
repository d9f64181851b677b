package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// listHandler reads one element of a list of resources in two steps:
// decode turns its JSON into a value and touches nothing else, so files
// can be decoded in parallel; conv adds the value to the network, in file
// order.
type listHandler struct {
	what   string // what the list holds, for messages
	decode func(decode func(any) error) (any, error)
	conv   func(r *reader, v any, o model.Origin) error
	// tokens, when set, reads an element from the one-pass decoder's
	// tokens and converts it (instead of decode and conv), and add adds
	// what it gives to the network (see handleTokens).
	tokens  func(r *reader, dec *tokenDecoder, o model.Origin) (any, error)
	convert func(r *reader, v any, o model.Origin) (any, error)
	add     func(r *reader, v any)
}

// fn decodes an element and adds it to the network at once.
func (h *listHandler) fn(r *reader, decode func(any) error, o model.Origin) error {
	v, err := h.decode(decode)
	if err != nil {
		return err
	}
	return h.conv(r, v, o)
}

// handle builds a listHandler that decodes each element into a T.
func handle[T any](what string, conv func(r *reader, v *T, o model.Origin) error) *listHandler {
	return &listHandler{
		what: what,
		decode: func(decode func(any) error) (any, error) {
			v := new(T)
			if err := decode(v); err != nil {
				return nil, err
			}
			return v, nil
		},
		conv: func(r *reader, v any, o model.Origin) error { return conv(r, v.(*T), o) },
	}
}

// listKeys are the top-level keys holding lists of resources. Filled by
// init functions of the files that read each service.
var listKeys = map[string]*listHandler{}

// tag is an AWS tag.
type tag struct {
	Key   string
	Value string
}

// idRef is {"GroupId": ...} and similar one-field references.
type groupRef struct {
	GroupId   string
	GroupName string
}

// meta builds an element's Meta: ID, scope, Name tag, tags and origin.
// ownerID and az (or an ARN) help when the path does not name the account
// or region.
func (r *reader) meta(id string, o model.Origin, tags []tag, ownerID, az string) model.Meta {
	m := model.Meta{ID: id, Origin: o, Account: r.account, Region: r.region}
	if m.Account == "" && accountRe.MatchString(ownerID) {
		m.Account = ownerID
	}
	if m.Region == "" {
		m.Region = regionOfAZ(az)
	}
	if len(tags) > 0 {
		m.Tags = make(map[string]string, len(tags))
		for _, t := range tags {
			m.Tags[t.Key] = t.Value
			if t.Key == "Name" {
				m.Name = t.Value
			}
		}
	}
	return m
}

// put adds e to c, or merges it into the element with the same ID (see
// merge: fields the earlier one lacks are filled, conflicts are warned of
// or stop the read), and returns the element kept.
func put[T model.Element](r *reader, c *model.Collection[T], e T) T {
	id := e.Base().ID
	if old, ok := c.Get(id); ok {
		r.merge(old, e)
		if eni, ok := any(old).(*model.NetworkInterface); ok && len(eni.PrivateIPs) > 0 {
			// A fuller record of the interface settles its address.
			kept := eni.Unknowns[:0]
			for _, u := range eni.Unknowns {
				if u.Field != "PrivateIpAddress" {
					kept = append(kept, u)
				}
			}
			eni.Unknowns = kept
			if len(kept) == 0 {
				eni.Unknowns = nil
			}
		}
		return old
	}
	c.Put(e)
	r.added = append(r.added, addedElem{meta: e.Base(), dir: r.dir})
	return e
}

// parsePrefix reads a CIDR; an invalid one is a fieldError naming the field.
func parsePrefix(field, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, badValue(s, "%s %q is not a CIDR block", field, s)
	}
	return p, nil
}

// parseAddr reads an IP address; "" is the zero Addr.
func parseAddr(field, s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, badValue(s, "%s %q is not an IP address", field, s)
	}
	return a, nil
}

// shapeErr reports a value that cannot be read, with the element's origin.
func (r *reader) shapeErr(o model.Origin, resource string, err error) error {
	return r.valueErr(o, resource, err)
}

// valueErr reports a value that cannot be read, at the line of the value
// itself when it can be found in the element, else the element's.
func (r *reader) valueErr(o model.Origin, resource string, err error) error {
	var fe *fieldError
	if !errors.As(err, &fe) || fe.code == "" {
		return r.errAtLine(o.Line, "bad-shape", resource, "%s: %v", o.Path, err)
	}
	line := o.Line
	if l := r.valueLine(fe.needle); l > 0 {
		line = l
	}
	return r.errAtLine(line, fe.code, resource, "%s: %s", o.Path, fe.msg)
}

// valueLine is the line of the first occurrence of needle, as a whole
// word, in the element being read; 0 when not found.
func (r *reader) valueLine(needle string) int {
	if needle == "" || r.data == nil || r.elemOff < 0 || r.elemOff > len(r.data) {
		return 0
	}
	word := func(b byte) bool {
		return b == '-' || b == '.' || b == '/' || b == ':' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	for from := r.elemOff; from < len(r.data); {
		i := bytes.Index(r.data[from:], []byte(needle))
		if i < 0 {
			return 0
		}
		at := from + i
		end := at + len(needle)
		if (at == 0 || !word(r.data[at-1])) && (end >= len(r.data) || !word(r.data[end])) {
			return r.lineAt(at)
		}
		from = at + 1
	}
	return 0
}

func (r *reader) errAtLine(line int, code, resource, format string, args ...any) error {
	return &diag.Error{File: r.file, Line: line, Code: code, Resource: resource, Message: fmt.Sprintf(format, args...)}
}

// ids returns the GroupIds of group references.
func groupIDs(gs []groupRef) []string {
	if len(gs) == 0 {
		return nil
	}
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		if g.GroupId != "" {
			out = append(out, g.GroupId)
		}
	}
	return out
}

// statusCode is {"Code": "active"} (peering, Client VPN).
type statusCode struct {
	Code string
}
