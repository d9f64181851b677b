// Package report renders analysis results for people (aligned text tables)
// and for programs (JSON per the command-line contract, SARIF 2.1.0 for
// code scanning). It knows nothing of input formats.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// SchemaVersion is the "schemaVersion" of every JSON document vpcreach
// writes (docs/json.md). It grows when a field is removed or changes
// meaning; fields are added without changing it.
const SchemaVersion = 1

// Format is an output format.
type Format string

// Output formats.
const (
	Text  Format = "text"
	JSON  Format = "json"
	SARIF Format = "sarif"
)

// ParseFormat checks a --format value against the formats a command offers.
func ParseFormat(s string, allowed ...Format) (Format, error) {
	for _, f := range allowed {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(allowed))
	for i, f := range allowed {
		names[i] = string(f)
	}
	return "", fmt.Errorf("--format %q: want one of %s", s, strings.Join(names, ", "))
}

// WriteJSON writes v as indented JSON with a final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Table writes aligned columns: every cell but a row's last is padded to
// the widest cell of its column plus two spaces. Widths count what a reader
// sees, so cells may carry colour.
type Table struct {
	w    io.Writer
	rows [][]string
}

// NewTable starts a table with a header row.
func NewTable(w io.Writer, header ...string) *Table {
	t := &Table{w: w}
	if len(header) > 0 {
		t.Row(header...)
	}
	return t
}

// Row adds one row.
func (t *Table) Row(cells ...string) {
	t.rows = append(t.rows, cells)
}

// widths returns the padded width of each column.
func (t *Table) widths() []int {
	var ws []int
	for _, r := range t.rows {
		for i, c := range r[:max(len(r)-1, 0)] {
			if i >= len(ws) {
				ws = append(ws, 0)
			}
			ws[i] = max(ws[i], visibleLen(c)+2)
		}
	}
	return ws
}

// Flush writes the table out.
func (t *Table) Flush() error {
	ws := t.widths()
	var b, line strings.Builder
	for _, r := range t.rows {
		line.Reset()
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", ws[i]-visibleLen(c)))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	t.rows = nil
	_, err := io.WriteString(t.w, b.String())
	return err
}

// visibleLen is the width of s on a terminal: its runes, colour codes left out.
func visibleLen(s string) int {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] == '\x1b' {
			ascii = false
			break
		}
	}
	if ascii {
		return len(s)
	}
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\x1b' {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j + 1
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}
