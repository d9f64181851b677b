package main

import (
	"context"
	"encoding/json"
	"github.com/vpcreach/vpcreach/internal/corpustest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/reach"
	"github.com/vpcreach/vpcreach/internal/source"
)

// batfishSnapshots returns ../shared/corpus/describe/batfish next to the
// repository, or skips the test when it is absent.
func batfishSnapshots(t *testing.T) string {
	t.Helper()
	return corpustest.Dir(t, "describe/batfish")
}

// The outcomes Batfish's own AWS tests assert for these snapshots
// (projects/batfish/src/test/java/org/batfish/representation/aws/
// AwsConfiguration*Test.java), as AWS would decide them. Batfish's flows
// carry no port; where its answer is "denied by the default security
// settings" the groups here allow tcp/22 only, so tcp/22 is reachable and
// tcp/80 is stopped by the destination's group.
func TestPathBatfishSnapshots(t *testing.T) {
	root := batfishSnapshots(t)
	cases := []struct {
		snapshot, name string
		args           []string
		verdict, code  string
		hops           []string // these IDs, in this order, among the hops
	}{
		// test-public-subnet: instance with public IP 18.216.80.133 behind igw.
		{"test-public-subnet", "internet to the public IP, SSH open", []string{"--from", "internet", "--to", "18.216.80.133", "--port", "22"}, "reachable", "",
			[]string{"igw-0a409e562d251f766", "eni-00064850627e198ee"}},
		{"test-public-subnet", "internet to the public IP, other port denied in", []string{"--from", "internet", "--to", "18.216.80.133", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH", nil},
		{"test-public-subnet", "internet to an unknown public IP", []string{"--from", "internet", "--to", "54.191.107.23", "--port", "22"}, "unreachable", "NO_ROUTE_TO_DESTINATION", nil},
		{"test-public-subnet", "internet to the private IP", []string{"--from", "internet", "--to", "10.0.0.91", "--port", "22"}, "unreachable", "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", nil},
		{"test-public-subnet", "instance to the internet", []string{"--from", "i-06669a407b2ef3ae5", "--to", "8.8.8.8", "--port", "443"}, "reachable", "",
			[]string{"eni-00064850627e198ee", "igw-0a409e562d251f766", "internet"}},

		// test-public-private-subnet: VPC scenario 3 (public + VPN-only private subnet).
		{"test-public-private-subnet", "private to the public IP goes to the VGW", []string{"--from", "i-099cf38911942421c", "--to", "13.58.55.60", "--port", "22"}, "possibly-reachable", "",
			[]string{"vgw-070087240d6fa2989"}},
		{"test-public-private-subnet", "private to the public instance's private IP", []string{"--from", "i-099cf38911942421c", "--to", "10.0.0.47", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH", nil},
		{"test-public-private-subnet", "public to private instance", []string{"--from", "i-094a9e5b545a4fde4", "--to", "10.0.1.204", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH", nil},
		{"test-public-private-subnet", "internet to the public instance", []string{"--from", "internet", "--to", "13.58.55.60", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH",
			[]string{"igw-0eac198308206c358"}},
		{"test-public-private-subnet", "public instance to the internet", []string{"--from", "i-094a9e5b545a4fde4", "--to", "8.8.8.8", "--port", "443"}, "reachable", "",
			[]string{"igw-0eac198308206c358", "internet"}},
		{"test-public-private-subnet", "private instance to the internet only reaches the VGW", []string{"--from", "i-099cf38911942421c", "--to", "8.8.8.8", "--port", "443"}, "possibly-reachable", "",
			[]string{"vgw-070087240d6fa2989"}},
		{"test-public-private-subnet", "public instance sends site traffic to the internet gateway", []string{"--from", "i-094a9e5b545a4fde4", "--to", "192.168.0.1", "--port", "443"}, "unreachable", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
			[]string{"igw-0eac198308206c358"}},
		// The VPN's only static route is 19.168.0.0/16 (sic) and its tunnels
		// are down: whether on-premises takes 192.168.0.1 is not in the sources.
		{"test-public-private-subnet", "private instance sends site traffic to the VGW", []string{"--from", "i-099cf38911942421c", "--to", "192.168.0.1", "--port", "443"}, "possibly-reachable", "",
			[]string{"vgw-070087240d6fa2989"}},
		{"test-public-private-subnet", "from the site to the private instance", []string{"--from", "192.168.0.1", "--to", "i-099cf38911942421c", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH",
			[]string{"vgw-070087240d6fa2989"}},

		// test-nat-gateway.
		{"test-nat-gateway", "private instance to the internet through the NAT", []string{"--from", "i-0a128d26e59be60f3", "--to", "8.8.8.8", "--port", "80"}, "reachable", "",
			[]string{"eni-0e4ce6a7777b9bff8", "nat-07ab4846da51f4612", "igw-071753b9c23d8a9b2", "internet"}},
		{"test-nat-gateway", "unsupported protocol dropped at the NAT", []string{"--from", "i-0a128d26e59be60f3", "--to", "8.8.8.8", "--protocol", "50"}, "unreachable", "PROTOCOL_RESTRICTION",
			[]string{"nat-07ab4846da51f4612"}},
		{"test-nat-gateway", "internet to the NAT's public IP", []string{"--from", "internet", "--to", "3.135.127.225", "--port", "80"}, "unreachable", "NO_POSSIBLE_DESTINATION",
			[]string{"igw-071753b9c23d8a9b2"}},
		{"test-nat-gateway", "instance in the NAT subnet to the NAT", []string{"--from", "i-0b31b509174d7f5de", "--to", "10.1.250.210", "--port", "80"}, "unreachable", "NO_POSSIBLE_DESTINATION", nil},

		// test-vpc-peering: A peers with B; B and C share 192.168.0.0/16.
		{"test-vpc-peering", "A to B", []string{"--from", "i-06ba034d88c84ef07", "--to", "192.168.1.106", "--port", "22"}, "reachable", "",
			[]string{"pcx-0b89b559e3319d6cf", "eni-0024c0af5aa1387e5"}},
		{"test-vpc-peering", "A to B, other port", []string{"--from", "i-06ba034d88c84ef07", "--to", "192.168.1.106", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH", nil},
		{"test-vpc-peering", "B to A", []string{"--from", "i-0b14080af811fda3d", "--to", "10.10.10.157", "--port", "22"}, "reachable", "",
			[]string{"pcx-0b89b559e3319d6cf", "eni-0f0708220e812876c"}},
		{"test-vpc-peering", "A to an unused subnet of the peers' range", []string{"--from", "i-06ba034d88c84ef07", "--to", "192.168.100.1", "--port", "22"}, "unreachable", "NO_ROUTE_TO_DESTINATION", nil},
		// Batfish drops these in A; an address no modelled subnet or
		// interface holds is only possibly reachable here (the sources may
		// not list everything).
		{"test-vpc-peering", "B to an unused subnet of A", []string{"--from", "i-0b14080af811fda3d", "--to", "10.10.100.1", "--port", "22"}, "possibly-reachable", "", []string{"pcx-0b89b559e3319d6cf"}},
		{"test-vpc-peering", "B to an unused address of A's subnet", []string{"--from", "i-0b14080af811fda3d", "--to", "10.10.10.11", "--port", "22"}, "possibly-reachable", "", []string{"pcx-0b89b559e3319d6cf", "subnet-006a19c846f047bd7"}},

		// test-transit-gateway: routes propagated from both VPC attachments.
		{"test-transit-gateway", "A to B", []string{"--from", "i-06ba034d88c84ef07", "--to", "192.168.1.106", "--port", "22"}, "reachable", "",
			[]string{"tgw-044be4464fcc69aff", "tgw-rtb-0fa40c8df355dce6e", "eni-0024c0af5aa1387e5"}},
		{"test-transit-gateway", "B to A, other port", []string{"--from", "i-0b14080af811fda3d", "--to", "10.10.10.157", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH",
			[]string{"tgw-044be4464fcc69aff"}},
		{"test-transit-gateway", "A2 has no attachment subnet in its zone", []string{"--from", "i-075e846ed41670385", "--to", "192.168.1.106", "--port", "22"}, "unreachable", "TGW_ROUTE_AZ_RESTRICTION", nil},
		{"test-transit-gateway", "B to A2: no way back", []string{"--from", "i-0b14080af811fda3d", "--to", "10.10.20.154", "--port", "22"}, "unreachable", "TGW_ROUTE_AZ_RESTRICTION", nil},

		// test-subnet: two instances in one subnet.
		{"test-subnet", "instance to instance, direct", []string{"--from", "i-08ef86e76fceabd8d", "--to", "10.10.1.44", "--port", "80"}, "unreachable", "ENI_SG_RULES_MISMATCH", nil},
		{"test-subnet", "instance to instance, SSH", []string{"--from", "i-08ef86e76fceabd8d", "--to", "10.10.1.44", "--port", "22"}, "reachable", "", nil},
		{"test-subnet", "outside the subnet", []string{"--from", "i-08ef86e76fceabd8d", "--to", "10.10.0.1", "--port", "22"}, "possibly-reachable", "", nil},

		// test-vpc-endpoint-gateway: S3 gateway endpoint on both subnets' tables.
		{"test-vpc-endpoint-gateway", "private subnet to S3", []string{"--from", "i-01c6c0647fdccc89e", "--to", "52.216.237.77", "--port", "443"}, "reachable", "",
			[]string{"vpce-0b7357542bb7b83ec"}},
		{"test-vpc-endpoint-gateway", "public subnet to S3", []string{"--from", "i-0464d440ca0ee9e34", "--to", "52.216.237.77", "--port", "443"}, "reachable", "",
			[]string{"vpce-0b7357542bb7b83ec"}},
		{"test-vpc-endpoint-gateway", "private subnet to another AWS service", []string{"--from", "i-01c6c0647fdccc89e", "--to", "54.222.57.1", "--port", "443"}, "unreachable", "NO_ROUTE_TO_DESTINATION", nil},
		{"test-vpc-endpoint-gateway", "public subnet to another AWS service", []string{"--from", "i-0464d440ca0ee9e34", "--to", "54.222.57.1", "--port", "443"}, "reachable", "",
			[]string{"igw-0c8afe4471084ccba", "internet"}},

		// test-load-balancer: internal NLB test-lb, listener tcp/80 to
		// instances on port 22, one node per subnet; client is a jump host.
		{"test-load-balancer", "client to the load balancer", []string{"--from", "i-0c8ce8bbdd98cc4e8", "--to", "test-lb", "--port", "80"}, "reachable", "",
			[]string{"eni-038def4bc4303c3e6", "eni-01f261dccaba46564", "arn:aws:elasticloadbalancing:us-east-2:554773406868:loadbalancer/net/test-lb/725b996cb6be8fba (test-lb)"}},
		{"test-load-balancer", "client to the second node", []string{"--from", "i-0c8ce8bbdd98cc4e8", "--to", "10.1.20.123", "--port", "80"}, "reachable", "",
			[]string{"eni-0c82d6f7254ae6695", "eni-02e730a1b02dbc756"}},
		{"test-load-balancer", "client to a port no listener takes", []string{"--from", "i-0c8ce8bbdd98cc4e8", "--to", "10.1.1.237", "--port", "81"}, "unreachable", "ELBV2_LISTENERS_MISMATCH", nil},
	}
	for _, c := range cases {
		t.Run(c.snapshot+"/"+c.name, func(t *testing.T) {
			args := append([]string{"path", filepath.Join(root, c.snapshot), "--format", "json"}, c.args...)
			code, out, errs := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var got struct {
				Verdict   string `json:"verdict"`
				Hops      []struct{ ID string }
				BlockedBy *struct{ Code string }
				Reason    string
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if got.Verdict != c.verdict {
				t.Errorf("verdict %s (%s), want %s", got.Verdict, got.Reason, c.verdict)
			}
			code2 := ""
			if got.BlockedBy != nil {
				code2 = got.BlockedBy.Code
			}
			if code2 != c.code {
				t.Errorf("blocked by %q (%s), want %q", code2, got.Reason, c.code)
			}
			var ids []string
			for _, h := range got.Hops {
				ids = append(ids, h.ID)
			}
			at := 0
			for _, want := range c.hops {
				for at < len(ids) && ids[at] != want {
					at++
				}
				if at == len(ids) {
					t.Errorf("hops %s lack %s (in order %v)", strings.Join(ids, " > "), want, c.hops)
					break
				}
			}
		})
	}
}

// Every network of the corpus (templates and snapshots), every pair of a
// few endpoints, three flows each: the engine answers, never panics.
func TestPathAnswersEveryCorpusNetwork(t *testing.T) {
	root := filepath.Join(batfishSnapshots(t), "..", "..")
	var srcs []string
	filepath.WalkDir(filepath.Join(root, "cfn"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".template")) {
			srcs = append(srcs, p)
		}
		return nil
	})
	for _, top := range []string{"batfish", "cloud-custodian", "cloudmapper", "pybatfish"} {
		ents, _ := os.ReadDir(filepath.Join(root, "describe", top))
		for _, e := range ents {
			if e.IsDir() {
				srcs = append(srcs, filepath.Join(root, "describe", top, e.Name()))
			}
		}
	}
	nets, flows := 0, 0
	counts := map[reach.Verdict]int{}
	for _, s := range srcs {
		n, err := source.Load(context.Background(), []string{s}, source.Options{})
		if err != nil {
			continue
		}
		nets++
		e := reach.New(n)
		var eps []reach.Endpoint
		for _, ni := range n.NetworkInterfaces.All() {
			if len(eps) > 8 {
				break
			}
			if ep, err := e.Resolve(ni.ID); err == nil {
				eps = append(eps, ep)
			}
		}
		for _, lb := range n.LoadBalancers.All() {
			if ep, err := e.Resolve(lb.ID); err == nil {
				eps = append(eps, ep)
			}
		}
		for _, sub := range n.Subnets.All() {
			if ep, err := e.Resolve(sub.ID); err == nil {
				eps = append(eps, ep)
				break
			}
		}
		in, _ := e.Resolve("internet")
		eps = append(eps, in)
		for _, a := range eps {
			for _, b := range eps {
				for _, q := range []reach.Query{{Protocol: model.ProtoTCP, DstPort: 443}, {Protocol: model.ProtoUDP, DstPort: 53}, {Protocol: model.ProtoAll, AnyDstPort: true}} {
					q.From, q.To = a, b
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Errorf("%s: %s -> %s %v: panic %v", s, a.Label(), b.Label(), q.Protocol, r)
							}
						}()
						r := e.Flow(context.Background(), q)
						counts[r.Verdict]++
						if r.Verdict != reach.Reachable && r.Verdict != reach.Unreachable && r.Verdict != reach.PossiblyReachable {
							t.Errorf("bad verdict %q", r.Verdict)
						}
						flows++
					}()
				}
			}
		}
	}
	t.Logf("%d networks, %d flows: %v", nets, flows, counts)
}
