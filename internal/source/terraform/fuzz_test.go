package terraform

import (
	"os"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
)

// FuzzRead: any bytes give a network or an error, never a panic.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/plan.json", "testdata/state.json", "testdata/lb.json", "testdata/on-two-tier.json", "testdata/netfirewall.json", "testdata/gwlb-state.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"address":"aws_vpc.x[","type":"aws_vpc","change":{"actions":["create"],"after":{"cidr_block":1}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := &model.Network{}
		if err := ReadBytes("fuzz.json", data, Options{}, n); err == nil {
			n.Finalize()
		}
	})
}
