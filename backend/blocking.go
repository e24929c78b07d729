package backend

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
)

// waiter is a client blocked on keys (BLPOP, BLMOVE, BZPOPMIN…).
type waiter struct {
	cl      *client
	keys    []dbKey
	timeout time.Duration // 0 waits forever
	// try serves the client from key if it can, writing the reply to x.W
	// as the blocking command would have; false leaves it blocked.
	try func(x *Ctx, key []byte) bool
	// onTimeout writes the reply for a timeout.
	onTimeout func(w *resp.Writer)
	wake      chan struct{} // capacity 1
	// served is set, with the waiter's keys locked, by whoever served it.
	served bool
}

// block makes the client wait for one of keys to be filled, once the
// command's locks are released: try is retried, first come first served,
// after each command that fills one of them. The handler has already
// tried once and found nothing.
func (x *Ctx) block(keys [][]byte, timeout time.Duration, try func(x *Ctx, key []byte) bool, onTimeout func(w *resp.Writer)) {
	wt := &waiter{cl: x.cl, timeout: timeout, try: try, onTimeout: onTimeout, wake: make(chan struct{}, 1)}
	for _, key := range keys {
		k := dbKey{x.db.id, string(key)}
		if slices.Contains(wt.keys, k) {
			continue
		}
		wt.keys = append(wt.keys, k)
		st := &x.s.ks.stripes[stripeOf(key)]
		st.blocked[k] = append(st.blocked[k], wt)
	}
	x.blocked = wt
}

// mayBlock reports whether the command may block: not inside a
// transaction, where blocking commands act as if they timed out at once.
func (x *Ctx) mayBlock() bool { return !x.cl.inExec }

// waitBlocked parks the client until it is served, times out or leaves.
// No lock is held.
func (s *Server) waitBlocked(x *Ctx) {
	wt := x.blocked
	x.blocked = nil
	s.stats.blockedClients.Add(1)
	res := x.c.Wait(wt.wake, wt.timeout)
	s.stats.blockedClients.Add(-1)
	if res == server.Woken {
		return
	}
	stripes := make([]int, 0, len(wt.keys))
	for _, k := range wt.keys {
		stripes = append(stripes, stripeOf([]byte(k.key)))
	}
	slices.Sort(stripes)
	stripes = slices.Compact(stripes)
	s.ks.mu.RLock()
	for _, i := range stripes {
		s.ks.stripes[i].mu.Lock()
	}
	served := wt.served
	if !served {
		s.removeWaiter(wt)
	}
	for _, i := range stripes {
		s.ks.stripes[i].mu.Unlock()
	}
	s.ks.mu.RUnlock()
	if !served && res == server.TimedOut {
		wt.onTimeout(x.W)
	}
}

// removeWaiter takes wt off every key it waits on. The caller holds those
// keys' stripes or the keyspace exclusively.
func (s *Server) removeWaiter(wt *waiter) {
	for _, k := range wt.keys {
		st := &s.ks.stripes[stripeOf([]byte(k.key))]
		list := st.blocked[k]
		for i, w := range list {
			if w == wt {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(st.blocked, k)
		} else {
			st.blocked[k] = list
		}
	}
}

// serveReady serves the clients blocked on keys that commands filled, in
// the order they blocked, with the keyspace held exclusively. Serving one
// may fill another key (BLMOVE), which is served in turn.
func (s *Server) serveReady(keys []dbKey) {
	s.ks.mu.Lock()
	defer s.ks.mu.Unlock()
	now := time.Now().UnixMilli()
	for i := 0; i < len(keys); i++ {
		k := keys[i]
		st := &s.ks.stripes[stripeOf([]byte(k.key))]
		for len(st.blocked[k]) > 0 {
			wt := st.blocked[k][0]
			x := &wt.cl.x
			x.db, x.now, x.exclusive, x.ready = s.ks.dbs[k.db], now, true, x.ready[:0]
			if !wt.try(x, []byte(k.key)) {
				break
			}
			wt.served = true
			s.removeWaiter(wt)
			keys = append(keys, x.ready...)
			wt.wake <- struct{}{}
		}
	}
}

// parseTimeout reads a blocking command's timeout in seconds, replying
// Redis's error when it is not one.
func (x *Ctx) parseTimeout(arg []byte) (time.Duration, bool) {
	f, err := strconv.ParseFloat(string(arg), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || !isStrtodNumber(arg) {
		x.W.AppendError("ERR timeout is not a float or out of range")
		return 0, false
	}
	if f < 0 {
		x.W.AppendError("ERR timeout is negative")
		return 0, false
	}
	ms := f * 1000
	if ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		x.W.AppendError("ERR timeout is out of range")
		return 0, false
	}
	d := time.Duration(ms * float64(time.Millisecond))
	if f > 0 && d < time.Millisecond {
		// Redis rounds a positive timeout below 1 ms up to 1 ms rather than
		// treating it as "forever".
		d = time.Millisecond
	}
	return d, true
}
