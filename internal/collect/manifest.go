package collect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Manifest is <snapshot>/manifest.json: what was collected, when, by which
// identity, and which calls failed and why.
type Manifest struct {
	// SchemaVersion is the version of this document's shape (docs/json.md).
	SchemaVersion int       `json:"schemaVersion"`
	Tool          string    `json:"tool"`
	Started       time.Time `json:"started"`
	Finished      time.Time `json:"finished"`
	Profile       string    `json:"profile,omitempty"`
	EndpointURL   string    `json:"endpointUrl,omitempty"`
	// Accounts are the accounts read, each with its regions.
	Accounts []*AccountResult `json:"accounts"`
	// Failed are failures outside any account: an identity that could not
	// be resolved or a role that could not be assumed.
	Failed []Failure `json:"failed,omitempty"`
	// Operations are the IAM actions that were called.
	Operations []string `json:"operations"`
}

// AccountResult is what was read in one account.
type AccountResult struct {
	AccountID string `json:"accountId"`
	// ARN and UserID are the identity that read it (STS GetCallerIdentity).
	ARN     string          `json:"arn"`
	UserID  string          `json:"userId,omitempty"`
	RoleARN string          `json:"roleArn,omitempty"`
	Folder  string          `json:"folder"`
	Regions []*RegionResult `json:"regions"`
	// Failed is what stopped the account as a whole (DescribeRegions).
	Failed []Failure `json:"failed,omitempty"`
}

// RegionResult is what was read in one region, or account-wide
// (Region "global": Route 53, Direct Connect gateways).
type RegionResult struct {
	Region    string       `json:"region"`
	Folder    string       `json:"folder"`
	Collected []FileResult `json:"collected"`
	Failed    []Failure    `json:"failed,omitempty"`
}

// FileResult is one file written.
type FileResult struct {
	File  string `json:"file"`
	Items int    `json:"items"`
}

// Failure is one call that failed.
type Failure struct {
	// File is the output file that could not be written.
	File string `json:"file,omitempty"`
	// Operation is the failed call as an IAM action (ec2:DescribeVpcs).
	Operation  string `json:"operation,omitempty"`
	Code       string `json:"code,omitempty"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Message    string `json:"message"`
	RoleARN    string `json:"roleArn,omitempty"`
}

// failure describes err, naming the AWS operation, error code and status.
func failure(file string, err error, roleARN string) Failure {
	f := Failure{File: file, RoleARN: roleARN, HTTPStatus: httpStatus(err)}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		f.Operation = iamService(oe.Service()) + ":" + oe.Operation()
	}
	var na *ErrNotAllowed
	if errors.As(err, &na) {
		f.Operation = na.Action
		f.Code = "NotReadOnly"
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() != "UnknownError" {
		f.Code = ae.ErrorCode()
		f.Message = ae.ErrorMessage()
	} else if f.HTTPStatus != 0 {
		// No AWS error code in the answer (an HTML page, say).
		f.Message = fmt.Sprintf("the service answered HTTP %d without an AWS error code", f.HTTPStatus)
	}
	if f.Message == "" {
		f.Message = err.Error()
	}
	if f.Code == "" && f.HTTPStatus >= 500 {
		f.Code = "ServerError"
	}
	f.Message = oneLine(f.Message)
	return f
}

func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// oneLine keeps a message short and on one line (an emulator's 500 carries
// a whole HTML page).
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func (m *Manifest) account(id string) *AccountResult {
	for _, a := range m.Accounts {
		if a.AccountID == id {
			return a
		}
	}
	a := &AccountResult{AccountID: id}
	m.Accounts = append(m.Accounts, a)
	return a
}

// Collected counts the files written.
func (m *Manifest) Collected() int {
	n := 0
	for _, a := range m.Accounts {
		for _, r := range a.Regions {
			n += len(r.Collected)
		}
	}
	return n
}

// FailedCount counts the failures recorded.
func (m *Manifest) FailedCount() int {
	n := len(m.Failed)
	for _, a := range m.Accounts {
		n += len(a.Failed)
		for _, r := range a.Regions {
			n += len(r.Failed)
		}
	}
	return n
}

// Gaps says, one line each, what makes the snapshot partial: how many
// calls failed, and each account region that holds no file at all. None:
// everything requested was collected.
func (m *Manifest) Gaps() []string {
	var out []string
	if n := m.FailedCount(); n == 1 {
		out = append(out, "1 call failed")
	} else if n > 1 {
		out = append(out, fmt.Sprintf("%d calls failed", n))
	}
	for _, a := range m.Accounts {
		for _, r := range a.Regions {
			if len(r.Collected) == 0 {
				out = append(out, fmt.Sprintf("%s/%s gave nothing", a.AccountID, r.Region))
			}
		}
	}
	return out
}

// Warnings are the failures as one line each, those with the same cause
// in the same place folded into one line naming every file.
func (m *Manifest) Warnings() []string {
	var out []string
	for _, f := range m.Failed {
		where := "identity"
		if f.RoleARN != "" {
			where = f.RoleARN
		}
		out = append(out, fmt.Sprintf("%s: %s", where, describe(f)))
	}
	for _, a := range m.Accounts {
		for _, f := range a.Failed {
			out = append(out, fmt.Sprintf("%s: %s", a.AccountID, describe(f)))
		}
		for _, r := range a.Regions {
			if f, ok := sameCause(r); ok {
				// A region not enabled, or no permission at all: one line.
				out = append(out, fmt.Sprintf("%s/%s: nothing collected: all %d calls %s", a.AccountID, r.Region, len(r.Failed), describe(f)))
				continue
			}
			type group struct {
				f     Failure
				files []string
			}
			var groups []*group
			byCause := map[string]*group{}
			for _, f := range r.Failed {
				k := f.Operation + "\x00" + f.Code + "\x00" + f.Message
				g := byCause[k]
				if g == nil {
					g = &group{f: f}
					byCause[k] = g
					groups = append(groups, g)
				}
				g.files = append(g.files, f.File)
			}
			for _, g := range groups {
				out = append(out, fmt.Sprintf("%s/%s: %s not collected: %s", a.AccountID, r.Region, strings.Join(g.files, ", "), describe(g.f)))
			}
		}
	}
	return out
}

// sameCause reports whether nothing was collected in r and every call
// failed with the same error code.
func sameCause(r *RegionResult) (Failure, bool) {
	if len(r.Collected) > 0 || len(r.Failed) < 2 || r.Failed[0].Code == "" {
		return Failure{}, false
	}
	for _, f := range r.Failed[1:] {
		if f.Code != r.Failed[0].Code {
			return Failure{}, false
		}
	}
	f := r.Failed[0]
	f.Operation = ""
	return f, true
}

func describe(f Failure) string {
	var b strings.Builder
	if f.Operation != "" {
		b.WriteString(f.Operation)
		b.WriteString(" failed")
	} else {
		b.WriteString("failed")
	}
	if f.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d", f.HTTPStatus)
		if f.Code != "" {
			b.WriteString(" " + f.Code)
		}
		b.WriteString(")")
	} else if f.Code != "" {
		b.WriteString(" (" + f.Code + ")")
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// sort orders everything so that two runs over the same account give the
// same manifest apart from timestamps.
func (m *Manifest) sort() {
	sort.Slice(m.Accounts, func(i, j int) bool { return m.Accounts[i].AccountID < m.Accounts[j].AccountID })
	for _, a := range m.Accounts {
		sort.SliceStable(a.Regions, func(i, j int) bool { return a.Regions[i].Folder < a.Regions[j].Folder })
		for _, r := range a.Regions {
			sort.Slice(r.Collected, func(i, j int) bool { return r.Collected[i].File < r.Collected[j].File })
			sort.SliceStable(r.Failed, func(i, j int) bool { return r.Failed[i].File < r.Failed[j].File })
			if r.Collected == nil {
				r.Collected = []FileResult{}
			}
		}
		if a.Regions == nil {
			a.Regions = []*RegionResult{}
		}
	}
	if m.Accounts == nil {
		m.Accounts = []*AccountResult{}
	}
}

// EncodeManifest renders the manifest as written to manifest.json.
func EncodeManifest(m *Manifest) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
