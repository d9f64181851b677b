package report

import (
	"net/netip"
	"strconv"
	"unicode/utf8"
)

// This file appends JSON text as encoding/json writes it with
// SetEscapeHTML(false), for the records written once per finding, where
// reflection and the views it reads cost more than the rest of the
// output.

// jsonSafe holds whether an ASCII byte stands for itself inside a JSON
// string: all but the control characters, the quote and the backslash
// (encoding/json's safeSet; <, > and & too, HTML escaping being off).
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for b := range t {
		t[b] = b >= 0x20 && b != '"' && b != '\\'
	}
	return t
}()

const lowerHex = "0123456789abcdef"

// appendJSONString appends s as a JSON string as encoding/json does with
// HTML escaping off: \b \f \n \r \t and \u00XX for the other control
// characters, \" and \\, \ufffd for each byte of invalid UTF-8, and
// U+2028 and U+2029 escaped.
func appendJSONString[S ~string | ~[]byte](dst []byte, s S) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a second look.
		for i+8 <= len(s) {
			c := s[i : i+8]
			if needsEscape(uint64(c[0]) | uint64(c[1])<<8 | uint64(c[2])<<16 | uint64(c[3])<<24 |
				uint64(c[4])<<32 | uint64(c[5])<<40 | uint64(c[6])<<48 | uint64(c[7])<<56) {
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', lowerHex[b>>4], lowerHex[b&0xF])
			}
			i++
			start = i
			continue
		}
		n := min(len(s)-i, utf8.UTFMax)
		c, size := utf8.DecodeRuneInString(string(s[i : i+n]))
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', lowerHex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// needsEscape reports whether any of the eight bytes of x is a control
// character, a quote, a backslash or not ASCII. Subtracting 0x20 from
// every byte sets the high bit of an ASCII byte below 0x20; subtracting 1
// from every byte of x xor '"' (xor '\\') sets that of a byte equal to
// '"' ('\\'). A borrow into the next byte starts only at a byte that
// matched, so a high bit set is always some byte's match.
func needsEscape(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, b := x^(ones*'"'), x^(ones*'\\')
	return (x|(x-ones*0x20)&^x|(q-ones)&^q|(b-ones)&^b)&highs != 0
}

// appendJSONInt appends n as encoding/json writes an int.
func appendJSONInt(dst []byte, n int) []byte { return strconv.AppendInt(dst, int64(n), 10) }

// appendPrefixJSON appends p.String() as a JSON string. A prefix's text
// has nothing to escape: no zone, only digits, hex digits, dots, colons
// and a slash (or "invalid Prefix").
func appendPrefixJSON(dst []byte, p netip.Prefix) []byte {
	dst = append(dst, '"')
	if p.IsValid() {
		dst = p.AppendTo(dst)
	} else {
		dst = append(dst, "invalid Prefix"...)
	}
	return append(dst, '"')
}

// appendAddrJSON appends a.String() of a valid address as a JSON string;
// tmp is a buffer of the caller's (an IPv6 zone may need escaping).
func appendAddrJSON(dst []byte, a netip.Addr, tmp *[]byte) []byte {
	if a.Zone() == "" {
		dst = append(dst, '"')
		dst = a.AppendTo(dst)
		return append(dst, '"')
	}
	*tmp = a.AppendTo((*tmp)[:0])
	return appendJSONString(dst, *tmp)
}
