package router

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router/internal/respval"
)

// ourReply runs a COMMAND call against tab and returns the reply bytes.
func ourReply(t testing.TB, tab *Table, proto int, args ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := resp.NewWriter(&buf)
	w.SetProto(proto)
	tab.WriteCommandReply(w, bargs(args))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func bargs(args []string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

// redisConns returns connections to srv speaking RESP2 and RESP3.
func redisConns(t testing.TB, srv *redistest.Server) map[int]*redistest.Conn {
	t.Helper()
	conns := map[int]*redistest.Conn{}
	for _, proto := range []int{2, 3} {
		c, err := redistest.DialTimeout(srv.Addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if proto == 3 {
			if _, err := c.Do("HELLO", "3"); err != nil {
				t.Fatal(err)
			}
		}
		conns[proto] = c
	}
	return conns
}

func do(t testing.TB, c *redistest.Conn, args ...string) []byte {
	t.Helper()
	b, err := c.Do(args...)
	if err != nil {
		t.Fatalf("redis %q: %v", args, err)
	}
	return b
}

// startRedis starts a redis-server and checks that it is the 7.0 release
// the table was generated from.
func startRedis(t testing.TB) *redistest.Server {
	t.Helper()
	srv := redistest.Start(t, redistest.Options{})
	info := string(srv.Do(t, "INFO", "server"))
	if !strings.Contains(info, "redis_version:"+generatedFrom+"\r\n") {
		i := strings.Index(info, "redis_version:")
		t.Fatalf("redis-server is not %s (the table's source): %.30s", generatedFrom, info[max(i, 0):])
	}
	return srv
}

func parse(t testing.TB, b []byte) respval.Value {
	t.Helper()
	v, err := respval.ParseAll(b)
	if err != nil {
		t.Fatalf("parsing %q: %v", b, err)
	}
	return v
}

// canonInfo renders a COMMAND / COMMAND INFO reply with Redis's
// hash-ordered parts sorted: the entries of the outer array when sortOuter
// is set, and every container's subcommand entries. Everything else stays
// byte for byte.
func canonInfo(t testing.TB, b []byte, sortOuter bool) string {
	t.Helper()
	v := parse(t, b)
	if !v.IsAggregate() {
		return string(b)
	}
	entries := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		entries[i] = canonInfoEntry(e)
	}
	if sortOuter {
		slices.Sort(entries)
	}
	return fmt.Sprintf("%c%d\r\n%s", v.Kind, len(v.Elems), strings.Join(entries, ""))
}

func canonInfoEntry(e respval.Value) string {
	if !e.IsAggregate() || len(e.Elems) != 10 {
		return string(e.Raw)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%c%d\r\n", e.Kind, len(e.Elems))
	for _, x := range e.Elems[:9] {
		sb.Write(x.Raw)
	}
	subs := e.Elems[9]
	parts := make([]string, len(subs.Elems))
	for i, s := range subs.Elems {
		parts[i] = canonInfoEntry(s)
	}
	slices.Sort(parts)
	fmt.Fprintf(&sb, "%c%d\r\n%s", subs.Kind, len(subs.Elems), strings.Join(parts, ""))
	return sb.String()
}

// canonDocs renders a COMMAND DOCS reply with the pairs of the outer map
// (when sortOuter) and of every "subcommands" map sorted by name.
func canonDocs(t testing.TB, b []byte, sortOuter bool) string {
	t.Helper()
	v := parse(t, b)
	if !v.IsAggregate() {
		return string(b)
	}
	return canonDocsMap(t, v, sortOuter)
}

func canonDocsMap(t testing.TB, v respval.Value, sortPairs bool) string {
	t.Helper()
	ps, err := v.Pairs()
	if err != nil {
		t.Fatal(err)
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = string(p[0].Raw) + canonDocEntry(t, p[1])
	}
	if sortPairs {
		slices.Sort(parts)
	}
	return fmt.Sprintf("%c%d\r\n%s", v.Kind, headerLen(v), strings.Join(parts, ""))
}

func canonDocEntry(t testing.TB, v respval.Value) string {
	ps, err := v.Pairs()
	if err != nil {
		return string(v.Raw)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%c%d\r\n", v.Kind, headerLen(v))
	for _, p := range ps {
		sb.Write(p[0].Raw)
		if p[0].Str == "subcommands" {
			sb.WriteString(canonDocsMap(t, p[1], true))
		} else {
			sb.Write(p[1].Raw)
		}
	}
	return sb.String()
}

// canonList renders an array of bulk strings sorted.
func canonList(t testing.TB, b []byte) string {
	t.Helper()
	v := parse(t, b)
	if v.Kind != '*' {
		return string(b)
	}
	parts := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		parts[i] = string(e.Raw)
	}
	slices.Sort(parts)
	return fmt.Sprintf("*%d\r\n%s", len(parts), strings.Join(parts, ""))
}

// allNames returns the full name of every command and subcommand of tab.
func allNames(tab *Table) []string {
	var names []string
	for _, c := range tab.Commands() {
		names = append(names, c.Name)
		for _, s := range c.Subcommands {
			names = append(names, s.Name)
		}
	}
	return names
}

// callArgs returns the words that name c in a call: ["get"] or
// ["client", "kill"].
func callArgs(c *Command) []string {
	if c.Parent() == nil {
		return []string{c.Name}
	}
	return []string{c.Parent().Name, c.Name[len(c.Parent().Name)+1:]}
}

// headerLen is the count in v's header: pairs for a RESP3 map, elements
// otherwise.
func headerLen(v respval.Value) int {
	if v.Kind == '%' {
		return len(v.Elems) / 2
	}
	return len(v.Elems)
}
