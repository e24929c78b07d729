package backend

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"unsafe"
)

// checkList verifies l's invariants and that it holds exactly want.
func checkList(t *testing.T, l *listValue, want [][]byte) {
	t.Helper()
	if l.len() != len(want) {
		t.Fatalf("len %d, want %d", l.len(), len(want))
	}
	if len(l.ring)&(len(l.ring)-1) != 0 || l.nn > len(l.ring) {
		t.Fatalf("ring of %d with %d nodes", len(l.ring), l.nn)
	}
	total := 0
	for j := range l.nn {
		nd := l.node(j)
		c := nd.count()
		if c == 0 {
			t.Fatalf("node %d of %d is empty", j, l.nn)
		}
		total += c
		if nd.offs == nil {
			if len(nd.buf) <= listNodeBytes {
				t.Fatalf("node %d holds %d bytes alone", j, len(nd.buf))
			}
			continue
		}
		if c > listNodeCount || nd.used() > listNodeBytes || len(nd.buf) > 1<<16-1 {
			t.Fatalf("node %d: %d elements, %d bytes, buffer %d", j, c, nd.used(), len(nd.buf))
		}
		if nd.lo < 0 || int(nd.hi) >= len(nd.offs) {
			t.Fatalf("node %d: lo %d hi %d of %d", j, nd.lo, nd.hi, len(nd.offs))
		}
		for k := nd.lo; k < nd.hi; k++ {
			if nd.offs[k] > nd.offs[k+1] || int(nd.offs[k+1]) > len(nd.buf) {
				t.Fatalf("node %d: offsets %v", j, nd.offs[nd.lo:nd.hi+1])
			}
		}
	}
	if total != l.n {
		t.Fatalf("nodes hold %d elements, n is %d", total, l.n)
	}
	if len(want) == 0 {
		return
	}
	// Every index of a short list, a spread of them in a long one.
	step := max(1, len(want)/64)
	for i := 0; i < len(want); i += step {
		if got := l.index(i); !bytes.Equal(got, want[i]) {
			t.Fatalf("index %d = %q, want %q", i, trunc(got), trunc(want[i]))
		}
	}
	if got := l.index(len(want) - 1); !bytes.Equal(got, want[len(want)-1]) {
		t.Fatalf("last index = %q", trunc(got))
	}
	var got [][]byte
	l.each(0, false, func(v []byte) bool { got = append(got, v); return true })
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("forward walk differs")
	}
	got = got[:0]
	l.each(len(want)-1, true, func(v []byte) bool { got = append(got, v); return true })
	slices.Reverse(got)
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("reverse walk differs")
	}
}

func trunc(b []byte) []byte {
	if len(b) > 20 {
		return b[:20]
	}
	return b
}

// randElem returns an element of a size that exercises the node limits:
// mostly small, sometimes empty, near a node's size, or too big for one.
func randElem(r *rand.Rand, seq int) []byte {
	var n int
	switch k := r.IntN(100); {
	case k < 70:
		n = r.IntN(12)
	case k < 80:
		n = 0
	case k < 90:
		n = r.IntN(600)
	case k < 95:
		n = listNodeBytes - 2 + r.IntN(4)
	default:
		n = listNodeBytes + r.IntN(3000)
	}
	s := strconv.Itoa(seq) + "."
	return bytes.Repeat([]byte(s), n/len(s)+1)[:n]
}

// TestListRandom runs random operations on a list and on a slice of
// slices side by side.
func TestListRandom(t *testing.T) {
	for seed := range uint64(16) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			l := &listValue{}
			var model [][]byte
			seq := 0
			// Some runs use few distinct small values, so that LREM finds
			// matches, and many elements, so that nodes fill.
			small := seed%2 == 0
			elem := func() []byte {
				seq++
				if small {
					return []byte{byte('a' + r.IntN(3))}
				}
				return randElem(r, seq)
			}
			for step := range 3000 {
				if len(model) > 2500 {
					// Keep the list long enough to span many nodes but short
					// enough for the model's O(n) front inserts.
					k := r.IntN(len(model) / 2)
					l.removeFront(k)
					model = model[k:]
				}
				op := r.IntN(15)
				switch {
				case op <= 2:
					e := elem()
					l.pushFront(e)
					model = slices.Insert(model, 0, bytes.Clone(e))
				case op <= 5:
					e := elem()
					l.pushBack(e)
					model = append(model, bytes.Clone(e))
				case op == 6 && len(model) > 0:
					if v := l.popFront(); !bytes.Equal(v, model[0]) {
						t.Fatalf("step %d popFront %q, want %q", step, trunc(v), trunc(model[0]))
					}
					model = model[1:]
				case op == 7 && len(model) > 0:
					if v := l.popBack(); !bytes.Equal(v, model[len(model)-1]) {
						t.Fatalf("step %d popBack", step)
					}
					model = model[:len(model)-1]
				case op == 8 && len(model) > 0:
					i := r.IntN(len(model))
					e := elem()
					l.set(i, e)
					model[i] = bytes.Clone(e)
				case op == 9:
					i := r.IntN(len(model) + 1)
					e := elem()
					l.insert(i, e)
					model = slices.Insert(model, i, bytes.Clone(e))
				case op == 10 && len(model) > 0 && r.IntN(4) == 0:
					k := r.IntN(len(model) + 1)
					if r.IntN(2) == 0 {
						l.removeFront(k)
						model = model[k:]
					} else {
						l.removeBack(k)
						model = model[:len(model)-k]
					}
				case op == 11 && len(model) > 0:
					e := model[r.IntN(len(model))]
					if r.IntN(3) == 0 {
						e = []byte("nomatch")
					}
					e = bytes.Clone(e)
					limit, fromBack := r.IntN(4), r.IntN(2) == 0
					got := l.removeEqual(e, limit, fromBack)
					want := modelRemove(&model, e, limit, fromBack)
					if got != want {
						t.Fatalf("step %d removeEqual = %d, want %d", step, got, want)
					}
				case op == 12 && r.IntN(20) == 0:
					c := l.copyValue().(*listValue)
					checkList(t, c, model)
					if c.len() > 0 {
						c.set(0, []byte("changed"))
						c.pushBack([]byte("more"))
					}
				case op >= 13:
					// Bursts fill nodes.
					for range r.IntN(300) {
						e := elem()
						if op == 13 {
							l.pushBack(e)
							model = append(model, bytes.Clone(e))
						} else {
							l.pushFront(e)
							model = slices.Insert(model, 0, bytes.Clone(e))
						}
					}
				}
				if step%50 == 0 || len(model) < 20 {
					checkList(t, l, model)
				}
			}
			checkList(t, l, model)
		})
	}
}

func modelRemove(model *[][]byte, e []byte, limit int, fromBack bool) int {
	m := *model
	removed := 0
	if fromBack {
		for i := len(m) - 1; i >= 0 && (limit == 0 || removed < limit); i-- {
			if bytes.Equal(m[i], e) {
				m = slices.Delete(m, i, i+1)
				removed++
			}
		}
	} else {
		for i := 0; i < len(m) && (limit == 0 || removed < limit); {
			if bytes.Equal(m[i], e) {
				m = slices.Delete(m, i, i+1)
				removed++
				continue
			}
			i++
		}
	}
	*model = m
	return removed
}

// TestListPoppedBytesSurvivePush checks what LMOVE relies on: an element
// read from the list stays intact through a push onto the same list.
func TestListPoppedBytesSurvivePush(t *testing.T) {
	for _, n := range []int{1, 2, 5, 100} {
		l := &listValue{}
		for i := range n {
			l.pushBack([]byte("e" + strconv.Itoa(i)))
		}
		v := l.front()
		want := bytes.Clone(v)
		for range 50 {
			l.pushFront([]byte("0123456789"))
			l.pushBack([]byte("0123456789"))
		}
		if !bytes.Equal(v, want) {
			t.Fatalf("n=%d: front element changed to %q", n, v)
		}
	}
}

// TestListMemory bounds the bytes a list of small elements takes per
// element: Redis's quicklist needs about 5 for a 3-byte element.
func TestListMemory(t *testing.T) {
	l := &listValue{}
	for range 100000 {
		l.pushFront([]byte("xxx"))
	}
	total := len(l.ring) * int(unsafe.Sizeof(lnode{}))
	for j := range l.nn {
		nd := l.node(j)
		total += cap(nd.buf) + 2*cap(nd.offs)
	}
	if per := float64(total) / 100000; per > 7 {
		t.Fatalf("%.1f bytes per 3-byte element", per)
	}
}

func TestListEncoding(t *testing.T) {
	l := &listValue{}
	l.pushBack([]byte("a"))
	if got := l.encoding(&item{}); got != "quicklist" {
		t.Fatalf("encoding %q", got)
	}
	if l.typeName() != "list" {
		t.Fatal(l.typeName())
	}
}

func BenchmarkListPushPopFront(b *testing.B) {
	l := &listValue{}
	e := []byte("xxx")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l.pushFront(e)
		if i%3 == 2 {
			l.popFront()
		}
	}
}

func BenchmarkListPushBack(b *testing.B) {
	l := &listValue{}
	e := []byte("element-of-some-size")
	b.ReportAllocs()
	for b.Loop() {
		l.pushBack(e)
	}
}

func BenchmarkListIndexMiddle(b *testing.B) {
	l := &listValue{}
	for range 100000 {
		l.pushBack([]byte("xxxxxxxx"))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = l.index(50000)
	}
}

// FuzzListOps interprets the input as list operations and checks each
// against a slice of slices.
func FuzzListOps(f *testing.F) {
	f.Add([]byte{0, 3, 1, 5, 2, 7, 9, 1})
	f.Add([]byte{5, 200, 5, 200, 5, 200, 3, 1, 4, 2, 6, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		l := &listValue{}
		var model [][]byte
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i]%9, int(ops[i+1])
			e := bytes.Repeat([]byte{byte('a' + arg%3)}, arg%5)
			if arg >= 250 {
				e = bytes.Repeat([]byte{'B'}, listNodeBytes+arg)
			}
			switch op {
			case 0:
				l.pushFront(e)
				model = slices.Insert(model, 0, e)
			case 1:
				l.pushBack(e)
				model = append(model, e)
			case 2, 3:
				if len(model) == 0 {
					continue
				}
				if op == 2 {
					l.popFront()
					model = model[1:]
				} else {
					l.popBack()
					model = model[:len(model)-1]
				}
			case 4:
				at := arg % (len(model) + 1)
				l.insert(at, e)
				model = slices.Insert(model, at, e)
			case 5:
				// A burst, to fill nodes.
				for range arg * 4 {
					l.pushBack(e)
					model = append(model, e)
				}
			case 6:
				if len(model) == 0 {
					continue
				}
				at := arg % len(model)
				l.set(at, e)
				model[at] = e
			case 7:
				got := l.removeEqual(e, arg%3, arg%2 == 0)
				if want := modelRemove(&model, e, arg%3, arg%2 == 0); got != want {
					t.Fatalf("removeEqual = %d, want %d", got, want)
				}
			case 8:
				k := arg % (len(model) + 1)
				l.removeBack(k)
				model = model[:len(model)-k]
			}
		}
		checkList(t, l, model)
	})
}
