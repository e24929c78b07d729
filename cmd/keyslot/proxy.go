package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/internal/admin"
	"github.com/keyslot/keyslot/proxy"
)

// proxySettings is everything `keyslot proxy` reads: the proxy's Config and
// the logging keys.
type proxySettings struct {
	Proxy proxy.Config `mapstructure:",squash"`
	Log   logOptions   `mapstructure:",squash"`
}

func defaultProxySettings() proxySettings {
	return proxySettings{Proxy: proxy.DefaultConfig(), Log: defaultLogOptions("json")}
}

// addProxyFlags adds a flag for every key of proxySettings, showing its
// default.
func addProxyFlags(fs *pflag.FlagSet) {
	d := defaultProxySettings()
	configFlag(fs)
	fs.Int("port", d.Proxy.Port, "TCP `port` applications connect to; 0 picks a free one")
	fs.String("bind", d.Proxy.Bind, "`address` to listen on: an IP address, localhost, or * for every interface")
	fs.StringSlice("seeds", d.Proxy.Seeds, "cluster nodes to learn the slot map from, as comma-separated `host:port` addresses")
	fs.Int("maxclients", d.Proxy.MaxClients, "most clients connected at once")
	byteSizeFlag(fs, "proto-max-bulk-len", d.Proxy.ProtoMaxBulkLen, "largest bulk string a client may send (units b, k, kb, m, mb, g, gb)")
	fs.Int("timeout", d.Proxy.Timeout, "close a client idle for this many `seconds`; 0 never does")
	fs.String("metrics-addr", d.Proxy.MetricsAddr, "`address` for /metrics, /healthz and /readyz; empty serves none")
	fs.Duration("shutdown-timeout", d.Proxy.ShutdownTimeout, "longest a graceful shutdown may take")
	d.Log.addFlags(fs)
}

// loadProxySettings reads proxySettings from defaults, the config file, the
// environment and the parsed flags of fs, and validates them.
func loadProxySettings(fs *pflag.FlagSet) (proxySettings, error) {
	st := defaultProxySettings()
	if err := load(fs, &st); err != nil {
		return st, err
	}
	return st, errors.Join(st.Proxy.Validate(), st.Log.Validate())
}

func newProxyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Run the cluster proxy: one address, plain Redis, any number of nodes",
		Long: `Run the cluster proxy. Applications connect to one address and talk plain
Redis; the proxy is to send each command to the node that owns its slot,
learning the slot map from the seed nodes.

Routing is not built yet: today the proxy answers the connection commands
itself (PING, ECHO, HELLO, QUIT, RESET, CLIENT ID / SETNAME / GETNAME,
COMMAND) and every other command with "-ERR unknown command".

` + configHelp("proto-max-bulk-len") + `

The list of seeds may be written "a:1,b:2", "a:1 b:2" or as a YAML list.
Logs go to stderr, as JSON unless --log-format console.`,
		Example: `  keyslot proxy --port 6379 --seeds 127.0.0.1:7000,127.0.0.1:7001 --metrics-addr :9121
  KEYSLOT_SEEDS=10.0.0.1:6379,10.0.0.2:6379 keyslot proxy --bind '*'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := loadProxySettings(cmd.Flags())
			if err != nil {
				return err
			}
			return serveUntilSignal(cmd, st.Log, func(ctx context.Context, lg *zap.Logger) error {
				return runProxy(ctx, st.Proxy, lg)
			})
		},
	}
	addProxyFlags(cmd.Flags())
	return cmd
}

// runProxy serves the proxy, and its admin listener when metrics-addr is
// set, until ctx ends.
func runProxy(ctx context.Context, cfg proxy.Config, lg *zap.Logger) error {
	reg := newRegistry()
	srv, err := proxy.New(cfg, lg.Named("proxy"), reg)
	if err != nil {
		return err
	}
	var adm service
	if cfg.MetricsAddr != "" {
		adm = admin.New(cfg.MetricsAddr, reg, srv.Ready, lg.Named("admin"))
	}
	return runServices(ctx, lg, cfg.ShutdownTimeout, []named{{"proxy", srv}}, adm, nil)
}
