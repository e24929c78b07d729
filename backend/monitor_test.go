package backend

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

var monitorPrefix = regexp.MustCompile(`^\+\d{10}\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\] `)

// monitorSession runs cmds on one client of the server at addr while a
// second client monitors, and returns what the monitor saw with times and
// ports masked.
func monitorSession(t *testing.T, addr string, cmds [][]string) []string {
	t.Helper()
	m := dialNode(t, addr)
	if got := doStr(t, m, "MONITOR"); got != "+OK\r\n" {
		t.Fatalf("MONITOR = %q", got)
	}
	c := dialNode(t, addr)
	for _, cmd := range cmds {
		doStr(t, c, cmd...)
	}
	doStr(t, c, "ECHO", "end")
	var out []string
	for {
		line := admRecv(t, m)
		if !monitorPrefix.MatchString(line) {
			t.Fatalf("monitor line %q", line)
		}
		line = monitorPrefix.ReplaceAllString(line, "+T [$1 ADDR] ")
		out = append(out, line)
		if strings.HasSuffix(line, `"ECHO" "end"`+"\r\n") {
			break
		}
	}
	// A monitor's own command: its reply, then its line.
	if err := m.Send("PING", "own"); err != nil {
		t.Fatal(err)
	}
	out = append(out, admRecv(t, m), monitorPrefix.ReplaceAllString(admRecv(t, m), "+T [$1 ADDR] "))
	// A monitor may not touch the keyspace.
	out = append(out, doStr(t, m, "GET", "k"))
	// RESET ends monitoring.
	out = append(out, doStr(t, m, "RESET"))
	doStr(t, c, "SET", "after", "reset")
	admNoReply(t, m, 100*time.Millisecond)
	return out
}

// TestMonitorMatchesRedis compares what MONITOR shows on a real
// redis-server and on a node: argument quoting, databases, MULTI/EXEC
// order, redacted secrets, hidden admin commands, rejected commands left
// out.
func TestMonitorMatchesRedis(t *testing.T) {
	cmds := [][]string{
		{"SET", "k", "v x\n\"q\"\\\t\r\a\b\x00\xff~"},
		{"GET", "k"},
		{"SELECT", "3"},
		{"SET", "k", "1"},
		{"SELECT", "0"},
		{"MULTI"},
		{"SET", "k", "2"},
		{"INCR", "k"},
		{"EXEC"},
		{"AUTH", "pw"},
		{"AUTH", "default", "pw"},
		{"HELLO", "2", "AUTH", "default", "pw", "SETNAME", "n"},
		{"CONFIG", "SET", "maxmemory", "0"}, // admin: hidden
		{"GET"},                             // rejected: hidden
		{"NOSUCH"},                          // unknown: hidden
		{"CLIENT", "INFO"},
		{"SET", "bad", "v", "EX", "x"}, // an error reply is still shown
		{"BLPOP", "l", "0.01"},
	}
	want := monitorSession(t, redistest.Start(t, redistest.Options{}).Addr, cmds)
	got := monitorSession(t, startNode(t).Addr().String(), cmds)
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Errorf("monitor output:\n got %q\nwant %q", got, want)
	}
}

// TestMonitorMany checks that several monitors each get every line, and
// that a monitor that disconnects is dropped.
func TestMonitorMany(t *testing.T) {
	s := startNode(t)
	addr := s.Addr().String()
	m1, m2 := dialNode(t, addr), dialNode(t, addr)
	doStr(t, m1, "MONITOR")
	doStr(t, m2, "MONITOR")
	if err := m2.Send("MONITOR"); err != nil { // ignored, without a reply
		t.Fatal(err)
	}
	c := dialNode(t, addr)
	doStr(t, c, "SET", "a", "1")
	for _, m := range []*redistest.Conn{m1, m2} {
		if got := admRecv(t, m); !strings.HasSuffix(got, `] "SET" "a" "1"`+"\r\n") {
			t.Errorf("monitor got %q", got)
		}
	}
	_ = m2.Close()
	time.Sleep(50 * time.Millisecond)
	doStr(t, c, "SET", "b", "2")
	if got := admRecv(t, m1); !strings.HasSuffix(got, `] "SET" "b" "2"`+"\r\n") {
		t.Errorf("monitor got %q", got)
	}
	// The closed monitor is found at the next sweep.
	time.Sleep(monitorSweepEvery + 100*time.Millisecond)
	doStr(t, c, "PING")
	admRecv(t, m1)
	if n := s.adm.mon.n.Load(); n != 1 {
		t.Errorf("%d monitors after one left", n)
	}
	// Its settings go too, so that commands leave the hooks' slow path
	// once no client needs it.
	_ = m1.Close()
	time.Sleep(settingsSweepEvery + 100*time.Millisecond)
	doStr(t, c, "PING")
	doStr(t, c, "PING")
	if n := s.adm.clients.special.Load(); n != 0 {
		t.Errorf("%d special clients after the monitors left", n)
	}
	if got := doStr(t, c, "MULTI"); got != "+OK\r\n" {
		t.Fatal(got)
	}
	doStr(t, c, "MONITOR")
	if got := doStr(t, c, "EXEC"); got != "*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n" {
		t.Errorf("MONITOR in EXEC = %q", got)
	}
}

func TestAppendRepr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{"a b", `"a b"`},
		{"\"\\", `"\"\\"`},
		{"\n\r\t\a\b", `"\n\r\t\a\b"`},
		{"\x00\x1f\x7f\x80\xff", `"\x00\x1f\x7f\x80\xff"`},
		{"~ ", `"~ "`},
	} {
		if got := string(appendRepr(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("repr(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func BenchmarkFeedMonitors(b *testing.B) {
	s := startNode(b)
	m := dialNode(b, s.Addr().String())
	doStr(b, m, "MONITOR")
	go func() {
		buf := make([]byte, 64<<10)
		for {
			if _, err := m.NetConn().Read(buf); err != nil {
				return
			}
		}
	}()
	c := dialNode(b, s.Addr().String())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Do("SET", "k", "v"); err != nil {
			b.Fatal(err)
		}
	}
}
