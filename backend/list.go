package backend

import (
	"bytes"
	"slices"
)

// A list is a ring of nodes, each a run of elements packed into one byte
// buffer, as Redis's quicklist is a linked list of listpacks. Both ends push
// and pop in O(1) amortised time with a copy of the element's bytes and no
// allocation per element; an index walks the nodes' counts from the nearer
// end, then finds the element in its node at once.
const (
	// listNodeBytes caps a node's element bytes: Redis's default
	// list-max-listpack-size -2 is 8 KB per node. A larger element gets a
	// node of its own.
	listNodeBytes = 8 << 10
	// listNodeCount caps a node's elements, so that rebuilding one (LINSERT,
	// LSET, LREM) stays cheap however small they are.
	listNodeCount = 1024
)

// listValue is a list.
type listValue struct {
	ring []lnode // length a power of two; nodes never empty
	head int     // ring index of the first node
	nn   int     // nodes in use
	n    int     // elements
}

// lnode is one node. Element i is buf[offs[lo+i]:offs[lo+i+1]]; the unused
// parts of buf and offs before lo and after hi are room for pushes, kept
// on the sides that face the list's ends. A node holding one element
// larger than listNodeBytes has nil offs and the element is buf, whole.
// Offsets are 16 bits: a packed node's buffer never passes listNodeBytes.
type lnode struct {
	buf    []byte
	offs   []uint16
	lo, hi int32
}

func (*listValue) typeName() string { return "list" }

// encoding is quicklist: Redis 7.0 stores every list so (7.2 added
// listpack for small ones).
func (*listValue) encoding(*item) string { return "quicklist" }

// wakesBlocked marks lists as what BLPOP and its kin wait for.
func (*listValue) wakesBlocked() {}

// copyValue returns a deep copy, for COPY, with its nodes packed tight.
func (l *listValue) copyValue() value {
	c := &listValue{ring: make([]lnode, ringSize(l.nn)), nn: l.nn, n: l.n}
	for j := range l.nn {
		c.ring[j] = l.node(j).clone()
	}
	return c
}

func ringSize(nodes int) int {
	size := 1
	for size < nodes {
		size *= 2
	}
	return size
}

func (l *listValue) len() int { return l.n }

func (l *listValue) node(j int) *lnode { return &l.ring[(l.head+j)&(len(l.ring)-1)] }

// pushFront adds e (copied) before the first element.
func (l *listValue) pushFront(e []byte) {
	l.n++
	if len(e) > listNodeBytes {
		l.insertNode(0, bigNode(e))
		return
	}
	if l.nn > 0 {
		nd := l.node(0)
		if nd.fits(len(e)) {
			if int(nd.offs[nd.lo]) < len(e) || nd.lo == 0 {
				nd.relayout(true, len(e), l.nn == 1)
			}
			nd.pushFront(e)
			return
		}
	}
	nd := l.endNode(len(e), true)
	nd.pushFront(e)
	l.insertNode(0, nd)
}

// pushBack adds e (copied) after the last element.
func (l *listValue) pushBack(e []byte) {
	l.n++
	if len(e) > listNodeBytes {
		l.insertNode(l.nn, bigNode(e))
		return
	}
	if l.nn > 0 {
		nd := l.node(l.nn - 1)
		if nd.fits(len(e)) {
			if len(nd.buf)-int(nd.offs[nd.hi]) < len(e) || int(nd.hi) == len(nd.offs)-1 {
				nd.relayout(false, len(e), l.nn == 1)
			}
			nd.pushBack(e)
			return
		}
	}
	nd := l.endNode(len(e), false)
	nd.pushBack(e)
	l.insertNode(l.nn, nd)
}

// endNode makes an empty node for a new end of the list, sized after the
// node it will sit next to: a list that filled one node is likely to fill
// the next.
func (l *listValue) endNode(need int, front bool) lnode {
	dataCap, slots := need, 1
	if l.nn > 0 {
		nb := l.node(0)
		if !front {
			nb = l.node(l.nn - 1)
		}
		if nb.offs != nil {
			dataCap = max(nb.used()/2, need)
			slots = max(nb.count()/2, 1)
		}
	}
	return makeNode(dataCap, slots, front)
}

// front and back return the first and last elements of a non-empty list.
// Like every element returned, they stay valid until the list is next
// changed.
func (l *listValue) front() []byte { return l.node(0).at(0) }

func (l *listValue) back() []byte {
	nd := l.node(l.nn - 1)
	return nd.at(nd.count() - 1)
}

// popFront removes and returns the first element of a non-empty list. The
// bytes stay valid until the next push.
func (l *listValue) popFront() []byte {
	nd := l.node(0)
	v := nd.at(0)
	l.n--
	if nd.count() == 1 {
		l.removeNode(0)
	} else {
		nd.lo++
	}
	return v
}

// popBack removes and returns the last element of a non-empty list.
func (l *listValue) popBack() []byte {
	nd := l.node(l.nn - 1)
	v := nd.at(nd.count() - 1)
	l.n--
	if nd.count() == 1 {
		l.removeNode(l.nn - 1)
	} else {
		nd.hi--
	}
	return v
}

// removeFront drops the first k elements (k <= len).
func (l *listValue) removeFront(k int) {
	l.n -= k
	for k > 0 {
		nd := l.node(0)
		c := nd.count()
		if c <= k {
			l.removeNode(0)
			k -= c
			continue
		}
		nd.lo += int32(k)
		k = 0
	}
}

// removeBack drops the last k elements (k <= len).
func (l *listValue) removeBack(k int) {
	l.n -= k
	for k > 0 {
		nd := l.node(l.nn - 1)
		c := nd.count()
		if c <= k {
			l.removeNode(l.nn - 1)
			k -= c
			continue
		}
		nd.hi -= int32(k)
		k = 0
	}
}

// locate finds element i (0 <= i < len): its node and its place there,
// walking from the nearer end.
func (l *listValue) locate(i int) (j, p int) {
	if i < l.n/2 {
		for j = 0; ; j++ {
			c := l.node(j).count()
			if i < c {
				return j, i
			}
			i -= c
		}
	}
	r := l.n - 1 - i // distance from the last element
	for j = l.nn - 1; ; j-- {
		c := l.node(j).count()
		if r < c {
			return j, c - 1 - r
		}
		r -= c
	}
}

// index returns element i (0 <= i < len).
func (l *listValue) index(i int) []byte {
	j, p := l.locate(i)
	return l.node(j).at(p)
}

// each calls fn on the elements from index start (0 <= start < len)
// toward the tail, or toward the head if reverse, until fn returns false.
func (l *listValue) each(start int, reverse bool, fn func(v []byte) bool) {
	j, p := l.locate(start)
	if !reverse {
		for ; j < l.nn; j++ {
			nd := l.node(j)
			for c := nd.count(); p < c; p++ {
				if !fn(nd.at(p)) {
					return
				}
			}
			p = 0
		}
		return
	}
	for ; j >= 0; j-- {
		nd := l.node(j)
		for ; p >= 0; p-- {
			if !fn(nd.at(p)) {
				return
			}
		}
		if j > 0 {
			p = l.node(j-1).count() - 1
		}
	}
}

// set replaces element i (0 <= i < len) with a copy of e.
func (l *listValue) set(i int, e []byte) {
	j, p := l.locate(i)
	nd := l.node(j)
	if old := nd.at(p); len(old) == len(e) {
		copy(old, e)
		return
	}
	elems := nd.elems()
	elems[p] = e
	l.replaceNode(j, elems)
	l.compact(j-1, j+1)
}

// insert adds a copy of e before element i (0 <= i <= len).
func (l *listValue) insert(i int, e []byte) {
	switch i {
	case 0:
		l.pushFront(e)
		return
	case l.n:
		l.pushBack(e)
		return
	}
	j, p := l.locate(i)
	if p == 0 && l.node(j-1).fits(len(e)) {
		// Append to the previous node rather than split this one.
		j, p = j-1, l.node(j-1).count()
	}
	elems := l.node(j).elems()
	elems = slices.Insert(elems, p, e)
	l.n++
	l.replaceNode(j, elems)
}

// removeEqual removes up to limit elements equal to e (every one when
// limit is 0), scanning from the tail if fromBack, and returns how many
// went.
func (l *listValue) removeEqual(e []byte, limit int, fromBack bool) int {
	removed := 0
	var kept [][]byte
	var drop []bool
	j, step := 0, 1
	if fromBack {
		j, step = l.nn-1, -1
	}
	for j >= 0 && j < l.nn && (limit == 0 || removed < limit) {
		nd := l.node(j)
		c := nd.count()
		drop = slices.Grow(drop[:0], c)[:c]
		clear(drop)
		hit := 0
		for k := range c {
			p := k
			if fromBack {
				p = c - 1 - k
			}
			if (limit == 0 || removed < limit) && bytes.Equal(nd.at(p), e) {
				drop[p] = true
				removed++
				hit++
			}
		}
		if hit == 0 {
			j += step
			continue
		}
		l.n -= hit
		if hit == c {
			l.removeNode(j)
			if !fromBack {
				continue
			}
			j--
			continue
		}
		kept = kept[:0]
		for p := range c {
			if !drop[p] {
				kept = append(kept, nd.at(p))
			}
		}
		*nd = packNode(kept)
		j += step
	}
	if removed > 0 {
		l.compact(0, l.nn-1)
	}
	return removed
}

// replaceNode puts elems, packed into as many nodes as they need, in place
// of node j. The elements may point into node j: they are copied before it
// goes.
func (l *listValue) replaceNode(j int, elems [][]byte) {
	nodes := packNodes(elems)
	if len(nodes) == 0 {
		l.removeNode(j)
		return
	}
	*l.node(j) = nodes[0]
	for k, nd := range nodes[1:] {
		l.insertNode(j+1+k, nd)
	}
}

// compact merges neighbours among nodes from..to that together fill no
// more than half a node, so that removals in the middle do not leave a
// trail of tiny nodes.
func (l *listValue) compact(from, to int) {
	from = max(from, 0)
	for j := from; j < to && j+1 < l.nn; {
		a, b := l.node(j), l.node(j+1)
		if a.offs == nil || b.offs == nil ||
			a.used()+b.used() > listNodeBytes/2 || a.count()+b.count() > listNodeCount/2 {
			j++
			continue
		}
		elems := append(a.elems(), b.elems()...)
		*a = packNode(elems)
		l.removeNode(j + 1)
		to--
	}
}

// insertNode puts nd at node position j (0 <= j <= nn), shifting the
// nodes on the shorter side.
func (l *listValue) insertNode(j int, nd lnode) {
	if l.nn == len(l.ring) {
		l.growRing()
	}
	mask := len(l.ring) - 1
	if j < l.nn/2 {
		l.head = (l.head - 1) & mask
		for k := 0; k < j; k++ {
			l.ring[(l.head+k)&mask] = l.ring[(l.head+k+1)&mask]
		}
	} else {
		for k := l.nn; k > j; k-- {
			l.ring[(l.head+k)&mask] = l.ring[(l.head+k-1)&mask]
		}
	}
	l.ring[(l.head+j)&mask] = nd
	l.nn++
}

// removeNode drops node j, shifting the nodes on the shorter side.
func (l *listValue) removeNode(j int) {
	mask := len(l.ring) - 1
	if j < l.nn/2 {
		for k := j; k > 0; k-- {
			l.ring[(l.head+k)&mask] = l.ring[(l.head+k-1)&mask]
		}
		l.ring[l.head] = lnode{}
		l.head = (l.head + 1) & mask
	} else {
		for k := j; k < l.nn-1; k++ {
			l.ring[(l.head+k)&mask] = l.ring[(l.head+k+1)&mask]
		}
		l.ring[(l.head+l.nn-1)&mask] = lnode{}
	}
	l.nn--
}

func (l *listValue) growRing() {
	ring := make([]lnode, max(2*len(l.ring), 1))
	for j := range l.nn {
		ring[j] = *l.node(j)
	}
	l.ring, l.head = ring, 0
}

// Node operations.

func (nd *lnode) count() int {
	if nd.offs == nil {
		return 1
	}
	return int(nd.hi - nd.lo)
}

// used is the node's element bytes.
func (nd *lnode) used() int {
	if nd.offs == nil {
		return len(nd.buf)
	}
	return int(nd.offs[nd.hi]) - int(nd.offs[nd.lo])
}

// at returns element p of the node, capped so that appending to it cannot
// reach its neighbours.
func (nd *lnode) at(p int) []byte {
	if nd.offs == nil {
		return nd.buf[:len(nd.buf):len(nd.buf)]
	}
	a, b := nd.offs[int(nd.lo)+p], nd.offs[int(nd.lo)+p+1]
	return nd.buf[a:b:b]
}

// fits reports whether one more element of size k may join the node.
func (nd *lnode) fits(k int) bool {
	return nd.offs != nil && nd.used()+k <= listNodeBytes && nd.count() < listNodeCount
}

// pushFront and pushBack add e where the node has room for it.
func (nd *lnode) pushFront(e []byte) {
	p := int(nd.offs[nd.lo]) - len(e)
	copy(nd.buf[p:], e)
	nd.lo--
	nd.offs[nd.lo] = uint16(p)
}

func (nd *lnode) pushBack(e []byte) {
	p := int(nd.offs[nd.hi])
	copy(nd.buf[p:], e)
	nd.hi++
	nd.offs[nd.hi] = uint16(p + len(e))
}

// relayout moves the node into new buffers with room for an element of
// need bytes at the front or the back. The room goes to that side, or is
// shared between the two when the node is the list's only one (both). New
// buffers are always allocated, so elements returned before stay intact.
func (nd *lnode) relayout(front bool, need int, both bool) {
	used, cnt := nd.used(), nd.count()
	buf := allocBytes(min(max(2*(used+need), 16), listNodeBytes))
	offs := allocOffs(min(max(2*(cnt+1), 4), listNodeCount) + 1)
	freeB, freeS := len(buf)-used, len(offs)-1-cnt
	var fb, fs int // room left at the front
	switch {
	case both && front:
		fb, fs = need+(freeB-need)/2, 1+(freeS-1)/2
	case both:
		fb, fs = (freeB-need)/2, (freeS-1)/2
	case front:
		fb, fs = freeB, freeS
	}
	base := int(nd.offs[nd.lo])
	copy(buf[fb:], nd.buf[base:base+used])
	for k := 0; k <= cnt; k++ {
		offs[fs+k] = uint16(int(nd.offs[int(nd.lo)+k]) - base + fb)
	}
	nd.buf, nd.offs, nd.lo, nd.hi = buf, offs, int32(fs), int32(fs+cnt)
}

// elems returns views of the node's elements.
func (nd *lnode) elems() [][]byte {
	out := make([][]byte, nd.count())
	for p := range out {
		out[p] = nd.at(p)
	}
	return out
}

// clone returns a tight copy of the node.
func (nd *lnode) clone() lnode {
	if nd.offs == nil {
		return bigNode(nd.buf)
	}
	return packNode(nd.elems())
}

// makeNode returns an empty node with room for dataCap bytes and slots
// elements, all of it at the front or the back.
func makeNode(dataCap, slots int, front bool) lnode {
	nd := lnode{buf: allocBytes(dataCap), offs: allocOffs(slots + 1)}
	if front {
		nd.lo = int32(len(nd.offs) - 1)
		nd.hi = nd.lo
		nd.offs[nd.lo] = uint16(len(nd.buf))
	}
	return nd
}

// bigNode holds one element too large to pack.
func bigNode(e []byte) lnode { return lnode{buf: bytes.Clone(e)} }

// packNode copies elems (together at most listNodeBytes) into a new node
// with no room to spare beyond its allocation's size class.
func packNode(elems [][]byte) lnode {
	total := 0
	for _, e := range elems {
		total += len(e)
	}
	nd := lnode{buf: allocBytes(total), offs: allocOffs(len(elems) + 1)}
	p := 0
	for k, e := range elems {
		copy(nd.buf[p:], e)
		nd.offs[k] = uint16(p)
		p += len(e)
	}
	nd.offs[len(elems)] = uint16(p)
	nd.hi = int32(len(elems))
	return nd
}

// packNodes copies elems into nodes: runs of small elements split evenly
// among as few nodes as the limits allow, each large element alone.
func packNodes(elems [][]byte) []lnode {
	var out []lnode
	for len(elems) > 0 {
		if len(elems[0]) > listNodeBytes {
			out = append(out, bigNode(elems[0]))
			elems = elems[1:]
			continue
		}
		run, total := 0, 0
		for run < len(elems) && len(elems[run]) <= listNodeBytes {
			total += len(elems[run])
			run++
		}
		parts := max((total+listNodeBytes-1)/listNodeBytes, (run+listNodeCount-1)/listNodeCount)
		wantB, wantC := (total+parts-1)/parts, (run+parts-1)/parts
		for run > 0 {
			k, b := 0, 0
			for k < run && k < listNodeCount && b+len(elems[k]) <= listNodeBytes &&
				(k == 0 || (b < wantB && k < wantC)) {
				b += len(elems[k])
				k++
			}
			out = append(out, packNode(elems[:k]))
			elems, run = elems[k:], run-k
		}
	}
	return out
}

// allocBytes and allocOffs round a buffer up to its allocation size class:
// the extra room comes free.
func allocBytes(n int) []byte {
	b := slices.Grow([]byte(nil), max(n, 1))
	return b[:min(cap(b), max(n, listNodeBytes))]
}

func allocOffs(n int) []uint16 {
	o := slices.Grow([]uint16(nil), n)
	return o[:cap(o)]
}
