package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	mdns "github.com/miekg/dns"
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
func Serve(ctx context.Context, h *Handler, l *Listener, started func()) error {
	h.ctx = ctx
	var ready sync.WaitGroup
	ready.Add(2)
	udp := &mdns.Server{PacketConn: l.UDP, Handler: h, UDPSize: mdns.MaxMsgSize, NotifyStartedFunc: ready.Done}
	tcp := &mdns.Server{Listener: l.TCP, Handler: h, NotifyStartedFunc: ready.Done,
		ReadTimeout: 2 * time.Second, IdleTimeout: func() time.Duration { return 8 * time.Second }}
	errc := make(chan error, 2)
	go func() { errc <- udp.ActivateAndServe() }()
	go func() { errc <- tcp.ActivateAndServe() }()
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
	e1 := udp.ShutdownContext(sctx)
	e2 := tcp.ShutdownContext(sctx)
	if serveErr != nil {
		return fmt.Errorf("dns server: %w", serveErr)
	}
	if err := errors.Join(ignoreNotStarted(e1), ignoreNotStarted(e2)); err != nil {
		return fmt.Errorf("dns server shutdown: %w", err)
	}
	return nil
}

func ignoreNotStarted(err error) error {
	if err != nil && err.Error() == "dns: server not started" {
		return nil
	}
	return err
}
