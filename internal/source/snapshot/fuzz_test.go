package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vpcreach/vpcreach/internal/fuzztime"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

// FuzzRead feeds arbitrary bytes to the reader as one snapshot file: it
// must return nil or a *diag.Error, never panic, and the same network or
// error with the one-pass decoder as with encoding/json alone. Seeds come
// from testdata/fuzz/FuzzRead and from the two-tier example.
func FuzzRead(f *testing.F) {
	ex := filepath.Join("..", "..", "..", "examples", "two-tier", "aws_configs", "123456789012", "us-east-1")
	entries, _ := os.ReadDir(ex)
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(ex, e.Name())); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"status_code": 200, "data": {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}}`))
	f.Add([]byte(`[{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [{"DestinationCidrBlock": "10.0.0.0/8"}]}]`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzztime.Start(t, "snapshot.FuzzRead", data)()
		p := filepath.Join(dir, "input.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n := &model.Network{}
		err := Read(p, n)
		exact, exactErr := readExact(p)
		if err != nil {
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("error is not a *diag.Error: %T %v", err, err)
			}
			if de.File != p {
				t.Fatalf("error names %q, want %q", de.File, p)
			}
			var ee *diag.Error
			if !errors.As(exactErr, &ee) || ee.Line != de.Line || ee.Code != de.Code || ee.Resource != de.Resource || exactErr.Error() != err.Error() {
				t.Fatalf("one pass: %+v\nencoding/json: %+v", err, exactErr)
			}
			return
		}
		n.Finalize()
		dump, err := model.Dump(n)
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		if exactErr != nil || !bytes.Equal(dump, exact) {
			t.Fatalf("one pass read a network, encoding/json: %v\n%s\n%s", exactErr, dump, exact)
		}
	})
}

// readExact reads a snapshot with encoding/json alone and dumps the network.
func readExact(p string) ([]byte, error) {
	onePass = false
	defer func() { onePass = true }()
	n := &model.Network{}
	if err := Read(p, n); err != nil {
		return nil, err
	}
	n.Finalize()
	return model.Dump(n)
}

// writeSynthetic writes a snapshot of one VPC with enis interfaces spread
// over subnets, and security groups with rules, in AWS CLI shapes.
func writeSynthetic(tb testing.TB, dir string, enis int) {
	tb.Helper()
	root := filepath.Join(dir, "aws_configs", "123456789012", "us-east-1")
	if err := os.MkdirAll(root, 0o755); err != nil {
		tb.Fatal(err)
	}
	write := func(name string, v any) {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	type m = map[string]any
	subnets := []m{}
	nSubnets := enis/200 + 1
	for i := 0; i < nSubnets; i++ {
		subnets = append(subnets, m{"SubnetId": fmt.Sprintf("subnet-%08x", i), "VpcId": "vpc-1",
			"CidrBlock": fmt.Sprintf("10.%d.%d.0/24", i/256, i%256), "AvailabilityZone": "us-east-1a"})
	}
	sgs := []m{}
	for g := 0; g < enis/50+1; g++ {
		var perms []m
		for r := 0; r < 20; r++ {
			perms = append(perms, m{"IpProtocol": "tcp", "FromPort": 1000 + r, "ToPort": 1000 + r,
				"IpRanges": []m{{"CidrIp": fmt.Sprintf("192.168.%d.0/24", r)}}, "UserIdGroupPairs": []m{{"GroupId": fmt.Sprintf("sg-%08x", (g+1)%(enis/50+1))}}})
		}
		sgs = append(sgs, m{"GroupId": fmt.Sprintf("sg-%08x", g), "GroupName": fmt.Sprintf("g%d", g), "VpcId": "vpc-1",
			"IpPermissions": perms, "IpPermissionsEgress": []m{{"IpProtocol": "-1", "IpRanges": []m{{"CidrIp": "0.0.0.0/0"}}}}})
	}
	list := []m{}
	for i := 0; i < enis; i++ {
		s := i % nSubnets
		ip := fmt.Sprintf("10.%d.%d.%d", s/256, s%256, 4+i/nSubnets%250)
		list = append(list, m{"NetworkInterfaceId": fmt.Sprintf("eni-%08x", i), "SubnetId": fmt.Sprintf("subnet-%08x", s), "VpcId": "vpc-1",
			"AvailabilityZone": "us-east-1a", "InterfaceType": "interface", "Description": "Primary network interface",
			"PrivateIpAddress": ip, "PrivateIpAddresses": []m{{"PrivateIpAddress": ip, "Primary": true}},
			"Groups": []m{{"GroupId": fmt.Sprintf("sg-%08x", i%(enis/50+1))}}, "SourceDestCheck": true,
			"Attachment": m{"InstanceId": fmt.Sprintf("i-%08x", i), "DeviceIndex": 0}, "TagSet": []m{{"Key": "Name", "Value": fmt.Sprintf("host-%d", i)}}})
	}
	write("Vpcs.json", m{"Vpcs": []m{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/8", "OwnerId": "123456789012"}}})
	write("Subnets.json", m{"Subnets": subnets})
	write("SecurityGroups.json", m{"SecurityGroups": sgs})
	write("NetworkInterfaces.json", m{"NetworkInterfaces": list})
}

// BenchmarkRead reads a generated snapshot of 5000 interfaces and 101
// security groups of 41 rules each.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	writeSynthetic(b, dir, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := &model.Network{}
		if err := Read(dir, n); err != nil {
			b.Fatal(err)
		}
		if n.NetworkInterfaces.Len() != 5000 {
			b.Fatalf("%d interfaces", n.NetworkInterfaces.Len())
		}
	}
}

// TestReadSynthetic checks the generated snapshot the benchmark reads.
func TestReadSynthetic(t *testing.T) {
	dir := t.TempDir()
	writeSynthetic(t, dir, 500)
	n := &model.Network{}
	if err := Read(dir, n); err != nil {
		t.Fatal(err)
	}
	n.Finalize()
	if n.NetworkInterfaces.Len() != 500 || n.SecurityGroups.Len() != 11 || n.Subnets.Len() != 3 {
		t.Errorf("counts = %v", n.Counts())
	}
	if len(n.Warnings) != 0 {
		t.Errorf("warnings = %v", n.Warnings[:min(3, len(n.Warnings))])
	}
}
