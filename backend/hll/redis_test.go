package hll

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"github.com/keyslot/keyslot/internal/redistest"
)

// model is a keyspace of string values driven through this package the way
// the node drives it, for comparison with a real redis-server.
type model struct {
	keys      map[string][]byte
	sparseMax int
}

func newModel() *model { return &model{keys: map[string][]byte{}, sparseMax: DefaultSparseMaxBytes} }

func errReply(err error) []byte { return []byte("-" + err.Error() + "\r\n") }

func intReply(n int64) []byte { return []byte(":" + strconv.FormatInt(n, 10) + "\r\n") }

func (m *model) pfadd(key string, elems [][]byte) []byte {
	v, ok := m.keys[key]
	out, changed, err := Add(v, ok, m.sparseMax, elems...)
	switch {
	case errors.Is(err, ErrWrongType):
		return errReply(err)
	case err != nil:
		m.keys[key] = out
		return errReply(err)
	}
	m.keys[key] = out
	if changed {
		return intReply(1)
	}
	return intReply(0)
}

func (m *model) pfcount(keys ...string) []byte {
	if len(keys) == 1 {
		v, ok := m.keys[keys[0]]
		if !ok {
			return intReply(0)
		}
		n, out, _, err := Count(v)
		if err != nil {
			return errReply(err)
		}
		m.keys[keys[0]] = out
		return intReply(n)
	}
	var vals [][]byte
	for _, k := range keys {
		if v, ok := m.keys[k]; ok {
			vals = append(vals, v)
		}
	}
	n, err := CountUnion(vals...)
	if err != nil {
		return errReply(err)
	}
	return intReply(n)
}

func (m *model) pfmerge(dst string, srcs ...string) []byte {
	var vals [][]byte
	for _, k := range srcs {
		if v, ok := m.keys[k]; ok {
			vals = append(vals, v)
		}
	}
	d, ok := m.keys[dst]
	out, err := Merge(d, ok, m.sparseMax, vals...)
	if err != nil {
		return errReply(err)
	}
	m.keys[dst] = out
	return []byte("+OK\r\n")
}

// bulk decodes a GET reply; ok is false for a nil reply.
func bulk(t *testing.T, reply []byte) ([]byte, bool) {
	t.Helper()
	if bytes.Equal(reply, []byte("$-1\r\n")) {
		return nil, false
	}
	i := bytes.Index(reply, []byte("\r\n"))
	if reply[0] != '$' || i < 0 {
		t.Fatalf("not a bulk reply: %q", reply)
	}
	n, err := strconv.Atoi(string(reply[1:i]))
	if err != nil || len(reply) != i+2+n+2 {
		t.Fatalf("bad bulk reply: %q", reply)
	}
	return reply[i+2 : i+2+n], true
}

// harness runs the same commands on Redis and on a model and compares.
type harness struct {
	t   *testing.T
	srv *redistest.Server
	m   *model
	log []string // recent commands, for failure messages
}

func newHarness(t *testing.T) *harness {
	srv := redistest.Start(t, redistest.Options{})
	return &harness{t: t, srv: srv, m: newModel()}
}

func (h *harness) note(args []string) {
	s := fmt.Sprintf("%.500q", args)
	if len(args) > 6 {
		s = fmt.Sprintf("%q ... (%d args)", args[:4], len(args))
	}
	h.log = append(h.log, s)
	if len(h.log) > 8 {
		h.log = h.log[1:]
	}
}

func (h *harness) fail(format string, a ...any) {
	h.t.Helper()
	h.t.Fatalf("%s\nrecent commands:\n%q", fmt.Sprintf(format, a...), h.log)
}

// do runs args on Redis and want on the model and compares the replies.
func (h *harness) do(args []string, want func() []byte) {
	h.t.Helper()
	h.note(args)
	got := h.srv.Do(h.t, args...)
	ours := want()
	if !bytes.Equal(got, ours) {
		h.fail("%s: redis replied %q, we replied %q", args[0], got, ours)
	}
}

// check compares the value of each key in Redis with the model.
func (h *harness) check(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		rv, rok := bulk(h.t, h.srv.Do(h.t, "GET", k))
		ov, ook := h.m.keys[k]
		if rok != ook || !bytes.Equal(rv, ov) {
			h.fail("key %q: redis has %v %s, we have %v %s", k, rok, describe(rv), ook, describe(ov))
		}
	}
}

// set stores v under k on both sides.
func (h *harness) set(k string, v []byte) {
	h.t.Helper()
	if len(v) <= 200 {
		h.note([]string{"SET", k, fmt.Sprintf("%x", v)})
	} else {
		h.note([]string{"SET", k, fmt.Sprintf("<%d bytes>", len(v))})
	}
	if got := h.srv.Do(h.t, "SET", k, string(v)); string(got) != "+OK\r\n" {
		h.fail("SET: %q", got)
	}
	h.m.keys[k] = append([]byte(nil), v...)
}

func (h *harness) del(k string) {
	h.srv.Do(h.t, "DEL", k)
	delete(h.m.keys, k)
}

func (h *harness) configSparseMax(n int) {
	h.t.Helper()
	if got := h.srv.Do(h.t, "CONFIG", "SET", "hll-sparse-max-bytes", strconv.Itoa(n)); string(got) != "+OK\r\n" {
		h.fail("CONFIG SET: %q", got)
	}
	h.m.sparseMax = n
}

func (h *harness) pfadd(k string, elems [][]byte) {
	h.t.Helper()
	args := []string{"PFADD", k}
	for _, e := range elems {
		args = append(args, string(e))
	}
	h.do(args, func() []byte { return h.m.pfadd(k, elems) })
}

func (h *harness) pfcount(keys ...string) {
	h.t.Helper()
	h.do(append([]string{"PFCOUNT"}, keys...), func() []byte { return h.m.pfcount(keys...) })
}

func (h *harness) pfmerge(dst string, srcs ...string) {
	h.t.Helper()
	h.do(append([]string{"PFMERGE", dst}, srcs...), func() []byte { return h.m.pfmerge(dst, srcs...) })
}

func describe(b []byte) string {
	if len(b) < headerSize {
		return fmt.Sprintf("%x", b)
	}
	if len(b) > 80 {
		return fmt.Sprintf("len %d header %x body[:32] %x", len(b), b[:headerSize], b[headerSize:headerSize+32])
	}
	return fmt.Sprintf("header %x body %x", b[:headerSize], b[headerSize:])
}

// bigCount are elements whose hash proposes a register value above 32,
// which the sparse encoding cannot hold (found by brute force).
var bigCount = [][]byte{
	[]byte("bigcnt-GkiK\x03\x00\x00\x00"), // register 7378, value 33
}

func randElems(r *rand.Rand, n int) [][]byte {
	elems := make([][]byte, n)
	for i := range elems {
		switch r.Intn(4) {
		case 0: // binary, any bytes
			e := make([]byte, r.Intn(24))
			r.Read(e)
			elems[i] = e
		case 1: // short, so repeats are likely
			elems[i] = []byte{byte(r.Intn(256))}
		default:
			elems[i] = []byte("e" + strconv.Itoa(r.Intn(1_000_000)))
		}
	}
	if len(bigCount) > 0 && r.Intn(20) == 0 {
		elems = append(elems, bigCount[r.Intn(len(bigCount))])
	}
	return elems
}

// TestDifferentialRandom runs random PFADD / PFCOUNT / PFMERGE sequences on
// Redis and here and compares every reply and every key's bytes.
func TestDifferentialRandom(t *testing.T) {
	h := newHarness(t)
	seeds := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	limits := []int{DefaultSparseMaxBytes, 0, 40, 200, 1000, 16000}
	keys := []string{"k0", "k1", "k2", "k3"}
	var dense, sparse int
	defer func() { t.Logf("values compared: %d sparse, %d dense", sparse, dense) }()
	for si, seed := range seeds {
		r := rand.New(rand.NewSource(seed))
		h.srv.Do(t, "FLUSHALL")
		h.m.keys = map[string][]byte{}
		h.configSparseMax(limits[si%len(limits)])
		steps := 400
		if testing.Short() {
			steps = 60
		}
		for step := 0; step < steps; step++ {
			k := keys[r.Intn(len(keys))]
			switch op := r.Intn(100); {
			case op < 45:
				n := r.Intn(6)
				if r.Intn(16) == 0 {
					n = 50 + r.Intn(600)
				}
				h.pfadd(k, randElems(r, n))
				h.check(k)
			case op < 65:
				h.pfcount(k)
				h.check(k)
			case op < 75:
				ks := make([]string, 2+r.Intn(3))
				for i := range ks {
					ks[i] = keys[r.Intn(len(keys))]
				}
				h.pfcount(ks...)
				h.check(keys...)
			case op < 88:
				srcs := make([]string, r.Intn(4))
				for i := range srcs {
					srcs[i] = keys[r.Intn(len(keys))]
				}
				h.pfmerge(k, srcs...)
				h.check(k)
			case op < 94:
				h.del(k)
			case op < 97:
				// Redis-made bytes here and ours there: swap a value
				// through SET on both sides and keep going.
				v, ok := h.m.keys[k]
				if ok {
					h.set(keys[r.Intn(len(keys))], v)
				}
			default:
				h.configSparseMax(limits[r.Intn(len(limits))])
			}
			if v, ok := h.m.keys[k]; ok && len(v) > 4 {
				if v[4] == encDense {
					dense++
				} else {
					sparse++
				}
			}
		}
	}
}

// TestDifferentialGrowth adds elements one command at a time until the
// value is dense, so every sparse edit and the promotion point are compared.
func TestDifferentialGrowth(t *testing.T) {
	h := newHarness(t)
	for _, limit := range []int{DefaultSparseMaxBytes, 300} {
		adds := 0
		defer func() { t.Logf("limit %d: dense after %d commands", limit, adds) }()
		h.configSparseMax(limit)
		h.del("g")
		r := rand.New(rand.NewSource(int64(limit)))
		for i := 0; ; i++ {
			adds++
			h.pfadd("g", randElems(r, 1+r.Intn(3)))
			h.check("g")
			if i%7 == 0 {
				h.pfcount("g")
				h.check("g")
			}
			if h.m.keys["g"][4] == encDense {
				break
			}
		}
		for i := 0; i < 50; i++ {
			h.pfadd("g", randElems(r, 200))
			h.pfcount("g")
			h.check("g")
		}
	}
}

// TestDifferentialBigCount covers registers above 32, which force a sparse
// value to dense whatever its size.
func TestDifferentialBigCount(t *testing.T) {
	if len(bigCount) == 0 {
		t.Skip("no element with a register value above 32 known")
	}
	h := newHarness(t)
	for i, e := range bigCount {
		k := "b" + strconv.Itoa(i)
		h.pfadd(k, [][]byte{[]byte("a"), []byte("b")})
		h.pfadd(k, [][]byte{e})
		h.check(k)
		if h.m.keys[k][4] != encDense {
			t.Fatalf("%q did not promote %s", e, k)
		}
		h.pfcount(k)
		h.check(k)
		h.pfmerge("m"+k, k)
		h.check("m" + k)
	}
	// A merge of sparse inputs where one register exceeds 32.
	h.pfadd("s1", [][]byte{bigCount[0]})
	h.pfadd("s2", [][]byte{[]byte("x")})
	h.pfmerge("s3", "s2", "s1")
	h.check("s1", "s2", "s3")
	// A dense source turns an existing sparse destination dense.
	h.pfadd("s4", [][]byte{[]byte("q"), []byte("r")})
	h.pfmerge("s4", "s2", "s1")
	h.check("s4")
	h.pfcount("s4", "s1", "s2")
}

// TestRedisValuesHere feeds values made by Redis to this package and values
// made here to Redis, comparing counts and follow-up edits.
func TestRedisValuesHere(t *testing.T) {
	h := newHarness(t)
	r := rand.New(rand.NewSource(42))
	for i, n := range []int{0, 1, 10, 100, 1000, 5000, 20000} {
		k := "r" + strconv.Itoa(i)
		args := []string{"PFADD", k}
		for _, e := range randElems(r, n) {
			args = append(args, string(e))
		}
		h.srv.Do(t, args...)
		v, _ := bulk(t, h.srv.Do(t, "GET", k))
		if !IsHLL(v) || Validate(v) != nil {
			t.Fatalf("Redis value %s not accepted", describe(v))
		}
		h.m.keys[k] = append([]byte(nil), v...)
		h.pfcount(k)
		h.check(k)

		// Ours into Redis: build the same set here from scratch and SET it.
		out, _, err := Add(nil, false, DefaultSparseMaxBytes, bytesArgs(args[2:])...)
		if err != nil {
			t.Fatal(err)
		}
		o := "o" + strconv.Itoa(i)
		h.set(o, out)
		h.pfcount(o)
		h.pfcount(o, k)
		h.pfadd(o, randElems(r, 20))
		h.pfmerge(o, k)
		h.check(o, k)
	}
}

func bytesArgs(s []string) [][]byte {
	b := make([][]byte, len(s))
	for i := range s {
		b[i] = []byte(s[i])
	}
	return b
}

// TestDifferentialLargeCardinality compares estimates as a key grows to
// a million elements.
func TestDifferentialLargeCardinality(t *testing.T) {
	h := newHarness(t)
	batches := 100
	if testing.Short() {
		batches = 10
	}
	for b := 0; b < batches; b++ {
		elems := make([][]byte, 10000)
		for i := range elems {
			elems[i] = []byte("big:" + strconv.Itoa(b*10000+i))
		}
		h.pfadd("L", elems)
		h.pfcount("L")
		if b%10 == 0 {
			h.check("L")
		}
		h.pfcount("L", "L0")
		if b == 0 {
			h.pfmerge("L0", "L")
		}
	}
	h.check("L", "L0")
}

// TestDifferentialCraftedDense stores dense values with register
// histograms PFADD would hardly ever produce (values up to 63, many
// saturated registers) to exercise every term of the estimator.
func TestDifferentialCraftedDense(t *testing.T) {
	h := newHarness(t)
	r := rand.New(rand.NewSource(9))
	small, _, _ := Add(nil, false, DefaultSparseMaxBytes, []byte("a"), []byte("b"))
	for i := 0; i < 200; i++ {
		v := make([]byte, denseSize)
		copy(v, hdr(encDense, staleCard))
		lo, hi := r.Intn(64), r.Intn(64)
		if lo > hi {
			lo, hi = hi, lo
		}
		density := r.Float64()
		for j := 0; j < numRegs; j++ {
			if r.Float64() < density {
				denseSet(v[headerSize:], j, uint8(lo+r.Intn(hi-lo+1)))
			}
		}
		if i%5 == 0 {
			v[cardOffset] = byte(r.Intn(256)) // ignored: the cache is stale
		}
		h.set("c", v)
		h.set("s", small)
		h.pfcount("c", "s")
		h.pfcount("c")
		h.check("c")
		h.pfmerge("s", "c")
		h.pfcount("s")
		h.pfadd("c", randElems(r, 10))
		h.pfcount("c")
		h.check("c", "s")
	}
	// Estimates near and past the top of the int64 range: one register
	// at v and every other at top.
	for _, c := range []struct{ v, top uint8 }{{30, 63}, {35, 63}, {36, 63}, {50, 63}, {51, 51}, {63, 63}, {0, 52}} {
		v := make([]byte, denseSize)
		copy(v, hdr(encDense, staleCard))
		for j := 0; j < numRegs; j++ {
			denseSet(v[headerSize:], j, c.top)
		}
		v[headerSize] &^= regMax
		v[headerSize] |= c.v
		h.set("e", v)
		h.pfcount("e")
		h.check("e")
		h.pfcount("e")
		h.pfcount("e", "s")
		h.check("e")
	}
}
