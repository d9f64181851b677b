package model

// UnknownPublicIP says why an interface has, or may have, a public IPv4
// whose value is unknown, or "" when it has none of unknown value. A
// template states it on the primary PrivateIP (PublicUnknown) when the
// private address is known, and as a Meta.Unknowns entry with field
// "PublicIp" when the private address is unknown too (PrivateIPs empty:
// an instance in a subnet that maps public IPs on launch). Analyses asking
// "can the internet reach this interface?" must read both.
func (e *NetworkInterface) UnknownPublicIP() string {
	for _, p := range e.PrivateIPs {
		if p.PublicUnknown != "" {
			return p.PublicUnknown
		}
	}
	for _, u := range e.Unknowns {
		if u.Field == "PublicIp" {
			return u.Reason
		}
	}
	return ""
}

// PublicIPValueOnly reports whether the interface's unknown public IPv4 is
// unknown only in value: AWS assigns one for certain (PublicAssigned,
// PublicIPAssigned). The internet reaches the interface the same way
// whatever the address is, so an analysis need not widen its answer for
// it; where the address itself is filtered it ranges over every public
// address.
func (e *NetworkInterface) PublicIPValueOnly() bool {
	for _, p := range e.PrivateIPs {
		if p.PublicUnknown != "" {
			return p.PublicAssigned
		}
	}
	for _, u := range e.Unknowns {
		if u.Field == "PublicIp" {
			return e.PublicIPAssigned
		}
	}
	return false
}
