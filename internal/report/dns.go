package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/vpcreach/vpcreach/internal/dns"
)

// DNS is the answer of `vpcreach dns` in cli.md's JSON shape.
type DNS struct {
	SchemaVersion int `json:"schemaVersion"`
	*dns.Result
	// Warnings the sources produced.
	Warnings []string `json:"warnings,omitempty"`
}

// WriteDNS renders a DNS answer as text or JSON.
func WriteDNS(w io.Writer, f Format, d DNS) error {
	if f == JSON {
		d.SchemaVersion = SchemaVersion
		return WriteJSON(w, d)
	}
	r := d.Result
	t := NewTable(w)
	t.Row("name", r.Name+" "+r.Type)
	status := string(r.Rcode)
	if r.NoData() {
		status += " (NODATA: the name exists, no " + r.Type + " record)"
	}
	t.Row("rcode", status)
	if r.Server != nil {
		t.Row("server", fmt.Sprintf("%s (%s, %s)", r.Server.Address, r.Server.Kind, r.Server.Verdict))
		if r.Server.Reason != "" {
			t.Row("", r.Server.Reason)
		}
	} else {
		t.Row("server", "none")
	}
	if r.AnsweredBy != nil {
		by := r.AnsweredBy.Kind
		if r.AnsweredBy.ID != "" {
			by += " " + r.AnsweredBy.ID
		}
		t.Row("answered by", by)
	}
	if r.Reason != "" {
		t.Row("reason", r.Reason)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if len(r.Answers) > 0 {
		fmt.Fprintln(w)
		a := NewTable(w, "NAME", "TTL", "TYPE", "VALUE")
		for _, ans := range r.Answers {
			a.Row(ans.Name, strconv.FormatUint(uint64(ans.TTL), 10), ans.Type, ans.Value)
		}
		if err := a.Flush(); err != nil {
			return err
		}
	}
	if len(r.Trace) > 0 {
		fmt.Fprintln(w, "\ntrace:")
		for i, l := range r.Trace {
			fmt.Fprintf(w, "%3d. %s\n", i+1, l)
		}
	}
	if len(d.Warnings) > 0 {
		fmt.Fprintln(w, "\nwarnings:")
		for _, s := range d.Warnings {
			fmt.Fprintln(w, "  "+s)
		}
	}
	return nil
}
