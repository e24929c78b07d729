package backend

import (
	"strconv"
	"time"
)

// Database-level commands: SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL,
// TIME, LASTSAVE.
func dbCommands() commandSet {
	return commandSet{
		"select":   {fn: cmdSelect, lock: lockNone},
		"swapdb":   {fn: cmdSwapDB, lock: lockAll},
		"dbsize":   {fn: cmdDBSize, lock: lockAll},
		"flushdb":  {fn: cmdFlush, lock: lockAll},
		"flushall": {fn: cmdFlush, lock: lockAll},
		"time":     {fn: cmdTime, lock: lockNone},
		"lastsave": {fn: cmdLastSave, lock: lockNone},
	}
}

func cmdSelect(x *Ctx) {
	v, ok := parseInt(x.Args[1])
	if !ok {
		x.W.AppendError(errNotInt)
		return
	}
	if v < 0 || v >= int64(len(x.s.ks.dbs)) {
		x.W.AppendError(errDBIndex)
		return
	}
	x.cl.selectDB(int(v))
	x.W.AppendSimple("OK")
}

func cmdSwapDB(x *Ctx) {
	a, ok := parseInt(x.Args[1])
	if !ok {
		x.W.AppendError("ERR invalid first DB index")
		return
	}
	b, ok := parseInt(x.Args[2])
	if !ok {
		x.W.AppendError("ERR invalid second DB index")
		return
	}
	n := int64(len(x.s.ks.dbs))
	if a < 0 || a >= n || b < 0 || b >= n {
		x.W.AppendError(errDBIndex)
		return
	}
	dbs := x.s.ks.dbs
	da, db := dbs[a], dbs[b]
	x.s.touchAllWatched(da, db)
	x.s.touchAllWatched(db, da)
	dbs[a], dbs[b] = db, da
	da.id, db.id = int(b), int(a)
	x.s.stats.dirty.Add(1)
	// Clients blocked on keys of either database may now be served.
	for i := range x.s.ks.stripes {
		for k := range x.s.ks.stripes[i].blocked {
			if k.db == int(a) || k.db == int(b) {
				x.ready = append(x.ready, k)
			}
		}
	}
	x.W.AppendSimple("OK")
}

func cmdDBSize(x *Ctx) { x.W.AppendInt(x.db.keys.Load()) }

// cmdFlush is FLUSHDB and FLUSHALL [ASYNC|SYNC]. keyslot frees memory
// through the Go collector either way, so the two modes differ only in
// name.
func cmdFlush(x *Ctx) {
	if len(x.Args) > 2 || (len(x.Args) == 2 && !cmdIs(x.Args[1], "async") && !cmdIs(x.Args[1], "sync")) {
		x.W.AppendError(errSyntax)
		return
	}
	dbs := []*DB{x.db}
	if cmdIs(x.Args[0], "flushall") {
		dbs = x.s.ks.dbs
	}
	for _, db := range dbs {
		x.s.touchAllWatched(db, nil)
		x.s.stats.dirty.Add(db.keys.Load())
		db.clear()
	}
	if cmdIs(x.Args[0], "flushall") {
		x.s.stats.dirty.Add(1)
	}
	x.W.AppendSimple("OK")
}

func cmdTime(x *Ctx) {
	now := time.Now()
	x.W.AppendArray(2)
	x.W.AppendBulkString(strconv.FormatInt(now.Unix(), 10))
	x.W.AppendBulkString(strconv.Itoa(now.Nanosecond() / 1000))
}

func cmdLastSave(x *Ctx) { x.W.AppendInt(x.s.lastSave.Load()) }
