package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestRestoreEncodings(t *testing.T) {
	long := strings.Repeat("L", 100)
	lzfList := AppendString(nil, makeListpack(bs(long, long, "x")...), true)
	if lzfList[0] != 0xC3 {
		t.Fatal("test listpack did not compress")
	}
	cases := []struct {
		name    string
		payload []byte
		want    *Object
	}{
		{"string int8", payload(TypeString, []byte{0xC0, 0xFB}), &Object{Kind: KindString, Str: []byte("-5")}},
		{"string int16", payload(TypeString, []byte{0xC1, 0x00, 0x80}), &Object{Kind: KindString, Str: []byte("-32768")}},
		{"string int32", payload(TypeString, []byte{0xC2, 0xFF, 0xFF, 0xFF, 0x7F}), &Object{Kind: KindString, Str: []byte("2147483647")}},
		{"string 14-bit", payload(TypeString, str([]byte(long))), &Object{Kind: KindString, Str: []byte(long)}},
		{"string 32-bit length", payload(TypeString, []byte{0x80, 0, 0, 0, 2}, []byte("ab")), &Object{Kind: KindString, Str: []byte("ab")}},
		{"string 64-bit length", payload(TypeString, []byte{0x81, 0, 0, 0, 0, 0, 0, 0, 2}, []byte("ab")), &Object{Kind: KindString, Str: []byte("ab")}},
		{"string lzf empty", payload(TypeString, []byte{0xC3, 2, 0, 'x', 'y'}), &Object{Kind: KindString, Str: []byte{}}},
		{"list plain", payload(TypeList, lenb(2), str([]byte("a")), []byte{0xC0, 7}), &Object{Kind: KindList, List: bs("a", "7")}},
		{"list ziplist", payload(TypeListZiplist, str(makeZiplist(bs("a", "12", long)...))), &Object{Kind: KindList, List: bs("a", "12", long)}},
		{"list quicklist v1", payload(TypeListQuicklist, lenb(3), str(makeZiplist(bs("a")...)), str(makeZiplist()), str(makeZiplist(bs("b", "c")...))),
			&Object{Kind: KindList, List: bs("a", "b", "c")}},
		{"list quicklist v2", payload(TypeListQuicklist2, lenb(4), lenb(2), str(makeListpack(bs("a", "1")...)), lenb(1), str([]byte(long)),
			lenb(2), str(makeListpack()), lenb(2), lzfList),
			&Object{Kind: KindList, List: bs("a", "1", long, long, long, "x")}},
		{"list count as special byte", payload(TypeList, []byte{0xC1}, str([]byte("a"))), &Object{Kind: KindList, List: bs("a")}},
		{"set plain", payload(TypeSet, lenb(2), str([]byte("1")), str([]byte("01"))), &Object{Kind: KindSet, Set: bs("1", "01")}},
		{"set intset", payload(TypeSetIntset, str(appendIntset(nil, []int64{5, -1, 1 << 40}))), &Object{Kind: KindSet, Set: bs("-1", "5", "1099511627776")}},
		{"zset text", payload(TypeZSet, lenb(3), str([]byte("a")), []byte{3}, []byte("1.5"), str([]byte("b")), []byte{255}, str([]byte("c")), []byte{254}),
			&Object{Kind: KindZSet, ZSet: []Member{{[]byte("a"), 1.5}, {[]byte("b"), math.Inf(-1)}, {[]byte("c"), math.Inf(1)}}}},
		{"zset binary", payload(TypeZSet2, lenb(1), str([]byte("a")), binary.LittleEndian.AppendUint64(nil, math.Float64bits(-2.25))),
			&Object{Kind: KindZSet, ZSet: []Member{{[]byte("a"), -2.25}}}},
		{"zset ziplist", payload(TypeZSetZiplist, str(makeZiplist(bs("a", "1", "b", "2.5")...))),
			&Object{Kind: KindZSet, ZSet: []Member{{[]byte("a"), 1}, {[]byte("b"), 2.5}}}},
		{"zset listpack", payload(TypeZSetListpack, str(makeListpack(bs("a", "-7", "b", "inf")...))),
			&Object{Kind: KindZSet, ZSet: []Member{{[]byte("a"), -7}, {[]byte("b"), math.Inf(1)}}}},
		{"hash plain", payload(TypeHash, lenb(1), str([]byte("f")), str([]byte("v"))), &Object{Kind: KindHash, Hash: fields("f", "v")}},
		{"hash zipmap", payload(TypeHashZipmap, str(makeZipmap(2, fields("f", "v", "g", "")...))), &Object{Kind: KindHash, Hash: fields("f", "v", "g", "")}},
		{"hash ziplist", payload(TypeHashZiplist, str(makeZiplist(bs("f", "1", "g", "x")...))), &Object{Kind: KindHash, Hash: fields("f", "1", "g", "x")}},
		{"hash listpack", payload(TypeHashListpack, str(makeListpack(bs("f", "1", "g", "x")...))), &Object{Kind: KindHash, Hash: fields("f", "1", "g", "x")}},
		{"trailing bytes", payload(TypeString, str([]byte("a")), []byte("junk")), &Object{Kind: KindString, Str: []byte("a")}},
	}
	for _, c := range cases {
		got, err := Restore(c.payload)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if err := equalObjects(got, c.want); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.want.Kind == KindList && !slices.EqualFunc(got.List, c.want.List, bytes.Equal) {
			t.Errorf("%s: list order %q", c.name, got.List)
		}
	}
}

func TestRestoreErrors(t *testing.T) {
	good := payload(TypeString, str([]byte("hello")))
	badVersion := slices.Clone(good)
	badVersion[len(badVersion)-10] = 11
	putCRC(badVersion)
	cases := []struct {
		name    string
		payload []byte
		want    error
	}{
		{"empty", nil, ErrBadPayload},
		{"short", good[:9], ErrBadPayload},
		{"crc", append(slices.Clone(good[:len(good)-1]), good[len(good)-1]^0x80), ErrBadPayload},
		{"version", badVersion, ErrBadPayload},
		{"no type", AppendFooter(nil), ErrBadFormat},
		{"opcode", payload(0xFE, lenb(0)), ErrBadFormat},
		{"module", payload(TypeModule2, lenb(1)), ErrBadFormat},
		{"stream", payload(TypeStreamListpacks2, lenb(0)), ErrBadFormat},
		{"bad length", payload(TypeString, []byte{0x82}), ErrBadFormat},
		{"bad string encoding", payload(TypeString, []byte{0xC4}), ErrBadFormat},
		{"truncated int", payload(TypeString, []byte{0xC2, 1, 2}), ErrBadFormat},
		{"truncated", payload(TypeString, lenb(100), []byte("abc")), ErrBadFormat},
		{"huge length", payload(TypeString, []byte{0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), ErrBadFormat},
		{"lzf past", payload(TypeString, []byte{0xC3, 10, 20, 1, 2}), ErrBadFormat},
		{"lzf ratio", payload(TypeString, []byte{0xC3, 1, 0x80, 0x40, 0, 0, 0, 0}), ErrBadFormat},
		{"lzf corrupt", payload(TypeString, []byte{0xC3, 3, 5, 0x05, 'a', 'b'}), ErrBadFormat},
		{"empty list", payload(TypeList, lenb(0)), ErrBadFormat},
		{"short list", payload(TypeList, lenb(3), str([]byte("a"))), ErrBadFormat},
		{"huge count", payload(TypeList, []byte{0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), ErrBadFormat},
		{"empty ziplist list", payload(TypeListZiplist, str(makeZiplist())), ErrBadFormat},
		{"empty quicklist", payload(TypeListQuicklist2, lenb(1), lenb(2), str(makeListpack())), ErrBadFormat},
		{"empty node", payload(TypeListQuicklist2, lenb(1), lenb(1), str(nil)), ErrBadFormat},
		{"container", payload(TypeListQuicklist2, lenb(1), lenb(0), str([]byte("a"))), ErrBadFormat},
		{"v1 listpack node", payload(TypeListQuicklist, lenb(1), str(makeListpack(bs("a")...))), ErrBadFormat},
		{"v2 ziplist node", payload(TypeListQuicklist2, lenb(1), lenb(2), str(makeZiplist(bs("a")...))), ErrBadFormat},
		{"dup set", payload(TypeSet, lenb(2), str([]byte("1")), []byte{0xC0, 1}), ErrBadFormat},
		{"dup set many", func() []byte {
			body := lenb(20)
			for i := range 20 {
				body = append(body, str([]byte{byte('a' + i%19)})...)
			}
			return payload(TypeSet, body)
		}(), ErrBadFormat},
		{"dup hash", payload(TypeHash, lenb(2), str([]byte("f")), str(nil), str([]byte("f")), str(nil)), ErrBadFormat},
		{"dup zset", payload(TypeZSet2, lenb(2), str([]byte("a")), make([]byte, 8), str([]byte("a")), make([]byte, 8)), ErrBadFormat},
		{"dup zipmap", payload(TypeHashZipmap, str(makeZipmap(0, fields("f", "1", "f", "2")...))), ErrBadFormat},
		{"dup hash ziplist", payload(TypeHashZiplist, str(makeZiplist(bs("f", "1", "f", "2")...))), ErrBadFormat},
		{"dup zset ziplist", payload(TypeZSetZiplist, str(makeZiplist(bs("1", "1", "1", "2")...))), ErrBadFormat},
		{"odd zset", payload(TypeZSetListpack, str(makeListpack(bs("a")...))), ErrBadFormat},
		{"empty hash listpack", payload(TypeHashListpack, str(makeListpack())), ErrBadFormat},
		{"empty zset ziplist", payload(TypeZSetZiplist, str(makeZiplist())), ErrBadFormat},
		{"bad score text", payload(TypeZSet, lenb(1), str([]byte("a")), []byte{3}, []byte("abc")), ErrBadFormat},
		{"bad listpack score", payload(TypeZSetListpack, str(makeListpack(bs("a", "x")...))), ErrBadFormat},
		{"nan listpack score", payload(TypeZSetListpack, str(makeListpack(bs("a", "nan")...))), ErrBadFormat},
		{"nan binary score", payload(TypeZSet2, lenb(1), str([]byte("a")), binary.LittleEndian.AppendUint64(nil, math.Float64bits(math.NaN()))), ErrBadFormat},
		{"empty intset", payload(TypeSetIntset, str([]byte{4, 0, 0, 0, 0, 0, 0, 0})), ErrBadFormat},
		{"corrupt listpack", payload(TypeHashListpack, str([]byte{7, 0, 0, 0, 0, 0, 0})), ErrBadFormat},
	}
	for _, c := range cases {
		if _, err := Restore(c.payload); err != c.want {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	if ErrBadPayload.Error() != "DUMP payload version or checksum are wrong" || ErrBadFormat.Error() != "Bad data format" {
		t.Error("error texts differ from Redis's")
	}
}

func TestDecoderErrors(t *testing.T) {
	d := NewDecoder([]byte{})
	_, err := d.ReadObject(TypeStreamListpacks)
	var fe *FormatError
	if !errors.Is(err, ErrUnsupportedType) || !errors.Is(err, ErrBadFormat) || !errors.As(err, &fe) {
		t.Fatalf("stream: %v", err)
	}
	d = NewDecoder([]byte{0x05, 'a'})
	_, err = d.ReadString()
	if !errors.As(err, &fe) || fe.Offset != 1 || !errors.Is(err, ErrBadFormat) || errors.Is(err, ErrUnsupportedType) {
		t.Fatalf("truncated: %v", err)
	}
	if _, err := NewDecoder(nil).ReadByte(); !errors.Is(err, ErrBadFormat) {
		t.Fatalf("ReadByte: %v", err)
	}
	if _, err := NewDecoder([]byte("ab")).ReadBytes(3); !errors.Is(err, ErrBadFormat) {
		t.Fatalf("ReadBytes: %v", err)
	}
}

// TestRestoreOwnsMemory checks that restored values neither alias the
// payload nor each other.
func TestRestoreOwnsMemory(t *testing.T) {
	p, err := Dump(&Object{Kind: KindList, List: bs("a", "b", "12", "13")}, "quicklist", DefaultDumpOptions())
	if err != nil {
		t.Fatal(err)
	}
	o, err := Restore(p)
	if err != nil {
		t.Fatal(err)
	}
	clear(p)
	if string(o.List[0]) != "a" || string(o.List[2]) != "12" {
		t.Fatalf("restored list changed with the payload: %q", o.List)
	}
	o.List[0] = append(o.List[0], 'X')
	o.List[2] = append(o.List[2], 'Y')
	if string(o.List[1]) != "b" || string(o.List[3]) != "13" {
		t.Fatalf("appending to one element overwrote another: %q", o.List)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindString: "string", KindList: "list", KindSet: "set", KindZSet: "zset", KindHash: "hash", 7: "unknown"} {
		if k.String() != want {
			t.Errorf("Kind(%d) = %q", k, k.String())
		}
	}
	for typ := range 256 {
		want := typ <= 7 || (typ >= 9 && typ <= 19)
		if IsObjectType(byte(typ)) != want {
			t.Errorf("IsObjectType(%d) = %v", typ, !want)
		}
	}
}
