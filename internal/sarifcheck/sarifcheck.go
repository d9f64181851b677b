// Package sarifcheck validates SARIF logs for tests: against the SARIF
// 2.1.0 JSON schema (testdata/sarif-schema-2.1.0.json, from the OASIS
// sarif-spec repository) and against what GitHub code scanning needs to
// ingest a file that the schema does not say
// (https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning).
package sarifcheck

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed testdata/sarif-schema-2.1.0.json
var schemaJSON []byte

const schemaURL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

var (
	once   sync.Once
	schema *jsonschema.Schema
	serr   error
)

func compiled() (*jsonschema.Schema, error) {
	once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			serr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(schemaURL, doc); err != nil {
			serr = err
			return
		}
		schema, serr = c.Compile(schemaURL)
	})
	return schema, serr
}

// GitHub's limits on an upload.
const (
	MaxBytes          = 10 << 20 // the file, gzip-compressed; checked uncompressed, which is stricter
	MaxRuns           = 20
	MaxResultsPerRun  = 25000
	MaxRulesPerRun    = 25000
	MaxLocations      = 1000
	MaxTagsPerRule    = 20
	FingerprintNeeded = true
)

// Validate returns every way the SARIF log breaks the schema or GitHub's
// ingestion rules, nil when it is fine.
func Validate(data []byte) error {
	var errs []error
	if len(data) > MaxBytes {
		errs = append(errs, fmt.Errorf("%d bytes, over GitHub's 10 MB", len(data)))
	}
	sch, err := compiled()
	if err != nil {
		return fmt.Errorf("compiling the SARIF schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		errs = append(errs, fmt.Errorf("SARIF 2.1.0 schema: %w", err))
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			OriginalURIBaseIDs map[string]any `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation *struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return errors.Join(append(errs, err)...)
	}
	if log.Version != "2.1.0" {
		errs = append(errs, fmt.Errorf("version %q, GitHub takes 2.1.0", log.Version))
	}
	if len(log.Runs) == 0 || len(log.Runs) > MaxRuns {
		errs = append(errs, fmt.Errorf("%d runs, want 1-%d", len(log.Runs), MaxRuns))
	}
	for ri, run := range log.Runs {
		d := run.Tool.Driver
		if d.Name == "" || d.Version == "" {
			errs = append(errs, fmt.Errorf("run %d: tool.driver needs a name and a version", ri))
		}
		if len(run.Results) > MaxResultsPerRun || len(d.Rules) > MaxRulesPerRun {
			errs = append(errs, fmt.Errorf("run %d: %d results, %d rules: over GitHub's limits", ri, len(run.Results), len(d.Rules)))
		}
		rules := map[string]int{}
		for i, r := range d.Rules {
			if _, dup := rules[r.ID]; dup {
				errs = append(errs, fmt.Errorf("run %d: rule %q twice", ri, r.ID))
			}
			rules[r.ID] = i
			if tags, ok := r.Properties["tags"].([]any); ok && len(tags) > MaxTagsPerRule {
				errs = append(errs, fmt.Errorf("rule %s: %d tags, GitHub takes %d", r.ID, len(tags), MaxTagsPerRule))
			}
			if s, ok := r.Properties["security-severity"]; ok {
				str, _ := s.(string)
				if f, err := strconv.ParseFloat(str, 64); err != nil || f < 0 || f > 10 {
					errs = append(errs, fmt.Errorf("rule %s: security-severity %v, want a number 0.0-10.0 as a string", r.ID, s))
				}
			}
		}
		for i, res := range run.Results {
			where := fmt.Sprintf("run %d result %d (%s)", ri, i, res.RuleID)
			idx, ok := rules[res.RuleID]
			switch {
			case res.RuleID == "":
				errs = append(errs, fmt.Errorf("%s: no ruleId", where))
			case !ok:
				errs = append(errs, fmt.Errorf("%s: ruleId not among tool.driver.rules", where))
			case res.RuleIndex != nil && *res.RuleIndex != idx:
				errs = append(errs, fmt.Errorf("%s: ruleIndex %d, the rule is at %d", where, *res.RuleIndex, idx))
			}
			if strings.TrimSpace(res.Message.Text) == "" {
				errs = append(errs, fmt.Errorf("%s: empty message", where))
			}
			if len(res.Locations) == 0 || len(res.Locations) > MaxLocations {
				errs = append(errs, fmt.Errorf("%s: %d locations: code scanning needs at least one", where, len(res.Locations)))
			}
			for _, l := range res.Locations {
				pl := l.PhysicalLocation
				if pl == nil || pl.ArtifactLocation == nil || pl.ArtifactLocation.URI == "" {
					errs = append(errs, fmt.Errorf("%s: a location without physicalLocation.artifactLocation.uri", where))
					continue
				}
				u := pl.ArtifactLocation
				if u.URIBaseID != "" {
					if _, ok := run.OriginalURIBaseIDs[u.URIBaseID]; !ok {
						errs = append(errs, fmt.Errorf("%s: uriBaseId %s not declared in originalUriBaseIds", where, u.URIBaseID))
					}
					if strings.HasPrefix(u.URI, "/") || strings.HasPrefix(u.URI, "../") || strings.Contains(u.URI, "://") {
						errs = append(errs, fmt.Errorf("%s: uri %q relative to %s must stay below it", where, u.URI, u.URIBaseID))
					}
				}
				if strings.Contains(u.URI, `\`) {
					errs = append(errs, fmt.Errorf("%s: uri %q has backslashes", where, u.URI))
				}
				if pl.Region != nil && pl.Region.StartLine < 1 {
					errs = append(errs, fmt.Errorf("%s: region.startLine %d, want >= 1", where, pl.Region.StartLine))
				}
			}
			if FingerprintNeeded && len(res.PartialFingerprints) == 0 {
				errs = append(errs, fmt.Errorf("%s: no partialFingerprints", where))
			}
		}
	}
	return errors.Join(errs...)
}
