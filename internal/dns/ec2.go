package dns

import (
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// ec2TTL is the TTL of EC2 names.
const ec2TTL = 60

// ec2 answers a name under an autodefined EC2 domain (R3).
func (r *Resolver) ec2(q *query, d string, kind ruleKind, name string, t Type, res *Result) {
	res.tracef("%s rule set: autodefined EC2 rule for %s is the most specific match (enableDnsHostnames and enableDnsSupport are on, R1.6, R2.2)", q.v.vpc.ID, d)
	label, ok := strings.CutSuffix(name, "."+d)
	if !ok || strings.Contains(label, ".") {
		q.decide(res, ByEC2Hostname, "")
		if name == d {
			res.Rcode = NoError
			res.tracef("%s is the domain itself: NODATA", d)
			return
		}
		res.Rcode = NXDomain
		res.tracef("%s is not an EC2 name of the form ip-a-b-c-d, i-…, or ec2-a-b-c-d: NXDOMAIN", name)
		return
	}
	if kind == ruleEC2Public {
		r.ec2Public(q, label, name, t, res)
		return
	}
	if rest, ok := strings.CutPrefix(label, "ip-"); ok {
		a, ok := ipFromDashed(rest)
		if !ok {
			q.decide(res, ByEC2Hostname, "")
			res.Rcode = NXDomain
			res.tracef("%s does not encode an IPv4 address: NXDOMAIN", name)
			return
		}
		id := ""
		if enis := r.n.InterfacesByAddress(a); len(enis) > 0 {
			id = ownerOf(enis[0])
		}
		q.decide(res, ByEC2Hostname, id)
		if !q.v.vpc.Contains(a) && !isRFC1918(a) {
			res.Rcode = NXDomain
			res.tracef("%s is neither in %s nor an RFC 1918 address: NXDOMAIN (R3.3)", a, q.v.vpc.ID)
			return
		}
		res.Rcode = NoError
		if t != TypeA && t != TypeANY {
			res.tracef("IP-based names answer A queries only: NODATA for %s (R3.1)", t)
			return
		}
		res.Answers = append(res.Answers, Answer{Name: name, Type: "A", TTL: ec2TTL, Value: a.String(), RRType: TypeA})
		res.tracef("IP-based name %s answers %s (R3.1, R3.3)", name, a)
		return
	}
	if strings.HasPrefix(label, "i-") {
		inst, ok := r.n.Instances.Get(label)
		if !ok {
			q.decide(res, ByEC2Hostname, label)
			q.unknownf(res, "instance %s is not in the sources", label)
			res.tracef("resource-based name of %s, an instance not in the sources: UNKNOWN (R3.2)", label)
			return
		}
		q.decide(res, ByEC2Hostname, inst.ID)
		res.Rcode = NoError
		switch {
		case t == TypeA && inst.EnableResourceNameDNSARecord:
			a := inst.PrivateIP
			if !a.IsValid() {
				a = r.instanceAddr(inst, true)
			}
			if !a.IsValid() {
				q.unknownf(res, "the private IPv4 address of %s is not in the sources", inst.ID)
				return
			}
			res.Answers = append(res.Answers, Answer{Name: name, Type: "A", TTL: ec2TTL, Value: a.String(), RRType: TypeA})
			res.tracef("resource-based name of %s answers A %s (R3.2)", inst.ID, a)
		case t == TypeAAAA && inst.EnableResourceNameDNSAAAARecord:
			a := r.instanceAddr(inst, false)
			if !a.IsValid() {
				res.tracef("%s has no IPv6 address: NODATA", inst.ID)
				return
			}
			res.Answers = append(res.Answers, Answer{Name: name, Type: "AAAA", TTL: ec2TTL, Value: a.String(), RRType: TypeAAAA})
			res.tracef("resource-based name of %s answers AAAA %s (R3.2)", inst.ID, a)
		default:
			res.tracef("resource-based name of %s does not answer %s (enableResourceNameDnsARecord=%t, enableResourceNameDnsAAAARecord=%t): NODATA (R3.2)",
				inst.ID, t, inst.EnableResourceNameDNSARecord, inst.EnableResourceNameDNSAAAARecord)
		}
		return
	}
	q.decide(res, ByEC2Hostname, "")
	res.Rcode = NXDomain
	res.tracef("%s is not an EC2 name: NXDOMAIN", name)
}

func (r *Resolver) instanceAddr(inst *model.Instance, v4 bool) netip.Addr {
	for _, id := range inst.NetworkInterfaceIDs {
		eni, ok := r.n.NetworkInterfaces.Get(id)
		if !ok {
			continue
		}
		if v4 {
			if a, ok := eni.PrimaryIP(); ok {
				return a
			}
		} else if len(eni.IPv6) > 0 {
			return eni.IPv6[0]
		}
	}
	return netip.Addr{}
}

func isRFC1918(a netip.Addr) bool {
	for _, p := range rfc1918 {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ec2Public answers an EC2 public DNS name: the private IP inside the
// instance's VPC (R3.4) and across a peering whose remote side allows DNS
// resolution (R3.5), else the public IP.
func (r *Resolver) ec2Public(q *query, label, name string, t Type, res *Result) {
	rest, ok := strings.CutPrefix(label, "ec2-")
	p, ok2 := ipFromDashed(rest)
	if !ok || !ok2 {
		q.decide(res, ByEC2Hostname, "")
		res.Rcode = NXDomain
		res.tracef("%s is not a public EC2 name of the form ec2-a-b-c-d: NXDOMAIN", name)
		return
	}
	eni, found := r.n.InterfaceByPublicIP(p)
	if !found {
		q.decide(res, ByEC2Hostname, "")
		q.unknownf(res, "no network interface in the sources has the public address %s", p)
		res.tracef("public name %s: no network interface in the sources has %s: UNKNOWN", name, p)
		return
	}
	q.decide(res, ByEC2Hostname, ownerOf(eni))
	res.Rcode = NoError
	if t != TypeA && t != TypeANY {
		res.tracef("public EC2 names answer A queries only: NODATA for %s (R3.4)", t)
		return
	}
	private := netip.Addr{}
	for _, pi := range eni.PrivateIPs {
		if pi.PublicIP == p {
			private = pi.Address
		}
	}
	answer := p
	switch {
	case eni.VPCID == q.v.vpc.ID:
		answer = private
		res.tracef("public name of %s queried inside its VPC %s answers the private address (R3.4)", eni.ID, eni.VPCID)
	default:
		why := r.peerDNS(q.v, eni.VPCID)
		if why == "" {
			answer = private
			res.tracef("public name of %s in peered VPC %s answers the private address: the peering allows DNS resolution from %s (R3.5)", eni.ID, eni.VPCID, q.v.vpc.ID)
		} else {
			res.tracef("public name of %s in %s answers the public address: %s (R3.5)", eni.ID, eni.VPCID, why)
		}
	}
	if !answer.IsValid() {
		q.unknownf(res, "the private address behind %s is not in the sources", p)
		return
	}
	res.Answers = append(res.Answers, Answer{Name: name, Type: "A", TTL: ec2TTL, Value: answer.String(), RRType: TypeA})
}

// peerDNS returns "" when queries from v's VPC for instances of vpcID get
// private addresses over a peering (R3.5), else why not.
func (r *Resolver) peerDNS(v *view, vpcID string) string {
	why := "no active peering connects " + v.vpc.ID + " with " + vpcID
	for _, p := range r.n.PeeringsOf(v.vpc.ID) {
		_, remote, ok := p.Side(v.vpc.ID)
		if !ok || remote.VPCID != vpcID {
			continue
		}
		if !p.IsActive() {
			why = p.ID + " is " + p.Status
			continue
		}
		if !remote.AllowDNSResolutionFromRemoteVPC {
			why = p.ID + ": " + vpcID + "'s side does not allow DNS resolution from the remote VPC"
			continue
		}
		w := r.views[vpcID]
		if w == nil || !w.support.MayBeTrue() || !w.hostnames.MayBeTrue() || !v.support.MayBeTrue() || !v.hostnames.MayBeTrue() {
			why = p.ID + ": both VPCs need enableDnsSupport and enableDnsHostnames"
			continue
		}
		return ""
	}
	return why
}

// reverse answers a name under an autodefined reverse zone (R2.2).
func (r *Resolver) reverse(q *query, d, name string, t Type, res *Result) {
	res.tracef("%s rule set: autodefined reverse rule for %s is the most specific match (R2.2)", q.v.vpc.ID, d)
	q.decide(res, ByAutodefined, d)
	a, ok := parseReverse(name)
	if !ok {
		res.Rcode = NXDomain
		res.tracef("%s does not name one address: NXDOMAIN", name)
		return
	}
	var host string
	for _, eni := range r.n.InterfacesByAddress(a) {
		if eni.VPCID != q.v.vpc.ID && !q.v.connected[eni.VPCID] {
			continue
		}
		region := q.v.region
		if w := r.views[eni.VPCID]; w != nil {
			region = w.region
		}
		if inst, ok := r.n.Instances.Get(eni.OwnerID); ok && inst.PrivateDNSName != "" {
			host = Canonical(inst.PrivateDNSName)
		} else if region != "" {
			host = ipName(a, region)
		}
		res.tracef("%s belongs to %s in %s", a, eni.ID, eni.VPCID)
		break
	}
	if host == "" && q.v.region != "" && q.v.vpc.Contains(a) {
		host = ipName(a, q.v.region)
		res.tracef("%s is in %s but on no interface of the sources; the IP-based name is assumed (open question 6)", a, q.v.vpc.ID)
	}
	if host == "" {
		q.unknownf(res, "no interface or VPC of the sources holds %s", a)
		res.tracef("no interface or VPC of the sources holds %s: UNKNOWN", a)
		return
	}
	res.Rcode = NoError
	if t != TypePTR && t != TypeANY {
		res.tracef("reverse names answer PTR only: NODATA for %s", t)
		return
	}
	res.Answers = append(res.Answers, Answer{Name: name, Type: "PTR", TTL: ec2TTL, Value: host, RRType: TypePTR})
}

// localhost answers the autodefined localhost names (R2.2).
func (r *Resolver) localhost(q *query, name string, t Type, res *Result) {
	q.decide(res, ByAutodefined, "localhost")
	res.tracef("%s rule set: autodefined localhost rule (R2.2)", q.v.vpc.ID)
	res.Rcode = NoError
	switch name {
	case "localhost.", "localhost.localdomain.":
		switch t {
		case TypeA:
			res.Answers = append(res.Answers, Answer{Name: name, Type: "A", TTL: ec2TTL, Value: "127.0.0.1", RRType: TypeA})
		case TypeAAAA:
			res.Answers = append(res.Answers, Answer{Name: name, Type: "AAAA", TTL: ec2TTL, Value: "::1", RRType: TypeAAAA})
		}
	case "1.0.0.127.in-addr.arpa.", reverseName(netip.IPv6Loopback()):
		if t == TypePTR {
			res.Answers = append(res.Answers, Answer{Name: name, Type: "PTR", TTL: ec2TTL, Value: "localhost.", RRType: TypePTR})
		}
	default:
		if name != "localhost." && name != "localdomain." && name != "127.in-addr.arpa." {
			res.Rcode = NXDomain
		}
	}
}
