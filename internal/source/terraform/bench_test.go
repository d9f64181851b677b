package terraform

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// BenchmarkReadPlan10k reads a generated plan of 10,000 resource instances.
func BenchmarkReadPlan10k(b *testing.B) {
	data, err := GeneratePlan(10000)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		n := &model.Network{}
		if err := ReadBytes("gen.json", data, Options{}, n); err != nil {
			b.Fatal(err)
		}
		n.Finalize()
	}
}
