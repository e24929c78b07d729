package backend

import (
	"slices"
	"strconv"
	"sync"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router"
)

// pubsub is the node's channel registry. Subscribers get messages through
// their connection's push queue, so PUBLISH never waits for a slow reader.
type pubsub struct {
	mu       sync.Mutex
	channels map[string]map[*client]struct{} // guarded by mu
	patterns map[string]map[*client]struct{} // guarded by mu
	shard    map[string]map[*client]struct{} // guarded by mu
	// Each client's own subscriptions, in the order made, for UNSUBSCRIBE
	// without arguments; guarded by mu.
	byClient map[*client]*subscriptions
}

type subscriptions struct {
	channels, patterns, shard []string
}

// subKind is one of the three kinds of subscription.
type subKind int

const (
	subChannel subKind = iota
	subPattern
	subShard
)

func newPubsub() *pubsub {
	return &pubsub{
		channels: make(map[string]map[*client]struct{}),
		patterns: make(map[string]map[*client]struct{}),
		shard:    make(map[string]map[*client]struct{}),
		byClient: make(map[*client]*subscriptions),
	}
}

func (p *pubsub) registry(k subKind) map[string]map[*client]struct{} {
	switch k {
	case subPattern:
		return p.patterns
	case subShard:
		return p.shard
	}
	return p.channels
}

func (sb *subscriptions) list(k subKind) *[]string {
	switch k {
	case subPattern:
		return &sb.patterns
	case subShard:
		return &sb.shard
	}
	return &sb.channels
}

// count is what a (un)subscribe reply reports: channels and patterns
// together, shard channels on their own.
func (sb *subscriptions) count(k subKind) int {
	if sb == nil {
		return 0
	}
	if k == subShard {
		return len(sb.shard)
	}
	return len(sb.channels) + len(sb.patterns)
}

var subVerbs = [...][2]string{
	subChannel: {"subscribe", "unsubscribe"},
	subPattern: {"psubscribe", "punsubscribe"},
	subShard:   {"ssubscribe", "sunsubscribe"},
}

// subscribe adds cl's subscriptions and replies once per name. The replies
// are queued under mu, so no message on a new channel can overtake its
// confirmation.
func (p *pubsub) subscribe(x *Ctx, k subKind, names [][]byte) {
	cl := x.cl
	x.c.EnablePush()
	p.mu.Lock()
	defer p.mu.Unlock()
	sb := p.byClient[cl]
	if sb == nil {
		sb = &subscriptions{}
		p.byClient[cl] = sb
	}
	reg := p.registry(k)
	for _, n := range names {
		name := string(n)
		subs := reg[name]
		if subs == nil {
			subs = make(map[*client]struct{})
			reg[name] = subs
		}
		if _, dup := subs[cl]; !dup {
			subs[cl] = struct{}{}
			l := sb.list(k)
			*l = append(*l, name)
		}
		x.W.AppendPush(3)
		x.W.AppendBulkString(subVerbs[k][0])
		x.W.AppendBulk(n)
		x.W.AppendInt(int64(sb.count(k)))
	}
	p.updateCounts(cl, sb)
	_ = x.W.Flush()
}

// unsubscribe removes cl's subscriptions to names, or all of kind k when
// names is empty, replying once per name (once with a null name when there
// was nothing to remove).
func (p *pubsub) unsubscribe(x *Ctx, k subKind, names [][]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unsubscribeLocked(x.cl, x.W, k, names)
	if x.c.PushEnabled() {
		// Into the push queue, in order with messages; a client never in
		// push mode gets its replies with the rest of its batch, and no
		// socket write happens under mu.
		_ = x.W.Flush()
	}
}

func (p *pubsub) unsubscribeLocked(cl *client, w *resp.Writer, k subKind, names [][]byte) {
	sb := p.byClient[cl]
	var all []string
	if len(names) == 0 && sb != nil {
		all = slices.Clone(*sb.list(k))
	}
	reply := func(name []byte, isNull bool) {
		if w == nil {
			return
		}
		w.AppendPush(3)
		w.AppendBulkString(subVerbs[k][1])
		if isNull {
			w.AppendNull()
		} else {
			w.AppendBulk(name)
		}
		w.AppendInt(int64(sb.count(k)))
	}
	remove := func(name string) {
		reg := p.registry(k)
		if subs, ok := reg[name]; ok {
			if _, in := subs[cl]; in {
				delete(subs, cl)
				if len(subs) == 0 {
					delete(reg, name)
				}
				if sb != nil {
					l := sb.list(k)
					if i := slices.Index(*l, name); i >= 0 {
						*l = slices.Delete(*l, i, i+1)
					}
				}
			}
		}
	}
	if len(names) == 0 {
		if len(all) == 0 {
			reply(nil, true)
		}
		for _, name := range all {
			remove(name)
			reply([]byte(name), false)
		}
	} else {
		for _, n := range names {
			remove(string(n))
			reply(n, false)
		}
	}
	if sb != nil && sb.count(subChannel) == 0 && sb.count(subShard) == 0 {
		delete(p.byClient, cl)
	}
	p.updateCounts(cl, sb)
}

// unsubscribeAll drops every subscription of cl without replying (RESET,
// disconnect).
func (p *pubsub) unsubscribeAll(cl *client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byClient[cl] == nil {
		return
	}
	for _, k := range []subKind{subChannel, subPattern, subShard} {
		p.unsubscribeLocked(cl, nil, k, nil)
	}
}

func (p *pubsub) updateCounts(cl *client, sb *subscriptions) {
	if sb == nil {
		sb = &subscriptions{}
	}
	cl.nsub.Store(int32(len(sb.channels)))
	cl.npsub.Store(int32(len(sb.patterns)))
	cl.nssub.Store(int32(len(sb.shard)))
	cl.conn.LimitPush(cl.subscribed())
}

// message is one published message, encoded lazily for each protocol.
type message struct {
	kind          subKind
	pattern       string
	channel, data []byte
	resp2, resp3  []byte
}

func (m *message) bytes(proto int) []byte {
	b := &m.resp2
	if proto >= 3 {
		b = &m.resp3
	}
	if *b == nil {
		var buf sliceWriter
		w := resp.NewWriter(&buf)
		w.SetProto(proto)
		switch {
		case m.kind == subPattern:
			w.AppendPush(4)
			w.AppendBulkString("pmessage")
			w.AppendBulkString(m.pattern)
		case m.kind == subShard:
			w.AppendPush(3)
			w.AppendBulkString("smessage")
		default:
			w.AppendPush(3)
			w.AppendBulkString("message")
		}
		w.AppendBulk(m.channel)
		w.AppendBulk(m.data)
		_ = w.Flush()
		*b = buf.b
	}
	return *b
}

// sliceWriter collects a Writer's output.
type sliceWriter struct{ b []byte }

func (s *sliceWriter) Write(p []byte) (int, error) { s.b = append(s.b, p...); return len(p), nil }

// publish delivers data to channel's subscribers and to the patterns that
// match it, and returns how many received it.
func (p *pubsub) publish(channel, data []byte, shard bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	if shard {
		m := &message{kind: subShard, channel: channel, data: data}
		for cl := range p.shard[string(channel)] {
			cl.conn.Push(m.bytes(cl.conn.Proto()))
			n++
		}
		return n
	}
	if subs := p.channels[string(channel)]; len(subs) > 0 {
		m := &message{kind: subChannel, channel: channel, data: data}
		for cl := range subs {
			cl.conn.Push(m.bytes(cl.conn.Proto()))
			n++
		}
	}
	for pat, subs := range p.patterns {
		if !router.GlobMatch([]byte(pat), channel, false) {
			continue
		}
		m := &message{kind: subPattern, pattern: pat, channel: channel, data: data}
		for cl := range subs {
			cl.conn.Push(m.bytes(cl.conn.Proto()))
			n++
		}
	}
	return n
}

// keyspaceEvent publishes a keyspace notification on __keyspace@db__:key
// and __keyevent@db__:event, as flags ask.
func (p *pubsub) keyspaceEvent(flags uint16, db int, event string, key []byte) {
	p.mu.Lock()
	idle := len(p.channels) == 0 && len(p.patterns) == 0
	p.mu.Unlock()
	if idle {
		return
	}
	dbs := strconv.Itoa(db)
	if flags&notifyKeyspace != 0 {
		ch := append([]byte("__keyspace@"+dbs+"__:"), key...)
		p.publish(ch, []byte(event), false)
	}
	if flags&notifyKeyevent != 0 {
		p.publish([]byte("__keyevent@"+dbs+"__:"+event), key, false)
	}
}
