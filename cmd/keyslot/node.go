package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/keyslot/keyslot/backend"
	"github.com/keyslot/keyslot/internal/admin"
)

// nodeSettings is everything `keyslot node` reads: the node's Config and the
// logging keys.
type nodeSettings struct {
	Node backend.Config `mapstructure:",squash"`
	Log  logOptions     `mapstructure:",squash"`
}

func defaultNodeSettings() nodeSettings {
	return nodeSettings{Node: backend.DefaultConfig(), Log: defaultLogOptions("json")}
}

// addNodeFlags adds a flag for every key of nodeSettings, showing its default.
func addNodeFlags(fs *pflag.FlagSet) {
	d := defaultNodeSettings()
	configFlag(fs)
	fs.Int("port", d.Node.Port, "TCP `port` for clients; 0 picks a free one")
	fs.String("bind", d.Node.Bind, "`address` to listen on: an IP address, localhost, or * for every interface")
	fs.Int("maxclients", d.Node.MaxClients, "most clients connected at once")
	fs.Int("timeout", d.Node.Timeout, "close a client idle for this many `seconds`; 0 never does")
	byteSizeFlag(fs, "proto-max-bulk-len", d.Node.ProtoMaxBulkLen, "largest bulk string a client may send (units b, k, kb, m, mb, g, gb)")
	fs.Int("databases", d.Node.Databases, "number of databases SELECT can choose from")
	yesNoFlag(fs, "cluster-enabled", d.Node.ClusterEnabled, "run in Redis Cluster mode (not implemented yet: only no is accepted)")
	yesNoFlag(fs, "appendonly", d.Node.AppendOnly, "log writes to an append-only file (not implemented yet: only no is accepted)")
	fs.String("dir", d.Node.Dir, "working `directory` for data files")
	fs.String("metrics-addr", d.Node.MetricsAddr, "`address` for /metrics, /healthz and /readyz, e.g. :9121; empty serves none")
	fs.Duration("shutdown-timeout", d.Node.ShutdownTimeout, "longest a graceful shutdown may take")
	d.Log.addFlags(fs)
}

// loadNodeSettings reads nodeSettings from defaults, the config file, the
// environment and the parsed flags of fs, and validates them.
func loadNodeSettings(fs *pflag.FlagSet) (nodeSettings, error) {
	st := defaultNodeSettings()
	if err := load(fs, &st); err != nil {
		return st, err
	}
	return st, errors.Join(st.Node.Validate(), st.Log.Validate())
}

func newNodeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run a Redis-compatible storage node",
		Long: `Run a Redis-compatible storage node.

` + configHelp("proto-max-bulk-len") + `

Cluster mode and the append-only file are not implemented yet: cluster-enabled
and appendonly must stay no. Logs go to stderr, as JSON unless
--log-format console.`,
		Example: `  keyslot node --port 7000 --dir ./data --cluster-enabled no --appendonly no
  KEYSLOT_MAXCLIENTS=500 keyslot node --config configs/node.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := loadNodeSettings(cmd.Flags())
			if err != nil {
				return err
			}
			return serveUntilSignal(cmd, st.Log, func(ctx context.Context, lg *zap.Logger) error {
				return runNode(ctx, st.Node, lg)
			})
		},
	}
	addNodeFlags(cmd.Flags())
	return cmd
}

// runNode serves one node, and its admin listener when metrics-addr is set,
// until ctx ends.
func runNode(ctx context.Context, cfg backend.Config, lg *zap.Logger) error {
	reg := newRegistry()
	srv, err := backend.New(cfg, lg.Named("node"), reg)
	if err != nil {
		return err
	}
	var adm service
	if cfg.MetricsAddr != "" {
		adm = admin.New(cfg.MetricsAddr, reg, srv.Ready, lg.Named("admin"))
	}
	return runServices(ctx, lg, cfg.ShutdownTimeout, []named{{"node", srv}}, adm, nil)
}
