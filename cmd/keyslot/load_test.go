package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/keyslot/keyslot/internal/config"
)

// clearEnv removes every KEYSLOT_ variable for the duration of the test, so
// that a developer's or CI's environment cannot change what is loaded.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envPrefix) {
			t.Setenv(name, "") // restores the old value when the test ends
			os.Unsetenv(name)
		}
	}
}

// writeFile writes a config file into the test's directory and returns its
// path.
func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keyslot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func newFlagSet(add func(*pflag.FlagSet)) *pflag.FlagSet {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	add(fs)
	return fs
}

// parseNode loads nodeSettings the way `keyslot node args...` would.
func parseNode(t *testing.T, args ...string) (nodeSettings, error) {
	t.Helper()
	fs := newFlagSet(addNodeFlags)
	if err := fs.Parse(args); err != nil {
		return nodeSettings{}, err
	}
	if fs.NArg() != 0 {
		t.Fatalf("arguments left over after flags: %q", fs.Args())
	}
	return loadNodeSettings(fs)
}

// parseProxy loads proxySettings the way `keyslot proxy args...` would.
func parseProxy(t *testing.T, args ...string) (proxySettings, error) {
	t.Helper()
	fs := newFlagSet(addProxyFlags)
	if err := fs.Parse(args); err != nil {
		return proxySettings{}, err
	}
	if fs.NArg() != 0 {
		t.Fatalf("arguments left over after flags: %q", fs.Args())
	}
	return loadProxySettings(fs)
}

func TestNodeExampleParses(t *testing.T) {
	clearEnv(t)
	st, err := parseNode(t, "--port", "7000", "--dir", "./data", "--cluster-enabled", "no", "--appendonly", "no")
	if err != nil {
		t.Fatal(err)
	}
	want := defaultNodeSettings()
	want.Node.Port = 7000
	want.Node.Dir = "./data"
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("got %+v\nwant %+v", st, want)
	}
}

func TestDefaultsWithNothingSet(t *testing.T) {
	clearEnv(t)
	st, err := parseNode(t)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st, defaultNodeSettings()) {
		t.Fatalf("got %+v, want the defaults", st)
	}
}

// Each layer overrides the ones below it, key by key: a key set only in
// the file comes from the file even when other keys come from flags.
func TestPrecedence(t *testing.T) {
	file := "port: 1001\nmaxclients: 1002\ndatabases: 1003\n"
	tests := []struct {
		name          string
		env           map[string]string
		args          []string
		wantPort      int
		wantClients   int
		wantDatabases int
	}{
		{"file over default", nil, nil, 1001, 1002, 1003},
		{"env over file", map[string]string{"KEYSLOT_PORT": "2001", "KEYSLOT_MAXCLIENTS": "2002"}, nil, 2001, 2002, 1003},
		{"flag over env", map[string]string{"KEYSLOT_PORT": "2001", "KEYSLOT_MAXCLIENTS": "2002"}, []string{"--port", "3001"}, 3001, 2002, 1003},
		{"flag over file", nil, []string{"--databases=3003"}, 1001, 1002, 3003},
		{"flag set to the default still wins", map[string]string{"KEYSLOT_PORT": "2001"}, []string{"--port", "6379"}, 6379, 1002, 1003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			st, err := parseNode(t, append([]string{"--config", writeFile(t, file)}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if st.Node.Port != tt.wantPort || st.Node.MaxClients != tt.wantClients || st.Node.Databases != tt.wantDatabases {
				t.Fatalf("port, maxclients, databases = %d, %d, %d; want %d, %d, %d",
					st.Node.Port, st.Node.MaxClients, st.Node.Databases, tt.wantPort, tt.wantClients, tt.wantDatabases)
			}
			// Keys set nowhere keep their defaults.
			if st.Node.Timeout != 0 || st.Node.Bind != "127.0.0.1" || st.Log.Format != "json" {
				t.Fatalf("unset keys changed: %+v", st)
			}
		})
	}
}

func TestConfigFileFromEnv(t *testing.T) {
	clearEnv(t)
	t.Setenv("KEYSLOT_CONFIG", writeFile(t, "port: 7007\n"))
	st, err := parseNode(t)
	if err != nil {
		t.Fatal(err)
	}
	if st.Node.Port != 7007 {
		t.Fatalf("port = %d, want 7007 from the file named by KEYSLOT_CONFIG", st.Node.Port)
	}
	// --config wins over KEYSLOT_CONFIG.
	st, err = parseNode(t, "--config", writeFile(t, "port: 7008\n"))
	if err != nil || st.Node.Port != 7008 {
		t.Fatalf("port = %d, %v; want 7008 from --config", st.Node.Port, err)
	}
}

func TestYesNoBooleans(t *testing.T) {
	// Validate rejects cluster-enabled yes, so decoding alone is checked here
	// through load; the rejection has its own test.
	tests := []struct {
		name string
		env  string
		file string
		args []string
		want bool
	}{
		{"flag yes", "", "", []string{"--appendonly", "yes"}, true},
		{"flag no with space", "", "", []string{"--appendonly", "no"}, false},
		{"flag YES with equals", "", "", []string{"--appendonly=YES"}, true},
		{"flag true", "", "", []string{"--appendonly", "true"}, true},
		{"flag false", "", "", []string{"--appendonly", "false"}, false},
		{"env yes", "yes", "", nil, true},
		{"env true", "true", "", nil, true},
		{"env No", "No", "", nil, false},
		{"file yes", "", "appendonly: yes\n", nil, true},
		{"file no", "", "appendonly: no\n", nil, false},
		{"file true", "", "appendonly: true\n", nil, true},
		{"file quoted yes", "", "appendonly: \"yes\"\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			if tt.env != "" {
				t.Setenv("KEYSLOT_APPENDONLY", tt.env)
			}
			args := tt.args
			if tt.file != "" {
				args = append(args, "--config", writeFile(t, tt.file))
			}
			fs := newFlagSet(addNodeFlags)
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			if fs.NArg() != 0 {
				t.Fatalf("the flag's value was left as an argument: %q", fs.Args())
			}
			st := defaultNodeSettings()
			if err := load(fs, &st); err != nil {
				t.Fatal(err)
			}
			if st.Node.AppendOnly != tt.want {
				t.Fatalf("appendonly = %v, want %v", st.Node.AppendOnly, tt.want)
			}
		})
	}
}

func TestSizeUnits(t *testing.T) {
	tests := []struct {
		name string
		env  string
		file string
		args []string
		want config.ByteSize
	}{
		{"flag mb", "", "", []string{"--proto-max-bulk-len", "64mb"}, 64 << 20},
		{"flag MB", "", "", []string{"--proto-max-bulk-len=2MB"}, 2 << 20},
		{"flag gb", "", "", []string{"--proto-max-bulk-len", "1gb"}, 1 << 30},
		{"flag plain bytes", "", "", []string{"--proto-max-bulk-len", "2000000"}, 2000000},
		{"env m", "5m", "", nil, 5000000},
		{"env k", "2000k", "", nil, 2000000},
		{"env g", "1g", "", nil, 1000000000},
		{"file kb", "", "proto-max-bulk-len: 2048kb\n", nil, 2 << 20},
		{"file number", "", "proto-max-bulk-len: 1048576\n", nil, 1 << 20},
		{"file b", "", "proto-max-bulk-len: 1048576b\n", nil, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			if tt.env != "" {
				t.Setenv("KEYSLOT_PROTO_MAX_BULK_LEN", tt.env)
			}
			args := tt.args
			if tt.file != "" {
				args = append(args, "--config", writeFile(t, tt.file))
			}
			st, err := parseNode(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if st.Node.ProtoMaxBulkLen != tt.want {
				t.Fatalf("proto-max-bulk-len = %d, want %d", st.Node.ProtoMaxBulkLen, tt.want)
			}
		})
	}
}

func TestDurations(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"30s", 30 * time.Second},
		{"1m30s", 90 * time.Second},
		{"250ms", 250 * time.Millisecond},
		{"15", 15 * time.Second},
	}
	for _, tt := range tests {
		clearEnv(t)
		t.Setenv("KEYSLOT_SHUTDOWN_TIMEOUT", tt.in)
		st, err := parseNode(t)
		if err != nil || st.Node.ShutdownTimeout != tt.want {
			t.Errorf("shutdown-timeout %q = %v, %v; want %v", tt.in, st.Node.ShutdownTimeout, err, tt.want)
		}
	}
	clearEnv(t)
	st, err := parseNode(t, "--config", writeFile(t, "shutdown-timeout: 20\n"))
	if err != nil || st.Node.ShutdownTimeout != 20*time.Second {
		t.Errorf("file shutdown-timeout 20 = %v, %v; want 20s", st.Node.ShutdownTimeout, err)
	}
}

func TestSeeds(t *testing.T) {
	three := []string{"127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"}
	tests := []struct {
		name string
		env  string
		file string
		args []string
		want []string
	}{
		{"default", "", "", nil, []string{"127.0.0.1:7000"}},
		{"flag comma-separated", "", "", []string{"--seeds", "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002"}, three},
		{"flag repeated", "", "", []string{"--seeds", "127.0.0.1:7000", "--seeds", "127.0.0.1:7001,127.0.0.1:7002"}, three},
		{"flag one", "", "", []string{"--seeds=10.0.0.1:6379"}, []string{"10.0.0.1:6379"}},
		{"env comma-separated", "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002", "", nil, three},
		{"env with spaces", " 127.0.0.1:7000, 127.0.0.1:7001  127.0.0.1:7002 ", "", nil, three},
		{"file list", "", "seeds:\n  - 127.0.0.1:7000\n  - 127.0.0.1:7001\n  - 127.0.0.1:7002\n", nil, three},
		{"file flow list", "", "seeds: [127.0.0.1:7000, 127.0.0.1:7001, 127.0.0.1:7002]\n", nil, three},
		{"file string", "", "seeds: 127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002\n", nil, three},
		{"flag over env", "10.0.0.1:1", "", []string{"--seeds", "10.0.0.2:2"}, []string{"10.0.0.2:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			if tt.env != "" {
				t.Setenv("KEYSLOT_SEEDS", tt.env)
			}
			args := tt.args
			if tt.file != "" {
				args = append(args, "--config", writeFile(t, tt.file))
			}
			st, err := parseProxy(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(st.Proxy.Seeds, tt.want) {
				t.Fatalf("seeds = %q, want %q", st.Proxy.Seeds, tt.want)
			}
		})
	}
}

func TestProxyExampleParses(t *testing.T) {
	clearEnv(t)
	st, err := parseProxy(t, "--port", "6379", "--seeds", "127.0.0.1:7000,127.0.0.1:7001", "--metrics-addr", ":9121")
	if err != nil {
		t.Fatal(err)
	}
	want := defaultProxySettings()
	want.Proxy.Seeds = []string{"127.0.0.1:7000", "127.0.0.1:7001"}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("got %+v\nwant %+v", st, want)
	}
}

// wantErrors checks that err holds exactly the given lines, in any order.
func wantErrors(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if !errors.Is(err, config.ErrInvalid) {
		t.Errorf("error %q does not match config.ErrInvalid", err)
	}
	got := strings.Split(err.Error(), "\n")
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("error:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestUnknownKeys(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		clearEnv(t)
		p := writeFile(t, "port: 7000\nmaxclient: 10\nseeds: [a:1]\ncluster:\n  enabled: yes\n")
		_, err := parseNode(t, "--config", p)
		wantErrors(t, err,
			`unknown key "cluster" (from config file "`+p+`")`,
			`unknown key "maxclient" (from config file "`+p+`"); did you mean "maxclients"?`,
			`unknown key "seeds" (from config file "`+p+`")`,
		)
		var uk *UnknownKeyError
		if !errors.As(err, &uk) {
			t.Fatalf("error %v holds no *UnknownKeyError", err)
		}
	})
	t.Run("file key with empty value", func(t *testing.T) {
		clearEnv(t)
		p := writeFile(t, "prot: {}\n")
		_, err := parseNode(t, "--config", p)
		wantErrors(t, err, `unknown key "prot" (from config file "`+p+`"); did you mean "port"?`)
	})
	t.Run("env", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("KEYSLOT_APPEND_ONLY", "no")
		t.Setenv("KEYSLOT_SEEDS", "127.0.0.1:7000")
		_, err := parseNode(t)
		wantErrors(t, err,
			`unknown key "append-only" (from environment variable KEYSLOT_APPEND_ONLY); did you mean "appendonly"?`,
			`unknown key "seeds" (from environment variable KEYSLOT_SEEDS)`,
		)
	})
	t.Run("variables that are not settings", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("KEYSLOT_REQUIRE_ALL", "1")
		t.Setenv("KEYSLOT_CONFIG", "")
		t.Setenv("KEYSLOTX", "1")
		t.Setenv("keyslot_port", "1")
		if _, err := parseNode(t); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBadValues(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		file string
		args []string
		want []string // error lines; "FILE" stands for the file's name
	}{
		{"env integer", map[string]string{"KEYSLOT_PORT": "70o0"}, "", nil,
			[]string{`port "70o0" (from environment variable KEYSLOT_PORT): argument couldn't be parsed into an integer`}},
		{"empty env integer", map[string]string{"KEYSLOT_MAXCLIENTS": ""}, "", nil,
			[]string{`maxclients "" (from environment variable KEYSLOT_MAXCLIENTS): argument couldn't be parsed into an integer`}},
		{"file integer", nil, "databases: lots\n", nil,
			[]string{`databases "lots" (from config file "FILE"): argument couldn't be parsed into an integer`}},
		{"file fraction", nil, "timeout: 1.5\n", nil,
			[]string{`timeout "1.5" (from config file "FILE"): argument couldn't be parsed into an integer`}},
		{"file integer overflow", nil, "port: 99999999999999999999\n", nil,
			[]string{`port "1e+20" (from config file "FILE"): argument couldn't be parsed into an integer`}},
		{"file boolean", nil, "appendonly: maybe\n", nil,
			[]string{`appendonly "maybe" (from config file "FILE"): argument must be 'yes' or 'no'`}},
		{"env boolean", map[string]string{"KEYSLOT_CLUSTER_ENABLED": "1"}, "", nil,
			[]string{`cluster-enabled "1" (from environment variable KEYSLOT_CLUSTER_ENABLED): argument must be 'yes' or 'no'`}},
		{"file size", nil, "proto-max-bulk-len: 1.5mb\n", nil,
			[]string{`proto-max-bulk-len "1.5mb" (from config file "FILE"): argument must be a memory value`}},
		{"env size unit", map[string]string{"KEYSLOT_PROTO_MAX_BULK_LEN": "1tb"}, "", nil,
			[]string{`proto-max-bulk-len "1tb" (from environment variable KEYSLOT_PROTO_MAX_BULK_LEN): argument must be a memory value`}},
		{"file negative size", nil, "proto-max-bulk-len: -1\n", nil,
			[]string{`proto-max-bulk-len "-1" (from config file "FILE"): argument must be a memory value`}},
		{"file duration", nil, "shutdown-timeout: soon\n", nil,
			[]string{`shutdown-timeout "soon" (from config file "FILE"): ` + msgDuration}},
		{"file string as list", nil, "dir: [a, b]\n", nil,
			[]string{`dir "a,b" (from config file "FILE"): argument must be a string`}},
		{"file missing value", nil, "port:\n", nil,
			[]string{`port "" (from config file "FILE"): argument is missing`}},
		{"file mapping value", nil, "port:\n  number: 7000\n", nil,
			[]string{`port "{...}" (from config file "FILE"): argument must be a value, not a mapping`}},
		{"valid syntax, bad range, from flag", nil, "", []string{"--port", "70000"},
			[]string{`port "70000": argument must be between 0 and 65535 inclusive`}},
		{"feature not implemented, from file", nil, "cluster-enabled: yes\n", nil,
			[]string{`cluster-enabled "yes": cluster mode is not implemented yet`}},
		{"log level", map[string]string{"KEYSLOT_LOG_LEVEL": "verbose"}, "", nil,
			[]string{`log-level "verbose": argument must be one of debug, info, warn, error`}},
		{"every problem at once", map[string]string{"KEYSLOT_TIMEOUT": "x"}, "databases: y\n", []string{"--appendonly", "yes"},
			[]string{
				`databases "y" (from config file "FILE"): argument couldn't be parsed into an integer`,
				`timeout "x" (from environment variable KEYSLOT_TIMEOUT): argument couldn't be parsed into an integer`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := tt.args
			p := ""
			if tt.file != "" {
				p = writeFile(t, tt.file)
				args = append(args, "--config", p)
			}
			_, err := parseNode(t, args...)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.ReplaceAll(w, "FILE", p)
			}
			wantErrors(t, err, want...)
		})
	}
}

// A flag value that does not parse is rejected by the flag parser itself,
// naming the flag and the value.
func TestBadFlagValues(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--appendonly", "maybe"}, `invalid argument "maybe" for "--appendonly" flag: argument must be 'yes' or 'no'`},
		{[]string{"--proto-max-bulk-len", "lots"}, `invalid argument "lots" for "--proto-max-bulk-len" flag: argument must be a memory value`},
		{[]string{"--port", "x"}, `invalid argument "x" for "--port" flag`},
		{[]string{"--cluster-enabled"}, `flag needs an argument: --cluster-enabled`},
		{[]string{"--maxclient", "5"}, `unknown flag: --maxclient`},
	}
	for _, tt := range tests {
		fs := newFlagSet(addNodeFlags)
		err := fs.Parse(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want it to contain %q", tt.args, err, tt.want)
		}
	}
}

func TestMissingConfigFile(t *testing.T) {
	clearEnv(t)
	_, err := parseNode(t, "--config", filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v, want it to name the file", err)
	}
}

func TestMalformedConfigFile(t *testing.T) {
	clearEnv(t)
	for _, body := range []string{"port: [\n", "- a\n- b\n", "port: 1\nport: 2\n"} {
		p := writeFile(t, body)
		_, err := parseNode(t, "--config", p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("file %q: err = %v, want an error naming the file", body, err)
		}
	}
}

func TestOversizedConfigFile(t *testing.T) {
	clearEnv(t)
	p := writeFile(t, "# "+strings.Repeat("x", maxConfigFile)+"\n")
	_, err := parseNode(t, "--config", p)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want a size error", err)
	}
}

// Every key has a flag of the same name, so that --help lists them all and
// flags, variables and file keys are spelled alike.
func TestEveryKeyHasAFlag(t *testing.T) {
	sets := []struct {
		name string
		add  func(*pflag.FlagSet)
		dst  any
	}{
		{"node", addNodeFlags, &nodeSettings{}},
		{"proxy", addProxyFlags, &proxySettings{}},
		{"local", addLocalFlags, &localSettings{}},
	}
	for _, s := range sets {
		fs := newFlagSet(s.add)
		var keys []string
		for _, f := range fieldsOf(s.dst) {
			keys = append(keys, f.key)
			if fs.Lookup(f.key) == nil {
				t.Errorf("%s: key %q has no flag", s.name, f.key)
			}
		}
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Name != configKey && !slices.Contains(keys, f.Name) {
				t.Errorf("%s: flag --%s is not a key", s.name, f.Name)
			}
		})
	}
}

func TestEnvName(t *testing.T) {
	for key, env := range map[string]string{
		"cluster-node-timeout": "KEYSLOT_CLUSTER_NODE_TIMEOUT",
		"proto-max-bulk-len":   "KEYSLOT_PROTO_MAX_BULK_LEN",
		"port":                 "KEYSLOT_PORT",
	} {
		if got := envName(key); got != env {
			t.Errorf("envName(%q) = %q, want %q", key, got, env)
		}
		if got := envKey(env); got != key {
			t.Errorf("envKey(%q) = %q, want %q", env, got, key)
		}
	}
}

func TestFieldsOfRejectsNonStruct(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("fieldsOf(non-pointer) did not panic")
		}
	}()
	fieldsOf(nodeSettings{})
}

func TestSuggest(t *testing.T) {
	known := []string{"port", "maxclients", "proto-max-bulk-len", "appendonly"}
	for in, want := range map[string]string{
		"prot":                "port",
		"maxclient":           "maxclients",
		"proto-max-bulk-size": "",
		"append-only":         "appendonly",
		"zzzz":                "",
	} {
		if got := suggest(in, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// An empty variable is a value, not an absence: KEYSLOT_METRICS_ADDR= turns
// off metrics that the file turns on.
func TestEmptyEnvOverridesFile(t *testing.T) {
	clearEnv(t)
	t.Setenv("KEYSLOT_METRICS_ADDR", "")
	st, err := parseNode(t, "--config", writeFile(t, "metrics-addr: \":9121\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Node.MetricsAddr != "" {
		t.Fatalf("metrics-addr = %q, want \"\" from the empty variable", st.Node.MetricsAddr)
	}
}
