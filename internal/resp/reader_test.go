package resp_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// readCase is one request stream and what reading it must give: the
// commands (arguments joined by "|", inline ones prefixed by "inline:") and
// the text of the error that ends the stream.
type readCase struct {
	name string
	in   string
	want []string
	err  string
	// redis marks the cases whose outcome was checked against
	// redis-server 7.0 by TestReaderMatchesRedis.
	redis bool
}

const (
	errEOF        = "EOF"
	errUnexpected = "unexpected EOF"
)

var readCases = []readCase{
	// Multibulk requests.
	{name: "one command", in: "*1\r\n$4\r\nPING\r\n", want: []string{"PING"}, err: errEOF},
	{name: "pipeline", in: "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n",
		want: []string{"PING", "ECHO|", "SET|k|a\r\nb"}, err: errEOF},
	{name: "binary argument", in: "*2\r\n$4\r\nECHO\r\n$3\r\n\x00\r\n\r\n", want: []string{"ECHO|\x00\r\n"}, err: errEOF},
	{name: "null multibulk skipped", in: "*-1\r\n*1\r\n$4\r\nPING\r\n", want: []string{"PING"}, err: errEOF, redis: true},
	{name: "empty multibulk skipped", in: "*0\r\n*-10\r\n*1\r\n$4\r\nPING\r\n", want: []string{"PING"}, err: errEOF, redis: true},
	{name: "multibulk above INT_MAX", in: "*2147483648\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "multibulk far too long", in: "*3000000000\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	// keyslot caps a request at 1,048,576 arguments where Redis 7.0 takes
	// up to INT_MAX, so these differ from Redis on purpose.
	{name: "multibulk INT_MAX refused", in: "*2147483647\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "multibulk above 1M refused", in: "*1048577\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "multibulk at 1M accepted", in: "*1048576\r\n", err: errUnexpected, redis: true},
	{name: "multibulk leading zero", in: "*01\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "multibulk minus zero", in: "*-0\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "multibulk plus sign", in: "*+1\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "multibulk empty count", in: "*\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "multibulk not a number", in: "*1x\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "multibulk 21 digits", in: "*123456789012345678901\r\n", err: "Protocol error: invalid multibulk length", redis: true},
	{name: "negative bulk", in: "*1\r\n$-1\r\n", err: "Protocol error: invalid bulk length", redis: true},
	{name: "bulk leading zero", in: "*1\r\n$01\r\n", err: "Protocol error: invalid bulk length", redis: true},
	{name: "bulk not a number", in: "*1\r\n$x\r\n", err: "Protocol error: invalid bulk length", redis: true},
	{name: "bulk above proto-max-bulk-len", in: "*1\r\n$536870913\r\n", err: "Protocol error: invalid bulk length", redis: true},
	{name: "bulk at proto-max-bulk-len", in: "*1\r\n$536870912\r\nabc", err: errUnexpected, redis: true},
	{name: "expected dollar", in: "*1\r\nx\r\n", err: "Protocol error: expected '$', got 'x'", redis: true},
	{name: "expected dollar got CR", in: "*1\r\n\r\n", err: "Protocol error: expected '$', got ' '", redis: true},
	{name: "expected dollar got LF", in: "*1\r\n\nabc\r\n", err: "Protocol error: expected '$', got ' '", redis: true},
	{name: "expected dollar got high byte", in: "*1\r\n\xff\r\n", err: "Protocol error: expected '$', got '\xff'", redis: true},
	{name: "expected dollar got colon", in: "*2\r\n$4\r\nECHO\r\n:1\r\n", err: "Protocol error: expected '$', got ':'", redis: true},
	{name: "bulk CRLF not checked", in: "*1\r\n$4\r\nPINGxx", want: []string{"PING"}, err: errEOF, redis: true},
	{name: "count line LF not checked", in: "*1\rx$4\r\nPING\r\n", want: []string{"PING"}, err: errEOF, redis: true},
	{name: "bulk line LF not checked", in: "*1\r\n$4\rxPING\r\n", want: []string{"PING"}, err: errEOF, redis: true},
	{name: "count line waits for byte after CR", in: "*1\r", err: errUnexpected, redis: true},
	{name: "NUL in count line never ends it", in: "*1\x00\r\n", err: errUnexpected, redis: true},
	{name: "NUL in bulk line never ends it", in: "*1\r\n$4\x00\r\nPING\r\n", err: errUnexpected, redis: true},
	{name: "mbulk count line at limit", in: "*" + strings.Repeat("1", 65535), err: errUnexpected, redis: true},
	{name: "mbulk count line over limit", in: "*" + strings.Repeat("1", 65536), err: "Protocol error: too big mbulk count string", redis: true},
	{name: "NUL mbulk count line over limit", in: "*1\x00" + strings.Repeat("1", 65534) + "\r\n", err: "Protocol error: too big mbulk count string", redis: true},
	{name: "bulk count line at limit", in: "*1\r\n$" + strings.Repeat("1", 65535), err: errUnexpected, redis: true},
	{name: "bulk count line over limit", in: "*1\r\n$" + strings.Repeat("1", 65536), err: "Protocol error: too big bulk count string", redis: true},
	{name: "bulk count line at limit then CR", in: "*1\r\n$" + strings.Repeat("1", 65535) + "\r\n", err: "Protocol error: invalid bulk length", redis: true},
	{name: "partial frame", in: "*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n*1\r\n$4\r\nPI", want: []string{"ECHO|abc"}, err: errUnexpected, redis: true},
	{name: "commands then error", in: "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*x\r\n",
		want: []string{"PING", "ECHO|x"}, err: "Protocol error: invalid multibulk length", redis: true},
	{name: "dollar line after frame is inline", in: "*1\r\n$4\r\nPING\r\n$5\r\n",
		want: []string{"PING", "inline:$5"}, err: errEOF, redis: true},

	// Inline requests.
	{name: "inline CRLF", in: "PING\r\n", want: []string{"inline:PING"}, err: errEOF, redis: true},
	{name: "inline LF", in: "PING\nPING\r\n", want: []string{"inline:PING", "inline:PING"}, err: errEOF, redis: true},
	{name: "empty lines skipped", in: "\r\n\r\n\nPING\n", want: []string{"inline:PING"}, err: errEOF, redis: true},
	{name: "blank line skipped", in: "   \t \r\nPING\r\n", want: []string{"inline:PING"}, err: errEOF, redis: true},
	{name: "only one CR stripped", in: "PING\r\r\n", want: []string{"inline:PING"}, err: errEOF, redis: true},
	{name: "CR separates words", in: "ECHO a\rb\r\n", want: []string{"inline:ECHO|a|b"}, err: errEOF, redis: true},
	{name: "unterminated double quote", in: "ECHO \"abc\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "unterminated single quote", in: "ECHO 'abc\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "text after closing quote", in: "ECHO \"a\"b\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "text after closing single quote", in: "ECHO 'a'b\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "quote inside word", in: "ECHO a\"b c\"\r\n", want: []string{"inline:ECHO|ab c"}, err: errEOF, redis: true},
	{name: "quote inside word then text", in: "ECHO a\"b c\"d\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "double quote escapes", in: `ECHO "\x41\x4g\n\r\t\b\a\z\"\\"` + "\r\n",
		want: []string{"inline:ECHO|Ax4g\n\r\t\b\az\"\\"}, err: errEOF, redis: true},
	{name: "hex escape needs two digits", in: `ECHO "\xZZ" "\x4"` + "\r\n", want: []string{"inline:ECHO|xZZ|x4"}, err: errEOF},
	{name: "escaped closing quote", in: "ECHO \"a\\\"\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "backslash at end", in: "ECHO \"a\\\r\n", err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "single quote escapes", in: `ECHO 'a\'b\x41' 'a\\b'` + "\r\n", want: []string{`inline:ECHO|a'b\x41|a\\b`}, err: errEOF},
	{name: "empty quoted arguments", in: "ECHO \"\" ''\r\n", want: []string{"inline:ECHO||"}, err: errEOF},
	{name: "vertical tab and form feed", in: "ECHO \vab\vc\f\r\n", want: []string{"inline:ECHO|ab\vc\f"}, err: errEOF, redis: true},
	{name: "vertical tab after quote", in: "ECHO \"a\"\vb\r\n", want: []string{"inline:ECHO|a|b"}, err: errEOF},
	{name: "tab after quote", in: "ECHO \"a\"\t\r\n", want: []string{"inline:ECHO|a"}, err: errEOF, redis: true},
	{name: "high bytes are not spaces", in: "ECHO \xff\xa0x \x85\r\n", want: []string{"inline:ECHO|\xff\xa0x|\x85"}, err: errEOF},
	{name: "NUL in inline line never ends it", in: "ECHO a\x00b\r\n", err: errUnexpected, redis: true},
	{name: "inline without newline", in: "PING", err: errUnexpected},
	{name: "commands then unbalanced quotes", in: "*1\r\n$4\r\nPING\r\nECHO \"x\r\n",
		want: []string{"PING"}, err: "Protocol error: unbalanced quotes in request", redis: true},
	{name: "inline pending at limit", in: strings.Repeat("A", 65536), err: errUnexpected, redis: true},
	{name: "inline pending over limit", in: strings.Repeat("A", 65537), err: "Protocol error: too big inline request", redis: true},
	{name: "inline line at limit", in: "ECHO " + strings.Repeat("A", 65531) + "\n",
		want: []string{"inline:ECHO|" + strings.Repeat("A", 65531)}, err: errEOF, redis: true},
	// Redis accepts this line when it arrives in one read and rejects it when
	// it arrives a byte at a time; the Reader rejects it however it arrives.
	{name: "inline line over limit", in: "ECHO " + strings.Repeat("A", 65532) + "\n", err: "Protocol error: too big inline request"},
}

// cmdString renders a command the way readCase.want spells it.
func cmdString(c resp.Command) string {
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = string(a)
	}
	s := strings.Join(parts, "|")
	if c.Inline {
		s = "inline:" + s
	}
	return s
}

// readStream reads rd to its end and returns every command, copied, and the
// error that ended it. It checks invariants every batch must hold.
func readStream(t testing.TB, rd *resp.Reader) ([]string, []string, error) {
	t.Helper()
	var (
		cmds, raws []string
		batch      []resp.Command
		err        error
	)
	for calls := 0; ; calls++ {
		if calls > 1<<20 {
			t.Fatal("ReadCommands keeps returning without progress")
		}
		batch, err = rd.ReadCommands(batch[:0])
		for _, c := range batch {
			if len(c.Args) == 0 {
				t.Fatalf("command without arguments, raw %q", c.Raw)
			}
			if !c.Inline {
				for _, a := range c.Args {
					if !within(a, c.Raw) {
						t.Fatalf("argument %q is not a sub-slice of raw %q", a, c.Raw)
					}
				}
			}
			cmds = append(cmds, cmdString(c))
			raws = append(raws, string(c.Raw))
		}
		if err != nil {
			return cmds, raws, err
		}
		if len(batch) == 0 {
			t.Fatal("ReadCommands returned neither commands nor an error")
		}
	}
}

// within reports whether a lies inside b's memory, with a's capacity ending
// at its length.
func within(a, b []byte) bool {
	if cap(a) != len(a) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	for i := 0; i+len(a) <= len(b); i++ {
		if &b[i] == &a[0] {
			return true
		}
	}
	return false
}

func checkCase(t *testing.T, how string, tc readCase, cmds []string, err error) {
	t.Helper()
	if fmt.Sprint(cmds) != fmt.Sprint(tc.want) || len(cmds) != len(tc.want) {
		t.Errorf("%s: %s: commands %q, want %q", tc.name, how, cmds, tc.want)
	}
	if err == nil || err.Error() != tc.err {
		t.Errorf("%s: %s: error %v, want %q", tc.name, how, err, tc.err)
	}
}

func TestReadCommandsCases(t *testing.T) {
	for _, tc := range readCases {
		cmds, _, err := readStream(t, resp.NewReader(strings.NewReader(tc.in), resp.DefaultLimits()))
		checkCase(t, "whole", tc, cmds, err)

		cmds, _, err = readStream(t, resp.NewReader(iotest.OneByteReader(strings.NewReader(tc.in)), resp.DefaultLimits()))
		checkCase(t, "byte by byte", tc, cmds, err)

		cmds, _, err = readStream(t, resp.NewReader(iotest.HalfReader(strings.NewReader(tc.in)), resp.DefaultLimits()))
		checkCase(t, "half reads", tc, cmds, err)
	}
}

func TestProtocolErrorMatching(t *testing.T) {
	tests := []struct {
		in   string
		want error
		kind resp.ProtocolErrorKind
	}{
		{"*x\r\n", resp.ErrInvalidMultibulkLength, resp.KindInvalidMultibulkLength},
		{"*1\r\n$x\r\n", resp.ErrInvalidBulkLength, resp.KindInvalidBulkLength},
		{"*1\r\nx\r\n", resp.ErrExpectedDollar, resp.KindExpectedDollar},
		{"\"\r\n", resp.ErrUnbalancedQuotes, resp.KindUnbalancedQuotes},
		{strings.Repeat("x", 70000), resp.ErrTooBigInlineRequest, resp.KindTooBigInlineRequest},
		{"*" + strings.Repeat("1", 70000), resp.ErrTooBigMultibulkCount, resp.KindTooBigMultibulkCount},
		{"*1\r\n$" + strings.Repeat("1", 70000), resp.ErrTooBigBulkCount, resp.KindTooBigBulkCount},
	}
	for _, tt := range tests {
		_, err := resp.NewReader(strings.NewReader(tt.in), resp.Limits{}).ReadCommands(nil)
		if !errors.Is(err, tt.want) {
			t.Errorf("%.20q: error %v, want errors.Is %v", tt.in, err, tt.want)
		}
		var pe *resp.ProtocolError
		if !errors.As(err, &pe) || pe.Kind != tt.kind {
			t.Errorf("%.20q: error %v, want kind %v", tt.in, err, tt.kind)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, resp.ErrQueryBufferLimit) {
			t.Errorf("%.20q: %v matches an unrelated error", tt.in, err)
		}
	}
	if got := resp.KindInvalidBulkLength.String(); got != "invalid bulk length" {
		t.Errorf("kind name %q", got)
	}
}

// TestReadCommandsReturnsWholeBatch checks that every complete command in
// the buffer comes back from one call, and that a call reads only when no
// command is complete.
func TestReadCommandsReturnsWholeBatch(t *testing.T) {
	var pipeline []byte
	for i := range 100 {
		pipeline = resp.AppendCommandString(pipeline, "SET", fmt.Sprint("key", i), "value")
	}
	pipeline = append(pipeline, "*2\r\n$3\r\nGET\r\n"...) // incomplete
	src := &countingReader{data: pipeline}
	rd := resp.NewReader(src, resp.DefaultLimits())
	cmds, err := rd.ReadCommands(nil)
	if err != nil || len(cmds) != 100 {
		t.Fatalf("got %d commands, %v; want 100", len(cmds), err)
	}
	if src.reads != 1 {
		t.Fatalf("%d reads for one buffered pipeline", src.reads)
	}
	if string(cmds[99].Args[1]) != "key99" {
		t.Fatalf("last command %q", cmds[99].Args)
	}
	if qbuf, _ := rd.QueryBufStats(); qbuf != len("*2\r\n$3\r\nGET\r\n") {
		t.Fatalf("qbuf %d after the batch", qbuf)
	}
}

type countingReader struct {
	data  []byte
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

// TestArgumentsAreIsolated checks that appending to an argument, or to a
// command's Args, cannot overwrite the raw frame or another command's
// arguments, for multibulk and inline requests.
func TestArgumentsAreIsolated(t *testing.T) {
	for _, in := range []string{
		"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n*1\r\n$1\r\nd\r\n",
		"x \"a\" \"b\" c\r\nd\r\n",
	} {
		cmds, err := resp.NewReader(strings.NewReader(in), resp.Limits{}).ReadCommands(nil)
		if err != nil || len(cmds) != 2 {
			t.Fatalf("%q: %d commands, %v", in, len(cmds), err)
		}
		before := fmt.Sprintf("%q %q %q", cmds[0].Args, cmds[0].Raw, cmds[1].Args)
		args := cmds[0].Args
		_ = append(args[1], "XYZ"...)
		_ = append(args, []byte("zz"))
		if after := fmt.Sprintf("%q %q %q", cmds[0].Args, cmds[0].Raw, cmds[1].Args); after != before {
			t.Fatalf("%q: an append clobbered data: %s, was %s", in, after, before)
		}
	}
}

func TestLimits(t *testing.T) {
	lim := resp.Limits{MaxBulkLen: 10, MaxMultibulkLen: 3, MaxInlineLen: 16}
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"*3\r\n$10\r\n0123456789\r\n$0\r\n\r\n$1\r\nx\r\n", []string{"0123456789||x"}, errEOF},
		{"*4\r\n", nil, "Protocol error: invalid multibulk length"},
		{"*1\r\n$11\r\n", nil, "Protocol error: invalid bulk length"},
		{strings.Repeat("a", 16) + "\n", []string{"inline:" + strings.Repeat("a", 16)}, errEOF},
		{strings.Repeat("a", 16) + "\r\n", nil, "Protocol error: too big inline request"},
		{strings.Repeat("a", 17), nil, "Protocol error: too big inline request"},
		{"*" + strings.Repeat("0", 15) + "\r\n", nil, "Protocol error: invalid multibulk length"},
		{"*" + strings.Repeat("0", 16) + "\r\n", nil, "Protocol error: too big mbulk count string"},
		{"*1\r\n$" + strings.Repeat("0", 16) + "\r\n", nil, "Protocol error: too big bulk count string"},
	}
	for _, tt := range tests {
		for _, src := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
			cmds, _, err := readStream(t, resp.NewReader(src, lim))
			if fmt.Sprint(cmds) != fmt.Sprint(tt.want) || err == nil || err.Error() != tt.err {
				t.Errorf("%q: %q, %v; want %q, %s", tt.in, cmds, err, tt.want, tt.err)
			}
		}
	}
	if got := resp.DefaultLimits(); got.MaxBulkLen != 512<<20 || got.MaxMultibulkLen != 1<<20 ||
		got.MaxInlineLen != 64<<10 || got.MaxQueryBufLen != 1<<30 {
		t.Errorf("DefaultLimits() = %+v", got)
	}
}

func TestQueryBufferLimit(t *testing.T) {
	lim := resp.Limits{MaxQueryBufLen: 1 << 20}
	in := append(resp.AppendCommandString(nil, "PING"), "*2\r\n$3\r\nSET\r\n$2000000\r\n"...)
	in = append(in, bytes.Repeat([]byte("v"), 2000000)...)
	cmds, _, err := readStream(t, resp.NewReader(bytes.NewReader(in), lim))
	if len(cmds) != 1 || !errors.Is(err, resp.ErrQueryBufferLimit) {
		t.Fatalf("got %q, %v; want PING then ErrQueryBufferLimit", cmds, err)
	}
	// A request of exactly the limit is fine.
	val := bytes.Repeat([]byte("v"), 1<<20-len("*2\r\n$3\r\nSET\r\n$1048551\r\n\r\n"))
	frame := resp.AppendCommand(nil, []byte("SET"), val)
	if len(frame) != 1<<20 {
		t.Fatalf("test frame is %d bytes", len(frame))
	}
	cmds, _, err = readStream(t, resp.NewReader(iotest.HalfReader(bytes.NewReader(frame)), lim))
	if len(cmds) != 1 || err != io.EOF {
		t.Fatalf("frame at the limit: %d commands, %v", len(cmds), err)
	}
}

// slowReader hands out at most chunk bytes per Read, then io.EOF.
type slowReader struct {
	data  []byte
	chunk int
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), s.chunk, len(s.data))
	copy(p, s.data[:n])
	s.data = s.data[n:]
	return n, nil
}

// TestBufferGrowsWithArrivingBytes checks that a declared huge bulk does not
// allocate its size up front, that the buffer grows only with the bytes that
// arrive, and that it shrinks back once the big request is done.
func TestBufferGrowsWithArrivingBytes(t *testing.T) {
	// 512 MiB declared, 1000 bytes sent.
	src := &slowReader{data: append([]byte("*2\r\n$3\r\nSET\r\n$536870912\r\n"), make([]byte, 1000)...), chunk: 1 << 20}
	rd := resp.NewReader(src, resp.DefaultLimits())
	if _, err := rd.ReadCommands(nil); err != io.ErrUnexpectedEOF {
		t.Fatalf("error %v", err)
	}
	if qbuf, free := rd.QueryBufStats(); qbuf+free > 16<<10 {
		t.Fatalf("buffer of %d bytes for 1 KB received", qbuf+free)
	}

	// A 3 MB value arriving 64 KB at a time, then a small command.
	big := bytes.Repeat([]byte("v"), 3<<20)
	data := resp.AppendCommand(nil, []byte("SET"), []byte("k"), big)
	data = resp.AppendCommandString(data, "PING")
	src = &slowReader{data: data, chunk: 64 << 10}
	rd = resp.NewReader(src, resp.DefaultLimits())
	maxBuf := 0
	var got []string
	for {
		cmds, err := rd.ReadCommands(nil)
		qbuf, free := rd.QueryBufStats()
		maxBuf = max(maxBuf, qbuf+free)
		for _, c := range cmds {
			got = append(got, string(c.Args[0]))
			if len(c.Args) == 3 && !bytes.Equal(c.Args[2], big) {
				t.Fatal("big value corrupted")
			}
		}
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
	}
	if fmt.Sprint(got) != "[SET PING]" {
		t.Fatalf("commands %q", got)
	}
	if maxBuf > len(data)+64<<10 {
		t.Fatalf("buffer peaked at %d bytes for a %d-byte request", maxBuf, len(data))
	}
	if qbuf, free := rd.QueryBufStats(); qbuf+free > 32<<10 {
		t.Fatalf("buffer still %d bytes after the big request", qbuf+free)
	}
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	// Bytes that come with an error are used before the error is reported.
	rd := resp.NewReader(iotest.DataErrReader(strings.NewReader("PING\r\n*1\r\n")), resp.Limits{})
	cmds, err := rd.ReadCommands(nil)
	if len(cmds) != 1 || err != nil {
		t.Fatalf("got %d commands, %v", len(cmds), err)
	}
	if _, err := rd.ReadCommands(nil); err != io.ErrUnexpectedEOF {
		t.Fatalf("error %v, want unexpected EOF", err)
	}
	if _, err := rd.ReadCommands(nil); err != io.ErrUnexpectedEOF {
		t.Fatalf("error not sticky: %v", err)
	}

	rd = resp.NewReader(iotest.ErrReader(boom), resp.Limits{})
	if _, err := rd.ReadCommands(nil); err != boom {
		t.Fatalf("error %v, want boom", err)
	}

	rd = resp.NewReader(strings.NewReader("*x\r\nPING\r\n"), resp.Limits{})
	for range 2 {
		if cmds, err := rd.ReadCommands(nil); len(cmds) != 0 || !errors.Is(err, resp.ErrInvalidMultibulkLength) {
			t.Fatalf("got %d commands, %v after a protocol error", len(cmds), err)
		}
	}

	rd = resp.NewReader(emptyReader{}, resp.Limits{})
	if _, err := rd.ReadCommands(nil); err != io.ErrNoProgress {
		t.Fatalf("error %v, want io.ErrNoProgress", err)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestAuthRequired(t *testing.T) {
	auth := string(resp.AppendCommandString(nil, "AUTH", "pw"))
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"*11\r\n", nil, "Protocol error: unauthenticated multibulk length"},
		{"*10\r\n", nil, errUnexpected},
		{"*3000000000\r\n", nil, "Protocol error: invalid multibulk length"},
		{"*-5\r\n*11\r\n", nil, "Protocol error: unauthenticated multibulk length"},
		{"*2\r\n$4\r\nAUTH\r\n$16385\r\n", nil, "Protocol error: unauthenticated bulk length"},
		{"*2\r\n$4\r\nAUTH\r\n$16384\r\n", nil, errUnexpected},
		{"PING a b c d e f g h i j k l\r\n", []string{"inline:PING|a|b|c|d|e|f|g|h|i|j|k|l"}, errEOF},
		{auth + "*11\r\n", []string{"AUTH|pw"}, "Protocol error: unauthenticated multibulk length"},
	}
	for _, tt := range tests {
		rd := resp.NewReader(strings.NewReader(tt.in), resp.Limits{})
		rd.SetAuthRequired(true)
		cmds, _, err := readStream(t, rd)
		if fmt.Sprint(cmds) != fmt.Sprint(tt.want) || err == nil || err.Error() != tt.err {
			t.Errorf("%q: %q, %v; want %q, %s", tt.in, cmds, err, tt.want, tt.err)
		}
	}

	// One command per call while auth is required; after a successful AUTH
	// the next request is parsed with the normal limits.
	in := auth + auth + "*11\r\n" + strings.Repeat("$1\r\nx\r\n", 11)
	rd := resp.NewReader(strings.NewReader(in), resp.Limits{})
	rd.SetAuthRequired(true)
	for i := range 2 {
		cmds, err := rd.ReadCommands(nil)
		if len(cmds) != 1 || err != nil {
			t.Fatalf("call %d: %d commands, %v", i, len(cmds), err)
		}
	}
	rd.SetAuthRequired(false)
	if cmds, err := rd.ReadCommands(nil); len(cmds) != 1 || len(cmds[0].Args) != 11 || err != nil {
		t.Fatalf("after AUTH: %d commands, %v", len(cmds), err)
	}
}

// TestOneByteConn reads a pipeline from a TCP connection whose peer writes
// one byte per write and whose reads return one byte each.
func TestOneByteConn(t *testing.T) {
	var in []byte
	var want []string
	for _, tc := range readCases {
		if tc.err == errEOF && len(tc.in) < 1000 {
			in = append(in, tc.in...)
			want = append(want, tc.want...)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		defer c.Close()
		for i := range in {
			if _, err := c.Write(in[i : i+1]); err != nil {
				return
			}
		}
	}()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	got, _, err := readStream(t, resp.NewReader(iotest.OneByteReader(conn), resp.DefaultLimits()))
	if err != io.EOF {
		t.Fatalf("error %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestReaderMatchesRedis sends every case marked redis to a real
// redis-server 7 and checks that Redis ends the connection with the same
// protocol error, or, where the Reader reports none, that Redis does not
// either.
func TestReaderMatchesRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts redis-server")
	}
	srv := redistest.Start(t, redistest.Options{})
	for _, tc := range readCases {
		if !tc.redis {
			continue
		}
		reply, closed := rawExchange(t, srv.Addr, tc.in, strings.HasPrefix(tc.err, "Protocol error"))
		if strings.HasPrefix(tc.err, "Protocol error") {
			want := "-ERR " + tc.err + "\r\n"
			if !bytes.HasSuffix(reply, []byte(want)) || !closed {
				t.Errorf("%s: redis replied %q (closed %v), want suffix %q and close", tc.name, trim(reply), closed, want)
			}
			continue
		}
		if bytes.Contains(reply, []byte("Protocol error")) || closed {
			t.Errorf("%s: redis replied %q (closed %v), want no protocol error", tc.name, trim(reply), closed)
		}
	}

	// redistest waits for +PONG, so the password is set once it is up.
	authSrv := redistest.Start(t, redistest.Options{})
	if got := string(authSrv.Do(t, "CONFIG", "SET", "requirepass", "pw")); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET requirepass: %q", got)
	}
	for _, in := range []string{"*11\r\n", "*2\r\n$4\r\nAUTH\r\n$16385\r\n"} {
		reply, closed := rawExchange(t, authSrv.Addr, in, true)
		rd := resp.NewReader(strings.NewReader(in), resp.Limits{})
		rd.SetAuthRequired(true)
		_, err := rd.ReadCommands(nil)
		if err == nil || string(reply) != "-ERR "+err.Error()+"\r\n" || !closed {
			t.Errorf("%q: redis %q (closed %v), reader %v", in, reply, closed, err)
		}
	}
}

// rawExchange writes in to addr and returns what comes back until the
// server closes the connection or, unless expectClose, a short quiet spell.
func rawExchange(t *testing.T, addr, in string, expectClose bool) ([]byte, bool) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	wait := 300 * time.Millisecond
	if expectClose {
		wait = 5 * time.Second
	}
	_ = c.SetReadDeadline(time.Now().Add(wait))
	var out []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return out, false
			}
			return out, true
		}
	}
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
