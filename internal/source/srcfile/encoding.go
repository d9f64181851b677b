// Package srcfile reads source files: regular files only, within a size
// bound, in UTF-8. Check tells that a file is UTF-8 text, as AWS writes
// its API output and CloudFormation reads templates, and names the
// encoding when it is not, instead of letting a parser fail on the first
// byte it does not expect.
package srcfile

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/vpcreach/vpcreach/internal/diag"
)

// Code is the diag code of a file in another encoding.
const Code = "bad-encoding"

// bom is the UTF-8 byte order mark, which some Windows editors write.
var bom = []byte{0xEF, 0xBB, 0xBF}

// Check returns data without a leading UTF-8 byte order mark, or an error
// naming the encoding when data is UTF-16, UTF-32 or not valid UTF-8.
func Check(file string, data []byte) ([]byte, error) {
	if name := wide(data); name != "" {
		return nil, &diag.Error{File: file, Line: 1, Code: Code,
			Message: fmt.Sprintf("the file is %s text; vpcreach reads UTF-8 (convert it, e.g. iconv -f %s -t UTF-8)", name, name)}
	}
	data = bytes.TrimPrefix(data, bom)
	if utf8.Valid(data) {
		return data, nil
	}
	off := invalidAt(data)
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	return nil, &diag.Error{File: file, Line: line, Code: Code,
		Message: fmt.Sprintf("byte 0x%02X is not UTF-8: the file is in another encoding (ISO-8859-1 or Windows-1252?); vpcreach reads UTF-8", data[off])}
}

// wide names the UTF-16 or UTF-32 encoding of data, by its byte order
// mark or, without one, by the zero bytes ASCII text has in it; "" for
// anything else.
func wide(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return "UTF-32LE"
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32BE"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "UTF-16BE"
	}
	if len(data) < 4 {
		return ""
	}
	switch {
	case data[0] != 0 && data[1] == 0 && data[2] == 0 && data[3] == 0:
		return "UTF-32LE"
	case data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] != 0:
		return "UTF-32BE"
	case data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return "UTF-16LE"
	case data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return "UTF-16BE"
	}
	return ""
}

// invalidAt is the offset of the first byte that is not valid UTF-8.
func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}
