package collect

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress shows, per account and region, the calls done out of those to do.
type progress interface {
	add(key string, total int)
	step(key string)
	close()
}

func newProgress(w io.Writer, terminal bool) progress {
	if w == nil {
		return noProgress{}
	}
	return &lines{w: w, terminal: terminal, every: 2 * time.Second}
}

type noProgress struct{}

func (noProgress) add(string, int) {}
func (noProgress) step(string)     {}
func (noProgress) close()          {}

type counter struct {
	key         string
	done, total int
	reported    int
}

// lines draws a bar per account and region on a terminal, redrawn in
// place; elsewhere it prints a plain line when a region is done, and at most
// every few seconds for regions that moved on.
type lines struct {
	w        io.Writer
	terminal bool
	every    time.Duration

	mu       sync.Mutex
	order    []*counter
	byKey    map[string]*counter
	drawn    int // lines drawn on the terminal
	lastDraw time.Time
}

func (p *lines) add(key string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byKey == nil {
		p.byKey = map[string]*counter{}
	}
	c := p.byKey[key]
	if c == nil {
		c = &counter{key: key}
		p.byKey[key] = c
		p.order = append(p.order, c)
	}
	c.total += total
	if p.lastDraw.IsZero() {
		p.lastDraw = time.Now()
	}
}

func (p *lines) step(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.byKey[key]
	if c == nil {
		return
	}
	c.done++
	now := time.Now()
	if p.terminal {
		if c.done == c.total || now.Sub(p.lastDraw) >= 100*time.Millisecond {
			p.draw()
			p.lastDraw = now
		}
		return
	}
	if c.done == c.total {
		p.plain(c)
		return
	}
	if now.Sub(p.lastDraw) >= p.every {
		p.lastDraw = now
		for _, o := range p.order {
			if o.done != o.reported && o.done != o.total {
				p.plain(o)
			}
		}
	}
}

func (p *lines) plain(c *counter) {
	c.reported = c.done
	state := ""
	if c.done == c.total {
		state = " done"
	}
	fmt.Fprintf(p.w, "collect: %s: %d/%d calls%s\n", c.key, c.done, c.total, state)
}

// draw redraws every bar in place.
func (p *lines) draw() {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	width := 0
	for _, c := range p.order {
		width = max(width, len(c.key))
	}
	for _, c := range p.order {
		b.WriteString("\r\x1b[2K")
		b.WriteString(bar(c, width))
		b.WriteByte('\n')
	}
	p.drawn = len(p.order)
	io.WriteString(p.w, b.String())
}

func bar(c *counter, width int) string {
	const cells = 30
	filled := 0
	if c.total > 0 {
		filled = c.done * cells / c.total
	}
	return fmt.Sprintf("%-*s [%s%s] %d/%d calls", width, c.key, strings.Repeat("#", filled), strings.Repeat(".", cells-filled), c.done, c.total)
}

func (p *lines) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.terminal && len(p.order) > 0 {
		p.draw()
	}
}
