package resp_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// scanCase is one reply stream: n is the expected length of its first
// reply (0 for incomplete); reason, when set, is the expected error.
type scanCase struct {
	in     string
	n      int
	reason string
	off    int // error offset
}

var scanCases = []scanCase{
	// RESP2.
	{in: "+OK\r\n", n: 5},
	{in: "+OK\r\n+NEXT\r\n", n: 5},
	{in: "+\r\n", n: 3},
	{in: "+a\rb\r\n", n: 6},
	{in: "-ERR unknown command 'x'\r\n", n: 26},
	{in: ":0\r\n", n: 4},
	{in: ":-1\r\n", n: 5},
	{in: ":9223372036854775807\r\n", n: 22},
	{in: ":-9223372036854775808\r\n", n: 23},
	{in: "$-1\r\n", n: 5},
	{in: "*-1\r\n", n: 5},
	{in: "$0\r\n\r\n", n: 6},
	{in: "$3\r\n\r\n\x00\r\n", n: 9},
	{in: "*0\r\n", n: 4},
	{in: "*2\r\n$1\r\na\r\n:1\r\n", n: 15},
	{in: "*2\r\n*1\r\n+a\r\n*-1\r\n", n: 17},
	// RESP3.
	{in: "_\r\n", n: 3},
	{in: ",1.5\r\n", n: 6},
	{in: ",-inf\r\n", n: 7},
	{in: ",nan\r\n", n: 6},
	{in: "#t\r\n", n: 4},
	{in: "#f\r\n", n: 4},
	{in: "!9\r\nERR x y z\r\n", n: 15},
	{in: "=8\r\ntxt:abcd\r\n", n: 14},
	{in: "=4\r\nmkd:\r\n", n: 10},
	{in: "(3492890328409238509324850943850943825024385\r\n", n: 46},
	{in: "(-1\r\n", n: 5},
	{in: "%1\r\n+a\r\n:1\r\n", n: 12},
	{in: "%0\r\n", n: 4},
	{in: "~2\r\n+a\r\n+b\r\n", n: 12},
	{in: ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n", n: 32},
	{in: "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:1\r\n", n: 47},
	{in: "*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n", n: 24},
	{in: "|0\r\n:1\r\n", n: 8},
	{in: "|1\r\n+a\r\n+b\r\n|1\r\n+c\r\n+d\r\n:1\r\n", n: 28},
	{in: "%1\r\n|1\r\n+a\r\n+b\r\n+k\r\n+v\r\n", n: 24},

	// Incomplete.
	{in: ""},
	{in: "+OK"},
	{in: "+OK\r"},
	{in: "$3\r\nab"},
	{in: "$3\r\nabc\r"},
	{in: "*2\r\n:1\r\n"},
	{in: "|1\r\n+a\r\n+b\r\n"},
	{in: "%1\r\n+a\r\n"},
	{in: ":" + strings.Repeat("1", 20)},
	{in: ":" + strings.Repeat("1", 20) + "\r"},
	{in: "$1000000\r\nabc"},
	{in: "*4294967295\r\n:1\r\n"},

	// Malformed.
	{in: "x\r\n", reason: "unknown type byte"},
	{in: "\r\n", reason: "unknown type byte"},
	{in: "+OK\n", reason: "line not terminated by CRLF"},
	{in: "+\n", reason: "line not terminated by CRLF"},
	{in: "+a\nb\r\n", reason: "line not terminated by CRLF"},
	{in: ":abc\r\n", reason: "invalid integer"},
	{in: ":\r\n", reason: "invalid integer"},
	{in: ":01\r\n", reason: "invalid integer"},
	{in: ":-0\r\n", reason: "invalid integer"},
	{in: ":9223372036854775808\r\n", reason: "invalid integer"},
	{in: ":" + strings.Repeat("1", 21), reason: "line too long"},
	{in: "$-2\r\n", reason: "invalid length"},
	{in: "$+1\r\n", reason: "invalid length"},
	{in: "$\r\n", reason: "invalid length"},
	{in: "$3\r\nabcde\r\n", reason: "bulk not terminated by CRLF"},
	{in: "*-2\r\n", reason: "invalid length"},
	{in: "%-1\r\n", reason: "invalid length"},
	{in: "!-1\r\n", reason: "invalid length"},
	{in: "_x\r\n", reason: "line too long"},
	{in: "_\n", reason: "line not terminated by CRLF"},
	{in: "#x\r\n", reason: "invalid boolean"},
	{in: "#\r\n", reason: "invalid boolean"},
	{in: "#tt\r\n", reason: "line too long"},
	{in: ",\r\n", reason: "empty double"},
	{in: "(\r\n", reason: "invalid big number"},
	{in: "(1a\r\n", reason: "invalid big number"},
	{in: "=3\r\nabc\r\n", reason: "invalid verbatim string format"},
	{in: "=5\r\nabcde\r\n", reason: "invalid verbatim string format"},
	{in: "$?\r\n;4\r\nabcd\r\n;0\r\n", reason: "streamed RESP3 types are not supported"},
	{in: "*?\r\n:1\r\n.\r\n", reason: "streamed RESP3 types are not supported"},
	{in: "$536870913\r\n", reason: "length exceeds limit"},
	{in: "*4294967296\r\n", reason: "length exceeds limit"},
	{in: "$" + strings.Repeat("9", 22), reason: "line too long"},
	{in: "*2\r\n:1\r\n?\r\n", reason: "unknown type byte", off: 8},
	{in: "*1\r\n%1\r\n+a\r\n$2\r\nabc\r\n", reason: "bulk not terminated by CRLF", off: 12},
}

func TestScanReply(t *testing.T) {
	for _, tc := range scanCases {
		n, err := resp.ScanReply([]byte(tc.in))
		checkScan(t, "ScanReply", tc, n, err)

		// Fed a byte at a time, the resumable scanner must agree.
		s := resp.NewReplyScanner(resp.ReplyLimits{})
		n, err = 0, nil
		for k := 0; k <= len(tc.in); k++ {
			n, err = s.Scan([]byte(tc.in[:k]))
			if n != 0 || err != nil {
				break
			}
		}
		checkScan(t, "ReplyScanner", tc, n, err)
	}
}

func checkScan(t *testing.T, how string, tc scanCase, n int, err error) {
	t.Helper()
	if tc.reason == "" {
		if n != tc.n || err != nil {
			t.Errorf("%s(%q) = %d, %v; want %d", how, tc.in, n, err, tc.n)
		}
		return
	}
	var me *resp.MalformedReplyError
	if n != 0 || !errors.As(err, &me) || me.Reason != tc.reason || me.Offset != tc.off {
		t.Errorf("%s(%q) = %d, %v; want error %q at %d", how, tc.in, n, err, tc.reason, tc.off)
	}
}

// TestScanDeepNesting checks that nesting costs nothing without a depth
// limit and is bounded with one.
func TestScanDeepNesting(t *testing.T) {
	const depth = 1 << 20
	in := []byte(strings.Repeat("*1\r\n", depth) + ":1\r\n")
	if n, err := resp.ScanReply(in); n != len(in) || err != nil {
		t.Fatalf("ScanReply = %d, %v; want %d", n, err, len(in))
	}
	in = []byte(strings.Repeat(">1\r\n|1\r\n+a\r\n+b\r\n", depth) + "_\r\n")
	if n, err := resp.ScanReply(in); n != len(in) || err != nil {
		t.Fatalf("ScanReply = %d, %v; want %d", n, err, len(in))
	}

	s := resp.NewReplyScanner(resp.ReplyLimits{MaxDepth: 3})
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"*1\r\n*1\r\n*1\r\n:1\r\n", true},
		{"*1\r\n*1\r\n*1\r\n*0\r\n", false},
		{"*2\r\n*1\r\n*1\r\n:1\r\n*1\r\n*1\r\n:1\r\n", true},
		{"*2\r\n|1\r\n*1\r\n:1\r\n*1\r\n*1\r\n:1\r\n:1\r\n", false},
		{"|1\r\n*1\r\n:1\r\n:1\r\n*1\r\n*1\r\n:2\r\n", true},
		{"*1\r\n*1\r\n|1\r\n*1\r\n:1\r\n:1\r\n:5\r\n", false},
		{"*1\r\n*1\r\n|0\r\n:5\r\n", true},
		{"*1\r\n*1\r\n*1\r\n|0\r\n:5\r\n", false},
		{"|1\r\n*1\r\n:1\r\n:1\r\n*1\r\n*1\r\n*0\r\n", true},
		{"%2\r\n~1\r\n:1\r\n:2\r\n:3\r\n*1\r\n*1\r\n:4\r\n", true},
	} {
		n, err := s.Scan([]byte(tt.in))
		if tt.ok && (n != len(tt.in) || err != nil) {
			t.Errorf("depth 3: Scan(%q) = %d, %v", tt.in, n, err)
		}
		var me *resp.MalformedReplyError
		if !tt.ok && (!errors.As(err, &me) || me.Reason != "nesting too deep") {
			t.Errorf("depth 3: Scan(%q) = %d, %v; want nesting too deep", tt.in, n, err)
		}
	}
}

// TestReplyScannerResumes checks the resumable scanner on a large reply
// delivered in pieces, and that it starts afresh after each reply.
func TestReplyScannerResumes(t *testing.T) {
	var w strings.Builder
	w.WriteString("*10000\r\n")
	for i := range 10000 {
		if i%2 == 0 {
			w.WriteString("$5\r\nhello\r\n")
		} else {
			w.WriteString("%1\r\n+k\r\n*2\r\n:1\r\n_\r\n")
		}
	}
	reply := w.String()
	stream := []byte(reply + "+OK\r\n")
	s := resp.NewReplyScanner(resp.ReplyLimits{})
	for k := 0; k < len(reply); k += 7 {
		if n, err := s.Scan(stream[:k]); n != 0 || err != nil {
			t.Fatalf("prefix %d: %d, %v", k, n, err)
		}
	}
	if n, err := s.Scan(stream); n != len(reply) || err != nil {
		t.Fatalf("Scan = %d, %v; want %d", n, err, len(reply))
	}
	if n, err := s.Scan(stream[len(reply):]); n != 5 || err != nil {
		t.Fatalf("next reply: %d, %v", n, err)
	}

	// Reset drops a reply in progress.
	s.Scan([]byte("*2\r\n:1\r\n"))
	s.Reset()
	if n, err := s.Scan([]byte(":7\r\n")); n != 4 || err != nil {
		t.Fatalf("after Reset: %d, %v", n, err)
	}
}

// TestScanReplyLimits checks custom limits, including early rejection of an
// overlong line before its end arrives.
func TestScanReplyLimits(t *testing.T) {
	s := resp.NewReplyScanner(resp.ReplyLimits{MaxBulkLen: 4, MaxAggregateLen: 2, MaxLineLen: 3})
	for _, tt := range []struct {
		in     string
		n      int
		reason string
	}{
		{"$4\r\nabcd\r\n", 10, ""},
		{"$5\r\n", 0, "length exceeds limit"},
		{"*2\r\n:1\r\n:2\r\n", 12, ""},
		{"*3\r\n", 0, "length exceeds limit"},
		{"%2\r\n", 0, ""},
		{"%3\r\n", 0, "length exceeds limit"},
		{"+abc\r\n", 6, ""},
		{"+abcd", 0, "line too long"},
		{"+abc\r", 0, ""},
		{"-abc", 0, ""},
		{",1.25", 0, "line too long"},
	} {
		n, err := s.Scan([]byte(tt.in))
		s.Reset()
		var me *resp.MalformedReplyError
		if tt.reason == "" && (n != tt.n || err != nil) ||
			tt.reason != "" && (!errors.As(err, &me) || me.Reason != tt.reason) {
			t.Errorf("Scan(%q) = %d, %v; want %d %q", tt.in, n, err, tt.n, tt.reason)
		}
	}
	if d := resp.DefaultReplyLimits(); d.MaxBulkLen != 512<<20 || d.MaxAggregateLen != 1<<32-1 || d.MaxDepth != 0 {
		t.Errorf("DefaultReplyLimits() = %+v", d)
	}
}

// TestScanWriterOutput checks that every reply the Writer produces, in both
// protocols, scans as exactly one complete reply.
func TestScanWriterOutput(t *testing.T) {
	for _, proto := range []int{2, 3} {
		var out strings.Builder
		w := resp.NewWriter(&out)
		w.SetProto(proto)
		w.AppendMap(2)
		w.AppendBulkString("a")
		w.AppendArray(3)
		w.AppendInt(-7)
		w.AppendNull()
		w.AppendNullArray()
		w.AppendSimple("b")
		w.AppendSet(4)
		w.AppendDouble(1.5)
		w.AppendBool(true)
		w.AppendVerbatim("txt", []byte("hello"))
		w.AppendBigNumber("-123456789012345678901234567890")
		w.AppendPush(2)
		w.AppendError("ERR x")
		w.AppendBulk(nil)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		b := []byte(out.String())
		n, err := resp.ScanReply(b)
		if err != nil {
			t.Fatalf("RESP%d: %v in %q", proto, err, b)
		}
		n2, err := resp.ScanReply(b[n:])
		if err != nil || n+n2 != len(b) {
			t.Fatalf("RESP%d: replies of %d and %d bytes (%v) in %d bytes %q", proto, n, n2, err, len(b), b)
		}
	}
}

// TestScanRealRedisReplies scans what a real redis-server 7 sends for every
// RESP3 type (DEBUG PROTOCOL) and a few structured replies, in both
// protocols: each reply must come out as one frame of the expected type, and
// every RESP2 reply must decode and re-encode to the same bytes.
func TestScanRealRedisReplies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts redis-server")
	}
	srv := redistest.Start(t, redistest.Options{Args: []string{"--enable-debug-command", "yes"}})
	types := []string{"string", "integer", "double", "bignum", "null", "array", "set", "map",
		"attrib", "push", "verbatim", "true", "false"}
	for _, tt := range []struct {
		proto string
		want  string // the type byte of each reply, in order
	}{
		{"2", "*" + "$:$$$**" + "*" + "$-$" + "::" + "***"},
		{"3", "%" + "$:,(_*~%" + "|" + ">$=##" + "%%*"},
	} {
		c, err := redistest.DialTimeout(srv.Addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		var pipe []byte
		pipe = resp.AppendCommandString(pipe, "HELLO", tt.proto)
		for _, ty := range types {
			pipe = resp.AppendCommandString(pipe, "DEBUG", "PROTOCOL", ty)
		}
		pipe = resp.AppendCommandString(pipe, "CONFIG", "GET", "maxmemory*")
		pipe = resp.AppendCommandString(pipe, "COMMAND", "DOCS", "GET")
		pipe = resp.AppendCommandString(pipe, "COMMAND", "INFO", "GET", "SET")
		if err := c.Write(pipe); err != nil {
			t.Fatal(err)
		}
		for i := range len(tt.want) {
			reply, err := c.Receive()
			if err != nil {
				t.Fatalf("RESP%s reply %d: %v", tt.proto, i, err)
			}
			if n, err := resp.ScanReply(reply); n != len(reply) || err != nil {
				t.Fatalf("RESP%s reply %d %q: ScanReply = %d, %v", tt.proto, i, reply, n, err)
			}
			if reply[0] != tt.want[i] {
				t.Errorf("RESP%s reply %d is %q, want type %q", tt.proto, i, reply, tt.want[i])
			}
			if tt.proto == "2" {
				v, n, err := resp.ParseValue(reply)
				out, merr := v.MarshalRESP()
				if err != nil || n != len(reply) || merr != nil || string(out) != string(reply) {
					t.Errorf("RESP2 reply %d %q: ParseValue = %d, %v; re-encoded %q", i, reply, n, err, out)
				}
			}
		}
		c.Close()
	}
}
