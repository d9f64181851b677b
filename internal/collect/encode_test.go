package collect

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go/middleware"
)

func TestEncodeCLIShape(t *testing.T) {
	launch := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		in   any
		want string
	}{
		{
			name: "absent members are left out and keys keep the API's names",
			in: object{{"Vpcs", []ec2types.Vpc{{
				VpcId:     aws.String("vpc-1"),
				CidrBlock: aws.String("10.0.0.0/16"),
				IsDefault: aws.Bool(false),
				State:     ec2types.VpcStateAvailable,
				Tags:      []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("")}},
			}}}},
			want: `{"Vpcs":[{"CidrBlock":"10.0.0.0/16","IsDefault":false,"State":"available","Tags":[{"Key":"Name","Value":""}],"VpcId":"vpc-1"}]}`,
		},
		{
			name: "an unset enum is absent, an empty list stays",
			in:   object{{"Subnets", []ec2types.Subnet{{SubnetId: aws.String("subnet-1"), Ipv6CidrBlockAssociationSet: []ec2types.SubnetIpv6CidrBlockAssociation{}}}}},
			want: `{"Subnets":[{"Ipv6CidrBlockAssociationSet":[],"SubnetId":"subnet-1"}]}`,
		},
		{
			name: "timestamps are ISO 8601 with an offset, like the CLI",
			in:   ec2types.Instance{InstanceId: aws.String("i-1"), LaunchTime: &launch},
			want: `{"InstanceId":"i-1","LaunchTime":"2026-01-02T03:04:05+00:00"}`,
		},
		{
			name: "response metadata is dropped",
			in:   ec2.DescribeVpcAttributeOutput{VpcId: aws.String("vpc-1"), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}, ResultMetadata: middleware.Metadata{}},
			want: `{"EnableDnsSupport":{"Value":true},"VpcId":"vpc-1"}`,
		},
		{
			name: "merged objects keep their order and drop nil members",
			in:   []object{{{"VpcId", "vpc-1"}, {"EnableDnsSupport", (*ec2types.AttributeBooleanValue)(nil)}, {"EnableDnsHostnames", &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}}}},
			want: `[{"VpcId":"vpc-1","EnableDnsHostnames":{"Value":false}}]`,
		},
		{
			name: "Route 53 record sets keep TTL and AliasTarget names",
			in: r53types.ResourceRecordSet{Name: aws.String("a.example.internal."), Type: r53types.RRTypeA, TTL: aws.Int64(60),
				ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.0.0.1")}},
				AliasTarget:     &r53types.AliasTarget{DNSName: aws.String("x."), HostedZoneId: aws.String("Z1"), EvaluateTargetHealth: false}},
			want: `{"AliasTarget":{"DNSName":"x.","EvaluateTargetHealth":false,"HostedZoneId":"Z1"},"Name":"a.example.internal.","ResourceRecords":[{"Value":"10.0.0.1"}],"TTL":60,"Type":"A"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := encodeCLI(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			// Compare canonical forms: json.Unmarshal into any sorts
			// map keys, so order is checked only where objects are kept.
			got := compact(t, data)
			if strings.HasPrefix(tt.name, "merged") {
				if got != tt.want {
					t.Errorf("got  %s\nwant %s", got, tt.want)
				}
				return
			}
			if canon(t, got) != canon(t, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEncodeCLIIndentsLikeTheCLI(t *testing.T) {
	data, err := encodeCLI(object{{"Vpcs", []ec2types.Vpc{{VpcId: aws.String("vpc-1")}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n    \"Vpcs\": [\n        {\n            \"VpcId\": \"vpc-1\"\n        }\n    ]\n}\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
}

func compact(t *testing.T, data []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatalf("invalid JSON %s: %v", data, err)
	}
	return b.String()
}

func canon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", s, err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
