package backend

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
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

// sortData fills a server with the keys the random SORT commands read:
// a list with repeats, an intset, a hash-table set, a sorted set, and
// weights as strings and hash fields, with ties and gaps.
func sortData(r *rand.Rand) [][]string {
	pool := []string{"1", "2", "3", "10", "-4", "2.5", "0", "-0", "7", "x", "y", "apple", "Banana", "20", "03", "1e2"}
	var cmds [][]string
	// Words make numeric sorts fail: only some lists have them.
	numeric := []string{"1", "2", "3", "10", "-4", "2.5", "0", "-0", "7", "20", "03", "1e2"}
	from := numeric
	if r.IntN(3) == 0 {
		from = pool
	}
	list := []string{"RPUSH", "l"}
	for range 40 + r.IntN(40) {
		list = append(list, from[r.IntN(len(from))])
	}
	cmds = append(cmds, list)
	cmds = append(cmds, []string{"SADD", "si", "5", "-3", "100", "7", "42", "0", "9"})
	cmds = append(cmds, []string{"SADD", "sh", "1", "2", "3", "10", "-4", "03", "1e2", "2.5"})
	if r.IntN(3) == 0 {
		cmds = append(cmds, []string{"SADD", "sh", "x", "apple", "Banana"})
	}
	cmds = append(cmds, []string{"ZADD", "z", "3", "1", "1", "2", "2", "3", "2", "10", "5", "x", "0", "y", "-1", "apple"})
	weights := []string{"1", "2", "3", "-1", "2.5", "10", "", " 4", "0x10", "1", "2", "3"}
	alphas := []string{"a", "b", "c", "B", ""}
	elems := append(slices.Clone(pool), "5", "-3", "100", "42", "9")
	for i, e := range elems {
		// Unique numeric weights for the hash-ordered sets, whose ties
		// Redis breaks in hash-table order; repeats for everything else.
		uniq := strconv.Itoa(i*7%23) + "." + strconv.Itoa(i)
		if r.IntN(6) > 0 {
			cmds = append(cmds, []string{"SET", "w_" + e, weights[r.IntN(len(weights))]})
		}
		cmds = append(cmds, []string{"SET", "u_" + e, uniq})
		if r.IntN(5) > 0 {
			cmds = append(cmds, []string{"SET", "a_" + e, alphas[r.IntN(len(alphas))]})
		}
		if r.IntN(4) > 0 {
			cmds = append(cmds, []string{"HSET", "h_" + e, "f", weights[r.IntN(len(weights))], "g", alphas[r.IntN(len(alphas))], "u", uniq})
		}
	}
	return cmds
}

// sortRandomCommand makes a SORT command whose reply Redis determines: on
// a hash-ordered collection (sh, z when sorted) it avoids what would show
// that order (ALPHA ties through BY, BY constant on sh without STORE).
func sortRandomCommand(r *rand.Rand) []string {
	keys := []string{"l", "l", "l", "si", "sh", "z", "nosuch", "w_1"}
	key := keys[r.IntN(len(keys))]
	hashOrdered := key == "sh" || key == "z"
	cmd := []string{"SORT", key}
	if r.IntN(5) == 0 {
		cmd[0] = "SORT_RO"
	}
	alpha := r.IntN(3) == 0
	store := cmd[0] == "SORT" && r.IntN(4) == 0
	bys := []string{"", "", "nosort", "w_*", "h_*->f", "a_*", "h_*->g", "u_*", "h_*->u"}
	by := bys[r.IntN(len(bys))]
	if hashOrdered {
		switch {
		case alpha && by != "" && by != "nosort":
			by = ""
		case !alpha && (by == "w_*" || by == "h_*->f" || by == "a_*" || by == "h_*->g"):
			by = "u_*"
		case key == "sh" && by == "nosort" && !store:
			by = ""
		}
	}
	if by != "" {
		cmd = append(cmd, "BY", by)
	}
	if alpha {
		cmd = append(cmd, "ALPHA")
	}
	if r.IntN(2) == 0 {
		cmd = append(cmd, []string{"ASC", "DESC"}[r.IntN(2)])
	}
	if r.IntN(2) == 0 {
		cmd = append(cmd, "LIMIT", strconv.Itoa(r.IntN(12)-2), strconv.Itoa(r.IntN(14)-2))
	}
	gets := []string{"#", "w_*", "h_*->g", "nosuch_*", "h_*->nosuch", "nostar"}
	for range r.IntN(3) {
		cmd = append(cmd, "GET", gets[r.IntN(len(gets))])
	}
	if store {
		cmd = append(cmd, "STORE", "dst")
	}
	// Shuffle nothing: option order matters only for repeated options.
	return cmd
}

// TestSortDifferential runs random SORT commands against a real
// redis-server and a keyslot node, in RESP2 and RESP3, and compares the
// replies byte for byte.
func TestSortDifferential(t *testing.T) {
	ref := redistest.Start(t, redistest.Options{})
	node := startNode(t)
	conns := func(addr string) (c2, c3 *redistest.Conn) {
		c2, c3 = dialNode(t, addr), dialNode(t, addr)
		doCmd(t, c3, "HELLO", "3")
		return c2, c3
	}
	ref2, ref3 := conns(ref.Addr)
	ks2, ks3 := conns(node.Addr().String())
	var results, errs int
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 99))
		data := sortData(r)
		for _, c := range []*redistest.Conn{ref2, ks2} {
			doCmd(t, c, "FLUSHALL")
			for _, cmd := range data {
				doCmd(t, c, cmd...)
			}
		}
		for range 300 {
			cmd := sortRandomCommand(r)
			for _, pair := range [][2]*redistest.Conn{{ref2, ks2}, {ref3, ks3}} {
				want, got := doCmd(t, pair[0], cmd...), doCmd(t, pair[1], cmd...)
				if want[0] == '-' {
					errs++
				} else if !bytes.HasPrefix(want, []byte("*0\r\n")) && !bytes.HasPrefix(want, []byte(":0\r\n")) {
					results++
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("seed %d: %q:\nkeyslot %.400q\nredis   %.400q", seed, cmd, got, want)
				}
				if cmd[len(cmd)-2] == "STORE" {
					want, got = doCmd(t, pair[0], "LRANGE", "dst", "0", "-1"), doCmd(t, pair[1], "LRANGE", "dst", "0", "-1")
					if !bytes.Equal(got, want) {
						t.Fatalf("seed %d: after %q: LRANGE dst:\nkeyslot %.400q\nredis   %.400q", seed, cmd, got, want)
					}
				}
			}
		}
	}
	// The commands must mostly produce results, not errors or nothing.
	if results < 2*errs || results < 2000 {
		t.Errorf("%d non-empty results, %d errors: the commands exercise too little", results, errs)
	}
	t.Logf("%d non-empty results, %d errors", results, errs)
}

// TestSortPartial checks the partial sort against a full sort: where the
// keys are distinct, positions lo..hi must hold the same elements.
func TestSortPartial(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cmp := func(a, b *sortEntry) int {
		switch {
		case a.score < b.score:
			return -1
		case a.score > b.score:
			return 1
		}
		return 0
	}
	for range 2000 {
		n := 1 + r.IntN(120)
		v := make([]sortEntry, n)
		for i, p := range r.Perm(n) {
			v[i].score = float64(p)
		}
		lo := r.IntN(n)
		hi := lo + r.IntN(n-lo)
		sortPartial(v, lo, hi, cmp)
		for i := lo; i <= hi; i++ {
			if v[i].score != float64(i) {
				t.Fatalf("n %d, lo %d, hi %d: position %d holds %v", n, lo, hi, i, v[i].score)
			}
		}
	}
}

// TestSortPartialTies checks where the partial sort puts equal elements
// against orders Redis 7.0.15 gave for SORT tie BY tw_* ALPHA LIMIT, whose
// weights tie three ways (a missing weight sorts first).
func TestSortPartialTies(t *testing.T) {
	vals := []int{25, 23, 19, 11, 4, 45, 26, 9, 29, 16, 31, 21, 12, 3, 39, 38, 10, 24, 35, 0, 43, 18, 33, 48, 41,
		30, 28, 20, 22, 42, 46, 36, 32, 44, 13, 49, 47, 2, 27, 37, 5, 34, 6, 8, 14, 15, 17, 1, 7, 40}
	for _, tc := range []struct {
		desc      bool
		lo, count int
		want      string
	}{
		{false, 3, 10, "42 35 0 14 28 3 39 27 45 24"},
		{true, 17, 9, "16 31 10 43 22 46 13 37 34"},
	} {
		v := make([]sortEntry, len(vals))
		for i, e := range vals {
			v[i].elem = []byte(strconv.Itoa(e))
			if e%7 != 0 {
				v[i].cmp, v[i].hasCmp = []byte{"abc"[e%3]}, true
			}
		}
		r := &sortRequest{alpha: true, desc: tc.desc, by: []byte("tw_*")}
		sortPartial(v, tc.lo, tc.lo+tc.count-1, r.compare)
		var got []string
		for _, e := range v[tc.lo : tc.lo+tc.count] {
			got = append(got, string(e.elem))
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("desc %v LIMIT %d %d: %s, Redis gives %s", tc.desc, tc.lo, tc.count, s, tc.want)
		}
	}
}

func TestSortParseScore(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"3", 3, true},
		{"-0", 0, true},
		{"", 0, true},
		{" 5", 5, true},
		{"\t7", 7, true},
		{"+3", 3, true},
		{".5", 0.5, true},
		{"5.", 5, true},
		{"1e3", 1000, true},
		{"0x10", 16, true},
		{"0X1P+2", 4, true},
		{"0x1.8", 1.5, true},
		{"12\x00ab", 12, true},
		{"inf", math.Inf(1), true},
		{"-inf", math.Inf(-1), true},
		{"Infinity", math.Inf(1), true},
		{"1e308", 1e308, true},
		{"2.2250738585072014e-308", 2.2250738585072014e-308, true},
		{"0x1p-1074", 0x1p-1074, true},
		{"5 ", 0, false},
		{"  ", 0, false},
		{"nan", 0, false},
		{"nan(123)", 0, false},
		{"1_000", 0, false},
		{"infinityx", 0, false},
		{"0x", 0, false},
		{"-", 0, false},
		{"e5", 0, false},
		{"1e", 0, false},
		{"abc", 0, false},
		{"1e309", 0, false},
		{"1e-400", 0, false},
		{"1e-310", 0, false},
		{"4.9e-324", 0, false},
	} {
		got, ok := sortParseScore([]byte(tc.in))
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%q: %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// sortBench runs SORT through its handler in-process, with the keyspace
// lock as the dispatcher would hold it.
func sortBench(b *testing.B, setup [][]string, args ...string) {
	s, err := New(DefaultConfig(), zap.NewNop(), prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	table := router.NewTable()
	sets := []commandSet{sortCommands(), listCommands(), stringCommands(), hashCommands()}
	var out bytes.Buffer
	x := &Ctx{s: s, W: resp.NewWriter(&out), db: s.ks.dbs[0], exclusive: true}
	run := func(args []string) {
		x.Args = x.Args[:0]
		for _, a := range args {
			x.Args = append(x.Args, []byte(a))
		}
		x.cmd = table.ByName(x.Args[0])
		x.now = time.Now().UnixMilli()
		for _, set := range sets {
			if sp, ok := set[x.cmd.Name]; ok {
				sp.fn(x)
			}
		}
		_ = x.W.Flush()
		out.Reset()
	}
	s.ks.mu.Lock()
	defer s.ks.mu.Unlock()
	for _, c := range setup {
		run(c)
	}
	b.ReportAllocs()
	for b.Loop() {
		run(args)
	}
}

func sortBenchData(n int) [][]string {
	r := rand.New(rand.NewPCG(3, 4))
	push := []string{"RPUSH", "l"}
	var cmds [][]string
	for i := range n {
		e := strconv.Itoa(r.IntN(1000000))
		push = append(push, e)
		if i%10 == 0 {
			cmds = append(cmds, []string{"SET", "w_" + e, strconv.Itoa(r.IntN(100))})
		}
	}
	return append([][]string{push}, cmds...)
}

func BenchmarkSortNumeric1000(b *testing.B) {
	sortBench(b, sortBenchData(1000), "SORT", "l")
}

func BenchmarkSortByPatternLimit1000(b *testing.B) {
	sortBench(b, sortBenchData(1000), "SORT", "l", "BY", "w_*", "LIMIT", "0", "10", "GET", "#", "GET", "w_*")
}

func BenchmarkSortAlphaStore1000(b *testing.B) {
	sortBench(b, sortBenchData(1000), "SORT", "l", "ALPHA", "STORE", "dst")
}
