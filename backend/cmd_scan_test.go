package backend

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyslot/keyslot/cluster"
)

func TestParseScanCursor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"", 0, true},
		{"123", 123, true},
		{"007", 7, true},
		{"+5", 5, true},
		{"-0", 0, true},
		{"-1", math.MaxUint64, true},
		{"18446744073709551615", math.MaxUint64, true},
		{"-18446744073709551615", 1, true},
		{"18446744073709551616", 0, false},
		{"-18446744073709551616", 0, false},
		{"99999999999999999999", 0, false},
		{"+", 0, false},
		{"-", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1x", 0, false},
		{"0x10", 0, false},
		{"1.5", 0, false},
		{"+-1", 0, false},
		{"x", 0, false},
	} {
		got, ok := parseScanCursor([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseScanCursor(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// keysScanAll runs a whole SCAN iteration over db with the given COUNT,
// calling between after each call, and returns every key seen.
func keysScanAll(t testing.TB, db *DB, count int64, between func()) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	cursor := uint64(0)
	for calls := 0; ; calls++ {
		if calls > 10_000_000 {
			t.Fatal("SCAN does not terminate")
		}
		var keys []string
		keys, cursor = db.scan(cursor, count)
		for _, k := range keys {
			seen[k] = true
		}
		if cursor == 0 {
			return seen
		}
		between()
	}
}

func keysInsert(db *DB, key string) {
	if db.find([]byte(key)) == nil {
		db.insert([]byte(key), &strValue{b: []byte("v")})
	}
}

// TestDBScanGuarantee interleaves SCAN calls with inserts and deletes that
// grow and shrink the slots' dicts (and empty whole slots) and checks that
// every key present throughout is returned.
func TestDBScanGuarantee(t *testing.T) {
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 42))
		db := newKeyspace(1).dbs[0]
		stable := 500 + rng.IntN(2000)
		for i := range stable {
			keysInsert(db, fmt.Sprintf("stable:%d", i))
		}
		// Volatile keys share slots with stable ones through hash tags, so
		// those dicts grow and shrink under the cursor; others land in
		// slots of their own, which come and go.
		var volatile []string
		next := 0
		between := func() {
			switch rng.IntN(4) {
			case 0, 1: // grow
				for range rng.IntN(400) {
					k := fmt.Sprintf("{stable:%d}v%d", rng.IntN(stable), next)
					if rng.IntN(2) == 0 {
						k = fmt.Sprintf("vol:%d", next)
					}
					next++
					keysInsert(db, k)
					volatile = append(volatile, k)
				}
			case 2: // shrink
				n := rng.IntN(len(volatile) + 1)
				for _, k := range volatile[:n] {
					db.remove([]byte(k))
				}
				volatile = volatile[n:]
			}
		}
		count := int64(1 + rng.IntN(30))
		seen := keysScanAll(t, db, count, between)
		for i := range stable {
			if k := fmt.Sprintf("stable:%d", i); !seen[k] {
				t.Fatalf("seed %d COUNT %d: %q never returned", seed, count, k)
			}
		}
	}
}

// TestDBScanArbitraryCursor feeds cursors a client might invent: SCAN must
// terminate and never panic.
func TestDBScanArbitraryCursor(t *testing.T) {
	db := newKeyspace(1).dbs[0]
	for i := range 300 {
		keysInsert(db, strconv.Itoa(i))
	}
	for _, c := range []uint64{1, 16383, 16384, 1 << 40, math.MaxUint64, math.MaxUint64 >> 14 << 14} {
		cursor, steps := c, 0
		for {
			_, cursor = db.scan(cursor, 7)
			if cursor == 0 {
				break
			}
			if steps++; steps > 100000 {
				t.Fatalf("cursor %d: no end", c)
			}
		}
	}
}

func FuzzScanCursor(f *testing.F) {
	f.Add([]byte("0"), int64(10))
	f.Add([]byte("-1"), int64(1))
	f.Add([]byte("18446744073709551615"), int64(math.MaxInt64))
	f.Add([]byte(""), int64(3))
	db := newKeyspace(1).dbs[0]
	for i := range 200 {
		keysInsert(db, strconv.Itoa(i))
	}
	f.Fuzz(func(t *testing.T, arg []byte, count int64) {
		cursor, ok := parseScanCursor(arg)
		// Reference: strtoul's optional sign, then digits.
		digits, neg := string(arg), false
		if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
			digits, neg = digits[1:], digits[0] == '-'
		}
		ref, err := strconv.ParseUint(digits, 10, 64)
		if neg {
			ref = -ref
		}
		if len(arg) == 0 {
			ref, err = 0, nil
		}
		if ok != (err == nil) || ok && cursor != ref {
			t.Fatalf("parseScanCursor(%q) = %d, %v; reference %d, %v", arg, cursor, ok, ref, err)
		}
		if !ok || count < 1 {
			return
		}
		for range 3 {
			if _, cursor = db.scan(cursor, count); cursor == 0 {
				break
			}
		}
	})
}

// keysParseScan decodes a SCAN reply: [cursor, [key...]].
func keysParseScan(b []byte) (string, []string, error) {
	line := func() (string, error) {
		for i := 0; i+1 < len(b); i++ {
			if b[i] == '\r' && b[i+1] == '\n' {
				l := string(b[:i])
				b = b[i+2:]
				return l, nil
			}
		}
		return "", errors.New("short reply")
	}
	bulk := func() (string, error) {
		h, err := line()
		if err != nil || len(h) == 0 || h[0] != '$' {
			return "", fmt.Errorf("not a bulk: %q %v", h, err)
		}
		n, err := strconv.Atoi(h[1:])
		if err != nil || n < 0 || n+2 > len(b) {
			return "", fmt.Errorf("bad bulk %q", h)
		}
		s := string(b[:n])
		b = b[n+2:]
		return s, nil
	}
	if h, err := line(); err != nil || h != "*2" {
		return "", nil, fmt.Errorf("not a SCAN reply: %q", h)
	}
	cursor, err := bulk()
	if err != nil {
		return "", nil, err
	}
	h, err := line()
	if err != nil || len(h) == 0 || h[0] != '*' {
		return "", nil, fmt.Errorf("no key array: %q", h)
	}
	n, err := strconv.Atoi(h[1:])
	if err != nil {
		return "", nil, err
	}
	keys := make([]string, 0, n)
	for range n {
		k, err := bulk()
		if err != nil {
			return "", nil, err
		}
		keys = append(keys, k)
	}
	return cursor, keys, nil
}

// TestScanWhileGrowing SCANs a real node while another client keeps adding
// keys (and deleting some of its own), and checks that every key present
// for the whole iteration is returned. The scanner waits for the writer to
// make progress between pages, so the keyspace really grows (and the
// slots' dicts rehash) under the cursor.
func TestScanWhileGrowing(t *testing.T) {
	node := startNode(t)
	addr := node.Addr().String()
	c := dialNode(t, addr)
	const initial, maxWrites, batch = 3000, 60000, 50
	for i := range initial {
		if r := doCmd(t, c, "SET", "init:"+strconv.Itoa(i), "v"); string(r) != "+OK\r\n" {
			t.Fatalf("SET: %q", r)
		}
	}
	w := dialNode(t, addr)
	var stop atomic.Bool
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	errc := make(chan error, 1)
	go func() {
		defer wg.Done()
		defer written.Store(math.MaxInt64) // the scanner waits no more
		for i := 0; !stop.Load() && i < maxWrites; i += batch {
			// Half the new keys share a slot with an initial key, so the
			// slots being scanned grow and rehash under the cursor; a
			// third are deleted again.
			n := 0
			for j := i; j < i+batch; j++ {
				k := "new:" + strconv.Itoa(j)
				if j%2 == 0 {
					k = "{init:" + strconv.Itoa(j%initial) + "}" + k
				}
				if err := w.Send("SET", k, "v"); err != nil {
					errc <- err
					return
				}
				n++
				if j%3 == 0 {
					if err := w.Send("DEL", k); err != nil {
						errc <- err
						return
					}
					n++
				}
			}
			for range n {
				if _, err := w.Receive(); err != nil {
					errc <- err
					return
				}
			}
			written.Store(int64(i + batch))
		}
	}()
	seen := map[string]bool{}
	cursor := "0"
	for calls := 0; ; calls++ {
		before := written.Load()
		r := doCmd(t, c, "SCAN", cursor, "COUNT", "20")
		next, keys, err := keysParseScan(r)
		if err != nil {
			t.Fatalf("SCAN %s: %v (%q)", cursor, err, r)
		}
		for _, k := range keys {
			seen[k] = true
		}
		if cursor = next; cursor == "0" {
			break
		}
		if calls > 1_000_000 {
			t.Fatal("SCAN does not terminate")
		}
		for written.Load() < before+batch {
			time.Sleep(100 * time.Microsecond)
		}
	}
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	t.Logf("%d keys written during the iteration", min(written.Load(), maxWrites))
	for i := range initial {
		if k := "init:" + strconv.Itoa(i); !seen[k] {
			t.Errorf("%q was present throughout but never returned", k)
		}
	}
}

// TestScanCursorLayout checks that the cursor's low bits name the slot the
// iteration is in and that slots are visited in increasing order.
func TestScanCursorLayout(t *testing.T) {
	db := newKeyspace(1).dbs[0]
	keysInsert(db, "a") // slot 15495
	keysInsert(db, "b") // slot 3300
	var order []string
	cursor, last := uint64(0), 0
	for {
		var keys []string
		keys, cursor = db.scan(cursor, 1)
		order = append(order, keys...)
		if cursor == 0 {
			break
		}
		slot := int(cursor & slotMask)
		if slot < last || (slot != cluster.KeySlot([]byte("a")) && slot != cluster.KeySlot([]byte("b"))) {
			t.Fatalf("cursor %d is in slot %d after slot %d", cursor, slot, last)
		}
		last = slot
	}
	if len(order) != 2 || order[0] != "b" || order[1] != "a" {
		t.Fatalf("keys came as %q, want [b a] (slot order)", order)
	}
}

func BenchmarkScan(b *testing.B) {
	db := newKeyspace(1).dbs[0]
	for i := range 100000 {
		keysInsert(db, strconv.Itoa(i))
	}
	b.ReportAllocs()
	cursor := uint64(0)
	for b.Loop() {
		_, cursor = db.scan(cursor, 10)
	}
}
