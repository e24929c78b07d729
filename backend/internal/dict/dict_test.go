package dict

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"strconv"
	"testing"
)

// checkInvariants verifies the table structure: sizes, counts, every entry
// in the bucket its hash selects, no duplicates, moved buckets empty.
func checkInvariants[V any](t testing.TB, d *Dict[V]) {
	t.Helper()
	if d.t0 == nil {
		if d.t1 != nil || d.used0 != 0 || d.used1 != 0 {
			t.Fatalf("no table but t1=%v used=%d/%d", d.t1 != nil, d.used0, d.used1)
		}
		return
	}
	// A duplicate hashes to the same bucket of a table, so comparing
	// within chains, and against the other table's bucket, finds any.
	inChain := func(e *Entry[V], key string) int {
		n := 0
		for ; e != nil; e = e.next {
			if e.Key == key {
				n++
			}
		}
		return n
	}
	count := func(tab []*Entry[V], name string) int {
		if len(tab) < minSize || len(tab)&(len(tab)-1) != 0 {
			t.Fatalf("%s has %d buckets, want a power of two >= %d", name, len(tab), minSize)
		}
		n := 0
		for i, head := range tab {
			for e := head; e != nil; e = e.next {
				if got := d.index(tab, e.Key); got != i {
					t.Fatalf("%s: key %q in bucket %d, hashes to %d", name, e.Key, i, got)
				}
				if inChain(head, e.Key) != 1 {
					t.Fatalf("duplicate key %q", e.Key)
				}
				if name == "t1" && inChain(d.t0[d.index(d.t0, e.Key)], e.Key) != 0 {
					t.Fatalf("key %q in both tables", e.Key)
				}
				n++
			}
		}
		return n
	}
	if n := count(d.t0, "t0"); n != d.used0 {
		t.Fatalf("t0 holds %d entries, used0=%d", n, d.used0)
	}
	if d.t1 == nil {
		if d.used1 != 0 || d.rehashIdx != 0 {
			t.Fatalf("not rehashing but used1=%d rehashIdx=%d", d.used1, d.rehashIdx)
		}
		return
	}
	if len(d.t1) == len(d.t0) {
		t.Fatalf("rehashing between equal sizes %d", len(d.t0))
	}
	if n := count(d.t1, "t1"); n != d.used1 {
		t.Fatalf("t1 holds %d entries, used1=%d", n, d.used1)
	}
	if d.rehashIdx < 0 || d.rehashIdx >= len(d.t0) {
		t.Fatalf("rehashIdx %d out of [0,%d)", d.rehashIdx, len(d.t0))
	}
	for i := range d.rehashIdx {
		if d.t0[i] != nil {
			t.Fatalf("t0 bucket %d below rehashIdx %d not empty", i, d.rehashIdx)
		}
	}
}

func (d *Dict[V]) index(tab []*Entry[V], key string) int {
	return int(hashString(d, key) & uint64(len(tab)-1))
}

func TestBasic(t *testing.T) {
	type op struct {
		kind  byte // i insert, f find, d delete, c clear
		key   string
		val   int
		want  bool // added / found / deleted
		value int  // value expected on the returned entry
		len   int  // Len afterwards
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"empty", []op{
			{kind: 'f', key: "a", len: 0},
			{kind: 'd', key: "a", len: 0},
			{kind: 'c', len: 0},
			{kind: 'f', key: "", len: 0},
		}},
		{"insert find delete", []op{
			{'i', "a", 1, true, 1, 1},
			{'f', "a", 0, true, 1, 1},
			{'f', "b", 0, false, 0, 1},
			{'d', "a", 0, true, 1, 0},
			{'f', "a", 0, false, 0, 0},
			{'d', "a", 0, false, 0, 0},
		}},
		{"existing key keeps value", []op{
			{'i', "k", 1, true, 1, 1},
			{'i', "k", 2, false, 1, 1},
			{'f', "k", 0, true, 1, 1},
		}},
		{"empty key and binary keys", []op{
			{'i', "", 7, true, 7, 1},
			{'i', "\x00", 8, true, 8, 2},
			{'i', "\x00\x00", 9, true, 9, 3},
			{'f', "", 0, true, 7, 3},
			{'f', "\x00", 0, true, 8, 3},
			{'d', "\x00", 0, true, 8, 2},
			{'f', "\x00\x00", 0, true, 9, 2},
		}},
		{"clear then reuse", []op{
			{'i', "a", 1, true, 1, 1},
			{'i', "b", 2, true, 2, 2},
			{'c', "", 0, false, 0, 0},
			{'f', "a", 0, false, 0, 0},
			{'i', "a", 3, true, 3, 1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := New[int]()
			for i, o := range tc.ops {
				var e *Entry[int]
				var ok bool
				switch o.kind {
				case 'i':
					e, ok = d.Insert(o.key, o.val)
				case 'f':
					e = d.Find([]byte(o.key))
					if e2 := d.FindString(o.key); e2 != e {
						t.Fatalf("op %d: Find and FindString disagree", i)
					}
					ok = e != nil
				case 'd':
					e, ok = d.Delete([]byte(o.key))
				case 'c':
					d.Clear()
				}
				if o.kind != 'c' {
					if ok != o.want {
						t.Fatalf("op %d %c %q: got %v, want %v", i, o.kind, o.key, ok, o.want)
					}
					if (e != nil) != (o.kind == 'i' || o.want) {
						t.Fatalf("op %d %c %q: entry %v", i, o.kind, o.key, e)
					}
					if e != nil && (e.Value != o.value || e.Key != o.key) {
						t.Fatalf("op %d: entry %q=%d, want %q=%d", i, e.Key, e.Value, o.key, o.value)
					}
				}
				if d.Len() != o.len {
					t.Fatalf("op %d: Len %d, want %d", i, d.Len(), o.len)
				}
				checkInvariants(t, d)
			}
		})
	}
}

func TestEntryStable(t *testing.T) {
	d := New[int]()
	first, _ := d.Insert("first", 0)
	for i := range 10000 {
		d.Insert(strconv.Itoa(i), i)
		first.Value++
	}
	if e := d.FindString("first"); e != first || e.Value != 10000 {
		t.Fatalf("entry moved or lost its value: %p %p %v", e, first, e)
	}
	e, ok := d.Delete([]byte("first"))
	if !ok || e != first || e.next != nil {
		t.Fatalf("Delete returned %p (next %p), want %p", e, e.next, first)
	}
}

// model mirrors a Dict with a map and a key slice for random picks.
type model struct {
	d    *Dict[int]
	ents map[string]*Entry[int]
	keys []string
	pos  map[string]int
}

func newModel() *model {
	return &model{d: New[int](), ents: map[string]*Entry[int]{}, pos: map[string]int{}}
}

func (m *model) insert(t testing.TB, k string, v int) {
	e, added := m.d.Insert(k, v)
	if old, ok := m.ents[k]; ok {
		if added || e != old {
			t.Fatalf("Insert(%q) of existing key: added=%v same=%v", k, added, e == old)
		}
		return
	}
	if !added || e.Key != k || e.Value != v {
		t.Fatalf("Insert(%q) = %v, %v", k, e, added)
	}
	m.ents[k] = e
	m.pos[k] = len(m.keys)
	m.keys = append(m.keys, k)
}

func (m *model) forget(k string) {
	i := m.pos[k]
	last := m.keys[len(m.keys)-1]
	m.keys[i] = last
	m.pos[last] = i
	m.keys = m.keys[:len(m.keys)-1]
	delete(m.pos, k)
	delete(m.ents, k)
}

func (m *model) delete(t testing.TB, k string) {
	e, ok := m.d.Delete([]byte(k))
	old, had := m.ents[k]
	if ok != had || e != old {
		t.Fatalf("Delete(%q) = %p, %v; want %p, %v", k, e, ok, old, had)
	}
	if had {
		m.forget(k)
	}
}

func (m *model) randomKey(r *rand.Rand) string { return m.keys[r.IntN(len(m.keys))] }

func TestModel(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		m := newModel()
		keyspace := 1 + r.IntN(5000)
		for i := range 30000 {
			// Phases of mostly inserts and mostly deletes drive the table
			// through grows and shrinks, often mid-rehash.
			pIns := 0.8
			if (i/3000)%2 == 1 {
				pIns = 0.2
			}
			switch x := r.Float64(); {
			case x < pIns:
				m.insert(t, strconv.Itoa(r.IntN(keyspace)), i)
			case len(m.keys) > 0 && x < pIns+0.15:
				m.delete(t, m.randomKey(r))
			case x < 0.97:
				k := strconv.Itoa(r.IntN(keyspace))
				if e := m.d.Find([]byte(k)); e != m.ents[k] {
					t.Fatalf("Find(%q) = %p, want %p", k, e, m.ents[k])
				}
			case x < 0.995:
				m.delete(t, strconv.Itoa(r.IntN(keyspace)))
			default:
				m.d.Rehash(r.IntN(5))
			}
			if m.d.Len() != len(m.ents) {
				t.Fatalf("seed %d op %d: Len %d, want %d", seed, i, m.d.Len(), len(m.ents))
			}
			if i%500 == 0 {
				checkInvariants(t, m.d)
			}
		}
		checkInvariants(t, m.d)
		got := 0
		for e := range m.d.All() {
			if m.ents[e.Key] != e {
				t.Fatalf("All yielded %q not in model", e.Key)
			}
			got++
		}
		if got != len(m.ents) {
			t.Fatalf("All yielded %d entries, want %d", got, len(m.ents))
		}
	}
}

func TestShrink(t *testing.T) {
	d := New[int]()
	for i := range 1000 {
		d.Insert(strconv.Itoa(i), i)
	}
	for d.Rehash(1000) {
	}
	if d.Buckets() != 1024 {
		t.Fatalf("Buckets %d, want 1024", d.Buckets())
	}
	// 1024/8 = 128: at 127 entries the table must start shrinking.
	for i := 127; i < 1000; i++ {
		d.Delete([]byte(strconv.Itoa(i)))
		if i == 999 {
			break
		}
		if d.Rehashing() {
			t.Fatalf("shrinking at %d entries", d.Len())
		}
	}
	if !d.Rehashing() {
		t.Fatalf("not shrinking at %d entries in %d buckets", d.Len(), d.Buckets())
	}
	for d.Rehash(1) {
	}
	if d.Buckets() != 256 {
		t.Fatalf("shrunk to %d buckets, want 256", d.Buckets())
	}
	checkInvariants(t, d)
	// Emptying a table makes it small at once: nothing is left to move.
	for i := range 127 {
		d.Delete([]byte(strconv.Itoa(i)))
	}
	for d.Rehash(1) {
	}
	if d.Len() != 0 || d.Buckets() != minSize {
		t.Fatalf("Len %d Buckets %d", d.Len(), d.Buckets())
	}
}

func TestNoAllocs(t *testing.T) {
	d := New[int]()
	for i := range 1000 {
		d.Insert("key:"+strconv.Itoa(i), i)
	}
	long := []byte(fmt.Sprintf("%0100d", 5)) // longer than any small-buffer optimization
	d.Insert(string(long), 5)
	hit, miss := []byte("key:500"), []byte("key:missing")
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		fn   func()
	}{
		{"Find hit", func() { d.Find(hit) }},
		{"Find miss", func() { d.Find(miss) }},
		{"Find long", func() { d.Find(long) }},
		{"FindString", func() { d.FindString("key:7") }},
		{"Delete miss", func() { d.Delete(miss) }},
		{"Delete+Insert existing", func() { d.Insert("key:9", 0) }},
		{"Random", func() { d.Random(r) }},
		{"Sample", func() { d.Sample(r, 16, func(*Entry[int]) {}) }},
		{"Scan", func() { d.Scan(uint64(r.IntN(1024)), func(*Entry[int]) {}) }},
	}
	for _, c := range cases {
		if a := testing.AllocsPerRun(100, c.fn); a != 0 {
			t.Errorf("%s: %v allocs per run", c.name, a)
		}
	}
}

func TestAll(t *testing.T) {
	d := New[int]()
	for i := range 3000 {
		d.Insert(strconv.Itoa(i), i)
	}
	if !d.Rehashing() {
		t.Fatal("want a rehash in progress")
	}
	counts := map[string]int{}
	for e := range d.All() {
		counts[e.Key]++
	}
	if len(counts) != 3000 {
		t.Fatalf("All saw %d keys", len(counts))
	}
	for k, c := range counts {
		if c != 1 {
			t.Fatalf("All yielded %q %d times", k, c)
		}
	}
	n := 0
	for range d.All() {
		n++
		if n == 10 {
			break
		}
	}
	if d.paused != 0 {
		t.Fatal("early break left the dict paused")
	}
	// Deleting the yielded entry is allowed, and shrinking waits for the
	// loop to end.
	for e := range d.All() {
		if e.Value%10 != 0 {
			d.Delete([]byte(e.Key))
		}
	}
	if d.Len() != 300 {
		t.Fatalf("Len %d after deleting in All, want 300", d.Len())
	}
	if !d.Rehashing() {
		t.Fatal("shrink did not start after the loop")
	}
	checkInvariants(t, d)
	for i := 0; i < 3000; i += 10 {
		if d.FindString(strconv.Itoa(i)) == nil {
			t.Fatalf("key %d lost", i)
		}
	}
}

func TestNextPow2(t *testing.T) {
	for _, c := range []struct{ in, want int }{{0, 1}, {1, 1}, {2, 2}, {3, 4}, {4, 4}, {5, 8}, {1 << 20, 1 << 20}, {1<<20 + 1, 1 << 21}} {
		if got := nextPow2(c.in); got != c.want {
			t.Errorf("nextPow2(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

func hashString[V any](d *Dict[V], key string) uint64 { return maphash.String(d.seed, key) }
