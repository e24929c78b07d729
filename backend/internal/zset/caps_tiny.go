//go:build zsettiny

package zset

// Tiny nodes make every split, shift, merge and borrow path, at every
// level, reachable with a few hundred members.
const (
	leafCap  = 8
	leafMin  = 3
	leafFree = 2
	innerCap = 8
	innerMin = 3
)
