package hll

import "encoding/binary"

// The dense encoding packs the 16384 6-bit registers after the header,
// least significant bits first: register i starts at bit 6*i of the
// register area, and may straddle two bytes.

// denseGet returns register i of the register area r.
func denseGet(r []byte, i int) uint8 {
	pos := i * regBits
	byteIdx, shift := pos>>3, uint(pos&7)
	v := uint(r[byteIdx]) >> shift
	if byteIdx+1 < len(r) {
		v |= uint(r[byteIdx+1]) << (8 - shift)
	}
	return uint8(v & regMax)
}

// denseSet raises register i of r to count and reports whether it changed;
// a register never goes down.
func denseSet(r []byte, i int, count uint8) bool {
	if denseGet(r, i) >= count {
		return false
	}
	pos := i * regBits
	byteIdx, shift := pos>>3, uint(pos&7)
	v := uint(count)
	r[byteIdx] = byte(uint(r[byteIdx])&^(regMax<<shift) | v<<shift)
	if byteIdx+1 < len(r) {
		r[byteIdx+1] = byte(uint(r[byteIdx+1])&^(regMax>>(8-shift)) | v>>(8-shift))
	}
	return true
}

// denseHistogram counts how many registers hold each value. Eight
// registers fill exactly six bytes, so the loop decodes them from one
// little-endian word.
func denseHistogram(r []byte, h *[histogramSz]int) {
	// Registers of a key mostly hold the same few values, so
	// consecutive increments hit the same bucket; spreading them over
	// four tables lets them proceed without waiting on each other.
	var t [4][histogramSz]uint32
	r = r[:numRegs*regBits/8]
	for len(r) >= 8 {
		w := binary.LittleEndian.Uint64(r)
		t[0][w&63]++
		t[1][w>>6&63]++
		t[2][w>>12&63]++
		t[3][w>>18&63]++
		t[0][w>>24&63]++
		t[1][w>>30&63]++
		t[2][w>>36&63]++
		t[3][w>>42&63]++
		r = r[6:]
	}
	for len(r) >= 3 {
		b0, b1, b2 := r[0], r[1], r[2]
		t[0][b0&63]++
		t[1][(b0>>6|b1<<2)&63]++
		t[2][(b1>>4|b2<<4)&63]++
		t[3][b2>>2]++
		r = r[3:]
	}
	for i := range h {
		h[i] += int(t[0][i] + t[1][i] + t[2][i] + t[3][i])
	}
}

// rawHistogram counts how many entries of regs hold each value, spreading
// the increments as denseHistogram does.
func rawHistogram(regs *[numRegs]uint8, h *[histogramSz]int) {
	var t [4][histogramSz]uint32
	for i := 0; i < numRegs; i += 4 {
		t[0][regs[i]&63]++
		t[1][regs[i+1]&63]++
		t[2][regs[i+2]&63]++
		t[3][regs[i+3]&63]++
	}
	for i := range h {
		h[i] += int(t[0][i] + t[1][i] + t[2][i] + t[3][i])
	}
}

// densePack writes registers regs into the register area r, which must
// hold them all.
func densePack(r []byte, regs *[numRegs]uint8) {
	r = r[:numRegs*regBits/8]
	for i := 0; i < numRegs; i += 4 {
		v0, v1, v2, v3 := regs[i], regs[i+1], regs[i+2], regs[i+3]
		r[0] = v0 | v1<<6
		r[1] = v1>>2 | v2<<4
		r[2] = v2>>4 | v3<<2
		r = r[3:]
	}
}

// denseMax raises each entry of m to the matching register of r. Eight
// registers (six bytes) are spread into the eight bytes of a word and
// compared with eight entries of m at once: for bytes below 128,
// (x|0x80)-y keeps its top bit exactly when x >= y, and never borrows from
// the next byte.
func denseMax(r []byte, m *[numRegs]uint8) {
	const high = 0x8080808080808080
	r = r[:numRegs*regBits/8]
	i := 0
	for ; len(r) >= 8; i += 8 {
		w := binary.LittleEndian.Uint64(r)
		x := w&0x3f | w&(0x3f<<6)<<2 | w&(0x3f<<12)<<4 | w&(0x3f<<18)<<6 |
			w&(0x3f<<24)<<8 | w&(0x3f<<30)<<10 | w&(0x3f<<36)<<12 | w&(0x3f<<42)<<14
		y := binary.LittleEndian.Uint64(m[i : i+8])
		ge := ((x | high) - y) & high
		mask := (ge >> 7) * 0xff
		binary.LittleEndian.PutUint64(m[i:i+8], x&mask|y&^mask)
		r = r[6:]
	}
	for ; i < numRegs; i++ {
		m[i] = max(m[i], denseGet(r, i%8))
	}
}
