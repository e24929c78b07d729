package admin

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap/zaptest"
)

// startServer starts an admin server on a free port of 127.0.0.1 and shuts
// it down when the test ends.
func startServer(t *testing.T, g prometheus.Gatherer, ready func() bool) *Server {
	t.Helper()
	s := New("127.0.0.1:0", g, ready, zaptest.NewLogger(t))
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

func get(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestRoutes(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "keyslot_test_things_total", Help: "Things."})
	reg.MustRegister(c)
	c.Add(3)
	var ready atomic.Bool
	s := startServer(t, reg, ready.Load)
	base := "http://" + s.Addr().String()

	tests := []struct {
		name       string
		method     string
		path       string
		setReady   bool
		wantStatus int
		wantBody   string // substring
	}{
		{"healthz", "GET", "/healthz", false, 200, "ok\n"},
		{"healthz head", "HEAD", "/healthz", false, 200, ""},
		{"readyz not ready", "GET", "/readyz", false, 503, "not ready\n"},
		{"readyz ready", "GET", "/readyz", true, 200, "ready\n"},
		{"metrics", "GET", "/metrics", false, 200, "keyslot_test_things_total 3\n"},
		{"post healthz", "POST", "/healthz", false, 405, ""},
		{"unknown path", "GET", "/debug/pprof/", false, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ready.Store(tt.setReady)
			status, body := get(t, tt.method, base+tt.path)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", status, tt.wantStatus, body)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", body, tt.wantBody)
			}
		})
	}
}

func TestStartTwice(t *testing.T) {
	s := startServer(t, prometheus.NewRegistry(), func() bool { return true })
	if err := s.Start(); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Start = %v, want ErrStarted", err)
	}
}

func TestStartPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := New(ln.Addr().String(), prometheus.NewRegistry(), func() bool { return true }, zaptest.NewLogger(t))
	if err := s.Start(); err == nil {
		t.Fatal("Start on a port in use succeeded")
	}
	if s.Addr() != nil {
		t.Errorf("Addr after failed Start = %v, want nil", s.Addr())
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown after failed Start = %v", err)
	}
}

func TestShutdownStopsServing(t *testing.T) {
	s := New("127.0.0.1:0", prometheus.NewRegistry(), func() bool { return true }, zaptest.NewLogger(t))
	if s.Addr() != nil {
		t.Fatalf("Addr before Start = %v, want nil", s.Addr())
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown before Start = %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr().String()
	if status, _ := get(t, "GET", "http://"+addr+"/healthz"); status != 200 {
		t.Fatalf("healthz = %d before shutdown", status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("listener still accepts after Shutdown")
	}
}

// A request still running when the shutdown deadline passes is cut off, and
// Shutdown reports the deadline instead of hanging.
func TestShutdownDeadline(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	slow := gathererFunc(func() error {
		close(entered)
		<-release
		return nil
	})
	s := New("127.0.0.1:0", slow, func() bool { return true }, zaptest.NewLogger(t))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		resp, err := http.Get("http://" + s.Addr().String() + "/metrics")
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- s.Shutdown(ctx) }()
	select {
	case err := <-errc:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want context.DeadlineExceeded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not return after its deadline")
	}
}

// gathererFunc is a Gatherer that runs a function and gathers nothing.
type gathererFunc func() error

func (f gathererFunc) Gather() ([]*dto.MetricFamily, error) { return nil, f() }
