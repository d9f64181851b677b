package snapshot

import (
	"bytes"

	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// checkBounds scans a file's JSON once, before it is decoded, for nesting
// deeper than limits.JSONDepth and strings longer than limits.StringBytes:
// the decoder would accept both, at a cost no AWS output needs. It returns
// the offset of the first value past a bound and which bound, or -1.
func checkBounds(data []byte) (off int, bound string) {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			depth++
			if depth > limits.JSONDepth {
				return i, "depth"
			}
		case '}', ']':
			depth--
		case '"':
			end := stringEnd(data, i+1)
			if end-i-1 > limits.StringBytes {
				return i, "string"
			}
			i = end
		}
	}
	return -1, ""
}

// stringEnd is the offset of the quote closing the string whose content
// starts at from, or len(data) when it is not closed.
func stringEnd(data []byte, from int) int {
	for j := from; ; {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data)
		}
		q := j + k
		// The quote is escaped when an odd number of backslashes precede it.
		b := 0
		for p := q - 1; p >= from && data[p] == '\\'; p-- {
			b++
		}
		if b%2 == 0 {
			return q
		}
		j = q + 1
	}
}
