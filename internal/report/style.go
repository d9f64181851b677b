package report

import (
	"regexp"
	"strings"
)

// DefaultWidth is the column text output keeps within: long reasons and
// warnings wrap there.
const DefaultWidth = 160

// Style says how text output is dressed for the reader: the Name tags shown
// beside IDs, colour, the line width. The zero Style writes plain text of
// DefaultWidth columns without names.
type Style struct {
	// Names returns the Name tag of a resource ID, "" when it has none.
	Names func(id string) string
	// Color marks severities and verdicts with ANSI colours (a terminal
	// that did not ask for NO_COLOR).
	Color bool
	// Width is the column long lines wrap at (0: DefaultWidth).
	Width int
	// Loc places SARIF results in files (nil: the repository root above
	// the working directory, each resource's own file).
	Loc *Locator
}

func (st Style) width() int {
	if st.Width > 0 {
		return st.Width
	}
	return DefaultWidth
}

// name returns the Name tag of id, "" when none or unknown.
func (st Style) name(id string) string {
	if st.Names == nil || id == "" {
		return ""
	}
	n := st.Names(id)
	if n == id {
		return ""
	}
	return n
}

// label is "id (Name)" or id.
func (st Style) label(id string) string {
	if n := st.name(id); n != "" {
		return id + " (" + n + ")"
	}
	return id
}

// awsID matches the resource IDs that free text (reasons, actions) names.
var awsID = regexp.MustCompile(`\b(?:i|eni|sg|subnet|vpc|igw|eigw|nat|rtb|acl|pcx|tgw|tgw-attach|tgw-rtb|vgw|cgw|vpn|vpce|dopt|cvpn-endpoint|rslvr-in|rslvr-out|rslvr-rr|eipalloc|dxgw|dxvif|pl)-[0-9a-f]{8,17}\b`)

// annotate puts the Name tag after every resource ID of a text that does
// not already give it.
func (st Style) annotate(text string) string {
	if st.Names == nil {
		return text
	}
	locs := awsID.FindAllStringIndex(text, -1)
	if len(locs) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		id := text[l[0]:l[1]]
		b.WriteString(text[last:l[1]])
		last = l[1]
		n := st.name(id)
		if n == "" || strings.HasPrefix(text[l[1]:], " ("+n+")") || strings.HasPrefix(text[l[1]:], " ("+n+",") {
			continue
		}
		b.WriteString(" (" + n + ")")
	}
	b.WriteString(text[last:])
	return b.String()
}

// ANSI colours.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

// paint wraps s in a colour when colour is on.
func (st Style) paint(color, s string) string {
	if !st.Color || s == "" {
		return s
	}
	return color + s + ansiReset
}

// severity colours a severity name.
func (st Style) severity(s string) string {
	switch s {
	case "high":
		return st.paint(ansiRed+ansiBold, s)
	case "medium":
		return st.paint(ansiYellow, s)
	}
	return s
}

// verdict colours a verdict, with whatever follows it (a note number).
func (st Style) verdict(v string) string {
	switch {
	case strings.HasPrefix(v, "possibly-reachable"):
		return st.paint(ansiYellow, v)
	case strings.HasPrefix(v, "unreachable"):
		return st.paint(ansiRed, v)
	case strings.HasPrefix(v, "reachable"):
		return st.paint(ansiGreen, v)
	}
	return v
}

// wrap breaks text into lines of at most the style's width: the first
// starts with first, the next ones with indent. Words longer than a line
// stay whole.
func (st Style) wrap(first, indent, text string) []string {
	width := st.width()
	var lines []string
	line := first
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && visibleLen(line)+1+visibleLen(word) > width {
			lines = append(lines, line)
			line, empty = indent, true
		}
		if !empty || (line != "" && !strings.HasSuffix(line, " ")) {
			line += " "
		}
		line += word
		empty = false
	}
	return append(lines, line)
}

// wrapped is wrap joined into one block with a final newline.
func (st Style) wrapped(first, indent, text string) string {
	return strings.Join(st.wrap(first, indent, text), "\n") + "\n"
}

// ruleCode matches the (R1.8)-style codes of docs/aws-behaviour.md.
var ruleCode = regexp.MustCompile(`\bR[0-9]+\.[0-9]+\b`)

// codesNote is the line that says where the codes a text output cites are
// explained, "" when it cites none.
func codesNote(explanationCode bool, texts ...string) string {
	rules := false
	for _, t := range texts {
		if ruleCode.MatchString(t) {
			rules = true
			break
		}
	}
	return codesLine(rules, explanationCode)
}

// codesLine is codesNote's line for a text that cites rule codes or not,
// explanation codes or not.
func codesLine(rules, explanationCode bool) string {
	switch {
	case rules && explanationCode:
		return "\nRule codes (R…) and explanation codes: docs/aws-behaviour.md\n"
	case rules:
		return "\nRule codes (R…): docs/aws-behaviour.md\n"
	case explanationCode:
		return "\nExplanation codes: docs/aws-behaviour.md\n"
	}
	return ""
}
