package backend

import (
	"bytes"
	"encoding/binary"
	"iter"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unsafe"

	"github.com/keyslot/keyslot/backend/internal/dict"
)

// Hash commands.
func hashCommands() commandSet {
	return commandSet{
		"hset":         {fn: cmdHset},
		"hmset":        {fn: cmdHset},
		"hsetnx":       {fn: cmdHsetnx},
		"hget":         {fn: cmdHget},
		"hmget":        {fn: cmdHmget},
		"hdel":         {fn: cmdHdel},
		"hexists":      {fn: cmdHexists},
		"hlen":         {fn: cmdHlen},
		"hstrlen":      {fn: cmdHstrlen},
		"hkeys":        {fn: cmdHkeys},
		"hvals":        {fn: cmdHvals},
		"hgetall":      {fn: cmdHgetall},
		"hincrby":      {fn: cmdHincrby},
		"hincrbyfloat": {fn: cmdHincrbyfloat},
		"hrandfield":   {fn: cmdHrandfield},
		"hscan":        {fn: cmdHscan},
	}
}

// Hash and set error replies, Redis 7.0's text.
const (
	errHashNotInt     = "ERR hash value is not an integer"
	errHashNotFloat   = "ERR hash value is not a float"
	errIncrNaNInf     = "ERR value is NaN or Infinity"
	errIncrGivesNaN   = "ERR increment would produce NaN or Infinity"
	errOutOfRange     = "ERR value is out of range"
	errMustBePositive = "ERR value is out of range, must be positive"
	// errCountRange is getRangeLongFromObjectOrReply's message for counts
	// that must lie in [-LONG_MAX, LONG_MAX].
	errCountRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)

// hsLimits are the thresholds past which Redis stops using its compact
// encodings for hashes and sets; keyslot converts at the same points so
// that OBJECT ENCODING and iteration order match.
type hsLimits struct {
	hashEntries int // hash-max-listpack-entries
	hashValue   int // hash-max-listpack-value
	setEntries  int // set-max-intset-entries
}

// hsLimits returns the thresholds in force (CONFIG SET changes them; a
// value converts, or not, on its next write, as in Redis).
func (x *Ctx) hsLimits() hsLimits {
	l := x.s.encodingLimits()
	return hsLimits{hashEntries: l.hashMaxListpackEntries, hashValue: l.hashMaxListpackValue, setEntries: l.setMaxIntsetEntries}
}

// lpSafetySize is Redis's bound on one listpack (LISTPACK_MAX_SAFETY_SIZE):
// a hash that would grow past it becomes a hash table.
const lpSafetySize = 1 << 30

// hashValue is a hash. Within Redis's listpack limits it is kept packed in
// insertion order, the order Redis's listpack replies in; beyond them it
// moves, once and for good as Redis does, to a dict.
type hashValue struct {
	// lp is the compact form: field, value, field, value… each a uvarint
	// length and the bytes, in insertion order. Unused once d is set.
	lp []byte
	n  int // pairs in lp
	// d is the hash-table form. Each entry's Key and Value are the two
	// halves of one allocation, which saves an object per field.
	d *dict.Dict[string]
}

func (*hashValue) typeName() string { return "hash" }

func (h *hashValue) encoding(*item) string {
	if h.d == nil {
		return "listpack"
	}
	return "hashtable"
}

// copyValue returns an independent copy of h (COPY). Strings are shared:
// they are immutable.
func (h *hashValue) copyValue() value {
	if h.d == nil {
		return &hashValue{lp: bytes.Clone(h.lp), n: h.n}
	}
	d := dict.New[string]()
	for e := range h.d.All() {
		d.Insert(e.Key, e.Value)
	}
	return &hashValue{d: d}
}

func (h *hashValue) len() int {
	if h.d == nil {
		return h.n
	}
	return h.d.Len()
}

// roBytes views s as bytes without copying; the result must not be
// modified.
func roBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// lpString decodes the string at off in a packed hash and returns it with
// the offset of the next one.
func lpString(lp []byte, off int) ([]byte, int) {
	n, w := binary.Uvarint(lp[off:])
	start := off + w
	end := start + int(n)
	return lp[start:end:end], end
}

// lpFind returns the offsets of field f's value and of the end of its
// pair, and of the field itself.
func (h *hashValue) lpFind(f []byte) (fo, vo, end int, ok bool) {
	for off := 0; off < len(h.lp); {
		k, next := lpString(h.lp, off)
		_, after := lpString(h.lp, next)
		if bytes.Equal(k, f) {
			return off, next, after, true
		}
		off = after
	}
	return 0, 0, 0, false
}

// lpReserve makes room for n more bytes. Growth is kept small: a packed
// hash is meant to be compact, and Redis reallocates listpacks exactly.
func (h *hashValue) lpReserve(n int) {
	if len(h.lp)+n <= cap(h.lp) {
		return
	}
	need := len(h.lp) + n
	nb := make([]byte, len(h.lp), need+need/8)
	copy(nb, h.lp)
	h.lp = nb
}

func (h *hashValue) lpAppend(s []byte) {
	h.lpReserve(binary.MaxVarintLen64 + len(s))
	h.lp = binary.AppendUvarint(h.lp, uint64(len(s)))
	h.lp = append(h.lp, s...)
}

// get returns f's value. The bytes belong to h: they are valid until h
// changes and must not be modified.
func (h *hashValue) get(f []byte) ([]byte, bool) {
	if h.d == nil {
		_, vo, _, ok := h.lpFind(f)
		if !ok {
			return nil, false
		}
		v, _ := lpString(h.lp, vo)
		return v, true
	}
	e := h.d.Find(f)
	if e == nil {
		return nil, false
	}
	return roBytes(e.Value), true
}

func (h *hashValue) has(f []byte) bool {
	_, ok := h.get(f)
	return ok
}

// hashPair copies a field and its value into one allocation.
func hashPair(f, v []byte) (string, string) {
	var b strings.Builder
	b.Grow(len(f) + len(v))
	b.Write(f)
	b.Write(v)
	s := b.String()
	return s[:len(f)], s[len(f):]
}

// set stores f = v and reports whether f is new. Like Redis's hashTypeSet
// it converts a packed hash that a field or value too long for a listpack
// would overflow, or that holds more fields than the limit after the
// write.
func (h *hashValue) set(f, v []byte, lim hsLimits) bool {
	if h.d == nil && (len(f) > lim.hashValue || len(v) > lim.hashValue || len(h.lp)+len(f)+len(v) > lpSafetySize) {
		h.toDict()
	}
	if h.d == nil {
		if _, vo, end, ok := h.lpFind(f); ok {
			var hdr [binary.MaxVarintLen64]byte
			enc := binary.AppendUvarint(hdr[:0], uint64(len(v)))
			grow := len(enc) + len(v) - (end - vo)
			if grow > 0 {
				h.lpReserve(grow)
			}
			tail := len(h.lp) - end
			newEnd := vo + len(enc) + len(v)
			if grow > 0 {
				h.lp = h.lp[:len(h.lp)+grow]
			}
			copy(h.lp[newEnd:], h.lp[end:end+tail])
			h.lp = h.lp[:newEnd+tail]
			copy(h.lp[vo:], enc)
			copy(h.lp[vo+len(enc):], v)
			if h.n > lim.hashEntries {
				h.toDict() // the limit was lowered since the hash grew
			}
			return false
		}
		h.lpAppend(f)
		h.lpAppend(v)
		h.n++
		if h.n > lim.hashEntries {
			h.toDict()
		}
		return true
	}
	k, val := hashPair(f, v)
	e, added := h.d.Insert(k, val)
	if !added {
		// Replace the key too, so the old pair's allocation can go.
		e.Key, e.Value = k, val
	}
	return added
}

// del removes f and reports whether it was there.
func (h *hashValue) del(f []byte) bool {
	if h.d == nil {
		fo, _, end, ok := h.lpFind(f)
		if !ok {
			return false
		}
		h.lp = append(h.lp[:fo], h.lp[end:]...)
		if cap(h.lp) > 2*len(h.lp)+64 {
			h.lp = bytes.Clone(h.lp)
		}
		h.n--
		return true
	}
	_, ok := h.d.Delete(f)
	return ok
}

func (h *hashValue) toDict() {
	d := dict.New[string]()
	for f, v := range h.all() {
		d.Insert(hashPair(f, v))
	}
	h.d, h.lp, h.n = d, nil, 0
}

// all iterates over the pairs in Redis's order for a listpack (insertion
// order) or the dict's. The bytes must not be kept or modified.
func (h *hashValue) all() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if h.d == nil {
			for off := 0; off < len(h.lp); {
				f, next := lpString(h.lp, off)
				v, after := lpString(h.lp, next)
				if !yield(f, v) {
					return
				}
				off = after
			}
			return
		}
		for e := range h.d.All() {
			if !yield(roBytes(e.Key), roBytes(e.Value)) {
				return
			}
		}
	}
}

// lpOffsets returns the offset of every field of a packed hash, for
// random access.
func (h *hashValue) lpOffsets() []int {
	offs := make([]int, 0, h.n)
	for off := 0; off < len(h.lp); {
		offs = append(offs, off)
		_, next := lpString(h.lp, off)
		_, off = lpString(h.lp, next)
	}
	return offs
}

// hashPicker draws random pairs of one hash, with repetition.
type hashPicker struct {
	h    *hashValue
	offs []int
	r    *rand.Rand
}

func newHashPicker(h *hashValue) *hashPicker {
	p := &hashPicker{h: h}
	if h.d == nil {
		p.offs = h.lpOffsets()
	} else {
		p.r = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return p
}

func (p *hashPicker) pick() (f, v []byte) {
	if p.h.d == nil {
		f, next := lpString(p.h.lp, p.offs[rand.IntN(len(p.offs))])
		v, _ = lpString(p.h.lp, next)
		return f, v
	}
	e := p.h.d.Random(p.r)
	return roBytes(e.Key), roBytes(e.Value)
}

// lookupHashWrite finds key for a command that writes a hash and creates
// nothing; h is nil when the key is missing.
func lookupHashWrite(x *Ctx, key []byte) (h *hashValue, ok bool) {
	_, h, ok = writeAs[*hashValue](x, key)
	return h, ok
}

// hashCreate adds an empty hash at a key lookup found missing.
func hashCreate(x *Ctx, key []byte) *hashValue {
	h := &hashValue{}
	x.add(key, h)
	return h
}

// cmdHset is HSET and HMSET: they differ only in their reply.
func cmdHset(x *Ctx) {
	if len(x.Args)%2 == 1 {
		x.wrongArgs()
		return
	}
	key := x.Args[1]
	h, ok := lookupHashWrite(x, key)
	if !ok {
		return
	}
	if h == nil {
		h = hashCreate(x, key)
	}
	lim := x.hsLimits()
	created := 0
	for i := 2; i < len(x.Args); i += 2 {
		if h.set(x.Args[i], x.Args[i+1], lim) {
			created++
		}
	}
	if x.cmd.Name == "hset" {
		x.W.AppendInt(int64(created))
	} else {
		x.W.AppendSimple("OK")
	}
	x.changed(notifyHash, "hset", key)
	x.s.stats.dirty.Add(int64((len(x.Args)-2)/2 - 1))
}

func cmdHsetnx(x *Ctx) {
	key := x.Args[1]
	h, ok := lookupHashWrite(x, key)
	if !ok {
		return
	}
	if h != nil && h.has(x.Args[2]) {
		x.W.AppendInt(0)
		return
	}
	if h == nil {
		h = hashCreate(x, key)
	}
	h.set(x.Args[2], x.Args[3], x.hsLimits())
	x.W.AppendInt(1)
	x.changed(notifyHash, "hset", key)
}

func cmdHget(x *Ctx) {
	e, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendNull()
		return
	}
	if v, found := h.get(x.Args[2]); found {
		x.W.AppendBulk(v)
	} else {
		x.W.AppendNull()
	}
}

func cmdHmget(x *Ctx) {
	_, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	x.W.AppendArray(len(x.Args) - 2)
	for _, f := range x.Args[2:] {
		if h == nil {
			x.W.AppendNull()
		} else if v, found := h.get(f); found {
			x.W.AppendBulk(v)
		} else {
			x.W.AppendNull()
		}
	}
}

func cmdHdel(x *Ctx) {
	key := x.Args[1]
	h, ok := lookupHashWrite(x, key)
	if !ok {
		return
	}
	if h == nil {
		x.W.AppendInt(0)
		return
	}
	removeMembers(x, key, h, (*hashValue).del, notifyHash, "hdel")
}

func cmdHexists(x *Ctx) {
	e, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	if e != nil && h.has(x.Args[2]) {
		x.W.AppendInt(1)
	} else {
		x.W.AppendInt(0)
	}
}

func cmdHlen(x *Ctx) {
	e, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	x.W.AppendInt(int64(h.len()))
}

func cmdHstrlen(x *Ctx) {
	e, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	n := 0
	if e != nil {
		v, _ := h.get(x.Args[2])
		n = len(v)
	}
	x.W.AppendInt(int64(n))
}

func cmdHkeys(x *Ctx)   { hashGetAll(x, true, false) }
func cmdHvals(x *Ctx)   { hashGetAll(x, false, true) }
func cmdHgetall(x *Ctx) { hashGetAll(x, true, true) }

// hashGetAll is HKEYS, HVALS and HGETALL: a map for both halves, a flat
// array for one.
func hashGetAll(x *Ctx, fields, values bool) {
	e, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	n := 0
	if e != nil {
		n = h.len()
	}
	if fields && values {
		x.W.AppendMap(n)
	} else {
		x.W.AppendArray(n)
	}
	if e == nil {
		return
	}
	for f, v := range h.all() {
		if fields {
			x.W.AppendBulk(f)
		}
		if values {
			x.W.AppendBulk(v)
		}
	}
}

func cmdHincrby(x *Ctx) {
	incr, ok := x.intArg(x.Args[3])
	if !ok {
		return
	}
	key, field := x.Args[1], x.Args[2]
	h, ok := lookupHashWrite(x, key)
	if !ok {
		return
	}
	var cur int64
	if h != nil {
		if v, found := h.get(field); found {
			if cur, ok = parseInt(v); !ok {
				x.W.AppendError(errHashNotInt)
				return
			}
		}
	}
	if (incr < 0 && cur < 0 && incr < math.MinInt64-cur) || (incr > 0 && cur > 0 && incr > math.MaxInt64-cur) {
		x.W.AppendError(errOverflow)
		return
	}
	cur += incr
	if h == nil {
		h = hashCreate(x, key)
	}
	var buf [20]byte
	h.set(field, strconv.AppendInt(buf[:0], cur, 10), x.hsLimits())
	x.W.AppendInt(cur)
	x.changed(notifyHash, "hincrby", key)
}

// cmdHincrbyfloat is HINCRBYFLOAT key field increment, in long double
// arithmetic as INCRBYFLOAT (see longDouble).
func cmdHincrbyfloat(x *Ctx) {
	var cur, incr longDouble
	if !incr.parse(x.Args[3]) {
		x.W.AppendError(errNotFloat)
		return
	}
	if incr.inf != 0 {
		x.W.AppendError(errIncrNaNInf)
		return
	}
	key, field := x.Args[1], x.Args[2]
	h, ok := lookupHashWrite(x, key)
	if !ok {
		return
	}
	cur.parse([]byte("0"))
	if h != nil {
		if v, found := h.get(field); found && !cur.parse(v) {
			x.W.AppendError(errHashNotFloat)
			return
		}
	}
	if !cur.add(&incr) {
		x.W.AppendError(errIncrGivesNaN)
		return
	}
	out := cur.format()
	if h == nil {
		h = hashCreate(x, key)
	}
	h.set(field, out, x.hsLimits())
	x.W.AppendBulk(out)
	x.changed(notifyHash, "hincrbyfloat", key)
}

// cmdHrandfield is HRANDFIELD key [count [WITHVALUES]].
func cmdHrandfield(x *Ctx) {
	if len(x.Args) == 2 {
		e, h, ok := readAs[*hashValue](x, x.Args[1])
		if !ok {
			return
		}
		if e == nil {
			x.W.AppendNull()
			return
		}
		f, _ := newHashPicker(h).pick()
		x.W.AppendBulk(f)
		return
	}
	l, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	if l == math.MinInt64 {
		x.W.AppendError(errCountRange)
		return
	}
	withValues := false
	switch {
	case len(x.Args) > 4 || (len(x.Args) == 4 && !cmdIs(x.Args[3], "withvalues")):
		x.W.AppendError(errSyntax)
		return
	case len(x.Args) == 4:
		withValues = true
		if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
			x.W.AppendError(errOutOfRange)
			return
		}
	}
	e, h, ok := readAs[*hashValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil || l == 0 {
		x.W.AppendArray(0)
		return
	}
	resp3 := x.W.Proto() >= 3
	pair := func(f, v []byte) {
		if withValues && resp3 {
			x.W.AppendArray(2)
		}
		x.W.AppendBulk(f)
		if withValues {
			x.W.AppendBulk(v)
		}
	}
	header := func(n int64) {
		if withValues && !resp3 {
			n *= 2
		}
		x.W.AppendArray(int(n))
	}
	size := int64(h.len())
	if l < 0 || l == 1 {
		// Repetitions allowed: each pick is independent.
		count := l
		if l < 0 {
			count = -l
		}
		header(count)
		p := newHashPicker(h)
		for range count {
			pair(p.pick())
			if x.W.Err() != nil {
				return // the client is gone, as Redis's CLIENT_CLOSE_ASAP
			}
		}
		return
	}
	count := l
	if count >= size {
		header(size)
		for f, v := range h.all() {
			pair(f, v)
		}
		return
	}
	header(count)
	if h.d == nil {
		// A listpack answers a distinct sample in its own order.
		offs := h.lpOffsets()
		need := int(count)
		for i, off := range offs {
			if rand.IntN(len(offs)-i) >= need {
				continue
			}
			need--
			f, next := lpString(h.lp, off)
			v, _ := lpString(h.lp, next)
			pair(f, v)
		}
		return
	}
	for _, e := range distinctEntries(h.d, int(count)) {
		pair(roBytes(e.Key), roBytes(e.Value))
	}
}

// cmdHscan is HSCAN key cursor [MATCH pattern] [COUNT count].
func cmdHscan(x *Ctx) {
	h, cursor, opt, ok := elemScanStart[*hashValue](x, parseScanCursor)
	if !ok {
		return
	}
	var items [][]byte
	if h.d == nil {
		// Redis returns a listpack whole, whatever the cursor.
		for f, v := range h.all() {
			if scanMatches(&opt, f) {
				items = append(items, f, v)
			}
		}
		cursor = 0
	} else {
		cursor = elemScanDict(h.d, cursor, opt.count, 2, func(e *dict.Entry[string]) {
			if scanMatches(&opt, roBytes(e.Key)) {
				items = append(items, roBytes(e.Key), roBytes(e.Value))
			}
		})
	}
	replyElemScan(x, cursor, items)
}
