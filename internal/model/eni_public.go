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
