package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/keyslot/keyslot/internal/redistest"
)

// TestGeneratedTableIsCurrent regenerates the table from the installed
// redis-server and compares it with the checked-in router/commands_gen.go.
func TestGeneratedTableIsCurrent(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	out := filepath.Join(t.TempDir(), "commands_gen.go")
	if err := run(srv.Addr, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "commands_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("router/commands_gen.go is stale or was edited by hand: run go generate ./router")
	}
}
