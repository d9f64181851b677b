// Package diag holds the error type sources return for input that cannot be
// read: it names the file, the line and the resource, with a stable code,
// and renders as "file:line: code: message" (one line, OPA style).
package diag

import (
	"errors"
	"fmt"
	"strings"
)

// Error is input that cannot be read. Commands print it on one line and
// exit with status 2.
type Error struct {
	File     string
	Line     int
	Resource string // resource ID or logical ID, when known
	Code     string // stable, e.g. "malformed-json", "bad-template"
	Message  string
	Err      error // underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	if e.Resource != "" {
		b.WriteString(e.Resource)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil && !strings.Contains(e.Message, e.Err.Error()) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return strings.ReplaceAll(b.String(), "\n", " ")
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error.
func Errorf(file string, line int, code, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Code: code, Message: fmt.Sprintf(format, args...)}
}

// IsInput reports whether err is (or wraps) an input error.
func IsInput(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
