package backend

import (
	"bytes"
	"math"
)

// SORT and SORT_RO. BY and GET patterns name keys the command table cannot
// declare, so both run with the whole keyspace held.
func sortCommands() commandSet {
	return commandSet{
		"sort":    {fn: func(x *Ctx) { sortCommand(x, false) }, lock: lockAll},
		"sort_ro": {fn: func(x *Ctx) { sortCommand(x, true) }, lock: lockAll},
	}
}

// Error replies of SORT, Redis 7.0's text.
const (
	errSortScores     = "ERR One or more scores can't be converted into double"
	errSortByCluster  = "ERR BY option of SORT denied in Cluster mode."
	errSortGetCluster = "ERR GET option of SORT denied in Cluster mode."
)

// sortRequest is a parsed SORT command.
type sortRequest struct {
	desc, alpha bool
	// dontsort is set by a BY pattern without '*': nothing is looked up
	// and the elements keep their order. As in Redis, a later BY with a
	// '*' does not clear it.
	dontsort   bool
	limitStart int64
	limitCount int64 // -1: to the end
	by         []byte
	store      []byte
	gets       [][]byte
	scratch    []byte // pattern substitution buffer
}

// sortEntry is one element being sorted and its sort key.
type sortEntry struct {
	elem   []byte
	score  float64
	cmp    []byte // ALPHA with BY: the looked-up value
	hasCmp bool
}

// parseSort reads SORT's options as Redis's sortCommandGeneric does,
// replying on error. STORE is an unknown word to SORT_RO.
func parseSort(x *Ctx, readonly bool) (*sortRequest, bool) {
	r := &sortRequest{limitCount: -1}
	args := x.Args
	cluster := x.s.cfg.ClusterEnabled
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case asciiEqualFold(a, "asc"):
			r.desc = false
		case asciiEqualFold(a, "desc"):
			r.desc = true
		case asciiEqualFold(a, "alpha"):
			r.alpha = true
		case asciiEqualFold(a, "limit") && left >= 2:
			var ok bool
			if r.limitStart, ok = x.intArg(args[j+1]); !ok {
				return nil, false
			}
			if r.limitCount, ok = x.intArg(args[j+2]); !ok {
				return nil, false
			}
			j += 2
		case !readonly && asciiEqualFold(a, "store") && left >= 1:
			r.store = args[j+1]
			j++
		case asciiEqualFold(a, "by") && left >= 1:
			r.by = args[j+1]
			if bytes.IndexByte(cBytes(r.by), '*') < 0 {
				r.dontsort = true
			} else if cluster {
				x.W.AppendError(errSortByCluster)
				return nil, false
			}
			j++
		case asciiEqualFold(a, "get") && left >= 1:
			if cluster {
				x.W.AppendError(errSortGetCluster)
				return nil, false
			}
			r.gets = append(r.gets, args[j+1])
			j++
		default:
			x.W.AppendError(errSyntax)
			return nil, false
		}
	}
	return r, true
}

// sortCommand is SORT (and SORT_RO when readonly).
func sortCommand(x *Ctx, readonly bool) {
	r, ok := parseSort(x, readonly)
	if !ok {
		return
	}
	e := x.lookupRead(x.Args[1])
	var val value
	if e != nil {
		val = e.Value.val
		switch v := val.(type) {
		case *listValue, *setValue:
		case *zsetValue:
			// Redis converts a listpack sorted set to a skiplist for good
			// before sorting it, even for SORT_RO.
			v.big = true
		default:
			x.W.AppendError(errWrongType)
			return
		}
	}
	if _, isSet := val.(*setValue); isSet && r.dontsort && r.store != nil {
		// A set's order is its hash table's: for a result a replica
		// reproduces, STORE sorts it anyway, byte-wise.
		r.dontsort, r.alpha, r.by = false, true, nil
	}
	n := int64(sortLen(val))
	start := min(max(r.limitStart, 0), n)
	count := min(max(r.limitCount, -1), n)
	end := n - 1
	if count >= 0 {
		end = start + count - 1
	}
	if start >= n {
		start, end = n-1, n-2
	}
	end = min(end, n-1)

	vec, start, end := sortLoad(val, r, start, end, n)
	convErr := false
	if !r.dontsort {
		for i := range vec {
			if sortScoreOf(x, r, &vec[i]) {
				convErr = true
			}
		}
		if r.by != nil && (start != 0 || end != int64(len(vec))-1) {
			sortPartial(vec, int(start), int(end), r.compare)
		} else {
			sortStable(vec, r.compare)
		}
	}

	width := int64(1)
	if len(r.gets) > 0 {
		width = int64(len(r.gets))
	}
	outLen := width * (end - start + 1)
	switch {
	case convErr:
		x.W.AppendError(errSortScores)
	case r.store == nil:
		x.W.AppendArray(int(outLen))
		for j := start; j <= end; j++ {
			if len(r.gets) == 0 {
				x.W.AppendBulk(vec[j].elem)
			}
			for _, g := range r.gets {
				if v, ok := r.lookup(x, g, vec[j].elem); ok {
					x.W.AppendBulk(v)
				} else {
					x.W.AppendNull()
				}
			}
		}
	case end < start:
		sortStore(x, r, nil, outLen)
	default:
		sortStore(x, r, vec[start:end+1], outLen)
	}
}

// sortStore writes the result list to the STORE key, or deletes that key
// when the result is empty, and replies the result's length.
func sortStore(x *Ctx, r *sortRequest, vec []sortEntry, outLen int64) {
	l := &listValue{}
	for i := range vec {
		if len(r.gets) == 0 {
			l.pushBack(vec[i].elem)
		}
		for _, g := range r.gets {
			v, _ := r.lookup(x, g, vec[i].elem) // a missing value is ""
			l.pushBack(v)
		}
	}
	if outLen > 0 {
		x.set(r.store, l, false)
		x.changed(notifyList, "sortstore", r.store)
		x.s.stats.dirty.Add(outLen - 1)
	} else if x.db.remove(r.store) {
		// Redis's dbDelete: gone whether or not it had expired.
		x.changed(notifyGeneric, "del", r.store)
	}
	x.W.AppendInt(outLen)
}

func sortLen(v value) int {
	switch v := v.(type) {
	case *listValue:
		return v.len()
	case *setValue:
		return v.len()
	case *zsetValue:
		return v.set.Len()
	}
	return 0 // a missing key sorts as an empty list
}

// sortLoad collects the elements to sort and returns them with the output
// range within them. Without sorting, a list or sorted set yields only
// the range asked for, walked in the direction asked for (DESC reverses
// their native order); a set yields its members in iteration order.
func sortLoad(val value, r *sortRequest, start, end, n int64) ([]sortEntry, int64, int64) {
	switch v := val.(type) {
	case *listValue:
		if !r.dontsort {
			vec := make([]sortEntry, 0, n)
			if n > 0 {
				v.each(0, false, func(e []byte) bool {
					vec = append(vec, sortEntry{elem: e})
					return true
				})
			}
			return vec, start, end
		}
		if end < start {
			return nil, start, end
		}
		want := int(end - start + 1)
		vec := make([]sortEntry, 0, want)
		from := start
		if r.desc {
			from = n - start - 1
		}
		v.each(int(from), r.desc, func(e []byte) bool {
			vec = append(vec, sortEntry{elem: e})
			return len(vec) < want
		})
		return vec, 0, end - start
	case *zsetValue:
		if !r.dontsort {
			vec := make([]sortEntry, 0, n)
			v.set.Range(0, false, func(m string, _ float64) bool {
				vec = append(vec, sortEntry{elem: zbytes(m)})
				return true
			})
			return vec, start, end
		}
		want := int(max(end-start+1, 0))
		vec := make([]sortEntry, 0, want)
		from := start
		if r.desc {
			from = n - start - 1
		}
		if want > 0 {
			v.set.Range(int(from), r.desc, func(m string, _ float64) bool {
				vec = append(vec, sortEntry{elem: zbytes(m)})
				return len(vec) < want
			})
		}
		return vec, 0, end - start
	case *setValue:
		vec := make([]sortEntry, 0, n)
		if v.d == nil {
			// Intset members come from one reused buffer: copy them.
			arena := make([]byte, 0, 20*n)
			for m := range v.all() {
				at := len(arena)
				arena = append(arena, m...)
				vec = append(vec, sortEntry{elem: arena[at:len(arena):len(arena)]})
			}
		} else {
			for m := range v.all() {
				vec = append(vec, sortEntry{elem: m})
			}
		}
		return vec, start, end
	}
	return nil, start, end
}

// sortScoreOf fills in e's sort key: the BY value (or the element itself)
// as a number, or for ALPHA with BY the BY value's bytes. It reports
// whether a number could not be read. A missing BY value sorts as 0, or
// first under ALPHA.
func sortScoreOf(x *Ctx, r *sortRequest, e *sortEntry) (bad bool) {
	by := e.elem
	if r.by != nil {
		v, ok := r.lookup(x, r.by, e.elem)
		if !ok {
			return false
		}
		by = v
	}
	if r.alpha {
		if r.by != nil {
			e.cmp, e.hasCmp = by, true
		}
		return false
	}
	f, ok := sortParseScore(by)
	e.score = f
	return !ok
}

// compare is Redis's sortCompare. Numbers tie-break on the elements'
// bytes. ALPHA compares as strcoll does in the C locale (bytes up to the
// first NUL), or as whole byte strings with STORE; with BY, a missing value
// sorts first.
func (r *sortRequest) compare(a, b *sortEntry) int {
	var c int
	switch {
	case !r.alpha:
		switch {
		case a.score > b.score:
			c = 1
		case a.score < b.score:
			c = -1
		default:
			c = bytes.Compare(a.elem, b.elem)
		}
	case r.by != nil:
		switch {
		case !a.hasCmp || !b.hasCmp:
			if a.hasCmp == b.hasCmp {
				c = 0
			} else if !a.hasCmp {
				c = -1
			} else {
				c = 1
			}
		case r.store != nil:
			c = bytes.Compare(a.cmp, b.cmp)
		default:
			c = bytes.Compare(cBytes(a.cmp), cBytes(b.cmp))
		}
	case r.store != nil:
		c = bytes.Compare(a.elem, b.elem)
	default:
		c = bytes.Compare(cBytes(a.elem), cBytes(b.elem))
	}
	if r.desc {
		return -c
	}
	return c
}

// lookup is Redis's lookupKeyByPattern: "#" is the element itself;
// otherwise the first '*' of the pattern is replaced by the element and the
// key read, a string, or with "->field" after the '*' a hash field. The
// bytes returned are valid until the keyspace changes.
func (r *sortRequest) lookup(x *Ctx, pattern, elem []byte) ([]byte, bool) {
	cpat := cBytes(pattern)
	if len(cpat) == 1 && cpat[0] == '#' {
		return elem, true
	}
	star := bytes.IndexByte(cpat, '*')
	if star < 0 {
		return nil, false
	}
	// The arrow is searched as C's strstr does, in the text before any
	// NUL; the field runs to the pattern's real end.
	var field []byte
	post := pattern[star+1:]
	if a := bytes.Index(cpat[star+1:], []byte("->")); a >= 0 {
		if f := star + 1 + a + 2; f < len(pattern) && pattern[f] != 0 {
			field = pattern[f:]
			post = pattern[star+1 : star+1+a]
		}
	}
	key := append(r.scratch[:0], pattern[:star]...)
	key = append(key, elem...)
	key = append(key, post...)
	r.scratch = key
	e := x.lookupRead(key)
	if e == nil {
		return nil, false
	}
	if field != nil {
		h, ok := e.Value.val.(*hashValue)
		if !ok {
			return nil, false
		}
		return h.get(field)
	}
	s, ok := e.Value.val.(*strValue)
	if !ok {
		return nil, false
	}
	return s.b, true
}

// sortParseScore reads a sort weight as Redis does: C's strtod over the
// text up to the first NUL, which must be used up ("" is 0), refusing NaN
// and what sets ERANGE: overflow, and decimal underflow below the
// smallest normal double. It differs from zparseScore (getDoubleFromObject)
// on purpose, as Redis's sortCommand calls strtod itself: the C string
// ends at a NUL, "" is 0 and leading white space is allowed.
func sortParseScore(b []byte) (float64, bool) {
	c := cBytes(b)
	if v, ok := parseInt(c); ok {
		return float64(v), true
	}
	f, n, erange := zstrtod(c)
	if n != len(c) || erange || math.IsNaN(f) {
		return 0, false
	}
	if f != 0 && math.Abs(f) < 0x1p-1022 && !sortIsHex(c) {
		return 0, false // glibc's ERANGE for an inexact subnormal result
	}
	return f, true
}

// sortIsHex reports whether a strtod input is a hexadecimal float.
func sortIsHex(c []byte) bool {
	c = bytes.TrimLeft(c, " \t\n\v\f\r+-")
	return len(c) > 1 && c[0] == '0' && c[1]|0x20 == 'x'
}

// sortStable sorts v keeping equal elements in their order, as glibc's
// qsort (a merge sort), which Redis calls, does.
func sortStable(v []sortEntry, cmp func(a, b *sortEntry) int) {
	if len(v) < 2 {
		return
	}
	o := newSortOrder(v, cmp)
	o.mergeSort(o.idx, make([]int32, len(v)))
	o.apply()
}

// sortOrder sorts positions of v rather than v itself: moving an int32
// costs less than moving an entry, whose pointers the collector tracks.
type sortOrder struct {
	v   []sortEntry
	idx []int32
	cmp func(a, b *sortEntry) int
}

func newSortOrder(v []sortEntry, cmp func(a, b *sortEntry) int) *sortOrder {
	o := &sortOrder{v: v, idx: make([]int32, len(v)), cmp: cmp}
	for i := range o.idx {
		o.idx[i] = int32(i)
	}
	return o
}

// apply puts v in the order idx gives.
func (o *sortOrder) apply() {
	out := make([]sortEntry, len(o.v))
	for i, k := range o.idx {
		out[i] = o.v[k]
	}
	copy(o.v, out)
}

func (o *sortOrder) less(a, b int32) int { return o.cmp(&o.v[a], &o.v[b]) }

// mergeSort sorts idx through tmp: O(n log n) comparisons and moves.
func (o *sortOrder) mergeSort(idx, tmp []int32) {
	n := len(idx)
	if n <= 12 {
		for i := 1; i < n; i++ {
			for j := i; j > 0 && o.less(idx[j-1], idx[j]) > 0; j-- {
				idx[j-1], idx[j] = idx[j], idx[j-1]
			}
		}
		return
	}
	m := n / 2
	o.mergeSort(idx[:m], tmp[:m])
	o.mergeSort(idx[m:], tmp[m:])
	if o.less(idx[m-1], idx[m]) <= 0 {
		return // the halves are already in order
	}
	copy(tmp, idx)
	i, j, k := 0, m, 0
	for i < m && j < n {
		if o.less(tmp[j], tmp[i]) < 0 {
			idx[k] = tmp[j]
			j++
		} else {
			idx[k] = tmp[i]
			i++
		}
		k++
	}
	k += copy(idx[k:], tmp[i:m])
	copy(idx[k:], tmp[j:n])
}

// sortPartial puts into positions lo..hi of v (0 <= lo, hi < len(v)) what
// a full sort would put there, leaving the rest partly ordered, as Redis's
// pqsort does for SORT ... BY ... LIMIT. It is Bentley and McIlroy's
// quicksort ("Engineering a Sort Function", 1993: median of three, or
// Tukey's ninther above 40 elements, fat partitioning, insertion sort
// below 7 elements; without the later shortcut to insertion sort when a
// partition moves nothing) that skips the parts
// outside lo..hi. The algorithm is followed step for step because it is
// not stable: equal elements (ALPHA with BY, ties or missing values) come
// out in the order Redis gives them only this way.
func sortPartial(v []sortEntry, lo, hi int, cmp func(a, b *sortEntry) int) {
	p := partialSorter{sortOrder: newSortOrder(v, cmp), lo: lo, hi: hi}
	p.sort(0, len(v))
	p.apply()
}

type partialSorter struct {
	*sortOrder
	lo, hi int
}

func (p *partialSorter) cmpAt(i, j int) int { return p.less(p.idx[i], p.idx[j]) }
func (p *partialSorter) swap(i, j int)      { p.idx[i], p.idx[j] = p.idx[j], p.idx[i] }

// wanted reports whether positions a..a+n-1 hold any of lo..hi.
func (p *partialSorter) wanted(a, n int) bool { return p.hi >= a && p.lo < a+n }

func (p *partialSorter) insertion(a, n int) {
	for m := a + 1; m < a+n; m++ {
		for l := m; l > a && p.cmpAt(l-1, l) > 0; l-- {
			p.swap(l, l-1)
		}
	}
}

func (p *partialSorter) med3(a, b, c int) int {
	if p.cmpAt(a, b) < 0 {
		switch {
		case p.cmpAt(b, c) < 0:
			return b
		case p.cmpAt(a, c) < 0:
			return c
		}
		return a
	}
	switch {
	case p.cmpAt(b, c) > 0:
		return b
	case p.cmpAt(a, c) < 0:
		return a
	}
	return c
}

// sort orders positions a..a+n-1.
func (p *partialSorter) sort(a, n int) {
	for {
		if n < 7 {
			p.insertion(a, n)
			return
		}
		pm := a + n/2
		if n > 7 {
			pl, pn := a, a+n-1
			if n > 40 {
				d := n / 8
				pl = p.med3(pl, pl+d, pl+2*d)
				pm = p.med3(pm-d, pm, pm+d)
				pn = p.med3(pn-2*d, pn-d, pn)
			}
			pm = p.med3(pl, pm, pn)
		}
		p.swap(a, pm)
		// v[a] is the pivot. Equal elements gather at both ends
		// (a+1..pa, pd..a+n-1) while smaller and greater ones partition
		// the middle.
		pa, pb := a+1, a+1
		pc, pd := a+n-1, a+n-1
		for {
			for pb <= pc {
				c := p.cmpAt(pb, a)
				if c > 0 {
					break
				}
				if c == 0 {
					p.swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				c := p.cmpAt(pc, a)
				if c < 0 {
					break
				}
				if c == 0 {
					p.swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			p.swap(pb, pc)
			pb++
			pc--
		}
		// Bring the equal elements to the middle.
		end := a + n
		r := min(pa-a, pb-pa)
		for k := range r {
			p.swap(a+k, pb-r+k)
		}
		r = min(pd-pc, end-pd-1)
		for k := range r {
			p.swap(pb+k, end-r+k)
		}
		if r = pb - pa; r > 1 && p.wanted(a, r) {
			p.sort(a, r)
		}
		if r = pd - pc; r > 1 {
			a, n = end-r, r
			if p.wanted(a, n) {
				continue
			}
		}
		return
	}
}
