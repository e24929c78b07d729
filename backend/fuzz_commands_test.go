package backend_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/backend"
	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router"
)

// fuzzSkip lists commands the random driver leaves out: they stop the node,
// stall it on purpose, silence replies or change the connection into a mode
// with unsolicited output, each of which has its own tests.
var fuzzSkip = map[string]bool{
	"shutdown": true, "debug": true, "monitor": true, "client|pause": true,
	"client|reply": true, "client|kill": true, "config|set": true, "config|rewrite": true,
	"subscribe": true, "psubscribe": true, "ssubscribe": true, "quit": true,
	"client|no-evict": true,
}

// TestRandomCommands drives a node with random calls of every command it
// serves, built from the command table's argument docs with edge-case
// values, plus malformed RESP, for KEYSLOT_FUZZ_DURATION (default 3s; the
// Makefile's fuzz target runs 60s). Every call must get one well-formed
// reply, no connection may panic, PING must answer at the end, and the
// node's goroutines must go back to where they were once clients leave.
func TestRandomCommands(t *testing.T) {
	d := 3 * time.Second
	if v := os.Getenv("KEYSLOT_FUZZ_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatalf("KEYSLOT_FUZZ_DURATION=%q: %v", v, err)
		}
	}
	base := runtime.NumGoroutine()
	reg := prometheus.NewRegistry()
	cfg := backend.DefaultConfig()
	cfg.Port = 0
	s, err := backend.New(cfg, zap.NewNop(), reg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Shutdown(context.Background()) }()
	addr := s.Addr().String()

	var cmds []*router.Command
	for _, c := range s.Commands().Table().Commands() {
		for _, rc := range append([]*router.Command{c}, c.Subcommands...) {
			if !fuzzSkip[rc.Name] && !(rc.IsContainer() && rc.Name != "command") {
				cmds = append(cmds, rc)
			}
		}
	}
	deadline := time.Now().Add(d)
	const workers = 4
	errs := make(chan error, workers+1)
	for w := range workers {
		go func() { errs <- fuzzWorker(addr, cmds, deadline, uint64(w)) }()
	}
	go func() { errs <- fuzzMalformed(addr, deadline) }()
	for range workers + 1 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := counterValue(t, reg, "keyslot_node_connection_panics_total"); n != 0 {
		t.Errorf("%v connections panicked", n)
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte("PING\r\n"))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != "+PONG\r\n" {
		t.Fatalf("PING after the run = %q, %v", line, err)
	}
	c.Close()
	// Clients are gone; what is left is the node's own goroutines.
	end := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+8 {
		if time.Now().After(end) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d at start, %d after the clients left\n%s", base, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// counterValue returns the value of the counter called name in reg, failing
// the test if reg has no such counter.
func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no counter %s", name)
	return 0
}

// fuzzWorker sends random calls one at a time and reads each reply.
func fuzzWorker(addr string, cmds []*router.Command, deadline time.Time, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 42))
	var conn net.Conn
	var rd *bufio.Reader
	for time.Now().Before(deadline) {
		if conn == nil {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err != nil {
				return err
			}
			conn, rd = c, bufio.NewReader(c)
		}
		rc := cmds[rng.IntN(len(cmds))]
		args := fuzzArgs(rng, rc)
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Write(resp.AppendCommandString(nil, args...)); err != nil {
			return fmt.Errorf("%q: write: %v", args, err)
		}
		if err := readReply(rd); err != nil {
			return fmt.Errorf("%q: %v", args, err)
		}
		if rc.Name == "reset" || rng.IntN(200) == 0 {
			conn.Close()
			conn = nil
		}
	}
	if conn != nil {
		conn.Close()
	}
	return nil
}

// readReply reads one complete reply frame, skipping RESP3 pushes.
func readReply(rd *bufio.Reader) error {
	var sc resp.ReplyScanner
	var frame []byte
	for {
		b, err := rd.ReadByte()
		if err != nil {
			return fmt.Errorf("read: %v (after %q)", err, frame)
		}
		frame = append(frame, b)
		n, err := sc.Scan(frame)
		if err != nil {
			return fmt.Errorf("malformed reply %q: %v", frame, err)
		}
		if n > 0 {
			if frame[0] == '>' {
				frame, sc = frame[:0], resp.ReplyScanner{}
				continue
			}
			return nil
		}
	}
}

// fuzzMalformed sends broken requests on fresh connections: the node must
// answer or close, never hang past the read deadline with data unanswered,
// and never crash.
func fuzzMalformed(addr string, deadline time.Time) error {
	rng := rand.New(rand.NewPCG(7, 7))
	bad := []string{
		"*-5\r\n", "*2\r\n$-2\r\n", "*1\r\n$abc\r\n", "$5\r\nhello\r\n", "*1\r\n*1\r\n$1\r\nx\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nvvvv\r\n", "\x00\x01\x02\r\n", "*99999999999\r\n",
		"\"unbalanced\r\n", "*1\r\n$2147483648\r\n", "PING\nPING\r\n",
	}
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		var b []byte
		if rng.IntN(2) == 0 {
			b = []byte(bad[rng.IntN(len(bad))])
		} else {
			b = make([]byte, rng.IntN(64))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
		}
		_ = c.SetDeadline(time.Now().Add(200 * time.Millisecond))
		_, _ = c.Write(b)
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				break
			}
		}
		c.Close()
	}
	return nil
}

// fuzzArgs builds a random call of rc from its documented arguments.
func fuzzArgs(rng *rand.Rand, rc *router.Command) []string {
	args := []string{rc.Name}
	if p := rc.Parent(); p != nil {
		args = []string{p.Name, rc.Name[len(p.Name)+1:]}
	}
	for _, a := range rc.Doc.Args {
		args = appendArg(rng, args, a, 0)
	}
	// A wrong argument count or a stray word, now and then; not for blocking
	// commands, whose last argument is the timeout.
	if rng.IntN(10) == 0 && len(args) > 1 && rc.Flags&router.FlagBlocking == 0 {
		if rng.IntN(2) == 0 {
			args = args[:rng.IntN(len(args)-1)+1]
		} else {
			args = append(args, fuzzValue(rng, router.ArgString, ""))
		}
	}
	return args
}

func appendArg(rng *rand.Rand, args []string, a router.Arg, depth int) []string {
	if a.Flags&router.ArgOptional != 0 && rng.IntN(2) == 0 {
		return args
	}
	reps := 1
	if a.Flags&router.ArgMultiple != 0 {
		reps = 1 + rng.IntN(3)
	}
	for range reps {
		if a.Token != "" {
			args = append(args, a.Token)
		}
		switch a.Type {
		case router.ArgPureToken:
		case router.ArgOneOf:
			if len(a.Args) > 0 && depth < 4 {
				args = appendArg(rng, args, a.Args[rng.IntN(len(a.Args))], depth+1)
			}
		case router.ArgBlock:
			if depth < 4 {
				for _, sub := range a.Args {
					args = appendArg(rng, args, sub, depth+1)
				}
			}
		default:
			args = append(args, fuzzValue(rng, a.Type, a.Name))
		}
	}
	return args
}

var fuzzKeys = []string{"k", "k2", "{t}a", "{t}b", "", "list", "hash", "set", "zset", "\x00bin\xff"}

func fuzzValue(rng *rand.Rand, t router.ArgType, name string) string {
	if name == "timeout" {
		return "0.01" // blocking commands: short
	}
	if name == "milliseconds" || name == "seconds" {
		return strconv.Itoa(rng.IntN(3))
	}
	switch t {
	case router.ArgKey:
		return fuzzKeys[rng.IntN(len(fuzzKeys))]
	case router.ArgInteger, router.ArgUnixTime:
		ints := []string{"0", "1", "-1", "2", "10", "100", "-100", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "x", "1.5", ""}
		return ints[rng.IntN(len(ints))]
	case router.ArgDouble:
		fl := []string{"0", "1.5", "-2", "inf", "-inf", "+inf", "nan", "1e400", "x", "(1", "-0", ""}
		return fl[rng.IntN(len(fl))]
	case router.ArgPattern:
		pats := []string{"*", "k*", "[a-", "\\", "?", "*{t}*"}
		return pats[rng.IntN(len(pats))]
	}
	strs := []string{"v", "", "0", "-1", "hello world", "\x00\xff\r\n", "[a", "(b", "-", "+", "10", "3.14"}
	if rng.IntN(20) == 0 {
		return string(make([]byte, rng.IntN(70000)))
	}
	return strs[rng.IntN(len(strs))]
}
