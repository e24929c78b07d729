package backend

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

var hsDefaultLimits = hsLimits{hashEntries: 512, hashValue: 64, setEntries: 512}

// hashModel is what a hash must hold: its pairs in Redis's listpack order
// (insertion order, updates in place).
type hashModel struct {
	fields []string
	vals   map[string]string
}

func (m *hashModel) set(f, v string) bool {
	_, ok := m.vals[f]
	if !ok {
		m.fields = append(m.fields, f)
	}
	m.vals[f] = v
	return !ok
}

func (m *hashModel) del(f string) bool {
	if _, ok := m.vals[f]; !ok {
		return false
	}
	delete(m.vals, f)
	m.fields = slices.DeleteFunc(m.fields, func(s string) bool { return s == f })
	return true
}

// checkHash compares h with the model: contents always, order while h is
// a listpack.
func checkHash(t *testing.T, h *hashValue, m *hashModel) {
	t.Helper()
	if h.len() != len(m.vals) {
		t.Fatalf("len %d, want %d", h.len(), len(m.vals))
	}
	var got []string
	for f, v := range h.all() {
		if want, ok := m.vals[string(f)]; !ok || want != string(v) {
			t.Fatalf("field %q = %q, model %q (present %v)", f, v, want, ok)
		}
		got = append(got, string(f))
	}
	if h.d == nil && !slices.Equal(got, m.fields) {
		t.Fatalf("listpack order %q, want %q", got, m.fields)
	}
	for f, v := range m.vals {
		if g, ok := h.get([]byte(f)); !ok || string(g) != v {
			t.Fatalf("get %q = %q %v, want %q", f, g, ok, v)
		}
	}
}

func TestHashValueOps(t *testing.T) {
	lim := hsLimits{hashEntries: 4, hashValue: 8, setEntries: 4}
	tests := []struct {
		name string
		ops  []string // "+f=v" sets, "-f" deletes
		enc  string
	}{
		{"empty", nil, "listpack"},
		{"order", []string{"+b=1", "+a=2", "+c=3"}, "listpack"},
		{"update in place", []string{"+a=1", "+b=2", "+a=longer", "+b="}, "listpack"},
		{"shrink in place", []string{"+a=12345678", "+b=2", "+a=x"}, "listpack"},
		{"delete keeps order", []string{"+a=1", "+b=2", "+c=3", "-b", "+b=4"}, "listpack"},
		{"entries at limit", []string{"+a=1", "+b=2", "+c=3", "+d=4"}, "listpack"},
		{"entries past limit", []string{"+a=1", "+b=2", "+c=3", "+d=4", "+e=5"}, "hashtable"},
		{"one way", []string{"+a=1", "+b=2", "+c=3", "+d=4", "+e=5", "-e", "-d"}, "hashtable"},
		{"value at limit", []string{"+a=12345678"}, "listpack"},
		{"value past limit", []string{"+a=123456789"}, "hashtable"},
		{"field past limit", []string{"+abcdefghi=1"}, "hashtable"},
		{"update past limit", []string{"+a=1", "+a=123456789", "+a=1"}, "hashtable"},
		{"dict update", []string{"+a=123456789", "+a=2", "+b=3", "-a"}, "hashtable"},
		{"binary", []string{"+\x00=\r\n", "+=empty"}, "listpack"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &hashValue{}
			m := &hashModel{vals: map[string]string{}}
			for _, op := range tc.ops {
				if op[0] == '+' {
					f, v, _ := strings.Cut(op[1:], "=")
					if got, want := h.set([]byte(f), []byte(v), lim), m.set(f, v); got != want {
						t.Fatalf("%s: added %v, want %v", op, got, want)
					}
				} else if got, want := h.del([]byte(op[1:])), m.del(op[1:]); got != want {
					t.Fatalf("%s: deleted %v, want %v", op, got, want)
				}
				checkHash(t, h, m)
			}
			if got := h.encoding(nil); got != tc.enc {
				t.Fatalf("encoding %s, want %s", got, tc.enc)
			}
		})
	}
}

// hashOps replays random operations from r on a hash and the model.
func hashOps(t *testing.T, r func(n int) int, steps int, lim hsLimits) {
	h := &hashValue{}
	m := &hashModel{vals: map[string]string{}}
	wasDict := false
	for range steps {
		f := "f" + strconv.Itoa(r(40))
		switch r(4) {
		case 0, 1:
			v := strings.Repeat("v", r(lim.hashValue+3))
			if got, want := h.set([]byte(f), []byte(v), lim), m.set(f, v); got != want {
				t.Fatalf("set %q: added %v, want %v", f, got, want)
			}
		case 2:
			if got, want := h.del([]byte(f)), m.del(f); got != want {
				t.Fatalf("del %q: %v, want %v", f, got, want)
			}
		default:
			if _, want := m.vals[f]; h.has([]byte(f)) != want {
				t.Fatalf("has %q: want %v", f, want)
			}
		}
		if wasDict && h.d == nil {
			t.Fatal("a hash table went back to a listpack")
		}
		wasDict = h.d != nil
		checkHash(t, h, m)
	}
}

func TestHashValueRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		lim := hsLimits{hashEntries: 8 + i, hashValue: 16, setEntries: 8}
		hashOps(t, r.IntN, 500, lim)
	}
}

// fuzzChooser turns fuzz input into a chooser for the random model
// tests: each call takes the next byte modulo n, and 0 once data runs out.
func fuzzChooser(data []byte) func(n int) int {
	pos := 0
	return func(n int) int {
		if pos >= len(data) {
			return 0
		}
		pos++
		return int(data[pos-1]) % n
	}
}

func FuzzHashValue(f *testing.F) {
	f.Add([]byte("\x00\x01\x02\x03\x04\x05"))
	f.Add(bytes.Repeat([]byte{0, 7, 1, 7, 2, 7}, 30))
	f.Fuzz(func(t *testing.T, data []byte) {
		hashOps(t, fuzzChooser(data), len(data)/2, hsLimits{hashEntries: 6, hashValue: 10, setEntries: 6})
	})
}

func TestHashCopyValue(t *testing.T) {
	for _, n := range []int{3, 600} {
		h := &hashValue{}
		for i := range n {
			h.set([]byte("f"+strconv.Itoa(i)), []byte("v"), hsDefaultLimits)
		}
		c := h.copyValue().(*hashValue)
		if c.encoding(nil) != h.encoding(nil) || c.len() != n {
			t.Fatalf("copy of %d: %s/%d", n, c.encoding(nil), c.len())
		}
		c.set([]byte("f0"), []byte("changed"), hsDefaultLimits)
		c.del([]byte("f1"))
		if v, _ := h.get([]byte("f0")); string(v) != "v" || !h.has([]byte("f1")) {
			t.Fatalf("copy of %d shares data with the original", n)
		}
	}
}

// hsDo runs a command and decodes its RESP2 reply into strings: a bulk or
// integer as one, an array as its elements (nil bulks as "<nil>").
func hsDo(t testing.TB, c *redistest.Conn, args ...string) []string {
	t.Helper()
	raw, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	v, _, err := resp.ParseValue(raw)
	if err != nil {
		t.Fatalf("%q: %q: %v", args, raw, err)
	}
	if v.Error() != nil {
		t.Fatalf("%q: %v", args, v.Error())
	}
	if arr := v.Array(); arr != nil || strings.HasPrefix(string(raw), "*") {
		out := make([]string, len(arr))
		for i, e := range arr {
			out[i] = e.String()
			if e.IsNull() {
				out[i] = "<nil>"
			}
		}
		return out
	}
	return []string{v.String()}
}

func TestHrandfieldAlgorithms(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	for _, n := range []int{5, 700} {
		key := "h" + strconv.Itoa(n)
		want := map[string]string{}
		var order []string
		for i := range n {
			f, v := "f"+strconv.Itoa(i), "v"+strconv.Itoa(i)
			hsDo(t, c, "HSET", key, f, v)
			want[f] = v
			order = append(order, f)
		}
		// count >= size: every field once; a listpack's in its order.
		for _, count := range []int{n, n + 1, 10 * n} {
			got := hsDo(t, c, "HRANDFIELD", key, strconv.Itoa(count))
			if n <= 512 && !slices.Equal(got, order) {
				t.Fatalf("%s count %d: %q, want insertion order", key, count, got)
			}
			slices.Sort(got)
			sorted := slices.Sorted(slices.Values(order))
			if !slices.Equal(got, sorted) {
				t.Fatalf("%s count %d: not every field once", key, count)
			}
		}
		// 0 < count < size: distinct fields, pairs that belong together.
		for _, count := range []int{1, 2, n / 2, n - 1} {
			for range 20 {
				got := hsDo(t, c, "HRANDFIELD", key, strconv.Itoa(count), "WITHVALUES")
				if len(got) != 2*count {
					t.Fatalf("%s count %d: %d elements", key, count, len(got))
				}
				seen := map[string]bool{}
				for i := 0; i < len(got); i += 2 {
					if want[got[i]] != got[i+1] || seen[got[i]] {
						t.Fatalf("%s count %d: bad or repeated pair %q=%q", key, count, got[i], got[i+1])
					}
					seen[got[i]] = true
				}
			}
		}
		// Negative counts: exactly |count| picks, repeats allowed and, for
		// many more picks than fields, present.
		got := hsDo(t, c, "HRANDFIELD", key, strconv.Itoa(-3*n))
		if len(got) != 3*n {
			t.Fatalf("%s count %d: %d elements", key, -3*n, len(got))
		}
		seen := map[string]int{}
		for _, f := range got {
			if _, ok := want[f]; !ok {
				t.Fatalf("%s: unknown field %q", key, f)
			}
			seen[f]++
		}
		if len(seen) == len(got) {
			t.Fatalf("%s: %d picks of %d fields without a repeat", key, len(got), n)
		}
		// Every field comes up: the picks are not stuck on a few. 200
		// picks of 5 fields miss one with odds of about 5*0.8^200 (15 did,
		// about one run in six).
		if n == 5 {
			seen := map[string]bool{}
			for _, f := range hsDo(t, c, "HRANDFIELD", key, "-200") {
				seen[f] = true
			}
			if len(seen) != n {
				t.Fatalf("%s: 200 picks saw only %d fields", key, len(seen))
			}
		}
	}
}

func TestHashKeyspaceEvents(t *testing.T) {
	sameKeyevents(t, [][]string{
		{"HSET", "h", "a", "1", "b", "2"},
		{"HSET", "h", "a", "1"},
		{"HMSET", "h", "c", "3"},
		{"HSETNX", "h", "a", "x"},
		{"HSETNX", "h", "d", "4"},
		{"HSETNX", "nx", "d", "4"},
		{"HINCRBY", "h", "n", "5"},
		{"HINCRBY", "h", "a", "x"},
		{"HINCRBY", "h", "c", "9223372036854775807"},
		{"HINCRBYFLOAT", "h", "f", "1.5"},
		{"HINCRBYFLOAT", "newf", "f", "1.5"},
		{"HINCRBY", "newi", "f", "1"},
		{"HDEL", "h", "zz"},
		{"HDEL", "h", "a", "b"},
		{"HDEL", "h", "c", "d", "n", "f", "zz"},
		{"EXISTS", "h"},
		{"HGET", "nokey", "f"},
		{"HRANDFIELD", "nx"},
		{"SET", "s", "v"},
		{"HSET", "s", "a", "1"},
		{"HDEL", "s", "a"},
	})
}

// BenchmarkHashMemory1M fills one hash with a million fields and logs the
// heap it takes per field next to what redis-server's used_memory grows by
// for the same HSETs. It measures, never asserts: run it with
// go test -run '^$' -bench HashMemory1M -benchtime 1x ./backend/.
func BenchmarkHashMemory1M(b *testing.B) {
	const n = 1_000_000
	field := func(i int) string { return "field:" + strconv.Itoa(100000+i) }
	val := func(i int) string { return "value:" + strconv.Itoa(100000+i) }
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		h := &hashValue{}
		for i := range n {
			h.set([]byte(field(i)), []byte(val(i)), hsDefaultLimits)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perField := float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(h)
		b.ReportMetric(perField, "heapB/field")

		srv := redistest.Start(b, redistest.Options{})
		c := dialNode(b, srv.Addr)
		base := hsUsedMemory(b, c)
		const batch = 1000
		for i := 0; i < n; i += batch {
			args := []string{"HSET", "h"}
			for j := i; j < i+batch; j++ {
				args = append(args, field(j), val(j))
			}
			if _, err := c.Do(args...); err != nil {
				b.Fatal(err)
			}
		}
		redisPer := float64(hsUsedMemory(b, c)-base) / n
		b.ReportMetric(redisPer, "redisB/field")
		b.Logf("1M-field hash: keyslot %.1f heap bytes/field, redis-server %.1f used_memory bytes/field, ratio %.2f",
			perField, redisPer, perField/redisPer)
	}
}

func hsUsedMemory(t testing.TB, c *redistest.Conn) int64 {
	t.Helper()
	raw, err := c.Do("INFO", "memory")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(raw), "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no used_memory in %q", raw)
	return 0
}

func BenchmarkHashSetListpack(b *testing.B) {
	b.ReportAllocs()
	fields := make([][]byte, 100)
	for i := range fields {
		fields[i] = []byte("field" + strconv.Itoa(i))
	}
	v := []byte("value")
	h := &hashValue{}
	for i := range b.N {
		h.set(fields[i%len(fields)], v, hsDefaultLimits)
	}
}

func BenchmarkHashGetDict(b *testing.B) {
	b.ReportAllocs()
	h := &hashValue{}
	fields := make([][]byte, 10000)
	for i := range fields {
		fields[i] = []byte("field" + strconv.Itoa(i))
		h.set(fields[i], []byte("value"), hsDefaultLimits)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, ok := h.get(fields[i%len(fields)]); !ok {
			b.Fatal("missing")
		}
	}
}

func BenchmarkHashSetDict(b *testing.B) {
	b.ReportAllocs()
	h := &hashValue{}
	fields := make([][]byte, 10000)
	for i := range fields {
		fields[i] = []byte("field" + strconv.Itoa(i))
		h.set(fields[i], []byte("value"), hsDefaultLimits)
	}
	b.ResetTimer()
	for i := range b.N {
		h.set(fields[i%len(fields)], []byte("value"), hsDefaultLimits)
	}
}

// A limit lowered by CONFIG SET converts a hash on its next write, even
// one that only updates a field, as Redis's hashTypeSet checks the length
// after every write.
func TestHashLoweredLimit(t *testing.T) {
	h := &hashValue{}
	for _, f := range []string{"a", "b", "c"} {
		h.set([]byte(f), []byte("1"), hsDefaultLimits)
	}
	low := hsLimits{hashEntries: 2, hashValue: 64}
	if h.has([]byte("a")); h.encoding(nil) != "listpack" {
		t.Fatal("a read converted the hash")
	}
	if h.del([]byte("zz")); h.encoding(nil) != "listpack" {
		t.Fatal("a failed delete converted the hash")
	}
	if h.set([]byte("a"), []byte("2"), low) || h.encoding(nil) != "hashtable" {
		t.Fatalf("update under a lowered limit: encoding %s", h.encoding(nil))
	}
	if v, _ := h.get([]byte("a")); string(v) != "2" || h.len() != 3 {
		t.Fatalf("after conversion a=%q len %d", v, h.len())
	}
}
