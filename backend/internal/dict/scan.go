package dict

import "math/bits"

// Scan calls fn for the entries of one cursor position and returns the next
// cursor; a full iteration starts with cursor 0 and ends when 0 comes back.
//
// It keeps Redis's SCAN guarantee: every entry present from the start of a
// full iteration to its end is passed to fn at least once, however the
// table grows or shrinks between calls, rehashing included. Entries may be
// passed more than once, and entries added or removed during the iteration
// may or may not be seen.
//
// The cursor counts with its bits reversed: it advances the high bits of
// the bucket index first, so the buckets already visited in a table of one
// size map onto exactly the buckets already visited in a table twice as
// large or half as large. Between calls the caller may change d freely. fn
// itself may delete the entry it was given (and edit its Value) but must
// make no other change to d.
func (d *Dict[V]) Scan(cursor uint64, fn func(*Entry[V])) uint64 {
	if d.Len() == 0 {
		return 0
	}
	d.pause()
	defer d.unpause()
	v := cursor
	if d.t1 == nil {
		m := uint64(len(d.t0) - 1)
		visitChain(d.t0[v&m], fn)
		return nextCursor(v, m)
	}
	small, big := d.t0, d.t1
	if len(small) > len(big) {
		small, big = big, small
	}
	m0, m1 := uint64(len(small)-1), uint64(len(big)-1)
	// The small table's bucket v&m0 corresponds to every big-table bucket
	// whose low bits equal it; visit them all before moving on, so that the
	// cursor means the same thing whichever table survives.
	visitChain(small[v&m0], fn)
	for {
		visitChain(big[v&m1], fn)
		v = nextCursor(v, m1)
		if v&(m0^m1) == 0 {
			return v
		}
	}
}

// visitChain calls fn on each entry of a chain, reading the link first so
// that fn may unlink the entry it holds.
func visitChain[V any](e *Entry[V], fn func(*Entry[V])) {
	for e != nil {
		next := e.next
		fn(e)
		e = next
	}
}

// nextCursor increments the reversed bits of v that lie under mask m.
// Setting the bits above m first lets the carry run through them and out,
// which leaves those bits zero.
func nextCursor(v, m uint64) uint64 {
	v |= ^m
	v = bits.Reverse64(v)
	v++
	return bits.Reverse64(v)
}
