package respval

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		kind byte
		n    int // elements
	}{
		{"+OK\r\n", '+', 0},
		{":-12\r\n", ':', 0},
		{"$3\r\nfoo\r\n", '$', 0},
		{"$-1\r\n", '$', 0},
		{"*2\r\n$1\r\na\r\n:1\r\n", '*', 2},
		{"%1\r\n$1\r\nk\r\n~1\r\n+v\r\n", '%', 2},
		{"_\r\n", '_', 0},
		{"#t\r\n", '#', 0},
		{",1.5\r\n", ',', 0},
	}
	for _, tt := range tests {
		v, err := ParseAll([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseAll(%q): %v", tt.in, err)
			continue
		}
		if v.Kind != tt.kind || len(v.Elems) != tt.n || string(v.Raw) != tt.in {
			t.Errorf("ParseAll(%q) = %+v", tt.in, v)
		}
	}
	v, _ := ParseAll([]byte("%1\r\n$1\r\nk\r\n:7\r\n"))
	if ps, err := v.Pairs(); err != nil || ps[0][0].Str != "k" || ps[0][1].Int != 7 {
		t.Errorf("Pairs = %v, %v", ps, err)
	}
	for _, in := range []string{"", "*2\r\n:1\r\n", "$5\r\nab\r\n", "+OK"} {
		if _, _, err := Parse([]byte(in)); !errors.Is(err, ErrIncomplete) {
			t.Errorf("Parse(%q) = %v, want ErrIncomplete", in, err)
		}
	}
	for _, in := range []string{"?\r\n", ":x\r\n", "$2\r\nabcd\r\n", "+OK\r\n+OK\r\n"} {
		if _, err := ParseAll([]byte(in)); err == nil || errors.Is(err, ErrIncomplete) {
			t.Errorf("ParseAll(%q) = %v, want a format error", in, err)
		}
	}
}
