package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// interrupted is the cause of a context cancelled by SIGINT or SIGTERM.
// It is context.Canceled too, so code that only asks whether the context
// ended need not know about signals.
type interrupted struct{ sig syscall.Signal }

func (e *interrupted) Error() string {
	return fmt.Sprintf("interrupted by %s", signalName(e.sig))
}

func (e *interrupted) Is(target error) bool { return target == context.Canceled }

// exitCode is the shell's convention for a process ended by a signal:
// 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
func (e *interrupted) exitCode() int { return 128 + int(e.sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// gracePeriod is how long the work under way may take to notice a
// cancelled context before execute returns without waiting for it.
const gracePeriod = 800 * time.Millisecond

// signalContext returns a context cancelled, with an *interrupted cause,
// on the first SIGINT or SIGTERM. A second signal ends the process at
// once with the first one's status.
func signalContext(stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	var once sync.Once
	go func() {
		var first *interrupted
		select {
		case s := <-sigs:
			first = &interrupted{sig: s.(syscall.Signal)}
			cancel(first)
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintf(stderr, "vpcreach: %v twice: stopped at once\n", first)
			os.Exit(first.exitCode())
		case <-done:
		}
	}()
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
		})
	}
}

// signalExit returns the exit status and message of a run whose context a
// signal cancelled, and false when no signal did.
func signalExit(ctx context.Context) (*interrupted, bool) {
	var in *interrupted
	if ctx.Err() == nil || !errors.As(context.Cause(ctx), &in) {
		return nil, false
	}
	return in, true
}

// stopWriter passes writes through until ctx is cancelled, then refuses
// them: after a signal nothing more of an answer reaches stdout, and what
// was already written is followed by a non-zero exit status and a message
// saying the answer is incomplete.
type stopWriter struct {
	ctx context.Context
	w   io.Writer
	st  *runState
}

func (s *stopWriter) Write(p []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, context.Cause(s.ctx)
	}
	if len(p) > 0 {
		s.st.wrote.Store(true)
	}
	return s.w.Write(p)
}

// runState is what a command tells execute about how it ends.
type runState struct {
	// signalStops is set by a command whose normal end is a signal (a
	// server): once it serves, SIGINT and SIGTERM stop it with status 0.
	signalStops atomic.Bool
	// wrote is set once anything reached stdout.
	wrote atomic.Bool
}

type runStateKey struct{}

// signalIsNormalStop marks the command running under ctx as one that a
// signal ends normally from now on.
func signalIsNormalStop(ctx context.Context) {
	if st, ok := ctx.Value(runStateKey{}).(*runState); ok {
		st.signalStops.Store(true)
	}
}
