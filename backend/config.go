package backend

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keyslot/keyslot/internal/config"
)

// Config is everything a storage node needs to start. Keys carry their
// redis.conf names where Redis has them, so a file, a flag
// (--proto-max-bulk-len) and CONFIG GET all spell them alike. cmd/keyslot
// fills it from flags, KEYSLOT_* variables and a YAML file; tests build it
// with DefaultConfig and change what they need.
type Config struct {
	// Port is the TCP port for clients. 0 lets the kernel pick a free port
	// (Server.Addr reports it); unlike Redis, 0 does not disable TCP.
	Port int `mapstructure:"port"`

	// Bind is the one address to listen on: an IP address, "localhost", or
	// "*" for every interface. Redis accepts a list; keyslot takes one.
	Bind string `mapstructure:"bind"`

	// MaxClients is the most client connections served at once; Redis
	// answers the next one with "-ERR max number of clients reached".
	MaxClients int `mapstructure:"maxclients"`

	// Timeout closes a client idle for this many seconds; 0 never does.
	Timeout int `mapstructure:"timeout"`

	// ProtoMaxBulkLen is the largest bulk string a client may send.
	ProtoMaxBulkLen config.ByteSize `mapstructure:"proto-max-bulk-len"`

	// Databases is how many logical databases SELECT can choose from.
	Databases int `mapstructure:"databases"`

	// ClusterEnabled turns on Redis Cluster mode. Not implemented yet, so
	// Validate rejects true.
	ClusterEnabled bool `mapstructure:"cluster-enabled"`

	// AppendOnly turns on the append-only file. Not implemented yet, so
	// Validate rejects true.
	AppendOnly bool `mapstructure:"appendonly"`

	// Dir is the working directory for data files (RDB, AOF, nodes.conf).
	Dir string `mapstructure:"dir"`

	// MetricsAddr is where cmd/keyslot serves /metrics, /healthz and
	// /readyz for this node; "" serves none. The Server does not read it.
	// It is off by default because one host often runs several nodes, and a
	// fixed port would make the second one fail to start.
	MetricsAddr string `mapstructure:"metrics-addr"`

	// ShutdownTimeout bounds a graceful shutdown (draining clients, then
	// the admin listener) after SIGTERM or SIGINT. cmd/keyslot enforces it
	// through the context given to Server.Shutdown. CONFIG GET
	// shutdown-timeout shows it in whole seconds, as Redis counts it.
	ShutdownTimeout time.Duration `mapstructure:"shutdown-timeout"`

	// RequirePass is the password clients must give with AUTH or HELLO;
	// "" lets every client in.
	RequirePass string `mapstructure:"requirepass"`

	// MaxMemory is the memory limit past which maxmemory-policy applies;
	// 0 is none.
	MaxMemory config.ByteSize `mapstructure:"maxmemory"`

	// MaxMemoryPolicy is what happens at maxmemory: noeviction,
	// allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru,
	// volatile-lfu, volatile-random or volatile-ttl.
	MaxMemoryPolicy string `mapstructure:"maxmemory-policy"`

	// MaxMemorySamples is how many keys an eviction looks at per pick.
	MaxMemorySamples int `mapstructure:"maxmemory-samples"`

	// NotifyKeyspaceEvents selects the keyspace notifications published,
	// in Redis's letters ("KEA", "Ex", ...); "" publishes none.
	NotifyKeyspaceEvents string `mapstructure:"notify-keyspace-events"`

	// The sizes past which Redis leaves its compact encodings; keyslot
	// converts at the same points so that OBJECT ENCODING, and the orders
	// that depend on encodings, match Redis.
	HashMaxListpackEntries int64           `mapstructure:"hash-max-listpack-entries"`
	HashMaxListpackValue   config.ByteSize `mapstructure:"hash-max-listpack-value"`
	SetMaxIntsetEntries    int64           `mapstructure:"set-max-intset-entries"`
	ZSetMaxListpackEntries int64           `mapstructure:"zset-max-listpack-entries"`
	ZSetMaxListpackValue   config.ByteSize `mapstructure:"zset-max-listpack-value"`
	ListMaxListpackSize    int             `mapstructure:"list-max-listpack-size"`
	HLLSparseMaxBytes      config.ByteSize `mapstructure:"hll-sparse-max-bytes"`

	// Params sets any other redis.conf parameter, by name or alias, to a
	// value written as CONFIG SET takes it (multi-word values split on
	// white space; booleans also take true and false). Parameters with a
	// field of their own above cannot be set here. cmd/keyslot fills it
	// from config file keys and KEYSLOT_* variables named after them.
	Params map[string]string `mapstructure:"-"`

	// ConfigFile is the YAML file the node was started from, which CONFIG
	// REWRITE rewrites; "" means none.
	ConfigFile string `mapstructure:"-"`

	// params is the live parameter table of the Server holding this
	// Config, created by New (configCommands). It is nil in every Config a
	// caller holds.
	params *paramState
}

// DefaultConfig returns Redis 7's defaults for the keys Redis has, and
// keyslot's for the rest. It is valid as is.
func DefaultConfig() Config {
	return Config{
		Port:            6379,
		Bind:            "127.0.0.1",
		MaxClients:      10000,
		Timeout:         0,
		ProtoMaxBulkLen: 512 * config.MB,
		Databases:       16,
		ClusterEnabled:  false,
		AppendOnly:      false,
		Dir:             ".",
		MetricsAddr:     "",
		ShutdownTimeout: 10 * time.Second,

		RequirePass:            "",
		MaxMemory:              0,
		MaxMemoryPolicy:        "noeviction",
		MaxMemorySamples:       5,
		NotifyKeyspaceEvents:   "",
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ZSetMaxListpackEntries: 128,
		ZSetMaxListpackValue:   64,
		ListMaxListpackSize:    -2,
		HLLSparseMaxBytes:      3000,
	}
}

// Validate reports every key of c that cannot be used, joined into one
// error; each part is a *config.FieldError that names the key and its value
// and matches config.ErrInvalid. Ranges are Redis's own.
func (c Config) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(config.CheckRange("port", int64(c.Port), 0, 65535))
	add(config.CheckBind("bind", c.Bind))
	add(config.CheckRange("maxclients", int64(c.MaxClients), 1, math.MaxUint32))
	add(config.CheckRange("timeout", int64(c.Timeout), 0, math.MaxInt32))
	if c.ProtoMaxBulkLen < config.MB {
		add(config.Invalid("proto-max-bulk-len", c.ProtoMaxBulkLen.String(),
			"argument must be between 1048576 and 9223372036854775807 inclusive"))
	}
	add(config.CheckRange("databases", int64(c.Databases), 1, math.MaxInt32))
	if c.ClusterEnabled {
		add(config.Invalid("cluster-enabled", "yes", "cluster mode is not implemented yet"))
	}
	if c.AppendOnly {
		add(config.Invalid("appendonly", "yes", "append-only file persistence is not implemented yet"))
	}
	if c.Dir == "" {
		add(config.Invalid("dir", c.Dir, "argument must be a directory"))
	}
	if c.MetricsAddr != "" {
		add(config.CheckListenAddr("metrics-addr", c.MetricsAddr))
	}
	if c.ShutdownTimeout <= 0 {
		add(config.Invalid("shutdown-timeout", c.ShutdownTimeout.String(), "argument must be a positive duration"))
	}
	_, err := c.initialParams()
	add(err)
	return errors.Join(errs...)
}

// fieldParam is a Config field that is also a redis.conf parameter.
type fieldParam struct {
	name  string
	value string
	// checked says Validate checks the field itself (with keyslot's own
	// rules), so the parameter table only records it.
	checked bool
}

// fieldParams lists the fields of c that are redis.conf parameters, with
// their values as CONFIG GET shows them.
func (c Config) fieldParams() []fieldParam {
	secs := min(c.ShutdownTimeout/time.Second, math.MaxInt32)
	return []fieldParam{
		{"port", strconv.Itoa(c.Port), true},
		{"bind", c.Bind, true},
		{"maxclients", strconv.Itoa(c.MaxClients), true},
		{"timeout", strconv.Itoa(c.Timeout), true},
		{"proto-max-bulk-len", strconv.FormatInt(int64(c.ProtoMaxBulkLen), 10), true},
		{"databases", strconv.Itoa(c.Databases), true},
		{"cluster-enabled", config.FormatBool(c.ClusterEnabled), true},
		{"appendonly", config.FormatBool(c.AppendOnly), true},
		{"dir", absDir(c.Dir), true},
		{"shutdown-timeout", strconv.FormatInt(int64(max(secs, 0)), 10), true},
		{"requirepass", c.RequirePass, false},
		{"maxmemory", strconv.FormatInt(int64(c.MaxMemory), 10), false},
		{"maxmemory-policy", c.MaxMemoryPolicy, false},
		{"maxmemory-samples", strconv.Itoa(c.MaxMemorySamples), false},
		{"notify-keyspace-events", c.NotifyKeyspaceEvents, false},
		{"hash-max-listpack-entries", strconv.FormatInt(c.HashMaxListpackEntries, 10), false},
		{"hash-max-listpack-value", strconv.FormatInt(int64(c.HashMaxListpackValue), 10), false},
		{"set-max-intset-entries", strconv.FormatInt(c.SetMaxIntsetEntries, 10), false},
		{"zset-max-listpack-entries", strconv.FormatInt(c.ZSetMaxListpackEntries, 10), false},
		{"zset-max-listpack-value", strconv.FormatInt(int64(c.ZSetMaxListpackValue), 10), false},
		{"list-max-listpack-size", strconv.Itoa(c.ListMaxListpackSize), false},
		{"hll-sparse-max-bytes", strconv.FormatInt(int64(c.HLLSparseMaxBytes), 10), false},
	}
}

// absDir is dir as an absolute, symlink-free path, as Redis's getcwd shows
// the directory it changed to; dir itself when that cannot be worked out.
func absDir(dir string) string {
	if dir == "" {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// initialParams returns the value of every parameter at start-up, indexed
// like paramDefs: Redis's defaults, then c's fields, then c.Params. Its
// error joins a *config.FieldError for every value that cannot be used.
func (c Config) initialParams() ([]string, error) {
	vals := make([]string, len(paramDefs))
	for i := range paramDefs {
		vals[i] = paramDefs[i].def
	}
	var errs []error
	fields := make(map[int]string) // parameter index -> field key
	for _, f := range c.fieldParams() {
		i := paramIndex(f.name)
		fields[i] = f.name
		if f.checked {
			vals[i] = f.value
			continue
		}
		v, msg := startValue(&paramDefs[i], f.value, vals[i])
		if msg != "" {
			errs = append(errs, config.Invalid(f.name, f.value, msg))
			continue
		}
		vals[i] = v
	}
	names := make([]string, 0, len(c.Params))
	for name := range c.Params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		raw := c.Params[name]
		ent, ok := lookupParam([]byte(name))
		if !ok {
			errs = append(errs, config.Invalid(name, raw, "unknown parameter"))
			continue
		}
		d := &paramDefs[ent.def]
		if key, own := fields[ent.def]; own {
			errs = append(errs, config.Invalid(name, raw, "set it with the "+key+" key"))
			continue
		}
		v, msg := startValue(d, raw, vals[ent.def])
		if msg == "" {
			msg = notSupported(d.name, v)
		}
		if msg != "" {
			errs = append(errs, config.Invalid(name, raw, msg))
			continue
		}
		vals[ent.def] = v
	}
	return vals, errors.Join(errs...)
}

// startValue parses a value from a config file, a flag or the environment
// for d: like CONFIG SET, except that multi-word values split on any white
// space and booleans also take true and false, as everywhere else in
// keyslot's configuration.
func startValue(d *paramDef, raw, cur string) (string, string) {
	if d.kind == kindBool {
		if b, err := config.ParseBool(raw); err == nil {
			raw = config.FormatBool(b)
		}
	}
	if d.name == "dir" {
		if raw == "" {
			return "", "argument must be a directory"
		}
		return absDir(raw), ""
	}
	args := []string{raw}
	if d.flags&pMultiArg != 0 {
		args = strings.Fields(raw)
	}
	return d.parse(args, cur)
}

// notSupported refuses, at start-up, values that would need what keyslot
// does not have yet.
func notSupported(name, v string) string {
	switch {
	case name == "replicaof" && v != "":
		return "replication is not implemented yet"
	case (name == "tls-port" && v != "0") || ((name == "tls-cluster" || name == "tls-replication") && v == "yes"):
		return "TLS is not implemented yet"
	}
	return ""
}

// ListenAddr is the address to pass to net.Listen for Bind and Port.
func (c Config) ListenAddr() string { return config.ListenAddr(c.Bind, c.Port) }
