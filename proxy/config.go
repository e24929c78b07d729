package proxy

import (
	"errors"
	"math"
	"time"

	"github.com/keyslot/keyslot/internal/config"
)

// Config is everything the proxy needs to start. Keys shared with Redis carry
// their redis.conf names. cmd/keyslot fills it from flags, KEYSLOT_*
// variables and a YAML file; tests build it with DefaultConfig.
type Config struct {
	// Port is the TCP port applications connect to. 0 lets the kernel pick
	// a free port (Server.Addr reports it).
	Port int `mapstructure:"port"`

	// Bind is the one address to listen on: an IP address, "localhost", or
	// "*" for every interface.
	Bind string `mapstructure:"bind"`

	// Seeds are "host:port" addresses of cluster nodes from which the proxy
	// learns the slot map; one reachable seed is enough. The default is the
	// first node `keyslot local` starts.
	Seeds []string `mapstructure:"seeds"`

	// MaxClients is the most client connections served at once.
	MaxClients int `mapstructure:"maxclients"`

	// ProtoMaxBulkLen is the largest bulk string a client may send.
	ProtoMaxBulkLen config.ByteSize `mapstructure:"proto-max-bulk-len"`

	// Timeout closes a client idle for this many seconds; 0 never does.
	Timeout int `mapstructure:"timeout"`

	// MetricsAddr is where cmd/keyslot serves /metrics, /healthz and
	// /readyz for the proxy; "" serves none. The Server does not read it.
	// 9121 is the port Redis dashboards conventionally scrape.
	MetricsAddr string `mapstructure:"metrics-addr"`

	// ShutdownTimeout bounds a graceful shutdown after SIGTERM or SIGINT.
	// cmd/keyslot enforces it through the context given to Server.Shutdown.
	ShutdownTimeout time.Duration `mapstructure:"shutdown-timeout"`
}

// DefaultConfig returns the proxy's defaults. It is valid as is.
func DefaultConfig() Config {
	return Config{
		Port:            6379,
		Bind:            "127.0.0.1",
		Seeds:           []string{"127.0.0.1:7000"},
		MaxClients:      10000,
		ProtoMaxBulkLen: 512 * config.MB,
		Timeout:         0,
		MetricsAddr:     ":9121",
		ShutdownTimeout: 10 * time.Second,
	}
}

// Validate reports every key of c that cannot be used, joined into one
// error; each part is a *config.FieldError that names the key and its value
// and matches config.ErrInvalid.
func (c Config) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(config.CheckRange("port", int64(c.Port), 0, 65535))
	add(config.CheckBind("bind", c.Bind))
	if len(c.Seeds) == 0 {
		add(config.Invalid("seeds", "", "at least one seed node (host:port) is required"))
	}
	for _, s := range c.Seeds {
		add(config.CheckHostPort("seeds", s))
	}
	add(config.CheckRange("maxclients", int64(c.MaxClients), 1, math.MaxUint32))
	if c.ProtoMaxBulkLen < config.MB {
		add(config.Invalid("proto-max-bulk-len", c.ProtoMaxBulkLen.String(),
			"argument must be between 1048576 and 9223372036854775807 inclusive"))
	}
	add(config.CheckRange("timeout", int64(c.Timeout), 0, math.MaxInt32))
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
