package backend

import (
	"github.com/keyslot/keyslot/backend/hll"
)

// HyperLogLog commands. An HLL is a string holding Redis's own encoding
// (package hll), so GET, SET, DUMP and RESTORE move it between keyslot and
// Redis unchanged. Every value PF* commands touch becomes raw, as Redis
// unshares it before editing.
func hllCommands() commandSet {
	return commandSet{
		"pfadd":   {fn: cmdPFAdd},
		"pfcount": {fn: cmdPFCount},
		"pfmerge": {fn: cmdPFMerge},
	}
}

// hllSparseMaxBytes is hll-sparse-max-bytes in force.
func (x *Ctx) hllSparseMaxBytes() int { return x.s.encodingLimits().hllSparseMaxBytes }

// cmdPFAdd is PFADD key [element ...]: 1 when the key was created or a
// register changed. A corrupt value keeps the edits made before the
// corruption was met, as in Redis, and the command is not counted as a
// change.
func cmdPFAdd(x *Ctx) {
	key, elems := x.Args[1], x.Args[2:]
	e, v, ok := writeAs[*strValue](x, key)
	if !ok {
		return
	}
	if e == nil {
		out, _, _ := hll.Add(nil, false, x.hllSparseMaxBytes(), elems...)
		e = x.add(key, &strValue{b: out})
		e.Value.raw = true
		x.changed(notifyString, "pfadd", key)
		x.W.AppendInt(1)
		return
	}
	out, changed, err := hll.Add(v.b, true, x.hllSparseMaxBytes(), elems...)
	if err == hll.ErrWrongType {
		x.W.AppendError(err.Error())
		return
	}
	v.b = out
	e.Value.raw = true
	if err != nil {
		x.W.AppendError(err.Error())
		return
	}
	if changed {
		x.changed(notifyString, "pfadd", key)
		x.W.AppendInt(1)
		return
	}
	x.W.AppendInt(0)
}

// hllValue returns the bytes of an existing key's value for PFCOUNT and
// PFMERGE, checked as Redis checks them before reading any register. It
// replies the error and returns false for a value of another type, a
// string that is not an HLL, or a corrupt one.
func hllValue(x *Ctx, it *item) ([]byte, bool) {
	v, ok := it.val.(*strValue)
	if !ok {
		x.W.AppendError(errWrongType)
		return nil, false
	}
	if err := hll.Validate(v.b); err != nil {
		x.W.AppendError(err.Error())
		return nil, false
	}
	return v.b, true
}

// cmdPFCount is PFCOUNT key [key ...]. One key answers from the cached
// cardinality, or computes it and stores it in the value (a change for
// WATCH, without an event); several keys estimate their union and leave
// the values alone.
func cmdPFCount(x *Ctx) {
	if len(x.Args) > 2 {
		vals := make([][]byte, 0, len(x.Args)-1)
		for _, key := range x.Args[1:] {
			e := x.lookupRead(key)
			if e == nil {
				continue
			}
			b, ok := hllValue(x, &e.Value)
			if !ok {
				return
			}
			vals = append(vals, b)
		}
		n, err := hll.CountUnion(vals...)
		if err != nil {
			x.W.AppendError(err.Error())
			return
		}
		x.W.AppendInt(n)
		return
	}
	key := x.Args[1]
	e, v, ok := readAs[*strValue](x, key)
	switch {
	case !ok:
		return
	case e == nil:
		x.W.AppendInt(0)
		return
	case !hll.IsHLL(v.b):
		x.W.AppendError(hll.ErrWrongType.Error())
		return
	}
	e.Value.raw = true
	n, out, updated, err := hll.Count(v.b)
	if err != nil {
		x.W.AppendError(err.Error())
		return
	}
	v.b = out
	if updated {
		x.modified(key)
		x.s.stats.dirty.Add(1)
	}
	x.W.AppendInt(n)
}

// cmdPFMerge is PFMERGE destkey [sourcekey ...]: the destination takes
// part in the union, every key is checked in order before anything is
// written, and a missing destination is created even with no sources.
func cmdPFMerge(x *Ctx) {
	dest := x.Args[1]
	var dst []byte
	srcs := make([][]byte, 0, len(x.Args)-2)
	for i, key := range x.Args[1:] {
		e := x.lookupRead(key)
		if e == nil {
			continue
		}
		b, ok := hllValue(x, &e.Value)
		if !ok {
			return
		}
		if i == 0 {
			dst = b
		} else {
			srcs = append(srcs, b)
		}
	}
	e := x.lookup(dest)
	out, err := hll.Merge(dst, e != nil, x.hllSparseMaxBytes(), srcs...)
	if err != nil {
		x.W.AppendError(err.Error())
		return
	}
	if e == nil {
		e = x.add(dest, &strValue{b: out})
	} else {
		e.Value.val.(*strValue).b = out
	}
	e.Value.raw = true
	x.changed(notifyString, "pfadd", dest)
	x.W.AppendSimple("OK")
}
