package server

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// errPushClosed is returned for writes to a push-mode client that is gone
// or was closed for going over its output limit.
var errPushClosed = errors.New("server: client closed")

// pusher delivers a client's output when other goroutines write to it too:
// Pub/Sub messages arrive from publishers while the client's own goroutine
// answers its commands. Both append to one queue, so the order the client
// sees is the order the bytes were queued, and a writer goroutine sends
// them. Nobody ever blocks on a slow client: past its output limit it is
// closed, as Redis does.
type pusher struct {
	c       *Conn
	limited atomic.Bool // the output limit applies (the client is subscribed)
	lim     OutputLimit
	wake    chan struct{} // capacity 1: "the queue is not empty"
	quit    chan struct{} // closed by stop
	done    chan struct{} // closed when run returns

	mu        sync.Mutex
	buf       []byte    // guarded by mu: queued and not yet written
	spare     []byte    // guarded by mu: the buffer run gave back
	softSince time.Time // guarded by mu: when buf went over the soft limit
	closed    bool      // guarded by mu: no more bytes are accepted
}

// EnablePush switches the connection to queued output, so other goroutines
// may Push to it. Only the connection's own goroutine (a handler) calls it;
// calling it again does nothing. Replies already buffered in W are queued
// first, so nothing overtakes them.
func (c *Conn) EnablePush() {
	if c.push != nil {
		return
	}
	s := c.srv
	p := &pusher{
		c:    c,
		lim:  s.live().PushLimit,
		wake: make(chan struct{}, 1),
		quit: make(chan struct{}),
		done: make(chan struct{}),
	}
	p.limited.Store(true)
	c.push = p
	s.wg.Add(1)
	go p.run()
	// Into the queue, ahead of anything pushed later; never a socket write
	// here, since the caller may hold locks.
	_ = c.W.Flush()
}

// PushEnabled reports whether EnablePush has run.
func (c *Conn) PushEnabled() bool { return c.push != nil }

// LimitPush turns the push-mode output limit on or off: Redis applies the
// pubsub class of client-output-buffer-limit only while a client is
// subscribed. Only the connection's own goroutine calls it.
func (c *Conn) LimitPush(on bool) {
	if c.push != nil {
		c.push.limited.Store(on)
	}
}

// Push queues b, a complete RESP message, for the client; any goroutine
// may call it once EnablePush has run. It reports false when the client is
// gone or has just been closed for going over its output limit.
func (c *Conn) Push(b []byte) bool {
	if c.push == nil {
		return false
	}
	_, err := c.push.queue(b)
	return err == nil
}

// queue appends b to the output and wakes the writer.
func (p *pusher) queue(b []byte) (int, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return 0, errPushClosed
	}
	p.buf = append(p.buf, b...)
	if p.limited.Load() && p.overLimitLocked(time.Now()) {
		p.closed = true
		p.buf = nil
		p.mu.Unlock()
		p.c.srv.lg.Warn("client closed for overcoming of output buffer limits")
		p.c.Kill()
		return 0, errPushClosed
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
	return len(b), nil
}

// overLimitLocked applies the hard and soft output limits. mu must be held.
func (p *pusher) overLimitLocked(now time.Time) bool {
	n := int64(len(p.buf))
	if p.lim.Hard > 0 && n > p.lim.Hard {
		return true
	}
	if p.lim.Soft <= 0 || n <= p.lim.Soft {
		p.softSince = time.Time{}
		return false
	}
	if p.softSince.IsZero() {
		p.softSince = now
		return false
	}
	return now.Sub(p.softSince) > time.Duration(p.lim.SoftSeconds)*time.Second
}

// run writes queued output until stop, then drains what is left within
// shutdownWriteGrace.
func (p *pusher) run() {
	defer p.c.srv.wg.Done()
	defer close(p.done)
	for {
		select {
		case <-p.wake:
			if !p.writeQueued() {
				return
			}
		case <-p.quit:
			_ = p.c.nc.SetWriteDeadline(time.Now().Add(shutdownWriteGrace))
			p.writeQueued()
			return
		}
	}
}

// writeQueued writes everything queued so far; false means the client is
// gone.
func (p *pusher) writeQueued() bool {
	p.mu.Lock()
	out := p.buf
	p.buf, p.spare = p.spare[:0], nil
	p.mu.Unlock()
	if len(out) == 0 {
		return true
	}
	_, err := p.c.nc.Write(out)
	p.mu.Lock()
	if err != nil {
		p.closed = true
		p.buf = nil
	} else if cap(out) <= 64<<10 {
		// Keep a small buffer for next time; drop a big one so a burst
		// does not pin memory.
		p.spare = out[:0]
	}
	p.mu.Unlock()
	if err != nil {
		_ = p.c.nc.Close()
		return false
	}
	return true
}

// stop ends the writer once it has sent what is queued, and waits for it.
// The connection's goroutine calls it as the connection ends.
func (p *pusher) stop() {
	close(p.quit)
	<-p.done
}
