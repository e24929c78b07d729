package resp_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	tresp "github.com/tidwall/resp"

	"github.com/keyslot/keyslot/internal/resp"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		in    string
		typ   tresp.Type
		str   string // String() of the value
		null  bool
		elems int
	}{
		{in: "+OK\r\n", typ: tresp.SimpleString, str: "OK"},
		{in: "-ERR wrong\r\n", typ: tresp.Error, str: "ERR wrong"},
		{in: ":-42\r\n", typ: tresp.Integer, str: "-42"},
		{in: "$5\r\nhe\r\no\r\n", typ: tresp.BulkString, str: "he\r\no"},
		{in: "$0\r\n\r\n", typ: tresp.BulkString, str: ""},
		{in: "$-1\r\n", typ: tresp.BulkString, null: true},
		{in: "*-1\r\n", typ: tresp.Array, null: true},
		{in: "*0\r\n", typ: tresp.Array, str: "[]"},
		{in: "*3\r\n$1\r\na\r\n*1\r\n:1\r\n$-1\r\n", typ: tresp.Array, elems: 3, str: "[a [1] ]"},
	}
	for _, tt := range tests {
		in := []byte(tt.in + "+TRAILING\r\n")
		v, n, err := resp.ParseValue(in)
		if err != nil || n != len(tt.in) {
			t.Errorf("ParseValue(%q) = %d, %v", tt.in, n, err)
			continue
		}
		if v.Type() != tt.typ || v.IsNull() != tt.null || len(v.Array()) != tt.elems || !tt.null && v.String() != tt.str {
			t.Errorf("ParseValue(%q) = %v %q null=%v elems=%d", tt.in, v.Type(), v.String(), v.IsNull(), len(v.Array()))
		}
		// RESP2 frames accepted by the scanner are canonical, so they
		// encode back to the same bytes.
		if out, err := v.MarshalRESP(); err != nil || string(out) != tt.in {
			t.Errorf("ParseValue(%q) marshals back to %q, %v", tt.in, out, err)
		}
	}
	if v, _, _ := resp.ParseValue([]byte(":7\r\n")); v.Integer() != 7 {
		t.Errorf("Integer() = %d", v.Integer())
	}
	if v, _, _ := resp.ParseValue([]byte("-MOVED 3999 127.0.0.1:6381\r\n")); v.Error() == nil || v.Error().Error() != "MOVED 3999 127.0.0.1:6381" {
		t.Errorf("Error() = %v", v.Error())
	}
}

func TestParseValueIncompleteAndErrors(t *testing.T) {
	for _, in := range []string{"", "*2\r\n:1\r\n", "$3\r\nab", "+OK\r"} {
		if v, n, err := resp.ParseValue([]byte(in)); n != 0 || err != nil || v.Type() != 0 {
			t.Errorf("ParseValue(%q) = %v, %d, %v; want incomplete", in, v, n, err)
		}
	}

	for _, tt := range []struct {
		in  string
		typ byte
		off int
	}{
		{"_\r\n", '_', 0},
		{"%1\r\n+a\r\n+b\r\n", '%', 0},
		{"*2\r\n:1\r\n#t\r\n", '#', 8},
		{"*1\r\n*1\r\n,1.5\r\n", ',', 8},
		{">2\r\n+a\r\n+b\r\n", '>', 0},
		{"|1\r\n+a\r\n+b\r\n:1\r\n", '|', 0},
	} {
		_, n, err := resp.ParseValue([]byte(tt.in))
		var ue *resp.UnsupportedTypeError
		if n != 0 || !errors.As(err, &ue) || ue.Type != tt.typ || ue.Offset != tt.off {
			t.Errorf("ParseValue(%q) = %d, %v; want RESP3 type %q at %d", tt.in, n, err, tt.typ, tt.off)
		}
	}

	for _, tt := range []struct{ in, reason string }{
		{"*1048577\r\n", "length exceeds limit"},
		{strings.Repeat("*1\r\n", 513) + ":1\r\n", "nesting too deep"},
		{"$3\r\nabcd\r\n", "bulk not terminated by CRLF"},
		{"?\r\n", "unknown type byte"},
	} {
		_, n, err := resp.ParseValue([]byte(tt.in))
		var me *resp.MalformedReplyError
		if n != 0 || !errors.As(err, &me) || me.Reason != tt.reason {
			t.Errorf("ParseValue(%.30q) = %d, %v; want %q", tt.in, n, err, tt.reason)
		}
	}
	deep := strings.Repeat("*1\r\n", 512) + ":1\r\n"
	if _, n, err := resp.ParseValue([]byte(deep)); n != len(deep) || err != nil {
		t.Errorf("512 levels: %d, %v", n, err)
	}
}

// TestParseValueLargeArray checks the boundary tidwall/resp misreads: an
// array of exactly 1,048,576 elements is decoded in full.
func TestParseValueLargeArray(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a million values")
	}
	const n = 1 << 20
	in := append([]byte("*1048576\r\n"), bytes.Repeat([]byte(":1\r\n"), n)...)
	v, m, err := resp.ParseValue(in)
	if err != nil || m != len(in) || len(v.Array()) != n {
		t.Fatalf("ParseValue = %d elements, %d bytes, %v", len(v.Array()), m, err)
	}
}

func TestAppendCommand(t *testing.T) {
	got := resp.AppendCommand([]byte("x"), []byte("SET"), []byte("k"), []byte(""), []byte("a\r\nb"))
	want := "x*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$4\r\na\r\nb\r\n"
	if string(got) != want {
		t.Fatalf("AppendCommand = %q, want %q", got, want)
	}
	if s := resp.AppendCommandString([]byte("x"), "SET", "k", "", "a\r\nb"); string(s) != want {
		t.Fatalf("AppendCommandString = %q, want %q", s, want)
	}
	if s := resp.AppendCommand(nil); string(s) != "*0\r\n" {
		t.Fatalf("no arguments: %q", s)
	}

	// What AppendCommand encodes, the Reader reads back unchanged.
	cmds, err := resp.NewReader(bytes.NewReader(got[1:]), resp.Limits{}).ReadCommands(nil)
	if err != nil || len(cmds) != 1 || cmdString(cmds[0]) != "SET|k||a\r\nb" || string(cmds[0].Raw) != want[1:] {
		t.Fatalf("read back %v, %v", cmds, err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		got = resp.AppendCommand(got[:0], cmds[0].Args...)
	})
	if allocs != 0 {
		t.Errorf("AppendCommand into a large enough buffer allocates %v times", allocs)
	}
}
