package backend

import (
	"github.com/keyslot/keyslot/backend/rdb"
)

// DEBUG DIGEST, DEBUG OBJECT and MEMORY USAGE for the collection types
// (strings have theirs beside the commands). Digests follow Redis's
// xorObjectDigest exactly; sizes estimate what Redis's objectComputeSize
// would report for the encoding OBJECT ENCODING shows, sampling large
// collections as Redis does, since keyslot's own layout differs.

func (l *listValue) digestValue(d *digest) {
	l.each(0, false, func(e []byte) bool { d.mix(e); return true })
}

func (s *setValue) digestValue(d *digest) {
	for m := range s.all() {
		d.xor(m)
	}
}

func (h *hashValue) digestValue(d *digest) {
	for f, v := range h.all() {
		digestPair(d, f, v)
	}
}

func (z *zsetValue) digestValue(d *digest) {
	z.set.Range(0, false, func(m string, score float64) bool {
		digestPair(d, []byte(m), []byte(formatFloat(score)))
		return true
	})
}

// serializedLength is DEBUG OBJECT's serializedlength: the bytes of the
// value in RDB form, without the type byte.
func serializedLength(it *item) int64 {
	o, err := objectOf(it.val)
	if err != nil {
		return 0
	}
	b, err := rdb.AppendObject(nil, o, it.val.encoding(it), rdb.DefaultDumpOptions())
	if err != nil {
		return 0
	}
	return int64(len(b))
}

func (l *listValue) serializedLength(it *item) int64 { return serializedLength(it) }
func (s *setValue) serializedLength(it *item) int64  { return serializedLength(it) }
func (h *hashValue) serializedLength(it *item) int64 { return serializedLength(it) }
func (z *zsetValue) serializedLength(it *item) int64 { return serializedLength(it) }

// sampledSize estimates a collection of n elements from the sizes of its
// first samples elements (all when samples is 0), as objectComputeSize
// does.
func sampledSize(n, samples int, each func(fn func(size int64) bool)) int64 {
	var sum int64
	seen := 0
	each(func(size int64) bool {
		sum += size
		seen++
		return samples == 0 || seen < samples
	})
	if seen == 0 {
		return 0
	}
	return sum * int64(n) / int64(seen)
}

// listpackEntrySize is the bytes one element takes in a listpack: its
// encoding header, the data and the back-length.
func listpackEntrySize(b []byte) int64 {
	if _, ok := parseInt(b); ok && len(b) <= 20 {
		return 9 + 1 // at most an 8-byte integer and its back-length
	}
	n := int64(len(b))
	switch {
	case n < 64:
		return 1 + n + 1
	case n < 4096:
		return 2 + n + 2
	}
	return 5 + n + 5
}

func (l *listValue) memoryUsage(_ *item, samples int) int64 {
	// A quicklist: its header, and per 8 kB listpack node a node struct and
	// the listpack.
	data := sampledSize(l.len(), samples, func(fn func(int64) bool) {
		l.each(0, false, func(e []byte) bool { return fn(listpackEntrySize(e)) })
	})
	nodes := data/8192 + 1
	return robjSize + 40 + nodes*(32+7) + mallocSize(data)
}

func (s *setValue) memoryUsage(it *item, samples int) int64 {
	if s.encoding(it) == "intset" {
		width := int64(2)
		for m := range s.all() {
			if v, _ := parseInt(m); v < -1<<31 || v >= 1<<31 {
				width = 8
				break
			} else if v < -1<<15 || v >= 1<<15 {
				width = 4
			}
		}
		return robjSize + mallocSize(8+width*int64(s.len()))
	}
	elems := sampledSize(s.len(), samples, func(fn func(int64) bool) {
		for m := range s.all() {
			if !fn(sdsAllocSize(len(m), false) + dictEntrySize) {
				return
			}
		}
	})
	return robjSize + dictHeaderSize + dictBuckets(s.len()) + elems
}

func (h *hashValue) memoryUsage(it *item, samples int) int64 {
	if h.encoding(it) == "listpack" {
		var n int64 = 7
		for f, v := range h.all() {
			n += listpackEntrySize(f) + listpackEntrySize(v)
		}
		return robjSize + mallocSize(n)
	}
	elems := sampledSize(h.len(), samples, func(fn func(int64) bool) {
		for f, v := range h.all() {
			if !fn(sdsAllocSize(len(f), false) + sdsAllocSize(len(v), false) + dictEntrySize) {
				return
			}
		}
	})
	return robjSize + dictHeaderSize + dictBuckets(h.len()) + elems
}

func (z *zsetValue) memoryUsage(it *item, samples int) int64 {
	if z.encoding(it) == "listpack" {
		var n int64 = 7
		z.set.Range(0, false, func(m string, score float64) bool {
			n += listpackEntrySize([]byte(m)) + 10
			return true
		})
		return robjSize + mallocSize(n)
	}
	elems := sampledSize(z.set.Len(), samples, func(fn func(int64) bool) {
		z.set.Range(0, false, func(m string, _ float64) bool {
			// The skiplist node (with its levels) and the dict entry.
			return fn(mallocSize(32+16*2) + sdsAllocSize(len(m), false) + dictEntrySize)
		})
	})
	// The zset struct, its dict and the skiplist header node (32 levels).
	return robjSize + 16 + dictHeaderSize + dictBuckets(z.set.Len()) + 32 + mallocSize(32+16*32) + elems
}

// dictHeaderSize is what a Redis 7.0 dict costs before its buckets.
const dictHeaderSize = 56

// dictBuckets is the bucket array of a Redis dict holding n entries: the
// next power of two, 8 bytes each.
func dictBuckets(n int) int64 {
	size := int64(4)
	for size < int64(n) {
		size *= 2
	}
	return mallocSize(size * 8)
}
