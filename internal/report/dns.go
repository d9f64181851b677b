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
	return Style{}.WriteDNS(w, f, d)
}

// WriteDNS renders a DNS answer as text in this style, or JSON.
func (st Style) WriteDNS(w io.Writer, f Format, d DNS) error {
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
		t.Row("server", fmt.Sprintf("%s (%s, %s)", r.Server.Address, r.Server.Kind, st.verdict(string(r.Server.Verdict))))
		if r.Server.Reason != "" {
			for _, l := range (Style{Width: st.width() - 13}).wrap("", "  ", st.annotate(r.Server.Reason)) {
				t.Row("", l)
			}
		}
	} else {
		t.Row("server", "none")
	}
	if r.AnsweredBy != nil {
		by := r.AnsweredBy.Kind
		if r.AnsweredBy.ID != "" {
			by += " " + st.label(r.AnsweredBy.ID)
		}
		t.Row("answered by", by)
	}
	if r.Reason != "" {
		for i, l := range (Style{Width: st.width() - 13}).wrap("", "  ", st.annotate(r.Reason)) {
			if i == 0 {
				t.Row("reason", l)
			} else {
				t.Row("", l)
			}
		}
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
			fmt.Fprint(w, st.wrapped(fmt.Sprintf("%3d.", i+1), "      ", st.annotate(l)))
		}
	}
	ew := &lintWriter{w: w}
	texts := append([]string{r.Reason}, r.Trace...)
	if r.Server != nil {
		texts = append(texts, r.Server.Reason)
	}
	ew.printf("%s", codesNote(false, texts...))
	st.writeWarnings(ew, d.Warnings)
	return ew.err
}
