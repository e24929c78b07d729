package server

import (
	"fmt"
	"maps"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/keyslot/keyslot/internal/resp"
	"github.com/keyslot/keyslot/router"
)

// HandlerFunc runs one command whose name and arity the dispatcher has
// already checked against the command table. args[0] is the command name.
type HandlerFunc func(c *Conn, args [][]byte)

// Commands is one program's command set: the part of the router's command
// table it implements, each command with its handler. COMMAND and its
// subcommands describe exactly this set.
type Commands struct {
	table    *router.Table
	entries  map[*router.Command]entry
	rejected prometheus.Counter
	// authRequired, when set, reports whether a client must authenticate
	// before running commands not flagged no_auth.
	authRequired func(c *Conn) bool
}

type entry struct {
	fn    HandlerFunc
	calls prometheus.Counter // pre-resolved: no label lookup per call
}

// NewCommands builds the command set from handlers keyed by full command
// name ("get", "client|setname"). Every name must be in the router's table.
// A container's subcommands are registered one by one; a handler for the
// container itself runs when it is called bare, as COMMAND is. The COMMAND
// family is added here for every program: it is generated from the set.
// The commands_total and rejected_commands_total counters are registered
// with reg under namespace and subsystem.
func NewCommands(handlers map[string]HandlerFunc, reg prometheus.Registerer, namespace, subsystem string) (*Commands, error) {
	full := router.NewTable()
	for name := range handlers {
		if full.ByName([]byte(name)) == nil {
			return nil, fmt.Errorf("server: handler for %q, which is not in the command table", name)
		}
	}
	d := &Commands{entries: make(map[*router.Command]entry, len(handlers))}
	handlers = maps.Clone(handlers)
	command := full.ByName([]byte("command"))
	handlers[command.Name] = d.command
	for _, sub := range command.Subcommands {
		handlers[sub.Name] = d.command
	}
	d.table = full.Subset(func(name string) bool { _, ok := handlers[name]; return ok })

	calls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: subsystem, Name: "commands_total",
		Help: "Commands run, by command name (subcommands as container|sub).",
	}, []string{"command"})
	rejected := prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: subsystem, Name: "rejected_commands_total",
		Help: "Calls refused before running: unknown command or subcommand, wrong number of arguments.",
	})
	for _, col := range []prometheus.Collector{calls, rejected} {
		if err := reg.Register(col); err != nil {
			return nil, err
		}
	}

	d.rejected = rejected
	for _, c := range d.table.Commands() {
		for _, rc := range append([]*router.Command{c}, c.Subcommands...) {
			if fn, ok := handlers[rc.Name]; ok {
				d.entries[rc] = entry{fn: fn, calls: calls.WithLabelValues(rc.Name)}
			}
		}
	}
	return d, nil
}

// command answers COMMAND and its subcommands from the program's table.
func (d *Commands) command(c *Conn, args [][]byte) { d.table.WriteCommandReply(c.W, args) }

// Table returns the command table of what this program implements.
func (d *Commands) Table() *router.Table { return d.table }

// Names returns the full names of the implemented commands, sorted.
func (d *Commands) Names() []string {
	names := make([]string, 0, len(d.entries))
	for c := range d.entries {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}

// Lookup resolves a call to its command and handler, or replies Redis's
// error for an unknown command or subcommand, a wrong argument count or a
// client that has not authenticated, and returns ok false. The checks run
// in Redis's order: an unauthenticated client still learns that a command
// is unknown.
func (d *Commands) Lookup(c *Conn, args [][]byte) (cmd *router.Command, fn HandlerFunc, ok bool) {
	cmd, fn, msg := d.Resolve(c, args)
	if msg != "" {
		c.W.AppendError(msg)
		return nil, nil, false
	}
	return cmd, fn, true
}

// Resolve is Lookup that returns the error text instead of replying it, for
// callers that word the reply themselves (EXEC answers EXECABORT).
func (d *Commands) Resolve(c *Conn, args [][]byte) (cmd *router.Command, fn HandlerFunc, errMsg string) {
	cmd, err := d.table.Lookup(args)
	if err != nil {
		d.rejected.Inc()
		return nil, nil, err.Error()
	}
	e, found := d.entries[cmd]
	if !found {
		// A container called bare that has no handler of its own: Redis
		// gives the arity error of the container.
		d.rejected.Inc()
		return nil, nil, "ERR wrong number of arguments for '" + cmd.Name + "' command"
	}
	if d.authRequired != nil && d.authRequired(c) && cmd.Flags&router.FlagNoAuth == 0 {
		d.rejected.Inc()
		return nil, nil, "NOAUTH Authentication required."
	}
	e.calls.Inc()
	return cmd, e.fn, ""
}

// Run looks the call up and runs it.
func (d *Commands) Run(c *Conn, cmd *resp.Command) {
	if _, fn, ok := d.Lookup(c, cmd.Args); ok {
		fn(c, cmd.Args)
	}
}
