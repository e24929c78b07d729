package rdb

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
)

// Length and string encodings: the top two bits of the first byte say
// 00 6-bit length, 01 14-bit length (big endian), 10 32- or 64-bit length
// that follows (0x80, 0x81, big endian), 11 a special string encoding in
// the low six bits. len6, len14 and encVal are values of those two bits;
// len32 and len64 are whole first bytes.
const (
	len6       = 0
	len14      = 1
	len32      = 0x80
	len64      = 0x81
	encVal     = 3
	encInt8    = 0
	encInt16   = 1
	encInt32   = 2
	encLZF     = 3
	minLZFSize = 21 // Redis does not try to compress 20 bytes or fewer
)

// Quicklist node containers, as written before each node of a
// TypeListQuicklist2 list.
const (
	containerPlain  = 1
	containerPacked = 2
)

// DumpOptions are the server settings that change how values serialize.
type DumpOptions struct {
	// Compress is rdbcompression: LZF-compress strings longer than 20
	// bytes when that saves at least 4 bytes. Redis's default is yes.
	Compress bool
	// ListMaxListpackSize is list-max-listpack-size, which decides how a
	// list is split into quicklist nodes: -1 to -5 cap each node's
	// listpack at 4, 8, 16, 32 or 64 KB, a positive value caps its entry
	// count (0 is taken literally: one entry per node). Redis's default
	// is -2.
	ListMaxListpackSize int
	// PackedThreshold is the element size from which a list element gets
	// a node of its own ("plain" node), as DEBUG
	// QUICKLIST-PACKED-THRESHOLD sets it; 0 means Redis's 1 GB.
	PackedThreshold int
}

// DefaultDumpOptions returns Redis's defaults.
func DefaultDumpOptions() DumpOptions {
	return DumpOptions{Compress: true, ListMaxListpackSize: -2}
}

// AppendLen appends n in RDB length encoding.
func AppendLen(dst []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(dst, byte(n))
	case n < 1<<14:
		return append(dst, len14<<6|byte(n>>8), byte(n))
	case n <= math.MaxUint32:
		dst = append(dst, len32)
		return binary.BigEndian.AppendUint32(dst, uint32(n))
	}
	dst = append(dst, len64)
	return binary.BigEndian.AppendUint64(dst, n)
}

// AppendString appends s as Redis's rdbSaveRawString does: as an 8, 16 or
// 32-bit integer when s is the canonical form of one, LZF-compressed when
// compress is set, s is longer than 20 bytes and compression saves at least
// 4 bytes, verbatim otherwise.
func AppendString(dst, s []byte, compress bool) []byte {
	var c lzfCompressor
	return appendString(dst, s, compress, &c)
}

func appendString(dst, s []byte, compress bool, c *lzfCompressor) []byte {
	if len(s) <= 11 {
		if v, ok := parseInt(s); ok {
			if out, ok := appendIntEncoded(dst, v); ok {
				return out
			}
		}
	}
	if compress && len(s) >= minLZFSize {
		// Compress in place after a worst-case header, then move the data
		// down if the real header is shorter.
		const maxHeader = 1 + 2*5
		start := len(dst)
		buf := append(dst, make([]byte, maxHeader)...)
		if out, ok := c.compress(buf, s, len(s)-4); ok {
			clen := len(out) - start - maxHeader
			var hdr [maxHeader]byte
			h := append(hdr[:0], encVal<<6|encLZF)
			h = AppendLen(h, uint64(clen))
			h = AppendLen(h, uint64(len(s)))
			copy(out[start+len(h):], out[start+maxHeader:])
			copy(out[start:], h)
			return out[:start+len(h)+clen]
		}
	}
	dst = AppendLen(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendIntEncoded appends v in the 8, 16 or 32-bit integer string encoding
// and reports whether v fits one of them.
func appendIntEncoded(dst []byte, v int64) ([]byte, bool) {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(dst, encVal<<6|encInt8, byte(v)), true
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return append(dst, encVal<<6|encInt16, byte(v), byte(v>>8)), true
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return append(dst, encVal<<6|encInt32, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)), true
	}
	return dst, false
}

// ObjectType returns the RDB type byte Redis writes for o held in the
// given encoding (the name OBJECT ENCODING reports).
func ObjectType(o *Object, encoding string) (byte, error) {
	switch o.Kind {
	case KindString:
		switch encoding {
		case "int", "embstr", "raw":
			return TypeString, nil
		}
	case KindList:
		if encoding == "quicklist" {
			return TypeListQuicklist2, nil
		}
	case KindSet:
		switch encoding {
		case "intset":
			return TypeSetIntset, nil
		case "hashtable":
			return TypeSet, nil
		}
	case KindZSet:
		switch encoding {
		case "listpack":
			return TypeZSetListpack, nil
		case "skiplist":
			return TypeZSet2, nil
		}
	case KindHash:
		switch encoding {
		case "listpack":
			return TypeHashListpack, nil
		case "hashtable":
			return TypeHash, nil
		}
	}
	return 0, invalidObject("%s with encoding %q", o.Kind, encoding)
}

// Encoder serializes objects with fixed options, reusing its buffers (and
// LZF's hash table) from one call to the next, as an RDB writer wants. It is
// not safe for concurrent use; the package-level functions use a fresh one
// per call.
type Encoder struct {
	opt     DumpOptions
	lzf     lzfCompressor
	scratch []byte
}

// NewEncoder returns an Encoder that serializes with opt.
func NewEncoder(opt DumpOptions) *Encoder { return &Encoder{opt: opt} }

// AppendObject appends the serialized value of o, without its type byte
// (see ObjectType), as Redis's rdbSaveObject writes it for the given
// encoding. Elements are written in the order of o's slices, except that a
// sorted set is written in score order, as Redis keeps it. Redis never
// holds empty collections, so they are rejected; duplicate members are not
// checked.
func AppendObject(dst []byte, o *Object, encoding string, opt DumpOptions) ([]byte, error) {
	e := Encoder{opt: opt}
	return e.AppendObject(dst, o, encoding)
}

// AppendString appends s as the package-level AppendString does, with the
// encoder's compression setting.
func (e *Encoder) AppendString(dst, s []byte) []byte {
	return appendString(dst, s, e.opt.Compress, &e.lzf)
}

func (e *Encoder) str(dst, s []byte) []byte {
	return appendString(dst, s, e.opt.Compress, &e.lzf)
}

// AppendObject is the package-level AppendObject with the encoder's
// options.
func (e *Encoder) AppendObject(dst []byte, o *Object, encoding string) ([]byte, error) {
	typ, err := ObjectType(o, encoding)
	if err != nil {
		return dst, err
	}
	switch typ {
	case TypeString:
		return e.str(dst, o.Str), nil
	case TypeListQuicklist2:
		if len(o.List) == 0 {
			return dst, invalidObject("empty list")
		}
		return e.appendQuicklist(dst, o.List), nil
	case TypeSetIntset:
		return e.appendIntset(dst, o.Set)
	case TypeSet:
		if len(o.Set) == 0 {
			return dst, invalidObject("empty set")
		}
		dst = AppendLen(dst, uint64(len(o.Set)))
		for _, m := range o.Set {
			dst = e.str(dst, m)
		}
		return dst, nil
	case TypeZSetListpack, TypeZSet2:
		return e.appendZSet(dst, o.ZSet, typ)
	case TypeHashListpack:
		if len(o.Hash) == 0 {
			return dst, invalidObject("empty hash")
		}
		lp, off := lpBegin(e.scratch[:0])
		for _, f := range o.Hash {
			lp = lpAppendEntry(lp, f.Name)
			lp = lpAppendEntry(lp, f.Value)
		}
		lp, err := lpEnd(lp, off, 2*len(o.Hash))
		e.scratch = lp
		if err != nil {
			return dst, err
		}
		return e.str(dst, lp), nil
	default: // TypeHash
		if len(o.Hash) == 0 {
			return dst, invalidObject("empty hash")
		}
		dst = AppendLen(dst, uint64(len(o.Hash)))
		for _, f := range o.Hash {
			dst = e.str(dst, f.Name)
			dst = e.str(dst, f.Value)
		}
		return dst, nil
	}
}

func (e *Encoder) appendIntset(dst []byte, set [][]byte) ([]byte, error) {
	if len(set) == 0 {
		return dst, invalidObject("empty set")
	}
	vals := make([]int64, len(set))
	for i, m := range set {
		v, ok := parseInt(m)
		if !ok {
			return dst, invalidObject("intset member %q is not an integer", m)
		}
		vals[i] = v
	}
	e.scratch = appendIntset(e.scratch[:0], vals)
	for i := 1; i < len(vals); i++ {
		if vals[i] == vals[i-1] {
			return dst, invalidObject("duplicate intset member %d", vals[i])
		}
	}
	return e.str(dst, e.scratch), nil
}

// zsetLess is the order of a Redis sorted set: by score, then by member
// bytes.
func zsetLess(a, b Member) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return bytes.Compare(a.Member, b.Member) < 0
}

func (e *Encoder) appendZSet(dst []byte, zs []Member, typ byte) ([]byte, error) {
	if len(zs) == 0 {
		return dst, invalidObject("empty sorted set")
	}
	sorted := true
	for i, m := range zs {
		if math.IsNaN(m.Score) {
			return dst, invalidObject("NaN score for member %q", m.Member)
		}
		if i > 0 && zsetLess(m, zs[i-1]) {
			sorted = false
		}
	}
	if !sorted {
		zs = slices.Clone(zs)
		slices.SortFunc(zs, func(a, b Member) int {
			if zsetLess(a, b) {
				return -1
			}
			if zsetLess(b, a) {
				return 1
			}
			return 0
		})
	}
	if typ == TypeZSet2 {
		// Greatest first, as Redis walks its skiplist from the tail.
		dst = AppendLen(dst, uint64(len(zs)))
		for i := len(zs) - 1; i >= 0; i-- {
			dst = e.str(dst, zs[i].Member)
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(zs[i].Score))
		}
		return dst, nil
	}
	lp, off := lpBegin(e.scratch[:0])
	var num [32]byte
	for _, m := range zs {
		lp = lpAppendEntry(lp, m.Member)
		if v, ok := scoreAsInt(m.Score); ok {
			lp = lpAppendInt(lp, v)
		} else {
			lp = lpAppendEntry(lp, appendScoreText(num[:0], m.Score))
		}
	}
	lp, err := lpEnd(lp, off, 2*len(zs))
	e.scratch = lp
	if err != nil {
		return dst, err
	}
	return e.str(dst, lp), nil
}

// Dump returns the DUMP payload of o held in the given encoding: the type
// byte, the serialized value, the RDB version (2 bytes, little endian) and
// the CRC-64 of all that (8 bytes, little endian).
func Dump(o *Object, encoding string, opt DumpOptions) ([]byte, error) {
	e := Encoder{opt: opt}
	return e.Dump(o, encoding)
}

// Dump is the package-level Dump with the encoder's options.
func (e *Encoder) Dump(o *Object, encoding string) ([]byte, error) {
	typ, err := ObjectType(o, encoding)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 0, estimateSize(o)+11)
	buf = append(buf, typ)
	buf, err = e.AppendObject(buf, o, encoding)
	if err != nil {
		return nil, err
	}
	return AppendFooter(buf), nil
}

// AppendFooter appends the DUMP payload footer to a serialized object: the
// RDB version and the CRC-64 of everything before it, footer version
// included.
func AppendFooter(payload []byte) []byte {
	payload = binary.LittleEndian.AppendUint16(payload, Version)
	return binary.LittleEndian.AppendUint64(payload, CRC64(0, payload))
}

// estimateSize returns roughly how large o serializes uncompressed, to size
// the output buffer once.
func estimateSize(o *Object) int {
	n := 16 + len(o.Str)
	for _, s := range o.List {
		n += len(s) + 3
	}
	for _, s := range o.Set {
		n += len(s) + 3
	}
	for _, f := range o.Hash {
		n += len(f.Name) + len(f.Value) + 6
	}
	for _, m := range o.ZSet {
		n += len(m.Member) + 13
	}
	return n
}
