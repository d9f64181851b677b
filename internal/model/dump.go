package model

import (
	"bytes"
	"encoding/json"
)

// Dump renders the network as deterministic, indented JSON: each kind
// (by CloudFormation type name) with its elements sorted by ID, then the
// not-modelled counts and the warnings, sorted. Golden tests compare it.
func Dump(n *Network) ([]byte, error) {
	kinds := map[string][]Element{}
	n.Elements(func(e Element) { kinds[e.Type()] = append(kinds[e.Type()], e) })
	ws := append([]Warning(nil), n.Warnings...)
	SortWarnings(ws)
	out := struct {
		Elements    map[string][]Element `json:"elements"`
		NotModelled map[string]int       `json:"notModelled,omitempty"`
		Warnings    []Warning            `json:"warnings,omitempty"`
	}{kinds, n.NotModelled, ws}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
