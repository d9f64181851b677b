package lint

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/model"
)

// adminPort is a port used for remote administration or a database.
type adminPort struct {
	proto model.Protocol
	port  uint16
	name  string
}

// adminPorts are the ports that must never face the whole internet.
var adminPorts = []adminPort{
	{model.ProtoTCP, 22, "SSH"},
	{model.ProtoTCP, 23, "Telnet"},
	{model.ProtoTCP, 135, "MS RPC"},
	{model.ProtoTCP, 139, "NetBIOS"},
	{model.ProtoTCP, 445, "SMB"},
	{model.ProtoTCP, 1433, "SQL Server"},
	{model.ProtoTCP, 1521, "Oracle"},
	{model.ProtoTCP, 2375, "Docker"},
	{model.ProtoTCP, 2376, "Docker TLS"},
	{model.ProtoTCP, 2379, "etcd"},
	{model.ProtoTCP, 3306, "MySQL"},
	{model.ProtoTCP, 3389, "RDP"},
	{model.ProtoUDP, 3389, "RDP"},
	{model.ProtoTCP, 5432, "PostgreSQL"},
	{model.ProtoTCP, 5601, "Kibana"},
	{model.ProtoTCP, 5900, "VNC"},
	{model.ProtoTCP, 5984, "CouchDB"},
	{model.ProtoTCP, 5985, "WinRM"},
	{model.ProtoTCP, 5986, "WinRM"},
	{model.ProtoTCP, 6379, "Redis"},
	{model.ProtoTCP, 6443, "Kubernetes API"},
	{model.ProtoTCP, 9042, "Cassandra"},
	{model.ProtoTCP, 9200, "Elasticsearch"},
	{model.ProtoTCP, 9300, "Elasticsearch"},
	{model.ProtoTCP, 10250, "kubelet"},
	{model.ProtoTCP, 11211, "Memcached"},
	{model.ProtoUDP, 11211, "Memcached"},
	{model.ProtoTCP, 27017, "MongoDB"},
}

// openAdminPorts lists the admin ports a rule's protocol and ports cover.
func openAdminPorts(r *model.SGRule) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range adminPorts {
		if !coversAdminPort(r, a.proto, a.port) {
			continue
		}
		s := fmt.Sprintf("%d/%s", a.port, a.name)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// hasAdminPort reports whether a rule covers an admin port
// (openAdminPorts is not empty).
func hasAdminPort(r *model.SGRule) bool {
	for _, a := range adminPorts {
		if coversAdminPort(r, a.proto, a.port) {
			return true
		}
	}
	return false
}

// coversAdminPort reports whether a rule's protocol and ports cover one
// admin port.
func coversAdminPort(r *model.SGRule, proto model.Protocol, port uint16) bool {
	if r.Protocol != model.ProtoAll && r.Protocol != proto {
		return false
	}
	return !r.Protocol.HasPorts() || r.Ports.Contains(port)
}

// describeRule renders a rule as "tcp/22 from 0.0.0.0/0".
func describeRule(r model.SGRule) string {
	var b strings.Builder
	b.WriteString(r.Protocol.String())
	switch {
	case r.Protocol.HasPorts():
		b.WriteString("/" + r.Ports.String())
	case r.Protocol == model.ProtoAll:
		b.WriteString(" traffic")
	}
	if r.Egress {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	b.WriteString(r.Peer.Describe())
	return b.String()
}

// isLoopback reports whether a rule's peer lies inside 127.0.0.0/8 or ::1.
func isLoopback(r model.SGRule) bool {
	if r.Peer.Kind != model.PeerCIDR || !r.Peer.CIDR.IsValid() {
		return false
	}
	a := r.Peer.CIDR.Masked().Addr()
	if a.Is4() {
		return r.Peer.CIDR.Bits() >= 8 && a.IsLoopback()
	}
	return r.Peer.CIDR.Bits() == 128 && a == netip.IPv6Loopback()
}

// loopbackOnly reports whether a group has egress rules and all of them
// point at loopback addresses.
func loopbackOnly(sg *model.SecurityGroup) bool {
	if len(sg.Egress) == 0 {
		return false
	}
	for _, r := range sg.Egress {
		if !isLoopback(r) {
			return false
		}
	}
	return true
}

// companionEgress names an interface that carries the group together with
// another group allowing real egress, or "".
func companionEgress(n *model.Network, sg *model.SecurityGroup) string {
	for _, eni := range n.SecurityGroupMembers(sg.ID) {
		for _, id := range eni.SecurityGroupIDs {
			other, ok := n.SecurityGroups.Get(id)
			if !ok || id == sg.ID || len(other.Egress) == 0 || loopbackOnly(other) {
				continue
			}
			return eni.ID + " also carries " + other.ID + ", which allows " + describeRule(other.Egress[0])
		}
	}
	// Client VPN endpoints put their groups on interfaces the sources
	// may not list.
	for _, e := range n.ClientVPNEndpoints.All() {
		if !slices.Contains(e.SecurityGroupIDs, sg.ID) {
			continue
		}
		for _, id := range e.SecurityGroupIDs {
			other, ok := n.SecurityGroups.Get(id)
			if !ok || id == sg.ID || len(other.Egress) == 0 || loopbackOnly(other) {
				continue
			}
			return e.ID + " also carries " + other.ID + ", which allows " + describeRule(other.Egress[0])
		}
	}
	return ""
}

// standalone reports whether a template rule was written as its own
// AWS::EC2::SecurityGroupEgress/Ingress resource rather than inline: its
// origin names another logical resource than the group.
func standalone(sg *model.SecurityGroup, r model.SGRule) bool {
	p := r.Origin.Path
	if p == "" {
		return false
	}
	for _, own := range []string{sg.Origin.Path, sg.LogicalID} {
		if own == "" {
			continue
		}
		if p == own || strings.HasPrefix(p, own+".") || strings.HasPrefix(p, own+"[") || strings.HasPrefix(p, own+"/") {
			return false
		}
	}
	return true
}

func checkSecurityGroups(n *model.Network, out *findings) {
	for _, sg := range n.SecurityGroups.All() {
		tmpl := fromTemplate(sg) && !sg.IsDefault()
		if tmpl {
			for _, r := range sg.Egress {
				if r.Default {
					out.add(RuleSGImplicitEgress, sg, sg.Origin,
						"%s lists no SecurityGroupEgress, so CloudFormation adds an egress rule allowing %s: every member can open connections anywhere",
						sg.Label(), describeRule(r))
					break
				}
			}
		}
		_, egressUnknown := unknownAbout(&sg.Meta, "egress")
		if len(sg.Egress) == 0 && !egressUnknown && terraformNoDefaultEgress(sg) {
			msg := fmt.Sprintf("%s states no egress and Terraform removes the allow-all egress AWS adds: members open no "+
				"connection out, though they still answer connections their ingress rules allow and reach the Amazon DNS server, "+
				"instance metadata and Time Sync", sg.Label())
			if other := companionEgress(n, sg); other != "" {
				msg += "; but " + other + ", and the egress of all an interface's groups adds up"
			}
			out.add(RuleSGNoEgressTerraform, sg, sg.Origin, "%s", msg)
		}
		if loopbackOnly(sg) && !egressUnknown {
			msg := fmt.Sprintf("%s allows egress only to %s, which removes the default allow-all egress: members send nothing out, "+
				"yet still answer connections their ingress rules allow and still reach the Amazon DNS server, "+
				"instance metadata and Time Sync", sg.Label(), sg.Egress[0].Peer.CIDR)
			if other := companionEgress(n, sg); other != "" {
				msg += "; but " + other + ", and the egress of all an interface's groups adds up"
			}
			out.add(RuleSGLoopbackEgress, sg, originOr(sg.Egress[0].Origin, sg.Origin), "%s", msg)
		}
		if tmpl && len(sg.Egress) > 0 && !egressUnknown {
			var sa []model.SGRule
			inline := false
			for _, r := range sg.Egress {
				switch {
				case r.Default:
					inline = true
				case standalone(sg, r):
					sa = append(sa, r)
				default:
					inline = true
				}
			}
			if !inline && len(sa) > 0 {
				var descs []string
				for _, r := range sa {
					descs = append(descs, describeRule(r)+" ("+r.Origin.Path+")")
				}
				out.add(RuleSGStandaloneEgress, sg, originOr(sa[0].Origin, sg.Origin),
					"%s lists no inline SecurityGroupEgress, but standalone egress rules replace its default allow-all egress: it allows only %s",
					sg.Label(), joinIDs(descs))
			}
		}
		// Rules are read in place: a group may hold thousands, and a
		// copy of each (or of the lists) costs more than the checks.
		for _, rules := range [2][]model.SGRule{sg.Ingress, sg.Egress} {
			for i := range rules {
				if r := &rules[i]; r.PortsIgnored {
					out.add(RuleSGPortsIgnored, sg, originOr(r.Origin, sg.Origin),
						"%s: a rule with protocol %s gives a port range, which AWS ignores: it allows %s on every port",
						sg.Label(), protoName(r.Protocol), describeRule(*r))
				}
			}
		}
		for i := range sg.Ingress {
			r := &sg.Ingress[i]
			world := r.Peer.Kind == model.PeerCIDR && isWorld(r.Peer.CIDR)
			unknown := r.Peer.Kind == model.PeerUnknown
			if !world && !unknown {
				continue
			}
			ports := openAdminPorts(r)
			if len(ports) == 0 {
				continue
			}
			what := "ports " + shortList(ports, 6)
			if len(ports) == 1 {
				what = "port " + ports[0]
			}
			if r.Protocol == model.ProtoAll {
				what = "all traffic, including " + shortList(ports, 4)
			}
			if world {
				out.add(RuleSGAdminPortOpen, sg, originOr(r.Origin, sg.Origin),
					"%s allows %s from %s", sg.Label(), what, r.Peer.CIDR)
			} else {
				out.add(RuleSGAdminPortOpen, sg, originOr(r.Origin, sg.Origin),
					"%s allows %s from %s: if it is 0.0.0.0/0 or ::/0, they face the whole internet",
					sg.Label(), what, r.Peer.Describe())
			}
		}
	}
}

// shortList joins at most max items and says how many more there are.
func shortList(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:max], ", "), len(items)-max)
}

func protoName(p model.Protocol) string {
	if p == model.ProtoAll {
		return "-1 (all)"
	}
	return p.String()
}

// terraformNoDefaultEgress reports whether the group comes from a
// Terraform aws_security_group, which has no egress unless stated.
func terraformNoDefaultEgress(sg *model.SecurityGroup) bool {
	for _, d := range sg.Defaults {
		if strings.Contains(d, "Terraform removes the rule AWS adds") {
			return true
		}
	}
	return false
}
