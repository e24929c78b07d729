package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

func TestWriterEncodings(t *testing.T) {
	tests := []struct {
		name   string
		append func(w *Writer)
		resp2  string
		resp3  string
	}{
		{"simple", func(w *Writer) { w.AppendSimple("OK") }, "+OK\r\n", "+OK\r\n"},
		{"simple newline", func(w *Writer) { w.AppendSimple("a\r\nb") }, "+a  b\r\n", "+a  b\r\n"},
		{"error", func(w *Writer) { w.AppendError("ERR bad\nthing") }, "-ERR bad thing\r\n", "-ERR bad thing\r\n"},
		{"int", func(w *Writer) { w.AppendInt(-42) }, ":-42\r\n", ":-42\r\n"},
		{"bulk", func(w *Writer) { w.AppendBulk([]byte("a\r\nb")) }, "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"},
		{"bulk empty", func(w *Writer) { w.AppendBulkString("") }, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"null", func(w *Writer) { w.AppendNull() }, "$-1\r\n", "_\r\n"},
		{"null array", func(w *Writer) { w.AppendNullArray() }, "*-1\r\n", "_\r\n"},
		{"array", func(w *Writer) { w.AppendArray(2); w.AppendInt(1); w.AppendInt(2) }, "*2\r\n:1\r\n:2\r\n", "*2\r\n:1\r\n:2\r\n"},
		{"map", func(w *Writer) { w.AppendMap(1); w.AppendBulkString("k"); w.AppendInt(1) }, "*2\r\n$1\r\nk\r\n:1\r\n", "%1\r\n$1\r\nk\r\n:1\r\n"},
		{"set", func(w *Writer) { w.AppendSet(0) }, "*0\r\n", "~0\r\n"},
		{"push", func(w *Writer) { w.AppendPush(2); w.AppendBulkString("a"); w.AppendInt(1) }, "*2\r\n$1\r\na\r\n:1\r\n", ">2\r\n$1\r\na\r\n:1\r\n"},
		{"double", func(w *Writer) { w.AppendDouble(1.5) }, "$3\r\n1.5\r\n", ",1.5\r\n"},
		{"double 0.1", func(w *Writer) { w.AppendDouble(0.1) }, "$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n"},
		{"double exp", func(w *Writer) { w.AppendDouble(1e100) }, "$6\r\n1e+100\r\n", ",1e+100\r\n"},
		{"double small", func(w *Writer) { w.AppendDouble(1e-5) }, "$22\r\n1.0000000000000001e-05\r\n", ",1.0000000000000001e-05\r\n"},
		{"double int", func(w *Writer) { w.AppendDouble(3) }, "$1\r\n3\r\n", ",3\r\n"},
		{"double inf", func(w *Writer) { w.AppendDouble(math.Inf(1)) }, "$3\r\ninf\r\n", ",inf\r\n"},
		{"double -inf", func(w *Writer) { w.AppendDouble(math.Inf(-1)) }, "$4\r\n-inf\r\n", ",-inf\r\n"},
		{"bool true", func(w *Writer) { w.AppendBool(true) }, ":1\r\n", "#t\r\n"},
		{"bool false", func(w *Writer) { w.AppendBool(false) }, ":0\r\n", "#f\r\n"},
		{"verbatim", func(w *Writer) { w.AppendVerbatim("txt", []byte("hi")) }, "$2\r\nhi\r\n", "=6\r\ntxt:hi\r\n"},
		{"bignum", func(w *Writer) { w.AppendBigNumber("12345678901234567890") }, "$20\r\n12345678901234567890\r\n", "(12345678901234567890\r\n"},
		{"raw", func(w *Writer) { w.AppendRaw([]byte("+x\r\n")) }, "+x\r\n", "+x\r\n"},
	}
	for _, tt := range tests {
		for _, proto := range []int{2, 3} {
			var out bytes.Buffer
			w := NewWriter(&out)
			w.SetProto(proto)
			tt.append(w)
			if err := w.Flush(); err != nil {
				t.Fatalf("%s: flush: %v", tt.name, err)
			}
			want := tt.resp2
			if proto == 3 {
				want = tt.resp3
			}
			if out.String() != want {
				t.Errorf("%s RESP%d = %q, want %q", tt.name, proto, out.String(), want)
			}
			// Everything the writer emits must be a complete reply for the scanner.
			if n, err := ScanReply(out.Bytes()); err != nil || n == 0 {
				t.Errorf("%s RESP%d: ScanReply(%q) = %d, %v", tt.name, proto, out.Bytes(), n, err)
			}
		}
	}
}

type failWriter struct{ n int }

var errBroken = errors.New("broken pipe")

func (f *failWriter) Write(p []byte) (int, error) {
	f.n++
	return 0, errBroken
}

func TestWriterKeepsFirstError(t *testing.T) {
	fw := &failWriter{}
	w := NewWriter(fw)
	w.AppendSimple("OK")
	if err := w.Flush(); !errors.Is(err, errBroken) {
		t.Fatalf("Flush = %v, want %v", err, errBroken)
	}
	w.AppendSimple("OK")
	if err := w.Flush(); !errors.Is(err, errBroken) {
		t.Fatalf("second Flush = %v, want the first error", err)
	}
	if fw.n != 1 {
		t.Fatalf("wrote %d times after an error, want 1", fw.n)
	}
	if !errors.Is(w.Err(), errBroken) {
		t.Fatalf("Err = %v", w.Err())
	}
}

func TestWriterStreamsLargeReplies(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	big := strings.Repeat("x", 1000)
	for range 200 {
		w.AppendBulkString(big)
	}
	if w.Buffered() >= flushThreshold {
		t.Fatalf("buffered %d bytes, want write-through past %d", w.Buffered(), flushThreshold)
	}
	if out.Len() == 0 {
		t.Fatal("nothing written before Flush for a 200 KB reply")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 200*(1000+len("$1000\r\n\r\n")) {
		t.Fatalf("wrote %d bytes", out.Len())
	}
}

func BenchmarkWriterBulk(b *testing.B) {
	w := NewWriter(io.Discard)
	val := []byte("some-value-of-moderate-size")
	b.ReportAllocs()
	for b.Loop() {
		for range 16 {
			w.AppendBulk(val)
		}
		_ = w.Flush()
	}
}

func TestWriterHoldKeepsLargeRepliesBuffered(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	w.Hold(true)
	big := bytes.Repeat([]byte("x"), 2*flushThreshold)
	w.AppendBulk(big)
	if out.Len() != 0 {
		t.Fatalf("held writer wrote %d bytes through", out.Len())
	}
	w.Hold(false)
	w.AppendInt(1)
	if out.Len() == 0 {
		t.Fatal("released writer did not write through past the threshold")
	}
	if err := w.Flush(); err != nil || out.Len() != w.Buffered()+len(big)+len("$131072\r\n\r\n:1\r\n") {
		t.Fatalf("after Flush: %d bytes, err %v", out.Len(), err)
	}
}
