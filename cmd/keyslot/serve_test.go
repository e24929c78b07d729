package main

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

// recorder logs the calls fake services receive, across services.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, s)
}

func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// fakeService records Start and Shutdown, and can fail or hang in either.
type fakeService struct {
	name        string
	rec         *recorder
	startErr    error
	hangOnClose bool // Shutdown waits for its context to end
}

func (f *fakeService) Start() error {
	f.rec.add("start " + f.name)
	return f.startErr
}

func (f *fakeService) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }

func (f *fakeService) Shutdown(ctx context.Context) error {
	f.rec.add("stop " + f.name)
	if f.hangOnClose {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

func TestRunServicesOrder(t *testing.T) {
	rec := &recorder{}
	servers := []named{
		{"node a", &fakeService{name: "a", rec: rec}},
		{"node b", &fakeService{name: "b", rec: rec}},
		{"proxy", &fakeService{name: "proxy", rec: rec}},
	}
	adm := &fakeService{name: "admin", rec: rec}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- runServices(ctx, zaptest.NewLogger(t), time.Second, servers, adm, func() {
			rec.add("started")
			close(started)
		})
	}()
	<-started
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("runServices = %v", err)
	}
	// Clients drain from the proxy before the nodes stop; /readyz and
	// /metrics stay up until the servers are gone.
	want := []string{"start a", "start b", "start proxy", "start admin", "started",
		"stop proxy", "stop b", "stop a", "stop admin"}
	if got := rec.list(); !slices.Equal(got, want) {
		t.Fatalf("calls = %q\nwant    %q", got, want)
	}
}

func TestRunServicesStartFailure(t *testing.T) {
	rec := &recorder{}
	errBind := errors.New("address already in use")
	servers := []named{
		{"node a", &fakeService{name: "a", rec: rec}},
		{"node b", &fakeService{name: "b", rec: rec, startErr: errBind}},
		{"proxy", &fakeService{name: "proxy", rec: rec}},
	}
	err := runServices(context.Background(), zaptest.NewLogger(t), time.Second, servers, nil, func() {
		t.Error("started called after a failed start")
	})
	if !errors.Is(err, errBind) || err.Error() != "node b: address already in use" {
		t.Fatalf("runServices = %v, want the start error naming node b", err)
	}
	// Only what started is stopped.
	if got, want := rec.list(), []string{"start a", "start b", "stop a"}; !slices.Equal(got, want) {
		t.Fatalf("calls = %q, want %q", got, want)
	}
}

func TestRunServicesAdminStartFailure(t *testing.T) {
	rec := &recorder{}
	errBind := errors.New("address already in use")
	servers := []named{{"node", &fakeService{name: "node", rec: rec}}}
	adm := &fakeService{name: "admin", rec: rec, startErr: errBind}
	err := runServices(context.Background(), zaptest.NewLogger(t), time.Second, servers, adm, nil)
	if !errors.Is(err, errBind) || err.Error() != "admin: address already in use" {
		t.Fatalf("runServices = %v", err)
	}
	if got, want := rec.list(), []string{"start node", "start admin", "stop node"}; !slices.Equal(got, want) {
		t.Fatalf("calls = %q, want %q", got, want)
	}
}

// A server that does not finish draining is cut off at shutdown-timeout; the
// rest still stop, and the error names the one that hung.
func TestRunServicesShutdownTimeout(t *testing.T) {
	rec := &recorder{}
	servers := []named{
		{"node", &fakeService{name: "node", rec: rec}},
		{"proxy", &fakeService{name: "proxy", rec: rec, hangOnClose: true}},
	}
	adm := &fakeService{name: "admin", rec: rec}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	err := runServices(ctx, zaptest.NewLogger(t), 100*time.Millisecond, servers, adm, nil)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("shutdown took %v with a 100ms timeout", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) || err.Error() != "proxy shutdown: context deadline exceeded" {
		t.Fatalf("runServices = %v", err)
	}
	want := []string{"start node", "start proxy", "start admin", "stop proxy", "stop node", "stop admin"}
	if got := rec.list(); !slices.Equal(got, want) {
		t.Fatalf("calls = %q, want %q", got, want)
	}
}

func TestSignalContext(t *testing.T) {
	ctx, stop := signalContext(context.Background(), zaptest.NewLogger(t))
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not end the context")
	}
}

func TestSignalContextStop(t *testing.T) {
	ctx, stop := signalContext(context.Background(), zaptest.NewLogger(t))
	stop()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("stop did not end the context")
	}
}
