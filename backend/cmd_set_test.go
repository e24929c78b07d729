package backend

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func TestIntset(t *testing.T) {
	tests := []struct {
		name  string
		add   []int64
		del   []int64
		want  []int64
		width int
	}{
		{"empty", nil, nil, nil, 0},
		{"sorted", []int64{5, -3, 1, 5, 0}, nil, []int64{-3, 0, 1, 5}, 2},
		{"16 bits", []int64{math.MinInt16, math.MaxInt16}, nil, []int64{math.MinInt16, math.MaxInt16}, 2},
		{"32 bits", []int64{1, math.MaxInt16 + 1, -1}, nil, []int64{-1, 1, math.MaxInt16 + 1}, 4},
		{"32 bits low", []int64{1, math.MinInt16 - 1}, nil, []int64{math.MinInt16 - 1, 1}, 4},
		{"64 bits", []int64{7, math.MinInt64, math.MaxInt64, math.MaxInt32 + 1}, nil,
			[]int64{math.MinInt64, 7, math.MaxInt32 + 1, math.MaxInt64}, 8},
		{"remove", []int64{1, 2, 3, 4}, []int64{1, 4, 9}, []int64{2, 3}, 2},
		{"width stays", []int64{1, 1 << 40}, []int64{1 << 40}, []int64{1}, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var is intset
			for _, v := range tc.add {
				is.add(v)
			}
			for _, v := range tc.del {
				is.remove(v)
			}
			var got []int64
			for i := range is.len() {
				got = append(got, is.at(i))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("members %v, want %v", got, tc.want)
			}
			if is.width != tc.width {
				t.Fatalf("width %d, want %d", is.width, tc.width)
			}
			for _, v := range tc.want {
				if !is.has(v) {
					t.Fatalf("has(%d) false", v)
				}
			}
			if is.has(12345678) {
				t.Fatal("has a member never added")
			}
		})
	}
}

// setOps replays random operations from r on a set and a map model.
func setOps(t *testing.T, r func(n int) int, steps int, lim hsLimits) {
	s := &setValue{}
	model := map[string]bool{}
	wasDict := false
	members := []string{"-1", "0", "1", "2", "300", "70000", "-5000000000", "9223372036854775807", "-9223372036854775808", "a", "", "01", "+1", "-0"}
	for range steps {
		var m string
		if r(3) == 0 {
			m = members[r(len(members))]
		} else {
			m = strconv.Itoa(r(40) - 20)
		}
		switch r(3) {
		case 0, 1:
			if got, want := s.add([]byte(m), lim), !model[m]; got != want {
				t.Fatalf("add %q: %v, want %v", m, got, want)
			}
			model[m] = true
		default:
			if got, want := s.remove([]byte(m)), model[m]; got != want {
				t.Fatalf("remove %q: %v, want %v", m, got, want)
			}
			delete(model, m)
		}
		if wasDict && s.d == nil {
			t.Fatal("a hash table went back to an intset")
		}
		wasDict = s.d != nil
		checkSet(t, s, model)
	}
}

func checkSet(t *testing.T, s *setValue, model map[string]bool) {
	t.Helper()
	if s.len() != len(model) {
		t.Fatalf("len %d, want %d", s.len(), len(model))
	}
	var got []string
	var ints []int64
	for m := range s.all() {
		if !model[string(m)] {
			t.Fatalf("member %q not in the model", m)
		}
		got = append(got, string(m))
		if s.d == nil {
			v, ok := parseInt(m)
			if !ok {
				t.Fatalf("intset member %q", m)
			}
			ints = append(ints, v)
		}
	}
	if s.d == nil && !slices.IsSorted(ints) {
		t.Fatalf("intset out of order: %v", ints)
	}
	for m := range model {
		if !s.has([]byte(m)) {
			t.Fatalf("has %q false", m)
		}
	}
	if s.d == nil && len(slices.Compact(slices.Clone(ints))) != len(ints) {
		t.Fatalf("intset repeats: %v", ints)
	}
}

func TestSetValueRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 20 {
		setOps(t, r.IntN, 500, hsLimits{setEntries: 4 + i})
	}
}

func FuzzSetValue(f *testing.F) {
	f.Add([]byte("\x00\x01\x02\x03\x04\x05"))
	f.Add(bytes.Repeat([]byte{1, 9, 0, 3, 2, 5}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		setOps(t, fuzzChooser(data), len(data)/2, hsLimits{setEntries: 6})
	})
}

func TestSetEncoding(t *testing.T) {
	lim := hsLimits{setEntries: 3}
	tests := []struct {
		name    string
		members []string
		enc     string
	}{
		{"ints", []string{"1", "-2", "3"}, "intset"},
		{"too many", []string{"1", "2", "3", "4"}, "hashtable"},
		{"duplicates do not count", []string{"1", "2", "3", "3", "1"}, "intset"},
		{"not canonical", []string{"01"}, "hashtable"},
		{"plus", []string{"+1"}, "hashtable"},
		{"too big", []string{"9223372036854775808"}, "hashtable"},
		{"text", []string{"1", "a"}, "hashtable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetFor([]byte(tc.members[0]))
			for _, m := range tc.members {
				s.add([]byte(m), lim)
			}
			if got := s.encoding(nil); got != tc.enc {
				t.Fatalf("encoding %s, want %s", got, tc.enc)
			}
		})
	}
	if newSetFor([]byte("x")).encoding(nil) != "hashtable" || newSetFor([]byte("-7")).encoding(nil) != "intset" {
		t.Fatal("setTypeCreate: the first member decides the encoding")
	}
}

func TestSetCopyValue(t *testing.T) {
	for _, members := range [][]string{{"1", "2", "3"}, {"a", "b", "c"}} {
		s := newSetFor([]byte(members[0]))
		for _, m := range members {
			s.add([]byte(m), hsDefaultLimits)
		}
		c := s.copyValue().(*setValue)
		if c.encoding(nil) != s.encoding(nil) || c.len() != 3 {
			t.Fatalf("copy: %s/%d", c.encoding(nil), c.len())
		}
		c.remove([]byte(members[0]))
		c.add([]byte("9"), hsDefaultLimits)
		if !s.has([]byte(members[0])) || s.has([]byte("9")) {
			t.Fatal("copy shares data with the original")
		}
	}
}

func TestDistinctIndexes(t *testing.T) {
	for _, tc := range []struct{ n, count int }{{10, 1}, {10, 3}, {10, 4}, {10, 9}, {1000, 5}, {1000, 999}} {
		for range 50 {
			got := distinctIndexes(tc.n, tc.count)
			if len(got) != tc.count {
				t.Fatalf("%d of %d: %d indexes", tc.count, tc.n, len(got))
			}
			seen := map[int]bool{}
			for _, i := range got {
				if i < 0 || i >= tc.n || seen[i] {
					t.Fatalf("%d of %d: bad or repeated index %d in %v", tc.count, tc.n, i, got)
				}
				seen[i] = true
			}
		}
	}
}

func TestSrandmemberSpopAlgorithms(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	for _, tc := range []struct {
		name    string
		members []string
	}{
		{"intset", []string{"5", "1", "3", "2", "4"}},
		{"hashtable", []string{"a", "b", "c", "d", "e"}},
		{"big", func() []string {
			var out []string
			for i := range 700 {
				out = append(out, "m"+strconv.Itoa(i))
			}
			return out
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.members)
			all := slices.Sorted(slices.Values(tc.members))
			key := "s-" + tc.name
			hsDo(t, c, append([]string{"SADD", key}, tc.members...)...)
			// count >= size: every member once.
			for _, count := range []int{n, n + 1, 100 * n} {
				got := hsDo(t, c, "SRANDMEMBER", key, strconv.Itoa(count))
				if tc.name == "intset" && !slices.Equal(got, []string{"1", "2", "3", "4", "5"}) {
					t.Fatalf("count %d: %q, want numeric order", count, got)
				}
				slices.Sort(got)
				if !slices.Equal(got, all) {
					t.Fatalf("count %d: %q", count, got)
				}
			}
			// 0 < count < size: distinct members.
			for _, count := range []int{1, 2, n / 2, n - 1} {
				for range 20 {
					got := hsDo(t, c, "SRANDMEMBER", key, strconv.Itoa(count))
					if len(got) != count || len(slices.Compact(slices.Sorted(slices.Values(got)))) != count {
						t.Fatalf("count %d: %q not %d distinct members", count, got, count)
					}
					for _, m := range got {
						if !slices.Contains(all, m) {
							t.Fatalf("unknown member %q", m)
						}
					}
				}
			}
			// Negative: |count| picks with repeats.
			got := hsDo(t, c, "SRANDMEMBER", key, strconv.Itoa(-3*n))
			if len(got) != 3*n || len(slices.Compact(slices.Sorted(slices.Values(got)))) == 3*n {
				t.Fatalf("count %d: %d picks, repeats expected", -3*n, len(got))
			}
			// SPOP takes distinct members out until none is left, whichever
			// of Redis's strategies a count picks.
			var popped []string
			for _, count := range []int{1, n / 5, n / 3, 1} {
				got := hsDo(t, c, "SPOP", key, strconv.Itoa(count))
				if len(got) != count {
					t.Fatalf("SPOP %d: %d members", count, len(got))
				}
				popped = append(popped, got...)
				left := hsDo(t, c, "SCARD", key)
				if left[0] != strconv.Itoa(n-len(popped)) {
					t.Fatalf("SCARD %s after %d pops", left[0], len(popped))
				}
				for _, m := range got {
					if hsDo(t, c, "SISMEMBER", key, m)[0] != "0" {
						t.Fatalf("%q popped but still a member", m)
					}
				}
			}
			popped = append(popped, hsDo(t, c, "SPOP", key)...)
			popped = append(popped, hsDo(t, c, "SPOP", key, strconv.Itoa(n))...)
			if hsDo(t, c, "EXISTS", key)[0] != "0" {
				t.Fatal("the set outlived its last member")
			}
			slices.Sort(popped)
			if !slices.Equal(popped, all) {
				t.Fatalf("popped %d members, not each once", len(popped))
			}
		})
	}
}

// An intset's survivors of SPOP's "move the rest" strategy form a new set
// whose encoding follows its first member, as Redis's setTypeCreate does.
func TestSpopRebuildsSurvivors(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	hsDo(t, c, "SADD", "k", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "x")
	hsDo(t, c, "SREM", "k", "x")
	hsDo(t, c, "EXPIRE", "k", "100")
	if got := hsDo(t, c, "OBJECT", "ENCODING", "k")[0]; got != "hashtable" {
		t.Fatalf("encoding %s", got)
	}
	hsDo(t, c, "SPOP", "k", "8")
	if got := hsDo(t, c, "OBJECT", "ENCODING", "k")[0]; got != "intset" {
		t.Fatalf("survivors encoded %s, want intset", got)
	}
	if got := hsDo(t, c, "SCARD", "k")[0]; got != "2" {
		t.Fatalf("SCARD %s", got)
	}
	if ttl := hsDo(t, c, "TTL", "k")[0]; ttl == "-1" {
		t.Fatal("SPOP dropped the TTL")
	}
}

func TestSetKeyspaceEvents(t *testing.T) {
	sameKeyevents(t, [][]string{
		{"SADD", "s1", "1", "2", "3"},
		{"SADD", "s1", "1"},
		{"SADD", "s2", "3", "4"},
		{"SREM", "s1", "9"},
		{"SMOVE", "s1", "s2", "3"},
		{"SMOVE", "s1", "s2", "1"},
		{"SMOVE", "s1", "s2", "9"},
		{"SMOVE", "s1", "s1", "2"},
		{"SMOVE", "s1", "new", "2"},
		{"SPOP", "s2", "0"},
		{"SPOP", "s2", "1"},
		{"SPOP", "s2", "10"},
		{"SADD", "p", "a"},
		{"SPOP", "p"},
		{"SADD", "x", "1", "2"},
		{"SADD", "y", "2", "3"},
		{"SINTERSTORE", "d", "x", "y"},
		{"SINTERSTORE", "d", "x", "nokey"},
		{"SINTERSTORE", "d", "x", "nokey"},
		{"SUNIONSTORE", "d", "x", "y"},
		{"SDIFFSTORE", "d", "x", "x"},
		{"SDIFFSTORE", "d", "x", "y"},
		{"SET", "d", "str"},
		{"SUNIONSTORE", "d", "nokey"},
		{"SREM", "x", "1", "2", "3"},
		{"SINTER", "nokey", "y"},
		{"SRANDMEMBER", "nokey"},
		{"SADD", "d", "1"},
	})
}

func BenchmarkSetAddIntset(b *testing.B) {
	b.ReportAllocs()
	members := make([][]byte, 500)
	for i := range members {
		members[i] = []byte(strconv.Itoa(i * 7))
	}
	s := &setValue{}
	for i := range b.N {
		s.add(members[i%len(members)], hsDefaultLimits)
	}
}

func BenchmarkSetIsMemberDict(b *testing.B) {
	b.ReportAllocs()
	members := make([][]byte, 10000)
	s := newSetFor([]byte("m"))
	for i := range members {
		members[i] = []byte("member" + strconv.Itoa(i))
		s.add(members[i], hsDefaultLimits)
	}
	b.ResetTimer()
	for i := range b.N {
		if !s.has(members[i%len(members)]) {
			b.Fatal("missing")
		}
	}
}
