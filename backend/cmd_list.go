package backend

import (
	"bytes"

	"github.com/keyslot/keyslot/internal/resp"
)

// List commands, blocking ones included.
func listCommands() commandSet {
	return commandSet{
		"lpush":      {fn: func(x *Ctx) { cmdPush(x, true, false) }},
		"rpush":      {fn: func(x *Ctx) { cmdPush(x, false, false) }},
		"lpushx":     {fn: func(x *Ctx) { cmdPush(x, true, true) }},
		"rpushx":     {fn: func(x *Ctx) { cmdPush(x, false, true) }},
		"lpop":       {fn: func(x *Ctx) { cmdPop(x, true) }},
		"rpop":       {fn: func(x *Ctx) { cmdPop(x, false) }},
		"llen":       {fn: cmdLLen},
		"lrange":     {fn: cmdLRange},
		"lindex":     {fn: cmdLIndex},
		"lset":       {fn: cmdLSet},
		"linsert":    {fn: cmdLInsert},
		"lrem":       {fn: cmdLRem},
		"ltrim":      {fn: cmdLTrim},
		"lpos":       {fn: cmdLPos},
		"lmove":      {fn: cmdLMove},
		"rpoplpush":  {fn: cmdRPopLPush},
		"lmpop":      {fn: func(x *Ctx) { cmdMPop(x, false) }},
		"blpop":      {fn: func(x *Ctx) { cmdBPop(x, true) }},
		"brpop":      {fn: func(x *Ctx) { cmdBPop(x, false) }},
		"blmove":     {fn: cmdBLMove},
		"brpoplpush": {fn: cmdBRPopLPush},
		"blmpop":     {fn: func(x *Ctx) { cmdMPop(x, true) }},
	}
}

// Error replies of the list commands, Redis 7.0's text.
const (
	errNotPositive = "ERR value is out of range, must be positive"
	errIndexRange  = "ERR index out of range"
	errRankZero    = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	errCountNeg    = "ERR COUNT can't be negative"
	errMaxlenNeg   = "ERR MAXLEN can't be negative"
	errNumkeys     = "ERR numkeys should be greater than 0"
	errCountZero   = "ERR count should be greater than 0"
)

// popEvent and pushEvent name the keyspace events of each end.
func popEvent(front bool) string {
	if front {
		return "lpop"
	}
	return "rpop"
}

func pushEvent(front bool) string {
	if front {
		return "lpush"
	}
	return "rpush"
}

// cmdPush is LPUSH, RPUSH, LPUSHX and RPUSHX.
func cmdPush(x *Ctx, front, onlyExisting bool) {
	key := x.Args[1]
	e, l, ok := writeAs[*listValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		if onlyExisting {
			x.W.AppendInt(0)
			return
		}
		l = &listValue{}
		x.add(key, l)
	}
	for _, v := range x.Args[2:] {
		if front {
			l.pushFront(v)
		} else {
			l.pushBack(v)
		}
	}
	x.W.AppendInt(int64(l.len()))
	x.changed(notifyList, pushEvent(front), key)
	x.s.stats.dirty.Add(int64(len(x.Args) - 3))
}

// listRemoved is Redis's listElementsRemoved: the pop event, the key gone
// once empty, WATCH told, n changes counted.
func listRemoved(x *Ctx, key []byte, l *listValue, front bool, n int) {
	x.notify(notifyList, popEvent(front), key)
	if l.len() == 0 {
		x.db.remove(key)
		x.notify(notifyGeneric, "del", key)
	}
	x.modified(key)
	x.s.stats.dirty.Add(int64(n))
}

// cmdPop is LPOP and RPOP key [count].
func cmdPop(x *Ctx, front bool) {
	if len(x.Args) > 3 {
		x.wrongArgs()
		return
	}
	hasCount := len(x.Args) == 3
	var count int64
	if hasCount {
		var ok bool
		if count, ok = parseInt(x.Args[2]); !ok || count < 0 {
			x.W.AppendError(errNotPositive)
			return
		}
	}
	key := x.Args[1]
	e, l, ok := writeAs[*listValue](x, key)
	switch {
	case !ok:
		return
	case e == nil && hasCount:
		x.W.AppendNullArray()
		return
	case e == nil:
		x.W.AppendNull()
		return
	case hasCount && count == 0:
		x.W.AppendArray(0)
		return
	}
	if !hasCount {
		if front {
			x.W.AppendBulk(l.popFront())
		} else {
			x.W.AppendBulk(l.popBack())
		}
		listRemoved(x, key, l, front, 1)
		return
	}
	n := popRange(x, l, front, count)
	listRemoved(x, key, l, front, n)
}

// popRange replies up to count elements from one end of l, in the order
// they leave it, and removes them; it returns how many went.
func popRange(x *Ctx, l *listValue, front bool, count int64) int {
	n := int(min(count, int64(l.len())))
	x.W.AppendArray(n)
	left := n
	reply := func(v []byte) bool {
		x.W.AppendBulk(v)
		left--
		return left > 0
	}
	if front {
		l.each(0, false, reply)
		l.removeFront(n)
	} else {
		l.each(l.len()-1, true, reply)
		l.removeBack(n)
	}
	return n
}

func cmdLLen(x *Ctx) {
	_, l, ok := readAs[*listValue](x, x.Args[1])
	switch {
	case !ok:
	case l == nil:
		x.W.AppendInt(0)
	default:
		x.W.AppendInt(int64(l.len()))
	}
}

// listRange turns Redis's start and end (negative from the tail) into a
// first index and a count, zero when the range is empty.
func listRange(start, end int64, n int) (int, int) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if end < 0 {
		end += ln
	}
	start = max(start, 0)
	if start > end || start >= ln {
		return 0, 0
	}
	end = min(end, ln-1)
	return int(start), int(end - start + 1)
}

func cmdLRange(x *Ctx) {
	start, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	end, ok := x.intArg(x.Args[3])
	if !ok {
		return
	}
	_, l, ok := readAs[*listValue](x, x.Args[1])
	if !ok {
		return
	}
	if l == nil {
		x.W.AppendArray(0)
		return
	}
	first, n := listRange(start, end, l.len())
	x.W.AppendArray(n)
	if n == 0 {
		return
	}
	l.each(first, false, func(v []byte) bool {
		x.W.AppendBulk(v)
		n--
		return n > 0
	})
}

// listIndex resolves an index, negative from the tail; ok is false when it
// is outside the list.
func listIndex(i int64, n int) (int, bool) {
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		return 0, false
	}
	return int(i), true
}

func cmdLIndex(x *Ctx) {
	e, l, ok := readAs[*listValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendNull()
		return
	}
	i, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	idx, ok := listIndex(i, l.len())
	if !ok {
		x.W.AppendNull()
		return
	}
	x.W.AppendBulk(l.index(idx))
}

func cmdLSet(x *Ctx) {
	key := x.Args[1]
	e, l, ok := writeAs[*listValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendError(errNoSuchKey)
		return
	}
	i, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	idx, ok := listIndex(i, l.len())
	if !ok {
		x.W.AppendError(errIndexRange)
		return
	}
	l.set(idx, x.Args[3])
	x.W.AppendSimple("OK")
	x.changed(notifyList, "lset", key)
}

// cmdLInsert is LINSERT key BEFORE|AFTER pivot element.
func cmdLInsert(x *Ctx) {
	var after bool
	switch {
	case cmdIs(x.Args[2], "after"):
		after = true
	case cmdIs(x.Args[2], "before"):
	default:
		x.W.AppendError(errSyntax)
		return
	}
	key := x.Args[1]
	e, l, ok := writeAs[*listValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	pivot, at := x.Args[3], -1
	i := 0
	l.each(0, false, func(v []byte) bool {
		if bytes.Equal(v, pivot) {
			at = i
			return false
		}
		i++
		return true
	})
	if at < 0 {
		x.W.AppendInt(-1)
		return
	}
	if after {
		at++
	}
	l.insert(at, x.Args[4])
	x.changed(notifyList, "linsert", key)
	x.W.AppendInt(int64(l.len()))
}

// cmdLRem is LREM key count element: count > 0 removes from the head,
// count < 0 from the tail, 0 all.
func cmdLRem(x *Ctx) {
	count, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	key := x.Args[1]
	e, l, ok := writeAs[*listValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	fromBack := count < 0
	limit := count
	if fromBack {
		// -MinInt64 overflows to itself, which Redis then never reaches:
		// every match goes.
		limit = -count
		if limit < 0 {
			limit = 0
		}
	}
	removed := l.removeEqual(x.Args[3], int(limit), fromBack)
	if removed > 0 {
		x.changed(notifyList, "lrem", key)
		x.s.stats.dirty.Add(int64(removed - 1))
	}
	if l.len() == 0 {
		x.db.remove(key)
		x.notify(notifyGeneric, "del", key)
	}
	x.W.AppendInt(int64(removed))
}

func cmdLTrim(x *Ctx) {
	start, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	end, ok := x.intArg(x.Args[3])
	if !ok {
		return
	}
	key := x.Args[1]
	e, l, ok := writeAs[*listValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendSimple("OK")
		return
	}
	n := l.len()
	first, keep := listRange(start, end, n)
	l.removeBack(n - first - keep)
	l.removeFront(first)
	x.modified(key)
	x.notify(notifyList, "ltrim", key)
	x.s.stats.dirty.Add(int64(n - keep))
	if l.len() == 0 {
		x.db.remove(key)
		x.notify(notifyGeneric, "del", key)
	}
	x.W.AppendSimple("OK")
}

// cmdLPos is LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len].
func cmdLPos(x *Ctx) {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	opts := x.Args[3:]
	for i := 0; i < len(opts); i++ {
		more := i+1 < len(opts)
		var ok bool
		switch {
		case cmdIs(opts[i], "rank") && more:
			i++
			if rank, ok = x.intArg(opts[i]); !ok {
				return
			}
			if rank == 0 {
				x.W.AppendError(errRankZero)
				return
			}
		case cmdIs(opts[i], "count") && more:
			i++
			if count, ok = parseInt(opts[i]); !ok || count < 0 {
				x.W.AppendError(errCountNeg)
				return
			}
		case cmdIs(opts[i], "maxlen") && more:
			i++
			if maxlen, ok = parseInt(opts[i]); !ok || maxlen < 0 {
				x.W.AppendError(errMaxlenNeg)
				return
			}
		default:
			x.W.AppendError(errSyntax)
			return
		}
	}
	fromBack := rank < 0
	if fromBack {
		// As in Redis, -MinInt64 stays negative: the first match counts.
		rank = -rank
	}
	_, l, ok := readAs[*listValue](x, x.Args[1])
	if !ok {
		return
	}
	if l == nil {
		if count != -1 {
			x.W.AppendArray(0)
		} else {
			x.W.AppendNull()
		}
		return
	}
	elem := x.Args[2]
	n := int64(l.len())
	var found []int64
	var matches, scanned int64
	start := 0
	if fromBack {
		start = int(n - 1)
	}
	l.each(start, fromBack, func(v []byte) bool {
		if maxlen != 0 && scanned >= maxlen {
			return false
		}
		idx := scanned
		if fromBack {
			idx = n - 1 - scanned
		}
		scanned++
		if !bytes.Equal(v, elem) {
			return true
		}
		matches++
		if matches < rank {
			return true
		}
		found = append(found, idx)
		return count > 0 && matches-rank+1 < count || count == 0
	})
	if count == -1 {
		if len(found) == 0 {
			x.W.AppendNull()
		} else {
			x.W.AppendInt(found[0])
		}
		return
	}
	x.W.AppendArray(len(found))
	for _, idx := range found {
		x.W.AppendInt(idx)
	}
}

// listEnd reads LEFT or RIGHT; true is LEFT (the head).
func listEnd(x *Ctx, arg []byte) (front, ok bool) {
	switch {
	case cmdIs(arg, "left"):
		return true, true
	case cmdIs(arg, "right"):
		return false, true
	}
	x.W.AppendError(errSyntax)
	return false, false
}

func cmdLMove(x *Ctx) {
	from, ok := listEnd(x, x.Args[3])
	if !ok {
		return
	}
	to, ok := listEnd(x, x.Args[4])
	if !ok {
		return
	}
	lmoveCommand(x, from, to)
}

func cmdRPopLPush(x *Ctx) { lmoveCommand(x, false, true) }

// lmoveCommand is LMOVE and RPOPLPUSH once the ends are known.
func lmoveCommand(x *Ctx, from, to bool) {
	src := x.Args[1]
	e, l, ok := writeAs[*listValue](x, src)
	switch {
	case !ok:
	case e == nil:
		x.W.AppendNull()
	default:
		lmove(x, src, l, x.Args[2], from, to)
	}
}

// lmove moves one element from the end from of the non-empty list l at src
// to the end to of the list at dst, creating it, and replies the element.
// A dst of another type gets WRONGTYPE and nothing moves.
func lmove(x *Ctx, src []byte, l *listValue, dst []byte, from, to bool) {
	de, dl, ok := writeAs[*listValue](x, dst)
	if !ok {
		return
	}
	// Push before popping: when src is dst the list never passes through
	// empty, and the element's bytes stay where they are until the reply.
	v := l.back()
	if from {
		v = l.front()
	}
	if de == nil {
		dl = &listValue{}
		x.add(dst, dl)
	}
	x.modified(dst)
	if to {
		dl.pushFront(v)
	} else {
		dl.pushBack(v)
	}
	x.notify(notifyList, pushEvent(to), dst)
	x.W.AppendBulk(v)
	if from {
		l.popFront()
	} else {
		l.popBack()
	}
	listRemoved(x, src, l, from, 1)
}

// cmdMPop is LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] and
// BLMPOP timeout numkeys ...
func cmdMPop(x *Ctx, blocking bool) {
	at := 1
	if blocking {
		at = 2
	}
	numkeys, ok := parseInt(x.Args[at])
	if !ok || numkeys < 1 {
		x.W.AppendError(errNumkeys)
		return
	}
	if numkeys >= int64(len(x.Args)-at-1) {
		x.W.AppendError(errSyntax)
		return
	}
	keys := x.Args[at+1 : at+1+int(numkeys)]
	rest := x.Args[at+1+int(numkeys):]
	front, ok := listEnd(x, rest[0])
	if !ok {
		return
	}
	count := int64(-1)
	for i := 1; i < len(rest); i++ {
		if count == -1 && cmdIs(rest[i], "count") && i+1 < len(rest) {
			i++
			if count, ok = parseInt(rest[i]); !ok || count < 1 {
				x.W.AppendError(errCountZero)
				return
			}
			continue
		}
		x.W.AppendError(errSyntax)
		return
	}
	count = max(count, 1)
	if !blocking {
		if !popFirst(x, keys, front, count) {
			x.W.AppendNullArray()
		}
		return
	}
	blockingPop(x, keys, x.Args[1], front, count)
}

// cmdBPop is BLPOP and BRPOP key [key ...] timeout.
func cmdBPop(x *Ctx, front bool) {
	blockingPop(x, x.Args[1:len(x.Args)-1], x.Args[len(x.Args)-1], front, -1)
}

// blockingPop pops from the first non-empty list among keys, or blocks
// until one is filled. count -1 is BLPOP's reply (key, element), else
// BLMPOP's (key, [elements]).
func blockingPop(x *Ctx, keys [][]byte, timeoutArg []byte, front bool, count int64) {
	timeout, ok := x.parseTimeout(timeoutArg)
	if !ok {
		return
	}
	if popFirst(x, keys, front, count) {
		return
	}
	if !x.mayBlock() {
		x.W.AppendNullArray()
		return
	}
	x.block(keys, timeout, func(x *Ctx, key []byte) bool {
		e := x.lookup(key)
		if e == nil {
			return false
		}
		l, ok := e.Value.val.(*listValue)
		if !ok || l.len() == 0 {
			return false
		}
		popReply(x, key, l, front, count)
		return true
	}, blockTimedOut)
}

// blockTimedOut is the reply of every list command that blocked: a null
// array, even for BLMOVE (Redis 7.0 answers the timeout by block type).
func blockTimedOut(w *resp.Writer) { w.AppendNullArray() }

// popFirst pops from the first non-empty list among keys and replies as
// popReply does. It returns false with nothing replied when all are
// missing, and true after a WRONGTYPE reply for a key of another type met
// before a list.
func popFirst(x *Ctx, keys [][]byte, front bool, count int64) bool {
	for _, key := range keys {
		e, l, ok := writeAs[*listValue](x, key)
		if !ok {
			return true
		}
		if e == nil || l.len() == 0 {
			continue
		}
		popReply(x, key, l, front, count)
		return true
	}
	return false
}

// popReply pops from the non-empty list l at key: one element replied as
// [key, element] when count is -1, else up to count as [key, [elements]].
func popReply(x *Ctx, key []byte, l *listValue, front bool, count int64) {
	x.W.AppendArray(2)
	x.W.AppendBulk(key)
	n := 1
	if count == -1 {
		if front {
			x.W.AppendBulk(l.popFront())
		} else {
			x.W.AppendBulk(l.popBack())
		}
	} else {
		n = popRange(x, l, front, count)
	}
	listRemoved(x, key, l, front, n)
}

// cmdBLMove is BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout.
func cmdBLMove(x *Ctx) {
	from, ok := listEnd(x, x.Args[3])
	if !ok {
		return
	}
	to, ok := listEnd(x, x.Args[4])
	if !ok {
		return
	}
	blockingMove(x, x.Args[5], from, to)
}

// cmdBRPopLPush is BRPOPLPUSH source destination timeout.
func cmdBRPopLPush(x *Ctx) { blockingMove(x, x.Args[3], false, true) }

func blockingMove(x *Ctx, timeoutArg []byte, from, to bool) {
	timeout, ok := x.parseTimeout(timeoutArg)
	if !ok {
		return
	}
	src := x.Args[1]
	e, l, ok := writeAs[*listValue](x, src)
	switch {
	case !ok:
		return
	case e != nil:
		lmove(x, src, l, x.Args[2], from, to)
		return
	case !x.mayBlock():
		x.W.AppendNull()
		return
	}
	x.block([][]byte{src}, timeout, func(x *Ctx, key []byte) bool {
		e := x.lookup(key)
		if e == nil {
			return false
		}
		l, ok := e.Value.val.(*listValue)
		if !ok || l.len() == 0 {
			return false
		}
		// A destination of another type answers WRONGTYPE. Redis 7.0
		// leaves the client blocked after that reply; here the error ends
		// the wait, as in Redis 7.2.
		lmove(x, key, l, x.Args[2], from, to) // x.Args is the blocked call's
		return true
	}, blockTimedOut)
}
