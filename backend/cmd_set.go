package backend

import (
	"bytes"
	"encoding/binary"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/keyslot/keyslot/backend/internal/dict"
)

// Set commands.
func setCommands() commandSet {
	return commandSet{
		"sadd":        {fn: cmdSadd},
		"srem":        {fn: cmdSrem},
		"smembers":    {fn: cmdSmembers},
		"sismember":   {fn: cmdSismember},
		"smismember":  {fn: cmdSmismember},
		"scard":       {fn: cmdScard},
		"spop":        {fn: cmdSpop},
		"srandmember": {fn: cmdSrandmember},
		"smove":       {fn: cmdSmove},
		"sinter":      {fn: cmdSinter},
		"sintercard":  {fn: cmdSintercard},
		"sinterstore": {fn: cmdSinterstore},
		"sunion":      {fn: cmdSunion},
		"sunionstore": {fn: cmdSunionstore},
		"sdiff":       {fn: cmdSdiff},
		"sdiffstore":  {fn: cmdSdiffstore},
		"sscan":       {fn: cmdSscan},
	}
}

// setValue is a set. While its members are all integers and few enough
// (set-max-intset-entries) it is an intset, iterated in numeric order as
// Redis's; otherwise, once and for good, a dict. (Redis 7.0 sets have no
// listpack encoding.)
type setValue struct {
	is intset
	d  *dict.Dict[struct{}] // nil while the set is an intset
}

// newSetFor returns the empty set Redis's setTypeCreate makes for a first
// member m: an intset when m is an integer, a hash table otherwise.
func newSetFor(m []byte) *setValue {
	s := &setValue{}
	if _, ok := parseInt(m); !ok {
		s.d = dict.New[struct{}]()
	}
	return s
}

func (*setValue) typeName() string { return "set" }

func (s *setValue) encoding(*item) string {
	if s.d == nil {
		return "intset"
	}
	return "hashtable"
}

// copyValue returns an independent copy of s (COPY).
func (s *setValue) copyValue() value {
	if s.d == nil {
		return &setValue{is: intset{width: s.is.width, b: bytes.Clone(s.is.b)}}
	}
	d := dict.New[struct{}]()
	for e := range s.d.All() {
		d.Insert(e.Key, struct{}{})
	}
	return &setValue{d: d}
}

func (s *setValue) len() int {
	if s.d == nil {
		return s.is.len()
	}
	return s.d.Len()
}

func (s *setValue) has(m []byte) bool {
	if s.d == nil {
		v, ok := parseInt(m)
		return ok && s.is.has(v)
	}
	return s.d.Find(m) != nil
}

// hasInt is has for a member known as an integer.
func (s *setValue) hasInt(v int64, scratch []byte) bool {
	if s.d == nil {
		return s.is.has(v)
	}
	return s.d.Find(strconv.AppendInt(scratch[:0], v, 10)) != nil
}

// add adds m and reports whether it is new, converting the intset as
// Redis's setTypeAdd does: for a member that is not an integer, or one
// member past set-max-intset-entries.
func (s *setValue) add(m []byte, lim hsLimits) bool {
	if s.d == nil {
		if v, ok := parseInt(m); ok {
			if !s.is.add(v) {
				return false
			}
			if s.is.len() > lim.setEntries {
				s.toDict()
			}
			return true
		}
		s.toDict()
	}
	if s.d.Find(m) != nil {
		return false
	}
	s.d.Insert(string(m), struct{}{})
	return true
}

// remove removes m and reports whether it was there.
func (s *setValue) remove(m []byte) bool {
	if s.d == nil {
		v, ok := parseInt(m)
		return ok && s.is.remove(v)
	}
	_, ok := s.d.Delete(m)
	return ok
}

func (s *setValue) toDict() {
	d := dict.New[struct{}]()
	for i := range s.is.len() {
		d.Insert(strconv.FormatInt(s.is.at(i), 10), struct{}{})
	}
	s.d, s.is = d, intset{}
}

// all iterates over the members, an intset's in numeric order. The bytes
// are valid only until the next step and must not be modified.
func (s *setValue) all() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		if s.d == nil {
			var buf [20]byte
			for i := range s.is.len() {
				if !yield(strconv.AppendInt(buf[:0], s.is.at(i), 10)) {
					return
				}
			}
			return
		}
		for e := range s.d.All() {
			if !yield(roBytes(e.Key)) {
				return
			}
		}
	}
}

// setPicker draws random members of one set, with repetition.
type setPicker struct {
	s   *setValue
	r   *rand.Rand
	buf [20]byte
}

func newSetPicker(s *setValue) *setPicker {
	return &setPicker{s: s, r: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
}

// pick returns a random member, valid until the next pick or change.
func (p *setPicker) pick() []byte {
	if p.s.d == nil {
		return strconv.AppendInt(p.buf[:0], p.s.is.at(p.r.IntN(p.s.is.len())), 10)
	}
	return roBytes(p.s.d.Random(p.r).Key)
}

// intset is Redis's intset: distinct integers in increasing order, each
// stored little-endian in the fewest bytes (2, 4 or 8) that hold every one
// of them.
type intset struct {
	width int // bytes per member; 0 while empty
	b     []byte
}

func (is *intset) len() int {
	if is.width == 0 {
		return 0
	}
	return len(is.b) / is.width
}

func (is *intset) at(i int) int64 {
	return intsetGet(is.b, is.width, i)
}

func intsetGet(b []byte, w, i int) int64 {
	switch w {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(b[2*i:])))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return int64(binary.LittleEndian.Uint64(b[8*i:]))
}

func intsetPut(b []byte, w, i int, v int64) {
	switch w {
	case 2:
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	default:
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
}

func intsetWidthOf(v int64) int {
	switch {
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 2
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 4
	}
	return 8
}

func (is *intset) has(v int64) bool {
	_, ok := is.find(v)
	return ok
}

// find is a binary search: v's index, or where it would be inserted.
func (is *intset) find(v int64) (int, bool) {
	lo, hi := 0, is.len()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch m := is.at(mid); {
		case m < v:
			lo = mid + 1
		case m > v:
			hi = mid
		default:
			return mid, true
		}
	}
	return lo, false
}

func (is *intset) add(v int64) bool {
	if w := intsetWidthOf(v); w > is.width {
		is.upgrade(w)
	}
	i, ok := is.find(v)
	if ok {
		return false
	}
	n := is.len()
	need := (n + 1) * is.width
	if need > cap(is.b) {
		nb := make([]byte, len(is.b), need+need/8)
		copy(nb, is.b)
		is.b = nb
	}
	is.b = is.b[:need]
	copy(is.b[(i+1)*is.width:], is.b[i*is.width:n*is.width])
	intsetPut(is.b, is.width, i, v)
	return true
}

// upgrade widens every member to w bytes.
func (is *intset) upgrade(w int) {
	n := is.len()
	nb := make([]byte, n*w, (n+1)*w)
	for i := range n {
		intsetPut(nb, w, i, is.at(i))
	}
	is.width, is.b = w, nb
}

func (is *intset) remove(v int64) bool {
	i, ok := is.find(v)
	if !ok {
		return false
	}
	is.removeAt(i)
	return true
}

func (is *intset) removeAt(i int) {
	is.b = append(is.b[:i*is.width], is.b[(i+1)*is.width:]...)
	if cap(is.b) > 2*len(is.b)+64 {
		is.b = bytes.Clone(is.b)
	}
}

// lookupSets looks keys up for reading as sets; a missing key is a nil
// set. ok is false when one holds another type (WRONGTYPE replied).
func lookupSets(x *Ctx, keys [][]byte) ([]*setValue, bool) {
	sets := make([]*setValue, len(keys))
	for i, k := range keys {
		_, s, ok := readAs[*setValue](x, k)
		if !ok {
			return nil, false
		}
		sets[i] = s
	}
	return sets, true
}

func cmdSadd(x *Ctx) {
	key := x.Args[1]
	e, s, ok := writeAs[*setValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		s = newSetFor(x.Args[2])
		x.add(key, s)
	}
	lim := x.hsLimits()
	added := 0
	for _, m := range x.Args[2:] {
		if s.add(m, lim) {
			added++
		}
	}
	if added > 0 {
		x.changed(notifySet, "sadd", key)
		x.s.stats.dirty.Add(int64(added - 1))
	}
	x.W.AppendInt(int64(added))
}

func cmdSrem(x *Ctx) {
	key := x.Args[1]
	e, s, ok := writeAs[*setValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	removeMembers(x, key, s, (*setValue).remove, notifySet, "srem")
}

// removeMembers is the body HDEL and SREM share: it removes x.Args[2:]
// from v (stored at key) with del, deleting key and stopping as soon as v
// is empty, fires event (and "del" when the key went), counts each removal
// as a change and replies with how many there were. del is a method
// expression so that no closure is allocated per command.
func removeMembers[V interface{ len() int }](x *Ctx, key []byte, v V, del func(V, []byte) bool, class uint16, event string) {
	deleted, removed := 0, false
	for _, m := range x.Args[2:] {
		if del(v, m) {
			deleted++
			if v.len() == 0 {
				x.db.remove(key)
				removed = true
				break
			}
		}
	}
	if deleted > 0 {
		x.changed(class, event, key)
		if removed {
			x.notify(notifyGeneric, "del", key)
		}
		x.s.stats.dirty.Add(int64(deleted - 1))
	}
	x.W.AppendInt(int64(deleted))
}

func cmdSismember(x *Ctx) {
	e, s, ok := readAs[*setValue](x, x.Args[1])
	if !ok {
		return
	}
	if e != nil && s.has(x.Args[2]) {
		x.W.AppendInt(1)
	} else {
		x.W.AppendInt(0)
	}
}

func cmdSmismember(x *Ctx) {
	_, s, ok := readAs[*setValue](x, x.Args[1])
	if !ok {
		return
	}
	x.W.AppendArray(len(x.Args) - 2)
	for _, m := range x.Args[2:] {
		if s != nil && s.has(m) {
			x.W.AppendInt(1)
		} else {
			x.W.AppendInt(0)
		}
	}
}

func cmdScard(x *Ctx) {
	e, s, ok := readAs[*setValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	x.W.AppendInt(int64(s.len()))
}

// cmdSmove is SMOVE source destination member.
func cmdSmove(x *Ctx) {
	srcKey, dstKey, m := x.Args[1], x.Args[2], x.Args[3]
	es, ed := x.lookup(srcKey), x.lookup(dstKey)
	if es == nil {
		x.W.AppendInt(0)
		return
	}
	src, ok := es.Value.val.(*setValue)
	if !ok {
		x.W.AppendError(errWrongType)
		return
	}
	var dst *setValue
	if ed != nil {
		if dst, ok = ed.Value.val.(*setValue); !ok {
			x.W.AppendError(errWrongType)
			return
		}
	}
	if src == dst {
		if src.has(m) {
			x.W.AppendInt(1)
		} else {
			x.W.AppendInt(0)
		}
		return
	}
	if !src.remove(m) {
		x.W.AppendInt(0)
		return
	}
	x.notify(notifySet, "srem", srcKey)
	if src.len() == 0 {
		x.db.remove(srcKey)
		x.notify(notifyGeneric, "del", srcKey)
	}
	if dst == nil {
		dst = newSetFor(m)
		x.add(dstKey, dst)
	}
	x.modified(srcKey)
	x.s.stats.dirty.Add(1)
	if dst.add(m, x.hsLimits()) {
		x.changed(notifySet, "sadd", dstKey)
	}
	x.W.AppendInt(1)
}

// countArg parses a count that may be negative, within [-LONG_MAX,
// LONG_MAX] as getRangeLongFromObjectOrReply checks it.
func countArg(x *Ctx, b []byte) (int64, bool) {
	l, ok := x.intArg(b)
	if ok && l == math.MinInt64 {
		x.W.AppendError(errCountRange)
		return 0, false
	}
	return l, ok
}

// positiveArg parses a count that must not be negative, with Redis's one
// message for both a bad number and a negative one.
func positiveArg(x *Ctx, b []byte, msg string) (int64, bool) {
	l, ok := parseInt(b)
	if !ok || l < 0 {
		x.W.AppendError(msg)
		return 0, false
	}
	return l, true
}

// cmdSrandmember is SRANDMEMBER key [count].
func cmdSrandmember(x *Ctx) {
	if len(x.Args) > 3 {
		x.W.AppendError(errSyntax)
		return
	}
	if len(x.Args) == 2 {
		e, s, ok := readAs[*setValue](x, x.Args[1])
		if !ok {
			return
		}
		if e == nil {
			x.W.AppendNull()
			return
		}
		x.W.AppendBulk(newSetPicker(s).pick())
		return
	}
	l, ok := countArg(x, x.Args[2])
	if !ok {
		return
	}
	e, s, ok := readAs[*setValue](x, x.Args[1])
	if !ok {
		return
	}
	if e == nil || l == 0 {
		x.W.AppendArray(0)
		return
	}
	size := int64(s.len())
	if l < 0 || l == 1 {
		count := l
		if l < 0 {
			count = -l
		}
		x.W.AppendArray(int(count))
		p := newSetPicker(s)
		for range count {
			x.W.AppendBulk(p.pick())
			if x.W.Err() != nil {
				return // the client is gone, as Redis's CLIENT_CLOSE_ASAP
			}
		}
		return
	}
	if l >= size {
		x.W.AppendArray(int(size))
		for m := range s.all() {
			x.W.AppendBulk(m)
		}
		return
	}
	x.W.AppendArray(int(l))
	replyDistinctMembers(x, s, int(l))
}

// replyDistinctMembers replies count distinct random members of s, count
// < s.len().
func replyDistinctMembers(x *Ctx, s *setValue, count int) {
	if s.d != nil {
		for _, e := range distinctEntries(s.d, count) {
			x.W.AppendBulkString(e.Key)
		}
		return
	}
	var buf [20]byte
	for _, i := range distinctIndexes(s.is.len(), count) {
		x.W.AppendBulk(strconv.AppendInt(buf[:0], s.is.at(i), 10))
	}
}

// spopMoveFactor is Redis's SPOP_MOVE_STRATEGY_MUL: when the members left
// would be fewer than count*5, SPOP builds a new set of the survivors
// rather than removing count members one by one.
const spopMoveFactor = 5

// cmdSpop is SPOP key [count].
func cmdSpop(x *Ctx) {
	if len(x.Args) == 3 {
		spopCount(x)
		return
	}
	if len(x.Args) > 3 {
		x.W.AppendError(errSyntax)
		return
	}
	key := x.Args[1]
	e, s, ok := writeAs[*setValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		x.W.AppendNull()
		return
	}
	m := bytes.Clone(newSetPicker(s).pick())
	s.remove(m)
	x.notify(notifySet, "spop", key)
	x.W.AppendBulk(m)
	if s.len() == 0 {
		x.db.remove(key)
		x.notify(notifyGeneric, "del", key)
	}
	x.modified(key)
	x.s.stats.dirty.Add(1)
}

func spopCount(x *Ctx) {
	count, ok := positiveArg(x, x.Args[2], errMustBePositive)
	if !ok {
		return
	}
	key := x.Args[1]
	e, s, ok := writeAs[*setValue](x, key)
	if !ok {
		return
	}
	if e == nil || count == 0 {
		x.W.AppendSet(0)
		return
	}
	size := int64(s.len())
	x.notify(notifySet, "spop", key)
	x.s.stats.dirty.Add(count)
	lim := x.hsLimits()
	switch {
	case count >= size:
		// Everything, answered as SUNION would: rebuilt, so an intset
		// comes out sorted.
		all := &setValue{}
		for m := range s.all() {
			all.add(m, lim)
		}
		replySet(x, all)
		x.db.remove(key)
		x.notify(notifyGeneric, "del", key)
	case count*spopMoveFactor > size:
		// Few survivors: move them to a new set and answer the rest.
		var kept *setValue
		p := newSetPicker(s)
		for range size - count {
			m := bytes.Clone(p.pick())
			if kept == nil {
				kept = newSetFor(m)
			}
			kept.add(m, lim)
			s.remove(m)
		}
		replySet(x, s)
		e.Value.val = kept
	default:
		x.W.AppendSet(int(count))
		p := newSetPicker(s)
		for range count {
			m := p.pick()
			x.W.AppendBulk(m)
			s.remove(m)
		}
	}
	x.modified(key)
}

// replySet answers every member of s as a set reply.
func replySet(x *Ctx, s *setValue) {
	x.W.AppendSet(s.len())
	for m := range s.all() {
		x.W.AppendBulk(m)
	}
}

func cmdSmembers(x *Ctx) { setInter(x, x.Args[1:2], nil, false, 0) }
func cmdSinter(x *Ctx)   { setInter(x, x.Args[1:], nil, false, 0) }

func cmdSinterstore(x *Ctx) { setInter(x, x.Args[2:], x.Args[1], false, 0) }

// cmdSintercard is SINTERCARD numkeys key [key ...] [LIMIT limit].
func cmdSintercard(x *Ctx) {
	n, ok := parseInt(x.Args[1])
	if !ok || n < 1 {
		x.W.AppendError("ERR numkeys should be greater than 0")
		return
	}
	if n > int64(len(x.Args)-2) {
		x.W.AppendError("ERR Number of keys can't be greater than number of args")
		return
	}
	limit := int64(0)
	for j := 2 + int(n); j < len(x.Args); j++ {
		if !cmdIs(x.Args[j], "limit") || j+1 >= len(x.Args) {
			x.W.AppendError(errSyntax)
			return
		}
		j++
		if limit, ok = positiveArg(x, x.Args[j], "ERR LIMIT can't be negative"); !ok {
			return
		}
	}
	setInter(x, x.Args[2:2+int(n)], nil, true, limit)
}

// setInter is Redis's sinterGenericCommand: SMEMBERS, SINTER, SINTERSTORE
// (dst set) and SINTERCARD (cardOnly, stopping at limit unless 0).
// Members come in the order of the smallest set, the first of equals.
func setInter(x *Ctx, keys [][]byte, dst []byte, cardOnly bool, limit int64) {
	sets, ok := lookupSets(x, keys)
	if !ok {
		return
	}
	if slices.Contains(sets, nil) {
		switch {
		case dst != nil:
			if x.db.remove(dst) {
				x.changed(notifyGeneric, "del", dst)
			}
			x.W.AppendInt(0)
		case cardOnly:
			x.W.AppendInt(0)
		default:
			x.W.AppendSet(0)
		}
		return
	}
	slices.SortStableFunc(sets, func(a, b *setValue) int { return a.len() - b.len() })
	first, others := sets[0], sets[1:]
	var scratch [20]byte
	inAll := func(m []byte, v int64, isInt bool) bool {
		for _, o := range others {
			if o == first {
				continue
			}
			if isInt {
				if !o.hasInt(v, scratch[:]) {
					return false
				}
			} else if !o.has(m) {
				return false
			}
		}
		return true
	}
	var (
		card    int64
		ints    []int64
		members []string
		out     *setValue
	)
	lim := x.hsLimits()
	if dst != nil {
		out = &setValue{}
	}
	if first.d == nil {
		var buf [20]byte
		for i := range first.is.len() {
			v := first.is.at(i)
			if !inAll(nil, v, true) {
				continue
			}
			card++
			switch {
			case cardOnly:
			case out != nil:
				out.add(strconv.AppendInt(buf[:0], v, 10), lim)
			default:
				ints = append(ints, v)
			}
			if cardOnly && limit > 0 && card >= limit {
				break
			}
		}
	} else {
		for e := range first.d.All() {
			m := roBytes(e.Key)
			if !inAll(m, 0, false) {
				continue
			}
			card++
			switch {
			case cardOnly:
			case out != nil:
				out.add(m, lim)
			default:
				members = append(members, e.Key)
			}
			if cardOnly && limit > 0 && card >= limit {
				break
			}
		}
	}
	switch {
	case cardOnly:
		x.W.AppendInt(card)
	case out != nil:
		storeSetResult(x, dst, out, "sinterstore")
	default:
		x.W.AppendSet(int(card))
		var buf [20]byte
		for _, v := range ints {
			x.W.AppendBulk(strconv.AppendInt(buf[:0], v, 10))
		}
		for _, m := range members {
			x.W.AppendBulkString(m)
		}
	}
}

// storeSetResult stores a *STORE command's result at dst, or deletes dst
// when the result is empty, and replies the result's size.
func storeSetResult(x *Ctx, dst []byte, out *setValue, event string) {
	if out.len() > 0 {
		x.set(dst, out, false)
		x.W.AppendInt(int64(out.len()))
		x.changed(notifySet, event, dst)
		return
	}
	x.W.AppendInt(0)
	if x.db.remove(dst) {
		x.changed(notifyGeneric, "del", dst)
	}
}

func cmdSunion(x *Ctx)      { setUnionDiff(x, x.Args[1:], nil, false) }
func cmdSunionstore(x *Ctx) { setUnionDiff(x, x.Args[2:], x.Args[1], false) }
func cmdSdiff(x *Ctx)       { setUnionDiff(x, x.Args[1:], nil, true) }
func cmdSdiffstore(x *Ctx)  { setUnionDiff(x, x.Args[2:], x.Args[1], true) }

// setUnionDiff is Redis's sunionDiffGenericCommand. The result is built as
// Redis builds it, from an empty intset, so that its encoding (and with it
// the order of an all-integer result) is Redis's; for SDIFF that depends
// on which of Redis's two algorithms its cost estimate picks.
func setUnionDiff(x *Ctx, keys [][]byte, dst []byte, diff bool) {
	sets, ok := lookupSets(x, keys)
	if !ok {
		return
	}
	sameSet := false
	for _, s := range sets[1:] {
		if s != nil && s == sets[0] {
			sameSet = true
		}
	}
	lim := x.hsLimits()
	out := &setValue{}
	switch {
	case !diff:
		for _, s := range sets {
			if s == nil {
				continue
			}
			for m := range s.all() {
				out.add(m, lim)
			}
		}
	case sameSet || sets[0] == nil:
		// Nothing is left.
	case diffAlgo(sets) == 1:
		// Keep each member of the first set that no other set holds.
	members:
		for m := range sets[0].all() {
			for _, s := range sets[1:] {
				if s != nil && s.has(m) {
					continue members
				}
			}
			out.add(m, lim)
		}
	default:
		// Copy the first set, then remove the others' members.
		for m := range sets[0].all() {
			out.add(m, lim)
		}
		for _, s := range sets[1:] {
			if s == nil {
				continue
			}
			for m := range s.all() {
				out.remove(m)
			}
			if out.len() == 0 {
				break
			}
		}
	}
	if dst == nil {
		replySet(x, out)
		return
	}
	event := "sunionstore"
	if diff {
		event = "sdiffstore"
	}
	storeSetResult(x, dst, out, event)
}

// diffAlgo is Redis's choice between SDIFF's algorithms: 1 walks the first
// set and probes the others, 2 copies the first set and removes the
// others' members. Algorithm 1 is favoured by a factor 2.
func diffAlgo(sets []*setValue) int {
	var one, two int64
	for _, s := range sets {
		if s == nil {
			continue
		}
		one += int64(sets[0].len())
		two += int64(s.len())
	}
	if one/2 <= two {
		return 1
	}
	return 2
}

// cmdSscan is SSCAN key cursor [MATCH pattern] [COUNT count].
func cmdSscan(x *Ctx) {
	s, cursor, opt, ok := elemScanStart[*setValue](x, parseScanCursor)
	if !ok {
		return
	}
	var items [][]byte
	if s.d == nil {
		// Redis returns an intset whole, whatever the cursor.
		for m := range s.all() {
			if scanMatches(&opt, m) {
				items = append(items, bytes.Clone(m))
			}
		}
		cursor = 0
	} else {
		cursor = elemScanDict(s.d, cursor, opt.count, 1, func(e *dict.Entry[struct{}]) {
			if scanMatches(&opt, roBytes(e.Key)) {
				items = append(items, roBytes(e.Key))
			}
		})
	}
	replyElemScan(x, cursor, items)
}
