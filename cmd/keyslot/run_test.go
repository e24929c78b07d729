package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/keyslot/keyslot/backend"
	"github.com/keyslot/keyslot/proxy"
)

// These tests run the real servers through the same functions the
// subcommands use, on free loopback ports, and stop them by ending the
// context as a signal would.

// logAddr waits until msg has been logged with an "addr" field (and with
// field service equal to service, unless that is ""), and returns the
// address.
func logAddr(t *testing.T, logs *observer.ObservedLogs, msg, service string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range logs.FilterMessage(msg).All() {
			m := e.ContextMap()
			if s, _ := m["service"].(string); service != "" && s != service {
				continue
			}
			if a, ok := m["addr"].(string); ok {
				return a
			}
			if a, ok := m["addr"].(interface{ String() string }); ok {
				return a.String()
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no %q log with an address for %q; logs: %v", msg, service, logs.All())
	return ""
}

// httpGet returns the status and body of a GET.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// background runs f and returns a function that ends its context and waits
// for its error.
func background(t *testing.T, f func(ctx context.Context) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- f(ctx) }()
	t.Cleanup(cancel)
	return func() error {
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("did not stop within 10s of its context ending")
			return nil
		}
	}
}

func TestRunNode(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	cfg := backend.DefaultConfig()
	cfg.Port = 0
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	stop := background(t, func(ctx context.Context) error { return runNode(ctx, cfg, zap.New(core)) })

	addr := logAddr(t, logs, "started", "node")
	adminAddr := logAddr(t, logs, "admin listener started", "")
	if err := ping(addr, 2*time.Second); err != nil {
		t.Fatalf("PING the node: %v", err)
	}
	if status, _ := httpGet(t, "http://"+adminAddr+"/readyz"); status != 200 {
		t.Errorf("/readyz = %d, want 200", status)
	}
	if status, _ := httpGet(t, "http://"+adminAddr+"/healthz"); status != 200 {
		t.Errorf("/healthz = %d, want 200", status)
	}
	_, metrics := httpGet(t, "http://"+adminAddr+"/metrics")
	for _, name := range []string{"keyslot_node_connected_clients", "go_goroutines", "process_start_time_seconds"} {
		if !strings.Contains(metrics, name) {
			t.Errorf("/metrics has no %s", name)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("runNode = %v", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("node still accepts after shutdown")
	}
}

func TestRunProxy(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	cfg := proxy.DefaultConfig()
	cfg.Port = 0
	cfg.MetricsAddr = "127.0.0.1:0"
	stop := background(t, func(ctx context.Context) error { return runProxy(ctx, cfg, zap.New(core)) })

	addr := logAddr(t, logs, "started", "proxy")
	adminAddr := logAddr(t, logs, "admin listener started", "")
	if err := ping(addr, 2*time.Second); err != nil {
		t.Fatalf("PING the proxy: %v", err)
	}
	if _, metrics := httpGet(t, "http://"+adminAddr+"/metrics"); !strings.Contains(metrics, "keyslot_proxy_connected_clients") {
		t.Error("/metrics has no keyslot_proxy_connected_clients")
	}
	if err := stop(); err != nil {
		t.Fatalf("runProxy = %v", err)
	}
}

// freePorts returns n consecutive free ports on 127.0.0.1 and one more free
// port apart from them. Another process could take one before it is used;
// the few retries make that unlikely to matter.
func freePorts(t *testing.T, n int) (base, other int) {
	t.Helper()
	for range 50 {
		var lns []net.Listener
		ok := true
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		base = ln.Addr().(*net.TCPAddr).Port
		for i := 1; i < n && ok; i++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+i))
			if err != nil {
				ok = false
				break
			}
			lns = append(lns, l)
		}
		o, err := net.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			other = o.Addr().(*net.TCPAddr).Port
			lns = append(lns, o)
		} else {
			ok = false
		}
		for _, l := range lns {
			l.Close()
		}
		if ok && base+n-1 <= 65535 {
			return base, other
		}
	}
	t.Fatal("no run of free ports found")
	return 0, 0
}

func TestRunLocal(t *testing.T) {
	base, proxyPort := freePorts(t, 2)
	c := defaultLocalConfig()
	c.Nodes = 2
	c.BasePort = base
	c.ProxyPort = proxyPort
	c.Dir = t.TempDir()
	c.MetricsAddr = "127.0.0.1:0"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.InfoLevel)
	var banner bytes.Buffer
	bannerDone := make(chan struct{})
	var once sync.Once
	w := writerFunc(func(p []byte) (int, error) {
		banner.Write(p)
		once.Do(func() { close(bannerDone) })
		return len(p), nil
	})
	stop := background(t, func(ctx context.Context) error { return runLocal(ctx, c, zap.New(core), w) })

	select {
	case <-bannerDone:
	case <-time.After(10 * time.Second):
		t.Fatalf("no banner; logs: %v", logs.All())
	}
	n0 := "127.0.0.1:" + strconv.Itoa(base)
	n1 := "127.0.0.1:" + strconv.Itoa(base+1)
	px := "127.0.0.1:" + strconv.Itoa(proxyPort)
	adminAddr := logAddr(t, logs, "admin listener started", "")
	want := "keyslot local: 2 nodes on " + n0 + ", " + n1 + "\n" +
		"keyslot local: proxy on " + px + " — connect with: redis-cli -p " + strconv.Itoa(proxyPort) + "\n" +
		"keyslot local: metrics on http://" + adminAddr + "/metrics\n" +
		"keyslot local: press Ctrl-C to stop\n"
	if banner.String() != want {
		t.Errorf("banner:\n%s\nwant:\n%s", banner.String(), want)
	}
	for _, a := range []string{n0, n1, px} {
		if err := ping(a, 2*time.Second); err != nil {
			t.Errorf("PING %s: %v", a, err)
		}
	}
	if status, _ := httpGet(t, "http://"+adminAddr+"/readyz"); status != 200 {
		t.Errorf("/readyz = %d, want 200", status)
	}
	_, metrics := httpGet(t, "http://"+adminAddr+"/metrics")
	for _, s := range []string{
		`keyslot_node_connected_clients{node="` + n0 + `"}`,
		`keyslot_node_connected_clients{node="` + n1 + `"}`,
		"keyslot_proxy_connected_clients ",
	} {
		if !strings.Contains(metrics, s) {
			t.Errorf("/metrics has no %s", s)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("runLocal = %v", err)
	}
}

// A server that cannot start makes the program exit 1 with the reason.
func TestRunNodePortInUse(t *testing.T) {
	clearEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, out, errOut := runArgs(t, "node", "--port", port, "--log-level", "error")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	last := lines[len(lines)-1]
	if code != 1 || out != "" || !strings.HasPrefix(last, "keyslot node: node: ") || !strings.Contains(last, "127.0.0.1:"+port) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 1 and an error naming 127.0.0.1:%s", code, out, errOut, port)
	}
}

// writerFunc adapts a function to io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
