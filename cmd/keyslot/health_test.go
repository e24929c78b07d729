package main

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// fakeServer accepts connections on 127.0.0.1, one at a time, hands each to
// serve and closes it afterwards. It returns the listening address.
func fakeServer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			serve(c)
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// readPing reads the 14 bytes of PING and reports whether they were exactly
// the RESP array health must send.
func readPing(c net.Conn) bool {
	b := make([]byte, len(pingRequest))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.ReadFull(c, b)
	return err == nil && string(b) == pingRequest
}

func TestPing(t *testing.T) {
	tests := []struct {
		name    string
		serve   func(c net.Conn)
		want    string // substring of the error; "" means healthy
		notPong bool
	}{
		{"pong", func(c net.Conn) {
			if readPing(c) {
				io.WriteString(c, "+PONG\r\n")
			}
		}, "", false},
		{"pong in pieces", func(c net.Conn) {
			if readPing(c) {
				io.WriteString(c, "+PO")
				time.Sleep(20 * time.Millisecond)
				io.WriteString(c, "NG\r\n")
			}
		}, "", false},
		{"error reply", func(c net.Conn) {
			readPing(c)
			io.WriteString(c, "-NOAUTH Authentication required.\r\n")
		}, `unexpected reply "-NOAUTH Authentication required."`, true},
		{"loading", func(c net.Conn) {
			readPing(c)
			io.WriteString(c, "-LOADING Redis is loading the dataset in memory\r\n")
		}, `unexpected reply "-LOADING`, true},
		{"bulk pong is not +PONG", func(c net.Conn) {
			readPing(c)
			io.WriteString(c, "$4\r\nPONG\r\n")
		}, `unexpected reply "$4"`, true},
		{"closed without reply", func(c net.Conn) {
			readPing(c)
		}, "connection closed before a reply", false},
		{"endless line", func(c net.Conn) {
			readPing(c)
			c.SetWriteDeadline(time.Now().Add(2 * time.Second))
			io.WriteString(c, "+"+strings.Repeat("x", 1<<20))
		}, "unexpected reply", true},
		{"no reply", func(c net.Conn) {
			readPing(c)
			time.Sleep(500 * time.Millisecond)
		}, "i/o timeout", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := fakeServer(t, tt.serve)
			start := time.Now()
			err := ping(addr, 200*time.Millisecond)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("ping took %v with a 200ms timeout", took)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ping = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), addr) {
				t.Fatalf("ping = %v, want an error naming %s and containing %q", err, addr, tt.want)
			}
			if errors.Is(err, errNotPong) != tt.notPong {
				t.Errorf("errors.Is(err, errNotPong) = %v, want %v", !tt.notPong, tt.notPong)
			}
			if len(err.Error()) > 2*maxReplyLine {
				t.Errorf("error is %d bytes long; the reply should have been cut", len(err.Error()))
			}
		})
	}
}

func TestPingRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if err := ping(addr, time.Second); err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("ping to a closed port = %v, want an error naming %s", err, addr)
	}
}

func TestHealthCommand(t *testing.T) {
	addr := fakeServer(t, func(c net.Conn) {
		if readPing(c) {
			io.WriteString(c, "+PONG\r\n")
		}
	})
	if code, out, errOut := runArgs(t, "health", "--addr", addr); code != 0 || out != "PONG\n" || errOut != "" {
		t.Errorf("healthy: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	bad := fakeServer(t, func(c net.Conn) {
		readPing(c)
		io.WriteString(c, "-ERR nope\r\n")
	})
	code, out, errOut := runArgs(t, "health", "--addr", bad, "--timeout", "1s")
	if want := "keyslot health: " + bad + `: unexpected reply "-ERR nope"` + "\n"; code != 1 || out != "" || errOut != want {
		t.Errorf("unhealthy: exit %d, stdout %q, stderr %q; want 1, \"\", %q", code, out, errOut, want)
	}

	for _, args := range [][]string{
		{"health", "--addr", "6379"},
		{"health", "--timeout", "0s"},
		{"health", "--timeout", "soon"},
	} {
		if code, _, errOut := runArgs(t, args...); code != 1 || !strings.Contains(errOut, "Run 'keyslot health --help' for usage.") {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
}
