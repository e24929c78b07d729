package resp_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/keyslot/keyslot/internal/resp"
)

// chunkReader returns data in pieces of pseudo-random size.
type chunkReader struct {
	data []byte
	rng  *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	size := 1 + c.rng.IntN(17)
	if c.rng.IntN(8) == 0 {
		size = 1 + c.rng.IntN(4096)
	}
	n := copy(p[:min(len(p), size)], c.data)
	c.data = c.data[n:]
	return n, nil
}

// fuzzLimits are small enough for fuzzed inputs to reach every limit.
var fuzzLimits = resp.Limits{MaxBulkLen: 24, MaxMultibulkLen: 6, MaxInlineLen: 32, MaxQueryBufLen: 96}

func FuzzReader(f *testing.F) {
	for _, tc := range readCases {
		if len(tc.in) < 512 {
			f.Add([]byte(tc.in), uint64(len(tc.in)), uint8(0))
			f.Add([]byte(tc.in), uint64(7), uint8(1))
		}
	}
	pipeline := resp.AppendCommandString(nil, "SET", "key", "value")
	pipeline = resp.AppendCommandString(pipeline, "GET", "key")
	pipeline = append(pipeline, "PING\r\nECHO \"a b\" 'c'\n"...)
	f.Add(pipeline, uint64(1), uint8(0))
	f.Add(pipeline[:len(pipeline)-9], uint64(2), uint8(1))
	f.Add(pipeline, uint64(3), uint8(2))
	f.Add(append(pipeline[:20:20], "*1\r\n$x\r\n"...), uint64(4), uint8(0))
	f.Add([]byte("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n"), uint64(5), uint8(2))
	f.Add([]byte("*1\r\n$100\r\n"+string(bytes.Repeat([]byte("x"), 100))+"\r\n"), uint64(6), uint8(1))

	f.Fuzz(func(t *testing.T, data []byte, seed uint64, mode uint8) {
		lim := resp.DefaultLimits()
		if mode&1 != 0 {
			lim = fuzzLimits
		}
		auth := mode&2 != 0
		newReader := func(src io.Reader) *resp.Reader {
			rd := resp.NewReader(src, lim)
			rd.SetAuthRequired(auth)
			return rd
		}

		wholeRd := newReader(bytes.NewReader(data))
		cmds, raws, err := readStream(t, wholeRd)
		chunkRd := newReader(&chunkReader{data: data, rng: rand.New(rand.NewPCG(seed, 0))})
		cmds2, raws2, err2 := readStream(t, chunkRd)

		// However the bytes arrive, the outcome is the same.
		if fmt.Sprintf("%q", cmds) != fmt.Sprintf("%q", cmds2) || fmt.Sprintf("%q", raws) != fmt.Sprintf("%q", raws2) {
			t.Fatalf("whole: %q\nchunked: %q", cmds, cmds2)
		}
		if err.Error() != err2.Error() {
			t.Fatalf("whole ends with %v, chunked with %v", err, err2)
		}

		// The error is one of the documented ones.
		var pe *resp.ProtocolError
		switch {
		case errors.As(err, &pe):
		case err == io.EOF, err == io.ErrUnexpectedEOF, err == resp.ErrQueryBufferLimit:
		default:
			t.Fatalf("unexpected error %v", err)
		}

		// The buffer never holds much more than what arrived.
		for _, rd := range []*resp.Reader{wholeRd, chunkRd} {
			qbuf, free := rd.QueryBufStats()
			if limit := max(16<<10, 2*len(data)); qbuf+free > limit || qbuf+free > int(lim.MaxQueryBufLen) {
				t.Fatalf("buffer of %d bytes for %d bytes of input", qbuf+free, len(data))
			}
		}

		// Each command's raw frame read alone gives the same command; an
		// inline command re-encoded as multibulk gives the same arguments.
		var consumed int
		for i, raw := range raws {
			consumed += len(raw)
			one, _, oneErr := readStream(t, newReader(bytes.NewReader([]byte(raw))))
			if len(one) != 1 || one[0] != cmds[i] || oneErr != io.EOF {
				t.Fatalf("raw %q alone reads as %q, %v; want %q", raw, one, oneErr, cmds[i])
			}
		}
		if consumed > len(data) {
			t.Fatalf("commands span %d bytes of %d", consumed, len(data))
		}
		if !auth {
			inlineArgs := resp.NewReader(bytes.NewReader(data), lim)
			batch, _ := inlineArgs.ReadCommands(nil)
			for _, c := range batch {
				enc := resp.AppendCommand(nil, c.Args...)
				back, berr := resp.NewReader(bytes.NewReader(enc), resp.DefaultLimits()).ReadCommands(nil)
				if berr != nil || len(back) != 1 || fmt.Sprintf("%q", back[0].Args) != fmt.Sprintf("%q", c.Args) {
					t.Fatalf("re-encoded %q reads back as %v, %v", c.Args, back, berr)
				}
			}
		}
	})
}
