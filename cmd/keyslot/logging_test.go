package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestNewLoggerJSON(t *testing.T) {
	var buf bytes.Buffer
	lg, err := newLogger(logOptions{Level: "info", Format: "json"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	lg.Named("node").Debug("hidden")
	lg.Named("node").Info("listening", zap.String("addr", "127.0.0.1:7000"))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1 (debug filtered out): %q", len(lines), buf.String())
	}
	var entry map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
		t.Fatalf("not JSON: %q: %v", lines[0], err)
	}
	for k, want := range map[string]string{"level": "info", "logger": "node", "msg": "listening", "addr": "127.0.0.1:7000"} {
		if entry[k] != want {
			t.Errorf("%s = %v, want %q (entry %v)", k, entry[k], want, entry)
		}
	}
}

func TestNewLoggerConsole(t *testing.T) {
	var buf bytes.Buffer
	lg, err := newLogger(logOptions{Level: "debug", Format: "console"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	lg.Named("proxy").Debug("seeds loaded", zap.String("seed", "127.0.0.1:7000"))
	out := buf.String()
	for _, want := range []string{"DEBUG", "proxy", "seeds loaded", `{"seed": "127.0.0.1:7000"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("console line %q does not contain %q", out, want)
		}
	}
	if strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("console output looks like JSON: %q", out)
	}
}

func TestNewLoggerRejects(t *testing.T) {
	for _, o := range []logOptions{
		{Level: "verbose", Format: "json"},
		{Level: "info", Format: "text"},
		{Level: "INFO", Format: "json"},
	} {
		if _, err := newLogger(o, &bytes.Buffer{}); err == nil {
			t.Errorf("newLogger(%+v) succeeded", o)
		}
	}
}
