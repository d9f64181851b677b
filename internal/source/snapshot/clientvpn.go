package snapshot

import (
	"encoding/json"

	"github.com/vpcreach/vpcreach/internal/model"
)

func init() {
	listKeys["ClientVpnEndpoints"] = handle("Client VPN endpoints (describe-client-vpn-endpoints)", (*reader).clientVPNEndpoint)
	listKeys["ClientVpnTargetNetworks"] = handle("Client VPN target networks", (*reader).clientVPNTargetNetwork)
	listKeys["AuthorizationRules"] = handle("Client VPN authorization rules", (*reader).clientVPNAuthRule)
	mergedHandlers = append(mergedHandlers, mergedClientVPNRoutes)
}

type clientVPNEndpointJSON struct {
	ClientVpnEndpointId string
	ClientCidrBlock     string
	DnsServers          []string
	SplitTunnel         bool
	VpcId               string
	SecurityGroupIds    []string
	TransportProtocol   string
	VpnPort             flexInt
	DnsName             string
	Status              *statusCode
	Tags                []tag
}

func (r *reader) clientVPNEndpoint(v *clientVPNEndpointJSON, o model.Origin) error {
	if v.ClientVpnEndpointId == "" {
		return r.shapeErr(o, "", errMissing("ClientVpnEndpointId"))
	}
	vpnPort, err := portOf("VpnPort", v.VpnPort)
	if err != nil {
		return r.shapeErr(o, v.ClientVpnEndpointId, err)
	}
	e := &model.ClientVPNEndpoint{Meta: r.meta(v.ClientVpnEndpointId, o, v.Tags, "", ""), SplitTunnel: v.SplitTunnel,
		VPCID: v.VpcId, SecurityGroupIDs: v.SecurityGroupIds, TransportProtocol: v.TransportProtocol,
		VPNPort: vpnPort, DNSName: v.DnsName}
	if e.TransportProtocol == "" {
		e.TransportProtocol = "udp"
	}
	if e.VPNPort == 0 {
		e.VPNPort = 443
	}
	if v.Status != nil {
		e.Status = v.Status.Code
	}
	if v.ClientCidrBlock != "" {
		if e.ClientCIDR, err = parsePrefix("ClientCidrBlock", v.ClientCidrBlock); err != nil {
			return r.shapeErr(o, e.ID, err)
		}
	}
	for _, s := range v.DnsServers {
		a, err := parseAddr("DnsServers", s)
		if err != nil {
			return r.shapeErr(o, e.ID, err)
		}
		e.DNSServers = append(e.DNSServers, a)
	}
	put(r, &r.n.ClientVPNEndpoints, e)
	return nil
}

// withEndpoint runs fn on a Client VPN endpoint once every file is read.
func (r *reader) withEndpoint(id string, o model.Origin, what string, fn func(*model.ClientVPNEndpoint)) {
	r.deferred = append(r.deferred, func() {
		e, ok := r.n.ClientVPNEndpoints.Get(id)
		if !ok {
			r.n.Warnf("dangling-reference", o, id, "%s of Client VPN endpoint %s, which is not in the sources", what, id)
			return
		}
		fn(e)
	})
}

type clientVPNTargetNetworkJSON struct {
	AssociationId       string
	ClientVpnEndpointId string
	TargetNetworkId     string
	VpcId               string
	Status              *statusCode
}

func (r *reader) clientVPNTargetNetwork(v *clientVPNTargetNetworkJSON, o model.Origin) error {
	if v.ClientVpnEndpointId == "" {
		return r.shapeErr(o, "", errMissing("ClientVpnEndpointId"))
	}
	tn := model.ClientVPNTargetNetwork{AssociationID: v.AssociationId, SubnetID: v.TargetNetworkId, VPCID: v.VpcId, Origin: o}
	if v.Status != nil {
		tn.Status = v.Status.Code
		if tn.Status == "disassociated" {
			return nil
		}
	}
	r.withEndpoint(v.ClientVpnEndpointId, o, "target network", func(e *model.ClientVPNEndpoint) {
		for _, x := range e.TargetNetworks {
			if x.AssociationID != "" && x.AssociationID == tn.AssociationID {
				return
			}
		}
		e.TargetNetworks = append(e.TargetNetworks, tn)
	})
	return nil
}

type clientVPNAuthRuleJSON struct {
	ClientVpnEndpointId string
	DestinationCidr     string
	AccessAll           bool
	GroupId             string
	Status              *statusCode
}

func (r *reader) clientVPNAuthRule(v *clientVPNAuthRuleJSON, o model.Origin) error {
	if v.ClientVpnEndpointId == "" {
		return r.shapeErr(o, "", errMissing("ClientVpnEndpointId"))
	}
	rule := model.ClientVPNAuthorizationRule{AccessAll: v.AccessAll, GroupID: v.GroupId, Origin: o}
	if v.Status != nil {
		rule.Status = v.Status.Code
	}
	var err error
	if rule.Destination, err = parsePrefix("DestinationCidr", v.DestinationCidr); err != nil {
		return r.shapeErr(o, v.ClientVpnEndpointId, err)
	}
	r.withEndpoint(v.ClientVpnEndpointId, o, "authorization rule", func(e *model.ClientVPNEndpoint) {
		e.AuthorizationRules = append(e.AuthorizationRules, rule)
	})
	return nil
}

// mergedClientVPNRoutes reads describe-client-vpn-routes output: {"Routes":
// [...]} whose routes name their endpoint (or merged with {"ClientVpnEndpointId"}).
func mergedClientVPNRoutes(r *reader, m map[string]json.RawMessage, o model.Origin) error {
	raw, ok := m["Routes"]
	if !ok {
		return nil
	}
	var routes []struct {
		ClientVpnEndpointId string
		DestinationCidr     string
		TargetSubnet        string
		Type                string
		Status              *statusCode
	}
	if json.Unmarshal(raw, &routes) != nil {
		return nil // not Client VPN routes: left for the unknown-key warning
	}
	endpoint := str(m, "ClientVpnEndpointId")
	isCVPN := endpoint != ""
	for _, x := range routes {
		if x.ClientVpnEndpointId != "" {
			isCVPN = true
		}
	}
	if !isCVPN {
		return nil
	}
	delete(m, "Routes")
	delete(m, "ClientVpnEndpointId")
	for i, x := range routes {
		ro := model.Origin{File: o.File, Path: joinPath(o.Path, "Routes["+itoa(i)+"]"), Line: o.Line}
		id := x.ClientVpnEndpointId
		if id == "" {
			id = endpoint
		}
		route := model.ClientVPNRoute{TargetSubnet: x.TargetSubnet, Type: x.Type, Origin: ro}
		if x.Status != nil {
			route.Status = x.Status.Code
		}
		var err error
		if route.Destination, err = parsePrefix("DestinationCidr", x.DestinationCidr); err != nil {
			return r.shapeErr(ro, id, err)
		}
		r.withEndpoint(id, ro, "route", func(e *model.ClientVPNEndpoint) { e.Routes = append(e.Routes, route) })
	}
	return nil
}
