package router

import (
	"fmt"
	"strings"
	"testing"
)

// renderKeys shows keys as "pos:flags" for table tests.
func renderKeys(keys []KeyRef) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d:%s", k.Pos, k.Flags)
	}
	return strings.Join(parts, " ")
}

func TestKeys(t *testing.T) {
	tab := NewTable()
	tests := []struct {
		call string
		want string
	}{
		{"GET k", "1:RO|access"},
		{"MGET a b c", "1:RO|access 2:RO|access 3:RO|access"},
		{"MSET a 1 b 2", "1:OW|update 3:OW|update"},
		{"OBJECT ENCODING k", "2:RO"},
		{"EVAL s 2 a b c", "3:RW|access|update 4:RW|access|update"},
		{"EVAL s 0", ""},
		{"EVAL s 1abc k", "3:"}, // the fallback finder's atoi
		{"ZUNIONSTORE d 2 a b", "1:OW|update 3:RO|access 4:RO|access"},
		{"ZUNIONSTORE d 2x a b", "3: 4: 1:"}, // finder lists the destination last
		{"XREAD COUNT 1 STREAMS a b 0 0", "4:RO|access 5:RO|access"},
		{"XREAD STREAMS a b 0", "2:RO|access"}, // the spec's limit rounds down
		{"XREAD STREAMS a", ""},
		{"SORT k BY x STORE d", "1:RO|access 5:OW|update"},
		{"SORT k", "1:RO|access"},
		{"MIGRATE h 1 k 0 10", "3:RW|access|delete"},
		{"MIGRATE h 1 '' 0 10 KEYS a b", "7:RW|access|delete 8:RW|access|delete"},
		{"GEORADIUS k 1 2 3 m STORE d", "1:RO|access 7:OW|update"},
		{"SET k v", "1:OW|update"},
		{"SET k v GET", "1:RW|access|update"},
		{"BITFIELD k GET u8 0", "1:RO|access"},
		{"BITFIELD k SET u8 0 1", "1:RW|access|update"},
		{"PING", ""},
		{"SPUBLISH ch m", ""}, // NOT_KEY specs are not keys
		{"BLMPOP 0 2 a b LEFT", "3:RW|access|delete 4:RW|access|delete"},
	}
	for _, tt := range tests {
		args := strings.Split(tt.call, " ")
		for i, a := range args {
			if a == "''" {
				args[i] = ""
			}
		}
		c := tab.Find(bargs(args))
		if c == nil {
			t.Fatalf("%s: no command", tt.call)
		}
		if got := renderKeys(c.Keys(bargs(args), nil)); got != tt.want {
			t.Errorf("Keys(%s) = %q, want %q", tt.call, got, tt.want)
		}
	}
}

func TestRoutingKeys(t *testing.T) {
	tab := NewTable()
	tests := []struct{ call, want string }{
		{"SPUBLISH ch m", "1:not_key"},
		{"SSUBSCRIBE a b", "1:not_key 2:not_key"},
		{"SUNSUBSCRIBE", ""},
		{"GET k", "1:RO|access"},
		{"SET k v GET", "1:RW|access|update"},
		{"PUBLISH ch m", ""},
	}
	for _, tt := range tests {
		args := bargs(strings.Split(tt.call, " "))
		c := tab.Find(args)
		if got := renderKeys(c.RoutingKeys(args, nil)); got != tt.want {
			t.Errorf("RoutingKeys(%s) = %q, want %q", tt.call, got, tt.want)
		}
	}
}

func TestKeysAppendsToDst(t *testing.T) {
	tab := NewTable()
	c := tab.ByName([]byte("mget"))
	dst := []KeyRef{{Pos: 99}}
	got := c.Keys(bargs([]string{"MGET", "a", "b"}), dst)
	if renderKeys(got) != "99: 1:RO|access 2:RO|access" {
		t.Errorf("Keys did not append: %s", renderKeys(got))
	}
	// A spec that fails leaves dst as it was before the call.
	e := tab.ByName([]byte("eval"))
	got = e.Keys(bargs([]string{"EVAL", "s", "x"}), dst[:1])
	if renderKeys(got) != "99:" {
		t.Errorf("failed specs left %s", renderKeys(got))
	}
}

func TestKeysDoesNotAllocate(t *testing.T) {
	tab := NewTable()
	dst := make([]KeyRef, 0, 16)
	for _, call := range []string{"GET k", "MSET a 1 b 2", "EVAL s 2 a b", "XREAD STREAMS a b 0 0", "SORT k STORE d", "SET k v GET"} {
		args := bargs(strings.Split(call, " "))
		c := tab.Find(args)
		allocs := testing.AllocsPerRun(100, func() { dst = c.Keys(args, dst[:0]) })
		if allocs != 0 {
			t.Errorf("Keys(%s) allocates %v times", call, allocs)
		}
	}
}

func TestAtoi(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"0", 0}, {"12", 12}, {"-3", -3}, {"+4", 4}, {" \t\n5", 5}, {"6abc", 6}, {"abc", 0}, {"", 0},
		{"1\x002", 1}, {"2147483647", 2147483647}, {"2147483648", -2147483648}, {"4294967297", 1},
		{"99999999999999999999", -1}, {"-99999999999999999999", 0}, {"- 1", 0}, {"--1", 0},
	}
	for _, tt := range tests {
		if got := atoi([]byte(tt.in)); got != tt.want {
			t.Errorf("atoi(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestString2ll(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1", 1, true}, {"-1", -1, true}, {"01", 0, false}, {"-0", 0, false},
		{"+1", 0, false}, {" 1", 0, false}, {"1 ", 0, false}, {"", 0, false}, {"-", 0, false},
		{"9223372036854775807", 9223372036854775807, true}, {"9223372036854775808", 0, false},
		{"-9223372036854775808", -9223372036854775808, true}, {"-9223372036854775809", 0, false},
		{"123456789012345678901", 0, false}, {"1\x00", 0, false},
	}
	for _, tt := range tests {
		got, ok := string2ll([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("string2ll(%q) = %d, %v, want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"*", "anything", true}, {"*", "", false}, // Redis never matches an empty string {"", "", true}, {"", "a", false}, {"a", "", false},
		{"g?t", "get", true}, {"g?t", "gt", false}, {"G*", "get", true}, {"[a-c]x", "bx", true},
		{"[c-a]x", "bx", true}, {"[^a-c]x", "bx", false}, {"[^a-c]x", "dx", true}, {"\\*", "*", true},
		{"\\*", "a", false}, {"[\\]]", "]", true}, {"[", "a", false}, {"[a", "a", true}, {"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false}, {"*a*a*a*a*a*a*a*a*a*a*b", strings.Repeat("a", 60), false},
		{"client|*", "client|kill", true}, {"**", "x", true}, {"x*", "x", true},
	}
	for _, tt := range tests {
		if got := globMatch([]byte(tt.pat), []byte(tt.s), true); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pat, tt.s, got, tt.want)
		}
	}
}

func BenchmarkKeys(b *testing.B) {
	tab := NewTable()
	for _, call := range []string{"GET key", "MSET a 1 b 2 c 3", "EVAL script 2 a b", "XREAD COUNT 10 STREAMS a b 0 0"} {
		args := bargs(strings.Split(call, " "))
		c := tab.Find(args)
		b.Run(strings.Fields(call)[0], func(b *testing.B) {
			b.ReportAllocs()
			dst := make([]KeyRef, 0, 8)
			for b.Loop() {
				dst = c.Keys(args, dst[:0])
			}
		})
	}
}
