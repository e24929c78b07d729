package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyslot/keyslot/internal/config"
)

// pingRequest is PING as a RESP array, the form every Redis server and
// keyslot program accepts.
const pingRequest = "*1\r\n$4\r\nPING\r\n"

// maxReplyLine bounds how much of a reply health reads: a healthy server
// sends 7 bytes, and a long error line is cut rather than read forever.
const maxReplyLine = 512

// errNotPong is matched by ping's error when the server answered, but not
// with +PONG.
var errNotPong = errors.New("unexpected reply")

func newHealthCommand() *cobra.Command {
	var (
		addr    string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Check that a keyslot node or proxy answers PING (container health check)",
		Long: `Connect to addr, send PING and expect +PONG. Exit status 0 means healthy;
otherwise the reason is printed on stderr and the status is 1. It needs no
shell and no redis-cli, so it works in an image built FROM scratch. It reads
no config file or environment, only its flags.`,
		Example: `  keyslot health --addr 127.0.0.1:6379 --timeout 2s`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := config.CheckHostPort("addr", addr); err != nil {
				return &usageError{err}
			}
			if timeout <= 0 {
				return &usageError{config.Invalid("timeout", timeout.String(), "argument must be a positive duration")}
			}
			if err := ping(addr, timeout); err != nil {
				return err
			}
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "PONG")
			return err
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:6379", "`host:port` of the node or proxy to check")
	cmd.Flags().DurationVar(&timeout, "timeout", 2*time.Second, "longest the whole check may take")
	return cmd
}

// ping sends PING to addr and reads one reply line, all within timeout.
func ping(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	if _, err := io.WriteString(conn, pingRequest); err != nil {
		return fmt.Errorf("%s: sending PING: %w", addr, err)
	}
	line, err := bufio.NewReaderSize(io.LimitReader(conn, maxReplyLine), maxReplyLine).ReadString('\n')
	if err != nil && line == "" {
		if errors.Is(err, io.EOF) {
			err = errors.New("connection closed before a reply")
		}
		return fmt.Errorf("%s: reading reply: %w", addr, err)
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("%s: %w %q", addr, errNotPong, strings.TrimRight(line, "\r\n"))
	}
	return nil
}
