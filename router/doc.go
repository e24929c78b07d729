// Package router owns the command table: one entry per Redis command with
// its arity, flags, ACL categories, key specifications, subcommands, and how
// a proxy splits it and merges its replies. What a command is, is declared
// here once; the node uses it to check arity and route by slot, the proxy to
// pick nodes, and COMMAND / COMMAND INFO / DOCS / GETKEYS are generated from
// it.
//
// The table is data read from redis-server 7.0 (commands_gen.go, written by
// internal/gentable via go generate): COMMAND INFO and COMMAND DOCS, in full,
// arguments included. Only which commands have a getkeys_proc, which Redis
// does not report, comes from Redis's source, as Finder values.
//
//   - NewTable returns the whole Redis 7.0 table; Table.Subset the part one
//     program implements. Commands left out answer exactly as commands
//     Redis does not have, and COMMAND lists only what is kept.
//   - Table.Lookup resolves a call (case-insensitively, containers to
//     subcommands) and checks arity, with Redis's error texts as typed
//     errors; it does not allocate for a valid call.
//   - Command.Keys finds the keys of a call with Redis's key-spec algorithm
//     and finders (getKeysFromCommandWithSpecs); RoutingKeys adds the shard
//     channels of SPUBLISH and friends.
//   - Command.Policy says how a proxy routes a command (PlanKind) and merges
//     its replies (MergeKind); Command.Split splits MGET / MSET / DEL… by
//     slot.
//   - Table.WriteCommandReply answers COMMAND and its subcommands.
//
// The package is pure: no goroutines and no I/O. It may import the standard
// library, cluster and internal/resp, never backend or proxy.
package router
