package admin

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// ErrStarted is returned by Start when the server was already started.
var ErrStarted = errors.New("admin: already started")

// Server serves /metrics, /healthz and /readyz over HTTP.
type Server struct {
	addr string       // immutable
	lg   *zap.Logger  // immutable
	http *http.Server // immutable

	mu   sync.Mutex
	ln   net.Listener  // guarded by mu; set by Start
	done chan struct{} // guarded by mu; closed when Serve returns
}

// New returns a Server that will listen on addr ("host:port", ":port", or
// port 0 for any free port) once started. /metrics exposes g, /readyz
// answers 200 while ready returns true and 503 otherwise, and /healthz
// answers 200 for as long as the process serves HTTP at all.
func New(addr string, g prometheus.Gatherer, ready func() bool, lg *zap.Logger) *Server {
	s := &Server{addr: addr, lg: lg}
	s.http = &http.Server{
		Handler: Handler(g, ready, lg),
		// Scrapes and probes are small; these only stop a slow or stuck peer
		// from holding a connection forever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          stdLog(lg, zap.WarnLevel),
	}
	return s
}

// Handler returns the admin routes without a listener, for tests and for
// mounting elsewhere.
func Handler(g prometheus.Gatherer, ready func() bool, lg *zap.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{
		// A collector that fails should not hide every other metric.
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      stdLog(lg, zap.ErrorLevel),
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	return mux
}

// stdLog adapts lg for the standard library's *log.Logger hooks, writing at
// level lvl.
func stdLog(lg *zap.Logger, lvl zapcore.Level) *log.Logger {
	l, err := zap.NewStdLogAt(lg, lvl)
	if err != nil {
		// Only an unknown level fails, and lvl is one of zap's constants.
		return zap.NewStdLog(lg)
	}
	return l
}

// Start binds the listener and serves in the background. It returns the
// bind error, so a port in use stops start-up instead of being logged later.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return ErrStarted
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.done = make(chan struct{})
	go func(done chan struct{}) {
		defer close(done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.lg.Error("admin listener stopped", zap.Error(err))
		}
	}(s.done)
	s.lg.Info("admin listener started", zap.Stringer("addr", ln.Addr()))
	return nil
}

// Addr returns the bound address, or nil before Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Shutdown stops accepting, waits for requests in flight until ctx ends, and
// then closes what is left. It returns ctx's error if it had to cut requests
// short. Shutdown before Start does nothing.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return nil
	}
	err := s.http.Shutdown(ctx)
	if err != nil {
		// Requests still running when ctx ended are cut off rather than
		// left behind.
		_ = s.http.Close()
	}
	<-done
	return err
}
