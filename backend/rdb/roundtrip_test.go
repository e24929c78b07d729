package rdb

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	opts := []DumpOptions{
		DefaultDumpOptions(),
		{Compress: false, ListMaxListpackSize: -2},
		{Compress: true, ListMaxListpackSize: 4},
		{Compress: true, ListMaxListpackSize: -5},
		{Compress: true, ListMaxListpackSize: 0},
		{Compress: true, ListMaxListpackSize: -1, PackedThreshold: 100},
	}
	for i := range 1000 {
		o, enc := randObject(r)
		opt := opts[i%len(opts)]
		p, err := Dump(o, enc, opt)
		if err != nil {
			t.Fatalf("#%d Dump(%v, %s): %v", i, o.Kind, enc, err)
		}
		got, err := Restore(p)
		if err != nil {
			t.Fatalf("#%d Restore(Dump(%v, %s, %+v)): %v", i, o.Kind, enc, opt, err)
		}
		if err := equalObjects(got, o); err != nil {
			t.Fatalf("#%d %v %s %+v: %v", i, o.Kind, enc, opt, err)
		}
	}
}

// TestEncoderReuse checks that an Encoder reused across many objects (and
// the LZF table it keeps) writes what fresh ones do.
func TestEncoderReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	opt := DumpOptions{Compress: true, ListMaxListpackSize: -3}
	e := NewEncoder(opt)
	for i := range 150 {
		o, enc := randObject(r)
		want, err := Dump(o, enc, opt)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Dump(o, enc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("#%d %v %s: reused encoder differs at byte %d", i, o.Kind, enc, firstDiff(got, want))
		}
	}
	// Force the full table's generation counter to wrap.
	e.lzf.gen = lzfGenLimit - 10
	big := bytes.Repeat([]byte("abcdefgh12345678"), 1000)
	want := AppendString(nil, big, true)
	for range 3 {
		if got := e.AppendString(nil, big); !bytes.Equal(got, want) {
			t.Fatal("AppendString differs after the generation wrapped")
		}
	}
}
