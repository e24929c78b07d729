package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyslot/keyslot/internal/version"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// configHelp explains, in every server subcommand's --help, where settings
// come from, using key (one of the subcommand's own) as the example.
func configHelp(key string) string {
	return `Every setting below can come from, highest precedence first: its flag, a
KEYSLOT_* environment variable (key ` + key + ` is ` + envName(key) + `), the
YAML file named by --config or KEYSLOT_CONFIG, or the default shown. Keys
carry redis.conf's names where Redis has them. Booleans take yes or no (or
true or false); sizes take Redis's units (100k, 1kb, 512mb, 1gb); durations
take 10s, 1m30s or whole seconds. An unknown key in the file or the
environment, or a value out of range, stops start-up with an error naming it.`
}

// run executes the command line args and returns the exit status: 0 on
// success, 1 on any error, which it prints to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCommand(version.Version, stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	msg := " " + strings.TrimRight(err.Error(), "\n")
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) && strings.Contains(msg, "\n") {
		// Several problems at once (errors.Join): one per line.
		msg = "\n " + strings.ReplaceAll(msg, "\n", "\n  ")
	}
	fmt.Fprintf(stderr, "%s:%s\n", cmd.CommandPath(), msg)
	var ue *usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return 1
}

// newRootCommand builds the keyslot command tree. Output goes to stdout and
// stderr rather than the process's own, so tests can run it.
func newRootCommand(version string, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "keyslot",
		Short: "A Redis Cluster proxy and Redis-compatible node in one binary",
		Long: `keyslot is a Redis Cluster proxy and a Redis-compatible storage node in one
binary. Run "keyslot local" for a whole cluster and proxy on this machine.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	root.AddCommand(
		newNodeCommand(),
		newProxyCommand(),
		newLocalCommand(stdout),
		newVersionCommand(version),
		newHealthCommand(),
	)
	return root
}

// usageError is a mistake in the command line itself (an unknown flag, a
// flag value that does not parse, a stray argument), as opposed to a
// failure while running.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

func (e *usageError) Unwrap() error { return e.err }

// noArgs rejects positional arguments. It matters for yes/no flags written
// with a space, whose value must not be mistaken for an argument, and for
// catching "keyslot node 7000" when --port 7000 was meant.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Errorf("unexpected argument %q (settings are flags, e.g. --port 7000)", args[0])}
	}
	return nil
}
