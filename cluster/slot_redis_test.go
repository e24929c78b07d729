package cluster_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/keyslot/keyslot/cluster"
	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// TestKeySlotMatchesRedis compares KeySlot with CLUSTER KEYSLOT of a
// cluster-enabled redis-server for 100,000 random binary keys, a third of
// them with braces so that hash tags are exercised.
func TestKeySlotMatchesRedis(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{Cluster: true})
	c, err := redistest.DialTimeout(srv.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	rng := rand.New(rand.NewPCG(1, 2))
	const total, batch = 100_000, 1000
	keys := make([][]byte, batch)
	var req []byte
	for done := 0; done < total; done += batch {
		req = req[:0]
		for i := range keys {
			keys[i] = randomKey(rng)
			req = resp.AppendCommand(req, []byte("CLUSTER"), []byte("KEYSLOT"), keys[i])
		}
		if err := c.Write(req); err != nil {
			t.Fatal(err)
		}
		for i, key := range keys {
			reply, err := c.Receive()
			if err != nil {
				t.Fatal(err)
			}
			want := ":" + strconv.Itoa(cluster.KeySlot(key)) + "\r\n"
			if string(reply) != want {
				t.Fatalf("key %d %q: redis says %q, KeySlot %q", done+i, key, reply, want)
			}
		}
	}
}

// randomKey returns 0 to 40 random bytes; a third of the keys get a '{' and
// a '}' at random places, so empty, nested and unclosed tags all occur.
func randomKey(rng *rand.Rand) []byte {
	key := make([]byte, rng.IntN(41))
	for i := range key {
		key[i] = byte(rng.UintN(256))
	}
	if len(key) > 0 && rng.IntN(3) == 0 {
		key[rng.IntN(len(key))] = '{'
		key[rng.IntN(len(key))] = '}'
	}
	return key
}
