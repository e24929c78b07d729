package router

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keyslot/keyslot/cluster"
)

// renderSplit shows a split as "slot:[args] groups=[...]" lines.
func renderSplit(s *Split) string {
	var lines []string
	for _, sub := range s.Subs {
		args := make([]string, len(sub.Args))
		for i, a := range sub.Args {
			args[i] = string(a)
		}
		lines = append(lines, fmt.Sprintf("%d:%s groups=%v", sub.Slot, strings.Join(args, " "), sub.Groups))
	}
	return strings.Join(lines, "\n")
}

func TestSplit(t *testing.T) {
	tab := NewTable()
	// CLUSTER KEYSLOT: a is 15495, b is 3300, k is 7629. Sub-requests come
	// in slot order; groups keep request order within each.
	tests := []struct {
		call string
		want string
	}{
		{"MGET {a}1 {b}1 {a}2", "3300:MGET {b}1 groups=[1]\n15495:MGET {a}1 {a}2 groups=[0 2]"},
		{"MSET {a}1 x {b}1 y {a}2 z", "3300:MSET {b}1 y groups=[1]\n15495:MSET {a}1 x {a}2 z groups=[0 2]"},
		{"DEL k", "7629:DEL k groups=[0]"},
		{"EXISTS k k", "7629:EXISTS k k groups=[0 1]"},
		{"UNLINK {b}x {a}y", "3300:UNLINK {b}x groups=[0]\n15495:UNLINK {a}y groups=[1]"},
	}
	var s Split
	for _, tt := range tests {
		args := bargs(strings.Split(tt.call, " "))
		c, err := tab.Lookup(args)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Split(args, &s); err != nil {
			t.Fatalf("Split(%s): %v", tt.call, err)
		}
		if got := renderSplit(&s); got != tt.want {
			t.Errorf("Split(%s) =\n%s\nwant\n%s", tt.call, got, tt.want)
		}
		if want := (len(args) - 1) / c.Policy().GroupSize; s.NumGroups != want {
			t.Errorf("Split(%s).NumGroups = %d, want %d", tt.call, s.NumGroups, want)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	tab := NewTable()
	var s Split
	mset := tab.ByName([]byte("mset"))
	err := mset.Split(bargs([]string{"MSET", "a", "1", "b"}), &s)
	var arity *ArityError
	if !errors.As(err, &arity) || err.Error() != "ERR wrong number of arguments for 'mset' command" {
		t.Errorf("MSET a 1 b: %v", err)
	}
	if err := tab.ByName([]byte("get")).Split(bargs([]string{"GET", "a"}), &s); !errors.Is(err, ErrNotSplittable) {
		t.Errorf("GET: %v", err)
	}
}

// TestSplitCoversEveryKey checks, over many keys, that every group lands
// exactly once, in a sub-request of its own slot, in request order.
func TestSplitCoversEveryKey(t *testing.T) {
	tab := NewTable()
	args := [][]byte{[]byte("MSET")}
	for i := range 500 {
		args = append(args, fmt.Appendf(nil, "key:%d", i), fmt.Appendf(nil, "v%d", i))
	}
	var s Split
	if err := tab.ByName([]byte("mset")).Split(args, &s); err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, 500)
	for _, sub := range s.Subs {
		if len(sub.Args) != 1+2*len(sub.Groups) {
			t.Fatalf("slot %d: %d args for %d groups", sub.Slot, len(sub.Args), len(sub.Groups))
		}
		for j, g := range sub.Groups {
			if j > 0 && g <= sub.Groups[j-1] {
				t.Errorf("slot %d: groups out of order %v", sub.Slot, sub.Groups)
			}
			if seen[g] {
				t.Errorf("group %d twice", g)
			}
			seen[g] = true
			key, val := sub.Args[1+2*j], sub.Args[2+2*j]
			if string(key) != fmt.Sprintf("key:%d", g) || string(val) != fmt.Sprintf("v%d", g) {
				t.Errorf("group %d is %s %s", g, key, val)
			}
			if cluster.KeySlot(key) != sub.Slot {
				t.Errorf("key %s in slot %d's sub-request", key, sub.Slot)
			}
		}
	}
	for g, ok := range seen {
		if !ok {
			t.Errorf("group %d missing", g)
		}
	}
	// Reusing the Split does not allocate once it has grown.
	allocs := testing.AllocsPerRun(20, func() {
		_ = tab.ByName([]byte("mset")).Split(args, &s)
	})
	if allocs != 0 {
		t.Errorf("reused Split allocates %v times", allocs)
	}
}

func BenchmarkSplit(b *testing.B) {
	tab := NewTable()
	mget := tab.ByName([]byte("mget"))
	args := [][]byte{[]byte("MGET")}
	for i := range 100 {
		args = append(args, fmt.Appendf(nil, "key:%d", i))
	}
	var s Split
	b.ReportAllocs()
	for b.Loop() {
		if err := mget.Split(args, &s); err != nil {
			b.Fatal(err)
		}
	}
}
