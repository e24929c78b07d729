package backend

import (
	"math"
	"strconv"

	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/cluster"
	"github.com/keyslot/keyslot/router"
)

func scanCommands() commandSet {
	return commandSet{
		"scan": {fn: cmdScan, lock: lockAll},
	}
}

// A SCAN cursor is (dict cursor << slotBits) | slot: the low bits say which
// hash slot the iteration is in, the high bits where it is in that slot's
// dict. Slots are visited in increasing order, each from dict cursor 0
// until its dict's Scan comes back to 0, so a full iteration inherits the
// dict's guarantee slot by slot: every key present from start to end is
// returned at least once however the keyspace grows or shrinks. A slot's
// dict cursor is below its table size, far under 2^50, so the two fit.
const (
	slotBits = 14
	slotMask = cluster.SlotCount - 1
)

// scanDefaultCount is COUNT's default, Redis's.
const scanDefaultCount = 10

// emptyScan is the reply of HSCAN, SSCAN and ZSCAN on a missing key.
const emptyScan = "*2\r\n$1\r\n0\r\n*0\r\n"

// scanOptions are SCAN's (and the HSCAN family's) MATCH, COUNT and TYPE.
type scanOptions struct {
	count   int64
	pattern []byte // nil: every element
	typ     []byte // nil: every type (SCAN only)
}

// parseScanCursor reads a cursor as Redis does, with strtoul: an optional
// sign, base-10 digits, nothing after them; no leading space; "" is 0,
// "-1" is 2^64-1, values over 2^64-1 are errors. It is not folded with
// ZSCAN's zparseCursor because the two differ on a NUL byte: Redis's
// strtoul stops there, so Redis takes "0\x00x" as cursor 0, as
// zparseCursor does, while this one answers the invalid-cursor error.
// Making SCAN, HSCAN and SSCAN use zparseCursor would fix that, and is a
// behaviour change left out of a fold.
func parseScanCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	d := b
	switch b[0] {
	case '-':
		neg, d = true, b[1:]
	case '+':
		d = b[1:]
	}
	if len(d) == 0 {
		return 0, false // strtoul converted nothing: the sign is left over
	}
	var v uint64
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(c-'0'))/10 {
			return 0, false // ERANGE
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseScanOptions reads MATCH, COUNT and (when allowType) TYPE, replying
// Redis's error on failure.
func (x *Ctx) parseScanOptions(args [][]byte, allowType bool) (scanOptions, bool) {
	o := scanOptions{count: scanDefaultCount}
	for i := 0; i < len(args); i += 2 {
		more := i+1 < len(args)
		switch {
		case asciiEqualFold(args[i], "count") && more:
			n, ok := x.intArg(args[i+1])
			if !ok {
				return o, false
			}
			if n < 1 {
				x.W.AppendError(errSyntax)
				return o, false
			}
			o.count = n
		case asciiEqualFold(args[i], "match") && more:
			o.pattern = args[i+1]
			if len(o.pattern) == 1 && o.pattern[0] == '*' {
				o.pattern = nil // matches everything
			}
		case asciiEqualFold(args[i], "type") && allowType && more:
			o.typ = args[i+1]
		default:
			x.W.AppendError(errSyntax)
			return o, false
		}
	}
	return o, true
}

// cmdScan is SCAN cursor [MATCH pattern] [COUNT n] [TYPE type].
func cmdScan(x *Ctx) {
	cursor, ok := parseScanCursor(x.Args[1])
	if !ok {
		x.W.AppendError(errInvalidCursor)
		return
	}
	o, ok := x.parseScanOptions(x.Args[2:], true)
	if !ok {
		return
	}
	keys, next := x.db.scan(cursor, o.count)
	// Filter after collecting, as Redis does: pattern, then type (a
	// lookup that may expire the key), then expiry.
	out := keys[:0]
	for _, k := range keys {
		kb := []byte(k)
		if o.pattern != nil && !router.GlobMatch(o.pattern, kb, false) {
			continue
		}
		if o.typ != nil {
			name := "none"
			if e := x.peek(kb, true); e != nil {
				name = e.Value.val.typeName()
			}
			if !asciiEqualFold(o.typ, name) {
				continue
			}
		}
		if e := x.db.find(kb); e != nil && x.db.expiredAt(e, x.now) {
			x.expireKey(kb)
			continue
		}
		out = append(out, k)
	}
	var buf [20]byte
	x.W.AppendArray(2)
	x.W.AppendBulk(strconv.AppendUint(buf[:0], next, 10))
	x.W.AppendArray(len(out))
	for _, k := range out {
		x.W.AppendBulkString(k)
	}
}

// scan collects the keys of about count dict buckets from cursor on and
// returns them with the next cursor (0 when the iteration is over). Like
// Redis it stops once count keys are collected or after 10*count steps, so
// a sparse table costs a bounded amount of work per call.
// The caller holds Keyspace.mu exclusively.
func (db *DB) scan(cursor uint64, count int64) ([]string, uint64) {
	slot := int(cursor & slotMask)
	d := cursor >> slotBits
	steps := count * 10
	if count > math.MaxInt64/10 {
		steps = math.MaxInt64
	}
	var keys []string
	for {
		s := nextSlot(&db.used, slot)
		if s < 0 {
			return keys, 0
		}
		if s != slot {
			// The cursor's slot has no keys (left): start the next one.
			slot, d = s, 0
		}
		if sk := db.slots[slot]; sk != nil {
			d = sk.keys.Scan(d, func(e *dict.Entry[item]) { keys = append(keys, e.Key) })
		} else {
			d = 0
		}
		if d == 0 {
			if slot = nextSlot(&db.used, slot+1); slot < 0 {
				return keys, 0
			}
		}
		steps--
		if int64(len(keys)) >= count || steps <= 0 {
			return keys, d<<slotBits | uint64(slot)
		}
	}
}

// elemScanStart does what HSCAN, SSCAN and ZSCAN do before walking the
// value at x.Args[1], in Redis's order so that the same error wins: read
// the cursor x.Args[2] with parse, look the key up as a T (a missing key
// answers an empty scan), then read MATCH and COUNT. ok is false when a
// reply has been written.
func elemScanStart[T any](x *Ctx, parse func([]byte) (uint64, bool)) (v T, cursor uint64, opt scanOptions, ok bool) {
	cursor, ok = parse(x.Args[2])
	if !ok {
		x.W.AppendError(errInvalidCursor)
		return v, 0, opt, false
	}
	e, v, ok := readAs[T](x, x.Args[1])
	if !ok {
		return v, 0, opt, false
	}
	if e == nil {
		x.W.AppendRaw([]byte(emptyScan))
		return v, 0, opt, false
	}
	opt, ok = x.parseScanOptions(x.Args[3:], false)
	return v, cursor, opt, ok
}

// scanMatches reports whether an element passes o's MATCH pattern.
func scanMatches(o *scanOptions, b []byte) bool {
	return o.pattern == nil || router.GlobMatch(o.pattern, b, false)
}

// elemScanDict runs Redis's dictScan loop over d: cursor steps until count
// elements were visited, at most count*10 steps. weight is how many reply
// elements an entry makes (2 for a hash's pairs), which Redis counts in
// both bounds. fn receives each entry visited.
func elemScanDict[V any](d *dict.Dict[V], cursor uint64, count, weight int64, fn func(*dict.Entry[V])) uint64 {
	count = satMul(count, weight)
	maxIter := satMul(count, 10)
	seen := int64(0)
	for {
		cursor = d.Scan(cursor, func(e *dict.Entry[V]) {
			seen += weight
			fn(e)
		})
		if cursor == 0 || maxIter == 0 {
			return cursor
		}
		maxIter--
		if seen >= count {
			return cursor
		}
	}
}

// satMul is a*b for positive operands, saturating at MaxInt64.
func satMul(a, b int64) int64 {
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

func replyElemScan(x *Ctx, cursor uint64, items [][]byte) {
	x.W.AppendArray(2)
	var buf [20]byte
	x.W.AppendBulk(strconv.AppendUint(buf[:0], cursor, 10))
	x.W.AppendArray(len(items))
	for _, it := range items {
		x.W.AppendBulk(it)
	}
}
