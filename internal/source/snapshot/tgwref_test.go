package snapshot

import "testing"

// describe-transit-gateways and describe-transit-gateway-vpc-attachments
// record SecurityGroupReferencingSupport in Options; absent, it stays
// unknown ("").
func TestTransitGatewaySecurityGroupReferencingSupport(t *testing.T) {
	n, _ := readFiles(t, map[string]string{
		"tgw.json": `{"TransitGateways": [
			{"TransitGatewayId": "tgw-1", "State": "available", "Options": {"SecurityGroupReferencingSupport": "enable"}},
			{"TransitGatewayId": "tgw-2", "State": "available", "Options": {}}]}`,
		"att.json": `{"TransitGatewayVpcAttachments": [
			{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1", "VpcId": "vpc-1", "State": "available", "Options": {"SecurityGroupReferencingSupport": "disable"}},
			{"TransitGatewayAttachmentId": "tgw-attach-2", "TransitGatewayId": "tgw-1", "VpcId": "vpc-2", "State": "available"}]}`,
	})
	for id, want := range map[string]string{"tgw-1": "enable", "tgw-2": ""} {
		if g, ok := n.TransitGateways.Get(id); !ok || g.SecurityGroupReferencingSupport != want {
			t.Errorf("%s: %+v, want %q", id, g, want)
		}
	}
	for id, want := range map[string]string{"tgw-attach-1": "disable", "tgw-attach-2": ""} {
		if a, ok := n.TGWAttachments.Get(id); !ok || a.SecurityGroupReferencingSupport != want {
			t.Errorf("%s: %+v, want %q", id, a, want)
		}
	}
}
