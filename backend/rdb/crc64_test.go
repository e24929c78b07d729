package rdb

import (
	"math/rand/v2"
	"testing"
)

// crc64Bytewise is the plain one-table CRC, to check the sliced one.
func crc64Bytewise(crc uint64, p []byte) uint64 {
	for _, b := range p {
		crc = crcTables[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}

func TestCRC64(t *testing.T) {
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("CRC64(123456789) = %#x, want 0xe9c6d914c4b8d9ca", got)
	}
	// Entries of Redis's published table.
	for i, want := range map[int]uint64{1: 0x7ad870c830358979, 128: 0x95ac9329ac4bc9b5, 255: 0x29b7d047efec8728} {
		if crcTables[0][i] != want {
			t.Errorf("table[%d] = %#x, want %#x", i, crcTables[0][i], want)
		}
	}
	if CRC64(0, nil) != 0 {
		t.Error("CRC64 of nothing is not 0")
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		p := make([]byte, r.IntN(200))
		for i := range p {
			p[i] = byte(r.IntN(256))
		}
		want := crc64Bytewise(0, p)
		if got := CRC64(0, p); got != want {
			t.Fatalf("len %d: sliced %#x, bytewise %#x", len(p), got, want)
		}
		cut := r.IntN(len(p) + 1)
		if got := CRC64(CRC64(0, p[:cut]), p[cut:]); got != want {
			t.Fatalf("len %d cut %d: incremental %#x, want %#x", len(p), cut, got, want)
		}
	}
}

func BenchmarkCRC64(b *testing.B) {
	p := make([]byte, 64<<10)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		CRC64(0, p)
	}
}
