package hll

import (
	"strconv"
	"testing"
)

func benchElems(n int, prefix string) [][]byte {
	e := make([][]byte, n)
	for i := range e {
		e[i] = []byte(prefix + strconv.Itoa(i))
	}
	return e
}

func benchDense(b *testing.B, prefix string) []byte {
	v, _, err := Add(nil, false, DefaultSparseMaxBytes, benchElems(20000, prefix)...)
	if err != nil || v[4] != encDense {
		b.Fatalf("building a dense value: %v", err)
	}
	return v
}

func BenchmarkAddDense(b *testing.B) {
	v := benchDense(b, "a")
	elems := benchElems(1024, "new")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		v, _, err = Add(v, true, DefaultSparseMaxBytes, elems[i&1023])
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddSparse(b *testing.B) {
	v, _, _ := Add(nil, false, DefaultSparseMaxBytes, benchElems(200, "s")...)
	elems := benchElems(1024, "new")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Add(v, true, DefaultSparseMaxBytes, elems[i&1023]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCountDense(b *testing.B) {
	v := benchDense(b, "c")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v[staleByte] |= staleBit
		if _, _, _, err := Count(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCountUnion3(b *testing.B) {
	x, y, z := benchDense(b, "x"), benchDense(b, "y"), benchDense(b, "z")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CountUnion(x, y, z); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMergeDense(b *testing.B) {
	dst, src := benchDense(b, "d"), benchDense(b, "s")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if dst, err = Merge(dst, true, DefaultSparseMaxBytes, src); err != nil {
			b.Fatal(err)
		}
	}
}
