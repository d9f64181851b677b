package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// countsDoc reads the counts every exposure, lint and diff JSON carries.
type countsDoc struct {
	Findings   []json.RawMessage
	Baselined  int
	Suppressed int
	Warnings   []string
}

func decodeCounts(t *testing.T, out string) countsDoc {
	t.Helper()
	var d countsDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return d
}

// TestBaselineLeavesOutAcceptedFindings: findings an earlier JSON output
// of the same command holds are left out of the findings and the gate,
// and counted; new ones still fail it.
func TestBaselineLeavesOutAcceptedFindings(t *testing.T) {
	_, expBefore, _ := runCLI(t, "exposure", exposureTwoTier, "--format", "json")
	expBase := writeTemp(t, "exposure.json", expBefore)
	_, lintBefore, _ := runCLI(t, "lint", exposureTwoTier, "--format", "json")
	lintBase := writeTemp(t, "lint.json", lintBefore)
	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		findings  int
		baselined int
	}{
		{"exposure of the same network", []string{"exposure", exposureTwoTier, "--baseline", expBase, "--fail-on", "low"}, exitOK, 0, 7},
		{"exposure after tcp/3389 opens", []string{"exposure", twoTierRDP, "--baseline", expBase, "--fail-on", "high"}, exitGate, 3, 7},
		{"lint of the same network", []string{"lint", exposureTwoTier, "--baseline", lintBase, "--fail-on", "info"}, exitOK, 0, len(decodeCounts(t, lintBefore).Findings)},
		{"lint with --each", []string{"lint", exposureTwoTier, "--each", "--baseline", lintBase, "--fail-on", "info"}, exitOK, 0, len(decodeCounts(t, lintBefore).Findings)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, append(tc.args, "--format", "json")...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errs)
			}
			d := decodeCounts(t, out)
			if len(d.Findings) != tc.findings || d.Baselined != tc.baselined {
				t.Errorf("%d findings, %d baselined; want %d, %d", len(d.Findings), d.Baselined, tc.findings, tc.baselined)
			}
		})
	}
	code, out, _ := runCLI(t, "exposure", exposureTwoTier, "--baseline", expBase)
	if code != exitOK || !strings.Contains(out, "Left out: 7 already in the baseline.") {
		t.Errorf("text output does not count the baselined findings:\n%s", out)
	}
}

// TestBaselineThatIsNotSuchAnOutputExitsTwo: a baseline of another
// command, another tool, or not JSON is refused, naming the file.
func TestBaselineThatIsNotSuchAnOutputExitsTwo(t *testing.T) {
	_, lintOut, _ := runCLI(t, "lint", exposureTwoTier, "--format", "json")
	_, expOut, _ := runCLI(t, "exposure", exposureTwoTier, "--format", "json")
	_, sarif, _ := runCLI(t, "exposure", exposureTwoTier, "--format", "sarif")
	for _, tc := range []struct {
		name, command, content, want string
	}{
		{"lint output to exposure", "exposure", lintOut, "not an earlier `vpcreach exposure --format json` output"},
		{"exposure output to lint", "lint", expOut, "not an earlier `vpcreach lint --format json` output"},
		{"exposure output to diff", "diff", expOut, `no "added"`},
		{"sarif", "exposure", sarif, `no "schemaVersion"`},
		{"not json", "exposure", "{\n  \"schemaVersion\": 1,\n  oops\n}\n", ":3: bad-baseline"},
		{"another schema", "exposure", `{"schemaVersion": 9, "findings": []}`, "schemaVersion 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := writeTemp(t, "baseline.json", tc.content)
			args := []string{tc.command, exposureTwoTier, "--baseline", file}
			if tc.command == "diff" {
				args = []string{"diff", exposureTwoTier, twoTierRDP, "--baseline", file}
			}
			code, _, errs := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(errs, file) || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d naming %s and %q", code, errs, exitUsage, file, tc.want)
			}
		})
	}
}

// metadataTemplate is web.yaml's bastion with its suppression entries
// replaced.
func metadataTemplate(t *testing.T, entries string) string {
	t.Helper()
	return writeTemp(t, "web.yaml", `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.20.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.20.1.0/24, MapPublicIpOnLaunch: true}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref Rt}
  BastionSg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      vpcreach:
        suppress:
`+entries+`
    Properties:
      GroupDescription: bastion
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
      SecurityGroupEgress:
        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}
  Bastion:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SubnetId: !Ref Public, SecurityGroupIds: [!Ref BastionSg]}
`)
}

// TestSuppressionsAreCountedAndExpire: a reasoned suppression leaves its
// finding out, counted, and passes the gate; an expired one warns and
// stops applying; one without a reason or with an unknown rule is bad
// input at its line.
func TestSuppressionsAreCountedAndExpire(t *testing.T) {
	const (
		ssh     = "          - {rule: internet-admin-port, reason: the one way in}\n"
		sshLint = "          - {rule: sg-admin-port-open-to-world, reason: the one way in, expires: 2999-12-31}\n"
		expired = "          - {rule: internet-admin-port, reason: the one way in, expires: 2020-01-31}\n"
	)
	for _, tc := range []struct {
		name                 string
		command              string
		entries, ignore      string
		code                 int
		findings, suppressed int
		warning              string
	}{
		{"metadata exposure", "exposure", ssh, "", exitOK, 0, 1, ""},
		{"metadata lint", "lint", sshLint, "", exitOK, 0, 1, ""},
		{"metadata of another kind", "lint", ssh, "", exitGate, 1, 0, ""},
		{"expired metadata", "exposure", expired, "", exitGate, 1, 0, "suppression-expired"},
		{"ignore file by logical ID", "exposure", sshLint, "- {resource: Bastion, rule: internet-admin-port, reason: the one way in}\n", exitOK, 0, 1, ""},
		{"ignore file by group, edge and ports", "exposure", sshLint, "- {resource: BastionSg, edge: internet, ports: 20-25, reason: the one way in}\n", exitOK, 0, 1, ""},
		{"ignore file, other ports", "exposure", sshLint, "- {resource: BastionSg, ports: 443, reason: https only}\n", exitGate, 1, 0, ""},
		{"ignore file under suppress, lint", "lint", ssh, "suppress:\n  - {resource: BastionSg, rule: sg-admin-port-open-to-world, reason: the one way in}\n", exitOK, 0, 1, ""},
		{"expired ignore entry", "lint", ssh, "- {resource: BastionSg, reason: the one way in, expires: 2021-02-03}\n", exitGate, 1, 0, "suppression-expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{tc.command, metadataTemplate(t, tc.entries), "--format", "json", "--fail-on", "high"}
			if tc.ignore != "" {
				args = append(args, "--ignore", writeTemp(t, "ignore.yaml", tc.ignore))
			}
			code, out, errs := runCLI(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s\n%s", code, tc.code, errs, out)
			}
			d := decodeCounts(t, out)
			if len(d.Findings) != tc.findings || d.Suppressed != tc.suppressed {
				t.Errorf("%d findings, %d suppressed; want %d, %d\n%s", len(d.Findings), d.Suppressed, tc.findings, tc.suppressed, out)
			}
			if tc.warning != "" && !strings.Contains(strings.Join(d.Warnings, "\n"), tc.warning) {
				t.Errorf("warnings %q do not say %s", d.Warnings, tc.warning)
			}
		})
	}
}

// TestSuppressedFindingsAreCountedInText and SARIF: never silently gone,
// and an empty answer does not claim that nothing is reachable.
func TestSuppressedFindingsAreCountedInTextAndSARIF(t *testing.T) {
	_, text, _ := runCLI(t, "exposure", webTemplate)
	if strings.Contains(text, "Nothing is reachable") || !strings.Contains(text, "Left out: 1 suppressed with a reason") {
		t.Errorf("exposure text:\n%s", text)
	}
	_, text, _ = runCLI(t, "lint", webTemplate)
	if !strings.Contains(text, "No findings but those left out below.") || !strings.Contains(text, "Left out: 1 suppressed with a reason") {
		t.Errorf("lint text:\n%s", text)
	}
	for _, command := range []string{"exposure", "lint"} {
		_, out, _ := runCLI(t, command, webTemplate, "--format", "sarif")
		var log struct {
			Runs []struct{ Properties map[string]int }
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || log.Runs[0].Properties["suppressed"] != 1 {
			t.Errorf("%s sarif: %v, runs %+v", command, err, log.Runs)
		}
	}
}

func TestBadSuppressionsExitTwoWithFileAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, entries, ignore, want string
	}{
		{"metadata without reason", "          - {rule: internet-admin-port}\n", "", "web.yaml:27: bad-template: BastionSg: the Metadata vpcreach suppress entry for internet-admin-port has no reason"},
		{"metadata without rule", "          - {reason: because}\n", "", "web.yaml:27: bad-template"},
		{"metadata bad date", "          - {rule: internet-admin-port, reason: r, expires: soon}\n", "", "web.yaml:27: bad-template"},
		{"metadata unknown rule", "          - {rule: no-such-rule, reason: r}\n", "", "web.yaml:27: bad-suppression: BastionSg: rule \"no-such-rule\""},
		{"ignore without reason", "          - {rule: internet-admin-port, reason: r}\n", "- resource: BastionSg\n  rule: internet-admin-port\n- resource: Bastion\n", "ignore.yaml:1: bad-ignore-file: the entry for BastionSg has no reason"},
		{"ignore second entry without reason", "          - {rule: internet-admin-port, reason: r}\n", "- {resource: BastionSg, reason: ok}\n- {resource: Bastion}\n", "ignore.yaml:2: bad-ignore-file"},
		{"ignore unknown key", "          - {rule: internet-admin-port, reason: r}\n", "- {resource: BastionSg, reason: ok, port: 22}\n", "ignore.yaml:1: bad-ignore-file: unknown key \"port\""},
		{"ignore bad ports", "          - {rule: internet-admin-port, reason: r}\n", "- {resource: BastionSg, reason: ok, ports: 22-20}\n", "ignore.yaml:1: bad-ignore-file: ports"},
		{"ignore not a list", "          - {rule: internet-admin-port, reason: r}\n", "resource: x\n", "ignore.yaml:1: bad-ignore-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, command := range []string{"exposure", "lint"} {
				args := []string{command, metadataTemplate(t, tc.entries)}
				if tc.ignore != "" {
					args = append(args, "--ignore", writeTemp(t, "ignore.yaml", tc.ignore))
				}
				code, _, errs := runCLI(t, args...)
				if code != exitUsage || !strings.Contains(errs, tc.want) {
					t.Errorf("%s: exit %d, stderr %q; want %d and %q", command, code, errs, exitUsage, tc.want)
				}
			}
		})
	}
}
