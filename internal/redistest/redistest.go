package redistest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RequireAllEnv is the environment variable that turns a skip for a missing
// dependency into a failure.
const RequireAllEnv = "KEYSLOT_REQUIRE_ALL"

// Require skips t, or fails it when KEYSLOT_REQUIRE_ALL=1, if ok is false.
// what names the missing dependency in the message.
func Require(t testing.TB, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv(RequireAllEnv) == "1" {
		t.Fatalf("%s is required (%s=1) but not available", what, RequireAllEnv)
	}
	t.Skipf("%s not available", what)
}

// Options configures a redis-server started by Start.
type Options struct {
	// Cluster starts the server with cluster-enabled yes.
	Cluster bool
	// Args are extra redis.conf directives as command-line arguments,
	// e.g. {"--maxmemory", "10mb"}.
	Args []string
}

// Server is a running redis-server.
type Server struct {
	// Addr is "127.0.0.1:port".
	Addr string
	// Dir is the server's working directory.
	Dir string

	cmd  *exec.Cmd
	conn *Conn // lazily dialled by Do
}

// Start starts a redis-server on a free loopback port, waits until it
// answers PING, and stops it when t ends.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	Require(t, err == nil, "redis-server")

	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		s, err := start(t, bin, opt)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("redistest: starting redis-server: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string, opt Options) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	dir := t.TempDir()
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--dir", dir,
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--protected-mode", "no",
		"--logfile", filepath.Join(dir, "redis.log"),
	}
	if opt.Cluster {
		args = append(args, "--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes.conf"))
	}
	args = append(args, opt.Args...)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Dir: dir, cmd: cmd}
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
			return nil, fmt.Errorf("redis-server exited early: %s", lastLines(string(log), 5))
		default:
		}
		if c, err := DialTimeout(s.Addr, time.Second); err == nil {
			reply, err := c.Do("PING")
			c.Close()
			if err == nil && string(reply) == "+PONG\r\n" {
				break
			}
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("redis-server on %s not ready after 10s", s.Addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() {
		if s.conn != nil {
			s.conn.Close()
		}
		stop()
	})
	return s, nil
}

// Do sends one command on the server's shared test connection and returns
// the raw reply bytes. It fails t on a network error.
func (s *Server) Do(t testing.TB, args ...string) []byte {
	t.Helper()
	if s.conn == nil {
		c, err := DialTimeout(s.Addr, 5*time.Second)
		if err != nil {
			t.Fatalf("redistest: dial %s: %v", s.Addr, err)
		}
		s.conn = c
	}
	reply, err := s.conn.Do(args...)
	if err != nil {
		t.Fatalf("redistest: %s %v: %v", s.Addr, args, err)
	}
	return reply
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
