package router

import (
	"errors"
	"strings"
	"testing"
)

func TestNewTableCounts(t *testing.T) {
	tab := NewTable()
	// Redis 7.0.15: COMMAND COUNT is 240, COMMAND LIST (with subcommands) 366.
	if got := tab.Count(); got != 240 {
		t.Errorf("Count() = %d, want 240", got)
	}
	if got := len(allNames(tab)); got != 366 {
		t.Errorf("commands and subcommands = %d, want 366", got)
	}
}

func TestLookup(t *testing.T) {
	tab := NewTable()
	tests := []struct {
		args []string
		want string // full name, or the error text
	}{
		{[]string{"get", "k"}, "get"},
		{[]string{"GET", "k"}, "get"},
		{[]string{"gEt", "k"}, "get"},
		{[]string{"client", "setname", "x"}, "client|setname"},
		{[]string{"CLIENT", "SETNAME", "x"}, "client|setname"},
		{[]string{"config", "get", "maxmemory"}, "config|get"},
		{[]string{"command"}, "command"},
		{[]string{"mset", "a", "1", "b", "2"}, "mset"},
		{[]string{"georadiusbymember_ro", "k", "m", "1", "km"}, "georadiusbymember_ro"},
		{[]string{"cluster", "COUNT-FAILURE-REPORTS", "id"}, "cluster|count-failure-reports"},
		{[]string{"foo"}, "ERR unknown command 'foo', with args beginning with: "},
		{[]string{"foo", "a", "b"}, "ERR unknown command 'foo', with args beginning with: 'a' 'b' "},
		{[]string{"client", "nosuch"}, "ERR unknown subcommand 'nosuch'. Try CLIENT HELP."},
		{[]string{"Client", "nosuch"}, "ERR unknown subcommand 'nosuch'. Try CLIENT HELP."},
		{[]string{"get"}, "ERR wrong number of arguments for 'get' command"},
		{[]string{"client"}, "ERR wrong number of arguments for 'client' command"},
		{[]string{"client", "setname"}, "ERR wrong number of arguments for 'client|setname' command"},
		{[]string{"foo", "a\nb"}, "ERR unknown command 'foo', with args beginning with: 'a b' "},
		{[]string{strings.Repeat("x", 300)}, "ERR unknown command '" + strings.Repeat("x", 128) + "', with args beginning with: "},
	}
	for _, tt := range tests {
		c, err := tab.Lookup(bargs(tt.args))
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = c.Name
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
	if _, err := tab.Lookup(nil); !errors.Is(err, ErrEmptyCommand) {
		t.Errorf("Lookup(nil) = %v, want ErrEmptyCommand", err)
	}
}

func TestLookupErrorTypes(t *testing.T) {
	tab := NewTable()
	_, err := tab.Lookup(bargs([]string{"nosuch", "x"}))
	var unknown *UnknownCommandError
	if !errors.As(err, &unknown) || unknown.Name != "nosuch" {
		t.Errorf("unknown command: %#v", err)
	}
	_, err = tab.Lookup(bargs([]string{"CONFIG", "nosuch"}))
	var unknownSub *UnknownSubcommandError
	if !errors.As(err, &unknownSub) || unknownSub.Container.Name != "config" || unknownSub.Name != "nosuch" {
		t.Errorf("unknown subcommand: %#v", err)
	}
	_, err = tab.Lookup(bargs([]string{"OBJECT", "ENCODING"}))
	var arity *ArityError
	if !errors.As(err, &arity) || arity.Command.Name != "object|encoding" {
		t.Errorf("arity: %#v", err)
	}
}

func TestByNameAndFind(t *testing.T) {
	tab := NewTable()
	for _, tt := range []struct{ name, want string }{
		{"get", "get"}, {"GET", "get"}, {"client|kill", "client|kill"}, {"CLIENT|KILL", "client|kill"},
		{"client", "client"}, {"client|", ""}, {"|kill", ""}, {"get|x", ""}, {"client|kill|x", ""},
		{"", ""}, {"nosuch", ""},
	} {
		got := ""
		if c := tab.ByName([]byte(tt.name)); c != nil {
			got = c.Name
		}
		if got != tt.want {
			t.Errorf("ByName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"object"}, "object"}, {[]string{"object", "freq", "k"}, "object|freq"},
		{[]string{"object", "nosuch"}, ""}, {[]string{"get", "a", "b", "c"}, "get"}, {nil, ""},
	} {
		got := ""
		if c := tab.Find(bargs(tt.args)); c != nil {
			got = c.Name
		}
		if got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	tab := NewTable()
	for _, args := range [][]string{{"GET", "k"}, {"client", "SETNAME", "x"}, {"get"}} {
		b := bargs(args)
		allocs := testing.AllocsPerRun(100, func() { _, _ = tab.Lookup(b) })
		if allocs != 0 {
			t.Errorf("Lookup(%q) allocates %v times", args, allocs)
		}
	}
}

func TestSubset(t *testing.T) {
	full := NewTable()
	clientSubs := len(full.ByName([]byte("client")).Subcommands)
	implemented := map[string]bool{
		"set": true, "command": true, "command|count": true, "command|info": true,
		"command|list": true, "command|getkeys": true, "command|docs": true,
		"client|setname": true, "client|getname": true,
	}
	tab := full.Subset(func(name string) bool { return implemented[name] })

	// "command" itself is a container: it is kept for its subcommands.
	if got := tab.Count(); got != 3 {
		t.Errorf("Count() = %d, want 3 (client, command, set)", got)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"GET", "a"}, "ERR unknown command 'GET', with args beginning with: 'a' "},
		{[]string{"set", "a", "b"}, "set"},
		{[]string{"client", "setname", "n"}, "client|setname"},
		{[]string{"client", "kill", "x", "y"}, "ERR unknown subcommand 'kill'. Try CLIENT HELP."},
		{[]string{"command", "help"}, "ERR unknown subcommand 'help'. Try COMMAND HELP."},
		{[]string{"object", "freq", "k"}, "ERR unknown command 'object', with args beginning with: 'freq' 'k' "},
	} {
		c, err := tab.Lookup(bargs(tt.args))
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = c.Name
		}
		if got != tt.want {
			t.Errorf("subset Lookup(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}

	// The COMMAND replies list only what is implemented.
	replies := []struct {
		args []string
		want string
	}{
		{[]string{"COMMAND", "COUNT"}, ":3\r\n"},
		{[]string{"COMMAND", "LIST"}, "*10\r\n$6\r\nclient\r\n$14\r\nclient|getname\r\n$14\r\nclient|setname\r\n" +
			"$7\r\ncommand\r\n$13\r\ncommand|count\r\n$12\r\ncommand|docs\r\n$15\r\ncommand|getkeys\r\n" +
			"$12\r\ncommand|info\r\n$12\r\ncommand|list\r\n$3\r\nset\r\n"},
		{[]string{"COMMAND", "INFO", "get"}, "*1\r\n$-1\r\n"},
		{[]string{"COMMAND", "DOCS", "get"}, "*0\r\n"},
		{[]string{"COMMAND", "GETKEYS", "get", "k"}, "-ERR Invalid command specified\r\n"},
		{[]string{"COMMAND", "GETKEYS", "set", "k", "v"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"COMMAND", "HELP"}, "-ERR unknown subcommand 'HELP'. Try COMMAND HELP.\r\n"},
	}
	for _, tt := range replies {
		if got := string(ourReply(t, tab, 2, tt.args...)); got != tt.want {
			t.Errorf("subset %q = %q, want %q", tt.args, got, tt.want)
		}
	}
	// A kept container lists only the kept subcommands.
	info := string(ourReply(t, tab, 2, "COMMAND", "INFO", "client"))
	if strings.Count(info, "client|") != 2 || !strings.Contains(info, "client|setname") {
		t.Errorf("subset COMMAND INFO client lists other subcommands: %q", info)
	}
	// The full table is untouched.
	if full.Count() != 240 || len(full.ByName([]byte("client")).Subcommands) != clientSubs {
		t.Error("Subset modified the table it was taken from")
	}
	if tab.ByName([]byte("client|setname")).Parent() != tab.ByName([]byte("client")) {
		t.Error("subset subcommand's parent is not the subset's container")
	}
}

func TestCommandInvariants(t *testing.T) {
	tab := NewTable()
	for _, name := range allNames(tab) {
		c := tab.ByName([]byte(name))
		if c.IsContainer() != (len(c.Subcommands) > 0) {
			t.Errorf("%s: IsContainer disagrees with its subcommands", name)
		}
		// Every key spec index in the docs points at a key spec.
		var walk func([]Arg)
		walk = func(args []Arg) {
			for _, a := range args {
				if a.HasKeySpec && (a.KeySpecIndex < 0 || a.KeySpecIndex >= len(c.KeySpecs)) {
					t.Errorf("%s: argument %s names key spec %d of %d", name, a.Name, a.KeySpecIndex, len(c.KeySpecs))
				}
				walk(a.Args)
			}
		}
		walk(c.Doc.Args)
	}
}

func TestFlagNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{(FlagWrite | FlagDenyOOM | FlagMovableKeys).String(), "write|denyoom|movablekeys"},
		{(CatRead | CatFast).String(), "@read|@fast"},
		{(KeyRW | KeyAccess | KeyUpdate).String(), "RW|access|update"},
		{TipRequestMultiShard.String(), "request_policy:multi_shard"},
		{GroupSortedSet.String(), "sorted-set"},
		{ArgUnixTime.String(), "unix-time"},
		{(DocDeprecated | DocSyscmd).String(), "deprecated|syscmd"},
		{(ArgOptional | ArgMultipleToken).String(), "optional|multiple_token"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if f, ok := CommandFlagByName("no_mandatory_keys"); !ok || f != FlagNoMandatoryKeys {
		t.Error("CommandFlagByName(no_mandatory_keys)")
	}
	if c, ok := CategoryByName("SortedSet"); !ok || c != CatSortedSet {
		t.Error("CategoryByName(SortedSet)")
	}
	if _, ok := TipByName("nosuch"); ok {
		t.Error("TipByName(nosuch) found something")
	}
}

func BenchmarkLookup(b *testing.B) {
	tab := NewTable()
	for _, args := range [][]string{{"GET", "key"}, {"client", "setname", "x"}} {
		a := bargs(args)
		b.Run(strings.Join(args[:len(args)-1], "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tab.Lookup(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
