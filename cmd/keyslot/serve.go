package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

// service is what runServices starts and stops: backend.Server,
// proxy.Server and admin.Server all have this shape.
type service interface {
	// Start binds and serves in the background.
	Start() error
	// Addr is the bound address once started.
	Addr() net.Addr
	// Shutdown stops gracefully, giving up when ctx ends.
	Shutdown(ctx context.Context) error
}

// named pairs a service with the name logs and errors call it by.
type named struct {
	name string
	svc  service
}

// runServices starts servers in order and then adm (nil when metrics are
// off), calls started, and waits for ctx to end. It then shuts the servers
// down in reverse order, and adm last so that /readyz and /metrics answer
// while clients drain, all within one timeout. If a start fails, what was
// already started is shut down and the start error returned.
func runServices(ctx context.Context, lg *zap.Logger, timeout time.Duration, servers []named, adm service, started func()) error {
	var up []named
	fail := func(name string, err error) error {
		err = fmt.Errorf("%s: %w", name, err)
		if serr := stopAll(lg, timeout, up, nil); serr != nil {
			err = errors.Join(err, serr)
		}
		return err
	}
	for _, s := range servers {
		if err := s.svc.Start(); err != nil {
			return fail(s.name, err)
		}
		lg.Info("started", zap.String("service", s.name), zap.Stringer("addr", s.svc.Addr()))
		up = append(up, s)
	}
	if adm != nil {
		if err := adm.Start(); err != nil {
			return fail("admin", err)
		}
	}
	if started != nil {
		started()
	}
	<-ctx.Done()
	lg.Info("shutting down", zap.Duration("timeout", timeout))
	return stopAll(lg, timeout, up, adm)
}

// stopAll shuts servers (given in start order) down in reverse, then adm if
// it is not nil. One deadline covers them all; a failure is logged and the
// rest still get their turn.
func stopAll(lg *zap.Logger, timeout time.Duration, servers []named, adm service) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	order := make([]named, 0, len(servers)+1)
	for i := len(servers) - 1; i >= 0; i-- {
		order = append(order, servers[i])
	}
	if adm != nil {
		order = append(order, named{"admin", adm})
	}
	var errs []error
	for _, s := range order {
		if err := s.svc.Shutdown(ctx); err != nil {
			lg.Error("shutdown failed", zap.String("service", s.name), zap.Error(err))
			errs = append(errs, fmt.Errorf("%s shutdown: %w", s.name, err))
			continue
		}
		lg.Info("stopped", zap.String("service", s.name))
	}
	return errors.Join(errs...)
}

// signalContext returns a context that ends at the first SIGINT or SIGTERM.
// The signals' default action is then restored, so a second one ends the
// process at once even if the graceful shutdown hangs. stop releases the
// signals without waiting for one.
func signalContext(parent context.Context, lg *zap.Logger) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			lg.Info("signal received; shutting down, send it again to exit at once", zap.Stringer("signal", sig))
			cancel()
		case <-ctx.Done():
			signal.Stop(ch)
		}
	}()
	return ctx, cancel
}

// serveUntilSignal builds the logger from opts, then runs run with a
// context that the first SIGINT or SIGTERM cancels: the shape of every
// long-running subcommand.
func serveUntilSignal(cmd *cobra.Command, opts logOptions, run func(context.Context, *zap.Logger) error) error {
	lg, err := newLogger(opts, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer func() { _ = lg.Sync() }()
	ctx, stop := signalContext(cmd.Context(), lg)
	defer stop()
	return run(ctx, lg)
}
