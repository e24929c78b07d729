package server

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap/zaptest"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// testHandler runs the connection commands plus two test commands: ECHO
// "panic" panics, ECHO "slow" sleeps 200 ms.
type testHandler struct {
	cmds   *Commands
	closed atomic.Int32
	resets atomic.Int32
}

func (h *testHandler) Handle(c *Conn, cmd *resp.Command) {
	if len(cmd.Args) == 2 && strings.EqualFold(string(cmd.Args[0]), "echo") {
		switch string(cmd.Args[1]) {
		case "panic":
			panic("test panic")
		case "slow":
			time.Sleep(200 * time.Millisecond)
		}
	}
	h.cmds.Run(c, cmd)
}
func (h *testHandler) Reset(*Conn)  { h.resets.Add(1) }
func (h *testHandler) Closed(*Conn) { h.closed.Add(1) }

func startServer(t *testing.T, cfg Config) (*Server, *testHandler, *Metrics) {
	t.Helper()
	return startServerWith(t, cfg, nil)
}

func startServerWith(t *testing.T, cfg Config, handlers map[string]HandlerFunc) (*Server, *testHandler, *Metrics) {
	t.Helper()
	h := &testHandler{}
	cfg.Addr = "127.0.0.1:0"
	cfg.Mode = "standalone"
	cfg.Subsystem = "test"
	s, err := New(cfg, h, handlers, zaptest.NewLogger(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	h.cmds = s.Commands()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s, h, s.m
}

func dial(t *testing.T, s *Server) *redistest.Conn {
	t.Helper()
	c, err := redistest.DialTimeout(s.Addr().String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Timeout = 5 * time.Second
	t.Cleanup(func() { c.Close() })
	return c
}

func do(t *testing.T, c *redistest.Conn, args ...string) string {
	t.Helper()
	reply, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return string(reply)
}

func TestPanicClosesOnlyThatConnection(t *testing.T) {
	s, h, m := startServer(t, Config{})
	victim, bystander := dial(t, s), dial(t, s)
	if got := do(t, bystander, "PING"); got != "+PONG\r\n" {
		t.Fatalf("PING = %q", got)
	}
	if err := victim.Send("ECHO", "panic"); err != nil {
		t.Fatal(err)
	}
	if reply, err := victim.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("after a panic got %q, %v; want the connection closed", reply, err)
	}
	if got := do(t, bystander, "ECHO", "still here"); got != "$10\r\nstill here\r\n" {
		t.Fatalf("bystander ECHO = %q", got)
	}
	if got := testutil.ToFloat64(m.panics); got != 1 {
		t.Fatalf("panics metric = %v, want 1", got)
	}
	waitFor(t, func() bool { return h.closed.Load() == 1 }, "Closed called for the victim")
	if got := do(t, dial(t, s), "PING"); got != "+PONG\r\n" {
		t.Fatalf("new connection PING = %q", got)
	}
}

func TestMaxClients(t *testing.T) {
	s, _, m := startServer(t, Config{MaxClients: 2})
	a, b := dial(t, s), dial(t, s)
	do(t, a, "PING")
	do(t, b, "PING")
	c := dial(t, s)
	reply, err := c.Receive()
	if err != nil || string(reply) != "-ERR max number of clients reached\r\n" {
		t.Fatalf("third client got %q, %v", reply, err)
	}
	if _, err := c.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("third client not closed: %v", err)
	}
	if got := testutil.ToFloat64(m.rejected); got != 1 {
		t.Fatalf("rejected metric = %v, want 1", got)
	}
	a.Close()
	waitFor(t, func() bool { return len(s.Clients()) == 1 }, "a's slot freed")
	if got := do(t, dial(t, s), "PING"); got != "+PONG\r\n" {
		t.Fatalf("after a slot freed, PING = %q", got)
	}
}

func TestIdleTimeout(t *testing.T) {
	s, _, _ := startServer(t, Config{IdleTimeout: 100 * time.Millisecond})
	c := dial(t, s)
	do(t, c, "PING")
	start := time.Now()
	if _, err := c.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("idle client not closed: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("idle client closed after %v", d)
	}
}

// TestShutdownFinishesRunningBatch: a batch that is running when Shutdown
// starts still gets its replies; then the connection closes.
func TestShutdownFinishesRunningBatch(t *testing.T) {
	s, _, _ := startServer(t, Config{})
	c := dial(t, s)
	idle := dial(t, s)
	do(t, idle, "PING")
	if err := c.Write([]byte("ECHO slow\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the batch is running
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for _, want := range []string{"$4\r\nslow\r\n", "+PONG\r\n"} {
		if reply, err := c.Receive(); err != nil || string(reply) != want {
			t.Fatalf("got %q, %v; want %q", reply, err, want)
		}
	}
	for _, conn := range []*redistest.Conn{c, idle} {
		if _, err := conn.Receive(); !errors.Is(err, io.EOF) {
			t.Fatalf("connection not closed by Shutdown: %v", err)
		}
	}
	if _, err := redistest.DialTimeout(s.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting after Shutdown")
	}
}

// TestPipelineRepliesInOrder sends many commands in one write; every reply
// comes back, in order.
func TestPipelineRepliesInOrder(t *testing.T) {
	s, _, _ := startServer(t, Config{})
	c := dial(t, s)
	var req []byte
	const n = 1000
	for i := range n {
		req = resp.AppendCommandString(req, "ECHO", strings.Repeat("x", i%50))
	}
	if err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		want := strings.Repeat("x", i%50)
		reply, err := c.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if got := string(reply); !strings.HasSuffix(got, "\r\n"+want+"\r\n") {
			t.Fatalf("reply %d = %q, want %q", i, got, want)
		}
	}
}

// TestProtocolErrorAfterCommands: the complete commands before a malformed
// frame run and are answered, then the error, then the close.
func TestProtocolErrorAfterCommands(t *testing.T) {
	s, _, m := startServer(t, Config{})
	c := dial(t, s)
	if err := c.Write([]byte("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"+PONG\r\n", "+PONG\r\n", "-ERR Protocol error: invalid multibulk length\r\n"} {
		if reply, err := c.Receive(); err != nil || string(reply) != want {
			t.Fatalf("got %q, %v; want %q", reply, err, want)
		}
	}
	if _, err := c.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("not closed after a protocol error: %v", err)
	}
	if got := testutil.ToFloat64(m.protocolErrors); got != 1 {
		t.Fatalf("protocol_errors metric = %v", got)
	}
}

func TestResetCallsHandler(t *testing.T) {
	s, h, _ := startServer(t, Config{})
	c := dial(t, s)
	do(t, c, "HELLO", "3")
	if got := do(t, c, "RESET"); got != "+RESET\r\n" {
		t.Fatalf("RESET = %q", got)
	}
	if h.resets.Load() != 1 {
		t.Fatal("RESET did not reach the handler")
	}
	if got := do(t, c, "CLIENT", "GETNAME"); got != "$-1\r\n" {
		t.Fatalf("after RESET, GETNAME in RESP2 = %q", got)
	}
}

func TestNewRejectsBadHandlers(t *testing.T) {
	_, err := New(Config{Subsystem: "t"}, &testHandler{}, map[string]HandlerFunc{"nosuch": Ping}, zaptest.NewLogger(t), prometheus.NewRegistry())
	if err == nil || !strings.Contains(err.Error(), "not in the command table") {
		t.Errorf("err = %v, want one saying the command is not in the table", err)
	}
}

func TestProgramHandlerReplacesConnectionCommand(t *testing.T) {
	s, _, _ := startServerWith(t, Config{}, map[string]HandlerFunc{
		"ping": func(c *Conn, _ [][]byte) { c.W.AppendSimple("MINE") },
	})
	if got := do(t, dial(t, s), "PING"); got != "+MINE\r\n" {
		t.Fatalf("PING = %q, want the program's reply", got)
	}
}

func TestReadyFollowsListenAndShutdown(t *testing.T) {
	s, _, _ := startServer(t, Config{})
	if !s.Ready() {
		t.Fatal("not ready after Start")
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Ready() {
		t.Fatal("still ready after Shutdown")
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestIdleTimeoutSparesSlowSender: a request that takes longer than the
// idle timeout to arrive, but never pauses that long, is served, as Redis
// serves it.
func TestIdleTimeoutSparesSlowSender(t *testing.T) {
	s, _, _ := startServer(t, Config{IdleTimeout: 300 * time.Millisecond})
	c := dial(t, s)
	for _, b := range []byte("*1\r\n$4\r\nPING\r\n") {
		if err := c.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond) // 14 bytes: ~700 ms in all
	}
	if reply, err := c.Receive(); err != nil || string(reply) != "+PONG\r\n" {
		t.Fatalf("slow sender got %q, %v", reply, err)
	}
}

// TestShutdownNotHeldByNonReader: a client that sends requests with large
// replies and never reads them cannot hold Shutdown up for long.
func TestShutdownNotHeldByNonReader(t *testing.T) {
	s, _, _ := startServer(t, Config{})
	c := dial(t, s)
	big := strings.Repeat("x", 100<<10)
	var req []byte
	for range 100 { // ~10 MB of replies: more than socket buffers hold
		req = resp.AppendCommandString(req, "ECHO", big)
	}
	go func() { _ = c.Write(req) }()
	time.Sleep(300 * time.Millisecond) // the server is blocked writing
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > shutdownWriteGrace+2*time.Second {
		t.Fatalf("Shutdown took %v with a client that does not read", d)
	}
}

// TestQueryBufferHoldsLargestBulk: a proto-max-bulk-len above the default
// 1gb query buffer raises the buffer limit, so such a bulk can be sent.
func TestQueryBufferHoldsLargestBulk(t *testing.T) {
	for _, tt := range []struct{ bulk, want int64 }{
		{512 << 20, 1 << 30},
		{8 << 30, 8<<30 + queryBufSlack},
	} {
		s, err := New(Config{Subsystem: "t", Limits: resp.Limits{MaxBulkLen: tt.bulk}}, &testHandler{}, nil,
			zaptest.NewLogger(t), prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		if got := s.cfg.Limits.MaxQueryBufLen; got != tt.want {
			t.Errorf("proto-max-bulk-len %d: query buffer limit %d, want %d", tt.bulk, got, tt.want)
		}
	}
}
