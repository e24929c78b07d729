package backend

import (
	"errors"
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
