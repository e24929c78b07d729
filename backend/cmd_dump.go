package backend

import (
	"errors"

	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/backend/rdb"
)

// DUMP and RESTORE: a value crosses in Redis's own serialization (package
// rdb), so payloads move between keyslot and Redis in both directions.
func dumpCommands() commandSet {
	return commandSet{
		"dump":    {fn: cmdDump},
		"restore": {fn: cmdRestore},
		// RESTORE-ASKING is RESTORE that an importing slot accepts
		// without ASKING (MIGRATE sends it); the handler is the same.
		"restore-asking": {fn: cmdRestore},
	}
}

// Error replies of RESTORE, Redis 7.0's text.
const (
	errBusyKey      = "BUSYKEY Target key name already exists."
	errRestoreTTL   = "ERR Invalid TTL value, must be >= 0"
	errRestoreIdle  = "ERR Invalid IDLETIME value, must be >= 0"
	errRestoreFreq  = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	errDumpInternal = "ERR DUMP failed: "
)

// dumpOptions are the settings that shape a payload as Redis's would be:
// rdbcompression and list-max-listpack-size.
func (s *Server) dumpOptions() rdb.DumpOptions {
	return rdb.DumpOptions{
		Compress:            s.paramValue("rdbcompression") == "yes",
		ListMaxListpackSize: s.encodingLimits().listMaxListpackSize,
	}
}

func cmdDump(x *Ctx) {
	e := x.lookupRead(x.Args[1])
	if e == nil {
		x.W.AppendNull()
		return
	}
	payload, err := dumpItem(&e.Value, x.s.dumpOptions())
	if err != nil {
		// Only a value the codec cannot hold gets here (keyslot has no
		// type rdb lacks): say so rather than send a bad payload.
		x.W.AppendError(errDumpInternal + err.Error())
		return
	}
	x.W.AppendBulk(payload)
}

// dumpItem serializes a key's value as DUMP does, in the encoding OBJECT
// ENCODING reports, so the bytes are Redis's wherever Redis's own layout is
// determined by the value.
func dumpItem(it *item, opt rdb.DumpOptions) ([]byte, error) {
	o, err := objectOf(it.val)
	if err != nil {
		return nil, err
	}
	return rdb.Dump(o, it.val.encoding(it), opt)
}

// errNoCodec reports a value type that has no RDB form here.
var errNoCodec = errors.New("backend: value type has no RDB serialization")

// objectOf views v in rdb's neutral form. The slices borrow v's memory:
// the Object is valid only while v is unchanged (the key's lock held).
func objectOf(v value) (*rdb.Object, error) {
	switch v := v.(type) {
	case *strValue:
		return &rdb.Object{Kind: rdb.KindString, Str: v.b}, nil
	case *listValue:
		out := make([][]byte, 0, v.len())
		if v.len() > 0 {
			v.each(0, false, func(e []byte) bool {
				out = append(out, e)
				return true
			})
		}
		return &rdb.Object{Kind: rdb.KindList, List: out}, nil
	case *setValue:
		out := make([][]byte, 0, v.len())
		if v.d == nil {
			// The iterator reuses one buffer for intset members: give each
			// its own slice of one arena.
			arena := make([]byte, 0, 20*v.len())
			for m := range v.all() {
				start := len(arena)
				arena = append(arena, m...)
				out = append(out, arena[start:len(arena):len(arena)])
			}
		} else {
			for m := range v.all() {
				out = append(out, m)
			}
		}
		return &rdb.Object{Kind: rdb.KindSet, Set: out}, nil
	case *hashValue:
		out := make([]rdb.Field, 0, v.len())
		for f, val := range v.all() {
			out = append(out, rdb.Field{Name: f, Value: val})
		}
		return &rdb.Object{Kind: rdb.KindHash, Hash: out}, nil
	case *zsetValue:
		out := make([]rdb.Member, 0, v.set.Len())
		v.set.Range(0, false, func(m string, score float64) bool {
			out = append(out, rdb.Member{Member: zbytes(m), Score: score})
			return true
		})
		return &rdb.Object{Kind: rdb.KindZSet, ZSet: out}, nil
	}
	return nil, errNoCodec
}

// restoreArgs are RESTORE's options.
type restoreArgs struct {
	replace, absTTL bool
	idle, freq      int64 // -1 when not given
	clock           uint32
}

// parseRestoreOptions reads the options after the payload as Redis's
// restoreCommand does, replying on error: IDLETIME and FREQ exclude each
// other, so the later of the two is a syntax error.
func parseRestoreOptions(x *Ctx) (restoreArgs, bool) {
	a := restoreArgs{idle: -1, freq: -1}
	args := x.Args
	for j := 4; j < len(args); j++ {
		more := len(args) - j - 1
		switch {
		case asciiEqualFold(args[j], "replace"):
			a.replace = true
		case asciiEqualFold(args[j], "absttl"):
			a.absTTL = true
		case asciiEqualFold(args[j], "idletime") && more >= 1 && a.freq == -1:
			v, ok := x.intArg(args[j+1])
			if !ok {
				return a, false
			}
			if v < 0 {
				x.W.AppendError(errRestoreIdle)
				return a, false
			}
			a.idle, a.clock = v, x.s.lruClock()
			j++
		case asciiEqualFold(args[j], "freq") && more >= 1 && a.idle == -1:
			v, ok := x.intArg(args[j+1])
			if !ok {
				return a, false
			}
			if v < 0 || v > 255 {
				x.W.AppendError(errRestoreFreq)
				return a, false
			}
			a.freq = v
			j++
		default:
			x.W.AppendError(errSyntax)
			return a, false
		}
	}
	return a, true
}

// cmdRestore is RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s]
// [FREQ f], with Redis's order of checks: options, then the key, then the
// TTL, then the payload.
func cmdRestore(x *Ctx) {
	a, ok := parseRestoreOptions(x)
	if !ok {
		return
	}
	key := x.Args[1]
	if !a.replace && x.lookup(key) != nil {
		x.W.AppendError(errBusyKey)
		return
	}
	ttl, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	if ttl < 0 {
		x.W.AppendError(errRestoreTTL)
		return
	}
	payload := x.Args[3]
	o, err := rdb.Restore(payload)
	if err != nil {
		// rdb's two sentinels carry Redis's texts.
		if errors.Is(err, rdb.ErrBadPayload) {
			x.W.AppendError("ERR " + rdb.ErrBadPayload.Error())
		} else {
			x.W.AppendError("ERR " + rdb.ErrBadFormat.Error())
		}
		return
	}
	// REPLACE drops the old value whether or not it has expired, as
	// Redis's dbDelete does, without an event of its own.
	deleted := a.replace && x.db.remove(key)
	exp := ttl
	if ttl != 0 && !a.absTTL {
		exp = ttl + x.now // wraps like Redis's long long sum: then expired
	}
	if ttl != 0 && exp <= x.now {
		if deleted {
			x.changed(notifyGeneric, "del", key)
		}
		x.W.AppendSimple("OK")
		return
	}
	e := x.add(key, restoredValue(x, payload[0], o))
	if ttl != 0 {
		x.db.setTTL(e, exp)
	}
	setAccess(x, &e.Value, a)
	x.changed(notifyGeneric, "restore", key)
	x.W.AppendSimple("OK")
}

// setAccess applies IDLETIME or FREQ as Redis's objectSetLRUOrLFU does:
// FREQ only under an LFU policy, IDLETIME only under any other.
func setAccess(x *Ctx, it *item, a restoreArgs) {
	if x.s.maxmemoryPolicy().lfu() {
		if a.freq >= 0 {
			it.lru = lfuMinutes()<<8 | uint32(a.freq)
		}
		return
	}
	if a.idle < 0 {
		return
	}
	// Seconds scaled to the clock's resolution (1 s) in Redis's 64-bit
	// arithmetic, overflow included, then placed on the 24-bit clock:
	// one wrap is undone, the rest is the bit field's truncation.
	idle := a.idle * 1000 / 1000
	abs := int64(a.clock) - idle
	if abs < 0 {
		abs += lruClockMax
	}
	it.lru = uint32(abs) & lruClockMax
}

// restoredValue builds the keyspace value of a decoded payload whose RDB
// type byte is typ, in the encoding Redis gives it after RESTORE: a compact
// payload (listpack, intset) stays compact unless it has more entries than
// the limit; a hash-table or skiplist payload is re-encoded from scratch,
// as if its elements had been added one by one.
func restoredValue(x *Ctx, typ byte, o *rdb.Object) value {
	lim := x.s.encodingLimits()
	switch o.Kind {
	case rdb.KindString:
		return &strValue{b: o.Str}
	case rdb.KindList:
		l := &listValue{}
		for _, e := range o.List {
			l.pushBack(e)
		}
		return l
	case rdb.KindSet:
		return restoredSet(o.Set, typ, x.hsLimits())
	case rdb.KindHash:
		return restoredHash(o.Hash, typ, x.hsLimits())
	default:
		return restoredZSet(o.ZSet, typ, zsetLimits{entries: lim.zsetMaxListpackEntries, value: lim.zsetMaxListpackValue})
	}
}

func restoredSet(members [][]byte, typ byte, lim hsLimits) *setValue {
	s := &setValue{}
	if typ != rdb.TypeSetIntset && len(members) > lim.setEntries {
		s.d = dict.New[struct{}]()
	}
	for _, m := range members {
		s.add(m, lim) // converts past the limit or on a non-integer
	}
	return s
}

func restoredHash(fields []rdb.Field, typ byte, lim hsLimits) *hashValue {
	h := &hashValue{}
	switch typ {
	case rdb.TypeHash:
		if len(fields) > lim.hashEntries {
			h.toDict()
		}
		for _, f := range fields {
			h.set(f.Name, f.Value, lim) // converts on a long field or value
		}
		return h
	case rdb.TypeHashZipmap:
		// Redis converts a zipmap whose longest string passes the limit
		// too; a listpack or ziplist keeps its strings whatever their size.
		for _, f := range fields {
			if len(f.Name) > lim.hashValue || len(f.Value) > lim.hashValue {
				h.toDict()
				break
			}
		}
	}
	if h.d == nil && len(fields) > lim.hashEntries {
		h.toDict()
	}
	if h.d != nil {
		for _, f := range fields {
			h.d.Insert(hashPair(f.Name, f.Value))
		}
		return h
	}
	for _, f := range fields {
		h.lpAppend(f.Name)
		h.lpAppend(f.Value)
	}
	h.n = len(fields)
	return h
}

func restoredZSet(members []rdb.Member, typ byte, lim zsetLimits) *zsetValue {
	v := &zsetValue{}
	switch typ {
	case rdb.TypeZSetListpack, rdb.TypeZSetZiplist:
		v.big = len(members) > lim.entries
	default:
		maxLen := 0
		for _, m := range members {
			maxLen = max(maxLen, len(m.Member))
		}
		v.big = !lim.fits(len(members), maxLen)
	}
	for _, m := range members {
		v.put(m.Member, m.Score)
	}
	return v
}
