package srcfile

import (
	"io"
	"io/fs"
	"os"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// NotRegular is the error for a source that is not a regular file or a
// folder: a named pipe or a device is read once, and a first look at its
// content (to tell its format) would consume it.
func NotRegular(path string, mode fs.FileMode) error {
	what := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO), not a regular file"
	case mode&fs.ModeSocket != 0:
		what = "a socket, not a regular file"
	case mode&fs.ModeCharDevice != 0:
		what = "a character device, not a regular file"
	case mode&fs.ModeDevice != 0:
		what = "a device, not a regular file"
	}
	return &diag.Error{File: path, Code: "not-a-file",
		Message: what + ": vpcreach reads files and folders; save the content to a file first (e.g. cmd > out.json)"}
}

// Read reads a regular file of at most maxBytes, checks it is UTF-8 and
// returns it without a byte order mark.
func Read(path string, maxBytes int64) ([]byte, error) {
	data, err := ReadInto(path, nil, maxBytes, "")
	if err != nil {
		return nil, err
	}
	return Check(path, data)
}

// ReadInto reads a regular file of at most maxBytes into buf's storage
// when it has room. It refuses files that are not regular (a named pipe
// would block, or be consumed by a first look) and larger ones, naming
// flag, the flag that raises the bound, if any.
func ReadInto(path string, buf []byte, maxBytes int64, flag string) ([]byte, error) {
	// Look before opening: opening a named pipe blocks until a writer comes.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, NotRegular(path, fi.Mode())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, NotRegular(path, fi.Mode())
	}
	if fi.Size() > maxBytes {
		return nil, TooLarge(path, fi.Size(), maxBytes, flag)
	}
	if size := int(fi.Size()) + 1; size > cap(buf) { // one more byte to see EOF
		buf = make([]byte, 0, size)
	}
	data := buf[:0]
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		k, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+k]
		if int64(len(data)) > maxBytes { // grew while read
			return nil, TooLarge(path, int64(len(data)), maxBytes, flag)
		}
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return data, err
		}
	}
}

// TooLarge is the error for a file of size bytes above the maxBytes bound;
// flag is the flag that raises the bound, if any.
func TooLarge(path string, size, maxBytes int64, flag string) error {
	return limits.Errorf(path, 0, "", flag, "the file is %s, more than the %s limit", limits.Size(size), limits.Size(maxBytes))
}
