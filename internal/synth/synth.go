// Package synth writes deterministic synthetic AWS organisations in the
// snapshot layout (<dir>/aws_configs/<account>/<region>/*.json, AWS CLI
// describe-* output), for scale tests and benchmarks.
//
// An organisation is a set of accounts and regions holding VPCs with
// public and private subnets in three availability zones, internet and NAT
// gateways, main and explicit route tables, security groups with CIDR,
// prefix-list and group-reference rules, default and custom network ACLs,
// instances and their interfaces (some with public or elastic IPs), ELBv2
// load balancers with listeners, target groups and target health, VPC
// peering, one transit gateway per account and region with spoke and
// egress route tables, private hosted zones with records, DHCP options,
// managed prefix lists and VPC DNS attributes.
//
// The same Config always gives byte-identical files: every random choice
// comes from math/rand/v2 seeded by Config.Seed and the VPC's position,
// and VPCs are written in order whatever the number of workers.
package synth

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// Config says what to generate. Counts are totals over the organisation.
type Config struct {
	// Seed fixes every random choice.
	Seed uint64
	// Accounts and Regions span the organisation (default 1 each); VPCs
	// are spread over every account × region in blocks.
	Accounts int
	Regions  int
	// VPCs is the number of VPCs (at least 1, at most 65536).
	VPCs int
	// ENIs is the number of network interfaces written, all kinds
	// together: instances', standalone, NAT gateways' and load balancers'.
	ENIs int
	// SGRules is the number of security group rules written, ingress and
	// egress, counted as AWS counts them (one per CIDR, prefix list or
	// group of a permission). Negative means the default, 2 × ENIs.
	SGRules int
	// Workers bounds the goroutines that build VPCs (0: GOMAXPROCS).
	Workers int
}

// Presets for benchmarks.
var (
	// Small is about 1k ENIs.
	Small = Config{Seed: 1, Accounts: 2, Regions: 2, VPCs: 16, ENIs: 1_000, SGRules: 4_000}
	// Medium is about 10k ENIs and 20k security group rules.
	Medium = Config{Seed: 1, Accounts: 4, Regions: 2, VPCs: 100, ENIs: 10_000, SGRules: 20_000}
	// Large is about 100k ENIs and 1M security group rules.
	Large = Config{Seed: 1, Accounts: 10, Regions: 3, VPCs: 600, ENIs: 100_000, SGRules: 1_000_000}
)

// Limits of what Generate accepts.
const (
	MaxVPCs     = 1 << 16
	MaxENIs     = 1 << 24
	MaxAccounts = 1000
)

var regionNames = []string{
	"us-east-1", "eu-west-1", "ap-northeast-1", "us-west-2", "eu-central-1", "ap-southeast-2",
	"ca-central-1", "sa-east-1", "ap-south-1", "eu-north-1", "us-east-2", "ap-southeast-1",
	"eu-west-2", "ap-northeast-2", "us-west-1", "eu-west-3",
}

// Stats counts what was written: array lengths by top-level key of the
// CLI output (or file name for merged files), plus derived totals
// (Instances, SecurityGroupRules, ResourceRecordSets).
type Stats map[string]int

// Generate writes the organisation cfg describes under dir, which must not
// already hold an aws_configs folder.
func Generate(dir string, cfg Config) error {
	_, err := GenerateStats(dir, cfg)
	return err
}

// GenerateStats is Generate that also says what it wrote.
func GenerateStats(dir string, cfg Config) (Stats, error) {
	o, err := plan(cfg)
	if err != nil {
		return nil, err
	}
	root := filepath.Join(dir, "aws_configs")
	if _, err := os.Stat(root); err == nil {
		return nil, fmt.Errorf("%s already exists: generate into an empty folder", root)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	stats, err := o.write(root)
	if err != nil {
		// Half an organisation must not pass for a whole one.
		os.RemoveAll(root)
		return nil, err
	}
	return stats, nil
}

// normalize fills defaults and checks limits.
func (c Config) normalize() (Config, error) {
	if c.Accounts <= 0 {
		c.Accounts = 1
	}
	if c.Regions <= 0 {
		c.Regions = 1
	}
	if c.SGRules < 0 {
		c.SGRules = 2 * c.ENIs
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case c.VPCs < 1 || c.VPCs > MaxVPCs:
		return c, fmt.Errorf("VPC count %d out of range 1..%d", c.VPCs, MaxVPCs)
	case c.ENIs < 0 || c.ENIs > MaxENIs:
		return c, fmt.Errorf("ENI count %d out of range 0..%d", c.ENIs, MaxENIs)
	case c.Accounts > MaxAccounts:
		return c, fmt.Errorf("account count %d above %d", c.Accounts, MaxAccounts)
	case c.Regions > len(regionNames):
		return c, fmt.Errorf("region count %d above %d", c.Regions, len(regionNames))
	}
	return c, nil
}

// org is the plan: everything that crosses VPC boundaries, decided before
// any VPC is written.
type org struct {
	cfg     Config
	ids     idGen
	scopes  []*scope
	vpcs    []*vpc
	vpcBits int // VPC prefix length
}

type scope struct {
	idx             int
	account, region string
	vpcs            []*vpc
	// egress is the VPC whose NAT gateways the transit gateway's spoke
	// route table sends 0.0.0.0/0 to (nil: none).
	egress                 *vpc
	tgw, tgwSpoke, tgwEgr  string
	plCorp, plPartner      string
	doptDefault, doptCustm string
	customDNS              netip.Addr
	sharedZone             string
}

type vpc struct {
	idx      int
	sc       *scope
	id, name string
	cidr     netip.Prefix
	// features
	igw, nat, alb, nlb bool
	customPrivACL      bool
	customPubACL       bool
	customDHCP         bool
	enis, rules        int
	pubBase            uint32 // first public IPv4 offset
	peers              []peerLink
	tgwAttach          string
	subnetBits         int
}

type peerLink struct {
	pcx       string
	other     *vpc
	requester bool
}

func plan(cfg Config) (*org, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	o := &org{cfg: cfg, ids: newIDGen(cfg.Seed)}
	o.vpcBits = 16
	for (256 << (o.vpcBits - 16)) < cfg.VPCs {
		o.vpcBits++
	}
	for a := range cfg.Accounts {
		acct := fmt.Sprintf("%012d", 100000000000+uint64(a+1)*10101+(cfg.Seed%89)*1000000)
		for r := range cfg.Regions {
			s := &scope{idx: len(o.scopes), account: acct, region: regionNames[r]}
			o.scopes = append(o.scopes, s)
		}
	}
	nS := len(o.scopes)
	var pub uint32
	for i := range cfg.VPCs {
		s := o.scopes[i*nS/cfg.VPCs]
		v := &vpc{
			idx:        i,
			sc:         s,
			id:         o.ids.id("vpc", uint64(i)),
			name:       fmt.Sprintf("net%04d", i),
			enis:       share(cfg.ENIs, cfg.VPCs, i),
			rules:      share(cfg.SGRules, cfg.VPCs, i),
			subnetBits: o.vpcBits + 3,
		}
		base := uint32(10)<<24 | uint32(i)<<(32-o.vpcBits)
		v.cidr = netip.PrefixFrom(u32Addr(base), o.vpcBits)
		v.igw = i%4 != 3 || cfg.VPCs == 1
		budget := v.enis
		if v.igw && budget >= 6 {
			v.nat = true
			budget -= 3
		}
		if v.igw && i%3 == 0 && budget >= 6 {
			v.alb = true
			budget -= 3
		}
		if i%5 == 0 && budget >= 6 {
			v.nlb = true
		}
		slots := 3
		if v.igw {
			slots = numSlots
		}
		if v.enis > slots*v.subnetCapacity() {
			return nil, fmt.Errorf("%w: %d interfaces in %d VPCs make %d in %s, whose %d subnets have room for %d each; raise the VPC count",
				errCapacity, cfg.ENIs, cfg.VPCs, v.enis, v.name, slots, v.subnetCapacity())
		}
		v.customPrivACL = i%2 == 0
		v.customPubACL = v.igw && i%4 == 0
		v.customDHCP = i%5 == 2
		v.pubBase = pub
		pub += uint32(v.enis)
		s.vpcs = append(s.vpcs, v)
		o.vpcs = append(o.vpcs, v)
	}
	if pub >= 1<<24-2 {
		return nil, fmt.Errorf("too many public addresses")
	}
	// Peering: pairs (4k, 4k+1), usually across accounts or regions.
	for i := 0; i+1 < len(o.vpcs); i += 4 {
		a, b := o.vpcs[i], o.vpcs[i+1]
		pcx := o.ids.id("pcx", uint64(i))
		a.peers = append(a.peers, peerLink{pcx: pcx, other: b, requester: true})
		b.peers = append(b.peers, peerLink{pcx: pcx, other: a})
	}
	for _, s := range o.scopes {
		if len(s.vpcs) == 0 {
			continue
		}
		n := uint64(s.idx)
		s.plCorp = o.ids.id("pl", 2*n)
		s.plPartner = o.ids.id("pl", 2*n+1)
		s.doptDefault = o.ids.id("dopt", 2*n)
		s.doptCustm = o.ids.id("dopt", 2*n+1)
		s.sharedZone = o.ids.zone(1<<40 | n)
		first := s.vpcs[0]
		s.customDNS = first.subnetAddr(3, 2) // in the first private subnet
		if len(s.vpcs) >= 2 {
			s.tgw = o.ids.id("tgw", n)
			s.tgwSpoke = o.ids.id("tgw-rtb", 2*n)
			s.tgwEgr = o.ids.id("tgw-rtb", 2*n+1)
			for _, v := range s.vpcs {
				v.tgwAttach = o.ids.id("tgw-attach", uint64(v.idx))
				if s.egress == nil && v.nat {
					s.egress = v
				}
			}
		}
	}
	return o, nil
}

// share splits total into n near-equal parts and returns part i.
func share(total, n, i int) int {
	q := total / n
	if i < total%n {
		q++
	}
	return q
}

func u32Addr(x uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
}

func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// Subnet slots: 0-2 public (AZ a, b, c), 3-5 private (AZ a, b, c).
const (
	slotPublic  = 0
	slotPrivate = 3
	numSlots    = 6
)

func (v *vpc) subnetCIDR(slot int) netip.Prefix {
	base := addrU32(v.cidr.Addr()) + uint32(slot)<<(32-v.subnetBits)
	return netip.PrefixFrom(u32Addr(base), v.subnetBits)
}

// subnetAddr is the host-th address of a subnet slot.
func (v *vpc) subnetAddr(slot int, host uint32) netip.Addr {
	return u32Addr(addrU32(v.subnetCIDR(slot).Addr()) + host)
}

// subnetCapacity is how many addresses a subnet offers (AWS reserves the
// first four and the last).
func (v *vpc) subnetCapacity() int { return 1<<(32-v.subnetBits) - 5 }

func (v *vpc) hasSlot(slot int) bool { return slot >= slotPrivate || v.igw }

// write runs the VPC builders on Workers goroutines and writes their
// output in VPC order, scope by scope.
func (o *org) write(root string) (Stats, error) {
	n := len(o.vpcs)
	results := make([]chan *batch, n)
	for i := range results {
		results[i] = make(chan *batch, 1)
	}
	jobs := make(chan int)
	tokens := make(chan struct{}, 2*o.cfg.Workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range o.cfg.Workers {
		wg.Go(func() {
			for i := range jobs {
				results[i] <- o.buildVPC(o.vpcs[i])
			}
		})
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()

	stats := Stats{}
	var files *scopeFiles
	var cur *scope
	err := func() error {
		for i := range n {
			v := o.vpcs[i]
			if v.sc != cur {
				if files != nil {
					if err := files.close(); err != nil {
						return err
					}
				}
				cur = v.sc
				files = &scopeFiles{dir: filepath.Join(root, cur.account, cur.region)}
				sb := o.buildScope(cur)
				if sb.err != nil {
					return sb.err
				}
				if err := files.write(sb); err != nil {
					return err
				}
				stats.add(sb)
			}
			b := <-results[i]
			<-tokens
			if b.err != nil {
				return b.err
			}
			if err := files.write(b); err != nil {
				return err
			}
			stats.add(b)
			b.release()
		}
		if files != nil {
			return files.close()
		}
		return nil
	}()
	if err != nil {
		close(stop)
		if files != nil {
			files.close()
		}
		wg.Wait()
		return nil, err
	}
	wg.Wait()
	return stats, nil
}

func (s Stats) add(b *batch) {
	for k := range numKinds {
		if b.count[k] == 0 {
			continue
		}
		name := kindFile[k].key
		if name == "" {
			name = kindFile[k].file
		}
		s[name] += b.count[k]
	}
	for name, n := range b.extra {
		s[name] += n
	}
}

// Keys returns the stat names, sorted.
func (s Stats) Keys() []string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Sample names resources of the first VPC that benchmarks and examples
// can use as REFs. A field is empty when the VPC has no such resource.
type Sample struct {
	Account, Region string
	VPC             string
	// PublicInstance is a running instance in a public subnet, with a web
	// security group open to TCP 80/443 from anywhere and a public address.
	PublicInstance, PublicInstanceIP, PublicAddress string
	// PrivateInstance is a running database instance in a private subnet
	// (TCP 5432 open to the VPC's app group only); PrivateName is its A
	// record in the VPC's private hosted zone.
	PrivateInstance, PrivateInstanceIP, PrivateName string
}

// SampleOf returns the Sample of the organisation cfg describes, without
// writing it.
func SampleOf(cfg Config) (Sample, error) {
	o, err := plan(cfg)
	if err != nil {
		return Sample{}, err
	}
	v := o.vpcs[0]
	g := o.newVB(v)
	if err := g.build(); err != nil {
		return Sample{}, err
	}
	s := g.sample
	s.Account, s.Region, s.VPC = v.sc.account, v.sc.region, v.id
	return s, nil
}

var errCapacity = errors.New("too many interfaces for the subnet size")
