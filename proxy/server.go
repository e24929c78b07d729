package proxy

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
)

// Server is the keyslot proxy. At this stage it serves the connection
// commands itself (PING, ECHO, HELLO, QUIT, RESET, CLIENT ID / SETNAME /
// GETNAME, COMMAND); routing to cluster nodes is not built yet, so every
// other command answers "-ERR unknown command", as Redis does for a command
// it does not have. The embedded server.Server gives it Start, Addr, Ready
// and Shutdown.
type Server struct {
	*server.Server
	cfg Config
	lg  *zap.Logger
}

// New validates cfg and builds a proxy; Start makes it listen. Its metrics
// are registered with reg.
func New(cfg Config, lg *zap.Logger, reg prometheus.Registerer) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, lg: lg}
	var err error
	s.Server, err = server.New(server.Config{
		Addr:        cfg.ListenAddr(),
		MaxClients:  cfg.MaxClients,
		IdleTimeout: time.Duration(cfg.Timeout) * time.Second,
		Limits:      resp.Limits{MaxBulkLen: int64(cfg.ProtoMaxBulkLen)},
		Subsystem:   "proxy",
		Mode:        "standalone",
	}, s, nil, lg, reg)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Handle runs one client command (server.Handler).
func (s *Server) Handle(c *server.Conn, cmd *resp.Command) { s.Commands().Run(c, cmd) }

// Reset drops per-client state for RESET (server.Handler).
func (s *Server) Reset(*server.Conn) {}

// Closed releases per-client state (server.Handler).
func (s *Server) Closed(*server.Conn) {}
