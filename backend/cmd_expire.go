package backend

import "math"

// Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT, TTL PTTL EXPIRETIME
// PEXPIRETIME, PERSIST.
func expireCommands() commandSet {
	return commandSet{
		"expire":      {fn: cmdExpire},
		"pexpire":     {fn: cmdExpire},
		"expireat":    {fn: cmdExpire},
		"pexpireat":   {fn: cmdExpire},
		"ttl":         {fn: cmdTTL},
		"pttl":        {fn: cmdTTL},
		"expiretime":  {fn: cmdTTL},
		"pexpiretime": {fn: cmdTTL},
		"persist":     {fn: cmdPersist},
	}
}

// EXPIRE conditions.
const (
	expireNX = 1 << iota // only when the key has no TTL
	expireXX             // only when it has one
	expireGT             // only when the new time is later (no TTL is forever)
	expireLT             // only when it is earlier
)

// parseExpireFlags reads the NX XX GT LT options, replying Redis's error
// for an unknown word or an incompatible set.
func (x *Ctx) parseExpireFlags(opts [][]byte) (int, bool) {
	flags := 0
	for _, o := range opts {
		switch {
		case asciiEqualFold(o, "nx"):
			flags |= expireNX
		case asciiEqualFold(o, "xx"):
			flags |= expireXX
		case asciiEqualFold(o, "gt"):
			flags |= expireGT
		case asciiEqualFold(o, "lt"):
			flags |= expireLT
		default:
			x.W.AppendError("ERR Unsupported option " + string(o))
			return 0, false
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		x.W.AppendError("ERR NX and XX, GT or LT options at the same time are not compatible")
		return 0, false
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		x.W.AppendError("ERR GT and LT options at the same time are not compatible")
		return 0, false
	}
	return flags, true
}

// expireAt turns an EXPIRE-family argument into an absolute time in unix
// milliseconds: seconds are scaled and relative times added to now, and
// either step overflowing int64 is an error. Negative results are allowed:
// they are in the past.
func expireAt(v int64, seconds, relative bool, now int64) (int64, bool) {
	if seconds {
		if v > math.MaxInt64/1000 || v < math.MinInt64/1000 {
			return 0, false
		}
		v *= 1000
	}
	if relative {
		if v > math.MaxInt64-now {
			return 0, false
		}
		v += now
	}
	return v, true
}

// cmdExpire is EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT key time
// [NX|XX|GT|LT]. A time already past deletes the key (and counts as set).
func cmdExpire(x *Ctx) {
	flags, ok := x.parseExpireFlags(x.Args[3:])
	if !ok {
		return
	}
	v, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	name := x.cmd.Name
	seconds := name == "expire" || name == "expireat"
	relative := name == "expire" || name == "pexpire"
	when, ok := expireAt(v, seconds, relative, x.now)
	if !ok {
		x.W.AppendError("ERR invalid expire time in '" + name + "' command")
		return
	}
	key := x.Args[1]
	e := x.lookup(key)
	if e == nil {
		x.W.AppendInt(0)
		return
	}
	if flags != 0 && !expireAllowed(flags, x.db.expireOf(e), when) {
		x.W.AppendInt(0)
		return
	}
	if when <= x.now {
		x.db.remove(key)
		x.changed(notifyGeneric, "del", key)
		x.W.AppendInt(1)
		return
	}
	x.db.setTTL(e, when)
	x.changed(notifyGeneric, "expire", key)
	x.W.AppendInt(1)
}

// expireAllowed applies the NX XX GT LT conditions to a key whose expiry
// is cur (0 for none) and a new expiry when. A key without expiry never
// passes GT and always passes LT.
func expireAllowed(flags int, cur, when int64) bool {
	switch {
	case flags&expireNX != 0 && cur != 0:
		return false
	case flags&expireXX != 0 && cur == 0:
		return false
	case flags&expireGT != 0 && (cur == 0 || when <= cur):
		return false
	case flags&expireLT != 0 && cur != 0 && when >= cur:
		return false
	}
	return true
}

// cmdTTL is TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key,
// -1 for one without expiry; seconds are rounded to the nearest.
func cmdTTL(x *Ctx) {
	e := x.peek(x.Args[1], true)
	if e == nil {
		x.W.AppendInt(-2)
		return
	}
	if !e.Value.ttl {
		x.W.AppendInt(-1)
		return
	}
	name := x.cmd.Name
	t := x.db.expireOf(e)
	if name == "ttl" || name == "pttl" {
		t = max(t-x.now, 0)
	}
	if name == "ttl" || name == "expiretime" {
		// (t+500)/1000 without overflowing near MaxInt64.
		t = t/1000 + (t%1000+500)/1000
	}
	x.W.AppendInt(t)
}

// cmdPersist removes a key's expiry: 1 if it had one.
func cmdPersist(x *Ctx) {
	key := x.Args[1]
	e := x.lookup(key)
	if e == nil || !e.Value.ttl {
		x.W.AppendInt(0)
		return
	}
	x.db.setTTL(e, 0)
	x.changed(notifyGeneric, "persist", key)
	x.W.AppendInt(1)
}
