package proxy

import (
	"errors"
	"testing"

	"github.com/keyslot/keyslot/internal/config"
)

func TestDefaultConfigIsValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	if got := c.ListenAddr(); got != "127.0.0.1:6379" {
		t.Errorf("ListenAddr() = %q", got)
	}
	// DefaultConfig hands out a fresh slice: changing one must not change
	// the next.
	c.Seeds[0] = "changed:1"
	if DefaultConfig().Seeds[0] != "127.0.0.1:7000" {
		t.Fatal("DefaultConfig shares its Seeds slice")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // the whole error text; "" means valid
	}{
		{"several seeds", func(c *Config) { c.Seeds = []string{"10.0.0.1:7000", "node-2:7001", "[::1]:7002"} }, ""},
		{"no seeds", func(c *Config) { c.Seeds = nil },
			`seeds "": at least one seed node (host:port) is required`},
		{"seed without port", func(c *Config) { c.Seeds = []string{"127.0.0.1:7000", "127.0.0.1"} },
			`seeds "127.0.0.1": argument must be host:port`},
		{"seed port 0", func(c *Config) { c.Seeds = []string{"127.0.0.1:0"} },
			`seeds "127.0.0.1:0": port must be a number between 1 and 65535`},
		{"port too large", func(c *Config) { c.Port = 65536 },
			`port "65536": argument must be between 0 and 65535 inclusive`},
		{"bind name", func(c *Config) { c.Bind = "example.com" },
			`bind "example.com": argument must be an IP address, 'localhost' or '*'`},
		{"maxclients 0", func(c *Config) { c.MaxClients = 0 },
			`maxclients "0": argument must be between 1 and 4294967295 inclusive`},
		{"proto-max-bulk-len below 1mb", func(c *Config) { c.ProtoMaxBulkLen = 1000 },
			`proto-max-bulk-len "1000": argument must be between 1048576 and 9223372036854775807 inclusive`},
		{"negative timeout", func(c *Config) { c.Timeout = -5 },
			`timeout "-5": argument must be between 0 and 2147483647 inclusive`},
		{"metrics off", func(c *Config) { c.MetricsAddr = "" }, ""},
		{"metrics bad port", func(c *Config) { c.MetricsAddr = ":metrics" },
			`metrics-addr ":metrics": port must be a number between 0 and 65535`},
		{"zero shutdown timeout", func(c *Config) { c.ShutdownTimeout = 0 },
			`shutdown-timeout "0s": argument must be a positive duration`},
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
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
			if !errors.Is(err, config.ErrInvalid) {
				t.Errorf("Validate() error does not match config.ErrInvalid")
			}
		})
	}
}
