package zset

import (
	"strings"
	"unsafe"
)

// item is one element of the set. The member string is shared with the
// dictionary key, so its bytes are stored once.
type item struct {
	member string
	score  float64
}

// cmp orders x against the key (score, member): negative when x sorts first.
func (x *item) cmp(score float64, member string) int {
	if x.score < score {
		return -1
	}
	if x.score > score {
		return 1
	}
	return strings.Compare(x.member, member)
}

// leaf holds a run of consecutive items in set order. Scores and members
// sit in separate arrays so that a binary search, which compares scores
// first and members only on ties, touches a third of the cache lines.
type leaf struct {
	n       int
	scores  [leafCap]float64
	members [leafCap]string
}

// cmpKey orders (s1, m1) against (s2, m2).
func cmpKey(s1 float64, m1 string, s2 float64, m2 string) int {
	if s1 < s2 {
		return -1
	}
	if s1 > s2 {
		return 1
	}
	return strings.Compare(m1, m2)
}

// search returns the position of the first item not before (score,
// member) and whether that item is exactly the key.
func (l *leaf) search(score float64, member string) (int, bool) {
	lo, hi := 0, l.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmpKey(l.scores[m], l.members[m], score, member) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < l.n && l.scores[lo] == score && l.members[lo] == member
}

// count returns how many of l's items lie before b.
func (l *leaf) count(b *bound) int {
	lo, hi := 0, l.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b.before(l.scores[m], l.members[m]) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// insertAt puts (score, member) at position p; l must have room.
func (l *leaf) insertAt(p int, score float64, member string) {
	copy(l.scores[p+1:l.n+1], l.scores[p:l.n])
	copy(l.members[p+1:l.n+1], l.members[p:l.n])
	l.scores[p], l.members[p] = score, member
	l.n++
}

// cut removes items [from, to), clearing the vacated tail.
func (l *leaf) cut(from, to int) {
	copy(l.scores[from:], l.scores[to:l.n])
	copy(l.members[from:], l.members[to:l.n])
	k := to - from
	clear(l.scores[l.n-k : l.n])
	clear(l.members[l.n-k : l.n])
	l.n -= k
}

// moveItems copies items [from, from+k) of src into dst at to; the ranges
// must not overlap unless src == dst.
func moveItems(dst *leaf, to int, src *leaf, from, k int) {
	copy(dst.scores[to:to+k], src.scores[from:from+k])
	copy(dst.members[to:to+k], src.members[from:from+k])
}

// inner is an interior node. Per child it keeps the subtree size (for
// ranks), a lower bound key (for descent) and the smallest and largest member
// in the subtree (for lex searches on sets whose scores differ, where member
// order does not follow set order).
type inner struct {
	n      int
	counts [innerCap]int
	// keys[i] is <= every item under child i and > every item under child
	// i-1. It may be a copy of an item that has since been removed; only the
	// ordering matters. keys[0] is never consulted.
	keys   [innerCap]item
	lo, hi [innerCap]string
	kids   [innerCap]*inner // children when this node is above other inner nodes
	leaves [innerCap]*leaf  // children when this node is directly above leaves
}

// view returns b as a string without copying. The result must not outlive
// the call that made it nor be stored anywhere.
func view(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// searchItems returns the position of the first item not before (score,
// member) and whether that item is exactly the key.
func searchItems(items []item, score float64, member string) (int, bool) {
	lo, hi := 0, len(items)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if items[m].cmp(score, member) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(items) && items[lo].score == score && items[lo].member == member
}

// memberBounds returns the smallest and largest of members (non-empty).
func memberBounds(members []string) (lo, hi string) {
	lo, hi = members[0], members[0]
	for _, m := range members[1:] {
		if m < lo {
			lo = m
		} else if m > hi {
			hi = m
		}
	}
	return lo, hi
}

// childFor returns the child whose key range holds (score, member).
func (n *inner) childFor(score float64, member string) int {
	lo, hi := 1, n.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if n.keys[m].cmp(score, member) <= 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

func (n *inner) total() int {
	t := 0
	for i := 0; i < n.n; i++ {
		t += n.counts[i]
	}
	return t
}

// bounds returns the smallest and largest member under n (non-empty).
func (n *inner) bounds() (lo, hi string) {
	lo, hi = n.lo[0], n.hi[0]
	for i := 1; i < n.n; i++ {
		if n.lo[i] < lo {
			lo = n.lo[i]
		}
		if n.hi[i] > hi {
			hi = n.hi[i]
		}
	}
	return lo, hi
}

// refresh recomputes the member bounds of child i.
func (n *inner) refresh(i, h int) {
	if n.counts[i] == 0 {
		n.lo[i], n.hi[i] = "", ""
		return
	}
	if h == 1 {
		l := n.leaves[i]
		n.lo[i], n.hi[i] = memberBounds(l.members[:l.n])
	} else {
		n.lo[i], n.hi[i] = n.kids[i].bounds()
	}
}

// widen extends child i's member bounds to cover m.
func (n *inner) widen(i int, m string) {
	if m < n.lo[i] {
		n.lo[i] = m
	}
	if m > n.hi[i] {
		n.hi[i] = m
	}
}

// size returns how many entries child i holds: items for a leaf, children
// for an inner node.
func (n *inner) size(i, h int) int {
	if h == 1 {
		return n.counts[i]
	}
	return n.kids[i].n
}

// insertSlot opens slot at for a new child; the caller fills it.
func (n *inner) insertSlot(at int) {
	copy(n.counts[at+1:n.n+1], n.counts[at:n.n])
	copy(n.keys[at+1:n.n+1], n.keys[at:n.n])
	copy(n.lo[at+1:n.n+1], n.lo[at:n.n])
	copy(n.hi[at+1:n.n+1], n.hi[at:n.n])
	copy(n.kids[at+1:n.n+1], n.kids[at:n.n])
	copy(n.leaves[at+1:n.n+1], n.leaves[at:n.n])
	n.n++
}

// removeSlot drops child at, clearing the vacated slot so nothing stays
// reachable from it.
func (n *inner) removeSlot(at int) {
	copy(n.counts[at:], n.counts[at+1:n.n])
	copy(n.keys[at:], n.keys[at+1:n.n])
	copy(n.lo[at:], n.lo[at+1:n.n])
	copy(n.hi[at:], n.hi[at+1:n.n])
	copy(n.kids[at:], n.kids[at+1:n.n])
	copy(n.leaves[at:], n.leaves[at+1:n.n])
	n.n--
	n.clearFrom(n.n)
}

// clearFrom zeroes child slots [from, innerCap).
func (n *inner) clearFrom(from int) {
	clear(n.counts[from:])
	clear(n.keys[from:])
	clear(n.lo[from:])
	clear(n.hi[from:])
	clear(n.kids[from:])
	clear(n.leaves[from:])
}

// moveChildren copies children [from, from+k) of src into dst at to; dst
// must have room and the slots must not overlap.
func moveChildren(dst *inner, to int, src *inner, from, k int) {
	copy(dst.counts[to:to+k], src.counts[from:from+k])
	copy(dst.keys[to:to+k], src.keys[from:from+k])
	copy(dst.lo[to:to+k], src.lo[from:from+k])
	copy(dst.hi[to:to+k], src.hi[from:from+k])
	copy(dst.kids[to:to+k], src.kids[from:from+k])
	copy(dst.leaves[to:to+k], src.leaves[from:from+k])
}

// shiftChildren moves n's children right by k (k > 0) or left by -k.
func (n *inner) shiftChildren(k int) {
	if k > 0 {
		copy(n.counts[k:n.n+k], n.counts[:n.n])
		copy(n.keys[k:n.n+k], n.keys[:n.n])
		copy(n.lo[k:n.n+k], n.lo[:n.n])
		copy(n.hi[k:n.n+k], n.hi[:n.n])
		copy(n.kids[k:n.n+k], n.kids[:n.n])
		copy(n.leaves[k:n.n+k], n.leaves[:n.n])
		n.n += k
		return
	}
	k = -k
	copy(n.counts[:], n.counts[k:n.n])
	copy(n.keys[:], n.keys[k:n.n])
	copy(n.lo[:], n.lo[k:n.n])
	copy(n.hi[:], n.hi[k:n.n])
	copy(n.kids[:], n.kids[k:n.n])
	copy(n.leaves[:], n.leaves[k:n.n])
	n.n -= k
	n.clearFrom(n.n)
}

// setChild recomputes the size and member bounds of child i after its
// contents changed wholesale. It leaves keys alone: tightening keys[i] could
// strand an item that an insertion in progress has already routed to i.
func (n *inner) setChild(i, h int) {
	if h == 1 {
		n.counts[i] = n.leaves[i].n
	} else {
		n.counts[i] = n.kids[i].total()
	}
	n.refresh(i, h)
}

// splitKid splits the full child i (an inner node at level h-1, or a leaf
// when h == 1) into two halves; n must have room for one more child.
func (n *inner) splitKid(i, h int) {
	n.insertSlot(i + 1)
	if h > 1 {
		c := n.kids[i]
		r := &inner{}
		m := c.n / 2
		moveChildren(r, 0, c, m, c.n-m)
		r.n = c.n - m
		c.n = m
		c.clearFrom(m)
		n.kids[i+1] = r
		n.leaves[i+1] = nil
		n.keys[i+1] = r.keys[0]
		n.setChild(i, h)
		n.setChild(i+1, h)
		return
	}
	l := n.leaves[i]
	r := &leaf{}
	m := l.n / 2
	moveItems(r, 0, l, m, l.n-m)
	r.n = l.n - m
	l.cut(m, l.n)
	n.leaves[i+1] = r
	n.kids[i+1] = nil
	n.keys[i+1] = item{r.members[0], r.scores[0]}
	n.counts[i], n.counts[i+1] = l.n, r.n
	n.lo[i+1], n.hi[i+1] = memberBounds(r.members[:r.n])
	n.loseBounds(i, n.lo[i+1], n.hi[i+1])
}

// loseBounds updates child i's member bounds after the items whose bounds
// are lo..hi left it: only when they took its smallest or largest member
// (members are unique) does it need a rescan.
func (n *inner) loseBounds(i int, lo, hi string) {
	if lo == n.lo[i] || hi == n.hi[i] {
		n.refresh(i, 1)
	}
}

// shiftLeaf moves k items between the adjacent leaves a = i-1 and b = i:
// from the front of b to the end of a when k > 0, from the end of a to the
// front of b when k < 0.
func (n *inner) shiftLeaf(i, k int) {
	a, b := n.leaves[i-1], n.leaves[i]
	var lo, hi string
	giver := i
	if k > 0 {
		lo, hi = memberBounds(b.members[:k])
		moveItems(a, a.n, b, 0, k)
		a.n += k
		b.cut(0, k)
		n.widen(i-1, lo)
		n.widen(i-1, hi)
	} else {
		k, giver = -k, i-1
		lo, hi = memberBounds(a.members[a.n-k : a.n])
		moveItems(b, k, b, 0, b.n)
		moveItems(b, 0, a, a.n-k, k)
		b.n += k
		a.cut(a.n-k, a.n)
		n.widen(i, lo)
		n.widen(i, hi)
	}
	n.keys[i] = item{b.members[0], b.scores[0]}
	n.counts[i-1], n.counts[i] = a.n, b.n
	n.loseBounds(giver, lo, hi)
}

// shiftInner moves k children between the adjacent inner nodes a = i-1 and
// b = i, like shiftLeaf. The separator keys[i] travels with them.
func (n *inner) shiftInner(i, h, k int) {
	a, b := n.kids[i-1], n.kids[i]
	b.keys[0] = n.keys[i]
	if k > 0 {
		moveChildren(a, a.n, b, 0, k)
		a.n += k
		b.shiftChildren(-k)
	} else {
		k = -k
		b.shiftChildren(k)
		moveChildren(b, 0, a, a.n-k, k)
		a.n -= k
		a.clearFrom(a.n)
	}
	n.keys[i] = b.keys[0]
	n.setChild(i-1, h)
	n.setChild(i, h)
}

// mergeKid appends child i+1 to child i and removes child i+1; the result
// must fit.
func (n *inner) mergeKid(i, h int) {
	if h == 1 {
		a, b := n.leaves[i], n.leaves[i+1]
		moveItems(a, a.n, b, 0, b.n)
		a.n += b.n
	} else {
		a, b := n.kids[i], n.kids[i+1]
		b.keys[0] = n.keys[i+1]
		moveChildren(a, a.n, b, 0, b.n)
		a.n += b.n
	}
	lo, hi := n.lo[i], n.hi[i]
	if n.counts[i] == 0 || (n.counts[i+1] > 0 && n.lo[i+1] < lo) {
		lo = n.lo[i+1]
	}
	if n.counts[i] == 0 || (n.counts[i+1] > 0 && n.hi[i+1] > hi) {
		hi = n.hi[i+1]
	}
	n.counts[i] += n.counts[i+1]
	n.lo[i], n.hi[i] = lo, hi
	n.removeSlot(i + 1)
}

// healthy reports whether child i of a level-h node is non-empty and at
// least at its minimum fill.
func (n *inner) healthy(i, h int) bool {
	if h == 1 {
		return n.counts[i] >= leafMin && n.counts[i] > 0
	}
	return n.counts[i] > 0 && n.kids[i].n >= innerMin
}

// fix restores the fill of child i by dropping it when empty, merging it
// into a neighbour or borrowing from one. A range removal can leave a whole
// chain of single-child nodes under child i; a merge or borrow brings such
// a chain next to healthy siblings, so the nodes it changed are repaired in
// turn, one level down.
func (n *inner) fix(i, h int) {
	for n.n > 1 && i < n.n && !n.healthy(i, h) {
		if n.counts[i] == 0 {
			n.removeSlot(i)
			return
		}
		capacity := leafCap
		if h > 1 {
			capacity = innerCap
		}
		a := max(i-1, 0)
		sa, sb := n.size(a, h), n.size(a+1, h)
		if sa+sb <= capacity {
			n.mergeKid(a, h)
			if h > 1 {
				n.kids[a].repair(h - 1)
			}
			i = a
			continue
		}
		// Even out the two; both end at least half full.
		k := (sa+sb)/2 - sa
		if h == 1 {
			n.shiftLeaf(a+1, k)
			return
		}
		n.shiftInner(a+1, h, k)
		n.kids[a].repair(h - 1)
		n.kids[a+1].repair(h - 1)
		switch {
		case !n.healthy(a, h):
			i = a
		case !n.healthy(a+1, h):
			i = a + 1
		default:
			return
		}
	}
}

// repair fixes every child of n (at level h) that is below its minimum.
// Only the edges of a range removal hold such children, so it recurses
// along O(1) paths.
func (n *inner) repair(h int) {
	for i := 0; i < n.n && n.n > 1; i++ {
		if !n.healthy(i, h) {
			n.fix(i, h)
			i = max(i-2, -1)
		}
	}
}

// insert adds it, which must not be present, to the tree rooted at s.root.
func (s *Set) insert(it item) {
	if s.root.n == innerCap {
		r := &inner{n: 1}
		r.kids[0] = s.root
		s.height++
		r.setChild(0, s.height)
		r.splitKid(0, s.height)
		s.root = r
	}
	n := s.root
	for h := s.height; ; h-- {
		i := n.childFor(it.score, it.member)
		if h == 1 {
			if n.leaves[i].n == leafCap {
				i = n.makeRoom(i, it)
			}
			l := n.leaves[i]
			p, _ := l.search(it.score, it.member)
			l.insertAt(p, it.score, it.member)
			n.counts[i]++
			n.widen(i, it.member)
			return
		}
		if n.kids[i].n == innerCap {
			n.splitKid(i, h)
			if n.keys[i+1].cmp(it.score, it.member) <= 0 {
				i++
			}
		}
		n.counts[i]++
		n.widen(i, it.member)
		n = n.kids[i]
	}
}

// makeRoom frees a slot for it around the full leaf i, preferring to shift
// items into a sibling over splitting (which keeps leaves fuller), and
// returns the leaf it now belongs in. n has room for one more child.
func (n *inner) makeRoom(i int, it item) int {
	switch {
	case i > 0 && leafCap-n.leaves[i-1].n >= leafFree:
		k := (leafCap - n.leaves[i-1].n + 1) / 2
		n.shiftLeaf(i, k)
	case i+1 < n.n && leafCap-n.leaves[i+1].n >= leafFree:
		k := (leafCap - n.leaves[i+1].n + 1) / 2
		n.shiftLeaf(i+1, -k)
		if n.keys[i+1].cmp(it.score, it.member) <= 0 {
			return i + 1
		}
		return i
	default:
		n.splitKid(i, 1)
		if n.keys[i+1].cmp(it.score, it.member) <= 0 {
			return i + 1
		}
		return i
	}
	if n.keys[i].cmp(it.score, it.member) > 0 {
		return i - 1
	}
	return i
}

// remove deletes the item equal to key from n's subtree (n at level h) and
// returns the stored item. The caller repairs n's own fill.
func (n *inner) remove(h int, key item) (item, bool) {
	i := n.childFor(key.score, key.member)
	var got item
	if h == 1 {
		l := n.leaves[i]
		p, ok := l.search(key.score, key.member)
		if !ok {
			return item{}, false
		}
		got = item{l.members[p], l.scores[p]}
		l.cut(p, p+1)
	} else {
		var ok bool
		if got, ok = n.kids[i].remove(h-1, key); !ok {
			return item{}, false
		}
	}
	n.counts[i]--
	if got.member == n.lo[i] || got.member == n.hi[i] {
		n.refresh(i, h)
	}
	n.fix(i, h)
	return got, true
}

// removeRanks deletes the items ranked [from, to) within n's subtree,
// reporting each through visit in order.
func (n *inner) removeRanks(h, from, to int, visit func(string, float64)) {
	var touched [2]int
	nt := 0
	off := 0
	for i := 0; i < n.n && off < to; i++ {
		c := n.counts[i]
		a, b := max(from-off, 0), min(to-off, c)
		off += c
		if a >= b {
			continue
		}
		switch {
		case a == 0 && b == c:
			if h == 1 {
				n.leaves[i].visit(0, c, visit)
			} else {
				n.kids[i].visitAll(h-1, visit)
			}
		case h == 1:
			l := n.leaves[i]
			l.visit(a, b, visit)
			l.cut(a, b)
		default:
			n.kids[i].removeRanks(h-1, a, b, visit)
		}
		n.counts[i] -= b - a
		if n.counts[i] > 0 {
			n.refresh(i, h)
			touched[nt] = i
			nt++
		}
	}
	// Drop emptied children, tracking where the touched ones land.
	w := 0
	for r := 0; r < n.n; r++ {
		if n.counts[r] == 0 {
			continue
		}
		for t := 0; t < nt; t++ {
			if touched[t] == r {
				touched[t] = w
			}
		}
		if w != r {
			moveChildren(n, w, n, r, 1)
		}
		w++
	}
	n.n = w
	n.clearFrom(w)
	for t := nt - 1; t >= 0; t-- {
		if touched[t] < n.n {
			n.fix(touched[t], h)
		}
	}
}

// visit reports items [from, to) of l in order.
func (l *leaf) visit(from, to int, visit func(string, float64)) {
	for j := from; j < to; j++ {
		visit(l.members[j], l.scores[j])
	}
}

// visitAll reports every item under n in order.
func (n *inner) visitAll(h int, visit func(string, float64)) {
	for i := 0; i < n.n; i++ {
		if h == 1 {
			n.leaves[i].visit(0, n.leaves[i].n, visit)
		} else {
			n.kids[i].visitAll(h-1, visit)
		}
	}
}

// at returns the item at rank r of n's subtree; r must be in range.
func (n *inner) at(h, r int) item {
	for {
		i := 0
		for ; i < n.n-1 && r >= n.counts[i]; i++ {
			r -= n.counts[i]
		}
		if h == 1 {
			l := n.leaves[i]
			return item{l.members[r], l.scores[r]}
		}
		n, h = n.kids[i], h-1
	}
}

// walk calls fn on items from rank start of n's subtree onwards (or
// downwards when reverse) and reports whether fn wants more.
func (n *inner) walk(h, start int, reverse bool, fn func(string, float64) bool) bool {
	i := 0
	for ; i < n.n-1 && start >= n.counts[i]; i++ {
		start -= n.counts[i]
	}
	if !reverse {
		for ; i < n.n; i++ {
			if h == 1 {
				l := n.leaves[i]
				for j := start; j < l.n; j++ {
					if !fn(l.members[j], l.scores[j]) {
						return false
					}
				}
			} else if !n.kids[i].walk(h-1, start, false, fn) {
				return false
			}
			start = 0
		}
		return true
	}
	for ; i >= 0; i-- {
		if h == 1 {
			l := n.leaves[i]
			for j := start; j >= 0; j-- {
				if !fn(l.members[j], l.scores[j]) {
					return false
				}
			}
		} else if !n.kids[i].walk(h-1, start, true, fn) {
			return false
		}
		if i > 0 {
			start = n.counts[i-1] - 1
		}
	}
	return true
}

// boundKind selects the predicate a bound applies to an item.
type boundKind uint8

const (
	scoreBelow     boundKind = iota // score < v
	scoreAtOrBelow                  // score <= v
	itemBelow                       // item < (v, m)
	itemAtOrBelow                   // item <= (v, m)
)

// bound is a position in set order, as a predicate that holds for every
// item before the position and for none after it.
type bound struct {
	kind   boundKind
	score  float64
	member string
}

// before reports whether the item (score, member) lies before b.
func (b *bound) before(score float64, member string) bool {
	switch b.kind {
	case scoreBelow:
		return score < b.score
	case scoreAtOrBelow:
		return score <= b.score
	case itemBelow:
		return cmpKey(score, member, b.score, b.member) < 0
	default:
		return cmpKey(score, member, b.score, b.member) <= 0
	}
}

// countItems returns how many of the ordered items lie before b.
func countItems(items []item, b *bound) int {
	lo, hi := 0, len(items)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b.before(items[m].score, items[m].member) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// count returns how many items of n's subtree lie before b. Keys are valid
// split points for any such predicate: if a key lies before b, everything in
// the children left of it does too, and if it does not, nothing from its
// child onwards does.
func (n *inner) count(h int, b *bound) int {
	rank, _, _ := n.seek(h, b)
	return rank
}

// seek is count that also returns the leaf the boundary falls in and the
// boundary's position there, so that callers can read the items either
// side of it without a second descent.
func (n *inner) seek(h int, b *bound) (rank int, l *leaf, pos int) {
	for {
		lo, hi := 1, n.n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if b.before(n.keys[m].score, n.keys[m].member) {
				lo = m + 1
			} else {
				hi = m
			}
		}
		j := lo - 1
		for k := 0; k < j; k++ {
			rank += n.counts[k]
		}
		if h == 1 {
			l = n.leaves[j]
			pos = l.count(b)
			return rank + pos, l, pos
		}
		n, h = n.kids[j], h-1
	}
}

// forward returns the rank, within n's subtree, of the first item at rank
// from or later whose member satisfies p, which must be upward closed (true
// for a member implies true for every larger one), so that a subtree holds
// a match exactly when its largest member matches.
func (n *inner) forward(h, from int, p lexPred) (int, bool) {
	off := 0
	for i := 0; i < n.n; i++ {
		c := n.counts[i]
		if from >= off+c || !p.up(n.hi[i]) {
			off += c
			continue
		}
		var r int
		var ok bool
		if h == 1 {
			r, ok = forwardMembers(n.leaves[i].members[:c], max(from-off, 0), p)
		} else {
			r, ok = n.kids[i].forward(h-1, max(from-off, 0), p)
		}
		if ok {
			return off + r, true
		}
		off += c
	}
	return 0, false
}

// backward returns the rank of the last item at rank from or earlier whose
// member fails p (upward closed, as for forward): a subtree holds one
// exactly when its smallest member fails.
func (n *inner) backward(h, from int, p lexPred) (int, bool) {
	off := n.total()
	for i := n.n - 1; i >= 0; i-- {
		c := n.counts[i]
		off -= c
		if from < off || p.up(n.lo[i]) {
			continue
		}
		var r int
		var ok bool
		if h == 1 {
			r, ok = backwardMembers(n.leaves[i].members[:c], min(from-off, c-1), p)
		} else {
			r, ok = n.kids[i].backward(h-1, min(from-off, c-1), p)
		}
		if ok {
			return off + r, true
		}
	}
	return 0, false
}

// forwardMembers returns the first index >= from whose member satisfies p.
func forwardMembers(members []string, from int, p lexPred) (int, bool) {
	for j := from; j < len(members); j++ {
		if p.up(members[j]) {
			return j, true
		}
	}
	return 0, false
}

// backwardMembers returns the last index <= from whose member fails p.
func backwardMembers(members []string, from int, p lexPred) (int, bool) {
	for j := from; j >= 0; j-- {
		if !p.up(members[j]) {
			return j, true
		}
	}
	return 0, false
}

// forwardItems and backwardItems do the same over the small slice.
func forwardItems(items []item, from int, p lexPred) (int, bool) {
	for j := from; j < len(items); j++ {
		if p.up(items[j].member) {
			return j, true
		}
	}
	return 0, false
}

func backwardItems(items []item, from int, p lexPred) (int, bool) {
	for j := from; j >= 0; j-- {
		if !p.up(items[j].member) {
			return j, true
		}
	}
	return 0, false
}
