package rdb

import "encoding/binary"

// Ziplist layout (loaded from RDB files and payloads written before Redis
// 7.0, never written): total bytes (uint32 LE), offset of the last entry
// (uint32 LE), entry count (uint16 LE, 65535 when unknown), entries, 0xFF.
// Each entry is the previous entry's size (1 byte, or 0xFE and a uint32
// LE), an encoding with any length bytes, and the data.
const (
	zlHeaderSize   = 10
	zlEnd          = 0xFF
	zlBigPrevlen   = 0xFE
	zlCountUnknown = 0xFFFF
)

// zlReader walks a ziplist, validating it as Redis's deep integrity check
// does: every entry inside the blob, each prevlen equal to the size of the
// entry before it, the tail offset pointing at the last entry, the
// terminator at the end and the count in the header right.
type zlReader struct {
	zl       []byte
	pos      int
	prevSize int
	lastPos  int
	count    int
}

func newZLReader(zl []byte) (zlReader, string) {
	if len(zl) < zlHeaderSize+1 {
		return zlReader{}, "ziplist shorter than its header"
	}
	if int64(binary.LittleEndian.Uint32(zl)) != int64(len(zl)) {
		return zlReader{}, "ziplist size header does not match its length"
	}
	if zl[len(zl)-1] != zlEnd {
		return zlReader{}, "ziplist without terminator"
	}
	if int64(binary.LittleEndian.Uint32(zl[4:])) > int64(len(zl)-1) {
		return zlReader{}, "ziplist tail offset past its end"
	}
	return zlReader{zl: zl, pos: zlHeaderSize, lastPos: -1}, ""
}

// next decodes the entry at the cursor. done is true at the terminator.
func (r *zlReader) next() (e lpEntry, done bool, reason string) {
	zl, p := r.zl, r.pos
	last := len(zl) - 1
	if zl[p] == zlEnd {
		if p != last {
			return e, false, "ziplist terminator before its end"
		}
		return e, true, ""
	}
	const past = "ziplist entry past its end"
	q, prev := p+1, int(zl[p])
	if zl[p] == zlBigPrevlen {
		if p+5 > last {
			return e, false, past
		}
		q, prev = p+5, int(binary.LittleEndian.Uint32(zl[p+1:]))
	}
	if prev != r.prevSize {
		return e, false, "ziplist entry with a wrong previous-entry length"
	}
	if q >= last {
		return e, false, past
	}
	b := zl[q]
	var hdr, data int // encoding bytes, data bytes
	switch b >> 6 {
	case 0:
		hdr, data = 1, int(b&0x3F)
	case 1:
		if q+2 > last {
			return e, false, past
		}
		hdr, data = 2, int(b&0x3F)<<8|int(zl[q+1])
	case 2:
		if q+5 > last {
			return e, false, past
		}
		hdr, data = 5, int(binary.BigEndian.Uint32(zl[q+1:]))
	default:
		e.isInt = true
		hdr = 1
		switch {
		case b == 0xC0:
			data = 2
		case b == 0xD0:
			data = 4
		case b == 0xE0:
			data = 8
		case b == 0xF0:
			data = 3
		case b == 0xFE:
			data = 1
		case b >= 0xF1 && b <= 0xFD:
			e.ival = int64(b&0x0F) - 1
		default:
			return e, false, "invalid ziplist entry encoding"
		}
	}
	size := q - p + hdr + data
	if size > last-p {
		return e, false, past
	}
	d := zl[q+hdr : q+hdr+data : q+hdr+data]
	if e.isInt {
		switch data {
		case 1:
			e.ival = int64(int8(d[0]))
		case 2:
			e.ival = int64(int16(binary.LittleEndian.Uint16(d)))
		case 3:
			u := int64(d[0]) | int64(d[1])<<8 | int64(d[2])<<16
			if u >= 1<<23 {
				u -= 1 << 24
			}
			e.ival = u
		case 4:
			e.ival = int64(int32(binary.LittleEndian.Uint32(d)))
		case 8:
			e.ival = int64(binary.LittleEndian.Uint64(d))
		}
	} else {
		e.str = d
	}
	r.lastPos = p
	r.prevSize = size
	r.pos = p + size
	r.count++
	return e, false, ""
}

func (r *zlReader) finish() string {
	if r.lastPos >= 0 && int64(r.lastPos) != int64(binary.LittleEndian.Uint32(r.zl[4:])) {
		return "ziplist tail offset does not point at its last entry"
	}
	n := int(binary.LittleEndian.Uint16(r.zl[8:]))
	if n != zlCountUnknown && n != r.count {
		return "ziplist entry count does not match its entries"
	}
	return ""
}
