package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"

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
	fs.String("requirepass", d.Node.RequirePass, "`password` clients must give with AUTH; empty lets every client in")
	byteSizeFlag(fs, "maxmemory", d.Node.MaxMemory, "memory limit past which maxmemory-policy applies; 0 is none")
	fs.String("maxmemory-policy", d.Node.MaxMemoryPolicy, "what happens at maxmemory: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random or volatile-ttl")
	fs.Int("maxmemory-samples", d.Node.MaxMemorySamples, "keys an eviction samples per pick")
	fs.String("notify-keyspace-events", d.Node.NotifyKeyspaceEvents, "keyspace notifications to publish, in Redis's `classes` (e.g. KEA); empty publishes none")
	fs.Int64("hash-max-listpack-entries", d.Node.HashMaxListpackEntries, "most fields of a hash in its compact encoding")
	byteSizeFlag(fs, "hash-max-listpack-value", d.Node.HashMaxListpackValue, "longest field or value of a hash in its compact encoding")
	fs.Int64("set-max-intset-entries", d.Node.SetMaxIntsetEntries, "most members of an integer set in its compact encoding")
	fs.Int64("zset-max-listpack-entries", d.Node.ZSetMaxListpackEntries, "most members of a sorted set in its compact encoding")
	byteSizeFlag(fs, "zset-max-listpack-value", d.Node.ZSetMaxListpackValue, "longest member of a sorted set in its compact encoding")
	fs.Int("list-max-listpack-size", d.Node.ListMaxListpackSize, "size of a list node: entries if positive, -1 to -5 for 4kb to 64kb")
	byteSizeFlag(fs, "hll-sparse-max-bytes", d.Node.HLLSparseMaxBytes, "largest HyperLogLog kept in the sparse encoding")
	d.Log.addFlags(fs)
}

// unsetParam marks a redis.conf parameter key that no source set. No file,
// variable or flag can produce it.
const unsetParam = "\x00unset"

// paramKeys returns a pointer to a struct that holds st and, for every
// other redis.conf parameter a node knows (backend.ParamNames), a string
// key of that name, so that load accepts them all from the file and the
// environment; names lists those extra keys in field order. They have no
// flags: there are too many, and --help lists the ones keyslot acts on.
func paramKeys(st nodeSettings) (ptr reflect.Value, names []string) {
	own := make(map[string]bool)
	for _, f := range fieldsOf(&st) {
		own[f.key] = true
	}
	fields := []reflect.StructField{{
		Name: "Settings", Type: reflect.TypeFor[nodeSettings](), Tag: `mapstructure:",squash"`,
	}}
	for _, name := range backend.ParamNames() {
		if own[name] {
			continue
		}
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("P%d", len(names)),
			Type: reflect.TypeFor[string](),
			Tag:  reflect.StructTag(`mapstructure:"` + name + `"`),
		})
		names = append(names, name)
	}
	ptr = reflect.New(reflect.StructOf(fields))
	ptr.Elem().Field(0).Set(reflect.ValueOf(st))
	for i := range names {
		ptr.Elem().Field(i + 1).SetString(unsetParam)
	}
	return ptr, names
}

// loadNodeSettings reads nodeSettings from defaults, the config file, the
// environment and the parsed flags of fs, and validates them.
func loadNodeSettings(fs *pflag.FlagSet) (nodeSettings, error) {
	dst, names := paramKeys(defaultNodeSettings())
	err := load(fs, dst.Interface())
	st := dst.Elem().Field(0).Interface().(nodeSettings)
	if err != nil {
		return st, err
	}
	for i, name := range names {
		if v := dst.Elem().Field(i + 1).String(); v != unsetParam {
			if st.Node.Params == nil {
				st.Node.Params = make(map[string]string)
			}
			st.Node.Params[name] = v
		}
	}
	return st, errors.Join(st.Node.Validate(), st.Log.Validate())
}

func newNodeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run a Redis-compatible storage node",
		Long: `Run a Redis-compatible storage node.

` + configHelp("proto-max-bulk-len") + `

The config file and the environment also take every other redis.conf
parameter by its name (hz, save, client-output-buffer-limit ...), with its
value written as CONFIG SET takes it. CONFIG REWRITE rewrites the file
given with --config.

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
			if path := configPath(cmd.Flags()); path != "" {
				// CONFIG REWRITE writes here even after a change of
				// working directory, as Redis keeps its file's absolute
				// path.
				if st.Node.ConfigFile, err = filepath.Abs(path); err != nil {
					return err
				}
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
	// A client's SHUTDOWN ends the program, as it ends redis-server.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-srv.ShutdownRequested():
			cancel()
		case <-ctx.Done():
		}
	}()
	var adm service
	if cfg.MetricsAddr != "" {
		adm = admin.New(cfg.MetricsAddr, reg, srv.Ready, lg.Named("admin"))
	}
	return runServices(ctx, lg, cfg.ShutdownTimeout, []named{{"node", srv}}, adm, nil)
}
