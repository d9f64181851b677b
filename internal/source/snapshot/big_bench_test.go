package snapshot

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// BenchmarkRead100k reads a generated snapshot of 100,000 interfaces and
// 2,001 security groups of 41 rules each (about 82,000 rules).
func BenchmarkRead100k(b *testing.B) {
	dir := b.TempDir()
	writeSynthetic(b, dir, 100000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := &model.Network{}
		if err := Read(dir, n); err != nil {
			b.Fatal(err)
		}
	}
}
