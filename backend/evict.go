package backend

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/cluster"
	"github.com/keyslot/keyslot/router"
)

// Memory accounting and eviction (maxmemory, maxmemory-policy), after
// Redis's evict.c: keys are sampled, the best candidates kept in a small
// pool, and the best of the pool evicted, until memory is under the limit.
//
// Go has no malloc counters like Redis's zmalloc, so used memory is
// estimated from the runtime: the live heap at the last collection, plus
// what was allocated since, minus what eviction freed since. When that
// passes maxmemory a collection is forced (at most every forcedGCEvery) so
// that garbage is not mistaken for data before anything is evicted.

const (
	evictPoolSize = 16 // Redis's EVPOOL_SIZE
	lfuInitVal    = 5  // Redis's LFU_INIT_VAL
	forcedGCEvery = time.Second / 4
	memReadEvery  = time.Millisecond
)

// memState is the used-memory estimate.
type memState struct {
	mu         sync.Mutex
	samples    []metrics.Sample // live heap, total allocated, GC cycles
	readAt     time.Time        // guarded by mu
	used       int64            // guarded by mu: the last estimate
	cycles     uint64           // guarded by mu: GC cycles at the last read
	allocsAtGC uint64           // guarded by mu
	evicted    int64            // guarded by mu: bytes evicted since the last GC
	forcedAt   time.Time        // guarded by mu
	limit      uint64           // guarded by mu: the maxmemory the Go memory limit follows
}

func newMemState() *memState {
	return &memState{samples: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/cycles/total:gc-cycles"},
	}}
}

// usedMemory returns the estimate of the memory the node uses for data,
// what INFO reports as used_memory and maxmemory is compared with.
func (s *Server) usedMemory() int64 {
	m := s.mem
	m.mu.Lock()
	defer m.mu.Unlock()
	if time.Since(m.readAt) >= memReadEvery {
		m.readLocked()
	}
	return m.used
}

func (m *memState) readLocked() {
	metrics.Read(m.samples)
	live := m.samples[0].Value.Uint64()
	allocs := m.samples[1].Value.Uint64()
	cycles := m.samples[2].Value.Uint64()
	if cycles != m.cycles {
		m.cycles, m.allocsAtGC, m.evicted = cycles, allocs, 0
	}
	m.used = int64(live) + int64(allocs-m.allocsAtGC) - m.evicted
	m.readAt = time.Now()
}

// forceGC collects garbage if none was forced recently, so the estimate is
// about data rather than garbage, and reports whether it ran.
func (m *memState) forceGC() bool {
	m.mu.Lock()
	if time.Since(m.forcedAt) < forcedGCEvery {
		m.mu.Unlock()
		return false
	}
	m.forcedAt = time.Now()
	m.mu.Unlock()
	runtime.GC()
	m.mu.Lock()
	m.readLocked()
	m.mu.Unlock()
	return true
}

// applyLimit makes the Go collector work harder as the heap nears
// maxmemory, so that garbage stays a small part of what is counted.
func (m *memState) applyLimit(maxmemory uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.limit == maxmemory {
		return
	}
	m.limit = maxmemory
	debug.SetMemoryLimit(int64(maxmemory + maxmemory/4 + 16<<20))
}

// freed records bytes that eviction released.
func (m *memState) freed(n int64) {
	m.mu.Lock()
	m.evicted += n
	m.used -= n
	m.mu.Unlock()
}

// overMaxmemory reports whether used memory exceeds maxmemory.
func (s *Server) overMaxmemory() bool {
	limit := s.memoryLimits().maxmemory
	return limit > 0 && s.usedMemory() > int64(limit)
}

// checkMemory runs before each command when maxmemory is set, as Redis's
// performEvictions does: it evicts until memory is under the limit, and
// reports false when it cannot (noeviction, or nothing left to evict).
func (s *Server) checkMemory() bool {
	lim := s.memoryLimits()
	if lim.maxmemory == 0 {
		return true
	}
	s.mem.applyLimit(lim.maxmemory)
	if s.usedMemory() <= int64(lim.maxmemory) {
		return true
	}
	if s.mem.forceGC() && s.usedMemory() <= int64(lim.maxmemory) {
		return true
	}
	if lim.policy == evictNoEviction {
		return false
	}
	// Bound one command's eviction work as Redis's tenacity does.
	deadline := time.Now().Add(time.Duration(lim.tenacity+1) * 500 * time.Microsecond)
	for s.usedMemory() > int64(lim.maxmemory) {
		if !s.evictOne(lim) {
			return false
		}
		if time.Now().After(deadline) {
			// Redis's EVICT_RUNNING: the next commands go on evicting,
			// and this one is not refused.
			return true
		}
	}
	return true
}

// oomRejects reports whether rc must be refused for lack of memory: a
// command flagged deny-oom, or EXEC of a transaction holding one.
func oomRejects(rc *router.Command, cl *client) bool {
	if rc.Flags&router.FlagDenyOOM != 0 {
		return true
	}
	return rc.Name == "exec" && cl.multi != nil && cl.multi.denyOOM
}

const errOOM = "OOM command not allowed when used memory > 'maxmemory'."

// candidate is a key the eviction pool holds.
type candidate struct {
	db    int
	key   string
	score uint64 // higher evicts first
}

// evictOne evicts the best key per the policy and reports whether there
// was one. Other clients evict concurrently and may take every candidate
// of a pool first, so an emptied pool is sampled again before giving up.
func (s *Server) evictOne(lim memoryLimits) bool {
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for range 8 {
		var pool []candidate
		for dbi := range s.ks.dbs {
			pool = s.sampleCandidates(pool, dbi, lim, rng)
		}
		if len(pool) == 0 {
			return false
		}
		// Best first; try each until one is still there.
		for len(pool) > 0 {
			best := 0
			for i, c := range pool {
				if c.score > pool[best].score {
					best = i
				}
			}
			c := pool[best]
			pool = append(pool[:best], pool[best+1:]...)
			if s.evictKey(c) {
				return true
			}
		}
	}
	return false
}

// sampleCandidates adds up to maxmemory-samples keys of database dbi from
// a random slot to pool, keeping the evictPoolSize best. A slot found in
// the bitmap may empty before its stripe is locked; then another is tried.
func (s *Server) sampleCandidates(pool []candidate, dbi int, lim memoryLimits, rng *rand.Rand) []candidate {
	s.ks.mu.RLock()
	defer s.ks.mu.RUnlock()
	db := s.ks.dbs[dbi]
	set := &db.used
	if !lim.policy.allKeys() {
		set = &db.withTTL
	}
	for range 16 {
		slot := nextSlot(set, rng.IntN(cluster.SlotCount))
		if slot < 0 {
			if slot = nextSlot(set, 0); slot < 0 {
				return pool
			}
		}
		n := len(pool)
		pool = s.sampleSlot(pool, db, slot, lim, rng)
		if len(pool) > n {
			break
		}
	}
	return pool
}

// sampleSlot samples one slot of db into pool. Keyspace.mu is held shared.
func (s *Server) sampleSlot(pool []candidate, db *DB, slot int, lim memoryLimits, rng *rand.Rand) []candidate {
	st := &s.ks.stripes[slot%nStripes]
	st.mu.Lock()
	defer st.mu.Unlock()
	sk := db.slots[slot]
	if sk == nil {
		return pool
	}
	clock := s.lruClock()
	add := func(key string, it *item, exp int64) {
		var score uint64
		switch lim.policy {
		case evictAllKeysLRU, evictVolatileLRU:
			score = lruIdle(clock, it.lru)
		case evictAllKeysLFU, evictVolatileLFU:
			score = 255 - uint64(lfuDecayed(it.lru, lim.lfuDecayTime))
		case evictVolatileTTL:
			score = ^uint64(exp)
		default:
			score = rng.Uint64()
		}
		c := candidate{db: db.id, key: key, score: score}
		if len(pool) < evictPoolSize {
			pool = append(pool, c)
			return
		}
		worst := 0
		for i := range pool {
			if pool[i].score < pool[worst].score {
				worst = i
			}
		}
		if pool[worst].score < score {
			pool[worst] = c
		}
	}
	if lim.policy.allKeys() {
		sk.keys.Sample(rng, lim.samples, func(e *dict.Entry[item]) { add(e.Key, &e.Value, 0) })
	} else if sk.ttl != nil {
		sk.ttl.Sample(rng, lim.samples, func(e *dict.Entry[int64]) {
			if ke := sk.keys.FindString(e.Key); ke != nil {
				add(e.Key, &ke.Value, e.Value)
			}
		})
	}
	return pool
}

// evictKey deletes a candidate if it still exists, as an eviction.
func (s *Server) evictKey(c candidate) bool {
	key := []byte(c.key)
	s.ks.mu.RLock()
	defer s.ks.mu.RUnlock()
	st := &s.ks.stripes[stripeOf(key)]
	st.mu.Lock()
	defer st.mu.Unlock()
	db := s.ks.dbs[c.db]
	e := db.find(key)
	if e == nil {
		return false
	}
	size := keyMemoryUsage(e.Key, &e.Value, evictSizeSamples)
	x := &Ctx{s: s, db: db, now: time.Now().UnixMilli()}
	db.remove(key)
	s.stats.evictedKeys.Add(1)
	x.modified(key)
	x.notify(notifyEvicted, "evicted", key)
	s.mem.freed(size)
	return true
}

// evictSizeSamples is how many elements of a collection are sampled to
// estimate what evicting it frees, as MEMORY USAGE does by default.
const evictSizeSamples = 5

// lruClockMax is the largest value of Redis's 24-bit LRU clock, after
// which it wraps.
const lruClockMax = 1<<24 - 1

// lruIdle is Redis's estimateObjectIdleTime, in seconds.
func lruIdle(clock, lru uint32) uint64 {
	if clock >= lru {
		return uint64(clock - lru)
	}
	return uint64(clock) + uint64(lruClockMax-lru)
}

// lfuMinutes is Redis's LFUGetTimeInMinutes.
func lfuMinutes() uint32 { return uint32(time.Now().Unix()/60) & 0xffff }

// lfuDecayed is Redis's LFUDecrAndReturn: the counter in lru after the
// decay of the minutes since it was last touched.
func lfuDecayed(lru uint32, decayTime int) uint32 {
	ldt, counter := lru>>8, lru&0xff
	if decayTime <= 0 {
		return counter
	}
	now := lfuMinutes()
	var elapsed uint32
	if now >= ldt {
		elapsed = now - ldt
	} else {
		elapsed = 0xffff - ldt + now
	}
	periods := elapsed / uint32(decayTime)
	if periods > counter {
		return 0
	}
	return counter - periods
}

// lfuTouch is Redis's updateLFU: decay, then a logarithmic increment.
func lfuTouch(lru uint32, logFactor, decayTime int) uint32 {
	counter := lfuDecayed(lru, decayTime)
	if counter < 255 {
		base := float64(int(counter) - lfuInitVal)
		if base < 0 {
			base = 0
		}
		if rand.Float64() < 1/(base*float64(logFactor)+1) {
			counter++
		}
	}
	return lfuMinutes()<<8 | counter
}

// touch updates a key's access data on lookup: its LRU clock, or its LFU
// counter under an LFU policy.
func (s *Server) touch(it *item) {
	lim := s.memoryLimits()
	if lim.policy.lfu() {
		it.lru = lfuTouch(it.lru, lim.lfuLogFactor, lim.lfuDecayTime)
		return
	}
	it.lru = s.lruClock()
}

// newAccess is the access data of a new key.
func (s *Server) newAccess() uint32 {
	if s.memoryLimits().policy.lfu() {
		return lfuMinutes()<<8 | lfuInitVal
	}
	return s.lruClock()
}
