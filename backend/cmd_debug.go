package backend

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keyslot/keyslot/backend/rdb"
)

func debugCommands() commandSet {
	return commandSet{
		"debug": {fn: cmdDebug, lock: lockAll},
	}
}

// debugHelp is DEBUG HELP's text, Redis 7.0's, between the header and the
// HELP entry.
var debugHelp = []string{
	"AOF-FLUSH-SLEEP <microsec>",
	"    Server will sleep before flushing the AOF, this is used for testing.",
	"ASSERT",
	"    Crash by assertion failed.",
	"CHANGE-REPL-ID",
	"    Change the replication IDs of the instance.",
	"    Dangerous: should be used only for testing the replication subsystem.",
	"CONFIG-REWRITE-FORCE-ALL",
	"    Like CONFIG REWRITE but writes all configuration options, including",
	"    keywords not listed in original configuration file or default values.",
	"CRASH-AND-RECOVER [<milliseconds>]",
	"    Hard crash and restart after a <milliseconds> delay (default 0).",
	"DIGEST",
	"    Output a hex signature representing the current DB content.",
	"DIGEST-VALUE <key> [<key> ...]",
	"    Output a hex signature of the values of all the specified keys.",
	"ERROR <string>",
	"    Return a Redis protocol error with <string> as message. Useful for clients",
	"    unit tests to simulate Redis errors.",
	"LEAK <string>",
	"    Create a memory leak of the input string.",
	"LOG <message>",
	"    Write <message> to the server log.",
	"HTSTATS <dbid>",
	"    Return hash table statistics of the specified Redis database.",
	"HTSTATS-KEY <key>",
	"    Like HTSTATS but for the hash table stored at <key>'s value.",
	"LOADAOF",
	"    Flush the AOF buffers on disk and reload the AOF in memory.",
	"REPLICATE <string>",
	"    Replicates the provided string to replicas, allowing data divergence.",
	"MALLCTL <key> [<val>]",
	"    Get or set a malloc tuning integer.",
	"MALLCTL-STR <key> [<val>]",
	"    Get or set a malloc tuning string.",
	"OBJECT <key>",
	"    Show low level info about `key` and associated value.",
	"DROP-CLUSTER-PACKET-FILTER <packet-type>",
	"    Drop all packets that match the filtered type. Set to -1 allow all packets.",
	"OOM",
	"    Crash the server simulating an out-of-memory error.",
	"PANIC",
	"    Crash the server simulating a panic.",
	"POPULATE <count> [<prefix>] [<size>]",
	"    Create <count> string keys named key:<num>. If <prefix> is specified then",
	"    it is used instead of the 'key' prefix. These are not propagated to",
	"    replicas. Cluster slots are not respected so keys not belonging to the",
	"    current node can be created in cluster mode.",
	"PROTOCOL <type>",
	"    Reply with a test value of the specified type. <type> can be: string,",
	"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
	"    true, false.",
	"RELOAD [option ...]",
	"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
	"    * MERGE: conflicting keys will be loaded from RDB.",
	"    * NOFLUSH: the existing database will not be removed before load, but",
	"      conflicting keys will generate an exception and kill the server.",
	"    * NOSAVE: the database will be loaded from an existing RDB file.",
	"    Examples:",
	"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
	"      the database.",
	"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
	"      existing RDB file.",
	"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
	"      file to the database.",
	"RESTART [<milliseconds>]",
	"    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
	"SDSLEN <key>",
	"    Show low level SDS string info representing `key` and value.",
	"SEGFAULT",
	"    Crash the server with sigsegv.",
	"SET-ACTIVE-EXPIRE <0|1>",
	"    Setting it to 0 disables expiring keys in background when they are not",
	"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
	"    default.",
	"QUICKLIST-PACKED-THRESHOLD <size>",
	"    Sets the threshold for elements to be inserted as plain vs packed nodes",
	"    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
	"SET-SKIP-CHECKSUM-VALIDATION <0|1>",
	"    Enables or disables checksum checks for RDB files and RESTORE's payload.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
	"STRINGMATCH-TEST",
	"    Run a fuzz tester against the stringmatchlen() function.",
	"STRUCTSIZE",
	"    Return the size of different Redis core C structures.",
	"LISTPACK <key>",
	"    Show low level info about the listpack encoding of <key>.",
	"QUICKLIST <key> [<0|1>]",
	"    Show low level info about the quicklist encoding of <key>.",
	"    The optional argument (0 by default) sets the level of detail",
	"CLIENT-EVICTION",
	"    Show low level client eviction pools info (maxmemory-clients).",
	"PAUSE-CRON <0|1>",
	"    Stop periodic cron job processing.",
	"REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
	"    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
	"    In case NEVER is provided the last observed peak will never be reset",
	"    In case RESET is provided the peak reset time will be restored to the default value",
	"REPLYBUFFER RESIZING <0|1>",
	"    Enable or disable the reply buffer resize cron job",
	"CLUSTERLINK KILL <to|from|all> <node-id>",
	"    Kills the link based on the direction to/from (both) with the provided node.",
}

// cmdDebug is DEBUG. Its subcommands are dispatched here, as in Redis,
// because the command table knows DEBUG only as one command. It runs with
// the keyspace held exclusively: DEBUG SLEEP stops the data as Redis stops
// everything, and the other subcommands reach keys the table does not
// declare.
func cmdDebug(x *Ctx) {
	sub, argc := x.Args[1], len(x.Args)
	switch {
	case cmdIs(sub, "help") && argc == 2:
		appendHelp(x.W, "DEBUG", debugHelp)
	case cmdIs(sub, "sleep") && argc == 3:
		debugSleep(x)
	case cmdIs(sub, "object") && argc == 3:
		debugObject(x)
	case cmdIs(sub, "digest") && argc == 2:
		d := x.s.datasetDigest()
		x.W.AppendSimple(hex.EncodeToString(d[:]))
	case cmdIs(sub, "digest-value") && argc >= 2:
		x.W.AppendArray(argc - 2)
		for _, key := range x.Args[2:] {
			var d digest
			// A debug command sees keys whose time has passed, as Redis's
			// does: no lookup, no expiry.
			if e := x.db.find(key); e != nil {
				d.object(&e.Value)
			}
			x.W.AppendSimple(hex.EncodeToString(d[:]))
		}
	case cmdIs(sub, "set-active-expire") && argc == 3:
		x.s.adm.noActiveEx.Store(atoi(x.Args[2]) == 0)
		x.W.AppendSimple("OK")
	case cmdIs(sub, "error") && argc == 3:
		x.W.AppendError(string(x.Args[2]))
	case cmdIs(sub, "log") && argc == 3:
		x.s.lg.Warn("DEBUG LOG: " + string(x.Args[2]))
		x.W.AppendSimple("OK")
	case cmdIs(sub, "protocol") && argc == 3:
		debugProtocol(x)
	case cmdIs(sub, "change-repl-id") && argc == 2:
		a := x.s.admin()
		a.replMu.Lock()
		a.replID = randomHex(20)
		a.replMu.Unlock()
		x.s.lg.Warn("changing replication IDs after receiving DEBUG change-repl-id")
		x.W.AppendSimple("OK")
	case cmdIs(sub, "populate") && argc >= 3 && argc <= 5:
		debugPopulate(x)
	default:
		x.subcommandSyntaxError()
	}
}

// atoi is C's atoi: optional spaces and sign, then digits, stopping at
// anything else; 0 when there are none.
func atoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var v int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		v = v*10 + int64(b[i]-'0')
	}
	if neg {
		return -v
	}
	return v
}

// strtodPrefix is C's strtod on b: the longest leading number, 0 when
// there is none.
func strtodPrefix(b []byte) float64 {
	s := strings.TrimLeft(string(b), " \t\n\v\f\r")
	for n := len(s); n > 0; n-- {
		if !isStrtodNumber([]byte(s[:n])) {
			continue
		}
		if f, err := strconv.ParseFloat(s[:n], 64); err == nil || strings.Contains(err.Error(), "range") {
			return f
		}
	}
	return 0
}

func debugSleep(x *Ctx) {
	us := int64(strtodPrefix(x.Args[2]) * 1e6)
	if us > 0 {
		time.Sleep(time.Duration(us) * time.Microsecond)
	}
	x.W.AppendSimple("OK")
}

// rdbSizer is implemented by values that know the size of their RDB
// serialization, which DEBUG OBJECT reports as serializedlength.
type rdbSizer interface {
	serializedLength(it *item) int64
}

// debugDetailer is implemented by values whose DEBUG OBJECT line has more
// fields (a list's ql_nodes…), returned with their leading space.
type debugDetailer interface {
	debugDetail(it *item) string
}

func (v *strValue) serializedLength(*item) int64 { return int64(len(rdb.AppendString(nil, v.b, true))) }

func debugObject(x *Ctx) {
	e := x.db.find(x.Args[2])
	if e == nil {
		x.W.AppendError(errNoSuchKey)
		return
	}
	it := &e.Value
	enc := it.val.encoding(it)
	refcount := int64(1)
	if sv, ok := it.val.(*strValue); ok && enc == "int" && !x.s.lfuPolicy() {
		if n, _ := parseInt(sv.b); n >= 0 && n < sharedIntegers {
			refcount = sharedRefcount
		}
	}
	var serialized int64
	if rs, ok := it.val.(rdbSizer); ok {
		serialized = rs.serializedLength(it)
	}
	var detail string
	if dd, ok := it.val.(debugDetailer); ok {
		detail = dd.debugDetail(it)
	}
	clock := x.s.lruClock()
	idle := int64(clock) - int64(it.lru)
	if idle < 0 {
		idle += lruClockMax
	}
	x.W.AppendSimple(fmt.Sprintf("Value at:%p refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d%s",
		e, refcount, enc, serialized, it.lru, idle, detail))
}

func debugProtocol(x *Ctx) {
	w := x.W
	name := x.Args[2]
	switch {
	case cmdIs(name, "string"):
		w.AppendBulkString("Hello World")
	case cmdIs(name, "integer"):
		w.AppendInt(12345)
	case cmdIs(name, "double"):
		w.AppendDouble(3.141)
	case cmdIs(name, "bignum"):
		w.AppendBigNumber("1234567999999999999999999999999999999")
	case cmdIs(name, "null"):
		w.AppendNull()
	case cmdIs(name, "array"):
		w.AppendArray(3)
		for j := range 3 {
			w.AppendInt(int64(j))
		}
	case cmdIs(name, "set"):
		w.AppendSet(3)
		for j := range 3 {
			w.AppendInt(int64(j))
		}
	case cmdIs(name, "map"):
		w.AppendMap(3)
		for j := range 3 {
			w.AppendInt(int64(j))
			w.AppendBool(j == 1)
		}
	case cmdIs(name, "attrib"):
		if w.Proto() >= 3 {
			w.AppendRaw([]byte("|1\r\n"))
			w.AppendBulkString("key-popularity")
			w.AppendArray(2)
			w.AppendBulkString("key:123")
			w.AppendInt(90)
		}
		w.AppendBulkString("Some real reply following the attribute")
	case cmdIs(name, "push"):
		if w.Proto() < 3 {
			w.AppendError("ERR RESP2 is not supported by this command")
			return
		}
		w.AppendPush(2)
		w.AppendBulkString("server-cpu-usage")
		w.AppendInt(42)
		w.AppendBulkString("Some real reply following the push reply")
	case cmdIs(name, "true"):
		w.AppendBool(true)
	case cmdIs(name, "false"):
		w.AppendBool(false)
	case cmdIs(name, "verbatim"):
		w.AppendVerbatim("txt", []byte("This is a verbatim\nstring"))
	default:
		w.AppendError("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}

// debugPopulate is DEBUG POPULATE count [prefix] [size]: count string keys
// prefix:N holding value:N (padded with zero bytes, or cut, to size),
// skipping keys that exist.
func debugPopulate(x *Ctx) {
	positive := func(b []byte) (int64, bool) {
		v, ok := parseInt(b)
		if !ok || v < 0 {
			x.W.AppendError("ERR value is out of range, must be positive")
			return 0, false
		}
		return v, true
	}
	count, ok := positive(x.Args[2])
	if !ok {
		return
	}
	if count > 1<<32 {
		// Redis sizes its table for count keys first, and fails so.
		x.W.AppendError("ERR OOM in dictTryExpand")
		return
	}
	size := int64(-1)
	if len(x.Args) == 5 {
		if size, ok = positive(x.Args[4]); !ok {
			return
		}
		if size == 0 {
			size = -1
		}
	}
	prefix := "key"
	if len(x.Args) >= 4 {
		prefix = cstr(x.Args[3])
	}
	for j := int64(0); j < count; j++ {
		key := prefix + ":" + strconv.FormatInt(j, 10)
		if len(key) > 127 {
			// Redis formats the name into a 128-byte buffer.
			key = key[:127]
		}
		if x.lookup([]byte(key)) != nil {
			continue
		}
		val := []byte("value:" + strconv.FormatInt(j, 10))
		if size >= 0 {
			v := make([]byte, size)
			copy(v, val)
			val = v
		}
		x.add([]byte(key), &strValue{b: val})
		x.modified([]byte(key))
	}
	x.W.AppendSimple("OK")
}

// --- DEBUG DIGEST

// digest is a 20-byte SHA1-based digest built as Redis's DEBUG DIGEST
// builds it, so that equal datasets give equal digests in keyslot and in
// Redis.
type digest [sha1.Size]byte

// xor mixes b in without order: d ^= SHA1(b) (Redis's xorDigest).
func (d *digest) xor(b []byte) {
	h := sha1.Sum(b)
	for i := range d {
		d[i] ^= h[i]
	}
}

// mix mixes b in so that order matters: d = SHA1(d ^ SHA1(b)) (Redis's
// mixDigest).
func (d *digest) mix(b []byte) {
	d.xor(b)
	*d = sha1.Sum(d[:])
}

// digester is implemented by the values DEBUG DIGEST can hash. digestValue
// adds the value's elements to d as Redis's xorObjectDigest does for its
// type (the type code and the expire are added by the caller): strings
// and lists with mix per element, sets with xor per member, hashes and
// sorted sets with xor of a per-element digest (see digestPair).
type digester interface {
	digestValue(d *digest)
}

func (v *strValue) digestValue(d *digest) { d.mix(v.b) }

// digestPair adds one hash field and value, or one sorted-set member and
// its score (formatted with formatFloat, as Redis's %.17g), to d.
func digestPair(d *digest, a, b []byte) {
	var e digest
	e.mix(a)
	e.mix(b)
	d.xor(e[:])
}

// redisTypeCode is the object type Redis mixes into a digest.
func redisTypeCode(v value) uint32 {
	switch v.typeName() {
	case "list":
		return 1
	case "set":
		return 2
	case "zset":
		return 3
	case "hash":
		return 4
	case "stream":
		return 6
	}
	return 0
}

// object adds a value as Redis's xorObjectDigest does.
func (d *digest) object(it *item) {
	var code [4]byte
	binary.BigEndian.PutUint32(code[:], redisTypeCode(it.val))
	d.mix(code[:])
	if dg, ok := it.val.(digester); ok {
		dg.digestValue(d)
	}
	if it.ttl {
		d.xor([]byte("!!expire!!"))
	}
}

// datasetDigest is DEBUG DIGEST: per non-empty database its number, then
// the xor of each key's digest. The keyspace is held exclusively.
func (s *Server) datasetDigest() digest {
	var final digest
	for j, db := range s.ks.dbs {
		if db.keys.Load() == 0 {
			continue
		}
		var id [4]byte
		binary.BigEndian.PutUint32(id[:], uint32(j))
		final.mix(id[:])
		for _, sk := range db.slots {
			if sk == nil {
				continue
			}
			for e := range sk.keys.All() {
				var d digest
				d.mix([]byte(e.Key))
				d.object(&e.Value)
				final.xor(d[:])
			}
		}
	}
	return final
}
