package synth

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
)

// vb builds one VPC's resources.
type vb struct {
	o   *org
	v   *vpc
	rng *rand.Rand
	b   *batch
	n   uint64 // VPC index, shifted: the base of per-VPC ID numbers

	acct, region string
	azs          [3]string
	subnets      [numSlots]string
	next         [numSlots]uint32 // next host number per subnet slot
	igwID        string
	nats         [3]string
	sgs          []sgInfo // default, web, app, db, mgmt, bulk...
	pub          uint32   // public addresses handed out
	eniSeq       uint64
	records      []recordSet
	sample       Sample
	albDNS       string
	nlbDNS       string
	albTargets   []target
	nlbTargets   []target
}

type sgInfo struct {
	id, name, desc string
	in, out        []permission
}

const (
	sgDefault = iota
	sgWeb
	sgApp
	sgDB
	sgMgmt
	numRoleSGs
)

var roleNames = [numRoleSGs]string{"default", "web", "app", "db", "mgmt"}

func (o *org) buildVPC(v *vpc) *batch {
	g := o.newVB(v)
	if err := g.build(); err != nil {
		g.b.err = err
	}
	return g.b
}

func (o *org) newVB(v *vpc) *vb {
	g := &vb{
		o:      o,
		v:      v,
		rng:    rand.New(rand.NewPCG(o.cfg.Seed, uint64(v.idx)+1)),
		b:      newBatch(),
		n:      uint64(v.idx) << 24,
		acct:   v.sc.account,
		region: v.sc.region,
	}
	for i := range 3 {
		g.azs[i] = v.sc.region + string(rune('a'+i))
	}
	for i := range g.next {
		g.next[i] = 4
	}
	return g
}

func (g *vb) id(prefix string, local uint64) string { return g.o.vpcID(g.v, prefix, local) }

// vpcID is the ID of the local-th resource of a kind in VPC v.
func (o *org) vpcID(v *vpc, prefix string, local uint64) string {
	return o.ids.id(prefix, uint64(v.idx)<<24|local)
}

// zoneApex is the NS and SOA records Route 53 creates with a zone.
func zoneApex(name string) []recordSet {
	return []recordSet{
		{Name: name, Type: "NS", TTL: 172800, ResourceRecords: []resourceRecord{{"ns-1536.awsdns-00.co.uk."}, {"ns-0.awsdns-00.com."}, {"ns-1024.awsdns-00.org."}, {"ns-512.awsdns-00.net."}}},
		{Name: name, Type: "SOA", TTL: 900, ResourceRecords: []resourceRecord{{"ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}}},
	}
}

func (g *vb) build() error {
	v := g.v
	g.vpcAndSubnets()
	g.securityGroups()
	if err := g.interfaces(); err != nil {
		return err
	}
	g.routeTables()
	g.networkACLs()
	for _, sg := range g.sgs {
		g.b.add(kSecurityGroups, &jsonSG{
			Description: sg.desc, GroupID: sg.id, GroupName: sg.name,
			IPPermissions: orEmpty(sg.in), IPPermissionsEgress: orEmpty(sg.out),
			OwnerID: g.acct, VpcID: v.id, Tags: nameTag(v.name + "-" + sg.name),
		})
	}
	for _, p := range v.peers {
		if p.requester {
			g.peering(p)
		}
	}
	g.hostedZone()
	return nil
}

// orEmpty makes a nil list print as [], as the AWS CLI prints lists.
func orEmpty[T any](x []T) []T {
	if x == nil {
		return []T{}
	}
	return x
}

func (g *vb) vpcAndSubnets() {
	v := g.v
	dopt := v.sc.doptDefault
	if v.customDHCP {
		dopt = v.sc.doptCustm
	}
	g.b.add(kVPCs, &jsonVPC{
		CidrBlock: v.cidr.String(),
		CidrBlockAssociationSet: []cidrAssoc{{
			AssociationID: g.id("vpc-cidr-assoc", 0), CidrBlock: v.cidr.String(),
			CidrBlockState: stateField{"associated"},
		}},
		DhcpOptionsID: dopt, InstanceTenancy: "default", OwnerID: g.acct, State: "available",
		Tags: nameTag(v.name), VpcID: v.id,
	})
	g.b.add(kVPCAttributes, &jsonVPCAttributes{
		VpcID: v.id, EnableDNSSupport: boolValue{true}, EnableDNSHostnames: boolValue{v.idx%7 != 6},
	})
	for slot := range numSlots {
		if !v.hasSlot(slot) {
			continue
		}
		id := g.id("subnet", uint64(slot))
		g.subnets[slot] = id
		kind := "private"
		if slot < slotPrivate {
			kind = "public"
		}
		az := slot % 3
		g.b.add(kSubnets, &jsonSubnet{
			AvailabilityZone: g.azs[az], AvailabilityZoneID: fmt.Sprintf("%s-az%d", azIDPrefix(g.region), az+1),
			AvailableIPAddressCount: v.subnetCapacity(), CidrBlock: v.subnetCIDR(slot).String(),
			MapPublicIPOnLaunch: slot < slotPrivate, OwnerID: g.acct, State: "available",
			SubnetArn: fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", g.region, g.acct, id), SubnetID: id,
			Tags: nameTag(fmt.Sprintf("%s-%s-%c", v.name, kind, 'a'+az)), VpcID: v.id,
		})
	}
	if v.igw {
		g.igwID = g.id("igw", 0)
		g.b.add(kInternetGateways, &jsonIGW{
			Attachments: []igwAttachment{{"available", v.id}}, InternetGatewayID: g.igwID,
			OwnerID: g.acct, Tags: nameTag(v.name + "-igw"),
		})
	}
}

func azIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	var b strings.Builder
	for _, p := range parts {
		if p != "" {
			b.WriteByte(p[0])
		}
	}
	b.WriteString(parts[len(parts)-1][len(parts[len(parts)-1])-1:])
	return b.String()
}

// ---- security groups ----

func port(p int) *int { return &p }

func (g *vb) securityGroups() {
	v := g.v
	for i := range numRoleSGs {
		desc := roleNames[i] + " tier"
		name := v.name + "-" + roleNames[i]
		if i == sgDefault {
			desc, name = "default VPC security group", "default"
		}
		g.sgs = append(g.sgs, sgInfo{id: g.id("sg", uint64(i)), name: name, desc: desc})
	}
	budget := v.rules
	pair := func(i int) []groupPair { return []groupPair{{GroupID: g.sgs[i].id, UserID: g.acct}} }
	cidr := func(c string) []ipRange { return []ipRange{{CidrIP: c}} }
	add := func(sg int, egress bool, p permission) {
		n := p.peers()
		if n > budget {
			if budget == 0 {
				return
			}
			p.Ipv6Ranges = nil // the only multi-peer permission below
			n = p.peers()
		}
		budget -= n
		if egress {
			g.sgs[sg].out = append(g.sgs[sg].out, p)
		} else {
			g.sgs[sg].in = append(g.sgs[sg].in, p)
		}
	}
	all := permission{IPProtocol: "-1", IPRanges: cidr("0.0.0.0/0")}
	tcp := func(p int) permission { return permission{IPProtocol: "tcp", FromPort: port(p), ToPort: port(p)} }
	with := func(p permission, f func(*permission)) permission { f(&p); return p }

	add(sgDefault, false, permission{IPProtocol: "-1", UserIDGroupPairs: pair(sgDefault)})
	add(sgDefault, true, all)
	add(sgWeb, false, with(tcp(443), func(p *permission) {
		p.IPRanges = cidr("0.0.0.0/0")
		p.Ipv6Ranges = []ipv6Range{{"::/0"}}
	}))
	add(sgWeb, false, with(tcp(80), func(p *permission) { p.IPRanges = cidr("0.0.0.0/0") }))
	add(sgWeb, true, all)
	add(sgApp, false, with(tcp(8080), func(p *permission) { p.UserIDGroupPairs = pair(sgWeb) }))
	add(sgApp, false, with(tcp(22), func(p *permission) { p.UserIDGroupPairs = pair(sgMgmt) }))
	add(sgApp, true, all)
	add(sgDB, false, with(tcp(5432), func(p *permission) { p.UserIDGroupPairs = pair(sgApp) }))
	add(sgDB, true, with(tcp(443), func(p *permission) { p.IPRanges = cidr("0.0.0.0/0") }))
	add(sgMgmt, false, with(tcp(22), func(p *permission) { p.PrefixListIDs = []prefixRef{{v.sc.plCorp}} }))
	add(sgMgmt, false, with(tcp(3389), func(p *permission) {
		p.IPRanges = []ipRange{{CidrIP: "198.51.100.0/24", Description: "office"}}
	}))
	add(sgMgmt, true, all)

	const perBulk = 50
	for k := 0; budget > 0; k++ {
		i := len(g.sgs)
		g.sgs = append(g.sgs, sgInfo{
			id: g.id("sg", uint64(i)), name: fmt.Sprintf("%s-svc%03d", v.name, k), desc: "service rules",
		})
		add(i, true, all)
		for r := 1; r < perBulk && budget > 0; r++ {
			egress, p := g.randomRule(i)
			add(i, egress, p)
		}
	}
	g.b.extra["SecurityGroupRules"] += v.rules - budget
}

var wellKnown = []int{22, 25, 53, 80, 123, 389, 443, 636, 1433, 2049, 3306, 3389, 5432, 5439, 6379, 8080, 8443, 9200, 11211, 27017}

// randomRule is one rule of a bulk group: mostly TCP/UDP from CIDRs, some
// from prefix lists and from other groups of the VPC.
func (g *vb) randomRule(self int) (bool, permission) {
	r := g.rng
	var p permission
	switch x := r.IntN(100); {
	case x < 65:
		p.IPProtocol = "tcp"
	case x < 85:
		p.IPProtocol = "udp"
	case x < 93:
		p.IPProtocol = "icmp"
	default:
		p.IPProtocol = "-1"
	}
	switch p.IPProtocol {
	case "tcp", "udp":
		var from int
		if r.IntN(2) == 0 {
			from = wellKnown[r.IntN(len(wellKnown))]
		} else {
			from = 1024 + r.IntN(60000)
		}
		to := from
		if r.IntN(10) < 3 {
			to = min(65535, from+r.IntN(200))
		}
		p.FromPort, p.ToPort = port(from), port(to)
	case "icmp":
		types := []int{0, 3, 8, 11}
		p.FromPort, p.ToPort = port(types[r.IntN(len(types))]), port(-1)
	}
	switch x := r.IntN(100); {
	case x < 70 || p.IPProtocol == "-1":
		p.IPRanges = []ipRange{{CidrIP: g.randomCIDR(p.IPProtocol == "-1")}}
	case x < 85:
		pl := g.v.sc.plCorp
		if x%2 == 1 {
			pl = g.v.sc.plPartner
		}
		p.PrefixListIDs = []prefixRef{{pl}}
	default:
		other := r.IntN(self)
		p.UserIDGroupPairs = []groupPair{{GroupID: g.sgs[other].id, UserID: g.acct}}
	}
	return r.IntN(100) < 15, p
}

func (g *vb) randomCIDR(host bool) string {
	r := g.rng
	bits := 16 + r.IntN(17)
	if host {
		bits = 32
	}
	var a uint32
	if r.IntN(5) == 0 {
		// A public address outside the reserved blocks.
		a = uint32(1+r.IntN(100))<<24 | uint32(r.Uint32()&0xffffff)
	} else {
		a = 10<<24 | r.Uint32()&0xffffff
	}
	return netip.PrefixFrom(u32Addr(a), bits).Masked().String()
}

// ---- interfaces, instances, NAT gateways, load balancers ----

func (g *vb) alloc(slot int) (netip.Addr, error) {
	h := g.next[slot]
	if int(h)-4 >= g.v.subnetCapacity() {
		return netip.Addr{}, fmt.Errorf("%w: %s holds %d interfaces, subnet %s has room for %d; raise the VPC count",
			errCapacity, g.v.name, g.v.enis, g.v.subnetCIDR(slot), g.v.subnetCapacity())
	}
	g.next[slot]++
	return g.v.subnetAddr(slot, h), nil
}

func (g *vb) publicIP() netip.Addr {
	x := 3<<24 + 1 + g.v.pubBase + g.pub
	g.pub++
	return u32Addr(x)
}

func (g *vb) privateDNS(a netip.Addr) string {
	host := "ip-" + strings.ReplaceAll(a.String(), ".", "-")
	if g.region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + g.region + ".compute.internal"
}

func (g *vb) publicDNS(a netip.Addr) string {
	host := "ec2-" + strings.ReplaceAll(a.String(), ".", "-")
	if g.region == "us-east-1" {
		return host + ".compute-1.amazonaws.com"
	}
	return host + "." + g.region + ".compute.amazonaws.com"
}

func (g *vb) mac(n uint64) string {
	x := g.o.ids.mix("mac", n)
	var b strings.Builder
	b.WriteString("02")
	for i := range 5 {
		b.WriteByte(':')
		b.WriteString(string(appendHex(nil, x>>(8*i), 2)))
	}
	return b.String()
}

func (g *vb) newENI(slot int, desc, typ string, groups []int) (*jsonENI, error) {
	a, err := g.alloc(slot)
	if err != nil {
		return nil, err
	}
	seq := g.eniSeq
	g.eniSeq++
	e := &jsonENI{
		AvailabilityZone: g.azs[slot%3], Description: desc, Groups: g.groupRefs(groups),
		InterfaceType: typ, MacAddress: g.mac(g.n | seq), NetworkInterfaceID: g.id("eni", seq),
		OwnerID: g.acct, PrivateDNSName: g.privateDNS(a), PrivateIPAddress: a.String(),
		SourceDestCheck: true, Status: "in-use", SubnetID: g.subnets[slot], VpcID: g.v.id,
	}
	e.PrivateIPAddresses = []eniPrivateIP{{Primary: true, PrivateDNSName: e.PrivateDNSName, PrivateIPAddress: e.PrivateIPAddress}}
	return e, nil
}

func (g *vb) groupRefs(idx []int) []groupRef {
	out := make([]groupRef, 0, len(idx))
	for _, i := range idx {
		out = append(out, groupRef{GroupID: g.sgs[i].id, GroupName: g.sgs[i].name})
	}
	return out
}

func (e *jsonENI) setAssociation(a *eniAssociation) {
	e.Association = a
	e.PrivateIPAddresses[0].Association = a
}

func (g *vb) eip(e *jsonENI, instanceID string, seq uint64) *eniAssociation {
	ip := g.publicIP()
	a := &eniAssociation{
		AllocationID: g.id("eipalloc", seq), AssociationID: g.id("eipassoc", seq),
		IPOwnerID: g.acct, PublicDNSName: g.publicDNS(ip), PublicIP: ip.String(),
	}
	g.b.add(kAddresses, &jsonAddress{
		AllocationID: a.AllocationID, AssociationID: a.AssociationID, Domain: "vpc", InstanceID: instanceID,
		NetworkBorderGroup: g.region, NetworkInterfaceID: e.NetworkInterfaceID, NetworkInterfaceOwnerID: g.acct,
		PrivateIPAddress: e.PrivateIPAddress, PublicIP: a.PublicIP, PublicIpv4Pool: "amazon",
	})
	return a
}

func (g *vb) interfaces() error {
	v := g.v
	budget := v.enis
	if v.nat {
		for az := range 3 {
			natID := g.id("nat", uint64(az))
			g.nats[az] = natID
			e, err := g.newENI(slotPublic+az, "Interface for NAT Gateway "+natID, "nat_gateway", nil)
			if err != nil {
				return err
			}
			e.RequesterID = "amazon-nat"
			e.RequesterManaged = true
			e.SourceDestCheck = false
			e.Attachment = &eniAttachment{AttachmentID: g.id("ela-attach", g.eniSeq), DeviceIndex: 1, InstanceOwnerID: "amazon-aws", Status: "attached"}
			a := g.eip(e, "", 1<<20|uint64(az))
			e.setAssociation(a)
			g.b.add(kNetworkInterfaces, e)
			g.b.add(kNATGateways, &jsonNAT{
				ConnectivityType: "public", CreateTime: "2024-01-01T00:00:00.000Z",
				NatGatewayAddresses: []natAddress{{
					AllocationID: a.AllocationID, AssociationID: a.AssociationID, IsPrimary: true,
					NetworkInterfaceID: e.NetworkInterfaceID, PrivateIP: e.PrivateIPAddress, PublicIP: a.PublicIP, Status: "succeeded",
				}},
				NatGatewayID: natID, State: "available", SubnetID: g.subnets[slotPublic+az], VpcID: v.id,
				Tags: nameTag(fmt.Sprintf("%s-nat-%c", v.name, 'a'+az)),
			})
		}
		budget -= 3
	}
	for which, on := range []bool{v.alb, v.nlb} {
		if !on {
			continue
		}
		kind, slot, typ, groups := "app", slotPublic, "interface", []int{sgWeb}
		if which == 1 {
			kind, slot, typ, groups = "net", slotPrivate, "network_load_balancer", nil
		}
		name := v.name + "-" + [2]string{"web", "db"}[which]
		desc := "ELB " + kind + "/" + name + "/" + g.o.ids.hex("elb", g.n|uint64(which), 16)
		for az := range 3 {
			e, err := g.newENI(slot+az, desc, typ, groups)
			if err != nil {
				return err
			}
			e.RequesterID = "amazon-elb"
			e.RequesterManaged = true
			e.Attachment = &eniAttachment{AttachmentID: g.id("ela-attach", g.eniSeq), DeviceIndex: 1, InstanceOwnerID: "amazon-elb", Status: "attached"}
			if which == 0 {
				ip := g.publicIP()
				e.setAssociation(&eniAssociation{IPOwnerID: "amazon", PublicDNSName: g.publicDNS(ip), PublicIP: ip.String()})
			}
			g.b.add(kNetworkInterfaces, e)
		}
		budget -= 3
	}

	// Workload: instances with one or two interfaces, and a few
	// standalone interfaces.
	nb := len(g.sgs) - numRoleSGs
	var resv *jsonReservation
	resvN := uint64(0)
	flush := func() {
		if resv != nil {
			g.b.add(kReservations, resv)
			resv = nil
		}
	}
	for u := 0; budget > 0; u++ {
		slot := slotPrivate + u%3
		public := v.igw && u%5 == 0
		if public {
			slot = slotPublic + (u/5)%3
		}
		var groups []int
		role := sgApp
		switch {
		case public:
			role = sgWeb
			groups = []int{sgWeb}
		case u%3 == 0:
			groups = []int{sgApp}
		case u%3 == 1:
			role = sgDB
			groups = []int{sgDB}
		default:
			groups = []int{sgApp, sgMgmt}
		}
		if nb > 0 {
			groups = append(groups, numRoleSGs+u%nb)
		}
		if u%25 == 24 {
			e, err := g.newENI(slot, "standalone interface", "interface", []int{sgDefault})
			if err != nil {
				return err
			}
			e.Status = "available"
			g.b.add(kNetworkInterfaces, e)
			budget--
			continue
		}
		nENI := 1
		if u%8 == 7 && budget >= 2 {
			nENI = 2
		}
		budget -= nENI
		instID := g.id("i", uint64(u))
		running := u%50 != 17
		inst := jsonInstance{
			ImageID: "ami-" + g.o.ids.hex("ami", uint64(u%7), 17), InstanceID: instID,
			InstanceType: []string{"t3.micro", "m5.large", "c5.xlarge", "r5.large"}[u%4],
			LaunchTime:   "2024-01-01T00:00:00+00:00", Placement: placement{g.azs[slot%3], "default"},
			SecurityGroups: g.groupRefs(groups), SourceDestCheck: true,
			State: instanceState{16, "running"}, SubnetID: g.subnets[slot], VpcID: v.id,
			Tags: nameTag(fmt.Sprintf("%s-host-%05d", v.name, u)),
		}
		if !running {
			inst.State = instanceState{80, "stopped"}
		}
		for d := range nENI {
			desc := "Primary network interface"
			if d > 0 {
				desc = "secondary interface"
			}
			e, err := g.newENI(slot, desc, "interface", groups)
			if err != nil {
				return err
			}
			e.Attachment = &eniAttachment{
				AttachmentID: g.id("eni-attach", g.eniSeq), DeleteOnTermination: d == 0, DeviceIndex: d,
				InstanceID: instID, InstanceOwnerID: g.acct, Status: "attached",
			}
			if d == 0 && public && running {
				switch (u / 5) % 4 {
				case 0, 2:
					ip := g.publicIP()
					e.setAssociation(&eniAssociation{IPOwnerID: "amazon", PublicDNSName: g.publicDNS(ip), PublicIP: ip.String()})
				case 1:
					e.setAssociation(g.eip(e, instID, uint64(u)))
				}
			}
			if d == 0 {
				inst.PrivateDNSName, inst.PrivateIPAddress = e.PrivateDNSName, e.PrivateIPAddress
				if e.Association != nil {
					inst.PublicIPAddress, inst.PublicDNSName = e.Association.PublicIP, e.Association.PublicDNSName
				}
			}
			var assoc *instanceAssociation
			if a := e.Association; a != nil {
				assoc = &instanceAssociation{IPOwnerID: a.IPOwnerID, PublicDNSName: a.PublicDNSName, PublicIP: a.PublicIP}
			}
			at := e.Attachment
			inst.NetworkInterfaces = append(inst.NetworkInterfaces, instanceENI{
				Association: assoc,
				Attachment: instanceAttachment{AttachmentID: at.AttachmentID, DeleteOnTermination: at.DeleteOnTermination,
					DeviceIndex: at.DeviceIndex, Status: at.Status},
				Description: e.Description, Groups: e.Groups,
				MacAddress: e.MacAddress, NetworkInterfaceID: e.NetworkInterfaceID, OwnerID: g.acct,
				PrivateIPAddress: e.PrivateIPAddress,
				PrivateIPAddresses: []instancePrivateIP{{Association: assoc, Primary: true,
					PrivateDNSName: e.PrivateDNSName, PrivateIPAddress: e.PrivateIPAddress}},
				SourceDestCheck: true, Status: "in-use", SubnetID: e.SubnetID, VpcID: v.id,
			})
			g.b.add(kNetworkInterfaces, e)
		}
		host := fmt.Sprintf("host-%05d.%s.internal.", u, v.name)
		g.records = append(g.records, recordSet{
			Name: host, Type: "A", TTL: 300,
			ResourceRecords: []resourceRecord{{inst.PrivateIPAddress}},
		})
		switch {
		case !running:
		case public && inst.PublicIPAddress != "" && g.sample.PublicInstance == "":
			g.sample.PublicInstance, g.sample.PublicInstanceIP, g.sample.PublicAddress = instID, inst.PrivateIPAddress, inst.PublicIPAddress
		case !public && role == sgDB && g.sample.PrivateInstance == "":
			g.sample.PrivateInstance, g.sample.PrivateInstanceIP, g.sample.PrivateName = instID, inst.PrivateIPAddress, host
		}
		if resv == nil {
			resv = &jsonReservation{Groups: []struct{}{}, OwnerID: g.acct, ReservationID: g.id("r", resvN)}
			resvN++
		}
		resv.Instances = append(resv.Instances, inst)
		if len(resv.Instances) == 4 {
			flush()
		}
		g.b.extra["Instances"]++
		if running && !public {
			if role == sgApp && len(g.albTargets) < 8 {
				g.albTargets = append(g.albTargets, target{ID: instID, Port: 8080})
			}
			if role == sgDB && len(g.nlbTargets) < 4 {
				g.nlbTargets = append(g.nlbTargets, target{ID: inst.PrivateIPAddress, Port: 5432, AvailabilityZone: g.azs[slot%3]})
			}
		}
	}
	flush()
	if v.alb {
		g.loadBalancer(0)
	}
	if v.nlb {
		g.loadBalancer(1)
	}
	return nil
}

var albZones = map[string]string{"us-east-1": "Z35SXDOTRQ7X7K", "eu-west-1": "Z32O12XQLNTSW2", "ap-northeast-1": "Z14GRHDCWA56QT", "us-west-2": "Z1H1FL5HABSF5"}
var nlbZones = map[string]string{"us-east-1": "Z26RNL4JYFTOTI", "eu-west-1": "Z2IFOLAFXWLO4F", "ap-northeast-1": "Z31USIVHYNEOWT", "us-west-2": "Z18D5FSROUN65G"}

func (g *vb) loadBalancer(which int) {
	v := g.v
	hash := g.o.ids.hex("elb", g.n|uint64(which), 16)
	lb := jsonLB{CreatedTime: "2024-01-01T00:00:00.000Z", IPAddressType: "ipv4", State: lbState{"active"}, VpcID: v.id}
	var tg jsonTargetGroup
	var listeners []listener
	var targets []target
	if which == 0 {
		lb.LoadBalancerName = v.name + "-web"
		lb.Type, lb.Scheme = "application", "internet-facing"
		lb.LoadBalancerArn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", g.region, g.acct, lb.LoadBalancerName, hash)
		lb.DNSName = fmt.Sprintf("%s-%d.%s.elb.amazonaws.com", lb.LoadBalancerName, g.o.ids.mix("elbdns", g.n)%1_000_000_000, g.region)
		lb.CanonicalHostedZoneID = zoneOr(albZones, g.region, "Z35SXDOTRQ7X7K")
		lb.SecurityGroups = []string{g.sgs[sgWeb].id}
		for az := range 3 {
			lb.AvailabilityZones = append(lb.AvailabilityZones, lbAZ{g.subnets[slotPublic+az], g.azs[az]})
		}
		tg = jsonTargetGroup{Port: 8080, Protocol: "HTTP", TargetGroupName: v.name + "-app", TargetType: "instance", HealthCheckProtocol: "HTTP"}
		targets = g.albTargets
		g.albDNS = lb.DNSName
	} else {
		lb.LoadBalancerName = v.name + "-db"
		lb.Type, lb.Scheme = "network", "internal"
		lb.LoadBalancerArn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/net/%s/%s", g.region, g.acct, lb.LoadBalancerName, hash)
		lb.DNSName = fmt.Sprintf("%s-%s.elb.%s.amazonaws.com", lb.LoadBalancerName, hash, g.region)
		lb.CanonicalHostedZoneID = zoneOr(nlbZones, g.region, "Z26RNL4JYFTOTI")
		for az := range 3 {
			lb.AvailabilityZones = append(lb.AvailabilityZones, lbAZ{g.subnets[slotPrivate+az], g.azs[az]})
		}
		tg = jsonTargetGroup{Port: 5432, Protocol: "TCP", TargetGroupName: v.name + "-db", TargetType: "ip", HealthCheckProtocol: "TCP"}
		targets = g.nlbTargets
		g.nlbDNS = lb.DNSName
	}
	tg.HealthCheckEnabled, tg.HealthCheckPort, tg.VpcID = true, "traffic-port", v.id
	tg.LoadBalancerArns = []string{lb.LoadBalancerArn}
	tg.TargetGroupArn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", g.region, g.acct, tg.TargetGroupName, g.o.ids.hex("tg", g.n|uint64(which), 16))
	listenerArn := func(i int) string {
		return strings.Replace(lb.LoadBalancerArn, ":loadbalancer/", ":listener/", 1) + "/" + g.o.ids.hex("listener", g.n|uint64(which*2+i), 16)
	}
	if which == 0 {
		listeners = []listener{
			{
				Certificates:   []certificate{{fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", g.region, g.acct, g.o.ids.hex("cert", g.n, 32))}},
				DefaultActions: []action{{Order: 1, TargetGroupArn: tg.TargetGroupArn, Type: "forward"}},
				ListenerArn:    listenerArn(0), LoadBalancerArn: lb.LoadBalancerArn, Port: 443, Protocol: "HTTPS",
				SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
			},
			{
				DefaultActions: []action{{Order: 1, Type: "redirect", RedirectConfig: &redirectConfig{
					Host: "#{host}", Path: "/#{path}", Port: "443", Protocol: "HTTPS", Query: "#{query}", StatusCode: "HTTP_301"}}},
				ListenerArn: listenerArn(1), LoadBalancerArn: lb.LoadBalancerArn, Port: 80, Protocol: "HTTP",
			},
		}
	} else {
		listeners = []listener{{
			DefaultActions: []action{{Order: 1, TargetGroupArn: tg.TargetGroupArn, Type: "forward"}},
			ListenerArn:    listenerArn(0), LoadBalancerArn: lb.LoadBalancerArn, Port: 5432, Protocol: "TCP",
		}}
	}
	th := targetHealth{TargetGroupArn: tg.TargetGroupArn, TargetHealthDescriptions: []targetDescription{}}
	for _, t := range targets {
		th.TargetHealthDescriptions = append(th.TargetHealthDescriptions, targetDescription{
			HealthCheckPort: strconv.Itoa(t.Port), Target: t, TargetHealth: stateField{"healthy"},
		})
	}
	g.b.add(kLoadBalancers, &lb)
	g.b.add(kListeners, &lbListeners{Listeners: listeners, LoadBalancerArn: lb.LoadBalancerArn})
	g.b.add(kTargetGroups, &tg)
	g.b.add(kTargetHealth, &th)
}

func zoneOr(m map[string]string, region, def string) string {
	if z, ok := m[region]; ok {
		return z
	}
	return def
}

// ---- routing and filtering ----

func localRoute(cidr netip.Prefix) route {
	return route{DestinationCidrBlock: cidr.String(), GatewayID: "local", Origin: "CreateRouteTable", State: "active"}
}

// commonRoutes are the routes every table of the VPC carries besides the
// local one and the default route: peers and the transit gateway.
func (g *vb) commonRoutes() []route {
	v := g.v
	var rs []route
	for _, p := range v.peers {
		rs = append(rs, route{DestinationCidrBlock: p.other.cidr.String(), VpcPeeringConnectionID: p.pcx, Origin: "CreateRoute", State: "active"})
	}
	if v.tgwAttach != "" {
		rs = append(rs,
			route{DestinationCidrBlock: "10.0.0.0/8", TransitGatewayID: v.sc.tgw, Origin: "CreateRoute", State: "active"},
			route{DestinationPrefixListID: v.sc.plCorp, TransitGatewayID: v.sc.tgw, Origin: "CreateRoute", State: "active"},
		)
	}
	return rs
}

func (g *vb) routeTables() {
	v := g.v
	rt := func(local uint64, name string, main bool, slots []int, dflt *route) {
		id := g.id("rtb", local)
		t := jsonRouteTable{OwnerID: g.acct, PropagatingVgws: []struct{}{}, RouteTableID: id, VpcID: v.id, Tags: nameTag(v.name + "-" + name)}
		if main {
			t.Associations = append(t.Associations, rtAssoc{AssociationState: stateField{"associated"}, Main: true,
				RouteTableAssociationID: g.id("rtbassoc", local<<4), RouteTableID: id})
		}
		for _, s := range slots {
			t.Associations = append(t.Associations, rtAssoc{AssociationState: stateField{"associated"},
				RouteTableAssociationID: g.id("rtbassoc", local<<4|uint64(s+1)), RouteTableID: id, SubnetID: g.subnets[s]})
		}
		t.Routes = append([]route{localRoute(v.cidr)}, g.commonRoutes()...)
		if dflt != nil {
			t.Routes = append(t.Routes, *dflt)
		}
		g.b.add(kRouteTables, &t)
	}
	privDefault := func(az int) *route {
		switch {
		case v.nat:
			return &route{DestinationCidrBlock: "0.0.0.0/0", NatGatewayID: g.nats[az], Origin: "CreateRoute", State: "active"}
		case v.tgwAttach != "" && v.sc.egress != nil:
			return &route{DestinationCidrBlock: "0.0.0.0/0", TransitGatewayID: v.sc.tgw, Origin: "CreateRoute", State: "active"}
		}
		return nil
	}
	// The main table serves the private subnet of AZ c, which has no
	// explicit association.
	rt(0, "main", true, nil, privDefault(2))
	if v.igw {
		rt(1, "public", false, []int{slotPublic, slotPublic + 1, slotPublic + 2},
			&route{DestinationCidrBlock: "0.0.0.0/0", GatewayID: g.igwID, Origin: "CreateRoute", State: "active"})
	}
	for az := range 2 {
		rt(uint64(2+az), fmt.Sprintf("private-%c", 'a'+az), false, []int{slotPrivate + az}, privDefault(az))
	}
}

func entry(n int, egress bool, proto, action, cidr string, from, to int) naclEntry {
	e := naclEntry{CidrBlock: cidr, Egress: egress, Protocol: proto, RuleAction: action, RuleNumber: n}
	if proto == "6" || proto == "17" {
		e.PortRange = &portRange{from, to}
	}
	return e
}

func (g *vb) networkACLs() {
	v := g.v
	var dflt, priv, pub []int
	for slot := range numSlots {
		if !v.hasSlot(slot) {
			continue
		}
		switch {
		case slot >= slotPrivate && v.customPrivACL:
			priv = append(priv, slot)
		case slot < slotPrivate && v.customPubACL:
			pub = append(pub, slot)
		default:
			dflt = append(dflt, slot)
		}
	}
	acl := func(local uint64, name string, isDefault bool, slots []int, entries []naclEntry) {
		id := g.id("acl", local)
		a := jsonNACL{Associations: []naclAssoc{}, Entries: entries, IsDefault: isDefault, NetworkACLID: id, OwnerID: g.acct, VpcID: v.id, Tags: nameTag(v.name + "-" + name)}
		for _, s := range slots {
			a.Associations = append(a.Associations, naclAssoc{NetworkACLAssociationID: g.id("aclassoc", uint64(s)), NetworkACLID: id, SubnetID: g.subnets[s]})
		}
		// Every table ends with the rule AWS adds and describe prints.
		a.Entries = append(a.Entries, entry(32767, false, "-1", "deny", "0.0.0.0/0", 0, 0), entry(32767, true, "-1", "deny", "0.0.0.0/0", 0, 0))
		g.b.add(kNetworkACLs, &a)
	}
	acl(0, "default", true, dflt, []naclEntry{
		entry(100, false, "-1", "allow", "0.0.0.0/0", 0, 0),
		entry(100, true, "-1", "allow", "0.0.0.0/0", 0, 0),
	})
	if v.customPrivACL {
		acl(1, "private", false, priv, []naclEntry{
			entry(90, false, "6", "deny", "0.0.0.0/0", 23, 23),
			entry(100, false, "-1", "allow", "10.0.0.0/8", 0, 0),
			entry(110, false, "6", "allow", "0.0.0.0/0", 1024, 65535),
			entry(120, false, "17", "allow", "0.0.0.0/0", 1024, 65535),
			entry(100, true, "-1", "allow", "0.0.0.0/0", 0, 0),
		})
	}
	if v.customPubACL {
		acl(2, "public", false, pub, []naclEntry{
			entry(50, false, "6", "deny", "192.0.2.0/24", 0, 65535),
			entry(100, false, "6", "allow", "0.0.0.0/0", 443, 443),
			entry(110, false, "6", "allow", "0.0.0.0/0", 80, 80),
			entry(120, false, "6", "deny", "0.0.0.0/0", 22, 22),
			entry(130, false, "6", "allow", "0.0.0.0/0", 1024, 65535),
			entry(140, false, "-1", "allow", v.cidr.String(), 0, 0),
			entry(100, true, "-1", "allow", "0.0.0.0/0", 0, 0),
		})
	}
}

// ---- peering and DNS ----

func (g *vb) peering(p peerLink) {
	v, w := g.v, p.other
	info := func(x *vpc) peeringVPCInfo {
		return peeringVPCInfo{
			CidrBlock: x.cidr.String(), CidrBlockSet: []cidrOnly{{x.cidr.String()}}, OwnerID: x.sc.account,
			PeeringOptions: peeringOptions{AllowDNSResolutionFromRemoteVpc: x.idx%8 == 0}, Region: x.sc.region, VpcID: x.id,
		}
	}
	g.b.add(kPeerings, &jsonPeering{
		AccepterVpcInfo: info(w), RequesterVpcInfo: info(v), Status: peeringStatus{"active", "Active"},
		Tags: nameTag(v.name + "-" + w.name), VpcPeeringConnectionID: p.pcx,
	})
}

func (g *vb) hostedZone() {
	v := g.v
	name := v.name + ".internal."
	recs := zoneApex(name)
	if g.albDNS != "" {
		recs = append(recs, recordSet{Name: "web." + name, Type: "A", AliasTarget: &aliasTarget{
			DNSName: "dualstack." + g.albDNS + ".", EvaluateTargetHealth: true, HostedZoneID: zoneOr(albZones, g.region, "Z35SXDOTRQ7X7K")}})
	}
	if g.nlbDNS != "" {
		recs = append(recs, recordSet{Name: "db." + name, Type: "CNAME", TTL: 60, ResourceRecords: []resourceRecord{{g.nlbDNS}}})
	}
	recs = append(recs, g.records...)
	g.b.extra["ResourceRecordSets"] += len(recs)
	zoneID := g.o.ids.zone(uint64(v.idx))
	g.b.add(kHostedZones, &hostedZone{
		HostedZone: zoneInfo{
			CallerReference: "synth-" + v.name, Config: zoneConfig{Comment: v.name + " private names", PrivateZone: true},
			ID: "/hostedzone/" + zoneID, Name: name, ResourceRecordSetCount: len(recs),
		},
		ResourceRecordSets: recs,
		VPCs:               []zoneVPC{{VPCID: v.id, VPCRegion: g.region}},
	})
}
