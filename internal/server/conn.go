package server

import (
	"errors"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/resp"
)

// Conn is one client connection. Its fields are owned by the connection's
// goroutine unless a comment says otherwise.
type Conn struct {
	// ID is the client id, unique for the life of the process (CLIENT ID).
	ID uint64
	// W buffers the replies; handlers append to it.
	W *resp.Writer
	// Created is when the connection was accepted.
	Created time.Time
	// State is the program's per-client state, set by its Handler.
	State any

	srv        *Server
	nc         net.Conn
	rd         *resp.Reader
	closeAfter bool        // set by QUIT: close once this batch's replies are out
	stopping   atomic.Bool // set by Shutdown before it wakes the reader

	mu   sync.Mutex
	name string // guarded by mu: CLIENT LIST reads it from other goroutines
}

func newConn(s *Server, nc net.Conn) *Conn {
	return &Conn{
		ID:      s.nextID.Add(1),
		W:       resp.NewWriter(nc),
		Created: time.Now(),
		srv:     s,
		nc:      nc,
		rd:      resp.NewReader(nc, s.cfg.Limits),
	}
}

// RemoteAddr returns the client's address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// LocalAddr returns the address the client connected to.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// Name returns the name set by CLIENT SETNAME or HELLO SETNAME.
func (c *Conn) Name() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.name
}

// SetName sets the client name; the empty name clears it.
func (c *Conn) SetName(name string) {
	c.mu.Lock()
	c.name = name
	c.mu.Unlock()
}

// CloseAfterReply makes the connection close once the replies of the
// current batch have been written, as QUIT does.
func (c *Conn) CloseAfterReply() { c.closeAfter = true }

// serve is the connection's goroutine: read every complete command in the
// buffer, run them all, flush once.
func (s *Server) serve(c *Conn) {
	lg := s.lg
	defer s.wg.Done()
	defer func() {
		if r := recover(); r != nil {
			s.m.panics.Inc()
			lg.Error("panic in connection; closing it",
				zap.Uint64("client_id", c.ID), zap.String("addr", c.nc.RemoteAddr().String()),
				zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
		}
		_ = c.nc.Close()
		s.untrack(c)
		s.h.Closed(c)
	}()

	var cmds []resp.Command
	for {
		if s.cfg.IdleTimeout > 0 {
			_ = c.nc.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		}
		// Checked after setting the deadline: Shutdown sets stopping before
		// its own deadline, so either we see it here or its deadline wins.
		if c.stopping.Load() {
			return
		}
		var err error
		cmds, err = c.rd.ReadCommands(cmds[:0])
		for i := range cmds {
			s.h.Handle(c, &cmds[i])
			if c.closeAfter {
				break
			}
		}
		var perr *resp.ProtocolError
		if err != nil && !c.closeAfter && errors.As(err, &perr) {
			s.m.protocolErrors.Inc()
			c.W.AppendError("ERR " + perr.Error())
			c.closeAfter = true
		}
		if ferr := c.W.Flush(); ferr != nil || c.closeAfter {
			return
		}
		if err != nil {
			// EOF, a reset, an idle timeout or shutdown: nothing to answer.
			return
		}
	}
}
