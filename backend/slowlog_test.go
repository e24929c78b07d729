package backend

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// slowlogArgs returns the argument arrays of a SLOWLOG GET reply, newest
// first, as the raw bytes of each.
func slowlogArgs(t *testing.T, reply string) []string {
	t.Helper()
	// Each entry: *6 :id :time :duration *N args... $peer $name.
	var out []string
	rest := reply
	_, rest, _ = strings.Cut(rest, "\r\n") // the outer array
	for strings.HasPrefix(rest, "*6\r\n") {
		rest = rest[len("*6\r\n"):]
		for range 3 {
			_, rest, _ = strings.Cut(rest, "\r\n")
		}
		n, err := redistestScan(rest)
		if err != nil {
			t.Fatalf("entry %q: %v", rest, err)
		}
		out = append(out, rest[:n])
		rest = rest[n:]
		for range 2 {
			m, err := redistestScan(rest)
			if err != nil {
				t.Fatal(err)
			}
			rest = rest[m:]
		}
	}
	return out
}

// redistestScan returns the length of the first reply in s.
func redistestScan(s string) (int, error) { return resp.ScanReply([]byte(s)) }

// TestSlowlogMatchesRedis logs the same commands on a real redis-server
// and a node with slowlog-log-slower-than 0 and compares what was logged
// of their arguments (truncation, redaction) and the log's length.
func TestSlowlogMatchesRedis(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	many := []string{"RPUSH", "l"}
	for i := range 40 {
		many = append(many, strconv.Itoa(i))
	}
	cmds := [][]string{
		{"CONFIG", "SET", "slowlog-log-slower-than", "0"},
		{"SLOWLOG", "RESET"},
		{"SET", "k", strings.Repeat("v", 200)},
		many,
		{"AUTH", "default", "secret"},
		{"AUTH", "onlypass"},
		{"HELLO", "2", "AUTH", "default", "pw", "SETNAME", "nm"},
		{"CONFIG", "SET", "requirepass", "", "maxmemory", "0"},
		{"CONFIG", "SET", "slowlog-max-len", "5"},
		{"GET", "k"},
		{"GET"}, // rejected: not logged
		{"EXEC"},
	}
	for _, c := range []*redistest.Conn{ref, ks} {
		for _, cmd := range cmds {
			doStr(t, c, cmd...)
		}
	}
	want := slowlogArgs(t, doStr(t, ref, "SLOWLOG", "GET", "-1"))
	got := slowlogArgs(t, doStr(t, ks, "SLOWLOG", "GET", "-1"))
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("slowlog arguments:\n got %q\nwant %q", got, want)
	}
	for _, cmd := range [][]string{
		{"SLOWLOG", "LEN"}, {"SLOWLOG", "GET", "0"}, {"SLOWLOG", "GET", "-2"}, {"SLOWLOG", "GET", "x"},
		{"SLOWLOG", "GET", "1", "2"}, {"SLOWLOG", "HELP"}, {"SLOWLOG", "RESET"}, {"SLOWLOG", "LEN"},
	} {
		if w, g := doStr(t, ref, cmd...), doStr(t, ks, cmd...); g != w {
			t.Errorf("%q: got %q, want %q", cmd, g, w)
		}
	}
	entry := doStr(t, ks, "SLOWLOG", "GET", "1")
	if !regexp.MustCompile(`^\*1\r\n\*6\r\n:\d+\r\n:\d{10}\r\n:\d+\r\n\*2\r\n\$7\r\nSLOWLOG\r\n\$3\r\nLEN\r\n\$15\r\n127\.0\.0\.1:\d{5}\r\n\$2\r\nnm\r\n$`).MatchString(entry) {
		t.Errorf("SLOWLOG GET 1 = %q", entry)
	}
}

// TestSlowlogThreshold checks that only commands at least as slow as the
// threshold are logged, after they ran (a blocked command once it is
// unblocked), and that ids go on across RESET.
func TestSlowlogThreshold(t *testing.T) {
	s := startNode(t, withParams(map[string]string{"enable-debug-command": "yes", "slowlog-log-slower-than": "20000"}))
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "fast", "1")
	doStr(t, c, "DEBUG", "SLEEP", "0.03")
	got := doStr(t, c, "SLOWLOG", "GET")
	m := regexp.MustCompile(`^\*1\r\n\*6\r\n:0\r\n:\d+\r\n:(\d+)\r\n\*3\r\n\$5\r\nDEBUG\r\n\$5\r\nSLEEP\r\n\$4\r\n0\.03\r\n`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("SLOWLOG GET = %q", got)
	}
	if us, _ := strconv.Atoi(m[1]); us < 30000 {
		t.Errorf("DEBUG SLEEP 0.03 logged as %dµs", us)
	}
	doStr(t, c, "SLOWLOG", "RESET")
	doStr(t, c, "CONFIG", "SET", "slowlog-log-slower-than", "0")
	b := dialNode(t, s.Addr().String())
	if err := b.Send("BLPOP", "l", "0.3"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got := doStr(t, c, "SLOWLOG", "GET"); strings.Contains(got, "BLPOP") {
		t.Errorf("blocked BLPOP logged before it was done: %q", got)
	}
	admRecv(t, b)
	time.Sleep(20 * time.Millisecond)
	if got := doStr(t, c, "SLOWLOG", "GET"); !strings.Contains(got, "BLPOP") {
		t.Errorf("timed out BLPOP not logged: %q", got)
	}
	if got := doStr(t, c, "SLOWLOG", "GET", "-1"); !strings.Contains(got, "*6\r\n:1\r\n") {
		t.Errorf("ids restarted after RESET: %q", got)
	}
	doStr(t, c, "CONFIG", "SET", "slowlog-log-slower-than", "-1")
	doStr(t, c, "SLOWLOG", "RESET")
	doStr(t, c, "PING")
	if got := doStr(t, c, "SLOWLOG", "LEN"); got != ":0\r\n" {
		t.Errorf("with slowlog-log-slower-than -1: LEN %q", got)
	}
}

// TestLatencyMonitor records command latencies over the threshold and
// reads them back as Redis's LATENCY subcommands do.
func TestLatencyMonitor(t *testing.T) {
	s := startNode(t, withParams(map[string]string{"enable-debug-command": "yes"}))
	c := dialNode(t, s.Addr().String())
	if got := bulkText(t, doStr(t, c, "LATENCY", "DOCTOR")); !strings.HasPrefix(got, "I'm sorry, Dave, I can't do that.") {
		t.Errorf("DOCTOR while disabled = %q", got)
	}
	doStr(t, c, "CONFIG", "SET", "latency-monitor-threshold", "10")
	if got := bulkText(t, doStr(t, c, "LATENCY", "DOCTOR")); !strings.HasPrefix(got, "Dave, no latency spike was observed") {
		t.Errorf("DOCTOR without events = %q", got)
	}
	doStr(t, c, "DEBUG", "SLEEP", "0.02")
	got := doStr(t, c, "LATENCY", "LATEST")
	m := regexp.MustCompile(`\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("LATEST = %q", got)
	}
	if ms, _ := strconv.Atoi(m[2]); ms < 20 || m[2] != m[3] {
		t.Errorf("LATEST latency %s max %s", m[2], m[3])
	}
	if got := doStr(t, c, "LATENCY", "HISTORY", "command"); !regexp.MustCompile(`^\*1\r\n\*2\r\n:\d+\r\n:` + m[2] + `\r\n$`).MatchString(got) {
		t.Errorf("HISTORY = %q", got)
	}
	graph := bulkText(t, doStr(t, c, "LATENCY", "GRAPH", "command"))
	if !regexp.MustCompile(`^command - high \d+ ms, low \d+ ms \(all time high \d+ ms\)\n-{80}\n \n \n \n_\n \n(\d\n)+s\n$`).MatchString(graph) {
		t.Errorf("GRAPH = %q", graph)
	}
	// The advice compares slowlog-log-slower-than (10ms) with the
	// threshold in force.
	doStr(t, c, "CONFIG", "SET", "latency-monitor-threshold", "5")
	doctor := bulkText(t, doStr(t, c, "LATENCY", "DOCTOR"))
	if !strings.HasPrefix(doctor, "Dave, I have observed latency spikes in this Redis instance.") ||
		!regexp.MustCompile(`\d\. command: 1 latency spikes \(average \d+ms, mean deviation 0ms, period 1\.00 sec\)\. Worst all time event \d+ms\.\n`).MatchString(doctor) ||
		!strings.Contains(doctor, "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 5000'.") {
		t.Errorf("DOCTOR = %q", doctor)
	}
	if got := doStr(t, c, "LATENCY", "RESET", "nosuch", "COMMAND"); got != ":1\r\n" {
		t.Errorf("RESET = %q", got)
	}
	if got := doStr(t, c, "LATENCY", "LATEST"); strings.Contains(got, "$7\r\ncommand\r\n") {
		t.Errorf("LATEST after RESET = %q", got)
	}
	if got := doStr(t, c, "LATENCY", "GRAPH", "command"); got != "-ERR No samples available for event 'command'\r\n" {
		t.Errorf("GRAPH after RESET = %q", got)
	}
}

// TestLatencyGraph checks the sparkline against a graph drawn by Redis
// 7.0.15 for samples of 50ms (3s ago) and 21ms (2s ago).
func TestLatencyGraph(t *testing.T) {
	got := string(latencyGraph("command", []latencySample{{at: 97, latency: 50}, {at: 98, latency: 21}}, 50, 100))
	want := "command - high 50 ms, low 21 ms (all time high 50 ms)\n" + strings.Repeat("-", 80) + "\n# \n| \n| \n|_\n  \n32\nss\n"
	if got != want {
		t.Errorf("graph:\n%q\nwant\n%q", got, want)
	}
	// One value only: relmax is taken as 1, every step 0.
	got = string(latencyGraph("e", []latencySample{{at: 100, latency: 7}}, 7, 100+3700))
	want = "e - high 7 ms, low 7 ms (all time high 7 ms)\n" + strings.Repeat("-", 80) + "\n \n \n \n_\n \n1\nh\n"
	if got != want {
		t.Errorf("graph:\n%q\nwant\n%q", got, want)
	}
}

// TestLatencyHist checks the histogram's HdrHistogram geometry: bucket
// boundaries and percentiles Redis 7.0.15 reported.
func TestLatencyHist(t *testing.T) {
	for _, tc := range []struct{ v, want int64 }{
		{1, 1}, {127, 127}, {255, 255}, {256, 257}, {1024, 1031}, {2048, 2063}, {3000, 3007},
		{32768, 33023}, {65536, 66047}, {1 << 20, 1056767}, {1 << 21, 2113535}, {1 << 25, 33816575},
	} {
		if got := histHighestEquivalent(tc.v); got != tc.want {
			t.Errorf("highestEquivalent(%d) = %d, want %d", tc.v, got, tc.want)
		}
		if got := histValue(histIndex(tc.v)); got > tc.v || histHighestEquivalent(got) != tc.want {
			t.Errorf("histValue(histIndex(%d)) = %d", tc.v, got)
		}
	}
	h := newLatencyHist()
	for _, us := range []int64{3, 3, 5, 8, 8, 8, 40} {
		h.record(us * 1000)
	}
	if got := float64(h.valueAtPercentile(50)) / 1000; strconv.FormatFloat(got, 'f', 3, 64) != "8.031" {
		t.Errorf("p50 = %v", got)
	}
	if got := float64(h.valueAtPercentile(99)) / 1000; strconv.FormatFloat(got, 'f', 3, 64) != "40.191" {
		t.Errorf("p99 = %v", got)
	}
	want := [][2]int64{{4, 2}, {8, 6}, {66, 7}}
	if got := h.cdf(); len(got) != len(want) || func() bool {
		for i := range got {
			if got[i] != want[i] {
				return true
			}
		}
		return false
	}() {
		t.Errorf("cdf = %v, want %v", got, want)
	}
	// Values are clamped to [1ns, 1s].
	h = newLatencyHist()
	h.record(0)
	h.record(5_000_000_000)
	if got := h.cdf(); len(got) != 2 || got[0] != [2]int64{1, 1} || got[1][1] != 2 {
		t.Errorf("clamped cdf = %v", got)
	}
}

// TestLatencyHistogramCommand checks LATENCY HISTOGRAM's shape against
// Redis: command names, calls and the cumulative buckets.
func TestLatencyHistogramCommand(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "k", "v")
	doStr(t, c, "SET", "k", "v")
	doStr(t, c, "CLIENT", "ID")
	got := doStr(t, c, "LATENCY", "HISTOGRAM", "set", "client", "nosuch", "SET")
	if !regexp.MustCompile(`^\*6\r\n\$3\r\nset\r\n\*4\r\n\$5\r\ncalls\r\n:2\r\n\$14\r\nhistogram_usec\r\n\*\d+\r\n(:\d+\r\n)+\$9\r\nclient\|id\r\n\*4\r\n\$5\r\ncalls\r\n:1\r\n\$14\r\nhistogram_usec\r\n\*\d+\r\n(:\d+\r\n)+\$3\r\nset\r\n`).MatchString(got) {
		t.Errorf("HISTOGRAM = %q", got)
	}
	doStr(t, c, "HELLO", "3")
	got = doStr(t, c, "LATENCY", "HISTOGRAM", "hello")
	if !regexp.MustCompile(`^%1\r\n\$5\r\nhello\r\n%2\r\n\$5\r\ncalls\r\n:1\r\n\$14\r\nhistogram_usec\r\n%1\r\n:\d+\r\n:1\r\n$`).MatchString(got) {
		t.Errorf("RESP3 HISTOGRAM = %q", got)
	}
}
