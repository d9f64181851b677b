package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium finds a headless-capable Chromium, "" when none is installed.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser opens a headless Chromium for one test; every request the page
// makes is recorded.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
}

func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	exe := chromium()
	if exe == "" {
		t.Skip("Chromium is not installed (Debian package chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(width, height), chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{}
	// The listener sees every event of the tab from its start.
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.mu.Unlock()
		}
	}))
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("Network.enable: %v", err)
	}
	return b
}

// open loads a page and waits until the drawing is laid out.
func (b *browser) open(t *testing.T, file string) {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+abs)); err != nil {
		t.Fatalf("opening %s: %v", abs, err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.body && document.body.dataset.ready === "1"`, chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
		t.Fatalf("the page did not draw: %v", err)
	}
}

// evalJS evaluates an expression in the page.
func evalJS[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// click clicks the element a CSS selector finds.
func (b *browser) click(t *testing.T, sel string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// writeReport runs vpcreach report and returns the page's path.
func writeReport(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	code, stdout, errs := runCLI(t, append(append([]string{"report"}, args...), "--out", out)...)
	if code != exitOK {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(stdout, "wrote "+out) && !strings.Contains(stdout, `"out": "`+out+`"`) {
		t.Errorf("summary %q", stdout)
	}
	return out
}

// TestReportAsAPersonSeesIt opens the example's report in Chromium: the
// findings are in the tables, the drawing holds the network's boxes, a
// click on a finding highlights its path, sorting reorders the rows, and
// the page asked for nothing but itself. It keeps a screenshot
// (VPCREACH_SCREENSHOT=FILE.png names where; docs/report.png is made so).
func TestReportAsAPersonSeesIt(t *testing.T) {
	page := writeReport(t, exposureTwoTier, "--title", "vpcreach report: examples/two-tier")
	b := newBrowser(t, 1200, 1000)
	b.open(t, page)

	var rows, lintRows int
	rows = evalJS[int](t, b, `document.querySelectorAll("#table-exposure tbody tr[data-i]").length`)
	lintRows = evalJS[int](t, b, `document.querySelectorAll("#table-lint tbody tr[data-i]").length`)
	if rows != 7 || lintRows != 2 {
		t.Errorf("tables hold %d exposure and %d lint rows, want 7 and 2", rows, lintRows)
	}
	var firstRow string
	firstRow = evalJS[string](t, b, `document.querySelector("#table-exposure tbody tr").innerText`)
	for _, w := range []string{"i-0a1000000000000a1 (bastion)", "igw-0a10000000000000a (two-tier-igw)", "22", "HIGH", "reachable"} {
		if !strings.Contains(strings.ToUpper(firstRow), strings.ToUpper(w)) {
			t.Errorf("first exposure row %q lacks %q", firstRow, w)
		}
	}
	var summary string
	summary = evalJS[string](t, b, `document.getElementById("summary").textContent`)
	if !strings.Contains(summary, "7 exposure findings on 3 resources (1 high, 1 medium, 5 low)") {
		t.Errorf("summary %q", summary)
	}

	// The drawing: every VPC, subnet and instance is a box, placed inside
	// the drawing's area.
	var nodes []string
	nodes = evalJS[[]string](t, b, `window.vpcreach.cy.nodes().map(n => n.id())`)
	for _, id := range []string{"vpc-0a10000000000000a", "vpc-0b20000000000000b", "subnet-0a1000000000000a1", "subnet-0a1000000000000a2",
		"i-0a1000000000000a1", "i-0a1000000000000a2", "i-0b2000000000000b1", "igw-0a10000000000000a", "nat-0a10000000000000a", "pcx-0ab0000000000000a", "internet"} {
		if !contains(nodes, id) {
			t.Errorf("the drawing has no box %s (has %v)", id, nodes)
		}
	}
	var offscreen int
	offscreen = evalJS[int](t, b, `(() => { const c = window.vpcreach.cy, w = c.width(), h = c.height();
		return c.nodes().filter(n => { const p = n.renderedBoundingBox(); return p.x2 < 0 || p.y2 < 0 || p.x1 > w || p.y1 > h; }).length; })()`)
	if offscreen > 0 {
		t.Errorf("%d boxes drawn outside the visible area", offscreen)
	}

	// A click on the high finding highlights internet -> igw -> public
	// subnet -> bastion, and lists its components.
	b.click(t, `#table-exposure tbody tr[data-i="0"]`)
	var lit []string
	var pathEdges int
	var steps []string
	lit = evalJS[[]string](t, b, `window.vpcreach.highlighted()`)
	pathEdges = evalJS[int](t, b, `window.vpcreach.pathEdges()`)
	steps = evalJS[[]string](t, b, `[...document.querySelectorAll("#sel-path li")].map(li => li.textContent)`)
	for _, id := range []string{"internet", "igw-0a10000000000000a", "subnet-0a1000000000000a1", "i-0a1000000000000a1"} {
		if !contains(lit, id) {
			t.Errorf("selected finding highlights %v, not %s", lit, id)
		}
	}
	// internet -> igw -> bastion: the subnet that holds the bastion is
	// outlined, not joined by an edge of its own.
	if contains(lit, "i-0a1000000000000a2") || pathEdges != 2 {
		t.Errorf("highlighted %v with %d path edges, want the bastion's path of 2 edges", lit, pathEdges)
	}
	if len(steps) != 5 || !strings.Contains(steps[0], "igw-0a10000000000000a") || !strings.Contains(steps[2], "sg-0a1000000000000a1 (web)") {
		t.Errorf("path listed as %v", steps)
	}
	evalJS[any](t, b, `window.scrollTo(0, 0)`)
	shot := screenshot(t, b)

	// A lint finding on the security group highlights the interfaces it is on.
	b.click(t, `#tab-lint`)
	b.click(t, `#table-lint tbody tr[data-i="0"]`)
	lit = evalJS[[]string](t, b, `window.vpcreach.highlighted()`)
	if !contains(lit, "i-0a1000000000000a1") || !contains(lit, "i-0a1000000000000a2") {
		t.Errorf("the web group's lint finding highlights %v", lit)
	}

	// Sorting: by ports ascending, then descending.
	b.click(t, `#tab-exposure`)
	b.click(t, `#table-exposure th:nth-child(5) button`)
	var ports []string
	ports = evalJS[[]string](t, b, `[...document.querySelectorAll("#table-exposure tbody tr")].map(r => r.children[4].textContent)`)
	if strings.Join(ports, " ") != "22 22 22 22 443 443 443" {
		t.Errorf("sorted by ports: %v", ports)
	}
	b.click(t, `#table-exposure th:nth-child(5) button`)
	ports = evalJS[[]string](t, b, `[...document.querySelectorAll("#table-exposure tbody tr")].map(r => r.children[4].textContent)`)
	if strings.Join(ports, " ") != "443 443 443 22 22 22 22" {
		t.Errorf("sorted by ports, descending: %v", ports)
	}
	// Filtering.
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS(`#panel-exposure input`), "partner-host")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelectorAll("#table-exposure tbody tr[data-i]").length === 1`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("filtering on partner-host: %v", err)
	}

	// Nothing but the page itself was requested.
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		if !strings.HasPrefix(u, "file://") || !strings.HasSuffix(u, "report.html") {
			if !strings.HasPrefix(u, "data:") {
				t.Errorf("the page requested %s", u)
			}
		}
	}
	if dst := os.Getenv("VPCREACH_SCREENSHOT"); dst != "" {
		if err := os.WriteFile(dst, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// screenshot takes the page's viewport and checks that it shows something.
func screenshot(t *testing.T, b *browser) []byte {
	t.Helper()
	shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	colours := map[uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 7 {
		for x := r.Min.X; x < r.Max.X; x += 7 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			colours[cr>>12<<8|cg>>12<<4|cb>>12] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("the screenshot shows %d colours: a blank page?", len(colours))
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	return shot
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestReportOfAnOrganisationDraws opens the report of a generated
// organisation (VPCREACH_REPORT_ENIS interfaces, default 2000, or the
// folder VPCREACH_REPORT_SOURCE names): the page
// draws, pages its tables and highlights a finding's path. The time it
// took and the file's size are logged (docs/performance.md), never asserted.
func TestReportOfAnOrganisationDraws(t *testing.T) {
	if chromium() == "" {
		t.Skip("Chromium is not installed (Debian package chromium)")
	}
	enis := 2000
	if s := os.Getenv("VPCREACH_REPORT_ENIS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		enis = n
	}
	org := os.Getenv("VPCREACH_REPORT_SOURCE") // an organisation generated already, e.g. --preset medium
	if org == "" {
		org = filepath.Join(t.TempDir(), "org")
		if code, _, errs := runCLI(t, "generate", "--out", org, "--enis", strconv.Itoa(enis), "--vpcs", strconv.Itoa(max(4, enis/200)), "--seed", "1"); code != exitOK {
			t.Fatal(errs)
		}
	}
	start := time.Now()
	page := writeReport(t, org, "--format", "json")
	written := time.Since(start)
	fi, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1400, 1000)
	start = time.Now()
	b.open(t, page)
	drawn := time.Since(start)
	timings := evalJS[struct {
		ReadyMs  int `json:"readyMs"`
		LayoutMs int `json:"layoutMs"`
	}](t, b, `window.vpcreachTimings`)
	var rows, total, nodes int
	rows = evalJS[int](t, b, `document.querySelectorAll("#table-exposure tbody tr[data-i]").length`)
	total = evalJS[int](t, b, `JSON.parse(document.getElementById("vpcreach-data").textContent).exposure.length`)
	nodes = evalJS[int](t, b, `window.vpcreach.cy.nodes().length`)
	if total == 0 || rows != min(total, 100) {
		t.Errorf("%d exposure rows shown of %d", rows, total)
	}
	b.click(t, `#table-exposure tbody tr[data-i]`)
	var lit []string
	lit = evalJS[[]string](t, b, `window.vpcreach.highlighted()`)
	if len(lit) < 2 {
		t.Errorf("a finding's path highlights %v", lit)
	}
	what := fmt.Sprintf("%d interfaces", enis)
	if os.Getenv("VPCREACH_REPORT_SOURCE") != "" {
		what = org
	}
	t.Logf("%s: report written in %v, %.1f MB, %d boxes, %d exposure findings; drawn in %v (page ready %d ms after navigation, %d ms of it laying out)",
		what, written.Round(time.Millisecond), float64(fi.Size())/1e6, nodes, total, drawn.Round(time.Millisecond), timings.ReadyMs, timings.LayoutMs)
}
