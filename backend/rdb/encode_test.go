package rdb

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"testing"
)

// goldenDumps are DUMP replies of redis-server 7.0.15 (rdbcompression yes).
var goldenDumps = []struct {
	name string
	obj  *Object
	enc  string
	hex  string
}{
	{"SET str 12345", &Object{Kind: KindString, Str: []byte("12345")}, "int",
		"00c139300a009d94ea2793fc08b9"},
	{"RPUSH list a b 1 2 300 -5 100000", &Object{Kind: KindList, List: bs("a", "b", "1", "2", "300", "-5", "100000")}, "quicklist",
		"1201021c1c000000070081610281620201010201c12c02dffb02f2a0860104ff0a000751afdbce847107"},
	{"SADD intset 3 1 2 -70000", &Object{Kind: KindSet, Set: bs("3", "1", "2", "-70000")}, "intset",
		"0b18040000000400000090eefeff0100000002000000030000000a00a8b63c622cbf2c9c"},
	{"HSET hash f v n 12", &Object{Kind: KindHash, Hash: fields("f", "v", "n", "12")}, "listpack",
		"1012120000000400816602817602816e020c01ff0a0001369481d35b8974"},
	{"ZADD zset 1.5 a 2 b", &Object{Kind: KindZSet, ZSet: []Member{{[]byte("a"), 1.5}, {[]byte("b"), 2}}}, "listpack",
		"111414000000040081610283312e35048162020201ff0a00fa02b425af188763"},
	{"ZADD zskip 1 a 2.5 b (skiplist)", &Object{Kind: KindZSet, ZSet: []Member{{[]byte("b"), 2.5}, {[]byte("a"), 1}}}, "skiplist",
		"0502016200000000000004400161000000000000f03f0a00f46eb73919767291"},
	{"SET lzf <66 x a>", &Object{Kind: KindString, Str: bytes.Repeat([]byte("a"), 66)}, "raw",
		"00c3094042016161e035000161610a00fe0c2c642d65ee29"},
	{"SADD hset x", &Object{Kind: KindSet, Set: bs("x")}, "hashtable",
		"020101780a00ffe880ba760c2f09"},
}

func TestDumpGolden(t *testing.T) {
	for _, g := range goldenDumps {
		want, _ := hex.DecodeString(g.hex)
		got, err := Dump(g.obj, g.enc, DefaultDumpOptions())
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got  %x\n want %x", g.name, got, want)
		}
		back, err := Restore(want)
		if err != nil {
			t.Fatalf("%s: Restore: %v", g.name, err)
		}
		mustEqual(t, back, g.obj)
	}
}

func TestAppendLen(t *testing.T) {
	cases := []struct {
		n    uint64
		want string
	}{
		{0, "\x00"},
		{63, "\x3f"},
		{64, "\x40\x40"},
		{16383, "\x7f\xff"},
		{16384, "\x80\x00\x00\x40\x00"},
		{math.MaxUint32, "\x80\xff\xff\xff\xff"},
		{math.MaxUint32 + 1, "\x81\x00\x00\x00\x01\x00\x00\x00\x00"},
	}
	for _, c := range cases {
		got := AppendLen(nil, c.n)
		if string(got) != c.want {
			t.Errorf("AppendLen(%d) = %q, want %q", c.n, got, c.want)
		}
		d := NewDecoder(got)
		if n, err := d.ReadLen(); err != nil || n != c.n || d.Len() != 0 {
			t.Errorf("ReadLen(%q) = %d, %v", got, n, err)
		}
	}
}

func TestAppendString(t *testing.T) {
	cases := []struct {
		in       string
		compress bool
		want     string
	}{
		{"0", true, "\xc0\x00"},
		{"-128", true, "\xc0\x80"},
		{"127", true, "\xc0\x7f"},
		{"128", true, "\xc1\x80\x00"},
		{"-32768", true, "\xc1\x00\x80"},
		{"32768", true, "\xc2\x00\x80\x00\x00"},
		{"-2147483648", true, "\xc2\x00\x00\x00\x80"},
		{"2147483648", true, "\x0a2147483648"},
		{"-0", true, "\x02-0"},
		{"007", true, "\x03007"},
		{"", true, "\x00"},
		{"hello", true, "\x05hello"},
		{strings.Repeat("a", 20), true, "\x14" + strings.Repeat("a", 20)},
		{strings.Repeat("a", 21), false, "\x15" + strings.Repeat("a", 21)},
		{strings.Repeat("a", 21), true, "\xc3\x06\x15\x01aa\xe0\x0a\x00"}, // Redis 7.0.15
		{"abcdefghijklmnopqrstuvwxyz", true, "\x1aabcdefghijklmnopqrstuvwxyz"},
	}
	for _, c := range cases {
		got := AppendString([]byte("p"), []byte(c.in), c.compress)
		if string(got[1:]) != c.want || got[0] != 'p' {
			t.Errorf("AppendString(%q, %v) = %q, want %q", c.in, c.compress, got[1:], c.want)
		}
		d := NewDecoder(got[1:])
		if s, err := d.ReadString(); err != nil || string(s) != c.in || d.Len() != 0 {
			t.Errorf("ReadString(%q) = %q, %v", got[1:], s, err)
		}
	}
}

func TestObjectType(t *testing.T) {
	cases := []struct {
		kind Kind
		enc  string
		want byte
	}{
		{KindString, "int", TypeString},
		{KindString, "embstr", TypeString},
		{KindString, "raw", TypeString},
		{KindList, "quicklist", TypeListQuicklist2},
		{KindSet, "intset", TypeSetIntset},
		{KindSet, "hashtable", TypeSet},
		{KindZSet, "listpack", TypeZSetListpack},
		{KindZSet, "skiplist", TypeZSet2},
		{KindHash, "listpack", TypeHashListpack},
		{KindHash, "hashtable", TypeHash},
	}
	for _, c := range cases {
		got, err := ObjectType(&Object{Kind: c.kind}, c.enc)
		if err != nil || got != c.want {
			t.Errorf("ObjectType(%v, %s) = %d, %v", c.kind, c.enc, got, err)
		}
	}
	for _, c := range []struct {
		kind Kind
		enc  string
	}{{KindString, "listpack"}, {KindList, "listpack"}, {KindSet, "listpack"}, {KindHash, "ziplist"}, {KindZSet, ""}, {Kind(9), "raw"}} {
		if _, err := ObjectType(&Object{Kind: c.kind}, c.enc); !errors.Is(err, ErrInvalidObject) {
			t.Errorf("ObjectType(%v, %q) error %v", c.kind, c.enc, err)
		}
	}
}

func TestDumpInvalid(t *testing.T) {
	cases := []struct {
		name string
		obj  *Object
		enc  string
	}{
		{"empty list", &Object{Kind: KindList}, "quicklist"},
		{"empty set", &Object{Kind: KindSet}, "hashtable"},
		{"empty intset", &Object{Kind: KindSet}, "intset"},
		{"intset string", &Object{Kind: KindSet, Set: bs("1", "x")}, "intset"},
		{"intset non-canonical", &Object{Kind: KindSet, Set: bs("01")}, "intset"},
		{"intset duplicate", &Object{Kind: KindSet, Set: bs("1", "2", "1")}, "intset"},
		{"empty hash", &Object{Kind: KindHash}, "listpack"},
		{"empty hashtable", &Object{Kind: KindHash}, "hashtable"},
		{"empty zset", &Object{Kind: KindZSet}, "skiplist"},
		{"nan score", &Object{Kind: KindZSet, ZSet: []Member{{[]byte("a"), math.NaN()}}}, "listpack"},
		{"bad encoding", &Object{Kind: KindString}, "quicklist"},
	}
	for _, c := range cases {
		if _, err := Dump(c.obj, c.enc, DefaultDumpOptions()); !errors.Is(err, ErrInvalidObject) {
			t.Errorf("%s: error %v", c.name, err)
		}
	}
}

func TestDumpSortsZSets(t *testing.T) {
	sorted := []Member{{[]byte("a"), -1}, {[]byte("a2"), 1}, {[]byte("b2"), 1}, {[]byte("c"), math.Inf(1)}}
	shuffled := []Member{sorted[2], sorted[3], sorted[0], sorted[1]}
	for _, enc := range []string{"listpack", "skiplist"} {
		want, _ := Dump(&Object{Kind: KindZSet, ZSet: sorted}, enc, DefaultDumpOptions())
		got, _ := Dump(&Object{Kind: KindZSet, ZSet: shuffled}, enc, DefaultDumpOptions())
		if !bytes.Equal(got, want) {
			t.Errorf("%s: unsorted input dumps differently", enc)
		}
		if string(shuffled[0].Member) != "b2" {
			t.Fatal("Dump reordered its input")
		}
	}
}

// TestQuicklistSplit checks node boundaries against what Redis 7.0 forms
// (measured with redis-server: 1000 RPUSHes of a 10-byte value make nodes
// of 681 and 319 entries under the default -2).
func TestQuicklistSplit(t *testing.T) {
	ten := bytes.Repeat([]byte("a"), 10)
	list := make([][]byte, 1000)
	for i := range list {
		list[i] = ten
	}
	counts := func(opt DumpOptions, l [][]byte) []int {
		var out []int
		for _, n := range splitQuicklist(l, opt) {
			out = append(out, n.end-n.start)
		}
		return out
	}
	eq := func(a, b []int) bool {
		return len(a) == len(b) && string(hex.EncodeToString(intsBytes(a))) == hex.EncodeToString(intsBytes(b))
	}
	if got := counts(DefaultDumpOptions(), list); !eq(got, []int{681, 319}) {
		t.Errorf("fill -2: %v", got)
	}
	if got := counts(DumpOptions{ListMaxListpackSize: 400}, list); !eq(got, []int{400, 400, 200}) {
		t.Errorf("fill 400: %v", got)
	}
	if got := counts(DumpOptions{ListMaxListpackSize: 0}, list[:3]); !eq(got, []int{1, 1, 1}) {
		t.Errorf("fill 0: %v", got)
	}
	if got := counts(DumpOptions{ListMaxListpackSize: -100}, list); !eq(got, []int{1000}) {
		t.Errorf("fill -100 (clamped to -5): %v", got)
	}
	big := bytes.Repeat([]byte("b"), 100)
	mixed := [][]byte{ten, big, ten, ten, big}
	nodes := splitQuicklist(mixed, DumpOptions{ListMaxListpackSize: -2, PackedThreshold: 100})
	var plain []bool
	for _, n := range nodes {
		plain = append(plain, n.plain)
	}
	if len(nodes) != 4 || !plain[1] || !plain[3] || plain[0] || plain[2] {
		t.Errorf("plain nodes: %+v", nodes)
	}
}

func intsBytes(v []int) []byte {
	var b []byte
	for _, x := range v {
		b = AppendLen(b, uint64(x))
	}
	return b
}
