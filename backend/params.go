package backend

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// The redis.conf parameter table: every parameter Redis 7.0.15 answers to
// in CONFIG GET / SET, with its alias, type, bounds, default and flags, as
// src/config.c declares them (TLS included, as in a TLS build). Values are
// kept as the text CONFIG GET shows (the canonical form); parse turns
// CONFIG SET arguments into it and refuses what Redis refuses, with
// Redis's reason.

// paramFlag says how a parameter may be changed and listed.
type paramFlag uint8

const (
	// pImmutable: set at start-up only ("can't set immutable config").
	pImmutable paramFlag = 1 << iota
	// pProtected: CONFIG SET needs enable-protected-configs yes (or
	// local, from a loopback client).
	pProtected
	// pSensitive: the value is a secret (kept out of logs).
	pSensitive
	// pHidden: only an exact name finds it in CONFIG GET, not a pattern.
	pHidden
	// pMultiArg: CONFIG SET splits the value on single spaces.
	pMultiArg
)

// paramKind is how a parameter's value is parsed and shown.
type paramKind uint8

const (
	kindBool    paramKind = iota // yes / no
	kindString                   // C string: ends at a NUL byte
	kindSDS                      // binary-safe string (requirepass, masterauth)
	kindEnum                     // one name of a fixed list (or several, for bit flags)
	kindNumeric                  // integer with bounds, maybe memory / percent / octal
	kindSpecial                  // its own syntax (save, bind, dir, ...)
)

// numFlag is how a numeric parameter's text is read (Redis's
// MEMORY_CONFIG, PERCENT_CONFIG, OCTAL_CONFIG).
type numFlag uint8

const (
	numMemory  numFlag = 1 << iota // 1gb, 100mb, 1k ...
	numPercent                     // 10%: stored negative
	numOctal                       // 0777
)

// enumItem is one accepted name of an enum parameter and its value.
type enumItem struct {
	name string
	val  int
}

// paramDef declares one parameter.
type paramDef struct {
	name  string
	alias string // "" when none
	flags paramFlag
	kind  paramKind
	def   string // Redis 7.0.15's default, in canonical form

	// Numeric bounds. With unsigned set they compare as uint64 (C's size_t,
	// unsigned int, unsigned long long); hi -1 then means 2^64-1.
	lo, hi   int64
	unsigned bool
	num      numFlag

	enum     []enumItem
	bitflags bool // the enum takes several names, OR-ed (shutdown-on-sigint)

	// check refuses a parsed canonical value with a reason (Redis's
	// is_valid_fn), or returns "".
	check func(v string) string
	// special parses kindSpecial arguments, given the current value.
	special func(args []string, cur string) (string, string)
}

// Redis's reasons, word for word.
const (
	msgYesNo        = "argument must be 'yes' or 'no'"
	msgMemory       = "argument must be a memory value"
	msgMemOrPercent = "argument must be a memory or percent value"
	msgOctal        = "argument couldn't be parsed as an octal number"
	msgInteger      = "argument couldn't be parsed into an integer"
	msgWrongArgs    = "wrong number of arguments"
	msgSave         = "Invalid save parameters"
	msgNotify       = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
	msgBindMany     = "Too many bind addresses specified."
	msgCOBArgs      = "Wrong number of arguments in buffer limit configuration."
	msgCOBClass     = "Invalid client class specified in buffer limit configuration."
	msgCOBValue     = "Error in hard, soft or soft_seconds setting in buffer limit configuration."
	msgOOMValues    = "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
	msgPercentiles  = "Invalid latency-tracking-info-percentiles parameters"
	msgPercentRange = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
	msgMasterPort   = "Invalid master port"
	msgDefrag       = "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
	msgShutdownBoth = "shutdown options SAVE and NOSAVE can't be used simultaneously"
	msgProcTitle    = "template format is invalid or contains unknown variables"
	msgHostChars    = "Hostnames may only contain alphanumeric characters, hyphens or dots"
	msgHostLen      = "Hostnames must be less than 256 characters"
)

// C limits the numeric bounds are written with.
const (
	intMax   = math.MaxInt32
	intMin   = math.MinInt32
	uintMax  = math.MaxUint32
	longMax  = math.MaxInt64
	ullMax   = -1 // as uint64: 2^64-1
	kb       = 1024
	mbytes   = 1024 * 1024
	maxBinds = 16 // CONFIG_BINDADDR_MAX
)

// Default values shared by several definitions.
const (
	defaultSave    = "3600 1 300 100 60 10000"
	defaultCOBL    = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
	defaultBind    = "* -::*"
	defaultProcTpl = "{title} {listen-addr} {server-mode}"
)

var (
	enumMaxmemoryPolicy = []enumItem{
		{"volatile-lru", int(evictVolatileLRU)}, {"volatile-lfu", int(evictVolatileLFU)},
		{"volatile-random", int(evictVolatileRandom)}, {"volatile-ttl", int(evictVolatileTTL)},
		{"allkeys-lru", int(evictAllKeysLRU)}, {"allkeys-lfu", int(evictAllKeysLFU)},
		{"allkeys-random", int(evictAllKeysRandom)}, {"noeviction", int(evictNoEviction)},
	}
	enumSyslogFacility = []enumItem{{"user", 0}, {"local0", 1}, {"local1", 2}, {"local2", 3},
		{"local3", 4}, {"local4", 5}, {"local5", 6}, {"local6", 7}, {"local7", 8}}
	enumLoglevel       = []enumItem{{"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}}
	enumSupervised     = []enumItem{{"upstart", 0}, {"systemd", 1}, {"auto", 2}, {"no", 3}}
	enumAppendfsync    = []enumItem{{"everysec", 0}, {"always", 1}, {"no", 2}}
	enumShutdownOnSig  = []enumItem{{"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 4}, {"force", 8}}
	enumDisklessLoad   = []enumItem{{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}}
	enumTLSAuthClients = []enumItem{{"no", 0}, {"yes", 1}, {"optional", 2}}
	enumOOMScoreAdj    = []enumItem{{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}}
	enumACLPubsub      = []enumItem{{"allchannels", 1}, {"resetchannels", 0}}
	enumSanitize       = []enumItem{{"no", 0}, {"yes", 1}, {"clients", 2}}
	enumProtected      = []enumItem{{"no", 0}, {"yes", 1}, {"local", 2}}
	enumEndpointType   = []enumItem{{"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}}
	enumPropagationErr = []enumItem{{"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}}
)

// Table constructors, one per Redis createXxxConfig macro.

func boolParam(name, alias string, f paramFlag, def bool) paramDef {
	d := paramDef{name: name, alias: alias, flags: f, kind: kindBool, def: "no"}
	if def {
		d.def = "yes"
	}
	return d
}

func strParam(name, alias string, f paramFlag, def string) paramDef {
	return paramDef{name: name, alias: alias, flags: f, kind: kindString, def: def}
}

func enumParam(name string, f paramFlag, items []enumItem, def string) paramDef {
	return paramDef{name: name, flags: f, kind: kindEnum, enum: items, def: def}
}

// intParam is a signed numeric parameter (int, long, long long, ssize_t,
// time_t, off_t; unsigned long too, which Redis bounds-checks as signed).
func intParam(name, alias string, f paramFlag, lo, hi, def int64) paramDef {
	return paramDef{name: name, alias: alias, flags: f, kind: kindNumeric, lo: lo, hi: hi,
		def: strconv.FormatInt(def, 10)}
}

// uintParam is an unsigned numeric parameter (unsigned int, size_t,
// unsigned long long).
func uintParam(name, alias string, f paramFlag, lo, hi, def int64) paramDef {
	d := intParam(name, alias, f, lo, hi, def)
	d.unsigned = true
	return d
}

func memParam(name, alias string, f paramFlag, lo, hi, def int64, unsigned bool) paramDef {
	d := intParam(name, alias, f, lo, hi, def)
	d.num, d.unsigned = numMemory, unsigned
	return d
}

func specialParam(name, alias string, f paramFlag, def string, fn func([]string, string) (string, string)) paramDef {
	return paramDef{name: name, alias: alias, flags: f, kind: kindSpecial, def: def, special: fn}
}

// paramDefs is the table, in src/config.c's order.
var paramDefs = []paramDef{
	// Bool configs.
	boolParam("rdbchecksum", "", pImmutable, true),
	boolParam("daemonize", "", pImmutable, false),
	boolParam("io-threads-do-reads", "", pImmutable, false),
	boolParam("always-show-logo", "", pImmutable, false),
	boolParam("protected-mode", "", 0, true),
	boolParam("rdbcompression", "", 0, true),
	boolParam("rdb-del-sync-files", "", 0, false),
	boolParam("activerehashing", "", 0, true),
	boolParam("stop-writes-on-bgsave-error", "", 0, true),
	boolParam("set-proc-title", "", pImmutable, true),
	boolParam("dynamic-hz", "", 0, true),
	boolParam("lazyfree-lazy-eviction", "", 0, false),
	boolParam("lazyfree-lazy-expire", "", 0, false),
	boolParam("lazyfree-lazy-server-del", "", 0, false),
	boolParam("lazyfree-lazy-user-del", "", 0, false),
	boolParam("lazyfree-lazy-user-flush", "", 0, false),
	boolParam("repl-disable-tcp-nodelay", "", 0, false),
	boolParam("repl-diskless-sync", "", 0, true),
	boolParam("aof-rewrite-incremental-fsync", "", 0, true),
	boolParam("no-appendfsync-on-rewrite", "", 0, false),
	boolParam("cluster-require-full-coverage", "", 0, true),
	boolParam("rdb-save-incremental-fsync", "", 0, true),
	boolParam("aof-load-truncated", "", 0, true),
	boolParam("aof-use-rdb-preamble", "", 0, true),
	boolParam("aof-timestamp-enabled", "", 0, false),
	boolParam("cluster-replica-no-failover", "cluster-slave-no-failover", 0, false),
	boolParam("replica-lazy-flush", "slave-lazy-flush", 0, false),
	boolParam("replica-serve-stale-data", "slave-serve-stale-data", 0, true),
	boolParam("replica-read-only", "slave-read-only", 0, true),
	boolParam("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, true),
	boolParam("jemalloc-bg-thread", "", 0, true),
	withCheck(boolParam("activedefrag", "", 0, false), checkActiveDefrag),
	boolParam("syslog-enabled", "", pImmutable, false),
	boolParam("cluster-enabled", "", pImmutable, false),
	boolParam("appendonly", "", 0, false),
	boolParam("cluster-allow-reads-when-down", "", 0, false),
	boolParam("cluster-allow-pubsubshard-when-down", "", 0, true),
	boolParam("crash-log-enabled", "", 0, true),
	boolParam("crash-memcheck-enabled", "", 0, true),
	boolParam("use-exit-on-panic", "", pHidden, false),
	boolParam("disable-thp", "", pImmutable, true),
	boolParam("cluster-allow-replica-migration", "", 0, true),
	boolParam("replica-announced", "", 0, true),
	boolParam("latency-tracking", "", 0, true),
	boolParam("aof-disable-auto-gc", "", 0, false),
	boolParam("replica-ignore-disk-write-errors", "", 0, false),

	// String configs.
	strParam("aclfile", "", pImmutable, ""),
	strParam("unixsocket", "", pImmutable, ""),
	strParam("pidfile", "", pImmutable, ""),
	strParam("replica-announce-ip", "slave-announce-ip", 0, ""),
	strParam("masteruser", "", pSensitive, ""),
	strParam("cluster-announce-ip", "", 0, ""),
	strParam("cluster-config-file", "", pImmutable, "nodes.conf"),
	withCheck(strParam("cluster-announce-hostname", "", 0, ""), checkHostname),
	strParam("syslog-ident", "", pImmutable, "redis"),
	withCheck(strParam("dbfilename", "", pProtected, "dump.rdb"), checkBaseName("dbfilename", "a filename", false)),
	withCheck(strParam("appendfilename", "", pImmutable, "appendonly.aof"), checkBaseName("appendfilename", "a filename", true)),
	withCheck(strParam("appenddirname", "", pImmutable, "appendonlydir"), checkBaseName("appenddirname", "a dirname", true)),
	strParam("server_cpulist", "", pImmutable, ""),
	strParam("bio_cpulist", "", pImmutable, ""),
	strParam("aof_rewrite_cpulist", "", pImmutable, ""),
	strParam("bgsave_cpulist", "", pImmutable, ""),
	strParam("ignore-warnings", "", 0, ""),
	withCheck(strParam("proc-title-template", "", 0, defaultProcTpl), checkProcTitle),
	strParam("bind-source-addr", "", 0, ""),
	strParam("logfile", "", pImmutable, ""),
	{name: "masterauth", flags: pSensitive, kind: kindSDS},
	{name: "requirepass", flags: pSensitive, kind: kindSDS},

	// Enum configs.
	enumParam("supervised", pImmutable, enumSupervised, "no"),
	enumParam("syslog-facility", pImmutable, enumSyslogFacility, "local0"),
	enumParam("repl-diskless-load", 0, enumDisklessLoad, "disabled"),
	enumParam("loglevel", 0, enumLoglevel, "notice"),
	enumParam("maxmemory-policy", 0, enumMaxmemoryPolicy, "noeviction"),
	enumParam("appendfsync", 0, enumAppendfsync, "everysec"),
	enumParam("oom-score-adj", 0, enumOOMScoreAdj, "no"),
	enumParam("acl-pubsub-default", 0, enumACLPubsub, "resetchannels"),
	enumParam("sanitize-dump-payload", 0, enumSanitize, "no"),
	enumParam("enable-protected-configs", pImmutable, enumProtected, "no"),
	enumParam("enable-debug-command", pImmutable, enumProtected, "no"),
	enumParam("enable-module-command", pImmutable, enumProtected, "no"),
	enumParam("cluster-preferred-endpoint-type", 0, enumEndpointType, "ip"),
	enumParam("propagation-error-behavior", 0, enumPropagationErr, "ignore"),
	shutdownParam("shutdown-on-sigint"),
	shutdownParam("shutdown-on-sigterm"),

	// Integer configs.
	intParam("databases", "", pImmutable, 1, intMax, 16),
	intParam("port", "", 0, 0, 65535, 6379),
	intParam("io-threads", "", pImmutable, 1, 128, 1),
	intParam("auto-aof-rewrite-percentage", "", 0, 0, intMax, 100),
	intParam("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, intMax, 10),
	intParam("list-max-listpack-size", "list-max-ziplist-size", 0, intMin, intMax, -2),
	intParam("tcp-keepalive", "", 0, 0, intMax, 300),
	intParam("cluster-migration-barrier", "", 0, 0, intMax, 1),
	intParam("active-defrag-cycle-min", "", 0, 1, 99, 1),
	intParam("active-defrag-cycle-max", "", 0, 1, 99, 25),
	intParam("active-defrag-threshold-lower", "", 0, 0, 1000, 10),
	intParam("active-defrag-threshold-upper", "", 0, 0, 1000, 100),
	intParam("lfu-log-factor", "", 0, 0, intMax, 10),
	intParam("lfu-decay-time", "", 0, 0, intMax, 1),
	intParam("replica-priority", "slave-priority", 0, 0, intMax, 100),
	intParam("repl-diskless-sync-delay", "", 0, 0, intMax, 5),
	intParam("maxmemory-samples", "", 0, 1, intMax, 5),
	intParam("maxmemory-eviction-tenacity", "", 0, 0, 100, 10),
	intParam("timeout", "", 0, 0, intMax, 0),
	intParam("replica-announce-port", "slave-announce-port", 0, 0, 65535, 0),
	intParam("tcp-backlog", "", pImmutable, 0, intMax, 511),
	intParam("cluster-port", "", pImmutable, 0, 65535, 0),
	intParam("cluster-announce-bus-port", "", 0, 0, 65535, 0),
	intParam("cluster-announce-port", "", 0, 0, 65535, 0),
	intParam("cluster-announce-tls-port", "", 0, 0, 65535, 0),
	intParam("repl-timeout", "", 0, 1, intMax, 60),
	intParam("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, intMax, 10),
	intParam("list-compress-depth", "", 0, 0, intMax, 0),
	intParam("rdb-key-save-delay", "", pHidden, intMin, intMax, 0),
	intParam("key-load-delay", "", pHidden, intMin, intMax, 0),
	intParam("active-expire-effort", "", 0, 1, 10, 1),
	intParam("hz", "", 0, 0, intMax, 10),
	intParam("min-replicas-to-write", "min-slaves-to-write", 0, 0, intMax, 0),
	intParam("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, intMax, 10),
	intParam("watchdog-period", "", pHidden, 0, intMax, 0),
	intParam("shutdown-timeout", "", 0, 0, intMax, 10),
	intParam("repl-diskless-sync-max-replicas", "", 0, 0, intMax, 0),

	// Unsigned int configs.
	uintParam("maxclients", "", 0, 1, uintMax, 10000),
	{name: "unixsocketperm", flags: pImmutable, kind: kindNumeric, hi: 0o777, unsigned: true, num: numOctal, def: "0"},
	uintParam("socket-mark-id", "", pImmutable, 0, uintMax, 0),

	// Unsigned long configs: bounds-checked as signed by Redis.
	intParam("active-defrag-max-scan-fields", "", 0, 1, longMax, 1000),
	intParam("slowlog-max-len", "", 0, 0, longMax, 128),
	intParam("acllog-max-len", "", 0, 0, longMax, 128),

	// Long long configs.
	intParam("busy-reply-threshold", "lua-time-limit", 0, 0, longMax, 5000),
	intParam("cluster-node-timeout", "", 0, 0, longMax, 15000),
	intParam("slowlog-log-slower-than", "", 0, -1, longMax, 10000),
	intParam("latency-monitor-threshold", "", 0, 0, longMax, 0),
	memParam("proto-max-bulk-len", "", 0, mbytes, longMax, 512*mbytes, false),
	intParam("stream-node-max-entries", "", 0, 0, longMax, 100),
	memParam("repl-backlog-size", "", 0, 1, longMax, mbytes, false),

	// Unsigned long long configs.
	memParam("maxmemory", "", 0, 0, ullMax, 0, true),
	memParam("cluster-link-sendbuf-limit", "", 0, 0, ullMax, 0, true),

	// Size_t configs.
	uintParam("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, 0, longMax, 512),
	uintParam("set-max-intset-entries", "", 0, 0, longMax, 512),
	uintParam("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, 0, longMax, 128),
	memParam("active-defrag-ignore-bytes", "", 0, 1, longMax, 100*mbytes, true),
	memParam("hash-max-listpack-value", "hash-max-ziplist-value", 0, 0, longMax, 64, true),
	memParam("stream-node-max-bytes", "", 0, 0, longMax, 4096, true),
	memParam("zset-max-listpack-value", "zset-max-ziplist-value", 0, 0, longMax, 64, true),
	memParam("hll-sparse-max-bytes", "", 0, 0, longMax, 3000, true),
	uintParam("tracking-table-max-keys", "", 0, 0, longMax, 1000000),
	memParam("client-query-buffer-limit", "", 0, mbytes, longMax, 1024*mbytes, true),
	{name: "maxmemory-clients", kind: kindNumeric, lo: -100, hi: longMax, num: numMemory | numPercent, def: "0"},

	// Other numeric configs.
	intParam("repl-backlog-ttl", "", 0, 0, longMax, 3600),
	memParam("auto-aof-rewrite-min-size", "", 0, 0, longMax, 64*mbytes, false),
	intParam("loading-process-events-interval-bytes", "", pHidden, kb, intMax, 2*mbytes),

	// TLS configs.
	intParam("tls-port", "", 0, 0, 65535, 0),
	intParam("tls-session-cache-size", "", 0, 0, intMax, 20*kb),
	intParam("tls-session-cache-timeout", "", 0, 0, intMax, 300),
	boolParam("tls-cluster", "", 0, false),
	boolParam("tls-replication", "", 0, false),
	enumParam("tls-auth-clients", 0, enumTLSAuthClients, "yes"),
	boolParam("tls-prefer-server-ciphers", "", 0, false),
	boolParam("tls-session-caching", "", 0, true),
	strParam("tls-cert-file", "", 0, ""),
	strParam("tls-key-file", "", 0, ""),
	strParam("tls-key-file-pass", "", 0, ""),
	strParam("tls-client-cert-file", "", 0, ""),
	strParam("tls-client-key-file", "", 0, ""),
	strParam("tls-client-key-file-pass", "", 0, ""),
	strParam("tls-dh-params-file", "", 0, ""),
	strParam("tls-ca-cert-file", "", 0, ""),
	strParam("tls-ca-cert-dir", "", 0, ""),
	strParam("tls-protocols", "", 0, ""),
	strParam("tls-ciphers", "", 0, ""),
	strParam("tls-ciphersuites", "", 0, ""),

	// Special configs. dir's default is the working directory; the node
	// fills it in from its Config.
	specialParam("dir", "", pProtected, "", nil),
	specialParam("save", "", pMultiArg, defaultSave, parseSave),
	specialParam("client-output-buffer-limit", "", pMultiArg, defaultCOBL, parseOutputBufferLimit),
	specialParam("oom-score-adj-values", "", pMultiArg, "0 200 800", parseOOMScoreAdjValues),
	specialParam("notify-keyspace-events", "", 0, "", parseNotifyArg),
	specialParam("bind", "", pMultiArg, defaultBind, parseBind),
	specialParam("replicaof", "slaveof", pImmutable|pMultiArg, "", parseReplicaOf),
	specialParam("latency-tracking-info-percentiles", "", pMultiArg, "50 99 99.9", parsePercentiles),
}

func withCheck(d paramDef, check func(string) string) paramDef {
	d.check = check
	return d
}

func shutdownParam(name string) paramDef {
	d := enumParam(name, pMultiArg, enumShutdownOnSig, "default")
	d.bitflags = true
	d.check = checkShutdownFlags
	return d
}

// paramEntry is one name CONFIG knows: a parameter's name or its alias.
type paramEntry struct {
	name  string
	def   int // index in paramDefs
	alias bool
}

// paramEntries lists every name, each parameter's before its alias, and
// paramByName finds one by its lower-case spelling. Both are built once
// from paramDefs and never change.
var paramEntries, paramByName = indexParams()

func indexParams() ([]paramEntry, map[string]int) {
	var ents []paramEntry
	byName := make(map[string]int)
	add := func(name string, def int, alias bool) {
		if _, dup := byName[name]; dup {
			panic("backend: parameter " + name + " declared twice")
		}
		byName[name] = len(ents)
		ents = append(ents, paramEntry{name: name, def: def, alias: alias})
	}
	for i := range paramDefs {
		add(paramDefs[i].name, i, false)
		if a := paramDefs[i].alias; a != "" {
			add(a, i, true)
		}
	}
	return ents, byName
}

// lookupParam finds the entry named name, ignoring ASCII case as Redis's
// config dictionary does.
func lookupParam(name []byte) (paramEntry, bool) {
	if len(name) > 64 {
		return paramEntry{}, false
	}
	var buf [64]byte
	low := buf[:len(name)]
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	i, ok := paramByName[string(low)]
	if !ok {
		return paramEntry{}, false
	}
	return paramEntries[i], true
}

// paramIndex returns the index in paramDefs of the parameter named name (a
// primary name, as the node's own code spells it).
func paramIndex(name string) int {
	i, ok := paramByName[name]
	if !ok {
		panic("backend: no parameter " + name)
	}
	return paramEntries[i].def
}

// ParamNames returns every redis.conf parameter name a node accepts,
// aliases included, in the order Redis declares them. cmd/keyslot accepts
// them all as keys of the node's config file and environment.
func ParamNames() []string {
	out := make([]string, len(paramEntries))
	for i, e := range paramEntries {
		out[i] = e.name
	}
	return out
}

// splitArgs splits a CONFIG SET value into d's arguments: on single
// spaces for multi-argument parameters (an empty value is no argument,
// as sdssplitlen has it), else the value whole. Every argument ends at a
// NUL byte, as C reads it, except for binary-safe strings.
func (d *paramDef) splitArgs(v []byte) []string {
	if d.flags&pMultiArg == 0 {
		if d.kind == kindSDS {
			return []string{string(v)}
		}
		return []string{cstr(v)}
	}
	if len(v) == 0 {
		return nil
	}
	parts := strings.Split(string(v), " ")
	for i, p := range parts {
		parts[i] = cstr([]byte(p))
	}
	return parts
}

// asciiLower lower-cases ASCII letters only, as C's tolower does in the C
// locale (strings.ToLower would also fold the Kelvin sign to "k").
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// cstr is b as C sees it, as a string: up to the first NUL byte.
func cstr(b []byte) string { return string(cBytes(b)) }

// cBytes is b as C string functions see it: up to its first NUL.
func cBytes(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// parse turns arguments into d's canonical value, or returns the reason
// Redis gives for refusing them. cur is the value in force, which
// client-output-buffer-limit updates class by class.
func (d *paramDef) parse(args []string, cur string) (string, string) {
	var v, msg string
	switch d.kind {
	case kindBool:
		switch {
		case asciiEqualFold(args[0], "yes"):
			v = "yes"
		case asciiEqualFold(args[0], "no"):
			v = "no"
		default:
			return "", msgYesNo
		}
	case kindString, kindSDS:
		v = args[0]
	case kindEnum:
		v, msg = d.parseEnum(args)
	case kindNumeric:
		v, msg = d.parseNumeric(args[0])
	case kindSpecial:
		if d.special == nil {
			return "", "no parser for " + d.name // dir: handled by the node
		}
		v, msg = d.special(args, cur)
	}
	if msg != "" {
		return "", msg
	}
	if d.check != nil {
		if msg := d.check(v); msg != "" {
			return "", msg
		}
	}
	return v, ""
}

// parseEnum matches names ignoring case; a bit-flag enum ORs several.
func (d *paramDef) parseEnum(args []string) (string, string) {
	if len(args) == 0 || (!d.bitflags && len(args) != 1) {
		return "", d.enumError()
	}
	val := 0
	for _, a := range args {
		matched := false
		for _, it := range d.enum {
			if asciiEqualFold(a, it.name) {
				val |= it.val
				matched = true
			}
		}
		if !matched {
			return "", d.enumError()
		}
	}
	return d.enumName(val), ""
}

// enumName spells val as Redis's configEnumGetName does: the first name
// with exactly that value, or for bit flags the names of its bits in table
// order.
func (d *paramDef) enumName(val int) string {
	var names []string
	rest := val
	for _, it := range d.enum {
		if it.val == val {
			return it.name
		}
		if d.bitflags && it.val != 0 && it.val == rest&it.val {
			names = append(names, it.name)
			rest &^= it.val
		}
	}
	if len(names) == 0 || rest != 0 {
		return "unknown"
	}
	return strings.Join(names, " ")
}

// enumValue is enumName's inverse for a canonical value.
func (d *paramDef) enumValue(v string) int {
	val := 0
	for _, name := range strings.Fields(v) {
		for _, it := range d.enum {
			if it.name == name {
				val |= it.val
				break
			}
		}
	}
	return val
}

func (d *paramDef) enumError() string {
	names := make([]string, len(d.enum))
	for i, it := range d.enum {
		names[i] = it.name
	}
	return "argument(s) must be one of the following: " + strings.Join(names, ", ")
}

// parseNumeric reads a number as Redis's numericParseString does (memory
// units first, then a percentage, then octal, then a plain integer), checks
// its bounds, and formats it as CONFIG GET shows it.
func (d *paramDef) parseNumeric(s string) (string, string) {
	v, ok := int64(0), false
	if d.num&numMemory != 0 {
		var u uint64
		u, ok = memtoull(s)
		v = int64(u)
	}
	if !ok && d.num&numPercent != 0 && len(s) > 1 && s[len(s)-1] == '%' {
		if p, pok := parseInt([]byte(s[:len(s)-1])); pok && p >= 0 {
			v, ok = -p, true
		}
	}
	if !ok && d.num&numOctal != 0 {
		if o, rest, overflow := cStrtoll(s, 8); !overflow && rest == "" {
			v, ok = o, true
		}
	}
	if !ok && d.num == 0 {
		v, ok = parseInt([]byte(s))
	}
	if !ok {
		switch {
		case d.num&numMemory != 0 && d.num&numPercent != 0:
			return "", msgMemOrPercent
		case d.num&numMemory != 0:
			return "", msgMemory
		case d.num&numOctal != 0:
			return "", msgOctal
		}
		return "", msgInteger
	}
	if msg := d.checkBounds(v); msg != "" {
		return "", msg
	}
	if d.name == "hz" {
		// Redis takes hz as a hint and keeps it within 1..500.
		v = min(max(v, 1), 500)
	}
	return d.formatNumber(v), ""
}

func (d *paramDef) checkBounds(v int64) string {
	if d.unsigned {
		u, lo, hi := uint64(v), uint64(d.lo), uint64(d.hi)
		if u > hi || u < lo {
			base := 10
			if d.num&numOctal != 0 {
				base = 8
			}
			return "argument must be between " + strconv.FormatUint(lo, base) + " and " +
				strconv.FormatUint(hi, base) + " inclusive"
		}
		return ""
	}
	if d.num&numPercent != 0 && v < 0 {
		if v < d.lo {
			return "percentage argument must be less or equal to " + strconv.FormatInt(-d.lo, 10)
		}
		return ""
	}
	if v > d.hi || v < d.lo {
		return "argument must be between " + strconv.FormatInt(d.lo, 10) + " and " +
			strconv.FormatInt(d.hi, 10) + " inclusive"
	}
	return ""
}

func (d *paramDef) formatNumber(v int64) string {
	switch {
	case d.num&numPercent != 0 && v < 0:
		return strconv.FormatInt(-v, 10) + "%"
	case d.num&numMemory != 0:
		return strconv.FormatUint(uint64(v), 10)
	case d.num&numOctal != 0:
		return strconv.FormatUint(uint64(v), 8)
	}
	return strconv.FormatInt(v, 10)
}

// memtoull reads a size as Redis's memtoull does: digits and an optional
// unit (b, k, kb, m, mb, g, gb, any case). Like Redis, no digits read as 0,
// digits past 2^64-1 as 2^64-1, and the product wraps around.
func memtoull(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	var mul uint64
	switch asciiLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 {
		return 0, false
	}
	var v uint64
	for _, c := range s[:i] {
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			v = math.MaxUint64
			break
		}
		v = v*10 + d
	}
	return v * mul, true
}

// cStrtoll reads an integer as C's strtoll does: leading white space, a
// sign, as many digits of base as there are, saturating on overflow. rest
// is what follows the digits, or all of s when there are none.
func cStrtoll(s string, base int) (v int64, rest string, overflow bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var u uint64
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	for ; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if s[i] < '0' || d >= uint64(base) {
			break
		}
		if !overflow && u > (limit-d)/uint64(base) {
			overflow = true
		}
		if !overflow {
			u = u*uint64(base) + d
		}
	}
	if i == start {
		return 0, s, false
	}
	switch {
	case overflow && neg:
		return math.MinInt64, s[i:], true
	case overflow:
		return math.MaxInt64, s[i:], true
	case neg:
		return -int64(u), s[i:], false
	}
	return int64(u), s[i:], false
}

// Checks (Redis's is_valid_fn).

// checkActiveDefrag refuses activedefrag yes, as a Redis built without
// jemalloc's defragmentation does: keyslot has none either.
func checkActiveDefrag(v string) string {
	if v == "yes" {
		return msgDefrag
	}
	return ""
}

func checkHostname(v string) string {
	if len(v) >= 256 {
		return msgHostLen
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return msgHostChars
		}
	}
	return ""
}

func checkBaseName(name, what string, nonEmpty bool) func(string) string {
	return func(v string) string {
		if nonEmpty && v == "" {
			return name + " can't be empty"
		}
		if strings.ContainsAny(v, "/\\") {
			return name + " can't be a path, just " + what
		}
		return ""
	}
}

func checkShutdownFlags(v string) string {
	if strings.Contains(" "+v+" ", " save ") && strings.Contains(" "+v+" ", " nosave ") {
		return msgShutdownBoth
	}
	return ""
}

// checkProcTitle accepts a proc-title-template that expands, with an
// empty title, to something other than spaces: {name} variables Redis
// knows, "{{" for a literal brace.
func checkProcTitle(v string) string {
	var out strings.Builder
	for p := v; p != ""; {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			out.WriteString(p)
			break
		}
		out.WriteString(p[:i])
		p = p[i+1:]
		if p == "" {
			return msgProcTitle
		}
		if p[0] == '{' {
			out.WriteByte('{')
			p = p[1:]
			continue
		}
		j := strings.IndexByte(p, '}')
		if j < 0 {
			return msgProcTitle
		}
		switch p[:j] {
		case "title", "server-mode":
			// The title is empty when validating; server-mode is empty
			// outside cluster and sentinel modes.
		case "listen-addr", "config-file", "port", "tls-port":
			out.WriteString("x")
		case "unixsocket":
		default:
			return msgProcTitle
		}
		p = p[j+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return msgProcTitle
	}
	return ""
}

// Special parameters.

// parseSave reads "seconds changes ..." pairs: seconds at least 1,
// changes at least 0.
func parseSave(args []string, _ string) (string, string) {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	if len(args)%2 != 0 {
		return "", msgSave
	}
	vals := make([]int64, len(args))
	for j, a := range args {
		v, rest, _ := cStrtoll(a, 10)
		if rest != "" || (j%2 == 0 && v < 1) || (j%2 == 1 && v < 0) {
			return "", msgSave
		}
		vals[j] = v
	}
	parts := make([]string, len(vals))
	for j, v := range vals {
		if j%2 == 1 {
			v = int64(int32(v)) // changes is a C int
		}
		parts[j] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, " "), ""
}

// outputLimit is one client class of client-output-buffer-limit.
type outputLimit struct {
	hard, soft  uint64
	softSeconds int32
}

// outputClasses are the classes, in the order CONFIG GET lists them.
var outputClasses = [...]string{"normal", "slave", "pubsub"}

// parseOutputBufferLimit reads "<class> <hard> <soft> <soft seconds>"
// groups; the classes not named keep their current limits.
func parseOutputBufferLimit(args []string, cur string) (string, string) {
	if len(args)%4 != 0 {
		return "", msgCOBArgs
	}
	lims := outputLimits(cur)
	for j := 0; j < len(args); j += 4 {
		class := -1
		switch asciiLower(args[j]) {
		case "normal":
			class = 0
		case "slave", "replica":
			class = 1
		case "pubsub":
			class = 2
		}
		if class < 0 {
			return "", msgCOBClass
		}
		hard, hok := memtoull(args[j+1])
		soft, sok := memtoull(args[j+2])
		secs, rest, _ := cStrtoll(args[j+3], 10)
		ss := int32(secs) // a C int
		if !hok || !sok || ss < 0 || rest != "" {
			return "", msgCOBValue
		}
		lims[class] = outputLimit{hard: hard, soft: soft, softSeconds: ss}
	}
	return formatOutputLimits(lims), ""
}

// outputLimits reads a canonical client-output-buffer-limit value.
func outputLimits(v string) [3]outputLimit {
	var lims [3]outputLimit
	f := strings.Fields(v)
	for c := 0; c < len(lims) && 4*c+3 < len(f); c++ {
		hard, _ := strconv.ParseUint(f[4*c+1], 10, 64)
		soft, _ := strconv.ParseUint(f[4*c+2], 10, 64)
		secs, _ := strconv.ParseInt(f[4*c+3], 10, 32)
		lims[c] = outputLimit{hard: hard, soft: soft, softSeconds: int32(secs)}
	}
	return lims
}

func formatOutputLimits(lims [3]outputLimit) string {
	var b strings.Builder
	for c, l := range lims {
		if c > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(outputClasses[c])
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(l.hard, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(l.soft, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(int64(l.softSeconds), 10))
	}
	return b.String()
}

// parseOOMScoreAdjValues reads the three oom_score_adj values.
func parseOOMScoreAdjValues(args []string, _ string) (string, string) {
	if len(args) != 3 {
		return "", msgWrongArgs
	}
	parts := make([]string, 3)
	for i, a := range args {
		v, rest, _ := cStrtoll(a, 10)
		if rest != "" || v < -2000 || v > 2000 {
			return "", msgOOMValues
		}
		parts[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, " "), ""
}

func parseNotifyArg(args []string, _ string) (string, string) {
	if len(args) != 1 {
		return "", msgWrongArgs
	}
	flags, ok := parseNotifyFlags(args[0])
	if !ok {
		return "", msgNotify
	}
	return formatNotifyFlags(flags), ""
}

// notifyAll is the A class: every type class and module events, not key
// misses or new keys.
const notifyAll = notifyGeneric | notifyString | notifyList | notifySet | notifyHash |
	notifyZSet | notifyExpired | notifyEvicted | notifyStream | notifyModule

// parseNotifyFlags reads notify-keyspace-events classes.
func parseNotifyFlags(s string) (uint16, bool) {
	var f uint16
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			f |= notifyAll
		case 'g':
			f |= notifyGeneric
		case '$':
			f |= notifyString
		case 'l':
			f |= notifyList
		case 's':
			f |= notifySet
		case 'h':
			f |= notifyHash
		case 'z':
			f |= notifyZSet
		case 'x':
			f |= notifyExpired
		case 'e':
			f |= notifyEvicted
		case 'K':
			f |= notifyKeyspace
		case 'E':
			f |= notifyKeyevent
		case 't':
			f |= notifyStream
		case 'm':
			f |= notifyKeyMiss
		case 'd':
			f |= notifyModule
		case 'n':
			f |= notifyNew
		default:
			return 0, false
		}
	}
	return f, true
}

// formatNotifyFlags spells flags as Redis's keyspaceEventsFlagsToString
// does: "A" when every class it covers is on, and then no n, which it does
// not cover.
func formatNotifyFlags(f uint16) string {
	var b []byte
	if f&notifyAll == notifyAll {
		b = append(b, 'A')
	} else {
		for _, c := range [...]struct {
			bit uint16
			ch  byte
		}{
			{notifyGeneric, 'g'}, {notifyString, '$'}, {notifyList, 'l'}, {notifySet, 's'},
			{notifyHash, 'h'}, {notifyZSet, 'z'}, {notifyExpired, 'x'}, {notifyEvicted, 'e'},
			{notifyStream, 't'}, {notifyModule, 'd'}, {notifyNew, 'n'},
		} {
			if f&c.bit != 0 {
				b = append(b, c.ch)
			}
		}
	}
	if f&notifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if f&notifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if f&notifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

func parseBind(args []string, _ string) (string, string) {
	if len(args) > maxBinds {
		return "", msgBindMany
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	return strings.Join(args, " "), ""
}

func parseReplicaOf(args []string, _ string) (string, string) {
	if len(args) == 0 {
		return "", "" // at start-up, an empty value: no master
	}
	if len(args) != 2 {
		return "", msgWrongArgs
	}
	if asciiEqualFold(args[0], "no") && asciiEqualFold(args[1], "one") {
		return "", ""
	}
	port, rest, _ := cStrtoll(args[1], 10)
	// strtol's long is 64 bits; the port is then stored in an int.
	if p := int32(port); p < 0 || p > 65535 || rest != "" {
		return "", msgMasterPort
	}
	return args[0] + " " + strconv.Itoa(int(int32(port))), ""
}

// parsePercentiles reads latency-tracking-info-percentiles: numbers from
// 0 to 100, shown with %f's six decimals less trailing zeros.
//
// Redis reads each with string2d, which zparseScore follows; parseFloat
// differs from it on two inputs (Redis 7.0.15 checked): it takes
// "1e-400" as 0 where strtod's underflow is refused, and refuses "0x10",
// a hexadecimal float without exponent that strtod reads as 16. Using
// zparseScore here would fix both; it is a behaviour change, so it was
// not made as part of folding the two.
func parsePercentiles(args []string, _ string) (string, string) {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	parts := make([]string, len(args))
	for i, a := range args {
		f, ok := parseFloat([]byte(a))
		if !ok {
			return "", msgPercentiles
		}
		if f > 100 || f < 0 {
			return "", msgPercentRange
		}
		parts[i] = formatPercentile(f)
	}
	return strings.Join(parts, " "), ""
}

// trimDouble drops trailing zeros after a decimal point, and the point
// when nothing follows it (Redis's trimDoubleString).
func trimDouble(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// evictionPolicy is maxmemory-policy.
type evictionPolicy uint8

const (
	evictNoEviction evictionPolicy = iota
	evictVolatileLRU
	evictVolatileLFU
	evictVolatileRandom
	evictVolatileTTL
	evictAllKeysLRU
	evictAllKeysLFU
	evictAllKeysRandom
)

// lfu reports whether the policy tracks access frequency (OBJECT FREQ)
// rather than idle time (OBJECT IDLETIME).
func (p evictionPolicy) lfu() bool { return p == evictVolatileLFU || p == evictAllKeysLFU }

// allKeys reports whether the policy evicts keys without a TTL too.
func (p evictionPolicy) allKeys() bool {
	return p == evictAllKeysLRU || p == evictAllKeysLFU || p == evictAllKeysRandom
}

// String is the policy's maxmemory-policy name.
func (p evictionPolicy) String() string {
	for _, it := range enumMaxmemoryPolicy {
		if it.val == int(p) {
			return it.name
		}
	}
	return "unknown"
}
