package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/resp"
)

// Config is what the connection machinery needs from a program's config.
type Config struct {
	// Addr is the listen address, "host:port".
	Addr string
	// MaxClients is the most client connections served at once; the next
	// one is told "-ERR max number of clients reached" and closed.
	MaxClients int
	// IdleTimeout closes a client idle for this long; 0 disables it.
	IdleTimeout time.Duration
	// Limits bound what one request may be.
	Limits resp.Limits
	// Subsystem names the program in metric names: keyslot_<subsystem>_….
	Subsystem string
	// Mode is what HELLO reports as mode: "standalone" or "cluster".
	Mode string
	// Role reports the role HELLO shows; nil means "master".
	Role func() string
	// Password returns the requirepass in force; nil or "" means clients
	// need not authenticate. It is called per check, so it may change.
	Password func() string
	// PushLimit bounds what a client in push mode (Pub/Sub) may have
	// queued and unwritten, as Redis's client-output-buffer-limit does for
	// pubsub clients: past Hard bytes, or past Soft bytes for longer than
	// SoftSeconds, the client is closed. Zero values disable each limit.
	PushLimit OutputLimit
	// Live, when set, returns the settings that may change while the
	// program runs (CONFIG SET); they override the fields above.
	Live func() Live
}

// Live is the part of Config a running program may change. Each value
// applies from the next time it is checked: an idle timeout at the next
// read or write, MaxClients at the next accept, PushLimit to push queues
// opened after.
type Live struct {
	IdleTimeout time.Duration
	MaxClients  int
	PushLimit   OutputLimit
}

// live returns the settings in force now.
func (s *Server) live() Live {
	if s.cfg.Live != nil {
		return s.cfg.Live()
	}
	return Live{IdleTimeout: s.cfg.IdleTimeout, MaxClients: s.cfg.MaxClients, PushLimit: s.cfg.PushLimit}
}

// OutputLimit is one class of Redis's client-output-buffer-limit.
type OutputLimit struct {
	Hard, Soft  int64
	SoftSeconds int64
}

// queryBufSlack is room in the query buffer beyond the largest bulk, for
// the other arguments and the framing of the same request.
const queryBufSlack = 64 << 10

// Handler is the program behind the connections.
type Handler interface {
	// Handle runs one command and appends its reply to c.W. It runs on the
	// connection's goroutine; commands of one connection run in order.
	Handle(c *Conn, cmd *resp.Command)
	// Reset drops the program's per-client state, for RESET.
	Reset(c *Conn)
	// Closed is called once when the connection has closed.
	Closed(c *Conn)
}

// Server accepts client connections and runs each on its own goroutine.
type Server struct {
	cfg  Config
	h    Handler
	lg   *zap.Logger
	m    *Metrics
	cmds *Commands // immutable after New

	nextID atomic.Uint64
	ln     net.Listener // set by Start, immutable after
	ready  atomic.Bool  // true from Start until Shutdown
	wg     sync.WaitGroup

	mu      sync.Mutex
	conns   map[*Conn]struct{} // guarded by mu
	closing bool               // guarded by mu
}

// New returns a server whose connections h serves. Its command set is the
// program's handlers plus what every program has: the connection commands
// and the COMMAND family. A program handler replaces the connection
// command of the same name (the node's PING knows about Pub/Sub). Metrics are registered with reg as
// keyslot_<cfg.Subsystem>_…. It does not listen yet.
func New(cfg Config, h Handler, handlers map[string]HandlerFunc, lg *zap.Logger, reg prometheus.Registerer) (*Server, error) {
	m, err := NewMetrics(reg, "keyslot", cfg.Subsystem)
	if err != nil {
		return nil, fmt.Errorf("%s metrics: %w", cfg.Subsystem, err)
	}
	// One request must fit in the query buffer, or a proto-max-bulk-len
	// above the default 1gb buffer would be accepted but unusable.
	lim := cfg.Limits
	if lim.MaxBulkLen > 0 && lim.MaxQueryBufLen < lim.MaxBulkLen+queryBufSlack {
		lim.MaxQueryBufLen = max(resp.DefaultLimits().MaxQueryBufLen, lim.MaxBulkLen+queryBufSlack)
	}
	cfg.Limits = lim
	s := &Server{cfg: cfg, h: h, lg: lg, m: m, conns: make(map[*Conn]struct{})}
	all := s.ConnectionHandlers()
	for name, fn := range handlers {
		all[name] = fn
	}
	if s.cmds, err = NewCommands(all, reg, "keyslot", cfg.Subsystem); err != nil {
		return nil, err
	}
	s.cmds.authRequired = s.authRequired
	return s, nil
}

// Commands returns the program's command set.
func (s *Server) Commands() *Commands { return s.cmds }

// Start binds the listen address and starts accepting in the background.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	s.ready.Store(true)
	s.wg.Add(1)
	go s.acceptLoop()
	return nil
}

// Ready reports whether the server is accepting clients.
func (s *Server) Ready() bool { return s.ready.Load() }

// Addr returns the bound address, or nil before Start.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait and go on, as
			// net/http does, rather than spin or stop serving.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.lg.Warn("accept failed", zap.Error(err), zap.Duration("retry_in", backoff))
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		s.m.accepted.Inc()
		c := newConn(s, nc)
		switch s.track(c) {
		case trackClosing:
			_ = nc.Close()
			continue
		case trackFull:
			s.m.rejected.Inc()
			s.wg.Add(1)
			go s.reject(c)
			continue
		}
		s.wg.Add(1)
		go s.serve(c)
	}
}

type trackResult int

const (
	tracked trackResult = iota
	trackFull
	trackClosing
)

// track registers c unless the server is closing or full.
func (s *Server) track(c *Conn) trackResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return trackClosing
	case s.live().MaxClients > 0 && len(s.conns) >= s.live().MaxClients:
		return trackFull
	}
	s.conns[c] = struct{}{}
	s.m.connected.Inc()
	return tracked
}

func (s *Server) untrack(c *Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.m.connected.Dec()
}

// reject tells a client over the limit why, as Redis does, and closes it.
func (s *Server) reject(c *Conn) {
	defer s.wg.Done()
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	c.W.AppendError("ERR max number of clients reached")
	_ = c.W.Flush()
	_ = c.nc.Close()
}

// Clients returns the connections open now, for CLIENT LIST and the like.
func (s *Server) Clients() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// Shutdown stops accepting, lets every connection finish the batch it is
// running and flush its replies, then closes them. If ctx ends first the
// remaining connections are closed hard.
func (s *Server) Shutdown(ctx context.Context) error {
	s.ready.Store(false)
	s.mu.Lock()
	s.closing = true
	for c := range s.conns {
		// Wake a reader blocked in Read; a running batch still completes,
		// and its replies get shutdownWriteGrace to be taken.
		c.stopping.Store(true)
		_ = c.nc.SetReadDeadline(time.Now())
		_ = c.nc.SetWriteDeadline(time.Now().Add(shutdownWriteGrace))
	}
	s.mu.Unlock()
	if s.ln != nil {
		_ = s.ln.Close()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for c := range s.conns {
			_ = c.nc.Close()
		}
		s.mu.Unlock()
		<-done
		return ctx.Err()
	}
}
