package zset

import (
	"fmt"
	"math"
)

// check verifies every structural invariant of s and returns the first
// violation found.
func (s *Set) check() error {
	if s.root == nil {
		if s.dict != nil || s.height != 0 || s.n != 0 || s.dictPeak != 0 {
			return fmt.Errorf("small mode with tree state: height %d n %d dict %v", s.height, s.n, s.dict != nil)
		}
		if len(s.small) > leafCap {
			return fmt.Errorf("small mode holds %d > %d items", len(s.small), leafCap)
		}
		if err := checkOrder(s.small); err != nil {
			return err
		}
		for _, it := range s.small[len(s.small):cap(s.small)] {
			if it != (item{}) {
				return fmt.Errorf("small slice keeps a removed item %q", it.member)
			}
		}
		return nil
	}
	if s.small != nil {
		return fmt.Errorf("tree mode keeps a small slice")
	}
	if s.height < 1 {
		return fmt.Errorf("tree of height %d", s.height)
	}
	count, _, _, err := checkInner(s.root, s.height, true, nil, nil)
	if err != nil {
		return err
	}
	if count != s.n {
		return fmt.Errorf("tree holds %d items, n says %d", count, s.n)
	}
	if len(s.dict) != s.n {
		return fmt.Errorf("dict holds %d members, tree %d", len(s.dict), s.n)
	}
	all := make([]item, 0, s.n)
	s.root.visitAll(s.height, func(m string, sc float64) { all = append(all, item{m, sc}) })
	if err := checkOrder(all); err != nil {
		return err
	}
	for _, it := range all {
		v, ok := s.dict[it.member]
		if !ok || math.Float64bits(v) != math.Float64bits(it.score) {
			return fmt.Errorf("dict says %q → %v %v, tree says %v", it.member, v, ok, it.score)
		}
	}
	return nil
}

func checkOrder(items []item) error {
	for i := range items {
		if items[i].score != items[i].score {
			return fmt.Errorf("NaN score for %q", items[i].member)
		}
		if i > 0 && items[i-1].cmp(items[i].score, items[i].member) >= 0 {
			return fmt.Errorf("items out of order at %d: %q %v then %q %v", i,
				items[i-1].member, items[i-1].score, items[i].member, items[i].score)
		}
	}
	return nil
}

// checkInner checks n's subtree, whose items must lie in [lower, upper)
// (nil for unbounded), and returns its item count and member bounds.
func checkInner(n *inner, h int, isRoot bool, lower, upper *item) (int, string, string, error) {
	if n.n < 1 || n.n > innerCap {
		return 0, "", "", fmt.Errorf("inner node with %d children", n.n)
	}
	if !isRoot && n.n < innerMin {
		return 0, "", "", fmt.Errorf("underfull inner node: %d children at level %d", n.n, h)
	}
	for i := n.n; i < innerCap; i++ {
		if n.counts[i] != 0 || n.keys[i] != (item{}) || n.lo[i] != "" || n.hi[i] != "" || n.kids[i] != nil || n.leaves[i] != nil {
			return 0, "", "", fmt.Errorf("inner node keeps stale slot %d", i)
		}
	}
	total := 0
	var lo, hi string
	for i := 0; i < n.n; i++ {
		lowerI, upperI := lower, upper
		if i > 0 {
			lowerI = &n.keys[i]
		}
		if i+1 < n.n {
			upperI = &n.keys[i+1]
		}
		var c int
		var clo, chi string
		if h == 1 {
			l := n.leaves[i]
			if l == nil || n.kids[i] != nil {
				return 0, "", "", fmt.Errorf("level 1 child %d is not a leaf", i)
			}
			if l.n < 1 || (l.n < leafMin && !(isRoot && n.n == 1)) {
				return 0, "", "", fmt.Errorf("leaf with %d items", l.n)
			}
			items := make([]item, l.n)
			for j := range items {
				items[j] = item{l.members[j], l.scores[j]}
			}
			if err := checkOrder(items); err != nil {
				return 0, "", "", err
			}
			for j := l.n; j < leafCap; j++ {
				if l.members[j] != "" || l.scores[j] != 0 {
					return 0, "", "", fmt.Errorf("leaf keeps a removed item %q", l.members[j])
				}
			}
			for j := range items {
				if lowerI != nil && items[j].cmp(lowerI.score, lowerI.member) < 0 {
					return 0, "", "", fmt.Errorf("item %q %v below its key %q %v", items[j].member, items[j].score, lowerI.member, lowerI.score)
				}
				if upperI != nil && items[j].cmp(upperI.score, upperI.member) >= 0 {
					return 0, "", "", fmt.Errorf("item %q %v not below the next key %q %v", items[j].member, items[j].score, upperI.member, upperI.score)
				}
			}
			c = l.n
			clo, chi = memberBounds(l.members[:l.n])
		} else {
			if n.kids[i] == nil || n.leaves[i] != nil {
				return 0, "", "", fmt.Errorf("level %d child %d is not an inner node", h, i)
			}
			var err error
			c, clo, chi, err = checkInner(n.kids[i], h-1, false, lowerI, upperI)
			if err != nil {
				return 0, "", "", err
			}
		}
		if c != n.counts[i] {
			return 0, "", "", fmt.Errorf("child %d holds %d items, count says %d", i, c, n.counts[i])
		}
		if clo != n.lo[i] || chi != n.hi[i] {
			return 0, "", "", fmt.Errorf("child %d member bounds %q..%q, recorded %q..%q", i, clo, chi, n.lo[i], n.hi[i])
		}
		if i == 0 || clo < lo {
			lo = clo
		}
		if i == 0 || chi > hi {
			hi = chi
		}
		total += c
	}
	return total, lo, hi, nil
}
