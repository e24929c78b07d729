package server

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	var mu sync.Mutex
	pass := "pw"
	s, _, _ := startServer(t, Config{Password: func() string { mu.Lock(); defer mu.Unlock(); return pass }})
	c := dial(t, s)
	const noauth = "-NOAUTH Authentication required.\r\n"
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"nosuch"}, "-ERR unknown command 'nosuch', with args beginning with: \r\n"},
		{[]string{"echo"}, "-ERR wrong number of arguments for 'echo' command\r\n"},
		{[]string{"PING"}, noauth},
		{[]string{"HELLO", "3", "SETNAME", "early"}, "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"},
		{[]string{"AUTH", "wrong"}, "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{[]string{"AUTH", "someone", "pw"}, "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{[]string{"AUTH", "a", "b", "c"}, "-ERR syntax error\r\n"},
		{[]string{"AUTH", "pw"}, "+OK\r\n"},
		{[]string{"CLIENT", "GETNAME"}, "$5\r\nearly\r\n"}, // SETNAME ran before HELLO refused
		{[]string{"RESET"}, "+RESET\r\n"},
		{[]string{"PING"}, noauth},
		{[]string{"AUTH", "default", "pw"}, "+OK\r\n"},
		{[]string{"PING"}, "+PONG\r\n"},
	} {
		if got := do(t, c, step.args...); got != step.want {
			t.Errorf("%q = %q, want %q", step.args, got, step.want)
		}
	}
	hello := dial(t, s)
	if got := do(t, hello, "HELLO", "2", "AUTH", "default", "pw"); !strings.HasPrefix(got, "*14\r\n") {
		t.Errorf("HELLO AUTH = %q", got)
	}
	// A client that connected without a password stays logged in when one
	// is set.
	mu.Lock()
	pass = ""
	mu.Unlock()
	early := dial(t, s)
	do(t, early, "PING") // accepted before the password is set
	mu.Lock()
	pass = "pw2"
	mu.Unlock()
	if got := do(t, early, "PING"); got != "+PONG\r\n" {
		t.Errorf("PING from a client that connected before requirepass = %q", got)
	}
	mu.Lock()
	pass = ""
	mu.Unlock()
	fresh := dial(t, s)
	if got := do(t, fresh, "AUTH", "x"); !strings.HasPrefix(got, "-ERR AUTH <password> called without any password configured") {
		t.Errorf("AUTH without requirepass = %q", got)
	}
	if got := do(t, fresh, "AUTH", "default", "anything"); got != "+OK\r\n" {
		t.Errorf("AUTH default without requirepass = %q", got)
	}
}

// pubsub is a minimal Pub/Sub for testing push mode: SUBSCRIBE puts the
// client in push mode, PUBLISH pushes a message to every subscriber.
type pubsub struct {
	mu   sync.Mutex
	subs []*Conn
}

func (p *pubsub) handlers() map[string]HandlerFunc {
	return map[string]HandlerFunc{
		"subscribe": func(c *Conn, args [][]byte) {
			c.EnablePush()
			p.mu.Lock()
			c.W.AppendSimple("SUBSCRIBED")
			_ = c.W.Flush() // queued before any message can be
			p.subs = append(p.subs, c)
			p.mu.Unlock()
		},
		"publish": func(c *Conn, args [][]byte) {
			p.mu.Lock()
			n := 0
			for _, sub := range p.subs {
				if sub.Push([]byte("+" + string(args[2]) + "\r\n")) {
					n++
				}
			}
			p.mu.Unlock()
			c.W.AppendInt(int64(n))
		},
	}
}

func TestPushKeepsOrderWithReplies(t *testing.T) {
	ps := &pubsub{}
	s, _, _ := startServerWith(t, Config{}, ps.handlers())
	sub, pub := dial(t, s), dial(t, s)
	if got := do(t, sub, "SUBSCRIBE", "ch"); got != "+SUBSCRIBED\r\n" {
		t.Fatalf("SUBSCRIBE = %q", got)
	}
	for i := range 100 {
		if got := do(t, pub, "PUBLISH", "ch", "m"+string(rune('a'+i%26))); got != ":1\r\n" {
			t.Fatalf("PUBLISH = %q", got)
		}
	}
	for i := range 100 {
		got, err := sub.Receive()
		if want := "+m" + string(rune('a'+i%26)) + "\r\n"; err != nil || string(got) != want {
			t.Fatalf("message %d = %q, %v; want %q", i, got, err, want)
		}
	}
	// The subscriber's own replies still come, in order, through the queue.
	if got := do(t, sub, "PING"); got != "+PONG\r\n" {
		t.Fatalf("PING in push mode = %q", got)
	}
}

func TestPushClosesClientOverHardLimit(t *testing.T) {
	ps := &pubsub{}
	s, _, _ := startServerWith(t, Config{PushLimit: OutputLimit{Hard: 64 << 10}}, ps.handlers())
	sub, pub := dial(t, s), dial(t, s)
	do(t, sub, "SUBSCRIBE", "ch")
	// The subscriber never reads; the kernel buffers fill, then the queue
	// passes 64 KiB and the client is closed, while PUBLISH never blocks.
	big := strings.Repeat("x", 16<<10)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := do(t, pub, "PUBLISH", "ch", big)
		if got == ":0\r\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("slow subscriber was never closed")
		}
	}
}

// blocker returns handlers for a blocking test command: BLPOP k timeout
// waits for LPUSH (which wakes the first waiter) and answers "woken" or
// "timeout".
func blocker() map[string]HandlerFunc {
	wake := make(chan struct{}, 1)
	return map[string]HandlerFunc{
		"blpop": func(c *Conn, args [][]byte) {
			d, _ := time.ParseDuration(string(args[2]))
			switch c.Wait(wake, d) {
			case Woken:
				c.W.AppendSimple("woken")
			case TimedOut:
				c.W.AppendSimple("timeout")
			}
		},
		"lpush": func(c *Conn, args [][]byte) {
			wake <- struct{}{}
			c.W.AppendSimple("OK")
		},
	}
}

func TestWaitWokenTimedOutAndKeepsPipelinedInput(t *testing.T) {
	s, _, _ := startServerWith(t, Config{IdleTimeout: 50 * time.Millisecond}, blocker())
	c := dial(t, s)
	// Outlives the idle timeout: a blocked client is not idle.
	if got := do(t, c, "BLPOP", "k", "150ms"); got != "+timeout\r\n" {
		t.Fatalf("BLPOP = %q", got)
	}
	// A command pipelined behind the blocking one is read while blocked
	// and runs after it.
	if err := c.Send("BLPOP", "k", "0"); err != nil {
		t.Fatal(err)
	}
	if err := c.Send("ECHO", "after"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(30 * time.Millisecond)
	if got := do(t, dial(t, s), "LPUSH", "k", "v"); got != "+OK\r\n" {
		t.Fatalf("LPUSH = %q", got)
	}
	for _, want := range []string{"+woken\r\n", "$5\r\nafter\r\n"} {
		if got, err := c.Receive(); err != nil || string(got) != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
}

func TestWaitEndsWhenClientLeaves(t *testing.T) {
	s, h, _ := startServerWith(t, Config{}, blocker())
	c := dial(t, s)
	if err := c.Send("BLPOP", "k", "0"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(30 * time.Millisecond)
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for h.closed.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("a blocked client that disconnected was never closed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestWaitEndsOnShutdownAndKill(t *testing.T) {
	s, h, _ := startServerWith(t, Config{}, blocker())
	a, b := dial(t, s), dial(t, s)
	for _, c := range []interface{ Send(...string) error }{a, b} {
		if err := c.Send("BLPOP", "k", "0"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(30 * time.Millisecond)
	for _, c := range s.Clients() {
		c.Kill()
		break
	}
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(t.Context()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown waited on blocked clients")
	}
	if h.closed.Load() != 2 {
		t.Fatalf("closed = %d, want 2", h.closed.Load())
	}
}
