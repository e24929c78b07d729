package backend

import (
	"fmt"
	"github.com/keyslot/keyslot/internal/resp"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

// TestObjectDiff compares OBJECT's subcommands with Redis in both
// protocols.
func TestObjectDiff(t *testing.T) {
	p := newDiffPair(t)
	long := strings.Repeat("x", 45)
	p.same(t,
		"SET a 123", "SET b 10000", "SET c hello", "SET d -1", "SET e 9999", "SET f 0",
		"SET g "+long, "SET h "+long[:44], "SET i 01", "SET j 9223372036854775808",
		"OBJECT REFCOUNT a", "OBJECT REFCOUNT b", "OBJECT REFCOUNT c", "OBJECT REFCOUNT d",
		"OBJECT REFCOUNT e", "OBJECT REFCOUNT f", "OBJECT REFCOUNT i", "OBJECT REFCOUNT nosuch",
		"OBJECT ENCODING a", "OBJECT ENCODING b", "OBJECT ENCODING c", "OBJECT ENCODING g",
		"OBJECT ENCODING h", "OBJECT ENCODING i", "OBJECT ENCODING j", "OBJECT ENCODING nosuch",
		"OBJECT IDLETIME c", "OBJECT IDLETIME nosuch", "OBJECT FREQ a", "OBJECT FREQ nosuch",
		"OBJECT HELP", "OBJECT HELP x", "OBJECT", "OBJECT foo", "OBJECT foo bar",
		"OBJECT ENCODING", "OBJECT ENCODING a b", "OBJECT REFCOUNT", "OBJECT IDLETIME a b",
		"RENAME a c", "OBJECT REFCOUNT c", "COPY c cc", "OBJECT ENCODING cc",
		"~HELLO 3",
		"OBJECT ENCODING nosuch", "OBJECT REFCOUNT nosuch", "OBJECT IDLETIME nosuch",
		"OBJECT FREQ nosuch", "OBJECT HELP", "OBJECT ENCODING g",
	)
}

// TestKeysEdgeDiff covers argument parsing corners the compat scripts do
// not.
func TestKeysEdgeDiff(t *testing.T) {
	p := newDiffPair(t)
	p.same(t,
		"SET k v",
		"COPY k k2 DB 0", "COPY k k2 DB 1 REPLACE DB 0", "COPY k k2 db 1 replace",
		"COPY k k2 DB 99999999999", "COPY k k2 DB -99999999999", "COPY k k2 DB 1x",
		"MOVE k 99999999999", "MOVE k 2147483648", "MOVE k -2147483649", "MOVE nosuch 0",
		"RENAMENX k k", "RENAME k k", "COPY nosuch nosuch",
		"MOVE k 1", "SELECT 1", "RENAMENX k k", "RENAMENX k k3", "RENAMENX k3 k2",
		"EXPIRE k2 0 NX", "EXISTS k2",
		"SET x y", "PEXPIREAT x 1 GT", "EXISTS x", "PEXPIREAT x 1 LT", "EXISTS x",
		"SET x y", "EXPIRE x 10 gt", "EXPIRE x 10 Lt", "TTL x", "EXPIRE x 10 nx gt",
		"EXPIRE x 10 gt lt", "EXPIRE x 10 xx xx", "EXPIRE x x FOO", "EXPIRE x x NX XX",
		// Option parsing, on an empty database so that replies do not
		// depend on hash order.
		"SELECT 9",
		"SCAN 0 TYPE none", "SCAN 0 TYPE NONE", "SCAN +0", "SCAN -0", "SCAN +", "SCAN -",
		"SCAN 0 COUNT 1 COUNT 2", "SCAN 0 COUNT 2 x", "SCAN 0 COUNT 9223372036854775807",
		"SCAN 0 COUNT 9223372036854775808", "SCAN 0 MATCH", "SCAN 0 count 1.0",
		"SCAN 18446744073709551615", "SCAN -18446744073709551615", "SCAN -18446744073709551616",
		"SCAN 0x10", "SCAN 1e3",
		"FLUSHALL", "RANDOMKEY", "KEYS *", "SCAN 0",
	)
}

// TestKeyEvents compares the keyspace notifications the key and expiry
// commands publish with Redis's.
func TestKeyEvents(t *testing.T) {
	ref := redistest.Start(t, redistest.Options{Args: []string{"--notify-keyspace-events", "KEAn"}})
	node := startNode(t)
	node.notifyFlags.Store(uint32(eventsKEAn))
	script := []string{
		"SET a 1", "RENAME a b", "RENAMENX b c", "SET d 1", "RENAME c d", "RENAME d d",
		"MOVE d 1", "SET e 1", "MOVE e 1", "COPY e f", "COPY e f REPLACE", "COPY e f DB 2",
		"EXPIRE e 100", "PEXPIRE e 100 NX", "PERSIST e", "PERSIST e", "EXPIRE e -1",
		"SET g 1", "PEXPIREAT g 1", "SET h 1 PX 1", "TOUCH h", "DEL nosuch", "EXISTS nosuch",
		"TTL nosuch", "TYPE nosuch", "OBJECT ENCODING nosuch",
	}
	collect := func(addr string) []string {
		sub := dialNode(t, addr)
		doCmd(t, sub, "PSUBSCRIBE", "__key*__:*")
		c := dialNode(t, addr)
		for _, line := range script {
			if line == "TOUCH h" {
				time.Sleep(20 * time.Millisecond) // let h expire
			}
			doCmd(t, c, strings.Fields(line)...)
		}
		doCmd(t, c, "PUBLISH", "end", "x") // not matched: only a barrier
		return drainEvents(t, sub)
	}
	want, got := collect(ref.Addr), collect(node.Addr().String())
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("events differ:\n redis:   %q\n keyslot: %q", want, got)
	}
}

func TestCopyString(t *testing.T) {
	v := &strValue{b: []byte("abc")}
	c := v.copyValue().(*strValue)
	c.b[0] = 'x'
	if string(v.b) != "abc" {
		t.Fatalf("copy shares bytes with the original: %q", v.b)
	}
}

func TestASCIIEqualFold(t *testing.T) {
	for _, tc := range []struct {
		b, s string
		want bool
	}{
		{"REPLACE", "replace", true},
		{"rEpLaCe", "replace", true},
		{"replac", "replace", false},
		{"ſtring", "string", false}, // Unicode folding is not strcasecmp's
		{"", "", true},
		{"a", "b", false},
	} {
		if got := asciiEqualFold([]byte(tc.b), tc.s); got != tc.want {
			t.Errorf("asciiEqualFold(%q, %q) = %v", tc.b, tc.s, got)
		}
	}
}

// TestRenameKeepsItem checks that RENAME, MOVE and COPY carry the TTL and
// keep the volatile counts right.
func TestRenameKeepsItem(t *testing.T) {
	node := startNode(t)
	c := dialNode(t, node.Addr().String())
	for _, cmd := range [][]string{
		{"SET", "src", "v", "PX", "100000"},
		{"RENAME", "src", "dst"},
		{"MOVE", "dst", "3"},
		{"SELECT", "3"},
		{"COPY", "dst", "cp", "DB", "0"},
	} {
		doCmd(t, c, cmd...)
	}
	for _, tc := range []struct {
		db  int
		key string
	}{{3, "dst"}, {0, "cp"}} {
		db := node.ks.dbs[tc.db]
		e := db.find([]byte(tc.key))
		if e == nil {
			t.Fatalf("db %d key %q missing", tc.db, tc.key)
		}
		if left := db.expireOf(e) - time.Now().UnixMilli(); left < 90000 || left > 100000 {
			t.Errorf("db %d key %q: TTL %dms, want about 100000", tc.db, tc.key, left)
		}
		if got := db.volatile.Load(); got != 1 {
			t.Errorf("db %d: %d volatile keys, want 1", tc.db, got)
		}
	}
	if n := node.ks.dbs[0].keys.Load(); n != 1 {
		t.Errorf("db 0 has %d keys, want 1 (cp)", n)
	}
}

// keysBlockVal stands in for a list (another engineer's type): a value
// whose creation wakes blocked clients.
type keysBlockVal struct{ n int }

func (*keysBlockVal) typeName() string      { return "list" }
func (*keysBlockVal) encoding(*item) string { return "quicklist" }
func (*keysBlockVal) wakesBlocked()         {}
func (v *keysBlockVal) copyValue() value    { return &keysBlockVal{n: v.n} }

// TestMoveWakesBlocked checks that RENAME, MOVE and COPY creating a key
// serve the clients blocked on it, in the database they wait in.
func TestMoveWakesBlocked(t *testing.T) {
	node := startNode(t)
	c := dialNode(t, node.Addr().String())
	for i, tc := range []struct {
		cmd  []string
		db   int
		wake string
	}{
		{[]string{"RENAME", "l0", "w0"}, 0, "w0"},
		{[]string{"RENAMENX", "l1", "w1"}, 0, "w1"},
		{[]string{"MOVE", "l2", "4"}, 4, "l2"},
		{[]string{"COPY", "l3", "w3"}, 0, "w3"},
		{[]string{"COPY", "l4", "w4", "DB", "5"}, 5, "w4"},
	} {
		src := tc.cmd[1]
		woken := make(chan string, 1)
		wt := &waiter{keys: []dbKey{{tc.db, tc.wake}}, wake: make(chan struct{}, 1)}
		wt.w = resp.NewWriter(&wt.out)
		wt.cl = &client{}
		wt.cl.x = Ctx{s: node, cl: wt.cl}
		wt.try = func(x *Ctx, key []byte) bool {
			e := x.db.find(key)
			if e == nil {
				return false
			}
			woken <- fmt.Sprintf("%d/%s/%d", x.db.id, key, e.Value.val.(*keysBlockVal).n)
			return true
		}
		node.ks.mu.Lock()
		node.ks.dbs[0].insert([]byte(src), &keysBlockVal{n: i})
		st := &node.ks.stripes[stripeOf([]byte(tc.wake))]
		st.blocked[wt.keys[0]] = append(st.blocked[wt.keys[0]], wt)
		node.ks.mu.Unlock()

		doCmd(t, c, tc.cmd...)
		want := fmt.Sprintf("%d/%s/%d", tc.db, tc.wake, i)
		select {
		case got := <-woken:
			if got != want {
				t.Errorf("%q woke %s, want %s", tc.cmd, got, want)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("%q woke nobody", tc.cmd)
		}
		select {
		case <-wt.wake:
		default:
			t.Errorf("%q: waiter not signalled", tc.cmd)
		}
	}
}
