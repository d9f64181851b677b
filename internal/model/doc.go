// Package model is vpcreach's vendor-neutral description of an AWS network.
//
// Sources (internal/source/...) fill a Network; analyses (internal/reach,
// internal/dns, internal/lint) read it and never see the input format. The
// model holds what AWS holds, normalised: addresses are net/netip values,
// security-group and NACL rules are protocol + port/ICMP range + peer, and
// every element remembers its Origin (file, JSON path or template line) so
// that errors and explanations can point at it.
//
// Values a source cannot fix (a CloudFormation parameter without value, an
// address AWS picks at deploy time) are recorded as Unknowns on the element
// that holds them. Analyses must widen such values to "any" and turn their
// verdict into possibly-reachable, naming the unknown: never a silent "no".
//
// A Network is built once by its sources, then Finalize links references,
// reports dangling ones as warnings and builds the indexes the analyses use.
// After Finalize it is read-only and safe for concurrent readers.
package model
