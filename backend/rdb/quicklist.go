package rdb

// Quicklist node sizing, as Redis 7.0's quicklist applies it when elements
// are pushed one by one at the tail.
const (
	defaultPackedThreshold = 1 << 30       // elements this large get a plain node
	maxPackedThreshold     = 1<<32 - 1<<20 // the largest DEBUG accepts
	sizeSafetyLimit        = 8192          // largest multi-entry node under a count limit
	sizeEstimateOverhead   = 8             // Redis's estimate of one entry's overhead
	fillMax                = 1<<15 - 1
	fillMin                = -5
)

// sizeLimits are the node size caps selected by fill -1 to -5.
var sizeLimits = [...]int{4096, 8192, 16384, 32768, 65536}

// qlNode is a run of list elements that share one quicklist node.
type qlNode struct {
	start, end int // elements [start, end)
	size       int // listpack bytes, header and terminator included
	plain      bool
}

// nodeAllowsInsert reports whether Redis would append an element of sz
// bytes to a packed node of size bytes holding count elements, rather
// than start a new node.
func nodeAllowsInsert(size, count, fill, sz int) bool {
	newSize := size + sz + sizeEstimateOverhead
	if fill < 0 && newSize <= sizeLimits[-fill-1] {
		return true
	}
	if newSize > sizeSafetyLimit {
		return false
	}
	return count < fill
}

// splitQuicklist returns the nodes Redis forms when the list is built by
// pushing its elements at the tail, in order.
func splitQuicklist(list [][]byte, opt DumpOptions) []qlNode {
	fill := min(max(opt.ListMaxListpackSize, fillMin), fillMax)
	threshold := opt.PackedThreshold
	if threshold <= 0 {
		threshold = defaultPackedThreshold
	}
	threshold = min(threshold, maxPackedThreshold)
	var nodes []qlNode
	for i, el := range list {
		sz := len(el)
		if sz >= threshold {
			nodes = append(nodes, qlNode{start: i, end: i + 1, size: sz, plain: true})
			continue
		}
		if n := len(nodes); n > 0 {
			last := &nodes[n-1]
			if !last.plain && nodeAllowsInsert(last.size, last.end-last.start, fill, sz) {
				last.end++
				last.size += lpEntrySize(el)
				continue
			}
		}
		nodes = append(nodes, qlNode{start: i, end: i + 1, size: lpEmptySize + lpEntrySize(el)})
	}
	return nodes
}

// appendQuicklist appends a list as Redis 7.0 saves a quicklist: the node
// count, then per node its container and its listpack (or, for a plain
// node, its one element) as a string.
func (e *Encoder) appendQuicklist(dst []byte, list [][]byte) []byte {
	nodes := splitQuicklist(list, e.opt)
	dst = AppendLen(dst, uint64(len(nodes)))
	for _, n := range nodes {
		if n.plain {
			dst = append(dst, containerPlain)
			dst = e.str(dst, list[n.start])
			continue
		}
		dst = append(dst, containerPacked)
		lp, off := lpBegin(e.scratch[:0])
		for _, el := range list[n.start:n.end] {
			lp = lpAppendEntry(lp, el)
		}
		// A node is at most 64 KB plus one element under 1 GB, so its
		// listpack always fits the 32-bit size field.
		lp, _ = lpEnd(lp, off, n.end-n.start)
		e.scratch = lp
		dst = e.str(dst, lp)
	}
	return dst
}
