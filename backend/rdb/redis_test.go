package rdb

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyslot/keyslot/internal/redistest"
)

// These tests compare this package with a real redis-server 7.0: values
// built with commands are DUMPed by Redis and restored here, dumped here
// and compared byte for byte where Redis is deterministic, and RESTOREd
// into Redis and read back.

// parseReply parses one RESP2 reply of the kinds these tests use: simple
// strings and errors, integers, bulk strings, and arrays of bulk strings.
// Simple replies come back as their text with the type byte, bulks as
// their content, arrays as elements.
func parseReply(b []byte) (string, []string, error) {
	line, rest, ok := bytes.Cut(b, []byte("\r\n"))
	if !ok || len(line) == 0 {
		return "", nil, fmt.Errorf("malformed reply %q", b)
	}
	switch line[0] {
	case '+', '-', ':':
		return string(line), nil, nil // the type byte marks them apart from bulks
	case '$':
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil || n < 0 || len(rest) < n {
			return "", nil, fmt.Errorf("bad bulk %q", line)
		}
		return string(rest[:n]), nil, nil
	case '*':
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil || n < 0 {
			return "", nil, fmt.Errorf("bad array %q", line)
		}
		out := make([]string, 0, n)
		for range n {
			hdr, r2, ok := bytes.Cut(rest, []byte("\r\n"))
			if !ok || len(hdr) == 0 || hdr[0] != '$' {
				return "", nil, fmt.Errorf("bad array element %q", hdr)
			}
			m, err := strconv.Atoi(string(hdr[1:]))
			if err != nil || m < 0 || len(r2) < m+2 {
				return "", nil, fmt.Errorf("bad array element %q", hdr)
			}
			out = append(out, string(r2[:m]))
			rest = r2[m+2:]
		}
		return "", out, nil
	}
	return "", nil, fmt.Errorf("unexpected reply %q", b)
}

type server struct {
	t   *testing.T
	srv *redistest.Server
}

func startRedis(t *testing.T, args ...string) *server {
	t.Helper()
	return &server{t: t, srv: redistest.Start(t, redistest.Options{Args: args})}
}

func (s *server) do(args ...string) string {
	s.t.Helper()
	raw := s.srv.Do(s.t, args...)
	v, _, err := parseReply(raw)
	if err != nil {
		s.t.Fatalf("%v: %v", args, err)
	}
	if raw[0] == '-' {
		s.t.Fatalf("%v: %s", args, v)
	}
	return v
}

func (s *server) array(args ...string) []string {
	s.t.Helper()
	_, a, err := parseReply(s.srv.Do(s.t, args...))
	if err != nil {
		s.t.Fatalf("%v: %v", args, err)
	}
	return a
}

// push sends a variadic command in batches, so that huge values can be
// built without huge commands.
func (s *server) push(cmd, key string, args []string, step int) {
	s.t.Helper()
	for i := 0; i < len(args); i += step {
		s.do(append([]string{cmd, key}, args[i:min(i+step, len(args))]...)...)
	}
}

// read returns the value of key as Redis reports it through commands:
// lists head to tail, hashes in HGETALL order, sorted sets by score, sets
// in SMEMBERS order.
func (s *server) read(key string) *Object {
	s.t.Helper()
	switch typ := s.do("TYPE", key); typ {
	case "+string":
		return &Object{Kind: KindString, Str: []byte(s.do("GET", key))}
	case "+list":
		return &Object{Kind: KindList, List: bs(s.array("LRANGE", key, "0", "-1")...)}
	case "+set":
		return &Object{Kind: KindSet, Set: bs(s.array("SMEMBERS", key)...)}
	case "+hash":
		return &Object{Kind: KindHash, Hash: fields(s.array("HGETALL", key)...)}
	case "+zset":
		a := s.array("ZRANGE", key, "0", "-1", "WITHSCORES")
		o := &Object{Kind: KindZSet}
		for i := 0; i+1 < len(a); i += 2 {
			f, err := strconv.ParseFloat(a[i+1], 64)
			if err != nil {
				s.t.Fatalf("score %q: %v", a[i+1], err)
			}
			o.ZSet = append(o.ZSet, Member{Member: []byte(a[i]), Score: f})
		}
		return o
	default:
		s.t.Fatalf("TYPE %s: %s", key, typ)
		return nil
	}
}

// deterministic reports whether Redis's DUMP of a value in this encoding
// depends only on the value (not on a hash table's iteration order).
func deterministic(enc string) bool { return enc != "hashtable" }

// check runs the whole comparison for one key built in Redis.
func (s *server) check(key string, opt DumpOptions) {
	s.t.Helper()
	enc := s.do("OBJECT", "ENCODING", key)
	redisPayload := []byte(s.do("DUMP", key))
	want := s.read(key)

	got, err := Restore(redisPayload)
	if err != nil {
		s.t.Fatalf("%s (%s): Restore of Redis's DUMP: %v", key, enc, err)
	}
	if err := equalObjects(got, want); err != nil {
		s.t.Fatalf("%s (%s): Restore of Redis's DUMP: %v", key, enc, err)
	}

	// Dump from the order Redis keeps the value in; Restore gives the
	// listpack orders, and for an intset SMEMBERS is ascending already.
	src := got
	if want.Kind == KindZSet {
		src = want
	}
	ours, err := Dump(src, enc, opt)
	if err != nil {
		s.t.Fatalf("%s (%s): Dump: %v", key, enc, err)
	}
	if deterministic(enc) && !bytes.Equal(ours, redisPayload) {
		s.t.Errorf("%s (%s): Dump differs from Redis's DUMP\n ours  %d bytes %q\n redis %d bytes %q",
			key, enc, len(ours), trunc(ours), len(redisPayload), trunc(redisPayload))
		s.t.Logf("first difference at byte %d", firstDiff(ours, redisPayload))
	}

	s.do("RESTORE", key+":ours", "0", string(ours), "REPLACE")
	if err := equalObjects(s.read(key+":ours"), want); err != nil {
		s.t.Fatalf("%s (%s): RESTORE of our Dump into Redis: %v", key, enc, err)
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestRedisStrings(t *testing.T) {
	s := startRedis(t)
	r := rand.New(rand.NewPCG(3, 4))
	random := make([]byte, 1000)
	for i := range random {
		random[i] = byte(r.IntN(256))
	}
	values := []string{
		"12345", "-1", "0", "-0", "007", "+1", " 1", "127", "128", "-128", "-129",
		"32767", "32768", "-32768", "-32769", "2147483647", "2147483648",
		"-2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "12345678901", "", "hello",
		strings.Repeat("a", 20), strings.Repeat("a", 21), strings.Repeat("a", 100),
		strings.Repeat("abc", 7), strings.Repeat("abcd", 6) + "x",
		string(random), strings.Repeat("hello world ", 1000),
		strings.Repeat("0123456789", 3), "1.5", "1e10",
	}
	for _, compress := range []bool{true, false} {
		s.do("CONFIG", "SET", "rdbcompression", map[bool]string{true: "yes", false: "no"}[compress])
		for i, v := range values {
			key := fmt.Sprintf("s:%v:%d", compress, i)
			s.do("SET", key, v)
			s.check(key, DumpOptions{Compress: compress, ListMaxListpackSize: -2})
		}
	}
	// Compressible strings of many shapes, to compare LZF output.
	for i := range 300 {
		n := 21 + r.IntN(3000)
		b := make([]byte, n)
		alphabet := 1 + r.IntN(20)
		for j := range b {
			if j > 10 && r.IntN(4) == 0 {
				b[j] = b[j-1-r.IntN(10)]
			} else {
				b[j] = byte('a' + r.IntN(alphabet))
			}
		}
		key := fmt.Sprintf("lzf:%d", i)
		s.do("SET", key, string(b))
		s.check(key, DumpOptions{Compress: false, ListMaxListpackSize: -2})
	}
}

func TestRedisLists(t *testing.T) {
	s := startRedis(t, "--enable-debug-command", "yes")
	r := rand.New(rand.NewPCG(5, 6))
	elems := func(n int, gen func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = gen(i)
		}
		return out
	}
	mixed := func(i int) string { return string(randElem(r)) }
	cases := []struct {
		name  string
		fill  int
		elems []string
	}{
		{"small", -2, []string{"a", "b", "1", "2", "300", "-5", "100000", "", "-0", "007"}},
		{"ints", -2, elems(300, func(i int) string { return strconv.Itoa(i*i*i - 5000) })},
		{"tenbytes", -2, elems(1000, func(int) string { return "aaaaaaaaaa" })},
		{"mixed", -2, elems(2000, mixed)},
		{"fill4", 4, elems(10, func(i int) string { return "e" + strconv.Itoa(i) })},
		{"fill1", 1, elems(5, func(i int) string { return strconv.Itoa(i) })},
		{"fill0", 0, elems(5, func(i int) string { return strconv.Itoa(i) })},
		{"fill100big", 100, elems(300, func(i int) string { return strings.Repeat("x", i*10) })},
		{"fill-1", -1, elems(3000, mixed)},
		{"fill-3", -3, elems(3000, mixed)},
		{"fill-4", -4, elems(3000, mixed)},
		{"fill-5", -5, elems(3000, mixed)},
		{"fill-6", -6, elems(3000, mixed)},
		{"large", -2, elems(40, func(i int) string { return strings.Repeat(strconv.Itoa(i%10), 1000*i) })},
		{"huge", -2, elems(100000, func(i int) string { return strconv.Itoa(i) + "-item" })},
	}
	for _, c := range cases {
		s.do("CONFIG", "SET", "list-max-listpack-size", strconv.Itoa(c.fill))
		key := "l:" + c.name
		s.push("RPUSH", key, c.elems, 1000)
		s.check(key, DumpOptions{Compress: true, ListMaxListpackSize: c.fill})
	}
	s.do("CONFIG", "SET", "list-max-listpack-size", "-2")

	// Plain nodes: elements at or above the packed threshold.
	s.do("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100")
	s.push("RPUSH", "l:plain", elems(50, func(i int) string {
		return strings.Repeat(string(rune('a'+i%26)), 90+i%20)
	}), 7)
	s.check("l:plain", DumpOptions{Compress: true, ListMaxListpackSize: -2, PackedThreshold: 100})
	s.push("RPUSH", "l:plain2", []string{strings.Repeat("1", 100), "x", "12345678901234567890" + strings.Repeat("9", 90)}, 1)
	s.check("l:plain2", DumpOptions{Compress: true, ListMaxListpackSize: -2, PackedThreshold: 100})
	s.do("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")
}

func TestRedisSets(t *testing.T) {
	s := startRedis(t)
	ints := func(vals ...int64) []string {
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = strconv.FormatInt(v, 10)
		}
		return out
	}
	cases := map[string][]string{
		"int16":   ints(5, -3, 1000, -32768, 32767, 0),
		"int32":   ints(5, 100000, -3),
		"int64":   ints(1e12, -9223372036854775808, 9223372036854775807, 1),
		"strings": {"a", "b", "c", "", "007"},
		"mixed":   {"1", "2", "x"},
	}
	for name, members := range cases {
		s.push("SADD", "set:"+name, members, 100)
		s.check("set:"+name, DefaultDumpOptions())
	}
	var many []string
	for i := range 600 {
		many = append(many, strconv.Itoa(i*7919-100000))
	}
	s.push("SADD", "set:many", many, 100) // more than 512: hashtable
	s.check("set:many", DefaultDumpOptions())
	s.do("CONFIG", "SET", "set-max-intset-entries", "10000")
	s.push("SADD", "set:manyints", many, 100)
	s.check("set:manyints", DefaultDumpOptions())
	s.do("CONFIG", "SET", "set-max-intset-entries", "4")
	s.push("SADD", "set:toomany", ints(1, 2, 3, 4, 5, 6), 100)
	s.check("set:toomany", DefaultDumpOptions())
}

func TestRedisHashes(t *testing.T) {
	s := startRedis(t)
	s.do("CONFIG", "SET", "hash-max-listpack-value", "100000")
	kv := []string{
		"f7", "127", "f13", "-4096", "f13b", "4095", "f16", "32767", "f16n", "-32768",
		"f24", "8388607", "f24n", "-8388608", "f32", "2147483647", "f32n", "-2147483648",
		"f64", "9223372036854775807", "f64n", "-9223372036854775808", "big", "9223372036854775808",
		"s63", strings.Repeat("x", 63), "s64", strings.Repeat("y", 64),
		"s4095", strings.Repeat("z", 4095), "s4096", strings.Repeat("w", 4096),
		"s16383", strings.Repeat("v", 16380), "empty", "", "128", "1",
		"neg0", "-0", "lead0", "01",
	}
	s.do(append([]string{"HSET", "h:small"}, kv...)...)
	s.check("h:small", DefaultDumpOptions())
	s.do("CONFIG", "SET", "rdbcompression", "no")
	s.do(append([]string{"HSET", "h:plain"}, kv...)...)
	s.check("h:plain", DumpOptions{ListMaxListpackSize: -2})
	s.do("CONFIG", "SET", "rdbcompression", "yes")

	s.do("CONFIG", "SET", "hash-max-listpack-entries", "4")
	s.do(append([]string{"HSET", "h:table"}, kv...)...)
	s.check("h:table", DefaultDumpOptions())
	s.do("CONFIG", "SET", "hash-max-listpack-entries", "2000")
	var many []string
	for i := range 1000 {
		many = append(many, "field:"+strconv.Itoa(i), strconv.Itoa(i*31))
	}
	s.push("HSET", "h:many", many, 200)
	s.check("h:many", DefaultDumpOptions())
}

func TestRedisZSets(t *testing.T) {
	s := startRedis(t)
	scores := []string{
		"1.5", "0.1", "1e20", "-0.0", "3", "4503599627370496", "1e15", "4503599627370495",
		"-4503599627370494", "1e-5", "123456789.125", "inf", "-inf", "4611686018427387904",
		"-4611686018427387904", "4611686018427388928", "-4611686018427388928", "1e18",
		"0.5e-300", "1.7976931348623157e308", "123.456", "100", "-100", "5000", "-70000",
		"10000000", "-3000000000", "0", "2.5", "-2.5",
	}
	var args []string
	for i, sc := range scores {
		args = append(args, sc, "m"+strconv.Itoa(i))
	}
	args = append(args, "1", "same", "1", "samf", "1", "10", "1", "9")
	s.do(append([]string{"ZADD", "z:small"}, args...)...)
	s.check("z:small", DefaultDumpOptions())
	s.do("CONFIG", "SET", "zset-max-listpack-entries", "4")
	s.do(append([]string{"ZADD", "z:skip"}, args...)...)
	s.check("z:skip", DefaultDumpOptions())
	s.do("CONFIG", "SET", "zset-max-listpack-entries", "128")
	s.do("ZADD", "z:long", "1", strings.Repeat("m", 100), "2", "short")
	s.check("z:long", DefaultDumpOptions())
	r := rand.New(rand.NewPCG(7, 8))
	var many []string
	for i := range 1000 {
		sc := randScore(r)
		if math.IsInf(sc, 0) {
			sc = 1
		}
		many = append(many, strconv.FormatFloat(sc, 'g', -1, 64), "member:"+strconv.Itoa(i))
	}
	s.push("ZADD", "z:many", many, 200)
	s.check("z:many", DefaultDumpOptions())
}

// TestRedisRandom builds random values in Redis and checks them all.
func TestRedisRandom(t *testing.T) {
	s := startRedis(t)
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 150 {
		o, _ := randObject(r)
		key := "rand:" + strconv.Itoa(i)
		switch o.Kind {
		case KindString:
			s.do("SET", key, string(o.Str))
		case KindList:
			s.push("RPUSH", key, keys(o.List), 500)
		case KindSet:
			s.push("SADD", key, keys(o.Set), 500)
		case KindHash:
			var a []string
			for _, f := range o.Hash {
				a = append(a, string(f.Name), string(f.Value))
			}
			s.push("HSET", key, a, 500)
		case KindZSet:
			var a []string
			for _, m := range o.ZSet {
				a = append(a, strconv.FormatFloat(m.Score, 'g', -1, 64), string(m.Member))
			}
			s.push("ZADD", key, a, 500)
		}
		s.check(key, DefaultDumpOptions())
	}
}

// TestRedisOldEncodings feeds Redis and Restore payloads in the encodings
// Redis no longer writes but still loads, and compares what each makes of
// them.
func TestRedisOldEncodings(t *testing.T) {
	s := startRedis(t)
	long := bytes.Repeat([]byte("L"), 300)
	elems := [][]byte{[]byte("a"), []byte("12"), []byte("-7"), []byte("1000"), []byte("-100000"),
		[]byte("5000000000"), []byte("-128"), []byte("8388607"), []byte("x"), long, []byte("0"), []byte("12")}
	var ziplistNodes [][]byte
	for i := 0; i < len(elems); i += 5 {
		ziplistNodes = append(ziplistNodes, makeZiplist(elems[i:min(i+5, len(elems))]...))
	}
	quicklistV1 := lenb(len(ziplistNodes))
	for _, zl := range ziplistNodes {
		quicklistV1 = append(quicklistV1, AppendString(nil, zl, true)...)
	}
	plainList := lenb(len(elems))
	for _, e := range elems {
		plainList = append(plainList, str(e)...)
	}
	zsetText := lenb(4)
	for i, sc := range []string{"1.5", "", "-3", "1e300"} {
		zsetText = append(zsetText, str([]byte("m"+strconv.Itoa(i)))...)
		switch sc {
		case "":
			zsetText = append(zsetText, 254) // +inf
		default:
			zsetText = append(zsetText, byte(len(sc)))
			zsetText = append(zsetText, sc...)
		}
	}
	// A payload of RDB version 9 (Redis 5) needs its own footer.
	v9 := []byte{TypeString}
	v9 = append(v9, str([]byte("v9"))...)
	v9 = append(v9, 9, 0)
	v9 = append(v9, make([]byte, 8)...)
	putCRC(v9)
	hashFields := []Field{{[]byte("name"), []byte("redis")}, {[]byte("n"), []byte("12")},
		{long, []byte("v")}, {[]byte("e"), []byte("")}}
	cases := []struct {
		name    string
		payload []byte
	}{
		{"list-plain", payload(TypeList, plainList)},
		{"list-ziplist", payload(TypeListZiplist, str(makeZiplist(elems...)))},
		{"list-ziplist-lzf", payload(TypeListZiplist, AppendString(nil, makeZiplist(elems...), true))},
		{"list-quicklist-v1", payload(TypeListQuicklist, quicklistV1)},
		{"zset-text", payload(TypeZSet, zsetText)},
		{"zset-ziplist", payload(TypeZSetZiplist, str(makeZiplist(bs("a", "1", "b", "2.5", "c", "-inf", "10", "100")...)))},
		{"hash-ziplist", payload(TypeHashZiplist, str(makeZiplist(bs("f", "v", "1", "2", "g", "")...)))},
		{"hash-zipmap", payload(TypeHashZipmap, str(makeZipmap(0, hashFields...)))},
		{"hash-zipmap-free", payload(TypeHashZipmap, str(makeZipmap(3, hashFields...)))},
		{"set-plain", payload(TypeSet, lenb(3), str([]byte("1")), str([]byte("x")), str([]byte("-5")))},
		{"hash-plain", payload(TypeHash, lenb(2), str([]byte("f")), str([]byte("v")), str([]byte("g")), str([]byte("1")))},
		{"version9", v9},
		{"trailing-bytes", payload(TypeString, str([]byte("a")), []byte("junk"))},
	}

	for _, c := range cases {
		got, err := Restore(c.payload)
		if err != nil {
			t.Fatalf("%s: Restore: %v", c.name, err)
		}
		key := "old:" + c.name
		s.do("RESTORE", key, "0", string(c.payload))
		want := s.read(key)
		if err := equalObjects(got, want); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
}

func putCRC(p []byte) {
	n := len(p)
	crc := CRC64(0, p[:n-8])
	for i := range 8 {
		p[n-8+i] = byte(crc >> (8 * i))
	}
}

// TestRedisErrors checks that the error texts are Redis's and that
// payloads Redis refuses are refused here too.
func TestRedisErrors(t *testing.T) {
	s := startRedis(t, "--sanitize-dump-payload", "yes")
	good := payload(TypeString, str([]byte("hello")))
	badCRC := slices.Clone(good)
	badCRC[len(badCRC)-1] ^= 1
	v11 := slices.Clone(good)
	v11[len(v11)-10] = 11
	putCRC(v11)
	cases := []struct {
		name    string
		payload []byte
		want    error
	}{
		{"crc", badCRC, ErrBadPayload},
		{"short", []byte("123456789"), ErrBadPayload},
		{"version", v11, ErrBadPayload},
		{"type8", payload(8, str([]byte("x"))), ErrBadFormat},
		{"type20", payload(20, str([]byte("x"))), ErrBadFormat},
		{"truncated", payload(TypeString, lenb(100), []byte("abc")), ErrBadFormat},
		{"emptylist", payload(TypeList, lenb(0)), ErrBadFormat},
		{"dupset", payload(TypeSet, lenb(2), str([]byte("a")), str([]byte("a"))), ErrBadFormat},
		{"duphash", payload(TypeHashListpack, str(makeListpack(bs("a", "1", "a", "2")...))), ErrBadFormat},
		{"dupzset", payload(TypeZSetListpack, str(makeListpack(bs("a", "1", "a", "2")...))), ErrBadFormat},
		{"oddhash", payload(TypeHashListpack, str(makeListpack(bs("a", "1", "b")...))), ErrBadFormat},
		{"nanscore", payload(TypeZSet2, lenb(1), str([]byte("a")), []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}), ErrBadFormat},
		{"nantext", payload(TypeZSet, lenb(1), str([]byte("a")), []byte{253}), ErrBadFormat},
		{"stream", payload(TypeStreamListpacks, lenb(0)), ErrBadFormat},
		{"container", payload(TypeListQuicklist2, lenb(1), lenb(3), str(makeListpack(bs("a")...))), ErrBadFormat},
		{"emptyintset", payload(TypeSetIntset, str([]byte{2, 0, 0, 0, 0, 0, 0, 0})), ErrBadFormat},
		{"intsetorder", payload(TypeSetIntset, str([]byte{2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 3, 0})), ErrBadFormat},
		{"lzf", payload(TypeString, []byte{0xC3, 3, 10, 0, 'a', 'b'}), ErrBadFormat},
	}
	for _, c := range cases {
		_, err := Restore(c.payload)
		if err != c.want {
			t.Errorf("%s: Restore error %v, want %v", c.name, err, c.want)
		}
		reply := string(s.srv.Do(t, "RESTORE", "k:"+c.name, "0", string(c.payload)))
		if reply != "-ERR "+c.want.Error()+"\r\n" {
			t.Errorf("%s: Redis says %q, we say %q", c.name, reply, "-ERR "+c.want.Error())
		}
	}
}

// TestRedisMutations corrupts valid payloads at random (keeping the CRC
// right) and checks that whatever Restore accepts, a Redis that sanitizes
// payloads accepts too, with the same value.
func TestRedisMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	s := startRedis(t, "--sanitize-dump-payload", "yes")
	r := rand.New(rand.NewPCG(11, 12))
	var seeds [][]byte
	for range 60 {
		o, enc := randObject(r)
		p, err := Dump(o, enc, DumpOptions{Compress: r.IntN(2) == 0, ListMaxListpackSize: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(p) < 4000 {
			seeds = append(seeds, p)
		}
	}
	accepted, stricter := 0, 0
	for i := range 3000 {
		p := slices.Clone(seeds[r.IntN(len(seeds))])
		body := p[:len(p)-10]
		for range 1 + r.IntN(3) {
			switch j := r.IntN(len(body)); r.IntN(3) {
			case 0:
				body[j] = byte(r.IntN(256))
			case 1:
				body[j] ^= 1 << r.IntN(8)
			default:
				body[j]++
			}
		}
		putCRC(p)
		got, err := Restore(p)
		reply := s.srv.Do(t, "RESTORE", "m:"+strconv.Itoa(i), "0", string(p))
		if err != nil {
			if !errors.Is(err, ErrBadFormat) {
				t.Fatalf("mutation %d: %v", i, err)
			}
			if string(reply) == "+OK\r\n" {
				stricter++
				if os.Getenv("RDB_DEBUG") != "" {
					d := NewDecoder(p[1 : len(p)-10])
					_, derr := d.ReadObject(p[0])
					t.Logf("stricter: %v", derr)
				}
			}
			continue
		}
		accepted++
		if string(reply) != "+OK\r\n" {
			t.Fatalf("mutation %d: we accept %q, Redis says %q", i, p, reply)
		}
		if err := equalObjects(got, s.read("m:"+strconv.Itoa(i))); err != nil {
			t.Fatalf("mutation %d %q: %v", i, p, err)
		}
	}
	t.Logf("%d of 3000 mutations accepted; %d refused that Redis accepts", accepted, stricter)
}
