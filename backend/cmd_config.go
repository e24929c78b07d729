package backend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.yaml.in/yaml/v3"

	"github.com/keyslot/keyslot/internal/server"
	"github.com/keyslot/keyslot/router"
)

// paramState is a node's live parameter table. Values are read through an
// immutable paramView swapped whole by CONFIG SET, so readers (every AUTH,
// every keyspace event, every encoding decision) never take a lock.
type paramState struct {
	mu   sync.Mutex // held by CONFIG SET and CONFIG REWRITE: one change at a time
	view atomic.Pointer[paramView]
	file string // CONFIG REWRITE's target; "" when started without one
}

// paramView is one consistent set of parameter values, never changed once
// published: vals in canonical form, indexed like paramDefs, and the
// values the node acts on, parsed once.
type paramView struct {
	vals            []string
	requirePass     string
	notify          uint16
	enc             encodingLimits
	mem             memoryLimits
	protoMaxBulkLen int64
	idleTimeout     time.Duration
	maxClients      int
	pushLimit       server.OutputLimit
	busyReply       time.Duration
}

// encodingLimits are the sizes past which Redis leaves its compact
// encodings (listpack, intset, sparse HLL). Type code converts at the same
// points so that OBJECT ENCODING and encoding-dependent orders match.
type encodingLimits struct {
	hashMaxListpackEntries int // hash-max-listpack-entries
	hashMaxListpackValue   int // hash-max-listpack-value (bytes)
	setMaxIntsetEntries    int // set-max-intset-entries
	zsetMaxListpackEntries int // zset-max-listpack-entries
	zsetMaxListpackValue   int // zset-max-listpack-value (bytes)
	// listMaxListpackSize is list-max-listpack-size: positive, entries per
	// quicklist node; -1 to -5, 4 KB to 64 KB per node.
	listMaxListpackSize int
	hllSparseMaxBytes   int // hll-sparse-max-bytes
}

// memoryLimits are the maxmemory parameters. Eviction reads them here.
type memoryLimits struct {
	maxmemory    uint64 // bytes; 0 is no limit
	policy       evictionPolicy
	samples      int // maxmemory-samples
	tenacity     int // maxmemory-eviction-tenacity
	lfuLogFactor int // lfu-log-factor
	lfuDecayTime int // lfu-decay-time, minutes
}

// newView parses the values the node acts on out of canonical vals.
func newView(vals []string) *paramView {
	get := func(name string) string { return vals[paramIndex(name)] }
	num := func(name string) int64 {
		v, _ := strconv.ParseInt(get(name), 10, 64)
		return v
	}
	maxmem, _ := strconv.ParseUint(get("maxmemory"), 10, 64)
	notify, _ := parseNotifyFlags(get("notify-keyspace-events"))
	pol := &paramDefs[paramIndex("maxmemory-policy")]
	pubsub := outputLimits(get("client-output-buffer-limit"))[2]
	return &paramView{
		vals:        vals,
		requirePass: get("requirepass"),
		notify:      notify,
		enc: encodingLimits{
			hashMaxListpackEntries: int(num("hash-max-listpack-entries")),
			hashMaxListpackValue:   int(num("hash-max-listpack-value")),
			setMaxIntsetEntries:    int(num("set-max-intset-entries")),
			zsetMaxListpackEntries: int(num("zset-max-listpack-entries")),
			zsetMaxListpackValue:   int(num("zset-max-listpack-value")),
			listMaxListpackSize:    int(num("list-max-listpack-size")),
			hllSparseMaxBytes:      int(num("hll-sparse-max-bytes")),
		},
		mem: memoryLimits{
			maxmemory:    maxmem,
			policy:       evictionPolicy(pol.enumValue(get("maxmemory-policy"))),
			samples:      int(num("maxmemory-samples")),
			tenacity:     int(num("maxmemory-eviction-tenacity")),
			lfuLogFactor: int(num("lfu-log-factor")),
			lfuDecayTime: int(num("lfu-decay-time")),
		},
		protoMaxBulkLen: num("proto-max-bulk-len"),
		idleTimeout:     time.Duration(num("timeout")) * time.Second,
		maxClients:      int(num("maxclients")),
		pushLimit: server.OutputLimit{
			Hard: clampInt64(pubsub.hard), Soft: clampInt64(pubsub.soft),
			SoftSeconds: int64(pubsub.softSeconds),
		},
		busyReply: time.Duration(num("busy-reply-threshold")) * time.Millisecond,
	}
}

func clampInt64(u uint64) int64 { return int64(min(u, 1<<63-1)) }

// configCommands sets up the node's parameter table from its Config (New
// has validated it) and returns the CONFIG commands.
func (s *Server) configCommands() commandSet {
	vals, err := s.cfg.initialParams()
	if err != nil {
		panic(fmt.Sprintf("backend: config passed Validate but not initialParams: %v", err))
	}
	ps := &paramState{file: s.cfg.ConfigFile}
	v := newView(vals)
	ps.view.Store(v)
	s.cfg.params = ps
	s.notifyFlags.Store(uint32(v.notify))
	return commandSet{
		"config|get":       {fn: cmdConfigGet, lock: lockNone},
		"config|set":       {fn: cmdConfigSet, lock: lockNone},
		"config|resetstat": {fn: cmdConfigResetStat, lock: lockNone},
		"config|rewrite":   {fn: cmdConfigRewrite, lock: lockNone},
		"config|help":      {fn: cmdConfigHelp, lock: lockNone},
	}
}

// paramView returns the parameters in force: Redis's defaults for a
// Server that New did not build.
func (s *Server) paramView() *paramView {
	if ps := s.cfg.params; ps != nil {
		return ps.view.Load()
	}
	vals, _ := DefaultConfig().initialParams()
	return newView(vals)
}

// encodingLimits returns the encoding thresholds in force, lock-free.
func (s *Server) encodingLimits() encodingLimits { return s.paramView().enc }

// memoryLimits returns maxmemory, maxmemory-policy and the eviction
// tuning parameters in force, lock-free.
func (s *Server) memoryLimits() memoryLimits { return s.paramView().mem }

// maxmemoryPolicy returns the maxmemory-policy in force.
func (s *Server) maxmemoryPolicy() evictionPolicy { return s.paramView().mem.policy }

// requirePass returns the requirepass in force ("" when none); the
// connection layer calls it for every authentication check.
func (s *Server) requirePass() string { return s.paramView().requirePass }

// protoMaxBulkLen returns proto-max-bulk-len, which also bounds how long
// a string value may grow (SETRANGE, APPEND).
func (s *Server) protoMaxBulkLen() int64 { return s.paramView().protoMaxBulkLen }

// idleTimeout returns the timeout parameter. The connection layer reads
// its own start-up copy: a change applies from the next start.
func (s *Server) idleTimeout() time.Duration { return s.paramView().idleTimeout }

// maxClients returns the maxclients parameter. The connection layer reads
// its own start-up copy: a change applies from the next start.
func (s *Server) maxClients() int { return s.paramView().maxClients }

// pushLimit returns the pubsub class of client-output-buffer-limit as the
// connection layer takes it. It reads it once, at New.
func (s *Server) pushLimit() server.OutputLimit { return s.paramView().pushLimit }

// busyReplyThreshold returns busy-reply-threshold (lua-time-limit).
func (s *Server) busyReplyThreshold() time.Duration { return s.paramView().busyReply }

// dataDir returns the dir parameter: where data files go. CONFIG SET dir
// changes it, so code must not keep cfg.Dir.
func (s *Server) dataDir() string { return s.paramView().vals[paramIndex("dir")] }

// paramValue returns a parameter's value as CONFIG GET shows it; name is
// a primary name.
func (s *Server) paramValue(name string) string {
	return s.shownValue(s.paramView(), paramIndex(name))
}

// shownValue is what CONFIG GET shows for parameter i. port 0 means "any
// free port" to keyslot, so it shows the port the node listens on.
func (s *Server) shownValue(v *paramView, i int) string {
	if paramDefs[i].name == "port" && v.vals[i] == "0" && s.Server != nil {
		if a, ok := s.Addr().(*net.TCPAddr); ok {
			return strconv.Itoa(a.Port)
		}
	}
	return v.vals[i]
}

// cmdConfigGet answers CONFIG GET pattern [pattern ...]. A name without
// glob characters is looked up exactly (hidden parameters too) and
// answered under the spelling asked; a pattern matches every listed name,
// aliases included, ignoring case. Each parameter name appears once.
func cmdConfigGet(x *Ctx) {
	v := x.s.paramView()
	type match struct {
		key string
		def int
	}
	var out []match
	seen := make(map[string]bool)
	for _, arg := range x.Args[2:] {
		pat := cstr(arg)
		if !strings.ContainsAny(pat, "[*?") {
			low := asciiLower(string(arg))
			if seen[low] {
				continue
			}
			if ent, ok := lookupParam(arg); ok {
				seen[low] = true
				out = append(out, match{string(arg), ent.def})
			}
			continue
		}
		for _, ent := range paramEntries {
			if paramDefs[ent.def].flags&pHidden != 0 || seen[ent.name] {
				continue
			}
			if router.GlobMatch([]byte(pat), []byte(ent.name), true) {
				seen[ent.name] = true
				out = append(out, match{ent.name, ent.def})
			}
		}
	}
	x.W.AppendMap(len(out))
	for _, m := range out {
		x.W.AppendBulkString(m.key)
		x.W.AppendBulkString(x.s.shownValue(v, m.def))
	}
}

// configSetFailed replies CONFIG SET's error for parameter name.
func configSetFailed(x *Ctx, name, reason string) {
	x.W.AppendError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason)
}

// cmdConfigSet answers CONFIG SET parameter value [parameter value ...].
// It is all or nothing, checked in Redis's order: every name first
// (unknown, immutable, protected, named twice), then every value, then
// the changes keyslot cannot make while running; the first problem found
// is the one reported.
func cmdConfigSet(x *Ctx) {
	if len(x.Args)%2 != 0 {
		x.W.AppendError(errSyntax)
		return
	}
	s := x.s
	ps := s.cfg.params
	type change struct {
		ent   paramEntry
		value []byte
	}
	changes := make([]change, 0, (len(x.Args)-2)/2)
	for i := 2; i < len(x.Args); i += 2 {
		name := x.Args[i]
		ent, ok := lookupParam(name)
		if !ok {
			x.W.AppendError("ERR Unknown option or number of arguments for CONFIG SET - '" + cstr(name) + "'")
			return
		}
		d := &paramDefs[ent.def]
		switch {
		case d.flags&pImmutable != 0:
			configSetFailed(x, cstr(name), "can't set immutable config")
			return
		case d.flags&pProtected != 0 && !s.protectedAllowed(x):
			configSetFailed(x, cstr(name), "can't set protected config")
			return
		}
		for _, c := range changes {
			if c.ent.name == ent.name {
				configSetFailed(x, cstr(name), "duplicate parameter")
				return
			}
		}
		changes = append(changes, change{ent, x.Args[i+1]})
	}

	ps.mu.Lock()
	defer ps.mu.Unlock()
	old := ps.view.Load()
	vals := slices.Clone(old.vals)
	for _, c := range changes {
		i := c.ent.def
		d := &paramDefs[i]
		var v, msg string
		if d.name == "dir" {
			v, msg = changeDir(cstr(c.value), vals[i])
		} else {
			v, msg = d.parse(d.splitArgs(c.value), vals[i])
		}
		if msg != "" {
			configSetFailed(x, c.ent.name, msg)
			return
		}
		vals[i] = v
	}
	for _, c := range changes {
		adjustApplied(vals, c.ent.def)
	}
	for _, c := range changes {
		i := c.ent.def
		if msg := s.applyParam(i, s.shownValue(old, i), vals[i]); msg != "" {
			configSetFailed(x, c.ent.name, msg)
			return
		}
	}
	v := newView(vals)
	ps.view.Store(v)
	s.notifyFlags.Store(uint32(v.notify))
	x.W.AppendSimple("OK")
}

// adjustApplied makes the corrections Redis's apply step makes to a value
// CONFIG SET has just set: the replication backlog is at least 16kb, and
// a watchdog period at least two server cycles.
func adjustApplied(vals []string, i int) {
	switch paramDefs[i].name {
	case "repl-backlog-size":
		if n, _ := strconv.ParseInt(vals[i], 10, 64); n < 16*kb {
			vals[i] = strconv.Itoa(16 * kb)
		}
	case "watchdog-period":
		hz, _ := strconv.ParseInt(vals[paramIndex("hz")], 10, 64)
		n, _ := strconv.ParseInt(vals[i], 10, 64)
		if minPeriod := (1000 / hz) * 2; n != 0 && n < minPeriod {
			vals[i] = strconv.FormatInt(minPeriod, 10)
		}
	}
}

// applyParam refuses the changes a running node cannot make, with the
// reason Redis gives when it fails to make them. Redis can move to
// another port or address and start AOF or TLS while running; keyslot
// cannot yet, and says so in its log rather than pretend.
func (s *Server) applyParam(i int, old, v string) string {
	if old == v {
		return ""
	}
	name := paramDefs[i].name
	var msg, why string
	switch {
	case name == "port":
		msg, why = "Unable to listen on this port. Check server logs.", "a running node cannot move to another port; restart it with the new port"
	case name == "bind":
		msg, why = "Failed to bind to specified addresses.", "a running node cannot move to other addresses; restart it with the new bind"
	case name == "appendonly" && v == "yes":
		msg, why = "Unable to turn on AOF. Check server logs.", "the append-only file is not implemented yet"
	case (name == "tls-port" && v != "0") || ((name == "tls-cluster" || name == "tls-replication") && v == "yes"):
		msg, why = "Unable to update TLS configuration. Check server logs.", "TLS is not implemented yet"
	default:
		return ""
	}
	if s.lg != nil {
		s.lg.Warn("CONFIG SET refused", zap.String("parameter", name), zap.String("value", v), zap.String("reason", why))
	}
	return msg
}

// protectedAllowed reports whether the client may change protected
// parameters (dir, dbfilename): enable-protected-configs yes, or local
// and the client on the loopback address, as Redis's islocalClient has it.
func (s *Server) protectedAllowed(x *Ctx) bool {
	switch s.paramValue("enable-protected-configs") {
	case "yes":
		return true
	case "local":
		if a, ok := x.c.RemoteAddr().(*net.TCPAddr); ok {
			ip := a.IP.String()
			return ip == "127.0.0.1" || ip == "::1"
		}
	}
	return false
}

// changeDir checks that dir, relative to the current directory cur, is a
// directory the node can use, and returns its absolute path; the reason
// is what Redis's chdir would report (strerror).
func changeDir(dir, cur string) (string, string) {
	p := dir
	if p != "" && !filepath.IsAbs(p) {
		p = filepath.Join(cur, p)
	}
	fi, err := os.Stat(p)
	if p == "" {
		err = syscall.ENOENT
	}
	if err != nil {
		return "", errnoText(err)
	}
	if !fi.IsDir() {
		return "", errnoText(syscall.ENOTDIR)
	}
	return absDir(p), ""
}

// errnoText words err as C's strerror does ("No such file or directory"):
// Go spells errno texts alike but in lower case.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		m := errno.Error()
		if m != "" {
			return strings.ToUpper(m[:1]) + m[1:]
		}
	}
	return err.Error()
}

// cmdConfigResetStat answers CONFIG RESETSTAT: the counters INFO stats
// reports, and the command and error statistics, start again from zero
// (not dirty, nor the blocked clients gauge).
func cmdConfigResetStat(x *Ctx) {
	x.s.resetStats()
	st := &x.s.stats
	st.keyspaceHits.Store(0)
	st.keyspaceMisses.Store(0)
	st.expiredKeys.Store(0)
	st.evictedKeys.Store(0)
	x.W.AppendSimple("OK")
}

func cmdConfigHelp(x *Ctx) {
	appendHelp(x.W, "CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
}

// cmdConfigRewrite answers CONFIG REWRITE: the YAML file the node started
// from gets the values in force.
func cmdConfigRewrite(x *Ctx) {
	ps := x.s.cfg.params
	if ps.file == "" {
		x.W.AppendError("ERR The server is running without a config file")
		return
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	defaults, _ := DefaultConfig().initialParams()
	err := rewriteConfig(ps.file, ps.view.Load().vals, defaults)
	if err != nil {
		if x.s.lg != nil {
			x.s.lg.Warn("CONFIG REWRITE failed", zap.String("file", ps.file), zap.Error(err))
		}
		x.W.AppendError("ERR Rewriting config file: " + errnoText(err))
		return
	}
	if x.s.lg != nil {
		x.s.lg.Info("CONFIG REWRITE executed with success", zap.String("file", ps.file))
	}
	x.W.AppendSimple("OK")
}

// rewriteSignature marks where CONFIG REWRITE started adding keys, as
// Redis marks redis.conf.
const rewriteSignature = "# Generated by CONFIG REWRITE"

// maxConfigFile bounds the file CONFIG REWRITE reads, as cmd/keyslot
// bounds it at start-up.
const maxConfigFile = 1 << 20

// errConfigTooLarge and errNotMapping refuse files CONFIG REWRITE cannot
// have been started from.
var (
	errConfigTooLarge = errors.New("config file larger than 1 MB")
	errNotMapping     = errors.New("config file is not a YAML mapping")
)

// rewriteConfig rewrites the YAML file at path so that it holds vals (the
// values in force, canonical, indexed like paramDefs). As Redis does with
// redis.conf, it keeps the file's comments, order and other keys, changes
// only the lines of parameters whose value differs from what the file
// says, and appends the parameters that differ from their defaults and
// are not in the file yet. The new file replaces the old one atomically.
func rewriteConfig(path string, vals, defaults []string) error {
	old, mode, err := readConfigFile(path)
	if err != nil {
		return err
	}
	content, err := rewriteYAML(old, vals, defaults)
	if err != nil {
		return err
	}
	if bytes.Equal(content, old) {
		return nil
	}
	return writeFileAtomic(path, content, mode)
}

// readConfigFile reads at most maxConfigFile bytes of path, and its mode;
// a file that does not exist reads as empty, as Redis treats it.
func readConfigFile(path string) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0o644, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, 0, err
	}
	if len(b) > maxConfigFile {
		return nil, 0, errConfigTooLarge
	}
	return b, fi.Mode().Perm(), nil
}

// rewriteYAML returns old with vals written in; see rewriteConfig.
func rewriteYAML(old []byte, vals, defaults []string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(old, &doc); err != nil {
		return nil, err
	}
	var pairs []*yaml.Node
	if len(doc.Content) > 0 {
		m := doc.Content[0]
		if m.Kind != yaml.MappingNode {
			return nil, errNotMapping
		}
		pairs = m.Content
	}
	var lines []string
	if len(old) > 0 {
		lines = strings.Split(strings.TrimSuffix(string(old), "\n"), "\n")
	}

	type edit struct {
		from, to int // lines replaced, inclusive
		text     []string
	}
	var edits []edit
	inFile := make([]bool, len(paramDefs))
	for k := 0; k+1 < len(pairs); k += 2 {
		key, val := pairs[k], pairs[k+1]
		ent, ok := lookupParam([]byte(key.Value))
		if !ok {
			continue
		}
		i := ent.def
		inFile[i] = true
		if fileHolds(&paramDefs[i], val, vals[i]) {
			continue
		}
		from := key.Line - 1
		to := from
		text := renderParam(key.Value, i, vals[i])
		if oneLine(lines[from], key.Value, val) {
			if val.LineComment != "" && len(text) == 1 {
				text[0] += " " + val.LineComment
			}
		} else {
			// The value runs on over later lines: up to the next key,
			// less the blank and comment lines above that key.
			to = len(lines) - 1
			if k+2 < len(pairs) {
				to = pairs[k+2].Line - 2
			}
			for to > from && (strings.TrimSpace(lines[to]) == "" || strings.HasPrefix(strings.TrimSpace(lines[to]), "#")) {
				to--
			}
		}
		edits = append(edits, edit{from, to, text})
	}

	var out []string
	next := 0
	for _, e := range edits {
		out = append(out, lines[next:e.from]...)
		out = append(out, e.text...)
		next = e.to + 1
	}
	out = append(out, lines[next:]...)

	signed := slices.Contains(lines, rewriteSignature)
	for i := range paramDefs {
		if inFile[i] || vals[i] == defaults[i] {
			continue
		}
		if !signed {
			out = append(out, rewriteSignature)
			signed = true
		}
		out = append(out, renderParam(paramDefs[i].name, i, vals[i])...)
	}
	if len(out) == 0 {
		return nil, nil
	}
	content := []byte(strings.Join(out, "\n") + "\n")
	var check map[string]any
	if err := yaml.Unmarshal(content, &check); err != nil {
		return nil, fmt.Errorf("rewritten config file does not parse: %w", err)
	}
	return content, nil
}

// oneLine reports whether the pair key: val is all on line, so that
// replacing the line replaces the pair.
func oneLine(line, key string, val *yaml.Node) bool {
	if val.Kind != yaml.ScalarNode || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return false
	}
	var m map[string]yaml.Node
	if err := yaml.Unmarshal([]byte(line), &m); err != nil {
		return false
	}
	got, ok := m[key]
	return ok && got.Kind == yaml.ScalarNode && got.Value == val.Value
}

// fileHolds reports whether the file's value val for d already means v,
// so that its line (and its spelling: 512mb, 10s, true) is left alone.
func fileHolds(d *paramDef, val *yaml.Node, v string) bool {
	if val.Kind != yaml.ScalarNode {
		return false
	}
	raw := val.Value
	if d.name == "shutdown-timeout" {
		if dur, err := time.ParseDuration(raw); err == nil {
			return strconv.FormatInt(int64(dur/time.Second), 10) == v
		}
	}
	got, msg := startValue(d, raw, v)
	return msg == "" && got == v
}

// renderParam writes key: v as YAML lines that cmd/keyslot reads back as
// v: sizes with Redis's units (1gb), numbers and yes / no plain, anything
// else as a YAML string.
func renderParam(key string, i int, v string) []string {
	d := &paramDefs[i]
	plain := ""
	switch {
	case d.kind == kindBool:
		plain = v
	case d.kind == kindNumeric && d.num&numMemory != 0 && !strings.HasSuffix(v, "%"):
		n, _ := strconv.ParseUint(v, 10, 64)
		plain = formatMemory(n)
	case d.kind == kindNumeric && d.num&numOctal == 0:
		plain = v
	}
	if d.name == "client-output-buffer-limit" {
		v = outputLimitsChanged(v)
	}
	if plain != "" {
		return []string{key + ": " + plain}
	}
	b, err := yaml.Marshal(map[string]string{key: v})
	if err != nil {
		// A map of one string cannot fail to marshal.
		panic(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// outputLimitsChanged writes only the classes of client-output-buffer-limit
// that differ from Redis's defaults, with units, as Redis rewrites them
// ("pubsub 64mb 16mb 60"); the others go back to their defaults when the
// value is read.
func outputLimitsChanged(v string) string {
	cur, def := outputLimits(v), outputLimits(defaultCOBL)
	var parts []string
	for c := range cur {
		if cur[c] == def[c] {
			continue
		}
		name := outputClasses[c]
		if name == "slave" {
			name = "replica"
		}
		parts = append(parts, name, formatMemory(cur[c].hard), formatMemory(cur[c].soft),
			strconv.Itoa(int(cur[c].softSeconds)))
	}
	return strings.Join(parts, " ")
}

// formatMemory spells n with the largest unit that divides it, as Redis's
// rewriteConfigFormatMemory does: 1gb, 512mb, 64kb, or plain bytes.
func formatMemory(n uint64) string {
	switch {
	case n == 0:
		return "0"
	case n%(1<<30) == 0:
		return strconv.FormatUint(n>>30, 10) + "gb"
	case n%(1<<20) == 0:
		return strconv.FormatUint(n>>20, 10) + "mb"
	case n%(1<<10) == 0:
		return strconv.FormatUint(n>>10, 10) + "kb"
	}
	return strconv.FormatUint(n, 10)
}

// writeFileAtomic replaces path with content: a temporary file in the same
// directory, synced, then renamed over it.
func writeFileAtomic(path string, content []byte, mode fs.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(content); err != nil {
		f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
