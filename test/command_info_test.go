package test

import (
	"regexp"
	"testing"

	"github.com/keyslot/keyslot/internal/redistest"
	"github.com/keyslot/keyslot/internal/resp"
)

// TestCommandInfoMatchesRedis: for every command keyslot node serves, as
// its own COMMAND LIST says, COMMAND INFO is byte-identical to redis-server's
// in RESP2 and RESP3. A container (CLIENT, COMMAND) lists only the
// subcommands the node implements, sorted, so each of those is compared on
// its own ("client|id").
func TestCommandInfoMatchesRedis(t *testing.T) {
	real := redistest.Start(t, redistest.Options{})
	ks := startKeyslot(t, "node")
	for _, proto := range []string{"2", "3"} {
		rc, kc := dial(t, real.Addr), dial(t, ks.Addr)
		for _, c := range []*redistest.Conn{rc, kc} {
			if _, err := c.Do("HELLO", proto); err != nil {
				t.Fatal(err)
			}
		}
		list, err := kc.Do("COMMAND", "LIST")
		if err != nil {
			t.Fatal(err)
		}
		names := bulkStrings(t, list)
		if len(names) < 8 {
			t.Fatalf("COMMAND LIST = %q: fewer commands than the node serves", list)
		}
		compared := 0
		for _, name := range names {
			got, err := kc.Do("COMMAND", "INFO", name)
			if err != nil {
				t.Fatal(err)
			}
			subs := subcommandNames(name, got)
			if len(subs) == 0 {
				want, err := rc.Do("COMMAND", "INFO", name)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("RESP%s COMMAND INFO %s:\n keyslot: %q\n   redis: %q", proto, name, got, want)
				}
				compared++
				continue
			}
			for _, sub := range subs {
				got, err := kc.Do("COMMAND", "INFO", sub)
				if err != nil {
					t.Fatalf("keyslot COMMAND INFO %s: %v", sub, err)
				}
				want, err := rc.Do("COMMAND", "INFO", sub)
				if err != nil {
					t.Fatalf("redis COMMAND INFO %s: %v", sub, err)
				}
				// A nil entry would mean the name was misread: both servers
				// answering "no such command" must not count as agreement.
				if nilInfo := "*1\r\n" + nullFor(proto); string(got) == nilInfo {
					t.Fatalf("RESP%s COMMAND INFO %s: keyslot does not know a subcommand it listed", proto, sub)
				}
				if string(got) != string(want) {
					t.Errorf("RESP%s COMMAND INFO %s:\n keyslot: %q\n   redis: %q", proto, sub, got, want)
				}
				compared++
			}
		}
		t.Logf("RESP%s: compared COMMAND INFO of %d commands and subcommands", proto, compared)
	}
}

// bulkStrings decodes a flat array (or set) of bulk strings.
func bulkStrings(t *testing.T, reply []byte) []string {
	t.Helper()
	v, _, err := resp.ParseValue(reply)
	if err != nil {
		// RESP3 sets are not tidwall types; COMMAND LIST is an array in both.
		t.Fatalf("COMMAND LIST reply %q: %v", reply, err)
	}
	var out []string
	for _, e := range v.Array() {
		out = append(out, e.String())
	}
	return out
}

// subcommandNames finds the "container|sub" names inside a container's
// COMMAND INFO reply.
func subcommandNames(container string, info []byte) []string {
	re := regexp.MustCompile(`\$\d+\r\n(` + regexp.QuoteMeta(container) + `\|[^\r]+)\r\n`)
	var out []string
	for _, m := range re.FindAllSubmatch(info, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// nullFor is the null a COMMAND INFO entry takes for an unknown name.
func nullFor(proto string) string {
	if proto == "3" {
		return "_\r\n"
	}
	return "$-1\r\n"
}
