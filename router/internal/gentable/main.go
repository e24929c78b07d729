// Command gentable writes router/commands_gen.go, the Redis 7.0 command
// table, from what a running redis-server reports: COMMAND (COMMAND INFO
// for every command) and COMMAND DOCS, read over RESP3. Facts about
// commands are Redis's, so they are read from Redis rather than typed in;
// the one thing Redis does not report, which commands have a getkeys_proc
// (finders), is listed in finders below from Redis's src/commands.c.
//
// Usage (from the router directory, as go generate runs it):
//
//	go run ./internal/gentable [-addr host:port] [-out commands_gen.go]
//
// Without -addr it starts redis-server from PATH on a free port. The
// server must be Redis 7.0; the table is checked against 7.0.15 in tests.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"net"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keyslot/keyslot/router/internal/respval"
)

func main() {
	addr := flag.String("addr", "", "address of a running redis-server 7.0 (default: start one from PATH)")
	out := flag.String("out", "commands_gen.go", "output file")
	flag.Parse()
	if err := run(*addr, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gentable:", err)
		os.Exit(1)
	}
}

func run(addr, out string) error {
	if addr == "" {
		a, stop, err := startServer()
		if err != nil {
			return err
		}
		defer stop()
		addr = a
	}
	c, err := dial(addr)
	if err != nil {
		return err
	}
	defer c.close()

	if _, err := c.do("HELLO", "3"); err != nil {
		return err
	}
	infoReply, err := c.do("INFO", "server")
	if err != nil {
		return err
	}
	version := field(infoReply.Str, "redis_version")
	if !strings.HasPrefix(version, "7.0.") {
		return fmt.Errorf("redis-server at %s is %q, want 7.0.x", addr, version)
	}
	infos, err := c.do("COMMAND")
	if err != nil {
		return err
	}
	docs, err := c.do("COMMAND", "DOCS")
	if err != nil {
		return err
	}
	cmds, err := buildTable(infos, docs)
	if err != nil {
		return err
	}
	src, err := render(cmds, version)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// startServer starts a throwaway redis-server and returns its address.
func startServer() (string, func(), error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", nil, errors.New("no -addr given and redis-server is not in PATH")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "gentable")
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--logfile", "")
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.RemoveAll(dir)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := dial(addr); err == nil {
			v, err := c.do("PING")
			c.close()
			if err == nil && v.Str == "PONG" {
				return addr, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("redis-server on %s did not start", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type conn struct {
	nc  net.Conn
	br  *bufio.Reader
	buf []byte
}

func dial(addr string) (*conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	return &conn{nc: nc, br: bufio.NewReader(nc)}, nil
}

func (c *conn) close() { c.nc.Close() }

func (c *conn) do(args ...string) (respval.Value, error) {
	var req bytes.Buffer
	fmt.Fprintf(&req, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&req, "$%d\r\n%s\r\n", len(a), a)
	}
	_ = c.nc.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.nc.Write(req.Bytes()); err != nil {
		return respval.Value{}, err
	}
	var chunk [64 << 10]byte
	for {
		v, n, err := respval.Parse(c.buf)
		if err == nil {
			c.buf = c.buf[n:]
			if v.Kind == '-' {
				return v, fmt.Errorf("%v: %s", args, v.Str)
			}
			return v, nil
		}
		if !errors.Is(err, respval.ErrIncomplete) {
			return respval.Value{}, err
		}
		m, err := c.br.Read(chunk[:])
		if m == 0 && err != nil {
			return respval.Value{}, err
		}
		c.buf = append(c.buf, chunk[:m]...)
	}
}

// field returns the value of "name:value" in an INFO reply.
func field(info, name string) string {
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	return ""
}

// command is the generator's model of one command, close to the router's.
type command struct {
	name              string
	arity             int64
	flags             []string
	first, last, step int64
	categories        []string
	tips              []string
	keySpecs          []keySpec
	subcommands       []*command
	doc               doc
	finder            string
	container         bool
}

type keySpec struct {
	notes     string
	flags     []string
	bsType    string
	index     int64
	keyword   string
	startFrom int64
	fkType    string
	lastKey   int64
	keyStep   int64
	limit     int64
	keyNumIdx int64
	firstKey  int64
}

type doc struct {
	summary, since, group, complexity string
	docFlags                          []string
	deprecatedSince, replacedBy       string
	history                           [][2]string
	args                              []arg
}

type arg struct {
	name, typ       string
	keySpecIndex    int64
	hasKeySpec      bool
	token           string
	emptyToken      bool
	since           string
	deprecatedSince string
	flags           []string
	args            []arg
}

// finders lists the commands that have a getkeys_proc in Redis 7.0's
// src/commands.c, with the router Finder that reproduces it. Redis uses
// the finder where the key specs are INCOMPLETE, have VARIABLE_FLAGS, or
// fail to parse (a bad numkeys).
func finders() map[string]string {
	numKeys := func(store, count, first int) string {
		return fmt.Sprintf("Finder{Kind: FinderNumKeys, StoreKey: %d, NumKeysIdx: %d, FirstKey: %d, Step: 1}", store, count, first)
	}
	return map[string]string{
		"eval":              numKeys(0, 2, 3),
		"evalsha":           numKeys(0, 2, 3),
		"eval_ro":           numKeys(0, 2, 3),
		"evalsha_ro":        numKeys(0, 2, 3),
		"fcall":             numKeys(0, 2, 3),
		"fcall_ro":          numKeys(0, 2, 3),
		"zunionstore":       numKeys(1, 2, 3),
		"zinterstore":       numKeys(1, 2, 3),
		"zdiffstore":        numKeys(1, 2, 3),
		"zunion":            numKeys(0, 1, 2),
		"zinter":            numKeys(0, 1, 2),
		"zdiff":             numKeys(0, 1, 2),
		"zintercard":        numKeys(0, 1, 2),
		"sintercard":        numKeys(0, 1, 2),
		"lmpop":             numKeys(0, 1, 2),
		"zmpop":             numKeys(0, 1, 2),
		"blmpop":            numKeys(0, 2, 3),
		"bzmpop":            numKeys(0, 2, 3),
		"sort":              "Finder{Kind: FinderSort}",
		"sort_ro":           "Finder{Kind: FinderSortRO}",
		"migrate":           "Finder{Kind: FinderMigrate}",
		"georadius":         "Finder{Kind: FinderGeoradius}",
		"georadiusbymember": "Finder{Kind: FinderGeoradius}",
		"xread":             "Finder{Kind: FinderXread}",
		"xreadgroup":        "Finder{Kind: FinderXread}",
		"set":               "Finder{Kind: FinderSet}",
		"bitfield":          "Finder{Kind: FinderBitfield}",
	}
}

func buildTable(infos, docs respval.Value) ([]*command, error) {
	if !infos.IsAggregate() {
		return nil, errors.New("COMMAND: not an array")
	}
	var cmds []*command
	for _, v := range infos.Elems {
		c, err := parseInfo(v)
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, c)
	}
	byName := map[string]*command{}
	var walk func([]*command)
	walk = func(cs []*command) {
		for _, c := range cs {
			byName[c.name] = c
			walk(c.subcommands)
		}
	}
	walk(cmds)

	if err := parseDocsMap(docs, byName); err != nil {
		return nil, err
	}
	fs := finders()
	for name, f := range fs {
		c, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("finder for unknown command %q", name)
		}
		c.finder = f
	}
	for name, c := range byName {
		if c.doc.summary == "" {
			return nil, fmt.Errorf("%s: no COMMAND DOCS entry", name)
		}
		// Every command whose keys move must have a finder or specs that
		// the router can resolve on their own.
		if contains(c.flags, "movablekeys") && c.finder == "" {
			for _, ks := range c.keySpecs {
				if ks.bsType == "unknown" || ks.fkType == "unknown" || contains(ks.flags, "incomplete") {
					return nil, fmt.Errorf("%s: movable keys need a finder", name)
				}
			}
		}
	}
	sortCommands(cmds)
	return cmds, nil
}

func sortCommands(cs []*command) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		sortCommands(c.subcommands)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseInfo(v respval.Value) (*command, error) {
	if !v.IsAggregate() || len(v.Elems) != 10 {
		return nil, fmt.Errorf("COMMAND INFO entry %q: want 10 elements", v.Raw)
	}
	e := v.Elems
	c := &command{
		name:       e[0].Str,
		arity:      e[1].Int,
		flags:      e[2].Strings(),
		first:      e[3].Int,
		last:       e[4].Int,
		step:       e[5].Int,
		categories: e[6].Strings(),
		tips:       e[7].Strings(),
	}
	if err := checkOrder(c.name, "flags", c.flags, commandFlagOrder()); err != nil {
		return nil, err
	}
	cats := make([]string, len(c.categories))
	for i, cat := range c.categories {
		cats[i] = strings.TrimPrefix(cat, "@")
	}
	c.categories = cats
	if err := checkOrder(c.name, "categories", cats, categoryOrder()); err != nil {
		return nil, err
	}
	for _, t := range c.tips {
		if _, ok := tipIdent()[t]; !ok {
			return nil, fmt.Errorf("%s: unknown tip %q", c.name, t)
		}
	}
	for _, ksv := range e[8].Elems {
		ks, err := parseKeySpec(c.name, ksv)
		if err != nil {
			return nil, err
		}
		c.keySpecs = append(c.keySpecs, ks)
	}
	for _, sv := range e[9].Elems {
		sc, err := parseInfo(sv)
		if err != nil {
			return nil, err
		}
		c.subcommands = append(c.subcommands, sc)
	}
	if e[9].Kind == '*' {
		c.container = true
	}
	return c, nil
}

// pairs returns a map's pairs, checking that its keys appear in the order
// given by order (a subset of it), so that the router's fixed reply order
// reproduces Redis's.
func pairs(where string, v respval.Value, order ...string) (map[string]respval.Value, error) {
	ps, err := v.Pairs()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	out := map[string]respval.Value{}
	pos := 0
	for _, p := range ps {
		k := p[0].Str
		for pos < len(order) && order[pos] != k {
			pos++
		}
		if pos == len(order) {
			return nil, fmt.Errorf("%s: unexpected or out-of-order field %q", where, k)
		}
		out[k] = p[1]
		pos++
	}
	return out, nil
}

func parseKeySpec(name string, v respval.Value) (keySpec, error) {
	where := name + " key spec"
	m, err := pairs(where, v, "notes", "flags", "begin_search", "find_keys")
	if err != nil {
		return keySpec{}, err
	}
	ks := keySpec{notes: m["notes"].Str, flags: m["flags"].Strings()}
	if err := checkOrder(name, "key spec flags", ks.flags, keyFlagOrder()); err != nil {
		return keySpec{}, err
	}
	bs, err := pairs(where+" begin_search", m["begin_search"], "type", "spec")
	if err != nil {
		return keySpec{}, err
	}
	ks.bsType = bs["type"].Str
	switch ks.bsType {
	case "index":
		s, err := pairs(where, bs["spec"], "index")
		if err != nil {
			return keySpec{}, err
		}
		ks.index = s["index"].Int
	case "keyword":
		s, err := pairs(where, bs["spec"], "keyword", "startfrom")
		if err != nil {
			return keySpec{}, err
		}
		ks.keyword, ks.startFrom = s["keyword"].Str, s["startfrom"].Int
	case "unknown":
		if len(bs["spec"].Elems) != 0 {
			return keySpec{}, fmt.Errorf("%s: unknown begin_search with a spec", where)
		}
	default:
		return keySpec{}, fmt.Errorf("%s: begin_search type %q", where, ks.bsType)
	}
	fk, err := pairs(where+" find_keys", m["find_keys"], "type", "spec")
	if err != nil {
		return keySpec{}, err
	}
	ks.fkType = fk["type"].Str
	switch ks.fkType {
	case "range":
		s, err := pairs(where, fk["spec"], "lastkey", "keystep", "limit")
		if err != nil {
			return keySpec{}, err
		}
		ks.lastKey, ks.keyStep, ks.limit = s["lastkey"].Int, s["keystep"].Int, s["limit"].Int
	case "keynum":
		s, err := pairs(where, fk["spec"], "keynumidx", "firstkey", "keystep")
		if err != nil {
			return keySpec{}, err
		}
		ks.keyNumIdx, ks.firstKey, ks.keyStep = s["keynumidx"].Int, s["firstkey"].Int, s["keystep"].Int
	case "unknown":
		if len(fk["spec"].Elems) != 0 {
			return keySpec{}, fmt.Errorf("%s: unknown find_keys with a spec", where)
		}
	default:
		return keySpec{}, fmt.Errorf("%s: find_keys type %q", where, ks.fkType)
	}
	return ks, nil
}

func parseDocsMap(v respval.Value, byName map[string]*command) error {
	ps, err := v.Pairs()
	if err != nil {
		return fmt.Errorf("COMMAND DOCS: %w", err)
	}
	for _, p := range ps {
		name := p[0].Str
		c, ok := byName[name]
		if !ok {
			return fmt.Errorf("COMMAND DOCS: %q is not in COMMAND", name)
		}
		subs, err := parseDoc(name, p[1], &c.doc)
		if err != nil {
			return err
		}
		if subs.Kind != 0 {
			if err := parseDocsMap(subs, byName); err != nil {
				return err
			}
		}
	}
	return nil
}

func parseDoc(name string, v respval.Value, d *doc) (respval.Value, error) {
	m, err := pairs(name+" docs", v, "summary", "since", "group", "complexity", "doc_flags",
		"deprecated_since", "replaced_by", "history", "arguments", "subcommands")
	if err != nil {
		return respval.Value{}, err
	}
	d.summary, d.since, d.group, d.complexity = m["summary"].Str, m["since"].Str, m["group"].Str, m["complexity"].Str
	// The router writes optional fields only when they are non-empty.
	for _, k := range []string{"summary", "since", "complexity", "deprecated_since", "replaced_by"} {
		if x, ok := m[k]; ok && x.Str == "" {
			return respval.Value{}, fmt.Errorf("%s: empty %s", name, k)
		}
	}
	if x, ok := m["doc_flags"]; ok && len(x.Elems) == 0 {
		return respval.Value{}, fmt.Errorf("%s: empty doc_flags", name)
	}
	if x, ok := m["history"]; ok && len(x.Elems) == 0 {
		return respval.Value{}, fmt.Errorf("%s: empty history", name)
	}
	if _, ok := groupIdent()[d.group]; !ok {
		return respval.Value{}, fmt.Errorf("%s: unknown group %q", name, d.group)
	}
	d.docFlags = m["doc_flags"].Strings()
	if err := checkOrder(name, "doc_flags", d.docFlags, []string{"deprecated", "syscmd"}); err != nil {
		return respval.Value{}, err
	}
	d.deprecatedSince, d.replacedBy = m["deprecated_since"].Str, m["replaced_by"].Str
	for _, h := range m["history"].Elems {
		if len(h.Elems) != 2 {
			return respval.Value{}, fmt.Errorf("%s: history entry %q", name, h.Raw)
		}
		d.history = append(d.history, [2]string{h.Elems[0].Str, h.Elems[1].Str})
	}
	if a, ok := m["arguments"]; ok {
		args, err := parseArgs(name, a)
		if err != nil {
			return respval.Value{}, err
		}
		if len(args) == 0 {
			return respval.Value{}, fmt.Errorf("%s: empty argument list", name)
		}
		d.args = args
	}
	return m["subcommands"], nil
}

func parseArgs(name string, v respval.Value) ([]arg, error) {
	var out []arg
	for _, av := range v.Elems {
		m, err := pairs(name+" argument", av, "name", "type", "key_spec_index", "token",
			"since", "deprecated_since", "flags", "arguments")
		if err != nil {
			return nil, err
		}
		a := arg{
			name:            m["name"].Str,
			typ:             m["type"].Str,
			token:           m["token"].Str,
			since:           m["since"].Str,
			deprecatedSince: m["deprecated_since"].Str,
			flags:           m["flags"].Strings(),
		}
		if _, ok := argTypeIdent()[a.typ]; !ok {
			return nil, fmt.Errorf("%s: argument type %q", name, a.typ)
		}
		if err := checkOrder(name, "argument flags", a.flags, []string{"optional", "multiple", "multiple_token"}); err != nil {
			return nil, err
		}
		if t, ok := m["token"]; ok && t.Str == "" {
			a.emptyToken = true
		}
		if ks, ok := m["key_spec_index"]; ok {
			a.keySpecIndex, a.hasKeySpec = ks.Int, true
		}
		if sub, ok := m["arguments"]; ok {
			if a.args, err = parseArgs(name, sub); err != nil {
				return nil, err
			}
			if a.typ != "oneof" && a.typ != "block" {
				return nil, fmt.Errorf("%s: %s argument %q has members", name, a.typ, a.name)
			}
		} else if a.typ == "oneof" || a.typ == "block" {
			return nil, fmt.Errorf("%s: %s argument %q without members", name, a.typ, a.name)
		}
		// The router writes "token", "since"… only when non-empty.
		if x, ok := m["flags"]; ok && len(x.Elems) == 0 {
			return nil, fmt.Errorf("%s: empty argument flags", name)
		}
		for _, k := range []string{"since", "deprecated_since"} {
			if x, ok := m[k]; ok && x.Str == "" {
				return nil, fmt.Errorf("%s: empty %s", name, k)
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// checkOrder fails unless names are distinct members of order, in order.
func checkOrder(cmd, what string, names, order []string) error {
	pos := 0
	for _, n := range names {
		for pos < len(order) && order[pos] != n {
			pos++
		}
		if pos == len(order) {
			return fmt.Errorf("%s: %s %v: unknown or out of Redis's order", cmd, what, names)
		}
		pos++
	}
	return nil
}

func commandFlagOrder() []string {
	return []string{"write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript",
		"blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking",
		"fast", "no_auth", "may_replicate", "no_mandatory_keys", "no_async_loading",
		"no_multi", "movablekeys", "allow_busy"}
}

func commandFlagIdent() map[string]string {
	return map[string]string{
		"write": "FlagWrite", "readonly": "FlagReadonly", "denyoom": "FlagDenyOOM",
		"module": "FlagModule", "admin": "FlagAdmin", "pubsub": "FlagPubSub",
		"noscript": "FlagNoScript", "blocking": "FlagBlocking", "loading": "FlagLoading",
		"stale": "FlagStale", "skip_monitor": "FlagSkipMonitor", "skip_slowlog": "FlagSkipSlowlog",
		"asking": "FlagAsking", "fast": "FlagFast", "no_auth": "FlagNoAuth",
		"may_replicate": "FlagMayReplicate", "no_mandatory_keys": "FlagNoMandatoryKeys",
		"no_async_loading": "FlagNoAsyncLoading", "no_multi": "FlagNoMulti",
		"movablekeys": "FlagMovableKeys", "allow_busy": "FlagAllowBusy",
	}
}

func categoryOrder() []string {
	return []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
		"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
		"blocking", "dangerous", "connection", "transaction", "scripting"}
}

func categoryIdent() map[string]string {
	return map[string]string{
		"keyspace": "CatKeyspace", "read": "CatRead", "write": "CatWrite", "set": "CatSet",
		"sortedset": "CatSortedSet", "list": "CatList", "hash": "CatHash", "string": "CatString",
		"bitmap": "CatBitmap", "hyperloglog": "CatHyperLogLog", "geo": "CatGeo",
		"stream": "CatStream", "pubsub": "CatPubSub", "admin": "CatAdmin", "fast": "CatFast",
		"slow": "CatSlow", "blocking": "CatBlocking", "dangerous": "CatDangerous",
		"connection": "CatConnection", "transaction": "CatTransaction", "scripting": "CatScripting",
	}
}

func keyFlagOrder() []string {
	return []string{"RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key",
		"incomplete", "variable_flags"}
}

func keyFlagIdent() map[string]string {
	return map[string]string{
		"RO": "KeyRO", "RW": "KeyRW", "OW": "KeyOW", "RM": "KeyRM", "access": "KeyAccess",
		"update": "KeyUpdate", "insert": "KeyInsert", "delete": "KeyDelete",
		"not_key": "KeyNotKey", "incomplete": "KeyIncomplete", "variable_flags": "KeyVariableFlags",
	}
}

func tipIdent() map[string]string {
	return map[string]string{
		"nondeterministic_output":         "TipNondeterministicOutput",
		"nondeterministic_output_order":   "TipNondeterministicOutputOrder",
		"request_policy:all_nodes":        "TipRequestAllNodes",
		"request_policy:all_shards":       "TipRequestAllShards",
		"request_policy:multi_shard":      "TipRequestMultiShard",
		"request_policy:special":          "TipRequestSpecial",
		"response_policy:one_succeeded":   "TipResponseOneSucceeded",
		"response_policy:all_succeeded":   "TipResponseAllSucceeded",
		"response_policy:agg_logical_and": "TipResponseAggLogicalAnd",
		"response_policy:agg_logical_or":  "TipResponseAggLogicalOr",
		"response_policy:agg_min":         "TipResponseAggMin",
		"response_policy:agg_max":         "TipResponseAggMax",
		"response_policy:agg_sum":         "TipResponseAggSum",
		"response_policy:special":         "TipResponseSpecial",
	}
}

func groupIdent() map[string]string {
	return map[string]string{
		"generic": "GroupGeneric", "string": "GroupString", "list": "GroupList", "set": "GroupSet",
		"sorted-set": "GroupSortedSet", "hash": "GroupHash", "pubsub": "GroupPubSub",
		"transactions": "GroupTransactions", "connection": "GroupConnection",
		"server": "GroupServer", "scripting": "GroupScripting", "hyperloglog": "GroupHyperLogLog",
		"cluster": "GroupCluster", "sentinel": "GroupSentinel", "geo": "GroupGeo",
		"stream": "GroupStream", "bitmap": "GroupBitmap", "module": "GroupModule",
	}
}

func argTypeIdent() map[string]string {
	return map[string]string{
		"string": "ArgString", "integer": "ArgInteger", "double": "ArgDouble", "key": "ArgKey",
		"pattern": "ArgPattern", "unix-time": "ArgUnixTime", "pure-token": "ArgPureToken",
		"oneof": "ArgOneOf", "block": "ArgBlock",
	}
}

func bits(names []string, ident map[string]string) string {
	if len(names) == 0 {
		return ""
	}
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = ident[n]
	}
	return strings.Join(ids, " | ")
}

func render(cmds []*command, version string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by router/internal/gentable from redis-server %s; DO NOT EDIT.\n\n", version)
	b.WriteString("package router\n\n")
	fmt.Fprintf(&b, "// generatedFrom is the redis-server version the table was read from.\n")
	fmt.Fprintf(&b, "const generatedFrom = %q\n\n", version)
	b.WriteString("// builtinCommands returns a fresh copy of Redis 7.0's command table,\n")
	b.WriteString("// top-level commands sorted by name.\n")
	b.WriteString("func builtinCommands() []*Command {\n\treturn []*Command{\n")
	for _, c := range cmds {
		renderCommand(&b, c)
		b.WriteString(",\n")
	}
	b.WriteString("}\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting generated source: %w\n%s", err, b.Bytes())
	}
	return src, nil
}

func renderCommand(b *bytes.Buffer, c *command) {
	fmt.Fprintf(b, "{\nName: %q, Arity: %d,\n", c.name, c.arity)
	if s := bits(c.flags, commandFlagIdent()); s != "" {
		fmt.Fprintf(b, "Flags: %s,\n", s)
	}
	if s := bits(c.categories, categoryIdent()); s != "" {
		fmt.Fprintf(b, "Categories: %s,\n", s)
	}
	if len(c.tips) > 0 {
		ids := make([]string, len(c.tips))
		for i, t := range c.tips {
			ids[i] = tipIdent()[t]
		}
		fmt.Fprintf(b, "Tips: []Tip{%s},\n", strings.Join(ids, ", "))
	}
	if c.first != 0 || c.last != 0 || c.step != 0 {
		fmt.Fprintf(b, "FirstKey: %d, LastKey: %d, KeyStep: %d,\n", c.first, c.last, c.step)
	}
	if len(c.keySpecs) > 0 {
		b.WriteString("KeySpecs: []KeySpec{\n")
		for _, ks := range c.keySpecs {
			renderKeySpec(b, ks)
		}
		b.WriteString("},\n")
	}
	if c.finder != "" {
		fmt.Fprintf(b, "Finder: %s,\n", c.finder)
	}
	if c.container {
		b.WriteString("Subcommands: []*Command{\n")
		for _, sc := range c.subcommands {
			renderCommand(b, sc)
			b.WriteString(",\n")
		}
		b.WriteString("},\n")
	}
	renderDoc(b, c.doc)
	b.WriteString("}")
}

func renderKeySpec(b *bytes.Buffer, ks keySpec) {
	b.WriteString("{\n")
	if ks.notes != "" {
		fmt.Fprintf(b, "Notes: %q,\n", ks.notes)
	}
	if s := bits(ks.flags, keyFlagIdent()); s != "" {
		fmt.Fprintf(b, "Flags: %s,\n", s)
	}
	switch ks.bsType {
	case "index":
		fmt.Fprintf(b, "BeginSearch: BeginSearch{Type: SearchIndex, Index: %d},\n", ks.index)
	case "keyword":
		fmt.Fprintf(b, "BeginSearch: BeginSearch{Type: SearchKeyword, Keyword: %q, StartFrom: %d},\n", ks.keyword, ks.startFrom)
	default:
		b.WriteString("BeginSearch: BeginSearch{Type: SearchUnknown},\n")
	}
	switch ks.fkType {
	case "range":
		fmt.Fprintf(b, "FindKeys: FindKeys{Type: FindRange, LastKey: %d, KeyStep: %d, Limit: %d},\n", ks.lastKey, ks.keyStep, ks.limit)
	case "keynum":
		fmt.Fprintf(b, "FindKeys: FindKeys{Type: FindKeyNum, KeyNumIdx: %d, FirstKey: %d, KeyStep: %d},\n", ks.keyNumIdx, ks.firstKey, ks.keyStep)
	default:
		b.WriteString("FindKeys: FindKeys{Type: FindUnknown},\n")
	}
	b.WriteString("},\n")
}

func renderDoc(b *bytes.Buffer, d doc) {
	b.WriteString("Doc: Doc{\n")
	fmt.Fprintf(b, "Summary: %q,\nSince: %q,\nGroup: %s,\n", d.summary, d.since, groupIdent()[d.group])
	if d.complexity != "" {
		fmt.Fprintf(b, "Complexity: %q,\n", d.complexity)
	}
	if s := bits(d.docFlags, map[string]string{"deprecated": "DocDeprecated", "syscmd": "DocSyscmd"}); s != "" {
		fmt.Fprintf(b, "Flags: %s,\n", s)
	}
	if d.deprecatedSince != "" {
		fmt.Fprintf(b, "DeprecatedSince: %q,\n", d.deprecatedSince)
	}
	if d.replacedBy != "" {
		fmt.Fprintf(b, "ReplacedBy: %q,\n", d.replacedBy)
	}
	if len(d.history) > 0 {
		b.WriteString("History: []History{\n")
		for _, h := range d.history {
			fmt.Fprintf(b, "{%q, %q},\n", h[0], h[1])
		}
		b.WriteString("},\n")
	}
	if len(d.args) > 0 {
		b.WriteString("Args: ")
		renderArgs(b, d.args)
		b.WriteString(",\n")
	}
	b.WriteString("},\n")
}

func renderArgs(b *bytes.Buffer, args []arg) {
	b.WriteString("[]Arg{\n")
	for _, a := range args {
		fmt.Fprintf(b, "{Name: %q, Type: %s", a.name, argTypeIdent()[a.typ])
		if a.hasKeySpec {
			fmt.Fprintf(b, ", KeySpecIndex: %d, HasKeySpec: true", a.keySpecIndex)
		}
		if a.token != "" {
			fmt.Fprintf(b, ", Token: %q", a.token)
		}
		if a.emptyToken {
			b.WriteString(", EmptyToken: true")
		}
		if a.since != "" {
			fmt.Fprintf(b, ", Since: %q", a.since)
		}
		if a.deprecatedSince != "" {
			fmt.Fprintf(b, ", DeprecatedSince: %q", a.deprecatedSince)
		}
		if s := bits(a.flags, map[string]string{"optional": "ArgOptional", "multiple": "ArgMultiple", "multiple_token": "ArgMultipleToken"}); s != "" {
			fmt.Fprintf(b, ", Flags: %s", s)
		}
		if len(a.args) > 0 {
			b.WriteString(", Args: ")
			renderArgs(b, a.args)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}")
}
