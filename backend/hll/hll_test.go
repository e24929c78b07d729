package hll

import (
	"bytes"
	"errors"
	"testing"
)

func hdr(enc byte, card [8]byte) []byte {
	b := append([]byte(magic), enc, 0, 0, 0)
	return append(b, card[:]...)
}

var staleCard = [8]byte{7: 0x80}

func sparseOf(card [8]byte, body ...byte) []byte {
	return append(hdr(encSparse, card), body...)
}

func TestNewMatchesRedis(t *testing.T) {
	// PFADD k on a missing key, then GET k, in Redis 7.0.15.
	want := sparseOf(staleCard, 0x7f, 0xff)
	if got := New(); !bytes.Equal(got, want) {
		t.Fatalf("New() = %x, want %x", got, want)
	}
	out, changed, err := Add(nil, false, DefaultSparseMaxBytes)
	if err != nil || !changed || !bytes.Equal(out, want) {
		t.Fatalf("Add(missing) = %x, %v, %v", out, changed, err)
	}
}

func TestAddMatchesRedis(t *testing.T) {
	// PFADD s x y z on a missing key, then GET s, in Redis 7.0.15.
	want := sparseOf(staleCard, 0x61, 0x84, 0x80, 0x58, 0xcd, 0x88, 0x45, 0xa0, 0x84, 0x08)
	out, changed, err := Add(nil, false, DefaultSparseMaxBytes, []byte("x"), []byte("y"), []byte("z"))
	if err != nil || !changed || !bytes.Equal(out, want) {
		t.Fatalf("Add = %x, %v, %v; want %x", out, changed, err, want)
	}
	n, out, upd, err := Count(out)
	if err != nil || n != 3 || !upd {
		t.Fatalf("Count = %d, %v, %v", n, upd, err)
	}
	if want := sparseOf([8]byte{0: 3}, want[headerSize:]...); !bytes.Equal(out, want) {
		t.Fatalf("Count wrote %x, want %x", out, want)
	}
}

func TestIsHLL(t *testing.T) {
	dense := make([]byte, denseSize)
	copy(dense, hdr(encDense, [8]byte{}))
	tests := []struct {
		name string
		b    []byte
		want bool
	}{
		{"nil", nil, false},
		{"short", []byte("HYLL\x01"), false},
		{"header only sparse", hdr(encSparse, [8]byte{}), true},
		{"bad magic", append([]byte("HYLl"), hdr(encSparse, [8]byte{})[4:]...), false},
		{"unknown encoding", hdr(2, [8]byte{}), false},
		{"raw encoding", hdr(255, [8]byte{}), false},
		{"dense", dense, true},
		{"dense short", dense[:denseSize-1], false},
		{"dense long", append(append([]byte(nil), dense...), 0), false},
		{"new", New(), true},
	}
	for _, tt := range tests {
		if got := IsHLL(tt.b); got != tt.want {
			t.Errorf("%s: IsHLL = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSparseEdits(t *testing.T) {
	fresh := func() []byte { return sparseOf([8]byte{}, 0x7f, 0xff) }
	tests := []struct {
		name  string
		in    []byte
		index int
		count uint8
		max   int
		want  []byte // body after the edit
		ret   int
	}{
		{"first register", fresh(), 0, 1, 3000, []byte{0x80, 0x7f, 0xfe}, 1},
		{"last register", fresh(), numRegs - 1, 2, 3000, []byte{0x7f, 0xfe, 0x84}, 1},
		{"middle, short zero run before", fresh(), 5, 3, 3000, []byte{0x04, 0x88, 0x7f, 0xf9}, 1},
		{"middle, long zero runs", fresh(), 100, 1, 3000, []byte{0x40, 0x63, 0x80, 0x7f, 0x9a}, 1},
		{"joins equal neighbour", sparseOf([8]byte{}, 0x80, 0x7f, 0xfe), 1, 1, 3000, []byte{0x81, 0x7f, 0xfd}, 1},
		{"lower value is no change", sparseOf([8]byte{}, 0x84, 0x7f, 0xfe), 0, 1, 3000, []byte{0x84, 0x7f, 0xfe}, 0},
		{"splits a VAL run", sparseOf([8]byte{}, 0x83, 0x7f, 0xfb), 2, 4, 3000, []byte{0x81, 0x8c, 0x80, 0x7f, 0xfb}, 1},
		{"single ZERO in place", sparseOf([8]byte{}, 0x00, 0x7f, 0xfe), 0, 2, 3000, []byte{0x84, 0x7f, 0xfe}, 1},
		{"XZERO of one register", sparseOf([8]byte{}, 0x40, 0x00, 0x7f, 0xfe), 0, 2, 3000, []byte{0x84, 0x7f, 0xfe}, 1},
		{"index past the body", sparseOf([8]byte{}, 0x7f, 0xfe), numRegs - 1, 1, 3000, []byte{0x7f, 0xfe}, -1},
		{"XZERO cut short reads NUL", sparseOf([8]byte{}, 0x40, 0xfe, 0x7f), 300, 1, 3000, []byte{0x40, 0xfe, 0x2c, 0x80, 0x7e}, 1},
	}
	for _, tt := range tests {
		v := editable(tt.in)
		ret := v.set(tt.index, tt.count, tt.max)
		got := v.bytes()
		if ret != tt.ret || !bytes.Equal(got[headerSize:], tt.want) {
			t.Errorf("%s: set = %d, body %x; want %d, %x", tt.name, ret, got[headerSize:], tt.ret, tt.want)
		}
		if ret == 1 && got[staleByte]&staleBit == 0 {
			t.Errorf("%s: cache not marked stale", tt.name)
		}
	}
}

func TestPromotion(t *testing.T) {
	// A register above 32 cannot be sparse.
	v := editable(sparseOf([8]byte{1: 9}, 0x7f, 0xff))
	if ret := v.set(7, 33, 3000); ret != 1 || !v.dense() {
		t.Fatalf("set(33) = %d, dense %v", ret, v.dense())
	}
	b := v.bytes()
	if len(b) != denseSize || b[9] != 9 || denseGet(b[headerSize:], 7) != 33 {
		t.Fatalf("promoted value: len %d card %x reg %d", len(b), b[8:16], denseGet(b[headerSize:], 7))
	}
	// Growing past the limit promotes; at the limit it does not.
	v = editable(sparseOf([8]byte{}, 0x7f, 0xff))
	if v.set(100, 1, headerSize+5); v.dense() {
		t.Fatal("promoted although the edit fits")
	}
	if v.set(1000, 1, headerSize+5); !v.dense() {
		t.Fatal("not promoted past the limit")
	}
}

func TestCount(t *testing.T) {
	corrupt := sparseOf(staleCard, 0x7f, 0xfe) // 16383 registers
	cachedCorrupt := sparseOf([8]byte{0: 42}, 0x7f, 0xfe)
	dense := make([]byte, denseSize)
	copy(dense, hdr(encDense, staleCard))
	tests := []struct {
		name string
		b    []byte
		n    int64
		upd  bool
		err  error
	}{
		{"not hll", []byte("hello"), 0, false, ErrWrongType},
		{"corrupt, stale", corrupt, 0, false, ErrCorrupted},
		{"corrupt, cached", cachedCorrupt, 42, false, nil},
		{"empty sparse", New(), 0, true, nil},
		{"empty dense", dense, 0, true, nil},
		{"trailing VAL is corrupt for one key", sparseOf(staleCard, 0x7f, 0xff, 0x80), 0, false, ErrCorrupted},
	}
	for _, tt := range tests {
		n, _, upd, err := Count(append([]byte(nil), tt.b...))
		if n != tt.n || upd != tt.upd || !errors.Is(err, tt.err) {
			t.Errorf("%s: Count = %d, %v, %v; want %d, %v, %v", tt.name, n, upd, err, tt.n, tt.upd, tt.err)
		}
	}
	// Several keys: the same rule, runs must add up to exactly 16384.
	if n, err := CountUnion(sparseOf(staleCard, 0x7f, 0xff, 0x80)); n != 0 || err != ErrCorrupted {
		t.Errorf("CountUnion(trailing VAL) = %d, %v", n, err)
	}
	if _, err := CountUnion(New(), corrupt, []byte("x")); err != ErrCorrupted {
		t.Errorf("CountUnion error order: %v", err)
	}
}

func TestMergeMissing(t *testing.T) {
	out, err := Merge(nil, false, DefaultSparseMaxBytes)
	if err != nil || !bytes.Equal(out, New()) {
		t.Fatalf("Merge(missing) = %x, %v", out, err)
	}
	if _, err := Merge([]byte("x"), true, DefaultSparseMaxBytes); err != ErrWrongType {
		t.Fatalf("Merge(not hll) error %v", err)
	}
}

func TestDenseRegisters(t *testing.T) {
	r := make([]byte, denseSize-headerSize)
	for i := 0; i < numRegs; i++ {
		denseSet(r, i, uint8(i%64))
	}
	var h [histogramSz]int
	denseHistogram(r, &h)
	var max [numRegs]uint8
	denseMax(r, &max)
	for i := 0; i < numRegs; i++ {
		if got := denseGet(r, i); got != uint8(i%64) || max[i] != got {
			t.Fatalf("register %d = %d (max %d)", i, got, max[i])
		}
	}
	for v, n := range h {
		if n != numRegs/64 {
			t.Fatalf("histogram[%d] = %d", v, n)
		}
	}
}

func TestPosition(t *testing.T) {
	for _, e := range bigCount {
		if _, c := position(e); c <= valMaxValue {
			t.Errorf("%q: count %d, want above %d", e, c, valMaxValue)
		}
	}
	// The run of zeroes is bounded by the sentinel bit.
	if _, c := position(nil); c < 1 || c > maxRank {
		t.Errorf("count %d out of range", c)
	}
}

func TestDenseMaxKeepsLarger(t *testing.T) {
	r := make([]byte, denseSize-headerSize)
	var m, want [numRegs]uint8
	for i := 0; i < numRegs; i++ {
		reg, prev := uint8(i*7%64), uint8(i*13%64)
		denseSet(r, i, reg)
		m[i] = prev
		want[i] = max(reg, prev)
	}
	denseMax(r, &m)
	if m != want {
		t.Fatal("denseMax did not keep the larger of each pair")
	}
	var packed [denseSize - headerSize]byte
	densePack(packed[:], &want)
	for i := 0; i < numRegs; i++ {
		if got := denseGet(packed[:], i); got != want[i] {
			t.Fatalf("densePack: register %d = %d, want %d", i, got, want[i])
		}
	}
}
