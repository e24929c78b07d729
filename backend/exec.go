package backend

import (
	"slices"
	"strings"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// lockMode says which locks a command runs under.
type lockMode uint8

const (
	// lockKeys: Keyspace.mu shared and the stripes of the command's keys,
	// as the command table declares them.
	lockKeys lockMode = iota
	// lockAll: Keyspace.mu exclusively, for commands that span the
	// keyspace or reach keys the table does not declare.
	lockAll
	// lockNone: no keyspace lock (connection, Pub/Sub, server commands
	// that keep their own state).
	lockNone
)

// spec is a node command: its handler and the locks it needs.
type spec struct {
	fn   func(x *Ctx)
	lock lockMode
}

// commandSet is how each cmd_*.go file declares its commands.
type commandSet map[string]spec

// handlers turns the node's commands into server handlers. Each closure
// knows its command's table entry, to find the keys to lock.
func (s *Server) handlers(sets ...commandSet) (map[string]server.HandlerFunc, error) {
	table := router.NewTable()
	out := make(map[string]server.HandlerFunc)
	for _, set := range sets {
		for name, sp := range set {
			if _, dup := out[name]; dup {
				return nil, errDuplicate(name)
			}
			rc := table.ByName([]byte(name))
			if rc == nil {
				return nil, errNotInTable(name)
			}
			out[name] = func(c *server.Conn, args [][]byte) { s.run(c, rc, &sp, args) }
		}
	}
	return out, nil
}

// Handle runs one client command (server.Handler): lookup and arity, then
// the checks Redis makes before running a command, in its order, then the
// command itself or, inside MULTI, its place in the queue.
func (s *Server) Handle(c *server.Conn, cmd *resp.Command) {
	cl := s.clientOf(c)
	rc, fn, msg := s.Commands().Resolve(c, cmd.Args)
	if msg == "" && s.memoryLimits().maxmemory > 0 && !s.checkMemory() && rejectOnOOM(rc, cl) {
		msg = errOOM
	}
	if msg == "" && cl.subscribed() && c.W.Proto() == 2 && !allowedSubscribed(rc) {
		msg = "ERR Can't execute '" + rc.Name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
	}
	msg = s.admit(cl, rc, cmd.Args, msg) // stats, protected commands, CLIENT PAUSE (cmd_server.go)
	if msg != "" {
		s.reject(cl, cmd.Args, msg)
		return
	}
	cl.lastCmd.Store(rc)
	if cl.multi != nil && !runsInMulti(rc) {
		if rc.Flags&router.FlagNoMulti != 0 {
			c.W.AppendError("ERR Command not allowed inside a transaction")
			cl.multi.failed = true
			return
		}
		cl.multi.queue(rc, fn, cmd.Args)
		cl.multiN.Store(int32(len(cl.multi.cmds)))
		c.W.AppendSimple("QUEUED")
		return
	}
	s.call(cl, rc, fn, cmd.Args) // fn, timed and counted, fed to MONITOR (cmd_server.go)
}

// rejectOnOOM reports whether rc is refused while memory is over the
// limit: deny-oom commands, EXEC of a transaction holding one, and inside
// MULTI anything but EXEC, DISCARD, QUIT and RESET, since queueing itself
// takes memory.
func rejectOnOOM(rc *router.Command, cl *client) bool {
	if oomRejects(rc, cl) {
		return true
	}
	if cl.multi == nil {
		return false
	}
	switch rc.Name {
	case "exec", "discard", "quit", "reset":
		return false
	}
	return true
}

// reject answers a command refused before it ran. Inside MULTI the
// transaction is marked failed; a refused EXEC discards it and says why.
func (s *Server) reject(cl *client, args [][]byte, msg string) {
	if len(args) > 0 && cmdIs(args[0], "exec") {
		cl.discard()
		s.unwatchAll(cl)
		cl.conn.W.AppendError("EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "ERR "))
		return
	}
	if cl.multi != nil {
		cl.multi.failed = true
	}
	cl.conn.W.AppendError(msg)
}

// allowedSubscribed reports whether a RESP2 client in Pub/Sub mode may run
// rc.
func allowedSubscribed(rc *router.Command) bool {
	switch rc.Name {
	case "subscribe", "ssubscribe", "psubscribe", "unsubscribe", "sunsubscribe", "punsubscribe", "ping", "quit", "reset":
		return true
	}
	return false
}

// runsInMulti reports whether rc runs at once inside MULTI rather than
// being queued.
func runsInMulti(rc *router.Command) bool {
	switch rc.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// run executes one node command under the locks its spec asks for.
func (s *Server) run(c *server.Conn, rc *router.Command, sp *spec, args [][]byte) {
	cl := s.clientOf(c)
	x := &cl.x
	x.Args, x.cmd, x.now, x.ready = args, rc, time.Now().UnixMilli(), x.ready[:0]
	if cl.inExec {
		// EXEC (or serving a blocked client) already holds the keyspace.
		x.db, x.exclusive = s.ks.dbs[cl.db], true
		sp.fn(x)
		cl.pendingReady = append(cl.pendingReady, x.ready...)
		x.ready = x.ready[:0]
		return
	}
	switch sp.lock {
	case lockNone:
		x.db, x.exclusive = nil, false
		sp.fn(x)
	case lockAll:
		s.runExclusive(x, cl, sp)
	default:
		s.runStriped(x, cl, rc, sp, args)
	}
	if len(x.ready) > 0 {
		s.serveReady(x.ready)
	}
	if x.blocked != nil {
		s.waitBlocked(x)
	}
}

// runExclusive runs sp with the keyspace held exclusively. The unlock is
// deferred: a handler that panics closes its connection only, and must not
// leave the keyspace locked for everyone else.
func (s *Server) runExclusive(x *Ctx, cl *client, sp *spec) {
	x.W.Hold(true)
	s.ks.mu.Lock()
	defer func() {
		s.ks.mu.Unlock()
		x.W.Hold(false)
	}()
	x.db, x.exclusive = s.ks.dbs[cl.db], true
	sp.fn(x)
}

// runStriped runs sp holding the keyspace shared and its keys' stripes.
func (s *Server) runStriped(x *Ctx, cl *client, rc *router.Command, sp *spec, args [][]byte) {
	stripes := s.stripesOf(cl, rc, args)
	if len(stripes) == 0 {
		// The table found no key in this call (PFMERGE dest alone is one
		// such call): the whole keyspace is the only safe lock.
		s.runExclusive(x, cl, sp)
		return
	}
	// Replies pile up in memory while locks are held: a client that does
	// not read must not hold everyone else's keys.
	x.W.Hold(true)
	s.ks.mu.RLock()
	for _, i := range stripes {
		s.ks.stripes[i].mu.Lock()
	}
	defer func() {
		for _, i := range stripes {
			s.ks.stripes[i].mu.Unlock()
		}
		s.ks.mu.RUnlock()
		x.W.Hold(false)
	}()
	x.db, x.exclusive = s.ks.dbs[cl.db], false
	sp.fn(x)
}

// stripesOf returns the stripes of a call's keys, sorted and distinct.
func (s *Server) stripesOf(cl *client, rc *router.Command, args [][]byte) []int {
	cl.keyRefs = rc.Keys(args, cl.keyRefs[:0])
	out := cl.stripeBuf[:0]
	for _, k := range cl.keyRefs {
		out = append(out, stripeOf(args[k.Pos]))
	}
	if len(out) > 1 {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	cl.stripeBuf = out
	return out
}

// lockAllFor runs fn with the keyspace held exclusively on behalf of cl,
// so that node commands called from it (EXEC's queue) run without locking.
func (s *Server) lockAllFor(cl *client, fn func()) {
	cl.conn.W.Hold(true)
	s.ks.mu.Lock()
	cl.inExec = true
	defer func() {
		cl.inExec = false
		s.ks.mu.Unlock()
		cl.conn.W.Hold(false)
	}()
	fn()
}

// cmdIs reports whether arg equals name, ignoring ASCII case only, as
// Redis's strcasecmp does (bytes.EqualFold would also match Unicode folds).
func cmdIs(arg []byte, name string) bool { return asciiEqualFold(arg, name) }
