package zset

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// model is the obvious sorted slice, with every query answered by a linear
// scan written independently of the package's code.
type model struct {
	items []item
}

func modelLess(a, b item) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.member < b.member
}

func (m *model) index(member string) int {
	for i, it := range m.items {
		if it.member == member {
			return i
		}
	}
	return -1
}

func (m *model) add(member string, score float64) bool {
	i := m.index(member)
	if i >= 0 {
		if m.items[i].score == score {
			return false
		}
		m.items = slices.Delete(m.items, i, i+1)
	}
	it := item{member, score}
	p := 0
	for p < len(m.items) && modelLess(m.items[p], it) {
		p++
	}
	m.items = slices.Insert(m.items, p, it)
	return i < 0
}

func (m *model) remove(member string) bool {
	i := m.index(member)
	if i < 0 {
		return false
	}
	m.items = slices.Delete(m.items, i, i+1)
	return true
}

func inMin(score float64, b ScoreBound) bool {
	if b.Exclusive {
		return score > b.Value
	}
	return score >= b.Value
}

func inMax(score float64, b ScoreBound) bool {
	if b.Exclusive {
		return score < b.Value
	}
	return score <= b.Value
}

func (m *model) firstScore(min, max ScoreBound) (int, bool) {
	for i, it := range m.items {
		if inMin(it.score, min) && inMax(it.score, max) {
			return i, true
		}
	}
	return 0, false
}

func (m *model) lastScore(min, max ScoreBound) (int, bool) {
	for i := len(m.items) - 1; i >= 0; i-- {
		if inMin(m.items[i].score, min) && inMax(m.items[i].score, max) {
			return i, true
		}
	}
	return 0, false
}

func (m *model) countScore(min, max ScoreBound) int {
	c := 0
	for _, it := range m.items {
		if inMin(it.score, min) && inMax(it.score, max) {
			c++
		}
	}
	return c
}

func lexGE(member string, b LexBound) bool {
	switch {
	case b.Inf < 0:
		return true
	case b.Inf > 0:
		return false
	case b.Exclusive:
		return member > string(b.Value)
	default:
		return member >= string(b.Value)
	}
}

func lexLE(member string, b LexBound) bool {
	switch {
	case b.Inf > 0:
		return true
	case b.Inf < 0:
		return false
	case b.Exclusive:
		return member < string(b.Value)
	default:
		return member <= string(b.Value)
	}
}

// lexRangeEmpty says whether Redis rejects the range up front. '-' sorts
// below and '+' above every value; two of the same kind compare equal.
func lexRangeEmpty(min, max LexBound) bool {
	key := func(b LexBound) (int, string) {
		switch {
		case b.Inf < 0:
			return -1, ""
		case b.Inf > 0:
			return 1, ""
		}
		return 0, string(b.Value)
	}
	kmin, vmin := key(min)
	kmax, vmax := key(max)
	c := cmp.Compare(kmin, kmax)
	if c == 0 && kmin == 0 {
		c = strings.Compare(vmin, vmax)
	}
	return c > 0 || (c == 0 && (min.Exclusive || max.Exclusive))
}

func (m *model) inLex(min, max LexBound) bool {
	n := len(m.items)
	return n > 0 && !lexRangeEmpty(min, max) && lexGE(m.items[n-1].member, min) && lexLE(m.items[0].member, max)
}

// The four lex queries follow Redis's listpack scans.
func (m *model) firstLex(min, max LexBound) (int, bool) {
	if !m.inLex(min, max) {
		return 0, false
	}
	for i, it := range m.items {
		if lexGE(it.member, min) {
			return i, lexLE(it.member, max)
		}
	}
	return 0, false
}

func (m *model) lastLex(min, max LexBound) (int, bool) {
	if !m.inLex(min, max) {
		return 0, false
	}
	for i := len(m.items) - 1; i >= 0; i-- {
		if lexLE(m.items[i].member, max) {
			return i, lexGE(m.items[i].member, min)
		}
	}
	return 0, false
}

func (m *model) countLex(min, max LexBound) int {
	i, ok := m.firstLex(min, max)
	if !ok {
		return 0
	}
	c := 0
	for ; i < len(m.items) && lexLE(m.items[i].member, max); i++ {
		c++
	}
	return c
}

func (m *model) revCountLex(min, max LexBound) int {
	i, ok := m.lastLex(min, max)
	if !ok {
		return 0
	}
	c := 0
	for ; i >= 0 && lexGE(m.items[i].member, min); i-- {
		c++
	}
	return c
}

// gen produces random members, scores and bounds with plenty of ties,
// shared prefixes and extreme bytes.
type gen struct {
	r       *rand.Rand
	members []string
	scores  []float64
}

func newGen(seed uint64, members int, scores []float64) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), scores: scores}
	seen := map[string]bool{}
	const alphabet = "abc\x00\xff"
	for len(g.members) < members {
		b := make([]byte, g.r.IntN(9))
		for i := range b {
			b[i] = alphabet[g.r.IntN(len(alphabet))]
		}
		if !seen[string(b)] {
			seen[string(b)] = true
			g.members = append(g.members, string(b))
		}
	}
	return g
}

func (g *gen) member() string { return g.members[g.r.IntN(len(g.members))] }

func (g *gen) score() float64 {
	if len(g.scores) > 0 {
		return g.scores[g.r.IntN(len(g.scores))]
	}
	return float64(g.r.IntN(2000)-1000) / 4
}

func (g *gen) scoreBound() ScoreBound {
	b := ScoreBound{Exclusive: g.r.IntN(2) == 0}
	switch g.r.IntN(8) {
	case 0:
		b.Value = math.Inf(-1)
	case 1:
		b.Value = math.Inf(1)
	default:
		b.Value = g.score()
	}
	return b
}

func (g *gen) lexBound() LexBound {
	switch g.r.IntN(10) {
	case 0:
		return LexBound{Inf: -1}
	case 1:
		return LexBound{Inf: 1}
	}
	v := g.member()
	if g.r.IntN(3) == 0 && len(v) > 0 {
		v = v[:g.r.IntN(len(v))]
	}
	return LexBound{Value: []byte(v), Exclusive: g.r.IntN(2) == 0}
}

// mixedScores is a pool that makes ties common.
var mixedScores = []float64{math.Inf(-1), -2, -1, math.Copysign(0, -1), 0, 0.5, 1, 1, 2, 3, 7, math.Inf(1)}

func TestModel(t *testing.T) {
	type phase struct {
		ops    int
		grow   float64 // probability that a mutation adds rather than removes
		ranges float64 // probability of a DeleteRangeByRank
	}
	cases := []struct {
		name    string
		members int
		scores  []float64 // nil: a wide random range
		phases  []phase
	}{
		{"tiny", 20, mixedScores, []phase{{3000, 0.6, 0.02}, {2000, 0.3, 0.05}}},
		{"small-mode boundary", 3 * leafCap, mixedScores, []phase{{6000, 0.55, 0.01}, {4000, 0.4, 0.01}}},
		{"equal scores", 2000, []float64{5}, []phase{{6000, 0.8, 0.005}, {6000, 0.3, 0.01}}},
		{"two scores", 2000, []float64{1, 2}, []phase{{6000, 0.8, 0.005}, {4000, 0.3, 0.01}}},
		{"mixed", 20000, mixedScores, []phase{{12000, 0.9, 0.002}, {6000, 0.5, 0.01}, {8000, 0.2, 0.01}}},
		{"wide scores", 20000, nil, []phase{{12000, 0.9, 0.002}, {8000, 0.2, 0.02}}},
	}
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newGen(uint64(ci+1), tc.members, tc.scores)
			s := New()
			m := &model{}
			step := 0
			for _, ph := range tc.phases {
				ops := ph.ops
				if testing.Short() || raceEnabled {
					ops /= 4
				}
				for range ops {
					step++
					modelStep(t, g, s, m, ph.grow, ph.ranges, step)
					if len(m.items) < 3000 || step%97 == 0 {
						if err := s.check(); err != nil {
							t.Fatalf("step %d: %v", step, err)
						}
					}
				}
			}
			if err := s.check(); err != nil {
				t.Fatal(err)
			}
			compareAll(t, s, m, step)
			// Drain everything through single removals to exercise merges.
			for len(m.items) > 0 {
				it := m.items[g.r.IntN(len(m.items))]
				m.remove(it.member)
				if !s.Remove([]byte(it.member)) {
					t.Fatalf("drain: Remove(%q) = false", it.member)
				}
				if len(m.items)%53 == 0 {
					if err := s.check(); err != nil {
						t.Fatalf("drain at %d: %v", len(m.items), err)
					}
				}
			}
			if s.Len() != 0 {
				t.Fatalf("Len after drain = %d", s.Len())
			}
		})
	}
}

func modelStep(t *testing.T, g *gen, s *Set, m *model, grow, ranges float64, step int) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("step %d (len %d): %s", step, len(m.items), fmt.Sprintf(format, args...))
	}
	switch op := g.r.Float64(); {
	case op < ranges:
		n := len(m.items)
		start := g.r.IntN(n+2) - 1
		width := g.r.IntN(max(n/(1+g.r.IntN(8)), 1))
		if g.r.IntN(4) == 0 {
			width = g.r.IntN(4)
		}
		stop := start + width
		lo, hi := max(start, 0), min(stop, n-1)
		var want []item
		if lo <= hi {
			want = slices.Clone(m.items[lo : hi+1])
			m.items = slices.Delete(m.items, lo, hi+1)
		}
		var got []item
		removed := s.DeleteRangeByRank(start, stop, func(member string, score float64) {
			got = append(got, item{member, score})
		})
		if removed != len(want) || !slices.Equal(got, want) {
			fail("DeleteRangeByRank(%d, %d) = %d %v, want %d %v", start, stop, removed, got, len(want), want)
		}
		for _, it := range got {
			if _, ok := s.Score([]byte(it.member)); ok {
				fail("%q still scored after DeleteRangeByRank", it.member)
			}
		}
	case op < 0.5:
		member, score := g.member(), g.score()
		if g.r.Float64() >= grow && len(m.items) > 0 {
			member = m.items[g.r.IntN(len(m.items))].member
			if got, want := s.Remove([]byte(member)), m.remove(member); got != want {
				fail("Remove(%q) = %v, want %v", member, got, want)
			}
			return
		}
		if got, want := s.Add([]byte(member), score), m.add(member, score); got != want {
			fail("Add(%q, %v) = %v, want %v", member, score, got, want)
		}
	default:
		query(t, g, s, m, fail)
	}
}

func query(t *testing.T, g *gen, s *Set, m *model, fail func(string, ...any)) {
	t.Helper()
	if s.Len() != len(m.items) {
		fail("Len = %d, want %d", s.Len(), len(m.items))
	}
	member := g.member()
	if len(m.items) > 0 && g.r.IntN(2) == 0 {
		member = m.items[g.r.IntN(len(m.items))].member
	}
	i := m.index(member)
	score, ok := s.Score([]byte(member))
	if ok != (i >= 0) || (ok && math.Float64bits(score) != math.Float64bits(m.items[i].score)) {
		fail("Score(%q) = %v %v", member, score, ok)
	}
	rank, ok := s.Rank([]byte(member))
	if ok != (i >= 0) || (ok && rank != i) {
		fail("Rank(%q) = %d %v, want %d", member, rank, ok, i)
	}
	if n := len(m.items); n > 0 {
		r := g.r.IntN(n)
		mem, sc := s.ByRank(r)
		if mem != m.items[r].member || sc != m.items[r].score {
			fail("ByRank(%d) = %q %v, want %q %v", r, mem, sc, m.items[r].member, m.items[r].score)
		}
		reverse := g.r.IntN(2) == 0
		limit := g.r.IntN(200)
		var got []item
		s.Range(r, reverse, func(member string, score float64) bool {
			got = append(got, item{member, score})
			return len(got) < limit
		})
		var want []item
		if reverse {
			for j := r; j >= 0 && len(want) < max(limit, 1); j-- {
				want = append(want, m.items[j])
			}
		} else {
			want = slices.Clone(m.items[r:min(n, r+max(limit, 1))])
		}
		if !slices.Equal(got, want) {
			fail("Range(%d, %v) limit %d = %v, want %v", r, reverse, limit, got, want)
		}
	}

	smin, smax := g.scoreBound(), g.scoreBound()
	if g.r.IntN(3) == 0 && smin.Value > smax.Value {
		smin, smax = smax, smin
	}
	gr, gok := s.FirstInScoreRange(smin, smax)
	wr, wok := m.firstScore(smin, smax)
	if gok != wok || gr != wr {
		fail("FirstInScoreRange(%v, %v) = %d %v, want %d %v", smin, smax, gr, gok, wr, wok)
	}
	gr, gok = s.LastInScoreRange(smin, smax)
	wr, wok = m.lastScore(smin, smax)
	if gok != wok || gr != wr {
		fail("LastInScoreRange(%v, %v) = %d %v, want %d %v", smin, smax, gr, gok, wr, wok)
	}
	if got, want := s.CountInScoreRange(smin, smax), m.countScore(smin, smax); got != want {
		fail("CountInScoreRange(%v, %v) = %d, want %d", smin, smax, got, want)
	}

	lmin, lmax := g.lexBound(), g.lexBound()
	if g.r.IntN(2) == 0 && lmin.Inf == 0 && lmax.Inf == 0 && string(lmin.Value) > string(lmax.Value) {
		lmin, lmax = lmax, lmin
	}
	gr, gok = s.FirstInLexRange(lmin, lmax)
	wr, wok = m.firstLex(lmin, lmax)
	if gok != wok || (gok && gr != wr) {
		fail("FirstInLexRange(%s, %s) = %d %v, want %d %v", fmtLex(lmin), fmtLex(lmax), gr, gok, wr, wok)
	}
	gr, gok = s.LastInLexRange(lmin, lmax)
	wr, wok = m.lastLex(lmin, lmax)
	if gok != wok || (gok && gr != wr) {
		fail("LastInLexRange(%s, %s) = %d %v, want %d %v", fmtLex(lmin), fmtLex(lmax), gr, gok, wr, wok)
	}
	if got, want := s.CountInLexRange(lmin, lmax), m.countLex(lmin, lmax); got != want {
		fail("CountInLexRange(%s, %s) = %d, want %d", fmtLex(lmin), fmtLex(lmax), got, want)
	}
	if got, want := s.RevCountInLexRange(lmin, lmax), m.revCountLex(lmin, lmax); got != want {
		fail("RevCountInLexRange(%s, %s) = %d, want %d", fmtLex(lmin), fmtLex(lmax), got, want)
	}
}

func compareAll(t *testing.T, s *Set, m *model, step int) {
	t.Helper()
	var got []item
	s.Range(0, false, func(member string, score float64) bool {
		got = append(got, item{member, score})
		return true
	})
	if !slices.Equal(got, m.items) {
		t.Fatalf("step %d: contents differ:\n got %v\nwant %v", step, got, m.items)
	}
}

// fmtLex renders a bound the way ZRANGEBYLEX spells it.
func fmtLex(b LexBound) string {
	switch {
	case b.Inf < 0:
		return "-"
	case b.Inf > 0:
		return "+"
	case b.Exclusive:
		return "(" + string(b.Value)
	default:
		return "[" + string(b.Value)
	}
}
