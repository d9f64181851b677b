package snapshot

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	listKeys["LoadBalancers"] = handle("load balancers (elbv2/elb describe-load-balancers)", (*reader).loadBalancer)
	listKeys["LoadBalancerDescriptions"] = handle("classic load balancers (elb describe-load-balancers)", (*reader).loadBalancer)
	listKeys["TargetGroups"] = handle("target groups (describe-target-groups)", (*reader).targetGroup)
	// Batfish's files: one merged object per load balancer / target group.
	listKeys["LoadBalancerListeners"] = mergedList("load balancer listeners")
	listKeys["LoadBalancerTargetHealth"] = mergedList("target health")
	mergedHandlers = append(mergedHandlers, mergedListeners, mergedTargetHealth, mergedListenerRules)
}

type loadBalancerJSON struct {
	// ELBv2
	LoadBalancerArn       string
	LoadBalancerName      string
	Type                  string
	Scheme                string
	DNSName               string
	CanonicalHostedZoneId string
	VpcId                 string
	IpAddressType         string
	// AvailabilityZones is a list of objects (ELBv2) or of zone names (classic).
	AvailabilityZones json.RawMessage
	SecurityGroups    []string
	// classic
	VPCId                     string
	Subnets                   []string
	CanonicalHostedZoneNameID string
	ListenerDescriptions      []struct {
		Listener struct {
			Protocol         string
			LoadBalancerPort flexInt
			InstanceProtocol string
			InstancePort     flexInt
		}
	}
	Instances []struct{ InstanceId string }
}

func (r *reader) loadBalancer(v *loadBalancerJSON, o model.Origin) error {
	classic := v.LoadBalancerArn == ""
	id := v.LoadBalancerArn
	if classic {
		id = v.LoadBalancerName
	}
	if id == "" {
		return r.shapeErr(o, "", errMissing("LoadBalancerArn"))
	}
	lb := &model.LoadBalancer{Meta: r.meta(id, o, nil, "", ""), LBType: v.Type, Scheme: v.Scheme, DNSName: normName(v.DNSName),
		CanonicalZoneID: v.CanonicalHostedZoneId, VPCID: v.VpcId, IPAddressType: v.IpAddressType,
		SecurityGroupIDs: v.SecurityGroups}
	lb.Name = v.LoadBalancerName
	if region, account := arnScope(v.LoadBalancerArn); region != "" {
		if lb.Region == "" {
			lb.Region = region
		}
		if lb.Account == "" {
			lb.Account = account
		}
	}
	if classic {
		lb.LBType = "classic"
		if lb.VPCID == "" {
			lb.VPCID = v.VPCId
		}
		lb.SubnetIDs = v.Subnets
		lb.CanonicalZoneID = v.CanonicalHostedZoneNameID
		for i, l := range v.ListenerDescriptions {
			if _, err := portOf("LoadBalancerPort", l.Listener.LoadBalancerPort); err != nil {
				return r.shapeErr(o, id, err)
			}
			if _, err := portOf("InstancePort", l.Listener.InstancePort); err != nil {
				return r.shapeErr(o, id, err)
			}
			lb.Listeners = append(lb.Listeners, model.Listener{Protocol: l.Listener.Protocol, Port: uint16(l.Listener.LoadBalancerPort.V),
				InstancePort: uint16(l.Listener.InstancePort.V), InstanceProtocol: l.Listener.InstanceProtocol,
				Origin: model.Origin{File: o.File, Path: o.Path + ".ListenerDescriptions[" + itoa(i) + "]", Line: o.Line}})
		}
		for _, in := range v.Instances {
			lb.InstanceIDs = append(lb.InstanceIDs, in.InstanceId)
		}
	}
	if lb.Scheme == "" {
		lb.Scheme = "internet-facing"
	}
	var azs []lbZone
	if len(v.AvailabilityZones) > 0 && !classic {
		if err := json.Unmarshal(v.AvailabilityZones, &azs); err != nil {
			return r.shapeErr(o, id, &fieldError{msg: "AvailabilityZones: want an array of {ZoneName, SubnetId}"})
		}
	}
	for _, az := range azs {
		if lb.Region == "" {
			lb.Region = regionOfAZ(az.ZoneName)
		}
		if az.SubnetId != "" {
			lb.SubnetIDs = appendNew(lb.SubnetIDs, az.SubnetId)
		}
		for _, a := range az.LoadBalancerAddresses {
			for _, s := range []string{a.IpAddress, a.PrivateIPv4Address, a.IPv6Address} {
				ip, err := parseAddr("IpAddress", s)
				if err != nil {
					return r.shapeErr(o, id, err)
				}
				if ip.IsValid() && !slices.Contains(lb.Addresses, ip) {
					lb.Addresses = append(lb.Addresses, ip)
				}
			}
		}
	}
	put(r, &r.n.LoadBalancers, lb)
	return nil
}

type lbZone struct {
	ZoneName              string
	SubnetId              string
	LoadBalancerAddresses []struct {
		IpAddress          string
		PrivateIPv4Address string
		IPv6Address        string
	}
}

type targetGroupJSON struct {
	TargetGroupArn   string
	TargetGroupName  string
	Protocol         string
	Port             flexInt
	VpcId            string
	TargetType       string
	LoadBalancerArns []string
}

func (r *reader) targetGroup(v *targetGroupJSON, o model.Origin) error {
	if v.TargetGroupArn == "" {
		return r.shapeErr(o, "", errMissing("TargetGroupArn"))
	}
	port, err := portOf("Port", v.Port)
	if err != nil {
		return r.shapeErr(o, v.TargetGroupArn, err)
	}
	tg := &model.TargetGroup{Meta: r.meta(v.TargetGroupArn, o, nil, "", ""), Protocol: v.Protocol, Port: port,
		VPCID: v.VpcId, TargetType: v.TargetType, LoadBalancerARNs: v.LoadBalancerArns}
	tg.Name = v.TargetGroupName
	if region, account := arnScope(v.TargetGroupArn); region != "" {
		if tg.Region == "" {
			tg.Region = region
		}
		if tg.Account == "" {
			tg.Account = account
		}
	}
	if tg.TargetType == "" {
		tg.TargetType = "instance"
	}
	put(r, &r.n.TargetGroups, tg)
	return nil
}

type listenerJSON struct {
	ListenerArn     string
	LoadBalancerArn string
	Port            flexInt
	Protocol        string
	DefaultActions  []struct {
		Type           string
		TargetGroupArn string
		ForwardConfig  *struct {
			TargetGroups []struct{ TargetGroupArn string }
		}
	}
}

// mergedListeners reads describe-listeners output, alone (each listener
// names its load balancer) or merged with {"LoadBalancerArn"}.
func mergedListeners(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	if _, ok := m["Listeners"]; !ok {
		return nil
	}
	lbARN := str(m, "LoadBalancerArn")
	r.sawList("Listeners")
	var ls []listenerJSON
	if _, err := r.take(m, "Listeners", &ls, o); err != nil {
		return err
	}
	delete(m, "LoadBalancerArn")
	for i, l := range ls {
		lo := model.Origin{File: o.File, Path: joinPath(o.Path, "Listeners["+itoa(i)+"]"), Line: o.Line}
		port, err := portOf("Port", l.Port)
		if err != nil {
			return r.shapeErr(lo, l.ListenerArn, err)
		}
		ml := model.Listener{ARN: l.ListenerArn, Protocol: l.Protocol, Port: port, Origin: lo}
		for _, a := range l.DefaultActions {
			ml.TargetGroupARNs = appendNew(ml.TargetGroupARNs, a.TargetGroupArn)
			if a.ForwardConfig != nil {
				for _, t := range a.ForwardConfig.TargetGroups {
					ml.TargetGroupARNs = appendNew(ml.TargetGroupARNs, t.TargetGroupArn)
				}
			}
		}
		arn := l.LoadBalancerArn
		if arn == "" {
			arn = lbARN
		}
		r.deferred = append(r.deferred, func() {
			lb, ok := r.n.LoadBalancers.Get(arn)
			if !ok {
				r.n.Warnf("dangling-reference", lo, arn, "listener of load balancer %s, which is not in the sources", arn)
				return
			}
			for _, x := range lb.Listeners {
				if x.ARN != "" && x.ARN == ml.ARN {
					return
				}
			}
			lb.Listeners = append(lb.Listeners, ml)
		})
	}
	return nil
}

// mergedTargetHealth reads {"TargetGroupArn", "TargetHealthDescriptions"}
// (describe-target-health merged with the group's ARN).
func mergedTargetHealth(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	arn := str(m, "TargetGroupArn")
	if _, ok := m["TargetHealthDescriptions"]; !ok || arn == "" {
		return nil
	}
	var ths []struct {
		Target struct {
			Id               string
			Port             flexInt
			AvailabilityZone string
		}
		TargetHealth *struct{ State string }
	}
	if _, err := r.take(m, "TargetHealthDescriptions", &ths, o); err != nil {
		return err
	}
	delete(m, "TargetGroupArn")
	targets := []model.Target{}
	for _, t := range ths {
		port, err := portOf("Target.Port", t.Target.Port)
		if err != nil {
			return r.shapeErr(o, t.Target.Id, err)
		}
		mt := model.Target{ID: t.Target.Id, Port: port, AvailabilityZone: t.Target.AvailabilityZone}
		if t.TargetHealth != nil {
			mt.Health = t.TargetHealth.State
		}
		targets = append(targets, mt)
	}
	r.deferred = append(r.deferred, func() {
		tg, ok := r.n.TargetGroups.Get(arn)
		if !ok {
			r.n.Warnf("dangling-reference", o, arn, "target health of target group %s, which is not in the sources", arn)
			return
		}
		tg.Targets = targets
		tg.TargetsKnown = true
	})
	return nil
}

// mergedListenerRules reads elbv2 describe-rules output ({"Rules": [...]},
// alone or merged with {"ListenerArn"}): the target groups of each rule's
// forward actions are added to its listener.
func mergedListenerRules(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	raw, ok := m["Rules"]
	if !ok {
		return nil
	}
	var rules []struct {
		RuleArn string
		Actions []struct {
			Type           string
			TargetGroupArn string
			ForwardConfig  *struct {
				TargetGroups []struct{ TargetGroupArn string }
			}
		}
	}
	if json.Unmarshal(raw, &rules) != nil {
		return nil
	}
	listener := str(m, "ListenerArn")
	isELB := listener != ""
	for _, x := range rules {
		if strings.Contains(x.RuleArn, ":listener-rule/") {
			isELB = true
		}
	}
	if !isELB {
		return nil
	}
	delete(m, "Rules")
	delete(m, "ListenerArn")
	for _, x := range rules {
		arn := listener
		if i := strings.LastIndex(x.RuleArn, "/"); arn == "" && i > 0 {
			arn = strings.Replace(x.RuleArn[:i], ":listener-rule/", ":listener/", 1)
		}
		var tgs []string
		for _, a := range x.Actions {
			tgs = appendNew(tgs, a.TargetGroupArn)
			if a.ForwardConfig != nil {
				for _, t := range a.ForwardConfig.TargetGroups {
					tgs = appendNew(tgs, t.TargetGroupArn)
				}
			}
		}
		if len(tgs) == 0 || arn == "" {
			continue
		}
		r.deferred = append(r.deferred, func() {
			for _, lb := range r.n.LoadBalancers.All() {
				for i := range lb.Listeners {
					if lb.Listeners[i].ARN == arn {
						for _, tg := range tgs {
							lb.Listeners[i].TargetGroupARNs = appendNew(lb.Listeners[i].TargetGroupARNs, tg)
						}
						return
					}
				}
			}
			r.n.Warnf("dangling-reference", o, arn, "rules of listener %s, which is not in the sources", arn)
		})
	}
	return nil
}
