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
	return boundsFrom(data, 0)
}

// boundsFrom is checkBounds for a value nested in depth arrays and objects.
func boundsFrom(data []byte, depth int) (off int, bound string) {
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

// The one-pass decoder refuses what checkBounds refuses, looking at what
// it reads rather than scanning the file first: the strings it reads, the
// depth of the arrays and objects it enters, and the values it skips or
// keeps whole (see once.go).

// withinBounds reports whether a value read whole at depth holds no
// string longer than limits.StringBytes and nests no deeper than
// limits.JSONDepth.
func withinBounds(v []byte, depth int) bool {
	if len(v) == 0 {
		return true
	}
	switch v[0] {
	case '"':
		return len(v)-2 <= limits.StringBytes
	case '{', '[':
		off, _ := boundsFrom(v, depth)
		return off < 0
	}
	return true
}

// stringWithinBounds reports whether a quoted string is no longer than
// limits.StringBytes.
func stringWithinBounds(quoted []byte) bool { return len(quoted)-2 <= limits.StringBytes }

// depthWithinBounds reports whether the decoder is nested no deeper than
// limits.JSONDepth.
func depthWithinBounds(dec *tokenDecoder) bool { return dec.StackDepth() <= limits.JSONDepth }
