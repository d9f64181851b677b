package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/vpcreach/vpcreach/internal/model"
)

// The lists that make up most of an organisation's output (security
// groups, network interfaces, instances) are read straight from the
// tokens of the one-pass decoder (see once.go), without reflection and
// without growing slices through it: that is most of the time reading
// takes.
//
// These readers read what encoding/json reads, to the same values: a name
// matches the field of the same name, else the first field whose name
// differs only in case (strings.EqualFold, as encoding/json's foldName);
// other names are skipped; null leaves a value unset; an empty array is an
// empty slice, not nil. Whatever they do not read exactly so (a field set
// twice, a value of another type, a number that is not an integer) is
// errLeft: the file is decoded again with encoding/json, which says what is
// wrong (TestTokenReadersAgree checks every field of each type).

// errLeft says the one-pass decoder leaves a file to encoding/json.
var errLeft = errors.New("left to encoding/json")

// tokenDecoder is the one-pass decoder of a file, with the strings read
// lately: the IDs an organisation repeats (its VPCs', subnets', groups',
// accounts') are then held once, not once per element naming them.
type tokenDecoder struct {
	*jsontext.Decoder
	recent [4096]string
	// The element being read, converted before the next is read: the
	// next reuses its storage, down to its lists.
	sg    securityGroupJSON
	perms [2][]ipPermission // its ingress and egress permissions
	eni   eniJSON
	res   reservationJSON
	// parsed holds the strings read only to be parsed (addresses,
	// CIDR blocks), one allocation for many: none outlives the element.
	parsed strings.Builder
}

// parsedStr returns b as a string held in d.parsed.
func (d *tokenDecoder) parsedStr(b []byte) string {
	if d.parsed.Cap()-d.parsed.Len() < len(b) {
		d.parsed = strings.Builder{}
		d.parsed.Grow(max(16<<10, len(b)))
	}
	start := d.parsed.Len()
	d.parsed.Write(b)
	return d.parsed.String()[start:]
}

var recentSeed = maphash.MakeSeed()

// str returns b as a string, the one read lately when they are equal.
func (d *tokenDecoder) str(b []byte) string {
	if len(b) < 2 || len(b) > 64 {
		return string(b)
	}
	i := maphash.Bytes(recentSeed, b) % uint64(len(d.recent))
	if s := d.recent[i]; s == string(b) {
		return s
	}
	s := string(b)
	d.recent[i] = s
	return s
}

// handleTokens is handle for a list whose elements read reads from the
// one-pass decoder's tokens, and convert turns into what add adds to the
// network. read and convert run as the file is decoded, touching nothing
// but the element; add runs when the file is applied, in file order. conv
// reads an element decoded by encoding/json (see handle).
func handleTokens[T, C any](what string, conv func(r *reader, v *T, o model.Origin) error,
	read func(*tokenDecoder) (*T, error), convert func(r *reader, v *T, o model.Origin) (C, error), add func(*reader, C)) *listHandler {
	h := handle(what, conv)
	h.convert = func(r *reader, v any, o model.Origin) (any, error) { return convert(r, v.(*T), o) }
	h.tokens = func(r *reader, dec *tokenDecoder, o model.Origin) (any, error) {
		v, err := read(dec)
		if err != nil {
			return nil, err
		}
		return convert(r, v, o)
	}
	h.add = func(r *reader, c any) { add(r, c.(C)) }
	return h
}

// fields are the fields of a struct type, by name.
type fields struct {
	names []string
	// byLen holds the indexes of the names of each length.
	byLen [maxFieldName + 1][]uint8
}

// maxFieldName bounds the length of field names.
const maxFieldName = 47

// fieldsOf lists the fields of the struct type T in order: the names
// encoding/json matches JSON names to. The types read from tokens have no
// tags, no embedded and no unexported fields.
func fieldsOf[T any]() *fields {
	t := reflect.TypeFor[T]()
	if t.NumField() > 64 {
		panic(fmt.Sprintf("%s: more than 64 fields", t))
	}
	fs := &fields{names: make([]string, t.NumField())}
	for i := range fs.names {
		f := t.Field(i)
		if f.Anonymous || f.Tag != "" || !f.IsExported() || len(f.Name) > maxFieldName {
			panic(fmt.Sprintf("%s.%s: not a plain field", t, f.Name))
		}
		fs.names[i] = f.Name
		fs.byLen[len(f.Name)] = append(fs.byLen[len(f.Name)], uint8(i))
	}
	return fs
}

// object reads a JSON object into a struct whose fields are names, calling
// field with the name of the field each member sets. JSON null leaves the
// struct as it is.
func object(dec *tokenDecoder, fs *fields, field func(name string) error) error {
	switch dec.PeekKind() {
	case 'n':
		return dec.SkipValue()
	case '{':
	default:
		return errLeft
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if !depthWithinBounds(dec) {
		return errLeft
	}
	var seen uint64
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if !stringWithinBounds(name) {
			return errLeft
		}
		i, err := fs.match(name)
		if err != nil {
			return err
		}
		if i < 0 {
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if !withinBounds(v, dec.StackDepth()) {
				return errLeft
			}
			continue
		}
		if seen&(1<<i) != 0 {
			return errLeft // a field set twice
		}
		seen |= 1 << i
		if err := field(fs.names[i]); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// match returns the index of the field a quoted JSON name sets, -1 for
// none.
func (fs *fields) match(quoted jsontext.Value) (int, error) {
	if len(quoted) < 2 || quoted[0] != '"' {
		return 0, errLeft
	}
	name := []byte(quoted[1 : len(quoted)-1])
	// Field names hold no escapes: a name that equals one as written is it.
	if i := fs.exact(name); i >= 0 {
		return i, nil
	}
	if bytes.IndexByte(name, '\\') >= 0 {
		u, err := jsontext.AppendUnquote(nil, quoted)
		if err != nil {
			return 0, errLeft
		}
		name = u
		if i := fs.exact(name); i >= 0 {
			return i, nil
		}
	}
	if !isASCII(name) {
		// A letter beyond ASCII (the Kelvin sign, the long s) may fold to
		// one of the names, whatever its length.
		for i, n := range fs.names {
			if strings.EqualFold(string(name), n) {
				return i, nil
			}
		}
		return -1, nil
	}
	if len(name) > maxFieldName {
		return -1, nil
	}
	for _, i := range fs.byLen[len(name)] {
		if equalFoldASCII(name, fs.names[i]) {
			return int(i), nil
		}
	}
	return -1, nil
}

// exact returns the index of the field named name, -1 for none.
func (fs *fields) exact(name []byte) int {
	if len(name) == 0 || len(name) > maxFieldName {
		return -1
	}
	for _, i := range fs.byLen[len(name)] {
		if n := fs.names[i]; n[0] == name[0] && string(name) == n {
			return int(i)
		}
	}
	return -1
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// equalFoldASCII is strings.EqualFold for ASCII strings of one length.
func equalFoldASCII(b []byte, s string) bool {
	for i, c := range b {
		d := s[i]
		if c == d {
			continue
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if 'a' <= d && d <= 'z' {
			d -= 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// readString reads a JSON string; null leaves s as it is.
func readString(dec *tokenDecoder, s *string) error {
	return readStringWith(dec, s, dec.str)
}

// readParsed is readString for a string only parsed (an address, a CIDR
// block): it is held in dec.parsed, not allocated.
func readParsed(dec *tokenDecoder, s *string) error {
	return readStringWith(dec, s, dec.parsedStr)
}

// readStringWith is readString making the string with str.
func readStringWith(dec *tokenDecoder, s *string, str func([]byte) string) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 'n':
		return nil
	case '"':
		if !stringWithinBounds(v) {
			return errLeft
		}
		b := v[1 : len(v)-1]
		if bytes.IndexByte(b, '\\') < 0 {
			*s = str(b)
			return nil
		}
		u, err := jsontext.AppendUnquote(nil, v)
		if err != nil {
			return errLeft
		}
		*s = str(u)
		return nil
	}
	return errLeft
}

// readBool reads true or false; null leaves b as it is.
func readBool(dec *tokenDecoder, b *bool) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 'n':
		return nil
	case 't':
		*b = true
		return nil
	case 'f':
		*b = false
		return nil
	}
	return errLeft
}

// readBoolPtr reads true or false into a new bool; null is nil.
func readBoolPtr(dec *tokenDecoder, p **bool) error {
	if dec.PeekKind() == 'n' {
		*p = nil
		return dec.SkipValue()
	}
	b := new(bool)
	if err := readBool(dec, b); err != nil {
		return err
	}
	*p = b
	return nil
}

// readFlexInt reads a flexInt from its JSON value, as encoding/json does.
func readFlexInt(dec *tokenDecoder, f *flexInt) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if !withinBounds(v, dec.StackDepth()) {
		return errLeft
	}
	return f.UnmarshalJSON(v)
}

// readOptInt reads an optInt from its JSON value, as encoding/json does.
func readOptInt(dec *tokenDecoder, f *optInt) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if !withinBounds(v, dec.StackDepth()) {
		return errLeft
	}
	return f.UnmarshalJSON(v)
}

// readList reads a JSON array, each element with elem, into the storage of
// *out; null is nil, and an empty array an empty slice.
func readList[T any](dec *tokenDecoder, out *[]T, elem func(*T) error) error {
	return readListReset(dec, out, nil, elem)
}

// readListReset is readList resetting the elements it reuses with reset
// (keeping the storage of their own lists) instead of zeroing them.
func readListReset[T any](dec *tokenDecoder, out *[]T, reset func(*T), elem func(*T) error) error {
	switch dec.PeekKind() {
	case 'n':
		*out = nil
		return dec.SkipValue()
	case '[':
	default:
		return errLeft
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if !depthWithinBounds(dec) {
		return errLeft
	}
	s := (*out)[:0]
	for dec.PeekKind() != ']' {
		if reset != nil && len(s) < cap(s) {
			s = s[:len(s)+1]
			reset(&s[len(s)-1])
		} else {
			var zero T
			s = append(s, zero)
		}
		if err := elem(&s[len(s)-1]); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if s == nil {
		s = []T{}
	}
	*out = s
	return nil
}

// readPtr reads a value into a new T with read; null is nil.
func readPtr[T any](dec *tokenDecoder, p **T, read func(*tokenDecoder, *T) error) error {
	if dec.PeekKind() == 'n' {
		*p = nil
		return dec.SkipValue()
	}
	v := new(T)
	if err := read(dec, v); err != nil {
		return err
	}
	*p = v
	return nil
}

// ---- the readers of each type

var tagFields = fieldsOf[tag]()

func readTag(dec *tokenDecoder, v *tag) error {
	return object(dec, tagFields, func(f string) error {
		switch f {
		case "Key":
			return readString(dec, &v.Key)
		case "Value":
			return readString(dec, &v.Value)
		}
		return errLeft
	})
}

func readTags(dec *tokenDecoder, v *[]tag) error {
	return readList(dec, v, func(t *tag) error { return readTag(dec, t) })
}

var groupRefFields = fieldsOf[groupRef]()

func readGroupRef(dec *tokenDecoder, v *groupRef) error {
	return object(dec, groupRefFields, func(f string) error {
		switch f {
		case "GroupId":
			return readString(dec, &v.GroupId)
		case "GroupName":
			return readString(dec, &v.GroupName)
		}
		return errLeft
	})
}

func readGroupRefs(dec *tokenDecoder, v *[]groupRef) error {
	return readList(dec, v, func(g *groupRef) error { return readGroupRef(dec, g) })
}

// ---- security groups

var (
	securityGroupFields = fieldsOf[securityGroupJSON]()
	ipPermissionFields  = fieldsOf[ipPermission]()
	ipRangeFields       = fieldsOf[ipRange]()
	ipv6RangeFields     = fieldsOf[ipv6Range]()
	prefixListRefFields = fieldsOf[prefixListRef]()
	groupPairFields     = fieldsOf[groupPair]()
)

// readSecurityGroupScratch reads a security group into dec's storage.
func readSecurityGroupScratch(dec *tokenDecoder) (*securityGroupJSON, error) {
	v := &dec.sg
	*v = securityGroupJSON{Tags: v.Tags[:0]}
	return v, readSecurityGroup(dec, v)
}

func readSecurityGroup(dec *tokenDecoder, v *securityGroupJSON) error {
	return object(dec, securityGroupFields, func(f string) error {
		switch f {
		case "GroupId":
			return readString(dec, &v.GroupId)
		case "GroupName":
			return readString(dec, &v.GroupName)
		case "Description":
			return readString(dec, &v.Description)
		case "VpcId":
			return readString(dec, &v.VpcId)
		case "OwnerId":
			return readString(dec, &v.OwnerId)
		case "IpPermissions":
			return readIPPermissions(dec, &v.IpPermissions, &dec.perms[0])
		case "IpPermissionsEgress":
			return readIPPermissions(dec, &v.IpPermissionsEgress, &dec.perms[1])
		case "Tags":
			return readTags(dec, &v.Tags)
		}
		return errLeft
	})
}

// readIPPermissions reads a list of permissions into the storage of
// scratch, which the next group's permissions reuse, down to their lists
// of ranges and groups: an organisation's security groups hold most of
// its elements.
func readIPPermissions(dec *tokenDecoder, out, scratch *[]ipPermission) error {
	switch dec.PeekKind() {
	case 'n':
		*out = nil
		return dec.SkipValue()
	case '[':
	default:
		return errLeft
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if !depthWithinBounds(dec) {
		return errLeft
	}
	s := (*scratch)[:0]
	for dec.PeekKind() != ']' {
		if len(s) < cap(s) {
			s = s[:len(s)+1]
			p := &s[len(s)-1]
			*p = ipPermission{IpRanges: p.IpRanges[:0], Ipv6Ranges: p.Ipv6Ranges[:0], PrefixListIds: p.PrefixListIds[:0], UserIdGroupPairs: p.UserIdGroupPairs[:0]}
		} else {
			s = append(s, ipPermission{})
		}
		if err := readIPPermission(dec, &s[len(s)-1]); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*scratch = s
	if s == nil {
		s = []ipPermission{}
	}
	*out = s
	return nil
}

func readIPPermission(dec *tokenDecoder, v *ipPermission) error {
	return object(dec, ipPermissionFields, func(f string) error {
		switch f {
		case "IpProtocol":
			return readString(dec, &v.IpProtocol)
		case "FromPort":
			return readOptInt(dec, &v.FromPort)
		case "ToPort":
			return readOptInt(dec, &v.ToPort)
		case "IpRanges":
			return readList(dec, &v.IpRanges, func(x *ipRange) error {
				return object(dec, ipRangeFields, func(f string) error {
					switch f {
					case "CidrIp":
						return readParsed(dec, &x.CidrIp)
					case "Description":
						return readString(dec, &x.Description)
					}
					return errLeft
				})
			})
		case "Ipv6Ranges":
			return readList(dec, &v.Ipv6Ranges, func(x *ipv6Range) error {
				return object(dec, ipv6RangeFields, func(f string) error {
					switch f {
					case "CidrIpv6":
						return readParsed(dec, &x.CidrIpv6)
					case "Description":
						return readString(dec, &x.Description)
					}
					return errLeft
				})
			})
		case "PrefixListIds":
			return readList(dec, &v.PrefixListIds, func(x *prefixListRef) error {
				return object(dec, prefixListRefFields, func(f string) error {
					switch f {
					case "PrefixListId":
						return readString(dec, &x.PrefixListId)
					case "Description":
						return readString(dec, &x.Description)
					}
					return errLeft
				})
			})
		case "UserIdGroupPairs":
			return readList(dec, &v.UserIdGroupPairs, func(x *groupPair) error { return readGroupPair(dec, x) })
		}
		return errLeft
	})
}

func readGroupPair(dec *tokenDecoder, v *groupPair) error {
	return object(dec, groupPairFields, func(f string) error {
		switch f {
		case "GroupId":
			return readString(dec, &v.GroupId)
		case "GroupName":
			return readString(dec, &v.GroupName)
		case "UserId":
			return readString(dec, &v.UserId)
		case "VpcId":
			return readString(dec, &v.VpcId)
		case "VpcPeeringConnectionId":
			return readString(dec, &v.VpcPeeringConnectionId)
		case "PeeringStatus":
			return readString(dec, &v.PeeringStatus)
		case "Description":
			return readString(dec, &v.Description)
		}
		return errLeft
	})
}

// ---- network interfaces

var (
	eniFields           = fieldsOf[eniJSON]()
	eniPrivateIPFields  = fieldsOf[eniPrivateIP]()
	eniAssocFields      = fieldsOf[eniAssoc]()
	eniAttachmentFields = fieldsOf[eniAttachment]()
	ipv6AddressFields   = fieldsOf[ipv6Address]()
	ipv4PrefixFields    = fieldsOf[ipv4Prefix]()
	ipv6PrefixFields    = fieldsOf[ipv6Prefix]()
)

// readENIScratch reads a network interface into dec's storage.
func readENIScratch(dec *tokenDecoder) (*eniJSON, error) {
	v := &dec.eni
	v.reset()
	return v, readENI(dec, v)
}

// reset empties v, keeping the storage of its lists. What reads v looks at
// the length of its lists only, which an empty list and nil share.
func (v *eniJSON) reset() {
	*v = eniJSON{PrivateIpAddresses: v.PrivateIpAddresses[:0], Ipv6Addresses: v.Ipv6Addresses[:0],
		Ipv4Prefixes: v.Ipv4Prefixes[:0], Ipv6Prefixes: v.Ipv6Prefixes[:0], Groups: v.Groups[:0],
		TagSet: v.TagSet[:0], Tags: v.Tags[:0]}
}

func readENI(dec *tokenDecoder, v *eniJSON) error {
	return object(dec, eniFields, func(f string) error {
		switch f {
		case "NetworkInterfaceId":
			return readString(dec, &v.NetworkInterfaceId)
		case "SubnetId":
			return readString(dec, &v.SubnetId)
		case "VpcId":
			return readString(dec, &v.VpcId)
		case "AvailabilityZone":
			return readString(dec, &v.AvailabilityZone)
		case "OwnerId":
			return readString(dec, &v.OwnerId)
		case "PrivateIpAddress":
			return readParsed(dec, &v.PrivateIpAddress)
		case "PrivateIpAddresses":
			return readList(dec, &v.PrivateIpAddresses, func(x *eniPrivateIP) error {
				return object(dec, eniPrivateIPFields, func(f string) error {
					switch f {
					case "PrivateIpAddress":
						return readParsed(dec, &x.PrivateIpAddress)
					case "Primary":
						return readBool(dec, &x.Primary)
					case "Association":
						return readPtr(dec, &x.Association, readENIAssoc)
					}
					return errLeft
				})
			})
		case "Association":
			return readPtr(dec, &v.Association, readENIAssoc)
		case "Ipv6Addresses":
			return readList(dec, &v.Ipv6Addresses, func(x *ipv6Address) error {
				return object(dec, ipv6AddressFields, func(f string) error {
					if f == "Ipv6Address" {
						return readParsed(dec, &x.Ipv6Address)
					}
					return errLeft
				})
			})
		case "Ipv4Prefixes":
			return readList(dec, &v.Ipv4Prefixes, func(x *ipv4Prefix) error {
				return object(dec, ipv4PrefixFields, func(f string) error {
					if f == "Ipv4Prefix" {
						return readParsed(dec, &x.Ipv4Prefix)
					}
					return errLeft
				})
			})
		case "Ipv6Prefixes":
			return readList(dec, &v.Ipv6Prefixes, func(x *ipv6Prefix) error {
				return object(dec, ipv6PrefixFields, func(f string) error {
					if f == "Ipv6Prefix" {
						return readParsed(dec, &x.Ipv6Prefix)
					}
					return errLeft
				})
			})
		case "Groups":
			return readGroupRefs(dec, &v.Groups)
		case "SourceDestCheck":
			return readBoolPtr(dec, &v.SourceDestCheck)
		case "InterfaceType":
			return readString(dec, &v.InterfaceType)
		case "Description":
			return readString(dec, &v.Description)
		case "RequesterManaged":
			return readBool(dec, &v.RequesterManaged)
		case "RequesterId":
			return readString(dec, &v.RequesterId)
		case "Attachment":
			return readPtr(dec, &v.Attachment, readENIAttachment)
		case "Status":
			return readString(dec, &v.Status)
		case "TagSet":
			return readTags(dec, &v.TagSet)
		case "Tags":
			return readTags(dec, &v.Tags)
		}
		return errLeft
	})
}

func readENIAssoc(dec *tokenDecoder, v *eniAssoc) error {
	return object(dec, eniAssocFields, func(f string) error {
		switch f {
		case "PublicIp":
			return readParsed(dec, &v.PublicIp)
		case "AllocationId":
			return readString(dec, &v.AllocationId)
		case "AssociationId":
			return readString(dec, &v.AssociationId)
		case "IpOwnerId":
			return readString(dec, &v.IpOwnerId)
		case "CarrierIp":
			return readString(dec, &v.CarrierIp)
		}
		return errLeft
	})
}

func readENIAttachment(dec *tokenDecoder, v *eniAttachment) error {
	return object(dec, eniAttachmentFields, func(f string) error {
		switch f {
		case "InstanceId":
			return readString(dec, &v.InstanceId)
		case "InstanceOwnerId":
			return readString(dec, &v.InstanceOwnerId)
		case "DeviceIndex":
			return readFlexInt(dec, &v.DeviceIndex)
		case "Status":
			return readString(dec, &v.Status)
		}
		return errLeft
	})
}

// ---- instances

var (
	reservationFields    = fieldsOf[reservationJSON]()
	instanceFields       = fieldsOf[instanceJSON]()
	instanceStateFields  = fieldsOf[instanceState]()
	placementFields      = fieldsOf[placement]()
	dnsNameOptionsFields = fieldsOf[dnsNameOptions]()
)

// readReservationScratch reads a reservation into dec's storage.
func readReservationScratch(dec *tokenDecoder) (*reservationJSON, error) {
	v := &dec.res
	*v = reservationJSON{Instances: v.Instances[:0]}
	return v, readReservation(dec, v)
}

// reset empties v, keeping the storage of its lists (see eniJSON.reset).
func (v *instanceJSON) reset() {
	*v = instanceJSON{SecurityGroups: v.SecurityGroups[:0], NetworkInterfaces: v.NetworkInterfaces[:0], Tags: v.Tags[:0]}
}

func readReservation(dec *tokenDecoder, v *reservationJSON) error {
	return object(dec, reservationFields, func(f string) error {
		switch f {
		case "ReservationId":
			return readString(dec, &v.ReservationId)
		case "OwnerId":
			return readString(dec, &v.OwnerId)
		case "Instances":
			return readListReset(dec, &v.Instances, (*instanceJSON).reset, func(x *instanceJSON) error { return readInstance(dec, x) })
		}
		return errLeft
	})
}

func readInstance(dec *tokenDecoder, v *instanceJSON) error {
	return object(dec, instanceFields, func(f string) error {
		switch f {
		case "InstanceId":
			return readString(dec, &v.InstanceId)
		case "State":
			return readPtr(dec, &v.State, func(dec *tokenDecoder, x *instanceState) error {
				return object(dec, instanceStateFields, func(f string) error {
					if f == "Name" {
						return readString(dec, &x.Name)
					}
					return errLeft
				})
			})
		case "SubnetId":
			return readString(dec, &v.SubnetId)
		case "VpcId":
			return readString(dec, &v.VpcId)
		case "PrivateIpAddress":
			return readParsed(dec, &v.PrivateIpAddress)
		case "PublicIpAddress":
			return readParsed(dec, &v.PublicIpAddress)
		case "PrivateDnsName":
			return readString(dec, &v.PrivateDnsName)
		case "PublicDnsName":
			return readString(dec, &v.PublicDnsName)
		case "SecurityGroups":
			return readGroupRefs(dec, &v.SecurityGroups)
		case "NetworkInterfaces":
			return readListReset(dec, &v.NetworkInterfaces, (*eniJSON).reset, func(x *eniJSON) error { return readENI(dec, x) })
		case "Placement":
			return readPtr(dec, &v.Placement, func(dec *tokenDecoder, x *placement) error {
				return object(dec, placementFields, func(f string) error {
					if f == "AvailabilityZone" {
						return readString(dec, &x.AvailabilityZone)
					}
					return errLeft
				})
			})
		case "PrivateDnsNameOptions":
			return readPtr(dec, &v.PrivateDnsNameOptions, func(dec *tokenDecoder, x *dnsNameOptions) error {
				return object(dec, dnsNameOptionsFields, func(f string) error {
					switch f {
					case "HostnameType":
						return readString(dec, &x.HostnameType)
					case "EnableResourceNameDnsARecord":
						return readBool(dec, &x.EnableResourceNameDnsARecord)
					case "EnableResourceNameDnsAAAARecord":
						return readBool(dec, &x.EnableResourceNameDnsAAAARecord)
					}
					return errLeft
				})
			})
		case "Tags":
			return readTags(dec, &v.Tags)
		}
		return errLeft
	})
}
