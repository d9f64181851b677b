package snapshot

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
)

const (
	sgA = `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "GroupName": "web", "Description": "web", "Tags": [{"Key": "team", "Value": "a"}],
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}]}]}]}`
	sgWithRDP = `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "GroupName": "web", "Description": "web",
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
                    {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}`
	sgOtherTags = `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "GroupName": "web", "Description": "web", "Tags": [{"Key": "team", "Value": "b"}],
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}]}]}]}`
	sgOtherVPC = `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-2", "GroupName": "web", "Description": "web",
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}]}`
	peering = `{"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
  "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": "111111111111", "CidrBlock": "10.0.0.0/16", "Region": "eu-west-1"},
  "AccepterVpcInfo": {"VpcId": "vpc-2", "OwnerId": "222222222222", "CidrBlock": "10.1.0.0/16", "Region": "eu-west-1"}}]}`
	routesA = `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
  {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"},
  {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}]}]}`
	routesB = `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
  {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}]}]}`
	routesReordered = `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
  {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"},
  {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}]}]}`
)

// The same ID in two files: identical records merge without a word, and
// records that differ are a warning that covers both versions, or an
// error naming both files and lines.
func TestReadDuplicates(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		err   string // the conflicting-duplicate error, when the read must stop
		check func(t *testing.T, n *model.Network, dir string)
	}{
		{
			name:  "a peering listed in both accounts' folders merges as one",
			files: map[string]string{"111111111111/eu-west-1/pcx.json": peering, "222222222222/eu-west-1/pcx.json": peering},
			check: func(t *testing.T, n *model.Network, _ string) {
				mustGet(t, &n.PeeringConnections, "pcx-1")
				if w := warningsWith(n, "conflicting-duplicate"); len(w) != 0 {
					t.Errorf("warnings for identical duplicates: %v", w)
				}
			},
		},
		{
			name:  "routes in another order are the same routes",
			files: map[string]string{"a/rt.json": routesA, "b/rt.json": routesReordered},
			check: func(t *testing.T, n *model.Network, _ string) {
				if rt := mustGet(t, &n.RouteTables, "rtb-1"); len(rt.Routes) != 2 || len(warningsWith(n, "conflicting-duplicate")) != 0 {
					t.Errorf("routes %v, warnings %v", rt.Routes, n.Warnings)
				}
			},
		},
		{
			name:  "security group rules that differ are read as both versions, the disputed ones with an unknown peer",
			files: map[string]string{"a/sg.json": sgA, "b/sg.json": sgWithRDP},
			check: func(t *testing.T, n *model.Network, dir string) {
				sg := mustGet(t, &n.SecurityGroups, "sg-1")
				if len(sg.Ingress) != 2 {
					t.Fatalf("ingress %+v; want the shared rule and the disputed one", sg.Ingress)
				}
				if r := sg.Ingress[0]; r.Peer.Kind != model.PeerCIDR || r.Ports.From != 22 || r.Description != "ssh" {
					t.Errorf("shared rule %+v; want it as the first version read it", r)
				}
				r := sg.Ingress[1]
				if r.Peer.Kind != model.PeerUnknown || r.Ports.From != 3389 || !strings.Contains(r.Peer.Unknown(), filepath.Join(dir, "b/sg.json")+":1") || !strings.Contains(r.Peer.Unknown(), "0.0.0.0/0") {
					t.Errorf("disputed rule %+v; want tcp/3389 with an unknown peer naming b/sg.json:1 and 0.0.0.0/0", r)
				}
				w := warningsWith(n, "conflicting-duplicate")
				if len(w) != 1 || !strings.Contains(w[0].Message, filepath.Join(dir, "a/sg.json")+":1 and "+filepath.Join(dir, "b/sg.json")+":1") {
					t.Errorf("warnings %v; want one naming both files and lines", w)
				}
			},
		},
		{
			name:  "a rule one version lacks is disputed too",
			files: map[string]string{"a/sg.json": sgWithRDP, "b/sg.json": sgA},
			check: func(t *testing.T, n *model.Network, _ string) {
				sg := mustGet(t, &n.SecurityGroups, "sg-1")
				if len(sg.Ingress) != 2 || sg.Ingress[0].Peer.Kind != model.PeerCIDR || sg.Ingress[1].Peer.Kind != model.PeerUnknown || sg.Ingress[1].Ports.From != 3389 {
					t.Errorf("ingress %+v", sg.Ingress)
				}
			},
		},
		{
			name:  "tags that differ are a warning, the first kept",
			files: map[string]string{"a/sg.json": sgA, "b/sg.json": sgOtherTags},
			check: func(t *testing.T, n *model.Network, _ string) {
				sg := mustGet(t, &n.SecurityGroups, "sg-1")
				if sg.Tags["team"] != "a" || len(sg.Ingress) != 1 || sg.Ingress[0].Peer.Kind != model.PeerCIDR {
					t.Errorf("group %+v", sg)
				}
				if w := warningsWith(n, "conflicting-duplicate"); len(w) != 1 || !strings.Contains(w[0].Message, "different Tags") {
					t.Errorf("warnings %v", w)
				}
			},
		},
		{
			name: "two accounts tag a peering each their own way",
			files: map[string]string{"111111111111/eu-west-1/pcx.json": strings.Replace(peering, `"Status"`, `"Tags": [{"Key": "Name", "Value": "to-b"}], "Status"`, 1),
				"222222222222/eu-west-1/pcx.json": strings.Replace(peering, `"Status"`, `"Tags": [{"Key": "Name", "Value": "to-a"}], "Status"`, 1)},
			check: func(t *testing.T, n *model.Network, _ string) {
				if p := mustGet(t, &n.PeeringConnections, "pcx-1"); p.Name != "to-b" {
					t.Errorf("name %q; want the first read", p.Name)
				}
				if w := warningsWith(n, "conflicting-duplicate"); len(w) != 0 {
					t.Errorf("warnings for each account's own tags: %v", w)
				}
			},
		},
		{
			name:  "routes that differ stop the read",
			files: map[string]string{"a/rt.json": routesA, "b/rt.json": routesB},
			err:   "rtb-1: read twice with different Routes: {dir}/a/rt.json:1 and {dir}/b/rt.json:1",
		},
		{
			name:  "a security group in another VPC stops the read",
			files: map[string]string{"a/sg.json": sgA, "b/sg.json": sgOtherVPC},
			err:   "sg-1: read twice with different VPCID",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			n := &model.Network{}
			err := Read(dir, n)
			if tt.err != "" {
				var de *diag.Error
				want := strings.ReplaceAll(tt.err, "{dir}", dir)
				if !errors.As(err, &de) || de.Code != "conflicting-duplicate" || !strings.Contains(de.Error(), want) || de.Line == 0 {
					t.Fatalf("err = %v; want conflicting-duplicate with %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			n.Finalize()
			tt.check(t, n, dir)
		})
	}
}
