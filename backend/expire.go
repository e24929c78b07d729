package backend

import (
	"math/rand/v2"
	"time"

	"github.com/keyslot/keyslot/backend/internal/dict"
	"github.com/keyslot/keyslot/cluster"
)

// The active expire cycle, after Redis's activeExpireCycle: every tick,
// sample keys that have a TTL and delete the expired ones, staying on a
// slot while more than a tenth of its sample had expired, within a time
// budget of a quarter of the tick.
const (
	expireSamplesPerLoop = 20
	expireAcceptableRate = 10 // percent of a sample that may stay expired
	expireCycleBudget    = 25 * time.Millisecond
)

func (s *Server) activeExpireCycle() {
	if !s.activeExpireEnabled() { // DEBUG SET-ACTIVE-EXPIRE 0
		return
	}
	deadline := time.Now().Add(expireCycleBudget)
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	x := &Ctx{s: s}
	// Start where the last cycle stopped, so no database starves.
	n := s.cfg.Databases
	for i := range n {
		dbi := (s.expireDB + i) % n
		for visited := 0; visited < 64; visited++ {
			if time.Now().After(deadline) {
				s.expireDB = dbi
				return
			}
			if !s.expireSlotStep(x, dbi, rng, deadline) {
				break
			}
		}
	}
}

// expireSlotStep samples the next slot with TTLs of database dbi and
// reports whether there was one.
func (s *Server) expireSlotStep(x *Ctx, dbi int, rng *rand.Rand, deadline time.Time) bool {
	s.ks.mu.RLock()
	defer s.ks.mu.RUnlock()
	db := s.ks.dbs[dbi]
	if db.volatile.Load() == 0 {
		return false
	}
	slot := nextSlot(&db.withTTL, s.expireSlot[dbi])
	if slot < 0 {
		slot = nextSlot(&db.withTTL, 0)
		if slot < 0 {
			return false
		}
	}
	s.expireSlot[dbi] = (slot + 1) % cluster.SlotCount
	st := &s.ks.stripes[slot%nStripes]
	st.mu.Lock()
	defer st.mu.Unlock()
	x.db, x.now = db, time.Now().UnixMilli()
	for {
		sk := db.slots[slot]
		if sk == nil || sk.ttl == nil {
			return true
		}
		var expired [][]byte
		sampled := 0
		sk.ttl.Sample(rng, expireSamplesPerLoop, func(e *dict.Entry[int64]) {
			sampled++
			if e.Value < x.now {
				expired = append(expired, []byte(e.Key))
			}
		})
		for _, k := range expired {
			x.expireKey(k)
		}
		if sampled == 0 || len(expired)*100 <= sampled*expireAcceptableRate {
			return true
		}
		// A slot full of expired keys must not hold its stripe past the
		// cycle's budget; the next cycle goes on.
		if time.Now().After(deadline) {
			return true
		}
	}
}
