package backend

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/redistest"
)

// compareEvents runs script on Redis and on keyslot with every keyspace
// event on, then compares what a PSUBSCRIBEd client received.
func compareEvents(t *testing.T, script func(t *testing.T, addr string, c *redistest.Conn)) {
	ref := redistest.Start(t, redistest.Options{Args: []string{"--notify-keyspace-events", "KEAn"}})
	node := startNode(t)
	node.notifyFlags.Store(uint32(eventsKEAn))
	collect := func(addr string) []string {
		sub := dialNode(t, addr)
		doCmd(t, sub, "PSUBSCRIBE", "__key*__:*")
		c := dialNode(t, addr)
		script(t, addr, c)
		doCmd(t, c, "PUBLISH", "end", "x") // not matched: a barrier
		return drainEvents(t, sub)
	}
	want, got := collect(ref.Addr), collect(node.Addr().String())
	if len(want) < 10 {
		t.Fatalf("Redis published only %d events: %q", len(want), want)
	}
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("events differ:\n redis:   %q\n keyslot: %q", want, got)
	}
}

// TestListEvents compares the keyspace events of the list commands with
// Redis's.
func TestListEvents(t *testing.T) {
	compareEvents(t, func(t *testing.T, _ string, c *redistest.Conn) {
		for _, line := range []string{
			"RPUSH l a b c", "LPUSH l z", "LPUSHX nx a", "RPUSHX l d", "LPOP l", "RPOP l",
			"LPOP l 2", "LPOP l 0", "LPOP nx", "RPUSH l a b", "LSET l 0 x", "LSET l 9 x",
			"LINSERT l BEFORE x y", "LINSERT l BEFORE nosuch y", "LREM l 0 y", "LREM l 0 nosuch",
			"LTRIM l 0 5", "LTRIM l 0 0", "LTRIM l 1 0", "RPUSH s 1 2 3", "LMOVE s d LEFT RIGHT",
			"RPOPLPUSH s d", "LMOVE d d LEFT LEFT", "LMOVE s d RIGHT LEFT", "LMPOP 1 d LEFT COUNT 10",
			"RPUSH b 1", "BLPOP b 0", "RPUSH b 1 2", "BLMOVE b c LEFT LEFT 0",
			"BLMPOP 0 1 b RIGHT COUNT 3", "RPUSH c 1 1", "LREM c 0 1", "RPUSH e 1", "LRANGE e 0 -1",
			"LINDEX e 0", "LLEN e", "LPOS e 1", "SET str v", "LPUSH str x", "LMOVE e str LEFT LEFT",
		} {
			doCmd(t, c, strings.Fields(line)...)
		}
	})
}

// TestListEventsBlocked compares the events of serving blocked clients: a
// BLMOVE served by a push, whose own push serves a BLPOP.
func TestListEventsBlocked(t *testing.T) {
	compareEvents(t, func(t *testing.T, addr string, c *redistest.Conn) {
		b1, b2 := dialNode(t, addr), dialNode(t, addr)
		if err := b1.Send("BLMOVE", "w", "w2", "RIGHT", "LEFT", "0"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		if err := b2.Send("BLPOP", "w2", "0"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		doCmd(t, c, "RPUSH", "w", "x", "y")
		if _, err := b1.Receive(); err != nil {
			t.Fatal(err)
		}
		if _, err := b2.Receive(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestListRandomDiff runs random list commands against Redis and keyslot
// and compares every reply, with elements of sizes that cross the node
// limits and few distinct values, so that LREM, LPOS and LINSERT match.
func TestListRandomDiff(t *testing.T) {
	ref := redistest.Start(t, redistest.Options{})
	node := startNode(t)
	rc, kc := dialNode(t, ref.Addr), dialNode(t, node.Addr().String())
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"a", "b", "c"}
	key := func() string { return keys[r.IntN(len(keys))] }
	val := func() string {
		switch k := r.IntN(20); {
		case k == 0:
			return strings.Repeat("L", 9000+r.IntN(3))
		case k == 1:
			return strings.Repeat("m", 3000)
		case k == 2:
			return ""
		default:
			return string(rune('p' + r.IntN(4)))
		}
	}
	idx := func() string { return strconv.Itoa(r.IntN(40) - 20) }
	end := func() string { return []string{"LEFT", "RIGHT"}[r.IntN(2)] }
	for step := range 6000 {
		var cmd []string
		switch r.IntN(18) {
		case 0, 1, 2:
			cmd = []string{"LPUSH", key()}
			for range 1 + r.IntN(60) {
				cmd = append(cmd, val())
			}
		case 3, 4:
			cmd = []string{"RPUSH", key()}
			for range 1 + r.IntN(60) {
				cmd = append(cmd, val())
			}
		case 5:
			cmd = []string{"LPOP", key()}
			if r.IntN(2) == 0 {
				cmd = append(cmd, strconv.Itoa(r.IntN(10)))
			}
		case 6:
			cmd = []string{"RPOP", key()}
			if r.IntN(2) == 0 {
				cmd = append(cmd, strconv.Itoa(r.IntN(10)))
			}
		case 7:
			cmd = []string{"LRANGE", key(), idx(), idx()}
		case 8:
			cmd = []string{"LINDEX", key(), idx()}
		case 9:
			cmd = []string{"LSET", key(), idx(), val()}
		case 10:
			cmd = []string{"LINSERT", key(), []string{"BEFORE", "AFTER"}[r.IntN(2)], val(), val()}
		case 11:
			cmd = []string{"LREM", key(), strconv.Itoa(r.IntN(7) - 3), val()}
		case 12:
			cmd = []string{"LTRIM", key(), idx(), idx()}
		case 13:
			cmd = []string{"LPOS", key(), val(), "RANK", strconv.Itoa(r.IntN(5) + 1 - 2*r.IntN(2)*3), "COUNT", strconv.Itoa(r.IntN(4)), "MAXLEN", strconv.Itoa(r.IntN(30))}
		case 14:
			cmd = []string{"LMOVE", key(), key(), end(), end()}
		case 15:
			cmd = []string{"LMPOP", "2", key(), key(), end(), "COUNT", strconv.Itoa(1 + r.IntN(5))}
		case 16:
			cmd = []string{"LLEN", key()}
		case 17:
			cmd = []string{"LRANGE", key(), "0", "-1"}
		}
		want, got := doCmd(t, rc, cmd...), doCmd(t, kc, cmd...)
		if string(want) != string(got) {
			t.Fatalf("step %d %.80q:\n redis:   %.200q\n keyslot: %.200q", step, cmd, want, got)
		}
	}
	for _, k := range keys {
		want, got := doCmd(t, rc, "LRANGE", k, "0", "-1"), doCmd(t, kc, "LRANGE", k, "0", "-1")
		if string(want) != string(got) {
			t.Fatalf("final %s differs", k)
		}
	}
}

// TestListCopy checks that COPY's copy shares nothing with the original.
func TestListCopy(t *testing.T) {
	l := &listValue{}
	for i := range 3000 {
		l.pushBack([]byte(fmt.Sprint(i)))
	}
	l.pushBack(make([]byte, listNodeBytes+1))
	c := l.copyValue().(*listValue)
	c.set(0, []byte("xx"))
	c.set(l.len()-1, []byte("big no more"))
	c.popBack()
	c.pushFront([]byte("front"))
	if string(l.index(0)) != "0" || l.len() != 3001 || len(l.index(3000)) != listNodeBytes+1 {
		t.Fatalf("original changed: %q, len %d", l.index(0), l.len())
	}
}

// BenchmarkLPushLPop runs LPUSH then LPOP through the node's command path
// over one connection, pipelined, as redis-benchmark -P does.
func BenchmarkLPushLPop(b *testing.B) {
	node := startNode(b)
	c := dialNode(b, node.Addr().String())
	const batch = 64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		cmd := "LPUSH"
		if i%2 == 1 {
			cmd = "LPOP"
		}
		for range batch {
			var err error
			if cmd == "LPUSH" {
				err = c.Send(cmd, "mylist", "xxx")
			} else {
				err = c.Send(cmd, "mylist")
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		for range batch {
			if _, err := c.Receive(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestListBlockingStress has clients pop with BLPOP, BRPOP, BLMPOP and
// BLMOVE while another pushes, after blocked clients have hung up: every
// element pushed must come out exactly once.
func TestListBlockingStress(t *testing.T) {
	node := startNode(t)
	addr := node.Addr().String()
	const consumers, pushes, batch = 6, 150, 4
	got := make(chan string, pushes*batch)
	done := make(chan struct{})
	errs := make(chan error, consumers)
	for i := range consumers {
		go func() {
			c, err := redistest.DialTimeout(addr, 5*time.Second)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for n := 0; ; n++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				var args []string
				switch (i + n) % 4 {
				case 0:
					args = []string{"BLPOP", "q", "other", "0.05"}
				case 1:
					args = []string{"BRPOP", "other", "q", "0.05"}
				case 2:
					args = []string{"BLMPOP", "0.05", "1", "q", "LEFT", "COUNT", "3"}
				default:
					args = []string{"BLMOVE", "q", "moved", "LEFT", "RIGHT", "0.05"}
				}
				r, err := c.Do(args...)
				if err != nil {
					errs <- err
					return
				}
				// The elements are "e<n>."; pick them out of any reply shape.
				for _, f := range strings.Split(string(r), "\r\n") {
					if strings.HasPrefix(f, "e") && strings.HasSuffix(f, ".") {
						got <- f
					}
				}
				if args[0] == "BLMOVE" && strings.HasPrefix(string(r), "$") {
					if _, err := c.Do("RPOP", "moved"); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	// Clients that block and leave before anything is pushed must take
	// nothing with them once the node has seen them go.
	for range 20 {
		c := dialNode(t, addr)
		if err := c.Send("BLPOP", "q", "0"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
		_ = c.Close()
	}
	time.Sleep(100 * time.Millisecond)
	p := dialNode(t, addr)
	for i := range pushes {
		args := []string{"RPUSH", "q"}
		for k := range batch {
			args = append(args, fmt.Sprintf("e%d.", i*batch+k))
		}
		doCmd(t, p, args...)
		if i%10 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	seen := map[string]bool{}
	deadline := time.After(20 * time.Second)
	for len(seen) < pushes*batch {
		select {
		case e := <-got:
			if seen[e] {
				t.Fatalf("%s delivered twice", e)
			}
			seen[e] = true
		case <-deadline:
			t.Fatalf("%d of %d elements delivered; LLEN q = %q", len(seen), pushes*batch, doCmd(t, p, "LLEN", "q"))
		}
	}
	close(done)
	for range consumers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if r := string(doCmd(t, p, "EXISTS", "q", "moved")); r != ":0\r\n" {
		t.Fatalf("EXISTS q moved = %q", r)
	}
}
