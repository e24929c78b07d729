// Package dict is the storage node's hash table: it holds the keyspace and
// the members of large hash and set values.
//
// Go maps cannot serve those roles because the node needs things a map does
// not offer: a SCAN cursor that survives table resizes with Redis's
// guarantee (every element present for a whole iteration is returned at
// least once), fair random picks for RANDOMKEY, SRANDMEMBER and SPOP, and
// cheap sampling of a random area for eviction and active expiry. Resizing
// is incremental, as in Redis's dict.c, so even a table of millions of
// entries never stops the world to rehash; there is no background goroutine,
// each operation moves a bounded number of buckets and the owner may call
// Rehash from its cron to finish sooner.
//
// A Dict is not safe for concurrent use: its owner serializes every call,
// reads included, because reads also advance rehashing.
//
// It imports only the standard library.
package dict
