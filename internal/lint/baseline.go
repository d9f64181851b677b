package lint

// Key is a lint finding's identity in a baseline: its rule and resource.
type Key struct {
	Rule, Resource string
}

// KeyOf is the identity of a finding.
func KeyOf(f *Finding) Key { return Key{Rule: f.Rule.ID, Resource: f.Resource.ID} }

// WithoutKnown returns the result less the findings whose identity is in
// known, counting them in Baselined.
func (r *Result) WithoutKnown(known map[Key]bool) *Result {
	if len(known) == 0 {
		return r
	}
	out := &Result{Warnings: r.Warnings, Suppressed: r.Suppressed, Baselined: r.Baselined}
	for i := range r.Findings {
		if known[KeyOf(&r.Findings[i])] {
			out.Baselined++
			continue
		}
		out.Findings = append(out.Findings, r.Findings[i])
	}
	return out
}
