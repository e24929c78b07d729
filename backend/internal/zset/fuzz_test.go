package zset

import (
	"math"
	"slices"
	"testing"
)

// byteReader hands out fuzz input, yielding zeros once it runs dry.
type byteReader struct{ b []byte }

func (r *byteReader) next() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *byteReader) bytes(max int) []byte {
	n := min(int(r.next())%(max+1), len(r.b))
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

var fuzzScores = []float64{math.Inf(-1), -1e300, -3, -1, math.Copysign(0, -1), 0, 0.5, 1, 2, 1e300, math.Inf(1), math.NaN()}

func (r *byteReader) score() float64 { return fuzzScores[int(r.next())%len(fuzzScores)] }

func (r *byteReader) scoreBound() ScoreBound {
	c := r.next()
	return ScoreBound{Value: fuzzScores[int(c>>1)%len(fuzzScores)], Exclusive: c&1 == 1}
}

func (r *byteReader) lexBound() LexBound {
	switch c := r.next(); c % 4 {
	case 0:
		return LexBound{Inf: int(int8(c)) % 3} // also odd Inf values
	case 1:
		return LexBound{Value: r.bytes(4), Exclusive: true}
	default:
		return LexBound{Value: r.bytes(4)}
	}
}

// FuzzSet runs an operation script decoded from the input against the set
// and the model, checking every answer and the structure's invariants.
func FuzzSet(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x00\x01a\x05\x00\x01b\x06\x03\x00\x01a\x07\x02\x03"))
	seed := make([]byte, 0, 3000)
	for i := range 600 {
		seed = append(seed, 0, 2, byte('a'+i%7), byte(i/7), byte(i%11))
	}
	f.Add(append(seed, 4, 10, 200, 5, 1, 2, 3, 4, 5, 6))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &byteReader{b: data}
		s, m := New(), &model{}
		for step := 0; len(r.b) > 0 && step < 5000; step++ {
			switch op := r.next() % 6; op {
			case 0, 1:
				member, score := r.bytes(3), r.score()
				want := false
				if score == score {
					want = m.add(string(member), score)
				}
				if got := s.Add(member, score); got != want {
					t.Fatalf("step %d: Add(%q, %v) = %v, want %v", step, member, score, got, want)
				}
			case 2:
				member := r.bytes(3)
				if got, want := s.Remove(member), m.remove(string(member)); got != want {
					t.Fatalf("step %d: Remove(%q) = %v, want %v", step, member, got, want)
				}
			case 3:
				start, stop := int(int8(r.next())), int(int8(r.next()))*int(r.next()%4)
				lo, hi := max(start, 0), min(stop, len(m.items)-1)
				var want []item
				if lo <= hi {
					want = slices.Clone(m.items[lo : hi+1])
					m.items = slices.Delete(m.items, lo, hi+1)
				}
				var got []item
				s.DeleteRangeByRank(start, stop, func(member string, score float64) { got = append(got, item{member, score}) })
				if !slices.Equal(got, want) {
					t.Fatalf("step %d: DeleteRangeByRank(%d, %d) removed %v, want %v", step, start, stop, got, want)
				}
			case 4:
				member := r.bytes(3)
				i := m.index(string(member))
				if rank, ok := s.Rank(member); ok != (i >= 0) || (ok && rank != i) {
					t.Fatalf("step %d: Rank(%q) = %d %v, want %d", step, member, rank, ok, i)
				}
				min, max := r.scoreBound(), r.scoreBound()
				if got, want := s.CountInScoreRange(min, max), m.countScore(min, max); got != want {
					t.Fatalf("step %d: CountInScoreRange(%v, %v) = %d, want %d", step, min, max, got, want)
				}
				if got, gok := s.FirstInScoreRange(min, max); true {
					want, wok := m.firstScore(min, max)
					if gok != wok || (gok && got != want) {
						t.Fatalf("step %d: FirstInScoreRange(%v, %v) = %d %v, want %d %v", step, min, max, got, gok, want, wok)
					}
				}
			case 5:
				min, max := r.lexBound(), r.lexBound()
				if got, want := s.CountInLexRange(min, max), m.countLex(min, max); got != want {
					t.Fatalf("step %d: CountInLexRange(%s, %s) = %d, want %d", step, fmtLex(min), fmtLex(max), got, want)
				}
				if got, want := s.RevCountInLexRange(min, max), m.revCountLex(min, max); got != want {
					t.Fatalf("step %d: RevCountInLexRange(%s, %s) = %d, want %d", step, fmtLex(min), fmtLex(max), got, want)
				}
				if got, gok := s.LastInLexRange(min, max); true {
					want, wok := m.lastLex(min, max)
					if gok != wok || (gok && got != want) {
						t.Fatalf("step %d: LastInLexRange(%s, %s) = %d %v, want %d %v", step, fmtLex(min), fmtLex(max), got, gok, want, wok)
					}
				}
			}
		}
		if err := s.check(); err != nil {
			t.Fatal(err)
		}
		compareAll(t, s, m, -1)
	})
}
