package backend

import (
	"io"
	"math"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router"
)

func TestExpireAt(t *testing.T) {
	const now = 1_700_000_000_000
	for _, tc := range []struct {
		v                 int64
		seconds, relative bool
		want              int64
		ok                bool
	}{
		{100, true, true, now + 100_000, true},
		{100, false, true, now + 100, true},
		{4102444800, true, false, 4102444800000, true},
		{4102444800123, false, false, 4102444800123, true},
		{-10, true, true, now - 10_000, true},
		{math.MaxInt64 / 1000, true, false, math.MaxInt64 / 1000 * 1000, true},
		{math.MaxInt64/1000 + 1, true, false, 0, false},
		{math.MinInt64 / 1000, true, true, math.MinInt64/1000*1000 + now, true},
		{math.MinInt64/1000 - 1, true, true, 0, false},
		{math.MaxInt64, false, false, math.MaxInt64, true},
		{math.MaxInt64, false, true, 0, false},
		{math.MaxInt64 - now, false, true, math.MaxInt64, true},
		{math.MaxInt64 - now + 1, false, true, 0, false},
		{math.MinInt64, false, true, math.MinInt64 + now, true},
		{math.MinInt64, false, false, math.MinInt64, true},
	} {
		got, ok := expireAt(tc.v, tc.seconds, tc.relative, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("expireAt(%d, seconds=%v, relative=%v) = %d, %v; want %d, %v",
				tc.v, tc.seconds, tc.relative, got, ok, tc.want, tc.ok)
		}
	}
}

func TestExpireAllowed(t *testing.T) {
	for _, tc := range []struct {
		flags     int
		cur, when int64
		want      bool
	}{
		{0, 0, 5, true},
		{expireNX, 0, 5, true},
		{expireNX, 7, 5, false},
		{expireXX, 0, 5, false},
		{expireXX, 7, 5, true},
		{expireGT, 0, 5, false}, // no TTL is forever: nothing is greater
		{expireGT, 7, 5, false},
		{expireGT, 7, 7, false},
		{expireGT, 7, 8, true},
		{expireLT, 0, 5, true}, // anything is less than forever
		{expireLT, 0, -5, true},
		{expireLT, 7, 7, false},
		{expireLT, 7, 6, true},
		{expireXX | expireGT, 0, 5, false},
		{expireXX | expireLT, 0, 5, false},
		{expireXX | expireLT, 7, 5, true},
	} {
		if got := expireAllowed(tc.flags, tc.cur, tc.when); got != tc.want {
			t.Errorf("expireAllowed(%b, %d, %d) = %v, want %v", tc.flags, tc.cur, tc.when, got, tc.want)
		}
	}
}

// TestTTLDiff compares the TTL family's rounding and the expiry commands'
// errors with Redis, using absolute times so that replies are exact.
func TestTTLDiff(t *testing.T) {
	p := newDiffPair(t)
	p.same(t,
		"SET k v",
		"PEXPIREAT k 4102444800499", "EXPIRETIME k", "PEXPIRETIME k",
		"PEXPIREAT k 4102444800500", "EXPIRETIME k",
		"PEXPIREAT k 9223372036854775807", "EXPIRETIME k", "PEXPIRETIME k",
		"EXPIREAT k 9223372036854775", "EXPIRETIME k",
		"EXPIREAT k 9223372036854776", "EXPIRE k 9223372036854775", "PEXPIRE k 9223372036854775807",
		"EXPIRE k 1 FOO", "EXPIRE k x FOO", "EXPIRE k x", "EXPIRE k 1 NX XX", "EXPIRE k 1 GT LT",
		"EXPIRE k 1 XX GT LT", "EXPIRE k 1 NX FOO", "PEXPIREAT k 1 nX",
		"EXISTS k", "SET k v", "PERSIST k", "TTL k", "PTTL k", "EXPIRETIME k", "PEXPIRETIME k",
		"~HELLO 3", "TTL k", "TTL nosuch", "PERSIST nosuch",
	)
}

// keysBenchCtx returns a Ctx for calling name's handler directly on
// database 0, as the dispatcher would with the keyspace held.
func keysBenchCtx(s *Server, name string) *Ctx {
	cl := &client{}
	cl.x = Ctx{s: s, cl: cl, W: resp.NewWriter(io.Discard), cmd: router.NewTable().ByName([]byte(name)),
		db: s.ks.dbs[0], exclusive: true}
	return &cl.x
}

func BenchmarkExpireTTL(b *testing.B) {
	node := startNode(b)
	node.ks.mu.Lock()
	defer node.ks.mu.Unlock()
	node.ks.dbs[0].insert([]byte("k"), &strValue{b: []byte("v")})
	expire, ttl := keysBenchCtx(node, "expire"), keysBenchCtx(node, "ttl")
	expire.Args = [][]byte{[]byte("EXPIRE"), []byte("k"), []byte("100"), []byte("GT")}
	ttl.Args = [][]byte{[]byte("TTL"), []byte("k")}
	b.ReportAllocs()
	for b.Loop() {
		now := time.Now().UnixMilli()
		expire.now, ttl.now = now, now
		cmdExpire(expire)
		cmdTTL(ttl)
	}
}
