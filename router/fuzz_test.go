package router

import (
	"bytes"
	"testing"

	"github.com/keyslot/keyslot/internal/resp"
)

// FuzzKeys feeds arbitrary argument lists, under every command name, to
// Lookup, Keys, RoutingKeys, Split and COMMAND GETKEYS: none may panic,
// every key position must index the arguments, and GETKEYS must produce
// one well-formed reply.
func FuzzKeys(f *testing.F) {
	for _, line := range getKeysCorpus {
		f.Add(uint16(0), []byte(line))
	}
	f.Add(uint16(7), []byte("STREAMS a b 1 2"))
	f.Add(uint16(3), []byte("'' 0 5000 KEYS a b"))
	f.Add(uint16(100), []byte("4294967297 k"))
	tab := NewTable()
	names := allNames(tab)
	f.Fuzz(func(t *testing.T, pick uint16, data []byte) {
		args := bytes.Split(data, []byte(" "))
		if len(args) > 64 {
			args = args[:64]
		}
		// Half the time, put a real command name in front.
		if pick%2 == 1 {
			c := tab.ByName([]byte(names[int(pick/2)%len(names)]))
			prefix := [][]byte{[]byte(c.Name)}
			if p := c.Parent(); p != nil {
				prefix = [][]byte{[]byte(p.Name), []byte(c.Name[len(p.Name)+1:])}
			}
			args = append(prefix, args...)
		}
		check := func(c *Command, keys []KeyRef) {
			for _, k := range keys {
				if k.Pos < 1 || k.Pos >= len(args) {
					t.Fatalf("%s %q: key position %d out of range", c.Name, args, k.Pos)
				}
			}
		}
		if c := tab.Find(args); c != nil {
			check(c, c.Keys(args, nil))
			check(c, c.RoutingKeys(args, nil))
		}
		if c, err := tab.Lookup(args); err == nil {
			var s Split
			if c.Split(args, &s) == nil {
				n := 0
				for _, sub := range s.Subs {
					n += len(sub.Groups)
				}
				if n != s.NumGroups {
					t.Fatalf("%q: split lost groups", args)
				}
			}
		}
		var out bytes.Buffer
		w := resp.NewWriter(&out)
		tab.WriteCommandReply(w, append([][]byte{[]byte("COMMAND"), []byte("GETKEYSANDFLAGS")}, args...))
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if n, err := resp.ScanReply(out.Bytes()); err != nil || n != out.Len() {
			t.Fatalf("GETKEYSANDFLAGS %q: malformed reply %q", args, out.Bytes())
		}
	})
}
