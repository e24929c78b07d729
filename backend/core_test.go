package backend

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
)

// TestSlowReaderHoldsNoLocks checks that a client that asks for a large
// reply and never reads it blocks only itself: its handler ran under key
// locks, and the reply waits in memory, not in a socket write under them.
func TestSlowReaderHoldsNoLocks(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	val := strings.Repeat("x", 1024)
	for range 20 {
		args := []string{"RPUSH", "big"}
		for range 1000 {
			args = append(args, val)
		}
		doStr(t, c, args...)
	}
	slow, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if _, err := slow.Write(resp.AppendCommandString(nil, "LRANGE", "big", "0", "-1")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the 20 MB reply fills the socket buffers
	done := make(chan string, 1)
	go func() {
		other := dialNode(t, s.Addr().String())
		done <- doStr(t, other, "LLEN", "big") + doStr(t, other, "DBSIZE") + doStr(t, other, "SET", "k", "v")
	}()
	select {
	case got := <-done:
		if got != ":20000\r\n:1\r\n+OK\r\n" {
			t.Fatalf("replies = %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a client not reading its reply blocked the keyspace")
	}
}

// TestPushLimitOnlyWhileSubscribed checks that the pubsub output limit
// stops applying once a client has no subscriptions left, as in Redis.
func TestPushLimitOnlyWhileSubscribed(t *testing.T) {
	s := startNode(t, withParams(map[string]string{"client-output-buffer-limit": "pubsub 1mb 0 0"}))
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "big", strings.Repeat("y", 4<<20))
	doStr(t, c, "SUBSCRIBE", "ch")
	doStr(t, c, "UNSUBSCRIBE", "ch")
	if got := doCmd(t, c, "GET", "big"); len(got) != 4<<20+len("$4194304\r\n\r\n") {
		t.Fatalf("GET after UNSUBSCRIBE returned %d bytes", len(got))
	}
}

// TestMaxmemoryPolicies checks the eviction rules with a limit far below
// what the process already uses: noeviction refuses deny-oom commands but
// serves reads, an allkeys policy evicts the keys written, and a volatile
// policy with no volatile key has nothing to evict.
func TestMaxmemoryPolicies(t *testing.T) {
	s := startNode(t)
	c := dialNode(t, s.Addr().String())
	doStr(t, c, "SET", "before", "v")
	doStr(t, c, "CONFIG", "SET", "maxmemory", "1mb")
	const oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
	if got := doStr(t, c, "SET", "k", "v"); got != oom {
		t.Fatalf("SET under noeviction = %q", got)
	}
	if got := doStr(t, c, "GET", "before"); got != "$1\r\nv\r\n" {
		t.Fatalf("GET under noeviction = %q", got)
	}
	doStr(t, c, "CONFIG", "SET", "maxmemory-policy", "volatile-lru")
	if got := doStr(t, c, "SET", "k", "v"); got != oom {
		t.Fatalf("SET under volatile-lru without volatile keys = %q", got)
	}
	doStr(t, c, "CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
	for i := range 50 {
		doStr(t, c, "SET", "k"+strings.Repeat("x", i), "v")
	}
	if got := doStr(t, c, "DBSIZE"); got == ":51\r\n" {
		t.Fatal("allkeys-lru evicted nothing")
	}
	if info := doStr(t, c, "INFO", "stats"); strings.Contains(info, "evicted_keys:0\r\n") {
		t.Fatalf("INFO stats reports no evictions:\n%s", info)
	}
}
