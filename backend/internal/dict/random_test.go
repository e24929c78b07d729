package dict

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestRandomEmpty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	d := New[int]()
	if d.Random(r) != nil {
		t.Fatal("Random on a new dict")
	}
	d.Insert("a", 1)
	d.Delete([]byte("a"))
	if d.Random(r) != nil {
		t.Fatal("Random on an emptied dict")
	}
	called := false
	d.Sample(r, 10, func(*Entry[int]) { called = true })
	if called {
		t.Fatal("Sample on an empty dict called fn")
	}
}

// TestRandomFair checks that every entry is picked with about the same
// probability, at several load factors and with a rehash in progress (held
// still so that it cannot finish during the test).
func TestRandomFair(t *testing.T) {
	const perEntry = 300
	cases := []struct {
		name              string
		entries, deleteTo int
		rehashing         bool
	}{
		{"one", 1, 1, false},
		{"two", 2, 2, false},
		{"load 1", 512, 512, false},
		{"load 0.6", 512, 300, false},
		{"load 0.15", 512, 75, false},
		{"growing", 513, 513, true},
		{"shrinking", 512, 50, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(c.entries), 3))
			d := New[int]()
			for i := range c.entries {
				d.Insert(strconv.Itoa(i), i)
				if !c.rehashing {
					for d.Rehash(100) {
					}
				}
			}
			if c.deleteTo < c.entries {
				// Deleting inside All defers the shrink to the loop's end.
				for e := range d.All() {
					if e.Value >= c.deleteTo {
						d.Delete([]byte(e.Key))
					}
				}
			}
			if !c.rehashing {
				for d.Rehash(100) {
				}
			}
			d.Rehash(3)
			if d.Rehashing() != c.rehashing {
				t.Fatalf("rehashing %v, want %v", d.Rehashing(), c.rehashing)
			}
			d.paused++ // hold the table still
			counts := make(map[*Entry[int]]int, d.Len())
			for range perEntry * d.Len() {
				e := d.Random(r)
				if e == nil || d.FindString(e.Key) != e {
					t.Fatalf("Random returned %v, not in the table", e)
				}
				counts[e]++
			}
			d.paused--
			if len(counts) != d.Len() {
				t.Fatalf("%d of %d entries never picked", d.Len()-len(counts), d.Len())
			}
			// Binomial noise has a standard deviation of about 17 here.
			for e, n := range counts {
				if n < perEntry*6/10 || n > perEntry*14/10 {
					t.Fatalf("%q picked %d times, expected about %d", e.Key, n, perEntry)
				}
			}
		})
	}
}

func TestRandomDuringRehash(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, dir := range []string{"grow", "shrink"} {
		d := New[int]()
		for i := range 5000 {
			d.Insert(strconv.Itoa(i), i)
		}
		for d.Rehash(100) {
		}
		if dir == "grow" {
			for i := 5000; !d.Rehashing(); i++ {
				d.Insert(strconv.Itoa(i), i)
			}
		} else {
			for i := 0; !d.Rehashing(); i++ {
				d.Delete([]byte(strconv.Itoa(i)))
			}
		}
		sawRehash := 0
		for range 2000 {
			if d.Rehashing() {
				sawRehash++
			}
			e := d.Random(r)
			if e == nil || d.FindString(e.Key) != e {
				t.Fatalf("%s: Random returned %v", dir, e)
			}
		}
		if sawRehash == 0 {
			t.Fatalf("%s: never picked during a rehash", dir)
		}
		checkInvariants(t, d)
	}
}

func TestSample(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	cases := []struct {
		entries, n int
	}{{1, 1}, {1, 10}, {10, 5}, {10, 100}, {1000, 20}, {100000, 20}, {5000, 0}, {5000, -1}}
	for _, c := range cases {
		d := New[int]()
		for i := range c.entries {
			d.Insert(strconv.Itoa(i), i)
		}
		for range 50 {
			got := 0
			d.Sample(r, c.n, func(e *Entry[int]) {
				if d.FindString(e.Key) != e {
					t.Fatalf("Sample passed %q, not in the table", e.Key)
				}
				got++
			})
			if got > max(c.n, 0) || got > c.entries {
				t.Fatalf("%+v: Sample returned %d", c, got)
			}
			// At load factor >= 1/2 a sample of up to n is always filled.
			if want := min(max(c.n, 0), c.entries); got < want && c.entries*2 >= len(d.t0) {
				t.Fatalf("%+v: Sample returned %d, want %d", c, got, want)
			}
		}
	}
}

// TestSampleSparse checks the bound on work in a table that is almost
// empty: Sample gives up after 10*n buckets rather than walking the table.
func TestSampleSparse(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	d := New[int]()
	for i := range 1 << 16 {
		d.Insert(strconv.Itoa(i), i)
	}
	for d.Rehash(1000) {
	}
	// Delete inside All so that no shrink starts before the loop ends,
	// then check Sample with the table sparse and a shrink pending.
	kept := 0
	for e := range d.All() {
		if e.Value%4096 != 0 {
			d.Delete([]byte(e.Key))
		} else {
			kept++
		}
	}
	if !d.Rehashing() {
		t.Fatal("expected a shrink in progress")
	}
	total := 0
	for range 1000 {
		d.Sample(r, 5, func(e *Entry[int]) {
			if d.FindString(e.Key) != e {
				t.Fatalf("Sample passed %q, not in the table", e.Key)
			}
			total++
		})
	}
	if total == 0 {
		t.Fatal("Sample never found anything")
	}
	checkInvariants(t, d)
}

func TestSampleDeleteInFn(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	d := New[int]()
	for i := range 10000 {
		d.Insert(strconv.Itoa(i), i)
	}
	// Active expiry's pattern: sample, delete what qualifies, repeat.
	for d.Len() > 0 {
		before := d.Len()
		d.Sample(r, 20, func(e *Entry[int]) {
			d.Delete([]byte(e.Key))
		})
		if d.Len() >= before && before > 0 && d.Buckets() <= 2*before {
			t.Fatalf("no progress at %d entries in %d buckets", before, d.Buckets())
		}
		if d.Len()%1000 < 20 {
			checkInvariants(t, d)
		}
	}
	for d.Rehash(100) {
	}
	if d.Buckets() != minSize {
		t.Fatalf("Buckets %d after deleting all", d.Buckets())
	}
}

// TestRandomFallback forces randomIn past its tries by overstating the
// entry count, which makes nearly every window look underfull.
func TestRandomFallback(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	e := &Entry[int]{Key: "only"}
	tab := []*Entry[int]{nil, nil, e, nil}
	for range 100 {
		if got := randomIn(r, tab, 1000); got != e {
			t.Fatalf("randomIn = %v", got)
		}
	}
	e.next = &Entry[int]{Key: "second"}
	seen := map[string]bool{}
	for range 100 {
		seen[randomIn(r, tab, 1000).Key] = true
	}
	if !seen["only"] || !seen["second"] {
		t.Fatalf("fallback did not reach every chain element: %v", seen)
	}
}
