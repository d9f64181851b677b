package snapshot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

const oneVPC = `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111122223333"}]}`

// TestFilesThatAreNotUTF8JSON: a byte order mark is read; other encodings,
// pipes, files above the size bound, JSON nested or strings longer than
// AWS writes are errors that say so.
func TestFilesThatAreNotUTF8JSON(t *testing.T) {
	n := &model.Network{}
	f := filepath.Join(t.TempDir(), "vpcs.json")
	os.WriteFile(f, []byte("\ufeff"+oneVPC), 0o644)
	if err := Read(f, n); err != nil || n.VPCs.Len() != 1 {
		t.Fatalf("UTF-8 with a BOM: %v (%d VPCs)", err, n.VPCs.Len())
	}
	utf16 := []byte{0xFF, 0xFE}
	for _, c := range oneVPC {
		utf16 = append(utf16, byte(c), 0)
	}
	fifo := filepath.Join(t.TempDir(), "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte // nil: the FIFO
		lim  limits.Limits
		code string
		msg  string
	}{
		{"UTF-16", utf16, limits.Limits{}, "bad-encoding", "the file is UTF-16LE text; vpcreach reads UTF-8"},
		{"Windows-1252", []byte("{\"Vpcs\": [{\"VpcId\": \"vpc-1\",\n \"Tags\": [{\"Key\": \"Name\", \"Value\": \"caf\xe9\"}]}]}"), limits.Limits{}, "bad-encoding", "byte 0xE9 is not UTF-8"},
		{"named pipe", nil, limits.Limits{}, "not-a-file", "a named pipe (FIFO), not a regular file"},
		{"too large", []byte(oneVPC), limits.Limits{FileBytes: 10}, limits.Code, "more than the 10 bytes limit (raise the limit with --max-file-size)"},
		{"deep", []byte(`{"Vpcs": [{"VpcId": "vpc-1", "X": ` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}]}`), limits.Limits{}, limits.Code, "nested deeper than 100 levels"},
		{"long string", []byte(`{"Vpcs": [{"VpcId": "` + strings.Repeat("a", limits.StringBytes+1) + `"}]}`), limits.Limits{}, limits.Code, "a JSON string longer than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fifo
			if tc.data != nil {
				p = filepath.Join(t.TempDir(), "x.json")
				os.WriteFile(p, tc.data, 0o644)
			}
			err := ReadContext(context.Background(), p, &model.Network{}, tc.lim)
			var de *diag.Error
			if !errors.As(err, &de) || de.Code != tc.code || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("got %v", err)
			}
		})
	}
	// In a folder a pipe is skipped, as every file that is not regular.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "vpcs.json"), []byte(oneVPC), 0o644)
	syscall.Mkfifo(filepath.Join(dir, "pipe.json"), 0o600)
	if err := Read(dir, &model.Network{}); err != nil {
		t.Errorf("folder with a pipe: %v", err)
	}
}

// TestReadStopsWhenCancelled: a cancelled context stops reading.
func TestReadStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"Vpcs": [`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"VpcId": "vpc-` + strings.Repeat("0", 3) + string(rune('a'+i%26)) + `", "CidrBlock": "10.0.0.0/16"}`)
	}
	b.WriteString("]}")
	for _, name := range []string{"a.json", "b.json", "c.json"} {
		os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, w := range []int{1, 4} {
		if err := read(ctx, dir, &model.Network{}, w, limits.Limits{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%d workers: got %v", w, err)
		}
	}
}
