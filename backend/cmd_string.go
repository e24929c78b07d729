package backend

import (
	"maps"
	"math/big"
	"math/bits"
	"slices"
	"strconv"

	"github.com/keyslot/keyslot/backend/internal/dict"
)

// String commands. Bitmaps (cmd_bitmap.go) and HyperLogLogs (cmd_hll.go)
// are strings too, in Redis as here, and belong to this set.
func stringCommands() commandSet {
	set := commandSet{
		"get":         {fn: cmdGet},
		"set":         {fn: cmdSet},
		"setnx":       {fn: cmdSetNX},
		"setex":       {fn: cmdSetEX},
		"psetex":      {fn: cmdSetEX},
		"getset":      {fn: cmdGetSet},
		"getdel":      {fn: cmdGetDel},
		"getex":       {fn: cmdGetEx},
		"mget":        {fn: cmdMGet},
		"mset":        {fn: cmdMSet},
		"msetnx":      {fn: cmdMSet},
		"append":      {fn: cmdAppend},
		"strlen":      {fn: cmdStrlen},
		"incr":        {fn: cmdIncr},
		"decr":        {fn: cmdIncr},
		"incrby":      {fn: cmdIncrBy},
		"decrby":      {fn: cmdIncrBy},
		"incrbyfloat": {fn: cmdIncrByFloat},
		"getrange":    {fn: cmdGetRange},
		"substr":      {fn: cmdGetRange},
		"setrange":    {fn: cmdSetRange},
		"lcs":         {fn: cmdLCS},
	}
	maps.Copy(set, bitmapCommands())
	maps.Copy(set, hllCommands())
	return set
}

// Error replies of the string commands, Redis 7.0's text.
const (
	errStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	errOffsetRange   = "ERR offset is out of range"
	errDecrOverflow  = "ERR decrement would overflow"
	errIncrNaN       = "ERR increment would produce NaN or Infinity"
	errLCSType       = "ERR The specified keys must contain string values"
	errLCSBoth       = "ERR If you want both the length and indexes, please just use IDX."
	errLCSTooLong    = "ERR String too long for LCS"
	errLCSMemory     = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
)

// boxedCap is how many bytes a string value carries in its own allocation
// (see newStr): 24 bytes of slice header and 40 of data fill one 64-byte
// size class, and cover counters, flags and most short values.
const boxedCap = 40

// strBox is a strValue and a small buffer its bytes can live in, so that a
// short value costs one allocation instead of two.
type strBox struct {
	v   strValue
	buf [boxedCap]byte
}

// newStr returns a string value holding a copy of b.
func newStr(b []byte) *strValue {
	if len(b) <= boxedCap {
		box := &strBox{}
		box.v.b = append(box.buf[:0], b...)
		return &box.v
	}
	return &strValue{b: append([]byte(nil), b...)}
}

// reusable reports whether a buffer of capacity c may take n bytes in
// place without holding on to much more memory than n needs.
func reusable(c, n int) bool { return n <= c && c <= 2*n+boxedCap }

// maxStringLen is proto-max-bulk-len in force: no string command grows a
// value past it.
func (x *Ctx) maxStringLen() int64 { return x.s.protoMaxBulkLen() }

// checkStringLength reports whether a string of size+grow bytes is allowed,
// replying Redis's error when it is not. The sum is checked without
// overflowing, as Redis 7.0.8+ does.
func (x *Ctx) checkStringLength(size, grow int64) bool {
	total := size + grow
	if total > x.maxStringLen() || total < size || total < grow {
		x.W.AppendError(errStringTooLong)
		return false
	}
	return true
}

// putString stores a copy of b at key, whose live entry (nil when missing)
// the caller has just looked up, as Redis's setKey does: a new value
// replaces any old one whatever its type, and the TTL goes unless keepTTL.
// An old string's buffer is reused when it fits, so overwriting a string
// allocates nothing.
func (x *Ctx) putString(e *dict.Entry[item], key, b []byte, keepTTL bool) *dict.Entry[item] {
	if e == nil {
		return x.add(key, newStr(b))
	}
	if sv, ok := e.Value.val.(*strValue); ok && reusable(cap(sv.b), len(b)) {
		sv.b = append(sv.b[:0], b...)
	} else {
		e.Value.val = newStr(b)
	}
	e.Value.raw, e.Value.float = false, false
	if !keepTTL && e.Value.ttl {
		x.db.setTTL(e, 0)
	}
	return e
}

func cmdGet(x *Ctx) {
	e, v, ok := readAs[*strValue](x, x.Args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendNull()
	default:
		x.W.AppendBulk(v.b)
	}
}

// replyGet is Redis's getGenericCommand: the key's value, null when it is
// missing; false when the key holds another type (WRONGTYPE replied).
func replyGet(x *Ctx, key []byte) bool {
	e, v, ok := readAs[*strValue](x, key)
	switch {
	case !ok:
		return false
	case e == nil:
		x.W.AppendNull()
	default:
		x.W.AppendBulk(v.b)
	}
	return true
}

// Flags of SET and GETEX options (Redis's OBJ_SET_* and OBJ_* flags).
const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
	setPersist

	setAnyExpire = setEX | setPX | setEXAT | setPXAT
)

// parseStringOptions reads the options of SET (isSet) or GETEX as Redis's
// parseExtendedStringArgumentsOrReply does: each option may follow only
// options it does not conflict with, and an expiry needs its argument.
// It returns the flags and the expiry argument (nil for none).
func (x *Ctx) parseStringOptions(opts [][]byte, isSet bool) (flags int, expArg []byte, ok bool) {
	for i := 0; i < len(opts); i++ {
		o := opts[i]
		hasNext := i+1 < len(opts)
		switch {
		case isSet && cmdIs(o, "nx") && flags&setXX == 0:
			flags |= setNX
		case isSet && cmdIs(o, "xx") && flags&setNX == 0:
			flags |= setXX
		case isSet && cmdIs(o, "get"):
			flags |= setGet
		case isSet && cmdIs(o, "keepttl") && flags&(setPersist|setAnyExpire) == 0:
			flags |= setKeepTTL
		case !isSet && cmdIs(o, "persist") && flags&(setKeepTTL|setAnyExpire) == 0:
			flags |= setPersist
		case hasNext && expireOption(o) != 0 &&
			flags&(setKeepTTL|setPersist|setAnyExpire&^expireOption(o)) == 0:
			// Repeating the same expiry is allowed: the last one counts.
			flags |= expireOption(o)
			i++
			expArg = opts[i]
		default:
			x.W.AppendError(errSyntax)
			return 0, nil, false
		}
	}
	return flags, expArg, true
}

// expireOption returns the flag an EX / PX / EXAT / PXAT option stands
// for, or 0.
func expireOption(o []byte) int {
	switch {
	case cmdIs(o, "ex"):
		return setEX
	case cmdIs(o, "px"):
		return setPX
	case cmdIs(o, "exat"):
		return setEXAT
	case cmdIs(o, "pxat"):
		return setPXAT
	}
	return 0
}

// expireAt turns an expiry argument into unix milliseconds as Redis's
// getExpireMillisecondsOrReply does: positive, seconds scaled without
// overflow, relative times added to the command's clock (an overflowing
// sum wraps negative and is refused, as in C).
func (x *Ctx) expireAt(arg []byte, flag int) (int64, bool) {
	v, ok := x.intArg(arg)
	if !ok {
		return 0, false
	}
	seconds := flag == setEX || flag == setEXAT
	if v <= 0 || (seconds && v > maxInt64/1000) {
		x.errExpireTime()
		return 0, false
	}
	if seconds {
		v *= 1000
	}
	if flag == setEX || flag == setPX {
		v += x.now
	}
	if v <= 0 {
		x.errExpireTime()
		return 0, false
	}
	return v, true
}

const maxInt64 = 1<<63 - 1

func (x *Ctx) errExpireTime() {
	x.W.AppendError("ERR invalid expire time in '" + x.cmd.Name + "' command")
}

// cmdSet is SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL].
func cmdSet(x *Ctx) {
	flags, expArg, ok := x.parseStringOptions(x.Args[3:], true)
	if !ok {
		return
	}
	setGeneric(x, flags, x.Args[1], x.Args[2], expArg)
}

// cmdSetNX is SETNX key value.
func cmdSetNX(x *Ctx) { setGeneric(x, setNX, x.Args[1], x.Args[2], nil) }

// cmdSetEX is SETEX key seconds value and PSETEX key milliseconds value.
func cmdSetEX(x *Ctx) {
	flag := setEX
	if x.cmd.Name == "psetex" {
		flag = setPX
	}
	setGeneric(x, flag, x.Args[1], x.Args[3], x.Args[2])
}

// setGeneric is Redis's setGenericCommand, shared by SET, SETNX, SETEX and
// PSETEX: expiry checked first, then GET's reply, then the condition.
// SETNX replies 1 / 0 where SET replies OK / null.
func setGeneric(x *Ctx, flags int, key, val, expArg []byte) {
	var exp int64
	if expArg != nil {
		var ok bool
		if exp, ok = x.expireAt(expArg, flags&setAnyExpire); !ok {
			return
		}
	}
	if flags&setGet != 0 && !replyGet(x, key) {
		return
	}
	e := x.lookup(key)
	if (flags&setNX != 0 && e != nil) || (flags&setXX != 0 && e == nil) {
		switch {
		case flags&setGet != 0:
		case x.cmd.Name == "setnx":
			x.W.AppendInt(0)
		default:
			x.W.AppendNull()
		}
		return
	}
	e = x.putString(e, key, val, flags&setKeepTTL != 0)
	x.changed(notifyString, "set", key)
	if exp != 0 {
		// A time already past leaves the key to expire on its next
		// access, as in Redis.
		x.db.setTTL(e, exp)
		x.notify(notifyGeneric, "expire", key)
	}
	switch {
	case flags&setGet != 0:
	case x.cmd.Name == "setnx":
		x.W.AppendInt(1)
	default:
		x.W.AppendSimple("OK")
	}
}

// cmdGetSet is GETSET key value: the old value, and the TTL goes.
func cmdGetSet(x *Ctx) {
	key := x.Args[1]
	if !replyGet(x, key) {
		return
	}
	x.putString(x.lookup(key), key, x.Args[2], false)
	x.changed(notifyString, "set", key)
}

// cmdGetDel is GETDEL key.
func cmdGetDel(x *Ctx) {
	key := x.Args[1]
	if !replyGet(x, key) {
		return
	}
	if x.del(key) {
		x.changed(notifyGeneric, "del", key)
	}
}

// cmdGetEx is GETEX key [EX s|PX ms|EXAT t|PXAT t|PERSIST]: GET that also
// sets or removes the TTL. The expiry is checked only once the key is
// known to hold a string.
func cmdGetEx(x *Ctx) {
	flags, expArg, ok := x.parseStringOptions(x.Args[2:], false)
	if !ok {
		return
	}
	key := x.Args[1]
	e, v, ok := readAs[*strValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendNull()
		return
	}
	var exp int64
	if expArg != nil {
		if exp, ok = x.expireAt(expArg, flags&setAnyExpire); !ok {
			return
		}
	}
	x.W.AppendBulk(v.b)
	switch {
	case flags&(setEXAT|setPXAT) != 0 && exp <= x.now:
		// An absolute time already past deletes the key at once.
		x.db.remove(key)
		x.changed(notifyGeneric, "del", key)
	case expArg != nil:
		x.db.setTTL(e, exp)
		x.changed(notifyGeneric, "expire", key)
	case flags&setPersist != 0 && e.Value.ttl:
		x.db.setTTL(e, 0)
		x.changed(notifyGeneric, "persist", key)
	}
}

// cmdMGet is MGET key [key ...]: a key of another type reads as null.
func cmdMGet(x *Ctx) {
	x.W.AppendArray(len(x.Args) - 1)
	for _, key := range x.Args[1:] {
		e := x.lookupRead(key)
		if e == nil {
			x.W.AppendNull()
			continue
		}
		if v, ok := e.Value.val.(*strValue); ok {
			x.W.AppendBulk(v.b)
		} else {
			x.W.AppendNull()
		}
	}
}

// cmdMSet is MSET and MSETNX key value [key value ...].
func cmdMSet(x *Ctx) {
	if len(x.Args)%2 == 0 {
		x.wrongArgs()
		return
	}
	nx := x.cmd.Name == "msetnx"
	if nx {
		for i := 1; i < len(x.Args); i += 2 {
			if x.lookup(x.Args[i]) != nil {
				x.W.AppendInt(0)
				return
			}
		}
	}
	for i := 1; i < len(x.Args); i += 2 {
		key := x.Args[i]
		x.putString(x.lookup(key), key, x.Args[i+1], false)
		x.changed(notifyString, "set", key)
	}
	if nx {
		x.W.AppendInt(1)
	} else {
		x.W.AppendSimple("OK")
	}
}

// cmdAppend is APPEND key value. A missing key is created as SET would;
// an existing string is extended in place and becomes raw.
func cmdAppend(x *Ctx) {
	key, arg := x.Args[1], x.Args[2]
	e, v, ok := writeAs[*strValue](x, key)
	if !ok {
		return
	}
	var n int
	if e == nil {
		x.add(key, newStr(arg))
		n = len(arg)
	} else {
		if !x.checkStringLength(int64(len(v.b)), int64(len(arg))) {
			return
		}
		v.b = append(v.b, arg...)
		e.Value.raw = true
		n = len(v.b)
	}
	x.changed(notifyString, "append", key)
	x.W.AppendInt(int64(n))
}

// cmdStrlen is STRLEN key.
func cmdStrlen(x *Ctx) {
	e, v, ok := readAs[*strValue](x, x.Args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendInt(0)
	default:
		x.W.AppendInt(int64(len(v.b)))
	}
}

// cmdIncr is INCR and DECR key.
func cmdIncr(x *Ctx) {
	if x.cmd.Name == "decr" {
		incrDecr(x, -1)
	} else {
		incrDecr(x, 1)
	}
}

// cmdIncrBy is INCRBY and DECRBY key increment: the increment is checked
// before the key.
func cmdIncrBy(x *Ctx) {
	n, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	if x.cmd.Name == "decrby" {
		if n == -maxInt64-1 {
			x.W.AppendError(errDecrOverflow)
			return
		}
		n = -n
	}
	incrDecr(x, n)
}

// incrDecr adds by to the integer at the key (0 when missing). The TTL
// stays, and the result is a plain integer string (OBJECT ENCODING int).
func incrDecr(x *Ctx, by int64) {
	key := x.Args[1]
	e, v, ok := writeAs[*strValue](x, key)
	if !ok {
		return
	}
	var old int64
	if e != nil {
		if old, ok = parseInt(v.b); !ok {
			x.W.AppendError(errNotInt)
			return
		}
	}
	if (by < 0 && old < 0 && by < -maxInt64-1-old) || (by > 0 && old > 0 && by > maxInt64-old) {
		x.W.AppendError(errOverflow)
		return
	}
	n := old + by
	if e == nil {
		var buf [20]byte
		x.add(key, newStr(strconv.AppendInt(buf[:0], n, 10)))
	} else {
		v.b = strconv.AppendInt(v.b[:0], n, 10)
		e.Value.raw, e.Value.float = false, false
	}
	x.changed(notifyString, "incrby", key)
	x.W.AppendInt(n)
}

// cmdIncrByFloat is INCRBYFLOAT key increment, computed in x87 long double
// arithmetic and printed as Redis prints it (see longDouble). The stored
// value is checked before the increment.
func cmdIncrByFloat(x *Ctx) {
	key := x.Args[1]
	e, v, ok := writeAs[*strValue](x, key)
	if !ok {
		return
	}
	var cur, incr longDouble
	if e != nil && !cur.parse(v.b) {
		x.W.AppendError(errNotFloat)
		return
	}
	if !incr.parse(x.Args[2]) {
		x.W.AppendError(errNotFloat)
		return
	}
	if !cur.add(&incr) {
		x.W.AppendError(errIncrNaN)
		return
	}
	out := cur.format()
	if e == nil {
		e = x.add(key, newStr(out))
	} else {
		if reusable(cap(v.b), len(out)) {
			v.b = append(v.b[:0], out...)
		} else {
			e.Value.val = newStr(out)
		}
		e.Value.raw = false
	}
	e.Value.float = true
	x.changed(notifyString, "incrbyfloat", key)
	x.W.AppendBulk(out)
}

// cmdGetRange is GETRANGE and SUBSTR key start end, with Redis's clamping
// of negative and out-of-range indexes.
func cmdGetRange(x *Ctx) {
	start, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	end, ok := x.intArg(x.Args[3])
	if !ok {
		return
	}
	e, v, ok := readAs[*strValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendBulk(nil)
		return
	}
	lo, hi, ok := clampRange(start, end, int64(len(v.b)))
	if !ok {
		x.W.AppendBulk(nil)
		return
	}
	x.W.AppendBulk(v.b[lo : hi+1])
}

// clampRange turns GETRANGE's start and end into an inclusive range of a
// string of n bytes, or reports that it selects nothing.
func clampRange(start, end, n int64) (int64, int64, bool) {
	if start < 0 && end < 0 && start > end {
		return 0, 0, false
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	end = max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return 0, 0, false
	}
	return start, end, true
}

// cmdSetRange is SETRANGE key offset value: the offset is checked before
// the key, and an empty value changes nothing (not even a missing key).
func cmdSetRange(x *Ctx) {
	key, val := x.Args[1], x.Args[3]
	off, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	if off < 0 {
		x.W.AppendError(errOffsetRange)
		return
	}
	e, v, ok := writeAs[*strValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		if len(val) == 0 {
			x.W.AppendInt(0)
			return
		}
		if !x.checkStringLength(off, int64(len(val))) {
			return
		}
		b := make([]byte, off+int64(len(val)))
		copy(b[off:], val)
		e = x.add(key, &strValue{b: b})
		e.Value.raw = true
		x.changed(notifyString, "setrange", key)
		x.W.AppendInt(int64(len(b)))
		return
	}
	if len(val) == 0 {
		x.W.AppendInt(int64(len(v.b)))
		return
	}
	if !x.checkStringLength(off, int64(len(val))) {
		return
	}
	v.b = growZero(v.b, int(off)+len(val))
	copy(v.b[off:], val)
	e.Value.raw = true
	x.changed(notifyString, "setrange", key)
	x.W.AppendInt(int64(len(v.b)))
}

// growZero extends b with zero bytes to at least n bytes, growing its
// buffer geometrically so that repeated growth stays linear.
func growZero(b []byte, n int) []byte {
	if n <= len(b) {
		return b
	}
	old := len(b)
	b = slices.Grow(b, n-old)[:n]
	clear(b[old:])
	return b
}

// cmdLCS is LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the
// longest common subsequence by Redis's dynamic programming table, walked
// back from the end the way Redis walks it, so that the ranges IDX lists
// (and the subsequence chosen among equally long ones) are Redis's.
func cmdLCS(x *Ctx) {
	ea, eb := x.lookupRead(x.Args[1]), x.lookupRead(x.Args[2])
	var a, b []byte
	for i, e := range [2]*dict.Entry[item]{ea, eb} {
		if e == nil {
			continue
		}
		v, ok := e.Value.val.(*strValue)
		if !ok {
			x.W.AppendError(errLCSType)
			return
		}
		if i == 0 {
			a = v.b
		} else {
			b = v.b
		}
	}
	var getLen, getIdx, withLen bool
	var minLen int64
	opts := x.Args[3:]
	for i := 0; i < len(opts); i++ {
		switch o := opts[i]; {
		case cmdIs(o, "idx"):
			getIdx = true
		case cmdIs(o, "len"):
			getLen = true
		case cmdIs(o, "withmatchlen"):
			withLen = true
		case cmdIs(o, "minmatchlen") && i+1 < len(opts):
			n, ok := x.intArg(opts[i+1])
			if !ok {
				return
			}
			minLen = max(n, 0)
			i++
		default:
			x.W.AppendError(errSyntax)
			return
		}
	}
	if getLen && getIdx {
		x.W.AppendError(errLCSBoth)
		return
	}
	if uint64(len(a)) >= 1<<32-2 || uint64(len(b)) >= 1<<32-2 {
		x.W.AppendError(errLCSTooLong)
		return
	}
	hi, cells := bits.Mul64(uint64(len(a))+1, uint64(len(b))+1)
	if hi != 0 || cells > (1<<63-1)/4 || int64(cells*4) > x.maxStringLen() {
		x.W.AppendError(errLCSMemory)
		return
	}
	t := lcsTable(a, b)
	n := t.at(len(a), len(b))
	switch {
	case getIdx:
		matches := t.matches(a, b, minLen)
		x.W.AppendMap(2)
		x.W.AppendBulkString("matches")
		x.W.AppendArray(len(matches))
		for _, m := range matches {
			if withLen {
				x.W.AppendArray(3)
			} else {
				x.W.AppendArray(2)
			}
			x.W.AppendArray(2)
			x.W.AppendInt(int64(m.aStart))
			x.W.AppendInt(int64(m.aEnd))
			x.W.AppendArray(2)
			x.W.AppendInt(int64(m.bStart))
			x.W.AppendInt(int64(m.bEnd))
			if withLen {
				x.W.AppendInt(int64(m.aEnd - m.aStart + 1))
			}
		}
		x.W.AppendBulkString("len")
		x.W.AppendInt(int64(n))
	case getLen:
		x.W.AppendInt(int64(n))
	default:
		x.W.AppendBulk(t.subsequence(a, b))
	}
}

// lcsGrid is the LCS length table: at(i, j) is the length of the longest
// common subsequence of a[:i] and b[:j].
type lcsGrid struct {
	cells []uint32
	cols  int
}

func lcsTable(a, b []byte) lcsGrid {
	t := lcsGrid{cells: make([]uint32, (len(a)+1)*(len(b)+1)), cols: len(b) + 1}
	for i := 1; i <= len(a); i++ {
		row, prev := t.cells[i*t.cols:(i+1)*t.cols], t.cells[(i-1)*t.cols:i*t.cols]
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				row[j] = prev[j-1] + 1
			} else {
				row[j] = max(prev[j], row[j-1])
			}
		}
	}
	return t
}

func (t lcsGrid) at(i, j int) uint32 { return t.cells[i*t.cols+j] }

// back moves one step of Redis's walk from (i, j) where a[i-1] != b[j-1]:
// up when that keeps a longer subsequence, otherwise left.
func (t lcsGrid) back(i, j int) (int, int) {
	if t.at(i-1, j) > t.at(i, j-1) {
		return i - 1, j
	}
	return i, j - 1
}

// subsequence returns the common subsequence Redis's walk picks.
func (t lcsGrid) subsequence(a, b []byte) []byte {
	n := t.at(len(a), len(b))
	out := make([]byte, n)
	for i, j := len(a), len(b); i > 0 && j > 0; {
		if a[i-1] == b[j-1] {
			n--
			out[n] = a[i-1]
			i, j = i-1, j-1
		} else {
			i, j = t.back(i, j)
		}
	}
	return out
}

// lcsMatch is one range IDX reports: a[aStart..aEnd] equals
// b[bStart..bEnd].
type lcsMatch struct{ aStart, aEnd, bStart, bEnd int }

// matches lists the ranges of the walk, last first, as Redis emits them:
// a range grows backwards while matches stay contiguous in both strings
// and is emitted when the walk leaves it. Redis drops the match that ends
// a range by being non-contiguous (it starts no new range), and so does
// this walk; ranges shorter than minLen are left out.
func (t lcsGrid) matches(a, b []byte, minLen int64) []lcsMatch {
	var out []lcsMatch
	var cur lcsMatch
	open := false
	for i, j := len(a), len(b); i > 0 && j > 0; {
		emit := false
		if a[i-1] == b[j-1] {
			switch {
			case !open:
				cur = lcsMatch{i - 1, i - 1, j - 1, j - 1}
				open = true
			case cur.aStart == i && cur.bStart == j:
				cur.aStart--
				cur.bStart--
			default:
				emit = true
			}
			if cur.aStart == 0 || cur.bStart == 0 {
				emit = true
			}
			i, j = i-1, j-1
		} else {
			i, j = t.back(i, j)
			emit = open
		}
		if emit {
			if minLen == 0 || int64(cur.aEnd-cur.aStart+1) >= minLen {
				out = append(out, cur)
			}
			open = false
		}
	}
	return out
}

// longDouble is a C long double as Redis's INCRBYFLOAT uses it on x86-64:
// the x87 80-bit format, a 64-bit mantissa and exponents up to 16383, read
// by strtold and printed by "%.17Lf". math/big at 64 bits of precision
// rounds exactly as the FPU does (to nearest, ties to even); the format's
// exponent range is checked by hand. Subnormal values are kept at full
// precision rather than rounded: they print as 0 and cannot move the
// rounding of a sum that prints as anything else.
type longDouble struct {
	f   big.Float // finite value, when inf is 0
	inf int       // +1 or -1 for an infinity
}

const (
	ldPrec = 64
	// ldMaxExp is the largest big.Float exponent (mantissa in [0.5, 1))
	// of a finite long double: values below 2^16384.
	ldMaxExp = 16384
	// ldZeroExp: a value of magnitude 2^ldZeroExp or less reads as zero
	// (half the smallest subnormal, 2^-16445, ties to even).
	ldZeroExp = -16446
	// ldMaxChars is Redis's MAX_LONG_DOUBLE_CHARS: longer input is
	// refused, and no long double prints longer.
	ldMaxChars = 5 * 1024
	// expLimit caps a parsed exponent; anything beyond over- or
	// underflows anyway.
	expLimit = 1 << 20
)

// parse reads b as Redis's string2ld: strtold must take the whole string
// (decimal, hexadecimal with a binary exponent, inf, infinity), no leading
// space, and neither overflow nor underflow to zero. NaN is refused. It is
// kept apart from zstrtod (strtod, a double) because strtold rounds to a
// 64-bit mantissa and has the 80-bit range: "1e400" is a long double and
// no double.
func (d *longDouble) parse(b []byte) bool {
	d.inf = 0
	d.f.SetPrec(ldPrec).SetMode(big.ToNearestEven)
	if len(b) == 0 || len(b) >= ldMaxChars {
		return false
	}
	s := b
	neg := s[0] == '-'
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	var ok bool
	switch {
	case asciiEqualFold(s, "inf") || asciiEqualFold(s, "infinity"):
		d.inf = 1
		if neg {
			d.inf = -1
		}
		return true
	case len(s) >= 2 && s[0] == '0' && s[1]|0x20 == 'x':
		ok = d.parseHex(s[2:])
	default:
		ok = d.parseDecimal(s)
	}
	if ok && neg {
		d.f.Neg(&d.f)
	}
	return ok
}

// scanMantissa reads digits of the given base with at most one point. It
// returns the digits (point removed), how many followed the point, and
// where it stopped.
func scanMantissa(s []byte, hex bool) (digits []byte, frac, end int) {
	digits = make([]byte, 0, len(s))
	point := false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !point:
			point = true
			continue
		case c >= '0' && c <= '9', hex && (c|0x20 >= 'a' && c|0x20 <= 'f'):
		default:
			return digits, frac, i
		}
		digits = append(digits, c)
		if point {
			frac++
		}
	}
	return digits, frac, i
}

// scanExponent reads [+-]digits, saturating at expLimit. ok is false when
// there is no digit.
func scanExponent(s []byte) (exp int64, ok bool) {
	neg := len(s) > 0 && s[0] == '-'
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		exp = min(exp*10+int64(c-'0'), expLimit)
	}
	if neg {
		exp = -exp
	}
	return exp, true
}

// parseDecimal reads digits[.digits][e[+-]digits].
func (d *longDouble) parseDecimal(s []byte) bool {
	digits, frac, i := scanMantissa(s, false)
	if len(digits) == 0 {
		return false
	}
	var exp10 int64
	if i < len(s) {
		if s[i]|0x20 != 'e' {
			return false
		}
		var ok bool
		if exp10, ok = scanExponent(s[i+1:]); !ok {
			return false
		}
	}
	exp10 -= int64(frac)
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits) == 1 && digits[0] == '0' {
		d.f.SetInt64(0)
		return true
	}
	// The value lies in [10^(mag-1), 10^mag).
	mag := int64(len(digits)) + exp10
	switch {
	case mag-1 >= 4933: // above 1.19e4932, the largest long double
		return false
	case mag < -4951: // below 2^-16446
		return false
	}
	var m big.Int
	m.SetString(string(digits), 10)
	if exp10 >= 0 {
		m.Mul(&m, pow10(exp10))
		d.f.SetInt(&m)
		return d.inRange(nil)
	}
	den := pow10(-exp10)
	var num, div big.Float
	num.SetInt(&m)
	div.SetInt(den)
	d.f.Quo(&num, &div)
	return d.inRange(func() int {
		// m / den against 2^ldZeroExp, exactly.
		var lhs big.Int
		lhs.Lsh(&m, -ldZeroExp)
		return lhs.Cmp(den)
	})
}

// parseHex reads hexdigits[.hexdigits][p[+-]digits] after "0x".
func (d *longDouble) parseHex(s []byte) bool {
	digits, frac, i := scanMantissa(s, true)
	if len(digits) == 0 {
		return false
	}
	var exp2 int64
	if i < len(s) {
		if s[i]|0x20 != 'p' {
			return false
		}
		var ok bool
		if exp2, ok = scanExponent(s[i+1:]); !ok {
			return false
		}
	}
	exp2 -= 4 * int64(frac)
	var m big.Int
	m.SetString(string(digits), 16)
	if m.Sign() == 0 {
		d.f.SetInt64(0)
		return true
	}
	// The value lies in [2^(top-1), 2^top).
	top := int64(m.BitLen()) + exp2
	if top-1 >= ldMaxExp || top < ldZeroExp {
		return false
	}
	var exact big.Float
	exact.SetInt(&m)
	exact.SetMantExp(&exact, int(exp2))
	d.f.Set(&exact)
	return d.inRange(func() int {
		var tiny big.Float
		tiny.SetMantExp(big.NewFloat(1), ldZeroExp)
		return exact.Cmp(&tiny)
	})
}

// inRange checks the rounded value against the long double range: false
// on overflow, and false when the value underflows to zero. cmpTiny
// compares the exact value with 2^ldZeroExp when rounding leaves it in
// doubt.
func (d *longDouble) inRange(cmpTiny func() int) bool {
	if d.f.Sign() == 0 {
		return true
	}
	e := d.f.MantExp(nil)
	if e > ldMaxExp {
		return false
	}
	// |f| = 2^ldZeroExp exactly is mantissa 0.5 at exponent ldZeroExp+1.
	switch {
	case e < ldZeroExp+1:
		return false
	case e == ldZeroExp+1 && d.f.MinPrec() == 1:
		return cmpTiny != nil && cmpTiny() > 0
	}
	return true
}

// pow10 returns 10^n for n >= 0.
func pow10(n int64) *big.Int {
	var ten, p big.Int
	ten.SetInt64(10)
	return p.Exp(&ten, big.NewInt(n), nil)
}

// add adds o as the FPU would; false when the sum is infinite or NaN.
func (d *longDouble) add(o *longDouble) bool {
	if d.inf != 0 || o.inf != 0 {
		return false
	}
	d.f.Add(&d.f, &o.f)
	return d.f.Sign() == 0 || d.f.MantExp(nil) <= ldMaxExp
}

// format prints d as Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf"
// without trailing zeros or a trailing point, and "-0" as "0".
func (d *longDouble) format() []byte {
	b := d.f.Append(make([]byte, 0, 32), 'f', 17)
	for len(b) > 0 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if len(b) == 2 && b[0] == '-' && b[1] == '0' {
		b = b[1:]
	}
	return b
}
