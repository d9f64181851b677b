package reach

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcreach/vpcreach/internal/model"
)

// ClientVPNExposure lists, for every Client VPN endpoint, its listener as
// an internet finding (the transport protocol and port clients connect
// to, udp/443 unless set) and every (interface, protocol, port range) its
// connected clients can open and get the replies back from: one
// set-valued traversal per interface from a client, through the endpoint's
// routes, authorization rules (a user in every group the rules name: the
// via says which rule admits it), source NAT and security groups (§6).
// Sources are the client CIDR.
func (e *Engine) ClientVPNExposure(ctx context.Context) ([]ExposureFinding, []string) {
	var fs []ExposureFinding
	var warns []string
	eps := e.Net.ClientVPNEndpoints.All()
	if len(eps) == 0 {
		return nil, nil
	}
	x := newExposer(e)
	for _, ep := range eps {
		if ctx.Err() != nil {
			break
		}
		switch strings.ToLower(ep.Status) {
		case "deleted", "deleting", "pending-associate":
			// No client can connect: without a target network the
			// endpoint is pending-associate (cvpn-working-endpoints.html).
			continue
		}
		fs = append(fs, clientVPNListener(ep))
		c, err := NewClient(ep, netip.Addr{}, nil, nil)
		if err != nil {
			warns = append(warns, "Client VPN "+err.Error()+": what its clients reach is not listed")
			continue
		}
		for _, r := range ep.AuthorizationRules {
			if !r.AccessAll && r.GroupID != "" && !slices.Contains(c.Groups, r.GroupID) {
				c.Groups = append(c.Groups, r.GroupID)
			}
		}
		sources := []netip.Prefix{ep.ClientCIDR.Masked()}
		var enis []*model.NetworkInterface
		for _, ni := range e.Net.NetworkInterfaces.All() {
			switch {
			case ni.OwnerKind == model.OwnerClientVPN, ni.OwnerKind == model.OwnerTGWAttachment:
				continue // the endpoint's own interfaces; attachments forward, they are no destination
			case x.lbOf[ni] != nil:
				continue // load balancers answer on their listeners only: not modelled from clients yet
			}
			if _, ok := ni.PrimaryIP(); ok {
				enis = append(enis, ni)
			}
		}
		// One traversal per interface, spread over the processors; the
		// engine is safe for concurrent use.
		per := make([][]ExposureFinding, len(enis))
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < min(runtime.GOMAXPROCS(0), max(1, len(enis))); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(enis) || ctx.Err() != nil {
						return
					}
					per[i] = e.clientFindings(ctx, x, c, sources, enis[i])
				}
			}()
		}
		wg.Wait()
		for _, f := range per {
			fs = append(fs, f...)
		}
	}
	return fs, warns
}

// clientFindings are what client c can open on interface ni.
func (e *Engine) clientFindings(ctx context.Context, x *exposer, c Client, sources []netip.Prefix, ni *model.NetworkInterface) []ExposureFinding {
	var fs []ExposureFinding
	to := e.eniEndpoint(Endpoint{}, ni)
	outs := e.ClientTrace(ctx, c, to, AllPackets())
	res := x.resourceOf(ni)
	for _, g := range groupOutcomes(outs, nil) {
		verdict := g.verdict
		if len(g.reasons) > 0 {
			verdict = PossiblyReachable
		}
		for _, p := range decompose(g.space) {
			f := ExposureFinding{
				Resource: res,
				From:     ExposureFrom{Kind: EdgeClientVPN, ID: c.Endpoint.ID, Sources: sources},
				Protocol: p.proto,
				Ports:    p.ports,
				Verdict:  verdict,
				Via:      g.via,
				Severity: SeverityOf(EdgeClientVPN, p.proto, p.ports),
			}
			var why []string
			if rules := e.clientAllowingRules(ni, p); rules != "" {
				why = append(why, "allowed by "+rules)
			}
			for _, h := range g.fwd {
				if h.Type == model.TypeClientVPNEndpoint && strings.HasPrefix(h.Action, "authorization rule") {
					why = append(why, h.Action)
				}
			}
			if !p.srcPorts.Covers(ephemeralRanges) && p.hasPorts {
				why = append(why, "replies get back only to client source ports "+p.srcPorts.String())
			}
			why = append(why, g.reasons...)
			f.Reason = strings.Join(uniq(why), "; ")
			fs = append(fs, f)
		}
	}
	return fs
}

// clientVPNListener is the endpoint's VPN listener, open to the internet
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-clientvpnendpoint.html:
// TransportProtocol udp by default, VpnPort 443 or 1194, 443 by default).
func clientVPNListener(ep *model.ClientVPNEndpoint) ExposureFinding {
	proto := strings.ToLower(ep.TransportProtocol)
	if proto == "" {
		proto = "udp"
	}
	port := ep.VPNPort
	if port == 0 {
		port = 443
	}
	where := ep.DNSName
	if where == "" {
		where = "its DNS name"
	}
	f := ExposureFinding{
		Resource: ExposedResource{ID: ep.ID, Type: model.TypeClientVPNEndpoint, Origin: ep.Origin},
		From:     ExposureFrom{Kind: EdgeInternet, ID: "internet", Sources: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}},
		Protocol: proto,
		Ports:    model.PortRange{From: port, To: port},
		Verdict:  Reachable,
		Severity: SeverityOf(EdgeInternet, proto, model.PortRange{From: port, To: port}),
		Via:      []Hop{{ID: ep.ID, Type: model.TypeClientVPNEndpoint}},
		Reason: fmt.Sprintf("the Client VPN endpoint listens on the internet at %s, %s/%d; connecting also needs its client authentication",
			where, proto, port),
	}
	if ep.HasUnknowns() {
		f.Verdict = PossiblyReachable
		f.Reason += "; " + ep.ID + " has unknown values (" + unknownsOf(ep) + ")"
	}
	return f
}

// AddFindings merges more findings into the result, keeping its order.
func (r *ExposureResult) AddFindings(fs []ExposureFinding, warnings []string) {
	if len(fs) > 0 {
		// Sorting copies every finding once more: only when there is
		// something to place (the findings are in order already).
		r.Findings = append(r.Findings, fs...)
		sortFindings(r.Findings)
	}
	r.Warnings = uniq(append(r.Warnings, warnings...))
}

// clientAllowingRules names the security group rules of an interface that
// let a part in (its sources are the endpoint's interface after source
// NAT).
func (e *Engine) clientAllowingRules(ni *model.NetworkInterface, p part) string {
	var out []string
	for _, gid := range ni.SecurityGroupIDs {
		sg, ok := e.Net.SecurityGroups.Get(gid)
		if !ok {
			continue
		}
		for _, r := range sg.Ingress {
			c := ruleCube(r.Protocol, r.Ports, r.ICMP, fullSet, false)
			if p.protos.And(c.Proto).Empty() {
				continue
			}
			if (p.hasPorts || p.isICMP) && c.DstPorts.Intersect(p.keys).Empty() {
				continue
			}
			if peer, _ := e.peerSet(r.Peer); p.src != nil && !peer.Overlaps(p.src) {
				continue
			}
			out = append(out, gid+" "+describeSGRule(r))
		}
	}
	return strings.Join(uniq(out), ", ")
}
