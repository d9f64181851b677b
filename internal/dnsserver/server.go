package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync"
	"time"

	mdns "github.com/miekg/dns"
	"golang.org/x/net/ipv4"
)

// Listener is a UDP socket and a TCP listener bound to the same address.
type Listener struct {
	UDP net.PacketConn
	TCP net.Listener
}

// Addr is the bound address (host:port, the same port for UDP and TCP).
func (l *Listener) Addr() string { return l.UDP.LocalAddr().String() }

// Close closes both sockets.
func (l *Listener) Close() error {
	return errors.Join(l.UDP.Close(), l.TCP.Close())
}

// Listen binds UDP and TCP on addr. Port 0 picks a port free for both.
func Listen(addr string) (*Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	for attempt := 0; ; attempt++ {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, fmt.Errorf("listen udp %s: %w", addr, err)
		}
		bound := pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(bound)))
		if err == nil {
			return &Listener{UDP: pc, TCP: l}, nil
		}
		pc.Close()
		if port != "0" || attempt >= 20 {
			return nil, fmt.Errorf("listen tcp on the UDP port %d: %w", bound, err)
		}
	}
}

// ShutdownTimeout bounds a graceful shutdown.
const ShutdownTimeout = 5 * time.Second

// Serve answers queries on l until ctx is cancelled, then shuts down
// gracefully: in-flight queries finish, new ones are not read. started,
// when not nil, is called once both sockets are being served.
//
// UDP is served by a fixed pool of workers (at most the handler's
// concurrency bound), each reading, answering and writing with its own
// buffers; TCP by the miekg/dns server, whose queries go through the
// handler's semaphore.
func Serve(ctx context.Context, h *Handler, l *Listener, started func()) error {
	h.ctx = ctx
	var ready sync.WaitGroup
	ready.Add(1)
	tcp := &mdns.Server{Listener: l.TCP, Handler: h, NotifyStartedFunc: ready.Done,
		ReadTimeout: 2 * time.Second, IdleTimeout: func() time.Duration { return 8 * time.Second }}
	errc := make(chan error, 1)
	go func() { errc <- tcp.ActivateAndServe() }()

	var workers sync.WaitGroup
	n := min(max(4, 2*runtime.GOMAXPROCS(0)), cap(h.sem))
	for i := 0; i < n; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			h.serveUDP(ctx, l.UDP)
		}()
	}
	startedc := make(chan struct{})
	go func() { ready.Wait(); close(startedc) }()

	var serveErr error
	select {
	case <-startedc:
		if started != nil {
			started()
		}
	case serveErr = <-errc:
	}
	if serveErr == nil {
		select {
		case <-ctx.Done():
		case serveErr = <-errc:
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	// Closing the socket ends the UDP workers' reads; a query being
	// answered is still written before its worker returns.
	udpErr := l.UDP.Close()
	workers.Wait()
	tcpErr := tcp.ShutdownContext(sctx)
	if serveErr != nil {
		return fmt.Errorf("dns server: %w", serveErr)
	}
	if err := errors.Join(ignoreClosed(udpErr), ignoreNotStarted(tcpErr)); err != nil {
		return fmt.Errorf("dns server shutdown: %w", err)
	}
	return nil
}

// udpBatch is how many datagrams a worker reads or writes in one system
// call (recvmmsg/sendmmsg where the platform has them).
const udpBatch = 32

// serveUDP answers UDP queries until the socket is closed.
func (h *Handler) serveUDP(ctx context.Context, pc net.PacketConn) {
	if a, ok := pc.LocalAddr().(*net.UDPAddr); ok && a.IP.To4() != nil {
		h.serveUDPBatch(ctx, ipv4.NewPacketConn(pc))
		return
	}
	buf := make([]byte, mdns.MaxMsgSize)
	out := make([]byte, 0, advertisedUDPSize)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if udpStop(ctx, err) {
				return
			}
			continue
		}
		resp := h.AnswerWire(ctx, buf[:n])
		if resp == nil {
			continue
		}
		b, err := resp.PackBuffer(out)
		if err != nil {
			continue
		}
		_, _ = pc.WriteTo(b, addr)
	}
}

// udpStop reports whether a read error ends a worker: the socket is
// closed, or the server is stopping.
func udpStop(ctx context.Context, err error) bool {
	if errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return ctx.Err() != nil
}

// serveUDPBatch is serveUDP reading and writing up to udpBatch datagrams
// per system call.
func (h *Handler) serveUDPBatch(ctx context.Context, pc *ipv4.PacketConn) {
	in := make([]ipv4.Message, udpBatch)
	for i := range in {
		in[i].Buffers = [][]byte{make([]byte, mdns.MaxMsgSize)}
	}
	out := make([]ipv4.Message, udpBatch)
	outBufs := make([][]byte, udpBatch)
	for i := range outBufs {
		outBufs[i] = make([]byte, 0, advertisedUDPSize)
	}
	for {
		n, err := pc.ReadBatch(in, 0)
		if err != nil {
			if udpStop(ctx, err) {
				return
			}
			continue
		}
		k := 0
		for i := 0; i < n; i++ {
			resp := h.AnswerWire(ctx, in[i].Buffers[0][:in[i].N])
			if resp == nil {
				continue
			}
			b, err := resp.PackBuffer(outBufs[k])
			if err != nil {
				continue
			}
			out[k].Buffers = [][]byte{b}
			out[k].Addr = in[i].Addr
			k++
		}
		for sent := 0; sent < k; {
			m, err := pc.WriteBatch(out[sent:k], 0)
			if err != nil || m <= 0 {
				break
			}
			sent += m
		}
	}
}

// AnswerWire answers one raw UDP message: nil when nothing must be sent
// (too short, a response, or not a DNS message at all). A message whose
// header reads but whose body does not gets FORMERR.
func (h *Handler) AnswerWire(ctx context.Context, wire []byte) *mdns.Msg {
	if len(wire) < 12 || wire[2]&0x80 != 0 {
		return nil
	}
	req := new(mdns.Msg)
	if err := req.Unpack(wire); err != nil {
		resp := new(mdns.Msg)
		resp.Id = uint16(wire[0])<<8 | uint16(wire[1])
		resp.Response = true
		resp.Opcode = int(wire[2]>>3) & 0xF
		resp.Rcode = mdns.RcodeFormatError
		return resp
	}
	return h.Answer(ctx, req, true)
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

func ignoreNotStarted(err error) error {
	if err != nil && err.Error() == "dns: server not started" {
		return nil
	}
	return err
}
