package test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// keyslotBinary builds ./cmd/keyslot once per test run, statically, as the
// Makefile does, and returns its path.
func keyslotBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "keyslot-test-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "keyslot")
		cmd := exec.Command("go", "build", "-o", binPath, "../cmd/keyslot")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process is a keyslot program started by a test.
type process struct {
	Addr string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// startKeyslot runs `keyslot <sub> --port P --bind 127.0.0.1 args...`, waits
// until it answers PING and stops it with SIGTERM when t ends.
func startKeyslot(t testing.TB, sub string, args ...string) *process {
	t.Helper()
	bin := keyslotBinary(t)
	port, err := redistest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	full := append([]string{sub, "--port", strconv.Itoa(port), "--bind", "127.0.0.1"}, args...)
	p := &process{Addr: "127.0.0.1:" + strconv.Itoa(port), out: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, full...)
	p.cmd.Stdout = p.out
	p.cmd.Stderr = p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
			t.Errorf("keyslot %s did not stop within 10s of SIGINT", sub)
		}
		if t.Failed() {
			t.Logf("keyslot %s output:\n%s", sub, p.out.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-p.done:
			t.Fatalf("keyslot %s exited early: %s", sub, p.out.String())
		default:
		}
		if c, err := redistest.DialTimeout(p.Addr, time.Second); err == nil {
			reply, err := c.Do("PING")
			c.Close()
			if err == nil && string(reply) == "+PONG\r\n" {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("keyslot %s not answering PING on %s after 10s: %s", sub, p.Addr, p.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dial connects to addr, closing the connection when t ends.
func dial(t testing.TB, addr string) *redistest.Conn {
	t.Helper()
	c, err := redistest.DialTimeout(addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
