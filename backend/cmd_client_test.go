package backend

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

// clientLine returns the CLIENT LIST line of the client with the given
// name.
func clientLine(t *testing.T, list, name string) map[string]string {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(list, "\n"), "\n") {
		f := map[string]string{}
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(kv, "=")
			f[k] = v
		}
		if f["name"] == name {
			return f
		}
	}
	t.Fatalf("no client %q in %q", name, list)
	return nil
}

func fieldNames(line string) []string {
	var out []string
	for _, kv := range strings.Fields(line) {
		k, _, _ := strings.Cut(kv, "=")
		out = append(out, k)
	}
	return out
}

func clientID(t *testing.T, c *redistest.Conn) string {
	t.Helper()
	r := doStr(t, c, "CLIENT", "ID")
	return strings.TrimSuffix(strings.TrimPrefix(r, ":"), "\r\n")
}

// TestClientInfoFields compares CLIENT INFO's field names and order with
// a real redis-server's.
func TestClientInfoFields(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	want := fieldNames(bulkText(t, doStr(t, ref, "CLIENT", "INFO")))
	got := fieldNames(bulkText(t, doStr(t, ks, "CLIENT", "INFO")))
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("CLIENT INFO fields:\n got %q\nwant %q", got, want)
	}
	line := bulkText(t, doStr(t, ks, "CLIENT", "INFO"))
	if !regexp.MustCompile(`^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=-1 name= age=\d+ idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=36 events=r cmd=client\|info user=default redir=-1 resp=2\n$`).MatchString(line) {
		t.Errorf("CLIENT INFO = %q", line)
	}
}

// TestClientListState checks what CLIENT LIST shows of other clients:
// names, databases, subscriptions, MULTI, blocking, MONITOR, NO-EVICT,
// the last command and the protocol.
func TestClientListState(t *testing.T) {
	s := startNode(t)
	addr := s.Addr().String()
	me := dialNode(t, addr)
	doStr(t, me, "CLIENT", "SETNAME", "me")
	sub := dialNode(t, addr)
	doStr(t, sub, "CLIENT", "SETNAME", "sub")
	doStr(t, sub, "SUBSCRIBE", "a", "b")
	admRecv(t, sub) // b's confirmation, so that PSUBSCRIBE's is its own
	doStr(t, sub, "PSUBSCRIBE", "p*")
	tx := dialNode(t, addr)
	doStr(t, tx, "CLIENT", "SETNAME", "tx")
	doStr(t, tx, "SELECT", "5")
	doStr(t, tx, "MULTI")
	doStr(t, tx, "SET", "k", "v")
	blk := dialNode(t, addr)
	doStr(t, blk, "CLIENT", "SETNAME", "blk")
	doStr(t, blk, "HELLO", "3")
	if err := blk.Send("BLPOP", "l", "0"); err != nil {
		t.Fatal(err)
	}
	mon := dialNode(t, addr)
	doStr(t, mon, "CLIENT", "SETNAME", "mon")
	doStr(t, mon, "CLIENT", "NO-EVICT", "on")
	doStr(t, mon, "MONITOR")
	deadline := time.Now().Add(5 * time.Second)
	for s.stats.blockedClients.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	list := bulkText(t, doStr(t, me, "CLIENT", "LIST"))
	for name, want := range map[string]map[string]string{
		"me":  {"flags": "N", "db": "0", "cmd": "client|list", "resp": "2", "multi": "-1"},
		"sub": {"flags": "P", "sub": "2", "psub": "1", "cmd": "psubscribe"},
		"tx":  {"flags": "x", "db": "5", "multi": "1", "cmd": "set"},
		"blk": {"flags": "b", "cmd": "blpop", "resp": "3"},
		"mon": {"flags": "Oe", "cmd": "monitor"},
	} {
		got := clientLine(t, list, name)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("client %s: %s=%q, want %q", name, k, got[k], v)
			}
		}
	}
	if got := bulkText(t, doStr(t, me, "CLIENT", "LIST", "TYPE", "pubsub")); !strings.Contains(got, "name=sub ") || strings.Count(got, "\n") != 1 {
		t.Errorf("TYPE pubsub = %q", got)
	}
	if got := bulkText(t, doStr(t, me, "CLIENT", "LIST", "TYPE", "normal")); strings.Contains(got, "name=sub ") || strings.Count(got, "\n") != 4 {
		t.Errorf("TYPE normal = %q", got)
	}
	id := clientID(t, me)
	if got := bulkText(t, doStr(t, me, "CLIENT", "LIST", "ID", id, "99999", id)); strings.Count(got, "name=me ") != 2 || strings.Count(got, "\n") != 2 {
		t.Errorf("ID %s 99999 %s = %q", id, id, got)
	}
	_, v := infoFields(bulkText(t, doStr(t, me, "INFO", "clients")))
	if v["connected_clients"] != "5" || v["blocked_clients"] != "1" || v["clients_in_timeout_table"] != "0" {
		t.Errorf("INFO clients: %v", v)
	}
}

func TestClientKill(t *testing.T) {
	s := startNode(t)
	addr := s.Addr().String()
	me := dialNode(t, addr)
	dead := func(c *redistest.Conn) {
		t.Helper()
		if r, err := c.Do("PING"); err == nil {
			t.Fatalf("killed client answered %q", r)
		}
	}
	// The old form, by address.
	a := dialNode(t, addr)
	doStr(t, a, "PING")
	if got := doStr(t, me, "CLIENT", "KILL", a.NetConn().LocalAddr().String()); got != "+OK\r\n" {
		t.Fatalf("CLIENT KILL addr = %q", got)
	}
	dead(a)
	if got := doStr(t, me, "CLIENT", "KILL", "1.2.3.4:5"); got != "-ERR No such client\r\n" {
		t.Errorf("CLIENT KILL unknown addr = %q", got)
	}
	// By id, blocked and paused clients included.
	b := dialNode(t, addr)
	bid := clientID(t, b)
	if err := b.Send("BLPOP", "l", "0"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got := doStr(t, me, "CLIENT", "KILL", "ID", bid); got != ":1\r\n" {
		t.Fatalf("CLIENT KILL ID = %q", got)
	}
	dead(b)
	// By type and skipme.
	p := dialNode(t, addr)
	doStr(t, p, "SUBSCRIBE", "ch")
	n := dialNode(t, addr)
	doStr(t, n, "PING")
	if got := doStr(t, me, "CLIENT", "KILL", "TYPE", "pubsub"); got != ":1\r\n" {
		t.Fatalf("KILL TYPE pubsub = %q", got)
	}
	dead(p)
	if got := doStr(t, me, "CLIENT", "KILL", "LADDR", n.NetConn().RemoteAddr().String(), "SKIPME", "yes"); got != ":1\r\n" {
		t.Fatalf("KILL LADDR = %q", got)
	}
	dead(n)
	// Killing oneself: the reply comes, then the connection closes.
	if got := doStr(t, me, "CLIENT", "KILL", "USER", "default", "SKIPME", "no"); got != ":1\r\n" {
		t.Fatalf("self kill = %q", got)
	}
	dead(me)
}

func TestClientPause(t *testing.T) {
	s := startNode(t)
	addr := s.Addr().String()
	a, b := dialNode(t, addr), dialNode(t, addr)
	doStr(t, a, "CLIENT", "SETNAME", "a")
	doStr(t, b, "CLIENT", "SETNAME", "b")

	// WRITE: reads go on, writes and EXEC of a write wait.
	doStr(t, a, "CLIENT", "PAUSE", "100000", "WRITE")
	if got := doStr(t, b, "GET", "k"); got != "$-1\r\n" {
		t.Fatalf("GET during WRITE pause = %q", got)
	}
	if err := b.Send("SET", "k", "1"); err != nil {
		t.Fatal(err)
	}
	admNoReply(t, b, 150*time.Millisecond)
	_, v := infoFields(bulkText(t, doStr(t, a, "INFO", "clients")))
	if v["blocked_clients"] != "1" {
		t.Errorf("blocked_clients = %q during pause", v["blocked_clients"])
	}
	if got := clientLine(t, bulkText(t, doStr(t, a, "CLIENT", "LIST")), "b")["flags"]; got != "b" {
		t.Errorf("paused client flags=%q, want b", got)
	}
	if got := doStr(t, a, "GET", "k"); got != "$-1\r\n" {
		t.Fatalf("the paused SET ran: %q", got)
	}
	doStr(t, a, "CLIENT", "UNPAUSE")
	if got := admRecv(t, b); got != "+OK\r\n" {
		t.Fatalf("SET after UNPAUSE = %q", got)
	}

	// ALL: everything waits, CLIENT UNPAUSE included, until the timeout.
	doStr(t, a, "CLIENT", "PAUSE", "300", "ALL")
	start := time.Now()
	if err := b.Send("PING"); err != nil {
		t.Fatal(err)
	}
	if got := admRecv(t, b); got != "+PONG\r\n" {
		t.Fatalf("PING after pause = %q", got)
	}
	if el := time.Since(start); el < 200*time.Millisecond {
		t.Errorf("PING ran %v into a 300ms pause", el)
	}

	// The stronger mode and the later end win: WRITE for long then ALL
	// for 10ms is ALL for long.
	doStr(t, a, "CLIENT", "PAUSE", "100000", "WRITE")
	doStr(t, a, "CLIENT", "PAUSE", "10", "ALL")
	time.Sleep(50 * time.Millisecond)
	if err := b.Send("PING"); err != nil {
		t.Fatal(err)
	}
	admNoReply(t, b, 100*time.Millisecond)
	s.admin().pause.unpause()
	if got := admRecv(t, b); got != "+PONG\r\n" {
		t.Fatalf("after unpause = %q", got)
	}

	// A client that leaves while paused is gone, its command not run.
	doStr(t, a, "CLIENT", "PAUSE", "100000", "WRITE")
	c := dialNode(t, addr)
	if err := c.Send("SET", "gone", "1"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	_ = c.Close()
	time.Sleep(50 * time.Millisecond)
	doStr(t, a, "CLIENT", "UNPAUSE")
	if got := doStr(t, a, "EXISTS", "gone"); got != ":0\r\n" {
		t.Errorf("a departed paused client's SET ran")
	}
}

// TestClientReplyMatchesRedis runs CLIENT REPLY sequences on a real
// redis-server and a node and compares everything each sends back.
func TestClientReplyMatchesRedis(t *testing.T) {
	seq := [][]string{
		{"CLIENT", "REPLY", "OFF"}, {"PING"}, {"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "ON"}, {"PING"},
		{"CLIENT", "REPLY", "SKIP"}, {"PING"}, {"PING", "a"},
		{"CLIENT", "REPLY", "SKIP"}, {"BOGUS"}, {"PING", "b"},
		{"CLIENT", "REPLY", "OFF"}, {"RESET"},
		{"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "SKIP"}, {"PING", "c"}, {"PING", "d"},
		{"CLIENT", "REPLY", "SKIP"}, {"MULTI"}, {"PING"}, {"EXEC"},
		{"HELLO", "3"}, {"CLIENT", "REPLY", "OFF"}, {"HELLO", "2"}, {"CLIENT", "REPLY", "ON"}, {"GET", "x"},
		{"CLIENT", "REPLY", "SKIP"}, {"GET"}, {"GET", "y"},
		{"ECHO", "end"},
	}
	run := func(addr string) string {
		c := dialNode(t, addr)
		for _, cmd := range seq {
			if err := c.Send(cmd...); err != nil {
				t.Fatal(err)
			}
		}
		var out []string
		for {
			r := admRecv(t, c)
			out = append(out, r)
			if r == "$3\r\nend\r\n" {
				// Client ids (in HELLO's reply) differ between servers.
				return regexp.MustCompile(`id\r\n:\d+`).ReplaceAllString(strings.Join(out, ""), "id\r\n:N")
			}
		}
	}
	want := run(redistest.Start(t, redistest.Options{}).Addr)
	got := run(startNode(t).Addr().String())
	if got != want {
		t.Errorf("replies:\n got %q\nwant %q", got, want)
	}
}

func TestClientUnblock(t *testing.T) {
	s := startNode(t)
	addr := s.Addr().String()
	a, b := dialNode(t, addr), dialNode(t, addr)
	bid := clientID(t, b)
	if got := doStr(t, a, "CLIENT", "UNBLOCK", bid); got != ":0\r\n" {
		t.Fatalf("UNBLOCK of a client not blocked = %q", got)
	}
	for _, tc := range []struct{ cmd, reason, want string }{
		{"BLPOP l 0", "", "*-1\r\n"},
		{"BLPOP l 0", "TIMEOUT", "*-1\r\n"},
		{"BLMOVE l m LEFT RIGHT 0", "timeout", "*-1\r\n"},
		{"BLPOP l 0", "ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"},
	} {
		if err := b.Send(strings.Fields(tc.cmd)...); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for s.stats.blockedClients.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		args := []string{"CLIENT", "UNBLOCK", bid}
		if tc.reason != "" {
			args = append(args, tc.reason)
		}
		if got := doStr(t, a, args...); got != ":1\r\n" {
			t.Fatalf("%q = %q", args, got)
		}
		if got := admRecv(t, b); got != tc.want {
			t.Errorf("%s unblocked with %q: %q, want %q", tc.cmd, tc.reason, got, tc.want)
		}
	}
	// The unblocked client goes on as usual; the list was never touched.
	if got := doStr(t, b, "RPUSH", "l", "x"); got != ":1\r\n" {
		t.Errorf("RPUSH after unblock = %q", got)
	}
	// A paused client is not unblockable.
	doStr(t, a, "CLIENT", "PAUSE", "100000", "WRITE")
	if err := b.Send("SET", "k", "v"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got := doStr(t, a, "CLIENT", "UNBLOCK", bid); got != ":0\r\n" {
		t.Errorf("UNBLOCK of a paused client = %q", got)
	}
	doStr(t, a, "CLIENT", "UNPAUSE")
	if got := admRecv(t, b); got != "+OK\r\n" {
		t.Errorf("paused SET = %q", got)
	}
}
