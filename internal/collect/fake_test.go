package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcreach/vpcreach/internal/collect/mototest"
	"github.com/vpcreach/vpcreach/internal/source"
)

// fakeAWS is a small AWS endpoint on 127.0.0.1 answering recorded
// responses, for what moto cannot show: pagination (moto ignores
// MaxResults), throttling, and Client VPN (moto answers HTTP 500).
type fakeAWS struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []string // operation [token]
	// answer returns status and body for an operation and its form (query
	// protocols) or JSON body; ok false falls back to an error answer.
	answer func(op string, form url.Values, body []byte, n int) (status int, resp string, ok bool)
	counts map[string]int
	auth   []string // Authorization headers, in order
}

func newFakeAWS(t *testing.T, answer func(op string, form url.Values, body []byte, n int) (int, string, bool)) *fakeAWS {
	t.Helper()
	f := &fakeAWS{t: t, answer: answer, counts: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var op string
	var form url.Values
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		_, op, _ = strings.Cut(target, ".")
	} else if r.Method == http.MethodPost {
		form, _ = url.ParseQuery(string(body))
		op = form.Get("Action")
	} else {
		op = r.Method + " " + r.URL.Path
	}
	f.mu.Lock()
	f.counts[op]++
	n := f.counts[op]
	tok := form.Get("NextToken")
	if tok == "" && len(body) > 0 && body[0] == '{' {
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		if s, ok := m["NextToken"].(string); ok {
			tok = s
		}
	}
	f.requests = append(f.requests, strings.TrimSpace(op+" "+tok))
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()

	if op == "GetCallerIdentity" {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:iam::111122223333:user/reader</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
		return
	}
	if status, resp, ok := f.answer(op, form, body, n); ok {
		if strings.HasPrefix(resp, "{") {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		} else {
			w.Header().Set("Content-Type", "text/xml")
		}
		w.WriteHeader(status)
		io.WriteString(w, resp)
		return
	}
	// Anything else is refused the way EC2 refuses a caller without
	// permission: a clear, non-retryable error.
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>not recorded: %s</Message></Error></Errors><RequestID>r</RequestID></Response>`, op)
}

func (f *fakeAWS) seen(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// isolateAWSEnv gives the SDK static test credentials and nothing from the
// machine's own configuration.
func isolateAWSEnv(t *testing.T) { mototest.Env(t) }

// runFake collects from the fake endpoint into a fresh folder.
func runFake(t *testing.T, f *fakeAWS, mod func(*Options)) (string, *Manifest, error) {
	t.Helper()
	isolateAWSEnv(t)
	out := filepath.Join(t.TempDir(), "snap")
	o := Options{Out: out, Regions: []string{"ap-northeast-1"}, EndpointURL: f.srv.URL, MaxBackoff: 5 * time.Millisecond, Concurrency: 4}
	if mod != nil {
		mod(&o)
	}
	m, err := Run(context.Background(), o)
	return out, m, err
}

func readJSON(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// dig walks a decoded JSON value by keys and indexes ("Vpcs", 0, "VpcId").
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

const ec2NS = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`

func vpcPage(token string, ids ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<DescribeVpcsResponse %s><requestId>r</requestId><vpcSet>`, ec2NS)
	for _, id := range ids {
		fmt.Fprintf(&b, `<item><vpcId>%s</vpcId><cidrBlock>10.0.0.0/16</cidrBlock><state>available</state><isDefault>false</isDefault></item>`, id)
	}
	b.WriteString(`</vpcSet>`)
	if token != "" {
		fmt.Fprintf(&b, `<nextToken>%s</nextToken>`, token)
	}
	b.WriteString(`</DescribeVpcsResponse>`)
	return b.String()
}

func vpcAttr(form url.Values) string {
	attr := form.Get("Attribute")
	el := map[string]string{"enableDnsSupport": "enableDnsSupport", "enableDnsHostnames": "enableDnsHostnames"}[attr]
	return fmt.Sprintf(`<DescribeVpcAttributeResponse %s><requestId>r</requestId><vpcId>%s</vpcId><%s><value>%v</value></%s></DescribeVpcAttributeResponse>`,
		ec2NS, form.Get("VpcId"), el, attr == "enableDnsSupport", el)
}

func TestPaginationFollowsNextTokenToTheEnd(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		switch op {
		case "DescribeVpcs":
			switch form.Get("NextToken") {
			case "":
				return 200, vpcPage("page2", "vpc-1", "vpc-2"), true
			case "page2":
				return 200, vpcPage("page3", "vpc-3"), true
			case "page3":
				return 200, vpcPage("", "vpc-4"), true
			}
		case "DescribeVpcAttribute":
			return 200, vpcAttr(form), true
		case "ListResolverRules":
			var in struct{ NextToken string }
			_ = json.Unmarshal(body, &in)
			if in.NextToken == "" {
				return 200, `{"NextToken":"r2","ResolverRules":[{"Id":"rslvr-rr-1","DomainName":"a.example.","RuleType":"FORWARD"}]}`, true
			}
			return 200, `{"ResolverRules":[{"Id":"rslvr-rr-2","DomainName":"b.example.","RuleType":"SYSTEM"}]}`, true
		}
		return 0, "", false
	})
	out, m, err := runFake(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "aws_configs", "111122223333", "ap-northeast-1")
	vpcs := readJSON(t, filepath.Join(dir, "DescribeVpcs.json"))
	var got []string
	for _, v := range dig(vpcs, "Vpcs").([]any) {
		got = append(got, dig(v, "VpcId").(string))
	}
	if strings.Join(got, ",") != "vpc-1,vpc-2,vpc-3,vpc-4" {
		t.Errorf("VPCs over three pages: got %v", got)
	}
	if reqs := f.seen("DescribeVpcs"); strings.Join(reqs, "|") != "DescribeVpcs|DescribeVpcs page2|DescribeVpcs page3" {
		t.Errorf("requests: %v", reqs)
	}
	attrs := readJSON(t, filepath.Join(dir, "DescribeVpcAttribute.json")).([]any)
	if len(attrs) != 4 || dig(attrs[3], "VpcId") != "vpc-4" || dig(attrs[3], "EnableDnsSupport", "Value") != true || dig(attrs[3], "EnableDnsHostnames", "Value") != false {
		t.Errorf("merged VPC attributes: %v", attrs)
	}
	rules := readJSON(t, filepath.Join(dir, "ListResolverRules.json"))
	if n := len(dig(rules, "ResolverRules").([]any)); n != 2 {
		t.Errorf("resolver rules over two pages: got %d", n)
	}
	if _, ok := dig(rules, "NextToken").(string); ok {
		t.Error("paging token written to the snapshot")
	}
	// Every other call was refused: recorded, and the run still succeeds.
	if m.FailedCount() == 0 {
		t.Error("refused calls not recorded as failures")
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		switch op {
		case "DescribeVpcs":
			if n <= 2 {
				return 503, `<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>`, true
			}
			return 200, vpcPage("", "vpc-1"), true
		case "DescribeVpcAttribute":
			return 200, vpcAttr(form), true
		case "ListResolverEndpoints":
			if n == 1 {
				return 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, true
			}
			return 200, `{"ResolverEndpoints":[]}`, true
		}
		return 0, "", false
	})
	// Retrying 5xx is off, as against an emulator: throttling must still be retried.
	out, m, err := runFake(t, f, func(o *Options) { o.NoServerErrorRetry = true })
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.seen("DescribeVpcs")); n != 3 {
		t.Errorf("DescribeVpcs sent %d times, want 3 (two throttled)", n)
	}
	if n := len(f.seen("ListResolverEndpoints")); n != 2 {
		t.Errorf("ListResolverEndpoints sent %d times, want 2 (one throttled)", n)
	}
	dir := filepath.Join(out, "aws_configs", "111122223333", "ap-northeast-1")
	if got := dig(readJSON(t, filepath.Join(dir, "DescribeVpcs.json")), "Vpcs", 0, "VpcId"); got != "vpc-1" {
		t.Errorf("DescribeVpcs.json after throttling: %v", got)
	}
	for _, f := range failedFiles(m) {
		if f == "DescribeVpcs" || f == "ListResolverEndpoints" {
			t.Errorf("%s recorded as failed", f)
		}
	}
}

func TestServerErrorsFailWithoutRetryWhenAsked(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		if op == "DescribeClientVpnEndpoints" {
			return 500, `<html><body>NotImplementedError</body></html>`, true
		}
		return 0, "", false
	})
	_, m, err := runFake(t, f, func(o *Options) { o.NoServerErrorRetry = true })
	if !errors.Is(err, ErrNothingCollected) {
		t.Fatalf("every call failed: want ErrNothingCollected, got %v", err)
	}
	if n := len(f.seen("DescribeClientVpnEndpoints")); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
	var found bool
	for _, w := range m.Warnings() {
		if strings.Contains(w, "DescribeClientVpnEndpoints, DescribeClientVpnRoutes, DescribeClientVpnTargetNetworks not collected") && strings.Contains(w, "HTTP 500") {
			found = true
		}
	}
	if !found {
		t.Errorf("no folded warning for the Client VPN 500 in %q", m.Warnings())
	}
}

func failedFiles(m *Manifest) []string {
	var out []string
	for _, a := range m.Accounts {
		for _, r := range a.Regions {
			for _, f := range r.Failed {
				out = append(out, f.File)
			}
		}
	}
	return out
}

// Recorded describe-client-vpn-* responses (the EC2 query protocol's XML).
const (
	cvpnEndpoints = `<DescribeClientVpnEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<requestId>a1b2</requestId>
<clientVpnEndpoint><item>
  <clientVpnEndpointId>cvpn-endpoint-0a1b2c3d4e5f60718</clientVpnEndpointId>
  <description>corporate access</description>
  <status><code>available</code></status>
  <creationTime>2026-03-01 09:30:12</creationTime>
  <dnsName>*.cvpn-endpoint-0a1b2c3d4e5f60718.prod.clientvpn.ap-northeast-1.amazonaws.com</dnsName>
  <clientCidrBlock>172.16.0.0/22</clientCidrBlock>
  <dnsServer><item>10.0.0.2</item></dnsServer>
  <splitTunnel>true</splitTunnel>
  <vpnProtocol>openvpn</vpnProtocol>
  <transportProtocol>udp</transportProtocol>
  <vpnPort>443</vpnPort>
  <serverCertificateArn>arn:aws:acm:ap-northeast-1:111122223333:certificate/11111111-2222-3333-4444-555555555555</serverCertificateArn>
  <authenticationOptions><item><type>certificate-authentication</type><mutualAuthentication><clientRootCertificateChain>arn:aws:acm:ap-northeast-1:111122223333:certificate/66666666-7777-8888-9999-000000000000</clientRootCertificateChain></mutualAuthentication></item></authenticationOptions>
  <connectionLogOptions><enabled>false</enabled></connectionLogOptions>
  <tagSet><item><key>Name</key><value>corp</value></item></tagSet>
  <securityGroupIdSet><item>sg-0123456789abcdef0</item></securityGroupIdSet>
  <vpcId>vpc-0123456789abcdef0</vpcId>
  <selfServicePortalUrl></selfServicePortalUrl>
  <clientConnectOptions><enabled>false</enabled><status><code>applied</code></status></clientConnectOptions>
  <sessionTimeoutHours>24</sessionTimeoutHours>
  <clientLoginBannerOptions><enabled>false</enabled></clientLoginBannerOptions>
</item></clientVpnEndpoint>
</DescribeClientVpnEndpointsResponse>`
	cvpnTargets = `<DescribeClientVpnTargetNetworksResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<requestId>a1b3</requestId>
<clientVpnTargetNetworks><item>
  <associationId>cvpn-assoc-0123456789abcdef0</associationId>
  <vpcId>vpc-0123456789abcdef0</vpcId>
  <targetNetworkId>subnet-0123456789abcdef0</targetNetworkId>
  <clientVpnEndpointId>cvpn-endpoint-0a1b2c3d4e5f60718</clientVpnEndpointId>
  <status><code>associated</code></status>
  <securityGroups><item>sg-0123456789abcdef0</item></securityGroups>
</item></clientVpnTargetNetworks>
</DescribeClientVpnTargetNetworksResponse>`
	cvpnRoutes = `<DescribeClientVpnRoutesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<requestId>a1b4</requestId>
<routes>
  <item><clientVpnEndpointId>cvpn-endpoint-0a1b2c3d4e5f60718</clientVpnEndpointId><destinationCidr>10.0.0.0/16</destinationCidr><targetSubnet>subnet-0123456789abcdef0</targetSubnet><type>Nat</type><origin>associate</origin><status><code>active</code></status><description>Default Route</description></item>
  <item><clientVpnEndpointId>cvpn-endpoint-0a1b2c3d4e5f60718</clientVpnEndpointId><destinationCidr>0.0.0.0/0</destinationCidr><targetSubnet>subnet-0123456789abcdef0</targetSubnet><type>Nat</type><origin>add-route</origin><status><code>active</code></status></item>
</routes>
</DescribeClientVpnRoutesResponse>`
	cvpnRules = `<DescribeClientVpnAuthorizationRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<requestId>a1b5</requestId>
<authorizationRule><item>
  <clientVpnEndpointId>cvpn-endpoint-0a1b2c3d4e5f60718</clientVpnEndpointId>
  <groupId></groupId>
  <accessAll>true</accessAll>
  <destinationCidr>10.0.0.0/16</destinationCidr>
  <status><code>active</code></status>
</item></authorizationRule>
</DescribeClientVpnAuthorizationRulesResponse>`
)

func TestClientVPNFromRecordedResponsesHasTheCLIShape(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		switch op {
		case "DescribeClientVpnEndpoints":
			return 200, cvpnEndpoints, true
		case "DescribeClientVpnTargetNetworks":
			return 200, cvpnTargets, true
		case "DescribeClientVpnRoutes":
			return 200, cvpnRoutes, true
		case "DescribeClientVpnAuthorizationRules":
			return 200, cvpnRules, true
		}
		return 0, "", false
	})
	out, _, err := runFake(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "aws_configs", "111122223333", "ap-northeast-1")
	eps := readJSON(t, filepath.Join(dir, "DescribeClientVpnEndpoints.json"))
	ep := dig(eps, "ClientVpnEndpoints", 0)
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"ClientVpnEndpointId"}, "cvpn-endpoint-0a1b2c3d4e5f60718"},
		{[]any{"ClientCidrBlock"}, "172.16.0.0/22"},
		{[]any{"DnsServers", 0}, "10.0.0.2"},
		{[]any{"SplitTunnel"}, true},
		{[]any{"TransportProtocol"}, "udp"},
		{[]any{"VpnPort"}, 443.0},
		{[]any{"Status", "Code"}, "available"},
		{[]any{"SecurityGroupIds", 0}, "sg-0123456789abcdef0"},
		{[]any{"VpcId"}, "vpc-0123456789abcdef0"},
		{[]any{"CreationTime"}, "2026-03-01 09:30:12"},
		{[]any{"Tags", 0, "Key"}, "Name"},
		{[]any{"AuthenticationOptions", 0, "MutualAuthentication", "ClientRootCertificateChain"}, "arn:aws:acm:ap-northeast-1:111122223333:certificate/66666666-7777-8888-9999-000000000000"},
	} {
		if got := dig(ep, c.path...); got != c.want {
			t.Errorf("ClientVpnEndpoints[0].%v = %v, want %v", c.path, got, c.want)
		}
	}
	nets := readJSON(t, filepath.Join(dir, "DescribeClientVpnTargetNetworks.json"))
	if dig(nets, 0, "ClientVpnEndpointId") != "cvpn-endpoint-0a1b2c3d4e5f60718" || dig(nets, 0, "ClientVpnTargetNetworks", 0, "TargetNetworkId") != "subnet-0123456789abcdef0" ||
		dig(nets, 0, "ClientVpnTargetNetworks", 0, "Status", "Code") != "associated" {
		t.Errorf("target networks: %v", nets)
	}
	routes := readJSON(t, filepath.Join(dir, "DescribeClientVpnRoutes.json"))
	if dig(routes, 0, "ClientVpnEndpointId") != "cvpn-endpoint-0a1b2c3d4e5f60718" || dig(routes, 0, "Routes", 1, "DestinationCidr") != "0.0.0.0/0" ||
		dig(routes, 0, "Routes", 1, "TargetSubnet") != "subnet-0123456789abcdef0" {
		t.Errorf("routes: %v", routes)
	}
	rules := readJSON(t, filepath.Join(dir, "DescribeClientVpnAuthorizationRules.json"))
	if dig(rules, 0, "AuthorizationRules", 0, "AccessAll") != true || dig(rules, 0, "AuthorizationRules", 0, "DestinationCidr") != "10.0.0.0/16" {
		t.Errorf("authorization rules: %v", rules)
	}

	// The snapshot reader takes these files as they are.
	n, err := source.Load(context.Background(), []string{out}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, ok := n.ClientVPNEndpoints.Get("cvpn-endpoint-0a1b2c3d4e5f60718")
	if !ok {
		t.Fatal("Client VPN endpoint not read back")
	}
	if e.ClientCIDR.String() != "172.16.0.0/22" || !e.SplitTunnel || len(e.DNSServers) != 1 || e.DNSServers[0].String() != "10.0.0.2" ||
		len(e.TargetNetworks) != 1 || len(e.Routes) != 2 || len(e.AuthorizationRules) != 1 || !e.AuthorizationRules[0].AccessAll {
		t.Errorf("read back: %+v", e)
	}
}

func TestGuardRefusesWritesBeforeSending(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) { return 0, "", false })
	isolateAWSEnv(t)
	r := &runner{opts: Options{Regions: []string{"ap-northeast-1"}, EndpointURL: f.srv.URL, MaxAttempts: 1, MaxBackoff: time.Millisecond}, guard: newGuard()}
	cfg, err := r.loadConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := r.clientsFor(cfg, "ap-northeast-1")
	_, err = c.EC2.CreateVpc(context.Background(), &ec2.CreateVpcInput{})
	var na *ErrNotAllowed
	if !errors.As(err, &na) || na.Action != "ec2:CreateVpc" {
		t.Fatalf("CreateVpc: want ErrNotAllowed, got %v", err)
	}
	if reqs := f.seen(""); len(reqs) != 0 {
		t.Errorf("refused call reached the server: %v", reqs)
	}
	if got := r.guard.called(); len(got) != 1 || got[0] != "ec2:CreateVpc" {
		t.Errorf("recorded %v", got)
	}
}

func TestOutThatHoldsAnythingIsRefusedAndNothingIsLeftOnFailure(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) { return 0, "", false })
	isolateAWSEnv(t)
	parent := t.TempDir()
	full := filepath.Join(parent, "full")
	os.MkdirAll(full, 0o755)
	os.WriteFile(filepath.Join(full, "keep"), []byte("x"), 0o644)
	if _, err := Run(context.Background(), Options{Out: full, Regions: []string{"ap-northeast-1"}, EndpointURL: f.srv.URL}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty --out: got %v", err)
	}
	// Nothing collectable: no snapshot, and no temporary folder left.
	out := filepath.Join(parent, "snap")
	if _, err := Run(context.Background(), Options{Out: out, Regions: []string{"ap-northeast-1"}, EndpointURL: f.srv.URL, MaxBackoff: time.Millisecond}); !errors.Is(err, ErrNothingCollected) {
		t.Errorf("want ErrNothingCollected, got %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "full" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
}

func TestServerErrorsAreRetriedThreeTimesThenRecorded(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		switch op {
		case "DescribeVpcs":
			return 500, `<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has occurred</Message></Error></Errors><RequestID>r</RequestID></Response>`, true
		case "DescribeSubnets":
			return 200, `<DescribeSubnetsResponse ` + ec2NS + `><requestId>r</requestId><subnetSet/></DescribeSubnetsResponse>`, true
		}
		return 0, "", false
	})
	_, m, err := runFake(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.seen("DescribeVpcs")); n != 3 {
		t.Errorf("DescribeVpcs sent %d times, want 3", n)
	}
	var fail *Failure
	for _, a := range m.Accounts {
		for _, r := range a.Regions {
			for i := range r.Failed {
				if r.Failed[i].File == "DescribeVpcs" {
					fail = &r.Failed[i]
				}
			}
		}
	}
	if fail == nil || fail.Code != "InternalError" || fail.HTTPStatus != 500 || fail.Operation != "ec2:DescribeVpcs" {
		t.Errorf("failure recorded: %+v", fail)
	}
}

func TestAllRegionsReadsEveryEnabledRegion(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		if op == "DescribeRegions" {
			return 200, `<DescribeRegionsResponse ` + ec2NS + `><requestId>r</requestId><regionInfo>
<item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
<item><regionName>ap-northeast-1</regionName><regionEndpoint>ec2.ap-northeast-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
</regionInfo></DescribeRegionsResponse>`, true
		}
		if op == "DescribeVpcs" {
			return 200, vpcPage(""), true
		}
		return 0, "", false
	})
	out, m, err := runFake(t, f, func(o *Options) { o.Regions = nil; o.AllRegions = true })
	if err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"ap-northeast-1", "us-east-1"} {
		if _, err := os.Stat(filepath.Join(out, "aws_configs", "111122223333", region, "DescribeVpcs.json")); err != nil {
			t.Errorf("region %s: %v", region, err)
		}
	}
	var regions []string
	for _, r := range m.Accounts[0].Regions {
		regions = append(regions, r.Region)
	}
	if strings.Join(regions, ",") != "global,ap-northeast-1,us-east-1" {
		t.Errorf("manifest regions: %v", regions)
	}
}

func TestInterruptedRunLeavesNoSnapshot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		if op == "DescribeVpcs" {
			cancel() // the user presses Ctrl-C while collect runs
			return 200, vpcPage("", "vpc-1"), true
		}
		return 0, "", false
	})
	isolateAWSEnv(t)
	parent := t.TempDir()
	_, err := Run(ctx, Options{Out: filepath.Join(parent, "snap"), Regions: []string{"ap-northeast-1"}, EndpointURL: f.srv.URL, Concurrency: 1, MaxBackoff: time.Millisecond})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("an interrupted run left %d entries, first %s", len(entries), entries[0].Name())
	}
}

// BenchmarkCollectPaginatedInstances measures one DescribeInstances step
// over 10 pages of 200 instances from a local endpoint, encoded as the CLI
// prints it.
func BenchmarkCollectPaginatedInstances(b *testing.B) {
	const pages, perPage = 10, 200
	bodies := make([]string, pages)
	for p := range pages {
		var sb strings.Builder
		fmt.Fprintf(&sb, `<DescribeInstancesResponse %s><requestId>r</requestId><reservationSet><item><reservationId>r-%d</reservationId><ownerId>111122223333</ownerId><instancesSet>`, ec2NS, p)
		for i := range perPage {
			fmt.Fprintf(&sb, `<item><instanceId>i-%04d%04d</instanceId><privateIpAddress>10.0.%d.%d</privateIpAddress><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId>
<instanceState><code>16</code><name>running</name></instanceState>
<groupSet><item><groupId>sg-1</groupId><groupName>web</groupName></item></groupSet>
<networkInterfaceSet><item><networkInterfaceId>eni-%04d%04d</networkInterfaceId><privateIpAddress>10.0.%d.%d</privateIpAddress></item></networkInterfaceSet></item>`, p, i, p, i%250, p, i, p, i%250)
		}
		sb.WriteString(`</instancesSet></item></reservationSet>`)
		if p < pages-1 {
			fmt.Fprintf(&sb, `<nextToken>p%d</nextToken>`, p+1)
		}
		sb.WriteString(`</DescribeInstancesResponse>`)
		bodies[p] = sb.String()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		p := 0
		fmt.Sscanf(form.Get("NextToken"), "p%d", &p)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, bodies[p])
	}))
	defer srv.Close()
	mototest.Env(b)
	// Several attempts, as by default: a response body cut by the transport
	// is retried, not reported.
	r := &runner{opts: Options{Regions: []string{"ap-northeast-1"}, EndpointURL: srv.URL, MaxAttempts: 3, MaxBackoff: time.Millisecond}, guard: newGuard()}
	cfg, err := r.loadConfig(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	c := r.clientsFor(cfg, "ap-northeast-1")
	var only step
	for _, t := range steps {
		if t.Name == "DescribeInstances" {
			only = t
		}
	}
	b.ResetTimer()
	for b.Loop() {
		only.Run(context.Background(), c, func(file string, v any, err error) {
			if err != nil {
				b.Fatal(err)
			}
			if _, err := encodeCLI(v); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.ReportMetric(float64(pages*perPage)*float64(b.N)/b.Elapsed().Seconds(), "instances/s")
}

func TestProfileGivesCredentialsAndRegion(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		if op == "DescribeVpcs" {
			return 200, vpcPage("", "vpc-1"), true
		}
		return 0, "", false
	})
	isolateAWSEnv(t)
	dir := t.TempDir()
	cfgFile, credFile := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	os.WriteFile(cfgFile, []byte("[profile reader]\nregion = eu-west-3\n"), 0o600)
	os.WriteFile(credFile, []byte("[reader]\naws_access_key_id = AKIDREADER\naws_secret_access_key = secret\n"), 0o600)
	t.Setenv("AWS_CONFIG_FILE", cfgFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credFile)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	out := filepath.Join(t.TempDir(), "snap")
	if _, err := Run(context.Background(), Options{Out: out, Profile: "reader", EndpointURL: f.srv.URL, MaxBackoff: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "aws_configs", "111122223333", "eu-west-3", "DescribeVpcs.json")); err != nil {
		t.Errorf("the profile's region was not used: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.auth {
		if !strings.Contains(a, "Credential=AKIDREADER/") || !strings.Contains(a, "/eu-west-3/") && !strings.Contains(a, "/us-east-1/") {
			t.Fatalf("request not signed with the profile's key and region: %q", a)
		}
	}
}

func TestTruncatedTransitGatewayRoutesAreNotWrittenAsWhole(t *testing.T) {
	f := newFakeAWS(t, func(op string, form url.Values, body []byte, n int) (int, string, bool) {
		switch op {
		case "DescribeTransitGatewayRouteTables":
			return 200, `<DescribeTransitGatewayRouteTablesResponse ` + ec2NS + `><requestId>r</requestId><transitGatewayRouteTables>
<item><transitGatewayRouteTableId>tgw-rtb-1</transitGatewayRouteTableId><transitGatewayId>tgw-1</transitGatewayId><state>available</state></item>
</transitGatewayRouteTables></DescribeTransitGatewayRouteTablesResponse>`, true
		case "SearchTransitGatewayRoutes":
			if form.Get("Filter.1.Name") != "type" || form.Get("Filter.1.Value.1") != "static" || form.Get("Filter.1.Value.2") != "propagated" {
				return 400, `<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>filter</Message></Error></Errors><RequestID>r</RequestID></Response>`, true
			}
			return 200, `<SearchTransitGatewayRoutesResponse ` + ec2NS + `><requestId>r</requestId><routeSet>
<item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><type>static</type><state>active</state></item>
</routeSet><additionalRoutesAvailable>true</additionalRoutesAvailable></SearchTransitGatewayRoutesResponse>`, true
		}
		return 0, "", false
	})
	out, m, err := runFake(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "aws_configs", "111122223333", "ap-northeast-1")
	if _, err := os.Stat(filepath.Join(dir, "DescribeTransitGatewayRouteTables.json")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "SearchTransitGatewayRoutes.json")); err == nil {
		t.Error("routes cut short were written as if whole")
	}
	found := false
	for _, w := range m.Warnings() {
		if strings.Contains(w, "SearchTransitGatewayRoutes not collected") && strings.Contains(w, "tgw-rtb-1 has more routes") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the cut routes: %q", m.Warnings())
	}
}
