package dict

import (
	"hash/maphash"
	"iter"
	"math/bits"
)

const (
	// minSize is the smallest bucket array; tables never shrink below it.
	minSize = 4
	// emptyVisitsPerStep bounds the empty buckets one rehash step may skip,
	// so a sparse old table costs every operation a little, not one
	// operation a lot (Redis uses the same factor of 10).
	emptyVisitsPerStep = 10
	// shrinkRatio: a table shrinks once fewer than 1/shrinkRatio of its
	// buckets would be needed, which keeps memory proportional to Len after
	// mass deletion.
	shrinkRatio = 8
)

// Entry is one key and its value. An Entry stays at the same address for as
// long as it is in its Dict, across rehashing too, so callers may keep the
// pointer and edit Value in place.
type Entry[V any] struct {
	Key   string
	Value V
	next  *Entry[V]
}

// Dict is a chained hash table with power-of-two bucket arrays and Redis's
// incremental rehashing. Create one with New.
//
// A Dict is not safe for concurrent use; the caller holds whatever lock
// protects it for every call, Find included, since lookups also advance
// rehashing.
type Dict[V any] struct {
	// t0 is the table in use, t1 the one being filled while rehashing
	// (nil otherwise). Every entry is in exactly one of them.
	t0, t1 []*Entry[V]
	// used0 and used1 count the entries in t0 and t1.
	used0, used1 int
	// rehashIdx is the next t0 bucket to move; buckets of t0 below it are
	// empty. Meaningful only while t1 != nil.
	rehashIdx int
	// paused counts running traversals (All, Scan, Sample). While it is
	// non-zero no bucket moves and no resize starts, so a traversal may
	// delete the entry it was handed without losing its place.
	paused int
	seed   maphash.Seed
}

// New returns an empty Dict with its own hash seed, so that keys which
// collide in one table (by accident or by an attacker's choice) do not
// collide in another or in the next process.
func New[V any]() *Dict[V] {
	return &Dict[V]{seed: maphash.MakeSeed()}
}

// Len returns the number of entries.
func (d *Dict[V]) Len() int { return d.used0 + d.used1 }

// Buckets returns the number of buckets allocated, in both tables while
// rehashing. It is for INFO and for tests.
func (d *Dict[V]) Buckets() int { return len(d.t0) + len(d.t1) }

// Rehashing reports whether an incremental resize is in progress.
func (d *Dict[V]) Rehashing() bool { return d.t1 != nil }

// Find returns the entry for key, or nil. It does not allocate.
func (d *Dict[V]) Find(key []byte) *Entry[V] {
	if d.Len() == 0 {
		return nil
	}
	d.step()
	h := maphash.Bytes(d.seed, key)
	for e := d.t0[h&uint64(len(d.t0)-1)]; e != nil; e = e.next {
		if e.Key == string(key) {
			return e
		}
	}
	if d.t1 != nil {
		for e := d.t1[h&uint64(len(d.t1)-1)]; e != nil; e = e.next {
			if e.Key == string(key) {
				return e
			}
		}
	}
	return nil
}

// FindString returns the entry for key, or nil.
func (d *Dict[V]) FindString(key string) *Entry[V] {
	if d.Len() == 0 {
		return nil
	}
	d.step()
	h := maphash.String(d.seed, key)
	return d.lookup(h, key)
}

// lookup searches both tables for key, whose hash is h.
func (d *Dict[V]) lookup(h uint64, key string) *Entry[V] {
	if d.t0 == nil {
		return nil
	}
	for e := d.t0[h&uint64(len(d.t0)-1)]; e != nil; e = e.next {
		if e.Key == key {
			return e
		}
	}
	if d.t1 != nil {
		for e := d.t1[h&uint64(len(d.t1)-1)]; e != nil; e = e.next {
			if e.Key == key {
				return e
			}
		}
	}
	return nil
}

// Insert adds key with value v and returns its new entry with added true.
// If key is already present it returns the existing entry with added false
// and leaves its value untouched, so that callers decide how to merge.
func (d *Dict[V]) Insert(key string, v V) (e *Entry[V], added bool) {
	d.step()
	d.growIfNeeded()
	h := maphash.String(d.seed, key)
	if e := d.lookup(h, key); e != nil {
		return e, false
	}
	e = &Entry[V]{Key: key, Value: v}
	// New entries go to the table being filled, so the old one only drains.
	if d.t1 != nil {
		i := h & uint64(len(d.t1)-1)
		e.next = d.t1[i]
		d.t1[i] = e
		d.used1++
	} else {
		i := h & uint64(len(d.t0)-1)
		e.next = d.t0[i]
		d.t0[i] = e
		d.used0++
	}
	return e, true
}

// Delete removes key and returns the removed entry. The entry no longer
// belongs to d; the caller may keep or reuse its Value.
func (d *Dict[V]) Delete(key []byte) (e *Entry[V], ok bool) {
	if d.Len() == 0 {
		return nil, false
	}
	d.step()
	h := maphash.Bytes(d.seed, key)
	if e := unlink(d.t0, h, key); e != nil {
		d.used0--
		if d.used0 == 0 && d.t1 != nil && d.paused == 0 {
			// The old table drained by deletion: nothing is left to move.
			d.rehashStep()
		}
		d.shrinkIfNeeded()
		return e, true
	}
	if d.t1 != nil {
		if e := unlink(d.t1, h, key); e != nil {
			d.used1--
			d.shrinkIfNeeded()
			return e, true
		}
	}
	return nil, false
}

// unlink removes key, whose hash is h, from table t and returns its entry.
func unlink[V any](t []*Entry[V], h uint64, key []byte) *Entry[V] {
	for p := &t[h&uint64(len(t)-1)]; *p != nil; p = &(*p).next {
		if e := *p; e.Key == string(key) {
			*p = e.next
			// A traversal that handed out e has already read e.next.
			e.next = nil
			return e
		}
	}
	return nil
}

// Clear removes every entry and releases the bucket arrays. Entries handed
// out earlier stay valid as values but no longer belong to d.
func (d *Dict[V]) Clear() {
	d.t0, d.t1 = nil, nil
	d.used0, d.used1 = 0, 0
	d.rehashIdx = 0
}

// All returns an iterator over every entry, each once, in no particular
// order.
//
// The loop body may delete the entry it was given (and edit its Value) but
// must make no other change to d: no Insert, no other Delete, no Clear.
// Rehashing and resizing wait until the loop ends.
func (d *Dict[V]) All() iter.Seq[*Entry[V]] {
	return func(yield func(*Entry[V]) bool) {
		d.pause()
		defer d.unpause()
		for _, t := range [2][]*Entry[V]{d.t0, d.t1} {
			for i := range t {
				for e := t[i]; e != nil; {
					next := e.next
					if !yield(e) {
						return
					}
					e = next
				}
			}
		}
	}
}

// Rehash performs up to n incremental rehash steps and reports whether
// rehashing is still in progress afterwards. The owner may call it from a
// periodic task so that an idle table finishes a resize it started.
func (d *Dict[V]) Rehash(n int) bool {
	if d.paused > 0 {
		return d.t1 != nil
	}
	for ; n > 0 && d.t1 != nil; n-- {
		d.rehashStep()
	}
	return d.t1 != nil
}

// step is the rehashing work every operation pays while a resize is in
// progress.
func (d *Dict[V]) step() {
	if d.t1 != nil && d.paused == 0 {
		d.rehashStep()
	}
}

// rehashStep moves one non-empty bucket of t0 to t1, skipping at most
// emptyVisitsPerStep empty buckets first, and completes the resize once t0
// has drained. The caller checks that rehashing is in progress and not
// paused.
func (d *Dict[V]) rehashStep() {
	if d.used0 > 0 {
		mask := uint64(len(d.t1) - 1)
		// used0 > 0 means a non-empty bucket exists at or after rehashIdx,
		// so this scan stays inside t0.
		for empty := 0; d.t0[d.rehashIdx] == nil; empty++ {
			if empty == emptyVisitsPerStep {
				return
			}
			d.rehashIdx++
		}
		e := d.t0[d.rehashIdx]
		d.t0[d.rehashIdx] = nil
		d.rehashIdx++
		for e != nil {
			next := e.next
			i := maphash.String(d.seed, e.Key) & mask
			e.next = d.t1[i]
			d.t1[i] = e
			d.used0--
			d.used1++
			e = next
		}
	}
	if d.used0 == 0 {
		d.t0, d.t1 = d.t1, nil
		d.used0, d.used1 = d.used1, 0
		d.rehashIdx = 0
		// Deletes during the resize may already call for a shrink; growth
		// waits for the next Insert, which needs the room.
		d.shrinkIfNeeded()
	}
}

// growIfNeeded allocates the first table, or starts doubling once the load
// factor reaches 1.
func (d *Dict[V]) growIfNeeded() {
	if d.t0 == nil {
		d.t0 = make([]*Entry[V], minSize)
		return
	}
	if d.t1 != nil || d.paused > 0 || d.used0 < len(d.t0) {
		return
	}
	d.resize(nextPow2(d.used0 + 1))
}

// shrinkIfNeeded starts a shrink once fewer than 1/8 of the buckets are
// needed. The target leaves the load factor between 1/4 and 1/2, so that
// neither a grow nor another shrink follows right away.
func (d *Dict[V]) shrinkIfNeeded() {
	if d.t1 != nil || d.paused > 0 || len(d.t0) <= minSize || d.used0*shrinkRatio >= len(d.t0) {
		return
	}
	d.resize(nextPow2(2 * d.used0))
}

// resize starts an incremental rehash of t0 into a new table of size
// buckets (a power of two, at least minSize).
func (d *Dict[V]) resize(size int) {
	size = max(size, minSize)
	if size == len(d.t0) {
		return
	}
	if d.used0 == 0 {
		d.t0 = make([]*Entry[V], size)
		return
	}
	d.t1 = make([]*Entry[V], size)
	d.rehashIdx = 0
}

// pause stops bucket moves and resizes for the length of a traversal.
func (d *Dict[V]) pause() { d.paused++ }

// unpause ends a traversal and starts any shrink that deletions during it
// made necessary.
func (d *Dict[V]) unpause() {
	d.paused--
	if d.paused == 0 {
		d.shrinkIfNeeded()
	}
}

// nextPow2 returns the smallest power of two >= n, for n >= 1.
func nextPow2(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}
