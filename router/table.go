package router

import (
	"fmt"
	"sort"
	"strings"
)

// maxNameLen bounds command and subcommand names, so that Lookup can fold
// case into a stack buffer. Redis 7.0's longest is "count-failure-reports".
const maxNameLen = 32

// Table is an immutable command table: Redis 7.0's whole table from
// NewTable, or the part one program implements from Subset. It is safe
// for concurrent use.
type Table struct {
	cmds map[string]*Command // top-level commands by lower-case name
	list []*Command          // top-level commands sorted by name
}

// NewTable returns Redis 7.0's command table: every command and
// subcommand redis-server 7.0 has, as generated from it.
func NewTable() *Table {
	t, err := newTable(builtinCommands())
	if err != nil {
		panic("router: generated command table is invalid: " + err.Error())
	}
	return t
}

// newTable indexes cmds, derives what the table computes (parents, key
// facts, policies, errors) and checks the invariants Lookup and Keys rely
// on.
func newTable(cmds []*Command) (*Table, error) {
	t := &Table{cmds: make(map[string]*Command, len(cmds)), list: cmds}
	sort.Slice(t.list, func(i, j int) bool { return t.list[i].Name < t.list[j].Name })
	for _, c := range cmds {
		if err := prepare(c, nil); err != nil {
			return nil, err
		}
		if _, dup := t.cmds[c.Name]; dup {
			return nil, fmt.Errorf("duplicate command %q", c.Name)
		}
		t.cmds[c.Name] = c
	}
	return t, nil
}

func prepare(c *Command, parent *Command) error {
	c.parent = parent
	c.subName = c.Name
	if parent != nil {
		prefix := parent.Name + "|"
		if !strings.HasPrefix(c.Name, prefix) {
			return fmt.Errorf("subcommand %q of %q is not named %s…", c.Name, parent.Name, prefix)
		}
		c.subName = c.Name[len(prefix):]
		if len(c.Subcommands) > 0 {
			return fmt.Errorf("%s: subcommands nest only one level", c.Name)
		}
	}
	if c.subName == "" || len(c.subName) > maxNameLen || c.subName != strings.ToLower(c.subName) {
		return fmt.Errorf("command name %q is empty, too long or not lower case", c.Name)
	}
	if c.Arity == 0 {
		return fmt.Errorf("%s: arity 0", c.Name)
	}
	c.hasKeySpecs, c.varFlags, c.notKeySpecs = false, false, false
	for i, ks := range c.KeySpecs {
		if ks.Flags&KeyNotKey == 0 {
			c.hasKeySpecs = true
		} else {
			c.notKeySpecs = true
		}
		if ks.Flags&KeyVariableFlags != 0 {
			c.varFlags = true
		}
		switch ks.FindKeys.Type {
		case FindRange, FindKeyNum:
			if ks.FindKeys.KeyStep <= 0 {
				return fmt.Errorf("%s: key spec %d has step %d", c.Name, i, ks.FindKeys.KeyStep)
			}
		}
		if ks.FindKeys.Type == FindRange && ks.FindKeys.Limit < 0 ||
			ks.FindKeys.Type == FindRange && ks.FindKeys.Limit > 0 && ks.FindKeys.LastKey != -1 {
			return fmt.Errorf("%s: key spec %d has limit %d with last key %d", c.Name, i, ks.FindKeys.Limit, ks.FindKeys.LastKey)
		}
		if ks.BeginSearch.Type == SearchKeyword && ks.BeginSearch.Keyword == "" {
			return fmt.Errorf("%s: key spec %d has an empty keyword", c.Name, i)
		}
	}
	if c.Finder.Kind == FinderNumKeys && (c.Finder.Step <= 0 || c.Finder.NumKeysIdx <= 0 ||
		c.Finder.FirstKey <= c.Finder.NumKeysIdx || c.Finder.StoreKey >= c.Finder.NumKeysIdx) {
		return fmt.Errorf("%s: bad numkeys finder %+v", c.Name, c.Finder)
	}
	c.arityErr = newArityError(c)
	c.subs = nil
	if c.Subcommands != nil {
		if len(c.Subcommands) == 0 {
			return fmt.Errorf("%s: container without subcommands", c.Name)
		}
		sort.Slice(c.Subcommands, func(i, j int) bool { return c.Subcommands[i].Name < c.Subcommands[j].Name })
		c.subs = make(map[string]*Command, len(c.Subcommands))
		for _, s := range c.Subcommands {
			if err := prepare(s, c); err != nil {
				return err
			}
			if _, dup := c.subs[s.subName]; dup {
				return fmt.Errorf("duplicate subcommand %q", s.Name)
			}
			c.subs[s.subName] = s
		}
	}
	c.policy = derivePolicy(c)
	return nil
}

// Lookup resolves a call: the command named by args[0], or for a container
// the subcommand named by args[1], both case-insensitively, and checks the
// arity. Its errors are Redis 7.0's: *UnknownCommandError,
// *UnknownSubcommandError or *ArityError. It does not allocate when the
// command exists and the arity is right.
func (t *Table) Lookup(args [][]byte) (*Command, error) {
	if len(args) == 0 {
		return nil, ErrEmptyCommand
	}
	c := lookupFold(t.cmds, args[0])
	if c == nil {
		return nil, newUnknownCommandError(args)
	}
	if c.subs != nil && len(args) > 1 {
		s := lookupFold(c.subs, args[1])
		if s == nil {
			return nil, newUnknownSubcommandError(c, args[1])
		}
		c = s
	}
	if !c.ArityOK(len(args)) {
		return nil, c.arityErr
	}
	return c, nil
}

// Find resolves a call as Redis's lookupCommand does, without an arity
// check: the command, or the subcommand when args[0] is a container and
// args[1] is given. It returns nil when either is unknown.
func (t *Table) Find(args [][]byte) *Command {
	if len(args) == 0 {
		return nil
	}
	c := lookupFold(t.cmds, args[0])
	if c == nil || c.subs == nil || len(args) == 1 {
		return c
	}
	return lookupFold(c.subs, args[1])
}

// ByName returns the command with the given full name, "get" or
// "client|kill", case-insensitively, as COMMAND INFO and COMMAND DOCS
// resolve names; nil if there is none.
func (t *Table) ByName(name []byte) *Command {
	if len(name) == 0 {
		return nil
	}
	for i, ch := range name {
		if ch != '|' {
			continue
		}
		c := lookupFold(t.cmds, name[:i])
		if c == nil || c.subs == nil {
			return nil
		}
		return lookupFold(c.subs, name[i+1:]) // a second '|' finds nothing
	}
	return lookupFold(t.cmds, name)
}

// Commands returns the top-level commands sorted by name. The slice is the
// caller's; the commands are shared and must not be modified.
func (t *Table) Commands() []*Command {
	return append([]*Command(nil), t.list...)
}

// Count returns the number of top-level commands, as COMMAND COUNT does.
func (t *Table) Count() int { return len(t.list) }

// Subset returns the table of what one program implements. implemented is
// called with the full name of every command that is not a container and
// of every subcommand ("get", "client|kill"); a container is kept when at
// least one of its subcommands is, with only those. Commands left out
// answer exactly as commands Redis does not have.
func (t *Table) Subset(implemented func(fullname string) bool) *Table {
	var kept []*Command
	for _, c := range t.list {
		if c.Subcommands == nil {
			if implemented(c.Name) {
				cp := *c
				kept = append(kept, &cp)
			}
			continue
		}
		var subs []*Command
		for _, s := range c.Subcommands {
			if implemented(s.Name) {
				cp := *s
				subs = append(subs, &cp)
			}
		}
		if len(subs) > 0 {
			cp := *c
			cp.Subcommands = subs
			kept = append(kept, &cp)
		}
	}
	nt, err := newTable(kept)
	if err != nil {
		panic("router: subset of a valid table is invalid: " + err.Error())
	}
	return nt
}

// lookupFold looks name up in m, whose keys are lower case, without
// allocating.
func lookupFold(m map[string]*Command, name []byte) *Command {
	if len(name) > maxNameLen || m == nil {
		return nil
	}
	var buf [maxNameLen]byte
	for i, c := range name {
		buf[i] = lower(c)
	}
	return m[string(buf[:len(name)])]
}
