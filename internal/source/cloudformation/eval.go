package cloudformation

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/model"
	"github.com/vpcreach/vpcreach/internal/source/limits"
)

// tri is a condition's value: true, false or unknown.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

// maxEvalDepth bounds the nesting of intrinsic functions and references.
const maxEvalDepth = 100

// resource is one entry of the Resources section.
type resource struct {
	logical string // as written in the template
	id      string // with the nested-stack prefix
	typ     string
	line    int
	raw     *Value
	cond    tri
	condWhy string // the condition's name when cond is not true
	// suppress are the Metadata vpcreach suppress entries.
	suppress []model.Suppression

	props     *Value // evaluated Properties, nil until evaluated
	busy      bool
	busyKeys  map[string]bool
	propCache map[string]*Value
	propsErr  error
}

// stack is one template being evaluated (the top one or a nested stack).
type stack struct {
	file    string
	prefix  string // "" or "Parent/"
	name    string // AWS::StackName
	region  string
	account *Value
	depth   int // nesting of stacks

	params     map[string]*Value
	mappings   *Value
	conditions *Value
	condCache  map[string]tri
	condBusy   map[string]bool
	resources  map[string]*resource
	order      []*resource
	outputs    *Value
	cidrCache  map[string]*Value // Fn::Cidr results; evaluated values are never modified

	r   *reader
	cur string // logical ID of the resource being evaluated, for messages
}

// resourceID is the ID of the resource being evaluated, or "".
func (s *stack) resourceID() string {
	if s.cur == "" {
		return ""
	}
	return s.prefix + s.cur
}

func (s *stack) errf(line int, code, format string, args ...any) *diag.Error {
	e := diag.Errorf(s.file, line, code, format, args...)
	if s.cur != "" {
		e.Resource = s.prefix + s.cur
	}
	return e
}

// eval evaluates every intrinsic function in v. AWS::NoValue comes back as
// a value of kind noValue, which callers drop.
func (s *stack) eval(v *Value, depth int) (*Value, error) {
	if v == nil {
		return nil, nil
	}
	if depth > maxEvalDepth {
		return nil, s.errf(v.Line, "bad-template", "intrinsic functions nest deeper than %d levels (circular reference?)", maxEvalDepth)
	}
	if err := s.r.cancelled(); err != nil {
		return nil, err
	}
	switch v.Kind {
	case Map:
		if k, arg, ok := v.single(); ok && (k == "Ref" || strings.HasPrefix(k, "Fn::")) {
			x, err := s.intrinsic(k, arg, v.Line, depth+1)
			if err == nil && x != nil && x.Kind == Scalar && len(x.S) > limits.StringBytes {
				// Strings passed down nested stacks and joined at each
				// level grow exponentially with the depth.
				err = limits.Errorf(s.file, v.Line, s.resourceID(), "", "%s builds a string longer than %s", k, limits.Size(limits.StringBytes))
			}
			return x, err
		}
		out := newMap(v.Line)
		for _, k := range v.Keys {
			x, err := s.eval(v.M[k], depth+1)
			if err != nil {
				return nil, err
			}
			if x != nil && x.Kind == noValue {
				continue
			}
			out.set(k, x)
		}
		return out, nil
	case List:
		out := &Value{Kind: List, Line: v.Line, L: make([]*Value, 0, len(v.L))}
		for _, e := range v.L {
			x, err := s.eval(e, depth+1)
			if err != nil {
				return nil, err
			}
			if x != nil && x.Kind == noValue {
				continue
			}
			out.L = append(out.L, x)
		}
		return out, nil
	}
	return v, nil
}

// evalScalar evaluates v and wants a string (or unknown).
func (s *stack) evalScalar(fn string, v *Value, depth int) (*Value, error) {
	x, err := s.eval(v, depth)
	if err != nil {
		return nil, err
	}
	if x == nil || (x.Kind != Scalar && x.Kind != Unknown) {
		line := 0
		if v != nil {
			line = v.Line
		}
		return nil, s.errf(line, "bad-template", "%s wants a string here, got %s", fn, x.describe())
	}
	return x, nil
}

// evalList evaluates v and wants a list (or unknown).
func (s *stack) evalList(fn string, v *Value, depth int) (*Value, error) {
	x, err := s.eval(v, depth)
	if err != nil {
		return nil, err
	}
	if x == nil || (x.Kind != List && x.Kind != Unknown) {
		line := 0
		if v != nil {
			line = v.Line
		}
		return nil, s.errf(line, "bad-template", "%s wants a list here, got %s", fn, x.describe())
	}
	return x, nil
}

func (s *stack) args(fn string, arg *Value, line, min, max int) ([]*Value, error) {
	if arg == nil || arg.Kind != List || len(arg.L) < min || len(arg.L) > max {
		if min == max {
			return nil, s.errf(line, "bad-template", "%s wants a list of %d arguments", fn, min)
		}
		return nil, s.errf(line, "bad-template", "%s wants a list of %d to %d arguments", fn, min, max)
	}
	return arg.L, nil
}

func (s *stack) intrinsic(fn string, arg *Value, line, depth int) (*Value, error) {
	switch fn {
	case "Ref":
		name, err := s.evalScalar("Ref", arg, depth)
		if err != nil {
			return nil, err
		}
		if name.Kind == Unknown {
			return unknown(line, "", "Ref to a name that is unknown (%s)", name.S), nil
		}
		return s.ref(name.S, line, depth)
	case "Fn::GetAtt":
		return s.getAtt(arg, line, depth)
	case "Fn::Sub":
		return s.sub(arg, line, depth)
	case "Fn::Join":
		a, err := s.args(fn, arg, line, 2, 2)
		if err != nil {
			return nil, err
		}
		delim, err := s.evalScalar(fn, a[0], depth)
		if err != nil {
			return nil, err
		}
		list, err := s.evalList(fn, a[1], depth)
		if err != nil {
			return nil, err
		}
		if delim.Kind == Unknown {
			return delim, nil
		}
		if list.Kind == Unknown {
			return unknown(line, list.Of, "Fn::Join of an unknown list: %s", list.S), nil
		}
		parts := make([]string, 0, len(list.L))
		for _, x := range list.L {
			switch x.Kind {
			case Unknown:
				return unknown(line, x.Of, "%s", x.S), nil
			case Scalar:
				parts = append(parts, x.S)
			case Null:
				parts = append(parts, "")
			default:
				return nil, s.errf(x.Line, "bad-template", "Fn::Join wants strings in its list, got %s", x.describe())
			}
		}
		return scalar(strings.Join(parts, delim.S), line), nil
	case "Fn::Select":
		a, err := s.args(fn, arg, line, 2, 2)
		if err != nil {
			return nil, err
		}
		idx, err := s.evalScalar(fn, a[0], depth)
		if err != nil {
			return nil, err
		}
		list, err := s.evalList(fn, a[1], depth)
		if err != nil {
			return nil, err
		}
		if idx.Kind == Unknown {
			return unknown(line, "", "Fn::Select with an unknown index: %s", idx.S), nil
		}
		if list.Kind == Unknown {
			u := unknown(line, list.Of, "Fn::Select from an unknown list: %s", list.S)
			if list.fw != nil {
				// !Select [n, !GetAtt Firewall.EndpointIds] names one
				// endpoint; the Select that then picks the vpce-… part
				// of "az:vpce-…" keeps it.
				sel := *list.fw
				if sel.Index < 0 {
					if i, ok := intOf(idx.S); ok {
						sel.Index = i
					}
				}
				u.fw = &sel
			}
			return u, nil
		}
		i, ok := intOf(idx.S)
		if !ok || i < 0 {
			return nil, s.errf(line, "bad-template", "Fn::Select index %q is not a non-negative integer", idx.S)
		}
		if i >= len(list.L) {
			return nil, s.errf(line, "bad-template", "Fn::Select index %d is out of range: the list has %d elements", i, len(list.L))
		}
		return list.L[i], nil
	case "Fn::Split":
		a, err := s.args(fn, arg, line, 2, 2)
		if err != nil {
			return nil, err
		}
		delim, err := s.evalScalar(fn, a[0], depth)
		if err != nil {
			return nil, err
		}
		str, err := s.evalScalar(fn, a[1], depth)
		if err != nil {
			return nil, err
		}
		if delim.Kind == Unknown {
			return delim, nil
		}
		if str.Kind == Unknown {
			u := unknown(line, str.Of, "Fn::Split of an unknown string: %s", str.S)
			u.fw = str.fw
			return u, nil
		}
		if delim.S == "" {
			return nil, s.errf(line, "bad-template", "Fn::Split needs a non-empty delimiter")
		}
		out := &Value{Kind: List, Line: line}
		for _, p := range strings.Split(str.S, delim.S) {
			out.L = append(out.L, scalar(p, line))
		}
		return out, nil
	case "Fn::If":
		a, err := s.args(fn, arg, line, 3, 3)
		if err != nil {
			return nil, err
		}
		name, err := s.evalScalar(fn, a[0], depth)
		if err != nil {
			return nil, err
		}
		if name.Kind == Unknown {
			return nil, s.errf(line, "bad-template", "Fn::If needs a condition name")
		}
		c, err := s.condition(name.S, line, depth)
		if err != nil {
			return nil, err
		}
		switch c {
		case triTrue:
			return s.eval(a[1], depth)
		case triFalse:
			return s.eval(a[2], depth)
		}
		x, errx := s.eval(a[1], depth)
		y, erry := s.eval(a[2], depth)
		if errx == nil && erry == nil && equal(x, y) {
			return x, nil
		}
		u := unknown(line, "", "Fn::If on condition %s, which is unknown", name.S)
		if errx == nil && erry == nil {
			u.Alts = []*Value{x, y}
		}
		return u, nil
	case "Fn::FindInMap":
		return s.findInMap(arg, line, depth)
	case "Fn::GetAZs":
		if arg == nil || arg.Kind == Null {
			arg = scalar("", line)
		}
		r, err := s.evalScalar(fn, arg, depth)
		if err != nil {
			return nil, err
		}
		if r.Kind == Unknown {
			return unknown(line, "", "Fn::GetAZs of an unknown region: %s", r.S), nil
		}
		region := r.S
		if region == "" {
			region = s.region
		}
		out := &Value{Kind: List, Line: line}
		for _, z := range availabilityZones(region) {
			out.L = append(out.L, scalar(z, line))
		}
		return out, nil
	case "Fn::Base64":
		str, err := s.evalScalar(fn, arg, depth)
		if err != nil {
			return nil, err
		}
		if str.Kind == Unknown {
			return str, nil
		}
		return scalar(base64.StdEncoding.EncodeToString([]byte(str.S)), line), nil
	case "Fn::Cidr":
		return s.cidr(arg, line, depth)
	case "Fn::ImportValue":
		name, err := s.evalScalar(fn, arg, depth)
		if err != nil {
			return nil, err
		}
		if name.Kind == Unknown {
			return unknown(line, "", "Fn::ImportValue of an unknown export: %s", name.S), nil
		}
		return unknown(line, "", "Fn::ImportValue %s: exported by another stack", name.S), nil
	case "Fn::Length":
		list, err := s.evalList(fn, arg, depth)
		if err != nil {
			return nil, err
		}
		if list.Kind == Unknown {
			return unknown(line, "", "Fn::Length of an unknown list: %s", list.S), nil
		}
		return scalar(strconv.Itoa(len(list.L)), line), nil
	case "Fn::ToJsonString":
		x, err := s.eval(arg, depth)
		if err != nil {
			return nil, err
		}
		if u := x.firstUnknown(); u != nil {
			return unknown(line, u.Of, "Fn::ToJsonString of a value with an unknown part: %s", u.S), nil
		}
		return scalar(jsonString(x), line), nil
	case "Fn::Transform":
		return unknown(line, "", "Fn::Transform: a macro runs at deploy time"), nil
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		c, err := s.condExpr(&Value{Kind: Map, Keys: []string{fn}, M: map[string]*Value{fn: arg}, Line: line}, depth)
		if err != nil {
			return nil, err
		}
		switch c {
		case triTrue:
			return scalar("true", line), nil
		case triFalse:
			return scalar("false", line), nil
		}
		return unknown(line, "", "%s of unknown values", fn), nil
	}
	if strings.HasPrefix(fn, "Fn::") {
		return nil, s.errf(line, "bad-template", "unknown intrinsic function %s", fn)
	}
	return nil, s.errf(line, "bad-template", "unknown intrinsic function %s", fn)
}

// ref resolves Ref: a pseudo parameter, a parameter or a resource.
func (s *stack) ref(name string, line, depth int) (*Value, error) {
	if strings.HasPrefix(name, "AWS::") {
		return s.pseudo(name, line)
	}
	if p, ok := s.params[name]; ok {
		return p, nil
	}
	r, ok := s.resources[name]
	if !ok {
		return nil, s.errf(line, "unresolved-reference", "Ref to %s, which is neither a parameter nor a resource", name)
	}
	if r.cond == triFalse {
		return unknown(line, r.id, "Ref to %s, which is not deployed (condition %s is false)", name, r.condWhy), nil
	}
	switch r.typ {
	case "AWS::EC2::EIP":
		return unknown(line, r.id, "the public IP of %s is allocated at deploy time", r.id), nil
	case "AWS::CloudFormation::WaitConditionHandle", "AWS::SSM::Parameter::Value":
		return unknown(line, r.id, "Ref to %s is known only after deployment", r.id), nil
	case "AWS::Route53::RecordSet":
		if n, err := s.propOf(r, "Name", depth); err == nil && n != nil && n.Kind == Scalar {
			return scalar(n.S, line), nil
		}
	}
	return &Value{Kind: Scalar, S: r.id, Line: line, Of: r.id}, nil
}

func (s *stack) pseudo(name string, line int) (*Value, error) {
	switch name {
	case "AWS::Region":
		return scalar(s.region, line), nil
	case "AWS::AccountId":
		v := *s.account
		v.Line = line
		return &v, nil
	case "AWS::StackName":
		return scalar(s.name, line), nil
	case "AWS::StackId":
		return unknown(line, "", "AWS::StackId is known only after deployment"), nil
	case "AWS::Partition":
		return scalar(partition(s.region), line), nil
	case "AWS::URLSuffix":
		if strings.HasPrefix(s.region, "cn-") {
			return scalar("amazonaws.com.cn", line), nil
		}
		return scalar("amazonaws.com", line), nil
	case "AWS::NoValue":
		return &Value{Kind: noValue, Line: line}, nil
	case "AWS::NotificationARNs":
		return unknown(line, "", "AWS::NotificationARNs is set at deploy time"), nil
	}
	return nil, s.errf(line, "unresolved-reference", "unknown pseudo parameter %s", name)
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// props evaluates a resource's Properties once.
func (s *stack) props(r *resource, depth int) (*Value, error) {
	if r.props != nil || r.propsErr != nil {
		return r.props, r.propsErr
	}
	if r.busy {
		return nil, s.errf(r.line, "bad-template", "circular reference through %s", r.logical)
	}
	r.busy = true
	saved := s.cur
	s.cur = r.logical
	p, err := s.eval(r.raw.Get("Properties"), depth+1)
	s.cur = saved
	r.busy = false
	if err != nil {
		r.propsErr = err
		return nil, err
	}
	if p == nil || p.Kind == Null {
		p = newMap(r.line)
	}
	if p.Kind != Map {
		if p.Kind == Unknown {
			u := p
			p = newMap(r.line)
			p.set("*", u)
		} else {
			r.propsErr = diag.Errorf(s.file, r.line, "bad-template", "Properties must be a map")
			r.propsErr.(*diag.Error).Resource = r.id
			return nil, r.propsErr
		}
	}
	r.props = p
	return p, nil
}

// propOf evaluates one property of a resource, for Fn::GetAtt: only that
// property, so that two resources naming each other's attributes do not
// make a false cycle.
func (s *stack) propOf(r *resource, key string, depth int) (*Value, error) {
	if r.props != nil {
		return r.props.Get(key), nil
	}
	raw := r.raw.Get("Properties").Get(key)
	if raw == nil {
		return nil, nil
	}
	if r.busyKeys == nil {
		r.busyKeys = map[string]bool{}
	}
	if v, ok := r.propCache[key]; ok {
		return v, nil
	}
	if r.busyKeys[key] {
		return nil, s.errf(raw.Line, "bad-template", "circular reference through %s.%s", r.logical, key)
	}
	r.busyKeys[key] = true
	defer delete(r.busyKeys, key)
	saved := s.cur
	s.cur = r.logical
	defer func() { s.cur = saved }()
	v, err := s.eval(raw, depth+1)
	if err != nil {
		return nil, err
	}
	if r.propCache == nil {
		r.propCache = map[string]*Value{}
	}
	r.propCache[key] = v
	return v, nil
}

// getAtt resolves Fn::GetAtt in both forms.
func (s *stack) getAtt(arg *Value, line, depth int) (*Value, error) {
	var name, attr string
	switch {
	case arg != nil && arg.Kind == Scalar:
		var ok bool
		name, attr, ok = strings.Cut(arg.S, ".")
		if !ok {
			return nil, s.errf(line, "bad-template", "Fn::GetAtt %q: want Resource.Attribute", arg.S)
		}
	case arg != nil && arg.Kind == List && len(arg.L) == 2:
		n, err := s.evalScalar("Fn::GetAtt", arg.L[0], depth)
		if err != nil {
			return nil, err
		}
		a, err := s.evalScalar("Fn::GetAtt", arg.L[1], depth)
		if err != nil {
			return nil, err
		}
		if n.Kind == Unknown || a.Kind == Unknown {
			return unknown(line, "", "Fn::GetAtt with an unknown name"), nil
		}
		name, attr = n.S, a.S
	default:
		return nil, s.errf(line, "bad-template", "Fn::GetAtt wants [Resource, Attribute] or \"Resource.Attribute\"")
	}
	return s.attribute(name, attr, line, depth)
}

func (s *stack) attribute(name, attr string, line, depth int) (*Value, error) {
	r, ok := s.resources[name]
	if !ok {
		return nil, s.errf(line, "unresolved-reference", "Fn::GetAtt %s.%s: no resource %s", name, attr, name)
	}
	if r.cond == triFalse {
		return unknown(line, r.id, "Fn::GetAtt %s.%s: %s is not deployed (condition %s is false)", name, attr, name, r.condWhy), nil
	}
	later := func() (*Value, error) {
		return unknown(line, r.id, "%s.%s is known only after deployment", r.id, attr), nil
	}
	id := &Value{Kind: Scalar, S: r.id, Line: line, Of: r.id}
	prop := func(keys ...string) (*Value, error) {
		for _, k := range keys {
			x, err := s.propOf(r, k, depth)
			if err != nil {
				return nil, err
			}
			if x != nil && x.Kind != Null && x.Kind != noValue {
				return x, nil
			}
		}
		return later()
	}
	if r.typ == "AWS::CloudFormation::Stack" && strings.HasPrefix(attr, "Outputs.") {
		return s.r.nestedOutput(s, r, strings.TrimPrefix(attr, "Outputs."), line, depth)
	}
	switch r.typ + "." + attr {
	case "AWS::EC2::VPC.CidrBlock", "AWS::EC2::Subnet.CidrBlock":
		return prop("CidrBlock")
	case "AWS::EC2::VPC.DefaultSecurityGroup":
		return scalar(r.id+defaultSGSuffix, line), nil
	case "AWS::EC2::VPC.DefaultNetworkAcl":
		return scalar(r.id+defaultACLSuffix, line), nil
	case "AWS::EC2::VPC.VpcId", "AWS::EC2::Subnet.SubnetId", "AWS::EC2::SecurityGroup.GroupId",
		"AWS::EC2::EIP.AllocationId", "AWS::EC2::NetworkInterface.Id", "AWS::EC2::InternetGateway.InternetGatewayId",
		"AWS::EC2::NatGateway.NatGatewayId", "AWS::EC2::RouteTable.RouteTableId", "AWS::EC2::NetworkAcl.Id",
		"AWS::EC2::TransitGateway.Id", "AWS::EC2::TransitGatewayAttachment.Id", "AWS::EC2::TransitGatewayVpcAttachment.Id",
		"AWS::EC2::TransitGatewayRouteTable.TransitGatewayRouteTableId", "AWS::EC2::VPCEndpoint.Id",
		"AWS::EC2::PrefixList.PrefixListId", "AWS::EC2::LaunchTemplate.LaunchTemplateId", "AWS::EC2::Instance.InstanceId",
		"AWS::EC2::VPCPeeringConnection.Id", "AWS::EC2::VPNGateway.VPNGatewayId", "AWS::EC2::CustomerGateway.CustomerGatewayId",
		"AWS::EC2::VPNConnection.VpnConnectionId", "AWS::EC2::DHCPOptions.DhcpOptionsId", "AWS::EC2::EgressOnlyInternetGateway.Id",
		"AWS::EC2::ClientVpnEndpoint.Id", "AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerArn",
		"AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn", "AWS::ElasticLoadBalancingV2::Listener.ListenerArn",
		"AWS::Route53Resolver::ResolverEndpoint.ResolverEndpointId", "AWS::Route53Resolver::ResolverRule.ResolverRuleId",
		"AWS::Route53Resolver::ResolverRule.Arn", "AWS::Route53::HostedZone.Id", "AWS::Route53Resolver::ResolverRuleAssociation.ResolverRuleAssociationId",
		"AWS::EC2::SecurityGroup.Id", "AWS::EC2::Subnet.Id", "AWS::EC2::VPC.Id", "AWS::EC2::RouteTable.Id":
		return id, nil
	case "AWS::EC2::SecurityGroup.VpcId", "AWS::EC2::Subnet.VpcId":
		return prop("VpcId")
	case "AWS::EC2::Subnet.AvailabilityZone":
		return prop("AvailabilityZone")
	case "AWS::EC2::Subnet.Ipv6CidrBlocks":
		x, err := s.propOf(r, "Ipv6CidrBlock", depth)
		if err != nil {
			return nil, err
		}
		if x != nil && x.Kind == Scalar {
			return &Value{Kind: List, Line: line, L: []*Value{x}}, nil
		}
		return later()
	case "AWS::EC2::Instance.PrivateIp":
		x, err := s.propOf(r, "PrivateIpAddress", depth)
		if err != nil {
			return nil, err
		}
		if x != nil && (x.Kind == Scalar || x.Kind == Unknown) {
			return x, nil
		}
		nis, err := s.propOf(r, "NetworkInterfaces", depth)
		if err != nil {
			return nil, err
		}
		if nis != nil && nis.Kind == List {
			for _, ni := range nis.L {
				if d := ni.Get("DeviceIndex"); d != nil && d.Kind == Scalar && strings.TrimSpace(d.S) == "0" {
					if x := ni.Get("PrivateIpAddress"); x != nil && x.Kind != Null {
						return x, nil
					}
				}
			}
		}
		return later()
	case "AWS::EC2::Instance.AvailabilityZone":
		return prop("AvailabilityZone")
	case "AWS::EC2::NetworkInterface.PrimaryPrivateIpAddress":
		return prop("PrivateIpAddress")
	case "AWS::EC2::VPNConnection.TransitGatewayAttachmentId":
		return scalar(r.id+"/TransitGatewayAttachment", line), nil
	case "AWS::EC2::LaunchTemplate.LatestVersionNumber", "AWS::EC2::LaunchTemplate.DefaultVersionNumber":
		return scalar("1", line), nil
	case "AWS::ElasticLoadBalancingV2::LoadBalancer.SecurityGroups":
		return prop("SecurityGroups")
	case "AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerName", "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupName":
		return prop("Name")
	case "AWS::NetworkFirewall::Firewall.EndpointIds":
		// ["us-east-1a:vpce-…", …], in no particular order, known only
		// after deployment.
		u := unknown(line, r.id, "%s.EndpointIds are known only after deployment", r.id)
		u.fw = &fwSelect{Firewall: r.id, Index: -1}
		return u, nil
	case "AWS::NetworkFirewall::VpcEndpointAssociation.EndpointId":
		u := unknown(line, r.id, "%s.EndpointId is known only after deployment", r.id)
		if x, err := s.propOf(r, "FirewallArn", depth); err == nil && x != nil && x.Kind == Scalar {
			u.fw = &fwSelect{Firewall: x.S, Index: -1, Association: r.id}
		}
		return u, nil
	case "AWS::NetworkFirewall::Firewall.FirewallArn", "AWS::NetworkFirewall::FirewallPolicy.FirewallPolicyArn",
		"AWS::NetworkFirewall::RuleGroup.RuleGroupArn":
		return id, nil
	case "AWS::EC2::VPCEndpoint.NetworkInterfaceIds", "AWS::EC2::VPCEndpoint.DnsEntries",
		"AWS::EC2::VPC.Ipv6CidrBlocks", "AWS::EC2::VPC.CidrBlockAssociations":
		return unknown(line, r.id, "%s.%s is known only after deployment", r.id, attr), nil
	}
	return later()
}

// sub resolves Fn::Sub in both forms.
func (s *stack) sub(arg *Value, line, depth int) (*Value, error) {
	var tmpl *Value
	vars := map[string]*Value{}
	switch {
	case arg != nil && arg.Kind == Scalar:
		tmpl = arg
	case arg != nil && arg.Kind == List && len(arg.L) == 2 && arg.L[1].Kind == Map:
		t, err := s.evalScalar("Fn::Sub", arg.L[0], depth)
		if err != nil {
			return nil, err
		}
		if t.Kind == Unknown {
			return t, nil
		}
		tmpl = t
		for _, k := range arg.L[1].Keys {
			x, err := s.eval(arg.L[1].M[k], depth)
			if err != nil {
				return nil, err
			}
			vars[k] = x
		}
	case arg != nil && arg.Kind == List && len(arg.L) == 1:
		return s.sub(arg.L[0], line, depth)
	case arg != nil && arg.Kind == Map:
		// Fn::Sub of a function (Fn::Transform): evaluate, then substitute.
		x, err := s.eval(arg, depth)
		if err != nil {
			return nil, err
		}
		if x.Kind == Scalar || x.Kind == Unknown {
			if x.Kind == Unknown {
				return x, nil
			}
			return s.sub(x, line, depth)
		}
		return nil, s.errf(line, "bad-template", "Fn::Sub wants a string or [string, {variables}]")
	default:
		return nil, s.errf(line, "bad-template", "Fn::Sub wants a string or [string, {variables}]")
	}
	str := tmpl.S
	var b strings.Builder
	for {
		i := strings.Index(str, "${")
		if i < 0 {
			b.WriteString(str)
			break
		}
		b.WriteString(str[:i])
		j := strings.IndexByte(str[i:], '}')
		if j < 0 {
			b.WriteString(str[i:])
			break
		}
		name := strings.TrimSpace(str[i+2 : i+j])
		str = str[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		var x *Value
		var err error
		if v, ok := vars[name]; ok {
			x = v
		} else if res, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
			if _, isParam := s.params[name]; isParam {
				x, err = s.ref(name, line, depth)
			} else {
				x, err = s.attribute(res, attr, line, depth)
			}
		} else {
			x, err = s.ref(name, line, depth)
		}
		if err != nil {
			return nil, err
		}
		switch {
		case x == nil:
		case x.Kind == Unknown:
			return unknown(line, x.Of, "%s", x.S), nil
		case x.Kind == Scalar:
			b.WriteString(x.S)
		case x.Kind == List:
			// A list parameter in Fn::Sub: CloudFormation rejects it.
			return nil, s.errf(line, "bad-template", "Fn::Sub: ${%s} is a list, not a string", name)
		case x.Kind == noValue:
		default:
			return nil, s.errf(line, "bad-template", "Fn::Sub: ${%s} is %s, not a string", name, x.describe())
		}
	}
	return scalar(b.String(), line), nil
}

func (s *stack) findInMap(arg *Value, line, depth int) (*Value, error) {
	a, err := s.args("Fn::FindInMap", arg, line, 3, 4)
	if err != nil {
		return nil, err
	}
	var def *Value
	if len(a) == 4 {
		o := a[3]
		if o.Kind != Map || o.Get("DefaultValue") == nil {
			return nil, s.errf(line, "bad-template", "Fn::FindInMap's fourth argument must be {DefaultValue: ...}")
		}
		def = o.Get("DefaultValue")
	}
	keys := make([]string, 3)
	for i := 0; i < 3; i++ {
		k, err := s.evalScalar("Fn::FindInMap", a[i], depth)
		if err != nil {
			return nil, err
		}
		if k.Kind == Unknown {
			return unknown(line, "", "Fn::FindInMap with an unknown key: %s", k.S), nil
		}
		keys[i] = k.S
	}
	x := s.mappings.Get(keys[0]).Get(keys[1]).Get(keys[2])
	if x == nil {
		if def != nil {
			return s.eval(def, depth)
		}
		return nil, s.errf(line, "unresolved-reference", "Fn::FindInMap: no %s > %s > %s in Mappings", keys[0], keys[1], keys[2])
	}
	return s.eval(x, depth)
}

// condition evaluates a named condition.
func (s *stack) condition(name string, line, depth int) (tri, error) {
	if c, ok := s.condCache[name]; ok {
		return c, nil
	}
	raw := s.conditions.Get(name)
	if raw == nil {
		return 0, s.errf(line, "unresolved-reference", "no condition named %s", name)
	}
	if s.condBusy[name] {
		return 0, s.errf(raw.Line, "bad-template", "condition %s refers to itself", name)
	}
	s.condBusy[name] = true
	c, err := s.condExpr(raw, depth+1)
	delete(s.condBusy, name)
	if err != nil {
		return 0, err
	}
	s.condCache[name] = c
	return c, nil
}

// condExpr evaluates a condition function.
func (s *stack) condExpr(v *Value, depth int) (tri, error) {
	if depth > maxEvalDepth {
		return 0, s.errf(v.Line, "bad-template", "conditions nest deeper than %d levels", maxEvalDepth)
	}
	if k, arg, ok := v.single(); ok {
		switch k {
		case "Condition":
			if arg.Kind != Scalar {
				return 0, s.errf(v.Line, "bad-template", "Condition wants a condition name")
			}
			return s.condition(arg.S, v.Line, depth)
		case "Fn::Equals":
			a, err := s.args(k, arg, v.Line, 2, 2)
			if err != nil {
				return 0, err
			}
			x, err := s.eval(a[0], depth)
			if err != nil {
				return 0, err
			}
			y, err := s.eval(a[1], depth)
			if err != nil {
				return 0, err
			}
			if x.firstUnknown() != nil || y.firstUnknown() != nil {
				return triUnknown, nil
			}
			return triOf(equal(x, y)), nil
		case "Fn::Not":
			a, err := s.args(k, arg, v.Line, 1, 1)
			if err != nil {
				return 0, err
			}
			c, err := s.condExpr(a[0], depth+1)
			if err != nil {
				return 0, err
			}
			switch c {
			case triTrue:
				return triFalse, nil
			case triFalse:
				return triTrue, nil
			}
			return triUnknown, nil
		case "Fn::And", "Fn::Or":
			a, err := s.args(k, arg, v.Line, 1, 10)
			if err != nil {
				return 0, err
			}
			and := k == "Fn::And"
			res := triOf(and)
			for _, x := range a {
				c, err := s.condExpr(x, depth+1)
				if err != nil {
					return 0, err
				}
				switch {
				case c == triUnknown:
					res = triUnknown
				case and && c == triFalse, !and && c == triTrue:
					return c, nil
				}
			}
			return res, nil
		}
	}
	x, err := s.eval(v, depth)
	if err != nil {
		return 0, err
	}
	if x.Kind == Unknown {
		return triUnknown, nil
	}
	if x.Kind == Scalar {
		if b, ok := boolOf(x.S); ok {
			return triOf(b), nil
		}
	}
	return 0, s.errf(v.Line, "bad-template", "a condition must be a condition function, got %s", x.describe())
}

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}
