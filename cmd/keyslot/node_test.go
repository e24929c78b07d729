package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/backend"
	"github.com/keyslot/keyslot/internal/config"
	"github.com/keyslot/keyslot/internal/redistest"
)

// Every redis.conf parameter is a key of the file and of the environment;
// those without a field of their own land in Params.
func TestNodeParamKeys(t *testing.T) {
	clearEnv(t)
	p := writeFile(t, "hz: 15\nsave: \"\"\nslave-read-only: no\nmaxmemory: 1gb\nclient-output-buffer-limit: pubsub 64mb 16mb 60\n")
	t.Setenv("KEYSLOT_LFU_LOG_FACTOR", "7")
	st, err := parseNode(t, "--config", p, "--maxmemory-policy", "allkeys-lru")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"hz": "15", "save": "", "slave-read-only": "no", "lfu-log-factor": "7",
		"client-output-buffer-limit": "pubsub 64mb 16mb 60"}
	if len(st.Node.Params) != len(want) {
		t.Errorf("Params = %q, want %q", st.Node.Params, want)
	}
	for k, v := range want {
		if st.Node.Params[k] != v {
			t.Errorf("Params[%s] = %q, want %q", k, st.Node.Params[k], v)
		}
	}
	if st.Node.MaxMemory != config.GB || st.Node.MaxMemoryPolicy != "allkeys-lru" {
		t.Errorf("MaxMemory %v, MaxMemoryPolicy %q", st.Node.MaxMemory, st.Node.MaxMemoryPolicy)
	}

	// Without any, Params stays nil, so that the defaults compare equal.
	os.Unsetenv("KEYSLOT_LFU_LOG_FACTOR")
	st, err = parseNode(t)
	if err != nil || st.Node.Params != nil {
		t.Errorf("no parameters: Params = %v, err %v", st.Node.Params, err)
	}

	// Values are checked as CONFIG SET checks them; unknown keys are still
	// unknown.
	p = writeFile(t, "hz: fast\n")
	if _, err := parseNode(t, "--config", p); err == nil ||
		!strings.Contains(err.Error(), `hz "fast": argument couldn't be parsed into an integer`) {
		t.Errorf("bad hz: %v", err)
	}
	p = writeFile(t, "hzz: 10\n")
	var uk *UnknownKeyError
	if _, err := parseNode(t, "--config", p); !errors.As(err, &uk) || uk.Suggest != "hz" {
		t.Errorf("hzz: %v", err)
	}
}

// startNodeFrom starts a node from the config file at path as `keyslot
// node --config path` would, stopped when t ends.
func startNodeFrom(t *testing.T, path string) (*backend.Server, *redistest.Conn) {
	t.Helper()
	st, err := parseNode(t, "--config", path)
	if err != nil {
		t.Fatal(err)
	}
	st.Node.ConfigFile = path
	srv, err := backend.New(st.Node, zap.NewNop(), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	c, err := redistest.DialTimeout(srv.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return srv, c
}

// CONFIG REWRITE writes the values in force into the YAML file the node
// started from, keeping its comments and other keys, and a node started
// from the rewritten file has every parameter as the first one had it.
func TestNodeConfigRewrite(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "node.yaml")
	orig := `# A node for the rewrite test.
port: 0
bind: 127.0.0.1
dir: ` + dir + `

# Memory: a comment that must survive.
maxmemory: 100mb # inline too
hz: 15
metrics-addr: ""
log-level: warn
`
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	_, a := startNodeFrom(t, path)
	do := func(c *redistest.Conn, args ...string) string {
		t.Helper()
		r, err := c.Do(args...)
		if err != nil {
			t.Fatal(err)
		}
		return string(r)
	}
	if got := do(a, "CONFIG", "GET", "hz"); got != "*2\r\n$2\r\nhz\r\n$2\r\n15\r\n" {
		t.Fatalf("CONFIG GET hz = %q", got)
	}
	if got := do(a, "CONFIG", "REWRITE"); got != "+OK\r\n" {
		t.Fatalf("CONFIG REWRITE = %q", got)
	}
	if b, _ := os.ReadFile(path); string(b) != orig {
		t.Errorf("rewrite without changes changed the file:\n%s", b)
	}

	sets := [][]string{
		{"maxmemory", "1gb"}, {"hz", "20"}, {"notify-keyspace-events", "KEA"},
		{"client-output-buffer-limit", "pubsub 64mb 16mb 120"}, {"maxmemory-policy", "allkeys-lru"},
		{"list-max-ziplist-size", "5"}, {"save", "100 1 10 1000"}, {"proc-title-template", "{title} {port}"},
		{"shutdown-on-sigint", "nosave now"}, {"maxmemory-clients", "10%"}, {"timeout", "300"},
		{"slowlog-log-slower-than", "-1"}, {"latency-tracking-info-percentiles", ""},
		{"requirepass", "p w"},
	}
	for _, kv := range sets {
		if got := do(a, "CONFIG", "SET", kv[0], kv[1]); got != "+OK\r\n" {
			t.Fatalf("CONFIG SET %s %q = %q", kv[0], kv[1], got)
		}
	}
	do(a, "AUTH", "p w")
	if got := do(a, "CONFIG", "REWRITE"); got != "+OK\r\n" {
		t.Fatalf("CONFIG REWRITE = %q", got)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# A node for the rewrite test.\n", "# Memory: a comment that must survive.\n",
		"maxmemory: 1gb # inline too\n", "hz: 20\n", "log-level: warn\n", "metrics-addr: \"\"\n",
		"# Generated by CONFIG REWRITE\n", "notify-keyspace-events: AKE\n", "timeout: 300\n"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("rewritten file lacks %q:\n%s", want, b)
		}
	}

	// A second node from the rewritten file has the same parameters.
	_, b2 := startNodeFrom(t, path)
	do(b2, "AUTH", "p w")
	first := pairsOf(t, do(a, "CONFIG", "GET", "*"))
	second := pairsOf(t, do(b2, "CONFIG", "GET", "*"))
	delete(first, "port")
	delete(second, "port")
	for k, v := range first {
		if second[k] != v {
			t.Errorf("%s: %q before the restart, %q after", k, v, second[k])
		}
	}
	if len(first) != len(second) || len(first) < 150 {
		t.Errorf("%d parameters before, %d after", len(first), len(second))
	}
	// Rewriting again changes nothing.
	if got := do(b2, "CONFIG", "REWRITE"); got != "+OK\r\n" {
		t.Fatalf("CONFIG REWRITE = %q", got)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, b) {
		t.Errorf("second rewrite changed the file:\n%s", again)
	}
}

// pairsOf reads a RESP2 CONFIG GET reply.
func pairsOf(t *testing.T, reply string) map[string]string {
	t.Helper()
	lines := strings.Split(reply, "\r\n")
	var vals []string
	for i := 1; i+1 < len(lines); i += 2 {
		vals = append(vals, lines[i+1])
	}
	out := make(map[string]string)
	for i := 0; i+1 < len(vals); i += 2 {
		out[vals[i]] = vals[i+1]
	}
	return out
}
