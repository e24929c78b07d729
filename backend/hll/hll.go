package hll

import (
	"encoding/binary"
	"math/bits"
)

// Layout constants of Redis's HyperLogLog (hyperloglog.c).
const (
	precision   = 14             // bits of the hash that pick a register
	numRegs     = 1 << precision // 16384 registers
	regMask     = numRegs - 1    // index mask
	regBits     = 6              // bits per dense register
	regMax      = 1<<regBits - 1 // largest value a dense register holds
	hashBits    = 64 - precision // bits left for the run of zeroes
	headerSize  = 16             // "HYLL", encoding, 3 unused, 8 cardinality
	denseSize   = headerSize + (numRegs*regBits+7)/8
	encDense    = 0                  // header encoding byte: dense
	encSparse   = 1                  // header encoding byte: sparse
	cardOffset  = 8                  // cached cardinality, little endian
	staleByte   = headerSize - 1     // byte whose MSB marks the cache stale
	staleBit    = 0x80               // set: cached cardinality must be recomputed
	hashSeed    = 0xadc83b19         // MurmurHash64A seed Redis uses
	histogramSz = 64                 // one bucket per possible 6-bit register value
	maxRank     = hashBits + 1       // longest possible run of zeroes, plus one
	magic       = "HYLL"             // first four bytes of every value
	murmurM     = 0xc6a4a7935bd1e995 // MurmurHash64A multiplier
	murmurR     = 47                 // MurmurHash64A shift
)

// DefaultSparseMaxBytes is Redis's default hll-sparse-max-bytes: a sparse
// value that would grow beyond this many bytes (header included) is
// converted to dense.
const DefaultSparseMaxBytes = 3000

// IsHLL reports whether b passes Redis's HyperLogLog header check: at least
// 16 bytes, the "HYLL" magic, a known encoding, and exactly 12304 bytes when
// dense. It does not look at a sparse body; Validate does.
func IsHLL(b []byte) bool {
	if len(b) < headerSize || string(b[:4]) != magic {
		return false
	}
	switch b[4] {
	case encDense:
		return len(b) == denseSize
	case encSparse:
		return true
	}
	return false
}

// Validate returns the error PFMERGE and a multi-key PFCOUNT report for the
// value b: ErrWrongType if the header is not valid, ErrCorrupted if the body
// does not cover exactly the 16384 registers, nil otherwise. Those commands
// check their keys in argument order and stop at the first bad one, so a
// caller that meets a key holding another type can use Validate on the
// values before it to pick the same error Redis replies with.
func Validate(b []byte) error {
	if !IsHLL(b) {
		return ErrWrongType
	}
	if b[4] == encSparse && !sparseValid(b[headerSize:]) {
		return ErrCorrupted
	}
	return nil
}

// New returns the value PFADD creates for a missing key: an empty sparse
// HyperLogLog whose cached cardinality is marked stale, as PFADD counts the
// creation itself as a change.
func New() []byte {
	b := newSparse()
	b[staleByte] |= staleBit
	return b
}

// newSparse returns Redis's createHLLObject value: the header with a valid
// cached cardinality of zero and one XZERO opcode covering every register.
func newSparse() []byte {
	b := make([]byte, headerSize+2)
	copy(b, magic)
	b[4] = encSparse
	b[headerSize] = xzeroBit | byte((numRegs-1)>>8)
	b[headerSize+1] = byte((numRegs - 1) & 0xff)
	return b
}

// murmur64A is Austin Appleby's MurmurHash64A as Redis uses it: input
// words are read little endian whatever the host, so hashes agree across
// machines.
func murmur64A(key []byte, seed uint64) uint64 {
	h := seed ^ (uint64(len(key)) * murmurM)
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= murmurM
		k ^= k >> murmurR
		k *= murmurM
		h ^= k
		h *= murmurM
		key = key[8:]
	}
	if len(key) > 0 {
		for i := len(key) - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * uint(i))
		}
		h *= murmurM
	}
	h ^= h >> murmurR
	h *= murmurM
	h ^= h >> murmurR
	return h
}

// position returns the register an element falls in and the value it
// proposes for it: one plus the number of zero bits after the index bits,
// counted from the least significant end. A sentinel bit past the last hash
// bit bounds the count at hashBits+1.
func position(elem []byte) (index int, count uint8) {
	h := murmur64A(elem, hashSeed)
	index = int(h & regMask)
	rest := h>>precision | 1<<hashBits
	return index, uint8(bits.TrailingZeros64(rest) + 1)
}

// cachedCard returns the cached cardinality and whether it is valid.
func cachedCard(b []byte) (uint64, bool) {
	if b[staleByte]&staleBit != 0 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[cardOffset:headerSize]), true
}
