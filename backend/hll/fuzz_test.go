package hll

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzHLL feeds arbitrary values to every entry point. Nothing may panic,
// errors must be the package's sentinels, and a value Redis would call
// valid must stay valid through every edit.
func FuzzHLL(f *testing.F) {
	withXY, _, _ := Add(nil, false, DefaultSparseMaxBytes, []byte("x"), []byte("y"))
	dense := make([]byte, denseSize)
	copy(dense, hdr(encDense, staleCard))
	f.Add(New(), []byte("a"), uint16(3000))
	f.Add(withXY, []byte("hello"), uint16(20))
	f.Add(dense, []byte{0, 1, 2}, uint16(0))
	f.Add(sparseOf(staleCard, 0x40, 0xfe, 0x7f), []byte("z"), uint16(3000))
	f.Add(sparseOf(staleCard, 0x7f, 0xff, 0x80), []byte("z"), uint16(3000))
	f.Add([]byte("HYLL"), []byte(""), uint16(1))
	f.Fuzz(func(t *testing.T, v, elem []byte, limit uint16) {
		sparseMaxBytes := int(limit)
		okErr := func(op string, err error) {
			if err != nil && !errors.Is(err, ErrWrongType) && !errors.Is(err, ErrCorrupted) {
				t.Fatalf("%s: unexpected error %v", op, err)
			}
		}
		// Redis accepts a body whose last XZERO lacks its second byte
		// (it reads the NUL after the string) but its edits may then
		// lose a byte, as ours do, so such values are not held to the
		// invariant.
		valid := func(b []byte) bool {
			if !IsHLL(b) {
				return false
			}
			_, ok := sparseHistogram(b[headerSize:])
			return b[4] == encDense || ok && !cutShort(b[headerSize:])
		}
		wasValid := valid(v)
		_, histOK := sparseHistogram(v[min(len(v), headerSize):])
		if (Validate(v) == nil) != (IsHLL(v) && (v[4] == encDense || histOK)) {
			t.Fatalf("Validate disagrees with the histogram check")
		}

		out, _, err := Add(bytes.Clone(v), true, sparseMaxBytes, elem, v)
		okErr("Add", err)
		if wasValid && (err != nil || !valid(out)) {
			t.Fatalf("Add broke a valid value: %v", err)
		}
		if IsHLL(v) != (err != ErrWrongType) {
			t.Fatalf("Add: header check and error disagree: %v", err)
		}
		if len(out) > max(len(v)+3*2, denseSize) {
			t.Fatalf("Add grew %d bytes to %d", len(v), len(out))
		}

		n, _, _, err := Count(bytes.Clone(v))
		okErr("Count", err)
		if wasValid && v[staleByte]&staleBit != 0 {
			u, uerr := CountUnion(v)
			if err != nil || uerr != nil || n != u {
				t.Fatalf("Count %d, %v but CountUnion %d, %v", n, err, u, uerr)
			}
		}

		m, err := Merge(bytes.Clone(v), true, sparseMaxBytes, v, withXY)
		okErr("Merge", err)
		if wasValid && (err != nil || !valid(m)) {
			t.Fatalf("Merge broke a valid value: %v", err)
		}
		m, err = Merge(nil, false, sparseMaxBytes, withXY, v)
		okErr("Merge", err)
		if wasValid && (err != nil || !valid(m)) {
			t.Fatalf("Merge into a new key: %v", err)
		}
	})
}

// cutShort reports whether a sparse body ends inside an XZERO opcode.
func cutShort(body []byte) bool {
	p := 0
	for p < len(body) {
		if isXZero(body[p]) {
			p += 2
		} else {
			p++
		}
	}
	return p > len(body)
}
