package lint

import (
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// attachment is one place an instance meets a subnet: an ENI, or the
// instance itself when the sources list no interface for it.
type attachment struct {
	subnetID  string
	vpcID     string
	sgIDs     []string
	public    bool   // a known public IPv4 address
	maybe     string // why a public address may exist
	ipv6      bool
	elementID string
}

func instanceAttachments(n *model.Network, inst *model.Instance) []attachment {
	var out []attachment
	for _, id := range inst.NetworkInterfaceIDs {
		eni, ok := n.NetworkInterfaces.Get(id)
		if !ok {
			continue
		}
		a := attachment{subnetID: eni.SubnetID, vpcID: eni.VPCID, sgIDs: eni.SecurityGroupIDs,
			public: len(eni.PublicIPs()) > 0, ipv6: len(eni.IPv6) > 0, elementID: eni.ID}
		for _, p := range eni.PrivateIPs {
			if p.PublicUnknown != "" {
				a.maybe = p.PublicUnknown
			}
		}
		a.maybe = orMaybe(a.maybe, publicUnknown(&eni.Meta))
		if a.maybe == "" && !a.public && fromTemplate(eni) && eni.DeviceIndex == 0 {
			if s, ok := n.Subnets.Get(eni.SubnetID); ok && s.MapPublicIPOnLaunch.MayBeTrue() {
				a.maybe = "subnet " + s.ID + " maps a public IPv4 address on launch"
			}
		}
		out = append(out, a)
	}
	if len(out) == 0 && inst.SubnetID != "" {
		a := attachment{subnetID: inst.SubnetID, vpcID: inst.VPCID, sgIDs: inst.SecurityGroupIDs,
			public: inst.PublicIP.IsValid(), elementID: inst.ID, maybe: publicUnknown(&inst.Meta)}
		if a.maybe == "" && !a.public {
			if s, ok := n.Subnets.Get(inst.SubnetID); ok && s.MapPublicIPOnLaunch.MayBeTrue() && fromTemplate(inst) {
				a.maybe = "subnet " + s.ID + " maps a public IPv4 address on launch"
			}
		}
		if a.vpcID == "" {
			if v, ok := n.VPCOf(inst.SubnetID); ok {
				a.vpcID = v.ID
			}
		}
		out = append(out, a)
	}
	return out
}

func orMaybe(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// publicUnknown returns the reason of an unknown value about public addressing.
func publicUnknown(m *model.Meta) string {
	for _, u := range m.Unknowns {
		if strings.Contains(strings.ToLower(u.Field), "public") {
			return u.String()
		}
	}
	return ""
}

// lbTargets returns the IDs and addresses registered behind load
// balancers, and the VPCs where some target group's targets are unknown.
func lbTargets(n *model.Network) (ids map[string]bool, unknownVPCs map[string]bool) {
	ids = map[string]bool{}
	unknownVPCs = map[string]bool{}
	for _, lb := range n.LoadBalancers.All() {
		for _, id := range lb.InstanceIDs {
			ids[id] = true
		}
	}
	for _, tg := range n.TargetGroups.All() {
		if !tg.TargetsKnown {
			unknownVPCs[tg.VPCID] = true
		}
		for _, t := range tg.Targets {
			ids[t.ID] = true
		}
	}
	return ids, unknownVPCs
}

// checkOpenButNotExposed is seed 004's situation: a security group open to
// the world on an instance the internet cannot reach. An instance behind a
// load balancer, with a public address the sources cannot fix, or with a
// public address routed to the internet gateway is left alone (exposure
// answers for those); for the others the path engine must stop every
// packet from the internet, and its evidence joins the model's reasons
// (no public address, no internet gateway, no route to one).
func checkOpenButNotExposed(n *model.Network, out *findings) {
	targets, unknownTG := lbTargets(n)
	open := worldOpen{n: n, byGroup: map[string]groupOpen{}}
	for _, inst := range n.Instances.All() {
		if targets[inst.ID] {
			continue
		}
		atts := instanceAttachments(n, inst)
		if len(atts) == 0 {
			continue
		}
		var openRule string
		for _, a := range atts {
			if openRule == "" {
				openRule = open.ingress(a.sgIDs)
			}
		}
		if openRule == "" {
			continue
		}
		var reasons []string
		exposedOrUnsure := false
		for _, a := range atts {
			if unknownTG[a.vpcID] || targets[a.elementID] || behindLB(n, targets, a.elementID) {
				exposedOrUnsure = true
				break
			}
			if a.maybe != "" {
				// A public address the sources cannot fix: possibly exposed.
				exposedOrUnsure = true
				break
			}
			if likelyExposed(n, a) {
				// A public address routed to the internet gateway: the
				// exposure command tells what gets through; asking the
				// engine here would cost a traversal per instance.
				exposedOrUnsure = true
				break
			}
			why, modelOK := notInternetReachable(n, a)
			eni, isENI := n.NetworkInterfaces.Get(a.elementID)
			if !isENI {
				// No interface in the sources: the model-only reading.
				if !modelOK {
					exposedOrUnsure = true
					break
				}
				reasons = append(reasons, why...)
				continue
			}
			// The path engine has the last word: every packet from the
			// internet must be stopped, with the evidence.
			blocks, noIGW, engineOK := out.internetBlocked(n, eni)
			if !engineOK {
				exposedOrUnsure = true
				break
			}
			if noIGW {
				reasons = append(reasons, "VPC "+eni.VPCID+" has no internet gateway")
				continue
			}
			if modelOK {
				// The model says why in plain words; the engine adds
				// where, by Reachability Analyzer code.
				reasons = append(reasons, why...)
				for _, b := range blocks {
					reasons = append(reasons, "stopped at "+b.ID+" ("+b.Code+")")
				}
				continue
			}
			for _, b := range blocks {
				reasons = append(reasons, b.ID+" stops it: "+b.Reason+" ("+b.Code+")")
			}
		}
		if exposedOrUnsure {
			continue
		}
		out.add(RuleSGOpenNotExposed, inst, inst.Origin,
			"%s, but %s is not exposed to the internet because: %s", openRule, inst.Label(), strings.Join(dedupe(reasons), "; "))
	}
}

// worldOpen finds the world-open ingress rules of groups, each group's
// read once: instances share their groups, which hold many rules.
type worldOpen struct {
	n       *model.Network
	byGroup map[string]groupOpen
}

// groupOpen is a group's most telling world-open ingress rule, described,
// and its rank (3 an admin port, 2 other tcp, 1 the rest, 0 none).
type groupOpen struct {
	desc string
	rank int
}

// ingress describes the most telling ingress rule open to the world
// (0.0.0.0/0 or ::/0) among the groups, "" when there is none: an admin
// port first, then tcp, then any, the first of a rank in the order of
// the groups and their rules.
func (w *worldOpen) ingress(sgIDs []string) string {
	best := groupOpen{}
	for _, id := range sgIDs {
		g, ok := w.byGroup[id]
		if !ok {
			g = groupWorldOpen(w.n, id)
			w.byGroup[id] = g
		}
		if g.rank > best.rank {
			best = g
		}
	}
	return best.desc
}

// groupWorldOpen is one group's most telling world-open ingress rule.
func groupWorldOpen(n *model.Network, id string) groupOpen {
	best := groupOpen{}
	sg, ok := n.SecurityGroups.Get(id)
	if !ok {
		return best
	}
	for i := range sg.Ingress {
		r := &sg.Ingress[i] // in place: groups hold thousands of rules
		if r.Peer.Kind != model.PeerCIDR || !isWorld(r.Peer.CIDR) {
			continue
		}
		rank := 1
		switch {
		case hasAdminPort(r):
			rank = 3
		case r.Protocol == model.ProtoTCP:
			rank = 2
		}
		if rank > best.rank {
			best = groupOpen{desc: sg.ID + " allows " + describeRule(*r), rank: rank}
		}
	}
	return best
}

// behindLB reports whether one of an interface's addresses is registered
// as an ip target.
func behindLB(n *model.Network, targets map[string]bool, eniID string) bool {
	eni, ok := n.NetworkInterfaces.Get(eniID)
	if !ok {
		return false
	}
	for _, p := range eni.PrivateIPs {
		if targets[p.Address.String()] {
			return true
		}
	}
	return false
}

// likelyExposed reports whether an attachment has a public address of a
// family its subnet routes to the VPC's internet gateway.
func likelyExposed(n *model.Network, a attachment) bool {
	if _, has := n.InternetGatewayOf(a.vpcID); !has {
		return false
	}
	rt, _ := n.RouteTableFor(a.subnetID)
	if rt == nil {
		return false
	}
	v4, _ := internetRoute(rt, false)
	v6, _ := internetRoute(rt, true)
	return a.public && v4 || a.ipv6 && v6
}

// notInternetReachable returns why an attachment cannot be reached from
// the internet; ok is false when it can, or when the model cannot tell.
func notInternetReachable(n *model.Network, a attachment) (reasons []string, ok bool) {
	if a.maybe != "" {
		return nil, false
	}
	if _, known := n.VPCs.Get(a.vpcID); known {
		if _, has := n.InternetGatewayOf(a.vpcID); !has {
			return []string{"VPC " + a.vpcID + " has no internet gateway"}, true
		}
	}
	rt, _ := n.RouteTableFor(a.subnetID)
	if rt == nil {
		return nil, false
	}
	v4, unk4 := internetRoute(rt, false)
	v6, unk6 := internetRoute(rt, true)
	if unk4 != "" || unk6 != "" {
		return nil, false
	}
	if a.public && v4 {
		return nil, false
	}
	if a.ipv6 && v6 {
		return nil, false
	}
	if !v4 && !v6 {
		reasons = append(reasons, "private subnet "+a.subnetID+", no route to an internet gateway in "+rt.ID)
	}
	if !a.public {
		reasons = append(reasons, "no public IPv4 address on "+a.elementID)
	}
	if len(reasons) == 0 {
		// An IPv6-only route with no IPv6 address, or the reverse.
		reasons = append(reasons, "no address of the family "+rt.ID+" routes to the internet gateway")
	}
	return reasons, true
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// checkPublicIPs finds public addresses in subnets that cannot use them.
func checkPublicIPs(n *model.Network, out *findings) {
	flagged := map[string]bool{}
	for _, s := range n.Subnets.All() {
		if !s.MapPublicIPOnLaunch.IsTrue() {
			continue
		}
		if why, ok := noInternetRoute(n, s.ID, s.VPCID); ok {
			flagged[s.ID] = true
			out.add(RulePublicIPNoIGW, s, s.Origin,
				"%s maps a public IPv4 address to every instance it launches, but %s", s.Label(), why)
		}
	}
	for _, eni := range n.NetworkInterfaces.All() {
		pubs := eni.PublicIPs()
		if len(pubs) == 0 || flagged[eni.SubnetID] {
			continue
		}
		if why, ok := noInternetRoute(n, eni.SubnetID, eni.VPCID); ok {
			owner := ""
			if eni.OwnerID != "" {
				owner = " (" + string(eni.OwnerKind) + " " + eni.OwnerID + ")"
			}
			out.add(RulePublicIPNoIGW, eni, eni.Origin,
				"%s%s holds public address %s in subnet %s, but %s", eni.Label(), owner, pubs[0], eni.SubnetID, why)
		}
	}
	for _, inst := range n.Instances.All() {
		if len(inst.NetworkInterfaceIDs) > 0 || !inst.PublicIP.IsValid() || inst.SubnetID == "" || flagged[inst.SubnetID] {
			continue
		}
		vpcID := inst.VPCID
		if v, ok := n.VPCOf(inst.SubnetID); ok {
			vpcID = v.ID
		}
		if why, ok := noInternetRoute(n, inst.SubnetID, vpcID); ok {
			out.add(RulePublicIPNoIGW, inst, inst.Origin,
				"%s holds public address %s in subnet %s, but %s", inst.Label(), inst.PublicIP, inst.SubnetID, why)
		}
	}
}

// noInternetRoute says why a subnet cannot use a public IPv4 address;
// ok is false when it can or the model cannot tell.
func noInternetRoute(n *model.Network, subnetID, vpcID string) (string, bool) {
	rt, _ := n.RouteTableFor(subnetID)
	if rt == nil {
		return "", false
	}
	found, unknown := internetRoute(rt, false)
	if found || unknown != "" {
		return "", false
	}
	if r := fwRouteFor(rt, netip.MustParseAddr("8.8.8.8")); r != nil && r.TargetKind == model.TargetGatewayEndpoint {
		// Through a Network Firewall endpoint whose subnet goes on to
		// the internet gateway (R9.1), or an endpoint whose appliances
		// decide.
		if _, any := endpointsReach(n, r, ""); any || len(routeEndpoints(n, r)) == 0 {
			return "", false
		}
	}
	if _, known := n.VPCs.Get(vpcID); !known {
		return "its route table " + rt.ID + " has no route to an internet gateway", true
	}
	if _, has := n.InternetGatewayOf(vpcID); !has {
		return "VPC " + vpcID + " has no internet gateway and route table " + rt.ID + " has no route to one", true
	}
	return "its route table " + rt.ID + " has no route to an internet gateway", true
}
