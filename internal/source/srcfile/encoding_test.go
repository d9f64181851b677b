package srcfile

import (
	"strings"
	"testing"
)

// TestCheckNamesTheEncoding: UTF-8 passes (without its byte order mark);
// UTF-16 and UTF-32, with or without a byte order mark, and bytes that
// are not UTF-8 are named, at their line.
func TestCheckNamesTheEncoding(t *testing.T) {
	wide := func(s string, le bool, width int) []byte {
		var b []byte
		for _, c := range []byte(s) {
			unit := make([]byte, width)
			if le {
				unit[0] = c
			} else {
				unit[width-1] = c
			}
			b = append(b, unit...)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" when it passes
		line int
	}{
		{"UTF-8", []byte(`{"a": "café"}`), "", 0},
		{"UTF-8 BOM", []byte("\xEF\xBB\xBF{}"), "", 0},
		{"UTF-16LE BOM", append([]byte{0xFF, 0xFE}, wide("{}", true, 2)...), "UTF-16LE", 1},
		{"UTF-16BE BOM", append([]byte{0xFE, 0xFF}, wide("{}", false, 2)...), "UTF-16BE", 1},
		{"UTF-16LE", wide(`{"a": 1}`, true, 2), "UTF-16LE", 1},
		{"UTF-16BE", wide(`{"a": 1}`, false, 2), "UTF-16BE", 1},
		{"UTF-32LE BOM", append([]byte{0xFF, 0xFE, 0, 0}, wide("{}", true, 4)...), "UTF-32LE", 1},
		{"UTF-32BE", wide(`{"a": 1}`, false, 4), "UTF-32BE", 1},
		{"Latin-1", []byte("{\n\"a\": \"caf\xe9\"}"), "byte 0xE9 is not UTF-8", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Check("f.json", tc.data)
			if tc.want == "" {
				if err != nil || strings.HasPrefix(string(out), "\uFEFF") {
					t.Errorf("got %q, %v", out, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "f.json:"+string(rune('0'+tc.line))+": bad-encoding") {
				t.Errorf("got %v, want %q at line %d", err, tc.want, tc.line)
			}
		})
	}
}
