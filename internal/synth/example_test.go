package synth_test

import (
	"fmt"
	"os"

	"github.com/vpcreach/vpcreach/internal/synth"
)

func ExampleGenerateStats() {
	dir, err := os.MkdirTemp("", "org")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	cfg := synth.Config{Seed: 1, Accounts: 2, Regions: 2, VPCs: 8, ENIs: 500, SGRules: 1500}
	stats, err := synth.GenerateStats(dir, cfg)
	if err != nil {
		panic(err)
	}
	fmt.Println(stats["Vpcs"], "VPCs,", stats["NetworkInterfaces"], "ENIs,", stats["SecurityGroupRules"], "rules")
	s, _ := synth.SampleOf(cfg)
	fmt.Println(s.Account, s.Region, s.PrivateName)
	// Output:
	// 8 VPCs, 500 ENIs, 1500 rules
	// 100001010101 us-east-1 host-00001.net0000.internal.
}
