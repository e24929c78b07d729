package router

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestPolicyGolden pins the plan and merge of every command and
// subcommand in testdata/policy.golden; run with -update after a
// deliberate change and review the diff.
func TestPolicyGolden(t *testing.T) {
	tab := NewTable()
	var b strings.Builder
	for _, name := range allNames(tab) {
		c := tab.ByName([]byte(name))
		if c.IsContainer() {
			continue // a container is never dispatched on its own
		}
		fmt.Fprintf(&b, "%-32s %s\n", name, c.Policy())
	}
	path := filepath.Join("testdata", "policy.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run PolicyGolden -update)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("policy differs from %s at line %d:\ngot:  %s\nwant: %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("policy differs from %s in length: %d lines, want %d", path, len(gl), len(wl))
	}
}

func TestPolicy(t *testing.T) {
	tab := NewTable()
	tests := []struct{ name, want string }{
		{"get", "slot"},
		{"mget", "split(group=1) merge=key-order"},
		{"mset", "split(group=2) merge=all-succeeded"},
		{"del", "split(group=1) merge=sum"},
		{"exists", "split(group=1) merge=sum"},
		{"unlink", "split(group=1) merge=sum"},
		{"touch", "split(group=1) merge=sum"},
		{"msetnx", "slot"},
		{"dbsize", "all-shards merge=sum"},
		{"flushall", "all-shards merge=all-succeeded"},
		{"keys", "all-shards merge=concat"},
		{"randomkey", "all-shards merge=special"},
		{"script|exists", "all-shards merge=logical-and"},
		{"script|kill", "all-shards merge=one-succeeded"},
		{"config|set", "all-nodes merge=all-succeeded"},
		{"wait", "all-shards merge=min"},
		{"info", "all-shards merge=special"},
		{"scan", "special merge=special"},
		{"multi", "pinned"},
		{"blpop", "pinned"},
		{"xread", "pinned"},
		{"subscribe", "pinned"},
		{"ping", "local"},
		{"command|info", "local"},
		{"select", "local"},
		{"move", "reject"},
		{"cluster|setslot", "reject"},
		{"publish", "any-node"},
		{"time", "any-node"},
		{"eval", "slot"},
	}
	for _, tt := range tests {
		if got := tab.ByName([]byte(tt.name)).Policy().String(); got != tt.want {
			t.Errorf("%s: policy %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, name := range allNames(tab) {
		c := tab.ByName([]byte(name))
		p := c.Policy()
		if p.Plan == PlanSplit && (p.GroupSize < 1 || c.FirstKey != 1 || c.LastKey != -1) {
			t.Errorf("%s: split policy without a plain key range: %+v", name, c)
		}
		if p.Plan.String() == "" || strings.HasPrefix(p.Merge.String(), "MergeKind(") {
			t.Errorf("%s: unnamed plan or merge", name)
		}
	}
}
