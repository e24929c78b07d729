package backend

import (
	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// multiState is a transaction being queued.
type multiState struct {
	cmds    []queued
	failed  bool // a command was refused while queueing: EXEC aborts
	denyOOM bool // a queued command is flagged deny-oom
}

type queued struct {
	fn   server.HandlerFunc
	args [][]byte // copies: the reader's buffer is reused
}

func (m *multiState) queue(rc *router.Command, fn server.HandlerFunc, args [][]byte) {
	cp := make([][]byte, len(args))
	n := 0
	for _, a := range args {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	for i, a := range args {
		buf = append(buf, a...)
		cp[i] = buf[len(buf)-len(a):]
	}
	m.cmds = append(m.cmds, queued{fn: fn, args: cp})
	m.denyOOM = m.denyOOM || rc.Flags&router.FlagDenyOOM != 0
}

func (cl *client) discard() {
	cl.multi = nil
	cl.multiN.Store(-1)
}

// watchedKey is a key a client WATCHes. expired records that it had
// already expired when watched: Redis does not count that as a change.
type watchedKey struct {
	k       dbKey
	expired bool
}

func transactionCommands() commandSet {
	return commandSet{
		"multi":   {fn: cmdMulti, lock: lockNone},
		"exec":    {fn: cmdExec, lock: lockNone},
		"discard": {fn: cmdDiscard, lock: lockNone},
		"watch":   {fn: cmdWatch, lock: lockKeys},
		"unwatch": {fn: cmdUnwatch, lock: lockNone},
	}
}

func cmdMulti(x *Ctx) {
	if x.cl.multi != nil {
		x.W.AppendError("ERR MULTI calls can not be nested")
		return
	}
	x.cl.multi = &multiState{}
	x.cl.multiN.Store(0)
	x.W.AppendSimple("OK")
}

func cmdDiscard(x *Ctx) {
	if x.cl.multi == nil {
		x.W.AppendError("ERR DISCARD without MULTI")
		return
	}
	x.cl.discard()
	x.s.unwatchAll(x.cl)
	x.W.AppendSimple("OK")
}

func cmdExec(x *Ctx) {
	cl, s, w := x.cl, x.s, x.W
	m := cl.multi
	if m == nil {
		w.AppendError("ERR EXEC without MULTI")
		return
	}
	cl.discard()
	if m.failed {
		s.unwatchAll(cl)
		w.AppendError("EXECABORT Transaction discarded because of previous errors.")
		return
	}
	s.lockAllFor(cl, func() {
		if cl.dirtyCAS.Load() || s.watchedKeyExpired(cl) {
			w.AppendNullArray()
			s.unwatchAll(cl)
			return
		}
		s.unwatchAll(cl)
		w.AppendArray(len(m.cmds))
		for _, q := range m.cmds {
			q.fn(cl.conn, q.args)
		}
	})
	if len(cl.pendingReady) > 0 {
		ready := cl.pendingReady
		cl.pendingReady = nil
		s.serveReady(ready)
	}
}

func cmdWatch(x *Ctx) {
	if x.cl.multi != nil {
		x.W.AppendError("ERR WATCH inside MULTI is not allowed")
		return
	}
	for _, key := range x.Args[1:] {
		k := dbKey{x.db.id, string(key)}
		if x.cl.isWatching(k) {
			continue
		}
		e := x.db.find(key)
		expired := e != nil && x.db.expiredAt(e, x.now)
		st := &x.s.ks.stripes[stripeOf(key)]
		st.watched[k] = append(st.watched[k], x.cl)
		x.cl.watching = append(x.cl.watching, watchedKey{k: k, expired: expired})
	}
	x.W.AppendSimple("OK")
}

func cmdUnwatch(x *Ctx) {
	x.s.unwatchAll(x.cl)
	x.W.AppendSimple("OK")
}

func (cl *client) isWatching(k dbKey) bool {
	for _, w := range cl.watching {
		if w.k == k {
			return true
		}
	}
	return false
}

// unwatchAll forgets every key cl watches and clears its dirty flag. It
// takes the stripes itself unless cl already holds the whole keyspace.
func (s *Server) unwatchAll(cl *client) {
	if len(cl.watching) == 0 {
		cl.dirtyCAS.Store(false)
		return
	}
	if !cl.inExec {
		s.ks.mu.RLock()
		defer s.ks.mu.RUnlock()
	}
	for _, w := range cl.watching {
		st := &s.ks.stripes[stripeOf([]byte(w.k.key))]
		if !cl.inExec {
			st.mu.Lock()
		}
		list := st.watched[w.k]
		for i, c := range list {
			if c == cl {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(st.watched, w.k)
		} else {
			st.watched[w.k] = list
		}
		if !cl.inExec {
			st.mu.Unlock()
		}
	}
	cl.watching = nil
	cl.dirtyCAS.Store(false)
}

// watchedKeyExpired reports whether a watched key that was alive when
// watched has expired since. The keyspace is held exclusively.
func (s *Server) watchedKeyExpired(cl *client) bool {
	now := cl.x.now
	for _, w := range cl.watching {
		if w.expired || w.k.db >= len(s.ks.dbs) {
			continue
		}
		e := s.ks.dbs[w.k.db].find([]byte(w.k.key))
		if e != nil && s.ks.dbs[w.k.db].expiredAt(e, now) {
			return true
		}
	}
	return false
}

// touchAllWatched breaks every transaction watching a key of database db
// that exists there or in other (FLUSHDB, FLUSHALL, SWAPDB). The keyspace
// is held exclusively.
func (s *Server) touchAllWatched(db, other *DB) {
	for i := range s.ks.stripes {
		st := &s.ks.stripes[i]
		for k, list := range st.watched {
			if k.db != db.id {
				continue
			}
			key := []byte(k.key)
			if db.find(key) == nil && (other == nil || other.find(key) == nil) {
				continue
			}
			for _, cl := range list {
				cl.dirtyCAS.Store(true)
			}
		}
	}
}
