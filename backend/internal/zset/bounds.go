package zset

import "strings"

// ScoreBound is one end of a ZRANGEBYSCORE-style interval: "5" is
// {5, false}, "(5" is {5, true}, "-inf" is {math.Inf(-1), false}.
type ScoreBound struct {
	Value     float64
	Exclusive bool
}

// emptyScoreRange reports the intervals Redis treats as empty before
// looking at the set; a NaN bound (which Redis's parser rejects) is empty
// too.
func emptyScoreRange(min, max ScoreBound) bool {
	return min.Value != min.Value || max.Value != max.Value ||
		min.Value > max.Value ||
		(min.Value == max.Value && (min.Exclusive || max.Exclusive))
}

// start returns the position just before the first score >= min (> min
// when exclusive).
func (min ScoreBound) start() bound {
	if min.Exclusive {
		return bound{kind: scoreAtOrBelow, score: min.Value}
	}
	return bound{kind: scoreBelow, score: min.Value}
}

// end returns the position just after the last score <= max (< max when
// exclusive).
func (max ScoreBound) end() bound {
	if max.Exclusive {
		return bound{kind: scoreBelow, score: max.Value}
	}
	return bound{kind: scoreAtOrBelow, score: max.Value}
}

// FirstInScoreRange returns the lowest rank whose score lies within
// [min, max] (ends made exclusive as asked), and false when none does.
func (s *Set) FirstInScoreRange(min, max ScoreBound) (int, bool) {
	if emptyScoreRange(min, max) {
		return 0, false
	}
	b := min.start()
	r, it, ok := s.seekAfter(&b)
	if !ok {
		return 0, false
	}
	if e := max.end(); !e.before(it.score, it.member) {
		return 0, false
	}
	return r, true
}

// LastInScoreRange returns the highest rank whose score lies within the
// range, and false when none does.
func (s *Set) LastInScoreRange(min, max ScoreBound) (int, bool) {
	if emptyScoreRange(min, max) {
		return 0, false
	}
	e := max.end()
	r, it, ok := s.seekBefore(&e)
	if !ok {
		return 0, false
	}
	if b := min.start(); b.before(it.score, it.member) {
		return 0, false
	}
	return r, true
}

// CountInScoreRange returns how many scores lie within the range (ZCOUNT).
func (s *Set) CountInScoreRange(min, max ScoreBound) int {
	if emptyScoreRange(min, max) {
		return 0
	}
	b, e := min.start(), max.end()
	return s.countBefore(&e) - s.countBefore(&b)
}

// LexBound is one end of a ZRANGEBYLEX-style interval: "[a" is
// {Value: "a"}, "(a" is {Value: "a", Exclusive: true}, "-" is {Inf: -1}
// and "+" is {Inf: +1}. Value is ignored when Inf is not 0, and is only
// read during the call it is passed to.
type LexBound struct {
	Value     []byte
	Exclusive bool
	Inf       int
}

// lexBound is a LexBound whose value is viewed as a string.
type lexBound struct {
	v   string
	ex  bool
	inf int
}

func mkLex(b LexBound) lexBound {
	lb := lexBound{ex: b.Exclusive}
	switch {
	case b.Inf < 0:
		lb.inf = -1
	case b.Inf > 0:
		lb.inf = 1
	default:
		lb.v = view(b.Value)
	}
	return lb
}

// gteMin reports whether m is at or above the range start b.
func (b lexBound) gteMin(m string) bool {
	switch {
	case b.inf < 0:
		return true
	case b.inf > 0:
		return false
	}
	c := strings.Compare(m, b.v)
	return c > 0 || (c == 0 && !b.ex)
}

// lteMax reports whether m is at or below the range end b.
func (b lexBound) lteMax(m string) bool {
	switch {
	case b.inf > 0:
		return true
	case b.inf < 0:
		return false
	}
	c := strings.Compare(m, b.v)
	return c < 0 || (c == 0 && !b.ex)
}

// emptyLexRange reports the intervals Redis treats as empty before looking
// at the set. Two '-' (or two '+') compare equal; '-' is below and '+'
// above every value.
func emptyLexRange(min, max lexBound) bool {
	var c int
	switch {
	case min.inf != 0 && min.inf == max.inf:
		c = 0
	case min.inf < 0 || max.inf > 0:
		c = -1
	case min.inf > 0 || max.inf < 0:
		c = 1
	default:
		c = strings.Compare(min.v, max.v)
	}
	return c > 0 || (c == 0 && (min.ex || max.ex))
}

// lexPred is an upward-closed test on members: "at or above the range
// start" for a min bound, "beyond the range end" for a max bound.
type lexPred struct {
	b   lexBound
	max bool
}

func (p lexPred) up(m string) bool {
	if p.max {
		return !p.b.lteMax(m)
	}
	return p.b.gteMin(m)
}

// lexQuery is one lex-range query, with what it learns about the set's
// ends computed once.
type lexQuery struct {
	s       *Set
	lo, hi  lexBound
	n       int
	uniform bool    // every item has the same score...
	score   float64 // ...this one
}

// lexQuery prepares a query and reports false when Redis's early-out
// applies: the range is empty in itself, the last member is below min, or
// the first member is above max.
func (s *Set) lexQuery(min, max LexBound) (lexQuery, bool) {
	q := lexQuery{s: s, lo: mkLex(min), hi: mkLex(max), n: s.Len()}
	if q.n == 0 || emptyLexRange(q.lo, q.hi) {
		return q, false
	}
	first, last := s.itemAt(0), s.itemAt(q.n-1)
	if !q.lo.gteMin(last.member) || !q.hi.lteMax(first.member) {
		return q, false
	}
	q.uniform, q.score = first.score == last.score, first.score
	return q, true
}

// prefix returns how many items fail p on a uniform set, where member
// order is set order and the failing items come first.
func (q *lexQuery) prefix(p lexPred) int {
	switch {
	case p.b.inf < 0:
		return 0
	case p.b.inf > 0:
		return q.n
	}
	b := bound{kind: itemAtOrBelow, score: q.score, member: p.b.v}
	if p.b.ex == p.max {
		b.kind = itemBelow
	}
	return q.s.countBefore(&b)
}

// forward returns the first rank >= from whose member satisfies p.
func (q *lexQuery) forward(from int, p lexPred) (int, bool) {
	switch {
	case from >= q.n:
		return 0, false
	case q.uniform:
		r := max(from, q.prefix(p))
		return r, r < q.n
	case q.s.root == nil:
		return forwardItems(q.s.small, from, p)
	}
	return q.s.root.forward(q.s.height, from, p)
}

// backward returns the last rank <= from whose member fails p.
func (q *lexQuery) backward(from int, p lexPred) (int, bool) {
	switch {
	case from < 0:
		return 0, false
	case q.uniform:
		r := min(from, q.prefix(p)-1)
		return r, r >= 0
	case q.s.root == nil:
		return backwardItems(q.s.small, from, p)
	}
	return q.s.root.backward(q.s.height, from, p)
}

// first and last implement FirstInLexRange and LastInLexRange on a
// prepared query.
func (q *lexQuery) first() (int, bool) {
	r, ok := q.forward(0, lexPred{b: q.lo})
	if !ok || !q.hi.lteMax(q.s.itemAt(r).member) {
		return 0, false
	}
	return r, true
}

func (q *lexQuery) last() (int, bool) {
	r, ok := q.backward(q.n-1, lexPred{b: q.hi, max: true})
	if !ok || !q.lo.gteMin(q.s.itemAt(r).member) {
		return 0, false
	}
	return r, true
}

// FirstInLexRange returns the rank where ZRANGEBYLEX min max starts, and
// false when it returns nothing: the first member, in set order, at or
// above min, provided it is also at or below max. When all scores are equal
// this is the lowest rank in the range. When they differ, set order and
// member order disagree; the answer is then the one Redis gives for a
// listpack-encoded set (see the package documentation).
func (s *Set) FirstInLexRange(min, max LexBound) (int, bool) {
	q, ok := s.lexQuery(min, max)
	if !ok {
		return 0, false
	}
	return q.first()
}

// LastInLexRange returns the rank where ZREVRANGEBYLEX max min starts, and
// false when it returns nothing: the last member, in set order, at or below
// max, provided it is also at or above min.
func (s *Set) LastInLexRange(min, max LexBound) (int, bool) {
	q, ok := s.lexQuery(min, max)
	if !ok {
		return 0, false
	}
	return q.last()
}

// CountInLexRange returns ZLEXCOUNT: how many members ZRANGEBYLEX min max
// returns, that is the run of members from FirstInLexRange upwards that
// stay at or below max.
func (s *Set) CountInLexRange(min, max LexBound) int {
	q, ok := s.lexQuery(min, max)
	if !ok {
		return 0
	}
	r, ok := q.first()
	if !ok {
		return 0
	}
	e, ok := q.forward(r, lexPred{b: q.hi, max: true})
	if !ok {
		e = q.n
	}
	return e - r
}

// RevCountInLexRange returns how many members ZREVRANGEBYLEX max min
// returns: the run from LastInLexRange downwards that stays at or above
// min. It equals CountInLexRange when all scores are equal.
func (s *Set) RevCountInLexRange(min, max LexBound) int {
	q, ok := s.lexQuery(min, max)
	if !ok {
		return 0
	}
	r, ok := q.last()
	if !ok {
		return 0
	}
	b, ok := q.backward(r, lexPred{b: q.lo})
	if !ok {
		b = -1
	}
	return r - b
}
