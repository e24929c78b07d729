package hll

import (
	"math/rand"
	"testing"
)

// randomSparse builds a sparse value from random opcodes whose runs add up
// to about 16384 registers: sometimes exactly, sometimes a little more or
// less, sometimes with a last XZERO cut to one byte. Such bodies are not
// what Redis writes but are what it may be given through SET or RESTORE.
func randomSparse(r *rand.Rand) []byte {
	card := [8]byte{}
	if r.Intn(2) == 0 {
		card[7] = staleBit
	} else {
		card[0] = byte(r.Intn(256))
	}
	b := sparseOf(card)
	target := numRegs
	switch r.Intn(4) {
	case 0:
		target += r.Intn(9) - 4
	case 1:
		target = r.Intn(2 * numRegs)
	}
	for covered := 0; covered < target; {
		left := target - covered
		switch r.Intn(6) {
		case 0:
			n := 1 + r.Intn(min(left, numRegs))
			b = append(b, xzeroBit|byte((n-1)>>8), byte(n-1))
			covered += n
		case 1, 2:
			n := 1 + r.Intn(min(left, zeroMaxLen))
			b = append(b, byte(n-1))
			covered += n
		default:
			n := 1 + r.Intn(min(left, valMaxLen))
			b = append(b, valOp(uint8(1+r.Intn(valMaxValue)), n))
			covered += n
		}
	}
	if r.Intn(5) == 0 {
		b = append(b, valOp(uint8(1+r.Intn(valMaxValue)), 1+r.Intn(4)))
	}
	if r.Intn(6) == 0 && len(b) > headerSize+2 && isXZero(b[len(b)-2]) {
		b = b[:len(b)-1]
	}
	return b
}

// mutate damages v in one of a few ways.
func mutate(r *rand.Rand, v []byte) []byte {
	v = append([]byte(nil), v...)
	switch r.Intn(5) {
	case 0:
		return v[:r.Intn(len(v)+1)]
	case 1:
		for i := 0; i < 1+r.Intn(3); i++ {
			v[headerSize+r.Intn(len(v)-headerSize)] ^= byte(1 + r.Intn(255))
		}
	case 2:
		extra := make([]byte, 1+r.Intn(4))
		r.Read(extra)
		v = append(v, extra...)
	case 3:
		v[r.Intn(headerSize)] ^= byte(1 << r.Intn(8))
	default:
		v[staleByte] ^= staleBit
		if len(v) > headerSize {
			v[headerSize+r.Intn(len(v)-headerSize)] ^= byte(1 << r.Intn(8))
		}
	}
	return v
}

// TestDifferentialCorrupt gives damaged and hand-made values to Redis and to
// this package and compares replies (error class included) and the bytes
// left behind. Each command starts from a fresh SET so no state from an
// earlier command (such as the byte past the end of Redis's buffer) leaks.
func TestDifferentialCorrupt(t *testing.T) {
	h := newHarness(t)
	r := rand.New(rand.NewSource(7))
	var bases [][]byte
	for _, n := range []int{0, 3, 40, 300, 3000} {
		v, _, _ := Add(nil, false, DefaultSparseMaxBytes, randElems(r, n)...)
		bases = append(bases, v)
	}
	valid, _, _ := Add(nil, false, DefaultSparseMaxBytes, randElems(r, 5)...)
	cases := 3000
	if testing.Short() {
		cases = 400
	}
	for i := 0; i < cases; i++ {
		var c []byte
		if r.Intn(2) == 0 {
			c = randomSparse(r)
		} else {
			c = mutate(r, bases[r.Intn(len(bases))])
		}
		if r.Intn(4) == 0 {
			h.configSparseMax([]int{DefaultSparseMaxBytes, 0, 100}[r.Intn(3)])
		}
		h.del("d")
		h.set("s", valid)
		h.set("k", c)
		switch r.Intn(8) {
		case 0:
			h.pfcount("k")
		case 1:
			h.pfadd("k", randElems(r, 1+r.Intn(5)))
		case 2:
			h.pfadd("k", randElems(r, 100+r.Intn(500)))
		case 3:
			h.pfadd("k", nil)
		case 4:
			h.pfmerge("d", "k")
		case 5:
			h.pfmerge("k", "s")
		case 6:
			h.pfmerge("k")
		default:
			h.pfcount("s", "k")
		}
		h.check("k", "d")
		if i%100 == 0 {
			h.pfcount("k")
			h.check("k")
		}
	}
	// Hand-made values at the edges of what Redis accepts.
	h.configSparseMax(DefaultSparseMaxBytes)
	edge := [][]byte{
		sparseOf(staleCard, 0x40, 0xfe, 0x7f),             // last XZERO reads the NUL: valid
		sparseOf(staleCard, 0x7f, 0xfe, 0x80),             // exactly 16384
		sparseOf(staleCard, 0x7f, 0xff, 0x80),             // one VAL past the end
		sparseOf(staleCard, 0x7f, 0xff, 0x00),             // one ZERO past the end
		sparseOf(staleCard, 0x7f, 0xfe),                   // one register short
		sparseOf(staleCard, 0x40, 0x00, 0x7f, 0xfe),       // XZERO of one register
		sparseOf(staleCard, 0x80, 0x80, 0x80, 0x7f, 0xfc), // unjoined VAL runs
		sparseOf(staleCard, 0x7f, 0xfe, 0xff),             // 16383 zeros, then VAL 32 x4
		sparseOf([8]byte{0: 9}, 0x7f, 0xfe),               // corrupt but with a valid cache
		sparseOf(staleCard),                               // no body
	}
	for _, c := range edge {
		for op := 0; op < 8; op++ {
			h.del("d")
			h.set("s", valid)
			h.set("k", c)
			switch op {
			case 0:
				h.pfcount("k")
			case 1:
				h.pfadd("k", [][]byte{[]byte("x"), []byte("y"), []byte("z")})
			case 2:
				h.pfadd("k", randElems(r, 300))
			case 3:
				h.pfadd("k", nil)
			case 4:
				h.pfmerge("d", "k")
			case 5:
				h.pfmerge("k", "s")
			case 6:
				h.pfmerge("k")
			default:
				h.pfcount("s", "k")
			}
			h.check("k", "d")
		}
	}
	if got := h.srv.Do(t, "PING"); string(got) != "+PONG\r\n" {
		t.Fatalf("PING: %q", got)
	}
}
