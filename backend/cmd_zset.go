package backend

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/keyslot/keyslot/backend/internal/zset"
	"github.com/keyslot/keyslot/internal/resp"
)

// Sorted set commands.
func zsetCommands() commandSet {
	return commandSet{
		"zadd":             {fn: func(x *Ctx) { zadd(x, 0) }},
		"zincrby":          {fn: func(x *Ctx) { zadd(x, zaddIncr) }},
		"zrem":             {fn: cmdZRem},
		"zcard":            {fn: cmdZCard},
		"zcount":           {fn: cmdZCount},
		"zlexcount":        {fn: cmdZLexCount},
		"zscore":           {fn: cmdZScore},
		"zmscore":          {fn: cmdZMScore},
		"zrank":            {fn: func(x *Ctx) { zrank(x, false) }},
		"zrevrank":         {fn: func(x *Ctx) { zrank(x, true) }},
		"zrange":           {fn: func(x *Ctx) { zrange(x, 1, false, zrAuto, zdirAuto) }},
		"zrangestore":      {fn: func(x *Ctx) { zrange(x, 2, true, zrAuto, zdirAuto) }},
		"zrevrange":        {fn: func(x *Ctx) { zrange(x, 1, false, zrRank, zdirRev) }},
		"zrangebyscore":    {fn: func(x *Ctx) { zrange(x, 1, false, zrScore, zdirFwd) }},
		"zrevrangebyscore": {fn: func(x *Ctx) { zrange(x, 1, false, zrScore, zdirRev) }},
		"zrangebylex":      {fn: func(x *Ctx) { zrange(x, 1, false, zrLex, zdirFwd) }},
		"zrevrangebylex":   {fn: func(x *Ctx) { zrange(x, 1, false, zrLex, zdirRev) }},
		"zremrangebyrank":  {fn: func(x *Ctx) { zremrange(x, zrRank) }},
		"zremrangebyscore": {fn: func(x *Ctx) { zremrange(x, zrScore) }},
		"zremrangebylex":   {fn: func(x *Ctx) { zremrange(x, zrLex) }},
		"zpopmin":          {fn: func(x *Ctx) { zpopCommand(x, false) }},
		"zpopmax":          {fn: func(x *Ctx) { zpopCommand(x, true) }},
		"bzpopmin":         {fn: func(x *Ctx) { bzpopCommand(x, false) }},
		"bzpopmax":         {fn: func(x *Ctx) { bzpopCommand(x, true) }},
		"zmpop":            {fn: func(x *Ctx) { zmpop(x, 1, false) }},
		"bzmpop":           {fn: func(x *Ctx) { zmpop(x, 2, true) }},
		"zrandmember":      {fn: cmdZRandMember},
		"zunion":           {fn: func(x *Ctx) { zsetOp(x, nil, 1, zopUnion, false) }},
		"zinter":           {fn: func(x *Ctx) { zsetOp(x, nil, 1, zopInter, false) }},
		"zdiff":            {fn: func(x *Ctx) { zsetOp(x, nil, 1, zopDiff, false) }},
		"zintercard":       {fn: func(x *Ctx) { zsetOp(x, nil, 1, zopInter, true) }},
		"zunionstore":      {fn: func(x *Ctx) { zsetOp(x, x.Args[1], 2, zopUnion, false) }},
		"zinterstore":      {fn: func(x *Ctx) { zsetOp(x, x.Args[1], 2, zopInter, false) }},
		"zdiffstore":       {fn: func(x *Ctx) { zsetOp(x, x.Args[1], 2, zopDiff, false) }},
		"zscan":            {fn: cmdZScan},
	}
}

// Sorted set error replies, Redis 7.0's text.
const (
	errZNaN          = "ERR resulting score is not a number (NaN)"
	errZMinMax       = "ERR min or max is not a float"
	errZLexRange     = "ERR min or max not valid string range item"
	errZPositive     = "ERR value is out of range, must be positive"
	errZNumkeys      = "ERR numkeys should be greater than 0"
	errZCount        = "ERR count should be greater than 0"
	errZWeight       = "ERR weight value is not a float"
	errZLimitNeg     = "ERR LIMIT can't be negative"
	errZRandOverflow = "ERR value is out of range"
	errZRandRange    = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errZLimitRank    = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errZLexScores    = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	errZIncrPair     = "ERR INCR option supports a single increment-element pair"
	errZNXXX         = "ERR XX and NX options at the same time are not compatible"
	errZGTLTNX       = "ERR GT, LT, and/or NX options at the same time are not compatible"
)

// zsetValue is a sorted set. The members live in a zset.Set, whatever
// encoding Redis would be using; big records which one that is.
type zsetValue struct {
	set zset.Set
	// big is set once Redis would have converted the set from a listpack
	// to a skiplist. As in Redis 7.0 the conversion is one-way: removing
	// members never brings a set back, only ZUNIONSTORE and the other
	// commands that build a new value choose afresh.
	big bool
	// churn counts removals and score changes since the value was created.
	// A ZSCAN cursor carries it, so that a later call can step back over
	// the ranks that removals made the remaining members slide down by.
	churn uint64
}

func (*zsetValue) typeName() string { return "zset" }

func (v *zsetValue) encoding(*item) string {
	if v.big {
		return "skiplist"
	}
	return "listpack"
}

// wakesBlocked: BZPOPMIN, BZPOPMAX and BZMPOP wait for sorted sets.
func (*zsetValue) wakesBlocked() {}

// copyValue returns a deep copy with the same encoding, for COPY.
func (v *zsetValue) copyValue() value {
	c := &zsetValue{big: v.big}
	v.set.Range(0, false, func(m string, s float64) bool {
		c.set.Add(zbytes(m), s)
		return true
	})
	return c
}

// zsetLimits are zset-max-listpack-entries and zset-max-listpack-value.
type zsetLimits struct{ entries, value int }

// zsetListpackLimits returns the thresholds above which Redis stores a
// sorted set as a skiplist, as configured.
func zsetListpackLimits(x *Ctx) zsetLimits {
	lim := x.s.encodingLimits()
	return zsetLimits{entries: lim.zsetMaxListpackEntries, value: lim.zsetMaxListpackValue}
}

// fits reports whether a set of n members, the longest maxLen bytes, stays
// a listpack.
func (l zsetLimits) fits(n, maxLen int) bool { return n <= l.entries && maxLen <= l.value }

// put stores member at score. A listpack keeps an integral score as an
// integer, so -0 is stored as 0 there; a skiplist keeps the sign.
func (v *zsetValue) put(member []byte, score float64) {
	if !v.big && score == 0 {
		score = 0
	}
	v.set.Add(member, score)
}

// addNew adds a member that is not in the set, first converting the set
// when the listpack would grow past the limits, as Redis checks before
// inserting.
func (v *zsetValue) addNew(member []byte, score float64, lim zsetLimits) {
	if !v.big && !lim.fits(v.set.Len()+1, len(member)) {
		v.big = true
	}
	v.put(member, score)
}

// zbytes views s as bytes, for calls that only read them: zset.Set copies
// the members it keeps.
func zbytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// zview views b as a string for the length of a comparison.
func zview(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// zchanged records a change of n members of key: one keyspace event and
// WATCH signal, n changes for persistence, as Redis counts them.
func zchanged(x *Ctx, event string, key []byte, n int) {
	x.changed(notifyZSet, event, key)
	if n > 1 {
		x.s.stats.dirty.Add(int64(n - 1))
	}
}

// zdropIfEmpty deletes key once its set is empty, with Redis's "del"
// event.
func zdropIfEmpty(x *Ctx, key []byte, v *zsetValue) {
	if v.set.Len() == 0 {
		x.del(key)
		x.notify(notifyGeneric, "del", key)
	}
}

// ---------------------------------------------------------------------------
// Numbers and ranges.

// zisspace is C's isspace in the C locale.
func zisspace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func zisdigit(c byte) bool { return c >= '0' && c <= '9' }

func zisxdigit(c byte) bool {
	return zisdigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// zhasPrefixFold reports whether b starts with the lower-case word p, ASCII
// case ignored, as strncasecmp does.
func zhasPrefixFold(b []byte, p string) bool {
	return len(b) >= len(p) && asciiEqualFold(b[:len(p)], p)
}

// zstrtod reads the longest prefix of b that C's strtod converts: leading
// white space, a sign, then a decimal or hexadecimal number, "inf",
// "infinity" or "nan". It returns the value, how many bytes of b the
// conversion took (0 when there is none, even after white space, as strtod
// leaves its end pointer at the start), and whether strtod reports ERANGE
// with a result Redis rejects: an overflow to infinity or an underflow all
// the way to zero.
func zstrtod(b []byte) (f float64, n int, erange bool) {
	i := 0
	for i < len(b) && zisspace(b[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	switch {
	case zhasPrefixFold(b[i:], "inf"):
		j := i + 3
		if zhasPrefixFold(b[j:], "inity") {
			j += 5
		}
		if neg {
			return math.Inf(-1), j, false
		}
		return math.Inf(1), j, false
	case zhasPrefixFold(b[i:], "nan"):
		j := i + 3
		if j < len(b) && b[j] == '(' {
			k := j + 1
			for k < len(b) && (zisdigit(b[k]) || b[k] == '_' || (b[k]|0x20 >= 'a' && b[k]|0x20 <= 'z')) {
				k++
			}
			if k < len(b) && b[k] == ')' {
				j = k + 1
			}
		}
		return math.NaN(), j, false
	case i+1 < len(b) && b[i] == '0' && b[i+1]|0x20 == 'x':
		if f, n, erange, ok := zstrtodHex(b, i+2, neg); ok {
			return f, n, erange
		}
		// "0x" without hexadecimal digits: strtod takes the "0".
		if neg {
			return math.Copysign(0, -1), i + 1, false
		}
		return 0, i + 1, false
	}
	j, digits, nonzero := zscanMantissa(b, i, zisdigit)
	if digits == 0 {
		return 0, 0, false
	}
	j = zskipExponent(b, j, 'e')
	f, err := strconv.ParseFloat(string(b[start:j]), 64)
	return f, j, err != nil || (f == 0 && nonzero)
}

// zstrtodHex reads a hexadecimal float whose digits start at b[i], after
// "0x"; ok is false when there are no digits.
func zstrtodHex(b []byte, i int, neg bool) (f float64, n int, erange, ok bool) {
	j, digits, nonzero := zscanMantissa(b, i, zisxdigit)
	if digits == 0 {
		return 0, 0, false, false
	}
	mant := b[i:j]
	exp := []byte("0")
	if k := zskipExponent(b, j, 'p'); k != j {
		exp = b[j+1 : k]
		j = k
	}
	// Go reads hexadecimal floats only with an exponent: spell one out.
	s := make([]byte, 0, len(mant)+len(exp)+4)
	if neg {
		s = append(s, '-')
	}
	s = append(s, "0x"...)
	s = append(s, mant...)
	s = append(s, 'p')
	s = append(s, exp...)
	f, err := strconv.ParseFloat(string(s), 64)
	return f, j, err != nil || (f == 0 && nonzero), true
}

// zscanMantissa reads what strtod takes as a mantissa from b[i:]: digits
// (as isDigit says), then optionally a point and more digits. It returns
// where it stopped, how many digits it read and whether one was not '0'
// (a zero result is then an underflow).
func zscanMantissa(b []byte, i int, isDigit func(byte) bool) (j, digits int, nonzero bool) {
	j = i
	for j < len(b) && isDigit(b[j]) {
		nonzero = nonzero || b[j] != '0'
		j++
		digits++
	}
	if j < len(b) && b[j] == '.' {
		j++
		for j < len(b) && isDigit(b[j]) {
			nonzero = nonzero || b[j] != '0'
			j++
			digits++
		}
	}
	return j, digits, nonzero
}

// zskipExponent returns the end of the exponent b[j] starts, marker ('e'
// or 'p', any case) then an optional sign and decimal digits; j itself
// when there is none, as strtod then leaves the marker unread.
func zskipExponent(b []byte, j int, marker byte) int {
	if j >= len(b) || b[j]|0x20 != marker {
		return j
	}
	k := j + 1
	if k < len(b) && (b[k] == '+' || b[k] == '-') {
		k++
	}
	if k >= len(b) || !zisdigit(b[k]) {
		return j
	}
	for k < len(b) && zisdigit(b[k]) {
		k++
	}
	return k
}

// zparseScore reads a score, increment or weight as Redis's
// getDoubleFromObject does: strtod over the whole argument, no leading
// white space, no NaN, no overflow, no underflow to zero.
func zparseScore(b []byte) (float64, bool) {
	if v, ok := parseInt(b); ok {
		return float64(v), true
	}
	if len(b) == 0 || zisspace(b[0]) {
		return 0, false
	}
	f, n, erange := zstrtod(b)
	if n != len(b) || erange || f != f {
		return 0, false
	}
	return f, true
}

// zparseScoreBound reads one end of a score range as Redis's
// zslParseRange does: "(" makes it exclusive, the rest goes to strtod,
// which may leave nothing but a NUL unread (so "" is 0), and only NaN is
// refused.
func zparseScoreBound(b []byte) (zset.ScoreBound, bool) {
	var sb zset.ScoreBound
	if len(b) > 0 && b[0] == '(' {
		sb.Exclusive = true
		b = b[1:]
	}
	f, n, _ := zstrtod(b)
	if (n < len(b) && b[n] != 0) || f != f {
		return sb, false
	}
	sb.Value = f
	return sb, true
}

func zparseScoreRange(min, max []byte) (lo, hi zset.ScoreBound, ok bool) {
	lo, ok1 := zparseScoreBound(min)
	hi, ok2 := zparseScoreBound(max)
	return lo, hi, ok1 && ok2
}

// zparseLexBound reads one end of a lex range: "[m" inclusive, "(m"
// exclusive, "-" and "+" the ends of the member space. Like Redis, which
// reads the argument as a C string, "+" and "-" may be followed by a NUL
// and anything after it.
func zparseLexBound(b []byte) (zset.LexBound, bool) {
	if len(b) == 0 {
		return zset.LexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		if len(b) > 1 && b[1] != 0 {
			return zset.LexBound{}, false
		}
		if b[0] == '+' {
			return zset.LexBound{Inf: 1, Exclusive: true}, true
		}
		return zset.LexBound{Inf: -1, Exclusive: true}, true
	case '(':
		return zset.LexBound{Value: b[1:], Exclusive: true}, true
	case '[':
		return zset.LexBound{Value: b[1:]}, true
	}
	return zset.LexBound{}, false
}

func zparseLexRange(min, max []byte) (lo, hi zset.LexBound, ok bool) {
	lo, ok1 := zparseLexBound(min)
	hi, ok2 := zparseLexBound(max)
	return lo, hi, ok1 && ok2
}

// zlexGteMin reports whether m is at or above the range start b.
func zlexGteMin(m string, b zset.LexBound) bool {
	switch {
	case b.Inf < 0:
		return true
	case b.Inf > 0:
		return false
	}
	c := strings.Compare(m, zview(b.Value))
	return c > 0 || (c == 0 && !b.Exclusive)
}

// zlexLteMax reports whether m is at or below the range end b.
func zlexLteMax(m string, b zset.LexBound) bool {
	switch {
	case b.Inf > 0:
		return true
	case b.Inf < 0:
		return false
	}
	c := strings.Compare(m, zview(b.Value))
	return c < 0 || (c == 0 && !b.Exclusive)
}

// zappendScoreText appends a score as Redis's ZSCAN prints it: a listpack
// keeps integral scores within ±2^62 as integers, a skiplist prints every
// score with %.17g.
func zappendScoreText(w *resp.Writer, score float64, listpack bool) {
	var buf [32]byte
	var s []byte
	switch {
	case listpack && score >= -(1<<62) && score <= 1<<62 && score == math.Trunc(score):
		s = strconv.AppendInt(buf[:0], int64(score), 10)
	case math.IsInf(score, 1):
		s = append(buf[:0], "inf"...)
	case math.IsInf(score, -1):
		s = append(buf[:0], "-inf"...)
	default:
		s = strconv.AppendFloat(buf[:0], score, 'g', 17, 64)
	}
	w.AppendBulk(s)
}

// ---------------------------------------------------------------------------
// ZADD, ZINCRBY, ZREM and the single-member reads.

// ZADD options.
const (
	zaddNX = 1 << iota
	zaddXX
	zaddGT
	zaddLT
	zaddIncr
)

// zadd is ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member
// ...] and, with zaddIncr, ZINCRBY key increment member, which Redis runs
// through the same parser.
func zadd(x *Ctx, flags int) {
	args := x.Args
	ch := false
	i := 2
options:
	for ; i < len(args); i++ {
		o := args[i]
		if len(o) == 0 || o[0]|0x20 < 'a' || o[0]|0x20 > 'z' {
			break // a score: skip the option names
		}
		switch {
		case cmdIs(o, "nx"):
			flags |= zaddNX
		case cmdIs(o, "xx"):
			flags |= zaddXX
		case cmdIs(o, "ch"):
			ch = true
		case cmdIs(o, "incr"):
			flags |= zaddIncr
		case cmdIs(o, "gt"):
			flags |= zaddGT
		case cmdIs(o, "lt"):
			flags |= zaddLT
		default:
			break options
		}
	}
	pairs := len(args) - i
	if pairs == 0 || pairs%2 != 0 {
		x.W.AppendError(errSyntax)
		return
	}
	pairs /= 2
	nx, xx := flags&zaddNX != 0, flags&zaddXX != 0
	gt, lt, incr := flags&zaddGT != 0, flags&zaddLT != 0, flags&zaddIncr != 0
	switch {
	case nx && xx:
		x.W.AppendError(errZNXXX)
		return
	case (gt && nx) || (lt && nx) || (gt && lt):
		x.W.AppendError(errZGTLTNX)
		return
	case incr && pairs > 1:
		x.W.AppendError(errZIncrPair)
		return
	}
	// Every score is checked before anything changes: ZADD runs whole or
	// not at all.
	var buf [8]float64
	scores := buf[:0]
	if pairs > len(buf) {
		scores = make([]float64, 0, pairs)
	}
	for j := 0; j < pairs; j++ {
		f, ok := zparseScore(args[i+2*j])
		if !ok {
			x.W.AppendError(errNotFloat)
			return
		}
		scores = append(scores, f)
	}
	key := args[1]
	e, v, ok := writeAs[*zsetValue](x, key)
	if !ok {
		return
	}
	lim := zsetListpackLimits(x)
	if e == nil {
		if xx {
			if incr {
				x.W.AppendNull()
			} else {
				x.W.AppendInt(0)
			}
			return
		}
		v = &zsetValue{big: !lim.fits(1, len(args[i+1]))}
		x.add(key, v)
	}
	added, updated, processed := 0, 0, 0
	var score float64
	nan := false
	for j, s := range scores {
		m := args[i+2*j+1]
		cur, exists := v.set.Score(m)
		switch {
		case exists:
			if nx {
				continue
			}
			if incr {
				if s += cur; s != s {
					nan = true
				}
			}
			if nan || (lt && s >= cur) || (gt && s <= cur) {
				continue // NaN comes only from INCR, whose pair is the only one
			}
			processed++
			score = s
			if s != cur {
				v.put(m, s)
				v.churn++
				updated++
			}
		case !xx:
			v.addNew(m, s, lim)
			added++
			processed++
			score = s
		}
	}
	switch {
	case nan:
		x.W.AppendError(errZNaN)
	case incr && processed > 0:
		x.W.AppendDouble(score)
	case incr:
		x.W.AppendNull()
	case ch:
		x.W.AppendInt(int64(added + updated))
	default:
		x.W.AppendInt(int64(added))
	}
	if added+updated > 0 {
		event := "zadd"
		if incr {
			event = "zincr"
		}
		zchanged(x, event, key, added+updated)
	}
}

func cmdZRem(x *Ctx) {
	key := x.Args[1]
	e, v, ok := writeAs[*zsetValue](x, key)
	switch {
	case !ok:
		return
	case e == nil:
		x.W.AppendInt(0)
		return
	}
	deleted := 0
	for _, m := range x.Args[2:] {
		if v.set.Remove(m) {
			deleted++
			v.churn++
		}
		if v.set.Len() == 0 {
			break // Redis stops at an empty set: the rest cannot match
		}
	}
	if deleted > 0 {
		zchanged(x, "zrem", key, deleted)
		zdropIfEmpty(x, key, v)
	}
	x.W.AppendInt(int64(deleted))
}

func cmdZCard(x *Ctx) {
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendInt(0)
	default:
		x.W.AppendInt(int64(v.set.Len()))
	}
}

func cmdZScore(x *Ctx) {
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	if !ok {
		return
	}
	if e != nil {
		if s, found := v.set.Score(x.Args[2]); found {
			x.W.AppendDouble(s)
			return
		}
	}
	x.W.AppendNull()
}

func cmdZMScore(x *Ctx) {
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	if !ok {
		return
	}
	x.W.AppendArray(len(x.Args) - 2)
	for _, m := range x.Args[2:] {
		if e != nil {
			if s, found := v.set.Score(m); found {
				x.W.AppendDouble(s)
				continue
			}
		}
		x.W.AppendNull()
	}
}

func zrank(x *Ctx, reverse bool) {
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	if !ok {
		return
	}
	if e != nil {
		if r, found := v.set.Rank(x.Args[2]); found {
			if reverse {
				r = v.set.Len() - 1 - r
			}
			x.W.AppendInt(int64(r))
			return
		}
	}
	x.W.AppendNull()
}

func cmdZCount(x *Ctx) {
	lo, hi, ok := zparseScoreRange(x.Args[2], x.Args[3])
	if !ok {
		x.W.AppendError(errZMinMax)
		return
	}
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendInt(0)
	default:
		x.W.AppendInt(int64(v.set.CountInScoreRange(lo, hi)))
	}
}

func cmdZLexCount(x *Ctx) {
	lo, hi, ok := zparseLexRange(x.Args[2], x.Args[3])
	if !ok {
		x.W.AppendError(errZLexRange)
		return
	}
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendInt(0)
	default:
		x.W.AppendInt(int64(v.set.CountInLexRange(lo, hi)))
	}
}

// ---------------------------------------------------------------------------
// ZRANGE and friends.

// Range kinds and directions, as zrangeGenericCommand takes them: the
// deprecated commands fix one or both, ZRANGE reads them from its options.
const (
	zrAuto = iota
	zrRank
	zrScore
	zrLex
)

const (
	zdirAuto = iota
	zdirFwd
	zdirRev
)

// zrangeOut receives a range: the client's reply, or the set ZRANGESTORE
// builds.
type zrangeOut struct {
	w          *resp.Writer
	withscores bool
	store      *zsetValue // ZRANGESTORE's new value; nil for a reply
	lim        zsetLimits
	n          int
}

// begin starts a reply of n members.
func (o *zrangeOut) begin(n int) {
	if o.store != nil {
		return
	}
	if o.withscores && o.w.Proto() == 2 {
		n *= 2
	}
	o.w.AppendArray(n)
}

func (o *zrangeOut) emit(m string, s float64) {
	o.n++
	if o.store != nil {
		o.store.addNew(zbytes(m), s, o.lim)
		return
	}
	if o.withscores && o.w.Proto() > 2 {
		o.w.AppendArray(2)
	}
	o.w.AppendBulkString(m)
	if o.withscores {
		o.w.AppendDouble(s)
	}
}

// zemitRun sends n members from rank start, downwards when reverse.
func zemitRun(v *zsetValue, start int, reverse bool, n int, out *zrangeOut) {
	if n <= 0 {
		return
	}
	k := 0
	v.set.Range(start, reverse, func(m string, s float64) bool {
		out.emit(m, s)
		k++
		return k < n
	})
}

// zlimitRun applies LIMIT offset count to a run of cnt members: how many
// remain. A negative offset makes Redis walk off the end; a negative count
// means no limit.
func zlimitRun(cnt int, offset, limit int64) int {
	if offset < 0 || offset >= int64(cnt) {
		return 0
	}
	n := cnt - int(offset)
	if limit >= 0 && limit < int64(n) {
		n = int(limit)
	}
	return n
}

// zrange is Redis's zrangeGenericCommand: ZRANGE, ZRANGESTORE, ZREVRANGE,
// Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX. at is the source key's index;
// the options follow min and max.
func zrange(x *Ctx, at int, store bool, kind, dir int) {
	args := x.Args
	minIdx, maxIdx := at+1, at+2
	var offset int64
	limit := int64(-1)
	withscores := false
	for j := at + 3; j < len(args); j++ {
		o := args[j]
		switch {
		case !store && cmdIs(o, "withscores"):
			withscores = true
		case cmdIs(o, "limit") && len(args)-j-1 >= 2:
			var ok bool
			if offset, ok = x.intArg(args[j+1]); !ok {
				return
			}
			if limit, ok = x.intArg(args[j+2]); !ok {
				return
			}
			j += 2
		case dir == zdirAuto && cmdIs(o, "rev"):
			dir = zdirRev
		case kind == zrAuto && cmdIs(o, "bylex"):
			kind = zrLex
		case kind == zrAuto && cmdIs(o, "byscore"):
			kind = zrScore
		default:
			x.W.AppendError(errSyntax)
			return
		}
	}
	if kind == zrAuto {
		kind = zrRank
	}
	rev := dir == zdirRev
	switch {
	case limit != -1 && kind == zrRank:
		x.W.AppendError(errZLimitRank)
		return
	case withscores && kind == zrLex:
		x.W.AppendError(errZLexScores)
		return
	}
	if rev && kind != zrRank {
		minIdx, maxIdx = maxIdx, minIdx // given as max, min
	}
	var start, end int64
	var slo, shi zset.ScoreBound
	var llo, lhi zset.LexBound
	switch kind {
	case zrRank:
		var ok bool
		if start, ok = x.intArg(args[minIdx]); !ok {
			return
		}
		if end, ok = x.intArg(args[maxIdx]); !ok {
			return
		}
	case zrScore:
		var ok bool
		if slo, shi, ok = zparseScoreRange(args[minIdx], args[maxIdx]); !ok {
			x.W.AppendError(errZMinMax)
			return
		}
	case zrLex:
		var ok bool
		if llo, lhi, ok = zparseLexRange(args[minIdx], args[maxIdx]); !ok {
			x.W.AppendError(errZLexRange)
			return
		}
	}
	e, v, ok := readAs[*zsetValue](x, args[at])
	if !ok {
		return
	}
	out := &zrangeOut{w: x.W, withscores: withscores}
	if store {
		out.store, out.lim = &zsetValue{}, zsetListpackLimits(x)
	}
	if e != nil {
		switch kind {
		case zrRank:
			zrangeByRank(v, start, end, rev, out)
		case zrScore:
			zrangeByScore(v, slo, shi, offset, limit, rev, out)
		case zrLex:
			zrangeByLex(v, llo, lhi, offset, limit, rev, out)
		}
	} else if !store {
		x.W.AppendArray(0)
	}
	if store {
		zstoreResult(x, args[1], out.store, out.n, "zrangestore")
	}
}

func zrangeByRank(v *zsetValue, start, end int64, rev bool, out *zrangeOut) {
	llen := int64(v.set.Len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	start = max(start, 0)
	if start > end || start >= llen {
		out.begin(0)
		return
	}
	end = min(end, llen-1)
	n := int(end - start + 1)
	first := int(start)
	if rev {
		first = int(llen - 1 - start)
	}
	out.begin(n)
	zemitRun(v, first, rev, n, out)
}

func zrangeByScore(v *zsetValue, lo, hi zset.ScoreBound, offset, limit int64, rev bool, out *zrangeOut) {
	cnt := v.set.CountInScoreRange(lo, hi)
	n := zlimitRun(cnt, offset, limit)
	out.begin(n)
	if n == 0 {
		return
	}
	if rev {
		last, _ := v.set.LastInScoreRange(lo, hi)
		zemitRun(v, last-int(offset), true, n, out)
		return
	}
	first, _ := v.set.FirstInScoreRange(lo, hi)
	zemitRun(v, first+int(offset), false, n, out)
}

// zrangeByLex walks as Redis walks a listpack: from the first member in
// range, skip offset members unchecked, then take members while they stay
// within the far end of the range. With mixed scores the members skipped
// and the ones after need not be in member order, so the reply length is
// found by a first walk.
func zrangeByLex(v *zsetValue, lo, hi zset.LexBound, offset, limit int64, rev bool, out *zrangeOut) {
	var r int
	var found bool
	if rev {
		r, found = v.set.LastInLexRange(lo, hi)
	} else {
		r, found = v.set.FirstInLexRange(lo, hi)
	}
	if !found || offset < 0 || offset >= int64(v.set.Len()) {
		out.begin(0)
		return
	}
	start := r + int(offset)
	if rev {
		start = r - int(offset)
	}
	n := 0
	v.set.Range(start, rev, func(m string, _ float64) bool {
		if limit >= 0 && int64(n) >= limit {
			return false
		}
		if rev && !zlexGteMin(m, lo) || !rev && !zlexLteMax(m, hi) {
			return false
		}
		n++
		return true
	})
	out.begin(n)
	if start >= 0 {
		zemitRun(v, start, rev, n, out)
	}
}

// zstoreResult finishes a command that stores a new set at dst: the set
// replaces whatever dst held, or, when empty, dst is deleted.
func zstoreResult(x *Ctx, dst []byte, v *zsetValue, n int, event string) {
	if n > 0 {
		x.set(dst, v, false)
		x.changed(notifyZSet, event, dst)
		x.W.AppendInt(int64(n))
		return
	}
	x.W.AppendInt(0)
	if x.del(dst) {
		x.changed(notifyGeneric, "del", dst)
	}
}

// zremrange is ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
func zremrange(x *Ctx, kind int) {
	args := x.Args
	var start, end int64
	var slo, shi zset.ScoreBound
	var llo, lhi zset.LexBound
	var event string
	switch kind {
	case zrRank:
		event = "zremrangebyrank"
		var ok bool
		if start, ok = x.intArg(args[2]); !ok {
			return
		}
		if end, ok = x.intArg(args[3]); !ok {
			return
		}
	case zrScore:
		event = "zremrangebyscore"
		var ok bool
		if slo, shi, ok = zparseScoreRange(args[2], args[3]); !ok {
			x.W.AppendError(errZMinMax)
			return
		}
	default:
		event = "zremrangebylex"
		var ok bool
		if llo, lhi, ok = zparseLexRange(args[2], args[3]); !ok {
			x.W.AppendError(errZLexRange)
			return
		}
	}
	key := args[1]
	e, v, ok := writeAs[*zsetValue](x, key)
	switch {
	case !ok:
		return
	case e == nil:
		x.W.AppendInt(0)
		return
	}
	var first, cnt int
	switch kind {
	case zrRank:
		llen := int64(v.set.Len())
		if start < 0 {
			start += llen
		}
		if end < 0 {
			end += llen
		}
		start = max(start, 0)
		if start > end || start >= llen {
			x.W.AppendInt(0)
			return
		}
		end = min(end, llen-1)
		first, cnt = int(start), int(end-start+1)
	case zrScore:
		if cnt = v.set.CountInScoreRange(slo, shi); cnt > 0 {
			first, _ = v.set.FirstInScoreRange(slo, shi)
		}
	default:
		if cnt = v.set.CountInLexRange(llo, lhi); cnt > 0 {
			first, _ = v.set.FirstInLexRange(llo, lhi)
		}
	}
	if cnt > 0 {
		v.set.DeleteRangeByRank(first, first+cnt-1, nil)
		v.churn += uint64(cnt)
		zchanged(x, event, key, cnt)
		zdropIfEmpty(x, key, v)
	}
	x.W.AppendInt(int64(cnt))
}

// ---------------------------------------------------------------------------
// Pops, blocking pops, ZRANDMEMBER.

// zpopFrom pops up to count members (count -1: one, as a plain pop) from
// the lowest or highest end of v at key and replies as Redis's
// genericZpopCommand does: emitKey puts the key first (BZPOP*, ZMPOP),
// nested makes [member, score] pairs (RESP3 ZPOP* with a count, ZMPOP).
func zpopFrom(x *Ctx, key []byte, v *zsetValue, highest, emitKey bool, count int64, nested bool) {
	if count == -1 {
		count = 1
	}
	size := v.set.Len()
	n := int(min(count, int64(size)))
	w := x.W
	switch {
	case !nested && !emitKey:
		w.AppendArray(2 * n)
	case nested && !emitKey:
		w.AppendArray(n)
	case !nested && emitKey:
		w.AppendArray(2*n + 1)
		w.AppendBulk(key)
	default:
		w.AppendArray(2)
		w.AppendBulk(key)
		w.AppendArray(n)
	}
	start := 0
	if highest {
		start = size - 1
	}
	k := 0
	v.set.Range(start, highest, func(m string, s float64) bool {
		if nested {
			w.AppendArray(2)
		}
		w.AppendBulkString(m)
		w.AppendDouble(s)
		k++
		return k < n
	})
	if highest {
		v.set.DeleteRangeByRank(size-n, size-1, nil)
	} else {
		v.set.DeleteRangeByRank(0, n-1, nil)
	}
	v.churn += uint64(n)
	event := "zpopmin"
	if highest {
		event = "zpopmax"
	}
	zchanged(x, event, key, n)
	zdropIfEmpty(x, key, v)
}

// zpopKeys pops from the first of keys that exists. nilWhenEmpty replies
// a null array when none does (ZMPOP) rather than an empty one (ZPOP*).
func zpopKeys(x *Ctx, keys [][]byte, highest, emitKey bool, count int64, nested, nilWhenEmpty bool) {
	for _, key := range keys {
		e, v, ok := writeAs[*zsetValue](x, key)
		if !ok {
			return
		}
		if e == nil {
			continue
		}
		if count == 0 {
			x.W.AppendArray(0)
			return
		}
		zpopFrom(x, key, v, highest, emitKey, count, nested)
		return
	}
	if nilWhenEmpty {
		x.W.AppendNullArray()
	} else {
		x.W.AppendArray(0)
	}
}

// zpopCommand is ZPOPMIN and ZPOPMAX key [count].
func zpopCommand(x *Ctx, highest bool) {
	args := x.Args
	if len(args) > 3 {
		x.W.AppendError(errSyntax)
		return
	}
	count := int64(-1)
	if len(args) == 3 {
		c, ok := parseInt(args[2])
		if !ok || c < 0 {
			x.W.AppendError(errZPositive)
			return
		}
		count = c
	}
	zpopKeys(x, args[1:2], highest, false, count, x.W.Proto() > 2 && count != -1, false)
}

// bzpopCommand is BZPOPMIN and BZPOPMAX key [key ...] timeout.
func bzpopCommand(x *Ctx, highest bool) {
	args := x.Args
	timeout, ok := x.parseTimeout(args[len(args)-1])
	if !ok {
		return
	}
	zblockingPop(x, args[1:len(args)-1], timeout, highest, -1, false)
}

// zblockingPop pops from the first of keys holding a set, or blocks until
// one does. nested is BZMPOP's reply shape (with a null array for nothing)
// rather than BZPOP*'s [key, member, score].
func zblockingPop(x *Ctx, keys [][]byte, timeout time.Duration, highest bool, count int64, nested bool) {
	for _, key := range keys {
		e, v, ok := writeAs[*zsetValue](x, key)
		if !ok {
			return
		}
		if e == nil || v.set.Len() == 0 {
			continue
		}
		zpopFrom(x, key, v, highest, true, count, nested)
		return
	}
	if !x.mayBlock() {
		// Inside MULTI a blocking pop that finds nothing times out at once.
		x.W.AppendNullArray()
		return
	}
	x.block(keys, timeout, func(x *Ctx, key []byte) bool {
		e := x.lookup(key)
		if e == nil {
			return false
		}
		v, ok := e.Value.val.(*zsetValue)
		if !ok || v.set.Len() == 0 {
			return false // another type: clients of that type are served instead
		}
		zpopFrom(x, key, v, highest, true, count, nested)
		return true
	}, func(w *resp.Writer) { w.AppendNullArray() })
}

// zmpop is ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] and, with
// block, BZMPOP timeout numkeys ...; numIdx is where numkeys is.
func zmpop(x *Ctx, numIdx int, block bool) {
	args := x.Args
	nk, ok := parseInt(args[numIdx])
	if !ok || nk < 1 {
		x.W.AppendError(errZNumkeys)
		return
	}
	if nk >= int64(len(args)) || numIdx+int(nk)+1 >= len(args) {
		x.W.AppendError(errSyntax)
		return
	}
	whereIdx := numIdx + int(nk) + 1
	var highest bool
	switch {
	case cmdIs(args[whereIdx], "min"):
	case cmdIs(args[whereIdx], "max"):
		highest = true
	default:
		x.W.AppendError(errSyntax)
		return
	}
	count := int64(-1)
	for j := whereIdx + 1; j < len(args); j++ {
		if count != -1 || !cmdIs(args[j], "count") || j == len(args)-1 {
			x.W.AppendError(errSyntax)
			return
		}
		j++
		c, ok := parseInt(args[j])
		if !ok || c < 1 {
			x.W.AppendError(errZCount)
			return
		}
		count = c
	}
	if count == -1 {
		count = 1
	}
	keys := args[numIdx+1 : whereIdx]
	if !block {
		zpopKeys(x, keys, highest, true, count, true, true)
		return
	}
	timeout, ok := x.parseTimeout(args[1])
	if !ok {
		return
	}
	zblockingPop(x, keys, timeout, highest, count, true)
}

// cmdZRandMember is ZRANDMEMBER key [count [WITHSCORES]].
func cmdZRandMember(x *Ctx) {
	args := x.Args
	if len(args) >= 3 {
		l, ok := x.intArg(args[2])
		if !ok {
			return
		}
		if l == math.MinInt64 {
			x.W.AppendError(errZRandRange)
			return
		}
		if len(args) > 4 || (len(args) == 4 && !cmdIs(args[3], "withscores")) {
			x.W.AppendError(errSyntax)
			return
		}
		zrandWithCount(x, l, len(args) == 4)
		return
	}
	e, v, ok := readAs[*zsetValue](x, args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendNull()
	default:
		m, _ := v.set.ByRank(rand.IntN(v.set.Len()))
		x.W.AppendBulkString(m)
	}
}

// zrandWithCount follows Redis's cases: a negative count (or 1) picks
// with repetition; a count covering the set returns it all, highest score
// first, as Redis walks it from the tail; otherwise distinct members are
// sampled.
func zrandWithCount(x *Ctx, l int64, withscores bool) {
	if withscores && (l < -math.MaxInt64/2 || l > math.MaxInt64/2) {
		// Redis refuses counts whose member-score pairs would overflow.
		x.W.AppendError(errZRandOverflow)
		return
	}
	e, v, ok := readAs[*zsetValue](x, x.Args[1])
	switch {
	case !ok:
		return
	case e == nil || l == 0:
		x.W.AppendArray(0)
		return
	}
	w := x.W
	pair := func(m string, s float64) {
		if withscores && w.Proto() > 2 {
			w.AppendArray(2)
		}
		w.AppendBulkString(m)
		if withscores {
			w.AppendDouble(s)
		}
	}
	header := func(n uint64) {
		if withscores && w.Proto() == 2 {
			n *= 2
		}
		w.AppendArray(int(n))
	}
	size := v.set.Len()
	if l < 0 || l == 1 {
		count := uint64(l)
		if l < 0 {
			count = uint64(-l)
		}
		header(count)
		for k := uint64(0); k < count; k++ {
			if k&1023 == 1023 && w.Err() != nil {
				return // the client is gone: stop writing a reply nobody reads
			}
			pair(v.set.ByRank(rand.IntN(size)))
		}
		return
	}
	if l >= int64(size) {
		header(uint64(size))
		v.set.Range(size-1, true, func(m string, s float64) bool {
			pair(m, s)
			return true
		})
		return
	}
	count := int(l)
	header(uint64(count))
	var ranks []int
	if count*3 > size {
		// Most of the set: a partial shuffle of every rank.
		ranks = shuffledIndexes(size, count)
	} else {
		// A small part: Floyd's sampling. A listpack returns its sample in
		// set order, a skiplist in the order it was drawn.
		picked := make(map[int]struct{}, count)
		ranks = make([]int, 0, count)
		for j := size - count; j < size; j++ {
			t := rand.IntN(j + 1)
			if _, dup := picked[t]; dup {
				t = j
			}
			picked[t] = struct{}{}
			ranks = append(ranks, t)
		}
		if !v.big {
			slices.Sort(ranks)
		}
	}
	for _, r := range ranks {
		pair(v.set.ByRank(r))
	}
}

// ---------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD.

const (
	zopUnion = iota
	zopInter
	zopDiff
)

const (
	zaggSum = iota
	zaggMin
	zaggMax
)

// zsrc is one input of a set operation: a sorted set, a plain set (every
// member with score 1), or nothing (a missing key).
type zsrc struct {
	z      *zsetValue
	s      *setValue
	weight float64
}

func (s *zsrc) len() int {
	switch {
	case s.z != nil:
		return s.z.set.Len()
	case s.s != nil:
		return s.s.len()
	}
	return 0
}

func (s *zsrc) find(m string) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.set.Score(zbytes(m))
	case s.s != nil:
		return 1, s.s.has(zbytes(m))
	}
	return 0, false
}

func (s *zsrc) each(fn func(m string, score float64) bool) {
	switch {
	case s.z != nil:
		s.z.set.Range(0, false, fn)
	case s.s != nil:
		for m := range s.s.all() {
			// The bytes are the set's buffer: keep a copy.
			if !fn(string(m), 1) {
				return
			}
		}
	}
}

// zaggregate folds v into *t. A sum of +inf and -inf is NaN, which Redis
// turns into 0; MIN and MAX keep *t when v is NaN.
func zaggregate(t *float64, v float64, agg int) {
	switch agg {
	case zaggSum:
		if *t += v; *t != *t {
			*t = 0
		}
	case zaggMin:
		if v < *t {
			*t = v
		}
	default:
		if v > *t {
			*t = v
		}
	}
}

// zpair is a member and its score in a computed result.
type zpair struct {
	m string
	s float64
}

func zpairCmp(a, b zpair) int {
	switch {
	case a.s < b.s:
		return -1
	case a.s > b.s:
		return 1
	}
	return strings.Compare(a.m, b.m)
}

// zsetOp is Redis's zunionInterDiffGenericCommand: dst is the destination
// of the STORE forms (nil otherwise), numIdx the index of numkeys, and
// cardOnly makes ZINTER into ZINTERCARD.
func zsetOp(x *Ctx, dst []byte, numIdx int, op int, cardOnly bool) {
	args := x.Args
	nk, ok := x.intArg(args[numIdx])
	if !ok {
		return
	}
	if nk < 1 {
		x.W.AppendError("ERR at least 1 input key is needed for '" + x.cmd.Name + "' command")
		return
	}
	if nk > int64(len(args)-numIdx-1) {
		x.W.AppendError(errSyntax)
		return
	}
	n := int(nk)
	srcs := make([]zsrc, n)
	for i := range srcs {
		srcs[i].weight = 1
		e := x.lookupRead(args[numIdx+1+i])
		if e == nil {
			continue
		}
		switch val := e.Value.val.(type) {
		case *zsetValue:
			srcs[i].z = val
		case *setValue:
			srcs[i].s = val
		default:
			x.W.AppendError(errWrongType)
			return
		}
	}
	agg, withscores := zaggSum, false
	var limit int64
	for j := numIdx + 1 + n; j < len(args); {
		remaining := len(args) - j
		o := args[j]
		switch {
		case op != zopDiff && !cardOnly && remaining >= n+1 && cmdIs(o, "weights"):
			j++
			for i := range srcs {
				w, ok := zparseScore(args[j])
				if !ok {
					x.W.AppendError(errZWeight)
					return
				}
				srcs[i].weight = w
				j++
			}
		case op != zopDiff && !cardOnly && remaining >= 2 && cmdIs(o, "aggregate"):
			switch a := args[j+1]; {
			case cmdIs(a, "sum"):
				agg = zaggSum
			case cmdIs(a, "min"):
				agg = zaggMin
			case cmdIs(a, "max"):
				agg = zaggMax
			default:
				x.W.AppendError(errSyntax)
				return
			}
			j += 2
		case dst == nil && !cardOnly && cmdIs(o, "withscores"):
			withscores = true
			j++
		case cardOnly && remaining >= 2 && cmdIs(o, "limit"):
			l, ok := parseInt(args[j+1])
			if !ok || l < 0 {
				x.W.AppendError(errZLimitNeg)
				return
			}
			limit = l
			j += 2
		default:
			x.W.AppendError(errSyntax)
			return
		}
	}
	if op != zopDiff {
		// Smallest first, as Redis sorts them; the sort is stable, as
		// glibc's merge sort is, so equal sizes keep their order (and a
		// sum its rounding).
		slices.SortStableFunc(srcs, func(a, b zsrc) int { return a.len() - b.len() })
	}
	var out []zpair
	card := int64(0)
	switch op {
	case zopInter:
		first := &srcs[0]
		if first.len() == 0 {
			break
		}
		first.each(func(m string, s float64) bool {
			score := first.weight * s
			if score != score {
				score = 0
			}
			for k := 1; k < n; k++ {
				v, found := srcs[k].find(m)
				if !found {
					return true
				}
				zaggregate(&score, v*srcs[k].weight, agg)
			}
			if cardOnly {
				card++
				return limit == 0 || card < limit
			}
			out = append(out, zpair{m, score})
			return true
		})
	case zopUnion:
		acc := make(map[string]float64, srcs[n-1].len())
		for i := range srcs {
			src := &srcs[i]
			src.each(func(m string, s float64) bool {
				score := src.weight * s
				if score != score {
					score = 0
				}
				if old, found := acc[m]; found {
					zaggregate(&old, score, agg)
					score = old
				}
				acc[m] = score
				return true
			})
		}
		out = make([]zpair, 0, len(acc))
		for m, s := range acc {
			out = append(out, zpair{m, s})
		}
	default:
		srcs[0].each(func(m string, s float64) bool {
			for k := 1; k < n; k++ {
				if _, found := srcs[k].find(m); found {
					return true
				}
			}
			out = append(out, zpair{m, s})
			return true
		})
	}
	if cardOnly {
		x.W.AppendInt(card)
		return
	}
	slices.SortFunc(out, zpairCmp)
	if dst != nil {
		maxLen := 0
		for _, p := range out {
			maxLen = max(maxLen, len(p.m))
		}
		v := &zsetValue{big: !zsetListpackLimits(x).fits(len(out), maxLen)}
		for _, p := range out {
			v.put(zbytes(p.m), p.s)
		}
		zstoreResult(x, dst, v, len(out), [...]string{"zunionstore", "zinterstore", "zdiffstore"}[op])
		return
	}
	w := x.W
	if withscores && w.Proto() == 2 {
		w.AppendArray(2 * len(out))
	} else {
		w.AppendArray(len(out))
	}
	for _, p := range out {
		if withscores && w.Proto() > 2 {
			w.AppendArray(2)
		}
		w.AppendBulkString(p.m)
		if withscores {
			w.AppendDouble(p.s)
		}
	}
}

// ---------------------------------------------------------------------------
// ZSCAN.

// ZSCAN cursors. A listpack-encoded set is returned whole in one call, as
// Redis does. A larger one is walked in set order with a cursor holding
// the next rank (low 40 bits) and the set's churn counter (high 24 bits):
// members removed since the previous call can only have moved the rest
// down by as many ranks as there were removals and score changes, so the
// walk resumes that many ranks earlier. Every member present, at an
// unchanged score, from the start to the end of an iteration is therefore
// returned; some may come twice. A member whose score changes mid-walk may
// move behind the cursor and be missed — Redis, which walks its hash
// table, would still return it.
const (
	zscanRankBits  = 40
	zscanRankMask  = 1<<zscanRankBits - 1
	zscanChurnMask = 1<<(64-zscanRankBits) - 1
)

// zparseCursor reads a cursor as Redis's parseScanCursorOrReply does:
// strtoul in base 10 (a sign is allowed, "-1" wraps), nothing but a NUL
// after it, no leading white space, no overflow.
func zparseCursor(b []byte) (uint64, bool) {
	if len(b) > 0 && zisspace(b[0]) {
		return 0, false
	}
	i, neg := 0, false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var v uint64
	digits := 0
	for ; i < len(b) && zisdigit(b[i]); i++ {
		d := uint64(b[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
		digits++
	}
	if digits == 0 {
		// No conversion: strtoul points back at the start.
		return 0, len(b) == 0 || b[0] == 0
	}
	if i < len(b) && b[i] != 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func cmdZScan(x *Ctx) {
	v, cursor, opt, ok := elemScanStart[*zsetValue](x, zparseCursor)
	if !ok {
		return
	}
	size := v.set.Len()
	start, n, next := 0, size, uint64(0)
	if v.big {
		rank := cursor & zscanRankMask
		if cursor != 0 {
			back := (v.churn - cursor>>zscanRankBits) & zscanChurnMask
			rank -= min(rank, back)
		}
		start = int(min(rank, uint64(size)))
		n = int(min(opt.count, int64(size-start)))
		if start+n < size {
			next = uint64(start+n) | (v.churn&zscanChurnMask)<<zscanRankBits
		}
	}
	var keep []zpair
	if n > 0 {
		v.set.Range(start, false, func(m string, s float64) bool {
			if scanMatches(&opt, zbytes(m)) {
				keep = append(keep, zpair{m, s})
			}
			n--
			return n > 0
		})
	}
	w := x.W
	w.AppendArray(2)
	var cb [20]byte
	w.AppendBulk(strconv.AppendUint(cb[:0], next, 10))
	w.AppendArray(2 * len(keep))
	for _, p := range keep {
		w.AppendBulkString(p.m)
		zappendScoreText(w, p.s, !v.big)
	}
}
