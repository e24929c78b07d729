package backend

import (
	"errors"
	"math"
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
	// through the context given to Server.Shutdown.
	ShutdownTimeout time.Duration `mapstructure:"shutdown-timeout"`
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
	return errors.Join(errs...)
}

// ListenAddr is the address to pass to net.Listen for Bind and Port.
func (c Config) ListenAddr() string { return config.ListenAddr(c.Bind, c.Port) }
