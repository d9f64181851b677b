package report

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/internal/ipset"
	"github.com/vpcreach/vpcreach/internal/reach"
)

// ExposureResource is a finding's resource in JSON.
type ExposureResource struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Name          string `json:"name,omitempty"`
	ENI           string `json:"eni,omitempty"`
	Address       string `json:"address,omitempty"`
	PublicAddress string `json:"publicAddress,omitempty"`
}

// ExposureFrom is where a finding's connections come from, in JSON.
type ExposureFrom struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
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
	// Baselined counts the findings left out because a --baseline file
	// holds them; Suppressed those left out by reasoned suppressions.
	Baselined  int `json:"baselined"`
	Suppressed int `json:"suppressed"`
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
	return Style{}.NewExposureOutput(res, warnings)
}

// NewExposureOutput converts an exposure result to its JSON shape, with the
// style's Name tags.
func (st Style) NewExposureOutput(res *reach.ExposureResult, warnings []string) ExposureOutput {
	out := ExposureOutput{SchemaVersion: SchemaVersion, Findings: make([]ExposureFinding, 0, len(res.Findings)), Warnings: []string{}}
	for i := range res.Findings {
		out.Findings = append(out.Findings, st.exposureFindingJSON(&res.Findings[i]))
	}
	out.NotCollected = res.NotCollected
	out.Baselined, out.Suppressed = res.Baselined, res.Suppressed
	out.Warnings = append(out.Warnings, res.Warnings...)
	out.Warnings = append(out.Warnings, warnings...)
	return out
}

// exposureFindingJSON converts one finding to its JSON shape.
func (st Style) exposureFindingJSON(f *reach.ExposureFinding) ExposureFinding {
	j := ExposureFinding{
		Resource: ExposureResource{ID: f.Resource.ID, Type: f.Resource.Type, Name: st.name(f.Resource.ID), ENI: f.Resource.ENI,
			Address: addrString(f.Resource.Address), PublicAddress: addrString(f.Resource.PublicAddress)},
		From:         ExposureFrom{Kind: string(f.From.Kind), ID: f.From.ID, Name: st.name(f.From.ID), Sources: make([]string, 0, len(f.From.Sources))},
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
	return Style{}.ExposureJSON(w, res, warnings)
}

// ExposureJSON writes an exposure result as JSON with the style's Name tags.
func (st Style) ExposureJSON(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	return st.exposureWhole(w, JSON, res, warnings)
}

// exposureWhole writes a whole exposure result as an ExposureStream does.
func (st Style) exposureWhole(w io.Writer, f Format, res *reach.ExposureResult, warnings []string) error {
	s := st.NewExposureStream(f)
	s.Add(0, res.Findings)
	return s.Write(w, res, warnings)
}

// shortID shortens a load balancer ARN to its type/name/id.
func shortID(id string) string {
	if i := strings.Index(id, ":loadbalancer/"); i >= 0 {
		return id[i+len(":loadbalancer/"):]
	}
	if i := strings.Index(id, ":targetgroup/"); i >= 0 {
		return "targetgroup/" + id[i+len(":targetgroup/"):]
	}
	if strings.HasPrefix(id, "arn:") && strings.Contains(id, ":network-firewall:") {
		// arn:aws:network-firewall:REGION:ACCOUNT:firewall/NAME
		return id[strings.LastIndex(id, ":")+1:]
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

// sourcesText renders sources as a person says them: "0.0.0.0/0",
// "internet except 10.0.0.0/8 and 172.16.0.0/12" (from the internet),
// "any address except 10.0.0.0/16" (from elsewhere), else the ranges
// merged, at most four then a count. IPv4 and IPv6 are described apart.
func sourcesText(kind reach.EdgeKind, ps []netip.Prefix) string {
	var v4, v6 ipset.Builder
	for _, p := range ps {
		if p.Addr().Is4() {
			v4.AddPrefix(p)
		} else {
			v6.AddPrefix(p)
		}
	}
	var parts []string
	for _, fam := range []struct {
		b   *ipset.Builder
		all netip.Prefix
	}{{&v4, netip.MustParsePrefix("0.0.0.0/0")}, {&v6, netip.MustParsePrefix("::/0")}} {
		set := fam.b.Set()
		if len(set.Prefixes()) > 0 {
			parts = append(parts, familySources(kind, set, fam.all))
		}
	}
	return strings.Join(parts, "; ")
}

// familySources describes one address family's sources.
func familySources(kind reach.EdgeKind, set *ipset.Set, all netip.Prefix) string {
	everything := "any address"
	if kind == reach.EdgeInternet {
		everything = "internet"
	}
	if set.ContainsPrefix(all) {
		return all.String()
	}
	// Every address, every public one, every one that is not public, each
	// less at most four ranges.
	u := universesOf(all)
	publicName := "every public address"
	if kind == reach.EdgeInternet {
		publicName = everything
	}
	list := set.Prefixes()
	for _, u := range []struct {
		name     string
		universe *ipset.Set
	}{{everything, u.family}, {publicName, u.public}, {"any address that is not public", u.private}} {
		if text, ok := lacking(u.name, u.universe, set, len(list)); ok {
			return text
		}
	}
	if len(list) > 4 {
		// Only the first four are named.
		return strings.Join(prefixStrings(list[:4]), ", ") + fmt.Sprintf(" and %d more ranges", len(list)-4)
	}
	return strings.Join(prefixStrings(list), ", ")
}

// lacking says set (written as n prefixes) as name, less at most four
// ranges of universe, when set lies within universe and that is shorter
// than its own ranges.
func lacking(name string, universe, set *ipset.Set, n int) (string, bool) {
	if !universe.Covers(set) {
		return "", false
	}
	// Each range is at least one prefix: too many ranges are too many
	// prefixes, without listing them.
	rest := universe.Minus(set)
	if rest.Len() > 4 || n <= rest.Len() {
		return "", false
	}
	mp := rest.Prefixes()
	if len(mp) > 4 || n <= len(mp) {
		return "", false
	}
	if len(mp) == 0 {
		return name, true
	}
	return name + " except " + andList(prefixStrings(mp)), true
}

// familyUniverses are the three sets familySources says sources within:
// one address family, its public addresses and the rest.
type familyUniverses struct{ family, public, private *ipset.Set }

func newUniverses(all netip.Prefix) familyUniverses {
	family := familySet(all)
	var pubB ipset.Builder
	pubB.AddSet(reach.InternetAddrs())
	pubB.Intersect(family)
	public := pubB.Set()
	return familyUniverses{family: family, public: public, private: family.Minus(public)}
}

// The universes are the same for every finding: built once, never changed.
var (
	universesV4 = sync.OnceValue(func() familyUniverses { return newUniverses(netip.MustParsePrefix("0.0.0.0/0")) })
	universesV6 = sync.OnceValue(func() familyUniverses { return newUniverses(netip.MustParsePrefix("::/0")) })
)

func universesOf(all netip.Prefix) familyUniverses {
	if all.Addr().Is4() {
		return universesV4()
	}
	return universesV6()
}

// familySet is the set of one prefix.
func familySet(p netip.Prefix) *ipset.Set {
	var b ipset.Builder
	b.AddPrefix(p)
	s := b.Set()
	return s
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// icmpTypes is an ICMP finding's types without the word.
func icmpTypes(f reach.ExposureFinding) string {
	if f.Ports.From == f.Ports.To {
		return fmt.Sprintf("%d", f.Ports.From)
	}
	return fmt.Sprintf("%d-%d", f.Ports.From, f.Ports.To)
}

// ExposureText writes an exposure result for people: a summary, one table
// grouped by resource (resource, edge, protocol, ports, sources, severity,
// verdict), why each possibly-reachable row is only possibly reachable,
// then warnings.
func ExposureText(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	return Style{}.ExposureText(w, res, warnings)
}

// ExposureText writes an exposure result for people in this style.
func (st Style) ExposureText(w io.Writer, res *reach.ExposureResult, warnings []string) error {
	return st.exposureWhole(w, Text, res, warnings)
}

// warningsShown is how many warnings text output lists before counting the rest.
const warningsShown = 3

// writeWarnings writes the sources' warnings once, as a count and the first few.
func (st Style) writeWarnings(ew *lintWriter, all []string) {
	if len(all) == 0 {
		return
	}
	ew.printf("\nWarnings (%d)\n", len(all))
	for i, s := range all {
		if i == warningsShown {
			ew.printf("  ... and %d more: vpcreach inventory lists them all\n", len(all)-warningsShown)
			break
		}
		ew.printf("%s", st.wrapped("  ", "      ", s))
	}
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
func exposureRuleOf(f reach.ExposureFinding) string { return reach.ExposureKind(&f) }

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
func NewExposureSARIF(res *reach.ExposureResult) *SARIFLog { return Style{}.NewExposureSARIF(res) }

// NewExposureSARIF builds the SARIF log of an exposure result, locating
// results with the style's Locator.
func (st Style) NewExposureSARIF(res *reach.ExposureResult) *SARIFLog {
	log := st.exposureSARIFLog(res)
	run := &log.Runs[0]
	for _, f := range res.Findings {
		run.Results = append(run.Results, st.exposureResult(f))
	}
	return log
}

// exposureRuleIndex is each exposure rule's place among the log's rules.
var exposureRuleIndex = func() map[string]int {
	index := map[string]int{}
	for i, r := range exposureRules {
		index[r.id] = i
	}
	return index
}()

// exposureSARIFLog is the SARIF log of an exposure result without its
// results.
func (st Style) exposureSARIFLog(res *reach.ExposureResult) *SARIFLog {
	var rules []SARIFRule
	for _, r := range exposureRules {
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
	st.Loc.prepare(run)
	run.Properties = leftOutProperties(res.Suppressed, res.Baselined)
	return log
}

// exposureResult is the SARIF result of one finding, located at the
// resource's template line, else its snapshot file.
func (st Style) exposureResult(f reach.ExposureFinding) SARIFResult {
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
	o := st.Loc.Where(f.Resource.ID, f.Resource.Origin)
	return SARIFResult{
		RuleID:    rule,
		RuleIndex: exposureRuleIndex[rule],
		Level:     exposureLevel(f.Severity),
		Message:   SARIFMessage{Text: msg},
		Locations: []SARIFLocation{st.Loc.Location(o.File, o.Line)},
		PartialFingerprints: Fingerprint(rule, f.Resource.ID, string(f.From.Kind), f.From.ID, f.Protocol,
			portsText(f)),
		Properties: map[string]any{
			"resourceId":   f.Resource.ID,
			"resourceType": f.Resource.Type,
			"severity":     f.Severity.String(),
			"verdict":      string(f.Verdict),
			"via":          via,
		},
	}
}

// ExposureSARIF writes an exposure result as SARIF 2.1.0.
func ExposureSARIF(w io.Writer, res *reach.ExposureResult) error {
	return Style{}.ExposureSARIF(w, res)
}

// ExposureSARIF writes an exposure result as SARIF 2.1.0 located by the style's Locator.
func (st Style) ExposureSARIF(w io.Writer, res *reach.ExposureResult) error {
	return st.exposureWhole(w, SARIF, res, nil)
}

// Exposure writes an exposure result in the given format.
func Exposure(w io.Writer, f Format, res *reach.ExposureResult, warnings []string) error {
	return Style{}.Exposure(w, f, res, warnings)
}

// Exposure writes an exposure result in the given format, text in this style.
func (st Style) Exposure(w io.Writer, f Format, res *reach.ExposureResult, warnings []string) error {
	switch f {
	case JSON:
		return st.ExposureJSON(w, res, warnings)
	case SARIF:
		return st.ExposureSARIF(w, res)
	default:
		return st.ExposureText(w, res, warnings)
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

// leftOutText is the line that counts the findings left out by
// suppressions and a baseline, "" when none was.
func leftOutText(suppressed, baselined int) string {
	var parts []string
	if suppressed > 0 {
		parts = append(parts, fmt.Sprintf("%d suppressed with a reason (docs/suppressions.md)", suppressed))
	}
	if baselined > 0 {
		parts = append(parts, fmt.Sprintf("%d already in the baseline", baselined))
	}
	if len(parts) == 0 {
		return ""
	}
	return "\nLeft out: " + strings.Join(parts, ", ") + ".\n"
}
