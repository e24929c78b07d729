package backend

import (
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/cluster"
)

// nStripes is how many key locks there are. A key's stripe is its hash
// slot modulo nStripes, so every key of one slot, in every database, shares
// a stripe: MOVE and COPY between databases need one lock, and cluster mode
// (where a command's keys share a slot) never takes two.
const nStripes = 256

// Keyspace is the node's databases and the locks that make each command
// atomic.
//
// Locking: a command that names its keys holds mu shared and the stripes of
// its keys (in increasing index); a command that spans the keyspace (KEYS,
// SCAN, FLUSHALL, SWAPDB, EXEC…) holds mu exclusively, which excludes every
// stripe holder. Lock order: mu → stripes by index → pubsub.mu → a client's
// output queue.
type Keyspace struct {
	mu      sync.RWMutex
	stripes [nStripes]stripe
	dbs     []*DB // guarded by mu: SWAPDB exchanges entries while holding it exclusively
}

// stripe is one key lock and the per-key registries its keys share.
type stripe struct {
	mu sync.Mutex
	// watched lists the clients WATCHing each key; guarded by mu.
	watched map[dbKey][]*client
	// blocked lists the clients blocked on each key, first come first;
	// guarded by mu.
	blocked map[dbKey][]*waiter
	_       [64]byte // keep stripes on separate cache lines
}

// dbKey names a key of one database.
type dbKey struct {
	db  int
	key string
}

func stripeOf(key []byte) int { return cluster.KeySlot(key) % nStripes }

// DB is one logical database: its keys, split by hash slot so that one
// slot's keys can be counted and listed without looking at the others.
type DB struct {
	id    int // guarded by Keyspace.mu: SWAPDB changes it
	slots [cluster.SlotCount]*slotKeys
	// keys and volatile count all keys and those with a TTL, for DBSIZE
	// and INFO without taking every stripe.
	keys     atomic.Int64
	volatile atomic.Int64
	// used and withTTL have bit s set while slot s has keys and keys with
	// a TTL, so SCAN, RANDOMKEY and the expire cycle skip empty slots.
	used    [cluster.SlotCount / 64]atomic.Uint64
	withTTL [cluster.SlotCount / 64]atomic.Uint64
}

// slotKeys is the keys of one slot of one database. Guarded by the slot's
// stripe (or Keyspace.mu held exclusively).
type slotKeys struct {
	keys *dict.Dict[item]
	// ttl holds the expiry (unix ms) of the keys that have one, apart
	// from the keys as Redis keeps its expires dict: most keys have none,
	// and an entry without the field is a size class smaller. nil while no
	// key of the slot has a TTL.
	ttl *dict.Dict[int64]
}

// item is a key's value and metadata.
type item struct {
	val value
	ttl bool // the key has an expiry, kept in its slot's ttl table
	lru uint32
	raw bool // a string changed in place (APPEND, SETRANGE…): OBJECT ENCODING says raw
	// float marks an INCRBYFLOAT result, which Redis stores embstr even
	// when it reads as an integer.
	float bool
}

func newKeyspace(databases int) *Keyspace {
	ks := &Keyspace{dbs: make([]*DB, databases)}
	for i := range ks.dbs {
		ks.dbs[i] = &DB{id: i}
	}
	for i := range ks.stripes {
		ks.stripes[i].watched = make(map[dbKey][]*client)
		ks.stripes[i].blocked = make(map[dbKey][]*waiter)
	}
	return ks
}

// The methods below need the key's stripe held (or mu held exclusively).

func (db *DB) slotOf(key []byte) (*slotKeys, int) {
	s := cluster.KeySlot(key)
	return db.slots[s], s
}

// find returns the key's entry, expired or not.
func (db *DB) find(key []byte) *dict.Entry[item] {
	sk, _ := db.slotOf(key)
	if sk == nil {
		return nil
	}
	return sk.keys.Find(key)
}

// insert adds a key that is not present and returns its entry.
func (db *DB) insert(key []byte, val value) *dict.Entry[item] {
	sk, s := db.slotOf(key)
	if sk == nil {
		sk = &slotKeys{keys: dict.New[item]()}
		db.slots[s] = sk
	}
	e, _ := sk.keys.Insert(string(key), item{val: val})
	if sk.keys.Len() == 1 {
		setBit(&db.used, s)
	}
	db.keys.Add(1)
	return e
}

// remove deletes a key and reports whether it was there.
func (db *DB) remove(key []byte) bool {
	sk, s := db.slotOf(key)
	if sk == nil {
		return false
	}
	e, ok := sk.keys.Delete(key)
	if !ok {
		return false
	}
	if e.Value.ttl {
		db.dropTTL(sk, s, key)
	}
	db.keys.Add(-1)
	if sk.keys.Len() == 0 {
		clearBit(&db.used, s)
		db.slots[s] = nil
	}
	return true
}

// setTTL gives the key's entry e an expiry (0 removes it).
func (db *DB) setTTL(e *dict.Entry[item], exp int64) {
	key := []byte(e.Key)
	sk, s := db.slotOf(key)
	switch {
	case exp != 0 && !e.Value.ttl:
		if sk.ttl == nil {
			sk.ttl = dict.New[int64]()
		}
		sk.ttl.Insert(e.Key, exp)
		if sk.ttl.Len() == 1 {
			setBit(&db.withTTL, s)
		}
		db.volatile.Add(1)
	case exp != 0:
		sk.ttl.Find(key).Value = exp
	case e.Value.ttl:
		db.dropTTL(sk, s, key)
	}
	e.Value.ttl = exp != 0
}

// expireOf returns the expiry of the key's entry e, unix ms, or 0.
func (db *DB) expireOf(e *dict.Entry[item]) int64 {
	if !e.Value.ttl {
		return 0
	}
	sk, _ := db.slotOf([]byte(e.Key))
	return sk.ttl.FindString(e.Key).Value
}

// expiredAt reports whether the key of entry e has expired at now: as in
// Redis's keyIsExpired, once the clock is past its time.
func (db *DB) expiredAt(e *dict.Entry[item], now int64) bool {
	return e.Value.ttl && db.expireOf(e) < now
}

func (db *DB) dropTTL(sk *slotKeys, s int, key []byte) {
	if _, ok := sk.ttl.Delete(key); !ok {
		return
	}
	db.volatile.Add(-1)
	if sk.ttl.Len() == 0 {
		sk.ttl = nil
		clearBit(&db.withTTL, s)
	}
}

// clear empties the database; the caller holds Keyspace.mu exclusively.
func (db *DB) clear() {
	for i := range db.slots {
		db.slots[i] = nil
	}
	for i := range db.used {
		db.used[i].Store(0)
		db.withTTL[i].Store(0)
	}
	db.keys.Store(0)
	db.volatile.Store(0)
}

// nextSlot returns the first slot at or after from whose bit is set in
// set, or -1.
func nextSlot(set *[cluster.SlotCount / 64]atomic.Uint64, from int) int {
	for w := from / 64; w < len(set); w++ {
		v := set[w].Load()
		if w == from/64 {
			v &^= (1 << (from % 64)) - 1
		}
		if v != 0 {
			return w*64 + bits.TrailingZeros64(v)
		}
	}
	return -1
}

func setBit(set *[cluster.SlotCount / 64]atomic.Uint64, s int) {
	set[s/64].Or(1 << (s % 64))
}

func clearBit(set *[cluster.SlotCount / 64]atomic.Uint64, s int) {
	set[s/64].And(^(uint64(1) << (s % 64)))
}
