package backend

import (
	"io"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// clientCommands are the CLIENT subcommands the node answers itself; ID,
// GETNAME and SETNAME come from the connection layer.
func clientCommands() commandSet {
	return commandSet{
		"client|list":     {fn: cmdClientList, lock: lockNone},
		"client|info":     {fn: cmdClientInfo, lock: lockNone},
		"client|kill":     {fn: cmdClientKill, lock: lockNone},
		"client|pause":    {fn: cmdClientPause, lock: lockNone},
		"client|unpause":  {fn: cmdClientUnpause, lock: lockNone},
		"client|reply":    {fn: cmdClientReply, lock: lockNone},
		"client|no-evict": {fn: cmdClientNoEvict, lock: lockNone},
		"client|unblock":  {fn: cmdClientUnblock, lock: lockAll},
		"client|help":     {fn: cmdClientHelp, lock: lockNone},
	}
}

// --- per-client settings

// clientTable holds the settings of the clients that changed one from its
// default: the protocol HELLO chose (CLIENT LIST reads it from other
// goroutines), CLIENT REPLY, CLIENT NO-EVICT and MONITOR.
type clientTable struct {
	// special counts the entries the command hooks must look at (replies
	// off or skipped, monitors): while it is 0 they skip the table.
	special atomic.Int32
	mu      sync.Mutex
	m       map[*client]*clientSettings // guarded by mu
	swept   int                         // guarded by mu: len(m) after the last sweep
	sweptAt time.Time                   // guarded by mu
}

// settingsSweepEvery is how often, while some client has hook-relevant
// settings, the hooks look for entries of closed connections: the node
// is not told when a connection closes, and a stale entry would keep every
// command on the slow path.
const settingsSweepEvery = time.Second

type clientSettings struct {
	proto   int // 3 after HELLO 3; 0 means 2
	noEvict bool
	monitor bool
	reply   replyMode
	// realW is the connection's writer while replies go to a discarding
	// one (CLIENT REPLY OFF / SKIP). Only the client's goroutine uses it.
	realW   *resp.Writer
	special bool // counted in clientTable.special
}

// replyMode is CLIENT REPLY's state.
type replyMode uint8

const (
	replyOn replyMode = iota
	replyOff
	replySkipNext // CLIENT REPLY SKIP ran: the next command's reply is dropped
	replySkip     // this command's reply is dropped
)

func (st *clientSettings) isSpecial() bool { return st.monitor || st.reply != replyOn }

func (st *clientSettings) isDefault() bool {
	return st.proto <= 2 && !st.noEvict && !st.isSpecial() && st.realW == nil
}

// setSetting changes cl's settings with fn.
func (s *Server) setSetting(cl *client, fn func(st *clientSettings)) {
	t := &s.adm.clients
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = make(map[*client]*clientSettings)
	}
	st := t.m[cl]
	if st == nil {
		st = &clientSettings{}
		t.m[cl] = st
	}
	fn(st)
	t.updateLocked(cl, st)
	if len(t.m) > 2*t.swept+64 {
		s.sweepSettingsLocked()
	}
}

// updateLocked keeps special in step with st and drops default entries.
func (t *clientTable) updateLocked(cl *client, st *clientSettings) {
	if sp := st.isSpecial(); sp != st.special {
		st.special = sp
		if sp {
			t.special.Add(1)
		} else {
			t.special.Add(-1)
		}
	}
	if st.isDefault() {
		delete(t.m, cl)
	}
}

// sweepSettingsLocked drops the entries of closed connections. mu is held.
func (s *Server) sweepSettingsLocked() {
	t := &s.adm.clients
	open := make(map[*server.Conn]bool)
	for _, c := range s.Clients() {
		open[c] = true
	}
	for cl, st := range t.m {
		if !open[cl.conn] {
			if st.special {
				t.special.Add(-1)
			}
			delete(t.m, cl)
		}
	}
	t.swept = len(t.m)
	t.sweptAt = time.Now()
}

// settings returns a copy of cl's settings.
func (s *Server) settings(cl *client) clientSettings {
	t := &s.adm.clients
	t.mu.Lock()
	defer t.mu.Unlock()
	if st := t.m[cl]; st != nil {
		return *st
	}
	return clientSettings{}
}

// noteProto records the protocol cl chose, after HELLO or RESET.
func (s *Server) noteProto(cl *client) {
	p := cl.conn.W.Proto()
	t := &s.adm.clients
	t.mu.Lock()
	_, known := t.m[cl]
	t.mu.Unlock()
	if p == 2 && !known {
		return
	}
	s.setSetting(cl, func(st *clientSettings) { st.proto = p })
}

// admitSpecial is admit's part for clients with settings: it moves
// CLIENT REPLY SKIP along and refuses keyspace commands to monitors.
func (s *Server) admitSpecial(cl *client, rc *router.Command, msg string) string {
	t := &s.adm.clients
	t.mu.Lock()
	st := t.m[cl]
	if st == nil {
		if now := time.Now(); now.Sub(t.sweptAt) >= settingsSweepEvery {
			s.sweepSettingsLocked()
		}
		t.mu.Unlock()
		return msg
	}
	switch st.reply {
	case replySkipNext:
		st.reply = replySkip
	case replySkip:
		// The skipped command is done: this one's reply is sent.
		st.reply = replyOn
		restoreWriter(cl, st)
		t.updateLocked(cl, st)
	}
	monitor := st.monitor
	t.mu.Unlock()
	if msg == "" && monitor && rc != nil && s.touchesKeyspace(cl, rc) {
		msg = "ERR Replica can't interact with the keyspace"
	}
	return msg
}

// touchesKeyspace reports whether rc reads or writes data, as Redis's
// is_read_command / is_write_command / is_may_replicate_command (for EXEC,
// through the commands it queued).
func (s *Server) touchesKeyspace(cl *client, rc *router.Command) bool {
	const mask = router.FlagWrite | router.FlagReadonly | router.FlagMayReplicate
	return s.queuedFlags(cl, rc)&mask != 0
}

// queuedFlags is rc's flags, and for EXEC those of the queued commands.
func (s *Server) queuedFlags(cl *client, rc *router.Command) router.CommandFlags {
	f := rc.Flags
	if rc == s.adm.execCmd && cl.multi != nil {
		for _, q := range cl.multi.cmds {
			if qc := s.adm.table.Find(q.args); qc != nil {
				f |= qc.Flags
			}
		}
	}
	return f
}

// discardWriters swaps cl's reply writer for one that drops what it is
// given, keeping the real one in st. The real one is flushed first: the
// connection only flushes the writer it has.
func discardWriter(cl *client, st *clientSettings) {
	if st.realW != nil {
		return
	}
	c := cl.conn
	_ = c.W.Flush()
	d := resp.NewWriter(io.Discard)
	d.SetProto(c.W.Proto())
	st.realW = c.W
	c.W, cl.x.W = d, d
}

// restoreWriter undoes discardWriter, keeping a protocol change made in
// between.
func restoreWriter(cl *client, st *clientSettings) {
	if st.realW == nil {
		return
	}
	c := cl.conn
	st.realW.SetProto(c.W.Proto())
	c.W, cl.x.W = st.realW, st.realW
	st.realW = nil
}

// resetSettings is RESET's part: replies back on, out of MONITOR mode.
func (s *Server) resetSettings(cl *client) {
	t := &s.adm.clients
	t.mu.Lock()
	st := t.m[cl]
	if st != nil {
		st.reply = replyOn
		restoreWriter(cl, st)
		if st.monitor {
			st.monitor = false
			defer s.dropMonitor(cl)
		}
		t.updateLocked(cl, st)
	}
	t.mu.Unlock()
}

func cmdClientReply(x *Ctx) {
	s, cl := x.s, x.cl
	switch {
	case cmdIs(x.Args[2], "on"):
		s.setSetting(cl, func(st *clientSettings) {
			st.reply = replyOn
			restoreWriter(cl, st)
		})
		x.W.AppendSimple("OK")
	case cmdIs(x.Args[2], "off"):
		s.setSetting(cl, func(st *clientSettings) {
			st.reply = replyOff
			discardWriter(cl, st)
		})
	case cmdIs(x.Args[2], "skip"):
		s.setSetting(cl, func(st *clientSettings) {
			if st.reply != replyOff {
				st.reply = replySkipNext
				discardWriter(cl, st)
			}
		})
	default:
		x.W.AppendError(errSyntax)
	}
}

func cmdClientNoEvict(x *Ctx) {
	var on bool
	switch {
	case cmdIs(x.Args[2], "on"):
		on = true
	case cmdIs(x.Args[2], "off"):
	default:
		x.W.AppendError(errSyntax)
		return
	}
	x.s.setSetting(x.cl, func(st *clientSettings) { st.noEvict = on })
	x.W.AppendSimple("OK")
}

// --- CLIENT PAUSE

// Pause modes, in increasing strength.
const (
	pauseNone int32 = iota
	pauseWrite
	pauseAll
)

// clientPause is CLIENT PAUSE's state. Paused clients wait on wake, which
// is closed when the pause is lifted or found expired.
type clientPause struct {
	mode    atomic.Int32 // the hooks' fast check
	mu      sync.Mutex
	end     time.Time        // guarded by mu
	wake    chan struct{}    // guarded by mu; nil while not paused
	waiting map[*client]bool // guarded by mu: clients held now
}

// pause starts or extends a pause: the stronger mode and the later end
// win, as in Redis.
func (p *clientPause) pause(mode int32, end time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wake == nil {
		p.wake = make(chan struct{})
		p.end = end
		p.mode.Store(mode)
		return
	}
	if end.After(p.end) {
		p.end = end
	}
	if mode > p.mode.Load() {
		p.mode.Store(mode)
	}
}

// unpause lifts the pause.
func (p *clientPause) unpause() {
	p.mu.Lock()
	p.liftLocked()
	p.mu.Unlock()
}

func (p *clientPause) liftLocked() {
	if p.wake == nil {
		return
	}
	p.mode.Store(pauseNone)
	close(p.wake)
	p.wake = nil
}

// current returns the pause in force at now, lifting it when it is over.
func (p *clientPause) current(now time.Time) (mode int32, end time.Time, wake chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wake != nil && !now.Before(p.end) {
		p.liftLocked()
	}
	return p.mode.Load(), p.end, p.wake
}

func (p *clientPause) setWaiting(cl *client, on bool) {
	p.mu.Lock()
	if on {
		if p.waiting == nil {
			p.waiting = make(map[*client]bool)
		}
		p.waiting[cl] = true
	} else {
		delete(p.waiting, cl)
	}
	p.mu.Unlock()
}

func (p *clientPause) waitingCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiting)
}

func (p *clientPause) isWaiting(cl *client) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.waiting[cl]
}

// waitPause holds cl while a pause applies to rc, as Redis postpones a
// client. It reports false when the client went away meanwhile.
func (s *Server) waitPause(cl *client, rc *router.Command) bool {
	p := &s.adm.pause
	for {
		mode, end, wake := p.current(time.Now())
		if !s.pausedFor(cl, rc, mode) {
			return true
		}
		left := time.Until(end)
		if left <= 0 {
			continue
		}
		p.setWaiting(cl, true)
		res := cl.conn.Wait(wake, left)
		p.setWaiting(cl, false)
		if res == server.Gone {
			return false
		}
	}
}

// pausedFor reports whether a pause of the given mode holds rc from cl.
// Monitors, which Redis treats as replicas, are never paused.
func (s *Server) pausedFor(cl *client, rc *router.Command, mode int32) bool {
	switch mode {
	case pauseNone:
		return false
	case pauseWrite:
		if s.queuedFlags(cl, rc)&(router.FlagWrite|router.FlagMayReplicate) == 0 {
			return false
		}
	}
	return !s.settings(cl).monitor
}

func cmdClientPause(x *Ctx) {
	if len(x.Args) > 4 {
		x.subcommandSyntaxError()
		return
	}
	mode := pauseAll
	if len(x.Args) == 4 {
		switch {
		case cmdIs(x.Args[3], "write"):
			mode = pauseWrite
		case cmdIs(x.Args[3], "all"):
		default:
			x.W.AppendError("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, ok := parseInt(x.Args[2])
	if !ok {
		x.W.AppendError("ERR timeout is not an integer or out of range")
		return
	}
	if ms < 0 {
		x.W.AppendError("ERR timeout is negative")
		return
	}
	// A century stands in for longer timeouts, which would overflow.
	d := time.Duration(min(ms, int64(100*365*24*time.Hour/time.Millisecond))) * time.Millisecond
	x.s.admin().pause.pause(mode, time.Now().Add(d))
	x.W.AppendSimple("OK")
}

func cmdClientUnpause(x *Ctx) {
	x.s.admin().pause.unpause()
	x.W.AppendSimple("OK")
}

// --- CLIENT UNBLOCK

func cmdClientUnblock(x *Ctx) {
	if len(x.Args) > 4 {
		x.subcommandSyntaxError()
		return
	}
	asError := false
	if len(x.Args) == 4 {
		switch {
		case cmdIs(x.Args[3], "timeout"):
		case cmdIs(x.Args[3], "error"):
			asError = true
		default:
			x.W.AppendError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	id, ok := x.intArg(x.Args[2])
	if !ok {
		return
	}
	if x.s.unblockClient(uint64(id), asError) {
		x.W.AppendInt(1)
	} else {
		x.W.AppendInt(0)
	}
}

// unblockClient ends the wait of the client with the given id if it is
// blocked on keys, as a timeout would or with an UNBLOCKED error. The
// keyspace is held exclusively. The reply is not written here but by the
// client's own goroutine when it wakes (see finishUnblocked), so that no
// other goroutine touches its writer. A client held by CLIENT PAUSE is not
// blocked in this sense (Redis 7.0.15 crashes on it; later versions refuse
// it too).
func (s *Server) unblockClient(id uint64, asError bool) bool {
	for i := range s.ks.stripes {
		for _, list := range s.ks.stripes[i].blocked {
			for _, wt := range list {
				if wt.cl.conn.ID != id || wt.served {
					continue
				}
				a := &s.adm
				a.ubMu.Lock()
				if a.unblocked == nil {
					a.unblocked = make(map[*client]unblockReply)
				}
				a.unblocked[wt.cl] = unblockReply{timeout: wt.onTimeout, asError: asError}
				a.ubMu.Unlock()
				wt.served = true
				s.removeWaiter(wt)
				wt.wake <- struct{}{}
				return true
			}
		}
	}
	return false
}

const errUnblocked = "UNBLOCKED client unblocked via CLIENT UNBLOCK"

// unblockReply is how a client CLIENT UNBLOCK woke is to be answered.
type unblockReply struct {
	timeout func(w *resp.Writer) // the command's timeout reply
	asError bool                 // reply errUnblocked instead
}

// finishUnblocked writes the reply of a blocking command rc that CLIENT
// UNBLOCK ended, on the client's own goroutine once the command returned.
func (s *Server) finishUnblocked(cl *client, rc *router.Command) {
	a := &s.adm
	a.ubMu.Lock()
	ub, ok := a.unblocked[cl]
	delete(a.unblocked, cl)
	a.ubMu.Unlock()
	switch {
	case !ok:
	case ub.asError:
		cl.x.W.AppendError(errUnblocked)
		if st := a.cmds[rc]; st != nil {
			st.failed.Add(1)
		}
		s.countError(errUnblocked)
	default:
		ub.timeout(cl.x.W)
	}
}

// --- CLIENT LIST / INFO / KILL

// Client types, as CLIENT LIST TYPE and CLIENT KILL TYPE name them.
const (
	clientTypeNone = iota
	clientTypeNormal
	clientTypeReplica
	clientTypePubsub
	clientTypeMaster
)

func clientTypeByName(b []byte) int {
	switch {
	case cmdIs(b, "normal"):
		return clientTypeNormal
	case cmdIs(b, "slave"), cmdIs(b, "replica"):
		return clientTypeReplica
	case cmdIs(b, "pubsub"):
		return clientTypePubsub
	case cmdIs(b, "master"):
		return clientTypeMaster
	}
	return clientTypeNone
}

// clientView is what CLIENT LIST shows of one connection.
type clientView struct {
	c  *server.Conn
	cl *client // nil before the client's first command
	st clientSettings
}

func (v *clientView) kind() int {
	if v.cl != nil && v.cl.subscribed() {
		return clientTypePubsub
	}
	return clientTypeNormal
}

// clientViews returns the open connections by id, with their node state.
func (s *Server) clientViews() []clientView {
	// A killed connection may take a moment to go; Redis frees it at once.
	conns := slices.DeleteFunc(s.Clients(), (*server.Conn).Killed)
	slices.SortFunc(conns, func(a, b *server.Conn) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	out := make([]clientView, len(conns))
	known := s.adm.known.snapshot(conns)
	t := &s.adm.clients
	t.mu.Lock()
	for i, c := range conns {
		out[i].c = c
		if cl := known[c]; cl != nil {
			out[i].cl = cl
			if st := t.m[cl]; st != nil {
				out[i].st = *st
			}
		}
	}
	t.mu.Unlock()
	return out
}

// knownClients maps connections to their node state for CLIENT LIST and
// CLIENT KILL, which look at other clients: a connection's State belongs
// to its goroutine, so each client registers here, under the lock, when
// it first runs a command.
type knownClients struct {
	mu    sync.Mutex
	m     map[*server.Conn]*client // guarded by mu
	swept int                      // guarded by mu: len(m) after the last sweep
}

// addKnown registers cl; the first command of each client calls it.
func (s *Server) addKnown(cl *client) {
	k := &s.adm.known
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = make(map[*server.Conn]*client)
	}
	k.m[cl.conn] = cl
	if len(k.m) > 2*k.swept+64 {
		// The node is not told when a connection closes: drop the closed
		// ones now and then, so the map stays about as large as the
		// client list.
		open := make(map[*server.Conn]bool)
		for _, c := range s.Clients() {
			open[c] = true
		}
		for c := range k.m {
			if !open[c] {
				delete(k.m, c)
			}
		}
		k.swept = len(k.m)
	}
}

// snapshot returns the node state of the given connections.
func (k *knownClients) snapshot(conns []*server.Conn) map[*server.Conn]*client {
	out := make(map[*server.Conn]*client, len(conns))
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, c := range conns {
		if cl := k.m[c]; cl != nil {
			out[c] = cl
		}
	}
	return out
}

// blockedClients returns the clients waiting on keys or held by a pause,
// for the b flag; locked says the keyspace is held.
func (s *Server) blockedClients(locked bool) map[*client]bool {
	out := make(map[*client]bool)
	s.eachWaiter(locked, func(wt *waiter) { out[wt.cl] = true })
	p := &s.adm.pause
	p.mu.Lock()
	for cl := range p.waiting {
		out[cl] = true
	}
	p.mu.Unlock()
	return out
}

// appendClientInfo appends one CLIENT LIST line, in Redis 7.0's field
// order. x is the client running the command, whose own figures are known
// exactly. Fields keyslot has no counterpart for (the socket's fd, query
// and reply buffer sizes) are reported as -1 for fd and 0 otherwise.
func appendClientInfo(b []byte, x *Ctx, v *clientView, blocked bool, now time.Time) []byte {
	c, cl := v.c, v.cl
	self := c == x.c
	b = append(b, "id="...)
	b = strconv.AppendUint(b, c.ID, 10)
	b = append(b, " addr="...)
	b = append(b, c.RemoteAddr().String()...)
	b = append(b, " laddr="...)
	b = append(b, c.LocalAddr().String()...)
	b = append(b, " fd=-1 name="...)
	b = append(b, c.Name()...)
	b = append(b, " age="...)
	b = strconv.AppendInt(b, int64(now.Sub(c.Created)/time.Second), 10)
	b = append(b, " idle="...)
	idle := int64(0)
	if !self {
		idle = int64(now.Sub(c.LastActive()) / time.Second)
	}
	b = strconv.AppendInt(b, max(idle, 0), 10)
	b = append(b, " flags="...)
	n := len(b)
	if v.st.monitor {
		b = append(b, 'O')
	}
	db, sub, psub, ssub, multi := int32(0), int32(0), int32(0), int32(0), int32(-1)
	cmd := "NULL"
	if cl != nil {
		if cl.subscribed() {
			b = append(b, 'P')
		}
		multi = cl.multiN.Load()
		if multi >= 0 {
			b = append(b, 'x')
		}
		if blocked {
			b = append(b, 'b')
		}
		if cl.dirtyCAS.Load() {
			b = append(b, 'd')
		}
		db, sub, psub, ssub = cl.dbIndex.Load(), cl.nsub.Load(), cl.npsub.Load(), cl.nssub.Load()
		if rc := cl.lastCmd.Load(); rc != nil {
			cmd = rc.Name
		}
	}
	if v.st.noEvict {
		b = append(b, 'e')
	}
	if len(b) == n {
		b = append(b, 'N')
	}
	var qbuf, argv int64
	proto := int64(max(v.st.proto, 2))
	if self {
		// The query buffer still holds the command being run, as Redis's
		// does while it runs.
		qbuf = respSize(x.Args)
		for _, a := range x.Args {
			argv += int64(len(a))
		}
		proto = int64(x.W.Proto())
	}
	b = append(b, " db="...)
	b = strconv.AppendInt(b, int64(db), 10)
	b = append(b, " sub="...)
	b = strconv.AppendInt(b, int64(sub), 10)
	b = append(b, " psub="...)
	b = strconv.AppendInt(b, int64(psub), 10)
	b = append(b, " ssub="...)
	b = strconv.AppendInt(b, int64(ssub), 10)
	b = append(b, " multi="...)
	b = strconv.AppendInt(b, int64(multi), 10)
	b = append(b, " qbuf="...)
	b = strconv.AppendInt(b, qbuf, 10)
	b = append(b, " qbuf-free=0 argv-mem="...)
	b = strconv.AppendInt(b, argv, 10)
	b = append(b, " multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem="...)
	b = strconv.AppendInt(b, qbuf+argv, 10)
	b = append(b, " events=r cmd="...)
	b = append(b, cmd...)
	b = append(b, " user=default redir=-1 resp="...)
	b = strconv.AppendInt(b, proto, 10)
	return append(b, '\n')
}

func cmdClientList(x *Ctx) {
	kind := clientTypeNone
	var ids []int64
	switch {
	case len(x.Args) == 4 && cmdIs(x.Args[2], "type"):
		kind = clientTypeByName(x.Args[3])
		if kind == clientTypeNone {
			x.W.AppendError("ERR Unknown client type '" + cstr(x.Args[3]) + "'")
			return
		}
	case len(x.Args) > 3 && cmdIs(x.Args[2], "id"):
		for _, a := range x.Args[3:] {
			v, ok := parseInt(a)
			if !ok {
				x.W.AppendError("ERR Invalid client ID")
				return
			}
			ids = append(ids, v)
		}
	case len(x.Args) != 2:
		x.W.AppendError(errSyntax)
		return
	}
	views := x.s.clientViews()
	blocked := x.s.blockedClients(x.exclusive)
	now := time.Now()
	var out []byte
	if ids != nil {
		for _, id := range ids {
			for i := range views {
				if int64(views[i].c.ID) == id {
					out = appendClientInfo(out, x, &views[i], blocked[views[i].cl], now)
				}
			}
		}
	} else {
		for i := range views {
			if kind != clientTypeNone && views[i].kind() != kind {
				continue
			}
			out = appendClientInfo(out, x, &views[i], blocked[views[i].cl], now)
		}
	}
	x.W.AppendVerbatim("txt", out)
}

func cmdClientInfo(x *Ctx) {
	v := clientView{c: x.c, cl: x.cl, st: x.s.settings(x.cl)}
	x.W.AppendVerbatim("txt", appendClientInfo(nil, x, &v, false, time.Now()))
}

func cmdClientKill(x *Ctx) {
	var addr, laddr []byte
	var id uint64
	kind, skipme := clientTypeNone, true
	switch {
	case len(x.Args) == 3:
		// The old form names an address, and may name the caller.
		addr, skipme = x.Args[2], false
	default:
		for i := 2; i < len(x.Args); i += 2 {
			opt := x.Args[i]
			if i+1 >= len(x.Args) {
				x.W.AppendError(errSyntax)
				return
			}
			val := x.Args[i+1]
			switch {
			case cmdIs(opt, "id"):
				v, ok := parseInt(val)
				if !ok || v < 1 {
					x.W.AppendError("ERR client-id should be greater than 0")
					return
				}
				id = uint64(v)
			case cmdIs(opt, "type"):
				if kind = clientTypeByName(val); kind == clientTypeNone {
					x.W.AppendError("ERR Unknown client type '" + cstr(val) + "'")
					return
				}
			case cmdIs(opt, "addr"):
				addr = val
			case cmdIs(opt, "laddr"):
				laddr = val
			case cmdIs(opt, "user"):
				// Every client is the default user, the only one there is.
				if string(val) != "default" {
					x.W.AppendError("ERR No such user '" + cstr(val) + "'")
					return
				}
			case cmdIs(opt, "skipme"):
				switch {
				case cmdIs(val, "yes"):
					skipme = true
				case cmdIs(val, "no"):
					skipme = false
				default:
					x.W.AppendError(errSyntax)
					return
				}
			default:
				x.W.AppendError(errSyntax)
				return
			}
		}
	}
	killed, self := 0, false
	for _, v := range x.s.clientViews() {
		c := v.c
		switch {
		case addr != nil && c.RemoteAddr().String() != string(addr),
			laddr != nil && c.LocalAddr().String() != string(laddr),
			kind != clientTypeNone && v.kind() != kind,
			id != 0 && c.ID != id,
			c == x.c && skipme:
			continue
		}
		if c == x.c {
			self = true
		} else {
			c.Kill()
		}
		killed++
	}
	if self {
		x.c.CloseAfterReply()
	}
	if len(x.Args) == 3 {
		if killed == 0 {
			x.W.AppendError("ERR No such client")
		} else {
			x.W.AppendSimple("OK")
		}
		return
	}
	x.W.AppendInt(int64(killed))
}

func cmdClientHelp(x *Ctx) {
	appendHelp(x.W, "CLIENT", []string{
		"CACHING (YES|NO)",
		"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
		"GETREDIR",
		"    Return the client ID we are redirecting to when tracking is enabled.",
		"GETNAME",
		"    Return the name of the current connection.",
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"UNPAUSE",
		"    Stop the current client pause, resuming traffic.",
		"PAUSE <timeout> [WRITE|ALL]",
		"    Suspend all, or just write, clients for <timeout> milliseconds.",
		"REPLY (ON|OFF|SKIP)",
		"    Control the replies sent to the current connection.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		"UNBLOCK <clientid> [TIMEOUT|ERROR]",
		"    Unblock the specified blocked client.",
		"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
		"         [OPTIN] [OPTOUT] [NOLOOP]",
		"    Control server assisted client side caching.",
		"TRACKINGINFO",
		"    Report tracking status for the current connection.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
	})
}
