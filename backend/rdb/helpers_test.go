package rdb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// The encoders below write the formats Redis no longer writes (ziplist,
// zipmap, quicklist v1, plain lists and text scores), so that tests can
// feed them to Restore and to a real redis-server.

// zlAppendEntry appends s to a ziplist body as Redis's ziplistPush did:
// prevlen, then the narrowest integer or string encoding.
func zlAppendEntry(dst []byte, prev int, s []byte) ([]byte, int) {
	start := len(dst)
	if prev < zlBigPrevlen {
		dst = append(dst, byte(prev))
	} else {
		dst = append(dst, zlBigPrevlen)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(prev))
	}
	if v, ok := parseInt(s); ok && len(s) <= 32 {
		switch {
		case v >= 0 && v <= 12:
			dst = append(dst, 0xF1+byte(v))
		case v >= math.MinInt8 && v <= math.MaxInt8:
			dst = append(dst, 0xFE, byte(v))
		case v >= math.MinInt16 && v <= math.MaxInt16:
			dst = append(dst, 0xC0, byte(v), byte(v>>8))
		case v >= -1<<23 && v < 1<<23:
			dst = append(dst, 0xF0, byte(v), byte(v>>8), byte(v>>16))
		case v >= math.MinInt32 && v <= math.MaxInt32:
			dst = append(dst, 0xD0)
			dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
		default:
			dst = append(dst, 0xE0)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v))
		}
		return dst, len(dst) - start
	}
	n := len(s)
	switch {
	case n < 1<<6:
		dst = append(dst, byte(n))
	case n < 1<<14:
		dst = append(dst, 0x40|byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x80)
		dst = binary.BigEndian.AppendUint32(dst, uint32(n))
	}
	dst = append(dst, s...)
	return dst, len(dst) - start
}

// makeZiplist returns a ziplist holding elems.
func makeZiplist(elems ...[]byte) []byte {
	zl := make([]byte, zlHeaderSize)
	prev, tail := 0, zlHeaderSize
	for _, e := range elems {
		tail = len(zl)
		zl, prev = zlAppendEntry(zl, prev, e)
	}
	zl = append(zl, zlEnd)
	binary.LittleEndian.PutUint32(zl, uint32(len(zl)))
	binary.LittleEndian.PutUint32(zl[4:], uint32(tail))
	binary.LittleEndian.PutUint16(zl[8:], uint16(min(len(elems), zlCountUnknown)))
	return zl
}

// makeZipmap returns a zipmap holding the fields, each value followed by
// free bytes of padding.
func makeZipmap(free int, fields ...Field) []byte {
	zm := []byte{byte(min(len(fields), zmBigLen))}
	putLen := func(n int) {
		if n < zmBigLen {
			zm = append(zm, byte(n))
			return
		}
		zm = append(zm, zmBigLen)
		zm = binary.LittleEndian.AppendUint32(zm, uint32(n))
	}
	for _, f := range fields {
		putLen(len(f.Name))
		zm = append(zm, f.Name...)
		putLen(len(f.Value))
		zm = append(zm, byte(free))
		zm = append(zm, f.Value...)
		zm = append(zm, make([]byte, free)...)
	}
	return append(zm, zmEnd)
}

func makeListpack(elems ...[]byte) []byte {
	lp, off := lpBegin(nil)
	for _, e := range elems {
		lp = lpAppendEntry(lp, e)
	}
	lp, _ = lpEnd(lp, off, len(elems))
	return lp
}

// payload returns a DUMP payload of type typ with the given body.
func payload(typ byte, body ...[]byte) []byte {
	p := []byte{typ}
	for _, b := range body {
		p = append(p, b...)
	}
	return AppendFooter(p)
}

func str(s []byte) []byte { return AppendString(nil, s, false) }

func lenb(n int) []byte { return AppendLen(nil, uint64(n)) }

func bs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func fields(kv ...string) []Field {
	out := make([]Field, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Field{Name: []byte(kv[i]), Value: []byte(kv[i+1])})
	}
	return out
}

// equalObjects reports whether two objects hold the same value: lists in
// order, sets, hashes and sorted sets in any order.
func equalObjects(a, b *Object) error {
	if a.Kind != b.Kind {
		return fmt.Errorf("kind %v != %v", a.Kind, b.Kind)
	}
	switch a.Kind {
	case KindString:
		if !bytes.Equal(a.Str, b.Str) {
			return fmt.Errorf("string %q != %q", trunc(a.Str), trunc(b.Str))
		}
	case KindList:
		if len(a.List) != len(b.List) {
			return fmt.Errorf("list length %d != %d", len(a.List), len(b.List))
		}
		for i := range a.List {
			if !bytes.Equal(a.List[i], b.List[i]) {
				return fmt.Errorf("list[%d] %q != %q", i, trunc(a.List[i]), trunc(b.List[i]))
			}
		}
	case KindSet:
		return equalSorted(keys(a.Set), keys(b.Set), "set")
	case KindHash:
		ka, kb := make([]string, 0, len(a.Hash)), make([]string, 0, len(b.Hash))
		for _, f := range a.Hash {
			ka = append(ka, string(f.Name)+"\x00"+string(f.Value))
		}
		for _, f := range b.Hash {
			kb = append(kb, string(f.Name)+"\x00"+string(f.Value))
		}
		return equalSorted(ka, kb, "hash")
	case KindZSet:
		ka, kb := make([]string, 0, len(a.ZSet)), make([]string, 0, len(b.ZSet))
		// A listpack stores -0 as the integer 0, as Redis does.
		for _, m := range a.ZSet {
			ka = append(ka, string(m.Member)+"\x00"+strconv.FormatFloat(m.Score+0, 'g', -1, 64))
		}
		for _, m := range b.ZSet {
			kb = append(kb, string(m.Member)+"\x00"+strconv.FormatFloat(m.Score+0, 'g', -1, 64))
		}
		return equalSorted(ka, kb, "zset")
	}
	return nil
}

func keys(ss [][]byte) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func equalSorted(a, b []string, what string) error {
	slices.Sort(a)
	slices.Sort(b)
	if len(a) != len(b) {
		return fmt.Errorf("%s size %d != %d", what, len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("%s element %q != %q", what, trunc([]byte(a[i])), trunc([]byte(b[i])))
		}
	}
	return nil
}

func trunc(b []byte) []byte {
	if len(b) > 40 {
		return append(b[:40:40], "..."...)
	}
	return b
}

func mustEqual(t testing.TB, got, want *Object) {
	t.Helper()
	if err := equalObjects(got, want); err != nil {
		t.Fatal(err)
	}
}

// randElem returns a random element: small and large integers, short and
// long strings, compressible runs, binary bytes.
func randElem(r *rand.Rand) []byte {
	switch r.IntN(8) {
	case 0:
		return []byte(strconv.FormatInt(r.Int64N(256)-128, 10))
	case 1:
		return []byte(strconv.FormatInt(r.Int64()>>r.IntN(64), 10))
	case 2:
		return []byte(strconv.FormatInt(-r.Int64()>>r.IntN(64), 10))
	case 3:
		return bytes.Repeat([]byte{'a' + byte(r.IntN(3))}, r.IntN(300))
	case 4:
		return randBytes(r, r.IntN(5000))
	case 5:
		return []byte(fmt.Sprintf("key:%d:%s", r.IntN(1000), bytes.Repeat([]byte("xy"), r.IntN(40))))
	case 6:
		return []byte{}
	}
	b := make([]byte, r.IntN(70))
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return b
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n+8)
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], r.Uint64())
	}
	return b[:n:n]
}

func randScore(r *rand.Rand) float64 {
	switch r.IntN(6) {
	case 0:
		return float64(r.IntN(100))
	case 1:
		return r.NormFloat64() * 1e6
	case 2:
		return math.Inf(1 - 2*r.IntN(2))
	case 3:
		return float64(r.Int64()) * float64(1-2*r.IntN(2))
	case 4:
		return math.Ldexp(r.Float64(), r.IntN(2000)-1000)
	}
	return -0.5 * float64(r.IntN(10))
}

// randObject returns a random object and an encoding Redis could hold it
// in.
func randObject(r *rand.Rand) (*Object, string) {
	n := 1 + r.IntN(100)
	if r.IntN(20) == 0 {
		n = 1 + r.IntN(3000)
	}
	seen := map[string]bool{}
	unique := func(gen func() []byte) []byte {
		for {
			b := gen()
			if !seen[string(b)] {
				seen[string(b)] = true
				return b
			}
		}
	}
	elem := func() []byte { return randElem(r) }
	switch r.IntN(5) {
	case 0:
		return &Object{Kind: KindString, Str: elem()}, [...]string{"int", "embstr", "raw"}[r.IntN(3)]
	case 1:
		o := &Object{Kind: KindList}
		for range n {
			o.List = append(o.List, elem())
		}
		return o, "quicklist"
	case 2:
		o := &Object{Kind: KindSet}
		if r.IntN(2) == 0 {
			for range n {
				o.Set = append(o.Set, unique(func() []byte {
					return []byte(strconv.FormatInt(r.Int64()>>r.IntN(64)*int64(1-2*r.IntN(2)), 10))
				}))
			}
			return o, "intset"
		}
		for range n {
			o.Set = append(o.Set, unique(elem))
		}
		return o, "hashtable"
	case 3:
		o := &Object{Kind: KindZSet}
		for range n {
			o.ZSet = append(o.ZSet, Member{Member: unique(elem), Score: randScore(r)})
		}
		if r.IntN(2) == 0 {
			slices.SortFunc(o.ZSet, func(a, b Member) int {
				if zsetLess(a, b) {
					return -1
				}
				return 1
			})
			return o, "listpack"
		}
		return o, "skiplist"
	}
	o := &Object{Kind: KindHash}
	for range n {
		o.Hash = append(o.Hash, Field{Name: unique(elem), Value: elem()})
	}
	return o, [...]string{"listpack", "hashtable"}[r.IntN(2)]
}
