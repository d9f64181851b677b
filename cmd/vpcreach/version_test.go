package main

import (
	"encoding/json"
	"testing"

	"github.com/vpcreach/vpcreach/internal/version"
)

func TestVersionPrintsOneLine(t *testing.T) {
	want := "vpcreach " + version.String() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errs := runCLI(t, args...)
		if code != exitOK || out != want {
			t.Errorf("%v: exit %d, printed %q (stderr %q), want %q", args, code, out, errs, want)
		}
	}
}

func TestSARIFDriverVersionIsTheVersion(t *testing.T) {
	for _, cmd := range []string{"lint", "exposure"} {
		code, out, errs := runCLI(t, cmd, exposureTwoTier, "--format", "sarif")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", cmd, code, errs)
		}
		var log struct {
			Runs []struct {
				Tool struct{ Driver struct{ Version string } }
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		if got := log.Runs[0].Tool.Driver.Version; got != version.String() {
			t.Errorf("%s: tool.driver.version %q, want %q", cmd, got, version.String())
		}
	}
}
