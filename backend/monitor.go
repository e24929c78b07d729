package backend

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// monitors are the clients in MONITOR mode. Each command another client
// runs is formatted once and queued to every monitor's push output, so a
// slow monitor never holds up the command.
type monitors struct {
	n         atomic.Int32 // len(list): the hooks' fast check
	mu        sync.Mutex
	list      []*client // guarded by mu
	lastSweep time.Time // guarded by mu
}

// monitorSweepEvery is how often feeding checks for monitors whose
// connection has closed: a closed connection still accepts pushes (up to
// its output limit), so it is found by its absence from the server's
// client list.
const monitorSweepEvery = time.Second

func monitorCommands() commandSet {
	return commandSet{
		"monitor": {fn: cmdMonitor, lock: lockNone},
	}
}

func cmdMonitor(x *Ctx) {
	if x.cl.inExec {
		// Inside EXEC the client expects one reply per command.
		x.W.AppendError("ERR MONITOR isn't allowed for DENY BLOCKING client")
		return
	}
	s := x.s
	m := &s.admin().mon
	m.mu.Lock()
	already := slices.Contains(m.list, x.cl)
	m.mu.Unlock()
	if already {
		// Already monitoring: Redis ignores the command, without a reply.
		return
	}
	s.setSetting(x.cl, func(st *clientSettings) { st.monitor = true })
	// From now on other clients' goroutines write to this connection:
	// push mode first, then +OK queued, then the client listed, all before
	// a feeder can see it, so that every line comes after the +OK and
	// every command run after the +OK is shown.
	x.c.EnablePush()
	m.mu.Lock()
	x.W.AppendSimple("OK")
	_ = x.W.Flush()
	m.list = append(m.list, x.cl)
	m.n.Store(int32(len(m.list)))
	m.mu.Unlock()
}

// dropMonitor ends MONITOR mode for cl (RESET, or a closed connection).
func (s *Server) dropMonitor(cl *client) {
	m := &s.adm.mon
	m.mu.Lock()
	if i := slices.Index(m.list, cl); i >= 0 {
		m.list = slices.Delete(m.list, i, i+1)
		m.n.Store(int32(len(m.list)))
	}
	m.mu.Unlock()
}

// feedMonitors shows a command cl ran to every monitor, in Redis's
// format: +<unix time with µs> [<db> <addr>] "arg" "arg"…
func (s *Server) feedMonitors(cl *client, rc *router.Command, args [][]byte, now time.Time) {
	if rc.Flags&(router.FlagSkipMonitor|router.FlagAdmin) != 0 {
		return
	}
	args = redactArgs(rc, args)
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, '.')
	us := now.Nanosecond() / 1000
	line = append(line, leftPad(strconv.Itoa(us), 6)...)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(cl.dbIndex.Load()), 10)
	line = append(line, ' ')
	line = append(line, cl.conn.RemoteAddr().String()...)
	line = append(line, ']')
	for _, a := range args {
		line = append(line, ' ')
		line = appendRepr(line, a)
	}
	line = append(line, '\r', '\n')

	m := &s.adm.mon
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastSweep) >= monitorSweepEvery {
		m.lastSweep = now
		s.sweepMonitorsLocked()
	}
	for i := 0; i < len(m.list); i++ {
		mc := m.list[i]
		if mc == cl {
			// A monitor's own command: its goroutine is the caller, and its
			// reply must come first.
			mc.conn.W.AppendRaw(line)
			continue
		}
		if !mc.conn.Push(line) {
			m.list = slices.Delete(m.list, i, i+1)
			i--
		}
	}
	m.n.Store(int32(len(m.list)))
}

// sweepMonitorsLocked drops monitors whose connection has closed. m.mu is
// held.
func (s *Server) sweepMonitorsLocked() {
	m := &s.adm.mon
	open := make(map[*server.Conn]bool, len(m.list))
	for _, c := range s.Clients() {
		open[c] = true
	}
	m.list = slices.DeleteFunc(m.list, func(cl *client) bool { return !open[cl.conn] || cl.conn.Killed() })
	m.n.Store(int32(len(m.list)))
}

// appendRepr quotes b as Redis's sdscatrepr does: in double quotes, with
// \\ \" \n \r \t \a \b escaped and other non-printable bytes as \xHH.
func appendRepr(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range b {
		switch c {
		case '\\', '"':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if c >= 0x20 && c <= 0x7e {
				dst = append(dst, c)
			} else {
				dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
			}
		}
	}
	return append(dst, '"')
}
