package rdb

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestLZFKnownOutput(t *testing.T) {
	// What Redis 7.0 writes for SET k <66 x 'a'>: DUMP gives
	// \x00 \xc3 \x09 \x40\x42 followed by these 9 bytes.
	var c lzfCompressor
	out, ok := c.compress(nil, bytes.Repeat([]byte("a"), 66), 62)
	if !ok || string(out) != "\x01aa\xe05\x00\x01aa" {
		t.Fatalf("compress = %q, %v", out, ok)
	}
}

func TestLZFRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var c lzfCompressor
	for i := range 800 {
		n := r.IntN(300)
		switch i % 5 {
		case 3:
			n = r.IntN(20000)
		case 4:
			if i%50 == 4 {
				n = 60000 + r.IntN(80000)
			}
		}
		src := make([]byte, n)
		alphabet := 1 + r.IntN(256)
		for j := range src {
			if j > 0 && r.IntN(3) == 0 {
				src[j] = src[r.IntN(j)]
			} else {
				src[j] = byte(r.IntN(alphabet))
			}
		}
		limit := n + 64
		if r.IntN(2) == 0 {
			limit = r.IntN(n + 1)
		}
		prefix := []byte("prefix")
		out, ok := c.compress(prefix, src, limit)
		if !ok {
			if string(out) != "prefix" {
				t.Fatalf("failed compress changed dst to %q", out)
			}
			continue
		}
		comp := out[len(prefix):]
		if len(comp) > limit {
			t.Fatalf("n %d: %d bytes over limit %d", n, len(comp), limit)
		}
		back, err := lzfDecompress([]byte("x"), comp, n)
		if err != nil || !bytes.Equal(back[1:], src) || back[0] != 'x' {
			t.Fatalf("n %d: round trip failed: %v", n, err)
		}
	}
}

func TestLZFIncompressible(t *testing.T) {
	var c lzfCompressor
	src := []byte("abcdefghijklmnopqrstuvwxyz")
	if _, ok := c.compress(nil, src, len(src)-4); ok {
		t.Fatal("incompressible input compressed below its size")
	}
	if _, ok := c.compress(nil, nil, 10); ok {
		t.Fatal("empty input compressed")
	}
}

func TestLZFDecompressErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		n    int
	}{
		{"literal past input", "\x05ab", 6},
		{"literal past output", "\x02abc", 2},
		{"reference before start", "\x00a\x20\x05", 5},
		{"reference missing offset", "\x00a\x20", 4},
		{"long reference missing length", "\x00a\xe0", 12},
		{"long reference missing offset", "\x00a\xe0\x01", 12},
		{"reference past output", "\x00a\x40\x00", 3},
		{"short output", "\x01ab", 3},
		{"empty input", "", 1},
	}
	for _, c := range cases {
		if _, err := lzfDecompress(nil, []byte(c.src), c.n); !errors.Is(err, errLZF) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
	// An overlapping reference repeats what it just wrote.
	out, err := lzfDecompress(nil, []byte("\x01ab\xe0\x01\x01"), 12)
	if err != nil || string(out) != strings.Repeat("ab", 6) {
		t.Fatalf("overlap: %q, %v", out, err)
	}
}

func BenchmarkLZFCompress(b *testing.B) {
	src := bytes.Repeat([]byte("hello world, listpack entries "), 270)[:8000]
	var c lzfCompressor
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	dst := make([]byte, 0, len(src))
	for b.Loop() {
		c.compress(dst[:0], src, len(src)-4)
	}
}
