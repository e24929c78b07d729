package backend

import (
	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// Ctx is one command's run: its arguments, its client, its database and
// reply writer. Handlers run with the locks their command needs already
// held (see Keyspace), so everything they reach through Ctx is theirs for
// the length of the call. A Ctx belongs to its client and is reused.
type Ctx struct {
	s    *Server
	c    *server.Conn
	cl   *client
	W    *resp.Writer
	Args [][]byte
	cmd  *router.Command
	db   *DB
	// now is the command's clock, unix milliseconds: one reading per
	// command, as Redis takes one, so a key cannot expire half way through.
	now int64
	// exclusive is true when Keyspace.mu is held exclusively (commands
	// that span the keyspace, EXEC, serving blocked clients).
	exclusive bool
	// ready collects keys that blocked clients wait on and that this
	// command filled; they are served once it is done.
	ready []dbKey
	// blocked is set by a handler that blocks the client (see block).
	blocked *waiter
}

// Notification classes, as notify-keyspace-events spells them.
const (
	notifyKeyspace uint16 = 1 << iota // K
	notifyKeyevent                    // E
	notifyGeneric                     // g
	notifyString                      // $
	notifyList                        // l
	notifySet                         // s
	notifyHash                        // h
	notifyZSet                        // z
	notifyExpired                     // x
	notifyEvicted                     // e
	notifyStream                      // t
	notifyKeyMiss                     // m
	notifyModule                      // d
	notifyNew                         // n
)

// Standard error replies, Redis 7.0's text.
const (
	errWrongType     = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errSyntax        = "ERR syntax error"
	errNotInt        = "ERR value is not an integer or out of range"
	errNotFloat      = "ERR value is not a valid float"
	errNoSuchKey     = "ERR no such key"
	errOverflow      = "ERR increment or decrement would overflow"
	errDBIndex       = "ERR DB index is out of range"
	errInvalidCursor = "ERR invalid cursor"
)

// lookup returns the key's live entry, or nil. An expired key is deleted
// first, as Redis's expireIfNeeded does on every access; as in Redis's
// keyIsExpired, a key is expired once the clock is past its time, not at
// it.
func (x *Ctx) lookup(key []byte) *dict.Entry[item] {
	e := x.db.find(key)
	if e == nil {
		return nil
	}
	if x.db.expiredAt(e, x.now) {
		x.expireKey(key)
		return nil
	}
	x.s.touch(&e.Value)
	return e
}

// lookupRead is lookup for commands that read the key, counted as a
// keyspace hit or miss.
func (x *Ctx) lookupRead(key []byte) *dict.Entry[item] {
	e := x.lookup(key)
	if e == nil {
		x.s.stats.keyspaceMisses.Add(1)
		x.notify(notifyKeyMiss, "keymiss", key)
	} else {
		x.s.stats.keyspaceHits.Add(1)
	}
	return e
}

// expireKey deletes a key whose time has passed.
func (x *Ctx) expireKey(key []byte) {
	x.db.remove(key)
	x.s.stats.expiredKeys.Add(1)
	x.notify(notifyExpired, "expired", key)
	x.modified(key)
}

// readAs looks key up for reading as a T. It returns a nil entry when the
// key is missing; when the key holds another type it replies WRONGTYPE and
// returns ok false.
func readAs[T any](x *Ctx, key []byte) (e *dict.Entry[item], v T, ok bool) {
	return as[T](x, x.lookupRead(key))
}

// writeAs is readAs for commands that write the key (no hit/miss count).
func writeAs[T any](x *Ctx, key []byte) (e *dict.Entry[item], v T, ok bool) {
	return as[T](x, x.lookup(key))
}

func as[T any](x *Ctx, e *dict.Entry[item]) (*dict.Entry[item], T, bool) {
	var zero T
	if e == nil {
		return nil, zero, true
	}
	v, ok := e.Value.val.(T)
	if !ok {
		x.W.AppendError(errWrongType)
		return e, zero, false
	}
	return e, v, true
}

// add creates a key that lookup has just found missing.
func (x *Ctx) add(key []byte, val value) *dict.Entry[item] {
	e := x.db.insert(key, val)
	e.Value.lru = x.s.newAccess()
	x.notify(notifyNew, "new", key)
	x.signalReady(key, val)
	return e
}

// set stores val at key as SET does: a new value replaces the old one
// whatever its type, and the TTL goes unless keepTTL.
func (x *Ctx) set(key []byte, val value, keepTTL bool) *dict.Entry[item] {
	e := x.lookup(key)
	if e == nil {
		return x.add(key, val)
	}
	e.Value.val = val
	e.Value.raw, e.Value.float = false, false
	if !keepTTL && e.Value.ttl {
		x.db.setTTL(e, 0)
	}
	x.signalReady(key, val)
	return e
}

// del removes a key if present (expired or not) and reports whether a live
// key was removed.
func (x *Ctx) del(key []byte) bool {
	if x.lookup(key) == nil {
		return false
	}
	return x.db.remove(key)
}

// changed records a change to key: WATCHers are told, the keyspace event
// is published, and the change counts toward persistence.
func (x *Ctx) changed(class uint16, event string, key []byte) {
	x.modified(key)
	x.notify(class, event, key)
	x.s.stats.dirty.Add(1)
}

// modified breaks the transactions WATCHing key (Redis's
// signalModifiedKey).
func (x *Ctx) modified(key []byte) {
	st := &x.s.ks.stripes[stripeOf(key)]
	if len(st.watched) == 0 {
		return
	}
	for _, cl := range st.watched[dbKey{x.db.id, string(key)}] {
		cl.dirtyCAS.Store(true)
	}
}

// notify publishes a keyspace event if notify-keyspace-events asks for it.
func (x *Ctx) notify(class uint16, event string, key []byte) {
	flags := x.s.notifyFlags.Load()
	if uint16(flags)&class == 0 {
		return
	}
	x.s.ps.keyspaceEvent(uint16(flags), x.db.id, event, key)
}

// signalReady queues key for the clients blocked on it, when val is a type
// they wait for.
func (x *Ctx) signalReady(key []byte, val value) {
	if _, ok := val.(blocker); !ok {
		return
	}
	st := &x.s.ks.stripes[stripeOf(key)]
	if len(st.blocked) == 0 {
		return
	}
	k := dbKey{x.db.id, string(key)}
	if len(st.blocked[k]) > 0 {
		x.ready = append(x.ready, k)
	}
}

// wrongArgs replies the arity-style error a handler finds itself.
func (x *Ctx) wrongArgs() {
	server.WrongArgs(x.c, x.cmd.Name)
}
