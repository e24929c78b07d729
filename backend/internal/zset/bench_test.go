package zset

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

const million = 1 << 20

// fixture is a set of 1M members "mem:000000"… (10 bytes) with random
// scores, built once and only read by the benchmarks that share it.
type fixture struct {
	set     *Set
	members [][]byte
	scores  []float64
}

func newFixture(n int, seed uint64) *fixture {
	r := rand.New(rand.NewPCG(seed, seed))
	f := &fixture{set: New(), members: make([][]byte, n), scores: make([]float64, n)}
	for i := range n {
		f.members[i] = fmt.Appendf(nil, "mem:%06d", i)
		f.scores[i] = r.Float64() * 1e6
	}
	r.Shuffle(n, func(i, j int) {
		f.members[i], f.members[j] = f.members[j], f.members[i]
		f.scores[i], f.scores[j] = f.scores[j], f.scores[i]
	})
	for i := range n {
		f.set.Add(f.members[i], f.scores[i])
	}
	return f
}

var shared1M = sync.OnceValue(func() *fixture { return newFixture(million, 1) })

func BenchmarkAdd(b *testing.B) {
	// Members are inserted in random order into sets that grow to 1M.
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	s := New()
	for i := 0; i < b.N; i++ {
		j := i % million
		if j == 0 && i > 0 {
			b.StopTimer()
			s = New()
			runtime.GC()
			b.StartTimer()
		}
		s.Add(f.members[j], f.scores[j])
	}
}

func BenchmarkAddAscending(b *testing.B) {
	// Time-series style: every new member has the highest score.
	members := make([][]byte, million)
	for i := range members {
		members[i] = fmt.Appendf(nil, "mem:%06d", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	s := New()
	for i := 0; i < b.N; i++ {
		j := i % million
		if j == 0 && i > 0 {
			b.StopTimer()
			s = New()
			b.StartTimer()
		}
		s.Add(members[j], float64(i))
	}
}

func BenchmarkUpdateScore1M(b *testing.B) {
	f := newFixture(million, 2) // private: this benchmark changes scores
	r := rand.New(rand.NewPCG(3, 3))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.set.Add(f.members[i%million], r.Float64()*1e6)
	}
}

func BenchmarkRemoveAdd1M(b *testing.B) {
	f := newFixture(million, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % million
		f.set.Remove(f.members[j])
		f.set.Add(f.members[j], f.scores[j])
	}
}

func BenchmarkScore1M(b *testing.B) {
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.set.Score(f.members[i%million])
	}
}

func BenchmarkRank1M(b *testing.B) {
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.set.Rank(f.members[i%million])
	}
}

func BenchmarkByRank1M(b *testing.B) {
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.set.ByRank(int(uint(i*7919) % million))
	}
}

func BenchmarkFirstInScoreRange1M(b *testing.B) {
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lo := f.scores[i%million]
		f.set.FirstInScoreRange(ScoreBound{Value: lo}, ScoreBound{Value: lo + 100, Exclusive: true})
	}
}

func BenchmarkCountInScoreRange1M(b *testing.B) {
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lo := f.scores[i%million]
		f.set.CountInScoreRange(ScoreBound{Value: lo}, ScoreBound{Value: lo + 1000})
	}
}

func BenchmarkRange100Of1M(b *testing.B) {
	f := shared1M()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		f.set.Range(int(uint(i*7919)%million), false, func(string, float64) bool { n++; return n < 100 })
	}
}

func BenchmarkRandom1M(b *testing.B) {
	f := shared1M()
	r := rand.New(rand.NewPCG(5, 5))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.set.Random(r)
	}
}

func BenchmarkLexEqualScores1M(b *testing.B) {
	// The autocomplete pattern: every score 0, ranges by member prefix.
	s := New()
	for i := range million {
		s.Add(fmt.Appendf(nil, "mem:%06d", i), 0)
	}
	bounds := make([][2]LexBound, 1024)
	for i := range bounds {
		p := fmt.Appendf(nil, "mem:%04d", i*97%10000)
		bounds[i] = [2]LexBound{{Value: p}, {Value: append(p, 0xff)}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bd := &bounds[i%len(bounds)]
		s.FirstInLexRange(bd[0], bd[1])
		s.CountInLexRange(bd[0], bd[1])
	}
}

func BenchmarkDeleteRangeByRank1M(b *testing.B) {
	// Each op removes 100 members from a random position; they go back in
	// off the clock, in batches so that stopping the timer costs little.
	f := newFixture(million, 6)
	r := rand.New(rand.NewPCG(6, 6))
	removed := make([]item, 0, 100_100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := r.IntN(f.set.Len() - 100)
		f.set.DeleteRangeByRank(start, start+99, func(m string, sc float64) {
			removed = append(removed, item{m, sc})
		})
		if len(removed) >= 100_000 {
			b.StopTimer()
			for _, it := range removed {
				f.set.Add([]byte(it.member), it.score)
			}
			removed = removed[:0]
			b.StartTimer()
		}
	}
}

// TestMemoryPerElement measures the heap a 1M-member set of 10-byte
// members holds and logs it next to what redis-server's used_memory grows
// by for the same sorted set. It asserts nothing about speed.
func TestMemoryPerElement(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a 1M-member set to measure it; not under -short or -race")
	}
	const n = 1_000_000
	members := make([][]byte, n)
	scores := make([]float64, n)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range n {
		members[i] = fmt.Appendf(nil, "mem:%06d", i)
		scores[i] = r.Float64() * 1e6
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := New()
	start := time.Now()
	for i := range n {
		s.Add(members[i], scores[i])
	}
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	ours := float64(after.HeapAlloc-before.HeapAlloc) / n
	leaves, inners, items := s.nodeStats()
	t.Logf("zset: %.1f heap bytes/member for %d members (%d leaves %.0f%% full, %d inner nodes; built in %v)",
		ours, s.Len(), leaves, 100*float64(items)/float64(leaves*leafCap), inners, elapsed.Round(time.Millisecond))
	runtime.KeepAlive(s)

	srv := redistest.Start(t, redistest.Options{})
	base := redisUsedMemory(t, srv)
	c, err := redistest.DialTimeout(srv.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const batch = 1000
	pending := 0
	for i := 0; i < n; i += batch {
		args := []string{"ZADD", "z"}
		for j := i; j < min(i+batch, n); j++ {
			args = append(args, strconv.FormatFloat(scores[j], 'g', -1, 64), string(members[j]))
		}
		if err := c.Send(args...); err != nil {
			t.Fatal(err)
		}
		if pending++; pending == 64 || i+batch >= n {
			for ; pending > 0; pending-- {
				if _, err := c.Receive(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if got := string(srv.Do(t, "ZCARD", "z")); got != ":1000000\r\n" {
		t.Fatalf("ZCARD = %q", got)
	}
	theirs := float64(redisUsedMemory(t, srv)-base) / n
	t.Logf("redis-server (skiplist): %.1f used_memory bytes/member; zset/redis = %.2f", theirs, ours/theirs)
}

// nodeStats counts the tree's leaves, inner nodes and items.
func (s *Set) nodeStats() (leaves, inners, items int) {
	if s.root == nil {
		return 0, 0, len(s.small)
	}
	var walk func(n *inner, h int)
	walk = func(n *inner, h int) {
		inners++
		for i := 0; i < n.n; i++ {
			if h == 1 {
				leaves++
				items += n.leaves[i].n
			} else {
				walk(n.kids[i], h-1)
			}
		}
	}
	walk(s.root, s.height)
	return leaves, inners, items
}
