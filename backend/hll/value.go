package hll

// value is a HyperLogLog being edited, laid out as Redis holds it in memory.
// A sparse value keeps one byte past its end, b[n], standing for the sds
// terminator: Redis's edits read and write that byte (an XZERO opcode cut
// short at the end reads it; a memmove that closes a gap copies it), so
// keeping it makes every edit land on the same bytes.
type value struct {
	b []byte // b[:n] is the value; for sparse, len(b) > n
	n int
}

// spareRoom is how much a sparse copy is allocated beyond its length, so a
// run of edits rarely reallocates.
const spareRoom = 64

// editable returns a value for editing v, which must pass IsHLL. A dense
// value is edited in place; a sparse one is copied, as its edits change its
// length.
func editable(v []byte) value {
	if v[4] == encDense {
		return value{b: v, n: len(v)}
	}
	b := make([]byte, len(v)+1, len(v)+1+spareRoom)
	copy(b, v)
	return value{b: b, n: len(v)}
}

func (v *value) bytes() []byte { return v.b[:v.n] }

func (v *value) dense() bool { return v.b[4] == encDense }

func (v *value) invalidate() { v.b[staleByte] |= staleBit }

// room makes sure k bytes past the terminator exist, like sdsMakeRoomFor.
func (v *value) room(k int) {
	need := v.n + 1 + k
	if need <= len(v.b) {
		return
	}
	if need <= cap(v.b) {
		v.b = v.b[:need]
		return
	}
	nb := make([]byte, need, 2*need)
	copy(nb, v.b)
	v.b = nb
}

// incrLen moves the end by d and writes the terminator, like sdsIncrLen.
func (v *value) incrLen(d int) {
	v.n += d
	v.b[v.n] = 0
}

// set raises register index to count, with hllDenseSet or hllSparseSet's
// rules. It returns 1 if the register changed, 0 if not, and -1 if the
// sparse body is corrupt (the value may then hold the edits made so far).
func (v *value) set(index int, count uint8, sparseMax int) int {
	if v.dense() {
		if denseSet(v.b[headerSize:v.n], index, count) {
			return 1
		}
		return 0
	}
	return v.sparseSet(index, count, sparseMax)
}

// toDense converts a sparse value to dense, keeping the header (cached
// cardinality and unused bytes included) but for the encoding byte.
func (v *value) toDense() bool {
	if v.dense() {
		return true
	}
	d := make([]byte, denseSize)
	copy(d, v.b[:headerSize])
	d[4] = encDense
	if !sparseToDense(v.b[headerSize:v.n], v.b[v.n], d[headerSize:]) {
		return false
	}
	v.b, v.n = d, denseSize
	return true
}

// promote converts to dense and then sets the register there.
func (v *value) promote(index int, count uint8) int {
	if !v.toDense() {
		return -1
	}
	if denseSet(v.b[headerSize:], index, count) {
		return 1
	}
	return 0
}

// sparseSet is hllSparseSet: find the opcode covering index, replace it with
// up to three opcodes (the part before, the new VAL, the part after), join
// neighbouring VAL runs of equal value, and promote to dense when the value
// would outgrow sparseMax bytes or count does not fit a VAL opcode.
func (v *value) sparseSet(index int, count uint8, sparseMax int) int {
	if count > valMaxValue {
		return v.promote(index, count)
	}
	v.room(3)
	b := v.b
	end := v.n

	// Locate the opcode covering index.
	p, prev := headerSize, -1
	first, span := 0, 0
	for p < end {
		op, oplen := b[p], 1
		switch {
		case isZero(op):
			span = zeroLen(op)
		case isVal(op):
			span = valLen(op)
		default:
			span = xzeroLen(op, b[p+1])
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return -1
	}

	op := b[p]
	oldlen := 1
	var runlen int
	switch {
	case isZero(op):
		runlen = zeroLen(op)
	case isXZero(op):
		runlen = xzeroLen(op, b[p+1])
		oldlen = 2
	default:
		runlen = valLen(op)
	}
	next := p + oldlen
	if next >= end {
		next = -1
	}

	switch {
	case isVal(op) && valValue(op) >= count:
		return 0
	case runlen == 1 && !isXZero(op):
		// A single register in its own opcode is rewritten in place.
		b[p] = valOp(count, 1)
	default:
		var seq [5]byte
		k := 0
		last := first + runlen - 1
		if isVal(op) {
			cur := valValue(op)
			if index != first {
				seq[k] = valOp(cur, index-first)
				k++
			}
			seq[k] = valOp(count, 1)
			k++
			if index != last {
				seq[k] = valOp(cur, last-index)
				k++
			}
		} else {
			if index != first {
				k += putZeros(seq[k:], index-first)
			}
			seq[k] = valOp(count, 1)
			k++
			if index != last {
				k += putZeros(seq[k:], last-index)
			}
		}
		delta := k - oldlen
		if delta > 0 && v.n+delta > sparseMax {
			return v.promote(index, count)
		}
		if delta != 0 && next >= 0 {
			copy(b[next+delta:], b[next:end])
		}
		v.incrLen(delta)
		copy(b[p:], seq[:k])
		end += delta
	}

	// Join adjacent VAL opcodes of the same value around the edit.
	if prev >= 0 {
		p = prev
	} else {
		p = headerSize
	}
	for scan := scanMerges; p < end && scan > 0; {
		scan--
		op := b[p]
		if isXZero(op) {
			p += 2
			continue
		}
		if isZero(op) {
			p++
			continue
		}
		if p+1 < end && isVal(b[p+1]) && valValue(op) == valValue(b[p+1]) {
			if n := valLen(op) + valLen(b[p+1]); n <= valMaxLen {
				b[p+1] = valOp(valValue(op), n)
				copy(b[p:], b[p+1:end+1])
				v.incrLen(-1)
				end--
				continue
			}
		}
		p++
	}
	v.invalidate()
	return 1
}
