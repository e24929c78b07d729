package backend

import (
	"slices"

	"github.com/keyslot/keyslot/router"
)

func pubsubCommands() commandSet {
	sub := func(k subKind) func(x *Ctx) {
		return func(x *Ctx) { x.s.ps.subscribe(x, k, x.Args[1:]) }
	}
	unsub := func(k subKind) func(x *Ctx) {
		return func(x *Ctx) { x.s.ps.unsubscribe(x, k, x.Args[1:]) }
	}
	return commandSet{
		"subscribe":            {fn: sub(subChannel), lock: lockNone},
		"psubscribe":           {fn: sub(subPattern), lock: lockNone},
		"ssubscribe":           {fn: sub(subShard), lock: lockNone},
		"unsubscribe":          {fn: unsub(subChannel), lock: lockNone},
		"punsubscribe":         {fn: unsub(subPattern), lock: lockNone},
		"sunsubscribe":         {fn: unsub(subShard), lock: lockNone},
		"publish":              {fn: cmdPublish, lock: lockNone},
		"spublish":             {fn: cmdPublish, lock: lockNone},
		"pubsub|channels":      {fn: cmdPubsubChannels, lock: lockNone},
		"pubsub|shardchannels": {fn: cmdPubsubChannels, lock: lockNone},
		"pubsub|numsub":        {fn: cmdPubsubNumsub, lock: lockNone},
		"pubsub|shardnumsub":   {fn: cmdPubsubNumsub, lock: lockNone},
		"pubsub|numpat":        {fn: cmdPubsubNumpat, lock: lockNone},
		"ping":                 {fn: cmdPing, lock: lockNone},
	}
}

// cmdPing is PING, which a RESP2 client in Pub/Sub mode gets as an array.
func cmdPing(x *Ctx) {
	if len(x.Args) > 2 {
		x.wrongArgs()
		return
	}
	if x.cl.subscribed() && x.W.Proto() == 2 {
		x.W.AppendArray(2)
		x.W.AppendBulkString("pong")
		if len(x.Args) == 2 {
			x.W.AppendBulk(x.Args[1])
		} else {
			x.W.AppendBulkString("")
		}
		return
	}
	if len(x.Args) == 2 {
		x.W.AppendBulk(x.Args[1])
	} else {
		x.W.AppendSimple("PONG")
	}
}

func cmdPublish(x *Ctx) {
	shard := cmdIs(x.Args[0], "spublish")
	x.W.AppendInt(int64(x.s.ps.publish(x.Args[1], x.Args[2], shard)))
}

func cmdPubsubChannels(x *Ctx) {
	if len(x.Args) > 3 {
		x.wrongArgs()
		return
	}
	p := x.s.ps
	p.mu.Lock()
	reg := p.channels
	if x.cmd.Name == "pubsub|shardchannels" {
		reg = p.shard
	}
	var names []string
	for name := range reg {
		if len(x.Args) == 3 && !router.GlobMatch(x.Args[2], []byte(name), false) {
			continue
		}
		names = append(names, name)
	}
	p.mu.Unlock()
	slices.Sort(names)
	x.W.AppendArray(len(names))
	for _, n := range names {
		x.W.AppendBulkString(n)
	}
}

func cmdPubsubNumsub(x *Ctx) {
	p := x.s.ps
	p.mu.Lock()
	reg := p.channels
	if x.cmd.Name == "pubsub|shardnumsub" {
		reg = p.shard
	}
	x.W.AppendMap(len(x.Args) - 2)
	for _, ch := range x.Args[2:] {
		x.W.AppendBulk(ch)
		x.W.AppendInt(int64(len(reg[string(ch)])))
	}
	p.mu.Unlock()
}

func cmdPubsubNumpat(x *Ctx) {
	p := x.s.ps
	p.mu.Lock()
	n := len(p.patterns)
	p.mu.Unlock()
	x.W.AppendInt(int64(n))
}
