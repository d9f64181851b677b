// Package reach is vpcreach's reachability engine: it follows SETS of
// packets through a model.Network the way AWS forwards them, and records,
// as it goes, the evidence for every part of them (which route, which rule,
// which translation, where and why they stop).
//
// # Header space
//
// A Space is a union of Cubes; a Cube is source addresses × destination
// addresses (ipset.Set) × protocols (ProtoSet) × source ports ×
// destination ports (Ranges). For icmp/icmpv6 the destination-port
// dimension holds the ICMP key type<<8|code (ICMPKey, ICMPRanges). Every
// filter (security group, network ACL, route, gateway) splits a Space into
// the part that passes and the parts that stop, so one traversal answers
// for all flows at once: `vpcreach path` is the one-flow case, exposure
// the all-flows case.
//
// Spaces always hold the packets as the source sent them. Translations
// (public IP 1:1 NAT at an internet gateway, NAT gateway SNAT with source
// port remapping) are recorded on the branch and filters after them are
// read through the translation, so an Outcome's Space still says which
// client addresses and source ports work.
//
// # Outcomes
//
// Every question returns []Outcome. Each has a Verdict (Reachable,
// Unreachable, PossiblyReachable), the Space of packets it covers, Hops
// (forward path: component ID, type, what matched, translation) and
// ReturnHops (the reply path: network ACLs again with the reply's ports,
// the reply route back to the gateway the packets came through, reverse
// translations), BlockedBy (component, Reachability Analyzer explanation
// code such as SUBNET_ACL_RESTRICTION, reason) and Reasons (why the
// verdict is only "possibly": an unknown value, an unmodelled target).
// A reachable outcome means the connection opens AND the replies return.
//
// # Asking questions
//
// Build one Engine per network (New) and reuse it; it caches route-table
// regions, security-group member sets and prefix lists, and is safe for
// concurrent use.
//
// One flow (path, DNS checks):
//
//	e := reach.New(net)
//	from, _ := e.Resolve("i-0abc")        // any cli.md REF
//	to, _ := e.Resolve("10.0.0.2")
//	r := e.Flow(ctx, reach.Query{From: from, To: to, Protocol: model.ProtoUDP, DstPort: 53})
//	// r.Verdict, r.Best.Hops, r.Best.ReturnHops, r.Best.BlockedBy, r.SourcePorts
//
// All flows from an edge to an interface (exposure):
//
//	for _, edge := range e.Edges(eni.VPCID) {   // igw, pcx, tgw-attach, vgw
//		for _, o := range e.InboundFrom(edge, eni) {
//			// o.Space: which (source addresses × protocol × destination
//			// ports) can open a connection and get the reply back;
//			// o.Verdict is Reachable or PossiblyReachable (o.Reasons);
//			// o.Hops / o.ReturnHops are the evidence.
//			for _, c := range o.Space { _ = c.Src; _ = c.Proto; _ = c.DstPorts }
//		}
//	}
//
// Flow also answers for load balancers (To is an ELB ARN or name, or one
// of its interfaces): the client reaches a node on a listener's port, then
// the node reaches each registered target on the target's port; the hops
// join both legs. A subnet as source stands for any host in it (its groups
// unknown, so at best possibly-reachable); Result.Services and
// Result.Sources say which protocols/ports and which source addresses work
// when the query asked for several.
//
// Edge.Sources narrows the remote addresses (nil: every public address for
// the internet, the peer VPC's CIDRs for a peering, every address outside
// the VPC for a transit gateway or VPN gateway). InboundAll also returns
// the blocked outcomes. Trace is the general form: any two Endpoints and a
// Cube of packets.
//
// # AWS semantics
//
// Security groups are stateful, allow-only, the union of the interface's
// groups; referenced groups stand for their members' private addresses
// (also in peered VPCs), prefix lists for their entries; both ends' groups
// apply, also inside one subnet. Network ACLs are stateless, first match by
// rule number, evaluated only when packets cross a subnet boundary, and
// again for the reply (its destination port is the client's source port).
// Routing is longest prefix match in the subnet's table (explicit, else
// main), with prefix-list destinations, blackholes, gateway route tables on
// internet and VPN gateways. The Amazon DNS server (VPC base+2,
// 169.254.169.253), instance metadata and Time Sync (and their fd00:ec2::
// forms) are reached without SG or NACL check (R1.8). Anything the sources
// leave unknown on the way makes the outcome PossiblyReachable with the
// reason: the engine never answers "unreachable" without having examined
// every path.
//
// An unknown makes an answer possibly-reachable only if the answer
// depends on it. Unknowns are carried as the sets of values they can
// take, and the verdict is computed over the whole set: an address AWS
// picks at deploy time stands for every address of its subnet, a public
// IPv4 AWS assigns at deploy time for every public IPv4 address (the
// internet gateway maps it 1:1, so nothing after it depends on the value);
// a translated address that is one of a set matches a filter for certain
// only when the filter covers the whole set, not at all when it covers
// none of it, and possibly otherwise (rewrite.preimage). An AWS service's
// prefix list with unknown entries concerns public destinations only; a
// network ACL rule covering only some of the ports a NAT gateway may pick
// makes the flow possibly-reachable; a load balancer whose interfaces a
// template leaves out gets one stand-in node per subnet. Group references
// across a transit gateway match as its security group referencing
// support says (gateway and both VPC attachments), possibly only where
// the sources do not say; replies routed through an appliance are
// possibly-reachable too.
//
// Where AWS decides by a rule, the engine follows the rule, not the order
// of the sources: route priority (longest prefix, then local, static,
// prefix-list, propagated), network ACL rule numbers, the union of
// security groups. An instance that is not running answers nothing.
//
// # Checking the engine
//
// oracle_test.go holds a deliberately naive packet-by-packet evaluator;
// the set engine must agree with it on every sampled packet of hundreds of
// random networks (TestEngineAgreesWithPacketOracle, and the fuzz target
// FuzzEngineAgreesWithPacketOracle). reachtest builds small networks for
// tests in a few lines.
package reach
