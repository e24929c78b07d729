package dict

import (
	"math/rand/v2"
	"testing"
)

// FuzzOps drives a Dict with an arbitrary sequence of operations and checks
// it against a map, its structural invariants, and a final full SCAN.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 0, 3, 1, 2, 2, 1, 3, 0, 4, 0, 5, 9})
	f.Add([]byte("\x00a\x00b\x00c\x00d\x00e\x00f\x01a\x01b\x01c\x01d\x01e\x06\x00\x07\x00"))
	seq := make([]byte, 0, 4000)
	for i := range 1000 {
		seq = append(seq, 0, byte(i), 0, byte(i*7))
	}
	for i := range 1000 {
		seq = append(seq, 1, byte(i))
	}
	f.Add(seq)
	f.Fuzz(fuzzOps)
}

func fuzzOps(t *testing.T, ops []byte) {
	{
		d := New[int]()
		want := map[string]*Entry[int]{}
		r := rand.New(rand.NewPCG(uint64(len(ops)), 1))
		cursor := uint64(0)
		for i := 0; i+1 < len(ops); i += 2 {
			key := string(rune(ops[i+1])) // small keyspace, forces reuse
			if ops[i]&0x80 != 0 {
				key += "/" + string(rune(ops[i]))
			}
			switch ops[i] & 7 {
			case 0, 5:
				e, added := d.Insert(key, i)
				if old, ok := want[key]; ok != !added || (ok && old != e) {
					t.Fatalf("Insert(%q): added %v, had %v", key, added, ok)
				}
				want[key] = e
			case 1:
				e, ok := d.Delete([]byte(key))
				if old, had := want[key]; had != ok || old != e {
					t.Fatalf("Delete(%q) = %v, %v", key, e, ok)
				}
				delete(want, key)
			case 2:
				if e := d.Find([]byte(key)); e != want[key] {
					t.Fatalf("Find(%q) = %v", key, e)
				}
			case 3:
				if e := d.Random(r); (e == nil) != (len(want) == 0) || (e != nil && want[e.Key] != e) {
					t.Fatalf("Random = %v", e)
				}
			case 4:
				d.Sample(r, int(ops[i+1]%32), func(e *Entry[int]) {
					if want[e.Key] != e {
						t.Fatalf("Sample passed %q", e.Key)
					}
					if ops[i+1]&1 == 1 {
						d.Delete([]byte(e.Key))
						delete(want, e.Key)
					}
				})
			case 6:
				cursor = d.Scan(cursor, func(e *Entry[int]) {
					if want[e.Key] != e {
						t.Fatalf("Scan passed %q", e.Key)
					}
				})
			case 7:
				if ops[i+1] == 0 {
					d.Clear()
					clear(want)
				} else {
					d.Rehash(int(ops[i+1]))
				}
			}
			if d.Len() != len(want) {
				t.Fatalf("Len %d, want %d", d.Len(), len(want))
			}
		}
		checkInvariants(t, d)
		seen := map[string]bool{}
		for c := d.Scan(0, func(e *Entry[int]) { seen[e.Key] = true }); c != 0; {
			c = d.Scan(c, func(e *Entry[int]) { seen[e.Key] = true })
		}
		if len(seen) != len(want) {
			t.Fatalf("full scan saw %d keys, want %d", len(seen), len(want))
		}
	}
}
