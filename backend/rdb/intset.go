package rdb

import (
	"encoding/binary"
	"math"
	"slices"
)

// Intset layout: element width in bytes (uint32 LE: 2, 4 or 8), element
// count (uint32 LE), then the elements, little endian, strictly ascending.
const intsetHeaderSize = 8

// intsetWidth returns the narrowest intset width that holds v.
func intsetWidth(v int64) int {
	switch {
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 2
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 4
	}
	return 8
}

// appendIntset appends the intset Redis builds from vals: sorted, in the
// narrowest width that holds them all. vals is sorted in place; it must
// not hold duplicates.
func appendIntset(dst []byte, vals []int64) []byte {
	slices.Sort(vals)
	w := 2
	if len(vals) > 0 {
		w = max(intsetWidth(vals[0]), intsetWidth(vals[len(vals)-1]))
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(w))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(vals)))
	for _, v := range vals {
		switch w {
		case 2:
			dst = binary.LittleEndian.AppendUint16(dst, uint16(v))
		case 4:
			dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
		default:
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v))
		}
	}
	return dst
}

// intsetReader validates an intset as Redis's deep check does (a known
// width, a size that matches the count, not empty, strictly ascending) and
// yields its elements.
type intsetReader struct {
	is    []byte
	width int
	n     int
	i     int
	prev  int64
}

func newIntsetReader(is []byte) (intsetReader, string) {
	if len(is) < intsetHeaderSize {
		return intsetReader{}, "intset shorter than its header"
	}
	w := binary.LittleEndian.Uint32(is)
	if w != 2 && w != 4 && w != 8 {
		return intsetReader{}, "invalid intset width"
	}
	n := uint64(binary.LittleEndian.Uint32(is[4:]))
	if intsetHeaderSize+n*uint64(w) != uint64(len(is)) {
		return intsetReader{}, "intset size does not match its count"
	}
	if n == 0 {
		return intsetReader{}, "empty intset"
	}
	return intsetReader{is: is, width: int(w), n: int(n)}, ""
}

// next returns the next element; ok is false after the last one.
func (r *intsetReader) next() (v int64, ok bool, reason string) {
	if r.i == r.n {
		return 0, false, ""
	}
	d := r.is[intsetHeaderSize+r.i*r.width:]
	switch r.width {
	case 2:
		v = int64(int16(binary.LittleEndian.Uint16(d)))
	case 4:
		v = int64(int32(binary.LittleEndian.Uint32(d)))
	default:
		v = int64(binary.LittleEndian.Uint64(d))
	}
	if r.i > 0 && v <= r.prev {
		return 0, false, "intset elements out of order or duplicated"
	}
	r.prev = v
	r.i++
	return v, true, ""
}
