package backend

// Generic key commands.
func keyCommands() commandSet {
	return commandSet{
		"del":    {fn: cmdDel},
		"unlink": {fn: cmdDel},
		"exists": {fn: cmdExists},
		"type":   {fn: cmdType},
	}
}

// cmdDel is DEL and UNLINK: values are freed by the Go collector, so
// UNLINK's lazy freeing is what DEL does anyway.
func cmdDel(x *Ctx) {
	n := 0
	for _, key := range x.Args[1:] {
		if x.del(key) {
			x.changed(notifyGeneric, "del", key)
			n++
		}
	}
	x.W.AppendInt(int64(n))
}

// cmdExists counts the arguments that name live keys; a key named twice
// counts twice.
func cmdExists(x *Ctx) {
	n := 0
	for _, key := range x.Args[1:] {
		if x.lookupRead(key) != nil {
			n++
		}
	}
	x.W.AppendInt(int64(n))
}

func cmdType(x *Ctx) {
	e := x.lookupRead(x.Args[1])
	if e == nil {
		x.W.AppendSimple("none")
		return
	}
	x.W.AppendSimple(e.Value.val.typeName())
}
