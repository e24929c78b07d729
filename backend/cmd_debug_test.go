package backend

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

// admPair is a real redis-server and a node, both allowing DEBUG.
func admPair(t *testing.T) (ref, ks *redistest.Conn) {
	t.Helper()
	ref = dialNode(t, redistest.Start(t, redistest.Options{Args: []string{"--enable-debug-command", "yes"}}).Addr)
	ks = dialNode(t, startNode(t, withParams(map[string]string{"enable-debug-command": "yes"})).Addr().String())
	return ref, ks
}

// TestDebugDigestMatchesRedis builds the same string dataset on both, in
// several databases and with TTLs, and compares DEBUG DIGEST and DEBUG
// DIGEST-VALUE.
func TestDebugDigestMatchesRedis(t *testing.T) {
	ref, ks := admPair(t)
	cmds := [][]string{
		{"DEBUG", "DIGEST"},
		{"SET", "k", "v"},
		{"DEBUG", "DIGEST"},
		{"SET", "int", "12345"},
		{"SET", "neg", "-7"},
		{"SET", "big", strings.Repeat("xyz", 100)},
		{"SET", "empty", ""},
		{"SET", "bin", "\x00\xff\r\n"},
		{"SET", "ttl", "v", "EX", "1000"},
		{"APPEND", "app", "abc"},
		{"SETRANGE", "sr", "5", "z"},
		{"INCRBYFLOAT", "f", "1.5"},
		{"SELECT", "3"},
		{"SET", "k", "v"},
		{"SET", "other", "w", "PX", "100000"},
		{"SELECT", "15"},
		{"MSET", "a", "1", "b", "2"},
		{"SELECT", "0"},
		{"DEBUG", "DIGEST"},
		{"DEBUG", "DIGEST-VALUE", "k", "int", "ttl", "nokey", "big", "app", "sr", "f"},
		{"DEBUG", "DIGEST-VALUE"},
		{"DEBUG", "DIGEST", "x"},
		{"PERSIST", "ttl"},
		{"DEBUG", "DIGEST"},
		{"DEBUG", "POPULATE", "50"},
		{"DEBUG", "POPULATE", "5", "pre", "20"},
		{"DEBUG", "POPULATE", "5", "short", "2"},
		{"DEBUG", "POPULATE", "-1"},
		{"DEBUG", "POPULATE", "x"},
		{"DEBUG", "POPULATE", "1", "p", "-1"},
		{"DBSIZE"},
		{"DEBUG", "DIGEST"},
		{"FLUSHALL"},
		{"DEBUG", "DIGEST"},
	}
	for _, cmd := range cmds {
		if w, g := doStr(t, ref, cmd...), doStr(t, ks, cmd...); g != w {
			t.Errorf("%q: got %q, want %q", cmd, g, w)
		}
	}
}

// TestDigestHelpersMatchRedis checks the helpers other types build their
// digestValue with against what Redis reports for lists, sets, hashes and
// sorted sets.
func TestDigestHelpersMatchRedis(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{Args: []string{"--enable-debug-command", "yes"}}).Addr)
	doStr(t, ref, "RPUSH", "l", "a", "12", "", "b")
	doStr(t, ref, "SADD", "s", "x", "y", "7")
	doStr(t, ref, "HSET", "h", "f1", "v1", "f2", "2")
	doStr(t, ref, "ZADD", "z", "1.5", "a", "0.1", "b", "-3", "c", "inf", "d")
	doStr(t, ref, "ZADD", "zbig", "1", strings.Repeat("m", 100), "2", "n")
	doStr(t, ref, "EXPIRE", "h", "100")
	typed := func(code uint32) *digest {
		var d digest
		d.mix([]byte{byte(code >> 24), byte(code >> 16), byte(code >> 8), byte(code)})
		return &d
	}
	l := typed(1)
	for _, e := range []string{"a", "12", "", "b"} {
		l.mix([]byte(e))
	}
	s := typed(2)
	for _, e := range []string{"y", "7", "x"} {
		s.xor([]byte(e))
	}
	h := typed(4)
	digestPair(h, []byte("f2"), []byte("2"))
	digestPair(h, []byte("f1"), []byte("v1"))
	h.xor([]byte("!!expire!!"))
	z := typed(3)
	for _, m := range []struct {
		m string
		s float64
	}{{"d", posInf()}, {"a", 1.5}, {"c", -3}, {"b", 0.1}} {
		digestPair(z, []byte(m.m), []byte(formatFloat(m.s)))
	}
	zb := typed(3)
	digestPair(zb, []byte("n"), []byte("2"))
	digestPair(zb, []byte(strings.Repeat("m", 100)), []byte("1"))
	want := doStr(t, ref, "DEBUG", "DIGEST-VALUE", "l", "s", "h", "z", "zbig")
	got := "*5\r\n"
	for _, d := range []*digest{l, s, h, z, zb} {
		got += "+" + hex.EncodeToString(d[:]) + "\r\n"
	}
	if got != want {
		t.Errorf("digests:\n got %q\nwant %q", got, want)
	}
}

func posInf() float64 { f, _ := strconv.ParseFloat("inf", 64); return f }

// TestDebugMatchesRedis compares DEBUG's deterministic replies: HELP,
// PROTOCOL in both protocols, errors, SLEEP, SET-ACTIVE-EXPIRE.
func TestDebugMatchesRedis(t *testing.T) {
	ref, ks := admPair(t)
	var cmds [][]string
	for _, p := range []string{"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib", "push", "verbatim", "true", "false", "foo"} {
		cmds = append(cmds, []string{"DEBUG", "PROTOCOL", p})
	}
	cmds = append(cmds, []string{"HELLO", "3"})
	cmds = append(cmds, cmds[:len(cmds)-1]...)
	cmds = append(cmds,
		[]string{"HELLO", "2"},
		[]string{"DEBUG", "HELP"},
		[]string{"DEBUG", "help", "x"},
		[]string{"DEBUG"},
		[]string{"DEBUG", "foo"},
		[]string{"DEBUG", "object"},
		[]string{"DEBUG", "OBJECT", "nokey"},
		[]string{"DEBUG", "sleep"},
		[]string{"DEBUG", "SLEEP", "0"},
		[]string{"DEBUG", "SLEEP", "x"},
		[]string{"DEBUG", "SLEEP", "0.001abc"},
		[]string{"DEBUG", "SLEEP", "-1"},
		[]string{"DEBUG", "SET-ACTIVE-EXPIRE", "1"},
		[]string{"DEBUG", "SET-ACTIVE-EXPIRE"},
		[]string{"DEBUG", "ERROR", "foo bar"},
		[]string{"DEBUG", "ERROR", "WRONGTYPE custom"},
		[]string{"DEBUG", "LOG", "hello"},
		[]string{"DEBUG", "CHANGE-REPL-ID"},
		[]string{"DEBUG", "JMAP"},
		[]string{"SET", "k", "v"},
		[]string{"SET", "n", "123"},
		[]string{"SET", "big", strings.Repeat("a", 100)},
		[]string{"SET", "long", "1234567890123456789"},
	)
	ids := regexp.MustCompile(`id\r\n:\d+`)
	for _, cmd := range cmds {
		w, g := doStr(t, ref, cmd...), doStr(t, ks, cmd...)
		if strings.HasPrefix(w, ">") {
			// A push comes before the reply proper.
			w += admRecv(t, ref)
			g += admRecv(t, ks)
		}
		if ids.ReplaceAllString(g, "") != ids.ReplaceAllString(w, "") {
			t.Errorf("%q: got %q, want %q", cmd, g, w)
		}
	}
	// DEBUG OBJECT: everything but the address and the LRU clock.
	mask := regexp.MustCompile(`Value at:0x[0-9a-f]+ (.*) lru:\d+ lru_seconds_idle:\d+`)
	for _, key := range []string{"k", "n", "big", "long"} {
		w, g := doStr(t, ref, "DEBUG", "OBJECT", key), doStr(t, ks, "DEBUG", "OBJECT", key)
		if mask.ReplaceAllString(g, "$1") != mask.ReplaceAllString(w, "$1") || !mask.MatchString(g) {
			t.Errorf("DEBUG OBJECT %s: got %q, want %q", key, g, w)
		}
	}
}

func TestDebugRefusedByDefault(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	for _, cmd := range [][]string{
		{"DEBUG", "DIGEST"}, {"DEBUG"}, {"MULTI"}, {"DEBUG", "HELP"}, {"EXEC"},
		{"INFO", "errorstats"},
	} {
		if w, g := doStr(t, ref, cmd...), doStr(t, ks, cmd...); g != w {
			t.Errorf("%q: got %q, want %q", cmd, g, w)
		}
	}
	text := bulkText(t, doStr(t, ks, "INFO", "commandstats"))
	if !strings.Contains(text, "cmdstat_debug:calls=0,usec=0,usec_per_call=0.00,rejected_calls=3,failed_calls=0") {
		t.Errorf("commandstats:\n%s", text)
	}
}

func TestDebugLocal(t *testing.T) {
	ks := dialNode(t, startNode(t, withParams(map[string]string{"enable-debug-command": "local"})).Addr().String())
	if got := doStr(t, ks, "DEBUG", "SET-ACTIVE-EXPIRE", "1"); got != "+OK\r\n" {
		t.Errorf("DEBUG from loopback with local = %q", got)
	}
}

// TestDebugSetActiveExpire checks that keys stay while the active expire
// cycle is off, and go once it is back on.
func TestDebugSetActiveExpire(t *testing.T) {
	s := startNode(t, withParams(map[string]string{"enable-debug-command": "yes"}))
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	doStr(t, c, "SET", "k", "v", "PX", "10")
	time.Sleep(400 * time.Millisecond)
	if got := doStr(t, c, "DBSIZE"); got != ":1\r\n" {
		t.Fatalf("DBSIZE with active expire off = %q", got)
	}
	doStr(t, c, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
	deadline := time.Now().Add(5 * time.Second)
	for doStr(t, c, "DBSIZE") != ":0\r\n" {
		if time.Now().After(deadline) {
			t.Fatal("the key never expired with active expire on")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAtoiStrtod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{{"1", 1}, {"0", 0}, {"x", 0}, {" 12ab", 12}, {"-3", -3}, {"+4", 4}, {"", 0}} {
		if got := atoi([]byte(tc.in)); got != tc.want {
			t.Errorf("atoi(%q) = %d", tc.in, got)
		}
	}
	for _, tc := range []struct {
		in   string
		want float64
	}{{"0.5", 0.5}, {"x", 0}, {"1.5abc", 1.5}, {" 2", 2}, {"1e3", 1000}, {"-0.25", -0.25}, {"", 0}} {
		if got := strtodPrefix([]byte(tc.in)); got != tc.want {
			t.Errorf("strtod(%q) = %v", tc.in, got)
		}
	}
}

func BenchmarkDatasetDigest(b *testing.B) {
	s := startNode(b, withParams(map[string]string{"enable-debug-command": "yes"}))
	c := dialNode(b, s.Addr().String())
	doStr(b, c, "DEBUG", "POPULATE", "10000")
	b.ReportAllocs()
	for b.Loop() {
		doStr(b, c, "DEBUG", "DIGEST")
	}
}
