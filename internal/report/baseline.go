package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/diff"
	"github.com/vpcreach/vpcreach/internal/lint"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// Key is the identity of a finding read back from JSON (cli.md "vpcreach diff").
func (f ExposureFinding) Key() diff.Key {
	return diff.Key{Resource: f.Resource.ID, FromKind: reach.EdgeKind(f.From.Kind), FromID: f.From.ID, Protocol: f.Protocol,
		Ports: model.PortRange{From: uint16(f.Ports.From), To: uint16(f.Ports.To)}}
}

// readBaseline decodes path, an earlier --format json output of command,
// into v strictly: a file of another command, of another tool, or without
// the required top-level keys is a bad-baseline error naming the file and,
// for JSON that does not parse, the line.
func readBaseline(path, command string, v any, required ...string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return &diag.Error{File: path, Code: "bad-baseline", Message: "cannot read the baseline", Err: err}
	}
	notOutput := func(line int, why string) error {
		return diag.Errorf(path, line, "bad-baseline", "not an earlier `vpcreach %s --format json` output: %s", command, why)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n"))
		}
		return notOutput(line, err.Error())
	}
	for _, k := range append([]string{"schemaVersion"}, required...) {
		if _, ok := top[k]; !ok {
			return notOutput(0, fmt.Sprintf("no %q", k))
		}
	}
	var version int
	if err := json.Unmarshal(top["schemaVersion"], &version); err != nil || version != SchemaVersion {
		return notOutput(0, fmt.Sprintf("schemaVersion %s, want %d", top["schemaVersion"], SchemaVersion))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return notOutput(0, err.Error())
	}
	return nil
}

// ReadExposureBaseline reads an earlier `vpcreach exposure --format json`
// output and returns the identities of its findings.
func ReadExposureBaseline(path string) (diff.Known, error) {
	var out ExposureOutput
	if err := readBaseline(path, "exposure", &out, "findings"); err != nil {
		return nil, err
	}
	known := diff.Known{}
	for _, f := range out.Findings {
		known[f.Key()] = true
	}
	return known, nil
}

// ReadLintBaseline reads an earlier `vpcreach lint --format json` output
// and returns the identities (rule, resource) of its findings.
func ReadLintBaseline(path string) (map[lint.Key]bool, error) {
	var out LintOutput
	if err := readBaseline(path, "lint", &out, "findings"); err != nil {
		return nil, err
	}
	known := map[lint.Key]bool{}
	for _, f := range out.Findings {
		known[lint.Key{Rule: f.Rule, Resource: f.Resource.ID}] = true
	}
	return known, nil
}

// DiffBaseline is what an earlier diff output accepted: the identities of
// the findings it opened or changed, and of those it closed.
type DiffBaseline struct {
	Opened, Closed diff.Known
}

// ReadDiffBaseline reads an earlier `vpcreach diff --format json` output.
func ReadDiffBaseline(path string) (*DiffBaseline, error) {
	var out DiffOutput
	if err := readBaseline(path, "diff", &out, "added", "removed", "changed"); err != nil {
		return nil, err
	}
	b := &DiffBaseline{Opened: diff.Known{}, Closed: diff.Known{}}
	for _, f := range out.Added {
		b.Opened[f.Key()] = true
	}
	for _, c := range out.Changed {
		b.Opened[c.After.Key()] = true
	}
	for _, f := range out.Removed {
		b.Closed[f.Key()] = true
	}
	return b, nil
}
