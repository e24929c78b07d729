package router

// Command describes one Redis command or subcommand: everything COMMAND
// INFO and COMMAND DOCS report about it, how to find its keys, and how a
// proxy routes it. Commands are built once by NewTable and shared by every
// connection; they must not be modified.
type Command struct {
	// Name is the full lower-case name: "get", or "client|setname" for a
	// subcommand, as COMMAND INFO and error messages spell it.
	Name string
	// Arity is Redis's arity: N means exactly N arguments including the
	// command name (and subcommand name), -N means at least N.
	Arity int
	// Flags are the command flags in COMMAND INFO.
	Flags CommandFlags
	// Categories are the command's ACL categories.
	Categories Categories
	// Tips are Redis's command tips, in Redis's order.
	Tips []Tip
	// FirstKey, LastKey and KeyStep are the legacy key range COMMAND INFO
	// reports (all zero for commands without a simple range).
	FirstKey, LastKey, KeyStep int
	// KeySpecs are the command's key specifications, in Redis's order.
	KeySpecs []KeySpec
	// Finder finds the keys where the key specs cannot: Redis's getkeys_proc.
	Finder Finder
	// Subcommands are the subcommands of a container command (CLIENT,
	// CONFIG…), sorted by name; nil for other commands.
	Subcommands []*Command
	// Doc is what COMMAND DOCS reports.
	Doc Doc

	// The fields below are derived by NewTable and Subset.
	parent      *Command
	subName     string              // the part of Name after '|'
	subs        map[string]*Command // Subcommands by lower-case name
	policy      Policy
	arityErr    *ArityError
	hasKeySpecs bool // at least one key spec not marked NOT_KEY
	varFlags    bool // at least one key spec marked VARIABLE_FLAGS
	notKeySpecs bool // at least one key spec marked NOT_KEY
}

// Parent returns the container of a subcommand, or nil.
func (c *Command) Parent() *Command { return c.parent }

// IsContainer reports whether c has subcommands (CLIENT, CONFIG…).
func (c *Command) IsContainer() bool { return c.Subcommands != nil }

// Subcommand returns the subcommand named name (case-insensitively), or nil.
func (c *Command) Subcommand(name []byte) *Command { return lookupFold(c.subs, name) }

// ArityOK reports whether a call with argc arguments (the command name
// included) satisfies the command's arity.
func (c *Command) ArityOK(argc int) bool {
	if c.Arity >= 0 {
		return argc == c.Arity
	}
	return argc >= -c.Arity
}

// HasKeys reports whether the command may take keys at all, as Redis's
// doesCommandHaveKeys decides it for COMMAND GETKEYS.
func (c *Command) HasKeys() bool { return c.hasKeySpecs || c.Finder.Kind != FinderNone }

// Policy returns how a proxy routes the command and merges its replies.
func (c *Command) Policy() Policy { return c.policy }

// KeySpec is one of Redis 7's key specifications: where the search for
// keys begins and how the keys are found from there.
type KeySpec struct {
	// Notes is Redis's free-text remark about the spec, if any.
	Notes       string
	Flags       KeyFlags
	BeginSearch BeginSearch
	FindKeys    FindKeys
}

// BeginSearchType says how a key spec finds the first key.
type BeginSearchType uint8

// Begin-search types.
const (
	// SearchUnknown cannot be resolved from the arguments alone; the
	// command's Finder decides.
	SearchUnknown BeginSearchType = iota
	// SearchIndex starts at a fixed argument index.
	SearchIndex
	// SearchKeyword starts after a keyword (STREAMS, STORE…).
	SearchKeyword
)

// BeginSearch is the begin_search part of a key spec.
type BeginSearch struct {
	Type BeginSearchType
	// Index is the argument index for SearchIndex.
	Index int
	// Keyword and StartFrom are for SearchKeyword: the keyword is searched
	// from argument StartFrom onwards, or backwards from the end when
	// StartFrom is negative.
	Keyword   string
	StartFrom int
}

// FindKeysType says how a key spec finds the keys after the first.
type FindKeysType uint8

// Find-keys types.
const (
	// FindUnknown cannot be resolved from the arguments alone.
	FindUnknown FindKeysType = iota
	// FindRange takes a range of arguments.
	FindRange
	// FindKeyNum reads the number of keys from an argument (numkeys).
	FindKeyNum
)

// FindKeys is the find_keys part of a key spec.
type FindKeys struct {
	Type FindKeysType
	// LastKey, KeyStep and Limit are for FindRange: LastKey is relative to
	// the first key, or to the end of the arguments when negative; with
	// Limit > 0 and LastKey -1 only 1/Limit of the remaining arguments are
	// keys (XREAD's STREAMS k1 k2 id1 id2).
	LastKey int
	KeyStep int
	Limit   int
	// KeyNumIdx, FirstKey and KeyStep are for FindKeyNum: the numkeys
	// argument is at begin+KeyNumIdx and the first key at begin+FirstKey.
	KeyNumIdx int
	FirstKey  int
}

// Doc is the documentation COMMAND DOCS reports for a command.
type Doc struct {
	Summary         string
	Since           string
	Group           Group
	Complexity      string
	Flags           DocFlags
	DeprecatedSince string
	ReplacedBy      string
	History         []History
	Args            []Arg
}

// History is one entry of a command's change history.
type History struct {
	Since  string
	Change string
}

// Arg is one documented argument of a command.
type Arg struct {
	Name string
	Type ArgType
	// KeySpecIndex is the index of the key spec that covers this argument,
	// valid when HasKeySpec is set.
	KeySpecIndex int
	HasKeySpec   bool
	// Token is the literal that introduces the argument ("EX", "STORE").
	// EmptyToken marks a token that is the empty string, which Token alone
	// cannot tell from none: MIGRATE's "" in place of a key.
	Token           string
	EmptyToken      bool
	Since           string
	DeprecatedSince string
	Flags           ArgFlags
	// Args are the members of a oneof or block argument.
	Args []Arg
}
