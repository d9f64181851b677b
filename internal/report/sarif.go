package report

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/version"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) as GitHub
// code scanning reads it: one run, rules in the driver, results with a
// physical location whose URI is relative to %SRCROOT% (the repository
// root), and partial fingerprints that do not depend on line numbers, so
// an alert survives edits and re-runs
// (https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning).

// SrcRoot is the uriBaseId every location's URI is relative to.
const SrcRoot = "%SRCROOT%"

// SARIFLog is the top-level SARIF object.
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one tool run.
type SARIFRun struct {
	Tool               SARIFTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]SARIFArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []SARIFResult                    `json:"results"`
	// Properties count, when any was, the findings left out by
	// suppressions and a baseline ("suppressed", "baselined").
	Properties map[string]any `json:"properties,omitempty"`
}

// SARIFTool names the tool and its rules.
type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

// SARIFDriver is the tool's driver component.
type SARIFDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri,omitempty"`
	Version        string      `json:"version,omitempty"`
	Rules          []SARIFRule `json:"rules"`
}

// SARIFRule describes one kind of result.
type SARIFRule struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name,omitempty"`
	ShortDescription     SARIFMessage     `json:"shortDescription"`
	FullDescription      *SARIFMessage    `json:"fullDescription,omitempty"`
	Help                 *SARIFMessage    `json:"help,omitempty"`
	DefaultConfiguration *SARIFRuleConfig `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any   `json:"properties,omitempty"`
}

// SARIFRuleConfig holds a rule's default level.
type SARIFRuleConfig struct {
	Level string `json:"level"` // error, warning, note
}

// SARIFMessage is a text message.
type SARIFMessage struct {
	Text string `json:"text"`
}

// SARIFResult is one finding.
type SARIFResult struct {
	RuleID    string       `json:"ruleId"`
	RuleIndex int          `json:"ruleIndex"`
	Level     string       `json:"level"`
	Message   SARIFMessage `json:"message"`
	// Locations has exactly one location: GitHub shows the first.
	Locations        []SARIFLocation `json:"locations"`
	RelatedLocations []SARIFRelated  `json:"relatedLocations,omitempty"`
	// PartialFingerprints identify the result across runs: a hash of the
	// rule, the resource, the edge and the ports, never of a line.
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

// SARIFRelated is a location that bears on a result (the policy rule).
type SARIFRelated struct {
	ID               int                   `json:"id"`
	PhysicalLocation SARIFPhysicalLocation `json:"physicalLocation"`
	Message          *SARIFMessage         `json:"message,omitempty"`
}

// SARIFLocation is where a result points.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysicalLocation `json:"physicalLocation"`
}

// SARIFPhysicalLocation is a file and region.
type SARIFPhysicalLocation struct {
	ArtifactLocation SARIFArtifactLocation `json:"artifactLocation"`
	Region           *SARIFRegion          `json:"region,omitempty"`
}

// SARIFArtifactLocation names a file.
type SARIFArtifactLocation struct {
	URI         string        `json:"uri,omitempty"`
	URIBaseID   string        `json:"uriBaseId,omitempty"`
	Description *SARIFMessage `json:"description,omitempty"`
}

// SARIFRegion is a line range.
type SARIFRegion struct {
	StartLine int `json:"startLine"`
}

// NewSARIF returns an empty log for vpcreach with the given rules.
func NewSARIF(rules []SARIFRule) *SARIFLog {
	if rules == nil {
		rules = []SARIFRule{}
	}
	return &SARIFLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []SARIFRun{{
			Tool: SARIFTool{Driver: SARIFDriver{Name: "vpcreach", InformationURI: "https://github.com/vpcreach/vpcreach",
				Version: version.String(), Rules: rules}},
			Results: []SARIFResult{},
		}},
	}
}

// FingerprintKey names vpcreach's partial fingerprint.
const FingerprintKey = "vpcreachFindingHash/v1"

// Fingerprint is the partial fingerprint of a result: a hash of what
// identifies it (rule ID, resource, edge, protocol, ports), so the same
// finding keeps its alert when lines move or other findings come and go.
func Fingerprint(parts ...string) map[string]string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return map[string]string{FingerprintKey: hex.EncodeToString(h[:16])}
}

// Locator places results in files: URIs relative to the repository root
// (%SRCROOT%), and, for a resource the sources read from no file of its
// own, the file of the resource that brought it in.
type Locator struct {
	// Root is the directory URIs are relative to; "" finds the repository
	// root above the working directory (the working directory if none).
	Root string
	// Origin returns where a resource was read, by ID.
	Origin func(id string) (model.Origin, bool)
	// Owner returns the resource that brought a resource in (an
	// interface's load balancer, NAT gateway or instance), "" if none.
	Owner func(id string) string
	// Fallback is the source read when nothing closer is known: the
	// template or the snapshot folder.
	Fallback string
}

// Where returns the origin that locates a resource: its own, else its
// owner's, else the fallback source.
func (l *Locator) Where(id string, own model.Origin) model.Origin {
	if own.File != "" {
		return own
	}
	seen := map[string]bool{}
	for l != nil && l.Owner != nil && id != "" && !seen[id] {
		seen[id] = true
		id = l.Owner(id)
		if id == "" || l.Origin == nil {
			break
		}
		if o, ok := l.Origin(id); ok && o.File != "" {
			return o
		}
	}
	if l != nil && l.Fallback != "" {
		return model.Origin{File: l.Fallback}
	}
	return own
}

func (l *Locator) root() string {
	if l != nil && l.Root != "" {
		return l.Root
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return wd
		}
		d = up
	}
}

// prepare declares %SRCROOT% on the run.
func (l *Locator) prepare(run *SARIFRun) {
	_ = l
	run.OriginalURIBaseIDs = map[string]SARIFArtifactLocation{SrcRoot: {
		Description: &SARIFMessage{Text: "The repository root: the directory holding .git above where vpcreach ran (the checkout in CI)."}}}
}

// Location builds a SARIF location from a file and line: the URI relative
// to the repository root, line 1 when the line is unknown (GitHub needs a
// line to annotate).
func (l *Locator) Location(file string, line int) SARIFLocation {
	uri, base := filepath.ToSlash(file), SrcRoot
	if abs, err := filepath.Abs(file); err == nil && file != "" {
		if rel, err := filepath.Rel(l.root(), abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			uri = filepath.ToSlash(rel)
		} else {
			// Outside the repository: an absolute file URI, no base.
			uri, base = "file://"+filepath.ToSlash(abs), ""
		}
	}
	loc := SARIFLocation{PhysicalLocation: SARIFPhysicalLocation{ArtifactLocation: SARIFArtifactLocation{
		URI: strings.TrimPrefix(uri, "./"), URIBaseID: base}}}
	loc.PhysicalLocation.Region = &SARIFRegion{StartLine: max(line, 1)}
	return loc
}

// leftOutProperties are a run's counts of findings left out, nil when none was.
func leftOutProperties(suppressed, baselined int) map[string]any {
	if suppressed == 0 && baselined == 0 {
		return nil
	}
	return map[string]any{"suppressed": suppressed, "baselined": baselined}
}
