package snapshot

// SetOnePass turns the one-pass decoder on or off, for tests comparing it
// with encoding/json.
func SetOnePass(on bool) { onePass = on }
