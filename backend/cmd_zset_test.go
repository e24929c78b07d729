package backend

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router"
)

func TestZstrtod(t *testing.T) {
	negZero := math.Copysign(0, -1)
	tests := []struct {
		in     string
		f      float64
		n      int
		erange bool
	}{
		{"", 0, 0, false},
		{"1", 1, 1, false},
		{"-2.5e3xyz", -2500, 6, false},
		{"  \t7", 7, 4, false},
		{"   ", 0, 0, false},
		{"abc", 0, 0, false},
		{"+", 0, 0, false},
		{"-", 0, 0, false},
		{".", 0, 0, false},
		{".5", 0.5, 2, false},
		{"5.", 5, 2, false},
		{"1e", 1, 1, false},
		{"1e+", 1, 1, false},
		{"1e+2", 100, 4, false},
		{"1E-2", 0.01, 4, false},
		{"0x10", 16, 4, false},
		{"0X1p4", 16, 5, false},
		{"0x1.8p1", 3, 7, false},
		{"-0x.8", -0.5, 5, false},
		{"0x", 0, 1, false},
		{"-0xg", negZero, 2, false},
		{"0x1p", 1, 3, false},
		{"inf", math.Inf(1), 3, false},
		{"-Infinity", math.Inf(-1), 9, false},
		{"infinit", math.Inf(1), 3, false},
		{"INFx", math.Inf(1), 3, false},
		{"nan", math.NaN(), 3, false},
		{"nan(abc_1)", math.NaN(), 10, false},
		{"nan(abc", math.NaN(), 3, false},
		{"1e400", math.Inf(1), 5, true},
		{"-1e400", math.Inf(-1), 6, true},
		{"1e-400", 0, 6, true},
		{"0e-400", 0, 6, false},
		{"4e-320", 4e-320, 6, false},
		{"0x1p-1080", 0, 9, true},
		{"0x1p1024", math.Inf(1), 8, true},
		{"1_0", 1, 1, false},
		{"12\x0034", 12, 2, false},
		{"-0", negZero, 2, false},
	}
	for _, tc := range tests {
		f, n, erange := zstrtod([]byte(tc.in))
		same := f == tc.f && math.Signbit(f) == math.Signbit(tc.f) || f != f && tc.f != tc.f
		if !same || n != tc.n || erange != tc.erange {
			t.Errorf("zstrtod(%q) = %v, %d, %v; want %v, %d, %v", tc.in, f, n, erange, tc.f, tc.n, tc.erange)
		}
	}
}

// TestZparseScore holds what redis-server 7.0.15 answers to ZADD k <in> m
// and then ZSCORE k m (in a skiplist, which keeps -0).
func TestZparseScore(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when refused
	}{
		{"0x10", "16"}, {"1e-400", ""}, {"4e-320", "3.999955468730732e-320"}, {"inf", "inf"}, {"+inf", "inf"},
		{"-inf", "-inf"}, {"infinity", "inf"}, {"Infinity", "inf"}, {"nan", ""}, {" 1", ""}, {"1 ", ""},
		{"1_0", ""}, {".5", "0.5"}, {"5.", "5"}, {"1e5", "100000"}, {"0x1p4", "16"}, {"-0", "-0"}, {"", ""},
		{"0x", ""}, {"1e", ""}, {"1e+", ""}, {"0x1.8p1", "3"}, {"1e400", ""}, {"\t1", ""}, {"1\x00", ""},
		{"9223372036854775807", "9.2233720368547758e+18"}, {"-9223372036854775808", "-9.2233720368547758e+18"},
		{"123456789012345678", "1.2345678901234568e+17"}, {"0.1", "0.10000000000000001"}, {"007", "7"},
		{"+1", "1"}, {"--1", ""}, {"0x1p-1074", "4.9406564584124654e-324"},
	}
	for _, tc := range tests {
		f, ok := zparseScore([]byte(tc.in))
		got := ""
		if ok {
			got = strconv.FormatFloat(f, 'g', 17, 64)
			switch {
			case math.IsInf(f, 1):
				got = "inf"
			case math.IsInf(f, -1):
				got = "-inf"
			}
		}
		if got != tc.want {
			t.Errorf("zparseScore(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestZparseBounds(t *testing.T) {
	score := []struct {
		in string
		ok bool
		v  float64
		ex bool
	}{
		{"1", true, 1, false}, {"(1", true, 1, true}, {"", true, 0, false}, {"(", true, 0, true},
		{" 5", true, 5, false}, {"5 ", false, 0, false}, {"1e400", true, math.Inf(1), false},
		{"nan", false, 0, false}, {"(nan", false, 0, false}, {"5\x00junk", true, 5, false},
		{"((1", false, 0, false}, {"0x10", true, 16, false}, {"-inf", true, math.Inf(-1), false},
		{"[1", false, 0, false}, {" ", false, 0, false},
	}
	for _, tc := range score {
		b, ok := zparseScoreBound([]byte(tc.in))
		if ok != tc.ok || ok && (b.Value != tc.v || b.Exclusive != tc.ex) {
			t.Errorf("zparseScoreBound(%q) = %+v, %v", tc.in, b, ok)
		}
	}
	lex := []struct {
		in  string
		ok  bool
		inf int
		v   string
		ex  bool
	}{
		{"-", true, -1, "", true}, {"+", true, 1, "", true}, {"+\x00zz", true, 1, "", true},
		{"+a", false, 0, "", false}, {"[a", true, 0, "a", false}, {"(a", true, 0, "a", true},
		{"[", true, 0, "", false}, {"", false, 0, "", false}, {"a", false, 0, "", false},
	}
	for _, tc := range lex {
		b, ok := zparseLexBound([]byte(tc.in))
		if ok != tc.ok || ok && (b.Inf != tc.inf || string(b.Value) != tc.v || b.Exclusive != tc.ex) {
			t.Errorf("zparseLexBound(%q) = %+v, %v", tc.in, b, ok)
		}
	}
	cursors := []struct {
		in string
		ok bool
		v  uint64
	}{
		{"0", true, 0}, {"123", true, 123}, {"", true, 0}, {"\x00", true, 0}, {"+5", true, 5},
		{"-1", true, math.MaxUint64}, {"18446744073709551615", true, math.MaxUint64},
		{"18446744073709551616", false, 0}, {" 1", false, 0}, {"1 ", false, 0}, {"+", false, 0},
		{"abc", false, 0}, {"-18446744073709551615", true, 1}, {"7\x00x", true, 7},
	}
	for _, tc := range cursors {
		v, ok := zparseCursor([]byte(tc.in))
		if ok != tc.ok || v != tc.v {
			t.Errorf("zparseCursor(%q) = %d, %v", tc.in, v, ok)
		}
	}
}

func TestZsetEncoding(t *testing.T) {
	lim := zsetLimits{entries: 3, value: 4}
	v := &zsetValue{}
	for i, m := range []string{"a", "bb", "ccc"} {
		v.addNew([]byte(m), float64(i), lim)
	}
	if v.encoding(nil) != "listpack" {
		t.Fatal("3 short members: want listpack")
	}
	v.put([]byte("a"), math.Copysign(0, -1))
	if s, _ := v.set.Score([]byte("a")); math.Signbit(s) {
		t.Fatal("a listpack keeps -0")
	}
	v.addNew([]byte("dddd"), 9, lim)
	if v.encoding(nil) != "skiplist" {
		t.Fatal("4 members over a limit of 3: want skiplist")
	}
	v.set.Remove([]byte("dddd"))
	v.set.Remove([]byte("ccc"))
	if v.encoding(nil) != "skiplist" {
		t.Fatal("the conversion is one-way")
	}
	v.put([]byte("a"), math.Copysign(0, -1))
	if s, _ := v.set.Score([]byte("a")); s != 0 {
		t.Fatalf("score %v", s)
	}
	v.set.Remove([]byte("a"))
	v.put([]byte("z"), math.Copysign(0, -1))
	if s, _ := v.set.Score([]byte("z")); !math.Signbit(s) {
		t.Fatal("a skiplist keeps -0")
	}
	w := &zsetValue{}
	w.addNew([]byte("12345"), 1, lim)
	if !w.big {
		t.Fatal("a member over the value limit: want skiplist")
	}
	c := v.copyValue().(*zsetValue)
	if !c.big || c.set.Len() != v.set.Len() {
		t.Fatal("copy lost the encoding or members")
	}
	c.set.Add([]byte("new"), 1)
	if v.set.Len() == c.set.Len() {
		t.Fatal("the copy shares members with the original")
	}
	if v.typeName() != "zset" {
		t.Fatal(v.typeName())
	}
	var _ blocker = v
	var _ copier = v
}

func TestZappendScoreText(t *testing.T) {
	tests := []struct {
		f        float64
		listpack bool
		want     string
	}{
		{1e17, true, "100000000000000000"}, {1e17, false, "1e+17"}, {1.5, true, "1.5"},
		{1 << 62, true, "4611686018427387904"}, {1<<62 + 1024, true, "4.6116860184273889e+18"},
		{-(1 << 62), true, "-4611686018427387904"}, {math.Inf(1), true, "inf"}, {math.Inf(-1), false, "-inf"},
		{math.Copysign(0, -1), false, "-0"},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		w := resp.NewWriter(&buf)
		zappendScoreText(w, tc.f, tc.listpack)
		_ = w.Flush()
		want := fmt.Sprintf("$%d\r\n%s\r\n", len(tc.want), tc.want)
		if buf.String() != want {
			t.Errorf("%v listpack=%v: %q, want %q", tc.f, tc.listpack, buf.String(), want)
		}
	}
}

// zsArray decodes an array reply into its elements' text.
func zsArray(t testing.TB, raw []byte) []string {
	t.Helper()
	v, _, err := resp.ParseValue(raw)
	if err != nil || v.Error() != nil {
		t.Fatalf("%q: %v %v", raw, err, v.Error())
	}
	var out []string
	for _, e := range v.Array() {
		out = append(out, e.String())
	}
	return out
}

// TestZscanGuarantee checks the SCAN promise on a skiplist-encoded set:
// every member present, at an unchanged score, for the whole iteration is
// returned, while other members are added and removed between calls, on
// either side of the cursor.
func TestZscanGuarantee(t *testing.T) {
	node := startNode(t)
	c := dialNode(t, node.Addr().String())
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		key := "z" + strconv.Itoa(round)
		stable := map[string]bool{}
		var churn []string
		args := []string{"ZADD", key}
		for i := range 600 {
			m := fmt.Sprintf("m%04d", i)
			args = append(args, strconv.Itoa(r.IntN(300)), m)
			if i%3 == 0 {
				stable[m] = true
			} else {
				churn = append(churn, m)
			}
		}
		doCmd(t, c, args...)
		seen := map[string]bool{}
		cursor := "0"
		for calls := 0; ; calls++ {
			if calls > 10000 {
				t.Fatal("ZSCAN does not end")
			}
			raw := doCmd(t, c, "ZSCAN", key, cursor, "COUNT", strconv.Itoa(1+r.IntN(20)))
			next, items := zsParseScan(t, raw)
			if len(items)%2 != 0 {
				t.Fatalf("odd ZSCAN page %q", items)
			}
			for i := 0; i < len(items); i += 2 {
				seen[items[i]] = true
			}
			// Churn: remove and re-add members that are not tracked.
			for range 5 {
				m := churn[r.IntN(len(churn))]
				if r.IntN(2) == 0 {
					doCmd(t, c, "ZREM", key, m)
				} else {
					doCmd(t, c, "ZADD", key, strconv.Itoa(r.IntN(300)), m)
				}
			}
			if next == "0" {
				break
			}
			cursor = next
		}
		for m := range stable {
			if !seen[m] {
				t.Fatalf("round %d: %s was present throughout and never returned", round, m)
			}
		}
	}
}

func zsParseScan(t *testing.T, raw []byte) (string, []string) {
	t.Helper()
	v, _, err := resp.ParseValue(raw)
	if err != nil || v.Error() != nil || len(v.Array()) != 2 {
		t.Fatalf("bad ZSCAN reply %q", raw)
	}
	a := v.Array()
	var items []string
	for _, e := range a[1].Array() {
		items = append(items, e.String())
	}
	return a[0].String(), items
}

// TestZsetEvents runs the same commands on redis-server and on a node with
// every keyspace event on and requires the same replies and the same
// keyevent messages in the same order.
func TestZsetEvents(t *testing.T) {
	cmds := [][]string{
		{"ZADD", "z", "1", "a", "2", "b"}, {"ZADD", "z", "1", "a"}, {"ZADD", "z", "XX", "5", "nosuch"},
		{"ZADD", "z", "INCR", "1", "a"}, {"ZINCRBY", "z", "0", "a"}, {"ZINCRBY", "z", "1", "c"},
		{"ZADD", "z", "inf", "i"}, {"ZINCRBY", "z", "-inf", "i"},
		{"ZREM", "z", "nosuch"}, {"ZREM", "z", "a"}, {"ZREMRANGEBYSCORE", "z", "5", "6"},
		{"ZREMRANGEBYSCORE", "z", "2", "2"}, {"ZREMRANGEBYRANK", "z", "0", "0"}, {"ZREMRANGEBYLEX", "z", "-", "+"},
		{"EXISTS", "z"}, {"ZADD", "z", "1", "a", "2", "b", "3", "c"}, {"ZPOPMIN", "z"}, {"ZPOPMAX", "z", "0"},
		{"ZPOPMAX", "z", "5"}, {"ZADD", "y", "1", "a", "2", "b"}, {"ZMPOP", "2", "z", "y", "MAX", "COUNT", "1"},
		{"BZPOPMIN", "y", "0"}, {"ZADD", "y", "1", "a"}, {"BZMPOP", "0", "1", "y", "MIN"},
		{"ZADD", "p", "1", "a", "2", "b"}, {"ZADD", "q", "2", "b", "3", "c"},
		{"ZUNIONSTORE", "d", "2", "p", "q"}, {"ZINTERSTORE", "d", "2", "p", "q"}, {"ZDIFFSTORE", "d", "2", "p", "q"},
		{"ZINTERSTORE", "d", "2", "p", "nosuch"}, {"ZINTERSTORE", "d", "2", "p", "nosuch"},
		{"ZRANGESTORE", "d", "p", "0", "-1"}, {"ZRANGESTORE", "d", "p", "5", "6"},
		{"ZRANGESTORE", "p", "p", "0", "0"}, {"ZUNIONSTORE", "p", "1", "q"},
		{"ZRANGE", "nosuch", "0", "-1"}, {"ZSCORE", "nosuch", "a"}, {"ZCARD", "q"},
	}
	sameKeyevents(t, cmds)
}

// TestZsetRandomOps runs random sorted set commands on redis-server and on
// a node and compares every reply byte for byte. Sets grow past the
// listpack limits and shrink again; lex ranges are only asked of a set
// whose scores are all equal, since Redis's answer on a skiplist with mixed
// scores depends on its random levels.
func TestZsetRandomOps(t *testing.T) {
	ref := redistest.Start(t, redistest.Options{})
	node := startNode(t)
	conns := [2]*redistest.Conn{dialNode(t, ref.Addr), dialNode(t, node.Addr().String())}
	r := rand.New(rand.NewPCG(7, 11))
	scores := []string{"0", "1", "2", "-1", "1.5", "-0", "inf", "-inf", "3", "100", "0.1", "1e17", "-2.5", "7"}
	member := func() string { return "m" + strconv.Itoa(r.IntN(400)) }
	lexMember := func() string { return string(rune('a'+r.IntN(6))) + strconv.Itoa(r.IntN(30)) }
	keys := []string{"k1", "k2", "k3"}
	key := func() string { return keys[r.IntN(len(keys))] }
	// Most results go to a key of their own, so the others can grow.
	dst := func() string {
		if r.IntN(4) == 0 {
			return key()
		}
		return "d"
	}
	sb := func() string {
		s := scores[r.IntN(len(scores))]
		if r.IntN(4) == 0 {
			s = "(" + s
		}
		return s
	}
	lb := func() string {
		switch r.IntN(6) {
		case 0:
			return "-"
		case 1:
			return "+"
		case 2:
			return "(" + lexMember()
		}
		return "[" + lexMember()
	}
	num := func(lo, hi int) string { return strconv.Itoa(lo + r.IntN(hi-lo+1)) }
	skiplists := 0
	for step := range 4000 {
		if step == 2000 {
			for _, c := range conns {
				doCmd(t, c, "HELLO", "3")
			}
		}
		var cmd []string
		switch r.IntN(24) {
		case 0, 1, 2, 3:
			cmd = []string{"ZADD", key()}
			for _, o := range []string{"NX", "XX", "GT", "LT", "CH", "INCR"} {
				if r.IntN(6) == 0 {
					cmd = append(cmd, o)
				}
			}
			for range 1 + r.IntN(40) {
				cmd = append(cmd, scores[r.IntN(len(scores))], member())
			}
		case 4:
			cmd = []string{"ZINCRBY", key(), scores[r.IntN(len(scores))], member()}
		case 5:
			cmd = []string{"ZREM", key(), member(), member()}
		case 6:
			cmd = []string{"ZRANGE", key(), num(-200, 200), num(-200, 200)}
			if r.IntN(2) == 0 {
				cmd = append(cmd, "REV")
			}
			if r.IntN(2) == 0 {
				cmd = append(cmd, "WITHSCORES")
			}
		case 7:
			cmd = []string{"ZRANGE", key(), sb(), sb(), "BYSCORE"}
			if r.IntN(2) == 0 {
				cmd = append(cmd, "REV")
			}
			if r.IntN(2) == 0 {
				cmd = append(cmd, "LIMIT", num(-1, 50), num(-1, 50))
			}
			if r.IntN(2) == 0 {
				cmd = append(cmd, "WITHSCORES")
			}
		case 8:
			cmd = []string{"ZCOUNT", key(), sb(), sb()}
		case 9:
			cmd = []string{[]string{"ZRANK", "ZREVRANK", "ZSCORE"}[r.IntN(3)], key(), member()}
		case 10:
			cmd = []string{"ZMSCORE", key(), member(), member(), member()}
		case 11:
			cmd = []string{[]string{"ZPOPMIN", "ZPOPMAX"}[r.IntN(2)], key()}
			if r.IntN(2) == 0 {
				cmd = append(cmd, num(0, 5))
			}
		case 12:
			cmd = []string{"ZREMRANGEBYRANK", key(), num(-200, 200), num(-200, 200)}
		case 13:
			cmd = []string{"ZREMRANGEBYSCORE", key(), sb(), sb()}
		case 14:
			op := []string{"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"}[r.IntN(3)]
			cmd = []string{op, dst(), "2", key(), key()}
			if op != "ZDIFFSTORE" && r.IntN(2) == 0 {
				cmd = append(cmd, "WEIGHTS", scores[r.IntN(len(scores))], scores[r.IntN(len(scores))])
			}
			if op != "ZDIFFSTORE" && r.IntN(2) == 0 {
				cmd = append(cmd, "AGGREGATE", []string{"SUM", "MIN", "MAX"}[r.IntN(3)])
			}
		case 15:
			op := []string{"ZUNION", "ZINTER", "ZDIFF"}[r.IntN(3)]
			cmd = []string{op, "3", key(), key(), key(), "WITHSCORES"}
		case 16:
			cmd = []string{"ZINTERCARD", "2", key(), key(), "LIMIT", num(0, 30)}
		case 17:
			cmd = []string{"ZRANGESTORE", dst(), key(), sb(), sb(), "BYSCORE", "LIMIT", num(0, 20), num(-1, 200)}
		case 18:
			cmd = []string{"OBJECT", "ENCODING", []string{key(), "d"}[r.IntN(2)]}
		case 19:
			cmd = []string{"ZCARD", key()}
		case 20:
			cmd = []string{"ZADD", "lx"}
			for range 1 + r.IntN(4) {
				cmd = append(cmd, "0", lexMember())
			}
		case 21:
			cmd = []string{[]string{"ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZLEXCOUNT", "ZREMRANGEBYLEX"}[r.IntN(4)], "lx", lb(), lb()}
			if (cmd[0] == "ZRANGEBYLEX" || cmd[0] == "ZREVRANGEBYLEX") && r.IntN(2) == 0 {
				cmd = append(cmd, "LIMIT", num(-1, 40), num(-1, 40))
			}
		case 22:
			cmd = []string{"ZRANDMEMBER", key(), "1000", "WITHSCORES"}
		case 23:
			cmd = []string{"ZSCAN", key(), "0", "COUNT", "1000"}
			if r.IntN(2) == 0 {
				cmd = append(cmd, "MATCH", "m1*")
			}
		}
		var out [2][]byte
		for i, c := range conns {
			out[i] = doCmd(t, c, cmd...)
		}
		if cmd[0] == "ZSCAN" && zsIsSkiplist(t, conns[0], cmd[1]) {
			continue // a skiplist's ZSCAN order is Redis's hash order
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Fatalf("step %d %q:\nredis:   %q\nkeyslot: %q", step, cmd, out[0], out[1])
		}
		if cmd[0] == "OBJECT" && bytes.Contains(out[0], []byte("skiplist")) {
			skiplists++
		}
	}
	if skiplists < 10 {
		t.Fatalf("only %d skiplist-encoded sets seen: the test does not reach large sets", skiplists)
	}
}

func zsIsSkiplist(t *testing.T, c *redistest.Conn, key string) bool {
	return bytes.Contains(doCmd(t, c, "OBJECT", "ENCODING", key), []byte("skiplist"))
}

// TestZsetBlockingOrder: clients blocked on one key are served first come,
// first served, each as its own command asks.
func TestZsetBlockingOrder(t *testing.T) {
	node := startNode(t)
	addr := node.Addr().String()
	a, b, c := dialNode(t, addr), dialNode(t, addr), dialNode(t, addr)
	if err := b.Send("BZPOPMAX", "k", "0"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if err := c.Send("BZMPOP", "0", "1", "k", "MIN", "COUNT", "2"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	doCmd(t, a, "ZADD", "k", "1", "x", "2", "y", "3", "z", "4", "w")
	got, err := b.Receive()
	if err != nil || string(got) != "*3\r\n$1\r\nk\r\n$1\r\nw\r\n$1\r\n4\r\n" {
		t.Fatalf("first client: %q %v", got, err)
	}
	got, err = c.Receive()
	want := "*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\nx\r\n$1\r\n1\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n"
	if err != nil || string(got) != want {
		t.Fatalf("second client: %q %v", got, err)
	}
	if got := doCmd(t, a, "ZRANGE", "k", "0", "-1"); string(got) != "*1\r\n$1\r\nz\r\n" {
		t.Fatalf("left %q", got)
	}
}

// zsCtx returns a Ctx for calling handlers directly on database 0 of s, as
// the dispatcher would with the keyspace held. It runs as inside EXEC, so
// blocking commands answer at once.
func zsCtx(s *Server, name string) *Ctx {
	cl := &client{inExec: true}
	cl.x = Ctx{s: s, cl: cl, W: resp.NewWriter(io.Discard), cmd: router.NewTable().ByName([]byte(name)),
		db: s.ks.dbs[0], exclusive: true}
	return &cl.x
}

// FuzzZsetCommands runs sorted set commands with arbitrary arguments
// against a node's keyspace: nothing may panic, and the reply stream must
// stay well formed.
func FuzzZsetCommands(f *testing.F) {
	for _, seed := range []string{
		"ZADD k 1 a 2 b", "ZADD k NX XX 1 a", "ZRANGE k (1 +inf BYSCORE REV LIMIT 0 2 WITHSCORES",
		"ZRANGEBYLEX k [a (c LIMIT 1 -1", "ZUNIONSTORE d 2 k s WEIGHTS 1 nan", "ZSCAN k -1 COUNT 2 MATCH *",
		"ZMPOP 2 k s MAX COUNT 9", "BZMPOP 0 1 k MIN", "ZRANDMEMBER k -5 WITHSCORES", "ZINTERCARD 2 k k LIMIT 1",
		"ZREMRANGEBYLEX k - +", "ZADD k 0x1p3 \x00", "ZRANGESTORE d k 0 -1", "ZINCRBY k inf a",
	} {
		f.Add(strings.ReplaceAll(seed, " ", "\n"))
	}
	node := startNode(f)
	table := router.NewTable()
	cmds := zsetCommands()
	f.Fuzz(func(t *testing.T, in string) {
		args := strings.Split(in, "\n")
		if len(args) > 40 {
			return
		}
		name := strings.ToLower(args[0])
		sp, ok := cmds[name]
		rc := table.ByName([]byte(name))
		if !ok || rc == nil {
			return
		}
		if rc.Arity > 0 && len(args) != rc.Arity || rc.Arity < 0 && len(args) < -rc.Arity {
			return
		}
		if name == "zrandmember" && len(args) > 2 {
			if n, ok := parseInt([]byte(args[2])); !ok || n < -1000 || n > 1000 {
				return // a reply of |count| members: Redis would write it all too
			}
		}
		var out bytes.Buffer
		x := zsCtx(node, name)
		x.W = resp.NewWriter(&out)
		x.Args = make([][]byte, len(args))
		for i, a := range args {
			x.Args[i] = []byte(a)
		}
		node.ks.mu.Lock()
		x.now = time.Now().UnixMilli()
		sp.fn(x)
		node.ks.mu.Unlock()
		_ = x.W.Flush()
		rest := out.Bytes()
		if len(rest) == 0 {
			t.Fatalf("%q: no reply", args)
		}
		for len(rest) > 0 {
			_, n, err := resp.ParseValue(rest)
			if err != nil || n <= 0 {
				t.Fatalf("%q: bad reply %q: %v", args, out.Bytes(), err)
			}
			rest = rest[n:]
		}
	})
}

func FuzzZsetParse(f *testing.F) {
	for _, s := range []string{"1", "-0", "(1.5", "0x1p-3", "inf", "nan(x)", " 1e5", "[a", "+", "-1", "1e-400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		v, n, _ := zstrtod(b)
		if n < 0 || n > len(b) {
			t.Fatalf("%q: consumed %d", s, n)
		}
		if f, ok := zparseScore(b); ok {
			if f != f || n != len(b) && !zsIsInt(b) {
				t.Fatalf("%q: %v accepted", s, f)
			}
			// Plain decimal forms must agree with Go's parser.
			if g, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xX_") && g != f {
				t.Fatalf("%q: %v, strconv %v", s, f, g)
			}
		}
		_ = v
		_, _ = zparseScoreBound(b)
		_, _ = zparseLexBound(b)
		_, _ = zparseCursor(b)
	})
}

func zsIsInt(b []byte) bool { _, ok := parseInt(b); return ok }

func BenchmarkZAddNew(b *testing.B) {
	node := startNode(b)
	x := zsCtx(node, "zadd")
	node.ks.mu.Lock()
	defer node.ks.mu.Unlock()
	args := [][]byte{[]byte("ZADD"), []byte("bench"), nil, nil}
	sbuf, mbuf := make([]byte, 0, 24), make([]byte, 0, 24)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		args[2] = strconv.AppendInt(sbuf[:0], int64(i%1000), 10)
		args[3] = strconv.AppendInt(append(mbuf[:0], "element:"...), int64(i), 10)
		x.Args = args
		zadd(x, 0)
		i++
	}
}

func BenchmarkZAddUpdate(b *testing.B) {
	node := startNode(b)
	x := zsCtx(node, "zadd")
	node.ks.mu.Lock()
	defer node.ks.mu.Unlock()
	members := make([][]byte, 10000)
	for i := range members {
		members[i] = []byte("element:" + strconv.Itoa(i))
		x.Args = [][]byte{[]byte("ZADD"), []byte("bench"), []byte(strconv.Itoa(i)), members[i]}
		zadd(x, 0)
	}
	args := [][]byte{[]byte("ZADD"), []byte("bench"), nil, nil}
	sbuf := make([]byte, 0, 24)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		args[2] = strconv.AppendFloat(sbuf[:0], float64(i%5000)+0.5, 'g', -1, 64)
		args[3] = members[i%len(members)]
		x.Args = args
		zadd(x, 0)
		i++
	}
}

func BenchmarkZRangeByScore(b *testing.B) {
	node := startNode(b)
	x := zsCtx(node, "zrangebyscore")
	node.ks.mu.Lock()
	defer node.ks.mu.Unlock()
	for i := range 100000 {
		x.Args = [][]byte{[]byte("ZADD"), []byte("bench"), []byte(strconv.Itoa(i)), []byte("element:" + strconv.Itoa(i))}
		zadd(x, 0)
	}
	x.Args = [][]byte{[]byte("ZRANGEBYSCORE"), []byte("bench"), []byte("(5000"), []byte("5010"), []byte("WITHSCORES")}
	b.ReportAllocs()
	for b.Loop() {
		zrange(x, 1, false, zrScore, zdirFwd)
	}
}
