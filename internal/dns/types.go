package dns

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Type is a DNS record type (the RR TYPE number of RFC 1035 and later).
type Type uint16

// Record types vpcreach names; any other number works as TYPEnnn.
const (
	TypeA     Type = 1
	TypeNS    Type = 2
	TypeCNAME Type = 5
	TypeSOA   Type = 6
	TypePTR   Type = 12
	TypeMX    Type = 15
	TypeTXT   Type = 16
	TypeAAAA  Type = 28
	TypeSRV   Type = 33
	TypeNAPTR Type = 35
	TypeDS    Type = 43
	TypeSVCB  Type = 64
	TypeHTTPS Type = 65
	TypeSPF   Type = 99
	TypeANY   Type = 255
	TypeCAA   Type = 257
)

var typeNames = map[Type]string{
	TypeA: "A", TypeNS: "NS", TypeCNAME: "CNAME", TypeSOA: "SOA", TypePTR: "PTR", TypeMX: "MX",
	TypeTXT: "TXT", TypeAAAA: "AAAA", TypeSRV: "SRV", TypeNAPTR: "NAPTR", TypeDS: "DS",
	TypeSVCB: "SVCB", TypeHTTPS: "HTTPS", TypeSPF: "SPF", TypeANY: "ANY", TypeCAA: "CAA",
}

var typeByName = func() map[string]Type {
	m := make(map[string]Type, len(typeNames))
	for t, s := range typeNames {
		m[s] = t
	}
	return m
}()

// String is the mnemonic (A, AAAA, ...) or TYPEnnn (RFC 3597).
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// ParseType reads a mnemonic (case-insensitive) or TYPEnnn.
func ParseType(s string) (Type, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if t, ok := typeByName[u]; ok {
		return t, nil
	}
	if n, ok := strings.CutPrefix(u, "TYPE"); ok {
		if v, err := strconv.ParseUint(n, 10, 16); err == nil {
			return Type(v), nil
		}
	}
	return 0, fmt.Errorf("record type %q: want A, AAAA, CNAME, PTR, TXT, MX, SRV, NS, SOA, CAA, ANY or TYPEnnn", s)
}

// Rcode is the outcome of a resolution as cli.md's dns JSON names it.
type Rcode string

// Outcomes. NOERROR with no answers is NODATA.
const (
	NoError  Rcode = "NOERROR"
	NXDomain Rcode = "NXDOMAIN"
	ServFail Rcode = "SERVFAIL"
	Refused  Rcode = "REFUSED"
	// Timeout: no listed server can be reached, or none answers.
	Timeout Rcode = "TIMEOUT"
	// Unknown: the answer lies outside what the sources describe (public
	// DNS, a server or forwarding target outside the model, an unknown value).
	Unknown Rcode = "UNKNOWN"
)

// Server kinds (cli.md).
const (
	KindAmazonProvided  = "amazon-provided"
	KindCustom          = "custom"
	KindInboundEndpoint = "resolver-inbound-endpoint"
	KindDevice          = "device"
)

// Kinds of answeredBy (cli.md).
const (
	ByPrivateHostedZone = "private-hosted-zone"
	ByEndpointPrivate   = "vpc-endpoint-private-dns"
	ByEndpointDNS       = "vpc-endpoint-dns"
	ByEC2Hostname       = "ec2-hostname"
	ByResolverRule      = "resolver-rule"
	ByPublic            = "public"
	// ByFirewall is a DNS Firewall BLOCK response (R2.10).
	ByFirewall = "dns-firewall"
	// ByAutodefined is an autodefined reverse or localhost rule (R2.2).
	ByAutodefined = "autodefined-rule"
)

// Answer is one resource record of the answer section.
type Answer struct {
	Name string `json:"name"`
	Type string `json:"type"`
	TTL  uint32 `json:"ttl"`
	// Value is the record data in zone-file presentation format.
	Value string `json:"value"`
	// RRType is Type as a number, for DNS servers.
	RRType Type `json:"-"`
}

// Server is the DNS server a query went to.
type Server struct {
	Address   string  `json:"address"`
	Kind      string  `json:"kind"`
	Reachable bool    `json:"reachable"`
	Verdict   Verdict `json:"verdict"`
	Reason    string  `json:"reason,omitempty"`
}

// AnsweredBy names what decided the answer.
type AnsweredBy struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
}

// Result is one resolution, shaped like cli.md's dns JSON.
type Result struct {
	Name       string      `json:"name"`
	Type       string      `json:"type"`
	Rcode      Rcode       `json:"rcode"`
	Answers    []Answer    `json:"answers"`
	Server     *Server     `json:"server,omitempty"`
	AnsweredBy *AnsweredBy `json:"answeredBy,omitempty"`
	// Reason says why the rcode is TIMEOUT, UNKNOWN or SERVFAIL.
	Reason string   `json:"reason,omitempty"`
	Trace  []string `json:"trace"`

	noTrace bool
}

// NoData reports a NOERROR answer without records.
func (r *Result) NoData() bool { return r.Rcode == NoError && len(r.Answers) == 0 }

func (r *Result) tracef(format string, args ...any) {
	if r.noTrace {
		return
	}
	r.Trace = append(r.Trace, fmt.Sprintf(format, args...))
}

// Verdict is a reachability verdict (cli.md).
type Verdict string

// Verdicts.
const (
	Reachable   Verdict = "reachable"
	Unreachable Verdict = "unreachable"
	Possibly    Verdict = "possibly-reachable"
)

// Reacher answers whether a packet can get from a vantage point to an
// address: the path engine behind DNS. It must answer Possibly, never
// Unreachable, when it cannot tell.
type Reacher interface {
	Reach(ctx context.Context, from Vantage, to netip.Addr, proto model.Protocol, port uint16) (Verdict, string)
}

// ReacherFunc adapts a function to Reacher.
type ReacherFunc func(ctx context.Context, from Vantage, to netip.Addr, proto model.Protocol, port uint16) (Verdict, string)

// Reach implements Reacher.
func (f ReacherFunc) Reach(ctx context.Context, from Vantage, to netip.Addr, proto model.Protocol, port uint16) (Verdict, string) {
	return f(ctx, from, to, proto, port)
}

// NoPathEngine is the Reacher to use when no path engine is available: it
// answers possibly-reachable for every path.
var NoPathEngine Reacher = ReacherFunc(func(context.Context, Vantage, netip.Addr, model.Protocol, uint16) (Verdict, string) {
	return Possibly, "path engine not available"
})
