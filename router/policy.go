package router

import "strconv"

// PlanKind says how a proxy sends a command to a Redis Cluster. Plans are
// data, derived once per command from Redis's tips, flags and key specs;
// executing them is the proxy's business.
type PlanKind uint8

// Plan kinds.
const (
	// PlanAnyNode: the command has no keys and any master can answer it
	// (TIME, PUBLISH, CLUSTER INFO, FUNCTION LIST…).
	PlanAnyNode PlanKind = iota
	// PlanSlot: the command has keys (RoutingKeys), which must all hash to
	// one slot; it goes to that slot's owner (GET, SUNIONSTORE, SPUBLISH…).
	// A call whose keys span slots is answered with CROSSSLOT; one without
	// keys (EVAL s 0) may go to any master.
	PlanSlot
	// PlanSplit: a multi-key command whose key groups (Policy.GroupSize
	// arguments each) can be split by slot into sub-requests and the
	// replies merged (MGET, MSET, DEL, EXISTS, UNLINK, TOUCH).
	PlanSplit
	// PlanAllShards: sent to every master, replies merged (DBSIZE, KEYS,
	// FLUSHALL, SCRIPT EXISTS…).
	PlanAllShards
	// PlanAllNodes: sent to every node, masters and replicas (CONFIG SET,
	// SCRIPT LOAD, SLOWLOG…).
	PlanAllNodes
	// PlanSpecial: needs command-specific proxy logic (SCAN's cursor over
	// many nodes, CLUSTER COUNTKEYSINSLOT's slot argument).
	PlanSpecial
	// PlanPinned: the command makes the client stateful or may block, so
	// the client gets a dedicated upstream connection (MULTI, WATCH, BLPOP,
	// SUBSCRIBE…). If the command has keys, they choose the node. XREAD and
	// XREADGROUP are here for their BLOCK form; a proxy may send the others
	// as PlanSlot.
	PlanPinned
	// PlanLocal: the proxy answers itself (PING, ECHO, HELLO, COMMAND,
	// CLIENT SETNAME…).
	PlanLocal
	// PlanReject: not served through a proxy (SELECT, MOVE, SWAPDB,
	// MONITOR, SHUTDOWN, replication and cluster administration…).
	PlanReject
)

var planNames = [...]string{"any-node", "slot", "split", "all-shards", "all-nodes", "special", "pinned", "local", "reject"}

// String returns the plan kind's name, as used in golden files.
func (k PlanKind) String() string {
	if int(k) < len(planNames) {
		return planNames[k]
	}
	return "PlanKind(" + strconv.Itoa(int(k)) + ")"
}

// MergeKind says how a proxy combines the replies of the sub-requests of
// one command into the reply the client sees.
type MergeKind uint8

// Merge kinds. The agg_* and *_succeeded ones are Redis's response_policy
// tips.
const (
	// MergeNone: one sub-request, its reply is the reply.
	MergeNone MergeKind = iota
	// MergeKeyOrder: array replies, one element per key group, reassembled
	// in the order of the keys in the request (MGET).
	MergeKeyOrder
	// MergeConcat: array replies concatenated in any order (KEYS).
	MergeConcat
	// MergeSum: integer replies added (DEL, EXISTS, DBSIZE).
	MergeSum
	// MergeAllSucceeded: OK when every sub-request succeeded, otherwise the
	// first error (MSET, FLUSHALL).
	MergeAllSucceeded
	// MergeOneSucceeded: OK when any sub-request succeeded (SCRIPT KILL).
	MergeOneSucceeded
	// MergeLogicalAnd: element-wise AND of 0/1 array replies (SCRIPT EXISTS).
	MergeLogicalAnd
	// MergeLogicalOr: element-wise OR of 0/1 array replies.
	MergeLogicalOr
	// MergeMin: the smallest integer reply (WAIT, MSETNX's tip).
	MergeMin
	// MergeMax: the largest integer reply.
	MergeMax
	// MergeSpecial: command-specific (INFO, MEMORY STATS, RANDOMKEY…).
	MergeSpecial
)

var mergeNames = [...]string{"none", "key-order", "concat", "sum", "all-succeeded", "one-succeeded", "logical-and", "logical-or", "min", "max", "special"}

// String returns the merge kind's name, as used in golden files.
func (k MergeKind) String() string {
	if int(k) < len(mergeNames) {
		return mergeNames[k]
	}
	return "MergeKind(" + strconv.Itoa(int(k)) + ")"
}

// Policy is how a proxy routes one command and merges its replies.
type Policy struct {
	Plan  PlanKind
	Merge MergeKind
	// GroupSize is, for PlanSplit, the number of arguments in one key
	// group: 1 for MGET, 2 for MSET's key/value pairs.
	GroupSize int
}

// String renders the policy for golden files and logs, e.g.
// "split(group=2) merge=all-succeeded".
func (p Policy) String() string {
	s := p.Plan.String()
	if p.Plan == PlanSplit {
		s += "(group=" + strconv.Itoa(p.GroupSize) + ")"
	}
	if p.Merge != MergeNone {
		s += " merge=" + p.Merge.String()
	}
	return s
}

// policyOverride returns the policy of commands whose routing Redis's tips
// and flags do not capture: what the proxy answers itself, what makes a
// client stateful, and what a proxy must refuse. ok is false for every
// other command.
func policyOverride(name string) (Policy, bool) {
	plan, ok := planOverride(name)
	if ok {
		return Policy{Plan: plan}, true
	}
	switch name {
	// Server-wide maintenance Redis gives no tip for: every node must do it.
	case "config|rewrite", "config|resetstat":
		return Policy{Plan: PlanAllNodes, Merge: MergeAllSucceeded}, true
	// Slot arguments, not keys, choose the node.
	case "cluster|countkeysinslot", "cluster|getkeysinslot":
		return Policy{Plan: PlanSpecial, Merge: MergeSpecial}, true
	}
	return Policy{}, false
}

func planOverride(name string) (PlanKind, bool) {
	switch name {
	// Connection state lives in the proxy.
	case "ping", "echo", "quit", "hello", "auth", "reset", "select",
		"readonly", "readwrite", "asking",
		"client|setname", "client|getname", "client|id", "client|info",
		"client|help", "client|reply", "client|no-evict", "client|list", "client|kill",
		"command", "command|count", "command|docs", "command|getkeys",
		"command|getkeysandflags", "command|help", "command|info", "command|list",
		"cluster|keyslot", "cluster|help":
		return PlanLocal, true
	// Transactions and subscriptions tie the client to one connection.
	case "multi", "exec", "discard", "watch", "unwatch",
		"subscribe", "psubscribe", "ssubscribe",
		"unsubscribe", "punsubscribe", "sunsubscribe",
		"client|tracking", "client|caching", "client|trackinginfo", "client|getredir":
		return PlanPinned, true
	// MSETNX is all or nothing, which a split across slots cannot keep,
	// even though Redis tips it multi_shard.
	case "msetnx":
		return PlanSlot, true
	// Databases, replication, persistence control, cluster administration
	// and debugging act on one server, which a proxy client cannot name.
	case "move", "swapdb", "monitor", "shutdown", "debug",
		"replicaof", "slaveof", "sync", "psync", "replconf", "failover",
		"save", "bgsave", "bgrewriteaof",
		"module|load", "module|loadex", "module|unload",
		"client|pause", "client|unpause", "client|unblock",
		"acl|setuser", "acl|deluser", "acl|load", "acl|save",
		"cluster|addslots", "cluster|addslotsrange", "cluster|bumpepoch",
		"cluster|count-failure-reports", "cluster|delslots", "cluster|delslotsrange",
		"cluster|failover", "cluster|flushslots", "cluster|forget", "cluster|meet",
		"cluster|replicate", "cluster|reset", "cluster|saveconfig",
		"cluster|set-config-epoch", "cluster|setslot":
		return PlanReject, true
	}
	return 0, false
}

// derivePolicy computes a command's policy: explicit overrides first, then
// Redis's request_policy tip, then flags (blocking commands pin), then
// keys.
func derivePolicy(c *Command) Policy {
	if p, ok := policyOverride(c.Name); ok {
		return p
	}
	var p Policy
	switch {
	case hasTip(c, TipRequestMultiShard) && c.FirstKey > 0 && c.LastKey == -1 && c.KeyStep > 0:
		p.Plan, p.GroupSize = PlanSplit, c.KeyStep
	case hasTip(c, TipRequestAllShards):
		p.Plan = PlanAllShards
	case hasTip(c, TipRequestAllNodes):
		p.Plan = PlanAllNodes
	case hasTip(c, TipRequestSpecial):
		p.Plan = PlanSpecial
	case c.Flags&FlagBlocking != 0:
		p.Plan = PlanPinned
	case c.HasKeys() || c.notKeySpecs:
		p.Plan = PlanSlot
	default:
		p.Plan = PlanAnyNode
	}
	switch p.Plan {
	case PlanSplit, PlanAllShards, PlanAllNodes:
		p.Merge = responseMerge(c)
		if p.Merge == MergeNone {
			switch {
			case p.Plan == PlanSplit:
				p.Merge = MergeKeyOrder
			case hasTip(c, TipNondeterministicOutputOrder):
				p.Merge = MergeConcat
			default:
				// RANDOMKEY, SLOWLOG GET: no general rule fits.
				p.Merge = MergeSpecial
			}
		}
	case PlanSpecial:
		p.Merge = MergeSpecial
	}
	return p
}

func responseMerge(c *Command) MergeKind {
	for _, t := range c.Tips {
		switch t {
		case TipResponseOneSucceeded:
			return MergeOneSucceeded
		case TipResponseAllSucceeded:
			return MergeAllSucceeded
		case TipResponseAggLogicalAnd:
			return MergeLogicalAnd
		case TipResponseAggLogicalOr:
			return MergeLogicalOr
		case TipResponseAggMin:
			return MergeMin
		case TipResponseAggMax:
			return MergeMax
		case TipResponseAggSum:
			return MergeSum
		case TipResponseSpecial:
			return MergeSpecial
		}
	}
	return MergeNone
}

func hasTip(c *Command, t Tip) bool {
	for _, x := range c.Tips {
		if x == t {
			return true
		}
	}
	return false
}
