package rdb

import (
	"strconv"
	"testing"
)

func benchHash() *Object {
	o := &Object{Kind: KindHash}
	for i := range 1000 {
		o.Hash = append(o.Hash, Field{Name: []byte("field:" + strconv.Itoa(i)), Value: []byte(strconv.Itoa(i * 37))})
	}
	return o
}

func benchList() *Object {
	o := &Object{Kind: KindList}
	for i := range 100000 {
		if i%3 == 0 {
			o.List = append(o.List, []byte(strconv.Itoa(i)))
		} else {
			o.List = append(o.List, []byte("item:"+strconv.Itoa(i)))
		}
	}
	return o
}

func benchDump(b *testing.B, o *Object, enc string, opt DumpOptions) {
	p, err := Dump(o, enc, opt)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Dump(o, enc, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRestore(b *testing.B, o *Object, enc string, opt DumpOptions) {
	p, err := Dump(o, enc, opt)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Restore(p); err != nil {
			b.Fatal(err)
		}
	}
}

var noCompress = DumpOptions{ListMaxListpackSize: -2}

func BenchmarkDumpHashListpack1000(b *testing.B) {
	benchDump(b, benchHash(), "listpack", DefaultDumpOptions())
}

func BenchmarkDumpHashListpack1000NoCompress(b *testing.B) {
	benchDump(b, benchHash(), "listpack", noCompress)
}

func BenchmarkRestoreHashListpack1000(b *testing.B) {
	benchRestore(b, benchHash(), "listpack", DefaultDumpOptions())
}

func BenchmarkDumpList100k(b *testing.B) {
	benchDump(b, benchList(), "quicklist", DefaultDumpOptions())
}

func BenchmarkDumpList100kNoCompress(b *testing.B) {
	benchDump(b, benchList(), "quicklist", noCompress)
}

func BenchmarkRestoreList100k(b *testing.B) {
	benchRestore(b, benchList(), "quicklist", DefaultDumpOptions())
}

func BenchmarkRestoreList100kNoCompress(b *testing.B) {
	benchRestore(b, benchList(), "quicklist", noCompress)
}

func BenchmarkEncoderDumpHashListpack1000(b *testing.B) {
	o := benchHash()
	e := NewEncoder(DefaultDumpOptions())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Dump(o, "listpack"); err != nil {
			b.Fatal(err)
		}
	}
}
