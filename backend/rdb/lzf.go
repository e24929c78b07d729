package rdb

import (
	"errors"
	"slices"
)

// LZF stream format (liblzf, as bundled with Redis): a sequence of
//
//	000LLLLL <L+1 bytes>          literal run of L+1 bytes
//	LLLooooo oooooooo             back reference: copy L+2 bytes from
//	                              offset o+1 back in the output (L in 1..6)
//	111ooooo LLLLLLLL oooooooo    back reference of L+9 bytes
const (
	lzfMaxLit   = 1 << 5            // longest literal run
	lzfMaxOff   = 1 << 13           // farthest back reference
	lzfMaxRef   = 1<<8 + 1<<3       // longest back reference
	lzfMaxRatio = lzfMaxRef / 3     // most output bytes per input byte
	lzfSlots    = 1 << 16           // Redis builds liblzf with HLOG 16
	lzfSmall    = 8192              // inputs up to this size use a sparse table
	lzfGenLimit = 1<<32 - 1 - 1<<24 // reset the full table's generations before they wrap
)

var errLZF = errors.New("invalid LZF data")

// lzfCompressor compresses the way Redis's liblzf does (HLOG 16,
// VERY_FAST), so that for the same input it usually produces the same
// bytes. Redis leaves the hash table uninitialized, so it may now and then
// pick a different but equally valid match; the output is always a valid
// stream.
//
// The table maps a 16-bit hash of three input bytes to the last position
// where they were seen. Large inputs use a full table that is reused across
// calls without clearing: entries hold gen+pos+1 and only those above the
// current generation belong to the current input. Small inputs, the common
// case, use a sparse open-addressing table sized to the input, so that
// compressing a short string costs no more than the string.
type lzfCompressor struct {
	full  []uint32 // lzfSlots entries, allocated on first large input
	gen   uint32
	small []uint32 // slot<<16 | pos+1, 0 = empty
	mask  int
	big   bool
}

func lzfIndex(h uint32) int { return int((h>>8 - h*5) & (lzfSlots - 1)) }

func (c *lzfCompressor) reset(n int) {
	if n > lzfSmall {
		c.big = true
		if c.full == nil || c.gen > lzfGenLimit-uint32(n) {
			if c.full == nil {
				c.full = make([]uint32, lzfSlots)
			} else {
				clear(c.full)
			}
			c.gen = 0
		}
		return
	}
	c.big = false
	size := 64
	for size < 2*n {
		size <<= 1
	}
	if cap(c.small) < size {
		c.small = make([]uint32, size)
	} else {
		c.small = c.small[:size]
		clear(c.small)
	}
	c.mask = size - 1
}

// swap records pos for slot and returns the previous position recorded
// for it in this input, or -1.
func (c *lzfCompressor) swap(slot, pos int) int {
	if c.big {
		prev := c.full[slot]
		c.full[slot] = c.gen + uint32(pos) + 1
		if prev <= c.gen {
			return -1
		}
		return int(prev - c.gen - 1)
	}
	for i := slot & c.mask; ; i = (i + 1) & c.mask {
		e := c.small[i]
		if e == 0 {
			c.small[i] = uint32(slot)<<16 | uint32(pos+1)
			return -1
		}
		if int(e>>16) == slot {
			c.small[i] = uint32(slot)<<16 | uint32(pos+1)
			return int(e&0xffff) - 1
		}
	}
}

// done advances the full table's generation past an input of n bytes.
func (c *lzfCompressor) done(n int) {
	if c.big {
		c.gen += uint32(n) + 1
	}
}

// compress appends the LZF compression of src to dst if it takes at most
// limit bytes, and reports whether it did; on false dst is unchanged. Like
// liblzf it gives up as soon as the output could exceed limit, with the
// same conservative checks, so it accepts and rejects exactly the inputs
// Redis does.
func (c *lzfCompressor) compress(dst, src []byte, limit int) ([]byte, bool) {
	n := len(src)
	if n == 0 || limit <= 0 {
		return dst, false
	}
	c.reset(n)
	defer c.done(n)

	start := len(dst)
	// One spare byte: a literal run header may be reserved just past limit
	// before the check that rejects the output.
	dst = slices.Grow(dst, limit+1)
	out := dst[start : start+limit+1]
	op := 1 // out[op-lit-1] is the header of the current literal run
	lit := 0
	ip := 0
	var h uint32
	if n >= 2 {
		h = uint32(src[0])<<8 | uint32(src[1])
	}
	for ip < n-2 {
		h = h<<8 | uint32(src[ip+2])
		ref := c.swap(lzfIndex(h), ip)
		if ref > 0 && ip-ref-1 < lzfMaxOff &&
			src[ref] == src[ip] && src[ref+1] == src[ip+1] && src[ref+2] == src[ip+2] {
			maxlen := min(n-ip-2, lzfMaxRef)
			out[op-lit-1] = byte(lit - 1) // close the literal run
			if lit == 0 {
				op-- // and drop it if it is empty
			}
			if op+3+1 >= limit {
				return dst[:start], false
			}
			length := matchLength(src, ref, ip, maxlen)
			l := length - 2
			off := ip - ref - 1
			if l < 7 {
				out[op] = byte(off>>8) + byte(l<<5)
				op++
			} else {
				out[op] = byte(off>>8) + 7<<5
				out[op+1] = byte(l - 7)
				op += 2
			}
			out[op] = byte(off)
			op += 2 // and reserve the next run's header
			lit = 0
			ip += length
			if ip >= n-2 {
				break
			}
			// Hash the last two positions of the match, as VERY_FAST does.
			ip -= 2
			h = uint32(src[ip])<<8 | uint32(src[ip+1])
			h = h<<8 | uint32(src[ip+2])
			c.swap(lzfIndex(h), ip)
			ip++
			h = h<<8 | uint32(src[ip+2])
			c.swap(lzfIndex(h), ip)
			ip++
			continue
		}
		if op >= limit {
			return dst[:start], false
		}
		out[op] = src[ip]
		op++
		ip++
		lit++
		if lit == lzfMaxLit {
			out[op-lit-1] = lzfMaxLit - 1
			lit = 0
			op++
		}
	}
	if op+3 > limit {
		return dst[:start], false
	}
	for ip < n {
		out[op] = src[ip]
		op++
		ip++
		lit++
		if lit == lzfMaxLit {
			out[op-lit-1] = lzfMaxLit - 1
			lit = 0
			op++
		}
	}
	out[op-lit-1] = byte(lit - 1)
	if lit == 0 {
		op--
	}
	return dst[:start+op], true
}

// matchLength returns how many bytes match at ref and ip, at least 3. It
// reproduces liblzf's loop exactly, including its unrolled first sixteen
// steps, which may run past maxlen by up to two bytes near the end of the
// input.
func matchLength(src []byte, ref, ip, maxlen int) int {
	length := 2
	if maxlen > 16 {
		for range 16 {
			length++
			if src[ref+length] != src[ip+length] {
				return length
			}
		}
	}
	for {
		length++
		if length >= maxlen || src[ref+length] != src[ip+length] {
			return length
		}
	}
}

// lzfDecompress appends the decompression of src to dst, which must come to
// exactly n bytes. The caller bounds n (at most lzfMaxRatio*len(src) can
// ever be valid) before calling, since n bytes are reserved up front.
func lzfDecompress(dst, src []byte, n int) ([]byte, error) {
	start := len(dst)
	dst = slices.Grow(dst, n)
	out := dst[start : start+n]
	op, ip := 0, 0
	for ip < len(src) {
		ctrl := int(src[ip])
		ip++
		if ctrl < 1<<5 {
			run := ctrl + 1
			if op+run > n || ip+run > len(src) {
				return dst[:start], errLZF
			}
			copy(out[op:], src[ip:ip+run])
			op += run
			ip += run
			continue
		}
		length := ctrl >> 5
		ref := op - (ctrl&0x1f)<<8 - 1
		if ip >= len(src) {
			return dst[:start], errLZF
		}
		if length == 7 {
			length += int(src[ip])
			ip++
			if ip >= len(src) {
				return dst[:start], errLZF
			}
		}
		ref -= int(src[ip])
		ip++
		length += 2
		if op+length > n || ref < 0 {
			return dst[:start], errLZF
		}
		if ref+length <= op {
			copy(out[op:], out[ref:ref+length])
			op += length
		} else {
			// Overlapping: each byte may be one this copy just wrote.
			for range length {
				out[op] = out[ref]
				op++
				ref++
			}
		}
	}
	if op != n {
		return dst[:start], errLZF
	}
	return dst[:start+n], nil
}
