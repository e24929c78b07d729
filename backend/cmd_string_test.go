package backend

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router"
)

// strEvents runs script on addr with a pattern subscriber attached and
// returns the keyspace events it received, in order.
func strEvents(t *testing.T, addr string, script [][]string) []string {
	t.Helper()
	sub := dialNode(t, addr)
	if _, err := sub.Do("PSUBSCRIBE", "__key*__:*"); err != nil {
		t.Fatal(err)
	}
	c := dialNode(t, addr)
	pipeline(t, c, script)
	if _, err := c.Do("PUBLISH", "end", "x"); err != nil { // a barrier only
		t.Fatal(err)
	}
	return drainEvents(t, sub)
}

// TestStringEvents compares the keyspace events (and the change signals
// behind them) of every string, bitmap and HyperLogLog command with
// Redis's, including the cases where Redis stays silent.
func TestStringEvents(t *testing.T) {
	script := splitAll([]string{
		"SET a 1", "SET a 2 NX", "SET a 3 XX EX 100", "SET b 1 PXAT 1", "SET a 4 KEEPTTL GET",
		"SETNX a 1", "SETNX c 1", "SETEX d 100 v", "PSETEX e 100000 v", "GETSET a 9",
		"GETDEL a", "GETDEL a", "SET f v", "GETEX f", "GETEX f EX 100", "GETEX f PERSIST",
		"GETEX f PERSIST", "GETEX f PXAT 1", "MSET g 1 h 2", "MSETNX g 1 i 2", "MSETNX i 1 j 2",
		"APPEND k x", "APPEND k y", "APPEND k ''", "INCR l", "DECR l", "INCRBY l 5", "DECRBY l 5",
		"INCRBY l x", "INCRBYFLOAT m 1.5", "INCRBYFLOAT m inf", "SETRANGE n 0 ''", "SETRANGE n 2 ab",
		"SETRANGE n 0 ''", "SETRANGE n 0 ab", "GETRANGE n 0 1", "LCS n k", "STRLEN n",
		"SETBIT o 3 1", "SETBIT o 3 1", "SETBIT o 3 0", "SETBIT o 100 0", "GETBIT o 3",
		"BITFIELD p OVERFLOW FAIL INCRBY u2 0 10", "BITFIELD p SET u8 0 0", "BITFIELD p SET u8 0 0",
		"BITFIELD p SET u8 100 0", "BITFIELD p SET u8 0 1 SET u8 8 1", "BITFIELD p INCRBY u8 0 256",
		"BITFIELD p GET u8 0", "BITFIELD_RO p GET u8 0", "BITCOUNT p", "BITPOS p 1",
		"BITOP AND q nosuch", "SET q x", "BITOP AND q nosuch", "BITOP OR q o p", "BITOP NOT q q",
		"PFADD r", "PFADD r", "PFADD r a", "PFADD r a", "PFCOUNT r", "PFCOUNT r", "PFCOUNT r o",
		"PFMERGE s r", "PFMERGE s", "PFMERGE t", "SET u notanhll", "PFADD u a", "PFCOUNT u",
		"PFMERGE r u", "GET b", "MGET nosuch a", "GETEX nosuch", "GETDEL nosuch", "SET nosuch x GET",
		"DEL nosuch", "BITOP OR v nosuch1 nosuch2", "LCS nosuch1 nosuch2", "PFMERGE w nosuch3",
		"PFCOUNT nosuch4 nosuch5", "BITFIELD nosuch6", "BITPOS nosuch7 1", "GETRANGE nosuch8 0 1",
	})
	ref := redistest.Start(t, redistest.Options{Args: []string{"--notify-keyspace-events", "KEAnm"}})
	node := startNode(t)
	node.notifyFlags.Store(uint32(eventsKEAn))
	node.notifyFlags.Store(node.notifyFlags.Load() | uint32(notifyKeyMiss))
	want, got := strEvents(t, ref.Addr, script), strEvents(t, node.Addr().String(), script)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("events differ:\n redis:   %q\n keyslot: %q", want, got)
	}
}

// TestStringEncodings compares OBJECT ENCODING after each kind of write:
// int, embstr and raw follow Redis's rules for values created and edited
// in place.
func TestStringEncodings(t *testing.T) {
	p := newDiffPair(t)
	long := strings.Repeat("x", 45)
	p.batch(t, [][]string{
		{"SET", "a", "123"}, {"OBJECT", "ENCODING", "a"},
		{"SET", "a", "abc"}, {"OBJECT", "ENCODING", "a"},
		{"SET", "a", long}, {"OBJECT", "ENCODING", "a"},
		{"APPEND", "b", "12"}, {"OBJECT", "ENCODING", "b"},
		{"APPEND", "b", "3"}, {"OBJECT", "ENCODING", "b"},
		{"INCR", "b"}, {"OBJECT", "ENCODING", "b"},
		{"APPEND", "c", "x"}, {"OBJECT", "ENCODING", "c"},
		{"APPEND", "c", ""}, {"OBJECT", "ENCODING", "c"},
		{"SETRANGE", "d", "0", "1"}, {"OBJECT", "ENCODING", "d"},
		{"SET", "e", "12"}, {"SETRANGE", "e", "0", ""}, {"OBJECT", "ENCODING", "e"},
		{"SETRANGE", "e", "0", "3"}, {"OBJECT", "ENCODING", "e"},
		{"SET", "f", "1"}, {"GETBIT", "f", "0"}, {"OBJECT", "ENCODING", "f"},
		{"SETBIT", "f", "0", "0"}, {"OBJECT", "ENCODING", "f"},
		{"SET", "g", "1"}, {"BITFIELD", "g", "GET", "u8", "0"}, {"OBJECT", "ENCODING", "g"},
		{"BITFIELD", "g", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"}, {"OBJECT", "ENCODING", "g"},
		{"BITOP", "OR", "h", "a"}, {"OBJECT", "ENCODING", "h"},
		{"INCRBY", "i", "-5"}, {"OBJECT", "ENCODING", "i"},
		{"INCRBYFLOAT", "j", "1.5"}, {"OBJECT", "ENCODING", "j"},
		{"MSET", "k", "1", "l", "x"}, {"OBJECT", "ENCODING", "k"}, {"OBJECT", "ENCODING", "l"},
		{"GETSET", "k", long}, {"OBJECT", "ENCODING", "k"},
		{"PFADD", "m"}, {"OBJECT", "ENCODING", "m"},
		{"SET", "n", "\x48\x59\x4c\x4c\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"}, {"OBJECT", "ENCODING", "n"},
		{"PFCOUNT", "n"}, {"OBJECT", "ENCODING", "n"},
		{"PFMERGE", "o"}, {"OBJECT", "ENCODING", "o"},
		{"SET", "p", "9223372036854775807"}, {"OBJECT", "ENCODING", "p"},
		{"SET", "p", "-0"}, {"OBJECT", "ENCODING", "p"},
		{"SET", "p", "01"}, {"OBJECT", "ENCODING", "p"},
	})
}

// TestIncrByFloatValues compares INCRBYFLOAT with Redis over hand-picked
// and random operands: long double rounding, the %.17Lf output, exponents
// far outside a double's range, hexadecimal input and every way of being
// refused.
func TestIncrByFloatValues(t *testing.T) {
	p := newDiffPair(t)
	fixed := []string{
		"0", "-0", "+0", "0.0", "-0.0", "1", "-1", "10.5", "0.1", "0.2", "0.3", "3.0e3", "5.0e3",
		"2.0e2", "1e400", "-1e400", "1e4932", "1.18973149535723176502e+4932", "1.19e4932", "1e4933",
		"1e-4950", "1e-4951", "2e-4951", "1e-5000", "3.6e-4951", "1.8e-4951", "1.9e-4951",
		"0.000003814697265625", "0.000001907348632812", "0.5e-17", "5e-18", "1.5e-17", "0.00000000000000001",
		"0x10", "0X1p4", "0x1.8p1", "0x.8", "-0x1p-16445", "0x1p-16446", "0x1p16383", "0x1p16384",
		"0x1.fffffffffffffffep16383", "0x1.ffffffffffffffffp16383", "0x", "0xp1", "0x1p", "0x1g",
		"inf", "-inf", "+inf", "INF", "Infinity", "-infinity", "infinit", "nan", "NaN", "-nan",
		"nan(1)", "abc", "", " 1", "1 ", "\t1", "1..2", ".5", "5.", ".", "-.", "+.5", "1e", "1e+",
		"1e-", "1e5", "1E5", "1.5E+2", "1_000", "0b1", "0o7", "1e99999999999999999999",
		"1e-99999999999999999999", "0e99999999999999999999", "12345678901234567890",
		"99999999999999999999999999999", "1.7976931348623157e308", "-1.7976931348623157e308",
		"0.1234567890123456789012345", "1.23456789012345678", "9007199254740993",
		"18446744073709551615", "18446744073709551617", "36893488147419103231",
		"1" + strings.Repeat("0", 5000), "1" + strings.Repeat("0", 5200), "0." + strings.Repeat("0", 4000) + "1",
	}
	var cmds [][]string
	for _, a := range fixed {
		for _, b := range []string{"0", "1", "-1", "0.1", "-0", "1e-17", "1e17", "1e20", "1e400", "inf"} {
			cmds = append(cmds, []string{"SET", "f", a}, []string{"INCRBYFLOAT", "f", b}, []string{"GET", "f"})
			cmds = append(cmds, []string{"SET", "f", b}, []string{"INCRBYFLOAT", "f", a})
		}
		cmds = append(cmds, []string{"DEL", "g"}, []string{"INCRBYFLOAT", "g", a})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		cmds = append(cmds, []string{"SET", "f", randFloatText(rng)}, []string{"INCRBYFLOAT", "f", randFloatText(rng)})
	}
	p.batch(t, cmds)
}

// randFloatText returns a number the way a client might spell one, or
// something close to one.
func randFloatText(rng *rand.Rand) string {
	var sb strings.Builder
	if rng.IntN(3) == 0 {
		sb.WriteByte("-+"[rng.IntN(2)])
	}
	switch rng.IntN(10) {
	case 0:
		fmt.Fprintf(&sb, "0x%x.%xp%d", rng.Uint64(), rng.Uint32(), rng.IntN(200)-100)
		return sb.String()
	case 1:
		// Multiples of 2^-18 and friends: ties at the 17th decimal.
		fmt.Fprintf(&sb, "%d", rng.IntN(1<<20))
		f := float64(rng.IntN(1<<20)) / float64(uint64(1)<<(18+rng.IntN(4)))
		return strconv.FormatFloat(f, 'f', -1, 64)
	case 2:
		return strconv.FormatInt(rng.Int64(), 10)
	}
	for range 1 + rng.IntN(20) {
		sb.WriteByte(byte('0' + rng.IntN(10)))
	}
	if rng.IntN(2) == 0 {
		sb.WriteByte('.')
		for range rng.IntN(25) {
			sb.WriteByte(byte('0' + rng.IntN(10)))
		}
	}
	if rng.IntN(3) == 0 {
		fmt.Fprintf(&sb, "e%d", rng.IntN(80)-40)
	}
	if rng.IntN(50) == 0 {
		return "e" + sb.String()
	}
	return sb.String()
}

// TestLongDoubleFormat pins INCRBYFLOAT results that Redis 7.0 on x86-64
// gives, for runs without a redis-server.
func TestLongDoubleFormat(t *testing.T) {
	tests := []struct{ cur, incr, want string }{
		{"10.5", "0.1", "10.6"},
		{"0", "3.0e3", "3000"},
		{"5.0e3", "2.0e2", "5200"},
		{"0", "0.1", "0.1"},
		{"0.1", "0.2", "0.3"},
		{"-0", "0", "0"},
		{"-0", "-0", "0"},
		{"1", "-1", "0"},
		{"0", "1e-18", "0"},
		{"0", "-1e-18", "0"},
		{"0", "0x10", "16"},
		{"0", "0x1.8p1", "3"},
		{"0", "0.000003814697265625", "0.00000381469726562"},
		{"0", "1e20", "100000000000000000000"},
		{"1", "1e17", "100000000000000001"},
		{"0", "1.7976931348623157e308", "179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384"},
		// 1e400 is not a long double: the nearest one prints so.
		{"0", "1e400", "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880"},
	}
	for _, tt := range tests {
		var cur, incr longDouble
		if !cur.parse([]byte(tt.cur)) || !incr.parse([]byte(tt.incr)) {
			t.Fatalf("%s + %s: not parsed", tt.cur, tt.incr)
		}
		if !cur.add(&incr) {
			t.Fatalf("%s + %s: overflow", tt.cur, tt.incr)
		}
		if got := string(cur.format()); got != tt.want {
			t.Errorf("%s + %s = %s, want %s", tt.cur, tt.incr, got, tt.want)
		}
	}
	for _, bad := range []string{"", " 1", "1 ", "nan", "1e4933", "1e-5000", "0x", "1e", "0b1", "1_0"} {
		var d longDouble
		if d.parse([]byte(bad)) {
			t.Errorf("%q parsed", bad)
		}
	}
}

// FuzzLongDouble feeds arbitrary bytes to the INCRBYFLOAT parser: no panic,
// and whatever parses prints within Redis's buffer.
func FuzzLongDouble(f *testing.F) {
	for _, s := range []string{"1", "-0.5e10", "0x1.8p3", "inf", "1e4932", "1e-4951", "9" + strings.Repeat("9", 100)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d, one longDouble
		if !d.parse(b) || d.inf != 0 {
			return
		}
		one.parse([]byte("1"))
		if !d.add(&one) {
			return
		}
		if out := d.format(); len(out) >= ldMaxChars || len(out) == 0 {
			t.Fatalf("%q: %d bytes out", b, len(out))
		}
	})
}

// TestLCSValues compares LCS in all its forms with Redis on random strings
// over small alphabets, where ties between equally long subsequences are
// common and the walk order shows.
func TestLCSValues(t *testing.T) {
	p := newDiffPair(t)
	rng := rand.New(rand.NewPCG(3, 4))
	var cmds [][]string
	for range 400 {
		a, b := randWord(rng, "abc", 30), randWord(rng, "abcd", 30)
		cmds = append(cmds, []string{"MSET", "x", a, "y", b},
			[]string{"LCS", "x", "y"}, []string{"LCS", "x", "y", "LEN"},
			[]string{"LCS", "x", "y", "IDX"}, []string{"LCS", "x", "y", "IDX", "WITHMATCHLEN"},
			[]string{"LCS", "x", "y", "IDX", "MINMATCHLEN", strconv.Itoa(rng.IntN(4)), "WITHMATCHLEN"})
	}
	// The DP table is bounded by proto-max-bulk-len, as in Redis.
	big := strings.Repeat("ab", 6000)
	cmds = append(cmds, []string{"MSET", "x", big, "y", big}, []string{"LCS", "x", "y", "LEN"},
		[]string{"MSET", "x", "ohmytext", "y", "mynewtext"})
	p.batch(t, cmds)
	p.hello3(t)
	p.sameBatch(t, "LCS x y IDX WITHMATCHLEN", "LCS x y IDX", "LCS x y LEN", "LCS x y")
}

func randWord(rng *rand.Rand, alphabet string, maxLen int) string {
	b := make([]byte, rng.IntN(maxLen+1))
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// TestStringRanges compares GETRANGE and SETRANGE over many index pairs.
func TestStringRanges(t *testing.T) {
	p := newDiffPair(t)
	idx := []string{"0", "1", "-1", "-2", "5", "-5", "10", "-10", "11", "100", "-100",
		"9223372036854775807", "-9223372036854775808"}
	var cmds [][]string
	for _, v := range []string{"", "a", "Hello World", "12345"} {
		cmds = append(cmds, []string{"SET", "r", v})
		for _, s := range idx {
			for _, e := range idx {
				cmds = append(cmds, []string{"GETRANGE", "r", s, e})
			}
		}
	}
	// A 1 MB limit keeps the strings at the limit small.
	cmds = append(cmds, []string{"CONFIG", "SET", "proto-max-bulk-len", "1048576"})
	for _, off := range []string{"0", "3", "15", "1048575", "1048576", "9223372036854775807"} {
		for _, v := range []string{"", "x", "xy"} {
			cmds = append(cmds, []string{"SET", "s", "abcdef"}, []string{"SETRANGE", "s", off, v},
				[]string{"STRLEN", "s"}, []string{"DEL", "t"}, []string{"SETRANGE", "t", off, v}, []string{"EXISTS", "t"})
		}
	}
	p.batch(t, cmds)
}

// strBench builds a node and a Ctx that runs string commands directly, for
// allocation-counting benchmarks without the network.
func strBench(b *testing.B) (*Ctx, func(args ...string)) {
	b.Helper()
	cfg := DefaultConfig()
	s, err := New(cfg, zap.NewNop(), prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	table := router.NewTable()
	set := stringCommands()
	var out bytes.Buffer
	x := &Ctx{s: s, W: resp.NewWriter(&out), db: s.ks.dbs[0]}
	return x, func(args ...string) {
		x.Args = x.Args[:0]
		for _, a := range args {
			x.Args = append(x.Args, []byte(a))
		}
		x.cmd = table.ByName(x.Args[0])
		x.now = time.Now().UnixMilli()
		set[x.cmd.Name].fn(x)
		_ = x.W.Flush()
		out.Reset()
	}
}

// benchRun runs one command b.N times through its handler with arguments
// prepared once, as the connection loop hands them over.
func benchRun(b *testing.B, setup []string, args ...string) {
	x, run := strBench(b)
	if setup != nil {
		run(setup...)
	}
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	fn := stringCommands()[strings.ToLower(args[0])].fn
	x.cmd = router.NewTable().ByName(argv[0])
	x.W = resp.NewWriter(io.Discard)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		x.Args = argv
		x.now = 1
		fn(x)
		x.W.Flush()
	}
}

func BenchmarkGet(b *testing.B)  { benchRun(b, []string{"set", "key", "value"}, "get", "key") }
func BenchmarkSet(b *testing.B)  { benchRun(b, nil, "set", "key", "value") }
func BenchmarkIncr(b *testing.B) { benchRun(b, nil, "incr", "key") }
func BenchmarkMSet(b *testing.B) { benchRun(b, nil, "mset", "k1", "a", "k2", "b", "k3", "c") }

// TestStringsRESP3 compares the replies whose RESP3 form differs from
// RESP2 (nulls, LCS's map) after HELLO 3.
func TestStringsRESP3(t *testing.T) {
	p := newDiffPair(t)
	p.hello3(t)
	p.sameBatch(t,
		"GET nosuch", "MGET a nosuch", "SET a 1", "SET a 2 NX", "SET a 3 NX GET", "SET b 1 XX",
		"SET b 1 XX GET", "SET a 4 GET", "GETEX nosuch", "GETDEL nosuch", "GETSET nosuch x",
		"BITFIELD bf OVERFLOW FAIL INCRBY u8 0 300 GET u8 0", "BITFIELD_RO bf GET i8 0",
		"MSET l1 ohmytext l2 mynewtext", "LCS l1 l2 IDX", "LCS l1 l2 IDX WITHMATCHLEN MINMATCHLEN 3",
		"LCS l1 nosuch IDX", "GETRANGE nosuch 0 1", "INCRBYFLOAT f 1.5", "PFADD h a", "PFCOUNT h",
		"PFMERGE h2 h", "RPUSH l x", "GET l", "MGET l a",
	)
}
