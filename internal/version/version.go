// Package version says which vpcreach this is, from the build information
// the Go toolchain records in every binary.
package version

import (
	"runtime/debug"
	"sync"
)

// Devel is the version of a build that records neither a module version
// nor a VCS revision (a test binary, `go run` outside a checkout).
const Devel = "devel"

var (
	once    sync.Once
	current string
)

// String returns the version: the module version when vpcreach was
// installed with `go install …@version`, else the VCS revision (with
// "+dirty" for uncommitted changes) when it was built from a checkout,
// else Devel.
func String() string {
	once.Do(func() {
		info, ok := debug.ReadBuildInfo()
		current = fromBuildInfo(info, ok)
	})
	return current
}

// fromBuildInfo picks the version out of the build information.
func fromBuildInfo(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return Devel
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Devel
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}
