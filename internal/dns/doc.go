// Package dns answers what a name resolves to from a place in the modelled
// network, which server answers, and whether that server can be reached.
//
// It reproduces the Amazon-provided DNS server (Route 53 Resolver) as
// ../shared/spec/aws-behaviour.md describes it: the server is chosen from the
// VPC's DHCP option set (R7), Amazon DNS needs no network path (R1.8) but
// needs enableDnsSupport (R1.5), DNS Firewall runs first (R2.10), then the
// VPC's rule set decides (R2.2-R2.5): custom FORWARD and SYSTEM rules, one
// autodefined rule per associated private hosted zone and per interface
// endpoint with private DNS (R4.2), the EC2 names (R3), reverse and
// localhost zones, and the "." rule for everything else.
//
// A Resolver indexes a finalized model.Network once; Resolve is then cheap
// and safe for concurrent use. Network paths (to a custom DNS server, to a
// forwarding rule's targets) are asked of a Reacher, so the package never
// depends on the path engine's internals. Answers the sources cannot give
// (public DNS, a server outside the model) are UNKNOWN, never guessed.
package dns
