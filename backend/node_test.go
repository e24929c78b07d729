package backend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// The helpers every in-process test of this package shares: a node on a
// free loopback port, a connection to it, a command with its raw reply, and
// a pair of a real redis-server and a node for differential tests.

// eventsKEAn turns every keyspace notification on, as
// notify-keyspace-events KEAn does.
const eventsKEAn = notifyKeyspace | notifyKeyevent | notifyGeneric | notifyString |
	notifyList | notifySet | notifyHash | notifyZSet | notifyExpired | notifyEvicted |
	notifyStream | notifyModule | notifyNew

// startNode starts a keyslot node on a free loopback port with
// DefaultConfig changed by each of change (a nil one is skipped), and stops
// it when t ends.
func startNode(t testing.TB, change ...func(*Config)) *Server {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Port = 0
	cfg.Dir = t.TempDir()
	for _, f := range change {
		if f != nil {
			f(&cfg)
		}
	}
	s, err := New(cfg, zap.NewNop(), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	return s
}

// withParams is a change for startNode that sets redis.conf parameters
// (e.g. enable-debug-command yes).
func withParams(params map[string]string) func(*Config) {
	return func(c *Config) { c.Params = params }
}

// dialNode connects to addr, closing the connection when t ends.
func dialNode(t testing.TB, addr string) *redistest.Conn {
	t.Helper()
	c, err := redistest.DialTimeout(addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// doCmd runs a command and returns its raw reply, failing t on I/O errors.
func doCmd(t testing.TB, c *redistest.Conn, args ...string) []byte {
	t.Helper()
	r, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%.80q: %v", args, err)
	}
	return r
}

// doStr is doCmd with the reply as a string, for comparing with literals.
func doStr(t testing.TB, c *redistest.Conn, args ...string) string {
	t.Helper()
	return string(doCmd(t, c, args...))
}

// diffPair is a real redis-server and a keyslot node, one connection to
// each, for differential tests.
type diffPair struct {
	ref, ks *redistest.Conn
	node    *Server
	refAddr string
}

// newDiffPair starts redis-server with redisArgs and a node with default
// settings.
func newDiffPair(t *testing.T, redisArgs ...string) *diffPair {
	t.Helper()
	ref := redistest.Start(t, redistest.Options{Args: redisArgs})
	node := startNode(t)
	return &diffPair{ref: dialNode(t, ref.Addr), ks: dialNode(t, node.Addr().String()), node: node, refAddr: ref.Addr}
}

// same runs each command on both servers, one at a time, and requires
// identical replies (except for a command written with a leading "~",
// whose reply is not compared: HELLO's client id).
func (p *diffPair) same(t *testing.T, cmds ...string) {
	t.Helper()
	for _, line := range cmds {
		ignore := strings.HasPrefix(line, "~")
		args := strings.Fields(strings.TrimPrefix(line, "~"))
		want, got := doCmd(t, p.ref, args...), doCmd(t, p.ks, args...)
		if !ignore && !bytes.Equal(want, got) {
			t.Errorf("%s:\n redis:   %q\n keyslot: %q", line, want, got)
		}
	}
}

// batch sends every command to both servers pipelined and requires the
// same replies, reporting at most a few differences.
func (p *diffPair) batch(t *testing.T, cmds [][]string) {
	t.Helper()
	want, got := pipeline(t, p.ref, cmds), pipeline(t, p.ks, cmds)
	bad := 0
	for i := range cmds {
		if !bytes.Equal(want[i], got[i]) {
			t.Errorf("%q:\n redis:   %q\n keyslot: %q", cmds[i], want[i], got[i])
			if bad++; bad == 10 {
				t.FailNow()
			}
		}
	}
}

// sameBatch is batch for commands written as space-separated words.
func (p *diffPair) sameBatch(t *testing.T, lines ...string) {
	t.Helper()
	p.batch(t, splitAll(lines))
}

// hello3 switches both connections to RESP3; the replies differ in the
// client id and are not compared.
func (p *diffPair) hello3(t *testing.T) {
	t.Helper()
	for _, c := range []*redistest.Conn{p.ref, p.ks} {
		if _, err := c.Do("HELLO", "3"); err != nil {
			t.Fatal(err)
		}
	}
}

// pipeline sends cmds on c in rounds of 200 and returns the raw replies in
// order.
func pipeline(t *testing.T, c *redistest.Conn, cmds [][]string) [][]byte {
	t.Helper()
	out := make([][]byte, 0, len(cmds))
	for start := 0; start < len(cmds); start += 200 {
		end := min(start+200, len(cmds))
		for _, cmd := range cmds[start:end] {
			if err := c.Send(cmd...); err != nil {
				t.Fatal(err)
			}
		}
		for range cmds[start:end] {
			r, err := c.Receive()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
	}
	return out
}

// splitAll splits each line into space-separated words.
func splitAll(lines []string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Fields(l)
	}
	return out
}

// drainEvents reads the Pub/Sub messages sub has, raw, until it stays
// quiet for 300ms.
func drainEvents(t *testing.T, sub *redistest.Conn) []string {
	t.Helper()
	sub.Timeout = 300 * time.Millisecond
	var got []string
	for {
		r, err := sub.Receive()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(r))
	}
}

// drainKeyevents reads the keyevent messages of db 0 that arrive on c
// within a short wait, each as "event key".
func drainKeyevents(t *testing.T, c *redistest.Conn) []string {
	t.Helper()
	var out []string
	saved := c.Timeout
	c.Timeout = 150 * time.Millisecond
	defer func() { c.Timeout = saved }()
	for {
		raw, err := c.Receive()
		if err != nil {
			return out
		}
		v, _, err := resp.ParseValue(raw)
		if err != nil {
			t.Fatal(err)
		}
		if a := v.Array(); len(a) == 4 {
			out = append(out, strings.TrimPrefix(a[2].String(), "__keyevent@0__:")+" "+a[3].String())
		}
	}
}

// sameKeyevents runs cmds on a real redis-server and on a node, both with
// every keyspace event on, and requires the same replies and the same
// keyevent messages in the same order. Replies of commands written in
// lower case with "rand" in the name, and of "spop", are random and not
// compared.
func sameKeyevents(t *testing.T, cmds [][]string) {
	ref := redistest.Start(t, redistest.Options{Args: []string{"--notify-keyspace-events", "KEA"}})
	node := startNode(t)
	node.notifyFlags.Store(uint32(notifyKeyspace | notifyKeyevent | notifyGeneric | notifyString |
		notifyList | notifySet | notifyHash | notifyZSet | notifyExpired | notifyEvicted | notifyStream))
	var events [2][]string
	var replies [2][]string
	for i, addr := range []string{ref.Addr, node.Addr().String()} {
		c, sub := dialNode(t, addr), dialNode(t, addr)
		if _, err := sub.Do("PSUBSCRIBE", "__keyevent@0__:*"); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range cmds {
			raw, err := c.Do(cmd...)
			if err != nil {
				t.Fatalf("%q: %v", cmd, err)
			}
			if !strings.Contains(cmd[0], "rand") && !strings.EqualFold(cmd[0], "spop") {
				replies[i] = append(replies[i], fmt.Sprintf("%q -> %q", cmd, raw))
			}
		}
		events[i] = drainKeyevents(t, sub)
	}
	if len(events[0]) == 0 {
		t.Fatal("redis-server sent no events: the test is broken")
	}
	if !slices.Equal(replies[0], replies[1]) {
		t.Errorf("replies differ:\nredis:   %q\nkeyslot: %q", replies[0], replies[1])
	}
	if !slices.Equal(events[0], events[1]) {
		t.Errorf("events differ:\nredis:   %q\nkeyslot: %q", events[0], events[1])
	}
}
