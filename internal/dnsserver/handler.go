// Package dnsserver is a real DNS server (UDP and TCP, github.com/miekg/dns)
// that answers every query the way the VPC resolver seen from one vantage
// point would, using internal/dns for the answers.
package dnsserver

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/vpcreach/vpcreach/internal/dns"
)

// DefaultMaxConcurrent bounds the queries answered at once.
const DefaultMaxConcurrent = 256

// advertisedUDPSize is the EDNS0 UDP payload size the server offers.
const advertisedUDPSize = 4096

// Handler answers DNS messages as the resolver seen from one vantage point.
type Handler struct {
	session *dns.Session
	sem     chan struct{}
	// Wait is how long a query waits for a free slot before the server
	// answers SERVFAIL.
	Wait time.Duration
	// ctx is the server's lifetime.
	ctx context.Context
}

// NewHandler returns a handler answering as the session's resolver, at
// most maxConcurrent queries at once (DefaultMaxConcurrent when <= 0). The
// session's trace is switched off: a DNS response has no room for it.
func NewHandler(s *dns.Session, maxConcurrent int) *Handler {
	if maxConcurrent <= 0 {
		maxConcurrent = DefaultMaxConcurrent
	}
	s.NoTrace = true
	return &Handler{session: s, sem: make(chan struct{}, maxConcurrent), Wait: time.Second, ctx: context.Background()}
}

// ServeDNS implements mdns.Handler.
func (h *Handler) ServeDNS(w mdns.ResponseWriter, req *mdns.Msg) {
	udp := isUDP(w.LocalAddr())
	select {
	case h.sem <- struct{}{}:
	default:
		t := time.NewTimer(h.Wait)
		select {
		case h.sem <- struct{}{}:
			t.Stop()
		case <-t.C:
			_ = w.WriteMsg(failure(req, mdns.RcodeServerFailure, udp))
			return
		case <-h.ctx.Done():
			t.Stop()
			return
		}
	}
	resp := h.Answer(h.ctx, req, udp)
	<-h.sem
	if resp != nil {
		_ = w.WriteMsg(resp)
	}
}

func isUDP(a net.Addr) bool {
	return a != nil && strings.HasPrefix(a.Network(), "udp")
}

// failure is a bare error response.
func failure(req *mdns.Msg, rcode int, udp bool) *mdns.Msg {
	resp := new(mdns.Msg)
	resp.SetRcode(req, rcode)
	resp.RecursionAvailable = true
	if opt := req.IsEdns0(); opt != nil {
		resp.SetEdns0(advertisedUDPSize, opt.Do())
	}
	return resp
}

// Extended DNS error codes (RFC 8914).
const (
	edeOther                = 0
	edeBlocked              = 15
	edeNotSupported         = 21 // used for REFUSED non-recursive queries
	edeNoReachableAuthority = 22
)

// Answer builds the response to one request: nil when nothing must be
// sent (the message is itself a response). It never panics on any message
// that mdns.Msg.Unpack accepted.
func (h *Handler) Answer(ctx context.Context, req *mdns.Msg, udp bool) *mdns.Msg {
	if req.Response {
		return nil
	}
	resp := new(mdns.Msg)
	resp.SetReply(req)
	resp.RecursionAvailable = true
	resp.Authoritative = false
	opt := req.IsEdns0()
	size := mdns.MinMsgSize
	if !udp {
		size = mdns.MaxMsgSize
	}
	if opt != nil {
		resp.SetEdns0(advertisedUDPSize, opt.Do())
		if udp && int(opt.UDPSize()) > size {
			size = int(opt.UDPSize())
		}
		if opt.Version() != 0 {
			resp.Rcode = mdns.RcodeBadVers
			return resp
		}
	}
	switch {
	case req.Opcode != mdns.OpcodeQuery:
		resp.Rcode = mdns.RcodeNotImplemented
		return resp
	case len(req.Question) != 1:
		resp.Rcode = mdns.RcodeFormatError
		return resp
	case !req.RecursionDesired:
		// The Amazon DNS server answers recursive queries only (R1.2).
		resp.Rcode = mdns.RcodeRefused
		ede(resp, edeNotSupported, "recursion desired (RD) is not set: the Amazon DNS server accepts recursive queries only (R1.2)")
		return resp
	}
	q := req.Question[0]
	switch {
	case q.Qclass != mdns.ClassINET && q.Qclass != mdns.ClassANY:
		resp.Rcode = mdns.RcodeRefused
		return resp
	case q.Qtype == mdns.TypeAXFR || q.Qtype == mdns.TypeIXFR:
		resp.Rcode = mdns.RcodeRefused
		return resp
	}
	res := h.session.Resolve(ctx, q.Name, dns.Type(q.Qtype))
	switch res.Rcode {
	case dns.NoError:
		resp.Rcode = mdns.RcodeSuccess
	case dns.NXDomain:
		resp.Rcode = mdns.RcodeNameError
	case dns.Refused:
		resp.Rcode = mdns.RcodeRefused
	default: // SERVFAIL, TIMEOUT, UNKNOWN
		resp.Rcode = mdns.RcodeServerFailure
	}
	if resp.Rcode == mdns.RcodeServerFailure {
		// A failed resolution carries no partial answer.
		code := uint16(edeOther)
		if res.Rcode == dns.Timeout {
			code = edeNoReachableAuthority
		}
		ede(resp, code, fmt.Sprintf("%s: %s", res.Rcode, res.Reason))
	} else {
		for _, a := range res.Answers {
			rr, err := toRR(a, q.Name, res.Name)
			if err != nil {
				continue
			}
			resp.Answer = append(resp.Answer, rr)
		}
		if res.AnsweredBy != nil && res.AnsweredBy.Kind == dns.ByFirewall {
			ede(resp, edeBlocked, "blocked by DNS Firewall "+res.AnsweredBy.ID)
		}
	}
	// Over TCP size is the 64 KiB message limit: an answer larger still is
	// cut rather than not sent.
	resp.Truncate(size)
	if !udp {
		resp.Compress = true
	}
	return resp
}

// ede adds an Extended DNS Error option when the response has EDNS0.
func ede(resp *mdns.Msg, code uint16, text string) {
	opt := resp.IsEdns0()
	if opt == nil {
		return
	}
	if len(text) > 300 {
		text = text[:300]
	}
	opt.Option = append(opt.Option, &mdns.EDNS0_EDE{InfoCode: code, ExtraText: text})
}

// toRR turns an answer into a resource record. The question's own spelling
// is kept for the owner name that equals it.
func toRR(a dns.Answer, qname, canonical string) (mdns.RR, error) {
	name := a.Name
	if name == canonical {
		name = mdns.Fqdn(qname)
	}
	hdr := mdns.RR_Header{Name: name, Rrtype: uint16(a.RRType), Class: mdns.ClassINET, Ttl: a.TTL}
	switch a.RRType {
	case dns.TypeA:
		ip := net.ParseIP(a.Value).To4()
		if ip == nil {
			return nil, fmt.Errorf("bad A value %q", a.Value)
		}
		return &mdns.A{Hdr: hdr, A: ip}, nil
	case dns.TypeAAAA:
		ip := net.ParseIP(a.Value)
		if ip == nil || ip.To4() != nil {
			return nil, fmt.Errorf("bad AAAA value %q", a.Value)
		}
		return &mdns.AAAA{Hdr: hdr, AAAA: ip}, nil
	case dns.TypeCNAME:
		if _, ok := mdns.IsDomainName(a.Value); !ok {
			return nil, fmt.Errorf("bad CNAME value %q", a.Value)
		}
		return &mdns.CNAME{Hdr: hdr, Target: mdns.Fqdn(a.Value)}, nil
	case dns.TypePTR:
		if _, ok := mdns.IsDomainName(a.Value); !ok {
			return nil, fmt.Errorf("bad PTR value %q", a.Value)
		}
		return &mdns.PTR{Hdr: hdr, Ptr: mdns.Fqdn(a.Value)}, nil
	}
	rr, err := mdns.NewRR(fmt.Sprintf("%s %d IN %s %s", name, a.TTL, a.RRType, a.Value))
	if err != nil {
		return nil, err
	}
	if rr == nil {
		return nil, fmt.Errorf("empty %s record", a.RRType)
	}
	return rr, nil
}
