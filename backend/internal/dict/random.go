package dict

import "math/rand/v2"

// fairWindow is the number of entries a Random window holds on average.
// Larger windows waste fewer tries but walk more buckets per try.
const fairWindow = 8

// maxRandomTries bounds Random's rejection loop; each try is accepted with
// probability about 1/2, so the bound is never reached in practice.
const maxRandomTries = 64

// Random returns an entry chosen uniformly at random, or nil when d is
// empty. It advances rehashing like other operations.
//
// Picking a random bucket and then a random element of its chain, or a
// random element of a sample as Redis's dictGetFairRandomKey does, favours
// entries that have few neighbours. Random first picks a table in
// proportion to the entries it holds (while rehashing), then draws a
// window of w consecutive buckets of it, wrapping around, with w chosen to
// hold about 8 entries. It counts the c entries in the window and keeps the
// j-th for j drawn from [0, cmax), trying again when j >= c. Every bucket
// lies in exactly w windows, so each entry is chosen with the same
// probability per try; only windows holding more than cmax = 2*8 entries,
// which are rare, are slightly favoured.
func (d *Dict[V]) Random(r *rand.Rand) *Entry[V] {
	if d.Len() == 0 {
		return nil
	}
	d.step()
	if d.t1 == nil {
		return randomIn(r, d.t0, d.used0)
	}
	if r.IntN(d.Len()) < d.used0 {
		// t0's buckets below rehashIdx are empty: leave them out.
		return randomIn(r, d.t0[d.rehashIdx:], d.used0)
	}
	return randomIn(r, d.t1, d.used1)
}

// randomIn returns a uniformly random entry of the m > 0 entries that the
// buckets t hold, spread over them by hash.
func randomIn[V any](r *rand.Rand, t []*Entry[V], m int) *Entry[V] {
	n := len(t)
	w := min(n, (fairWindow*n+m-1)/m)
	// A window of the whole table always holds every entry: accept at once.
	cmax := m
	if w < n {
		cmax = (2*w*m + n - 1) / n
	}
	for range maxRandomTries {
		s, c := r.IntN(n), 0
		for k := range w {
			for e := t[(s+k)%n]; e != nil; e = e.next {
				c++
			}
		}
		if c == 0 {
			continue
		}
		j := r.IntN(max(c, cmax))
		if j >= c {
			continue
		}
		for k := 0; ; k++ {
			for e := t[(s+k)%n]; e != nil; e = e.next {
				if j == 0 {
					return e
				}
				j--
			}
		}
	}
	// Out of luck: settle for a random element of a random non-empty
	// bucket, biased towards short chains.
	var e *Entry[V]
	for e == nil {
		e = t[r.IntN(n)]
	}
	k := 0
	for c := e; c != nil; c = c.next {
		k++
	}
	for k = r.IntN(k); k > 0; k-- {
		e = e.next
	}
	return e
}

// Sample calls fn on up to n entries taken from a random area of the table,
// as Redis's dictGetSomeKeys does for eviction and active expiry: it starts
// at a random bucket and walks on through consecutive buckets (both tables
// while rehashing), jumping elsewhere after a run of empty ones, and stops
// after 10*n bucket positions (each looked up in both tables while
// rehashing). Entries are usually distinct but may repeat, and fewer than n
// may be returned even when Len() >= n. Like every operation it advances
// rehashing, here by one step per entry requested.
//
// fn may delete the entry it was given (and edit its Value) but must make no
// other change to d.
func (d *Dict[V]) Sample(r *rand.Rand, n int, fn func(*Entry[V])) {
	count := min(n, d.Len())
	if count <= 0 {
		return
	}
	// A sample of a table in mid-resize is cheaper and less lopsided the
	// sooner the old table drains.
	for i := 0; i < count && d.t1 != nil && d.paused == 0; i++ {
		d.rehashStep()
	}
	d.pause()
	defer d.unpause()

	tables := [2][]*Entry[V]{d.t0, d.t1}
	ntables := 1
	if d.t1 != nil {
		ntables = 2
	}
	mask := uint64(max(len(d.t0), len(d.t1)) - 1)
	i := r.Uint64() & mask
	got, emptyRun := 0, 0
	for visits := 10 * count; got < count && visits > 0; visits-- {
		for j := range ntables {
			t := tables[j]
			if j == 1 || ntables == 1 || i >= uint64(d.rehashIdx) {
				// Nothing to skip.
			} else if i >= uint64(len(d.t1)) {
				// Shrinking: past the end of the new table, the old one
				// is empty up to rehashIdx, so jump there.
				i = uint64(d.rehashIdx)
			} else {
				// Already moved; t1 still covers this index.
				continue
			}
			if i >= uint64(len(t)) {
				continue
			}
			e := t[i]
			if e == nil {
				emptyRun++
				// A long empty run means a sparse area; a fresh random
				// start finds entries faster than walking it.
				if emptyRun >= 5 && emptyRun > count {
					i = r.Uint64() & mask
					emptyRun = 0
				}
				continue
			}
			emptyRun = 0
			for e != nil && got < count {
				next := e.next
				fn(e)
				got++
				e = next
			}
		}
		i = (i + 1) & mask
	}
}
