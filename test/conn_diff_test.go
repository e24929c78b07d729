package test

import (
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

// clientID matches a client id in a HELLO reply; ids differ between servers.
var clientID = regexp.MustCompile(`\$2\r\nid\r\n:\d+\r\n`)

func maskIDs(b []byte) string {
	return clientID.ReplaceAllString(string(b), "$$2\r\nid\r\n:ID\r\n")
}

// connScripts are command sequences, each run on a fresh connection to both
// redis-server and keyslot node; every reply must be the same bytes.
var connScripts = map[string][][]string{
	"ping": {{"PING"}, {"ping", "hello"}, {"PING", "a", "b"}, {"PiNg", ""}},
	"echo": {{"ECHO", "x"}, {"ECHO"}, {"ECHO", "a", "b"}, {"echo", "\x00\xff\r\n"}},
	"hello": {
		{"HELLO"}, {"HELLO", "3"}, {"HELLO", "2"}, {"HELLO", "4"}, {"HELLO", "1"}, {"HELLO", "x"},
		{"HELLO", "03"}, {"HELLO", "-1"}, {"HELLO", "99999999999999999999"},
		{"HELLO", "2", "FOO"}, {"HELLO", "2", "AUTH"}, {"HELLO", "2", "AUTH", "default"},
		{"HELLO", "2", "AUTH", "default", "any"}, {"HELLO", "2", "AUTH", "bob", "pw"},
		{"HELLO", "3", "SETNAME", "a b"}, {"HELLO", "3", "SETNAME", "app1"}, {"CLIENT", "GETNAME"},
		{"HELLO", "2", "setname", "x", "auth", "default", "p"}, {"CLIENT", "GETNAME"},
	},
	// Options take effect left to right; the first bad one stops the rest.
	"hello option order": {
		{"HELLO", "3", "SETNAME", "a b", "AUTH", "bob", "x"}, {"HELLO", "3", "SETNAME", "a b", "FOO"},
		{"HELLO", "3", "SETNAME", "first", "FOO"}, {"CLIENT", "GETNAME"},
		{"HELLO", "3", "SETNAME", "second", "AUTH", "bob", "x"}, {"CLIENT", "GETNAME"},
		{"HELLO", "3", "AUTH", "bob", "y", "AUTH", "default", "x"}, {"PING"},
		{"HELLO", "3", "a\x00b"}, {"HELLO", "2", "x\x00y"},
	},
	"resp3 replies": {{"HELLO", "3"}, {"CLIENT", "GETNAME"}, {"PING"}, {"ECHO", "e"}, {"RESET"}, {"CLIENT", "GETNAME"}},
	"client name": {
		{"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME", "a b"}, {"CLIENT", "SETNAME", "né"},
		{"CLIENT", "SETNAME", "app"}, {"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME", ""}, {"CLIENT", "GETNAME"},
		{"CLIENT", "SETNAME"}, {"CLIENT", "GETNAME", "x"}, {"client", "setname", "B"}, {"client", "getname"},
	},
	"client errors": {{"CLIENT"}, {"CLIENT", "FOO"}, {"CLIENT", "ID", "x"}, {"client", "nosuch", "a", "b"}},
	"reset":         {{"CLIENT", "SETNAME", "n"}, {"HELLO", "3"}, {"RESET"}, {"CLIENT", "GETNAME"}, {"PING"}, {"RESET", "x"}},
	"unknown": {
		{"NOSUCHCOMMAND"}, {"nosuch", "a", "b", "c"}, {"x", strings.Repeat("y", 200)},
	},
	"command": {
		{"COMMAND", "INFO", "ping", "echo", "hello", "quit", "reset", "nosuch"},
		{"COMMAND", "INFO", "PING"}, {"COMMAND", "GETKEYS", "PING"}, {"COMMAND", "FOO"},
	},
}

func TestConnectionCommandsMatchRedis(t *testing.T) {
	real := redistest.Start(t, redistest.Options{})
	ks := startKeyslot(t, "node")
	for name, script := range connScripts {
		t.Run(name, func(t *testing.T) {
			rc, kc := dial(t, real.Addr), dial(t, ks.Addr)
			for _, cmd := range script {
				want, err := rc.Do(cmd...)
				if err != nil {
					t.Fatalf("redis-server %q: %v", cmd, err)
				}
				got, err := kc.Do(cmd...)
				if err != nil {
					t.Fatalf("keyslot %q: %v", cmd, err)
				}
				if maskIDs(got) != maskIDs(want) {
					t.Errorf("%q:\n keyslot: %q\n   redis: %q", cmd, got, want)
				}
			}
		})
	}
}

func TestQuitClosesAfterReply(t *testing.T) {
	ks := startKeyslot(t, "node")
	c := dial(t, ks.Addr)
	// PING after QUIT in the same batch must not run.
	if err := c.Write([]byte("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	reply, err := c.Receive()
	if err != nil || string(reply) != "+OK\r\n" {
		t.Fatalf("QUIT = %q, %v", reply, err)
	}
	if reply, err := c.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("after QUIT got %q, %v; want EOF", reply, err)
	}
}

// protocolCases are malformed or over-limit requests. Both servers must
// answer with the same bytes and then close the connection. Commands before
// the bad frame in the same write still run.
var protocolCases = map[string]string{
	"bad multibulk length":  "*abc\r\n",
	"negative bulk length":  "*1\r\n$-5\r\n",
	"expected dollar":       "*1\r\nx3\r\nfoo\r\n",
	"bulk over limit":       "*1\r\n$536870913\r\n",
	"unbalanced quotes":     "PING \"abc\r\n",
	"ping then garbage":     "PING\r\n*1\r\n$x\r\n",
	"pipeline then garbage": "*1\r\n$4\r\nPING\r\nECHO hi\r\n*2\r\n$4\r\nECHO\r\n$-2\r\n",
	"too big inline":        strings.Repeat("a", 70000),
	"too big mbulk count":   "*" + strings.Repeat("1", 70000),
	"too big bulk count":    "*1\r\n$" + strings.Repeat("1", 70000),
}

func TestProtocolErrorsMatchRedis(t *testing.T) {
	real := redistest.Start(t, redistest.Options{})
	ks := startKeyslot(t, "node")
	for name, raw := range protocolCases {
		t.Run(name, func(t *testing.T) {
			want := rawExchange(t, real.Addr, raw)
			got := rawExchange(t, ks.Addr, raw)
			if got != want {
				t.Errorf("keyslot: %q\n   redis: %q", got, want)
			}
			if !strings.Contains(want, "-ERR Protocol error") {
				t.Errorf("case %q did not provoke a protocol error in redis-server: %q", name, want)
			}
		})
	}
}

// rawExchange writes raw bytes and returns everything the server sends until
// it closes the connection, failing if it does not close within 5 s.
func rawExchange(t *testing.T, addr, raw string) string {
	t.Helper()
	c := dial(t, addr)
	nc := c.NetConn()
	if _, err := nc.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	out, err := io.ReadAll(nc)
	if err != nil {
		t.Fatalf("%s did not close the connection: read %q, %v", addr, out, err)
	}
	return string(out)
}

// TestMultibulkLimit: keyslot caps a request at 1,048,576 arguments, where
// Redis 7.0 would accept up to INT_MAX and buffer accordingly.
func TestMultibulkLimit(t *testing.T) {
	ks := startKeyslot(t, "node")
	got := rawExchange(t, ks.Addr, "*1048577\r\n")
	if want := "-ERR Protocol error: invalid multibulk length\r\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
