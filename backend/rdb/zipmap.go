package rdb

import "encoding/binary"

// Zipmap layout (hashes saved by Redis 2.4 and older, loaded only): a count
// byte (254 when unknown), then per pair a field length, the field, a value
// length, a free byte count, the value and that many free bytes; 0xFF ends
// it. Lengths are one byte below 254, or 254 and a uint32 LE.
const (
	zmBigLen = 254
	zmEnd    = 0xFF
)

// zipmapPairs validates a zipmap as Redis does (entries inside the blob,
// not empty, count byte right) and more strictly (the terminator must be
// the last byte), and returns its fields and values in order.
func zipmapPairs(zm []byte, fields []Field) ([]Field, string) {
	if len(zm) < 2 {
		return fields, "zipmap shorter than its header"
	}
	last := len(zm) - 1
	if zm[last] != zmEnd {
		return fields, "zipmap without terminator"
	}
	p := 1
	// str reads a length-prefixed string at p; free says whether a free
	// byte count sits between the length and the data.
	str := func(free bool) ([]byte, bool) {
		n, q := int(zm[p]), p+1
		if zm[p] >= zmBigLen { // 255 too, where a value length is read
			if p+5 > last {
				return nil, false
			}
			n, q = int(binary.LittleEndian.Uint32(zm[p+1:])), p+5
		}
		pad := 0
		if free {
			if q >= last {
				return nil, false
			}
			pad = int(zm[q])
			q++
		}
		if n > last-q || pad > last-q-n {
			return nil, false
		}
		p = q + n + pad
		return zm[q : q+n : q+n], true
	}
	count := 0
	for zm[p] != zmEnd {
		name, ok := str(false)
		if !ok || p >= last {
			return fields, "zipmap entry past its end"
		}
		value, ok := str(true)
		if !ok {
			return fields, "zipmap entry past its end"
		}
		fields = append(fields, Field{Name: name, Value: value})
		count++
	}
	if p != last {
		return fields, "zipmap terminator before its end"
	}
	if count == 0 {
		return fields, "empty zipmap"
	}
	if zm[0] != zmBigLen && int(zm[0]) != count {
		return fields, "zipmap count does not match its entries"
	}
	return fields, ""
}
