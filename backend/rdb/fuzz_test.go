package rdb

import (
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// encodingsFor returns the encodings a restored object can be dumped in.
func encodingsFor(o *Object) []string {
	switch o.Kind {
	case KindString:
		return []string{"raw"}
	case KindList:
		return []string{"quicklist"}
	case KindSet:
		for _, m := range o.Set {
			if _, ok := parseInt(m); !ok {
				return []string{"hashtable"}
			}
		}
		return []string{"intset", "hashtable"}
	case KindZSet:
		return []string{"listpack", "skiplist"}
	}
	return []string{"listpack", "hashtable"}
}

// FuzzRestore feeds Restore arbitrary objects (the fuzzer's bytes get a
// valid footer, so that they reach the decoder) and arbitrary payloads.
// Restore must never panic, and whatever it accepts must dump and restore
// to the same value.
func FuzzRestore(f *testing.F) {
	for _, g := range goldenDumps {
		p, _ := hex.DecodeString(g.hex)
		f.Add(p[:len(p)-10])
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 30 {
		o, enc := randObject(r)
		if p, err := Dump(o, enc, DumpOptions{Compress: true, ListMaxListpackSize: 3}); err == nil && len(p) < 2000 {
			f.Add(p[:len(p)-10])
		}
	}
	long := []byte("LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL")
	for _, p := range [][]byte{
		payload(TypeListQuicklist, lenb(2), str(makeZiplist(bs("a", "1", "-300")...)), AppendString(nil, makeZiplist(long, long), true)),
		payload(TypeListZiplist, str(makeZiplist(bs("a", "100000", "5000000000")...))),
		payload(TypeHashZipmap, str(makeZipmap(1, fields("f", "v", "g", "1")...))),
		payload(TypeZSetZiplist, str(makeZiplist(bs("a", "1.5", "b", "-inf")...))),
		payload(TypeHashZiplist, str(makeZiplist(bs("f", "v")...))),
		payload(TypeZSet, lenb(2), str([]byte("a")), []byte{3}, []byte("1.5"), str([]byte("b")), []byte{254}),
		payload(TypeList, lenb(2), str([]byte("a")), []byte{0xC0, 7}),
		payload(TypeListQuicklist2, lenb(2), lenb(1), str(long), lenb(2), str(makeListpack(bs("x", "7")...))),
	} {
		f.Add(p[:len(p)-10])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		Restore(body) // as a whole payload: footer checks
		o, err := Restore(AppendFooter(body))
		if err != nil {
			if err != ErrBadFormat {
				t.Fatalf("Restore error %v", err)
			}
			return
		}
		for _, enc := range encodingsFor(o) {
			p, err := Dump(o, enc, DumpOptions{Compress: true, ListMaxListpackSize: 2})
			if err != nil {
				t.Fatalf("Dump(%v, %s) of a restored value: %v", o.Kind, enc, err)
			}
			back, err := Restore(p)
			if err != nil {
				t.Fatalf("Restore(Dump(%v, %s)): %v", o.Kind, enc, err)
			}
			if err := equalObjects(back, o); err != nil {
				t.Fatalf("%v %s: %v", o.Kind, enc, err)
			}
		}
	})
}
