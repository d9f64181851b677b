package report

import "github.com/vpcreach/vpcreach/internal/version"

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) as GitHub
// code scanning reads it: one run, rules in the driver, results with a
// physical location.

// SARIFLog is the top-level SARIF object.
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one tool run.
type SARIFRun struct {
	Tool    SARIFTool     `json:"tool"`
	Results []SARIFResult `json:"results"`
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
	RuleID     string          `json:"ruleId"`
	Level      string          `json:"level"`
	Message    SARIFMessage    `json:"message"`
	Locations  []SARIFLocation `json:"locations,omitempty"`
	Properties map[string]any  `json:"properties,omitempty"`
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
	URI string `json:"uri"`
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

// Location builds a SARIF location from a file and line (line 0: none).
func Location(file string, line int) SARIFLocation {
	loc := SARIFLocation{PhysicalLocation: SARIFPhysicalLocation{ArtifactLocation: SARIFArtifactLocation{URI: file}}}
	if line > 0 {
		loc.PhysicalLocation.Region = &SARIFRegion{StartLine: line}
	}
	return loc
}

// leftOutProperties are a run's counts of findings left out, nil when none was.
func leftOutProperties(suppressed, baselined int) map[string]any {
	if suppressed == 0 && baselined == 0 {
		return nil
	}
	return map[string]any{"suppressed": suppressed, "baselined": baselined}
}
