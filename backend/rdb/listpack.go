package rdb

import (
	"encoding/binary"
	"math"
)

// Listpack layout: total bytes (uint32 LE), element count (uint16 LE,
// 65535 when unknown), entries, 0xFF. Each entry is an encoding byte with
// its data, then a "backlen": the size of encoding+data in 1 to 5 bytes,
// 7 bits per byte, written so it can be read from its last byte backwards.
const (
	lpHeaderSize   = 6
	lpEOF          = 0xFF
	lpCountUnknown = math.MaxUint16
	lpEmptySize    = lpHeaderSize + 1
)

// lpIntSize returns the size of the integer encoding Redis picks for v.
func lpIntSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 1
	case v >= -4096 && v <= 4095:
		return 2
	case v >= -32768 && v <= 32767:
		return 3
	case v >= -8388608 && v <= 8388607:
		return 4
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 5
	}
	return 9
}

// lpStringSize returns the size of the string encoding of an n-byte string.
func lpStringSize(n int) int {
	switch {
	case n < 64:
		return 1 + n
	case n < 4096:
		return 2 + n
	}
	return 5 + n
}

// lpBacklenSize returns how many bytes the backlen of an l-byte entry takes.
// The thresholds are Redis's, including the odd 16383.
func lpBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// lpEntrySize returns the bytes s takes in a listpack, backlen included.
func lpEntrySize(s []byte) int {
	var l int
	if v, ok := parseInt(s); ok {
		l = lpIntSize(v)
	} else {
		l = lpStringSize(len(s))
	}
	return l + lpBacklenSize(l)
}

func appendBacklen(dst []byte, l int) []byte {
	switch lpBacklenSize(l) {
	case 1:
		return append(dst, byte(l))
	case 2:
		return append(dst, byte(l>>7), byte(l&127|128))
	case 3:
		return append(dst, byte(l>>14), byte(l>>7&127|128), byte(l&127|128))
	case 4:
		return append(dst, byte(l>>21), byte(l>>14&127|128), byte(l>>7&127|128), byte(l&127|128))
	}
	return append(dst, byte(l>>28), byte(l>>21&127|128), byte(l>>14&127|128), byte(l>>7&127|128), byte(l&127|128))
}

// lpAppendInt appends v as a listpack integer entry.
func lpAppendInt(dst []byte, v int64) []byte {
	l := lpIntSize(v)
	u := uint64(v)
	switch l {
	case 1:
		dst = append(dst, byte(u))
	case 2:
		u &= 1<<13 - 1
		dst = append(dst, 0xC0|byte(u>>8), byte(u))
	case 3:
		dst = append(dst, 0xF1, byte(u), byte(u>>8))
	case 4:
		dst = append(dst, 0xF2, byte(u), byte(u>>8), byte(u>>16))
	case 5:
		dst = append(dst, 0xF3, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
	default:
		dst = append(dst, 0xF4)
		dst = binary.LittleEndian.AppendUint64(dst, u)
	}
	return appendBacklen(dst, l)
}

// lpAppendEntry appends s as a listpack entry, as an integer when it is the
// canonical form of one, exactly as lpAppend does.
func lpAppendEntry(dst, s []byte) []byte {
	if v, ok := parseInt(s); ok {
		return lpAppendInt(dst, v)
	}
	n := len(s)
	switch {
	case n < 64:
		dst = append(dst, 0x80|byte(n))
	case n < 4096:
		dst = append(dst, 0xE0|byte(n>>8), byte(n))
	default:
		dst = append(dst, 0xF0)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	}
	dst = append(dst, s...)
	return appendBacklen(dst, lpStringSize(n))
}

// lpBegin appends a listpack header to be filled in by lpEnd and returns
// where the listpack starts.
func lpBegin(dst []byte) ([]byte, int) {
	return append(dst, 0, 0, 0, 0, 0, 0), len(dst)
}

// lpEnd terminates the listpack that starts at off in dst and holds count
// entries, filling in its header. It fails when the listpack is larger than
// its 32-bit size field allows.
func lpEnd(dst []byte, off, count int) ([]byte, error) {
	dst = append(dst, lpEOF)
	total := len(dst) - off
	if total > math.MaxUint32 {
		return dst, invalidObject("listpack of %d bytes", total)
	}
	binary.LittleEndian.PutUint32(dst[off:], uint32(total))
	binary.LittleEndian.PutUint16(dst[off+4:], uint16(min(count, lpCountUnknown)))
	return dst, nil
}

// lpEntry is one decoded listpack or ziplist entry: a string that aliases
// the container, or an integer.
type lpEntry struct {
	str   []byte
	ival  int64
	isInt bool
}

// lpReader walks a listpack, validating each entry as deeply as Redis's
// sanitize-dump-payload does, and more strictly in two places: the EOF byte
// must be the last one, and each backlen must be the canonical encoding.
type lpReader struct {
	lp    []byte
	pos   int
	count int
}

// newLPReader validates the listpack header. The caller then calls next
// until it reports done, and finally finish.
func newLPReader(lp []byte) (lpReader, string) {
	if len(lp) < lpEmptySize {
		return lpReader{}, "listpack shorter than its header"
	}
	if int64(binary.LittleEndian.Uint32(lp)) != int64(len(lp)) {
		return lpReader{}, "listpack size header does not match its length"
	}
	if lp[len(lp)-1] != lpEOF {
		return lpReader{}, "listpack without terminator"
	}
	return lpReader{lp: lp, pos: lpHeaderSize}, ""
}

// next decodes the entry at the cursor. done is true at the terminator.
func (r *lpReader) next() (e lpEntry, done bool, reason string) {
	lp, p := r.lp, r.pos
	last := len(lp) - 1 // the terminator's position
	b := lp[p]
	if b == lpEOF {
		if p != last {
			return e, false, "listpack terminator before its end"
		}
		return e, true, ""
	}
	// hdr is the encoding byte(s); l is hdr plus the data.
	var hdr, l int
	need := func(n int) bool { return p+n <= last }
	switch {
	case b&0x80 == 0:
		hdr, l = 1, 1
		e.isInt, e.ival = true, int64(b)
	case b&0xC0 == 0x80:
		hdr = 1
		l = hdr + int(b&0x3F)
	case b&0xE0 == 0xC0:
		hdr, l = 2, 2
		if !need(2) {
			return e, false, "listpack entry past its end"
		}
		u := int64(b&0x1F)<<8 | int64(lp[p+1])
		if u >= 1<<12 {
			u -= 1 << 13
		}
		e.isInt, e.ival = true, u
	case b&0xF0 == 0xE0:
		hdr = 2
		if !need(2) {
			return e, false, "listpack entry past its end"
		}
		l = hdr + (int(b&0x0F)<<8 | int(lp[p+1]))
	case b == 0xF0:
		hdr = 5
		if !need(5) {
			return e, false, "listpack entry past its end"
		}
		l = hdr + int(binary.LittleEndian.Uint32(lp[p+1:]))
	case b == 0xF1, b == 0xF2, b == 0xF3, b == 0xF4:
		size := [...]int{3, 4, 5, 9}[b-0xF1]
		hdr, l = size, size
		if !need(size) {
			return e, false, "listpack entry past its end"
		}
		d := lp[p+1 : p+size]
		e.isInt = true
		switch size {
		case 3:
			e.ival = int64(int16(binary.LittleEndian.Uint16(d)))
		case 4:
			u := int64(d[0]) | int64(d[1])<<8 | int64(d[2])<<16
			if u >= 1<<23 {
				u -= 1 << 24
			}
			e.ival = u
		case 5:
			e.ival = int64(int32(binary.LittleEndian.Uint32(d)))
		default:
			e.ival = int64(binary.LittleEndian.Uint64(d))
		}
	default:
		return e, false, "invalid listpack entry encoding"
	}
	bl := lpBacklenSize(l)
	if l+bl > last-p {
		return e, false, "listpack entry past its end"
	}
	var want [5]byte
	if string(appendBacklen(want[:0], l)) != string(lp[p+l:p+l+bl]) {
		return e, false, "listpack entry with a wrong back-length"
	}
	if !e.isInt {
		e.str = lp[p+hdr : p+l : p+l]
	}
	r.pos = p + l + bl
	r.count++
	return e, false, ""
}

// finish checks the element count in the header against the entries read.
func (r *lpReader) finish() string {
	n := int(binary.LittleEndian.Uint16(r.lp[4:]))
	if n != lpCountUnknown && n != r.count {
		return "listpack element count does not match its entries"
	}
	return ""
}
