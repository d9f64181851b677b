package dnsserver

import (
	"context"
	"net"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/vpcreach/vpcreach/internal/dns"
	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
)

// recorder is a ResponseWriter that keeps what is written.
type recorder struct {
	mdns.ResponseWriter
	msgs []*mdns.Msg
}

func (r *recorder) LocalAddr() net.Addr        { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53} }
func (r *recorder) RemoteAddr() net.Addr       { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5353} }
func (r *recorder) WriteMsg(m *mdns.Msg) error { r.msgs = append(r.msgs, m); return nil }

func TestConcurrencyIsBounded(t *testing.T) {
	n := dnstest.Seed003()
	v, err := dns.VantageFor(n, dnstest.AppInstance)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(dns.New(n, nil, dns.Options{}).Session(context.Background(), v), 1)
	h.Wait = 20 * time.Millisecond
	req := new(mdns.Msg)
	req.SetQuestion(dnstest.PrivateName, mdns.TypeA)

	h.sem <- struct{}{} // the only slot is taken
	w := &recorder{}
	h.ServeDNS(w, req)
	if len(w.msgs) != 1 || w.msgs[0].Rcode != mdns.RcodeServerFailure {
		t.Fatalf("with no free slot: %v, want one SERVFAIL", w.msgs)
	}
	<-h.sem
	w = &recorder{}
	h.ServeDNS(w, req)
	if len(w.msgs) != 1 || w.msgs[0].Rcode != mdns.RcodeSuccess || len(w.msgs[0].Answer) != 2 {
		t.Fatalf("with a free slot: %v", w.msgs)
	}
	if len(h.sem) != 0 {
		t.Errorf("slot not released")
	}
}
