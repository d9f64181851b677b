package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// Inventory is what `vpcreach inventory` prints: what was read, by type,
// per account and region, what was read but not modelled, the warnings and
// the values the sources could not fix.
type Inventory struct {
	SchemaVersion int               `json:"schemaVersion"`
	Sources       []string          `json:"sources"`
	Counts        map[string]int    `json:"counts"`
	Regions       []InventoryRegion `json:"regions"`
	NotModelled   map[string]int    `json:"notModelled"`
	Warnings      []string          `json:"warnings"`
	Unknowns      []InventoryValue  `json:"unknowns"`
	// Coverage says, per account and region a snapshot described, which
	// kinds of resource were listed (read), never listed (not-collected)
	// or failed to be collected.
	Coverage []InventoryCoverage `json:"coverage,omitempty"`
}

// InventoryCoverage is what the sources said about each kind of resource
// in one account and region.
type InventoryCoverage struct {
	Account      string   `json:"account"`
	Region       string   `json:"region"`
	Read         []string `json:"read"`
	NotCollected []string `json:"notCollected"`
	Failed       []string `json:"failed"`
}

// InventoryRegion holds the counts of one account and region ("" when the
// sources do not say).
type InventoryRegion struct {
	Account string         `json:"account"`
	Region  string         `json:"region"`
	Counts  map[string]int `json:"counts"`
}

// InventoryValue is one value the sources could not fix.
type InventoryValue struct {
	Resource string `json:"resource"`
	Type     string `json:"type"`
	Field    string `json:"field"`
	Reason   string `json:"reason"`
	Origin   string `json:"origin,omitempty"`
}

// NewInventory summarises a finalized network.
func NewInventory(n *model.Network) Inventory {
	inv := Inventory{
		SchemaVersion: SchemaVersion,
		Sources:       append([]string{}, n.Sources...),
		Counts:        n.Counts(),
		Regions:       []InventoryRegion{},
		NotModelled:   map[string]int{},
		Warnings:      []string{},
		Unknowns:      []InventoryValue{},
	}
	by := n.CountsByScope()
	for _, s := range n.Scopes() {
		inv.Regions = append(inv.Regions, InventoryRegion{Account: s.Account, Region: s.Region, Counts: by[s]})
	}
	for k, v := range n.NotModelled {
		inv.NotModelled[k] = v
	}
	ws := append([]model.Warning(nil), n.Warnings...)
	model.SortWarnings(ws)
	for _, w := range ws {
		inv.Warnings = append(inv.Warnings, w.String())
	}
	if c := n.Coverage; c != nil {
		for _, sc := range c.Scopes() {
			ic := InventoryCoverage{Account: sc.Account, Region: sc.Region, Read: []string{}, NotCollected: []string{}, Failed: []string{}}
			for _, k := range model.CoverageKinds {
				switch c.State(sc, k) {
				case model.CoverageRead:
					ic.Read = append(ic.Read, model.KindPlural(k))
				case model.CoverageFailed:
					ic.Failed = append(ic.Failed, model.KindPlural(k))
				default:
					ic.NotCollected = append(ic.NotCollected, model.KindPlural(k))
				}
			}
			inv.Coverage = append(inv.Coverage, ic)
		}
	}
	n.Elements(func(e model.Element) {
		m := e.Base()
		for _, u := range m.Unknowns {
			inv.Unknowns = append(inv.Unknowns, InventoryValue{Resource: m.ID, Type: e.Type(), Field: u.Field, Reason: u.Reason, Origin: m.Origin.String()})
		}
	})
	return inv
}

// WriteInventoryText writes the inventory as aligned tables.
func WriteInventoryText(w io.Writer, inv Inventory) error {
	total := 0
	for _, c := range inv.Counts {
		total += c
	}
	fmt.Fprintf(w, "%d resources read", total)
	if len(inv.Sources) > 0 {
		fmt.Fprintf(w, " from %d source(s)", len(inv.Sources))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	t := NewTable(w, "ACCOUNT", "REGION", "TYPE", "COUNT")
	for _, r := range inv.Regions {
		for _, typ := range sortedKeys(r.Counts) {
			t.Row(orDash(r.Account), orDash(r.Region), typ, strconv.Itoa(r.Counts[typ]))
		}
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if len(inv.Regions) > 1 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Totals:")
		t = NewTable(w, "  TYPE", "COUNT")
		for _, typ := range sortedKeys(inv.Counts) {
			t.Row("  "+typ, strconv.Itoa(inv.Counts[typ]))
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	if len(inv.NotModelled) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Read but not modelled (they do not change what can reach what):")
		t = NewTable(w, "  TYPE", "COUNT")
		for _, typ := range sortedKeys(inv.NotModelled) {
			t.Row("  "+typ, strconv.Itoa(inv.NotModelled[typ]))
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	if len(inv.Coverage) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Coverage (a kind not collected is unknown there: answers that depend on it are possibly-reachable):")
		for _, c := range inv.Coverage {
			fmt.Fprintf(w, "  %s/%s: %d kinds read", orDash(c.Account), orDash(c.Region), len(c.Read))
			if len(c.NotCollected) > 0 {
				fmt.Fprintf(w, "; not collected: %s", strings.Join(c.NotCollected, ", "))
			}
			if len(c.Failed) > 0 {
				fmt.Fprintf(w, "; failed: %s", strings.Join(c.Failed, ", "))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w)
	if len(inv.Warnings) == 0 {
		fmt.Fprintln(w, "Warnings: none")
	} else {
		fmt.Fprintf(w, "Warnings (%d):\n", len(inv.Warnings))
		for _, s := range inv.Warnings {
			fmt.Fprintln(w, "  "+s)
		}
	}
	if len(inv.Unknowns) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "Unknown values (%d): analyses treat them as \"any\" and answer possibly-reachable\n", len(inv.Unknowns))
		for _, u := range inv.Unknowns {
			line := "  " + u.Resource + " " + u.Field + ": " + u.Reason
			if u.Origin != "" {
				line += " (" + u.Origin + ")"
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
