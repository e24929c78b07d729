package hll

// The sparse encoding is a run-length list of opcodes after the header:
//
//	ZERO  00xxxxxx           xxxxxx+1 registers (1..64) set to 0
//	XZERO 01xxxxxx yyyyyyyy  xxxxxxyyyyyyyy+1 registers (1..16384) set to 0
//	VAL   1vvvvvxx           xx+1 registers (1..4) set to vvvvv+1 (1..32)
//
// A valid body describes exactly 16384 registers. Redis reads it from an sds
// string, whose terminating NUL sits just past the end, so an XZERO opcode
// cut short by the end of the value reads 0 as its second byte. The walkers
// here reproduce that instead of calling such a value corrupt, because Redis
// accepts it.

const (
	xzeroBit    = 0x40 // opcode class bits 01: XZERO
	valBit      = 0x80 // opcode class bit 1: VAL
	classMask   = 0xc0 // the two bits that select the opcode class
	zeroMaxLen  = 64   // longest run one ZERO opcode describes
	valMaxValue = 32   // largest register value the sparse encoding holds
	valMaxLen   = 4    // longest run one VAL opcode describes
	scanMerges  = 5    // opcodes Redis rescans for VAL runs to join after an edit
)

func isZero(op byte) bool  { return op&classMask == 0 }
func isXZero(op byte) bool { return op&classMask == xzeroBit }
func isVal(op byte) bool   { return op&valBit != 0 }

func zeroLen(op byte) int      { return int(op&0x3f) + 1 }
func valValue(op byte) uint8   { return (op>>2)&0x1f + 1 }
func valLen(op byte) int       { return int(op&0x3) + 1 }
func xzeroLen(hi, lo byte) int { return (int(hi&0x3f)<<8 | int(lo)) + 1 }

// valOp encodes a VAL opcode; value is 1..32 and n is 1..4.
func valOp(value uint8, n int) byte { return valBit | (value-1)<<2 | byte(n-1) }

// putZeros encodes a run of n zero registers as ZERO or XZERO into dst and
// returns the bytes used.
func putZeros(dst []byte, n int) int {
	if n > zeroMaxLen {
		n--
		dst[0] = xzeroBit | byte(n>>8)
		dst[1] = byte(n)
		return 2
	}
	dst[0] = byte(n - 1)
	return 1
}

// byteAt returns body[i], or the NUL that follows an sds string.
func byteAt(body []byte, i int) byte {
	if i < len(body) {
		return body[i]
	}
	return 0
}

// sparseHistogram counts register values of a sparse body and reports
// whether its runs add up to exactly 16384 registers, the one validity rule
// shared by all of Redis 7.0.15's sparse walkers.
func sparseHistogram(body []byte) (h [histogramSz]int, ok bool) {
	idx := 0
	for p := 0; p < len(body); {
		op := body[p]
		switch {
		case isZero(op):
			n := zeroLen(op)
			idx += n
			h[0] += n
			p++
		case isXZero(op):
			n := xzeroLen(op, byteAt(body, p+1))
			idx += n
			h[0] += n
			p += 2
		default:
			n := valLen(op)
			idx += n
			h[valValue(op)] += n
			p++
		}
	}
	return h, idx == numRegs
}

// sparseMax raises each entry of regs to the matching register of a sparse
// body and reports whether the body is valid, as hllMerge does. Like every
// sparse walker in Redis 7.0.15 it accepts exactly the bodies whose runs
// add up to 16384 registers; it stops before writing past the last one.
func sparseMax(body []byte, regs *[numRegs]uint8) bool {
	idx := 0
	for p := 0; p < len(body); {
		op := body[p]
		switch {
		case isZero(op):
			idx += zeroLen(op)
			p++
		case isXZero(op):
			idx += xzeroLen(op, byteAt(body, p+1))
			p += 2
		default:
			n, v := valLen(op), valValue(op)
			if idx+n > numRegs {
				return false
			}
			for end := idx + n; idx < end; idx++ {
				if v > regs[idx] {
					regs[idx] = v
				}
			}
			p++
		}
	}
	return idx == numRegs
}

// sparseValid reports whether the runs of body add up to exactly 16384
// registers, without decoding them.
func sparseValid(body []byte) bool {
	idx := 0
	for p := 0; p < len(body); {
		op := body[p]
		switch {
		case isZero(op):
			idx += zeroLen(op)
			p++
		case isXZero(op):
			idx += xzeroLen(op, byteAt(body, p+1))
			p += 2
		default:
			if idx+valLen(op) > numRegs {
				return false
			}
			idx += valLen(op)
			p++
		}
	}
	return idx == numRegs
}

// sparseToDense decodes a sparse body into the register area of a dense
// value, with hllSparseToDense's rules (those of sparseMax). after is the
// byte that follows the body in memory.
func sparseToDense(body []byte, after byte, regs []byte) bool {
	idx := 0
	for p := 0; p < len(body); {
		op := body[p]
		switch {
		case isZero(op):
			idx += zeroLen(op)
			p++
		case isXZero(op):
			lo := after
			if p+1 < len(body) {
				lo = body[p+1]
			}
			idx += xzeroLen(op, lo)
			p += 2
		default:
			n, v := valLen(op), valValue(op)
			if idx+n > numRegs {
				return false
			}
			for end := idx + n; idx < end; idx++ {
				denseSet(regs, idx, v)
			}
			p++
		}
	}
	return idx == numRegs
}
