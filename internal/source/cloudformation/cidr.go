package cloudformation

import (
	"math/big"
	"net/netip"
	"strconv"
)

// maxCidrCount is the largest count Fn::Cidr accepts (CloudFormation: 1-256).
const maxCidrCount = 256

// cidr computes Fn::Cidr [ipBlock, count, cidrBits]: count consecutive
// blocks of cidrBits host bits each, from the start of ipBlock, for IPv4
// and IPv6 alike.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-cidr.html
func (s *stack) cidr(arg *Value, line, depth int) (*Value, error) {
	a, err := s.args("Fn::Cidr", arg, line, 3, 3)
	if err != nil {
		return nil, err
	}
	var vals [3]*Value
	for i := range vals {
		x, err := s.evalScalar("Fn::Cidr", a[i], depth)
		if err != nil {
			return nil, err
		}
		if x.Kind == Unknown {
			return unknown(line, x.Of, "Fn::Cidr of an unknown value: %s", x.S), nil
		}
		vals[i] = x
	}
	block, err := netip.ParsePrefix(vals[0].S)
	if err != nil {
		return nil, s.errf(line, "bad-template", "Fn::Cidr: %q is not a CIDR block", vals[0].S)
	}
	count, ok := intOf(vals[1].S)
	if !ok || count < 1 || count > maxCidrCount {
		return nil, s.errf(line, "bad-template", "Fn::Cidr: count %q must be 1 to %d", vals[1].S, maxCidrCount)
	}
	bits, ok := intOf(vals[2].S)
	key := block.String() + "|" + strconv.Itoa(count) + "|" + strconv.Itoa(bits)
	if l, hit := s.cidrCache[key]; hit && ok {
		return l, nil
	}
	out, err := cidrSubnets(block, count, bits)
	if !ok || err != nil {
		msg := "cidrBits " + strconv.Quote(vals[2].S) + " does not fit the block"
		if err != nil {
			msg = err.Error()
		}
		return nil, s.errf(line, "bad-template", "Fn::Cidr: %s", msg)
	}
	l := &Value{Kind: List, Line: line, L: make([]*Value, 0, len(out))}
	for _, p := range out {
		l.L = append(l.L, scalar(p.String(), line))
	}
	if s.cidrCache == nil {
		s.cidrCache = map[string]*Value{}
	}
	s.cidrCache[key] = l
	return l, nil
}

type cidrError string

func (e cidrError) Error() string { return string(e) }

// cidrSubnets splits block into count subnets with hostBits host bits.
func cidrSubnets(block netip.Prefix, count, hostBits int) ([]netip.Prefix, error) {
	block = block.Masked()
	total := block.Addr().BitLen()
	plen := total - hostBits
	if hostBits < 0 || plen < block.Bits() || plen > total {
		return nil, cidrError("cidrBits " + strconv.Itoa(hostBits) + " does not fit in " + block.String())
	}
	avail := plen - block.Bits()
	if avail < 16 && count > 1<<avail {
		return nil, cidrError("cannot make " + strconv.Itoa(count) + " subnets of /" + strconv.Itoa(plen) + " in " + block.String())
	}
	base := new(big.Int).SetBytes(block.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
	out := make([]netip.Prefix, 0, count)
	n := new(big.Int).Set(base)
	for i := 0; i < count; i++ {
		b := n.FillBytes(make([]byte, total/8))
		addr, _ := netip.AddrFromSlice(b)
		out = append(out, netip.PrefixFrom(addr, plen))
		n.Add(n, step)
	}
	return out, nil
}

// azCounts gives the number of availability zones Fn::GetAZs returns for
// regions with more or fewer than three; letters are consecutive from "a"
// except where listed in azLetters. Every other region is assumed to have
// three (a, b, c). The real list depends on the account, so this is a
// documented approximation.
var azCounts = map[string]int{
	"us-east-1": 6, "us-west-1": 2, "us-west-2": 4, "ap-northeast-2": 4, "ca-central-1": 3,
}

var azLetters = map[string]string{
	"ap-northeast-1": "acd",
	"us-west-1":      "ac",
}

// availabilityZones returns what Fn::GetAZs answers for region.
func availabilityZones(region string) []string {
	letters := azLetters[region]
	if letters == "" {
		n := azCounts[region]
		if n == 0 {
			n = 3
		}
		letters = "abcdef"[:n]
	}
	out := make([]string, 0, len(letters))
	for _, c := range letters {
		out = append(out, region+string(c))
	}
	return out
}
