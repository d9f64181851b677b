package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vpcreach/vpcreach/internal/collect"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/report"
)

// textStyle is how text output is dressed for the reader of stdout: the
// network's Name tags beside IDs, colour on a terminal unless NO_COLOR
// (https://no-color.org) is set or TERM is dumb, never when stdout is a
// file or a pipe.
func textStyle(n *model.Network, stdout io.Writer) report.Style {
	return report.Style{Names: namesOf(n), Color: wantColor(stdout), Loc: locatorOf(n)}
}

// locatorOf places SARIF results of the network: a resource read from no
// file of its own (an interface of a load balancer a template declares) is
// located at its owner, else at the first source read.
func locatorOf(n *model.Network) *report.Locator {
	l := &report.Locator{
		Origin: func(id string) (model.Origin, bool) {
			if el, ok := n.Lookup(id); ok {
				return el.Base().Origin, true
			}
			return model.Origin{}, false
		},
		Owner: func(id string) string {
			if ni, ok := n.NetworkInterfaces.Get(id); ok {
				return ni.OwnerID
			}
			return ""
		},
	}
	if len(n.Sources) > 0 {
		l.Fallback = n.Sources[0]
		if st, err := os.Stat(l.Fallback); err == nil && st.IsDir() {
			// A snapshot folder: code scanning annotates files, so the
			// first file read from it stands for it.
			first := ""
			n.Elements(func(e model.Element) {
				if f := e.Base().Origin.File; f != "" && (first == "" || f < first) {
					first = f
				}
			})
			if first != "" {
				l.Fallback = first
			}
		}
	}
	return l
}

// namesOf returns the Name tag of every resource ID of the network.
func namesOf(n *model.Network) func(string) string {
	names := map[string]string{}
	n.Elements(func(e model.Element) {
		m := e.Base()
		if m.Name != "" && m.Name != m.ID {
			names[m.ID] = m.Name
		}
	})
	return func(id string) string { return names[id] }
}

// isTerminal reports whether w is a terminal (not a file, a pipe or
// /dev/null).
func isTerminal(w io.Writer) bool {
	if s, ok := w.(*stopWriter); ok {
		w = s.w // stdout as execute wraps it
	}
	return collect.IsTerminal(w)
}

// wantColor reports whether output to w may carry colour.
func wantColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// progressDelay is how long loading runs before a progress line appears.
const progressDelay = 2 * time.Second

// progress shows, on a terminal stderr, a line saying what is being read
// once reading has taken more than progressDelay, updated every second and
// cleared when done. stop ends it; it writes nothing when stderr is not a
// terminal.
func progress(ctx context.Context, stderr io.Writer, what string) (stop func()) {
	if !isTerminal(stderr) {
		return func() {}
	}
	return startProgress(ctx, stderr, what, progressDelay, time.Second)
}

// startProgress is progress with its delays given, for tests.
func startProgress(ctx context.Context, w io.Writer, what string, delay, every time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		tick := time.NewTicker(every)
		defer tick.Stop()
		width := 0
		show := func() {
			line := fmt.Sprintf("vpcreach: reading %s (%ds)", what, int(time.Since(start).Seconds()))
			width = max(width, len(line))
			fmt.Fprintf(w, "\r%-*s", width, line)
		}
		show()
		for {
			select {
			case <-done:
				fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", width))
				return
			case <-ctx.Done():
				fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", width))
				return
			case <-tick.C:
				show()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done); wg.Wait() })
	}
}
