package backend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"hash/fnv"
	"math"
	"math/bits"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/internal/version"
	"github.com/keyslot/keyslot/router"
)

// admin is the node's bookkeeping for the server and introspection
// commands: per-command statistics, error counts, the slow log, the latency
// monitor, MONITOR clients, CLIENT PAUSE and per-client settings. Its zero
// value is ready; what needs the command table is built on first use.
type admin struct {
	once sync.Once
	// Set by once, immutable after.
	table                                 *router.Table
	cmds                                  map[*router.Command]*cmdStats
	execCmd, resetCmd, helloCmd, debugCmd *router.Command
	runID, osName                         string
	startupMem                            uint64

	cfg atomic.Pointer[adminConfig] // the parameters last parsed

	commands   atomic.Int64  // total_commands_processed
	inputBytes atomic.Int64  // total_net_input_bytes, as RESP the commands took
	maxID      atomic.Uint64 // highest client id seen: total_connections_received
	ops        opsMeter
	peakMem    atomic.Uint64

	errMu      sync.Mutex
	errors     map[string]int64 // guarded by errMu: errorstats by error code
	errTotal   atomic.Int64     // total_error_replies
	errCapped  bool             // guarded by errMu: too many distinct codes
	replMu     sync.Mutex
	replID     string // guarded by replMu: master_replid, changed by DEBUG CHANGE-REPL-ID
	slow       slowlog
	lat        latencyMonitor
	mon        monitors
	pause      clientPause
	clients    clientTable
	known      knownClients
	noActiveEx atomic.Bool // DEBUG SET-ACTIVE-EXPIRE 0
	ubMu       sync.Mutex
	unblocked  map[*client]unblockReply // guarded by ubMu: woken by CLIENT UNBLOCK, reply pending

	shutOnce sync.Once
	shutCh   chan struct{} // closed by SHUTDOWN; created by once
}

// adminConfig holds the config parameters the introspection features
// read, parsed out of the parameter table. It is cached per parameter
// view, which CONFIG SET replaces whole, so the per-command hooks read it
// with one atomic load.
type adminConfig struct {
	view                    *paramView
	slowlogLogSlowerThan    int64     // slowlog-log-slower-than, µs; < 0 disables
	slowlogMaxLen           int       // slowlog-max-len
	latencyMonitorThreshold int64     // latency-monitor-threshold, ms; 0 disables
	latencyTracking         bool      // latency-tracking
	latencyPercentiles      []float64 // latency-tracking-info-percentiles
	enableDebugCommand      string    // enable-debug-command: no, yes or local
}

// adminConfig returns the parameters in force; the result is shared and
// must not be modified.
func (s *Server) adminConfig() *adminConfig {
	v := s.paramView()
	if c := s.adm.cfg.Load(); c != nil && c.view == v {
		return c
	}
	get := func(name string) string { return v.vals[paramIndex(name)] }
	num := func(name string) int64 {
		n, _ := strconv.ParseInt(get(name), 10, 64)
		return n
	}
	c := &adminConfig{
		view:                    v,
		slowlogLogSlowerThan:    num("slowlog-log-slower-than"),
		slowlogMaxLen:           int(min(num("slowlog-max-len"), math.MaxInt32)),
		latencyMonitorThreshold: num("latency-monitor-threshold"),
		latencyTracking:         get("latency-tracking") == "yes",
		enableDebugCommand:      get("enable-debug-command"),
	}
	for _, f := range strings.Fields(get("latency-tracking-info-percentiles")) {
		if p, err := strconv.ParseFloat(f, 64); err == nil {
			c.latencyPercentiles = append(c.latencyPercentiles, p)
		}
	}
	s.adm.cfg.Store(c)
	return c
}

// admin returns the node's admin state, building what needs the command
// table on first use.
func (s *Server) admin() *admin {
	a := &s.adm
	a.once.Do(func() {
		a.table = s.Commands().Table()
		a.cmds = make(map[*router.Command]*cmdStats)
		for _, c := range a.table.Commands() {
			a.cmds[c] = &cmdStats{}
			for _, sub := range c.Subcommands {
				a.cmds[sub] = &cmdStats{}
			}
		}
		a.execCmd = a.table.ByName([]byte("exec"))
		a.resetCmd = a.table.ByName([]byte("reset"))
		a.helloCmd = a.table.ByName([]byte("hello"))
		a.debugCmd = a.table.ByName([]byte("debug"))
		a.runID = randomHex(20)
		a.osName = osName()
		a.replMu.Lock()
		a.replID = randomHex(20)
		a.replMu.Unlock()
		a.startupMem = s.usedMemoryNow()
		a.shutCh = make(chan struct{})
	})
	return a
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cmdStats are one command's counters for INFO commandstats and
// latencystats.
type cmdStats struct {
	calls    atomic.Int64
	usec     atomic.Int64
	rejected atomic.Int64
	failed   atomic.Int64
	hist     atomic.Pointer[latencyHist] // created on the first call
}

// admit runs before a resolved command is queued or run, after the
// dispatcher's own checks; msg is their verdict ("" to go on). It does
// what Redis's processCommand does at that point: refusing commands a
// client may not run (DEBUG when disabled, keyspace access from a
// MONITOR client), counting refusals, and holding the client while a
// CLIENT PAUSE applies to it. It returns the refusal, or "".
func (s *Server) admit(cl *client, rc *router.Command, args [][]byte, msg string) string {
	a := s.admin()
	if cl.lastCmd.Load() == nil {
		// The client's first command (Handle sets lastCmd after admit).
		s.addKnown(cl)
		for id := cl.conn.ID; ; {
			hi := a.maxID.Load()
			if id <= hi || a.maxID.CompareAndSwap(hi, id) {
				break
			}
		}
	}
	if a.clients.special.Load() > 0 {
		msg = s.admitSpecial(cl, rc, msg)
	}
	if msg == "" && rc == a.debugCmd && !s.debugAllowed(cl.conn) {
		msg = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
	}
	if msg != "" {
		if rc == nil {
			rc = a.table.Find(args)
		}
		if st := a.cmds[rc]; st != nil {
			st.rejected.Add(1)
		}
		s.countError(msg)
		return msg
	}
	if a.pause.mode.Load() != pauseNone && !s.waitPause(cl, rc) {
		// The client left while paused: the command must not run, and
		// nobody reads the reply.
		return "ERR client closed while paused"
	}
	return ""
}

// call runs one command (not queued by MULTI) as Redis's call() does:
// timed, counted, shown to MONITOR clients and logged when slow. EXEC's
// queued commands are instrumented one by one.
func (s *Server) call(cl *client, rc *router.Command, fn server.HandlerFunc, args [][]byte) {
	a := s.admin()
	// An EXEC whose transaction was refused while queueing fails with
	// EXECABORT; that error is known here, where others are not.
	abort := false
	if rc == a.execCmd && cl.multi != nil {
		if abort = cl.multi.failed; !abort {
			s.instrumentQueue(cl)
		}
	}
	if a.clients.special.Load() > 0 && rc == a.resetCmd {
		s.resetSettings(cl)
	}
	// A blocking command is shown to monitors when it first runs, before
	// it waits, as Redis does; the others once they have run, so that
	// SELECT shows the new database.
	blocking := rc.Flags&router.FlagBlocking != 0
	start := time.Now()
	if blocking && a.mon.n.Load() > 0 {
		s.feedMonitors(cl, rc, args, start)
	}
	fn(cl.conn, args)
	if blocking {
		s.finishUnblocked(cl, rc)
	}
	s.account(cl, rc, args, start, !blocking)
	if abort {
		a.cmds[rc].failed.Add(1)
		s.countError("EXECABORT Transaction discarded because of previous errors.")
	}
	if rc == a.helloCmd || rc == a.resetCmd {
		s.noteProto(cl)
	}
}

// instrumentQueue wraps the commands EXEC is about to run so each is
// counted, timed and shown to monitors as its own call, as in Redis.
func (s *Server) instrumentQueue(cl *client) {
	a := s.admin()
	for i := range cl.multi.cmds {
		q := &cl.multi.cmds[i]
		rc := a.table.Find(q.args)
		if rc == nil {
			continue
		}
		fn := q.fn
		q.fn = func(c *server.Conn, args [][]byte) {
			start := time.Now()
			fn(c, args)
			s.account(cl, rc, args, start, true)
		}
	}
}

// account records a command that ran from start until now.
func (s *Server) account(cl *client, rc *router.Command, args [][]byte, start time.Time, feed bool) {
	a := &s.adm
	now := time.Now()
	us := now.Sub(start).Microseconds()
	cfg := s.adminConfig()
	if st := a.cmds[rc]; st != nil {
		st.calls.Add(1)
		st.usec.Add(us)
		if cfg.latencyTracking {
			h := st.hist.Load()
			if h == nil {
				// CONFIG RESETSTAT may drop it again at any time: h stays
				// usable either way.
				h = newLatencyHist()
				if !st.hist.CompareAndSwap(nil, h) {
					if cur := st.hist.Load(); cur != nil {
						h = cur
					}
				}
			}
			h.record(us * 1000)
		}
	}
	a.commands.Add(1)
	a.inputBytes.Add(respSize(args))
	a.ops.tick(now, a.commands.Load())
	if feed && a.mon.n.Load() > 0 {
		s.feedMonitors(cl, rc, args, now)
	}
	if rc.Flags&router.FlagSkipSlowlog == 0 && cfg.slowlogLogSlowerThan >= 0 && us >= cfg.slowlogLogSlowerThan {
		a.slow.add(cl.conn, rc, args, now, us, cfg.slowlogMaxLen)
	}
	if t := cfg.latencyMonitorThreshold; t > 0 && us/1000 >= t {
		event := "command"
		if rc.Flags&router.FlagFast != 0 {
			event = "fast-command"
		}
		a.lat.add(event, now.Unix(), us/1000)
	}
}

// respSize is the size of args sent as a RESP multibulk.
func respSize(args [][]byte) int64 {
	n := int64(digits(len(args))) + 3
	for _, arg := range args {
		n += int64(len(arg)+digits(len(arg))) + 5
	}
	return n
}

// digits is the number of decimal digits of n >= 0.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// maxErrorCodes is how many distinct error codes INFO errorstats tracks,
// as Redis's ERROR_STATS_NUMBER.
const maxErrorCodes = 128

// countError records an error reply for INFO errorstats: its code is its
// first word, or ERR when it has none in its first 32 bytes.
func (s *Server) countError(msg string) {
	a := &s.adm
	a.errTotal.Add(1)
	code := "ERR"
	head := msg
	if len(head) > 32 {
		head = head[:32]
	}
	if i := strings.IndexByte(head, ' '); i > 0 {
		code = msg[:i]
	}
	a.errMu.Lock()
	defer a.errMu.Unlock()
	if a.errors == nil {
		a.errors = make(map[string]int64)
	}
	if _, ok := a.errors[code]; !ok && len(a.errors) >= maxErrorCodes {
		if !a.errCapped {
			a.errCapped = true
			s.lg.Warn("errorstats stopped: too many distinct error codes", zap.Int("limit", maxErrorCodes))
		}
		return
	}
	a.errors[code]++
}

// resetStats clears what CONFIG RESETSTAT clears among the admin
// counters: command and error statistics, totals, and the op rate.
func (s *Server) resetStats() {
	a := s.admin()
	for _, st := range a.cmds {
		st.calls.Store(0)
		st.usec.Store(0)
		st.rejected.Store(0)
		st.failed.Store(0)
		st.hist.Store(nil)
	}
	a.commands.Store(0)
	a.inputBytes.Store(0)
	a.errTotal.Store(0)
	a.errMu.Lock()
	a.errors = nil
	a.errCapped = false
	a.errMu.Unlock()
	a.ops.reset()
}

// opsMeter estimates instantaneous_ops_per_sec as Redis does: from
// samples of the command count taken every 100ms over the last 1.6s.
type opsMeter struct {
	last atomic.Int64 // unix nanoseconds of the last sample
	mu   sync.Mutex
	ring [16]opsSample // guarded by mu
	idx  int           // guarded by mu
}

type opsSample struct {
	at    int64 // unix nanoseconds
	count int64
}

const opsSampleEvery = int64(100 * time.Millisecond)

// tick takes a sample when the last one is 100ms old. Cheap when not.
func (m *opsMeter) tick(now time.Time, count int64) {
	t := now.UnixNano()
	last := m.last.Load()
	if t-last < opsSampleEvery || !m.last.CompareAndSwap(last, t) {
		return
	}
	m.mu.Lock()
	m.ring[m.idx] = opsSample{at: t, count: count}
	m.idx = (m.idx + 1) % len(m.ring)
	m.mu.Unlock()
}

func (m *opsMeter) reset() {
	m.mu.Lock()
	m.ring = [16]opsSample{}
	m.mu.Unlock()
}

// perSecond returns the command rate over the sampled window ending now.
func (m *opsMeter) perSecond(now time.Time, count int64) int64 {
	t := now.UnixNano()
	m.mu.Lock()
	defer m.mu.Unlock()
	oldest := opsSample{at: -1}
	for _, smp := range m.ring {
		if smp.at == 0 || t-smp.at > int64(1600*time.Millisecond) {
			continue
		}
		if oldest.at < 0 || smp.at < oldest.at {
			oldest = smp
		}
	}
	if oldest.at < 0 || t-oldest.at <= 0 {
		return 0
	}
	return (count - oldest.count) * int64(time.Second) / (t - oldest.at)
}

// serverCommands are INFO, MEMORY and SHUTDOWN.
func serverCommands() commandSet {
	return commandSet{
		"info":                {fn: cmdInfo, lock: lockNone},
		"memory|usage":        {fn: cmdMemoryUsage, lock: lockKeys},
		"memory|stats":        {fn: cmdMemoryStats, lock: lockNone},
		"memory|doctor":       {fn: cmdMemoryDoctor, lock: lockNone},
		"memory|malloc-stats": {fn: cmdMallocStats, lock: lockNone},
		"memory|purge":        {fn: cmdMemoryPurge, lock: lockNone},
		"memory|help":         {fn: cmdMemoryHelp, lock: lockNone},
		"shutdown":            {fn: cmdShutdown, lock: lockNone},
	}
}

// appendHelp replies a HELP text as Redis's addReplyHelp does: a header
// line naming the command, the lines given, and the HELP entry.
func appendHelp(w *resp.Writer, cmd string, lines []string) {
	w.AppendArray(len(lines) + 3)
	w.AppendSimple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		w.AppendSimple(l)
	}
	w.AppendSimple("HELP")
	w.AppendSimple("    Prints this help.")
}

// subcommandSyntaxError is Redis's addReplySubcommandSyntaxError.
func (x *Ctx) subcommandSyntaxError() {
	sub := x.Args[1]
	if len(sub) > 128 {
		sub = sub[:128]
	}
	name := x.cmd.Name
	if p := x.cmd.Parent(); p != nil {
		name = p.Name
	}
	x.W.AppendError("ERR unknown subcommand or wrong number of arguments for '" + string(sub) + "'. Try " + strings.ToUpper(name) + " HELP.")
}

// --- INFO

// infoSections lists INFO's sections in Redis's order, and which of them
// "default" and "all" include.
var infoSections = [...]struct {
	name       string
	title      string
	def, inAll bool
	fn         func(s *Server, b *infoBuilder)
}{
	{name: "server", title: "Server", def: true, inAll: true, fn: (*Server).infoServer},
	{name: "clients", title: "Clients", def: true, inAll: true, fn: (*Server).infoClients},
	{name: "memory", title: "Memory", def: true, inAll: true, fn: (*Server).infoMemory},
	{name: "persistence", title: "Persistence", def: true, inAll: true, fn: (*Server).infoPersistence},
	{name: "stats", title: "Stats", def: true, inAll: true, fn: (*Server).infoStats},
	{name: "replication", title: "Replication", def: true, inAll: true, fn: (*Server).infoReplication},
	{name: "cpu", title: "CPU", def: true, inAll: true, fn: (*Server).infoCPU},
	{name: "modules", title: "Modules", def: true, inAll: true, fn: func(*Server, *infoBuilder) {}},
	{name: "commandstats", title: "Commandstats", inAll: true, fn: (*Server).infoCommandStats},
	{name: "errorstats", title: "Errorstats", def: true, inAll: true, fn: (*Server).infoErrorStats},
	{name: "latencystats", title: "Latencystats", inAll: true, fn: (*Server).infoLatencyStats},
	{name: "cluster", title: "Cluster", def: true, inAll: true, fn: (*Server).infoCluster},
	{name: "keyspace", title: "Keyspace", def: true, inAll: true, fn: (*Server).infoKeyspace},
}

// infoBuilder accumulates INFO text.
type infoBuilder struct {
	b []byte
	// locked says the keyspace is already held (INFO inside EXEC), so the
	// sections that read it must not lock it again.
	locked bool
}

func (b *infoBuilder) str(k, v string) {
	b.b = append(b.b, k...)
	b.b = append(b.b, ':')
	b.b = append(b.b, v...)
	b.b = append(b.b, '\r', '\n')
}

func (b *infoBuilder) int(k string, v int64) {
	b.b = append(b.b, k...)
	b.b = append(b.b, ':')
	b.b = strconv.AppendInt(b.b, v, 10)
	b.b = append(b.b, '\r', '\n')
}

// fixed writes v with d decimals, as printf's %.Nf.
func (b *infoBuilder) fixed(k string, v float64, d int) {
	b.str(k, strconv.FormatFloat(v, 'f', d, 64))
}

func (b *infoBuilder) line(s string) {
	b.b = append(b.b, s...)
	b.b = append(b.b, '\r', '\n')
}

// infoText builds INFO for the sections args name (none: default);
// locked says the keyspace is already held.
func (s *Server) infoText(args [][]byte, locked bool) []byte {
	want := make([]bool, len(infoSections))
	if len(args) == 0 {
		args = [][]byte{[]byte("default")}
	}
	for _, a := range args {
		name := strings.ToLower(string(a))
		for i, sec := range infoSections {
			switch name {
			case "default":
				want[i] = want[i] || sec.def
			case "all", "everything":
				want[i] = want[i] || sec.inAll
			default:
				if name == sec.name {
					want[i] = true
				}
			}
		}
	}
	b := infoBuilder{locked: locked}
	n := 0
	for i, sec := range infoSections {
		if !want[i] {
			continue
		}
		if n > 0 {
			b.b = append(b.b, '\r', '\n')
		}
		n++
		b.line("# " + sec.title)
		sec.fn(s, &b)
	}
	return b.b
}

func cmdInfo(x *Ctx) {
	x.W.AppendVerbatim("txt", x.s.infoText(x.Args[1:], x.exclusive))
}

// osName is what Redis's INFO os shows: uname's system, release and
// machine.
func osName() string {
	name := runtime.GOOS
	if b, err := os.ReadFile("/proc/sys/kernel/ostype"); err == nil {
		name = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		name += " " + strings.TrimSpace(string(b))
	}
	arch := runtime.GOARCH
	switch arch {
	case "amd64":
		arch = "x86_64"
	case "arm64":
		arch = "aarch64"
	case "386":
		arch = "i686"
	}
	return name + " " + arch
}

// buildID is a hash of the keyslot build, in the place of Redis's.
func buildID() string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(version.Version + " " + runtime.Version()))
	return strconv.FormatUint(h.Sum64(), 16)
}

func (s *Server) tcpPort() int64 {
	if addr := s.Addr(); addr != nil {
		if _, p, ok := strings.Cut(addr.String(), "]:"); ok {
			v, _ := strconv.ParseInt(p, 10, 64)
			return v
		}
		if i := strings.LastIndexByte(addr.String(), ':'); i >= 0 {
			v, _ := strconv.ParseInt(addr.String()[i+1:], 10, 64)
			return v
		}
	}
	return int64(s.cfg.Port)
}

func (s *Server) infoServer(b *infoBuilder) {
	a := s.admin()
	now := time.Now()
	up := int64(now.Sub(s.start) / time.Second)
	exe, _ := os.Executable()
	mode := "standalone"
	if s.cfg.ClusterEnabled {
		mode = "cluster"
	}
	b.str("redis_version", version.Redis)
	b.str("redis_git_sha1", "00000000")
	b.str("redis_git_dirty", "0")
	b.str("redis_build_id", buildID())
	b.str("redis_mode", mode)
	b.str("os", a.osName)
	b.int("arch_bits", strconv.IntSize)
	b.str("monotonic_clock", "POSIX clock_gettime")
	b.str("multiplexing_api", "epoll")
	b.str("atomicvar_api", "c11-builtin")
	b.str("gcc_version", "0.0.0")
	b.int("process_id", int64(os.Getpid()))
	b.str("process_supervised", "no")
	b.str("run_id", a.runID)
	b.int("tcp_port", s.tcpPort())
	b.int("server_time_usec", now.UnixMicro())
	b.int("uptime_in_seconds", up)
	b.int("uptime_in_days", up/86400)
	b.int("hz", 10)
	b.int("configured_hz", 10)
	b.int("lru_clock", int64(s.lruClock()))
	b.str("executable", exe)
	b.str("config_file", "")
	b.int("io_threads_active", 0)
}

func (s *Server) infoClients(b *infoBuilder) {
	a := s.admin()
	b.int("connected_clients", int64(len(slices.DeleteFunc(s.Clients(), (*server.Conn).Killed))))
	b.int("cluster_connections", 0)
	b.int("maxclients", int64(s.cfg.MaxClients))
	b.int("client_recent_max_input_buffer", 0)
	b.int("client_recent_max_output_buffer", 0)
	b.int("blocked_clients", s.stats.blockedClients.Load()+int64(a.pause.waitingCount()))
	b.int("tracking_clients", 0)
	b.int("clients_in_timeout_table", int64(s.blockedWithTimeout(b.locked)))
}

// blockedWithTimeout counts the clients blocked on keys with a timeout.
func (s *Server) blockedWithTimeout(locked bool) int {
	seen := make(map[*waiter]struct{})
	s.eachWaiter(locked, func(wt *waiter) {
		if wt.timeout > 0 {
			seen[wt] = struct{}{}
		}
	})
	return len(seen)
}

// eachWaiter calls fn for every client blocked on keys, once per key it
// waits on, taking the locks unless locked says the keyspace is held.
func (s *Server) eachWaiter(locked bool, fn func(wt *waiter)) {
	if s.stats.blockedClients.Load() == 0 {
		return
	}
	if !locked {
		s.ks.mu.RLock()
		defer s.ks.mu.RUnlock()
	}
	for i := range s.ks.stripes {
		st := &s.ks.stripes[i]
		if !locked {
			st.mu.Lock()
		}
		for _, list := range st.blocked {
			for _, wt := range list {
				fn(wt)
			}
		}
		if !locked {
			st.mu.Unlock()
		}
	}
}

// databases returns the databases, taking the keyspace lock unless
// locked says it is held (SWAPDB exchanges them under it).
func (s *Server) databases(locked bool) []*DB {
	if !locked {
		s.ks.mu.RLock()
		defer s.ks.mu.RUnlock()
	}
	return slices.Clone(s.ks.dbs)
}

// memStats is the node's memory use, from the Go runtime: allocated is
// what live objects take (Redis's used_memory), active the heap spans in
// use, resident what the runtime holds from the OS, rss what the process
// has resident.
type memStats struct {
	allocated, active, resident, rss uint64
}

func readMemStats() memStats {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	get := func(i int) uint64 {
		if samples[i].Value.Kind() == metrics.KindUint64 {
			return samples[i].Value.Uint64()
		}
		return 0
	}
	m := memStats{allocated: get(0)}
	m.active = m.allocated + get(1)
	m.resident = get(2) - get(3)
	m.rss = processRSS()
	if m.rss == 0 {
		m.rss = m.resident
	}
	return m
}

// processRSS reads the resident set size from /proc; 0 where there is
// none.
func processRSS() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// totalSystemMemory reads MemTotal; 0 when unknown, as Redis reports.
func totalSystemMemory() uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				v, _ := strconv.ParseUint(f[0], 10, 64)
				return v * 1024
			}
		}
	}
	return 0
}

// bytesToHuman formats n as Redis's bytesToHuman does.
func bytesToHuman(n uint64) string {
	const k = 1024
	switch {
	case n < k:
		return strconv.FormatUint(n, 10) + "B"
	case n < k*k:
		return strconv.FormatFloat(float64(n)/k, 'f', 2, 64) + "K"
	case n < k*k*k:
		return strconv.FormatFloat(float64(n)/(k*k), 'f', 2, 64) + "M"
	case n < k*k*k*k:
		return strconv.FormatFloat(float64(n)/(k*k*k), 'f', 2, 64) + "G"
	case n < k*k*k*k*k:
		return strconv.FormatFloat(float64(n)/(k*k*k*k), 'f', 2, 64) + "T"
	case n < k*k*k*k*k*k:
		return strconv.FormatFloat(float64(n)/(k*k*k*k*k), 'f', 2, 64) + "P"
	}
	return strconv.FormatUint(n, 10) + "B"
}

// usedMemoryNow is used_memory: the estimate eviction works with.
func (s *Server) usedMemoryNow() uint64 {
	if s.mem == nil {
		return readMemStats().allocated
	}
	return uint64(max(s.usedMemory(), 0))
}

// memory reads the memory figures and keeps the peak.
func (s *Server) memory() (memStats, uint64) {
	a := s.admin()
	m := readMemStats()
	m.allocated = s.usedMemoryNow()
	for {
		p := a.peakMem.Load()
		if m.allocated <= p || a.peakMem.CompareAndSwap(p, m.allocated) {
			break
		}
	}
	return m, max(a.peakMem.Load(), m.allocated)
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (s *Server) infoMemory(b *infoBuilder) {
	a := s.admin()
	lim := s.memoryLimits()
	m, peak := s.memory()
	startup := min(a.startupMem, m.allocated)
	overhead := startup
	dataset := m.allocated - overhead
	net := m.allocated - startup
	b.int("used_memory", int64(m.allocated))
	b.str("used_memory_human", bytesToHuman(m.allocated))
	b.int("used_memory_rss", int64(m.rss))
	b.str("used_memory_rss_human", bytesToHuman(m.rss))
	b.int("used_memory_peak", int64(peak))
	b.str("used_memory_peak_human", bytesToHuman(peak))
	b.str("used_memory_peak_perc", strconv.FormatFloat(ratio(m.allocated, peak)*100, 'f', 2, 64)+"%")
	b.int("used_memory_overhead", int64(overhead))
	b.int("used_memory_startup", int64(startup))
	b.int("used_memory_dataset", int64(dataset))
	b.str("used_memory_dataset_perc", strconv.FormatFloat(ratio(dataset, net)*100, 'f', 2, 64)+"%")
	b.int("allocator_allocated", int64(m.allocated))
	b.int("allocator_active", int64(m.active))
	b.int("allocator_resident", int64(m.resident))
	sys := totalSystemMemory()
	b.int("total_system_memory", int64(sys))
	b.str("total_system_memory_human", bytesToHuman(sys))
	b.int("used_memory_lua", 0)
	b.int("used_memory_vm_eval", 0)
	b.str("used_memory_lua_human", "0B")
	b.int("used_memory_scripts_eval", 0)
	b.int("number_of_cached_scripts", 0)
	b.int("number_of_functions", 0)
	b.int("number_of_libraries", 0)
	b.int("used_memory_vm_functions", 0)
	b.int("used_memory_vm_total", 0)
	b.str("used_memory_vm_total_human", "0B")
	b.int("used_memory_functions", 0)
	b.int("used_memory_scripts", 0)
	b.str("used_memory_scripts_human", "0B")
	b.int("maxmemory", clampInt64(lim.maxmemory))
	b.str("maxmemory_human", bytesToHuman(lim.maxmemory))
	b.str("maxmemory_policy", lim.policy.String())
	b.fixed("allocator_frag_ratio", ratio(m.active, m.allocated), 2)
	b.int("allocator_frag_bytes", int64(m.active)-int64(m.allocated))
	b.fixed("allocator_rss_ratio", ratio(m.resident, m.active), 2)
	b.int("allocator_rss_bytes", int64(m.resident)-int64(m.active))
	b.fixed("rss_overhead_ratio", ratio(m.rss, m.resident), 2)
	b.int("rss_overhead_bytes", int64(m.rss)-int64(m.resident))
	b.fixed("mem_fragmentation_ratio", ratio(m.rss, m.allocated), 2)
	b.int("mem_fragmentation_bytes", int64(m.rss)-int64(m.allocated))
	b.int("mem_not_counted_for_evict", 0)
	b.int("mem_replication_backlog", 0)
	b.int("mem_total_replication_buffers", 0)
	b.int("mem_clients_slaves", 0)
	b.int("mem_clients_normal", 0)
	b.int("mem_cluster_links", 0)
	b.int("mem_aof_buffer", 0)
	b.str("mem_allocator", runtime.Version())
	b.int("active_defrag_running", 0)
	b.int("lazyfree_pending_objects", 0)
	b.int("lazyfreed_objects", 0)
}

func (s *Server) infoPersistence(b *infoBuilder) {
	aof := int64(0)
	if s.cfg.AppendOnly {
		aof = 1
	}
	b.int("loading", 0)
	b.int("async_loading", 0)
	b.int("current_cow_peak", 0)
	b.int("current_cow_size", 0)
	b.int("current_cow_size_age", 0)
	b.str("current_fork_perc", "0.00")
	b.int("current_save_keys_processed", 0)
	b.int("current_save_keys_total", 0)
	b.int("rdb_changes_since_last_save", s.stats.dirty.Load())
	b.int("rdb_bgsave_in_progress", 0)
	b.int("rdb_last_save_time", s.lastSave.Load())
	b.str("rdb_last_bgsave_status", "ok")
	b.int("rdb_last_bgsave_time_sec", -1)
	b.int("rdb_current_bgsave_time_sec", -1)
	b.int("rdb_saves", 0)
	b.int("rdb_last_cow_size", 0)
	b.int("rdb_last_load_keys_expired", 0)
	b.int("rdb_last_load_keys_loaded", 0)
	b.int("aof_enabled", aof)
	b.int("aof_rewrite_in_progress", 0)
	b.int("aof_rewrite_scheduled", 0)
	b.int("aof_last_rewrite_time_sec", -1)
	b.int("aof_current_rewrite_time_sec", -1)
	b.str("aof_last_bgrewrite_status", "ok")
	b.int("aof_rewrites", 0)
	b.int("aof_rewrites_consecutive_failures", 0)
	b.str("aof_last_write_status", "ok")
	b.int("aof_last_cow_size", 0)
	b.int("module_fork_in_progress", 0)
	b.int("module_fork_last_cow_size", 0)
}

// totalConnections is the number of connections accepted so far: client
// ids are handed out in order, so it is the highest id seen.
func (s *Server) totalConnections() int64 {
	hi := s.adm.maxID.Load()
	for _, c := range s.Clients() {
		hi = max(hi, c.ID)
	}
	return int64(hi)
}

func (s *Server) infoStats(b *infoBuilder) {
	a := s.admin()
	now := time.Now()
	s.ps.mu.Lock()
	channels, patterns, shard := len(s.ps.channels), len(s.ps.patterns), len(s.ps.shard)
	s.ps.mu.Unlock()
	b.int("total_connections_received", s.totalConnections())
	b.int("total_commands_processed", a.commands.Load())
	b.int("instantaneous_ops_per_sec", a.ops.perSecond(now, a.commands.Load()))
	b.int("total_net_input_bytes", a.inputBytes.Load())
	b.int("total_net_output_bytes", 0)
	b.int("total_net_repl_input_bytes", 0)
	b.int("total_net_repl_output_bytes", 0)
	b.str("instantaneous_input_kbps", "0.00")
	b.str("instantaneous_output_kbps", "0.00")
	b.str("instantaneous_input_repl_kbps", "0.00")
	b.str("instantaneous_output_repl_kbps", "0.00")
	b.int("rejected_connections", 0)
	b.int("sync_full", 0)
	b.int("sync_partial_ok", 0)
	b.int("sync_partial_err", 0)
	b.int("expired_keys", s.stats.expiredKeys.Load())
	b.str("expired_stale_perc", "0.00")
	b.int("expired_time_cap_reached_count", 0)
	b.int("expire_cycle_cpu_milliseconds", 0)
	b.int("evicted_keys", s.stats.evictedKeys.Load())
	b.int("evicted_clients", 0)
	b.int("total_eviction_exceeded_time", 0)
	b.int("current_eviction_exceeded_time", 0)
	b.int("keyspace_hits", s.stats.keyspaceHits.Load())
	b.int("keyspace_misses", s.stats.keyspaceMisses.Load())
	b.int("pubsub_channels", int64(channels))
	b.int("pubsub_patterns", int64(patterns))
	b.int("pubsubshard_channels", int64(shard))
	b.int("latest_fork_usec", 0)
	b.int("total_forks", 0)
	b.int("migrate_cached_sockets", 0)
	b.int("slave_expires_tracked_keys", 0)
	b.int("active_defrag_hits", 0)
	b.int("active_defrag_misses", 0)
	b.int("active_defrag_key_hits", 0)
	b.int("active_defrag_key_misses", 0)
	b.int("total_active_defrag_time", 0)
	b.int("current_active_defrag_time", 0)
	b.int("tracking_total_keys", 0)
	b.int("tracking_total_items", 0)
	b.int("tracking_total_prefixes", 0)
	b.int("unexpected_error_replies", 0)
	b.int("total_error_replies", a.errTotal.Load())
	b.int("dump_payload_sanitizations", 0)
	b.int("total_reads_processed", 0)
	b.int("total_writes_processed", 0)
	b.int("io_threaded_reads_processed", 0)
	b.int("io_threaded_writes_processed", 0)
	b.int("reply_buffer_shrinks", 0)
	b.int("reply_buffer_expands", 0)
}

func (s *Server) infoReplication(b *infoBuilder) {
	a := s.admin()
	a.replMu.Lock()
	replID := a.replID
	a.replMu.Unlock()
	b.str("role", "master")
	b.int("connected_slaves", 0)
	b.str("master_failover_state", "no-failover")
	b.str("master_replid", replID)
	b.str("master_replid2", strings.Repeat("0", 40))
	b.int("master_repl_offset", 0)
	b.int("second_repl_offset", -1)
	b.int("repl_backlog_active", 0)
	b.int("repl_backlog_size", 1048576)
	b.int("repl_backlog_first_byte_offset", 0)
	b.int("repl_backlog_histlen", 0)
}

func (s *Server) infoCPU(b *infoBuilder) {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	secs := func(t syscall.Timeval) string {
		return strconv.FormatInt(int64(t.Sec), 10) + "." + leftPad(strconv.FormatInt(int64(t.Usec), 10), 6)
	}
	b.str("used_cpu_sys", secs(self.Stime))
	b.str("used_cpu_user", secs(self.Utime))
	b.str("used_cpu_sys_children", secs(children.Stime))
	b.str("used_cpu_user_children", secs(children.Utime))
	// keyslot has no main thread; the process figures stand in for it.
	b.str("used_cpu_sys_main_thread", secs(self.Stime))
	b.str("used_cpu_user_main_thread", secs(self.Utime))
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// sortedStats returns the commands and subcommands with statistics, by
// name.
func (a *admin) sortedStats() []*router.Command {
	out := make([]*router.Command, 0, len(a.cmds))
	for rc := range a.cmds {
		out = append(out, rc)
	}
	slices.SortFunc(out, func(x, y *router.Command) int { return strings.Compare(x.Name, y.Name) })
	return out
}

func (s *Server) infoCommandStats(b *infoBuilder) {
	a := s.admin()
	for _, rc := range a.sortedStats() {
		st := a.cmds[rc]
		calls, usec, rej, failed := st.calls.Load(), st.usec.Load(), st.rejected.Load(), st.failed.Load()
		if calls == 0 && rej == 0 && failed == 0 {
			continue
		}
		per := 0.0
		if calls > 0 {
			per = float64(usec) / float64(calls)
		}
		b.b = append(b.b, "cmdstat_"...)
		b.b = append(b.b, rc.Name...)
		b.b = append(b.b, ":calls="...)
		b.b = strconv.AppendInt(b.b, calls, 10)
		b.b = append(b.b, ",usec="...)
		b.b = strconv.AppendInt(b.b, usec, 10)
		b.b = append(b.b, ",usec_per_call="...)
		b.b = strconv.AppendFloat(b.b, per, 'f', 2, 64)
		b.b = append(b.b, ",rejected_calls="...)
		b.b = strconv.AppendInt(b.b, rej, 10)
		b.b = append(b.b, ",failed_calls="...)
		b.b = strconv.AppendInt(b.b, failed, 10)
		b.b = append(b.b, '\r', '\n')
	}
}

func (s *Server) infoErrorStats(b *infoBuilder) {
	a := s.admin()
	a.errMu.Lock()
	codes := make([]string, 0, len(a.errors))
	for code := range a.errors {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		b.line("errorstat_" + code + ":count=" + strconv.FormatInt(a.errors[code], 10))
	}
	a.errMu.Unlock()
}

// formatPercentile writes a percentile as Redis's %f with trailing zeros
// trimmed (trimDoubleString): 50, 99, 99.9. INFO latencystats and CONFIG
// latency-tracking-info-percentiles both show percentiles so.
func formatPercentile(p float64) string {
	return trimDouble(strconv.FormatFloat(p, 'f', 6, 64))
}

func (s *Server) infoLatencyStats(b *infoBuilder) {
	a := s.admin()
	ps := s.adminConfig().latencyPercentiles
	for _, rc := range a.sortedStats() {
		h := a.cmds[rc].hist.Load()
		if h == nil || h.total.Load() == 0 {
			continue
		}
		b.b = append(b.b, "latency_percentiles_usec_"...)
		b.b = append(b.b, rc.Name...)
		b.b = append(b.b, ':')
		for i, p := range ps {
			if i > 0 {
				b.b = append(b.b, ',')
			}
			b.b = append(b.b, 'p')
			b.b = append(b.b, formatPercentile(p)...)
			b.b = append(b.b, '=')
			b.b = strconv.AppendFloat(b.b, float64(h.valueAtPercentile(p))/1000, 'f', 3, 64)
		}
		b.b = append(b.b, '\r', '\n')
	}
}

func (s *Server) infoCluster(b *infoBuilder) {
	enabled := int64(0)
	if s.cfg.ClusterEnabled {
		enabled = 1
	}
	b.int("cluster_enabled", enabled)
}

func (s *Server) infoKeyspace(b *infoBuilder) {
	for i, db := range s.databases(b.locked) {
		keys := db.keys.Load()
		if keys == 0 {
			continue
		}
		b.line("db" + strconv.Itoa(i) + ":keys=" + strconv.FormatInt(keys, 10) +
			",expires=" + strconv.FormatInt(db.volatile.Load(), 10) + ",avg_ttl=0")
	}
}

// --- MEMORY

// memSizer is implemented by values that can tell MEMORY USAGE how many
// bytes Redis would use for them: objectComputeSize, the object header
// and its payload, with collections estimated from samples elements (0
// means all of them). Values that do not implement it count as an object
// header alone.
type memSizer interface {
	memoryUsage(it *item, samples int) int64
}

// robjSize is sizeof(robj) and dictEntrySize sizeof(dictEntry) on a
// 64-bit build.
const (
	robjSize      = 16
	dictEntrySize = 24
)

// mallocSize is the size jemalloc (Redis's default allocator) hands out
// for a request of n bytes: its size classes are 8 and 16, then steps of
// 16 up to 128, then four classes per doubling.
func mallocSize(n int64) int64 {
	switch {
	case n <= 8:
		return 8
	case n <= 128:
		return (n + 15) &^ 15
	}
	shift := 63 - int64(bits.LeadingZeros64(uint64(n-1))) - 2
	step := int64(1) << shift
	return (n + step - 1) &^ (step - 1)
}

// sdsHeader is the size of the sds header Redis picks for a string of n
// bytes; keys, unlike values, may use the 1-byte type 5 below 32 bytes.
func sdsHeader(n int, allowType5 bool) int64 {
	switch {
	case n < 32 && allowType5:
		return 1
	case n < 1<<8:
		return 3
	case n < 1<<16:
		return 5
	case int64(n) < 1<<32:
		return 9
	}
	return 17
}

// sdsAllocSize is the allocation of an sds holding n bytes, exactly sized.
func sdsAllocSize(n int, allowType5 bool) int64 {
	return mallocSize(sdsHeader(n, allowType5) + int64(n) + 1)
}

// memoryUsage is objectComputeSize for a string in the encoding Redis
// would use.
func (v *strValue) memoryUsage(it *item, _ int) int64 {
	switch v.encoding(it) {
	case "int":
		return robjSize
	case "embstr":
		return mallocSize(robjSize + 3 + int64(len(v.b)) + 1)
	}
	return robjSize + sdsAllocSize(len(v.b), false)
}

// keyMemoryUsage is MEMORY USAGE of one key: its value, the key string and
// the dictionary entry.
func keyMemoryUsage(key string, it *item, samples int) int64 {
	n := int64(robjSize)
	if ms, ok := it.val.(memSizer); ok {
		n = ms.memoryUsage(it, samples)
	}
	return n + sdsAllocSize(len(key), true) + dictEntrySize
}

func cmdMemoryUsage(x *Ctx) {
	samples := 5
	for i := 3; i < len(x.Args); i++ {
		if cmdIs(x.Args[i], "samples") && i+1 < len(x.Args) {
			v, ok := x.intArg(x.Args[i+1])
			if !ok {
				return
			}
			if v < 0 {
				x.W.AppendError(errSyntax)
				return
			}
			samples = int(min(v, math.MaxInt32))
			i++
			continue
		}
		x.W.AppendError(errSyntax)
		return
	}
	e := x.db.find(x.Args[2])
	if e == nil {
		x.W.AppendNull()
		return
	}
	x.W.AppendInt(keyMemoryUsage(e.Key, &e.Value, samples))
}

// hashTableOverhead is what Redis's MEMORY STATS counts for a dictionary
// of n entries: the entries, their robj values (for the main table) and
// the bucket array, whose size is the next power of two (at least 4).
func hashTableOverhead(n int64, withObjects bool) int64 {
	if n == 0 {
		return 0
	}
	buckets := int64(4)
	for buckets < n {
		buckets *= 2
	}
	o := n*dictEntrySize + buckets*8
	if withObjects {
		o += n * robjSize
	}
	return o
}

func cmdMemoryStats(x *Ctx) {
	s := x.s
	a := s.admin()
	m, peak := s.memory()
	startup := min(a.startupMem, m.allocated)
	dbs := s.databases(x.exclusive)
	type dbOver struct {
		id         int
		main, exps int64
	}
	var over []dbOver
	var keys, overhead int64
	overhead = int64(startup)
	for i, db := range dbs {
		k, v := db.keys.Load(), db.volatile.Load()
		if k == 0 && v == 0 {
			continue
		}
		d := dbOver{id: i, main: hashTableOverhead(k, true), exps: hashTableOverhead(v, false)}
		over = append(over, d)
		keys += k
		overhead += d.main + d.exps
	}
	dataset := int64(m.allocated) - overhead
	net := int64(m.allocated) - int64(startup)
	w := x.W
	w.AppendMap(27 + len(over))
	pair := func(k string, v int64) {
		w.AppendBulkString(k)
		w.AppendInt(v)
	}
	// Redis computes the ratios in single precision.
	f32 := func(k string, v float64) {
		w.AppendBulkString(k)
		w.AppendDouble(float64(float32(v)))
	}
	pair("peak.allocated", int64(peak))
	pair("total.allocated", int64(m.allocated))
	pair("startup.allocated", int64(startup))
	pair("replication.backlog", 0)
	pair("clients.slaves", 0)
	pair("clients.normal", 0)
	pair("cluster.links", 0)
	pair("aof.buffer", 0)
	pair("lua.caches", 0)
	pair("functions.caches", 0)
	for _, d := range over {
		w.AppendBulkString("db." + strconv.Itoa(d.id))
		w.AppendMap(3)
		pair("overhead.hashtable.main", d.main)
		pair("overhead.hashtable.expires", d.exps)
		pair("overhead.hashtable.slot-to-keys", 0)
	}
	pair("overhead.total", overhead)
	pair("keys.count", keys)
	perKey := int64(0)
	if keys > 0 {
		perKey = net / keys
	}
	pair("keys.bytes-per-key", perKey)
	pair("dataset.bytes", dataset)
	dsPerc := 0.0
	if net > 0 {
		dsPerc = float64(dataset) * 100 / float64(net)
	}
	f32("dataset.percentage", dsPerc)
	f32("peak.percentage", ratio(m.allocated, peak)*100)
	pair("allocator.allocated", int64(m.allocated))
	pair("allocator.active", int64(m.active))
	pair("allocator.resident", int64(m.resident))
	f32("allocator-fragmentation.ratio", ratio(m.active, m.allocated))
	pair("allocator-fragmentation.bytes", int64(m.active)-int64(m.allocated))
	f32("allocator-rss.ratio", ratio(m.resident, m.active))
	pair("allocator-rss.bytes", int64(m.resident)-int64(m.active))
	f32("rss-overhead.ratio", ratio(m.rss, m.resident))
	pair("rss-overhead.bytes", int64(m.rss)-int64(m.resident))
	f32("fragmentation", ratio(m.rss, m.allocated))
	pair("fragmentation.bytes", int64(m.rss)-int64(m.allocated))
}

// The MEMORY DOCTOR texts, Redis 7.0's.
const (
	doctorEmpty    = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
	doctorNoIssues = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
)

func cmdMemoryDoctor(x *Ctx) {
	m, peak := x.s.memory()
	var report string
	switch {
	case m.allocated < 5<<20:
		report = doctorEmpty
	default:
		var issues []string
		if float64(peak)/float64(m.allocated) > 1.5 {
			issues = append(issues, " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n")
		}
		if m.active > 10<<20 && ratio(m.active, m.allocated) > 1.1 {
			issues = append(issues, " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n")
		}
		if len(issues) == 0 {
			report = doctorNoIssues
		} else {
			report = "Sam, I detected a few issues in this Redis instance memory implants:\n\n" +
				strings.Join(issues, "") +
				"I'm here to keep you safe, Sam. I want to help you.\n"
		}
	}
	x.W.AppendVerbatim("txt", []byte(report))
}

func cmdMallocStats(x *Ctx) {
	x.W.AppendVerbatim("txt", []byte("Stats not supported for the current allocator"))
}

func cmdMemoryPurge(x *Ctx) {
	debug.FreeOSMemory()
	x.W.AppendSimple("OK")
}

func cmdMemoryHelp(x *Ctx) {
	appendHelp(x.W, "MEMORY", []string{
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	})
}

// --- SHUTDOWN

// ShutdownRequested returns a channel that is closed when a client runs
// SHUTDOWN. The node has then already begun stopping; the program that
// runs it should end, as redis-server exits.
func (s *Server) ShutdownRequested() <-chan struct{} { return s.admin().shutCh }

func cmdShutdown(x *Ctx) {
	var nosave, save, abort, force bool
	for _, arg := range x.Args[1:] {
		switch {
		case cmdIs(arg, "nosave"):
			nosave = true
		case cmdIs(arg, "save"):
			save = true
		case cmdIs(arg, "now"):
		case cmdIs(arg, "force"):
			force = true
		case cmdIs(arg, "abort"):
			abort = true
		default:
			x.W.AppendError(errSyntax)
			return
		}
	}
	if (abort && len(x.Args) != 2) || (nosave && save) {
		x.W.AppendError(errSyntax)
		return
	}
	if abort {
		// keyslot never waits for replicas, so no shutdown is ever pending.
		x.W.AppendError("ERR No shutdown in progress.")
		return
	}
	if save && !force {
		// There is no RDB writer yet: a save that cannot happen fails the
		// shutdown, as a failed save does in Redis.
		x.s.lg.Warn("SHUTDOWN SAVE: saving is not implemented; use NOSAVE or FORCE")
		x.W.AppendError("ERR Errors trying to SHUTDOWN. Check logs.")
		return
	}
	x.s.lg.Info("SHUTDOWN requested by a client", zap.Uint64("client_id", x.c.ID))
	x.s.requestShutdown()
	// Redis exits without answering; the connection closes with the node.
	x.c.CloseAfterReply()
}

// requestShutdown stops the node in the background, once, and tells the
// program through ShutdownRequested.
func (s *Server) requestShutdown() {
	a := s.admin()
	a.shutOnce.Do(func() {
		close(a.shutCh)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
			defer cancel()
			if err := s.Shutdown(ctx); err != nil {
				s.lg.Warn("shutdown requested by SHUTDOWN did not complete", zap.Error(err))
			}
		}()
	})
}

// localAddr reports whether c comes from the loopback interface, for
// enable-debug-command local.
func localAddr(c *server.Conn) bool {
	host := c.RemoteAddr().String()
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	host = strings.Trim(host, "[]")
	return strings.HasPrefix(host, "127.") || host == "::1"
}

// debugAllowed applies enable-debug-command to c.
func (s *Server) debugAllowed(c *server.Conn) bool {
	switch s.adminConfig().enableDebugCommand {
	case "yes":
		return true
	case "local":
		return localAddr(c)
	}
	return false
}

// activeExpireEnabled reports whether the active expire cycle runs (DEBUG
// SET-ACTIVE-EXPIRE).
func (s *Server) activeExpireEnabled() bool { return !s.adm.noActiveEx.Load() }
