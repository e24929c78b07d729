package backend

import "math"

// String commands.
func stringCommands() commandSet {
	return commandSet{
		"get": {fn: cmdGet},
		"set": {fn: cmdSet},
	}
}

func cmdGet(x *Ctx) {
	e, v, ok := readAs[*strValue](x, x.Args[1])
	switch {
	case !ok:
	case e == nil:
		x.W.AppendNull()
	default:
		x.W.AppendBulk(v.b)
	}
}

// SET flags.
const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
)

// cmdSet is SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL].
func cmdSet(x *Ctx) {
	flags, exp, ok := x.parseSetOptions(x.Args[3:])
	if !ok {
		return
	}
	key := x.Args[1]
	e, old, ok := writeAs[*strValue](x, key)
	if !ok && flags&setGet != 0 {
		return // WRONGTYPE already replied
	}
	if (flags&setNX != 0 && e != nil) || (flags&setXX != 0 && e == nil) {
		if flags&setGet != 0 {
			replyOldValue(x, e, old)
		} else {
			x.W.AppendNull()
		}
		return
	}
	if flags&setGet != 0 {
		replyOldValue(x, e, old)
	}
	ne := x.set(key, &strValue{b: append([]byte(nil), x.Args[2]...)}, flags&setKeepTTL != 0)
	x.changed(notifyString, "set", key)
	if exp != 0 {
		x.db.setTTL(ne, exp)
		x.notify(notifyGeneric, "expire", key)
		if exp <= x.now {
			// An absolute time already past: the key is set and gone.
			x.expireKey(key)
		}
	}
	if flags&setGet == 0 {
		x.W.AppendSimple("OK")
	}
}

func replyOldValue(x *Ctx, e any, old *strValue) {
	if old == nil {
		x.W.AppendNull()
		return
	}
	x.W.AppendBulk(old.b)
}

// parseSetOptions reads SET's options as Redis's parseExtendedStringArgumentsOrReply
// does, returning the flags and the absolute expiry in unix ms (0 for none).
func (x *Ctx) parseSetOptions(opts [][]byte) (flags int, exp int64, ok bool) {
	var expArg []byte
	for i := 0; i < len(opts); i++ {
		o := opts[i]
		hasNext := i+1 < len(opts)
		switch {
		case cmdIs(o, "nx") && flags&setXX == 0:
			flags |= setNX
		case cmdIs(o, "xx") && flags&setNX == 0:
			flags |= setXX
		case cmdIs(o, "get"):
			flags |= setGet
		case cmdIs(o, "keepttl") && flags&(setEX|setPX|setEXAT|setPXAT) == 0:
			flags |= setKeepTTL
		case (cmdIs(o, "ex") || cmdIs(o, "px") || cmdIs(o, "exat") || cmdIs(o, "pxat")) &&
			flags&(setKeepTTL|setEX|setPX|setEXAT|setPXAT) == 0 && hasNext:
			switch {
			case cmdIs(o, "ex"):
				flags |= setEX
			case cmdIs(o, "px"):
				flags |= setPX
			case cmdIs(o, "exat"):
				flags |= setEXAT
			default:
				flags |= setPXAT
			}
			i++
			expArg = opts[i]
		default:
			x.W.AppendError(errSyntax)
			return 0, 0, false
		}
	}
	if expArg == nil {
		return flags, 0, true
	}
	v, okInt := parseInt(expArg)
	if !okInt {
		x.W.AppendError(errNotInt)
		return 0, 0, false
	}
	if v <= 0 {
		x.W.AppendError("ERR invalid expire time in '" + x.cmd.Name + "' command")
		return 0, 0, false
	}
	switch {
	case flags&setEX != 0:
		if v > math.MaxInt64/1000 || v*1000 > math.MaxInt64-x.now {
			x.W.AppendError("ERR invalid expire time in '" + x.cmd.Name + "' command")
			return 0, 0, false
		}
		exp = x.now + v*1000
	case flags&setPX != 0:
		if v > math.MaxInt64-x.now {
			x.W.AppendError("ERR invalid expire time in '" + x.cmd.Name + "' command")
			return 0, 0, false
		}
		exp = x.now + v
	case flags&setEXAT != 0:
		if v > math.MaxInt64/1000 {
			x.W.AppendError("ERR invalid expire time in '" + x.cmd.Name + "' command")
			return 0, 0, false
		}
		exp = v * 1000
	default:
		exp = v
	}
	return flags, exp, true
}
