package snapshot

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/corpustest"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// decoded is what decoding a file gives, without the handlers' functions.
type decoded struct {
	ok      bool
	events  []decodedEvent
	keys    []string
	topKeys []string
}

type decodedEvent struct {
	what    string
	elem    bool
	v       any
	rest    map[string][]byte
	order   []string
	o       string
	elemOff int
}

// decodeWith decodes data with the one-pass decoder (once) or with
// encoding/json.
func decodeWith(data []byte, once bool) decoded {
	var events []event
	var keys []string
	r := &reader{file: "f.json", data: data, lineNum: 1, events: &events, keys: &keys}
	var d decoded
	if once {
		d.ok, _ = r.decodeOnce()
	} else {
		read, err := r.decodeExact()
		d.ok = read && err == nil
		// Convert what the one-pass decoder converts as it reads.
		for i := range events {
			ev := &events[i]
			if ev.h == nil || ev.h.convert == nil {
				continue
			}
			r.elemOff = ev.elemOff
			if ev.v, err = ev.h.convert(r, ev.v, ev.o); err != nil {
				d.ok = false
				break
			}
		}
	}
	for _, ev := range events {
		de := decodedEvent{elem: ev.elem, v: ev.v, o: fmt.Sprint(ev.o), elemOff: ev.elemOff}
		if ev.h != nil {
			de.what = ev.h.what
		}
		if m, ok := ev.v.(*mergedObject); ok {
			de.v, de.order, de.rest = nil, m.order, map[string][]byte{}
			for k, v := range m.rest {
				de.rest[k] = v
			}
		}
		d.events = append(d.events, de)
	}
	d.keys, d.topKeys = keys, r.topKeys
	return d
}

// checkOnceAgrees fails when the one-pass decoder reads data without error
// to anything else than encoding/json does.
func checkOnceAgrees(t *testing.T, name string, data []byte) (once bool) {
	t.Helper()
	fast := decodeWith(data, true)
	if !fast.ok {
		return false
	}
	exact := decodeWith(data, false)
	if !exact.ok {
		t.Errorf("%s: read in one pass, refused by encoding/json", name)
		return true
	}
	if !reflect.DeepEqual(fast, exact) {
		for i := range min(len(fast.events), len(exact.events)) {
			if !reflect.DeepEqual(fast.events[i], exact.events[i]) {
				t.Errorf("%s: event %d differs:\none pass: %+v\nencoding/json: %+v", name, i, fast.events[i], exact.events[i])
				return true
			}
		}
		t.Errorf("%s: one pass %d events, keys %v, top %v; encoding/json %d events, keys %v, top %v", name,
			len(fast.events), fast.keys, fast.topKeys, len(exact.events), exact.keys, exact.topKeys)
	}
	return true
}

// onceCases are inputs on which encoding/json and a stricter or looser
// decoder could differ; want says whether the one-pass decoder reads them
// (else encoding/json does).
var onceCases = []struct {
	name, data string
	want       bool
}{
	{"plain", `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`, true},
	{"names in another case", `{"Vpcs": [{"vpcid": "vpc-1", "CIDRBLOCK": "10.0.0.0/16"}]}`, true},
	{"a name folded beyond ASCII", "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBloc\u212a\": \"10.0.0.0/16\"}]}", true},
	{"delimiters are not ignored", `{"Vpcs": [{"Vpc_Id": "vpc-1", "VpcId": "vpc-2"}]}`, true},
	{"escaped names and values", `{"Vpcs": [{"Vpc\u0049d": "vpc-\u0031", "Tags": [{"Key": "N\"ame", "Value": "\ud83d\ude00"}]}]}`, true},
	{"nulls", `{"Vpcs": [null, {"VpcId": "vpc-1", "CidrBlock": null, "Tags": null, "CidrBlockAssociationSet": [null]}], "Subnets": null}`, true},
	{"empty lists", `{"Vpcs": [], "SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [], "Tags": []}]}`, true},
	{"numbers as strings", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": "22", "ToPort": 22.0}]}]}`, true},
	{"merged object", `{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": true}, "ResponseMetadata": {"RequestId": "x"}}`, true},
	{"placebo wrapper", `[{"status_code": 200, "data": {"Vpcs": [{"VpcId": "vpc-1"}]}}, null]`, true},
	{"a name given twice", `{"Vpcs": [{"VpcId": "vpc-1", "VpcId": "vpc-2"}]}`, false},
	{"a name given twice in two cases", `{"Vpcs": [{"VpcId": "vpc-1", "vpcid": "vpc-2"}]}`, false},
	{"an unknown name given twice", `{"Vpcs": [{"VpcId": "vpc-1", "Other": 1, "Other": 2}]}`, false},
	{"a top-level key given twice", `{"Vpcs": [{"VpcId": "vpc-1"}], "Vpcs": [{"VpcId": "vpc-2"}]}`, false},
	{"invalid UTF-8", "{\"Vpcs\": [{\"VpcId\": \"vpc-\xff\"}]}", false},
	{"a lone surrogate", `{"Vpcs": [{"VpcId": "vpc-\ud800"}]}`, false},
	{"a value of the wrong type", `{"Vpcs": [{"VpcId": 1}]}`, false},
	{"a bad port", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22.5}]}]}`, false},
	{"a group's names in another case", `{"SecurityGroups": [{"groupid": "sg-1", "IPPERMISSIONS": [{"ipprotocol": "tcp", "fromport": 22, "ToPort": 22, "ipranges": [{"cidrip": "10.0.0.0/8"}]}]}]}`, true},
	{"a group's unknown name given twice", `{"SecurityGroups": [{"GroupId": "sg-1", "X": 1, "X": 2}]}`, true},
	{"a group's name given twice", `{"SecurityGroups": [{"GroupId": "sg-1", "GroupId": "sg-2"}]}`, false},
	{"a group's permission without ID", `{"SecurityGroups": [{"GroupName": "web"}]}`, false},
	{"groups one after another", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "10.1.0.0/16"}], "UserIdGroupPairs": [{"GroupId": "sg-2"}]}]},
		{"GroupId": "sg-2", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-1"}]}, null], "IpPermissionsEgress": null}]}`, true},
	{"interfaces with nulls", `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddresses": [null, {"PrivateIpAddress": "10.0.0.5", "Primary": true, "Association": null}], "Attachment": null, "SourceDestCheck": null, "Groups": []},
		{"NetworkInterfaceId": "eni-2", "SourceDestCheck": false, "Attachment": {"DeviceIndex": "1"}, "Ipv6Addresses": [{"Ipv6Address": "2001:db8::1"}], "TagSet": [{"Key": "Name", "Value": "a"}]}]}`, true},
	{"an interface address that does not parse", `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.0.256"}]}`, false},
	{"instances", `{"Reservations": [{"OwnerId": "111122223333", "Instances": [{"InstanceId": "i-1", "State": {"Name": "terminated"}}, {"InstanceId": "i-2", "PrivateIpAddress": "10.0.0.5", "Placement": {"AvailabilityZone": "eu-west-1a"},
		"NetworkInterfaces": [{"NetworkInterfaceId": "eni-2", "Attachment": {"DeviceIndex": 0}}], "PrivateDnsNameOptions": {"HostnameType": "ip-name"}}]}]}`, true},
	{"trailing data", `{"Vpcs": []} {}`, false},
	{"a scalar element", `{"Vpcs": ["vpc-1"]}`, false},
}

func TestDecodeOnceAgreesWithEncodingJSON(t *testing.T) {
	for _, tc := range onceCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkOnceAgrees(t, tc.name, []byte(tc.data)); got != tc.want {
				t.Errorf("read in one pass = %v, want %v", got, tc.want)
			}
		})
	}
}

// Every example, fuzz seed and file of the shared corpus is read in one
// pass to what encoding/json reads.
func TestDecodeOnceAgreesOnFiles(t *testing.T) {
	root := corpustest.RepoRoot(t)
	dirs := []string{filepath.Join(root, "examples"), filepath.Join("testdata", "fuzz")}
	if c := corpustest.Find("describe"); c != "" {
		dirs = append(dirs, c)
	}
	n, once := 0, 0
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			if strings.HasPrefix(string(data), "go test fuzz v1") {
				data = fuzzSeed(t, p, data)
			}
			n++
			if checkOnceAgrees(t, p, data) {
				once++
			}
			return nil
		})
	}
	t.Logf("%d of %d files read in one pass", once, n)
}

// fuzzSeed returns the []byte value of a fuzz corpus file.
func fuzzSeed(t *testing.T, p string, data []byte) []byte {
	lines := strings.SplitN(string(data), "\n", 3)
	if len(lines) < 2 {
		return nil
	}
	v := strings.TrimSpace(lines[1])
	v = strings.TrimSuffix(strings.TrimPrefix(v, "[]byte("), ")")
	s, err := strconv.Unquote(v)
	if err != nil {
		t.Logf("%s: %v", p, err)
		return nil
	}
	return []byte(s)
}

// FuzzDecodeOnce checks that whatever the one-pass decoder reads without
// error, encoding/json reads to the same values.
func FuzzDecodeOnce(f *testing.F) {
	for _, tc := range onceCases {
		f.Add([]byte(tc.data))
	}
	ex := filepath.Join("..", "..", "..", "examples", "two-tier", "aws_configs", "123456789012", "us-east-1")
	entries, _ := os.ReadDir(ex)
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(ex, e.Name())); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if off, _ := checkBounds(data); off >= 0 {
			if decodeWith(data, true).ok {
				t.Fatalf("past the bounds at %d, read in one pass", off)
			}
			return
		}
		checkOnceAgrees(t, "input", data)
	})
}

// The one-pass decoder refuses a file past checkBounds's bounds wherever
// the long string or the deep nesting is, and reads one just within.
func TestDecodeOnceRefusesPastBounds(t *testing.T) {
	for _, tc := range []struct {
		name     string
		template string // %s is the value
		open     int    // arrays and objects open around it
		// whether a long string, a deep array, just within the bounds
		// there, is read in one pass
		longOK, deepOK bool
	}{
		{"a known field of an interface", `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "Description": %s}]}`, 3, true, false},
		{"an unknown field of an interface", `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "X": %s}]}`, 3, true, true},
		{"an unknown field of a permission", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "-1", "X": %s}]}]}`, 5, true, true},
		{"a port", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": %s}]}]}`, 5, false, false},
		{"a name", `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", %s: 1}]}`, 3, true, false},
		{"an element decoded by reflection", `{"Vpcs": [{"VpcId": "vpc-1", "X": %s}]}`, 3, true, true},
		{"a merged object", `{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": true}, "X": %s}`, 1, true, true},
		{"a top-level key", `{%s: 1, "Vpcs": []}`, 1, true, false},
		{"top-level arrays (32 at most, see maxNesting)", `[%s]`, 1, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, past := range []bool{false, true} {
				n := limits.StringBytes
				k := limits.JSONDepth - tc.open
				if past {
					n++
					k++
				}
				for _, v := range []struct {
					what, value string
					ok          bool
				}{
					{fmt.Sprintf("a string of %d bytes", n), `"` + strings.Repeat("a", n) + `"`, tc.longOK},
					{fmt.Sprintf("%d arrays", k), strings.Repeat("[", k) + strings.Repeat("]", k), tc.deepOK},
				} {
					data := []byte(fmt.Sprintf(tc.template, v.value))
					if off, _ := checkBounds(data); (off >= 0) != past {
						t.Fatalf("%s: checkBounds = %d", v.what, off)
					}
					got := checkOnceAgrees(t, v.what, data)
					if want := v.ok && !past; got != want {
						t.Errorf("%s: read in one pass = %v, want %v", v.what, got, want)
					}
				}
			}
		})
	}
}
