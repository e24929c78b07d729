//go:build !zsettiny

package zset

// Node sizes are chosen so that a leaf fills one Go malloc size class
// exactly: 8 + 85*24 = 2048 bytes. Build with -tags zsettiny to test with
// tiny nodes and deep trees.
const (
	leafCap  = 85
	leafMin  = leafCap / 4
	leafFree = leafCap / 8 // room (>= 2) a sibling must have before items are shifted into it
	innerCap = 64
	innerMin = innerCap / 4
)
