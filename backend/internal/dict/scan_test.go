package dict

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestScanStatic checks that a full iteration over a table that does not
// change returns every entry exactly once, rehash in progress or not.
func TestScanStatic(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 100, 1000, 5000} {
		for _, partial := range []int{0, 1, 7, 100} {
			d := New[int]()
			for i := range n {
				d.Insert(strconv.Itoa(i), i)
			}
			// Grow-rehash fully, then leave a partial shrink or grow
			// pending.
			for d.Rehash(100) {
			}
			if n > 8 {
				for i := range n - n/10 {
					d.Delete([]byte(strconv.Itoa(i)))
				}
			}
			d.Rehash(partial)
			want := d.Len()
			counts := map[string]int{}
			cursor, calls := uint64(0), 0
			for {
				cursor = d.Scan(cursor, func(e *Entry[int]) { counts[e.Key]++ })
				calls++
				if cursor == 0 {
					break
				}
				if calls > 1<<20 {
					t.Fatal("scan does not terminate")
				}
			}
			if len(counts) != want {
				t.Fatalf("n=%d partial=%d rehashing=%v: saw %d keys, want %d", n, partial, d.Rehashing(), len(counts), want)
			}
			for k, c := range counts {
				if c != 1 {
					t.Fatalf("n=%d: %q returned %d times", n, k, c)
				}
			}
		}
	}
}

// TestScanGuarantee is the SCAN property: with random inserts and deletes
// between calls (and deletes inside fn), every entry present from the
// first call to the last is returned at least once, and fn only ever sees
// entries that are in the table at that moment.
func TestScanGuarantee(t *testing.T) {
	seeds := uint64(120)
	if testing.Short() {
		seeds = 60
	}
	const maxLen = 2000
	var growing, shrinking, calls int
	for seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 99))
		m := newModel()
		next := 0
		add := func() {
			m.insert(t, strconv.Itoa(next), next)
			next++
		}
		for range r.IntN(2500) {
			add()
		}
		m.d.Rehash(r.IntN(50))
		// Which way the table drifts during the iteration.
		pIns := [...]float64{0.9, 0.1, 0.5, 0.97, 0.03}[seed%5]
		batch := 1 + r.IntN(60)
		stable := make(map[string]bool, len(m.keys))
		for _, k := range m.keys {
			stable[k] = true
		}
		seen := map[string]bool{}
		cursor := uint64(0)
		for n := 0; ; n++ {
			if m.d.Rehashing() {
				if len(m.d.t1) > len(m.d.t0) {
					growing++
				} else {
					shrinking++
				}
			}
			calls++
			cursor = m.d.Scan(cursor, func(e *Entry[int]) {
				if m.ents[e.Key] != e {
					t.Fatalf("seed %d: Scan passed %q, not in the table", seed, e.Key)
				}
				seen[e.Key] = true
				if r.IntN(30) == 0 {
					m.delete(t, e.Key)
					delete(stable, e.Key)
				}
			})
			if cursor == 0 {
				break
			}
			if n > 1<<22 {
				t.Fatalf("seed %d: scan does not terminate", seed)
			}
			for range r.IntN(batch + 1) {
				// Bounded growth: a table that doubles faster than the
				// cursor advances would never let the iteration end.
				if len(m.keys) == 0 || len(m.keys) < maxLen && r.Float64() < pIns {
					add()
				} else {
					k := m.randomKey(r)
					m.delete(t, k)
					delete(stable, k)
				}
			}
		}
		for k := range stable {
			if !seen[k] {
				t.Fatalf("seed %d: %q present throughout but never returned", seed, k)
			}
		}
		checkInvariants(t, m.d)
	}
	if growing == 0 || shrinking == 0 {
		t.Fatalf("scan calls during growth %d, during shrink %d: both must be exercised", growing, shrinking)
	}
	t.Logf("%d scan calls, %d while growing, %d while shrinking", calls, growing, shrinking)
}

// TestGrowShrinkLarge grows a table from 4 buckets to 1M entries and
// shrinks it back to 4, with a SCAN iteration running across each half. It
// checks that no single operation rehashes more than one non-empty bucket
// plus the empty ones a step may skip (no stop-the-world rehash), and that
// the entries present throughout each iteration are all returned.
func TestGrowShrinkLarge(t *testing.T) {
	n := 1 << 20
	if testing.Short() {
		n = 1 << 16
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	d := New[int]()
	maxStep, grows, shrinks := 0, 0, 0
	// op runs one Insert or Delete and records how far it moved rehashing.
	op := func(f func()) {
		was, idx, size := d.t1 != nil, d.rehashIdx, len(d.t0)
		f()
		switch {
		case was && d.t1 != nil && len(d.t0) == size:
			maxStep = max(maxStep, d.rehashIdx-idx)
		case !was && d.t1 != nil && len(d.t1) > len(d.t0):
			grows++
		case !was && d.t1 != nil:
			shrinks++
		}
	}
	insert := func(i int) { op(func() { d.Insert(keys[i], i) }) }
	remove := func(i int) { op(func() { d.Delete([]byte(keys[i])) }) }

	// Entries present throughout an iteration carry a negative value.
	var stable []string
	seen := map[string]bool{}
	mark := func(e *Entry[int]) {
		if e.Value < 0 {
			seen[e.Key] = true
		}
	}
	iterate := func(mutate func()) {
		clear(seen)
		cursor := d.Scan(0, mark)
		for cursor != 0 {
			mutate()
			cursor = d.Scan(cursor, mark)
		}
		if len(seen) != len(stable) {
			for _, k := range stable {
				if !seen[k] {
					t.Fatalf("%q present throughout but never returned", k)
				}
			}
		}
	}

	for _, k := range keys[:3] {
		d.Insert(k, -1)
		stable = append(stable, k)
	}
	i := 3
	iterate(func() {
		for end := min(i+64, n); i < end; i++ {
			insert(i)
		}
	})
	if i < n/2 {
		t.Fatalf("iteration ended at %d entries, before the table grew", i)
	}
	for ; i < n; i++ {
		insert(i)
	}
	// 4 -> n doubles log2(n)-2 times; the last doubling may still be running.
	if want := bits.Len(uint(n)) - 3; grows != want {
		t.Fatalf("%d grows, want %d", grows, want)
	}
	for d.Rehash(100) {
	}
	if d.Buckets() != n || d.Len() != n {
		t.Fatalf("%d buckets for %d entries", d.Buckets(), d.Len())
	}
	checkInvariants(t, d)

	d.FindString(keys[n-1]).Value = -1
	stable = append(stable, keys[n-1])
	j := 3
	iterate(func() {
		for end := min(j+64, n-1); j < end; j++ {
			remove(j)
		}
	})
	for ; j < n-1; j++ {
		remove(j)
	}
	if shrinks == 0 {
		t.Fatal("the table never shrank")
	}
	for d.Rehash(100) {
	}
	// Shrinking stops once an eighth of the buckets would not do.
	if d.Len() != 4 || d.Buckets() > 4*shrinkRatio {
		t.Fatalf("Len %d, Buckets %d", d.Len(), d.Buckets())
	}
	checkInvariants(t, d)
	for _, k := range stable {
		d.Delete([]byte(k))
	}
	if d.Len() != 0 || d.Buckets() != minSize {
		t.Fatalf("emptied table: Len %d, Buckets %d", d.Len(), d.Buckets())
	}
	if maxStep > 1+emptyVisitsPerStep {
		t.Fatalf("one operation advanced rehashing by %d buckets", maxStep)
	}
}

func TestNextCursor(t *testing.T) {
	// With 8 buckets the cursor visits the reversed-binary sequence.
	want := []uint64{0, 4, 2, 6, 1, 5, 3, 7}
	v := uint64(0)
	for i, w := range want {
		if v != w {
			t.Fatalf("step %d: cursor %d, want %d", i, v, w)
		}
		v = nextCursor(v, 7)
	}
	if v != 0 {
		t.Fatalf("cursor did not wrap to 0: %d", v)
	}
}
