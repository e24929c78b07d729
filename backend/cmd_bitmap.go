package backend

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/keyslot/keyslot/backend/internal/dict"
)

// Bitmap commands: bit-level access to string values. Bit 0 is the most
// significant bit of the first byte, and a string reads as zeros past its
// end.
func bitmapCommands() commandSet {
	return commandSet{
		"setbit":      {fn: cmdSetBit},
		"getbit":      {fn: cmdGetBit},
		"bitcount":    {fn: cmdBitCount},
		"bitpos":      {fn: cmdBitPos},
		"bitop":       {fn: cmdBitOp},
		"bitfield":    {fn: cmdBitField},
		"bitfield_ro": {fn: cmdBitField},
	}
}

// Error replies of the bitmap commands, Redis 7.0's text.
const (
	errBitOffset    = "ERR bit offset is not an integer or out of range"
	errBitValue     = "ERR bit is not an integer or out of range"
	errBitArg       = "ERR The bit argument must be 1 or 0."
	errBitOpNot     = "ERR BITOP NOT must be called with a single source key."
	errBitFieldType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	errOverflowType = "ERR Invalid OVERFLOW type specified"
	errBitFieldRO   = "ERR BITFIELD_RO only supports the GET subcommand"
)

// bitOffset parses a bit offset as Redis's getBitOffsetFromArgument: a
// non-negative integer whose byte lies below proto-max-bulk-len. With hash
// (BITFIELD) "#n" means n fields of width bits; the product wraps as it
// does in C and is then refused if negative.
func (x *Ctx) bitOffset(arg []byte, hash bool, width int) (uint64, bool) {
	s := arg
	useHash := hash && width > 0 && len(s) > 0 && s[0] == '#'
	if useHash {
		s = s[1:]
	}
	v, ok := parseInt(s)
	if ok && useHash {
		v *= int64(width)
	}
	if !ok || v < 0 || v>>3 >= x.maxStringLen() {
		x.W.AppendError(errBitOffset)
		return 0, false
	}
	return uint64(v), true
}

// bitString is Redis's lookupStringForBitCommand: the string at the key,
// created or zero-padded so that bit maxBit exists. grew reports whether
// the string was created or lengthened. The value becomes raw, as Redis
// unshares it whether or not anything changes.
func (x *Ctx) bitString(key []byte, maxBit uint64) (e *dict.Entry[item], v *strValue, grew, ok bool) {
	e, v, ok = writeAs[*strValue](x, key)
	if !ok {
		return nil, nil, false, false
	}
	need := int(maxBit>>3) + 1
	if e == nil {
		v = &strValue{b: make([]byte, need)}
		e = x.add(key, v)
		grew = true
	} else if need > len(v.b) {
		v.b = growZero(v.b, need)
		grew = true
	}
	e.Value.raw = true
	return e, v, grew, true
}

// cmdSetBit is SETBIT key offset 0|1. The change is signalled only when the
// string was created, grew, or the bit flipped.
func cmdSetBit(x *Ctx) {
	key := x.Args[1]
	off, ok := x.bitOffset(x.Args[2], false, 0)
	if !ok {
		return
	}
	on, ok := parseInt(x.Args[3])
	if !ok || on&^1 != 0 {
		x.W.AppendError(errBitValue)
		return
	}
	_, v, grew, ok := x.bitString(key, off)
	if !ok {
		return
	}
	shift := 7 - off&7
	old := int64(v.b[off>>3]>>shift) & 1
	if grew || old != on {
		v.b[off>>3] = v.b[off>>3]&^(1<<shift) | byte(on)<<shift
		x.changed(notifyString, "setbit", key)
	}
	x.W.AppendInt(old)
}

// cmdGetBit is GETBIT key offset.
func cmdGetBit(x *Ctx) {
	off, ok := x.bitOffset(x.Args[2], false, 0)
	if !ok {
		return
	}
	e, v, ok := readAs[*strValue](x, x.Args[1])
	if !ok {
		return
	}
	var bit int64
	if e != nil && off>>3 < uint64(len(v.b)) {
		bit = int64(v.b[off>>3]>>(7-off&7)) & 1
	}
	x.W.AppendInt(bit)
}

// bitRange turns a start/end pair, in bytes or (isBit) in bits, into an
// inclusive bit range of a string of n bytes, clamped as Redis clamps it.
// ok is false for an empty range.
func bitRange(start, end int64, isBit bool, n int64) (lo, hi int64, ok bool) {
	total := n
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start = max(start, 0)
	end = max(end, 0)
	if end >= total {
		end = total - 1
	}
	if start > end {
		return 0, 0, false
	}
	if isBit {
		return start, end, true
	}
	return start << 3, end<<3 + 7, true
}

// bitUnit parses BYTE or BIT.
func (x *Ctx) bitUnit(arg []byte) (isBit, ok bool) {
	switch {
	case cmdIs(arg, "bit"):
		return true, true
	case cmdIs(arg, "byte"):
		return false, true
	}
	x.W.AppendError(errSyntax)
	return false, false
}

// cmdBitCount is BITCOUNT key [start end [BYTE|BIT]]. As in Redis 7.0 the
// key is looked up before the range is parsed: a missing key counts 0
// whatever the arguments.
func cmdBitCount(x *Ctx) {
	e, v, ok := readAs[*strValue](x, x.Args[1])
	switch {
	case !ok:
		return
	case e == nil:
		x.W.AppendInt(0)
		return
	}
	lo, hi := int64(0), int64(len(v.b))*8-1
	switch len(x.Args) {
	case 2:
	case 4, 5:
		start, ok := x.intArg(x.Args[2])
		if !ok {
			return
		}
		end, ok := x.intArg(x.Args[3])
		if !ok {
			return
		}
		if start < 0 && end < 0 && start > end {
			x.W.AppendInt(0)
			return
		}
		isBit := false
		if len(x.Args) == 5 {
			if isBit, ok = x.bitUnit(x.Args[4]); !ok {
				return
			}
		}
		if lo, hi, ok = bitRange(start, end, isBit, int64(len(v.b))); !ok {
			x.W.AppendInt(0)
			return
		}
	default:
		x.W.AppendError(errSyntax)
		return
	}
	x.W.AppendInt(countBits(v.b, lo, hi))
}

// countBits counts the set bits of p in the inclusive bit range [lo, hi].
func countBits(p []byte, lo, hi int64) int64 {
	if lo > hi {
		return 0
	}
	first, last := lo>>3, hi>>3
	n := popcount(p[first : last+1])
	// Take off the bits of the edge bytes outside the range.
	n -= int64(bits.OnesCount8(p[first] &^ byte(0xff>>(lo&7))))
	n -= int64(bits.OnesCount8(p[last] & byte(0xff>>(hi&7+1))))
	return n
}

func popcount(p []byte) int64 {
	var n int
	for len(p) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p))
		p = p[8:]
	}
	for _, c := range p {
		n += bits.OnesCount8(c)
	}
	return int64(n)
}

// cmdBitPos is BITPOS key 0|1 [start [end [BYTE|BIT]]]. Looking for a 0
// without an end reads the string as followed by zeros, so an all-ones
// string answers the bit just past its end; with an end given, or looking
// for a 1, nothing found is -1.
func cmdBitPos(x *Ctx) {
	bit, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	if bit != 0 && bit != 1 {
		x.W.AppendError(errBitArg)
		return
	}
	e, v, ok := readAs[*strValue](x, x.Args[1])
	switch {
	case !ok:
		return
	case e == nil:
		x.W.AppendInt(-bit)
		return
	}
	n := int64(len(v.b))
	lo, hi := int64(0), n*8-1
	endGiven := false
	switch len(x.Args) {
	case 3:
		if n == 0 {
			x.W.AppendInt(-1)
			return
		}
	case 4, 5, 6:
		start, ok := x.intArg(x.Args[3])
		if !ok {
			return
		}
		isBit := false
		if len(x.Args) == 6 {
			if isBit, ok = x.bitUnit(x.Args[5]); !ok {
				return
			}
		}
		end := n - 1
		if len(x.Args) >= 5 {
			if end, ok = x.intArg(x.Args[4]); !ok {
				return
			}
			endGiven = true
		}
		if lo, hi, ok = bitRange(start, end, isBit, n); !ok {
			x.W.AppendInt(-1)
			return
		}
	default:
		x.W.AppendError(errSyntax)
		return
	}
	pos := findBit(v.b, lo, hi, byte(bit))
	if pos < 0 && bit == 0 && !endGiven {
		pos = hi + 1
	}
	x.W.AppendInt(pos)
}

// findBit returns the first bit of p equal to bit in the inclusive range
// [lo, hi], or -1.
func findBit(p []byte, lo, hi int64, bit byte) int64 {
	// XOR with flip turns the bits looked for into ones; a byte equal to
	// flip holds none of them.
	var flip byte
	if bit == 0 {
		flip = 0xff
	}
	skipWord := uint64(flip) * 0x0101010101010101
	first, last := lo>>3, hi>>3
	for i := first; i <= last; i++ {
		if i > first {
			// Whole middle bytes: skip a word at a time.
			for i+8 <= last && binary.LittleEndian.Uint64(p[i:]) == skipWord {
				i += 8
			}
		}
		c := p[i] ^ flip
		if i == first {
			c &= 0xff >> (lo & 7)
		}
		if i == last {
			c &= 0xff << (7 - hi&7)
		}
		if c != 0 {
			return i<<3 + int64(bits.LeadingZeros8(c))
		}
	}
	return -1
}

// BITOP operations.
const (
	bitAnd = iota
	bitOr
	bitXor
	bitNot
)

// cmdBitOp is BITOP AND|OR|XOR|NOT destkey key [key ...]. Missing sources
// read as empty strings, shorter ones as zero-padded; an empty result
// deletes the destination. The result is a raw string replacing whatever
// the destination held.
func cmdBitOp(x *Ctx) {
	var op int
	switch name := x.Args[1]; {
	case cmdIs(name, "and"):
		op = bitAnd
	case cmdIs(name, "or"):
		op = bitOr
	case cmdIs(name, "xor"):
		op = bitXor
	case cmdIs(name, "not"):
		op = bitNot
	default:
		x.W.AppendError(errSyntax)
		return
	}
	if op == bitNot && len(x.Args) != 4 {
		x.W.AppendError(errBitOpNot)
		return
	}
	dest, keys := x.Args[2], x.Args[3:]
	srcs := make([][]byte, len(keys))
	maxLen := 0
	for i, key := range keys {
		e, v, ok := readAs[*strValue](x, key)
		if !ok {
			return
		}
		if e != nil {
			srcs[i] = v.b
			maxLen = max(maxLen, len(v.b))
		}
	}
	if maxLen == 0 {
		if x.del(dest) {
			x.changed(notifyGeneric, "del", dest)
		}
		x.W.AppendInt(0)
		return
	}
	res := make([]byte, maxLen)
	copy(res, srcs[0])
	switch op {
	case bitNot:
		for i := range res {
			res[i] = ^res[i]
		}
	case bitAnd:
		for _, s := range srcs[1:] {
			for i := range res {
				if i < len(s) {
					res[i] &= s[i]
				} else {
					clear(res[i:])
					break
				}
			}
		}
	case bitOr:
		for _, s := range srcs[1:] {
			for i, c := range s {
				res[i] |= c
			}
		}
	case bitXor:
		for _, s := range srcs[1:] {
			for i, c := range s {
				res[i] ^= c
			}
		}
	}
	e := x.set(dest, &strValue{b: res}, false)
	e.Value.raw = true
	x.changed(notifyString, "set", dest)
	x.W.AppendInt(int64(maxLen))
}

// BITFIELD operations.
const (
	bfGet = iota
	bfSet
	bfIncrBy
)

// BITFIELD overflow modes.
const (
	bfWrap = iota
	bfSat
	bfFail
)

// bfOp is one parsed BITFIELD operation.
type bfOp struct {
	op       int
	overflow int
	signed   bool
	width    uint
	off      uint64
	arg      int64 // SET's value or INCRBY's increment
}

// cmdBitField is BITFIELD and BITFIELD_RO key [GET type offset] [SET type
// offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL]...
// Every operation is parsed before any runs; writes first create or pad
// the string up to the furthest bit written.
func cmdBitField(x *Ctx) {
	var buf [4]bfOp
	ops := buf[:0]
	overflow := bfWrap
	readOnly := true
	var maxBit uint64
	args := x.Args
	for j := 2; j < len(args); j++ {
		rem := len(args) - j - 1
		op := -1
		switch sub := args[j]; {
		case cmdIs(sub, "get") && rem >= 2:
			op = bfGet
		case cmdIs(sub, "set") && rem >= 3:
			op = bfSet
		case cmdIs(sub, "incrby") && rem >= 3:
			op = bfIncrBy
		case cmdIs(sub, "overflow") && rem >= 1:
			j++
			switch mode := args[j]; {
			case cmdIs(mode, "wrap"):
				overflow = bfWrap
			case cmdIs(mode, "sat"):
				overflow = bfSat
			case cmdIs(mode, "fail"):
				overflow = bfFail
			default:
				x.W.AppendError(errOverflowType)
				return
			}
			continue
		default:
			x.W.AppendError(errSyntax)
			return
		}
		signed, width, ok := parseBitFieldType(args[j+1])
		if !ok {
			x.W.AppendError(errBitFieldType)
			return
		}
		off, ok := x.bitOffset(args[j+2], true, int(width))
		if !ok {
			return
		}
		o := bfOp{op: op, overflow: overflow, signed: signed, width: width, off: off}
		if op != bfGet {
			readOnly = false
			maxBit = max(maxBit, off+uint64(width)-1)
			if o.arg, ok = x.intArg(args[j+3]); !ok {
				return
			}
			j++
		}
		ops = append(ops, o)
		j += 2
	}
	key := x.Args[1]
	var p []byte
	grew := false
	if readOnly {
		e, v, ok := readAs[*strValue](x, key)
		if !ok {
			return
		}
		if e != nil {
			p = v.b
		}
	} else {
		if x.cmd.Name == "bitfield_ro" {
			x.W.AppendError(errBitFieldRO)
			return
		}
		_, v, g, ok := x.bitString(key, maxBit)
		if !ok {
			return
		}
		p, grew = v.b, g
	}
	x.W.AppendArray(len(ops))
	changes := 0
	for i := range ops {
		o := &ops[i]
		old := getBits(p, o.off, o.width)
		if o.op == bfGet {
			if o.signed {
				x.W.AppendInt(signExtend(old, o.width))
			} else {
				x.W.AppendInt(int64(old))
			}
			continue
		}
		nv, reply, fail := o.apply(old)
		if fail {
			x.W.AppendNull()
			continue
		}
		x.W.AppendInt(reply)
		setBits(p, o.off, o.width, nv)
		if grew || nv != old {
			changes++
		}
	}
	if changes > 0 {
		x.changed(notifyString, "setbit", key)
		x.s.stats.dirty.Add(int64(changes - 1))
	}
}

// parseBitFieldType reads i1..i64 or u1..u63 (Redis's C string view: the
// width ends at a NUL byte).
func parseBitFieldType(b []byte) (signed bool, width uint, ok bool) {
	if len(b) == 0 || (b[0] != 'i' && b[0] != 'u') {
		return false, 0, false
	}
	signed = b[0] == 'i'
	digits := b[1:]
	if i := bytes.IndexByte(digits, 0); i >= 0 {
		digits = digits[:i]
	}
	n, ok := parseInt(digits)
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		return false, 0, false
	}
	return signed, uint(n), true
}

// apply runs a SET or INCRBY on the field's old bits: the bits to store,
// the integer to reply (the old value for SET, the new one for INCRBY),
// and whether OVERFLOW FAIL refused it.
func (o *bfOp) apply(old uint64) (nv uint64, reply int64, fail bool) {
	if o.signed {
		ov := signExtend(old, o.width)
		var n int64
		var of int
		if o.op == bfIncrBy {
			n, of = signedOverflow(ov, o.arg, o.width, o.overflow)
			reply = n
		} else {
			n, of = signedOverflow(o.arg, 0, o.width, o.overflow)
			reply = ov
		}
		return uint64(n) & widthMask(o.width), reply, of != 0 && o.overflow == bfFail
	}
	var n uint64
	var of int
	if o.op == bfIncrBy {
		n, of = unsignedOverflow(old, o.arg, o.width, o.overflow)
		reply = int64(n)
	} else {
		n, of = unsignedOverflow(uint64(o.arg), 0, o.width, o.overflow)
		reply = int64(old)
	}
	return n, reply, of != 0 && o.overflow == bfFail
}

func widthMask(width uint) uint64 {
	if width == 64 {
		return ^uint64(0)
	}
	return 1<<width - 1
}

func signExtend(v uint64, width uint) int64 {
	if width < 64 && v&(1<<(width-1)) != 0 {
		v |= ^uint64(0) << width
	}
	return int64(v)
}

// unsignedOverflow adds incr to value as an unsigned field of width bits
// (value itself may already be out of range, for SET): the result under
// the overflow mode, and +1 / -1 / 0 for overflow, underflow, neither.
func unsignedOverflow(value uint64, incr int64, width uint, mode int) (uint64, int) {
	maxV := widthMask(width)
	maxIncr := int64(maxV - value)
	minIncr := -int64(value)
	of := 0
	switch {
	case value > maxV || (incr > 0 && incr > maxIncr):
		of = 1
	case incr < 0 && incr < minIncr:
		of = -1
	default:
		return value + uint64(incr), 0
	}
	switch {
	case mode == bfSat && of > 0:
		return maxV, of
	case mode == bfSat:
		return 0, of
	}
	return (value + uint64(incr)) & maxV, of
}

// signedOverflow is unsignedOverflow for a two's complement field.
func signedOverflow(value, incr int64, width uint, mode int) (int64, int) {
	maxV := int64(widthMask(width - 1))
	if width == 64 {
		maxV = maxInt64
	}
	minV := -maxV - 1
	maxIncr := int64(uint64(maxV) - uint64(value))
	minIncr := minV - value
	of := 0
	switch {
	case value > maxV || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		of = 1
	case value < minV || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		of = -1
	default:
		return value + incr, 0
	}
	switch {
	case mode == bfSat && of > 0:
		return maxV, of
	case mode == bfSat:
		return minV, of
	}
	return signExtend(uint64(value+incr)&widthMask(width), width), of
}

// getBits reads width bits at bit offset off, most significant first; bits
// past the end of p read as zero.
func getBits(p []byte, off uint64, width uint) uint64 {
	var v uint64
	for i := uint(0); i < width; i++ {
		bit := off + uint64(i)
		v <<= 1
		if bit>>3 < uint64(len(p)) {
			v |= uint64(p[bit>>3]>>(7-bit&7)) & 1
		}
	}
	return v
}

// setBits writes the low width bits of v at bit offset off; p is long
// enough.
func setBits(p []byte, off uint64, width uint, v uint64) {
	for i := uint(0); i < width; i++ {
		bit := off + uint64(i)
		shift := 7 - bit&7
		b := byte(v>>(width-1-i)) & 1
		p[bit>>3] = p[bit>>3]&^(1<<shift) | b<<shift
	}
}
