// Command vpcreach analyses AWS VPC networks offline: reachability, exposure,
// DNS resolution and configuration pitfalls, from CloudFormation templates
// and AWS API snapshots.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcreach/vpcreach/internal/diag"
	"github.com/vpcreach/vpcreach/internal/version"
)

func main() {
	ctx, stop := signalContext(os.Stderr)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses (cli.md): 0 the command ran; 1 an unwanted answer under
// --fail-on or --expect; 2 bad usage or input that cannot be read.
const (
	exitOK    = 0
	exitGate  = 1
	exitUsage = 2
)

// gateError turns an unwanted answer into exit status 1.
type gateError struct{ msg string }

func (e *gateError) Error() string { return e.msg }

// usageError is bad usage: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// execute runs the command line and returns the exit status. A run whose
// context a signal cancelled (see signalContext) exits 128 + the signal's
// number, and says whether anything of the answer had been written.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	st := &runState{}
	ctx = context.WithValue(ctx, runStateKey{}, st)
	root := newRootCmd(&stopWriter{ctx: ctx, w: stdout, st: st}, stderr)
	root.SetArgs(args)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		// Every stage looks at the context; should one be slow to, the
		// answer is not waited for (stdout refuses it already). A server
		// that a signal stops is waited for: it shuts down cleanly.
		if st.signalStops.Load() {
			err = <-done
			break
		}
		select {
		case err = <-done:
		case <-time.After(gracePeriod):
			if in, ok := signalExit(ctx); ok {
				fmt.Fprintf(stderr, "vpcreach: %v: stopped without waiting for the work under way; no answer was written\n", in)
				return in.exitCode()
			}
			err = <-done
		}
	}
	if in, ok := signalExit(ctx); ok && !(err == nil && st.signalStops.Load()) {
		if st.wrote.Load() {
			fmt.Fprintf(stderr, "vpcreach: %v: the output above is incomplete\n", in)
		} else {
			fmt.Fprintf(stderr, "vpcreach: %v: no answer was written\n", in)
		}
		return in.exitCode()
	}
	if err == nil {
		return exitOK
	}
	var gate *gateError
	if errors.As(err, &gate) {
		fmt.Fprintln(stderr, "vpcreach:", err)
		return exitGate
	}
	if diag.IsInput(err) {
		var de *diag.Error
		errors.As(err, &de)
		fmt.Fprintln(stderr, "vpcreach:", de.Error())
		return exitUsage
	}
	fmt.Fprintln(stderr, "vpcreach:", err)
	return exitUsage
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "vpcreach",
		Short: "Offline reachability, exposure and DNS analysis of AWS VPC networks",
		Long: `vpcreach answers, offline and in milliseconds, what AWS answers online per query:
what is reachable from the internet and from where, whether A can talk to B and
what stops it, what a name resolves to from a given place, and what a
CloudFormation template really deploys.

SOURCE is a snapshot folder of AWS API output (the Batfish layout, or what
'vpcreach collect' writes), a single JSON file of such output, or a
CloudFormation template (.yaml, .yml, .json, .template). Several SOURCEs merge
into one network. A SOURCE that holds nothing vpcreach reads (an empty folder,
unrelated JSON, a Terraform plan, a folder of templates) is an error, exit 2.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.String(),
	}
	root.SetVersionTemplate("vpcreach {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		newInventoryCmd(),
		newExposureCmd(),
		newDiffCmd(),
		newPathCmd(),
		newDiagramCmd(),
		newReportCmd(),
		newCheckCmd(),
		newDNSCmd(),
		newServeDNSCmd(),
		newLintCmd(),
		newCollectCmd(),
		newGenerateCmd(),
		newVersionCmd(),
	)
	return root
}

// notBuilt is the answer of a command that exists in the contract but not
// yet in this build.
func notBuilt(name string) error {
	return usagef("%s is not built yet in this version of vpcreach", name)
}

// newVersionCmd is `vpcreach version`, the same line as --version.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of vpcreach",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "vpcreach %s\n", version.String())
			return err
		},
	}
}
