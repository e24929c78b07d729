package zset

import "math/rand/v2"

// Set is a sorted set: members ordered by score, ties broken by member
// bytes. The zero value is an empty set ready to use. Reads may run
// concurrently; writes need exclusive access (see the package
// documentation).
type Set struct {
	// small holds the whole set, in order, while root is nil. Small sets
	// skip the tree and the dictionary entirely; a linear scan of at most
	// leafCap members is cheaper than either.
	small []item

	root   *inner
	height int // levels of inner nodes; the root's children are leaves when 1
	n      int // items in the tree

	dict     map[string]float64 // member → score while root != nil
	dictPeak int                // largest len(dict) since it was built; Go maps never shrink
}

// New returns an empty set.
func New() *Set { return &Set{} }

// Len returns the number of members.
func (s *Set) Len() int {
	if s.root == nil {
		return len(s.small)
	}
	return s.n
}

// Score returns member's score and whether member is in the set.
func (s *Set) Score(member []byte) (float64, bool) {
	if s.root == nil {
		i := s.smallIndex(view(member))
		if i < 0 {
			return 0, false
		}
		return s.small[i].score, true
	}
	v, ok := s.dict[string(member)]
	return v, ok
}

// Add inserts member with score, or moves an existing member to its new
// score, and reports whether member was new. The set keeps its own copy of
// member. An existing member whose score compares equal to score is left as
// it is, so a stored 0 stays 0 when re-added as -0, as in Redis. A NaN score
// is ignored: callers reject it first, as Redis does.
func (s *Set) Add(member []byte, score float64) bool {
	if score != score {
		return false
	}
	if s.root == nil {
		if i := s.smallIndex(view(member)); i >= 0 {
			s.moveSmall(i, score)
			return false
		}
		if len(s.small) < leafCap {
			s.insertSmall(item{member: string(member), score: score})
			return true
		}
		s.grow()
	}
	if old, ok := s.dict[string(member)]; ok {
		if old == score {
			return false
		}
		it, ok := s.root.remove(s.height, item{member: view(member), score: old})
		if !ok {
			return false
		}
		it.score = score
		s.dict[it.member] = score
		s.insert(it)
		return false
	}
	m := string(member)
	s.dict[m] = score
	s.dictPeak = max(s.dictPeak, len(s.dict))
	s.insert(item{member: m, score: score})
	s.n++
	return true
}

// Remove deletes member and reports whether it was present.
func (s *Set) Remove(member []byte) bool {
	if s.root == nil {
		i := s.smallIndex(view(member))
		if i < 0 {
			return false
		}
		s.cutSmall(i, i+1)
		return true
	}
	old, ok := s.dict[string(member)]
	if !ok {
		return false
	}
	it, ok := s.root.remove(s.height, item{member: view(member), score: old})
	if !ok {
		return false
	}
	delete(s.dict, it.member)
	s.n--
	s.shrink()
	return true
}

// Rank returns member's 0-based position in ascending order.
func (s *Set) Rank(member []byte) (int, bool) {
	if s.root == nil {
		i := s.smallIndex(view(member))
		return max(i, 0), i >= 0
	}
	score, ok := s.dict[string(member)]
	if !ok {
		return 0, false
	}
	b := bound{kind: itemBelow, score: score, member: view(member)}
	return s.root.count(s.height, &b), true
}

// ByRank returns the member and score at 0-based ascending rank, or zero
// values when rank is out of range. The member string is the set's own and
// stays valid after the member is removed.
func (s *Set) ByRank(rank int) (member string, score float64) {
	if rank < 0 || rank >= s.Len() {
		return "", 0
	}
	it := s.itemAt(rank)
	return it.member, it.score
}

// Range calls fn for each member from rank start upwards (downwards when
// reverse is set) until the set ends or fn returns false. Nothing is
// visited when start is out of range.
func (s *Set) Range(start int, reverse bool, fn func(member string, score float64) bool) {
	if start < 0 || start >= s.Len() {
		return
	}
	if s.root != nil {
		s.root.walk(s.height, start, reverse, fn)
		return
	}
	if reverse {
		for i := start; i >= 0; i-- {
			if !fn(s.small[i].member, s.small[i].score) {
				return
			}
		}
		return
	}
	for i := start; i < len(s.small); i++ {
		if !fn(s.small[i].member, s.small[i].score) {
			return
		}
	}
}

// DeleteRangeByRank removes the members ranked start through stop
// (inclusive, 0-based, clamped to the set) and returns how many it removed.
// fn, when not nil, sees each removed member in ascending order before the
// call returns; it must not use the set.
func (s *Set) DeleteRangeByRank(start, stop int, fn func(member string, score float64)) int {
	start, stop = max(start, 0), min(stop, s.Len()-1)
	if start > stop {
		return 0
	}
	removed := stop - start + 1
	if s.root == nil {
		if fn != nil {
			for i := start; i <= stop; i++ {
				fn(s.small[i].member, s.small[i].score)
			}
		}
		s.cutSmall(start, stop+1)
		return removed
	}
	visit := func(member string, score float64) {
		delete(s.dict, member)
		if fn != nil {
			fn(member, score)
		}
	}
	if removed == s.n {
		s.root.visitAll(s.height, visit)
		*s = Set{}
		return removed
	}
	s.root.removeRanks(s.height, start, stop+1, visit)
	s.n -= removed
	s.shrink()
	return removed
}

// Random returns a uniformly chosen member and its score, or zero values
// when the set is empty.
func (s *Set) Random(r *rand.Rand) (member string, score float64) {
	n := s.Len()
	if n == 0 {
		return "", 0
	}
	return s.ByRank(r.IntN(n))
}

// itemAt returns the item at rank r, which must be in range.
func (s *Set) itemAt(r int) item {
	if s.root == nil {
		return s.small[r]
	}
	return s.root.at(s.height, r)
}

// countBefore returns how many items lie before b.
func (s *Set) countBefore(b *bound) int {
	if s.root == nil {
		return countItems(s.small, b)
	}
	return s.root.count(s.height, b)
}

// seekAfter returns the rank and item of the first item not before b, and
// false when every item is before it.
func (s *Set) seekAfter(b *bound) (int, item, bool) {
	if s.root == nil {
		r := countItems(s.small, b)
		if r == len(s.small) {
			return r, item{}, false
		}
		return r, s.small[r], true
	}
	r, l, pos := s.root.seek(s.height, b)
	switch {
	case r == s.n:
		return r, item{}, false
	case pos < l.n:
		return r, item{l.members[pos], l.scores[pos]}, true
	}
	return r, s.root.at(s.height, r), true
}

// seekBefore returns the rank and item of the last item before b, and false
// when there is none.
func (s *Set) seekBefore(b *bound) (int, item, bool) {
	if s.root == nil {
		r := countItems(s.small, b) - 1
		if r < 0 {
			return r, item{}, false
		}
		return r, s.small[r], true
	}
	r, l, pos := s.root.seek(s.height, b)
	switch {
	case r == 0:
		return 0, item{}, false
	case pos > 0:
		return r - 1, item{l.members[pos-1], l.scores[pos-1]}, true
	}
	return r - 1, s.root.at(s.height, r-1), true
}

func (s *Set) smallIndex(m string) int {
	for i := range s.small {
		if s.small[i].member == m {
			return i
		}
	}
	return -1
}

// insertSmall adds a new item to the small slice, growing it by doubling
// up to leafCap so that it never overshoots what small mode can hold.
func (s *Set) insertSmall(it item) {
	n := len(s.small)
	if n == cap(s.small) {
		grown := make([]item, n, min(max(2*n, 2), leafCap))
		copy(grown, s.small)
		s.small = grown
	}
	p, _ := searchItems(s.small, it.score, it.member)
	s.small = s.small[:n+1]
	copy(s.small[p+1:], s.small[p:n])
	s.small[p] = it
}

// moveSmall gives item i a new score and moves it to its place.
func (s *Set) moveSmall(i int, score float64) {
	it := s.small[i]
	if it.score == score {
		return
	}
	it.score = score
	n := len(s.small)
	copy(s.small[i:], s.small[i+1:])
	p, _ := searchItems(s.small[:n-1], it.score, it.member)
	copy(s.small[p+1:], s.small[p:n-1])
	s.small[p] = it
}

// cutSmall removes items [from, to) from the small slice, giving memory
// back when the slice has become mostly empty.
func (s *Set) cutSmall(from, to int) {
	n := len(s.small)
	copy(s.small[from:], s.small[to:])
	clear(s.small[n-(to-from):])
	s.small = s.small[:n-(to-from)]
	switch n := len(s.small); {
	case n == 0:
		s.small = nil
	case n < cap(s.small)/4:
		s.small = append([]item(nil), s.small...)
	}
}

// grow turns a full small set into a tree of one leaf plus the dictionary.
func (s *Set) grow() {
	l := &leaf{n: len(s.small)}
	for i, it := range s.small {
		l.scores[i], l.members[i] = it.score, it.member
	}
	r := &inner{n: 1}
	r.leaves[0] = l
	r.setChild(0, 1)
	s.dict = make(map[string]float64, 2*leafCap)
	for _, it := range s.small {
		s.dict[it.member] = it.score
	}
	s.dictPeak = len(s.dict)
	s.root, s.height, s.n = r, 1, l.n
	s.small = nil
}

// shrink lowers the tree after removals: it drops single-child roots, goes
// back to small mode when one leaf is left, and rebuilds the dictionary once
// it holds an eighth of its peak, since Go maps never give memory back.
func (s *Set) shrink() {
	for s.height > 1 && s.root.n == 1 {
		s.root = s.root.kids[0]
		s.height--
	}
	if s.height == 1 && s.root.n == 1 {
		l := s.root.leaves[0]
		small := make([]item, l.n)
		for i := range small {
			small[i] = item{l.members[i], l.scores[i]}
		}
		*s = Set{small: small}
		return
	}
	if s.n < s.dictPeak/8 {
		d := make(map[string]float64, s.n)
		s.root.visitAll(s.height, func(m string, sc float64) { d[m] = sc })
		s.dict, s.dictPeak = d, s.n
	}
}
