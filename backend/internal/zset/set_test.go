package zset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var (
	negInf  = math.Inf(-1)
	posInf  = math.Inf(1)
	negZero = math.Copysign(0, -1)
)

// build returns a set holding the given member/score pairs.
func build(t *testing.T, pairs ...any) *Set {
	t.Helper()
	s := New()
	for i := 0; i < len(pairs); i += 2 {
		s.Add([]byte(pairs[i].(string)), toFloat(pairs[i+1]))
	}
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	return s
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("score %v", v))
}

// members lists the set in ascending order.
func members(s *Set) []string {
	var out []string
	s.Range(0, false, func(m string, _ float64) bool {
		out = append(out, m)
		return true
	})
	return out
}

// large returns a set with n members m00000… whose scores are i/step, so
// that step consecutive members share a score.
func large(n, step int) *Set {
	s := New()
	for i := range n {
		s.Add(fmt.Appendf(nil, "m%05d", i), float64(i/step))
	}
	return s
}

func TestOrder(t *testing.T) {
	s := build(t,
		"b", 1, "a", 1, "", 1, "ab", 1, "a\x00", 1, "\xff", 0,
		"z", negInf, "y", posInf, "x", -1.5, "w", 0,
	)
	want := []string{"z", "x", "w", "\xff", "", "a", "a\x00", "ab", "b", "y"}
	if got := members(s); !slices.Equal(got, want) {
		t.Fatalf("order = %q, want %q", got, want)
	}
	for i, m := range want {
		if r, ok := s.Rank([]byte(m)); !ok || r != i {
			t.Errorf("Rank(%q) = %d %v, want %d", m, r, ok, i)
		}
		if got, _ := s.ByRank(i); got != m {
			t.Errorf("ByRank(%d) = %q, want %q", i, got, m)
		}
	}
}

func TestAddUpdateRemove(t *testing.T) {
	for _, n := range []int{10, 5000} { // small mode and tree mode
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := large(n, 1)
			buf := []byte("new")
			if !s.Add(buf, 2.5) {
				t.Fatal("Add of a new member reported an update")
			}
			buf[0] = 'X' // the set must hold its own copy
			if _, ok := s.Score([]byte("new")); !ok {
				t.Fatal("member changed with the caller's buffer")
			}
			if s.Add([]byte("new"), 2.5) {
				t.Fatal("re-Add with the same score reported new")
			}
			if s.Add([]byte("new"), float64(n+10)) {
				t.Fatal("score update reported new")
			}
			if r, _ := s.Rank([]byte("new")); r != n {
				t.Fatalf("Rank after moving to the end = %d, want %d", r, n)
			}
			// -0 compares equal to 0: the stored score keeps its sign.
			s.Add([]byte("zero"), 0)
			s.Add([]byte("zero"), negZero)
			if v, _ := s.Score([]byte("zero")); math.Signbit(v) {
				t.Fatal("re-adding -0 over 0 changed the stored score")
			}
			if s.Add([]byte("nan"), math.NaN()) {
				t.Fatal("NaN score accepted")
			}
			if _, ok := s.Score([]byte("nan")); ok {
				t.Fatal("NaN member stored")
			}
			if s.Len() != n+2 {
				t.Fatalf("Len = %d, want %d", s.Len(), n+2)
			}
			if !s.Remove([]byte("new")) || s.Remove([]byte("new")) || s.Remove([]byte("absent")) {
				t.Fatal("Remove results wrong")
			}
			if _, ok := s.Rank([]byte("absent")); ok {
				t.Fatal("Rank of an absent member")
			}
			if err := s.check(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestByRankOutOfRange(t *testing.T) {
	for _, s := range []*Set{New(), large(3, 1), large(1000, 1)} {
		for _, r := range []int{-1, s.Len(), s.Len() + 5, math.MinInt, math.MaxInt} {
			if m, sc := s.ByRank(r); m != "" || sc != 0 {
				t.Errorf("ByRank(%d) on %d members = %q %v", r, s.Len(), m, sc)
			}
		}
		called := false
		s.Range(s.Len(), false, func(string, float64) bool { called = true; return true })
		s.Range(-1, true, func(string, float64) bool { called = true; return true })
		if called {
			t.Error("Range out of range called fn")
		}
	}
}

func TestRange(t *testing.T) {
	s := large(3000, 7)
	var got []string
	s.Range(2990, false, func(m string, _ float64) bool { got = append(got, m); return true })
	if len(got) != 10 || got[0] != "m02990" || got[9] != "m02999" {
		t.Fatalf("ascending tail = %q", got)
	}
	got = got[:0]
	s.Range(1500, true, func(m string, _ float64) bool { got = append(got, m); return len(got) < 3 })
	if !slices.Equal(got, []string{"m01500", "m01499", "m01498"}) {
		t.Fatalf("descending = %q", got)
	}
	got = got[:0]
	s.Range(2, true, func(m string, _ float64) bool { got = append(got, m); return true })
	if !slices.Equal(got, []string{"m00002", "m00001", "m00000"}) {
		t.Fatalf("descending to the start = %q", got)
	}
}

func TestScoreRanges(t *testing.T) {
	inc := func(v float64) ScoreBound { return ScoreBound{Value: v} }
	exc := func(v float64) ScoreBound { return ScoreBound{Value: v, Exclusive: true} }
	cases := []struct {
		min, max           ScoreBound
		first, last, count int // first < 0: empty
	}{
		{inc(negInf), inc(posInf), 0, 6, 7},
		{exc(negInf), exc(posInf), 1, 5, 5},
		{inc(2), inc(2), 2, 4, 3},
		{exc(2), inc(2), -1, 0, 0},
		{inc(2), exc(2), -1, 0, 0},
		{exc(1), exc(3), 2, 4, 3},
		{inc(1), inc(3), 1, 5, 5},
		{inc(1.5), inc(1.7), -1, 0, 0},
		{inc(3), inc(1), -1, 0, 0},
		{inc(posInf), inc(posInf), 6, 6, 1},
		{inc(negInf), inc(negInf), 0, 0, 1},
		{exc(posInf), inc(posInf), -1, 0, 0},
		{inc(4), inc(5), -1, 0, 0},
		{inc(-5), inc(-4), -1, 0, 0},
		{inc(math.NaN()), inc(5), -1, 0, 0},
		{inc(0), inc(negZero), -1, 0, 0},
	}
	// The same cases again with 1000 more members at -inf ("0…" sorts
	// before "a"), which puts the set in tree mode and shifts every rank.
	for _, pad := range []int{0, 1000} {
		s := build(t, "a", negInf, "b", 1, "c", 2, "d", 2, "e", 2, "f", 3, "g", posInf)
		for i := range pad {
			s.Add(fmt.Appendf(nil, "0%04d", i), negInf)
		}
		for _, c := range cases {
			name := fmt.Sprintf("pad %d %v..%v", pad, c.min, c.max)
			first, fok := s.FirstInScoreRange(c.min, c.max)
			last, lok := s.LastInScoreRange(c.min, c.max)
			count := s.CountInScoreRange(c.min, c.max)
			if c.first < 0 {
				if fok || lok || count != 0 {
					t.Errorf("%s: got %d %v, %d %v, %d; want empty", name, first, fok, last, lok, count)
				}
				continue
			}
			wantFirst, wantLast, wantCount := c.first+pad, c.last+pad, c.count
			if c.min.Value == negInf && !c.min.Exclusive {
				wantFirst, wantCount = 0, wantCount+pad
			}
			if !fok || !lok || first != wantFirst || last != wantLast || count != wantCount {
				t.Errorf("%s: got %d %v, %d %v, %d; want %d, %d, %d", name, first, fok, last, lok, count, wantFirst, wantLast, wantCount)
			}
		}
	}
}

func lb(s string) LexBound {
	switch {
	case s == "-":
		return LexBound{Inf: -1}
	case s == "+":
		return LexBound{Inf: 1}
	case s[0] == '(':
		return LexBound{Value: []byte(s[1:]), Exclusive: true}
	}
	return LexBound{Value: []byte(s[1:])}
}

func TestLexRanges(t *testing.T) {
	// The mixed-score expectations are redis-server 7.0.15's answers for a
	// listpack-encoded set: ZRANGEBYLEX gives first and count, ZREVRANGEBYLEX
	// last and rcount. -1 means the command returns nothing.
	equal := []any{"a", 0, "b", 0, "c", 0, "d", 0, "e", 0, "f", 0, "g", 0}
	mixed := []any{"e", 1, "a", 2, "d", 3, "b", 4, "g", 5, "c", 6, "f", 7} // e a d b g c f
	cases := []struct {
		set                        []any
		min, max                   string
		first, count, last, rcount int
	}{
		{equal, "-", "+", 0, 7, 6, 7},
		{equal, "[b", "[d", 1, 3, 3, 3},
		{equal, "(b", "(d", 2, 1, 2, 1},
		{equal, "(b", "(c", -1, 0, -1, 0},
		{equal, "[c", "[c", 2, 1, 2, 1},
		{equal, "(c", "[c", -1, 0, -1, 0},
		{equal, "[d", "[b", -1, 0, -1, 0},
		{equal, "+", "+", -1, 0, -1, 0},
		{equal, "-", "-", -1, 0, -1, 0},
		{equal, "+", "-", -1, 0, -1, 0},
		{equal, "[bb", "[e", 2, 3, 4, 3},
		{equal, "[", "[a", 0, 1, 0, 1},
		{equal, "(g", "+", -1, 0, -1, 0},
		{equal, "-", "(a", -1, 0, -1, 0},
		{mixed, "-", "+", 0, 7, 6, 7},
		{mixed, "[b", "[d", -1, 0, -1, 0}, // the first member, e, is above max
		{mixed, "[a", "[c", -1, 0, -1, 0},
		{mixed, "[c", "[e", 0, 4, 5, 2}, // e a d b; c g
		{mixed, "(e", "+", 4, 3, 6, 1},  // g c f; f
		{mixed, "-", "(b", -1, 0, -1, 0},
		{mixed, "[f", "[g", 4, 3, 6, 1},  // g c f; f
		{mixed, "[e", "[e", 0, 4, -1, 0}, // e a d b; the last member <= e is c, below min
		{mixed, "[b", "[b", -1, 0, -1, 0},
	}
	for _, c := range cases {
		s := build(t, c.set...)
		min, max := lb(c.min), lb(c.max)
		name := fmt.Sprintf("%v %s %s", members(s), c.min, c.max)
		first, fok := s.FirstInLexRange(min, max)
		last, lok := s.LastInLexRange(min, max)
		count, rcount := s.CountInLexRange(min, max), s.RevCountInLexRange(min, max)
		if fok != (c.first >= 0) || (fok && first != c.first) || count != c.count {
			t.Errorf("%s: First = %d %v, Count = %d; want %d, %d", name, first, fok, count, c.first, c.count)
		}
		if lok != (c.last >= 0) || (lok && last != c.last) || rcount != c.rcount {
			t.Errorf("%s: Last = %d %v, RevCount = %d; want %d, %d", name, last, lok, rcount, c.last, c.rcount)
		}
	}
}

// TestLexMixedLarge drives the tree's member-bound searches on a set whose
// member order is scrambled relative to set order.
func TestLexMixedLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	s, m := New(), &model{}
	scores := map[string]float64{}
	for i := range 20000 {
		member := fmt.Sprintf("%05d", r.IntN(100000))
		score := float64(r.IntN(50))
		if i%1000 == 0 {
			score = posInf
		}
		s.Add([]byte(member), score)
		scores[member] = score
	}
	for member, score := range scores {
		m.items = append(m.items, item{member, score})
	}
	slices.SortFunc(m.items, func(a, b item) int { return cmpKey(a.score, a.member, b.score, b.member) })
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	for range 300 {
		a, b := r.IntN(100001), r.IntN(100001)
		min := LexBound{Value: fmt.Appendf(nil, "%05d", min(a, b)), Exclusive: r.IntN(2) == 0}
		max := LexBound{Value: fmt.Appendf(nil, "%05d", max(a, b)), Exclusive: r.IntN(2) == 0}
		if f, ok := s.FirstInLexRange(min, max); true {
			wf, wok := m.firstLex(min, max)
			if ok != wok || (ok && f != wf) {
				t.Fatalf("First(%s %s) = %d %v, want %d %v", fmtLex(min), fmtLex(max), f, ok, wf, wok)
			}
		}
		if l, ok := s.LastInLexRange(min, max); true {
			wl, wok := m.lastLex(min, max)
			if ok != wok || (ok && l != wl) {
				t.Fatalf("Last(%s %s) = %d %v, want %d %v", fmtLex(min), fmtLex(max), l, ok, wl, wok)
			}
		}
		if got, want := s.CountInLexRange(min, max), m.countLex(min, max); got != want {
			t.Fatalf("Count(%s %s) = %d, want %d", fmtLex(min), fmtLex(max), got, want)
		}
		if got, want := s.RevCountInLexRange(min, max), m.revCountLex(min, max); got != want {
			t.Fatalf("RevCount(%s %s) = %d, want %d", fmtLex(min), fmtLex(max), got, want)
		}
	}
}

func TestDeleteRangeByRank(t *testing.T) {
	cases := []struct {
		n, start, stop int
		removed        int
	}{
		{10, 2, 4, 3},
		{10, -5, 2, 3},
		{10, 8, 100, 2},
		{10, 5, 4, 0},
		{10, 10, 12, 0},
		{10, 0, 9, 10},
		{5000, 0, 4999, 5000},
		{5000, 0, 0, 1},
		{5000, 4999, 4999, 1},
		{5000, 1, 4998, 4998},
		{5000, 100, 4000, 3901},
		{5000, 2000, 2100, 101},
		{5000, 0, 4950, 4951},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d[%d,%d]", c.n, c.start, c.stop), func(t *testing.T) {
			s := large(c.n, 3)
			want := members(s)
			lo, hi := max(c.start, 0), min(c.stop, c.n-1)
			var gone []string
			if lo <= hi {
				gone = slices.Clone(want[lo : hi+1])
				want = slices.Delete(want, lo, hi+1)
			}
			var seen []string
			got := s.DeleteRangeByRank(c.start, c.stop, func(m string, _ float64) { seen = append(seen, m) })
			if got != c.removed || !slices.Equal(seen, gone) {
				t.Fatalf("removed %d %q, want %d %q", got, seen, c.removed, gone)
			}
			if err := s.check(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(members(s), want) {
				t.Fatal("remaining members differ")
			}
			for _, m := range gone {
				if _, ok := s.Score([]byte(m)); ok {
					t.Fatalf("%q still scored", m)
				}
			}
			// The set stays usable.
			s.Add([]byte("again"), 1)
			if err := s.check(); err != nil {
				t.Fatal(err)
			}
		})
	}
	if New().DeleteRangeByRank(0, 10, nil) != 0 {
		t.Error("deleting from an empty set removed something")
	}
	s := large(300, 1)
	if s.DeleteRangeByRank(10, 20, nil) != 11 || s.Len() != 289 {
		t.Error("nil callback")
	}
}

func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	if m, sc := New().Random(r); m != "" || sc != 0 {
		t.Fatal("Random on an empty set")
	}
	for _, n := range []int{5, 2000} {
		s := large(n, 1)
		hits := make(map[string]int)
		draws := 40 * n
		for range draws {
			m, sc := s.Random(r)
			if got, _ := s.Score([]byte(m)); got != sc {
				t.Fatalf("Random returned %q %v, stored %v", m, sc, got)
			}
			hits[m]++
		}
		if len(hits) < n*9/10 {
			t.Errorf("%d members: only %d seen in %d draws", n, len(hits), draws)
		}
		for m, h := range hits {
			if h > 120 && n > 5 || h > 40*2*5 {
				t.Errorf("%q drawn %d times of %d", m, h, draws)
			}
		}
	}
}

func TestShrinkBackToSmall(t *testing.T) {
	s := large(20000, 1)
	if s.root == nil {
		t.Fatal("20000 members not in tree mode")
	}
	keep := min(10, leafMin)
	for i := range 20000 - keep {
		s.Remove(fmt.Appendf(nil, "m%05d", i))
		if i%1000 == 0 {
			if err := s.check(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s.root != nil || s.Len() != keep {
		t.Fatalf("after shrinking to %d: root %v, Len %d", keep, s.root != nil, s.Len())
	}
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
}

func TestNoAllocs(t *testing.T) {
	for _, s := range []*Set{large(50, 5), large(50000, 5)} {
		member := []byte("m01234")
		if s.Len() < 1234 {
			member = []byte("m00012")
		}
		lo, hi := ScoreBound{Value: 3}, ScoreBound{Value: 9, Exclusive: true}
		lmin, lmax := LexBound{Value: []byte("m00010")}, LexBound{Value: []byte("m00020"), Exclusive: true}
		checks := map[string]func(){
			"Score":              func() { s.Score(member) },
			"Rank":               func() { s.Rank(member) },
			"ByRank":             func() { s.ByRank(7) },
			"Add existing":       func() { s.Add(member, 1); s.Add(member, 2) },
			"FirstInScoreRange":  func() { s.FirstInScoreRange(lo, hi) },
			"LastInScoreRange":   func() { s.LastInScoreRange(lo, hi) },
			"CountInScoreRange":  func() { s.CountInScoreRange(lo, hi) },
			"FirstInLexRange":    func() { s.FirstInLexRange(lmin, lmax) },
			"LastInLexRange":     func() { s.LastInLexRange(lmin, lmax) },
			"CountInLexRange":    func() { s.CountInLexRange(lmin, lmax) },
			"RevCountInLexRange": func() { s.RevCountInLexRange(lmin, lmax) },
			"Range":              func() { s.Range(3, false, func(string, float64) bool { return true }) },
		}
		for name, f := range checks {
			if a := testing.AllocsPerRun(50, f); a != 0 {
				t.Errorf("%d members: %s allocates %v times", s.Len(), name, a)
			}
		}
	}
}
