package backend

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/server"
)

// TestConfigSetMatchesRedis sets every parameter CONFIG SET may change to
// values of every shape on a real redis-server and on a node: the replies
// and the values CONFIG GET then shows must be the same bytes.
func TestConfigSetMatchesRedis(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	// As the harness starts redis-server.
	ks := dialNode(t, startNode(t, func(c *Config) {
		c.Params = map[string]string{"save": "", "protected-mode": "no"}
	}).Addr().String())
	// Changes a node makes differently on purpose (it cannot listen
	// elsewhere, start AOF or TLS while running), and values that would
	// cut the test's own connection or lock it out.
	skip := map[string]bool{
		"port": true, "bind": true, "appendonly": true, "tls-port": true, "tls-cluster": true,
		"tls-replication": true, "requirepass": true, "timeout": true, "maxmemory-clients": true,
		"client-output-buffer-limit": true, "oom-score-adj": true, "oom-score-adj-values": true,
		"maxclients": true, "dir": true, "logfile": true,
	}
	values := []string{"", "0", "1", "-1", "2", "100", "65535", "65536", "2147483648", "-2147483649",
		"9223372036854775807", "9223372036854775808", "99999999999999999999", "+1", " 1", "01",
		"1kb", "1K", "2mb", "1gb", "5%", "101%", "yes", "no", "YES", "true", "abc", "a b", "1 2",
		"1 2 3", "KEA", "Ex", "$lsh", "1.5", "1e3", "noeviction", "allkeys-lfu", "notice", "local",
		"now force", "a-b.c", "{port}"}
	for _, e := range paramEntries {
		if skip[paramDefs[e.def].name] {
			continue
		}
		before := doStr(t, ref, "CONFIG", "GET", e.name)
		if got := doStr(t, ks, "CONFIG", "GET", e.name); got != before {
			t.Errorf("CONFIG GET %s: redis-server %q, keyslot %q", e.name, before, got)
		}
		for _, v := range values {
			want := doStr(t, ref, "CONFIG", "SET", e.name, v)
			got := doStr(t, ks, "CONFIG", "SET", e.name, v)
			if got != want {
				t.Errorf("CONFIG SET %s %q: redis-server %q, keyslot %q", e.name, v, want, got)
			}
			want = doStr(t, ref, "CONFIG", "GET", e.name)
			if got := doStr(t, ks, "CONFIG", "GET", e.name); got != want {
				t.Errorf("after CONFIG SET %s %q, CONFIG GET: redis-server %q, keyslot %q", e.name, v, want, got)
			}
		}
		// Back to the value before, on both.
		if old := parseFlatPairs(t, []byte(before))[e.name]; !strings.HasPrefix(before, "-") {
			doStr(t, ref, "CONFIG", "SET", e.name, old)
			doStr(t, ks, "CONFIG", "SET", e.name, old)
		}
	}
}

// The parameters the node acts on take effect at once, and read
// consistently through the accessors other code uses.
func TestConfigSetTakesEffect(t *testing.T) {
	s := startNode(t, nil)
	a := dialNode(t, s.Addr().String())

	if got := s.encodingLimits(); got != (encodingLimits{512, 64, 512, 128, 64, -2, 3000}) {
		t.Errorf("default encodingLimits() = %+v", got)
	}
	doStr(t, a, "CONFIG", "SET", "hash-max-ziplist-entries", "10", "hash-max-listpack-value", "1kb",
		"set-max-intset-entries", "20", "zset-max-listpack-entries", "30", "zset-max-ziplist-value", "40",
		"list-max-listpack-size", "-3", "hll-sparse-max-bytes", "5000")
	if got := s.encodingLimits(); got != (encodingLimits{10, 1024, 20, 30, 40, -3, 5000}) {
		t.Errorf("encodingLimits() = %+v", got)
	}

	doStr(t, a, "CONFIG", "SET", "maxmemory", "1gb", "maxmemory-policy", "allkeys-lfu", "maxmemory-samples", "9",
		"maxmemory-eviction-tenacity", "20", "lfu-log-factor", "11", "lfu-decay-time", "2")
	want := memoryLimits{maxmemory: 1 << 30, policy: evictAllKeysLFU, samples: 9, tenacity: 20, lfuLogFactor: 11, lfuDecayTime: 2}
	if got := s.memoryLimits(); got != want {
		t.Errorf("memoryLimits() = %+v, want %+v", got, want)
	}
	if p := s.maxmemoryPolicy(); !p.lfu() || !p.allKeys() {
		t.Errorf("maxmemoryPolicy() = %v", p)
	}

	doStr(t, a, "CONFIG", "SET", "notify-keyspace-events", "Kgx")
	if got := uint16(s.notifyFlags.Load()); got != notifyKeyspace|notifyGeneric|notifyExpired {
		t.Errorf("notifyFlags = %#x", got)
	}

	doStr(t, a, "CONFIG", "SET", "proto-max-bulk-len", "2mb", "timeout", "30", "maxclients", "50",
		"lua-time-limit", "200", "client-output-buffer-limit", "pubsub 1mb 512kb 10")
	if s.protoMaxBulkLen() != 2<<20 || s.idleTimeout() != 30*time.Second || s.maxClients() != 50 ||
		s.busyReplyThreshold() != 200*time.Millisecond {
		t.Errorf("protoMaxBulkLen %d, idleTimeout %v, maxClients %d, busyReplyThreshold %v",
			s.protoMaxBulkLen(), s.idleTimeout(), s.maxClients(), s.busyReplyThreshold())
	}
	if got := s.pushLimit(); got != (server.OutputLimit{Hard: 1 << 20, Soft: 512 << 10, SoftSeconds: 10}) {
		t.Errorf("pushLimit() = %+v", got)
	}
	if got := s.paramValue("hz"); got != "10" {
		t.Errorf("paramValue(hz) = %q", got)
	}

	// requirepass: new connections must authenticate.
	doStr(t, a, "CONFIG", "SET", "requirepass", "pw")
	if s.requirePass() != "pw" {
		t.Errorf("requirePass() = %q", s.requirePass())
	}
	b := dialNode(t, s.Addr().String())
	if got := doStr(t, b, "PING"); got != "-NOAUTH Authentication required.\r\n" {
		t.Errorf("PING without AUTH = %q", got)
	}
	if got := doStr(t, b, "AUTH", "pw"); got != "+OK\r\n" {
		t.Errorf("AUTH = %q", got)
	}
	doStr(t, b, "CONFIG", "SET", "requirepass", "")
	c := dialNode(t, s.Addr().String())
	if got := doStr(t, c, "PING"); got != "+PONG\r\n" {
		t.Errorf("PING after clearing requirepass = %q", got)
	}
}

// port 0 shows the port the node listens on, and CONFIG SET refuses the
// changes a running node cannot make, leaving everything as it was.
func TestConfigSetRefusedChanges(t *testing.T) {
	s := startNode(t, nil)
	a := dialNode(t, s.Addr().String())
	port := strings.TrimPrefix(s.Addr().String(), "127.0.0.1:")
	if got := doStr(t, a, "CONFIG", "GET", "port"); got != "*2\r\n$4\r\nport\r\n$"+
		strconv.Itoa(len(port))+"\r\n"+port+"\r\n" {
		t.Errorf("CONFIG GET port = %q, want the bound port %s", got, port)
	}
	for _, tt := range []struct{ args []string }{
		{[]string{"port", port}},
		{[]string{"bind", "127.0.0.1"}},
		{[]string{"appendonly", "no"}},
		{[]string{"tls-port", "0"}},
	} {
		if got := doStr(t, a, append([]string{"CONFIG", "SET"}, tt.args...)...); got != "+OK\r\n" {
			t.Errorf("CONFIG SET %q (no change) = %q", tt.args, got)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"hz", "20", "port", "1"}, "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n"},
		{[]string{"hz", "20", "bind", "* -::*"}, "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n"},
		{[]string{"hz", "20", "appendonly", "yes"}, "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.\r\n"},
		{[]string{"hz", "20", "tls-port", "6380"}, "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.\r\n"},
		{[]string{"hz", "20", "tls-replication", "yes"}, "-ERR CONFIG SET failed (possibly related to argument 'tls-replication') - Unable to update TLS configuration. Check server logs.\r\n"},
	} {
		if got := doStr(t, a, append([]string{"CONFIG", "SET"}, tt.args...)...); got != tt.want {
			t.Errorf("CONFIG SET %q = %q, want %q", tt.args, got, tt.want)
		}
	}
	if got := s.paramValue("hz"); got != "10" {
		t.Errorf("hz = %q after refused changes, want 10", got)
	}
}

// dir is protected unless enable-protected-configs allows it; then it
// must name a directory, relative names resolve against the current one,
// and CONFIG GET shows it absolute.
func TestConfigSetDir(t *testing.T) {
	base := t.TempDir()
	if err := os.Mkdir(filepath.Join(base, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	denied := startNode(t, nil)
	if got := doStr(t, dialNode(t, denied.Addr().String()), "CONFIG", "SET", "dir", base); got !=
		"-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n" {
		t.Errorf("protected dir: %q", got)
	}
	for _, mode := range []string{"yes", "local"} {
		s := startNode(t, func(c *Config) {
			c.Dir = base
			c.Params = map[string]string{"enable-protected-configs": mode}
		})
		a := dialNode(t, s.Addr().String())
		real, _ := filepath.EvalSymlinks(base)
		if got := s.dataDir(); got != real {
			t.Errorf("dataDir() = %q, want %q", got, real)
		}
		for _, tt := range []struct{ dir, want string }{
			{"sub", "+OK\r\n"},
			{"..", "+OK\r\n"},
			{"missing", "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n"},
			{"file", "-ERR CONFIG SET failed (possibly related to argument 'dir') - Not a directory\r\n"},
			{"", "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n"},
		} {
			if got := doStr(t, a, "CONFIG", "SET", "dir", tt.dir); got != tt.want {
				t.Errorf("%s: CONFIG SET dir %q = %q, want %q", mode, tt.dir, got, tt.want)
			}
		}
		// sub, then .. again: back at base.
		if got := s.dataDir(); got != real {
			t.Errorf("%s: dataDir() = %q after sub and .., want %q", mode, got, real)
		}
		if got := doStr(t, a, "CONFIG", "SET", "dbfilename", "a/b"); got !=
			"-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename\r\n" {
			t.Errorf("%s: dbfilename a/b = %q", mode, got)
		}
	}
}

func TestConfigResetStat(t *testing.T) {
	s := startNode(t, nil)
	a := dialNode(t, s.Addr().String())
	doStr(t, a, "SET", "k", "v")
	doStr(t, a, "GET", "k")
	doStr(t, a, "GET", "missing")
	s.stats.expiredKeys.Add(3)
	s.stats.evictedKeys.Add(2)
	dirty := s.stats.dirty.Load()
	if got := doStr(t, a, "CONFIG", "RESETSTAT"); got != "+OK\r\n" {
		t.Fatalf("CONFIG RESETSTAT = %q", got)
	}
	st := &s.stats
	if st.keyspaceHits.Load() != 0 || st.keyspaceMisses.Load() != 0 || st.expiredKeys.Load() != 0 || st.evictedKeys.Load() != 0 {
		t.Errorf("stats not reset: %d %d %d %d", st.keyspaceHits.Load(), st.keyspaceMisses.Load(),
			st.expiredKeys.Load(), st.evictedKeys.Load())
	}
	if st.dirty.Load() != dirty {
		t.Errorf("dirty = %d, want %d kept", st.dirty.Load(), dirty)
	}
	// Command statistics start again too.
	if got := doStr(t, a, "INFO", "commandstats"); strings.Contains(got, "cmdstat_get:") {
		t.Errorf("INFO commandstats after CONFIG RESETSTAT:\n%s", got)
	}
}

func TestConfigRewriteCommand(t *testing.T) {
	s := startNode(t, nil)
	a := dialNode(t, s.Addr().String())
	if got := doStr(t, a, "CONFIG", "REWRITE"); got != "-ERR The server is running without a config file\r\n" {
		t.Errorf("CONFIG REWRITE without a file = %q", got)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "node.yaml")
	orig := "# my node\nport: 0\ndir: " + dir + "\n\n# memory\nmaxmemory: 100mb # a lot\nlog-level: info\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	s = startNode(t, func(c *Config) { c.ConfigFile = path; c.Dir = dir; c.MaxMemory = 100 << 20 })
	a = dialNode(t, s.Addr().String())
	if got := doStr(t, a, "CONFIG", "REWRITE"); got != "+OK\r\n" {
		t.Fatalf("CONFIG REWRITE = %q", got)
	}
	if b, _ := os.ReadFile(path); string(b) != orig {
		t.Errorf("unchanged values rewrote the file:\n%s", b)
	}
	doStr(t, a, "CONFIG", "SET", "maxmemory", "1gb", "hz", "20", "save", "100 1")
	if got := doStr(t, a, "CONFIG", "REWRITE"); got != "+OK\r\n" {
		t.Fatalf("CONFIG REWRITE = %q", got)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# my node\nport: 0\ndir: " + dir + "\n\n# memory\nmaxmemory: 1gb # a lot\nlog-level: info\n" +
		rewriteSignature + "\nhz: 20\nsave: 100 1\n"
	if string(b) != want {
		t.Errorf("rewritten file:\n%s\nwant:\n%s", b, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after rewrite: %v, %v", fi.Mode(), err)
	}

	// A file that cannot be written is an error, and the old one stays.
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if os.Getuid() != 0 {
		doStr(t, a, "CONFIG", "SET", "hz", "30")
		if got := doStr(t, a, "CONFIG", "REWRITE"); got != "-ERR Rewriting config file: Permission denied\r\n" {
			t.Errorf("CONFIG REWRITE in a read-only directory = %q", got)
		}
	}
}

func TestRewriteYAML(t *testing.T) {
	defaults, _ := DefaultConfig().initialParams()
	with := func(kv ...string) []string {
		vals := append([]string(nil), defaults...)
		for i := 0; i < len(kv); i += 2 {
			vals[paramIndex(kv[i])] = kv[i+1]
		}
		return vals
	}
	tests := []struct {
		name      string
		old       string
		vals      []string
		want      string
		wantError bool
	}{
		{"empty file, defaults", "", defaults, "", false},
		{"empty file, changes appended in table order",
			"", with("maxmemory", "1073741824", "requirepass", "p w", "save", "", "notify-keyspace-events", "AKE"),
			rewriteSignature + "\nrequirepass: p w\nmaxmemory: 1gb\nsave: \"\"\nnotify-keyspace-events: AKE\n", false},
		{"values kept as spelled when they mean the same",
			"maxmemory: 1GB\nshutdown-timeout: 10s\nappendonly: false\nhz: 10\nproto-max-bulk-len: 512mb\n",
			with("maxmemory", "1073741824"),
			"maxmemory: 1GB\nshutdown-timeout: 10s\nappendonly: false\nhz: 10\nproto-max-bulk-len: 512mb\n", false},
		{"changed values replaced in place, comments kept",
			"# head\nhz: 10 # why\n\n# memory\nmaxmemory: 0\nmetrics-addr: \":9121\"\n",
			with("hz", "20", "maxmemory", "104857600"),
			"# head\nhz: 20 # why\n\n# memory\nmaxmemory: 100mb\nmetrics-addr: \":9121\"\n", false},
		{"a key back at its default is rewritten, not removed",
			"hz: 20\n", defaults, "hz: 10\n", false},
		{"aliases keep their spelling",
			"hash-max-ziplist-entries: 128\nslave-read-only: yes\n", with("hash-max-listpack-entries", "64", "replica-read-only", "no"),
			"hash-max-ziplist-entries: 64\nslave-read-only: no\n", false},
		{"multi-line values replaced whole",
			"proc-title-template: >-\n  {title}\n  x\n# next\nhz: 10\n", with("proc-title-template", "{port}"),
			"proc-title-template: '{port}'\n# next\nhz: 10\n", false},
		{"signature not repeated",
			rewriteSignature + "\nhz: 20\n", with("hz", "20", "maxmemory", "1000"),
			rewriteSignature + "\nhz: 20\nmaxmemory: 1000\n", false},
		{"memory units, percentages, octal and negative numbers",
			"", with("maxmemory-clients", "10%", "unixsocketperm", "700", "list-max-listpack-size", "-3", "repl-backlog-size", "1048577"),
			rewriteSignature + "\nlist-max-listpack-size: -3\nunixsocketperm: \"700\"\nrepl-backlog-size: 1048577\nmaxmemory-clients: 10%\n", false},
		{"client-output-buffer-limit: the classes changed, with units",
			"client-output-buffer-limit: pubsub 1 2 3\n",
			with("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 120"),
			"client-output-buffer-limit: pubsub 64mb 16mb 120\n", false},
		{"client-output-buffer-limit back at its defaults",
			"client-output-buffer-limit: pubsub 1 2 3\n", defaults, "client-output-buffer-limit: \"\"\n", false},
		{"not a mapping", "- a\n- b\n", defaults, "", true},
		{"not YAML", "a: [\n", defaults, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rewriteYAML([]byte(tt.old), tt.vals, defaults)
			if tt.wantError {
				if err == nil {
					t.Fatalf("no error; got\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestConfigHelp(t *testing.T) {
	s := startNode(t, nil)
	got := doStr(t, dialNode(t, s.Addr().String()), "CONFIG", "HELP")
	if !strings.HasPrefix(got, "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n") ||
		!strings.HasSuffix(got, "+    Prints this help.\r\n") {
		t.Errorf("CONFIG HELP = %q", got)
	}
}

func TestFormatMemory(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 1: "1", 1024: "1kb", 1536: "1536", 3 << 20: "3mb",
		5 << 30: "5gb", 1<<30 + 1<<20: "1025mb", 1<<64 - 1: "18446744073709551615"} {
		if got := formatMemory(n); got != want {
			t.Errorf("formatMemory(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestErrnoText(t *testing.T) {
	if got := errnoText(&os.PathError{Op: "open", Path: "x", Err: os.ErrNotExist}); got == "" {
		t.Error("empty text")
	}
	if got := errnoText(&os.PathError{Op: "stat", Path: "x", Err: syscall.ENOENT}); got != "No such file or directory" {
		t.Errorf("errnoText(ENOENT) = %q", got)
	}
}

// The accessors run per command (memoryLimits), per auth check
// (requirePass) and per write (encodingLimits): no locks, no allocations.
func BenchmarkParamAccessors(b *testing.B) {
	s := startNode(b, nil)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n += int(s.memoryLimits().maxmemory) + s.encodingLimits().hashMaxListpackEntries + len(s.requirePass())
	}
	if n < 0 {
		b.Fatal(n)
	}
}
