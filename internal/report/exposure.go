package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/internal/reach"
)

// ExposureResource is a finding's resource in JSON.
type ExposureResource struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	ENI           string `json:"eni,omitempty"`
	Address       string `json:"address,omitempty"`
	PublicAddress string `json:"publicAddress,omitempty"`
}

// ExposureFrom is where a finding's connections come from, in JSON.
type ExposureFrom struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	Sources []string `json:"sources"`
}

// ExposurePorts is a port range (ICMP: type range) in JSON.
type ExposurePorts struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// ExposureVia is one component of a finding's path in JSON.
type ExposureVia struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// ExposureFinding is one finding in cli.md's JSON shape.
type ExposureFinding struct {
	Resource ExposureResource `json:"resource"`
	From     ExposureFrom     `json:"from"`
	Protocol string           `json:"protocol"`
	Ports    ExposurePorts    `json:"ports"`
	Verdict  string           `json:"verdict"`
	Severity string           `json:"severity"`
	Via      []ExposureVia    `json:"via"`
	Reason   string           `json:"reason"`
	// LoadBalancer is set on a target reached through a load balancer.
	LoadBalancer string `json:"loadBalancer,omitempty"`
}

// ExposureOutput is the JSON document of `vpcreach exposure --format json`.
type ExposureOutput struct {
	SchemaVersion int               `json:"schemaVersion"`
	Findings      []ExposureFinding `json:"findings"`
	Warnings      []string          `json:"warnings"`
	// NotCollected names, per account and region, the kinds of resource
	// the sources did not list.
	NotCollected []string `json:"notCollected,omitempty"`
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// NewExposureOutput converts an exposure result to its JSON shape;
// warnings are the sources' warnings to show with it.
func NewExposureOutput(res *reach.ExposureResult, warnings []string) ExposureOutput {
	out := ExposureOutput{SchemaVersion: SchemaVersion, Findings: make([]ExposureFinding, 0, len(res.Findings)), Warnings: []string{}}
	for i := range res.Findings {
		out.Findings = append(out.Findings, exposureFindingJSON(&res.Findings[i]))
	}
	out.NotCollected = res.NotCollected
	out.Warnings = append(out.Warnings, res.Warnings...)
	out.Warnings = append(out.Warnings, warnings...)
	return out
}

// exposureFindingJSON converts one finding to its JSON shape.
func exposureFindingJSON(f *reach.ExposureFinding) ExposureFinding {
	j := ExposureFinding{
		Resource: ExposureResource{ID: f.Resource.ID, Type: f.Resource.Type, ENI: f.Resource.ENI,
			Address: addrString(f.Resource.Address), PublicAddress: addrString(f.Resource.PublicAddress)},
		From:         ExposureFrom{Kind: string(f.From.Kind), ID: f.From.ID, Sources: make([]string, 0, len(f.From.Sources))},
		Protocol:     f.Protocol,
		Ports:        ExposurePorts{From: int(f.Ports.From), To: int(f.Ports.To)},
		Verdict:      string(f.Verdict),
		Severity:     f.Severity.String(),
		Via:          make([]ExposureVia, 0, len(f.Via)),
		Reason:       f.Reason,
		LoadBalancer: f.LoadBalancer,
	}
	for _, p := range f.From.Sources {
		j.From.Sources = append(j.From.Sources, p.String())
	}
	for _, h := range f.Via {
		j.Via = append(j.Via, ExposureVia{ID: h.ID, Type: h.Type})
	}
	return j
}

// ExposureJSON writes an exposure result as JSON, one finding per line
// (an organisation has tens of thousands: indenting each would double the
// time and the size).
func ExposureJSON(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	// Each finding is converted as it is written, so the whole document
	// is never held twice.
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	compact := func(v any) ([]byte, error) {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
	}
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n  \"findings\": [", SchemaVersion)
	for i := range res.Findings {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		b, err := compact(exposureFindingJSON(&res.Findings[i]))
		if err != nil {
			return err
		}
		bw.Write(b)
	}
	if len(res.Findings) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"warnings\": ")
	ws := append(append([]string{}, res.Warnings...), warnings...)
	b, err := compact(ws)
	if err != nil {
		return err
	}
	bw.Write(b)
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// shortID shortens a load balancer ARN to its type/name/id.
func shortID(id string) string {
	if i := strings.Index(id, ":loadbalancer/"); i >= 0 {
		return id[i+len(":loadbalancer/"):]
	}
	if i := strings.Index(id, ":targetgroup/"); i >= 0 {
		return "targetgroup/" + id[i+len(":targetgroup/"):]
	}
	return id
}

// portsText renders a finding's ports for people.
func portsText(f reach.ExposureFinding) string {
	switch {
	case f.Protocol == "all" || f.Protocol == "other":
		return "all"
	case (f.Protocol == "icmp" || f.Protocol == "icmpv6") && f.Ports.From == 0 && f.Ports.To == 255:
		return "all types"
	case f.Protocol == "icmp" || f.Protocol == "icmpv6":
		if f.Ports.From == f.Ports.To {
			return fmt.Sprintf("type %d", f.Ports.From)
		}
		return fmt.Sprintf("types %d-%d", f.Ports.From, f.Ports.To)
	case f.Ports.IsAll():
		return "all"
	}
	return f.Ports.String()
}

// sourcesText renders sources, at most four then a count; from the
// internet, "0.0.0.0/0 except ..." when a few public ranges are missing
// (replies to them go elsewhere, or a network ACL denies them).
func sourcesText(kind reach.EdgeKind, ps []netip.Prefix) string {
	if kind == reach.EdgeInternet {
		if s, ok := internetExcept(ps); ok {
			return s
		}
	}
	var parts []string
	for i, p := range ps {
		if i == 4 {
			parts = append(parts, fmt.Sprintf("(+%d more)", len(ps)-4))
			break
		}
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ",")
}

// internetExcept writes public IPv4 sources as every public address but a
// few ranges.
func internetExcept(ps []netip.Prefix) (string, bool) {
	var b netipx.IPSetBuilder
	for _, p := range ps {
		if !p.Addr().Is4() {
			return "", false
		}
		b.AddPrefix(p)
	}
	set, _ := b.IPSet()
	var all netipx.IPSetBuilder
	all.AddSet(reach.InternetAddrs())
	all.RemovePrefix(netip.MustParsePrefix("::/0"))
	all.RemoveSet(set)
	missing, _ := all.IPSet()
	mp := missing.Prefixes()
	if len(mp) == 0 || len(mp) > 4 || len(ps) <= 4 {
		return "", false
	}
	var parts []string
	for _, p := range mp {
		parts = append(parts, p.String())
	}
	return "0.0.0.0/0 except " + strings.Join(parts, ","), true
}

// ExposureText writes an exposure result for people: a summary, one table
// grouped by resource (resource, edge, protocol, ports, sources, severity,
// verdict), why each possibly-reachable row is only possibly reachable,
// then warnings.
func ExposureText(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	ew := &lintWriter{w: w}
	counts := map[reach.Severity]int{}
	resources := map[string]bool{}
	for _, f := range res.Findings {
		counts[f.Severity]++
		resources[f.Resource.ID] = true
	}
	switch {
	case len(res.Findings) == 0 && len(res.NotCollected) > 0:
		ew.printf("No finding among what was read; but the sources do not list everything, so this is no evidence that nothing is reachable:\n")
		for _, g := range res.NotCollected {
			ew.printf("  %s\n", g)
		}
	case len(res.Findings) == 0:
		ew.printf("Nothing is reachable from outside.\n")
	default:
		ew.printf("%d finding(s) on %d resource(s): %d high, %d medium, %d low\n\n", len(res.Findings), len(resources),
			counts[reach.SeverityHigh], counts[reach.SeverityMedium], counts[reach.SeverityLow])
		t := NewTable(ew, "RESOURCE", "EDGE", "PROTOCOL", "PORTS", "SOURCES", "SEVERITY", "VERDICT")
		last := ""
		var notes []string
		for _, f := range res.Findings {
			key := f.Resource.ID + "|" + f.Resource.ENI
			name := ""
			if key != last {
				name = shortID(f.Resource.ID) + " (" + shortType(f.Resource.Type) + ")"
				if f.Resource.ENI != "" && f.Resource.ENI != f.Resource.ID {
					name += " " + f.Resource.ENI
				}
				last = key
			}
			edge := string(f.From.Kind) + " " + f.From.ID
			if f.LoadBalancer != "" {
				edge += " via " + shortID(f.LoadBalancer)
			}
			verdict := string(f.Verdict)
			if f.Verdict == reach.PossiblyReachable {
				notes = append(notes, fmt.Sprintf("[%d] %s %s %s from %s: %s", len(notes)+1, shortID(f.Resource.ID), f.Protocol, portsText(f), edge, f.Reason))
				verdict += fmt.Sprintf(" [%d]", len(notes))
			}
			t.Row(name, edge, f.Protocol, portsText(f), sourcesText(f.From.Kind, f.From.Sources), f.Severity.String(), verdict)
		}
		if err := t.Flush(); err != nil {
			return err
		}
		if len(notes) > 0 {
			ew.printf("\nPossibly reachable because\n")
			for _, n := range notes {
				ew.printf("  %s\n", n)
			}
		}
	}
	if len(res.Findings) > 0 && len(res.NotCollected) > 0 {
		ew.printf("\nNot in the sources (what depends on it is possibly-reachable; resources of these kinds that were not listed are not examined)\n")
		for _, g := range res.NotCollected {
			ew.printf("  %s\n", g)
		}
	}
	all := append(append([]string{}, res.Warnings...), warnings...)
	if len(all) > 0 {
		ew.printf("\nWarnings (%d)\n", len(all))
		for _, s := range all {
			ew.printf("  %s\n", s)
		}
	}
	return ew.err
}

// exposureRule is one SARIF rule: a kind of exposure.
type exposureRule struct {
	id, name, short, full string
	severity              reach.Severity
}

var exposureRules = []exposureRule{
	{"internet-admin-port", "InternetAdminPort", "Administrative, database or every port reachable from the internet",
		"A resource accepts connections from the internet on a recognised administrative or database port, on every port or on every protocol. Restrict the security group rule's sources, or move the resource to a private subnet.", reach.SeverityHigh},
	{"internet-exposure", "InternetExposure", "Port reachable from the internet",
		"A resource accepts connections from the internet on this port and the replies get back.", reach.SeverityMedium},
	{"peering-exposure", "PeeringExposure", "Port reachable from a peered VPC",
		"A resource accepts connections from a peered VPC whose route tables send traffic to it through the peering connection.", reach.SeverityLow},
	{"transit-gateway-exposure", "TransitGatewayExposure", "Port reachable through a transit gateway",
		"A resource accepts connections arriving through a transit gateway attachment.", reach.SeverityLow},
	{"on-premises-exposure", "OnPremisesExposure", "Port reachable from on-premises",
		"A resource accepts connections from on-premises networks through a VPN gateway or Direct Connect.", reach.SeverityLow},
	{"client-vpn-exposure", "ClientVPNExposure", "Port reachable from Client VPN clients",
		"A resource accepts connections from AWS Client VPN clients.", reach.SeverityLow},
}

// exposureRuleOf picks the rule of a finding.
func exposureRuleOf(f reach.ExposureFinding) string {
	switch f.From.Kind {
	case reach.EdgeInternet:
		if f.Severity == reach.SeverityHigh {
			return "internet-admin-port"
		}
		return "internet-exposure"
	case reach.EdgePeering:
		return "peering-exposure"
	case reach.EdgeTransitGateway:
		return "transit-gateway-exposure"
	case reach.EdgeClientVPN:
		return "client-vpn-exposure"
	}
	return "on-premises-exposure"
}

func exposureLevel(s reach.Severity) string {
	switch s {
	case reach.SeverityHigh:
		return "error"
	case reach.SeverityMedium:
		return "warning"
	}
	return "note"
}

func exposureSecuritySeverity(s reach.Severity) string {
	switch s {
	case reach.SeverityHigh:
		return "8.0"
	case reach.SeverityMedium:
		return "5.5"
	}
	return "3.0"
}

// NewExposureSARIF builds the SARIF 2.1.0 log of an exposure result: one
// rule per kind of exposure, one result per finding located at the
// resource's template line, else its snapshot file.
func NewExposureSARIF(res *reach.ExposureResult) *SARIFLog {
	var rules []SARIFRule
	index := map[string]int{}
	for i, r := range exposureRules {
		index[r.id] = i
		rules = append(rules, SARIFRule{
			ID: r.id, Name: r.name,
			ShortDescription:     SARIFMessage{Text: r.short},
			FullDescription:      &SARIFMessage{Text: r.full},
			Help:                 &SARIFMessage{Text: r.full + " See docs/exposure.md for the severity table."},
			DefaultConfiguration: &SARIFRuleConfig{Level: exposureLevel(r.severity)},
			Properties: map[string]any{
				"severity":          r.severity.String(),
				"security-severity": exposureSecuritySeverity(r.severity),
				"tags":              []string{"security", "aws", "vpc", "network-exposure"},
			},
		})
	}
	log := NewSARIF(rules)
	run := &log.Runs[0]
	for _, f := range res.Findings {
		rule := exposureRuleOf(f)
		var src []string
		for _, p := range f.From.Sources {
			src = append(src, p.String())
		}
		msg := fmt.Sprintf("%s (%s) is %s from %s %s on %s %s from %s", f.Resource.ID, shortType(f.Resource.Type), f.Verdict,
			f.From.Kind, f.From.ID, f.Protocol, portsText(f), strings.Join(src, ","))
		if f.Reason != "" {
			msg += ": " + f.Reason
		}
		var via []string
		for _, h := range f.Via {
			via = append(via, h.ID)
		}
		r := SARIFResult{
			RuleID:  rule,
			Level:   exposureLevel(f.Severity),
			Message: SARIFMessage{Text: msg},
			Properties: map[string]any{
				"ruleIndex":    index[rule],
				"resourceId":   f.Resource.ID,
				"resourceType": f.Resource.Type,
				"severity":     f.Severity.String(),
				"verdict":      string(f.Verdict),
				"via":          via,
			},
		}
		if o := f.Resource.Origin; o.File != "" {
			r.Locations = []SARIFLocation{Location(lintSARIFURI(o.File), o.Line)}
		}
		run.Results = append(run.Results, r)
	}
	return log
}

// ExposureSARIF writes an exposure result as SARIF 2.1.0.
func ExposureSARIF(w io.Writer, res *reach.ExposureResult) error {
	return WriteJSON(w, NewExposureSARIF(res))
}

// Exposure writes an exposure result in the given format.
func Exposure(w io.Writer, f Format, res *reach.ExposureResult, warnings []string) error {
	switch f {
	case JSON:
		return ExposureJSON(w, res, warnings)
	case SARIF:
		return ExposureSARIF(w, res)
	default:
		return ExposureText(w, res, warnings)
	}
}

// CountAtLeast counts the findings at or above a severity.
func CountAtLeast(res *reach.ExposureResult, s reach.Severity) int {
	n := 0
	for _, f := range res.Findings {
		if f.Severity >= s {
			n++
		}
	}
	return n
}
