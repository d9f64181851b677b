package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// readErr reads the template at f and returns its *diag.Error.
func readErr(t *testing.T, f string, opts Options) *diag.Error {
	t.Helper()
	err := Read(f, opts, &model.Network{})
	var de *diag.Error
	if !errors.As(err, &de) {
		t.Fatalf("want a *diag.Error, got %v", err)
	}
	return de
}

// TestCircularDependencies: CloudFormation rejects resources that depend
// on each other in a circle, through DependsOn or Ref, Fn::GetAtt and
// Fn::Sub in their properties ("Circular dependency between resources"),
// and a DependsOn on no resource
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html).
func TestCircularDependencies(t *testing.T) {
	const vpc = "  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n"
	for _, tc := range []struct {
		name, text     string
		code, resource string
		line           int
		msg            string
	}{
		{name: "DependsOn circle", text: "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: [A]\n",
			code: "circular-dependency", resource: "A", line: 4, msg: "circular dependency between resources [A, B]: A -> B (DependsOn, line 4), B -> A (DependsOn, line 7)"},
		{name: "Ref and GetAtt circle", text: "Resources:\n" + vpc + "  S:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      VpcId: !Ref V\n      Tags: [{Key: k, Value: !GetAtt T.TopicName}]\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !Ref S}\n",
			code: "circular-dependency", resource: "S", msg: "[S, T]: S -> T (Fn::GetAtt, line 10), T -> S (Ref, line 13)"},
		{name: "self reference", text: "Resources:\n" + vpc + "  S:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      VpcId: !Ref V\n      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 1, ToPort: 1, SourceSecurityGroupId: !Ref S}]\n",
			code: "circular-dependency", resource: "S", line: 10, msg: "[S]: S -> S (Ref, line 10)"},
		{name: "Sub circle through a nested Fn::If", text: "Conditions:\n  C: !Equals [a, b]\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !If [C, !Sub \"${B.TopicName}\", x]}\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: A\n",
			code: "circular-dependency", resource: "A", msg: "A -> B (Fn::Sub, line 6), B -> A (DependsOn, line 9)"},
		{name: "DependsOn on nothing", text: "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: [Nope]\n",
			code: "unresolved-reference", resource: "A", line: 4, msg: "DependsOn names Nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := write(t, "t.yaml", tc.text)
			de := readErr(t, f, Options{})
			if de.Code != tc.code || de.File != f || de.Resource != tc.resource || (tc.line != 0 && de.Line != tc.line) || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("got %v (code %q, line %d, resource %q)", de, de.Code, de.Line, de.Resource)
			}
		})
	}
	// What is not a circle reads: a chain, a Sub of a literal, a parameter.
	f := write(t, "ok.yaml", "Parameters:\n  P: {Type: String, Default: x}\nResources:\n"+vpc+
		"  S:\n    Type: AWS::EC2::SecurityGroup\n    DependsOn: V\n    Properties:\n      GroupDescription: !Sub \"${!S}-${P}-${V}\"\n      VpcId: !Ref V\n")
	if err := Read(f, Options{}, &model.Network{}); err != nil {
		t.Fatal(err)
	}
}

// nestedTemplates writes levels templates, each nesting the next fanout
// times, and returns the top one.
func nestedTemplates(t *testing.T, levels, fanout int) string {
	dir := t.TempDir()
	for l := 0; l < levels; l++ {
		var b strings.Builder
		b.WriteString("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
		if l < levels-1 {
			for k := 0; k < fanout; k++ {
				fmt.Fprintf(&b, "  N%d:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: l%d.yaml}\n", k, l+1)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("l%d.yaml", l)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "l0.yaml")
}

// TestNestedStacksAreCounted: templates that nest each other many times
// multiply (six small templates nesting the next ten times are 111111
// stacks); the count of nested stacks per evaluation is bounded, and the
// bound can be raised.
func TestNestedStacksAreCounted(t *testing.T) {
	top := nestedTemplates(t, 7, 10)
	de := readErr(t, top, Options{})
	if de.Code != limits.Code || !strings.Contains(de.Message, "more than 2000 nested stacks") || !strings.Contains(de.Message, "--max-nested-stacks") || de.Line == 0 {
		t.Errorf("got %v (line %d)", de, de.Line)
	}
	small := nestedTemplates(t, 3, 10) // 110 nested stacks
	de = readErr(t, small, Options{Limits: limits.Limits{NestedStacks: 100}})
	if de.Code != limits.Code || !strings.Contains(de.Message, "more than 100 nested stacks") {
		t.Errorf("got %v", de)
	}
	n := &model.Network{}
	if err := Read(small, Options{Limits: limits.Limits{NestedStacks: 110}}, n); err != nil {
		t.Errorf("raised to 110: %v", err)
	}
	de = readErr(t, small, Options{Limits: limits.Limits{TemplateResources: 200}})
	if de.Code != limits.Code || !strings.Contains(de.Message, "more than 200 resources") || !strings.Contains(de.Message, "--max-template-resources") {
		t.Errorf("got %v", de)
	}
}

// TestNestedStackLoopNamesTheChain: a loop of nested stacks is reported
// at the line that closes it, with every file and line on the way.
func TestNestedStackLoopNamesTheChain(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte("Resources:\n  ToB:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: b.yaml}\n"), 0o644)
	os.WriteFile(b, []byte("Resources:\n  T:\n    Type: AWS::SNS::Topic\n  BackToA:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: a.yaml}\n"), 0o644)
	de := readErr(t, a, Options{})
	want := "nested stacks include each other in a loop: " + a + ":3 (ToB) -> " + b + ":5 (ToB/BackToA) -> " + a
	if de.File != b || de.Line != 5 || de.Resource != "ToB/BackToA" || !strings.Contains(de.Message, want) {
		t.Errorf("got %v\nwant %s", de, want)
	}
}

// TestNestedStackErrorNamesTheParentLine: an error inside a nested
// template says which resource of which parent, at which line, nests it.
func TestNestedStackErrorNamesTheParentLine(t *testing.T) {
	dir := t.TempDir()
	top := filepath.Join(dir, "top.yaml")
	os.WriteFile(top, []byte("Resources:\n  T:\n    Type: AWS::SNS::Topic\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: child.yaml}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "child.yaml"), []byte("Resources:\n  A: [\n"), 0o644)
	de := readErr(t, top, Options{})
	if de.File != filepath.Join(dir, "child.yaml") || de.Line != 2 || !strings.Contains(de.Message, "(in nested stack Child, "+top+":5)") {
		t.Errorf("got %v", de)
	}
}

// TestHostileTemplates: inputs built to exhaust time or memory end in an
// error naming the bound.
func TestHostileTemplates(t *testing.T) {
	var laughs strings.Builder
	laughs.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 'b'; i <= 'k'; i++ {
		fmt.Fprintf(&laughs, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	laughs.WriteString("Resources: {}\n")
	deep := "{\"Resources\": " + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + "}"
	long := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: " + strings.Repeat("x", limits.StringBytes+1) + "}\n"
	for _, tc := range []struct {
		name, file, text, msg string
	}{
		{"billion laughs", "t.yaml", laughs.String(), "YAML aliases expand to more than 100000 values"},
		{"deep JSON", "t.json", deep, "nests deeper than 200 levels"},
		{"long string", "t.yaml", long, "a string longer than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			de := readErr(t, write(t, tc.file, tc.text), Options{})
			if de.Code != limits.Code || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("got %v", de)
			}
		})
	}
	t.Run("strings built down nested stacks", func(t *testing.T) {
		// Each level joins its parameter ten times and passes it down.
		dir := t.TempDir()
		for l := 0; l < 8; l++ {
			text := "Parameters:\n  P: {Type: String, Default: xxxxxxxxxx}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
			if l < 7 {
				text += fmt.Sprintf("  N:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: l%d.yaml\n      Parameters: {P: !Join [\"\", [!Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P]]}\n", l+1)
			}
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("l%d.yaml", l)), []byte(text), 0o644)
		}
		de := readErr(t, filepath.Join(dir, "l0.yaml"), Options{})
		if de.Code != limits.Code || !strings.Contains(de.Message, "Fn::Join builds a string longer than 1 MiB") {
			t.Errorf("got %v", de)
		}
	})
}

// TestEncodings: a UTF-8 byte order mark is read; UTF-16 and other
// encodings are named.
func TestEncodings(t *testing.T) {
	text := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n"
	if err := Read(write(t, "bom.yaml", "\ufeff"+text), Options{}, &model.Network{}); err != nil {
		t.Errorf("UTF-8 with a BOM: %v", err)
	}
	utf16 := []byte{0xFF, 0xFE}
	for _, c := range text {
		utf16 = append(utf16, byte(c), 0)
	}
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"UTF-16LE", utf16, "the file is UTF-16LE text; vpcreach reads UTF-8"},
		{"UTF-16LE without BOM", utf16[2:], "UTF-16LE"},
		{"Latin-1", []byte("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: caf\xe9}\n"), "byte 0xE9 is not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "t.yaml")
			os.WriteFile(f, tc.data, 0o644)
			de := readErr(t, f, Options{})
			if de.Code != "bad-encoding" || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("got %v", de)
			}
		})
	}
	t.Run("named pipe", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "t.yaml")
		if err := syscall.Mkfifo(f, 0o600); err != nil {
			t.Skip(err)
		}
		de := readErr(t, f, Options{})
		if de.Code != "not-a-file" || !strings.Contains(de.Message, "named pipe") {
			t.Errorf("got %v", de)
		}
	})
}

// TestReadStopsWhenCancelled: a cancelled context stops the evaluation.
func TestReadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ReadContext(ctx, nestedTemplates(t, 3, 10), Options{}, &model.Network{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}
