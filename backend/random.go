package backend

import (
	"math/rand/v2"

	"github.com/keyslot/keyslot/backend/internal/dict"
)

// Random sampling shared by HRANDFIELD, SRANDMEMBER, SPOP and
// ZRANDMEMBER. Each follows Redis's split: a partial shuffle of everything
// when the sample is a large share of the collection (its CASE 3), picks
// with rejection of repeats otherwise (CASE 4).

// partialShuffle moves a uniform random choice of count elements of all
// (count <= len(all)) to its front, in random order, by Fisher-Yates
// stopped after count steps, and returns that front. intN is the source
// of randomness.
func partialShuffle[T any](all []T, count int, intN func(int) int) []T {
	for i := range count {
		j := i + intN(len(all)-i)
		all[i], all[j] = all[j], all[i]
	}
	return all[:count]
}

// shuffledIndexes returns count distinct random indexes below n (count <=
// n), in random order, by a partial shuffle of all n.
func shuffledIndexes(n, count int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return partialShuffle(all, count, rand.IntN)
}

// distinctEntries returns count distinct random entries of d, count <
// d.Len(): from a copy of all entries when count is a large share of them
// (Redis's CASE 3), by repeated random picks otherwise (CASE 4).
func distinctEntries[V any](d *dict.Dict[V], count int) []*dict.Entry[V] {
	r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	if count*3 > d.Len() {
		all := make([]*dict.Entry[V], 0, d.Len())
		for e := range d.All() {
			all = append(all, e)
		}
		return partialShuffle(all, count, r.IntN)
	}
	seen := make(map[*dict.Entry[V]]struct{}, count)
	out := make([]*dict.Entry[V], 0, count)
	for len(out) < count {
		e := d.Random(r)
		if _, dup := seen[e]; dup {
			continue
		}
		seen[e] = struct{}{}
		out = append(out, e)
	}
	return out
}

// distinctIndexes returns count distinct random indexes below n, count <
// n.
func distinctIndexes(n, count int) []int {
	if count*3 > n {
		return shuffledIndexes(n, count)
	}
	seen := make(map[int]struct{}, count)
	out := make([]int, 0, count)
	for len(out) < count {
		i := rand.IntN(n)
		if _, dup := seen[i]; !dup {
			seen[i] = struct{}{}
			out = append(out, i)
		}
	}
	return out
}
