package rdb

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func readZiplist(zl []byte) ([]string, string) {
	r, reason := newZLReader(zl)
	if reason != "" {
		return nil, reason
	}
	var d Decoder
	var out []string
	for {
		e, done, reason := r.next()
		if reason != "" {
			return nil, reason
		}
		if done {
			break
		}
		out = append(out, string(d.entryBytes(e)))
	}
	return out, r.finish()
}

func TestZiplistReader(t *testing.T) {
	elems := []string{"0", "12", "13", "-1", "127", "-128", "128", "-32768", "32767", "32768",
		"-8388608", "8388607", "8388608", "-2147483648", "2147483647", "2147483648",
		"-9223372036854775808", "9223372036854775807", "", "a", "-0",
		strings.Repeat("m", 63), strings.Repeat("m", 64), strings.Repeat("n", 300), strings.Repeat("o", 20000), "end"}
	zl := makeZiplist(bs(elems...)...)
	got, reason := readZiplist(zl)
	if reason != "" {
		t.Fatal(reason)
	}
	if strings.Join(got, ",") != strings.Join(elems, ",") {
		t.Fatalf("got %q", got)
	}
	empty := makeZiplist()
	if got, reason := readZiplist(empty); reason != "" || len(got) != 0 {
		t.Fatalf("empty ziplist: %q %s", got, reason)
	}

	// A prevlen may take five bytes even when one would do: Redis keeps
	// them that way rather than shrink entries.
	wide := []byte{0, 0, 0, 0, 0, 0, 0, 0, 2, 0}
	wide = append(wide, 0x00, 0x01, 'a')                   // "a", prevlen 0
	wide = append(wide, 0xFE, 3, 0, 0, 0, 0x01, 'b', 0xFF) // "b", prevlen 3 in 5 bytes
	binary.LittleEndian.PutUint32(wide, uint32(len(wide)))
	binary.LittleEndian.PutUint32(wide[4:], 13)
	if got, reason := readZiplist(wide); reason != "" || strings.Join(got, ",") != "a,b" {
		t.Fatalf("wide prevlen: %q %s", got, reason)
	}

	small := makeZiplist(bs("a", "1000")...) // 00 01 61 | 03 c0 e8 03
	corrupt := func(f func(b []byte)) []byte { b := bytes.Clone(small); f(b); return b }
	bad := map[string][]byte{
		"short":      small[:10],
		"size":       corrupt(func(b []byte) { b[0]++ }),
		"terminator": corrupt(func(b []byte) { b[len(b)-1] = 0 }),
		"tail":       corrupt(func(b []byte) { b[4]++ }),
		"tail past":  corrupt(func(b []byte) { b[4] = 0xFF }),
		"count":      corrupt(func(b []byte) { b[8] = 3 }),
		"prevlen":    corrupt(func(b []byte) { b[13] = 2 }),
		"encoding":   corrupt(func(b []byte) { b[14] = 0xC1 }),
		"early end":  corrupt(func(b []byte) { b[13] = 0xFF }),
		"past end":   corrupt(func(b []byte) { b[11] = 0x05 }),
		"big past":   corrupt(func(b []byte) { b[11] = 0x80 }),
	}
	for name, zl := range bad {
		if _, reason := readZiplist(zl); reason == "" {
			t.Errorf("%s: corrupt ziplist %q accepted", name, zl)
		}
	}
}

func TestIntset(t *testing.T) {
	cases := []struct {
		vals  []int64
		width int
	}{
		{[]int64{3, 1, 2}, 2},
		{[]int64{-32768, 32767}, 2},
		{[]int64{32768}, 4},
		{[]int64{-2147483648, 5}, 4},
		{[]int64{2147483648}, 8},
		{[]int64{-9223372036854775808, 9223372036854775807, 0}, 8},
	}
	for _, c := range cases {
		is := appendIntset(nil, append([]int64(nil), c.vals...))
		if w := int(binary.LittleEndian.Uint32(is)); w != c.width {
			t.Errorf("%v: width %d, want %d", c.vals, w, c.width)
		}
		r, reason := newIntsetReader(is)
		if reason != "" {
			t.Fatalf("%v: %s", c.vals, reason)
		}
		var got []int64
		for {
			v, ok, reason := r.next()
			if reason != "" {
				t.Fatalf("%v: %s", c.vals, reason)
			}
			if !ok {
				break
			}
			got = append(got, v)
		}
		if len(got) != len(c.vals) {
			t.Fatalf("%v: got %v", c.vals, got)
		}
	}
	bad := map[string][]byte{
		"short":     {2, 0, 0, 0, 1, 0, 0},
		"width":     {3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0},
		"empty":     {2, 0, 0, 0, 0, 0, 0, 0},
		"size":      {2, 0, 0, 0, 2, 0, 0, 0, 1, 0},
		"order":     {2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0},
		"duplicate": {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0},
		"huge":      {8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff},
	}
	for name, is := range bad {
		r, reason := newIntsetReader(is)
		for reason == "" {
			var ok bool
			if _, ok, reason = r.next(); !ok && reason == "" {
				break
			}
		}
		if reason == "" {
			t.Errorf("%s: corrupt intset %v accepted", name, is)
		}
	}
}

func TestZipmap(t *testing.T) {
	long := strings.Repeat("k", 300)
	want := fields("a", "1", long, "v", "", "empty-name", "e", "")
	for _, free := range []int{0, 4} {
		got, reason := zipmapPairs(makeZipmap(free, want...), nil)
		if reason != "" {
			t.Fatalf("free %d: %s", free, reason)
		}
		mustEqual(t, &Object{Kind: KindHash, Hash: got}, &Object{Kind: KindHash, Hash: want})
	}
	unknown := makeZipmap(0, want...)
	unknown[0] = zmBigLen
	if _, reason := zipmapPairs(unknown, nil); reason != "" {
		t.Fatalf("unknown count: %s", reason)
	}
	good := makeZipmap(0, fields("ab", "cd")...) // 01 02 a b 02 00 c d ff
	corrupt := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	bad := map[string][]byte{
		"short":      {0xFF},
		"terminator": corrupt(func(b []byte) []byte { b[len(b)-1] = 0; return b }),
		"empty":      {0, 0xFF},
		"count":      corrupt(func(b []byte) []byte { b[0] = 2; return b }),
		"name past":  corrupt(func(b []byte) []byte { b[1] = 9; return b }),
		"value past": corrupt(func(b []byte) []byte { b[4] = 9; return b }),
		"free past":  corrupt(func(b []byte) []byte { b[5] = 9; return b }),
		"no value":   {1, 2, 'a', 'b', 0xFF},
		"trailing":   append(bytes.Clone(good[:len(good)-1]), 0xFF, 0xFF),
		"big len":    {1, 0xFE, 0xff, 0xff, 0xff, 0xff, 0xFF},
	}
	for name, zm := range bad {
		if _, reason := zipmapPairs(zm, nil); reason == "" {
			t.Errorf("%s: corrupt zipmap %q accepted", name, zm)
		}
	}
}
