package rdb

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestListpackEntryEncoding(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"0", "\x00\x01"},
		{"127", "\x7f\x01"},
		{"128", "\xc0\x80\x02"},
		{"-1", "\xdf\xff\x02"},
		{"4095", "\xcf\xff\x02"},
		{"-4096", "\xd0\x00\x02"},
		{"4096", "\xf1\x00\x10\x03"},
		{"-32768", "\xf1\x00\x80\x03"},
		{"32768", "\xf2\x00\x80\x00\x04"},
		{"-8388608", "\xf2\x00\x00\x80\x04"},
		{"8388608", "\xf3\x00\x00\x80\x00\x05"},
		{"-2147483648", "\xf3\x00\x00\x00\x80\x05"},
		{"2147483648", "\xf4\x00\x00\x00\x80\x00\x00\x00\x00\x09"},
		{"-9223372036854775808", "\xf4\x00\x00\x00\x00\x00\x00\x00\x80\x09"},
		{"", "\x80\x01"},
		{"a", "\x81a\x02"},
		{"-0", "\x82-0\x03"},
		{"01", "\x8201\x03"},
		{"9223372036854775808", "\x939223372036854775808\x14"},
		{strings.Repeat("x", 63), "\xbf" + strings.Repeat("x", 63) + "\x40"},
		{strings.Repeat("x", 64), "\xe0\x40" + strings.Repeat("x", 64) + "\x42"},
		{strings.Repeat("x", 126), "\xe0\x7e" + strings.Repeat("x", 126) + "\x01\x80"},
		{strings.Repeat("x", 4095), "\xef\xff" + strings.Repeat("x", 4095) + "\x20\x81"},
		{strings.Repeat("x", 4096), "\xf0\x00\x10\x00\x00" + strings.Repeat("x", 4096) + "\x20\x85"},
	}
	for _, c := range cases {
		got := lpAppendEntry(nil, []byte(c.in))
		if string(got) != c.want {
			t.Errorf("entry %q = %q, want %q", trunc([]byte(c.in)), trunc(got), trunc([]byte(c.want)))
		}
		if lpEntrySize([]byte(c.in)) != len(got) {
			t.Errorf("lpEntrySize(%q) = %d, want %d", trunc([]byte(c.in)), lpEntrySize([]byte(c.in)), len(got))
		}
	}
}

func TestBacklen(t *testing.T) {
	for _, l := range []int{0, 1, 127, 128, 16382, 16383, 16384, 2097150, 2097151, 268435454, 268435455, 1 << 32} {
		b := appendBacklen(nil, l)
		if len(b) != lpBacklenSize(l) {
			t.Errorf("backlen(%d) is %d bytes, size says %d", l, len(b), lpBacklenSize(l))
		}
		// Decode from the last byte backwards, as lpPrev does.
		v, shift := 0, 0
		for i := len(b) - 1; i >= 0; i-- {
			v |= int(b[i]&127) << shift
			shift += 7
			if b[i]&128 == 0 {
				break
			}
		}
		if v != l {
			t.Errorf("backlen(%d) decodes to %d", l, v)
		}
	}
}

func readListpack(lp []byte) ([]string, string) {
	r, reason := newLPReader(lp)
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

func TestListpackReader(t *testing.T) {
	elems := []string{"0", "127", "128", "-1", "4095", "-4096", "4096", "-32768", "32768",
		"-8388608", "8388608", "-2147483648", "2147483648", "-9223372036854775808",
		"9223372036854775807", "", "a", "-0", strings.Repeat("y", 5000)}
	lp := makeListpack(bs(elems...)...)
	got, reason := readListpack(lp)
	if reason != "" {
		t.Fatal(reason)
	}
	if strings.Join(got, ",") != strings.Join(elems, ",") {
		t.Fatalf("got %q", got)
	}

	// A count of 65535 means unknown; the real count is not checked.
	unknown := bytes.Clone(lp)
	binary.LittleEndian.PutUint16(unknown[4:], lpCountUnknown)
	if _, reason := readListpack(unknown); reason != "" {
		t.Fatalf("unknown count: %s", reason)
	}

	small := makeListpack(bs("a", "1000")...) // 81 61 02 | c3 e8 02
	corrupt := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(small)) }
	bad := map[string][]byte{
		"short":        small[:6],
		"size":         corrupt(func(b []byte) []byte { b[0]++; return b }),
		"terminator":   corrupt(func(b []byte) []byte { b[len(b)-1] = 0; return b }),
		"count":        corrupt(func(b []byte) []byte { b[4] = 3; return b }),
		"backlen":      corrupt(func(b []byte) []byte { b[8] = 3; return b }),
		"encoding":     corrupt(func(b []byte) []byte { b[6] = 0xF5; return b }),
		"early EOF":    corrupt(func(b []byte) []byte { b[9] = 0xFF; return b }),
		"string past":  corrupt(func(b []byte) []byte { b[6] = 0x85; return b }),
		"string12past": corrupt(func(b []byte) []byte { b[6] = 0xE0; b[7] = 0x05; return b }),
		"int past": func() []byte {
			b := []byte{0x0a, 0, 0, 0, 1, 0, 0xF4, 1, 2, 0xFF}
			return b
		}(),
		"32bit string past": func() []byte {
			b := []byte{0x0d, 0, 0, 0, 1, 0, 0xF0, 0xff, 0xff, 0xff, 0xff, 0x05, 0xFF}
			return b
		}(),
		"non-canonical backlen": func() []byte {
			// "a" with its backlen 2 written in two bytes.
			b := []byte{0x0c, 0, 0, 0, 1, 0, 0x81, 'a', 0x00, 0x82, 0xFF}
			binary.LittleEndian.PutUint32(b, uint32(len(b)))
			return b
		}(),
	}
	for name, lp := range bad {
		if _, reason := readListpack(lp); reason == "" {
			t.Errorf("%s: corrupt listpack %q accepted", name, lp)
		}
	}
}

func TestListpackCountCap(t *testing.T) {
	elems := make([][]byte, 70000)
	for i := range elems {
		elems[i] = []byte("x")
	}
	lp := makeListpack(elems...)
	if n := binary.LittleEndian.Uint16(lp[4:]); n != lpCountUnknown {
		t.Fatalf("count header %d, want 65535", n)
	}
	got, reason := readListpack(lp)
	if reason != "" || len(got) != len(elems) {
		t.Fatalf("%d entries, %q", len(got), reason)
	}
}
