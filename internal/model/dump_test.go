package model

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"testing"
)

func TestDumpIsDeterministic(t *testing.T) {
	build := func(order []string) *Network {
		n := &Network{}
		for _, id := range order {
			n.VPCs.Put(&VPC{Meta: Meta{ID: id, Tags: map[string]string{"b": "2", "a": "1"}}, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}})
		}
		n.Subnets.Put(&Subnet{Meta: Meta{ID: "subnet-1"}, VPCID: "vpc-1"})
		n.CountNotModelled("AWS::EC2::AvailabilityZone")
		n.Warnf("w2", Origin{File: "b.json", Line: 1}, "", "second")
		n.Warnf("w1", Origin{File: "a.json", Line: 9}, "", "first")
		return n
	}
	a, err := Dump(build([]string{"vpc-2", "vpc-1", "vpc-3"}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Dump(build([]string{"vpc-3", "vpc-1", "vpc-2"}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("dumps differ:\n%s\n%s", a, b)
	}
	var got struct {
		Elements map[string][]struct {
			ID string `json:"id"`
		} `json:"elements"`
		NotModelled map[string]int `json:"notModelled"`
		Warnings    []Warning      `json:"warnings"`
	}
	if err := json.Unmarshal(a, &got); err != nil {
		t.Fatal(err)
	}
	vpcs := got.Elements[TypeVPC]
	if len(vpcs) != 3 || vpcs[0].ID != "vpc-1" || vpcs[2].ID != "vpc-3" || len(got.Elements[TypeSubnet]) != 1 {
		t.Errorf("elements = %+v", got.Elements)
	}
	if got.NotModelled["AWS::EC2::AvailabilityZone"] != 1 || len(got.Warnings) != 2 || got.Warnings[0].Code != "w1" {
		t.Errorf("not modelled %v warnings %v", got.NotModelled, got.Warnings)
	}
}
