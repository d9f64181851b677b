package dnsserver_test

import (
	"context"
	"testing"

	mdns "github.com/miekg/dns"

	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
	"github.com/vpcreach/vpcreach/internal/fuzztime"
)

// FuzzHandler feeds raw bytes to the handler as a DNS message: whatever
// Unpack accepts must be answered without a panic, and the answer must pack.
// Seeds are in testdata/fuzz/FuzzHandler.
func FuzzHandler(f *testing.F) {
	for _, q := range []struct {
		name  string
		qtype uint16
		rd    bool
		edns  bool
	}{
		{dnstest.PrivateName, mdns.TypeA, true, true},
		{"www.corp.example.", mdns.TypeA, true, false},
		{bigName, mdns.TypeA, true, false},
		{"10.130.20.172.in-addr.arpa.", mdns.TypePTR, true, true},
		{"mail.corp.example.", mdns.TypeMX, true, false},
		{"x.wild.corp.example.", mdns.TypeANY, true, false},
		{dnstest.PrivateName, mdns.TypeA, false, false},
	} {
		m := new(mdns.Msg)
		m.SetQuestion(q.name, q.qtype)
		m.RecursionDesired = q.rd
		if q.edns {
			m.SetEdns0(1232, true)
		}
		b, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, true)
	}
	h := handler(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, udp bool) {
		defer fuzztime.Start(t, "dnsserver.FuzzHandler", data)()
		// The raw path the UDP workers take: never a panic, always packable.
		if raw := h.AnswerWire(ctx, data); raw != nil {
			if _, err := raw.Pack(); err != nil {
				t.Fatalf("raw response does not pack: %v\n%v", err, raw)
			}
		}
		req := new(mdns.Msg)
		if err := req.Unpack(data); err != nil {
			return
		}
		resp := h.Answer(ctx, req, udp)
		if resp == nil {
			if !req.Response {
				t.Fatal("no response to a query")
			}
			return
		}
		b, err := resp.Pack()
		if err != nil {
			t.Fatalf("response does not pack: %v\nrequest: %v\nresponse: %v", err, req, resp)
		}
		if udp && len(b) > 65535 {
			t.Fatalf("UDP response of %d bytes", len(b))
		}
		if resp.Id != req.Id {
			t.Fatalf("response ID %d for request %d", resp.Id, req.Id)
		}
	})
}
