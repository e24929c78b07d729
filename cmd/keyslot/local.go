package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/backend"
	"github.com/keyslot/keyslot/internal/admin"
	"github.com/keyslot/keyslot/internal/config"
	"github.com/keyslot/keyslot/proxy"
)

// maxLocalNodes bounds `keyslot local`, which is for a laptop, not a fleet.
const maxLocalNodes = 100

// localConfig is what `keyslot local` reads: the shape of the cluster to
// start in one process. Each node and the proxy otherwise run with their
// packages' defaults.
type localConfig struct {
	// Nodes is how many nodes to start.
	Nodes int `mapstructure:"nodes"`
	// BasePort is the first node's port; node i listens on BasePort+i.
	BasePort int `mapstructure:"base-port"`
	// ProxyPort is the proxy's port. 7100 keeps it next to the nodes and
	// clear of a Redis on 6379.
	ProxyPort int `mapstructure:"proxy-port"`
	// Bind is the address the nodes and the proxy listen on.
	Bind string `mapstructure:"bind"`
	// Dir holds one data directory per node, named after its port.
	Dir string `mapstructure:"dir"`
	// MetricsAddr serves /metrics, /healthz and /readyz for every node and
	// the proxy together; "" serves none.
	MetricsAddr string `mapstructure:"metrics-addr"`
	// ShutdownTimeout bounds the graceful shutdown after Ctrl-C.
	ShutdownTimeout time.Duration `mapstructure:"shutdown-timeout"`
}

func defaultLocalConfig() localConfig {
	return localConfig{
		Nodes:           3,
		BasePort:        7000,
		ProxyPort:       7100,
		Bind:            "127.0.0.1",
		Dir:             "data",
		MetricsAddr:     "127.0.0.1:9121",
		ShutdownTimeout: 10 * time.Second,
	}
}

// Validate reports every key of c that cannot be used.
func (c localConfig) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(config.CheckRange("nodes", int64(c.Nodes), 1, maxLocalNodes))
	if c.Nodes >= 1 {
		// Every node needs a real port of its own, so 0 (any port) is out.
		add(config.CheckRange("base-port", int64(c.BasePort), 1, int64(65536-c.Nodes)))
	}
	add(config.CheckRange("proxy-port", int64(c.ProxyPort), 1, 65535))
	if c.ProxyPort >= c.BasePort && c.ProxyPort < c.BasePort+c.Nodes {
		add(config.Invalid("proxy-port", strconv.Itoa(c.ProxyPort),
			fmt.Sprintf("argument must not be one of the nodes' ports %d-%d", c.BasePort, c.BasePort+c.Nodes-1)))
	}
	add(config.CheckBind("bind", c.Bind))
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

// nodeConfigs returns the Config of each node: the node defaults with the
// port, bind and data directory local assigns.
func (c localConfig) nodeConfigs() []backend.Config {
	out := make([]backend.Config, c.Nodes)
	for i := range out {
		n := backend.DefaultConfig()
		n.Port = c.BasePort + i
		n.Bind = c.Bind
		n.Dir = filepath.Join(c.Dir, strconv.Itoa(n.Port))
		n.MetricsAddr = "" // one admin listener serves the whole process
		n.ShutdownTimeout = c.ShutdownTimeout
		out[i] = n
	}
	return out
}

// proxyConfig returns the proxy's Config: the proxy defaults with the port
// and bind local assigns, and every node as a seed.
func (c localConfig) proxyConfig() proxy.Config {
	p := proxy.DefaultConfig()
	p.Port = c.ProxyPort
	p.Bind = c.Bind
	p.Seeds = make([]string, c.Nodes)
	for i := range p.Seeds {
		p.Seeds[i] = net.JoinHostPort(dialHost(c.Bind), strconv.Itoa(c.BasePort+i))
	}
	p.MetricsAddr = ""
	p.ShutdownTimeout = c.ShutdownTimeout
	return p
}

// dialHost is the host to connect to for a server bound to bind: the
// wildcard is reached through the loopback address.
func dialHost(bind string) string {
	switch bind {
	case "*", "0.0.0.0":
		return "127.0.0.1"
	case "::":
		return "::1"
	}
	return bind
}

// localSettings is everything `keyslot local` reads.
type localSettings struct {
	Local localConfig `mapstructure:",squash"`
	Log   logOptions  `mapstructure:",squash"`
}

func defaultLocalSettings() localSettings {
	return localSettings{Local: defaultLocalConfig(), Log: defaultLogOptions("console")}
}

// addLocalFlags adds a flag for every key of localSettings, showing its
// default.
func addLocalFlags(fs *pflag.FlagSet) {
	d := defaultLocalSettings()
	configFlag(fs)
	fs.Int("nodes", d.Local.Nodes, "number of nodes to start (at most "+strconv.Itoa(maxLocalNodes)+")")
	fs.Int("base-port", d.Local.BasePort, "first node's `port`; the others follow it")
	fs.Int("proxy-port", d.Local.ProxyPort, "the proxy's `port`")
	fs.String("bind", d.Local.Bind, "`address` the nodes and the proxy listen on")
	fs.String("dir", d.Local.Dir, "`directory` holding one data directory per node, named after its port")
	fs.String("metrics-addr", d.Local.MetricsAddr, "`address` for /metrics, /healthz and /readyz of the whole process; empty serves none")
	fs.Duration("shutdown-timeout", d.Local.ShutdownTimeout, "longest a graceful shutdown may take")
	d.Log.addFlags(fs)
}

// loadLocalSettings reads localSettings from defaults, the config file, the
// environment and the parsed flags of fs, and validates them.
func loadLocalSettings(fs *pflag.FlagSet) (localSettings, error) {
	st := defaultLocalSettings()
	if err := load(fs, &st); err != nil {
		return st, err
	}
	return st, errors.Join(st.Local.Validate(), st.Log.Validate())
}

func newLocalCommand(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "local",
		Short: "Run a whole cluster and a proxy in this process, for development",
		Long: `Run, in one process, a number of keyslot nodes (by default 3, on ports
7000-7002 of 127.0.0.1) and one proxy in front of them (port 7100), then
print how to connect. Ctrl-C stops them all. Until cluster mode is
implemented the nodes run standalone. Logs go to stderr, as console lines
unless --log-format json.

` + configHelp("base-port"),
		Example: `  keyslot local
  keyslot local --nodes 6 --base-port 30001 --proxy-port 30000`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := loadLocalSettings(cmd.Flags())
			if err != nil {
				return err
			}
			return serveUntilSignal(cmd, st.Log, func(ctx context.Context, lg *zap.Logger) error {
				return runLocal(ctx, st.Local, lg, stdout)
			})
		},
	}
	addLocalFlags(cmd.Flags())
	return cmd
}

// runLocal starts the nodes, then the proxy, then the admin listener,
// prints how to connect to stdout, and runs until ctx ends.
func runLocal(ctx context.Context, c localConfig, lg *zap.Logger, stdout io.Writer) error {
	reg := newRegistry()
	var servers []named
	var ready []func() bool
	for _, nc := range c.nodeConfigs() {
		if err := os.MkdirAll(nc.Dir, 0o755); err != nil {
			return err
		}
		addr := nc.ListenAddr()
		// Every node registers the same metrics in one registry; the label
		// tells them apart.
		nreg := prometheus.WrapRegistererWith(prometheus.Labels{"node": addr}, reg)
		srv, err := backend.New(nc, lg.Named("node").With(zap.String("addr", addr)), nreg)
		if err != nil {
			return fmt.Errorf("node %s: %w", addr, err)
		}
		servers = append(servers, named{"node " + addr, srv})
		ready = append(ready, srv.Ready)
	}
	pc := c.proxyConfig()
	psrv, err := proxy.New(pc, lg.Named("proxy"), reg)
	if err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	servers = append(servers, named{"proxy", psrv})
	ready = append(ready, psrv.Ready)

	var adm service
	if c.MetricsAddr != "" {
		adm = admin.New(c.MetricsAddr, reg, func() bool {
			for _, r := range ready {
				if !r() {
					return false
				}
			}
			return true
		}, lg.Named("admin"))
	}
	banner := func() {
		nodes := make([]string, 0, len(servers)-1)
		for _, s := range servers[:len(servers)-1] {
			nodes = append(nodes, s.svc.Addr().String())
		}
		printLocalBanner(stdout, nodes, psrv.Addr(), adm)
	}
	return runServices(ctx, lg, c.ShutdownTimeout, servers, adm, banner)
}

// printLocalBanner tells the person at the terminal where everything is.
func printLocalBanner(w io.Writer, nodes []string, proxyAddr net.Addr, adm service) {
	host, port, err := net.SplitHostPort(proxyAddr.String())
	if err != nil {
		host, port = "", proxyAddr.String()
	}
	connect := "redis-cli -p " + port
	if h := dialHost(host); h != "127.0.0.1" && h != "" && h != "localhost" {
		connect = "redis-cli -h " + h + " -p " + port
	}
	var b strings.Builder
	fmt.Fprintf(&b, "keyslot local: %d nodes on %s\n", len(nodes), strings.Join(nodes, ", "))
	fmt.Fprintf(&b, "keyslot local: proxy on %s — connect with: %s\n", proxyAddr, connect)
	if adm != nil {
		fmt.Fprintf(&b, "keyslot local: metrics on http://%s/metrics\n", adm.Addr())
	}
	b.WriteString("keyslot local: press Ctrl-C to stop\n")
	_, _ = io.WriteString(w, b.String())
}
