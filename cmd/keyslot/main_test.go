package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/keyslot/keyslot/internal/version"
)

// runArgs runs the command line and returns its exit status and output.
func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	code, out, errOut := runArgs(t, "version")
	want := "keyslot " + version.Version + "\n" +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n" +
		"Redis " + version.Redis + " compatible\n"
	if code != 0 || out != want || errOut != "" {
		t.Fatalf("version = %d, %q, %q; want 0, %q", code, out, errOut, want)
	}
}

// --help of each server subcommand lists every key as a flag, with its
// default, and explains where settings come from.
func TestHelp(t *testing.T) {
	tests := []struct {
		cmd      string
		add      func(*pflag.FlagSet)
		defaults []string // and other text --help must show
	}{
		{"node", addNodeFlags, []string{"KEYSLOT_PROTO_MAX_BULK_LEN", "(default 6379)", "(default 512mb)", "(default no)", `(default "127.0.0.1")`, "(default 10s)", `(default "json")`}},
		{"proxy", addProxyFlags, []string{"KEYSLOT_PROTO_MAX_BULK_LEN", "(default [127.0.0.1:7000])", `(default ":9121")`, "(default 512mb)"}},
		{"local", addLocalFlags, []string{"KEYSLOT_BASE_PORT", "(default 3)", "(default 7000)", "(default 7100)", `(default "127.0.0.1:9121")`, `(default "console")`}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			code, out, _ := runArgs(t, tt.cmd, "--help")
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			newFlagSet(tt.add).VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(out, "--"+f.Name+" ") {
					t.Errorf("help does not list --%s", f.Name)
				}
			})
			for _, d := range append(tt.defaults, "KEYSLOT_CONFIG", "--config") {
				if !strings.Contains(out, d) {
					t.Errorf("help does not mention %s", d)
				}
			}
		})
	}
	code, out, _ := runArgs(t, "--help")
	for _, sub := range []string{"node", "proxy", "local", "version", "health"} {
		if !strings.Contains(out, "\n  "+sub+" ") {
			t.Errorf("keyslot --help does not list %s", sub)
		}
	}
	if code != 0 || strings.Contains(out, "completion") {
		t.Errorf("keyslot --help: exit %d, output %q", code, out)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantLines []string // stderr, line by line
	}{
		{"unknown subcommand", []string{"nodes"}, nil, []string{
			`keyslot: unknown command "nodes" for "keyslot"`,
			"",
			"Did you mean this?",
			"\tnode",
			"Run 'keyslot --help' for usage.",
		}},
		{"stray argument", []string{"node", "7000"}, nil, []string{
			`keyslot node: unexpected argument "7000" (settings are flags, e.g. --port 7000)`,
			"Run 'keyslot node --help' for usage.",
		}},
		{"bad flag value", []string{"proxy", "--proto-max-bulk-len", "1.5mb"}, nil, []string{
			`keyslot proxy: invalid argument "1.5mb" for "--proto-max-bulk-len" flag: argument must be a memory value`,
			"Run 'keyslot proxy --help' for usage.",
		}},
		{"one bad value", []string{"node", "--cluster-enabled", "yes"}, nil, []string{
			`keyslot node: cluster-enabled "yes": cluster mode is not implemented yet`,
		}},
		{"several bad values", []string{"local", "--nodes", "0"}, map[string]string{"KEYSLOT_LOG_FORMAT": "xml"}, []string{
			"keyslot local:",
			`  nodes "0": argument must be between 1 and 100 inclusive`,
			`  log-format "xml": argument must be json or console`,
		}},
		{"unknown env key", []string{"proxy"}, map[string]string{"KEYSLOT_DIR": "/data"}, []string{
			`keyslot proxy: unknown key "dir" (from environment variable KEYSLOT_DIR)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runArgs(t, tt.args...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if want := strings.Join(tt.wantLines, "\n") + "\n"; errOut != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
			}
		})
	}
}
