package server

import (
	"errors"
	"sync/atomic"
	"time"
)

// WaitResult says why Wait returned.
type WaitResult int

const (
	// Woken: the wake channel fired.
	Woken WaitResult = iota
	// TimedOut: the timeout passed first.
	TimedOut
	// Gone: the client disconnected, was killed, or the server is shutting
	// down. Nothing more should be written for it.
	Gone
)

// errStashFull ends a blocked client that sent more than the query buffer
// may hold while it waited.
var errStashFull = errors.New("server: query buffer limit reached while blocked")

// Wait blocks the connection's goroutine, as Redis blocks a client in BLPOP,
// until wake fires, timeout passes (0 waits forever) or the client goes
// away. Replies buffered so far are flushed first. While it waits, whatever
// the client sends is read and kept for later, so that a disconnect is seen
// at once and nothing pipelined behind the blocking command is lost. Only
// the connection's own goroutine (a handler) calls it.
func (c *Conn) Wait(wake <-chan struct{}, timeout time.Duration) WaitResult {
	if err := c.W.Flush(); err != nil {
		return Gone
	}
	if c.stashErr != nil {
		return Gone
	}
	var interrupted atomic.Bool
	gone := make(chan struct{})
	done := make(chan struct{})
	limit := c.srv.cfg.Limits.MaxQueryBufLen
	if limit <= 0 {
		limit = 1 << 30
	}
	// No idle timeout while blocked: the command's own timeout rules.
	_ = c.nc.SetReadDeadline(time.Time{})
	if c.stopping.Load() {
		return Gone
	}
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := c.nc.Read(buf)
			if n > 0 {
				c.stash = append(c.stash, buf[:n]...)
				if int64(len(c.stash)) > limit {
					c.stashErr = errStashFull
					close(gone)
					return
				}
			}
			if err != nil {
				if !interrupted.Load() || c.stopping.Load() {
					c.stashErr = err
					close(gone)
				}
				return
			}
		}
	}()

	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	res := Gone
	select {
	case <-wake:
		res = Woken
	case <-expire:
		res = TimedOut
	case <-gone:
	}
	interrupted.Store(true)
	_ = c.nc.SetReadDeadline(time.Unix(1, 0))
	<-done
	if c.stashErr != nil {
		return Gone
	}
	if c.srv.live().IdleTimeout <= 0 {
		_ = c.nc.SetReadDeadline(time.Time{})
	}
	return res
}
