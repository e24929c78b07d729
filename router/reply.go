package router

import "github.com/keyslot/keyslot/internal/resp"

// WriteCommandReply answers a COMMAND call (args[0] is "COMMAND", any
// case) from the table, as Redis 7.0 answers it: COMMAND, COMMAND COUNT,
// INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS and HELP, in RESP2 or RESP3
// as w speaks. Everything listed is what the table holds, so a Subset
// lists only what its program implements. Errors (unknown subcommand,
// arity, GETKEYS's complaints) are written as Redis writes them.
//
// Redis lists commands and subcommands in hash-table order, which changes
// from one process to the next; the table lists them sorted by name.
func (t *Table) WriteCommandReply(w *resp.Writer, args [][]byte) {
	c, err := t.Lookup(args)
	if err != nil {
		w.AppendError(err.Error())
		return
	}
	switch c.Name {
	case "command":
		t.writeAllInfo(w)
	case "command|count":
		w.AppendInt(int64(len(t.list)))
	case "command|info":
		if len(args) == 2 {
			t.writeAllInfo(w)
			return
		}
		w.AppendArray(len(args) - 2)
		for _, name := range args[2:] {
			writeInfo(w, t.ByName(name))
		}
	case "command|docs":
		t.writeDocsReply(w, args[2:])
	case "command|list":
		t.writeListReply(w, args[2:])
	case "command|getkeys":
		t.writeGetKeys(w, args[2:], false)
	case "command|getkeysandflags":
		t.writeGetKeys(w, args[2:], true)
	case "command|help":
		writeHelp(w)
	default:
		// args[0] was not COMMAND: the caller dispatched wrongly.
		w.AppendError(newUnknownCommandError(args).Error())
	}
}

func (t *Table) writeAllInfo(w *resp.Writer) {
	w.AppendArray(len(t.list))
	for _, c := range t.list {
		writeInfo(w, c)
	}
}

// WriteInfo writes c's COMMAND INFO entry (a null for nil) as Redis's
// addReplyCommandInfo does.
func WriteInfo(w *resp.Writer, c *Command) { writeInfo(w, c) }

func writeInfo(w *resp.Writer, c *Command) {
	if c == nil {
		w.AppendNull()
		return
	}
	w.AppendArray(10)
	w.AppendBulkString(c.Name)
	w.AppendInt(int64(c.Arity))
	writeBitNames(w, uint64(c.Flags), commandFlagNames[:], "")
	w.AppendInt(int64(c.FirstKey))
	w.AppendInt(int64(c.LastKey))
	w.AppendInt(int64(c.KeyStep))
	writeBitNames(w, uint64(c.Categories), categoryNames[:], "@")
	w.AppendSet(len(c.Tips))
	for _, tip := range c.Tips {
		w.AppendBulkString(tip.String())
	}
	w.AppendSet(len(c.KeySpecs))
	for i := range c.KeySpecs {
		writeKeySpec(w, &c.KeySpecs[i])
	}
	if c.Subcommands == nil {
		w.AppendSet(0)
		return
	}
	w.AppendArray(len(c.Subcommands))
	for _, s := range c.Subcommands {
		writeInfo(w, s)
	}
}

// writeBitNames writes the names of the set bits of v as a set of simple
// strings, each prefixed with prefix.
func writeBitNames(w *resp.Writer, v uint64, names []string, prefix string) {
	n := 0
	for i := range names {
		if v&(1<<i) != 0 {
			n++
		}
	}
	w.AppendSet(n)
	for i, name := range names {
		if v&(1<<i) != 0 {
			w.AppendSimple(prefix + name)
		}
	}
}

func writeKeySpec(w *resp.Writer, ks *KeySpec) {
	n := 3
	if ks.Notes != "" {
		n++
	}
	w.AppendMap(n)
	if ks.Notes != "" {
		w.AppendBulkString("notes")
		w.AppendBulkString(ks.Notes)
	}
	w.AppendBulkString("flags")
	writeBitNames(w, uint64(ks.Flags), keyFlagNames[:], "")

	w.AppendBulkString("begin_search")
	w.AppendMap(2)
	w.AppendBulkString("type")
	switch ks.BeginSearch.Type {
	case SearchIndex:
		w.AppendBulkString("index")
		w.AppendBulkString("spec")
		w.AppendMap(1)
		w.AppendBulkString("index")
		w.AppendInt(int64(ks.BeginSearch.Index))
	case SearchKeyword:
		w.AppendBulkString("keyword")
		w.AppendBulkString("spec")
		w.AppendMap(2)
		w.AppendBulkString("keyword")
		w.AppendBulkString(ks.BeginSearch.Keyword)
		w.AppendBulkString("startfrom")
		w.AppendInt(int64(ks.BeginSearch.StartFrom))
	default:
		w.AppendBulkString("unknown")
		w.AppendBulkString("spec")
		w.AppendMap(0)
	}

	w.AppendBulkString("find_keys")
	w.AppendMap(2)
	w.AppendBulkString("type")
	switch ks.FindKeys.Type {
	case FindRange:
		w.AppendBulkString("range")
		w.AppendBulkString("spec")
		w.AppendMap(3)
		w.AppendBulkString("lastkey")
		w.AppendInt(int64(ks.FindKeys.LastKey))
		w.AppendBulkString("keystep")
		w.AppendInt(int64(ks.FindKeys.KeyStep))
		w.AppendBulkString("limit")
		w.AppendInt(int64(ks.FindKeys.Limit))
	case FindKeyNum:
		w.AppendBulkString("keynum")
		w.AppendBulkString("spec")
		w.AppendMap(3)
		w.AppendBulkString("keynumidx")
		w.AppendInt(int64(ks.FindKeys.KeyNumIdx))
		w.AppendBulkString("firstkey")
		w.AppendInt(int64(ks.FindKeys.FirstKey))
		w.AppendBulkString("keystep")
		w.AppendInt(int64(ks.FindKeys.KeyStep))
	default:
		w.AppendBulkString("unknown")
		w.AppendBulkString("spec")
		w.AppendMap(0)
	}
}

// writeDocsReply answers COMMAND DOCS [name ...]: a map from full name to
// docs, leaving out names that are not commands.
func (t *Table) writeDocsReply(w *resp.Writer, names [][]byte) {
	if len(names) == 0 {
		w.AppendMap(len(t.list))
		for _, c := range t.list {
			w.AppendBulkString(c.Name)
			writeDocs(w, c)
		}
		return
	}
	n := 0
	for _, name := range names {
		if t.ByName(name) != nil {
			n++
		}
	}
	w.AppendMap(n)
	for _, name := range names {
		if c := t.ByName(name); c != nil {
			w.AppendBulkString(c.Name)
			writeDocs(w, c)
		}
	}
}

// WriteDocs writes c's COMMAND DOCS entry as Redis's addReplyCommandDocs
// does.
func WriteDocs(w *resp.Writer, c *Command) { writeDocs(w, c) }

func writeDocs(w *resp.Writer, c *Command) {
	d := &c.Doc
	n := 1 // group
	for _, present := range []bool{
		d.Summary != "", d.Since != "", d.Complexity != "", d.Flags != 0,
		d.DeprecatedSince != "", d.ReplacedBy != "", len(d.History) > 0,
		len(d.Args) > 0, c.Subcommands != nil,
	} {
		if present {
			n++
		}
	}
	w.AppendMap(n)
	if d.Summary != "" {
		w.AppendBulkString("summary")
		w.AppendBulkString(d.Summary)
	}
	if d.Since != "" {
		w.AppendBulkString("since")
		w.AppendBulkString(d.Since)
	}
	w.AppendBulkString("group")
	w.AppendBulkString(d.Group.String())
	if d.Complexity != "" {
		w.AppendBulkString("complexity")
		w.AppendBulkString(d.Complexity)
	}
	if d.Flags != 0 {
		w.AppendBulkString("doc_flags")
		writeBitNames(w, uint64(d.Flags), docFlagNames[:], "")
	}
	if d.DeprecatedSince != "" {
		w.AppendBulkString("deprecated_since")
		w.AppendBulkString(d.DeprecatedSince)
	}
	if d.ReplacedBy != "" {
		w.AppendBulkString("replaced_by")
		w.AppendBulkString(d.ReplacedBy)
	}
	if len(d.History) > 0 {
		w.AppendBulkString("history")
		w.AppendSet(len(d.History))
		for _, h := range d.History {
			w.AppendArray(2)
			w.AppendBulkString(h.Since)
			w.AppendBulkString(h.Change)
		}
	}
	if len(d.Args) > 0 {
		w.AppendBulkString("arguments")
		writeArgs(w, d.Args)
	}
	if c.Subcommands != nil {
		w.AppendBulkString("subcommands")
		w.AppendMap(len(c.Subcommands))
		for _, s := range c.Subcommands {
			w.AppendBulkString(s.Name)
			writeDocs(w, s)
		}
	}
}

func writeArgs(w *resp.Writer, args []Arg) {
	w.AppendArray(len(args))
	for i := range args {
		a := &args[i]
		n := 2
		for _, present := range []bool{
			a.HasKeySpec, a.Token != "" || a.EmptyToken, a.Since != "",
			a.DeprecatedSince != "", a.Flags != 0, a.Type == ArgOneOf || a.Type == ArgBlock,
		} {
			if present {
				n++
			}
		}
		w.AppendMap(n)
		w.AppendBulkString("name")
		w.AppendBulkString(a.Name)
		w.AppendBulkString("type")
		w.AppendBulkString(a.Type.String())
		if a.HasKeySpec {
			w.AppendBulkString("key_spec_index")
			w.AppendInt(int64(a.KeySpecIndex))
		}
		if a.Token != "" || a.EmptyToken {
			w.AppendBulkString("token")
			w.AppendBulkString(a.Token)
		}
		if a.Since != "" {
			w.AppendBulkString("since")
			w.AppendBulkString(a.Since)
		}
		if a.DeprecatedSince != "" {
			w.AppendBulkString("deprecated_since")
			w.AppendBulkString(a.DeprecatedSince)
		}
		if a.Flags != 0 {
			w.AppendBulkString("flags")
			writeBitNames(w, uint64(a.Flags), argFlagNames[:], "")
		}
		if a.Type == ArgOneOf || a.Type == ArgBlock {
			w.AppendBulkString("arguments")
			writeArgs(w, a.Args)
		}
	}
}

// writeListReply answers COMMAND LIST [FILTERBY MODULE m|ACLCAT c|PATTERN p]
// with every command and subcommand name that passes the filter.
func (t *Table) writeListReply(w *resp.Writer, opts [][]byte) {
	keep := func(*Command) bool { return true }
	for i := 0; i < len(opts); i++ {
		if !cstrEqualFold(opts[i], "filterby") || len(opts)-1-i != 2 {
			w.AppendError("ERR syntax error")
			return
		}
		arg := opts[i+2]
		switch kind := opts[i+1]; {
		case cstrEqualFold(kind, "module"):
			// No modules are loaded, so no command belongs to one.
			keep = func(*Command) bool { return false }
		case cstrEqualFold(kind, "aclcat"):
			var cat Categories
			for j, name := range categoryNames {
				if cstrEqualFold(arg, name) {
					cat = 1 << j
				}
			}
			keep = func(c *Command) bool { return c.Categories&cat != 0 }
		case cstrEqualFold(kind, "pattern"):
			keep = func(c *Command) bool { return globMatch(arg, []byte(c.Name), true) }
		default:
			w.AppendError("ERR syntax error")
			return
		}
		i += 2
	}
	n := 0
	for _, c := range t.list {
		if keep(c) {
			n++
		}
		for _, s := range c.Subcommands {
			if keep(s) {
				n++
			}
		}
	}
	w.AppendArray(n)
	for _, c := range t.list {
		if keep(c) {
			w.AppendBulkString(c.Name)
		}
		for _, s := range c.Subcommands {
			if keep(s) {
				w.AppendBulkString(s.Name)
			}
		}
	}
}

// writeGetKeys answers COMMAND GETKEYS and GETKEYSANDFLAGS for the call
// args, as Redis's getKeysSubcommandImpl does.
func (t *Table) writeGetKeys(w *resp.Writer, args [][]byte, withFlags bool) {
	c := t.Find(args)
	switch {
	case c == nil:
		w.AppendError("ERR Invalid command specified")
		return
	case !c.HasKeys():
		w.AppendError("ERR The command has no key arguments")
		return
	case !c.ArityOK(len(args)):
		w.AppendError("ERR Invalid number of arguments specified for command")
		return
	}
	var buf [16]KeyRef
	keys := c.Keys(args, buf[:0])
	if len(keys) == 0 {
		if c.Flags&FlagNoMandatoryKeys != 0 {
			w.AppendArray(0)
		} else {
			w.AppendError("ERR Invalid arguments specified for command")
		}
		return
	}
	w.AppendArray(len(keys))
	for _, k := range keys {
		if !withFlags {
			w.AppendBulk(args[k.Pos])
			continue
		}
		w.AppendArray(2)
		w.AppendBulk(args[k.Pos])
		writeBitNames(w, uint64(k.Flags), keyFlagNames[:], "")
	}
}

// commandHelp is COMMAND HELP's text, line by line.
var commandHelp = [...]string{
	"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
	"HELP",
	"    Prints this help.",
}

func writeHelp(w *resp.Writer) {
	w.AppendArray(len(commandHelp))
	for _, line := range commandHelp {
		w.AppendSimple(line)
	}
}
