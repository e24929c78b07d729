package backend

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/server"
)

// admRecv reads one reply.
func admRecv(t testing.TB, c *redistest.Conn) string {
	t.Helper()
	r, err := c.Receive()
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	return string(r)
}

// admNoReply checks that nothing arrives on c within d.
func admNoReply(t testing.TB, c *redistest.Conn, d time.Duration) {
	t.Helper()
	old := c.Timeout
	c.Timeout = d
	defer func() { c.Timeout = old }()
	if r, err := c.Receive(); err == nil {
		t.Fatalf("unexpected reply %q", r)
	}
}

// bulkText returns the text of a bulk or verbatim string reply.
func bulkText(t testing.TB, r string) string {
	t.Helper()
	head, rest, ok := strings.Cut(r, "\r\n")
	if !ok || len(head) < 2 || (head[0] != '$' && head[0] != '=') {
		t.Fatalf("not a bulk string: %q", r)
	}
	n, err := strconv.Atoi(head[1:])
	if err != nil || n < 0 || len(rest) != n+2 {
		t.Fatalf("malformed bulk string: %q", r)
	}
	rest = rest[:n]
	if head[0] == '=' {
		rest = rest[4:]
	}
	return rest
}

// infoFields parses INFO text into sections of ordered "key" lists and a
// key -> value map.
func infoFields(text string) (map[string][]string, map[string]string) {
	secs := map[string][]string{}
	vals := map[string]string{}
	cur := ""
	for _, line := range strings.Split(text, "\r\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			cur = line[2:]
			secs[cur] = []string{}
		case line == "":
		default:
			k, v, _ := strings.Cut(line, ":")
			secs[cur] = append(secs[cur], k)
			vals[k] = v
		}
	}
	return secs, vals
}

func sectionOrder(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\r\n") {
		if strings.HasPrefix(line, "# ") {
			out = append(out, line[2:])
		}
	}
	return out
}

// TestInfoMatchesRedisLayout compares INFO's sections, their order and
// every field name and its place with a real redis-server 7.0.
func TestInfoMatchesRedisLayout(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	for _, c := range []*redistest.Conn{ref, ks} {
		doStr(t, c, "SET", "k", "v")
		doStr(t, c, "GET")
	}
	for _, args := range [][]string{
		{"INFO"}, {"INFO", "default"}, {"INFO", "all"}, {"INFO", "everything"},
		{"INFO", "server", "CPU", "cpu"}, {"INFO", "foo"}, {"INFO", "keyspace", "clients"},
	} {
		want := bulkText(t, doStr(t, ref, args...))
		got := bulkText(t, doStr(t, ks, args...))
		if w, g := sectionOrder(want), sectionOrder(got); !slices.Equal(w, g) {
			t.Errorf("%q sections:\n got %q\nwant %q", args, g, w)
		}
		ws, _ := infoFields(want)
		gs, _ := infoFields(got)
		for sec, keys := range ws {
			switch sec {
			case "Commandstats", "Latencystats", "Errorstats":
				continue // their lines depend on what ran
			}
			if !slices.Equal(keys, gs[sec]) {
				t.Errorf("%q section %s fields:\n got %q\nwant %q", args, sec, gs[sec], keys)
			}
		}
	}
	if got := doStr(t, ks, "INFO", "foo"); got != "$0\r\n\r\n" {
		t.Errorf("INFO foo = %q", got)
	}
	// RESP3: a verbatim string.
	doStr(t, ks, "HELLO", "3")
	if got := doStr(t, ks, "INFO", "cluster"); got != "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n" {
		t.Errorf("RESP3 INFO cluster = %q", got)
	}
}

func TestInfoValues(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	d := dialNode(t, s.Addr().String())
	doStr(t, d, "PING")
	doStr(t, c, "SET", "a", "1")
	doStr(t, c, "SET", "b", "2", "EX", "100")
	doStr(t, c, "GET", "a")
	doStr(t, c, "GET", "nokey")
	doStr(t, c, "SELECT", "3")
	doStr(t, c, "SET", "x", "y")
	_, v := infoFields(bulkText(t, doStr(t, c, "INFO")))
	checks := map[string]string{
		"redis_version":     "7.0.15",
		"redis_mode":        "standalone",
		"connected_clients": "2",
		"blocked_clients":   "0",
		"keyspace_hits":     "1",
		"keyspace_misses":   "1",
		"role":              "master",
		"cluster_enabled":   "0",
		"db0":               "keys=2,expires=1,avg_ttl=0",
		"db3":               "keys=1,expires=0,avg_ttl=0",
		"maxmemory_policy":  "noeviction",
		"tcp_port":          s.Addr().String()[strings.LastIndexByte(s.Addr().String(), ':')+1:],
	}
	for k, want := range checks {
		if v[k] != want {
			t.Errorf("%s = %q, want %q", k, v[k], want)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(v["run_id"]) {
		t.Errorf("run_id = %q", v["run_id"])
	}
	_, v2 := infoFields(bulkText(t, doStr(t, c, "INFO", "server", "stats")))
	if v2["run_id"] != v["run_id"] {
		t.Errorf("run_id changed: %q then %q", v["run_id"], v2["run_id"])
	}
	// PING, 2 SET, 2 GET, SELECT, SET, INFO ran before the second INFO.
	if v2["total_commands_processed"] != "8" {
		t.Errorf("total_commands_processed = %q, want 8", v2["total_commands_processed"])
	}
	if n, _ := strconv.Atoi(v["used_memory"]); n <= 0 {
		t.Errorf("used_memory = %q", v["used_memory"])
	}
	if v["process_id"] == "" || v["uptime_in_seconds"] == "" {
		t.Errorf("process_id %q uptime %q", v["process_id"], v["uptime_in_seconds"])
	}
}

// TestCommandStats checks the counters of INFO commandstats, errorstats
// and latencystats, like Redis's info.tcl tests.
func TestCommandStats(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "k", "v")
	doStr(t, c, "SET", "k", "v")
	doStr(t, c, "GET")                // rejected: arity
	doStr(t, c, "CLIENT")             // rejected: the container's arity
	doStr(t, c, "NOSUCH")             // unknown: no command to count
	doStr(t, c, "CLIENT", "ID")       // a connection-level command
	doStr(t, c, "CLIENT", "NOSUCHSB") // unknown subcommand
	doStr(t, c, "MULTI")
	doStr(t, c, "INCR", "n")
	doStr(t, c, "ECHO", "x")
	doStr(t, c, "EXEC")
	text := bulkText(t, doStr(t, c, "INFO", "commandstats"))
	for _, want := range []string{
		`cmdstat_set:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0`,
		`cmdstat_get:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0`,
		`cmdstat_client:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0`,
		`cmdstat_client\|id:calls=1,`,
		`cmdstat_incr:calls=1,`,
		`cmdstat_echo:calls=1,`,
		`cmdstat_exec:calls=1,`,
		`cmdstat_multi:calls=1,`,
	} {
		if !regexp.MustCompile(`(?m)^` + want).MatchString(text) {
			t.Errorf("commandstats lack %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "nosuch") {
		t.Errorf("unknown command counted:\n%s", text)
	}
	text = bulkText(t, doStr(t, c, "INFO", "errorstats"))
	if text != "# Errorstats\r\nerrorstat_ERR:count=4\r\n" {
		t.Errorf("errorstats = %q", text)
	}
	text = bulkText(t, doStr(t, c, "INFO", "latencystats"))
	if !regexp.MustCompile(`(?m)^latency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r$`).MatchString(text) ||
		!strings.Contains(text, "latency_percentiles_usec_client|id:") {
		t.Errorf("latencystats:\n%s", text)
	}
	_, v := infoFields(bulkText(t, doStr(t, c, "INFO", "stats")))
	if v["total_error_replies"] != "4" {
		t.Errorf("total_error_replies = %q", v["total_error_replies"])
	}
	// CONFIG RESETSTAT's share: the admin counters start again.
	s.resetStats()
	text = bulkText(t, doStr(t, c, "INFO", "commandstats"))
	if text != "# Commandstats\r\n" {
		t.Errorf("after resetStats: %q", text)
	}
}

// TestLatencyTrackingOff checks that latency-tracking no keeps no
// histograms.
func TestLatencyTrackingOff(t *testing.T) {
	s := startNode(t, withParams(map[string]string{"latency-tracking": "no"}))
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "k", "v")
	if text := bulkText(t, doStr(t, c, "INFO", "latencystats")); text != "# Latencystats\r\n" {
		t.Errorf("latencystats = %q", text)
	}
}

func TestMemoryUsageMatchesRedis(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	var cmds [][]string
	for _, n := range []int{0, 1, 12, 13, 20, 21, 28, 29, 44, 45, 60, 100, 127, 200, 255, 256, 1000, 4000, 16000, 20000, 65535, 70000} {
		cmds = append(cmds, []string{"SET", "k", strings.Repeat("a", n)}, []string{"MEMORY", "USAGE", "k"})
	}
	for _, v := range []string{"0", "1", "-1", "9999", "10000", "12345678901", "-9223372036854775808", "9223372036854775807", "01", "1.5"} {
		cmds = append(cmds, []string{"SET", "k", v}, []string{"MEMORY", "USAGE", "k"})
	}
	for _, n := range []int{1, 31, 32, 44, 100, 255, 256, 1000} {
		key := strings.Repeat("k", n)
		cmds = append(cmds, []string{"SET", key, "v"}, []string{"MEMORY", "USAGE", key, "SAMPLES", "0"})
	}
	cmds = append(cmds, []string{"MEMORY", "USAGE", "nokey"}, []string{"MEMORY", "USAGE", "k", "SAMPLES"})
	for _, cmd := range cmds {
		want, got := doStr(t, ref, cmd...), doStr(t, ks, cmd...)
		if got != want {
			t.Errorf("%.60q: got %q, want %q", cmd, got, want)
		}
	}
}

func TestMallocSize(t *testing.T) {
	for _, tc := range []struct{ n, want int64 }{
		{1, 8}, {8, 8}, {9, 16}, {16, 16}, {17, 32}, {24, 32}, {33, 48}, {128, 128}, {129, 160},
		{160, 160}, {161, 192}, {256, 256}, {257, 320}, {1006, 1024}, {1025, 1280}, {4096, 4096},
		{16384, 16384}, {16385, 20480}, {70010, 81920},
	} {
		if got := mallocSize(tc.n); got != tc.want {
			t.Errorf("mallocSize(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestShutdown(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	for _, tc := range []struct{ args, want string }{
		{"SHUTDOWN ABORT", "-ERR No shutdown in progress.\r\n"},
		{"SHUTDOWN foo", "-ERR syntax error\r\n"},
		{"SHUTDOWN NOSAVE SAVE", "-ERR syntax error\r\n"},
		{"SHUTDOWN NOSAVE ABORT", "-ERR syntax error\r\n"},
		{"SHUTDOWN SAVE", "-ERR Errors trying to SHUTDOWN. Check logs.\r\n"},
	} {
		if got := doStr(t, c, strings.Fields(tc.args)...); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.args, got, tc.want)
		}
	}
	select {
	case <-s.ShutdownRequested():
		t.Fatal("shutdown requested by a failed SHUTDOWN")
	default:
	}
	if err := c.Send("SHUTDOWN", "NOSAVE", "NOW"); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Receive(); err == nil {
		t.Fatalf("SHUTDOWN replied %q", r)
	}
	select {
	case <-s.ShutdownRequested():
	case <-time.After(5 * time.Second):
		t.Fatal("ShutdownRequested not closed")
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Ready() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Ready() {
		t.Fatal("node still serving after SHUTDOWN")
	}
}

// TestHooksDoNotAllocate checks that the per-command hooks cost no
// allocation when no monitor is attached and the command is fast.
func TestHooksDoNotAllocate(t *testing.T) {
	s := startNode(t)
	cl := &client{conn: &server.Conn{}}
	cl.x = Ctx{s: s, cl: cl}
	cl.multiN.Store(-1)
	rc := s.Commands().Table().ByName([]byte("get"))
	args := [][]byte{[]byte("get"), []byte("k")}
	fn := func(*server.Conn, [][]byte) {}
	s.call(cl, rc, fn, args) // the first call creates the histogram
	n := testing.AllocsPerRun(100, func() {
		if msg := s.admit(cl, rc, args, ""); msg != "" {
			t.Fatal(msg)
		}
		s.call(cl, rc, fn, args)
	})
	if n != 0 {
		t.Errorf("hooks allocate %v times per command", n)
	}
}

func BenchmarkCommandHooks(b *testing.B) {
	s := startNode(b)
	cl := &client{conn: &server.Conn{}}
	cl.x = Ctx{s: s, cl: cl}
	rc := s.Commands().Table().ByName([]byte("get"))
	args := [][]byte{[]byte("get"), []byte("k")}
	fn := func(*server.Conn, [][]byte) {}
	b.ReportAllocs()
	for b.Loop() {
		_ = s.admit(cl, rc, args, "")
		s.call(cl, rc, fn, args)
	}
}

// TestAdminCommandsInMulti runs the introspection commands inside EXEC,
// where the keyspace is already held: none may wait for it.
func TestAdminCommandsInMulti(t *testing.T) {
	s := startNode(t, withParams(map[string]string{"enable-debug-command": "yes"}))
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "k", "v")
	doStr(t, c, "MULTI")
	cmds := [][]string{
		{"INFO"}, {"INFO", "everything"}, {"MEMORY", "STATS"}, {"MEMORY", "USAGE", "k"}, {"MEMORY", "DOCTOR"},
		{"CLIENT", "LIST"}, {"CLIENT", "INFO"}, {"CLIENT", "UNBLOCK", "1"}, {"CLIENT", "NO-EVICT", "on"},
		{"SLOWLOG", "GET"}, {"LATENCY", "HISTOGRAM"}, {"DEBUG", "DIGEST"}, {"DEBUG", "OBJECT", "k"},
		{"DEBUG", "POPULATE", "3"}, {"CLIENT", "PAUSE", "0"},
	}
	for _, cmd := range cmds {
		if got := doStr(t, c, cmd...); got != "+QUEUED\r\n" {
			t.Fatalf("%q = %q", cmd, got)
		}
	}
	got := doStr(t, c, "EXEC")
	if !strings.HasPrefix(got, "*"+strconv.Itoa(len(cmds))+"\r\n") {
		t.Errorf("EXEC = %.200q", got)
	}
}
