package backend

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
)

// Server is a keyslot storage node. The embedded server.Server gives it
// Start, Addr and Ready; Shutdown also stops the node's background work.
type Server struct {
	*server.Server
	cfg Config
	lg  *zap.Logger

	ks    *Keyspace
	ps    *pubsub
	mem   *memState
	stats stats
	adm   admin // INFO, CLIENT, SLOWLOG, LATENCY, MONITOR, DEBUG state (cmd_server.go)
	start time.Time

	// notifyFlags is notify-keyspace-events as a bit set of notify*.
	notifyFlags atomic.Uint32
	clock       atomic.Uint32 // see lruClock
	lastSave    atomic.Int64  // unix seconds of the last successful save (LASTSAVE)
	expireSlot  []int         // per database: where the expire cycle goes on; background only
	expireDB    int           // the database the expire cycle starts with; background only

	stop chan struct{} // closed by Shutdown: background loops end
	bg   chan struct{} // closed when the background loops have ended
}

// stats are the counters INFO reports.
type stats struct {
	keyspaceHits   atomic.Int64
	keyspaceMisses atomic.Int64
	expiredKeys    atomic.Int64
	evictedKeys    atomic.Int64
	dirty          atomic.Int64 // changes since the last save
	blockedClients atomic.Int64
}

func errDuplicate(name string) error { return fmt.Errorf("backend: command %q defined twice", name) }
func errNotInTable(name string) error {
	return fmt.Errorf("backend: command %q is not in the command table", name)
}

// New validates cfg and builds a node; Start makes it listen. Its metrics
// are registered with reg.
func New(cfg Config, lg *zap.Logger, reg prometheus.Registerer) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{
		cfg:   cfg,
		lg:    lg,
		ks:    newKeyspace(cfg.Databases),
		ps:    newPubsub(),
		mem:   newMemState(),
		start: time.Now(),
		stop:  make(chan struct{}),
		bg:    make(chan struct{}),
	}
	handlers, err := s.handlers(
		keyCommands(),
		stringCommands(),
		dbCommands(),
		transactionCommands(),
		pubsubCommands(),
		s.configCommands(),
		listCommands(),
		hashCommands(), setCommands(),
		zsetCommands(),
		dumpCommands(),
		sortCommands(),
		serverCommands(), clientCommands(), debugCommands(), slowlogCommands(), monitorCommands(),
	)
	if err != nil {
		return nil, err
	}
	s.Server, err = server.New(server.Config{
		Addr:        cfg.ListenAddr(),
		MaxClients:  cfg.MaxClients,
		IdleTimeout: time.Duration(cfg.Timeout) * time.Second,
		Limits:      resp.Limits{MaxBulkLen: int64(cfg.ProtoMaxBulkLen)},
		Subsystem:   "node",
		Mode:        "standalone",
		Password:    s.requirePass,
		PushLimit:   s.pushLimit(),
		Live: func() server.Live {
			return server.Live{IdleTimeout: s.idleTimeout(), MaxClients: s.maxClients(), PushLimit: s.pushLimit()}
		},
	}, s, handlers, lg, reg)
	if err != nil {
		return nil, err
	}
	s.tickClock()
	s.lastSave.Store(s.start.Unix())
	s.expireSlot = make([]int, cfg.Databases)
	go s.background()
	return s, nil
}

// Shutdown stops the node's background work, then closes client
// connections as server.Server.Shutdown does.
func (s *Server) Shutdown(ctx context.Context) error {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.bg
	return s.Server.Shutdown(ctx)
}

// background runs the node's periodic work (Redis's serverCron) until
// Shutdown.
func (s *Server) background() {
	defer close(s.bg)
	t := time.NewTicker(100 * time.Millisecond) // hz 10
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.tickClock()
			s.activeExpireCycle()
		}
	}
}

// lruClock is Redis's LRU clock: seconds, 24 bits, advanced by the
// background loop rather than read from the system clock per access.
func (s *Server) lruClock() uint32 { return s.clock.Load() }

func (s *Server) tickClock() {
	s.clock.Store(uint32(time.Now().Unix()) & (1<<24 - 1))
}
