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
	authed     bool        // AUTH or HELLO AUTH succeeded
	// idleDeadlines records that deadlines were set for an idle timeout,
	// to clear them if the timeout is turned off.
	idleDeadlines bool
	killed        atomic.Bool  // set by Kill
	proto         atomic.Int32 // mirrors W's protocol for other goroutines
	lastActive    atomic.Int64 // unix nanoseconds of the last batch, for CLIENT LIST idle

	// stash holds bytes read from the client while it was blocked (see
	// Wait); Read returns them before reading the socket again.
	stash    []byte
	stashErr error

	push *pusher // non-nil once EnablePush ran; then every write is queued

	mu   sync.Mutex
	name string // guarded by mu: CLIENT LIST reads it from other goroutines
}

// shutdownWriteGrace is how long Shutdown lets a connection keep writing
// replies: a client that does not read cannot hold shutdown up longer.
const shutdownWriteGrace = time.Second

// errStopping ends a connection's reads once Shutdown has begun.
var errStopping = errors.New("server shutting down")

func newConn(s *Server, nc net.Conn) *Conn {
	c := &Conn{
		ID:      s.nextID.Add(1),
		Created: time.Now(),
		srv:     s,
		nc:      nc,
	}
	c.lastActive.Store(c.Created.UnixNano())
	// As in Redis, a client that connects while the default user has no
	// password is logged in, and stays so if one is set later.
	c.authed = s.password() == ""
	c.W = resp.NewWriter(c)
	c.proto.Store(2)
	c.rd = resp.NewReader(c, s.cfg.Limits)
	return c
}

// Read reads from the client for the request reader. With an idle timeout,
// every read moves the deadline, so a client is idle only when nothing
// arrives for that long, as with Redis's last-interaction time: a slow
// upload of one large request is not cut off.
func (c *Conn) Read(p []byte) (int, error) {
	if len(c.stash) > 0 {
		n := copy(p, c.stash)
		c.stash = c.stash[n:]
		if len(c.stash) == 0 {
			c.stash = nil
		}
		return n, nil
	}
	if c.stashErr != nil {
		return 0, c.stashErr
	}
	if t := c.srv.live().IdleTimeout; t > 0 {
		_ = c.nc.SetReadDeadline(time.Now().Add(t))
		c.idleDeadlines = true
	} else if c.idleDeadlines {
		// The timeout was turned off (CONFIG SET timeout 0).
		_ = c.nc.SetReadDeadline(time.Time{})
		_ = c.nc.SetWriteDeadline(time.Time{})
		c.idleDeadlines = false
	}
	// Checked after setting the deadline: Shutdown sets stopping before its
	// own deadline, so either we see it here or its deadline wins.
	if c.stopping.Load() {
		return 0, errStopping
	}
	return c.nc.Read(p)
}

// Write writes replies to the client for the reply writer. With an idle
// timeout, a client that takes no bytes for that long is closed; once
// Shutdown has begun it gets shutdownWriteGrace. Without either, a client
// that does not read blocks only its own connection: replies are never
// buffered without bound.
func (c *Conn) Write(p []byte) (int, error) {
	if c.push != nil {
		return c.push.queue(p)
	}
	if t := c.srv.live().IdleTimeout; t > 0 {
		_ = c.nc.SetWriteDeadline(time.Now().Add(t))
		c.idleDeadlines = true
	}
	if c.stopping.Load() {
		_ = c.nc.SetWriteDeadline(time.Now().Add(shutdownWriteGrace))
	}
	return c.nc.Write(p)
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

// setProto switches the protocol of the replies (HELLO, RESET).
func (c *Conn) setProto(p int) {
	c.W.SetProto(p)
	c.proto.Store(int32(p))
}

// Proto returns the protocol the client speaks, 2 or 3. Unlike W.Proto it
// may be called from any goroutine (a publisher encoding a message).
func (c *Conn) Proto() int { return int(c.proto.Load()) }

// Authenticated reports whether the client has authenticated with AUTH or
// HELLO AUTH (meaningful only when a password is set).
func (c *Conn) Authenticated() bool { return c.authed }

// LastActive returns when the client's last batch of commands ran.
func (c *Conn) LastActive() time.Time { return time.Unix(0, c.lastActive.Load()) }

// Kill closes the connection from any goroutine, as CLIENT KILL does: a
// blocked or reading connection wakes up and ends.
func (c *Conn) Kill() {
	c.killed.Store(true)
	_ = c.nc.Close()
}

// Killed reports whether Kill was called.
func (c *Conn) Killed() bool { return c.killed.Load() }

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
		if c.push != nil {
			c.push.stop()
		}
		_ = c.nc.Close()
		s.untrack(c)
		s.h.Closed(c)
	}()

	var cmds []resp.Command
	for {
		var err error
		c.rd.SetAuthRequired(s.authRequired(c))
		cmds, err = c.rd.ReadCommands(cmds[:0])
		c.lastActive.Store(time.Now().UnixNano())
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
