package report

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/vpcreach/vpcreach/internal/reach"
)

// appendExposureFindingJSON appends the one-line JSON record of f: the
// bytes encoding/json writes of st.exposureFindingJSON(f) with HTML
// escaping off, without building that view. tmp is a buffer of the
// caller's.
func (st Style) appendExposureFindingJSON(dst []byte, f *reach.ExposureFinding, tmp *[]byte) []byte {
	r := &f.Resource
	dst = append(dst, `{"resource":{"id":`...)
	dst = appendJSONString(dst, r.ID)
	dst = append(dst, `,"type":`...)
	dst = appendJSONString(dst, r.Type)
	if n := st.name(r.ID); n != "" {
		dst = append(dst, `,"name":`...)
		dst = appendJSONString(dst, n)
	}
	if r.ENI != "" {
		dst = append(dst, `,"eni":`...)
		dst = appendJSONString(dst, r.ENI)
	}
	if r.Address.IsValid() {
		dst = append(dst, `,"address":`...)
		dst = appendAddrJSON(dst, r.Address, tmp)
	}
	if r.PublicAddress.IsValid() {
		dst = append(dst, `,"publicAddress":`...)
		dst = appendAddrJSON(dst, r.PublicAddress, tmp)
	}
	dst = append(dst, `},"from":{"kind":`...)
	dst = appendJSONString(dst, f.From.Kind)
	dst = append(dst, `,"id":`...)
	dst = appendJSONString(dst, f.From.ID)
	if n := st.name(f.From.ID); n != "" {
		dst = append(dst, `,"name":`...)
		dst = appendJSONString(dst, n)
	}
	dst = append(dst, `,"sources":[`...)
	for i, p := range f.From.Sources {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendPrefixJSON(dst, p)
	}
	dst = append(dst, `]},"protocol":`...)
	dst = appendJSONString(dst, f.Protocol)
	dst = append(dst, `,"ports":{"from":`...)
	dst = appendJSONInt(dst, int(f.Ports.From))
	dst = append(dst, `,"to":`...)
	dst = appendJSONInt(dst, int(f.Ports.To))
	dst = append(dst, `},"verdict":`...)
	dst = appendJSONString(dst, f.Verdict)
	dst = append(dst, `,"severity":`...)
	dst = appendJSONString(dst, f.Severity.String())
	dst = append(dst, `,"via":[`...)
	for i := range f.Via {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = appendJSONString(dst, f.Via[i].ID)
		dst = append(dst, `,"type":`...)
		dst = appendJSONString(dst, f.Via[i].Type)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"reason":`...)
	dst = appendJSONString(dst, f.Reason)
	if f.LoadBalancer != "" {
		dst = append(dst, `,"loadBalancer":`...)
		dst = appendJSONString(dst, f.LoadBalancer)
	}
	return append(dst, '}')
}

// appendPortsText appends portsText(*f).
func appendPortsText(dst []byte, f *reach.ExposureFinding) []byte {
	icmp := f.Protocol == "icmp" || f.Protocol == "icmpv6"
	switch {
	case f.Protocol == "all" || f.Protocol == "other":
		return append(dst, "all"...)
	case icmp && f.Ports.From == 0 && f.Ports.To == 255:
		return append(dst, "all types"...)
	case icmp && f.Ports.From == f.Ports.To:
		dst = append(dst, "type "...)
		return appendJSONInt(dst, int(f.Ports.From))
	case icmp:
		dst = append(dst, "types "...)
	case f.Ports.IsAll():
		return append(dst, "all"...)
	case f.Ports.From == f.Ports.To:
		return appendJSONInt(dst, int(f.Ports.From))
	}
	dst = appendJSONInt(dst, int(f.Ports.From))
	dst = append(dst, '-')
	return appendJSONInt(dst, int(f.Ports.To))
}

// sarifNewline starts a line of a result depth levels inside it, as
// WriteJSON indents a result of the log's run.
func sarifNewline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	dst = append(dst, sarifResultIndent...)
	for range depth {
		dst = append(dst, "  "...)
	}
	return dst
}

// sarifKey starts a member of an indented object: its key on a line of
// its own, after a comma unless it is the first.
func sarifKey(dst []byte, depth int, first bool, key string) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = sarifNewline(dst, depth)
	dst = appendJSONString(dst, key)
	return append(dst, ": "...)
}

// appendSARIFMessage appends an indented message object at depth.
func appendSARIFMessage(dst []byte, depth int, text []byte) []byte {
	dst = append(dst, '{')
	dst = sarifKey(dst, depth+1, true, "text")
	dst = appendJSONString(dst, text)
	dst = sarifNewline(dst, depth)
	return append(dst, '}')
}

// appendSARIFLocation appends an indented location object at depth: a
// file's artifact location and a start line.
func appendSARIFLocation(dst []byte, depth int, al *SARIFArtifactLocation, startLine int, tmp *[]byte) []byte {
	dst = append(dst, '{')
	dst = sarifKey(dst, depth+1, true, "physicalLocation")
	dst = append(dst, '{')
	dst = sarifKey(dst, depth+2, true, "artifactLocation")
	dst = append(dst, '{')
	first := true
	if al.URI != "" {
		dst = sarifKey(dst, depth+3, first, "uri")
		dst = appendJSONString(dst, al.URI)
		first = false
	}
	if al.URIBaseID != "" {
		dst = sarifKey(dst, depth+3, first, "uriBaseId")
		dst = appendJSONString(dst, al.URIBaseID)
		first = false
	}
	if al.Description != nil {
		dst = sarifKey(dst, depth+3, first, "description")
		*tmp = append((*tmp)[:0], al.Description.Text...)
		dst = appendSARIFMessage(dst, depth+3, *tmp)
		first = false
	}
	if !first {
		dst = sarifNewline(dst, depth+2)
	}
	dst = append(dst, '}')
	dst = sarifKey(dst, depth+2, false, "region")
	dst = append(dst, '{')
	dst = sarifKey(dst, depth+3, true, "startLine")
	dst = appendJSONInt(dst, startLine)
	dst = sarifNewline(dst, depth+2)
	dst = append(dst, '}')
	dst = sarifNewline(dst, depth+1)
	dst = append(dst, '}')
	dst = sarifNewline(dst, depth)
	return append(dst, '}')
}

// appendExposureResult appends the SARIF result of f: the bytes the
// stream's encoder writes of st.exposureResult(*f) (indented as a result
// of the log's run), without building that result.
func (s *ExposureStream) appendExposureResult(sc *streamScratch, dst []byte, f *reach.ExposureFinding) []byte {
	st := s.st
	rule := reach.ExposureKind(f)

	// The fingerprint's parts, then the message.
	b := append(sc.text[:0], rule...)
	b = append(b, 0)
	b = append(b, f.Resource.ID...)
	b = append(b, 0)
	b = append(b, f.From.Kind...)
	b = append(b, 0)
	b = append(b, f.From.ID...)
	b = append(b, 0)
	b = append(b, f.Protocol...)
	b = append(b, 0)
	at := len(b)
	b = appendPortsText(b, f)
	ports := b[at:]
	sum := sha256.Sum256(b)
	msg := len(b)
	b = append(b, f.Resource.ID...)
	b = append(b, " ("...)
	b = append(b, shortType(f.Resource.Type)...)
	b = append(b, ") is "...)
	b = append(b, f.Verdict...)
	b = append(b, " from "...)
	b = append(b, f.From.Kind...)
	b = append(b, ' ')
	b = append(b, f.From.ID...)
	b = append(b, " on "...)
	b = append(b, f.Protocol...)
	b = append(b, ' ')
	b = append(b, ports...)
	b = append(b, " from "...)
	for i, p := range f.From.Sources {
		if i > 0 {
			b = append(b, ',')
		}
		if p.IsValid() {
			b = p.AppendTo(b)
		} else {
			b = append(b, "invalid Prefix"...)
		}
	}
	if f.Reason != "" {
		b = append(b, ": "...)
		b = append(b, f.Reason...)
	}
	sc.text = b

	dst = append(dst, '{')
	dst = sarifKey(dst, 1, true, "ruleId")
	dst = appendJSONString(dst, rule)
	dst = sarifKey(dst, 1, false, "ruleIndex")
	dst = appendJSONInt(dst, exposureRuleIndex[rule])
	dst = sarifKey(dst, 1, false, "level")
	dst = appendJSONString(dst, exposureLevel(f.Severity))
	dst = sarifKey(dst, 1, false, "message")
	dst = appendSARIFMessage(dst, 1, b[msg:])
	dst = sarifKey(dst, 1, false, "locations")
	dst = append(dst, '[')
	dst = sarifNewline(dst, 2)
	o := st.Loc.Where(f.Resource.ID, f.Resource.Origin)
	art, line := s.location(o.File, o.Line)
	dst = appendSARIFLocation(dst, 2, &art, line, &sc.tmp)
	dst = sarifNewline(dst, 1)
	dst = append(dst, ']')
	dst = sarifKey(dst, 1, false, "partialFingerprints")
	dst = append(dst, '{')
	dst = sarifKey(dst, 2, true, FingerprintKey)
	dst = append(dst, '"')
	dst = hex.AppendEncode(dst, sum[:16])
	dst = append(dst, '"')
	dst = sarifNewline(dst, 1)
	dst = append(dst, '}')
	// The properties, by key as encoding/json orders a map.
	dst = sarifKey(dst, 1, false, "properties")
	dst = append(dst, '{')
	dst = sarifKey(dst, 2, true, "resourceId")
	dst = appendJSONString(dst, f.Resource.ID)
	dst = sarifKey(dst, 2, false, "resourceType")
	dst = appendJSONString(dst, f.Resource.Type)
	dst = sarifKey(dst, 2, false, "severity")
	dst = appendJSONString(dst, f.Severity.String())
	dst = sarifKey(dst, 2, false, "verdict")
	dst = appendJSONString(dst, f.Verdict)
	dst = sarifKey(dst, 2, false, "via")
	if len(f.Via) == 0 {
		// exposureResult's via is nil: null.
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range f.Via {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = sarifNewline(dst, 3)
			dst = appendJSONString(dst, f.Via[i].ID)
		}
		dst = sarifNewline(dst, 2)
		dst = append(dst, ']')
	}
	dst = sarifNewline(dst, 1)
	dst = append(dst, '}')
	dst = sarifNewline(dst, 0)
	return append(dst, '}')
}

// location is what st.Loc.Location(file, line) says: the file's
// artifact location, found once per stream (the working directory and the
// repository around it stay where they are while a command writes its
// output), and the region's start line.
func (s *ExposureStream) location(file string, line int) (SARIFArtifactLocation, int) {
	if at, ok := s.files.Load(file); ok {
		return at.(SARIFArtifactLocation), max(line, 1)
	}
	loc := s.st.Loc.Location(file, line)
	s.files.Store(file, loc.PhysicalLocation.ArtifactLocation)
	return loc.PhysicalLocation.ArtifactLocation, loc.PhysicalLocation.Region.StartLine
}
