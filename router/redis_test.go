package router

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// These tests compare the table with the redis-server 7.0 it was generated
// from, byte for byte. Where Redis orders by its hash table (the list of
// all commands, subcommands of a container), both sides are sorted first;
// every subcommand is also compared on its own.

func TestCommandInfoMatchesRedis(t *testing.T) {
	srv := startRedis(t)
	conns := redisConns(t, srv)
	tab := NewTable()
	for _, proto := range []int{2, 3} {
		c := conns[proto]
		for _, name := range allNames(tab) {
			for _, spelled := range []string{name, strings.ToUpper(name)} {
				want := canonInfo(t, do(t, c, "COMMAND", "INFO", spelled), false)
				got := canonInfo(t, ourReply(t, tab, proto, "COMMAND", "INFO", spelled), false)
				if got != want {
					t.Fatalf("RESP%d COMMAND INFO %s differs from redis-server:\nours:  %q\nredis: %q", proto, spelled, got, want)
				}
			}
		}
		for _, call := range [][]string{{"COMMAND"}, {"COMMAND", "INFO"}, {"command", "info"}} {
			want := canonInfo(t, do(t, c, call...), true)
			got := canonInfo(t, ourReply(t, tab, proto, call...), true)
			if got != want {
				t.Fatalf("RESP%d %q differs from redis-server:\n%s", proto, call, firstDiff(got, want))
			}
		}
		for _, call := range [][]string{
			{"COMMAND", "COUNT"},
			{"COMMAND", "INFO", "get", "nosuch", "CLIENT|KILL", "get|x", "client|", "|get", "", "client|kill|x", "SeT"},
			{"COMMAND", "INFO", "nosuch"},
		} {
			want, got := string(do(t, c, call...)), string(ourReply(t, tab, proto, call...))
			if got != want {
				t.Fatalf("RESP%d %q:\nours:  %q\nredis: %q", proto, call, got, want)
			}
		}
	}
}

func TestCommandDocsMatchesRedis(t *testing.T) {
	srv := startRedis(t)
	conns := redisConns(t, srv)
	tab := NewTable()
	for _, proto := range []int{2, 3} {
		c := conns[proto]
		for _, name := range allNames(tab) {
			want := canonDocs(t, do(t, c, "COMMAND", "DOCS", name), false)
			got := canonDocs(t, ourReply(t, tab, proto, "COMMAND", "DOCS", name), false)
			if got != want {
				t.Fatalf("RESP%d COMMAND DOCS %s differs from redis-server:\nours:  %q\nredis: %q", proto, name, got, want)
			}
		}
		want := canonDocs(t, do(t, c, "COMMAND", "DOCS"), true)
		got := canonDocs(t, ourReply(t, tab, proto, "COMMAND", "DOCS"), true)
		if got != want {
			t.Fatalf("RESP%d COMMAND DOCS differs from redis-server:\n%s", proto, firstDiff(got, want))
		}
		for _, call := range [][]string{
			{"COMMAND", "DOCS", "nosuch"},
			{"COMMAND", "DOCS", "get", "nosuch", "OBJECT|FREQ", "get|x", ""},
		} {
			want, got := string(do(t, c, call...)), string(ourReply(t, tab, proto, call...))
			if got != want {
				t.Fatalf("RESP%d %q:\nours:  %q\nredis: %q", proto, call, got, want)
			}
		}
	}
}

func TestCommandListMatchesRedis(t *testing.T) {
	srv := startRedis(t)
	conns := redisConns(t, srv)
	tab := NewTable()
	calls := [][]string{
		{"COMMAND", "LIST"},
		{"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
		{"COMMAND", "LIST", "FILTERBY", "aclcat", "nosuch"},
		{"COMMAND", "LIST", "FILTERBY", "aclcat", "@read"},
		{"command", "list", "filterby", "ACLCAT", "READ\x00x"},
	}
	for _, cat := range categoryNames {
		calls = append(calls, []string{"COMMAND", "LIST", "FILTERBY", "ACLCAT", strings.ToUpper(cat)})
	}
	for _, pat := range []string{
		"*", "get", "GET", "g*", "*get*", "?et", "client|*", "*|*", "[a-c]*", "[c-a]*", "[^a-y]*",
		"[", "[a", "x[", "\\g*", "*\\", "[\\]]*", "*[|]k*", "s?t*", "***", "*set*store", "[ab-]*",
		"z*[", "[]*", "[^]*", "cl*t*", "*o*o*o*", "x\x00*",
	} {
		calls = append(calls, []string{"COMMAND", "LIST", "FILTERBY", "PATTERN", pat})
	}
	for _, proto := range []int{2, 3} {
		c := conns[proto]
		for _, call := range calls {
			want := canonList(t, do(t, c, call...))
			got := canonList(t, ourReply(t, tab, proto, call...))
			if got != want {
				t.Fatalf("RESP%d %q differs from redis-server:\nours:  %q\nredis: %q", proto, call, got, want)
			}
		}
	}
}

func TestCommandRepliesMatchRedis(t *testing.T) {
	srv := startRedis(t)
	conns := redisConns(t, srv)
	tab := NewTable()
	calls := [][]string{
		{"COMMAND", "HELP"},
		{"command", "help"},
		{"COMMAND", "HELP", "x"},
		{"COMMAND", "FOO"},
		{"COMMAND", "FOO", "bar"},
		{"COMMAND", "COUNT", "x"},
		{"COMMAND", "LIST", "FILTERBY", "foo", "x"},
		{"COMMAND", "LIST", "foo"},
		{"COMMAND", "LIST", "FILTERBY", "aclcat"},
		{"COMMAND", "LIST", "FILTERBY", "aclcat", "read", "x"},
		{"COMMAND", "LIST", "FILTERBY", "aclcat", "read", "FILTERBY", "aclcat", "write"},
		{"COMMAND", "GETKEYS"},
		{"COMMAND", "GETKEYS", "get"},
		{"COMMAND", "GETKEYSANDFLAGS", "get"},
	}
	for _, proto := range []int{2, 3} {
		c := conns[proto]
		for _, call := range calls {
			want, got := string(do(t, c, call...)), string(ourReply(t, tab, proto, call...))
			if got != want {
				t.Fatalf("RESP%d %q:\nours:  %q\nredis: %q", proto, call, got, want)
			}
		}
	}
}

// getKeysCorpus covers every command whose keys move, in the forms the
// finders and key specs distinguish, plus ordinary commands and errors.
// Arguments are joined by spaces; "”" is an empty argument.
var getKeysCorpus = []string{
	// Scripts and functions: numkeys, bad numkeys, and the atoi quirk of the
	// fallback finder ("1abc" counts as 1 there, not for the key spec).
	"EVAL s 0", "EVAL s 1 k", "EVAL s 2 k1 k2 a1", "EVAL s 3 k1 k2", "EVAL s -1 k",
	"EVAL s 1abc k", "EVAL s +1 k", "EVAL s 01 k", "EVAL s 4294967297 k",
	"EVAL s 99999999999999999999 k", "EVAL s abc k", "EVAL s 1", "EVAL s '' k", "EVAL s 2147483648 k",
	"EVAL s -4294967295 k", "EVAL s 1\x00 k",
	"EVALSHA sha 1 k a", "EVALSHA sha 0", "EVALSHA sha 2 k",
	"EVAL_RO s 1 k", "EVAL_RO s 2 a b c", "EVAL_RO s 5 a",
	"EVALSHA_RO sha 1 k", "EVALSHA_RO sha x k",
	"FCALL f 1 k a", "FCALL f 0", "FCALL f 2 a", "FCALL f 1x a",
	"FCALL_RO f 2 a b", "FCALL_RO f 0 a",
	// Sorted-set and set algebra.
	"ZUNIONSTORE d 2 a b", "ZUNIONSTORE d 2 a b WEIGHTS 1 2 AGGREGATE MAX", "ZUNIONSTORE d 0 a",
	"ZUNIONSTORE d 3 a b", "ZUNIONSTORE d 2x a b", "ZUNIONSTORE d -1 a",
	"ZINTERSTORE d 1 a", "ZINTERSTORE d 2 a b", "ZINTERSTORE d 1y a",
	"ZDIFFSTORE d 1 a", "ZDIFFSTORE d 2 a b", "ZDIFFSTORE d 3 a b",
	"ZUNION 2 a b WITHSCORES", "ZUNION 0 a", "ZUNION 2a a b", "ZINTER 1 a", "ZINTER 3 a b",
	"ZDIFF 2 a b", "ZDIFF 1 a WITHSCORES", "ZINTERCARD 2 a b LIMIT 1", "ZINTERCARD 0 a",
	"ZINTERCARD 1z a",
	"SINTERCARD 2 a b LIMIT 5", "SINTERCARD 3 a b", "SINTERCARD 1 a", "SINTERCARD 2b a b",
	// Multi-pop.
	"LMPOP 2 a b LEFT COUNT 2", "LMPOP 1 a RIGHT", "LMPOP 0 a LEFT", "LMPOP 3 a b", "LMPOP 1q a LEFT",
	"BLMPOP 0 2 a b LEFT", "BLMPOP 1.5 1 a RIGHT COUNT 1", "BLMPOP 0 3 a b", "BLMPOP 0 2x a b LEFT",
	"ZMPOP 2 a b MIN", "ZMPOP 1 a MAX COUNT 2", "ZMPOP 9 a MIN",
	"BZMPOP 0 1 a MAX COUNT 3", "BZMPOP 0 2 a b MIN", "BZMPOP 0 0 a MIN",
	// Streams.
	"XREAD STREAMS a b 0 0", "XREAD COUNT 2 BLOCK 0 STREAMS a 0", "XREAD STREAMS a b 0",
	"XREAD STREAMS streams 0", "XREAD STREAMS", "XREAD COUNT 1 STREAMS a", "XREAD BLOCK 0 COUNT 1 streams a b c 1 2 3",
	"XREAD STREAMS\x00x a 0", "XREAD FOO STREAMS a 0",
	"XREADGROUP GROUP g c STREAMS a 0", "XREADGROUP GROUP g c COUNT 1 NOACK STREAMS a b > >",
	"XREADGROUP GROUP g c STREAMS a", "XREADGROUP GROUP streams c STREAMS a 0",
	"XREADGROUP GROUP g streams STREAMS s 0",
	// SORT: BY/GET/LIMIT skipping, STORE anywhere, the last STORE wins.
	"SORT k", "SORT k BY w_* GET # GET o_* STORE d", "SORT k STORE d LIMIT 0 10", "SORT k STORE",
	"SORT k STORE a STORE b", "SORT k LIMIT store x store d", "SORT k GET store STORE d",
	"SORT k BY store", "SORT k store\x00junk d", "SORT k ALPHA DESC STORE d",
	"SORT_RO k", "SORT_RO k BY x GET y", "SORT_RO k STORE d",
	// MIGRATE: one key, or KEYS with an empty key argument.
	"MIGRATE h 6379 k 0 5000", "MIGRATE h 6379 '' 0 5000 KEYS a b c",
	"MIGRATE h 6379 '' 0 5000 COPY REPLACE AUTH pw KEYS a", "MIGRATE h 6379 '' 0 5000 AUTH2 u p KEYS a b",
	"MIGRATE h 6379 k 0 5000 KEYS a b", "MIGRATE h 6379 '' 0 5000 KEYS", "MIGRATE h 6379 '' 0 5000",
	"MIGRATE h 6379 '' 0 5000 AUTH keys KEYS a", "MIGRATE h 6379 k 0 5000 COPY",
	"MIGRATE h 6379 '' 0 5000 AUTH2 keys keys KEYS z",
	// GEORADIUS with STORE / STOREDIST.
	"GEORADIUS k 1 2 3 m STORE d", "GEORADIUS k 1 2 3 m STOREDIST d", "GEORADIUS k 1 2 3 m STORE a STOREDIST b",
	"GEORADIUS k 1 2 3 m WITHDIST", "GEORADIUS k 1 2 3 m STORE", "GEORADIUS k 1 2 3 km COUNT 5 ASC STORE d",
	"GEORADIUSBYMEMBER k m 3 km STORE d", "GEORADIUSBYMEMBER k m 3 km STOREDIST d", "GEORADIUSBYMEMBER k m 3 km",
	"GEORADIUS_RO k 1 2 3 m", "GEORADIUSBYMEMBER_RO k m 3 km WITHCOORD",
	// SET and BITFIELD: flags depend on the arguments.
	"SET k v", "SET k v GET", "SET k v EX 10 get", "SET k v NX", "SET k v ge", "SET k v GET\x00x",
	"BITFIELD k GET u8 0", "BITFIELD k SET u8 0 1", "BITFIELD k INCRBY u8 0 1", "BITFIELD k OVERFLOW WRAP GET u8 0",
	"BITFIELD k GET u8", "BITFIELD k", "BITFIELD k OVERFLOW", "BITFIELD k GET u8 0 SET i4 1 2", "BITFIELD k FOO",
	"BITFIELD_RO k GET u8 0",
	// Ordinary commands.
	"GET k", "MGET a b c", "MSET a 1 b 2", "MSET a 1 b", "DEL a b", "RENAME a b", "OBJECT ENCODING k",
	"MEMORY USAGE k", "XINFO STREAM k", "LCS a b", "BLPOP a b 0", "BRPOPLPUSH a b 0", "LMOVE a b LEFT RIGHT",
	"COPY a b", "GEOSEARCHSTORE d s FROMMEMBER m BYRADIUS 1 km", "XADD s * f v", "PFCOUNT a b", "PFMERGE d a b",
	"GETEX k", "MSETNX a 1 b 2", "SMOVE a b m", "WATCH a b", "EXISTS a a", "BITOP AND d a b", "PUBLISH ch m",
	"SPUBLISH ch m", "SSUBSCRIBE a b", "SUBSCRIBE a", "PING", "OBJECT HELP", "XGROUP CREATE s g 0",
	"CLUSTER COUNTKEYSINSLOT 1",
	// Errors: unknown commands and subcommands, arity, containers.
	"GET", "GET a b", "NOSUCH a", "CLIENT NOSUCH", "OBJECT", "OBJECT ENCODING", "PING x", "CONFIG",
	"COMMAND GETKEYS GET k", "MSET a", "SET k", "EVAL s", "XREAD", "MIGRATE a b c d",
}

func TestGetKeysMatchesRedis(t *testing.T) {
	srv := startRedis(t)
	conns := redisConns(t, srv)
	tab := NewTable()

	corpus := make([][]string, 0, len(getKeysCorpus))
	covered := map[string]bool{}
	for _, line := range getKeysCorpus {
		args := strings.Split(line, " ")
		for i, a := range args {
			if a == "''" {
				args[i] = ""
			}
		}
		corpus = append(corpus, args)
		if c := tab.Find(bargs(args)); c != nil {
			covered[c.Name] = true
		}
	}
	// Every command whose keys move, or that has a finder, is in the
	// hand-written corpus.
	for _, name := range allNames(tab) {
		c := tab.ByName([]byte(name))
		if (c.Flags&FlagMovableKeys != 0 || c.Finder.Kind != FinderNone) && !covered[name] {
			t.Errorf("corpus lacks %s, whose keys move", name)
		}
	}
	// Every command, called with the fewest arguments its arity allows
	// and a few more.
	for _, name := range allNames(tab) {
		c := tab.ByName([]byte(name))
		base := callArgs(c)
		n := c.Arity
		if n < 0 {
			n = -n
		}
		for extra := 0; extra <= 3; extra++ {
			if c.Arity > 0 && extra > 0 {
				break
			}
			args := slices.Clone(base)
			for i := len(args); i < n+extra; i++ {
				args = append(args, "a"+string(rune('0'+i)))
			}
			corpus = append(corpus, args)
		}
	}

	for _, proto := range []int{2, 3} {
		c := conns[proto]
		for _, args := range corpus {
			for _, sub := range []string{"GETKEYS", "GETKEYSANDFLAGS"} {
				call := append([]string{"COMMAND", sub}, args...)
				want, got := string(do(t, c, call...)), string(ourReply(t, tab, proto, call...))
				if got != want {
					t.Errorf("RESP%d %q:\nours:  %q\nredis: %q", proto, call, got, want)
				}
			}
		}
	}
}

func TestLookupErrorsMatchRedis(t *testing.T) {
	srv := startRedis(t)
	c := redisConns(t, srv)[2]
	tab := NewTable()
	// Names with a NUL byte are left out: Redis hashes the whole name but
	// compares only up to the NUL, so whether "help\x00" finds HELP depends
	// on the process's random hash seed. We treat the NUL as part of the
	// name, which is what Redis does most of the time.
	many := []string{"foo"}
	for i := range 40 {
		many = append(many, strings.Repeat(string(rune('a'+i%26)), 7))
	}
	calls := [][]string{
		{"foo"}, {"foo", "a", "b"}, {"FOO", "bar"}, {""}, {"", ""}, {"foo", strings.Repeat("x", 200)},
		many, {"foo", "a\x00b", "c"}, {"fo\x00o", "a"}, {"foo", "a\r\nb"}, {strings.Repeat("n", 200), "a"},
		{"foo", "", "", ""}, {"foo", strings.Repeat("x", 125), "yy", "zz"}, {"foo", strings.Repeat("x", 124), "yy"},
		{"gét", "a"}, {strings.Repeat("g", 40)},
		{"client", "nosuch"}, {"CLIENT", "NoSuch", "x"}, {"config", strings.Repeat("y", 200)},
		{"config", "a\x00b"}, {"client", "a\r\nb"}, {"object", ""},
		{"get"}, {"GET", "a", "b"}, {"client"}, {"config"}, {"CONFIG"}, {"client", "setname"},
		{"object", "help", "x"}, {"command", "count", "x"}, {"set", "a"}, {"mset", "a"}, {"xinfo", "stream"},
		{"OBJECT", "ENCODING"}, {"acl"}, {"memory", "usage"},
	}
	for _, call := range calls {
		want := string(do(t, c, call...))
		_, err := tab.Lookup(bargs(call))
		if err == nil {
			t.Errorf("Lookup(%q) = nil error, redis says %q", call, want)
			continue
		}
		if got := "-" + err.Error() + "\r\n"; got != want {
			t.Errorf("Lookup(%q):\nours:  %q\nredis: %q", call, got, want)
		}
	}
}

// firstDiff shows where two long renderings part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(i-200, 0)
	return "ours:  …" + quoteN(got[lo:], 400) + "\nredis: …" + quoteN(want[lo:], 400)
}

func quoteN(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.NewReplacer("\r\n", `\r\n`).Replace(s)
}

// TestGetKeysRandomMatchesRedis compares COMMAND GETKEYSANDFLAGS with
// redis-server on random argument lists, built from the words the key
// finders look for, for every command whose keys move.
func TestGetKeysRandomMatchesRedis(t *testing.T) {
	srv := startRedis(t)
	conns := redisConns(t, srv)
	tab := NewTable()
	words := []string{
		"k", "a", "b", "", "0", "1", "2", "3", "-1", "2x", " 1", "01", "STORE", "store", "STOREDIST",
		"KEYS", "keys", "STREAMS", "streams", "BLOCK", "COUNT", "GROUP", "NOACK", "LIMIT", "GET", "get",
		"BY", "SET", "INCRBY", "OVERFLOW", "AUTH", "AUTH2", "COPY", "REPLACE", "u8", "WITHSCORES", "LEFT",
	}
	var cmds []*Command
	for _, name := range allNames(tab) {
		c := tab.ByName([]byte(name))
		if c.Flags&FlagMovableKeys != 0 || c.Finder.Kind != FinderNone {
			cmds = append(cmds, c)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var calls [][]string
	for range 20000 {
		c := cmds[rng.IntN(len(cmds))]
		call := append([]string{"COMMAND", "GETKEYSANDFLAGS"}, callArgs(c)...)
		for n := rng.IntN(10); n > 0; n-- {
			call = append(call, words[rng.IntN(len(words))])
		}
		calls = append(calls, call)
	}
	for _, proto := range []int{2, 3} {
		c := conns[proto]
		for _, call := range calls {
			if err := c.Send(call...); err != nil {
				t.Fatal(err)
			}
		}
		for _, call := range calls {
			b, err := c.Receive()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(ourReply(t, tab, proto, call...)), string(b); got != want {
				t.Errorf("RESP%d %q:\nours:  %q\nredis: %q", proto, call, got, want)
			}
		}
	}
}
