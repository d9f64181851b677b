package dnsserver_test

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/vpcreach/vpcreach/internal/dns/dnstest"
)

// loadWorkers is the load generator's concurrency: a fixed number of
// clients, each with one query in flight.
const loadWorkers = 32

// BenchmarkServeUDP measures queries answered per second over loopback UDP
// by a bounded load generator (the target is at least 20,000 queries/s).
func BenchmarkServeUDP(b *testing.B) {
	addr := start(b)
	names := []string{dnstest.PrivateName, "app.corp.example.", "www.corp.example.", dnstest.RegionalName, "nope.corp.example.",
		"ip-172-20-130-10.ap-northeast-1.compute.internal."}
	packets := make([][]byte, len(names))
	for i, n := range names {
		m := new(mdns.Msg)
		m.SetQuestion(n, mdns.TypeA)
		m.SetEdns0(1232, false)
		p, err := m.Pack()
		if err != nil {
			b.Fatal(err)
		}
		packets[i] = p
	}
	var next atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	begin := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < loadWorkers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			conn, err := net.Dial("udp", addr)
			if err != nil {
				failed.Add(1)
				return
			}
			defer conn.Close()
			buf := make([]byte, 4096)
			q := make([]byte, 0, 512)
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				q = append(q[:0], packets[int(i)%len(packets)]...)
				q[0], q[1] = byte(i>>8), byte(i)
				conn.SetDeadline(time.Now().Add(2 * time.Second))
				if _, err := conn.Write(q); err != nil {
					failed.Add(1)
					continue
				}
				for {
					n, err := conn.Read(buf)
					if err != nil {
						failed.Add(1)
						break
					}
					if n >= 2 && buf[0] == q[0] && buf[1] == q[1] {
						break
					}
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(begin)
	b.StopTimer()
	if f := failed.Load(); f > int64(b.N)/100 {
		b.Fatalf("%d of %d queries failed", f, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "queries/s")
}

// BenchmarkAnswer is the handler alone: unpack a query, answer it, pack
// the response (no sockets).
func BenchmarkAnswer(b *testing.B) {
	h := handler(b)
	m := new(mdns.Msg)
	m.SetQuestion(dnstest.PrivateName, mdns.TypeA)
	m.SetEdns0(1232, false)
	wire, err := m.Pack()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := new(mdns.Msg)
		if err := req.Unpack(wire); err != nil {
			b.Fatal(err)
		}
		resp := h.Answer(ctx, req, true)
		if _, err := resp.Pack(); err != nil {
			b.Fatal(err)
		}
	}
}
