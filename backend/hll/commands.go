package hll

import "encoding/binary"

// Add is PFADD: it adds elems to the HyperLogLog hll and returns the new
// value, whether PFADD replies 1, and an error.
//
// exists false means the key is missing: a new sparse value is created and
// changed is true even without elements, as Redis creates the key and
// replies 1. Otherwise hll must be the key's string value; ErrWrongType
// means it is not a HyperLogLog.
//
// A dense hll is updated in place and returned; a sparse one is copied. On
// ErrCorrupted out is still what Redis leaves in the key: Redis edits the
// value in place and only meets the corruption part way through, keeping
// the edits made before it (without marking the cached cardinality stale,
// and without counting the command as a write).
func Add(hll []byte, exists bool, sparseMaxBytes int, elems ...[]byte) (out []byte, changed bool, err error) {
	var v value
	updated := false
	if !exists {
		v = editable(newSparse())
		updated = true
	} else {
		if !IsHLL(hll) {
			return hll, false, ErrWrongType
		}
		if len(elems) == 0 {
			return hll, false, nil
		}
		v = editable(hll)
	}
	for _, e := range elems {
		index, count := position(e)
		switch v.set(index, count, sparseMaxBytes) {
		case 1:
			updated = true
		case -1:
			return v.bytes(), false, ErrCorrupted
		}
	}
	if updated {
		v.invalidate()
	}
	return v.bytes(), updated, nil
}

// Count is PFCOUNT of one key. It returns the cardinality, as the integer
// Redis replies with, and the value with its cached cardinality filled in.
// A valid cache is returned as is, without looking at the registers, as
// Redis does. Otherwise the cardinality is computed and written into hll in
// place, and cacheUpdated tells the caller that the key was modified (Redis
// counts it as a write).
func Count(hll []byte) (n int64, out []byte, cacheUpdated bool, err error) {
	if !IsHLL(hll) {
		return 0, hll, false, ErrWrongType
	}
	if card, ok := cachedCard(hll); ok {
		return int64(card), hll, false, nil
	}
	var h [histogramSz]int
	if hll[4] == encDense {
		denseHistogram(hll[headerSize:], &h)
	} else {
		var ok bool
		if h, ok = sparseHistogram(hll[headerSize:]); !ok {
			return 0, hll, false, ErrCorrupted
		}
	}
	n = estimate(&h)
	// An out-of-range estimate is stored with its top bit set, which
	// reads back as a stale cache, as in Redis.
	binary.LittleEndian.PutUint64(hll[cardOffset:headerSize], uint64(n))
	return n, hll, true, nil
}

// CountUnion is PFCOUNT of several keys: the cardinality of the union of
// hlls, which are left untouched (their caches are neither read nor
// written). Each element is the value of an existing key, in argument
// order; leave missing keys out. The first bad value decides the error,
// as in Redis.
func CountUnion(hlls ...[]byte) (int64, error) {
	var regs [numRegs]uint8
	for _, b := range hlls {
		if err := mergeInto(&regs, b); err != nil {
			return 0, err
		}
	}
	var h [histogramSz]int
	rawHistogram(&regs, &h)
	return estimate(&h), nil
}

// Merge is PFMERGE: it merges srcs into dst and returns the new value of
// dst. dstExists false means the destination key is missing; it is then
// created, even without sources. srcs are the values of the existing source
// keys in argument order (leave missing keys out); dst takes part as the
// first input, as in Redis.
//
// The result is dense if any input was dense; otherwise the registers are
// written into the sparse destination one by one, which may promote it to
// dense by sparseMaxBytes or by a register above 32. A dense dst is updated
// in place. The result always has its cached cardinality marked stale.
func Merge(dst []byte, dstExists bool, sparseMaxBytes int, srcs ...[]byte) ([]byte, error) {
	var regs [numRegs]uint8
	useDense := false
	if dstExists {
		if err := mergeInto(&regs, dst); err != nil {
			return dst, err
		}
		useDense = dst[4] == encDense
	}
	for _, s := range srcs {
		if err := mergeInto(&regs, s); err != nil {
			return dst, err
		}
		if s[4] == encDense {
			useDense = true
		}
	}
	if useDense {
		// Every input, dst included, went into regs, so the merged dense
		// registers are regs itself. Converting dst first cannot fail:
		// mergeInto already walked its body with the same rules.
		out := dst
		if !dstExists || dst[4] != encDense {
			out = make([]byte, denseSize)
			if dstExists {
				copy(out, dst[:headerSize])
			} else {
				copy(out, newSparse()[:headerSize])
			}
			out[4] = encDense
		}
		densePack(out[headerSize:], &regs)
		out[staleByte] |= staleBit
		return out, nil
	}
	var v value
	if dstExists {
		v = editable(dst)
	} else {
		v = editable(newSparse())
	}
	for i, r := range regs {
		if r != 0 {
			// Redis ignores the result here; a corrupt destination
			// was already rejected by mergeInto.
			v.set(i, r, sparseMaxBytes)
		}
	}
	v.invalidate()
	return v.bytes(), nil
}

// mergeInto checks b as PFMERGE and multi-key PFCOUNT do and raises regs to
// its registers.
func mergeInto(regs *[numRegs]uint8, b []byte) error {
	if !IsHLL(b) {
		return ErrWrongType
	}
	if b[4] == encDense {
		denseMax(b[headerSize:], regs)
		return nil
	}
	if !sparseMax(b[headerSize:], regs) {
		return ErrCorrupted
	}
	return nil
}
