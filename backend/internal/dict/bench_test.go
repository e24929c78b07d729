package dict

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

const benchKeys = 1 << 20

func benchKeyBytes() [][]byte {
	keys := make([][]byte, benchKeys)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	return keys
}

func benchDict(keys [][]byte) *Dict[int] {
	d := New[int]()
	for i, k := range keys {
		d.Insert(string(k), i)
	}
	for d.Rehash(1000) {
	}
	return d
}

func BenchmarkFindHit(b *testing.B) {
	keys := benchKeyBytes()
	d := benchDict(keys)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if d.Find(keys[i&(benchKeys-1)]) == nil {
			b.Fatal("miss")
		}
	}
}

func BenchmarkFindMiss(b *testing.B) {
	keys := benchKeyBytes()
	d := benchDict(keys)
	miss := make([][]byte, benchKeys)
	for i := range miss {
		miss[i] = []byte("nope:" + strconv.Itoa(i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if d.Find(miss[i&(benchKeys-1)]) != nil {
			b.Fatal("hit")
		}
	}
}

// BenchmarkInsert fills a new dict with 1M keys, through every grow.
func BenchmarkInsert(b *testing.B) {
	keys := make([]string, benchKeys)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	d := New[int]()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		j := i & (benchKeys - 1)
		if j == 0 && i > 0 {
			b.StopTimer()
			d = New[int]()
			b.StartTimer()
		}
		d.Insert(keys[j], i)
	}
}

// BenchmarkDelete empties a 1M-key dict, through every shrink.
func BenchmarkDelete(b *testing.B) {
	keys := benchKeyBytes()
	d := benchDict(keys)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		j := i & (benchKeys - 1)
		if j == 0 && i > 0 {
			b.StopTimer()
			d = benchDict(keys)
			b.StartTimer()
		}
		if _, ok := d.Delete(keys[j]); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkRandom(b *testing.B) {
	d := benchDict(benchKeyBytes())
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d.Random(r)
	}
}

func BenchmarkSample20(b *testing.B) {
	d := benchDict(benchKeyBytes())
	r := rand.New(rand.NewPCG(1, 2))
	n := 0
	fn := func(*Entry[int]) { n++ }
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d.Sample(r, 20, fn)
	}
}

// BenchmarkScan reports the cost per SCAN call of one bucket.
func BenchmarkScan(b *testing.B) {
	d := benchDict(benchKeyBytes())
	n := 0
	fn := func(*Entry[int]) { n++ }
	cursor := uint64(0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		cursor = d.Scan(cursor, fn)
	}
}
