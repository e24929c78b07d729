package backend

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyslot/keyslot/internal/config"
)

func TestDefaultConfigIsValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	// Redis 7's own defaults for the keys Redis has.
	if c.Port != 6379 || c.MaxClients != 10000 || c.Timeout != 0 || c.Databases != 16 ||
		c.ProtoMaxBulkLen != 512*config.MB || c.ClusterEnabled || c.AppendOnly || c.Dir != "." {
		t.Fatalf("DefaultConfig() = %+v, want Redis's defaults", c)
	}
	if got := c.ListenAddr(); got != "127.0.0.1:6379" {
		t.Errorf("ListenAddr() = %q", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // the whole error text; "" means valid
	}{
		{"port 0 picks a free port", func(c *Config) { c.Port = 0 }, ""},
		{"port too large", func(c *Config) { c.Port = 65536 },
			`port "65536": argument must be between 0 and 65535 inclusive`},
		{"negative port", func(c *Config) { c.Port = -1 },
			`port "-1": argument must be between 0 and 65535 inclusive`},
		{"bind everywhere", func(c *Config) { c.Bind = "*" }, ""},
		{"bind list", func(c *Config) { c.Bind = "127.0.0.1 ::1" },
			`bind "127.0.0.1 ::1": only one address is supported`},
		{"maxclients 0", func(c *Config) { c.MaxClients = 0 },
			`maxclients "0": argument must be between 1 and 4294967295 inclusive`},
		{"negative timeout", func(c *Config) { c.Timeout = -1 },
			`timeout "-1": argument must be between 0 and 2147483647 inclusive`},
		{"proto-max-bulk-len at Redis's minimum", func(c *Config) { c.ProtoMaxBulkLen = config.MB }, ""},
		{"proto-max-bulk-len below 1mb", func(c *Config) { c.ProtoMaxBulkLen = 100000 },
			`proto-max-bulk-len "100000": argument must be between 1048576 and 9223372036854775807 inclusive`},
		{"databases 0", func(c *Config) { c.Databases = 0 },
			`databases "0": argument must be between 1 and 2147483647 inclusive`},
		{"cluster mode", func(c *Config) { c.ClusterEnabled = true },
			`cluster-enabled "yes": cluster mode is not implemented yet`},
		{"append-only file", func(c *Config) { c.AppendOnly = true },
			`appendonly "yes": append-only file persistence is not implemented yet`},
		{"empty dir", func(c *Config) { c.Dir = "" }, `dir "": argument must be a directory`},
		{"metrics on", func(c *Config) { c.MetricsAddr = ":9121" }, ""},
		{"metrics without port", func(c *Config) { c.MetricsAddr = "9121" },
			`metrics-addr "9121": argument must be host:port or :port`},
		{"zero shutdown timeout", func(c *Config) { c.ShutdownTimeout = 0 },
			`shutdown-timeout "0s": argument must be a positive duration`},
		{"two problems", func(c *Config) { c.Port = 70000; c.ShutdownTimeout = -time.Second },
			"port \"70000\": argument must be between 0 and 65535 inclusive\n" +
				`shutdown-timeout "-1s": argument must be a positive duration`},
		{"eviction policy", func(c *Config) { c.MaxMemoryPolicy = "allkeys-lfu" }, ""},
		{"unknown eviction policy", func(c *Config) { c.MaxMemoryPolicy = "lru" },
			`maxmemory-policy "lru": argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction`},
		{"maxmemory-samples 0", func(c *Config) { c.MaxMemorySamples = 0 },
			`maxmemory-samples "0": argument must be between 1 and 2147483647 inclusive`},
		{"negative maxmemory", func(c *Config) { c.MaxMemory = -1 },
			`maxmemory "-1": argument must be a memory value`},
		{"notify classes", func(c *Config) { c.NotifyKeyspaceEvents = "KEA" }, ""},
		{"bad notify class", func(c *Config) { c.NotifyKeyspaceEvents = "KEQ" },
			`notify-keyspace-events "KEQ": Invalid event class character. Use 'Ag$lshzxeKEtmdn'.`},
		{"negative hash-max-listpack-entries", func(c *Config) { c.HashMaxListpackEntries = -1 },
			`hash-max-listpack-entries "-1": argument must be between 0 and 9223372036854775807 inclusive`},
		{"list-max-listpack-size below int", func(c *Config) { c.ListMaxListpackSize = math.MinInt32 - 1 },
			`list-max-listpack-size "-2147483649": argument must be between -2147483648 and 2147483647 inclusive`},
		{"other parameters", func(c *Config) {
			c.Params = map[string]string{"hz": "100", "save": "3600  1\t300 100", "slave-read-only": "false",
				"client-output-buffer-limit": "pubsub 64mb 16mb 60", "databases": "4"}
		}, `databases "4": set it with the databases key`},
		{"unknown parameter", func(c *Config) { c.Params = map[string]string{"no-such-thing": "1", "hz": "x"} },
			"hz \"x\": argument couldn't be parsed into an integer\n" + `no-such-thing "1": unknown parameter`},
		{"alias of a field", func(c *Config) { c.Params = map[string]string{"hash-max-ziplist-entries": "1"} },
			`hash-max-ziplist-entries "1": set it with the hash-max-listpack-entries key`},
		{"replication", func(c *Config) { c.Params = map[string]string{"replicaof": "host 6379"} },
			`replicaof "host 6379": replication is not implemented yet`},
		{"no replication", func(c *Config) { c.Params = map[string]string{"slaveof": "no one"} }, ""},
		{"TLS", func(c *Config) { c.Params = map[string]string{"tls-port": "6380"} },
			`tls-port "6380": TLS is not implemented yet`},
		{"defrag", func(c *Config) { c.Params = map[string]string{"activedefrag": "yes"} },
			`activedefrag "yes": ` + msgDefrag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Validate() = %q, want %q", err, tt.want)
			}
			if !errors.Is(err, config.ErrInvalid) {
				t.Errorf("Validate() error does not match config.ErrInvalid")
			}
			var fe *config.FieldError
			if !errors.As(err, &fe) || !strings.HasPrefix(tt.want, fe.Key+" ") {
				t.Errorf("Validate() error %v: first *config.FieldError = %+v", err, fe)
			}
		})
	}
}

// The start-up values of parameters: Redis's defaults, then the fields,
// then Params, each as CONFIG GET shows it.
func TestInitialParams(t *testing.T) {
	c := DefaultConfig()
	c.Port = 7000
	c.Bind = "*"
	c.ProtoMaxBulkLen = config.GB
	c.ShutdownTimeout = 2500 * time.Millisecond
	c.MaxMemory = 100 * config.MB
	c.NotifyKeyspaceEvents = "KEA"
	c.Params = map[string]string{
		"hz":                                "1000",
		"save":                              "  900 1   300 10 ",
		"slave-read-only":                   "false",
		"client-output-buffer-limit":        "pubsub 64mb 16mb 120",
		"shutdown-on-sigterm":               "nosave now",
		"latency-tracking-info-percentiles": "",
	}
	vals, err := c.initialParams()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"port":                              "7000",
		"bind":                              "*",
		"proto-max-bulk-len":                "1073741824",
		"shutdown-timeout":                  "2",
		"maxmemory":                         "104857600",
		"notify-keyspace-events":            "AKE",
		"hz":                                "500",
		"save":                              "900 1 300 10",
		"replica-read-only":                 "no",
		"client-output-buffer-limit":        "normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 120",
		"shutdown-on-sigterm":               "nosave now",
		"latency-tracking-info-percentiles": "",
		"maxmemory-policy":                  "noeviction",
		"databases":                         "16",
		"appendonly":                        "no",
	} {
		if got := vals[paramIndex(name)]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if dir := vals[paramIndex("dir")]; !filepath.IsAbs(dir) {
		t.Errorf("dir = %q, want an absolute path", dir)
	}
}
