package main

import (
	"bytes"
	"net"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestLocalDefaultsValid(t *testing.T) {
	if err := defaultLocalConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLocalValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*localConfig)
		want   string
	}{
		{"one node", func(c *localConfig) { c.Nodes = 1 }, ""},
		{"no nodes", func(c *localConfig) { c.Nodes = 0 }, `nodes "0": argument must be between 1 and 100 inclusive`},
		{"too many nodes", func(c *localConfig) { c.Nodes = 101; c.ProxyPort = 6000 }, `nodes "101": argument must be between 1 and 100 inclusive`},
		{"last node past 65535", func(c *localConfig) { c.BasePort = 65534 },
			`base-port "65534": argument must be between 1 and 65533 inclusive`},
		{"base port 0", func(c *localConfig) { c.BasePort = 0 },
			`base-port "0": argument must be between 1 and 65533 inclusive`},
		{"proxy on a node's port", func(c *localConfig) { c.ProxyPort = 7002 },
			`proxy-port "7002": argument must not be one of the nodes' ports 7000-7002`},
		{"proxy just after the nodes", func(c *localConfig) { c.ProxyPort = 7003 }, ""},
		{"proxy port 0", func(c *localConfig) { c.ProxyPort = 0 },
			`proxy-port "0": argument must be between 1 and 65535 inclusive`},
		{"bind list", func(c *localConfig) { c.Bind = "127.0.0.1 ::1" }, `bind "127.0.0.1 ::1": only one address is supported`},
		{"no dir", func(c *localConfig) { c.Dir = "" }, `dir "": argument must be a directory`},
		{"metrics off", func(c *localConfig) { c.MetricsAddr = "" }, ""},
		{"bad metrics", func(c *localConfig) { c.MetricsAddr = "9121" }, `metrics-addr "9121": argument must be host:port or :port`},
		{"no shutdown time", func(c *localConfig) { c.ShutdownTimeout = 0 }, `shutdown-timeout "0s": argument must be a positive duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := defaultLocalConfig()
			tt.change(&c)
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLocalNodeAndProxyConfigs(t *testing.T) {
	c := defaultLocalConfig()
	c.ShutdownTimeout = 3 * time.Second
	nodes := c.nodeConfigs()
	if len(nodes) != 3 {
		t.Fatalf("%d node configs, want 3", len(nodes))
	}
	for i, n := range nodes {
		port := 7000 + i
		if n.Port != port || n.Bind != "127.0.0.1" || n.MetricsAddr != "" || n.ShutdownTimeout != 3*time.Second ||
			n.Dir != filepath.Join("data", []string{"7000", "7001", "7002"}[i]) {
			t.Errorf("node %d: %+v", i, n)
		}
		if err := n.Validate(); err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
	p := c.proxyConfig()
	if want := []string{"127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"}; !slices.Equal(p.Seeds, want) {
		t.Errorf("seeds = %q, want %q", p.Seeds, want)
	}
	if p.Port != 7100 || p.Bind != "127.0.0.1" || p.MetricsAddr != "" {
		t.Errorf("proxy: %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}

	// Bound to every interface, the proxy reaches the nodes over loopback.
	c.Bind = "*"
	if got, want := c.proxyConfig().Seeds, []string{"127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"}; !reflect.DeepEqual(got, want) {
		t.Errorf("seeds with bind *: %q, want %q", got, want)
	}
	c.Bind = "::1"
	if got := c.proxyConfig().Seeds[0]; got != "[::1]:7000" {
		t.Errorf("seed with bind ::1 = %q", got)
	}
}

func TestLocalBanner(t *testing.T) {
	tests := []struct {
		name  string
		proxy net.Addr
		adm   service
		want  string
	}{
		{"loopback with metrics",
			&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7100},
			&fakeService{name: "admin", rec: &recorder{}},
			"keyslot local: 2 nodes on 127.0.0.1:7000, 127.0.0.1:7001\n" +
				"keyslot local: proxy on 127.0.0.1:7100 — connect with: redis-cli -p 7100\n" +
				"keyslot local: metrics on http://127.0.0.1:1/metrics\n" +
				"keyslot local: press Ctrl-C to stop\n"},
		{"other address, no metrics",
			&net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 7100},
			nil,
			"keyslot local: 2 nodes on 127.0.0.1:7000, 127.0.0.1:7001\n" +
				"keyslot local: proxy on 10.1.2.3:7100 — connect with: redis-cli -h 10.1.2.3 -p 7100\n" +
				"keyslot local: press Ctrl-C to stop\n"},
		{"every interface",
			&net.TCPAddr{IP: net.IPv4zero, Port: 7100},
			nil,
			"keyslot local: 2 nodes on 127.0.0.1:7000, 127.0.0.1:7001\n" +
				"keyslot local: proxy on 0.0.0.0:7100 — connect with: redis-cli -p 7100\n" +
				"keyslot local: press Ctrl-C to stop\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			printLocalBanner(&buf, []string{"127.0.0.1:7000", "127.0.0.1:7001"}, tt.proxy, tt.adm)
			if buf.String() != tt.want {
				t.Fatalf("banner:\n%s\nwant:\n%s", buf.String(), tt.want)
			}
		})
	}
}
