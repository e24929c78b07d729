package router

import (
	"strconv"
	"strings"
)

// CommandFlags is the set of flags COMMAND INFO reports for a command. The
// bit order is the order in which Redis 7.0 lists them, so iterating bits
// from low to high reproduces its replies.
type CommandFlags uint32

// Command flags, in Redis's reply order.
const (
	FlagWrite CommandFlags = 1 << iota
	FlagReadonly
	FlagDenyOOM
	FlagModule
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagAsking
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagNoMandatoryKeys
	FlagNoAsyncLoading
	FlagNoMulti
	FlagMovableKeys
	FlagAllowBusy
)

// commandFlagNames holds the reply name of each CommandFlags bit.
var commandFlagNames = [...]string{
	"write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript",
	"blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking",
	"fast", "no_auth", "may_replicate", "no_mandatory_keys", "no_async_loading",
	"no_multi", "movablekeys", "allow_busy",
}

// Names returns the flags' reply names in Redis's order.
func (f CommandFlags) Names() []string { return bitNames(uint64(f), commandFlagNames[:]) }

// String returns the flags' names separated by '|'.
func (f CommandFlags) String() string { return strings.Join(f.Names(), "|") }

// CommandFlagByName returns the flag named name (as COMMAND INFO spells it).
func CommandFlagByName(name string) (CommandFlags, bool) {
	b, ok := bitByName(name, commandFlagNames[:])
	return CommandFlags(b), ok
}

// Categories is a set of ACL categories. The bit order is Redis 7.0's
// category order, the order COMMAND INFO lists them in.
type Categories uint32

// ACL categories, in Redis's order.
const (
	CatKeyspace Categories = 1 << iota
	CatRead
	CatWrite
	CatSet
	CatSortedSet
	CatList
	CatHash
	CatString
	CatBitmap
	CatHyperLogLog
	CatGeo
	CatStream
	CatPubSub
	CatAdmin
	CatFast
	CatSlow
	CatBlocking
	CatDangerous
	CatConnection
	CatTransaction
	CatScripting
)

// categoryNames holds the name of each Categories bit, without the '@'.
var categoryNames = [...]string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// Names returns the categories' names, without '@', in Redis's order.
func (c Categories) Names() []string { return bitNames(uint64(c), categoryNames[:]) }

// String returns the categories as COMMAND INFO shows them ("@read|@fast").
func (c Categories) String() string {
	names := c.Names()
	for i, n := range names {
		names[i] = "@" + n
	}
	return strings.Join(names, "|")
}

// CategoryByName returns the category named name, without '@', matched
// case-insensitively as ACL and COMMAND LIST FILTERBY ACLCAT do.
func CategoryByName(name string) (Categories, bool) {
	for i, n := range categoryNames {
		if strings.EqualFold(n, name) {
			return Categories(1) << i, true
		}
	}
	return 0, false
}

// KeyFlags describes how a command uses a key: the flags of a key spec and
// of each key COMMAND GETKEYSANDFLAGS reports. Bit order is Redis's.
type KeyFlags uint16

// Key flags, in Redis's reply order.
const (
	KeyRO KeyFlags = 1 << iota
	KeyRW
	KeyOW
	KeyRM
	KeyAccess
	KeyUpdate
	KeyInsert
	KeyDelete
	KeyNotKey
	KeyIncomplete
	KeyVariableFlags
)

var keyFlagNames = [...]string{
	"RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key",
	"incomplete", "variable_flags",
}

// Names returns the flags' reply names in Redis's order.
func (f KeyFlags) Names() []string { return bitNames(uint64(f), keyFlagNames[:]) }

// String returns the flags' names separated by '|'.
func (f KeyFlags) String() string { return strings.Join(f.Names(), "|") }

// KeyFlagByName returns the key flag named name.
func KeyFlagByName(name string) (KeyFlags, bool) {
	b, ok := bitByName(name, keyFlagNames[:])
	return KeyFlags(b), ok
}

// DocFlags are the doc_flags of COMMAND DOCS.
type DocFlags uint8

// Doc flags, in Redis's reply order.
const (
	DocDeprecated DocFlags = 1 << iota
	DocSyscmd
)

var docFlagNames = [...]string{"deprecated", "syscmd"}

// Names returns the flags' reply names in Redis's order.
func (f DocFlags) Names() []string { return bitNames(uint64(f), docFlagNames[:]) }

// String returns the flags' names separated by '|'.
func (f DocFlags) String() string { return strings.Join(f.Names(), "|") }

// DocFlagByName returns the doc flag named name.
func DocFlagByName(name string) (DocFlags, bool) {
	b, ok := bitByName(name, docFlagNames[:])
	return DocFlags(b), ok
}

// ArgFlags are the flags of one documented argument.
type ArgFlags uint8

// Argument flags, in Redis's reply order.
const (
	ArgOptional ArgFlags = 1 << iota
	ArgMultiple
	ArgMultipleToken
)

var argFlagNames = [...]string{"optional", "multiple", "multiple_token"}

// Names returns the flags' reply names in Redis's order.
func (f ArgFlags) Names() []string { return bitNames(uint64(f), argFlagNames[:]) }

// String returns the flags' names separated by '|'.
func (f ArgFlags) String() string { return strings.Join(f.Names(), "|") }

// ArgFlagByName returns the argument flag named name.
func ArgFlagByName(name string) (ArgFlags, bool) {
	b, ok := bitByName(name, argFlagNames[:])
	return ArgFlags(b), ok
}

// bitNames returns names[i] for every set bit i of v, low bits first.
func bitNames(v uint64, names []string) []string {
	out := make([]string, 0, 4)
	for i, n := range names {
		if v&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

func bitByName(name string, names []string) (uint64, bool) {
	for i, n := range names {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

// Tip is one of the command tips Redis 7.0 attaches to commands: hints for
// clients and proxies about nondeterminism and about how to fan a command
// out over a cluster and merge its replies.
type Tip uint8

// Tips, as Redis 7.0 names them.
const (
	TipNondeterministicOutput Tip = iota + 1
	TipNondeterministicOutputOrder
	TipRequestAllNodes
	TipRequestAllShards
	TipRequestMultiShard
	TipRequestSpecial
	TipResponseOneSucceeded
	TipResponseAllSucceeded
	TipResponseAggLogicalAnd
	TipResponseAggLogicalOr
	TipResponseAggMin
	TipResponseAggMax
	TipResponseAggSum
	TipResponseSpecial
)

var tipNames = [...]string{
	TipNondeterministicOutput:      "nondeterministic_output",
	TipNondeterministicOutputOrder: "nondeterministic_output_order",
	TipRequestAllNodes:             "request_policy:all_nodes",
	TipRequestAllShards:            "request_policy:all_shards",
	TipRequestMultiShard:           "request_policy:multi_shard",
	TipRequestSpecial:              "request_policy:special",
	TipResponseOneSucceeded:        "response_policy:one_succeeded",
	TipResponseAllSucceeded:        "response_policy:all_succeeded",
	TipResponseAggLogicalAnd:       "response_policy:agg_logical_and",
	TipResponseAggLogicalOr:        "response_policy:agg_logical_or",
	TipResponseAggMin:              "response_policy:agg_min",
	TipResponseAggMax:              "response_policy:agg_max",
	TipResponseAggSum:              "response_policy:agg_sum",
	TipResponseSpecial:             "response_policy:special",
}

// String returns the tip as COMMAND INFO spells it.
func (t Tip) String() string {
	if int(t) < len(tipNames) && tipNames[t] != "" {
		return tipNames[t]
	}
	return "Tip(" + strconv.Itoa(int(t)) + ")"
}

// TipByName returns the tip spelled name.
func TipByName(name string) (Tip, bool) {
	for i, n := range tipNames {
		if n != "" && n == name {
			return Tip(i), true
		}
	}
	return 0, false
}

// Group is the documentation group of a command (COMMAND DOCS "group").
type Group uint8

// Groups, as Redis 7.0 names them.
const (
	GroupGeneric Group = iota
	GroupString
	GroupList
	GroupSet
	GroupSortedSet
	GroupHash
	GroupPubSub
	GroupTransactions
	GroupConnection
	GroupServer
	GroupScripting
	GroupHyperLogLog
	GroupCluster
	GroupSentinel
	GroupGeo
	GroupStream
	GroupBitmap
	GroupModule
)

var groupNames = [...]string{
	"generic", "string", "list", "set", "sorted-set", "hash", "pubsub",
	"transactions", "connection", "server", "scripting", "hyperloglog",
	"cluster", "sentinel", "geo", "stream", "bitmap", "module",
}

// String returns the group as COMMAND DOCS spells it.
func (g Group) String() string {
	if int(g) < len(groupNames) {
		return groupNames[g]
	}
	return "Group(" + strconv.Itoa(int(g)) + ")"
}

// GroupByName returns the group spelled name.
func GroupByName(name string) (Group, bool) {
	for i, n := range groupNames {
		if n == name {
			return Group(i), true
		}
	}
	return 0, false
}

// ArgType is the type of one documented argument.
type ArgType uint8

// Argument types, as Redis 7.0 names them.
const (
	ArgString ArgType = iota
	ArgInteger
	ArgDouble
	ArgKey
	ArgPattern
	ArgUnixTime
	ArgPureToken
	ArgOneOf
	ArgBlock
)

var argTypeNames = [...]string{
	"string", "integer", "double", "key", "pattern", "unix-time", "pure-token",
	"oneof", "block",
}

// String returns the type as COMMAND DOCS spells it.
func (t ArgType) String() string {
	if int(t) < len(argTypeNames) {
		return argTypeNames[t]
	}
	return "ArgType(" + strconv.Itoa(int(t)) + ")"
}

// ArgTypeByName returns the argument type spelled name.
func ArgTypeByName(name string) (ArgType, bool) {
	for i, n := range argTypeNames {
		if n == name {
			return ArgType(i), true
		}
	}
	return 0, false
}
