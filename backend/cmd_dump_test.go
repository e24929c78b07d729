package backend

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/backend/rdb"
	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// dumpBulk runs a command whose reply must be a bulk string and returns it.
func dumpBulk(t testing.TB, c *redistest.Conn, args ...string) string {
	t.Helper()
	raw := doCmd(t, c, args...)
	v, _, err := resp.ParseValue(raw)
	if err != nil || raw[0] != '$' {
		t.Fatalf("%.80q: want a bulk, got %.200q (%v)", args, raw, err)
	}
	return v.String()
}

// dumpElems decodes a flat array reply; sorted, when the order is a hash
// table's, as pairs for pair replies.
func dumpElems(t testing.TB, raw []byte, unordered, pairs bool) []string {
	t.Helper()
	v, _, err := resp.ParseValue(raw)
	if err != nil {
		t.Fatalf("%.200q: %v", raw, err)
	}
	if raw[0] != '*' {
		return []string{string(raw)}
	}
	var out []string
	for _, e := range v.Array() {
		out = append(out, e.String())
	}
	if unordered {
		if pairs {
			var ps []string
			for i := 0; i+1 < len(out); i += 2 {
				ps = append(ps, out[i]+"\x00"+out[i+1])
			}
			out = ps
		}
		slices.Sort(out)
	}
	return out
}

// dumpCase is a value built the same way on both servers.
type dumpCase struct {
	name  string
	setup [][]string // applied to key "k"
	// exact: DUMP gives Redis's bytes. Hash-table sets and hashes iterate
	// in hash order, and lists built from the head have another node
	// layout, so their payloads differ while holding the same value.
	exact bool
}

func dumpCases() []dumpCase {
	many := func(cmd string, n int, f func(i int) []string) []string {
		out := []string{cmd, "k"}
		for i := range n {
			out = append(out, f(i)...)
		}
		return out
	}
	return []dumpCase{
		{"int8", [][]string{{"SET", "k", "12"}}, true},
		{"int16", [][]string{{"SET", "k", "-3000"}}, true},
		{"int32", [][]string{{"SET", "k", "2000000000"}}, true},
		{"int64", [][]string{{"SET", "k", "-9223372036854775808"}}, true},
		{"embstr", [][]string{{"SET", "k", "hello world"}}, true},
		{"empty", [][]string{{"SET", "k", ""}}, true},
		{"raw", [][]string{{"SET", "k", strings.Repeat("q", 45)}}, true},
		{"lzf", [][]string{{"SET", "k", strings.Repeat("abc", 3000)}}, true},
		{"incompressible", [][]string{{"SET", "k", dumpNoise(300)}}, true},
		{"binary", [][]string{{"SET", "k", "\x00\x01\xff\r\n"}}, true},
		{"incrbyfloat", [][]string{{"SET", "k", "1.5"}, {"INCRBYFLOAT", "k", "1.5"}}, true},
		{"appended", [][]string{{"SET", "k", "12"}, {"APPEND", "k", "3"}}, true},
		{"list", [][]string{{"RPUSH", "k", "a", "b", "1", "-2", "", strings.Repeat("c", 70)}}, true},
		{"list large elements", [][]string{{"RPUSH", "k", strings.Repeat("x", 10000), "a", strings.Repeat("y", 9000), dumpNoise(9000)}}, true},
		{"list many", [][]string{many("RPUSH", 3000, func(i int) []string { return []string{"e" + strconv.Itoa(i)} })}, true},
		{"list pushed at the head", [][]string{many("LPUSH", 3000, func(i int) []string { return []string{"e" + strconv.Itoa(i)} })}, false},
		{"intset16", [][]string{{"SADD", "k", "5", "3", "-1", "100"}}, true},
		{"intset32", [][]string{{"SADD", "k", "5", "100000"}}, true},
		{"intset64", [][]string{{"SADD", "k", "5", "10000000000", "-10000000000"}}, true},
		{"intset large", [][]string{many("SADD", 500, func(i int) []string { return []string{strconv.Itoa(i * 7)} })}, true},
		{"set hashtable", [][]string{{"SADD", "k", "x", "y", "z", "1"}}, false},
		{"set hashtable many", [][]string{many("SADD", 700, func(i int) []string { return []string{strconv.Itoa(i)} })}, false},
		{"hash listpack", [][]string{{"HSET", "k", "a", "1", "b", "x", "c", "-5", "d", ""}}, true},
		{"hash hashtable long value", [][]string{{"HSET", "k", "a", strings.Repeat("v", 100)}}, true},
		{"hash hashtable many", [][]string{many("HSET", 200, func(i int) []string { return []string{"f" + strconv.Itoa(i), "v" + strconv.Itoa(i)} })}, false},
		{"zset listpack", [][]string{{"ZADD", "k", "1", "a", "2.5", "b", "-3", "c", "1e100", "d", "0", "e", "inf", "f", "-inf", "g", "1", "aa"}}, true},
		{"zset skiplist long member", [][]string{{"ZADD", "k", "1", strings.Repeat("m", 100), "2", "b", "-0.25", "c"}}, true},
		{"zset skiplist many", [][]string{many("ZADD", 200, func(i int) []string {
			return []string{strconv.FormatFloat(float64(i)*0.5, 'g', -1, 64), "m" + strconv.Itoa(i)}
		})}, true},
	}
}

// dumpNoise is text LZF cannot shrink, the same on every run.
func dumpNoise(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = 'a' + byte(x%26)
	}
	return string(b)
}

// dumpReads are the commands that show a value of type typ, and whether
// their order is a hash table's.
func dumpReads(typ string) (cmds [][]string, unordered, pairs bool) {
	switch typ {
	case "string":
		return [][]string{{"GET"}, {"STRLEN"}}, false, false
	case "list":
		return [][]string{{"LRANGE", "0", "-1"}}, false, false
	case "set":
		return [][]string{{"SMEMBERS"}}, true, false
	case "hash":
		return [][]string{{"HGETALL"}}, true, true
	case "zset":
		return [][]string{{"ZRANGE", "0", "-1", "WITHSCORES"}}, false, false
	}
	return nil, false, false
}

// TestDumpRestoreDifferential moves every type and encoding both ways
// between a real redis-server and a keyslot node: DUMP in one, RESTORE in
// the other, and the values and encodings must match; DUMP's bytes must be
// Redis's wherever Redis's layout follows from the value.
func TestDumpRestoreDifferential(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	for _, tc := range dumpCases() {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []*redistest.Conn{ref, ks} {
				doCmd(t, c, "FLUSHALL")
				for _, cmd := range tc.setup {
					if r := doCmd(t, c, cmd...); r[0] == '-' {
						t.Fatalf("%.80q: %q", cmd, r)
					}
				}
			}
			refEnc, ksEnc := dumpBulk(t, ref, "OBJECT", "ENCODING", "k"), dumpBulk(t, ks, "OBJECT", "ENCODING", "k")
			if refEnc != ksEnc {
				t.Fatalf("encoding before DUMP: redis %s, keyslot %s", refEnc, ksEnc)
			}
			p1 := dumpBulk(t, ref, "DUMP", "k")
			p2 := dumpBulk(t, ks, "DUMP", "k")
			if tc.exact && p1 != p2 {
				t.Errorf("DUMP differs:\nredis   %.300q\nkeyslot %.300q", p1, p2)
			}
			if r := doCmd(t, ks, "RESTORE", "k2", "0", p1); string(r) != "+OK\r\n" {
				t.Fatalf("RESTORE of Redis's payload in keyslot: %q", r)
			}
			if r := doCmd(t, ref, "RESTORE", "k2", "0", p2); string(r) != "+OK\r\n" {
				t.Fatalf("RESTORE of keyslot's payload in Redis: %q", r)
			}
			if a, b := dumpBulk(t, ref, "OBJECT", "ENCODING", "k2"), dumpBulk(t, ks, "OBJECT", "ENCODING", "k2"); a != b {
				t.Errorf("encoding after RESTORE: redis %s, keyslot %s", a, b)
			}
			typ := strings.TrimSpace(strings.TrimPrefix(string(doCmd(t, ref, "TYPE", "k")), "+"))
			reads, unordered, pairs := dumpReads(typ)
			for _, rd := range reads {
				want := dumpElems(t, doCmd(t, ref, append([]string{rd[0], "k"}, rd[1:]...)...), unordered, pairs)
				for _, side := range []struct {
					name string
					c    *redistest.Conn
				}{{"keyslot", ks}, {"redis", ref}} {
					got := dumpElems(t, doCmd(t, side.c, append([]string{rd[0], "k2"}, rd[1:]...)...), unordered, pairs)
					if !slices.Equal(got, want) {
						t.Errorf("%s %s after RESTORE in %s: %d elements, want %d\n got %.300q\nwant %.300q",
							rd[0], typ, side.name, len(got), len(want), got, want)
					}
				}
			}
		})
	}
}

// TestRestoreEncodingLimits checks the encoding a payload gets under
// lowered limits: compact payloads convert only on entry count, hash-table
// and skiplist payloads are re-encoded from scratch.
func TestRestoreEncodingLimits(t *testing.T) {
	ref := dialNode(t, redistest.Start(t, redistest.Options{}).Addr)
	ks := dialNode(t, startNode(t).Addr().String())
	cases := []struct {
		name   string
		source [][]string // CONFIG SET on the recorder, then the value at "src"
		limits [][]string // CONFIG SET before RESTORE
	}{
		{"hash listpack, too many", [][]string{{"HSET", "src", "a", "1", "b", "2", "c", "3"}}, [][]string{{"hash-max-listpack-entries", "2"}}},
		{"hash listpack, long value kept", [][]string{{"HSET", "src", "a", strings.Repeat("x", 30)}}, [][]string{{"hash-max-listpack-value", "10"}}},
		{"hash hashtable, small", [][]string{{"CONFIG", "SET", "hash-max-listpack-entries", "0"}, {"HSET", "src", "a", "1", "b", "2"}}, nil},
		{"hash hashtable, long value", [][]string{{"CONFIG", "SET", "hash-max-listpack-entries", "0"}, {"HSET", "src", "a", strings.Repeat("x", 100)}}, nil},
		{"zset listpack, too many", [][]string{{"ZADD", "src", "1", "a", "2", "b", "3", "c"}}, [][]string{{"zset-max-listpack-entries", "2"}}},
		{"zset listpack, long member kept", [][]string{{"ZADD", "src", "1", strings.Repeat("y", 30)}}, [][]string{{"zset-max-listpack-value", "10"}}},
		{"zset skiplist, small", [][]string{{"CONFIG", "SET", "zset-max-listpack-entries", "0"}, {"ZADD", "src", "2", "b", "1", "a", "-0", "z"}}, nil},
		{"zset skiplist, long member", [][]string{{"CONFIG", "SET", "zset-max-listpack-entries", "0"}, {"ZADD", "src", "1", strings.Repeat("m", 100)}}, nil},
		{"intset, too many", [][]string{{"SADD", "src", "1", "2", "3"}}, [][]string{{"set-max-intset-entries", "2"}}},
		{"set hashtable of integers", [][]string{{"CONFIG", "SET", "set-max-intset-entries", "0"}, {"SADD", "src", "30", "10", "20"}}, nil},
		{"set hashtable, mixed", [][]string{{"CONFIG", "SET", "set-max-intset-entries", "0"}, {"SADD", "src", "30", "x"}}, nil},
		{"set hashtable of integers, over the limit", [][]string{{"CONFIG", "SET", "set-max-intset-entries", "0"}, {"SADD", "src", "30", "10", "20"}}, [][]string{{"set-max-intset-entries", "2"}}},
	}
	defaults := [][]string{
		{"hash-max-listpack-entries", "128"}, {"hash-max-listpack-value", "64"},
		{"zset-max-listpack-entries", "128"}, {"zset-max-listpack-value", "64"},
		{"set-max-intset-entries", "512"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []*redistest.Conn{ref, ks} {
				doCmd(t, c, "FLUSHALL")
				for _, d := range defaults {
					doCmd(t, c, "CONFIG", "SET", d[0], d[1])
				}
			}
			for _, cmd := range tc.source {
				doCmd(t, ref, cmd...)
			}
			payload := dumpBulk(t, ref, "DUMP", "src")
			for _, d := range defaults {
				doCmd(t, ref, "CONFIG", "SET", d[0], d[1])
			}
			for _, c := range []*redistest.Conn{ref, ks} {
				for _, l := range tc.limits {
					doCmd(t, c, "CONFIG", "SET", l[0], l[1])
				}
				if r := doCmd(t, c, "RESTORE", "k", "0", payload); string(r) != "+OK\r\n" {
					t.Fatalf("RESTORE: %q", r)
				}
			}
			want, got := dumpBulk(t, ref, "OBJECT", "ENCODING", "k"), dumpBulk(t, ks, "OBJECT", "ENCODING", "k")
			if got != want {
				t.Errorf("encoding after RESTORE: %s, Redis says %s", got, want)
			}
			typ := strings.TrimSpace(strings.TrimPrefix(string(doCmd(t, ref, "TYPE", "k")), "+"))
			reads, unordered, pairs := dumpReads(typ)
			for _, rd := range reads {
				args := append([]string{rd[0], "k"}, rd[1:]...)
				// A listpack's order is insertion order: compare it exactly.
				un := unordered && want != "listpack" && want != "intset"
				if w, g := dumpElems(t, doCmd(t, ref, args...), un, pairs), dumpElems(t, doCmd(t, ks, args...), un, pairs); !slices.Equal(g, w) {
					t.Errorf("%s: %q, Redis says %q", rd[0], g, w)
				}
			}
		})
	}
}

// TestRestoreAccessTime checks IDLETIME against idle times Redis 7.0.15
// reported with its LRU clock at 524714, overflowing products included.
func TestRestoreAccessTime(t *testing.T) {
	x := &Ctx{s: &Server{}}
	const clock = 524714
	for _, tc := range []struct {
		idle, want int64
	}{
		{10, 10},
		{1000000, 1000000},
		{16777214, 16777214},
		{16777215, 0},
		{16777216, 1},
		{20000000, 3222784},
		{100000000000, 7792640},
		{1000000000000000000, 8164212},
		{math.MaxInt64, 16777214},
	} {
		var it item
		setAccess(x, &it, restoreArgs{idle: tc.idle, freq: -1, clock: clock})
		if got := int64(lruIdle(clock, it.lru)); got != tc.want {
			t.Errorf("IDLETIME %d: idle %d, want %d", tc.idle, got, tc.want)
		}
	}
	// Neither option: the access time is left alone.
	it := item{lru: 77}
	setAccess(x, &it, restoreArgs{idle: -1, freq: -1})
	if it.lru != 77 {
		t.Errorf("lru changed to %d without IDLETIME", it.lru)
	}
	// FREQ is ignored outside an LFU policy.
	setAccess(x, &it, restoreArgs{idle: -1, freq: 9})
	if it.lru != 77 {
		t.Errorf("lru changed to %d by FREQ under noeviction", it.lru)
	}
}

// TestRestoreFreq sets an LFU policy and checks the counter FREQ leaves,
// and that IDLETIME then changes nothing.
func TestRestoreFreq(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	doCmd(t, c, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
	payload := string(rdb.AppendFooter([]byte("\x00\x01v")))
	for _, cmd := range [][]string{
		{"RESTORE", "f", "0", payload, "FREQ", "200"},
		{"RESTORE", "i", "0", payload, "IDLETIME", "100"},
	} {
		if r := doCmd(t, c, cmd...); string(r) != "+OK\r\n" {
			t.Fatalf("%q: %q", cmd, r)
		}
	}
	counter := func(key string) uint32 {
		s.ks.mu.Lock()
		defer s.ks.mu.Unlock()
		e := s.ks.dbs[0].find([]byte(key))
		if e == nil {
			t.Fatalf("%s missing", key)
		}
		return e.Value.lru & 0xff
	}
	if got := counter("f"); got != 200 {
		t.Errorf("FREQ 200: counter %d", got)
	}
	if got := counter("i"); got != lfuInitVal {
		t.Errorf("IDLETIME under LFU: counter %d, want the new-key value %d", got, lfuInitVal)
	}
}

// TestRestoreBlockedClients checks that RESTORE of a list or a sorted set
// serves a client blocked on the key.
func TestRestoreBlockedClients(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	list := string(rdb.AppendFooter(mustAppendObject(t, &rdb.Object{Kind: rdb.KindList, List: [][]byte{[]byte("a"), []byte("b")}}, "quicklist")))
	zs := string(rdb.AppendFooter(mustAppendObject(t, &rdb.Object{Kind: rdb.KindZSet, ZSet: []rdb.Member{{Member: []byte("m"), Score: 1}}}, "listpack")))
	for _, tc := range []struct {
		block   []string
		payload string
		want    string
	}{
		{[]string{"BLPOP", "bl", "0"}, list, "*2\r\n$2\r\nbl\r\n$1\r\na\r\n"},
		{[]string{"BZPOPMIN", "bz", "0"}, zs, "*3\r\n$2\r\nbz\r\n$1\r\nm\r\n$1\r\n1\r\n"},
	} {
		b := dialNode(t, s.Addr().String())
		if err := b.Send(tc.block...); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		if r := doCmd(t, c, "RESTORE", tc.block[1], "0", tc.payload); string(r) != "+OK\r\n" {
			t.Fatalf("RESTORE: %q", r)
		}
		r, err := b.Receive()
		if err != nil || string(r) != tc.want {
			t.Errorf("%s: %q (%v), want %q", tc.block[0], r, err, tc.want)
		}
	}
}

func mustAppendObject(t testing.TB, o *rdb.Object, enc string) []byte {
	t.Helper()
	typ, err := rdb.ObjectType(o, enc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rdb.AppendObject([]byte{typ}, o, enc, rdb.DefaultDumpOptions())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRestoredValueRoundTrip builds values from objects in every payload
// type and checks that objectOf gives the same elements back.
func TestRestoredValueRoundTrip(t *testing.T) {
	x := &Ctx{s: &Server{}}
	bs := func(ss ...string) [][]byte {
		out := make([][]byte, len(ss))
		for i, s := range ss {
			out[i] = []byte(s)
		}
		return out
	}
	cases := []struct {
		typ     byte
		o       rdb.Object
		wantEnc string
	}{
		{rdb.TypeString, rdb.Object{Kind: rdb.KindString, Str: []byte("123")}, "int"},
		{rdb.TypeString, rdb.Object{Kind: rdb.KindString, Str: []byte("abc")}, "embstr"},
		{rdb.TypeListQuicklist2, rdb.Object{Kind: rdb.KindList, List: bs("a", "", "c")}, "quicklist"},
		{rdb.TypeSetIntset, rdb.Object{Kind: rdb.KindSet, Set: bs("-5", "1", "7")}, "intset"},
		{rdb.TypeSet, rdb.Object{Kind: rdb.KindSet, Set: bs("7", "1", "-5")}, "intset"},
		{rdb.TypeSet, rdb.Object{Kind: rdb.KindSet, Set: bs("7", "x")}, "hashtable"},
		{rdb.TypeHashListpack, rdb.Object{Kind: rdb.KindHash, Hash: []rdb.Field{{Name: []byte("f"), Value: bytes.Repeat([]byte("v"), 100)}}}, "listpack"},
		{rdb.TypeHashZipmap, rdb.Object{Kind: rdb.KindHash, Hash: []rdb.Field{{Name: []byte("f"), Value: bytes.Repeat([]byte("v"), 100)}}}, "hashtable"},
		{rdb.TypeHash, rdb.Object{Kind: rdb.KindHash, Hash: []rdb.Field{{Name: []byte("f"), Value: []byte("v")}, {Name: []byte("g"), Value: []byte("w")}}}, "listpack"},
		{rdb.TypeHash, rdb.Object{Kind: rdb.KindHash, Hash: []rdb.Field{{Name: []byte("f"), Value: bytes.Repeat([]byte("v"), 100)}}}, "hashtable"},
		{rdb.TypeZSetListpack, rdb.Object{Kind: rdb.KindZSet, ZSet: []rdb.Member{{Member: bytes.Repeat([]byte("m"), 100), Score: 1}}}, "listpack"},
		{rdb.TypeZSet2, rdb.Object{Kind: rdb.KindZSet, ZSet: []rdb.Member{{Member: []byte("b"), Score: 2}, {Member: []byte("a"), Score: 1}}}, "listpack"},
		{rdb.TypeZSet2, rdb.Object{Kind: rdb.KindZSet, ZSet: []rdb.Member{{Member: bytes.Repeat([]byte("m"), 100), Score: 1}}}, "skiplist"},
	}
	for _, tc := range cases {
		v := restoredValue(x, tc.typ, &tc.o)
		it := item{val: v}
		if got := v.encoding(&it); got != tc.wantEnc {
			t.Errorf("type %d %s: encoding %s, want %s", tc.typ, tc.o.Kind, got, tc.wantEnc)
		}
		back, err := objectOf(v)
		if err != nil {
			t.Fatal(err)
		}
		if !dumpSameObject(&tc.o, back) {
			t.Errorf("type %d %s: round trip gave %+v, want %+v", tc.typ, tc.o.Kind, back, tc.o)
		}
	}
}

// dumpSameObject compares two objects as values: lists in order, the
// other collections as sets.
func dumpSameObject(a, b *rdb.Object) bool {
	if a.Kind != b.Kind {
		return false
	}
	key := func(ss ...[]byte) string { return string(bytes.Join(ss, []byte{0})) }
	var x, y []string
	switch a.Kind {
	case rdb.KindString:
		return bytes.Equal(a.Str, b.Str)
	case rdb.KindList:
		return slices.EqualFunc(a.List, b.List, bytes.Equal)
	case rdb.KindSet:
		for _, m := range a.Set {
			x = append(x, string(m))
		}
		for _, m := range b.Set {
			y = append(y, string(m))
		}
	case rdb.KindHash:
		for _, f := range a.Hash {
			x = append(x, key(f.Name, f.Value))
		}
		for _, f := range b.Hash {
			y = append(y, key(f.Name, f.Value))
		}
	case rdb.KindZSet:
		// A listpack keeps -0 as 0, so compare scores by value.
		for _, m := range a.ZSet {
			x = append(x, key(m.Member, []byte(fmt.Sprint(m.Score+0))))
		}
		for _, m := range b.ZSet {
			y = append(y, key(m.Member, []byte(fmt.Sprint(m.Score+0))))
		}
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// FuzzRestore feeds arbitrary payloads through RESTORE's path: whatever
// rdb accepts must become a value that dumps and loads back to the same
// elements, and nothing may panic.
func FuzzRestore(f *testing.F) {
	for _, o := range []struct {
		o   rdb.Object
		enc string
	}{
		{rdb.Object{Kind: rdb.KindString, Str: []byte("hello")}, "embstr"},
		{rdb.Object{Kind: rdb.KindList, List: [][]byte{[]byte("a"), []byte("12")}}, "quicklist"},
		{rdb.Object{Kind: rdb.KindSet, Set: [][]byte{[]byte("1"), []byte("2")}}, "intset"},
		{rdb.Object{Kind: rdb.KindSet, Set: [][]byte{[]byte("a"), []byte("2")}}, "hashtable"},
		{rdb.Object{Kind: rdb.KindHash, Hash: []rdb.Field{{Name: []byte("f"), Value: []byte("v")}}}, "listpack"},
		{rdb.Object{Kind: rdb.KindHash, Hash: []rdb.Field{{Name: []byte("f"), Value: []byte("v")}}}, "hashtable"},
		{rdb.Object{Kind: rdb.KindZSet, ZSet: []rdb.Member{{Member: []byte("m"), Score: 1.5}}}, "listpack"},
		{rdb.Object{Kind: rdb.KindZSet, ZSet: []rdb.Member{{Member: []byte("m"), Score: -0.0}}}, "skiplist"},
	} {
		p, err := rdb.Dump(&o.o, o.enc, rdb.DefaultDumpOptions())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	x := &Ctx{s: &Server{}}
	f.Fuzz(func(t *testing.T, payload []byte) {
		o, err := rdb.Restore(payload)
		if err != nil {
			return
		}
		v := restoredValue(x, payload[0], o)
		it := item{val: v}
		p2, err := dumpItem(&it, rdb.DefaultDumpOptions())
		if err != nil {
			t.Fatalf("DUMP of a restored %s: %v", o.Kind, err)
		}
		o2, err := rdb.Restore(p2)
		if err != nil {
			t.Fatalf("our own payload does not load: %v", err)
		}
		if !dumpSameObject(o, o2) {
			t.Fatalf("round trip changed the value:\n%+v\n%+v", o, o2)
		}
	})
}

func BenchmarkDumpHash(b *testing.B) {
	x := &Ctx{s: &Server{}}
	h := &hashValue{}
	for i := range 100 {
		h.set([]byte("field"+strconv.Itoa(i)), []byte("value"+strconv.Itoa(i)), x.hsLimits())
	}
	it := item{val: h}
	opt := rdb.DefaultDumpOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dumpItem(&it, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRestoreZSet(b *testing.B) {
	x := &Ctx{s: &Server{}}
	o := &rdb.Object{Kind: rdb.KindZSet}
	for i := range 100 {
		o.ZSet = append(o.ZSet, rdb.Member{Member: []byte("member" + strconv.Itoa(i)), Score: float64(i)})
	}
	p, err := rdb.Dump(o, "listpack", rdb.DefaultDumpOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		o, err := rdb.Restore(p)
		if err != nil {
			b.Fatal(err)
		}
		_ = restoredValue(x, p[0], o)
	}
}
