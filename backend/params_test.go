package backend

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/keyslot/keyslot/internal/redistest"
)

// paramSet parses value as CONFIG SET would for the parameter named name,
// starting from its default.
func paramSet(t *testing.T, name, value string) (string, string) {
	t.Helper()
	ent, ok := lookupParam([]byte(name))
	if !ok {
		t.Fatalf("no parameter %q", name)
	}
	d := &paramDefs[ent.def]
	return d.parse(d.splitArgs([]byte(value)), d.def)
}

// paramCase is one CONFIG SET value and what Redis 7.0.15 makes of it:
// the value CONFIG GET then shows, or the reason it is refused.
type paramCase struct {
	name, value string
	want, err   string
}

func runParamCases(t *testing.T, cases []paramCase) {
	t.Helper()
	for _, c := range cases {
		got, msg := paramSet(t, c.name, c.value)
		if got != c.want || msg != c.err {
			t.Errorf("%s %q = (%q, %q), want (%q, %q)", c.name, c.value, got, msg, c.want, c.err)
		}
	}
}

func TestParamBool(t *testing.T) {
	runParamCases(t, []paramCase{
		{"protected-mode", "yes", "yes", ""},
		{"protected-mode", "YES", "yes", ""},
		{"protected-mode", "No", "no", ""},
		{"protected-mode", "1", "", msgYesNo},
		{"protected-mode", "true", "", msgYesNo},
		{"protected-mode", "", "", msgYesNo},
		{"protected-mode", "ye\u017f", "", msgYesNo}, // strcasecmp folds ASCII only
		{"activedefrag", "yes", "", msgDefrag},
		{"activedefrag", "no", "no", ""},
		{"slave-read-only", "no", "no", ""},
	})
}

func TestParamNumeric(t *testing.T) {
	runParamCases(t, []paramCase{
		// Plain integers: string2ll only, then the bounds.
		{"maxclients", "10", "10", ""},
		{"maxclients", "0", "", "argument must be between 1 and 4294967295 inclusive"},
		{"maxclients", "-1", "", "argument must be between 1 and 4294967295 inclusive"},
		{"maxclients", "4294967296", "", "argument must be between 1 and 4294967295 inclusive"},
		{"maxclients", "4294967295", "4294967295", ""},
		{"hash-max-listpack-entries", "-1", "", "argument must be between 0 and 9223372036854775807 inclusive"},
		{"hash-max-listpack-entries", "9223372036854775808", "", msgInteger},
		{"hash-max-listpack-entries", "010", "", msgInteger},
		{"hash-max-listpack-entries", "+1", "", msgInteger},
		{"hash-max-listpack-entries", " 1", "", msgInteger},
		{"hash-max-listpack-entries", "1kb", "", msgInteger},
		{"hash-max-ziplist-entries", "7", "7", ""},
		{"slowlog-log-slower-than", "-1", "-1", ""},
		{"slowlog-log-slower-than", "-2", "", "argument must be between -1 and 9223372036854775807 inclusive"},
		{"slowlog-max-len", "-1", "", "argument must be between 0 and 9223372036854775807 inclusive"},
		{"list-max-listpack-size", "-2147483648", "-2147483648", ""},
		{"list-max-listpack-size", "-2147483649", "", "argument must be between -2147483648 and 2147483647 inclusive"},
		{"hz", "1000", "500", ""},
		{"hz", "0", "1", ""},
		{"hz", "-1", "", "argument must be between 0 and 2147483647 inclusive"},
		// Memory values: units, shown back in bytes; memtoull's overflow.
		{"maxmemory", "1GB", "1073741824", ""},
		{"maxmemory", "1g", "1000000000", ""},
		{"maxmemory", "100mb", "104857600", ""},
		{"maxmemory", "5M", "5000000", ""},
		{"maxmemory", "3kB", "3072", ""},
		{"maxmemory", "7K", "7000", ""},
		{"maxmemory", "12b", "12", ""},
		{"maxmemory", "", "0", ""},
		{"maxmemory", "kb", "0", ""},
		{"maxmemory", "99999999999999999999", "18446744073709551615", ""},
		{"maxmemory", "18446744073709551616gb", "18446744072635809792", ""},
		{"maxmemory", "-1", "", msgMemory},
		{"maxmemory", "1.5", "", msgMemory},
		{"maxmemory", "+1", "", msgMemory},
		{"maxmemory", "1tb", "", msgMemory},
		{"maxmemory", "1\u212ab", "", msgMemory}, // the Kelvin sign is not a k
		{"proto-max-bulk-len", "1000", "", "argument must be between 1048576 and 9223372036854775807 inclusive"},
		{"proto-max-bulk-len", "99999999999999999999", "", "argument must be between 1048576 and 9223372036854775807 inclusive"},
		{"proto-max-bulk-len", "1mb", "1048576", ""},
		{"hash-max-ziplist-value", "1kb", "1024", ""},
		{"client-query-buffer-limit", "1", "", "argument must be between 1048576 and 9223372036854775807 inclusive"},
		// Memory or percentage.
		{"maxmemory-clients", "10%", "10%", ""},
		{"maxmemory-clients", "100%", "100%", ""},
		{"maxmemory-clients", "101%", "", "percentage argument must be less or equal to 100"},
		{"maxmemory-clients", "-5", "", msgMemOrPercent},
		{"maxmemory-clients", "%", "", msgMemOrPercent},
		{"maxmemory-clients", "-1%", "", msgMemOrPercent},
		{"maxmemory-clients", "1kb", "1024", ""},
		// Octal.
		{"unixsocketperm", "700", "700", ""},
		{"unixsocketperm", "0755", "755", ""},
		{"unixsocketperm", "", "0", ""},
		{"unixsocketperm", "800", "", msgOctal},
		{"unixsocketperm", "1000", "", "argument must be between 0 and 777 inclusive"},
	})
}

func TestParamEnum(t *testing.T) {
	const policies = "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"
	const sig = "argument(s) must be one of the following: default, save, nosave, now, force"
	runParamCases(t, []paramCase{
		{"maxmemory-policy", "ALLKEYS-LRU", "allkeys-lru", ""},
		{"maxmemory-policy", "lru", "", policies},
		{"maxmemory-policy", "allkeys-lru allkeys-lfu", "", policies},
		{"loglevel", "nothing", "", "argument(s) must be one of the following: debug, verbose, notice, warning"},
		{"oom-score-adj", "relative", "yes", ""},
		{"oom-score-adj", "absolute", "absolute", ""},
		{"acl-pubsub-default", "allchannels", "allchannels", ""},
		{"shutdown-on-sigint", "nosave now", "nosave now", ""},
		{"shutdown-on-sigint", "NOW force SAVE", "save now force", ""},
		{"shutdown-on-sigint", "default now", "now", ""},
		{"shutdown-on-sigint", "default", "default", ""},
		{"shutdown-on-sigint", "save nosave", "", msgShutdownBoth},
		{"shutdown-on-sigint", "foo", "", sig},
		{"shutdown-on-sigint", "", "", sig},
		{"shutdown-on-sigint", "now  force", "", sig},
	})
}

func TestParamStrings(t *testing.T) {
	runParamCases(t, []paramCase{
		{"ignore-warnings", "ARM64-COW-BUG", "ARM64-COW-BUG", ""},
		{"replica-announce-ip", "a\x00b", "a", ""},
		{"requirepass", "a\x00b", "a\x00b", ""}, // binary-safe
		{"masterauth", "x y", "x y", ""},
		{"cluster-announce-hostname", "a-b.c", "a-b.c", ""},
		{"cluster-announce-hostname", "a_b", "", msgHostChars},
		{"cluster-announce-hostname", strings.Repeat("a", 256), "", msgHostLen},
		{"cluster-announce-hostname", "", "", ""},
		{"dbfilename", "foo/bar", "", "dbfilename can't be a path, just a filename"},
		{"appendfilename", "", "", "appendfilename can't be empty"},
		{"appenddirname", `a\b`, "", "appenddirname can't be a path, just a dirname"},
		{"proc-title-template", "{title} x", "{title} x", ""},
		{"proc-title-template", "{{x", "{{x", ""},
		{"proc-title-template", "x}", "x}", ""},
		{"proc-title-template", "{port}", "{port}", ""},
		{"proc-title-template", "{listen-addr}", "{listen-addr}", ""},
		{"proc-title-template", "{config-file}", "{config-file}", ""},
		{"proc-title-template", "{bad}", "", msgProcTitle},
		{"proc-title-template", "{title}", "", msgProcTitle},
		{"proc-title-template", "{server-mode}", "", msgProcTitle},
		{"proc-title-template", "{unixsocket}", "", msgProcTitle},
		{"proc-title-template", "{title", "", msgProcTitle},
		{"proc-title-template", "{}", "", msgProcTitle},
		{"proc-title-template", "x{", "", msgProcTitle},
		{"proc-title-template", "  ", "", msgProcTitle},
		{"proc-title-template", "", "", msgProcTitle},
	})
}

func TestParamSpecial(t *testing.T) {
	runParamCases(t, []paramCase{
		{"save", "3600 1 300 100", "3600 1 300 100", ""},
		{"save", "", "", ""},
		{"save", "1 0", "1 0", ""},
		{"save", "0 1", "", msgSave},
		{"save", "1 -1", "", msgSave},
		{"save", "1", "", msgSave},
		{"save", " 1 2", "", msgSave},
		{"save", "1  2", "", msgSave},
		{"save", "1 2 ", "", msgSave},
		{"save", "1x 2", "", msgSave},
		{"save", "+5 3", "5 3", ""},
		{"save", "010 5", "10 5", ""},
		{"save", "1 4294967296", "1 0", ""},  // changes is a C int
		{"save", "1 4294967295", "1 -1", ""}, // checked before it is truncated
		{"save", "9999999999999999999 1", "9223372036854775807 1", ""},
		{"save", "1 ", "1 0", ""},

		{"client-output-buffer-limit", "pubsub 64mb 16mb 120",
			"normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 120", ""},
		{"client-output-buffer-limit", "normal 1 2 3 replica 4kb 5k 6",
			"normal 1 2 3 slave 4096 5000 6 pubsub 33554432 8388608 60", ""},
		{"client-output-buffer-limit", "SLAVE 1 2 3", "normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60", ""},
		{"client-output-buffer-limit", "", defaultCOBL, ""},
		{"client-output-buffer-limit", "master 1 2 3", "", msgCOBClass},
		{"client-output-buffer-limit", "pubsub 1 2", "", msgCOBArgs},
		{"client-output-buffer-limit", "pubsub -1 2 3", "", msgCOBValue},
		{"client-output-buffer-limit", "pubsub 1 2 -3", "", msgCOBValue},
		{"client-output-buffer-limit", "pubsub 1 2 x", "", msgCOBValue},
		{"client-output-buffer-limit", "pubsub 1 2 2147483648", "", msgCOBValue},
		{"client-output-buffer-limit", "pubsub 1 2 +3", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1 2 3", ""},
		{"client-output-buffer-limit", "pubsub 1 2 4294967297", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1 2 1", ""},
		{"client-output-buffer-limit", "normal 1 2 3 master 1 2 3", "", msgCOBClass},

		{"oom-score-adj-values", "1 2 3", "1 2 3", ""},
		{"oom-score-adj-values", "-2000 +0 2000", "-2000 0 2000", ""},
		{"oom-score-adj-values", "a b c", "", msgOOMValues},
		{"oom-score-adj-values", "-2001 0 0", "", msgOOMValues},
		{"oom-score-adj-values", "1 2", "", msgWrongArgs},

		{"latency-tracking-info-percentiles", "50 99.9 100", "50 99.9 100", ""},
		{"latency-tracking-info-percentiles", "0.5 1e1 33.333333333 -0", "0.5 10 33.333333 -0", ""},
		{"latency-tracking-info-percentiles", "", "", ""},
		{"latency-tracking-info-percentiles", "101", "", msgPercentRange},
		{"latency-tracking-info-percentiles", "abc", "", msgPercentiles},
		{"latency-tracking-info-percentiles", "nan", "", msgPercentiles},

		{"bind", "127.0.0.1 ::1", "127.0.0.1 ::1", ""},
		{"bind", "", "", ""},
		{"bind", "a b c d e f g h i j k l m n o p", "a b c d e f g h i j k l m n o p", ""},
		{"bind", "a b c d e f g h i j k l m n o p q", "", msgBindMany},

		{"replicaof", "no one", "", ""},
		{"slaveof", "NO ONE", "", ""},
		{"replicaof", "host 6380", "host 6380", ""},
		{"replicaof", "host 65536", "", msgMasterPort},
		{"replicaof", "host x", "", msgMasterPort},
		{"replicaof", "host", "", msgWrongArgs},
	})
}

func TestNotifyFlags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"KEA", "AKE"},
		{"AKE", "AKE"},
		{"gx", "gx"},
		{"Kx", "xK"},
		{"Ex", "xE"},
		{"$lshzxetmdn", "$lshzxetdnm"},
		{"A", "A"},
		{"KEg", "gKE"},
		{"KEAmnd", "AKEm"},
		{"KEg$lshzxet", "g$lshzxetKE"},
		{"g$lshzxetd", "A"},
		{"g$lshzxetdn", "A"},
		{"mn", "nm"},
		{"KKEE", "KE"},
	}
	for _, tt := range tests {
		f, ok := parseNotifyFlags(tt.in)
		if !ok {
			t.Errorf("parseNotifyFlags(%q) failed", tt.in)
			continue
		}
		if got := formatNotifyFlags(f); got != tt.want {
			t.Errorf("flags of %q format as %q, want %q", tt.in, got, tt.want)
		}
		// The canonical form means the same flags, except that A hides n.
		back, _ := parseNotifyFlags(formatNotifyFlags(f))
		if back != f&^notifyNew && back != f {
			t.Errorf("%q: %#x does not survive formatting (%#x)", tt.in, f, back)
		}
	}
	for _, bad := range []string{"x y", "Z", "k", "a", "KEA "} {
		if _, ok := parseNotifyFlags(bad); ok {
			t.Errorf("parseNotifyFlags(%q) accepted", bad)
		}
	}
	// The letters set exactly the bits the keyspace code tests.
	for ch, bit := range map[byte]uint16{'K': notifyKeyspace, 'E': notifyKeyevent, 'g': notifyGeneric,
		'$': notifyString, 'l': notifyList, 's': notifySet, 'h': notifyHash, 'z': notifyZSet,
		'x': notifyExpired, 'e': notifyEvicted, 't': notifyStream, 'm': notifyKeyMiss,
		'd': notifyModule, 'n': notifyNew} {
		if f, _ := parseNotifyFlags(string(ch)); f != bit {
			t.Errorf("%c sets %#x, want %#x", ch, f, bit)
		}
	}
}

func TestMemtoull(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"", 0, true},
		{"b", 0, true},
		{"1b", 1, true},
		{"1B", 1, true},
		{"1k", 1000, true},
		{"1Kb", 1024, true},
		{"2m", 2000000, true},
		{"2MB", 2 << 20, true},
		{"3g", 3000000000, true},
		{"3gB", 3 << 30, true},
		{"18446744073709551615", math.MaxUint64, true},
		{"18446744073709551616", math.MaxUint64, true},
		{"18446744073709551616gb", math.MaxUint64 - (1<<30 - 1), true},
		{"-1", 0, false},
		{"1 ", 0, false},
		{" 1", 0, false},
		{"1kbb", 0, false},
		{"1t", 0, false},
		{"0x10", 0, false},
		{strings.Repeat("1", 128), 0, false},
	}
	for _, tt := range tests {
		got, ok := memtoull(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("memtoull(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCStrtoll(t *testing.T) {
	tests := []struct {
		in       string
		base     int
		want     int64
		rest     string
		overflow bool
	}{
		{"12", 10, 12, "", false},
		{"+12", 10, 12, "", false},
		{"-12", 10, -12, "", false},
		{" \t12x", 10, 12, "x", false},
		{"", 10, 0, "", false},
		{"x", 10, 0, "x", false},
		{"-", 10, 0, "-", false},
		{"9223372036854775807", 10, math.MaxInt64, "", false},
		{"9223372036854775808", 10, math.MaxInt64, "", true},
		{"-9223372036854775808", 10, math.MinInt64, "", false},
		{"-9223372036854775809", 10, math.MinInt64, "", true},
		{"99999999999999999999 1", 10, math.MaxInt64, " 1", true},
		{"0777", 8, 0o777, "", false},
		{"78", 8, 7, "8", false},
	}
	for _, tt := range tests {
		v, rest, overflow := cStrtoll(tt.in, tt.base)
		if v != tt.want || rest != tt.rest || overflow != tt.overflow {
			t.Errorf("cStrtoll(%q, %d) = %d, %q, %v; want %d, %q, %v",
				tt.in, tt.base, v, rest, overflow, tt.want, tt.rest, tt.overflow)
		}
	}
}

// Every default is in canonical form: parsing it gives it back.
func TestParamDefaultsAreCanonical(t *testing.T) {
	for i := range paramDefs {
		d := &paramDefs[i]
		if d.name == "dir" {
			continue
		}
		got, msg := d.parse(d.splitArgs([]byte(d.def)), d.def)
		if msg != "" || got != d.def {
			t.Errorf("%s: default %q parses as (%q, %q)", d.name, d.def, got, msg)
		}
	}
}

func TestLookupParam(t *testing.T) {
	for _, tt := range []struct {
		in, name string
		alias    bool
	}{
		{"maxmemory", "maxmemory", false},
		{"MAXMEMORY", "maxmemory", false},
		{"Hash-Max-Ziplist-Entries", "hash-max-ziplist-entries", true},
		{"slaveof", "slaveof", true},
		{"server_cpulist", "server_cpulist", false},
	} {
		e, ok := lookupParam([]byte(tt.in))
		if !ok || e.name != tt.name || e.alias != tt.alias {
			t.Errorf("lookupParam(%q) = %+v, %v", tt.in, e, ok)
		}
	}
	for _, bad := range []string{"", "foo", "maxmemory ", "maxmemory\x00", strings.Repeat("a", 100)} {
		if _, ok := lookupParam([]byte(bad)); ok {
			t.Errorf("lookupParam(%q) found something", bad)
		}
	}
	names := ParamNames()
	if len(names) != len(paramEntries) || !slices.Contains(names, "lua-time-limit") {
		t.Errorf("ParamNames() = %d names", len(names))
	}
}

// The table lists exactly the parameters redis-server 7.0 lists, with the
// same defaults (those the test harness changes aside), and the hidden
// ones answer an exact CONFIG GET.
func TestParamTableMatchesRedis(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	c := dialNode(t, srv.Addr)
	reply := doCmd(t, c, "CONFIG", "GET", "*")
	got := parseFlatPairs(t, reply)
	// The harness starts redis-server with these; the rest are defaults.
	started := map[string]string{"port": "", "dir": "", "logfile": "", "save": "", "bind": "",
		"protected-mode": ""}
	seen := make(map[string]bool)
	for _, e := range paramEntries {
		d := &paramDefs[e.def]
		if d.flags&pHidden != 0 {
			if hidden := parseFlatPairs(t, doCmd(t, c, "CONFIG", "GET", e.name)); hidden[e.name] != d.def {
				t.Errorf("hidden %s: redis-server has %q, table %q", e.name, hidden[e.name], d.def)
			}
			continue
		}
		seen[e.name] = true
		v, ok := got[e.name]
		if !ok {
			t.Errorf("%s is not a parameter of redis-server", e.name)
			continue
		}
		if _, env := started[e.name]; !env && v != d.def {
			t.Errorf("%s: redis-server's default is %q, the table's %q", e.name, v, d.def)
		}
	}
	for name := range got {
		if !seen[name] {
			t.Errorf("redis-server has parameter %s, the table does not", name)
		}
	}
}

// parseFlatPairs reads a RESP2 CONFIG GET reply of bulk strings.
func parseFlatPairs(t *testing.T, reply []byte) map[string]string {
	t.Helper()
	lines := bytes.Split(reply, []byte("\r\n"))
	var vals []string
	for i := 1; i < len(lines)-1; i += 2 {
		vals = append(vals, string(lines[i+1]))
	}
	out := make(map[string]string)
	for i := 0; i+1 < len(vals); i += 2 {
		out[vals[i]] = vals[i+1]
	}
	return out
}

func TestEvictionPolicy(t *testing.T) {
	for _, it := range enumMaxmemoryPolicy {
		p := evictionPolicy(it.val)
		if p.String() != it.name {
			t.Errorf("%d.String() = %q, want %q", it.val, p.String(), it.name)
		}
		if p.lfu() != strings.HasSuffix(it.name, "-lfu") || p.allKeys() != strings.HasPrefix(it.name, "allkeys-") {
			t.Errorf("%s: lfu %v, allKeys %v", it.name, p.lfu(), p.allKeys())
		}
	}
}

// FuzzParamParse feeds arbitrary CONFIG SET values to every parameter: no
// panic, and whatever is accepted comes back in canonical form, which
// parses to itself (save aside: Redis shows a changes count past 2^31 as
// the negative int it stores, which it then refuses).
func FuzzParamParse(f *testing.F) {
	for _, s := range []string{"", "0", "-1", "yes", "1gb", "10%", "0777", "KEA", "3600 1 300 100",
		"pubsub 1mb 2mb 3", "a b c d e f g h i j k l m n o p q", "now force", "{title} {port}",
		"99999999999999999999", "1 4294967295", "50 99.9", "\x00", "host 65535"} {
		f.Add(uint16(0), s)
	}
	f.Fuzz(func(t *testing.T, which uint16, value string) {
		d := &paramDefs[int(which)%len(paramDefs)]
		if d.special == nil && d.kind == kindSpecial {
			return // dir touches the file system
		}
		v, msg := d.parse(d.splitArgs([]byte(value)), d.def)
		if msg != "" {
			if v != "" {
				t.Fatalf("%s %q: value %q with error %q", d.name, value, v, msg)
			}
			return
		}
		again, msg := d.parse(d.splitArgs([]byte(v)), v)
		if d.name == "save" && msg == msgSave {
			return
		}
		if msg != "" || again != v {
			t.Fatalf("%s %q: canonical %q parses as (%q, %q)", d.name, value, v, again, msg)
		}
	})
}
