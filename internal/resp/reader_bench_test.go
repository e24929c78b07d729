package resp_test

import (
	"strconv"
	"testing"

	"github.com/keyslot/keyslot/internal/resp"
)

// repeatReader delivers the same bytes on every Read, like a client that
// sends one pipeline per round trip, without syscalls in the measurement.
type repeatReader struct{ data []byte }

func (r *repeatReader) Read(p []byte) (int, error) { return copy(p, r.data), nil }

// pipeline16 is a typical pipelined batch: 16 SET and GET commands.
func pipeline16() []byte {
	var b []byte
	for i := range 8 {
		key := "user:" + strconv.Itoa(1000+i)
		b = resp.AppendCommandString(b, "SET", key, "some-value-of-moderate-size-"+strconv.Itoa(i))
		b = resp.AppendCommandString(b, "GET", key)
	}
	return b
}

func benchmarkRead(b *testing.B, data []byte, want int) {
	rd := resp.NewReader(&repeatReader{data: data}, resp.DefaultLimits())
	cmds := make([]resp.Command, 0, want)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		cmds, err = rd.ReadCommands(cmds[:0])
		if err != nil || len(cmds) != want {
			b.Fatalf("got %d commands, %v", len(cmds), err)
		}
	}
}

func BenchmarkReadPipeline16(b *testing.B) {
	benchmarkRead(b, pipeline16(), 16)
}

func BenchmarkReadPipeline16Inline(b *testing.B) {
	var data []byte
	for i := range 8 {
		key := "user:" + strconv.Itoa(1000+i)
		data = append(data, "SET "+key+" \"some value\"\r\nGET "+key+"\r\n"...)
	}
	benchmarkRead(b, data, 16)
}

// BenchmarkReadSplitFrames feeds a 16-command pipeline in 1000-byte reads,
// so most batches end in a partial frame that is resumed later.
func BenchmarkReadSplitFrames(b *testing.B) {
	one := pipeline16()
	src := &cycleReader{data: one, chunk: 1000}
	rd := resp.NewReader(src, resp.DefaultLimits())
	var cmds []resp.Command
	b.SetBytes(int64(len(one)))
	b.ReportAllocs()
	for b.Loop() {
		for got := 0; got < 16; {
			var err error
			cmds, err = rd.ReadCommands(cmds[:0])
			if err != nil {
				b.Fatal(err)
			}
			got += len(cmds)
		}
	}
}

// cycleReader delivers data over and over, at most chunk bytes per Read.
type cycleReader struct {
	data  []byte
	off   int
	chunk int
}

func (c *cycleReader) Read(p []byte) (int, error) {
	n := copy(p[:min(len(p), c.chunk)], c.data[c.off:])
	c.off = (c.off + n) % len(c.data)
	return n, nil
}

// replies16 is the reply stream to pipeline16, plus an MGET-like array.
func replies16() []byte {
	var b []byte
	for i := range 8 {
		b = append(b, "+OK\r\n"...)
		v := "some-value-of-moderate-size-" + strconv.Itoa(i)
		b = append(b, "$"+strconv.Itoa(len(v))+"\r\n"+v+"\r\n"...)
	}
	return b
}

func BenchmarkScanReply(b *testing.B) {
	data := replies16()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for off := 0; off < len(data); {
			n, err := resp.ScanReply(data[off:])
			if err != nil || n == 0 {
				b.Fatalf("ScanReply = %d, %v", n, err)
			}
			off += n
		}
	}
}

func BenchmarkScanReplyArray(b *testing.B) {
	data := []byte("*100\r\n")
	for i := range 100 {
		if i%10 == 0 {
			data = append(data, "$-1\r\n"...)
			continue
		}
		data = append(data, "$12\r\nvalue-000000\r\n"...)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := resp.ScanReply(data); n != len(data) || err != nil {
			b.Fatalf("ScanReply = %d, %v", n, err)
		}
	}
}

func BenchmarkParseValue(b *testing.B) {
	data := []byte("*3\r\n$3\r\nfoo\r\n:42\r\n*2\r\n+OK\r\n$-1\r\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, n, err := resp.ParseValue(data); n != len(data) || err != nil {
			b.Fatalf("ParseValue = %d, %v", n, err)
		}
	}
}
