package backend

import (
	"bytes"
	"maps"
	"math"
	"math/rand/v2"

	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/cluster"
	"github.com/keyslot/keyslot/router"
)

// Generic key commands. The expiry commands (cmd_expire.go) and SCAN
// (cmd_scan.go) are part of this set.
func keyCommands() commandSet {
	set := commandSet{
		"del":             {fn: cmdDel},
		"unlink":          {fn: cmdDel},
		"exists":          {fn: cmdExists},
		"type":            {fn: cmdType},
		"touch":           {fn: cmdTouch},
		"rename":          {fn: cmdRename},
		"renamenx":        {fn: cmdRename},
		"move":            {fn: cmdMove},
		"copy":            {fn: cmdCopy},
		"keys":            {fn: cmdKeys, lock: lockAll},
		"randomkey":       {fn: cmdRandomKey, lock: lockAll},
		"object|encoding": {fn: cmdObjectEncoding},
		"object|refcount": {fn: cmdObjectRefcount},
		"object|idletime": {fn: cmdObjectIdletime},
		"object|freq":     {fn: cmdObjectFreq},
		"object|help":     {fn: cmdObjectHelp, lock: lockNone},
	}
	maps.Copy(set, expireCommands())
	maps.Copy(set, scanCommands())
	return set
}

// Error replies of the generic key commands, Redis 7.0's text.
const (
	errSameObject = "ERR source and destination objects are the same"
	errIntRange   = "ERR value is out of range, value must between -2147483648 and 2147483647"
	errUnknownObj = "ERR unknown type object"
	errNotLFU     = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	errIsLFU      = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
)

// copier is implemented by values that COPY can duplicate: copyValue
// returns a deep copy that shares nothing mutable with the original, so
// that writing either key leaves the other alone.
type copier interface{ copyValue() value }

func (v *strValue) copyValue() value { return &strValue{b: bytes.Clone(v.b)} }

// peek looks a key up as Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH)
// does, for commands that inspect a key without counting as an access
// (EXISTS, TYPE, TTL, OBJECT): an expired key is deleted and hits and
// misses are counted, but the access time is left alone. notifyMiss says
// whether a miss fires "keymiss" (OBJECT passes LOOKUP_NONOTIFY).
func (x *Ctx) peek(key []byte, notifyMiss bool) *dict.Entry[item] {
	e := x.db.find(key)
	if e != nil && x.db.expiredAt(e, x.now) {
		x.expireKey(key)
		e = nil
	}
	if e == nil {
		x.s.stats.keyspaceMisses.Add(1)
		if notifyMiss {
			x.notify(notifyKeyMiss, "keymiss", key)
		}
		return nil
	}
	x.s.stats.keyspaceHits.Add(1)
	return e
}

// inDB runs fn with x working on database db (for MOVE and COPY ... DB):
// lookups, additions, WATCH signals, blocked-client wake-ups and keyspace
// events then all name db. The keys' stripes are shared by every database,
// so the locks already held cover db too.
func (x *Ctx) inDB(db *DB, fn func()) {
	saved := x.db
	x.db = db
	defer func() { x.db = saved }()
	fn()
}

// dbArg parses a database index as MOVE and COPY do (getIntFromObject,
// then the range check of selectDb), replying on failure.
func (x *Ctx) dbArg(b []byte) (*DB, bool) {
	v, ok := parseInt(b)
	if !ok {
		x.W.AppendError(errNotInt)
		return nil, false
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		x.W.AppendError(errIntRange)
		return nil, false
	}
	if v < 0 || v >= int64(len(x.s.ks.dbs)) {
		x.W.AppendError(errDBIndex)
		return nil, false
	}
	return x.s.ks.dbs[v], true
}

// cmdDel is DEL and UNLINK: values are freed by the Go collector, so
// UNLINK's lazy freeing is what DEL does anyway.
func cmdDel(x *Ctx) {
	n := 0
	for _, key := range x.Args[1:] {
		if x.del(key) {
			x.changed(notifyGeneric, "del", key)
			n++
		}
	}
	x.W.AppendInt(int64(n))
}

// cmdExists counts the arguments that name live keys; a key named twice
// counts twice.
func cmdExists(x *Ctx) {
	n := 0
	for _, key := range x.Args[1:] {
		if x.peek(key, true) != nil {
			n++
		}
	}
	x.W.AppendInt(int64(n))
}

func cmdType(x *Ctx) {
	e := x.peek(x.Args[1], true)
	if e == nil {
		x.W.AppendSimple("none")
		return
	}
	x.W.AppendSimple(e.Value.val.typeName())
}

// cmdTouch counts the live keys among its arguments, updating their access
// time as a read would.
func cmdTouch(x *Ctx) {
	n := 0
	for _, key := range x.Args[1:] {
		if x.lookupRead(key) != nil {
			n++
		}
	}
	x.W.AppendInt(int64(n))
}

// cmdRename is RENAME and RENAMENX. The value moves as it is, with its TTL;
// a key renamed to itself is left alone once it is known to exist.
func cmdRename(x *Ctx) {
	nx := x.cmd.Name == "renamenx"
	src, dst := x.Args[1], x.Args[2]
	e := x.lookup(src)
	if e == nil {
		x.W.AppendError(errNoSuchKey)
		return
	}
	if bytes.Equal(src, dst) {
		if nx {
			x.W.AppendInt(0)
		} else {
			x.W.AppendSimple("OK")
		}
		return
	}
	it, exp := e.Value, x.db.expireOf(e)
	if x.lookup(dst) != nil {
		if nx {
			x.W.AppendInt(0)
			return
		}
		x.db.remove(dst)
	}
	moveItem(x, dst, it, exp)
	x.db.remove(src)
	x.modified(src)
	x.modified(dst)
	x.notify(notifyGeneric, "rename_from", src)
	x.notify(notifyGeneric, "rename_to", dst)
	x.s.stats.dirty.Add(1)
	if nx {
		x.W.AppendInt(1)
	} else {
		x.W.AppendSimple("OK")
	}
}

// moveItem adds the missing key to x.db holding its value, expiry and
// metadata: the object itself moves, as in Redis, so its encoding and
// access time go with it.
func moveItem(x *Ctx, key []byte, it item, exp int64) {
	ne := x.add(key, it.val)
	ne.Value.raw = it.raw
	ne.Value.lru = it.lru
	if exp != 0 {
		x.db.setTTL(ne, exp)
	}
}

// cmdMove is MOVE key db: the key goes to another database unless a key of
// that name is there already.
func cmdMove(x *Ctx) {
	if x.s.cfg.ClusterEnabled {
		x.W.AppendError("ERR MOVE is not allowed in cluster mode")
		return
	}
	dst, ok := x.dbArg(x.Args[2])
	if !ok {
		return
	}
	if dst == x.db {
		x.W.AppendError(errSameObject)
		return
	}
	key := x.Args[1]
	e := x.lookup(key)
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	it, exp := e.Value, x.db.expireOf(e)
	moved := false
	x.inDB(dst, func() {
		if x.lookup(key) != nil {
			return
		}
		moveItem(x, key, it, exp)
		moved = true
	})
	if !moved {
		x.W.AppendInt(0)
		return
	}
	x.db.remove(key)
	x.modified(key)
	x.inDB(dst, func() { x.modified(key) })
	x.notify(notifyGeneric, "move_from", key)
	x.inDB(dst, func() { x.notify(notifyGeneric, "move_to", key) })
	x.s.stats.dirty.Add(1)
	x.W.AppendInt(1)
}

// cmdCopy is COPY source destination [DB index] [REPLACE]: a deep copy,
// with the source's TTL.
func cmdCopy(x *Ctx) {
	dst, replace := x.db, false
	for i := 3; i < len(x.Args); i++ {
		switch {
		case asciiEqualFold(x.Args[i], "replace"):
			replace = true
		case asciiEqualFold(x.Args[i], "db") && i+1 < len(x.Args):
			db, ok := x.dbArg(x.Args[i+1])
			if !ok {
				return
			}
			dst = db
			i++
		default:
			x.W.AppendError(errSyntax)
			return
		}
	}
	if x.s.cfg.ClusterEnabled && (x.db.id != 0 || dst.id != 0) {
		x.W.AppendError("ERR Copying to another database is not allowed in cluster mode")
		return
	}
	src, newKey := x.Args[1], x.Args[2]
	if dst == x.db && bytes.Equal(src, newKey) {
		x.W.AppendError(errSameObject)
		return
	}
	e := x.lookupRead(src)
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	it, exp := e.Value, x.db.expireOf(e)
	done := false
	x.inDB(dst, func() {
		exists := x.lookup(newKey) != nil
		if exists && !replace {
			x.W.AppendInt(0)
			done = true
			return
		}
		c, ok := it.val.(copier)
		if !ok {
			x.W.AppendError(errUnknownObj)
			done = true
			return
		}
		if exists {
			x.db.remove(newKey)
		}
		// A new object: Redis's duplicate keeps the encoding but has its
		// own access time.
		it.val, it.lru = c.copyValue(), x.s.lruClock()
		moveItem(x, newKey, it, exp)
		x.changed(notifyGeneric, "copy_to", newKey)
	})
	if !done {
		x.W.AppendInt(1)
	}
}

// cmdKeys lists the live keys matching a glob pattern. Expired keys are
// skipped but not deleted, as Redis does.
func cmdKeys(x *Ctx) {
	pat := x.Args[1]
	all := len(pat) == 1 && pat[0] == '*'
	var out []string
	for s := nextSlot(&x.db.used, 0); s >= 0; s = nextSlot(&x.db.used, s+1) {
		sk := x.db.slots[s]
		if sk == nil {
			continue
		}
		for e := range sk.keys.All() {
			if x.db.expiredAt(e, x.now) {
				continue
			}
			if all || router.GlobMatch(pat, []byte(e.Key), false) {
				out = append(out, e.Key)
			}
		}
	}
	x.W.AppendArray(len(out))
	for _, k := range out {
		x.W.AppendBulkString(k)
	}
}

// cmdRandomKey replies a random live key. It picks a random slot among
// those with keys, then a random key of it: keys of sparse slots are
// favoured, as Redis's own pick favours keys in short chains. An expired
// key it meets is deleted and it tries again.
func cmdRandomKey(x *Ctx) {
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for {
		s := nextSlot(&x.db.used, rng.IntN(cluster.SlotCount))
		if s < 0 {
			s = nextSlot(&x.db.used, 0)
		}
		if s < 0 || x.db.slots[s] == nil {
			x.W.AppendNull()
			return
		}
		e := x.db.slots[s].keys.Random(rng)
		if e == nil {
			x.W.AppendNull()
			return
		}
		if x.db.expiredAt(e, x.now) {
			x.expireKey([]byte(e.Key))
			continue
		}
		x.W.AppendBulkString(e.Key)
		return
	}
}

// OBJECT subcommands look the key up without touching it or firing
// "keymiss", and reply null for a missing key.

func cmdObjectEncoding(x *Ctx) {
	e := x.peek(x.Args[2], false)
	if e == nil {
		x.W.AppendNull()
		return
	}
	x.W.AppendBulkString(e.Value.val.encoding(&e.Value))
}

// sharedRefcount is what OBJECT REFCOUNT says for Redis's shared integer
// objects (OBJ_SHARED_REFCOUNT).
const sharedRefcount = math.MaxInt32

// sharedIntegers is OBJ_SHARED_INTEGERS: Redis stores the strings "0" to
// "9999" as shared objects.
const sharedIntegers = 10000

// cmdObjectRefcount replies 1, except for the small integers Redis keeps
// as shared objects. (Redis also stops sharing them under an LRU or LFU
// maxmemory policy; keyslot has no eviction policy yet.)
func cmdObjectRefcount(x *Ctx) {
	e := x.peek(x.Args[2], false)
	if e == nil {
		x.W.AppendNull()
		return
	}
	if v, ok := e.Value.val.(*strValue); ok && !x.s.lfuPolicy() && v.encoding(&e.Value) == "int" {
		if n, _ := parseInt(v.b); n >= 0 && n < sharedIntegers {
			x.W.AppendInt(sharedRefcount)
			return
		}
	}
	x.W.AppendInt(1)
}

func cmdObjectIdletime(x *Ctx) {
	e := x.peek(x.Args[2], false)
	if e == nil {
		x.W.AppendNull()
		return
	}
	if x.s.lfuPolicy() {
		x.W.AppendError(errIsLFU)
		return
	}
	x.W.AppendInt(int64(lruIdle(x.s.lruClock(), e.Value.lru)))
}

func cmdObjectFreq(x *Ctx) {
	e := x.peek(x.Args[2], false)
	if e == nil {
		x.W.AppendNull()
		return
	}
	if !x.s.lfuPolicy() {
		x.W.AppendError(errNotLFU)
		return
	}
	x.W.AppendInt(int64(lfuDecayed(e.Value.lru, x.s.memoryLimits().lfuDecayTime)))
}

// lfuPolicy reports whether maxmemory-policy is an LFU one, under which
// Redis tracks access frequency instead of idle time.
func (s *Server) lfuPolicy() bool { return s.maxmemoryPolicy().lfu() }

func cmdObjectHelp(x *Ctx) {
	appendHelp(x.W, "OBJECT", []string{
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
	})
}

// asciiEqualFold reports whether b equals the lower-case ASCII word s,
// ignoring ASCII case only, as strcasecmp does (bytes.EqualFold would also
// fold Unicode: "ſ" would match "s"). It is the one such compare of the
// package, for arguments held as bytes or as strings.
func asciiEqualFold[T []byte | string](b T, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
