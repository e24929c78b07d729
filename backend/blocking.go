package backend

import (
	"math"
	"slices"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
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
	// The call that blocked, for try: its arguments stay valid while the
	// client is blocked, since its reader is not reading.
	args [][]byte
	cmd  *router.Command
	// out receives the reply written by whoever serves the client: the
	// client's own writer belongs to its goroutine, which may still be
	// flushing it when another client's command serves it.
	out sliceWriter
	w   *resp.Writer
}

// block makes the client wait for one of keys to be filled, once the
// command's locks are released: try is retried, first come first served,
// after each command that fills one of them. The handler has already
// tried once and found nothing.
func (x *Ctx) block(keys [][]byte, timeout time.Duration, try func(x *Ctx, key []byte) bool, onTimeout func(w *resp.Writer)) {
	wt := &waiter{cl: x.cl, timeout: timeout, try: try, onTimeout: onTimeout, wake: make(chan struct{}, 1), args: x.Args, cmd: x.cmd}
	wt.w = resp.NewWriter(&wt.out)
	wt.w.SetProto(x.W.Proto())
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
		x.W.AppendRaw(wt.out.b)
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
	switch {
	case served:
		x.W.AppendRaw(wt.out.b)
	case res == server.TimedOut:
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
		// Each waiter in arrival order; one that cannot be served (it waits
		// for another type, or the key ran dry) stays blocked.
		for _, wt := range slices.Clone(st.blocked[k]) {
			if wt.served {
				continue
			}
			x := &Ctx{s: s, c: wt.cl.conn, cl: wt.cl, W: wt.w, Args: wt.args, cmd: wt.cmd,
				db: s.ks.dbs[k.db], now: now, exclusive: true}
			if !wt.try(x, []byte(k.key)) {
				continue
			}
			_ = wt.w.Flush()
			wt.served = true
			s.removeWaiter(wt)
			keys = append(keys, x.ready...)
			wt.wake <- struct{}{}
		}
	}
}

// parseTimeout reads a blocking command's timeout in seconds as Redis 7.0
// does: a long double, rounded up to whole milliseconds and converted to a
// 64-bit integer, where anything out of range (inf, 1e16) turns into the
// most negative value and so "is negative"; 0, or a negative fraction of a
// millisecond, waits forever.
func (x *Ctx) parseTimeout(arg []byte) (time.Duration, bool) {
	var ld longDouble
	if !ld.parse(arg) {
		x.W.AppendError("ERR timeout is not a float or out of range")
		return 0, false
	}
	var ms float64
	if ld.inf != 0 {
		ms = math.Inf(ld.inf)
	} else {
		f, _ := ld.f.Float64()
		ms = math.Ceil(f * 1000)
	}
	if math.IsInf(ms, 0) || ms >= math.MaxInt64 || ms < 0 {
		x.W.AppendError("ERR timeout is negative")
		return 0, false
	}
	if ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		return 0, true // beyond what a Duration holds: as good as forever
	}
	return time.Duration(ms) * time.Millisecond, true
}
